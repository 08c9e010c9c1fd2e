# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the benchmark scripts: the harness import, machine facts, tables, JSON."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results")
sys.path.insert(0, os.path.join(ROOT, "tests", "reliability"))

import harness  # noqa: E402 pylint: disable=wrong-import-position,import-error,unused-import


def machine():
    """Facts that say how much the figures can be trusted (the load is the big one)."""
    try:
        load = os.getloadavg()
    except OSError:
        load = (None, None, None)
    try:
        import ansible  # pylint: disable=import-outside-toplevel
        ansible_version = ansible.__version__ if hasattr(ansible, "__version__") else None
        if ansible_version is None:
            from ansible.release import __version__ as ansible_version  # pylint: disable=import-outside-toplevel
    except ImportError:
        ansible_version = None
    return {"cpus": os.cpu_count(), "loadavg_1_5_15": [round(x, 2) if x is not None else None for x in load],
            "python": platform.python_version(), "platform": platform.platform(), "ansible_core": ansible_version,
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def table(headers, rows):
    """A plain-text table, right-aligned numbers."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) if cells else len(str(h)) for i, h in enumerate(headers)]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths))]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(c.rjust(w) if _numeric(c) else c.ljust(w) for c, w in zip(row, widths)))
    return "\n".join(lines)


def _cell(value):
    if value is None:
        return "-"
    if isinstance(value, float):
        return "%.3f" % value if abs(value) < 10 else "%.1f" % value
    return str(value)


def _numeric(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def write_json(path, data):
    if not path:
        return
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    with open(path, "w") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
        handle.write("\n")
    print("wrote %s" % path)


def loadavg_now():
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def in_workdir(name, headline, run):
    """``run(workdir, info)`` in a fresh temporary directory, removed afterwards, after printing
    ``headline`` with the machine's cores and load (``info`` is :func:`machine`)."""
    workdir = tempfile.mkdtemp(prefix="drweb-bench-%s-" % name)
    info = machine()
    print("%s; %d cpus, load %s" % (headline, info["cpus"], info["loadavg_1_5_15"]), flush=True)
    try:
        return run(workdir, info)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
