"""Grade one submission, or a folder of them: plain functions the command line calls."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from functools import cache
from pathlib import Path

from autograder.course import Assignment, Exercise, course_assignments, solution_only_lines
from autograder.plugin import ExerciseRun, GradingPlugin, call_checks, exercise_of_test, run_checks
from autograder.results import ExerciseResult, SubmissionResult
from autograder.sandbox import Job, run_job
from autograder.submission import SubmissionError, answer_cells, identify_assignment, read_notebook

DEFAULT_SEED = 0
EXERCISE_TIMEOUT = 60.0
SUBMISSION_TIMEOUT = 300.0
MEMORY_MB = 2048
DEFAULT_JOBS = max(1, len(os.sched_getaffinity(0)))
_REFERENCE: dict[tuple[str, int, int], ExerciseRun] = {}
_REFERENCE_LOCK = threading.Lock()
# identical answers give identical runs (same cells, same seed): keep the latest few thousand
_RUNS: OrderedDict[tuple, tuple[ExerciseRun, float, str | None]] = OrderedDict()
_RUNS_LIMIT = 4096


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
    seconds = float(payload.get("seconds", outcome.seconds))
    if payload.get("cell_error"):
        return ExerciseRun(error=payload["cell_error"]), seconds, payload.get("visible")
    return ExerciseRun(probes=payload.get("probes", {})), seconds, payload.get("visible")


def cached_run(
    assignment: Assignment,
    exercise: Exercise,
    answers: list[str],
    seed: int,
    timeout: float,
    workdir: str,
    memory_mb: int,
    visible: bool,
) -> tuple[ExerciseRun, float, str | None]:
    """`run_exercise`, reusing the run of identical answers (a run that timed out is not reused)."""
    key = (assignment.id, exercise.number, seed, tuple(answers), memory_mb, visible)
    with _REFERENCE_LOCK:
        if key in _RUNS:
            _RUNS.move_to_end(key)
            return _RUNS[key]
    outcome = run_exercise(assignment, exercise, answers, seed, timeout, workdir, memory_mb, visible=visible)
    if not (outcome[0].error or "").startswith("timed out"):
        with _REFERENCE_LOCK:
            _RUNS[key] = outcome
            while len(_RUNS) > _RUNS_LIMIT:
                _RUNS.popitem(last=False)
    return outcome


def reference_run(assignment: Assignment, exercise: Exercise, seed: int) -> ExerciseRun:
    """The instructor's solution, run the same way (cached per assignment, exercise and seed)."""
    key = (assignment.id, exercise.number, seed)
    with _REFERENCE_LOCK:
        cached = _REFERENCE.get(key)
    if cached is None:
        with tempfile.TemporaryDirectory(prefix="autograder-ref-") as workdir:
            cached, _, _ = run_exercise(assignment, exercise, None, seed, EXERCISE_TIMEOUT * 2, workdir)
        with _REFERENCE_LOCK:
            _REFERENCE[key] = cached
    return cached


SECRET_MIN_LENGTH = 12  # shorter lines ("return loss") are too common to count as quoting


@cache
def secret_lines(assignment: Assignment) -> frozenset[str]:
    """Lines a student must never see: the hidden checks' source and the lines only solutions contain."""
    lines = solution_only_lines([(cell.source, cell.solution) for cell in assignment.cells])
    if assignment.check_module.exists():
        lines |= {line.strip() for line in assignment.check_module.read_text().splitlines()}
    return frozenset(line for line in lines if len(line) >= SECRET_MIN_LENGTH)


def score_exercises(
    assignment: Assignment,
    student: dict[int, ExerciseRun],
    seconds: dict[int, float],
    seed: int,
    under_pytest: bool = False,
) -> list[ExerciseResult]:
    """Run the hidden checks on the probe data (under pytest, or by direct calls) and score them."""
    reference = {ex.number: reference_run(assignment, ex, seed) for ex in assignment.exercises}
    plugin = GradingPlugin(module_name(assignment), student, reference, secrets=secret_lines(assignment))
    if under_pytest:
        outcomes = run_checks(assignment.check_module, plugin)
    else:
        outcomes = call_checks(module_name(assignment), plugin)
    results = []
    for ex in assignment.exercises:
        checks = [c for name, c in outcomes.items() if exercise_of_test(name) == ex.number]
        passed = sum(c.passed for c in checks)
        score = round(ex.points * passed / len(checks), 2) if checks else 0.0
        message = "" if checks else "no hidden checks for this exercise"
        results.append(
            ExerciseResult(ex.number, ex.title, score, ex.points, checks, message, seconds.get(ex.number, 0.0))
        )
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
    under_pytest: bool = False,
    workers: int = 1,
) -> tuple[list[ExerciseResult], dict[int, str | None], float]:
    """Grade an already-read notebook, `workers` exercises at a time.

    Returns the exercise results, what the visible checks of `visible_for` printed, and the seconds
    the hidden checks took in this process.
    """
    from concurrent.futures import ThreadPoolExecutor

    deadline = time.monotonic() + submission_timeout

    def run_one(ex: Exercise, workdir: str) -> tuple[ExerciseRun, float, str | None]:
        answers = answer_cells(nb, assignment, ex)
        left = deadline - time.monotonic()
        if not answers:
            names = ", ".join(sorted(ex.names)) or ", ".join(ex.grade_ids)
            message = f"No answer found (looked for cell {ex.grade_ids[0]!r} or a definition of {names})."
            return ExerciseRun(error=message), 0.0, None
        if left <= 0:
            message = f"Not graded: the submission's time limit of {submission_timeout:g} s was used up."
            return ExerciseRun(error=message), 0.0, None
        timeout = min(exercise_timeout, left)
        return cached_run(assignment, ex, answers, seed, timeout, workdir, memory_mb, ex.number in visible_for)

    with tempfile.TemporaryDirectory(prefix="autograder-") as workdir:
        shutil.copy(path, Path(workdir) / path.name)
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            if workers > 1:  # the instructor's runs go alongside the student's
                for ex in assignment.exercises:
                    pool.submit(reference_run, assignment, ex, seed)
            runs = dict(
                zip(assignment.exercises, pool.map(lambda ex: run_one(ex, workdir), assignment.exercises), strict=True)
            )
    student = {ex.number: run for ex, (run, _, _) in runs.items()}
    seconds = {ex.number: s for ex, (_, s, _) in runs.items()}
    visible = {ex.number: v for ex, (_, _, v) in runs.items()}
    start = time.monotonic()
    results = score_exercises(assignment, student, seconds, seed, under_pytest)
    return results, visible, time.monotonic() - start


