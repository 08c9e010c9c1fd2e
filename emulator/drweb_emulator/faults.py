# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault injection: HTTP error statuses, latency, dropped connections, malformed bodies.

A rule is a dict::

    {"scripts": ["stations/change", "info"],   # omitted or [] = every script
     "status": {"502": 0.2, "503": 0.1},       # rate of each HTTP status (change NOT applied)
     "drop": 0.05,                             # close the connection before applying the request
     "drop_after_apply": 0.05,                 # apply the request, then close without answering
     "malformed": 0.1,                         # apply the request, answer with a cut-off body
     "latency_ms": 50,                         # added to every matching request
     "count": 3}                               # inject at most 3 faults with this rule

Per request one random draw picks at most one outcome per rule (rates are cumulative,
so keep their sum ≤ 1); the first rule whose outcome fires wins. Latency from every
matching rule is added up.
"""

import json
import os
import random
import threading
from dataclasses import dataclass

_RATE_KEYS = ("drop", "drop_after_apply", "malformed")
_KNOWN = set(_RATE_KEYS) | {"scripts", "status", "latency_ms", "count"}


@dataclass
class Decision:
    latency_ms: float = 0.0
    outcome: str | None = None     # "drop", "status", "drop_after_apply", "malformed"
    status: int | None = None

    @property
    def label(self):
        if self.outcome == "status":
            return "status_%d" % self.status
        return self.outcome


def _rate(spec, key):
    value = float(spec.get(key, 0) or 0)
    if not 0 <= value <= 1:
        raise ValueError("fault rate %r must be between 0 and 1, got %r" % (key, value))
    return value


class Rule:
    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise ValueError("a fault rule must be an object, got %r" % (spec,))
        unknown = set(spec) - _KNOWN
        if unknown:
            raise ValueError("unknown fault option(s): %s" % ", ".join(sorted(unknown)))
        scripts = spec.get("scripts") or []
        if isinstance(scripts, str):
            scripts = [scripts]
        self.scripts = [s.strip().replace("_", "-") for s in scripts]
        self.status = {}
        for code, rate in (spec.get("status") or {}).items():
            code = int(code)
            if not 100 <= code <= 599:
                raise ValueError("fault status %r is not an HTTP status" % code)
            self.status[code] = _rate({"s": rate}, "s")
        self.rates = {key: _rate(spec, key) for key in _RATE_KEYS}
        self.latency_ms = float(spec.get("latency_ms", 0) or 0)
        if self.latency_ms < 0:
            raise ValueError("latency_ms must not be negative")
        count = spec.get("count")
        self.count = None if count is None else int(count)

    def matches(self, route):
        if not self.scripts:
            return True
        for entry in self.scripts:
            if entry in ("*", route.name, route.script) or entry == route.obj + "/*":
                return True
        return False

    def draw(self, rng):
        if self.count is not None and self.count <= 0:
            return None
        roll = rng.random()
        edge = self.rates["drop"]
        if roll < edge:
            return Decision(outcome="drop")
        for code, rate in self.status.items():
            edge += rate
            if roll < edge:
                return Decision(outcome="status", status=code)
        for key in ("drop_after_apply", "malformed"):
            edge += self.rates[key]
            if roll < edge:
                return Decision(outcome=key)
        return None

    def describe(self):
        out = {"scripts": list(self.scripts), "status": {str(k): v for k, v in self.status.items()},
               "latency_ms": self.latency_ms}
        out.update(self.rates)
        if self.count is not None:
            out["count"] = self.count
        return out


def parse_rules(spec):
    """A rule, a list of rules, or {"rules": [...]}; text may be JSON or a path to JSON/YAML."""
    if spec is None or spec == "":
        return []
    if isinstance(spec, str):
        spec = _load_text(spec)
    if isinstance(spec, dict) and "rules" in spec:
        spec = spec["rules"]
    if isinstance(spec, dict):
        spec = [spec]
    if not isinstance(spec, list):
        raise ValueError("faults must be a rule object or a list of rules")
    return [Rule(item) for item in spec]


def _load_text(text):
    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        return json.loads(stripped)
    if os.path.exists(text):
        import yaml
        with open(text, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    raise ValueError("--faults is neither JSON nor an existing file: %r" % text)


class Faults:
    def __init__(self, spec=None, seed=None):
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._rules = parse_rules(spec)

    def configure(self, spec):
        rules = parse_rules(spec)
        with self._lock:
            self._rules = rules

    def clear(self):
        with self._lock:
            self._rules = []

    def describe(self):
        with self._lock:
            return [rule.describe() for rule in self._rules]

    def decide(self, route):
        decision = Decision()
        with self._lock:
            for rule in self._rules:
                if not rule.matches(route):
                    continue
                decision.latency_ms += rule.latency_ms
                if decision.outcome is None:
                    fired = rule.draw(self._rng)
                    if fired is not None:
                        decision.outcome, decision.status = fired.outcome, fired.status
                        if rule.count is not None:
                            rule.count -= 1
        return decision
