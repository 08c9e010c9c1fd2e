#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the cost of ``drweb_station_info`` (group listing) grows with the group's size.

For every size N (``--sizes 1000,10000,50000``) the script starts its own emulator with N
generated stations in one group (``--generate-stations N``, TLS on, request log on) and
reads that group with ``drweb_station_info: {group: generated}`` in two ways:

``module``    the module file run directly, as Ansible's AnsiballZ wrapper would run it:
              ``python -m ansible_collections.drweb.esuite.plugins.modules.drweb_station_info
              args.json`` under ``/usr/bin/time -f %M`` (or a ``getrusage(RUSAGE_CHILDREN)``
              wrapper when that binary is missing). The peak RSS is that of the module process
              alone, which is what the 300 MB target is about; the wall time includes the
              interpreter start and every import.
``playbook``  the same task through real ``ansible-playbook`` (one task on localhost, result
              registered). Its peak RSS is that of the largest process of the run, which for big
              groups is the controller holding the returned stations, not the module.

Requests are counted in the emulator's request log, so they are what the server saw.
Figures are printed, not asserted: a benchmark on a shared 2-core machine is noisy, and
the load average at the start of every measurement is recorded next to it.

Usage: large_group.py [--sizes 1000,10000,50000] [--rounds 1] [--json OUT] [--skip-playbook]
Target: the module process stays under 300 MB at 50,000 stations.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import harness, loadavg_now, machine, median, table, write_json  # noqa: E402 pylint: disable=wrong-import-position

MODULE = "ansible_collections.drweb.esuite.plugins.modules.drweb_station_info"
GROUP = "generated"
MEMORY_TARGET_MB = 300


def run_module(emu, collections, workdir, tag):
    """Run the module process directly; returns wall, RSS, requests, output size."""
    args = {"ANSIBLE_MODULE_ARGS": dict(emu.connection(), group=GROUP)}
    args_path = os.path.join(workdir, "args-%s.json" % tag)
    with open(args_path, "w") as handle:
        json.dump(args, handle)
    rss_log = os.path.join(workdir, "rss-module-%s.log" % tag)
    environ = dict(os.environ, PYTHONPATH=collections)
    mark = emu.mark()
    load = loadavg_now()
    started = time.time()
    proc = subprocess.run(harness.rss_wrapper(rss_log) + [harness.PYTHON, "-m", MODULE, args_path], env=environ,
                          cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    wall = time.time() - started
    os.remove(args_path)  # it holds the administrator password
    requests = emu.requests(mark)
    try:
        result = json.loads(proc.stdout.decode("utf-8"))
    except ValueError:
        result = {"failed": True, "msg": (proc.stdout + proc.stderr).decode("utf-8", "replace")[-500:]}
    usage = harness.read_usage(rss_log)
    rss = [u["rss_kb"] for u in usage]
    return {"way": "module", "wall_s": round(wall, 3), "peak_rss_mb": round(rss[-1] / 1024.0, 1) if rss else None,
            "cpu_s": usage[-1]["cpu_s"] if usage else None,
            "requests": len(requests), "stations_returned": len(result.get("stations") or []),
            "output_mb": round(len(proc.stdout) / 1048576.0, 2), "failed": bool(result.get("failed")) or proc.returncode != 0,
            "msg": result.get("msg"), "load_1m": load}


def run_playbook(emu, ansible, workdir, tag):
    """Run the module through ansible-playbook; the RSS is the run's largest process."""
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"name": "Read the group", "drweb.esuite.drweb_station_info": dict(emu.connection(), group=GROUP),
         "register": "listing"},
        {"name": "Count", "ansible.builtin.debug": {"msg": "{{ listing.stations | length }}"}}]}]
    playbook = ansible.write("large-group.yml", json.dumps(play))
    inventory = ansible.write("localhost.ini", harness.LOCALHOST_INVENTORY % harness.PYTHON)
    rss_log = os.path.join(workdir, "rss-playbook-%s.log" % tag)
    mark = emu.mark()
    load = loadavg_now()
    run = ansible.playbook(playbook, inventory, wrapper=harness.rss_wrapper(rss_log), timeout=1800)
    os.remove(playbook)
    requests = emu.requests(mark)
    usage = harness.read_usage(rss_log)
    rss = [u["rss_kb"] for u in usage]
    counted = [r for r in run.results if r["task"] == "Count"]
    stations = int(counted[0]["result"].get("msg")) if counted and str(counted[0]["result"].get("msg", "")).isdigit() else None
    return {"way": "playbook", "wall_s": round(run.seconds, 3), "peak_rss_mb": round(rss[-1] / 1024.0, 1) if rss else None,
            "cpu_s": usage[-1]["cpu_s"] if usage else None,
            "requests": len(requests), "stations_returned": stations, "output_mb": None, "failed": run.rc != 0,
            "msg": None if run.rc == 0 else run.output[-500:], "load_1m": load}


