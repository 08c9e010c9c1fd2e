# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""server/tasks (newbies, update_repositories), repository-status, repository-products."""

import time

import pytest

from emulator_testlib import EVERYONE, OFFICE, station_state


def task(api, fmt, **params):
    params = {k.replace("_", "-"): v for k, v in params.items()}
    doc = api.call("server", "tasks", params, fmt)          # the envelope is true even when the job fails
    if fmt == "xml":
        node = doc.find("task")
        assert list(node.attrib) == ["id", "status", "message"]
        return node.get("id"), node.get("status"), node.get("message")
    t = doc["data"]["task"]
    assert sorted(t) == ["id", "message", "status"]
    return t["id"], t["status"], t["message"]


def test_approve(api, server, fmt):
    assert task(api, fmt, task_id="newbies", action="approve", group=OFFICE, id="newbie-01") == \
        ("newbies", "success", "")
    st = station_state(server, "newbie-01")
    assert st["status"] == "offline" and st["parent_id"] == OFFICE and st["groups"] == [OFFICE]
    assert api.call("stations", "state", {"id": "newbie-01"}, "json")["data"]["states"]["newbie-01"] == "offline"
    listing = api.call("groups", "stations-list", {"id": OFFICE}, "json")["data"]["stations"]["list"]
    assert "newbie-01" in [s["id"] for s in listing]
    newbies = api.call("groups", "stations-list", {"id": "bd0e1a6e-6f43-4a0c-9f1d-0e0d5f3a0003"},
                       "json")["data"]["stations"]["list"]
    assert "newbie-01" not in [s["id"] for s in newbies]
    # Acting again: it is no longer a newbie.
    assert task(api, fmt, task_id="newbies", action="approve", group=OFFICE, id="newbie-01") == \
        ("newbies", "failed", "Station 'newbie-01' is not a newbie")


def test_approve_into_everyone(api, server, fmt):
    assert task(api, fmt, task_id="newbies", action="approve", group=EVERYONE, id="newbie-02")[1] == "success"
    st = station_state(server, "newbie-02")
    assert st["parent_id"] == EVERYONE and st["groups"] == []


@pytest.mark.parametrize("params,message", [
    ({"action": "approve", "group": "_notfound_", "id": "001"}, "Group is not found"),
    ({"action": "approve", "id": "newbie-01"}, "Group ID is not specified"),
    ({"action": "approve", "group": "", "id": "newbie-01"}, "Group ID is not specified"),
    ({"action": "approve", "group": OFFICE, "id": "s1"}, "Station 's1' is not a newbie"),
    ({"action": "reject", "id": "s1"}, "Station 's1' is not a newbie"),
    ({"action": "cancelonconnect", "id": "1002"}, "Station '1002' is not a newbie"),
    ({"action": "approve", "group": OFFICE, "id": "nope"}, "Station 'nope' is not found"),
    ({"action": "approve", "group": OFFICE}, "Station ID is not specified"),
    ({"action": "approve", "group": "48afe720-953c-4075-856c-361f3ff06b6d", "id": "newbie-01"},
     "Group 'Status' is a system group"),
    ({"id": "newbie-01"}, "Action is not specified"),
    ({"action": "promote", "id": "newbie-01"}, "Unknown action 'promote'"),
])
def test_newbie_task_failures(api, server, fmt, params, message):
    assert task(api, fmt, task_id="newbies", **params) == ("newbies", "failed", message)
    assert station_state(server, "newbie-01")["status"] == "newbies"


def test_reject(api, server, fmt):
    assert task(api, fmt, task_id="newbies", action="reject", id="newbie-03") == ("newbies", "success", "")
    assert station_state(server, "newbie-03")["status"] == "deleted"
    assert api.call("stations", "state", {"id": "newbie-03"}, "json")["data"]["states"]["newbie-03"] == "deleted"
    assert task(api, fmt, task_id="newbies", action="reject", id="newbie-03")[2] == \
        "Station 'newbie-03' is not found"


def test_cancelonconnect(api, server, fmt):
    with server.store.lock:
        server.store.stations["newbie-01"].onconnect = "approve"
    assert task(api, fmt, task_id="newbies", action="cancelonconnect", id="newbie-01") == \
        ("newbies", "success", "")
    st = station_state(server, "newbie-01")
    assert st["status"] == "newbies" and st["onconnect"] == ""


def test_task_id_errors(api, fmt):
    assert api.error("server", "tasks", {}, fmt)[0] == 1003
    assert api.error("server", "tasks", {"task-id": "reboot"}, fmt)[0] == 1003


def status(api, fmt):
    doc = api.call("server", "repository-status", {}, fmt)
    return doc["data"]["status"] if fmt == "json" else doc.findtext("status")


def products(api, fmt):
    doc = api.call("server", "repository-products", {}, fmt)
    if fmt == "json":
        data = doc["data"]["repositories"]
        assert data["total"] == len(data["list"])
        return {r["code"]: r for r in data["list"]}
    root = doc.find("repositories")
    assert int(root.get("total")) == len(root)
    out = {}
    for r in root:
        assert list(r.attrib) == ["code", "modified_time", "revision", "size", "files", "last_update_endtime",
                                  "last_update_src", "last_update_rc", "last_update_rc_code"]
        item = dict(r.attrib)
        item["name"] = r.text
        for key in ("modified_time", "size", "files", "last_update_endtime", "last_update_rc_code"):
            item[key] = int(item[key])
        out[item["code"]] = item
    return out


def test_repository_products(api, fmt):
    repos = products(api, fmt)
    assert len(repos) == 7
    bases = repos["10-drwbases"]
    assert bases["name"] == "Dr.Web Virus Bases" and bases["revision"] == "13020240101120000"
    assert bases["modified_time"] == 1704110400 and bases["last_update_rc_code"] == 2
    assert bases["last_update_rc"] == "Update completed successfully"


def test_update_cycle(api, server, fmt):
    assert status(api, fmt) == "ready"
    before = products(api, fmt)
    started = time.time()
    assert task(api, fmt, task_id="update_repositories") == ("update_repositories", "success", "")
    assert status(api, fmt) == "updating"
    # A second start while updating is a success and does not restart the clock.
    assert task(api, fmt, task_id="update_repositories")[1] == "success"
    assert products(api, fmt)["10-drwbases"]["last_update_endtime"] == before["10-drwbases"]["last_update_endtime"]
    while status(api, fmt) == "updating":
        assert time.time() - started < 30, "the update never finished"
        time.sleep(0.05)
    assert time.time() - started >= 0.29
    after = products(api, fmt)
    for code, repo in after.items():
        assert repo["last_update_endtime"] >= int(started)
        assert repo["last_update_src"] == "Launched from the Control Center"
        assert repo["last_update_rc_code"] == 2
        assert repo["revision"] > before[code]["revision"]
        assert repo["modified_time"] == repo["last_update_endtime"]


def test_failing_product(api, server, fmt):
    with server.store.lock:
        server.store.repositories["20-drwandroid11"].fail_update = True
    before = products(api, fmt)
    task(api, fmt, task_id="update_repositories")
    time.sleep(0.35)
    assert status(api, fmt) == "ready"
    after = products(api, fmt)
    failed = after["20-drwandroid11"]
    assert failed["last_update_rc_code"] == 106
    assert failed["last_update_rc"] == "Requested product not found on GUS servers"
    assert failed["revision"] == before["20-drwandroid11"]["revision"]
    assert after["10-drwbases"]["last_update_rc_code"] == 2
