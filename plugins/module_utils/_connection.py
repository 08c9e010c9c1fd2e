# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options: their limits, their checks, and the scrubbing of secrets.

Shared by the module base (``DrWebModule``), the inventory plugin and the client, so that a
bad value reads the same everywhere and is rejected before any request is sent. Standard
library only: the checks must run even when ``requests`` is missing.

``scrub()`` is the one place that removes credentials from text the server sent us and we
repeat (messages, ``server_message``, warnings): the parser uses it without knowing any
secret, the client adds the ones it knows (its password, the Authorization value and its
base64, the station passwords of the request).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import ipaddress
import os
import re
import ssl

from ansible.module_utils.six.moves.urllib.parse import quote, quote_plus, unquote, urlsplit, urlunsplit

from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebError

# One request (connect, headers and body together) may take at most this long.
MAX_TIMEOUT = 3600
# More attempts than this only make a dead server cost more.
MAX_RETRIES = 10
# Waits between attempts never exceed this, whatever the backoff or a Retry-After says.
BACKOFF_CEILING = 10
# The decompressed body of one answer, in MiB: the default and the largest accepted value.
DEFAULT_RESPONSE_MB = 64
MAX_RESPONSE_MB = 1024

# The connection options that check_connection() and DrWebClient take under the same names.
CHECKED_OPTIONS = ("api_url", "validate_certs", "ca_path", "timeout", "retries", "proxy", "use_proxy",
                   "max_response_mb", "api_format")

# Environment variables that requests would read for the CA bundle (in its order).
CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")

MASK = "********"

# Values after a password key: a quoted value up to its closing quote, or anything up to the end
# of the line or of the markup, spaces, &, ; and , included (a password may hold all of them).
_PASSWORD = r"""(?i)(pass(?:word|wd)["']?\s*[=:]\s*)(?:"[^"\r\n]*"?|'[^'\r\n]*'?|[^"'<>\r\n]*)"""
_PASSWORD_ELEMENT = r"(?i)(<pass(?:word|wd)>)[^<]*"
_AUTHORIZATION = r"(?i)((?:proxy-)?authorization[\"']?\s*[=:]\s*[\"']?)[^\"'\r\n<>]*"
# "Basic <base64 of user:password>" and bearer tokens, wherever a server echoes them.
_SCHEME_TOKEN = r"(?i)\b(basic|bearer)(\s+)([A-Za-z0-9+/=._~-]{6,})"


def scrub(text, secrets=()):
    """``text`` without credentials: the ``secrets`` given, Authorization values and password values.

    ``secrets`` are literal values (a password, a base64 token); each is also removed in its
    URL-encoded forms, because servers echo query strings.
    """
    if not text:
        return text
    for secret in secrets:
        if secret:
            for form in _forms(secret):
                text = text.replace(form, MASK)
    text = re.sub(_AUTHORIZATION, r"\1" + MASK, text)
    text = re.sub(_SCHEME_TOKEN, _mask_token, text)
    text = re.sub(_PASSWORD_ELEMENT, r"\1" + MASK, text)
    return re.sub(_PASSWORD, r"\1" + MASK, text)


def _forms(secret):
    forms = set((secret, quote(secret, safe=""), quote_plus(secret)))
    # Longest first, so that a form is never left half-masked by a shorter one inside it.
    return sorted(forms, key=len, reverse=True)


def _mask_token(match):
    token = match.group(3)
    if match.group(1).lower() == "bearer" or _is_basic_credential(token):
        return match.group(1) + match.group(2) + MASK
    return match.group(0)


def _is_basic_credential(token):
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
    except (ValueError, TypeError):
        return False
    return b":" in decoded


def basic_secrets(username, password):
    """The literal forms of an administrator credential that must never be repeated."""
    if not password and not username:
        return ()
    pair = "%s:%s" % (username or "", password or "")
    token = base64.b64encode(pair.encode("utf-8")).decode("ascii")
    return tuple(s for s in (password, token, pair if password else None) if s)


# --------------------------------------------------------------------------- URLs


