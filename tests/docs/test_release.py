# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make release VERSION=X.Y.Z`, as README's contributor section says, in a scratch copy of the tree.

The copy's .venv is this venv (see test_source_tree.py); what the release writes is thrown away
with the copy.
"""

import glob
import json
import os
import subprocess
import tarfile

import pytest
import yaml

from docblocks import BIN, ROOT, galaxy, shell, source_tree, user_env

# The next minor release after the tree's: the test must keep working after each real release.
_MAJOR, _MINOR = galaxy()["version"].split(".")[:2]
VERSION = "%s.%d.0" % (_MAJOR, int(_MINOR) + 1)


def scratch(tmp_path, with_git=False):
    tree = source_tree(tmp_path / "drweb.esuite")
    os.symlink(os.path.dirname(BIN), os.path.join(tree, ".venv"))
    if with_git:
        git = ["git", "-c", "user.name=release test", "-c", "user.email=release-test@example.invalid"]
        for argv in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
            subprocess.run(git + argv, cwd=tree, check=True, stdout=subprocess.DEVNULL)
    return tree


def make_release(tree, tmp_path, version=VERSION):
    return shell("make -o .venv/.installed release VERSION=%s" % version, tree, user_env(tmp_path / "home"))


def snapshot(tree):
    return {os.path.relpath(path, tree): open(path, "rb").read()
            for path in glob.glob(os.path.join(tree, "**", "*"), recursive=True)
            if os.path.isfile(path) and "/build/" not in path and not path.endswith(".pyc")}


def test_release_writes_the_version_everywhere_and_the_changelog(tmp_path):
    assert "`make release VERSION=1.0.0`" in open(os.path.join(ROOT, "README.md")).read()
    tree = scratch(tmp_path)
    released = list(yaml.safe_load(open(os.path.join(tree, "changelogs", "changelog.yaml")))["releases"] or {})
    # Right after a real release the tree has no fragments: one of the test's own is the change.
    os.makedirs(os.path.join(tree, "changelogs", "fragments"), exist_ok=True)
    with open(os.path.join(tree, "changelogs", "fragments", "release-test.yml"), "w") as handle:
        handle.write("---\nminor_changes:\n  - release test - a change of this release.\n")
    proc = make_release(tree, tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]

    assert yaml.safe_load(open(os.path.join(tree, "galaxy.yml")))["version"] == VERSION
    assert 'COLLECTION_VERSION = "%s"' % VERSION in open(os.path.join(tree, "plugins", "module_utils", "_client.py")).read()
    assert "drweb-esuite-%s.tar.gz" % VERSION in open(os.path.join(tree, "docs", "install.md")).read()
    changes = yaml.safe_load(open(os.path.join(tree, "changelogs", "changelog.yaml")))
    assert list(changes["releases"]) == released + [VERSION]
    assert glob.glob(os.path.join(tree, "changelogs", "fragments", "*.yml")) == []
    notes = open(os.path.join(tree, "CHANGELOG.rst")).read()
    assert "v%s\n" % VERSION in notes and "release test - a change of this release." in notes
    # Every plugin was new in the first release (1.0.0), so the notes list each of them.
    for path in glob.glob(os.path.join(tree, "plugins", "modules", "*.py")):
        assert "drweb.esuite.%s - " % os.path.basename(path)[:-3] in notes, path
    with tarfile.open(os.path.join(tree, "build", "release", "drweb-esuite-%s.tar.gz" % VERSION)) as tar:
        assert json.load(tar.extractfile("MANIFEST.json"))["collection_info"]["version"] == VERSION
        assert tar.extractfile("CHANGELOG.rst").read().decode() == notes


@pytest.mark.parametrize("version, sentence", [
    ("1.0", "Release 1.0 stopped: 1.0 is not a semantic version (X.Y.Z or X.Y.Z-prerelease)."),
    (galaxy()["version"], "Release {0} stopped: Version {0} is not newer than galaxy.yml's {0}.".format(galaxy()["version"])),
])
def test_a_bad_version_stops_before_any_change(tmp_path, version, sentence):
    tree = scratch(tmp_path)
    before = snapshot(tree)
    proc = make_release(tree, tmp_path, version)
    assert proc.returncode != 0
    assert sentence in proc.stdout and "Traceback" not in proc.stdout
    assert snapshot(tree) == before


def test_a_dirty_git_tree_is_refused(tmp_path):
    tree = scratch(tmp_path, with_git=True)
    with open(os.path.join(tree, "README.md"), "a") as handle:
        handle.write("\nuncommitted\n")
    proc = make_release(tree, tmp_path)
    assert proc.returncode != 0
    assert ("Release %s stopped: The git tree has uncommitted changes; commit them first (or pass --allow-dirty)."
            % VERSION in proc.stdout)


def test_a_failure_half_way_puts_every_file_back(tmp_path):
    tree = scratch(tmp_path)
    client = os.path.join(tree, "plugins", "module_utils", "_client.py")
    with open(client, "a") as handle:
        handle.write('\nCOLLECTION_VERSION = "0.0.1"\n')  # a second version line: the client edit fails after galaxy.yml's
    before = snapshot(tree)
    proc = make_release(tree, tmp_path)
    assert proc.returncode != 0
    assert ("Release %s stopped: plugins/module_utils/_client.py must hold exactly one version line, found 2; "
            "every file is back as it was." % VERSION) in proc.stdout
    assert snapshot(tree) == before
