#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: drweb_repo_update
short_description: Update the repository of a Dr.Web ESS Server from the update servers
version_added: 1.0.0
description:
  - Starts an update of the repository of a Dr.Web Enterprise Security Suite Server (virus bases, agents,
    server components) with the C(server/tasks.ds?task-id=update_repositories) job.
  - The repository status (C(server/repository-status.ds)) is read first. When an update is already
    running, none is started and the module reports no change, unless O(force=true).
  - With O(wait=true) the module polls the status until the server reports C(ready), then returns the
    products of the repository with the result of their last update, and fails when a product's last
    update failed (see O(fail_on_product_error)).
author:
  - drweb.esuite contributors (@drweb-esuite)
options:
  force:
    description:
      - Start an update even when one is already running. The server accepts the request and keeps running
        the current update, so this mainly forces a C(changed) result.
    type: bool
    default: false
  wait:
    description:
      - Wait until the repository status is C(ready) again and return RV(repositories).
      - Also waits for an update that was already running when none was started.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with O(wait=true) before failing. The update keeps running on the server.
    type: int
    default: 1800
  poll_interval:
    description:
      - Seconds between two status reads with O(wait=true).
    type: int
    default: 10
  fail_on_product_error:
    description:
      - With O(wait=true), fail when the last update of a product ended with an error code.
      - Success is C(last_update_rc_code) V(2) (C(Update completed successfully)), the only success code the
        API documentation names. V(0) and a missing code mean the server has no result for the product
        (Dr.Web 12 servers report none at all) and count as no error. Every other code is an error, for
        example V(106) (C(Requested product not found on GUS servers)).
      - With V(false) the failed products are only listed in RV(failed_products).
    type: bool
    default: true
attributes:
  check_mode:
    details:
      - Reads the repository status and reports a change when an update would be started, without
        starting it. O(wait) does not wait in check mode and RV(repositories) is not returned.
extends_documentation_fragment:
  - drweb.esuite.connection
  - drweb.esuite.connection.attributes
  - drweb.esuite.connection.check_only
notes:
  - The administrator needs the C(Edit Dr.Web Server and repository configuration) privilege besides
    C(Work using Web API).
  - The module cannot tell an update it started from one started by someone else at the same time; with
    O(wait=true) it reports the repository as it is once the server is C(ready) again.
'''

EXAMPLES = r'''
- name: Start a repository update and carry on; the connection comes from DRWEB_API_URL, DRWEB_API_USERNAME, ...
  drweb.esuite.drweb_repo_update:
  environment:
    DRWEB_API_URL: https://drweb.example.com:9081
    DRWEB_API_USERNAME: "{{ vault_drweb_user }}"
    DRWEB_API_PASSWORD: "{{ vault_drweb_password }}"

- name: Update the repository and wait up to 20 minutes for it to finish
  drweb.esuite.drweb_repo_update:
    wait: true
    wait_timeout: 1200
    poll_interval: 15
  register: repo

- name: Show the virus bases revision
  ansible.builtin.debug:
    msg: "{{ repo.repositories | selectattr('code', 'equalto', '10-drwbases') | map(attribute='revision') | first }}"

- name: Update, and report products that failed to update without failing the play
  drweb.esuite.drweb_repo_update:
    wait: true
    fail_on_product_error: false
  register: repo

- name: Warn about the failed products
  ansible.builtin.debug:
    msg: "{{ item.code }}: {{ item.last_update_rc }}"
  loop: "{{ repo.failed_products }}"
'''

RETURN = r'''
msg:
  description: What was done.
  returned: always
  type: str
  sample: repository update finished
status:
  description: The last repository status read, V(ready) or V(updating).
  returned: success
  type: str
  sample: ready
started:
  description: Whether an update was started (would have been, in check mode).
  returned: success
  type: bool
  sample: true
waited:
  description: Seconds spent waiting for the update to finish (V(0) without O(wait=true)).
  returned: success
  type: float
  sample: 42.5
repositories:
  description: The repository products once the update has finished.
  returned: when O(wait=true), not in check mode; also on a product failure
  type: list
  elements: dict
  contains:
    code:
      description: Product code.
      type: str
      sample: 10-drwbases
    name:
      description: Product name.
      type: str
      sample: Dr.Web Virus Bases
    revision:
      description: Current revision, the product version followed by the revision's UTC time.
      type: str
      sample: "13020240101120000"
    modified_time:
      description: Time of the current revision, Unix seconds.
      type: int
      sample: 1704110400
    size:
      description: Size of the product in bytes.
      type: int
      sample: 184467968
    files:
      description: Number of files.
      type: int
      sample: 1377
    last_update_endtime:
      description: End of the last update, Unix seconds; V(null) when the server does not report it.
      type: int
      sample: 1704110460
    last_update_src:
      description: What started the last update.
      type: str
      sample: Launched from the Control Center
    last_update_rc:
      description: Result of the last update as text.
      type: str
      sample: Update completed successfully
    last_update_rc_code:
      description: Result code of the last update (V(2) is success).
      type: int
      sample: 2
failed_products:
  description: The entries of RV(repositories) whose last update failed.
  returned: when O(wait=true), not in check mode; also on a product failure
  type: list
  elements: dict
  sample: [{"code": "20-drwagent", "last_update_rc_code": 106, "last_update_rc": "Requested product not found on GUS servers"}]
'''

from ansible_collections.drweb.esuite.plugins.module_utils._module import DrWebModule
from ansible_collections.drweb.esuite.plugins.module_utils._repo import run_repo_update


def main(module_class=DrWebModule):
    run_repo_update(module_class(
        argument_spec=dict(
            force=dict(type='bool', default=False),
            wait=dict(type='bool', default=False),
            wait_timeout=dict(type='int', default=1800),
            poll_interval=dict(type='int', default=10),
            fail_on_product_error=dict(type='bool', default=True),
        ),
        supports_check_mode=True,
    ))


if __name__ == '__main__':
    main()
