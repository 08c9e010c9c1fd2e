# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn Dr.Web ESS Web API answers (XML or JSON) into one normalised Python model.

``parse_document`` checks the envelope and raises on error envelopes; the
``parse_*`` functions turn the payload of one script into plain dicts and lists.
The model is described in ``docs/architecture.md``.

Every XML/JSON naming difference lives in the ``_Schema`` tables below: one row per
normalised key, giving where the value sits in XML, where it sits in JSON and how it
is converted. Both formats are read through the same rows, so they cannot drift apart.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools
import json
import math
import re
from collections import namedtuple

try:
    from lxml import etree
except ImportError:
    import traceback

    etree = None
    HAS_LXML = False
    LXML_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_LXML = True
    LXML_IMPORT_ERROR = None

from ansible_collections.drweb.esuite.plugins.module_utils._connection import scrub
from ansible_collections.drweb.esuite.plugins.module_utils._errors import (
    DrWebApiError,
    DrWebError,
    DrWebNotFoundError,
    DrWebProtocolError,
)
from ansible_collections.drweb.esuite.plugins.module_utils import _station_fields


Document = namedtuple("Document", ["header", "payload", "fmt", "context"])
# header and payload are what callers use; fmt and context let the parse_* functions
# pick the right table and word their errors without extra arguments.
Document.__new__.__defaults__ = (None, None)

STATION_INCLUDE_FLAGS = ("bases", "components", "group_membership", "installed_components", "keys",
                         "machines", "modules", "rights", "running_components", "station_type")
GROUP_INCLUDE_FLAGS = ("components", "keys", "rights")

# The 13.0.1 capture splits listings into one <stations type="..."> block per type.
STATION_TYPES = {"regular": 0, "virtual_agent": 1, "scanning_server": 2}

SNIPPET_LENGTH = 80
SERVER_MESSAGE_LENGTH = 300

# Patterns, not compiled regexes: the re module compiles each on first use and caches it,
# so a task pays only for the ones it needs (most are for error messages).
_NOT_FOUND = r"(?i)not\s+found|not\s+exists?\b|doesn'?t\s+exist|no\s+such"
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_SPACE = r"\s+"
_XML_DECLARATION = r"^\s*<\?xml[^>]*\?>"
_LXML_WHERE = r"\s*\(<string>, line \d+\)$"
# A Dr.Web server never sends a DTD; anything that declares one is refused before
# libxml2 sees it, so entities are never defined, let alone expanded or fetched.
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
# An HTML doctype carries no internal subset (no entities), so naming the page is safe.
_HTML_PAGE = br'(?is)^\s*(?:<!--.*?-->\s*)*(?:<!DOCTYPE\s+html(?:\s+PUBLIC\s+"[^"<>\[]*"(?:\s+"[^"<>\[]*")?)?\s*>|<html[\s>])'


# --------------------------------------------------------------------------- converters

class _ShapeError(Exception):
    """The document is a Dr.Web envelope but a value or block is not what the API sends."""

    def __init__(self, detail, path=()):
        super(_ShapeError, self).__init__(detail)
        self.detail = detail
        self.path = path

    def within(self, key):
        return _ShapeError(self.detail, (key,) + self.path)

    def describe(self):
        if self.path:
            return "%s: %s" % (".".join(self.path), self.detail)
        return self.detail


def _kind(raw):
    if isinstance(raw, bool):
        return "a boolean"
    if isinstance(raw, dict):
        return "an object"
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, (int, float)):
        return "a number"
    if isinstance(raw, str):
        # Short and sanitised: the value might be anything the server echoed.
        return "'%s'" % _clean(raw, 30)
    return "a %s" % type(raw).__name__


def _str(raw):
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw.strip() or None
    if isinstance(raw, bool):
        raise _ShapeError("expected a string, got %s" % _kind(raw))
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    raise _ShapeError("expected a string, got %s" % _kind(raw))


def _int(raw):
    if raw is None or isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            pass
    elif isinstance(raw, float) and raw.is_integer():
        return int(raw)
    raise _ShapeError("expected an integer, got %s" % _kind(raw))


def _loose_int(raw):
    # errno of an error envelope: a strange value must not hide the server's message.
    try:
        return _int(raw)
    except _ShapeError:
        return None


_TRUE = frozenset(("true", "yes", "1", "on"))
_FALSE = frozenset(("false", "no", "0", "off"))


def _bool(raw):
    if raw is None or isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        text = raw.strip().lower()
        if not text:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise _ShapeError("expected true or false, got %s" % _kind(raw))


def _inherited_flag(raw):
    # JSON drops inherited_group_* when inherited is false; a missing flag means the
    # same thing, so the model always carries a real bool here.
    value = _bool(raw)
    return False if value is None else value


def _unix(raw):
    # Blocking bounds use 0 for "not set".
    value = _int(raw)
    return None if value == 0 else value


def _dt17(raw):
    # YYYYMMDDHHmmssSSS exceeds 2**53: kept as a string so no consumer rounds it.
    if isinstance(raw, float):
        raise _ShapeError("expected a 17-digit date, got %s" % _kind(raw))
    value = _str(raw)
    return None if value is None or value.strip("0") == "" else value


def _coordinate(raw):
    """Decimal degrees from degrees, 1e6-scaled integers, or the >1e9 negative offset."""
    if raw is None or isinstance(raw, bool):
        if raw is None:
            return None
        raise _ShapeError("expected a coordinate, got %s" % _kind(raw))
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            raise _ShapeError("expected a coordinate, got %s" % _kind(raw))
    elif isinstance(raw, (int, float)):
        value = float(raw)
    else:
        raise _ShapeError("expected a coordinate, got %s" % _kind(raw))
    if math.isnan(value) or math.isinf(value):
        raise _ShapeError("expected a coordinate, got %s" % _kind(raw))
    if value >= 1e9:
        value = -(value - 1e9) / 1e6
    elif abs(value) > 180:
        value = value / 1e6
    # The server stores micro-degrees; rounding makes 38898556 and 38.898556 equal
    # (and + 0.0 turns the offset form's -0.0 into 0.0).
    return round(value, 6) + 0.0


