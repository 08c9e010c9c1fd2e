#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where one ``drweb_station`` task spends its time, next to one ``ansible.builtin.uri`` task.

The converge benchmark measures whole playbook runs. This one splits a task up, in CPU
seconds (user + system) as well as wall seconds: on a shared machine other load stretches
wall time but hardly CPU time, and the minimum over many repetitions is the least disturbed.

``process``     The exact files Ansible executes, captured with ``ANSIBLE_KEEP_REMOTE_FILES=1``
                (``AnsiballZ_drweb_station.py`` for a no-op converge of one station,
                ``AnsiballZ_uri.py`` for one ``stations/info.ds`` GET), run ``--reps`` times each,
                alternating, against the emulator, under ``/usr/bin/time``.
``imports``     The same files under ``python -X importtime``: cumulative import time of the
                packages that matter, minimum over ``--reps``. AnsiballZ imports every module_utils
                file from a zip, so each is compiled from source on every run (no .pyc).
``components``  Minimum CPU of small ``python -c`` snippets minus a bare interpreter: importing
                requests, lxml, Ansible's ``basic`` and ``urls``, and compiling the collection's
                module_utils sources (the per-run cost of the zip import above).
``controller``  ``ansible-playbook`` over ``--hosts`` stations (2 forks) whose interpreter is a
                ``/usr/bin/time`` wrapper: the CPU of the whole process tree minus the CPU of the
                module processes, minus an empty play over the same inventory, per task.

Usage: module_startup.py [--reps 15] [--hosts 40] [--json OUT]
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import glob
import json
import os
import re
import shutil
import stat
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
COMPILE = ("import glob, sys\n"
           "for path in sorted(glob.glob(sys.argv[1])) + sys.argv[2:]:\n"
           "    compile(open(path).read(), path, 'exec')\n")
INTERPRETER = """#!/bin/sh
exec /usr/bin/time -a -o %(log)s -f "%%M %%U %%S" %(python)s "$@"
"""


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


