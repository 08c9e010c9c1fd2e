# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Option validation and normalisation of drweb_station (no server involved)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import pytest

from ansible_collections.drweb.esuite.plugins.module_utils import _station as st
from ansible_collections.drweb.esuite.plugins.module_utils._diff import coordinate_equal, date_equal
from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebError


def opts(**kwargs):
    params = {"id": "ws-1", "state": "present", "update_password": "always",
              "update_write_only": "on_create", "purge_groups": False, "purge_acl": False}
    params.update(kwargs)
    return params


# ---------------------------------------------------------------- ACL entries

@pytest.mark.parametrize("spec", [
    "10.0.0.1", "10.0.0.1/32", "10.0.0.1/255.255.255.255", " 10.0.0.1 ", "tcp/10.0.0.1",
    "TCP/IP/10.0.0.1", "tcp/10.0.0.1/32", "TCP/10.0.0.1/255.255.255.255", "ipv4/10.0.0.1",
])
def test_ipv4_host_forms_are_one_entry(spec):
    assert st.parse_acl(spec).key == "10.0.0.1/32"


@pytest.mark.parametrize("spec, key", [
    ("10.20.0.0/16", "10.20.0.0/16"),
    ("10.20.0.0/255.255.0.0", "10.20.0.0/16"),
    ("TCP/IP/10.20.0.0/255.255.0.0", "10.20.0.0/16"),
    ("0.0.0.0/0", "0.0.0.0/0"),
    ("0.0.0.0/0.0.0.0", "0.0.0.0/0"),
    # Host bits are kept: the server matches deletes against the entry as stored.
    ("10.20.0.1/16", "10.20.0.1/16"),
])
def test_ipv4_networks_with_prefix_or_dotted_mask(spec, key):
    assert st.parse_acl(spec).key == key


@pytest.mark.parametrize("spec, key", [
    ("2001:DB8::1", "2001:db8::1/128"),
    ("2001:0db8:0000:0000:0000:0000:0000:0001/128", "2001:db8::1/128"),
    ("ipv6/2001:db8::/32", "2001:db8::/32"),
    ("tcp6/2001:db8::/32", "2001:db8::/32"),
    ("[2001:db8::1]/64", "2001:db8::1/64"),
    ("::1", "::1/128"),
])
def test_ipv6_entries_are_compressed_lower_case_with_default_128(spec, key):
    assert st.parse_acl(spec).key == key


@pytest.mark.parametrize("spec, key", [
    ("Host.Example.COM", "host.example.com/32"),
    ("host.example.com.", "host.example.com/32"),
    ("tcp/host.example.com/24", "host.example.com/24"),
    ("fileserver/32", "fileserver/32"),
    ("fileserver", "fileserver/32"),
])
def test_dns_names_are_lower_case_with_default_host_mask(spec, key):
    assert st.parse_acl(spec).key == key


@pytest.mark.parametrize("spec, reason", [
    ("", "empty"),
    ("udp/10.0.0.1", "protocol 'udp' is not supported"),
    ("ipx/10.0.0.1/32", "protocol 'ipx' is not supported"),
    ("10.0.0.256", "is not an IPv4 or IPv6 address or a DNS name"),
    ("10.0.0", "is not an IPv4 or IPv6 address or a DNS name"),
    ("10.0.0.1/33", "is not a prefix length (0-32)"),
    ("10.0.0.1/255.0.255.0", "dotted IPv4 mask"),
    ("2001:db8::/129", "0-128"),
    ("2001:db8::/ffff:ffff::", "IPv6 takes a prefix length"),
    ("host..example.com", "is not an IPv4 or IPv6 address or a DNS name"),
    ("-bad-.example.com", "is not an IPv4 or IPv6 address or a DNS name"),
    ("a/b/c/d", "more than protocol, address and mask"),
    ("fe80::1%eth0", "is not an IPv4 or IPv6 address"),
])
def test_bad_acl_specs_say_why(spec, reason):
    with pytest.raises(ValueError) as exc:
        st.parse_acl(spec)
    assert reason in str(exc.value)


