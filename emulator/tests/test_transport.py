# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport rules: auth, headers, content types, methods, path aliases, error envelopes."""

import base64

import pytest
import requests

from emulator_testlib import FORMATS, error_of, parse, status_of


def test_headers_and_content_type_on_success(api, fmt):
    response = api.raw("stations", "info", {"id": "s1"}, fmt)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/%s; charset=utf-8" % fmt
    assert response.headers["x-drweb-api-status"] == "true"
    assert response.headers["x-drweb-api-version"] == "040302"
    assert response.headers["x-drweb-srv-version"] == "13001202310121"
    assert response.headers["x-drweb-srv-type"]
    assert response.headers["x-drweb-srv"]


def test_xml_envelope_attributes(api):
    response = api.raw("stations", "state", {"id": "s1"})
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = parse(response.content, "xml")
    assert root.tag == "drweb-es-api"
    assert list(root.attrib) == ["api_version", "timestamp", "server", "srv_version", "status"]
    assert root.get("api_version") == "4.3.2"
    assert root.get("srv_version") == "13.00.1.202310121"
    assert root.get("timestamp").isdigit()


def test_json_envelope_head(api, server):
    doc = api.call("stations", "state", {"id": "s1"}, "json")
    head = doc["head"]
    assert head["api"] == {"version": 40302, "versionString": "4.3.2"}
    assert head["server"]["version"] == "13.00.1.202310121"
    assert head["server"]["uuid"] == server.config.server_uuid
    assert isinstance(head["timestamp"], int)
    assert head["status"] is True


def test_json_keys_are_sorted(api):
    text = api.raw("stations", "info", {"id": "s1", "keys": "yes"}, "json").text
    import json

    def check(node):
        if isinstance(node, dict):
            assert list(node) == sorted(node)
            for value in node.values():
                check(value)
        elif isinstance(node, list):
            for value in node:
                check(value)
    check(json.loads(text))


@pytest.mark.parametrize("auth", [None, ("admin", "wrong"), ("nobody", "drweb")])
def test_bad_credentials_give_401_without_challenge(server, auth, fmt):
    url = server.url + "/api/stations/info.ds"
    response = requests.get(url, params={"id": "s1", "format": fmt}, auth=auth, timeout=5)
    assert response.status_code == 401
    assert "WWW-Authenticate" not in response.headers
    assert response.headers["x-drweb-api-status"] == "false"
    doc = parse(response.content, fmt)
    assert status_of(doc, fmt) is False
    assert error_of(doc, fmt) == (1001, "Authorization failed")


def test_malformed_authorization_header_is_401(server):
    for header in ("Basic !!!", "Bearer abc", "Basic " + base64.b64encode(b"nocolon").decode()):
        response = requests.get(server.url + "/api/stations/state.ds?id=s1",
                                headers={"Authorization": header}, timeout=5)
        assert response.status_code == 401


def test_post_with_form_body_and_query(api, fmt):
    response = api.raw("stations", "change", [("id", "s1"), ("city", "Posted")], fmt, method="POST")
    assert response.status_code == 200
    doc = api.call("stations", "info", {"id": "s1"}, fmt)
    city = doc["data"]["list"][0]["city"] if fmt == "json" else doc.findtext("stations/station/city")
    assert city == "Posted"
    # POST with an empty body and parameters in the query string (a real integration did that).
    url = api.base_url + "/api/stations/change.ds?id=s1&city=Query"
    assert api.session.post(url, timeout=5).status_code == 200
    assert api.call("stations", "info", {"id": "s1"}, "json")["data"]["list"][0]["city"] == "Query"


def test_underscore_equals_dash_in_script_names(api):
    dash = api.call("stations", "newbies-info", {"id": "newbie-01"})
    underscore = api.call("stations", "newbies_info", {"id": "newbie-01"})
    assert dash.find("stations/station").get("id") == underscore.find("stations/station").get("id")
    assert api.call("groups", "stations_list", {"id": "servers"}).find("stations").get("total") == "3"


@pytest.mark.parametrize("alias,canonical", [
    ("task", "tasks"),
    ("repositories-state", "repository-products"),
    ("update-repositories-status", "repository-status"),
    ("update_repositories_status", "repository-status"),
])
def test_documented_aliases(api, alias, canonical):
    params = {"task-id": "update_repositories"} if canonical == "tasks" else {}
    a = api.call("server", alias, params)
    b = api.call("server", canonical, params)
    assert a[0].tag == b[0].tag


@pytest.mark.parametrize("path", ["/api/stations/nothing.ds", "/api/nothing/info.ds", "/api/stations/info",
                                  "/", "/api/3.0/stations/add.ds"])
def test_unknown_paths_are_404_with_envelope(api, path, fmt):
    response = api.session.get(api.base_url + path, params={"format": fmt}, timeout=5)
    assert response.status_code == 404
    doc = parse(response.content, fmt)
    assert error_of(doc, fmt)[0] == 1002
    assert response.headers["x-drweb-api-status"] == "false"


def test_unknown_path_without_credentials_is_401(server):
    response = requests.get(server.url + "/api/stations/nothing.ds", timeout=5)
    assert response.status_code == 401


def test_other_methods_are_405(api):
    response = api.session.put(api.base_url + "/api/stations/info.ds?id=s1", timeout=5)
    assert response.status_code == 405
    assert error_of(parse(response.content, "xml"), "xml")[0] == 1009


def test_format_header_and_bad_format(api):
    response = api.session.get(api.base_url + "/api/stations/state.ds?id=s1",
                               headers={"x-drweb-api-response-type": "json"}, timeout=5)
    assert response.json()["data"]["states"] == {"s1": "online"}
    xml = api.raw("stations", "state", {"id": "s1", "format": "xml"})
    assert xml.headers["Content-Type"].startswith("application/xml")
    errno, message = api.error("stations", "state", {"id": "s1", "format": "yaml"})
    assert errno == 1003 and "format" in message


@pytest.mark.parametrize("fmt_", FORMATS)
def test_error_envelope_shape(api, fmt_):
    errno, message = api.error("stations", "info", {"id": "no-such"}, fmt_)
    assert (errno, message) == (1004, "Station 'no-such' not found")


def test_xml_escaping(api):
    api.call("stations", "change", {"id": "s1", "description": 'a&b <c> "d"'})
    response = api.raw("stations", "info", {"id": "s1"})
    assert b"a&amp;b &lt;c&gt;" in response.content
    assert parse(response.content, "xml").findtext("stations/station/description") == 'a&b <c> "d"'
    assert b"os=windows&amp;id=s1" in response.content


def test_keep_alive_reuses_one_connection(api):
    for _attempt in range(5):
        api.raw("stations", "state", {"id": "s1"})
    pool = api.session.get_adapter(api.base_url).poolmanager
    pools = list(pool.pools._container.values())
    assert len(pools) == 1 and pools[0].num_connections == 1


def test_legacy_root_profile(tmp_path):
    from drweb_emulator import Config, EmulatorServer
    with EmulatorServer(Config(port=0, api_version="4.1.3")) as srv:
        session = requests.Session()
        session.auth = ("admin", "drweb")
        xml = session.get(srv.url + "/api/stations/state.ds?id=s1", timeout=5)
        assert parse(xml.content, "xml").tag == "drweb-avdesk-api"
        assert xml.headers["x-drweb-api-version"] == "040103"
        head = session.get(srv.url + "/api/stations/state.ds?id=s1&format=json", timeout=5).json()["head"]
        assert head["api"] == {"version": 40103}
        assert head["server"]["version"] == 1000201707130
