# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared ids and helpers of the emulator's tests (fixtures live in conftest.py).

A module of its own, not conftest: ``tests/unit`` has a conftest too, and ``from conftest
import`` would take whichever of the two pytest loaded last.
"""

import json
import os
import sys

import requests
from lxml import etree

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

USER, PASSWORD = "admin", "drweb"
EVERYONE = "20e27d73-d21d-b211-a788-85419c46f0e6"
NEWBIES = "bd0e1a6e-6f43-4a0c-9f1d-0e0d5f3a0003"
OFFICE = "7ec98a70-5c83-11ea-512f-70a167e08535"
GROUP_1 = "73fcd996-d58b-465b-afca-200589f361e4"
FREE = "2c213cd2-eba1-4a0e-9f76-95e5e756d48c"
MOBILE = "4e87fd11-4a35-4ec1-bedd-29669b357e35"
PREMIUM = "91644cc3-1dc1-42dc-a41e-5ea001f5538d"
LINUX = "c7687f73-d21d-b211-a795-85419c46f0e6"
FORMATS = ("xml", "json")


class Api:
    """A thin requests wrapper: call(obj, script, params, fmt) → parsed document."""

    def __init__(self, base_url, verify=True):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.auth = (USER, PASSWORD)
        self.verify = verify

    def raw(self, obj, script, params=(), fmt=None, method="GET", **kwargs):
        params = list(params.items()) if isinstance(params, dict) else list(params)
        if fmt == "json":
            params.append(("format", "json"))
        url = "%s/api/%s/%s.ds" % (self.base_url, obj, script)
        kwargs.setdefault("timeout", 10)
        kwargs.setdefault("verify", self.verify)
        if method == "POST":
            return self.session.post(url, data=params, **kwargs)
        return self.session.get(url, params=params, **kwargs)

    def call(self, obj, script, params=(), fmt="xml", ok=True):
        response = self.raw(obj, script, params, fmt)
        assert response.status_code == 200, response.text
        doc = parse(response.content, fmt)
        if ok:
            assert status_of(doc, fmt) is True, response.text
        return doc

    def error(self, obj, script, params=(), fmt="xml", http_status=200):
        response = self.raw(obj, script, params, fmt)
        assert response.status_code == http_status, response.text
        assert response.headers["x-drweb-api-status"] == "false"
        doc = parse(response.content, fmt)
        assert status_of(doc, fmt) is False
        return error_of(doc, fmt)


def parse(content, fmt):
    if fmt == "json":
        return json.loads(content)
    return etree.fromstring(content)


def status_of(doc, fmt):
    if fmt == "json":
        return doc["head"]["status"]
    return {"true": True, "false": False}[doc.get("status")]


def error_of(doc, fmt):
    """(errno, message) of an error document."""
    if fmt == "json":
        assert "data" not in doc
        return doc["error"]["code"], doc["error"]["message"]
    return int(doc.findtext("error/errno")), doc.findtext("error/message")


def station_state(server, sid):
    """The emulator's own view of a station (seed-format dict)."""
    with server.store.lock:
        from drweb_emulator.model import station_to_dict
        return station_to_dict(server.store.stations[sid])
