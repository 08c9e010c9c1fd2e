"""`make release VERSION=X.Y.Z`: cut a release of the collection in the working tree; commit nothing.

1. Refuse a version that is not X.Y.Z (optionally -prerelease) or not newer than galaxy.yml's,
   a dirty git tree, and fragments that antsibull-changelog lint rejects.
2. Write the version into galaxy.yml, into COLLECTION_VERSION of plugins/module_utils/_client.py
   (the User-Agent; tests/unit keeps the two equal) and into the tarball names of docs/install.md.
3. A `version_added` that names a version never released (not in changelogs/changelog.yaml)
   and older than this one becomes this one: nothing can have been added in a release that
   did not happen, and antsibull-changelog lists a plugin as new only under its version_added.
4. `antsibull-changelog release`: CHANGELOG.rst and changelogs/changelog.yaml from the
   fragments (which it removes).
5. `ansible-galaxy collection build` into build/release/ and check the tarball: its version and
   its CHANGELOG.rst.
6. List the other lines that still name the old version, for a look before the release commit.

Usage: release.py X.Y.Z [--date YYYY-MM-DD] [--allow-dirty]
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tarfile

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir))
BIN = os.path.dirname(os.path.abspath(sys.executable))
GALAXY = "galaxy.yml"
CLIENT = os.path.join("plugins", "module_utils", "_client.py")
INSTALL_DOC = os.path.join("docs", "install.md")
SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$")
GALAXY_VERSION = re.compile(r"^version:[ \t]*['\"]?([^'\"\s]+)['\"]?[ \t]*$", re.M)
CLIENT_VERSION = re.compile(r"^COLLECTION_VERSION = \"([^\"]+)\"$", re.M)
VERSION_ADDED = re.compile(r"^(\s*version_added:[ \t]*)['\"]?([0-9][^'\"\s]*)['\"]?[ \t]*$", re.M)


class ReleaseError(Exception):
    """One sentence for the person cutting the release."""


def version_key(version):
    match = SEMVER.match(version)
    if not match:
        raise ReleaseError("%s is not a semantic version (X.Y.Z or X.Y.Z-prerelease)." % version)
    major, minor, patch, pre = match.groups()
    # A prerelease sorts before its release: 1.0.0-rc1 < 1.0.0.
    return int(major), int(minor), int(patch), pre is None, pre or ""


def _replace_one(pattern, text, version, what):
    matches = list(pattern.finditer(text))
    if len(matches) != 1:
        raise ReleaseError("%s must hold exactly one version line, found %d." % (what, len(matches)))
    start, end = matches[0].span(1)
    return text[:start] + version + text[end:]


def read_galaxy_version(text):
    match = GALAXY_VERSION.search(text)
    if not match:
        raise ReleaseError("galaxy.yml has no version line.")
    return match.group(1)


def set_galaxy_version(text, version):
    return _replace_one(GALAXY_VERSION, text, version, GALAXY)


def set_client_version(text, version):
    return _replace_one(CLIENT_VERSION, text, version, CLIENT)


def set_tarball_names(text, version):
    return re.sub(r"drweb-esuite-[0-9][0-9A-Za-z.+-]*?\.tar\.gz", "drweb-esuite-%s.tar.gz" % version, text)


def set_unreleased_version_added(text, version, released):
    """(text, [old versions replaced]) with every unreleased, older version_added set to ``version``."""
    replaced = []

    def swap(match):
        old = match.group(2)
        if old in released or not SEMVER.match(old) or version_key(old) >= version_key(version):
            return match.group(0)
        replaced.append(old)
        return match.group(1) + version

    return VERSION_ADDED.sub(swap, text), replaced


def _read(path):
    with open(os.path.join(ROOT, path)) as handle:
        return handle.read()


def _write(path, text):
    with open(os.path.join(ROOT, path), "w") as handle:
        handle.write(text)


def _run(argv, what):
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    proc = subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, check=False)
    if proc.returncode:
        sys.stdout.write(proc.stdout)
        raise ReleaseError("%s failed (exit code %d, output above)." % (what, proc.returncode))
    return proc.stdout


def released_versions():
    with open(os.path.join(ROOT, "changelogs", "changelog.yaml")) as handle:
        return set(str(v) for v in (yaml.safe_load(handle).get("releases") or {}))


def documented_files():
    """Plugin and role files whose docs may carry version_added."""
    paths = glob.glob(os.path.join(ROOT, "plugins", "*", "*.py"))
    paths += glob.glob(os.path.join(ROOT, "roles", "*", "meta", "argument_specs.yml"))
    return sorted(os.path.relpath(path, ROOT) for path in paths)


def check_clean(allow_dirty):
    if allow_dirty or not os.path.exists(os.path.join(ROOT, ".git")):
        return
    status = _run(["git", "status", "--porcelain"], "git status")
    if status.strip():
        raise ReleaseError("The git tree has uncommitted changes; commit them first (or pass --allow-dirty).")


def check_tarball(version):
    dist = os.path.join(ROOT, "build", "release")
    _run(["ansible-galaxy", "collection", "build", "--force", "--output-path", dist], "ansible-galaxy collection build")
    tarball = os.path.join(dist, "drweb-esuite-%s.tar.gz" % version)
    if not os.path.exists(tarball):
        raise ReleaseError("ansible-galaxy collection build made no %s." % os.path.basename(tarball))
    with tarfile.open(tarball) as tar:
        manifest = json.load(tar.extractfile("MANIFEST.json"))
        names = tar.getnames()
    if manifest["collection_info"]["version"] != version or "CHANGELOG.rst" not in names:
        raise ReleaseError("%s does not carry version %s and CHANGELOG.rst." % (os.path.basename(tarball), version))
    return tarball


def stale_mentions(old):
    """Lines outside the changelog that still name the old version."""
    found = []
    pattern = re.compile(r"(?<![0-9.])%s(?![0-9])" % re.escape(old))
    for folder in ("docs", "extensions", "roles", "playbooks", "meta"):
        for dirpath, _dirnames, filenames in os.walk(os.path.join(ROOT, folder)):
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    lines = open(path).read().splitlines()
                except (UnicodeDecodeError, OSError):
                    continue
                found += ["%s:%d: %s" % (os.path.relpath(path, ROOT), number, line.strip())
                          for number, line in enumerate(lines, 1) if pattern.search(line)]
    return found


def snapshot():
    """{path: text or None} of every file a release writes or removes."""
    paths = [GALAXY, CLIENT, INSTALL_DOC, "CHANGELOG.rst", os.path.join("changelogs", ".plugin-cache.yaml")]
    paths += documented_files()
    paths += [os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "changelogs", "**", "*"), recursive=True)
              if os.path.isfile(p)]
    return {path: _read(path) if os.path.exists(os.path.join(ROOT, path)) else None for path in paths}


def restore(saved):
    for path, text in saved.items():
        if text is None:
            if os.path.exists(os.path.join(ROOT, path)):
                os.remove(os.path.join(ROOT, path))
        else:
            _write(path, text)


def release(version, date=None, allow_dirty=False):
    old = read_galaxy_version(_read(GALAXY))
    if version_key(version) <= version_key(old):
        raise ReleaseError("Version %s is not newer than galaxy.yml's %s." % (version, old))
    check_clean(allow_dirty)
    _run(["antsibull-changelog", "lint"], "antsibull-changelog lint")
    saved = snapshot()
    try:
        _release(version, old, date)
    except (ReleaseError, OSError, ValueError, KeyError, yaml.YAMLError) as exc:
        restore(saved)
        raise ReleaseError("%s; every file is back as it was." % str(exc).rstrip("."))


def _release(version, old, date):
    _write(GALAXY, set_galaxy_version(_read(GALAXY), version))
    _write(CLIENT, set_client_version(_read(CLIENT), version))
    if os.path.exists(os.path.join(ROOT, INSTALL_DOC)):
        _write(INSTALL_DOC, set_tarball_names(_read(INSTALL_DOC), version))
    print("galaxy.yml, %s, %s: %s -> %s" % (CLIENT, INSTALL_DOC, old, version))
    released = released_versions()
    for path in documented_files():
        text, replaced = set_unreleased_version_added(_read(path), version, released)
        if replaced:
            _write(path, text)
            print("%s: version_added %s (never released) -> %s" % (path, ", ".join(sorted(set(replaced))), version))

    command = ["antsibull-changelog", "release", "--version", version]
    if date:
        command += ["--date", date]
    _run(command, "antsibull-changelog release")
    print("CHANGELOG.rst and changelogs/changelog.yaml: release %s written, fragments consumed" % version)
    print("tarball: %s" % os.path.relpath(check_tarball(version), ROOT))
    stale = stale_mentions(old)
    if stale:
        print("These lines still name %s; update what should name %s:" % (old, version))
        print("\n".join("  " + line for line in stale))
    print("Review `git diff`, then commit and tag: git commit -am 'Release %s' && git tag %s" % (version, version))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("version", nargs="?")
    parser.add_argument("--date", help="release date YYYY-MM-DD (default: today)")
    parser.add_argument("--allow-dirty", action="store_true")
    args = parser.parse_args(argv)
    if not args.version:
        print("Name the version: make release VERSION=X.Y.Z")
        return 2
    try:
        release(args.version, args.date, args.allow_dirty)
    except ReleaseError as exc:
        print("Release %s stopped: %s" % (args.version, exc))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
