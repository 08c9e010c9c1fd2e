# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller path against the module path, in one process: same arguments, same result.

Each case runs a module's ``main()`` twice: once as a module process would (the real
``AnsibleModule``, its JSON read from stdout) and once with ``ControllerModule``. Only the
client is a fake, so validation, fallbacks, no_log masking, warnings and failures are the
shipped code of both paths.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import glob
import importlib
import json
import os

import pytest

from ansible.module_utils.common import warnings as module_warnings
from ansible.module_utils.common.parameters import PASS_VARS, env_fallback

from ansible_collections.drweb.esuite.plugins.module_utils import _module
from ansible_collections.drweb.esuite.plugins.module_utils._station_fields import STATION_ARGUMENT_SPEC
from ansible_collections.drweb.esuite.plugins.plugin_utils import _clients, _controller
from ansible_collections.drweb.esuite.tests.unit.plugins.modules.drweb_harness import (
    CONNECTION,
    ENV,
    FakeClient,
    patch_module_args,
)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir, os.pardir))
MODULES = sorted(os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py"))
                 if not p.endswith("__init__.py"))

STATION = {"id": "ws-1", "name": "ws-1", "description": "Lobby", "city": "Berlin", "state": 0, "parent_id": "g-acc",
           "acl": {"priority": "allow", "allowed": [], "disallowed": []}, "group_membership": []}


class Client(FakeClient):
    def __init__(self):
        super(Client, self).__init__(groups=[{"id": "g-acc", "name": "Accounting", "type": 0, "parent_id": None}],
                                     station_change="ws-1", station_add="ws-1")

    def find_station(self, station_id, include=()):
        self._answer("find_station", station_id)
        return copy.deepcopy(STATION) if station_id == "ws-1" else None

    def station_change(self, station_id, params):
        return self._answer("station_change", station_id, list(params))

    def station_add(self, params):
        return self._answer("station_add", list(params))

    def next_task(self):
        self.task += 1

    def close(self):
        pass


@pytest.fixture
def fake(monkeypatch):
    """One fake client for both paths; the controller's kept clients are dropped around each test."""
    client = Client()
    monkeypatch.setattr(_module, "DrWebClient", lambda **kw: client)
    monkeypatch.setattr(_clients, "DrWebClient", lambda **kw: client)
    for name in ENV + (_controller.EXECUTION_VARIABLE,):
        monkeypatch.delenv(name, raising=False)
    _clients.forget_clients()
    yield client
    _clients.forget_clients()


def module_path(capsys, module, args, check_mode=False):
    """The result a module process prints, as JSON."""
    full = dict(args, _ansible_check_mode=check_mode,
                _ansible_module_name="drweb.esuite.%s" % module.__name__.rsplit(".", 1)[-1])
    if "inject_invocation" in PASS_VARS:
        # ansible-core 2.21+ adds invocation only when asked (INJECT_INVOCATION); the controller path always is here.
        full["_ansible_inject_invocation"] = True
    capsys.readouterr()
    # A module process starts with no warnings; in this process earlier runs left theirs.
    module_warnings._global_warnings.clear()  # pylint: disable=protected-access
    module_warnings._global_deprecations.clear()  # pylint: disable=protected-access
    with pytest.MonkeyPatch.context() as patch:
        try:
            from ansible.module_utils import _internal  # pylint: disable=import-outside-toplevel
        except ImportError:  # ansible-core < 2.19
            _internal = None
        if _internal is None:
            # Before ansible-core 2.19 remove_values masks in the set's order, so whether "user:pw" or only
            # "pw" is masked in "https://user:pw@" depends on the hash seed. The controller path masks
            # the longest first, as 2.19+ does; the reference is pinned to that order.
            from ansible.module_utils import basic  # pylint: disable=import-outside-toplevel
            patch.setattr(basic, "remove_values", lambda value, secrets, masked=basic.remove_values: masked(
                value, sorted(secrets, key=len, reverse=True)))
        if _internal is not None and hasattr(_internal, "is_controller"):
            # Loaded next to controller code, ansible-core 2.19+ would display module warnings at once.
            patch.setattr(_internal, "is_controller", False)
        with patch_module_args(full):
            with pytest.raises(SystemExit):
                module.main()
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def controller_path(module, args, check_mode=False, environ=None):
    task = _controller.TaskContext("drweb.esuite.%s" % module.__name__.rsplit(".", 1)[-1], args, check_mode=check_mode,
                                   environ=dict(environ or {}))
    with pytest.raises(_controller.ModuleDone) as done:
        module.main(module_class=lambda **kwargs: _controller.ControllerModule(task, **kwargs))
    return json.loads(json.dumps(done.value.result))


