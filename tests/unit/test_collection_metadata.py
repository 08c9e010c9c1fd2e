# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's metadata stays in step with its plugins."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import importlib.util
import os
import re

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
MODULES = os.path.join(ROOT, "plugins", "modules")


def module_names():
    return sorted(name[:-3] for name in os.listdir(MODULES) if name.endswith(".py") and name != "__init__.py")


def load_yaml(*parts):
    with open(os.path.join(ROOT, *parts)) as handle:
        return yaml.safe_load(handle)


def module_documentation(name):
    tree = ast.parse(open(os.path.join(MODULES, name + ".py")).read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DOCUMENTATION" for t in node.targets):
            return yaml.safe_load(node.value.value)
    raise AssertionError("%s has no DOCUMENTATION" % name)


def test_every_module_is_in_the_drweb_action_group_and_nothing_else_is():
    group = load_yaml("meta", "runtime.yml")["action_groups"]["drweb"]
    assert sorted(group) == module_names()


def test_every_module_takes_the_shared_connection_options():
    for name in module_names():
        fragments = module_documentation(name).get("extends_documentation_fragment", [])
        assert "drweb.esuite.connection" in fragments, name


def test_galaxy_metadata():
    galaxy = load_yaml("galaxy.yml")
    assert (galaxy["namespace"], galaxy["name"]) == ("drweb", "esuite")
    assert galaxy["license"] == ["GPL-3.0-or-later"]
    assert "security" in galaxy["tags"]
    for path in ("emulator", "benchmarks", "hack", ".ci"):
        assert path in galaxy["build_ignore"], path


def test_requirements_are_declared_for_users_and_the_execution_environment():
    wanted = {"requests", "lxml"}
    declared = {line.split(">")[0].split("=")[0].strip() for line in open(os.path.join(ROOT, "requirements.txt"))
                if line.strip() and not line.startswith("#")}
    assert wanted <= declared
    ee = load_yaml("meta", "execution-environment.yml")
    assert ee["version"] == 3
    assert ee["dependencies"]["python"] == "requirements.txt"


def test_the_include_choices_are_the_parsers_blocks():
    from ansible_collections.drweb.esuite.plugins.doc_fragments.station_include import ModuleDocFragment
    from ansible_collections.drweb.esuite.plugins.module_utils._parser import STATION_INCLUDE_FLAGS

    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]["include"]["choices"]
    assert documented == ["all"] + list(STATION_INCLUDE_FLAGS)


def test_every_module_is_its_docs_an_argument_spec_and_one_call():
    for name in module_names():
        tree = ast.parse(open(os.path.join(MODULES, name + ".py")).read())
        code = [node for node in tree.body
                if not (isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) in ("DOCUMENTATION", "EXAMPLES", "RETURN"))]
        assert sum(node.end_lineno - node.lineno + 1 for node in code) <= 60, name
        # Imports come only from the collection's module_utils; the rest lives there.
        for node in code:
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                assert node.module.startswith("ansible_collections.drweb.esuite.plugins.module_utils."), (name, node.module)
            assert not isinstance(node, ast.Import), name
        main = [node for node in code if isinstance(node, ast.FunctionDef)]
        assert [f.name for f in main] == ["main"], name
        assert len(main[0].body) == 1 and isinstance(main[0].body[0], ast.Expr), name


def test_make_help_names_every_gate_of_run_checks():
    spec = importlib.util.spec_from_file_location("run_checks", os.path.join(ROOT, "hack", "run_checks.py"))
    run_checks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_checks)
    makefile = open(os.path.join(ROOT, "Makefile")).read()
    help_text = makefile[makefile.index("help:"):makefile.index("$(STAMP):")]
    for name, _check in run_checks.CHECKS:
        assert re.search(r"\b%s\b" % name, help_text), name
    # make reliability runs the gate like the other one-gate targets.
    one_gate = re.search(r"^(units .*): \$\(STAMP\)$", makefile, re.M).group(1).split()
    assert "reliability" in one_gate and set(one_gate) <= set(name for name, _check in run_checks.CHECKS)
