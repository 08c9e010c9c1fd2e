# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""drweb_stations driven through main(): many stations, one shared client, several threads.

The fake client answers per station id; concurrency is observed with events and barriers
(whose timeouts only keep a broken module from hanging the suite), never with timings.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import threading

import pytest


from ansible_collections.drweb.esuite.plugins.module_utils._errors import (  # noqa: E402
    DrWebApiError,
    DrWebAuthError,
    DrWebProtocolError,
    DrWebTransportError,
)
from ansible_collections.drweb.esuite.plugins.modules import drweb_stations as mod  # noqa: E402
from ansible_collections.drweb.esuite.tests.unit.plugins.modules.drweb_harness import (  # noqa: E402
    CONNECTION,
    FAILURE_IDS,
    ConcurrencyProbe,
    FakeClient,
    failure_cases,
    run_module,
)

ACC = {"id": "g-acc", "name": "Accounting", "type": 0, "child_groups": 1, "parent_id": None}
SALES = {"id": "g-sales", "name": "Sales", "type": 0, "child_groups": 0, "parent_id": None}
VPN = {"id": "g-vpn", "name": "VPN users", "type": 0, "child_groups": 0, "parent_id": None}
LAPTOPS = {"id": "g-lap", "name": "Laptops", "type": 0, "child_groups": 0, "parent_id": "g-acc"}
TREE = [ACC, SALES, VPN, LAPTOPS]

OLD_PW = "agent-pw-old-1"
BASE = {
    "name": None, "password": OLD_PW, "state": 0,
    "parent_id": "g-acc", "parent_name": "Accounting", "parent_type": 0,
    "created_time": 1, "modified_time": 2, "last_seen_time": None, "last_seen_addr": None, "os_name": "Linux",
    "block_begin_time": None, "block_end_time": None, "description": None, "country": "DE", "city": "Berlin",
    "street": None, "room": None, "floor": None, "province": None, "department": None, "organization": None,
    "email": None, "latitude": 0.0, "longitude": 0.0,
    "acl": {"priority": "allow", "allowed": [], "disallowed": []},
    "group_membership": [{"id": "g-acc", "name": "Accounting", "type": 0}],
}


def station(sid, **changes):
    data = copy.deepcopy(BASE)
    data.update(id=sid, name=sid)
    data.update(changes)
    return data


class FleetClient(FakeClient):
    """One server's stations, by id; ``None`` (or a missing id) is a station that does not exist.

    ``fail`` maps ``(method, station id)`` to an exception raised on every such call;
    ``on_read`` is called with the station id at the start of each ``find_station``.
    Reads never change: the fake does not apply writes, it records them.
    """

    def __init__(self, stations, groups=tuple(TREE), fail=None, on_read=None, **answers):
        super(FleetClient, self).__init__(groups, **answers)
        self.stations = dict((s["id"], s) for s in stations)
        self.fail = dict(fail or {})
        self.on_read = on_read
        self.lock = threading.Lock()

    def _record(self, name, sid, *args, **kwargs):
        with self.lock:
            self.calls.append((name, args, kwargs))
            self.request_count += 1
        error = self.fail.get((name, sid))
        if error is not None:
            raise error

    def find_station(self, station_id, include=()):
        if self.on_read is not None:
            self.on_read(station_id)
        self._record("find_station", station_id, station_id, include=tuple(include))
        data = copy.deepcopy(self.stations.get(station_id))
        if data is not None and "group_membership" not in include:
            data.pop("group_membership", None)
        return data

    def station_add(self, params):
        params = list(params)
        self._record("station_add", dict(params)["id"], params)
        return dict(params)["id"]

    def station_change(self, station_id, params):
        self._record("station_change", station_id, station_id, list(params))
        return station_id

    def station_delete(self, ids):
        ids = list(ids)
        self._record("station_delete", ids[0], ids)
        return ids

    def reads_of(self, sid):
        return [c for c in self.calls if c[0] == "find_station" and c[1][0] == sid]

    def writes_of(self, sid):
        return [c for c in self.writes() if _target(c) == sid]


def _target(call):
    name, args = call[0], call[1]
    if name == "station_add":
        return dict(args[0])["id"]
    if name == "station_delete":
        return args[0][0]
    return args[0]