_PRIORITIES = {"allow": "allow", "allowed": "allow", "deny": "deny", "disallowed": "deny"}


def _acl_priority(raw):
    value = _str(raw)
    if value is None:
        return None
    return _PRIORITIES.get(value.lower(), value)


def _api_version(raw):
    # JSON before 4.3 has only the number (40103); 4.3 adds versionString.
    if isinstance(raw, int) and not isinstance(raw, bool) or isinstance(raw, str) and raw.strip().isdigit():
        number = int(raw)
        if number >= 10000:
            return "%d.%d.%d" % (number // 10000, number // 100 % 100, number % 100)
    return _str(raw)


def _message(raw):
    value = _str(raw)
    return None if value is None else _clean(value, SERVER_MESSAGE_LENGTH)


# --------------------------------------------------------------------------- the table machinery

def _blank(raw):
    return raw is None or isinstance(raw, str) and not raw.strip()


def _first(getters):
    def get(node):
        for getter in getters:
            raw = getter(node)
            if not _blank(raw):
                return raw
        return None
    return get


def _xml_raw(loc):
    """Location grammar: ``@attr``, ``path`` (element text), ``path@attr``, ``.`` (own text)."""
    if isinstance(loc, tuple):
        return _first([_xml_raw(one) for one in loc])
    if loc is None:
        return lambda el: None
    if loc == ".":
        return lambda el: el.text
    path, _sep, attr = loc.partition("@")
    if not path:
        return lambda el: el.get(attr)
    find = _xml_find(path)
    if attr:
        def get(el):
            child = find(el)
            return None if child is None else child.get(attr)
        return get

    def text(el):
        # el.findtext(path): the first match's text, "" for an empty element.
        child = find(el)
        return None if child is None else child.text or ""
    return text


# A location step that is a plain element name (no namespace, wildcard or predicate).
_PLAIN_STEP = r"^[A-Za-z_][A-Za-z0-9_.-]*$"


def _xml_find(path):
    """``el.find(path)``, for a path of plain child names without ElementPath's work on every call.

    lxml's ElementPath selects each such step with ``iterchildren(name)`` over the elements the
    step before selected, and returns the first; this does the same. A station has some twenty
    such lookups; without ``find`` parsing each path, reading one takes a fifth less time.
    """
    steps = path.split("/")
    if not all(re.match(_PLAIN_STEP, step) for step in steps):
        return lambda el: el.find(path)
    if len(steps) == 1:
        return lambda el: next(el.iterchildren(path), None)

    def find(el):
        nodes = [el]
        for step in steps:
            nodes = [child for node in nodes for child in node.iterchildren(step)]
        return nodes[0] if nodes else None
    return find


def _json_raw(loc):
    """Location grammar: ``key`` or ``key.subkey`` for nested objects."""
    if isinstance(loc, tuple):
        return _first([_json_raw(one) for one in loc])
    if loc is None:
        return lambda obj: None
    if "." not in loc:
        return lambda obj: obj.get(loc)
    parts = loc.split(".")

    def get(obj):
        for part in parts:
            if obj is None:
                return None
            if not isinstance(obj, dict):
                raise _ShapeError("expected an object, got %s" % _kind(obj))
            obj = obj.get(part)
        return obj
    return get


def _json_node(loc):
    raw = _json_raw(loc)

    def get(obj):
        node = raw(obj)
        if node is not None and not isinstance(node, dict):
            raise _ShapeError("expected an object, got %s" % _kind(node))
        return node
    return get


def _json_list(loc):
    raw = _json_raw(loc)

    def get(obj):
        items = raw(obj)
        if items is None:
            return ()
        if not isinstance(items, list):
            raise _ShapeError("expected a list, got %s" % _kind(items))
        return items
    return get


def _obj(fmt, loc, schema, empty):
    """A nested block; ``empty`` gives the all-missing block instead of None."""
    if fmt == "xml":
        find = (lambda el: None) if loc is None else (lambda el: el) if loc == "." else _xml_find(loc)
    else:
        find = _json_node(loc)

    def get(node):
        sub = find(node)
        if sub is None:
            return schema.empty() if empty else None
        return schema.build(sub, fmt)
    return get


def _list(fmt, loc, schema):
    """Repeated blocks: XML elements matching a path, a JSON list of objects."""
    build = schema.build
    if fmt == "xml":
        return lambda el: [build(item, fmt) for item in el.iterfind(loc)]
    items = _json_list(loc)

    def get(obj):
        out = []
        for item in items(obj):
            if not isinstance(item, dict):
                raise _ShapeError("expected a list of objects, got %s in it" % _kind(item))
            out.append(build(item, fmt))
        return out
    return get


def _strings(fmt, loc, xml_item, json_item_key):
    """Plain strings: XML ``<key id=…/>`` elements, JSON strings (or ``{"id": …}``)."""
    if fmt == "xml":
        value = _xml_raw(xml_item)
        return lambda el: [v for v in (_str(value(item)) for item in el.iterfind(loc)) if v is not None]
    items = _json_list(loc)

    def get(obj):
        out = []
        for item in items(obj):
            value = _str(item.get(json_item_key) if isinstance(item, dict) else item)
            if value is not None:
                out.append(value)
        return out
    return get


def _scalar(fmt, loc, convert):
    raw = _xml_raw(loc) if fmt == "xml" else _json_raw(loc)
    return lambda node: convert(raw(node))


class _Block:
    """Converter of a nested object: ``None`` when missing, or with ``empty`` its all-missing form."""

    def __init__(self, schema, empty=False):
        self.schema = schema
        self.empty = empty

    def getter(self, fmt, loc):
        return _obj(fmt, loc, self.schema, self.empty)


class _Blocks:
    """Converter of repeated objects: XML elements at the location, a JSON list."""

    def __init__(self, schema):
        self.schema = schema

    def getter(self, fmt, loc):
        return _list(fmt, loc, self.schema)


class _Strings:
    """Converter of plain strings: ``xml_item`` inside each XML element, ``json_key`` in each JSON object."""

    def __init__(self, xml_item, json_key):
        self.xml_item = xml_item
        self.json_key = json_key

    def getter(self, fmt, loc):
        return _strings(fmt, loc, self.xml_item, self.json_key)


def _field(fmt, row):
    """Compile one table row for one format into ``(key, include flag, getter)``."""
    if len(row) not in (2, 3):
        raise ValueError("a table row is (names, converter[, include flag]), not %r" % (row,))
    names, convert = row[:2]
    words = names.split()
    if len(words) != 3:
        raise ValueError("a table row names a key, an XML and a JSON location, not %r" % names)
    key, xml_loc, json_loc = words
    loc = xml_loc if fmt == "xml" else json_loc
    loc = None if loc == "-" else tuple(loc.split("|")) if "|" in loc else loc
    if hasattr(convert, "getter"):
        get = convert.getter(fmt, loc)
    elif callable(convert):
        get = _scalar(fmt, loc, convert)
    else:
        raise ValueError("the converter of row %r is %r, not a function or block" % (key, convert))
    return key, row[2] if len(row) > 2 else None, get


class _Schema:
    """One object's rows (grammar below), compiled per format on first use.

    A task reads one format and a few of these objects, and each module process starts
    afresh, so compiling every table for both formats at import time was wasted work.
    Two threads compiling the same table at once build equal tuples; either one is kept.
    """

    def __init__(self, name, rows):
        self.name = name
        self.rows = tuple(rows)
        self._fields = {}

    def keys(self):
        return [row[0].split(None, 1)[0] for row in self.rows]

    def fields(self, fmt):
        fields = self._fields.get(fmt)
        if fields is None:
            fields = self._fields[fmt] = tuple(_field(fmt, row) for row in self.rows)
        return fields

    def build(self, node, fmt, include=frozenset()):
        out = {}
        key = None
        try:
            for key, flag, get in self.fields(fmt):
                if flag is None or flag in include:
                    out[key] = get(node)
        except _ShapeError as exc:
            raise exc.within(key)
        return out

    def empty(self, include=frozenset()):
        # Built fresh each time: callers may mutate the lists inside.
        return self.build({}, "json", include)


# --------------------------------------------------------------------------- the name tables
# One row per normalised key: ("key  XML-location  JSON-location", converter[, include flag]).
# The three names share one string, so that a table costs hardly more to compile than
# text would (every task compiles this file from source); the row is split and its
# getter built when the table is first used for a format.
#
# XML locations: "@attr", "child" (its text), "child@attr", "." (own text).
# JSON locations: "key", "key.subkey".
# Both: "a|b" = the first of a, b that is present; "-" = never present.
# Converters: a converter function above (_str, _int, ...), or
#   _Block(SCHEMA)              a nested block, None when missing;
#   _Block(SCHEMA, empty=True)  a nested block, all keys None (lists empty) when missing;
#   _Blocks(SCHEMA)             repeated blocks (XML elements at the location, a JSON list);
#   _Strings(XML, JSON)         plain strings: the XML location inside each element at the
#                               location, the JSON key inside each object (or the JSON string).
# An include flag (third item) keeps the row out of the model unless that block was requested.
# XML and JSON name the same data differently (element or attribute, renamed keys,
# "permissions" for rights); those differences live in these rows only.

_INHERITED = (
    ('inherited             @inherited             inherited', _inherited_flag),
    ('inherited_group_id    @inherited_group_id    inherited_group_id', _str),
    ('inherited_group_name  @inherited_group_name  inherited_group_name', _str),
)

_COMPONENT = _Schema("component", (
    ('code    @code    code', _int),
    ('name    @name    name', _str),
    ('status  @status  status', _int),
))

_KEYS = _Schema("keys", _INHERITED + (
    ('list  key  list', _Strings('@id', 'id')),
))

_RIGHT = _Schema("right", (
    ('code   @code   right|code', _int),
    ('name   @name   name', _str),
    ('value  @value  value', _int),
))

_RIGHTS = _Schema("rights", _INHERITED + (
    ('list  right  list', _Blocks(_RIGHT)),
))

_COMPONENTS = _Schema("components", _INHERITED + (
    ('list  component  list', _Blocks(_COMPONENT)),
))

_PEER = _Schema("station_type_peer", (
    ('id            @id            id', _str),
    ('name          @name          name', _str),
    ('station_type  @station_type  station_type', _int),
    ('addr          @addr          addr', _str),
))

_STATION_TYPE_INFO = _Schema("station_type_info", (
    ('station_type  @station_type  station_type', _int),
    ('list          station        list', _Blocks(_PEER)),
))

_PUBLIC_KEY = _Schema("public_key", (
    ('id    @uuid|@id  id|uuid', _str),
    ('url   @url       url', _str),
    ('file  .          file', _str),
))

_CONNECTION = _Schema("connection", (
    ('port        @port       port', _int),
    ('server      @server     server', _str),
    ('public_key  public_key  public_key', _Block(_PUBLIC_KEY)),
))

_PACKAGE = _Schema("package", (
    ('arch  @arch  arch', _str),
    ('os    @os    os', _str),
    ('url   @url   url', _str),
))

_ACL_ENTRY = _Schema("acl_entry", (
    ('net_proto    @net_proto               net_proto', _str),
    ('net_address  .|@net_address|@address  net_address|address', _str),
    ('net_mask     @net_mask                net_mask', _str),
))

_ACL = _Schema("acl", (
    ('priority    @priority           priority', _acl_priority),
    ('allowed     allowed/address     allowed', _Blocks(_ACL_ENTRY)),
    ('disallowed  disallowed/address  disallowed', _Blocks(_ACL_ENTRY)),
))

_MODULE = _Schema("module", (
    ('file_name      @name|@file_name          file_name|name', _str),
    ('version        @version                  version', _str),
    ('created_time   @created|@created_time    created_time|created', _int),
    ('modified_time  @modified|@modified_time  modified_time|modified', _int),
    ('hash           @hash                     hash', _str),
    ('file_size      @file_size                file_size', _int),
    ('file_owner     @file_owner               file_owner', _str),
    ('description    @description              description', _str),
))

_MACHINE = _Schema("machine", (
    ('machine_id      @machine_id        machine_id', _str),
    ('machine_mac     @mac|@machine_mac  machine_mac|mac', _str),
    ('machine_name    @machine_name      machine_name', _str),
    ('logged_time     @logged_time       logged_time', _str),
    ('logged_address  @logged_address    logged_address', _str),
))

_BASE = _Schema("base", (
    ('file_name     @file_name              file_name', _str),
    ('version       @version                version', _str),
    ('created_time  @created|@created_time  created_time|created', _int),
    ('viruses       @viruses                viruses', _int),
))

_INSTALLED_COMPONENT = _Schema("installed_component", (
    ('code            @code                       code', _int),
    ('name            @name                       name', _str),
    ('installed_time  @installed|@installed_time  installed_time|installed', _int),
    ('path            @path                       path', _str),
    ('server          @server                     server', _str),
))

_RUNNING_COMPONENT = _Schema("running_component", (
    # JSON also sends "pid"; XML has no such attribute, so it stays out of the model.
    ('code          @code                   code', _int),
    ('name          @name                   name', _str),
    ('params        @params                 params', _str),
    ('started_time  @started|@started_time  started_time|started', _int),
    ('type          @type                   type', _int),
    ('user          @user                   user', _str),
))

_GROUP_REF = _Schema("group_membership", (
    ('id    @id    id', _str),
    ('name  @name  name', _str),
    ('type  @type  type', _int),
))

# The station's own options (declared in _station_fields) are read from the XML element
# and the JSON key of their model name, except where the two formats put them elsewhere.
_FIELD_LOCATIONS = {
    "id": "@id  id",
    "name": "@name  name",
    "password": "@password  password",
    "block_begin_time": "blocking/begin  block_begin_time",
    "block_end_time": "blocking/end  block_end_time",
}
_FIELD_CONVERTERS = {"id": _str, "name": _str, "password": _str, "text": _str, "email": _str, "country": _str,
                     "coordinate": _coordinate, "date": _unix}

# The rest of a station; parent_id, acl and group_membership also hold what the
# primary_group, acl_* and groups/rate options compare with.
_STATION_ROWS = (
    ('created_time          @created|@created_time          created_time|created', _int),
    ('modified_time         @modified|@modified_time        modified_time|modified', _int),
    ('parent_id             @parent_id                      parent_id', _str),
    ('parent_name           @parent_name                    parent_name', _str),
    ('parent_type           @parent_type                    parent_type', _int),
    ('state                 @state                          state', _int),
    ('last_seen_time        lastseenat                      last_seen_time', _int),
    ('last_seen_addr        lastseenfrom                    last_seen_addr', _str),
    ('os_code               os@code                         os_code', _int),
    ('os_name               os                              os_name', _str),
    ('connection            connection                      connection', _Block(_CONNECTION)),
    ('packages              packages/package                packages', _Blocks(_PACKAGE)),
    ('config_url            config                          config_url', _str),
    ('acl                   acl                             acl', _Block(_ACL)),
    # Blocks below exist only when their include flag (third item) was requested.
    ('modules               modules/module                  modules', _Blocks(_MODULE), 'modules'),
    ('machines              machines/machine                machines', _Blocks(_MACHINE), 'machines'),
    ('bases                 bases/base                      bases', _Blocks(_BASE), 'bases'),
    ('keys                  keys                            keys', _Block(_KEYS, empty=True), 'keys'),
    ('installed_components  installed-components/component  installed_components', _Blocks(_INSTALLED_COMPONENT), 'installed_components'),
    ('running_components    running-components/component    running_components', _Blocks(_RUNNING_COMPONENT), 'running_components'),
    ('rights                rights                          permissions|rights', _Block(_RIGHTS, empty=True), 'rights'),
    ('components            components                      components', _Block(_COMPONENTS, empty=True), 'components'),
    ('group_membership      group-membership/group          group_membership', _Blocks(_GROUP_REF), 'group_membership'),
    ('station_type_info     station_type_info               station_type_info', _Block(_STATION_TYPE_INFO, empty=True), 'station_type'),
)
_OWN_ROW_KEYS = frozenset(row[0].split(None, 1)[0] for row in _STATION_ROWS)


def station_schema(fields):
    """The ``stations/info.ds`` schema: a row per declared field a read returns, then the rest."""
    rows = []
    for field in fields:
        if field.model is None or field.model in _OWN_ROW_KEYS:
            continue
        where = _FIELD_LOCATIONS.get(field.model) or "%s  %s" % (field.model, field.model)
        # A kind without a converter fails here, at import, not in the first task that reads it.
        rows.append(("%s  %s" % (field.model, where), _FIELD_CONVERTERS[field.kind]))
    return _Schema("station", tuple(rows) + _STATION_ROWS)


_STATION = station_schema(_station_fields.FIELDS)

_LISTED_STATION = _Schema("station", (
    ('id                 @id                                           id', _str),
    ('name               @name                                         name', _str),
    ('last_seen_time     @last_seen_time                               last_seen_time', _int),
    ('last_seen_addr     @last_seen_addr                               last_seen_addr', _str),
    ('state              @state                                        state', _int),
    ('os_code            @os|@os_code                                  os_code|os', _int),
    ('os_name            @os_name                                      os_name', _str),
    ('login_addr         @login_addr                                   login_addr', _str),
    ('login_mac          @login_mac                                    login_mac', _str),
    ('create_time        @createtime|@create_time                      createtime|create_time', _dt17),
    ('block_begin        @blockbeg|@block_begin                        blockbeg|block_begin', _dt17),
    ('block_end          @blockend|@block_end                          blockend|block_end', _dt17),
    ('expires            @expires                                      expires', _dt17),
    ('station_type       @station_type|station_type_info@station_type  station_type|station_type_info.station_type', _int),
    ('station_type_info  station_type_info                             station_type_info', _Block(_STATION_TYPE_INFO)),
))

_PAGES = _Schema("pages", (
    ('total             @total                               total', _int),
    ('current           @current                             current', _int),
    ('objects_per_page  @objects-per-page|@objects_per_page  objects_per_page|objects-per-page', _int),
))

_GROUP = _Schema("group", (
    ('id             @id                                                    id', _str),
    ('name           @name                                                  name', _str),
    ('description    @description|description                               description', _str),
    ('created_time   @created|@created_time                                 created_time|created', _int),
    ('modified_time  @modified|@modified_time                               modified_time|modified', _int),
    ('parent_id      @parent_id                                             parent_id', _str),
    ('parent_name    @parent_name                                           parent_name', _str),
    ('parent_type    @parent_type                                           parent_type', _int),
    ('type           @type                                                  type', _int),
    # groups/list uses an attribute, groups/info (13.0.1) an element; spellings vary.
    ('child_groups   @child_groups|@child-groups|child-groups|child_groups  child_groups|child-groups', _int),
    ('stations       @stations|stations                                     stations', _int),
    ('keys           keys                                                   keys', _Block(_KEYS, empty=True), 'keys'),
    ('rights         rights                                                 permissions|rights', _Block(_RIGHTS, empty=True), 'rights'),
    ('components     components                                             components', _Block(_COMPONENTS, empty=True), 'components'),
))

_GROUP_COMPONENTS = _Schema("group", (
    ('group_id              @id                              group_id|id', _str),
    ('inherited             components@inherited             inherited', _inherited_flag),
    ('inherited_group_id    components@inherited_group_id    inherited_group_id', _str),
    ('inherited_group_name  components@inherited_group_name  inherited_group_name', _str),
    ('components            components/component             components', _Blocks(_COMPONENT)),
))

_NEWBIE = _Schema("station", (
    ('id            @id                     id', _str),
    ('name          @name                   name', _str),
    ('created_time  @created|@created_time  created_time|created', _int),
    ('parent_id     @parent_id              parent_id', _str),
    ('parent_name   @parent_name            parent_name', _str),
    ('state         @state                  state', _int),
    ('os_code       os@code                 os_code', _int),
    ('os_name       os                      os_name', _str),
    ('server        server|@server          server', _str),
    ('address       address|@address        address', _str),
))

_TASK = _Schema("task", (
    ('id       @id       id', _str),
    ('status   @status   status', _str),
    ('message  @message  message', _message),
))

_REPOSITORY = _Schema("repository", (
    ('code                 @code                 code', _str),
    ('name                 .|@name               name', _str),
    ('revision             @revision             revision', _str),
    ('modified_time        @modified_time        modified_time', _int),
    ('size                 @size                 size', _int),
    ('files                @files                files', _int),
    ('last_update_endtime  @last_update_endtime  last_update_endtime', _int),
    ('last_update_src      @last_update_src      last_update_src', _str),
    ('last_update_rc       @last_update_rc       last_update_rc', _str),
    ('last_update_rc_code  @last_update_rc_code  last_update_rc_code', _int),
))

# stations/products.ds: what a station reports of each product (virus bases, agent, ...).
_PRODUCT = _Schema("product", (
    ('code           @code           code', _str),
    ('name           .|@name         name', _str),
    ('revision       @revision       revision', _str),
    ('modified_time  @modified_time  modified_time|modified', _int),
    ('state_code     @state_code     state_code', _str),
    ('state          @state          state', _str),
))

_HEADER = _Schema("head", (
    ('api_version  @api_version  api.versionString|api.version', _api_version),
    ('timestamp    @timestamp    timestamp', _int),
    ('server       @server       server.name', _str),
    ('srv_version  @srv_version  server.version', _str),
    # The XML root carries no server id.
    ('server_uuid  -             server.uuid', _str),
    # 2.x roots (<avdesk-xml-api>) said rc="true" instead of status.
    ('status       @status|@rc   status', _bool),
))

_ERROR = _Schema("error", (
    ('errno    errno|@errno|code|@code  code|errno', _loose_int),
    ('message  message|@message|.       message|msg', _message),
))


# --------------------------------------------------------------------------- messages

def capital(context):
    """``context`` (a phrase such as "reading station ws-1") as the start of a sentence."""
    context = (context or "").strip() or "the request"
    return context[:1].upper() + context[1:]


def _clean(text, limit):
    """One line, no control characters, no credentials (see ``scrub``), at most ``limit`` characters."""
    text = scrub(text)
    text = re.sub(_SPACE, " ", re.sub(_CONTROL, "", text)).strip().replace('"', "'")
    if len(text) > limit:
        text = text[:limit - 3].rstrip() + "..."
    return text


def _snippet(body):
    if isinstance(body, (bytes, bytearray)):
        # More than fits, so that masking sees whole password values before the cut.
        body = bytes(body[:512]).decode("utf-8", "replace")
    return _clean(body[:512], SNIPPET_LENGTH)


def _protocol_error(context, reason):
    return DrWebProtocolError("%s failed: %s." % (capital(context), reason))


def _not_a_document(context, fmt, detail, body):
    snippet = _snippet(body)
    start = '; it starts with "%s"' % snippet if snippet else "; it is empty"
    return _protocol_error(context, "the answer is not a Dr.Web API %s document (%s%s)"
                           % (fmt.upper(), _clean(detail, 120), start))


def _api_error(context, errno, message):
    if errno is not None and message:
        reason = 'the server answered errno %d "%s"' % (errno, message)
    elif message:
        reason = 'the server answered "%s"' % message
    elif errno is not None:
        reason = "the server answered errno %d without a message" % errno
    else:
        reason = "the server answered with an error status but no errno or message"
    cls = DrWebNotFoundError if message and re.search(_NOT_FOUND, message) else DrWebApiError
    return cls("%s failed: %s." % (capital(context), reason), errno=errno, server_message=message)


# --------------------------------------------------------------------------- envelopes

def parse_document(body, fmt, context):
    """Check the envelope of one answer and return ``Document(header, payload, fmt, context)``.

    ``payload`` is the XML root element or the JSON ``data`` value. Raises
    DrWebProtocolError for anything that is not a Dr.Web API document (including XML
    with a DTD), DrWebNotFoundError/DrWebApiError for error envelopes.
    """
    fmt = (fmt or "xml").strip().lower()
    if fmt == "json":
        return _parse_json(body, context)
    if fmt == "xml":
        return _parse_xml(body, context)
    raise ValueError("unknown answer format %r; expected 'xml' or 'json'" % (fmt,))


def _parse_xml(body, context):
    if not HAS_LXML:
        raise DrWebError("%s failed: reading XML answers needs the Python library lxml "
                         "(install it, or set api_format to json)." % capital(context))
    if isinstance(body, str):
        # Already decoded: its declared encoding no longer applies and lxml refuses it.
        body = re.sub(_XML_DECLARATION, "", body, count=1).encode("utf-8")
    elif isinstance(body, (bytearray, memoryview)):
        body = bytes(body)
    elif not isinstance(body, bytes):
        raise TypeError("the answer body must be bytes or str, not %s" % type(body).__name__)
    if not body.strip():
        raise _protocol_error(context, "the answer is empty, not a Dr.Web API XML document")
    if re.match(_HTML_PAGE, body):
        # Proxies and login portals answer with an HTML page; say so rather than blame its DOCTYPE.
        raise _not_a_document(context, "xml", "an HTML page", body)
    if _declares_dtd(body):
        raise _protocol_error(context, "the answer declares a DTD or entities, which a Dr.Web server never sends, "
                                       "so it was refused without being parsed")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             dtd_validation=False, attribute_defaults=False, remove_comments=True,
                             remove_pis=True, collect_ids=False)
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        detail = re.sub(_LXML_WHERE, "", str(exc)) or type(exc).__name__
        raise _not_a_document(context, "xml", detail, body)
    # Second line of defence, for encodings the byte scan cannot read (EBCDIC and the like).
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _protocol_error(context, "the answer declares a DTD, which a Dr.Web server never sends, so it was refused")
    if root.get("status") is None and root.get("rc") is None:
        raise _not_a_document(context, "xml", "root element <%s> has no status attribute" % _tag(root), body)
    try:
        header = _HEADER.build(root, "xml")
        error = root.find("error")
        if error is not None or header["status"] is False:
            details = _ERROR.build(error, "xml") if error is not None else _ERROR.empty()
            raise _api_error(context, details["errno"], details["message"])
    except _ShapeError as exc:
        raise _protocol_error(context, "the answer's envelope is malformed (%s)" % exc.describe())
    return Document(header, root, "xml", context)


