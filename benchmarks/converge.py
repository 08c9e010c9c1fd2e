#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge N stations with ``drweb_station`` and ``drweb_stations``, next to a hand-written ``uri`` baseline.

The script starts its own emulator (TLS, random password, ``--generate-stations N``) and
writes an inventory with one local host per station (``ansible_connection: local``), so
``--forks`` spreads the stations over worker processes the way a real fleet run does.
The ways of ours measured:

``task``  ``drweb_station: {id, description}`` once per inventory host (``ansible_connection: local``:
          the controller path, a worker process per station)
``bulk``  one ``drweb_stations`` task with all N stations (one task, ``--concurrency`` at a time),
          what the ``stations`` role runs
``loop``  a ``loop:`` of ``drweb_station`` over the N stations on localhost: the controller path
          (the items run in one worker process and share one client)
``host``  the host-based pattern: one inventory host per station, ``delegate_to: localhost``, ``--forks``
          (the controller path, one worker process per station)

``loop`` and ``host`` are also run with ``DRWEB_EXECUTION=module`` (``loop-module``, ``host-module``:
a module process per station, as before the controller path), so the gain is visible, and each
has its own baseline in the same pattern (``loop-uri``: a ``loop:`` of ``uri``; ``host-uri``:
``uri`` delegated to localhost per host). ``--ways`` picks the ways (default: all four).

Each round runs three scenarios with real ``ansible-playbook``:

``changed``  a new description for every station (one ``stations/change.ds`` each)
``noop``     the same description again (nothing to change)
``check``    yet another description with ``--check`` (predicted, nothing written)

and, right next to each scenario, the baseline: one ``ansible.builtin.uri`` GET of
``stations/info.ds?id=<station>`` per station, the least a user would write by hand to look
at a station (no parsing, no comparison, no write). The order rotates every round so that
drift in the machine's load hits every side alike; a ratio is ours / baseline of the summed
wall times of the runs of one round, measured in the same process run.

Figures:
* wall time per station = the ``ansible-playbook`` wall time / N (controller start included);
* CPU time per station = user + system CPU of the whole ``ansible-playbook`` process tree (controller,
  workers, module processes; not the emulator) / N. Other load on the machine stretches wall times
  but hardly CPU times, so on a shared machine ``CPU ours/uri`` is the steadier of the two ratios;
* requests per station from the emulator's request log (what the server saw), with the
  number of writes;
* peak memory, two ways: ``run peak RSS`` is the largest process of the timed run (the
  ``ansible-playbook`` controller or a worker, via ``/usr/bin/time -f %M`` around it), and
  ``module peak RSS`` is measured in a separate, untimed pass (ours with ``DRWEB_EXECUTION=module``,
  since the controller path starts no module process) on the first ``--memory-hosts`` stations
  whose ``ansible_python_interpreter`` is a wrapper that runs the real interpreter under
  ``/usr/bin/time``: every module process Ansible starts (ours and ``uri``) is measured as
  Ansible runs it, AnsiballZ included.

Nothing is asserted: the script prints a table and writes JSON. On a shared 2-core machine the
absolute times are noisy; the ratio, taken from alternating adjacent runs, is the figure to read.

Usage: converge.py [--stations 200] [--forks F] [--concurrency 4] [--rounds 2] [--ways task,bulk,loop,host] [--json OUT]
Targets: noop = 1 request per station, changed = 2, check = 1; ratio ours/uri <= 1.0 (task, bulk and the
module path); loop: noop <= 0.35, changed <= 0.5, check <= 0.35; host: <= 0.35 in every scenario.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import collections as pycollections
import json
import os
import stat
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import harness, in_workdir, loadavg_now, machine, median, table, write_json  # noqa: E402 pylint: disable=wrong-import-position

SCENARIOS = ("changed", "noop", "check")
TARGET_REQUESTS = {"changed": 2, "noop": 1, "check": 1}
TARGET_WRITES = {"changed": 1, "noop": 0, "check": 0}