def test_server_entries_keep_unknown_protocols_distinct_and_never_fail():
    key, delete = st.acl_from_model({"net_proto": "udp", "net_address": "10.0.0.1", "net_mask": None})
    assert key == "udp/10.0.0.1/32"
    assert delete == "udp/10.0.0.1/32"
    key, delete = st.acl_from_model({"net_proto": None, "net_address": "###", "net_mask": "x"})
    assert (key, delete) == ("###/x", "###/x")


@pytest.mark.parametrize("entry, key, delete", [
    # The delete spec carries the mask in the form the server reported it.
    ({"net_proto": "tcp", "net_address": "10.0.0.1", "net_mask": "255.255.255.255"}, "10.0.0.1/32", "10.0.0.1/255.255.255.255"),
    ({"net_proto": None, "net_address": "10.20.0.0", "net_mask": "16"}, "10.20.0.0/16", "10.20.0.0/16"),
    ({"net_proto": "tcp6", "net_address": "2001:db8::", "net_mask": "32"}, "2001:db8::/32", "2001:db8::/32"),
    # No mask reported: the documented default host mask is spelled out, since a delete needs one.
    ({"net_address": "10.0.0.9"}, "10.0.0.9/32", "10.0.0.9/32"),
    ({"net_address": "10.20.0.0/16"}, "10.20.0.0/16", "10.20.0.0/16"),
    # One-label names get the explicit protocol so "name/mask" is not read as protocol/address.
    ({"net_proto": "tcp", "net_address": "fileserver", "net_mask": "255.255.255.255"}, "fileserver/32",
     "tcp/fileserver/255.255.255.255"),
])
def test_server_entries_map_to_canonical_key_and_delete_spec(entry, key, delete):
    assert st.acl_from_model(entry) == (key, delete)


def test_add_spec_has_explicit_prefix_and_disambiguates_one_label_names():
    assert st.acl_add_spec(st.parse_acl("10.0.0.1")) == "10.0.0.1/32"
    assert st.acl_add_spec(st.parse_acl("2001:db8::1")) == "2001:db8::1/128"
    assert st.acl_add_spec(st.parse_acl("fileserver")) == "tcp/fileserver/32"
    assert st.acl_add_spec(st.parse_acl("files.example.com")) == "files.example.com/32"


def test_acl_options_are_deduplicated_by_canonical_form():
    desired = st.normalise_options(opts(acl_allow=["10.0.0.1", "10.0.0.1/32", "10.0.0.1/255.255.255.255", "10.0.0.2"]))
    assert [e.key for e in desired["acl_allow"]] == ["10.0.0.1/32", "10.0.0.2/32"]


def test_bad_acl_option_fails_with_one_sentence_naming_option_and_entry():
    with pytest.raises(st.StationOptionError) as exc:
        st.normalise_options(opts(acl_disallow=["10.0.0.1", "10.0.0.1/40"]))
    message = str(exc.value)
    assert message.startswith("acl_disallow entry '10.0.0.1/40' is not a valid [protocol/]address[/mask]")
    assert message.endswith(".") and message.count(". ") == 0


# ---------------------------------------------------------------- dates

EPOCH_2026_12_31 = 1798675200   # 2026-12-31T00:00:00Z


@pytest.mark.parametrize("value, expected", [
    ("20261231", EPOCH_2026_12_31),
    (20261231, EPOCH_2026_12_31),
    ("20261231000000", EPOCH_2026_12_31),
    (20261231235959, EPOCH_2026_12_31 + 86399),
    ("2026-12-31", EPOCH_2026_12_31),
    ("2026-12-31T23:59:59", EPOCH_2026_12_31 + 86399),
    ("2026-12-31 23:59", EPOCH_2026_12_31 + 86340),
    ("2026-12-31T23:59:59Z", EPOCH_2026_12_31 + 86399),
    ("2026-12-31T23:59:59.750Z", EPOCH_2026_12_31 + 86399),
    ("2027-01-01T01:00:00+02:00", EPOCH_2026_12_31 + 86400 - 3600),
    ("2026-12-31T22:00:00-0200", EPOCH_2026_12_31 + 86400),
    (datetime.date(2026, 12, 31), EPOCH_2026_12_31),
    (datetime.datetime(2026, 12, 31, 12, 0, 0), EPOCH_2026_12_31 + 43200),
    (0, 0), ("0", 0), ("never", 0), ("Never", 0),
])
def test_date_forms(value, expected):
    assert st.parse_date(value, "expires") == expected


