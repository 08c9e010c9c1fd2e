# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a drweb.esuite module's own code in the controller's worker process.

Every module has an action plugin of the same name, a subclass of :class:`DrWebAction`
naming the module's ``main``. When the task runs on the controller anyway (the ``local``
connection: ``connection: local``, the implicit localhost, ``delegate_to: localhost``) and
the controller's Python has what the module needs, the action calls
``main(module_class=...)`` with :class:`ControllerModule` instead of shipping the module:
no module process is started, and a ``loop:`` keeps one client for all its items
(``_clients.py``). Otherwise the module is shipped exactly as core's ``normal`` action does.

:class:`ControllerModule` offers what the module code uses of ``AnsibleModule``, built
from the same pieces: the module's argument spec validated by ``ArgumentSpecValidator``
(the messages of ``AnsibleModule``, the ``DRWEB_*`` fallbacks read from the environment a
module process would get), ``no_log`` values masked as ``remove_values`` does, ``invocation``,
``warnings``, ``fail_json``/``exit_json``. The result is the module's, key for key.

``DRWEB_EXECUTION`` (the controller's environment, or the task's ``environment:``) picks
the path: ``auto`` (default), ``module`` (always ship it), ``controller`` (fail rather than
ship it).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gc
import os
from collections.abc import Mapping

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import env_fallback, remove_values
from ansible.module_utils.common.text.converters import to_native
from ansible.module_utils.errors import AnsibleFallbackNotFound, UnsupportedError
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

try:  # ansible-core 2.21+: module answers become a UnifiedTaskResult
    from ansible._internal._task import UnifiedTaskResult
except ImportError:
    UnifiedTaskResult = None
try:  # ansible-core 2.19, 2.20: a module's failure is told apart from an action's
    from ansible._internal._errors._captured import AnsibleModuleCapturedError
except ImportError:
    AnsibleModuleCapturedError = None

from ansible import constants as C

from ansible_collections.drweb.esuite.plugins.module_utils._client import HAS_REQUESTS
from ansible_collections.drweb.esuite.plugins.module_utils._module import DrWebCore, module_spec
from ansible_collections.drweb.esuite.plugins.module_utils._values import input_problems, plain_types, problems_message
from ansible_collections.drweb.esuite.plugins.plugin_utils._clients import kept_client

display = Display()

EXECUTION_VARIABLE = 'DRWEB_EXECUTION'
EXECUTION_MODES = ('auto', 'module', 'controller')


class ModuleDone(BaseException):
    """``exit_json``/``fail_json`` of a module run in the controller; carries the result.

    A BaseException, as SystemExit is in a module process: no ``except Exception`` of the
    module code (a thread pool's, say) may take the end of the task for an error.
    """

    def __init__(self, result):
        super(ModuleDone, self).__init__()
        self.result = result


class CannotRunHere(Exception):
    """The task must be shipped as a module; ``reason`` says why (for ``controller`` mode and -vvv)."""

    def __init__(self, reason):
        super(CannotRunHere, self).__init__(reason)
        self.reason = reason


class TaskContext(object):
    """What a module process would learn from its arguments and environment."""

    def __init__(self, name, args, check_mode=False, diff=False, verbosity=0, environ=None, forced=False,
                 invocation=True):
        self.name = name
        self.invocation = invocation
        self.args = args
        self.check_mode = bool(check_mode)
        self.diff = bool(diff)
        self.verbosity = verbosity
        self.environ = os.environ if environ is None else environ
        # DRWEB_EXECUTION=controller: what would ship the module fails the task instead.
        self.forced = forced


def _environment_fallback(environ):
    def fallback(*names, **dummy):
        for name in names:
            if name in environ:
                return environ[name]
        raise AnsibleFallbackNotFound
    return fallback


