# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make ``ansible_collections.drweb.esuite`` importable when pytest runs from a checkout.

ansible-test runs the units from a copy under ``ansible_collections/drweb/esuite`` and
needs nothing here; a plain ``pytest tests/unit`` from the repository root gets a
throw-away ``ansible_collections/drweb/esuite`` symlink so that the tests import the
collection exactly as Ansible does.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import atexit
import os
import shutil
import sys
import tempfile

_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))


def _importable():
    try:
        import ansible_collections.drweb.esuite.plugins.module_utils._errors  # noqa: F401 pylint: disable=unused-import
    except ImportError:
        return False
    return True


if not _importable():
    _TOP = tempfile.mkdtemp(prefix="drweb-esuite-units-")
    atexit.register(shutil.rmtree, _TOP, True)
    os.makedirs(os.path.join(_TOP, "ansible_collections", "drweb"))
    os.symlink(_ROOT, os.path.join(_TOP, "ansible_collections", "drweb", "esuite"))
    sys.path.insert(0, _TOP)
    for name in [m for m in sys.modules if m == "ansible_collections" or m.startswith("ansible_collections.")]:
        del sys.modules[name]
    # ansible's collection loader must know the new path too, or it hides the package.
    try:
        from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
        _AnsibleCollectionFinder(paths=[_TOP])._install()
    except Exception:  # pylint: disable=broad-except
        pass
