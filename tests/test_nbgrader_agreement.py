"""nbgrader's own autograde agrees with the hidden grader on pass/fail (issue: the instructor's side tells the
truth).

The visible checks raise on failure, so a course run with nbgrader alone deducts what the hidden grader deducts.
Every sample-class submission and every catalogue mutant (packed so that each notebook carries at most one
mutant per exercise) is graded by the real `nbgrader autograde` and by `autograder grade`; the set of exercises
that pass must be the same (partial credit may differ).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat
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


def without_demos(path: Path, target: Path) -> None:
    """Copy a notebook without its demo cells (they draw and time; no check depends on them), to save time."""
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if "demo" not in c.metadata.get("tags", [])]
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


def nbgrader_course(root: Path, assignment, submissions: dict[str, Path]) -> subprocess.Popen:
    """An nbgrader course folder with these submissions; start `nbgrader generate_assignment` then `autograde`."""
    without_demos(assignment.path, root / "source" / assignment.id / f"{assignment.id}.ipynb")
    for student, path in submissions.items():
        without_demos(path, root / "submitted" / student / assignment.id / f"{assignment.id}.ipynb")
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.root = '.'\n"
        "c.ClearSolutions.code_stub = {'python': '# YOUR CODE HERE\\nraise NotImplementedError()'}\n"
        "c.ExecutePreprocessor.timeout = 120\n"
    )
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    script = f"{bin_dir / 'nbgrader'} generate_assignment {assignment.id} --force --quiet && "
    script += f"{bin_dir / 'nbgrader'} autograde {assignment.id} --force --quiet"
    return subprocess.Popen(["bash", "-c", script], cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def nbgrader_passes(
    tmp: Path, assignment, submissions: dict[str, Path], meanwhile: Callable[[], object], workers: int = 3
) -> tuple[dict[str, set[int]], object]:
    """Run the real `nbgrader autograde` (in `workers` course folders at once; its kernels spend much of their time
    starting, so three share two cores well) and `meanwhile()` while it runs; return, per student, the exercises
    whose check cell got full points, and what `meanwhile` returned."""
    from nbgrader.api import Gradebook

    students = sorted(submissions)
    roots = [tmp / f"nbgrader{i}" for i in range(workers)]
    procs = [
        nbgrader_course(root, assignment, {s: submissions[s] for s in students[i::workers]})
        for i, root in enumerate(roots)
    ]
    result = meanwhile()
    for proc in procs:
        output = proc.communicate(timeout=900)[0].decode(errors="replace")
        assert proc.returncode in (0, 1), output[-2000:]  # 1: some submission raised outside a check cell
    passes = {}
    for i, root in enumerate(roots):
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
            for student in students[i::workers]:
                notebook = gb.find_submission_notebook(assignment.id, assignment.id, student)
                passes[student] = {
                    int(g.name.removeprefix("test_exercise"))
                    for g in notebook.grades
                    if g.name.startswith("test_exercise") and g.score == g.max_score
                }
    return passes, result


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=[a.id for a in ASSIGNMENTS])
def test_nbgrader_and_the_hidden_grader_agree(assignment, tmp_path):
    """For every sample submission and every catalogue mutant, do nbgrader and the hidden grader pass the same
    exercises?"""
    submitted = tmp_path / "submitted"
    submissions = {}
    for folder in sorted(SAMPLE.iterdir()):
        notebook = folder / assignment.id / f"{assignment.id}.ipynb"
        if folder.name != "dan_broken" and notebook.exists():
            submissions[folder.name] = notebook
    for index, pack in enumerate(mutant_packs(assignment)):
        student = f"mutants{index:02d}"
        path = submitted / student / assignment.id / f"{assignment.id}.ipynb"
        submissions[student] = write_notebook(solved_notebook(assignment, answers=pack), path)
    for student, path in submissions.items():
        target = submitted / student / assignment.id / f"{assignment.id}.ipynb"
        if not target.exists():
            target.parent.mkdir(parents=True)
            target.write_bytes(path.read_bytes())

    def hidden_grader_passes() -> dict[str, set[int]]:
        results = grade_directory(submitted, tmp_path / "graded", progress=False)
        return {r.student: {ex.number for ex in r.exercises if ex.score >= ex.max_score} for r in results}

    theirs, ours = nbgrader_passes(tmp_path, assignment, submissions, meanwhile=hidden_grader_passes)
    disagreements = {s: (sorted(ours[s]), sorted(theirs[s])) for s in submissions if ours[s] != theirs[s]}
    assert not disagreements, f"(hidden grader, nbgrader) passes differ: {disagreements}"
