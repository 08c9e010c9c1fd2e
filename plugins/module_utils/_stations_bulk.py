# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""drweb_stations: converge a list of stations in one run, several at a time.

Every entry is validated before the first request; then each station goes through the
same converge as drweb_station, on up to ``concurrency`` threads that share one client.
A failure of one station fails that station; a failure of the connection itself stops
the run, and the stations not yet started are reported as skipped.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.drweb.esuite.plugins.module_utils._bulk import STOPPED, STOPS_RUN, summarise
from ansible_collections.drweb.esuite.plugins.module_utils._drift import converge_with_drift
from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebError
from ansible_collections.drweb.esuite.plugins.module_utils._module import failure_result
from ansible_collections.drweb.esuite.plugins.module_utils._pool import run_ordered
from ansible_collections.drweb.esuite.plugins.module_utils._station import StationOptionError, normalise_options
from ansible_collections.drweb.esuite.plugins.module_utils._station_converge import converge_station

MAX_CONCURRENCY = 64


def validate(entries):
    """Normalise every entry; returns ``(desired list, problems)``. Nothing is sent."""
    desired, problems, seen = [], [], {}
    for index, entry in enumerate(entries):
        label = "stations[%d]" % index
        try:
            station = normalise_options(entry)
        except StationOptionError as exc:
            problems.append("%s: %s" % (label if not entry.get('id') else "%s (%s)" % (label, entry['id']), exc))
            continue
        if station['id'] in seen:
            problems.append("%s: station %s is already stations[%d]; list each station once."
                            % (label, station['id'], seen[station['id']]))
            continue
        seen[station['id']] = index
        desired.append(station)
    return desired, problems


def _stops_run(exc):
    # A bug must not leave the other threads' work unreported either; it stops the run too.
    return isinstance(exc, STOPS_RUN) or not isinstance(exc, DrWebError)


def _entry(station_id, outcome, unchanged_station=True):
    """One element of ``stations`` from the outcome of that station's converge."""
    if outcome.skipped:
        return dict(id=station_id, action='skipped', changed=False,
                    msg="station %s skipped: %s" % (station_id, STOPPED))
    exc = outcome.error
    if exc is None:
        entry = dict(id=station_id, **outcome.value)
        if not (unchanged_station or entry['changed']):
            entry.pop('station', None)
        return entry
    if not isinstance(exc, DrWebError):
        return dict(id=station_id, action='failed', changed=False,
                    msg="station %s: unexpected %s: %s" % (station_id, type(exc).__name__, exc))
    entry = dict(id=station_id, action='failed', **failure_result(exc))
    if station_id not in entry['msg']:
        entry['msg'] = "station %s: %s" % (station_id, entry['msg'])
    return entry


def converge_all(module, desired, concurrency):
    """Converge every station, ``concurrency`` at a time; returns the results in input order."""
    outcomes = run_ordered(lambda station: converge_station(module, station), desired, concurrency, stops=_stops_run)
    unchanged_station = module.params['return_station'] == 'always'
    return [_entry(station['id'], outcome, unchanged_station) for station, outcome in zip(desired, outcomes)]


def converge_stations(module):
    """The whole drweb_stations task: ``module.params['stations']`` at ``concurrency``; exits the module."""
    concurrency = module.params['concurrency']
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        module.fail_json(msg="concurrency must be between 1 and %d, got %d." % (MAX_CONCURRENCY, concurrency))
    entries = module.params['stations']
    desired, problems = validate(entries)
    if problems:
        module.fail_json(msg="%d of %d station entries are invalid, nothing was sent: %s"
                         % (len(problems), len(entries), " ".join(problems)), problems=problems)

    module.pool_size = concurrency
    with module.api_errors():
        module.client  # pylint: disable=pointless-statement  # built before the threads share it
    # Drift (scope/unlisted) surveys before the listed stations converge and settles after.
    results, drift = converge_with_drift(module, desired, lambda: converge_all(module, desired, concurrency))

    diffs = []
    for result in results:
        for warning in result.pop('warnings', ()):
            module.warn(warning)
        diff = result.pop('diff', None)
        if diff and result['changed']:
            diffs.append(diff)
    summary, msg = summarise(results, 'stations')
    changed = any(r['changed'] for r in results) or drift.changed
    done = module.fail_json if summary['failed'] or summary['skipped'] or drift.failed else module.exit_json
    done(msg=msg + drift.msg, changed=changed, summary=summary, stations=results, diff=diffs + drift.diffs,
         **drift.returned)
