#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One ``drweb_stations`` task converging N unchanged stations, next to the wire's floor.

For each size the script starts its own emulator (TLS, random password, request log,
``--generate-stations N``) and alternates, round after round, three runs against it:

``floor``  a bare keep-alive ``requests`` loop: ``--concurrency`` threads, one
           ``requests.Session`` each, one ``GET stations/info.ds?id=<station>`` per
           station, the body read and dropped (no parsing, no comparison). The least any
           client can spend to look at every station at that concurrency.
``ours``   ``ansible-playbook`` of one ``drweb_stations`` task (``connection: local``, so
           the controller path) with the N stations in ``-e @file`` and
           ``stations: "{{ fleet }}"``, each entry ``{id, name}`` as the emulator holds
           it: every station is unchanged. Controller start-up, templating of the list,
           validation, the converge, the result's way back and the callbacks included.
           It runs as a user runs it, with the default callback only (not the test
           harness's recorder), and an ``assert`` task fails it unless every station
           came back unchanged.
``lean``   the same task with ``return_station: changed`` (what the stations role runs):
           the unchanged stations' entries carry no station details.

``--module-path`` adds a fourth run, the ``ours`` task with ``DRWEB_EXECUTION=module``.

Figures: wall seconds of each run and ``ours/floor`` (sum of our wall times over the sum
of the floor's, same rounds); requests per station and writes, from the emulator's request
log; peak RSS of the whole ``ansible-playbook`` run (``/usr/bin/time -f %M``: the largest
process of the tree); the emulator's own CPU time per request (``/_emulator/stats``), which
shows whether the server bounds both sides; each run's three phases, from the request log's clock:
until the first request, the converge (first to last request), after the last request; the CPU of
the whole ``ansible-playbook`` run. ``--profile`` writes cProfile files of the
controller process and of the worker that runs the task (a ``sitecustomize`` on the
run's PYTHONPATH, nothing in the collection) and prints where the worker's time goes.

Nothing is asserted. Usage:
  bulk_scale.py [--sizes 10000,100000] [--concurrency 4] [--rounds 2] [--module-path] [--profile] [--json OUT]
Targets (issue 13): ours/floor <= 1.5 at 10,000, 1 request per station, 0 writes, peak RSS <= 250 MB,
and time per station flat from 10,000 to 100,000.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import glob
import json
import os
import pstats
import sys
import threading
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import harness, in_workdir, loadavg_now, machine, table, write_json  # noqa: E402 pylint: disable=wrong-import-position

# The runs of ours: the controller path with the default result, the same returning only changed
# stations' details (what the stations role runs), and the module path (--module-path).
PATHS = {"ours": "controller", "lean": "controller, return_station=changed", "module": "module"}

PLAY = [{"hosts": "localhost", "gather_facts": False,
         "module_defaults": {"group/drweb.esuite.drweb": {
             "api_url": "{{ drweb_api_url }}", "api_username": "{{ drweb_api_username }}",
             "api_password": "{{ drweb_api_password }}", "ca_path": "{{ drweb_ca_path }}"}},
         "tasks": [
             {"name": "Converge the fleet", "register": "converged", "drweb.esuite.drweb_stations": {
                 "stations": "{{ fleet }}", "concurrency": "{{ fleet_concurrency }}",
                 "return_station": "{{ fleet_return_station | default('always') }}"}},
             # The run fails unless every station was read and found unchanged (the recorder is off: see run).
             {"name": "Every station unchanged", "ansible.builtin.assert": {
                 "that": ["converged.summary.unchanged == fleet | length"], "quiet": True}}]}]

# Loaded by every Python of the profiled run (PYTHONPATH); profiles the task's worker process.
# Only its main thread: the profiled run converges at concurrency 1 (see Bench.profile), so every
# station's work is on that thread. Wrapping threading.Thread.run for the pool's threads as well
# left the forked worker hanging at its end (a profiled thread that never ends: the client's watchdog).
SITECUSTOMIZE = '''
import cProfile, os, time
_out = os.environ.get("DRWEB_BENCH_PROFILE_DIR")
if _out:
    try:
        from ansible.executor.process import worker as _worker
    except Exception:
        _worker = None
    if _worker is not None:
        _run = _worker.WorkerProcess._run

        def _profiled(self, *args, **kwargs):
            profile = cProfile.Profile(time.process_time)
            try:
                return profile.runcall(_run, self, *args, **kwargs)
            finally:
                profile.dump_stats(os.path.join(_out, "worker-%d-main.prof" % os.getpid()))
        _worker.WorkerProcess._run = _profiled
'''


def station_ids(count):
    width = max(6, len(str(count)))
    return [("gen-%0*d" % (width, i), "WS-%0*d" % (width, i)) for i in range(1, count + 1)]


def floor(emu, ids, concurrency):
    """Seconds for one keep-alive GET per station on ``concurrency`` sessions."""
    url = emu.url + "/api/stations/info.ds"
    lock = threading.Lock()
    cursor = iter(ids)
    errors = []

    def client():
        session = requests.Session()
        session.trust_env = False
        while True:
            with lock:
                sid = next(cursor, None)
            if sid is None:
                return
            response = session.get(url, params={"id": sid}, auth=(emu.user, emu.password), verify=emu.ca_file, timeout=60)
            if response.status_code != 200:
                errors.append(response.status_code)
            response.content  # pylint: disable=pointless-statement

    threads = [threading.Thread(target=client) for dummy in range(concurrency)]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError("the floor loop got %d non-200 answers" % len(errors))
    return time.time() - started


class Bench(object):
    def __init__(self, args, workdir):
        self.args = args
        self.workdir = workdir
        self.collections = harness.collections_path(os.path.join(workdir, "collections"))
        self.samples = []
        self.profiles = {}

    def emulator_cpu(self, emu):
        stats = emu.admin("GET", "stats")
        return stats["process_cpu_seconds"], stats["requests"]

    def measure(self, size):
        workdir = os.path.join(self.workdir, "n%d" % size)
        emu = harness.Emulator(workdir=os.path.join(workdir, "emulator"), stations=size)
        os.makedirs(emu.workdir)
        ansible = harness.Ansible(self.collections, os.path.join(workdir, "ansible"))
        ids = station_ids(size)
        playbook = ansible.write("bulk.yml", json.dumps(PLAY, indent=1))
        extra = {"fleet": [{"id": sid, "name": name} for sid, name in ids], "fleet_concurrency": self.args.concurrency,
                 "drweb_api_url": None, "drweb_api_username": None, "drweb_api_password": None, "drweb_ca_path": None}
        sides = ["floor", "ours", "lean"] + (["module"] if self.args.module_path else [])
        started = time.time()
        with emu:
            print("  %d stations: emulator ready in %.1f s" % (size, time.time() - started), flush=True)
            extra.update(drweb_api_url=emu.url, drweb_api_username=emu.user, drweb_api_password=emu.password,
                         drweb_ca_path=emu.ca_file)
            inventory = ansible.write("localhost.ini", harness.LOCALHOST_INVENTORY % harness.PYTHON)
            extra_path = ansible.write("fleet.json", json.dumps(extra))
            for round_no in range(self.args.rounds):
                shift = round_no % len(sides)
                for side in sides[shift:] + sides[:shift]:
                    self.run(emu, ansible, side, size, round_no, ids, playbook, inventory, extra_path)
            if self.args.profile:
                self.profile(emu, ansible, size, playbook, inventory, extra_path)

    def run(self, emu, ansible, side, size, round_no, ids, playbook, inventory, extra_path):
        mark = emu.mark()
        cpu_before, served_before = self.emulator_cpu(emu)
        load = loadavg_now()
        started = time.time()
        rss = cpu = None
        failed = 0
        if side == "floor":
            seconds = floor(emu, [sid for sid, dummy in ids], self.args.concurrency)
        else:
            rss_log = os.path.join(ansible.workdir, "rss-%s-%d.log" % (side, round_no))
            env = {"DRWEB_EXECUTION": "module"} if side == "module" else {"DRWEB_EXECUTION": "controller"}
            lean = ("-e", "fleet_return_station=changed") if side == "lean" else ()
            # As a user runs it: the default callback only, no recorder writing the 10,000 results to a file.
            run = ansible.playbook(playbook, inventory, argv=("-e", "@" + extra_path) + lean, env=env,
                                   wrapper=harness.rss_wrapper(rss_log), timeout=7200, record=False)
            seconds = run.seconds
            usage = harness.read_usage(rss_log)
            rss = round(usage[-1]["rss_kb"] / 1024.0, 1) if usage else None
            cpu = usage[-1]["cpu_s"] if usage else None
            failed = run.rc != 0
            if failed:
                print("    the run failed:\n" + "\n".join("    | " + line for line in run.output.splitlines()[-15:]))
        ended = time.time()
        cpu_after, served_after = self.emulator_cpu(emu)
        logged = emu.requests(mark)
        # The run's three phases, from the request log's own clock (milliseconds): until the first
        # request (start-up, the list's load and templating, validation), the converge, and after the
        # last request (the result's way back, callbacks, the next task, exit).
        first, last = (harness.log_time(logged[0]), harness.log_time(logged[-1])) if logged else (started, started)
        phases = [round(first - started, 2), round(last - first, 2), round(ended - last, 2)]
        sample = {"size": size, "side": side, "round": round_no, "wall_s": round(seconds, 2),
                  "us_per_station": round(seconds / size * 1e6, 1), "requests": len(logged),
                  "writes": sum(1 for r in logged if r.get("write")), "peak_rss_mb": rss, "failed": bool(failed),
                  "phases_s": phases, "cpu_s": cpu,
                  "emulator_cpu_us_per_request": round((cpu_after - cpu_before) / max(1, served_after - served_before) * 1e6, 1),
                  "load_1m": load}
        self.samples.append(sample)
        print("  round %d %-6s %6d stations %8.1f s (%.1f + %.1f + %.1f)  %7.1f us/station  %6d requests  %d writes  "
              "%s MB  %s s CPU  emulator %s us CPU/request  load %s" % (
                  round_no, side, size, seconds, phases[0], phases[1], phases[2], sample["us_per_station"],
                  sample["requests"], sample["writes"],
                  rss if rss is not None else "-", cpu if cpu is not None else "-", sample["emulator_cpu_us_per_request"], load), flush=True)

    def profile(self, emu, ansible, size, playbook, inventory, extra_path):
        """An extra, untimed run under cProfile: where the worker's time goes."""
        out = os.path.join(self.workdir, "profile-%d" % size)
        os.makedirs(out)
        site = os.path.join(self.workdir, "site")
        os.makedirs(site, exist_ok=True)
        with open(os.path.join(site, "sitecustomize.py"), "w") as handle:
            handle.write(SITECUSTOMIZE)
        env = {"DRWEB_EXECUTION": "controller", "DRWEB_BENCH_PROFILE_DIR": out,
               "PYTHONPATH": site + os.pathsep + os.environ.get("PYTHONPATH", "")}
        # Concurrency 1: the pool runs every station on the profiled main thread.
        ansible.playbook(playbook, inventory, argv=("-e", "@" + extra_path, "-e", "fleet_concurrency=1"), env=env,
                         timeout=7200)
        by_pid = {}
        for path in glob.glob(os.path.join(out, "worker-*.prof")):
            by_pid.setdefault(os.path.basename(path).split("-")[1], []).append(path)
        if not by_pid:
            print("  no worker profile was written")
            return
        # The worker with the most profiled CPU ran the drweb_stations task (the other one, debug).
        files = max(by_pid.values(), key=lambda paths: pstats.Stats(*paths).total_tt)
        stats = pstats.Stats(*files)
        total = stats.total_tt
        rows = []
        for (path, line, name), (dummy, calls, own, cumulative, dummy2) in stats.stats.items():
            rows.append((cumulative, own, calls, "%s:%d(%s)" % (_short(path), line, name)))
        rows.sort(reverse=True)
        keep = os.path.join(self.args.profile_dir, "bulk-worker-%d.prof" % size) if self.args.profile_dir else None
        if keep:
            os.makedirs(self.args.profile_dir, exist_ok=True)
            stats.dump_stats(keep)
        self.profiles[size] = {"worker_cpu_s": round(total, 2), "file": keep,
                               "top_cumulative": [{"function": r[3], "cumulative_s": round(r[0], 2), "own_s": round(r[1], 2),
                                                   "calls": r[2]} for r in rows[:40]]}
        print("\n  where the worker's time goes (%d stations at concurrency 1, cProfile of the worker's "
              "CPU time, %.1f s in all; cumulative):" % (size, total))
        print(table(["function", "cumulative s", "own s", "calls"],
                    [[r[3], round(r[0], 2), round(r[1], 2), r[2]] for r in rows[:45]]))
        own = sorted(rows, key=lambda r: r[1], reverse=True)[:25]
        print("\n  by own time:")
        print(table(["function", "own s", "calls"], [[r[3], round(r[1], 2), r[2]] for r in own]))

    def report(self, argv, info):
        rows = []
        for size in self.args.sizes:
            floor_runs = [s for s in self.samples if s["size"] == size and s["side"] == "floor"]
            for side in ("ours", "lean", "module"):
                runs = [s for s in self.samples if s["size"] == size and s["side"] == side]
                if not runs or not floor_runs:
                    continue
                ratio = sum(s["wall_s"] for s in runs) / sum(s["wall_s"] for s in floor_runs)
                rows.append({"size": size, "side": side, "rounds": len(runs),
                             "wall_s": min(s["wall_s"] for s in runs), "floor_wall_s": min(s["wall_s"] for s in floor_runs),
                             "ratio": round(ratio, 3), "ratio_per_round": [round(o["wall_s"] / f["wall_s"], 3)
                                                                           for o, f in zip(runs, floor_runs)],
                             "us_per_station": min(s["us_per_station"] for s in runs),
                             "requests_per_station": max(s["requests"] for s in runs) / float(size),
                             "writes": max(s["writes"] for s in runs),
                             "peak_rss_mb": max(s["peak_rss_mb"] or 0 for s in runs),
                             "emulator_cpu_us_per_request": max(s["emulator_cpu_us_per_request"] for s in runs),
                             "failed": any(s["failed"] for s in runs)})
        print()
        print("drweb_stations no-op, concurrency %d, %d round(s), ours/floor = summed wall times of the same rounds"
              % (self.args.concurrency, self.args.rounds))
        print(table(["stations", "path", "ours s", "floor s", "ours/floor", "per round", "us/station", "req/station",
                     "writes", "peak RSS MB", "emulator us CPU/req", "failed"],
                    [[r["size"], PATHS[r["side"]], r["wall_s"], r["floor_wall_s"], r["ratio"],
                      " ".join("%.2f" % x for x in r["ratio_per_round"]), r["us_per_station"], r["requests_per_station"],
                      r["writes"], r["peak_rss_mb"], r["emulator_cpu_us_per_request"], r["failed"]] for r in rows]))
        for row in [r for r in rows if r["side"] in ("ours", "lean")]:
            print("target %6d stations, %s: ours/floor <= 1.5: %s (%.2f); 1 request/station: %s; 0 writes: %s; "
                  "peak RSS <= 250 MB: %s (%.0f MB)" % (
                      row["size"], PATHS[row["side"]], "met" if row["ratio"] <= 1.5 else "MISSED", row["ratio"],
                      "met" if row["requests_per_station"] == 1 else "MISSED",
                      "met" if row["writes"] == 0 else "MISSED",
                      "met" if row["peak_rss_mb"] <= 250 else "MISSED", row["peak_rss_mb"]))
        for side in ("ours", "lean"):
            ours = [r for r in rows if r["side"] == side]
            if len(ours) > 1:
                first, last = ours[0], ours[-1]
                print("growth %d -> %d stations, %s: time per station x%.2f (1.00 = linear), floor per station x%.2f" % (
                    first["size"], last["size"], PATHS[side], last["us_per_station"] / first["us_per_station"],
                    (last["floor_wall_s"] / last["size"]) / (first["floor_wall_s"] / first["size"])))
        print("load average at the end: %s" % (machine()["loadavg_1_5_15"],))
        write_json(self.args.json, {"benchmark": "bulk_scale", "command": [os.path.basename(sys.argv[0])] + list(argv),
                                    "concurrency": self.args.concurrency, "rounds": self.args.rounds,
                                    "machine": info, "machine_at_end": machine(), "samples": self.samples,
                                    "summary": rows, "profiles": self.profiles})
        return 1 if any(r["failed"] for r in rows) else 0


def _short(path):
    for marker in ("site-packages/", "ansible_collections/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return os.path.basename(path)


def arguments(argv):
    """The command line, parsed (tests/docs checks every command the docs quote against it)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--sizes", default="10000,100000", help="station counts (default 10000,100000)")
    parser.add_argument("--concurrency", type=int, default=4, help="drweb_stations concurrency and floor threads (default 4)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per size (default 2)")
    parser.add_argument("--module-path", action="store_true", help="also run the task with DRWEB_EXECUTION=module")
    parser.add_argument("--profile", action="store_true", help="one more, untimed run per size under cProfile")
    parser.add_argument("--profile-dir", help="keep the worker's cProfile file here")
    parser.add_argument("--json", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "bulk_scale.json"))
    args = parser.parse_args(argv)
    args.sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    return args


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = arguments(argv)

    def run(workdir, info):
        bench = Bench(args, workdir)
        for size in args.sizes:
            bench.measure(size)
        return bench.report(argv, info)
    return in_workdir("bulk", "bulk_scale: sizes %s, concurrency %d, %d round(s)" % (
        ",".join(str(s) for s in args.sizes), args.concurrency, args.rounds), run)


if __name__ == "__main__":
    sys.exit(main())