# A way of ours, its baseline, and the wall-time ratio ours/baseline it must not exceed per scenario.
WAYS = pycollections.OrderedDict([
    ("task", ("baseline", {})), ("bulk", ("baseline", {})),
    ("loop", ("loop-uri", {"noop": 0.35, "changed": 0.5, "check": 0.35})),
    ("loop-module", ("loop-uri", {})),
    ("host", ("host-uri", {"noop": 0.35, "changed": 0.35, "check": 0.35})),
    ("host-module", ("host-uri", {})),
])
DEFAULT_RATIO_TARGET = 1.0
# What --ways names: the sides measured together, alternating, the baseline last.
PATTERNS = pycollections.OrderedDict([
    ("task", ("task", "baseline")), ("bulk", ("bulk", "baseline")),
    ("loop", ("loop", "loop-module", "loop-uri")), ("host", ("host", "host-module", "host-uri")),
])
MODULE_PATH = {"DRWEB_EXECUTION": "module"}
BASELINES = ("baseline", "loop-uri", "host-uri")
CONNECTION = {"api_url": "{{ drweb_api_url }}", "api_username": "{{ drweb_api_username }}",
              "api_password": "{{ drweb_api_password }}", "ca_path": "{{ drweb_ca_path }}"}

OURS = [{"hosts": "all", "gather_facts": False,
         "module_defaults": {"group/drweb.esuite.drweb": CONNECTION},
         "tasks": [{"name": "Converge the station", "drweb.esuite.drweb_station": {
             "id": "{{ station_id }}", "description": "{{ bench_description }}"}}]}]

# One host (the bulk inventory), the whole list in one task.
BULK = [{"hosts": "all", "gather_facts": False,
         "module_defaults": {"group/drweb.esuite.drweb": CONNECTION},
         "tasks": [{"name": "Converge the stations", "drweb.esuite.drweb_stations": {
             "concurrency": "{{ bench_concurrency }}", "stations": "{{ bench_stations }}"}}]}]

BASELINE = [{"hosts": "all", "gather_facts": False,
             "tasks": [{"name": "Read the station by hand", "ansible.builtin.uri": {
                 "url": "{{ drweb_api_url }}/api/stations/info.ds?id={{ station_id | urlencode }}",
                 "url_username": "{{ drweb_api_username }}", "url_password": "{{ drweb_api_password }}",
                 "force_basic_auth": True, "ca_path": "{{ drweb_ca_path }}", "status_code": 200}}]}]

LOOP = [{"hosts": "all", "gather_facts": False,
         "module_defaults": {"group/drweb.esuite.drweb": CONNECTION},
         "tasks": [{"name": "Converge the stations", "drweb.esuite.drweb_station": {
             "id": "{{ item }}", "description": "{{ bench_description }}"},
             "loop": "{{ bench_ids }}", "loop_control": {"label": "{{ item }}"}}]}]

LOOP_BASELINE = [{"hosts": "all", "gather_facts": False,
                  "tasks": [{"name": "Read the stations by hand", "ansible.builtin.uri": {
                      "url": "{{ drweb_api_url }}/api/stations/info.ds?id={{ item | urlencode }}",
                      "url_username": "{{ drweb_api_username }}", "url_password": "{{ drweb_api_password }}",
                      "force_basic_auth": True, "ca_path": "{{ drweb_ca_path }}", "status_code": 200},
                      "loop": "{{ bench_ids }}", "loop_control": {"label": "{{ item }}"}}]}]


def delegated(play):
    """``play`` with its task delegated to localhost: the host-based pattern."""
    play = json.loads(json.dumps(play))
    play[0]["tasks"][0]["delegate_to"] = "localhost"
    return play


RSS_INTERPRETER = """#!/bin/sh
exec /usr/bin/time -a -o %(log)s -f "%%M %%U %%S" %(python)s "$@"
"""


