# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_groups: references by path, parent ids from the walk, forgetting and planning the tree."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.drweb.esuite.plugins.module_utils._groups import (
    add_planned_groups,
    forget_tree,
    group_tree,
    matching_groups,
    resolve_groups,
)
from ansible_collections.drweb.esuite.tests.unit.plugins.modules.test_drweb_group import TreeClient


def test_matching_prefers_id_then_name_then_path():
    groups = [{"id": "a", "name": "Office", "path": "Office"}, {"id": "b", "name": "a", "path": "Office/a"},
              {"id": "c", "name": "Kiosks", "path": "Office/Kiosks"}]
    assert [g["id"] for g in matching_groups(groups, "a")] == ["a"]
    assert [g["id"] for g in matching_groups(groups, "Kiosks")] == ["c"]
    assert [g["id"] for g in matching_groups(groups, "/Office/Kiosks/")] == ["c"]
    assert matching_groups(groups, "Kiosks/Office") == []
    assert matching_groups(groups, "/") == []


def test_walk_records_parent_ids_and_paths():
    tree = dict((g["id"], g) for g in group_tree(TreeClient()))
    assert tree["acc-b"]["parent_id"] == "acc" and tree["acc-b"]["path"] == "Office/Accounting/Berlin"
    assert tree["office"]["parent_id"] is None


def test_resolve_by_path_costs_the_walk_only():
    client = TreeClient()
    found = resolve_groups(client, ["Office/Accounting"])
    assert found["Office/Accounting"]["id"] == "acc"
    assert set(c[0] for c in client.calls) == {"group_list"}


def test_forget_tree_makes_the_next_lookup_walk_again():
    client = TreeClient()
    group_tree(client)
    walked = len(client.calls)
    group_tree(client)
    assert len(client.calls) == walked
    forget_tree(client)
    group_tree(client)
    assert len(client.calls) == 2 * walked


def test_planned_groups_resolve_without_a_request():
    client = TreeClient()
    add_planned_groups(client, [{"id": None, "name": "Kiosks", "path": "Sales/Kiosks", "type": 0},
                                {"id": "acc", "name": "Finance", "path": "Office/Finance", "type": 0}])
    calls = len(client.calls)
    found = resolve_groups(client, ["Sales/Kiosks", "Finance"])
    assert found["Sales/Kiosks"]["id"] == "(new group Sales/Kiosks)" and found["Sales/Kiosks"]["planned"] == "create"
    assert found["Finance"]["planned"] == "update"
    assert found["Finance"]["id"] == "acc"
    assert len(client.calls) == calls
