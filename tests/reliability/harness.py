# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared plumbing of the reliability tests and the benchmarks (standard library only).

* ``collections_path()``: a private ``ansible_collections/drweb/esuite`` copy of the working
  tree's tracked files (the file list of ``hack/run_checks.py``). Private because every
  ``make test`` of a concurrent checkout removes and rebuilds ``build/collections``.
* ``Emulator``: the project's emulator as a subprocess on a free loopback port, with TLS,
  a random administrator password, a request log, and the ``/_emulator/`` admin calls.
* ``Ansible``: runs real ``ansible-playbook``/``ansible`` with this venv's interpreter and
  records every task result through a small notification callback (``results.jsonl``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import json
import os
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time

try:
    from urllib.request import Request, urlopen
except ImportError:  # pragma: no cover - Python 2 is not supported by the harness
    Request = urlopen = None

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
BIN = os.path.dirname(os.path.abspath(sys.executable))
PYTHON = sys.executable
EMULATOR_SRC = os.path.join(ROOT, "emulator")
# What a module needs at run time: everything else of the tree is irrelevant here.
_COLLECTION_PARTS = ("plugins/", "meta/", "galaxy.yml")

RECORDER = '''
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = """
name: drweb_recorder
type: notification
short_description: write every task result as one JSON line to $DRWEB_RECORDER_FILE
description: [Test helper of drweb.esuite.]
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "drweb_recorder"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._path = os.environ.get("DRWEB_RECORDER_FILE")
        self._started = {}

    def v2_runner_on_start(self, host, task):
        self._started[(host.get_name(), task._uuid)] = time.time()

    def _write(self, status, result):
        if not self._path:
            return
        key = (result._host.get_name(), result._task._uuid)
        entry = {"host": key[0], "task": result._task.get_name(), "status": status,
                 "action": result._task.action, "start": self._started.get(key), "end": time.time(),
                 "result": result._result}
        with open(self._path, "a") as handle:
            handle.write(json.dumps(entry, default=str) + "\\n")

    def v2_runner_on_ok(self, result):
        self._write("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write("failed", result)

    def v2_runner_on_unreachable(self, result):
        self._write("unreachable", result)

    def v2_runner_on_skipped(self, result):
        self._write("skipped", result)

    def v2_runner_retry(self, result):
        self._write("retry", result)
'''


# ---------------------------------------------------------------------------- collection copy

def tracked_files():
    """The working tree's files as ``hack/run_checks.py`` sees them."""
    sys.path.insert(0, os.path.join(ROOT, "hack"))
    try:
        import run_checks  # pylint: disable=import-outside-toplevel,import-error
    finally:
        sys.path.pop(0)
    return run_checks.tracked_files()


def collections_path(dest=None, parts=_COLLECTION_PARTS):
    """Copy the collection's runtime files (those under ``parts``) to ``dest/ansible_collections/drweb/esuite``.

    Returns the directory to put in ANSIBLE_COLLECTIONS_PATH. Takes well under a second.
    """
    dest = dest or tempfile.mkdtemp(prefix="drweb-collection-")
    target = os.path.join(dest, "ansible_collections", "drweb", "esuite")
    if os.path.isdir(target):
        shutil.rmtree(target)
    for path in tracked_files():
        if not path.startswith(tuple(parts)):
            continue
        out = os.path.join(target, path)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, path), out)
    return dest


# ---------------------------------------------------------------------------- emulator

def write_password_file(path, password):
    """The password in a file only this user can read, for the emulator"s --password-file."""
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as handle:
        handle.write(password + "\n")
    return path


class EmulatorError(Exception):
    pass


