# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The add.ds/change.ds plan: what is compared, what is sent, what is predicted."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json

import pytest

from ansible_collections.drweb.esuite.plugins.module_utils import _station as st
from ansible_collections.drweb.esuite.plugins.module_utils._station_fields import FIELDS

# The parameters stations/add.ds takes, as the declaration states them.
ADD_PARAMS = frozenset(field.add for field in FIELDS if field.add)

EVERYONE = st.EVERYONE_ID
LINUX = "c7687f73-d21d-b211-a795-85419c46f0e6"
FREE = st.TARIFFS["free"]
PREMIUM = st.TARIFFS["premium"]

GROUPS = {
    "g-acc": {"id": "g-acc", "name": "Accounting", "type": 0},
    "g-sales": {"id": "g-sales", "name": "Sales", "type": 0},
    "g-old": {"id": "g-old", "name": "Old", "type": 0},
    "g-new": {"id": "g-new", "name": "New", "type": 0},
    LINUX: {"id": LINUX, "name": "Linux", "type": 4},
    FREE: {"id": FREE, "name": "Dr.Web Free", "type": 0},
    EVERYONE: {"id": EVERYONE, "name": "Everyone", "type": 1},
}

STATION = {
    "id": "ws-1", "name": "ws-1", "password": "s3cret-pw", "state": 0,
    "parent_id": "g-acc", "parent_name": "Accounting", "parent_type": 0,
    "created_time": 1699533395, "modified_time": 1699535927, "last_seen_time": None, "last_seen_addr": None,
    "os_name": "Linux", "block_begin_time": None, "block_end_time": None,
    "description": "Laptop", "country": "de", "city": "Berlin", "street": None, "room": None, "floor": None,
    "province": None, "department": None, "organization": None, "email": None,
    "latitude": 38.898556, "longitude": -77.037852,
    "group_membership": [GROUPS["g-acc"], GROUPS["g-sales"], GROUPS["g-old"], GROUPS[LINUX], GROUPS[FREE]],
    "acl": {"priority": "allow",
            "allowed": [{"net_proto": "tcp", "net_address": "10.20.0.0", "net_mask": "255.255.0.0"}],
            "disallowed": [{"net_proto": "tcp6", "net_address": "2001:db8::", "net_mask": "32"}]},
}


def station(**changes):
    data = copy.deepcopy(STATION)
    data.update(changes)
    return data


def desired(**params):
    base = {"id": "ws-1", "state": "present", "update_password": "always", "update_write_only": "on_create",
            "purge_groups": False, "purge_acl": False}
    base.update(params)
    return st.normalise_options(base)


def resolve(want):
    """What _groups.resolve_groups returns: every reference by id or by name."""
    by_name = dict((g["name"], g) for g in GROUPS.values())
    return dict((ref, GROUPS.get(ref) or by_name[ref]) for ref in st.group_refs(want))


def plan(current=None, **params):
    want = desired(**params)
    result = st.build_plan(want, current, resolve(want))
    # One invariant for every plan: a write exactly when the diff shows a change.
    assert bool(result.params or result.followup) == result.diff.changed
    return result


# ---------------------------------------------------------------- no-op and scalars

def test_matching_options_plan_nothing():
    result = plan(station(), description="Laptop", country="DE", city="Berlin ", latitude=38.8985564,
                  longitude=-77.037852, password="s3cret-pw", acl_priority="allow",
                  acl_allow=["10.20.0.0/16"], acl_disallow=["ipv6/2001:db8::/32"],
                  groups=["Sales", "g-acc"], parent_group="Accounting", rate="Free", block_begin=0)
    assert result.action == "none" and not result.changed
    assert result.params == []
    assert result.diff.before == result.diff.after


def test_only_changed_keys_are_sent_and_only_managed_keys_shown():
    result = plan(station(), city="Munich", description="Laptop")
    assert result.action == "update"
    assert result.params == [("city", "Munich")]
    assert result.diff.as_ansible() == {"before": {"city": "Berlin", "description": "Laptop"},
                                        "after": {"city": "Munich", "description": "Laptop"}}


def test_clearing_a_text_field_sends_an_empty_value():
    result = plan(station(), city="")
    assert result.params == [("city", "")]
    assert result.station["city"] is None


def test_every_changed_field_goes_into_one_change_call_in_a_fixed_order():
    result = plan(station(), email="it@example.com", country="FR", latitude=48.8566, acl_priority="deny",
                  block_end="2026-12-31")
    assert result.params == [("country", "FR"), ("email", "it@example.com"), ("latitude", "48.8566"),
                             ("block-end", "20261231000000"), ("acl-priority", "deny")]