def bind_fallbacks(spec, environ):
    """``spec`` with every ``env_fallback`` reading ``environ`` instead of this process's os.environ."""
    fallback = _environment_fallback(environ)
    bound = {}
    for name, option in spec.items():
        option = dict(option)
        rule = option.get('fallback')
        if rule and rule[0] is env_fallback:
            option['fallback'] = (fallback,) + tuple(rule[1:])
        if option.get('options'):
            option['options'] = bind_fallbacks(option['options'], environ)
        bound[name] = option
    return bound


class ControllerModule(DrWebCore):
    """DrWebModule's counterpart in the controller's worker process (see the module docstring).

    Takes the keywords of ``DrWebModule``/``AnsibleModule`` after the :class:`TaskContext`.
    """

    def __init__(self, task, argument_spec=None, mutually_exclusive=None, required_together=None,
                 required_one_of=None, required_if=None, required_by=None, supports_check_mode=False, **dummy):
        self._name = task.name
        self.check_mode = task.check_mode
        self._diff = task.diff
        self._verbosity = task.verbosity
        self.environ = task.environ
        self.forced = task.forced
        self._invocation = task.invocation
        self.no_log_values = set()
        self.aliases = {}
        self._warnings = []
        self._deprecations = []
        self.argument_spec = bind_fallbacks(module_spec(argument_spec), task.environ)
        self.params = dict(task.args)
        # As DrWebModule: the task's raw values first, so that bad text is refused in the same sentence.
        problems = input_problems(self.argument_spec, task.args)

        validator = ArgumentSpecValidator(plain_types(self.argument_spec) if problems else self.argument_spec,
                                          mutually_exclusive, required_together,
                                          required_one_of, required_if, required_by)
        validation = validator.validate(self.params)
        self.params.update(validation.validated_parameters)
        self.no_log_values.update(validation._no_log_values)  # pylint: disable=protected-access
        self.aliases.update(validation._aliases)  # pylint: disable=protected-access
        # What ModuleArgumentSpecValidator adds to AnsibleModule's validation.
        for deprecation in validation._deprecations:  # pylint: disable=protected-access
            self.deprecate(deprecation['msg'], version=deprecation.get('version'), date=deprecation.get('date'),
                           collection_name=deprecation.get('collection_name'))
        for warning in validation._warnings:  # pylint: disable=protected-access
            self.warn('Both option {option} and its alias {alias} are set.'.format(**warning))
        # Fail for validation errors, even in check mode (AnsibleModule's words).
        try:
            error = validation.errors[0]
        except IndexError:
            error = None
        if error is not None:
            msg = validation.errors.msg
            if isinstance(error, UnsupportedError):
                msg = "Unsupported parameters for ({name}) {kind}: {msg}".format(name=self._name, kind='module', msg=msg)
            self.fail_json(msg=msg)
        if self.check_mode and not supports_check_mode:
            self.exit_json(skipped=True, msg="remote module (%s) does not support check mode" % self._name)
        if problems:
            self.fail_json(msg=problems_message(problems), problems=problems)
        self._start()

    def _missing_library(self, name, reason, error):
        if not self.forced:
            raise CannotRunHere("the controller's Python lacks %s" % name)
        super(ControllerModule, self)._missing_library(name, reason, error)

    def new_client(self, settings):
        return kept_client(settings)

    def warn(self, warning):
        self._warnings.append(warning)

    def deprecate(self, msg, version=None, date=None, collection_name=None):
        self._deprecations.append(dict(msg=msg, version=version, date=date, collection_name=collection_name))

    def fail_json(self, msg, exception=None, **kwargs):  # pylint: disable=unused-argument
        # ``exception`` (a traceback) is the module process's; none reaches the user from here.
        kwargs.update(failed=True, msg=str(msg))
        self._done(kwargs)

    def exit_json(self, **kwargs):
        self._done(kwargs)

    def _done(self, kwargs):
        """What AnsibleModule's ``_return_formatted`` prints, as the controller reads it back."""
        if self._invocation:
            kwargs.setdefault('invocation', {'module_args': self.params})
        else:
            kwargs.pop('invocation', None)
        if self._warnings:
            kwargs['warnings'] = list(self._warnings)
        if self._deprecations:
            kwargs['deprecations'] = list(self._deprecations)
        preserved = dict((k, v) for k, v in kwargs.items() if v is None or isinstance(v, bool))
        kwargs = mask_no_log(kwargs, self.no_log_values)
        kwargs.update(preserved)
        raise ModuleDone(kwargs)


