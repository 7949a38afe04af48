"""Reading a submitted notebook without trusting it: bad input, which assignment, which cells."""

from __future__ import annotations

import json
from pathlib import Path

from autograder.course import Assignment, Exercise, course_assignments, defined_names

MAX_NOTEBOOK_BYTES = 50 * 2**20


class SubmissionError(Exception):
    """A submission that cannot be graded; the message is one line for the student."""


def read_notebook(path: Path) -> dict:
    """Load a notebook (as the dict in the file) or raise SubmissionError with a one-line reason."""
    if not path.is_file():
        raise SubmissionError(f"{path.name}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise SubmissionError(f"{path.name}: the file is empty")
    if size > MAX_NOTEBOOK_BYTES:
        raise SubmissionError(f"{path.name}: the notebook is {size / 2**20:.0f} MB, over the 50 MB limit")
    try:
        data = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SubmissionError(f"{path.name}: not a notebook (the file is not valid JSON)") from None
    if not isinstance(data, dict) or "nbformat" not in data:
        raise SubmissionError(f"{path.name}: JSON but not a Jupyter notebook (no nbformat field)")
    if data.get("nbformat") != 4 or not isinstance(data.get("cells"), list):
        raise SubmissionError(
            f"{path.name}: nbformat {data.get('nbformat')} is not supported; open and save it in Jupyter (nbformat 4)"
        )
    return data


def code_cells(nb) -> list[tuple[str, str]]:
    """(grade_id, source) of every code cell, in order."""
    cells = []
    for cell in nb.get("cells", []):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        meta = cell.get("metadata", {})
        nbgrader = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
        grade_id = nbgrader.get("grade_id", "") if isinstance(nbgrader, dict) else ""
        cells.append((str(grade_id), source))
    return cells


def identify_assignment(nb, path: Path, assignments: tuple[Assignment, ...] | None = None) -> Assignment:
    """The assignment a notebook belongs to: by its cells' grade_ids, then by its file or folder name."""
    assignments = assignments or course_assignments()
    ids = {grade_id for grade_id, _ in code_cells(nb) if grade_id}
    scored = sorted(
        ((len(ids & a.grade_ids()) / max(len(a.grade_ids()), 1), a) for a in assignments),
        key=lambda pair: pair[0],
        reverse=True,
    )
    if scored and scored[0][0] >= 0.5:
        return scored[0][1]
    for assignment in assignments:
        if assignment.id in (path.stem, path.parent.name):
            return assignment
    known = ", ".join(a.id for a in assignments)
    raise SubmissionError(f"{path.name}: not a notebook of this course (assignments: {known})")


def answer_cells(nb, assignment: Assignment, exercise: Exercise) -> list[str]:
    """The student's cells for one exercise: by grade_id, then by the names the solution defines.

    Cells moved, duplicated or split are all found; they run in notebook order.
    """
    given = {cell.source.strip() for cell in assignment.cells if not cell.solution}
    found = []
    for grade_id, source in code_cells(nb):
        if source.strip() in given:
            continue
        if grade_id in exercise.grade_ids or defined_names(source) & exercise.names:
            found.append(source)
    return found
