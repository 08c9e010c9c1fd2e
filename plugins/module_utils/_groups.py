# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resolve group references (an id or a name) with the fewest requests.

Rules, in order:

1. A reference matching a group in ``known`` (for instance the station's current
   memberships from ``group-membership=yes``) by id, or by name when exactly one known
   group has that name, costs no request. A name matched this way is taken to mean
   the group the station is already in, even if another group elsewhere shares it.
2. When every remaining reference looks like an id (letters, digits, ``_``, ``-``,
   ``.``), they are checked together in ONE ``groups/info.ds`` call. If the server
   answers an error envelope for the whole call (one unknown id can do that), the
   references go on to step 3 rather than being retried one by one.
3. Otherwise the group tree is walked once per client (``groups/list.ds`` for the root,
   then once per user group with child groups) and cached in ``client.memo``; the walk
   always finishes, because a name must be unique in the whole tree. References are
   matched by id first, then by name, then as a path of names from the top
   (``Office/Accounting``). When the walk was needed anyway, id-like
   references are taken from the tree too, and only the ones the tree does not hold
   cost the single ``groups/info.ds`` call (which also finds groups the walk cannot see).
4. System groups (Status, Operating system, ...) never hold user groups and their
   sub-trees are large on a real server, so they are descended into only for a
   reference the user-group tree cannot settle; a user group therefore shadows a
   system sub-group of the same name.

Request cost: ids only -> 1; known only -> 0; any name -> the walk (1 + user groups
with children), plus at most one ``info.ds`` call; a second call on the same client
-> 0 extra for names and for ids it has already found or that the walked tree holds.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.drweb.esuite.plugins.module_utils._diff import unique
from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebApiError, DrWebError, DrWebNotFoundError

_ID_LIKE = re.compile(r'^[A-Za-z0-9_.\-]+$')
_TREE_KEY = 'group_tree'
_FULL_TREE_KEY = 'group_tree_with_system'
_INFO_KEY = 'groups_by_id'
# Set while the tree holds groups that check mode only predicts.
_PLANNED_KEY = 'planned_groups'
# The client's task the tree was walked in (see DrWebClient.next_task).
_WALKED_KEY = 'group_tree_task'


def looks_like_id(ref):
    return bool(_ID_LIKE.match(ref))


def resolve_groups(client, refs, known=()):
    """Return ``{ref: group}`` for every reference.

    An unknown reference raises DrWebNotFoundError, an ambiguous name DrWebError.

    ``group`` holds at least ``id``, ``name`` and ``type`` (``path`` when it came from the
    tree walk). Nothing is written; call this before any write so bad input fails early.
    """
    refs = unique(str(r) for r in refs if r is not None and str(r) != '')
    known = [g for g in known or () if g and g.get('id')]
    result = {}
    pending = []
    for ref in refs:
        group = _match_known(ref, known)
        if group is not None:
            result[ref] = group
        else:
            pending.append(ref)
    if not pending:
        return result

    id_like = [r for r in pending if looks_like_id(r)]
    # Once the tree is walked it answers first: a name that looks like an id ('Laptops')
    # must not cost a failing info.ds call for every station of a run.
    asked_info = len(id_like) == len(pending) and _TREE_KEY not in client.memo
    if asked_info:
        result.update(_info_by_id(client, id_like))
        pending = [r for r in pending if r not in result]
        if not pending:
            return result

    tree = group_tree(client)
    missing_ids = [r for r in pending if looks_like_id(r) and not _in_tree(tree, r)]
    if missing_ids and not asked_info:
        # One info.ds call is cheaper than walking the system sub-trees.
        result.update(_info_by_id(client, missing_ids))
        pending = [r for r in pending if r not in result]
    if any(not _in_tree(tree, r) for r in pending):
        tree = group_tree(client, system=True)

    if any(not _in_tree(tree, r) for r in pending) and client.memo.get(_WALKED_KEY, client.task) != client.task:
        # A tree kept from an earlier task (a loop's earlier item) may miss a group created since:
        # before anything is called unknown, the server is asked again, as a new task would.
        forget_tree(client)
        tree = group_tree(client, system=True)

    for ref in pending:
        matches = matching_groups(tree, ref)
        if len(matches) == 1:
            result[ref] = matches[0]
        elif matches:
            raise DrWebError(
                "Group name '%s' is ambiguous: it matches groups %s; use the group id."
                % (ref, ", ".join("%s (%s)" % (g['id'], g.get('path') or g.get('name')) for g in matches)), obj=ref)
        else:
            raise DrWebNotFoundError("Group '%s' does not exist on the server." % ref, obj=ref)
    return result


def matching_groups(groups, ref):
    """The groups of ``groups`` that ``ref`` names: by id, else by name, else by path.

    A path is the names from the top joined by ``/`` (``Office/Accounting``; a leading or
    trailing ``/`` is ignored); it only matches groups that carry a ``path``.
    """
    by_id = [g for g in groups if g.get('id') == ref]
    if by_id:
        return by_id[:1]
    named = _by_name(groups, ref)
    if named or '/' not in ref:
        return named
    path = ref.strip('/')
    return [g for g in groups if path and g.get('path') == path]


def forget_tree(client):
    """Drop what this client learnt about groups; call it after a write that changes groups."""
    with client.memo_lock:
        for key in (_TREE_KEY, _FULL_TREE_KEY, _INFO_KEY, _PLANNED_KEY, _WALKED_KEY):
            client.memo.pop(key, None)


