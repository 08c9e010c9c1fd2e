# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest


from ansible_collections.drweb.esuite.plugins.module_utils import _repo  # noqa: E402
from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebTaskError  # noqa: E402
from ansible_collections.drweb.esuite.plugins.modules import drweb_repo_update as mod  # noqa: E402
from ansible_collections.drweb.esuite.tests.unit.plugins.modules.drweb_harness import (  # noqa: E402
    FakeClient,
    run_module,
)

TASK_OK = {"id": "update_repositories", "status": "success", "message": None}
GOOD = {"code": "10-drwbases", "name": "Dr.Web Virus Bases", "revision": "13020240101120000",
        "modified_time": 1704110400, "size": 10, "files": 2, "last_update_endtime": 1704110460,
        "last_update_src": "Launched from the Control Center", "last_update_rc": "Update completed successfully",
        "last_update_rc_code": 2}
BAD = dict(GOOD, code="20-drwagent", name="Dr.Web Agent", last_update_rc_code=106,
           last_update_rc="Requested product not found on GUS servers")


class FakeTime(object):
    """Virtual clock: sleeping advances it, nothing really waits."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = FakeTime()
    monkeypatch.setattr(_repo, "time", fake)
    return fake


def client_for(statuses, products=(GOOD,), **answers):
    answers.setdefault("run_task", TASK_OK)
    return FakeClient(repository_status=list(statuses), repository_products=list(products), **answers)


def test_starts_an_update_when_ready(monkeypatch):
    client = client_for(["ready"])
    result = run_module(monkeypatch, mod, {}, client)
    assert result == {"changed": True, "started": True, "status": "ready", "waited": 0.0, "msg": "repository update started"}
    assert client.writes() == [("run_task", ("update_repositories",), {"context": "starting the repository update"})]


def test_a_running_update_is_not_started_again(monkeypatch):
    client = client_for(["updating"])
    result = run_module(monkeypatch, mod, {}, client)
    assert (result["changed"], result["started"], result["msg"]) == (False, False, "repository update already running")
    assert client.writes() == []


def test_force_starts_even_when_running(monkeypatch):
    client = client_for(["updating"])
    result = run_module(monkeypatch, mod, {"force": True}, client)
    assert result["changed"] is True and len(client.writes()) == 1


@pytest.mark.parametrize("status, changed, msg", [
    ("ready", True, "repository update would be started"),
    ("updating", False, "repository update already running"),
])
def test_check_mode_predicts_without_starting_or_waiting(monkeypatch, clock, status, changed, msg):
    client = client_for([status])
    result = run_module(monkeypatch, mod, {"wait": True}, client, check_mode=True)
    assert (result["changed"], result["msg"]) == (changed, msg)
    assert "repositories" not in result
    assert client.names() == ["repository_status"]
    assert clock.sleeps == []


def test_wait_polls_until_ready_then_reads_the_products(monkeypatch, clock):
    client = client_for(["ready", "updating", "updating", "ready"])
    result = run_module(monkeypatch, mod, {"wait": True, "poll_interval": 3}, client)
    assert not result.get("failed")
    assert client.names() == ["repository_status", "run_task", "repository_status", "repository_status",
                              "repository_status", "repository_products"]
    assert clock.sleeps == [3, 3]
    assert (result["changed"], result["status"], result["waited"]) == (True, "ready", 6.0)
    assert result["repositories"] == [GOOD] and result["failed_products"] == []
    assert result["msg"] == "repository update finished"


def test_wait_also_waits_for_an_update_already_running(monkeypatch, clock):
    client = client_for(["updating", "updating", "ready"])
    result = run_module(monkeypatch, mod, {"wait": True, "poll_interval": 1}, client)
    assert (result["changed"], result["started"]) == (False, False)
    assert result["msg"] == "repository update that was already running finished"
    assert client.writes() == []


def test_wait_timeout_fails_with_the_status(monkeypatch, clock):
    client = client_for(["ready", "updating"])
    result = run_module(monkeypatch, mod, {"wait": True, "wait_timeout": 5, "poll_interval": 2}, client)
    assert result["failed"]
    assert result["msg"] == "repository update did not finish within 5 seconds (status still updating)"
    assert result["changed"] is True and result["status"] == "updating"
    assert clock.sleeps == [2, 2, 1]


def test_a_failed_product_fails_the_task(monkeypatch, clock):
    client = client_for(["ready", "ready"], products=[GOOD, BAD])
    result = run_module(monkeypatch, mod, {"wait": True}, client)
    assert result["failed"]
    assert result["msg"] == ("repository update finished with errors: "
                             "20-drwagent (106 Requested product not found on GUS servers)")
    assert result["failed_products"] == [BAD] and result["repositories"] == [GOOD, BAD]


def test_a_failed_product_is_only_reported_on_request(monkeypatch, clock):
    client = client_for(["ready", "ready"], products=[GOOD, BAD])
    result = run_module(monkeypatch, mod, {"wait": True, "fail_on_product_error": False}, client)
    assert not result.get("failed")
    assert result["failed_products"] == [BAD]
    assert result["msg"].startswith("repository update finished with errors: 20-drwagent")


def test_a_failed_job_fails_the_task(monkeypatch):
    error = DrWebTaskError('Starting the repository update failed: the server answered "Not enough privileges to perform the operation".',
                           task_id="update_repositories", server_message="Not enough privileges to perform the operation")
    client = client_for(["ready"], run_task=error)
    result = run_module(monkeypatch, mod, {}, client)
    assert result["failed"] and result["msg"] == error.message
    assert result["server_message"] == "Not enough privileges to perform the operation"


@pytest.mark.parametrize("args, msg", [
    ({"wait_timeout": -1}, "The wait_timeout option must be 0 or more seconds, got -1."),
    ({"poll_interval": 0}, "The poll_interval option must be 1 second or more, got 0."),
])
def test_bad_timing_options_fail_before_any_request(monkeypatch, args, msg):
    client = client_for(["ready"])
    result = run_module(monkeypatch, mod, args, client)
    assert result == {"failed": True, "msg": msg}
    assert client.calls == []