def run(monkeypatch, client, stations, check_mode=False, **args):
    args["stations"] = stations
    return run_module(monkeypatch, mod, args, client, check_mode=check_mode)


def collect_warnings(monkeypatch):
    warnings = []
    monkeypatch.setattr(mod.DrWebModule, "warn", lambda self, text: warnings.append(text))
    return warnings


# The five outcomes, one station each: ws-new does not exist, ws-upd gets a new city,
# ws-same is up to date, ws-del is deleted, ws-gone is already absent.
MIXED_SERVER = [station("ws-upd"), station("ws-same"), station("ws-del")]
MIXED = [
    {"id": "ws-new", "city": "Hamburg"},
    {"id": "ws-upd", "city": "Munich"},
    {"id": "ws-same", "city": "Berlin"},
    {"id": "ws-del", "state": "absent"},
    {"id": "ws-gone", "state": "absent"},
]
MIXED_ACTIONS = ["created", "updated", "unchanged", "deleted", "absent"]


# ---------------------------------------------------------------- bad input: nothing is sent

def test_every_invalid_entry_is_reported_with_its_index_and_nothing_is_sent(monkeypatch):
    client = FleetClient([station("ws-1"), station("ws-2")])
    result = run(monkeypatch, client, [
        {"id": "ws-1", "city": "Munich"},
        {"id": "ws-2", "acl_allow": ["10.0.0.1/99"]},
        {"id": "ws-3", "country": "Germany"},
        {"id": "", "city": "Nowhere"},
        {"id": "ws-5", "password": ""},
    ])
    assert result["failed"] is True
    assert result["msg"].startswith("4 of 5 station entries are invalid, nothing was sent: ")
    problems = result["problems"]
    assert len(problems) == 4
    assert problems[0].startswith("stations[1] (ws-2): acl_allow entry '10.0.0.1/99' is not a valid")
    assert problems[1].startswith("stations[2] (ws-3): country 'Germany' is not an ISO 3166-1 alpha-2 code")
    assert problems[2] == "stations[3]: id must be a non-empty station id."
    assert problems[3].startswith("stations[4] (ws-5): password must not be empty")
    for problem in problems:
        assert problem in result["msg"]
    assert "stations[0]" not in result["msg"]
    assert client.calls == []
    assert "stations" not in result


def test_duplicate_ids_fail_before_any_request(monkeypatch):
    client = FleetClient([station("ws-1"), station("ws-2")])
    result = run(monkeypatch, client, [
        {"id": "ws-1", "city": "Munich"},
        {"id": "ws-2", "city": "Munich"},
        {"id": " ws-1 ", "state": "absent"},  # the same station once the id is normalised
        {"id": "ws-2", "city": "Munich"},
    ])
    assert result["failed"] is True
    assert result["problems"] == [
        "stations[2]: station ws-1 is already stations[0]; list each station once.",
        "stations[3]: station ws-2 is already stations[1]; list each station once.",
    ]
    assert result["msg"].startswith("2 of 4 station entries are invalid, nothing was sent: ")
    assert client.calls == []


def test_invalid_and_duplicate_entries_are_reported_together(monkeypatch):
    client = FleetClient([station("ws-1")])
    result = run(monkeypatch, client, [
        {"id": "ws-1", "latitude": 123.0},
        {"id": "ws-2"},
        {"id": "ws-2"},
    ])
    assert result["failed"] is True
    assert len(result["problems"]) == 2
    assert result["problems"][0].startswith("stations[0] (ws-1): latitude 123.0 is out of range")
    assert result["problems"][1] == "stations[2]: station ws-2 is already stations[1]; list each station once."
    assert client.calls == []


@pytest.mark.parametrize("entry", [
    {"city": "Munich"},                       # no id
    {"id": "ws-2", "state": "gone"},          # not a choice
    {"id": "ws-2", "no_such_option": 1},      # not an option
])
def test_entries_ansible_rejects_fail_before_any_request(monkeypatch, entry):
    client = FleetClient([station("ws-1"), station("ws-2")])
    result = run(monkeypatch, client, [{"id": "ws-1", "city": "Munich"}, entry])
    assert result["failed"] is True
    assert "stations" in result["msg"]
    assert client.calls == []


