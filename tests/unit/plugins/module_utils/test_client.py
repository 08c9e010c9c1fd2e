# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import math
import threading
import time

import pytest

requests = pytest.importorskip('requests')

from ansible_collections.drweb.esuite.plugins.module_utils import _client  # noqa: E402
from ansible_collections.drweb.esuite.plugins.module_utils._client import DrWebClient, parse_api_url  # noqa: E402
from ansible_collections.drweb.esuite.plugins.module_utils._errors import (  # noqa: E402
    DrWebApiError,
    DrWebAuthError,
    DrWebError,
    DrWebNotFoundError,
    DrWebProtocolError,
    DrWebTaskError,
    DrWebTransportError,
)

from ansible_collections.drweb.esuite.tests.unit.plugins.module_utils.http_stub import (  # noqa: E402
    PASSWORD, Reply, StubServer, json_doc, json_error, make_client, refused_url, xml_doc, xml_error)

EVERYONE = '20e27d73-d21d-b211-a788-85419c46f0e6'

STATION_XML = (
    '<stations total="1">'
    '<station id="ws-1" name="WS 1" created="1700000000" modified="1700000100" parent_id="%s" '
    'parent_name="Everyone" parent_type="1" password="pw" state="1">'
    '<blocking><begin>0</begin><end>0</end></blocking>'
    '<lastseenat>1700000200</lastseenat><lastseenfrom>ssl://10.0.0.1:2193</lastseenfrom>'
    '<os code="16842752">Linux</os><department/><description>Accounting laptop</description>'
    '<country>DE</country><street/><room/><city>Berlin</city><floor/>'
    '<longitude>0</longitude><latitude>0</latitude><organization/><province/><email/>'
    '<config>https://127.0.0.1:9081/config</config>'
    '<acl priority="allow"><allowed/><disallowed/></acl>'
    '</station></stations>' % EVERYONE)

STATION_JSON = {"total": 1, "list": [{
    "id": "ws-1", "name": "WS 1", "created_time": 1700000000, "modified_time": 1700000100,
    "parent_id": EVERYONE, "parent_name": "Everyone", "parent_type": "1", "password": "pw", "state": 1,
    "block_begin_time": 0, "block_end_time": 0, "last_seen_time": 1700000200,
    "last_seen_addr": "ssl://10.0.0.1:2193", "os_code": 16842752, "os_name": "Linux",
    "description": "Accounting laptop", "country": "DE", "city": "Berlin", "longitude": 0, "latitude": 0,
    "config_url": "https://127.0.0.1:9081/config",
    "acl": {"priority": "allow", "allowed": [], "disallowed": []}}]}

STATES_XML = '<states><state id="%s">%s</state></states>'
GROUPS_XML = '<groups total="1"><group id="g-1" name="Accounting" child_groups="0" stations="3" type="0"/></groups>'


def station_reply(fmt='xml'):
    return Reply(json_doc(STATION_JSON) if fmt == 'json' else xml_doc(STATION_XML))


@pytest.fixture
def stub():
    server = StubServer().start()
    yield server
    server.stop()


def assert_no_secret(exc):
    assert PASSWORD not in str(exc)
    assert base64.b64encode(('admin:%s' % PASSWORD).encode()).decode() not in str(exc)


# --------------------------------------------------------------------------- URL


@pytest.mark.parametrize('url, base, server', [
    ('https://drweb.example.com:9081', 'https://drweb.example.com:9081/api', 'https://drweb.example.com:9081'),
    ('https://drweb.example.com:9081/', 'https://drweb.example.com:9081/api', 'https://drweb.example.com:9081'),
    ('https://drweb.example.com:9081/api/', 'https://drweb.example.com:9081/api', 'https://drweb.example.com:9081'),
    ('HTTPS://drweb.example.com', 'https://drweb.example.com:443/api', 'https://drweb.example.com:443'),
    ('http://10.0.0.5:9080', 'http://10.0.0.5:9080/api', 'http://10.0.0.5:9080'),
    ('https://[::1]:9081', 'https://[::1]:9081/api', 'https://[::1]:9081'),
    ('https://proxy.example.com/drweb', 'https://proxy.example.com:443/drweb/api', 'https://proxy.example.com:443'),
])
def test_parse_api_url(url, base, server):
    assert parse_api_url(url) == (base, server)


@pytest.mark.parametrize('url, words', [
    ('drweb.example.com:9081', 'must start with https://'),
    ('ftp://drweb.example.com', 'must start with https://'),
    ('https://', 'names no host'),
    ('https://admin:pw@drweb.example.com:9081', 'must not contain credentials'),
    ('https://drweb.example.com:99999', 'not a valid URL'),
    ('https://drweb.example.com:9081/?x=1', 'query string'),
    ('', 'empty'),
])
def test_parse_api_url_rejects(url, words):
    with pytest.raises(DrWebError) as err:
        parse_api_url(url)
    assert words in str(err.value)
    assert ':pw@' not in str(err.value)


# --------------------------------------------------------------------------- headers


def test_basic_auth_sent_preemptively_on_every_request(stub):
    stub.add('stations/info', station_reply())
    stub.add('stations/state', Reply(xml_doc(STATES_XML % ('ws-1', 'online'))))
    stub.add('groups/list', Reply(xml_doc(GROUPS_XML)))
    client = make_client(stub.url)
    client.station_info('ws-1')
    client.station_state(['ws-1'])
    client.group_list()
    client.station_info('ws-1')
    expected = 'Basic ' + base64.b64encode(('admin:%s' % PASSWORD).encode()).decode()
    assert len(stub.requests) == 4 == client.request_count
    for request in stub.requests:
        # The server never challenges: a 401 round trip would never happen.
        assert request.headers.get('authorization') == expected
        assert request.headers.get('user-agent') == 'drweb.esuite/%s' % _client.COLLECTION_VERSION
        assert request.method == 'GET'
    assert stub.requests[0].path == '/api/stations/info.ds'
    assert stub.requests[0].params == [('id', 'ws-1')]


def test_keep_alive_reuses_one_connection(stub):
    stub.add('stations/state', Reply(xml_doc(STATES_XML % ('ws-1', 'online'))))
    client = make_client(stub.url)
    for dummy in range(3):
        client.station_state('ws-1')
    assert len(set(r.peer for r in stub.requests)) == 1


