"""`make matrix`: the unit suite, sanity and three integration targets on every ansible-core we claim.

For each combination of CORES whose Python the machine has, a venv under build/matrix/<name>/
gets that ansible-core, requirements-matrix.txt and the emulator, and runs
`hack/run_checks.py units sanity integration` (sanity with `--python` the combination's, the
integration targets in TARGETS). A Python the machine lacks is "not available", not a failure.
At the end: one table (combination x step -> passed/failed, seconds), build/matrix/results.json,
and, after a full run, the tested matrix in README.md between the `matrix` markers.

Usage: matrix.py [--edges] [--only CORE[/PYTHON] ...] [--json FILE] | --find-python X.Y
  --edges   the oldest and the newest core besides this venv's, on one Python each (what `make test` runs)
  --only    some combinations, e.g. --only 2.16 --only 2.21/3.13
"""
import argparse
import concurrent.futures
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir))
MATRIX = os.path.join(ROOT, "build", "matrix")
README = os.path.join(ROOT, "README.md")
REQUIREMENTS = os.path.join(ROOT, "requirements-matrix.txt")

# Each core with the controller Pythons it supports: its Requires-Python is the lower bound and
# ansible-test's CONTROLLER_PYTHON_VERSIONS the list; check_supported() holds this table to both.
CORES = [
    ("2.16", ("3.10", "3.11", "3.12")),
    ("2.17", ("3.10", "3.11", "3.12")),
    ("2.18", ("3.11", "3.12", "3.13")),
    ("2.19", ("3.11", "3.12", "3.13")),
    ("2.20", ("3.12", "3.13", "3.14")),
    ("2.21", ("3.12", "3.13", "3.14")),
]
TARGETS = ("drweb_station", "drweb_station_info", "inventory_stations")
STEPS = ("units", "sanity", "integration", "shipped")
MARKERS = ("<!-- matrix:begin (hack/matrix.py writes this table) -->", "<!-- matrix:end -->")


def combinations():
    return [(core, python) for core, pythons in CORES for python in pythons]


def name_of(core, python):
    return "%s-py%s" % (core, python)


def core_spec(core):
    major, minor = core.split(".")
    return "ansible-core>=%s,<%s.%d" % (core, major, int(minor) + 1)