def _declares_dtd(body):
    # UTF-16/32 put NULs between the ASCII bytes of the markup; dropping them lets one
    # byte search cover those encodings too.
    if b"\x00" in body[:4]:
        body = body.replace(b"\x00", b"")
    return any(marker in body for marker in _DTD_MARKERS)


def _tag(element):
    tag = element.tag if isinstance(element.tag, str) else "?"
    return _clean(tag, 40)


def _parse_json(body, context):
    if isinstance(body, (bytearray, memoryview)):
        body = bytes(body)
    if not isinstance(body, (bytes, str)):
        raise TypeError("the answer body must be bytes or str, not %s" % type(body).__name__)
    if not body.strip():
        raise _protocol_error(context, "the answer is empty, not a Dr.Web API JSON document")
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise _not_a_document(context, "json", str(exc) or type(exc).__name__, body)
    if not isinstance(document, dict) or not isinstance(document.get("head"), dict):
        raise _not_a_document(context, "json", "it has no head block", body)
    data = document.get("data")
    try:
        header = _HEADER.build(document["head"], "json")
        error = document.get("error")
        if error is None and isinstance(data, dict):
            error = data.get("error")
        if error is not None or header["status"] is False:
            if isinstance(error, dict):
                details = _ERROR.build(error, "json")
            else:
                details = {"errno": None, "message": _message(error) if isinstance(error, str) else None}
            raise _api_error(context, details["errno"], details["message"])
        if header["status"] is None:
            raise _ShapeError("head.status is missing")
    except _ShapeError as exc:
        raise _protocol_error(context, "the answer's envelope is malformed (%s)" % exc.describe())
    return Document(header, data, "json", context)