@pytest.mark.parametrize('fmt', ['xml', 'json'])
def test_format_param(stub, fmt):
    stub.add('stations/info', station_reply(fmt))
    client = make_client(stub.url, api_format=fmt)
    station = client.station_info('ws-1')[0]
    assert station['id'] == 'ws-1'
    assert station['city'] == 'Berlin'
    params = stub.requests[0].params
    if fmt == 'json':
        assert ('format', 'json') in params
    else:
        assert all(name != 'format' for name, value in params)


def test_station_info_include_flags(stub):
    stub.add('stations/info', station_reply())
    client = make_client(stub.url)
    client.station_info(['ws-1'], include=('group_membership', 'keys'))
    assert stub.requests[0].params == [('id', 'ws-1'), ('group-membership', 'yes'), ('keys', 'yes')]
    with pytest.raises(DrWebError, match="Unknown station include flag 'nope'"):
        client.station_info('ws-1', include=('nope',))
    assert client.request_count == 1


def test_no_username_sends_no_auth(stub):
    stub.add('stations/state', Reply(xml_doc(STATES_XML % ('ws-1', 'online'))))
    client = DrWebClient(stub.url, backoff=0)
    client.station_state('ws-1')
    assert 'authorization' not in stub.requests[0].headers


# --------------------------------------------------------------------------- retries


@pytest.mark.parametrize('status', [502, 503, 504])
def test_read_retried_on_gateway_errors(stub, status):
    stub.add('stations/state', Reply('busy', status=status), Reply('busy', status=status),
             Reply(xml_doc(STATES_XML % ('ws-1', 'online'))))
    client = make_client(stub.url, retries=3)
    assert client.station_state('ws-1') == {'ws-1': 'online'}
    assert client.request_count == 3 == len(stub.requests)


def test_read_gives_up_after_retries(stub):
    stub.add('stations/state', Reply('busy', status=503))
    client = make_client(stub.url, retries=2)
    with pytest.raises(DrWebTransportError) as err:
        client.station_state('ws-1')
    assert len(stub.requests) == 3
    assert err.value.status == 503
    assert err.value.maybe_applied is False
    assert 'HTTP 503' in str(err.value) and '3 attempts' in str(err.value)
    assert str(err.value).startswith('Reading the state of station ws-1 failed: ')


def test_retries_zero_means_one_attempt(stub):
    stub.add('stations/state', Reply('busy', status=502))
    client = make_client(stub.url, retries=0)
    with pytest.raises(DrWebTransportError):
        client.station_state('ws-1')
    assert len(stub.requests) == 1


def test_http_500_not_retried(stub):
    stub.add('stations/state', Reply(xml_error(1, 'Internal error'), status=500))
    client = make_client(stub.url, retries=3)
    with pytest.raises(DrWebTransportError) as err:
        client.station_state('ws-1')
    assert len(stub.requests) == 1
    assert err.value.status == 500
    assert 'HTTP 500' in str(err.value)


def test_read_retried_on_dropped_connection(stub):
    stub.add('stations/state', Reply(action='drop'), Reply(xml_doc(STATES_XML % ('ws-1', 'offline'))))
    client = make_client(stub.url, retries=3)
    assert client.station_state('ws-1') == {'ws-1': 'offline'}
    assert len(stub.requests) == 2


def test_backoff_is_exponential_with_jitter(monkeypatch, stub):
    sleeps = []
    monkeypatch.setattr(_client.time, 'sleep', sleeps.append)
    stub.add('stations/state', Reply('busy', status=503))
    client = make_client(stub.url, retries=3, backoff=0.5)
    with pytest.raises(DrWebTransportError):
        client.station_state('ws-1')
    assert len(sleeps) == 3
    for got, base in zip(sleeps, (0.5, 1.0, 2.0)):
        assert base <= got <= base * 1.1


def test_write_not_retried_after_it_was_sent(stub):
    stub.add('stations/change', Reply(action='drop'), Reply(xml_doc('<station id="ws-1"/>')))
    client = make_client(stub.url, retries=3)
    with pytest.raises(DrWebTransportError) as err:
        client.station_change('ws-1', [('city', 'Berlin'), ('password', PASSWORD)])
    assert len(stub.requests) == 1
    assert err.value.maybe_applied is True
    assert str(err.value).startswith('Changing station ws-1 failed: the connection to the Dr.Web server at %s was lost' % stub.url)
    assert 'may or may not have been applied' in str(err.value)
    assert_no_secret(err.value)


@pytest.mark.parametrize('status', [502, 503, 504])
def test_write_not_retried_on_gateway_errors(stub, status):
    stub.add('stations/change', Reply('busy', status=status))
    client = make_client(stub.url, retries=3)
    with pytest.raises(DrWebTransportError) as err:
        client.station_change('ws-1', [('city', 'Berlin')])
    assert len(stub.requests) == 1
    assert err.value.maybe_applied is True
    assert err.value.status == status


def test_write_retried_when_connection_refused():
    url = refused_url()
    client = make_client(url, retries=2)
    with pytest.raises(DrWebTransportError) as err:
        client.station_change('ws-1', [('city', 'Berlin')])
    # Refused means nothing left the machine: safe to try again, and nothing was applied.
    assert client.request_count == 3
    assert err.value.maybe_applied is False
    # The message counts every attempt that was made.
    assert str(err.value) == ('Changing station ws-1 failed: the Dr.Web server at %s refused the connection (3 attempts); '
                              'check api_url and that the server is running.' % url)


def test_read_timeout(stub):
    stub.add('stations/state', Reply(action='hang'))
    client = make_client(stub.url, timeout=0.3, retries=1)
    with pytest.raises(DrWebTransportError) as err:
        client.station_state('ws-1')
    assert len(stub.requests) == 2
    assert str(err.value) == ('Reading the state of station ws-1 failed: the Dr.Web server at %s did not answer '
                              'stations/state.ds within 0.3 seconds (2 attempts).' % stub.url)


def test_write_timeout_is_maybe_applied(stub):
    stub.add('stations/change', Reply(action='hang'))
    client = make_client(stub.url, timeout=0.3, retries=3)
    with pytest.raises(DrWebTransportError) as err:
        client.station_change('ws-1', [('city', 'Berlin')])
    assert len(stub.requests) == 1
    assert err.value.maybe_applied is True


# --------------------------------------------------------------------------- statuses


