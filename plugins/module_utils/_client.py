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

import email.utils
import heapq
import itertools
import random
import re
import socket
import threading
import time
import traceback
import zlib

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
    from urllib3.exceptions import HTTPError as Urllib3Error, NewConnectionError, ReadTimeoutError
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
except ImportError:  # urllib3 comes with requests; without it the client cannot run anyway
    NewConnectionError = Urllib3Error = ReadTimeoutError = None
    HTTPConnection = HTTPSConnection = HTTPConnectionPool = HTTPSConnectionPool = None

from ansible.module_utils.six.moves.urllib.parse import urlencode, urlsplit

from ansible_collections.drweb.esuite.plugins.module_utils._connection import (
    BACKOFF_CEILING,
    DEFAULT_RESPONSE_MB,
    basic_secrets,
    ca_bundle,
    effective_proxy,
    parse_api_url,
    scrub,
    strip_userinfo,
    url_secrets,
)

from ansible_collections.drweb.esuite.plugins.module_utils._errors import (
    DrWebApiError,
    DrWebAuthError,
    DrWebError,
    DrWebNotFoundError,
    DrWebProtocolError,
    DrWebTaskError,
    DrWebTransportError,
)
from ansible_collections.drweb.esuite.plugins.module_utils import _lane
from ansible_collections.drweb.esuite.plugins.module_utils import _parser as parser

# Keep in step with galaxy.yml; it only feeds the User-Agent header.
COLLECTION_VERSION = "1.0.0"
USER_AGENT = "drweb.esuite/%s" % COLLECTION_VERSION

# Stations asked for per groups/stations-list.ds page. The server's own default (100)
# would make a 10 000-station group cost 100 requests; 1000 keeps pages well below any
# sane response size while needing 10.
PAGE_SIZE = 1000

RETRY_STATUSES = frozenset((429, 502, 503, 504))
# Statuses whose Retry-After header a read honours (up to BACKOFF_CEILING seconds).
RETRY_AFTER_STATUSES = frozenset((429, 503))

# A listing that claims more stations than this is refused after its first page (unless a
# limit below it is asked for): no Dr.Web server holds that many, and reading them would cost
# hundreds of requests and megabytes for each thousand.
MAX_LISTED_STATIONS = 250000

# Bytes asked of the socket per read while an answer streams in.
READ_CHUNK = 65536

