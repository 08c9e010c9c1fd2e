# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The items of a ``loop:`` on the controller path share one client, and never a stale group tree.

Ansible runs all items of a loop in one worker process; on the controller path each item
gets the client the first item built (``plugin_utils/_clients.py``), with its kept-alive
connection and its memo of the group tree. Counted from the emulator (request log and
``/_emulator/stats``), as the server saw it:

* a 1,000-item no-op loop of ``drweb_station`` whose groups are given as paths of names
  (``Office/Accounting/Loop desks``: the station's own memberships cannot settle a path, so
  the tree is needed) walks the tree once and opens at most ``MAX_CONNECTIONS``;
* the same loop on the module path (one process per item) walks it per item and opens a
  connection per item: the counting is able to see what reuse saves;
* a group created, then renamed, by ``drweb_group`` while a loop runs: the later items that
  name the new group find it (the kept tree is asked again before a name is called unknown),
  and join the new group's id.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import json
import os
import subprocess
import time

import pytest

import harness  # pylint: disable=import-error

from conftest import SOAK  # pylint: disable=import-error

ST = "drweb.esuite.drweb_station"
GROUP = "drweb.esuite.drweb_group"
PATH = "Office/Accounting/Loop desks"

# One item at a time on one kept-alive connection: 1 is expected. The margin is for what a
# real server may do to an idle connection between items (close it after its keep-alive
# timeout, or after N requests, as many front ends do): the client then opens another one.
# A client per item would open one per item, i.e. 1,000 here.
MAX_CONNECTIONS = 4

LOOP_ITEMS = 1000


def connection_defaults(emu):
    return {"group/drweb.esuite.drweb": {"api_url": emu.url, "api_username": emu.user,
                                         "api_password": emu.password, "ca_path": emu.ca_file}}


def loop_play(emu, ids, env=None):
    task = {"name": "keep the stations in their group", ST: {"id": "{{ item }}", "groups": [PATH]},
            "loop": ids, "loop_control": {"label": "{{ item }}"}}
    if env:
        task["environment"] = env
    return [{"hosts": "localhost", "gather_facts": False, "module_defaults": connection_defaults(emu),
             "tasks": [task]}]


def tree_reads(requests):
    """The ``groups/list.ds`` requests, keyed by the parent they list (None: the root)."""
    return collections.Counter(tuple((r.get("params") or {}).get("parent-group") or ()) or None
                               for r in requests if (r.get("object"), r.get("script")) == ("groups", "list"))


def run_loop(emu, ansible, ids, env=None):
    emu.admin("DELETE", "stats")
    mark = emu.mark()
    playbook = ansible.write("loop-%d.yml" % len(ids), json.dumps(loop_play(emu, ids, env)))
    run = ansible.playbook(playbook, ansible.write("localhost.ini", harness.LOCALHOST_INVENTORY % harness.PYTHON),
                           timeout=900)
    return run, emu.requests(mark), emu.admin("GET", "stats")


@pytest.fixture(scope="module")
def emu(tmp_path_factory):
    with harness.Emulator(workdir=str(tmp_path_factory.mktemp("emulator")), stations=LOOP_ITEMS) as server:
        # The generated stations' group, moved under Office/Accounting: named by path, it needs the tree.
        server.upsert({"groups": [{"id": "generated", "name": "Loop desks", "parent_id": "accounting"}]})
        yield server


def station_ids(count):
    return ["gen-%06d" % i for i in range(1, count + 1)]


def test_a_1000_item_no_op_loop_walks_the_group_tree_once_on_few_connections(emu, module_ansible):
    run, requests, stats = run_loop(emu, module_ansible, station_ids(LOOP_ITEMS))
    assert run.rc == 0, run.output[-3000:]
    assert len(run.results) == 1, run.output[-3000:]
    items = run.results[0]["result"]["results"]
    assert len(items) == LOOP_ITEMS
    assert not [i["item"] for i in items if i.get("failed") or i.get("changed")]
    assert all(i["station"]["groups"] and "generated" in i["station"]["groups"] for i in items)

    reads = tree_reads(requests)
    assert reads[None] == 1, reads
    assert max(reads.values()) == 1, reads  # no part of the tree listed twice
    assert sum(1 for r in requests if (r["object"], r["script"]) == ("stations", "info")) == LOOP_ITEMS
    assert not [r for r in requests if r.get("write")]
    # Everything but the tree and the stations: nothing (no group look-up per item).
    assert len(requests) == LOOP_ITEMS + sum(reads.values())

    assert len(set(r["connection"] for r in requests)) <= MAX_CONNECTIONS
    assert stats["api_connections"] <= MAX_CONNECTIONS, stats
    assert stats["requests"] == len(requests)


