# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest


from ansible.module_utils import basic  # noqa: E402

from ansible_collections.drweb.esuite.plugins.module_utils import _module  # noqa: E402
from ansible_collections.drweb.esuite.plugins.module_utils._client import DrWebClient  # noqa: E402
from ansible_collections.drweb.esuite.plugins.module_utils._errors import (  # noqa: E402
    DrWebApiError,
    DrWebAuthError,
    DrWebError,
    DrWebNotFoundError,
    DrWebProtocolError,
    DrWebTaskError,
    DrWebTransportError,
)
from ansible_collections.drweb.esuite.plugins.module_utils._module import DrWebModule, failure_result  # noqa: E402
from ansible_collections.drweb.esuite.tests.unit.plugins.module_utils.http_stub import (  # noqa: E402
    Reply,
    StubServer,
    xml_doc,
)

from ansible_collections.drweb.esuite.tests.unit.plugins.modules.drweb_harness import patch_module_args  # noqa: E402

ENV = ('DRWEB_API_URL', 'DRWEB_API_USERNAME', 'DRWEB_API_PASSWORD', 'DRWEB_VALIDATE_CERTS',
       'DRWEB_CA_PATH', 'DRWEB_TIMEOUT', 'DRWEB_RETRIES', 'DRWEB_API_FORMAT')
PASSWORD = 'S3cr3t-pw!'
STATION = ('<stations total="1"><station id="ws-1" name="WS 1" created="1" modified="1" parent_id="" parent_name="" '
           'parent_type="1" password="" state="1"><city>Paris</city><acl priority="allow"><allowed/><disallowed/></acl>'
           '</station></stations>')


class AnsibleExitJson(Exception):
    pass


class AnsibleFailJson(Exception):
    pass


@pytest.fixture(autouse=True)
def patched(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)

    def exit_json(self, **kwargs):
        kwargs.setdefault('changed', False)
        raise AnsibleExitJson(kwargs)

    def fail_json(self, **kwargs):
        kwargs['failed'] = True
        raise AnsibleFailJson(kwargs)

    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, msg: warnings.append(msg))
    return warnings


def build(args, spec=None, **kwargs):
    with patch_module_args(args):
        return DrWebModule(argument_spec=spec or {}, supports_check_mode=True, **kwargs)


def fail_result(args, spec=None):
    with pytest.raises(AnsibleFailJson) as err:
        build(args, spec)
    return err.value.args[0]


# --------------------------------------------------------------------------- options


def test_defaults():
    module = build({'api_url': 'https://drweb.example.com:9081'})
    p = module.params
    assert (p['validate_certs'], p['timeout'], p['retries'], p['api_format']) == (True, 30, 3, 'xml')
    assert p['api_username'] is None and p['api_password'] is None and p['ca_path'] is None


def test_env_fallbacks_satisfy_required_api_url(monkeypatch, tmp_path):
    ca = tmp_path / 'ca.pem'
    ca.write_text(u'x')
    env = {'DRWEB_API_URL': 'https://env.example.com:9081', 'DRWEB_API_USERNAME': 'envadmin',
           'DRWEB_API_PASSWORD': PASSWORD, 'DRWEB_VALIDATE_CERTS': 'no', 'DRWEB_CA_PATH': str(ca),
           'DRWEB_TIMEOUT': '7', 'DRWEB_RETRIES': '0', 'DRWEB_API_FORMAT': 'json'}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    module = build({})
    p = module.params
    assert p['api_url'] == 'https://env.example.com:9081'
    assert p['api_username'] == 'envadmin' and p['api_password'] == PASSWORD
    assert p['validate_certs'] is False and p['ca_path'] == str(ca)
    assert (p['timeout'], p['retries'], p['api_format']) == (7, 0, 'json')
    # A fallback value is a secret just like the option itself.
    assert PASSWORD in module.no_log_values