@pytest.mark.parametrize("value", ["2026-02-30", "20261340", "2026123", "31.12.2026", "tomorrow", True, 1.5,
                                   "2026-12-31T25:00:00", "2026-12-31T10:00:00+19:00", "19691231"])
def test_bad_dates_fail_with_the_accepted_forms(value):
    with pytest.raises(st.StationOptionError) as exc:
        st.parse_date(value, "block_end")
    assert str(exc.value).startswith("block_end")


def test_wire_and_display_forms_of_dates():
    assert st.wire_date(EPOCH_2026_12_31 + 86399) == "20261231235959"
    assert st.wire_date(0) == "0"
    assert st.render_date(EPOCH_2026_12_31) == "2026-12-31T00:00:00Z"
    assert st.render_date(None) is None


def test_date_comparison_with_the_read_form():
    # info.ds reports Unix seconds, 0 meaning "not set" (the parser turns 0 into None).
    assert date_equal(EPOCH_2026_12_31, EPOCH_2026_12_31)
    assert date_equal(0, None)
    assert not date_equal(EPOCH_2026_12_31, None)
    assert not date_equal(0, EPOCH_2026_12_31)


def test_block_window_must_not_be_reversed():
    with pytest.raises(st.StationOptionError) as exc:
        st.normalise_options(opts(block_begin="2026-12-31", block_end="2026-01-01"))
    assert "block_begin 2026-12-31T00:00:00Z is after block_end 2026-01-01T00:00:00Z" in str(exc.value)


def test_open_ended_block_window_is_fine():
    desired = st.normalise_options(opts(block_begin="2026-12-31", block_end="never"))
    assert desired["block_begin"] == EPOCH_2026_12_31 and desired["block_end"] == 0


# ---------------------------------------------------------------- coordinates, country, text, tariffs

@pytest.mark.parametrize("option, value", [("latitude", 90.0001), ("latitude", -91), ("longitude", 180.5),
                                           ("longitude", float("nan")), ("latitude", "north")])
def test_coordinates_out_of_range_fail(option, value):
    with pytest.raises(st.StationOptionError) as exc:
        st.normalise_options(opts(**{option: value}))
    assert str(exc.value).startswith(option)


def test_coordinates_are_rounded_and_compared_with_tolerance():
    desired = st.normalise_options(opts(latitude="38.89855649", longitude=-77.037852))
    assert desired["latitude"] == 38.898556
    assert coordinate_equal(38.898556, 38.8985564)
    assert not coordinate_equal(38.898556, 38.898558)
    assert coordinate_equal(0.0, None)
    assert st.wire_coordinate(-77.03785) == "-77.03785"
    assert st.wire_coordinate(0.0) == "0"
    assert st.wire_coordinate(-0.0000001) == "0"


@pytest.mark.parametrize("value, expected", [("de", "DE"), (" Ru ", "RU"), ("XK", "XK"), ("", "")])
def test_country_is_upper_case_iso_alpha2(value, expected):
    assert st.normalise_options(opts(country=value))["country"] == expected


@pytest.mark.parametrize("value", ["UK", "EU", "DEU", "D", "ZZ", "1A"])
def test_bad_country_codes_fail(value):
    with pytest.raises(st.StationOptionError) as exc:
        st.normalise_options(opts(country=value))
    assert "is not an ISO 3166-1 alpha-2 code" in str(exc.value)


def test_country_list_is_complete():
    # 249 officially assigned codes plus XK.
    assert len(st.COUNTRY_CODES) == 250


def test_text_is_stripped_and_empty_string_kept_to_clear_a_field():
    desired = st.normalise_options(opts(city="  Berlin ", room=""))
    assert desired["city"] == "Berlin"
    assert desired["room"] == ""
    assert "street" not in desired


