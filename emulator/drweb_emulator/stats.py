# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request counters, for tests and benchmarks that count what a client really sent."""

import threading
import time


class Stats:
    def __init__(self):
        self._lock = threading.Lock()
        # Connection numbers keep growing across resets, so that a log line names one connection.
        self._serial = 0
        self.reset()

    def reset(self):
        with self._lock:
            self._total = 0
            self._writes = 0
            self._by_script = {}
            self._by_status = {}
            # Connections accepted (TCP, TLS handshake done), and those that carried an API request.
            self._connections = 0
            self._api_connections = set()

    def connection_opened(self):
        """Count an accepted connection; returns its number (1, 2, ...), shown in the request log."""
        with self._lock:
            self._serial += 1
            self._connections += 1
            return self._serial

    def record_connection(self, number):
        """Note that connection ``number`` carried an API request (admin requests do not count)."""
        with self._lock:
            self._api_connections.add(number)

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
                    "connections": self._connections, "api_connections": len(self._api_connections),
                    # CPU time of the whole emulator process, for per-request cost in benchmarks.
                    "process_cpu_seconds": round(time.process_time(), 6)}
