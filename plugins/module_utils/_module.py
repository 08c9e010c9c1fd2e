# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``DrWebModule``: the base of every drweb.esuite module.

It owns the connection options (documented once in the ``drweb.esuite.connection`` doc
fragment), the missing-library checks, the client, the single write choke point and the
translation of DrWebError into ``fail_json``. Typical use::

    module = DrWebModule(argument_spec=dict(id=dict(type='str', required=True)), supports_check_mode=True)
    with module.api_errors():
        station = module.client.find_station(module.params['id'])
        module.write(module.client.station_change, module.params['id'], [('city', 'Berlin')])
    module.exit_json(changed=True)
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import copy

from ansible.module_utils.basic import AnsibleModule, _load_params, env_fallback, missing_required_lib

from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebError, DrWebTransportError
from ansible_collections.drweb.esuite.plugins.module_utils._client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    DrWebClient,
)
from ansible_collections.drweb.esuite.plugins.module_utils._connection import (
    CHECKED_OPTIONS,
    DEFAULT_RESPONSE_MB,
    basic_secrets,
    check_connection,
    scrub,
    url_secrets,
)
from ansible_collections.drweb.esuite.plugins.module_utils._parser import HAS_LXML, LXML_IMPORT_ERROR
from ansible_collections.drweb.esuite.plugins.module_utils._values import (
    NAME_LENGTH,
    SECRET_LENGTH,
    URL_LENGTH,
    Text,
    input_problems,
    plain_types,
    problems_message,
)


CONNECTION_ARGUMENT_SPEC = dict(
    api_url=dict(type=Text(URL_LENGTH), required=True, fallback=(env_fallback, ['DRWEB_API_URL'])),
    api_username=dict(type=Text(NAME_LENGTH), fallback=(env_fallback, ['DRWEB_API_USERNAME'])),
    api_password=dict(type=Text(SECRET_LENGTH), no_log=True, fallback=(env_fallback, ['DRWEB_API_PASSWORD'])),
    validate_certs=dict(type='bool', default=True, fallback=(env_fallback, ['DRWEB_VALIDATE_CERTS'])),
    ca_path=dict(type='path', fallback=(env_fallback, ['DRWEB_CA_PATH'])),
    timeout=dict(type='int', default=30, fallback=(env_fallback, ['DRWEB_TIMEOUT'])),
    retries=dict(type='int', default=3, fallback=(env_fallback, ['DRWEB_RETRIES'])),
    api_format=dict(type='str', default='xml', choices=['xml', 'json'], fallback=(env_fallback, ['DRWEB_API_FORMAT'])),
    proxy=dict(type=Text(URL_LENGTH), fallback=(env_fallback, ['DRWEB_PROXY'])),
    use_proxy=dict(type='bool', default=True, fallback=(env_fallback, ['DRWEB_USE_PROXY'])),
    max_response_mb=dict(type='int', default=DEFAULT_RESPONSE_MB, fallback=(env_fallback, ['DRWEB_MAX_RESPONSE_MB'])),
)


def failure_result(exc):
    """The result of a task, or of one entry of a bulk task, that failed with DrWebError ``exc``.

    ``msg`` is the exception's one sentence, beside it the details its class declares
    (errno, server_message, task_id, status) when set. A write that may have reached
    the server is ``maybe_applied: true`` and ``changed: true``: it must not read as
    "nothing changed", and the next run shows what the server holds.
    """
    result = dict(msg=str(exc), changed=False)
    for name, _default in getattr(exc, "DETAILS", ()):
        value = getattr(exc, name, None)
        if value is not None and value is not False:
            result[name] = value
    if result.get("maybe_applied"):
        result["changed"] = True
    return result


def module_spec(argument_spec=None):
    """A module's full argument spec: the connection options plus ``argument_spec``."""
    spec = copy.deepcopy(CONNECTION_ARGUMENT_SPEC)
    spec.update(argument_spec or {})
    return spec


