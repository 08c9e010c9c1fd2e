# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark commands README.md and docs/ quote with their figures are ones the scripts accept.

Each takes minutes to hours (10,000 and 100,000 stations), so the docs gate does not run them;
it parses each quoted command line with the script's own argument parser, so that a renamed or
removed option cannot leave a figure without the command that reproduces it.
"""

import glob
import importlib.util
import os
import re
import shlex

import pytest

from docblocks import ROOT

QUOTED = re.compile(r"`(?:\.venv/bin/python )?benchmarks/(\w+)\.py((?: [^`]*)?)`")


def quoted_commands():
    found = []
    for path in ["README.md"] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md"))):
        with open(os.path.join(ROOT, path)) as handle:
            text = handle.read()
        found += [(os.path.relpath(os.path.join(ROOT, path), ROOT), script, args) for script, args in QUOTED.findall(text)]
    return found


def script(name):
    spec = importlib.util.spec_from_file_location("bench_" + name, os.path.join(ROOT, "benchmarks", name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_docs_quote_the_benchmarks_they_take_figures_from():
    assert {name for dummy, name, dummy2 in quoted_commands()} >= {"converge", "bulk_scale"}


@pytest.mark.parametrize("doc,name,args", quoted_commands(), ids=lambda value: str(value).strip() or "-")
def test_every_quoted_benchmark_command_is_one_the_script_accepts(doc, name, args):
    try:
        script(name).arguments(shlex.split(args))
    except SystemExit as exc:
        pytest.fail("%s quotes benchmarks/%s.py%s, which the script refuses (exit %s)" % (doc, name, args, exc.code))
