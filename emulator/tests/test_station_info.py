# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""stations/info.ds: the always-present part and every include flag, both formats."""

import pytest

from emulator_testlib import EVERYONE, GROUP_1, LINUX, OFFICE

ALL_FLAGS = {f: "yes" for f in ("bases", "components", "group-membership", "installed-components", "keys",
                                "machines", "modules", "rights", "running-components", "station-type")}
XML_BLOCK = {"bases": "bases", "components": "components", "group-membership": "group-membership",
             "installed-components": "installed-components", "keys": "keys", "machines": "machines",
             "modules": "modules", "rights": "rights", "running-components": "running-components",
             "station-type": "station_type_info"}
JSON_BLOCK = {"bases": "bases", "components": "components", "group-membership": "group_membership",
              "installed-components": "installed_components", "keys": "keys", "machines": "machines",
              "modules": "modules", "rights": "permissions", "running-components": "running_components",
              "station-type": "station_type_info"}


def one(api, sid, fmt, **flags):
    params = dict({"id": sid}, **{k.replace("_", "-"): v for k, v in flags.items()})
    doc = api.call("stations", "info", params, fmt)
    if fmt == "json":
        assert doc["data"]["total"] == 1
        return doc["data"]["list"][0]
    assert doc.find("stations").get("total") == "1"
    return doc.find("stations/station")


def test_basic_fields_xml(api):
    st = one(api, "s1", "xml")
    assert dict(st.attrib) == {"id": "s1", "name": "s1003", "created": "1699533395", "modified": "1699535927",
                               "parent_id": EVERYONE, "parent_name": "Everyone", "parent_type": "1",
                               "password": "123456", "state": "1"}
    assert [c.tag for c in st] == [
        "blocking", "lastseenat", "lastseenfrom", "os", "department", "description", "country", "street",
        "room", "city", "floor", "longitude", "latitude", "organization", "province", "email",
        "connection", "packages", "config", "acl"]
    assert st.findtext("blocking/begin") == "0" and st.findtext("blocking/end") == "0"
    assert st.find("os").get("code") == "16842752" and st.findtext("os") == "Linux"
    assert st.findtext("lastseenfrom") == "ssl://10.0.2.2:41908"
    assert st.find("connection").get("port") == "2193"
    assert st.find("connection/public_key").get("uuid")
    assert st.find("packages/package").get("url").endswith("os=windows&id=s1")


def test_basic_fields_json(api):
    st = one(api, "s1", "json")
    assert st["parent_type"] == "1"                       # a string, as in the 13.0.1 sample
    assert st["created_time"] == 1699533395 and st["modified_time"] == 1699535927
    assert st["os_code"] == 16842752 and st["os_name"] == "Linux"
    assert st["block_begin_time"] == 0 and st["block_end_time"] == 0
    assert st["last_seen_addr"] == "ssl://10.0.2.2:41908"
    assert st["connection"]["public_key"]["file"].startswith("; Dr.Web (R) Public key file")
    assert st["config_url"].startswith("https://")
    assert st["acl"] == {"priority": "allow", "allowed": [], "disallowed": []}
    for block in JSON_BLOCK.values():
        assert block not in st


def test_json_omits_empty_strings_xml_keeps_empty_elements(api):
    st = one(api, "1002", "json")
    for name in ("city", "street", "room", "floor", "email", "department", "organization", "province",
                 "country"):
        assert name not in st
    xml = one(api, "1002", "xml")
    for name in ("city", "street", "room"):
        assert xml.find(name) is not None and (xml.findtext(name) or "") == ""


@pytest.mark.parametrize("flag", sorted(ALL_FLAGS))
def test_each_include_flag_alone(api, fmt, flag):
    st = one(api, "s1", fmt, **{flag: "yes"})
    present = {f for f in ALL_FLAGS if (st.find(XML_BLOCK[f]) is not None if fmt == "xml"
                                        else JSON_BLOCK[f] in st)}
    assert present == {flag}
    off = one(api, "s1", fmt, **{flag: "no"})
    assert (off.find(XML_BLOCK[flag]) is None) if fmt == "xml" else (JSON_BLOCK[flag] not in off)


