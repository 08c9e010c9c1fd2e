"""Run every gate of `make test` and end with one `N passed, N failed` line.

Each check counts what it really ran: pytest cases, ansible-test sanity tests,
integration targets, one ansible-doc per plugin, and one for each single-shot tool.
A check's full output goes to build/logs/<check>.log; the tail is printed on failure.

Usage: run_checks.py [check ...]   (default: all, in order)
"""
import fnmatch
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import xml.etree.ElementTree as ET

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir))
# DRWEB_BUILD_DIR and DRWEB_COLLECTIONS_DIR let hack/matrix.py run one combination of
# ansible-core and Python next to another without sharing logs, junit files or the copy.
BUILD = os.environ.get("DRWEB_BUILD_DIR") or os.path.join(ROOT, "build")
# The copy must live outside this git work tree: inside it, ansible-test sees only
# git-tracked files and build/ is ignored, so every sanity target would be skipped.
COLLECTIONS = os.environ.get("DRWEB_COLLECTIONS_DIR") or os.path.join(
    tempfile.gettempdir(), "drweb-esuite-" + hashlib.sha1(ROOT.encode()).hexdigest()[:10], "collections")
COPY = os.path.join(COLLECTIONS, "ansible_collections", "drweb", "esuite")
LOGS = os.path.join(BUILD, "logs")
BIN = os.path.dirname(os.path.abspath(sys.executable))
PYTHON_VERSION = "%d.%d" % sys.version_info[:2]


def env(**extra):
    result = dict(os.environ)
    result["PATH"] = BIN + os.pathsep + result.get("PATH", "")
    result["ANSIBLE_COLLECTIONS_PATH"] = COLLECTIONS
    # pyenv shims of absent interpreters exit 127; pin every ansible run to this venv.
    result["ANSIBLE_PYTHON_INTERPRETER"] = sys.executable
    result["ANSIBLE_NOCOLOR"] = "1"
    result.update(extra)
    return result


def run(name, argv, cwd=ROOT, **extra_env):
    """Run a command, log its output, return its exit code."""
    return capture(name, argv, cwd, **extra_env)[0]


def capture(name, argv, cwd=ROOT, **extra_env):
    """Run a command, log its output, return (returncode, output)."""
    log_path = os.path.join(LOGS, name + ".log")
    with open(log_path, "a") as log:
        log.write("$ %s  (cwd %s)\n" % (" ".join(argv), cwd))
        log.flush()
        proc = subprocess.run(argv, cwd=cwd, env=env(**extra_env), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True, check=False)
        log.write(proc.stdout)
    return proc.returncode, proc.stdout


def tracked_files():
    """The source tree's files: git's list in a checkout, else what .gitignore does not exclude."""
    if os.path.exists(os.path.join(ROOT, ".git")) and shutil.which("git"):
        proc = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
        if proc.returncode == 0:
            return [path for path in proc.stdout.decode().split("\0") if path and os.path.isfile(os.path.join(ROOT, path))]
    return unignored_files(ROOT)


def unignored_files(root):
    """Files under ``root`` that its .gitignore keeps, for a tree without .git (an unpacked tarball or ZIP).

    Supports the gitignore syntax the project's .gitignore uses: ``dir/`` (directories only), a
    pattern with an inner ``/`` (anchored at the root), anything else matching a name at any depth.
    """
    ignore_file = os.path.join(root, ".gitignore")
    if not os.path.exists(ignore_file):
        raise SystemExit("%s has neither .git nor .gitignore, so its source files cannot be told apart from "
                         "build output; unpack the source archive again." % root)
    rules = []
    for line in open(ignore_file):
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        if pattern.startswith("!"):
            raise SystemExit(".gitignore line %r negates a pattern, which hack/run_checks.py cannot apply "
                             "without git." % pattern)
        directory_only = pattern.endswith("/")
        pattern = pattern.strip("/")
        rules.append((pattern, "/" in pattern, directory_only))

    def ignored(relpath, is_dir):
        return any((fnmatch.fnmatchcase(relpath, pattern) if anchored
                    else fnmatch.fnmatchcase(os.path.basename(relpath), pattern))
                   for pattern, anchored, directory_only in rules if is_dir or not directory_only)

    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        rel = "" if rel == "." else rel + "/"
        dirnames[:] = sorted(d for d in dirnames if d != ".git" and not ignored(rel + d, True))
        # A worktree's .git is a file.
        found += [rel + f for f in sorted(filenames) if f != ".git" and not ignored(rel + f, False)]
    return found