class DrWebCore(object):
    """What every drweb.esuite module does once its options are validated, whichever process runs it.

    :class:`DrWebModule` is this on top of ``AnsibleModule`` (the module process); the
    action plugins put it on top of an AnsibleModule-like object in the controller's worker
    process (``plugin_utils/_controller.py``). Both call :meth:`_start` right after the
    argument spec is validated.
    """

    # Connections the client keeps alive; a module that works on several objects at once
    # sets it to its concurrency before first using ``client``.
    pool_size = 1
    # What the DRWEB_* fallbacks, CA bundle and proxy variables are read from: None is
    # os.environ (the module process's); the controller path passes the task's environment.
    environ = None

    def _start(self):
        self._client = None
        if not HAS_REQUESTS:
            self._missing_library('requests', None, REQUESTS_IMPORT_ERROR)
        if self.params['api_format'] == 'xml' and not HAS_LXML:
            self._missing_library('lxml', 'for api_format=xml', LXML_IMPORT_ERROR)
        # Credentials in api_url (refused below) or in the proxy URL (allowed) must not reach the
        # invocation that -vvvv prints: Ansible masks every no_log value in the result.
        for name in ('api_url', 'proxy'):
            self.no_log_values.update(url_secrets(self.params[name]))
        self._secrets = basic_secrets(self.params['api_username'], self.params['api_password']) + url_secrets(self.params['proxy'])
        # Bad connection input is rejected before any request is sent.
        try:
            warnings = check_connection(environ=self.environ, **dict((name, self.params[name]) for name in CHECKED_OPTIONS))
        except DrWebError as exc:
            self.fail_from(exc)
        for warning in warnings:
            self.warn(warning)

    def _missing_library(self, name, reason, error):
        self.fail_json(msg=missing_required_lib(name, reason=reason), exception=error)

    def client_settings(self):
        """The keyword arguments of this task's DrWebClient."""
        p = self.params
        settings = dict((name, p[name]) for name in CHECKED_OPTIONS)
        settings.update(username=p['api_username'], password=p['api_password'], pool_size=self.pool_size,
                        environ=self.environ)
        return settings

    def new_client(self, settings):
        """A DrWebClient for ``settings``; the controller path hands out a kept one instead."""
        return DrWebClient(**settings)

    @property
    def client(self):
        """The DrWebClient for the connection options, built on first use."""
        if self._client is None:
            try:
                self._client = self.new_client(self.client_settings())
            except DrWebError as exc:
                self.fail_from(exc)
        return self._client

    def write(self, fn, *args, **kwargs):
        """Call the write ``fn(*args, **kwargs)``, or nothing at all in check mode.

        Every change a module makes must go through here; in check mode it returns None
        and the module reports what it would have done.
        """
        if self.check_mode:
            return None
        return fn(*args, **kwargs)

    def converge(self, attempt):
        """Run ``attempt()`` (read, plan, maybe write); after a write that may have landed, again.

        One retry budget: the client retries each read itself, so a read that still fails ends
        the cycle at once (against a dead server the client's circuit makes that immediate).
        Only a write that may have reached the server restarts the cycle, at most ``retries``
        times, and every restart reads the object again and recomputes the change first, so a
        write is never sent blindly. ``attempt(may_write=False)`` must return None when a write
        would still be needed. Returns ``(result of the completed attempt, whether an earlier
        attempt may have written)``.
        """
        wrote, last = False, None
        for dummy in range(self.params['retries'] + 1):
            try:
                return attempt(), wrote
            except DrWebTransportError as exc:
                if not exc.maybe_applied:
                    raise
                wrote, last = True, exc
        # The last write may have landed: one more read tells, but nothing more is sent.
        try:
            result = attempt(may_write=False)
        except DrWebTransportError:
            result = None
        if result is not None:
            return result, wrote
        raise last

    def fail_from(self, exc, **extra):
        """``fail_json`` with :func:`failure_result` of ``exc`` (plus ``extra``)."""
        result = failure_result(exc)
        # The client scrubbed what it raised; a helper's message may still quote the server.
        for key in ('msg', 'server_message'):
            if result.get(key):
                result[key] = scrub(result[key], getattr(self, '_secrets', ()))
        result.update(extra)
        self.fail_json(**result)

    @contextlib.contextmanager
    def api_errors(self, **extra):
        """Turn any DrWebError raised inside the block into ``fail_from`` (no traceback)."""
        try:
            yield
        except DrWebError as exc:
            self.fail_from(exc, **extra)


class DrWebModule(DrWebCore, AnsibleModule):
    """AnsibleModule plus the Dr.Web connection, write choke point and error handling."""

    _refused = ()

    def _load_params(self):
        super(DrWebModule, self)._load_params()
        if self._refused:
            # Refused input is not logged: syslog refuses a NUL, and from ansible-core 2.21 on
            # AnsibleModule then fails in its own words before ours are heard. The task's own
            # _ansible_no_log would override a no_log argument, so it is set here.
            self.params['_ansible_no_log'] = True

    def __init__(self, argument_spec=None, **kwargs):
        spec = module_spec(argument_spec)
        # The task's values before Ansible converts them: the Text types of the spec would refuse
        # the same values, but in the validator's words, which cannot name an entry of a list.
        problems = self._refused = input_problems(spec, _load_params())
        if problems:
            spec = plain_types(spec)
        AnsibleModule.__init__(self, argument_spec=spec, **kwargs)
        if problems:
            self.fail_json(msg=problems_message(problems), problems=problems)
        self._start()
