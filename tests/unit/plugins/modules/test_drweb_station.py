# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""drweb_station driven through main(): requests made, writes sent, what is returned."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json

import pytest


from ansible_collections.drweb.esuite.plugins.module_utils import _station_fields as station_fields  # noqa: E402
from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebApiError, DrWebTransportError  # noqa: E402
from ansible_collections.drweb.esuite.plugins.modules import drweb_station as mod  # noqa: E402
from ansible_collections.drweb.esuite.tests.unit.plugins.modules.drweb_harness import (  # noqa: E402
    CONNECTION,
    FAILURE_IDS,
    FakeClient,
    failure_cases,
    run_module,
)

ACC = {"id": "g-acc", "name": "Accounting", "type": 0, "child_groups": 1, "parent_id": None}
SALES = {"id": "g-sales", "name": "Sales", "type": 0, "child_groups": 0, "parent_id": None}
LAPTOPS = {"id": "g-lap", "name": "Laptops", "type": 0, "child_groups": 0, "parent_id": "g-acc"}
DUP_A = {"id": "g-dup-a", "name": "Dup", "type": 0, "child_groups": 0, "parent_id": None}
DUP_B = {"id": "g-dup-b", "name": "Dup", "type": 0, "child_groups": 0, "parent_id": "g-acc"}
TREE = [ACC, SALES, LAPTOPS]

STATION = {
    "id": "ws-1", "name": "ws-1", "password": "agent-pw-1", "state": 0,
    "parent_id": "g-acc", "parent_name": "Accounting", "parent_type": 0,
    "created_time": 1, "modified_time": 2, "last_seen_time": None, "last_seen_addr": None, "os_name": "Linux",
    "block_begin_time": None, "block_end_time": None, "description": None, "country": "DE", "city": "Berlin",
    "street": None, "room": None, "floor": None, "province": None, "department": None, "organization": None,
    "email": None, "latitude": 0.0, "longitude": 0.0,
    "acl": {"priority": "allow", "allowed": [{"net_proto": "tcp", "net_address": "10.20.0.0", "net_mask": "255.255.0.0"}],
            "disallowed": []},
}
MEMBERSHIP = [{"id": "g-acc", "name": "Accounting", "type": 0}, {"id": "g-sales", "name": "Sales", "type": 0}]


def existing(with_groups=False, **changes):
    data = copy.deepcopy(STATION)
    if with_groups:
        data["group_membership"] = copy.deepcopy(MEMBERSHIP)
    data.update(changes)
    return data


class StationClient(FakeClient):
    """FakeClient plus the station writes; ``reads`` are the successive find_station answers."""

    def __init__(self, reads, groups=tuple(TREE), **answers):
        self.reads = list(reads)
        answers.setdefault("station_change", "ws-1")
        answers.setdefault("station_add", "ws-1")
        answers.setdefault("station_delete", ["ws-1"])
        super(StationClient, self).__init__(groups, **answers)

    def find_station(self, station_id, include=()):
        self.calls.append(("find_station", (station_id,), {"include": tuple(include)}))
        self.request_count += 1
        answer = self.reads.pop(0) if len(self.reads) > 1 else self.reads[0]
        return copy.deepcopy(answer)

    def station_add(self, params):
        return self._answer("station_add", list(params))

    def station_change(self, station_id, params):
        return self._answer("station_change", station_id, list(params))

    def station_delete(self, ids):
        return self._answer("station_delete", list(ids))


def run(monkeypatch, client, check_mode=False, **args):
    args.setdefault("id", "ws-1")
    return run_module(monkeypatch, mod, args, client, check_mode=check_mode)


def maybe_applied():
    return DrWebTransportError("Changing station ws-1 failed: the connection to the Dr.Web server at drweb.test was lost "
                               "during stations/change.ds (reset); the request was sent, so the change may or may not "
                               "have been applied.", maybe_applied=True)


# ---------------------------------------------------------------- no change: exactly one read

