# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest


from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebProtocolError  # noqa: E402
from ansible_collections.drweb.esuite.plugins.module_utils._group_components import status_name  # noqa: E402
from ansible_collections.drweb.esuite.plugins.modules import drweb_group_components as mod  # noqa: E402
from ansible_collections.drweb.esuite.tests.unit.plugins.modules.drweb_harness import (  # noqa: E402
    FakeClient,
    run_module,
)

EVERYONE = {"id": "20e27d73-d21d-b211-a788-85419c46f0e6", "name": "Everyone", "type": 1, "child_groups": 0}
ACCOUNTING = {"id": "g-acc", "name": "Accounting Dept", "type": 0, "child_groups": 0}
GROUPS = [EVERYONE, ACCOUNTING]


def answers(ids):
    table = {
        EVERYONE["id"]: {"group_id": EVERYONE["id"], "inherited": False, "inherited_group_id": None,
                         "inherited_group_name": None,
                         "components": [{"code": 30, "name": "Dr.Web Agent for Windows", "status": 2},
                                        {"code": 4, "name": "Dr.Web Scanner for Windows", "status": 1},
                                        {"code": 55, "name": "Dr.Web Antispam", "status": 0}]},
        "g-acc": {"group_id": "g-acc", "inherited": True, "inherited_group_id": EVERYONE["id"],
                  "inherited_group_name": "Everyone", "components": []},
    }
    return [table[i] for i in ids if i in table]


def test_reads_all_groups_in_one_components_request(monkeypatch):
    client = FakeClient(GROUPS, group_components=answers)
    result = run_module(monkeypatch, mod, {"id": [EVERYONE["id"], "g-acc"]}, client)
    assert result["changed"] is False and not result.get("failed")
    assert client.names() == ["group_info", "group_components"]
    assert client.calls[-1][1] == ([EVERYONE["id"], "g-acc"],)
    everyone, accounting = result["groups"]
    assert everyone["name"] == "Everyone" and everyone["inherited"] is False
    assert [(c["code"], c["status"], c["status_name"]) for c in everyone["components"]] == [
        (30, 2, "required"), (4, 1, "optional"), (55, 0, "not_required")]
    assert accounting == {"id": "g-acc", "name": "Accounting Dept", "inherited": True,
                          "inherited_group_id": EVERYONE["id"], "inherited_group_name": "Everyone", "components": []}


def test_a_name_is_resolved_through_the_group_tree(monkeypatch):
    client = FakeClient(GROUPS, group_components=answers)
    result = run_module(monkeypatch, mod, {"id": ["Accounting Dept"]}, client)
    assert [g["id"] for g in result["groups"]] == ["g-acc"]
    assert client.names() == ["group_list", "group_components"]


def test_one_group_named_twice_is_read_and_returned_once(monkeypatch):
    client = FakeClient(GROUPS, group_components=answers)
    result = run_module(monkeypatch, mod, {"id": ["g-acc", "Accounting Dept", "g-acc"]}, client)
    assert [g["id"] for g in result["groups"]] == ["g-acc"]
    assert client.calls[-1][1] == (["g-acc"],)


def test_unknown_group_fails_before_reading_components(monkeypatch):
    client = FakeClient(GROUPS, group_components=answers)
    result = run_module(monkeypatch, mod, {"id": ["g-acc", "g-nope"]}, client)
    assert result["failed"]
    assert result["msg"] == "Group 'g-nope' does not exist on the server."
    assert "group_components" not in client.names()


def test_a_group_missing_from_the_answer_is_an_error_not_an_empty_list(monkeypatch):
    # The parser finds the gap (test_parser_values); the module reports it as it is.
    left_out = DrWebProtocolError("Reading the components of group g-acc failed: the server's answer does not mention it.",
                                  obj="g-acc")
    client = FakeClient(GROUPS, group_components=left_out)
    result = run_module(monkeypatch, mod, {"id": [EVERYONE["id"], "g-acc"]}, client)
    assert result["failed"]
    assert result["msg"] == "Reading the components of group g-acc failed: the server's answer does not mention it."


def test_check_mode_reads_the_same(monkeypatch):
    client = FakeClient(GROUPS, group_components=answers)
    normal = run_module(monkeypatch, mod, {"id": ["g-acc"]}, client)
    checked = run_module(monkeypatch, mod, {"id": ["g-acc"]}, FakeClient(GROUPS, group_components=answers), check_mode=True)
    assert checked == normal


def test_blank_ids_are_rejected_before_any_request(monkeypatch):
    client = FakeClient(GROUPS)
    result = run_module(monkeypatch, mod, {"id": [" ", ""]}, client)
    assert result == {"failed": True, "msg": "The id option must name at least one group."}
    assert client.calls == []


@pytest.mark.parametrize("status, name", [(2, "required"), ("1", "optional"), (0, "not_required"), (7, None), (None, None)])
def test_status_name(status, name):
    assert status_name(status) == name
