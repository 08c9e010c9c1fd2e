# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kept-alive lane (``_lane``) against the usual way (``HTTPAdapter.send``): the same bytes, the same outcomes.

Every test runs the same calls twice against one raw-socket server on one port: once with the
lane allowed (the default) and once with ``client._lane_wanted = False``, and compares what the
server received and what the client made of the answers. The server plays a script per
connection (``'ok'``, ``'reset'``, ``'stall'``...: one action per request on that connection), so
that a fault lands exactly on the second request of a kept-alive connection, the one the lane sends.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import socket
import ssl
import struct
import threading
import time

from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import quoteattr

import pytest

requests = pytest.importorskip('requests')

from ansible_collections.drweb.esuite.plugins.module_utils import _lane  # noqa: E402
from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebError, DrWebTransportError  # noqa: E402

from ansible_collections.drweb.esuite.tests.unit.plugins.module_utils.http_stub import json_doc, make_client, xml_doc  # noqa: E402

# Under urllib3 1.x the lane is off: the parity tests then compare the usual way with itself.
LANE_ON = _lane.HAS_LANE
needs_lane = pytest.mark.skipif(not LANE_ON, reason='the lane needs urllib3 2')
EVERYONE = '20e27d73-d21d-b211-a788-85419c46f0e6'

# Station ids that exercise the query encoding: every reserved character, non-ASCII, a long one.
ODD_IDS = ['ws-1', 'ws 1', '\u0441\u0442-1', 'a+b', 'a&b', 'a=b', '100%', 'a/b', 'a#b', 'a?b', 'x' * 3000,
           'z +&=%/#?\u0441\u0442 z']

FAULTS = ['reset', 'close', 'bad-status', 'truncated', 'two-lengths', 'bad-chunks']
ACTIONS = ['ok'] + FAULTS + ['stall', 'drip']

# The longest request head the server reads before it gives up on a connection.
MAX_HEAD = 256 * 1024


# --------------------------------------------------------------------------- the server


def _station_xml(ids):
    rows = ''.join('<station id=%s name=%s created="1700000000" modified="1700000100" parent_id="%s" '
                   'parent_name="Everyone" parent_type="1" state="1"><os code="16842752">Linux</os></station>'
                   % (quoteattr(i), quoteattr('Station ' + i), EVERYONE) for i in ids)
    return xml_doc('<stations total="%d">%s</stations>' % (len(ids), rows))


def _station_json(ids):
    return json_doc({'total': len(ids), 'list': [
        {'id': i, 'name': 'Station ' + i, 'created_time': 1700000000, 'modified_time': 1700000100,
         'parent_id': EVERYONE, 'parent_name': 'Everyone', 'parent_type': '1', 'state': 1,
         'os_code': 16842752, 'os_name': 'Linux'} for i in ids]})


def _states(ids, fmt):
    if fmt == 'json':
        return json_doc({'states': [{'id': i, 'state': 'online'} for i in ids]})
    return xml_doc('<states>%s</states>' % ''.join('<state id=%s>online</state>' % quoteattr(i) for i in ids))


def answer_body(head):
    """The document that answers the request ``head`` (bytes): its stations, its states, or an empty success."""
    target = head.split(b'\r\n', 1)[0].split(b' ')[1].decode('ascii')
    parts = urlsplit(target)
    params = parse_qsl(parts.query, keep_blank_values=True)
    fmt = 'json' if ('format', 'json') in params else 'xml'
    ids = [v for n, v in params if n == 'id']
    if parts.path.endswith('/stations/info.ds'):
        body = _station_json(ids) if fmt == 'json' else _station_xml(ids)
    elif parts.path.endswith('/stations/state.ds'):
        body = _states(ids, fmt)
    else:
        body = json_doc({}) if fmt == 'json' else xml_doc('')
    content_type = 'application/json; charset=utf-8' if fmt == 'json' else 'application/xml; charset=utf-8'
    return body.encode('utf-8'), content_type


