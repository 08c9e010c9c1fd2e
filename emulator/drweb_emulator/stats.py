# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request counters, for tests and benchmarks that count what a client really sent."""

import threading
import time


class Stats:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._total = 0
            self._writes = 0
            self._by_script = {}
            self._by_status = {}

    def record(self, log):
        key = "%s/%s" % (log.get("object"), log.get("script"))
        with self._lock:
            self._total += 1
            self._writes += 1 if log.get("write") else 0
            self._by_script[key] = self._by_script.get(key, 0) + 1
            status = str(log.get("status"))
            self._by_status[status] = self._by_status.get(status, 0) + 1

    def snapshot(self):
        with self._lock:
            return {"requests": self._total, "writes": self._writes,
                    "by_script": dict(self._by_script), "by_status": dict(self._by_status),
                    # CPU time of the whole emulator process, for per-request cost in benchmarks.
                    "process_cpu_seconds": round(time.process_time(), 6)}
