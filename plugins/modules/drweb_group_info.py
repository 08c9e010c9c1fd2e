#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: drweb_group_info
short_description: Read the groups of a Dr.Web ESS Server with their paths and settings
version_added: 1.0.0
description:
  - Without options, returns every user group (type 0) of a Dr.Web Enterprise Security Suite Server with its
    path from the top level; with O(id), the groups it names, system groups included.
  - "Requests: the walk of the user-group tree (one C(groups/list.ds) for the top level and one for each user
    group that has child groups), then one C(groups/info.ds) per 50 groups, carrying the O(include) flags."
  - This module only reads; it never reports a change.
author:
  - drweb.esuite contributors (@drweb-esuite)
options:
  id:
    description:
      - The groups to read, each as an id, a name, or a path of names from the top level such as V(Office/Accounting).
      - A name must match exactly one group; an unknown or ambiguous reference fails the task.
      - A group named twice is returned once, in the place of its first reference.
    type: list
    elements: str
  include:
    description:
      - Settings blocks to add to each group, as C(groups/info.ds) returns them (inherited from a parent group or
        the group's own).
    type: list
    elements: str
    choices: [components, keys, rights]
    default: []
extends_documentation_fragment:
  - drweb.esuite.connection
  - drweb.esuite.connection.attributes
  - drweb.esuite.connection.info_module
notes:
  - "Text options are checked before any request, as for M(drweb.esuite.drweb_station). Limits, in characters: each
    entry of O(id) 1024."
seealso:
  - module: drweb.esuite.drweb_group
    description: Create, rename, move or delete a group.
  - module: drweb.esuite.drweb_group_components
    description: The components a group's stations install.
'''

EXAMPLES = r'''
- name: Read the whole user-group tree
  drweb.esuite.drweb_group_info:
    api_url: https://drweb.example.com:9081
    api_username: "{{ vault_drweb_user }}"
    api_password: "{{ vault_drweb_password }}"
  register: tree

- name: Print the paths
  ansible.builtin.debug:
    msg: "{{ tree.groups | map(attribute='path') | sort }}"

- name: Read two groups with their keys and rights
  drweb.esuite.drweb_group_info:
    id: [Berlin/Accounting, 20e27d73-d21d-b211-a788-85419c46f0e6]
    include: [keys, rights]
  register: settings
'''

RETURN = r'''
groups:
  description:
    - The groups, in the order of O(id), or every user group in the order of the tree walk (top level first).
    - With O(include=keys), each group also holds C(keys), the license keys, as
      C({inherited, inherited_group_id, inherited_group_name, list}) with the key ids in C(list). Read it as
      C(group['keys']), since C(group.keys) is the method of every Jinja mapping.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: Group id.
      type: str
      sample: berlin-accounting
    name:
      description: Group name.
      type: str
      sample: Accounting
    path:
      description: Names from the top level down to the group, joined by C(/).
      type: str
      sample: Berlin/Accounting
    parent_id:
      description: Id of the parent group; V(null) at the top level.
      type: str
      sample: site-berlin
    description:
      description: Description; V(null) when empty.
      type: str
      sample: Finance, 2nd floor
    type:
      description: Group type; V(0) for a user group, other values are system groups (V(1) Everyone, V(10) Status, ...).
      type: int
      sample: 0
    child_groups:
      description: Number of child groups.
      type: int
      sample: 1
    stations:
      description: Number of stations in the group.
      type: int
      sample: 12
    components:
      description:
        - Only with O(include=components). The components the group's stations install, with where the setting
          comes from, as C({inherited, inherited_group_id, inherited_group_name, list}); each C(list) item is
          C({code, name, status}) (V(2) must, V(1) may, V(0) must not be installed).
      type: dict
      returned: when requested
    rights:
      description:
        - Only with O(include=rights). The permissions, as C({inherited, inherited_group_id, inherited_group_name, list});
          each C(list) item is C({code, name, value}).
      type: dict
      returned: when requested
'''

from ansible_collections.drweb.esuite.plugins.module_utils._group_info import run_group_info
from ansible_collections.drweb.esuite.plugins.module_utils._module import DrWebModule
from ansible_collections.drweb.esuite.plugins.module_utils._values import REF_LENGTH, Text


def main(module_class=DrWebModule):
    run_group_info(module_class(
        argument_spec=dict(
            id=dict(type='list', elements=Text(REF_LENGTH)),
            include=dict(type='list', elements='str', choices=['components', 'keys', 'rights'], default=[]),
        ),
        supports_check_mode=True,
    ))


if __name__ == '__main__':
    main()