def check_copy():
    """ansible-test needs a real ansible_collections/drweb/esuite tree; a symlink is resolved away."""
    if os.path.isdir(COPY):
        shutil.rmtree(COPY)
    for path in tracked_files():
        if path.startswith("build/"):
            continue
        dest = os.path.join(COPY, path)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, path), dest)
    return 1, 0


def junit_counts(path):
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    total = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return total - failed - skipped, failed


def pytest_check(name, paths, *options):
    """Run pytest on ``paths`` and count its cases from the junit report."""
    junit = os.path.join(BUILD, "junit-%s.xml" % name)
    if os.path.exists(junit):
        os.remove(junit)
    code = run(name, [sys.executable, "-m", "pytest", "-q", "-c", "hack/pytest.ini", "--rootdir", ROOT,
                      "--junitxml", junit] + list(options) + list(paths))
    if not os.path.exists(junit):
        return 0, 1
    passed, failed = junit_counts(junit)
    if code not in (0, 5) and failed == 0:
        failed = 1  # collection errors and crashes count too
    return passed, failed


def check_units():
    paths = ["tests/unit"] + [p for p in ("emulator/tests",) if os.path.isdir(os.path.join(ROOT, p))]
    return pytest_check("units", paths, "-n", "2")


def ensure_get_pip():
    """Offline stand-in for the get-pip download that ansible-test's sanity venvs need."""
    import ansible_test  # pylint: disable=import-outside-toplevel
    source = open(os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")).read()
    version = re.search(r"pip='([0-9.]+)'", source).group(1)
    cache = os.path.expanduser("~/.ansible/test/cache/get_pip_%s.py" % version.replace(".", "_"))
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    shutil.copy(os.path.join(ROOT, "hack", "get_pip_standin.py"), cache)


def check_sanity():
    ignores = [line for path in glob.glob(os.path.join(ROOT, "tests", "sanity", "ignore-*.txt"))
               for line in open(path) if line.strip()]
    if ignores:
        print("tests/sanity/ignore-*.txt must stay empty; found %d entries" % len(ignores))
        return 0, 1
    ensure_get_pip()
    listing = capture("sanity", ["ansible-test", "sanity", "--list-tests", "--python", PYTHON_VERSION], cwd=COPY)[1]
    tests = [line.strip() for line in listing.splitlines() if re.match(r"^[a-z0-9-]+$", line.strip())]
    code, out = capture("sanity", ["ansible-test", "sanity", "--local", "--python", PYTHON_VERSION, "--color", "no"], cwd=COPY)
    match = re.search(r"The (\d+) sanity test\(s\) listed below \(out of (\d+)\) failed", out)
    failed = int(match.group(1)) if match else (0 if code == 0 else 1)
    return max(len(tests) - failed, 0), failed


# The targets of the write paths, run a second time with every module shipped (`shipped`).
SHIPPED_TARGETS = ("drweb_station", "drweb_stations", "drweb_group")


def integration_targets(variable="DRWEB_INTEGRATION_TARGETS", default=()):
    """Every target that is neither hidden nor disabled; ``variable``=a,b (or ``default``) picks some of them."""
    wanted = [name for name in os.environ.get(variable, "").split(",") if name] or list(default)
    targets = []
    for aliases in sorted(glob.glob(os.path.join(ROOT, "tests", "integration", "targets", "*", "aliases"))):
        words = open(aliases).read().split()
        if "hidden" not in words and "disabled" not in words:
            targets.append(os.path.basename(os.path.dirname(aliases)))
    unknown = sorted(set(wanted) - set(targets))
    if unknown:
        raise SystemExit("%s names no integration target: %s" % (variable, ", ".join(unknown)))
    return [target for target in targets if target in wanted] if wanted else targets


def run_targets(name, targets, execution):
    """ansible-test integration of ``targets``, each task's DRWEB_EXECUTION set to ``execution``.

    ansible-test passes no DRWEB_* variable to the playbooks it runs, so the mode travels in its
    vars file, and every target's top block sets it in its ``environment:``.
    """
    with open(os.path.join(COPY, "tests", "integration", "integration_config.yml"), "w") as handle:
        # YAML as ansible-lint wants it: the lint gate reads the same copy.
        handle.write("---\ndrweb_execution: %s\n" % json.dumps(execution))
    passed = failed = 0
    for target in targets:
        start = time.time()
        code = run(name, ["ansible-test", "integration", "--local", "--python", PYTHON_VERSION,
                          "--color", "no", target], cwd=COPY)
        print("    %-32s %s (%.0fs)" % (target, "ok" if code == 0 else "FAILED", time.time() - start))
        passed, failed = (passed + 1, failed) if code == 0 else (passed, failed + 1)
    return passed, failed


def check_integration():
    """Every target as users run them: local tasks on the controller path (DRWEB_EXECUTION=auto)."""
    return run_targets("integration", integration_targets(), os.environ.get("DRWEB_EXECUTION") or "auto")


def check_shipped():
    """The write paths' targets again with DRWEB_EXECUTION=module: every task ships its module
    (what a task on another host does); DRWEB_SHIPPED_TARGETS=a,b picks others."""
    return run_targets("shipped", integration_targets("DRWEB_SHIPPED_TARGETS", SHIPPED_TARGETS), "module")


def check_lint():
    code = run("lint", ["ansible-lint", "--offline", "--profile", "production", "--nocolor"], cwd=COPY)
    return (1, 0) if code == 0 else (0, 1)


def check_docs():
    """antsibull-docs lint, then tests/docs: README's and docs/' commands run as written, their claims checked."""
    code = run("docs", ["antsibull-docs", "lint-collection-docs", "--plugin-docs", "."], cwd=COPY)
    passed, failed = pytest_check("docs", ["tests/docs"], "-n", "2", "--dist", "loadfile")
    return (passed + 1, failed) if code == 0 else (passed, failed + 1)


def check_changelog():
    code = run("changelog", ["antsibull-changelog", "lint"], cwd=ROOT)
    return (1, 0) if code == 0 else (0, 1)


def plugins():
    found = []
    for kind, folder in (("module", "modules"), ("inventory", "inventory"), ("filter", "filter")):
        for path in sorted(glob.glob(os.path.join(ROOT, "plugins", folder, "*.py"))):
            name = os.path.splitext(os.path.basename(path))[0]
            if name != "__init__":
                found.append((kind, "drweb.esuite." + name))
    return found


def check_build():
    dist = os.path.join(BUILD, "dist")
    installed = os.path.join(BUILD, "installed")
    for path in (dist, installed):
        shutil.rmtree(path, ignore_errors=True)
    code = run("build", ["ansible-galaxy", "collection", "build", "--force", "--output-path", dist], cwd=COPY)
    tarballs = glob.glob(os.path.join(dist, "drweb-esuite-*.tar.gz"))
    if code != 0 or not tarballs:
        return 0, 1
    with tarfile.open(tarballs[0]) as tar:
        leaked = [n for n in tar.getnames() if n.split("/")[0] in ("emulator", "benchmarks", "build", "hack", ".ci")]
    if leaked:
        print("    the tarball ships files that are not collection content: %s" % ", ".join(leaked[:5]))
        return 0, 1
    code = run("build", ["ansible-galaxy", "collection", "install", "--force", "-p", installed, tarballs[0]])
    if code != 0:
        return 1, 1
    passed, failed = 2, 0
    for kind, name in plugins():
        code, out = capture("build", ["ansible-doc", "-t", kind, name], ANSIBLE_COLLECTIONS_PATH=installed)
        ok = code == 0 and "EXAMPLES" in out and "RETURN" in out if kind == "module" else code == 0
        if not ok:
            print("    ansible-doc %s %s failed" % (kind, name))
        passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
    return passed, failed


def check_reliability():
    """tests/reliability: real ansible-playbook runs against emulator subprocesses (faults, bad input,
    bad servers, secrets, concurrency); ~5 min on 2 cores. DRWEB_SOAK=1 selects the long sizes."""
    return pytest_check("reliability", ["tests/reliability"], "-n", "2", "--dist", "loadfile")


def check_molecule():
    """extensions/molecule/<scenario>: `molecule test` per scenario, each against its own emulator."""
    passed = failed = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "extensions", "molecule", "*", "molecule.yml"))):
        scenario = os.path.basename(os.path.dirname(path))
        start = time.time()
        code = run("molecule", ["molecule", "test", "-s", scenario], cwd=COPY)
        print("    %-32s %s (%.0fs)" % (scenario, "ok" if code == 0 else "FAILED", time.time() - start))
        passed, failed = (passed + 1, failed) if code == 0 else (passed, failed + 1)
    return passed, failed


