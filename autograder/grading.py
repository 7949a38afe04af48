"""Grade one submission, or a folder of them: plain functions the command line calls."""

from __future__ import annotations

import json
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path

from autograder import sandbox
from autograder.check_modules import check_module_of, load_full
from autograder.child import Job, Outcome, run_job
from autograder.course import KIT_ROOT, Assignment, Exercise, course_assignments, current_course
from autograder.plugin import ExerciseRun, GraderFault, GradingPlugin, call_checks, exercise_of_test, run_checks
from autograder.results import ExerciseResult, SubmissionResult
from autograder.submission import SubmissionError, answer_cells, identify_assignment, read_notebook

DEFAULT_SEED = 0
EXERCISE_TIMEOUT = 60.0
SUBMISSION_TIMEOUT = 300.0
MEMORY_MB = 2048
SCRATCH_MB = 64
DEFAULT_JOBS = max(1, len(os.sched_getaffinity(0)))
REFERENCE_ATTEMPTS = 3  # the instructor's run is retried when its child dies (it never runs student code)
_REFERENCE: dict[str, ExerciseRun] = {}  # by reference_key
_REFERENCE_LOCK = threading.Lock()
# identical answers give identical runs (same cells, same seed): keep the latest few thousand
_RUNS: OrderedDict[tuple, tuple[ExerciseRun, float, bool | None]] = OrderedDict()
_RUNS_LIMIT = 4096
_DENY: list[str] = []  # folders no child may read, besides the course (submissions, outputs)


def deny_reading(*folders: Path | str) -> None:
    """Add folders (submissions, outputs) that no child may read."""
    with _REFERENCE_LOCK:
        _DENY.extend(str(Path(f).resolve()) for f in folders if f)


def denied_folders(assignment: Assignment) -> tuple[str, ...]:
    """The course, the kit, the current folder and whatever `deny_reading` added."""
    course = current_course()
    folders = [assignment.course_root, course.root, KIT_ROOT, course.cache_dir, Path.cwd(), *_DENY]
    return tuple(dict.fromkeys(str(Path(f).resolve()) for f in folders))


class UidPool:
    """Unprivileged uids for children running at the same time (root only): each child has its own."""

    def __init__(self, first: int = sandbox.FIRST_UID):
        self.first, self.used, self.lock = first, set(), threading.Lock()

    def acquire(self) -> int:
        with self.lock:
            uid = self.first
            while uid in self.used:
                uid += 1
            self.used.add(uid)
            return uid

    def release(self, uid: int) -> None:
        with self.lock:
            self.used.discard(uid)


UIDS = UidPool()


def student_file(exercise: Exercise, part: int, parts: int) -> str:
    return f"<your cell for exercise {exercise.number}" + (f" (part {part})>" if parts > 1 else ">")


def stand_in_cells(assignment: Assignment, number: int) -> list[tuple[str, str, bool]]:
    """The check module's stand-ins for the functions of exercise `number`, as cells."""
    if not assignment.has_checks:
        return []
    module = check_module_of(assignment.check_module)
    return [(src, f"<stand-in for {name}>", False) for ex, name, src in module.stand_ins if ex == number]


def exercise_cells(assignment: Assignment, exercise: Exercise, answers: list[str] | None) -> tuple:
    """The cells a child runs for one exercise: the instructor's notebook up to the exercise, demos and visible
    checks skipped; the exercise's solution cells replaced by `answers` (None: the instructor's own); and the
    solution cells of every earlier exercise replaced by the checks' stand-ins, so that no child holds the
    solution of another exercise."""
    last = max(cell.index for cell in exercise.solutions)
    first = min(cell.index for cell in exercise.solutions)
    cells, replaced = [], set()
    for cell in assignment.cells:
        if cell.index > last:
            break
        if cell.demo or cell.check:
            continue
        if cell in exercise.solutions:
            if answers is None:
                cells.append((cell.source, f"<cell '{cell.grade_id}'>", False))
            elif cell.index == first:
                cells += [(src, student_file(exercise, i, len(answers)), True) for i, src in enumerate(answers, 1)]
            continue
        if cell.solution:
            owner = assignment.exercise_of_grade_id(cell.grade_id).number
            if owner not in replaced:
                replaced.add(owner)
                cells += stand_in_cells(assignment, owner)
            continue
        cells.append((cell.source, f"<cell '{cell.grade_id}'>", False))
    return tuple(cells)