def time_process(argv, usage_log):
    """Run argv under the usage wrapper; returns (wall seconds, CPU seconds, peak RSS KiB)."""
    started = time.time()
    proc = subprocess.run(harness.rss_wrapper(usage_log) + argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    wall = time.time() - started
    if proc.returncode != 0:
        raise RuntimeError("%s failed: %s" % (argv, (proc.stdout + proc.stderr)[-500:]))
    usage = harness.read_usage(usage_log)[-1]
    return wall, usage["cpu_s"], usage["rss_kb"]


def components(collections, reps, workdir):
    """Minimum CPU seconds of each snippet, minus the bare interpreter's."""
    from ansible.module_utils import urls  # pylint: disable=import-outside-toplevel
    from ansible.modules import uri  # pylint: disable=import-outside-toplevel
    utils = os.path.join(collections, "ansible_collections", "drweb", "esuite", "plugins", "module_utils", "*.py")
    station = os.path.join(collections, "ansible_collections", "drweb", "esuite", "plugins", "modules", "drweb_station.py")
    snippets = [
        ("interpreter start", ["-c", "pass"]),
        ("import ansible.module_utils.basic (cached .pyc)", ["-c", "import ansible.module_utils.basic"]),
        ("import requests", ["-c", "import requests"]),
        ("import lxml.etree", ["-c", "import lxml.etree"]),
        ("import ansible.module_utils.urls (cached .pyc)", ["-c", "import ansible.module_utils.urls"]),
        ("compile collection module_utils + drweb_station", ["-c", COMPILE, utils, station]),
        ("compile ansible urls.py + uri.py", ["-c", COMPILE, "/nonexistent/*.py", urls.__file__.replace(".pyc", ".py"),
                                              uri.__file__.replace(".pyc", ".py")]),
    ]
    cpu = dict((name, []) for name, dummy in snippets)
    log = os.path.join(workdir, "components.log")
    for dummy in range(reps):
        for name, args in snippets:
            cpu[name].append(time_process([harness.PYTHON] + args, log)[1])
    base = min(cpu["interpreter start"])
    return [(name, round(min(cpu[name]) * 1000), round((min(cpu[name]) - base) * 1000) if name != "interpreter start" else None)
            for name, dummy in snippets]


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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--hosts", type=int, default=40, help="stations of the controller runs (0: skip them)")
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
            runs = {"ours": [], "uri": []}
            imports = {"ours": [], "uri": []}
            for rep in range(args.reps):
                for side in (["ours", "uri"] if rep % 2 == 0 else ["uri", "ours"]):
                    runs[side].append(time_process([harness.PYTHON, files[side]], os.path.join(workdir, "process-%s.log" % side)))
                    imports[side].append(import_times(files[side]))
            parts = components(collections, args.reps, workdir)
            controller = controller_cpu(ansible, emu, args.hosts, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)  # the AnsiballZ files embed the password
    return report(args, argv, info, sizes, runs, imports, parts, controller)


def report(args, argv, info, sizes, runs, imports, parts, controller):
    result = {"benchmark": "module_startup", "command": [os.path.basename(sys.argv[0])] + list(argv), "machine": info,
              "machine_at_end": machine(), "ansiballz_bytes": sizes, "sides": {}, "components_ms": parts,
              "controller_cpu_s_per_task": controller}
    rows = []
    for side in ("ours", "uri"):
        packages = {}
        for name in WATCHED:
            values = [cum.get(name) for cum, dummy in imports[side] if cum.get(name) is not None]
            if values:
                packages[name] = round(min(values) / 1000.0, 1)
        walls = [r[0] for r in runs[side]]
        cpus = [r[1] for r in runs[side]]
        result["sides"][side] = data = {
            "process_wall_median_s": round(median(walls), 4), "process_wall_min_s": round(min(walls), 4),
            "process_cpu_median_s": round(median(cpus), 4), "process_cpu_min_s": round(min(cpus), 4),
            "peak_rss_mb_median": round(median([r[2] for r in runs[side]]) / 1024.0, 1),
            "imports_total_min_ms": round(min(total for dummy, total in imports[side]) / 1000.0, 1),
            "imports_ms_min": packages}
        ctl = controller.get(side) or {}
        rows.append([side, sizes[side], data["process_wall_median_s"], data["process_wall_min_s"], data["process_cpu_min_s"],
                     data["imports_total_min_ms"], data["peak_rss_mb_median"], ctl.get("module_cpu"), ctl.get("controller_cpu")])
    print()
    print(table(["module", "AnsiballZ bytes", "wall s (median)", "wall s (min)", "CPU s (min)", "imports ms (min)", "RSS MB",
                 "playbook: module CPU s/task", "playbook: controller CPU s/task"], rows))
    print()
    names = [n for n in WATCHED if any(n in result["sides"][s]["imports_ms_min"] for s in ("ours", "uri"))]
    print(table(["import (cumulative, min over reps)", "ours ms", "uri ms"],
                [[n, result["sides"]["ours"]["imports_ms_min"].get(n), result["sides"]["uri"]["imports_ms_min"].get(n)] for n in names]))
    print()
    print(table(["component (python -c, min CPU)", "CPU ms", "minus bare interpreter ms"], [list(p) for p in parts]))
    print("\nload average at the end: %s (2 shared cores: read the minima and the CPU figures, not absolute medians)" % (
        machine()["loadavg_1_5_15"],))
    write_json(args.json, result)
    return 0


def controller_cpu(ansible, emu, hosts, workdir):
    """CPU seconds per task of the module processes and of everything else in a playbook run."""
    if hosts <= 0:
        return {}
    connection = {"api_url": "{{ drweb_api_url }}", "api_username": "{{ drweb_api_username }}",
                  "api_password": "{{ drweb_api_password }}", "ca_path": "{{ drweb_ca_path }}"}
    plays = {
        "ours": [{"hosts": "all", "gather_facts": False, "module_defaults": {"group/drweb.esuite.drweb": connection},
                  "tasks": [{"drweb.esuite.drweb_station": {"id": "{{ station_id }}", "description": ""}}]}],
        "uri": [{"hosts": "all", "gather_facts": False, "tasks": [{"ansible.builtin.uri": {
            "url": "{{ drweb_api_url }}/api/stations/info.ds?id={{ station_id }}", "url_username": "{{ drweb_api_username }}",
            "url_password": "{{ drweb_api_password }}", "force_basic_auth": True, "ca_path": "{{ drweb_ca_path }}"}}]}],
        "empty": [{"hosts": "all", "gather_facts": False, "tasks": []}],
    }
    group_vars = {"drweb_api_url": emu.url, "drweb_api_username": emu.user, "drweb_api_password": emu.password,
                  "drweb_ca_path": emu.ca_file}
    totals = dict((side, []) for side in plays)
    modules = dict((side, []) for side in plays)
    for rep in range(3):
        for side in (["ours", "uri", "empty"] if rep % 2 == 0 else ["empty", "uri", "ours"]):
            tag = "%s-%d" % (side, rep)
            module_log, tree_log = os.path.join(workdir, "module-%s.log" % tag), os.path.join(workdir, "tree-%s.log" % tag)
            wrapper = os.path.join(workdir, "python-%s" % tag)
            with open(wrapper, "w") as handle:
                handle.write(INTERPRETER % {"log": module_log, "python": harness.PYTHON})
            os.chmod(wrapper, stat.S_IRWXU)
            hosts_vars = dict(("st-%d" % i, {"station_id": "gen-%06d" % i}) for i in range(1, hosts + 1))
            inventory = ansible.hosts_inventory("hosts-%s.json" % tag, hosts_vars, dict(group_vars, ansible_python_interpreter=wrapper))
            run = ansible.playbook(ansible.write("startup-%s.yml" % side, json.dumps(plays[side])), inventory, forks=2,
                                   wrapper=harness.rss_wrapper(tree_log))
            if run.rc != 0:
                raise RuntimeError("controller run %s failed: %s" % (side, run.output[-2000:]))
            totals[side].append(harness.read_usage(tree_log)[-1]["cpu_s"])
            modules[side].append(sum(u["cpu_s"] for u in harness.read_usage(module_log)))
    # The fixed cost of starting ansible-playbook is not a per-task cost: take it out.
    fixed = median(totals.pop("empty"))
    modules.pop("empty")
    return dict((side, {"module_cpu": round(median(modules[side]) / hosts, 4),
                        "controller_cpu": round((median([t - m for t, m in zip(totals[side], modules[side])]) - fixed) / hosts, 4)})
                for side in totals)


if __name__ == "__main__":
    sys.exit(main())
