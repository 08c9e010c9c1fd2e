# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start-up settings and the API generations the emulator can impersonate."""

import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Profile:
    api_version: str
    root: str
    srv_version: str
    srv_type: str
    json_version_string: bool        # `versionString` exists from 4.3 on
    json_server_version: object      # 4.1.3 sent a number, 4.3 a string

    @property
    def api_version_number(self):
        major, minor, patch = (int(p) for p in self.api_version.split("."))
        return major * 10000 + minor * 100 + patch

    @property
    def api_version_header(self):
        major, minor, patch = (int(p) for p in self.api_version.split("."))
        return "%02d%02d%02d" % (major, minor, patch)

    @property
    def srv_version_header(self):
        return self.srv_version.replace(".", "")


PROFILES = {
    "4.3.2": Profile("4.3.2", "drweb-es-api", "13.00.1.202310121", "ESuite", True, "13.00.1.202310121"),
    "4.3.0": Profile("4.3.0", "drweb-es-api", "13.00.0.202005090", "ESuite", True, "13.00.0.202005090"),
    "4.1.3": Profile("4.1.3", "drweb-avdesk-api", "10.01.0.201707130", "AVDesk", False, 1000201707130),
}
DEFAULT_PROFILE = "4.3.2"


@dataclass
class Config:
    host: str = "127.0.0.1"
    port: int = 0
    user: str = "admin"
    password: str = "drweb"
    readonly_user: str | None = None  # a second administrator, denied every change
    readonly_password: str = "drweb"
    tls: bool = False
    ca_file: str | None = None
    seed: object = None              # a path, a dict, or None for the packaged default seed
    state_file: str | None = None
    request_log: str | None = None
    update_duration: float = 2.0
    faults: object = None            # a rule dict / list, JSON text or a file path
    api_version: str = DEFAULT_PROFILE
    root: str | None = None
    server_name: str | None = None   # the `server` attribute; defaults to the host
    server_uuid: str = field(default_factory=lambda: str(uuid.uuid4()))
    generate_stations: int = 0
    generate_group: str | None = None
    public_port: int = 2193
    listing_by_type: bool = False    # XML stations-list in the 13.0.1 "one block per type" form
    single_id_info: bool = False     # stations/info.ds answers only the first of several ids

    @property
    def profile(self):
        base = PROFILES[self.api_version]
        if self.root and self.root != base.root:
            return Profile(base.api_version, self.root, base.srv_version, base.srv_type,
                           base.json_version_string, base.json_server_version)
        return base
