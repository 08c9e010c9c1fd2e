# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Blocks shared by stations and groups: inherited settings, ACL, packages."""

from ..xmlout import element, sub


def drop_empty(data):
    """13.0.1 JSON omits empty string fields of an object (SPEC §2.2)."""
    return {k: v for k, v in data.items() if v != ""}


def inherited_attrs(source, owner_id):
    """(inherited, group id, group name); the source is None when the owner set them itself."""
    if source is None or source.id == owner_id:
        return False, "", ""
    return True, source.id, source.name


def inherited_xml(tag, inherited, with_total=None):
    flag, gid, name = inherited
    attrs = [] if with_total is None else [("total", with_total)]
    attrs += [("inherited", flag), ("inherited_group_id", gid), ("inherited_group_name", name)]
    return element(tag, attrs)


def inherited_json(inherited, items):
    flag, gid, name = inherited
    block = {"inherited": flag, "list": items}
    if flag:
        # Absent, not empty, when not inherited (13.x JSON descriptions).
        block["inherited_group_id"] = gid
        block["inherited_group_name"] = name
    return block


def keys_xml(keys, inherited):
    node = inherited_xml("keys", inherited)
    for key in keys:
        sub(node, "key", [("id", key)])
    return node


def keys_json(keys, inherited):
    return inherited_json(inherited, [str(k) for k in keys])


def rights_xml(rights, inherited):
    node = inherited_xml("rights", inherited)
    for right in rights:
        sub(node, "right", [("code", right["code"]), ("name", right["name"]), ("value", right["value"])])
    return node


def rights_json(rights, inherited):
    return inherited_json(inherited, [{"name": r["name"], "right": r["code"], "value": r["value"]}
                                      for r in rights])


def component_xml(parent, comp):
    sub(parent, "component", [("code", comp["code"]), ("name", comp["name"]), ("status", comp["status"])])


def component_json(comp):
    return {"code": comp["code"], "name": comp["name"], "status": comp["status"]}


def components_xml(components, inherited):
    node = inherited_xml("components", inherited, with_total=len(components))
    for comp in components:
        component_xml(node, comp)
    return node


def components_json(components, inherited):
    return inherited_json(inherited, [component_json(c) for c in components])


def package_list(ctx, query):
    return [{"arch": "all", "os": "windows",
             "url": "%s/download/download.ds?os=windows&%s" % (ctx.base_url, query)}]


def packages_xml(packages):
    node = element("packages")
    for pkg in packages:
        sub(node, "package", [("arch", pkg["arch"]), ("os", pkg["os"]), ("url", pkg["url"])])
    return node


def acl_xml(station):
    node = element("acl", [("priority", station.acl_priority)])
    for tag, entries in (("allowed", station.acl_allowed), ("disallowed", station.acl_disallowed)):
        block = sub(node, tag)
        for entry in entries:
            sub(block, "address", [("net_proto", entry.proto), ("net_mask", entry.net_mask)], entry.address)
    return node


def acl_json(station):
    return {
        "priority": station.acl_priority,
        "allowed": [{"net_address": e.address, "net_mask": e.net_mask} for e in station.acl_allowed],
        "disallowed": [{"net_address": e.address, "net_mask": e.net_mask} for e in station.acl_disallowed],
    }


def coordinate(value):
    """[emulator choice] SPEC §5 item 16: degrees scaled by 1e6, as an integer."""
    return int(round(float(value or 0) * 1e6))
