# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A hostile or broken server costs a known number of requests, seconds and megabytes.

Every mode of ``hostile_server.py`` is one play of a single ``ansible-playbook -vvvv`` run,
with the same three tasks (a read by id, a change, a bulk change of six stations three at a
time); the inventory plugin meets three of the modes in ``ansible-inventory`` runs. The run
is made twice: with every module shipped (``DRWEB_EXECUTION=module``), each module process
under ``/usr/bin/time`` (a wrapper interpreter) for its peak RSS, and on the controller path
(``DRWEB_EXECUTION=controller``), the whole run under ``/usr/bin/time`` next to a run of the
normal server alone. For each mode the test asserts, from the server's own request log:

* the exact number of requests of each single-connection task, and for the parallel ones
  at most ``concurrency * (retries + 1)`` (the stations after the first failure cost nothing);
* a wall time under the documented worst case ``(retries + 1) * timeout + 10 * retries``,
  plus a generous allowance for starting a module on a loaded machine;
* a peak RSS no higher than a normal server's run plus a few times ``max_response_mb`` (per
  module process when shipped; for the whole run on the controller path);
* one sentence, no traceback, no write;
* no administrator password, its ``user:password`` form or its base64 anywhere in the output.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import re
import secrets
import shlex
import subprocess
import time

import pytest

import harness  # pylint: disable=import-error
import hostile_server  # pylint: disable=import-error

TIMEOUT = 2
RETRIES = 1
CAP_MB = 2
CONCURRENCY = 3
# The documented worst case of a read (connection doc fragment), and what starting a module may add.
WORST = (RETRIES + 1) * TIMEOUT + 10 * RETRIES
START_ALLOWANCE = 10
# A module process against a hostile server may hold the capped body a few times over, no more.
RSS_ALLOWANCE_MB = 4 * CAP_MB + 25
USER = "ansible-admin"
# Spaces and &;, in it: a password may hold them, and masking must take it whole.
PASSWORD = "Hp-%s horse&battery;staple,x" % secrets.token_urlsafe(9)
TOKEN = base64.b64encode(("%s:%s" % (USER, PASSWORD)).encode("utf-8")).decode("ascii")

STATIONS = ["ws-%04d" % i for i in range(1, 7)]
TASKS = [
    ("info", "drweb.esuite.drweb_station_info", {"id": ["ws-0001"]}),
    ("station", "drweb.esuite.drweb_station", {"id": "ws-0001", "city": "Hostileville"}),
    ("bulk", "drweb.esuite.drweb_stations", {"concurrency": CONCURRENCY,
                                             "stations": [{"id": sid, "city": "Hostileville"} for sid in STATIONS]}),
]
JSON_TASK = ("station-json", "drweb.esuite.drweb_station", {"id": "ws-0001", "city": "Hostileville", "api_format": "json"})
PAGING_TASK = ("group", "drweb.esuite.drweb_station_info", {"group": hostile_server.EVERYONE})

# mode -> (requests of info, of station, most requests of bulk, words the message names)
MODES = {
    "drip-body": (2, 2, CONCURRENCY * 2, ["within 2 seconds", "(2 attempts)"]),
    "drip-headers": (2, 2, CONCURRENCY * 2, ["within 2 seconds", "(2 attempts)"]),
    "silent": (2, 2, CONCURRENCY * 2, ["within 2 seconds", "(2 attempts)"]),
    "503-always": (2, 2, CONCURRENCY * 2, ["http 503", "(2 attempts)"]),
    # Nothing listens: the server logs nothing, the client's message counts the attempts.
    "refuse": (0, 0, 0, ["refused the connection (2 attempts)"]),
    "huge-body": (1, 1, CONCURRENCY, ["larger than the 2 mib"]),
    "gzip-bomb": (1, 1, CONCURRENCY, ["larger than the 2 mib", "decompressed"]),
    "endless-paging": (None, None, None, ["claims 100000000 stations"]),
    "auth-echo": (1, 1, CONCURRENCY, ["http 401"]),
    "malformed-success": (1, 1, CONCURRENCY, ["sent no station at all"]),
    "wrong-id": (1, 1, CONCURRENCY, ["instead of station ws-0001"]),
}


