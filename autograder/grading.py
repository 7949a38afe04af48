"""Grade one submission, or a folder of them: plain functions the command line calls."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from autograder.course import Assignment, Exercise
from autograder.plugin import ExerciseRun, GradingPlugin, exercise_of_test, run_checks
from autograder.results import ExerciseResult, SubmissionResult
from autograder.sandbox import Job, run_job
from autograder.submission import SubmissionError, answer_cells, identify_assignment, read_notebook

DEFAULT_SEED = 0
EXERCISE_TIMEOUT = 60.0
SUBMISSION_TIMEOUT = 300.0
MEMORY_MB = 2048
_REFERENCE: dict[tuple[str, int, int], ExerciseRun] = {}


def exercise_cells(assignment: Assignment, exercise: Exercise, answers: list[str] | None) -> tuple:
    """The cells a child runs for one exercise: the instructor's notebook up to the exercise,
    demos and visible checks skipped, with the exercise's solution cells replaced by `answers`."""
    last = max(cell.index for cell in exercise.solutions)
    first = min(cell.index for cell in exercise.solutions)
    cells = []
    for cell in assignment.cells:
        if cell.index > last:
            break
        if cell.demo or cell.check:
            continue
        if cell in exercise.solutions and answers is not None:
            if cell.index == first:
                cells += [(src, f"your cell for exercise {exercise.number}", True) for src in answers]
            continue
        cells.append((cell.source, f"cell '{cell.grade_id}'", False))
    return tuple(cells)


def module_name(assignment: Assignment) -> str:
    return f"autograder.checks.test_{assignment.id}"


def run_exercise(
    assignment: Assignment,
    exercise: Exercise,
    answers: list[str] | None,
    seed: int,
    timeout: float,
    workdir: str,
    memory_mb: int = MEMORY_MB,
    visible: bool = False,
) -> tuple[ExerciseRun, float, str | None]:
    """Run one exercise's probes in a child; return the run, its seconds and the visible check's output."""
    job = Job(
        cells=exercise_cells(assignment, exercise, answers),
        check_module=module_name(assignment),
        exercise=exercise.number,
        seed=seed,
        workdir=workdir,
        memory_mb=memory_mb,
        visible_check=exercise.check.source if visible else None,
    )
    outcome = run_job(job, timeout)
    if outcome.payload is None:
        return ExerciseRun(error=outcome.error), outcome.seconds, None
    payload = outcome.payload
    if payload.get("cell_error"):
        return ExerciseRun(error=payload["cell_error"]), outcome.seconds, payload.get("visible")
    return ExerciseRun(probes=payload.get("probes", {})), outcome.seconds, payload.get("visible")


def reference_run(assignment: Assignment, exercise: Exercise, seed: int) -> ExerciseRun:
    """The instructor's solution, run the same way (cached per assignment, exercise and seed)."""
    key = (assignment.id, exercise.number, seed)
    if key not in _REFERENCE:
        with tempfile.TemporaryDirectory(prefix="autograder-ref-") as workdir:
            run, _, _ = run_exercise(assignment, exercise, None, seed, EXERCISE_TIMEOUT * 2, workdir)
        _REFERENCE[key] = run
    return _REFERENCE[key]


def score_exercises(
    assignment: Assignment, student: dict[int, ExerciseRun], seconds: dict[int, float], seed: int
) -> list[ExerciseResult]:
    """Run the hidden checks on the probe data and turn their outcomes into points."""
    reference = {ex.number: reference_run(assignment, ex, seed) for ex in assignment.exercises}
    plugin = GradingPlugin(module_name(assignment), student, reference)
    outcomes = run_checks(assignment.check_module, plugin)
    results = []
    for ex in assignment.exercises:
        checks = [c for name, c in outcomes.items() if exercise_of_test(name) == ex.number]
        passed = sum(c.passed for c in checks)
        score = round(ex.points * passed / len(checks), 4) if checks else 0.0
        message = "" if checks else "no hidden checks for this exercise"
        results.append(ExerciseResult(ex.number, ex.title, score, ex.points, checks, message, seconds.get(ex.number, 0.0)))
    return results


