# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Malformed input never reaches the server as a write, and fails with one clear sentence.

Every case is one task of a single ``ansible-playbook`` run against one emulator (one run
keeps ~50 cases affordable); the recorder callback stamps each task's start and end, and
the requests the emulator logged in that window belong to that case (the tasks run one
after the other on one host).

* ``reads=0``: a pure input error - rejected before any request at all.
* ``reads>0``: the error can only be known from the server (an unknown group or tariff):
  at most that many reads, and never a write.

Messages written by the collection must be one sentence ending in a full stop; messages of
ansible-core's own argument checks (wrong type, unknown choice, missing or mutually exclusive
options) keep core's format, which has no full stop, and are accepted as such.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

import pytest

import harness  # pylint: disable=import-error

ST = "drweb.esuite.drweb_station"
INFO = "drweb.esuite.drweb_station_info"
COMP = "drweb.esuite.drweb_group_components"
NEWBIE = "drweb.esuite.drweb_newbie"
REPO = "drweb.esuite.drweb_repo_update"
SS = "drweb.esuite.drweb_stations"
GR = "drweb.esuite.drweb_group"
GRS = "drweb.esuite.drweb_groups"
GINFO = "drweb.esuite.drweb_group_info"

# A group name costs a walk of the group tree: groups/list.ds for the root and for every
# group with children (5 in the default seed), plus the station read and a groups/info.ds.
WALK = 7

# A file that exists but holds no certificate.
NOT_PEM = harness.ROOT + "/galaxy.yml"

# Values of the limits that every text option has (item 8 of issue 14).
CITY_100KB = "x" * 100000
LONG_PATH = "/".join(["Level-%02d-%s" % (i, "x" * 60) for i in range(20)])

# Fifty valid entries and, last of all, an invalid one: the list is checked before any request.
LONG_LIST = [{"id": "ws-%04d" % i, "city": "Berlin"} for i in range(1, 51)] + [{"id": "ws-0051", "acl_allow": ["10.0.0.0/33"]}]

