# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""stations/* documents: info, products, add/change, delete, state, newbies-info, restore, states."""

from . import common
from .. import constants
from ..timeutil import dt17
from ..xmlout import element, sub

INFO_FLAGS = ("bases", "components", "group-membership", "installed-components", "keys",
              "machines", "modules", "rights", "running-components", "station-type")

_LOCATION = ("department", "description", "country", "street", "room", "city", "floor")
_LOCATION_TAIL = ("organization", "province", "email")


def _settings(ctx, station, attr):
    own = getattr(station, attr)
    if own is not None:
        values, inherited = own, (False, "", "")
    else:
        parent = ctx.store.group(station.parent_id)
        values, source = ctx.store.inheritance(parent, attr)
        inherited = common.inherited_attrs(source, None)
    if attr == "components" and constants.os_family(station.os_code) != "windows":
        # The components to install are Windows components: the 13.0.1 sample's Linux
        # station lists none although its group defines them.
        values = []
    return values, inherited


def _parent(ctx, station):
    return ctx.store.group(station.parent_id)


def _memberships(ctx, station):
    groups = [ctx.store.group(gid) for gid in station.groups]
    return [g for g in groups if g is not None] + ctx.store.automatic_groups(station)


def _peers(ctx, station):
    return [p for p in (ctx.store.station(pid) for pid in station.linked_stations) if p is not None]


def _packages(ctx, station):
    return common.package_list(ctx, "id=%s" % station.id)


def _config_url(ctx, station):
    return "%s/d/c.ds?c=%s" % (ctx.base_url, station.id)


# ---------------------------------------------------------------------------- info
def info(ctx, stations, flags):
    if ctx.xml:
        root = element("stations", [("total", len(stations))])
        root.extend(_info_xml(ctx, s, flags) for s in stations)
        return [root]
    return {"total": len(stations), "list": [_info_json(ctx, s, flags) for s in stations]}


