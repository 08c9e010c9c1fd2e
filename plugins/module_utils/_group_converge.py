# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge one group (``drweb_group``) or a whole tree in one run (``drweb_groups``).

The run has three phases, and nothing is written before the third:

1. every entry is checked without a request: its options, duplicates, a parent that
   names an entry which is deleted, and parents that name each other (a cycle);
2. the user-group tree is walked once and every entry is located against it in an order
   that puts parents before children (see :func:`_group.locate`); the groups that exist
   are read with ``groups/info.ds`` (several ids per request) for their descriptions;
3. the writes: creates, renames and moves parents first, then deletes children first,
   one ``add.ds``/``change.ds``/``delete.ds`` per group that differs.

Requests: the walk (``groups/list.ds`` for the top level, then one per user group that
has child groups), ``ceil(existing entries / 50)`` ``groups/info.ds``, and one write per
group that changes. A group that fails skips the groups below it, a failure of the
connection stops the run, and no delete runs after any failure, because the deletes
were planned on a tree that did not come about.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.drweb.esuite.plugins.module_utils._bulk import STOPPED, STOPS_RUN, summarise
from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebError
from ansible_collections.drweb.esuite.plugins.module_utils._group import (
    INFO_BATCH,
    VERBS,
    GroupOptionError,
    GroupTree,
    find_target,
    label,
    locate,
    normalise_group,
)
from ansible_collections.drweb.esuite.plugins.module_utils._groups import group_tree
from ansible_collections.drweb.esuite.plugins.module_utils._module import failure_result

_OUTCOME = {'create': 'created', 'delete': 'deleted', 'absent': 'absent'}


def _last_name(ref):
    return ref.rstrip('/').rsplit('/', 1)[-1]


def _may_name(ref, other):
    """True when the parent reference ``ref`` may mean the group entry ``other`` declares."""
    return bool(ref) and (ref == other['id'] or _last_name(ref) == other['name'])


def _names(ref, other):
    """True when ``ref`` certainly names ``other``: its id, its name, or its parent/name path."""
    if not ref:
        return False
    if ref == other['id'] or ref == other['name']:
        return True
    return bool(other['parent'] and other['name']) and \
        ref.strip('/') == '%s/%s' % (other['parent'].strip('/'), other['name'])


def validate(entries, what='groups'):
    """Normalise every entry; returns ``(desired list with None for bad ones, [(index, problem)])``."""
    desired, problems = [], []
    for index, entry in enumerate(entries):
        try:
            desired.append(normalise_group(entry))
        except GroupOptionError as exc:
            desired.append(None)
            problems.append((index, str(exc)))
    good = [(i, d) for i, d in enumerate(desired) if d is not None]
    seen = {}
    for index, d in good:
        key = ('id', d['id']) if d['id'] else ('name', (d['parent'] or '').strip('/'), d['name'])
        if key in seen:
            problems.append((index, "group %s is already %s[%d]; list each group once." % (label(d), what, seen[key])))
        else:
            seen[key] = index
    absent = [(i, d) for i, d in good if d['state'] == 'absent']
    present = [(i, d) for i, d in good if d['state'] == 'present']
    for index, d in present:
        for other, a in absent:
            if _names(d['parent'], a):
                problems.append((index, "its parent '%s' is %s[%d], which is deleted (state: absent)."
                                 % (d['parent'], what, other)))
    problems.extend(_cycles(present, what))
    return desired, sorted(problems)


def _cycles(present, what):
    """Entries whose parents name each other, found by a depth-first search over _may_name."""
    edges = dict((i, [j for j, o in present if j != i and _may_name(d['parent'], o)]) for i, d in present)
    state, problems = {}, []

    def visit(node, trail):
        state[node] = 'open'
        for nxt in edges[node]:
            if state.get(nxt) == 'open':
                cycle = trail[trail.index(nxt):] + [nxt]
                problems.append((cycle[0], "the parents of %s name each other, a cycle that has no top."
                                 % " -> ".join("%s[%d]" % (what, i) for i in cycle)))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 'done'

    for index, dummy in present:
        if index not in state:
            visit(index, [index])
    return problems


def plan(desired, tree, what='groups'):
    """Locate every entry in a parents-first order; returns ``(steps, [(index, problem)])``."""
    steps, problems = [], []
    pending = [(i, d) for i, d in enumerate(desired) if d and d['state'] == 'present']
    while pending:
        ready = [(i, d) for i, d in pending if not any(j != i and _may_name(d['parent'], o) for j, o in pending)]
        # validate() refused cycles, so something is always ready; the fallback only keeps a bug from looping.
        for index, d in ready or pending:
            try:
                steps.append(locate(index, d, tree, 'new:%d' % index))
            except DrWebError as exc:
                problems.append((index, str(exc)))
        done = set(i for i, dummy in ready or pending)
        pending = [(i, d) for i, d in pending if i not in done]
    absent = []
    for index, d in enumerate(desired):
        if d and d['state'] == 'absent':
            try:
                node = find_target(d, tree)
            except DrWebError as exc:
                problems.append((index, str(exc)))
                continue
            absent.append((-_depth(tree, node['id']) if node else 0, index, d))
    # Children before parents: the deepest first, so a parent counts only what stays.
    for dummy, index, d in sorted(absent, key=lambda item: item[:2]):
        try:
            steps.append(locate(index, d, tree, None))
        except DrWebError as exc:
            problems.append((index, str(exc)))
    problems.extend(_conflicts(steps, what))
    return steps, sorted(problems)