def test_task_args_beat_env(monkeypatch):
    monkeypatch.setenv('DRWEB_API_URL', 'https://env.example.com:9081')
    monkeypatch.setenv('DRWEB_TIMEOUT', '7')
    module = build({'api_url': 'https://arg.example.com:9081', 'timeout': 9})
    assert module.params['api_url'] == 'https://arg.example.com:9081'
    assert module.params['timeout'] == 9


def test_api_url_required_without_env():
    result = fail_result({})
    assert 'missing required arguments: api_url' in result['msg']


def test_bad_env_value_is_reported(monkeypatch):
    monkeypatch.setenv('DRWEB_API_FORMAT', 'yaml')
    result = fail_result({'api_url': 'https://h:9081'})
    assert 'api_format' in result['msg']


def test_module_options_are_merged():
    module = build({'api_url': 'https://h:9081', 'id': 'ws-1'}, spec=dict(id=dict(type='str', required=True)))
    assert module.params['id'] == 'ws-1'
    assert 'api_url' in module.argument_spec


def test_connection_spec_is_not_shared_between_modules():
    build({'api_url': 'https://h:9081'}, spec=dict(timeout=dict(type='int', default=99)))
    assert _module.CONNECTION_ARGUMENT_SPEC['timeout']['default'] == 30


def test_plain_http_warns(patched):
    build({'api_url': 'http://drweb.example.com:9080'})
    assert len(patched) == 1 and 'plain http' in patched[0]
    del patched[:]
    build({'api_url': 'https://drweb.example.com:9081'})
    assert patched == []


@pytest.mark.parametrize('url, words', [
    ('drweb.example.com:9081', 'must start with https://'),
    ('https://admin:%s@h:9081' % PASSWORD, 'must not contain credentials'),
    ('https:///api', 'names no host'),
])
def test_bad_api_url_fails_before_any_request(url, words):
    result = fail_result({'api_url': url, 'api_password': PASSWORD})
    assert words in result['msg']
    assert PASSWORD not in result['msg']


@pytest.mark.parametrize('args, words', [
    ({'timeout': 0}, 'timeout option must be a whole number from 1 to 3600 seconds, got 0.'),
    ({'timeout': 1000000000000}, 'timeout option must be a whole number from 1 to 3600 seconds, got 1000000000000.'),
    ({'retries': -1}, 'retries option must be a whole number from 0 to 10, got -1.'),
    ({'retries': 11}, 'retries option must be a whole number from 0 to 10, got 11.'),
    ({'max_response_mb': 0}, 'max_response_mb option must be a whole number from 1 to 1024 MiB, got 0.'),
    ({'proxy': 'socks5://proxy:1080'}, "The proxy 'socks5://proxy:1080' must be an http:// or https:// URL"),
    ({'proxy': 'http://proxy:3128/path'}, "must not contain a path"),
])
def test_bad_numbers(args, words):
    args = dict(args, api_url='https://h:9081')
    assert words in fail_result(args)['msg']


def test_missing_requests(monkeypatch):
    monkeypatch.setattr(_module, 'HAS_REQUESTS', False)
    result = fail_result({'api_url': 'https://h:9081'})
    assert 'Failed to import the required Python library (requests)' in result['msg']


def test_missing_lxml_only_matters_for_xml(monkeypatch):
    monkeypatch.setattr(_module, 'HAS_LXML', False)
    result = fail_result({'api_url': 'https://h:9081'})
    assert 'Failed to import the required Python library (lxml)' in result['msg']
    assert 'api_format=xml' in result['msg']
    assert build({'api_url': 'https://h:9081', 'api_format': 'json'}).params['api_format'] == 'json'


# --------------------------------------------------------------------------- client


def test_client_is_lazy_and_built_from_options(tmp_path):
    module = build({'api_url': 'https://h:9081/api', 'api_username': 'u', 'api_password': PASSWORD,
                    'ca_path': str(tmp_path), 'timeout': 5, 'retries': 1, 'api_format': 'json'})
    assert module._client is None
    client = module.client
    assert isinstance(client, DrWebClient)
    assert client is module.client
    assert (client.api_base, client.server) == ('https://h:9081/api', 'https://h:9081')
    assert (client.verify, client.timeout, client.retries, client.api_format) == (str(tmp_path), 5, 1, 'json')
    assert client.request_count == 0


