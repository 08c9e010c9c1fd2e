#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run every benchmark with its defaults and write benchmarks/results/<name>.json (`make bench`).

Usage: run_all.py [name ...]   names: converge, large_group, module_startup, emulator_throughput
Each benchmark is a separate process with this interpreter; the exit code is non-zero when
one of them failed (a failed task or request, not a slow figure: nothing here is a timed test).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")

BENCHMARKS = [
    ("converge", ["converge.py"]),
    ("large_group", ["large_group.py"]),
    ("module_startup", ["module_startup.py"]),
    ("emulator_throughput", ["emulator_throughput.py"]),
]


def main(argv):
    wanted = argv or [entry[0] for entry in BENCHMARKS]
    unknown = sorted(set(wanted) - set(entry[0] for entry in BENCHMARKS))
    if unknown:
        print("unknown benchmark(s): %s" % ", ".join(unknown))
        return 2
    os.makedirs(RESULTS, exist_ok=True)
    failed = []
    for name, args in BENCHMARKS:
        if name not in wanted:
            continue
        script = os.path.join(HERE, args[0])
        if not os.path.exists(script):
            print("==> %s: %s is missing, skipped" % (name, args[0]))
            continue
        out = os.path.join(RESULTS, name + ".json")
        print("==> %s" % name, flush=True)
        started = time.time()
        code = subprocess.call([sys.executable, script] + args[1:] + ["--json", out], cwd=os.path.dirname(HERE))
        print("    %s: exit %d (%.0f s)\n" % (name, code, time.time() - started), flush=True)
        if code != 0:
            failed.append(name)
    if failed:
        print("failed: %s" % ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
