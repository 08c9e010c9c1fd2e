# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""groups/list, info, stations-list, components (+ add/change/delete), both formats."""

import pytest

from emulator_testlib import EVERYONE, GROUP_1, LINUX, NEWBIES, OFFICE

STATUS = "48afe720-953c-4075-856c-361f3ff06b6d"
SYSTEM_ROOTS = {
    EVERYONE: 1, STATUS: 10, "f991915f-8a15-4cf7-817a-d81d156d2bbe": 10,
    "159e383d-f853-4bc5-9e18-c40144542aca": 10, "411dac63-2a3e-4ce8-af4f-1fbeb94242ef": 10,
    "8c483456-0d15-4e41-b271-87197ac2adb6": 10, "aa6469d2-6621-46ce-8eed-fc35573c0b34": 10,
    "2abcd184-d8ba-4020-92fb-53148b61efaf": 10, "640b34ee-2058-49d6-b24d-d7cb239cfa3d": 10,
    "54171821-08df-4146-860b-3f5e6eb4ef40": 13, "068e436a-952e-49d9-9b7f-46e2761dfc6f": 10,
}
TARIFFS = ["2888b7ff-3625-465e-bcb8-957de17f6458", "2c213cd2-eba1-4a0e-9f76-95e5e756d48c",
           "4e87fd11-4a35-4ec1-bedd-29669b357e35", "91644cc3-1dc1-42dc-a41e-5ea001f5538d",
           "01fe9e60-6570-11de-b827-0002a5d5c51b", "ebe76ffc-69e1-4757-b2b3-41506832bc9b",
           "673b0574-d11d-b211-9b4e-de33edc4ef1b", "382a6f16-d21d-b211-9b56-de33edc4ef1b",
           "800af701-d21d-b211-9b54-de33edc4ef1b"]


def groups_of(doc, fmt):
    if fmt == "xml":
        root = doc.find("groups")
        rows = [{"id": g.get("id"), "name": g.get("name"), "child_groups": int(g.get("child_groups")),
                 "stations": int(g.get("stations")), "type": int(g.get("type"))} for g in root]
        assert int(root.get("total")) == len(rows)
        assert all(list(g.attrib) == ["id", "name", "child_groups", "stations", "type"] for g in root)
        return rows
    data = doc["data"]["groups"]
    assert data["total"] == len(data["list"])
    return data["list"]


def test_list_roots(api, fmt):
    rows = {g["id"]: g for g in groups_of(api.call("groups", "list", {}, fmt), fmt)}
    for gid, gtype in SYSTEM_ROOTS.items():
        assert rows[gid]["type"] == gtype
    for gid in TARIFFS:
        assert rows[gid]["type"] == 0
    for gid in (GROUP_1, OFFICE, "servers", "GroupForIGS"):
        assert rows[gid]["type"] == 0
    assert "accounting" not in rows                      # a child, not a root
    assert rows[EVERYONE]["child_groups"] == 0           # as a real 13.0.1 server says
    assert rows[EVERYONE]["stations"] == 12
    assert rows[OFFICE]["child_groups"] == 1 and rows[OFFICE]["stations"] == 4
    assert rows[STATUS]["child_groups"] == 5


def test_list_children(api, fmt):
    rows = groups_of(api.call("groups", "list", {"parent-group": STATUS}, fmt), fmt)
    by_name = {g["name"]: g for g in rows}
    assert by_name["Newbies"]["id"] == NEWBIES and by_name["Newbies"]["stations"] == 4
    assert by_name["Online"]["type"] == 2 and by_name["Offline"]["type"] == 3
    assert by_name["Deinstalled"]["type"] == 6 and by_name["Access expired"]["type"] == 7
    os_rows = groups_of(api.call("groups", "list", {"parent-group": "f991915f-8a15-4cf7-817a-d81d156d2bbe"},
                                 fmt), fmt)
    assert {g["id"]: g["type"] for g in os_rows}[LINUX] == 4
    assert [g["id"] for g in groups_of(api.call("groups", "list", {"parent-group": "accounting"}, fmt), fmt)] \
        == ["accounting-berlin"]
    assert api.error("groups", "list", {"parent-group": "nope"}, fmt) == (1005, "Group 'nope' not found")