def pyenv_root():
    if os.environ.get("PYENV_ROOT"):
        return os.environ["PYENV_ROOT"]
    if shutil.which("pyenv"):
        out = subprocess.run(["pyenv", "root"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             universal_newlines=True, check=False).stdout.strip()
        if out:
            return out
    return os.path.expanduser("~/.pyenv")


def _works(python):
    # A pyenv shim of an absent version exits 127; Debian's python3.X may lack venv/ensurepip.
    try:
        return subprocess.run([python, "-c", "import ensurepip, venv"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, check=False).returncode == 0
    except OSError:
        return False


def find_python(version):
    """The newest pyenv CPython X.Y.Z, else a working pythonX.Y on PATH, else None."""
    candidates = []
    for path in glob.glob(os.path.join(pyenv_root(), "versions", version + ".*", "bin", "python")):
        patch = os.path.basename(os.path.dirname(os.path.dirname(path)))[len(version) + 1:]
        if patch.isdigit():
            candidates.append((int(patch), path))
    for _patch, path in sorted(candidates, reverse=True):
        if _works(path):
            return path
    on_path = shutil.which("python" + version)
    return on_path if on_path and _works(on_path) else None


def stamp_of(python):
    """What a venv was built from; a venv with another stamp is rebuilt."""
    digest = hashlib.sha256()
    for path in (REQUIREMENTS, os.path.join(ROOT, "requirements.txt"), os.path.join(ROOT, "emulator", "pyproject.toml")):
        with open(path, "rb") as handle:
            digest.update(handle.read())
    digest.update(subprocess.run([python, "-c", "import sys; print(sys.version)"], stdout=subprocess.PIPE,
                                 check=True).stdout)
    return digest.hexdigest()


def run_logged(log, argv, **kwargs):
    log.write("$ %s\n" % " ".join(argv))
    log.flush()
    return subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT, check=False, **kwargs).returncode


def controller_pythons(venv_python):
    """(Requires-Python, CONTROLLER_PYTHON_VERSIONS, version) of the core installed in a venv."""
    code = ("import importlib.metadata as m, json, ansible_test._util.target.common.constants as c; "
            "print(json.dumps([m.metadata('ansible-core')['Requires-Python'], list(c.CONTROLLER_PYTHON_VERSIONS), "
            "m.version('ansible-core')]))")
    out = subprocess.run([venv_python, "-c", code], stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout
    return json.loads(out)


def check_supported(core, python, requires, controllers):
    """None, or the sentence saying how CORES disagrees with the installed core's own metadata."""
    table = dict(CORES)[core]
    low = re.match(r"^\s*>=\s*(\d+)\.(\d+)", requires or "")
    if python not in controllers or not low or tuple(map(int, python.split("."))) < (int(low.group(1)), int(low.group(2))):
        return "ansible-core %s does not support Python %s as a controller (Requires-Python %s, ansible-test %s)." % (
            core, python, requires, ", ".join(controllers))
    if tuple(controllers) != table:
        return "hack/matrix.py lists Python %s for ansible-core %s, but the core's ansible-test supports %s." % (
            ", ".join(table), core, ", ".join(controllers))
    return None


def prepare(core, python):
    """Create or reuse the combination's venv: {"status": ok|reused|failed|not available, ...}."""
    started = time.time()
    interpreter = find_python(python)
    if not interpreter:
        return {"status": "not available", "detail": "no Python %s on this machine" % python, "seconds": 0}
    home = os.path.join(MATRIX, name_of(core, python))
    venv = os.path.join(home, "venv")
    venv_python = os.path.join(venv, "bin", "python")
    stamp_path = os.path.join(venv, ".matrix-stamp")
    stamp = "%s\n%s\n" % (core_spec(core), stamp_of(interpreter))
    os.makedirs(home, exist_ok=True)
    reused = os.path.exists(stamp_path) and open(stamp_path).read() == stamp
    with open(os.path.join(home, "venv.log"), "w") as log:
        if not reused:
            shutil.rmtree(venv, ignore_errors=True)
            pip = [venv_python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            code = (run_logged(log, [interpreter, "-m", "venv", venv])
                    or run_logged(log, pip + ["--upgrade", "pip"])
                    or run_logged(log, pip + [core_spec(core), "-r", REQUIREMENTS, "-e", os.path.join(ROOT, "emulator")]))
            if code:
                return {"status": "failed", "detail": "pip failed, see %s" % os.path.relpath(log.name, ROOT),
                        "seconds": time.time() - started}
    requires, controllers, version = controller_pythons(venv_python)
    problem = check_supported(core, python, requires, controllers)
    if problem:
        return {"status": "failed", "detail": problem, "seconds": time.time() - started}
    if not reused:
        with open(stamp_path, "w") as handle:
            handle.write(stamp)
    return {"status": "reused" if reused else "ok", "version": version,
            "python": venv_python, "seconds": time.time() - started}


def run_combination(core, python, venv_python, echo):
    """hack/run_checks.py's units, sanity and integration in the combination's venv: {step: counts}."""
    home = os.path.join(MATRIX, name_of(core, python))
    build = os.path.join(home, "build")
    shutil.rmtree(build, ignore_errors=True)
    # The copy must sit outside the git work tree (see run_checks.COLLECTIONS), one per combination.
    collections = os.path.join(tempfile.gettempdir(), "drweb-esuite-%s-%s" % (
        hashlib.sha1(ROOT.encode()).hexdigest()[:10], name_of(core, python)), "collections")
    env = dict(os.environ, DRWEB_BUILD_DIR=build, DRWEB_COLLECTIONS_DIR=collections,
               DRWEB_INTEGRATION_TARGETS=",".join(TARGETS))
    env.pop("VIRTUAL_ENV", None)
    with open(os.path.join(home, "run.log"), "w") as log:
        proc = subprocess.Popen([venv_python, os.path.join(ROOT, "hack", "run_checks.py")] + list(STEPS), cwd=ROOT,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        for line in proc.stdout:
            log.write(line)
            if re.match(r"^    (%s): \d+ passed" % "|".join(STEPS), line):
                echo("  %-16s %s" % (name_of(core, python), line.strip()))
        proc.wait()
    results = {}
    summary = os.path.join(build, "checks.json")
    if os.path.exists(summary):
        for entry in json.load(open(summary)):
            results[entry["check"]] = entry
    for step in STEPS:
        results.setdefault(step, {"check": step, "passed": 0, "failed": 1, "seconds": 0,
                                  "detail": "did not run, see %s" % os.path.relpath(log.name, ROOT)})
    return {step: results[step] for step in STEPS}


def edges(python_now, core_now=None):
    """The oldest and the newest core other than ``core_now`` (the main venv's, which `make test` runs
    anyway), each on the newest available Python it supports besides this one, so that CI covers two Pythons."""
    picked = []
    for core, pythons in [entry for entry in (CORES[0], CORES[-1]) if entry[0] != core_now]:
        order = [p for p in reversed(pythons) if p != python_now] + ([python_now] if python_now in pythons else [])
        available = [p for p in order if find_python(p)]
        picked.append((core, available[0] if available else order[0]))
    return picked


def select(args):
    if args.edges:
        from ansible.release import __version__  # pylint: disable=import-outside-toplevel
        return edges("%d.%d" % sys.version_info[:2], ".".join(__version__.split(".")[:2]))
    if not args.only:
        return combinations()
    chosen = []
    for item in args.only:
        core, python = (item.split("/", 1) + [""])[:2]
        found = [c for c in combinations() if c[0] == core and (not python or c[1] == python)]
        if not found:
            raise SystemExit("--only %s names no combination of hack/matrix.py's CORES." % item)
        chosen += [c for c in found if c not in chosen]
    return chosen


def cell(entry):
    if entry is None:
        return "-"
    if entry.get("failed"):
        return "FAILED %d/%d (%.0fs)" % (entry["failed"], entry["passed"] + entry["failed"], entry["seconds"])
    return "passed %d (%.0fs)" % (entry["passed"], entry["seconds"])


def table(rows):
    header = ["combination", "ansible-core", "venv"] + list(STEPS) + ["seconds"]
    lines = [header]
    for row in rows:
        venv = row["venv"]
        if venv["status"] == "not available":
            lines.append([row["name"], "-", "not available (%s)" % venv["detail"]] + ["-"] * len(STEPS) + ["0"])
            continue
        venv_cell = "%s (%.0fs)" % (venv["status"], venv["seconds"]) if venv["status"] != "failed" else "FAILED"
        steps = row.get("steps") or {}
        lines.append([row["name"], venv.get("version", "-"), venv_cell] + [cell(steps.get(s)) for s in STEPS]
                     + ["%.0f" % row["seconds"]])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return ["  ".join(text.ljust(width) for text, width in zip(line, widths)).rstrip() for line in lines]


def outcome(row):
    if row["venv"]["status"] == "not available":
        return "not available"
    if row["venv"]["status"] == "failed" or any(s["failed"] for s in row["steps"].values()):
        return "failed"
    return "passed"


def readme_block(rows):
    """The README table: one row per core, one column per Python some core supports."""
    pythons = sorted({p for _core, ps in CORES for p in ps}, key=lambda v: tuple(map(int, v.split("."))))
    by_combination = {(r["core"], r["python"]): r for r in rows}
    lines = [MARKERS[0], "",
             "| ansible-core | " + " | ".join("Python %s" % p for p in pythons) + " |",
             "|---|" + "---|" * len(pythons)]
    for core, supported in CORES:
        versions = sorted({by_combination[(core, p)]["venv"].get("version") for p in supported
                           if by_combination[(core, p)]["venv"].get("version")})
        cells = []
        for python in pythons:
            if python not in supported:
                cells.append("")
            elif outcome(by_combination[(core, python)]) == "passed":
                cells.append("tested")
            elif outcome(by_combination[(core, python)]) == "not available":
                cells.append("supported, not tested")
            else:
                cells.append("FAILED")
        lines.append("| %s | %s |" % (" ".join(versions) or core, " | ".join(cells)))
    lines += ["", MARKERS[1]]
    return "\n".join(lines)


def write_readme(rows):
    text = open(README).read()
    start, end = text.index(MARKERS[0]), text.index(MARKERS[1]) + len(MARKERS[1])
    with open(README, "w") as handle:
        handle.write(text[:start] + readme_block(rows) + text[end:])


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--edges", action="store_true")
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--json", default=os.path.join(MATRIX, "results.json"))
    parser.add_argument("--find-python", metavar="X.Y", help="print the interpreter of Python X.Y that venvs are built with")
    args = parser.parse_args(argv)
    if args.find_python:
        found = find_python(args.find_python)
        if found:
            print(found)
        return 0 if found else 1
    chosen = select(args)
    os.makedirs(MATRIX, exist_ok=True)
    started = time.time()

    def echo(line):
        print(line, flush=True)

    rows = []
    # Venvs are installed one after another in the background while the previous combination runs.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pending = [(core, python, pool.submit(prepare, core, python)) for core, python in chosen]
        for core, python, future in pending:
            row = {"name": name_of(core, python), "core": core, "python": python}
            try:
                row["venv"] = future.result()
            except (OSError, subprocess.CalledProcessError, ValueError) as exc:
                row["venv"] = {"status": "failed", "detail": "preparing the venv failed: %s" % exc, "seconds": 0}
            tests_started = time.time()
            echo("  %-16s venv: %s%s" % (row["name"], row["venv"]["status"],
                                         " - " + row["venv"]["detail"] if row["venv"].get("detail") else ""))
            row["steps"] = {}
            if row["venv"]["status"] in ("ok", "reused"):
                row["steps"] = run_combination(core, python, row["venv"]["python"], echo)
            row["seconds"] = row["venv"]["seconds"] + time.time() - tests_started
            row["outcome"] = outcome(row)
            rows.append(row)
    print()
    for line in table(rows):
        print(line)
    counts = {key: sum(1 for row in rows if row["outcome"] == key) for key in ("passed", "failed", "not available")}
    print("%d combination(s) passed, %d failed, %d not available (%.0f s)"
          % (counts["passed"], counts["failed"], counts["not available"], time.time() - started))
    with open(args.json, "w") as handle:
        json.dump({"seconds": round(time.time() - started, 1), "combinations": rows}, handle, indent=2, default=str)
    if not args.edges and not args.only:
        write_readme(rows)
        print("README.md: the tested matrix is updated; commit it with the change that made it.")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
