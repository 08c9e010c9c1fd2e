# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""run_ordered: outcomes in input order, at most `workers` at once, a stopping error skips the rest.

Concurrency is observed with events and barriers (their timeouts only keep a broken
helper from hanging the suite), never with timings.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

import pytest

from ansible_collections.drweb.esuite.plugins.module_utils._pool import SKIPPED, Outcome, run_ordered
from ansible_collections.drweb.esuite.tests.unit.plugins.modules.drweb_harness import ConcurrencyProbe


def test_values_come_back_in_input_order_even_when_jobs_finish_out_of_order():
    last_started = threading.Event()

    def work(item):
        if item == 0:
            # The first job finishes only after the last one has started on another thread.
            assert last_started.wait(30)
        if item == 4:
            last_started.set()
        return item * 10

    assert run_ordered(work, range(5), 2) == [Outcome(i * 10, None, False) for i in range(5)]


@pytest.mark.parametrize("workers, items", [(3, 9), (2, 5)])
def test_workers_jobs_run_at_once_and_never_more(workers, items):
    probe = ConcurrencyProbe(workers, items)

    def work(item):
        probe()
        return item

    outcomes = run_ordered(work, range(items), workers)
    assert [o.value for o in outcomes] == list(range(items))  # a broken barrier would be an error here
    assert probe.most == workers


def test_one_worker_runs_the_jobs_in_order_on_the_calling_thread():
    seen = []
    run_ordered(lambda item: seen.append((item, threading.current_thread())), "abc", 1)
    assert seen == [(item, threading.current_thread()) for item in "abc"]


def test_an_error_belongs_to_its_item_and_stops_the_run():
    started = []

    def work(item):
        started.append(item)
        if item == 1:
            raise ValueError("boom")
        return item

    outcomes = run_ordered(work, range(4), 1)
    assert outcomes[0] == Outcome(0, None, False)
    assert isinstance(outcomes[1].error, ValueError) and not outcomes[1].skipped
    assert outcomes[2:] == [SKIPPED, SKIPPED]
    assert started == [0, 1]


def test_an_error_that_does_not_stop_lets_the_others_run():
    def work(item):
        if item % 2:
            raise KeyError(item)
        return item

    outcomes = run_ordered(work, range(5), 2, stops=lambda exc: not isinstance(exc, KeyError))
    assert [o.value for o in outcomes] == [0, None, 2, None, 4]
    assert [type(o.error) for o in outcomes] == [type(None), KeyError, type(None), KeyError, type(None)]
    assert not any(o.skipped for o in outcomes)


def test_jobs_in_flight_finish_when_another_stops_the_run():
    failing = threading.Event()

    def work(item):
        if item == 0:
            # Still running when item 1 fails on the other thread: its value is kept.
            assert failing.wait(30)
            return "done"
        failing.set()
        raise RuntimeError("stop")

    outcomes = run_ordered(work, range(4), 2)
    assert outcomes[0] == Outcome("done", None, False)
    assert isinstance(outcomes[1].error, RuntimeError)
    assert outcomes[2:] == [SKIPPED, SKIPPED]


def test_no_items_no_jobs():
    assert run_ordered(lambda item: 1 / 0, [], 4) == []
