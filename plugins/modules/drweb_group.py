#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: drweb_group
short_description: Create, rename, move or delete a user group on a Dr.Web ESS Server
version_added: 1.0.0
description:
  - Brings one user group of a Dr.Web Enterprise Security Suite Server to its declared state, so that the
    group tree can live in git next to the stations.
  - The group is identified by O(id), or without it by O(name) under O(parent). Only the options that are
    set are compared and changed.
  - "Requests: the walk of the user-group tree (one C(groups/list.ds) for the top level and one for each
    user group that has child groups), one C(groups/info.ds) when the group exists, and then at most one
    write: C(groups/add.ds) to create, one C(groups/change.ds) carrying every changed field to rename, move
    or describe, C(groups/delete.ds) to delete. Nothing is written when nothing differs."
  - Everything that would make the write wrong is refused before it, with one sentence naming the group
    and no write at all, namely a system group (type other than 0, such as Everyone, Status or Ungrouped),
    a move into the group's own sub-tree, an unknown or ambiguous O(parent), several groups of O(name)
    under O(parent), and a group that still holds child groups or stations when O(force) is not set.
  - To converge a whole tree in one task, use M(drweb.esuite.drweb_groups).
author:
  - drweb.esuite contributors (@drweb-esuite)
options:
  id:
    description:
      - Id of the group. When the group does not exist, it becomes the new group's id.
      - Valid characters are digits, Latin letters, V(_), V(-) and V(.); anything else is refused before any request.
      - Without O(id), the group is identified by O(name) under O(parent), and a new group gets an id from the server.
    type: str
  name:
    description:
      - Name of the group. Required to create a group, and to identify it when O(id) is not set.
      - With O(id), a different name renames the group.
    type: str
  parent:
    description:
      - The parent group, as an id, a name, or a path of names from the top level such as V(Office/Accounting).
        A name must match exactly one group; a path is unambiguous as long as no two sibling groups share a name.
      - V('') (or V(/)) means the top level.
      - When creating, an omitted O(parent) means the top level. When O(id) is set and O(parent) is omitted,
        the group stays where it is; a different O(parent) moves it.
      - The parent must be a user group (type 0); system groups cannot hold user groups.
    type: str
  description:
    description:
      - Free-text description of the group; V('') clears it.
    type: str
  state:
    description:
      - V(present) creates or updates the group, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  force:
    description:
      - With O(state=absent), also delete a group that still holds child groups or stations.
      - Its whole sub-tree is deleted in the same C(groups/delete.ds) request, deepest groups first; the server
        takes the stations out of the deleted groups (stations whose primary group goes are put into Everyone
        by the emulator; a real server decides for itself).
      - Without it such a group is not deleted, and the failure says how many child groups and stations it holds.
    type: bool
    default: false
extends_documentation_fragment:
  - drweb.esuite.connection
  - drweb.esuite.connection.attributes
attributes:
  check_mode:
    support: full
    details: Reads as a real run does, sends no write, and returns the predicted group (without an id when the server would choose it).
  diff_mode:
    support: full
    details: Before and after of the options that are set (O(name), O(parent) as a path, O(description)), or of the state.
notes:
  - A write that fails in a way that may have reached the server (a lost connection) is not repeated; the task
    fails and says so, and the next run reads the tree again before it writes anything.
  - "Text options are checked before any request, as for M(drweb.esuite.drweb_station). Limits, in characters: O(id)
    128; O(name) 255; O(parent) and O(description) 1024 (O(description) may hold tabs and line feeds)."
seealso:
  - module: drweb.esuite.drweb_groups
    description: Converge a whole group tree in one task.
  - module: drweb.esuite.drweb_group_info
    description: Read groups, their paths and settings.
'''

EXAMPLES = r'''
- name: Keep the Berlin site group at the top level
  drweb.esuite.drweb_group:
    api_url: https://drweb.example.com:9081
    api_username: "{{ vault_drweb_user }}"
    api_password: "{{ vault_drweb_password }}"
    id: site-berlin
    name: Berlin
    description: Berlin office
    parent: ""

- name: Accounting under Berlin, found by its name (the server chooses the id)
  drweb.esuite.drweb_group:
    name: Accounting
    parent: Berlin

- name: Move the kiosk group under Berlin/Accounting and rename it
  drweb.esuite.drweb_group:
    id: kiosks
    name: Accounting kiosks
    parent: Berlin/Accounting

- name: Delete a closed site with everything below it
  drweb.esuite.drweb_group:
    id: site-hamburg
    state: absent
    force: true
'''

RETURN = r'''
action:
  description: What the task did (would do, in check mode).
  returned: success
  type: str
  choices: [created, updated, unchanged, deleted, absent]
  sample: created
msg:
  description: The outcome in one sentence, C(group <path> created), C(... updated), C(... already up to date), C(... deleted) or C(... already absent).
  returned: always
  type: str
  sample: group Berlin/Accounting created
group:
  description:
    - The group after the task (predicted in check mode); empty after a delete.
  returned: success
  type: dict
  contains:
    id:
      description: Group id; V(null) for a group that check mode would create without O(id).
      type: str
      sample: site-berlin
    name:
      description: Group name.
      type: str
      sample: Berlin
    path:
      description: Names from the top level down to the group, joined by C(/).
      type: str
      sample: Berlin
    parent_id:
      description: Id of the parent group; V(null) at the top level.
      type: str
      sample: null
    description:
      description: Description; V(null) when empty.
      type: str
      sample: Berlin office
    type:
      description: Group type, always V(0) (a user group).
      type: int
      sample: 0
    child_groups:
      description: Number of child groups.
      type: int
      sample: 2
    stations:
      description: Number of stations in the group.
      type: int
      sample: 14
  sample:
    id: site-berlin
    name: Berlin
    path: Berlin
    parent_id: null
    description: Berlin office
    type: 0
    child_groups: 2
    stations: 14
diff:
  description: Before and after of the managed keys, headed by the group's path.
  returned: success
  type: dict
  sample:
    before: {name: Kiosks, parent: Berlin}
    after: {name: Accounting kiosks, parent: Berlin/Accounting}
    before_header: group Berlin/Accounting/Accounting kiosks
    after_header: group Berlin/Accounting/Accounting kiosks
errno:
  description: The server's error number, when a failure came with one.
  returned: failure
  type: int
server_message:
  description: The server's error message, when a failure came with one.
  returned: failure
  type: str
'''

from ansible_collections.drweb.esuite.plugins.module_utils._group import GROUP_ARGUMENT_SPEC
from ansible_collections.drweb.esuite.plugins.module_utils._group_converge import run_group
from ansible_collections.drweb.esuite.plugins.module_utils._module import DrWebModule


def main(module_class=DrWebModule):
    run_group(module_class(argument_spec=GROUP_ARGUMENT_SPEC, required_one_of=[('id', 'name')], supports_check_mode=True))


if __name__ == '__main__':
    main()
