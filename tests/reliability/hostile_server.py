# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A loopback server that answers the Dr.Web Web API the way a broken or hostile server would.

A test tool, not part of the emulator (standard library only). Every script answers a small,
valid document ("normal") unless the server's ``mode`` applies to it (``scripts``, default all):

==================  =====================================================================
drip-body           valid headers, then the body one byte every ``interval`` seconds
drip-headers        a status line, then one header line every ``interval`` seconds, forever
silent              reads the request and never answers
503-always          HTTP 503 (with ``Retry-After`` when ``retry_after`` is set)
refuse              nothing listens on the port (``requests`` stays empty)
huge-body           200 with a body of ``huge_mb`` MiB (200) and no Content-Length, sent until the client hangs up
gzip-bomb           ``Content-Encoding: gzip``, ~0.5 MiB on the wire, ``bomb_mb`` MiB (512) inflated
endless-paging      stations-list claims 10**8 stations and always sends a full page of new ones
auth-echo           401 / 400 / 500 / 503 error envelopes quoting the request's Authorization
                    header, its decoded credentials and its query string
malformed-success   stations/info answers status="true" without any station
wrong-id            stations/info answers status="true" with another station (an integer id in JSON)
==================  =====================================================================

    with HostileServer("drip-body", interval=0.2) as server:
        ... server.url ...
        server.requests      # [Request(script, params, headers)], in arrival order
        server.writes()      # the add/change/delete/tasks requests among them
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import socket
import sys
import threading
import time
import zlib

from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

# The unit tests' loopback stub owns the server plumbing (threads, TLS, start/stop).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "unit", "plugins", "module_utils"))
import http_stub  # noqa: E402 pylint: disable=wrong-import-position,import-error

MODES = ("drip-body", "drip-headers", "silent", "503-always", "refuse", "huge-body", "gzip-bomb",
         "endless-paging", "auth-echo", "malformed-success", "wrong-id")
WRITES = ("stations/add", "stations/change", "stations/delete", "server/tasks")
EVERYONE = "20e27d73-d21d-b211-a788-85419c46f0e6"
CLAIMED_STATIONS = 10 ** 8
# auth-echo answers each family of scripts with another status (all of them seen echoing in the probe).
ECHO_STATUS = (("stations/", 401), ("groups/stations-list", 500), ("groups/components", 400), ("server/", 503))

_XML = ('<?xml version="1.0" encoding="UTF-8"?>\n<drweb-es-api api_version="4.3.2" timestamp="1700000000" '
        'server="127.0.0.1" srv_version="13.00.1.202310121" status="%s">%s</drweb-es-api>')
_BOMBS = {}
_BOMB_LOCK = threading.Lock()


def gzip_bomb(megabytes):
    """A gzip stream of ``megabytes`` MiB of zeros (built once per size, ~1/1000 of it on the wire)."""
    with _BOMB_LOCK:
        if megabytes not in _BOMBS:
            packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            block = b"\0" * (1024 * 1024)
            parts = [packer.compress(block) for dummy in range(megabytes)]
            _BOMBS[megabytes] = b"".join(parts) + packer.flush()
        return _BOMBS[megabytes]


def _head(status=True):
    return {"status": status, "timestamp": 1700000000, "api": {"version": 40302, "versionString": "4.3.2"},
            "server": {"name": "127.0.0.1", "version": "13.00.1.202310121", "uuid": "b35d999d-9212-481d-af8c-8551c4113383"}}


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _station_xml(station_id):
    return ('<station id="%s" name="%s" created="1700000000" modified="1700000000" parent_id="%s" parent_name="Everyone" '
            'parent_type="1" password="" state="1"><city>Berlin</city><acl priority="allow"><allowed/><disallowed/></acl>'
            '</station>' % (_escape(station_id), _escape(station_id), EVERYONE))


def _listed_xml(station_id):
    return ('<station id="%s" name="%s" last_seen_time="0" last_seen_addr="" state="0" os="16842752" os_name="Linux" '
            'login_addr="" login_mac="" createtime="20231110132600486" blockbeg="0" blockend="0"/>'
            % (_escape(station_id), _escape(station_id)))