# --------------------------------------------------------------------------- payload helpers

def _shaped(func):
    """Turn a _ShapeError raised while reading a payload into one DrWebProtocolError."""
    @functools.wraps(func)
    def wrapper(doc, *args, **kwargs):
        try:
            return func(doc, *args, **kwargs)
        except _ShapeError as exc:
            raise _protocol_error(doc.context, "the answer has an unexpected shape (%s)" % exc.describe())
    return wrapper


def _format(doc):
    if doc.fmt:
        return doc.fmt
    return "xml" if hasattr(doc.payload, "iterfind") else "json"


def requested_blocks(include, known, what):
    """The include flags in ``include`` (snake_case or wire spelling; ``all`` for every one) as a
    tuple of ``known`` names, in the order of ``known``.

    An unknown flag is a programming error (modules offer only known ones): ValueError.
    """
    if isinstance(include, str):
        include = (include,)
    flags = set()
    for flag in include or ():
        name = str(flag).strip().lower().replace("-", "_")
        if name == "all":
            return tuple(known)
        if name not in known:
            raise ValueError("unknown %s include flag %r; known flags: %s" % (what, flag, ", ".join(known)))
        flags.add(name)
    return tuple(name for name in known if name in flags)


def _data(doc):
    if not isinstance(doc.payload, dict):
        raise _ShapeError("expected a data object, got %s" % ("nothing" if doc.payload is None else _kind(doc.payload)))
    return doc.payload