def comparable(result):
    """The result with warnings as plain text (ansible-core 2.19 serialises them as objects)."""
    result = dict(result)
    if "warnings" in result:
        result["warnings"] = [w if isinstance(w, str) else w.get("event", {}).get("msg") for w in result["warnings"]]
    result.pop("exception", None)
    return result


def modules(*names):
    return [importlib.import_module("ansible_collections.drweb.esuite.plugins.modules.%s" % name) for name in names]


CASES = [
    ("drweb_station", dict(CONNECTION, id="ws-1", description="Lobby")),
    ("drweb_station", dict(CONNECTION, id="ws-1", description="New", password="Agent-Secret-7")),
    ("drweb_station", dict(CONNECTION, id="ws-2", city="Hamburg")),
    ("drweb_station", dict(CONNECTION, id="ws-1", bogus=1, other="x")),
    ("drweb_station", dict(CONNECTION, description="no id")),
    ("drweb_station", dict(CONNECTION, id="ws-1", state="gone")),
    ("drweb_station", dict(CONNECTION, id="ws-1", latitude="north")),
    ("drweb_station", dict(CONNECTION, id="ws-1", api_url="http://drweb.test:9080")),
    ("drweb_station", dict(CONNECTION, id="ws-1", timeout=0)),
    ("drweb_station", dict(CONNECTION, id="ws-1", api_url="https://user:Url-Secret-5@drweb.test")),
    ("drweb_station", dict(CONNECTION, id="ws-1", groups=["Nowhere"])),
    ("drweb_stations", dict(CONNECTION, stations=[{"id": "ws-1", "description": "Lobby"},
                                                  {"id": "ws-2", "password": "Pw-In-List-3"}])),
    ("drweb_stations", dict(CONNECTION, stations=[{"id": "ws-1", "colour": "red"}])),
    ("drweb_stations", dict(CONNECTION, stations=[{"id": "ws-1"}], concurrency=0)),
    ("drweb_station_info", dict(CONNECTION, id=["ws-1"], group="g-acc")),
    ("drweb_newbie", dict(CONNECTION, id="ws-9", action="approve")),
    ("drweb_group", dict(CONNECTION, description="neither id nor name")),
    ("drweb_repo_update", dict(CONNECTION, wait="maybe")),
    # Bad input is refused from the raw values (input_problems) in the same sentence on both paths.
    ("drweb_station", dict(CONNECTION, id=u"nul\x00id")),
    ("drweb_station", dict(CONNECTION, id="ws-1", city={"a": 1}, password=["Pw-Listed-8"])),
    ("drweb_station", dict(CONNECTION, id="ws-1", description="x" * 5000)),
    ("drweb_stations", dict(CONNECTION, stations=[{"id": "ws-1", "city": ["a"]}, {"id": u"b\x07"}])),
    ("drweb_stations", dict(CONNECTION, stations=[{"id": "ws-%d" % i, "city": {"x": i}} for i in range(12)])),
    ("drweb_group", dict(CONNECTION, name=["a", "b"])),
    ("drweb_station", dict(CONNECTION, city={"a": 1})),
]


