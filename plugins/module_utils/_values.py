# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a text option may hold before it is sent: one string, no control characters, a bounded length.

Ansible's ``type: str`` turns a list or a mapping into its Python text (``['a', 'b']``)
without a word, and passes NUL and every other control character through. So every text
option of the collection has the type :class:`Text` in its argument spec: to Ansible, its
docs and ``validate-modules`` it *is* ``str`` (it compares and hashes as the string
``'str'``), and as a callable it refuses what must not be sent. Whatever validates the spec
(``AnsibleModule``, ``ArgumentSpecValidator`` in an action plugin, the role's filters) refuses
the same values, so the rule needs no second definition.

The sentences: a validator frames a type's error in its own words (``argument 'city' is of
type dict and we were unable to convert to str: ...``), and inside a list of entries it cannot
name the entry. :func:`input_problems` checks the raw values against the same spec first and
words each problem as one sentence that names the option and, inside ``stations`` or
``groups``, the entry (``stations[3] (ws-0004): city must be a string, not a mapping.``);
:func:`plain_types` gives the spec to validate with once those sentences are known, so that
the task fails with them rather than with the framed copy.

Standard library and ansible.module_utils only: the checks run wherever the spec is used.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from collections.abc import Mapping

from ansible.module_utils.common.text.converters import to_native

# Lengths, in characters. The Web API documents none, and the server's database is not
# documented either, so the limits come from the wire: every value travels in the query
# string of one GET (stations/change.ds carries every changed field of a station at once),
# and the request line that common HTTP servers and reverse proxies accept is 8 KB (Apache's
# LimitRequestLine is 8190 bytes, nginx's large_client_header_buffers 8 KB). At these limits
# the scalar fields of one station add up to about 5.5 KB of ASCII, which leaves room for the
# path, the parameter names and a few ACL entries or group references at their own limits
# (and for dozens of real ones). Percent-encoding makes a non-ASCII character cost 6 to 12
# bytes, so several long values in a non-Latin script can still overflow 8 KB; the server's
# own answer (HTTP 414) then says so. Each limit is far beyond any real value of its kind, so
# only a mistake reaches one (a pasted file, a variable holding a whole list).
ID_LENGTH = 128        # station and group ids: generated ones are 36-character UUIDs
NAME_LENGTH = 255      # names, location and contact fields, tariffs, user ids
TEXT_LENGTH = 1024     # descriptions
REF_LENGTH = 1024      # group references: an id, a name, or a path of names from the top
ACL_LENGTH = 300       # [protocol/]address[/mask]: a DNS name is at most 253 characters
EMAIL_LENGTH = 254     # RFC 5321: a path of 256 octets holds an address of 254
URL_LENGTH = 2048      # api_url, proxy
SECRET_LENGTH = 1024   # the administrator password (it travels in a header, not in the query)

