#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: drweb_stations
short_description: Converge many stations on a Dr.Web ESS Server in one task
version_added: 1.0.0
description:
  - Brings every station of O(stations) to its declared state, exactly as M(drweb.esuite.drweb_station) does
    for one station, in one module run. Each station costs the same requests as with M(drweb.esuite.drweb_station)
    (one read when nothing differs, one read and one write when something does), but the run pays the
    start-up of a module process once instead of once per station, keeps its connections to the server
    alive, and works on O(concurrency) stations at a time.
  - Use it to converge a fleet kept in git; use M(drweb.esuite.drweb_station) for single stations.
  - Every entry of O(stations) is checked before the first request. If any entry is invalid, or two entries
    name the same station, the task fails listing every problem and sends nothing.
  - A failure that concerns one station (an error answer from the server, an unknown group or tariff) fails
    that station only; the others are still converged, and the task fails at the end, naming each failed station.
    A failure of the connection itself (credentials, TLS, a server that does not answer or does not answer
    as the Web API) stops the run; stations not yet started are reported as V(skipped).
  - Group names are looked up with one walk of the group tree for the whole run, not one per station.
author:
  - drweb.esuite contributors (@drweb-esuite)
options:
  stations:
    description:
      - The stations to converge. Each entry takes the options of M(drweb.esuite.drweb_station), with the same
        meaning and defaults; options an entry leaves out are never read, compared or changed for that station.
      - Station ids must be unique within the list.
    type: list
    elements: dict
    required: true
    suboptions:
      # BEGIN station suboptions: generated from plugins/module_utils/_station_fields.py by hack/gen_station_docs.py
      id:
        description:
          - Id of the station. Station ids are free-form strings, for example V(ws-0042) or a UUID. More in
            O(drweb.esuite.drweb_station#module:id).
        type: str
        required: true
      state:
        description:
          - V(present) creates the station if needed and applies the options you set. More in
            O(drweb.esuite.drweb_station#module:state).
        type: str
        choices: [present, absent]
        default: present
      name:
        description:
          - Name of a new station. Without it the server names the station after its O(stations[].id). More in
            O(drweb.esuite.drweb_station#module:name).
        type: str
      password:
        description:
          - Password the station's agent uses to connect to the server. More in
            O(drweb.esuite.drweb_station#module:password).
        type: str
      update_password:
        description:
          - V(always) compares O(stations[].password) with the station's current password (the server returns it) and
            sets it when it differs. A server that does not return a station's password (for example for a station
            attached through a neighbour server) gets the password on every run. More in
            O(drweb.esuite.drweb_station#module:update_password).
        type: str
        choices: [always, on_create]
        default: always
      description:
        description:
          - Free-text description. An empty string clears it. More in
            O(drweb.esuite.drweb_station#module:description).
        type: str
      country:
        description:
          - Country as an ISO 3166-1 alpha-2 code, for example V(DE); case does not matter. An empty string clears it.
            More in O(drweb.esuite.drweb_station#module:country).
        type: str
      province:
        description:
          - Province, state or region, for example V(Bavaria). An empty string clears it. More in
            O(drweb.esuite.drweb_station#module:province).
        type: str
      city:
        description:
          - City. An empty string clears it. More in O(drweb.esuite.drweb_station#module:city).
        type: str
      street:
        description:
          - Street address, for example V(Friedrichstrasse 1). An empty string clears it. More in
            O(drweb.esuite.drweb_station#module:street).
        type: str
      room:
        description:
          - Room, by number or name (V(2.14), V(Server room)). An empty string clears it. More in
            O(drweb.esuite.drweb_station#module:room).
        type: str
      floor:
        description:
          - Floor, for example V(3) or V(B1). An empty string clears it. More in
            O(drweb.esuite.drweb_station#module:floor).
        type: str
      department:
        description:
          - Department that uses the station. An empty string clears it. More in
            O(drweb.esuite.drweb_station#module:department).
        type: str
      organization:
        description:
          - Organization (company or customer) that owns the station. An empty string clears it. More in
            O(drweb.esuite.drweb_station#module:organization).
        type: str
      email:
        description:
          - Contact e-mail address. An empty string clears it. More in O(drweb.esuite.drweb_station#module:email).
        type: str
      latitude:
        description:
          - Latitude in decimal degrees, from V(-90) to V(90). More in O(drweb.esuite.drweb_station#module:latitude).
        type: float
      longitude:
        description:
          - Longitude in decimal degrees, from V(-180) to V(180). More in
            O(drweb.esuite.drweb_station#module:longitude).
        type: float
      user_id:
        description:
          - Identifier of the user the station belongs to (for billing integrations). More in
            O(drweb.esuite.drweb_station#module:user_id).
        type: str
      block_begin:
        description:
          - Start of the period in which the station is blocked. More in
            O(drweb.esuite.drweb_station#module:block_begin).
        type: raw
      block_end:
        description:
          - End of the blocking period, in the forms of O(stations[].block_begin). More in
            O(drweb.esuite.drweb_station#module:block_end).
        type: raw
      expires:
        description:
          - Date the station's access to the server expires, in the forms of O(stations[].block_begin); V(0) or
            V(never) means unlimited. More in O(drweb.esuite.drweb_station#module:expires).
        type: raw
      update_write_only:
        description:
          - How to treat O(stations[].expires) and O(stations[].user_id), which the Web API accepts but never returns,
            so no run can tell whether they already have the wanted value. More in
            O(drweb.esuite.drweb_station#module:update_write_only).
        type: str
        choices: [always, on_create]
        default: on_create
      rate:
        description:
          - Tariff (license) group of the station, by group id. The basic tariffs may also be named V(Classic),
            V(Free), V(Mobile), V(Premium), V(Premium Server), V(Standard), V(Juridical Classic), V(Juridical Premium)
            or V(Juridical Standard) (case, V(Dr.Web) and V(_)/V(-) do not matter). More in
            O(drweb.esuite.drweb_station#module:rate).
        type: str
      parent_group:
        description:
          - Primary group of the station, by id or by name. The primary group must be a user group or V(Everyone).
            More in O(drweb.esuite.drweb_station#module:parent_group).
        type: str
      groups:
        description:
          - Groups the station must belong to, by id or by name. A name must match exactly one group in the whole
            group tree; use the id when several groups share a name. More in
            O(drweb.esuite.drweb_station#module:groups).
        type: list
        elements: str
      purge_groups:
        description:
          - With V(false), groups in O(stations[].groups) are added and other memberships are kept. More in
            O(drweb.esuite.drweb_station#module:purge_groups).
        type: bool
        default: false
      acl_priority:
        description:
          - Which list wins for an address found in both O(stations[].acl_allow) and O(stations[].acl_disallow), or in
            neither. More in O(drweb.esuite.drweb_station#module:acl_priority).
        type: str
        choices: [allow, deny]
      acl_allow:
        description:
          - Addresses the station may connect from, each as C([protocol/]address[/mask]). More in
            O(drweb.esuite.drweb_station#module:acl_allow).
        type: list
        elements: str
      acl_disallow:
        description:
          - Addresses the station may not connect from, in the form of O(stations[].acl_allow). More in
            O(drweb.esuite.drweb_station#module:acl_disallow).
        type: list
        elements: str
      purge_acl:
        description:
          - With V(false), entries of O(stations[].acl_allow) and O(stations[].acl_disallow) are added and other
            entries are kept. More in O(drweb.esuite.drweb_station#module:purge_acl).
        type: bool
        default: false
      # END station suboptions
  scope:
    description:
      - Groups, as ids, names or paths (V(Berlin/Kiosks)), whose stations O(stations) must name; each takes
        every user group below it along (the walked tree finds them, so no C(subgroups) flag is sent), and a
        system group such as Everyone takes every station the server puts in it.
      - A station counts as listed when any entry of O(stations) names it, with O(stations[].state=present)
        or V(absent). Used by O(unlisted).
    type: list
    elements: str
  unlisted:
    description:
      - What to do with the stations of O(scope) that O(stations) does not name.
      - V(ignore) does not look. V(report) returns them in RV(unlisted). V(absent) also deletes them, after every
        listed station converged, one C(stations/delete.ds) per 50 stations, and only predicts in check mode.
      - The scope is listed before any write (C(groups/stations-list.ds), every page, once per group of the scope).
    type: str
    choices: [ignore, report, absent]
    default: ignore
  unlisted_max:
    description:
      - With O(unlisted=absent), the most stations the task may delete as unlisted. With more, the task fails
        before it writes anything, naming the count, because an empty or truncated list must never wipe a fleet.
    type: int
    default: 10
  planned_groups:
    description:
      - In check mode only, groups a M(drweb.esuite.drweb_groups) task of the same run would create, rename or move
        (its RV(drweb.esuite.drweb_groups#module:groups[].group) values), so that stations and O(scope) can
        name them before they exist. Ignored outside check mode, where the server is asked.
    type: list
    elements: dict
  concurrency:
    description:
      - How many stations are converged at the same time, each over its own kept-alive connection.
      - V(1) converges them one after the other. Raise it for large fleets only as far as the server copes;
        every station still costs its own requests.
    type: int
    default: 4
  return_station:
    description:
      - Which entries of RV(stations) carry the station as it is after the task (RV(stations[].station)).
      - V(always) gives it for every station that did not fail.
      - V(changed) gives it only for stations that changed (or would, in check mode); an unchanged station's entry
        is then its RV(stations[].id), RV(stations[].action), RV(stations[].changed) and RV(stations[].msg).
      - Meant for large fleets, where Ansible copies, templates and keeps for C(register) every station's details;
        a no-op converge of 10,000 stations is 15 to 20 % faster with it (C(benchmarks/bulk_scale.py)).
        The C(drweb.esuite.stations) role uses it.
    type: str
    choices: [always, changed]
    default: always
    version_added: 1.1.0
attributes:
  check_mode:
    details: Reads every station and resolves groups as a real run does, sends no write, and returns the predicted outcome.
  diff_mode:
    details: One before/after pair per station that changes (or would change), headed by its id, as in M(drweb.esuite.drweb_station).
extends_documentation_fragment:
  - drweb.esuite.connection
  - drweb.esuite.connection.attributes
  - drweb.esuite.connection.check_and_diff
notes:
  - Retries work per station as in M(drweb.esuite.drweb_station); a station whose change may or may not have
    reached the server is read again before anything else is sent for it.
  - The stations are converged in no particular order, but RV(stations) lists them in the order of O(stations).
  - "Every entry of O(stations) is checked before any request, as the options of M(drweb.esuite.drweb_station) are,
    and each problem names the entry, for example V(stations[3] (ws-0004\\): city must be a string, not a mapping.).
    Limits, in characters: each entry of O(scope) 1024."
seealso:
  - module: drweb.esuite.drweb_station
    description: The same for one station, with every option described in full.
  - module: drweb.esuite.drweb_station_info
    description: Read stations without changing them.
'''

EXAMPLES = r'''
- name: Converge the stations kept in git, 8 at a time
  drweb.esuite.drweb_stations:
    api_url: https://drweb.example.com:9081
    api_username: "{{ vault_drweb_user }}"
    api_password: "{{ vault_drweb_password }}"
    ca_path: /etc/pki/drweb/ca.pem
    concurrency: 8
    stations:
      - id: ws-0101
        city: Berlin
        groups: [Accounting]
      - id: ws-0102
        city: Hamburg
        groups: [Sales, Laptops]
        purge_groups: true
      - id: ws-0017
        state: absent
  register: fleet

- name: Show what changed
  ansible.builtin.debug:
    msg: "{{ fleet.stations | selectattr('changed') | map(attribute='msg') | list }}"

- name: Preview the whole fleet without sending anything
  drweb.esuite.drweb_stations:
    stations: "{{ lookup('ansible.builtin.file', 'stations.yml') | from_yaml }}"
  check_mode: true
  diff: true
'''

RETURN = r'''
msg:
  description:
    - "C(<n> stations: <n> created, <n> updated, <n> deleted, <n> unchanged); when stations failed or were skipped,
      C(<n> of <n> stations failed: ...) naming the first five failed stations and their errors, then how many more
      (RV(stations) holds every one)."
  returned: always
  type: str
  sample: "200 stations: 1 created, 3 updated, 0 deleted, 196 unchanged"
summary:
  description: How many stations ended with each RV(stations[].action).
  returned: always
  type: dict
  sample: {"created": 1, "updated": 3, "unchanged": 196, "deleted": 0, "absent": 0, "failed": 0, "skipped": 0}
stations:
  description: One entry per entry of O(stations), in the same order.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The station's id, as in O(stations[].id).
      type: str
      sample: ws-0101
    action:
      description:
        - V(created), V(updated), V(unchanged), V(deleted), V(absent) (already absent) as for
          M(drweb.esuite.drweb_station), or V(failed), or V(skipped) (not started because the run stopped).
      type: str
      sample: updated
    changed:
      description:
        - Whether the station was changed (would be, in check mode).
        - V(true) for a failed station whose change may have been applied (RV(stations[].maybe_applied)).
      type: bool
    msg:
      description: The one-sentence outcome, as RV(drweb.esuite.drweb_station#module:msg) or the error.
      type: str
      sample: station ws-0101 updated
    station:
      description:
        - The station after the task, as RV(drweb.esuite.drweb_station#module:station).
        - Absent when failed or skipped, and for an unchanged station when O(return_station=changed).
      type: dict
    errno:
      description: For a failed station, as RV(drweb.esuite.drweb_station#module:errno).
      type: int
    server_message:
      description: For a failed station, as RV(drweb.esuite.drweb_station#module:server_message).
      type: str
    maybe_applied:
      description:
        - For a failed station, as RV(drweb.esuite.drweb_station#module:maybe_applied) - the change may have reached
          the server, and RV(stations[].changed) is V(true).
      type: bool
diff:
  description:
    - One C(before)/C(after) pair per station that changed or would change, in the form of
      M(drweb.esuite.drweb_station)'s diff, with C(before_header)/C(after_header) naming the station;
      an unlisted station that O(unlisted=absent) deletes is headed C(<id> (not listed)).
  returned: success
  type: list
  elements: dict
unlisted:
  description:
    - The stations of O(scope) that O(stations) does not name (deleted, or to be deleted in check mode, with
      O(unlisted=absent) when RV(msg) says so).
  returned: when O(unlisted) is V(report) or V(absent)
  type: list
  elements: dict
  contains:
    id:
      description: Station id.
      type: str
      sample: ws-0999
    name:
      description: Station name.
      type: str
      sample: KIOSK-0999
    groups:
      description: The groups of the scope (paths) the station was found in.
      type: list
      elements: str
      sample: [Berlin/Kiosks]
'''

from ansible_collections.drweb.esuite.plugins.module_utils._drift import DRIFT_ARGUMENT_SPEC
from ansible_collections.drweb.esuite.plugins.module_utils._module import DrWebModule
from ansible_collections.drweb.esuite.plugins.module_utils._station_fields import STATION_ARGUMENT_SPEC
from ansible_collections.drweb.esuite.plugins.module_utils._stations_bulk import converge_stations


def main(module_class=DrWebModule):
    converge_stations(module_class(
        argument_spec=dict(
            stations=dict(type='list', elements='dict', required=True, options=STATION_ARGUMENT_SPEC),
            concurrency=dict(type='int', default=4),
            return_station=dict(type='str', choices=['always', 'changed'], default='always'),
            **DRIFT_ARGUMENT_SPEC
        ),
        supports_check_mode=True,
    ))


if __name__ == '__main__':
    main()
