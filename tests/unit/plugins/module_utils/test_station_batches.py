# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""read_stations and read_products: batches, and the fallback to one id per request, on a loopback stub.

Several ids per stations/info.ds are not documented, so every way a server can get a
batch wrong is played here with exact answers, and the requests are counted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

pytest.importorskip('requests')
pytest.importorskip('lxml')

from ansible_collections.drweb.esuite.plugins.module_utils._client import DrWebClient  # noqa: E402
from ansible_collections.drweb.esuite.plugins.module_utils._errors import (  # noqa: E402
    DrWebAuthError,
    DrWebProtocolError,
)
from ansible_collections.drweb.esuite.plugins.module_utils._station_info import (  # noqa: E402
    read_products,
    read_stations,
)
from ansible_collections.drweb.esuite.tests.unit.plugins.module_utils.http_stub import (  # noqa: E402
    Reply,
    StubServer,
    json_doc,
    xml_doc,
    xml_error,
)

EVERYONE = '20e27d73-d21d-b211-a788-85419c46f0e6'


def info_station(sid):
    return ('<station id="%s" name="%s" created="1" modified="1" parent_id="%s" parent_name="Everyone" '
            'parent_type="1" password="" state="1"><blocking><begin>0</begin><end>0</end></blocking>'
            '<acl priority="allow"><allowed/><disallowed/></acl></station>' % (sid, sid.upper(), EVERYONE))


def info_answer(ids):
    return Reply(xml_doc('<stations total="%d">%s</stations>' % (len(ids), ''.join(info_station(i) for i in ids))))


def not_found(sid):
    return Reply(xml_error(1004, "Station '%s' not found" % sid))


@pytest.fixture
def stub():
    server = StubServer().start()
    yield server
    server.stop()


@pytest.fixture
def client(stub):
    client = DrWebClient(stub.url, 'admin', 'pw', backoff=0, retries=0)
    yield client
    client.close()


def ids_asked(stub):
    return [r.param('id') for r in stub.requests]


def server_taking_batches(known):
    return lambda request: info_answer([i for i in request.param('id') if i in known])


def test_a_server_that_takes_batches_costs_one_request_per_batch(stub, client):
    ids = ['ws-%d' % i for i in range(7)]
    stub.add('stations/info', server_taking_batches(ids))
    result = read_stations(client, ids, include=('keys',), batch=3)
    assert [sid for sid, station in result] == ids
    assert [station['name'] for sid, station in result] == [i.upper() for i in ids]
    assert ids_asked(stub) == [ids[0:3], ids[3:6], ids[6:7]]
    assert all(r.param('keys') == ['yes'] for r in stub.requests)


def test_a_server_that_answers_only_the_first_id_costs_n_plus_one_per_batch(stub, client):
    ids = ['a', 'b', 'c', 'd', 'e']
    stub.add('stations/info', lambda request: info_answer(request.param('id')[:1]))
    result = read_stations(client, ids, batch=2)
    assert [s['id'] for sid, s in result] == ids
    # The station a batch did answer is kept; the ones it left out are asked alone.
    assert ids_asked(stub) == [['a', 'b'], ['b'], ['c', 'd'], ['d'], ['e']]


def test_a_batch_that_fails_is_read_one_by_one(stub, client):
    def answer(request):
        asked = request.param('id')
        if 'gone' in asked:
            # A real server may fail the whole request for one unknown id.
            return not_found('gone')
        return info_answer(asked)

    stub.add('stations/info', answer)
    result = read_stations(client, ['a', 'gone', 'b'], batch=3)
    assert result[1] == ('gone', None)
    assert [s['id'] for sid, s in result if s] == ['a', 'b']
    assert ids_asked(stub) == [['a', 'gone', 'b'], ['a'], ['gone'], ['b']]
    # N + ceil(N / batch).
    assert len(stub.requests) == 3 + 1


def test_an_answer_with_stations_not_asked_for_is_not_trusted(stub, client):
    replies = iter([info_answer(['a', 'intruder']), info_answer(['a']), info_answer(['b'])])
    stub.add('stations/info', lambda request: next(replies))
    result = read_stations(client, ['a', 'b'], batch=2)
    assert [s['id'] for sid, s in result] == ['a', 'b']
    assert ids_asked(stub) == [['a', 'b'], ['a'], ['b']]


