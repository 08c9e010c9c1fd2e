#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write the station docs of drweb_station and drweb_stations from plugins/module_utils/_station_fields.py.

Three blocks, each between a "# BEGIN <block>" and an "# END <block>" line of a module file
(Ansible reads docs from the source without running it, so they are written out):

  drweb_station.py   DOCUMENTATION  "station options": every option, in full;
  drweb_stations.py  DOCUMENTATION  "station suboptions": the suboptions of ``stations``, each
                                    with its first paragraph and a link to the full text;
  drweb_station.py   RETURN         "station return fields": the returned ``station``'s fields
                                    that are options.

Usage: gen_station_docs.py [--check]
  --check  write nothing; exit 1 and name the files whose blocks differ from the declaration.
"""

from __future__ import absolute_import, division, print_function

import argparse
import importlib.util
import json
import os
import re
import sys
import textwrap

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir))
FIELDS_FILE = os.path.join(ROOT, "plugins", "module_utils", "_station_fields.py")
NOTE = "generated from plugins/module_utils/_station_fields.py by hack/gen_station_docs.py"
WIDTH = 118
OPTION_KEYS = ("type", "elements", "required", "choices", "default")
RETURN_KEYS = ("type", "elements", "returned", "sample")


def load_fields(path=FIELDS_FILE):
    """The declaration module, loaded from its file (it imports nothing)."""
    spec = importlib.util.spec_from_file_location("_station_fields", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _scalar(value):
    """A YAML scalar for one line: plain when it reads back as itself, else JSON-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[%s]" % ", ".join(_scalar(item) for item in value)
    text = str(value)
    try:
        if text and yaml.safe_load("key: %s" % text) == {"key": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text)


# Markup such as V(******** (changed\)) is never split across lines.
_MARKUP = re.compile(r"\b[A-Z]+\((?:[^)\\]|\\.)*\)")
_KEEP = "\x00"


def _paragraph(text, indent):
    """``- text`` wrapped under ``indent``, continuation lines two columns further in."""
    guarded = _MARKUP.sub(lambda m: m.group(0).replace(" ", _KEEP), text)
    lines = [line.replace(_KEEP, " ") for line in
             textwrap.wrap(guarded, width=WIDTH - indent - 2, break_long_words=False, break_on_hyphens=False)]
    plain = "\n".join([lines[0]] + [" " * (indent + 2) + line for line in lines[1:]])
    try:
        if yaml.safe_load("- " + plain) == [text]:
            return " " * indent + "- " + plain
    except yaml.YAMLError:
        pass
    return " " * indent + "- " + json.dumps(text)


def _description(text, indent):
    if isinstance(text, str):
        return ["%sdescription: %s" % (" " * indent, _scalar(text))]
    return ["%sdescription:" % (" " * indent)] + [_paragraph(line, indent + 2) for line in text]


def _option(field, paragraphs, indent):
    lines = ["%s%s:" % (" " * indent, field.option)] + _description(paragraphs, indent + 2)
    for key in OPTION_KEYS:
        if field.spec.get(key) is not None and not (key == "required" and not field.spec[key]):
            lines.append("%s%s: %s" % (" " * (indent + 2), key, _scalar(field.spec[key])))
    return lines


def render_options(fields, indent=2):
    """drweb_station's options, in full."""
    return [line for field in fields for line in _option(field, list(field.doc), indent)]


def render_suboptions(fields, indent=6):
    """drweb_stations' ``stations`` suboptions: each option's first paragraph and where the rest is.

    Option references in the paragraph point into the list (O(stations[].x)).
    """
    names = set(field.option for field in fields)

    def point_into_list(text):
        return re.sub(r"O\(([a-z_]+)(?=[=)])",
                      lambda m: "O(stations[].%s" % m.group(1) if m.group(1) in names else m.group(0), text)
    lines = []
    for field in fields:
        summary = "%s More in O(drweb.esuite.drweb_station#module:%s)." % (point_into_list(field.doc[0]), field.option)
        lines += _option(field, [summary], indent)
    return lines


def render_returns(fields, indent=4):
    """The fields of drweb_station's returned ``station`` that come from options."""
    lines = []
    for field in fields:
        if not field.returns:
            continue
        lines.append("%s%s:" % (" " * indent, field.option))
        lines += _description(field.returns["description"], indent + 2)
        for key in RETURN_KEYS:
            if key in field.returns:
                lines.append("%s%s: %s" % (" " * (indent + 2), key, _scalar(field.returns[key])))
    return lines


# (file, block name, renderer); the BEGIN marker's indentation is the block's.
BLOCKS = (
    ("plugins/modules/drweb_station.py", "station options", render_options),
    ("plugins/modules/drweb_stations.py", "station suboptions", render_suboptions),
    ("plugins/modules/drweb_station.py", "station return fields", render_returns),
)


def splice(text, block, lines):
    """``text`` with the lines between the block's BEGIN and END markers replaced by ``lines``."""
    pattern = re.compile(r"^( *)# BEGIN %s\b[^\n]*\n(.*?)^ *# END %s\b[^\n]*\n" % (re.escape(block), re.escape(block)),
                         re.M | re.S)
    match = pattern.search(text)
    if not match:
        raise SystemExit("gen_station_docs: no '# BEGIN %s' ... '# END %s' markers found" % (block, block))
    pad = match.group(1)
    body = "".join(line + "\n" for line in lines)
    new = "%s# BEGIN %s: %s\n%s%s# END %s\n" % (pad, block, NOTE, body, pad, block)
    return text[:match.start()] + new + text[match.end():]


def generate(fields, root=ROOT):
    """``{path: (current text, generated text)}`` for every file that holds a block."""
    out = {}
    for path, block, render in BLOCKS:
        full = os.path.join(root, path)
        if full not in out:
            with open(full) as handle:
                current = handle.read()
            out[full] = [current, current]
        out[full][1] = splice(out[full][1], block, render(fields))
    return dict((path, tuple(texts)) for path, texts in out.items())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a block is out of date")
    args = parser.parse_args(argv)
    stale = []
    for path, (current, generated) in sorted(generate(load_fields().FIELDS).items()):
        if current == generated:
            continue
        stale.append(os.path.relpath(path, ROOT))
        if not args.check:
            with open(path, "w") as handle:
                handle.write(generated)
    if args.check and stale:
        print("out of date with _station_fields.py (run hack/gen_station_docs.py): %s" % ", ".join(stale))
        return 1
    print("%s: %s" % ("checked" if args.check else "written", ", ".join(stale) or "all blocks are up to date"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
