# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seeds: the packaged default fleet, user seed files, and synthetic stations."""

import os

import yaml

from .constants import PRODUCT_STATES
from .model import Group, Station
from .timeutil import revision_stamp

DEFAULT_SEED = os.path.join(os.path.dirname(__file__), "default_seed.yaml")
_GENERATED_BASE_TIME = 1700000000


def load_seed(source=None):
    """A seed document from a path (YAML or JSON), a dict, or the default seed for None."""
    if isinstance(source, dict):
        return source
    path = source or DEFAULT_SEED
    with open(path, encoding="utf-8") as handle:
        document = yaml.safe_load(handle) or {}
    if not isinstance(document, dict):
        raise ValueError("seed %s: the top level must be a mapping" % path)
    unknown = set(document) - {"groups", "stations", "newbies", "repositories", "tariff_groups", "update"}
    if unknown:
        raise ValueError("seed %s: unknown section(s) %s" % (path, ", ".join(sorted(unknown))))
    return document


def generate_stations(store, count, group_id):
    """Add `count` synthetic stations `gen-000001`… to `group_id` (created if missing).

    Idempotent: ids that already exist are left alone, so a restart on a state file
    with the same options adds nothing.
    """
    if count <= 0:
        return
    with store.lock:
        if store.group(group_id) is None:
            store.groups[group_id] = Group(group_id, group_id, 0, None, created_time=_GENERATED_BASE_TIME,
                                           modified_time=_GENERATED_BASE_TIME)
        in_group = [group_id] if not store.group(group_id).system else []
        parent = group_id if in_group else Station.__dataclass_fields__["parent_id"].default
        width = max(6, len(str(count)))
        for i in range(1, count + 1):
            sid = "gen-%0*d" % (width, i)
            if sid in store.stations:
                continue
            linux = i % 5 == 0
            seen = _GENERATED_BASE_TIME + i
            station = Station(
                id=sid, name="WS-%0*d" % (width, i), password="gen%dpw" % i, parent_id=parent,
                groups=list(in_group), status="online" if i % 3 == 0 else "offline",
                os_code=16842752 if linux else 35850247,
                os_name="Linux" if linux else "Windows 7 Professional x64",
                created_time=_GENERATED_BASE_TIME + i, modified_time=_GENERATED_BASE_TIME + i,
                last_seen_time=seen,
                last_seen_addr="tcp://10.%d.%d.%d:2193" % ((i >> 16) & 255, (i >> 8) & 255, i & 255),
                login_addr="10.%d.%d.%d" % ((i >> 16) & 255, (i >> 8) & 255, i & 255),
                login_mac="02:00:00:%02x:%02x:%02x" % ((i >> 16) & 255, (i >> 8) & 255, i & 255),
                products=_generated_products(i, seen, linux),
            )
            store.insert_station(station)
        store.touch()


def _generated_products(i, seen, linux):
    """Virus bases from 0 to 44 days older than the last contact, some failing or delayed; Windows agents."""
    bases_time = seen - (i % 45) * 86400
    state = "F" if i % 11 == 0 else "D" if i % 13 == 0 else "S"
    products = [{"code": "10-drwbases", "name": "Dr.Web Virus Bases", "revision": "130" + revision_stamp(bases_time),
                 "modified_time": bases_time, "state_code": state, "state": PRODUCT_STATES[state]}]
    if not linux:
        agent_time = seen - 30 * 86400
        products.append({"code": "20-drwagent", "name": "Dr.Web Agent for Windows",
                         "revision": "130" + revision_stamp(agent_time), "modified_time": agent_time,
                         "state_code": "S", "state": PRODUCT_STATES["S"]})
    return products
