# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which path a task takes: the controller process, or the module shipped as core's normal action would."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from unittest.mock import MagicMock

from ansible_collections.drweb.esuite.plugins.action.drweb_station import ActionModule
from ansible_collections.drweb.esuite.plugins.plugin_utils import _controller

SHIPPED = {"changed": False, "msg": "from the module process"}


def action(transport="local", become=False, async_val=0, environment=(), args=None):
    task = MagicMock()
    task.action = "drweb.esuite.drweb_station"
    task.args = dict(args or {"api_url": "https://drweb.test:9081", "id": "ws-1"})
    task.async_val = async_val
    task.check_mode = False
    task.diff = False
    task.environment = list(environment)
    connection = MagicMock()
    connection.transport = transport
    connection.has_native_async = False
    connection._shell.tmpdir = None
    play_context = MagicMock()
    play_context.become = become
    templar = MagicMock()
    templar.template.side_effect = lambda value, **kw: value
    plugin = ActionModule(task, connection, play_context, loader=MagicMock(), templar=templar, shared_loader_obj=MagicMock())
    plugin._execute_module = MagicMock(return_value=dict(SHIPPED))
    plugin._remove_tmp_path = MagicMock()
    return plugin


@pytest.fixture
def ran_here(monkeypatch):
    """Records the controller runs instead of doing them."""
    calls = []

    def run_here(self, environ, task_vars, forced=False):
        calls.append(dict(environ=environ, forced=forced))
        return {"changed": False, "msg": "from the controller process"}

    monkeypatch.setattr(_controller.DrWebAction, "_run_here", run_here)
    monkeypatch.delenv("DRWEB_EXECUTION", raising=False)
    return calls


def test_a_local_task_runs_in_the_controller(ran_here):
    plugin = action()
    assert plugin.run(task_vars={})["msg"] == "from the controller process"
    assert not plugin._execute_module.called and len(ran_here) == 1 and not ran_here[0]["forced"]


@pytest.mark.parametrize("where", [dict(transport="ssh"), dict(become=True), dict(async_val=30),
                                   dict(environment=[{"DRWEB_EXECUTION": "module"}])],
                         ids=["remote-host", "become", "async", "forced-module"])
def test_the_module_is_shipped(ran_here, where):
    plugin = action(**where)
    assert plugin.run(task_vars={})["msg"] == "from the module process"
    assert plugin._execute_module.called and not ran_here


def test_the_controller_environment_can_force_the_module_path(ran_here, monkeypatch):
    monkeypatch.setenv("DRWEB_EXECUTION", "module")
    assert action().run(task_vars={})["msg"] == "from the module process"


def test_the_task_environment_wins_over_the_controllers(ran_here, monkeypatch):
    monkeypatch.setenv("DRWEB_EXECUTION", "module")
    plugin = action(environment=[{"DRWEB_EXECUTION": "auto", "DRWEB_TIMEOUT": 7}])
    assert plugin.run(task_vars={})["msg"] == "from the controller process"
    # Values reach the fallbacks as text, as a module process's environment holds them.
    assert ran_here[0]["environ"]["DRWEB_TIMEOUT"] == "7"


def test_controller_mode_fails_where_it_would_ship(ran_here):
    result = action(transport="ssh", environment=[{"DRWEB_EXECUTION": "controller"}]).run(task_vars={})
    assert result["failed"] and not result["changed"]
    assert result["msg"] == ("drweb.esuite.drweb_station cannot run in the controller process although "
                             "DRWEB_EXECUTION=controller: the task runs over the ssh connection, not on the controller.")


def test_controller_mode_runs_here_when_it_can(ran_here):
    assert action(environment=[{"DRWEB_EXECUTION": "controller"}]).run(task_vars={})["msg"] == "from the controller process"
    assert ran_here[0]["forced"]


def test_a_bad_mode_fails_before_anything_runs(ran_here):
    plugin = action(environment=[{"DRWEB_EXECUTION": "sometimes"}])
    result = plugin.run(task_vars={})
    assert result["failed"] and result["msg"] == "DRWEB_EXECUTION must be one of auto, module, controller, got 'sometimes'."
    assert not plugin._execute_module.called and not ran_here


def test_without_requests_the_module_is_shipped(ran_here, monkeypatch):
    monkeypatch.setattr(_controller, "HAS_REQUESTS", False)
    assert action().run(task_vars={})["msg"] == "from the module process"


def test_a_library_missing_for_the_options_ships_the_module(monkeypatch):
    """lxml is needed for api_format=xml only, which validation decides: the run itself says so."""
    monkeypatch.delenv("DRWEB_EXECUTION", raising=False)
    monkeypatch.setattr("ansible_collections.drweb.esuite.plugins.module_utils._module.HAS_LXML", False)
    plugin = action(args={"api_url": "https://drweb.test:9081", "id": "ws-1"})
    assert plugin.run(task_vars={})["msg"] == "from the module process"


def test_a_bug_in_the_module_code_is_one_sentence_without_secrets(monkeypatch):
    monkeypatch.delenv("DRWEB_EXECUTION", raising=False)

    def broken(module_class):
        module = module_class(argument_spec={})
        raise ValueError("cannot parse %s" % module.params["api_password"])

    monkeypatch.setattr(ActionModule, "module_main", staticmethod(broken))
    result = action(args={"api_url": "https://drweb.test:9081", "api_password": "Bug-Secret-4"}).run(task_vars={})
    assert result["failed"] and not result["changed"]
    assert result["msg"] == ("drweb.esuite.drweb_station failed in the controller process: ValueError: cannot parse "
                             "********")


MASKING_CASES = [
    {"msg": "login s3cret failed", "password": "s3cret", "n": 17, "f": 1.5, "t": True, "none": None,
     "nested": [{"s3cret": "key stays", "deep": ["a s3cret b", "s3cret", "plain"]}, [], {}],
     "ints": [1234, 91234, 0, -1234], "floats": [12.34, 1234.0], "tuple": ("s3cret", 1234), "set": ["x"]},
    {"both": "hunter2 and hunter22 and xhunterx", "exact": "hunter22"},
    ["s3cret", "1234", 1234, None, False, ["s3cret-s3cret"]],
    "no secret here",
    1234,
]


@pytest.mark.parametrize("value", MASKING_CASES)
@pytest.mark.parametrize("secrets", [{"s3cret", "1234"}, {"hunter2", "hunter22"}, set(), {"1234"}])
def test_no_log_masking_is_remove_values(value, secrets):
    """The controller path's masking gives what a module process's remove_values gives, value for value.

    Longest secret first, as remove_values does since ansible-core 2.19; before, it went in the set's
    order, which could leave the end of a longer secret ("********2"), so it is given them in that order.
    """
    from ansible.module_utils.common.parameters import remove_values

    assert _controller.mask_no_log(value, secrets) == remove_values(value, sorted(secrets, key=len, reverse=True))


def test_no_log_masking_hands_other_types_to_remove_values():
    """Dates, tuples and sets go to remove_values itself (which turns a date into text before ansible-core 2.19)."""
    import datetime
    from ansible.module_utils.common.parameters import remove_values

    value = {"when": datetime.date(2026, 12, 2), "ids": ("ws-1", "s3cret"), "names": {"s3cret"}}
    masked = _controller.mask_no_log(value, {"s3cret"})
    assert masked == remove_values(value, {"s3cret"})
    assert masked["ids"] == ["ws-1", "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"]
    assert masked["names"] == {"VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"}