def _info_xml(ctx, st, flags):
    parent = _parent(ctx, st)
    node = element("station", (
        ("id", st.id), ("name", st.name), ("created", int(st.created_time)),
        ("modified", st.modified_time), ("parent_id", parent.id), ("parent_name", parent.name),
        ("parent_type", parent.type), ("password", st.password), ("state", st.state),
    ))
    blocking = sub(node, "blocking")
    sub(blocking, "begin", body=st.block_begin)
    sub(blocking, "end", body=st.block_end)
    sub(node, "lastseenat", body=st.last_seen_time)
    sub(node, "lastseenfrom", body=st.last_seen_addr)
    local = not st.remote
    if local:
        sub(node, "os", [("code", st.os_code)], st.os_name)
    for name in _LOCATION:
        sub(node, name, body=getattr(st, name))
    sub(node, "longitude", body=common.coordinate(st.longitude))
    sub(node, "latitude", body=common.coordinate(st.latitude))
    for name in _LOCATION_TAIL:
        sub(node, name, body=getattr(st, name))
    if local:
        conn = sub(node, "connection", [("port", ctx.config.public_port), ("server", ctx.server_name)])
        sub(conn, "public_key", [("url", ctx.base_url + "/install/drwcsd.pub"), ("uuid", ctx.public_key_id)],
            ctx.public_key_file)
        node.append(common.packages_xml(_packages(ctx, st)))
        sub(node, "config", body=_config_url(ctx, st))
    if "modules" in flags and local:
        block = sub(node, "modules", [("total", len(st.modules))])
        for m in st.modules:
            sub(block, "module", (
                ("name", m.get("file_name", "")), ("version", m.get("version", "")),
                ("created", m.get("created_time", 0)), ("modified", m.get("modified_time", 0)),
                ("hash", m.get("hash", "")), ("file_size", m.get("file_size", 0)),
                ("file_owner", m.get("file_owner", "")), ("description", m.get("description", "")),
            ))
    if "machines" in flags:
        block = sub(node, "machines", [("total", len(st.machines))])
        for m in st.machines:
            sub(block, "machine", (
                ("machine_id", m.get("machine_id", "")), ("mac", m.get("machine_mac", "")),
                ("machine_name", m.get("machine_name", "")), ("logged_time", m.get("logged_time", "0")),
                ("logged_address", m.get("logged_address", "")),
            ))
    if "bases" in flags and local:
        block = sub(node, "bases", [("total", len(st.bases))])
        for b in st.bases:
            sub(block, "base", (("file_name", b.get("file_name", "")), ("version", b.get("version", "")),
                                ("created", b.get("created_time", 0)), ("viruses", b.get("viruses", 0))))
    if "keys" in flags:
        keys, inherited = _settings(ctx, st, "keys")
        node.append(common.keys_xml(keys, inherited))
    if "installed-components" in flags and local:
        block = sub(node, "installed-components", [("total", len(st.installed_components))])
        for c in st.installed_components:
            sub(block, "component", (("code", c.get("code", 0)), ("name", c.get("name", "")),
                                     ("installed", c.get("installed_time", 0)), ("path", c.get("path", "")),
                                     ("server", c.get("server", ""))))
    if "running-components" in flags and local:
        block = sub(node, "running-components", [("total", len(st.running_components))])
        for c in st.running_components:
            sub(block, "component", (("code", c.get("code", 0)), ("name", c.get("name", "")),
                                     ("params", c.get("params", "")), ("started", c.get("started_time", 0)),
                                     ("type", c.get("type", 8)), ("user", c.get("user", ""))))
    if "rights" in flags and local:
        rights, inherited = _settings(ctx, st, "rights")
        node.append(common.rights_xml(rights, inherited))
    if "components" in flags and local:
        comps, inherited = _settings(ctx, st, "components")
        node.append(common.components_xml(comps, inherited))
    if "group-membership" in flags and local:
        groups = _memberships(ctx, st)
        block = sub(node, "group-membership", [("total", len(groups))])
        for g in groups:
            sub(block, "group", (("id", g.id), ("name", g.name), ("type", g.type)))
    if "station-type" in flags:
        block = sub(node, "station_type_info", [("station_type", st.station_type)])
        for peer in _peers(ctx, st):
            sub(block, "station", (("station_type", peer.station_type), ("addr", peer.last_seen_addr),
                                   ("id", peer.id), ("name", peer.name)))
    node.append(common.acl_xml(st))
    return node


