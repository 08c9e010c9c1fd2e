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
      - C(/api/<object>/<script>.ds) is appended; a URL that already ends in C(/api) is accepted too.
      - Use HTTPS (port 9081 by default). With plain V(http://) a warning is shown, because the password
        would travel unencrypted, and Dr.Web 13 servers redirect HTTP to HTTPS, which is reported as an error.
      - It must not contain credentials; use O(api_username) and O(api_password).
      - If not set, the value of the E(DRWEB_API_URL) environment variable is used.
    type: str
    required: true
  api_username:
    description:
      - Login of a Dr.Web administrator that has the C(Work using Web API) privilege plus the privileges
        the task needs (for example view/edit station properties).
      - The server never asks for credentials, so they are sent with every request (HTTP Basic authentication).
      - If not set, the value of the E(DRWEB_API_USERNAME) environment variable is used.
      - Credentials are never read from C(~/.netrc).
    type: str
  api_password:
    description:
      - Password of O(api_username). It is never logged or returned, and neither is its HTTP Basic (base64)
        form, even when a server echoes it in an error message.
      - If not set, the value of the E(DRWEB_API_PASSWORD) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - Set to V(false) only for a test server with a self-signed certificate; prefer O(ca_path). A warning
        is shown when it is V(false).
      - V(false) disables verification even when O(ca_path) is set.
      - If not set, the value of the E(DRWEB_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file with the CA certificate(s) used to verify the server's certificate, for example the
        CA of a self-signed Dr.Web server certificate. A directory prepared with C(openssl rehash) works too.
      - A file that is missing, unreadable or holds no PEM certificate is refused before any request.
      - Without it the bundle named by E(REQUESTS_CA_BUNDLE) (or E(CURL_CA_BUNDLE)) is used if set, checked
        the same way, else the Python C(requests) default CA bundle.
      - If not set, the value of the E(DRWEB_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds that one request may take in all, from connecting through the TLS handshake and the answer's
        headers to the last byte of its body. A server that answers slowly, byte by byte, is cut off then,
        just like one that never answers.
      - From 1 to 3600.
      - If not set, the value of the E(DRWEB_TIMEOUT) environment variable is used.
    type: int
    default: 30
  retries:
    description:
      - How many times a read request is repeated after a connection error, a timeout or an HTTP 429, 502,
        503 or 504 answer. Between attempts the client waits 0.5, 1, 2, 4, 8, 10, 10, ... seconds (doubling,
        plus up to 10 % jitter, never more than 10 seconds), or as long as an HTTP 429 or 503 answer asks in
        its C(Retry-After) header; an answer that asks for more than 10 seconds ends the retries.
      - This is the whole budget of a read; nothing repeats a failed read on top of it.
      - Changing requests are repeated only when they certainly never reached the server (connection refused,
        connect timeout). A change that may have reached it is never sent again before the object has been
        read again, and at most O(retries) times; otherwise the task fails and says that the change may have
        been applied.
      - "Worst case: one request lasts at most O(timeout) seconds, and a read at most (O(retries) + 1)
        requests and (O(retries) + 1) * O(timeout) + 10 * O(retries) seconds. Once a request has failed
        O(retries) + 1 times on the connection (refused, timed out, 429 or 5xx), every later request of the
        same task or inventory source fails at once with the same message. So against a server that is down
        or never answers, a task or an inventory source sends at most O(retries) + 1 requests (times the
        O(drweb.esuite.drweb_stations#module:concurrency) of M(drweb.esuite.drweb_stations), whose stations
        run in parallel) and ends within (O(retries) + 1) * O(timeout) + 10 * O(retries) seconds: 4 requests
        and 150 seconds with the defaults."
      - From 0 to 10.
      - If not set, the value of the E(DRWEB_RETRIES) environment variable is used.
    type: int
    default: 3
  max_response_mb:
    description:
      - Largest answer that is read, in MiB, counted after decompression. The body is read in pieces and
        reading stops at this size, so a huge answer or a compressed one that inflates enormously costs at
        most this much memory; the request then fails and is not repeated.
      - A page of 1000 stations is well under 1 MiB; raise it only for a server that answers a whole large
        group in one page.
      - From 1 to 1024.
      - If not set, the value of the E(DRWEB_MAX_RESPONSE_MB) environment variable is used.
    type: int
    default: 64
  proxy:
    description:
      - HTTP proxy to reach the server through, for example V(http://proxy.example.com:3128) (V(http://) or
        V(https://), optionally with V(user:password@) for the proxy itself; they are masked in the output).
      - Requests are tunnelled through the proxy (HTTP CONNECT), so with an V(https://) O(api_url) the proxy
        sees the server's host and port, but neither the administrator credentials nor any station password.
      - Without it, the proxy of the environment is used, as curl and most tools do (E(HTTPS_PROXY) for an
        V(https://) O(api_url), E(HTTP_PROXY) for V(http://), else E(ALL_PROXY); not for hosts that
        E(NO_PROXY) names), unless O(use_proxy=false).
      - C(localhost) and loopback addresses are always reached directly.
      - A plain V(http://) O(api_url) through a proxy is refused before any request, because the proxy
        would see the administrator password.
      - If not set, the value of the E(DRWEB_PROXY) environment variable is used.
    type: str
  use_proxy:
    description:
      - Whether the proxy of the environment (E(HTTPS_PROXY), E(HTTP_PROXY), E(ALL_PROXY), E(NO_PROXY)) is
        used when O(proxy) is not set. V(false) connects directly; O(proxy) is used either way.
      - If not set, the value of the E(DRWEB_USE_PROXY) environment variable is used.
    type: bool
    default: true
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
