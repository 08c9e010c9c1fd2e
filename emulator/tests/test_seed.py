# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seed files: a minimal user seed, validation errors, overrides of system groups."""

import json

import pytest

from drweb_emulator import Config, EmulatorServer
from drweb_emulator.seed import load_seed
from drweb_emulator.store import Store
from emulator_testlib import EVERYONE, Api

MINIMAL = """
groups:
  - {id: 20e27d73-d21d-b211-a788-85419c46f0e6, name: All stations,
     components: [{code: 30, name: Dr.Web Agent for Windows, status: 2}]}
  - {id: gold, name: Gold, tariff: true}
  - {id: team, name: Team, parent_id: null}
stations:
  - {id: a1, parent_id: team, groups: [gold, 20e27d73-d21d-b211-a788-85419c46f0e6],
     os: {code: 35851271, name: Windows 8.1 Pro x64}, created_time: "20240101"}
newbies:
  - {id: n1}
repositories:
  - {code: 10-drwbases, name: Bases, fail_update: true}
"""


def test_minimal_yaml_seed(tmp_path):
    seed = tmp_path / "seed.yaml"
    seed.write_text(MINIMAL)
    with EmulatorServer(Config(port=0, seed=str(seed))) as srv:
        api = Api(srv.url)
        st = api.call("stations", "info", {"id": "a1", "group-membership": "yes", "components": "yes"},
                      "json")["data"]["list"][0]
        assert st["name"] == "a1" and st["created_time"] == 1704067200
        assert [g["id"] for g in st["group_membership"]][:2] == ["team", "gold"]
        assert st["components"]["inherited_group_name"] == "All stations"
        api.call("stations", "change", {"id": "a1", "rate": "gold"})
        assert api.call("stations", "state", {"id": "n1"}, "json")["data"]["states"] == {"n1": "newbies"}
        assert api.call("server", "repository-products", {}, "json")["data"]["repositories"]["total"] == 1


def test_json_seed_and_dict_seed(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"stations": [{"id": "only"}]}))
    assert load_seed(str(seed)) == {"stations": [{"id": "only"}]}
    store = Store(load_seed(str(seed)))
    assert list(store.stations) == ["only"] and store.stations["only"].parent_id == EVERYONE


@pytest.mark.parametrize("document,message", [
    ({"stations": [{"id": "x", "colour": "red"}]}, "unknown field"),
    ({"stations": [{"id": "x", "parent_id": "nope"}]}, "does not exist"),
    ({"stations": [{"id": "x", "groups": ["c7687f73-d21d-b211-a795-85419c46f0e6"]}]}, "system group"),
    ({"stations": [{"id": "x"}, {"id": "x"}]}, "defined twice"),
    ({"stations": [{"id": "x", "status": "asleep"}]}, "unknown status"),
    ({"stations": [{"id": "x", "linked_stations": ["y"]}]}, "linked station"),
    ({"groups": [{"id": "g", "name": "G", "parent_id": "nope"}]}, "parent group"),
    ({"stations": [{"id": "x", "acl": {"allowed": ["300.0.0.1"]}}]}, "neither an IP"),
])
def test_invalid_seeds(document, message):
    with pytest.raises(ValueError, match=message):
        Store(document)


def test_unknown_section(tmp_path):
    seed = tmp_path / "seed.yaml"
    seed.write_text("hosts: []\n")
    with pytest.raises(ValueError, match="unknown section"):
        load_seed(str(seed))


def test_without_tariff_groups():
    store = Store({"tariff_groups": False})
    assert not any(g.tariff for g in store.groups.values())