# Control characters (C0, DEL, C1) and lone surrogates, which UTF-8 cannot encode. A
# multi-line text (a description) may hold tabs and line feeds; never a carriage return:
# the XML answer reads "\r\n" back as "\n", so such a value would differ on every run.
_REFUSED = re.compile(u"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_REFUSED_MULTILINE = re.compile(u"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

# Problems shown in a task's msg; the result's ``problems`` holds every one.
MSG_PROBLEMS = 5
# Characters of a value that a sentence quotes.
SHOWN_LENGTH = 60


def what_it_is(value):
    """The kind of ``value``, named as a YAML author knows it."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)):
        return "a number"
    return "a %s" % type(value).__name__


def shown(value):
    """``value`` quoted for a sentence (``%r`` style), cut to SHOWN_LENGTH characters."""
    if isinstance(value, str) and len(value) > SHOWN_LENGTH:
        return repr(value[:SHOWN_LENGTH - 3]) + "..."
    return repr(value)


class Text(str):
    """The argument-spec type of a text option: ``str`` to Ansible, checked before anything is sent.

    ``Text(255)`` refuses a list or a mapping, control characters and more than 255
    characters; other scalars become text as with ``type: str`` (YAML's ``floor: 3``).
    ``multiline=True`` lets tabs and line feeds through.
    """

    def __new__(cls, max_length=NAME_LENGTH, multiline=False):
        self = str.__new__(cls, "str")
        self.max_length = max_length
        self.multiline = multiline
        # The type name validators print: "unable to convert to str".
        self.__name__ = "str"
        return self

    def __call__(self, value, **kwargs):
        # A validator passes param= and prefix= to a type named "str"; its message names both already,
        # but not whether the option is no_log, so the position of a bad character is left out.
        text, reason = self.check(value, secret=True)
        if reason:
            raise ValueError("the value %s" % reason)
        return text

    def check(self, value, secret=False):
        """``(text, None)`` for a value that may be sent, else ``(None, reason)``.

        ``reason`` completes a sentence that starts with the option's name and never
        quotes the value; ``secret`` also leaves out where the bad character is.
        """
        if isinstance(value, (Mapping, list, tuple, set, frozenset)):
            return None, "must be a string, not %s" % what_it_is(value)
        if value is None:
            # As type: str does for a required option given as null; the module then says it is empty.
            return "", None
        text = value if isinstance(value, str) else to_native(value, errors="surrogate_or_strict")
        found = (_REFUSED_MULTILINE if self.multiline else _REFUSED).search(text)
        if found:
            char = found.group(0)
            where = "" if secret else "; character %d is U+%04X" % (found.start() + 1, ord(char))
            if u"\ud800" <= char <= u"\udfff":
                return None, "must be valid Unicode text%s, an unpaired surrogate" % where
            allowed = " other than tab and line feed" if self.multiline else ""
            return None, "must not hold control characters%s%s" % (allowed, where)
        if len(text) > self.max_length:
            return None, "must be at most %d characters long, not %d" % (self.max_length, len(text))
        return text, None

    def __repr__(self):
        return "Text(%d%s)" % (self.max_length, ", multiline=True" if self.multiline else "")

    # Immutable: copies (a deepcopy of a spec, a pickle to a worker) are the same rule.
    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return Text, (self.max_length, self.multiline)


def _checked_options(spec):
    """``{option or alias: spec entry}`` of the options :func:`input_problems` looks into."""
    found = {}
    for name, option in spec.items():
        option = option or {}
        if isinstance(option.get("type"), Text) or isinstance(option.get("elements"), Text) or option.get("options"):
            for key in [name] + list(option.get("aliases") or ()):
                found[key] = option
    return found


def _entry_label(list_name, index, entry):
    """``stations[3] (ws-0004)``: the position, and the entry's id or name when it is a clean string."""
    for key in ("id", "name"):
        value = entry.get(key)
        if isinstance(value, str) and value.strip() and not _REFUSED.search(value) and len(value) <= ID_LENGTH:
            return "%s[%d] (%s)" % (list_name, index, value.strip())
    return "%s[%d]" % (list_name, index)


def input_problems(spec, params, where=""):
    """One sentence per value of ``params`` that a :class:`Text` of ``spec`` refuses, in the order of ``params``.

    ``params`` are the values as the task gave them, before any conversion. Options of
    other types, unknown options and the other rules of the spec are left to the validator.
    """
    return _problems(_checked_options(spec), params, where, {})


def _problems(options, params, where, known):
    problems = []
    if not isinstance(params, Mapping):
        return problems
    for name, value in params.items():
        option = options.get(name)
        if option is None or value is None:
            continue
        kind, elements, secret = option.get("type"), option.get("elements"), bool(option.get("no_log"))
        if isinstance(kind, Text):
            dummy, reason = kind.check(value, secret)
            if reason:
                problems.append("%s%s %s." % (where, name, reason))
        if isinstance(elements, Text) and isinstance(value, list):
            for index, item in enumerate(value):
                dummy, reason = elements.check(item, secret)
                if reason:
                    problems.append("%s%s[%d] %s." % (where, name, index, reason))
        suboptions = option.get("options")
        if not suboptions:
            continue
        # Worked out once per list, not once per entry: drweb_stations may hold thousands.
        if id(suboptions) not in known:
            known[id(suboptions)] = _checked_options(suboptions)
        inner = known[id(suboptions)]
        if kind == "dict" and isinstance(value, Mapping):
            problems.extend(_problems(inner, value, "%s%s." % (where, name), known))
        elif kind == "list" and isinstance(value, list):
            for index, entry in enumerate(value):
                if isinstance(entry, Mapping):
                    problems.extend(_problems(inner, entry, "%s: " % _entry_label(where + name, index, entry), known))
    return problems


def plain_types(spec):
    """``spec`` with ``str`` for every :class:`Text`: what to validate with once :func:`input_problems` spoke."""
    plain = {}
    for name, option in spec.items():
        option = dict(option or {})
        for key in ("type", "elements"):
            if isinstance(option.get(key), Text):
                option[key] = "str"
        if option.get("options"):
            option["options"] = plain_types(option["options"])
        plain[name] = option
    return plain


def problems_message(problems):
    """The one sentence of a task that ``problems`` (from :func:`input_problems`) stop."""
    if len(problems) == 1:
        return problems[0]
    shown_problems = "; ".join(problem.rstrip(".") for problem in problems[:MSG_PROBLEMS])
    if len(problems) > MSG_PROBLEMS:
        shown_problems += "; and %d more (see problems)" % (len(problems) - MSG_PROBLEMS)
    return "%d option values are invalid, nothing was sent: %s." % (len(problems), shown_problems)
