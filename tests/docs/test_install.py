# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/install.md, run as written: each install into an empty HOME, then ansible-doc of every plugin from there.

The one change made to the documented text: the GitHub URL becomes a ``file://`` URL of a
bare clone of this tree, because the test machines reach no git host. Everything else,
``~/.ansible/collections`` included, is used as it stands (HOME is a fresh directory).
"""

import os
import re
import subprocess
import sys

import pytest

from docblocks import ROOT, blocks, check_installed, galaxy, shell, source_tree, tarballs, user_env

DOC = "docs/install.md"
BLOCKS = blocks(DOC)
GIT_URL = galaxy()["repository"] + ".git"


def block(kind, name):
    assert (kind, name) in BLOCKS, "%s has no <!-- %s: %s --> block" % (DOC, kind, name)
    return BLOCKS[(kind, name)]


@pytest.fixture(scope="module")
def bare_repo(tmp_path_factory):
    """A bare clone holding this tree on branch main: what the GitHub URL serves."""
    top = tmp_path_factory.mktemp("git")
    work = source_tree(top / "work")
    git = ["git", "-c", "user.name=docs test", "-c", "user.email=docs-test@example.invalid"]
    for argv in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(git + argv, cwd=work, check=True)
    subprocess.run(["git", "clone", "-q", "--bare", work, str(top / "drweb.esuite.git")], check=True)
    return "file://%s" % (top / "drweb.esuite.git")


@pytest.fixture(scope="module")
def built_tarball(tmp_path_factory):
    """The tarball section, run in an unpacked source tree: (tree, HOME, output)."""
    tree = source_tree(tmp_path_factory.mktemp("tarball") / "drweb.esuite")
    home = tmp_path_factory.mktemp("home")
    proc = shell(block("test", "tarball"), tree, user_env(home))
    assert proc.returncode == 0, proc.stdout[-3000:]
    return tree, home, proc.stdout


def test_the_git_url_is_the_repository_of_galaxy_yml():
    assert GIT_URL in block("test", "git")
    assert "name: %s" % GIT_URL in block("file", "requirements.yml")
    assert "name: %s" % GIT_URL in block("file", "execution-environment-git.yml")


def test_the_tarball_names_are_this_version():
    named = set(re.findall(r"drweb-esuite-([^\s/]+)\.tar\.gz", open(os.path.join(ROOT, DOC)).read()))
    assert named == {galaxy()["version"]}


def test_install_from_a_local_checkout(tmp_path):
    tree = source_tree(tmp_path / "drweb.esuite")
    proc = shell(block("test", "checkout"), tree, user_env(tmp_path / "home"))
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "drweb.esuite.drweb_station " in proc.stdout  # ansible-doc -l lists the modules
    check_installed(tmp_path / "home" / ".ansible" / "collections", user_env(tmp_path / "home"))


def test_install_from_the_built_tarball(built_tarball):
    tree, home, _output = built_tarball
    assert [os.path.basename(p) for p in tarballs(os.path.join(tree, "build"))] == [
        "drweb-esuite-%s.tar.gz" % galaxy()["version"]]
    check_installed(home / ".ansible" / "collections", user_env(home))


def test_install_from_the_git_url(tmp_path, bare_repo):
    proc = shell(block("test", "git").replace(GIT_URL, bare_repo), tmp_path, user_env(tmp_path / "home"))
    assert proc.returncode == 0, proc.stdout[-3000:]
    check_installed(tmp_path / "home" / ".ansible" / "collections", user_env(tmp_path / "home"))


def test_install_from_requirements_yml(tmp_path, bare_repo):
    (tmp_path / "requirements.yml").write_text(block("file", "requirements.yml").replace(GIT_URL, bare_repo))
    proc = shell(block("test", "git-requirements"), tmp_path, user_env(tmp_path / "home"))
    assert proc.returncode == 0, proc.stdout[-3000:]
    check_installed(tmp_path / "home" / ".ansible" / "collections", user_env(tmp_path / "home"))


def _containerfile(context):
    # ansible-builder names it for the container runtime it finds: Containerfile (podman) or Dockerfile.
    names = [n for n in ("Containerfile", "Dockerfile") if os.path.exists(os.path.join(context, n))]
    assert len(names) == 1, os.listdir(context)
    return open(os.path.join(context, names[0])).read()


def _galaxy_step(context):
    """The Containerfile's collection install line, pointed at a directory of ours instead of /usr/share/ansible."""
    lines = [line for line in _containerfile(context).splitlines()
             if line.startswith("RUN ") and "ansible-galaxy collection install" in line]
    assert len(lines) == 1, lines
    assert '--collections-path "/usr/share/ansible/collections"' in lines[0]
    return lines[0][len("RUN "):].replace('"/usr/share/ansible/collections"', '"$DRWEB_TEST_COLLECTIONS"')


@pytest.mark.parametrize("definition, context", [("execution-environment.yml", "context-tarball"),
                                                 ("execution-environment-git.yml", "context-git")])
def test_execution_environment_contexts_install_the_collection(tmp_path, built_tarball, bare_repo, definition, context):
    """ansible-builder create as documented, then the image's collection install step, run here without a container.

    In the image, that step runs in /build, which holds the context's _build/ (COPY _build /build, WORKDIR /build).
    """
    tree, _home, _output = built_tarball
    for name in ("execution-environment.yml", "execution-environment-git.yml"):
        (tmp_path / name).write_text(block("file", name).replace(GIT_URL, bare_repo))
    tarball = tarballs(os.path.join(tree, "build"))[0]
    os.link(tarball, str(tmp_path / os.path.basename(tarball)))
    proc = shell(block("test", "ee"), tmp_path, user_env(tmp_path / "home"))
    assert proc.returncode == 0, proc.stdout[-3000:]
    containerfile = _containerfile(str(tmp_path / context))
    assert "COPY _build /build\nWORKDIR /build\n" in containerfile
    assert 'ARG ANSIBLE_GALAXY_CLI_COLLECTION_OPTS=""' in containerfile
    target = tmp_path / "image-collections"
    step = shell(_galaxy_step(str(tmp_path / context)), tmp_path / context / "_build",
                 # The ARG's default in the Containerfile is empty.
                 user_env(tmp_path / "home", DRWEB_TEST_COLLECTIONS=str(target), ANSIBLE_GALAXY_CLI_COLLECTION_OPTS=""))
    assert step.returncode == 0, step.stdout[-3000:]
    check_installed(target, user_env(tmp_path / "home"))


def _venv(path):
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    return str(path / "bin")


@pytest.mark.parametrize("name", ["python-deps", "python-deps-offline"])
def test_python_libraries_install(tmp_path, name):
    """In a fresh venv whose python3 comes first on PATH, in a checkout (requirements.txt is at its root)."""
    venv_bin = _venv(tmp_path / "venv")
    tree = source_tree(tmp_path / "drweb.esuite")
    env = user_env(tmp_path / "home")
    env["PATH"] = venv_bin + os.pathsep + env["PATH"]
    proc = shell(block("test", name), tree, env)
    assert proc.returncode == 0, proc.stdout[-3000:]
    if name == "python-deps-offline":
        assert any(n.startswith("lxml-") for n in os.listdir(os.path.join(tree, "wheels")))
    check = subprocess.run([os.path.join(venv_bin, "python"), "-c", "import lxml.etree, requests"], check=False)
    assert check.returncode == 0