def grade_submission(
    path: Path | str,
    seed: int = DEFAULT_SEED,
    exercise_timeout: float = EXERCISE_TIMEOUT,
    submission_timeout: float = SUBMISSION_TIMEOUT,
    memory_mb: int = MEMORY_MB,
    student: str | None = None,
    under_pytest: bool = False,
    workers: int = 1,
) -> SubmissionResult:
    """Grade one notebook. Never raises for anything wrong with the submission."""
    path = Path(path)
    start = time.monotonic()
    student = student or path.stem
    try:
        nb = read_notebook(path)
        assignment = identify_assignment(nb, path)
    except SubmissionError as exc:
        known = {a.id for a in course_assignments()}
        assignment_id = path.parent.name if path.parent.name in known else ""  # nbgrader's layout names it
        return SubmissionResult(str(path), student, assignment_id, "error", error=str(exc), seed=seed)
    exercises, _, check_seconds = grade_notebook(
        nb,
        path,
        assignment,
        seed,
        exercise_timeout,
        submission_timeout,
        memory_mb,
        under_pytest=under_pytest,
        workers=workers,
    )
    elapsed = time.monotonic() - start
    return SubmissionResult(
        str(path),
        student,
        assignment.id,
        "graded",
        exercises,
        seed=seed,
        execution_time=elapsed,
        check_seconds=check_seconds,
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


def select_shard(items: list, shard: tuple[int, int] | None) -> list:
    """Shard i of n (1-based): every n-th item starting at the i-th, so shards are disjoint and cover all."""
    if shard is None:
        return items
    index, count = shard
    if not 1 <= index <= count:
        raise ValueError(f"shard {index}/{count}: the index must be between 1 and {count}")
    return items[index - 1 :: count]


def write_batch(results: list[SubmissionResult], out: Path) -> None:
    """Write each submission's results.json and feedback.txt, the class CSV and run.json (for merging),
    and the whole run as JUnit XML (junit.xml) and GitHub Classroom's runner JSON (classroom.json)."""
    from autograder.reports import write_classroom, write_junit
    from autograder.results import write_csv, write_json

    for result in results:
        target = out / result.student / (result.assignment or Path(result.path).stem)
        write_json(target / "results.json", result.to_gradescope())
        (target / "feedback.txt").write_text(result.feedback())
    write_csv(out / "grades.csv", results)
    write_json(out / "run.json", {"submissions": [r.to_dict() for r in results]})
    write_junit(out / "junit.xml", results)
    write_classroom(out / "classroom.json", results)


def grade_directory(
    folder: Path | str,
    out: Path | str = "graded",
    seed: int = DEFAULT_SEED,
    exercise_timeout: float = EXERCISE_TIMEOUT,
    submission_timeout: float = SUBMISSION_TIMEOUT,
    memory_mb: int = MEMORY_MB,
    progress: bool = True,
    shard: tuple[int, int] | None = None,
    jobs: int = DEFAULT_JOBS,
) -> list[SubmissionResult]:
    """Grade every notebook under `folder` (or one shard of them) with `jobs` submissions at a time."""
    from concurrent.futures import ThreadPoolExecutor

    from tqdm import tqdm

    folder, out = Path(folder), Path(out)
    work = select_shard(find_submissions(folder), shard)

    def grade(item: tuple[str, Path]) -> SubmissionResult:
        student, path = item
        return grade_submission(path, seed, exercise_timeout, submission_timeout, memory_mb, student)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(tqdm(pool.map(grade, work), total=len(work), desc="grading", unit="nb", disable=not progress))
    write_batch(results, out)
    return results


def merge_runs(folders: list[Path | str], out: Path | str) -> list[SubmissionResult]:
    """Merge the run.json of several shard outputs into one batch output."""
    import json

    from autograder.results import SubmissionResult

    results = []
    for folder in folders:
        data = json.loads((Path(folder) / "run.json").read_text())
        results += [SubmissionResult.from_dict(item) for item in data["submissions"]]
    results.sort(key=lambda r: (r.student, r.assignment, r.path))
    write_batch(results, Path(out))
    return results


def clear_cache() -> None:
    """Forget cached student and reference runs (after the checks or source/ changed)."""
    with _REFERENCE_LOCK:
        _RUNS.clear()
        _REFERENCE.clear()
