# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of a station, declared once.

One :class:`Field` per option of ``drweb_station`` (the same options make up each entry
of ``drweb_stations``' ``stations``). Everything else is derived from these rows:

* :data:`STATION_ARGUMENT_SPEC`, the argument spec of both modules;
* the ``stations/add.ds`` and ``stations/change.ds`` parameters of the plan, in the
  rows' order, and what is compared how (``_station.py``);
* the parser rows of every field a station read returns (``_parser._STATION``);
* the option docs of ``drweb_station``, the ``stations`` suboptions of
  ``drweb_stations`` and the returned ``station`` fields, which
  ``hack/gen_station_docs.py`` writes between markers into the two module files
  (a unit test fails when they differ from these rows).

A free-text field such as ``city`` is one row of kind ``text``; nothing else changes.

This file is imported by every module process, so it holds plain data and computes
nothing beyond the argument spec. ``hack/gen_station_docs.py`` loads it on its own, where
the collection cannot be imported; the rows need nothing from it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import namedtuple

try:
    from ansible_collections.drweb.esuite.plugins.module_utils._values import (
        ACL_LENGTH,
        EMAIL_LENGTH,
        ID_LENGTH,
        NAME_LENGTH,
        REF_LENGTH,
        TEXT_LENGTH,
        Text,
    )
except ImportError:  # loaded from its file by hack/gen_station_docs.py, which reads only the rows' docs
    ACL_LENGTH = EMAIL_LENGTH = ID_LENGTH = NAME_LENGTH = REF_LENGTH = TEXT_LENGTH = Text = None

# Kinds that the plan compares and sends by the rules of their kind alone (see
# _station._SCALAR_KINDS); a field of such a kind with no ``model`` is write-only.
# The other kinds (id, control, name, password, acl_priority, acl, primary_group,
# groups, tariff) each have their own planning step in _station.py.
SCALAR_KINDS = ("text", "email", "country", "coordinate", "date")

PASSWORD_MASK = "********"


Field = namedtuple("Field", "option spec kind add change model limit max_length multiline doc returns")
Field.__new__.__defaults__ = (None, None, None, None, None, False, (), None)
Field.__doc__ = """One station option.

``option``      the option name (also the key in the normalised desired state);
``spec``        its argument spec entry (``type``, ``choices``, ``default``, ...);
``kind``        how it is validated, compared and sent (see SCALAR_KINDS);
``add``         its ``stations/add.ds`` parameter, or None when add.ds cannot carry
                it (a create then sends it in a follow-up ``change.ds``);
``change``      its ``stations/change.ds`` parameter, or None when the API cannot
                change it; a set-valued field is changed with ``add-<change>`` and
                ``delete-<change>``;
``model``       its key in the station a read returns, or None when the API never
                returns it (write-only: sent on create, later only with
                ``update_write_only=always``);
``limit``       the largest absolute value of a coordinate, in degrees;
``max_length``  the most characters a text option (``type: str``, or each element of a
                list of strings) may hold; the spec then refuses a longer value, a list
                or mapping and control characters before anything is sent (see
                ``_values`` for the choice of the lengths);
``multiline``   whether that text may hold tabs and line feeds;
``doc``         the option's description paragraphs (Ansible markup);
``returns``     its entry in the returned ``station`` (RETURN docs), or None.
"""


def _text(option, label, wire=None, doc=(), returns=None, sample=None, max_length=NAME_LENGTH, multiline=False):
    """A free-text location or contact field: one name on the wire and in the model."""
    wire = wire or option
    shown = dict(description=returns or "%s." % label, type="str")
    if sample is not None:
        shown["sample"] = sample
    return Field(option, dict(type="str"), "text", add=wire, change=wire, model=option, max_length=max_length,
                 multiline=multiline, doc=("%s. An empty string clears it." % label,) + tuple(doc), returns=shown)


# The order of the rows is the order of the parameters on the wire (stable, so that
# request logs diff cleanly) and of the options in the docs.
FIELDS = (
    Field("id", dict(type="str", required=True), "id", add="id", model="id", max_length=ID_LENGTH,
          doc=("Id of the station. Station ids are free-form strings, for example V(ws-0042) or a UUID.",),
          returns=dict(description="Station id.", type="str", sample="ws-0042")),
    Field("state", dict(type="str", default="present", choices=["present", "absent"]), "control",
          doc=("V(present) creates the station if needed and applies the options you set.",
               "V(absent) deletes the station (C(stations/delete.ds)); a station that does not exist is left alone. "
               "The server keeps deleted stations for C(stations/restore.ds). Only O(id) is used.")),
    Field("name", dict(type="str"), "name", add="name", model="name", max_length=NAME_LENGTH,
          doc=("Name of a new station. Without it the server names the station after its O(id).",
               "The Web API cannot rename a station. If an existing station has another name the module warns "
               "and changes nothing because of it."),
          returns=dict(description="Station name.", type="str", sample="Accounting laptop 42")),
    Field("password", dict(type="str", no_log=True), "password", add="password", change="password", model="password",
          max_length=NAME_LENGTH,
          doc=("Password the station's agent uses to connect to the server.",
               "Must not be empty (an empty password makes the server generate a random one); omit the option "
               "to keep the current password.",
               "Shown only masked, as V(********), in C(station) and C(diff); a password that will change shows "
               "as V(******** (changed\\)) in the C(after) of C(diff)."),
          returns=dict(description="V(********) when the station has a password, else V(null). Never the password itself.",
                       type="str", sample=PASSWORD_MASK)),
    Field("update_password", dict(type="str", default="always", choices=["always", "on_create"], no_log=False), "control",
          doc=("V(always) compares O(password) with the station's current password (the server returns it) and sets "
               "it when it differs. A server that does not return a station's password (for example for a station "
               "attached through a neighbour server) gets the password on every run.",
               "V(on_create) sets O(password) only when the module creates the station.")),
    _text("description", "Free-text description", returns="Description.", max_length=TEXT_LENGTH, multiline=True,
          doc=("This and the other text fields are compared without leading and trailing white space.",)),
    # The country check itself takes two letters only; the length keeps a pasted blob out of its message.
    Field("country", dict(type="str"), "country", add="country", change="country", model="country",
          max_length=NAME_LENGTH,
          doc=("Country as an ISO 3166-1 alpha-2 code, for example V(DE); case does not matter. An empty string clears it.",),
          returns=dict(description="ISO 3166-1 alpha-2 country code.", type="str", sample="DE")),
    _text("province", "Province, state or region, for example V(Bavaria)", returns="Province.", sample="Bavaria"),
    _text("city", "City", sample="Berlin"),
    _text("street", "Street address, for example V(Friedrichstrasse 1)", returns="Street.", sample="Friedrichstrasse 1"),
    _text("room", "Room, by number or name (V(2.14), V(Server room))", returns="Room.", sample="2.14"),
    _text("floor", "Floor, for example V(3) or V(B1)", returns="Floor.", sample="B1"),
    _text("department", "Department that uses the station", returns="Department."),
    _text("organization", "Organization (company or customer) that owns the station", returns="Organization.",
          sample="Example Corp"),
    Field("email", dict(type="str"), "email", add="email", change="email", model="email", max_length=EMAIL_LENGTH,
          doc=("Contact e-mail address. An empty string clears it.",),
          returns=dict(description="E-mail address.", type="str")),
    Field("latitude", dict(type="float"), "coordinate", add="latitude", change="latitude", model="latitude", limit=90,
          doc=("Latitude in decimal degrees, from V(-90) to V(90).",
               "The server keeps six decimals, so values are compared to within 0.000001 degrees."),
          returns=dict(description="Latitude in decimal degrees.", type="float", sample=52.520008)),
    Field("longitude", dict(type="float"), "coordinate", add="longitude", change="longitude", model="longitude", limit=180,
          doc=("Longitude in decimal degrees, from V(-180) to V(180).",
               "The server keeps six decimals, so values are compared to within 0.000001 degrees."),
          returns=dict(description="Longitude in decimal degrees.", type="float", sample=13.404954)),
    Field("user_id", dict(type="str"), "text", add="user-id", change="user-id", max_length=NAME_LENGTH,
          doc=("Identifier of the user the station belongs to (for billing integrations).",
               "The Web API cannot read this field back, see O(update_write_only)."),
          returns=dict(description="The user id sent in this run. The server cannot report it.", type="str",
                       returned="when the module sent O(user_id)")),
    Field("block_begin", dict(type="raw"), "date", add="block-begin", change="block-begin", model="block_begin_time",
          doc=("Start of the period in which the station is blocked.",
               "Accepts V(YYYYMMDD), V(YYYYMMDDHHmmss) and ISO 8601 dates and date-times (V(2026-12-31), "
               "V(2026-12-31T18:00:00+01:00)). Times without an offset are UTC, the zone the server reports them in. "
               "V(0) or V(never) clears it.",
               "Documented for ESS 10 (Web API 4.1); ESS 12 and 13 servers may ignore it."),
          returns=dict(description="Start of the blocking period, ISO 8601 in UTC, or V(null).", type="str",
                       sample="2026-12-24T00:00:00Z")),
    Field("block_end", dict(type="raw"), "date", add="block-end", change="block-end", model="block_end_time",
          doc=("End of the blocking period, in the forms of O(block_begin).",),
          returns=dict(description="End of the blocking period, ISO 8601 in UTC, or V(null).", type="str")),
    Field("expires", dict(type="raw"), "date", add="expires", change="expires",
          doc=("Date the station's access to the server expires, in the forms of O(block_begin); V(0) or V(never) "
               "means unlimited.",
               "The Web API cannot read this field back, see O(update_write_only)."),
          returns=dict(description="The expiry date sent in this run (ISO 8601, UTC; V(null) for unlimited). "
                                   "The server cannot report it.", type="str", returned="when the module sent O(expires)")),
    Field("update_write_only", dict(type="str", default="on_create", choices=["always", "on_create"]), "control",
          doc=("How to treat O(expires) and O(user_id), which the Web API accepts but never returns, so no run can "
               "tell whether they already have the wanted value.",
               "V(on_create) sends them only when the module creates the station; later runs leave them alone and "
               "stay idempotent.",
               "V(always) sends them on every run, so every run reports a change.")),
    Field("rate", dict(type="str"), "tariff", add="rate", change="rate", model="group_membership", max_length=NAME_LENGTH,
          doc=("Tariff (license) group of the station, by group id. The basic tariffs may also be named V(Classic), "
               "V(Free), V(Mobile), V(Premium), V(Premium Server), V(Standard), V(Juridical Classic), "
               "V(Juridical Premium) or V(Juridical Standard) (case, V(Dr.Web) and V(_)/V(-) do not matter).",
               "Another value is looked up as a group; an unknown one fails the task before any change.",
               "Compared with the station's group membership, where the server lists the tariff group. A station has "
               "one tariff, so setting it replaces the previous tariff group."),
          returns=dict(description="Id of the tariff group found in the membership; V(null) when there is none or "
                                   "the membership was not read.", type="str", sample="91644cc3-1dc1-42dc-a41e-5ea001f5538d")),
    Field("parent_group", dict(type="str"), "primary_group", add="parent-group", change="parent-group", model="parent_id",
          max_length=REF_LENGTH,
          doc=("Primary group of the station, by id or by name. The primary group must be a user group or V(Everyone).",
               "When the primary group changes, the previous primary group stays an ordinary membership, unless "
               "O(purge_groups=true) and O(groups) does not list it."),
          returns=dict(description="Id of the primary group.", type="str", sample="73fcd996-d58b-465b-afca-200589f361e4")),
    Field("groups", dict(type="list", elements="str"), "groups", add="group", change="group", model="group_membership",
          max_length=REF_LENGTH,
          doc=("Groups the station must belong to, by id or by name. A name must match exactly one group in the whole "
               "group tree; use the id when several groups share a name.",
               "Only user groups can be joined; system groups (Status, Operating system, Transport, ...) are assigned "
               "by the server and are accepted here only when the station already belongs to them. V(Everyone) "
               "contains every station and is never listed.",
               "References that are already memberships of the station cost no request; other ids are checked in one "
               "C(groups/info.ds) call, and names need one walk of the group tree (C(groups/list.ds) per level)."),
          returns=dict(description=["Ids of every group the station belongs to (primary, user, tariff and the system "
                                    "groups the server lists), sorted.",
                                    "V(Everyone) is implicit and not listed.",
                                    "V(null) when the task did not read the membership (none of O(groups), "
                                    "O(parent_group), O(rate) set)."], type="list", elements="str")),
    Field("purge_groups", dict(type="bool", default=False), "control",
          doc=("With V(false), groups in O(groups) are added and other memberships are kept.",
               "With V(true), the station leaves every other user group. It never leaves system groups, its primary "
               "group (O(parent_group) or the current one), or its tariff group (the O(rate) or any basic tariff "
               "group). Without O(groups) this option does nothing.")),
    Field("acl_priority", dict(type="str", choices=["allow", "deny"]), "acl_priority", add="acl-priority",
          change="acl-priority", model="acl",
          doc=("Which list wins for an address found in both O(acl_allow) and O(acl_disallow), or in neither.",),
          returns=dict(description="V(allow) or V(deny).", type="str", sample="allow")),
    Field("acl_allow", dict(type="list", elements="str"), "acl", add="acl-allow", change="acl-allow", model="acl",
          max_length=ACL_LENGTH,
          doc=("Addresses the station may connect from, each as C([protocol/]address[/mask]).",
               "The address is an IPv4 or IPv6 address or a DNS name; the mask is a prefix length (V(24)) or, for "
               "IPv4, a dotted mask (V(255.255.255.0)). Without a mask the entry is one host (V(/32) for IPv4 and "
               "names, V(/128) for IPv6).",
               "The protocol is optional; only the TCP/IP family (spelled V(tcp), V(TCP/IP), V(ipv4), V(ipv6), ...) "
               "is accepted.",
               "Entries are compared in canonical form, so V(10.0.0.1), V(10.0.0.1/32), V(tcp/10.0.0.1) and "
               "V(10.0.0.1/255.255.255.255) are the same entry."),
          returns=dict(description="Allowed addresses in canonical form C(address/prefix), sorted.", type="list",
                       elements="str", sample=["10.20.0.0/16", "2001:db8:10::/48"])),
    Field("acl_disallow", dict(type="list", elements="str"), "acl", add="acl-disallow", change="acl-disallow", model="acl",
          max_length=ACL_LENGTH,
          doc=("Addresses the station may not connect from, in the form of O(acl_allow).",),
          returns=dict(description="Denied addresses in canonical form, sorted.", type="list", elements="str", sample=[])),
    Field("purge_acl", dict(type="bool", default=False), "control",
          doc=("With V(false), entries of O(acl_allow) and O(acl_disallow) are added and other entries are kept.",
               "With V(true), each of the two lists that is set becomes exactly the given entries. A list that is not "
               "set is left alone; set it to V([]) to empty it.",
               "Entries are deleted with the mask exactly as the server reports it, as the API requires.")),
)


def _option_spec(field):
    spec = dict(field.spec)
    if field.max_length and Text is not None:
        # A text option, or a list of them: its values are checked before anything is sent.
        key = "elements" if spec.get("type") == "list" else "type"
        spec[key] = Text(field.max_length, field.multiline)
    return spec


def argument_spec(fields=FIELDS):
    """The argument spec of one station, a fresh dict each call."""
    return dict((field.option, _option_spec(field)) for field in fields)


STATION_ARGUMENT_SPEC = argument_spec()