def test_401_is_auth_error_without_password(stub):
    stub.add('stations/info', Reply(xml_error(401, 'Authorization failed'), status=401))
    client = make_client(stub.url)
    with pytest.raises(DrWebAuthError) as err:
        client.station_info('ws-1')
    message = str(err.value)
    assert message.startswith("Authentication to the Dr.Web server at %s failed for user 'admin': HTTP 401" % stub.url)
    assert 'stations/info.ds' in message
    assert_no_secret(err.value)
    assert len(stub.requests) == 1


def test_404_names_the_script(stub):
    client = make_client(stub.url)
    with pytest.raises(DrWebApiError) as err:
        client.station_info('ws-1')
    assert not isinstance(err.value, DrWebNotFoundError)
    assert str(err.value) == ('Reading station ws-1 failed: the server does not know script stations/info.ds (HTTP 404); '
                              'check api_url and the server version.')


def test_redirect_is_reported_not_followed(stub):
    stub.add('stations/state', Reply('', status=301, headers={'Location': 'https://127.0.0.1:9081/api/stations/state.ds?id=ws-1'}))
    client = make_client(stub.url)
    with pytest.raises(DrWebTransportError) as err:
        client.station_state('ws-1')
    assert 'redirected the request to https://127.0.0.1:9081' in str(err.value)
    assert len(stub.requests) == 1


@pytest.mark.parametrize('fmt', ['xml', 'json'])
def test_error_envelope_is_api_error(stub, fmt):
    body = json_error(36, "Unable to remove group 'g': You cannot remove the system group") if fmt == 'json' else \
        xml_error(36, "Unable to remove group 'g': You cannot remove the system group")
    stub.add('stations/change', Reply(body))
    client = make_client(stub.url, api_format=fmt)
    with pytest.raises(DrWebApiError) as err:
        client.station_change('ws-1', [('city', 'X')])
    assert err.value.errno == 36
    assert 'You cannot remove the system group' in err.value.server_message
    assert str(err.value).startswith('Changing station ws-1 failed')


def test_not_a_document_is_protocol_error(stub):
    stub.add('stations/state', Reply('<html><body>Gateway</body></html>', content_type='text/html'))
    client = make_client(stub.url)
    with pytest.raises(DrWebProtocolError):
        client.station_state('ws-1')


# --------------------------------------------------------------------------- TLS


@pytest.fixture(scope='module')
def tls(tmp_path_factory):
    trustme = pytest.importorskip('trustme')
    ca = trustme.CA()
    cert = ca.issue_cert(u'127.0.0.1', u'localhost')
    other = trustme.CA()
    tmp = tmp_path_factory.mktemp('tls')
    ca_file = tmp / 'ca.pem'
    other_file = tmp / 'other-ca.pem'
    ca.cert_pem.write_to_path(str(ca_file))
    other.cert_pem.write_to_path(str(other_file))
    return dict(ca=ca, cert=cert, ca_file=str(ca_file), other_file=str(other_file))


@pytest.fixture
def tls_stub(tls):
    import ssl
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls['cert'].configure_cert(context)
    server = StubServer(ssl_context=context).start()
    server.add('stations/state', Reply(xml_doc(STATES_XML % ('ws-1', 'online'))))
    yield server
    server.stop()


def test_tls_ca_path_beats_requests_ca_bundle(monkeypatch, tls, tls_stub):
    # This machine exports REQUESTS_CA_BUNDLE; requests would let it override Session.verify.
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', tls['other_file'])
    monkeypatch.setenv('CURL_CA_BUNDLE', tls['other_file'])
    client = make_client(tls_stub.url, ca_path=tls['ca_file'])
    assert client.station_state('ws-1') == {'ws-1': 'online'}
    assert tls_stub.requests[0].headers['authorization'].startswith('Basic ')


def test_tls_verify_failure_is_clear(monkeypatch, tls, tls_stub):
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', tls['other_file'])
    client = make_client(tls_stub.url, retries=3)
    with pytest.raises(DrWebTransportError) as err:
        client.station_state('ws-1')
    message = str(err.value)
    assert 'certificate verification failed for the Dr.Web server at %s' % tls_stub.url in message
    assert 'ca_path' in message and 'validate_certs' in message
    # A certificate problem does not go away by retrying.
    assert client.request_count == 1


def test_tls_validate_certs_false(monkeypatch, tls, tls_stub):
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', tls['other_file'])
    client = make_client(tls_stub.url, validate_certs=False, ca_path=tls['other_file'])
    assert client.station_state('ws-1') == {'ws-1': 'online'}


def test_https_to_plain_http_port(stub):
    client = make_client(stub.url.replace('http://', 'https://'), retries=0)
    with pytest.raises(DrWebTransportError) as err:
        client.station_state('ws-1')
    assert 'TLS handshake' in str(err.value)


# --------------------------------------------------------------------------- paging


def _listing_xml(ids, total, page, pages, per_page):
    rows = ''.join('<station id="%s" name="%s" last_seen_time="0" last_seen_addr="" state="0" os="16842752" '
                   'os_name="Linux" login_addr="" login_mac="" createtime="20231110132600486" blockbeg="0" blockend="0"/>'
                   % (i, i) for i in ids)
    pages_el = '' if pages is None else '<pages total="%d" current="%d" objects-per-page="%d"/>' % (pages, page, per_page)
    return xml_doc('<stations total="%d">%s</stations>%s' % (total, rows, pages_el))


def _listing_json(ids, total, page, pages, per_page):
    data = {"stations": {"total": total, "list": [
        {"id": i, "name": i, "last_seen_time": 0, "state": 0, "os_code": 16842752, "os_name": "Linux",
         "createtime": 20231110132600486, "blockbeg": 0, "blockend": 0} for i in ids]}}
    if pages is not None:
        data["pages"] = {"total": pages, "current": page, "objects_per_page": per_page}
    return json_doc(data)


# A 13.0.1 server was seen answering objects-per-page=UINT32_MAX, i.e. no paging.
NO_PAGING = 4294967295


def paged_server(count, fmt='xml', with_pages=True, ignore_per_page=False):
    ids = ['st-%05d' % i for i in range(count)]

    def answer(request):
        page = int(request.param('page')[0])
        per_page = int(request.param('per-page')[0])
        if ignore_per_page:
            page, per_page, chunk, pages = 1, NO_PAGING, ids, 1
        else:
            chunk = ids[(page - 1) * per_page:page * per_page]
            pages = max(1, int(math.ceil(count / float(per_page))))
        build = _listing_json if fmt == 'json' else _listing_xml
        return Reply(build(chunk, count, page, pages if with_pages else None, per_page))
    return ids, answer


