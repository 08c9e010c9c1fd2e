# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the reliability suite: a private collection copy, Ansible runs, emulators.

The suite drives real ``ansible-playbook`` runs against real emulator subprocesses (TLS,
random administrator password, request log); see ``harness.py``. ``make test`` runs it as
the ``reliability`` check; ``DRWEB_SOAK=1`` selects the long sizes where a test has them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402 pylint: disable=wrong-import-position,import-error

SOAK = os.environ.get("DRWEB_SOAK", "") not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def collections_dir(tmp_path_factory):
    """ANSIBLE_COLLECTIONS_PATH holding a copy of this working tree's collection."""
    return harness.collections_path(str(tmp_path_factory.mktemp("collections")))


@pytest.fixture
def ansible(collections_dir, tmp_path):
    return harness.Ansible(collections_dir, str(tmp_path / "ansible"))


@pytest.fixture(scope="module")
def module_ansible(collections_dir, tmp_path_factory):
    return harness.Ansible(collections_dir, str(tmp_path_factory.mktemp("ansible")))


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    """One emulator (default seed fleet) for every test of a module."""
    with harness.Emulator(workdir=str(tmp_path_factory.mktemp("emulator"))) as emu:
        yield emu
