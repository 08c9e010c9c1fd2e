# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""run_checks.unignored_files() lists what git would, in a tree without .git."""

import os
import shutil
import subprocess

import pytest

import run_checks

PATHS = [
    "galaxy.yml", "plugins/modules/drweb_station.py", "docs/install.md", "tests/integration/targets/x/aliases",
    ".ansible-lint", "changelogs/fragments/x.yml",
    # What the project's .gitignore excludes, at the depths where it appears.
    "build/logs/units.log", ".venv/bin/python", "tests/output/junit/x.xml", "tests/integration/inventory",
    "tests/integration/cloud-config-drweb.ini", "plugins/__pycache__/x.pyc", "emulator/drweb_emulator.egg-info/PKG-INFO",
    "benchmarks/results/converge.json", "drweb-esuite-1.0.0.tar.gz", "dist/drweb-esuite-1.0.0.tar.gz",
    ".pytest_cache/v/x", "collections/ansible_collections/x", "emulator/collections/x", ".handoff/notes",
    # Near misses that must stay.
    "docs/build.md", "tests/outputs.md", "benchmarks/results.md",
]


def test_without_git_the_same_files_as_git_ls_files(tmp_path):
    shutil.copy(os.path.join(run_checks.ROOT, ".gitignore"), str(tmp_path / ".gitignore"))
    for path in PATHS:
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x")
    subprocess.run(["git", "init", "-q"], cwd=str(tmp_path), check=True)
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=str(tmp_path), check=True,
                            stdout=subprocess.PIPE, universal_newlines=True).stdout.split()
    shutil.rmtree(str(tmp_path / ".git"))
    assert sorted(run_checks.unignored_files(str(tmp_path))) == sorted(listed)
    assert "docs/build.md" in listed and "build/logs/units.log" not in listed


def test_a_negated_pattern_stops_with_one_sentence(tmp_path):
    (tmp_path / ".gitignore").write_text("build/\n!build/keep\n")
    with pytest.raises(SystemExit) as stop:
        run_checks.unignored_files(str(tmp_path))
    assert str(stop.value) == ".gitignore line '!build/keep' negates a pattern, which hack/run_checks.py cannot apply without git."