def parse_api_url(api_url):
    """Check ``api_url`` and return ``(api_base, server)``.

    ``api_base`` ends in ``/api`` and ``server`` is ``scheme://host:port`` for messages.
    Raises DrWebError with one sentence when the URL cannot be used, before any request.
    """
    if not api_url or not isinstance(api_url, str):
        raise DrWebError("The api_url option is empty; set it to the server address, e.g. https://drweb.example.com:9081.")
    text = api_url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise DrWebError("The api_url '%s' is not a valid URL." % strip_userinfo(text))
    scheme = (parts.scheme or "").lower()
    if scheme not in ("http", "https"):
        raise DrWebError(
            "The api_url '%s' must start with https:// (or http://), e.g. https://drweb.example.com:9081." % strip_userinfo(text))
    if not parts.hostname:
        raise DrWebError("The api_url '%s' names no host." % strip_userinfo(text))
    if parts.username is not None or parts.password is not None:
        # Credentials in the URL would end up in messages and logs; insist on the options.
        raise DrWebError("The api_url must not contain credentials; use the api_username and api_password options.")
    if parts.query or parts.fragment:
        raise DrWebError("The api_url '%s' must not contain a query string or fragment." % text)
    if port is None:
        port = 443 if scheme == "https" else 80
    host = parts.hostname
    if ":" in host:
        host = "[%s]" % host
    netloc = "%s:%d" % (host, port)
    path = parts.path.rstrip("/")
    # Users paste either the server address or the API root; accept both.
    if path.endswith("/api"):
        path = path[:-4]
    base = urlunsplit((scheme, netloc, path + "/api", "", ""))
    return base, "%s://%s" % (scheme, netloc)


def strip_userinfo(text):
    """``text`` (a URL) without ``user:password@``."""
    scheme, sep, rest = text.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        return scheme + sep + rest.split("@", 1)[1]
    return text


def url_secrets(url):
    """The user information of a URL (``user:password`` and the password), for masking."""
    if not isinstance(url, str) or "@" not in url:
        return ()
    try:
        parts = urlsplit(url.strip())
        username, password = parts.username, parts.password
    except ValueError:
        return ()
    found = []
    if password:
        # As written in the URL (what the invocation shows) and decoded (what is sent).
        for form in (unquote(password), password, "%s:%s" % (username or "", password)):
            if form not in found:
                found.append(form)
    return tuple(found)


def is_loopback(host):
    """True for ``localhost`` and loopback addresses: those never go through a proxy."""
    host = (host or "").strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_proxy(proxy, name="proxy", fix="fix it"):
    """Check a proxy URL; returns it normalised (``scheme://[user:pw@]host:port``) or None.

    ``name`` and ``fix`` word the error: the option, or the environment variable it came from.
    """
    if proxy is None or not str(proxy).strip():
        return None
    text = str(proxy).strip()
    shown = strip_userinfo(text)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise DrWebError("The %s '%s' is not a valid URL; %s." % (name, shown, fix))
    scheme = (parts.scheme or "").lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise DrWebError("The %s '%s' must be an http:// or https:// URL with a host, e.g. http://proxy.example.com:3128; %s."
                         % (name, shown, fix))
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise DrWebError("The %s '%s' must not contain a path, query string or fragment; %s." % (name, shown, fix))
    host = parts.hostname
    if ":" in host:
        host = "[%s]" % host
    userinfo = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return "%s://%s%s:%d" % (scheme, userinfo, host, port or (443 if scheme == "https" else 80))


def environment_proxy(api_url, environ=None):
    """``(variable, value)`` of the proxy the environment sets for ``api_url``, or None.

    ``<scheme>_proxy`` then ``all_proxy`` (lower case first, as curl and urllib read them), unless
    ``no_proxy`` names the host (a name, a domain suffix, an address or network, ``*``).
    """
    environ = os.environ if environ is None else environ
    parts = urlsplit(api_url)
    for key in ("%s_proxy" % parts.scheme.lower(), "all_proxy"):
        for variable in (key, key.upper()):
            if environ.get(variable, "").strip():
                if _bypassed(parts.hostname, parts.port, environ.get("no_proxy") or environ.get("NO_PROXY") or ""):
                    return None
                return variable, environ[variable].strip()
    return None


def _bypassed(host, port, no_proxy):
    host = (host or "").lower()
    for entry in no_proxy.replace(" ", ",").split(","):
        entry = entry.strip().lower()
        if entry == "*":
            return True
        name, sep, entry_port = entry.rpartition(":")
        if not sep or not entry_port.isdigit() or "]" in entry_port:
            name, entry_port = entry, ""
        if not name or entry_port and port is not None and int(entry_port) != port:
            continue
        name = name.strip("[]")
        try:
            if ipaddress.ip_address(host.strip("[]")) in ipaddress.ip_network(name, strict=False):
                return True
            continue
        except ValueError:
            pass
        name = name.lstrip("*").lstrip(".")
        if name and (host == name or host.endswith("." + name)):
            return True
    return False


