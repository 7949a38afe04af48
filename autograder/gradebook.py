"""Scores into nbgrader's gradebook, so that the formgrader and `nbgrader export` show them.

`record_results` mirrors what `nbgrader autograde` leaves in the database: the assignment, its notebook,
a grade cell per `test_exerciseN` check cell (max_score = the cell's points in source/), a solution cell
per answer cell, and per submission the student, the submitted assignment and notebook, a Grade per grade
cell with `auto_score` set, and a Comment per solution cell (the exercise's feedback, as `auto_comment`).

A submission that could not be graded is recorded as such, not as 0: its grades get `auto_score` None and
`needs_manual_grade` True, the submitted notebook is flagged, and the reason is the auto comment. The
formgrader lists it as needing manual grading and flagged. nbgrader's own CSV exporter cannot tell it apart:
`nbgrader export` writes raw_score 0.0 and score 0.0 for it (a Grade without scores counts as 0 there), the
same as for a student who submitted nothing. `nbgrader export --exporter autograder.gradebook.StatusCsvExportPlugin`
writes the same columns plus `status` ("graded", "needs manual grade", "not submitted") and leaves the
scores of an ungraded submission empty.

Each submission is written in one transaction, retried when another writer gets in the way: two batch runs
writing at once race on the unique constraints (students, submissions, cells) and, on sqlite, on the one
write lock ("database is locked"). Re-running updates the rows; it never duplicates them.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import random
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from autograder.course import Assignment, course_assignments
from autograder.results import SubmissionResult

DEFAULT_DB_URL = "sqlite:///gradebook.db"
NBGRADER_SCHEMA = 3
CELL_TYPES = ("code", "markdown", "raw")
DEFAULT_COURSE_ID = "default_course"
RETRIES = 12
UNGRADABLE = "Could not be graded: "

T = TypeVar("T")


@dataclass
class Recorded:
    """What `record_results` wrote: 'student/assignment' labels, and what it could not place, with why."""

    graded: list[str] = field(default_factory=list)
    ungradable: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


# What another writer getting in first looks like: a unique constraint (a student, submission or cell
# inserted by the other run), sqlite's one write lock, PostgreSQL's deadlock and serialization failures,
# and, while both create a fresh database, a table or type that the other just created.
RACE_MESSAGES = (
    "unique constraint",
    "duplicate key",
    "database is locked",
    "database table is locked",
    "deadlock detected",
    "could not serialize",
    "already exists",
)


class GradebookError(Exception):
    """The gradebook cannot be opened or written; the message is one line and hides the password."""


def shown_url(db_url: str) -> str:
    """The URL with its password replaced by ***."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except ArgumentError:
        return db_url


def first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def check_database(db_url: str) -> None:
    """Raise GradebookError unless `db_url` names a database this process can connect to (and, for sqlite,
    a folder it can create the file in): a wrong URL, driver, host or password is found before grading."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

    try:
        url = make_url(db_url)
    except ArgumentError:
        raise GradebookError(f"{db_url!r} is not a database URL (e.g. sqlite:///gradebook.db)") from None
    shown = url.render_as_string(hide_password=True)
    if url.drivername.startswith("postgresql") and url.drivername in ("postgresql", "postgresql+psycopg"):
        if importlib.util.find_spec("psycopg") is None:
            raise GradebookError(
                f"{shown}: the psycopg (version 3) driver is not installed; write postgresql+psycopg2://"
            )
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        folder = Path(url.database).resolve().parent
        if not folder.is_dir():
            raise GradebookError(f"{shown}: the folder {folder} does not exist")
    try:
        engine = create_engine(url)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise GradebookError(f"{shown}: {first_line(exc)}") from None
    try:
        with engine.connect():
            pass
    except SQLAlchemyError as exc:
        raise GradebookError(f"cannot open the gradebook {shown}: {first_line(exc)}") from None
    finally:
        engine.dispose()


def _database_errors() -> tuple[type[Exception], ...]:
    from nbgrader.api import InvalidEntry
    from sqlalchemy.exc import DBAPIError

    return (DBAPIError, InvalidEntry)  # nbgrader's InvalidEntry wraps the DBAPIError while it sets up a database


def is_race(exc: Exception) -> bool:
    """Whether running the transaction again can succeed (a wrong URL or password cannot)."""
    from sqlalchemy.exc import IntegrityError

    return isinstance(exc, IntegrityError) or any(m in str(exc).lower() for m in RACE_MESSAGES)


def _backoff(attempt: int) -> None:
    time.sleep(min(2.0, 0.02 * 2**attempt) * (0.5 + random.random()))


def alembic_head() -> str:
    """nbgrader's schema revision, read in-process from its alembic scripts."""
    import nbgrader
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(nbgrader.__file__).parent / "alembic"))
    return ScriptDirectory.from_config(config).get_current_head()