@pytest.mark.parametrize('fmt', ['xml', 'json'])
@pytest.mark.parametrize('count, per_page', [(2500, 1000), (2000, 1000), (7, 3), (0, 100), (1, 100)])
def test_group_stations_fetches_every_page(stub, fmt, count, per_page):
    ids, answer = paged_server(count, fmt)
    stub.add('groups/stations-list', answer)
    client = make_client(stub.url, api_format=fmt)
    listing = client.group_stations('g-1', per_page=per_page)
    assert [s['id'] for s in listing['stations']] == ids
    assert listing['total'] == count
    assert client.request_count == max(1, int(math.ceil(count / float(per_page))))
    assert [r.param('page')[0] for r in stub.requests] == [str(p + 1) for p in range(client.request_count)]
    assert all(r.param('per-page') == [str(per_page)] for r in stub.requests)


def test_group_stations_default_page_size(stub):
    ids, answer = paged_server(1500)
    stub.add('groups/stations-list', answer)
    client = make_client(stub.url)
    listing = client.group_stations('g-1')
    assert len(listing['stations']) == 1500
    assert client.request_count == 2
    assert stub.requests[0].param('per-page') == [str(_client.PAGE_SIZE)]


def test_group_stations_without_pages_element(stub):
    # Full pages and no <pages>: only an empty or short page proves the end.
    ids, answer = paged_server(6, with_pages=False)
    stub.add('groups/stations-list', answer)
    client = make_client(stub.url)
    assert len(client.group_stations('g-1', per_page=3)['stations']) == 6
    assert client.request_count == 2  # total=6 reached after page 2


def test_group_stations_server_ignores_per_page(stub):
    ids, answer = paged_server(2500, ignore_per_page=True)
    stub.add('groups/stations-list', answer)
    client = make_client(stub.url)
    listing = client.group_stations('g-1', per_page=1000)
    assert len(listing['stations']) == 2500
    assert client.request_count == 1


def test_group_stations_limit(stub):
    ids, answer = paged_server(2500)
    stub.add('groups/stations-list', answer)
    client = make_client(stub.url)
    listing = client.group_stations('g-1', per_page=1000, limit=1500)
    assert [s['id'] for s in listing['stations']] == ids[:1500]
    assert client.request_count == 2
    client2 = make_client(stub.url)
    assert len(client2.group_stations('g-1', limit=10)['stations']) == 10
    assert client2.request_count == 1
    assert stub.requests[-1].param('per-page') == ['10']


def test_group_stations_flags(stub):
    ids, answer = paged_server(1)
    stub.add('groups/stations-list', answer)
    client = make_client(stub.url)
    client.group_stations('g-1', subgroups=True, show_blocked=False, station_type=True)
    params = dict(stub.requests[0].params)
    assert params['subgroups'] == 'yes' and params['show-blocked-stations'] == 'no' and params['station-type'] == 'yes'
    client.group_stations('g-1')
    params = dict(stub.requests[1].params)
    assert 'subgroups' not in params and 'show-blocked-stations' not in params and 'station-type' not in params


def test_group_stations_server_ignores_page(stub):
    def answer(request):
        return Reply(_listing_xml(['a', 'b'], 4, 1, 2, 2))
    stub.add('groups/stations-list', answer)
    client = make_client(stub.url)
    with pytest.raises(DrWebProtocolError, match='answered page 1 when page 2 was requested'):
        client.group_stations('g-1', per_page=2)


# --------------------------------------------------------------------------- tasks


def test_run_task_failure(stub):
    stub.add('server/tasks', Reply(xml_doc('<task id="newbies" status="failed" message="Group is not found"/>')))
    client = make_client(stub.url)
    with pytest.raises(DrWebTaskError) as err:
        client.run_task('newbies', context='approving newbie station ws-9', action='approve', id='ws-9', group='nope')
    assert str(err.value) == 'Approving newbie station ws-9 failed: the server answered "Group is not found".'
    assert err.value.task_id == 'newbies'
    assert err.value.server_message == 'Group is not found'
    assert sorted(stub.requests[0].params) == [('action', 'approve'), ('group', 'nope'), ('id', 'ws-9'), ('task-id', 'newbies')]


@pytest.mark.parametrize('fmt', ['xml', 'json'])
def test_run_task_success(stub, fmt):
    body = json_doc({"task": {"id": "update_repositories", "status": "success", "message": ""}}) if fmt == 'json' else \
        xml_doc('<task id="update_repositories" status="success" message=""/>')
    stub.add('server/tasks', Reply(body))
    client = make_client(stub.url, api_format=fmt)
    task = client.run_task('update_repositories')
    assert task['status'] == 'success' and task['id'] == 'update_repositories'


def test_run_task_failure_without_message(stub):
    stub.add('server/tasks', Reply(xml_doc('<task id="newbies" status="failed"/>')))
    client = make_client(stub.url)
    with pytest.raises(DrWebTaskError) as err:
        client.run_task('newbies', action='reject', id='ws-9')
    assert str(err.value) == 'Running server task newbies failed: the server reported task newbies as failed without a message.'


# --------------------------------------------------------------------------- existence


@pytest.mark.parametrize('fmt, body, sent', [
    ('xml', xml_doc('<stations total="0"/>'), 'no station at all'),
    ('xml', xml_doc(STATION_XML.replace('id="ws-1"', 'id="ws-2"')), 'station ws-2'),
    ('json', json_doc({"total": 1, "list": [dict(STATION_JSON["list"][0], id=1)]}), 'station 1'),
])
def test_a_success_without_the_station_is_a_protocol_error_never_absent(stub, fmt, body, sent):
    # Only an error envelope may say "not found": find_station must not turn this into a create.
    stub.add('stations/info', Reply(body))
    client = make_client(stub.url, api_format=fmt)
    with pytest.raises(DrWebProtocolError) as err:
        client.station_info('ws-1')
    assert str(err.value) == 'Reading station ws-1 failed: the server reported success but sent %s instead of station ws-1.' % sent
    with pytest.raises(DrWebProtocolError):
        client.find_station('ws-1')
    assert stub.scripts() == ['stations/info', 'stations/info']


