#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where one ``drweb_station`` task spends its time, next to one ``ansible.builtin.uri`` task.

The converge benchmark measures whole playbook runs. This one splits a task in two:

``module process``  The exact files Ansible executes are captured with
                    ``ANSIBLE_KEEP_REMOTE_FILES=1`` (``AnsiballZ_drweb_station.py`` for a no-op
                    converge of one station, ``AnsiballZ_uri.py`` for one ``stations/info.ds``
                    GET) and run ``--reps`` times each, alternating, with the emulator answering.
                    Wall time and peak RSS (``/usr/bin/time -f %M``) per process.
``imports``         The same files under ``python -X importtime``: the cumulative import time
                    of the packages that matter (requests, urllib3, lxml, Ansible's
                    ``basic``/``urls``, cryptography, the collection's module_utils), minimum over
                    ``--reps`` runs (the minimum is the least disturbed by other load).
``controller``      ``ansible-playbook`` over ``--hosts`` stations with one fork, per task (the
                    run of an empty play over the same inventory taken out), minus the median
                    module process time: what the controller adds per task (templating,
                    module_defaults, AnsiballZ build, fork, result handling).

Usage: module_startup.py [--reps 15] [--hosts 20] [--json OUT]
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import harness, machine, median, table, write_json  # noqa: E402 pylint: disable=wrong-import-position

WATCHED = ("requests", "urllib3", "lxml.etree", "charset_normalizer", "idna", "certifi", "ansible.module_utils.basic",
           "ansible.module_utils.urls", "cryptography", "cryptography.x509", "ssl", "http.client", "email.mime.application",
           "ansible_collections.drweb.esuite.plugins.module_utils._module",
           "ansible_collections.drweb.esuite.plugins.module_utils._client",
           "ansible_collections.drweb.esuite.plugins.module_utils._parser",
           "ansible_collections.drweb.esuite.plugins.module_utils._station",
           "ansible_collections.drweb.esuite.plugins.module_utils._diff",
           "ansible_collections.drweb.esuite.plugins.module_utils._groups")
IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def capture(ansible, emu):
    """Run one task of each module with ANSIBLE_KEEP_REMOTE_FILES=1 and return the AnsiballZ files."""
    tasks = {"ours": ("drweb.esuite.drweb_station", dict(emu.connection(), id="gen-000001", description="")),
             "uri": ("ansible.builtin.uri", {"url": emu.url + "/api/stations/info.ds?id=gen-000001", "url_username": emu.user,
                                             "url_password": emu.password, "force_basic_auth": True, "ca_path": emu.ca_file})}
    files = {}
    for side, (module, args) in sorted(tasks.items()):
        before = set(glob.glob(os.path.join(ansible.workdir, "tmp", "*", "AnsiballZ_*.py")))
        run = ansible.module(module, args, env={"ANSIBLE_KEEP_REMOTE_FILES": "1"})
        if run.rc != 0 or run.only()["status"] != "ok":
            raise RuntimeError("%s failed: %s" % (module, run.output[-2000:]))
        new = sorted(set(glob.glob(os.path.join(ansible.workdir, "tmp", "*", "AnsiballZ_*.py"))) - before)
        files[side] = new[-1]
    return files


def time_process(path, rss_log):
    started = time.time()
    proc = subprocess.run(harness.rss_wrapper(rss_log) + [harness.PYTHON, path], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=False)
    wall = time.time() - started
    if proc.returncode != 0:
        raise RuntimeError("%s failed: %s" % (path, proc.stdout[-500:]))
    return wall


def import_times(path):
    """{package: cumulative microseconds} and the sum of every import's own time."""
    proc = subprocess.run([harness.PYTHON, "-X", "importtime", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, check=False)
    cumulative, total = {}, 0
    for line in proc.stderr.splitlines():
        match = IMPORT_LINE.match(line)
        if not match:
            continue
        own, cum, name = int(match.group(1)), int(match.group(2)), match.group(4)
        total += own
        if name in WATCHED:
            cumulative[name] = max(cumulative.get(name, 0), cum)
    return cumulative, total


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--hosts", type=int, default=20, help="stations of the controller-overhead runs")
    parser.add_argument("--json", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "module_startup.json"))
    args = parser.parse_args(argv)
    info = machine()
    print("module_startup: %d reps, %d hosts; %d cpus, load %s" % (args.reps, args.hosts, info["cpus"], info["loadavg_1_5_15"]), flush=True)
    workdir = tempfile.mkdtemp(prefix="drweb-bench-startup-")
    try:
        collections = harness.collections_path(os.path.join(workdir, "collections"))
        ansible = harness.Ansible(collections, os.path.join(workdir, "ansible"))
        with harness.Emulator(workdir=tempfile.mkdtemp(dir=workdir), stations=max(args.hosts, 1)) as emu:
            files = capture(ansible, emu)
            sizes = dict((side, os.path.getsize(path)) for side, path in files.items())
            walls = {"ours": [], "uri": []}
            imports = {"ours": [], "uri": []}
            rss_logs = dict((side, os.path.join(workdir, "rss-%s.log" % side)) for side in files)
            for rep in range(args.reps):
                order = ["ours", "uri"] if rep % 2 == 0 else ["uri", "ours"]
                for side in order:
                    walls[side].append(time_process(files[side], rss_logs[side]))
                    imports[side].append(import_times(files[side]))
            controller = controller_overhead(ansible, emu, args.hosts)
            rss = dict((side, harness.read_rss(path)) for side, path in rss_logs.items())
    finally:
        shutil.rmtree(workdir, ignore_errors=True)  # the AnsiballZ files embed the password
    result = {"benchmark": "module_startup", "command": [os.path.basename(sys.argv[0])] + list(argv), "machine": info,
              "machine_at_end": machine(), "ansiballz_bytes": sizes, "sides": {}}
    rows = []
    for side in ("ours", "uri"):
        packages = {}
        for name in WATCHED:
            values = [cum.get(name) for cum, _ in imports[side] if cum.get(name) is not None]
            if values:
                packages[name] = round(min(values) / 1000.0, 1)
        process_s = median(walls[side])
        per_task = controller.get(side)
        result["sides"][side] = {
            "process_wall_median_s": round(process_s, 4), "process_wall_min_s": round(min(walls[side]), 4),
            "peak_rss_mb_median": round(median(rss[side]) / 1024.0, 1) if rss[side] else None,
            "imports_total_min_ms": round(min(total for _, total in imports[side]) / 1000.0, 1),
            "imports_ms_min": packages, "playbook_s_per_task": per_task,
            "controller_s_per_task": round(per_task - process_s, 4) if per_task else None}
        side_data = result["sides"][side]
        rows.append([side, sizes[side], side_data["process_wall_median_s"], side_data["process_wall_min_s"], side_data["imports_total_min_ms"],
                     side_data["peak_rss_mb_median"], per_task, side_data["controller_s_per_task"]])
    print()
    print(table(["module", "AnsiballZ bytes", "process s (median)", "process s (min)", "imports ms (min)", "RSS MB",
                 "playbook s/task (1 fork)", "controller s/task"], rows))
    print()
    names = [n for n in WATCHED if any(n in result["sides"][s]["imports_ms_min"] for s in ("ours", "uri"))]
    print(table(["import (cumulative, min over reps)", "ours ms", "uri ms"],
                [[n, result["sides"]["ours"]["imports_ms_min"].get(n), result["sides"]["uri"]["imports_ms_min"].get(n)] for n in names]))
    print("\nload average at the end: %s (2 shared cores: read the minima and the ratios, not absolute medians)" % (machine()["loadavg_1_5_15"],))
    write_json(args.json, result)
    return 0


def controller_overhead(ansible, emu, hosts):
    """Seconds per task of a one-fork playbook over ``hosts`` stations, ours and uri alternating."""
    if hosts <= 0:
        return {}
    inventory = ansible.hosts_inventory("startup-hosts.json", dict(("st-%d" % i, {"station_id": "gen-%06d" % i}) for i in range(1, hosts + 1)), {
        "drweb_api_url": emu.url, "drweb_api_username": emu.user, "drweb_api_password": emu.password, "drweb_ca_path": emu.ca_file})
    connection = {"api_url": "{{ drweb_api_url }}", "api_username": "{{ drweb_api_username }}",
                  "api_password": "{{ drweb_api_password }}", "ca_path": "{{ drweb_ca_path }}"}
    plays = {
        "ours": [{"hosts": "all", "gather_facts": False, "module_defaults": {"group/drweb.esuite.drweb": connection},
                  "tasks": [{"drweb.esuite.drweb_station": {"id": "{{ station_id }}", "description": ""}}]}],
        "uri": [{"hosts": "all", "gather_facts": False, "tasks": [{"ansible.builtin.uri": {
            "url": "{{ drweb_api_url }}/api/stations/info.ds?id={{ station_id }}", "url_username": "{{ drweb_api_username }}",
            "url_password": "{{ drweb_api_password }}", "force_basic_auth": True, "ca_path": "{{ drweb_ca_path }}"}}]}],
    }
    plays["empty"] = [{"hosts": "all", "gather_facts": False, "tasks": []}]
    seconds = {"ours": [], "uri": [], "empty": []}
    for rep in range(2):
        for side in (["ours", "uri", "empty"] if rep % 2 == 0 else ["empty", "uri", "ours"]):
            run = ansible.playbook(ansible.write("startup-%s.yml" % side, json.dumps(plays[side])), inventory, forks=1)
            if run.rc != 0:
                raise RuntimeError("controller run %s failed: %s" % (side, run.output[-2000:]))
            seconds[side].append(run.seconds / hosts)
    # The fixed cost of starting ansible-playbook is not a per-task cost: take it out.
    fixed = median(seconds.pop("empty"))
    return dict((side, round(median(values) - fixed, 4)) for side, values in seconds.items())


if __name__ == "__main__":
    sys.exit(main())
