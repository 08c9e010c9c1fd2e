# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault injection through /_emulator/faults: statuses, drops before/after apply, malformed, latency."""

import json
import time

import pytest
import requests
from lxml import etree

from emulator_testlib import station_state


def set_faults(server, rules):
    response = requests.post(server.url + "/_emulator/faults", data=json.dumps(rules), timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def test_admin_endpoint_round_trip(server):
    described = set_faults(server, {"scripts": ["stations/change"], "status": {"502": 0.5}, "drop": 0.1,
                                    "latency_ms": 5, "count": 2})
    rule = described["rules"][0]
    assert rule["scripts"] == ["stations/change"] and rule["status"] == {"502": 0.5} and rule["count"] == 2
    assert requests.get(server.url + "/_emulator/faults", timeout=5).json() == described
    assert requests.delete(server.url + "/_emulator/faults", timeout=5).json() == {"rules": []}


@pytest.mark.parametrize("bad", [{"drop": 2}, {"status": {"99": 0.1}}, {"nonsense": 1}, [1], "{"])
def test_invalid_rules_are_400(server, bad):
    body = bad if isinstance(bad, str) else json.dumps(bad)
    response = requests.post(server.url + "/_emulator/faults", data=body, timeout=5)
    assert response.status_code == 400 and "error" in response.json()


@pytest.mark.parametrize("code", [502, 503])
def test_proxy_status_does_not_apply(api, server, code, fmt):
    set_faults(server, {"scripts": ["stations/change"], "status": {str(code): 1.0}})
    response = api.raw("stations", "change", {"id": "s1", "city": "Nope"}, fmt)
    assert response.status_code == code
    assert response.headers["Content-Type"].startswith("text/html")
    assert station_state(server, "s1")["city"] == "Test_town"
    # Other scripts are untouched.
    assert api.raw("stations", "info", {"id": "s1"}, fmt).status_code == 200


def test_500_is_an_error_envelope(api, server, fmt):
    set_faults(server, {"status": {"500": 1}})
    errno, message = api.error("stations", "info", {"id": "s1"}, fmt, http_status=500)
    assert errno == 1008 and "injected" in message


def test_drop_before_apply(api, server):
    set_faults(server, {"scripts": ["change"], "drop": 1})
    with pytest.raises(requests.ConnectionError):
        api.raw("stations", "change", {"id": "s1", "city": "Dropped"})
    assert station_state(server, "s1")["city"] == "Test_town"


def test_drop_after_apply(api, server):
    set_faults(server, {"scripts": ["stations/change"], "drop_after_apply": 1})
    with pytest.raises(requests.ConnectionError):
        api.raw("stations", "change", {"id": "s1", "city": "Applied"})
    assert station_state(server, "s1")["city"] == "Applied"


def test_malformed_body_after_apply(api, server, fmt):
    set_faults(server, {"scripts": ["stations/*"], "malformed": 1})
    response = api.raw("stations", "change", {"id": "s1", "city": "Half"}, fmt)
    assert response.status_code == 200
    with pytest.raises((ValueError, etree.XMLSyntaxError)):
        json.loads(response.content) if fmt == "json" else etree.fromstring(response.content)
    assert station_state(server, "s1")["city"] == "Half"


def test_latency(api, server):
    # A delay long enough that an unmatched script cannot reach it even on a loaded machine.
    set_faults(server, {"scripts": ["info"], "latency_ms": 1500})
    started = time.perf_counter()
    api.raw("stations", "info", {"id": "s1"})
    assert time.perf_counter() - started >= 1.5
    started = time.perf_counter()
    api.raw("stations", "state", {"id": "s1"})
    assert time.perf_counter() - started < 1.5


def test_count_limits_injections(api, server):
    set_faults(server, {"scripts": ["stations/state"], "status": {"503": 1}, "count": 2})
    codes = [api.raw("stations", "state", {"id": "s1"}).status_code for _attempt in range(4)]
    assert codes == [503, 503, 200, 200]
    assert requests.get(server.url + "/_emulator/faults", timeout=5).json()["rules"][0]["count"] == 0


def test_rates_are_probabilistic(api, server):
    server.faults._rng.seed(7)
    set_faults(server, {"scripts": ["state"], "status": {"502": 0.3, "503": 0.2}})
    codes = [api.raw("stations", "state", {"id": "s1"}).status_code for _attempt in range(300)]
    assert 60 <= codes.count(502) <= 120 and 35 <= codes.count(503) <= 85
    assert codes.count(200) + codes.count(502) + codes.count(503) == 300


def test_first_matching_rule_wins_and_latency_adds_up(api, server):
    set_faults(server, {"rules": [{"scripts": ["state"], "latency_ms": 60, "status": {"502": 1}},
                                  {"latency_ms": 60, "drop": 1}]})
    started = time.perf_counter()
    assert api.raw("stations", "state", {"id": "s1"}).status_code == 502
    assert time.perf_counter() - started >= 0.12
    with pytest.raises(requests.ConnectionError):
        api.raw("stations", "info", {"id": "s1"})


def test_faults_are_logged(api, server):
    set_faults(server, {"scripts": ["stations/change"], "drop_after_apply": 1})
    with pytest.raises(requests.ConnectionError):
        api.raw("stations", "change", {"id": "s1", "city": "Logged"})
    with open(server.config.request_log, encoding="utf-8") as handle:
        last = json.loads(handle.readlines()[-1])
    assert last["fault"] == "drop_after_apply" and last["status"] == 0 and last["write"] is True