@pytest.mark.parametrize("name, args", CASES, ids=["%s-%d" % (c[0], i) for i, c in enumerate(CASES)])
@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check"])
def test_controller_result_is_the_module_result(fake, capsys, name, args, check_mode):
    module, = modules(name)
    expected = module_path(capsys, module, args, check_mode=check_mode)
    fake.calls = []
    got = controller_path(module, args, check_mode=check_mode)
    assert comparable(got) == comparable(expected)


def test_the_cases_cover_successes_failures_warnings_and_masking(fake, capsys):
    """The parity cases mean something only if they include each kind of outcome."""
    results = [controller_path(module, args) for (name, args) in CASES for module in modules(name)]
    assert any(not r.get("failed") and r.get("changed") for r in results)
    assert any(not r.get("failed") and not r.get("changed") for r in results)
    assert any(r.get("failed") and "Unsupported parameters for (drweb.esuite.drweb_station) module: bogus, other" in r["msg"]
               for r in results)
    assert any(r.get("warnings") for r in results)
    assert any(r.get("failed") and r.get("problems") == ["id must not hold control characters; character 4 is U+0000."]
               for r in results)
    assert any(r.get("failed") and "; and 7 more (see problems)." in r["msg"] and len(r["problems"]) == 12 for r in results)
    text = json.dumps(results)
    for secret in ("Agent-Secret-7", "Pw-In-List-3", "Pw-Listed-8", "Url-Secret-5", CONNECTION["api_password"]):
        assert secret not in text
    assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in text


def test_fallbacks_read_the_task_environment_not_the_process(fake, capsys, monkeypatch):
    """DRWEB_* come from what a module process would see: here only the task's environment has them."""
    module, = modules("drweb_station")
    environ = {"DRWEB_API_URL": CONNECTION["api_url"], "DRWEB_API_USERNAME": "admin",
               "DRWEB_API_PASSWORD": "Env-Secret-1", "DRWEB_TIMEOUT": "7"}
    got = controller_path(module, {"id": "ws-1", "description": "Lobby"}, environ=environ)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    expected = module_path(capsys, module, {"id": "ws-1", "description": "Lobby"})
    assert comparable(got) == comparable(expected)
    assert got["invocation"]["module_args"]["timeout"] == 7
    assert got["invocation"]["module_args"]["api_password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert "Env-Secret-1" not in json.dumps(got)


def test_a_missing_fallback_fails_like_the_module(fake, capsys):
    module, = modules("drweb_station")
    got = controller_path(module, {"id": "ws-1"}, environ={"DRWEB_API_URL_TYPO": "x"})
    assert got["failed"] and got["msg"] == "missing required arguments: api_url"
    assert comparable(got) == comparable(module_path(capsys, module, {"id": "ws-1"}))


def test_bind_fallbacks_leaves_the_shared_spec_alone():
    spec = _module.module_spec({"stations": dict(type="list", elements="dict", options=STATION_ARGUMENT_SPEC)})
    before = copy.deepcopy(spec)
    bound = _controller.bind_fallbacks(spec, {"DRWEB_API_URL": "https://x"})
    assert spec == before
    assert spec["api_url"]["fallback"][0] is env_fallback
    assert bound["api_url"]["fallback"][0] is not env_fallback
    assert bound["api_url"]["fallback"][0]("DRWEB_API_URL") == "https://x"


def test_a_missing_library_ships_the_module_unless_controller_is_forced(fake, monkeypatch):
    module, = modules("drweb_station")
    monkeypatch.setattr(_module, "HAS_LXML", False)
    task = _controller.TaskContext("drweb.esuite.drweb_station", dict(CONNECTION, id="ws-1"))
    with pytest.raises(_controller.CannotRunHere) as why:
        module.main(module_class=lambda **kw: _controller.ControllerModule(task, **kw))
    assert why.value.reason == "the controller's Python lacks lxml"
    task.forced = True
    with pytest.raises(_controller.ModuleDone) as done:
        module.main(module_class=lambda **kw: _controller.ControllerModule(task, **kw))
    assert done.value.result["failed"] and "lxml" in done.value.result["msg"]
    # JSON needs no lxml: the controller path runs.
    task = _controller.TaskContext("drweb.esuite.drweb_station", dict(CONNECTION, id="ws-1", api_format="json"))
    with pytest.raises(_controller.ModuleDone) as done:
        module.main(module_class=lambda **kw: _controller.ControllerModule(task, **kw))
    assert not done.value.result.get("failed")


def test_invocation_follows_the_core_setting(fake):
    module, = modules("drweb_station")
    task = _controller.TaskContext("drweb.esuite.drweb_station", dict(CONNECTION, id="ws-1"), invocation=False)
    with pytest.raises(_controller.ModuleDone) as done:
        module.main(module_class=lambda **kw: _controller.ControllerModule(task, **kw))
    assert "invocation" not in done.value.result


@pytest.mark.parametrize("value, mode", [(None, "auto"), ("", "auto"), ("module", "module"), (" Controller ", "controller")])
def test_execution_mode(value, mode):
    environ = {} if value is None else {"DRWEB_EXECUTION": value}
    assert _controller.execution_mode(environ) == mode


def test_a_bad_execution_mode_is_one_sentence():
    with pytest.raises(ValueError) as bad:
        _controller.execution_mode({"DRWEB_EXECUTION": "remote"})
    assert str(bad.value) == "DRWEB_EXECUTION must be one of auto, module, controller, got 'remote'."


@pytest.mark.parametrize("name", MODULES)
def test_every_module_has_an_action_plugin_running_its_main(name):
    """A module added without its action plugin would silently always start a module process."""
    action = importlib.import_module("ansible_collections.drweb.esuite.plugins.action.%s" % name)
    module = importlib.import_module("ansible_collections.drweb.esuite.plugins.modules.%s" % name)
    assert issubclass(action.ActionModule, _controller.DrWebAction)
    assert action.ActionModule.module_main is module.main


def test_no_action_plugin_without_a_module():
    actions = sorted(os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(ROOT, "plugins", "action", "*.py"))
                     if not p.endswith("__init__.py"))
    assert actions == MODULES