def check_runner():
    """tests/awx: configure_stations.yml through ansible-runner as an AWX job, asserting on its job events."""
    return pytest_check("runner", ["tests/awx"])


def check_report():
    """tests/report: the fleet report as README.md runs it, rendered in headless Chromium
    (hack/install_chromium.py installs Debian's chromium first when it is missing)."""
    start = time.time()
    code = run("report", [sys.executable, os.path.join(ROOT, "hack", "install_chromium.py")])
    print("    %-32s %s (%.0fs)" % ("chromium", "ok" if code == 0 else "FAILED", time.time() - start))
    if code != 0:
        return 0, 1
    return pytest_check("report", ["tests/report"])


def check_ee():
    """ansible-builder: the collection's EE dependencies, and build contexts for its EE definitions."""
    ee = os.path.join(BUILD, "ee")
    shutil.rmtree(ee, ignore_errors=True)
    passed = failed = 0
    # What any EE that installs the collection gets: ansible-builder introspects each collection's
    # meta/execution-environment.yml, whose paths are relative to the collection root.
    code, out = capture("ee", ["ansible-builder", "introspect", COLLECTIONS])
    ok = code == 0 and all("%s  # from collection drweb.esuite" % line.strip() in out
                           for line in open(os.path.join(ROOT, "requirements.txt"))
                           if line.strip() and not line.startswith("#"))
    print("    %-42s %s" % ("introspect", "ok" if ok else "FAILED"))
    passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
    # The same definition as an EE of its own: staged at a collection-root-like place so
    # that `requirements.txt` resolves as it does for introspection.
    stage = os.path.join(ee, "collection-root")
    os.makedirs(stage)
    shutil.copy(os.path.join(ROOT, "meta", "execution-environment.yml"), stage)
    shutil.copy(os.path.join(ROOT, "requirements.txt"), stage)
    for name, definition in (("meta/execution-environment.yml", os.path.join(stage, "execution-environment.yml")),
                             ("extensions/awx/execution-environment.yml",
                              os.path.join(ROOT, "extensions", "awx", "execution-environment.yml"))):
        context = os.path.join(ee, "context-" + name.partition("/")[0])
        code = run("ee", ["ansible-builder", "create", "-f", definition, "-c", context, "--output-filename", "Containerfile"])
        ok = code == 0 and os.path.exists(os.path.join(context, "Containerfile"))
        print("    %-42s %s" % (name, "ok" if ok else "FAILED"))
        passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
    return passed, failed


