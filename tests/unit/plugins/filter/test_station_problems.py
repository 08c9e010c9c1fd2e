# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""drweb.esuite.station_problems: the module's checks of desired stations, naming where each comes from."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.drweb.esuite.plugins.filter.station_problems import FilterModule, station_problems
from ansible_collections.drweb.esuite.plugins.module_utils import _stations_bulk
from ansible_collections.drweb.esuite.plugins.module_utils._station_fields import STATION_ARGUMENT_SPEC
from ansible_collections.drweb.esuite.plugins.module_utils._values import input_problems

BERLIN, HAMBURG = 'stations/berlin.yml', 'stations/hamburg.yml'


def test_the_filter_is_registered():
    assert FilterModule().filters() == {'station_problems': station_problems}


def test_valid_stations_give_no_problem():
    assert station_problems([{'id': 'ws-1', 'city': 'Berlin', 'latitude': '52.5', 'acl_allow': ['10.0.0.0/8']},
                             {'id': 'ws-2', 'state': 'absent'}], sources=[BERLIN, HAMBURG],
                            defaults={'country': 'DE', 'purge_acl': True}) == []


def test_a_station_declared_in_two_files_names_both():
    assert station_problems([{'id': 'ws-0042'}, {'id': 'ws-0043'}, {'id': 'ws-0043'}],
                            sources=[BERLIN, BERLIN, HAMBURG]) == \
        ['stations/berlin.yml: ws-0043 is declared twice (also in stations/hamburg.yml).']


def test_a_station_declared_twice_in_one_file_names_the_file_once_with_both_positions():
    assert station_problems([{'id': 'ws-0042'}, {'id': 'ws-0043'}, {'id': 'ws-0044'}, {'id': 'ws-0043'}],
                            sources=[BERLIN] * 4) == \
        ['stations/berlin.yml: ws-0043 is declared twice (stations[1] and stations[3]).']


def test_every_place_of_a_station_declared_many_times_is_named():
    sources = [BERLIN, HAMBURG, BERLIN, 'drweb_station of host ws-0043', HAMBURG, HAMBURG]
    found = station_problems([{'id': 'ws-0043'}, {'id': 'x'}, {'id': 'ws-0043'}, {'id': 'ws-0043'},
                              {'id': 'ws-0043'}, {'id': ' ws-0043 '}], sources=sources)
    assert found == ['stations/berlin.yml: ws-0043 is declared 5 times (stations[0] and stations[1], also in '
                     'drweb_station of host ws-0043 and stations/hamburg.yml as stations[1] and stations[2]).']


def test_without_sources_the_stations_are_named_by_the_role_variable():
    assert station_problems([{'id': 'a'}, {'id': 'b', 'cty': 'x'}, {'id': 'a'}]) == [
        "stations_list: station b: unknown option 'cty' (did you mean 'city'?).",
        'stations_list: a is declared twice (stations_list[0] and stations_list[2]).',
    ]


@pytest.mark.parametrize('entry, problem', [
    ({'id': 'ws-2', 'cty': 'Berlin'}, "unknown option 'cty' (did you mean 'city'?)."),
    ({'id': 'ws-2', 'latitude': 'north'}, "option latitude must be a number, not 'north'."),
    ({'id': 'ws-2', 'groups': [['Sales']]}, 'option groups must be a list of strings, but item 1 is a list.'),
    ({'id': 'ws-2', 'state': 'gone'}, "option state must be one of present or absent, not 'gone'."),
    ({'id': 'ws-2', 'country': 'Germany'},
     "country 'Germany' is not an ISO 3166-1 alpha-2 code (for example DE, RU, US)."),
    ({'id': 'ws-2', 'acl_allow': ['10.0.0.1/99']}, "acl_allow entry '10.0.0.1/99' is not a valid [protocol/]address"),
    ({'id': 'ws-2', 'latitude': 123}, 'latitude 123.0 is out of range (-90 to 90 decimal degrees).'),
])
def test_a_problem_of_a_station_names_the_file_the_station_and_the_option(entry, problem):
    found = station_problems([{'id': 'ws-1'}, entry], sources=[BERLIN, BERLIN])
    assert len(found) == 1
    assert found[0].startswith('stations/berlin.yml: station ws-2: ' + problem)


def test_a_station_alone_in_its_source_is_named_by_the_source():
    assert station_problems([{'id': 'ws-1'}, {'id': 'ws-0042', 'rom': '12'}],
                            sources=[BERLIN, 'drweb_station of host ws-0042']) == \
        ["drweb_station of host ws-0042: unknown option 'rom' (did you mean 'room'?)."]


def test_a_station_without_an_id_is_named_by_its_position():
    assert station_problems([{'id': 'ws-1'}, {'city': 'Berlin'}, {'id': '  '}, 'ws-3'], sources=[BERLIN] * 4) == [
        'stations/berlin.yml: stations[1]: option id is required.',
        'stations/berlin.yml: stations[2]: id must be a non-empty station id.',
        'stations/berlin.yml: stations[3] is a string, not a mapping of station options.',
    ]


def test_defaults_are_reported_once_and_not_with_every_station():
    found = station_problems([{'id': 'ws-%d' % i} for i in range(50)], sources=[BERLIN] * 50,
                             defaults={'cty': 'Berlin', 'id': 'x'})
    assert found == ['stations_defaults: id cannot be a default: every station names its own.',
                     "stations_defaults: unknown option 'cty' (did you mean 'city'?)."]


def test_a_value_the_module_refuses_in_the_defaults_is_reported_once_with_their_source():
    found = station_problems([], defaults={'country': 'Germany'}, defaults_source='stations/berlin.yml: defaults')
    assert found == ["stations/berlin.yml: defaults: country 'Germany' is not an ISO 3166-1 alpha-2 code "
                     "(for example DE, RU, US)."]