class Emulator(object):
    """``python -m drweb_emulator`` in a subprocess; use as a context manager or start()/stop()."""

    def __init__(self, workdir=None, stations=0, group="generated", tls=True, seed=None, faults=None,
                 extra_args=(), user="ansible-admin", password=None):
        self.workdir = workdir or tempfile.mkdtemp(prefix="drweb-emulator-")
        self.stations = stations
        self.group = group
        self.tls = tls
        self.seed = seed
        self.faults = faults
        self.extra_args = list(extra_args)
        self.user = user
        self.password = password or "Api-" + secrets.token_urlsafe(18)
        self.request_log = os.path.join(self.workdir, "requests.jsonl")
        self.ca_file = os.path.join(self.workdir, "ca.pem") if tls else None
        self.port = None
        self.proc = None
        self._ssl = None
        self._out = None

    # -- lifecycle
    def start(self, timeout=60):
        port_file = os.path.join(self.workdir, "port")
        if os.path.exists(port_file):
            os.remove(port_file)
        argv = [PYTHON, "-m", "drweb_emulator", "--host", "127.0.0.1", "--port", "0", "--port-file", port_file,
                "--pid-file", os.path.join(self.workdir, "pid"), "--request-log", self.request_log,
                "--user", self.user,
                "--password-file", write_password_file(os.path.join(self.workdir, "admin.pw"), self.password)]
        if self.tls:
            argv += ["--tls", "--ca-file", self.ca_file]
        if self.seed:
            argv += ["--seed", self.seed]
        if self.stations:
            argv += ["--generate-stations", str(self.stations), "--generate-group", self.group]
        if self.faults:
            argv += ["--faults", json.dumps(self.faults)]
        argv += self.extra_args
        environ = dict(os.environ)
        environ["PYTHONPATH"] = EMULATOR_SRC + os.pathsep + environ.get("PYTHONPATH", "")
        self._out = open(os.path.join(self.workdir, "emulator.out"), "w")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._out, stderr=subprocess.STDOUT,
                                     env=environ, cwd=self.workdir)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise EmulatorError("the emulator exited with %s: %s" % (self.proc.returncode, self.output()))
            if os.path.exists(port_file):
                text = open(port_file).read().strip()
                if text:
                    self.port = int(text)
                    break
            time.sleep(0.05)
        else:
            self.stop()
            raise EmulatorError("the emulator did not start within %ss: %s" % (timeout, self.output()))
        if self.tls:
            self._ssl = ssl.create_default_context(cafile=self.ca_file)
        return self

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self._out is not None:
            self._out.close()
            self._out = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def output(self):
        path = os.path.join(self.workdir, "emulator.out")
        return open(path).read()[-2000:] if os.path.exists(path) else ""

    # -- addresses
    @property
    def url(self):
        return "%s://127.0.0.1:%d" % ("https" if self.tls else "http", self.port)

    def connection(self, **extra):
        """Module options that reach this emulator."""
        options = dict(api_url=self.url, api_username=self.user, api_password=self.password)
        if self.tls:
            options["ca_path"] = self.ca_file
        options.update(extra)
        return options

    # -- admin endpoints (no auth, loopback only)
    def admin(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = Request(self.url + "/_emulator/" + path.lstrip("/"), data=data, method=method,
                          headers={"Content-Type": "application/json"})
        with urlopen(request, timeout=120, context=self._ssl) as response:
            return json.loads(response.read().decode("utf-8"))

    def set_faults(self, rules):
        return self.admin("POST", "faults", rules)

    def clear_faults(self):
        return self.admin("DELETE", "faults")

    def state(self):
        return self.admin("GET", "state")

    def stations_by_id(self):
        return dict((s["id"], s) for s in self.state().get("stations") or [])

    def upsert(self, document):
        return self.admin("POST", "upsert", document)

    # -- request log
    def mark(self):
        """Position in the request log; pass it to ``requests()``."""
        if not os.path.exists(self.request_log):
            return 0
        with open(self.request_log, "rb") as handle:
            return sum(1 for dummy in handle)

    def requests(self, since=0):
        if not os.path.exists(self.request_log):
            return []
        with open(self.request_log, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        return [json.loads(line) for line in lines[since:] if line.strip()]

    def log_text(self):
        if not os.path.exists(self.request_log):
            return ""
        with open(self.request_log, encoding="utf-8") as handle:
            return handle.read()


def log_time(entry):
    """Epoch seconds of a request-log entry (its ``time`` is UTC with milliseconds)."""
    text = entry["time"].rstrip("Z")
    whole, dummy, millis = text.partition(".")
    return calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S")) + int(millis or 0) / 1000.0


def requests_during(requests, result, slack=0.01):
    """The logged requests made while one recorded task result ran (one host, serial tasks)."""
    start, end = result.get("start"), result.get("end")
    if start is None or end is None:
        raise ValueError("the result has no start/end time")
    return [r for r in requests if start - slack <= log_time(r) <= end + slack]


def station_of(entry):
    """The station id a logged request is about (``id`` parameter), or None."""
    ids = (entry.get("params") or {}).get("id") or []
    return ids[0] if len(ids) == 1 else None


# ---------------------------------------------------------------------------- ansible

class Ansible(object):
    """Write playbooks and inventories into ``workdir`` and run them with this venv."""

    def __init__(self, collections, workdir=None):
        self.collections = collections
        self.workdir = workdir or tempfile.mkdtemp(prefix="drweb-ansible-")
        self.callbacks = os.path.join(self.workdir, "callback_plugins")
        os.makedirs(self.callbacks, exist_ok=True)
        with open(os.path.join(self.callbacks, "drweb_recorder.py"), "w") as handle:
            handle.write(RECORDER)
        self._runs = 0

    def env(self, **extra):
        environ = dict(os.environ)
        environ["PATH"] = BIN + os.pathsep + environ.get("PATH", "")
        environ.update({
            "ANSIBLE_COLLECTIONS_PATH": self.collections,
            # pyenv shims of absent interpreters exit 127: pin every module to this venv.
            "ANSIBLE_PYTHON_INTERPRETER": PYTHON,
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_HOST_KEY_CHECKING": "0",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_LOCAL_TEMP": os.path.join(self.workdir, "tmp"),
            "ANSIBLE_REMOTE_TEMP": os.path.join(self.workdir, "tmp"),
            "ANSIBLE_CALLBACK_PLUGINS": self.callbacks,
            "ANSIBLE_CALLBACKS_ENABLED": "drweb_recorder",
            "ANSIBLE_DEPRECATION_WARNINGS": "0",
            "ANSIBLE_LOCALHOST_WARNING": "0",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
        })
        # A user's ansible.cfg in the working directory must not change what is measured.
        environ.pop("ANSIBLE_CONFIG", None)
        environ.update(dict((k, str(v)) for k, v in extra.items()))
        return environ

    def write(self, name, text):
        path = os.path.join(self.workdir, name)
        with open(path, "w") as handle:
            handle.write(text)
        return path

    def hosts_inventory(self, name, hosts, group_vars=None):
        """An inventory with one local host per entry of ``hosts`` ({name: vars})."""
        data = {"all": {"vars": dict({"ansible_connection": "local", "ansible_python_interpreter": PYTHON},
                                     **(group_vars or {})),
                        "hosts": hosts}}
        return self.write(name, json.dumps(data, indent=1))

    def playbook(self, playbook, inventory=None, forks=None, check=False, diff=False, verbosity=0,
                 extra_vars=None, timeout=900, env=None, argv=(), wrapper=(), record=True):
        """Run ``ansible-playbook``; returns a Run (rc, output, results, seconds).

        ``record=False`` runs it as a user would, without the recorder callback (``results`` is empty):
        for timings, where writing every result to a file is not the product's cost.
        """
        self._runs += 1
        results = os.path.join(self.workdir, "results-%03d.jsonl" % self._runs)
        cmd = list(wrapper) + [os.path.join(BIN, "ansible-playbook"), playbook]
        cmd += ["-i", inventory or "localhost,"]
        if forks:
            cmd += ["--forks", str(forks)]
        if check:
            cmd.append("--check")
        if diff:
            cmd.append("--diff")
        if verbosity:
            cmd.append("-" + "v" * verbosity)
        if extra_vars:
            cmd += ["-e", "@" + self.write("extra-vars-%03d.json" % self._runs, json.dumps(extra_vars))]
        cmd += list(argv)
        environ = self.env(DRWEB_RECORDER_FILE=results, **(env or {}))
        if not record:
            del environ["ANSIBLE_CALLBACKS_ENABLED"], environ["DRWEB_RECORDER_FILE"]
        started = time.time()
        proc = subprocess.run(cmd, cwd=self.workdir, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=timeout, check=False)
        seconds = time.time() - started
        return Run(cmd, proc.returncode, proc.stdout, proc.stderr, read_results(results) if record else [], seconds)

    def module(self, module, args, check=False, timeout=300, env=None, verbosity=0, diff=False):
        """One task through ``ansible-playbook`` on localhost; returns the Run."""
        task = {"name": "run", module: args, "register": "out", "ignore_errors": True}
        play = [{"hosts": "localhost", "gather_facts": False, "tasks": [task]}]
        path = self.write("module-%03d.yml" % (self._runs + 1), json.dumps(play))
        return self.playbook(path, inventory=self.write("localhost.ini", LOCALHOST_INVENTORY % PYTHON),
                             check=check, diff=diff, timeout=timeout, env=env, verbosity=verbosity)


LOCALHOST_INVENTORY = "localhost ansible_connection=local ansible_python_interpreter=%s\n"


class Run(object):
    def __init__(self, cmd, rc, stdout, stderr, results, seconds):
        self.cmd = cmd
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.results = results
        self.seconds = seconds

    @property
    def output(self):
        return self.stdout + self.stderr

    def by_status(self, status):
        return [r for r in self.results if r["status"] == status]

    def only(self):
        """The result of the single task of ``Ansible.module``."""
        assert len(self.results) == 1, "expected one task result, got %d:\n%s" % (len(self.results), self.output[-3000:])
        return self.results[0]

    def __repr__(self):
        return "Run(rc=%s, %.1fs, %d results)" % (self.rc, self.seconds, len(self.results))


def read_results(path):
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def one_sentence(msg):
    """Why ``msg`` is not one clear sentence, or None when it is."""
    if not isinstance(msg, str) or not msg.strip():
        return "no message"
    text = msg.strip()
    if "Traceback" in text or "\n" in text:
        return "multi-line or traceback"
    if not text.endswith("."):
        return "does not end with a full stop"
    if len(text) > 600:
        return "longer than 600 characters"
    return None


def has_traceback(result):
    """True when a task result carries a Python traceback.

    ansible-core 2.19 adds ``exception: "(traceback unavailable)"`` to every failed result
    that has none, so the key alone proves nothing.
    """
    exception = result.get("exception")
    text = json.dumps(result, default=str)
    return "Traceback (most recent call last)" in text or bool(exception and exception != "(traceback unavailable)")


def rss_wrapper(log_path):
    """argv prefix that appends "peak-RSS-KiB user-s sys-s" of the wrapped command to ``log_path``.

    Linux reports the largest RSS and the summed CPU times of the whole process tree the
    command waited for (its children, their module processes, ...).
    """
    if os.path.exists("/usr/bin/time"):
        return ["/usr/bin/time", "-a", "-o", log_path, "-f", "%M %U %S"]
    return [PYTHON, "-c", _RUSAGE_WRAPPER, log_path]


_RUSAGE_WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[2:])\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "open(sys.argv[1], 'a').write('%d %.2f %.2f\\n' % (u.ru_maxrss, u.ru_utime, u.ru_stime))\n"
    "sys.exit(rc)\n"
)


def read_usage(log_path):
    """[{"rss_kb", "cpu_s"}] written by ``rss_wrapper`` (/usr/bin/time may add status lines)."""
    if not os.path.exists(log_path):
        return []
    values = []
    for line in open(log_path):
        fields = line.split()
        try:
            numbers = [float(f) for f in fields]
        except ValueError:
            continue
        if len(numbers) == 3:
            values.append({"rss_kb": int(numbers[0]), "cpu_s": round(numbers[1] + numbers[2], 2)})
        elif len(numbers) == 1:
            values.append({"rss_kb": int(numbers[0]), "cpu_s": None})
    return values


def read_rss(log_path):
    """Peak RSS values (KiB) written by ``rss_wrapper``."""
    return [entry["rss_kb"] for entry in read_usage(log_path)]