# (case id, module, arguments, expected words in msg (lower case), reads allowed)
CASES = [
    # --- ACL specifications
    ("acl-prefix-33", ST, {"id": "ws-0001", "acl_allow": ["10.0.0.0/33"]}, ["10.0.0.0/33"], 0),
    ("acl-bad-octet", ST, {"id": "ws-0001", "acl_allow": ["999.1.1.1"]}, ["999.1.1.1"], 0),
    ("acl-udp", ST, {"id": "ws-0001", "acl_allow": ["udp/10.0.0.1"]}, ["udp"], 0),
    ("acl-holey-mask", ST, {"id": "ws-0001", "acl_allow": ["10.0.0.1/255.0.255.0"]}, ["255.0.255.0"], 0),
    ("acl-ipv6-129", ST, {"id": "ws-0001", "acl_disallow": ["fe80::1/129"]}, ["fe80::1/129"], 0),
    ("acl-empty-entry", ST, {"id": "ws-0001", "acl_allow": [""]}, ["acl"], 0),
    ("acl-two-masks", ST, {"id": "ws-0001", "acl_allow": ["10.0.0.1/24/8"]}, ["10.0.0.1/24/8"], 0),
    ("acl-spaces", ST, {"id": "ws-0001", "acl_allow": ["10.0.0.1 10.0.0.2"]}, ["10.0.0.1 10.0.0.2"], 0),
    ("acl-negative-prefix", ST, {"id": "ws-0001", "acl_disallow": ["10.0.0.0/-1"]}, ["10.0.0.0/-1"], 0),
    # --- dates
    ("date-month-13", ST, {"id": "ws-0001", "block_begin": "2026-13-01"}, ["block_begin"], 0),
    ("date-word", ST, {"id": "ws-0001", "block_end": "yesterday"}, ["block_end"], 0),
    ("date-compact-month-13", ST, {"id": "ws-0001", "block_begin": "20261301"}, ["block_begin"], 0),
    ("date-feb-30", ST, {"id": "ws-0001", "expires": "2026-02-30"}, ["expires"], 0),
    ("date-dict", ST, {"id": "ws-0001", "block_begin": {"year": 2026}}, ["block_begin"], 0),
    ("date-list", ST, {"id": "ws-0001", "block_end": [2026, 12, 31]}, ["block_end"], 0),
    ("date-hour-25", ST, {"id": "ws-0001", "block_end": "2026-12-31T25:00:00"}, ["block_end"], 0),
    # --- coordinates
    ("latitude-91", ST, {"id": "ws-0001", "latitude": 91}, ["latitude"], 0),
    ("longitude-minus-181", ST, {"id": "ws-0001", "longitude": -181}, ["longitude"], 0),
    ("latitude-word", ST, {"id": "ws-0001", "latitude": "north"}, ["latitude"], 0),
    ("latitude-nan", ST, {"id": "ws-0001", "latitude": "nan"}, ["latitude"], 0),
    ("longitude-inf", ST, {"id": "ws-0001", "longitude": "inf"}, ["longitude"], 0),
    # --- country codes
    ("country-name", ST, {"id": "ws-0001", "country": "Germany"}, ["germany"], 0),
    ("country-digit", ST, {"id": "ws-0001", "country": "D1"}, ["d1"], 0),
    ("country-three-letters", ST, {"id": "ws-0001", "country": "DEU"}, ["deu"], 0),
    # --- ids and group names
    ("station-id-empty", ST, {"id": "", "city": "Berlin"}, ["id"], 0),
    ("station-id-blank", ST, {"id": "   ", "city": "Berlin"}, ["id"], 0),
    ("station-id-missing", ST, {"city": "Berlin"}, ["id"], 0),
    ("group-unknown-name", ST, {"id": "ws-0001", "groups": ["No Such Group"]}, ["no such group"], WALK),
    ("group-empty-name", ST, {"id": "ws-0001", "groups": [""]}, ["group"], 0),
    ("parent-group-empty", ST, {"id": "ws-0001", "parent_group": ""}, ["parent_group"], 0),
    ("rate-unknown", ST, {"id": "ws-0001", "rate": "Platinum"}, ["platinum"], WALK),
    ("password-empty", ST, {"id": "ws-0001", "password": ""}, ["password"], 0),
    # --- option combinations and wrong types (drweb_station)
    ("state-choice", ST, {"id": "ws-0001", "state": "gone"}, ["state"], 0),
    ("purge-acl-not-bool", ST, {"id": "ws-0001", "purge_acl": "maybe"}, ["purge_acl"], 0),
    ("acl-priority-choice", ST, {"id": "ws-0001", "acl_priority": "sometimes"}, ["acl_priority"], 0),
    ("unknown-option", ST, {"id": "ws-0001", "colour": "red"}, ["colour"], 0),
    # core would turn the mapping into its Python text and look for a group of that name
    ("groups-not-list-of-str", ST, {"id": "ws-0001", "groups": [{"name": "Servers"}]}, ["groups[0]", "mapping"], 0),
    # --- values that must not reach the wire: control characters, lists and mappings for text, lengths (drweb_station)
    ("station-id-nul", ST, {"id": "nul\u0000id", "city": "Berlin"}, ["id", "control characters", "u+0000"], 0),
    ("station-id-list", ST, {"id": ["a", "b"], "city": "Berlin"}, ["id", "string, not a list"], 0),
    ("city-mapping", ST, {"id": "ws-0001", "city": {"a": 1}}, ["city", "string, not a mapping"], 0),
    ("city-100kb", ST, {"id": "ws-0001", "city": CITY_100KB}, ["city", "255", "100000"], 0),
    ("name-escape-sequence", ST, {"id": "ws-0001", "name": "Kiosk\u001b[31m"}, ["name", "u+001b"], 0),
    ("description-carriage-return", ST, {"id": "ws-0001", "description": "two\r\nlines"}, ["description", "u+000d"], 0),
    ("password-control", ST, {"id": "ws-0001", "password": "Kiosk\u0007pw"}, ["password", "control characters"], 0),
    ("groups-entry-nul", ST, {"id": "ws-0001", "groups": ["Servers", "Ser\u0000vers"]}, ["groups[1]", "u+0000"], 0),
    ("parent-group-too-long", ST, {"id": "ws-0001", "parent_group": LONG_PATH}, ["parent_group", "1024"], 0),
    ("acl-entry-newline", ST, {"id": "ws-0001", "acl_allow": ["10.0.0.1\n10.0.0.2"]}, ["acl_allow[0]", "u+000a"], 0),
    ("email-list", ST, {"id": "ws-0001", "email": ["a@example.com"]}, ["email", "list"], 0),
    ("block-begin-100kb", ST, {"id": "ws-0001", "block_begin": "9" * 100000}, ["block_begin", "not a valid date"], 0),
    ("api-username-list", ST, {"id": "ws-0001", "api_username": ["admin"]}, ["api_username", "list"], 0),
    ("api-password-nul", ST, {"id": "ws-0001", "api_password": "pw\u0000"}, ["api_password", "control characters"], 0),
    # --- drweb_station_info
    ("info-no-selector", INFO, {}, ["id", "group", "newbies"], 0),
    ("info-id-and-group", INFO, {"id": ["ws-0001"], "group": "Servers"}, ["id", "group"], 0),
    ("info-include-with-group", INFO, {"group": "Servers", "include": ["keys"]}, ["include"], 0),
    ("info-include-choice", INFO, {"id": ["ws-0001"], "include": ["everything"]}, ["include"], 0),
    ("info-limit-negative", INFO, {"group": "Servers", "limit": -1}, ["limit"], 0),
    ("info-limit-word", INFO, {"group": "Servers", "limit": "many"}, ["limit"], 0),
    ("info-missing-choice", INFO, {"id": ["ws-0001"], "missing": "skip"}, ["missing"], 0),
    ("info-group-blank", INFO, {"group": "  "}, ["group"], 0),
    ("info-ids-blank", INFO, {"id": ["", " "]}, ["id"], 0),
    ("info-id-nul", INFO, {"id": ["ws-0001", "ws\u00002"]}, ["id[1]", "u+0000"], 0),
    ("info-id-mapping", INFO, {"id": [{"id": "ws-0001"}]}, ["id[0]", "mapping"], 0),
    ("info-id-too-long", INFO, {"id": ["w" * 129]}, ["id[0]", "128", "129"], 0),
    ("info-group-mapping", INFO, {"group": {"name": "Servers"}}, ["group", "mapping"], 0),
    # --- drweb_group_components
    ("components-no-ids", COMP, {"id": []}, ["id"], 0),
    ("components-blank-id", COMP, {"id": [" "]}, ["id"], 0),
    ("components-missing-id", COMP, {}, ["id"], 0),
    ("components-id-nul", COMP, {"id": ["servers\u0000"]}, ["id[0]", "u+0000"], 0),
    ("components-id-mapping", COMP, {"id": [{"id": "servers"}]}, ["id[0]", "mapping"], 0),
    # --- drweb_group, drweb_groups, drweb_group_info: names, ids, descriptions, parent paths
    ("group-id-nul", GR, {"id": "site\u0000berlin", "name": "Berlin"}, ["id", "u+0000"], 0),
    ("group-name-list", GR, {"name": ["Berlin"]}, ["name", "list"], 0),
    ("group-parent-mapping", GR, {"name": "Kiosks", "parent": {"name": "Berlin"}}, ["parent", "mapping"], 0),
    ("group-parent-path-too-long", GR, {"name": "Kiosks", "parent": LONG_PATH}, ["parent", "1024"], 0),
    ("group-description-100kb", GR, {"id": "site-berlin", "name": "Berlin", "description": CITY_100KB},
     ["description", "1024", "100000"], 0),
    ("group-description-bell", GR, {"id": "site-berlin", "name": "Berlin", "description": "ring\u0007"},
     ["description", "u+0007"], 0),
    ("groups-entry-name-nul", GRS, {"groups": [{"id": "site-berlin", "name": "Berlin"}, {"name": "Kio\u0000sks"}]},
     ["groups[1]", "name", "u+0000"], 0),
    ("groups-entry-id-list", GRS, {"groups": [{"id": ["a", "b"], "name": "Berlin"}]}, ["groups[0]", "id", "list"], 0),
    ("groups-entry-description-mapping", GRS, {"groups": [{"id": "site-berlin", "name": "Berlin", "description": {"a": 1}}]},
     ["groups[0] (site-berlin)", "description", "mapping"], 0),
    ("groups-entry-parent-too-long", GRS, {"groups": [{"id": "kiosks", "name": "Kiosks", "parent": LONG_PATH}]},
     ["groups[0] (kiosks)", "parent", "1024"], 0),
    ("group-info-id-list-item", GINFO, {"id": [["Servers"]]}, ["id[0]", "list"], 0),
    ("group-info-id-nul", GINFO, {"id": ["Servers", "Ser\u0000vers"]}, ["id[1]", "u+0000"], 0),
    # --- drweb_newbie
    ("newbie-approve-without-group", NEWBIE, {"id": "newbie-01", "action": "approve"}, ["group"], 0),
    ("newbie-group-with-reject", NEWBIE, {"id": "newbie-01", "action": "reject", "group": "Servers"}, ["group"], 0),
    ("newbie-action-choice", NEWBIE, {"id": "newbie-01", "action": "destroy"}, ["action"], 0),
    ("newbie-blank-id", NEWBIE, {"id": " ", "action": "reject"}, ["id"], 0),
    ("newbie-id-nul", NEWBIE, {"id": "newbie\u000001", "action": "reject"}, ["id", "u+0000"], 0),
    ("newbie-id-100kb", NEWBIE, {"id": CITY_100KB, "action": "reject"}, ["id", "128", "100000"], 0),
    ("newbie-group-list", NEWBIE, {"id": "newbie-01", "action": "approve", "group": ["Servers"]}, ["group", "list"], 0),
    ("newbie-unknown-group", NEWBIE, {"id": "newbie-01", "action": "approve", "group": "No Such Group"}, ["no such group"], WALK),
    # --- drweb_repo_update
    ("repo-wait-timeout-negative", REPO, {"wait": True, "wait_timeout": -5}, ["wait_timeout"], 0),
    ("repo-poll-interval-zero", REPO, {"wait": True, "poll_interval": 0}, ["poll_interval"], 0),
    ("repo-force-not-bool", REPO, {"force": "perhaps"}, ["force"], 0),
    # --- drweb_stations: invalid entries, duplicates, wrong types, concurrency, not a list
    ("stations-invalid-entry", SS, {"stations": [{"id": "ws-0001", "city": "Berlin"},
                                                 {"id": "ws-0002", "acl_allow": ["10.0.0.0/33"]}]},
     ["stations[1]", "ws-0002", "10.0.0.0/33", "nothing was sent"], 0),
    ("stations-invalid-last-of-51", SS, {"stations": LONG_LIST}, ["stations[50]", "ws-0051", "10.0.0.0/33"], 0),
    ("stations-two-invalid-entries", SS, {"stations": [{"id": "ws-0001", "latitude": 91},
                                                       {"id": "ws-0002", "country": "Germany"}]},
     ["stations[0]", "latitude", "stations[1]", "germany"], 0),
    ("stations-duplicate-id", SS, {"stations": [{"id": "ws-0001", "city": "A"}, {"id": "ws-0002", "city": "B"},
                                                {"id": "ws-0001", "city": "C"}]},
     ["ws-0001", "stations[0]", "stations[2]"], 0),
    ("stations-blank-id", SS, {"stations": [{"id": "ws-0001", "city": "A"}, {"id": "  ", "city": "B"}]}, ["stations[1]", "id"], 0),
    ("stations-missing-id", SS, {"stations": [{"id": "ws-0001", "city": "A"}, {"city": "B"}]}, ["id", "stations"], 0),
    ("stations-latitude-word", SS, {"stations": [{"id": "ws-0001", "latitude": "north"}]}, ["latitude", "stations"], 0),
    ("stations-purge-acl-not-bool", SS, {"stations": [{"id": "ws-0001", "purge_acl": "maybe"}]}, ["purge_acl", "stations"], 0),
    ("stations-groups-dict", SS, {"stations": [{"id": "ws-0001", "groups": {"name": "Servers"}}]}, ["groups", "stations"], 0),
    ("stations-state-choice", SS, {"stations": [{"id": "ws-0001", "state": "gone"}]}, ["state", "stations"], 0),
    ("stations-unknown-option", SS, {"stations": [{"id": "ws-0001", "colour": "red"}]}, ["colour", "stations"], 0),
    ("stations-not-a-list", SS, {"stations": {"id": "ws-0001", "city": "Berlin"}}, ["stations", "list"], 0),
    ("stations-missing", SS, {"concurrency": 2}, ["stations"], 0),
    ("stations-city-mapping", SS, {"stations": [{"id": "ws-0001", "city": "Berlin"}, {"id": "ws-0002", "city": {"a": 1}}]},
     ["stations[1] (ws-0002)", "city", "mapping"], 0),
    ("stations-id-nul", SS, {"stations": [{"id": "ws\u00001", "city": "Berlin"}]}, ["stations[0]", "id", "u+0000"], 0),
    ("stations-id-list", SS, {"stations": [{"id": ["a", "b"]}]}, ["stations[0]", "id", "list"], 0),
    ("stations-city-100kb", SS, {"stations": [{"id": "ws-0001", "city": CITY_100KB}]},
     ["stations[0] (ws-0001)", "city", "100000"], 0),
    ("stations-groups-entry-mapping", SS, {"stations": [{"id": "ws-0001", "groups": [{"name": "Servers"}]}]},
     ["stations[0] (ws-0001)", "groups[0]", "mapping"], 0),
    ("stations-two-bad-values", SS, {"stations": [{"id": "ws-0001", "room": "r\u0000"}, {"id": "ws-0002", "floor": [3]}]},
     ["2 option values", "stations[0] (ws-0001)", "room", "stations[1] (ws-0002)", "floor"], 0),
    ("stations-scope-entry-nul", SS, {"stations": [{"id": "ws-0001"}], "scope": ["Ser\u0000vers"]}, ["scope[0]", "u+0000"], 0),
    ("stations-concurrency-zero", SS, {"stations": [{"id": "ws-0001", "city": "Berlin"}], "concurrency": 0},
     ["concurrency", "0"], 0),
    ("stations-concurrency-too-big", SS, {"stations": [{"id": "ws-0001", "city": "Berlin"}], "concurrency": 65},
     ["concurrency", "65"], 0),
    ("stations-concurrency-huge", SS, {"stations": [{"id": "ws-0001", "city": "Berlin"}], "concurrency": 100000},
     ["concurrency", "100000"], 0),
    ("stations-concurrency-word", SS, {"stations": [{"id": "ws-0001", "city": "Berlin"}], "concurrency": "many"},
     ["concurrency"], 0),
    # --- connection options (shared by every module)
    ("api-url-ftp", INFO, {"id": ["ws-0001"], "api_url": "ftp://127.0.0.1:1"}, ["api_url"], 0),
    ("api-url-credentials", COMP, {"id": ["servers"], "api_url": "https://admin:pw@127.0.0.1:1"}, ["api_url"], 0),
    ("api-url-query", REPO, {"api_url": "https://127.0.0.1:1/api?format=json"}, ["api_url"], 0),
    ("api-url-no-host", NEWBIE, {"id": "newbie-01", "action": "reject", "api_url": "https://"}, ["api_url"], 0),
    ("timeout-zero", ST, {"id": "ws-0001", "city": "Berlin", "timeout": 0}, ["timeout"], 0),
    ("stations-timeout-zero", SS, {"stations": [{"id": "ws-0001", "city": "Berlin"}], "timeout": 0}, ["timeout"], 0),
    ("retries-negative", ST, {"id": "ws-0001", "city": "Berlin", "retries": -1}, ["retries"], 0),
    ("api-format-choice", INFO, {"id": ["ws-0001"], "api_format": "yaml"}, ["api_format"], 0),
    # --- connection options that used to escape as "Module failed" or misleading hints (issue 14)
    ("ca-path-missing", ST, {"id": "ws-0001", "city": "Berlin", "ca_path": "/missing.pem"}, ["ca_path", "/missing.pem"], 0),
    ("stations-ca-path-missing", SS, {"stations": [{"id": "ws-0001", "city": "Berlin"}], "ca_path": "/missing.pem"},
     ["ca_path", "does not exist"], 0),
    ("ca-path-not-pem", INFO, {"id": ["ws-0001"], "ca_path": NOT_PEM}, ["ca_path", "no pem certificate"], 0),
    ("timeout-huge", INFO, {"id": ["ws-0001"], "timeout": 1000000000000}, ["timeout", "3600"], 0),
    ("retries-too-many", ST, {"id": "ws-0001", "city": "Berlin", "retries": 1000}, ["retries", "10"], 0),
    ("max-response-zero", COMP, {"id": ["servers"], "max_response_mb": 0}, ["max_response_mb"], 0),
    ("proxy-socks", REPO, {"proxy": "socks5://127.0.0.1:1080"}, ["proxy", "http://"], 0),
    ("proxy-plain-http-api", NEWBIE, {"id": "newbie-01", "action": "reject", "api_url": "http://drweb.example.com:9080",
                                      "proxy": "http://proxy.example.com:3128"}, ["plain http", "proxy"], 0),
]

