# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

import pytest

from ansible_collections.drweb.esuite.plugins.module_utils import _connection  # noqa: E402
from ansible_collections.drweb.esuite.plugins.module_utils._connection import (  # noqa: E402
    basic_secrets,
    check_connection,
    effective_proxy,
    environment_proxy,
    is_loopback,
    parse_proxy,
    scrub,
    url_secrets,
)
from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebError  # noqa: E402

PASSWORD = 'horse battery&staple;x,y'
TOKEN = base64.b64encode(('admin:%s' % PASSWORD).encode()).decode()


@pytest.fixture(scope='module')
def pem(tmp_path_factory):
    trustme = pytest.importorskip('trustme')
    path = tmp_path_factory.mktemp('ca') / 'ca.pem'
    trustme.CA().cert_pem.write_to_path(str(path))
    return str(path)


# --------------------------------------------------------------------------- scrub


@pytest.mark.parametrize('text', [
    'Denied: Authorization: Basic %s' % TOKEN,
    '{"authorization": "Basic %s"}' % TOKEN,
    'token %s was refused' % TOKEN,
    'user admin:%s is locked' % PASSWORD,
    'the password %s is wrong' % PASSWORD,
    'GET /api/stations/add.ds?id=ws-1&password=%s' % PASSWORD.replace(' ', '%20').replace('&', '%26').replace(';', '%3B'),
    'GET /api/stations/add.ds?id=ws-1&password=%s' % PASSWORD.replace(' ', '+').replace('&', '%26').replace(';', '%3B'),
])
def test_scrub_removes_every_form_of_a_known_credential(text):
    cleaned = scrub(text, basic_secrets('admin', PASSWORD))
    assert TOKEN not in cleaned and PASSWORD not in cleaned and 'horse' not in cleaned
    assert _connection.MASK in cleaned


@pytest.mark.parametrize('text, kept', [
    # Whole values, spaces and &;, included, even when the value is not known.
    ('bad value password=horse battery&staple;x,y in request', None),
    ('<station password="horse battery&amp;staple"/>', '<station password='),
    ('{"password": "horse battery, staple", "city": "Berlin"}', '"city": "Berlin"'),
    ('<password>horse battery</password>', '<password>'),
    ('Authorization: Basic %s' % base64.b64encode(b'someone:secret').decode(), 'Authorization: '),
    ('Bearer abcdefghijklmnop', 'Bearer '),
])
def test_scrub_masks_unknown_password_values_whole(text, kept):
    cleaned = scrub(text)
    assert 'horse' not in cleaned and 'battery' not in cleaned and 'staple' not in cleaned
    assert 'c29tZW9uZTpzZWNyZXQ' not in cleaned and 'abcdefghijklmnop' not in cleaned
    if kept:
        assert kept in cleaned


def test_scrub_leaves_ordinary_words_alone():
    # "Basic" followed by a word that is no base64 of user:password is not a credential.
    assert scrub('Basic authentication is required') == 'Basic authentication is required'
    assert scrub('Station ws-1 not found') == 'Station ws-1 not found'


def test_secrets_of_urls():
    assert url_secrets('http://user:p%40ss@proxy:3128') == ('p@ss', 'p%40ss', 'user:p%40ss')
    assert url_secrets('http://proxy:3128') == ()
    assert basic_secrets(None, None) == ()
    assert basic_secrets('admin', PASSWORD) == (PASSWORD, TOKEN, 'admin:%s' % PASSWORD)


# --------------------------------------------------------------------------- proxies


@pytest.mark.parametrize('host, loopback', [
    ('localhost', True), ('127.0.0.1', True), ('127.9.9.9', True), ('::1', True), ('[::1]', True),
    ('LOCALHOST.', True), ('drweb.example.com', False), ('10.0.0.1', False),
])
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize('environ, expected', [
    ({'HTTPS_PROXY': 'http://p:1'}, ('HTTPS_PROXY', 'http://p:1')),
    ({'https_proxy': 'http://low:1', 'HTTPS_PROXY': 'http://up:1'}, ('https_proxy', 'http://low:1')),
    ({'HTTP_PROXY': 'http://p:1'}, None),
    ({'ALL_PROXY': 'http://all:1'}, ('ALL_PROXY', 'http://all:1')),
    ({'HTTPS_PROXY': 'http://p:1', 'NO_PROXY': 'example.com'}, None),
    ({'HTTPS_PROXY': 'http://p:1', 'no_proxy': '.example.com'}, None),
    ({'HTTPS_PROXY': 'http://p:1', 'NO_PROXY': 'other.com,*'}, None),
    ({'HTTPS_PROXY': 'http://p:1', 'NO_PROXY': 'drweb.example.com:9081'}, None),
    ({'HTTPS_PROXY': 'http://p:1', 'NO_PROXY': 'drweb.example.com:1234'}, ('HTTPS_PROXY', 'http://p:1')),
    ({'HTTPS_PROXY': 'http://p:1', 'NO_PROXY': 'ample.com'}, ('HTTPS_PROXY', 'http://p:1')),
])
def test_environment_proxy(environ, expected):
    assert environment_proxy('https://drweb.example.com:9081/api', environ) == expected


def test_environment_proxy_no_proxy_networks():
    environ = {'HTTPS_PROXY': 'http://p:1', 'NO_PROXY': '10.0.0.0/8'}
    assert environment_proxy('https://10.1.2.3:9081/api', environ) is None
    assert environment_proxy('https://11.1.2.3:9081/api', environ) == ('HTTPS_PROXY', 'http://p:1')


