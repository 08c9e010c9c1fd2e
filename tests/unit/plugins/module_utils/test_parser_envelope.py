# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Envelopes: headers, error envelopes, answers that are not the API, hostile XML."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import json
import os
import re
import sys
import time

import pytest

from ansible_collections.drweb.esuite.plugins.module_utils import _parser
from ansible_collections.drweb.esuite.plugins.module_utils._errors import (
    DrWebApiError,
    DrWebError,
    DrWebNotFoundError,
    DrWebProtocolError,
)
from ansible_collections.drweb.esuite.plugins.module_utils._parser import (
    Document,
    parse_document,
    parse_id,
    parse_station_info,
    parse_task,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
CONTEXT = "reading station ws-1"
ROOT_43 = '<drweb-es-api api_version="4.3.2" timestamp="1700000000" server="192.168.1.1" ' \
          'srv_version="13.00.1.202310121" status="%s">'
HEAD_43 = {"api": {"version": 40302, "versionString": "4.3.2"}, "timestamp": 1700000000,
           "server": {"name": "192.168.1.1", "version": "13.00.1.202310121", "uuid": "b35d999d"}}


def load(name):
    with open(os.path.join(FIXTURES, name), "rb") as handle:
        return handle.read()


def xml(payload, status="true"):
    return ((ROOT_43 % status) + payload + "</drweb-es-api>").encode("utf-8")


def json_doc(data=None, status=True, **top):
    document = {"head": dict(HEAD_43, status=status)}
    if data is not None:
        document["data"] = data
    document.update(top)
    return json.dumps(document).encode("utf-8")


def one_sentence(message):
    assert "\n" not in message
    assert message.endswith(".")
    assert message[0].isupper()


# --------------------------------------------------------------------------- headers

@pytest.mark.parametrize("name, expected", [
    ("task_newbies_failed.xml", {"api_version": "4.3.0", "timestamp": 1582030324, "server": "192.168.1.1",
                                 "srv_version": "12.00.0.201909260", "server_uuid": None, "status": True}),
    ("task_newbies_failed.json", {"api_version": "4.3.0", "timestamp": 1582030580, "server": "192.168.1.1",
                                  "srv_version": "12.00.0.201909260",
                                  "server_uuid": "27671337-e0b0-4f60-aeb0-ab1f2ca47f77", "status": True}),
    # 4.1.3: other root, no versionString, numeric server.version.
    ("station_change_avdesk.xml", {"api_version": "4.1.3", "timestamp": 1395740729, "server": "192.168.1.1",
                                   "srv_version": "10.01.0.201707130", "server_uuid": None, "status": True}),
    ("station_change_avdesk.json", {"api_version": "4.1.3", "timestamp": 1395740761, "server": "192.168.1.1",
                                    "srv_version": "1000201707130",
                                    "server_uuid": "50171907-d21d-b211-b3fd-cc152f024d8c", "status": True}),
    # 2.x: rc instead of status.
    ("station_change_xmlapi2.xml", {"api_version": "2.2.0", "timestamp": 1262304000, "server": "192.168.1.1",
                                    "srv_version": "10.00.1.201001010", "server_uuid": None, "status": True}),
])
def test_header(name, expected):
    document = parse_document(load(name), name.rsplit(".", 1)[1], CONTEXT)
    assert document.header == expected
    assert document.fmt == name.rsplit(".", 1)[1]
    assert document.context == CONTEXT


def test_payload_is_the_root_element_or_the_data_object():
    assert parse_document(load("group_add.xml"), "xml", CONTEXT).payload.tag == "drweb-es-api"
    assert parse_document(load("group_add.json"), "json", CONTEXT).payload == {
        "id": "a1b2c3d4-0000-4000-8000-000000000001"}


def test_str_body_with_a_foreign_encoding_declaration():
    body = '<?xml version="1.0" encoding="windows-1251"?>' + (ROOT_43 % "true") + \
           '<stations total="1"><station id="s1" name="Бухгалтерия"/></stations></drweb-es-api>'
    document = parse_document(body, "xml", CONTEXT)
    assert parse_station_info(document)[0]["name"] == u"Бухгалтерия"


def test_json_with_byte_order_mark():
    body = b"\xef\xbb\xbf" + json_doc({"id": "1002"})
    assert parse_id(parse_document(body, "json", CONTEXT)) == "1002"


def test_document_without_format_is_recognised():
    xml_doc = parse_document(load("group_add.xml"), "xml", CONTEXT)
    json_doc_ = parse_document(load("group_add.json"), "json", CONTEXT)
    assert parse_id(Document(xml_doc.header, xml_doc.payload)) == parse_id(Document(json_doc_.header, json_doc_.payload))


def test_unknown_format_is_a_programming_error():
    with pytest.raises(ValueError):
        parse_document(b"{}", "yaml", CONTEXT)


# --------------------------------------------------------------------------- error envelopes

def test_error_envelope_xml():
    with pytest.raises(DrWebApiError) as info:
        parse_document(load("error_remove_system_group.xml"), "xml", "deleting group 20e27d73-d21d-b211-a788-85419c46f0e6")
    error = info.value
    assert not isinstance(error, DrWebNotFoundError)
    assert str(error) == (
        "Deleting group 20e27d73-d21d-b211-a788-85419c46f0e6 failed: the server answered errno 36 \"Unable to remove "
        "group '20e27d73-d21d-b211-a788-85419c46f0e6': You cannot remove the system group\".")
    assert error.errno == 36
    assert error.server_message == ("Unable to remove group '20e27d73-d21d-b211-a788-85419c46f0e6': "
                                    "You cannot remove the system group")
    one_sentence(str(error))


@pytest.mark.parametrize("name", ["error_group_not_found.xml", "error_group_not_found.json"])
def test_not_found_envelope(name):
    # The JSON twin carries its error block under data.
    with pytest.raises(DrWebNotFoundError) as info:
        parse_document(load(name), name.rsplit(".", 1)[1], "reading group Accounting")
    assert str(info.value) == 'Reading group Accounting failed: the server answered errno 1001 "Group is not found".'
    assert info.value.errno == 1001


@pytest.mark.parametrize("name", ["error_avdesk_padded.xml", "error_avdesk_padded.json"])
def test_padded_message_is_stripped(name):
    with pytest.raises(DrWebNotFoundError) as info:
        parse_document(load(name), name.rsplit(".", 1)[1], CONTEXT)
    assert info.value.server_message == "Station 'ws-1' not found"
    assert str(info.value) == "Reading station ws-1 failed: the server answered errno 12 \"Station 'ws-1' not found\"."


@pytest.mark.parametrize("message, cls", [
    ("Group is not found", DrWebNotFoundError),
    ("Station 'X' not found", DrWebNotFoundError),
    ("Station ws-1 does not exist", DrWebNotFoundError),
    ("Object doesn't exist", DrWebNotFoundError),
    ("No such station", DrWebNotFoundError),
    ("STATION NOT FOUND", DrWebNotFoundError),
    ("Unable to remove group 'x': You cannot remove the system group", DrWebApiError),
    ("Quarantine is disabled on Server", DrWebApiError),
    ("Duplicate station id", DrWebApiError),
])
def test_not_found_is_recognised_by_the_message(message, cls):
    for body, fmt in ((xml("<error><errno>7</errno><message>%s</message></error>" % message, "false"), "xml"),
                      (json_doc(status=False, error={"code": 7, "message": message}), "json")):
        with pytest.raises(DrWebApiError) as info:
            parse_document(body, fmt, CONTEXT)
        assert isinstance(info.value, cls)
        assert isinstance(info.value, DrWebNotFoundError) == (cls is DrWebNotFoundError)
        assert info.value.server_message == message


def test_error_without_errno():
    with pytest.raises(DrWebApiError) as info:
        parse_document(json_doc(status=False, error={"message": "Bad parameter"}), "json", CONTEXT)
    assert str(info.value) == 'Reading station ws-1 failed: the server answered "Bad parameter".'
    assert info.value.errno is None


def test_error_without_message():
    with pytest.raises(DrWebApiError) as info:
        parse_document(xml("<error><errno>5</errno><message/></error>", "false"), "xml", CONTEXT)
    assert str(info.value) == "Reading station ws-1 failed: the server answered errno 5 without a message."


@pytest.mark.parametrize("body, fmt", [
    (xml("", "false"), "xml"),
    (json_doc({"total": 0}, status=False), "json"),
])
def test_status_false_without_error_block(body, fmt):
    with pytest.raises(DrWebApiError) as info:
        parse_document(body, fmt, CONTEXT)
    assert str(info.value) == ("Reading station ws-1 failed: the server answered with an error status "
                               "but no errno or message.")


@pytest.mark.parametrize("body, fmt", [
    (xml("<error><errno>3</errno><message>Access denied</message></error>", "true"), "xml"),
    (json_doc({"error": {"code": 3, "message": "Access denied"}}, status=True), "json"),
    (json_doc(status=True, error={"code": 3, "message": "Access denied"}), "json"),
])
def test_error_block_wins_over_status_true(body, fmt):
    with pytest.raises(DrWebApiError) as info:
        parse_document(body, fmt, CONTEXT)
    assert info.value.errno == 3


def test_json_error_as_plain_string():
    with pytest.raises(DrWebNotFoundError) as info:
        parse_document(json_doc(status=False, error="Station 'ws-1' not found"), "json", CONTEXT)
    assert info.value.errno is None


def test_task_failure_inside_status_true_is_returned_not_raised():
    task = parse_task(parse_document(load("task_update_repositories_failed.json"), "json", "running task"))
    assert task == {"id": "update_repositories", "status": "failed",
                    "message": "Not enough privileges to perform the operation"}


def test_server_message_never_echoes_a_password():
    with pytest.raises(DrWebApiError) as info:
        parse_document(xml("<error><errno>9</errno><message>Bad value password=hunter2 for station</message></error>",
                           "false"), "xml", CONTEXT)
    assert "hunter2" not in str(info.value) and "hunter2" not in info.value.server_message


# --------------------------------------------------------------------------- not the API

def snippet_of(message):
    match = re.search(r'it starts with "(.*)"\)\.$', message)
    assert match, message
    return match.group(1)


def test_html_error_page_as_xml():
    with pytest.raises(DrWebProtocolError) as info:
        parse_document(load("html_error_page.html"), "xml", CONTEXT)
    message = str(info.value)
    assert message.startswith("Reading station ws-1 failed: the answer is not a Dr.Web API XML document (")
    assert "502 Bad Gateway" in snippet_of(message)
    assert len(snippet_of(message)) <= 80
    one_sentence(message)


def test_well_formed_xhtml_is_not_the_api():
    with pytest.raises(DrWebProtocolError) as info:
        parse_document(b"<html><body><p>Maintenance</p></body></html>", "xml", CONTEXT)
    assert "(an HTML page; it starts with" in str(info.value)


@pytest.mark.parametrize("doctype", ["<!DOCTYPE html>", '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">'])
def test_html_page_with_a_doctype_is_named_as_html_not_as_a_dtd(monkeypatch, doctype):
    # A proxy's or login portal's page: refused without lxml, and the message says what it is.
    monkeypatch.setattr(_parser.etree, "fromstring", lambda *a, **k: pytest.fail("an HTML page reached lxml"))
    with pytest.raises(DrWebProtocolError) as info:
        parse_document(("%s\n<html><title>Sign in</title></html>" % doctype).encode(), "xml", CONTEXT)
    message = str(info.value)
    assert message.startswith("Reading station ws-1 failed: the answer is not a Dr.Web API XML document (an HTML page; ")
    assert "DTD" not in message.split("(", maxsplit=1)[0]


def test_html_doctype_hiding_entities_is_still_refused_as_a_dtd():
    with pytest.raises(DrWebProtocolError, match="declares a DTD or entities"):
        parse_document(b'<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><html>&x;</html>', "xml", CONTEXT)


def test_html_error_page_as_json():
    with pytest.raises(DrWebProtocolError) as info:
        parse_document(load("html_error_page.html"), "json", CONTEXT)
    message = str(info.value)
    assert message.startswith("Reading station ws-1 failed: the answer is not a Dr.Web API JSON document (")
    assert len(snippet_of(message)) <= 80
    one_sentence(message)


@pytest.mark.parametrize("name", ["station_info_scanning_server.xml", "station_info_scanning_server.json"])
def test_truncated_answer(name):
    body = load(name)
    with pytest.raises(DrWebProtocolError) as info:
        parse_document(body[:len(body) // 2], name.rsplit(".", 1)[1], CONTEXT)
    one_sentence(str(info.value))


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize("body", [b"", b"   \n", u""])
def test_empty_answer(fmt, body):
    with pytest.raises(DrWebProtocolError) as info:
        parse_document(body, fmt, CONTEXT)
    assert "empty" in str(info.value)


@pytest.mark.parametrize("body", [
    b"[1, 2, 3]",
    b'"just a string"',
    b'{"data": {"id": "x"}}',
    b'{"head": [], "data": {}}',
    json.dumps({"head": {"timestamp": 1}, "data": {"id": "x"}}).encode(),
    json.dumps({"head": {"status": "maybe"}, "data": {"id": "x"}}).encode(),
])
def test_json_envelope_of_the_wrong_shape(body):
    with pytest.raises(DrWebProtocolError) as info:
        parse_document(body, "json", CONTEXT)
    one_sentence(str(info.value))


def test_snippet_never_echoes_a_password():
    body = b'<html><form>password="hunter2" api_password=hunter3 {"password": "hunter4"}</form>'
    for fmt in ("xml", "json"):
        with pytest.raises(DrWebProtocolError) as info:
            parse_document(body, fmt, CONTEXT)
        assert "hunter" not in str(info.value)


def test_deeply_nested_json_is_a_protocol_error():
    with pytest.raises(DrWebProtocolError):
        parse_document(b"[" * 200000 + b"]" * 200000, "json", CONTEXT)


# --------------------------------------------------------------------------- hostile XML

PASSWD = "file:///etc/passwd"
XXE = ('<?xml version="1.0"?>\n<!DOCTYPE drweb-es-api [<!ENTITY xxe SYSTEM "%s">]>\n'
       '<drweb-es-api status="true"><stations total="1"><station id="s1" name="n"><description>&xxe;</description>'
       '</station></stations></drweb-es-api>' % PASSWD)
INTERNAL = ('<!DOCTYPE drweb-es-api [<!ENTITY secret "ENTITY-TEXT-MUST-NOT-APPEAR">]>'
            '<drweb-es-api status="true"><stations total="1"><station id="&secret;"/></stations></drweb-es-api>')
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lollollollol">'
          + "".join('<!ENTITY lol%d "%s">' % (i, ("&lol%s;" % ("" if i == 1 else i - 1)) * 10) for i in range(1, 10))
          + ']>\n<drweb-es-api status="true"><task id="&lol9;" status="success"/></drweb-es-api>')
EXTERNAL_DTD = ('<?xml version="1.0"?>\n<!DOCTYPE drweb-es-api SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
                '<drweb-es-api status="true"><task id="t" status="success"/></drweb-es-api>')
PARAMETER_ENTITY = ('<!DOCTYPE r [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>'
                    '<drweb-es-api status="true"/>')
HOSTILE = {"xxe": XXE, "internal": INTERNAL, "billion_laughs": LAUGHS, "external_dtd": EXTERNAL_DTD,
           "parameter_entity": PARAMETER_ENTITY}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_xml_is_refused_before_libxml2_sees_it(monkeypatch, name, encoding):
    text = HOSTILE[name]
    if encoding != "utf-8":
        text = text.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="%s"?>' % encoding.upper())

    def must_not_parse(*args, **kwargs):
        raise AssertionError("a hostile document reached lxml")

    monkeypatch.setattr(_parser.etree, "fromstring", must_not_parse)
    with pytest.raises(DrWebProtocolError) as info:
        parse_document(text.encode(encoding), "xml", CONTEXT)
    message = str(info.value)
    assert message == ("Reading station ws-1 failed: the answer declares a DTD or entities, which a Dr.Web server "
                       "never sends, so it was refused without being parsed.")
    for leaked in ("ENTITY-TEXT", "lollollol", "root:", "passwd"):
        assert leaked not in message


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hardened_lxml_parser_refuses_what_the_scan_would_miss(monkeypatch, name):
    # Defence in depth: with the byte scan switched off, the parser settings and the
    # DOCTYPE check after parsing must still refuse the document without expanding it.
    monkeypatch.setattr(_parser, "_declares_dtd", lambda body: False)
    started = time.time()
    with pytest.raises(DrWebProtocolError) as info:
        parse_document(HOSTILE[name].encode("utf-8"), "xml", CONTEXT)
    assert time.time() - started < 5
    for leaked in ("ENTITY-TEXT-MUST-NOT-APPEAR", "lollollollollol", "root:x:"):
        assert leaked not in str(info.value)


def test_xinclude_is_not_processed():
    body = xml('<stations total="1"><station id="s1" name="n"><description>'
               '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="%s" parse="text"/>'
               '</description></station></stations>' % PASSWD)
    station = parse_station_info(parse_document(body, "xml", CONTEXT))[0]
    assert station["description"] is None


def test_comments_and_processing_instructions_are_ignored():
    body = xml('<stations total="2"><!-- etc. Skipped in documentation --><station id="a" name="A"/>'
               '<?pi data?><station id="b" name="B"/></stations>')
    assert [s["id"] for s in parse_station_info(parse_document(body, "xml", CONTEXT))] == ["a", "b"]


# --------------------------------------------------------------------------- without lxml

PARSER_MODULE = "ansible_collections.drweb.esuite.plugins.module_utils._parser"


def test_json_works_without_lxml(monkeypatch):
    for name in list(sys.modules):
        if name == "lxml" or name.startswith("lxml."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "lxml", None)
    monkeypatch.delitem(sys.modules, PARSER_MODULE)
    package = sys.modules[PARSER_MODULE.rsplit(".", 1)[0]]
    monkeypatch.setattr(package, "_parser", _parser)
    bare = importlib.import_module(PARSER_MODULE)
    assert bare is not _parser
    assert bare.HAS_LXML is False
    assert "ImportError" in bare.LXML_IMPORT_ERROR or "ModuleNotFoundError" in bare.LXML_IMPORT_ERROR
    stations = bare.parse_station_info(bare.parse_document(load("station_info_regular.json"), "json", CONTEXT),
                                       include=("keys",))
    assert stations[0]["keys"]["list"] == ["0123456789abcdef", "fedcba9876543210"]
    with pytest.raises(DrWebError) as info:
        bare.parse_document(load("station_info_regular.xml"), "xml", CONTEXT)
    assert str(info.value) == ("Reading station ws-1 failed: reading XML answers needs the Python library lxml "
                               "(install it, or set api_format to json).")
