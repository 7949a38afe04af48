"""Shared fixtures: the course, and submissions built from the release notebooks."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from autograder.course import course_assignments, find_assignment
from autograder.samples import assignment_cell, solved_notebook, write_notebook

CORE = "02_linear_regression"


@pytest.fixture(scope="session")
def assignments():
    return course_assignments()


@pytest.fixture(scope="session")
def core():
    """The core notebook, whose `mse` (exercise 2) and `linear_model` (exercise 1) the tests change."""
    return find_assignment(CORE)


@pytest.fixture
def make_submission(tmp_path, core):
    """Write the core release notebook, solved from source/, with some cells changed."""

    def make(answers: dict[str, str] | None = None, edit=None, name: str = f"{CORE}.ipynb") -> Path:
        nb = solved_notebook(core, answers=answers)
        if edit is not None:
            edit(nb)
        return write_notebook(nb, tmp_path / name)

    return make


def mse_with_body(core, body: str) -> dict[str, str]:
    """Answers whose `mse` keeps its signature line and runs `body` (indented) instead."""
    signature = next(line for line in assignment_cell(core, "mse").splitlines() if line.startswith("def mse"))
    return {"mse": signature + "\n" + "\n".join("    " + line for line in body.splitlines()) + "\n"}


def scores(result) -> dict[int, float]:
    return {ex.number: ex.score for ex in result.exercises}


def full(result) -> dict[int, float]:
    return {ex.number: ex.max_score for ex in result.exercises}


def code_cell_index(nb: nbformat.NotebookNode, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def copy_course(target: Path, root: Path | None = None) -> Path:
    """A standalone copy of the course (notebooks, release, the autograder package with its checks, the catalogue,
    nbgrader config) in `target`, as an instructor who copies the kit has."""
    import shutil

    from autograder.course import KIT_ROOT

    root = root or KIT_ROOT
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
    for folder in ("source", "release", "autograder", "tests/mutants"):
        shutil.copytree(root / folder, target / folder, ignore=ignore)
    shutil.copy(root / "nbgrader_config.py", target / "nbgrader_config.py")
    return target


@pytest.fixture(scope="session")
def course_copy(tmp_path_factory) -> Path:
    """A copy of the course in a temporary folder (attacks run against it, never against the repository)."""
    return copy_course(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="session")
def proof_rows():
    """`autograder prove` of every assignment's catalogue, computed once for the whole test session."""
    from autograder.check_modules import load_full
    from autograder.prove import prove_course

    assignments = tuple(a for a in course_assignments() if a.has_checks)
    for assignment in assignments:
        load_full(assignment.check_module)
    return prove_course(assignments, progress=False)