def test_validate_certs_false_wins_over_ca_path(tmp_path):
    module = build({'api_url': 'https://h:9081', 'validate_certs': False, 'ca_path': str(tmp_path)})
    assert module.client.verify is False


# --------------------------------------------------------------------------- write / fail


def test_write_is_skipped_in_check_mode():
    calls = []
    module = build({'api_url': 'https://h:9081', '_ansible_check_mode': True})
    assert module.write(lambda *a, **kw: calls.append((a, kw)) or 'id') is None
    assert calls == []


def test_write_calls_through_outside_check_mode():
    calls = []
    module = build({'api_url': 'https://h:9081'})
    assert module.write(lambda *a, **kw: calls.append((a, kw)) or 'ws-1', 'ws-1', [('city', 'X')], flag=True) == 'ws-1'
    assert calls == [(('ws-1', [('city', 'X')]), {'flag': True})]


def test_converge_restarts_the_cycle_and_confirms_the_last_uncertain_write():
    module = build({'api_url': 'https://h:9081', 'retries': 1})
    outcomes = [DrWebTransportError('lost.', maybe_applied=True), DrWebTransportError('lost.', maybe_applied=True), 'done']
    calls = []

    def attempt(may_write=True):
        calls.append(may_write)
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome
    # retries=1: two full cycles, then one read-only check that finds the change landed.
    assert module.converge(attempt) == ('done', True)
    assert calls == [True, True, False]


def test_converge_does_not_repeat_a_read_the_client_already_retried():
    # One budget: the client tried the read retries + 1 times; the cycle must not multiply that.
    module = build({'api_url': 'https://h:9081', 'retries': 2})
    calls = []

    def attempt(may_write=True):
        calls.append(may_write)
        raise DrWebTransportError('Reading station ws-1 failed: HTTP 503 (3 attempts).', status=503)
    with pytest.raises(DrWebTransportError, match='HTTP 503'):
        module.converge(attempt)
    assert calls == [True]


@pytest.mark.parametrize('exc, details', [
    (DrWebApiError('Changing station ws-1 failed: the server answered errno 36 "No".', errno=36, server_message='No'),
     {'errno': 36, 'server_message': 'No'}),
    (DrWebNotFoundError('Reading station ws-1 failed: gone.', errno=12), {'errno': 12}),
    (DrWebTaskError('Approving newbie station ws-9 failed: the server answered "Group is not found".', task_id='newbies',
                    server_message='Group is not found'),
     {'task_id': 'newbies', 'server_message': 'Group is not found'}),
    (DrWebTransportError('Changing station ws-1 failed: lost.', maybe_applied=True, status=503),
     {'maybe_applied': True, 'status': 503, 'changed': True}),
    (DrWebTransportError('Reading station ws-1 failed: refused.'), {}),
    (DrWebAuthError('Authentication to the Dr.Web server at https://h:9081 failed for user \'u\': HTTP 401.'), {}),
    (DrWebProtocolError('Reading station ws-1 failed: the answer is not a Dr.Web API XML document.'), {}),
])
def test_fail_from(exc, details):
    module = build({'api_url': 'https://h:9081'})
    with pytest.raises(AnsibleFailJson) as err:
        module.fail_from(exc)
    result = err.value.args[0]
    # A write that may have landed is a change; every other failure is not.
    expected = dict(dict(changed=False, msg=str(exc), failed=True), **details)
    assert result == expected
    assert 'exception' not in result and 'Traceback' not in result['msg']


