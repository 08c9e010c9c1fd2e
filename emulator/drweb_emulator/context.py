# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a handler gets: the store, the settings, the parameters and the output format."""

import functools
import uuid

from .errors import bad_parameter


@functools.lru_cache(maxsize=8)
def _public_key_id(server_uuid):
    return str(uuid.uuid5(uuid.UUID(server_uuid), "drwcsd.pub"))


class Context:
    def __init__(self, store, config, params, fmt, now, readonly=False):
        self.store = store
        self.config = config
        self.params = params
        self.fmt = fmt
        self.now = now
        self.readonly = readonly       # the request came from the read-only administrator

    @property
    def xml(self):
        return self.fmt == "xml"

    @property
    def server_name(self):
        return self.config.server_name or self.config.host

    @property
    def base_url(self):
        # Links point at the real server's documented HTTPS port, as a real server's do.
        return "https://%s:9081" % self.server_name

    @property
    def public_key_id(self):
        return _public_key_id(self.config.server_uuid)

    @property
    def public_key_file(self):
        key = self.public_key_id
        return ("; Dr.Web (R) Public key file\n; Do not edit!\n%s\n"
                "; emulated key material\n; ***EOF***\n" % key)


def output_format(params, headers):
    value = params.first("format")
    if value is None:
        header = (headers.get("x-drweb-api-response-type") or "").strip().lower()
        return "json" if header == "json" else "xml"
    if value.lower() in ("xml", "json"):
        return value.lower()
    raise bad_parameter("Invalid value '%s' of parameter 'format': expected xml or json" % value)
