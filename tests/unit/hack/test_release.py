# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hack/release.py's edits: one version in galaxy.yml and the client, unreleased version_added, semver order."""

import pytest

import release


def test_versions_sort_as_semantic_versions():
    ordered = ["0.1.0", "0.9.10", "1.0.0-rc1", "1.0.0", "1.0.1", "1.10.0", "2.0.0"]
    assert sorted(reversed(ordered), key=release.version_key) == ordered


@pytest.mark.parametrize("bad", ["1.0", "v1.0.0", "1.0.0.0", "01.0.0x", ""])
def test_a_version_that_is_not_semantic_is_refused(bad):
    with pytest.raises(release.ReleaseError) as err:
        release.version_key(bad)
    assert str(err.value) == "%s is not a semantic version (X.Y.Z or X.Y.Z-prerelease)." % bad


def test_galaxy_and_client_versions_change_together_and_nothing_else():
    galaxy = "namespace: drweb\nversion: 0.1.0\nreadme: README.md\n"
    client = '# comment\nCOLLECTION_VERSION = "0.1.0"\nUSER_AGENT = "drweb.esuite/%s" % COLLECTION_VERSION\n'
    assert release.set_galaxy_version(galaxy, "1.0.0") == galaxy.replace("0.1.0", "1.0.0")
    assert release.set_client_version(client, "1.0.0") == client.replace("0.1.0", "1.0.0")
    assert release.read_galaxy_version(release.set_galaxy_version(galaxy, "1.0.0")) == "1.0.0"


def test_a_file_without_exactly_one_version_line_is_refused():
    with pytest.raises(release.ReleaseError) as err:
        release.set_client_version('COLLECTION_VERSION = "0.1.0"\nCOLLECTION_VERSION = "0.2.0"\n', "1.0.0")
    assert str(err.value) == "plugins/module_utils/_client.py must hold exactly one version line, found 2."


def test_only_unreleased_older_version_added_values_move_to_the_release():
    doc = ("version_added: 0.1.0\noptions:\n  a:\n    version_added: '0.2.0'\n  b:\n    version_added: 0.3.0\n"
           "  c:\n    version_added: 1.1.0\n")
    text, replaced = release.set_unreleased_version_added(doc, "1.0.0", released={"0.3.0"})
    assert replaced == ["0.1.0", "0.2.0"]
    assert text == ("version_added: 1.0.0\noptions:\n  a:\n    version_added: 1.0.0\n  b:\n    version_added: 0.3.0\n"
                    "  c:\n    version_added: 1.1.0\n")


def test_tarball_names_follow_the_version():
    text = "install build/drweb-esuite-0.1.0.tar.gz\n- src: drweb-esuite-0.1.0.tar.gz\n"
    assert release.set_tarball_names(text, "1.0.0") == text.replace("0.1.0", "1.0.0")