@pytest.mark.parametrize("concurrency", [0, -1, 65])
def test_concurrency_out_of_bounds_fails_before_any_request(monkeypatch, concurrency):
    client = FleetClient([station("ws-1")])
    result = run(monkeypatch, client, [{"id": "ws-1", "city": "Munich"}], concurrency=concurrency)
    assert result["failed"] is True
    assert result["msg"] == "concurrency must be between 1 and 64, got %d." % concurrency
    assert client.calls == []


@pytest.mark.parametrize("concurrency", [1, 64])
def test_concurrency_bounds_themselves_are_accepted(monkeypatch, concurrency):
    client = FleetClient([station("ws-1")])
    result = run(monkeypatch, client, [{"id": "ws-1", "city": "Munich"}, {"id": "ws-2"}], concurrency=concurrency)
    assert not result.get("failed"), result
    assert [r["action"] for r in result["stations"]] == ["updated", "created"]


def test_empty_list_is_ok_and_changes_nothing(monkeypatch):
    client = FleetClient([station("ws-1")])
    result = run(monkeypatch, client, [])
    assert not result.get("failed"), result
    assert result["changed"] is False
    assert result["stations"] == [] and result["diff"] == []
    assert result["msg"] == "0 stations: 0 created, 0 updated, 0 deleted, 0 unchanged"
    assert set(result["summary"].values()) == {0}
    assert client.calls == []


# ---------------------------------------------------------------- results, order, actions

def test_each_station_gets_its_action_and_results_follow_the_input_order(monkeypatch):
    client = FleetClient(MIXED_SERVER)
    result = run(monkeypatch, client, copy.deepcopy(MIXED))
    assert not result.get("failed"), result
    assert result["changed"] is True
    assert [r["id"] for r in result["stations"]] == [e["id"] for e in MIXED]
    assert [r["action"] for r in result["stations"]] == MIXED_ACTIONS
    assert [r["changed"] for r in result["stations"]] == [True, True, False, True, False]
    assert [r["msg"] for r in result["stations"]] == [
        "station ws-new created", "station ws-upd updated", "station ws-same already up to date",
        "station ws-del deleted", "station ws-gone already absent"]
    assert result["stations"][0]["station"]["city"] == "Hamburg"
    assert result["stations"][1]["station"]["city"] == "Munich"
    assert result["stations"][3]["station"] == {} and result["stations"][4]["station"] == {}
    # One read per station; one write per station that changes.
    for entry in MIXED:
        assert len(client.reads_of(entry["id"])) == 1
    assert client.writes_of("ws-new") == [("station_add", ([("id", "ws-new"), ("city", "Hamburg")],), {})]
    assert client.writes_of("ws-upd") == [("station_change", ("ws-upd", [("city", "Munich")]), {})]
    assert client.writes_of("ws-del") == [("station_delete", (["ws-del"],), {})]
    assert client.writes_of("ws-same") == [] and client.writes_of("ws-gone") == []
    assert len(client.calls) == 8


@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check"])
def test_return_station_changed_leaves_the_station_out_of_unchanged_entries_only(monkeypatch, check_mode):
    full = run(monkeypatch, FleetClient(MIXED_SERVER), copy.deepcopy(MIXED), check_mode=check_mode)
    client = FleetClient(MIXED_SERVER)
    lean = run(monkeypatch, client, copy.deepcopy(MIXED), check_mode=check_mode, return_station="changed")
    assert "station" in full["stations"][2]
    assert lean["stations"][2] == {"id": "ws-same", "action": "unchanged", "changed": False,
                                   "msg": "station ws-same already up to date"}
    assert lean["stations"][4] == {"id": "ws-gone", "action": "absent", "changed": False,
                                   "msg": "station ws-gone already absent"}
    # Everything else is as with return_station=always: the changed entries, summary, msg, diff, requests.
    for index in (0, 1, 3):
        assert lean["stations"][index] == full["stations"][index]
    assert {k: v for k, v in lean.items() if k != "stations"} == {k: v for k, v in full.items() if k != "stations"}
    assert len(client.calls) == (5 if check_mode else 8)


