# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.drweb.esuite.plugins.module_utils._diff import (
    Diff,
    SetChange,
    code_equal,
    scalar_equal,
    set_change,
    sorted_list,
    text_equal,
)


# ---------------------------------------------------------------- scalars: only keys the caller compares

def test_keys_never_compared_are_neither_changed_nor_shown():
    current = {"city": "Berlin", "room": "101", "floor": "3"}
    diff = Diff()
    diff.scalar("city", "Berlin", current["city"])
    assert not diff.changed
    assert diff.before == {"city": "Berlin"}
    assert diff.after == {"city": "Berlin"}


def test_scalar_change_reports_before_and_after():
    diff = Diff()
    assert diff.scalar("city", "Munich", "Berlin") is True
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
    diff = Diff()
    diff.scalar("city", "", "Berlin")
    assert diff.changes["city"] == {"before": "Berlin", "after": ""}


def test_equal_unset_values_show_the_current_value_on_both_sides():
    diff = Diff()
    assert diff.scalar("city", "", None) is False
    assert not diff.changed
    assert diff.before == diff.after == {"city": None}


def test_custom_equality_and_render_per_key():
    diff = Diff()
    diff.scalar("lat", 1.0000004, 1.0, equal=lambda a, b: abs(a - b) < 1e-6)
    diff.scalar("when", 0, None, equal=lambda a, b: (a or 0) == (b or 0),
                render=lambda v: "never" if not v else str(v))
    assert not diff.changed
    assert diff.before["when"] == "never"


def test_a_new_object_shows_every_compared_key_as_a_change():
    diff = Diff()
    diff.scalar("city", "Berlin", None)
    diff.set("tags", ["a"], None)
    assert set(diff.changes) == {"city", "tags"}
    assert diff.as_ansible(exists=False) == {"before": {}, "after": {"city": "Berlin", "tags": ["a"]}}


# ---------------------------------------------------------------- sets

def test_set_order_and_duplicates_do_not_matter():
    diff = Diff()
    diff.set("tags", ["b", "a", "a"], ["a", "b"])
    assert not diff.changed
    assert diff.after == {"tags": ["a", "b"]}


def test_set_add_only_keeps_current_items():
    diff = Diff()
    diff.set("tags", ["c"], ["b", "a"])
    assert diff.changes["tags"]["add"] == ["c"]
    assert diff.changes["tags"]["remove"] == []
    assert diff.before == {"tags": ["a", "b"]}
    assert diff.after == {"tags": ["a", "b", "c"]}


def test_set_add_only_subset_is_no_change():
    diff = Diff()
    diff.set("tags", ["a"], ["a", "b"])
    assert not diff.changed


def test_set_purge_makes_the_list_exact():
    diff = Diff()
    diff.set("tags", ["c"], ["a", "c"], purge=True)
    assert diff.changes["tags"]["remove"] == ["a"]
    assert diff.changes["tags"]["add"] == []
    assert diff.after == {"tags": ["c"]}


def test_set_purge_to_empty_list_removes_everything_unprotected():
    diff = Diff()
    diff.set("tags", [], ["a", "sys"], purge=True, protected=["sys"])
    assert diff.changes["tags"]["remove"] == ["a"]
    assert diff.after == {"tags": ["sys"]}


def test_empty_list_without_purge_changes_nothing():
    diff = Diff()
    diff.set("tags", [], ["a"])
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
    change = diff.record_set("groups", {"a", "primary"}, {"primary", "b"})
    assert isinstance(change, SetChange) and change.changed
    assert diff.changes["groups"]["add"] == ["b"]
    assert diff.changes["groups"]["remove"] == ["a"]
    assert list(diff.before) == list(diff.after) == ["groups"]


def test_record_masked_value_marks_change_explicitly():
    diff = Diff()
    assert diff.record("password", "********", "******** (changed)", True)
    assert not diff.record("password", "********", "********", False)
    assert "password" not in diff.changes
    assert diff.after["password"] == "********"


def test_sorted_list_tolerates_mixed_types():
    assert sorted_list([3, "a", None, 1.5, -2, -10]) == [None, -10, -2, 1.5, 3, "a"]
    assert sorted_list(None) == []


# ---------------------------------------------------------------- the station's comparators

@pytest.mark.parametrize("desired, current, equal", [
    ("Berlin", " Berlin\n", True),
    ("", None, True),
    ("Berlin", "berlin", False),
    ("", "Berlin", False),
])
def test_text_equal_ignores_surrounding_white_space_only(desired, current, equal):
    assert text_equal(desired, current) is equal


@pytest.mark.parametrize("desired, current, equal", [
    ("DE", "de", True),
    ("DE", " De ", True),
    ("", None, True),
    ("DE", "FR", False),
])
def test_code_equal_ignores_case_too(desired, current, equal):
    assert code_equal(desired, current) is equal
