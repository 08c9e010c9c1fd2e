# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: station_problems
short_description: Check desired stations before any request, naming the file of each problem
version_added: 1.0.0
description:
  - Checks a list of desired stations, each a mapping of the options of an entry of
    O(drweb.esuite.drweb_stations#module:stations), exactly as M(drweb.esuite.drweb_stations) checks them before
    its first request, and returns one sentence per problem that names where the station comes from.
  - "It finds: an unknown option (naming the closest known one), a value of the wrong type or outside the option's
    choices, a text with control characters or longer than its limit, a station without an id, every invalid value
    the module refuses (an ACL entry, a date, a country code, a coordinate, ...), and a station id declared more than
    once, with every place that declares it."
  - The allowed options, their types and the value checks are the module's own, so the filter and the module
    cannot disagree; a list or a mapping given for a string option is refused as well (see
    P(drweb.esuite.option_problems#filter)).
  - The C(drweb.esuite.stations) role runs it before anything is sent, and the C(drweb.esuite.configure_stations)
    playbook gives it the file that declares each station.
  - An empty list means every station is valid. No value of O(drweb.esuite.drweb_stations#module:stations[].password)
    is ever shown.
author:
  - drweb.esuite contributors (@drweb-esuite)
options:
  _input:
    description: The desired stations, as the C(stations_list) of the C(drweb.esuite.stations) role.
    type: list
    elements: dict
    required: true
  sources:
    description:
      - Where each station comes from, in the order of the stations, for example the file that declares it;
        sentences start with it.
      - A source that declares several stations names each by its id, or by its position V(stations[N]) (from 0)
        when it has none.
      - Without it, the stations are named V(stations_list), with positions V(stations_list[N]).
    type: list
    elements: str
  defaults:
    description:
      - Options every station gets unless it sets them itself, as the role's C(stations_defaults).
      - Their problems are reported once, with O(defaults_source), not with every station.
    type: dict
  defaults_source:
    description: How sentences name O(defaults).
    type: str
    default: stations_defaults
seealso:
  - module: drweb.esuite.drweb_stations
    description: The module whose checks this filter runs.
  - plugin: drweb.esuite.group_problems
    plugin_type: filter
    description: The same for the group tree.
'''

EXAMPLES = r'''
- name: Check the stations of one file without a server, for example in CI
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join(' ') }}"
    quiet: true
  vars:
    __stations: "{{ (lookup('ansible.builtin.file', 'stations/berlin.yml') | from_yaml).stations }}"
    __problems: "{{ __stations | drweb.esuite.station_problems(sources=['stations/berlin.yml'] * __stations | length) }}"

- name: Name the file of every station
  ansible.builtin.debug:
    msg: "{{ stations | drweb.esuite.station_problems(sources=['stations/berlin.yml', 'stations/berlin.yml', 'stations/hamburg.yml']) }}"
  vars:
    stations:
      - {id: ws-0043, cty: Berlin}
      - {id: ws-0044, latitude: north}
      - {id: ws-0043}
  # ["stations/berlin.yml: station ws-0043: unknown option 'cty' (did you mean 'city'?).",
  #  "stations/berlin.yml: station ws-0044: option latitude must be a number, not 'north'.",
  #  "stations/berlin.yml: ws-0043 is declared twice (also in stations/hamburg.yml)."]
'''

RETURN = r'''
_value:
  description: One sentence per problem, each ending with a full stop; empty when every station is valid.
  type: list
  elements: str
  sample: ["stations/berlin.yml: ws-0043 is declared twice (also in stations/hamburg.yml)."]
'''

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.drweb.esuite.plugins.filter.option_problems import Checker, enumerate_words, what_it_is
from ansible_collections.drweb.esuite.plugins.module_utils._station import StationOptionError, normalise_options
from ansible_collections.drweb.esuite.plugins.module_utils._station_fields import STATION_ARGUMENT_SPEC

DEFAULT_SOURCE = 'stations_list'
DEFAULTS_SPEC = dict((name, option) for name, option in STATION_ARGUMENT_SPEC.items() if name != 'id')


def _value_problem(options):
    """The module's own value check of one station's options, or None."""
    try:
        normalise_options(options)
    except StationOptionError as exc:
        return str(exc)
    return None


def _defaults(defaults, source):
    """``(problems, defaults to combine)``; defaults with a problem are combined with no station."""
    if defaults is None:
        return [], {}
    if not isinstance(defaults, Mapping):
        return ['%s must be a mapping of station options, not %s.' % (source, what_it_is(defaults))], {}
    checker = Checker()
    if 'id' in defaults:
        checker.problems.append('id cannot be a default: every station names its own.')
    good = checker.check(dict((k, v) for k, v in defaults.items() if k != 'id'), DEFAULTS_SPEC)
    if not checker.problems:
        problem = _value_problem(dict(good, id='default'))
        if problem:
            checker.problems.append(problem)
    if checker.problems:
        return ['%s: %s' % (source, problem) for problem in checker.problems], {}
    return [], good


class _Places(object):
    """Where each station is: its source, and its position among the stations of that source."""

    def __init__(self, count, sources):
        self.sources = list(sources) if sources is not None else [DEFAULT_SOURCE] * count
        self.list_name = DEFAULT_SOURCE if sources is None else 'stations'
        self.positions, seen = [], {}
        for source in self.sources:
            self.positions.append(seen.get(source, 0))
            seen[source] = seen.get(source, 0) + 1
        self.counts = seen

    def position(self, index):
        return '%s[%d]' % (self.list_name, self.positions[index])

    def label(self, index, station_id):
        """How a sentence starts for the station at ``index``: the source, and the station when it holds several."""
        source = self.sources[index]
        if self.counts[source] == 1:
            return source
        return '%s: %s' % (source, 'station %s' % station_id if station_id else self.position(index))

    def duplicate(self, station_id, indexes):
        """``<first source>: <id> is declared twice (<positions in it>, also in <other sources>)``."""
        by_source = {}
        for index in indexes:
            by_source.setdefault(self.sources[index], []).append(index)
        first = self.sources[indexes[0]]
        details = []
        if len(by_source[first]) > 1:
            details.append(enumerate_words(self.position(i) for i in by_source[first]))
        others = ['%s%s' % (source, (' as ' + enumerate_words(self.position(i) for i in by_source[source]))
                            if len(by_source[source]) > 1 else '')
                  for source in by_source if source != first]
        if others:
            details.append('also in ' + enumerate_words(others))
        times = 'twice' if len(indexes) == 2 else '%d times' % len(indexes)
        return '%s: %s is declared %s (%s).' % (first, station_id, times, ', '.join(details))


def station_problems(stations, sources=None, defaults=None, defaults_source='stations_defaults'):
    if not isinstance(stations, list):
        return ['%s must be a list of stations, not %s.' % (DEFAULT_SOURCE, what_it_is(stations))]
    if sources is not None and (not isinstance(sources, list) or len(sources) != len(stations)):
        raise AnsibleFilterError('station_problems: sources must name one source per station (%d stations, %s).'
                                 % (len(stations), '%d sources' % len(sources) if isinstance(sources, list)
                                    else what_it_is(sources)))
    places = _Places(len(stations), sources)
    problems, combined = _defaults(defaults, defaults_source)
    declared = {}
    checker = Checker()
    for index, station in enumerate(stations):
        if not isinstance(station, Mapping):
            problems.append('%s: %s is %s, not a mapping of station options.'
                            % (places.sources[index], places.position(index), what_it_is(station)))
            continue
        checker.problems = []
        good = checker.check(station, STATION_ARGUMENT_SPEC)
        station_id = good.get('id')
        station_id = station_id.strip() if isinstance(station_id, str) and station_id.strip() else None
        if station_id is None:
            # The checker already said "option id is required" for a missing one; an empty one says so here.
            if 'id' in good and good['id'] is not None:
                checker.problems.append('id must be a non-empty station id.')
        else:
            declared.setdefault(station_id, []).append(index)
            if not checker.problems:
                problem = _value_problem(dict(combined, **good))
                if problem:
                    checker.problems.append(problem)
        label = places.label(index, station_id)
        problems.extend('%s: %s' % (label, problem) for problem in checker.problems)
    for station_id, indexes in declared.items():
        if len(indexes) > 1:
            problems.append(places.duplicate(station_id, indexes))
    return problems


class FilterModule(object):
    def filters(self):
        return {'station_problems': station_problems}