def test_failure_result_is_the_same_mapping_for_every_caller():
    lost = DrWebTransportError('Changing station ws-1 failed: lost.', maybe_applied=True)
    assert failure_result(lost) == {'msg': str(lost), 'changed': True, 'maybe_applied': True}
    refused = DrWebApiError('Changing station ws-1 failed: errno 1003.', errno=1003)
    assert failure_result(refused) == {'msg': str(refused), 'changed': False, 'errno': 1003}
    # A plain DrWebError (e.g. StationOptionError) declares no details.
    assert failure_result(DrWebError('rate is bad.')) == {'msg': 'rate is bad.', 'changed': False}


def test_an_exception_refuses_details_its_class_does_not_declare():
    with pytest.raises(TypeError):
        raise DrWebAuthError('Authentication failed.', errno=401)


def test_api_errors_context_manager():
    module = build({'api_url': 'https://h:9081'})
    with pytest.raises(AnsibleFailJson) as err:
        with module.api_errors(station='ws-1'):
            raise DrWebNotFoundError('Reading station ws-1 failed: gone.')
    assert err.value.args[0] == {'msg': 'Reading station ws-1 failed: gone.', 'changed': False, 'failed': True,
                                 'station': 'ws-1'}
    with module.api_errors():
        pass


def test_api_errors_lets_bugs_through():
    module = build({'api_url': 'https://h:9081'})
    with pytest.raises(KeyError):
        with module.api_errors():
            raise KeyError('bug')


# --------------------------------------------------------------------------- main()


def toy_main():
    """A thin module as the real ones are written: read, compare, write through the choke point."""
    module = DrWebModule(argument_spec=dict(id=dict(type='str', required=True), city=dict(type='str')),
                         supports_check_mode=True)
    p = module.params
    with module.api_errors():
        station = module.client.find_station(p['id'])
        if station is None:
            module.fail_json(msg='Station %s does not exist.' % p['id'])
        changed = station.get('city') != p['city']
        if changed:
            module.write(module.client.station_change, p['id'], [('city', p['city'])])
    module.exit_json(changed=changed, requests=module.client.request_count)


@pytest.fixture
def stub():
    server = StubServer().start()
    server.add('stations/info', Reply(xml_doc(STATION)))
    server.add('stations/change', Reply(xml_doc('<station id="ws-1"/>')))
    yield server
    server.stop()


@pytest.mark.parametrize('check_mode, scripts', [
    (True, ['stations/info']),
    (False, ['stations/info', 'stations/change']),
])
def test_main_check_mode_sends_no_write(stub, check_mode, scripts):
    args = {'api_url': stub.url, 'api_username': 'admin', 'api_password': PASSWORD, 'id': 'ws-1', 'city': 'Berlin',
            '_ansible_check_mode': check_mode}
    with patch_module_args(args):
        with pytest.raises(AnsibleExitJson) as err:
            toy_main()
    assert err.value.args[0]['changed'] is True
    assert stub.scripts() == scripts
    assert err.value.args[0]['requests'] == len(scripts)


def test_main_api_failure_is_one_sentence(stub):
    stub.routes['stations/change'] = [Reply('busy', status=503)]
    args = {'api_url': stub.url, 'api_username': 'admin', 'api_password': PASSWORD, 'id': 'ws-1', 'city': 'Berlin',
            'retries': 0}
    with patch_module_args(args):
        with pytest.raises(AnsibleFailJson) as err:
            toy_main()
    result = err.value.args[0]
    assert result['msg'].startswith('Changing station ws-1 failed: the Dr.Web server at %s answered HTTP 503' % stub.url)
    assert result['maybe_applied'] is True and result['status'] == 503
    assert PASSWORD not in json.dumps(result)


def test_main_auth_failure(stub):
    stub.routes['stations/info'] = [Reply('', status=401)]
    args = {'api_url': stub.url, 'api_username': 'admin', 'api_password': PASSWORD, 'id': 'ws-1', 'city': 'Berlin'}
    with patch_module_args(args):
        with pytest.raises(AnsibleFailJson) as err:
            toy_main()
    assert err.value.args[0]['msg'].startswith("Authentication to the Dr.Web server at %s failed for user 'admin'" % stub.url)
    assert PASSWORD not in json.dumps(err.value.args[0])
