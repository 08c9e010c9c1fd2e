#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: drweb_groups
short_description: Converge a whole tree of user groups on a Dr.Web ESS Server in one task
version_added: 1.0.0
description:
  - Brings every group of O(groups) to its declared state, exactly as M(drweb.esuite.drweb_group) does for
    one group, in one module run with one walk of the group tree, so that a tree of hundreds of groups does
    not cost a module process, or a walk, per group.
  - "Order: creates, renames and moves run parents before children (an entry whose O(groups[].parent) names
    a group another entry creates or renames waits for it), then deletes run children before parents."
  - "Requests: the walk of the user-group tree (one C(groups/list.ds) for the top level and one for each user
    group that has child groups), one C(groups/info.ds) per 50 existing groups for their descriptions, and
    per group the write of M(drweb.esuite.drweb_group): one C(groups/add.ds), C(groups/change.ds) or
    C(groups/delete.ds) for a group that differs, none for one that does not."
  - Every entry is checked before the first request (options, a group listed twice, a parent that names an
    entry being deleted, parents that name each other), and every entry is located in the walked tree
    before the first write (unknown or ambiguous parents, system groups, moves into a group's own sub-tree,
    non-empty groups without O(groups[].force), a group kept by one entry and deleted by another). If
    anything is wrong, the task fails listing every problem and writes nothing.
  - A group that fails while writing skips the groups below it; a failure of the connection (credentials, TLS,
    a server that does not answer as the Web API) stops the run. No delete runs after a failure, because the
    deletes were planned on a tree that did not come about.
author:
  - drweb.esuite contributors (@drweb-esuite)
options:
  groups:
    description:
      - The groups to converge. Each entry takes the options of M(drweb.esuite.drweb_group), with the same
        meaning and defaults.
      - A O(groups[].parent) given by name or path may name a group that another entry creates or renames; it
        is resolved against the tree as the entries before it leave it.
    type: list
    elements: dict
    required: true
    suboptions:
      id:
        description: Id of the group, see O(drweb.esuite.drweb_group#module:id).
        type: str
      name:
        description: Name of the group, see O(drweb.esuite.drweb_group#module:name).
        type: str
      parent:
        description: The parent group as an id, a name or a path, see O(drweb.esuite.drweb_group#module:parent).
        type: str
      description:
        description: Description; V('') clears it.
        type: str
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
        default: present
      force:
        description: Delete a group that still holds child groups or stations, see O(drweb.esuite.drweb_group#module:force).
        type: bool
        default: false
extends_documentation_fragment:
  - drweb.esuite.connection
  - drweb.esuite.connection.attributes
attributes:
  check_mode:
    support: full
    details: Reads and plans as a real run does, sends no write, and returns the predicted outcome of every group.
  diff_mode:
    support: full
    details: One before/after pair per group that changes (or would change), headed by its path.
notes:
  - "Every entry of O(groups) is checked before any request, as the options of M(drweb.esuite.drweb_group) are, and
    each problem names the entry. Limits, in characters: O(groups[].id) 128; O(groups[].name) 255;
    O(groups[].parent) and O(groups[].description) 1024."
seealso:
  - module: drweb.esuite.drweb_group
    description: The same for one group, with every option described in full.
  - module: drweb.esuite.drweb_group_info
    description: Read groups, their paths and settings.
'''

EXAMPLES = r'''
- name: Converge the group tree kept in git
  drweb.esuite.drweb_groups:
    api_url: https://drweb.example.com:9081
    api_username: "{{ vault_drweb_user }}"
    api_password: "{{ vault_drweb_password }}"
    groups:
      - {id: site-berlin, name: Berlin, description: Berlin office}
      - {id: berlin-accounting, name: Accounting, parent: site-berlin}
      - {name: Kiosks, parent: Berlin/Accounting}
      - {id: site-hamburg, state: absent, force: true}
  register: tree

- name: Show what changed
  ansible.builtin.debug:
    msg: "{{ tree.groups | selectattr('changed') | map(attribute='msg') | list }}"

- name: Preview the tree of groups.yml without sending anything
  drweb.esuite.drweb_groups:
    groups: "{{ (lookup('ansible.builtin.file', 'groups.yml') | from_yaml).groups }}"
  check_mode: true
  diff: true
'''

RETURN = r'''
msg:
  description:
    - "C(<n> groups: <n> created, <n> updated, <n> deleted, <n> unchanged); when groups failed or were skipped,
      C(<n> of <n> groups failed: ...) naming the first five failed groups and their errors."
  returned: always
  type: str
  sample: "20 groups: 20 created, 0 updated, 0 deleted, 0 unchanged"
summary:
  description: How many groups ended with each RV(groups[].action).
  returned: success
  type: dict
  sample: {"created": 2, "updated": 1, "unchanged": 17, "deleted": 0, "absent": 0, "failed": 0, "skipped": 0}
groups:
  description: One entry per entry of O(groups), in the same order.
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: Group name.
      type: str
      sample: Accounting
    id:
      description: Group id; V(null) for a group that check mode would create without an id.
      type: str
      sample: berlin-accounting
    action:
      description:
        - V(created), V(updated), V(unchanged), V(deleted), V(absent) (already absent) as for
          M(drweb.esuite.drweb_group), or V(failed), or V(skipped) (not written because its parent failed,
          the run stopped, or an earlier group failed before the deletes).
      type: str
      sample: created
    changed:
      description: Whether the group was changed (would be, in check mode).
      type: bool
    msg:
      description: The one-sentence outcome, as RV(drweb.esuite.drweb_group#module:msg), or the error.
      type: str
      sample: group Berlin/Accounting created
    group:
      description:
        - The group after the task, as RV(drweb.esuite.drweb_group#module:group); empty after a delete,
          missing when failed or skipped.
      type: dict
    errno:
      description: The server's error number, for a failed group when the server gave one.
      type: int
    server_message:
      description: The server's error message, for a failed group when the server gave one.
      type: str
    maybe_applied:
      description: V(true) for a failed group whose change may have reached the server.
      type: bool
diff:
  description:
    - One C(before)/C(after) pair per group that changed or would change, in the form of
      M(drweb.esuite.drweb_group)'s diff, with C(before_header)/C(after_header) naming the group by its path.
  returned: success
  type: list
  elements: dict
problems:
  description: Every problem found before the first write, one sentence each, when the task refused to start.
  returned: failure
  type: list
  elements: str
  sample: ["groups[3]: Group Kiosks: parent 'Berlin/Acounting' does not exist on the server."]
'''

from ansible_collections.drweb.esuite.plugins.module_utils._group import GROUP_ARGUMENT_SPEC
from ansible_collections.drweb.esuite.plugins.module_utils._group_converge import run_groups
from ansible_collections.drweb.esuite.plugins.module_utils._module import DrWebModule


def main(module_class=DrWebModule):
    run_groups(module_class(
        argument_spec=dict(groups=dict(type='list', elements='dict', required=True, options=GROUP_ARGUMENT_SPEC)),
        supports_check_mode=True,
    ))


if __name__ == '__main__':
    main()
