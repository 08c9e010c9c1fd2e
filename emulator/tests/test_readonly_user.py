# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""--readonly-user: a second administrator who may read everything and change nothing."""

import json

import pytest

from emulator_testlib import OFFICE, Api, station_state
from drweb_emulator import Config, EmulatorServer
from drweb_emulator.cli import build_parser, config_from_args
from drweb_emulator.errors import ERR_AUTH, ERR_PRIVILEGE

READER, READER_PASSWORD = "auditor", "r3ad-only"


@pytest.fixture(scope="module")
def readonly_server(tmp_path_factory):
    log = tmp_path_factory.mktemp("log") / "requests.jsonl"
    emulator = EmulatorServer(Config(port=0, update_duration=0.3, request_log=str(log),
                                     readonly_user=READER, readonly_password=READER_PASSWORD))
    emulator.start()
    yield emulator
    emulator.stop()


@pytest.fixture
def reader(readonly_server):
    readonly_server.reset()
    api = Api(readonly_server.url)
    api.session.auth = (READER, READER_PASSWORD)
    return api


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_the_reader_reads(reader, fmt):
    doc = reader.call("stations", "info", {"id": "s1"}, fmt)
    assert (doc["data"]["list"][0]["id"] if fmt == "json" else doc.find("stations/station").get("id")) == "s1"
    reader.call("groups", "list", {}, fmt)
    reader.call("server", "repository-status", {}, fmt)


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize("obj, script, params", [
    ("stations", "change", {"id": "s1", "city": "Nowhere"}),
    ("stations", "add", {"id": "ro-1"}),
    ("stations", "delete", {"id": "s1"}),
    ("groups", "add", {"name": "Read only"}),
])
def test_changes_are_refused_with_http_401_and_change_nothing(readonly_server, reader, fmt, obj, script, params):
    before = readonly_server.store.to_document()
    assert reader.error(obj, script, params, fmt, http_status=401) == \
        (ERR_PRIVILEGE, "Not enough privileges to perform the operation")
    assert readonly_server.store.to_document() == before


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize("params", [
    {"task-id": "update_repositories"},
    {"task-id": "newbies", "action": "approve", "id": "newbie-01", "group": OFFICE},
    {"task-id": "newbies", "action": "reject", "id": "newbie-01"},
])
def test_jobs_fail_inside_a_successful_envelope(readonly_server, reader, fmt, params):
    doc = reader.call("server", "tasks", params, fmt)      # envelope status true, as the server's samples show
    task = doc["data"]["task"] if fmt == "json" else dict(doc.find("task").attrib)
    assert (task["status"], task["message"]) == ("failed", "Not enough privileges to perform the operation")
    assert readonly_server.store.repository_status() == "ready"
    assert station_state(readonly_server, "newbie-01")["status"] == "newbies"


def test_the_administrator_still_may_change_and_a_wrong_reader_password_is_refused(readonly_server):
    readonly_server.reset()
    admin = Api(readonly_server.url)
    admin.call("stations", "change", {"id": "s1", "city": "Somewhere"})
    assert station_state(readonly_server, "s1")["city"] == "Somewhere"
    stranger = Api(readonly_server.url)
    stranger.session.auth = (READER, "wrong")
    assert stranger.error("stations", "info", {"id": "s1"}, http_status=401)[0] == ERR_AUTH


def test_without_the_option_there_is_no_reader(api):
    api.session.auth = (READER, READER_PASSWORD)
    assert api.error("stations", "info", {"id": "s1"}, http_status=401)[0] == ERR_AUTH


def test_the_request_log_marks_the_readers_requests(readonly_server, reader):
    reader.call("stations", "state", {"id": "s1"})
    reader.error("stations", "change", {"id": "s1", "city": "X"}, http_status=401)
    with open(readonly_server.config.request_log) as handle:
        last = [json.loads(line) for line in handle][-2:]
    assert [(e["script"], e["status"], e.get("readonly")) for e in last] == [("state", 200, True), ("change", 401, True)]


def test_the_command_line_sets_the_reader():
    config = config_from_args(build_parser().parse_args(["--readonly-user", READER, "--readonly-password", "p"]))
    assert (config.readonly_user, config.readonly_password) == (READER, "p")
    assert config_from_args(build_parser().parse_args([])).readonly_user is None