def test_summary_and_msg_count_every_action(monkeypatch):
    client = FleetClient(MIXED_SERVER + [station("ws-same-2")])
    result = run(monkeypatch, client, copy.deepcopy(MIXED) + [{"id": "ws-same-2", "city": "Berlin"}])
    assert result["summary"] == {"created": 1, "updated": 1, "unchanged": 2, "deleted": 1, "absent": 1,
                                 "failed": 0, "skipped": 0}
    # msg counts the already absent station as unchanged.
    assert result["msg"] == "6 stations: 1 created, 1 updated, 1 deleted, 3 unchanged"


def test_a_run_with_nothing_to_do_is_not_changed(monkeypatch):
    client = FleetClient([station("ws-1")])
    result = run(monkeypatch, client, [{"id": "ws-1", "city": "Berlin"}, {"id": "ws-3", "state": "absent"}])
    assert not result.get("failed"), result
    assert result["changed"] is False
    assert [r["action"] for r in result["stations"]] == ["unchanged", "absent"]
    assert result["diff"] == []
    assert client.writes() == []


def test_results_follow_the_input_order_even_when_stations_finish_out_of_order(monkeypatch):
    last_read = threading.Event()

    def on_read(sid):
        if sid == "ws-1":
            # ws-1 finishes only after ws-3, the last station, has been read by another thread.
            assert last_read.wait(30), "ws-3 was never read while ws-1 was in flight"
        elif sid == "ws-3":
            last_read.set()

    client = FleetClient([station("ws-1"), station("ws-2"), station("ws-3")], on_read=on_read)
    result = run(monkeypatch, client, [{"id": "ws-1", "city": "A"}, {"id": "ws-2", "city": "B"},
                                       {"id": "ws-3", "city": "C"}], concurrency=2)
    assert not result.get("failed"), result
    done = [c[1][0] for c in client.writes()]
    assert done.index("ws-3") < done.index("ws-1")
    assert [r["id"] for r in result["stations"]] == ["ws-1", "ws-2", "ws-3"]
    assert [r["station"]["city"] for r in result["stations"]] == ["A", "B", "C"]
    assert [d["before_header"] for d in result["diff"]] == ["ws-1", "ws-2", "ws-3"]


@pytest.mark.parametrize("concurrency, stations", [(3, 6), (2, 5)])
def test_concurrency_stations_are_converged_at_once_and_never_more(monkeypatch, concurrency, stations):
    on_read = ConcurrencyProbe(concurrency, stations)  # a broken barrier fails the station
    ids = ["ws-%d" % i for i in range(stations)]
    client = FleetClient([station(i) for i in ids], on_read=on_read)
    result = run(monkeypatch, client, [{"id": i, "city": "Berlin"} for i in ids], concurrency=concurrency)
    assert not result.get("failed"), result
    assert [r["action"] for r in result["stations"]] == ["unchanged"] * stations
    assert on_read.most == concurrency


def test_concurrency_one_converges_in_input_order_one_at_a_time(monkeypatch):
    state = {"in_flight": 0, "most": 0}

    def on_read(sid):
        state["in_flight"] += 1
        state["most"] = max(state["most"], state["in_flight"])
        state["in_flight"] -= 1

    client = FleetClient(MIXED_SERVER, on_read=on_read)
    result = run(monkeypatch, client, copy.deepcopy(MIXED), concurrency=1)
    assert not result.get("failed"), result
    assert [c[1][0] for c in client.calls if c[0] == "find_station"] == [e["id"] for e in MIXED]
    assert state["most"] == 1


def test_client_keeps_as_many_connections_as_the_concurrency(monkeypatch):
    client = FleetClient([station("ws-1")])
    seen = []

    def client_property(self):
        seen.append(self.pool_size)
        return client
    monkeypatch.setattr(mod.DrWebModule, "client", property(client_property))
    result = run(monkeypatch, client, [{"id": "ws-1", "city": "Berlin"}], concurrency=7)
    assert not result.get("failed"), result
    assert seen and set(seen) == {7}


def test_each_station_reads_only_what_its_own_options_need(monkeypatch):
    client = FleetClient([station("ws-1"), station("ws-2")])
    run(monkeypatch, client, [{"id": "ws-1", "groups": ["Accounting"]}, {"id": "ws-2", "city": "Berlin"}])
    assert client.reads_of("ws-1") == [("find_station", ("ws-1",), {"include": ("group_membership",)})]
    assert client.reads_of("ws-2") == [("find_station", ("ws-2",), {"include": ()})]


