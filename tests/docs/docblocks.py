# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the commands of README.md and docs/ exactly as written.

A fenced block right after ``<!-- test: NAME -->`` is a shell script a test runs as it
stands; one after ``<!-- file: NAME -->`` is a file the reader saves under that name.
"""

import glob
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
BIN = os.path.dirname(os.path.abspath(sys.executable))
sys.path.insert(0, os.path.join(ROOT, "hack"))

import run_checks  # noqa: E402  pylint: disable=wrong-import-position

_BLOCK = re.compile(r"^<!-- (test|file): (\S+) -->\n```[a-z]*\n(.*?)^```", re.M | re.S)


def blocks(relpath):
    """{("test"|"file", name): text} of a Markdown file under the repository root."""
    with open(os.path.join(ROOT, relpath)) as handle:
        found = {}
        for kind, name, text in _BLOCK.findall(handle.read()):
            assert (kind, name) not in found, "%s has two %s blocks named %s" % (relpath, kind, name)
            found[(kind, name)] = text
    return found


def galaxy():
    import yaml  # pylint: disable=import-outside-toplevel
    with open(os.path.join(ROOT, "galaxy.yml")) as handle:
        return yaml.safe_load(handle)


def source_tree(dest):
    """What an unpacked source archive holds: the checkout's files, without .git."""
    for path in run_checks.tracked_files():
        if path.startswith("build/"):
            continue
        target = os.path.join(str(dest), path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, path), target)
    return str(dest)


def user_env(home, **extra):
    """A user's shell: this venv's tools on PATH, a HOME of its own, no ANSIBLE_* or DRWEB_* settings."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("ANSIBLE_", "DRWEB_", "VIRTUAL_ENV", "PYTHON", "MAKE", "MFLAGS"))}
    # Keep pip's cache: a fresh HOME would download every wheel again.
    env.setdefault("PIP_CACHE_DIR", os.path.expanduser("~/.cache/pip"))
    env.update(HOME=str(home), PATH=BIN + os.pathsep + os.environ.get("PATH", ""), ANSIBLE_NOCOLOR="1")
    env.update(extra)
    return env


def shell(script, cwd, env):
    """Run a documented block with bash -eu -o pipefail; returns the CompletedProcess (output merged)."""
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=str(cwd), env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, check=False)


def plugins():
    return run_checks.plugins()


def check_installed(collections, env):
    """The collection under ``collections`` is this version, without build_ignore content, and every plugin documents."""
    import json  # pylint: disable=import-outside-toplevel
    installed = os.path.join(str(collections), "ansible_collections", "drweb", "esuite")
    with open(os.path.join(installed, "MANIFEST.json")) as handle:
        assert json.load(handle)["collection_info"]["version"] == galaxy()["version"]
    for left_behind in ("emulator", "hack", "benchmarks", "Makefile", ".ci"):
        assert not os.path.exists(os.path.join(installed, left_behind)), left_behind
    env = dict(env, ANSIBLE_COLLECTIONS_PATH=str(collections))
    for kind in sorted({kind for kind, _name in plugins()}):
        names = [name for k, name in plugins() if k == kind]
        proc = subprocess.run([os.path.join(BIN, "ansible-doc"), "-t", kind] + names, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True, check=False)
        assert proc.returncode == 0, proc.stdout[-2000:]
        for name in names:
            assert name in proc.stdout, name
        if kind == "module":
            assert proc.stdout.count("EXAMPLES:") == len(names), proc.stdout[-2000:]
            assert proc.stdout.count("RETURN VALUES:") == len(names), proc.stdout[-2000:]
    return installed


def tarballs(folder):
    return sorted(glob.glob(os.path.join(str(folder), "drweb-esuite-*.tar.gz")))