def test_all_flags_xml_order_and_contents(api):
    st = one(api, "s1", "xml", **ALL_FLAGS)
    tags = [c.tag for c in st]
    assert tags[tags.index("config") + 1:] == [
        "modules", "machines", "bases", "keys", "installed-components", "running-components", "rights",
        "components", "group-membership", "station_type_info", "acl"]
    assert st.find("modules").get("total") == "2"
    module = st.find("modules/module")
    assert list(module.attrib) == ["name", "version", "created", "modified", "hash", "file_size",
                                   "file_owner", "description"]
    assert st.find("machines/machine").get("mac") == "08:00:27:02:7f:87"
    assert st.find("machines/machine").get("logged_time") == "20231109125650182"
    assert st.find("bases/base").get("created") == "1459461600"
    assert st.find("keys").get("inherited") == "true"
    assert st.find("keys").get("inherited_group_id") == EVERYONE
    assert [k.get("id") for k in st.findall("keys/key")] == ["daa111be1fdbca01"]
    inst = st.find("installed-components/component")
    assert list(inst.attrib) == ["code", "name", "installed", "path", "server"]
    run = st.find("running-components/component")
    assert list(run.attrib) == ["code", "name", "params", "started", "type", "user"]
    assert st.find("rights/right").get("code") == "1"
    comps = st.find("components")
    # s1 runs Linux: the list of (Windows) components to install is empty, as in the sample.
    assert comps.get("total") == "0" and comps.get("inherited") == "true" and len(comps) == 0
    assert comps.get("inherited_group_name") == "Everyone"
    groups = [(g.get("id"), g.get("type")) for g in st.findall("group-membership/group")]
    assert groups == [(GROUP_1, "0"), (LINUX, "4")]
    assert st.find("group-membership").get("total") == "2"
    sti = st.find("station_type_info")
    assert sti.get("station_type") == "2"
    peer = sti.find("station")
    assert dict(peer.attrib) == {"station_type": "1", "addr": "ssl://10.0.2.2:49944", "id": "s2",
                                 "name": "DESKTOP-1"}


def test_all_flags_json_contents(api):
    st = one(api, "s1", "json", **ALL_FLAGS)
    assert st["modules"][0]["file_name"] == "drweb-configd"
    assert st["machines"][0]["machine_mac"] == "08:00:27:02:7f:87"
    assert st["machines"][0]["logged_time"] == "20231109125650182"     # a string in JSON
    assert st["bases"][0]["created_time"] == 1459461600
    assert st["keys"] == {"inherited": True, "inherited_group_id": EVERYONE,
                          "inherited_group_name": "Everyone", "list": ["daa111be1fdbca01"]}
    assert st["installed_components"][0]["installed_time"] == 1699534539
    assert st["running_components"][0]["pid"] == 7869
    assert st["running_components"][0]["started_time"] == 1699534610
    assert st["permissions"]["list"][0] == {"name": "Run Dr.Web Scanner for Windows", "right": 1, "value": 1}
    assert st["components"]["inherited"] is True and st["components"]["list"] == []
    assert st["group_membership"] == [{"id": GROUP_1, "name": "Group_1", "type": 0},
                                      {"id": LINUX, "name": "Linux", "type": 4}]
    assert st["station_type_info"] == {"station_type": 2, "list": [
        {"addr": "ssl://10.0.2.2:49944", "id": "s2", "name": "DESKTOP-1", "station_type": 1}]}


def test_requested_empty_blocks_are_present(api, fmt):
    st = one(api, "1002", fmt, modules="yes", machines="yes", bases="yes", station_type="yes")
    if fmt == "xml":
        assert st.find("modules").get("total") == "0" and len(st.find("modules")) == 0
        assert st.find("station_type_info").get("station_type") == "0"
        assert len(st.find("station_type_info")) == 0
    else:
        assert st["modules"] == [] and st["machines"] == [] and st["bases"] == []
        assert st["station_type_info"] == {"station_type": 0, "list": []}


def test_inheritance_from_primary_group_chain(api, fmt):
    # ws-0002 sits in accounting-berlin, which inherits from accounting.
    st = one(api, "ws-0002", fmt, components="yes", keys="yes", rights="yes")
    if fmt == "xml":
        assert st.find("components").get("inherited_group_id") == "accounting"
        assert st.find("components").get("total") == "5"
        assert st.find("keys").get("inherited_group_id") == "accounting"
        assert st.find("rights").get("inherited_group_id") == EVERYONE
    else:
        assert st["components"]["inherited_group_id"] == "accounting"
        assert st["components"]["inherited_group_name"] == "Accounting"
        assert st["keys"]["list"] == ["acc0000000000001"]
        assert st["permissions"]["inherited_group_id"] == EVERYONE