def test_info(api, fmt):
    doc = api.call("groups", "info", [("id", "accounting"), ("id", EVERYONE)], fmt)
    if fmt == "xml":
        root = doc.find("groups")
        assert root.get("total") == "2"
        g = root.find("group")
        assert list(g.attrib) == ["id", "name", "description", "created", "modified", "parent_id",
                                  "parent_name", "parent_type", "type"]
        assert g.get("parent_id") == OFFICE and g.get("parent_name") == "Office" and g.get("parent_type") == "0"
        assert g.findtext("child-groups") == "1" and g.findtext("stations") == "1"
        assert "group-id=accounting" in g.find("packages/package").get("url")
        everyone = root.findall("group")[1]
        assert everyone.get("parent_id") == "" and everyone.get("type") == "1"
        assert g.find("components") is None
    else:
        g = doc["data"]["list"][0]
        assert doc["data"]["total"] == 2
        assert g["parent_id"] == OFFICE and g["parent_type"] == "0" and g["child_groups"] == 1
        assert g["stations"] == 1 and g["type"] == 0 and g["created_time"] == 1583000100
        everyone = doc["data"]["list"][1]
        assert "parent_id" not in everyone and everyone["type"] == 1


def test_info_flags_and_inheritance(api, fmt):
    doc = api.call("groups", "info", [("id", "accounting-berlin"), ("id", "accounting"), ("components", "yes"),
                                      ("keys", "yes"), ("rights", "yes")], fmt)
    if fmt == "xml":
        berlin, acc = doc.findall("groups/group")
        assert berlin.find("components").get("inherited") == "true"
        assert berlin.find("components").get("inherited_group_id") == "accounting"
        assert berlin.find("keys").get("inherited_group_id") == "accounting"
        assert berlin.find("rights").get("inherited_group_id") == EVERYONE
        assert acc.find("components").get("inherited") == "false"
        assert acc.find("components").get("inherited_group_id") == ""
        assert [c.tag for c in acc] == ["keys", "packages", "rights", "components", "child-groups", "stations"]
    else:
        berlin, acc = doc["data"]["list"]
        assert berlin["components"]["inherited_group_name"] == "Accounting"
        assert berlin["permissions"]["inherited_group_id"] == EVERYONE
        assert acc["components"]["inherited"] is False and "inherited_group_id" not in acc["components"]
        assert acc["keys"]["list"] == ["acc0000000000001"]


def test_info_errors(api, fmt):
    assert api.error("groups", "info", [("id", OFFICE), ("id", "nope")], fmt)[0] == 1005
    assert api.error("groups", "info", {}, fmt)[0] == 1003


def comps(doc, fmt):
    if fmt == "xml":
        root = doc.find("groups")
        out = []
        for g in root.findall("group"):
            c = g.find("components")
            out.append((g.get("id"), c.get("inherited"), c.get("inherited_group_id"),
                        [(x.get("code"), x.get("status")) for x in c], int(c.get("total"))))
        assert int(root.get("total")) == len(out)
        return out
    return [(i["group_id"], str(i["inherited"]).lower(), i.get("inherited_group_id", ""),
             [(str(x["code"]), str(x["status"])) for x in i["components"]], len(i["components"]))
            for i in doc["data"]["list"]]


def test_components_several_ids_and_inheritance(api, fmt):
    doc = api.call("groups", "components", [("id", OFFICE), ("id", "accounting"), ("id", "accounting-berlin"),
                                            ("id", EVERYONE), ("id", NEWBIES)], fmt)
    office, acc, berlin, everyone, newbies = comps(doc, fmt)
    assert office[1:3] == ("true", EVERYONE) and office[4] == 12
    assert ("30", "2") in office[3]
    assert acc[1:3] == ("false", "") and acc[4] == 5
    assert berlin[1:3] == ("true", "accounting") and berlin[3] == acc[3]
    assert everyone[1:3] == ("false", "")
    assert newbies[1:3] == ("true", EVERYONE)
    if fmt == "json":
        item = doc["data"]["list"][1]
        assert "inherited_group_id" not in item and "inherited_group_name" not in item
        assert sorted(item) == ["components", "group_id", "inherited"]


def test_components_only_for_groups_with_windows_stations(api, fmt):
    servers, igs, linux = comps(api.call("groups", "components", [("id", "servers"), ("id", "GroupForIGS"),
                                                                  ("id", LINUX)], fmt), fmt)
    assert servers[1:3] == ("false", "") and servers[4] == 4
    assert igs[1:3] == ("true", EVERYONE) and igs[3] == [] and igs[4] == 0
    assert linux[3] == []
    api.call("stations", "delete", {"id": "srv-win-01"}, fmt)
    assert comps(api.call("groups", "components", {"id": "servers"}, fmt), fmt)[0][3] == []


