# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Newbie stations: finding them, reading their details, deciding and sending an action (drweb_newbie).

ESS 12/13 documents no call that lists newbies (stations/states.ds only counts them,
and the 4.1.3 "list by state" page is gone). Newbies sit in the
Newbies subgroup of the Status system group, whose id is not documented and is not
assumed here: the subgroup is found by name among the Status group's children.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.drweb.esuite.plugins.module_utils._client import ABSENT_STATES
from ansible_collections.drweb.esuite.plugins.module_utils._errors import (
    DrWebError,
    DrWebNotFoundError,
)
from ansible_collections.drweb.esuite.plugins.module_utils._groups import resolve_groups

STATUS_GROUP_ID = "48afe720-953c-4075-856c-361f3ff06b6d"
NEWBIES_GROUP_NAME = "Newbies"

# Repeated id= parameters keep the URL growing with every station; 500 ids of UUID
# length stay near 25 kB, which common reverse proxies still accept.
NEWBIES_INFO_CHUNK = 500

ACTIONS = ("approve", "reject", "cancelonconnect")

# The stations/state.ds answer of a station that waits for approval.
WAITING_STATE = "newbies"


def find_newbies_group(groups):
    """Pick the Newbies subgroup out of the Status group's children.

    ``groups`` is the ``group_list(parent=STATUS_GROUP_ID)`` answer. The name match is
    case-insensitive; when user groups of that name exist beside the system one (a
    type 0 group cannot sit under Status on a real server, but a defensive filter is
    cheap), the system group wins. Raises ``DrWebNotFoundError`` when there is none and
    ``DrWebError`` when the choice is still ambiguous.
    """
    wanted = NEWBIES_GROUP_NAME.lower()
    matches = [g for g in groups if (g.get("name") or "").strip().lower() == wanted]
    if len(matches) > 1:
        system = [g for g in matches if g.get("type") not in (None, 0)]
        if system:
            matches = system
    if not matches:
        names = ", ".join(sorted(g.get("name") or g.get("id") or "?" for g in groups)) or "none"
        raise DrWebNotFoundError(
            "Finding the newbies group failed: the Status group %s has no subgroup named %s "
            "(its subgroups: %s)." % (STATUS_GROUP_ID, NEWBIES_GROUP_NAME, names),
            obj=STATUS_GROUP_ID,
        )
    if len(matches) > 1:
        raise DrWebError(
            "Finding the newbies group failed: the Status group %s has %d subgroups named %s (%s)."
            % (STATUS_GROUP_ID, len(matches), NEWBIES_GROUP_NAME, ", ".join(g["id"] for g in matches)),
            obj=STATUS_GROUP_ID,
        )
    return matches[0]


def chunks(items, size=NEWBIES_INFO_CHUNK):
    """Yield consecutive slices of ``items`` holding at most ``size`` elements."""
    if size < 1:
        raise ValueError("chunk size must be positive")
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def merge_newbie_details(listed, details):
    """Join listing entries with their ``newbies-info`` details, keeping the listing order.

    Detail values win over listing values, except where the detail is ``None`` (the
    listing may know the login address or creation time the details leave out). A
    listed station without details keeps its listing fields only: it was most likely
    approved or rejected between the two requests.
    """
    by_id = dict((d.get("id"), d) for d in details)
    merged = []
    for station in listed:
        entry = dict(station)
        for key, value in (by_id.get(station.get("id")) or {}).items():
            if value is not None or key not in entry:
                entry[key] = value
        merged.append(entry)
    return merged