def test_blocking_dates_compare_with_unix_seconds_from_info():
    current = station(block_begin_time=1798675200)
    assert not plan(current, block_begin="20261231").changed
    assert not plan(current, block_begin="2026-12-31T00:00:00Z").changed
    result = plan(current, block_begin="never")
    assert result.params == [("block-begin", "0")]
    assert result.diff.changes["block_begin"]["after"] == 0
    assert result.diff.after["block_begin"] is None
    assert result.diff.before["block_begin"] == "2026-12-31T00:00:00Z"


def test_name_cannot_be_changed_so_a_difference_is_a_warning():
    result = plan(station(), name="laptop-42")
    assert not result.changed
    assert result.warnings == ["Station ws-1 is named 'ws-1'; the Web API cannot rename a station, "
                               "so name 'laptop-42' was not applied."]
    assert plan(station(), name="ws-1").warnings == []


# ---------------------------------------------------------------- password

def test_same_password_is_no_change_and_masked():
    result = plan(station(), password="s3cret-pw")
    assert not result.changed
    assert result.diff.before["password"] == result.diff.after["password"] == "********"


def test_new_password_is_sent_and_the_diff_says_only_that_it_changes():
    result = plan(station(), password="n3w-pw")
    assert result.params == [("password", "n3w-pw")]
    assert result.diff.as_ansible() == {"before": {"password": "********"}, "after": {"password": "******** (changed)"}}
    assert "n3w-pw" not in json.dumps(result.diff.as_ansible()) + json.dumps(result.station)


def test_update_password_on_create_leaves_an_existing_station_alone():
    result = plan(station(), password="n3w-pw", update_password="on_create")
    assert not result.changed
    assert "password" not in result.diff.after


def test_update_password_on_create_still_sets_it_on_create():
    result = plan(None, password="n3w-pw", update_password="on_create")
    assert ("password", "n3w-pw") in result.params


def test_the_servers_clear_text_password_never_reaches_the_result():
    result = plan(station(), city="Munich")
    assert result.station["password"] == "********"
    assert "s3cret-pw" not in json.dumps(result.station) + json.dumps(result.diff.as_ansible())


# ---------------------------------------------------------------- write-only fields

def test_write_only_fields_are_not_sent_to_an_existing_station_by_default():
    result = plan(station(), expires="2027-01-01", user_id="u-7")
    assert not result.changed
    assert "expires" not in result.station and "user_id" not in result.station


def test_write_only_fields_with_always_are_sent_every_time_and_shown_as_unknown_before():
    result = plan(station(), expires="2027-01-01", user_id="u-7", update_write_only="always")
    assert result.params == [("user-id", "u-7"), ("expires", "20270101000000")]
    assert result.diff.before == {"expires": st.WRITE_ONLY_UNKNOWN, "user_id": st.WRITE_ONLY_UNKNOWN}
    assert result.diff.after == {"expires": "2027-01-01T00:00:00Z", "user_id": "u-7"}
    assert result.station["expires"] == "2027-01-01T00:00:00Z"


def test_expires_never_is_sent_as_zero():
    result = plan(None, expires="never")
    assert ("expires", "0") in result.params


# ---------------------------------------------------------------- ACL

def test_acl_entries_compare_in_canonical_form():
    assert not plan(station(), acl_allow=["10.20.0.0/255.255.0.0", "tcp/10.20.0.0/16"]).changed


def test_acl_add_only_keeps_other_entries():
    result = plan(station(), acl_allow=["10.0.0.1"])
    assert result.params == [("add-acl-allow", "10.0.0.1/32")]
    assert result.station["acl_allow"] == ["10.0.0.1/32", "10.20.0.0/16"]


def test_acl_purge_deletes_with_the_mask_the_server_reported():
    result = plan(station(), acl_allow=["10.0.0.1"], acl_disallow=[], purge_acl=True)
    assert result.params == [("add-acl-allow", "10.0.0.1/32"), ("delete-acl-allow", "10.20.0.0/255.255.0.0"),
                             ("delete-acl-disallow", "2001:db8::/32")]
    assert result.diff.after == {"acl_allow": ["10.0.0.1/32"], "acl_disallow": []}
    assert result.station["acl_disallow"] == []


def test_purge_acl_touches_only_the_lists_the_user_set():
    result = plan(station(), acl_allow=["10.20.0.0/16"], purge_acl=True)
    assert not result.changed
    assert result.station["acl_disallow"] == ["2001:db8::/32"]


# ---------------------------------------------------------------- groups: set semantics and purge

