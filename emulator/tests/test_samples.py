# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator uses exactly the element, attribute and field names of the documentation samples.

The samples live in tests/data/ (repaired copies of ../shared/seeds/, see data/README.md).
Names are compared as sets of paths, so list lengths and values do not matter; where
the emulator deliberately differs, the difference is spelled out here.
"""

import json
import os

import pytest
from lxml import etree

from drweb_emulator import Config, EmulatorServer
from emulator_testlib import GROUP_1, OFFICE, Api

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
ALL_INFO_FLAGS = [(f, "yes") for f in ("bases", "components", "group-membership", "installed-components", "keys",
                                       "machines", "modules", "rights", "running-components", "station-type")]


def sample(name):
    path = os.path.join(DATA, name)
    if name.endswith(".json"):
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    return etree.parse(path).getroot()


def xml_names(root):
    """{"@root-attr", "a/b", "a/b@attr", ...} below the root element (whose tag is compared apart)."""
    names = {"@" + a for a in root.attrib}

    def walk(node, path):
        for child in node:
            if not isinstance(child.tag, str):
                continue
            here = path + "/" + child.tag if path else child.tag
            names.add(here)
            names.update(here + "@" + a for a in child.attrib)
            walk(child, here)
    walk(root, "")
    return names


def json_names(node, path=""):
    names = set()
    if isinstance(node, dict):
        for key, value in node.items():
            here = path + "." + key if path else key
            names.add(here)
            names |= json_names(value, here)
    elif isinstance(node, list):
        for value in node:
            names |= json_names(value, path + "[]")
    return names


def fetch(api, obj, script, params, fmt):
    response = api.raw(obj, script, params, fmt)
    assert response.status_code == 200
    return json.loads(response.content) if fmt == "json" else etree.fromstring(response.content)


def test_station_info_xml(api):
    got = fetch(api, "stations", "info", [("id", "s1")] + ALL_INFO_FLAGS, "xml")
    want = sample("station_info_13.0.1.xml")
    assert got.tag == want.tag
    assert xml_names(got) == xml_names(want)
    # The default seed reproduces the sample station, so the station's own attributes match too.
    assert dict(got.find("stations/station").attrib) == dict(want.find("stations/station").attrib)
    assert dict(got.find("stations/station/station_type_info/station").attrib) == \
        dict(want.find("stations/station/station_type_info/station").attrib)


def test_station_info_json(api):
    got = fetch(api, "stations", "info", [("id", "s1")] + ALL_INFO_FLAGS, "json")
    want = sample("station_info_13.0.1.json")
    assert json_names(got) == json_names(want)
    for key in ("id", "name", "parent_id", "parent_type", "password", "state", "created_time", "os_code"):
        assert got["data"]["list"][0][key] == want["data"]["list"][0][key]


# [emulator choice] the emulator keeps 13.0.0's `expires` in listings, which 13.0.1's sample dropped.
LISTING_EXTRA_XML = {"stations/station@expires"}
LISTING_EXTRA_JSON = {"data.stations.list[].expires"}


def test_stations_list_xml(api):
    got = fetch(api, "groups", "stations-list", {"id": GROUP_1, "per-page": "1", "station-type": "yes"}, "xml")
    want = sample("stations_list_13.0.1.xml")
    assert xml_names(got) == xml_names(want) | LISTING_EXTRA_XML
    assert dict(got.find("pages").attrib) == dict(want.find("pages").attrib)
    assert [c.tag for c in got] == [c.tag for c in want]


def test_stations_list_json(api):
    got = fetch(api, "groups", "stations-list", {"id": GROUP_1, "per-page": "1", "station-type": "yes"}, "json")
    want = sample("stations_list_13.0.1.json")
    assert json_names(got) == json_names(want) | LISTING_EXTRA_JSON
    assert got["data"]["pages"] == want["data"]["pages"]
    assert got["data"]["stations"]["list"][0]["station_type_info"] == \
        want["data"]["stations"]["list"][0]["station_type_info"]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_tasks(api, fmt):
    params = {"task-id": "newbies", "action": "approve", "group": "_notfound_", "id": "001"}
    got = fetch(api, "server", "tasks", params, fmt)
    want = sample("tasks_newbies_12.0." + fmt)
    if fmt == "xml":
        assert xml_names(got) == xml_names(want)
        assert dict(got.find("task").attrib) == dict(want.find("task").attrib)
    else:
        assert json_names(got) == json_names(want)
        assert got["data"] == want["data"]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_components(api, fmt):
    got = fetch(api, "groups", "components", {"id": OFFICE}, fmt)
    want = sample("components_13.0.0." + fmt)
    if fmt == "xml":
        assert xml_names(got) == xml_names(want)
        assert dict(got.find("groups/group/components").attrib) == dict(want.find("groups/group/components").attrib)
        path = "groups/group/components/component"
        assert [(c.get("code"), c.get("status")) for c in got.findall(path)] == \
            [(c.get("code"), c.get("status")) for c in want.findall(path)]
    else:
        assert json_names(got) == json_names(want)

        def strip(doc):
            return [dict(item, components=[(c["code"], c["status"]) for c in item["components"]]) for item in doc["data"]["list"]]
        assert strip(got) == strip(want)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_change_payload(api, fmt):
    got = fetch(api, "stations", "change", {"id": "1002", "city": "x"}, fmt)
    want = sample("change_4.1.3." + fmt)
    if fmt == "xml":
        def strip_root(names):
            return {n for n in names if not n.startswith("@")}
        assert strip_root(xml_names(got)) == strip_root(xml_names(want))
        assert dict(got.find("station").attrib) == dict(want.find("station").attrib)
    else:
        assert got["data"] == want["data"]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_change_whole_document_as_4_1_3(fmt):
    with EmulatorServer(Config(port=0, api_version="4.1.3")) as srv:
        got = fetch(Api(srv.url), "stations", "change", {"id": "1002", "city": "x"}, fmt)
    want = sample("change_4.1.3." + fmt)
    if fmt == "xml":
        assert got.tag == want.tag == "drweb-avdesk-api"
        assert xml_names(got) == xml_names(want)
        assert got.get("api_version") == "4.1.3" and got.get("srv_version") == want.get("srv_version")
    else:
        assert json_names(got) == json_names(want)
        assert got["head"]["api"] == want["head"]["api"]
        assert got["head"]["server"]["version"] == want["head"]["server"]["version"]


def test_json_head_names_match_13_0_1(api):
    got = fetch(api, "stations", "state", {"id": "s1"}, "json")
    want = sample("station_info_13.0.1.json")
    assert {n for n in json_names(got) if n.startswith("head")} == \
        {n for n in json_names(want) if n.startswith("head")}
    assert isinstance(got["head"]["api"]["versionString"], str)