def connection(server):
    return {"api_url": server.url, "api_username": USER, "api_password": PASSWORD, "timeout": TIMEOUT,
            "retries": RETRIES, "max_response_mb": CAP_MB}


def tasks_of(mode):
    if mode == "endless-paging":
        return [PAGING_TASK]
    if mode in ("malformed-success", "wrong-id"):
        return TASKS + [JSON_TASK]
    return TASKS


def rss_interpreter(ansible, mode):
    """A python for the module processes of one host that logs each one's peak RSS (KiB)."""
    log = os.path.join(ansible.workdir, "rss-%s.log" % mode)
    argv = harness.rss_wrapper(log) + [harness.PYTHON]
    path = ansible.write("python-rss-%s" % mode, "#!/bin/sh\nexec %s \"$@\"\n" % " ".join(shlex.quote(a) for a in argv))
    os.chmod(path, 0o755)
    return path, log


def leaks(text):
    found = []
    for label, secret in (("password", PASSWORD), ("user:password", "%s:%s" % (USER, PASSWORD)), ("base64", TOKEN),
                          ("password (url-encoded)", PASSWORD.replace(" ", "+")), ("password (first word)", PASSWORD.split()[0])):
        if secret in text:
            at = text.index(secret)
            found.append("%s: ...%s..." % (label, text[max(0, at - 100):at + 40]))
    return found


@pytest.fixture(scope="module", params=["module", "controller"])
def outcome(request, module_ansible):
    """One host per mode (its own server and connection), all in one ansible-playbook -vvvv run, four at a time."""
    path = request.param
    servers, hosts, logs = {}, {}, {}
    names = sorted(set(name for mode in MODES for name, dummy, dummy2 in tasks_of(mode)))
    try:
        for mode in ["normal"] + sorted(MODES):
            server = hostile_server.HostileServer(mode, interval=0.25).start()
            servers[mode] = server
            python = harness.PYTHON
            if path == "module":
                python, logs[mode] = rss_interpreter(module_ansible, mode)
            hosts[mode] = {"ansible_connection": "local", "ansible_python_interpreter": python,
                           "drweb": connection(server), "drweb_tasks": [t[0] for t in tasks_of(mode)]}
        tasks = []
        for name in names:
            module, args = next((m, a) for mode in MODES for n, m, a in tasks_of(mode) if n == name)
            args = dict(args, **dict((k, "{{ drweb.%s }}" % k) for k in connection(servers["normal"])))
            tasks.append({"name": name, module: args, "ignore_errors": True, "when": "'%s' in drweb_tasks" % name})
        play = [{"hosts": "all", "gather_facts": False, "tasks": tasks}]
        inventory = module_ansible.write("hostile-%s.json" % path, json.dumps({"all": {"hosts": hosts}}))
        playbook = module_ansible.write("hostile.yml", json.dumps(play))
        baseline_writes, wrapper = 0, ()
        if path == "controller":
            # The worker that runs a task holds what a module process would: the normal server alone is the baseline.
            logs["normal"], logs["run"] = (os.path.join(module_ansible.workdir, "rss-controller-%s.log" % label)
                                           for label in ("normal", "run"))
            module_ansible.playbook(playbook, inventory, forks=4, verbosity=4, timeout=900, argv=["--limit", "normal"],
                                    env={"DRWEB_EXECUTION": path}, wrapper=harness.rss_wrapper(logs["normal"]))
            baseline_writes, wrapper = len(servers["normal"].writes()), harness.rss_wrapper(logs["run"])
        run = module_ansible.playbook(playbook, inventory, forks=4, verbosity=4, timeout=900,
                                      env={"DRWEB_EXECUTION": path}, wrapper=wrapper)
    finally:
        for server in servers.values():
            server.stop()
    rss = dict((mode, [kb / 1024.0 for kb in harness.read_rss(log)]) for mode, log in logs.items())
    return {"path": path, "run": run, "servers": servers, "rss_mb": rss, "baseline_writes": baseline_writes}