def test_defaults_are_combined_with_each_station_as_the_role_combines_them():
    # The two dates are each valid; only together (block_begin after block_end) are they refused.
    assert station_problems([{'id': 'ws-1', 'block_begin': '2030-01-01'}, {'id': 'ws-2'}], sources=[BERLIN] * 2,
                            defaults={'block_end': '2020-01-01'}) == [
        'stations/berlin.yml: station ws-1: block_begin 2030-01-01T00:00:00Z is after block_end 2020-01-01T00:00:00Z.']
    # null in a station keeps the default away from it.
    assert station_problems([{'id': 'ws-1', 'block_begin': '2030-01-01', 'block_end': None}],
                            defaults={'block_end': '2020-01-01'}) == []


def test_defaults_that_are_not_a_mapping_are_one_problem():
    assert station_problems([{'id': 'ws-1'}], defaults=['country']) == \
        ['stations_defaults must be a mapping of station options, not a list.']


def test_stations_that_are_not_a_list_are_one_problem():
    assert station_problems({'id': 'ws-1'}) == ['stations_list must be a list of stations, not a mapping.']


def test_sources_must_name_every_station():
    with pytest.raises(AnsibleFilterError, match=r'one source per station \(2 stations, 1 sources\)'):
        station_problems([{'id': 'a'}, {'id': 'b'}], sources=[BERLIN])


def test_a_password_is_never_shown():
    found = station_problems([{'id': 'ws-1', 'password': ['Kiosk-s3cret']}, {'id': 'ws-2', 'pasword': 'Kiosk-s3cret'},
                              {'id': 'ws-3', 'password': ''}], sources=[BERLIN] * 3)
    assert found[:2] == ['stations/berlin.yml: station ws-1: option password must be a string, not a list.',
                         "stations/berlin.yml: station ws-2: unknown option 'pasword' (did you mean 'password'?)."]
    assert found[2].startswith('stations/berlin.yml: station ws-3: password must not be empty')
    assert 'Kiosk-s3cret' not in ' '.join(found)


def test_the_allowed_options_are_the_modules_own():
    for option in STATION_ARGUMENT_SPEC:
        assert 'unknown option' not in ' '.join(station_problems([{'id': 'ws-1', option: None}]))
    assert station_problems([{'id': 'ws-1', 'api_url': 'https://x'}]) == ["stations_list: unknown option 'api_url'."]


@pytest.mark.parametrize('entry', [
    {'id': 'ws-1', 'city': 'Munich', 'latitude': 52.5, 'acl_allow': ['10.0.0.0/8', 'tcp/10.1.0.1']},
    {'id': 'ws-1', 'latitude': 91},
    {'id': 'ws-1', 'acl_allow': ['10.0.0.1/99']},
    {'id': 'ws-1', 'country': 'Germany'},
    {'id': 'ws-1', 'email': 'not-an-address'},
    {'id': 'ws-1', 'block_begin': 'tomorrow'},
    {'id': 'ws-1', 'block_begin': '2030-01-01', 'block_end': '2020-01-01'},
    {'id': 'ws-1', 'rate': ' '},
    {'id': 'ws-1', 'groups': ['']},
    {'id': 'ws-1', 'name': ' '},
    {'id': 'ws-1', 'password': ''},
    {'id': 'ws-1', 'state': 'absent', 'country': 'Germany'},
])
def test_the_filter_and_the_module_agree(entry):
    """What drweb_stations refuses before its first request, the filter refuses, and nothing else."""
    result = ArgumentSpecValidator(STATION_ARGUMENT_SPEC).validate(dict(entry))
    assert not result.error_messages
    dummy, module_problems = _stations_bulk.validate([result.validated_parameters])
    assert bool(station_problems([entry])) == bool(module_problems), module_problems


@pytest.mark.parametrize('entry, reason', [
    ({'id': u'ws\x001'}, 'id must not hold control characters; character 3 is U+0000.'),
    ({'id': 'ws-1', 'city': 'x' * 300}, 'city must be at most 255 characters long, not 300.'),
    ({'id': 'ws-1', 'description': u'two\r\nlines'},
     'description must not hold control characters other than tab and line feed; character 4 is U+000D.'),
    ({'id': 'ws-1', 'groups': ['Sales', 'g' * 1025]}, 'groups[1] must be at most 1024 characters long, not 1025.'),
    ({'id': 'ws-1', 'acl_allow': [u'10.0.0.1\n']}, 'acl_allow[0] must not hold control characters; character 9 is U+000A.'),
    ({'id': 'ws-1', 'password': u'Kiosk-s3cret\x00'}, 'password must not hold control characters.'),
])
def test_a_value_that_must_not_be_sent_is_refused_by_the_filter_as_by_the_module(entry, reason):
    """The filter words it like the module (the option and its reason), and neither sends it."""
    spec = dict(stations=dict(type='list', elements='dict', options=STATION_ARGUMENT_SPEC))
    assert input_problems(spec, {'stations': [dict(entry)]}) == ['stations[0]%s: %s' % (
        ' (ws-1)' if entry['id'] == 'ws-1' else '', reason)]
    found = station_problems([entry], sources=[BERLIN])
    assert found == ['stations/berlin.yml: option ' + reason]
    assert 'Kiosk-s3cret' not in ' '.join(found)


def test_a_description_on_several_lines_is_valid():
    assert station_problems([{'id': 'ws-1', 'description': u'Kiosk\n\tnear the entrance\n'}]) == []
