# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One job per item on a few threads, the outcomes in input order.

Used by drweb_stations (one converge per station) and by the inventory plugin (one
details read per station). The threads share the caller's client, which is safe to
share (see _client.py).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor

# What became of one item: ``value`` returned by the job, or the ``error`` it raised,
# or ``skipped``: the run had stopped before the item was started.
Outcome = namedtuple("Outcome", "value error skipped")
SKIPPED = Outcome(None, None, True)


def run_ordered(work, items, workers, stops=None):
    """``work(item)`` for every item, at most ``workers`` at a time; one :data:`Outcome` per item, in input order.

    An exception ``work`` raises becomes that item's ``error``. When ``stops(error)`` is
    true (by default for every error) the run stops: the items in flight finish, and the
    items not yet started are :data:`SKIPPED` without ``work`` being called for them.
    Each of the ``workers`` threads takes the next item only when it is done with its
    last, so memory does not grow with the number of items.
    """
    items = list(items)
    outcomes = [SKIPPED] * len(items)
    stop = threading.Event()
    lock = threading.Lock()
    cursor = iter(range(len(items)))

    def worker():
        while not stop.is_set():
            with lock:
                index = next(cursor, None)
            if index is None:
                return
            try:
                outcomes[index] = Outcome(work(items[index]), None, False)
            except Exception as exc:  # pylint: disable=broad-except
                # Whatever the job raised belongs to its item; the caller decides what it means.
                outcomes[index] = Outcome(None, exc, False)
                if stops is None or stops(exc):
                    stop.set()

    workers = max(1, min(int(workers), len(items)))
    if workers == 1:
        worker()
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for future in [pool.submit(worker) for dummy in range(workers)]:
                future.result()
    return outcomes