# stations/state.ds answers that mean the station is gone.
ABSENT_STATES = frozenset(("not found", "deleted"))


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
                 backoff=0.5, session=None, pool_size=1, proxy=None, use_proxy=True,
                 max_response_mb=DEFAULT_RESPONSE_MB, environ=None):
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
        self.max_body = int(max_response_mb) * 1024 * 1024
        # validate_certs=false wins over ca_path, as in ansible.builtin.uri; without ca_path the
        # bundle of REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE still applies, read here since the session
        # ignores the environment.
        self.verify = ca_bundle(validate_certs, ca_path, environ)
        # The proxy is decided once: the option, else the environment's, never for loopback.
        self.proxy = effective_proxy(self.api_base, proxy, use_proxy, environ)
        self._proxies = {"http": self.proxy, "https": self.proxy} if self.proxy else {}
        self._auth = (username or "", password or "") if (username or password) else None
        self._secrets = basic_secrets(username, password) + url_secrets(self.proxy)
        self._lock = threading.Lock()
        self._random = random.Random()
        self._request_count = 0
        # The failure that spent a whole retry budget on the connection: later requests repeat it
        # at once instead of spending the budget again (the server is down, or does not answer).
        self._circuit = None
        self._local = threading.local()
        self._watchdog = _Watchdog()
        # Per-client scratch space for helpers (e.g. the group tree of _groups), so that
        # one module run pays for such lookups at most once and nothing is process-global.
        self.memo = {}
        self.memo_lock = threading.RLock()
        # Counts the tasks this client served (see next_task), so helpers can tell what they learnt before.
        self.task = 0
        # GET requests prepared once per script (see _get); only through our own adapter.
        self._adapter = None
        self._templates = {}
        # The kept-alive lane (see _lane), armed by the first answer; never through a proxy.
        self._lane = None
        self._lane_wanted = _lane.HAS_LANE
        if session is None:
            session = requests.Session()
            # Retries are ours (they must know read from write); urllib3 must not add any.
            # One kept-alive connection per thread that shares this client.
            adapter = self._adapter = _watched_adapter(self._local, self._watchdog, max(1, int(pool_size)))
            session.mount("https://", adapter)
            session.mount("http://", adapter)
        # No ~/.netrc credentials, no implicit CA bundle or proxy: all of them are decided above.
        session.trust_env = False
        session.headers["User-Agent"] = USER_AGENT
        session.headers["Accept"] = "application/json" if api_format == "json" else "application/xml"
        # Only what _read_body can inflate within the size limit.
        session.headers["Accept-Encoding"] = "gzip, deflate"
        session.verify = self.verify
        self.session = session

    @property
    def request_count(self):
        """Number of HTTP requests sent so far, retries included."""
        return self._request_count

    def close(self):
        self._watchdog.close()
        self.session.close()

    def next_task(self):
        """Start another task on this client (the next item of a loop): as a fresh client would, but warm.

        The kept-alive connections and the memo stay. A connection failure that spent the last
        task's retry budget does not: a new task gets its own budget, as a module process would.
        """
        self._circuit = None
        self.task += 1

    def forget_groups(self):
        """Drop what the helpers learnt about groups (the memo): the server's groups are changing."""
        with self.memo_lock:
            self.memo.clear()

    def scrub(self, text):
        """``text`` without this client's credentials (and any Authorization or password value)."""
        return scrub(text, self._secrets)

    # ------------------------------------------------------------------ transport

    def request(self, obj, script, params=(), write=False, context=None):
        """Send one API call and return the parsed ``Document(header, payload)``.

        ``params`` is a sequence of ``(name, value)`` pairs; repeat a name for a
        multi-valued parameter. ``context`` is the lower-case phrase used in error
        sentences ("reading station ws-1"). Error envelopes raise DrWebApiError.
        """
        context = context or "calling %s/%s.ds" % (obj, script)
        params = list(params)
        try:
            body = self._send(obj, script, params, write, context)
            return parser.parse_document(body, self.api_format, context)
        except DrWebError as exc:
            # The server may echo the request: its Authorization header, the station password sent.
            raise _scrubbed(exc, self._secrets + tuple(v for n, v in params if n == "password" and v))

    def _send(self, obj, script, params, write, context):
        """The body of a 200 answer; every other outcome raises (see docs/architecture.md)."""
        url = "%s/%s/%s.ds" % (self.api_base, obj, script)
        query = list(params)
        if self.api_format == "json":
            query.append(("format", "json"))
        attempt = 0
        while True:
            circuit = self._circuit
            if circuit is not None:
                raise circuit.refuse(context, obj, attempt)
            attempt += 1
            with self._lock:
                self._request_count += 1
            failure = self._attempt(url, query, obj, script, write)
            if isinstance(failure, bytes):
                return failure
            wait = self._wait_before_retry(failure, attempt) if failure.retry and (failure.never_sent or not write) else None
            if wait is not None:
                time.sleep(wait)
                continue
            error = self._error(failure, attempt, obj, write, context)
            if failure.retry and (failure.never_sent or not write):
                # The whole budget went on a server that does not answer: stop asking it.
                self._circuit = _Circuit(self.server, context, failure, attempt)
            raise error

    def _attempt(self, url, query, obj, script, write):
        """One request within its deadline: the 200 body as bytes, or a _Failure."""
        watch = self._watchdog.start(self.timeout)
        self._local.watch = watch
        response = None
        try:
            response = self._get(url, query)
            body = self._read_body(response, obj, script)
        except requests.exceptions.RequestException as exc:
            return self._transport_failure(exc, watch, obj, script, write)
        except _TooLarge as exc:
            return _Failure(str(exc), suffix=True)
        except (OSError, ValueError) as exc:
            if watch.expired:
                return self._timeout_failure(watch, obj, script)
            if watch.sent:
                return self._transport_failure(requests.exceptions.ConnectionError(exc), watch, obj, script, write)
            # requests reads CA files lazily, before sending: a bundle that vanished or is not PEM ends up here.
            return _Failure("the CA certificates %s could not be used (%s)" % (self.verify, _reason(exc)),
                            hint="set ca_path to a PEM file with the CA certificate of the server", never_sent=True)
        finally:
            self._watchdog.finish(watch)
            self._local.watch = None
            if response is not None:
                response.close()
        if watch.expired:
            # Cut off mid-answer: what arrived (headers up to EOF, say) is not the answer.
            return self._timeout_failure(watch, obj, script)
        if response.status_code == 200:
            return body
        return self._status_failure(response, body, obj, script, write)

    def _get(self, url, query):
        """``session.get(url, params=query, ...)`` with ``stream=True``, for a fraction of its CPU.

        Through our own adapter, the request of each script is prepared by the session once (the
        URL as requests normalises it, the headers, the Basic auth header), each call only adds
        its query string as requests encodes it, and ``HTTPAdapter.send`` sends it: requests'
        own pool, TLS, proxy and error handling, without the session's per-request machinery
        (merging settings, cookies, hooks) and its Response object. At a few hundred requests a
        second that machinery was half of the client's CPU. The client never needs cookies:
        Basic auth goes with every request. Once the pool holds a connected connection, the
        lane sends on it with the same headers, without the adapter and the pool's request method.
        """
        if self._adapter is None:
            return self.session.get(url, params=query, auth=self._auth, verify=self.verify, proxies=self._proxies,
                                    timeout=self.timeout, allow_redirects=False, stream=True)
        kept = self._templates.get(url)
        if kept is None:
            template = self.session.prepare_request(requests.Request("GET", url, auth=self._auth))
            # What the adapter puts on the request line (the path, or the whole URL for a proxy), worked out
            # once: appending the query commutes with it, unless the URL has a fragment.
            line = None if "#" in template.url else self._adapter.request_url(template, self._proxies)
            kept = self._templates[url] = (template, line)
        template, line = kept
        encoded = _encode_query(query, template)
        target = None if line is None else "%s%s%s" % (line, "&" if "?" in line else "?", encoded) if encoded else line
        if self._lane is not None and target is not None:
            raw = self._lane.get(target, template.headers)
            if raw is not None:
                return _Answer(raw)
        prepared = template.copy()
        if encoded:
            prepared.url = "%s%s%s" % (template.url, "&" if "?" in template.url else "?", encoded)
        prepared.drweb_request_url = target
        response = self._adapter.send(prepared, stream=True, timeout=self.timeout, verify=self.verify, proxies=self._proxies)
        if self._lane is None and self._lane_wanted:
            self._arm_lane(response)
        return response

    def _arm_lane(self, response):
        if self._proxies:
            return
        pool = getattr(getattr(response, "raw", None), "_pool", None)
        # Only one of our own pools: their connections report to the deadline watchdog.
        if pool is not None and _lane.usable(pool) and any(pool is kept for kept in self._adapter.drweb_pools.values()):
            self._lane = _lane.Lane(pool, self.timeout)

    def _read_body(self, response, obj, script):
        """The decoded body, streamed, never more than ``max_body`` bytes of it."""
        encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
        what = "the answer to %s/%s.ds" % (obj, script)
        limit = "%d MiB" % (self.max_body // (1024 * 1024))
        length = response.headers.get("Content-Length") or ""
        if encoding == "identity" and length.isdigit() and int(length) > self.max_body:
            raise _TooLarge("%s announces %s bytes, more than the %s that max_response_mb allows" % (what, length, limit))
        inflate = _inflater(encoding)
        if inflate is None:
            raise _TooLarge("%s uses the content encoding '%s', which the client did not ask for" % (what, encoding[:40]))
        body = bytearray()
        while True:
            try:
                chunk = response.raw.read(READ_CHUNK, decode_content=False)
            except ReadTimeoutError as exc:
                raise requests.exceptions.ReadTimeout(exc)
            except Urllib3Error as exc:
                # As requests' own iter_content does: a broken body is a lost connection.
                raise requests.exceptions.ConnectionError(exc)
            if not chunk:
                return bytes(body)
            # The inflater never yields more than one byte past the limit: a bomb stops here.
            for piece in inflate(chunk, self.max_body - len(body) + 1):
                body += piece
                if len(body) > self.max_body:
                    raise _TooLarge("%s is larger than the %s that max_response_mb allows%s"
                                    % (what, limit, "" if encoding == "identity" else " once decompressed"))

    def _wait_before_retry(self, failure, attempt):
        """Seconds to wait before the next attempt, or None when there is none to make."""
        if attempt > self.retries:
            return None
        delay = self.backoff * (2 ** (attempt - 1)) if self.backoff else 0
        # A little jitter keeps parallel forks from hammering a recovering server in step.
        delay += self._random.uniform(0, delay / 10.0)
        if failure.retry_after is not None:
            if failure.retry_after > BACKOFF_CEILING:
                failure.reason += (" and asked to be called again in %d seconds, later than the %d seconds a retry waits"
                                   % (failure.retry_after, BACKOFF_CEILING))
                return None
            delay = max(delay, failure.retry_after)
        return min(delay, BACKOFF_CEILING)

    def _error(self, failure, attempts, obj, write, context):
        message = "%s failed: %s" % (parser.capital(context), failure.reason) if failure.head else failure.reason
        if attempts > 1:
            message += " (%d attempts)" % attempts
        if failure.hint:
            message += "; " + failure.hint
        if failure.cls is DrWebAuthError:
            return DrWebAuthError(message + ".", obj=obj)
        if failure.cls is not DrWebTransportError:
            return failure.cls(message + ".", obj=obj, server_message=failure.server_message)
        maybe_applied = bool(write and not failure.never_sent)
        if maybe_applied and failure.suffix:
            message += "; the request was sent, so the change may or may not have been applied"
        return DrWebTransportError(message + ".", obj=obj, maybe_applied=maybe_applied, status=failure.status)

    def _timeout_failure(self, watch, obj, script):
        return _Failure("the Dr.Web server at %s did not answer %s/%s.ds within %s seconds" % (self.server, obj, script, self.timeout),
                        retry=True, never_sent=not watch.sent, suffix=True, down="no answer within %s seconds" % self.timeout)

    def _transport_failure(self, exc, watch, obj, script, write):
        """Map a requests exception to a _Failure that names the real cause."""
        where = "the Dr.Web server at %s" % self.server
        if watch.expired or isinstance(exc, requests.exceptions.ReadTimeout):
            return self._timeout_failure(watch, obj, script)
        if isinstance(exc, requests.exceptions.ProxyError):
            text = str(exc)
            answered = re.search(r"Tunnel connection failed: ([0-9]{3}[^'\")]*)", text)
            if answered:
                reason = "the proxy answered %s" % answered.group(1).strip()
            elif "refused" in text.lower():
                reason = "the proxy refused the connection"
            elif "timed out" in text.lower():
                reason = "connecting to the proxy timed out"
            else:
                reason = _reason(exc)
            denied = answered is not None and answered.group(1)[:3] in ("403", "407")
            hint = "check the user and password in the proxy URL" if "407" in reason else \
                "check the proxy option (or HTTPS_PROXY and NO_PROXY, or use_proxy)"
            return _Failure("could not reach %s through the proxy %s: %s" % (where, strip_userinfo(self.proxy or "?"), reason),
                            hint=hint, retry=not denied, never_sent=True, down=reason)
        if isinstance(exc, requests.exceptions.SSLError):
            text = str(exc)
            host = urlsplit(self.server).hostname
            if "match" in text.lower() and ("hostname" in text.lower() or "ip address" in text.lower()):
                return _Failure("the certificate of %s is not issued for %s" % (where, host),
                                hint="set api_url to a host name that the certificate names", never_sent=True)
            if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
                return _Failure("certificate verification failed for %s" % where,
                                hint="set ca_path to the CA certificate that signed the server certificate "
                                     "(or validate_certs: false for a test server only)", never_sent=True)
            if "WRONG_VERSION_NUMBER" in text or "wrong version number" in text or "record layer failure" in text:
                return _Failure("the TLS handshake with %s failed (%s)" % (where, _reason(exc)),
                                hint="the port may speak plain http: check that api_url uses the server's HTTPS port",
                                never_sent=True)
            return _Failure("the TLS handshake with %s failed (%s)" % (where, _reason(exc)), never_sent=True)
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return _Failure("connecting to %s timed out after %s seconds" % (where, self.timeout), retry=True, never_sent=True,
                            down="connecting timed out after %s seconds" % self.timeout)
        if isinstance(exc, requests.exceptions.ConnectionError) and _is_new_connection_error(exc):
            text = str(exc)
            if "NameResolution" in text or "Name or service not known" in text or "getaddrinfo" in text:
                return _Failure("the host name of %s could not be resolved" % where, retry=True, never_sent=True,
                                down="host name not resolved")
            if "refused" in text.lower():
                return _Failure("%s refused the connection" % where,
                                hint="check api_url and that the server is running", retry=True, never_sent=True,
                                down="connection refused")
            return _Failure("could not connect to %s (%s)" % (where, _reason(exc)), retry=True, never_sent=True,
                            down=_reason(exc))
        if isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError,
                            requests.exceptions.ContentDecodingError)):
            reason = _reason(exc)
            hint = None
            if self.server.startswith("http://") and any(word in str(exc) for word in (
                    "closed connection without response", "BadStatusLine", "Bad status line", "Connection aborted")):
                hint = "the server may speak HTTPS on this port: try https:// in api_url"
            return _Failure("the connection to %s was lost during %s/%s.ds (%s)" % (where, obj, script, reason),
                            hint=hint, retry=True, suffix=True, down="connection lost")
        # An invalid header of the answer (two Content-Lengths, say) comes after the request went out.
        never_sent = isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader)) and not watch.sent
        return _Failure("the request to %s failed (%s)" % (where, _reason(exc)), never_sent=never_sent, suffix=True)

    def _status_failure(self, response, body, obj, script, write):
        """A _Failure for an answer other than 200 (its envelope's message quoted, scrubbed later)."""
        status = response.status_code
        server_message = self._error_envelope_message(body)
        if status == 401:
            reason = "HTTP 401 (wrong user name or password, or the administrator lacks the privilege for %s/%s.ds" % (obj, script)
            if server_message:
                reason += "; the server said \"%s\"" % server_message
            return _Failure("Authentication to the Dr.Web server at %s failed for user '%s': %s)" % (self.server, self.username or "", reason),
                            cls=DrWebAuthError, head=False, server_message=server_message)
        if status == 404:
            return _Failure("the server does not know script %s/%s.ds (HTTP 404)" % (obj, script),
                            hint="check api_url and the server version", cls=DrWebApiError, server_message=server_message)
        if 300 <= status < 400:
            location = response.headers.get("Location") or "another address"
            return _Failure("the Dr.Web server at %s redirected the request to %s" % (self.server, _origin(location)),
                            hint="set api_url to the server's HTTPS address", status=status, never_sent=True)
        detail = " \"%s\"" % server_message if server_message else ""
        if status >= 500 or status == 429:
            retry = status in RETRY_STATUSES and not write
            retry_after = _retry_after(response.headers.get("Retry-After")) if status in RETRY_AFTER_STATUSES else None
            return _Failure("the Dr.Web server at %s answered HTTP %d%s" % (self.server, status, detail), retry=retry,
                            status=status, suffix=True, retry_after=retry_after, never_sent=status == 429,
                            down="HTTP %d" % status)
        return _Failure("the server answered HTTP %d%s" % (status, detail), cls=DrWebApiError, server_message=server_message)

    def _error_envelope_message(self, body):
        """The server message of an error envelope in a non-200 answer, if there is one."""
        if not body:
            return None
        try:
            parser.parse_document(body, self.api_format, "reading an error answer")
        except DrWebApiError as exc:
            return exc.server_message
        except Exception:  # pylint: disable=broad-except
            # Proxies answer HTML here; the HTTP status alone tells the story.
            return None
        return None

    # ------------------------------------------------------------------ stations

    def station_info(self, ids, include=()):
        """Station details; an unknown id raises DrWebNotFoundError (only from an error envelope)."""
        ids = _as_list(ids)
        context = "reading station %s" % _describe(ids)
        stations = self.station_info_batch(ids, include)
        # Only an error envelope says "not found": a success without the station, or with another
        # one, is a broken answer, and acting on it (creating the station) could do harm.
        sent = [s.get("id") for s in stations]
        missing = [i for i in ids if i not in sent]
        unasked = [i for i in sent if i not in ids]
        if missing or unasked:
            shown = [parser._clean(self.scrub(i or ""), 60) for i in sent[:5]]  # pylint: disable=protected-access
            raise DrWebProtocolError(
                "%s failed: the server reported success but sent %s instead of station %s." % (
                    parser.capital(context), "station %s" % _describe(shown) if sent else "no station at all",
                    ", ".join(missing or ids)), obj=(missing or ids)[0])
        return stations

    def station_info_batch(self, ids, include=()):
        """One ``stations/info.ds`` with a repeated ``id``: the stations the answer holds, unchecked.

        Several ids are not documented for info.ds: a server may leave some out or fail the
        request, and the caller (``_station_info.read_stations``) decides what that means.
        """
        ids = _as_list(ids)
        blocks, flags = _include_params(include, parser.STATION_INCLUDE_FLAGS, "station")
        doc = self.request("stations", "info", [("id", i) for i in ids] + flags,
                           context="reading station %s" % _describe(ids))
        return parser.parse_station_info(doc, include=blocks)

    def station_products(self, ids):
        """``stations/products.ds`` (repeated ``id`` documented): ``[{id, products}]`` as the answer holds them."""
        ids = _as_list(ids)
        doc = self.request("stations", "products", [("id", i) for i in ids],
                           context="reading the products of station %s" % _describe(ids))
        return parser.parse_station_products(doc)

    def find_station(self, station_id, include=()):
        """Return the station, or None when the server does not know it.

        A DrWebNotFoundError means absent. Any other error envelope is ambiguous (the
        server's wording for "unknown station" is undocumented), so exactly then one
        ``stations/state.ds`` call decides: state ``not found``/``deleted`` or no entry
        means absent, anything else re-raises the original error. A malformed success
        (DrWebProtocolError) is never taken for absent.
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

    def group_add(self, params):
        """Create a group (``name``, ``id``, ``description``, ``parent-group``); returns its id."""
        params = list(params)
        label = next((v for n, v in params if n == "id"), None) or next((v for n, v in params if n == "name"), None)
        return parser.parse_id(self._group_write("add", params, "adding group %s" % label))

    def group_change(self, group_id, params):
        """Change a group; ``params`` must not contain ``id``. An empty ``parent-group`` makes it a root group."""
        group_id = str(group_id)
        return parser.parse_id(self._group_write("change", [("id", group_id)] + list(params), "changing group %s" % group_id))

    def group_delete(self, ids):
        """Delete groups (one request for all of them); returns the deleted ids."""
        ids = _as_list(ids)
        return parser.parse_deleted_ids(self._group_write("delete", [("id", i) for i in ids], "deleting group %s" % _describe(ids)))

    def _group_write(self, script, params, context):
        # Whatever the memo knew about groups is stale once this was sent, even if it failed (it may
        # have landed), so the next look-up on this client, in this task or the next, asks again.
        try:
            return self.request("groups", script, params, write=True, context=context)
        finally:
            self.forget_groups()

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
            if page == 1:
                last_page = self._last_page(listing, per_page, limit, context, group_id)
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
            if page >= last_page:
                raise DrWebProtocolError(
                    "%s failed: the server kept sending full pages after page %d, more than its first page announced."
                    % (parser.capital(context), page), obj=group_id)
            page += 1
        return {"total": total, "stations": stations, "pages": pages or None}

    @staticmethod
    def _last_page(listing, per_page, limit, context, group_id):
        """The last page worth asking for, from the first page's totals and MAX_LISTED_STATIONS.

        One page more than the totals need, for stations added while paging. A claim beyond
        the sanity limit fails at once, unless ``limit`` asks for fewer.
        """
        total = listing.get("total")
        pages = listing.get("pages") or {}
        if total is not None and total > MAX_LISTED_STATIONS and (limit is None or limit > MAX_LISTED_STATIONS):
            raise DrWebProtocolError(
                "%s failed: the server claims %d stations, more than the %d that one listing may hold; "
                "ask for fewer with limit." % (parser.capital(context), total, MAX_LISTED_STATIONS), obj=group_id)
        page_size = max(1, min(pages.get("objects_per_page") or per_page, per_page))
        wanted = min(x for x in (total, limit, MAX_LISTED_STATIONS) if x is not None)
        if total is None and limit is None and pages.get("total"):
            return min(pages["total"], -(-MAX_LISTED_STATIONS // page_size))
        return -(-wanted // page_size) + 1

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


class _Failure(object):
    """What went wrong with one attempt, before it becomes the exception of the whole request."""

    def __init__(self, reason, hint=None, retry=False, never_sent=False, status=None, suffix=False,
                 retry_after=None, cls=DrWebTransportError, head=True, server_message=None, down=None):
        self.reason = reason
        self.hint = hint
        self.retry = retry                # worth another attempt within the budget
        self.never_sent = never_sent      # the server certainly did not act on it
        self.status = status
        self.suffix = suffix              # a write that failed this way may have been applied
        self.retry_after = retry_after
        self.cls = cls
        self.head = head                  # prefix "<Context> failed: "
        self.server_message = server_message
        self.down = down or reason        # the cause in a few words, for the requests the circuit refuses


class _TooLarge(Exception):
    """An answer that cannot be read within the size limit."""


class _Circuit(object):
    """The request that found the server down; the later requests of the client fail at once by it.

    Each refused request gets its own exception (one instance must not be raised by several
    threads), and its sentence names its own operation, then the one that found the server down.
    """

    def __init__(self, server, context, failure, attempts):
        self.server = server
        self.context = context
        self.cause = "%s, %d attempt%s" % (failure.down, attempts, "" if attempts == 1 else "s")
        self.status = failure.status

    def refuse(self, context, obj, attempts):
        """The failure of the request ``context`` after ``attempts`` attempts of its own (0: none)."""
        done = "was not attempted" if not attempts else "was not attempted again after %d attempt%s" % (
            attempts, "" if attempts == 1 else "s")
        return DrWebTransportError(
            "%s %s: the Dr.Web server at %s was found down while %s (%s)."
            % (parser.capital(context), done, self.server, self.context, self.cause), obj=obj, status=self.status)


def _scrubbed(exc, secrets):
    """``exc`` with every text that may quote the server scrubbed of ``secrets``."""
    exc.message = scrub(exc.message, secrets)
    exc.args = (exc.message,)
    if getattr(exc, "server_message", None):
        exc.server_message = scrub(exc.server_message, secrets)
    return exc


def _retry_after(value):
    """Seconds from a Retry-After header (a number or an HTTP date), or None."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_tz(value)
        return max(0, int(email.utils.mktime_tz(when) - time.time())) if when else None
    except (TypeError, ValueError, OverflowError):
        return None