def test_group_names_are_resolved_with_one_tree_walk_for_the_whole_run(monkeypatch):
    ids = ["ws-%d" % i for i in range(6)]
    client = FleetClient([station(i) for i in ids])
    result = run(monkeypatch, client, [{"id": i, "groups": ["VPN users"]} for i in ids], concurrency=3)
    assert not result.get("failed"), result
    assert [r["action"] for r in result["stations"]] == ["updated"] * 6
    # One walk: the root, then Accounting (the only group with children); never again.
    assert [c for c in client.calls if c[0] == "group_list"] == [
        ("group_list", (), {"parent": None}), ("group_list", (), {"parent": "g-acc"})]
    assert [c for c in client.calls if c[0] not in ("find_station", "group_list", "station_change")] == []
    for sid in ids:
        assert client.writes_of(sid) == [("station_change", (sid, [("add-group", "g-vpn")]), {})]


# ---------------------------------------------------------------- a station fails, the others go on

def test_a_station_level_error_fails_only_that_station(monkeypatch):
    refused = DrWebApiError("Changing station ws-2 failed: the server answered errno 1003 \"Invalid or missing parameter\".",
                            errno=1003, server_message="Invalid or missing parameter")
    client = FleetClient([station("ws-1"), station("ws-2"), station("ws-3"), station("ws-4")],
                         fail={("station_change", "ws-2"): refused})
    result = run(monkeypatch, client, [
        {"id": "ws-1", "city": "Munich"},
        {"id": "ws-2", "city": "Munich"},
        {"id": "ws-3", "city": "Munich", "groups": ["No such group"]},
        {"id": "ws-4", "city": "Munich"},
    ], concurrency=2)
    assert result["failed"] is True
    assert result["changed"] is True
    assert [r["action"] for r in result["stations"]] == ["updated", "failed", "failed", "updated"]
    failed_2, failed_3 = result["stations"][1], result["stations"][2]
    assert failed_2 == {"id": "ws-2", "action": "failed", "changed": False, "msg": str(refused),
                        "errno": 1003, "server_message": "Invalid or missing parameter"}
    assert failed_3["msg"] == "station ws-3: Group 'No such group' does not exist on the server."
    assert "station" not in failed_3 and "maybe_applied" not in failed_3
    # The unknown group failed ws-3 before its write; the others were written.
    assert client.writes_of("ws-3") == []
    assert len(client.writes_of("ws-1")) == 1 and len(client.writes_of("ws-4")) == 1
    assert result["summary"]["failed"] == 2 and result["summary"]["updated"] == 2
    assert result["summary"]["skipped"] == 0
    assert result["msg"] == "2 of 4 stations failed: %s; station ws-3: Group 'No such group' does not exist on the server." \
        % str(refused)
    assert [d["before_header"] for d in result["diff"]] == ["ws-1", "ws-4"]


def test_an_unknown_tariff_fails_only_that_station(monkeypatch):
    client = FleetClient([station("ws-1"), station("ws-2")])
    result = run(monkeypatch, client, [{"id": "ws-1", "rate": "Platinum"}, {"id": "ws-2", "city": "Munich"}])
    assert result["failed"] is True
    assert [r["action"] for r in result["stations"]] == ["failed", "updated"]
    assert result["stations"][0]["msg"].startswith("station ws-1: rate 'Platinum' is neither a basic tariff")
    assert client.writes_of("ws-1") == []
    assert result["msg"].startswith("1 of 2 stations failed: station ws-1: rate 'Platinum'")


def test_failures_without_changes_leave_the_task_unchanged(monkeypatch):
    client = FleetClient([station("ws-1"), station("ws-2")])
    result = run(monkeypatch, client, [{"id": "ws-1", "groups": ["Nope"]}, {"id": "ws-2", "city": "Berlin"}])
    assert result["failed"] is True
    assert result["changed"] is False
    assert [r["action"] for r in result["stations"]] == ["failed", "unchanged"]