@contextmanager
def _alembic_in_process():
    """When nbgrader creates a database it runs the `alembic` command: 3 s, and only when it is on PATH
    (it is not when `.venv/bin/autograder` runs outside the venv). Give it the same answer in-process."""
    import nbgrader.api

    original = nbgrader.api.get_alembic_version
    nbgrader.api.get_alembic_version = alembic_head
    try:
        yield
    finally:
        nbgrader.api.get_alembic_version = original


def open_gradebook(db_url: str = DEFAULT_DB_URL, course_id: str = DEFAULT_COURSE_ID, retries: int = RETRIES):
    """nbgrader's Gradebook, retried while another process is creating the same database's tables."""
    from nbgrader.api import Gradebook
    from sqlalchemy import inspect, text

    if db_url.startswith("postgresql://") and importlib.util.find_spec("psycopg") is None:
        raise ValueError(
            "SQLAlchemy reads postgresql:// as the psycopg (version 3) driver, which is not installed; "
            "write the URL as postgresql+psycopg2://..."
        )
    for attempt in range(retries):
        try:
            with _alembic_in_process():
                gb = Gradebook(db_url, course_id=course_id)
        except _database_errors() as exc:
            gc.collect()  # the half-built Gradebook's session: roll back its connection now, not someday
            if attempt == retries - 1 or not is_race(exc):
                raise
            _backoff(attempt)
            continue
        try:
            # Two processes creating a fresh database can both see tables and skip nbgrader's
            # alembic_version row; `nbgrader db upgrade` needs it.
            if "alembic_version" not in inspect(gb.engine).get_table_names():
                gb.db.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
                gb.db.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": alembic_head()})
                gb.db.commit()
        except _database_errors():
            gb.db.rollback()  # the other process wrote it
        return gb
    raise AssertionError("unreachable")


def in_transaction(gb, work: Callable[[object], T], retries: int = RETRIES) -> T:
    """Run `work(session)` and commit; on a race, roll back and run it again from the start."""
    session = gb.db
    for attempt in range(retries):
        try:
            value = work(session)
            session.commit()
            return value
        except _database_errors() as exc:
            session.rollback()
            if attempt == retries - 1 or not is_race(exc):
                raise
            _backoff(attempt)
    raise AssertionError("unreachable")


def get_or_create(session, model, defaults: dict | None = None, **keys):
    """The row of `model` with these keys, created (and flushed) when missing."""
    row = session.query(model).filter_by(**keys).one_or_none()
    if row is None:
        row = model(**keys, **(defaults or {}))
        session.add(row)
        session.flush()
    return row


def notebook_name(assignment: Assignment) -> str:
    return assignment.path.stem


@dataclass(frozen=True)
class Layout:
    """The database ids of one assignment's rows, looked up once per run."""

    assignment_id: str
    notebook_id: str
    checks: dict[str, str]  # test_exerciseN -> grade cell id
    solutions: dict[str, str]  # solution cell grade_id -> solution cell id
    graded_cells: tuple[str, ...]  # every grade and task cell: each submission gets a Grade for each
    commented_cells: tuple[str, ...]  # every solution and task cell: each submission gets a Comment for each


def ensure_assignment(session, assignment: Assignment, course_id: str = DEFAULT_COURSE_ID) -> Layout:
    """The assignment, its notebook, a grade cell per check cell and a solution cell per answer cell."""
    from nbgrader.api import Assignment as DbAssignment
    from nbgrader.api import Course, GradeCell, Notebook, SolutionCell, TaskCell

    get_or_create(session, Course, id=course_id)
    db_assignment = get_or_create(session, DbAssignment, name=assignment.id, defaults={"course_id": course_id})
    notebook = get_or_create(session, Notebook, name=notebook_name(assignment), assignment_id=db_assignment.id)
    grade_cells = {c.name: c for c in session.query(GradeCell).filter_by(notebook_id=notebook.id)}
    solution_cells = {c.name: c for c in session.query(SolutionCell).filter_by(notebook_id=notebook.id)}
    for ex in assignment.exercises:
        cell = grade_cells.get(ex.check.grade_id)
        if cell is None:
            cell = grade_cells[ex.check.grade_id] = GradeCell(name=ex.check.grade_id, notebook_id=notebook.id)
            session.add(cell)
        cell.max_score, cell.cell_type = ex.points, "code"
        for solution in ex.solutions:
            if solution.grade_id not in solution_cells:
                solution_cells[solution.grade_id] = SolutionCell(name=solution.grade_id, notebook_id=notebook.id)
                session.add(solution_cells[solution.grade_id])
    session.flush()
    tasks = [c.id for c in session.query(TaskCell).filter_by(notebook_id=notebook.id)]
    return Layout(
        assignment_id=db_assignment.id,
        notebook_id=notebook.id,
        checks={ex.check.grade_id: grade_cells[ex.check.grade_id].id for ex in assignment.exercises},
        solutions={name: cell.id for name, cell in solution_cells.items()},
        graded_cells=(*(c.id for c in grade_cells.values()), *tasks),
        commented_cells=(*(c.id for c in solution_cells.values()), *tasks),
    )


