# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converging 200 stations through a failing network ends exactly in the desired state.

The emulator injects, on every request, 20 % proxy errors (10 % HTTP 502, 10 % HTTP 503,
both answered before anything is applied) and 5 % dropped connections: on reads the
connection drops before the request is served, on writes (``stations/change``) it drops
*after* the change was applied (``drop_after_apply``), the case where the client cannot
know whether its write landed.

The play runs ``drweb_station`` with the module's own ``retries: 5`` on 200 hosts (one
station each, ``--forks 4``) and asks every station for a new description, a new city, one
more group (``add-group``) and one more ACL entry (``add-acl-allow``). Each request gets one
budget of ``retries + 1`` attempts; after an uncertain write the module restarts from a fresh
read of the station (``DrWebModule.converge``), at most ``retries`` more times;
``drweb_stations`` does the same for 200 stations in ONE task (``concurrency: 8``).

Why ``retries: 5`` and not the default 3: a read fails here 25 % of the time, so a budget of 4
attempts runs out with 0.25**4 = 0.39 % per read, i.e. in about every second 200-station run,
and ``drweb_stations`` then stops the run (a server that does not answer is a connection
failure; the client's circuit fails the rest fast, by design). With 6 attempts it is 0.024 %
per read, about 5 % per run. Users facing a network this bad raise ``retries`` the same way.

Why the task keyword ``retries``/``until`` (``TASK_RETRIES``) is still there: the module alone
cannot make "no module run fails" certain at these rates (the ~5 % above, plus changed
stations whose every write is answered 502/503, never applied, so re-reading cannot rescue
them). A task retry is safe because every run reads before it writes; each module-level
give-up must be one sentence about the network, and every one is printed.

Proven from the emulator's request log and final state:
* every task ends ``ok``/``changed`` (after at most ``TASK_RETRIES`` task retries), and every
  station ends exactly in the desired state;
* exactly one write per station was applied (status 200, or dropped after being applied):
  no write was applied twice;
* after every write that may have reached the server (an error status or a dropped
  connection), the next request about that station is a read (``stations/info``) - never
  a blind re-send.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import json

import harness  # pylint: disable=import-error

STATIONS = 200
FORKS = 4
CONCURRENCY = 8
# Task keyword retries: see the module docstring for why the module's own retries are not enough.
TASK_RETRIES = 3
# The module's own retries: one budget of RETRIES + 1 attempts per request (see the docstring).
RETRIES = 5
GROUP = "reliab-extra"
FAULTS = [
    {"scripts": ["stations/change", "stations/add"], "status": {"502": 0.1, "503": 0.1}, "drop_after_apply": 0.05},
    # Reads only: a rule without "scripts" would also match the writes and fail them twice as often.
    {"scripts": ["stations/info", "stations/state", "groups/*"], "status": {"502": 0.1, "503": 0.1}, "drop": 0.05},
]
# What a module run may say when the network beat its own retries (one sentence each).
TRANSPORT_WORDS = ("answered HTTP 502", "answered HTTP 503", "connection to the Dr.Web server", "was lost")
SKIPPED_MSG = "skipped: the run stopped after a connection failure"


def acl_of(index):
    return "10.%d.%d.0/24" % (index // 250, index % 250)


def applied_writes(entries):
    """Writes the server applied: answered 200, or dropped after being applied."""
    return sum(1 for e in entries if e.get("write") and (e.get("status") == 200 or e.get("fault") == "drop_after_apply"))


def blind_resends(entries):
    """Positions of failed writes (which may have landed) not followed by a read of the station."""
    found = []
    for position, entry in enumerate(entries):
        if entry.get("write") and entry.get("status") != 200:
            following = entries[position + 1:position + 2]
            if following and (following[0].get("write") or following[0].get("script") != "info"):
                found.append(position)
    return found


def requests_by_station(requests):
    """The logged ``stations/*`` requests about each station id, in log order."""
    per_station = collections.defaultdict(list)
    for entry in requests:
        if entry.get("object") == "stations":
            sid = harness.station_of(entry)
            if sid:
                per_station[sid].append(entry)
    return per_station


def trace(entries):
    return [(e["script"], e.get("status"), e.get("fault")) for e in entries]


def test_the_log_checks_catch_what_they_should():
    """Positive control of the two log checks on hand-made request sequences."""
    read = {"script": "info", "write": False, "status": 200}
    ok_write = {"script": "change", "write": True, "status": 200}
    lost = {"script": "change", "write": True, "status": 0, "fault": "drop_after_apply"}
    refused = {"script": "change", "write": True, "status": 502, "fault": "status_502"}
    assert blind_resends([read, refused, read, ok_write]) == []
    assert blind_resends([read, refused, ok_write]) == [1]
    assert blind_resends([read, lost, refused, read, ok_write]) == [1]
    assert applied_writes([read, lost, read]) == 1
    assert applied_writes([read, lost, read, ok_write]) == 2
    assert applied_writes([read, refused, read, ok_write]) == 1


def test_converge_under_faults(ansible, tmp_path_factory):
    workdir = str(tmp_path_factory.mktemp("emulator"))
    with harness.Emulator(workdir=workdir, stations=STATIONS) as emu:
        emu.upsert({"groups": [{"id": GROUP, "name": "Reliability Extra"}]})
        ids = ["gen-%06d" % i for i in range(1, STATIONS + 1)]
        hosts = dict(("st-%d" % i, {"station_id": sid, "station_acl": acl_of(i)}) for i, sid in enumerate(ids, 1))
        inventory = ansible.hosts_inventory("stations.json", hosts)
        play = [{"hosts": "all", "gather_facts": False,
                 "module_defaults": {"group/drweb.esuite.drweb": emu.connection(retries=RETRIES)},
                 "tasks": [{"name": "Converge", "drweb.esuite.drweb_station": {
                     "id": "{{ station_id }}", "description": "converged under faults", "city": "Faultcity",
                     "groups": [GROUP], "acl_allow": ["{{ station_acl }}"]},
                     "register": "result", "retries": TASK_RETRIES, "delay": 0, "until": "result is succeeded"}]}]
        emu.set_faults(FAULTS)
        mark = emu.mark()
        run = ansible.playbook(ansible.write("faults.yml", json.dumps(play)), inventory, forks=FORKS, timeout=1800)
        emu.clear_faults()
        requests = emu.requests(mark)
        state = emu.stations_by_id()

    per_station = requests_by_station(requests)
    final = [r for r in run.results if r["status"] != "retry"]
    failed = [r for r in final if r["status"] != "ok"]
    assert failed == [], "tasks failed: %s" % [
        (r["host"], r["result"].get("msg"), trace(per_station[hosts[r["host"]]["station_id"]])) for r in failed]
    assert run.rc == 0, run.output[-3000:]
    assert len(final) == STATIONS

    # A module run that gave up did so with one sentence about the network, nothing else.
    retried = [r for r in run.results if r["status"] == "retry"]
    for r in retried:
        check_give_up(r["result"].get("msg"), r["result"])
        print("module run gave up, task retried: %s: %s" % (r["host"], r["result"].get("msg")))
    print("module runs that exhausted their own retries: %d of %d stations" % (len(retried), STATIONS))

    check_faults_and_log(requests, state, ids)


def check_give_up(msg, result):
    assert harness.one_sentence(msg) is None, msg
    assert not harness.has_traceback(result), result
    assert any(w in msg for w in TRANSPORT_WORDS), msg


def check_faults_and_log(requests, state, ids):
    """The faults happened, every station is as desired, one applied write each, no blind re-send."""
    per_station = requests_by_station(requests)
    # The faults really happened.
    faults = collections.Counter(r.get("fault") for r in requests if r.get("fault"))
    print("faults injected: %s over %d requests" % (dict(faults), len(requests)))
    assert faults["drop_after_apply"] > 0 and faults["drop"] > 0
    assert faults["status_502"] > 0 and faults["status_503"] > 0

    # Every station is exactly as desired.
    wrong = []
    for i, sid in enumerate(ids, 1):
        station = state[sid]
        acl = [str(e) for e in (station.get("acl") or {}).get("allowed") or []]
        if station.get("description") != "converged under faults" or station.get("city") != "Faultcity" \
                or sorted(station.get("groups") or []) != sorted(["generated", GROUP]) or len(acl) != 1 \
                or acl_of(i).split("/")[0] not in acl[0]:
            wrong.append((sid, station.get("description"), station.get("city"), station.get("groups"), acl))
    assert wrong == [], "stations not in the desired state: %s" % wrong[:10]

    # Exactly one applied write per station, and a read after every write that may have landed.
    double = [(sid, trace(per_station[sid])) for sid in ids if applied_writes(per_station[sid]) != 1]
    blind = [(sid, trace(per_station[sid])) for sid in ids if blind_resends(per_station[sid])]
    assert double == [], "stations whose change was applied other than once: %s" % double[:5]
    assert blind == [], "writes re-sent without reading the station first: %s" % blind[:5]
    uncertain = sum(1 for e in requests if e.get("write") and e.get("status") != 200)
    print("writes that failed or may have landed: %d, each followed by a read of the station" % uncertain)


def test_bulk_converge_under_faults(ansible, tmp_path_factory):
    """The same 200 stations and faults, converged by ONE drweb_stations task (concurrency 8)."""
    workdir = str(tmp_path_factory.mktemp("emulator"))
    with harness.Emulator(workdir=workdir, stations=STATIONS) as emu:
        emu.upsert({"groups": [{"id": GROUP, "name": "Reliability Extra"}]})
        ids = ["gen-%06d" % i for i in range(1, STATIONS + 1)]
        entries = [{"id": sid, "description": "converged under faults", "city": "Faultcity", "groups": [GROUP],
                    "acl_allow": [acl_of(i)]} for i, sid in enumerate(ids, 1)]
        play = [{"hosts": "localhost", "gather_facts": False,
                 "module_defaults": {"group/drweb.esuite.drweb": emu.connection(retries=RETRIES)},
                 "tasks": [{"name": "Converge", "drweb.esuite.drweb_stations": {
                     "concurrency": CONCURRENCY, "stations": entries},
                     "register": "result", "retries": TASK_RETRIES, "delay": 0, "until": "result is succeeded"}]}]
        emu.set_faults(FAULTS)
        mark = emu.mark()
        run = ansible.playbook(ansible.write("bulk-faults.yml", json.dumps(play)),
                               ansible.write("localhost.ini", harness.LOCALHOST_INVENTORY % harness.PYTHON), timeout=1800)
        emu.clear_faults()
        requests = emu.requests(mark)
        state = emu.stations_by_id()

    final = [r for r in run.results if r["status"] != "retry"]
    assert [r["status"] for r in final] == ["ok"], [(r["status"], r["result"].get("msg")) for r in final]
    assert run.rc == 0, run.output[-3000:]
    result = final[0]["result"]
    assert [s["id"] for s in result["stations"]] == ids
    assert result["summary"]["failed"] == 0 and result["summary"]["skipped"] == 0, result["summary"]
    assert all(s["action"] in ("updated", "unchanged") for s in result["stations"]), result["summary"]

    # A module run that gave up: one sentence, each failed station about the network, the rest
    # skipped or converged; nothing else.
    retried = [r for r in run.results if r["status"] == "retry"]
    updated_before = set()
    for r in retried:
        outcome = r["result"]
        assert harness.one_sentence(outcome.get("msg")) is None, outcome.get("msg")
        assert not harness.has_traceback(outcome), outcome
        actions = collections.Counter(s["action"] for s in outcome["stations"])
        assert set(actions) <= {"updated", "unchanged", "failed", "skipped"}, actions
        assert actions["failed"] >= 1, outcome["msg"]
        for station in outcome["stations"]:
            if station["action"] == "failed":
                check_give_up(station["msg"], station)
            elif station["action"] == "skipped":
                assert SKIPPED_MSG in station["msg"], station
            elif station["action"] == "updated":
                updated_before.add(station["id"])
        print("drweb_stations run gave up, task retried: %s (%s)" % (outcome["summary"], outcome["msg"][:300]))
    print("drweb_stations runs that gave up: %d" % len(retried))
    # Each station was updated by exactly one of the runs (the final one reports the others unchanged).
    updated_final = set(s["id"] for s in result["stations"] if s["action"] == "updated")
    assert updated_before & updated_final == set()

    check_faults_and_log(requests, state, ids)
