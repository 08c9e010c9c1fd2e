# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Station option normalisation and the ``stations/add.ds`` / ``stations/change.ds`` plan.

Everything here is pure (no I/O): the module validates the user's options with
:func:`normalise_options` before it sends a single request, reads the station once,
resolves the group references it cannot answer from that read, and hands both to
:func:`build_plan`, which returns the wire parameters of the one write, the
``before``/``after`` of the managed keys and the predicted end state.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import datetime
import ipaddress
import math
import re
from collections import namedtuple

from ansible_collections.drweb.esuite.plugins.module_utils._diff import (
    Diff,
    code_equal,
    coordinate_equal,
    date_equal,
    set_change,
    sorted_list,
    text_equal,
    unique,
)
from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebError
from ansible_collections.drweb.esuite.plugins.module_utils import _station_fields
from ansible_collections.drweb.esuite.plugins.module_utils._station_fields import PASSWORD_MASK
from ansible_collections.drweb.esuite.plugins.module_utils._values import shown


class StationOptionError(DrWebError):
    """An option value is invalid; raised before any request is sent."""


EVERYONE_ID = "20e27d73-d21d-b211-a788-85419c46f0e6"

# Group types as the Web API reports them: 0 is a user group, 1 the Everyone base group,
# the rest (2 online, 3 offline, 4 operating system, 5 transport, 10 pseudogroups such as
# Status, 13 proxies, ...) are system groups that a station joins or leaves only through
# the server's own logic.
USER_GROUP_TYPE = 0
EVERYONE_GROUP_TYPE = 1

# Basic tariff groups, the license groups a 4.1.3 server documents as the values of
# "rate"; ESS 13 shows the same ids as ordinary groups ("Dr.Web Free", ...). Keys are
# normalised names (see _tariff_key).
TARIFFS = {
    "classic": "2888b7ff-3625-465e-bcb8-957de17f6458",
    "free": "2c213cd2-eba1-4a0e-9f76-95e5e756d48c",
    "mobile": "4e87fd11-4a35-4ec1-bedd-29669b357e35",
    "premium": "91644cc3-1dc1-42dc-a41e-5ea001f5538d",
    "premium server": "01fe9e60-6570-11de-b827-0002a5d5c51b",
    "standard": "ebe76ffc-69e1-4757-b2b3-41506832bc9b",
    "juridical classic": "673b0574-d11d-b211-9b4e-de33edc4ef1b",
    "juridical premium": "382a6f16-d21d-b211-9b56-de33edc4ef1b",
    "juridical standard": "800af701-d21d-b211-9b54-de33edc4ef1b",
}
TARIFF_IDS = frozenset(TARIFFS.values())
# Display names of the basic tariff groups, for a group that no read has named yet.
TARIFF_NAMES = dict((gid, "Dr.Web " + name.title()) for name, gid in TARIFFS.items())

