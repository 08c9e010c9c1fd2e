# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""drweb.esuite.group_problems: the module's checks of a desired group tree, naming its file."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.drweb.esuite.plugins.filter.group_problems import FilterModule, group_problems
from ansible_collections.drweb.esuite.plugins.module_utils._group import GROUP_ARGUMENT_SPEC
from ansible_collections.drweb.esuite.plugins.module_utils._values import input_problems


def test_the_filter_is_registered():
    assert FilterModule().filters() == {'group_problems': group_problems}


def test_a_valid_tree_gives_no_problem():
    assert group_problems([{'id': 'site-berlin', 'name': 'Berlin'}, {'name': 'Kiosks', 'parent': 'Berlin'},
                           {'id': 'old', 'state': 'absent', 'force': 'yes'}], source='groups.yml') == []


def test_problems_name_the_file_and_the_entry():
    assert group_problems([
        {'id': 'site-berlin', 'name': 'Berlin'},
        {'name': 'Kiosks', 'parnt': 'Berlin'},
        {'name': 'Lab', 'force': 'sometimes'},
        {'id': 'a b'},
        {'id': 'site-berlin', 'name': 'Berlin office'},
        'Sales',
        {'parent': 'Berlin'},
    ], source='groups.yml') == [
        "groups.yml: groups[1]: unknown option 'parnt' (did you mean 'parent'?).",
        "groups.yml: groups[2]: option force must be true or false, not 'sometimes'.",
        "groups.yml: groups[3]: id 'a b' is not a valid group id: use only digits, Latin letters, '_', '-' and '.'.",
        'groups.yml: groups[4]: group site-berlin is already groups[0]; list each group once.',
        'groups.yml: groups[5] is a string, not a mapping of group options.',
        'groups.yml: groups[6]: set id or name: a group is identified by its id, or by its name under parent.',
    ]


def test_without_a_source_the_entries_are_named_by_the_role_variable():
    assert group_problems([{'id': 'g', 'name': 'G'}, {'id': 'g', 'name': 'G'}]) == \
        ['drweb_groups[1]: group g is already drweb_groups[0]; list each group once.']


def test_the_trees_own_rules_are_checked_too():
    found = group_problems([{'name': 'A', 'parent': 'B'}, {'name': 'B', 'parent': 'A'},
                            {'id': 'gone', 'name': 'Gone', 'state': 'absent'}, {'name': 'C', 'parent': 'gone'}],
                           source='groups.yml')
    assert "groups.yml: groups[0]: the parents of groups[0] -> groups[1] -> groups[0] name each other" in ' '.join(found)
    assert "groups.yml: groups[3]: its parent 'gone' is groups[2], which is deleted (state: absent)." in found


def test_an_entry_with_a_wrong_option_is_not_also_reported_by_the_modules_checks():
    # Without its (refused) name the entry would also lack an id or a name.
    assert group_problems([{'name': ['Berlin']}]) == ['drweb_groups[0]: option name must be a string, not a list.']


def test_groups_that_are_not_a_list_are_one_problem():
    assert group_problems({'groups': []}, source='groups.yml') == \
        ['groups.yml: groups must be a list of groups, not a mapping.']


@pytest.mark.parametrize('option', sorted(GROUP_ARGUMENT_SPEC))
def test_the_allowed_options_are_the_modules_own(option):
    assert 'unknown option' not in ' '.join(group_problems([{'id': 'g', option: None}]))


@pytest.mark.parametrize('entry, problem', [
    ({'name': u'Ber\x00lin'}, 'option name must not hold control characters; character 4 is U+0000.'),
    ({'id': 'g', 'name': 'G', 'parent': 'p' * 1025}, 'option parent must be at most 1024 characters long, not 1025.'),
    ({'id': 'g', 'name': 'G', 'description': {'text': 'x'}}, 'option description must be a string, not a mapping.'),
])
def test_a_value_that_must_not_be_sent_is_refused_as_the_module_refuses_it(entry, problem):
    spec = dict(groups=dict(type='list', elements='dict', options=GROUP_ARGUMENT_SPEC))
    assert len(input_problems(spec, {'groups': [entry]})) == 1
    assert group_problems([entry]) == ['drweb_groups[0]: ' + problem]


def test_a_group_description_may_hold_several_lines():
    assert group_problems([{'id': 'g', 'name': 'G', 'description': u'Line one\nline two'}]) == []