def effective_proxy(api_url, proxy=None, use_proxy=True, environ=None):
    """The proxy requests to ``api_url`` go through: ``proxy``, else the environment's, never for loopback."""
    # Checked even when unused (loopback): a bad value is a bad value.
    proxy = parse_proxy(proxy)
    if is_loopback(urlsplit(api_url).hostname):
        return None
    if proxy:
        return proxy
    if not use_proxy:
        return None
    found = environment_proxy(api_url, environ)
    if not found:
        return None
    variable, value = found
    return parse_proxy(value, name="proxy in %s" % variable, fix="fix or unset the variable, set proxy, or set use_proxy to false")


# --------------------------------------------------------------------------- the checks


def check_ca_file(path, origin):
    """One sentence about why ``path`` cannot verify a server, or None when it can."""
    if not os.path.exists(path):
        return "The %s %s does not exist." % (origin, path)
    if os.path.isdir(path):
        # An OpenSSL CA directory (c_rehash layout); requests accepts it as is.
        if not os.access(path, os.R_OK | os.X_OK):
            return "The %s %s is a directory that cannot be read." % (origin, path)
        return None
    if not os.access(path, os.R_OK):
        return "The %s %s cannot be read (permission denied)." % (origin, path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        context.load_verify_locations(cafile=path)
    except (ssl.SSLError, ValueError, OSError):
        return "The %s %s holds no PEM certificate (it must contain -----BEGIN CERTIFICATE----- blocks)." % (origin, path)
    if not context.cert_store_stats().get("x509"):
        return "The %s %s holds no PEM certificate (it must contain -----BEGIN CERTIFICATE----- blocks)." % (origin, path)
    return None


def ca_bundle(validate_certs=True, ca_path=None, environ=None):
    """What requests is told to verify with: False, a file or directory, or True (its own bundle)."""
    if not validate_certs:
        return False
    if ca_path:
        return ca_path
    environ = os.environ if environ is None else environ
    for name in CA_BUNDLE_VARIABLES:
        if environ.get(name):
            return environ[name]
    return True


def check_connection(api_url, validate_certs=True, ca_path=None, timeout=30, retries=3, proxy=None, use_proxy=True,
                     max_response_mb=DEFAULT_RESPONSE_MB, api_format="xml", environ=None):
    """Check every connection option before any request; returns the warnings to show.

    Raises DrWebError with one sentence for the first value that cannot work.
    """
    environ = os.environ if environ is None else environ
    base, server = parse_api_url(api_url)
    if api_format not in ("xml", "json"):
        raise DrWebError("The api_format '%s' is not supported; use xml or json." % api_format)
    _check_number("timeout", timeout, 1, MAX_TIMEOUT, " seconds")
    _check_number("retries", retries, 0, MAX_RETRIES, "")
    _check_number("max_response_mb", max_response_mb, 1, MAX_RESPONSE_MB, " MiB")
    if validate_certs and ca_path:
        problem = check_ca_file(ca_path, "ca_path file")
        if problem:
            raise DrWebError(problem)
    elif validate_certs:
        for name in CA_BUNDLE_VARIABLES:
            if environ.get(name):
                problem = check_ca_file(environ[name], "%s file" % name)
                if problem:
                    raise DrWebError("%s; fix or unset %s, or set ca_path." % (problem.rstrip("."), name))
                break
    chosen = effective_proxy(base, proxy, use_proxy, environ)
    warnings = []
    if base.startswith("http://"):
        if chosen:
            raise DrWebError("The api_url %s uses plain http and would go through the proxy %s, which would see the "
                             "administrator password; use https, or set use_proxy to false." % (server, strip_userinfo(chosen)))
        warnings.append("api_url uses plain http: the Dr.Web administrator password is sent unencrypted; "
                        "use https (port 9081 by default).")
    elif not validate_certs:
        warnings.append("validate_certs is false: the identity of the Dr.Web server at %s is not checked, so anyone on "
                        "the network path can pose as it and read the administrator password; set ca_path instead." % server)
    return warnings


def _check_number(name, value, low, high, unit):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DrWebError("The %s option must be a whole number from %d to %d%s, got %s." % (name, low, high, unit, value))