def _inflater(encoding):
    """``inflate(chunk, room)``: a generator of decoded pieces, ``room`` bytes in all at most; None if unknown.

    Pieces are at most READ_CHUNK * 16 bytes, so that a bomb never inflates much beyond the limit.
    """
    if encoding in ("identity", ""):
        def identity(chunk, room):
            yield chunk
        return identity
    if encoding in ("gzip", "x-gzip"):
        wbits = [16 + zlib.MAX_WBITS]
    elif encoding == "deflate":
        # RFC 9110 deflate is zlib-wrapped, but some servers send raw deflate.
        wbits = [zlib.MAX_WBITS, -zlib.MAX_WBITS]
    else:
        return None
    state = {"obj": zlib.decompressobj(wbits[0]), "started": False}

    def inflate(chunk, room):
        while chunk and room > 0:
            try:
                piece = state["obj"].decompress(chunk, min(room, READ_CHUNK * 16))
            except zlib.error:
                if state["started"] or len(wbits) < 2:
                    raise _TooLarge("the answer's %s data is corrupt" % encoding)
                state["obj"], state["started"] = zlib.decompressobj(wbits[1]), True
                continue
            state["started"] = True
            room -= len(piece)
            yield piece
            # A full piece leaves input behind; gzip may also hold several members.
            chunk = state["obj"].unconsumed_tail or state["obj"].unused_data
            if state["obj"].eof and state["obj"].unused_data:
                state["obj"] = zlib.decompressobj(wbits[0])
    return inflate