def ok_answer(head):
    body, content_type = answer_body(head)
    return (b'HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: keep-alive\r\n\r\n'
            % (content_type.encode('ascii'), len(body))) + body


class RawServer(object):
    """An HTTP/1.1 server on raw sockets that plays, on its n-th connection, the n-th list of ``scripts``.

    One action per request on that connection ('ok' once the list is used up):

    ok           200 with a document for the request, Content-Length, Connection: keep-alive
    reset        read the request, then RST (SO_LINGER 0 and close)
    close        read the request, then close without answering
    bad-status   a garbage status line, then close
    truncated    a Content-Length 100 bytes beyond the body, the body, then close
    two-lengths  two different Content-Length headers
    bad-chunks   Transfer-Encoding: chunked with a chunk size that is not hex
    stall        read the request and never answer (until the client hangs up)
    drip         the 'ok' answer, one byte every ``drip`` seconds

    ``heads`` holds ``(connection, request, bytes of the request head)`` in arrival order;
    ``counts`` the requests per connection. ``reset(scripts)`` forgets both, hangs up on the
    connections still open and starts numbering connections from 0 again, on the same port.
    Absolute-URI request targets (a client talking to a proxy) are answered alike.
    """

    def __init__(self, ssl_context=None, drip=0.3):
        self.ssl_context = ssl_context
        self.drip = drip
        self.lock = threading.Lock()
        self.scripts = []
        self.heads = []
        self.counts = []
        self._open = set()
        self._quit = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(('127.0.0.1', 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, name='raw-server')
        self._thread.daemon = True
        self._thread.start()

    @property
    def url(self):
        return '%s://127.0.0.1:%d' % ('https' if self.ssl_context else 'http', self.port)

    def reset(self, scripts=()):
        unknown = set(a for s in scripts for a in s) - set(ACTIONS)
        assert not unknown, unknown
        with self.lock:
            old, self._quit = self._quit, threading.Event()
            sockets, self._open = list(self._open), set()
            self.scripts = [list(s) for s in scripts]
            self.heads = []
            self.counts = []
            # Under the lock: a connection of the old scripts records nothing in the new lists.
            old.set()
        for sock in sockets:
            _hang_up(sock)

    def stop(self):
        self.reset()
        self._quit.set()
        _hang_up(self._listener)
        self._listener.close()
        self._thread.join(5)

    def _accept(self):
        while True:
            try:
                sock, dummy = self._listener.accept()
            except OSError:
                return
            worker = threading.Thread(target=self._serve, args=(sock,), name='raw-connection')
            worker.daemon = True
            worker.start()

    def _serve(self, sock):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.lock:
            if self._listener.fileno() < 0:
                sock.close()
                return
            index = len(self.counts)
            self.counts.append(0)
            actions = self.scripts[index] if index < len(self.scripts) else []
            quit_ = self._quit
            self._open.add(sock)
        try:
            if self.ssl_context is not None:
                plain = sock
                sock = self.ssl_context.wrap_socket(plain, server_side=True)
                with self.lock:
                    self._open.discard(plain)
                    self._open.add(sock)
            pending = b''
            number = 0
            while not quit_.is_set():
                head, pending = _read_head(sock, pending)
                if head is None:
                    return
                with self.lock:
                    if quit_.is_set():
                        return
                    self.heads.append((index, number, head))
                    self.counts[index] += 1
                action = actions[number] if number < len(actions) else 'ok'
                number += 1
                if not self._act(sock, action, head, quit_):
                    return
        except (OSError, ValueError):
            pass
        finally:
            _close(sock)

    def _act(self, sock, action, head, quit_):
        """Play ``action``; True when the connection stays open for another request."""
        if action == 'ok':
            sock.sendall(ok_answer(head))
            return True
        if action == 'reset':
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            return False
        if action == 'close':
            return False
        if action == 'bad-status':
            sock.sendall(b'GARBAGE 200 OK\r\n\r\n')
            return False
        body, content_type = answer_body(head)
        if action == 'truncated':
            sock.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n'
                         % (content_type.encode('ascii'), len(body) + 100) + body)
            return False
        if action == 'two-lengths':
            sock.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\nContent-Length: %d\r\n'
                         b'Connection: keep-alive\r\n\r\n' % (content_type.encode('ascii'), len(body), len(body) + 1) + body)
            return False
        if action == 'bad-chunks':
            sock.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n%s\r\n0\r\n\r\n'
                         % (content_type.encode('ascii'), body))
            return False
        if action == 'stall':
            # Until the client hangs up (its deadline shuts its socket down) or the server resets.
            while sock.recv(65536):
                pass
            return False
        # drip
        for byte in ok_answer(head):
            if quit_.wait(self.drip):
                break
            sock.sendall(bytes((byte,)))
        return False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _read_head(sock, pending):
    """``(head up to and with its blank line, what came after it)``, or ``(None, b'')`` when the peer is gone."""
    while b'\r\n\r\n' not in pending:
        if len(pending) > MAX_HEAD:
            return None, b''
        chunk = sock.recv(65536)
        if not chunk:
            return None, b''
        pending += chunk
    end = pending.index(b'\r\n\r\n') + 4
    return pending[:end], pending[end:]


