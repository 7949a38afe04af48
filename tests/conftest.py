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
