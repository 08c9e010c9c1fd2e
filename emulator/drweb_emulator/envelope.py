# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The response envelope of SPEC §2 in both formats, and the `x-drweb-*` headers."""

import json

from . import xmlout

CONTENT_TYPES = {"xml": "application/xml; charset=utf-8", "json": "application/json; charset=utf-8"}


class Envelope:
    def __init__(self, config):
        self.config = config
        self.profile = config.profile
        self.server_name = config.server_name or config.host

    def headers(self, ok):
        profile = self.profile
        return [
            ("x-drweb-api-status", "true" if ok else "false"),
            ("x-drweb-api-version", profile.api_version_header),
            ("x-drweb-srv-version", profile.srv_version_header),
            ("x-drweb-srv-type", profile.srv_type),
            ("x-drweb-srv", self.config.server_uuid),
        ]

    def success(self, fmt, payload, now):
        """payload: a list of XML elements or the JSON `data` value, matching fmt."""
        if fmt == "json":
            return self._json({"head": self._json_head(True, now), "data": payload})
        root = self._xml_root(True, now)
        root.extend(payload)
        return xmlout.serialize(root)

    def error(self, fmt, errno, message, now):
        if fmt == "json":
            # [emulator choice] SPEC §2.2: `error` next to `head`, no `data`.
            return self._json({"head": self._json_head(False, now),
                               "error": {"code": errno, "message": message}})
        root = self._xml_root(False, now)
        error = xmlout.sub(root, "error")
        xmlout.sub(error, "errno", body=errno)
        xmlout.sub(error, "message", body=message)
        return xmlout.serialize(root)

    def _xml_root(self, ok, now):
        return xmlout.element(self.profile.root, (
            ("api_version", self.profile.api_version),
            ("timestamp", int(now)),
            ("server", self.server_name),
            ("srv_version", self.profile.srv_version),
            ("status", ok),
        ))

    def _json_head(self, ok, now):
        api = {"version": self.profile.api_version_number}
        if self.profile.json_version_string:
            api["versionString"] = self.profile.api_version
        return {
            "api": api,
            "server": {"name": self.server_name, "uuid": self.config.server_uuid,
                       "version": self.profile.json_server_version},
            "status": ok,
            "timestamp": int(now),
        }

    @staticmethod
    def _json(document):
        return json.dumps(document, sort_keys=True, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
