# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""--generate-stations: a large fleet is generated and paged correctly.

How fast it starts and pages is measured by benchmarks/large_group.py, not asserted here.
"""

from drweb_emulator import Config, EmulatorServer
from emulator_testlib import Api


def test_fifty_thousand_stations(tmp_path):
    srv = EmulatorServer(Config(port=0, generate_stations=50000, generate_group="bulk"))
    with srv:
        api = Api(srv.url)
        doc = api.call("groups", "stations-list", {"id": "bulk", "per-page": "1000", "page": "50"}, "json")
        data = doc["data"]
        assert data["stations"]["total"] == 50000
        assert data["pages"] == {"total": 50, "current": 50, "objects_per_page": 1000}
        assert data["stations"]["list"][-1]["id"] == "gen-050000"
        xml = api.call("groups", "stations-list", {"id": "bulk", "page": "500"})
        assert xml.find("pages").get("total") == "500" and len(xml.find("stations")) == 100
        everyone = api.call("groups", "stations-list", {"id": "20e27d73-d21d-b211-a788-85419c46f0e6",
                                                        "per-page": "1"}, "json")["data"]
        assert everyone["stations"]["total"] == 50012
        assert api.call("stations", "info", {"id": "gen-012345"}, "json")["data"]["list"][0]["parent_id"] == "bulk"
        api.call("server", "repository-status")


def test_generation_is_idempotent_on_a_state_file(tmp_path):
    state = tmp_path / "state.json"
    config = dict(port=0, generate_stations=100, generate_group="bulk", state_file=str(state))
    with EmulatorServer(Config(**config)) as srv:
        Api(srv.url).call("stations", "change", {"id": "gen-000007", "city": "Kept"})
    with EmulatorServer(Config(**config)) as srv:
        api = Api(srv.url)
        assert api.call("groups", "stations-list", {"id": "bulk"}, "json")["data"]["stations"]["total"] == 100
        assert api.call("stations", "info", {"id": "gen-000007"}, "json")["data"]["list"][0]["city"] == "Kept"