def test_components_errors(api, fmt):
    assert api.error("groups", "components", {"id": "nope"}, fmt)[0] == 1005
    assert api.error("groups", "components", {}, fmt)[0] == 1003


# ---------------------------------------------------------------------------- stations-list
def listing(api, fmt, **params):
    params = {k.replace("_", "-"): v for k, v in params.items()}
    doc = api.call("groups", "stations-list", params, fmt)
    if fmt == "xml":
        assert [c.tag for c in doc] == ["stations", "pages"]
        pages = doc.find("pages")
        return (int(doc.find("stations").get("total")), [s.get("id") for s in doc.findall("stations/station")],
                (int(pages.get("total")), int(pages.get("current")), int(pages.get("objects-per-page"))))
    data = doc["data"]
    pages = data["pages"]
    return (data["stations"]["total"], [s["id"] for s in data["stations"]["list"]],
            (pages["total"], pages["current"], pages["objects_per_page"]))


def test_stations_list_row_xml(api):
    doc = api.call("groups", "stations-list", {"id": "servers"})
    row = doc.find("stations/station")
    assert list(row.attrib) == ["id", "name", "last_seen_time", "last_seen_addr", "state", "os", "os_name",
                                "login_addr", "login_mac", "expires", "createtime", "blockbeg", "blockend"]
    assert row.get("id") == "srv-01" and row.get("os") == "16842752"
    assert row.get("createtime") == "20200126005320000"
    assert row.get("blockbeg") == "20300101000000000" and row.get("expires") == "20351231000000000"
    assert row.find("station_type_info") is None
    other = doc.findall("stations/station")[1]
    assert other.get("blockend") == "0" and other.get("expires") == "0" and other.get("login_mac") == ""


def test_stations_list_row_json(api):
    data = api.call("groups", "stations-list", {"id": "servers"}, "json")["data"]
    row = data["stations"]["list"][0]
    assert row["createtime"] == 20200126005320000 and isinstance(row["createtime"], int)
    assert row["os_code"] == 16842752 and row["state"] == 1 and row["blockend"] == 20300102000000000
    other = data["stations"]["list"][1]
    assert "login_mac" not in other and "login_addr" not in other and other["expires"] == 0


def test_default_paging(api, fmt):
    total, ids, pages = listing(api, fmt, id=OFFICE)
    assert total == 4 and pages == (1, 1, 100)
    assert ids == ["ws-0001", "1001", "1002", "old-ws"]


@pytest.mark.parametrize("page,expected", [(1, ["ws-0001", "1001"]), (2, ["1002", "old-ws"]), (3, []),
                                           (99, [])])
def test_pages(api, fmt, page, expected):
    total, ids, pages = listing(api, fmt, id=OFFICE, per_page=2, page=page)
    assert total == 4 and ids == expected and pages == (2, page, 2)


def test_per_page_limits(api, fmt):
    assert listing(api, fmt, id=OFFICE, per_page=4294967295)[2] == (1, 1, 4294967295)
    for bad in ("0", "-1", "4294967296", "x"):
        assert api.error("groups", "stations-list", {"id": OFFICE, "per-page": bad}, fmt)[0] == 1003
    assert api.error("groups", "stations-list", {"id": OFFICE, "page": "0"}, fmt)[0] == 1003


def test_empty_group(api, fmt):
    assert listing(api, fmt, id="GroupForIGS") == (0, [], (0, 1, 100))


def test_subgroups(api, fmt):
    assert listing(api, fmt, id=OFFICE, subgroups="no")[1] == ["ws-0001", "1001", "1002", "old-ws"]
    total, ids, _pages = listing(api, fmt, id=OFFICE, subgroups="yes")
    assert total == 5 and ids == ["ws-0001", "1001", "1002", "old-ws", "ws-0002"]
    assert listing(api, fmt, id="accounting", subgroups="yes")[1] == ["ws-0001", "ws-0002"]


def test_show_blocked_stations(api, fmt):
    # srv-02 is blocked since 2020 with no end; srv-01's block starts in 2030.
    assert listing(api, fmt, id="servers")[1] == ["srv-01", "srv-02", "srv-win-01"]
    assert listing(api, fmt, id="servers", show_blocked_stations="yes")[1] == ["srv-01", "srv-02", "srv-win-01"]
    total, ids, _pages = listing(api, fmt, id="servers", show_blocked_stations="no")
    assert (total, ids) == (2, ["srv-01", "srv-win-01"])


