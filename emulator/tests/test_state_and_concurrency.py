# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Persistence across restarts, admin state tools, and many concurrent writers."""

import json
import threading

import requests

from drweb_emulator import Config, EmulatorServer
from emulator_testlib import Api


def test_state_file_survives_restart(tmp_path):
    state = tmp_path / "state.json"
    with EmulatorServer(Config(port=0, state_file=str(state))) as srv:
        api = Api(srv.url)
        api.call("stations", "change", {"id": "s1", "city": "Persisted", "add-group": "servers"})
        api.call("stations", "add", {"id": "fresh", "name": "Fresh"})
        api.call("stations", "delete", {"id": "1002"})
        api.call("server", "tasks", {"task-id": "newbies", "action": "approve", "group": "servers",
                                     "id": "newbie-01"})
        saved = json.loads(state.read_text())
        assert any(s["id"] == "fresh" for s in saved["stations"])
    assert not list(tmp_path.glob(".state.json.*"))           # no temp files left behind
    with EmulatorServer(Config(port=0, state_file=str(state))) as srv:
        api = Api(srv.url)
        st = api.call("stations", "info", {"id": "s1", "group-membership": "yes"}, "json")["data"]["list"][0]
        assert st["city"] == "Persisted" and "servers" in [g["id"] for g in st["group_membership"]]
        assert api.call("stations", "state", [("id", "fresh"), ("id", "1002"), ("id", "newbie-01")],
                        "json")["data"]["states"] == {"fresh": "new", "1002": "deleted", "newbie-01": "offline"}


def test_state_file_is_a_valid_seed(tmp_path):
    state = tmp_path / "state.json"
    with EmulatorServer(Config(port=0, state_file=str(state))) as srv:
        Api(srv.url).call("stations", "change", {"id": "s1", "city": "Seeded"})
    with EmulatorServer(Config(port=0, seed=str(state))) as srv:
        assert Api(srv.url).call("stations", "info", {"id": "s1"}, "json")["data"]["list"][0]["city"] == "Seeded"


def test_admin_state_reset_upsert(api, server):
    api.call("stations", "change", {"id": "s1", "city": "Changed"})
    state = requests.get(server.url + "/_emulator/state", timeout=5).json()
    s1 = [s for s in state["stations"] if s["id"] == "s1"][0]
    assert s1["city"] == "Changed" and s1["password"] == "123456"
    assert state["repository_status"] == "ready"
    assert requests.post(server.url + "/_emulator/reset", timeout=5).json()["status"] == "ok"
    assert api.call("stations", "info", {"id": "s1"}, "json")["data"]["list"][0]["city"] == "Test_town"
    body = {"newbies": [{"id": "late-newbie", "name": "LATE"}],
            "repositories": [{"code": "10-drwbases", "name": "Dr.Web Virus Bases", "fail_update": True}]}
    assert requests.post(server.url + "/_emulator/upsert", data=json.dumps(body), timeout=5).status_code == 200
    assert api.call("stations", "state", {"id": "late-newbie"}, "json")["data"]["states"] == {
        "late-newbie": "newbies"}
    assert server.store.repositories["10-drwbases"].fail_update is True
    bad = {"stations": [{"id": "x", "parent_id": "missing"}]}
    response = requests.post(server.url + "/_emulator/upsert", data=json.dumps(bad), timeout=5)
    assert response.status_code == 400
    assert server.store.station("late-newbie") is not None      # the bad upsert changed nothing
    health = requests.get(server.url + "/_emulator/health", timeout=5).json()
    assert health["port"] == server.port and health["tls"] is False


def test_concurrent_writers_lose_nothing(server):
    groups = ["g%02d" % i for i in range(24)]
    api = Api(server.url)
    for gid in groups:
        api.call("groups", "add", {"id": gid, "name": gid})
    errors = []

    def worker(gid, index):
        client = Api(server.url)
        try:
            for n in range(5):
                client.call("stations", "change", {"id": "s1", "add-group": gid,
                                                   "add-acl-allow": "10.%d.%d.1" % (index, n)})
                client.call("stations", "info", {"id": "s1", "group-membership": "yes"}, "json" if n % 2 else "xml")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(gid, i)) for i, gid in enumerate(groups)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    st = api.call("stations", "info", {"id": "s1", "group-membership": "yes"}, "json")["data"]["list"][0]
    member_ids = {g["id"] for g in st["group_membership"]}
    assert set(groups) <= member_ids
    assert len(st["acl"]["allowed"]) == 24 * 5


def test_concurrent_adds_with_state_file(tmp_path):
    state = tmp_path / "state.json"
    with EmulatorServer(Config(port=0, state_file=str(state))) as srv:
        def worker(i):
            client = Api(srv.url)
            for n in range(5):
                client.call("stations", "add", {"id": "c-%d-%d" % (i, n)})
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    saved = {s["id"] for s in json.loads(state.read_text())["stations"]}
    assert {"c-%d-%d" % (i, n) for i in range(8) for n in range(5)} <= saved