def test_msg_names_the_first_five_failed_stations_and_counts_the_rest(monkeypatch):
    ids = ["ws-%d" % i for i in range(8)]
    client = FleetClient([station(i) for i in ids])
    result = run(monkeypatch, client, [{"id": i, "groups": ["Nope"]} for i in ids[:7]] + [{"id": ids[7]}])
    assert result["failed"] is True
    assert result["msg"].startswith("7 of 8 stations failed: station ws-0: Group 'Nope'")
    for sid in ids[:5]:
        assert "station %s:" % sid in result["msg"]
    assert "station ws-5:" not in result["msg"] and "station ws-6:" not in result["msg"]
    assert result["msg"].endswith("; and 2 more")
    assert [r["action"] for r in result["stations"]] == ["failed"] * 7 + ["unchanged"]


# ---------------------------------------------------------------- the connection fails: the run stops

@pytest.mark.parametrize("error", [
    DrWebTransportError("Reading station ws-2 failed: the Dr.Web server at drweb.test did not answer (timeout)."),
    DrWebAuthError("The Dr.Web server at drweb.test refused the credentials of user admin (HTTP 401)."),
    DrWebProtocolError("The server at drweb.test did not answer as the Dr.Web Web API: the response is not XML."),
], ids=["transport", "auth", "protocol"])
def test_a_connection_failure_stops_the_run_and_skips_the_stations_not_started(monkeypatch, error):
    client = FleetClient([station("ws-%d" % i) for i in range(1, 5)], fail={("find_station", "ws-2"): error})
    result = run(monkeypatch, client, [{"id": "ws-%d" % i, "city": "Munich"} for i in range(1, 5)],
                 concurrency=1, retries=0)
    assert result["failed"] is True
    assert result["changed"] is True  # ws-1 was changed before the failure
    assert [r["action"] for r in result["stations"]] == ["updated", "failed", "skipped", "skipped"]
    failed = result["stations"][1]
    assert failed["changed"] is False and "ws-2" in failed["msg"] and str(error) in failed["msg"]
    for skipped in result["stations"][2:]:
        assert skipped == {"id": skipped["id"], "action": "skipped", "changed": False,
                           "msg": "station %s skipped: the run stopped after a connection failure" % skipped["id"]}
    # Nothing was sent for the stations not started.
    assert client.reads_of("ws-3") == [] and client.reads_of("ws-4") == []
    assert result["summary"] == {"created": 0, "updated": 1, "unchanged": 0, "deleted": 0, "absent": 0,
                                 "failed": 1, "skipped": 2}
    assert result["msg"] == "1 of 4 stations failed, 2 skipped: %s" % failed["msg"]
    assert [d["before_header"] for d in result["diff"]] == ["ws-1"]


def test_a_station_level_error_does_not_stop_the_run(monkeypatch):
    client = FleetClient([station("ws-1"), station("ws-2"), station("ws-3")],
                         fail={("find_station", "ws-1"): DrWebApiError("Reading station ws-1 failed: errno 1008.", errno=1008)})
    result = run(monkeypatch, client, [{"id": "ws-%d" % i, "city": "Munich"} for i in range(1, 4)], concurrency=1)
    assert [r["action"] for r in result["stations"]] == ["failed", "updated", "updated"]
    assert result["summary"]["skipped"] == 0


def test_a_write_that_may_have_landed_is_a_changed_failure(monkeypatch):
    lost = DrWebTransportError("Changing station ws-1 failed: the connection was lost during stations/change.ds; "
                               "the change may or may not have been applied.", maybe_applied=True)
    client = FleetClient([station("ws-1"), station("ws-2")], fail={("station_change", "ws-1"): lost})
    result = run(monkeypatch, client, [{"id": "ws-1", "city": "Munich"}, {"id": "ws-2", "city": "Berlin"}],
                 concurrency=1, retries=0)
    assert result["failed"] is True
    assert result["changed"] is True
    first = result["stations"][0]
    assert first["action"] == "failed" and first["changed"] is True and first["maybe_applied"] is True
    # The change was sent once, then one read told that it had not landed; nothing was re-sent.
    assert [c[0] for c in client.calls if _target(c) == "ws-1"] == ["find_station", "station_change", "find_station"]
    assert result["stations"][1]["action"] == "skipped"


