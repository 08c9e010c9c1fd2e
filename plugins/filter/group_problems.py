# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: group_problems
short_description: Check a desired group tree before any request, naming its file
version_added: 1.0.0
description:
  - Checks a list of desired groups, each a mapping of the options of an entry of
    O(drweb.esuite.drweb_groups#module:groups), exactly as M(drweb.esuite.drweb_groups) checks them before its first
    request, and returns one sentence per problem.
  - "It finds: an unknown option (naming the closest known one), a value of the wrong type or outside the option's
    choices, a text with control characters or longer than its limit, an invalid id or an empty name, a group listed
    twice, a parent that names a group being deleted, and parents that name each other."
  - The allowed options and the checks are the module's own, so the filter and the module cannot disagree. What
    needs the server (a parent that does not exist, a system group) is still found by the module, before its first
    write.
  - The C(drweb.esuite.stations) role runs it before anything is sent, and the C(drweb.esuite.configure_stations)
    playbook names C(groups.yml) as its source.
author:
  - drweb.esuite contributors (@drweb-esuite)
options:
  _input:
    description: The desired groups, as the C(drweb_groups) of the C(drweb.esuite.stations) role.
    type: list
    elements: dict
    required: true
  source:
    description:
      - The file the groups come from, which holds them as a list C(groups); sentences start with it and name
        entries V(groups[N]) (from 0).
      - Without it, entries are named V(drweb_groups[N]).
    type: str
seealso:
  - module: drweb.esuite.drweb_groups
    description: The module whose checks this filter runs.
  - plugin: drweb.esuite.station_problems
    plugin_type: filter
    description: The same for desired stations.
'''

EXAMPLES = r'''
- name: Check groups.yml without a server
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join(' ') }}"
    quiet: true
  vars:
    __problems: "{{ (lookup('ansible.builtin.file', 'groups.yml') | from_yaml).groups | drweb.esuite.group_problems(source='groups.yml') }}"

- name: One sentence per problem
  ansible.builtin.debug:
    msg: "{{ tree | drweb.esuite.group_problems }}"
  vars:
    tree:
      - {id: site-berlin, name: Berlin}
      - {name: Kiosks, parnt: Berlin}
      - {id: site-berlin, name: Berlin office}
  # ["drweb_groups[1]: unknown option 'parnt' (did you mean 'parent'?).",
  #  "drweb_groups[2]: group site-berlin is already drweb_groups[0]; list each group once."]
'''

RETURN = r'''
_value:
  description: One sentence per problem, each ending with a full stop; empty when every group is valid.
  type: list
  elements: str
  sample: ["groups.yml: groups[7]: unknown option 'parnt' (did you mean 'parent'?)."]
'''

from collections.abc import Mapping

from ansible_collections.drweb.esuite.plugins.filter.option_problems import Checker, what_it_is
from ansible_collections.drweb.esuite.plugins.module_utils._group import GROUP_ARGUMENT_SPEC
from ansible_collections.drweb.esuite.plugins.module_utils._group_converge import validate


def group_problems(groups, source=None):
    list_name = 'groups' if source else 'drweb_groups'
    prefix = '%s: ' % source if source else ''
    if not isinstance(groups, list):
        return ['%s%s must be a list of groups, not %s.' % (prefix, list_name, what_it_is(groups))]
    problems, checked, refused = [], [], set()
    for index, group in enumerate(groups):
        if not isinstance(group, Mapping):
            problems.append((index, ' is %s, not a mapping of group options.' % what_it_is(group)))
            refused.add(index)
            checked.append({})
            continue
        checker = Checker()
        checked.append(checker.check(group, GROUP_ARGUMENT_SPEC))
        if checker.problems:
            refused.add(index)
        problems.extend((index, ': ' + problem) for problem in checker.problems)
    # The module's own checks, of the entries whose options are valid (an entry left out would shift the positions).
    dummy, found = validate([{} if i in refused else group for i, group in enumerate(checked)], what=list_name)
    problems.extend((index, ': ' + problem) for index, problem in found if index not in refused)
    return ['%s%s[%d]%s' % (prefix, list_name, index, problem) for index, problem in sorted(problems, key=lambda p: p[0])]


class FilterModule(object):
    def filters(self):
        return {'group_problems': group_problems}