class _Watch(object):
    """The deadline of one request and the connection it is using."""

    __slots__ = ("when", "expired", "done", "sent", "conn", "sock")

    def __init__(self, when):
        self.when = when
        self.expired = self.done = self.sent = False
        self.conn = self.sock = None


class _Watchdog(object):
    """One thread per client that shuts down the socket of a request past its deadline.

    ``timeout`` of requests applies to each socket operation, so a server that sends one
    byte per second never trips it; this bounds connect + headers + body together. A socket
    is shut down only while the expired request still owns its connection, never after the
    connection went back to the pool for another request.
    """

    def __init__(self):
        self._cond = threading.Condition()
        self._heap = []
        self._order = itertools.count()
        self._thread = None
        self._closed = False

    def start(self, seconds):
        watch = _Watch(time.monotonic() + seconds)
        with self._cond:
            heapq.heappush(self._heap, (watch.when, next(self._order), watch))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="drweb-deadline")
                self._thread.daemon = True
                self._thread.start()
            # The thread sleeps until the earliest deadline; a later one (every request of the
            # same timeout) need not wake it. Waking it per request cost a GIL hand-off each.
            if self._heap[0][2] is watch:
                self._cond.notify()
        return watch

    def attach(self, watch, conn, sock):
        with self._cond:
            watch.conn = conn
            conn.drweb_watch = watch
            if sock is not None:
                watch.sock = sock

    def finish(self, watch):
        with self._cond:
            watch.done = True
            # It stays in the heap until its deadline; it must not keep the socket alive till then.
            watch.conn = watch.sock = None

    def close(self):
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _run(self):
        with self._cond:
            while not self._closed:
                now = time.monotonic()
                while self._heap and (self._heap[0][2].done or self._heap[0][0] <= now):
                    watch = heapq.heappop(self._heap)[2]
                    if not watch.done:
                        self._expire(watch)
                self._cond.wait(self._heap[0][0] - now if self._heap else None)

    @staticmethod
    def _expire(watch):
        watch.expired = True
        if watch.conn is not None and getattr(watch.conn, "drweb_watch", None) is not watch:
            return
        for sock in (watch.sock, getattr(watch.conn, "sock", None)):
            if sock is not None:
                try:
                    # The plain socket call: SSLSocket.shutdown would also tear down its TLS state
                    # under the feet of the reading thread. A blocked recv returns at once.
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)
                except (OSError, TypeError, ValueError):
                    pass


