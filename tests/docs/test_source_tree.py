# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""README's two commands from an unpacked source archive: a tree without .git (a tarball or GitHub's ZIP).

The tree holds the checkout's files, as `git archive` would. Its .venv is this venv (a symlink,
and `make -o .venv/.installed` keeps make from rebuilding it): creating a venv from PyPI needs
no git, and would cost a minute and a half per test.
"""

import os

import pytest

from docblocks import BIN, shell, source_tree, user_env


@pytest.fixture
def archive_tree(tmp_path):
    tree = source_tree(tmp_path / "drweb.esuite-main")
    assert not os.path.exists(os.path.join(tree, ".git"))
    os.symlink(os.path.dirname(BIN), os.path.join(tree, ".venv"))
    return tree


def make(tree, target, tmp_path):
    # A copy of its own for this tree, outside it (the default is derived from the tree's path anyway).
    env = user_env(tmp_path / "home", DRWEB_COLLECTIONS_DIR=str(tmp_path / "collections"))
    return shell("make -o .venv/.installed %s" % target, tree, env)


def test_make_demo_runs_from_a_tree_without_git(archive_tree, tmp_path):
    proc = make(archive_tree, "demo", tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "Traceback" not in proc.stdout
    assert "second pass: groups 0 created, 3 unchanged; stations 0 created, 0 updated" in proc.stdout
    assert "Demo finished" in proc.stdout


def test_a_gate_of_make_test_runs_from_a_tree_without_git(archive_tree, tmp_path):
    proc = make(archive_tree, "changelog", tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert proc.stdout.rstrip().endswith("2 passed, 0 failed")
    # The copy holds the collection and leaves out what .gitignore names.
    copy = tmp_path / "collections" / "ansible_collections" / "drweb" / "esuite"
    assert (copy / "galaxy.yml").exists() and (copy / "plugins" / "modules" / "drweb_station.py").exists()
    assert not (copy / ".venv").exists() and not (copy / "build").exists()


def test_a_tree_without_git_or_gitignore_stops_with_one_sentence(archive_tree, tmp_path):
    os.remove(os.path.join(archive_tree, ".gitignore"))
    proc = make(archive_tree, "changelog", tmp_path)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stdout
    assert ("has neither .git nor .gitignore, so its source files cannot be told apart from build output; "
            "unpack the source archive again.") in proc.stdout