def test_station_type(api, fmt):
    doc = api.call("groups", "stations-list", {"id": GROUP_1, "station-type": "yes"}, fmt)
    if fmt == "xml":
        s1, s2 = doc.findall("stations/station")
        info = s1.find("station_type_info")
        assert info.get("station_type") == "2"
        assert [dict(c.attrib) for c in info] == [{"id": "s2", "name": "DESKTOP-1", "station_type": "1"}]
        assert s2.find("station_type_info").get("station_type") == "1"
    else:
        rows = doc["data"]["stations"]["list"]
        assert rows[0]["station_type_info"] == {"station_type": 2, "list": [
            {"id": "s2", "name": "DESKTOP-1", "station_type": 1}]}
        assert rows[1]["station_type_info"]["list"][0]["id"] == "s1"


def test_system_groups(api, fmt):
    total, ids, _pages = listing(api, fmt, id=EVERYONE)
    assert total == 12 and "gone-01" not in ids and "newbie-01" not in ids
    assert listing(api, fmt, id=NEWBIES)[1] == ["newbie-01", "newbie-02", "newbie-03", "001"]
    assert listing(api, fmt, id=LINUX)[1] == ["s1", "srv-01", "srv-02"]
    # A system group always lists everything below it, subgroups or not.
    assert set(listing(api, fmt, id=STATUS)[1]) >= {"newbie-01", "s1", "1002", "old-ws"}
    assert listing(api, fmt, id="411dac63-2a3e-4ce8-af4f-1fbeb94242ef")[1] == ["remote-01"]


def test_stations_list_errors(api, fmt):
    assert api.error("groups", "stations-list", {"id": "nope"}, fmt)[0] == 1005
    assert api.error("groups", "stations-list", {}, fmt)[0] == 1003
    assert api.error("groups", "stations-list", {"id": OFFICE, "subgroups": "1"}, fmt)[0] == 1003


def test_membership_changes_show_in_listings(api, fmt):
    api.call("stations", "change", {"id": "s1", "add-group": "GroupForIGS"}, fmt)
    assert listing(api, fmt, id="GroupForIGS")[1] == ["s1"]
    api.call("stations", "change", {"id": "s1", "delete-group": "GroupForIGS"}, fmt)
    assert listing(api, fmt, id="GroupForIGS")[1] == []


# ---------------------------------------------------------------------------- add/change/delete
def test_group_add_change_delete(api, server, fmt):
    doc = api.call("groups", "add", {"name": "Lab", "id": "lab", "parent-group": OFFICE, "description": "x"}, fmt)
    assert (doc["data"]["id"] if fmt == "json" else doc.find("group").get("id")) == "lab"
    assert server.store.group("lab").parent_id == OFFICE
    api.call("groups", "change", {"id": "lab", "name": "Lab 2", "parent-group": ""}, fmt)
    assert server.store.group("lab").name == "Lab 2" and server.store.group("lab").parent_id is None
    api.call("stations", "change", {"id": "s1", "parent-group": "lab"}, fmt)
    doc = api.call("groups", "delete", {"id": "lab"}, fmt)
    if fmt == "xml":
        assert doc.find("groups").get("total") == "1"
    else:
        assert doc["data"] == {"groups": {"total": 1, "list": [{"id": "lab"}]}}
    assert server.store.stations["s1"].parent_id == EVERYONE


def test_group_errors(api, fmt):
    assert api.error("groups", "add", {"id": "servers", "name": "dup"}, fmt)[0] == 1006
    assert api.error("groups", "add", {"id": "bad id", "name": "x"}, fmt)[0] == 1003
    assert api.error("groups", "add", {"id": "x"}, fmt)[0] == 1003
    errno, message = api.error("groups", "delete", {"id": EVERYONE}, fmt)
    assert errno == 36 and message == "Unable to remove group 'Everyone': You cannot remove the system group"
    assert api.error("groups", "delete", {"id": "accounting"}, fmt)[0] == 1007
    assert api.error("groups", "change", {"id": OFFICE, "parent-group": "accounting-berlin"}, fmt)[0] == 1003
    assert api.error("groups", "change", {"id": STATUS, "name": "x"}, fmt)[0] == 1007


