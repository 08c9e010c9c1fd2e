# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""groups/* scripts."""

import re
import uuid

from .. import station_params
from ..errors import ERR_ALREADY_EXISTS, ERR_NOT_ALLOWED, ERR_SYSTEM_GROUP, ApiError, bad_parameter
from ..model import Group
from ..params import UINT32_MAX
from ..views import groups as view

_GROUP_ID = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")


def group_list(ctx):
    store = ctx.store
    parent = ctx.params.first("parent-group")
    if parent:
        groups = store.children(store.require_group(parent).id)
    else:
        # System roots and root user groups in one flat list, as a 13.0.1 server answers.
        groups = store.root_groups()
    return view.group_list(ctx, groups)


def info(ctx):
    flags = {name for name in ("components", "keys", "rights") if ctx.params.flag(name)}
    groups = [ctx.store.require_group(gid) for gid in ctx.params.ids()]
    return view.group_info(ctx, groups, flags)


def components(ctx):
    groups = [ctx.store.require_group(gid) for gid in ctx.params.ids()]
    return view.components(ctx, groups)


def stations_list(ctx):
    p, store = ctx.params, ctx.store
    group = store.require_group(p.required("id"))
    page = p.integer("page", 1, 1, UINT32_MAX)
    by_type = ctx.config.listing_by_type and ctx.xml
    # A 13.0.1 build that groups by type answered UINT32_MAX ("no paging") by default.
    per_page = p.integer("per-page", UINT32_MAX if by_type else 100, 1, UINT32_MAX)
    subgroups = p.flag("subgroups")
    show_blocked = p.flag("show-blocked-stations", True)
    with_type = p.flag("station-type")
    stations = [store.stations[sid] for sid in store.group_station_ids(group.id, subgroups)]
    if not show_blocked:
        stations = [s for s in stations if not s.blocked(ctx.now)]
    total = len(stations)
    pages_total = (total + per_page - 1) // per_page
    start = (page - 1) * per_page
    pages = (pages_total, page, per_page)
    if by_type:
        return view.stations_list_by_type(ctx, stations, stations[start:start + per_page], pages)
    return view.stations_list(ctx, stations[start:start + per_page], total, pages, with_type)


def _user_group(store, gid):
    group = store.require_group(gid)
    if group.system:
        raise ApiError(ERR_NOT_ALLOWED, "Group '%s' is a system group and cannot be changed" % group.name)
    return group


def _parent(store, value, child_id=None):
    if value is None or value.strip() == "":
        return None
    parent = store.require_group(value.strip())
    if parent.system:
        raise ApiError(ERR_NOT_ALLOWED, "Group '%s' is a system group and cannot hold user groups"
                       % parent.name)
    if child_id is not None and store.is_ancestor(child_id, parent.id):
        raise bad_parameter("Group '%s' cannot be moved under itself" % child_id)
    return parent.id


def add(ctx):
    p, store = ctx.params, ctx.store
    name = station_params.clean_text("name", p.required("name"))
    gid = p.first("id")
    if gid is None:
        gid = str(uuid.uuid1())
    elif not _GROUP_ID.match(gid):
        raise bad_parameter("Invalid group id '%s': use digits, Latin letters, '_', '-', '.'" % gid)
    if store.group(gid) is not None:
        raise ApiError(ERR_ALREADY_EXISTS, "Group '%s' already exists" % gid)
    parent_id = _parent(store, p.first("parent-group"))
    description = station_params.clean_text("description", p.first("description", ""))
    store.groups[gid] = Group(gid, name, 0, parent_id, description=description,
                              created_time=int(ctx.now), modified_time=int(ctx.now))
    store.touch()
    return view.group_id(ctx, gid)


def change(ctx):
    p, store = ctx.params, ctx.store
    group = _user_group(store, p.required("id"))
    name = p.first("name")
    if name is not None and not name.strip():
        raise bad_parameter("Parameter 'name' is empty")
    description = p.first("description")
    parent = p.first("parent-group")
    parent_id = _parent(store, parent, group.id) if parent is not None else group.parent_id
    if name is not None:
        group.name = station_params.clean_text("name", name)
    if description is not None:
        group.description = station_params.clean_text("description", description)
    # An empty parent-group makes the group a root group (4.1.3 docs).
    group.parent_id = parent_id
    group.modified_time = int(ctx.now)
    store.touch()
    return view.group_id(ctx, group.id)


def delete(ctx):
    """[emulator choice] SPEC is silent on what happens to a deleted group's content.

    Stations whose primary group goes move to Everyone and lose the membership; a group
    whose child groups are not deleted by the same request is refused, so a sub-tree goes
    in one request that names every group of it. Nothing changes unless every id is valid.
    """
    store = ctx.store
    groups = [store.require_group(gid) for gid in ctx.params.ids()]
    doomed = {g.id for g in groups}
    for group in groups:
        if group.system:
            raise ApiError(ERR_SYSTEM_GROUP, "Unable to remove group '%s': You cannot remove the system group"
                           % group.name)
        if any(child.id not in doomed for child in store.children(group.id)):
            raise ApiError(ERR_NOT_ALLOWED, "Unable to remove group '%s': it has child groups" % group.name)
    for group in groups:
        store.remove_group(group.id)
    return view.deleted(ctx, [g.id for g in groups])
