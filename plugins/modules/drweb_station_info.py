#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: drweb_station_info
short_description: Read stations of a Dr.Web ESS Server by id, by group, or waiting for approval
version_added: 1.0.0
description:
  - Reads stations of a Dr.Web Enterprise Security Suite Server in one of three ways, chosen by
    exactly one of O(id), O(group) or O(newbies=true).
  - With O(id), the stations are read with C(stations/info.ds), 50 ids per request, asking only for the
    blocks named in O(include). Several ids in one request are not documented for that script, so an
    answer must hold exactly the stations asked for; when the server fails such a request, leaves stations
    out or sends others, those stations are read one per request. N stations cost ceil(N / 50) requests,
    or N + ceil(N / 50) when the server does not take batches.
  - O(products=true) adds what each station reports of its products with C(stations/products.ds) (several
    ids per request are documented there), 100 stations per request, so ceil(N / 100) requests more.
  - With O(group), the group's stations are read with C(groups/stations-list.ds), 1000 stations per
    page, fetching every page unless O(limit) stops earlier. A group of N stations costs
    ceil(N / 1000) requests when O(group) is an id; a group name costs the group-tree lookup first.
  - With O(newbies=true), the stations waiting for approval are read from the C(Newbies) subgroup
    of the C(Status) system group, found by name (its id differs between servers), then their
    details with C(stations/newbies-info.ds), 500 stations per request.
  - This module only reads; it never reports a change.
author:
  - drweb.esuite contributors (@drweb-esuite)
options:
  id:
    description:
      - Ids of the stations to read.
      - Mutually exclusive with O(group) and O(newbies).
    type: list
    elements: str
  include:
    description:
      - Extra blocks of station details to read with O(id); only the requested ones are asked for.
      - V(all) asks for every block.
      - V(station_type) needs a 13.0.1 or later server.
      - Only valid with O(id).
  products:
    description:
      - With O(id), also read the products each station reports (virus bases, agent, ...), each with its
        revision, the time of that revision and the state of the last update, as RV(stations[].products).
      - Needs a server that knows C(stations/products.ds) (documented from Dr.Web 13.0.1).
      - Only valid with O(id).
    type: bool
    default: false
  group:
    description:
      - Id or name of the group whose stations are read.
      - A name must match exactly one group in the group tree; use the id when several groups share a name.
      - Mutually exclusive with O(id) and O(newbies).
    type: str
  subgroups:
    description:
      - With O(group), also return the stations of its nested groups.
      - For system groups the server always returns all their stations.
    type: bool
    default: false
  show_blocked:
    description:
      - With O(group) or O(newbies), whether blocked stations are returned.
    type: bool
    default: true
  station_type:
    description:
      - With O(group) or O(newbies), also read each station's type
        (RV(stations[].station_type) and RV(stations[].station_type_info)).
      - Needs a 13.0.1 or later server.
    type: bool
    default: false
  newbies:
    description:
      - Read the stations waiting for approval, with their details.
      - Mutually exclusive with O(id) and O(group).
      - V(false) is the same as leaving the option out.
    type: bool
  limit:
    description:
      - With O(group) or O(newbies), return at most this many stations. Fewer stations cost fewer requests
        (pages are then no larger than O(limit)).
      - By default every station is returned.
    type: int
  missing:
    description:
      - What to do about a station id (O(id)) or a group (O(group)) that does not exist.
      - V(fail) fails the task and names it.
      - V(ignore) leaves it out of RV(stations) and lists it in RV(missing).
    type: str
    choices: [fail, ignore]
    default: fail
extends_documentation_fragment:
  - drweb.esuite.station_include
  - drweb.esuite.connection
  - drweb.esuite.connection.attributes
  - drweb.esuite.connection.info_module
notes:
  - The station password that C(stations/info.ds) returns in clear text is never returned; see
    RV(stations[].password).
  - "Text options are checked before any request, as for M(drweb.esuite.drweb_station). Limits, in characters: each
    entry of O(id) 128; O(group) 1024."
