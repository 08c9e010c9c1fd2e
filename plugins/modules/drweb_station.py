#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: drweb_station
short_description: Create, update or delete a station on a Dr.Web ESS Server
version_added: 1.0.0
description:
  - Creates, updates or deletes a station (a protected computer) on a Dr.Web Enterprise Security Suite
    Server through its Web API, and keeps its location, contact, group, ACL, blocking and tariff
    settings as declared.
  - Options you leave out are never read, compared or changed.
  - The station is read once (C(stations/info.ds), with the group membership only when O(groups),
    O(parent_group) or O(rate) is set) and compared with the options you set. Lists are compared as sets.
    When nothing differs nothing is sent and the task reports no change.
  - Otherwise exactly one write is sent. An existing station gets one C(stations/change.ds) call that
    carries every changed field, group and ACL entry; a new station gets one C(stations/add.ds) call.
  - Option values are checked before the first request (ACL entries, dates, coordinates, country code,
    tariff names); group references are resolved before the write, so an unknown or ambiguous group
    fails the task without touching the station.
  - If the connection breaks while a write is in flight, the module reads the station again and sends
    only what is still missing (at most O(retries) times); it never repeats a write blindly.
author:
  - drweb.esuite contributors (@drweb-esuite)
options:
  # BEGIN station options: generated from plugins/module_utils/_station_fields.py by hack/gen_station_docs.py
  id:
    description:
      - Id of the station. Station ids are free-form strings, for example V(ws-0042) or a UUID.
    type: str
    required: true
  state:
    description:
      - V(present) creates the station if needed and applies the options you set.
      - V(absent) deletes the station (C(stations/delete.ds)); a station that does not exist is left alone. The server
        keeps deleted stations for C(stations/restore.ds). Only O(id) is used.
    type: str
    choices: [present, absent]
    default: present
  name:
    description:
      - Name of a new station. Without it the server names the station after its O(id).
      - The Web API cannot rename a station. If an existing station has another name the module warns and changes
        nothing because of it.
    type: str
  password:
    description:
      - Password the station's agent uses to connect to the server.
      - Must not be empty (an empty password makes the server generate a random one); omit the option to keep the
        current password.
      - Shown only masked, as V(********), in C(station) and C(diff); a password that will change shows as
        V(******** (changed\)) in the C(after) of C(diff).
    type: str
  update_password:
    description:
      - V(always) compares O(password) with the station's current password (the server returns it) and sets it when it
        differs. A server that does not return a station's password (for example for a station attached through a
        neighbour server) gets the password on every run.
      - V(on_create) sets O(password) only when the module creates the station.
    type: str
    choices: [always, on_create]
    default: always
  description:
    description:
      - Free-text description. An empty string clears it.
      - This and the other text fields are compared without leading and trailing white space.
    type: str
  country:
    description:
      - Country as an ISO 3166-1 alpha-2 code, for example V(DE); case does not matter. An empty string clears it.
    type: str
  province:
    description:
      - Province, state or region, for example V(Bavaria). An empty string clears it.
    type: str
  city:
    description:
      - City. An empty string clears it.
    type: str
  street:
    description:
      - Street address, for example V(Friedrichstrasse 1). An empty string clears it.
    type: str
  room:
    description:
      - Room, by number or name (V(2.14), V(Server room)). An empty string clears it.
    type: str
  floor:
    description:
      - Floor, for example V(3) or V(B1). An empty string clears it.
    type: str
  department:
    description:
      - Department that uses the station. An empty string clears it.
    type: str
  organization:
    description:
      - Organization (company or customer) that owns the station. An empty string clears it.
    type: str
  email:
    description:
      - Contact e-mail address. An empty string clears it.
    type: str
  latitude:
    description:
      - Latitude in decimal degrees, from V(-90) to V(90).
      - The server keeps six decimals, so values are compared to within 0.000001 degrees.
    type: float
  longitude:
    description:
      - Longitude in decimal degrees, from V(-180) to V(180).
      - The server keeps six decimals, so values are compared to within 0.000001 degrees.
    type: float
  user_id:
    description:
      - Identifier of the user the station belongs to (for billing integrations).
      - The Web API cannot read this field back, see O(update_write_only).
    type: str
  block_begin:
    description:
      - Start of the period in which the station is blocked.
      - Accepts V(YYYYMMDD), V(YYYYMMDDHHmmss) and ISO 8601 dates and date-times (V(2026-12-31),
        V(2026-12-31T18:00:00+01:00)). Times without an offset are UTC, the zone the server reports them in. V(0) or
        V(never) clears it.
      - Documented for ESS 10 (Web API 4.1); ESS 12 and 13 servers may ignore it.
    type: raw
  block_end:
    description:
      - End of the blocking period, in the forms of O(block_begin).
    type: raw
  expires:
    description:
      - Date the station's access to the server expires, in the forms of O(block_begin); V(0) or V(never) means
        unlimited.
      - The Web API cannot read this field back, see O(update_write_only).
    type: raw
  update_write_only:
    description:
      - How to treat O(expires) and O(user_id), which the Web API accepts but never returns, so no run can tell
        whether they already have the wanted value.
      - V(on_create) sends them only when the module creates the station; later runs leave them alone and stay
        idempotent.
      - V(always) sends them on every run, so every run reports a change.
    type: str
    choices: [always, on_create]
    default: on_create
  rate:
    description:
      - Tariff (license) group of the station, by group id. The basic tariffs may also be named V(Classic), V(Free),
        V(Mobile), V(Premium), V(Premium Server), V(Standard), V(Juridical Classic), V(Juridical Premium) or
        V(Juridical Standard) (case, V(Dr.Web) and V(_)/V(-) do not matter).
      - Another value is looked up as a group; an unknown one fails the task before any change.
      - Compared with the station's group membership, where the server lists the tariff group. A station has one
        tariff, so setting it replaces the previous tariff group.
    type: str
  parent_group:
    description:
      - Primary group of the station, by id or by name. The primary group must be a user group or V(Everyone).
      - When the primary group changes, the previous primary group stays an ordinary membership, unless
        O(purge_groups=true) and O(groups) does not list it.
    type: str
  groups:
    description:
      - Groups the station must belong to, by id or by name. A name must match exactly one group in the whole group
        tree; use the id when several groups share a name.
      - Only user groups can be joined; system groups (Status, Operating system, Transport, ...) are assigned by the
        server and are accepted here only when the station already belongs to them. V(Everyone) contains every station
        and is never listed.
      - References that are already memberships of the station cost no request; other ids are checked in one
        C(groups/info.ds) call, and names need one walk of the group tree (C(groups/list.ds) per level).
    type: list
    elements: str
  purge_groups:
    description:
      - With V(false), groups in O(groups) are added and other memberships are kept.
      - With V(true), the station leaves every other user group. It never leaves system groups, its primary group
        (O(parent_group) or the current one), or its tariff group (the O(rate) or any basic tariff group). Without
        O(groups) this option does nothing.
    type: bool
    default: false
  acl_priority:
    description:
      - Which list wins for an address found in both O(acl_allow) and O(acl_disallow), or in neither.
    type: str
    choices: [allow, deny]
  acl_allow:
    description:
      - Addresses the station may connect from, each as C([protocol/]address[/mask]).
      - The address is an IPv4 or IPv6 address or a DNS name; the mask is a prefix length (V(24)) or, for IPv4, a
        dotted mask (V(255.255.255.0)). Without a mask the entry is one host (V(/32) for IPv4 and names, V(/128) for
        IPv6).
      - The protocol is optional; only the TCP/IP family (spelled V(tcp), V(TCP/IP), V(ipv4), V(ipv6), ...) is
        accepted.
      - Entries are compared in canonical form, so V(10.0.0.1), V(10.0.0.1/32), V(tcp/10.0.0.1) and
        V(10.0.0.1/255.255.255.255) are the same entry.
    type: list
    elements: str
  acl_disallow:
    description:
      - Addresses the station may not connect from, in the form of O(acl_allow).
    type: list
    elements: str
  purge_acl:
    description:
      - With V(false), entries of O(acl_allow) and O(acl_disallow) are added and other entries are kept.
      - With V(true), each of the two lists that is set becomes exactly the given entries. A list that is not set is
        left alone; set it to V([]) to empty it.
      - Entries are deleted with the mask exactly as the server reports it, as the API requires.
    type: bool
    default: false
  # END station options
