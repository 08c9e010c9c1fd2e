# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Servers that answer wrongly make every module fail with one clear sentence, no traceback.

Wrong credentials and an unknown script come from the emulator; the other answers come
from the unit tests' loopback stub (``tests/unit/plugins/module_utils/http_stub.py``),
which here gives the same canned answer to every script. Each bad server is one play
with one task per module; all plays run in a single ``ansible-playbook`` run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys

import pytest

import harness  # pylint: disable=import-error

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "unit", "plugins", "module_utils"))

import http_stub  # noqa: E402 pylint: disable=wrong-import-position,import-error

MODULES = [
    ("drweb.esuite.drweb_station", {"id": "ws-0001", "city": "Berlin"}),
    ("drweb.esuite.drweb_station_info", {"id": ["ws-0001"]}),
    ("drweb.esuite.drweb_group_components", {"id": ["servers"]}),
    ("drweb.esuite.drweb_newbie", {"id": "newbie-01", "action": "reject"}),
    ("drweb.esuite.drweb_repo_update", {}),
]

XXE = ('<?xml version="1.0" encoding="UTF-8"?>\n'
       '<!DOCTYPE drweb-es-api [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       '<drweb-es-api api_version="4.3.2" timestamp="1700000000" server="127.0.0.1" status="true">'
       '<stations total="1"><station id="ws-0001"><name>&xxe;</name></station></stations></drweb-es-api>')

BILLION_LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
                  + "".join(' <!ENTITY lol%d "%s">\n' % (i, ("&lol%s;" % (i - 1 if i > 1 else "")) * 10) for i in range(1, 10))
                  + ']>\n<drweb-es-api status="true"><stations total="1"><station id="ws-0001"><name>&lol9;</name>'
                    '</station></stations></drweb-es-api>')

HTML_PAGE = ("<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><h1>Corporate proxy</h1>"
             "<form action=\"/login\"><input name=\"user\"></form></body></html>\n")

HTML_ERROR = "<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>"

TRUNCATED = http_stub.xml_doc('<stations total="1"><station id="ws-0001"><name>WS-1</name><description>cut')[:150]

WRONG_JSON = json.dumps({"result": "ok", "items": [{"id": "ws-0001"}], "head": "not an object"})


class AnyScript(http_stub.StubServer):
    """The stub, answering every script with the same reply."""

    def __init__(self, reply, ssl_context=None):
        super(AnyScript, self).__init__(ssl_context=ssl_context)
        self.reply = reply

    def next_reply(self, request):
        return self.reply


def stub_case(reply, fmt="xml"):
    def make(emulator, tmp_path):
        server = AnyScript(reply).start()
        return server, {"api_url": server.url, "api_username": "admin", "api_password": emulator.password,
                        "api_format": fmt, "retries": 0}
    return make


def tls_case(emulator, tmp_path):
    import trustme  # pylint: disable=import-outside-toplevel
    server_ca, client_ca = trustme.CA(), trustme.CA()
    cert = server_ca.issue_cert(u"127.0.0.1")
    import ssl  # pylint: disable=import-outside-toplevel
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    server = AnyScript(http_stub.Reply(http_stub.xml_doc("")), ssl_context=context).start()
    ca_path = str(tmp_path / "other-ca.pem")
    client_ca.cert_pem.write_to_path(ca_path)
    return server, {"api_url": server.url, "api_username": "admin", "api_password": emulator.password, "ca_path": ca_path}


def hang_case(emulator, tmp_path):
    server = AnyScript(http_stub.Reply(action="hang")).start()
    return server, {"api_url": server.url, "api_username": "admin", "api_password": emulator.password,
                    "timeout": 2, "retries": 1}


def wrong_credentials(emulator, tmp_path):
    return None, emulator.connection(api_password=emulator.password + "-wrong")


def unknown_script(emulator, tmp_path):
    # The API root moved: every script of the collection is unknown there (HTTP 404).
    return None, emulator.connection(api_url=emulator.url + "/old-console")


