# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed failures of the Dr.Web Web API.

Every exception carries a message that is one complete sentence naming what failed,
on which object, and the server's errno/message where there is one, so that modules
can hand ``str(exc)`` straight to ``fail_json``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class DrWebError(Exception):
    """Base class: anything the client, parser or a module helper reports.

    ``DETAILS`` names the keyword arguments a class carries besides the message, with
    their defaults: facts worth returning next to ``msg`` (never secrets).
    """

    DETAILS = ()

    def __init__(self, message, obj=None, **details):
        super(DrWebError, self).__init__(message)
        self.message = message
        self.obj = obj
        for name, default in self.DETAILS:
            setattr(self, name, details.pop(name, default))
        if details:
            raise TypeError("%s takes no %s" % (type(self).__name__, ", ".join(sorted(details))))

    def __str__(self):
        return self.message


class DrWebTransportError(DrWebError):
    """The request did not complete: refused, timed out, TLS failure, dropped, HTTP 5xx.

    ``maybe_applied`` is true when a write may have reached the server; the caller must
    re-read before deciding to send it again. ``status`` is the HTTP status, if any.
    """

    DETAILS = (("maybe_applied", False), ("status", None))


class DrWebAuthError(DrWebError):
    """HTTP 401: bad credentials or the administrator lacks the privilege."""


class DrWebProtocolError(DrWebError):
    """The answer is not a Dr.Web API document (not XML/JSON, wrong shape, hostile XML)."""


class DrWebApiError(DrWebError):
    """The server answered with an error envelope (``status=false``)."""

    DETAILS = (("errno", None), ("server_message", None))


class DrWebNotFoundError(DrWebApiError):
    """The error envelope says the object does not exist."""


class DrWebTaskError(DrWebError):
    """A ``server/tasks.ds`` job answered ``status="failed"`` inside a successful envelope."""

    DETAILS = (("task_id", None), ("server_message", None))