def forget_planned_groups(client):
    """Drop the tree if check mode laid predicted groups over it; the next task must see the server's."""
    with client.memo_lock:
        if client.memo.get(_PLANNED_KEY):
            forget_tree(client)


def add_planned_groups(client, planned):
    """Make groups a check-mode run only predicts (not on the server) resolvable on this client.

    ``planned`` are groups with ``id``, ``name``, ``path`` and ``type``, as a group module
    returns them; one with the id of a walked group replaces it (a predicted rename or
    move). A predicted new group without an id gets ``(new group <path>)`` as its id, so
    that nothing can send it to the server by mistake. Walks the tree first if needed.
    """
    tree = group_tree(client)
    with client.memo_lock:
        by_id = dict((g['id'], index) for index, g in enumerate(tree))
        for group in planned:
            group = dict(group, planned='update' if group.get('id') in by_id else 'create')
            if not group.get('id'):
                group['id'] = '(new group %s)' % group.get('path')
            if group['id'] in by_id:
                tree[by_id[group['id']]] = dict(tree[by_id[group['id']]], **group)
            else:
                by_id[group['id']] = len(tree)
                tree.append(group)
        client.memo.pop(_FULL_TREE_KEY, None)
        client.memo[_PLANNED_KEY] = True
    return tree


def list_group_stations(client, ref, limit=None, **flags):
    """``(group id, listing)`` of the group ``ref`` names, spending no request on resolving an id.

    An id-like reference is listed straight away. An error answer, or an empty listing
    (which a server might give for an unknown id), sends it through :func:`resolve_groups`,
    which also finds a group whose *name* merely looks like an id and fails clearly
    (DrWebNotFoundError) for an unknown one. ``flags`` go to ``client.group_stations``.
    """
    if looks_like_id(ref):
        try:
            listing = client.group_stations(ref, limit=limit, **flags)
        except DrWebApiError:
            listing = None
        if listing is not None and (listing.get('stations') or listing.get('total')):
            return ref, listing
        group_id = resolve_groups(client, [ref])[ref]['id']
        if group_id == ref and listing is not None:
            # The direct listing was right after all: the group exists and is empty.
            return ref, listing
    else:
        group_id = resolve_groups(client, [ref])[ref]['id']
    return group_id, client.group_stations(group_id, limit=limit, **flags)


def group_tree(client, system=False):
    """Every group reachable from the root, each with a ``path`` like ``Parent/Child``.

    Each group carries ``parent_id`` (``None`` at the top), from the listing that found it.

    Only user groups are descended into unless ``system`` is true. Walked level by
    level and cached per client, so one module run walks each part at most once.
    """
    # Threads sharing a client wait for one walk instead of each starting their own.
    with client.memo_lock:
        tree = client.memo.get(_TREE_KEY)
        if tree is None:
            tree = _walk(client, [(g, None, None) for g in client.group_list()], _is_user_group, set())
            client.memo[_TREE_KEY] = tree
            client.memo[_WALKED_KEY] = client.task
        if not system:
            return tree
        full = client.memo.get(_FULL_TREE_KEY)
        if full is None:
            start = [(child, g['path'], g['id']) for g in tree if not _is_user_group(g) and (g.get('child_groups') or 0) > 0
                     for child in client.group_list(parent=g['id'])]
            full = tree + _walk(client, start, lambda group: True, set(g['id'] for g in tree))
            client.memo[_FULL_TREE_KEY] = full
        return full


def _walk(client, level, descend, seen):
    groups = []
    while level:
        next_level = []
        for group, parent_path, parent_id in level:
            gid = group.get('id')
            if not gid or gid in seen:
                continue
            seen.add(gid)
            group = dict(group)
            group['path'] = '%s/%s' % (parent_path, group.get('name')) if parent_path else group.get('name')
            # groups/list.ds names no parent; the listing that found the group does.
            group['parent_id'] = group.get('parent_id') or parent_id
            groups.append(group)
            if (group.get('child_groups') or 0) > 0 and descend(group):
                next_level.extend((child, group['path'], gid) for child in client.group_list(parent=gid))
        level = next_level
    return groups


def _is_user_group(group):
    # An unknown type is descended into: missing a user group would be worse than a request.
    return group.get('type') in (0, None)


def _in_tree(tree, ref):
    return bool(matching_groups(tree, ref))


def _info_by_id(client, ids):
    # Ids found once stay known for the client's life: converging many stations, each
    # group costs one look-up, not one per station.
    with client.memo_lock:
        cache = client.memo.setdefault(_INFO_KEY, {})
    found = dict((ref, cache[ref]) for ref in ids if ref in cache)
    ask = [ref for ref in ids if ref not in found]
    if not ask:
        return found
    try:
        groups = client.group_info(ask)
    except DrWebApiError:
        # One unknown id may fail the whole call; the caller falls back to the tree.
        return found
    by_id = dict((g.get('id'), g) for g in groups)
    for ref in ask:
        if ref in by_id:
            found[ref] = cache[ref] = by_id[ref]
    return found


def _match_known(ref, known):
    for group in known:
        if group.get('id') == ref:
            return group
    named = [g for g in known if g.get('name') == ref]
    return named[0] if len(named) == 1 else None


def _by_name(groups, name):
    return [g for g in groups if g.get('name') == name]
