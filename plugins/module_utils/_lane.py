# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kept-alive lane: a GET on an idle pooled connection, without the per-request machinery around it.

A fleet run sends thousands of GETs to one server over a few kept-alive connections, and on
one core under the GIL the client's CPU per GET sets the pace. About a third of it went on
``HTTPAdapter.send`` and the pool's request method around the two calls that do the work:
the connection's ``request`` and ``getresponse``. The lane makes those two calls itself on a
connection the pool hands out, with the headers requests prepared for the script, and raises
what requests would have raised, so the client's messages, retries and attempt counts do not
change. The answer is urllib3's own response: its body reader, its Content-Length checks and
its read errors stay urllib3's.

It only takes a connection that is connected: connecting, TLS and proxies stay on the usual
way, and so does any request target the pool would re-encode.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import re

try:
    import urllib3
    from urllib3.connection import BaseSSLError
    from urllib3.exceptions import (
        ClosedPoolError,
        InvalidHeader as PoolInvalidHeader,
        MaxRetryError,
        ProtocolError,
        ReadTimeoutError,
        SSLError as PoolSSLError,
    )
    from urllib3.util.ssl_match_hostname import CertificateError
    from requests import exceptions as requests_exceptions
    from ansible.module_utils.six.moves import http_client
except ImportError:
    HAS_LANE = False
else:
    # The pool's private helpers the lane relies on are those of urllib3 2.
    HAS_LANE = urllib3.__version__.split(".")[0] == "2"

# A request target the pool sends as it is (its re-encoding of a target is the identity on these):
# unreserved and sub-delimiter characters, ":", "@", "/", "?" and upper-case percent escapes.
_PLAIN_TARGET = re.compile(r"/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-F]{2})*\Z")


def usable(pool):
    """True when ``pool`` offers what the lane needs."""
    return HAS_LANE and all(hasattr(pool, name) for name in ("_get_conn", "_put_conn", "_raise_timeout"))


class Lane(object):
    """GETs on the idle connections of one urllib3 pool (shared by threads, like the pool)."""

    def __init__(self, pool, timeout):
        self.pool = pool
        self.timeout = timeout

    def get(self, target, headers):
        """urllib3's response to ``GET target``, or None when the usual way must send it.

        Raises what ``HTTPAdapter.send`` raises for the same failure.
        """
        if not _PLAIN_TARGET.match(target):
            return None
        pool = self.pool
        try:
            # It drops a connection the server closed meanwhile, as it does for the usual way.
            conn = pool._get_conn()  # pylint: disable=protected-access
        except ClosedPoolError as exc:
            raise requests_exceptions.ConnectionError(exc)
        if conn.is_closed:
            pool._put_conn(conn)  # pylint: disable=protected-access
            return None
        answered = False
        try:
            conn.timeout = self.timeout
            try:
                conn.request("GET", target, headers=headers, preload_content=False, decode_content=False)
            except BrokenPipeError:
                # As the pool: a server may close after a valid answer, which is still readable.
                pass
            except OSError as exc:
                if exc.errno not in (errno.EPROTOTYPE, errno.ECONNRESET):
                    raise
            try:
                response = conn.getresponse()
            except (BaseSSLError, OSError) as exc:
                pool._raise_timeout(err=exc, url=target, timeout_value=self.timeout)  # pylint: disable=protected-access
                raise
            # What the pool sets, so that the response gives the connection back once read.
            response._connection = conn  # pylint: disable=protected-access
            response._pool = pool  # pylint: disable=protected-access
            answered = True
            return response
        except Exception as exc:  # pylint: disable=broad-except
            raise _as_requests_error(exc, pool, target)
        finally:
            if not answered:
                conn.close()
                pool._put_conn(None)  # pylint: disable=protected-access


def _as_requests_error(exc, pool, target):
    """What the pool's request method with ``Retry(0, read=False)`` and then ``HTTPAdapter.send`` make of ``exc``."""
    if isinstance(exc, (BaseSSLError, CertificateError)):
        exc = PoolSSLError(exc)
    if isinstance(exc, PoolSSLError):
        # Not a read error: the retry budget of 0 is spent at once.
        return requests_exceptions.SSLError(MaxRetryError(pool, target, exc))
    if isinstance(exc, ReadTimeoutError):
        return requests_exceptions.ReadTimeout(exc)
    if isinstance(exc, (OSError, http_client.HTTPException)):
        exc = ProtocolError("Connection aborted.", exc)
    if isinstance(exc, ProtocolError):
        return requests_exceptions.ConnectionError(exc)
    if isinstance(exc, PoolInvalidHeader):
        return requests_exceptions.InvalidHeader(exc)
    return exc