def _hang_up(sock):
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, TypeError, ValueError):
        pass


def _close(sock):
    try:
        sock.close()
    except OSError:
        pass


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope='module')
def tls(tmp_path_factory):
    trustme = pytest.importorskip('trustme')
    ca = trustme.CA()
    cert = ca.issue_cert(u'127.0.0.1', u'localhost')
    ca_file = tmp_path_factory.mktemp('lane-tls') / 'ca.pem'
    ca.cert_pem.write_to_path(str(ca_file))
    return dict(cert=cert, ca_file=str(ca_file))


def _server_for(scheme, tls_material):
    if scheme == 'http':
        return RawServer(), {}
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls_material['cert'].configure_cert(context)
    return RawServer(ssl_context=context), {'ca_path': tls_material['ca_file']}


@pytest.fixture(params=['http', 'https'])
def served(request):
    """``(server, client options)`` over http and over https."""
    material = request.getfixturevalue('tls') if request.param == 'https' else None
    server, options = _server_for(request.param, material)
    yield server, options
    server.stop()


@pytest.fixture
def server():
    with RawServer() as raw:
        yield raw


# --------------------------------------------------------------------------- running with the lane on and off


class Run(object):
    """What one pass of the calls left behind: the outcome, the attempts, the server's record, the lane's use."""

    def __init__(self, outcome, attempts, heads, counts, lane_calls, armed):
        self.outcome = outcome
        self.attempts = attempts
        self.heads = heads
        self.counts = counts
        self.lane_calls = lane_calls
        self.armed = armed

    @property
    def served_by_lane(self):
        """Requests the lane sent (answered or failed), not those it handed back to the usual way."""
        return len([c for c in self.lane_calls if c != 'declined'])

    def compared(self):
        return (self.outcome, self.attempts, self.heads, self.counts)


def outcome_of(call, client):
    try:
        return ('ok', call(client))
    except DrWebError as exc:
        return ('error', type(exc).__name__, str(exc), getattr(exc, 'maybe_applied', None), getattr(exc, 'status', None))


@contextlib.contextmanager
def lane_calls():
    """The outcome of every ``Lane.get`` meanwhile: 'served', 'declined' (None: the usual way sends) or 'raised'."""
    calls = []
    original = _lane.Lane.get

    def counted(self, target, headers):
        try:
            raw = original(self, target, headers)
        except Exception:
            calls.append('raised')
            raise
        calls.append('declined' if raw is None else 'served')
        return raw
    _lane.Lane.get = counted
    try:
        yield calls
    finally:
        _lane.Lane.get = original


def run_once(server, scripts, call, lane, url=None, **options):
    server.reset(scripts)
    client = make_client(url or server.url, **options)
    if not lane:
        # The switch; left alone, the client decides (the lane when it can).
        client._lane_wanted = False
    with lane_calls() as calls:
        try:
            outcome = outcome_of(call, client)
        finally:
            client.close()
    with server.lock:
        heads, counts = list(server.heads), list(server.counts)
    return Run(outcome, client.request_count, heads, counts, list(calls), client._lane is not None)