def test_own_settings_are_not_inherited(api, server, fmt):
    with server.store.lock:
        server.store.stations["1001"].components = [{"code": 4, "name": "Scanner", "status": 0}]
    st = one(api, "1001", fmt, components="yes")
    if fmt == "xml":
        comps = st.find("components")
        assert comps.get("inherited") == "false"
        assert comps.get("inherited_group_id") == "" and comps.get("inherited_group_name") == ""
    else:
        assert st["components"] == {"inherited": False, "list": [{"code": 4, "name": "Scanner", "status": 0}]}


def test_coordinates_scaled_by_1e6(api, fmt):
    st = one(api, "1002", fmt)
    if fmt == "xml":
        assert st.findtext("latitude") == "38898556" and st.findtext("longitude") == "-77037852"
    else:
        assert st["latitude"] == 38898556 and st["longitude"] == -77037852


def test_acl_rendering(api, fmt):
    st = one(api, "srv-01", fmt)
    if fmt == "xml":
        acl = st.find("acl")
        assert acl.get("priority") == "allow"
        entries = [(a.text, a.get("net_proto"), a.get("net_mask")) for a in acl.findall("allowed/address")]
        assert entries == [("10.0.0.0", "tcp", "255.0.0.0"), ("fe80::", "tcp6", "10")]
        assert len(acl.find("disallowed")) == 0
    else:
        assert st["acl"]["allowed"] == [{"net_address": "10.0.0.0", "net_mask": "255.0.0.0"},
                                        {"net_address": "fe80::", "net_mask": "10"}]


def test_blocking_in_unix_seconds(api, fmt):
    st = one(api, "srv-01", fmt)
    if fmt == "xml":
        assert st.findtext("blocking/begin") == "1893456000"
        assert st.findtext("blocking/end") == "1893542400"
    else:
        assert (st["block_begin_time"], st["block_end_time"]) == (1893456000, 1893542400)


def test_remote_station_omits_local_blocks(api, fmt):
    st = one(api, "remote-01", fmt, **ALL_FLAGS)
    if fmt == "xml":
        tags = {c.tag for c in st}
        for gone in ("os", "connection", "packages", "config", "modules", "bases", "installed-components",
                     "running-components", "rights", "components", "group-membership"):
            assert gone not in tags
        assert {"keys", "machines", "station_type_info", "acl"} <= tags
    else:
        for gone in ("os_code", "connection", "packages", "config_url", "modules", "bases",
                     "installed_components", "running_components", "permissions", "components",
                     "group_membership"):
            assert gone not in st


def test_several_ids(api, fmt):
    doc = api.call("stations", "info", [("id", "s1"), ("id", "s2"), ("id", "s1")], fmt)
    if fmt == "xml":
        assert doc.find("stations").get("total") == "2"
        assert [s.get("id") for s in doc.findall("stations/station")] == ["s1", "s2"]
    else:
        assert [s["id"] for s in doc["data"]["list"]] == ["s1", "s2"]


def test_errors(api, fmt):
    assert api.error("stations", "info", {"id": "gone-01"}, fmt) == (1004, "Station 'gone-01' not found")
    assert api.error("stations", "info", {}, fmt)[0] == 1003
    errno, message = api.error("stations", "info", {"id": "s1", "keys": "on"}, fmt)
    assert errno == 1003 and "keys" in message


def test_newbie_and_user_group_parent(api, fmt):
    st = one(api, "ws-0001", fmt, group_membership="yes")
    if fmt == "xml":
        assert st.get("parent_id") == "accounting" and st.get("parent_type") == "0"
        ids = [g.get("id") for g in st.findall("group-membership/group")]
    else:
        assert st["parent_name"] == "Accounting" and st["parent_type"] == "0"
        ids = [g["id"] for g in st["group_membership"]]
    assert ids[:2] == ["accounting", OFFICE]


def test_windows_station_gets_inherited_components(api, fmt):
    st = one(api, "1001", fmt, components="yes")
    if fmt == "xml":
        comps = st.find("components")
        assert comps.get("total") == "12" and comps.get("inherited_group_id") == EVERYONE
        assert ("30", "2") in [(c.get("code"), c.get("status")) for c in comps]
    else:
        assert len(st["components"]["list"]) == 12
        assert st["components"]["inherited_group_id"] == EVERYONE