def test_find_station_present(stub):
    stub.add('stations/info', station_reply())
    client = make_client(stub.url)
    assert client.find_station('ws-1')['name'] == 'WS 1'
    assert client.request_count == 1


def test_find_station_not_found_envelope(stub):
    stub.add('stations/info', Reply(xml_error(12, "Station 'ws-404' not found")))
    client = make_client(stub.url)
    assert client.find_station('ws-404') is None
    assert client.request_count == 1


@pytest.mark.parametrize('state, absent', [('not found', True), ('deleted', True), ('online', False)])
def test_find_station_ambiguous_error_confirms_with_state(stub, state, absent):
    stub.add('stations/info', Reply(xml_error(99, 'Invalid object identifier')))
    stub.add('stations/state', Reply(xml_doc(STATES_XML % ('ws-x', state))))
    client = make_client(stub.url)
    if absent:
        assert client.find_station('ws-x') is None
    else:
        with pytest.raises(DrWebApiError) as err:
            client.find_station('ws-x')
        assert err.value.errno == 99
    assert stub.scripts() == ['stations/info', 'stations/state']


# --------------------------------------------------------------------------- misc


def test_endpoints_send_repeated_ids(stub):
    stub.add('stations/delete', Reply(xml_doc('<stations total="2"><station id="a"/><station id="b"/></stations>')))
    stub.add('stations/add', Reply(xml_doc('<station id="new-1"/>')))
    client = make_client(stub.url)
    assert client.station_delete(['a', 'b']) == ['a', 'b']
    assert stub.requests[0].params == [('id', 'a'), ('id', 'b')]
    assert client.station_add([('id', 'new-1'), ('name', 'New')]) == 'new-1'


def test_request_count_is_thread_safe(stub):
    stub.add('stations/state', Reply(xml_doc(STATES_XML % ('ws-1', 'online'))))
    client = make_client(stub.url)
    errors = []

    def work():
        try:
            for dummy in range(5):
                assert client.station_state('ws-1') == {'ws-1': 'online'}
        except Exception as exc:  # pylint: disable=broad-except
            errors.append(exc)
    threads = [threading.Thread(target=work) for dummy in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert client.request_count == 20 == len(stub.requests)


def test_bad_api_format():
    with pytest.raises(DrWebError, match="api_format 'yaml'"):
        DrWebClient('https://h:9081', api_format='yaml')


def test_write_retried_when_name_does_not_resolve(monkeypatch):
    import socket

    def no_dns(*args, **kwargs):
        raise socket.gaierror(-2, 'Name or service not known')
    monkeypatch.setattr(socket, 'getaddrinfo', no_dns)
    client = make_client('http://drweb.example.invalid:9080', retries=1)
    with pytest.raises(DrWebTransportError) as err:
        client.station_add([('id', 'ws-new'), ('password', PASSWORD)])
    assert client.request_count == 2
    assert err.value.maybe_applied is False
    assert str(err.value) == ('Adding station ws-new failed: the host name of the Dr.Web server at '
                              'http://drweb.example.invalid:9080 could not be resolved (2 attempts).')
    assert_no_secret(err.value)


def test_write_retried_on_connect_timeout(monkeypatch):
    import socket
    from urllib3.util import connection

    def slow_connect(*args, **kwargs):
        raise socket.timeout('timed out')
    monkeypatch.setattr(connection, 'create_connection', slow_connect)
    client = make_client('https://drweb.example.com:9081', retries=2, timeout=4)
    with pytest.raises(DrWebTransportError) as err:
        client.station_delete(['ws-1'])
    assert client.request_count == 3
    assert err.value.maybe_applied is False
    assert str(err.value) == ('Deleting station ws-1 failed: connecting to the Dr.Web server at '
                              'https://drweb.example.com:9081 timed out after 4 seconds (3 attempts).')


def test_user_agent_version_matches_galaxy_yml():
    import os
    import re
    galaxy = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'galaxy.yml')
    if not os.path.exists(galaxy):
        pytest.skip('galaxy.yml is not part of this copy')
    with open(galaxy) as handle:
        version = re.search(r'^version:\s*["\']?([^"\'\s]+)', handle.read(), re.M).group(1)
    assert _client.COLLECTION_VERSION == version


# --------------------------------------------------------------------------- bounds (issue 14)

from ansible_collections.drweb.esuite.tests.reliability.hostile_server import (  # noqa: E402
    ConnectProxy,
    HostileServer,
)


@pytest.mark.parametrize('mode', ['drip-body', 'drip-headers', 'silent'])
def test_timeout_bounds_the_whole_request(mode):
    # requests' own timeout is per socket read: one byte every 0.2 s would never trip it.
    with HostileServer(mode, interval=0.2) as server:
        client = make_client(server.url, timeout=1, retries=0)
        started = time.time()
        with pytest.raises(DrWebTransportError) as err:
            client.station_info('ws-1')
        elapsed = time.time() - started
    assert str(err.value) == ('Reading station ws-1 failed: the Dr.Web server at %s did not answer stations/info.ds '
                              'within 1 seconds.' % server.url)
    assert len(server.requests) == 1
    # The design's bound (timeout), with room for a loaded machine; without the deadline a drip lasts minutes.
    assert elapsed < 1 + 2


def test_deadline_never_cuts_a_kept_alive_connection_that_moved_on(stub):
    stub.add('stations/state', Reply(xml_doc(STATES_XML % ('ws-1', 'online'))))
    client = make_client(stub.url, timeout=0.4)
    for dummy in range(4):
        assert client.station_state('ws-1') == {'ws-1': 'online'}
        time.sleep(0.25)
    assert len(set(r.peer for r in stub.requests)) == 1


@pytest.mark.parametrize('mode, words', [
    ('huge-body', 'is larger than the 1 MiB that max_response_mb allows.'),
    ('gzip-bomb', 'is larger than the 1 MiB that max_response_mb allows once decompressed.'),
])
def test_body_cap_is_enforced_while_reading(mode, words):
    with HostileServer(mode, bomb_mb=64) as server:
        client = make_client(server.url, retries=3, max_response_mb=1)
        with pytest.raises(DrWebTransportError) as err:
            client.station_info('ws-1')
    assert str(err.value) == 'Reading station ws-1 failed: the answer to stations/info.ds ' + words
    # A too-large answer does not shrink by asking again.
    assert client.request_count == 1 == len(server.requests)


