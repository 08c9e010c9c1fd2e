# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Text options: one string, no control characters, a bounded length, refused before anything is sent."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import copy
import datetime
import pickle
import re

import pytest
import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.drweb.esuite.plugins.module_utils import _module, _values
from ansible_collections.drweb.esuite.plugins.module_utils._group import GROUP_ARGUMENT_SPEC
from ansible_collections.drweb.esuite.plugins.module_utils._station_fields import FIELDS, STATION_ARGUMENT_SPEC
from ansible_collections.drweb.esuite.plugins.module_utils._values import Text, input_problems, plain_types
from ansible_collections.drweb.esuite.plugins.modules import (
    drweb_group,
    drweb_group_components,
    drweb_group_info,
    drweb_groups,
    drweb_newbie,
    drweb_repo_update,
    drweb_station,
    drweb_station_info,
    drweb_stations,
)
from ansible_collections.drweb.esuite.tests.unit.plugins.modules.drweb_harness import CONNECTION, FakeClient, run_module

MODULES = (drweb_group, drweb_group_components, drweb_group_info, drweb_groups, drweb_newbie, drweb_repo_update,
           drweb_station, drweb_station_info, drweb_stations)


# ---------------------------------------------------------------- one value

@pytest.mark.parametrize('value, reason', [
    ({'a': 1}, 'must be a string, not a mapping'),
    (['a', 'b'], 'must be a string, not a list'),
    (('a',), 'must be a string, not a list'),
    ({'a'}, 'must be a string, not a list'),
    (u'nul\x00id', 'must not hold control characters; character 4 is U+0000'),
    (u'a\nb', 'must not hold control characters; character 2 is U+000A'),
    (u'tab\there', 'must not hold control characters; character 4 is U+0009'),
    (u'esc\x1b[1m', 'must not hold control characters; character 4 is U+001B'),
    (u'del\x7f', 'must not hold control characters; character 4 is U+007F'),
    (u'c1\x85', 'must not hold control characters; character 3 is U+0085'),
    (u'half\ud800', 'must be valid Unicode text; character 5 is U+D800, an unpaired surrogate'),
    ('x' * 256, 'must be at most 255 characters long, not 256'),
    ('x' * 100000, 'must be at most 255 characters long, not 100000'),
])
def test_a_value_that_must_not_be_sent_is_refused_with_its_reason(value, reason):
    assert Text(255).check(value) == (None, reason)


@pytest.mark.parametrize('value, text', [
    ('Berlin', 'Berlin'),
    ('x' * 255, 'x' * 255),
    (u'Zürich, Straße 1 – 北京', u'Zürich, Straße 1 – 北京'),
    (3, '3'),
    (2.5, '2.5'),
    (True, 'True'),
    (datetime.date(2026, 1, 2), '2026-01-02'),
    (None, ''),
])
def test_a_scalar_becomes_text_as_with_type_str(value, text):
    assert Text(255).check(value) == (text, None)


def test_a_multiline_text_may_hold_tabs_and_line_feeds_but_no_carriage_return():
    text = Text(1024, multiline=True)
    assert text.check(u'Line one\n\tline two\n') == (u'Line one\n\tline two\n', None)
    assert text.check(u'Windows\r\nline') == (
        None, 'must not hold control characters other than tab and line feed; character 8 is U+000D')
    assert text.check(u'bell\x07') == (
        None, 'must not hold control characters other than tab and line feed; character 5 is U+0007')


def test_a_secret_is_refused_without_saying_where():
    assert Text(255).check(u'pass\x00word', secret=True) == (None, 'must not hold control characters')
    assert Text(255).check(['pw'], secret=True) == (None, 'must be a string, not a list')