def _depth(tree, gid):
    return len(tree.path(gid).split('/'))


def _conflicts(steps, what):
    """Two entries for one group, or a group kept by one entry inside a sub-tree another deletes.

    Deletes come after every kept group and deepest first, so an overlap always pairs a
    delete with an earlier step.
    """
    problems, owner = [], {}
    for step in steps:
        for gid in step.delete_ids if step.action == 'delete' else [step.gid]:
            if gid is None:
                continue
            if gid not in owner:
                owner[gid] = step.index
            elif step.action == 'delete':
                problems.append((step.index, "it deletes group %s, which %s[%d] keeps." % (
                    step.header if gid == step.gid else "%s inside %s" % (gid, step.header), what, owner[gid])))
            else:
                problems.append((step.index, "group %s is also %s[%d]; list each group once."
                                 % (step.header, what, owner[gid])))
    return problems


def read_descriptions(client, steps):
    """``{id: description}`` of every existing group a step keeps, ``INFO_BATCH`` ids per request."""
    ids = [s.gid for s in steps if s.action == 'update']
    found = {}
    for start in range(0, len(ids), INFO_BATCH):
        for group in client.group_info(ids[start:start + INFO_BATCH]):
            found[group.get('id')] = group.get('description')
    return found


def execute(module, steps, tree):
    """Send the writes in plan order; returns ``{entry index: result}``."""
    ids, results, broken = {}, {}, set()
    stopped = failed = False
    for step in steps:
        reason = None
        if stopped:
            reason = STOPPED
        elif step.action == 'delete' and failed:
            reason = "deletes run only when every other group converged"
        elif step.parent_id in broken:
            reason = "its parent group did not converge"
        if reason:
            broken.add(step.gid)
            failed = True
            results[step.index] = _result(step, 'skipped', "group %s skipped: %s" % (step.header, reason))
            continue
        try:
            step.execute(module, ids)
        except DrWebError as exc:
            broken.add(step.gid)
            failed = True
            stopped = stopped or isinstance(exc, STOPS_RUN)
            msg = str(exc)
            if step.header not in msg:
                msg = "group %s: %s" % (step.header, msg)
            result = _result(step, 'failed', msg)
            result.update(failure_result(exc), msg=msg)
            results[step.index] = result
            continue
        outcome = _OUTCOME.get(step.action) or ('updated' if step.params else 'unchanged')
        result = _result(step, outcome, "group %s %s" % (step.header, VERBS[outcome]), changed=step.changed)
        header = "group %s" % step.header
        result['diff'] = dict(step.diff, before_header=header, after_header=header)
        results[step.index] = result
    for step in steps:
        result = results[step.index]
        if result['action'] in ('created', 'updated', 'unchanged'):
            result['group'] = tree.describe(step.gid, step.description, ids)
            result['id'] = result['group']['id']
        elif result['action'] in ('deleted', 'absent'):
            result['group'] = {}
    return results


def _result(step, action, msg, changed=False):
    return dict(name=step.name, id=step.desired['id'] if step.action == 'create' else step.gid,
                action=action, changed=changed, msg=msg)


def converge(module, entries):
    """Run the three phases for ``entries``; returns ``(results in input order, problems)``.

    ``problems`` (``[(index, sentence)]``) is not empty when something was refused
    before the first write; then ``results`` is None and nothing was written.
    """
    desired, problems = validate(entries)
    if problems:
        return None, problems
    with module.api_errors():
        tree = GroupTree(group_tree(module.client))
        steps, problems = plan(desired, tree)
        if problems:
            return None, problems
        descriptions = read_descriptions(module.client, steps)
    for step in steps:
        step.finish(descriptions.get(step.gid))
    results = execute(module, steps, tree)
    return [results[i] for i in range(len(entries))], []


def run_groups(module):
    """``drweb_groups``: converge ``module.params['groups']`` and exit."""
    entries = module.params['groups']
    results, problems = converge(module, entries)
    if problems:
        sentences = ["groups[%d]: %s" % problem for problem in problems]
        module.fail_json(msg="%d of %d group entries cannot be converged, nothing was changed: %s"
                         % (len(set(i for i, dummy in problems)), len(entries), " ".join(sentences)),
                         problems=sentences)
    diffs = []
    for result in results:
        diff = result.pop('diff', None)
        if diff and result['changed']:
            diffs.append(diff)
    summary, msg = summarise(results, 'groups')
    changed = any(r['changed'] for r in results)
    if summary['failed'] or summary['skipped']:
        module.fail_json(msg=msg, changed=changed, summary=summary, groups=results, diff=diffs)
    module.exit_json(msg=msg, changed=changed, summary=summary, groups=results, diff=diffs)


def run_group(module):
    """``drweb_group``: converge the one group of the module's options and exit."""
    results, problems = converge(module, [module.params])
    if problems:
        module.fail_json(msg=problems[0][1])
    result = results[0]
    details = dict((k, result[k]) for k in ('errno', 'server_message', 'maybe_applied') if k in result)
    if result['action'] in ('failed', 'skipped'):
        module.fail_json(msg=result['msg'], changed=result['changed'], **details)
    module.exit_json(changed=result['changed'], action=result['action'], msg=result['msg'],
                     group=result['group'], diff=result['diff'])