def _info_json(ctx, st, flags):
    parent = _parent(ctx, st)
    local = not st.remote
    data = {
        "id": st.id, "name": st.name, "created_time": int(st.created_time),
        "modified_time": st.modified_time, "parent_id": parent.id, "parent_name": parent.name,
        # A string in the 13.0.1 sample, unlike every other number (SPEC §2.3).
        "parent_type": str(parent.type), "password": st.password, "state": st.state,
        "block_begin_time": st.block_begin, "block_end_time": st.block_end,
        "last_seen_time": st.last_seen_time, "last_seen_addr": st.last_seen_addr,
        "longitude": common.coordinate(st.longitude), "latitude": common.coordinate(st.latitude),
        "acl": common.acl_json(st),
    }
    for name in _LOCATION + _LOCATION_TAIL:
        data[name] = getattr(st, name)
    if local:
        data["os_code"] = st.os_code
        data["os_name"] = st.os_name
        data["connection"] = {
            "port": ctx.config.public_port, "server": ctx.server_name,
            "public_key": {"file": ctx.public_key_file, "id": ctx.public_key_id,
                           "url": ctx.base_url + "/install/drwcsd.pub"},
        }
        data["packages"] = _packages(ctx, st)
        data["config_url"] = _config_url(ctx, st)
    if "modules" in flags and local:
        data["modules"] = [{
            "file_name": m.get("file_name", ""), "version": m.get("version", ""),
            "created_time": m.get("created_time", 0), "modified_time": m.get("modified_time", 0),
            "hash": m.get("hash", ""), "file_size": m.get("file_size", 0),
            "file_owner": m.get("file_owner", ""), "description": m.get("description", ""),
        } for m in st.modules]
    if "machines" in flags:
        data["machines"] = [{
            "machine_id": m.get("machine_id", ""), "machine_mac": m.get("machine_mac", ""),
            "machine_name": m.get("machine_name", ""), "logged_time": str(m.get("logged_time", "0")),
            "logged_address": m.get("logged_address", ""),
        } for m in st.machines]
    if "bases" in flags and local:
        data["bases"] = [{"file_name": b.get("file_name", ""), "version": b.get("version", ""),
                          "created_time": b.get("created_time", 0), "viruses": b.get("viruses", 0)}
                         for b in st.bases]
    if "keys" in flags:
        keys, inherited = _settings(ctx, st, "keys")
        data["keys"] = common.keys_json(keys, inherited)
    if "installed-components" in flags and local:
        data["installed_components"] = [{
            "code": c.get("code", 0), "name": c.get("name", ""), "installed_time": c.get("installed_time", 0),
            "path": c.get("path", ""), "server": c.get("server", ""),
        } for c in st.installed_components]
    if "running-components" in flags and local:
        data["running_components"] = [{
            "code": c.get("code", 0), "name": c.get("name", ""), "params": c.get("params", ""),
            "pid": c.get("pid", 0), "started_time": c.get("started_time", 0), "type": c.get("type", 8),
            "user": c.get("user", ""),
        } for c in st.running_components]
    if "rights" in flags and local:
        rights, inherited = _settings(ctx, st, "rights")
        data["permissions"] = common.rights_json(rights, inherited)
    if "components" in flags and local:
        comps, inherited = _settings(ctx, st, "components")
        data["components"] = common.components_json(comps, inherited)
    if "group-membership" in flags and local:
        data["group_membership"] = [{"id": g.id, "name": g.name, "type": g.type}
                                    for g in _memberships(ctx, st)]
    if "station-type" in flags:
        data["station_type_info"] = {
            "station_type": st.station_type,
            "list": [{"addr": p.last_seen_addr, "id": p.id, "name": p.name, "station_type": p.station_type}
                     for p in _peers(ctx, st)],
        }
    return common.drop_empty(data)


# ---------------------------------------------------------------------------- small results
def station_id(ctx, station_id_value):
    if ctx.xml:
        return [element("station", [("id", station_id_value)])]
    return {"id": station_id_value}


def deleted(ctx, ids):
    if ctx.xml:
        root = element("stations", [("total", len(ids))])
        for sid in ids:
            sub(root, "station", [("id", sid)])
        return [root]
    return {"stations": {"total": len(ids), "list": [{"id": sid} for sid in ids]}}


def states(ctx, pairs):
    if ctx.xml:
        root = element("states")
        for sid, state in pairs:
            sub(root, "state", [("id", sid)], state)
        return [root]
    return {"states": dict(pairs)}


def restored(ctx, success, fail):
    if ctx.xml:
        out = []
        for tag, ids in (("success", success), ("fail", fail)):
            node = element(tag, [("total", len(ids))])
            for sid in ids:
                sub(node, "station", body=sid)
            out.append(node)
        return out
    return {"success": {"total": len(success), "list": list(success)},
            "fail": {"total": len(fail), "list": list(fail)}}


def newbies_info(ctx, stations):
    if ctx.xml:
        root = element("stations", [("total", len(stations))])
        for st in stations:
            parent = _parent(ctx, st)
            node = sub(root, "station", (("id", st.id), ("name", st.name), ("created", int(st.created_time)),
                                         ("parent_id", parent.id), ("parent_name", parent.name),
                                         ("state", st.state)))
            sub(node, "os", [("code", st.os_code)], st.os_name)
            sub(node, "server", body=ctx.config.server_uuid)
            sub(node, "address", body=st.last_seen_addr)
        return [root]
    items = []
    for st in stations:
        parent = _parent(ctx, st)
        items.append(common.drop_empty({
            "id": st.id, "name": st.name, "created_time": int(st.created_time), "parent_id": parent.id,
            "parent_name": parent.name, "state": st.state, "os_code": st.os_code, "os_name": st.os_name,
            "server": ctx.config.server_uuid, "address": st.last_seen_addr,
        }))
    return {"total": len(items), "list": items}