def run_both(server, scripts, call, lane_expected=True, **options):
    """``(run with the lane, run without)`` of ``call(client)``, after checking that both are the same."""
    on = run_once(server, scripts, call, True, **options)
    off = run_once(server, scripts, call, False, **options)
    assert on.outcome == off.outcome
    assert on.attempts == off.attempts
    assert on.counts == off.counts
    assert on.heads == off.heads
    # Switched off, the lane is never armed nor asked.
    assert not off.armed and off.lane_calls == []
    if lane_expected and LANE_ON:
        # Otherwise the comparison would be of the usual way with itself.
        assert on.armed and on.served_by_lane >= 1, on.lane_calls
    return on, off


def station_calls(ids):
    def call(client):
        return [client.find_station(i) for i in ids]
    return call


# --------------------------------------------------------------------------- 1. bytes parity


@pytest.mark.parametrize('fmt', ['xml', 'json'])
def test_request_heads_are_byte_for_byte_the_same(served, fmt):
    server, options = served

    def call(client):
        found = [client.find_station(i) for i in ODD_IDS]
        found.append(client.station_state(ODD_IDS[:6]))
        found.append(client.station_info_batch(ODD_IDS[:4]))
        return found
    on, off = run_both(server, [], call, api_format=fmt, **options)
    assert on.outcome[0] == 'ok', on.outcome
    stations = on.outcome[1][:len(ODD_IDS)]
    assert [s['id'] for s in stations] == ODD_IDS
    assert on.outcome[1][len(ODD_IDS)] == dict((i, 'online') for i in ODD_IDS[:6])
    # One kept-alive connection for all of them, so every request after the first was the lane's to send.
    assert on.counts == [len(ODD_IDS) + 2]
    if LANE_ON:
        assert on.served_by_lane == len(ODD_IDS) + 1
    assert off.heads[0][2].startswith(b'GET /api/stations/info.ds?id=ws-1')


# --------------------------------------------------------------------------- 2. faults on the kept-alive connection


@pytest.mark.parametrize('fault', FAULTS)
def test_a_fault_on_the_second_request_without_retries(served, fault):
    server, options = served
    on, dummy = run_both(server, [['ok', fault]], station_calls(['ws-1', 'ws-2']), retries=0, **options)
    assert on.outcome[:2] == ('error', DrWebTransportError.__name__), on.outcome
    assert on.outcome[2].startswith('Reading station ws-2 failed: ')
    assert on.attempts == 2 and on.counts == [2]


@pytest.mark.parametrize('fault', FAULTS)
def test_a_fault_on_the_second_request_then_a_retry_on_a_new_connection(served, fault):
    server, options = served
    on, dummy = run_both(server, [['ok', fault], ['ok']], station_calls(['ws-1', 'ws-2']), retries=1, **options)
    if fault == 'two-lengths':
        # An invalid answer is not retried: it comes after the request went out.
        assert on.outcome[:2] == ('error', DrWebTransportError.__name__), on.outcome
        assert on.attempts == 2 and on.counts == [2]
    else:
        assert on.outcome[0] == 'ok', on.outcome
        assert [s['id'] for s in on.outcome[1]] == ['ws-1', 'ws-2']
        assert on.attempts == 3 and on.counts == [2, 1]


# --------------------------------------------------------------------------- 3. a write answered with two lengths


@pytest.mark.parametrize('scripts, reads', [([['ok', 'two-lengths']], 1), ([['two-lengths']], 0)],
                         ids=['second-request', 'first-request'])
