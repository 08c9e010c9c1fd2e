# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""drweb_station_info: read stations by id, by group, or those waiting for approval; station details in batches."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.drweb.esuite.plugins.module_utils._diff import unique
from ansible_collections.drweb.esuite.plugins.module_utils._errors import (
    DrWebApiError,
    DrWebError,
    DrWebNotFoundError,
    DrWebProtocolError,
)
from ansible_collections.drweb.esuite.plugins.module_utils._groups import list_group_stations
from ansible_collections.drweb.esuite.plugins.module_utils._newbies import list_newbies
from ansible_collections.drweb.esuite.plugins.module_utils._parser import STATION_INCLUDE_FLAGS, requested_blocks
from ansible_collections.drweb.esuite.plugins.module_utils._pool import run_ordered
from ansible_collections.drweb.esuite.plugins.module_utils._station_fields import PASSWORD_MASK

# Ids per stations/info.ds request: 50 UUIDs keep the query near 2 KB, well inside any URL
# limit, and an answer with every block near a megabyte.
INFO_BATCH = 50
# Ids per stations/products.ds request; a station reports a handful of products.
PRODUCTS_BATCH = 100


def reading_mode(params):
    """``id``, ``group`` or ``newbies``: what the argument spec cannot check (DrWebError otherwise).

    The spec makes id and group mutually exclusive and requires one of id, group and
    newbies; ``newbies: false`` counts as not set, which only this check can see.
    """
    # Blank references are input errors, not "nothing asked": they must fail before any request.
    if params.get('id') and not any(i and i.strip() for i in params['id']):
        raise DrWebError("The id option must name at least one station; it holds only blank ids.")
    if params.get('group') is not None and not params['group'].strip():
        raise DrWebError("The group option must name a group by id or name; it is blank.")
    chosen = [name for name in ('id', 'group', 'newbies') if params.get(name)]
    if not chosen:
        raise DrWebError("Choose the stations to read with one of id, group or newbies=true.")
    if len(chosen) > 1:
        raise DrWebError("The options %s are mutually exclusive; use one of them." % " and ".join(chosen))
    mode = chosen[0]
    if params.get('include') and mode != 'id':
        raise DrWebError("The include option only applies to id; group and newbies listings have fixed fields.")
    if params.get('products') and mode != 'id':
        raise DrWebError("The products option only applies to id; group and newbies listings have fixed fields.")
    if params.get('limit') is not None:
        if mode == 'id':
            raise DrWebError("The limit option only applies to group and newbies; id reads exactly the stations named.")
        if params['limit'] < 1:
            raise DrWebError("The limit option must be 1 or more, got %d." % params['limit'])
    return mode


def mask_secrets(station):
    station = dict(station)
    if 'password' in station:
        station['password'] = PASSWORD_MASK if station['password'] else None
    return station


def read_stations(client, ids, include=(), batch=INFO_BATCH, workers=1):
    """``[(id, station or None)]`` in the order of ``ids`` (None: the server does not know it).

    Several ids per ``stations/info.ds`` are not documented, though the answer is a list, so
    the ids go ``batch`` at a time and the answer must be exactly what was asked: a batch
    the server fails, answers with ids it was not asked about (or twice), or with ids left
    out, is read again one id per request (``find_station``: a clear not-found means absent).
    Cost: ceil(N / batch) requests, or N + ceil(N / batch) when the server does not take
    batches. Batches run ``workers`` at a time; a connection-level failure stops them all.
    """
    return _read_batched(ids, batch, workers, lambda chunk: client.station_info_batch(chunk, include),
                         lambda station_id: client.find_station(station_id, include=include))


