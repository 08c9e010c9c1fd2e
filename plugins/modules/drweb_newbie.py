#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: drweb_newbie
short_description: Approve or reject a station waiting for approval on a Dr.Web ESS Server
version_added: 1.0.0
description:
  - Approves, rejects, or cancels the queued action of a station that waits for approval (a "newbie")
    on a Dr.Web Enterprise Security Suite Server, with the C(server/tasks.ds?task-id=newbies) job.
  - The station's state is read first (C(stations/state.ds)). A station that is no longer waiting is
    left alone and the module reports no change, naming the state the station is in.
  - A station the server does not know, or has deleted, fails the task, so that a mistyped id never
    passes as done. The exception is O(action=reject) of a deleted station. Rejecting can leave a station
    deleted, so it counts as already rejected and reports no change.
  - For O(action=approve) the target O(group) is resolved before anything is sent, so an unknown or
    ambiguous group fails the task without touching the station.
  - The job can fail although the server's answer says success (for example C(Group is not found) or
    C(Not enough privileges to perform the operation)); the module then fails with the server's message.
author:
  - drweb.esuite contributors (@drweb-esuite)
options:
  id:
    description:
      - Id of the station waiting for approval.
    type: str
    required: true
  action:
    description:
      - V(approve) lets the station connect and puts it into O(group).
      - V(reject) refuses the station.
      - V(cancelonconnect) cancels the action the server has queued for the station's next connection.
        The API does not tell whether such an action is queued, so the job is sent, and reported as a
        change, whenever the station is still waiting for approval; for any other station nothing is sent.
    type: str
    required: true
    choices: [approve, reject, cancelonconnect]
  group:
    description:
      - Id or name of the group the approved station goes to. Required with O(action=approve) and not
        accepted with the other actions.
      - A name must match exactly one group in the group tree; use the id when several groups share a name.
      - Whether an already approved station sits in this group is not checked; manage its groups with
        M(drweb.esuite.drweb_station).
    type: str
attributes:
  check_mode:
    details: Reads the station's state and resolves the group as in a real run, then reports the change without sending the job.
extends_documentation_fragment:
  - drweb.esuite.connection
  - drweb.esuite.connection.attributes
  - drweb.esuite.connection.check_only
notes:
  - The administrator needs the C(Approve newbies) privilege besides C(Work using Web API).
  - "Text options are checked before any request, as for M(drweb.esuite.drweb_station). Limits, in characters: O(id)
    128; O(group) 1024."
seealso:
  - module: drweb.esuite.drweb_station_info
    description: List the stations waiting for approval with O(drweb.esuite.drweb_station_info#module:newbies=true).
'''

EXAMPLES = r'''
- name: Approve a station into the Accounting group
  drweb.esuite.drweb_newbie:
    api_url: https://drweb.example.com:9081
    api_username: "{{ vault_drweb_user }}"
    api_password: "{{ vault_drweb_password }}"
    id: 7ec98a70-5c83-11ea-512f-70a167e08535
    action: approve
    group: Accounting

- name: Reject a station that asked for approval from outside the office
  drweb.esuite.drweb_newbie:
    id: ws-unknown-17
    action: reject

- name: Cancel what the server would do when the station connects next
  drweb.esuite.drweb_newbie:
    id: ws-0042
    action: cancelonconnect

- name: Approve every waiting station into a quarantine group
  block:
    - name: List the waiting stations
      drweb.esuite.drweb_station_info:
        newbies: true
      register: waiting

    - name: Approve them
      drweb.esuite.drweb_newbie:
        id: "{{ item.id }}"
        action: approve
        group: 7ec98a70-5c83-11ea-512f-70a167e08535
      loop: "{{ waiting.stations }}"
      loop_control:
        label: "{{ item.id }}"
'''

RETURN = r'''
msg:
  description: What was done, or why nothing was done.
  returned: always
  type: str
  sample: "station ws-0042 is not waiting for approval (state: online)"
id:
  description: The station id.
  returned: success
  type: str
  sample: ws-0042
action:
  description: The requested action.
  returned: success
  type: str
  sample: approve
state:
  description: The station's state (from C(stations/state.ds)) before the module acted; V(newbies) means waiting for approval.
  returned: success
  type: str
  sample: newbies
group:
  description: With O(action=approve), the group the station is approved into.
  returned: success and O(action=approve)
  type: dict
  contains:
    id:
      description: Id of the group, also when O(group) named it by name.
      type: str
      sample: 7ec98a70-5c83-11ea-512f-70a167e08535
    name:
      description: Name of the group, as the server reports it.
      type: str
      sample: Accounting
task:
  description: The server's answer to the job; V(null) when nothing was sent (no change, or check mode).
  returned: success
  type: dict
  sample: {"id": "newbies", "status": "success", "message": null}
'''

from ansible_collections.drweb.esuite.plugins.module_utils._module import DrWebModule
from ansible_collections.drweb.esuite.plugins.module_utils._newbies import ACTIONS, run_newbie_action
from ansible_collections.drweb.esuite.plugins.module_utils._values import ID_LENGTH, REF_LENGTH, Text


def main(module_class=DrWebModule):
    run_newbie_action(module_class(
        argument_spec=dict(
            id=dict(type=Text(ID_LENGTH), required=True),
            action=dict(type='str', required=True, choices=list(ACTIONS)),
            group=dict(type=Text(REF_LENGTH)),
        ),
        required_if=[('action', 'approve', ('group',))],
        supports_check_mode=True,
    ))


if __name__ == '__main__':
    main()