NO_LOG_PLACEHOLDER = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


def mask_no_log(value, no_log_values):
    """``remove_values(value, no_log_values)``, walking plain data at a fraction of its cost.

    A module's result is plain dicts, lists, text, numbers, booleans and None; for them this
    gives what core's ``remove_values`` gives (the same placeholder, the same ``********``,
    keys untouched), without its deque and its abstract-class checks on every value, which took
    0.7 s on a 10,000-station result. Any other type, and a text of another class (tagged data),
    is handed to ``remove_values`` itself.
    """
    # Longest first, so that a secret that contains another is masked whole: remove_values does so since
    # ansible-core 2.19; before, it took them in the set's order and could leave a longer one's tail.
    secrets = sorted(set(to_native(secret, errors='surrogate_or_strict') for secret in no_log_values), key=len, reverse=True)
    try:
        return _masked(value, secrets, frozenset(secrets))
    except RecursionError:
        return remove_values(value, secrets)


def _masked(value, secrets, lookup):
    kind = type(value)
    if kind is str:
        if value in lookup:
            return NO_LOG_PLACEHOLDER
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, '*' * 8)
        return value
    if kind is dict:
        return dict((key, _masked(item, secrets, lookup)) for key, item in value.items())
    if kind is list:
        return [_masked(item, secrets, lookup) for item in value]
    if value is None or kind is bool:
        return value
    if kind is int or kind is float:
        text = str(value)
        if text in lookup or any(secret in text for secret in secrets):
            return NO_LOG_PLACEHOLDER
        return value
    return remove_values(value, secrets)


def read_as_module_answer(outcome):
    """``outcome`` as ``_execute_module`` turns a module's answer into the action's result.

    So that the task result, and the line core prints for a failure ("Module failed: ..."),
    are the module path's. The readers are core internals; where they are missing or have
    changed, the plain result is returned (only that line then says "Action failed").
    """
    try:
        if UnifiedTaskResult is not None:
            return UnifiedTaskResult.from_module_result_dict(outcome).as_result_dict(for_round_trip=True)
        if AnsibleModuleCapturedError is not None:
            AnsibleModuleCapturedError.normalize_result_exception(outcome)
    except Exception:  # pylint: disable=broad-except
        pass
    if UnifiedTaskResult is None:
        outcome['_ansible_parsed'] = True
    return outcome


