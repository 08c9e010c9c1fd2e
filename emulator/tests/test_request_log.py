# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The request log: one flushed JSON line per API request, secrets masked."""

import json

import requests


def lines(server):
    with open(server.config.request_log, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_fields_and_masking(api, server):
    start = len(lines(server))
    api.raw("stations", "change", [("id", "s1"), ("password", "topsecret"), ("city", "X")], "json", method="POST")
    entry = lines(server)[start]
    assert {"time", "method", "object", "script", "params", "status", "duration_ms", "format", "write"} <= set(entry)
    assert entry["method"] == "POST" and entry["object"] == "stations" and entry["script"] == "change"
    assert entry["params"] == {"id": ["s1"], "password": ["********"], "city": ["X"], "format": ["json"]}
    assert entry["status"] == 200 and entry["format"] == "json" and entry["write"] is True
    assert isinstance(entry["duration_ms"], float)
    assert entry["time"].endswith("Z")
    assert "topsecret" not in open(server.config.request_log, encoding="utf-8").read()


def test_reads_writes_401_404_are_logged(api, server):
    start = len(lines(server))
    api.raw("stations", "info", {"id": "s1"})
    api.raw("server", "task", {"task-id": "update_repositories"})
    api.raw("stations", "info", {"id": "nope"})
    requests.get(server.url + "/api/stations/info.ds?id=s1&password=p", auth=("admin", "bad"), timeout=5)
    api.raw("stations", "bogus", {})
    got = lines(server)[start:]
    assert [(e["script"], e["status"], e["write"]) for e in got] == [
        ("info", 200, False), ("tasks", 200, True), ("info", 200, False), ("info", 401, False),
        ("bogus", 404, False)]
    assert got[2]["errno"] == 1004 and got[3]["errno"] == 1001
    assert got[3]["params"]["password"] == ["********"]


def test_admin_requests_are_not_logged(server):
    start = len(lines(server))
    requests.get(server.url + "/_emulator/health", timeout=5)
    assert len(lines(server)) == start


def test_stats_endpoint(api, server):
    requests.delete(server.url + "/_emulator/stats", timeout=5)
    api.raw("stations", "info", {"id": "s1"})
    api.raw("stations", "change", {"id": "s1"})
    stats = requests.get(server.url + "/_emulator/stats", timeout=5).json()
    assert stats["requests"] == 2 and stats["writes"] == 1
    assert stats["by_script"] == {"stations/info": 1, "stations/change": 1}


def test_connections_are_counted_and_named_in_the_log(api, server):
    requests.delete(server.url + "/_emulator/stats", timeout=5)
    start = len(lines(server))
    for dummy in range(3):
        api.raw("stations", "info", {"id": "s1"})  # one kept-alive session
    requests.get(server.url + "/api/stations/info.ds?id=s1", auth=api.session.auth, timeout=5)
    stats = requests.get(server.url + "/_emulator/stats", timeout=5).json()
    assert stats["requests"] == 4 and stats["api_connections"] == 2
    # The admin requests came on connections of their own: counted as accepted, not as API ones.
    assert stats["connections"] >= 3
    numbers = [entry["connection"] for entry in lines(server)[start:]]
    assert len(numbers) == 4 and numbers[0] == numbers[1] == numbers[2] != numbers[3]