# ansible-core's argument-spec messages: their wording is core's, without a full stop.
CORE_MESSAGE = re.compile(r"^(missing required arguments: |value of \S+ must be one (?:or more )?of: |argument '\S+' is of type |"
                          r"parameters are mutually exclusive: |Unsupported parameters for |missing parameter\(s\) required by |"
                          r"\S+ is \S+ but all of the following are missing: |parameters are required together: |"
                          r"one of the following is required: |Elements value for option '\S+' is of type )")


def sentence_problem(msg):
    """Why ``msg`` is not one clear sentence, or None."""
    problem = harness.one_sentence(msg)
    if CORE_MESSAGE.match(msg or "") and problem in (None, "does not end with a full stop"):
        return None
    if problem:
        return problem
    # A second sentence: a full stop followed by a capitalised word (not "e.g. https").
    if re.search(r"\.\s+[A-Z][a-z]", msg.rstrip(".")):
        return "more than one sentence"
    return None


@pytest.fixture(scope="module")
def outcomes(module_ansible, emulator):
    """Run every case as one task; map case id -> (recorded result, requests during it)."""
    defaults = emulator.connection()
    tasks = []
    for case_id, module, args, dummy, dummy2 in CASES:
        tasks.append({"name": case_id, module: args, "ignore_errors": True})
    play = [{"hosts": "localhost", "gather_facts": False,
             "module_defaults": {"group/drweb.esuite.drweb": defaults}, "tasks": tasks}]
    playbook = module_ansible.write("bad-input.yml", json.dumps(play, indent=1))
    inventory = module_ansible.write("localhost.ini", harness.LOCALHOST_INVENTORY % harness.PYTHON)
    mark = emulator.mark()
    run = module_ansible.playbook(playbook, inventory, timeout=900)
    requests = emulator.requests(mark)
    by_name = dict((r["task"], r) for r in run.results)
    result = {}
    for case_id in [case[0] for case in CASES]:
        recorded = by_name.get(case_id)
        result[case_id] = (recorded, harness.requests_during(requests, recorded) if recorded else None)
    result["_run"] = run
    result["_requests"] = requests
    return result


