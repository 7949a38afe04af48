"""The course: instructor notebooks, the generated release, and their consistency (issue: the course)."""

from __future__ import annotations

import re

import nbformat
import pytest

from autograder.course import KIT_ROOT, course_assignments
from autograder.validate import (
    check_module_problems,
    metadata_problems,
    release_problems,
    solution_lines,
    sync_problems,
)

RELEASE_DIR = KIT_ROOT / "release"
SOURCE_DIR = KIT_ROOT / "source"

IDS = [a.id for a in course_assignments()]
ALLOWED_NOTEBOOK_METADATA = {"kernelspec", "language_info"}
ALLOWED_CELL_METADATA = {"nbgrader", "tags"}
RELEASE_CELL_METADATA = ALLOWED_CELL_METADATA | {"deletable", "editable"}  # nbgrader locks cells with these


def by_id(assignment_id):
    return next(a for a in course_assignments() if a.id == assignment_id)


def test_three_assignments_with_number_prefixes():
    """Are there the three assignments, each source/<id>/<id>.ipynb with a number prefix?"""
    assert IDS == ["01_tensors_autograd", "02_linear_regression", "03_pytorch_builtins"]
    for assignment_id in IDS:
        assert (SOURCE_DIR / assignment_id / f"{assignment_id}.ipynb").exists()


@pytest.mark.parametrize("assignment_id", IDS)
def test_source_metadata_is_valid(assignment_id):
    """Do the instructor notebooks pass nbgrader's metadata validation, with unique grade_ids and points?"""
    assert metadata_problems(by_id(assignment_id)) == []


@pytest.mark.parametrize("assignment_id", IDS)
def test_enough_graded_exercises(assignment_id):
    """Does each notebook have at least 4 graded exercises (5 for the core notebook)?"""
    assert len(by_id(assignment_id).exercises) >= (5 if assignment_id.startswith("02") else 4)


@pytest.mark.parametrize("folder", [SOURCE_DIR, RELEASE_DIR], ids=["source", "release"])
@pytest.mark.parametrize("assignment_id", IDS)
def test_notebooks_are_clean(folder, assignment_id):
    """Are notebooks in source/ and release/ free of outputs and stray metadata?"""
    nb = nbformat.read(folder / assignment_id / f"{assignment_id}.ipynb", as_version=4)
    assert set(nb.metadata) <= ALLOWED_NOTEBOOK_METADATA
    allowed = ALLOWED_CELL_METADATA if folder == SOURCE_DIR else RELEASE_CELL_METADATA
    for cell in nb.cells:
        assert set(cell.metadata) <= allowed, cell.metadata
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("assignment_id", IDS)
def test_every_exercise_is_tagged_for_nbgrader(assignment_id):
    """Has every exercise solution markers, and a locked check cell named test_exerciseN calling itself?"""
    for ex in by_id(assignment_id).exercises:
        assert all("### BEGIN SOLUTION" in c.source and "### END SOLUTION" in c.source for c in ex.solutions)
        assert f"def test_exercise{ex.number}(" in ex.check.source
        assert re.search(rf"^test_exercise{ex.number}\(\)", ex.check.source, re.M)


def test_release_is_in_sync_with_source():
    """Is release/ what nbgrader generates from source/ today?"""
    assert sync_problems() == []


@pytest.mark.parametrize("assignment_id", IDS)
def test_release_leaks_nothing(assignment_id):
    """Has the release no solution or hidden-test markers, no outputs, no solution-only line?"""
    assignment = by_id(assignment_id)
    assert solution_lines(assignment), "the leak check must have solution lines to look for"
    assert release_problems(assignment) == []


@pytest.mark.parametrize("assignment_id", IDS)
def test_hidden_checks_cover_every_exercise(assignment_id):
    """Has every exercise hidden checks, and does every hidden check name an existing exercise?"""
    assert check_module_problems(by_id(assignment_id)) == []
