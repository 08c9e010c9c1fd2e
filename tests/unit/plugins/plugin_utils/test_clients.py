# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The clients kept across the tasks of a worker process (the items of a loop)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.drweb.esuite.plugins.module_utils._client import DrWebClient
from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebTransportError
from ansible_collections.drweb.esuite.plugins.module_utils._groups import add_planned_groups, group_tree
from ansible_collections.drweb.esuite.plugins.plugin_utils import _clients

SETTINGS = dict(api_url="https://drweb.test:9081", username="admin", password="Kept-Secret-1", validate_certs=True,
                ca_path=None, timeout=30, retries=3, api_format="xml", proxy=None, use_proxy=True, max_response_mb=64,
                pool_size=1, environ={})


@pytest.fixture(autouse=True)
def no_kept_clients():
    _clients.forget_clients()
    yield
    _clients.forget_clients()


def settings(**changes):
    return dict(SETTINGS, **changes)


def test_the_same_settings_get_the_same_client_and_a_new_task():
    first = _clients.kept_client(settings())
    assert isinstance(first, DrWebClient) and first.task == 0
    again = _clients.kept_client(settings())
    assert again is first and again.task == 1


@pytest.mark.parametrize("change", [
    dict(password="Other-Secret-2"), dict(username="auditor"), dict(api_url="https://other.test:9081"),
    dict(validate_certs=False), dict(timeout=5), dict(retries=0), dict(api_format="json"), dict(pool_size=4),
    dict(environ={"REQUESTS_CA_BUNDLE": "/etc/ssl/other.pem"}), dict(environ={"HTTPS_PROXY": "http://proxy.test:3128"}),
])
def test_every_setting_and_the_environment_the_client_reads_tell_clients_apart(change):
    assert _clients.kept_client(settings(**change)) is not _clients.kept_client(settings())


def test_unrelated_environment_does_not_split_clients():
    assert _clients.kept_client(settings(environ={"HOME": "/root"})) is _clients.kept_client(settings())


def test_the_key_holds_no_secret_and_differs_per_process(monkeypatch):
    key = _clients.settings_key(settings())
    assert "Kept-Secret-1" not in key and "admin" not in key and len(key) == 64
    monkeypatch.setattr(_clients.os, "getpid", lambda: -1)
    assert _clients.settings_key(settings()) != key


def test_a_forked_child_builds_its_own_client(monkeypatch):
    parent = _clients.kept_client(settings())
    monkeypatch.setattr(_clients.os, "getpid", lambda: -1)
    assert _clients.kept_client(settings()) is not parent


def test_a_kept_client_forgets_the_last_tasks_dead_server():
    client = _clients.kept_client(settings())
    client._circuit = DrWebTransportError("Reading station ws-1 failed: the server is gone.")  # pylint: disable=protected-access
    assert _clients.kept_client(settings()) is client
    assert client._circuit is None  # pylint: disable=protected-access


def test_a_kept_client_forgets_groups_check_mode_only_predicted(monkeypatch):
    client = _clients.kept_client(settings())
    monkeypatch.setattr(client, "group_list", lambda parent=None: [] if parent else [
        {"id": "g1", "name": "Office", "type": 0, "child_groups": 0}])
    add_planned_groups(client, [{"id": None, "name": "Kiosks", "path": "Kiosks", "type": 0}])
    assert [g["name"] for g in group_tree(client)] == ["Office", "Kiosks"]
    assert _clients.kept_client(settings()) is client
    assert [g["name"] for g in group_tree(client)] == ["Office"]


def test_a_kept_client_keeps_the_walked_tree():
    client = _clients.kept_client(settings())
    client.memo["group_tree"] = [{"id": "g1", "name": "Office", "path": "Office"}]
    assert _clients.kept_client(settings()).memo["group_tree"] == [{"id": "g1", "name": "Office", "path": "Office"}]


def test_the_least_recently_used_client_is_closed_beyond_the_limit(monkeypatch):
    closed = []

    def close(client):
        closed.append(client)

    monkeypatch.setattr(DrWebClient, "close", close)
    first = _clients.kept_client(settings(timeout=1))
    others = [_clients.kept_client(settings(timeout=n)) for n in range(2, _clients.MAX_CLIENTS + 1)]
    assert _clients.kept_client(settings(timeout=1)) is first  # used again: now the most recent
    newest = _clients.kept_client(settings(timeout=99))
    assert closed == [others[0]]
    assert _clients.kept_client(settings(timeout=99)) is newest


def test_a_name_missing_from_an_earlier_tasks_tree_costs_one_fresh_walk():
    """A group created between two loop items is found, as a new module process would find it."""
    from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebNotFoundError  # pylint: disable=import-outside-toplevel
    from ansible_collections.drweb.esuite.plugins.module_utils._groups import resolve_groups  # pylint: disable=import-outside-toplevel
    from ansible_collections.drweb.esuite.tests.unit.plugins.modules.drweb_harness import FakeClient  # pylint: disable=import-outside-toplevel

    client = FakeClient(groups=[{"id": "g1", "name": "Office", "type": 0, "parent_id": None, "child_groups": 0}])
    assert resolve_groups(client, ["Office"])["Office"]["id"] == "g1"
    walks = client.names().count("group_list")
    client.groups.append({"id": "g2", "name": "Kiosks", "type": 0, "parent_id": None, "child_groups": 0})
    # The same task: the tree it walked answers (a name it lacks is unknown without another walk).
    with pytest.raises(DrWebNotFoundError):
        resolve_groups(client, ["Kiosks"])
    assert client.names().count("group_list") == walks
    client.task += 1  # what DrWebClient.next_task() counts
    assert resolve_groups(client, ["Kiosks"])["Kiosks"]["id"] == "g2"
    assert client.names().count("group_list") == walks + 1
    assert resolve_groups(client, ["Office", "Kiosks"])["Office"]["id"] == "g1"
    assert client.names().count("group_list") == walks + 1
