# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""drweb_group_components: which components groups install, read with one request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.drweb.esuite.plugins.module_utils._diff import unique
from ansible_collections.drweb.esuite.plugins.module_utils._groups import resolve_groups

# Install status codes of groups/components.ds.
STATUS_NAMES = {2: 'required', 1: 'optional', 0: 'not_required'}


def status_name(status):
    try:
        return STATUS_NAMES.get(int(status))
    except (TypeError, ValueError):
        return None


def describe_groups(refs, resolved, answers):
    """Join the resolved groups with the parsed ``components.ds`` answers, once each, in the order of ``refs``."""
    by_id = dict((entry['group_id'], entry) for entry in answers)
    groups, done = [], set()
    for ref in refs:
        group = resolved[ref]
        if group['id'] in done:
            continue
        done.add(group['id'])
        entry = by_id[group['id']]
        groups.append(dict(
            id=group['id'],
            name=group.get('name'),
            inherited=entry.get('inherited'),
            inherited_group_id=entry.get('inherited_group_id'),
            inherited_group_name=entry.get('inherited_group_name'),
            components=[dict(code=c.get('code'), name=c.get('name'), status=c.get('status'),
                             status_name=status_name(c.get('status')))
                        for c in entry.get('components') or []],
        ))
    return groups


def read_components(module):
    """The whole drweb_group_components task; exits the module."""
    refs = unique(ref.strip() for ref in module.params['id'] if ref and ref.strip())
    if not refs:
        module.fail_json(msg="The id option must name at least one group.")
    with module.api_errors():
        resolved = resolve_groups(module.client, refs)
        answers = module.client.group_components(unique(resolved[ref]['id'] for ref in refs))
    module.exit_json(changed=False, groups=describe_groups(refs, resolved, answers))
