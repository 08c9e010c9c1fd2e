# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's ``main()`` against a fake client and capture exit_json/fail_json.

    client = FakeClient(groups=[...], station_state={"ws-1": "newbies"})
    result = run_module(monkeypatch, drweb_newbie, {"id": "ws-1", "action": "reject"}, client)
    assert result["changed"] and not result.get("failed")
    assert client.writes() == [("run_task", ("newbies",), {...})]

The real ``DrWebModule`` and the real ``resolve_groups`` run; only ``DrWebClient`` is
replaced, so argument validation, check mode and error translation are the shipped code.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json
import threading

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.drweb.esuite.plugins.module_utils import _module
from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebApiError, DrWebNotFoundError

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    @contextlib.contextmanager
    def patch_module_args(args=None):
        old = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = old

CONNECTION = {'api_url': 'https://drweb.test:9081', 'api_username': 'admin', 'api_password': 'S3cr3t-pw!'}
ENV = ('DRWEB_API_URL', 'DRWEB_API_USERNAME', 'DRWEB_API_PASSWORD', 'DRWEB_VALIDATE_CERTS',
       'DRWEB_CA_PATH', 'DRWEB_TIMEOUT', 'DRWEB_RETRIES', 'DRWEB_API_FORMAT')
WRITES = ('run_task', 'station_add', 'station_change', 'station_delete')


class _Exit(Exception):
    def __init__(self, result):
        super(_Exit, self).__init__(result)
        self.result = result


