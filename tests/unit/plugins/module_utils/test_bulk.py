# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one summary of drweb_stations and drweb_groups."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.drweb.esuite.plugins.module_utils import _bulk, _group_converge, _stations_bulk


def _results(*actions):
    return [dict(action=action, msg='entry %d %s' % (index, action)) for index, action in enumerate(actions)]


@pytest.mark.parametrize('what', ['stations', 'groups'])
def test_a_clean_run_counts_every_action(what):
    summary, msg = _bulk.summarise(_results('created', 'updated', 'unchanged', 'absent', 'deleted'), what)
    assert summary == dict(created=1, updated=1, unchanged=1, absent=1, deleted=1, failed=0, skipped=0)
    # Already absent counts as unchanged in the sentence.
    assert msg == '5 %s: 1 created, 1 updated, 1 deleted, 2 unchanged' % what


def test_failures_are_named_up_to_five_then_counted():
    summary, msg = _bulk.summarise(_results(*(['failed'] * 7 + ['skipped', 'unchanged'])), 'stations')
    assert (summary['failed'], summary['skipped']) == (7, 1)
    assert msg == ('7 of 9 stations failed, 1 skipped: entry 0 failed; entry 1 failed; entry 2 failed; '
                   'entry 3 failed; entry 4 failed; and 2 more')


def test_skipped_alone_names_no_failure():
    assert _bulk.summarise(_results('skipped', 'created'), 'groups')[1] == '0 of 2 groups failed, 1 skipped'


def test_both_modules_use_the_one_summary():
    assert _stations_bulk.summarise is _bulk.summarise is _group_converge.summarise
    assert _stations_bulk.STOPS_RUN is _bulk.STOPS_RUN is _group_converge.STOPS_RUN