def test_announced_length_beyond_the_cap_is_refused_before_reading(stub):
    stub.add('stations/state', Reply(b'x' * (1024 * 1024 + 1)))
    client = make_client(stub.url, max_response_mb=1)
    with pytest.raises(DrWebTransportError, match='announces 1048577 bytes, more than the 1 MiB'):
        client.station_state('ws-1')


@pytest.mark.parametrize('encoding, pack', [
    ('gzip', lambda data: __import__('gzip').compress(data)),
    ('deflate', lambda data: __import__('zlib').compress(data)),
    ('deflate', lambda data: __import__('zlib').compress(data)[2:-4]),  # raw deflate, as some servers send it
])
def test_compressed_answers_are_read(stub, encoding, pack):
    body = xml_doc(STATES_XML % ('ws-1', 'online')).encode()
    stub.add('stations/state', Reply(pack(body), headers={'Content-Encoding': encoding}, content_type='application/xml'))
    client = make_client(stub.url)
    assert client.station_state('ws-1') == {'ws-1': 'online'}
    assert stub.requests[0].headers['accept-encoding'] == 'gzip, deflate'


def test_an_encoding_not_asked_for_is_refused(stub):
    stub.add('stations/state', Reply(b'\x00\x01', headers={'Content-Encoding': 'br'}, content_type='application/xml'))
    client = make_client(stub.url, retries=2)
    with pytest.raises(DrWebTransportError, match="uses the content encoding 'br', which the client did not ask for"):
        client.station_state('ws-1')
    assert len(stub.requests) == 1


# --------------------------------------------------------------------------- one budget, a circuit


def test_a_dead_server_costs_one_budget_then_every_request_fails_at_once():
    url = refused_url()
    client = make_client(url, retries=2)
    with pytest.raises(DrWebTransportError) as first:
        client.station_info('ws-1')
    assert str(first.value).startswith('Reading station ws-1 failed: the Dr.Web server at %s refused the connection '
                                       '(3 attempts)' % client.server)
    assert client.request_count == 3
    down = 'the Dr.Web server at %s was found down while reading station ws-1 (connection refused, 3 attempts).' % client.server
    for call, own in ((lambda: client.station_info('ws-2'), 'Reading station ws-2'),
                      (lambda: client.station_change('ws-2', [('city', 'B')]), 'Changing station ws-2'),
                      (client.group_list, 'Listing the root groups')):
        with pytest.raises(DrWebTransportError) as later:
            call()
        # Each request names its own operation, then the one that found the server down; none is sent.
        assert str(later.value) == '%s was not attempted: %s' % (own, down)
        assert later.value.maybe_applied is False
    assert client.request_count == 3


def test_a_request_in_its_retries_stops_at_the_circuit_that_another_opened(stub):
    """Threads share a client: one that spent its budget stops the others between their attempts."""
    client = make_client(stub.url, retries=1, pool_size=2)

    def info(request):
        if request.params[0] == ('id', 'ws-2'):
            for dummy in range(500):
                if client._circuit is not None:  # pylint: disable=protected-access
                    break
                time.sleep(0.01)
        return Reply('busy', status=503)

    stub.add('stations/info', info)
    errors = {}

    def read(station_id):
        try:
            client.station_info(station_id)
        except DrWebTransportError as exc:
            errors[station_id] = exc

    other = threading.Thread(target=read, args=('ws-2',))
    other.start()
    read('ws-1')
    other.join(10)
    assert str(errors['ws-1']) == 'Reading station ws-1 failed: the Dr.Web server at %s answered HTTP 503 (2 attempts).' % client.server
    assert str(errors['ws-2']) == ('Reading station ws-2 was not attempted again after 1 attempt: the Dr.Web server at %s '
                                   'was found down while reading station ws-1 (HTTP 503, 2 attempts).' % client.server)
    assert errors['ws-2'].status == 503 and errors['ws-2'].maybe_applied is False
    assert sorted(r.params[0][1] for r in stub.requests) == ['ws-1', 'ws-1', 'ws-2']


def test_a_503_server_opens_the_circuit_too(stub):
    stub.add('stations/info', Reply('busy', status=503))
    stub.add('stations/state', Reply(xml_doc(STATES_XML % ('ws-1', 'online'))))
    client = make_client(stub.url, retries=1)
    with pytest.raises(DrWebTransportError, match=r'answered HTTP 503 \(2 attempts\)'):
        client.station_info('ws-1')
    with pytest.raises(DrWebTransportError, match='HTTP 503'):
        client.station_state('ws-1')
    assert stub.scripts() == ['stations/info', 'stations/info']


@pytest.mark.parametrize('reply', [
    Reply(xml_error(1, 'Internal error'), status=500),
    Reply('', status=401),
    Reply(xml_error(12, "Station 'ws-1' not found")),
])
def test_failures_of_one_request_do_not_open_the_circuit(stub, reply):
    stub.add('stations/info', reply)
    stub.add('stations/state', Reply(xml_doc(STATES_XML % ('ws-1', 'online'))))
    client = make_client(stub.url, retries=1)
    with pytest.raises(DrWebError):
        client.station_info('ws-1')
    assert client.station_state('ws-1') == {'ws-1': 'online'}


def test_a_recovering_server_keeps_the_circuit_closed(stub):
    stub.add('stations/state', Reply('busy', status=503), Reply(xml_doc(STATES_XML % ('ws-1', 'online'))))
    client = make_client(stub.url, retries=1)
    for dummy in range(3):
        assert client.station_state('ws-1') == {'ws-1': 'online'}
    assert len(stub.requests) == 4


def test_backoff_has_a_ceiling(monkeypatch):
    sleeps = []
    monkeypatch.setattr(_client.time, 'sleep', sleeps.append)
    client = make_client(refused_url(), retries=10, backoff=0.5)
    with pytest.raises(DrWebTransportError, match=r'\(11 attempts\)'):
        client.station_state('ws-1')
    assert len(sleeps) == 10
    assert max(sleeps) == _client.BACKOFF_CEILING
    assert sleeps[:5] == sorted(sleeps[:5]) and sleeps[0] < 0.6


@pytest.mark.parametrize('status', [429, 503])
def test_retry_after_is_honoured_for_reads(monkeypatch, stub, status):
    sleeps = []
    monkeypatch.setattr(_client.time, 'sleep', sleeps.append)
    stub.add('stations/state', Reply('busy', status=status, headers={'Retry-After': '3'}),
             Reply(xml_doc(STATES_XML % ('ws-1', 'online'))))
    client = make_client(stub.url, retries=2, backoff=0.5)
    assert client.station_state('ws-1') == {'ws-1': 'online'}
    assert sleeps == [3]


