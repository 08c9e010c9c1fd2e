# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""server/* scripts."""

from ..errors import NO_PRIVILEGE, bad_parameter
from ..views import server as view
from ..constants import EVERYONE

_ACTIONS = ("approve", "reject", "cancelonconnect")


def tasks(ctx):
    task_id = ctx.params.required("task-id")
    if ctx.readonly and task_id in ("update_repositories", "newbies"):
        # As the 12/13 samples show it: HTTP 200, envelope status true, the job failed.
        return view.task(ctx, task_id, False, NO_PRIVILEGE)
    if task_id == "update_repositories":
        ctx.store.start_update()
        return view.task(ctx, task_id, True)
    if task_id == "newbies":
        message = _newbie_task(ctx)
        return view.task(ctx, task_id, message is None, message or "")
    raise bad_parameter("Invalid value '%s' of parameter 'task-id': expected newbies or update_repositories"
                        % task_id)


def _newbie_task(ctx):
    """Apply a newbie action; job failures are messages, the envelope stays `true` (SPEC §3.8)."""
    p, store = ctx.params, ctx.store
    action = (p.first("action") or "").strip()
    if not action:
        return "Action is not specified"
    if action not in _ACTIONS:
        return "Unknown action '%s'" % action
    group = None
    if action == "approve":
        gid = (p.first("group") or "").strip()
        if not gid:
            return "Group ID is not specified"
        group = store.group(gid)
        if group is None:
            return "Group is not found"
        if group.system and group.id != EVERYONE:
            return "Group '%s' is a system group" % group.name
    sid = (p.first("id") or "").strip()
    if not sid:
        return "Station ID is not specified"
    station = store.station(sid)
    if station is None or station.status == "deleted":
        return "Station '%s' is not found" % sid
    if station.status != "newbies":
        return "Station '%s' is not a newbie" % sid
    station.onconnect = ""
    if action == "approve":
        station.status = "offline"
        station.parent_id = group.id
        if group.id != EVERYONE and group.id not in station.groups:
            store.set_groups(station, station.groups + [group.id])
    elif action == "reject":
        # [emulator choice] a rejected newbie ends up deleted (state.ds says "deleted").
        station.status = "deleted"
    station.modified_time = int(ctx.now)
    store.touch()
    return None


def repository_status(ctx):
    return view.repository_status(ctx, ctx.store.repository_status())


def repository_products(ctx):
    ctx.store.repository_status()   # finish an update whose time is up
    return view.repositories(ctx, list(ctx.store.repositories.values()))
