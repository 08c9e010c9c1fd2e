# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP client of the Dr.Web ESS Server Web API.

All HTTP of the collection lives here; modules never build a URL and never parse a body.
One ``DrWebClient`` owns one ``requests.Session`` (keep-alive). The client keeps no
module-level state, and one instance may be shared by several threads: the session is
configured once and then only used for its (thread-safe) connection pool, and the
request counter and the helpers' memo are guarded by a lock. Threads that want fully
independent connections simply build one client each.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import threading
import time
import traceback

try:
    import requests
    from requests.adapters import HTTPAdapter
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

try:
    from urllib3.exceptions import NewConnectionError
except ImportError:  # urllib3 comes with requests; without it the client cannot run anyway
    NewConnectionError = None

from ansible.module_utils.six.moves.urllib.parse import urlsplit, urlunsplit

from ansible_collections.drweb.esuite.plugins.module_utils._errors import (
    DrWebApiError,
    DrWebAuthError,
    DrWebError,
    DrWebNotFoundError,
    DrWebProtocolError,
    DrWebTaskError,
    DrWebTransportError,
)
from ansible_collections.drweb.esuite.plugins.module_utils import _parser as parser

# Keep in step with galaxy.yml; it only feeds the User-Agent header.
COLLECTION_VERSION = "0.1.0"
USER_AGENT = "drweb.esuite/%s" % COLLECTION_VERSION

# Stations asked for per groups/stations-list.ds page. The server's own default (100)
# would make a 10 000-station group cost 100 requests; 1000 keeps pages well below any
# sane response size while needing 10.
PAGE_SIZE = 1000

RETRY_STATUSES = frozenset((502, 503, 504))

# stations/state.ds answers that mean the station is gone.
ABSENT_STATES = frozenset(("not found", "deleted"))


def parse_api_url(api_url):
    """Check ``api_url`` and return ``(api_base, server)``.

    ``api_base`` ends in ``/api`` and ``server`` is ``scheme://host:port`` for messages.
    Raises DrWebError with one sentence when the URL cannot be used, before any request.
    """
    if not api_url or not isinstance(api_url, str):
        raise DrWebError("The api_url option is empty; set it to the server address, e.g. https://drweb.example.com:9081.")
    text = api_url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise DrWebError("The api_url '%s' is not a valid URL." % _strip_userinfo(text))
    scheme = (parts.scheme or "").lower()
    if scheme not in ("http", "https"):
        raise DrWebError(
            "The api_url '%s' must start with https:// (or http://), e.g. https://drweb.example.com:9081." % _strip_userinfo(text))
    if not parts.hostname:
        raise DrWebError("The api_url '%s' names no host." % _strip_userinfo(text))
    if parts.username is not None or parts.password is not None:
        # Credentials in the URL would end up in messages and logs; insist on the options.
        raise DrWebError("The api_url must not contain credentials; use the api_username and api_password options.")
    if parts.query or parts.fragment:
        raise DrWebError("The api_url '%s' must not contain a query string or fragment." % text)
    if port is None:
        port = 443 if scheme == "https" else 80
    host = parts.hostname
    if ":" in host:
        host = "[%s]" % host
    netloc = "%s:%d" % (host, port)
    path = parts.path.rstrip("/")
    # Users paste either the server address or the API root; accept both.
    if path.endswith("/api"):
        path = path[:-4]
    base = urlunsplit((scheme, netloc, path + "/api", "", ""))
    return base, "%s://%s" % (scheme, netloc)


def _strip_userinfo(text):
    scheme, sep, rest = text.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        return scheme + sep + rest.split("@", 1)[1]
    return text


def _as_list(ids):
    if ids is None:
        return []
    if isinstance(ids, (list, tuple, set, frozenset)):
        return [str(i) for i in ids]
    return [str(ids)]


def _describe(ids):
    return ", ".join(ids) if ids else "(none)"


def _include_params(include, known, what):
    """``(blocks, parameters)`` of the requested blocks; an unknown flag fails before any request."""
    try:
        blocks = parser.requested_blocks(include, known, what)
    except ValueError as exc:
        raise DrWebError("%s." % parser.capital(str(exc)))
    # A flag's wire spelling is its name with "-" for "_" (group-membership).
    return blocks, [(flag.replace("_", "-"), "yes") for flag in blocks]