def read_outcome(outcome: Outcome, job: Job, memory_mb: int) -> tuple[ExerciseRun, bool | None]:
    """The run a child's outcome stands for; nothing in the payload is trusted."""
    lines = {name: src.count("\n") + 1 for src, name, by_student in job.cells if by_student}
    if outcome.payload is None:
        return ExerciseRun(error=outcome.error, grader_fault=outcome.grader_fault), None
    payload = outcome.payload
    failed = payload.get("cell_error")
    if failed is not None:
        from autograder.feedback import describe_error

        index = failed.get("cell") if isinstance(failed, dict) else None
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(job.cells):
            return ExerciseRun(error="your code's process sent results that could not be read"), None
        source, name, by_student = job.cells[index]
        where = (
            name.strip("<>").capitalize() if by_student else f"The notebook's {name.strip('<>')} (run after your code)"
        )
        info = failed.get("error") if isinstance(failed.get("error"), dict) else {}
        text = describe_error(info, memory_mb, lines).replace(f" of {name.strip('<>')}", "")
        return ExerciseRun(error=f"{where} {text}", cell_lines=lines, memory_mb=memory_mb), None
    probes = payload.get("probes")
    if not isinstance(probes, dict):
        return ExerciseRun(error="your code's process sent results that could not be read"), None
    visible = payload.get("visible_ok") if isinstance(payload.get("visible_ok"), bool) else None
    return ExerciseRun(probes=probes, cell_lines=lines, memory_mb=memory_mb), visible


def run_exercise(
    assignment: Assignment,
    exercise: Exercise,
    answers: list[str] | None,
    seed: int,
    timeout: float,
    memory_mb: int = MEMORY_MB,
    visible: bool = False,
) -> tuple[ExerciseRun, float, bool | None]:
    """Run one exercise's probes in a confined child; return the run, its seconds and the visible verdict."""
    module = check_module_of(assignment.check_module)
    plan = sandbox.plan()
    uid = UIDS.acquire() if plan.drops_uid else None
    deny = denied_folders(assignment)
    spec = sandbox.Spec(
        memory_mb=memory_mb,
        scratch_mb=SCRATCH_MB,
        uid=uid,
        scratch=scratch_folder(plan, uid),
        deny=deny,
        readable=sandbox.readable_paths(deny) if plan.landlock_abi else (),
        seccomp=sandbox.seccomp_program() if plan.seccomp else b"",
    )
    job = Job(
        cells=exercise_cells(assignment, exercise, answers),
        check_module=module.name,
        probe_source=module.probe_source,
        exercise=exercise.number,
        seed=seed,
        spec=spec,
        visible_check=exercise.check.source if visible else None,
        reference=answers is None,
    )
    try:
        outcome = run_job(job, timeout, plan)
    finally:
        release_child(plan, spec)
    run, verdict = read_outcome(outcome, job, memory_mb)
    return run, outcome.seconds, verdict


def scratch_folder(plan: sandbox.Plan, uid: int | None) -> str:
    """Where a child may write: the temp folder, hidden under a private tmpfs; without a mount namespace,
    a fresh folder of its own (owned by its uid)."""
    import tempfile

    if plan.enabled and plan.has("mountns"):
        return tempfile.gettempdir()
    folder = tempfile.mkdtemp(prefix="autograder-scratch-")
    if uid is not None:
        os.chown(folder, uid, sandbox.NOBODY_GID)
    return folder


