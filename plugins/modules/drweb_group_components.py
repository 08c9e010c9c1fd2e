#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: drweb_group_components
short_description: Read which components a Dr.Web group installs on its stations
version_added: 1.0.0
description:
  - Reads, for one or more groups of a Dr.Web Enterprise Security Suite Server, the components
    the group's stations must, may or need not install, and whether that setting is inherited.
  - All groups are read with one C(groups/components.ds) request, after the group references
    are resolved (one C(groups/info.ds) request when they are all ids).
  - The server fills the list only for groups that contain Windows stations; for other groups
    RV(groups[].components) is empty.
author:
  - drweb.esuite contributors (@drweb-esuite)
options:
  id:
    description:
      - The groups to read, each given by its id or by its name.
      - A name must match exactly one group in the group tree; use the id when several groups share a name.
      - An unknown or ambiguous group fails the task before the components are read.
      - A group named twice (also once by id and once by name) is read and returned once.
    type: list
    elements: str
    required: true
extends_documentation_fragment:
  - drweb.esuite.connection
  - drweb.esuite.connection.attributes
  - drweb.esuite.connection.info_module
notes:
  - "Text options are checked before any request, as for M(drweb.esuite.drweb_station). Limits, in characters: each
    entry of O(id) 1024."
seealso:
  - module: drweb.esuite.drweb_station_info
    description: Read the components of single stations with O(drweb.esuite.drweb_station_info#module:include=components).
'''

EXAMPLES = r'''
- name: Read the components of the Everyone group and of the Accounting group
  drweb.esuite.drweb_group_components:
    api_url: https://drweb.example.com:9081
    api_username: "{{ vault_drweb_user }}"
    api_password: "{{ vault_drweb_password }}"
    id:
      - 20e27d73-d21d-b211-a788-85419c46f0e6
      - Accounting
  register: components

- name: Fail when Accounting no longer requires SpIDer Guard for workstations (code 57)
  ansible.builtin.assert:
    that:
      - >-
        (components.groups[1].components | selectattr('code', 'equalto', 57)
         | map(attribute='status_name') | first | default('')) == 'required'
    fail_msg: SpIDer Guard is not required in Accounting

- name: List the components a group must install
  ansible.builtin.debug:
    msg: "{{ components.groups[0].components | selectattr('status_name', 'equalto', 'required') | map(attribute='name') | list }}"
'''

RETURN = r'''
groups:
  description: One entry per requested group, in the order of O(id).
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: Group id.
      type: str
      sample: 7ec98a70-5c83-11ea-512f-70a167e08535
    name:
      description: Group name.
      type: str
      sample: Accounting
    inherited:
      description: Whether the component settings come from a parent group rather than from this group.
      type: bool
      sample: true
    inherited_group_id:
      description: Id of the group the settings are inherited from; V(null) when RV(groups[].inherited) is false.
      type: str
      sample: 20e27d73-d21d-b211-a788-85419c46f0e6
    inherited_group_name:
      description: Name of the group the settings are inherited from; V(null) when RV(groups[].inherited) is false.
      type: str
      sample: Everyone
    components:
      description:
        - The components, in the server's order. Key on RV(groups[].components[].code); display names
          change between server releases.
      type: list
      elements: dict
      contains:
        code:
          description: Component code.
          type: int
          sample: 57
        name:
          description: Component name as the server reports it.
          type: str
          sample: SpIDer Guard for Windows workstations
        status:
          description: Install status as the server reports it (V(2) must, V(1) may, V(0) need not be installed).
          type: int
          sample: 2
        status_name:
          description:
            - RV(groups[].components[].status) as a word, V(required), V(optional) or V(not_required);
              V(null) for a status the documentation does not define.
          type: str
          choices: [required, optional, not_required]
          sample: required
'''

from ansible_collections.drweb.esuite.plugins.module_utils._group_components import read_components
from ansible_collections.drweb.esuite.plugins.module_utils._module import DrWebModule
from ansible_collections.drweb.esuite.plugins.module_utils._values import REF_LENGTH, Text


def main(module_class=DrWebModule):
    read_components(module_class(argument_spec=dict(id=dict(type='list', elements=Text(REF_LENGTH), required=True)),
                                 supports_check_mode=True))


if __name__ == '__main__':
    main()