def test_a_write_answered_with_two_content_lengths_may_have_been_applied(server, scripts, reads):
    def call(client):
        for dummy in range(reads):
            client.find_station('ws-1')
        return client.request('stations', 'change', [('id', 'ws-1'), ('name', 'New name')], write=True,
                              context='changing station ws-1')
    on, dummy = run_both(server, scripts, call, lane_expected=bool(reads), retries=2)
    kind, name, message, maybe_applied, status = on.outcome
    assert (kind, name) == ('error', DrWebTransportError.__name__)
    assert message.startswith('Changing station ws-1 failed: the request to the Dr.Web server at %s failed' % server.url)
    # The request was sent: only a re-read can tell whether the change was made.
    assert maybe_applied is True, message
    assert message.endswith('; the request was sent, so the change may or may not have been applied.')
    assert status is None
    assert on.attempts == reads + 1


# --------------------------------------------------------------------------- 4. the deadline


@pytest.mark.parametrize('mode', ['stall', 'drip'])
def test_the_deadline_holds_on_the_kept_alive_connection(server, mode):
    timings = []

    def call(client):
        started = time.monotonic()
        try:
            return station_calls(['ws-1', 'ws-2'])(client)
        finally:
            timings.append(time.monotonic() - started)
    on, dummy = run_both(server, [['ok', mode], [mode]], call, timeout=1, retries=1)
    assert on.outcome[:3] == ('error', DrWebTransportError.__name__,
                              'Reading station ws-2 failed: the Dr.Web server at %s did not answer stations/info.ds '
                              'within 1 seconds (2 attempts).' % server.url)
    assert on.attempts == 3 and on.counts == [2, 1]
    # Only a guard against a hang: the deadline is 1 second per attempt.
    assert max(timings) < 10, timings


# --------------------------------------------------------------------------- 5. threads


@pytest.mark.parametrize('pool_size', [1, 4])
def test_threads_sharing_one_client(server, pool_size):
    server.reset()
    client = make_client(server.url, pool_size=pool_size)
    errors = []

    def work(number):
        try:
            for turn in range(50):
                station_id = 't%d-%d' % (number, turn)
                if turn % 2:
                    assert client.station_state([station_id]) == {station_id: 'online'}
                else:
                    assert client.find_station(station_id)['id'] == station_id
        except Exception as exc:  # pylint: disable=broad-except
            errors.append(exc)
    with lane_calls() as calls:
        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    client.close()
    assert not errors, errors[:3]
    assert client.request_count == 200 == sum(server.counts)
    if LANE_ON:
        assert client._lane is not None
        assert calls.count('served') >= 1 and 'raised' not in calls


# --------------------------------------------------------------------------- 6. a proxy keeps the usual way


def test_a_proxy_keeps_the_usual_way(server):
    proxy = server.url
    on, dummy = run_both(server, [], station_calls(['ws-1', 'ws 2', 'ws-3']), lane_expected=False,
                         url='http://drweb.test:9080', proxy=proxy)
    assert on.outcome[0] == 'ok', on.outcome
    assert on.lane_calls == []
    assert not on.armed
    assert [h[2].split(b'\r\n', 1)[0] for h in on.heads] == [
        b'GET http://drweb.test:9080/api/stations/info.ds?id=ws-1 HTTP/1.1',
        b'GET http://drweb.test:9080/api/stations/info.ds?id=ws+2 HTTP/1.1',
        b'GET http://drweb.test:9080/api/stations/info.ds?id=ws-3 HTTP/1.1']
    assert b'\r\nHost: drweb.test:9080\r\n' in on.heads[0][2]


# --------------------------------------------------------------------------- the lane itself


@needs_lane
def test_the_lane_is_armed_by_the_first_answer(server):
    server.reset()
    client = make_client(server.url)
    assert client._lane is None
    assert client.find_station('ws-1')['id'] == 'ws-1'
    assert client.find_station('ws-2')['id'] == 'ws-2'
    client.close()
    assert client._lane is not None
    assert callable(client._lane.get)


@needs_lane
def test_the_lane_sends_every_request_after_the_first(server):
    ids = ['ws-%d' % n for n in range(6)]
    on = run_once(server, [], station_calls(ids), True)
    off = run_once(server, [], station_calls(ids), False)
    assert on.compared() == off.compared()
    assert on.counts == [6]
    assert on.lane_calls == ['served'] * 5
    assert off.lane_calls == []
