# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validation of the scalar station parameters shared by stations/add and stations/change."""

import math
import re
import secrets
import string

from . import acl
from .errors import bad_parameter
from .timeutil import parse_wallclock

# wire name → Station attribute
TEXT_FIELDS = {
    "name": "name", "description": "description", "department": "department", "street": "street",
    "room": "room", "city": "city", "floor": "floor", "organization": "organization",
    "province": "province", "email": "email", "user-id": "user_id",
    "disable-grace-period": "disable_grace_period",
}
DATE_FIELDS = {"expires": "expires", "block-begin": "block_begin", "block-end": "block_end"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ALPHABET = string.ascii_letters + string.digits


def new_password():
    return "".join(secrets.choice(_ALPHABET) for _position in range(16))


def clean_text(name, value, limit=1024):
    if _CONTROL.search(value):
        raise bad_parameter("Invalid value of parameter '%s': control characters are not allowed" % name)
    if len(value) > limit:
        raise bad_parameter("Invalid value of parameter '%s': longer than %d characters" % (name, limit))
    return value


def object_id(value, what):
    value = value.strip()
    if not value or len(value) > 128 or _CONTROL.search(value) or "/" in value or " " in value:
        raise bad_parameter("Invalid %s id '%s'" % (what, value))
    return value


def scalars(params):
    """attribute → new value for every scalar parameter present (password excluded)."""
    out = {}
    for wire, attr in TEXT_FIELDS.items():
        value = params.first(wire)
        if value is not None:
            out[attr] = clean_text(wire, value)
    if out.get("name") == "":
        raise bad_parameter("Parameter 'name' is empty")
    country = params.first("country")
    if country is not None:
        country = country.strip()
        if country and not re.fullmatch(r"[A-Za-z]{2}", country):
            raise bad_parameter("Invalid value '%s' of parameter 'country': expected an ISO 3166 alpha-2 code"
                                % country)
        out["country"] = country.upper()
    for wire, limit in (("latitude", 90.0), ("longitude", 180.0)):
        value = params.first(wire)
        if value is not None:
            out[wire] = _coordinate(wire, value, limit)
    for wire, attr in DATE_FIELDS.items():
        value = params.first(wire)
        if value is not None:
            try:
                out[attr] = parse_wallclock(value)
            except ValueError:
                raise bad_parameter("Invalid value '%s' of parameter '%s': expected YYYYMMDD or YYYYMMDDHHmmss"
                                    % (value, wire)) from None
    priority = params.first("acl-priority")
    if priority is not None:
        if priority not in ("allow", "deny"):
            raise bad_parameter("Invalid value '%s' of parameter 'acl-priority': expected allow or deny"
                                % priority)
        out["acl_priority"] = priority
    return out


def password(params):
    """The new password, a fresh one for an empty value (SPEC §3.3), or None if absent."""
    value = params.first("password")
    if value is None:
        return None
    return clean_text("password", value) if value != "" else new_password()


def _coordinate(name, value, limit):
    text = value.strip()
    if text == "":
        return 0.0
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or math.isnan(number) or abs(number) > limit:
        raise bad_parameter("Invalid value '%s' of parameter '%s': expected decimal degrees within ±%g"
                            % (value, name, limit))
    return number


def acl_specs(params, name):
    out = []
    for value in params.all(name):
        try:
            out.append(acl.parse(value))
        except ValueError as exc:
            raise bad_parameter("Invalid value '%s' of parameter '%s': %s" % (value, name, exc)) from None
    return out
