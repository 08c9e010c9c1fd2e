# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""groups/* documents: list, info, components, stations-list, add/change/delete results."""

from . import common
from .stations import list_row_json, list_row_xml
from ..constants import STATION_TYPES
from ..xmlout import element, sub


def group_list(ctx, groups):
    store = ctx.store
    rows = [(g, len(store.children(g.id)), store.group_station_count(g.id)) for g in groups]
    if ctx.xml:
        root = element("groups", [("total", len(rows))])
        for g, kids, count in rows:
            sub(root, "group", (("id", g.id), ("name", g.name), ("child_groups", kids),
                                ("stations", count), ("type", g.type)))
        return [root]
    return {"groups": {"total": len(rows), "list": [
        {"id": g.id, "name": g.name, "child_groups": kids, "stations": count, "type": g.type}
        for g, kids, count in rows]}}


def _settings(ctx, group, attr):
    values, source = ctx.store.inheritance(group, attr)
    if attr == "components" and not ctx.store.has_windows_stations(group.id):
        # "If a group contains stations running Windows, the response will include a list
        # of components ... Otherwise, the list will be empty." (groups/components docs)
        values = []
    return values, common.inherited_attrs(source, group.id)


def _parent_fields(ctx, group):
    parent = ctx.store.group(group.parent_id) if group.parent_id else None
    if parent is None:
        return "", "", ""
    return parent.id, parent.name, parent.type


def group_info(ctx, groups, flags):
    if ctx.xml:
        root = element("groups", [("total", len(groups))])
        root.extend(_info_xml(ctx, g, flags) for g in groups)
        return [root]
    # [emulator choice] the 13.x JSON is not documented; the `data{total, list}` shape of
    # the other per-id info scripts (stations/info, groups/components).
    return {"total": len(groups), "list": [_info_json(ctx, g, flags) for g in groups]}


def _info_xml(ctx, group, flags):
    parent_id, parent_name, parent_type = _parent_fields(ctx, group)
    node = element("group", (
        ("id", group.id), ("name", group.name), ("description", group.description),
        ("created", group.created_time), ("modified", group.modified_time), ("parent_id", parent_id),
        ("parent_name", parent_name), ("parent_type", parent_type), ("type", group.type),
    ))
    if "keys" in flags:
        node.append(common.keys_xml(*_settings(ctx, group, "keys")))
    node.append(common.packages_xml(common.package_list(ctx, "group-id=%s" % group.id)))
    if "rights" in flags:
        node.append(common.rights_xml(*_settings(ctx, group, "rights")))
    if "components" in flags:
        node.append(common.components_xml(*_settings(ctx, group, "components")))
    sub(node, "child-groups", body=len(ctx.store.children(group.id)))
    sub(node, "stations", body=ctx.store.group_station_count(group.id))
    return node


def _info_json(ctx, group, flags):
    parent_id, parent_name, parent_type = _parent_fields(ctx, group)
    data = common.drop_empty({
        "id": group.id, "name": group.name, "description": group.description,
        "created_time": group.created_time, "modified_time": group.modified_time,
        "parent_id": parent_id, "parent_name": parent_name,
        "parent_type": str(parent_type), "type": group.type,
        "child_groups": len(ctx.store.children(group.id)),
        "stations": ctx.store.group_station_count(group.id),
        "packages": common.package_list(ctx, "group-id=%s" % group.id),
    })
    if "keys" in flags:
        data["keys"] = common.keys_json(*_settings(ctx, group, "keys"))
    if "rights" in flags:
        data["permissions"] = common.rights_json(*_settings(ctx, group, "rights"))
    if "components" in flags:
        data["components"] = common.components_json(*_settings(ctx, group, "components"))
    return data


def components(ctx, groups):
    rows = [(g,) + _settings(ctx, g, "components") for g in groups]
    if ctx.xml:
        root = element("groups", [("total", len(rows))])
        for group, comps, inherited in rows:
            node = sub(root, "group", [("id", group.id)])
            node.append(common.components_xml(comps, inherited))
        return [root]
    items = []
    for group, comps, inherited in rows:
        block = common.inherited_json(inherited, None)
        del block["list"]
        block["group_id"] = group.id
        block["components"] = [common.component_json(c) for c in comps]
        items.append(block)
    return {"total": len(items), "list": items}


def stations_list(ctx, page_stations, total, pages, with_type):
    pages_total, current, per_page = pages
    if ctx.xml:
        root = element("stations", [("total", total)])
        root.extend(list_row_xml(ctx, st, with_type) for st in page_stations)
        return [root, element("pages", (("total", pages_total), ("current", current),
                                        ("objects-per-page", per_page)))]
    return {
        "stations": {"total": total, "list": [list_row_json(ctx, st, with_type) for st in page_stations]},
        "pages": {"total": pages_total, "current": current, "objects_per_page": per_page},
    }


def stations_list_by_type(ctx, all_stations, page_stations, pages):
    """The variant a real mid-2024 13.0.1 server sent (SPEC §3.12): one `<stations type>`
    block per station type, fewer attributes, one `<pages>`. XML only."""
    pages_total, current, per_page = pages
    out = []
    for code, name in sorted(STATION_TYPES.items()):
        rows = [st for st in page_stations if st.station_type == code]
        if not rows:
            continue
        block = element("stations", (("type", name),
                                     ("total", sum(1 for st in all_stations if st.station_type == code))))
        for st in rows:
            sub(block, "station", (("id", st.id), ("name", st.name), ("last_seen_addr", st.last_seen_addr),
                                   ("last_seen_time", st.last_seen_time), ("os", st.os_code),
                                   ("os_name", st.os_name)))
        out.append(block)
    out.append(element("pages", (("total", pages_total), ("current", current), ("objects-per-page", per_page))))
    return out


def group_id(ctx, gid):
    if ctx.xml:
        return [element("group", [("id", gid)])]
    return {"id": gid}


def deleted(ctx, ids):
    if ctx.xml:
        root = element("groups", [("total", len(ids))])
        for gid in ids:
            sub(root, "group", [("id", gid)])
        return [root]
    return {"groups": {"total": len(ids), "list": [{"id": gid} for gid in ids]}}
