# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request parameters: repeated names are the API's multi-value mechanism (SPEC §1.5)."""

from .errors import bad_parameter

SECRET_NAMES = frozenset({"password", "passwd", "secret", "token", "api_key", "api-key"})
MASK = "********"
UINT32_MAX = 4294967295


class Params:
    def __init__(self, pairs=()):
        self._values = {}
        for name, value in pairs:
            self._values.setdefault(name, []).append(value)

    def __contains__(self, name):
        return name in self._values

    def names(self):
        return list(self._values)

    def first(self, name, default=None):
        values = self._values.get(name)
        return values[0] if values else default

    def all(self, name):
        return list(self._values.get(name, ()))

    def required(self, name):
        value = self.first(name)
        if value is None or value.strip() == "":
            raise bad_parameter("Parameter '%s' is not specified" % name)
        return value.strip()

    def ids(self, name="id"):
        """Every value of a repeatable id parameter; at least one is required."""
        values = [v.strip() for v in self.all(name) if v.strip()]
        if not values:
            raise bad_parameter("Parameter '%s' is not specified" % name)
        return list(dict.fromkeys(values))

    def flag(self, name, default=False):
        value = self.first(name)
        if value is None:
            return default
        if value == "yes":
            return True
        if value == "no":
            return False
        raise bad_parameter("Invalid value '%s' of parameter '%s': expected yes or no" % (value, name))

    def integer(self, name, default, low, high):
        value = self.first(name)
        if value is None:
            return default
        text = value.strip()
        if not text.isdigit() or not low <= int(text) <= high:
            raise bad_parameter("Invalid value '%s' of parameter '%s': expected an integer from %d to %d"
                                % (value, name, low, high))
        return int(text)

    def masked(self):
        """For the request log: name → values, secrets replaced."""
        return {name: [MASK] * len(values) if _is_secret(name) else list(values)
                for name, values in self._values.items()}


def _is_secret(name):
    lowered = name.lower()
    return lowered in SECRET_NAMES or "password" in lowered or "secret" in lowered
