# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""stations/change.ds: every parameter, the primary-group rules, ACLs, validation."""

import pytest

from emulator_testlib import EVERYONE, FREE, MOBILE, OFFICE, PREMIUM, station_state


def change(api, fmt, **params):
    params = dict({k.replace("_", "-"): v for k, v in params.items()})
    doc = api.call("stations", "change", params, fmt)
    sid = doc["data"]["id"] if fmt == "json" else doc.find("station").get("id")
    assert sid == params["id"]
    return doc


def membership(api, sid):
    st = api.call("stations", "info", {"id": sid, "group-membership": "yes"}, "json")["data"]["list"][0]
    return st["parent_id"], [g["id"] for g in st["group_membership"] if g["type"] == 0]


def test_response_shape(api, fmt):
    doc = api.call("stations", "change", {"id": "s1", "city": "X"}, fmt)
    if fmt == "xml":
        assert [c.tag for c in doc] == ["station"] and dict(doc[0].attrib) == {"id": "s1"}
    else:
        assert doc["data"] == {"id": "s1"}


def test_scalar_fields(api, server, fmt):
    values = {"description": "Desk 7", "room": "R1", "street": "Main St", "city": "Oslo", "floor": "3",
              "province": "Oslo", "department": "IT", "organization": "ACME", "email": "it@acme.test",
              "country": "no", "latitude": "59.913868", "longitude": "-10.752245", "user-id": "u-42"}
    before = station_state(server, "ws-0002")["modified_time"]
    change(api, fmt, id="ws-0002", **values)
    st = station_state(server, "ws-0002")
    for key in ("description", "room", "street", "city", "floor", "province", "department", "organization",
                "email"):
        assert st[key] == values[key]
    assert st["country"] == "NO"
    assert st["user_id"] == "u-42"
    assert st["latitude"] == 59.913868 and st["longitude"] == -10.752245
    assert st["modified_time"] >= before
    info = api.call("stations", "info", {"id": "ws-0002"}, "json")["data"]["list"][0]
    assert info["latitude"] == 59913868 and info["longitude"] == -10752245


def test_only_present_parameters_change(api, server, fmt):
    before = station_state(server, "ws-0001")
    change(api, fmt, id="ws-0001", city="Potsdam")
    after = station_state(server, "ws-0001")
    diff = {k for k in before if before[k] != after[k]}
    assert diff == {"city", "modified_time"}


def test_empty_value_clears_a_field(api, server, fmt):
    change(api, fmt, id="ws-0001", city="", email="")
    st = station_state(server, "ws-0001")
    assert st["city"] == "" and st["email"] == ""


def test_password_set_and_regenerate(api, server, fmt):
    change(api, fmt, id="s1", password="n3w-pass")
    assert station_state(server, "s1")["password"] == "n3w-pass"
    change(api, fmt, id="s1", password="")
    generated = station_state(server, "s1")["password"]
    assert len(generated) == 16 and generated.isalnum() and generated != "n3w-pass"
    change(api, fmt, id="s1", password="")
    assert station_state(server, "s1")["password"] != generated


def test_name_is_accepted(api, server, fmt):
    change(api, fmt, id="s1", name="renamed")
    assert station_state(server, "s1")["name"] == "renamed"


def test_add_and_delete_group(api, fmt):
    change(api, fmt, id="ws-0001", add_group="servers")
    assert membership(api, "ws-0001") == ("accounting", ["accounting", OFFICE, "servers"])
    change(api, fmt, id="ws-0001", delete_group=OFFICE)
    assert membership(api, "ws-0001") == ("accounting", ["accounting", "servers"])
    # Adding a group the station is in already, or deleting one it is not in, changes nothing.
    change(api, fmt, id="ws-0001", add_group="servers", delete_group="GroupForIGS")
    assert membership(api, "ws-0001") == ("accounting", ["accounting", "servers"])


def test_repeated_add_and_delete_group(api, fmt):
    api.call("stations", "change", [("id", "1002"), ("add-group", "servers"), ("add-group", "GroupForIGS"),
                                    ("add-group", "accounting")], fmt)
    assert membership(api, "1002") == (OFFICE, [OFFICE, "servers", "GroupForIGS", "accounting"])
    api.call("stations", "change", [("id", "1002"), ("delete-group", "servers"),
                                    ("delete-group", "accounting")], fmt)
    assert membership(api, "1002") == (OFFICE, [OFFICE, "GroupForIGS"])


def test_deleting_the_primary_group_alone_is_ignored(api, fmt):
    change(api, fmt, id="ws-0001", delete_group="accounting")
    assert membership(api, "ws-0001") == ("accounting", ["accounting", OFFICE])


