# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Station ACL entries: `[<protocol>/]<address>[/<mask>]` (SPEC §3.2, §5 item 8).

Entries are stored normalised (canonical address, prefix length) so that
`10.0.0.1`, `tcp/10.0.0.1/32` and `10.0.0.1/255.255.255.255` are one entry. A delete
only matches when the request names the mask/prefix, as the documentation demands.
"""

import ipaddress
import re
from typing import NamedTuple

_HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*\.?$")
_PROTO = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*$")


class AclEntry(NamedTuple):
    proto: str      # "tcp" (IPv4 or DNS name) or "tcp6" (IPv6) — [emulator choice]
    address: str    # canonical IP text or lower-case DNS name
    prefix: int

    @property
    def family(self):
        return 6 if self.proto == "tcp6" else 4

    @property
    def net_mask(self):
        """IPv4 masks in dotted form (as the docs' default `255.255.255.255`), IPv6 as prefix."""
        if self.family == 6:
            return str(self.prefix)
        return str(ipaddress.IPv4Network("0.0.0.0/%d" % self.prefix).netmask)

    @property
    def key(self):
        return (self.family, self.address, self.prefix)

    def spec(self):
        return "%s/%s/%d" % (self.proto, self.address, self.prefix)


class AclSpec(NamedTuple):
    entry: AclEntry
    explicit_mask: bool


def _prefix_from_mask(token, family):
    limit = 128 if family == 6 else 32
    if token.isdigit():
        prefix = int(token)
        if prefix > limit:
            raise ValueError("prefix /%s is too long" % token)
        return prefix
    if family == 6:
        raise ValueError("an IPv6 entry needs a prefix length, not %r" % token)
    try:
        return ipaddress.IPv4Network("0.0.0.0/" + token).prefixlen
    except ValueError:
        raise ValueError("%r is not a contiguous network mask" % token) from None


def parse(spec):
    """Parse one ACL spec; raises ValueError with a reason."""
    text = (spec or "").strip()
    if not text:
        raise ValueError("empty address")
    # `TCP/IP` is the documented name of the default protocol and contains a slash.
    if text.upper().startswith("TCP/IP/"):
        text = "tcp/" + text[7:]
    parts = text.split("/")
    proto = mask = None
    if len(parts) == 3:
        proto, address, mask = parts
    elif len(parts) == 2:
        # `a/b` is address/mask when `a` is an address, else protocol/address.
        if _is_address(parts[0]):
            address, mask = parts
        else:
            proto, address = parts
    elif len(parts) == 1:
        address = parts[0]
    else:
        raise ValueError("too many '/' in %r" % spec)
    if proto is not None and not _PROTO.match(proto):
        raise ValueError("bad protocol %r" % proto)
    address = address.strip()
    try:
        ip = ipaddress.ip_address(address)
        family = ip.version
        canonical = str(ip)
    except ValueError:
        if not _HOSTNAME.match(address) or address.replace(".", "").isdigit():
            raise ValueError("%r is neither an IP address nor a DNS name" % address) from None
        family = 4
        canonical = address.lower().rstrip(".")
    prefix = (128 if family == 6 else 32) if mask is None else _prefix_from_mask(mask.strip(), family)
    entry = AclEntry("tcp6" if family == 6 else "tcp", canonical, prefix)
    return AclSpec(entry, mask is not None)


def _is_address(token):
    try:
        ipaddress.ip_address(token)
        return True
    except ValueError:
        return bool(_HOSTNAME.match(token)) and "." in token


def add(entries, entry):
    if all(e.key != entry.key for e in entries):
        entries.append(entry)


def delete(entries, spec):
    """Remove the entry a delete spec names; without an explicit mask nothing matches."""
    if not spec.explicit_mask:
        return
    entries[:] = [e for e in entries if e.key != spec.entry.key]
