# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options through real ansible-playbook runs: the proxy, the environment, -vvvv.

* ``DRWEB_PROXY`` (and the ``proxy`` option): every request goes through a CONNECT proxy on
  loopback to a TLS server named ``drweb.test`` (only the proxy knows where it is); the
  administrator's credentials travel only inside the tunnel, never in the CONNECT, and
  neither they nor the proxy's password show up at -vvvv.
* Credentials in ``api_url`` are refused before any request, and -vvvv does not print them
  in ``invocation``.
* ``REQUESTS_CA_BUNDLE`` naming a missing file is one sentence, not "Module failed".
* ``validate_certs: false`` warns.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import secrets
import ssl

import pytest

import harness  # pylint: disable=import-error
import hostile_server  # pylint: disable=import-error

USER = "ansible-admin"
PASSWORD = "Cp-" + secrets.token_urlsafe(12)
PROXY_PASSWORD = "Px-" + secrets.token_urlsafe(12)
TOKEN = base64.b64encode(("%s:%s" % (USER, PASSWORD)).encode("utf-8")).decode("ascii")


@pytest.fixture(scope="module")
def tunnel(tmp_path_factory):
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert(u"drweb.test").configure_cert(context)
    ca_file = str(tmp_path_factory.mktemp("ca") / "ca.pem")
    ca.cert_pem.write_to_path(ca_file)
    with hostile_server.HostileServer("normal", ssl_context=context) as server:
        with hostile_server.ConnectProxy(("127.0.0.1", server.port), "proxy-user", PROXY_PASSWORD) as proxy:
            yield server, proxy, ca_file


def run_tasks(ansible, tasks, env=None, verbosity=4):
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    return ansible.playbook(ansible.write("connection-%d.yml" % len(tasks), json.dumps(play)),
                            ansible.write("localhost.ini", harness.LOCALHOST_INVENTORY % harness.PYTHON),
                            verbosity=verbosity, env=env, timeout=300)


def secrets_in(text):
    return [label for label, value in (("password", PASSWORD), ("base64", TOKEN), ("proxy password", PROXY_PASSWORD))
            if value in text]


def test_requests_go_through_the_proxy_of_drweb_proxy(ansible, tunnel):
    server, proxy, ca_file = tunnel
    connection = {"api_url": "https://drweb.test:9081", "api_username": USER, "api_password": PASSWORD, "ca_path": ca_file}
    tasks = [
        {"name": "read through DRWEB_PROXY", "drweb.esuite.drweb_station_info": dict(connection, id=["ws-0001", "ws-0002"])},
        {"name": "change through the proxy option", "drweb.esuite.drweb_station": dict(
            connection, id="ws-0001", city="Proxyville", proxy="http://proxy-user:%s@127.0.0.1:%d" % (PROXY_PASSWORD, proxy.port))},
    ]
    env = {"DRWEB_PROXY": "http://proxy-user:%s@127.0.0.1:%d" % (PROXY_PASSWORD, proxy.port),
           # Neither of these may matter: DRWEB_PROXY/proxy win, and the proxy is not on their path.
           "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    run = run_tasks(ansible, tasks, env=env)
    assert run.rc == 0, run.output[-3000:]
    assert [r["status"] for r in run.results] == ["ok", "ok"]
    assert run.results[1]["result"]["changed"] is True
    # The server was reached only through the proxy (it has no other address for drweb.test).
    # drweb_station_info reads both stations with one info.ds; drweb_station reads, then changes.
    assert [r.script for r in server.requests] == ["stations/info", "stations/info", "stations/change"]
    # One tunnel per module run; each CONNECT carries the proxy's credentials and never the server's.
    assert len(proxy.connects) == 2
    for line, headers in proxy.connects:
        # http.client says HTTP/1.0 before Python 3.12, HTTP/1.1 from 3.12 on.
        assert line.rsplit(" ", 1)[0] == "CONNECT drweb.test:9081"
        assert "authorization" not in headers
        assert headers["proxy-authorization"] == "Basic " + base64.b64encode(
            ("proxy-user:%s" % PROXY_PASSWORD).encode()).decode()
    assert all(r.headers.get("authorization") == "Basic " + TOKEN for r in server.requests)
    assert secrets_in(run.output + json.dumps(run.results, default=str)) == []


def test_credentials_in_api_url_stay_out_of_the_invocation(ansible):
    task = {"name": "credentials in the URL", "ignore_errors": True, "drweb.esuite.drweb_station_info": {
        "api_url": "https://%s:%s@127.0.0.1:1" % (USER, PASSWORD), "id": ["ws-0001"]}}
    # From ansible-core 2.21 on, a result holds its invocation only when this setting asks for it.
    run = run_tasks(ansible, [task], env={"ANSIBLE_INJECT_INVOCATION": "true"})
    result = run.only()["result"]
    assert result["msg"] == "The api_url must not contain credentials; use the api_username and api_password options."
    # -vvvv prints the invocation: the URL is there, the password is not.
    assert "invocation" in result and "127.0.0.1:1" in result["invocation"]["module_args"]["api_url"]
    assert "invocation" in run.stdout
    assert secrets_in(run.output + json.dumps(run.results, default=str)) == []


def test_environment_ca_bundle_and_validate_certs(ansible, emulator):
    tasks = [
        {"name": "missing REQUESTS_CA_BUNDLE", "ignore_errors": True, "environment": {"REQUESTS_CA_BUNDLE": "/missing.pem"},
         "drweb.esuite.drweb_stations": dict(emulator.connection(ca_path=None), stations=[{"id": "ws-0001"}])},
        {"name": "validate_certs false", "drweb.esuite.drweb_station_info": dict(
            emulator.connection(validate_certs=False), id=["ws-0001"])},
    ]
    mark = emulator.mark()
    run = run_tasks(ansible, tasks, verbosity=0)
    missing, unverified = [r["result"] for r in run.results]
    assert missing["msg"] == ("The REQUESTS_CA_BUNDLE file /missing.pem does not exist; fix or unset REQUESTS_CA_BUNDLE, "
                              "or set ca_path.")
    assert not harness.has_traceback(missing)
    assert [w for w in unverified.get("warnings") or [] if "validate_certs is false" in w]
    # One request in all: the read with validate_certs false; nothing for the refused task.
    assert len(emulator.requests(mark)) == 1