def test_parent_group_switch_keeps_old_primary_as_member(api, fmt):
    change(api, fmt, id="ws-0001", parent_group="servers")
    assert membership(api, "ws-0001") == ("servers", ["accounting", OFFICE, "servers"])


def test_parent_group_switch_with_delete_of_old_primary(api, fmt):
    change(api, fmt, id="ws-0001", parent_group="servers", delete_group="accounting")
    assert membership(api, "ws-0001") == ("servers", [OFFICE, "servers"])


def test_delete_of_new_primary_in_same_request_is_ignored(api, fmt):
    change(api, fmt, id="ws-0001", parent_group="servers", delete_group="servers")
    assert membership(api, "ws-0001") == ("servers", ["accounting", OFFICE, "servers"])


def test_parent_group_everyone(api, fmt):
    change(api, fmt, id="ws-0001", parent_group=EVERYONE, delete_group="accounting")
    assert membership(api, "ws-0001") == (EVERYONE, [OFFICE])
    change(api, fmt, id="ws-0001", add_group=EVERYONE)       # Everyone is implicit: no-op
    assert membership(api, "ws-0001") == (EVERYONE, [OFFICE])


def test_group_errors_change_nothing(api, server, fmt):
    before = station_state(server, "ws-0001")
    assert api.error("stations", "change", {"id": "ws-0001", "city": "Nope", "add-group": "missing"},
                     fmt) == (1005, "Group 'missing' not found")
    assert api.error("stations", "change", {"id": "ws-0001", "parent-group": "missing"}, fmt)[0] == 1005
    assert api.error("stations", "change", {"id": "ws-0001", "delete-group": "missing"}, fmt)[0] == 1005
    errno, message = api.error("stations", "change", {"id": "ws-0001", "add-group": NEWBIES_ID}, fmt)
    assert errno == 1007 and "system group" in message
    assert api.error("stations", "change", {"id": "ws-0001", "parent-group": ""}, fmt)[0] == 1003
    assert station_state(server, "ws-0001") == before


NEWBIES_ID = "bd0e1a6e-6f43-4a0c-9f1d-0e0d5f3a0003"


def test_rate_switches_tariff_group(api, fmt):
    change(api, fmt, id="1001", rate=PREMIUM)
    assert membership(api, "1001") == (OFFICE, [OFFICE, PREMIUM])
    change(api, fmt, id="1001", rate=MOBILE)
    assert membership(api, "1001") == (OFFICE, [OFFICE, MOBILE])
    change(api, fmt, id="1001", rate=MOBILE)
    assert membership(api, "1001") == (OFFICE, [OFFICE, MOBILE])


def test_rate_replaces_a_tariff_primary_group(api, fmt):
    change(api, fmt, id="1002", parent_group=FREE, delete_group=OFFICE)
    change(api, fmt, id="1002", rate=PREMIUM)
    assert membership(api, "1002") == (PREMIUM, [PREMIUM])


def test_rate_errors(api, fmt):
    assert api.error("stations", "change", {"id": "1001", "rate": "missing"}, fmt)[0] == 1005
    errno, message = api.error("stations", "change", {"id": "1001", "rate": "servers"}, fmt)
    assert errno == 1003 and "tariff" in message


@pytest.mark.parametrize("spec,stored", [
    ("192.168.10.34", "tcp/192.168.10.34/32"),
    ("tcp/192.168.10.0/24", "tcp/192.168.10.0/24"),
    ("TCP/IP/192.168.10.0/255.255.255.0", "tcp/192.168.10.0/24"),
    ("10.1.0.0/255.255.0.0", "tcp/10.1.0.0/16"),
    ("host.example.com", "tcp/host.example.com/32"),
    ("2001:db8::1", "tcp6/2001:db8::1/128"),
    ("ipv6/2001:DB8::/32", "tcp6/2001:db8::/32"),
])
def test_add_acl_normalises(api, server, fmt, spec, stored):
    change(api, fmt, id="1002", add_acl_allow=spec, add_acl_disallow=spec)
    acl = station_state(server, "1002")["acl"]
    assert acl["allowed"] == [stored] and acl["disallowed"] == [stored]


def test_add_acl_is_a_set(api, server, fmt):
    api.call("stations", "change", [("id", "1002"), ("add-acl-allow", "10.0.0.1"),
                                    ("add-acl-allow", "10.0.0.1/32"), ("add-acl-allow", "10.0.0.2")], fmt)
    assert station_state(server, "1002")["acl"]["allowed"] == ["tcp/10.0.0.1/32", "tcp/10.0.0.2/32"]