def test_to_ansible_and_its_docs_a_text_type_is_str():
    text = Text(128)
    assert text == 'str' and hash(text) == hash('str') and str(text) == 'str'
    assert text.__name__ == 'str'
    assert repr(text) == 'Text(128)' and repr(Text(9, multiline=True)) == 'Text(9, multiline=True)'
    assert copy.deepcopy(text) is text and copy.copy(text) is text
    again = pickle.loads(pickle.dumps(text))
    assert (again.max_length, again.multiline) == (128, False)
    # Docs generated from the spec print the type as "str".
    assert yaml.safe_dump({'type': str(text)}) == 'type: str\n'


def test_a_validator_of_the_spec_refuses_the_same_values_without_the_entry_names():
    """What an action plugin gets from ArgumentSpecValidator alone: nothing sent, in the validator's words."""
    spec = dict(stations=dict(type='list', elements='dict', options=STATION_ARGUMENT_SPEC))
    result = ArgumentSpecValidator(spec).validate({'stations': [{'id': 'ws-1', 'city': {'a': 1}},
                                                                {'id': 'ws-2', 'groups': ['a', u'b\x00']}]})
    # The framing is ansible-core's own (2.16 prints "<class 'dict'>", 2.19 "dict").
    city, groups = result.error_messages
    assert city.startswith("argument 'city' is of type") and "found in 'stations'" in city
    assert city.endswith("unable to convert to str: the value must be a string, not a mapping")
    assert groups.startswith("Elements value for option 'groups' found in 'stations'")
    assert groups.endswith("unable to convert to str: the value must not hold control characters")
    good = ArgumentSpecValidator(STATION_ARGUMENT_SPEC).validate({'id': 'ws-1', 'floor': 3, 'city': u'Köln'})
    assert not good.error_messages
    assert (good.validated_parameters['floor'], good.validated_parameters['city']) == ('3', u'Köln')


# ---------------------------------------------------------------- the sentences

def test_input_problems_name_the_option_and_the_entry():
    spec = dict(stations=dict(type='list', elements='dict', options=STATION_ARGUMENT_SPEC),
                scope=dict(type='list', elements=Text(1024)))
    params = {'stations': [{'id': 'ws-1', 'city': 'Berlin'},
                           {'id': 'ws-2', 'city': {'a': 1}, 'groups': ['Sales', u'Sa\x00les']},
                           {'id': ['a', 'b']},
                           'not a mapping',
                           {'name': 'Kiosk', 'room': 'r' * 300}],
              'scope': ['Berlin', None, 's' * 1025], 'unknown': u'\x00'}
    assert input_problems(spec, params) == [
        'stations[1] (ws-2): city must be a string, not a mapping.',
        'stations[1] (ws-2): groups[1] must not hold control characters; character 3 is U+0000.',
        'stations[2]: id must be a string, not a list.',
        'stations[4] (Kiosk): room must be at most 255 characters long, not 300.',
        'scope[2] must be at most 1024 characters long, not 1025.',
    ]


def test_an_entry_is_named_by_its_id_only_when_the_id_itself_is_clean():
    spec = dict(groups=dict(type='list', elements='dict', options=GROUP_ARGUMENT_SPEC))
    assert input_problems(spec, {'groups': [{'id': u'g\x00', 'name': 'Berlin'}, {'id': 'i' * 200}]}) == [
        'groups[0] (Berlin): id must not hold control characters; character 2 is U+0000.',
        'groups[1]: id must be at most 128 characters long, not 200.',
    ]


def test_an_alias_is_checked_like_its_option():
    spec = dict(city=dict(type=Text(5), aliases=['town']))
    assert input_problems(spec, {'town': 'Hamburg'}) == ['town must be at most 5 characters long, not 7.']


def test_a_no_log_option_is_refused_without_its_value_or_position():
    spec = dict(password=dict(type=Text(255), no_log=True))
    assert input_problems(spec, {'password': u'Kiosk-s3cret\x00'}) == ['password must not hold control characters.']