def test_the_module_path_walks_the_tree_and_connects_once_per_item(emu, module_ansible):
    """The control: without reuse the same counting sees a walk and a connection per item."""
    count = 200 if SOAK else 12
    run, requests, stats = run_loop(emu, module_ansible, station_ids(count), env={"DRWEB_EXECUTION": "module"})
    assert run.rc == 0, run.output[-3000:]
    assert tree_reads(requests)[None] == count
    assert stats["api_connections"] == len(set(r["connection"] for r in requests)) == count


def wait_for(what, predicate, proc, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            raise AssertionError("the loop ended before %s: %s" % (what, proc.communicate()))
        time.sleep(0.1)
    raise AssertionError("timed out waiting for %s" % what)


def test_a_group_written_during_a_loop_is_seen_by_the_later_items(emu, module_ansible):
    """Items name a group that ``drweb_group`` creates, then renames, while the loop runs.

    An item naming a group the kept tree lacks fails and is retried (``until:``) until the
    write lands; the retry must find the group, which it can only do by asking the server
    again. The items after it find it in the tree that retry walked.
    """
    emu.admin("POST", "reset")
    emu.upsert({"groups": [{"id": "generated", "name": "Loop desks", "parent_id": "accounting"}]})
    ansible = module_ansible
    items = [{"id": "gen-000001", "group": PATH}, {"id": "gen-000002", "group": "Loop new"},
             {"id": "gen-000003", "group": "Loop new"}, {"id": "gen-000004", "group": "Loop renamed"},
             {"id": "gen-000005", "group": "Loop renamed"}]
    loop = [{"hosts": "localhost", "gather_facts": False, "module_defaults": connection_defaults(emu), "tasks": [
        {"name": "join the groups", ST: {"id": "{{ item.id }}", "groups": ["{{ item.group }}"]},
         "loop": items, "register": "joined", "until": "joined is succeeded", "retries": 100, "delay": 0.3}]}]
    inventory = ansible.write("localhost.ini", harness.LOCALHOST_INVENTORY % harness.PYTHON)
    writes = []
    for name, args in (("create", {"id": "loop-new", "name": "Loop new", "parent": ""}),
                       ("rename", {"id": "loop-new", "name": "Loop renamed"})):
        writes.append(ansible.write("group-%s.yml" % name, json.dumps([{
            "hosts": "localhost", "gather_facts": False, "module_defaults": connection_defaults(emu),
            "tasks": [{"name": "%s the group" % name, GROUP: args}]}])))

    mark = emu.mark()
    record = os.path.join(ansible.workdir, "loop-record.jsonl")
    cmd = [os.path.join(harness.BIN, "ansible-playbook"), ansible.write("loop-write.yml", json.dumps(loop)),
           "-i", inventory]
    proc = subprocess.Popen(cmd, cwd=ansible.workdir, env=ansible.env(DRWEB_RECORDER_FILE=record),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    try:
        def missed(station):
            # The item asked again (a root listing after its station's read) and still failed: write now.
            def seen():
                log = emu.requests(mark)
                reads = [i for i, r in enumerate(log) if harness.station_of(r) == station]
                return bool(reads) and any(tree_reads([r])[None] for r in log[reads[0] + 1:])
            return seen
        for station, playbook in (("gen-000002", writes[0]), ("gen-000004", writes[1])):
            wait_for("%s to miss its group" % station, missed(station), proc)
            write = ansible.playbook(playbook, inventory)
            assert write.rc == 0 and write.only()["result"]["changed"], write.output[-3000:]
        output = proc.communicate(timeout=120)[0]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, output[-3000:]
    results = harness.read_results(record)
    final = [r for r in results if r["status"] != "retry"]
    assert len(final) == 1 and final[0]["status"] == "ok" and final[0]["result"]["changed"], output[-3000:]
    by_station = dict((i["item"]["id"], i) for i in final[0]["result"]["results"])
    for station in ("gen-000002", "gen-000003", "gen-000004", "gen-000005"):
        assert "loop-new" in by_station[station]["station"]["groups"], by_station[station]
        assert by_station[station]["changed"]
    assert by_station["gen-000002"]["attempts"] >= 2 and by_station["gen-000004"]["attempts"] >= 2
    # The items after a retry that found the group needed no retry: they used the fresh tree.
    assert by_station["gen-000003"].get("attempts", 1) == 1 and by_station["gen-000005"].get("attempts", 1) == 1

    log = emu.requests(mark)
    joins = [r for r in log if (r["object"], r["script"]) == ("stations", "change")]
    group_writes = [i for i, r in enumerate(log) if r["object"] == "groups" and r.get("write")]
    assert len(group_writes) == 2
    for station in ("gen-000002", "gen-000003", "gen-000004", "gen-000005"):
        join = [i for i, r in enumerate(log) if r in joins and harness.station_of(r) == station]
        assert len(join) == 1 and join[0] > group_writes[0], (station, join)
        assert "loop-new" in json.dumps(log[join[0]]["params"])
    assert emu.stations_by_id()["gen-000005"]["groups"].count("loop-new") == 1
