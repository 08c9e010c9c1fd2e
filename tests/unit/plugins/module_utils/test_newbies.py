# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebError, DrWebNotFoundError
from ansible_collections.drweb.esuite.plugins.module_utils import _newbies

STATUS_CHILDREN = [
    {"id": "st-online", "name": "Online", "type": 2},
    {"id": "st-offline", "name": "Offline", "type": 3},
    {"id": "nb-real-1", "name": "Newbies", "type": 10},
]


class TestFindNewbiesGroup:
    def test_finds_by_name_case_insensitive(self):
        groups = [{"id": "a", "name": "Online", "type": 2}, {"id": "n", "name": " NEWBIES ", "type": 10}]
        assert _newbies.find_newbies_group(groups)["id"] == "n"

    def test_does_not_rely_on_a_fixed_id(self):
        assert _newbies.find_newbies_group(STATUS_CHILDREN)["id"] == "nb-real-1"

    def test_system_group_wins_over_user_group_of_the_same_name(self):
        groups = [{"id": "user", "name": "newbies", "type": 0}, {"id": "sys", "name": "Newbies", "type": 10}]
        assert _newbies.find_newbies_group(groups)["id"] == "sys"

    def test_missing_subgroup_names_what_exists(self):
        with pytest.raises(DrWebNotFoundError) as exc:
            _newbies.find_newbies_group(STATUS_CHILDREN[:2])
        assert "has no subgroup named Newbies" in str(exc.value)
        assert "Offline, Online" in str(exc.value)

    def test_two_system_groups_are_ambiguous(self):
        groups = [{"id": "x", "name": "Newbies", "type": 10}, {"id": "y", "name": "newbies", "type": 10}]
        with pytest.raises(DrWebError) as exc:
            _newbies.find_newbies_group(groups)
        assert "2 subgroups named Newbies (x, y)" in str(exc.value)


def test_chunks_split_at_size():
    assert list(_newbies.chunks(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(_newbies.chunks([], 2)) == []
    with pytest.raises(ValueError):
        list(_newbies.chunks([1], 0))


def test_merge_keeps_listing_order_and_prefers_known_details():
    listed = [
        {"id": "b", "name": "B", "login_addr": "10.0.0.2", "state": 2},
        {"id": "a", "name": "A", "login_addr": "10.0.0.1", "state": 2},
    ]
    details = [
        {"id": "a", "name": "A", "address": "tcp://10.0.0.1:2193", "state": 0, "created_time": None},
        {"id": "b", "name": "B", "address": None, "state": 0, "server": "srv"},
    ]
    merged = _newbies.merge_newbie_details(listed, details)
    assert [m["id"] for m in merged] == ["b", "a"]
    assert merged[1]["address"] == "tcp://10.0.0.1:2193"
    assert merged[1]["state"] == 0
    # None in the details does not wipe a listing value but still adds the key.
    assert merged[1]["created_time"] is None
    assert merged[0]["login_addr"] == "10.0.0.2"
    assert merged[0]["server"] == "srv"


def test_merge_keeps_a_station_that_lost_its_details():
    merged = _newbies.merge_newbie_details([{"id": "gone", "name": "G"}], [])
    assert merged == [{"id": "gone", "name": "G"}]


class FakeClient:
    def __init__(self, ids):
        self.ids = ids
        self.calls = []

    def group_list(self, parent=None):
        self.calls.append(("group_list", parent))
        return STATUS_CHILDREN

    def group_stations(self, group_id, subgroups=False, show_blocked=True, station_type=False, limit=None):
        self.calls.append(("group_stations", group_id, show_blocked, station_type, limit))
        ids = self.ids[:limit] if limit else self.ids
        return {"total": len(self.ids), "stations": [{"id": i, "name": i.upper()} for i in ids],
                "pages": {"total": 1, "current": 1, "objects_per_page": 1000}}

    def newbies_info(self, ids):
        self.calls.append(("newbies_info", list(ids)))
        return [{"id": i, "address": "tcp://" + i} for i in ids]


class TestListNewbies:
    def test_reads_status_children_then_the_group_then_details_in_chunks(self):
        client = FakeClient(["n%d" % i for i in range(5)])
        group, listing = _newbies.list_newbies(client, chunk_size=2)
        assert group["id"] == "nb-real-1"
        assert client.calls[0] == ("group_list", _newbies.STATUS_GROUP_ID)
        assert client.calls[1] == ("group_stations", "nb-real-1", True, False, None)
        assert [c[1] for c in client.calls[2:]] == [["n0", "n1"], ["n2", "n3"], ["n4"]]
        assert listing["total"] == 5
        assert listing["stations"][4] == {"id": "n4", "name": "N4", "address": "tcp://n4"}

    def test_no_newbies_means_no_details_request(self):
        client = FakeClient([])
        _group, listing = _newbies.list_newbies(client)
        assert listing["stations"] == []
        assert [c[0] for c in client.calls] == ["group_list", "group_stations"]

    def test_limit_is_passed_to_the_listing(self):
        client = FakeClient(["a", "b", "c"])
        _group, listing = _newbies.list_newbies(client, limit=2, station_type=True, show_blocked=False)
        assert client.calls[1] == ("group_stations", "nb-real-1", False, True, 2)
        assert [s["id"] for s in listing["stations"]] == ["a", "b"]


class TestPlanNewbieAction:
    @pytest.mark.parametrize("action", _newbies.ACTIONS)
    def test_waiting_station_gets_the_action(self, action):
        assert _newbies.plan_newbie_action("ws1", "newbies", action) == (True, None)

    @pytest.mark.parametrize("action", ["approve", "reject", "cancelonconnect"])
    @pytest.mark.parametrize("state", ["online", "offline", "unactivated"])
    def test_station_no_longer_waiting_is_left_alone(self, action, state):
        send, msg = _newbies.plan_newbie_action("ws1", state, action)
        assert send is False
        assert msg == "station ws1 is not waiting for approval (state: %s)" % state

    @pytest.mark.parametrize("action", _newbies.ACTIONS)
    @pytest.mark.parametrize("state", ["not found", None])
    def test_unknown_station_fails(self, state, action):
        with pytest.raises(DrWebNotFoundError) as exc:
            _newbies.plan_newbie_action("ws9", state, action)
        assert str(exc.value) == "Station ws9 does not exist."

    @pytest.mark.parametrize("action", ["approve", "cancelonconnect"])
    def test_deleted_station_cannot_be_approved_or_cancelled(self, action):
        with pytest.raises(DrWebNotFoundError) as exc:
            _newbies.plan_newbie_action("ws9", "deleted", action)
        assert str(exc.value) == "Station ws9 does not exist."

    def test_rejecting_a_deleted_station_is_already_done(self):
        # A rejected newbie may end up deleted; the second run of a reject must not fail.
        assert _newbies.plan_newbie_action("ws9", "deleted", "reject") == (
            False, "station ws9 is not waiting for approval (state: deleted)")

    def test_state_spelling_is_not_significant(self):
        assert _newbies.plan_newbie_action("ws1", " Newbies ", "approve") == (True, None)
        with pytest.raises(DrWebNotFoundError):
            _newbies.plan_newbie_action("ws1", "Not Found", "approve")

    def test_unknown_action_is_a_programming_error(self):
        with pytest.raises(ValueError):
            _newbies.plan_newbie_action("ws1", "newbies", "promote")
