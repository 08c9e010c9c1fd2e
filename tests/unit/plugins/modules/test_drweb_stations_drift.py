# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""drweb_stations' drift options (scope, unlisted, unlisted_max, planned_groups) through main()."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebApiError
from ansible_collections.drweb.esuite.tests.unit.plugins.modules.test_drweb_stations import (
    ACC,
    LAPTOPS,
    SALES,
    FleetClient,
    run,
    station,
)

SCOPE_TREE = (ACC, SALES, LAPTOPS)
# Accounting holds ws-a1 (listed) and the unlisted ws-x1, ws-x2; its child Laptops holds ws-x3; Sales ws-s1.
MEMBERS = {"g-acc": ["ws-a1", "ws-x1", "ws-x2"], "g-lap": ["ws-x3", "ws-x1"], "g-sales": ["ws-s1"]}


class ScopeClient(FleetClient):
    def __init__(self, members=None, **kwargs):
        ids = ["ws-a1", "ws-x1", "ws-x2", "ws-x3", "ws-s1"]
        super(ScopeClient, self).__init__([station(sid) for sid in ids], groups=SCOPE_TREE, **kwargs)
        self.members = dict(MEMBERS if members is None else members)

    def group_stations(self, group_id, **kwargs):
        self._record("group_stations", group_id, group_id, **kwargs)
        rows = [{"id": sid, "name": sid.upper()} for sid in self.members.get(group_id, [])]
        return {"total": len(rows), "stations": rows, "pages": {}}

    def deletes(self):
        return [c[1][0] for c in self.calls if c[0] == "station_delete"]


LISTED = [{"id": "ws-a1", "city": "Berlin"}]
UNLISTED = [{"id": "ws-x1", "name": "WS-X1", "groups": ["Accounting", "Accounting/Laptops"]},
            {"id": "ws-x2", "name": "WS-X2", "groups": ["Accounting"]},
            {"id": "ws-x3", "name": "WS-X3", "groups": ["Accounting/Laptops"]}]


def test_report_lists_exactly_the_unlisted_stations_of_the_sub_tree(monkeypatch):
    client = ScopeClient()
    result = run(monkeypatch, client, LISTED, scope=["Accounting"], unlisted="report")
    assert result["unlisted"] == UNLISTED
    assert not result["changed"] and client.deletes() == []
    assert result["msg"].endswith("; 3 stations in scope are not listed: ws-x1, ws-x2, ws-x3")
    # The group and the user group below it, each listed once, without the subgroups flag.
    assert [c for c in client.calls if c[0] == "group_stations"] == [
        ("group_stations", ("g-acc",), {}), ("group_stations", ("g-lap",), {})]


def test_absent_deletes_exactly_those_after_the_listed_converged(monkeypatch):
    client = ScopeClient()
    result = run(monkeypatch, client, LISTED + [{"id": "ws-x9", "state": "absent"}], scope=["g-acc"],
                 unlisted="absent")
    assert client.deletes() == [["ws-x1", "ws-x2", "ws-x3"]]
    names = [c[0] for c in client.calls]
    assert names.index("station_delete") > max(i for i, n in enumerate(names) if n == "find_station")
    assert result["changed"] and result["unlisted"] == UNLISTED
    assert [d["before_header"] for d in result["diff"]] == [
        "ws-x1 (not listed)", "ws-x2 (not listed)", "ws-x3 (not listed)"]
    assert result["msg"].endswith("; 3 unlisted stations deleted: ws-x1, ws-x2, ws-x3")


def test_an_absent_entry_counts_as_listed(monkeypatch):
    client = ScopeClient()
    result = run(monkeypatch, client, LISTED + [{"id": "ws-x2", "state": "absent"}], scope=["Accounting"],
                 unlisted="report")
    assert [u["id"] for u in result["unlisted"]] == ["ws-x1", "ws-x3"]


def test_check_mode_only_predicts_the_deletes(monkeypatch):
    client = ScopeClient()
    result = run(monkeypatch, client, LISTED, check_mode=True, scope=["Accounting"], unlisted="absent")
    assert result["changed"] and len(result["diff"]) == 3 and client.writes() == []


