# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures: one in-process emulator on a loopback port, reset before every test."""

import pytest

from emulator_testlib import FORMATS, Api
from drweb_emulator import Config, EmulatorServer


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("log") / "requests.jsonl"
    emulator = EmulatorServer(Config(port=0, update_duration=0.3, request_log=str(log)))
    emulator.start()
    yield emulator
    emulator.stop()


@pytest.fixture(autouse=True)
def _fresh(request):
    if "server" in request.fixturenames:
        srv = request.getfixturevalue("server")
        srv.faults.clear()
        srv.reset()
    yield


@pytest.fixture
def api(server):
    return Api(server.url)


@pytest.fixture(params=FORMATS)
def fmt(request):
    return request.param