# ---------------------------------------------------------------------------- products
_PRODUCT_ATTRS = ("code", "modified_time", "revision", "state_code", "state")


def products(ctx, stations):
    """SPEC 3.9: `<stations><station id><products total><product code modified_time revision state_code
    state>name</product>`. The JSON form is not documented; [emulator choice] `data{total, list:[{id,
    products:[...]}]}`, the shape of the other per-station answers (info, geo)."""
    if ctx.xml:
        root = element("stations", [("total", len(stations))])
        for st in stations:
            node = sub(root, "station", [("id", st.id)])
            block = sub(node, "products", [("total", len(st.products))])
            for product in st.products:
                sub(block, "product", [(name, product[name]) for name in _PRODUCT_ATTRS], product["name"])
        return [root]
    return {"total": len(stations), "list": [
        {"id": st.id, "products": [dict(p) for p in st.products]} for st in stations]}


# ---------------------------------------------------------------------------- listings
def list_row_xml(ctx, st, with_type):
    node = element("station", (
        ("id", st.id), ("name", st.name), ("last_seen_time", st.last_seen_time),
        ("last_seen_addr", st.last_seen_addr), ("state", st.state), ("os", st.os_code),
        ("os_name", st.os_name), ("login_addr", st.login_addr), ("login_mac", st.login_mac),
        ("expires", dt17(st.expires)), ("createtime", dt17(st.created_time)),
        ("blockbeg", dt17(st.block_begin)), ("blockend", dt17(st.block_end)),
    ))
    if with_type:
        info = sub(node, "station_type_info", [("station_type", st.station_type)])
        for peer in _peers(ctx, st):
            sub(info, "station", (("id", peer.id), ("name", peer.name), ("station_type", peer.station_type)))
    return node


def list_row_json(ctx, st, with_type):
    row = common.drop_empty({
        "id": st.id, "name": st.name, "last_seen_time": st.last_seen_time,
        "last_seen_addr": st.last_seen_addr, "state": st.state, "os_code": st.os_code,
        "os_name": st.os_name, "login_addr": st.login_addr, "login_mac": st.login_mac,
        # DT17 values are 17-digit numbers in JSON (SPEC §2.3).
        "expires": int(dt17(st.expires)), "createtime": int(dt17(st.created_time)),
        "blockbeg": int(dt17(st.block_begin)), "blockend": int(dt17(st.block_end)),
    })
    if with_type:
        row["station_type_info"] = {
            "station_type": st.station_type,
            "list": [{"id": p.id, "name": p.name, "station_type": p.station_type} for p in _peers(ctx, st)],
        }
    return row


def state_counters(ctx, counts, total):
    if ctx.xml:
        root = element("stations", [("total", total)])
        for name, value in counts:
            sub(root, name, [("total", value)])
        return [root]
    data = {"total": total}
    for name, value in counts:
        data[name] = {"total": value}
    return {"stations": data}


def stations_by_state(ctx, state, stations):
    """The 4.1.3 "stations by state" list, kept as an extension (SPEC §3.7)."""
    if ctx.xml:
        root = element("stations")
        block = sub(root, state, [("total", len(stations))])
        for st in stations:
            sub(block, "station", (("id", st.id), ("name", st.name), ("last_seen_time", st.last_seen_time),
                                   ("last_seen_addr", st.last_seen_addr), ("onconnect", st.onconnect),
                                   ("state", st.state)))
        return [root]
    return {"stations": {state: {"total": len(stations), "list": [common.drop_empty({
        "id": st.id, "name": st.name, "last_seen_time": st.last_seen_time,
        "last_seen_addr": st.last_seen_addr, "onconnect": st.onconnect, "state": st.state})
        for st in stations]}}}