def list_newbies(client, limit=None, station_type=False, show_blocked=True, chunk_size=NEWBIES_INFO_CHUNK):
    """Return ``(newbies_group, listing)`` where ``listing["stations"]`` carry their details.

    Requests: one ``groups/list.ds``, ``ceil(n / PAGE_SIZE)`` ``stations-list.ds`` pages
    and ``ceil(n / chunk_size)`` ``newbies-info.ds`` calls.
    """
    group = find_newbies_group(client.group_list(parent=STATUS_GROUP_ID))
    listing = client.group_stations(group["id"], show_blocked=show_blocked, station_type=station_type, limit=limit)
    stations = listing.get("stations") or []
    details = []
    for ids in chunks([s["id"] for s in stations], chunk_size):
        details.extend(client.newbies_info(ids))
    result = dict(listing)
    result["stations"] = merge_newbie_details(stations, details)
    return group, result


def plan_newbie_action(station_id, state, action):
    """Decide whether a newbie ``action`` has to be sent for a station in ``state``.

    Returns ``(send, msg)``; ``msg`` explains a no-op and is ``None`` when the action is
    sent. Raises ``DrWebNotFoundError`` for a station the server does not know (or has
    deleted), so that a typo in an id never passes as "already done". The one exception
    is ``reject`` of a ``deleted`` station: rejecting may leave a newbie deleted (the
    server's outcome is undocumented), so that is "already rejected", and a second run
    of the same reject task stays green.

    cancelonconnect cancels an action the server queued for the station's next
    connection. The API does not say whether such an action is queued, so the rule is:
    sent (and reported as a change) whenever the station is still waiting for
    approval; for any other station there is nothing waiting to cancel.
    """
    if action not in ACTIONS:
        raise ValueError("unknown newbie action %r" % (action,))
    shown = state
    state = (state or "").strip().lower() or None
    if action == "reject" and state == "deleted":
        return False, "station %s is not waiting for approval (state: %s)" % (station_id, shown)
    if state is None or state in ABSENT_STATES:
        raise DrWebNotFoundError("Station %s does not exist." % station_id, obj=station_id)
    if state == WAITING_STATE:
        return True, None
    return False, "station %s is not waiting for approval (state: %s)" % (station_id, shown)


# (what the job is called in a failure message, msg after it ran, msg in check mode)
WORDING = {
    "approve": ("approving newbie station %(id)s into group %(group)s",
                "station %(id)s approved into group %(group)s",
                "station %(id)s would be approved into group %(group)s"),
    "reject": ("rejecting newbie station %(id)s",
               "station %(id)s rejected",
               "station %(id)s would be rejected"),
    "cancelonconnect": ("cancelling the queued action of newbie station %(id)s",
                        "queued action of station %(id)s cancelled",
                        "queued action of station %(id)s would be cancelled"),
}


def run_newbie_action(module):
    """The whole drweb_newbie task; exits the module."""
    p = module.params
    station_id = p["id"].strip()
    action = p["action"]
    group_ref = (p["group"] or "").strip()
    if not station_id:
        module.fail_json(msg="The id option must name a station.")
    if action == "approve" and not group_ref:
        module.fail_json(msg="The group option must name a group when action is approve.")
    if action != "approve" and p["group"] is not None:
        module.fail_json(msg="The group option only applies to action=approve; the server ignores it for %s." % action)

    result = dict(changed=False, id=station_id, action=action, task=None)
    with module.api_errors():
        group = None
        if action == "approve":
            found = resolve_groups(module.client, [group_ref])[group_ref]
            group = dict(id=found["id"], name=found.get("name"))
            result["group"] = group
        state = module.client.station_state([station_id]).get(station_id)
        result["state"] = state
        send, reason = plan_newbie_action(station_id, state, action)
        if not send:
            module.exit_json(msg=reason, **result)

        words = dict(id=station_id, group=group and (group.get("name") or group["id"]))
        params = dict(action=action, id=station_id)
        if group:
            params["group"] = group["id"]
        result["task"] = module.write(module.client.run_task, "newbies", context=WORDING[action][0] % words, **params)

    result["changed"] = True
    result["msg"] = WORDING[action][2 if module.check_mode else 1] % words
    module.exit_json(**result)