class FakeClient(object):
    """Canned answers per client method; ``calls`` records every call in order.

    An answer may be a value, an exception (raised), a callable (called with the
    arguments) or, for ``repository_status``, a list consumed one read at a time.
    ``groups`` feeds ``group_info``/``group_list`` the way the server does: an unknown
    id in ``group_info`` fails the whole call with an error envelope.
    """

    def __init__(self, groups=(), **answers):
        self.groups = [dict(g) for g in groups]
        self.answers = answers
        self.calls = []
        self.memo = {}
        self.memo_lock = threading.RLock()
        self.request_count = 0
        self.task = 0

    def _answer(self, name, *args, **kwargs):
        self.calls.append((name, args, kwargs))
        self.request_count += 1
        answer = self.answers.get(name)
        if isinstance(answer, list) and name == 'repository_status':
            answer = answer.pop(0) if len(answer) > 1 else answer[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(*args, **kwargs)
        return answer

    def names(self):
        return [c[0] for c in self.calls]

    def writes(self):
        return [c for c in self.calls if c[0] in WRITES]

    # stations
    def find_station(self, station_id, include=()):
        return self._answer('find_station', station_id, include=include)

    def station_info_batch(self, ids, include=()):
        return self._answer('station_info_batch', list(ids), include=include)

    def station_products(self, ids):
        return self._answer('station_products', list(ids))

    def station_state(self, ids):
        return self._answer('station_state', list(ids))

    def newbies_info(self, ids):
        return self._answer('newbies_info', list(ids))

    # groups
    def group_info(self, ids, include=()):
        self.calls.append(('group_info', (list(ids),), {}))
        self.request_count += 1
        by_id = dict((g['id'], g) for g in self.groups)
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            raise DrWebNotFoundError("Reading group %s failed: the server answered errno 404 \"Group is not found\"." % unknown[0],
                                     errno=404, server_message="Group is not found")
        return [by_id[i] for i in ids]

    def group_list(self, parent=None):
        if 'group_list' in self.answers:
            return self._answer('group_list', parent=parent)
        self.calls.append(('group_list', (), {'parent': parent}))
        self.request_count += 1
        return [g for g in self.groups if g.get('parent_id') == parent]

    def group_stations(self, group_id, **kwargs):
        return self._answer('group_stations', group_id, **kwargs)

    def group_components(self, ids):
        return self._answer('group_components', list(ids))

    # server
    def run_task(self, task_id, context=None, **params):
        return self._answer('run_task', task_id, context=context, **params)

    def repository_status(self):
        return self._answer('repository_status')

    def repository_products(self):
        return self._answer('repository_products')


def api_error(message, errno=20):
    return DrWebApiError(message, errno=errno, server_message=message)


def run_module(monkeypatch, module, args, client, check_mode=False):
    """Run ``module.main()``; return the exit_json/fail_json keywords (``failed`` set on failure)."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)

    def exit_json(self, **kwargs):
        kwargs.setdefault('changed', False)
        raise _Exit(kwargs)

    def fail_json(self, **kwargs):
        kwargs['failed'] = True
        raise _Exit(kwargs)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    monkeypatch.setattr(_module, 'DrWebClient', lambda *a, **kw: client)
    full = dict(CONNECTION)
    full.update(args)
    if check_mode:
        full['_ansible_check_mode'] = True
    with patch_module_args(full):
        try:
            module.main()
        except _Exit as done:
            return done.result
    raise AssertionError("main() returned without exit_json or fail_json")


def failure_cases():
    """``(exception, what the result carries besides msg)``: one per exception type a station task can meet.

    The same table drives drweb_station (fail_json) and each failed entry of drweb_stations:
    both report a failure through one mapping.
    """
    from ansible_collections.drweb.esuite.plugins.module_utils._errors import (  # pylint: disable=import-outside-toplevel
        DrWebAuthError,
        DrWebProtocolError,
        DrWebTaskError,
        DrWebTransportError,
    )
    from ansible_collections.drweb.esuite.plugins.module_utils._station import StationOptionError  # pylint: disable=import-outside-toplevel
    return [
        (DrWebAuthError("Authentication to the Dr.Web server at https://drweb.test:9081 failed for user 'admin': HTTP 401."),
         {"changed": False}),
        (DrWebTransportError("Changing station ws-1 failed: the Dr.Web server at https://drweb.test:9081 answered HTTP 503.",
                             status=503),
         {"changed": False, "status": 503}),
        (DrWebTransportError("Changing station ws-1 failed: the connection was lost during stations/change.ds; the request "
                             "was sent, so the change may or may not have been applied.", maybe_applied=True),
         {"changed": True, "maybe_applied": True}),
        (DrWebProtocolError("Changing station ws-1 failed: the answer is not a Dr.Web API XML document."),
         {"changed": False}),
        (DrWebApiError('Changing station ws-1 failed: the server answered errno 1003 "Invalid or missing parameter".',
                       errno=1003, server_message="Invalid or missing parameter"),
         {"changed": False, "errno": 1003, "server_message": "Invalid or missing parameter"}),
        (DrWebNotFoundError("Changing station ws-1 failed: the server answered errno 1004 \"Station 'ws-1' not found\".",
                            errno=1004, server_message="Station 'ws-1' not found"),
         {"changed": False, "errno": 1004, "server_message": "Station 'ws-1' not found"}),
        (DrWebTaskError('Changing station ws-1 failed: the server answered "Not enough privileges to perform the operation".',
                        task_id="t-1", server_message="Not enough privileges to perform the operation"),
         {"changed": False, "task_id": "t-1", "server_message": "Not enough privileges to perform the operation"}),
        (StationOptionError("rate 'Platinum' is neither a basic tariff nor the id of a tariff group on the server."),
         {"changed": False}),
    ]


FAILURE_IDS = ["auth", "transport", "transport-maybe-applied", "protocol", "api", "not-found", "task", "option"]


class ConcurrencyProbe(object):
    """Call it at the start of every job of a run of ``items`` jobs on ``workers`` threads.

    Jobs of the full rounds wait at a barrier of ``workers`` (its timeout only keeps a
    broken run from hanging the suite), so fewer jobs at once break it; ``most`` is the
    most jobs seen at the same time.
    """

    def __init__(self, workers, items):
        self.barrier = threading.Barrier(workers, timeout=30)
        self.full_rounds = items - items % workers
        self.lock = threading.Lock()
        self.now = self.most = self.started = 0

    def __call__(self, *dummy):
        with self.lock:
            self.now += 1
            self.started += 1
            self.most = max(self.most, self.now)
            # The last round may hold fewer jobs than threads: it does not wait.
            full_round = self.started <= self.full_rounds
        if full_round:
            self.barrier.wait()
        with self.lock:
            self.now -= 1
