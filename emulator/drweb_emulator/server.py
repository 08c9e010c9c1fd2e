# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""EmulatorServer: wires seed, store, faults, logs, TLS and the HTTP server together."""

import os
import tempfile
import threading

from . import seed, tls
from .envelope import Envelope
from .faults import Faults
from .httpd import EmulatorHTTPServer
from .reqlog import NullLog, RequestLog
from .stats import Stats
from .store import Store


class EmulatorServer:
    def __init__(self, config):
        self.config = config
        self.seed_document = seed.load_seed(config.seed)
        document = self.seed_document
        if config.state_file and os.path.exists(config.state_file) and os.path.getsize(config.state_file):
            # A restart continues from the saved state, not from the seed.
            document = seed.load_seed(config.state_file)
        self.store = Store(document, update_duration=config.update_duration, state_path=config.state_file)
        self._generate()
        self.store.touch()
        self.store.save_if_dirty()
        self.faults = Faults(config.faults)
        self.stats = Stats()
        self.envelope = Envelope(config)
        self.request_log = RequestLog(config.request_log) if config.request_log else NullLog()
        self.ssl_context = None
        if config.tls:
            if not config.ca_file:
                config.ca_file = os.path.join(tempfile.gettempdir(), "drweb-emulator-ca-%d.pem" % os.getpid())
            self.ssl_context = tls.server_context(config.host, config.ca_file)
        self.httpd = EmulatorHTTPServer((config.host, config.port), self, self.ssl_context)
        self._thread = None

    # ------------------------------------------------------------------ lifecycle
    @property
    def port(self):
        return self.httpd.server_address[1]

    @property
    def url(self):
        host = self.config.host
        if ":" in host:
            host = "[%s]" % host
        return "%s://%s:%d" % ("https" if self.config.tls else "http", host, self.port)

    def serve_forever(self):
        self.httpd.serve_forever(poll_interval=0.2)

    def start(self):
        """Serve from a background thread (for in-process tests)."""
        self._thread = threading.Thread(target=self.serve_forever, name="drweb-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)
        self.store.save_if_dirty()
        self.request_log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ------------------------------------------------------------------ admin operations
    def _generate(self):
        if self.config.generate_stations:
            seed.generate_stations(self.store, self.config.generate_stations,
                                   self.config.generate_group or "generated")

    def reset(self):
        with self.store.lock:
            self.store.load(self.seed_document)
            self._generate()
            self.store.touch()
            self.store.save_if_dirty()

    def upsert(self, document):
        if not isinstance(document, dict):
            raise ValueError("upsert expects an object with groups/stations/newbies/repositories")
        store = self.store
        with store.lock:
            current = store.to_document()
            merged = _merge(current, document)
            Store(merged)           # raises on a bad document before the live state is touched
            store.load(merged)
            store.touch()
            store.save_if_dirty()

    def health(self):
        with self.store.lock:
            stations = sum(1 for s in self.store.stations.values() if s.status != "deleted")
            groups = len(self.store.groups)
        return {"status": "ok", "url": self.url, "port": self.port, "tls": bool(self.config.tls),
                "ca_file": self.config.ca_file, "api_version": self.config.profile.api_version,
                "stations": stations, "groups": groups}


def _merge(current, update):
    """Replace objects by id (repositories by code); new ones are appended."""
    unknown = set(update) - {"groups", "stations", "newbies", "repositories"}
    if unknown:
        raise ValueError("unknown upsert section(s): %s" % ", ".join(sorted(unknown)))
    merged = dict(current)
    for section, key in (("groups", "id"), ("stations", "id"), ("repositories", "code")):
        items = list(merged.get(section) or [])
        incoming = list(update.get(section) or [])
        if section == "stations":
            incoming += [dict(s, status="newbies") for s in update.get("newbies") or []]
        index = {str(item[key]): i for i, item in enumerate(items)}
        for item in incoming:
            if key not in item:
                raise ValueError("every %s entry needs %r" % (section, key))
            position = index.get(str(item[key]))
            if position is None:
                index[str(item[key])] = len(items)
                items.append(item)
            else:
                items[position] = item
        merged[section] = items
    return merged