def test_an_unexpected_error_is_reported_as_a_failed_station_without_a_traceback(monkeypatch):
    client = FleetClient([station("ws-1"), station("ws-2")], fail={("find_station", "ws-1"): ValueError("boom")})
    result = run(monkeypatch, client, [{"id": "ws-1", "city": "Munich"}, {"id": "ws-2", "city": "Munich"}],
                 concurrency=1)
    assert result["failed"] is True
    assert result["stations"][0]["msg"] == "station ws-1: unexpected ValueError: boom"
    assert result["stations"][1]["action"] == "skipped"
    assert "Traceback" not in json.dumps(result)


# ---------------------------------------------------------------- check mode and diff

def test_check_mode_reads_every_station_sends_no_write_and_predicts_the_actions(monkeypatch):
    client = FleetClient(MIXED_SERVER)
    result = run(monkeypatch, client, copy.deepcopy(MIXED), check_mode=True)
    assert not result.get("failed"), result
    assert client.writes() == []
    assert sorted(c[1][0] for c in client.calls) == sorted(e["id"] for e in MIXED)
    assert [r["action"] for r in result["stations"]] == MIXED_ACTIONS
    assert result["changed"] is True
    assert result["stations"][0]["station"]["city"] == "Hamburg"
    assert result["stations"][1]["station"]["city"] == "Munich"
    assert result["msg"] == "5 stations: 1 created, 1 updated, 1 deleted, 2 unchanged"
    assert [d["before_header"] for d in result["diff"]] == ["ws-new", "ws-upd", "ws-del"]


def test_check_mode_and_a_real_run_agree(monkeypatch):
    predicted = run(monkeypatch, FleetClient(MIXED_SERVER), copy.deepcopy(MIXED), check_mode=True)
    done = run(monkeypatch, FleetClient(MIXED_SERVER), copy.deepcopy(MIXED))
    assert predicted["stations"] == done["stations"]
    assert predicted["diff"] == done["diff"]
    assert predicted["summary"] == done["summary"]


def test_diff_is_one_headed_pair_per_changed_station_only(monkeypatch):
    client = FleetClient(MIXED_SERVER)
    result = run(monkeypatch, client, copy.deepcopy(MIXED))
    assert result["diff"] == [
        {"before": {}, "after": result["diff"][0]["after"],
         "before_header": "ws-new", "after_header": "ws-new"},
        {"before": {"city": "Berlin"}, "after": {"city": "Munich"},
         "before_header": "ws-upd", "after_header": "ws-upd"},
        {"before": {"id": "ws-del", "state": "present"}, "after": {"id": "ws-del", "state": "absent"},
         "before_header": "ws-del", "after_header": "ws-del"},
    ]
    assert result["diff"][0]["after"]["id"] == "ws-new" and result["diff"][0]["after"]["city"] == "Hamburg"
    # The per-station results carry no diff and no warnings of their own.
    for entry in result["stations"]:
        assert "diff" not in entry and "warnings" not in entry


# ---------------------------------------------------------------- secrets and warnings

def test_passwords_never_appear_in_the_result(monkeypatch):
    client = FleetClient([station("ws-1"), station("ws-2")],
                         fail={("station_change", "ws-2"): DrWebApiError("Changing station ws-2 failed.", errno=1003)})
    result = run(monkeypatch, client, [
        {"id": "ws-1", "password": "n3w-agent-pw-1"},
        {"id": "ws-2", "password": "n3w-agent-pw-2"},
        {"id": "ws-3", "password": "n3w-agent-pw-3", "update_password": "on_create"},
        {"id": "ws-4", "password": "n3w-agent-pw-4", "state": "absent"},
    ])
    # The passwords were really sent, so the test would see them if they leaked back.
    assert ("password", "n3w-agent-pw-1") in client.writes_of("ws-1")[0][1][1]
    assert ("password", "n3w-agent-pw-3") in client.writes_of("ws-3")[0][1][0]
    text = json.dumps(result)
    for secret in ("n3w-agent-pw-1", "n3w-agent-pw-2", "n3w-agent-pw-3", "n3w-agent-pw-4", OLD_PW,
                   CONNECTION["api_password"]):
        assert secret not in text
    assert result["stations"][0]["station"]["password"] == "********"
    assert result["stations"][2]["station"]["password"] == "********"
    assert result["diff"][0]["before"] == {"password": "********"}
    assert result["diff"][0]["after"] == {"password": "******** (changed)"}