def test_plain_types_leave_everything_but_the_text_types():
    spec = dict(stations=dict(type='list', elements='dict', options=STATION_ARGUMENT_SPEC),
                scope=dict(type='list', elements=Text(9)), api_password=dict(type=Text(9), no_log=True))
    plain = plain_types(spec)
    assert plain == spec
    assert not isinstance(plain['scope']['elements'], Text) and not isinstance(plain['api_password']['type'], Text)
    assert plain['api_password']['no_log'] is True
    assert not any(isinstance(option.get(key), Text) for option in plain['stations']['options'].values()
                   for key in ('type', 'elements'))
    assert isinstance(spec['scope']['elements'], Text)


def test_the_message_is_one_sentence_with_at_most_five_problems():
    assert _values.problems_message(['city must be a string, not a list.']) == 'city must be a string, not a list.'
    problems = ['stations[%d] (ws-%d): city must be a string, not a list.' % (i, i) for i in range(7)]
    msg = _values.problems_message(problems)
    assert msg.startswith('7 option values are invalid, nothing was sent: stations[0] (ws-0): city must be a string, '
                          'not a list; stations[1] (ws-1)')
    assert msg.endswith('stations[4] (ws-4): city must be a string, not a list; and 2 more (see problems).')
    assert msg.count('.') == 1


def test_shown_quotes_and_cuts_a_long_value():
    assert _values.shown('2026-13-01') == "'2026-13-01'"
    assert _values.shown('9' * 100000) == repr('9' * 57) + '...'
    assert _values.shown({'year': 2026}) == "{'year': 2026}"


# ---------------------------------------------------------------- every module

def _spec_of(module, monkeypatch):
    """The argument spec a module's main() hands to DrWebModule (without the connection options)."""
    seen = {}

    class Stop(Exception):
        pass

    def fake(argument_spec=None, **kwargs):
        seen.update(argument_spec)
        raise Stop()

    del monkeypatch  # main() takes the class it builds (the action plugins hand it theirs)
    with pytest.raises(Stop):
        module.main(module_class=fake)
    return seen


def _documented_limits(module):
    """``{option path: limit}`` from the "Limits, in characters:" note of a module's docs."""
    source = open(module.__file__).read()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) == 'DOCUMENTATION':
            docs = yaml.safe_load(node.value.value)
    limits = {}
    for note in docs.get('notes') or ():
        if 'Limits, in characters:' not in note:
            continue
        for segment in note.split('Limits, in characters:', 1)[1].split(';'):
            number = int(re.findall(r'\b(\d+)\b', segment)[-1])
            for option in re.findall(r'O\(([a-z_\[\].]+)\)', segment):
                limits.setdefault(option, number)
    return limits


def _text_limits(spec, prefix=''):
    limits = {}
    for name, option in spec.items():
        for key in ('type', 'elements'):
            if isinstance(option.get(key), Text):
                limits[prefix + name] = option[key].max_length
        if option.get('options'):
            limits.update(_text_limits(option['options'], '%s%s[].' % (prefix, name)))
    return limits


@pytest.mark.parametrize('module', MODULES, ids=[m.__name__.rsplit('.', 1)[-1] for m in MODULES])
def test_the_documented_limits_are_the_specs(module, monkeypatch):
    spec = _spec_of(module, monkeypatch)
    limits = _text_limits(spec)
    if module is drweb_stations:
        # The entries are drweb_station's options, documented there.
        assert spec['stations']['options'] is STATION_ARGUMENT_SPEC
        limits = dict((k, v) for k, v in limits.items() if not k.startswith('stations[].'))
    assert _documented_limits(module) == limits


def test_every_text_option_of_a_station_has_a_limit():
    for field in FIELDS:
        kind = field.spec.get('elements') if field.spec.get('type') == 'list' else field.spec.get('type')
        if kind == 'str' and not field.spec.get('choices'):
            assert field.max_length, field.option
            assert isinstance(STATION_ARGUMENT_SPEC[field.option].get('elements') or STATION_ARGUMENT_SPEC[field.option]['type'],
                              Text), field.option


