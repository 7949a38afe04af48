"""Build submissions from the release: solved from `source/`, partly solved, or changed (mutants)."""

from __future__ import annotations

from pathlib import Path

import nbformat

from autograder.course import Assignment, current_course


def release_notebook(assignment: Assignment, release_dir: Path | None = None) -> nbformat.NotebookNode:
    release_dir = release_dir or current_course().release_dir
    return nbformat.read(release_dir / assignment.id / f"{assignment.id}.ipynb", as_version=4)


def solved_notebook(
    assignment: Assignment,
    answers: dict[str, str] | None = None,
    unanswered: set[str] = frozenset(),
    release_dir: Path | None = None,
) -> nbformat.NotebookNode:
    """The release notebook with each solution cell filled in as a student would.

    `answers` maps grade_ids to cell sources that replace the instructor's; grade_ids in
    `unanswered` are left as released (`raise NotImplementedError()`).
    """
    answers = answers or {}
    solutions = {cell.grade_id: cell.source for cell in assignment.cells if cell.solution}
    nb = release_notebook(assignment, release_dir)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type != "code" or grade_id not in solutions or grade_id in unanswered:
            continue
        cell.source = answers.get(grade_id, solutions[grade_id])
    return nb


def write_notebook(nb: nbformat.NotebookNode, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def build_sample_class(out: Path, assignments: tuple[Assignment, ...]) -> list[Path]:
    """A small class in nbgrader's layout: complete, partial, wrong and broken submissions."""
    from autograder.mutation import load_catalogue

    written = []
    for index, assignment in enumerate(assignments):
        solution_ids = [c.grade_id for c in assignment.cells if c.solution]
        catalogue = load_catalogue(assignment.id)
        first_wrong = {}
        for mutant in catalogue.mutants:
            first_wrong.setdefault(mutant.grade_id, mutant)
        wrong = {gid: m.apply(assignment_cell(assignment, gid)) for gid, m in first_wrong.items()}

        def target(student: str, assignment_id: str = assignment.id) -> Path:
            return out / "submitted" / student / assignment_id / f"{assignment_id}.ipynb"

        written.append(write_notebook(solved_notebook(assignment), target("ada_complete")))
        half = set(solution_ids[len(solution_ids) // 2 :])
        written.append(write_notebook(solved_notebook(assignment, unanswered=half), target("ben_partial")))
        written.append(write_notebook(solved_notebook(assignment, answers=wrong), target("cleo_wrong")))
        broken = target("dan_broken")
        broken.parent.mkdir(parents=True, exist_ok=True)
        if index % 3 == 0:  # cut short while saving: not JSON
            broken.write_text(nbformat.writes(solved_notebook(assignment))[:2000])
        elif index % 3 == 1:  # one answer kills its process: only that exercise is lost
            crash = {solution_ids[-1]: "import os\nos._exit(1)\n"}
            write_notebook(solved_notebook(assignment, answers=crash), broken)
        else:  # an old notebook format
            broken.write_text('{"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": []}\n')
        written.append(broken)
    return written


def assignment_cell(assignment: Assignment, grade_id: str) -> str:
    for cell in assignment.cells:
        if cell.grade_id == grade_id:
            return cell.source
    raise KeyError(f"{assignment.id} has no cell {grade_id!r}")