attributes:
  check_mode:
    details: Reads the station and resolves groups as a real run does, sends no write, and returns the predicted RV(station) and RV(diff).
  diff_mode:
    details: The diff holds only the options you set; lists are sorted, groups shown as C(name (id\)), the password masked.
extends_documentation_fragment:
  - drweb.esuite.connection
  - drweb.esuite.connection.attributes
  - drweb.esuite.connection.check_and_diff
notes:
  - The administrator needs the C(Work using Web API) privilege plus the privileges to view and edit
    station properties, to create, move and delete stations, as the task requires.
  - The station's primary group follows the server's rules for C(stations/change.ds) - a C(delete-group)
    of the current primary group is ignored, so the module only sends one together with a new primary group.
  - When a read still fails after O(retries), or a change may or may not have reached the server (the
    connection dropped after it was sent), the module starts again from a fresh read of the station, up to
    O(retries) more times, and sends only what that read shows is still missing. A change is never sent twice
    blindly; after the last attempt one more read tells whether the change landed.
  - "Before any request, every text option is checked. A list or a mapping, a control character (O(description) may
    hold tabs and line feeds) or a value longer than the option's limit fails the task with one sentence naming the
    option, and nothing is sent. The Web API documents no lengths; the limits keep every value of a station within
    the 8 KB request line that common servers and proxies accept."
  - "Limits, in characters: O(id) 128; O(description), O(parent_group) and each entry of O(groups) 1024; each entry
    of O(acl_allow) and O(acl_disallow) 300; O(email) 254; O(name), O(password), O(country), O(province), O(city),
    O(street), O(room), O(floor), O(department), O(organization), O(user_id) and O(rate) 255."
