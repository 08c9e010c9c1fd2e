# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hack/matrix.py: the table of cores and Pythons, and what it writes into README.md."""

import json

import pytest

import matrix


def test_core_spec_pins_one_minor_release():
    assert matrix.core_spec("2.16") == "ansible-core>=2.16,<2.17"
    assert matrix.core_spec("2.9") == "ansible-core>=2.9,<2.10"


def test_every_combination_has_a_name_of_its_own():
    names = [matrix.name_of(core, python) for core, python in matrix.combinations()]
    assert len(names) == len(set(names)) and "2.16-py3.10" in names


def test_a_python_the_core_supports_passes():
    assert matrix.check_supported("2.18", "3.12", ">=3.11", ["3.11", "3.12", "3.13"]) is None


def test_a_table_that_differs_from_the_core_is_reported():
    assert matrix.check_supported("2.18", "3.12", ">=3.11", ["3.11", "3.12", "3.13", "3.14"]) == (
        "hack/matrix.py lists Python 3.11, 3.12, 3.13 for ansible-core 2.18, but the core's ansible-test supports "
        "3.11, 3.12, 3.13, 3.14.")


def test_a_python_below_requires_python_is_reported():
    assert matrix.check_supported("2.18", "3.11", ">=3.12", ["3.11", "3.12", "3.13"]) == (
        "ansible-core 2.18 does not support Python 3.11 as a controller (Requires-Python >=3.12, ansible-test "
        "3.11, 3.12, 3.13).")


def test_only_names_a_combination_of_the_table():
    args = type("Args", (), {"edges": False, "only": ["2.16/3.99"]})
    with pytest.raises(SystemExit) as stop:
        matrix.select(args)
    assert str(stop.value) == "--only 2.16/3.99 names no combination of hack/matrix.py's CORES."
    args.only = ["2.21/3.13", "2.16"]
    assert matrix.select(args) == [("2.21", "3.13"), ("2.16", "3.10"), ("2.16", "3.11"), ("2.16", "3.12")]


def row(core, python, status="ok", failed=0):
    steps = {step: {"passed": 5, "failed": failed, "seconds": 1} for step in matrix.STEPS}
    result = {"name": matrix.name_of(core, python), "core": core, "python": python, "seconds": 3,
              "venv": {"status": status, "version": core + ".1", "seconds": 1}, "steps": steps}
    if status == "not available":
        result["venv"] = {"status": status, "detail": "no Python %s on this machine" % python, "seconds": 0}
        result["steps"] = {}
    result["outcome"] = matrix.outcome(result)
    return result


def test_the_readme_table_has_one_row_per_core_and_marks_each_combination():
    rows = [row(core, python, "not available" if python == "3.14" else "ok",
                failed=1 if (core, python) == ("2.17", "3.11") else 0) for core, python in matrix.combinations()]
    lines = matrix.readme_block(rows).splitlines()
    assert lines[0] == matrix.MARKERS[0] and lines[-1] == matrix.MARKERS[1]
    assert lines[2] == "| ansible-core | Python 3.10 | Python 3.11 | Python 3.12 | Python 3.13 | Python 3.14 |"
    assert "| 2.16.1 | tested | tested | tested |  |  |" in lines
    assert "| 2.17.1 | tested | FAILED | tested |  |  |" in lines
    assert "| 2.21.1 |  |  | tested | tested | supported, not tested |" in lines
    assert len([line for line in lines if line.startswith("| 2.")]) == len(matrix.CORES)


def test_the_printed_table_says_what_failed_and_what_is_missing():
    rows = [row("2.16", "3.10"), row("2.17", "3.10", failed=2), row("2.20", "3.14", "not available")]
    text = "\n".join(matrix.table(rows))
    assert "2.16-py3.10  2.16.1" in text and "passed 5 (1s)" in text
    assert "FAILED 2/7 (1s)" in text
    assert "not available (no Python 3.14 on this machine)" in text
    json.dumps(rows)  # results.json holds the same rows
