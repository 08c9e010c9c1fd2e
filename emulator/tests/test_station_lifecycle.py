# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""stations/add, delete, restore, state, states and newbies-info, both formats."""

import re

import pytest

from emulator_testlib import EVERYONE, FREE, NEWBIES, OFFICE, station_state


def new_id(doc, fmt):
    return doc["data"]["id"] if fmt == "json" else doc.find("station").get("id")


def test_add_minimal_generates_id_and_password(api, server, fmt):
    doc = api.call("stations", "add", {}, fmt)
    sid = new_id(doc, fmt)
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", sid)
    st = station_state(server, sid)
    assert st["name"] == sid and len(st["password"]) == 16
    assert st["parent_id"] == EVERYONE and st["groups"] == [] and st["status"] == "new"
    assert api.call("stations", "state", {"id": sid}, "json")["data"]["states"] == {sid: "new"}


def test_add_with_every_parameter(api, server, fmt):
    params = [("id", "new-01"), ("name", "NEW-01"), ("password", "secret1"), ("description", "d"),
              ("parent-group", "servers"), ("group", "GroupForIGS"), ("group", OFFICE),
              ("acl-allow", "10.0.0.0/8"), ("acl-allow", "192.168.1.1"), ("acl-disallow", "10.66.0.0/16"),
              ("acl-priority", "deny"), ("country", "de"), ("city", "Köln"), ("street", "S"), ("room", "R"),
              ("floor", "F"), ("province", "P"), ("department", "D"), ("organization", "O"),
              ("email", "e@x.test"), ("latitude", "50.9375"), ("longitude", "6.9603"),
              ("rate", FREE), ("expires", "20301231"), ("block-begin", "20300101"), ("block-end", "20300201"),
              ("user-id", "u1"), ("disable-grace-period", "yes")]
    assert new_id(api.call("stations", "add", params, fmt), fmt) == "new-01"
    st = station_state(server, "new-01")
    assert st["name"] == "NEW-01" and st["password"] == "secret1" and st["city"] == "Köln"
    assert st["country"] == "DE" and st["parent_id"] == "servers"
    assert st["groups"] == ["servers", "GroupForIGS", OFFICE, FREE]
    assert st["acl"] == {"priority": "deny", "allowed": ["tcp/10.0.0.0/8", "tcp/192.168.1.1/32"],
                         "disallowed": ["tcp/10.66.0.0/16"]}
    assert st["expires"] == 1924905600 and st["block_begin"] == 1893456000
    assert st["user_id"] == "u1" and st["disable_grace_period"] == "yes"
    info = api.call("stations", "info", {"id": "new-01", "group-membership": "yes"}, "json")["data"]["list"][0]
    assert info["parent_name"] == "Servers" and info["latitude"] == 50937500


def test_add_duplicate_and_bad_input(api, server, fmt):
    assert api.error("stations", "add", {"id": "s1"}, fmt) == (1006, "Station 's1' already exists")
    assert api.error("stations", "add", {"id": "x1", "parent-group": "missing"}, fmt)[0] == 1005
    assert api.error("stations", "add", {"id": "x1", "group": NEWBIES}, fmt)[0] == 1007
    assert api.error("stations", "add", {"id": "x1", "acl-allow": "1.2.3.4/40"}, fmt)[0] == 1003
    assert api.error("stations", "add", {"id": "bad id"}, fmt)[0] == 1003
    assert api.error("stations", "add", {"id": "x1", "name": ""}, fmt)[0] == 1003
    assert server.store.station("x1") is None


def test_add_reuses_a_deleted_id(api, server, fmt):
    assert new_id(api.call("stations", "add", {"id": "gone-01", "name": "back"}, fmt), fmt) == "gone-01"
    assert station_state(server, "gone-01")["status"] == "new"


def test_delete_is_soft_and_reports_ids(api, server, fmt):
    doc = api.call("stations", "delete", [("id", "1001"), ("id", "1002")], fmt)
    if fmt == "xml":
        assert doc.find("stations").get("total") == "2"
        assert [s.get("id") for s in doc.findall("stations/station")] == ["1001", "1002"]
    else:
        assert doc["data"] == {"stations": {"total": 2, "list": [{"id": "1001"}, {"id": "1002"}]}}
    assert api.call("stations", "state", [("id", "1001")], "json")["data"]["states"] == {"1001": "deleted"}
    assert api.error("stations", "info", {"id": "1001"}, fmt)[0] == 1004
    listing = api.call("groups", "stations-list", {"id": OFFICE}, "json")["data"]["stations"]["list"]
    assert "1001" not in [s["id"] for s in listing]