def test_effective_proxy():
    environ = {'HTTPS_PROXY': 'http://env:3128', 'HTTP_PROXY': 'http://env:3128'}
    url = 'https://drweb.example.com:9081/api'
    assert effective_proxy(url, None, True, environ) == 'http://env:3128'
    assert effective_proxy(url, None, False, environ) is None
    assert effective_proxy(url, 'http://opt', False, environ) == 'http://opt:80'
    # Loopback is never proxied, not even by an explicit proxy.
    assert effective_proxy('https://127.0.0.1:9081/api', 'http://opt:1', True, environ) is None
    assert effective_proxy('http://localhost:9080/api', None, True, environ) is None
    with pytest.raises(DrWebError, match=r"The proxy in HTTPS_PROXY 'socks5://env:1080' must be an http:// or https:// URL"):
        effective_proxy(url, None, True, {'HTTPS_PROXY': 'socks5://user:pw@env:1080'})


@pytest.mark.parametrize('proxy, normalised', [
    ('http://proxy.example.com:3128', 'http://proxy.example.com:3128'),
    ('http://proxy.example.com', 'http://proxy.example.com:80'),
    ('https://proxy.example.com/', 'https://proxy.example.com:443'),
    ('http://u:p@proxy:3128', 'http://u:p@proxy:3128'),
    ('  ', None),
])
def test_parse_proxy(proxy, normalised):
    assert parse_proxy(proxy) == normalised


@pytest.mark.parametrize('proxy, words', [
    ('socks5://proxy:1080', 'must be an http:// or https:// URL'),
    ('proxy:3128', 'must be an http:// or https:// URL'),
    ('http://proxy:3128/x', 'must not contain a path'),
    ('http://u:secret@proxy:99999', 'is not a valid URL'),
])
def test_parse_proxy_rejects(proxy, words):
    with pytest.raises(DrWebError) as err:
        parse_proxy(proxy)
    assert words in str(err.value)
    assert 'secret' not in str(err.value)


# --------------------------------------------------------------------------- check_connection


def check(**options):
    options.setdefault('api_url', 'https://drweb.example.com:9081')
    options.setdefault('environ', {})
    return check_connection(**options)


def test_check_connection_accepts_the_defaults_and_warns_about_plain_http(pem):
    assert check() == []
    assert check(ca_path=pem) == []
    assert 'plain http' in check(api_url='http://drweb.example.com:9080')[0]
    warning = check(validate_certs=False)
    assert len(warning) == 1 and 'validate_certs is false' in warning[0] and 'ca_path' in warning[0]


@pytest.mark.parametrize('options, message', [
    ({'timeout': 0}, 'The timeout option must be a whole number from 1 to 3600 seconds, got 0.'),
    ({'timeout': 10 ** 12}, 'The timeout option must be a whole number from 1 to 3600 seconds, got 1000000000000.'),
    ({'retries': -1}, 'The retries option must be a whole number from 0 to 10, got -1.'),
    ({'max_response_mb': 2048}, 'The max_response_mb option must be a whole number from 1 to 1024 MiB, got 2048.'),
    ({'api_format': 'yaml'}, "The api_format 'yaml' is not supported; use xml or json."),
    ({'ca_path': '/missing.pem'}, 'The ca_path file /missing.pem does not exist.'),
    ({'environ': {'REQUESTS_CA_BUNDLE': '/missing.pem'}},
     'The REQUESTS_CA_BUNDLE file /missing.pem does not exist; fix or unset REQUESTS_CA_BUNDLE, or set ca_path.'),
    ({'api_url': 'http://drweb.example.com:9080', 'environ': {'HTTP_PROXY': 'http://proxy:3128'}},
     'The api_url http://drweb.example.com:9080 uses plain http and would go through the proxy http://proxy:3128, which '
     'would see the administrator password; use https, or set use_proxy to false.'),
])
def test_check_connection_rejects(options, message):
    with pytest.raises(DrWebError) as err:
        check(**options)
    assert str(err.value) == message


def test_check_connection_ca_files(tmp_path, pem):
    not_pem = tmp_path / 'ca.der'
    not_pem.write_bytes(b'\x30\x82\x01\x0a garbage')
    with pytest.raises(DrWebError, match='The ca_path file %s holds no PEM certificate' % not_pem):
        check(ca_path=str(not_pem))
    # validate_certs=false wins over ca_path: a bad file is then irrelevant.
    assert len(check(ca_path=str(not_pem), validate_certs=False)) == 1
    # A CA directory (openssl rehash layout) is accepted; REQUESTS_CA_BUNDLE is checked like ca_path.
    assert check(ca_path=str(tmp_path)) == []
    with pytest.raises(DrWebError, match='The CURL_CA_BUNDLE file %s holds no PEM' % not_pem):
        check(environ={'CURL_CA_BUNDLE': str(not_pem)})
    assert check(environ={'REQUESTS_CA_BUNDLE': pem}) == []
    # ca_path set: the environment's bundle does not matter.
    assert check(ca_path=pem, environ={'REQUESTS_CA_BUNDLE': '/missing.pem'}) == []


def test_check_connection_unreadable_ca(tmp_path, pem, monkeypatch):
    monkeypatch.setattr(_connection.os, 'access', lambda path, mode: False)
    with pytest.raises(DrWebError, match='cannot be read'):
        check(ca_path=pem)
