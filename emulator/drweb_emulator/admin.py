# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-tool endpoints under /_emulator/ (no auth; bind the emulator to loopback).

GET    /_emulator/health   liveness and a few numbers
GET    /_emulator/state    the whole state in seed format, passwords included
POST   /_emulator/reset    back to the seed (and generated stations); faults and stats kept
POST   /_emulator/upsert   body: seed-format sections; objects replace those with the same id
GET    /_emulator/faults   current fault rules
POST   /_emulator/faults   body: a rule, a list, or {"rules": [...]} — replaces the rules
DELETE /_emulator/faults   no faults
GET    /_emulator/stats    request counters; DELETE resets them
"""

import json


def handle(app, method, path, body):
    try:
        return _route(app, method, path.rstrip("/"), body)
    except ValueError as exc:
        return _json(400, {"error": str(exc)})


def _route(app, method, path, body):
    if path == "/_emulator/health" and method == "GET":
        return _json(200, app.health())
    if path == "/_emulator/state" and method == "GET":
        document = app.store.to_document()
        with app.store.lock:
            document["repository_status"] = app.store.repository_status()
        return _json(200, document)
    if path == "/_emulator/reset" and method == "POST":
        app.reset()
        return _json(200, app.health())
    if path == "/_emulator/upsert" and method == "POST":
        app.upsert(_body(body))
        return _json(200, app.health())
    if path == "/_emulator/faults":
        if method == "GET":
            return _json(200, {"rules": app.faults.describe()})
        if method == "POST":
            app.faults.configure(_body(body))
            return _json(200, {"rules": app.faults.describe()})
        if method == "DELETE":
            app.faults.clear()
            return _json(200, {"rules": []})
    if path == "/_emulator/stats":
        if method == "GET":
            return _json(200, app.stats.snapshot())
        if method == "DELETE":
            app.stats.reset()
            return _json(200, app.stats.snapshot())
    return _json(404, {"error": "unknown admin request %s %s" % (method, path)})


def _body(body):
    try:
        return json.loads(body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("the body is not JSON: %s" % exc) from None


def _json(status, data):
    return status, "application/json; charset=utf-8", json.dumps(data, sort_keys=True).encode("utf-8")