class _Answer(object):
    """What the client reads of an answer (status, headers, the raw stream), as requests' Response offers it."""

    __slots__ = ("status_code", "headers", "raw")

    def __init__(self, raw):
        self.status_code = raw.status
        self.headers = raw.headers
        self.raw = raw

    def close(self):
        # As Response.close() after a streamed read: close the stream, give the connection back.
        self.raw.close()
        self.raw.release_conn()


def _watched_adapter(local, watchdog, pool_size):
    """An HTTPAdapter whose connections report to ``watchdog`` under the request in ``local.watch``."""

    class Watched(object):
        def _new_conn(self):
            sock = super(Watched, self)._new_conn()
            watch = getattr(local, "watch", None)
            if watch is not None:
                watchdog.attach(watch, self, sock)
            return sock

        def request(self, *args, **kwargs):  # pylint: disable=arguments-differ
            watch = getattr(local, "watch", None)
            if watch is not None:
                # A kept-alive connection is connected already: this is the first the watch sees of it.
                watchdog.attach(watch, self, getattr(self, "sock", None))
                watch.sent = True
            return super(Watched, self).request(*args, **kwargs)

    class Connection(Watched, HTTPConnection):
        pass

    class TLSConnection(Watched, HTTPSConnection):
        pass

    class Pool(HTTPConnectionPool):
        ConnectionCls = Connection

    class TLSPool(HTTPSConnectionPool):
        ConnectionCls = TLSConnection

    pools = {"http": Pool, "https": TLSPool}

    class Adapter(HTTPAdapter):
        """Our pools, each looked up and TLS-configured once: one client talks to one server."""

        def init_poolmanager(self, *args, **kwargs):  # pylint: disable=arguments-differ
            super(Adapter, self).init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = pools
            self.drweb_pools = {}

        def _kept(self, method, request_or_url, *args, **kwargs):
            url = getattr(request_or_url, "url", request_or_url)
            key = (method, url.split("/", 3)[2] if url.count("/") >= 2 else url, url.partition(":")[0])
            pool = self.drweb_pools.get(key)
            if pool is None:
                pool = self.drweb_pools[key] = getattr(super(Adapter, self), method)(request_or_url, *args, **kwargs)
            return pool

        def get_connection_with_tls_context(self, request, *args, **kwargs):  # pylint: disable=arguments-differ
            return self._kept("get_connection_with_tls_context", request, *args, **kwargs)

        def get_connection(self, url, *args, **kwargs):  # pylint: disable=arguments-differ
            # What requests before 2.32.2 calls instead of the method above.
            return self._kept("get_connection", url, *args, **kwargs)

        def cert_verify(self, conn, url, verify, cert):
            # It stats the CA file on every call; for a pool it always sets the same.
            if getattr(conn, "drweb_verified", None) != (verify, cert):
                super(Adapter, self).cert_verify(conn, url, verify, cert)
                conn.drweb_verified = (verify, cert)

        def build_response(self, req, resp):
            return _Answer(resp)

        def request_url(self, request, proxies):
            # Set by DrWebClient._get, which works it out once per script instead of parsing the URL twice per request.
            line = getattr(request, "drweb_request_url", None)
            return super(Adapter, self).request_url(request, proxies) if line is None else line

        def proxy_manager_for(self, proxy, **proxy_kwargs):
            manager = super(Adapter, self).proxy_manager_for(proxy, **proxy_kwargs)
            manager.pool_classes_by_scheme = pools
            return manager

    return Adapter(pool_connections=1, pool_maxsize=pool_size, max_retries=0)


def _encode_query(query, template):
    """The query string as requests encodes it; pairs of text, what the client sends, without its generic walk."""
    for pair in query:
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str) and isinstance(pair[1], str)):
            return template._encode_params(query)  # pylint: disable=protected-access
    return urlencode(query, doseq=True)


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
        if nxt is None:
            # ("Connection aborted.", ConnectionResetError(...)): the exception says more than the text.
            nxt = next((a for a in reversed(getattr(current, "args", None) or ()) if isinstance(a, BaseException)), None)
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