def test_delete_unknown_is_an_error_and_deletes_nothing(api, server, fmt):
    assert api.error("stations", "delete", [("id", "1001"), ("id", "nope")], fmt)[0] == 1004
    assert station_state(server, "1001")["status"] == "online"
    assert api.error("stations", "delete", {"id": "gone-01"}, fmt)[0] == 1004
    assert api.error("stations", "delete", {}, fmt)[0] == 1003


def test_restore(api, server, fmt):
    api.call("stations", "delete", {"id": "1002"}, fmt)
    doc = api.call("stations", "restore", [("id", "1002"), ("id", "s1"), ("id", "nope"),
                                           ("parent-group", "servers")], fmt)
    if fmt == "xml":
        assert doc.find("success").get("total") == "1"
        assert [s.text for s in doc.findall("success/station")] == ["1002"]
        assert [s.text for s in doc.findall("fail/station")] == ["s1", "nope"]
    else:
        assert doc["data"] == {"success": {"total": 1, "list": ["1002"]},
                               "fail": {"total": 2, "list": ["s1", "nope"]}}
    st = station_state(server, "1002")
    assert st["status"] == "offline" and st["parent_id"] == "servers"


def test_state(api, fmt):
    ids = ["s1", "1002", "newbie-01", "gone-01", "old-ws", "missing"]
    doc = api.call("stations", "state", [("id", i) for i in ids], fmt)
    expected = {"s1": "online", "1002": "offline", "newbie-01": "newbies", "gone-01": "deleted",
                "old-ws": "deinstalled", "missing": "not found"}
    if fmt == "xml":
        assert {s.get("id"): s.text for s in doc.findall("states/state")} == expected
    else:
        assert doc["data"] == {"states": expected}
    assert api.error("stations", "state", {}, fmt)[0] == 1003


def test_newbies_info(api, server, fmt):
    doc = api.call("stations", "newbies-info", [("id", "newbie-01"), ("id", "newbie-02")], fmt)
    if fmt == "xml":
        stations = doc.find("stations")
        assert stations.get("total") == "2"
        st = stations.find("station")
        assert list(st.attrib) == ["id", "name", "created", "parent_id", "parent_name", "state"]
        assert st.get("id") == "newbie-01" and st.get("state") == "0"
        assert st.find("os").get("code") == "35851271" and st.findtext("os") == "Windows 8.1 Pro x64"
        assert st.findtext("server") == server.config.server_uuid
        assert st.findtext("address") == "tcp://10.30.0.1:50000"
    else:
        st = doc["data"]["list"][0]
        assert doc["data"]["total"] == 2
        assert st == {"id": "newbie-01", "name": "NEW-PC-01", "created_time": 1700003000,
                      "parent_id": EVERYONE, "parent_name": "Everyone", "state": 0, "os_code": 35851271,
                      "os_name": "Windows 8.1 Pro x64", "server": server.config.server_uuid,
                      "address": "tcp://10.30.0.1:50000"}


def test_newbies_info_errors(api, fmt):
    assert api.error("stations", "newbies-info", {"id": "s1"}, fmt) == (1004, "Station 's1' is not a newbie")
    assert api.error("stations", "newbies-info", {"id": "nope"}, fmt)[0] == 1004


def test_states_counters(api, fmt):
    doc = api.call("stations", "states", {}, fmt)
    names = ["activated", "all", "deinstalled", "deleted", "new", "newbies", "offline", "online",
             "unactivated", "with_update_errors"]
    if fmt == "xml":
        root = doc.find("stations")
        assert [c.tag for c in root] == names
        counts = {c.tag: int(c.get("total")) for c in root}
        total = int(root.get("total"))
    else:
        data = doc["data"]["stations"]
        total = data.pop("total")
        counts = {k: v["total"] for k, v in data.items()}
    assert counts["newbies"] == 4 and counts["deleted"] == 1 and counts["deinstalled"] == 1
    assert total == counts["all"] + counts["deleted"]


def test_states_newbie_list_extension(api, fmt):
    doc = api.call("stations", "states", {"state": "newbies"}, fmt)
    if fmt == "xml":
        block = doc.find("stations/newbies")
        assert block.get("total") == "4"
        assert [s.get("id") for s in block] == ["newbie-01", "newbie-02", "newbie-03", "001"]
    else:
        assert doc["data"]["stations"]["newbies"]["total"] == 4
    assert api.error("stations", "states", {"state": "sleeping"}, fmt)[0] == 1003


@pytest.mark.parametrize("script", ["info", "change"])
def test_newbies_are_real_stations(api, script):
    api.call("stations", script, {"id": "newbie-01"})