class Request(object):
    def __init__(self, script, params, headers):
        self.script = script
        self.params = params
        self.headers = headers
        self.time = time.time()

    def param(self, name):
        return [v for n, v in self.params if n == name]

    def __repr__(self):
        return "Request(%s %r)" % (self.script, self.params)


class Answer(object):
    def __init__(self, body=b"", status=200, headers=(), fmt="xml"):
        self.body = body.encode("utf-8") if not isinstance(body, bytes) else body
        self.status = status
        self.headers = list(headers)
        self.content_type = "application/json; charset=utf-8" if fmt == "json" else "application/xml; charset=utf-8"


def normal_answer(request, listing_size=3):
    """The small valid answer of every script, in the format asked for."""
    fmt = "json" if request.param("format") == ["json"] else "xml"
    ids = request.param("id") or ["ws-0001"]
    script = request.script
    if fmt == "json":
        data = _normal_json(script, ids, listing_size)
        if data is None:
            return Answer(json.dumps({"head": _head(False), "error": {"code": 404, "message": "No such script"}}), 404, fmt=fmt)
        return Answer(json.dumps({"head": _head(), "data": data}), fmt=fmt)
    payload = _normal_xml(script, ids, request, listing_size)
    if payload is None:
        return Answer(_XML % ("false", "<error><errno>404</errno><message>No such script</message></error>"), 404)
    return Answer(_XML % ("true", payload))


def _normal_xml(script, ids, request, listing_size):
    if script == "stations/info":
        return '<stations total="%d">%s</stations>' % (len(ids), "".join(_station_xml(i) for i in ids))
    if script == "stations/state":
        return "<states>%s</states>" % "".join('<state id="%s">online</state>' % _escape(i) for i in ids)
    if script in ("stations/add", "stations/change"):
        return '<station id="%s"/>' % _escape(ids[0])
    if script == "groups/info":
        return '<groups total="%d">%s</groups>' % (len(ids), "".join(
            '<group id="%s" name="%s" child_groups="0" stations="3" type="1"/>' % (_escape(i), _escape(i)) for i in ids))
    if script == "groups/list":
        return '<groups total="0"/>'
    if script == "groups/stations-list":
        rows = "".join(_listed_xml("st-%02d" % n) for n in range(1, listing_size + 1))
        return '<stations total="%d">%s</stations><pages total="1" current="1" objects-per-page="1000"/>' % (listing_size, rows)
    if script == "server/tasks":
        return '<task id="%s" status="success" message=""/>' % _escape((request.param("task-id") or ["x"])[0])
    return None