def _xml_items(root, container, item):
    """Children ``item`` of every ``container`` under the root (several blocks allowed)."""
    blocks = root.findall(container)
    if not blocks:
        raise _ShapeError("no <%s> element" % container)
    for block in blocks:
        yield from block.iterchildren(item)


def _json_items(doc, wrappers):
    """The list of ``data.<wrapper>.list``, ``data.<wrapper>`` or ``data.list``."""
    data = _data(doc)
    holders = [(w, data.get(w)) for w in wrappers] + [("data", data)]
    for name, holder in holders:
        if isinstance(holder, list):
            return holder
        if isinstance(holder, dict) and "list" in holder:
            items = holder["list"]
            if not isinstance(items, list):
                raise _ShapeError("%s.list: expected a list, got %s" % (name, _kind(items)))
            return items
    # JSON drops empty values, an empty list included.
    for name, holder in holders:
        if isinstance(holder, dict) and "total" in holder and _loose_int(holder["total"]) == 0:
            return []
    raise _ShapeError("no list of %s in data" % " or ".join(wrappers))


def _build_all(schema, fmt, nodes, include=frozenset()):
    build = schema.build
    out = []
    for index, node in enumerate(nodes):
        if fmt == "json" and not isinstance(node, dict):
            raise _ShapeError("expected a list of objects, got %s in it" % _kind(node))
        try:
            out.append(build(node, fmt, include))
        except _ShapeError as exc:
            raise exc.within("%s[%d]" % (schema.name, index))
    return out