class DrWebClient(object):
    """One Dr.Web server connection; see docs/architecture.md for the contract."""

    def __init__(self, api_url, username=None, password=None, validate_certs=True,
                 ca_path=None, timeout=30, retries=3, api_format="xml",
                 backoff=0.5, session=None, pool_size=1):
        if not HAS_REQUESTS:
            raise DrWebError("The Python library 'requests' is required to talk to the Dr.Web server but is not installed.")
        if api_format not in ("xml", "json"):
            raise DrWebError("The api_format '%s' is not supported; use xml or json." % api_format)
        self.api_base, self.server = parse_api_url(api_url)
        self.username = username
        self.api_format = api_format
        self.timeout = timeout
        self.retries = max(0, int(retries or 0))
        self.backoff = backoff
        # validate_certs=false wins over ca_path, as in ansible.builtin.uri.
        if not validate_certs:
            self.verify = False
        elif ca_path:
            self.verify = ca_path
        else:
            self.verify = True
        self._auth = (username or "", password or "") if (username or password) else None
        self._lock = threading.Lock()
        self._random = random.Random()
        self._request_count = 0
        # Per-client scratch space for helpers (e.g. the group tree of _groups), so that
        # one module run pays for such lookups at most once and nothing is process-global.
        self.memo = {}
        self.memo_lock = threading.RLock()
        if session is None:
            session = requests.Session()
            # Retries are ours (they must know read from write); urllib3 must not add any.
            # One kept-alive connection per thread that shares this client.
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=max(1, int(pool_size)), max_retries=0)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
        session.headers["User-Agent"] = USER_AGENT
        session.headers["Accept"] = "application/json" if api_format == "json" else "application/xml"
        # Also passed per request: requests lets REQUESTS_CA_BUNDLE override Session.verify.
        session.verify = self.verify
        self.session = session

    @property
    def request_count(self):
        """Number of HTTP requests sent so far, retries included."""
        return self._request_count

    def close(self):
        self.session.close()

    # ------------------------------------------------------------------ transport

    def request(self, obj, script, params=(), write=False, context=None):
        """Send one API call and return the parsed ``Document(header, payload)``.

        ``params`` is a sequence of ``(name, value)`` pairs; repeat a name for a
        multi-valued parameter. ``context`` is the lower-case phrase used in error
        sentences ("reading station ws-1"). Error envelopes raise DrWebApiError.
        """
        context = context or "calling %s/%s.ds" % (obj, script)
        response = self._send(obj, script, params, write, context)
        return parser.parse_document(response.content, self.api_format, context)

    def _send(self, obj, script, params, write, context):
        url = "%s/%s/%s.ds" % (self.api_base, obj, script)
        query = list(params)
        if self.api_format == "json":
            query.append(("format", "json"))
        attempt = 0
        while True:
            attempt += 1
            with self._lock:
                self._request_count += 1
            try:
                response = self.session.get(
                    url, params=query, auth=self._auth, verify=self.verify,
                    timeout=self.timeout, allow_redirects=False)
            except requests.exceptions.RequestException as exc:
                error, retry_safe = self._transport_error(exc, obj, script, write, context)
                if retry_safe and attempt <= self.retries:
                    self._sleep(attempt)
                    continue
                raise error
            status = response.status_code
            if status in RETRY_STATUSES and not write and attempt <= self.retries:
                response.close()
                self._sleep(attempt)
                continue
            if status == 200:
                return response
            self._raise_for_status(response, obj, script, write, context)

    def _sleep(self, attempt):
        if not self.backoff:
            return
        delay = self.backoff * (2 ** (attempt - 1))
        # A little jitter keeps parallel forks from hammering a recovering server in step.
        time.sleep(delay + self._random.uniform(0, delay / 10.0))

    def _transport_error(self, exc, obj, script, write, context):
        """Map a requests exception to (DrWebTransportError, safe_to_retry)."""
        head = "%s failed: " % parser.capital(context)
        where = "the Dr.Web server at %s" % self.server
        never_sent = False
        if isinstance(exc, requests.exceptions.SSLError):
            text = str(exc)
            if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
                return DrWebTransportError(
                    head + "certificate verification failed for %s; set ca_path to the CA certificate that signed "
                           "the server certificate (or validate_certs: false for a test server only)." % where,
                    obj=obj), False
            return DrWebTransportError(
                head + "the TLS handshake with %s failed (%s); check that api_url uses the server's HTTPS port."
                % (where, _reason(exc)), obj=obj), False
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            never_sent = True
            message = "connecting to %s timed out after %s seconds." % (where, self.timeout)
        elif isinstance(exc, requests.exceptions.ReadTimeout):
            message = "%s did not answer %s/%s.ds within %s seconds" % (where, obj, script, self.timeout)
            message += self._maybe_applied_suffix(write)
        elif isinstance(exc, requests.exceptions.ConnectionError) and _is_new_connection_error(exc):
            never_sent = True
            text = str(exc)
            if "NameResolution" in text or "Name or service not known" in text or "getaddrinfo" in text:
                message = "the host name of %s could not be resolved." % where
            elif "refused" in text.lower():
                message = "%s refused the connection; check api_url and that the server is running." % where
            else:
                message = "could not connect to %s (%s)." % (where, _reason(exc))
        elif isinstance(exc, requests.exceptions.ConnectionError):
            message = "the connection to %s was lost during %s/%s.ds (%s)" % (where, obj, script, _reason(exc))
            message += self._maybe_applied_suffix(write)
        else:
            message = "the request to %s failed (%s)." % (where, _reason(exc))
            never_sent = isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader))
        maybe_applied = bool(write and not never_sent)
        retry_safe = never_sent or not write
        return DrWebTransportError(head + message, obj=obj, maybe_applied=maybe_applied), retry_safe

    @staticmethod
    def _maybe_applied_suffix(write):
        if write:
            return "; the request was sent, so the change may or may not have been applied."
        return "."

    def _raise_for_status(self, response, obj, script, write, context):
        status = response.status_code
        head = "%s failed: " % parser.capital(context)
        server_message = self._error_envelope_message(response, context)
        if status == 401:
            reason = "HTTP 401 (wrong user name or password, or the administrator lacks the privilege for %s/%s.ds" % (obj, script)
            if server_message:
                reason += "; the server said \"%s\"" % server_message
            raise DrWebAuthError(
                "Authentication to the Dr.Web server at %s failed for user '%s': %s)." % (self.server, self.username or "", reason),
                obj=obj)
        if status == 404:
            raise DrWebApiError(
                head + "the server does not know script %s/%s.ds (HTTP 404); check api_url and the server version." % (obj, script),
                obj=obj, server_message=server_message)
        if 300 <= status < 400:
            location = response.headers.get("Location") or "another address"
            raise DrWebTransportError(
                head + "the Dr.Web server at %s redirected the request to %s; set api_url to the server's HTTPS address."
                % (self.server, _origin(location)),
                obj=obj, status=status)
        detail = " \"%s\"" % server_message if server_message else ""
        if status >= 500:
            message = "the Dr.Web server at %s answered HTTP %d%s" % (self.server, status, detail)
            if status in RETRY_STATUSES and not write and self.retries:
                message += " after %d attempts" % (self.retries + 1)
            message += self._maybe_applied_suffix(write)
            raise DrWebTransportError(head + message, obj=obj, maybe_applied=bool(write), status=status)
        raise DrWebApiError(head + "the server answered HTTP %d%s." % (status, detail), obj=obj, server_message=server_message)

    def _error_envelope_message(self, response, context):
        """The server message of an error envelope in a non-200 answer, if there is one."""
        if not response.content:
            return None
        try:
            parser.parse_document(response.content, self.api_format, context)
        except DrWebApiError as exc:
            return exc.server_message
        except Exception:  # pylint: disable=broad-except
            # Proxies answer HTML here; the HTTP status alone tells the story.
            return None
        return None

    # ------------------------------------------------------------------ stations

    def station_info(self, ids, include=()):
        """Station details; an unknown id raises DrWebNotFoundError."""
        ids = _as_list(ids)
        blocks, flags = _include_params(include, parser.STATION_INCLUDE_FLAGS, "station")
        context = "reading station %s" % _describe(ids)
        doc = self.request("stations", "info", [("id", i) for i in ids] + flags, context=context)
        stations = parser.parse_station_info(doc, include=blocks)
        found = set(s.get("id") for s in stations)
        missing = [i for i in ids if i not in found]
        if missing:
            raise DrWebNotFoundError(
                "%s failed: the server returned no station with id %s." % (parser.capital(context), ", ".join(missing)), obj=missing[0])
        return stations

    def find_station(self, station_id, include=()):
        """Return the station, or None when the server does not know it.

        A DrWebNotFoundError means absent. Any other error envelope is ambiguous (the
        server's wording for "unknown station" is undocumented), so exactly then one
        ``stations/state.ds`` call decides: state ``not found``/``deleted`` or no entry
        means absent, anything else re-raises the original error.
        """
        station_id = str(station_id)
        try:
            return self.station_info([station_id], include)[0]
        except DrWebNotFoundError:
            return None
        except DrWebApiError as exc:
            original = exc
        try:
            states = self.station_state([station_id])
        except DrWebApiError:
            raise original
        state = states.get(station_id)
        if state is None or str(state).lower() in ABSENT_STATES:
            return None
        raise original

    def station_add(self, params):
        """Create a station; returns the new id."""
        params = list(params)
        label = next((v for n, v in params if n == "id"), None) or next((v for n, v in params if n == "name"), None)
        context = "adding station %s" % label if label else "adding a station"
        doc = self.request("stations", "add", params, write=True, context=context)
        return parser.parse_id(doc)

    def station_change(self, station_id, params):
        """Change a station; ``params`` must not contain ``id``. Returns the id."""
        station_id = str(station_id)
        doc = self.request("stations", "change", [("id", station_id)] + list(params), write=True,
                           context="changing station %s" % station_id)
        return parser.parse_id(doc)

    def station_delete(self, ids):
        ids = _as_list(ids)
        doc = self.request("stations", "delete", [("id", i) for i in ids], write=True,
                           context="deleting station %s" % _describe(ids))
        return parser.parse_deleted_ids(doc)

    def station_state(self, ids):
        """``{id: state}``, e.g. ``online``, ``newbies`` or ``not found``."""
        ids = _as_list(ids)
        doc = self.request("stations", "state", [("id", i) for i in ids],
                           context="reading the state of station %s" % _describe(ids))
        return parser.parse_station_state(doc)

    def newbies_info(self, ids):
        ids = _as_list(ids)
        doc = self.request("stations", "newbies-info", [("id", i) for i in ids],
                           context="reading newbie station %s" % _describe(ids))
        return parser.parse_newbies_info(doc)

    # ------------------------------------------------------------------ groups

    def group_list(self, parent=None):
        """Direct children of ``parent``; without it the system and root user groups."""
        params = [("parent-group", str(parent))] if parent else []
        context = "listing the groups under group %s" % parent if parent else "listing the root groups"
        doc = self.request("groups", "list", params, context=context)
        return parser.parse_group_list(doc)

    def group_info(self, ids, include=()):
        ids = _as_list(ids)
        blocks, flags = _include_params(include, parser.GROUP_INCLUDE_FLAGS, "group")
        doc = self.request("groups", "info", [("id", i) for i in ids] + flags, context="reading group %s" % _describe(ids))
        return parser.parse_group_info(doc, include=blocks)

    def group_components(self, ids):
        ids = _as_list(ids)
        doc = self.request("groups", "components", [("id", i) for i in ids],
                           context="reading the components of group %s" % _describe(ids))
        return parser.parse_group_components(doc, ids)

    def group_stations(self, group_id, subgroups=False, show_blocked=True, station_type=False,
                       per_page=PAGE_SIZE, limit=None):
        """Every station of a group, all pages fetched.

        Returns ``{"total", "stations", "pages"}`` (``pages`` of the last page read).
        Paging stops at the last page, at a short or empty page, or once ``limit``
        stations are collected; a server that ignores ``per-page`` and answers
        everything in one page (objects-per-page 4294967295) costs one request.
        """
        group_id = str(group_id)
        per_page = int(per_page or PAGE_SIZE)
        if limit is not None:
            limit = int(limit)
            if limit <= 0:
                return {"total": None, "stations": [], "pages": None}
            per_page = min(per_page, limit)
        context = "listing the stations of group %s" % group_id
        stations = []
        total = None
        pages = None
        page = 1
        while True:
            # Only non-default flags are sent: servers before 13.0.1 do not know them.
            params = [("id", group_id), ("page", str(page)), ("per-page", str(per_page))]
            if subgroups:
                params.append(("subgroups", "yes"))
            if not show_blocked:
                params.append(("show-blocked-stations", "no"))
            if station_type:
                params.append(("station-type", "yes"))
            listing = parser.parse_stations_list(self.request("groups", "stations-list", params, context=context))
            batch = listing.get("stations") or []
            pages = listing.get("pages") or {}
            if listing.get("total") is not None:
                total = listing["total"]
            current = pages.get("current")
            if current is not None and page > 1 and current < page:
                raise DrWebProtocolError(
                    "%s failed: the server answered page %s when page %d was requested." % (parser.capital(context), current, page),
                    obj=group_id)
            stations.extend(batch)
            if limit is not None and len(stations) >= limit:
                del stations[limit:]
                break
            page_size = pages.get("objects_per_page") or per_page
            if not batch or len(batch) < page_size:
                break
            if pages.get("total") is not None and current is not None and current >= pages["total"]:
                break
            if total is not None and len(stations) >= total:
                break
            page += 1
        return {"total": total, "stations": stations, "pages": pages or None}

    # ------------------------------------------------------------------ server

    def run_task(self, task_id, context=None, **params):
        """Run a ``server/tasks.ds`` job; a failed job raises DrWebTaskError.

        Keyword names are sent as parameter names (``action``, ``id``, ``group``).
        """
        context = context or "running server task %s" % task_id
        query = [("task-id", task_id)] + [(name, str(value)) for name, value in params.items() if value is not None]
        doc = self.request("server", "tasks", query, write=True, context=context)
        task = parser.parse_task(doc)
        if str(task.get("status") or "").lower() == "failed":
            server_message = task.get("message") or None
            if server_message:
                reason = "the server answered \"%s\"." % server_message
            else:
                reason = "the server reported task %s as failed without a message." % task_id
            raise DrWebTaskError("%s failed: %s" % (parser.capital(context), reason), obj=params.get("id"),
                                 task_id=task.get("id") or task_id, server_message=server_message)
        return task

    def repository_status(self):
        doc = self.request("server", "repository-status", context="reading the repository status")
        return parser.parse_repository_status(doc)

    def repository_products(self):
        doc = self.request("server", "repository-products", context="reading the repository products")
        return parser.parse_repository_products(doc)


