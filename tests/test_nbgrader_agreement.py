"""nbgrader's own autograde agrees with the hidden grader on pass/fail (issue: the instructor's side tells the
truth).

The visible checks raise on failure, so a course run with nbgrader alone deducts what the hidden grader deducts.
Every sample-class submission and every catalogue mutant (packed so that each notebook carries at most one
mutant per exercise) is graded by the real `nbgrader autograde` and by `autograder grade`; the set of exercises
that pass must be the same (partial credit may differ).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from autograder.course import KIT_ROOT, course_assignments
from autograder.grading import grade_directory
from autograder.mutation import load_catalogue
from autograder.samples import assignment_cell, solved_notebook, write_notebook

SAMPLE = KIT_ROOT / "sample_class" / "submitted"
ASSIGNMENTS = [a for a in course_assignments() if a.has_checks]


def mutant_packs(assignment) -> list[dict[str, str]]:
    """Answers for notebooks that each hold at most one mutant per exercise, covering every mutant."""
    by_exercise: dict[int, list] = {}
    for mutant in load_catalogue(assignment.id).mutants:
        by_exercise.setdefault(assignment.exercise_of_grade_id(mutant.grade_id).number, []).append(mutant)
    packs = []
    for i in range(max((len(m) for m in by_exercise.values()), default=0)):
        pack = {}
        for mutants in by_exercise.values():
            if i < len(mutants):
                pack[mutants[i].grade_id] = mutants[i].apply(assignment_cell(assignment, mutants[i].grade_id))
        packs.append(pack)
    return packs


def nbgrader_passes(root: Path, assignment, students: list[str]) -> dict[str, set[int]]:
    """Run the real `nbgrader autograde` for each student; the exercises whose check cell got full points."""
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    config = Config()
    config.CourseDirectory.root = str(root)
    config.Exchange.root = str(root / "exchange")
    config.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    config.ExecutePreprocessor.timeout = 120
    api = NbGraderAPI(config=config)
    assert api.generate_assignment(assignment.id, force=True)["success"]
    passes = {}
    for student in students:
        result = api.autograde(assignment.id, student, force=True, create=True)
        assert result["success"], result.get("log", "")[-2000:]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in students:
            notebook = gb.find_submission_notebook(assignment.id, assignment.id, student)
            passes[student] = {
                int(g.name.removeprefix("test_exercise"))
                for g in notebook.grades
                if g.name.startswith("test_exercise") and g.score == g.max_score
            }
    return passes


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=[a.id for a in ASSIGNMENTS])
def test_nbgrader_and_the_hidden_grader_agree(assignment, tmp_path):
    """For every sample submission and every catalogue mutant, do nbgrader and the hidden grader pass the same
    exercises?"""
    root = tmp_path / "course"
    shutil.copytree(assignment.path.parent, root / "source" / assignment.id)
    submitted = root / "submitted"
    students = []
    for folder in sorted(SAMPLE.iterdir()):
        notebook = folder / assignment.id / f"{assignment.id}.ipynb"
        if folder.name != "dan_broken" and notebook.exists():
            shutil.copytree(notebook.parent, submitted / folder.name / assignment.id)
            students.append(folder.name)
    for index, pack in enumerate(mutant_packs(assignment)):
        student = f"mutants{index:02d}"
        write_notebook(
            solved_notebook(assignment, answers=pack), submitted / student / assignment.id / f"{assignment.id}.ipynb"
        )
        students.append(student)
    ours = {
        r.student: {ex.number for ex in r.exercises if ex.score >= ex.max_score}
        for r in grade_directory(submitted, tmp_path / "graded", progress=False)
    }
    theirs = nbgrader_passes(root, assignment, students)
    disagreements = {s: (sorted(ours[s]), sorted(theirs[s])) for s in students if ours[s] != theirs[s]}
    assert not disagreements, f"(hidden grader, nbgrader) passes differ: {disagreements}"
