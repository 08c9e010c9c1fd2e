# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generic diff engine: desired state (only the keys the user set) against current state.

Rules every module gets from here:

* only keys present in ``desired`` are compared, and only they appear in
  ``before``/``after``; a key the user did not set is never touched;
* scalars compare with ``None`` and ``""`` as the same "not set" value, unless the
  caller passes its own equality function for that key;
* list-valued keys have set semantics: order and duplicates do not matter; by default
  the desired items are added to the current ones ("add only"); with ``purge`` the
  result is exactly the desired items plus the current items the caller protects
  (system entries that may never be removed), like ``purge_tags`` in amazon.aws;
* ``before``/``after`` hold display values, lists sorted, so ``--diff`` is stable.

The engine is pure: no I/O, no module globals, no Ansible imports.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def _is_unset(value):
    return value is None or value == ""


def scalar_equal(desired, current):
    """Default scalar comparison: ``None`` and ``""`` both mean "not set"."""
    if _is_unset(desired) and _is_unset(current):
        return True
    return desired == current


# Comparators of the station's fields (``_station_fields`` names them by kind). Each
# takes ``(desired, current)``; a current value the server left out is the empty value.

def text_equal(desired, current):
    """Free text: leading and trailing white space do not count, and missing is ``""``."""
    return (desired or "").strip() == (current or "").strip()


def code_equal(desired, current):
    """A code such as a country: case does not count either."""
    return (desired or "").strip().upper() == (current or "").strip().upper()


def date_equal(desired, current):
    """Unix seconds: ``0`` and missing both mean "not set"."""
    return (desired or 0) == (current or 0)


# The server stores degrees scaled by 1e6, so one millionth of a degree is the resolution.
COORDINATE_TOLERANCE = 1e-6


def coordinate_equal(desired, current):
    """Decimal degrees, to within the server's resolution; missing is ``0``."""
    return abs((desired or 0.0) - (current or 0.0)) <= COORDINATE_TOLERANCE + 1e-12


def _sort_key(item):
    # Sort heterogeneous items deterministically without TypeError on Python 3.
    if item is None:
        return (0, "")
    if isinstance(item, bool):
        return (1, str(item))
    if isinstance(item, (int, float)):
        return (2, item)
    return (3, str(item))


def sorted_list(items):
    """``items`` as a list sorted with a total order that tolerates mixed types."""
    return sorted(items or (), key=_sort_key)


def unique(items):
    """``items`` in the order first seen, each once (for lists of unhashable items too)."""
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


class SetChange(object):
    """What a set-valued key needs: items to add, items to remove, and the end set."""

    __slots__ = ("before", "after", "add", "remove")

    def __init__(self, before, after):
        self.before = frozenset(before)
        self.after = frozenset(after)
        self.add = self.after - self.before
        self.remove = self.before - self.after

    @property
    def changed(self):
        return bool(self.add or self.remove)

    def __repr__(self):
        return "SetChange(add=%r, remove=%r)" % (sorted_list(self.add), sorted_list(self.remove))


def set_change(current, desired, purge=False, protected=()):
    """Plan a set-valued key.

    ``current`` and ``desired`` are iterables of hashable items (``None`` = empty).
    Without ``purge`` the end set is ``current | desired``. With ``purge`` it is
    ``desired`` plus every current item in ``protected`` (an iterable of items or a
    predicate ``item -> bool``), so a purge never removes what the caller protects.
    """
    current = frozenset(current or ())
    desired = frozenset(desired or ())
    if not purge:
        return SetChange(current, current | desired)
    if callable(protected):
        kept = frozenset(item for item in current if protected(item))
    else:
        kept = current & frozenset(protected or ())
    return SetChange(current, desired | kept)


class Diff(object):
    """Per-key changes plus ``before``/``after`` restricted to the managed keys.

    Build it key by key (``scalar``, ``set``, ``record_set``, ``record``) so that a module
    with domain rules (e.g. a primary group that cannot leave a membership list) can
    compute a set's end state itself and still report through the same engine.
    """

    def __init__(self):
        self.changes = {}
        self.before = {}
        self.after = {}

    @property
    def changed(self):
        return bool(self.changes)

    def scalar(self, key, desired, current, equal=None, render=None):
        """Compare one scalar; returns True when it changes."""
        equal = equal or scalar_equal
        render = render or _identity
        self.before[key] = render(current)
        self.after[key] = render(desired)
        if equal(desired, current):
            # Show the current value on both sides: it is what the server keeps.
            self.after[key] = self.before[key]
            self.changes.pop(key, None)
            return False
        self.changes[key] = {"before": current, "after": desired}
        return True

    def set(self, key, desired, current, purge=False, protected=(), render=None):
        """Compare one set-valued key; returns the :class:`SetChange`."""
        change = set_change(current, desired, purge=purge, protected=protected)
        return self.record_set(key, change.before, change.after, render=render)

    def record_set(self, key, before, after, render=None):
        """Record a set-valued key whose end set the caller computed with domain rules."""
        change = SetChange(before, after)
        render = render or _identity
        self.before[key] = sorted_list(render(item) for item in change.before)
        self.after[key] = sorted_list(render(item) for item in change.after)
        if change.changed:
            self.changes[key] = {
                "before": sorted_list(change.before),
                "after": sorted_list(change.after),
                "add": sorted_list(change.add),
                "remove": sorted_list(change.remove),
            }
        else:
            self.changes.pop(key, None)
        return change

    def record(self, key, before, after, changed=None):
        """Record display values the caller computed (masked secrets, write-only fields)."""
        self.before[key] = before
        self.after[key] = after
        if changed is None:
            changed = before != after
        if changed:
            self.changes[key] = {"before": before, "after": after}
        else:
            self.changes.pop(key, None)
        return changed

    def as_ansible(self, exists=True):
        """The ``diff`` return value. ``exists=False`` shows the whole object as new."""
        return {
            "before": dict(self.before) if exists else {},
            "after": dict(self.after),
        }


def _identity(value):
    return value