def test_up_to_date_station_costs_one_read_and_no_write(monkeypatch):
    client = StationClient([existing(with_groups=True)])
    result = run(monkeypatch, client, city="Berlin", country="de", groups=["Sales", "g-acc"], parent_group="Accounting",
                 acl_allow=["10.20.0.0/16"], password="agent-pw-1")
    assert not result.get("failed"), result
    assert result["changed"] is False
    assert result["msg"] == "station ws-1 already up to date"
    assert client.names() == ["find_station"]
    assert client.calls[0][2] == {"include": ("group_membership",)}
    assert result["diff"]["before"] == result["diff"]["after"]


def test_read_asks_for_no_include_flags_when_no_group_option_is_set(monkeypatch):
    client = StationClient([existing()])
    run(monkeypatch, client, city="Berlin")
    assert client.calls == [("find_station", ("ws-1",), {"include": ()})]


# ---------------------------------------------------------------- update

def test_update_sends_exactly_one_change_with_every_changed_field(monkeypatch):
    client = StationClient([existing(with_groups=True)])
    result = run(monkeypatch, client, city="Munich", email="it@example.com", groups=["Laptops", "Sales"],
                 acl_allow=["192.168.1.0/24"], acl_priority="deny")
    assert result["changed"] is True and result["msg"] == "station ws-1 updated"
    # "Laptops" could be an id: one groups/info.ds try, then the tree walk (root, then Accounting's children).
    assert client.names() == ["find_station", "group_info", "group_list", "group_list", "station_change"]
    assert client.writes() == [("station_change", ("ws-1", [
        ("city", "Munich"), ("email", "it@example.com"), ("acl-priority", "deny"),
        ("add-acl-allow", "192.168.1.0/24"), ("add-group", "g-lap")]), {})]
    assert result["diff"]["before"]["city"] == "Berlin" and result["diff"]["after"]["city"] == "Munich"
    assert result["diff"]["after"]["groups"] == ["Accounting (g-acc)", "Laptops (g-lap)", "Sales (g-sales)"]
    assert result["station"]["groups"] == ["g-acc", "g-lap", "g-sales"]


def test_unknown_group_ids_are_checked_in_one_info_call(monkeypatch):
    client = StationClient([existing(with_groups=True)])
    run(monkeypatch, client, groups=["g-lap", "g-sales"])
    assert client.names() == ["find_station", "group_info", "station_change"]
    assert client.calls[1][1] == (["g-lap"],)


def test_check_mode_reads_and_resolves_but_never_writes(monkeypatch):
    client = StationClient([existing(with_groups=True)])
    result = run(monkeypatch, client, check_mode=True, city="Munich", groups=["Laptops"], purge_groups=True)
    assert result["changed"] is True and result["msg"] == "station ws-1 updated"
    assert client.writes() == []
    assert result["station"]["city"] == "Munich"
    assert result["station"]["groups"] == ["g-acc", "g-lap"]
    assert result["diff"]["after"]["groups"] == ["Accounting (g-acc)", "Laptops (g-lap)"]


def test_name_difference_warns_and_changes_nothing(monkeypatch):
    client = StationClient([existing()])
    warnings = []
    monkeypatch.setattr(mod.DrWebModule, "warn", lambda self, text: warnings.append(text))
    result = run(monkeypatch, client, name="Laptop 1")
    assert result["changed"] is False and client.writes() == []
    assert warnings == ["Station ws-1 is named 'ws-1'; the Web API cannot rename a station, so name 'Laptop 1' was not applied."]


# ---------------------------------------------------------------- password

def test_password_is_never_returned(monkeypatch):
    client = StationClient([existing()])
    result = run(monkeypatch, client, password="n3w-agent-pw")
    assert client.writes()[0][1] == ("ws-1", [("password", "n3w-agent-pw")])
    text = json.dumps(result)
    assert "n3w-agent-pw" not in text and "agent-pw-1" not in text
    assert result["diff"] == {"before": {"password": "********"}, "after": {"password": "******** (changed)"},
                              "before_header": "ws-1", "after_header": "ws-1"}
    assert result["station"]["password"] == "********"


