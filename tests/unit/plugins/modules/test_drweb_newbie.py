# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest


from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebTaskError  # noqa: E402
from ansible_collections.drweb.esuite.plugins.module_utils._newbies import WORDING  # noqa: E402
from ansible_collections.drweb.esuite.plugins.modules import drweb_newbie as mod  # noqa: E402
from ansible_collections.drweb.esuite.tests.unit.plugins.modules.drweb_harness import (  # noqa: E402
    FakeClient,
    run_module,
)

OFFICE = {"id": "g-office", "name": "Office", "type": 0, "child_groups": 0}
TASK_OK = {"id": "newbies", "status": "success", "message": None}


def client_for(state, **answers):
    answers.setdefault("run_task", TASK_OK)
    return FakeClient([OFFICE], station_state=lambda ids: dict((i, state) for i in ids), **answers)


def test_approve_resolves_the_group_reads_the_state_then_sends_one_job(monkeypatch):
    client = client_for("newbies")
    result = run_module(monkeypatch, mod, {"id": "ws-1", "action": "approve", "group": "g-office"}, client)
    assert not result.get("failed")
    assert client.names() == ["group_info", "station_state", "run_task"]
    assert client.writes() == [("run_task", ("newbies",), {
        "context": "approving newbie station ws-1 into group Office",
        "action": "approve", "id": "ws-1", "group": "g-office"})]
    assert result == {"changed": True, "msg": "station ws-1 approved into group Office", "id": "ws-1",
                      "action": "approve", "state": "newbies", "group": {"id": "g-office", "name": "Office"},
                      "task": TASK_OK}


def test_approve_by_group_name_sends_the_groups_id(monkeypatch):
    client = client_for("newbies")
    run_module(monkeypatch, mod, {"id": "ws-1", "action": "approve", "group": "Office"}, client)
    assert client.writes()[0][2]["group"] == "g-office"


def test_check_mode_predicts_without_sending(monkeypatch):
    client = client_for("newbies")
    result = run_module(monkeypatch, mod, {"id": "ws-1", "action": "approve", "group": "Office"}, client, check_mode=True)
    assert result["changed"] is True
    assert result["msg"] == "station ws-1 would be approved into group Office"
    assert result["task"] is None
    assert client.writes() == []


@pytest.mark.parametrize("action, msg", [
    ("reject", "station ws-1 rejected"),
    ("cancelonconnect", "queued action of station ws-1 cancelled"),
])
def test_other_actions_on_a_waiting_station_send_no_group(monkeypatch, action, msg):
    client = client_for("newbies")
    result = run_module(monkeypatch, mod, {"id": "ws-1", "action": action}, client)
    assert (result["changed"], result["msg"]) == (True, msg)
    assert client.names() == ["station_state", "run_task"]
    assert client.writes()[0][2] == {"context": WORDING[action][0] % {"id": "ws-1", "group": None},
                                     "action": action, "id": "ws-1"}


@pytest.mark.parametrize("action", ["approve", "reject", "cancelonconnect"])
def test_a_station_that_no_longer_waits_is_left_alone(monkeypatch, action):
    client = client_for("online")
    args = {"id": "ws-1", "action": action}
    if action == "approve":
        args["group"] = "Office"
    result = run_module(monkeypatch, mod, args, client)
    assert result["changed"] is False and not result.get("failed")
    assert result["msg"] == "station ws-1 is not waiting for approval (state: online)"
    assert result["state"] == "online"
    assert client.writes() == []


@pytest.mark.parametrize("state, action", [("not found", "reject"), ("not found", "cancelonconnect"), ("deleted", "approve")])
def test_a_station_that_does_not_exist_fails(monkeypatch, state, action):
    client = client_for(state)
    args = {"id": "ws-9", "action": action}
    if action == "approve":
        args["group"] = "Office"
    result = run_module(monkeypatch, mod, args, client)
    assert result["failed"] and result["msg"] == "Station ws-9 does not exist."
    assert client.writes() == []


def test_rejecting_again_after_the_server_deleted_the_station_is_ok(monkeypatch):
    client = client_for("deleted")
    result = run_module(monkeypatch, mod, {"id": "ws-1", "action": "reject"}, client)
    assert result["changed"] is False and not result.get("failed")
    assert result["msg"] == "station ws-1 is not waiting for approval (state: deleted)"
    assert client.writes() == []


def test_state_answer_without_the_station_counts_as_absent(monkeypatch):
    client = FakeClient([OFFICE], station_state={})
    result = run_module(monkeypatch, mod, {"id": "ws-9", "action": "reject"}, client)
    assert result["msg"] == "Station ws-9 does not exist."


def test_unknown_group_fails_before_the_station_is_touched(monkeypatch):
    client = client_for("newbies")
    result = run_module(monkeypatch, mod, {"id": "ws-1", "action": "approve", "group": "Nowhere"}, client)
    assert result["failed"] and result["msg"] == "Group 'Nowhere' does not exist on the server."
    assert "station_state" not in client.names() and client.writes() == []


def test_a_failed_job_fails_the_task_with_the_servers_message(monkeypatch):
    error = DrWebTaskError('Approving newbie station ws-1 into group Office failed: the server answered "Group is not found".',
                           obj="ws-1", task_id="newbies", server_message="Group is not found")
    client = client_for("newbies", run_task=error)
    result = run_module(monkeypatch, mod, {"id": "ws-1", "action": "approve", "group": "Office"}, client)
    assert result["failed"]
    assert result["msg"] == error.message
    assert (result["task_id"], result["server_message"]) == ("newbies", "Group is not found")
    assert result.get("changed") is not True


@pytest.mark.parametrize("args, msg", [
    ({"id": "ws-1", "action": "approve"}, "action is approve but all of the following are missing: group"),
    ({"id": "ws-1", "action": "approve", "group": " "}, "The group option must name a group when action is approve."),
    ({"id": "ws-1", "action": "reject", "group": "Office"},
     "The group option only applies to action=approve; the server ignores it for reject."),
    ({"id": "  ", "action": "reject"}, "The id option must name a station."),
])
def test_bad_input_fails_before_any_request(monkeypatch, args, msg):
    client = client_for("newbies")
    result = run_module(monkeypatch, mod, args, client)
    assert result["failed"] and result["msg"] == msg
    assert client.calls == []