seealso:
  - module: drweb.esuite.drweb_stations
    description: Converge many stations in one task, several at a time over kept-alive connections.
  - module: drweb.esuite.drweb_station_info
    description: Read stations without changing them.
  - module: drweb.esuite.drweb_newbie
    description: Approve stations that wait for approval.
'''

EXAMPLES = r'''
- name: Manage stations with the connection set once
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/drweb.esuite.drweb:
      api_url: https://drweb.example.com:9081
      api_username: "{{ vault_drweb_user }}"
      api_password: "{{ vault_drweb_password }}"
      ca_path: /etc/pki/drweb/ca.pem
  tasks:
    - name: Create or update an accounting laptop
      drweb.esuite.drweb_station:
        id: ws-0042
        name: Accounting laptop 42
        password: "{{ vault_ws0042_password }}"
        update_password: on_create
        description: Accounting laptop
        country: DE
        city: Berlin
        street: Friedrichstrasse 1
        latitude: 52.520008
        longitude: 13.404954
        parent_group: Accounting
        groups:
          - Laptops
          - VPN users

    - name: Allow connections only from the office networks, nothing else
      drweb.esuite.drweb_station:
        id: ws-0042
        acl_priority: deny
        acl_allow:
          - 10.20.0.0/16
          - 192.168.10.0/255.255.255.0
          - 2001:db8:10::/48
          - vpn-gw.example.com
        acl_disallow: []
        purge_acl: true

    - name: Keep exactly these groups (system, primary and tariff groups stay)
      drweb.esuite.drweb_station:
        id: ws-0042
        groups:
          - Laptops
          - 73fcd996-d58b-465b-afca-200589f361e4
        purge_groups: true

    - name: Block a station over the holidays and move it to the Premium tariff
      drweb.esuite.drweb_station:
        id: ws-0042
        block_begin: "2026-12-24"
        block_end: "2027-01-02T06:00:00+01:00"
        rate: Premium

    - name: Preview a change without sending it
      drweb.esuite.drweb_station:
        id: ws-0042
        city: Munich
      check_mode: true
      diff: true
      register: preview

    - name: Delete a decommissioned station
      drweb.esuite.drweb_station:
        id: ws-0017
        state: absent

    # A loop runs the module once per station; drweb.esuite.drweb_stations converges a whole
    # list in one task, several stations at a time, and is the faster way for more than a few.
    - name: Converge stations kept in git, one task per station
      drweb.esuite.drweb_station:
        id: "{{ item.id }}"
        city: "{{ item.city }}"
        groups: "{{ item.groups }}"
      loop: "{{ stations_from_git }}"
      loop_control:
        label: "{{ item.id }}"
      vars:
        stations_from_git:
          - {id: ws-0101, city: Berlin, groups: [Accounting]}
          - {id: ws-0102, city: Hamburg, groups: [Sales]}
'''

RETURN = r'''
action:
  description:
    - What the task did, or in check mode would do - V(created), V(updated), V(unchanged) (already up to date),
      V(deleted) or V(absent) (already absent).
    - Use it rather than RV(msg) to tell outcomes apart.
  returned: success
  type: str
  sample: updated
msg:
  description: What happened, as C(station <id> created|updated|already up to date|deleted|already absent).
    Check mode reports what a real run would have done.
  returned: always
  type: str
  sample: station ws-0042 updated