def test_update_password_on_create_does_not_touch_an_existing_station(monkeypatch):
    client = StationClient([existing()])
    result = run(monkeypatch, client, password="n3w-agent-pw", update_password="on_create")
    assert result["changed"] is False and client.writes() == []


# ---------------------------------------------------------------- create

def test_create_sends_one_add(monkeypatch):
    client = StationClient([None])
    result = run(monkeypatch, client, name="Laptop 1", password="pw-1", city="Berlin", parent_group="Accounting",
                 groups=["Laptops"], acl_allow=["10.0.0.1"], expires="2027-01-01", rate="free")
    assert result["changed"] is True and result["msg"] == "station ws-1 created"
    assert [c[0] for c in client.writes()] == ["station_add"]
    params = client.writes()[0][1][0]
    assert params[:3] == [("id", "ws-1"), ("name", "Laptop 1"), ("password", "pw-1")]
    assert ("expires", "20270101000000") in params and ("group", "g-lap") in params
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["id"] == "ws-1"
    assert result["station"]["name"] == "Laptop 1"


def test_create_sends_a_follow_up_change_only_for_what_add_cannot_carry(monkeypatch):
    # Pretend a server whose add.ds lacks "rate": it must arrive in one change.ds right after.
    monkeypatch.setattr(station_fields, "FIELDS", tuple(field._replace(add=None) if field.option == "rate" else field
                                                        for field in station_fields.FIELDS))
    client = StationClient([None])
    result = run(monkeypatch, client, city="Berlin", rate="premium")
    assert result["changed"] is True and result["msg"] == "station ws-1 created"
    assert client.writes() == [
        ("station_add", ([("id", "ws-1"), ("city", "Berlin")],), {}),
        ("station_change", ("ws-1", [("rate", "91644cc3-1dc1-42dc-a41e-5ea001f5538d")]), {}),
    ]


def test_create_in_check_mode_predicts_the_new_station(monkeypatch):
    client = StationClient([None])
    result = run(monkeypatch, client, check_mode=True, city="Berlin")
    assert result["changed"] is True and result["msg"] == "station ws-1 created"
    assert client.writes() == []
    assert result["station"]["city"] == "Berlin" and result["station"]["id"] == "ws-1"
    # As the server will report it: coordinates 0, no membership beyond Everyone, default ACL priority.
    assert result["station"]["latitude"] == 0.0 and result["station"]["groups"] == []
    assert result["station"]["acl_priority"] == "allow"


# ---------------------------------------------------------------- absent

def test_absent_deletes_an_existing_station(monkeypatch):
    client = StationClient([existing()])
    result = run(monkeypatch, client, state="absent")
    assert (result["changed"], result["msg"]) == (True, "station ws-1 deleted")
    assert client.names() == ["find_station", "station_delete"]
    assert client.calls[0][2] == {"include": ()}
    assert result["station"] == {}
    assert result["diff"] == {"before": {"id": "ws-1", "state": "present"}, "after": {"id": "ws-1", "state": "absent"},
                              "before_header": "ws-1", "after_header": "ws-1"}


def test_absent_station_already_gone(monkeypatch):
    client = StationClient([None])
    result = run(monkeypatch, client, state="absent")
    assert (result["changed"], result["msg"]) == (False, "station ws-1 already absent")
    assert client.writes() == []


def test_absent_in_check_mode_sends_nothing(monkeypatch):
    client = StationClient([existing()])
    result = run(monkeypatch, client, check_mode=True, state="absent")
    assert result["changed"] is True and client.writes() == []


# ---------------------------------------------------------------- input errors: before any request

@pytest.mark.parametrize("args, message", [
    (dict(acl_allow=["10.0.0.1/99"]), "acl_allow entry '10.0.0.1/99' is not a valid [protocol/]address[/mask]"),
    (dict(expires="31.12.2026"), "expires '31.12.2026' is not a valid date"),
    (dict(latitude=123.0), "latitude 123.0 is out of range"),
    (dict(country="Germany"), "country 'Germany' is not an ISO 3166-1 alpha-2 code"),
    (dict(password=""), "password must not be empty"),
])
def test_bad_input_fails_before_any_request(monkeypatch, args, message):
    client = StationClient([existing()])
    result = run(monkeypatch, client, **args)
    assert result["failed"] is True
    assert result["msg"].startswith(message)
    assert client.calls == []