def check_docsite():
    """antsibull-docs renders the docsite pages of every plugin and role (and docs/docsite/links.yml)."""
    dest = os.path.join(BUILD, "docsite")
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    code = run("docsite", ["antsibull-docs", "collection", "--use-current", "--squash-hierarchy",
                           "--dest-dir", dest, "drweb.esuite"])
    pages = ["index.rst", "environment_variables.rst"]
    pages += ["%s_%s.rst" % (name.rsplit(".", 1)[-1], kind) for kind, name in plugins()]
    pages += ["%s_role.rst" % os.path.basename(os.path.dirname(os.path.dirname(path)))
              for path in sorted(glob.glob(os.path.join(ROOT, "roles", "*", "meta", "argument_specs.yml")))]
    missing = [page for page in pages if not os.path.exists(os.path.join(dest, page))]
    for page in missing:
        print("    not rendered: %s" % page)
    return len(pages) - len(missing), len(missing) + (1 if code != 0 else 0)


def check_cores():
    """The oldest and the newest ansible-core of hack/matrix.py besides this venv's: units, sanity, three targets."""
    results = os.path.join(BUILD, "cores.json")
    if os.path.exists(results):
        os.remove(results)
    run("cores", [sys.executable, os.path.join(ROOT, "hack", "matrix.py"), "--edges", "--json", results])
    if not os.path.exists(results):
        return 0, 1
    passed = failed = 0
    for row in json.load(open(results))["combinations"]:
        steps = row.get("steps") or {}
        row_passed = sum(step["passed"] for step in steps.values())
        row_failed = sum(step["failed"] for step in steps.values()) + (1 if row["venv"]["status"] == "failed" else 0)
        detail = row["venv"].get("detail") or ", ".join(
            "%s %d/%d" % (name, step["passed"], step["passed"] + step["failed"]) for name, step in steps.items())
        label = "%s %s" % (row["name"], row["venv"].get("version", ""))
        print("    %-32s %s (%s; %.0fs)" % (label, row["outcome"], detail, row["seconds"]))
        passed, failed = passed + row_passed, failed + row_failed
    return passed, failed


