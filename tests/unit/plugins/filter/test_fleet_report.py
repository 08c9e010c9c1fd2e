# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet_report filter: the figures the report draws, at the edges of each bucket."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.drweb.esuite.plugins.filter.fleet_report import fleet_report

NOW = 1800000000
DAY = 86400


def listed(sid, seen=None, state=1, **extra):
    return dict({'id': sid, 'name': sid.upper(), 'state': state, 'last_seen_time': seen, 'login_addr': '10.0.0.1',
                 'os_name': 'Linux', 'block_begin': None, 'block_end': None}, **extra)


def bases(age, state='S', words=None):
    product = {'code': '10-drwbases', 'revision': '130x', 'modified_time': NOW - age, 'state_code': state}
    if words:
        product['state'] = words
    return product


def report(groups, **kwargs):
    return fleet_report(groups, now=NOW, **kwargs)


def counts(chart):
    return dict((s['key'], s['count']) for s in chart)


def test_last_seen_and_stale_buckets_at_their_edges():
    stations = [listed('a', NOW - DAY + 1), listed('b', NOW - 7 * DAY), listed('c', NOW - 7 * DAY - 1),
                listed('d', NOW - 30 * DAY - 1), listed('e', None)]
    model = report([{'ref': 'Everyone', 'id': 'e', 'stations': stations}], stale_days=7)
    assert counts(model['fleet']['summary']['last_seen']) == {'today': 1, 'week': 1, 'month': 1, 'older': 1, 'never': 1}
    rows = model['stations']
    assert [rows[s]['stale'] for s in 'abcde'] == [False, False, True, True, True]
    assert rows['e']['last_seen'] == 'never' and rows['a']['last_seen_days'] == 0
    assert model['fleet']['summary']['stale'] == 3


def test_segments_fill_the_bar_in_order():
    stations = [listed('a', NOW, state=1), listed('b', NOW, state=0), listed('c', NOW, state=0), listed('d', NOW, 7)]
    chart = report([{'id': 'e', 'stations': stations}])['fleet']['summary']['state']
    assert [(s['key'], s['count'], s['x'], s['width']) for s in chart] == [
        ('online', 1, 0.0, 25.0), ('offline', 2, 25.0, 50.0), ('newbie', 0, 75.0, 0.0), ('other', 1, 75.0, 25.0)]


def test_products_give_bases_agent_and_the_worst_update_result():
    details = [
        {'id': 'a', 'products': [bases(2 * DAY), {'code': '20-drwagent', 'revision': '13020240101120000',
                                                  'modified_time': 1704110400, 'state_code': 'D'}]},
        {'id': 'b', 'products': [bases(40 * DAY, 'F', 'Update error'),
                                 {'code': '20-drwandroid11', 'revision': '12020230101000000', 'state_code': 'D'}]},
        {'id': 'c', 'products': []},
        {'id': 'd', 'city': 'Berlin', 'country': 'DE', 'street': 'Main 1', 'description': 'Desk',
         'organization': 'Example', 'department': 'Sales'},
    ]
    model = report([{'id': 'e', 'stations': [listed(s, NOW) for s in 'abcd']}], details=details)
    rows = model['stations']
    assert (rows['a']['bases_days'], rows['a']['bases_bucket'], rows['a']['agent_version']) == (2, 'week', '13.0 (2024-01-01)')
    assert (rows['a']['update_key'], rows['a']['update_result']) == ('delayed', 'update delayed')
    assert (rows['b']['update_key'], rows['b']['update_result'], rows['b']['agent_version']) == ('error', 'Update error', '12.0')
    assert (rows['c']['update_key'], rows['c']['update_result'], rows['c']['bases_bucket']) == ('unknown', 'no product reported', 'unknown')
    # No products read at all: nothing is claimed.
    assert rows['d']['update_result'] == '' and rows['d']['bases_revision'] == ''
    assert (rows['d']['location'], rows['d']['description'], rows['d']['organization']) == ('Main 1, Berlin, DE', 'Desk', 'Example, Sales')
    assert counts(model['fleet']['summary']['bases_age']) == {'today': 0, 'week': 1, 'month': 0, 'older': 1, 'unknown': 2}
    assert model['fleet']['summary']['update_problems'] == 2


def test_blocking_now_later_and_from_details():
    stations = [listed('now', NOW, block_begin='20200101000000000'),
                listed('later', NOW, block_begin='20991231000000000', block_end='21000101000000000'),
                listed('over', NOW, block_begin='20200101000000000', block_end='20200102000000000'),
                listed('detail', NOW)]
    details = [{'id': 'detail', 'block_begin_time': NOW - DAY, 'block_end_time': NOW + DAY}]
    rows = report([{'id': 'e', 'stations': stations}], details=details)['stations']
    assert (rows['now']['blocked_now'], rows['now']['blocked']) == (True, 'yes, since 2020-01-01')
    assert (rows['later']['blocked_now'], rows['later']['blocked']) == (False, 'from 2099-12-31 to 2100-01-01')
    assert (rows['over']['blocked_now'], rows['over']['blocked']) == (False, '')
    assert rows['detail']['blocked_now'] and rows['detail']['blocked'].startswith('yes, until ')


def test_the_group_that_is_the_fleet_is_not_repeated():
    everyone = {'item': 'Everyone', 'group_id': 'e', 'stations': [listed(s, NOW) for s in ('a', 'b', 'c')]}
    office = {'item': 'Office', 'group_id': 'o', 'stations': [listed('a', NOW)]}
    components = [{'id': 'o', 'name': 'Office', 'inherited': True, 'inherited_group_name': 'Everyone',
                   'components': [{'name': 'Agent', 'status_name': 'required'}, {'name': 'Firewall', 'status_name': 'optional'}]},
                  {'id': 'e', 'name': 'Everyone', 'components': []}]
    model = report([everyone, office], components=components)
    assert model['fleet']['name'] == 'Everyone' and model['fleet']['count'] == 3
    assert [g['name'] for g in model['groups']] == ['Office']
    assert model['groups'][0]['required'] == ['Agent'] and model['groups'][0]['inherited_from'] == 'Everyone'
    # What no group section shows is listed once under the fleet.
    assert model['fleet']['rest'] == ['b', 'c']


def test_a_single_group_is_the_whole_report():
    model = report([{'id': 'e', 'ref': 'Everyone', 'stations': [listed('a', NOW)]}])
    assert [g['name'] for g in model['groups']] == ['Everyone'] and model['fleet']['rest'] == []


def test_drift_is_none_when_not_looked_at_and_lists_ids_otherwise():
    groups = [{'id': 'e', 'stations': [listed('a', NOW)]}]
    assert report(groups)['drift'] is None
    drift = report(groups, unlisted=['z', 'a', 'a'], drift_source='the stations role in this run')['drift']
    assert drift['ids'] == ['a', 'z'] and [r['id'] for r in drift['rows']] == ['a']
    assert drift['source'] == 'the stations role in this run'
    assert report(groups, unlisted=[])['drift']['ids'] == []


@pytest.mark.parametrize('args, words', [
    (({'not': 'a list'},), 'must be a list of groups'),
    (([{'stations': []}],), 'now, the time of the report'),
])
def test_bad_input_is_one_sentence(args, words):
    with pytest.raises(AnsibleFilterError, match=words):
        fleet_report(*args)