def grade_notebook(
    nb,
    path: Path,
    assignment: Assignment,
    seed: int = DEFAULT_SEED,
    exercise_timeout: float = EXERCISE_TIMEOUT,
    submission_timeout: float = SUBMISSION_TIMEOUT,
    memory_mb: int = MEMORY_MB,
    visible_for: frozenset[int] = frozenset(),
) -> tuple[list[ExerciseResult], dict[int, str | None]]:
    """Grade an already-read notebook; also return what the visible checks of `visible_for` printed."""
    student: dict[int, ExerciseRun] = {}
    visible: dict[int, str | None] = {}
    seconds: dict[int, float] = {}
    deadline = time.monotonic() + submission_timeout
    with tempfile.TemporaryDirectory(prefix="autograder-") as workdir:
        shutil.copy(path, Path(workdir) / path.name)
        for ex in assignment.exercises:
            answers = answer_cells(nb, assignment, ex)
            left = deadline - time.monotonic()
            if not answers:
                names = ", ".join(sorted(ex.names)) or ", ".join(ex.grade_ids)
                student[ex.number] = ExerciseRun(error=f"No answer found (looked for cell {ex.grade_ids[0]!r} or a definition of {names}).")
            elif left <= 0:
                student[ex.number] = ExerciseRun(error=f"Not graded: the submission's time limit of {submission_timeout:g} s was used up.")
            else:
                student[ex.number], seconds[ex.number], visible[ex.number] = run_exercise(
                    assignment, ex, answers, seed, min(exercise_timeout, left), workdir, memory_mb,
                    visible=ex.number in visible_for,
                )
        return score_exercises(assignment, student, seconds, seed), visible


def grade_submission(
    path: Path | str,
    seed: int = DEFAULT_SEED,
    exercise_timeout: float = EXERCISE_TIMEOUT,
    submission_timeout: float = SUBMISSION_TIMEOUT,
    memory_mb: int = MEMORY_MB,
    student: str | None = None,
) -> SubmissionResult:
    """Grade one notebook. Never raises for anything wrong with the submission."""
    path = Path(path)
    start = time.monotonic()
    student = student or path.stem
    try:
        nb = read_notebook(path)
        assignment = identify_assignment(nb, path)
    except SubmissionError as exc:
        return SubmissionResult(str(path), student, "", "error", error=str(exc), seed=seed)
    exercises, _ = grade_notebook(nb, path, assignment, seed, exercise_timeout, submission_timeout, memory_mb)
    return SubmissionResult(
        str(path), student, assignment.id, "graded", exercises, seed=seed, execution_time=time.monotonic() - start
    )


def find_submissions(folder: Path) -> list[tuple[str, Path]]:
    """(student, notebook) pairs: nbgrader's submitted/<student>/<assignment>/*.ipynb, or a flat folder."""
    found = []
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        rel = path.relative_to(folder)
        student = rel.parts[-3] if len(rel.parts) >= 3 else path.stem
        found.append((student, path))
    return found


def grade_directory(
    folder: Path | str,
    out: Path | str = "graded",
    seed: int = DEFAULT_SEED,
    exercise_timeout: float = EXERCISE_TIMEOUT,
    submission_timeout: float = SUBMISSION_TIMEOUT,
    memory_mb: int = MEMORY_MB,
    progress: bool = True,
) -> list[SubmissionResult]:
    """Grade every notebook under `folder`; write results.json and feedback.txt per submission and grades.csv."""
    from tqdm import tqdm

    from autograder.results import write_csv, write_json

    folder, out = Path(folder), Path(out)
    results = []
    for student, path in tqdm(find_submissions(folder), desc="grading", unit="nb", disable=not progress):
        result = grade_submission(path, seed, exercise_timeout, submission_timeout, memory_mb, student)
        target = out / student / (result.assignment or path.stem)
        write_json(target / "results.json", result.to_gradescope())
        (target / "feedback.txt").write_text(result.feedback())
        results.append(result)
    write_csv(out / "grades.csv", results)
    return results
