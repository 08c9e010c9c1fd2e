# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One API request from path and parameters to a response: auth, routing, faults, handler.

The HTTP layer only moves bytes; everything the API decides happens here.
"""

import base64
import binascii
import hmac
import re
import time
import traceback
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from . import api
from .context import Context, output_format
from .envelope import CONTENT_TYPES
from .errors import ERR_AUTH, ERR_INTERNAL, ERR_METHOD, ERR_NO_SUCH_SCRIPT, ERR_PRIVILEGE, NO_PRIVILEGE, ApiError
from .params import Params

_PATH = re.compile(r"^/api/(?P<obj>[A-Za-z0-9_-]+)/(?P<script>[A-Za-z0-9_-]+)\.ds$")
_PROXY_PAGE = "<html><head><title>{0} {1}</title></head><body><h1>{0} {1}</h1></body></html>\n"
_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
            504: "Gateway Timeout"}


@dataclass
class Response:
    status: int = 200
    headers: list = field(default_factory=list)
    body: bytes = b""
    drop: bool = False            # close the connection without answering
    log: dict = field(default_factory=dict)


def handle(app, method, path, query, body, headers):
    started = time.perf_counter()
    pairs = parse_qsl(query, keep_blank_values=True)
    content_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if method == "POST" and body and content_type in ("", "application/x-www-form-urlencoded"):
        pairs += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    params = Params(pairs)
    match = _PATH.match(path)
    route = api.resolve(match["obj"], match["script"]) if match else None
    now = time.time()
    log = {"method": method, "path": path,
           "object": match["obj"] if match else None,
           "script": route.script if route else (match["script"] if match else None),
           "params": params.masked(), "write": bool(route and route.write)}
    try:
        fmt = output_format(params, headers)
    except ApiError as exc:
        return _finish(app, _error(app, "xml", exc, now), log, "xml", started)
    log["format"] = fmt

    account = _account(app, headers.get("authorization"))
    if method not in ("GET", "POST"):
        response = _error(app, fmt, ApiError(ERR_METHOD, "Method %s is not allowed" % method, 405), now)
    elif account is None:
        response = _error(app, fmt, ApiError(ERR_AUTH, "Authorization failed", 401), now)
    elif route is None:
        response = _error(app, fmt, ApiError(ERR_NO_SUCH_SCRIPT, "Unknown request path '%s'" % path, 404), now)
    elif account == READONLY and route.write and route.obj != "server":
        # A missing privilege is HTTP 401 like bad credentials (SPEC §1.3); jobs fail inside
        # the payload instead (server/tasks.ds, see api/server.py).
        log["readonly"] = True
        response = _error(app, fmt, ApiError(ERR_PRIVILEGE, NO_PRIVILEGE, 401), now)
    else:
        if account == READONLY:
            log["readonly"] = True
        response = _run(app, route, params, fmt, log, readonly=account == READONLY)
    return _finish(app, response, log, fmt, started)


def _run(app, route, params, fmt, log, readonly=False):
    decision = app.faults.decide(route)
    if decision.latency_ms:
        time.sleep(decision.latency_ms / 1000.0)
    if decision.outcome:
        log["fault"] = decision.label
    if decision.outcome == "drop":
        return Response(drop=True)
    if decision.outcome == "status":
        return _fault_status(app, fmt, decision.status)

    store = app.store
    with store.lock:
        now = time.time()
        ctx = Context(store, app.config, params, fmt, now, readonly=readonly)
        try:
            payload = route.handler(ctx)
            body = app.envelope.success(fmt, payload, now)
            response = Response(200, app.envelope.headers(True), body)
        except ApiError as exc:
            response = _error(app, fmt, exc, now)
        except Exception:  # noqa: BLE001 - a bug must not kill the connection silently
            traceback.print_exc()
            response = _error(app, fmt, ApiError(ERR_INTERNAL, "Internal server error", 500), now)
        store.save_if_dirty()

    if decision.outcome == "drop_after_apply":
        return Response(drop=True, log=response.log)
    if decision.outcome == "malformed":
        response.body = response.body[: max(1, len(response.body) // 2)]
    return response


ADMIN = "admin"
READONLY = "readonly"


def _account(app, header):
    """``ADMIN``, ``READONLY`` or None for the request's Basic credentials."""
    if not header or not header[:6].lower() == "basic ":
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, password = (decoded.split(":", 1) + [""])[:2]
    config = app.config
    if _matches(user, password, config.user, config.password):
        return ADMIN
    if config.readonly_user and _matches(user, password, config.readonly_user, config.readonly_password):
        return READONLY
    return None


def _matches(user, password, want_user, want_password):
    # Compare both fields even when the first differs so timing says nothing.
    ok_user = hmac.compare_digest(user.encode(), want_user.encode())
    ok_password = hmac.compare_digest(password.encode(), want_password.encode())
    return ok_user and ok_password


def _error(app, fmt, exc, now):
    # No WWW-Authenticate on 401: the server never challenges (SPEC §1.3).
    body = app.envelope.error(fmt, exc.errno, exc.message, now)
    return Response(exc.http_status, app.envelope.headers(False), body, log={"errno": exc.errno})


def _fault_status(app, fmt, status):
    if status == 500:
        return _error(app, fmt, ApiError(ERR_INTERNAL, "Internal server error (injected)", 500), time.time())
    # Anything else looks like it came from a proxy in front of the server: HTML, no x-drweb-*.
    page = _PROXY_PAGE.format(status, _REASONS.get(status, "Error")).encode()
    return Response(status, [("Content-Type", "text/html; charset=utf-8")], page)


def _finish(app, response, log, fmt, started):
    if not response.drop and not any(header[0].lower() == "content-type" for header in response.headers):
        response.headers.append(("Content-Type", CONTENT_TYPES[fmt]))
    log.update(response.log)
    log.setdefault("format", fmt)
    log["status"] = 0 if response.drop else response.status
    log["duration_ms"] = round((time.perf_counter() - started) * 1000, 3)
    response.log = log
    app.stats.record(log)
    return response