station:
  description:
    - The station as it is after the task (in check mode, as it would be). Empty after O(state=absent).
    - Computed from the one read and the change sent, without a second read.
  returned: success
  type: dict
  contains:
    # BEGIN station return fields: generated from plugins/module_utils/_station_fields.py by hack/gen_station_docs.py
    id:
      description: Station id.
      type: str
      sample: ws-0042
    name:
      description: Station name.
      type: str
      sample: Accounting laptop 42
    password:
      description: V(********) when the station has a password, else V(null). Never the password itself.
      type: str
      sample: "********"
    description:
      description: Description.
      type: str
    country:
      description: ISO 3166-1 alpha-2 country code.
      type: str
      sample: DE
    province:
      description: Province.
      type: str
      sample: Bavaria
    city:
      description: City.
      type: str
      sample: Berlin
    street:
      description: Street.
      type: str
      sample: Friedrichstrasse 1
    room:
      description: Room.
      type: str
      sample: "2.14"
    floor:
      description: Floor.
      type: str
      sample: B1
    department:
      description: Department.
      type: str
    organization:
      description: Organization.
      type: str
      sample: Example Corp
    email:
      description: E-mail address.
      type: str
    latitude:
      description: Latitude in decimal degrees.
      type: float
      sample: 52.520008
    longitude:
      description: Longitude in decimal degrees.
      type: float
      sample: 13.404954
    user_id:
      description: The user id sent in this run. The server cannot report it.
      type: str
      returned: when the module sent O(user_id)
    block_begin:
      description: Start of the blocking period, ISO 8601 in UTC, or V(null).
      type: str
      sample: "2026-12-24T00:00:00Z"
    block_end:
      description: End of the blocking period, ISO 8601 in UTC, or V(null).
      type: str
    expires:
      description: The expiry date sent in this run (ISO 8601, UTC; V(null) for unlimited). The server cannot report it.
      type: str
      returned: when the module sent O(expires)
    rate:
      description: Id of the tariff group found in the membership; V(null) when there is none or the membership was not read.
      type: str
      sample: 91644cc3-1dc1-42dc-a41e-5ea001f5538d
    parent_group:
      description: Id of the primary group.
      type: str
      sample: 73fcd996-d58b-465b-afca-200589f361e4
    groups:
      description:
        - Ids of every group the station belongs to (primary, user, tariff and the system groups the server lists),
          sorted.
        - V(Everyone) is implicit and not listed.
        - V(null) when the task did not read the membership (none of O(groups), O(parent_group), O(rate) set).
      type: list
      elements: str
    acl_priority:
      description: V(allow) or V(deny).
      type: str
      sample: allow
    acl_allow:
      description: Allowed addresses in canonical form C(address/prefix), sorted.
      type: list
      elements: str
      sample: [10.20.0.0/16, 2001:db8:10::/48]
    acl_disallow:
      description: Denied addresses in canonical form, sorted.
      type: list
      elements: str
      sample: []
    # END station return fields
    parent_name:
      description: Name of the primary group.
      type: str
      sample: Accounting
    group_membership:
      description: The same groups with their names and types (V(0) user group, other values system groups).
      type: list
      elements: dict
      sample: [{"id": "73fcd996-d58b-465b-afca-200589f361e4", "name": "Accounting", "type": 0}]
    state:
      description: The server's numeric station state code (V(null) for a station created by this task).
      type: int
    created_time:
      description: Creation time, Unix seconds.
      type: int
    modified_time:
      description: Last modification time before this task, Unix seconds.
      type: int
    last_seen_time:
      description: Last connection time, Unix seconds.
      type: int
    last_seen_addr:
      description: Address of the last connection.
      type: str
    os_name:
      description: Operating system.
      type: str
diff:
  description:
    - C(before) and C(after) of the options you set, with lists sorted and the password masked.
    - "C(before_header) and C(after_header) name the station, so that Ansible prints C(--- before: ws-0042)."
    - C(before) is empty when the station is created.
    - "A field the server cannot report (O(expires), O(user_id)) shows as C((write-only: not readable\\)) in C(before)."
  returned: success
  type: dict
  sample:
    before: {"city": "Berlin", "groups": ["Accounting (73fcd996-d58b-465b-afca-200589f361e4)"], "password": "********"}
    after: {"city": "Munich", "groups": ["Accounting (73fcd996-d58b-465b-afca-200589f361e4)", "Laptops (g-laptops)"],
            "password": "******** (changed)"}
maybe_applied:
  description:
    - V(true) when the task failed after a change was sent whose answer never came (the connection dropped
      after the request left), so the change may or may not be on the server.
    - C(changed) is then V(true) as well, so that the failure never reads as "nothing changed"; the next run
      reads the station and shows what the server holds.
  returned: on failure, when a change may have been applied
  type: bool
  sample: true
errno:
  description: On failure, the error number of the server's answer, when it gave one.
  returned: on failure, when the server gave an errno
  type: int
  sample: 1003
server_message:
  description: On failure, the message of the server's answer, when it gave one.
  returned: on failure, when the server gave a message
  type: str
  sample: Invalid or missing parameter
'''

from ansible_collections.drweb.esuite.plugins.module_utils._module import DrWebModule
from ansible_collections.drweb.esuite.plugins.module_utils._station_converge import run_station
from ansible_collections.drweb.esuite.plugins.module_utils._station_fields import STATION_ARGUMENT_SPEC


def main(module_class=DrWebModule):
    run_station(module_class(argument_spec=STATION_ARGUMENT_SPEC, supports_check_mode=True))


if __name__ == '__main__':
    main()