def _is_new_connection_error(exc):
    """True when urllib3 failed before a single byte left (refused, DNS, unreachable)."""
    seen = set()
    current = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if NewConnectionError is not None and isinstance(current, NewConnectionError):
            return True
        nxt = getattr(current, "reason", None)
        if nxt is None and getattr(current, "args", None):
            first = current.args[0]
            nxt = first if isinstance(first, BaseException) else None
        current = nxt
    return False


def _reason(exc):
    """A short cause without the URL (the query string may carry a station password)."""
    current = exc
    for dummy in range(5):
        nxt = getattr(current, "reason", None)
        if nxt is None and getattr(current, "args", None) and isinstance(current.args[0], BaseException):
            nxt = current.args[0]
        if nxt is None:
            break
        current = nxt
    text = str(current)
    # urllib3 prefixes its messages with the connection object's repr.
    if ">: " in text:
        text = text.split(">: ", 1)[1]
    if "?" in text:
        text = text.split("?", 1)[0]
    return text.strip().rstrip(".") or exc.__class__.__name__


def _origin(location):
    try:
        parts = urlsplit(location)
    except ValueError:
        return "another address"
    if parts.scheme and parts.netloc:
        return "%s://%s" % (parts.scheme, parts.netloc.rsplit("@", 1)[-1])
    return "another path on the same server"