def test_every_text_option_of_a_module_is_checked(monkeypatch):
    """A str option without choices is a Text: no module sends a text unchecked."""
    def plain_text(spec, prefix=''):
        found = []
        for name, option in spec.items():
            kind = option.get('elements') if option.get('type') == 'list' else option.get('type', 'str')
            if kind == 'str' and not isinstance(kind, Text) and not option.get('choices'):
                found.append(prefix + name)
            if option.get('options'):
                found += plain_text(option['options'], prefix + name + '.')
        return found
    assert plain_text(_module.CONNECTION_ARGUMENT_SPEC) == []
    for module in MODULES:
        assert plain_text(_spec_of(module, monkeypatch)) == [], module.__name__


# ---------------------------------------------------------------- the module refuses before anything is sent

@pytest.mark.parametrize('module, args, msg', [
    (drweb_station, {'id': u'nul\x00id'}, 'id must not hold control characters; character 4 is U+0000.'),
    (drweb_station, {'id': ['a', 'b']}, 'id must be a string, not a list.'),
    (drweb_station, {'id': 'ws-1', 'city': {'a': 1}}, 'city must be a string, not a mapping.'),
    (drweb_station, {'id': 'ws-1', 'city': 'x' * 100000}, 'city must be at most 255 characters long, not 100000.'),
    (drweb_station, {'id': 'ws-1', 'groups': [{'name': 'Servers'}]}, 'groups[0] must be a string, not a mapping.'),
    (drweb_stations, {'stations': [{'id': 'ws-1'}, {'id': 'ws-2', 'street': u'a\x00'}]},
     'stations[1] (ws-2): street must not hold control characters; character 2 is U+0000.'),
    (drweb_group, {'name': 'Berlin', 'parent': ['Office']}, 'parent must be a string, not a list.'),
    (drweb_groups, {'groups': [{'name': 'Berlin', 'description': 'd' * 1025}]},
     'groups[0] (Berlin): description must be at most 1024 characters long, not 1025.'),
    (drweb_station_info, {'id': ['ws-1', u'ws\x002']}, 'id[1] must not hold control characters; character 3 is U+0000.'),
    (drweb_group_info, {'id': [{'id': 'g'}]}, 'id[0] must be a string, not a mapping.'),
    (drweb_group_components, {'id': ['g' * 2000]}, 'id[0] must be at most 1024 characters long, not 2000.'),
    (drweb_newbie, {'id': 'nb-1', 'action': 'approve', 'group': {'id': 'g'}}, 'group must be a string, not a mapping.'),
    (drweb_repo_update, {'api_username': ['admin']}, 'api_username must be a string, not a list.'),
])
def test_a_module_fails_with_the_sentence_and_sends_nothing(monkeypatch, module, args, msg):
    client = FakeClient()
    result = run_module(monkeypatch, module, args, client)
    assert result['failed'] and result['msg'] == msg
    assert result['problems'] == [msg]
    assert client.calls == []


def test_several_problems_are_one_sentence_and_the_password_stays_masked(monkeypatch):
    client = FakeClient()
    result = run_module(monkeypatch, drweb_stations, {'stations': [
        {'id': 'ws-1', 'password': u'Kiosk-s3cret\x00', 'city': ['Berlin']}]}, client)
    assert result['msg'] == ('2 option values are invalid, nothing was sent: stations[0] (ws-1): password must not hold '
                             'control characters; stations[0] (ws-1): city must be a string, not a list.')
    assert client.calls == []
    assert 'Kiosk-s3cret' not in repr(result) and CONNECTION['api_password'] not in repr(result)


def test_another_problem_of_the_same_task_is_still_reported_by_ansible(monkeypatch):
    result = run_module(monkeypatch, drweb_station, {'id': 'ws-1', 'city': {'a': 1}, 'colour': 'red'}, FakeClient())
    assert result['msg'].startswith('Unsupported parameters for') and 'colour' in result['msg']