def test_groups_already_members_by_id_or_name_are_no_change():
    assert not plan(station(), groups=["Sales", "g-old", "Accounting"]).changed


def test_groups_add_only():
    result = plan(station(), groups=["New", "Sales"])
    assert result.params == [("add-group", "g-new")]
    change = result.diff.changes["groups"]
    assert change["add"] == ["g-new"] and change["remove"] == []


def test_groups_are_shown_by_name_and_id_sorted():
    result = plan(station(), groups=["New"])
    assert result.diff.after["groups"] == ["Accounting (g-acc)", "Dr.Web Free (%s)" % FREE, "Linux (%s)" % LINUX,
                                           "New (g-new)", "Old (g-old)", "Sales (g-sales)"]


def test_purge_removes_only_plain_user_groups_not_listed():
    result = plan(station(), groups=["Sales"], purge_groups=True)
    # Kept: the primary (Accounting), the system group (Linux) and the tariff (Free).
    assert result.params == [("delete-group", "g-old")]
    assert result.station["groups"] == sorted([FREE, "g-acc", "g-sales", LINUX])


def test_purge_to_an_empty_list_never_sends_delete_group_for_the_primary():
    result = plan(station(), groups=[], purge_groups=True)
    assert result.params == [("delete-group", "g-old"), ("delete-group", "g-sales")]


def test_purge_without_groups_option_does_nothing():
    assert not plan(station(), purge_groups=True, city="Berlin").changed


def test_unknown_group_types_are_never_purged():
    current = station(group_membership=[GROUPS["g-acc"], {"id": "g-x", "name": "X", "type": None}])
    assert not plan(current, groups=[], purge_groups=True).changed


def test_adding_a_system_group_fails_before_any_write():
    with pytest.raises(st.StationOptionError) as exc:
        st.build_plan(desired(groups=["Online"]), station(), {"Online": {"id": "g-online", "name": "Online", "type": 2}})
    assert "groups entry 'Online (g-online)' is a system group" in str(exc.value)


def test_system_groups_the_station_is_already_in_are_fine():
    assert not plan(station(), groups=["Linux"]).changed


def test_everyone_is_implicit():
    assert not plan(station(), groups=["Everyone"]).changed
    result = plan(station(), groups=["Everyone"], purge_groups=True)
    assert EVERYONE not in result.station["groups"]


# ---------------------------------------------------------------- primary group rules of stations/change.ds

def test_switching_primary_keeps_the_old_one_as_member_without_purge():
    result = plan(station(), parent_group="Sales")
    assert result.params == [("parent-group", "g-sales")]
    assert "g-acc" in result.station["groups"]
    assert result.station["parent_group"] == "g-sales" and result.station["parent_name"] == "Sales"


def test_switching_primary_with_purge_deletes_the_old_primary_in_the_same_request():
    result = plan(station(), parent_group="Sales", groups=["Sales"], purge_groups=True)
    assert result.params == [("parent-group", "g-sales"), ("delete-group", "g-acc"), ("delete-group", "g-old")]
    assert "g-acc" not in result.station["groups"]


def test_switching_primary_with_purge_keeps_the_old_primary_when_listed():
    result = plan(station(), parent_group="Sales", groups=["Accounting", "Sales"], purge_groups=True)
    assert result.params == [("parent-group", "g-sales"), ("delete-group", "g-old")]
    assert "g-acc" in result.station["groups"]


def test_new_primary_needs_no_add_group():
    result = plan(station(), parent_group="New", groups=["New"])
    assert result.params == [("parent-group", "g-new")]
    assert "g-new" in result.station["groups"]


def test_from_everyone_to_a_group_and_back():
    current = station(parent_id=EVERYONE, parent_name="Everyone", parent_type=1,
                      group_membership=[GROUPS["g-sales"], GROUPS[LINUX]])
    result = plan(current, parent_group="Accounting")
    assert result.params == [("parent-group", "g-acc")]
    assert result.station["groups"] == sorted(["g-acc", "g-sales", LINUX])
    back = plan(station(), parent_group=EVERYONE, groups=["Sales"], purge_groups=True)
    assert back.params == [("parent-group", EVERYONE), ("delete-group", "g-acc"), ("delete-group", "g-old")]
    assert back.station["groups"] == sorted([FREE, "g-sales", LINUX])


def test_primary_group_cannot_be_a_system_group():
    with pytest.raises(st.StationOptionError) as exc:
        st.build_plan(desired(parent_group="Linux"), station(), {"Linux": GROUPS[LINUX]})
    assert "cannot be a station's primary group" in str(exc.value)