def results_of(outcome, mode):
    """The results of the tasks a mode ran, in task order (skipped tasks left out)."""
    return [r for r in outcome["run"].results if r["host"] == mode and r["status"] != "skipped"]


def requests_in(server, recorded):
    return [r for r in server.requests if recorded["start"] - 0.05 <= r.time <= recorded["end"] + 0.05]


def test_one_run_covers_every_mode(outcome):
    run = outcome["run"]
    for mode in ["normal"] + list(MODES):
        assert len(results_of(outcome, mode)) == len(tasks_of(mode)), run.output[-3000:]
        if outcome["path"] == "module":
            # One RSS line per module process, in task order.
            assert len(outcome["rss_mb"][mode]) == len(tasks_of(mode)), (mode, outcome["rss_mb"][mode])
    tasks = sum(len(tasks_of(mode)) for mode in ["normal"] + list(MODES))
    if outcome["path"] == "controller":
        assert run.stdout.count("runs in the controller process") == tasks
        assert "ships as a module" not in run.stdout
        # The largest process of the run, hostile servers and all, against the normal server's run alone.
        (normal,), (peak,) = outcome["rss_mb"]["normal"], outcome["rss_mb"]["run"]
        assert peak <= normal + RSS_ALLOWANCE_MB, (peak, normal)
    else:
        assert run.stdout.count("ships as a module: DRWEB_EXECUTION=module") == tasks
    # The baseline play did real work against the normal server: a read and writes.
    normal = outcome["servers"]["normal"]
    assert [r["status"] for r in results_of(outcome, "normal")] == ["ok"] * len(TASKS)
    assert len(normal.writes()) - outcome["baseline_writes"] == 1 + len(STATIONS)


def test_no_credential_in_any_output(outcome):
    run = outcome["run"]
    # Really -vvvv: the path of every task is told from -vvv on.
    assert "runs in the controller process" in run.stdout or "ESTABLISH LOCAL CONNECTION" in run.stdout
    found = leaks(run.stdout) + leaks(run.stderr) + leaks(json.dumps(run.results, default=str))
    assert found == [], "\n".join(found)
    # Positive control: the auth-echo server really put the credentials in its answers.
    echo = outcome["servers"]["auth-echo"]
    assert echo.requests and all(r.headers.get("authorization") == "Basic " + TOKEN for r in echo.requests)


