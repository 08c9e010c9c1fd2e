# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP/1.1 keep-alive server (stdlib) that hands requests to dispatch and admin."""

import socket
import ssl
import struct
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import admin, dispatch
from .reqlog import iso_now

MAX_BODY = 1 << 20


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address, app, ssl_context=None):
        self.app = app
        self.ssl_context = ssl_context
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def get_request(self):
        sock, address = super().get_request()
        if self.ssl_context is not None:
            # The handshake runs in the worker thread (finish_request) so one slow or
            # broken client cannot stall accept().
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def finish_request(self, request, client_address):
        if isinstance(request, ssl.SSLSocket):
            try:
                request.settimeout(10)
                request.do_handshake()
                request.settimeout(None)
            except (ssl.SSLError, OSError):
                return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        # Clients that vanish mid-request are normal under fault injection.
        pass


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "drweb-emulator"
    sys_version = ""
    timeout = 300          # idle keep-alive connections give their thread back eventually
    disable_nagle_algorithm = True

    def setup(self):
        super().setup()
        self.connection_number = self.server.app.stats.connection_opened()

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_DELETE(self):
        self._handle("DELETE")

    def do_PUT(self):
        self._handle("PUT")

    def do_HEAD(self):
        self._handle("HEAD")

    def _handle(self, method):
        app = self.server.app
        split = urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self.send_error(413 if length > MAX_BODY else 400)
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        if split.path.startswith("/_emulator/") or split.path == "/_emulator":
            status, content_type, payload = admin.handle(app, method, split.path, body)
            self._send(status, [("Content-Type", content_type)], payload)
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        response = dispatch.handle(app, method, split.path, split.query, body, headers)
        app.stats.record_connection(self.connection_number)
        entry = {"time": iso_now(), "client": self.client_address[0], "connection": self.connection_number}
        entry.update(response.log)
        app.request_log.write(entry)
        if response.drop:
            self._drop()
            return
        self._send(response.status, response.headers, response.body, head=method == "HEAD")

    def _send(self, status, headers, body, head=False):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        # Headers and body in one write: two small segments would meet delayed ACKs.
        self._headers_buffer.append(b"\r\n")
        if not head:
            self._headers_buffer.append(body)
        self.flush_headers()

    def _drop(self):
        # RST instead of FIN where possible: the client sees a reset, not a clean end.
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_connection = True