def test_more_than_unlisted_max_fails_before_any_write(monkeypatch):
    client = ScopeClient()
    result = run(monkeypatch, client, [{"id": "ws-a1", "city": "Munich"}], scope=["Accounting"], unlisted="absent",
                 unlisted_max=2)
    assert result["failed"] and client.writes() == []
    assert result["msg"].startswith("3 stations in scope are not listed, more than unlisted_max (2), so nothing was "
                                    "changed or deleted: ws-x1, ws-x2, ws-x3")
    assert "find_station" not in [c[0] for c in client.calls]


def test_an_empty_list_never_wipes_the_scope(monkeypatch):
    client = ScopeClient(members={"g-acc": ["ws-%02d" % i for i in range(30)]})
    result = run(monkeypatch, client, [], scope=["Accounting"], unlisted="absent")
    assert result["failed"] and "30 stations in scope are not listed, more than unlisted_max (10)" in result["msg"]
    assert client.deletes() == []


def test_no_delete_when_a_listed_station_failed(monkeypatch):
    client = ScopeClient(fail={("station_change", "ws-a1"): DrWebApiError("Changing station ws-a1 failed: no.")})
    result = run(monkeypatch, client, [{"id": "ws-a1", "city": "Munich"}], scope=["Accounting"], unlisted="absent")
    assert result["failed"] and client.deletes() == []
    assert "3 unlisted stations not deleted, because 1 listed station did not converge" in result["msg"]


def test_a_failed_delete_fails_the_task(monkeypatch):
    error = DrWebApiError("Deleting station ws-x1 failed: no.", errno=5, server_message="no")
    client = ScopeClient(fail={("station_delete", "ws-x1"): error})
    result = run(monkeypatch, client, LISTED, scope=["Accounting"], unlisted="absent")
    assert result["failed"] and result["errno"] == 5 and result["drift_failed"]
    assert "deleting the unlisted stations failed after 0 of 3: Deleting station ws-x1 failed: no." in result["msg"]


def test_deletes_go_fifty_ids_per_request(monkeypatch):
    client = ScopeClient(members={"g-sales": ["ws-%03d" % i for i in range(120)]})
    run(monkeypatch, client, LISTED, scope=["Sales"], unlisted="absent", unlisted_max=200)
    assert [len(batch) for batch in client.deletes()] == [50, 50, 20]


def test_ignore_costs_nothing(monkeypatch):
    client = ScopeClient()
    result = run(monkeypatch, client, LISTED, scope=["Accounting"])
    assert "unlisted" not in result
    assert [c[0] for c in client.calls] == ["find_station"]


@pytest.mark.parametrize("args, message", [
    ({"unlisted": "report"}, "unlisted: report needs scope"),
    ({"unlisted": "absent", "scope": ["Accounting"], "unlisted_max": -1}, "unlisted_max must be 0 or more, got -1"),
    ({"unlisted": "report", "scope": [" "]}, "scope entries must be non-empty"),
])
def test_bad_drift_options_send_nothing(monkeypatch, args, message):
    client = ScopeClient()
    result = run(monkeypatch, client, LISTED, **args)
    assert result["failed"] and message in result["msg"] and client.calls == []


def test_unknown_scope_group_fails_before_any_write(monkeypatch):
    client = ScopeClient()
    result = run(monkeypatch, client, LISTED, scope=["Nowhere"], unlisted="report")
    assert result["failed"] and result["msg"] == "Group 'Nowhere' does not exist on the server."
    assert client.writes() == []


def test_planned_groups_let_check_mode_name_groups_that_do_not_exist_yet(monkeypatch):
    client = ScopeClient()
    planned = [{"id": None, "name": "Kiosks", "path": "Sales/Kiosks", "type": 0, "parent_id": "g-sales"}]
    result = run(monkeypatch, client, [{"id": "ws-new", "parent_group": "Sales/Kiosks"}], check_mode=True,
                 scope=["Sales"], unlisted="report", planned_groups=planned)
    assert not result.get("failed"), result["msg"]
    assert result["stations"][0]["action"] == "created"
    # The predicted group holds no station yet, so only Sales is listed.
    assert [c[1] for c in client.calls if c[0] == "group_stations"] == [("g-sales",)]
    assert [u["id"] for u in result["unlisted"]] == ["ws-s1"]
    # Outside check mode the server is the truth.
    real = run(monkeypatch, ScopeClient(), [{"id": "ws-new", "parent_group": "Sales/Kiosks"}],
               planned_groups=planned)
    assert real["failed"] and "Group 'Sales/Kiosks' does not exist on the server." in real["msg"]
