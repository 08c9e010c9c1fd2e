# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What README.md and the metadata say about ansible-core versions agrees with hack/matrix.py and its last run."""

import os
import re

import yaml

from docblocks import ROOT

import matrix  # hack/, on sys.path through docblocks


def read(*parts):
    with open(os.path.join(ROOT, *parts)) as handle:
        return handle.read()


def readme_matrix():
    text = read("README.md")
    start, end = text.index(matrix.MARKERS[0]), text.index(matrix.MARKERS[1])
    rows = [line.strip().strip("|").split("|") for line in text[start:end].splitlines() if line.startswith("| ")]
    assert rows, "README.md has no matrix table yet: run make matrix"
    header, body = rows[0], rows[1:]
    pythons = [cell.strip().replace("Python ", "") for cell in header[1:]]
    table = {}
    for cells in body:
        core = re.match(r"\s*(\d+\.\d+)", cells[0]).group(1)
        table[core] = {python: cell.strip() for python, cell in zip(pythons, cells[1:])}
    return table


def main_python():
    """The Python the Makefile builds .venv with."""
    return re.search(r"--find-python (3\.\d+)", read("Makefile")).group(1)


def test_readme_states_the_matrix_of_the_last_full_run():
    """make matrix writes this table; a core or Python added to CORES without a new run fails here."""
    table = readme_matrix()
    assert sorted(table) == sorted(core for core, _pythons in matrix.CORES)
    for core, pythons in matrix.CORES:
        supported = {python for python, cell in table[core].items() if cell}
        assert supported == set(pythons), core
        assert {table[core][p] for p in pythons} <= {"tested", "supported, not tested"}, (core, table[core])
    assert any(cell == "tested" for row in table.values() for cell in row.values())


def test_requires_ansible_is_the_oldest_core_of_the_matrix():
    runtime = yaml.safe_load(read("meta", "runtime.yml"))
    assert runtime["requires_ansible"] == ">=%s.0" % matrix.CORES[0][0]


def test_the_main_pin_is_the_newest_core_for_the_main_python():
    lines = read("requirements-dev.txt").splitlines()
    for python, pythons_of in (("3.12", ">="), ("3.11", "<")):
        newest = [core for core, pythons in matrix.CORES if python in pythons][-1]
        major, minor = newest.split(".")
        assert 'ansible-core>=%s,<%s.%d; python_version %s "3.12"' % (newest, major, int(minor) + 1, pythons_of) in lines
    newest = [core for core, pythons in matrix.CORES if main_python() in pythons][-1]
    assert newest == matrix.CORES[-1][0], "the Makefile's Python cannot run the newest core"
    assert "the main venv's ansible-core %s on Python %s" % (newest, main_python()) in " ".join(read("README.md").split())


def test_make_test_runs_the_oldest_core_besides_the_main_venvs_newest():
    newest = matrix.CORES[-1][0]
    assert [core for core, _python in matrix.edges(main_python(), newest)] == [matrix.CORES[0][0]]
    # On a machine without Python 3.12 the Makefile falls back to python3, and the newest core runs in the cores gate.
    assert [core for core, _python in matrix.edges("3.11", "2.19")] == [matrix.CORES[0][0], newest]
