# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the modules that converge a list (drweb_stations, drweb_groups) share: outcomes and their summary."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.drweb.esuite.plugins.module_utils._errors import (
    DrWebAuthError,
    DrWebProtocolError,
    DrWebTransportError,
)

# The ``action`` of one entry of the result.
ACTIONS = ('created', 'updated', 'deleted', 'unchanged', 'absent', 'failed', 'skipped')
# Failed entries named in msg; the rest are counted (every one is in the result's list).
MSG_FAILURES = 5
# Failures of the connection rather than of one entry: every other entry would fail alike.
STOPS_RUN = (DrWebAuthError, DrWebProtocolError, DrWebTransportError)
# Why an entry that never started was skipped.
STOPPED = "the run stopped after a connection failure"


def summarise(results, what):
    """``(count per action, msg)`` of a list run; ``what`` names the entries (``stations``, ``groups``)."""
    summary = dict((action, 0) for action in ACTIONS)
    for result in results:
        summary[result['action']] += 1
    failed = [r for r in results if r['action'] == 'failed']
    if failed or summary['skipped']:
        shown = "; ".join(r['msg'] for r in failed[:MSG_FAILURES])
        if len(failed) > MSG_FAILURES:
            shown += "; and %d more" % (len(failed) - MSG_FAILURES)
        msg = "%d of %d %s failed" % (len(failed), len(results), what)
        if summary['skipped']:
            msg += ", %d skipped" % summary['skipped']
        return summary, "%s: %s" % (msg, shown) if shown else msg
    return summary, "%d %s: %d created, %d updated, %d deleted, %d unchanged" % (
        len(results), what, summary['created'], summary['updated'], summary['deleted'],
        summary['unchanged'] + summary['absent'])
