# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: option_problems
short_description: Check values against an argument spec, one sentence per problem
version_added: 1.0.0
description:
  - Checks a mapping of values against an argument spec, for example the C(options) of an entry point in a role's
    C(meta/argument_specs.yml), and returns one sentence per problem, instead of the whole spec that Ansible's
    own role argument validation prints with every failure.
  - "It finds what that validation finds in each option on its own: an unknown key (naming the closest known one),
    a value of the wrong type, a value outside the option's C(choices), a C(required) option that is missing, in
    C(options) of mappings and of lists of mappings too. Rules between options (C(mutually_exclusive) and the
    like) are not checked."
  - "It is stricter in one way: a list or a mapping given for a string option is refused, because it is always a
    mistake (Ansible would turn it into its Python text)."
  - The text options of this collection's modules (their argument specs) also refuse control characters and values
    longer than the option's limit, as the modules do before any request.
  - A key whose value is V(null) counts as not set.
  - The value of an option marked C(no_log) is never shown.
  - An empty list means every value is valid.
  - M(drweb.esuite.drweb_stations) and the C(drweb.esuite.stations) role use the same checks for station entries,
    see P(drweb.esuite.station_problems#filter).
author:
  - drweb.esuite contributors (@drweb-esuite)
options:
  _input:
    description: The values to check, by option name.
    type: dict
    required: true
  argument_spec:
    description:
      - The argument spec, a mapping of option names to C(type), C(elements), C(choices), C(required), C(no_log),
        C(aliases) and C(options).
      - C(type) defaults to V(str), as in Ansible.
    type: dict
    required: true
  source:
    description: Where the values come from, for example a file name; it starts every sentence.
    type: str
  kind:
    description: The word that names a key in the sentences, for example V(option) or V(variable).
    type: str
    default: option
seealso:
  - plugin: drweb.esuite.station_problems
    plugin_type: filter
    description: The same for desired stations, with the module's own checks and duplicate ids.
'''

EXAMPLES = r'''
- name: Check the role's variables against its own argument spec, one sentence per problem
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join(' ') }}"
    quiet: true
  vars:
    __spec: "{{ (lookup('ansible.builtin.file', role_path ~ '/meta/argument_specs.yml') | from_yaml).argument_specs.main.options }}"
    __values: "{{ dict(__spec.keys() | zip(query('ansible.builtin.vars', *__spec.keys(), default=None))) }}"
    __problems: "{{ __values | drweb.esuite.option_problems(__spec, kind='variable') }}"

- name: One sentence for a typo
  ansible.builtin.debug:
    msg: "{{ {'cty': 'Berlin', 'floor': [3]} | drweb.esuite.option_problems(spec, source='stations/berlin.yml') }}"
  vars:
    spec: {city: {type: str}, floor: {type: str}}
  # ["stations/berlin.yml: unknown option 'cty' (did you mean 'city'?).",
  #  "stations/berlin.yml: option floor must be a string, not a list."]
'''

RETURN = r'''
_value:
  description: One sentence per problem, each ending with a full stop; empty when every value is valid.
  type: list
  elements: str
  sample: ["variable stations_concurrency must be an integer, not 'four'."]
