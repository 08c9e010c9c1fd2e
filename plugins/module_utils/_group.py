# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One user group: its options, the rules a change must obey, and the one write it needs.

Pure except :meth:`Step.execute`: the caller walks the group tree once
(:func:`_groups.group_tree`), builds a :class:`GroupTree` from it, and :func:`locate`
resolves each desired group against that tree, checks every rule (system groups, moves
into the group's own sub-tree, non-empty groups without ``force``, ambiguous names) and
applies the change to the tree, so that the next desired group sees the tree as it
will be. Nothing is sent until every desired group has been located.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.drweb.esuite.plugins.module_utils._diff import Diff
from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebError, DrWebNotFoundError
from ansible_collections.drweb.esuite.plugins.module_utils._groups import matching_groups
from ansible_collections.drweb.esuite.plugins.module_utils._values import ID_LENGTH, NAME_LENGTH, REF_LENGTH, TEXT_LENGTH, Text

# The options of one group: drweb_group's own, and each element of drweb_groups' ``groups``.
GROUP_ARGUMENT_SPEC = dict(
    name=dict(type=Text(NAME_LENGTH)),
    parent=dict(type=Text(REF_LENGTH)),
    id=dict(type=Text(ID_LENGTH)),
    description=dict(type=Text(TEXT_LENGTH, multiline=True)),
    state=dict(type='str', default='present', choices=['present', 'absent']),
    force=dict(type='bool', default=False),
)

# Group ids may hold digits, Latin letters, '_', '-' and '.' (the Web API's own rule).
_GROUP_ID = re.compile(r'^[A-Za-z0-9_.\-]+$')
USER_GROUP_TYPE = 0
# Ids per groups/info.ds: the query string stays far below the 8 KB many servers accept.
INFO_BATCH = 50
# ``parent`` of a desired group that goes (or stays) at the top level.
TOP = ''

VERBS = {
    'created': 'created',
    'updated': 'updated',
    'unchanged': 'already up to date',
    'deleted': 'deleted',
    'absent': 'already absent',
}


class GroupOptionError(DrWebError):
    """A group's options are invalid; raised before any request is sent."""


def normalise_group(params):
    """Check one group's options; returns the desired group. Raises GroupOptionError."""
    gid = params.get('id')
    if gid is not None:
        gid = gid.strip()
        if not _GROUP_ID.match(gid):
            raise GroupOptionError(
                "id %r is not a valid group id: use only digits, Latin letters, '_', '-' and '.'." % params['id'])
    name = params.get('name')
    if name is not None:
        name = name.strip()
        if not name:
            raise GroupOptionError("name must not be empty.")
    if gid is None and name is None:
        raise GroupOptionError("set id or name: a group is identified by its id, or by its name under parent.")
    parent = params.get('parent')
    if parent is not None:
        parent = parent.strip()
        # '' and '/' both mean the top level.
        parent = TOP if parent.strip('/') == '' else parent
    return {
        'id': gid,
        'name': name,
        'parent': parent,
        'description': params.get('description'),
        'state': params.get('state') or 'present',
        'force': bool(params.get('force')),
    }


def label(desired):
    """How messages name a desired group before it is found: its id, else parent/name."""
    if desired['id']:
        return desired['id']
    if desired['parent']:
        return '%s/%s' % (desired['parent'].rstrip('/'), desired['name'])
    return desired['name']


def _plural(count, word):
    return '%d %s%s' % (count, word, '' if count == 1 else 's')


class GroupTree(object):
    """The user-group tree as it will be: the walked tree plus every change located so far.

    Nodes are dicts with ``id``, ``name``, ``parent_id``, ``type``, ``stations`` and
    ``new`` (created by this run). A new group without a declared id is keyed by a
    placeholder that :meth:`Step.execute` maps to the id the server returns.
    """

    def __init__(self, groups):
        self.nodes = {}
        for group in groups:
            if group.get('id'):
                self.nodes[group['id']] = {
                    'id': group['id'], 'name': group.get('name'), 'parent_id': group.get('parent_id'),
                    'type': group.get('type'), 'stations': group.get('stations') or 0, 'new': False,
                    'child_groups': group.get('child_groups') or 0,
                }
        self._listing = None

    def _changed(self):
        self._listing = None

    def get(self, gid):
        return self.nodes.get(gid)

    def path(self, gid):
        names, seen = [], set()
        while gid is not None and gid in self.nodes and gid not in seen:
            seen.add(gid)
            names.append(self.nodes[gid]['name'] or gid)
            gid = self.nodes[gid]['parent_id']
        return '/'.join(reversed(names))

    def listing(self):
        """Every node with its ``path``, for reference matching."""
        if self._listing is None:
            self._listing = [dict(node, path=self.path(gid)) for gid, node in self.nodes.items()]
        return self._listing

    def children(self, gid):
        return [node for node in self.nodes.values() if node['parent_id'] == gid]

    def child_count(self, gid):
        node = self.nodes[gid]
        if node['type'] not in (USER_GROUP_TYPE, None):
            # The walk does not descend system groups; trust the server's count.
            return node['child_groups']
        return len(self.children(gid))

    def subtree(self, gid):
        """The ids below ``gid``, deepest first (the order a delete needs)."""
        levels, level = [], [gid]
        while level:
            level = [child['id'] for parent in level for child in self.children(parent)]
            levels.append(level)
        return [child for level in reversed(levels) for child in level]

    def within(self, gid, ancestor):
        """True when ``gid`` is ``ancestor`` or lies below it."""
        seen = set()
        while gid is not None and gid not in seen:
            if gid == ancestor:
                return True
            seen.add(gid)
            gid = (self.nodes.get(gid) or {}).get('parent_id')
        return False

    def resolve(self, ref, what):
        """The node ``ref`` (id, name or path) names; ``what`` starts the error sentences."""
        matches = matching_groups(self.listing(), ref)
        if len(matches) > 1:
            named = ", ".join("%s (%s)" % (g.get('declared_id') or 'to be created' if g['new'] else g['id'], g['path'])
                              for g in matches)
            raise DrWebError("%s '%s' is ambiguous: it matches groups %s; use the group id or its path."
                             % (what, ref, named), obj=ref)
        if not matches:
            raise DrWebNotFoundError("%s '%s' does not exist on the server." % (what, ref), obj=ref)
        return self.nodes[matches[0]['id']]

    def add(self, node):
        self.nodes[node['id']] = node
        self._changed()

    def update(self, gid, **changes):
        self.nodes[gid].update(changes)
        self._changed()

    def remove(self, ids):
        for gid in ids:
            self.nodes.pop(gid, None)
        self._changed()

    def real_id(self, gid, ids):
        """The server's id of a node: a new group without a declared id has one only once add.ds answered."""
        node = self.nodes.get(gid)
        if node is None or not node['new']:
            return gid
        return (ids or {}).get(gid) or node.get('declared_id')

    def describe(self, gid, description, ids=None):
        """The ``group`` return value of a node (``ids`` maps placeholders to real ids)."""
        node = self.nodes[gid]
        return {
            'id': self.real_id(gid, ids),
            'name': node['name'],
            'path': self.path(gid),
            'parent_id': self.real_id(node['parent_id'], ids),
            'description': description,
            'type': USER_GROUP_TYPE if node['new'] else node['type'],
            'child_groups': self.child_count(gid),
            'stations': node['stations'],
        }


class Step(object):
    """What one desired group needs: ``action`` and, for a change, the one write.

    ``action`` is ``create``, ``update`` (the diff decides between updated and unchanged
    once the current description is known, see :meth:`finish`), ``delete`` or ``absent``.
    """

    def __init__(self, index, desired, action, tree, gid=None, parent_id=None, old=None, delete_ids=()):
        self.index = index
        self.desired = desired
        self.action = action
        self.gid = gid
        self.parent_id = parent_id
        self.old = old or {}
        self.delete_ids = list(delete_ids)
        # Paths as the tree stands when this step is located: later steps may rename or delete.
        self.header = tree.path(gid) if gid else label(desired)
        self.name = (tree.get(gid) or {}).get('name') or desired['name']
        self.parent_path = tree.path(parent_id) if parent_id else None
        self.old_parent_path = tree.path(self.old['parent_id']) if self.old.get('parent_id') else None
        self.diff = None
        self.params = []
        self.description = None

    @property
    def changed(self):
        return self.action in ('create', 'delete') or bool(self.params)

    def finish(self, current_description=None):
        """Compute the diff and the write's parameters; ``current_description`` from groups/info.ds."""
        desired = self.desired
        if self.action in ('delete', 'absent'):
            gone = self.action == 'delete'
            self.diff = {'before': {'id': self.gid or label(desired), 'state': 'present' if gone else 'absent'},
                         'after': {'id': self.gid or label(desired), 'state': 'absent'}}
            return
        diff = Diff()
        parent_path = self.parent_path
        if self.action == 'create':
            if desired['id']:
                diff.record('id', None, desired['id'])
            diff.record('name', None, desired['name'])
            diff.record('parent', None, parent_path)
            self.params = [('name', desired['name'])]
            if desired['id']:
                self.params.append(('id', desired['id']))
            if desired['description'] is not None:
                diff.record('description', None, desired['description'])
                if desired['description'] != '':
                    self.params.append(('description', desired['description']))
            self.description = desired['description'] or None
        else:
            if desired['name'] is not None and diff.scalar('name', desired['name'], self.old['name']):
                self.params.append(('name', desired['name']))
            if desired['parent'] is not None:
                if diff.record('parent', self.old_parent_path, parent_path,
                               changed=self.old['parent_id'] != self.parent_id):
                    # An empty parent-group makes the group a root group.
                    self.params.append(('parent-group', self.parent_id or ''))
            self.description = current_description
            if desired['description'] is not None:
                if diff.scalar('description', desired['description'], current_description):
                    self.params.append(('description', desired['description']))
                    self.description = desired['description'] or None
        self.diff = diff.as_ansible(exists=self.action != 'create')

    def execute(self, module, ids):
        """Send the one write (through the module's choke point); ``ids`` maps placeholders to ids."""
        client = module.client
        if self.action == 'create':
            params = list(self.params)
            if self.parent_id:
                params.append(('parent-group', ids.get(self.parent_id, self.parent_id)))
            new_id = module.write(client.group_add, params)
            if new_id:
                ids[self.gid] = new_id
        elif self.action == 'update' and self.params:
            module.write(client.group_change, self.gid, [
                (name, ids.get(value, value) if name == 'parent-group' else value) for name, value in self.params])
        elif self.action == 'delete':
            module.write(client.group_delete, self.delete_ids)


def _refuse(desired, reason):
    raise DrWebError("Group %s: %s" % (label(desired), reason), obj=label(desired))


def _parent(desired, tree):
    """The parent's id (``None`` = top level) for a desired parent reference."""
    if not desired['parent']:
        return None
    node = tree.resolve(desired['parent'], 'Group %s: parent group' % label(desired))
    if node['type'] not in (USER_GROUP_TYPE, None):
        _refuse(desired, "parent '%s' is a system group; user groups can only be placed at the top level or "
                         "under a user group." % desired['parent'])
    return node['id']


def find_target(desired, tree):
    """The existing node a desired group names, or ``None``; raises when that is ambiguous."""
    if desired['id']:
        return tree.get(desired['id'])
    parent_id = _parent(desired, tree)
    named = [node for node in tree.children(parent_id) if node['name'] == desired['name']]
    if len(named) > 1:
        where = "under '%s'" % tree.path(parent_id) if parent_id else "at the top level"
        _refuse(desired, "%d groups are named '%s' %s (%s); give the id of the one to manage."
                % (len(named), desired['name'], where, ", ".join(sorted(n['id'] for n in named))))
    return named[0] if named else None


def locate(index, desired, tree, placeholder):
    """Plan one desired group against ``tree`` and apply the plan to it; returns a :class:`Step`.

    ``placeholder`` keys a new group that has no declared id. Raises DrWebError (one
    sentence naming the group) for anything that must not be sent.
    """
    node = find_target(desired, tree)
    if node is not None and node['type'] not in (USER_GROUP_TYPE, None):
        _refuse(desired, "it is the system group '%s' (type %s); only user groups (type 0) can be managed."
                % (tree.path(node['id']), node['type']))
    if desired['state'] == 'absent':
        return _locate_absent(index, desired, tree, node)
    if node is None:
        if desired['name'] is None:
            _refuse(desired, "it does not exist, and name is required to create it.")
        parent_id = _parent(desired, tree)
        gid = desired['id'] or placeholder
        tree.add({'id': gid, 'declared_id': desired['id'], 'name': desired['name'], 'parent_id': parent_id,
                  'type': USER_GROUP_TYPE, 'stations': 0, 'child_groups': 0, 'new': True})
        return Step(index, desired, 'create', tree, gid, parent_id)
    old = {'name': node['name'], 'parent_id': node['parent_id']}
    parent_id = node['parent_id']
    if desired['id'] and desired['parent'] is not None:
        parent_id = _parent(desired, tree)
        if parent_id is not None and tree.within(parent_id, node['id']):
            _refuse(desired, "it cannot move under '%s', which is %s." % (
                tree.path(parent_id), "the group itself" if parent_id == node['id'] else "inside its own sub-tree"))
    tree.update(node['id'], name=desired['name'] or node['name'], parent_id=parent_id)
    return Step(index, desired, 'update', tree, node['id'], parent_id, old=old)


def _locate_absent(index, desired, tree, node):
    if node is None:
        return Step(index, desired, 'absent', tree)
    below = tree.subtree(node['id'])
    children = tree.child_count(node['id'])
    stations = node['stations'] or 0
    if (children or stations) and not desired['force']:
        _refuse(desired, "it still holds %s and %s, so it was not deleted; set force: true to delete it "
                         "together with its child groups." % (_plural(children, 'child group'),
                                                              _plural(stations, 'station')))
    step = Step(index, desired, 'delete', tree, node['id'], delete_ids=below + [node['id']])
    tree.remove(step.delete_ids)
    return step