seealso:
  - module: drweb.esuite.drweb_station
    description: Manage a station's properties.
  - module: drweb.esuite.drweb_newbie
    description: Approve or reject a station that waits for approval.
'''

EXAMPLES = r'''
- name: Read two stations with their group membership and installed components
  drweb.esuite.drweb_station_info:
    api_url: https://drweb.example.com:9081
    api_username: "{{ vault_drweb_user }}"
    api_password: "{{ vault_drweb_password }}"
    id: [ws-0042, ws-0043]
    include: [group_membership, installed_components]
  register: info

- name: Read the virus-base and agent revisions a station reports, and how its last update went
  drweb.esuite.drweb_station_info:
    id: ws-0042
    products: true
  register: reported

- name: Read every block the server knows for one station, tolerating a removed station
  drweb.esuite.drweb_station_info:
    id: ws-0042
    include: all
    missing: ignore
  register: info

- name: List every station of the Accounting group and its subgroups
  drweb.esuite.drweb_station_info:
    group: Accounting
    subgroups: true
  register: accounting

- name: Show how many there are
  ansible.builtin.debug:
    msg: "{{ accounting.count }} of {{ accounting.total }} stations"

- name: Peek at the first 10 stations of a large group, without blocked ones
  drweb.esuite.drweb_station_info:
    group: 20e27d73-d21d-b211-a788-85419c46f0e6
    show_blocked: false
    limit: 10

- name: List the stations waiting for approval
  drweb.esuite.drweb_station_info:
    newbies: true
  register: waiting

- name: Approve the waiting stations that connect from the office network
  drweb.esuite.drweb_newbie:
    id: "{{ item.id }}"
    action: approve
    group: Office
  loop: "{{ waiting.stations | selectattr('address', 'search', '10\\.20\\.') | list }}"
  loop_control:
    label: "{{ item.id }}"
'''

RETURN = r'''
stations:
  description:
    - The stations read, always a list (empty when nothing matched).
    - Fields common to all modes are listed below; each mode adds its own.
    - With O(id) an entry has every field of a station's details (location, C(acl), C(connection), C(packages),
      C(config_url), C(block_begin_time), C(block_end_time), ...), plus one field per O(include) block
      (C(bases), C(components), C(group_membership), C(installed_components), C(keys), C(machines), C(modules),
      C(rights), C(running_components), C(station_type_info)).
    - With O(group) or O(newbies) an entry has the listing fields (C(login_addr), C(login_mac), C(create_time),
      C(block_begin), C(block_end), C(expires) as C(YYYYMMDDHHmmssSSS) strings, and C(station_type) and
      C(station_type_info) with O(station_type=true)).
    - With O(newbies=true) an entry also has the approval details (C(created_time), C(parent_id),
      C(parent_name), C(server), C(address)).
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: Id of the station.
      type: str
      sample: ws-0042
    name:
      description: Name of the station, as the server reports it.
      type: str
      sample: ACC-LAPTOP-7
    state:
      description: Numeric station state (0 offline, 1 online, 2 and 3 newbie states; see the server documentation).
      type: int
      sample: 1
    os_code:
      description: Operating system code.
      type: int
      sample: 35850247
    os_name:
      description: Operating system name.
      type: str
      sample: Windows 7 Professional x64
    last_seen_time:
      description: Last connection to the server, Unix seconds. Not returned with O(newbies=true) when the server leaves it out.
      type: int
      sample: 1699623066
    last_seen_addr:
      description: Address of the last connection.
      type: str
      sample: tcp://10.20.0.7:38066
    parent_id:
      description: Primary group id (with O(id) and O(newbies=true)).
      type: str
      sample: 20e27d73-d21d-b211-a788-85419c46f0e6
    parent_name:
      description: Primary group name (with O(id) and O(newbies=true)).
      type: str
      sample: Everyone
    password:
      description:
        - With O(id), V(********) when the station has a password and V(null) otherwise. The real
          password is never returned.
      type: str
      sample: "********"
    address:
      description: With O(newbies=true), the address the station asks for approval from.
      type: str
      sample: tcp://10.20.0.31:2193
    station_type:
      description: With O(station_type=true), the station type (V(0) full agent, V(1) virtual agent, V(2) scanning server).
      type: int
      sample: 0
    station_type_info:
      description:
        - With O(station_type=true) or O(include=station_type), the station type and the related stations
          (the scanning servers of a virtual agent and the other way round).
      type: dict
      sample: {"station_type": 1, "list": [{"id": "s1", "name": "SCAN-1", "station_type": 2}]}
    products:
      description:
        - With O(products=true), the products the station reports, as C(stations/products.ds) gives them
          (an empty list when it reports none).
        - C(revision) is the product's version (three digits, V(130) for 13.0) followed by the UTC time
          C(YYYYMMDDHHMMSS) of the revision; C(modified_time) is that time in Unix seconds.
        - C(state_code) is V(S) (normal), V(F) (the last update failed) or V(D) (the update is delayed), with the
          server's words in C(state).
      type: list
      elements: dict
      sample: [{"code": "10-drwbases", "name": "Dr.Web Virus Bases", "revision": "13020240101120000",
                "modified_time": 1704110400, "state_code": "S", "state": "Normal state"}]
    group_membership:
      description: With O(include=group_membership), every group the station belongs to.
      type: list
      elements: dict
      sample: [{"id": "20e27d73-d21d-b211-a788-85419c46f0e6", "name": "Everyone", "type": 1}]
  sample:
    - id: ws-0042
      name: ACC-LAPTOP-7
      state: 1
      os_code: 35850247
      os_name: Windows 7 Professional x64
      last_seen_time: 1699623066
      last_seen_addr: tcp://10.20.0.7:38066
      login_addr: 10.20.0.7
      login_mac: 08:00:27:17:16:f0
      create_time: "20231110132600486"
      block_begin: null
      block_end: null
      expires: null
