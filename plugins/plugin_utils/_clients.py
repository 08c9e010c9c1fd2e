# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One DrWebClient per set of connection settings, kept for the life of the worker process.

Ansible runs all items of a ``loop:`` in one worker process, one after the other. Each item
that runs in the controller asks :func:`kept_client` for its client: the first builds it,
the others get the same one back, with its kept-alive connections and its memo (the group
tree, the group ids already looked up). Nothing of this lives in the client itself, which
stays free of module globals.

The key covers every setting the client is built from, the password included, and the
environment variables it reads (CA bundle, proxies). It is a salted digest, so no setting,
least of all a secret, is kept where it could be printed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import hashlib
import json
import os

from ansible_collections.drweb.esuite.plugins.module_utils._client import DrWebClient
from ansible_collections.drweb.esuite.plugins.module_utils._connection import CA_BUNDLE_VARIABLES
from ansible_collections.drweb.esuite.plugins.module_utils._groups import forget_planned_groups

# A loop over a handful of servers or accounts keeps each warm; more than this is not a loop
# over one server, and the least recently used client is closed.
MAX_CLIENTS = 8

# What the client reads from the environment besides its options.
_ENVIRONMENT = CA_BUNDLE_VARIABLES + tuple(
    name for key in ("http_proxy", "https_proxy", "all_proxy", "no_proxy") for name in (key, key.upper()))


class _Kept(object):
    """The clients of this process; a forked child starts with none (it must not share sockets)."""

    def __init__(self):
        self.pid = None
        self.clients = collections.OrderedDict()
        self.salt = None

    def here(self):
        if self.pid != os.getpid():
            self.pid = os.getpid()
            self.clients = collections.OrderedDict()
            self.salt = os.urandom(16)
        return self


_KEPT = _Kept()


def settings_key(settings):
    """The salted digest naming ``settings`` (DrWebClient keywords, ``environ`` among them)."""
    kept = _KEPT.here()
    environ = settings.get('environ')
    environ = os.environ if environ is None else environ
    plain = dict((name, value) for name, value in settings.items() if name != 'environ')
    plain['environ'] = dict((name, environ.get(name)) for name in _ENVIRONMENT)
    text = json.dumps(plain, sort_keys=True, default=str)
    return hashlib.sha256(kept.salt + text.encode('utf-8')).hexdigest()


def kept_client(settings):
    """The DrWebClient for ``settings``: the one an earlier task of this process built, or a new one.

    A kept client is handed over as a new task would find a new one (``next_task``: its own
    retry budget), and without groups that an earlier check-mode task only predicted.
    """
    kept = _KEPT.here()
    key = settings_key(settings)
    client = kept.clients.pop(key, None)
    if client is None:
        client = DrWebClient(**settings)
        while len(kept.clients) >= MAX_CLIENTS:
            kept.clients.popitem(last=False)[1].close()
    else:
        client.next_task()
        forget_planned_groups(client)
    kept.clients[key] = client
    return client


def forget_clients():
    """Close and drop every kept client (tests; a process that is about to do something else)."""
    kept = _KEPT.here()
    while kept.clients:
        kept.clients.popitem()[1].close()
