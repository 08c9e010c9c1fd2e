# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""stations/products.ds (SPEC 3.9): per-station product state, several ids per request, both formats."""

import pytest

from drweb_emulator import Config, EmulatorServer
from drweb_emulator.seed import generate_stations
from emulator_testlib import Api


def products_xml(api, *ids):
    doc = api.call("stations", "products", [("id", i) for i in ids], "xml")
    out = {}
    for station in doc.findall("stations/station"):
        block = station.find("products")
        assert block.get("total") == str(len(block))
        out[station.get("id")] = [dict(p.attrib, name=p.text) for p in block]
    return out


def products_json(api, *ids):
    data = api.call("stations", "products", [("id", i) for i in ids], "json")["data"]
    assert data["total"] == len(data["list"])
    return {entry["id"]: entry["products"] for entry in data["list"]}


def test_several_ids_in_one_request_xml(api):
    answer = products_xml(api, "ws-0001", "ws-0002", "old-ws")
    assert list(answer) == ["ws-0001", "ws-0002", "old-ws"]
    assert answer["ws-0001"] == [
        {"code": "10-drwbases", "modified_time": "1699963200", "revision": "13020231114120000", "state_code": "S",
         "state": "Normal state", "name": "Dr.Web Virus Bases"},
        {"code": "20-drwagent", "modified_time": "1698840000", "revision": "13020231101120000", "state_code": "S",
         "state": "Normal state", "name": "Dr.Web Agent for Windows"}]
    assert answer["ws-0002"][0]["state_code"] == "F"
    assert answer["ws-0002"][0]["state"] == "Update error"
    # A station that reported no product has an empty block.
    assert answer["old-ws"] == []


def test_json_carries_the_same_products(api):
    xml = products_xml(api, "ws-0001", "1002", "old-ws")
    data = products_json(api, "ws-0001", "1002", "old-ws")
    assert {sid: [dict(p, modified_time=str(p["modified_time"])) for p in items] for sid, items in data.items()} == xml
    assert data["1002"][0]["state_code"] == "D"


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_an_unknown_or_deleted_id_fails_the_request(api, fmt):
    for missing in ("nope", "gone-01"):
        code, message = api.error("stations", "products", [("id", "ws-0001"), ("id", missing)], fmt)
        assert code == 1004
        assert missing in message


def test_a_missing_id_is_a_bad_parameter(api):
    assert api.error("stations", "products", {}, "xml")[0] == 1003


def test_products_survive_a_state_file(tmp_path):
    state = tmp_path / "state.json"
    with EmulatorServer(Config(port=0, state_file=str(state))) as first:
        first.store.touch()
        first.store.save_if_dirty()
    with EmulatorServer(Config(port=0, seed=str(state))) as second:
        assert products_xml(Api(second.url), "ws-0002")["ws-0002"][0]["state_code"] == "F"


def test_seed_products_are_checked(tmp_path):
    seed = tmp_path / "seed.yaml"
    seed.write_text("stations:\n  - {id: a, products: [{code: 10-drwbases, state_code: X}]}\n")
    with pytest.raises(ValueError, match="unknown product state_code 'X'"):
        EmulatorServer(Config(port=0, seed=str(seed)))
    seed.write_text("stations:\n  - {id: a, products: [{name: no code}]}\n")
    with pytest.raises(ValueError, match="a product needs a code"):
        EmulatorServer(Config(port=0, seed=str(seed)))


def test_generated_stations_report_products(server, api):
    generate_stations(server.store, 13, "generated")
    answer = products_xml(api, "gen-000005", "gen-000011", "gen-000013")
    # Every fifth is Linux (no Windows agent); 11 failed its last update, 13 is delayed.
    assert [p["code"] for p in answer["gen-000005"]] == ["10-drwbases"]
    assert [p["code"] for p in answer["gen-000011"]] == ["10-drwbases", "20-drwagent"]
    assert answer["gen-000011"][0]["state_code"] == "F"
    assert answer["gen-000013"][0]["state_code"] == "D"
    assert answer["gen-000013"][0]["revision"].startswith("130")