def _normal_json(script, ids, listing_size):
    if script == "stations/info":
        return {"total": len(ids), "list": [{"id": i, "name": i, "parent_id": EVERYONE, "parent_name": "Everyone",
                                             "parent_type": "1", "state": 1, "city": "Berlin",
                                             "acl": {"priority": "allow", "allowed": [], "disallowed": []}} for i in ids]}
    if script == "stations/state":
        return {"total": len(ids), "list": [{"id": i, "state": "online"} for i in ids]}
    if script in ("stations/add", "stations/change"):
        return {"id": ids[0]}
    if script == "groups/info":
        return {"total": len(ids), "list": [{"id": i, "name": i, "child_groups": 0, "stations": 3, "type": 1} for i in ids]}
    if script == "groups/stations-list":
        return {"stations": {"total": listing_size, "list": [{"id": "st-%02d" % n, "name": "st-%02d" % n, "state": 0}
                                                             for n in range(1, listing_size + 1)]},
                "pages": {"total": 1, "current": 1, "objects_per_page": 1000}}
    return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass

    def do_GET(self):  # pylint: disable=invalid-name
        self._serve()

    do_POST = do_GET

    def _serve(self):
        hostile = self.server.stub
        parts = urlsplit(self.path)
        script = parts.path
        for prefix, suffix in (("/api/", ""), ("", ".ds")):
            if prefix and script.startswith(prefix):
                script = script[len(prefix):]
            if suffix and script.endswith(suffix):
                script = script[:-len(suffix)]
        request = Request(script, parse_qsl(parts.query, keep_blank_values=True),
                          dict((k.lower(), v) for k, v in self.headers.items()))
        with hostile.lock:
            hostile.requests.append(request)
        mode = hostile.mode if hostile.applies(script) else "normal"
        getattr(self, "_" + mode.replace("-", "_"))(hostile, request)

    # -- plumbing
    def _answer(self, request):
        return normal_answer(request, self.server.stub.listing_size)

    def _send(self, answer):
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)

    def _raw(self, data):
        self.wfile.write(data)
        self.wfile.flush()

    def _normal(self, hostile, request):
        self._send(self._answer(request))

    # -- the modes
    def _drip_body(self, hostile, request):
        answer = self._answer(request)
        self._raw(("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
                   % (answer.content_type, len(answer.body))).encode("ascii"))
        for index in range(len(answer.body)):
            if hostile.stopping.wait(hostile.interval):
                break
            self._raw(answer.body[index:index + 1])
        self.close_connection = True

    def _drip_headers(self, hostile, request):
        self._raw(b"HTTP/1.1 200 OK\r\n")
        count = 0
        while not hostile.stopping.wait(hostile.interval):
            count += 1
            self._raw(("X-Drip-%d: still coming\r\n" % count).encode("ascii"))
        self.close_connection = True

    def _silent(self, hostile, request):
        hostile.stopping.wait(600)
        self.close_connection = True

    def _503_always(self, hostile, request):
        headers = [("Retry-After", str(hostile.retry_after))] if hostile.retry_after is not None else []
        self._send(Answer("<html><body>Service Unavailable</body></html>", 503, headers))

    def _huge_body(self, hostile, request):
        size = hostile.huge_mb * 1024 * 1024
        # No Content-Length (the body ends when the connection does): only the reading loop can stop it.
        self._raw(b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nConnection: close\r\n\r\n")
        block = b" " * 65536
        sent = 0
        while sent < size and not hostile.stopping.is_set():
            self._raw(block[:min(len(block), size - sent)])
            sent += len(block)
        self.close_connection = True

    def _gzip_bomb(self, hostile, request):
        self._send(Answer(gzip_bomb(hostile.bomb_mb), headers=[("Content-Encoding", "gzip")]))

    def _endless_paging(self, hostile, request):
        if request.script != "groups/stations-list":
            return self._normal(hostile, request)
        page = int((request.param("page") or ["1"])[0])
        per_page = int((request.param("per-page") or ["1000"])[0])
        rows = "".join(_listed_xml("p%d-%d" % (page, n)) for n in range(per_page))
        self._send(Answer(_XML % ("true", '<stations total="%d">%s</stations><pages total="%d" current="%d" objects-per-page="%d"/>'
                                  % (CLAIMED_STATIONS, rows, CLAIMED_STATIONS // per_page, page, per_page))))

    def _auth_echo(self, hostile, request):
        authorization = request.headers.get("authorization", "")
        try:
            decoded = base64.b64decode(authorization.split(" ", 1)[-1]).decode("utf-8", "replace")
        except (ValueError, TypeError):
            decoded = ""
        status = next((code for prefix, code in ECHO_STATUS if request.script.startswith(prefix)), 500)
        echo = "Denied: Authorization: %s (token %s, user %s) for %s?%s" % (
            authorization, authorization.split(" ", 1)[-1], decoded, request.script,
            "&".join("%s=%s" % pair for pair in request.params))
        self._send(Answer(_XML % ("false", "<error><errno>%d</errno><message>%s</message></error>" % (status, _escape(echo))),
                          status))

    def _malformed_success(self, hostile, request):
        if request.script != "stations/info":
            return self._normal(hostile, request)
        if request.param("format") == ["json"]:
            return self._send(Answer(json.dumps({"head": _head(), "data": {"total": 0, "list": []}}), fmt="json"))
        self._send(Answer(_XML % ("true", '<stations total="0"/>')))

    def _wrong_id(self, hostile, request):
        if request.script != "stations/info":
            return self._normal(hostile, request)
        if request.param("format") == ["json"]:
            data = {"total": 1, "list": [{"id": 12345, "name": "other", "state": 1}]}
            return self._send(Answer(json.dumps({"head": _head(), "data": data}), fmt="json"))
        self._send(Answer(_XML % ("true", '<stations total="1">%s</stations>' % _station_xml("other-station"))))


class ConnectProxy(object):
    """A CONNECT-only proxy on loopback that tunnels every request to ``target`` and records each CONNECT.

    ``connects`` holds ``(request line, {header: value})`` per tunnel asked for; with ``password``
    set, a CONNECT without the matching ``Proxy-Authorization`` gets a 407.
    """

    def __init__(self, target, user=None, password=None):
        self.target = target
        self.expected = None
        if password is not None:
            self.expected = "Basic " + base64.b64encode(("%s:%s" % (user or "", password)).encode("utf-8")).decode("ascii")
        self.connects = []
        self.lock = threading.Lock()
        self._listener = None
        self._thread = None
        self._stopping = threading.Event()
        self.port = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self):
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept)
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(5)
        if self._listener is not None:
            self._listener.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _accept(self):
        while not self._stopping.is_set():
            try:
                client, dummy = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            worker = threading.Thread(target=self._tunnel, args=(client,))
            worker.daemon = True
            worker.start()

    def _tunnel(self, client):
        client.settimeout(10)
        head = b""
        try:
            while b"\r\n\r\n" not in head and len(head) < 65536:
                data = client.recv(4096)
                if not data:
                    return client.close()
                head += data
            text, dummy, rest = head.partition(b"\r\n\r\n")
            lines = text.decode("latin-1").split("\r\n")
            headers = dict((k.strip().lower(), v.strip()) for k, sep, v in (line.partition(":") for line in lines[1:]) if sep)
            with self.lock:
                self.connects.append((lines[0], headers))
            if not lines[0].startswith("CONNECT "):
                client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return client.close()
            if self.expected is not None and headers.get("proxy-authorization") != self.expected:
                client.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                               b"Content-Length: 0\r\nConnection: close\r\n\r\n")
                return client.close()
            upstream = socket.create_connection(self.target, timeout=10)
        except OSError:
            return client.close()
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        if rest:
            upstream.sendall(rest)
        pump = threading.Thread(target=_pump, args=(upstream, client))
        pump.daemon = True
        pump.start()
        _pump(client, upstream)


def _pump(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    for sock in (source, sink):
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class HostileServer(http_stub.StubServer):
    """One mode on one loopback port (HTTP, or HTTPS with ``ssl_context``); see the module docstring."""

    handler = _Handler

    def __init__(self, mode, scripts=None, interval=0.25, retry_after=None, huge_mb=200, bomb_mb=512, listing_size=3,
                 ssl_context=None):
        if mode not in MODES + ("normal",):
            raise ValueError("unknown mode %r; known: %s" % (mode, ", ".join(MODES)))
        self.mode = mode
        self.scripts = tuple(scripts) if scripts else None
        self.interval = interval
        self.retry_after = retry_after
        self.huge_mb = huge_mb
        self.bomb_mb = bomb_mb
        self.listing_size = listing_size
        self.refused_port = None
        super(HostileServer, self).__init__(ssl_context=ssl_context)

    def applies(self, script):
        return self.scripts is None or script in self.scripts

    @property
    def port(self):
        return self.refused_port if self.mode == "refuse" else super(HostileServer, self).port

    def writes(self):
        return [r for r in self.requests if r.script in WRITES]

    def start(self):
        if self.mode == "refuse":
            # A port that was free a moment ago and where nothing listens now: connections are refused.
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            self.refused_port = sock.getsockname()[1]
            sock.close()
            return self
        if self.mode == "gzip-bomb":
            gzip_bomb(self.bomb_mb)
        return super(HostileServer, self).start()