def test_retry_after_beyond_the_ceiling_ends_the_retries(monkeypatch, stub):
    monkeypatch.setattr(_client.time, 'sleep', lambda s: pytest.fail('slept %s' % s))
    stub.add('stations/state', Reply('busy', status=503, headers={'Retry-After': '120'}))
    client = make_client(stub.url, retries=3)
    with pytest.raises(DrWebTransportError) as err:
        client.station_state('ws-1')
    assert str(err.value) == ('Reading the state of station ws-1 failed: the Dr.Web server at %s answered HTTP 503 and asked '
                              'to be called again in 120 seconds, later than the 10 seconds a retry waits.' % stub.url)
    assert len(stub.requests) == 1


def test_retry_after_as_a_date():
    import email.utils
    assert 55 <= _client._retry_after(email.utils.formatdate(time.time() + 60, usegmt=True)) <= 60
    assert _client._retry_after('soon') is None and _client._retry_after('') is None


def test_429_on_a_write_is_not_retried_and_not_applied(stub):
    stub.add('stations/change', Reply('slow down', status=429))
    client = make_client(stub.url, retries=3)
    with pytest.raises(DrWebTransportError) as err:
        client.station_change('ws-1', [('city', 'B')])
    assert err.value.maybe_applied is False and err.value.status == 429
    assert len(stub.requests) == 1


# --------------------------------------------------------------------------- scrubbing, environment


def test_an_echoed_authorization_and_station_password_are_scrubbed(stub):
    token = base64.b64encode(('admin:%s' % PASSWORD).encode()).decode()
    station_pw = 'horse battery&staple'

    def echo(request):
        query = '&'.join('%s=%s' % pair for pair in request.params).replace('&', '&amp;')
        return Reply(xml_error(400, 'Rejected %s (%s) for %s' % (request.headers['authorization'], token, query)), status=400)
    stub.add('stations/add', echo)
    client = make_client(stub.url)
    with pytest.raises(DrWebApiError) as err:
        client.station_add([('id', 'ws-9'), ('password', station_pw)])
    assert 'Rejected' in err.value.server_message  # the echo really came back
    for text in (str(err.value), err.value.server_message):
        assert token not in text and PASSWORD not in text and 'horse' not in text and 'battery' not in text
    assert_no_secret(err.value)


def test_netrc_is_never_read(monkeypatch, tmp_path, stub):
    (tmp_path / '.netrc').write_text(u'machine 127.0.0.1 login netrc-user password netrc-pw\n')
    monkeypatch.setenv('HOME', str(tmp_path))
    monkeypatch.setenv('NETRC', str(tmp_path / '.netrc'))
    stub.add('stations/state', Reply(xml_doc(STATES_XML % ('ws-1', 'online'))))
    DrWebClient(stub.url, backoff=0).station_state('ws-1')
    assert 'authorization' not in stub.requests[0].headers


def test_a_ca_bundle_that_vanished_is_one_sentence(tmp_path, tls, tls_stub):
    gone = tmp_path / 'gone.pem'
    client = make_client(tls_stub.url, ca_path=str(gone), retries=0)
    with pytest.raises(DrWebTransportError) as err:
        client.station_state('ws-1')
    assert str(err.value).startswith('Reading the state of station ws-1 failed: the CA certificates %s could not be used' % gone)
    assert str(err.value).endswith('; set ca_path to a PEM file with the CA certificate of the server.')


def test_a_certificate_for_another_host_names_the_host(tls):
    # The right CA, the wrong name: "set ca_path" would send the user the wrong way.
    import ssl
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls['ca'].issue_cert(u'drweb.other').configure_cert(context)
    with HostileServer('normal', ssl_context=context) as server:
        client = make_client(server.url, ca_path=tls['ca_file'], retries=2)
        with pytest.raises(DrWebTransportError) as err:
            client.station_state('ws-1')
    assert 'is not issued for 127.0.0.1; set api_url to a host name that the certificate names' in str(err.value)
    assert client.request_count == 1


def test_plain_http_to_a_tls_port_hints_at_https(tls, tls_stub):
    client = make_client(tls_stub.url.replace('https://', 'http://'), retries=0)
    with pytest.raises(DrWebTransportError) as err:
        client.station_state('ws-1')
    assert 'the server may speak HTTPS on this port: try https:// in api_url' in str(err.value)


def test_tls_to_a_plain_http_port_hints_at_the_port(stub):
    client = make_client(stub.url.replace('http://', 'https://'), retries=0)
    with pytest.raises(DrWebTransportError) as err:
        client.station_state('ws-1')
    assert "the port may speak plain http: check that api_url uses the server's HTTPS port" in str(err.value)


# --------------------------------------------------------------------------- proxies


@pytest.fixture
def tunnel(tls):
    """A TLS server for drweb.test behind a CONNECT proxy on loopback (the proxy resolves the name)."""
    import ssl
    cert = tls['ca'].issue_cert(u'drweb.test')
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    with HostileServer('normal', ssl_context=context) as server:
        with ConnectProxy(('127.0.0.1', server.port), 'proxy-user', 'proxy-pw') as proxy:
            yield server, proxy


def test_requests_go_through_the_proxy_and_credentials_only_through_the_tunnel(tls, tunnel):
    server, proxy = tunnel
    client = make_client('https://drweb.test:9081', ca_path=tls['ca_file'],
                         proxy='http://proxy-user:proxy-pw@127.0.0.1:%d' % proxy.port)
    assert client.find_station('ws-1')['id'] == 'ws-1'
    assert client.station_state(['ws-1']) == {'ws-1': 'online'}
    # One tunnel (kept alive), whose CONNECT carries the proxy's credentials and nothing else.
    # http.client says HTTP/1.0 before Python 3.12, HTTP/1.1 from 3.12 on.
    assert [line.rsplit(' ', 1)[0] for line, headers in proxy.connects] == ['CONNECT drweb.test:9081']
    headers = proxy.connects[0][1]
    assert 'authorization' not in headers
    assert headers['proxy-authorization'] == 'Basic ' + base64.b64encode(b'proxy-user:proxy-pw').decode()
    expected = 'Basic ' + base64.b64encode(('admin:%s' % PASSWORD).encode()).decode()
    assert [r.headers.get('authorization') for r in server.requests] == [expected, expected]
    assert all('proxy-authorization' not in r.headers for r in server.requests)