CHECKS = [
    ("copy", check_copy),
    ("units", check_units),
    ("sanity", check_sanity),
    ("integration", check_integration),
    ("shipped", check_shipped),
    ("lint", check_lint),
    ("docs", check_docs),
    ("changelog", check_changelog),
    ("build", check_build),
    ("reliability", check_reliability),
    ("molecule", check_molecule),
    ("runner", check_runner),
    ("report", check_report),
    ("ee", check_ee),
    ("docsite", check_docsite),
    ("cores", check_cores),
]


def main(argv):
    names = [check[0] for check in CHECKS]
    wanted = argv or names
    unknown = sorted(set(wanted) - set(names))
    if unknown:
        print("unknown check(s): %s" % ", ".join(unknown))
        return 2
    os.makedirs(LOGS, exist_ok=True)
    for name in wanted:
        if os.path.exists(os.path.join(LOGS, name + ".log")):
            os.remove(os.path.join(LOGS, name + ".log"))
    if "copy" not in wanted:
        wanted = ["copy"] + wanted
    total_passed = total_failed = 0
    summary = []
    for name, func in CHECKS:
        if name not in wanted:
            continue
        print("==> %s" % name, flush=True)
        start = time.time()
        passed, failed = func()
        elapsed = time.time() - start
        summary.append({"check": name, "passed": passed, "failed": failed, "seconds": round(elapsed, 1)})
        print("    %s: %d passed, %d failed (%.0fs)" % (name, passed, failed, elapsed), flush=True)
        if failed:
            log_path = os.path.join(LOGS, name + ".log")
            if os.path.exists(log_path):
                tail = open(log_path).read().splitlines()[-80:]
                print("    --- last lines of %s ---" % os.path.relpath(log_path, ROOT))
                print("\n".join("    | " + line for line in tail))
        total_passed += passed
        total_failed += failed
    with open(os.path.join(BUILD, "checks.json"), "w") as handle:
        json.dump(summary, handle, indent=2)
    print("%d passed, %d failed" % (total_passed, total_failed))
    return 1 if total_failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