def test_listing_by_type_variant():
    from drweb_emulator import Config, EmulatorServer
    from emulator_testlib import Api
    with EmulatorServer(Config(port=0, listing_by_type=True)) as srv:
        api = Api(srv.url)
        doc = api.call("groups", "stations-list", {"id": EVERYONE})
        blocks = doc.findall("stations")
        assert [(b.get("type"), b.get("total")) for b in blocks] == [
            ("regular", "10"), ("virtual_agent", "1"), ("scanning_server", "1")]
        assert list(blocks[2][0].attrib) == ["id", "name", "last_seen_addr", "last_seen_time", "os", "os_name"]
        assert doc.find("pages").get("objects-per-page") == "4294967295"
        paged = api.call("groups", "stations-list", {"id": EVERYONE, "per-page": "1"})
        assert [b.get("type") for b in paged.findall("stations")] == ["scanning_server"]
        assert paged.find("pages").get("total") == "12"
        # JSON keeps the documented shape.
        data = api.call("groups", "stations-list", {"id": EVERYONE}, "json")["data"]
        assert data["stations"]["total"] == 12 and data["pages"]["objects_per_page"] == 100


# ---------------------------------------------------------------------------- what the group modules rely on
def _group_ids(doc, fmt):
    if fmt == "xml":
        return [g.get("id") for g in doc.findall("groups/group")]
    return [g["id"] for g in doc["data"]["groups"]["list"]]


def test_group_add_without_id_generates_a_uuid(api, server, fmt):
    doc = api.call("groups", "add", {"name": "Auto"}, fmt)
    gid = doc["data"]["id"] if fmt == "json" else doc.find("group").get("id")
    assert len(gid) == 36 and gid.count("-") == 4
    group = server.store.group(gid)
    assert group.name == "Auto" and group.parent_id is None and group.type == 0


def test_group_change_carries_every_field_in_one_request(api, server, fmt):
    api.call("groups", "add", {"name": "Lab", "id": "lab"}, fmt)
    api.call("groups", "change", {"id": "lab", "name": "Lab 2", "description": "moved", "parent-group": "servers"},
             fmt)
    lab = server.store.group("lab")
    assert (lab.name, lab.description, lab.parent_id) == ("Lab 2", "moved", "servers")
    # Parameters left out stay as they are.
    api.call("groups", "change", {"id": "lab", "description": ""}, fmt)
    lab = server.store.group("lab")
    assert (lab.name, lab.description, lab.parent_id) == ("Lab 2", "", "servers")
    rows = groups_of(api.call("groups", "list", {"parent-group": "servers"}, fmt), fmt)
    assert [(g["id"], g["name"]) for g in rows] == [("lab", "Lab 2")]


def test_group_move_rules(api, fmt):
    # Under itself or a descendant: refused; under a system group: refused; nothing changes.
    assert api.error("groups", "change", {"id": "accounting", "parent-group": "accounting"}, fmt)[0] == 1003
    assert api.error("groups", "change", {"id": OFFICE, "parent-group": "accounting-berlin"}, fmt)[0] == 1003
    assert api.error("groups", "change", {"id": "accounting", "parent-group": STATUS}, fmt)[0] == 1007
    assert api.error("groups", "add", {"name": "x", "parent-group": EVERYONE}, fmt)[0] == 1007
    assert api.error("groups", "add", {"name": "x", "parent-group": "nope"}, fmt)[0] == 1005
    assert [g["id"] for g in groups_of(api.call("groups", "list", {"parent-group": OFFICE}, fmt), fmt)] \
        == ["accounting"]


def test_group_delete_of_a_subtree_in_one_request(api, server, fmt):
    # accounting has the child accounting-berlin; naming both deletes both, in either order.
    assert api.error("groups", "delete", {"id": "accounting"}, fmt) \
        == (1007, "Unable to remove group 'Accounting': it has child groups")
    assert server.store.group("accounting") is not None
    doc = api.call("groups", "delete", [("id", "accounting"), ("id", "accounting-berlin")], fmt)
    assert _group_ids(doc, fmt) == ["accounting", "accounting-berlin"]
    assert server.store.group("accounting") is None and server.store.group("accounting-berlin") is None
    # ws-0001 had accounting as primary group and Office as a member; ws-0002 had accounting-berlin.
    ws1, ws2 = server.store.stations["ws-0001"], server.store.stations["ws-0002"]
    assert ws1.parent_id == EVERYONE and ws1.groups == [OFFICE]
    assert ws2.parent_id == EVERYONE and ws2.groups == []
    assert [g["id"] for g in groups_of(api.call("groups", "list", {"parent-group": OFFICE}, fmt), fmt)] == []


def test_group_delete_is_all_or_nothing(api, server, fmt):
    assert api.error("groups", "delete", [("id", "GroupForIGS"), ("id", "nope")], fmt)[0] == 1005
    assert api.error("groups", "delete", [("id", "GroupForIGS"), ("id", STATUS)], fmt)[0] == 36
    assert server.store.group("GroupForIGS") is not None