@pytest.mark.parametrize("email", ["admin", "a@b@c", "@example.com", "me@", "a b@example.com"])
def test_bad_email_fails(email):
    with pytest.raises(st.StationOptionError):
        st.normalise_options(opts(email=email))


@pytest.mark.parametrize("value, tariff", [
    ("premium", "91644cc3-1dc1-42dc-a41e-5ea001f5538d"),
    ("Dr.Web Premium Server", "01fe9e60-6570-11de-b827-0002a5d5c51b"),
    ("DrWeb premium_server", "01fe9e60-6570-11de-b827-0002a5d5c51b"),
    ("Juridical DrWeb Standard", "800af701-d21d-b211-9b54-de33edc4ef1b"),
    ("Dr.Web", None),
    ("Premium Plus", None),
    ("juridical-standard", "800af701-d21d-b211-9b54-de33edc4ef1b"),
    ("FREE", "2c213cd2-eba1-4a0e-9f76-95e5e756d48c"),
    ("2888B7FF-3625-465E-BCB8-957DE17F6458", "2888b7ff-3625-465e-bcb8-957de17f6458"),
])
def test_basic_tariff_names_and_ids(value, tariff):
    tid, known = st.tariff_id(value)
    if tariff is None:
        assert not known
    else:
        assert (tid, known) == (tariff, True)


def test_other_tariffs_are_left_for_group_resolution():
    desired = st.normalise_options(opts(rate="my-tariff"))
    assert desired["rate"] == "my-tariff" and not desired["rate_known"]
    assert st.group_refs(desired) == ["my-tariff"]


# ---------------------------------------------------------------- options as a whole

def test_only_options_the_user_set_are_in_desired():
    desired = st.normalise_options(opts(city="Berlin"))
    assert set(desired) == {"id", "state", "update_password", "update_write_only", "purge_groups",
                            "purge_acl", "city"}


def test_empty_password_is_refused_because_the_server_would_generate_one():
    with pytest.raises(st.StationOptionError) as exc:
        st.normalise_options(opts(password=""))
    assert "empty password makes the server generate one" in str(exc.value)


def test_password_never_appears_in_an_error():
    with pytest.raises(st.StationOptionError) as exc:
        st.normalise_options(opts(password="S3cret!", country="ZZ"))
    assert "S3cret!" not in str(exc.value)


@pytest.mark.parametrize("params, message", [
    (dict(id=""), "id must be a non-empty station id."),
    (dict(name="  "), "name must not be empty"),
    (dict(groups=["ok", " "]), "groups entries must be non-empty"),
    (dict(parent_group=""), "parent_group entries must be non-empty"),
    (dict(rate=" "), "rate must be a tariff group id or a basic tariff name"),
])
def test_empty_values_fail(params, message):
    with pytest.raises(st.StationOptionError) as exc:
        st.normalise_options(opts(**params))
    assert message in str(exc.value)


def test_option_errors_are_drweb_errors():
    # So DrWebModule.fail_from turns them into one-sentence failures.
    assert issubclass(st.StationOptionError, DrWebError)


def test_absent_ignores_the_other_options():
    desired = st.normalise_options(opts(state="absent", country="ZZ"))
    assert desired["state"] == "absent" and "country" not in desired


@pytest.mark.parametrize("params, flags", [
    (dict(city="Berlin"), ()),
    (dict(groups=["a"]), ("group_membership",)),
    (dict(parent_group="a"), ("group_membership",)),
    (dict(rate="free"), ("group_membership",)),
    (dict(acl_allow=["10.0.0.1"], password="x"), ()),
])
def test_include_flags_only_what_the_task_needs(params, flags):
    assert st.include_flags(st.normalise_options(opts(**params))) == flags


def test_group_refs_deduplicate_and_skip_basic_tariffs():
    desired = st.normalise_options(opts(parent_group="Sales", groups=["Sales", "g-2", " g-2 "], rate="free"))
    assert st.group_refs(desired) == ["Sales", "g-2"]
