# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Documents are built as ElementTree elements and written by a small serializer.

ElementTree's own writer spends most of a request on namespace bookkeeping these
documents never need; this one only escapes (SPEC §2.3 warns about raw `&`).
"""

import xml.etree.ElementTree as ET

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                       "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def text(value):
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def element(tag, attrs=(), body=None):
    node = ET.Element(tag)
    for key, value in (attrs.items() if isinstance(attrs, dict) else attrs):
        node.set(key, text(value))
    if body is not None:
        node.text = text(body)
    return node


def sub(parent, tag, attrs=(), body=None):
    node = element(tag, attrs, body)
    parent.append(node)
    return node


def serialize(root):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    _write(root, out)
    return "".join(out).encode("utf-8")


def _write(node, out):
    tag = node.tag
    out.append("<" + tag)
    for key, value in node.attrib.items():
        out.append(' %s="%s"' % (key, value.translate(_ATTR)))
    body = node.text
    if body or len(node):
        out.append(">")
        if body:
            out.append(body.translate(_TEXT))
        for child in node:
            _write(child, out)
        out.append("</%s>" % tag)
    else:
        out.append("/>")