def _listing(doc, schema, container, item, include=frozenset()):
    """Every ``item`` of the XML ``container`` blocks, or the JSON ``data.<container>`` list, built."""
    fmt = _format(doc)
    nodes = _xml_items(doc.payload, container, item) if fmt == "xml" else _json_items(doc, (container,))
    return _build_all(schema, fmt, nodes, include)


# --------------------------------------------------------------------------- public parsers

@_shaped
def parse_station_info(doc, include=()):
    """``stations/info.ds`` → ``[station]``; requested blocks are always present."""
    return _listing(doc, _STATION, "stations", "station", requested_blocks(include, STATION_INCLUDE_FLAGS, "station"))


@_shaped
def parse_stations_list(doc):
    """``groups/stations-list.ds`` → ``{"total", "stations", "pages"}`` (all blocks joined)."""
    fmt = _format(doc)
    if fmt == "xml":
        root = doc.payload
        blocks = [(b.get("type"), b.get("total"), b.iterchildren("station")) for b in root.findall("stations")]
        if not blocks:
            raise _ShapeError("no <stations> element")
        pages = root.find("pages")
    else:
        data = _data(doc)
        raw = data.get("stations", data if "list" in data else None)
        if isinstance(raw, dict):
            raw = [raw]
        elif isinstance(raw, list) and not (raw and isinstance(raw[0], dict) and "list" in raw[0]):
            raw = [{"list": raw}]
        elif raw is None and data.get("total") is not None:
            raw = [{"total": data["total"], "list": []}]
        if not isinstance(raw, list):
            raise _ShapeError("stations: expected an object with a list, got %s" % _kind(raw))
        blocks = []
        for block in raw:
            if not isinstance(block, dict):
                raise _ShapeError("stations: expected blocks of stations, got %s" % _kind(block))
            items = block.get("list")
            if items is None:
                items = []
            elif not isinstance(items, list):
                raise _ShapeError("stations.list: expected a list, got %s" % _kind(items))
            blocks.append((block.get("type"), block.get("total"), items))
        pages = _json_node("pages")(data)
    stations = []
    total = 0
    for block_type, block_total, nodes in blocks:
        before = len(stations)
        stations.extend(_build_all(_LISTED_STATION, fmt, nodes))
        type_code = STATION_TYPES.get((_str(block_type) or "").lower())
        if type_code is not None:
            for station in stations[before:]:
                if station["station_type"] is None:
                    station["station_type"] = type_code
        block_total = _int(block_total)
        total += len(stations) - before if block_total is None else block_total
    return {
        "total": total,
        "stations": stations,
        "pages": _PAGES.empty() if pages is None else _PAGES.build(pages, fmt),
    }