@pytest.mark.parametrize("delete,removed", [
    ("192.168.10.34/32", True),
    ("192.168.10.34/255.255.255.255", True),
    ("tcp/192.168.10.34/32", True),
    ("192.168.10.34", False),          # no prefix: not matched (SPEC §5 item 8)
    ("192.168.10.34/24", False),
    ("192.168.10.35/32", False),
])
def test_delete_acl_needs_the_mask(api, server, fmt, delete, removed):
    change(api, fmt, id="1002", add_acl_allow="192.168.10.34", add_acl_disallow="192.168.10.34")
    change(api, fmt, id="1002", delete_acl_allow=delete, delete_acl_disallow=delete)
    acl = station_state(server, "1002")["acl"]
    expected = [] if removed else ["tcp/192.168.10.34/32"]
    assert acl["allowed"] == expected and acl["disallowed"] == expected


def test_delete_acl_of_a_network(api, server, fmt):
    change(api, fmt, id="ws-0001", delete_acl_allow="10.20.0.0/16", delete_acl_disallow="10.20.99.0/255.255.255.0")
    acl = station_state(server, "ws-0001")["acl"]
    assert acl["allowed"] == [] and acl["disallowed"] == []


def test_bad_acl_is_rejected(api, server, fmt):
    for bad in ("300.1.1.1", "10.0.0.0/33", "10.0.0.0/255.0.255.0", "", "a b"):
        errno, message = api.error("stations", "change", {"id": "1002", "add-acl-allow": bad}, fmt)
        assert errno == 1003 and "add-acl-allow" in message
    assert station_state(server, "1002")["acl"]["allowed"] == []


def test_acl_priority(api, server, fmt):
    change(api, fmt, id="1002", acl_priority="deny")
    assert station_state(server, "1002")["acl"]["priority"] == "deny"
    doc = api.call("stations", "info", {"id": "1002"}, fmt)
    priority = doc["data"]["list"][0]["acl"]["priority"] if fmt == "json" else doc.find(
        "stations/station/acl").get("priority")
    assert priority == "deny"
    change(api, fmt, id="1002", acl_priority="allow")
    assert station_state(server, "1002")["acl"]["priority"] == "allow"
    assert api.error("stations", "change", {"id": "1002", "acl-priority": "allowed"}, fmt)[0] == 1003


def test_block_and_expires(api, server, fmt):
    change(api, fmt, id="1002", block_begin="20300101", block_end="20300102123000", expires="20351231")
    st = station_state(server, "1002")
    assert (st["block_begin"], st["block_end"], st["expires"]) == (1893456000, 1893587400, 2082672000)
    listing = api.call("groups", "stations-list", {"id": OFFICE}, "json")["data"]["stations"]["list"]
    row = [r for r in listing if r["id"] == "1002"][0]
    assert (row["blockbeg"], row["blockend"], row["expires"]) == (20300101000000000, 20300102123000000,
                                                                  20351231000000000)
    change(api, fmt, id="1002", block_begin="0", block_end="", expires="0")
    st = station_state(server, "1002")
    assert (st["block_begin"], st["block_end"], st["expires"]) == (0, 0, 0)


@pytest.mark.parametrize("name,value", [("block-begin", "2030-01-01"), ("block-end", "20301301"),
                                        ("expires", "tomorrow"), ("latitude", "91"), ("longitude", "abc"),
                                        ("country", "DEU"), ("description", "bad\x01char")])
def test_invalid_values(api, server, fmt, name, value):
    before = station_state(server, "1002")
    errno, message = api.error("stations", "change", {"id": "1002", name: value}, fmt)
    assert errno == 1003 and name in message
    assert station_state(server, "1002") == before


def test_unknown_and_missing_station(api, fmt):
    assert api.error("stations", "change", {"id": "nope", "city": "x"}, fmt) == (1004, "Station 'nope' not found")
    assert api.error("stations", "change", {"city": "x"}, fmt)[0] == 1003
    assert api.error("stations", "change", {"id": "gone-01"}, fmt)[0] == 1004


def test_everything_in_one_request(api, server, fmt):
    api.call("stations", "change", [
        ("id", "ws-0001"), ("city", "Bonn"), ("password", "pw"), ("parent-group", "servers"),
        ("add-group", "GroupForIGS"), ("delete-group", "accounting"), ("add-acl-allow", "10.9.9.9"),
        ("delete-acl-allow", "10.20.0.0/16"), ("add-acl-disallow", "10.8.0.0/16"),
        ("delete-acl-disallow", "10.20.99.0/24"), ("acl-priority", "deny"), ("rate", FREE),
    ], fmt)
    st = station_state(server, "ws-0001")
    assert st["city"] == "Bonn" and st["password"] == "pw"
    assert st["parent_id"] == "servers"
    assert st["groups"] == [OFFICE, "servers", "GroupForIGS", FREE]
    assert st["acl"] == {"priority": "deny", "allowed": ["tcp/10.9.9.9/32"], "disallowed": ["tcp/10.8.0.0/16"]}