total:
  description:
    - With O(group) or O(newbies), the number of stations the server reports for the group (it may exceed
      RV(count) when O(limit) is set).
    - With O(id), the number of stations found.
  returned: success
  type: int
  sample: 10000
count:
  description: Number of entries in RV(stations).
  returned: success
  type: int
  sample: 1000
group_id:
  description: With O(group) and O(newbies=true), the id of the group that was listed.
  returned: when O(group) or O(newbies=true) is used and the group exists
  type: str
  sample: 7ec98a70-5c83-11ea-512f-70a167e08535
missing:
  description: With O(missing=ignore), the station ids or the group that do not exist; otherwise empty.
  returned: success
  type: list
  elements: str
  sample: [ws-0099]
'''

from ansible_collections.drweb.esuite.plugins.module_utils._module import DrWebModule
from ansible_collections.drweb.esuite.plugins.module_utils._parser import STATION_INCLUDE_FLAGS
from ansible_collections.drweb.esuite.plugins.module_utils._station_info import run_station_info
from ansible_collections.drweb.esuite.plugins.module_utils._values import ID_LENGTH, REF_LENGTH, Text


def main(module_class=DrWebModule):
    run_station_info(module_class(
        argument_spec=dict(
            id=dict(type='list', elements=Text(ID_LENGTH)),
            include=dict(type='list', elements='str', default=[], choices=['all'] + list(STATION_INCLUDE_FLAGS)),
            products=dict(type='bool', default=False),
            group=dict(type=Text(REF_LENGTH)),
            subgroups=dict(type='bool', default=False),
            show_blocked=dict(type='bool', default=True),
            station_type=dict(type='bool', default=False),
            newbies=dict(type='bool'),
            limit=dict(type='int'),
            missing=dict(type='str', default='fail', choices=['fail', 'ignore']),
        ),
        mutually_exclusive=[('id', 'group')],
        # newbies=false counts as not set: _station_info.reading_mode checks that.
        required_one_of=[('id', 'group', 'newbies')],
        supports_check_mode=True,
    ))


if __name__ == '__main__':
    main()