def _timestamp(result: SubmissionResult) -> datetime | None:
    """nbgrader's submitted/<student>/<assignment>/timestamp.txt, when there is one."""
    from nbgrader.utils import parse_utc

    stamp = Path(result.path).parent / "timestamp.txt"
    try:
        return parse_utc(stamp.read_text().strip()) if stamp.is_file() else None
    except (OSError, ValueError):
        return None


def record_submission(session, result: SubmissionResult, assignment: Assignment, layout: Layout) -> None:
    """Write one submission's grades and comments (in the caller's transaction)."""
    from nbgrader.api import Comment, Grade, Student, SubmittedAssignment, SubmittedNotebook

    get_or_create(session, Student, id=result.student)
    submission = get_or_create(
        session, SubmittedAssignment, assignment_id=layout.assignment_id, student_id=result.student
    )
    stamp = _timestamp(result)
    if stamp is not None:
        submission.timestamp = stamp
    submitted = get_or_create(session, SubmittedNotebook, notebook_id=layout.notebook_id, assignment_id=submission.id)

    # Every grade or task cell gets a Grade and every solution or task cell a Comment, as nbgrader's
    # add_submission does, so the formgrader finds them all.
    grades = {g.cell_id: g for g in session.query(Grade).filter_by(notebook_id=submitted.id)}
    comments = {c.cell_id: c for c in session.query(Comment).filter_by(notebook_id=submitted.id)}
    for cell_id in layout.graded_cells:
        if cell_id not in grades:
            grades[cell_id] = Grade(cell_id=cell_id, notebook_id=submitted.id, needs_manual_grade=True)
            session.add(grades[cell_id])
    for cell_id in layout.commented_cells:
        if cell_id not in comments:
            comments[cell_id] = Comment(cell_id=cell_id, notebook_id=submitted.id)
            session.add(comments[cell_id])

    ours = [grades[layout.checks[ex.check.grade_id]] for ex in assignment.exercises]
    was_ungradable = all(g.auto_score is None and g.needs_manual_grade for g in ours)
    scored = {ex.number: ex for ex in result.exercises} if result.status != "error" else {}
    for ex in assignment.exercises:
        grade = grades[layout.checks[ex.check.grade_id]]
        graded = scored.get(ex.number)
        if graded is None:  # could not be graded: no score, not a 0
            grade.auto_score, grade.needs_manual_grade = None, True
            text = UNGRADABLE + (result.error or "no result for this exercise")
        else:
            grade.auto_score, grade.needs_manual_grade = graded.score, False
            text = graded.feedback()
        if ex.solutions:
            comments[layout.solutions[ex.solutions[0].grade_id]].auto_comment = text
    if result.status == "error":
        submitted.flagged = True
    elif was_ungradable and submitted.flagged:
        submitted.flagged = False  # our own flag, from an earlier run that could not grade it


def _assignment_of(result: SubmissionResult, known: dict[str, Assignment]) -> Assignment | None:
    """The result's assignment; for one that could not be graded, from nbgrader's folder layout or the file name."""
    if result.assignment:
        return known.get(result.assignment)
    path = Path(result.path)
    for candidate in (path.parent.name, path.stem):
        if candidate in known:
            return known[candidate]
    return None