def growth(points):
    """Exponent k of cost ~ N**k between consecutive sizes (1.0 = linear)."""
    out = []
    for (n1, c1), (n2, c2) in zip(points, points[1:]):
        if c1 and c2 and n2 != n1:
            out.append(round(math.log(c2 / c1) / math.log(float(n2) / n1), 2))
        else:
            out.append(None)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated group sizes")
    parser.add_argument("--rounds", type=int, default=1, help="measurements per size and way (median reported)")
    parser.add_argument("--json", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "large_group.json"))
    parser.add_argument("--skip-playbook", action="store_true", help="measure only the direct module process")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    workdir = tempfile.mkdtemp(prefix="drweb-bench-large-")
    collections = harness.collections_path(os.path.join(workdir, "collections"))
    ansible = harness.Ansible(collections, os.path.join(workdir, "ansible"))
    info = machine()
    print("large_group: sizes %s, %d round(s); %d cpus, load %s" % (sizes, args.rounds, info["cpus"], info["loadavg_1_5_15"]))
    samples = []
    try:
        samples = measure(args, sizes, workdir, collections, ansible)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return report(args, argv, sizes, samples, info)


def measure(args, sizes, workdir, collections, ansible):
    samples = []
    for size in sizes:
        with harness.Emulator(workdir=tempfile.mkdtemp(dir=workdir), stations=size, group=GROUP) as emu:
            for round_no in range(args.rounds):
                ways = [run_module] if args.skip_playbook else [run_module, run_playbook]
                if round_no % 2:
                    ways.reverse()
                for way in ways:
                    other = ansible if way is run_playbook else collections
                    sample = way(emu, other, workdir, "%d-%d" % (size, round_no))
                    sample.update(size=size, round=round_no)
                    samples.append(sample)
                    print("  N=%-6d %-8s %7.2fs  %s CPU s  %6s MB  %4d requests  %s stations%s" % (
                        size, sample["way"], sample["wall_s"], sample["cpu_s"], sample["peak_rss_mb"], sample["requests"],
                        sample["stations_returned"], "  FAILED: %s" % sample["msg"] if sample["failed"] else ""), flush=True)
    return samples


def report(args, argv, sizes, samples, info):
    summary = []
    for way in ("module", "playbook"):
        points = []
        for size in sizes:
            mine = [s for s in samples if s["way"] == way and s["size"] == size]
            if not mine:
                continue
            wall = median([s["wall_s"] for s in mine])
            summary.append({"way": way, "size": size, "wall_s": wall, "ms_per_station": round(1000.0 * wall / size, 3),
                            "cpu_s": median([s["cpu_s"] for s in mine]),
                            "requests": median([s["requests"] for s in mine]),
                            "requests_per_1000": round(1000.0 * median([s["requests"] for s in mine]) / size, 2),
                            "peak_rss_mb": max(s["peak_rss_mb"] or 0 for s in mine),
                            "stations_returned": min(s["stations_returned"] or 0 for s in mine),
                            "failed": any(s["failed"] for s in mine)})
            points.append((size, wall))
        exps = growth(points)
        rows = [r for r in summary if r["way"] == way]
        for row, exp in zip(rows[1:], exps):
            row["time_growth_exponent"] = exp
        mem_points = [(r["size"], r["peak_rss_mb"]) for r in rows]
        for row, exp in zip(rows[1:], growth(mem_points)):
            row["memory_growth_exponent"] = exp
    print()
    print(table(["way", "stations", "wall s", "CPU s", "ms/station", "requests", "req/1000", "peak RSS MB", "time ~N^k", "mem ~N^k", "ok"],
                [[r["way"], r["size"], r["wall_s"], r["cpu_s"], r["ms_per_station"], r["requests"], r["requests_per_1000"], r["peak_rss_mb"],
                  r.get("time_growth_exponent"), r.get("memory_growth_exponent"),
                  "no" if r["failed"] or r["stations_returned"] != r["size"] else "yes"] for r in summary]))
    biggest = [r for r in summary if r["way"] == "module" and r["size"] == max(sizes)]
    target = {"module_peak_rss_mb_max": MEMORY_TARGET_MB, "size": max(sizes),
              "measured_mb": biggest[0]["peak_rss_mb"] if biggest else None}
    target["met"] = bool(biggest) and biggest[0]["peak_rss_mb"] < MEMORY_TARGET_MB and max(sizes) >= 50000
    print("\ntarget: module process under %d MB at %d stations: %s (%s MB at %d)" % (
        MEMORY_TARGET_MB, 50000, "met" if target["met"] else "NOT met" if max(sizes) >= 50000 else "not measured",
        target["measured_mb"], max(sizes)))
    print("load average at the end: %s (2 cores shared with other work make these figures noisy)" % (machine()["loadavg_1_5_15"],))
    write_json(args.json, {"benchmark": "large_group", "command": [os.path.basename(sys.argv[0])] + (argv if argv is not None else sys.argv[1:]),
                           "machine": info, "machine_at_end": machine(), "samples": samples, "summary": summary, "target": target})
    return 1 if any(r["failed"] for r in summary) else 0


if __name__ == "__main__":
    sys.exit(main())
