# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A tiny HTTP(S) server on loopback that answers canned Dr.Web API bodies.

Deliberately not the project's emulator: the unit tests pin the client's transport
behaviour (headers, retries, paging, TLS) against exact, hand-written answers.

    with StubServer() as srv:
        srv.add('stations/info', Reply(body=xml_doc('<stations total="0"/>')))
        client = DrWebClient(srv.url, 'admin', 'secret', backoff=0)
        ...
        srv.requests[0].params   # [('id', 'ws-1'), ...]

Replies for one script are consumed in order and the last one repeats. A reply may be
a callable ``fn(request) -> Reply``. ``Reply(action='drop')`` closes the connection
without an answer, ``Reply(action='hang')`` never answers (until the server stops).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket
import threading

from ansible.module_utils.six.moves.BaseHTTPServer import BaseHTTPRequestHandler
from ansible.module_utils.six.moves.socketserver import ThreadingMixIn
from ansible.module_utils.six.moves.BaseHTTPServer import HTTPServer
from ansible.module_utils.six.moves.urllib.parse import parse_qsl, urlsplit

# The administrator password of the clients the tests make.
PASSWORD = 'S3cr3t-pw!'

XML_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<drweb-es-api api_version="4.3.2" timestamp="1700000000" server="127.0.0.1" '
            'srv_version="13.00.1.202310121" status="%s">')


def xml_doc(payload, status=True):
    return (XML_HEAD % ('true' if status else 'false')) + payload + '</drweb-es-api>'


def xml_error(errno, message):
    return xml_doc('<error><errno>%d</errno><message>%s</message></error>' % (errno, message), status=False)


def _json_head(status):
    return {"status": status, "timestamp": 1700000000,
            "api": {"version": 40302, "versionString": "4.3.2"},
            "server": {"name": "127.0.0.1", "version": "13.00.1.202310121",
                       "uuid": "b35d999d-9212-481d-af8c-8551c4113383"}}


def json_doc(data):
    return json.dumps({"head": _json_head(True), "data": data})


def json_error(code, message):
    return json.dumps({"head": _json_head(False), "error": {"code": code, "message": message}})


class Reply(object):
    def __init__(self, body='', status=200, headers=None, action=None, content_type=None):
        self.body = body.encode('utf-8') if not isinstance(body, bytes) else body
        self.status = status
        self.headers = dict(headers or {})
        self.action = action
        if content_type is None:
            content_type = 'application/json; charset=utf-8' if self.body[:1] in (b'{', b'[') else 'application/xml; charset=utf-8'
        self.content_type = content_type


class Request(object):
    def __init__(self, method, path, params, headers, peer=None):
        self.method = method
        self.peer = peer
        self.path = path
        self.params = params
        self.headers = headers
        # "stations/info" for "/api/stations/info.ds"
        script = path
        if script.startswith('/api/'):
            script = script[len('/api/'):]
        if script.endswith('.ds'):
            script = script[:-3]
        self.script = script

    def param(self, name):
        return [v for n, v in self.params if n == name]

    def __repr__(self):
        return 'Request(%s %s %r)' % (self.method, self.path, self.params)


class _Server(ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # Clients that hang up (timeouts, TLS rejections) are part of the tests.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    # Headers and body in one segment: otherwise Nagle plus delayed ACK cost 40 ms a request.
    disable_nagle_algorithm = True
    wbufsize = 65536

    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass

    def do_GET(self):  # pylint: disable=invalid-name
        self._serve()

    def do_POST(self):  # pylint: disable=invalid-name
        self._serve()

    def _serve(self):
        stub = self.server.stub
        parts = urlsplit(self.path)
        params = parse_qsl(parts.query, keep_blank_values=True)
        length = int(self.headers.get('Content-Length') or 0)
        if length:
            self.rfile.read(length)
        request = Request(self.command, parts.path, params, dict((k.lower(), v) for k, v in self.headers.items()),
                          self.client_address)
        with stub.lock:
            stub.requests.append(request)
        reply = stub.next_reply(request)
        if reply.action == 'drop':
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if reply.action == 'hang':
            stub.stopping.wait(30)
            self.close_connection = True
            return
        self.send_response(reply.status)
        self.send_header('Content-Type', reply.content_type)
        self.send_header('Content-Length', str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)


class StubServer(object):
    # Subclasses (the reliability suite's hostile server) answer with a handler of their own.
    handler = _Handler

    def __init__(self, ssl_context=None):
        self.ssl_context = ssl_context
        self.routes = {}
        self.requests = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._server = None
        self._thread = None

    def add(self, script, *replies):
        """Queue replies for ``script`` ("stations/info"); the last one repeats."""
        self.routes.setdefault(script, []).extend(replies)
        return self

    def next_reply(self, request):
        with self.lock:
            queue = self.routes.get(request.script)
            if not queue:
                return Reply(xml_doc(''), status=404)
            reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if callable(reply):
            reply = reply(request)
        return reply

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        return '%s://127.0.0.1:%d' % ('https' if self.ssl_context else 'http', self.port)

    def scripts(self):
        return [r.script for r in self.requests]

    def start(self):
        self._server = _Server(('127.0.0.1', 0), self.handler)
        self._server.stub = self
        if self.ssl_context is not None:
            self._server.socket = self.ssl_context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={'poll_interval': 0.01})
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self):
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def refused_url():
    """An http URL on loopback where nothing listens."""
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return 'http://127.0.0.1:%d' % port


def make_client(url, **kwargs):
    """A DrWebClient for ``url`` with the tests' defaults: admin and PASSWORD, no backoff, a 5 s timeout."""
    # Imported here: the stub itself needs neither requests nor the client.
    from ansible_collections.drweb.esuite.plugins.module_utils._client import DrWebClient  # pylint: disable=import-outside-toplevel
    kwargs.setdefault('username', 'admin')
    kwargs.setdefault('password', PASSWORD)
    kwargs.setdefault('backoff', 0)
    kwargs.setdefault('timeout', 5)
    return DrWebClient(url, **kwargs)
