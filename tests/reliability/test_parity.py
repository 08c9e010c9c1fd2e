# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Both execution paths give the same results and send the same requests.

One playbook of scenarios runs twice against the same emulator, reset in between: once with
``DRWEB_EXECUTION=module`` (every task ships its module, as before issue 13), once with the
default (``auto``: tasks on the local connection run in the controller's worker process).
The scenarios: changes with ``--diff``, a no-op, check mode with diff, a loop, a bulk task,
group writes followed by a read of the new group, bad input, a server-side failure,
``module_defaults`` (the group and a module's own name), ``DRWEB_*`` fallbacks from the
play's and the task's ``environment:``, ``no_log`` values at ``-vvvv``, and a host whose
connection is not ``local`` (its tasks ship the module on both runs).

Compared, per task: the recorded result minus timing; per run: the writes in order, and the
distinct reads (the controller path may send fewer reads, since a loop keeps its client and
group tree, but never other ones). Nothing of the two runs' outputs may hold a secret.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import secrets

import pytest

import harness  # pylint: disable=import-error

ST = "drweb.esuite.drweb_station"
INFO = "drweb.esuite.drweb_station_info"

# A connection that is not ``local`` to the action plugin, yet runs commands here: its tasks
# take the path of a remote host (the module is shipped) without needing an SSH server.
REMOTE_CONNECTION = '''
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = """
name: drweb_elsewhere
short_description: the local connection under another name (test helper of drweb.esuite)
description: [Runs commands on the controller, but is not the local connection.]
author: drweb.esuite contributors
"""

from ansible.plugins.connection.local import Connection as LocalConnection


class Connection(LocalConnection):
    transport = "drweb_elsewhere"
'''

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def scenarios(agent_password):
    local = []

    def add(name, module, args, **extra):
        entry = {"name": name, module: args}
        entry.update(extra)
        local.append(entry)

    add("change a station, with a password", ST, {"id": "ws-0001", "description": "Parity desk",
                                                  "password": agent_password}, diff=True)
    add("the same again is a no-op", ST, {"id": "ws-0001", "description": "Parity desk"}, diff=True)
    add("predict a change", ST, {"id": "ws-0002", "city": "Hamburg"}, check_mode=True, diff=True)
    add("a loop", ST, {"id": "{{ item.id }}", "description": "{{ item.description }}"},
        loop=[{"id": "ws-0001", "description": "Parity desk"}, {"id": "ws-0002", "description": "Loop 2"},
              {"id": "srv-01", "description": "Loop 3"}], diff=True)
    add("a bulk task", "drweb.esuite.drweb_stations", {"stations": [
        {"id": "srv-01", "description": "Loop 3"}, {"id": "srv-02", "description": "Bulk 2"}]}, diff=True)
    add("create a group", "drweb.esuite.drweb_group",
        {"id": "parity-grp", "name": "Parity", "parent": "", "description": "made by the parity test"}, diff=True)
    add("move a station into it", ST, {"id": "srv-02", "groups": ["Parity"]}, diff=True)
    add("rename the group", "drweb.esuite.drweb_group", {"id": "parity-grp", "name": "Parity 2"}, diff=True)
    add("read the renamed group", "drweb.esuite.drweb_group_info", {"id": ["Parity 2"]})
    add("module_defaults of the module's own name, and the task's environment", INFO,
        {"id": ["ws-0001", "srv-02"]}, environment={"DRWEB_RETRIES": "2"})
    add("bad input", ST, {"id": "bad\u0007id", "city": {"a": 1}}, ignore_errors=True)
    add("a server-side failure", ST, {"id": "ws-0002", "groups": ["No Such Group"]}, ignore_errors=True)
    add("an unknown option", ST, {"id": "ws-0002", "colour": "red"}, ignore_errors=True)

    defaults = {"group/drweb.esuite.drweb": {"api_url": "{{ drweb_api_url }}", "api_password": "{{ drweb_api_password }}",
                                             "ca_path": "{{ drweb_ca_path }}"},
                INFO: {"timeout": 11}}
    # Not the password: core prints a shipped module's environment at -vvvv.
    play_environment = {"DRWEB_API_USERNAME": "{{ drweb_api_username }}"}
    remote = [
        {"name": "read from a remote host", INFO: {"id": ["srv-win-01"]}},
        {"name": "change from a remote host", ST: {"id": "srv-win-01", "description": "Shipped"}, "diff": True},
    ]
    return [
        {"name": "on the controller", "hosts": "controller", "gather_facts": False, "module_defaults": defaults,
         "environment": play_environment, "tasks": local},
        {"name": "on a remote host", "hosts": "elsewhere", "gather_facts": False, "module_defaults": defaults,
         "environment": play_environment, "tasks": remote},
    ]


def comparable(run, emu):
    """The recorded results of a run without timing, the emulator's address and generated ids."""
    results = []
    for entry in run.results:
        result = dict(entry["result"])
        for key in ("start", "end", "delta", "_ansible_verbose_always"):
            result.pop(key, None)
        results.append({"host": entry["host"], "task": entry["task"], "status": entry["status"], "result": result})
    return _without_clock(json.loads(_placeholders(json.dumps(results, sort_keys=True), emu)))


def _without_clock(data):
    """``data`` without the server's clock readings (a station's modified_time is when the run wrote it)."""
    if isinstance(data, dict):
        return dict((k, _without_clock(v)) for k, v in data.items() if not (k.endswith("_time") and isinstance(v, int)))
    if isinstance(data, list):
        return [_without_clock(v) for v in data]
    return data


def _placeholders(text, emu):
    text = text.replace(emu.url, "URL").replace(emu.ca_file, "CA")
    names = {}
    return UUID.sub(lambda m: names.setdefault(m.group(0), "uuid-%d" % len(names)), text)


def requests_of(emu, since):
    """(writes in order, distinct reads, number of reads) of the requests since ``since``."""
    writes, reads, count = [], set(), 0
    for entry in emu.requests(since):
        key = _placeholders(json.dumps([entry["method"], entry["path"], entry.get("params"), entry["status"]],
                                       sort_keys=True), emu)
        if entry.get("write"):
            writes.append(key)
        else:
            reads.add(key)
            count += 1
    return writes, reads, count


@pytest.fixture(scope="module")
def runs(tmp_path_factory, collections_dir):
    """Both runs of the scenarios: {'module': ..., 'auto': ...}, each (results, requests, output)."""
    agent_password = "Agent-" + secrets.token_urlsafe(12)
    with harness.Emulator(workdir=str(tmp_path_factory.mktemp("emulator"))) as emu:
        ansible = harness.Ansible(collections_dir, str(tmp_path_factory.mktemp("ansible")))
        plugins = os.path.join(ansible.workdir, "connection_plugins")
        os.makedirs(plugins)
        ansible.write("connection_plugins/drweb_elsewhere.py", REMOTE_CONNECTION)
        inventory = ansible.write("inventory.json", json.dumps({"all": {
            "vars": {"ansible_python_interpreter": harness.PYTHON},
            "children": {"controller": {"hosts": {"localhost": {"ansible_connection": "local"}}},
                         "elsewhere": {"hosts": {"remote-1": {"ansible_connection": "drweb_elsewhere"}}}}}}))
        playbook = ansible.write("parity.yml", json.dumps(scenarios(agent_password), indent=1))
        extra = {"drweb_api_url": emu.url, "drweb_api_username": emu.user, "drweb_api_password": emu.password,
                 "drweb_ca_path": emu.ca_file}
        out = {}
        for mode in ("module", "auto"):
            emu.admin("POST", "reset")
            mark = emu.mark()
            run = ansible.playbook(playbook, inventory, verbosity=4, extra_vars=extra,
                                   env={"DRWEB_EXECUTION": mode, "ANSIBLE_CONNECTION_PLUGINS": plugins,
                                        # ansible-core 2.21 leaves invocation out by default: ask for it, so
                                        # that what each path validated is compared too.
                                        "ANSIBLE_INJECT_INVOCATION": "true"})
            out[mode] = dict(run=run, results=comparable(run, emu), requests=requests_of(emu, mark))
        out["secrets"] = (emu.password, agent_password)
        yield out


def test_every_scenario_ran(runs):
    for mode in ("module", "auto"):
        run = runs[mode]["run"]
        assert run.rc == 0, run.output[-3000:]
        tasks = [(r["task"], r["status"]) for r in runs[mode]["results"]]
        assert ("bad input", "failed") in tasks and ("a server-side failure", "failed") in tasks
        assert ("an unknown option", "failed") in tasks
        assert ("change from a remote host", "ok") in tasks
        assert sum(1 for r in runs[mode]["results"] if r["result"].get("changed")) >= 6


def test_the_auto_run_took_the_controller_path_and_the_module_run_did_not(runs):
    auto, module = runs["auto"]["run"].output, runs["module"]["run"].output
    # Every task of the controller play runs in the worker (the loop once per item); the remote host's ship.
    assert auto.count("runs in the controller process") == 15
    assert auto.count("ships as a module: the task runs over the drweb_elsewhere connection") == 2
    assert "runs in the controller process" not in module
    assert module.count("ships as a module: DRWEB_EXECUTION=module") == 17


def test_results_are_the_same_on_both_paths(runs):
    module, auto = runs["module"]["results"], runs["auto"]["results"]
    assert [(r["host"], r["task"]) for r in auto] == [(r["host"], r["task"]) for r in module]
    for got, expected in zip(auto, module):
        differing = sorted(k for k in set(got["result"]) | set(expected["result"])
                           if got["result"].get(k) != expected["result"].get(k))
        assert got == expected, (got["task"], differing)


def test_what_both_paths_saw_of_module_defaults_and_environment(runs):
    for mode in ("module", "auto"):
        info = next(r["result"] for r in runs[mode]["results"] if r["task"].startswith("module_defaults"))
        args = info["invocation"]["module_args"]
        assert (args["api_url"], args["timeout"], args["retries"]) == ("URL", 11, 2)
        assert args["api_password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
        bad = next(r["result"] for r in runs[mode]["results"] if r["task"] == "bad input")
        assert sorted(bad["problems"]) == sorted([
            "id must not hold control characters; character 4 is U+0007.", "city must be a string, not a mapping."])


def test_the_same_requests_reach_the_server(runs):
    module_writes, module_reads, module_count = runs["module"]["requests"]
    auto_writes, auto_reads, auto_count = runs["auto"]["requests"]
    assert auto_writes == module_writes
    assert len(auto_writes) >= 6
    assert auto_reads == module_reads
    assert auto_count <= module_count


def test_no_secret_in_either_run(runs):
    for mode in ("module", "auto"):
        run = runs[mode]["run"]
        text = run.output + json.dumps(run.results)
        for secret in runs["secrets"]:
            assert secret not in text, mode
