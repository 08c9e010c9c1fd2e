# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The command line: a real subprocess, port/pid/CA files, TLS, faults, SIGTERM."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from emulator_testlib import Api

EMULATOR_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def launch(tmp_path, *extra):
    port_file = tmp_path / "port"
    env = dict(os.environ, PYTHONPATH=EMULATOR_DIR)
    proc = subprocess.Popen([sys.executable, "-m", "drweb_emulator", "--port", "0", "--port-file", str(port_file),
                             "--pid-file", str(tmp_path / "pid"), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=str(tmp_path))
    deadline = time.time() + 15
    while not (port_file.exists() and port_file.read_text().strip()):
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read().decode())
        assert time.time() < deadline, "the emulator did not write its port file"
        time.sleep(0.05)
    return proc, int(port_file.read_text())


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_http_subprocess(tmp_path):
    log = tmp_path / "requests.jsonl"
    proc, port = launch(tmp_path, "--user", "ops", "--password", "s3cret", "--request-log", str(log),
                        "--faults", json.dumps({"scripts": ["stations/state"], "status": {"503": 1}, "count": 1}),
                        "--update-duration", "0.2")
    try:
        assert (tmp_path / "pid").read_text().strip() == str(proc.pid)
        api = Api("http://127.0.0.1:%d" % port)
        api.session.auth = ("ops", "s3cret")
        assert api.call("stations", "info", {"id": "s1"}, "json")["data"]["list"][0]["name"] == "s1003"
        assert api.raw("stations", "state", {"id": "s1"}).status_code == 503
        assert api.raw("stations", "state", {"id": "s1"}).status_code == 200
        assert requests.get("http://127.0.0.1:%d/api/stations/state.ds?id=s1" % port, auth=("admin", "drweb"),
                            timeout=5).status_code == 401
        entries = [json.loads(line) for line in log.read_text().splitlines()]
        assert [e["status"] for e in entries] == [200, 503, 200, 401]
    finally:
        assert stop(proc) == 0
    out = proc.stdout.read().decode()
    assert "listening on http://127.0.0.1:%d" % port in out
    assert not (tmp_path / "port").exists()                  # removed on a clean stop


def test_tls_subprocess(tmp_path):
    ca = tmp_path / "ca.pem"
    proc, port = launch(tmp_path, "--tls", "--ca-file", str(ca))
    try:
        assert ca.read_text().startswith("-----BEGIN CERTIFICATE-----")
        for host in ("127.0.0.1", "localhost"):
            api = Api("https://%s:%d" % (host, port), verify=str(ca))
            assert api.call("stations", "state", {"id": "s1"}, "json")["data"]["states"] == {"s1": "online"}
        with pytest.raises(requests.exceptions.SSLError):
            requests.get("https://127.0.0.1:%d/_emulator/health" % port, verify=True, timeout=5)
        # Plain HTTP on the TLS port does not hang the server.
        with pytest.raises(requests.ConnectionError):
            requests.get("http://127.0.0.1:%d/_emulator/health" % port, timeout=5)
        health = requests.get("https://127.0.0.1:%d/_emulator/health" % port, verify=str(ca), timeout=5).json()
        assert health["tls"] is True
    finally:
        assert stop(proc) == 0


def test_password_file_keeps_the_password_out_of_the_command_line(tmp_path):
    secret = tmp_path / "admin.pw"
    secret.write_text("pw from a file\n")
    reader = tmp_path / "reader.pw"
    reader.write_text("reader-pw")
    proc, port = launch(tmp_path, "--user", "ops", "--password-file", str(secret),
                        "--readonly-user", "auditor", "--readonly-password-file", str(reader))
    try:
        command_line = open("/proc/%d/cmdline" % proc.pid, "rb").read().decode()
        assert "pw from a file" not in command_line and "reader-pw" not in command_line
        url = "http://127.0.0.1:%d/api/stations/state.ds?id=s1" % port
        assert requests.get(url, auth=("ops", "pw from a file"), timeout=5).status_code == 200
        assert requests.get(url, auth=("auditor", "reader-pw"), timeout=5).status_code == 200
        # Only the first line counts, without its line ending.
        assert requests.get(url, auth=("ops", "pw from a file\n"), timeout=5).status_code == 401
    finally:
        assert stop(proc) == 0


@pytest.mark.parametrize("content, words", [(None, b"No such file"), ("", b"is empty"), ("\nsecond", b"is empty")])
def test_a_bad_password_file_fails_fast(tmp_path, content, words):
    secret = tmp_path / "admin.pw"
    if content is not None:
        secret.write_text(content)
    env = dict(os.environ, PYTHONPATH=EMULATOR_DIR)
    result = subprocess.run([sys.executable, "-m", "drweb_emulator", "--password-file", str(secret)], env=env,
                            capture_output=True, timeout=20, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith(b"drweb-emulator: cannot start:") and words in result.stderr


def test_password_and_password_file_exclude_each_other(tmp_path):
    from drweb_emulator.cli import build_parser
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--password", "x", "--password-file", str(tmp_path / "pw")])


def test_single_id_info_answers_only_the_first_id(tmp_path):
    proc, port = launch(tmp_path, "--single-id-info")
    try:
        api = Api("http://127.0.0.1:%d" % port)
        data = api.call("stations", "info", [("id", "ws-0001"), ("id", "s1")], "json")["data"]
        assert [s["id"] for s in data["list"]] == ["ws-0001"]
        # Only info.ds: the scripts that document repeated ids still take them.
        states = api.call("stations", "state", [("id", "ws-0001"), ("id", "s1")], "json")["data"]["states"]
        assert sorted(states) == ["s1", "ws-0001"]
    finally:
        assert stop(proc) == 0


def test_bad_seed_fails_fast(tmp_path):
    seed = tmp_path / "seed.yaml"
    seed.write_text("stations:\n  - {id: a, parent_id: missing}\n")
    env = dict(os.environ, PYTHONPATH=EMULATOR_DIR)
    result = subprocess.run([sys.executable, "-m", "drweb_emulator", "--seed", str(seed)], env=env,
                            capture_output=True, timeout=20, check=False)
    assert result.returncode == 2
    assert b"group 'missing' does not exist" in result.stderr


def test_help_mentions_every_documented_option():
    from drweb_emulator.cli import build_parser
    text = build_parser().format_help()
    for option in ("--host", "--port", "--port-file", "--tls", "--ca-file", "--user", "--password", "--seed",
                   "--state", "--request-log", "--pid-file", "--generate-stations", "--generate-group",
                   "--update-duration", "--faults", "--api-version", "--root", "--stations-list-by-type",
                   "--readonly-user", "--readonly-password", "--password-file", "--readonly-password-file",
                   "--single-id-info"):
        assert option in text