@pytest.mark.parametrize("groups, message", [
    (["Nope"], "Group 'Nope' does not exist on the server."),
    (["Dup"], "Group name 'Dup' is ambiguous"),
])
def test_unknown_or_ambiguous_group_fails_before_any_write(monkeypatch, groups, message):
    client = StationClient([existing(with_groups=True)], groups=TREE + [DUP_A, DUP_B])
    result = run(monkeypatch, client, groups=groups, city="Munich")
    assert result["failed"] is True and result["msg"].startswith(message)
    assert client.writes() == []


def test_unknown_tariff_fails_before_any_write(monkeypatch):
    client = StationClient([existing(with_groups=True)])
    result = run(monkeypatch, client, rate="Platinum")
    assert result["failed"] is True
    assert result["msg"] == ("rate 'Platinum' is neither a basic tariff (Classic, Free, Juridical Classic, Juridical Premium, "
                             "Juridical Standard, Mobile, Premium, Premium Server, Standard) nor the id of a tariff group "
                             "on the server.")
    assert client.writes() == []


# ---------------------------------------------------------------- a write that may have landed

def test_maybe_applied_write_is_not_resent_when_the_reread_shows_it_landed(monkeypatch):
    client = StationClient([existing(), existing(city="Munich")], station_change=maybe_applied())
    result = run(monkeypatch, client, city="Munich")
    assert not result.get("failed"), result
    assert (result["changed"], result["msg"]) == (True, "station ws-1 updated")
    assert client.names() == ["find_station", "station_change", "find_station"]
    assert result["diff"]["before"]["city"] == "Berlin"


def test_maybe_applied_write_sends_only_what_is_still_missing(monkeypatch):
    answers = [maybe_applied(), "ws-1"]
    client = StationClient([existing(), existing(city="Munich")],
                           station_change=lambda sid, params: _pop(answers))
    result = run(monkeypatch, client, city="Munich", email="it@example.com")
    assert result["changed"] is True
    sent = [c[1][1] for c in client.writes()]
    assert sent == [[("city", "Munich"), ("email", "it@example.com")], [("email", "it@example.com")]]


def test_maybe_applied_create_becomes_an_update_check(monkeypatch):
    answers = [DrWebTransportError("Adding station ws-1 failed: timeout; the change may or may not have been applied.",
                                   maybe_applied=True)]
    client = StationClient([None, existing(city="Berlin")], station_add=lambda params: _pop(answers))
    result = run(monkeypatch, client, city="Berlin")
    assert (result["changed"], result["msg"]) == (True, "station ws-1 created")
    assert client.names() == ["find_station", "station_add", "find_station"]


def test_maybe_applied_write_gives_up_after_retries(monkeypatch):
    client = StationClient([existing()], station_change=maybe_applied())
    result = run(monkeypatch, client, city="Munich", retries=1)
    assert result["failed"] is True and result["maybe_applied"] is True and result["changed"] is True
    # retries=1: two read-and-write cycles, then one last read that sends nothing.
    assert client.names() == ["find_station", "station_change", "find_station", "station_change", "find_station"]


def test_last_maybe_applied_write_is_confirmed_by_one_more_read(monkeypatch):
    client = StationClient([existing(), existing(), existing(city="Munich")], station_change=maybe_applied())
    result = run(monkeypatch, client, city="Munich", retries=1)
    assert not result.get("failed"), result
    assert (result["changed"], result["msg"]) == (True, "station ws-1 updated")
    assert client.names() == ["find_station", "station_change", "find_station", "station_change", "find_station"]


