# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``drweb_group_info``: groups with their paths, and the settings ``groups/info.ds`` can add.

Requests: the walk of the user-group tree (for paths, and for references by name or
path), then ``groups/info.ds`` with ``INFO_BATCH`` ids per request and the include flags.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.drweb.esuite.plugins.module_utils._group import INFO_BATCH
from ansible_collections.drweb.esuite.plugins.module_utils._groups import group_tree, resolve_groups

INCLUDE = ('components', 'keys', 'rights')
_KEYS = ('id', 'name', 'path', 'parent_id', 'description', 'type', 'child_groups', 'stations')


def select(client, refs):
    """The groups to read: the ones ``refs`` name (input order, once each), or every user group."""
    tree = group_tree(client)
    if not refs:
        return [g for g in tree if g.get('type') == 0]
    found = resolve_groups(client, refs)
    groups, seen = [], set()
    for ref in refs:
        group = found[ref]
        if group['id'] not in seen:
            seen.add(group['id'])
            groups.append(group)
    return groups


def describe(client, groups, include=()):
    """Each group as RV(groups) shows it: the listing's fields, the info's, and the included blocks."""
    info = {}
    ids = list(dict.fromkeys(g['id'] for g in groups))
    for start in range(0, len(ids), INFO_BATCH):
        for group in client.group_info(ids[start:start + INFO_BATCH], include=include):
            info[group.get('id')] = group
    paths = dict((g['id'], g.get('path')) for g in group_tree(client))
    out = []
    for listed in groups:
        read = info.get(listed['id']) or {}
        group = {}
        for key in _KEYS:
            value = read.get(key)
            group[key] = value if value is not None else listed.get(key)
        parent_path = paths.get(group['parent_id'])
        group['path'] = listed.get('path') or paths.get(group['id']) or (
            '%s/%s' % (parent_path, group['name']) if parent_path else group['name'])
        for flag in include:
            group[flag] = read.get(flag)
        out.append(group)
    return out


def run_group_info(module):
    refs = list(dict.fromkeys(module.params['id'] or ()))
    include = list(dict.fromkeys(module.params['include'] or ()))
    with module.api_errors():
        groups = describe(module.client, select(module.client, refs), include)
    module.exit_json(changed=False, groups=groups)
