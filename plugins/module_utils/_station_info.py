# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""drweb_station_info: read stations by id, by group, or those waiting for approval."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.drweb.esuite.plugins.module_utils._diff import unique
from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebError, DrWebNotFoundError
from ansible_collections.drweb.esuite.plugins.module_utils._groups import list_group_stations
from ansible_collections.drweb.esuite.plugins.module_utils._newbies import list_newbies
from ansible_collections.drweb.esuite.plugins.module_utils._parser import STATION_INCLUDE_FLAGS, requested_blocks
from ansible_collections.drweb.esuite.plugins.module_utils._station_fields import PASSWORD_MASK


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


def read_by_id(client, ids, include, ignore_missing):
    """One ``info.ds`` request per id: several ids in one request are not documented."""
    stations, missing = [], []
    for station_id in ids:
        station = client.find_station(station_id, include=include)
        if station is None:
            if not ignore_missing:
                raise DrWebNotFoundError("Station %s does not exist." % station_id, obj=station_id)
            missing.append(station_id)
            continue
        stations.append(mask_secrets(station))
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


def read_stations(module):
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
                                ignore_missing)
        elif mode == 'group':
            result = read_group(module.client, p['group'].strip(), ignore_missing, limit=p['limit'],
                                subgroups=p['subgroups'], show_blocked=p['show_blocked'], station_type=p['station_type'])
        else:
            group, listing = list_newbies(module.client, limit=p['limit'], station_type=p['station_type'],
                                          show_blocked=p['show_blocked'])
            result = _listed(group['id'], listing)
    module.exit_json(changed=False, **result)