def release_child(plan: sandbox.Plan, spec: sandbox.Spec) -> None:
    """After a child: kill whatever its uid left behind (no PID namespace), remove a plain scratch folder."""
    import shutil

    if spec.uid is not None:
        if not plan.has("pidns"):
            from autograder.forkserver import fork_context

            reaper = fork_context().Process(target=sandbox.kill_uid, args=(spec.uid,), name="autograder-child-reaper")
            reaper.start()
            reaper.join(10)
        UIDS.release(spec.uid)
    if not (plan.enabled and plan.has("mountns")):
        shutil.rmtree(spec.scratch, ignore_errors=True)


def cached_run(
    assignment: Assignment,
    exercise: Exercise,
    answers: list[str],
    seed: int,
    timeout: float,
    memory_mb: int,
    visible: bool,
) -> tuple[ExerciseRun, float, bool | None]:
    """`run_exercise`, reusing the run of identical answers (a run that timed out or failed to start is not)."""
    key = (assignment.id, exercise.number, seed, tuple(answers), memory_mb, visible)
    with _REFERENCE_LOCK:
        if key in _RUNS:
            _RUNS.move_to_end(key)
            return _RUNS[key]
    outcome = run_exercise(assignment, exercise, answers, seed, timeout, memory_mb, visible=visible)
    if outcome[0].grader_fault:  # the sandbox failed to start: once more
        outcome = run_exercise(assignment, exercise, answers, seed, timeout, memory_mb, visible=visible)
    if not (outcome[0].error or "").startswith("timed out") and not outcome[0].grader_fault:
        with _REFERENCE_LOCK:
            _RUNS[key] = outcome
            while len(_RUNS) > _RUNS_LIMIT:
                _RUNS.popitem(last=False)
    return outcome


REFERENCE_FORMAT = 1  # bump when what a reference run stores changes


