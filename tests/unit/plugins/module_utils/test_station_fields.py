# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One declaration per station field: the spec, the plan, the parser and the docs all follow the rows."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import copy
import importlib.util
import json
import os
import subprocess
import sys

import pytest
import yaml

from ansible_collections.drweb.esuite.plugins.module_utils import _parser
from ansible_collections.drweb.esuite.plugins.module_utils import _station
from ansible_collections.drweb.esuite.plugins.module_utils import _station_fields as fields_mod
from ansible_collections.drweb.esuite.plugins.modules import drweb_station, drweb_stations
from ansible_collections.drweb.esuite.tests.unit.plugins.modules.drweb_harness import FakeClient, run_module

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), *[os.pardir] * 4))


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_station_docs", os.path.join(ROOT, "hack", "gen_station_docs.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _load_generator()


def _docstring(text, name):
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return yaml.safe_load(node.value.value)
    raise AssertionError("no %s" % name)


def _with_building():
    """The declaration plus one synthetic free-text field, declared as a new field would be."""
    building = fields_mod._text("building", "Building", sample="B7")
    return fields_mod.FIELDS + (building,)


# ---------------------------------------------------------------- the committed docs follow the rows

def test_the_module_docs_are_generated_from_the_declaration():
    stale = [os.path.relpath(path, ROOT) for path, (current, generated) in GEN.generate(fields_mod.FIELDS).items()
             if current != generated]
    assert stale == [], "run hack/gen_station_docs.py: %s" % stale


def test_the_check_mode_of_the_generator_passes_on_the_checkout(capsys):
    assert GEN.main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def _module_docs(module, name="DOCUMENTATION"):
    return _docstring(open(module.__file__).read(), name)


def test_documented_options_are_exactly_the_argument_spec():
    options = _module_docs(drweb_station)["options"]
    suboptions = _module_docs(drweb_stations)["options"]["stations"]["suboptions"]
    spec = fields_mod.STATION_ARGUMENT_SPEC
    assert list(options) == list(suboptions) == list(spec)
    for option, entry in spec.items():
        for documented in (options[option], suboptions[option]):
            assert documented["type"] == entry["type"], option
            assert documented.get("default") == entry.get("default"), option
            assert documented.get("choices") == entry.get("choices"), option
            assert documented.get("elements") == entry.get("elements"), option
            assert documented.get("required", False) == entry.get("required", False), option
        assert options[option]["description"] == list(fields_mod.FIELDS[list(spec).index(option)].doc), option


def test_every_row_is_complete():
    options = [field.option for field in fields_mod.FIELDS]
    assert len(options) == len(set(options))
    for field in fields_mod.FIELDS:
        assert field.doc, field.option
        assert field.kind in fields_mod.SCALAR_KINDS + ("id", "control", "name", "password", "acl_priority", "acl",
                                                        "primary_group", "groups", "tariff"), field.option
        if field.kind == "control":
            assert (field.add, field.change, field.model) == (None, None, None), field.option
        if field.kind == "coordinate":
            assert field.limit, field.option
        # A field the API cannot change must at least be sent on add.
        assert field.kind == "control" or field.add or field.change, field.option


def test_argument_spec_is_a_fresh_copy():
    spec = fields_mod.argument_spec()
    spec["city"]["type"] = "int"
    assert fields_mod.STATION_ARGUMENT_SPEC["city"]["type"] == "str"


# ---------------------------------------------------------------- a new text field is one row

def test_a_new_text_field_reaches_the_spec(monkeypatch):
    spec = fields_mod.argument_spec(_with_building())
    assert spec["building"] == {"type": "str"}


def test_a_new_text_field_reaches_the_parser():
    schema = _parser.station_schema(_with_building())
    xml_doc = _parser.parse_document(b'<drweb-es-api status="true"><stations total="1"><station id="ws-1">'
                                     b'<building> B7 </building><city>Berlin</city></station></stations></drweb-es-api>',
                                     "xml", "reading station ws-1")
    json_doc = _parser.parse_document(json.dumps({"head": {"status": True},
                                                  "data": {"total": 1, "list": [{"id": "ws-1", "building": "B7"}]}}),
                                      "json", "reading station ws-1")
    for doc in (xml_doc, json_doc):
        station = _parser._listing(doc, schema, "stations", "station")[0]
        assert station["building"] == "B7"
    # Without the row the key is not in the model at all.
    assert "building" not in _parser._listing(json_doc, _parser._STATION, "stations", "station")[0]