def record_results(
    results: SubmissionResult | Iterable[SubmissionResult],
    db_url: str = DEFAULT_DB_URL,
    assignments: Iterable[Assignment] | None = None,
    course_id: str = DEFAULT_COURSE_ID,
    retries: int = RETRIES,
) -> Recorded:
    """Write scores into nbgrader's gradebook at `db_url` (any SQLAlchemy URL); safe to run twice, or twice at once."""
    results = [results] if isinstance(results, SubmissionResult) else list(results)
    known = {a.id: a for a in (assignments if assignments is not None else course_assignments())}
    recorded = Recorded()
    placed = []
    for r in results:
        assignment = _assignment_of(r, known)
        if assignment is None:
            why = f"assignment {r.assignment!r} is not in the course" if r.assignment else "unknown assignment"
            recorded.skipped.append(f"{r.student}: {r.path}: {why}")
        else:
            placed.append((r, assignment))
    if not placed:
        return recorded
    # The same order in every process, so concurrent runs take their row locks in the same order.
    placed.sort(key=lambda pair: (pair[1].id, pair[0].student, pair[0].path))
    gb = open_gradebook(db_url, course_id, retries)
    try:
        layouts = {
            a.id: in_transaction(gb, lambda s, a=a: ensure_assignment(s, a, course_id), retries)
            for a in dict.fromkeys(a for _, a in placed)
        }
        for r, assignment in placed:
            layout = layouts[assignment.id]
            in_transaction(gb, lambda s, r=r, a=assignment, lay=layout: record_submission(s, r, a, lay), retries)
            label = f"{r.student}/{assignment.id}"
            (recorded.ungradable if r.status == "error" else recorded.graded).append(label)
    finally:
        gb.close()
    return recorded