def reference_key(assignment: Assignment, exercise: Exercise, seed: int) -> str:
    """A digest of everything a reference run depends on: the cells the child runs (given, solution and
    stand-in cells), the check module, the seed, and the versions of torch, Python and the grader."""
    import hashlib
    import sys

    import torch

    from autograder import __version__

    parts = [
        json.dumps(exercise_cells(assignment, exercise, None)),
        assignment.check_module.read_text() if assignment.has_checks else "",
        str(seed),
        torch.__version__,
        sys.version,
        __version__,
        str(REFERENCE_FORMAT),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def reference_cache_file(assignment: Assignment, exercise: Exercise, seed: int) -> Path:
    """Where the reference run of one exercise and seed is kept: in the course folder, which no child can read."""
    folder = Path(assignment.course_root) / ".autograder-cache" / "reference"
    return folder / f"{assignment.id}-ex{exercise.number}-seed{seed}.json"


def load_reference(path: Path, key: str) -> dict | None:
    """A cached reference payload whose key matches, else None (a stale or broken cache is never used)."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("payload"), str):
        return None
    from autograder.payload import PayloadError, decode

    try:
        payload = decode(data["payload"].encode())
    except PayloadError:
        return None
    return payload if isinstance(payload, dict) and isinstance(payload.get("probes"), dict) else None


def save_reference(path: Path, key: str, payload: dict) -> None:
    """Keep a reference payload (written atomically; a folder that cannot be written is simply not used)."""
    from autograder.payload import encode

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps({"key": key, "payload": encode(payload).decode()}))
        os.replace(tmp, path)
    except OSError:
        pass


NO_CACHE_ENV = "AUTOGRADER_NO_CACHE"  # "1": never read or write the reference cache on disk (`--no-cache`)


def use_disk_cache() -> bool:
    return os.environ.get(NO_CACHE_ENV, "") != "1"


def warm_reference_cache(assignments: list[Assignment], seed: int = DEFAULT_SEED) -> int:
    """Run (or read) the reference of every exercise, so that it is on disk; the number of exercises."""
    from concurrent.futures import ThreadPoolExecutor

    work = [(a, ex) for a in assignments for ex in a.exercises]
    with ThreadPoolExecutor(max_workers=DEFAULT_JOBS) as pool:
        runs = list(pool.map(lambda item: reference_run(*item, seed), work))
    failed = [f"{a.id} exercise {ex.number}: {run.error}" for (a, ex), run in zip(work, runs, strict=True) if run.error]
    if failed:
        raise GraderFault("the instructor's solution failed: " + "; ".join(failed))
    return len(work)


def reference_run(assignment: Assignment, exercise: Exercise, seed: int) -> ExerciseRun:
    """The instructor's solution, run the same way: kept in memory and on disk per exercise and seed (keyed on
    everything it depends on), and retried when its child dies, since it runs no student code."""
    digest = reference_key(assignment, exercise, seed)
    with _REFERENCE_LOCK:
        cached = _REFERENCE.get(digest)
    if cached is not None:
        return cached
    path = reference_cache_file(assignment, exercise, seed)
    payload = load_reference(path, digest) if use_disk_cache() else None
    if payload is not None:
        cached = ExerciseRun(probes=payload["probes"])
    else:
        for _ in range(REFERENCE_ATTEMPTS):
            cached, _, _ = run_exercise(assignment, exercise, None, seed, EXERCISE_TIMEOUT * 2)
            if cached.error is None:
                break
        if cached.error is None and use_disk_cache():
            save_reference(path, digest, {"cell_error": None, "probes": cached.probes})
    with _REFERENCE_LOCK:
        _REFERENCE[digest] = cached
    return cached


def score_exercises(
    assignment: Assignment,
    student: dict[int, ExerciseRun],
    seconds: dict[int, float],
    seed: int,
    under_pytest: bool = False,
) -> list[ExerciseResult]:
    """Run the hidden checks on the probe data (under pytest, or by direct calls) and score them: an
    exercise's points times the weighted share of its checks that pass."""
    reference = {ex.number: reference_run(assignment, ex, seed) for ex in assignment.exercises}
    module = load_full(assignment.check_module)
    plugin = GradingPlugin(module.__name__, student, reference)
    if under_pytest:
        outcomes = run_checks(assignment.check_module, plugin)
    else:
        outcomes = call_checks(module.__name__, plugin)
    results = []
    for ex in assignment.exercises:
        checks = [c for name, c in outcomes.items() if exercise_of_test(name) == ex.number]
        total = sum(c.weight for c in checks)
        passed = sum(c.weight for c in checks if c.passed)
        score = round(ex.points * passed / total, 2) if total else 0.0
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
) -> tuple[list[ExerciseResult], dict[int, bool | None], float]:
    """Grade an already-read notebook, `workers` exercises at a time.

    Returns the exercise results, whether the visible checks of `visible_for` passed, and the seconds
    the hidden checks took in this process.
    """
    from concurrent.futures import ThreadPoolExecutor

    deadline = time.monotonic() + submission_timeout
    deny_reading(path.parent)

    def run_one(ex: Exercise) -> tuple[ExerciseRun, float, bool | None]:
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
        return cached_run(assignment, ex, answers, seed, timeout, memory_mb, ex.number in visible_for)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        if workers > 1:  # the instructor's runs go alongside the student's
            for ex in assignment.exercises:
                pool.submit(reference_run, assignment, ex, seed)
        runs = dict(zip(assignment.exercises, pool.map(run_one, assignment.exercises), strict=True))
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
    if not assignment.has_checks:
        missing = f"not graded: the course has no hidden checks for {assignment.id} yet ({assignment.check_module} is missing)"
        return SubmissionResult(str(path), student, assignment.id, "error", error=missing, seed=seed)
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
        sandbox=sandbox.plan().describe(),
    )