def test_invalid_entry_failure_does_not_echo_the_password(monkeypatch):
    client = FleetClient([])
    result = run(monkeypatch, client, [{"id": "ws-1", "password": "s3cret-agent-pw", "latitude": 99.0}])
    assert result["failed"] is True and client.calls == []
    assert "s3cret-agent-pw" not in json.dumps(result)


def test_warnings_name_their_station(monkeypatch):
    warnings = collect_warnings(monkeypatch)
    client = FleetClient([station("ws-1"), station("ws-2"), station("ws-3")])
    result = run(monkeypatch, client, [{"id": "ws-1", "name": "Laptop 1"}, {"id": "ws-2", "name": "ws-2"},
                                       {"id": "ws-3", "name": "Laptop 3"}])
    assert not result.get("failed"), result
    assert sorted(warnings) == [
        "Station ws-1 is named 'ws-1'; the Web API cannot rename a station, so name 'Laptop 1' was not applied.",
        "Station ws-3 is named 'ws-3'; the Web API cannot rename a station, so name 'Laptop 3' was not applied.",
    ]
    assert client.writes() == []


# ---------------------------------------------------------------- one failure shape for every error

@pytest.mark.parametrize("error, expected", failure_cases(), ids=FAILURE_IDS)
def test_every_error_type_fails_the_entry_with_the_same_details_as_drweb_station(monkeypatch, error, expected):
    client = FleetClient([station("ws-1")], fail={("station_change", "ws-1"): error})
    result = run(monkeypatch, client, [{"id": "ws-1", "city": "Munich"}], retries=0)
    assert result["failed"] is True
    msg = str(error) if "ws-1" in str(error) else "station ws-1: %s" % error
    assert result["stations"] == [dict(expected, id="ws-1", action="failed", msg=msg)]
    assert result["changed"] is expected["changed"]


def test_a_station_stopped_by_the_circuit_names_its_own_read_and_the_one_that_found_the_server_down(monkeypatch):
    """The real client against a server that answers 503: the first read spends the budget, the other in flight stops."""
    from ansible_collections.drweb.esuite.plugins.module_utils._client import DrWebClient  # pylint: disable=import-outside-toplevel
    from ansible_collections.drweb.esuite.tests.unit.plugins.module_utils.http_stub import (  # pylint: disable=import-outside-toplevel
        Reply,
        StubServer,
    )

    with StubServer() as stub:
        client = DrWebClient(stub.url, 'admin', CONNECTION['api_password'], retries=1, backoff=0, timeout=5, pool_size=2)

        def info(request):
            if ('id', 'ws-0001') in request.params:
                # Both reads are in flight before the first answer, however late the second thread starts.
                for dummy in range(500):
                    if any(('id', 'ws-0002') in r.params for r in list(stub.requests)):
                        break
                    threading.Event().wait(0.01)
            if ('id', 'ws-0002') in request.params:
                # Answers only once ws-0001 has spent the budget and opened the circuit.
                for dummy in range(500):
                    if client._circuit is not None:  # pylint: disable=protected-access
                        break
                    threading.Event().wait(0.01)
            return Reply('busy', status=503)

        stub.add('stations/info', info)
        ids = ['ws-%04d' % i for i in range(1, 6)]
        result = run_module(monkeypatch, mod, {"concurrency": 2, "retries": 1,
                                               "stations": [{"id": i, "city": "Berlin"} for i in ids]}, client)
        sent = sorted(dict(r.params)['id'] for r in stub.requests)
    assert sent == ['ws-0001', 'ws-0001', 'ws-0002']
    first, second = result["stations"][:2]
    assert first["msg"] == "Reading station ws-0001 failed: the Dr.Web server at %s answered HTTP 503 (2 attempts)." % client.server
    assert second["msg"] == ("Reading station ws-0002 was not attempted again after 1 attempt: the Dr.Web server at %s was "
                             "found down while reading station ws-0001 (HTTP 503, 2 attempts)." % client.server)
    assert (first["action"], second["action"], second["status"]) == ("failed", "failed", 503)
    # The stations that never started keep the skipped semantics.
    assert [s["action"] for s in result["stations"][2:]] == ["skipped"] * 3
    assert result["msg"] == "2 of 5 stations failed, 3 skipped: %s; %s" % (first["msg"], second["msg"])