def read_run(folder: Path | str) -> list[SubmissionResult]:
    """The results in the run.json of a `grade DIR` (or `merge`) output folder; ValueError when there is none."""
    import json

    path = Path(folder) / "run.json"
    if not path.is_file():
        raise ValueError(f"{folder}: no run.json (give the output folder of `autograder grade DIR` or `merge`)")
    try:
        return [SubmissionResult.from_dict(item) for item in json.loads(path.read_text())["submissions"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a run.json of `autograder grade DIR` ({type(exc).__name__})") from None


# nbgrader's autograded notebooks, so that the formgrader opens every submission


def nbgrader_metadata(cell) -> dict:
    """The nbgrader metadata of a grade (check) or solution cell of `source/`."""
    meta = {"grade": cell.check, "grade_id": cell.grade_id, "locked": cell.check, "schema_version": NBGRADER_SCHEMA}
    meta |= {"solution": cell.solution, "task": False}
    return meta | ({"points": cell.points} if cell.check else {})


def grade_output(text: str) -> dict:
    return {"output_type": "stream", "name": "stdout", "text": text if text.endswith("\n") else text + "\n"}


def new_cell(cell_type: str, source: str, metadata: dict | None = None) -> dict:
    """A notebook cell as nbformat 4.5 writes it (the id is set when the notebook is written)."""
    cell = {"cell_type": cell_type, "metadata": metadata or {}, "source": source}
    return cell | ({"execution_count": None, "outputs": []} if cell_type == "code" else {})


def autograded_notebook(result: SubmissionResult, assignment: Assignment) -> dict:
    """The submission as nbgrader's autograde leaves it: every grade and solution cell of `source/` once, with
    its nbgrader metadata, and each check cell with the instructor's source and the grader's verdict as its
    output. An unreadable submission becomes a notebook that says why, with the same cells to grade by hand.
    Plain JSON (nbformat's import costs a second per batch): the notebook is read and written as a dict."""
    from autograder.submission import SubmissionError, read_notebook

    graded = [c for c in assignment.cells if c.check or c.solution]
    by_id = {c.grade_id: c for c in graded}
    scored = {ex.number: ex for ex in result.exercises}
    checks = {ex.check.grade_id: ex for ex in assignment.exercises}

    def verdict(grade_id: str) -> str:
        ex = scored.get(checks[grade_id].number) if result.status == "graded" else None
        if ex is None:
            return UNGRADABLE + (result.error or "no result for this exercise")
        return f"Autograder: {ex.score:g}/{ex.max_score:g} points\n{ex.feedback()}"

    try:
        nb = read_notebook(Path(result.path))
        submitted = [c for c in nb["cells"] if isinstance(c, dict) and c.get("cell_type") in CELL_TYPES]
        for cell in submitted:
            if not isinstance(cell.get("metadata"), dict):
                cell["metadata"] = {}
        if not isinstance(nb.get("metadata"), dict):
            nb["metadata"] = {}
    except SubmissionError as exc:
        nb = {"metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}}
        note = f"**Could not be graded:** {exc}\n\nThe submitted file is `{result.path}`; grade it by hand here."
        submitted = [new_cell("markdown", note)]
    seen, cells = set(), []
    for cell in submitted:
        meta = cell["metadata"].get("nbgrader")
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        cell["metadata"].pop("nbgrader", None)
        if cell.get("cell_type") == "code" and grade_id in by_id and grade_id not in seen:
            seen.add(grade_id)
            source_cell = by_id[grade_id]
            cell["metadata"]["nbgrader"] = nbgrader_metadata(source_cell)
            if source_cell.check:
                cell |= {"source": source_cell.source, "execution_count": None}
                cell["outputs"] = [grade_output(verdict(grade_id))]
        cells.append(cell)
    for source_cell in graded:  # deleted or unreadable cells come back, so every grade has a place
        if source_cell.grade_id in seen:
            continue
        text = source_cell.source if source_cell.check else "# (no answer for this cell in the submission)"
        cell = new_cell("code", text, {"nbgrader": nbgrader_metadata(source_cell)})
        if source_cell.check:
            cell["outputs"].append(grade_output(verdict(source_cell.grade_id)))
        cells.append(cell)
    return {"cells": cells, "metadata": nb["metadata"], "nbformat": 4, "nbformat_minor": 5}


def with_cell_ids(nb: dict) -> dict:
    """Every cell with a unique id, as nbformat 4.5 requires (a submission saved by an older Jupyter has none)."""
    import re

    used = set()
    for n, cell in enumerate(nb["cells"]):
        cell_id = cell.get("id")
        if not (isinstance(cell_id, str) and re.fullmatch(r"[a-zA-Z0-9-_]{1,64}", cell_id)) or cell_id in used:
            cell_id = next(
                f"autograded-{n}-{k}" for k in range(len(nb["cells"]) + 1) if f"autograded-{n}-{k}" not in used
            )
        cell["id"] = cell_id
        used.add(cell_id)
    return nb


def write_autograded(results: Iterable[SubmissionResult], folder: Path) -> list[Path]:
    """Write `folder/<student>/<assignment>/<notebook>.ipynb` for every result of a known assignment."""
    known = {a.id: a for a in course_assignments()}
    written = []
    for result in results:
        assignment = _assignment_of(result, known)
        if assignment is None:
            continue
        path = folder / result.student / assignment.id / f"{notebook_name(assignment)}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(with_cell_ids(autograded_notebook(result, assignment)), indent=1, ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")
        written.append(path)
    return written


def _status_csv_export_plugin():
    """Built on first use: importing nbgrader's plugins takes seconds, and the command line imports this module."""
    import csv

    from nbgrader.api import MissingEntry
    from nbgrader.plugins import ExportPlugin

    class StatusCsvExportPlugin(ExportPlugin):
        """nbgrader's CSV export plus a `status` column; an ungraded submission's scores are left empty, not 0.

        Use: `nbgrader export --exporter autograder.gradebook.StatusCsvExportPlugin [--to grades.csv]`.
        """

        def export(self, gradebook) -> None:
            keys = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email"]
            keys += ["raw_score", "late_submission_penalty", "score", "max_score", "status"]
            with open(self.to or "grades.csv", "w", newline="") as handle:
                writer = csv.DictWriter(handle, keys, restval="", lineterminator="\n")
                writer.writeheader()
                for assignment in gradebook.assignments:
                    if self.assignment and assignment.name not in self.assignment:
                        continue
                    for student in gradebook.students:
                        if self.student and student.id not in self.student:
                            continue
                        writer.writerow(self.row(gradebook, assignment, student, MissingEntry))

        @staticmethod
        def row(gradebook, assignment, student, missing) -> dict:
            row = {
                "assignment": assignment.name,
                "duedate": assignment.duedate or "",
                "student_id": student.id,
                "last_name": student.last_name or "",
                "first_name": student.first_name or "",
                "email": student.email or "",
                "max_score": assignment.max_score,
            }
            try:
                submission = gradebook.find_submission(assignment.name, student.id)
            except missing:
                return row | {"raw_score": 0.0, "late_submission_penalty": 0.0, "score": 0.0, "status": "not submitted"}
            row["timestamp"] = submission.timestamp or ""
            if submission.needs_manual_grade:
                return row | {"status": "needs manual grade"}
            penalty = submission.late_submission_penalty or 0.0
            score = max(0.0, submission.score - penalty)
            return row | {
                "raw_score": submission.score,
                "late_submission_penalty": penalty,
                "score": score,
                "status": "graded",
            }

    return StatusCsvExportPlugin


_LAZY: dict[str, object] = {}


def __getattr__(name: str):
    if name == "StatusCsvExportPlugin":
        if name not in _LAZY:
            _LAZY[name] = _status_csv_export_plugin()
        return _LAZY[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
