# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The script table: (object, script) → handler, and which scripts write."""

from dataclasses import dataclass

from . import groups, server, stations


@dataclass(frozen=True)
class Route:
    obj: str
    script: str
    handler: object
    write: bool = False

    @property
    def name(self):
        return "%s/%s" % (self.obj, self.script)


_TABLE = (
    Route("stations", "info", stations.info),
    Route("stations", "products", stations.products),
    Route("stations", "add", stations.add, write=True),
    Route("stations", "change", stations.change, write=True),
    Route("stations", "delete", stations.delete, write=True),
    Route("stations", "restore", stations.restore, write=True),
    Route("stations", "state", stations.state),
    Route("stations", "states", stations.states),
    Route("stations", "newbies-info", stations.newbies_info),
    Route("groups", "list", groups.group_list),
    Route("groups", "info", groups.info),
    Route("groups", "components", groups.components),
    Route("groups", "stations-list", groups.stations_list),
    Route("groups", "add", groups.add, write=True),
    Route("groups", "change", groups.change, write=True),
    Route("groups", "delete", groups.delete, write=True),
    Route("server", "tasks", server.tasks, write=True),
    Route("server", "repository-status", server.repository_status),
    Route("server", "repository-products", server.repository_products),
)
ROUTES = {(r.obj, r.script): r for r in _TABLE}

# Documented alternative names (SPEC §1.1).
ALIASES = {
    ("server", "task"): ("server", "tasks"),
    ("server", "repositories-state"): ("server", "repository-products"),
    ("server", "update-repositories-status"): ("server", "repository-status"),
}


def resolve(obj, script):
    """The route for a path's object and script, or None. `_` and `-` are equal in script names."""
    key = (obj, script.replace("_", "-"))
    key = ALIASES.get(key, key)
    return ROUTES.get(key)