def test_a_read_that_fails_after_the_client_retries_fails_at_once_without_a_write(monkeypatch):
    # The client spent the whole budget on that read: the module must not spend it again.
    lost = DrWebTransportError("Reading station ws-1 failed: HTTP 503 (4 attempts).", status=503)
    client = StationClient([existing()])

    def find_station(station_id, include=()):
        client.calls.append(("find_station", (station_id,), {"include": tuple(include)}))
        raise lost
    client.find_station = find_station
    result = run(monkeypatch, client, city="Munich", retries=2)
    assert result["failed"] is True and result["msg"] == str(lost) and "maybe_applied" not in result
    assert client.names() == ["find_station"]


def test_a_write_that_surely_failed_is_not_retried(monkeypatch):
    client = StationClient([existing()], station_change=DrWebApiError(
        "Changing station ws-1 failed: the server answered errno 1003 \"Invalid or missing parameter\".", errno=1003))
    result = run(monkeypatch, client, city="Munich")
    assert result["failed"] is True and result["errno"] == 1003
    assert client.names() == ["find_station", "station_change"]


def test_maybe_applied_delete_rereads(monkeypatch):
    client = StationClient([existing(), None], station_delete=DrWebTransportError("lost", maybe_applied=True))
    result = run(monkeypatch, client, state="absent")
    assert (result["changed"], result["msg"]) == (True, "station ws-1 deleted")
    assert client.names() == ["find_station", "station_delete", "find_station"]


def _pop(answers):
    answer = answers.pop(0)
    if isinstance(answer, Exception):
        raise answer
    return answer


@pytest.mark.parametrize("args", [dict(city="Munich"), dict(city="Berlin"), dict(state="absent")])
def test_the_diff_is_headed_by_the_station_id(monkeypatch, args):
    # Ansible prints "--- before: ws-1"; drweb_stations heads each station's diff the same way.
    result = run(monkeypatch, StationClient([existing()]), **args)
    assert (result["diff"]["before_header"], result["diff"]["after_header"]) == ("ws-1", "ws-1")


def test_api_password_is_not_in_the_result(monkeypatch):
    client = StationClient([existing()])
    result = run(monkeypatch, client, city="Munich")
    assert CONNECTION["api_password"] not in json.dumps(result)


# ---------------------------------------------------------------- action: what the task did

@pytest.mark.parametrize("reads, args, check_mode, action, changed", [
    ([None], dict(city="Berlin"), False, "created", True),
    ([existing()], dict(city="Munich"), False, "updated", True),
    ([existing()], dict(city="Berlin"), False, "unchanged", False),
    ([existing()], dict(state="absent"), False, "deleted", True),
    ([None], dict(state="absent"), False, "absent", False),
    ([None], dict(city="Berlin"), True, "created", True),
    ([existing()], dict(city="Munich"), True, "updated", True),
    ([existing()], dict(state="absent"), True, "deleted", True),
])
def test_action_tells_what_the_task_did(monkeypatch, reads, args, check_mode, action, changed):
    client = StationClient(reads)
    result = run(monkeypatch, client, check_mode=check_mode, **args)
    assert not result.get("failed"), result
    assert (result["action"], result["changed"]) == (action, changed)
    assert len(client.writes()) == (1 if changed and not check_mode else 0)


def test_action_of_a_write_that_landed_before_its_answer_was_lost(monkeypatch):
    # The re-read shows the change already there: still this task's update, not "unchanged".
    client = StationClient([existing(), existing(city="Munich")], station_change=maybe_applied())
    result = run(monkeypatch, client, city="Munich")
    assert (result["action"], result["changed"]) == ("updated", True)


# ---------------------------------------------------------------- one failure shape for every error

@pytest.mark.parametrize("error, expected", failure_cases(), ids=FAILURE_IDS)
def test_every_error_type_fails_the_task_with_its_details(monkeypatch, error, expected):
    client = StationClient([existing()], station_change=error)
    result = run(monkeypatch, client, city="Munich", retries=0)
    assert result == dict(expected, failed=True, msg=str(error))
    assert "Traceback" not in json.dumps(result)