# ---------------------------------------------------------------- tariff

def test_tariff_in_membership_is_current():
    assert not plan(station(), rate="free").changed
    assert not plan(station(), rate=FREE).changed


def test_tariff_switch_replaces_the_old_tariff():
    result = plan(station(), rate="Premium")
    assert result.params == [("rate", PREMIUM)]
    assert result.diff.changes["rate"] == {"before": FREE, "after": PREMIUM}
    assert FREE not in result.station["groups"] and PREMIUM in result.station["groups"]
    assert result.station["rate"] == PREMIUM


def test_purge_keeps_the_tariff_being_set():
    result = plan(station(), rate="Premium", groups=["Sales"], purge_groups=True)
    assert result.params == [("rate", PREMIUM), ("delete-group", "g-old")]


def test_membership_not_read_means_groups_unknown_in_the_result():
    current = station()
    del current["group_membership"]
    result = plan(current, city="Munich")
    assert result.station["groups"] is None and result.station["group_membership"] is None
    assert result.station["parent_group"] == "g-acc"


# ---------------------------------------------------------------- create

def test_create_sends_one_add_with_everything():
    result = plan(None, name="Laptop 42", password="pw", description="Accounting laptop", country="de",
                  city="Berlin", latitude=52.52, parent_group="Accounting", groups=["Sales", "Accounting"],
                  acl_priority="deny", acl_allow=["10.20.0.0/255.255.0.0"], acl_disallow=["2001:db8::1"],
                  block_begin="2026-12-31", expires="2027-12-31", rate="free", user_id="u-1")
    assert result.action == "create"
    assert result.followup == []
    assert result.params == [
        ("id", "ws-1"), ("name", "Laptop 42"), ("password", "pw"), ("description", "Accounting laptop"),
        ("country", "DE"), ("city", "Berlin"), ("latitude", "52.52"), ("user-id", "u-1"),
        ("block-begin", "20261231000000"), ("expires", "20271231000000"), ("rate", FREE),
        ("parent-group", "g-acc"), ("acl-priority", "deny"), ("acl-allow", "10.20.0.0/16"),
        ("acl-disallow", "2001:db8::1/128"), ("group", "g-sales"),
    ]
    ansible_diff = result.diff.as_ansible(exists=False)
    assert ansible_diff["before"] == {}
    assert ansible_diff["after"]["id"] == "ws-1" and ansible_diff["after"]["name"] == "Laptop 42"
    assert ansible_diff["after"]["password"] == "******** (changed)"
    end = result.station
    assert end["name"] == "Laptop 42" and end["country"] == "DE" and end["parent_group"] == "g-acc"
    assert end["groups"] == sorted([FREE, "g-acc", "g-sales"])
    assert end["acl_priority"] == "deny" and end["acl_allow"] == ["10.20.0.0/16"]
    assert end["expires"] == "2027-12-31T00:00:00Z" and end["user_id"] == "u-1"


def test_minimal_create_names_the_station_after_its_id():
    result = plan(None)
    assert result.params == [("id", "ws-1")]
    assert result.diff.as_ansible(exists=False) == {"before": {}, "after": {"id": "ws-1"}}
    assert result.station["name"] == "ws-1"
    assert result.station["parent_group"] == EVERYONE and result.station["groups"] == []
    assert result.station["acl_priority"] == "allow"


def test_create_empty_fields_are_not_sent():
    result = plan(None, city="", latitude=0)
    assert result.params == [("id", "ws-1")]


def test_create_everything_fits_into_add():
    # Every parameter the plan can produce on create is an add.ds parameter, so no follow-up.
    result = plan(None, password="pw", groups=["New"], acl_allow=["fileserver"], rate="free", user_id="u",
                  block_end="2027-01-01", expires="never")
    assert result.followup == []
    assert all(name in ADD_PARAMS for name, _value in result.params)
    assert ("acl-allow", "tcp/fileserver/32") in result.params


def test_a_create_sends_what_add_cannot_carry_in_one_follow_up_change(monkeypatch):
    # A server whose add.ds took neither acl-allow nor city: both come right after, scalars first.
    monkeypatch.setattr(st._station_fields, "FIELDS", tuple(
        field._replace(add=None) if field.option in ("city", "acl_allow") else field for field in st._station_fields.FIELDS))
    result = plan(None, city="Berlin", acl_allow=["10.0.0.1"], room="2.14")
    assert result.params == [("id", "ws-1"), ("room", "2.14")]
    assert result.followup == [("city", "Berlin"), ("add-acl-allow", "10.0.0.1/32")]
