# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every fixture parses, and XML and JSON of the same object give the same model."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebApiError, DrWebProtocolError
from ansible_collections.drweb.esuite.plugins.module_utils._parser import (
    GROUP_INCLUDE_FLAGS,
    STATION_INCLUDE_FLAGS,
    parse_deleted_ids,
    parse_document,
    parse_group_components,
    parse_group_info,
    parse_group_list,
    parse_id,
    parse_newbies_info,
    parse_repository_products,
    parse_repository_status,
    parse_station_info,
    parse_station_state,
    parse_stations_list,
    parse_task,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")

EVERYONE = "20e27d73-d21d-b211-a788-85419c46f0e6"


def load(name):
    with open(os.path.join(FIXTURES, name), "rb") as handle:
        return handle.read()


def doc(name, context="reading the fixture"):
    return parse_document(load(name), name.rsplit(".", 1)[1], context)


# Pair name -> (parser, keyword arguments). Error envelopes are covered in test_parser_envelope.py.
PAIRS = {
    "task_newbies_failed": (parse_task, {}),
    "task_update_repositories_failed": (parse_task, {}),
    "task_update_repositories_success": (parse_task, {}),
    "stations_list_scanning_server": (parse_stations_list, {}),
    "stations_list_regular": (parse_stations_list, {}),
    "stations_list_typed_blocks": (parse_stations_list, {}),
    "stations_list_avdesk": (parse_stations_list, {}),
    "station_info_scanning_server": (parse_station_info, {"include": STATION_INCLUDE_FLAGS}),
    "station_info_regular": (parse_station_info, {"include": ("keys", "rights", "components", "group_membership",
                                                              "station_type", "modules")}),
    "station_info_sparse": (parse_station_info, {"include": STATION_INCLUDE_FLAGS}),
    "station_change_avdesk": (parse_id, {}),
    "group_components": (parse_group_components, {}),
    "newbies_info": (parse_newbies_info, {}),
    "station_state": (parse_station_state, {}),
    "group_list": (parse_group_list, {}),
    "group_info": (parse_group_info, {"include": GROUP_INCLUDE_FLAGS}),
    "group_add": (parse_id, {}),
    "station_delete": (parse_deleted_ids, {}),
    "group_delete": (parse_deleted_ids, {}),
    "repository_status": (parse_repository_status, {}),
    "repository_products": (parse_repository_products, {}),
    "repository_products_avdesk": (parse_repository_products, {}),
}
ERROR_PAIRS = ("error_remove_system_group", "error_group_not_found", "error_avdesk_padded")
# Fixtures with no twin in the other format, and the parser that reads them.
SINGLES = {
    "station_info_sparse_nulls.json": (parse_station_info, {"include": STATION_INCLUDE_FLAGS}),
    "station_change_xmlapi2.xml": (parse_id, {}),
}


def test_every_fixture_is_covered():
    names = set(n for n in os.listdir(FIXTURES) if n.endswith((".xml", ".json")))
    covered = set(SINGLES)
    for stem in list(PAIRS) + list(ERROR_PAIRS):
        covered.update((stem + ".xml", stem + ".json"))
    assert names == covered


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_pair_gives_the_same_model(name):
    parse, kwargs = PAIRS[name]
    from_xml = parse(doc(name + ".xml"), **kwargs)
    from_json = parse(doc(name + ".json"), **kwargs)
    assert from_xml == from_json
    assert from_xml not in (None, [], {})


@pytest.mark.parametrize("name", sorted(SINGLES))
def test_single_fixture_parses(name):
    parse, kwargs = SINGLES[name]
    assert parse(doc(name), **kwargs)


@pytest.mark.parametrize("name", ERROR_PAIRS)
def test_error_pair_raises_the_same_error(name):
    errors = []
    for fmt in ("xml", "json"):
        with pytest.raises(DrWebApiError) as info:
            doc(name + "." + fmt)
        errors.append((type(info.value), str(info.value), info.value.errno, info.value.server_message))
    assert errors[0] == errors[1]


def test_sparse_json_without_keys_and_with_nulls_match_xml():
    flags = STATION_INCLUDE_FLAGS
    from_xml = parse_station_info(doc("station_info_sparse.xml"), include=flags)
    assert parse_station_info(doc("station_info_sparse_nulls.json"), include=flags) == from_xml
    station = from_xml[0]
    for key in ("password", "last_seen_time", "last_seen_addr", "os_code", "os_name", "department", "description",
                "country", "street", "room", "city", "floor", "organization", "province", "email", "latitude",
                "longitude", "connection", "config_url", "block_begin_time", "block_end_time"):
        assert station[key] is None, key
    assert station["packages"] == []
    assert station["acl"] == {"priority": "allow", "allowed": [], "disallowed": []}
    # A remote station omits every requested block; the model still has them, empty.
    for key in ("modules", "machines", "bases", "installed_components", "running_components", "group_membership"):
        assert station[key] == [], key
    empty = {"inherited": False, "inherited_group_id": None, "inherited_group_name": None, "list": []}
    assert station["keys"] == station["rights"] == station["components"] == empty
    assert station["station_type_info"] == {"station_type": None, "list": []}


def test_station_info_regular_model():
    include = ("keys", "rights", "components", "group_membership", "station_type", "modules")
    assert parse_station_info(doc("station_info_regular.xml"), include=include) == [{
        "id": "ws-0042",
        "name": "ACC-LAPTOP",
        "created_time": 1698829200,
        "modified_time": 1699999000,
        "parent_id": "7ec98a70-5c83-11ea-512f-70a167e08535",
        "parent_name": "Accounting",
        "parent_type": 0,
        "password": "s3cr3t-Pa55",
        "state": 0,
        "block_begin_time": 1704067200,
        "block_end_time": 1706745600,
        "last_seen_time": 1699620000,
        "last_seen_addr": "ssl://10.20.0.15:50122",
        "os_code": 35850244,
        "os_name": "Windows 7 Enterprise x64",
        "department": "Finance & Accounting",
        "description": "Accounting laptop",
        "country": "US",
        "street": "1600 Pennsylvania Ave NW",
        "room": "12",
        "city": "Washington",
        "floor": "2",
        "organization": "Example Corp",
        "province": "DC",
        "email": "it@example.com",
        "latitude": 38.898556,
        "longitude": -77.037852,
        "connection": {
            "port": 2193,
            "server": "drweb.example.com",
            "public_key": {"id": "1459895a-a115-4a66-93e7-a31fb717e9bd",
                           "url": "https://drweb.example.com:9081/install/drwcsd.pub", "file": None},
        },
        "packages": [
            {"arch": "x86", "os": "windows",
             "url": "https://drweb.example.com:9081/download/download.ds?os=windows&arch=x86&id=ws-0042"},
            {"arch": "x86_64", "os": "windows",
             "url": "https://drweb.example.com:9081/download/download.ds?os=windows&arch=x86_64&id=ws-0042"},
        ],
        "config_url": None,
        "acl": {
            "priority": "deny",
            "allowed": [
                {"net_proto": "tcp", "net_address": "10.20.0.0", "net_mask": "255.255.0.0"},
                {"net_proto": "tcp", "net_address": "192.168.10.34", "net_mask": "255.255.255.255"},
            ],
            "disallowed": [{"net_proto": "tcp", "net_address": "10.20.99.0", "net_mask": "255.255.255.0"}],
        },
        "modules": [],
        "keys": {"inherited": False, "inherited_group_id": None, "inherited_group_name": None,
                 "list": ["0123456789abcdef", "fedcba9876543210"]},
        "rights": {"inherited": False, "inherited_group_id": None, "inherited_group_name": None,
                   "list": [{"code": 1, "name": "Run Dr.Web Scanner for Windows", "value": 0},
                            {"code": 2, "name": "Start SpIDer Guard for Windows XP", "value": 1}]},
        "components": {"inherited": False, "inherited_group_id": None, "inherited_group_name": None,
                       "list": [{"code": 30, "name": "Dr.Web Agent for Windows", "status": 2},
                                {"code": 105, "name": "Dr.Web Firewall", "status": 0}]},
        "group_membership": [{"id": "7ec98a70-5c83-11ea-512f-70a167e08535", "name": "Accounting", "type": 0},
                             {"id": EVERYONE, "name": "Everyone", "type": 1}],
        "station_type_info": {"station_type": 0, "list": []},
    }]


def test_station_info_scanning_server_blocks():
    station = parse_station_info(doc("station_info_scanning_server.xml"), include=STATION_INCLUDE_FLAGS)[0]
    assert station["parent_type"] == 1
    assert station["block_begin_time"] is None and station["block_end_time"] is None
    assert station["keys"]["list"] == ["daa669be6fdbca01"]
    assert station["rights"]["list"] == [{"code": 1, "name": "Run Dr.Web Scanner for Windows", "value": 1}]
    assert station["machines"][0]["machine_mac"] == "08:00:27:02:7f:87"
    assert station["machines"][0]["logged_time"] == "20231109125650182"
    assert station["modules"][0]["file_name"] == "drweb-configd"
    assert station["bases"][0] == {"file_name": "dwp11000.vdb", "version": "1100", "created_time": 1459461600,
                                   "viruses": 739}
    assert station["running_components"] == [{"code": 155, "name": "Dr.Web MeshD", "params": None,
                                              "started_time": 1699534610, "type": 8, "user": None}]
    assert station["installed_components"][0]["installed_time"] == 1699534539
    assert station["connection"]["public_key"]["file"].startswith("; Dr.Web (R) Public key file\n")
    assert station["station_type_info"] == {
        "station_type": 2, "list": [{"id": "s2", "name": "DESKTOP-1", "station_type": 1, "addr": "ssl://10.0.2.2:49944"}]}


def test_station_info_blocks_not_requested_are_absent():
    station = parse_station_info(doc("station_info_scanning_server.json"))[0]
    for key in ("modules", "machines", "bases", "keys", "installed_components", "running_components", "rights",
                "components", "group_membership", "station_type_info"):
        assert key not in station
    assert station["acl"]["priority"] == "allow"


def test_stations_list_typed_blocks():
    listing = parse_stations_list(doc("stations_list_typed_blocks.xml"))
    assert listing["total"] == 3
    assert listing["pages"] == {"total": 1, "current": 1, "objects_per_page": 4294967295}
    assert [(s["id"], s["station_type"]) for s in listing["stations"]] == [
        ("ws-0001", 0), ("ws-0002", 0), ("ss-01", 2)]
    assert listing["stations"][1]["last_seen_addr"] is None
    assert listing["stations"][0]["station_type_info"] is None


def test_stations_list_avdesk():
    listing = parse_stations_list(doc("stations_list_avdesk.json"))
    assert listing["total"] == 2
    assert listing["stations"][1] == {
        "id": "1002", "name": "1002", "last_seen_time": 0, "last_seen_addr": None, "state": 0, "os_code": None,
        "os_name": None, "login_addr": None, "login_mac": None, "create_time": None, "block_begin": None,
        "block_end": None, "expires": None, "station_type": None, "station_type_info": None}


def test_stations_list_dt17_values():
    station = parse_stations_list(doc("stations_list_regular.json"))["stations"][0]
    assert station["create_time"] == "20231101090000000"
    assert station["block_begin"] == "20240101000000000"
    assert station["block_end"] == "20240201000000000"
    assert station["station_type"] == 0
    assert station["station_type_info"] == {"station_type": 0, "list": []}


def test_group_components_model():
    groups = parse_group_components(doc("group_components.json"))
    assert len(groups) == 1
    group = groups[0]
    assert group["group_id"] == "7ec98a70-5c83-11ea-512f-70a167e08535"
    assert (group["inherited"], group["inherited_group_id"], group["inherited_group_name"]) == (True, EVERYONE, "Everyone")
    assert len(group["components"]) == 12
    assert group["components"][-1] == {"code": 39, "name": "Dr.Web Agent for UNIX", "status": 2}


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_group_components_answer_must_mention_every_group_asked_for(fmt):
    asked = ["7ec98a70-5c83-11ea-512f-70a167e08535"]
    assert [g["group_id"] for g in parse_group_components(doc("group_components." + fmt), asked)] == asked
    with pytest.raises(DrWebProtocolError) as err:
        parse_group_components(doc("group_components." + fmt), asked + ["g-acc"])
    assert str(err.value) == "Reading the components of group g-acc failed: the server's answer does not mention it."
    assert err.value.obj == "g-acc"


def test_group_info_model():
    groups = parse_group_info(doc("group_info.xml"), include=("keys", "rights", "components"))
    root, child = groups
    assert root["parent_id"] is None and root["parent_name"] is None and root["parent_type"] is None
    assert (root["child_groups"], root["stations"]) == (2, 41)
    assert root["components"]["inherited"] is False and root["components"]["inherited_group_id"] is None
    assert child["parent_type"] == 0 and child["description"] is None
    assert child["rights"] == {"inherited": True, "inherited_group_id": EVERYONE, "inherited_group_name": "Everyone",
                               "list": []}
    assert "keys" not in parse_group_info(doc("group_info.json"))[0]


def test_group_list_model():
    groups = parse_group_list(doc("group_list.xml"))
    assert groups[0] == {"id": EVERYONE, "name": "Everyone", "description": None, "created_time": None,
                         "modified_time": None, "parent_id": None, "parent_name": None, "parent_type": None, "type": 1,
                         "child_groups": 0, "stations": 1204}


def test_newbie_model():
    assert parse_newbies_info(doc("newbies_info.xml")) == [{
        "id": "001", "name": "NEWBIE-PC", "created_time": 1699533395, "parent_id": EVERYONE, "parent_name": "Everyone",
        "state": 0, "os_code": 35851271, "os_name": "Windows 8.1 Pro x64",
        "server": "b35d999d-9212-481d-af8c-8551c4113383", "address": "tcp://10.0.2.15:49321"}]


def test_state_task_and_repository_models():
    assert parse_station_state(doc("station_state.xml")) == {"ws-0042": "online", "001": "newbies", "ghost": "not found"}
    assert parse_task(doc("task_newbies_failed.xml")) == {"id": "newbies", "status": "failed",
                                                          "message": "Group is not found"}
    assert parse_task(doc("task_update_repositories_success.json")) == {
        "id": "update_repositories", "status": "success", "message": None}
    assert parse_repository_status(doc("repository_status.json")) == "updating"
    assert parse_repository_products(doc("repository_products.xml"))[0] == {
        "code": "10-drwbases", "name": "Dr.Web Virus Bases", "revision": "13020240101120000",
        "modified_time": 1704110400, "size": 264011776, "files": 412, "last_update_endtime": 1704110460,
        "last_update_src": "Launched from the Control Center", "last_update_rc": "Update completed successfully",
        "last_update_rc_code": 2}


def test_repository_products_dict_form_takes_the_code_from_the_key():
    products = parse_repository_products(doc("repository_products_avdesk.json"))
    assert [p["code"] for p in products] == ["10-drwbases", "80-drwnews"]
    assert products[0]["revision"] == "20140324222640"
    assert products[0]["last_update_rc_code"] is None


def test_ids():
    assert parse_id(doc("station_change_avdesk.xml")) == "1002"
    assert parse_id(doc("station_change_xmlapi2.xml")) == "1002"
    assert parse_id(doc("group_add.json")) == "a1b2c3d4-0000-4000-8000-000000000001"
    assert parse_deleted_ids(doc("station_delete.xml")) == ["ws-0042", "ws-0043"]
    assert parse_deleted_ids(doc("group_delete.json")) == ["a1b2c3d4-0000-4000-8000-000000000001"]


FIND_DOCUMENT = (b'<station xmlns:x="urn:x"><x:city>namespaced</x:city><a/><a><b>second a</b></a><a><b>third</b></a>'
                 b'<city>  Berlin </city><city>second city</city><empty/><os code="7">Win</os>'
                 b'<blocking><begin>1</begin></blocking><c.d-e_f>dotted</c.d-e_f></station>')


@pytest.mark.parametrize("path", ["city", "a", "a/b", "empty", "os", "blocking/begin", "blocking/end", "missing",
                                  "missing/b", "c.d-e_f", "{urn:x}city", "*", "a[2]", ".//b", "a/*"])
def test_the_fast_xml_lookup_finds_what_elementpath_finds(path):
    """The child lookup of the XML tables is lxml's find/findtext, for every kind of location."""
    from lxml import etree
    from ansible_collections.drweb.esuite.plugins.module_utils import _parser

    root = etree.fromstring(FIND_DOCUMENT)
    assert _parser._xml_find(path)(root) is root.find(path)
    assert _parser._xml_raw(path)(root) == root.findtext(path)
    assert _parser._xml_raw(path + "@code")(root) == (None if root.find(path) is None else root.find(path).get("code"))
