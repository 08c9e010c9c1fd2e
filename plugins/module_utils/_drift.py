# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drift: the stations a declared scope of groups holds that the desired list does not name.

``drweb_stations`` converges its list between two steps of this file:

1. before any write, the scope is listed (``groups/stations-list.ds``, every page, for
   each scope group and every user group below it: the walk finds the sub-tree, so no
   ``subgroups=yes`` flag is needed, which servers before 13.0.1 do not know). A station
   is *listed* when any entry of ``stations`` names it, present or absent. With
   ``unlisted: absent`` and more unlisted stations than ``unlisted_max``, the task fails
   here, before anything is written: an empty or truncated list must never wipe a fleet;
2. after the converge, and only when every listed station converged, the unlisted
   stations are deleted, ``DELETE_BATCH`` ids per ``stations/delete.ds``; check mode only
   predicts.

A system group in the scope (Everyone, Ungrouped) lists every station the server puts in it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebError
from ansible_collections.drweb.esuite.plugins.module_utils._groups import add_planned_groups, group_tree, resolve_groups
from ansible_collections.drweb.esuite.plugins.module_utils._module import failure_result
from ansible_collections.drweb.esuite.plugins.module_utils._values import REF_LENGTH, Text

DRIFT_ARGUMENT_SPEC = dict(
    scope=dict(type='list', elements=Text(REF_LENGTH)),
    unlisted=dict(type='str', default='ignore', choices=['ignore', 'report', 'absent']),
    unlisted_max=dict(type='int', default=10),
    planned_groups=dict(type='list', elements='dict'),
)

DELETE_BATCH = 50
MSG_IDS = 5


class Drift(object):
    """What the drift part of a run adds to the task's result."""

    def __init__(self, mode):
        self.mode = mode
        self.unlisted = []
        self.diffs = []
        self.msg = ''
        self.changed = False
        self.error = None

    @property
    def failed(self):
        return self.error is not None

    @property
    def returned(self):
        if self.mode == 'ignore':
            return {}
        returned = dict(unlisted=self.unlisted)
        if self.error is not None:
            returned.update(self.error)
        return returned


def _names(ids):
    shown = ", ".join(ids[:MSG_IDS])
    return shown + (" and %d more" % (len(ids) - MSG_IDS) if len(ids) > MSG_IDS else "")


def _plural(count, word):
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def scope_groups(client, scope):
    """``[(group id, path)]`` to list: each scope group and every user group below it, once."""
    found = resolve_groups(client, scope)
    tree = group_tree(client)
    below = {}
    for group in tree:
        below.setdefault(group.get('parent_id'), []).append(group)
    out, seen = [], set()
    for ref in scope:
        start = found[ref]
        level = [start]
        while level:
            nxt = []
            for group in level:
                if group['id'] in seen:
                    continue
                seen.add(group['id'])
                # A group check mode only predicts holds no station yet.
                if group.get('planned') != 'create':
                    out.append((group['id'], group.get('path') or group.get('name') or group['id']))
                if group.get('type') in (0, None):
                    nxt.extend(below.get(group['id'], ()))
            level = nxt
    return out


def survey(client, scope, listed):
    """The stations of the scope that ``listed`` (a set of ids) does not name: ``[{id, name, groups}]``."""
    unlisted = {}
    for gid, path in scope_groups(client, scope):
        for station in client.group_stations(gid)['stations']:
            sid = station.get('id')
            if sid is None or sid in listed:
                continue
            entry = unlisted.setdefault(sid, {'id': sid, 'name': station.get('name'), 'groups': []})
            if path not in entry['groups']:
                entry['groups'].append(path)
    return list(unlisted.values())


def _check_options(module):
    p = module.params
    if p['unlisted'] != 'ignore' and not p['scope']:
        module.fail_json(msg="unlisted: %s needs scope, the groups whose stations the list must name; "
                             "nothing was sent." % p['unlisted'])
    if p['unlisted_max'] < 0:
        module.fail_json(msg="unlisted_max must be 0 or more, got %d; nothing was sent." % p['unlisted_max'])
    if p['scope'] and any(not str(ref).strip() for ref in p['scope']):
        module.fail_json(msg="scope entries must be non-empty group ids, names or paths; nothing was sent.")


def converge_with_drift(module, desired, converge):
    """Survey the scope, run ``converge()`` (the listed stations), then settle the unlisted ones.

    Returns ``(converge()'s results, Drift)``. Fails the task itself, before any write,
    on bad drift options, an unknown scope group, or too many stations to delete.
    """
    p = module.params
    _check_options(module)
    drift = Drift(p['unlisted'])
    client = module.client
    if p['planned_groups'] and module.check_mode:
        with module.api_errors():
            add_planned_groups(client, p['planned_groups'])
    if drift.mode != 'ignore':
        listed = set(station['id'] for station in desired)
        with module.api_errors():
            drift.unlisted = survey(client, [str(ref).strip() for ref in p['scope']], listed)
        count = len(drift.unlisted)
        if drift.mode == 'absent' and count > p['unlisted_max']:
            module.fail_json(
                msg="%s in scope %s not listed, more than unlisted_max (%d), so nothing was changed or deleted: %s; "
                    "list them, or raise unlisted_max if they really should go."
                % (_plural(count, "station"), "is" if count == 1 else "are", p['unlisted_max'],
                   _names([u['id'] for u in drift.unlisted])), unlisted=drift.unlisted)
    results = converge()
    ids = [u['id'] for u in drift.unlisted]
    if not ids:
        return results, drift
    if drift.mode == 'report':
        drift.msg = "; %s in scope %s not listed: %s" % (
            _plural(len(ids), "station"), "is" if len(ids) == 1 else "are", _names(ids))
        return results, drift
    stuck = [r for r in results if r['action'] in ('failed', 'skipped')]
    if stuck:
        drift.msg = "; %s not deleted, because %s did not converge" % (
            _plural(len(ids), "unlisted station"), _plural(len(stuck), "listed station"))
        return results, drift
    deleted = []
    try:
        for start in range(0, len(ids), DELETE_BATCH):
            batch = ids[start:start + DELETE_BATCH]
            module.write(client.station_delete, batch)
            deleted.extend(batch)
    except DrWebError as exc:
        details = failure_result(exc)
        # msg and changed are the task's own; the rest (errno, maybe_applied, ...) say why the deletes stopped.
        details.pop('msg')
        details.pop('changed')
        drift.error = dict(details, drift_failed=True)
        drift.msg = "; deleting the unlisted stations failed after %d of %d: %s" % (len(deleted), len(ids), exc)
    for sid in deleted:
        header = "%s (not listed)" % sid
        drift.diffs.append({'before': {'id': sid, 'state': 'present'}, 'after': {'id': sid, 'state': 'absent'},
                            'before_header': header, 'after_header': header})
    drift.changed = bool(deleted)
    if drift.error is None:
        drift.msg = "; %s deleted: %s" % (_plural(len(ids), "unlisted station"), _names(ids))
    return results, drift