@_shaped
def parse_group_list(doc):
    """``groups/list.ds`` → ``[group]`` (one level)."""
    return _listing(doc, _GROUP, "groups", "group")


@_shaped
def parse_group_info(doc, include=()):
    """``groups/info.ds`` → ``[group]``; requested blocks are always present."""
    return _listing(doc, _GROUP, "groups", "group", requested_blocks(include, GROUP_INCLUDE_FLAGS, "group"))


@_shaped
def parse_group_components(doc, ids=()):
    """``groups/components.ds`` → ``[{group_id, inherited, …, components}]``.

    Every group of ``ids`` (those asked for) must be in the answer: a group left out is
    DrWebProtocolError, since an empty list would say "nothing to install" instead.
    """
    groups = _listing(doc, _GROUP_COMPONENTS, "groups", "group")
    answered = set(group["group_id"] for group in groups)
    for group_id in ids:
        if group_id not in answered:
            raise DrWebProtocolError("Reading the components of group %s failed: the server's answer does not mention it."
                                     % group_id, obj=group_id)
    return groups


@_shaped
def parse_newbies_info(doc):
    """``stations/newbies-info.ds`` → ``[newbie]``."""
    return _listing(doc, _NEWBIE, "stations", "station")


@_shaped
def parse_station_state(doc):
    """``stations/state.ds`` → ``{station_id: state}``."""
    fmt = _format(doc)
    states = {}
    if fmt == "xml":
        root = doc.payload
        blocks = root.findall("states")
        elements = [e for b in blocks for e in b.iterchildren("state")] if blocks else root.findall("state")
        if not blocks and not elements:
            raise _ShapeError("no <states> element")
        for element in elements:
            station_id = _str(element.get("id"))
            if station_id is not None:
                states[station_id] = _str(element.text)
        return states
    raw = _data(doc).get("states")
    if isinstance(raw, dict):
        for station_id, state in raw.items():
            states[station_id] = _str(state)
    elif isinstance(raw, list):
        for item in raw:
            if not isinstance(item, dict):
                raise _ShapeError("states: expected a list of objects, got %s in it" % _kind(item))
            station_id = _str(item.get("id"))
            if station_id is not None:
                states[station_id] = _str(item.get("state"))
    else:
        raise _ShapeError("states: expected an object, got %s" % ("nothing" if raw is None else _kind(raw)))
    return states