class Bench(object):
    def __init__(self, args, workdir):
        self.args = args
        self.workdir = workdir
        self.collections = harness.collections_path(os.path.join(workdir, "collections"))
        self.ansible = harness.Ansible(self.collections, os.path.join(workdir, "ansible"))
        self.emu = harness.Emulator(workdir=os.path.join(workdir, "emulator"), stations=args.stations)
        os.makedirs(self.emu.workdir)
        self.samples = []
        self.memory = {}

    def station_ids(self):
        width = max(6, len(str(self.args.stations)))
        return ["gen-%0*d" % (width, i) for i in range(1, self.args.stations + 1)]

    def inventory(self, name, interpreter=None, limit=None):
        ids = self.station_ids()[:limit] if limit else self.station_ids()
        hosts = dict(("st-%s" % sid, {"station_id": sid}) for sid in ids)
        group_vars = {"drweb_api_url": self.emu.url, "drweb_api_username": self.emu.user,
                      "drweb_api_password": self.emu.password, "drweb_ca_path": self.emu.ca_file}
        path = self.ansible.hosts_inventory(name, hosts, group_vars)
        if interpreter:
            data = json.load(open(path))
            data["all"]["vars"]["ansible_python_interpreter"] = interpreter
            with open(path, "w") as handle:
                json.dump(data, handle)
        return path

    def extra_vars(self, side, description, limit=None):
        ids = self.station_ids()[:limit] if limit else self.station_ids()
        if side == "bulk":
            return {"bench_concurrency": self.args.concurrency,
                    "bench_stations": [{"id": sid, "description": description} for sid in ids]}
        if side.startswith("loop"):
            return {"bench_description": description, "bench_ids": ids}
        return {"bench_description": description}

    def run(self, side, scenario, round_no, description):
        playbook, hosts, env = self.playbooks[side]
        rss_log = os.path.join(self.workdir, "rss-%s-%s-%d.log" % (side, scenario, round_no))
        mark = self.emu.mark()
        load = loadavg_now()
        run = self.ansible.playbook(playbook, hosts, forks=self.args.forks,
                                    check=(side not in BASELINES and scenario == "check"),
                                    extra_vars=self.extra_vars(side, description), env=env,
                                    wrapper=harness.rss_wrapper(rss_log), timeout=7200)
        requests = self.emu.requests(mark)
        per_station = pycollections.Counter(harness.station_of(r) for r in requests)
        writes = [r for r in requests if r.get("write")]
        usage = harness.read_usage(rss_log)
        rss = [u["rss_kb"] for u in usage]
        cpu = usage[-1]["cpu_s"] if usage else None
        n = self.args.stations
        sample = {"side": side, "scenario": scenario, "round": round_no, "wall_s": round(run.seconds, 3),
                  "s_per_station": round(run.seconds / n, 4), "requests": len(requests),
                  "requests_per_station": round(len(requests) / float(n), 3),
                  "max_requests_one_station": max(per_station.values()) if per_station else 0,
                  "writes": len(writes), "changed": changed_stations(run),
                  "failed": len(run.by_status("failed")) + len(run.by_status("unreachable")) + (0 if run.rc == 0 else 1),
                  "run_peak_rss_mb": round(rss[-1] / 1024.0, 1) if rss else None, "load_1m": load,
                  "cpu_s": cpu, "cpu_s_per_station": round(cpu / n, 4) if cpu is not None else None}
        self.samples.append(sample)
        print("  round %d %-8s %-8s %7.1fs  %.3f s/station  %s CPU s/station  %.2f req/station  %4d writes  %4d changed  %d failed  %s MB  load %s" % (
            round_no, side[:8], scenario, run.seconds, sample["s_per_station"], sample["cpu_s_per_station"], sample["requests_per_station"],
            sample["writes"],
            sample["changed"], sample["failed"], sample["run_peak_rss_mb"], load), flush=True)
        if sample["failed"]:
            print("    last output:\n" + "\n".join("    | " + line for line in run.output.splitlines()[-15:]))
        return sample

    def measure(self):
        hosts = self.inventory("stations.json")
        localhost = self.bulk_inventory("localhost.json")
        self.playbooks = {
            "task": (self.ansible.write("ours.yml", json.dumps(OURS, indent=1)), hosts, None),
            "bulk": (self.ansible.write("bulk.yml", json.dumps(BULK, indent=1)), self.bulk_inventory("bulk.json"), None),
            "baseline": (self.ansible.write("baseline.yml", json.dumps(BASELINE, indent=1)), hosts, None),
            "loop": (self.ansible.write("loop.yml", json.dumps(LOOP, indent=1)), localhost, None),
            "loop-uri": (self.ansible.write("loop-uri.yml", json.dumps(LOOP_BASELINE, indent=1)), localhost, None),
            "host": (self.ansible.write("host.yml", json.dumps(delegated(OURS), indent=1)), hosts, None),
            "host-uri": (self.ansible.write("host-uri.yml", json.dumps(delegated(BASELINE), indent=1)), hosts, None),
        }
        for way in ("loop", "host"):
            self.playbooks[way + "-module"] = self.playbooks[way][:2] + (MODULE_PATH,)
        # Every pattern asked for, one after the other; within one, the sides alternate. task and
        # bulk share their baseline, so they are measured together.
        patterns = [PATTERNS[way] for way in self.args.ways if way not in ("task", "bulk")]
        fleet = tuple(way for way in ("task", "bulk") if way in self.args.ways)
        if fleet:
            patterns.insert(0, fleet + ("baseline",))
        for sides in patterns:
            self.measure_pattern(sides)
        if "task" in self.args.ways and "bulk" in self.args.ways:
            self.measure_module_memory()

    def measure_pattern(self, sides):
        # Untimed: the first run of a side pays one-off costs (AnsiballZ cache, .pyc files).
        first = "st-%s" % self.station_ids()[0]
        for side in sides:
            playbook, hosts, env = self.playbooks[side]
            self.ansible.playbook(playbook, hosts, forks=self.args.forks, env=env,
                                  extra_vars=self.extra_vars(side, "warm-up", limit=1),
                                  argv=() if side == "bulk" or side.startswith("loop") else ("--limit", first),
                                  timeout=3600)
        stored = None
        for round_no in range(self.args.rounds):
            for scenario in SCENARIOS:
                shift = round_no % len(sides)
                for side in sides[shift:] + sides[:shift]:
                    # Every way of ours writes: each changed run needs a text the station does not
                    # have yet, and a no-op run the text the last changed run left.
                    description = stored if scenario == "noop" else "bench r%d %s %s" % (round_no, scenario, side)
                    self.run(side, scenario, round_no, description)
                    if scenario == "changed" and side not in BASELINES:
                        stored = description

    def bulk_inventory(self, name, interpreter=None):
        group_vars = {"drweb_api_url": self.emu.url, "drweb_api_username": self.emu.user,
                      "drweb_api_password": self.emu.password, "drweb_ca_path": self.emu.ca_file}
        if interpreter:
            group_vars["ansible_python_interpreter"] = interpreter
        return self.ansible.hosts_inventory(name, {"bulk": {}}, group_vars)

    def measure_module_memory(self):
        """Untimed: run each module process under /usr/bin/time as Ansible starts it."""
        if not os.path.exists("/usr/bin/time") or not self.args.memory_hosts:
            return
        for side, scenario in (("task", "changed"), ("task", "noop"), ("bulk", "changed"), ("baseline", "read")):
            log = os.path.join(self.workdir, "module-rss-%s-%s.log" % (side, scenario))
            wrapper = os.path.join(self.workdir, "rss-python-%s-%s" % (side, scenario))
            with open(wrapper, "w") as handle:
                handle.write(RSS_INTERPRETER % {"log": log, "python": harness.PYTHON})
            os.chmod(wrapper, stat.S_IRWXU)
            name = "memory-%s-%s.json" % (side, scenario)
            if side == "bulk":
                # One process for all N stations: the figure that grows with the fleet.
                hosts = self.bulk_inventory(name, interpreter=wrapper)
            else:
                hosts = self.inventory(name, interpreter=wrapper, limit=self.args.memory_hosts)
            # Ours on the module path: the controller path starts no module process to measure.
            self.ansible.playbook(self.playbooks[side][0], hosts, forks=self.args.forks,
                                  env=None if side in BASELINES else MODULE_PATH,
                                  extra_vars=self.extra_vars(side, "memory pass %s" % side), timeout=3600)
            usage = harness.read_usage(log)
            values = [u["rss_kb"] for u in usage]
            cpu = [u["cpu_s"] for u in usage if u["cpu_s"] is not None]
            self.memory["%s_%s" % (side, scenario)] = {
                "module_processes": len(values), "median_mb": round(median(values) / 1024.0, 1) if values else None,
                "max_mb": round(max(values) / 1024.0, 1) if values else None,
                "median_cpu_s": round(median(cpu), 3) if cpu else None}

    def summarise(self, way, scenario):
        ours = [s for s in self.samples if s["side"] == way and s["scenario"] == scenario]
        baseline, ratio_targets = WAYS[way]
        base = [s for s in self.samples if s["side"] == baseline and s["scenario"] == scenario]
        ratios = [o["wall_s"] / b["wall_s"] for o, b in zip(ours, base)]
        cpu_ours = [s["cpu_s"] for s in ours if s["cpu_s"] is not None]
        cpu_base = [s["cpu_s"] for s in base if s["cpu_s"] is not None]
        ratio = sum(s["wall_s"] for s in ours) / sum(s["wall_s"] for s in base) if ours and base else None
        cpu_ratio = sum(cpu_ours) / sum(cpu_base) if cpu_ours and cpu_base and len(cpu_ours) == len(cpu_base) else None
        target = TARGET_REQUESTS[scenario]
        row = {
            "way": way, "baseline": baseline, "scenario": scenario, "rounds": len(ours),
            "ours_s_per_station": median([s["s_per_station"] for s in ours]),
            "baseline_s_per_station": median([s["s_per_station"] for s in base]),
            "ratio": round(ratio, 3) if ratio else None,
            "ratio_per_round": [round(r, 3) for r in ratios],
            "ours_cpu_s_per_station": median([s["cpu_s_per_station"] for s in ours]),
            "baseline_cpu_s_per_station": median([s["cpu_s_per_station"] for s in base]),
            "cpu_ratio": round(cpu_ratio, 3) if cpu_ratio else None,
            "requests_per_station": median([s["requests_per_station"] for s in ours]),
            "writes_per_station": median([s["writes"] / float(self.args.stations) for s in ours]),
            "max_requests_one_station": max(s["max_requests_one_station"] for s in ours) if ours else None,
            "baseline_requests_per_station": median([s["requests_per_station"] for s in base]),
            "run_peak_rss_mb": max(s["run_peak_rss_mb"] or 0 for s in ours) if ours else None,
            "baseline_run_peak_rss_mb": max(s["run_peak_rss_mb"] or 0 for s in base) if base else None,
            "failed": sum(s["failed"] for s in ours + base),
            "changed": median([s["changed"] for s in ours]),
            "requests_target": target,
        }
        row["requests_met"] = row["requests_per_station"] is not None and row["requests_per_station"] <= target \
            and row["max_requests_one_station"] <= target
        row["ratio_target"] = ratio_targets.get(scenario, DEFAULT_RATIO_TARGET)
        row["ratio_met"] = row["ratio"] is not None and row["ratio"] <= row["ratio_target"]
        return row

    def report(self, argv, info):
        measured = set(s["side"] for s in self.samples)
        summary = [self.summarise(way, scenario) for way in WAYS if way in measured for scenario in SCENARIOS]
        print()
        print("%d stations, %d forks, bulk concurrency %d, %d round(s)" % (
            self.args.stations, self.args.forks, self.args.concurrency, self.args.rounds))
        print(table(["way", "uri way", "scenario", "ours s/station", "uri s/station", "ours/uri", "target", "per round", "CPU ours/uri", "req/station",
                     "target", "writes/station", "changed", "run peak RSS MB", "uri run RSS MB", "failed"],
                    [[r["way"], r["baseline"], r["scenario"], r["ours_s_per_station"], r["baseline_s_per_station"], r["ratio"],
                      r["ratio_target"],
                      " ".join("%.2f" % x for x in r["ratio_per_round"]), r["cpu_ratio"], r["requests_per_station"],
                      r["requests_target"], r["writes_per_station"], r["changed"], r["run_peak_rss_mb"],
                      r["baseline_run_peak_rss_mb"], r["failed"]] for r in summary]))
        if self.memory:
            print()
            print(table(["module processes (untimed pass)", "processes", "median RSS MB", "max RSS MB", "median CPU s"],
                        [[k, v["module_processes"], v["median_mb"], v["max_mb"], v.get("median_cpu_s")] for k, v in sorted(self.memory.items())]))
        print()
        for row in summary:
            print("target %-11s %-8s requests/station <= %d: %-7s wall-time ratio <= %.2f: %-14s (CPU-time ratio %s)" % (
                row["way"], row["scenario"], row["requests_target"], "met" if row["requests_met"] else "MISSED",
                row["ratio_target"],
                "met (%.2f)" % row["ratio"] if row["ratio_met"] else "MISSED (%.2f)" % row["ratio"] if row["ratio"] else "not measured",
                row["cpu_ratio"]))
        print("load average at the end: %s (2 cores shared with other work make absolute times noisy)" % (machine()["loadavg_1_5_15"],))
        write_json(self.args.json, {"benchmark": "converge", "command": [os.path.basename(sys.argv[0])] + list(argv),
                                    "stations": self.args.stations, "forks": self.args.forks,
                                    "concurrency": self.args.concurrency, "rounds": self.args.rounds,
                                    "ways": self.args.ways,
                                    "machine": info, "machine_at_end": machine(), "samples": self.samples,
                                    "summary": summary, "module_memory": self.memory})
        return 1 if any(r["failed"] for r in summary) else 0


