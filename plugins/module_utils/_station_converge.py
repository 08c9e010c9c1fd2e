# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge one station: read it, plan one write, send it through the module's choke point.

Shared by ``drweb_station`` (one station per task) and ``drweb_stations`` (many stations in
one process, several at a time). Nothing here touches module state other than
``module.client``, ``module.write`` and ``module.converge``, which are safe to call from
several threads at once; warnings are returned, not emitted, so each names its station.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebNotFoundError
from ansible_collections.drweb.esuite.plugins.module_utils._groups import resolve_groups
from ansible_collections.drweb.esuite.plugins.module_utils._station import (
    StationOptionError,
    build_plan,
    group_refs,
    include_flags,
    known_groups,
    normalise_options,
    unknown_tariff,
)

# ``action`` of a result; the fixed ``msg`` pattern is ``station <id> <verb>``.
VERBS = {
    "created": "created",
    "updated": "updated",
    "unchanged": "already up to date",
    "deleted": "deleted",
    "absent": "already absent",
}


def run_station(module):
    """The whole drweb_station task for ``module.params``; exits the module."""
    try:
        desired = normalise_options(module.params)
    except StationOptionError as exc:
        module.fail_from(exc)
    with module.api_errors():
        result = converge_station(module, desired)
    for warning in result.pop('warnings'):
        module.warn(warning)
    module.exit_json(**result)


def diff_with_header(diff, station_id):
    """``diff`` headed by its station: Ansible prints ``--- before: ws-0042`` and ``+++ after: ws-0042``."""
    return dict(diff, before_header=station_id, after_header=station_id)


def converge_station(module, desired):
    """Bring one station to ``desired`` (from ``normalise_options``).

    Returns ``dict(changed, action, msg, station, diff, warnings)``; raises DrWebError.
    In check mode the result is what a real run would have done.
    """
    if desired['state'] == 'absent':
        return _converge_absent(module, desired['id'])
    return _converge_present(module, desired)


def _result(station_id, action, station, diff, warnings=()):
    return dict(changed=action not in ('unchanged', 'absent'), action=action,
                msg="station %s %s" % (station_id, VERBS[action]), station=station,
                diff=diff_with_header(diff, station_id), warnings=list(warnings))


def _converge_absent(module, station_id):
    client = module.client

    def attempt(may_write=True):
        if client.find_station(station_id) is None:
            return False
        if not may_write:
            return None
        module.write(client.station_delete, [station_id])
        return True

    deleted, wrote = module.converge(attempt)
    # After a write that may have landed, "gone now" is our deletion.
    changed = deleted or wrote
    diff = {"before": {"id": station_id, "state": "present" if changed else "absent"},
            "after": {"id": station_id, "state": "absent"}}
    return _result(station_id, 'deleted' if changed else 'absent', {}, diff)


def _resolve_references(client, desired, refs, current):
    """The groups of ``refs`` (see ``_groups.resolve_groups``); an unknown tariff fails as a bad rate."""
    if not refs:
        return {}
    try:
        return resolve_groups(client, refs, known=known_groups(current))
    except DrWebNotFoundError as exc:
        if 'rate' in desired and exc.obj == desired['rate'] and exc.obj not in desired.get('groups', ()) \
                and exc.obj != desired.get('parent_group'):
            raise unknown_tariff(exc.obj)
        raise


def _converge_present(module, desired):
    client = module.client
    station_id = desired['id']
    include = include_flags(desired)
    refs = group_refs(desired)
    plans = []

    def attempt(may_write=True):
        current = client.find_station(station_id, include=include)
        plan = build_plan(desired, current, _resolve_references(client, desired, refs, current))
        plans.append((plan, current is not None))
        if plan.changed and not may_write:
            return None
        if plan.action == 'create':
            module.write(client.station_add, plan.params)
            if plan.followup:
                module.write(client.station_change, station_id, plan.followup)
        elif plan.changed:
            module.write(client.station_change, station_id, plan.params)
        return plan

    final, wrote = module.converge(attempt)
    # The first plan says what this task changes; later ones only finish an interrupted write.
    first, first_exists = plans[0]
    if not (first.changed or wrote):
        action = 'unchanged'
    else:
        action = 'updated' if first_exists else 'created'
    return _result(station_id, action, final.station, first.diff.as_ansible(exists=first_exists), first.warnings)