'''

import difflib
import re
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.parameters import DEFAULT_TYPE_VALIDATORS

from ansible_collections.drweb.esuite.plugins.module_utils._values import Text, what_it_is

# How a sentence names what an option of each type must be.
TYPE_WORDS = {
    'str': 'a string',
    'path': 'a path',
    'int': 'an integer',
    'float': 'a number',
    'bool': 'true or false',
    'list': 'a list',
    'dict': 'a mapping',
    'bytes': 'a size in bytes',
    'bits': 'a size in bits',
    'json': 'JSON',
    'jsonarg': 'JSON',
}
PLURAL_WORDS = {'a string': 'strings', 'a path': 'paths', 'an integer': 'integers', 'a number': 'numbers',
                'true or false': 'booleans', 'a list': 'lists', 'a mapping': 'mappings'}
SHOWN_LENGTH = 40


class Refused(Exception):
    """A value the option's Text type refuses: the sentence reads "<option> <reason>"."""

    def __init__(self, reason, index=None):
        super(Refused, self).__init__(reason)
        self.reason = reason
        self.index = index

    def sentence(self, name, secret):
        item = '' if self.index is None else '[%d]' % self.index
        return '%s%s %s.' % (name, item, self.reason)


class BadValue(Exception):
    """A value an option cannot take: the sentence reads "<option> must be <wanted>, not <value>"."""

    NOT_SHOWN = object()

    def __init__(self, wanted, value=NOT_SHOWN):
        super(BadValue, self).__init__(wanted)
        self.wanted = wanted
        self.value = value

    def sentence(self, name, secret):
        given = '' if self.value is self.NOT_SHOWN else ', not %s' % shown(self.value, secret)
        return '%s must be %s%s.' % (name, self.wanted, given)


def shown(value, secret=False):
    """``value`` quoted for a sentence; only its kind for a secret or a container."""
    if secret or not isinstance(value, (str, int, float)):
        return what_it_is(value)
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if not isinstance(value, str):
        return str(value)
    text = str(value)
    if len(text) > SHOWN_LENGTH:
        text = text[:SHOWN_LENGTH - 3] + '...'
    # A control character would break the one-line sentence; show it escaped.
    return "'%s'" % re.sub(r'[\x00-\x1f\x7f-\x9f]', lambda m: '\\x%02x' % ord(m.group(0)), text)


def enumerate_words(words, last='and'):
    words = list(words)
    if len(words) < 2:
        return ''.join(words)
    return '%s %s %s' % (', '.join(words[:-1]), last, words[-1])


def convert(value, wanted, secret=False):
    """``value`` converted to the type named ``wanted`` as Ansible converts it; raises BadValue or Refused.

    A module's Text type (a ``str`` with the checks a value needs before it is sent) refuses
    here what it refuses in the module.
    """
    wanted = wanted or 'str'
    if wanted == 'raw' or wanted not in DEFAULT_TYPE_VALIDATORS:
        return value
    if wanted in ('str', 'path') and isinstance(value, (Mapping, list, tuple, set)):
        raise BadValue(TYPE_WORDS[wanted], value)
    if isinstance(wanted, Text):
        text, reason = wanted.check(value, secret)
        if reason:
            raise Refused(reason)
        return str(text)
    try:
        converted = DEFAULT_TYPE_VALIDATORS[wanted](value)
    except (TypeError, ValueError):
        raise BadValue(TYPE_WORDS.get(wanted, wanted), value)
    # The controller's tagged or lazy strings become plain ones, as a module sees them.
    return str(converted) if isinstance(converted, str) else converted


class Checker(object):
    """Checks values against argument specs; ``problems`` collects the sentences (without a source)."""

    def __init__(self, kind='option'):
        self.kind = kind
        self.problems = []
        self._names = {}

    def names(self, spec):
        """``{name or alias: name}`` of ``spec``, worked out once per spec for the many entries a list holds."""
        known = self._names.get(id(spec))
        if known is None or known[0] is not spec:
            names = {}
            for name, option in spec.items():
                names[name] = name
                for alias in (option or {}).get('aliases') or ():
                    names[alias] = name
            required = [name for name, option in spec.items() if (option or {}).get('required')]
            known = self._names[id(spec)] = (spec, names, required)
        return known[1], known[2]

    def check(self, values, spec, path=''):
        """``values`` with every valid value converted and every invalid or unknown key left out."""
        names, required = self.names(spec)
        good, refused = {}, set()
        for key, value in values.items():
            name = names.get(key)
            if name is None:
                close = difflib.get_close_matches(str(key), sorted(spec), n=1)
                hint = " (did you mean '%s%s'?)" % (path, close[0]) if close else ''
                self.problems.append("unknown %s '%s%s'%s." % (self.kind, path, key, hint))
                continue
            if value is None:
                good[name] = None
                continue
            option = spec[name] or {}
            try:
                good[name] = self.value(value, option, path + name)
            except (BadValue, Refused) as exc:
                refused.add(name)
                self.problems.append(exc.sentence('%s %s%s' % (self.kind, path, name), option.get('no_log')))
        for name in required:
            if good.get(name) is None and name not in refused:
                self.problems.append('%s %s%s is required.' % (self.kind, path, name))
        return good

    def value(self, value, option, name):
        secret = option.get('no_log')
        value = convert(value, option.get('type'), secret)
        elements = option.get('elements')
        if elements and isinstance(value, list):
            items = []
            for index, item in enumerate(value):
                try:
                    items.append(convert(item, elements, secret))
                except Refused as exc:
                    raise Refused(exc.reason, index)
                except BadValue as exc:
                    raise BadValue('a list of %s, but item %d is %s'
                                   % (PLURAL_WORDS.get(exc.wanted, exc.wanted), index + 1, shown(item, secret)))
            value = items
        choices = option.get('choices')
        if choices:
            for item in value if isinstance(value, list) else [value]:
                if item not in choices:
                    raise BadValue('one of %s' % enumerate_words([str(c) for c in choices], 'or'), item)
        suboptions = option.get('options')
        if suboptions and isinstance(value, Mapping):
            value = self.check(value, suboptions, name + '.')
        elif suboptions and isinstance(value, list):
            value = [self.check(item, suboptions, '%s[%d].' % (name, index)) if isinstance(item, Mapping) else item
                     for index, item in enumerate(value)]
        return value


def with_source(problems, source):
    return ['%s: %s' % (source, problem) for problem in problems] if source else list(problems)


def option_problems(values, argument_spec, source=None, kind='option'):
    if not isinstance(argument_spec, Mapping):
        raise AnsibleFilterError('option_problems: argument_spec must be a mapping of option names, not %s.'
                                 % what_it_is(argument_spec))
    if not isinstance(values, Mapping):
        return with_source(['the values must be a mapping, not %s.' % what_it_is(values)], source)
    checker = Checker(kind)
    checker.check(values, argument_spec)
    return with_source(checker.problems, source)


class FilterModule(object):
    def filters(self):
        return {'option_problems': option_problems}