def test_the_environment_proxy_applies_unless_turned_off(monkeypatch, tls, tunnel):
    server, proxy = tunnel
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy-user:proxy-pw@127.0.0.1:%d' % proxy.port)
    make_client('https://drweb.test:9081', ca_path=tls['ca_file']).station_state(['ws-1'])
    assert len(proxy.connects) == 1 and len(server.requests) == 1
    monkeypatch.setenv('NO_PROXY', 'drweb.test')
    direct = make_client('https://drweb.test:9081', ca_path=tls['ca_file'], retries=0)
    assert direct.proxy is None
    monkeypatch.delenv('NO_PROXY')
    assert make_client('https://drweb.test:9081', ca_path=tls['ca_file'], use_proxy=False).proxy is None


def test_loopback_never_goes_through_a_proxy(monkeypatch, stub):
    with ConnectProxy(('127.0.0.1', 1)) as proxy:
        monkeypatch.setenv('HTTP_PROXY', proxy.url)
        monkeypatch.setenv('ALL_PROXY', proxy.url)
        stub.add('stations/state', Reply(xml_doc(STATES_XML % ('ws-1', 'online'))))
        for client in (make_client(stub.url), make_client(stub.url, proxy=proxy.url),
                       make_client(stub.url.replace('127.0.0.1', 'localhost'))):
            assert client.proxy is None
            assert client.station_state('ws-1') == {'ws-1': 'online'}
        assert proxy.connects == []


def test_proxy_failures_are_reported_as_proxy_failures(tls, tunnel):
    server, proxy = tunnel
    client = make_client('https://drweb.test:9081', ca_path=tls['ca_file'], retries=2,
                         proxy='http://proxy-user:wrong-pw@127.0.0.1:%d' % proxy.port)
    with pytest.raises(DrWebTransportError) as err:
        client.station_state(['ws-1'])
    assert str(err.value) == ('Reading the state of station ws-1 failed: could not reach the Dr.Web server at '
                              'https://drweb.test:9081 through the proxy http://127.0.0.1:%d: the proxy answered 407 Proxy '
                              'Authentication Required; check the user and password in the proxy URL.' % proxy.port)
    # A refusal to authenticate does not change by asking again; the server was never reached.
    assert len(proxy.connects) == 1 and server.requests == []
    dead = refused_url().replace('http://', 'http://u:pw@')
    client = make_client('https://drweb.test:9081', ca_path=tls['ca_file'], retries=1, proxy=dead)
    with pytest.raises(DrWebTransportError) as err:
        client.station_state(['ws-1'])
    assert 'through the proxy %s: the proxy refused the connection (2 attempts)' % dead.replace('u:pw@', '') in str(err.value)
    assert ':pw@' not in str(err.value) and err.value.maybe_applied is False


# --------------------------------------------------------------------------- paging bounds


def test_a_listing_claiming_too_many_stations_is_refused_after_one_page(stub):
    def answer(request):
        page = int(request.param('page')[0])
        return Reply(_listing_xml(['p%d-a' % page, 'p%d-b' % page], 10 ** 8, page, 10 ** 8 // 2, 2))
    stub.add('groups/stations-list', answer)
    client = make_client(stub.url)
    with pytest.raises(DrWebProtocolError) as err:
        client.group_stations('g-1', per_page=2)
    assert str(err.value) == ('Listing the stations of group g-1 failed: the server claims 100000000 stations, more than the '
                              '250000 that one listing may hold; ask for fewer with limit.')
    assert len(stub.requests) == 1
    # With a limit below the sanity limit the first stations are read.
    assert len(make_client(stub.url).group_stations('g-1', per_page=2, limit=4)['stations']) == 4


def test_pages_are_capped_by_the_first_pages_totals(stub):
    # The total grows with every page and every page is full: the first page's total decides.
    def answer(request):
        page = int(request.param('page')[0])
        return Reply(_listing_xml(['p%d-%d' % (page, i) for i in range(2)], 4 + 2 * page, page, page + 1, 2))
    stub.add('groups/stations-list', answer)
    client = make_client(stub.url)
    with pytest.raises(DrWebProtocolError, match='kept sending full pages after page 4, more than its first page announced'):
        client.group_stations('g-1', per_page=2)
    # ceil(6 / 2) pages plus one for stations added while paging.
    assert len(stub.requests) == 4


@pytest.mark.parametrize("api_url, proxy", [
    ("https://drweb.test:9081", None),
    ("http://drweb.test:9080", None),
    ("http://drweb.test:9080", "http://user:pw@proxy.test:3128"),
    ("https://drweb.test:9081", "http://proxy.test:3128"),
    ("https://drweb.test:9081/prefix", "https://proxy.test:3129"),
    ("http://drweb.test:9080/prefix", "https://proxy.test:3129"),
])
@pytest.mark.parametrize("query", [[("id", "ws 1"), ("id", "ws&2")], []])
def test_the_request_line_is_the_one_requests_would_send(api_url, proxy, query):
    """The request line worked out once per script is what requests' adapter computes for every request."""
    import requests

    client = DrWebClient(api_url, "admin", "pw", proxy=proxy)
    sent = []
    client._adapter.send = lambda prepared, **kwargs: sent.append((prepared, kwargs["proxies"]))
    client._get("%s/stations/info.ds" % client.api_base, query)
    client._get("%s/stations/info.ds" % client.api_base, query)
    for prepared, proxies in sent:
        ours = client._adapter.request_url(prepared, proxies)
        del prepared.drweb_request_url
        assert ours == requests.adapters.HTTPAdapter.request_url(client._adapter, prepared, proxies)


@pytest.mark.parametrize('query', [
    [],
    [('id', 'ws-1')],
    [('id', 'ст 1'), ('name', 'a&b=c+d%e/f?g#h'), ('id', '')],
    [('groups', 'g-1'), ('groups', 'g 2'), ('format', 'json')],
    [('id', 'x'), ('limit', 1000)],
    [('id', None), ('name', b'raw bytes')],
    [['id', 'in a list']],
])
def test_the_query_is_encoded_as_requests_encodes_it(query):
    template = requests.Request('GET', 'https://127.0.0.1:9081/api/stations/info.ds').prepare()
    assert _client._encode_query(query, template) == template._encode_params(query)
