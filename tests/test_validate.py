"""`autograder validate`: a valid course passes, and each kind of inconsistency is reported."""

from __future__ import annotations

import dataclasses
import shutil

import nbformat

from autograder.cli import main
from autograder.course import KIT_ROOT, find_assignment, load_assignment
from autograder.validate import check_module_problems, metadata_problems, release_problems

RELEASE_DIR = KIT_ROOT / "release"

CORE = "02_linear_regression"


def test_validate_passes_on_the_course(capsys):
    """Does `autograder validate` find nothing wrong with the course as committed?"""
    assert main(["validate"]) == 0
    assert "course valid" in capsys.readouterr().out


def test_duplicate_grade_id_is_reported(tmp_path):
    """Is a grade_id used twice in a notebook reported?"""
    nb = nbformat.read(find_assignment(CORE).path, as_version=4)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    nb.cells[[c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells].index(ids[1])].metadata["nbgrader"][
        "grade_id"
    ] = ids[0]
    path = tmp_path / CORE / f"{CORE}.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    assert any("used twice" in p for p in metadata_problems(load_assignment(path)))


def test_missing_hidden_checks_are_reported():
    """Is an assignment without a hidden-check module reported?"""
    orphan = dataclasses.replace(find_assignment(CORE), id="99_no_checks")
    assert check_module_problems(orphan) == ["99_no_checks: no hidden checks (test_99_no_checks.py is missing)"]


def test_leaked_solution_line_is_reported(tmp_path):
    """Is a release cell that contains a line found only in a solution region reported as a leak?"""
    assignment = find_assignment(CORE)
    shutil.copytree(RELEASE_DIR / CORE, tmp_path / CORE)
    path = tmp_path / CORE / f"{CORE}.ipynb"
    nb = nbformat.read(path, as_version=4)
    solution = assignment.exercise(2).solutions[0].source
    secret = next(line for line in solution.splitlines() if line.strip().startswith("return"))
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "mse")
    cell.source = cell.source.replace("raise NotImplementedError()", secret.strip())
    nbformat.write(nb, path)
    problems = release_problems(assignment, tmp_path)
    assert any("leaks a solution line" in p for p in problems)
