# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Group membership rules of stations/add and stations/change (SPEC §3.3).

* `parent-group` switches the primary group; the old primary stays a member unless
  the same request deletes it.
* `delete-group` naming the current primary group is silently ignored.
* `rate` (tariff) [emulator choice]: the station joins that tariff group and leaves
  any other tariff group; a tariff primary group follows the switch.
* Everyone is implicit: adding it is a no-op and it never shows as a membership.

Everything is validated before anything changes, so a bad id leaves the station as it was.
"""

from dataclasses import dataclass, field

from .constants import EVERYONE
from .errors import ERR_NOT_ALLOWED, ApiError, bad_parameter


@dataclass
class Plan:
    parent: object = None
    add: list = field(default_factory=list)
    delete: list = field(default_factory=list)
    rate: object = None


def target_group(store, gid):
    """A group a station may be put into: a user or tariff group, or Everyone."""
    group = store.require_group(gid)
    if group.system and group.id != EVERYONE:
        raise ApiError(ERR_NOT_ALLOWED, "Group '%s' is a system group; stations cannot be placed in it"
                       % group.name)
    return group


def make_plan(store, parent_id=None, add_ids=(), delete_ids=(), rate_id=None):
    plan = Plan()
    if parent_id is not None:
        if not parent_id.strip():
            raise bad_parameter("Parameter 'parent-group' is empty")
        plan.parent = target_group(store, parent_id.strip())
    plan.add = [target_group(store, gid.strip()) for gid in add_ids if gid.strip()]
    plan.delete = [store.require_group(gid.strip()) for gid in delete_ids if gid.strip()]
    if rate_id is not None:
        rate = store.require_group(rate_id.strip())
        if not rate.tariff:
            raise bad_parameter("Group '%s' is not a tariff group" % rate_id)
        plan.rate = rate
    return plan


def apply(store, station, plan):
    groups = list(station.groups)
    additions = list(plan.add)
    if plan.parent is not None:
        station.parent_id = plan.parent.id
        additions.insert(0, plan.parent)
    if plan.rate is not None:
        others = [gid for gid in groups if gid != plan.rate.id and store.group(gid).tariff]
        groups = [gid for gid in groups if gid not in others]
        if station.parent_id in others:
            station.parent_id = plan.rate.id
        additions.append(plan.rate)
    for group in additions:
        if group.id != EVERYONE and group.id not in groups:
            groups.append(group.id)
    for group in plan.delete:
        if group.id == station.parent_id:
            continue
        if group.id in groups:
            groups.remove(group.id)
    store.set_groups(station, groups)