def test_plain_data_gives_the_module_plain_values_of_a_templated_task():
    """Tagged task values (what templating returns) reach the module as JSON would carry them: plain types."""
    try:  # ansible-core 2.19+: templating tags its values
        from ansible._internal._datatag._tags import Origin  # pylint: disable=import-outside-toplevel

        def tag(value):
            return Origin(path="/tmp/fleet.yml", line_num=1).tag(value)
    except ImportError:  # before: it wraps text as unsafe (a str subclass)
        from ansible.utils.unsafe_proxy import wrap_var as tag  # pylint: disable=import-outside-toplevel

    fleet = [{"id": "ws-%d" % i, "name": "WS %d" % i, "enabled": True, "groups": ["g-%d" % i]} for i in range(3)]
    args = tag({"stations": tag([tag(dict((tag(k), tag(v) if k != "groups" else tag([tag(g) for g in v]))
                                          for k, v in entry.items())) for entry in fleet]),
                "concurrency": tag(4), "api_url": tag("https://drweb.example:9081"), "validate_certs": None})
    assert type(args["stations"][0]["id"]) is not str  # pylint: disable=unidiomatic-typecheck
    plain = _controller.plain_data(args)
    assert plain == {"stations": fleet, "concurrency": 4, "api_url": "https://drweb.example:9081", "validate_certs": None}
    assert type(plain) is dict and type(plain["stations"]) is list  # pylint: disable=unidiomatic-typecheck
    assert type(plain["concurrency"]) is int and type(plain["api_url"]) is str  # pylint: disable=unidiomatic-typecheck
    for entry in plain["stations"]:
        assert type(entry) is dict  # pylint: disable=unidiomatic-typecheck
        assert all(type(key) is str and type(value) in (str, bool, list) for key, value in entry.items())  # pylint: disable=unidiomatic-typecheck
        assert type(entry["groups"][0]) is str  # pylint: disable=unidiomatic-typecheck
    assert _controller.plain_data((1, 2.5, b"x", False)) == [1, 2.5, b"x", False]
