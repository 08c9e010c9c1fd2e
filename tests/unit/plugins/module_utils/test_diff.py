# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.drweb.esuite.plugins.module_utils._diff import (
    Diff,
    SetChange,
    compare,
    scalar_equal,
    set_change,
    sorted_list,
)


# ---------------------------------------------------------------- compare(): only keys the user set

def test_unset_keys_are_neither_compared_nor_shown():
    diff = compare({"city": "Berlin", "room": None}, {"city": "Berlin", "room": "101", "floor": "3"})
    assert not diff.changed
    assert diff.before == {"city": "Berlin"}
    assert diff.after == {"city": "Berlin"}


def test_scalar_change_reports_before_and_after():
    diff = compare({"city": "Munich"}, {"city": "Berlin"})
    assert diff.changed
    assert diff.changes == {"city": {"before": "Berlin", "after": "Munich"}}
    assert diff.as_ansible() == {"before": {"city": "Berlin"}, "after": {"city": "Munich"}}


@pytest.mark.parametrize("desired, current, equal", [
    ("", None, True),
    (None, "", True),
    ("", "", True),
    ("x", None, False),
    ("", "x", False),
    (0, None, False),
])
def test_scalar_equal_treats_none_and_empty_as_unset(desired, current, equal):
    assert scalar_equal(desired, current) is equal


def test_clearing_a_field_is_a_change():
    diff = compare({"city": ""}, {"city": "Berlin"})
    assert diff.changes["city"] == {"before": "Berlin", "after": ""}


def test_equal_unset_values_show_the_current_value_on_both_sides():
    diff = compare({"city": ""}, {"city": None})
    assert not diff.changed
    assert diff.before == diff.after == {"city": None}


def test_custom_equality_and_render_per_key():
    diff = compare({"lat": 1.0000004, "when": 0}, {"lat": 1.0, "when": None},
                   equal={"lat": lambda a, b: abs(a - b) < 1e-6, "when": lambda a, b: (a or 0) == (b or 0)},
                   render={"when": lambda v: "never" if not v else str(v)})
    assert not diff.changed
    assert diff.before["when"] == "never"


def test_missing_current_object_makes_every_set_key_a_change():
    diff = compare({"city": "Berlin", "tags": ["a"]}, None, set_keys=["tags"])
    assert set(diff.changes) == {"city", "tags"}
    assert diff.as_ansible(exists=False) == {"before": {}, "after": {"city": "Berlin", "tags": ["a"]}}


# ---------------------------------------------------------------- sets

def test_set_order_and_duplicates_do_not_matter():
    diff = compare({"tags": ["b", "a", "a"]}, {"tags": ["a", "b"]}, set_keys=["tags"])
    assert not diff.changed
    assert diff.after == {"tags": ["a", "b"]}


def test_set_add_only_keeps_current_items():
    diff = compare({"tags": ["c"]}, {"tags": ["b", "a"]}, set_keys=["tags"])
    assert diff.changes["tags"]["add"] == ["c"]
    assert diff.changes["tags"]["remove"] == []
    assert diff.before == {"tags": ["a", "b"]}
    assert diff.after == {"tags": ["a", "b", "c"]}


def test_set_add_only_subset_is_no_change():
    diff = compare({"tags": ["a"]}, {"tags": ["a", "b"]}, set_keys=["tags"])
    assert not diff.changed


def test_set_purge_makes_the_list_exact():
    diff = compare({"tags": ["c"]}, {"tags": ["a", "c"]}, set_keys=["tags"], purge=["tags"])
    assert diff.changes["tags"]["remove"] == ["a"]
    assert diff.changes["tags"]["add"] == []
    assert diff.after == {"tags": ["c"]}


def test_set_purge_to_empty_list_removes_everything_unprotected():
    diff = compare({"tags": []}, {"tags": ["a", "sys"]}, set_keys=["tags"], purge=["tags"],
                   protected={"tags": ["sys"]})
    assert diff.changes["tags"]["remove"] == ["a"]
    assert diff.after == {"tags": ["sys"]}


def test_empty_list_without_purge_changes_nothing():
    diff = compare({"tags": []}, {"tags": ["a"]}, set_keys=["tags"])
    assert not diff.changed
    assert diff.after == {"tags": ["a"]}


def test_set_purge_protected_by_predicate():
    change = set_change(["user-1", "sys-1", "user-2"], ["user-2"], purge=True,
                        protected=lambda item: item.startswith("sys-"))
    assert change.remove == frozenset(["user-1"])
    assert change.after == frozenset(["sys-1", "user-2"])


def test_protected_items_do_not_get_added():
    change = set_change(["a"], ["a"], purge=True, protected=["sys"])
    assert not change.changed
    assert change.after == frozenset(["a"])


def test_set_render_labels_items_and_sorts_the_labels():
    diff = Diff()
    diff.set("groups", ["id-2"], ["id-1"], render={"id-1": "Zeta", "id-2": "Alpha"}.get)
    assert diff.after["groups"] == ["Alpha", "Zeta"]
    # The machine-readable change keeps the identities.
    assert diff.changes["groups"]["add"] == ["id-2"]


def test_record_set_with_caller_computed_end_state():
    diff = Diff()
    diff.record_set("groups", SetChange({"a", "primary"}, {"primary", "b"}))
    assert diff.changes["groups"]["add"] == ["b"]
    assert diff.changes["groups"]["remove"] == ["a"]
    assert diff.keys == ["groups"]


def test_record_masked_value_marks_change_explicitly():
    diff = Diff()
    assert diff.record("password", "********", "******** (changed)", True)
    assert not diff.record("password", "********", "********", False)
    assert "password" not in diff.changes
    assert diff.after["password"] == "********"


def test_sorted_list_tolerates_mixed_types():
    assert sorted_list([3, "a", None, 1.5, -2, -10]) == [None, -10, -2, 1.5, 3, "a"]
    assert sorted_list(None) == []