def find_submissions(folder: Path) -> list[tuple[str, Path]]:
    """(student, notebook) pairs: nbgrader's submitted/<student>/<assignment>/*.ipynb, or a flat folder.

    Checkpoints and other hidden folders are left out; so are the nbgrader outputs `autograded/` and `feedback/`.
    """
    found = []
    for path in sorted(Path(folder).rglob("*.ipynb")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") or part in ("autograded", "feedback") for part in rel.parts[:-1]):
            continue
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


def write_batch(
    results: list[SubmissionResult],
    out: Path,
    shard: tuple[int, int] | None = None,
    total: int | None = None,
    missing_shards: list[int] | None = None,
) -> list[Path]:
    """Write each submission's results.json and feedback.txt, nbgrader's autograded notebooks
    (autograded/<student>/<assignment>/<notebook>.ipynb), the class CSV, run.json (for merging: the shard, the
    number of notebooks in the whole folder, the results), JUnit XML and GitHub Classroom's runner JSON.
    Returns the class-wide files written."""
    from autograder.gradebook import write_autograded
    from autograder.reports import write_classroom, write_junit
    from autograder.results import write_csv, write_json

    for result in results:
        target = out / result.student / (result.assignment or Path(result.path).stem)
        write_json(target / "results.json", result.to_gradescope())
        (target / "feedback.txt").write_text(result.feedback())
    write_autograded(results, out / "autograded")
    write_csv(out / "grades.csv", results)
    run = {"shard": list(shard) if shard else None, "total": total, "submissions": [r.to_dict() for r in results]}
    if missing_shards:
        run["missing_shards"] = missing_shards
    write_json(out / "run.json", run)
    write_junit(out / "junit.xml", results)
    write_classroom(out / "classroom.json", results)
    return [out / name for name in ("grades.csv", "run.json", "junit.xml", "classroom.json", "autograded")]


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
    deny_reading(folder, out)
    everything = find_submissions(folder)
    work = select_shard(everything, shard)

    def grade(item: tuple[str, Path]) -> SubmissionResult:
        student, path = item
        try:
            return grade_submission(path, seed, exercise_timeout, submission_timeout, memory_mb, student)
        except GraderFault as exc:  # the course's fault, not the student's: say so, and go on with the class
            return SubmissionResult(
                str(path), student, path.parent.name, "error", error=f"grader error: {exc}", seed=seed
            )

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(tqdm(pool.map(grade, work), total=len(work), desc="grading", unit="nb", disable=not progress))
    write_batch(results, out, shard=shard, total=len(everything))
    return results


def merge_runs(folders: list[Path | str], out: Path | str) -> list[SubmissionResult]:
    """Merge the run.json of several shard outputs into one batch output.

    Raises ValueError for a folder without run.json, a shard given twice, a submission in two shards, or
    shards of different runs. Missing shards are merged around and listed in run.json (`missing_shards`).
    """
    import json

    from autograder.results import SubmissionResult

    results, seen, shards, counts, totals = [], {}, {}, set(), set()
    for folder in folders:
        path = Path(folder) / "run.json"
        if not path.is_file():
            raise ValueError(f"{folder}: no run.json (not the output folder of `autograder grade DIR`)")
        try:
            data = json.loads(path.read_text())
            items = [SubmissionResult.from_dict(item) for item in data["submissions"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: not a run.json of `autograder grade DIR` ({type(exc).__name__})") from None
        shard, total = data.get("shard"), data.get("total")
        if shard:
            index, count = shard
            if index in shards:
                raise ValueError(f"shard {index}/{count} given twice: {shards[index]} and {folder}")
            shards[index] = folder
            counts.add(count)
        totals.add(total)
        for result in items:
            key = (result.student, result.path)
            if key in seen:
                raise ValueError(f"{result.student}: {result.path} is in both {seen[key]} and {folder}")
            seen[key] = folder
        results += items
    if len(counts) > 1 or len(totals) > 1:
        raise ValueError("these shards come from different runs (their shard counts or folder sizes differ)")
    count = counts.pop() if counts else None
    missing = sorted(set(range(1, count + 1)) - set(shards)) if count else []
    results.sort(key=lambda r: (r.student, r.assignment, r.path))
    write_batch(results, Path(out), total=totals.pop() if totals else None, missing_shards=missing)
    return results


def clear_cache(disk: bool = True) -> None:
    """Forget cached student and reference runs, in memory and (with `disk`) in the course's cache folder.

    Never needed for correctness (a cache whose key does not match is not used); for instructors who want the
    reference runs computed afresh."""
    import shutil

    with _REFERENCE_LOCK:
        _RUNS.clear()
        _REFERENCE.clear()
    if disk:
        shutil.rmtree(current_course().cache_dir, ignore_errors=True)