def test_a_new_text_field_reaches_the_plan(monkeypatch):
    monkeypatch.setattr(fields_mod, "FIELDS", _with_building())
    desired = _station.normalise_options({"id": "ws-1", "building": " B7 "})
    assert desired["building"] == "B7"
    current = {"id": "ws-1", "name": "ws-1", "building": "A1", "group_membership": None}
    update = _station.build_plan(desired, current, {})
    assert update.params == [("building", "B7")]
    assert update.diff.as_ansible() == {"before": {"building": "A1"}, "after": {"building": "B7"}}
    assert update.station["building"] == "B7"
    assert not _station.build_plan(desired, dict(current, building="B7 "), {}).changed
    create = _station.build_plan(desired, None, {})
    assert create.params == [("id", "ws-1"), ("building", "B7")]
    assert create.followup == []


def test_a_new_text_field_reaches_the_module(monkeypatch):
    fields = _with_building()
    monkeypatch.setattr(fields_mod, "FIELDS", fields)
    monkeypatch.setattr(drweb_station, "STATION_ARGUMENT_SPEC", fields_mod.argument_spec(fields))

    class Client(FakeClient):
        def station_change(self, station_id, params):
            return self._answer("station_change", station_id, list(params))

    station = {"id": "ws-1", "name": "ws-1", "building": None}
    client = Client(find_station=lambda sid, include=(): copy.deepcopy(station), station_change="ws-1")
    result = run_module(monkeypatch, drweb_station, {"id": "ws-1", "building": "B7"}, client)
    assert not result.get("failed"), result
    assert result["changed"] is True and result["station"]["building"] == "B7"
    assert client.writes() == [("station_change", ("ws-1", [("building", "B7")]), {})]


def test_a_new_text_field_reaches_the_docs():
    fields = _with_building()
    generated = GEN.generate(fields)
    station_text = generated[os.path.join(ROOT, "plugins", "modules", "drweb_station.py")][1]
    bulk_text = generated[os.path.join(ROOT, "plugins", "modules", "drweb_stations.py")][1]
    options = _docstring(station_text, "DOCUMENTATION")["options"]
    suboptions = _docstring(bulk_text, "DOCUMENTATION")["options"]["stations"]["suboptions"]
    returned = _docstring(station_text, "RETURN")["station"]["contains"]
    assert options["building"] == {"description": ["Building. An empty string clears it."], "type": "str"}
    assert suboptions["building"] == {
        "description": ["Building. An empty string clears it. More in O(drweb.esuite.drweb_station#module:building)."],
        "type": "str"}
    assert returned["building"] == {"description": "Building.", "type": "str", "sample": "B7"}
    assert list(options) == list(suboptions) == list(fields_mod.argument_spec(fields))


# ---------------------------------------------------------------- the renderers' rules

def test_suboption_references_point_into_the_list():
    suboptions = _module_docs(drweb_stations)["options"]["stations"]["suboptions"]
    assert "its O(stations[].id). More in O(drweb.esuite.drweb_station#module:name)." in suboptions["name"]["description"][0]
    text = json.dumps(suboptions)
    assert "O(id)" not in text and "O(password)" not in text
    # References to options outside the list (the connection's) are left alone.
    lines = GEN.render_suboptions([fields_mod.FIELDS[0]._replace(doc=("See O(retries).",))])
    assert yaml.safe_load("\n".join(lines)) == {"id": {
        "description": ["See O(retries). More in O(drweb.esuite.drweb_station#module:id)."], "type": "str", "required": True}}


@pytest.mark.parametrize("text", [
    "a: b looks like a mapping",
    "ends with a comment # here",
    "* starts like an alias",
    "V(******** (changed\\)) stays one piece " + "x" * 200,
])
def test_awkward_paragraphs_read_back_unchanged(text):
    rendered = GEN._paragraph(text, 6)
    assert yaml.safe_load(rendered.strip()) == [text]
    if "V(" in text:
        assert "V(******** (changed\\))" in rendered  # markup is never split across lines


@pytest.mark.parametrize("value", ["a: b looks like a mapping", "ends with a comment # here", "* starts like an alias",
                                   "plain text", "********"])
def test_return_values_read_back_unchanged(value):
    assert yaml.safe_load("key: %s" % GEN._scalar(value)) == {"key": value}


def test_the_generator_commands_in_the_architecture_doc_run_as_written():
    # docs/architecture.md tells contributors to run these two lines from the checkout.
    doc = open(os.path.join(ROOT, "docs", "architecture.md")).read()
    commands = [line for line in doc.splitlines() if line.startswith("python hack/gen_station_docs.py")]
    assert commands == ["python hack/gen_station_docs.py", "python hack/gen_station_docs.py --check"]
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    for command in commands:
        done = subprocess.run(command, shell=True, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True, check=False)
        assert done.returncode == 0, done.stdout
        assert "all blocks are up to date" in done.stdout