def test_enough_cases_across_all_modules():
    assert len(CASES) >= 40
    assert len(set(c[0] for c in CASES)) == len(CASES)
    assert set(c[1] for c in CASES) == {ST, INFO, COMP, NEWBIE, REPO, SS, GR, GRS, GINFO}


def test_no_write_at_all(outcomes):
    writes = [r for r in outcomes["_requests"] if r.get("write")]
    assert writes == [], "malformed input caused writes: %s" % json.dumps(writes, indent=1)


def test_a_refused_secret_is_never_repeated(outcomes):
    """The passwords refused for their control characters appear nowhere: not in msg, not in the invocation."""
    run = outcomes["_run"]
    for case_id in ("password-control", "api-password-nul"):
        recorded, dummy = outcomes[case_id]
        text = json.dumps(recorded["result"])
        assert "Kiosk\\u0007pw" not in text and "pw\\u0000" not in text, text[:1500]
    assert "Kiosk\u0007pw" not in run.output and "Kiosk\\u0007pw" not in run.output


def test_no_traceback_in_output(outcomes):
    run = outcomes["_run"]
    assert "Traceback" not in run.output
    assert "MODULE FAILURE" not in run.output


@pytest.mark.parametrize("case_id,module,args,words,reads", CASES, ids=[c[0] for c in CASES])
def test_bad_input(outcomes, case_id, module, args, words, reads):
    recorded, requests = outcomes[case_id]
    assert recorded is not None, "no result recorded for %s" % case_id
    result = recorded["result"]
    assert recorded["status"] == "failed", "%s was accepted: %s" % (case_id, json.dumps(result, default=str)[:1500])
    msg = result.get("msg")
    problem = sentence_problem(msg)
    assert problem is None, "%s: %s: %r" % (case_id, problem, msg)
    assert not harness.has_traceback(result), result.get("exception")
    lowered = msg.lower()
    for word in words:
        assert word in lowered, "%s: %r does not name %r" % (case_id, msg, word)
    writes = [r for r in requests if r.get("write")]
    assert writes == [], "%s sent a write: %s" % (case_id, writes)
    assert len(requests) <= reads, "%s sent %d requests (allowed %d): %s" % (
        case_id, len(requests), reads, [(r["script"], r["params"]) for r in requests])
