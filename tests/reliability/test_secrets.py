# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""No password ever shows up: not at ``-vvvv --diff``, not in returned data, not in the request log.

One playbook drives every module with secrets in play: the administrator password (random
per run), station passwords set by the play (random per run), the passwords of the seed's
stations (which ``stations/info.ds`` returns), a wrong administrator password, and failures
whose messages could quote a request. The playbook runs at ``-vvvv`` with ``--diff``; then
stdout, stderr, every recorded task result and the emulator's request log are scanned for
every one of those secrets.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import secrets

import pytest

import harness  # pylint: disable=import-error

ST = "drweb.esuite.drweb_station"
SS = "drweb.esuite.drweb_stations"


def playbook(station_pw, new_pw, check_pw, wrong_api_pw, bulk, fmt):
    task = []

    def add(name, module, args, **extra):
        entry = {"name": name, module: args}
        entry.update(extra)
        task.append(entry)

    add("create a station with a password", ST, {
        "id": "sec-01", "name": "Secret test", "password": station_pw, "description": "secrets",
        "acl_allow": ["10.1.0.0/16"], "groups": ["servers"]})
    add("change its password", ST, {"id": "sec-01", "password": new_pw})
    add("same password again", ST, {"id": "sec-01", "password": new_pw, "description": "secrets"})
    add("predict a password change", ST, {"id": "sec-01", "password": check_pw}, check_mode=True)
    add("password only on create", ST, {"id": "sec-01", "password": check_pw, "update_password": "on_create"})
    add("change a seed station that has a password", ST, {"id": "s1", "city": "Secretville", "groups": ["servers"]})
    add("read stations with every block", "drweb.esuite.drweb_station_info", {"id": ["sec-01", "s1", "ws-0001"], "include": ["all"]})
    add("list a group", "drweb.esuite.drweb_station_info", {"group": "servers", "subgroups": True})
    add("list the newbies", "drweb.esuite.drweb_station_info", {"newbies": True, "station_type": True})
    add("read group components", "drweb.esuite.drweb_group_components", {"id": ["servers", "Accounting"]})
    add("approve a newbie", "drweb.esuite.drweb_newbie", {"id": "newbie-01", "action": "approve", "group": "servers"})
    add("predict a repository update", "drweb.esuite.drweb_repo_update", {}, check_mode=True)
    add("fail on an unknown group while setting a password", ST, {
        "id": "sec-01", "password": station_pw, "groups": ["No Such Group"]}, ignore_errors=True)
    add("fail to create a station in an unknown primary group", ST, {
        "id": "sec-02", "password": station_pw, "parent_group": "No Such Group"}, ignore_errors=True)
    add("fail on a bad ACL next to a password", ST, {
        "id": "sec-01", "password": station_pw, "acl_allow": ["10.0.0.0/99"]}, ignore_errors=True)
    add("fail to authenticate", "drweb.esuite.drweb_station_info", {"id": ["sec-01"], "api_password": wrong_api_pw},
        ignore_errors=True)
    # drweb_stations: several stations with passwords in one module run, several threads.
    add("bulk: create stations with passwords", SS, {"concurrency": 3, "stations": [
        {"id": "sec-11", "name": "Bulk secret 1", "password": bulk["create"], "groups": ["servers"]},
        {"id": "sec-12", "name": "Bulk secret 2", "password": bulk["create2"], "acl_allow": ["10.2.0.0/16"]},
        {"id": "s1", "city": "Bulkville"}]})
    add("bulk: change their passwords", SS, {"concurrency": 2, "stations": [
        {"id": "sec-11", "password": bulk["change"]}, {"id": "sec-12", "password": bulk["change2"], "city": "Bulkville"}]})
    add("bulk: predict a password change", SS, {"stations": [
        {"id": "sec-11", "password": bulk["check"]}, {"id": "sec-12", "password": bulk["check"]}]}, check_mode=True)
    add("bulk: passwords only on create", SS, {"stations": [
        {"id": "sec-11", "password": bulk["check"], "update_password": "on_create"},
        {"id": "sec-12", "password": bulk["check"], "update_password": "on_create"}]})
    add("bulk: fail one station on an unknown group next to passwords", SS, {"concurrency": 2, "stations": [
        {"id": "sec-11", "password": bulk["change"], "description": "bulk"},
        {"id": "sec-12", "password": bulk["create"], "groups": ["No Such Group"]}]}, ignore_errors=True)
    add("bulk: fail on a bad ACL next to passwords", SS, {"stations": [
        {"id": "sec-11", "password": bulk["create"], "acl_allow": ["10.0.0.0/99"]},
        {"id": "sec-11", "password": bulk["create2"]}]}, ignore_errors=True)
    add("bulk: fail to authenticate", SS, {"stations": [{"id": "sec-11", "password": bulk["create"]}],
                                           "api_password": wrong_api_pw}, ignore_errors=True)
    add("bulk: delete the stations", SS, {"stations": [{"id": "sec-11", "state": "absent"},
                                                       {"id": "sec-12", "state": "absent"}]})
    add("delete the station", ST, {"id": "sec-01", "state": "absent"})
    return task


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_no_secret_anywhere(ansible, tmp_path_factory, fmt):
    with harness.Emulator(workdir=str(tmp_path_factory.mktemp("emulator"))) as emu:
        station_pw, new_pw, check_pw = ["St-" + secrets.token_urlsafe(12) for dummy in range(3)]
        wrong_api_pw = "Wrong-" + secrets.token_urlsafe(12)
        bulk = dict((key, "Bk-" + secrets.token_urlsafe(12)) for key in ("create", "create2", "change", "change2", "check"))
        tasks = playbook(station_pw, new_pw, check_pw, wrong_api_pw, bulk, fmt)
        play = [{"hosts": "localhost", "gather_facts": False,
                 "module_defaults": {"group/drweb.esuite.drweb": emu.connection(api_format=fmt)}, "tasks": tasks}]
        seed_passwords = [s.get("password") for s in emu.state().get("stations") or [] if s.get("password")]
        run = ansible.playbook(ansible.write("secrets.yml", json.dumps(play)),
                               ansible.write("localhost.ini", harness.LOCALHOST_INVENTORY % harness.PYTHON),
                               verbosity=4, diff=True, timeout=900)
        log = emu.log_text()
        state_text = json.dumps(emu.state())
        final_passwords = [s.get("password") for s in json.loads(state_text).get("stations") or [] if s.get("password")]

    # The play did what it claims, so the scan covers real work.
    statuses = dict((r["task"], r["status"]) for r in run.results)
    assert run.rc == 0, run.output[-4000:]
    assert len(run.results) == len(tasks)
    assert statuses["change its password"] == "ok" and statuses["approve a newbie"] == "ok"
    changed = dict((r["task"], r["result"].get("changed")) for r in run.results)
    assert changed["change its password"] is True and changed["same password again"] is False
    assert [t for t, s in statuses.items() if s == "failed"] == [t["name"] for t in tasks if t.get("ignore_errors")]
    assert new_pw in final_passwords  # the password really reached the server
    assert bulk["change"] in final_passwords and bulk["change2"] in final_passwords
    bulk_results = dict((r["task"], r["result"]) for r in run.results if r["task"].startswith("bulk:"))
    assert bulk_results["bulk: create stations with passwords"]["summary"]["created"] == 2
    assert [s["changed"] for s in bulk_results["bulk: change their passwords"]["stations"]] == [True, True]
    assert [s["action"] for s in bulk_results["bulk: fail one station on an unknown group next to passwords"]["stations"]] \
        == ["updated", "failed"]

    secrets_to_find = {"api_password": emu.password, "wrong api_password": wrong_api_pw,
                       "station password (create)": station_pw, "station password (change)": new_pw,
                       "station password (check mode)": check_pw,
                       "station password (bulk create)": bulk["create"], "station password (bulk create 2)": bulk["create2"],
                       "station password (bulk change)": bulk["change"], "station password (bulk change 2)": bulk["change2"],
                       "station password (bulk check mode)": bulk["check"]}
    for value in set(seed_passwords + final_passwords):
        secrets_to_find.setdefault("station password %s" % value[:2] + "…", value)
    places = {"stdout (-vvvv --diff)": run.stdout, "stderr": run.stderr,
              "returned data": json.dumps([r["result"] for r in run.results], default=str),
              "emulator request log": log}
    leaks = []
    for label, value in sorted(secrets_to_find.items()):
        pattern = re.compile(r"(?<![0-9A-Za-z])%s(?![0-9A-Za-z])" % re.escape(value))
        if label.startswith("station password") and "check mode" not in label and "create" not in label:
            # Positive control: the scanner does find a password where one really is.
            assert pattern.search(state_text), label
        for place, text in sorted(places.items()):
            found = pattern.search(text)
            if found:
                leaks.append("%s found in %s: ...%s..." % (label, place, text[max(0, found.start() - 120):found.end() + 40]))
    assert leaks == [], "\n".join(leaks)
    # The masked forms are what the user sees instead.
    assert "********" in places["returned data"]
