# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""stations/* scripts."""

import uuid

from .. import acl, membership, station_params
from ..constants import STATION_STATUSES
from ..errors import ERR_ALREADY_EXISTS, ERR_STATION_NOT_FOUND, ApiError, bad_parameter
from ..model import Station
from ..params import UINT32_MAX
from ..views import stations as view
from ..views.stations import INFO_FLAGS


def info(ctx):
    ids = ctx.params.ids()
    if ctx.config.single_id_info:
        # Several ids are not documented for info.ds: a server may well read only the first.
        ids = ids[:1]
    flags = {name for name in INFO_FLAGS if ctx.params.flag(name)}
    found = [ctx.store.live_station(sid) for sid in ids]
    return view.info(ctx, found, flags)


def products(ctx):
    # Repeated ids are documented here; an unknown one fails the request, as in info.ds.
    return view.products(ctx, [ctx.store.live_station(sid) for sid in ctx.params.ids()])


def add(ctx):
    p, store = ctx.params, ctx.store
    sid = p.first("id")
    sid = station_params.object_id(sid, "station") if sid is not None else str(uuid.uuid1())
    existing = store.station(sid)
    if existing is not None and existing.status != "deleted":
        raise ApiError(ERR_ALREADY_EXISTS, "Station '%s' already exists" % sid)
    updates = station_params.scalars(p)
    plan = membership.make_plan(store, parent_id=p.first("parent-group"), add_ids=p.all("group"),
                                rate_id=p.first("rate"))
    allowed = station_params.acl_specs(p, "acl-allow")
    disallowed = station_params.acl_specs(p, "acl-disallow")

    station = Station(id=sid, status="new", created_time=int(ctx.now), modified_time=int(ctx.now))
    for attr, value in updates.items():
        setattr(station, attr, value)
    station.name = station.name or sid
    station.password = station_params.password(p) or station_params.new_password()
    for spec in allowed:
        acl.add(station.acl_allowed, spec.entry)
    for spec in disallowed:
        acl.add(station.acl_disallowed, spec.entry)
    store.add_station(station)
    membership.apply(store, station, plan)
    return view.station_id(ctx, sid)


def change(ctx):
    p, store = ctx.params, ctx.store
    station = store.live_station(p.required("id"))
    updates = station_params.scalars(p)
    new_password = station_params.password(p)
    plan = membership.make_plan(store, parent_id=p.first("parent-group"), add_ids=p.all("add-group"),
                                delete_ids=p.all("delete-group"), rate_id=p.first("rate"))
    acl_ops = [(station_params.acl_specs(p, name), target, op) for name, target, op in (
        ("add-acl-allow", station.acl_allowed, "add"), ("add-acl-disallow", station.acl_disallowed, "add"),
        ("delete-acl-allow", station.acl_allowed, "delete"),
        ("delete-acl-disallow", station.acl_disallowed, "delete"),
    )]

    for attr, value in updates.items():
        setattr(station, attr, value)
    if new_password is not None:
        station.password = new_password
    membership.apply(store, station, plan)
    for specs, target, op in acl_ops:
        for spec in specs:
            if op == "add":
                acl.add(target, spec.entry)
            else:
                acl.delete(target, spec)
    station.modified_time = int(ctx.now)
    store.touch()
    return view.station_id(ctx, station.id)


def delete(ctx):
    store = ctx.store
    stations = [store.live_station(sid) for sid in ctx.params.ids()]
    for station in stations:
        # Soft delete: stations/restore.ds can bring the station back (SPEC §3.4).
        station.status = "deleted"
        station.modified_time = int(ctx.now)
    store.touch()
    return view.deleted(ctx, [s.id for s in stations])


def restore(ctx):
    p, store = ctx.params, ctx.store
    ids = p.ids()
    plan = membership.make_plan(store, parent_id=p.first("parent-group"), add_ids=p.all("group"))
    success, fail = [], []
    for sid in ids:
        station = store.station(sid)
        if station is None or station.status != "deleted":
            fail.append(sid)
            continue
        station.status = "offline"
        membership.apply(store, station, plan)
        station.modified_time = int(ctx.now)
        success.append(sid)
    if success:
        store.touch()
    return view.restored(ctx, success, fail)


def state(ctx):
    pairs = []
    for sid in ctx.params.ids():
        station = ctx.store.station(sid)
        pairs.append((sid, station.status if station is not None else "not found"))
    return view.states(ctx, pairs)


def newbies_info(ctx):
    found = []
    for sid in ctx.params.ids():
        station = ctx.store.live_station(sid)
        if station.status != "newbies":
            raise ApiError(ERR_STATION_NOT_FOUND, "Station '%s' is not a newbie" % sid)
        found.append(station)
    return view.newbies_info(ctx, found)


def states(ctx):
    """Counters per state (13.0.1); with `state=` the 4.1.3 list of those stations."""
    p, store = ctx.params, ctx.store
    group_id = p.first("group-id")
    if group_id:
        store.require_group(group_id)
        pool = [store.stations[sid] for sid in store.group_station_ids(group_id, subgroups=True)]
    else:
        pool = list(store.stations.values())
    wanted = p.first("state")
    if wanted is not None:
        if wanted not in STATION_STATUSES:
            raise bad_parameter("Invalid value '%s' of parameter 'state'" % wanted)
        page = p.integer("page", 1, 1, UINT32_MAX)
        per_page = p.integer("per-page", 100, 1, UINT32_MAX)
        # Newbies and deleted stations are outside every group, so look them up globally.
        in_group = {s.id for s in pool} if group_id else None
        matching = [s for s in store.stations.values()
                    if s.status == wanted and (in_group is None or s.id in in_group)]
        return view.stations_by_state(ctx, wanted, matching[(page - 1) * per_page: page * per_page])
    counts = {name: 0 for name in STATION_STATUSES}
    for station in pool:
        counts[station.status] += 1
    total = len(pool)
    rows = [(name, counts[name]) for name in sorted(counts)]
    rows.insert(1, ("all", total - counts["deleted"]))
    return view.state_counters(ctx, rows, total)
