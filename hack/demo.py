"""`make demo`: run playbooks/demo.yml against a freshly started emulator.

1. Copy the collection to build/collections/ansible_collections/drweb/esuite, where
   Ansible finds it (the same copy `make test` uses).
2. Start the emulator on a free loopback port with TLS, its default seed and a random
   administrator password (in a 0600 file, never on a command line), and wait until it listens.
3. Run `ansible-playbook drweb.esuite.demo --diff` with the connection in the DRWEB_*
   environment variables, exactly as a CI job or an AWX credential would provide it.
4. Stop the emulator (always), then print where the report is.

Usage: demo.py [extra ansible-playbook arguments, e.g. -v]
"""
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir))
sys.path.insert(0, os.path.join(ROOT, "hack"))

import run_checks  # noqa: E402  (the lead's gate runner owns the collection copy)

WORK = os.path.join(ROOT, "build", "demo")
REPORT = os.path.join(WORK, "station-report.html")
BIN = os.path.dirname(os.path.abspath(sys.executable))
START_TIMEOUT = 30


def tool(name):
    path = os.path.join(BIN, name)
    return path if os.path.exists(path) else name


def start_emulator(password):
    files = {name: os.path.join(WORK, name)
             for name in ("port", "pid", "ca.pem", "requests.jsonl", "emulator.out", "admin.pw")}
    # In a file only we can read, not on the command line, where ps would show it.
    with os.fdopen(os.open(files["admin.pw"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as handle:
        handle.write(password + "\n")
    argv = [sys.executable, "-m", "drweb_emulator", "--host", "127.0.0.1", "--port", "0",
            "--port-file", files["port"], "--pid-file", files["pid"], "--tls", "--ca-file", files["ca.pem"],
            "--user", "demo-admin", "--password-file", files["admin.pw"], "--request-log", files["requests.jsonl"]]
    out = open(files["emulator.out"], "w")
    # A process group of its own: Ctrl-C in the terminal must not kill it before we do.
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)
    out.close()
    deadline = time.time() + START_TIMEOUT
    while not os.path.exists(files["port"]):
        if proc.poll() is not None or time.time() > deadline:
            stop_emulator(proc)
            sys.stdout.write(open(files["emulator.out"]).read())
            raise SystemExit("The emulator did not start; is it installed (pip install -e emulator)?")
        time.sleep(0.05)
    port = int(open(files["port"]).read().strip())
    return proc, port, files


def stop_emulator(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def count_requests(path):
    reads = writes = 0
    if os.path.exists(path):
        for line in open(path):
            if line.strip():
                if json.loads(line).get("write"):
                    writes += 1
                else:
                    reads += 1
    return reads, writes


def main(extra):
    started = time.time()
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    print("==> Copying the collection to %s" % run_checks.COPY, flush=True)
    run_checks.check_copy()

    password = secrets.token_urlsafe(18)
    proc, port, files = start_emulator(password)
    api_url = "https://127.0.0.1:%d" % port
    print("==> Emulator listening on %s (default seed, TLS with its own CA)" % api_url, flush=True)
    env = dict(os.environ)
    env.update({
        "PATH": BIN + os.pathsep + env.get("PATH", ""),
        "ANSIBLE_COLLECTIONS_PATH": run_checks.COLLECTIONS,
        # pyenv shims of absent interpreters exit 127; run modules with this very Python.
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_LOCALHOST_WARNING": "False",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "False",
        # The connection, exactly as the AWX credential type of the collection injects it.
        "DRWEB_API_URL": api_url,
        "DRWEB_API_USERNAME": "demo-admin",
        "DRWEB_API_PASSWORD": password,
        "DRWEB_CA_PATH": files["ca.pem"],
    })
    argv = [tool("ansible-playbook"), "-i", "localhost,", "drweb.esuite.demo", "--diff",
            "-e", "drweb_report_path=%s" % REPORT] + extra
    print("==> %s" % " ".join(argv), flush=True)
    try:
        code = subprocess.call(argv, cwd=WORK, env=env)
    except KeyboardInterrupt:
        code = 130
    finally:
        stop_emulator(proc)
    reads, writes = count_requests(files["requests.jsonl"])
    print()
    print("Demo %s in %.0f s; the emulator answered %d reads and %d writes and has been stopped."
          % ("finished" if code == 0 else "FAILED (exit code %d)" % code, time.time() - started, reads, writes))
    if code == 0 and os.path.exists(REPORT):
        print("Fleet report: %s" % REPORT)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