def plain_data(value):
    """``value`` as plain dicts, lists and native scalars, each templated value rendered once.

    The module path gets its arguments as JSON, i.e. plain data. The task's own arguments are
    lazily templated containers that render (and tag) an element on every access; validation,
    the module and the registered result would each pay that again for every entry of a
    10,000-station list.
    """
    if isinstance(value, Mapping):
        return dict((plain_data(k), plain_data(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [plain_data(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        # Not str(value) nor value.encode(): before ansible-core 2.19 the text is AnsibleUnsafeText,
        # whose str() is itself and whose encode() and decode() stay unsafe.
        if type(value) is str:  # pylint: disable=unidiomatic-typecheck
            return value
        return bytes.decode(str.encode(value, 'utf-8', 'surrogatepass'), 'utf-8', 'surrogatepass')
    for native in (int, float, bytes):
        if isinstance(value, native):
            return native(value)
    return value


def inject_invocation(task_vars):
    """Whether a module's result carries ``invocation`` (always before ansible-core 2.21, then INJECT_INVOCATION)."""
    if 'INJECT_INVOCATION' not in C.config.get_configuration_definitions():
        return True
    return bool(C.config.get_config_value('INJECT_INVOCATION', variables=task_vars))


def execution_mode(environ):
    """``DRWEB_EXECUTION`` of ``environ`` (``auto`` when unset); a bad value raises ValueError."""
    value = str(environ.get(EXECUTION_VARIABLE) or 'auto').strip().lower()
    if value not in EXECUTION_MODES:
        raise ValueError("%s must be one of %s, got '%s'."
                         % (EXECUTION_VARIABLE, ", ".join(EXECUTION_MODES), environ.get(EXECUTION_VARIABLE)))
    return value


class DrWebAction(ActionBase):
    """The action of every drweb.esuite module; a subclass sets ``module_main`` to the module's ``main``."""

    _supports_check_mode = True
    _supports_async = True

    module_main = None

    def run(self, tmp=None, task_vars=None):
        result = super(DrWebAction, self).run(tmp, task_vars)
        del tmp  # tmp no longer has any effect

        task_environment = {}
        self._compute_environment_string(task_environment)
        # A module process sees the controller's environment plus the task's (and play's) environment:.
        environ = dict(os.environ)
        environ.update((name, str(value)) for name, value in task_environment.items())
        try:
            mode = execution_mode(environ)
        except ValueError as exc:
            return dict(result, failed=True, changed=False, msg=str(exc))

        reason = 'DRWEB_EXECUTION=module' if mode == 'module' else self._why_not_here()
        if reason is None:
            try:
                return merge_hash(result, self._run_here(environ, task_vars, forced=mode == 'controller'))
            except CannotRunHere as exc:
                reason = exc.reason
        if mode == 'controller':
            return dict(result, failed=True, changed=False,
                        msg="%s cannot run in the controller process although %s=controller: %s."
                            % (self._task.action, EXECUTION_VARIABLE, reason))
        display.vvv("%s ships as a module: %s" % (self._task.action, reason))
        return merge_hash(result, self._ship(task_vars))

    def _why_not_here(self):
        """None when the task may run here, else why it is shipped."""
        if getattr(self._connection, 'transport', None) != 'local':
            return "the task runs over the %s connection, not on the controller" % getattr(self._connection, 'transport', '?')
        if self._task.async_val:
            return "async tasks run as a module process"
        if self._play_context.become:
            # The module would run as another user, with that user's files and environment.
            return "become runs the module as another user"
        if not HAS_REQUESTS:
            return "the controller's Python lacks requests"
        return None

    def _run_here(self, environ, task_vars, forced=False):
        task = TaskContext(self._task.action, plain_data(self._task.args), check_mode=self._task.check_mode,
                           diff=self._task.diff, verbosity=display.verbosity, environ=environ, forced=forced,
                           invocation=inject_invocation(task_vars or {}))
        built = []

        def module_class(**kwargs):
            built.append(ControllerModule(task, **kwargs))
            return built[-1]

        display.vvv("%s runs in the controller process" % self._task.action)
        # What the worker holds already (the inventory, the variables, the templated arguments) lives
        # until the task ends: the collector need not walk it again on every collection the module's
        # allocations trigger. A module process starts with a small heap; this gives the module the same.
        gc.freeze()
        try:
            self.module_main(module_class=module_class)
        except ModuleDone as done:
            outcome = done.result
        except CannotRunHere:
            raise
        except Exception as exc:  # pylint: disable=broad-except
            # A bug, not a server's answer: one sentence, without whatever secret the text may quote.
            secrets = built[0].no_log_values if built else ()
            outcome = dict(failed=True, changed=False, msg=remove_values(
                "%s failed in the controller process: %s: %s" % (self._task.action, type(exc).__name__, exc), secrets))
        else:
            outcome = dict(failed=True, changed=False, msg="%s ended without a result." % self._task.action)
        finally:
            gc.unfreeze()
        return read_as_module_answer(outcome)

    def _ship(self, task_vars):
        """What core's ``normal`` action does: the module, run where the connection leads."""
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result = self._execute_module(task_vars=task_vars, wrap_async=wrap_async)
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