@_shaped
def parse_station_products(doc):
    """``stations/products.ds`` → ``[{id, products: [product]}]``.

    XML (documented): ``<stations><station id><products total><product …>name</product>``, in
    one or several ``<stations>`` blocks. JSON is not documented: ``data{total, list}`` or
    ``data.stations{total, list}`` of ``{id, products}``, where ``products`` is a list or
    ``{total, list}``.
    """
    fmt = _format(doc)
    out = []
    if fmt == "xml":
        for index, node in enumerate(_xml_items(doc.payload, "stations", "station")):
            try:
                out.append({"id": _str(node.get("id")),
                            "products": _build_all(_PRODUCT, fmt, node.iterfind("products/product"))})
            except _ShapeError as exc:
                raise exc.within("station[%d]" % index)
        return out
    for index, node in enumerate(_json_items(doc, ("stations",))):
        if not isinstance(node, dict):
            raise _ShapeError("expected a list of objects, got %s in it" % _kind(node))
        holder = node.get("products")
        items = holder.get("list") if isinstance(holder, dict) else holder
        if items is None:
            items = []
        if not isinstance(items, list):
            raise _ShapeError("station[%d].products: expected a list, got %s" % (index, _kind(items)))
        try:
            out.append({"id": _str(node.get("id")), "products": _build_all(_PRODUCT, fmt, items)})
        except _ShapeError as exc:
            raise exc.within("station[%d]" % index)
    return out


def dt17_seconds(value):
    """A DT17 ``YYYYMMDDHHmmssSSS`` string (as the listing gives it) → Unix seconds, read as UTC; None stays None.

    The docs call it local time without naming a zone; a server whose clock is not on UTC
    shifts these values by its offset. A value that is no date raises ValueError.
    """
    if value is None:
        return None
    text = str(value)
    if len(text) != 17 or not text.isdigit():
        raise ValueError("%r is not a YYYYMMDDHHmmssSSS date" % text)
    # Imported here: only the inventory plugin needs them, and every module imports this file.
    import calendar  # pylint: disable=import-outside-toplevel
    import time  # pylint: disable=import-outside-toplevel
    return calendar.timegm(time.strptime(text[:14], "%Y%m%d%H%M%S"))


@_shaped
def parse_task(doc):
    """``server/tasks.ds`` → ``{id, status, message}``; a failed job is returned, not raised."""
    fmt = _format(doc)
    if fmt == "xml":
        node = doc.payload.find("task")
        if node is None:
            raise _ShapeError("no <task> element")
    else:
        node = _json_node("task")(_data(doc))
        if node is None:
            raise _ShapeError("no task block in data")
    return _TASK.build(node, fmt)


@_shaped
def parse_repository_status(doc):
    """``server/repository-status.ds`` → ``"ready"`` or ``"updating"``."""
    fmt = _format(doc)
    if fmt == "xml":
        status = _str(doc.payload.findtext("status"))
    else:
        status = _str(_data(doc).get("status"))
    if status is None:
        raise _ShapeError("no repository status")
    return status.lower()


@_shaped
def parse_repository_products(doc):
    """``server/repository-products.ds`` → ``[repository]`` (JSON list or 4.1.3 dict-by-code)."""
    fmt = _format(doc)
    if fmt == "xml":
        return _build_all(_REPOSITORY, fmt, _xml_items(doc.payload, "repositories", "repository"))
    data = _data(doc)
    holder = data.get("repositories", data)
    items = holder.get("list") if isinstance(holder, dict) else holder
    if isinstance(items, dict):
        keyed = []
        for code, item in items.items():
            if not isinstance(item, dict):
                raise _ShapeError("repositories.list.%s: expected an object, got %s" % (_clean(code, 40), _kind(item)))
            item = dict(item)
            if _blank(item.get("code")):
                item["code"] = code
            keyed.append(item)
        items = keyed
    elif items is None:
        items = _json_items(doc, ("repositories",))
    elif not isinstance(items, list):
        raise _ShapeError("repositories.list: expected a list, got %s" % _kind(items))
    return _build_all(_REPOSITORY, fmt, items)


@_shaped
def parse_id(doc):
    """The id in an add/change answer: XML ``<station id/>``/``<group id/>``, JSON ``data.id``."""
    fmt = _format(doc)
    if fmt == "xml":
        root = doc.payload
        candidates = [root.find("station"), root.find("group")] + list(root.iterchildren())
        for element in candidates:
            if element is not None and not _blank(element.get("id")):
                return _str(element.get("id"))
        raise _ShapeError("no element with an id")
    data = _data(doc)
    for holder in (data, data.get("station"), data.get("group")):
        if isinstance(holder, dict) and not _blank(holder.get("id")):
            return _str(holder["id"])
    raise _ShapeError("no id in data")


@_shaped
def parse_deleted_ids(doc):
    """A delete answer (``<stations>``/``<groups>`` of ids) → ``[id]``."""
    fmt = _format(doc)
    if fmt == "xml":
        root = doc.payload
        for container, item in (("stations", "station"), ("groups", "group")):
            if root.find(container) is not None:
                values = (e.get("id") if not _blank(e.get("id")) else e.text for e in _xml_items(root, container, item))
                return [v for v in (_str(raw) for raw in values) if v is not None]
        raise _ShapeError("no <stations> or <groups> element")
    ids = []
    for item in _json_items(doc, ("stations", "groups")):
        value = _str(item.get("id") if isinstance(item, dict) else item)
        if value is not None:
            ids.append(value)
    return ids