# (case id, server factory, words every message must contain (lower case))
SERVERS = [
    ("wrong-credentials-401", wrong_credentials, ["401"]),
    ("unknown-script-404", unknown_script, ["404"]),
    ("html-instead-of-xml", stub_case(http_stub.Reply(HTML_PAGE, content_type="text/html; charset=utf-8")), []),
    ("html-error-page-500", stub_case(http_stub.Reply(HTML_ERROR, status=500, content_type="text/html")), ["500"]),
    ("truncated-xml", stub_case(http_stub.Reply(TRUNCATED)), []),
    ("json-wrong-shape", stub_case(http_stub.Reply(WRONG_JSON), fmt="json"), []),
    ("xxe", stub_case(http_stub.Reply(XXE)), []),
    ("billion-laughs", stub_case(http_stub.Reply(BILLION_LAUGHS)), []),
    ("tls-unverified", tls_case, ["certificate"]),
    ("never-answers", hang_case, ["2 seconds"]),
]


@pytest.fixture(scope="module")
def outcomes(module_ansible, emulator, tmp_path_factory):
    """Every bad server as one play of a single ansible-playbook run (one task per module)."""
    servers, plays = {}, []
    try:
        for case_id, factory, dummy in SERVERS:
            server, connection = factory(emulator, tmp_path_factory.mktemp(case_id))
            servers[case_id] = server
            tasks = [{"name": "%s|%s" % (case_id, module), module: args, "ignore_errors": True} for module, args in MODULES]
            plays.append({"name": case_id, "hosts": "localhost", "gather_facts": False,
                          "module_defaults": {"group/drweb.esuite.drweb": connection}, "tasks": tasks})
        mark = emulator.mark()
        run = module_ansible.playbook(module_ansible.write("bad-servers.yml", json.dumps(plays)),
                                      module_ansible.write("localhost.ini", harness.LOCALHOST_INVENTORY % harness.PYTHON),
                                      timeout=900)
    finally:
        for server in servers.values():
            if server is not None:
                server.stop()
    return {"run": run, "servers": servers, "emulator_writes": [r for r in emulator.requests(mark) if r.get("write")]}


def test_one_run_no_traceback_no_write(outcomes):
    run = outcomes["run"]
    assert len(run.results) == len(SERVERS) * len(MODULES), run.output[-3000:]
    assert "Traceback" not in run.output
    # A failed read never turns into a write.
    assert outcomes["emulator_writes"] == []
    for case_id, server in outcomes["servers"].items():
        if server is not None:
            writes = [r for r in server.requests if r.script in ("stations/change", "stations/add", "stations/delete", "server/tasks")]
            assert writes == [], (case_id, writes)


@pytest.mark.parametrize("case_id,factory,words", SERVERS, ids=[s[0] for s in SERVERS])
def test_bad_server(outcomes, emulator, case_id, factory, words):
    results = [r for r in outcomes["run"].results if r["task"].split("|")[0] == case_id]
    assert len(results) == len(MODULES), outcomes["run"].output[-3000:]
    problems = []
    for recorded in results:
        result = recorded["result"]
        msg = result.get("msg")
        module = recorded["task"].split("|")[1]
        print("%s %s: %s" % (case_id, module.split(".")[-1], msg))
        if recorded["status"] != "failed":
            problems.append("%s did not fail: %s" % (module, json.dumps(result, default=str)[:500]))
            continue
        problem = harness.one_sentence(msg)
        if problem:
            problems.append("%s: %s: %r" % (module, problem, msg))
        if harness.has_traceback(result):
            problems.append("%s: traceback: %s" % (module, result.get("exception") or result.get("module_stderr")))
        for word in words:
            if word not in (msg or "").lower():
                problems.append("%s: %r does not mention %r" % (module, msg, word))
        text = json.dumps(result, default=str)
        if "root:x:0:0" in text or "lollollol" in text:
            problems.append("%s: the payload's entities were expanded: %s" % (module, text[:300]))
        if emulator.password in text:
            problems.append("%s: the api_password is in the result" % module)
    assert problems == [], "\n".join(problems)