def read_products(client, ids, batch=PRODUCTS_BATCH, workers=1):
    """``[(id, [product] or None)]``: ``stations/products.ds``, whose repeated ``id`` is documented.

    The same batches and the same fallback as :func:`read_stations`, at the same cost; a
    station the server no longer knows has None.
    """
    def single(station_id):
        try:
            found = _exact(client.station_products([station_id]), [station_id])
        except DrWebNotFoundError:
            return None
        if not found:
            raise DrWebProtocolError("Reading the products of station %s failed: the server reported success but did "
                                     "not send that station." % station_id, obj=station_id)
        return found[station_id]

    return [(station_id, None if entry is None else entry["products"])
            for station_id, entry in _read_batched(ids, batch, workers, client.station_products, single)]


def _exact(answer, asked):
    """``{id: item}`` when ``answer`` holds only ids of ``asked``, each once, else None."""
    found = {}
    for item in answer:
        station_id = item.get("id")
        if station_id not in asked or station_id in found:
            return None
        found[station_id] = item
    return found


def _read_batched(ids, batch, workers, fetch, single):
    ids = list(ids)
    chunks = [ids[start:start + batch] for start in range(0, len(ids), batch)]

    def job(chunk):
        found = {}
        if len(chunk) > 1:
            try:
                found = _exact(fetch(chunk), chunk) or {}
            except (DrWebApiError, DrWebProtocolError):
                found = {}
            # Refused, broken or naming ids not asked: nothing of that answer is trusted, and each id
            # it did not give is asked alone.
        for station_id in chunk:
            if station_id not in found:
                found[station_id] = single(station_id)
        return found

    results = {}
    for outcome in run_ordered(job, chunks, workers):
        if outcome.error is not None:
            raise outcome.error
        results.update(outcome.value)
    return [(station_id, results[station_id]) for station_id in ids]


def read_by_id(client, ids, include, ignore_missing, products=False):
    """drweb_station_info's ``id`` mode: details in batches, then the products when asked for."""
    stations, missing = [], []
    for station_id, station in read_stations(client, ids, include):
        if station is None:
            if not ignore_missing:
                raise DrWebNotFoundError("Station %s does not exist." % station_id, obj=station_id)
            missing.append(station_id)
            continue
        stations.append(mask_secrets(station))
    if products and stations:
        reported = dict(read_products(client, [s["id"] for s in stations]))
        for station in stations:
            station["products"] = reported.get(station["id"]) or []
    return dict(stations=stations, total=len(stations), count=len(stations), missing=missing)


def _listed(group_id, listing):
    stations = listing.get('stations') or []
    total = listing.get('total')
    return dict(stations=stations, total=len(stations) if total is None else total, count=len(stations),
                group_id=group_id, missing=[])


def read_group(client, ref, ignore_missing, **flags):
    """The stations of the group ``ref`` names (by id or name)."""
    try:
        group_id, listing = list_group_stations(client, ref, **flags)
    except DrWebNotFoundError:
        if not ignore_missing:
            raise
        return dict(stations=[], total=0, count=0, missing=[ref])
    return _listed(group_id, listing)


def run_station_info(module):
    """The whole drweb_station_info task; exits the module."""
    p = module.params
    try:
        mode = reading_mode(p)
    except DrWebError as exc:
        module.fail_json(msg=str(exc))
    ignore_missing = p['missing'] == 'ignore'
    with module.api_errors():
        if mode == 'id':
            ids = unique(i.strip() for i in p['id'] if i and i.strip())
            result = read_by_id(module.client, ids, requested_blocks(p['include'], STATION_INCLUDE_FLAGS, 'station'),
                                ignore_missing, products=p['products'])
        elif mode == 'group':
            result = read_group(module.client, p['group'].strip(), ignore_missing, limit=p['limit'],
                                subgroups=p['subgroups'], show_blocked=p['show_blocked'], station_type=p['station_type'])
        else:
            group, listing = list_newbies(module.client, limit=p['limit'], station_type=p['station_type'],
                                          show_blocked=p['show_blocked'])
            result = _listed(group['id'], listing)
    module.exit_json(changed=False, **result)
