# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # Connection options shared by every module (drweb.esuite.connection).
    DOCUMENTATION = r'''
options:
  api_url:
    description:
      - Address of the Dr.Web ESS Server Web API, for example V(https://drweb.example.com:9081).
      - The module appends C(/api/<object>/<script>.ds); a URL that already ends in C(/api) is accepted too.
      - Use HTTPS (port 9081 by default). With plain V(http://) the module warns, because the password
        would travel unencrypted, and Dr.Web 13 servers redirect HTTP to HTTPS, which the module reports as an error.
      - If not set, the value of the E(DRWEB_API_URL) environment variable is used.
    type: str
    required: true
  api_username:
    description:
      - Login of a Dr.Web administrator that has the C(Work using Web API) privilege plus the privileges
        the task needs (for example view/edit station properties).
      - The server never asks for credentials, so they are sent with every request (HTTP Basic authentication).
      - If not set, the value of the E(DRWEB_API_USERNAME) environment variable is used.
    type: str
  api_password:
    description:
      - Password of O(api_username). It is never logged or returned.
      - If not set, the value of the E(DRWEB_API_PASSWORD) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - Set to V(false) only for a test server with a self-signed certificate; prefer O(ca_path).
      - V(false) disables verification even when O(ca_path) is set.
      - If not set, the value of the E(DRWEB_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file with the CA certificate(s) used to verify the server's certificate, for example the
        CA of a self-signed Dr.Web server certificate.
      - Without it the Python C(requests) default CA bundle is used (E(REQUESTS_CA_BUNDLE) if set).
      - If not set, the value of the E(DRWEB_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for the server to connect and for each answer.
      - If not set, the value of the E(DRWEB_TIMEOUT) environment variable is used.
    type: int
    default: 30
  retries:
    description:
      - How many times a read request is repeated after a connection error, a timeout or an HTTP 502, 503 or
        504 answer, waiting 0.5, 1, 2, ... seconds (plus a little jitter) between attempts.
      - Changing requests are repeated only when they certainly never reached the server (connection refused,
        connect timeout). Otherwise the module fails and says that the change may have been applied.
      - If not set, the value of the E(DRWEB_RETRIES) environment variable is used.
    type: int
    default: 3
  api_format:
    description:
      - Wire format of the answers. V(xml) is the server's default and documented for every script;
        V(json) sends C(format=json). Both give the same results.
      - If not set, the value of the E(DRWEB_API_FORMAT) environment variable is used.
    type: str
    choices: [xml, json]
    default: xml
requirements:
  - requests
  - lxml (only for api_format=xml)
notes:
  - Set the connection options once for all modules of the collection with
    C(module_defaults) and the C(group/drweb.esuite.drweb) action group.
'''

    # Shared attribute descriptions. A module extends this fragment and states its own
    # support level for check_mode and diff_mode in its attributes section.
    ATTRIBUTES = r'''
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying the server.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
  action_group:
    description: Use C(group/drweb.esuite.drweb) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - drweb.esuite.drweb
'''

    # Support levels of a module that only reads (add after ATTRIBUTES).
    INFO_MODULE = r'''
attributes:
  check_mode:
    support: full
    details: The module only reads, so check mode runs it unchanged.
  diff_mode:
    support: none
'''

    # Support levels of a module that writes and shows what it changes (add after ATTRIBUTES);
    # the module adds the details.
    CHECK_AND_DIFF = r'''
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
'''

    # Support levels of a module that writes but has no before/after to show (add after ATTRIBUTES).
    CHECK_ONLY = r'''
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
'''
