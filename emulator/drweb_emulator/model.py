# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's objects and their seed/state-file form (one plain dict each).

The seed format and the state file are the same shape, so a state file can be fed
back as `--seed`. Field names follow the API's JSON names where one exists.
"""

from dataclasses import dataclass, field, fields

from . import acl, constants
from .timeutil import to_epoch


@dataclass(slots=True)
class Group:
    id: str
    name: str
    type: int = 0
    parent_id: str | None = None
    description: str = ""
    created_time: int = 0
    modified_time: int = 0
    tariff: bool = False
    rule: str | None = None              # system groups: how members are computed
    components: list | None = None       # None = inherited from the parent group
    keys: list | None = None
    rights: list | None = None

    @property
    def system(self):
        return self.rule is not None


@dataclass(slots=True)
class Station:
    id: str
    name: str = ""
    password: str = ""
    parent_id: str = constants.EVERYONE
    groups: list = field(default_factory=list)   # explicit memberships incl. a non-Everyone primary
    status: str = "offline"
    description: str = ""
    department: str = ""
    country: str = ""
    street: str = ""
    room: str = ""
    city: str = ""
    floor: str = ""
    organization: str = ""
    province: str = ""
    email: str = ""
    latitude: float = 0.0
    longitude: float = 0.0
    user_id: str = ""
    disable_grace_period: str = ""
    os_code: int = 0
    os_name: str = "unknown"
    created_time: float = 0
    modified_time: int = 0
    last_seen_time: int = 0
    last_seen_addr: str = ""
    login_addr: str = ""
    login_mac: str = ""
    block_begin: int = 0
    block_end: int = 0
    expires: int = 0
    acl_priority: str = "allow"
    acl_allowed: list = field(default_factory=list)
    acl_disallowed: list = field(default_factory=list)
    station_type: int = 0
    linked_stations: list = field(default_factory=list)  # station_type_info peers
    remote: bool = False
    onconnect: str = ""                  # newbie action scheduled for the next connection
    components: list | None = None
    keys: list | None = None
    rights: list | None = None
    modules: list = field(default_factory=list)
    machines: list = field(default_factory=list)
    bases: list = field(default_factory=list)
    installed_components: list = field(default_factory=list)
    running_components: list = field(default_factory=list)
    products: list = field(default_factory=list)   # stations/products.ds: what the station reports

    @property
    def state(self):
        return constants.NUMERIC_STATE.get(self.status, 0)

    @property
    def active(self):
        """Counted in Everyone and user groups (not deleted, not awaiting approval)."""
        return self.status not in ("deleted", "newbies")

    def blocked(self, now):
        return bool(self.block_begin) and self.block_begin <= now and (
            not self.block_end or now < self.block_end)


@dataclass(slots=True)
class Repository:
    code: str
    name: str
    revision: str = ""
    modified_time: int = 0
    size: int = 0
    files: int = 0
    last_update_endtime: int = 0
    last_update_src: str = ""
    last_update_rc: str = ""
    last_update_rc_code: int = 0
    fail_update: bool = False            # next updates end with rc 106


_TIME_FIELDS = {"created_time", "modified_time", "last_seen_time", "block_begin",
                "block_end", "expires", "last_update_endtime"}


def _from_dict(cls, data, what):
    names = {f.name for f in fields(cls)}
    unknown = set(data) - names - {"acl", "os"}
    if unknown:
        raise ValueError("%s %r: unknown field(s) %s" % (what, data.get("id") or data.get("code"),
                                                         ", ".join(sorted(unknown))))
    kwargs = {}
    for key, value in data.items():
        if key in _TIME_FIELDS:
            value = to_epoch(value)
        if key in names:
            kwargs[key] = value
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise ValueError("%s %r: %s" % (what, data.get("id") or data.get("code"), exc)) from None


def group_from_dict(data):
    group = _from_dict(Group, data, "group")
    group.type = int(group.type)
    group.name = str(group.name)
    return group


def station_from_dict(data):
    data = dict(data)
    acl_block = data.pop("acl", None) or {}
    os_block = data.pop("os", None)
    station = _from_dict(Station, data, "station")
    station.id = str(station.id)
    station.name = str(station.name or station.id)
    station.password = str(station.password)
    if os_block:
        station.os_code = int(os_block.get("code", 0))
        station.os_name = str(os_block.get("name", ""))
    station.acl_priority = acl_block.get("priority", station.acl_priority)
    station.acl_allowed = [acl.parse(s).entry for s in acl_block.get("allowed", [])]
    station.acl_disallowed = [acl.parse(s).entry for s in acl_block.get("disallowed", [])]
    station.latitude = float(station.latitude or 0)
    station.longitude = float(station.longitude or 0)
    station.os_code = int(station.os_code or 0)
    # Everyone is implicit: it is never an explicit membership.
    station.groups = [str(g) for g in dict.fromkeys(station.groups) if str(g) != constants.EVERYONE]
    if station.parent_id != constants.EVERYONE and station.parent_id not in station.groups:
        station.groups.insert(0, station.parent_id)
    if station.status not in constants.STATION_STATUSES:
        raise ValueError("station %r: unknown status %r" % (station.id, station.status))
    station.products = [product_from_dict(station.id, p) for p in station.products or []]
    return station


_PRODUCT_FIELDS = {"code", "name", "revision", "modified_time", "state_code", "state"}


def product_from_dict(station_id, data):
    """One product of stations/products.ds; `state` follows `state_code` unless the seed gives it."""
    unknown = set(data) - _PRODUCT_FIELDS
    if unknown or not data.get("code"):
        raise ValueError("station %r: a product needs a code and takes only %s" % (
            station_id, ", ".join(sorted(_PRODUCT_FIELDS))))
    code = str(data.get("state_code") or "S")
    if code not in constants.PRODUCT_STATES:
        raise ValueError("station %r: unknown product state_code %r" % (station_id, code))
    return {"code": str(data["code"]), "name": str(data.get("name") or data["code"]),
            "revision": str(data.get("revision") or ""), "modified_time": to_epoch(data.get("modified_time")),
            "state_code": code, "state": str(data.get("state") or constants.PRODUCT_STATES[code])}


def repository_from_dict(data):
    return _from_dict(Repository, data, "repository")


def _to_dict(obj, skip=()):
    out = {}
    for f in fields(obj):
        if f.name in skip:
            continue
        out[f.name] = getattr(obj, f.name)
    return out


def group_to_dict(group):
    return _to_dict(group)


def station_to_dict(station):
    out = _to_dict(station, skip=("acl_priority", "acl_allowed", "acl_disallowed"))
    out["acl"] = {
        "priority": station.acl_priority,
        "allowed": [e.spec() for e in station.acl_allowed],
        "disallowed": [e.spec() for e in station.acl_disallowed],
    }
    return out


def repository_to_dict(repo):
    return _to_dict(repo)
