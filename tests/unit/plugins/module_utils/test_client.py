# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import math
import threading

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

from ansible_collections.drweb.esuite.tests.unit.plugins.module_utils.http_stub import Reply, StubServer, json_doc, json_error, refused_url, xml_doc, xml_error  # noqa: E402

PASSWORD = 'S3cr3t-pw!'
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


def make_client(url, **kwargs):
    kwargs.setdefault('username', 'admin')
    kwargs.setdefault('password', PASSWORD)
    kwargs.setdefault('backoff', 0)
    kwargs.setdefault('timeout', 5)
    return DrWebClient(url, **kwargs)


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
    assert str(err.value) == ('Changing station ws-1 failed: the Dr.Web server at %s refused the connection; '
                              'check api_url and that the server is running.' % url)


def test_read_timeout(stub):
    stub.add('stations/state', Reply(action='hang'))
    client = make_client(stub.url, timeout=0.3, retries=1)
    with pytest.raises(DrWebTransportError) as err:
        client.station_state('ws-1')
    assert len(stub.requests) == 2
    assert str(err.value) == ('Reading the state of station ws-1 failed: the Dr.Web server at %s did not answer '
                              'stations/state.ds within 0.3 seconds.' % stub.url)


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


def test_station_info_empty_answer_is_not_found(stub):
    stub.add('stations/info', Reply(xml_doc('<stations total="0"/>')))
    client = make_client(stub.url)
    with pytest.raises(DrWebNotFoundError) as err:
        client.station_info('ws-404')
    assert str(err.value) == 'Reading station ws-404 failed: the server returned no station with id ws-404.'


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
                              'http://drweb.example.invalid:9080 could not be resolved.')
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
                              'https://drweb.example.com:9081 timed out after 4 seconds.')


def test_user_agent_version_matches_galaxy_yml():
    import os
    import re
    galaxy = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'galaxy.yml')
    if not os.path.exists(galaxy):
        pytest.skip('galaxy.yml is not part of this copy')
    with open(galaxy) as handle:
        version = re.search(r'^version:\s*["\']?([^"\'\s]+)', handle.read(), re.M).group(1)
    assert _client.COLLECTION_VERSION == version
