# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Value conversion, include flags, payload shapes and scale."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading

import pytest

from ansible_collections.drweb.esuite.plugins.module_utils import _parser
from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebProtocolError
from ansible_collections.drweb.esuite.plugins.module_utils._parser import (
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

CONTEXT = "reading station ws-1"
ROOT = '<drweb-es-api api_version="4.3.2" timestamp="1700000000" server="s" srv_version="13.00.1" status="true">%s' \
       '</drweb-es-api>'
HEAD = {"status": True, "timestamp": 1700000000, "api": {"version": 40302, "versionString": "4.3.2"},
        "server": {"name": "s", "version": "13.00.1", "uuid": "u"}}


def from_xml(payload):
    return parse_document((ROOT % payload).encode("utf-8"), "xml", CONTEXT)


def from_json(data):
    return parse_document(json.dumps({"head": HEAD, "data": data}).encode("utf-8"), "json", CONTEXT)


def xml_station(inner="", attrs=""):
    return from_xml('<stations total="1"><station id="s1" name="n"%s>%s</station></stations>' % (attrs, inner))


def json_station(**fields):
    station = {"id": "s1", "name": "n"}
    station.update(fields)
    return from_json({"total": 1, "list": [station]})


def shape_error(parse, document, *args, **kwargs):
    with pytest.raises(DrWebProtocolError) as info:
        parse(document, *args, **kwargs)
    message = str(info.value)
    assert message.startswith("Reading station ws-1 failed: the answer has an unexpected shape (")
    assert message.endswith(").") and "\n" not in message
    return message


# --------------------------------------------------------------------------- values

@pytest.mark.parametrize("raw, degrees", [
    ("38.898556", 38.898556),
    ("38898556", 38.898556),
    ("-77.037852", -77.037852),
    ("-77037852", -77.037852),
    ("1077037852", -77.037852),
    ("1000000000", 0.0),
    ("180", 180.0),
    ("181000000", 181.0),
    ("0", 0.0),
    (" 12.5 ", 12.5),
    ("", None),
])
def test_coordinates(raw, degrees):
    assert parse_station_info(xml_station("<latitude>%s</latitude>" % raw))[0]["latitude"] == degrees
    value = raw.strip()
    for json_value in (raw, float(value) if value else None, int(float(value)) if value and "." not in value else None):
        if json_value is None and value:
            continue
        assert parse_station_info(json_station(latitude=json_value))[0]["latitude"] == degrees


def test_coordinate_that_is_not_a_number():
    message = shape_error(parse_station_info, xml_station("<longitude>east</longitude>"))
    assert "station[0].longitude: expected a coordinate, got 'east'" in message


@pytest.mark.parametrize("raw, priority", [
    ("allow", "allow"), ("allowed", "allow"), ("deny", "deny"), ("disallowed", "deny"), ("Allowed", "allow"), ("", None),
])
def test_acl_priority(raw, priority):
    xml_acl = parse_station_info(xml_station('<acl priority="%s"><allowed/><disallowed/></acl>' % raw))[0]["acl"]
    json_acl = parse_station_info(json_station(acl={"priority": raw, "allowed": [], "disallowed": []}))[0]["acl"]
    assert xml_acl == json_acl == {"priority": priority, "allowed": [], "disallowed": []}


def test_acl_entry_without_protocol_or_mask():
    acl = parse_station_info(xml_station('<acl priority="allow"><allowed><address>host.example.com</address></allowed>'
                                         '<disallowed/></acl>'))[0]["acl"]
    assert acl["allowed"] == [{"net_proto": None, "net_address": "host.example.com", "net_mask": None}]
    acl = parse_station_info(json_station(acl={"allowed": [{"net_address": "host.example.com"}]}))[0]["acl"]
    assert acl == {"priority": None, "allowed": [{"net_proto": None, "net_address": "host.example.com",
                                                  "net_mask": None}], "disallowed": []}


def test_acl_and_connection_absent_are_none():
    station = parse_station_info(json_station())[0]
    assert station["acl"] is None and station["connection"] is None and station["packages"] == []


@pytest.mark.parametrize("raw, expected", [
    ("0", None), ("", None), ("00000000000000000", None), ("20231110132600486", "20231110132600486"),
])
def test_dt17(raw, expected):
    xml_station_ = parse_stations_list(from_xml('<stations total="1"><station id="a" createtime="%s" blockbeg="%s"/>'
                                                '</stations>' % (raw, raw)))["stations"][0]
    assert xml_station_["create_time"] == xml_station_["block_begin"] == expected
    json_value = int(raw) if raw else None
    listed = parse_stations_list(from_json({"stations": {"total": 1, "list": [
        {"id": "a", "createtime": json_value, "blockbeg": raw}]}}))["stations"][0]
    assert listed["create_time"] == listed["block_begin"] == expected


@pytest.mark.parametrize("raw", ["0", 0, "", None])
def test_blocking_zero_is_none(raw):
    assert parse_station_info(json_station(block_begin_time=raw))[0]["block_begin_time"] is None


def test_parent_type_string_and_numbers_as_strings():
    station = parse_station_info(json_station(parent_type="1", state=" 2 ", os_code=16842752.0))[0]
    assert (station["parent_type"], station["state"], station["os_code"]) == (1, 2, 16842752)


@pytest.mark.parametrize("raw, expected", [
    ("true", True), ("false", False), ("yes", True), ("no", False), ("1", True), ("0", False), ("", False),
])
def test_inherited_flag(raw, expected):
    keys = parse_station_info(xml_station('<keys inherited="%s"/>' % raw), include=("keys",))[0]["keys"]
    assert keys["inherited"] is expected


def test_keys_list_of_objects_in_json():
    keys = parse_station_info(json_station(keys={"inherited": False, "list": [{"id": "k1"}, "k2", ""]}),
                              include=("keys",))[0]["keys"]
    assert keys["list"] == ["k1", "k2"]


def test_permissions_and_rights_spellings():
    expected = {"inherited": False, "inherited_group_id": None, "inherited_group_name": None,
                "list": [{"code": 5, "name": "x", "value": 1}]}
    assert parse_station_info(json_station(permissions={"list": [{"right": 5, "name": "x", "value": 1}]}),
                              include=("rights",))[0]["rights"] == expected
    assert parse_station_info(json_station(rights={"list": [{"code": 5, "name": "x", "value": 1}]}),
                              include=("rights",))[0]["rights"] == expected
    assert parse_station_info(xml_station('<rights><right code="5" name="x" value="1"/></rights>'),
                              include=("rights",))[0]["rights"] == expected


def test_strings_are_stripped_and_numbers_become_strings():
    station = parse_station_info(json_station(id=1002, name="  PC  ", city="\n", password=123456))[0]
    assert (station["id"], station["name"], station["city"], station["password"]) == ("1002", "PC", None, "123456")


def test_wrong_scalar_types_are_shape_errors():
    assert "station[0].name: expected a string, got an object" in shape_error(parse_station_info,
                                                                              json_station(name={"a": 1}))
    assert "station[0].state: expected an integer, got a boolean" in shape_error(parse_station_info,
                                                                                 json_station(state=True))
    assert "station[0].acl: expected an object, got a list" in shape_error(parse_station_info, json_station(acl=[]))
    assert "station[0].packages: expected a list, got an object" in shape_error(parse_station_info,
                                                                                json_station(packages={}))


def test_shape_error_never_echoes_a_password():
    message = shape_error(parse_station_info, json_station(password={"secret": "hunter2"}))
    assert "hunter2" not in message


# --------------------------------------------------------------------------- include flags

def test_include_accepts_wire_names_and_a_single_string():
    station = parse_station_info(json_station(), include=("group-membership", "installed-components", "station-type"))[0]
    assert station["group_membership"] == [] and station["installed_components"] == []
    assert station["station_type_info"] == {"station_type": None, "list": []}
    assert parse_station_info(json_station(), include="keys")[0]["keys"]["list"] == []


def test_unknown_include_flag_is_a_programming_error():
    with pytest.raises(ValueError):
        parse_station_info(json_station(), include=("packages",))
    with pytest.raises(ValueError):
        parse_group_info(from_json({"total": 0}), include=("modules",))


def test_requested_blocks_are_fresh_objects():
    first = parse_station_info(json_station(), include=STATION_INCLUDE_FLAGS)[0]
    first["keys"]["list"].append("mutated")
    first["modules"].append("mutated")
    second = parse_station_info(json_station(), include=STATION_INCLUDE_FLAGS)[0]
    assert second["keys"]["list"] == [] and second["modules"] == []


# --------------------------------------------------------------------------- payload shapes

def test_empty_collections():
    assert parse_station_info(from_xml('<stations total="0"/>')) == []
    assert parse_station_info(from_json({"total": 0})) == []
    assert parse_station_info(from_json({"total": 0, "list": []})) == []
    assert parse_group_list(from_json({"groups": {"total": 0}})) == []
    listing = parse_stations_list(from_json({"stations": {"total": 0}}))
    assert listing == {"total": 0, "stations": [], "pages": {"total": None, "current": None, "objects_per_page": None}}


@pytest.mark.parametrize("parse, payload, detail", [
    (parse_station_info, "<task/>", "no <stations> element"),
    (parse_stations_list, "<groups/>", "no <stations> element"),
    (parse_group_list, "<stations/>", "no <groups> element"),
    (parse_group_info, "", "no <groups> element"),
    (parse_group_components, "", "no <groups> element"),
    (parse_newbies_info, "", "no <stations> element"),
    (parse_station_state, "<stations/>", "no <states> element"),
    (parse_task, "<status>ready</status>", "no <task> element"),
    (parse_repository_status, "<task/>", "no repository status"),
    (parse_repository_products, "", "no <repositories> element"),
    (parse_id, "", "no element with an id"),
    (parse_deleted_ids, "<task/>", "no <stations> or <groups> element"),
])
def test_xml_of_the_wrong_shape(parse, payload, detail):
    assert "(%s)." % detail in shape_error(parse, from_xml(payload))


@pytest.mark.parametrize("parse", [
    parse_station_info, parse_stations_list, parse_group_list, parse_group_info, parse_group_components,
    parse_newbies_info, parse_station_state, parse_task, parse_repository_status, parse_repository_products,
    parse_id, parse_deleted_ids,
])
@pytest.mark.parametrize("data", [None, [], {"unrelated": 1}, {"list": "nope", "stations": 7, "groups": 7,
                                                               "repositories": 7, "states": 7, "task": 7}])
def test_json_of_the_wrong_shape(parse, data):
    shape_error(parse, from_json(data))


def test_stations_list_station_type_from_block_type_only_when_missing():
    listing = parse_stations_list(from_xml(
        '<stations type="virtual_agent" total="1"><station id="a"><station_type_info station_type="2"/></station>'
        '</stations><stations type="virtual_agent" total="1"><station id="b"/></stations>'
        '<stations type="something_new" total="1"><station id="c"/></stations>'))
    assert [(s["id"], s["station_type"]) for s in listing["stations"]] == [("a", 2), ("b", 1), ("c", None)]
    assert listing["total"] == 3


def test_stations_list_total_counts_blocks_without_total():
    listing = parse_stations_list(from_xml('<stations><station id="a"/><station id="b"/></stations>'))
    assert listing["total"] == 2


def test_state_json_list_form():
    assert parse_station_state(from_json({"states": [{"id": "a", "state": "online"}]})) == {"a": "online"}


def test_repository_status_is_lower_case():
    assert parse_repository_status(from_xml("<status> Ready </status>")) == "ready"


def test_ids_from_other_shapes():
    assert parse_id(from_json({"station": {"id": "s9"}})) == "s9"
    assert parse_id(from_xml('<administrator id="adm"/>')) == "adm"
    assert parse_deleted_ids(from_json({"stations": {"total": 2, "list": ["a", {"id": "b"}]}})) == ["a", "b"]
    assert parse_deleted_ids(from_xml('<stations total="1"><station>restored-1</station></stations>')) == ["restored-1"]


def test_api_version_from_number_only():
    head = dict(HEAD, api={"version": "40300"})
    document = parse_document(json.dumps({"head": head, "data": {"id": "x"}}), "json", CONTEXT)
    assert document.header["api_version"] == "4.3.0"


# --------------------------------------------------------------------------- scale and concurrency

def big_xml(count):
    station = ('<station id="st-%d" name="WS-%d" last_seen_time="1699623066" last_seen_addr="tcp://10.0.2.2:38066" '
               'state="1" os="16842752" os_name="Linux" login_addr="10.0.2.2" login_mac="08:00:27:17:16:f0" '
               'createtime="20231110132600486" blockbeg="0" blockend="0"/>')
    half = count // 2
    regular = "".join(station % (i, i) for i in range(half))
    scanning = "".join(station % (i, i) for i in range(half, count))
    return from_xml('<stations type="regular" total="%d">%s</stations><stations type="scanning_server" total="%d">%s'
                    '</stations><pages total="1" current="1" objects-per-page="4294967295"/>'
                    % (half, regular, count - half, scanning))


def big_json(count):
    stations = [{"id": "st-%d" % i, "name": "WS-%d" % i, "last_seen_time": 1699623066, "state": 1, "os_code": 16842752,
                 "createtime": 20231110132600486, "blockbeg": 0} for i in range(count)]
    return from_json({"stations": {"total": count, "list": stations},
                      "pages": {"total": 1, "current": 1, "objects_per_page": 4294967295}})


def test_fifty_thousand_station_listing():
    for document in (big_xml(50000), big_json(50000)):
        listing = parse_stations_list(document)
        assert listing["total"] == 50000
        assert len(listing["stations"]) == 50000
        assert listing["stations"][-1]["id"] == "st-49999"
        assert listing["stations"][0]["create_time"] == "20231110132600486"
        assert listing["pages"]["objects_per_page"] == 4294967295
    assert listing["stations"][0]["station_type"] is None
    assert big_xml(4) and parse_stations_list(big_xml(4))["stations"][3]["station_type"] == 2


def test_concurrent_parsing_shares_no_state():
    bodies = [(json.dumps({"head": HEAD, "data": {"total": 1, "list": [{"id": "s%d" % i, "state": i}]}}), "json", i)
              for i in range(20)]
    bodies += [((ROOT % '<stations total="1"><station id="s%d" state="%d"/></stations>' % (i, i)), "xml", i)
               for i in range(20, 40)]
    failures = []

    def work():
        for _round in range(25):
            for body, fmt, i in bodies:
                station = parse_station_info(parse_document(body, fmt, "reading station s%d" % i), include=("keys",))[0]
                if station["id"] != "s%d" % i or station["state"] != i or station["keys"]["list"]:
                    failures.append((fmt, i, station))

    threads = [threading.Thread(target=work) for _i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


# --------------------------------------------------------------------------- the name tables

SCHEMAS = sorted(name for name, value in vars(_parser).items() if isinstance(value, _parser._Schema))


@pytest.mark.parametrize("name", SCHEMAS)
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_every_table_row_compiles(name, fmt):
    # Tables are compiled on first use; a malformed row must fail here, not in the first task that reads it.
    schema = getattr(_parser, name)
    fields = schema.fields(fmt)
    assert [key for key, _flag, _get in fields] == schema.keys()
    assert schema.fields(fmt) is fields
    for key, flag, _get in fields:
        assert flag is None or flag in STATION_INCLUDE_FLAGS + _parser.GROUP_INCLUDE_FLAGS, key


def test_tables_are_compiled_lazily_and_per_format():
    schema = _parser._Schema("probe", (
        ("id     @id             id|uuid", _parser._str),
        ("count  @count          count", _parser._int),
        ("pub    public_key      public_key", _parser._Block(_parser._PUBLIC_KEY)),
        ("none   -               -", _parser._str),
    ))
    assert schema._fields == {}
    assert schema.build({"uuid": "u", "count": "3"}, "json") == \
        {"id": "u", "count": 3, "pub": None, "none": None}
    assert list(schema._fields) == ["json"]
    assert schema.empty() == {"id": None, "count": None, "pub": None, "none": None}


@pytest.mark.parametrize("row", [
    ("id @id", _parser._str),                     # a location is missing
    ("id @id id extra", _parser._str),            # a word too many
    ("id @id id", "_str"),                        # a converter named, not referenced
    ("id @id id", _parser._str, "keys", "more"),  # an item too many
    ("id @id id",),                               # no converter
])
def test_malformed_table_rows_fail_loudly(row):
    with pytest.raises(ValueError):
        _parser._Schema("probe", (row,)).fields("json")
