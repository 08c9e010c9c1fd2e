# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""drweb.esuite.option_problems: one sentence per value an argument spec refuses."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.drweb.esuite.plugins.filter.option_problems import FilterModule, option_problems

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir, os.pardir))
SPEC = {
    'city': {'type': 'str'},
    'floor': {'type': 'str'},
    'latitude': {'type': 'float'},
    'concurrency': {'type': 'int'},
    'purge': {'type': 'bool'},
    'groups': {'type': 'list', 'elements': 'str'},
    'state': {'type': 'str', 'choices': ['present', 'absent']},
    'modes': {'type': 'list', 'elements': 'str', 'choices': ['a', 'b']},
    'id': {'type': 'str', 'required': True},
    'password': {'type': 'str', 'no_log': True},
    'level': {'type': 'str', 'choices': ['low', 'high'], 'no_log': True},
    'anything': {'type': 'raw'},
    'untyped': {},
    'description': {'type': 'str', 'aliases': ['desc']},
}


def problems(values, spec=None, **kwargs):
    return option_problems(values, SPEC if spec is None else spec, **kwargs)


def test_the_filter_is_registered():
    assert FilterModule().filters() == {'option_problems': option_problems}


def test_valid_values_give_no_problem_and_convert_as_ansible_does():
    assert problems({'id': 'ws-1', 'city': 'Berlin', 'floor': 3, 'latitude': '52.5', 'concurrency': '4',
                     'purge': 'yes', 'groups': 'a,b', 'state': 'absent', 'modes': ['a'], 'anything': {'x': [1]},
                     'untyped': 'text', 'desc': 'an alias'}) == []


def test_null_is_not_set():
    assert problems({'id': 'ws-1', 'city': None, 'latitude': None, 'state': None}) == []
    assert problems({'id': None}) == ['option id is required.']


def test_an_unknown_key_names_the_closest_known_one():
    assert problems({'id': 'ws-1', 'cty': 'Berlin'}) == ["unknown option 'cty' (did you mean 'city'?)."]
    assert problems({'id': 'ws-1', 'zzz': 1}) == ["unknown option 'zzz'."]


@pytest.mark.parametrize('key, value, sentence', [
    ('latitude', 'north', "option latitude must be a number, not 'north'."),
    ('concurrency', 'four', "option concurrency must be an integer, not 'four'."),
    ('concurrency', 2.5, "option concurrency must be an integer, not 2.5."),
    ('purge', 'maybe', "option purge must be true or false, not 'maybe'."),
    ('groups', {'a': 1}, "option groups must be a list, not a mapping."),
    ('groups', ['a', {'b': 1}], "option groups must be a list of strings, but item 2 is a mapping."),
    ('state', 'gone', "option state must be one of present or absent, not 'gone'."),
    ('state', True, "option state must be one of present or absent, not 'True'."),
    ('modes', ['a', 'c'], "option modes must be one of a or b, not 'c'."),
    # Ansible would send the Python text of these; always a mistake in a string option.
    ('city', ['Berlin'], "option city must be a string, not a list."),
    ('floor', {'number': 3}, "option floor must be a string, not a mapping."),
])
def test_a_wrong_value_is_one_sentence_naming_the_option_and_the_value(key, value, sentence):
    assert problems({'id': 'ws-1', key: value}) == [sentence]


def test_a_long_value_is_shortened():
    assert problems({'id': 'ws-1', 'latitude': 'n' * 100}) == \
        ["option latitude must be a number, not '%s...'." % ('n' * 37)]


def test_a_control_character_of_a_shown_value_is_escaped():
    assert problems({'id': 'ws-1', 'state': u'gone\n\x00'}) == ["option state must be one of present or absent, not 'gone\\x0a\\x00'."]


def test_the_value_of_a_no_log_option_is_never_shown():
    found = problems({'id': 'ws-1', 'password': ['s3cret'], 'level': 'T0p-s3cret'})
    assert found == ['option password must be a string, not a list.',
                     'option level must be one of low or high, not a string.']
    assert 's3cret' not in ' '.join(found)


def test_a_required_option_with_a_wrong_value_is_reported_once():
    assert problems({'id': ['ws-1']}) == ['option id must be a string, not a list.']
    assert problems({}) == ['option id is required.']


def test_every_problem_is_reported_in_the_order_of_the_values():
    assert problems({'cty': 'x', 'latitude': 'north', 'state': 'gone'}) == [
        "unknown option 'cty' (did you mean 'city'?).",
        "option latitude must be a number, not 'north'.",
        "option state must be one of present or absent, not 'gone'.",
        'option id is required.',
    ]


def test_suboptions_of_mappings_and_lists_of_mappings_are_checked_with_their_path():
    spec = {'server': {'type': 'dict', 'options': {'port': {'type': 'int'}}},
            'rules': {'type': 'list', 'elements': 'dict', 'options': {'name': {'required': True}, 'action': {}}}}
    assert problems({'server': {'port': 'http'}, 'rules': [{'name': 'a'}, {'acton': 'x'}]}, spec) == [
        "option server.port must be an integer, not 'http'.",
        "unknown option 'rules[1].acton' (did you mean 'rules[1].action'?).",
        'option rules[1].name is required.',
    ]


def test_source_and_kind_start_and_word_the_sentences():
    assert problems({'concurrency': 'four'}, {'concurrency': {'type': 'int'}}, source='group_vars/all.yml',
                    kind='variable') == ["group_vars/all.yml: variable concurrency must be an integer, not 'four'."]


def test_values_that_are_not_a_mapping_are_one_problem():
    assert problems(['id'], source='x.yml') == ['x.yml: the values must be a mapping, not a list.']


def test_a_spec_that_is_not_a_mapping_is_a_programming_error():
    with pytest.raises(AnsibleFilterError, match='argument_spec must be a mapping'):
        option_problems({}, ['id'])


def test_the_stations_role_defaults_are_valid_against_its_own_argument_spec():
    """The role checks its variables with this filter and its meta/argument_specs.yml."""
    role = os.path.join(ROOT, 'roles', 'stations')
    with open(os.path.join(role, 'meta', 'argument_specs.yml')) as handle:
        spec = yaml.safe_load(handle)['argument_specs']['main']['options']
    with open(os.path.join(role, 'defaults', 'main.yml')) as handle:
        defaults = yaml.safe_load(handle)
    assert set(defaults) <= set(spec)
    assert option_problems(defaults, spec, kind='variable') == []
    assert option_problems(dict(defaults, stations_unlisted='delete', stations_concurrency='four'), spec,
                           kind='variable') == [
        "variable stations_concurrency must be an integer, not 'four'.",
        "variable stations_unlisted must be one of ignore, report or absent, not 'delete'.",
    ]
