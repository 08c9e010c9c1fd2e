# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulated server's state: groups, stations, repositories, update progress.

One re-entrant lock guards everything. The HTTP layer holds it for the whole of a
request's handler (validation, change and rendering), so concurrent clients see
each request as atomic and no update is lost.
"""

import threading
import time

from . import constants, model
from .constants import UPDATE_NOT_FOUND, UPDATE_OK, UPDATE_SOURCE
from .errors import group_not_found, station_not_found
from .persist import atomic_write_json
from .timeutil import revision_stamp


class Store:
    def __init__(self, document, update_duration=2.0, state_path=None, clock=time.time):
        self.lock = threading.RLock()
        self.update_duration = float(update_duration)
        self.state_path = state_path
        self.clock = clock
        self.dirty = False
        self.load(document)

    # ------------------------------------------------------------------ loading
    def load(self, document):
        with self.lock:
            self.groups = {}
            self.stations = {}
            self.repositories = {}
            self._members = {}
            for gid, name, gtype, parent, rule in constants.SYSTEM_GROUPS:
                self.groups[gid] = model.Group(gid, name, gtype, parent, rule=rule)
            if document.get("tariff_groups", True):
                for gid, name in constants.TARIFF_GROUPS:
                    self.groups[gid] = model.Group(gid, name, 0, None, tariff=True)
            for data in document.get("groups") or ():
                self._load_group(data)
            everyone = self.groups[constants.EVERYONE]
            for attr in ("components", "keys", "rights"):
                if getattr(everyone, attr) is None:
                    setattr(everyone, attr, [])
            for data in document.get("stations") or ():
                self.insert_station(model.station_from_dict(data))
            for data in document.get("newbies") or ():
                data = dict(data, status="newbies")
                self.insert_station(model.station_from_dict(data))
            for data in document.get("repositories") or ():
                repo = model.repository_from_dict(data)
                self.repositories[repo.code] = repo
            progress = document.get("update") or {}
            self.update_ends = float(progress.get("ends", 0))
            self.update_settled = bool(progress.get("settled", True))
            self._check_references()
            self.dirty = False

    _SYSTEM_OVERRIDABLE = ("name", "description", "components", "keys", "rights",
                           "created_time", "modified_time")

    def _load_group(self, data):
        if not isinstance(data, dict) or "id" not in data:
            raise ValueError("every group needs an id: %r" % (data,))
        gid = str(data["id"])
        existing = self.groups.get(gid)
        if existing is not None and existing.system:
            # Seeds may rename system groups or give them settings, not change their nature.
            given = {k: data[k] for k in self._SYSTEM_OVERRIDABLE if k in data}
            parsed = model.group_from_dict(dict(given, id=gid, name=given.get("name", existing.name)))
            for key in given:
                setattr(existing, key, getattr(parsed, key))
            return
        data = {k: v for k, v in data.items() if k != "rule"}
        if existing is not None and existing.tariff:
            data.setdefault("tariff", True)
        self.groups[gid] = model.group_from_dict(dict(data, id=gid))

    def insert_station(self, station):
        if station.id in self.stations:
            raise ValueError("station %r is defined twice" % station.id)
        self.stations[station.id] = station
        self._index(station)

    def _check_references(self):
        for group in self.groups.values():
            if group.parent_id is not None and group.parent_id not in self.groups:
                raise ValueError("group %r: parent group %r does not exist" % (group.id, group.parent_id))
        for station in self.stations.values():
            for gid in [station.parent_id] + station.groups:
                if gid not in self.groups:
                    raise ValueError("station %r: group %r does not exist" % (station.id, gid))
                if self.groups[gid].system and gid != constants.EVERYONE:
                    raise ValueError("station %r: system group %r fills itself; it cannot be given"
                                     % (station.id, self.groups[gid].name))
            for peer in station.linked_stations:
                if peer not in self.stations:
                    raise ValueError("station %r: linked station %r does not exist" % (station.id, peer))

    def to_document(self):
        with self.lock:
            return {
                "tariff_groups": False,
                "groups": [model.group_to_dict(g) for g in self.groups.values()],
                "stations": [model.station_to_dict(s) for s in self.stations.values()],
                "repositories": [model.repository_to_dict(r) for r in self.repositories.values()],
                "update": {"ends": self.update_ends, "settled": self.update_settled},
            }

    def save_if_dirty(self):
        with self.lock:
            if self.dirty and self.state_path:
                atomic_write_json(self.state_path, self.to_document())
            self.dirty = False

    def touch(self):
        self.dirty = True

    # ------------------------------------------------------------------ groups
    def group(self, gid):
        return self.groups.get(gid)

    def require_group(self, gid):
        group = self.groups.get(gid)
        if group is None:
            raise group_not_found(gid)
        return group

    def children(self, gid):
        return [g for g in self.groups.values() if g.parent_id == gid]

    def root_groups(self):
        return [g for g in self.groups.values() if g.parent_id is None]

    def descendants(self, gid):
        out, queue = [], [gid]
        while queue:
            kids = self.children(queue.pop(0))
            out.extend(kids)
            queue.extend(k.id for k in kids)
        return out

    def is_ancestor(self, ancestor_id, gid):
        seen = set()
        while gid is not None and gid not in seen:
            if gid == ancestor_id:
                return True
            seen.add(gid)
            group = self.groups.get(gid)
            gid = group.parent_id if group else None
        return False

    def inheritance(self, group, attr):
        """(values, source group) following parents up to Everyone, which always defines them."""
        seen = set()
        node = group
        while node is not None and node.id not in seen:
            seen.add(node.id)
            values = getattr(node, attr)
            if values is not None:
                return values, node
            node = self.groups.get(node.parent_id) if node.parent_id else None
        everyone = self.groups[constants.EVERYONE]
        return getattr(everyone, attr), everyone

    def group_station_ids(self, gid, subgroups=False):
        group = self.groups[gid]
        if group.system:
            # A system group always lists everything below it (SPEC §3.12).
            return self._system_members(group)
        ids = [sid for sid in self._members.get(gid, ()) if self.stations[sid].active]
        if subgroups:
            seen = set(ids)
            for sub in self.descendants(gid):
                for sid in self._members.get(sub.id, ()):
                    if sid not in seen and self.stations[sid].active:
                        seen.add(sid)
                        ids.append(sid)
        return ids

    def _system_members(self, group):
        rule = group.rule
        stations = self.stations.values()
        if rule == "all":
            return [s.id for s in stations if s.active]
        if rule == "children":
            seen, out = set(), []
            for child in self.descendants(group.id):
                for sid in self._system_members(child) if child.system else self.group_station_ids(child.id):
                    if sid not in seen:
                        seen.add(sid)
                        out.append(sid)
            return out
        if rule.startswith("status:"):
            wanted = rule.split(":", 1)[1]
            return [s.id for s in stations if s.status == wanted]
        if rule.startswith("os:"):
            wanted = rule.split(":", 1)[1]
            return [s.id for s in stations if s.active and constants.os_family(s.os_code) == wanted]
        if rule == "expired":
            now = self.clock()
            return [s.id for s in stations if s.active and s.expires and s.expires < now]
        if rule == "ungrouped":
            return [s.id for s in stations if s.active and not s.groups]
        return []

    def group_station_count(self, gid):
        return len(self.group_station_ids(gid))

    def has_windows_stations(self, gid):
        """The docs fill component lists only for groups holding Windows stations (seed 004)."""
        return any(constants.os_family(self.stations[sid].os_code) == "windows"
                   for sid in self.group_station_ids(gid) + self._newbie_ids(gid))

    def _newbie_ids(self, gid):
        # A newbie waiting in a group still decides what that group would install.
        group = self.groups[gid]
        if group.system:
            return []
        return [sid for sid in self._members.get(gid, ()) if self.stations[sid].status == "newbies"]

    def automatic_groups(self, station):
        """System groups a station belongs to by its properties (shown in group-membership)."""
        family = constants.os_family(station.os_code)
        gid = constants.OS_GROUP_BY_FAMILY.get(family)
        return [self.groups[gid]] if gid in self.groups else []

    # ------------------------------------------------------------------ stations
    def station(self, sid):
        """Any known station, including deleted ones."""
        return self.stations.get(sid)

    def live_station(self, sid):
        station = self.stations.get(sid)
        if station is None or station.status == "deleted":
            raise station_not_found(sid)
        return station

    def add_station(self, station):
        old = self.stations.get(station.id)
        if old is not None:
            # Re-adding the id of a deleted station replaces it.
            self._unindex(old)
            del self.stations[station.id]
        self.insert_station(station)
        self.touch()

    def set_groups(self, station, groups):
        self._unindex(station)
        station.groups = list(groups)
        self._index(station)

    def _index(self, station):
        for gid in station.groups:
            self._members.setdefault(gid, {})[station.id] = None

    def _unindex(self, station):
        for gid in station.groups:
            members = self._members.get(gid)
            if members is not None:
                members.pop(station.id, None)

    def remove_group(self, gid):
        for sid in list(self._members.get(gid, ())):
            station = self.stations[sid]
            if station.parent_id == gid:
                station.parent_id = constants.EVERYONE
            self.set_groups(station, [g for g in station.groups if g != gid])
        self._members.pop(gid, None)
        del self.groups[gid]
        self.touch()

    # ------------------------------------------------------------------ repositories
    def repository_status(self):
        self._settle_update()
        return "updating" if not self.update_settled else "ready"

    def start_update(self):
        """Begin a repository update; a no-op while one is running (SPEC §3.8)."""
        if self.repository_status() == "updating":
            return
        self.update_ends = self.clock() + self.update_duration
        self.update_settled = False
        self.touch()
        self._settle_update()

    def _settle_update(self):
        if self.update_settled or self.clock() < self.update_ends:
            return
        ended = int(self.update_ends)
        for repo in self.repositories.values():
            repo.last_update_endtime = ended
            repo.last_update_src = UPDATE_SOURCE
            if repo.fail_update:
                repo.last_update_rc_code, repo.last_update_rc = UPDATE_NOT_FOUND
                continue
            repo.last_update_rc_code, repo.last_update_rc = UPDATE_OK
            prefix = repo.revision[:3] if len(repo.revision) == 17 else "130"
            repo.revision = prefix + revision_stamp(ended)
            repo.modified_time = ended
        self.update_settled = True
        self.touch()