def test_an_answer_that_names_a_station_twice_is_not_trusted(stub, client):
    replies = iter([info_answer(['a', 'a']), info_answer(['a']), info_answer(['b'])])
    stub.add('stations/info', lambda request: next(replies))
    read_stations(client, ['a', 'b'], batch=2)
    assert ids_asked(stub) == [['a', 'b'], ['a'], ['b']]


def test_a_malformed_batch_falls_back_and_a_malformed_single_fails(stub, client):
    stub.add('stations/info', Reply(xml_doc('<task/>')))
    with pytest.raises(DrWebProtocolError):
        read_stations(client, ['a', 'b'], batch=2)
    assert ids_asked(stub) == [['a', 'b'], ['a']]


def test_a_connection_failure_is_not_a_reason_to_retry_one_by_one(stub, client):
    stub.add('stations/info', Reply(xml_error(1001, 'Authorization failed'), status=401))
    with pytest.raises(DrWebAuthError):
        read_stations(client, ['a', 'b', 'c', 'd'], batch=2, workers=1)
    assert len(stub.requests) == 1


def test_batches_run_on_several_workers_and_keep_the_order(stub, client):
    ids = ['ws-%02d' % i for i in range(20)]
    stub.add('stations/info', server_taking_batches(ids))
    result = read_stations(client, ids, batch=4, workers=3)
    assert [sid for sid, station in result] == ids
    assert sorted(map(tuple, ids_asked(stub))) == sorted(tuple(ids[i:i + 4]) for i in range(0, 20, 4))


def products_xml(entries):
    body = ''.join('<station id="%s"><products total="%d">%s</products></station>' % (
        sid, len(items), ''.join('<product code="%s" modified_time="1704110400" revision="13020240101120000" '
                                 'state_code="%s" state="%s">%s</product>' % (code, state, words, name)
                                 for code, name, state, words in items)) for sid, items in entries)
    return Reply(xml_doc('<stations total="%d">%s</stations>' % (len(entries), body)))


BASES = ('10-drwbases', 'Dr.Web Virus Bases', 'F', 'Update error')


def test_products_for_several_stations_in_one_request(stub, client):
    stub.add('stations/products', products_xml([('a', [BASES]), ('b', [])]))
    result = read_products(client, ['a', 'b'])
    assert result == [('a', [{'code': '10-drwbases', 'name': 'Dr.Web Virus Bases', 'revision': '13020240101120000',
                              'modified_time': 1704110400, 'state_code': 'F', 'state': 'Update error'}]),
                      ('b', [])]
    assert ids_asked(stub) == [['a', 'b']]


def test_products_of_a_vanished_station_are_none_and_cost_the_fallback(stub, client):
    def answer(request):
        asked = request.param('id')
        if 'gone' in asked:
            return not_found('gone')
        return products_xml([(i, [BASES]) for i in asked])

    stub.add('stations/products', answer)
    result = read_products(client, ['a', 'gone'], batch=2)
    assert result[1] == ('gone', None)
    assert ids_asked(stub) == [['a', 'gone'], ['a'], ['gone']]


def test_products_of_one_station_must_name_it(stub, client):
    stub.add('stations/products', products_xml([('other', [BASES])]))
    with pytest.raises(DrWebProtocolError) as err:
        read_products(client, ['a'])
    assert str(err.value) == ('Reading the products of station a failed: the server reported success but did not send '
                              'that station.')


def test_products_json_forms_give_the_same_model(stub):
    client = DrWebClient(stub.url, 'admin', 'pw', backoff=0, retries=0, api_format='json')
    try:
        product = {'code': '10-drwbases', 'name': 'Dr.Web Virus Bases', 'revision': '13020240101120000',
                   'modified_time': 1704110400, 'state_code': 'F', 'state': 'Update error'}
        for data in ({'total': 1, 'list': [{'id': 'a', 'products': [product]}]},
                     {'stations': {'total': 1, 'list': [{'id': 'a', 'products': {'total': 1, 'list': [product]}}]}}):
            stub.add('stations/products', Reply(json_doc(data)))
            assert client.station_products(['a']) == [{'id': 'a', 'products': [product]}]
    finally:
        client.close()