# ISO 3166-1 alpha-2, the 249 officially assigned codes, plus XK (Kosovo), the
# user-assigned code that the EU, the IMF and most inventories use.
COUNTRY_CODES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK
""".split())

PASSWORD_CHANGED = "******** (changed)"
# Shown as the "before" of a field the Web API cannot read back.
WRITE_ONLY_UNKNOWN = "(write-only: not readable)"


def _fail(message):
    raise StationOptionError(message)


# ---------------------------------------------------------------------------------------
# ACL entries

# Spellings of the TCP/IP family (the only protocol the documentation names; it covers
# IPv6). They all mean the default, so "tcp/10.0.0.1" and "10.0.0.1" are one entry.
TCPIP_ALIASES = frozenset(["tcp/ip", "tcpip", "tcp", "ip", "ipv4", "ipv6", "ip4", "ip6", "tcp4", "tcp6"])

# Patterns here are compiled (and cached) by the re module on first use: most tasks never need them.
_DNS_LABEL = r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$"


class AclEntry(object):
    """One ACL entry in canonical form: protocol (``None`` = TCP/IP), address, prefix."""

    __slots__ = ("proto", "address", "prefix", "family")

    def __init__(self, proto, address, prefix, family):
        self.proto = proto
        self.address = address
        self.prefix = prefix
        self.family = family

    @property
    def key(self):
        """Canonical text, the identity used for comparison and display."""
        text = "%s/%d" % (self.address, self.prefix)
        return "%s/%s" % (self.proto, text) if self.proto else text

    def __eq__(self, other):
        return isinstance(other, AclEntry) and self.key == other.key

    def __hash__(self):
        return hash(self.key)

    def __repr__(self):
        return "AclEntry(%r)" % self.key


def _parse_ip(text):
    try:
        return ipaddress.ip_address(str(text))
    except ValueError:
        return None


def _parse_dns_name(text):
    name = text.lower()
    if name.endswith("."):
        name = name[:-1]
    if not name or len(name) > 253:
        return None
    labels = name.split(".")
    if not all(re.match(_DNS_LABEL, label) for label in labels):
        return None
    # An all-numeric last label is a mistyped IPv4 address, not a host name.
    if labels[-1].isdigit():
        return None
    return name


def _parse_address(text):
    """``(canonical address, family)`` with family ``4``, ``6`` or ``"dns"``; ``None`` if invalid."""
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if "%" in text:
        return None
    addr = _parse_ip(text)
    if addr is not None:
        return addr.compressed, addr.version
    name = _parse_dns_name(text)
    if name is not None:
        return name, "dns"
    return None


def _max_prefix(family):
    return 128 if family == 6 else 32


def _parse_mask(text, family):
    """Prefix length of a mask given as ``24`` or ``255.255.255.0``; ``None`` if invalid."""
    if text.isdigit():
        prefix = int(text)
        return prefix if prefix <= _max_prefix(family) else None
    if family == 6:
        return None
    try:
        return ipaddress.IPv4Network(u"0.0.0.0/%s" % text).prefixlen
    except ValueError:
        return None


def parse_acl(spec, strict_proto=True):
    """Parse ``[protocol/]address[/mask]`` into an :class:`AclEntry`.

    Raises ``ValueError`` with the reason. With ``strict_proto`` only the TCP/IP
    family is accepted (user input); without it any leading word is kept as the
    protocol (entries read from the server must never make the module fail).
    """
    if not isinstance(spec, str):
        raise ValueError("it is not a string")
    text = spec.strip()
    if not text:
        raise ValueError("it is empty")
    proto = None
    if text.lower().startswith("tcp/ip/"):
        proto, text = "tcp/ip", text[len("tcp/ip/"):]
    parts = text.split("/")
    if proto is None and (len(parts) == 3 or (
            len(parts) == 2 and _parse_ip(parts[0]) is None and _parse_address(parts[1]) is not None
            and _parse_mask(parts[1], 4) is None)):
        # "word/address[/mask]": the leading word is a protocol, not a host name.
        proto, parts = parts[0].strip().lower(), parts[1:]
        if not re.match(r"^[a-z][a-z0-9_-]*$", proto):
            raise ValueError("%r is not a protocol name" % proto)
    if proto in TCPIP_ALIASES:
        proto = None
    elif proto is not None and strict_proto:
        raise ValueError("the protocol %r is not supported (only TCP/IP, which covers IPv4 and IPv6)" % proto)
    if len(parts) > 2:
        raise ValueError("it has more than protocol, address and mask")
    parsed = _parse_address(parts[0])
    if parsed is None:
        raise ValueError("%r is not an IPv4 or IPv6 address or a DNS name" % parts[0])
    address, family = parsed
    if len(parts) == 2:
        prefix = _parse_mask(parts[1].strip(), family)
        if prefix is None:
            raise ValueError("%r is not a prefix length (0-%d) or a dotted IPv4 mask%s" % (
                parts[1], _max_prefix(family), "" if family != 6 else " (IPv6 takes a prefix length)"))
    else:
        # The documented default is a host entry: /32 for IPv4 (and names), /128 for IPv6.
        prefix = _max_prefix(family)
    return AclEntry(proto, address, prefix, family)


def _needs_proto(family, address):
    # "name/32" with a one-label name reads as protocol/address; the explicit default
    # protocol makes "tcp/name/32" unambiguous.
    return family == "dns" and "." not in address


def acl_add_spec(entry):
    """Wire form of an entry to add: always with an explicit prefix length."""
    if entry.proto is None and _needs_proto(entry.family, entry.address):
        return "tcp/" + entry.key
    return entry.key


def acl_from_model(entry):
    """``(canonical key, delete spec)`` of an entry read from the server.

    The delete spec reuses the mask exactly as the server reported it: the documentation
    says ``delete-acl-*`` "must include the network prefix/mask exactly as stored"
    (``192.168.10.34/32``), otherwise the entry is not matched.
    """
    proto = (entry.get("net_proto") or "").strip()
    address = (entry.get("net_address") or "").strip()
    mask = entry.get("net_mask")
    mask = ("%s" % mask).strip() if mask not in (None, "") else ""
    if "/" in address and not mask:
        address, _sep, mask = address.rpartition("/")
    proto_part = "" if (not proto or proto.lower() in TCPIP_ALIASES) else proto + "/"
    spec = proto_part + address + ("/" + mask if mask else "")
    try:
        parsed = parse_acl(spec, strict_proto=False)
    except ValueError:
        # Something we cannot parse is still an entry: keep it distinct, deletable as read.
        return spec.lower(), spec
    if not mask:
        mask = "%d" % parsed.prefix
    if not proto_part and _needs_proto(parsed.family, parsed.address):
        proto_part = "tcp/"
    return parsed.key, proto_part + address + "/" + mask


# ---------------------------------------------------------------------------------------
# Dates

_ISO_DATE = (
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?:([Zz])|([+-])(\d{2}):?(\d{2})?)?$")
NEVER_WORDS = frozenset(["0", "never", "none", "unlimited"])
DATE_FORMS = "YYYYMMDD, YYYYMMDDHHmmss, an ISO 8601 date or date-time, or 0/never"


def _epoch(year, month, day, hour=0, minute=0, second=0, offset_minutes=0):
    moment = datetime.datetime(year, month, day, hour, minute, second)
    return calendar.timegm(moment.timetuple()) - offset_minutes * 60


def parse_date(value, option):
    """Unix seconds (UTC) of a date option; ``0`` means never/unset.

    Accepts ``YYYYMMDD``, ``YYYYMMDDHHmmss`` (as string or integer, since YAML turns
    unquoted digits into an integer), ISO 8601 dates and date-times (``Z`` or an
    offset converts to UTC; without an offset the time is taken as UTC), date and
    datetime objects, and ``0``/``never``.
    """
    if isinstance(value, bool):
        _fail("%s must be a date (%s), not a boolean." % (option, DATE_FORMS))
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            return calendar.timegm(value.utctimetuple())
        return calendar.timegm(value.timetuple())
    if isinstance(value, datetime.date):
        return _epoch(value.year, value.month, value.day)
    if isinstance(value, int):
        value = "%d" % value
    if not isinstance(value, str):
        _fail("%s must be a date (%s)." % (option, DATE_FORMS))
    text = value.strip()
    try:
        if text.lower() in NEVER_WORDS:
            return 0
        if text.isdigit() and len(text) == 8:
            result = _epoch(int(text[0:4]), int(text[4:6]), int(text[6:8]))
        elif text.isdigit() and len(text) == 14:
            result = _epoch(int(text[0:4]), int(text[4:6]), int(text[6:8]),
                            int(text[8:10]), int(text[10:12]), int(text[12:14]))
        else:
            match = re.match(_ISO_DATE, text)
            if not match:
                raise ValueError("unrecognised form")
            year, month, day, hour, minute, second, _zulu, sign, off_h, off_m = match.groups()
            offset = 0
            if sign:
                offset = int(off_h) * 60 + int(off_m or 0)
                if offset > 18 * 60:
                    raise ValueError("offset out of range")
                offset = -offset if sign == "-" else offset
            result = _epoch(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                            int(second or 0), offset)
    except (ValueError, OverflowError):
        _fail("%s %s is not a valid date; use %s." % (option, shown(value), DATE_FORMS))
    if result <= 0:
        _fail("%s %s is before 1970-01-01 and cannot be stored." % (option, shown(value)))
    return result


_UNIX_EPOCH = datetime.datetime(1970, 1, 1)


def _utc(epoch):
    # Naive UTC without datetime.utcfromtimestamp, which Python 3.12 deprecates.
    return _UNIX_EPOCH + datetime.timedelta(seconds=int(epoch))


def wire_date(epoch):
    """``YYYYMMDDHHmmss`` (UTC) for the Web API; ``0`` = never/unset."""
    if not epoch:
        return "0"
    return _utc(epoch).strftime("%Y%m%d%H%M%S")


def render_date(epoch):
    """ISO 8601 UTC text for ``station`` and ``diff``; ``None`` when unset."""
    if not epoch:
        return None
    return _utc(epoch).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------
# Coordinates, country, text, tariffs

def coordinate(value, option, limit):
    try:
        number = float(value)
    except (TypeError, ValueError):
        _fail("%s %r is not a number of decimal degrees." % (option, value))
    if math.isnan(number) or not -limit <= number <= limit:
        _fail("%s %r is out of range (-%d to %d decimal degrees)." % (option, value, limit, limit))
    return round(number, 6)


def wire_coordinate(value):
    text = ("%.6f" % (value or 0.0)).rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _tariff_key(name):
    # The documentation writes "DrWeb Premium" and "Juridical DrWeb Premium"; the brand is noise.
    key = re.sub(r"[\s_-]+", " ", name.strip().lower())
    key = re.sub(r"\bdr\.? ?web\b", " ", key)
    return " ".join(key.split())


def tariff_id(value):
    """``(group id, True)`` for a documented basic tariff (name or id), else ``(value, False)``."""
    key = _tariff_key(value)
    if key in TARIFFS:
        return TARIFFS[key], True
    if value.strip().lower() in TARIFF_IDS:
        return value.strip().lower(), True
    return value.strip(), False


def unknown_tariff(ref):
    """The failure for a rate that is neither a basic tariff nor a group on the server."""
    return StationOptionError(
        "rate %r is neither a basic tariff (%s) nor the id of a tariff group on the server."
        % (ref, ", ".join(name.title() for name in sorted(TARIFFS))), obj=ref)


# ---------------------------------------------------------------------------------------
# Options

def _group_ref(value, option):
    if not isinstance(value, str) or not value.strip():
        _fail("%s entries must be non-empty group ids or names; got %r." % (option, value))
    return value.strip()


def _acl_entry(value, option):
    try:
        return parse_acl(value)
    except ValueError as exc:
        _fail("%s entry %r is not a valid [protocol/]address[/mask]: %s." % (option, value, exc))


def _text(value, field):
    return value.strip()


def _email(value, field):
    email = value.strip()
    if email and (email.count("@") != 1 or email.startswith("@") or email.endswith("@") or re.search(r"\s", email)):
        _fail("%s %r is not an e-mail address." % (field.option, email))
    return email


def _country(value, field):
    code = value.strip().upper()
    if code and code not in COUNTRY_CODES:
        _fail("%s %r is not an ISO 3166-1 alpha-2 code (for example DE, RU, US)." % (field.option, value))
    return code


def _upper(current):
    return (current or "").upper() or None


def _text_end(value, exists):
    return value or None


def _coordinate_end(value, exists):
    # The server stores 0 for coordinates never set.
    return round(value, 6) if value is not None else (None if exists else 0.0)


def _date_end(value, exists):
    return render_date(value)


# How the plan treats the fields of one scalar kind of _station_fields:
# ``normalise(value, field)`` checks and normalises an option value (StationOptionError);
# ``equal`` compares it with the model value (a comparator of the diff engine), which
# ``read`` prepares for display; ``wire`` encodes it for the Web API, ``render`` for
# ``diff``, and ``end(value, exists)`` for the returned ``station``.
_Kind = namedtuple("_Kind", "normalise equal read wire render end")
_Kind.__new__.__defaults__ = (None, None, None, _text_end)


_SCALAR_KINDS = {
    "text": _Kind(_text, text_equal),
    "email": _Kind(_email, text_equal),
    "country": _Kind(_country, code_equal, read=_upper),
    "coordinate": _Kind(lambda value, field: coordinate(value, field.option, field.limit), coordinate_equal,
                        wire=wire_coordinate, end=_coordinate_end),
    "date": _Kind(lambda value, field: parse_date(value, field.option), date_equal, wire=wire_date,
                  render=render_date, end=_date_end),
}


def _declared(option):
    for field in _station_fields.FIELDS:
        if field.option == option:
            return field
    raise KeyError("no station field %r is declared" % option)


def _scalar_fields():
    """``(field, kind)`` of every declared field that its kind alone plans, in wire order."""
    return [(field, _SCALAR_KINDS[field.kind]) for field in _station_fields.FIELDS if field.kind in _SCALAR_KINDS]


def normalise_options(params):
    """Validate and normalise the module's options; raises :class:`StationOptionError`.

    The result holds only the options the user set (``None`` left out), in the form
    :func:`build_plan` compares: stripped text, upper-case country, rounded degrees,
    canonical ACL entries, dates as Unix seconds (``0`` = never), tariff names as ids.
    """
    station_id = params.get("id")
    if not isinstance(station_id, str) or not station_id.strip():
        _fail("id must be a non-empty station id.")
    desired = {
        "id": station_id.strip(),
        "state": params.get("state") or "present",
        "update_password": params.get("update_password") or "always",
        "update_write_only": params.get("update_write_only") or "on_create",
        "purge_groups": bool(params.get("purge_groups")),
        "purge_acl": bool(params.get("purge_acl")),
    }
    if desired["state"] == "absent":
        return desired

    name = params.get("name")
    if name is not None:
        if not name.strip():
            _fail("name must not be empty; omit it to let the server name the station after its id.")
        desired["name"] = name.strip()

    password = params.get("password")
    if password is not None:
        if password == "":
            _fail("password must not be empty (an empty password makes the server generate one); omit it to keep the current one.")
        desired["password"] = password

    for field, kind in _scalar_fields():
        if params.get(field.option) is not None:
            desired[field.option] = kind.normalise(params[field.option], field)
    if desired.get("block_begin") and desired.get("block_end") and desired["block_begin"] > desired["block_end"]:
        _fail("block_begin %s is after block_end %s." % (render_date(desired["block_begin"]), render_date(desired["block_end"])))

    if params.get("acl_priority") is not None:
        desired["acl_priority"] = params["acl_priority"]
    for option in ("acl_allow", "acl_disallow"):
        if params.get(option) is not None:
            desired[option] = unique(_acl_entry(value, option) for value in params[option])

    rate = params.get("rate")
    if rate is not None:
        if not rate.strip():
            _fail("rate must be a tariff group id or a basic tariff name (%s)." % ", ".join(sorted(TARIFFS)))
        desired["rate"], desired["rate_known"] = tariff_id(rate)

    if params.get("parent_group") is not None:
        desired["parent_group"] = _group_ref(params["parent_group"], "parent_group")
    if params.get("groups") is not None:
        desired["groups"] = unique(_group_ref(value, "groups") for value in params["groups"])
    return desired


def include_flags(desired):
    """``stations/info.ds`` include flags the task needs: membership only for group options."""
    if any(key in desired for key in ("groups", "parent_group", "rate")):
        return ("group_membership",)
    return ()


def _group(gid, name=None, gtype=None):
    return {"id": gid, "name": name, "type": gtype}


def known_groups(station):
    """Groups the station read already names (membership and primary), for resolution."""
    if not station:
        return []
    groups = []
    seen = set()
    if station.get("parent_id"):
        groups.append(_group(station["parent_id"], station.get("parent_name"), station.get("parent_type")))
        seen.add(station["parent_id"])
    for member in station.get("group_membership") or ():
        if member.get("id") and member["id"] not in seen:
            groups.append(_group(member["id"], member.get("name"), member.get("type")))
            seen.add(member["id"])
    return groups


def group_refs(desired):
    """References the plan needs resolved: parent group, groups, and a non-basic tariff."""
    refs = ([desired["parent_group"]] if "parent_group" in desired else []) + desired.get("groups", [])
    if "rate" in desired and not desired.get("rate_known"):
        refs.append(desired["rate"])
    return unique(refs)


# ---------------------------------------------------------------------------------------
# The plan

class Plan(namedtuple("Plan", "action params followup diff station warnings")):
    """The outcome of :func:`build_plan`.

    ``action``: ``"create"``, ``"update"`` or ``"none"``; ``params``: wire parameters
    (list of ``(name, value)``) of the ``add.ds`` or ``change.ds`` call (``change.ds``
    without ``id``, which the client adds); ``followup``: ``change.ds`` parameters that
    ``add.ds`` cannot carry; ``diff``: the :class:`Diff`; ``station``: the predicted end
    state; ``warnings``: sentences for ``module.warn``.
    """

    __slots__ = ()

    @property
    def changed(self):
        return self.action != "none"


def _label(groups_by_id):
    def render(gid):
        if gid is None:
            return None
        name = (groups_by_id.get(gid) or {}).get("name")
        return "%s (%s)" % (name, gid) if name and name != gid else gid
    return render


def _is_protected(group, keep_ids):
    if group["id"] in keep_ids or group["id"] in TARIFF_IDS:
        return True
    # An unknown type is treated as a system group: a purge never removes what it cannot classify.
    return group.get("type") != USER_GROUP_TYPE


def _resolved_group(resolved, ref, option):
    group = resolved.get(ref)
    if not group or not group.get("id"):
        _fail("%s %r was not resolved to a group." % (option, ref))
    return group


class _Context(object):
    """What the planning steps share: the inputs, the diff, and the wire parameters so far."""

    def __init__(self, desired, current, resolved):
        self.desired = desired
        self.exists = current is not None
        self.station = current or {}
        self.resolved = resolved or {}
        self.diff = Diff()
        self.warnings = []
        self.wire = {}      # option name -> wire value of a scalar parameter
        self.repeated = []  # (wire name, value) of the repeated parameters, in order
        self.followup = []  # what add.ds cannot carry: change.ds parameters right after it
        self.write_only_sent = {}
        self.groups_by_id = self._groups_by_id()
        self.label = _label(self.groups_by_id)

    def _groups_by_id(self):
        """Every group the plan may name: the read, the resolved references, the basic tariffs."""
        groups = dict((group["id"], dict(group)) for group in known_groups(self.station))
        for group in self.resolved.values():
            if group and group.get("id"):
                merged = groups.setdefault(group["id"], {"id": group["id"]})
                for key in ("name", "type"):
                    if group.get(key) is not None:
                        merged[key] = group[key]
        for gid, name in TARIFF_NAMES.items():
            entry = groups.setdefault(gid, {"id": gid, "type": USER_GROUP_TYPE})
            entry["name"] = entry.get("name") or name
        return groups

    def send_item(self, field, action, value):
        """Queue ``add`` or ``delete`` of one item of a set-valued field (ACL entry, group)."""
        if self.exists:
            self.repeated.append(("%s-%s" % (action, field.change), value))
        elif field.add:
            self.repeated.append((field.add, value))
        else:
            self.followup.append(("add-" + field.change, value))


def build_plan(desired, current, resolved=None):
    """Compare ``desired`` (from :func:`normalise_options`) with ``current`` (the parsed
    ``stations/info.ds`` station, ``None`` when it does not exist) and plan one write.

    ``resolved`` maps each reference of :func:`group_refs` to ``{id, name, type}``.
    """
    ctx = _Context(desired, current, resolved)
    _plan_identity(ctx)
    _plan_scalars(ctx)
    acl_end = _plan_acl(ctx)
    new_primary, end_members, rate_id = _plan_groups(ctx)

    params, followup = [], []
    if not ctx.exists:
        params.append(("id", desired["id"]))
        if desired.get("name"):
            params.append(("name", desired["name"]))
    for field in _station_fields.FIELDS:
        if field.option not in ctx.wire:
            continue
        if ctx.exists:
            params.append((field.change, ctx.wire[field.option]))
        elif field.add:
            params.append((field.add, ctx.wire[field.option]))
        else:
            followup.append((field.change, ctx.wire[field.option]))
    params.extend(ctx.repeated)
    # Scalars before repeated parameters, in the follow-up as in the write itself.
    followup.extend(ctx.followup)
    if ctx.exists:
        action = "update" if params else "none"
    else:
        action = "create"

    membership_known = not ctx.exists or ctx.station.get("group_membership") is not None
    end = _end_state(desired, ctx.station, ctx.exists, ctx.diff, ctx.groups_by_id, new_primary,
                     end_members if membership_known else None, rate_id, acl_end, ctx.write_only_sent)
    return Plan(action, params, followup, ctx.diff, end, ctx.warnings)


def _plan_identity(ctx):
    desired, station = ctx.desired, ctx.station
    if not ctx.exists:
        # A new station shows up whole in --diff, identified by its id (and name when set).
        ctx.diff.record("id", None, desired["id"], True)
        if desired.get("name"):
            ctx.diff.record("name", None, desired["name"], True)
    elif desired.get("name") and desired["name"] != station.get("name"):
        ctx.warnings.append(
            "Station %s is named %r; the Web API cannot rename a station, so name %r was not applied."
            % (desired["id"], station.get("name"), desired["name"]))


def _plan_scalars(ctx):
    desired, station, diff, wire, exists = ctx.desired, ctx.station, ctx.diff, ctx.wire, ctx.exists

    # Password: the read returns it, so "always" compares and stays idempotent.
    if "password" in desired and (not exists or desired["update_password"] == "always"):
        current_password = station.get("password")
        changed = not exists or current_password != desired["password"]
        shown = PASSWORD_MASK if current_password else None
        diff.record("password", shown, PASSWORD_CHANGED if changed else shown, changed)
        if changed:
            wire["password"] = desired["password"]

    for field, kind in _scalar_fields():
        option = field.option
        if option not in desired:
            continue
        value = desired[option]
        if field.model is None:
            # Write-only: no read shows it, so it is sent on create and, for an existing
            # station, only with update_write_only=always (and then every run).
            if not exists or desired["update_write_only"] == "always":
                shown = kind.render(value) if kind.render else value
                diff.record(option, WRITE_ONLY_UNKNOWN if exists else None, shown, True)
                wire[option] = kind.wire(value) if kind.wire else value
                ctx.write_only_sent[option] = shown
            continue
        current = station.get(field.model)
        if kind.read:
            current = kind.read(current)
        if diff.scalar(option, value, current, equal=kind.equal, render=kind.render):
            wire[option] = kind.wire(value) if kind.wire else value


def _current_priority(station):
    # The parser has already turned the response spellings allowed/disallowed into allow/deny.
    return (station.get("acl") or {}).get("priority")


def _plan_acl(ctx):
    """ACL priority and entries; returns the end sets of canonical entries per list."""
    desired, station = ctx.desired, ctx.station
    if "acl_priority" in desired and ctx.diff.scalar("acl_priority", desired["acl_priority"], _current_priority(station)):
        ctx.wire["acl_priority"] = desired["acl_priority"]
    acl_end = {}
    for field, model_key in (("acl_allow", "allowed"), ("acl_disallow", "disallowed")):
        declared = _declared(field)
        current_entries = {}
        for entry in (station.get("acl") or {}).get(model_key) or ():
            key, delete_spec = acl_from_model(entry)
            current_entries.setdefault(key, delete_spec)
        acl_end[field] = set(current_entries)
        if field not in desired:
            continue
        wanted = dict((entry.key, entry) for entry in desired[field])
        change = ctx.diff.set(field, wanted, current_entries, purge=desired["purge_acl"])
        acl_end[field] = set(change.after)
        for key in sorted_list(change.add):
            ctx.send_item(declared, "add", acl_add_spec(wanted[key]))
        for key in sorted_list(change.remove):
            ctx.send_item(declared, "delete", current_entries[key])
    return acl_end


def _plan_groups(ctx):
    """Primary group, memberships and tariff by the rules of ``stations/change.ds``.

    ``parent-group`` changes the primary group and ``add-group``/``delete-group`` the
    memberships; a ``delete-group`` of the current primary group is silently ignored
    unless ``parent-group`` switches it in the same request.

    Returns ``(new primary id, end membership ids, tariff id or None)``. Everyone holds
    every station implicitly and is never listed as a membership, so it stays out of the set.
    """
    desired, station, diff, wire, resolved = ctx.desired, ctx.station, ctx.diff, ctx.wire, ctx.resolved
    members = set(group["id"] for group in known_groups(station)) - set([EVERYONE_ID])
    old_primary = station.get("parent_id") if ctx.exists else None
    new_primary = old_primary or EVERYONE_ID
    if "parent_group" in desired:
        parent = _resolved_group(resolved, desired["parent_group"], "parent_group")
        if parent.get("type") not in (None, USER_GROUP_TYPE, EVERYONE_GROUP_TYPE) and parent["id"] != old_primary:
            _fail("parent_group %r is a system group and cannot be a station's primary group." % desired["parent_group"])
        new_primary = parent["id"]
        if diff.scalar("parent_group", new_primary, old_primary, render=ctx.label):
            wire["parent_group"] = new_primary

    end_members = set(members)
    rate_id = None
    if "rate" in desired:
        rate_id = desired["rate"] if desired.get("rate_known") else _resolved_group(resolved, desired["rate"], "rate")["id"]
        current_rate = rate_id if rate_id in members else (sorted_list(members & TARIFF_IDS) or [None])[0]
        if diff.scalar("rate", rate_id, current_rate, render=ctx.label):
            wire["rate"] = rate_id
            # A station has one tariff: the new one replaces the others, a tariff primary included.
            end_members -= TARIFF_IDS
            end_members.add(rate_id)
            if new_primary in TARIFF_IDS and "parent_group" not in wire:
                new_primary = rate_id
    if new_primary != EVERYONE_ID:
        end_members.add(new_primary)

    wanted_ids = [gid for gid in unique(_resolved_group(resolved, ref, "groups")["id"] for ref in desired.get("groups", []))
                  if gid != EVERYONE_ID]
    # A purge keeps the listed groups, the (new) primary group, the tariff, and every group
    # that is not a plain user group. When parent-group switches, the old primary is a plain
    # member in the same request, so change.ds honours its delete-group ("if parent-group is
    # given in the same request, the primary group is switched and the old primary group is
    # removed from the list"); a delete-group of the primary that stays would be ignored, so
    # it is never sent.
    keep = set([new_primary]) | (set([rate_id]) if rate_id else set())
    change = set_change(end_members, wanted_ids, purge=desired["purge_groups"] and "groups" in desired,
                        protected=lambda gid: _is_protected(ctx.groups_by_id.get(gid) or _group(gid), keep))
    add_ids = [gid for gid in wanted_ids if gid in change.add]
    for gid in add_ids:
        if ctx.groups_by_id.get(gid, {}).get("type") not in (None, USER_GROUP_TYPE):
            _fail("groups entry %r is a system group; the server adds stations to system groups itself." % ctx.label(gid))
    remove_ids = sorted_list(change.remove)
    end_members = set(change.after)
    if "groups" in desired:
        diff.record_set("groups", members, end_members, render=ctx.label)
    declared = _declared("groups")
    for gid in add_ids:
        ctx.send_item(declared, "add", gid)
    for gid in remove_ids:
        ctx.send_item(declared, "delete", gid)
    return new_primary, end_members, rate_id


def _end_state(desired, station, exists, diff, groups_by_id, new_primary, end_members, rate_id, acl_end, write_only_sent):
    """The station as it will be after the write (or is, without one), secrets masked."""
    priority = _current_priority(station)
    if "acl_priority" in diff.changes or (not exists and "acl_priority" in desired):
        priority = desired["acl_priority"]
    elif not exists:
        priority = "allow"

    if "password" in diff.changes or station.get("password"):
        password = PASSWORD_MASK
    else:
        password = None

    parent = groups_by_id.get(new_primary) or _group(new_primary, "Everyone" if new_primary == EVERYONE_ID else None)
    membership = rate = None
    if end_members is not None:
        membership = []
        for gid in sorted_list(end_members):
            group = groups_by_id.get(gid) or _group(gid)
            membership.append({"id": gid, "name": group.get("name"), "type": group.get("type")})
        rate = rate_id if rate_id in end_members else (sorted_list(end_members & TARIFF_IDS) or [None])[0]

    result = {
        "id": desired["id"],
        "name": station.get("name") if exists else (desired.get("name") or desired["id"]),
        "password": password,
        "parent_group": new_primary,
        "parent_name": parent.get("name"),
        "groups": sorted_list(end_members) if end_members is not None else None,
        "group_membership": membership,
        "acl_priority": priority,
        "acl_allow": sorted_list(acl_end["acl_allow"]),
        "acl_disallow": sorted_list(acl_end["acl_disallow"]),
        "rate": rate,
        "state": station.get("state"),
        "created_time": station.get("created_time"),
        "modified_time": station.get("modified_time"),
        "last_seen_time": station.get("last_seen_time"),
        "last_seen_addr": station.get("last_seen_addr"),
        "os_name": station.get("os_name"),
    }
    for field, kind in _scalar_fields():
        if field.model is None:
            continue
        if field.option in diff.changes:
            value = diff.changes[field.option]["after"]
        else:
            value = station.get(field.model) if exists else desired.get(field.option)
        result[field.option] = kind.end(value, exists)
    result.update(write_only_sent)
    return result