def changed_stations(run):
    """Stations reported changed: one per changed task result or loop item, or per changed entry of a bulk result."""
    count = 0
    for record in run.results:
        for result in record["result"].get("results") or [record["result"]]:  # a loop: one per item
            entries = result.get("stations")
            count += sum(1 for e in entries if e.get("changed")) if isinstance(entries, list) else int(bool(result.get("changed")))
    return count


def ways(text):
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in PATTERNS]
    if unknown or not names:
        raise argparse.ArgumentTypeError("unknown way(s) %s; choose from %s" % (", ".join(unknown) or "(none)", ", ".join(PATTERNS)))
    return names


def arguments(argv):
    """The command line, parsed (tests/docs checks every command the docs quote against it)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--stations", type=int, default=200, help="stations to converge (default 200)")
    parser.add_argument("--forks", type=int, default=os.cpu_count() or 2, help="ansible forks (default: CPU count)")
    parser.add_argument("--concurrency", type=int, default=4, help="drweb_stations concurrency of the bulk way (default 4)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the three scenarios (default 2)")
    parser.add_argument("--memory-hosts", type=int, default=20, help="stations in the untimed module-memory pass (0: skip)")
    parser.add_argument("--ways", default=",".join(PATTERNS), type=ways,
                        help="patterns to measure, comma-separated: %s (default: all)" % ", ".join(PATTERNS))
    parser.add_argument("--json", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "converge.json"))
    return parser.parse_args(argv)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = arguments(argv)

    def run(workdir, info):
        bench = Bench(args, workdir)
        with bench.emu:
            bench.measure()
        return bench.report(argv, info)
    return in_workdir("converge", "converge: %d stations, %d forks, bulk concurrency %d, %d round(s)" % (
        args.stations, args.forks, args.concurrency, args.rounds), run)


if __name__ == "__main__":
    sys.exit(main())