@pytest.mark.parametrize("mode", sorted(MODES))
def test_hostile_server(outcome, mode):
    server = outcome["servers"][mode]
    results = results_of(outcome, mode)
    assert len(results) == len(tasks_of(mode))
    info, station, bulk, words = MODES[mode]
    expected = {"info": info, "station": station, "station-json": 1, "group": 1}
    problems = []
    shipped = outcome["path"] == "module"
    normal_rss = max(outcome["rss_mb"]["normal"])
    for index, recorded in enumerate(results):
        name = recorded["task"]
        result = recorded["result"]
        msg = result.get("msg") or ""
        seconds = recorded["end"] - recorded["start"]
        sent = requests_in(server, recorded)
        # On the controller path the run's peak is checked as a whole (test_one_run_covers_every_mode).
        rss = outcome["rss_mb"][mode][index] if shipped else 0
        print("%s %s: %d requests, %.1f s, %.0f MB: %s" % (mode, name, len(sent), seconds, rss, msg[:300]))
        if recorded["status"] != "failed":
            problems.append("%s did not fail: %s" % (name, json.dumps(result, default=str)[:400]))
            continue
        # drweb_stations sums up several stations in msg; each of them must be one sentence.
        for text in [s["msg"] for s in result.get("stations") or [] if s["action"] == "failed"] or [msg]:
            if harness.one_sentence(text):
                problems.append("%s: %s: %r" % (name, harness.one_sentence(text), text))
        if "\n" in msg:
            problems.append("%s: a multi-line message: %r" % (name, msg))
        if harness.has_traceback(result):
            problems.append("%s: traceback" % name)
        for word in words:
            if word not in msg.lower():
                problems.append("%s: %r does not say %r" % (name, msg, word))
        if name == "bulk":
            if len(sent) > bulk:
                problems.append("bulk sent %d requests, more than %d" % (len(sent), bulk))
            actions = [s["action"] for s in result.get("stations") or []]
            if actions.count("failed") > CONCURRENCY or len(actions) != len(STATIONS):
                problems.append("bulk did not stop early: %s" % actions)
        elif len(sent) != expected[name]:
            problems.append("%s sent %d requests, not %d: %s" % (name, len(sent), expected[name], sent))
        if seconds > WORST + START_ALLOWANCE:
            problems.append("%s took %.1f s, more than the worst case %d s (+%d s to start)" % (name, seconds, WORST, START_ALLOWANCE))
        if rss > normal_rss + RSS_ALLOWANCE_MB:
            problems.append("%s peaked at %.0f MB, a normal run at %.0f MB" % (name, rss, normal_rss))
    if server.writes():
        problems.append("writes reached the server: %s" % server.writes())
    assert problems == [], "\n".join(problems)


# --------------------------------------------------------------------------- the inventory plugin

INVENTORY_CASES = [
    # (mode, options, most requests, words): details read every station, four at a time.
    ("silent", {"details": True, "details_workers": 4}, 2 + 4 * (RETRIES + 1), ["within 2 seconds", "(2 attempts)"]),
    ("endless-paging", {}, 2, ["claims 100000000 stations"]),
    ("auth-echo", {}, 1, ["http 500"]),
]


@pytest.mark.parametrize("mode,options,most,words", INVENTORY_CASES, ids=[c[0] for c in INVENTORY_CASES])
def test_inventory_source(module_ansible, mode, options, most, words):
    scripts = ["stations/info"] if options.get("details") else None
    with hostile_server.HostileServer(mode, scripts=scripts, listing_size=12) as server:
        config = dict(connection(server), plugin="drweb.esuite.stations", **options)
        path = module_ansible.write("%s.drweb.yml" % mode, json.dumps(config))
        outputs = []
        for verbosity in ("-v", "-vvvv"):
            started = time.time()
            proc = subprocess.run([os.path.join(harness.BIN, "ansible-inventory"), "-i", path, "--list", verbosity],
                                  cwd=module_ansible.workdir, env=module_ansible.env(), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, universal_newlines=True, timeout=300, check=False)
            outputs.append(proc)
            assert time.time() - started < WORST + START_ALLOWANCE, "the source took %.1f s" % (time.time() - started)
        requests = list(server.requests)
    quiet, verbose = outputs
    text = quiet.stdout + quiet.stderr
    print(mode, "%d requests;" % len(requests), re.sub(r"\s+", " ", text)[-600:])
    # Two runs: at most ``most`` requests each, not one per station (12 of them).
    assert len(requests) <= 2 * most, [r.script for r in requests]
    # The failure, not the warning about plain http that comes first.
    sentence = re.search(r"drweb\.esuite\.stations: ((?!api_url uses plain http)[^\n]*? failed: [^\n]*?\.)(?:\s*$|\n)", text, re.M)
    assert sentence, text[-2000:]
    print("  ", sentence.group(1))
    for word in words:
        assert word in sentence.group(1).lower(), sentence.group(1)
    assert "Traceback" not in text
    found = leaks(text) + leaks(verbose.stdout + verbose.stderr)
    assert found == [], "\n".join(found)
    assert not server.writes()
