"""Scores in nbgrader's gradebook, on sqlite and on a real PostgreSQL server (issue: run where courses run).

PostgreSQL: set AUTOGRADER_TEST_PG_URL to a server where the role may create databases; `.ci/run` does
`export AUTOGRADER_TEST_PG_URL="$(bash .ci/postgres)"`. Each test gets a fresh database (or sqlite file).
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from autograder import gradebook
from autograder.cli import main
from autograder.course import find_assignment
from autograder.gradebook import DEFAULT_DB_URL, GradebookError, check_database, record_results
from autograder.grading import write_batch
from autograder.results import CheckResult, ExerciseResult, SubmissionResult
from autograder.samples import solved_notebook, write_notebook

PG_URL = os.environ.get("AUTOGRADER_TEST_PG_URL", "")
CORE, FIRST = "02_linear_regression", "01_tensors_autograd"
VENV_BIN = Path(sys.executable).parent


# Databases


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'gradebook.db'}"


@pytest.fixture
def pg_url():
    """A fresh database on the PostgreSQL server of AUTOGRADER_TEST_PG_URL, dropped afterwards."""
    if not PG_URL:
        pytest.skip("AUTOGRADER_TEST_PG_URL is not set; `export AUTOGRADER_TEST_PG_URL=$(bash .ci/postgres)`")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"autograder_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request):
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


# Results, built from the course's exercises (fast: no notebook runs)


def result(student: str, assignment_id: str = CORE, fraction: dict[int, float] | None = None) -> SubmissionResult:
    """A graded submission: each exercise gets `fraction[number]` (default 1) of its points."""
    assignment = find_assignment(assignment_id)
    fraction = fraction or {}
    exercises = []
    for ex in assignment.exercises:
        share = fraction.get(ex.number, 1.0)
        checks = [CheckResult("check", share == 1.0, "" if share == 1.0 else f"exercise {ex.number} is off")]
        exercises.append(ExerciseResult(ex.number, ex.title, ex.points * share, ex.points, checks))
    path = f"submitted/{student}/{assignment_id}/{assignment_id}.ipynb"
    return SubmissionResult(path, student, assignment_id, "graded", exercises)


def broken(student: str, assignment_id: str = FIRST) -> SubmissionResult:
    """A submission that could not be graded, in nbgrader's layout (so its assignment is known from the path)."""
    path = f"submitted/{student}/{assignment_id}/{assignment_id}.ipynb"
    error = f"{assignment_id}.ipynb: not a notebook (the file is not valid JSON)"
    return SubmissionResult(path, student, "", "error", error=error)


def class_results() -> list[SubmissionResult]:
    return [result("ada"), result("ben", fraction={2: 0.5, 4: 0.0}), broken("dan")]


def open_book(url: str):
    from nbgrader.api import Gradebook

    return Gradebook(url)


def row_counts(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    tables = ["student", "assignment", "notebook", "base_cell", "submitted_assignment", "submitted_notebook"]
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in [*tables, "grade", "comment"]}
    engine.dispose()
    return counts


# What lands in the gradebook


def test_scores_land_in_the_gradebook(db_url):
    """Are the assignment, grade cells (points from source/), students and each exercise's auto_score recorded?"""
    done = record_results(class_results(), db_url)
    assert done.graded == [f"ada/{CORE}", f"ben/{CORE}"] and done.ungradable == [f"dan/{FIRST}"] and not done.skipped
    core = find_assignment(CORE)
    with open_book(db_url) as gb:
        assert gb.find_assignment(CORE).max_score == core.max_score
        for ex in core.exercises:
            assert gb.find_grade_cell(ex.check.grade_id, CORE, CORE).max_score == ex.points
        assert gb.find_submission(CORE, "ada").score == core.max_score
        ben = gb.find_submission(CORE, "ben")
        assert ben.score == core.max_score - core.exercise(2).points / 2 - core.exercise(4).points
        assert not ben.needs_manual_grade
        grade = gb.find_grade("test_exercise2", CORE, CORE, "ben")
        assert (grade.auto_score, grade.needs_manual_grade) == (core.exercise(2).points / 2, False)
        comment = gb.find_comment(core.exercise(2).solutions[0].grade_id, CORE, CORE, "ben")
        assert "exercise 2 is off" in comment.comment
        assert sorted(s.id for s in gb.students) == ["ada", "ben", "dan"]


def test_ungradable_is_recorded_as_such_not_as_zero(db_url):
    """Does a submission that could not be graded get no auto_score, need manual grading and get flagged?"""
    record_results([broken("dan")], db_url)
    first = find_assignment(FIRST)
    with open_book(db_url) as gb:
        submission = gb.find_submission(FIRST, "dan")
        assert submission.needs_manual_grade
        notebook = gb.find_submission_notebook(FIRST, FIRST, "dan")
        assert notebook.flagged and notebook.needs_manual_grade
        grades = {g.name: g for g in notebook.grades}
        assert set(grades) == {ex.check.grade_id for ex in first.exercises}
        assert all(g.auto_score is None and g.manual_score is None and g.needs_manual_grade for g in grades.values())
        reason = gb.find_comment(first.exercise(1).solutions[0].grade_id, FIRST, FIRST, "dan").comment
        assert reason.startswith("Could not be graded:") and "not a notebook" in reason


def test_rerun_updates_and_never_duplicates(db_url):
    """Run twice, with new scores the second time: are the rows updated in place, and the old flag lifted?"""
    record_results(class_results(), db_url)
    before = row_counts(db_url)
    second = [result("ada", fraction={1: 0.0}), result("ben"), result("dan", FIRST)]
    record_results(second, db_url)
    assert row_counts(db_url) == before
    core = find_assignment(CORE)
    with open_book(db_url) as gb:
        assert gb.find_submission(CORE, "ada").score == core.max_score - core.exercise(1).points
        assert gb.find_submission(CORE, "ben").score == core.max_score
        dan = gb.find_submission_notebook(FIRST, FIRST, "dan")
        assert not dan.flagged and not dan.needs_manual_grade
        assert dan.score == find_assignment(FIRST).max_score


def test_unknown_assignment_is_skipped_with_a_reason(sqlite_url):
    """Is a result whose assignment cannot be told reported as skipped, with nothing written for it?"""
    lost = SubmissionResult("uploads/x.ipynb", "zed", "", "error", error="not a notebook")
    done = record_results([lost, result("ada")], sqlite_url)
    assert done.skipped == ["zed: uploads/x.ipynb: unknown assignment"] and done.graded == [f"ada/{CORE}"]
    with open_book(sqlite_url) as gb:
        assert [s.id for s in gb.students] == ["ada"]


# Two writers at once

WRITER = """
import json, sys, time
from pathlib import Path
from autograder.gradebook import record_results
from autograder.results import SubmissionResult
import nbgrader.api, sqlalchemy  # imported before the start, so that both start writing together
url, data, ready, go = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
results = [SubmissionResult.from_dict(item) for item in json.loads(Path(data).read_text())]
ready.touch()
while not go.exists():
    time.sleep(0.002)
done = record_results(results, url)
print(json.dumps({"graded": len(done.graded), "ungradable": len(done.ungradable)}))
"""


def run_writers_at_once(url: str, batches: list[list[SubmissionResult]], folder: Path) -> list[dict]:
    go = folder / "go"
    procs, readies = [], []
    for i, batch in enumerate(batches):
        data, ready = folder / f"batch{i}.json", folder / f"ready{i}"
        data.write_text(json.dumps([r.to_dict() for r in batch]))
        readies.append(ready)
        command = [sys.executable, "-c", WRITER, url, str(data), str(ready), str(go)]
        procs.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    deadline = time.monotonic() + 120
    while not all(r.exists() for r in readies):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), "a writer did not start"
        time.sleep(0.01)
    go.touch()
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-3000:]
        outputs.append(json.loads(out.strip().splitlines()[-1]))
    return outputs


def test_two_batch_runs_writing_at_once(db_url, tmp_path):
    """Two processes recording overlapping classes into one fresh database at once: do both succeed, once each?"""
    shared = [result(f"s{i:02d}", fraction={2: 0.5}) for i in range(8)]
    first = shared + [result(f"a{i}") for i in range(4)] + [broken("a_broken")]
    second = list(reversed(shared)) + [result(f"b{i}", FIRST) for i in range(4)] + [broken("b_broken")]
    outputs = run_writers_at_once(db_url, [first, second], tmp_path)
    assert outputs == [{"graded": 12, "ungradable": 1}, {"graded": 12, "ungradable": 1}]
    counts = row_counts(db_url)
    core, first_nb = find_assignment(CORE), find_assignment(FIRST)
    assert counts["student"] == 8 + 4 + 4 + 2
    assert counts["assignment"] == 2 and counts["notebook"] == 2
    assert counts["submitted_assignment"] == counts["submitted_notebook"] == 18
    assert counts["grade"] == 12 * len(core.exercises) + 6 * len(first_nb.exercises)
    with open_book(db_url) as gb:
        half = core.max_score - core.exercise(2).points / 2
        assert [gb.find_submission(CORE, f"s{i:02d}").score for i in range(8)] == [half] * 8
        assert gb.find_submission_notebook(FIRST, FIRST, "a_broken").flagged


# Races, made to happen


@pytest.fixture
def backoffs(monkeypatch):
    """Counts the retries of record_results (each retry waits once)."""
    calls = []
    real = gradebook._backoff
    monkeypatch.setattr(gradebook, "_backoff", lambda attempt: (calls.append(attempt), real(attempt)))
    return calls


def test_database_is_locked_is_retried(tmp_path, backoffs):
    """While another connection holds sqlite's write lock, does record_results wait and retry, then succeed?"""
    path = tmp_path / "gradebook.db"
    url = f"sqlite:///{path}?timeout=0.05"  # sqlite gives up waiting after 50 ms: "database is locked"
    record_results([result("ada")], url)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.0, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        start = time.monotonic()
        done = record_results([result("ben")], url)
        assert time.monotonic() - start >= 0.9
    finally:
        release.join()
        holder.close()
    assert done.graded == [f"ben/{CORE}"] and backoffs
    with open_book(url) as gb:
        assert gb.find_submission(CORE, "ben").score == find_assignment(CORE).max_score


def test_unique_constraint_race_is_retried(db_url, monkeypatch, backoffs):
    """When another writer inserts the same student between our look-up and our insert, is the submission retried?"""
    from nbgrader.api import Student

    record_results([result("ada")], db_url)
    real = gradebook.get_or_create
    raced = []

    def get_or_create(session, model, defaults=None, **keys):
        if model is Student and not raced:
            raced.append(keys["id"])
            row = session.query(model).filter_by(**keys).one_or_none()
            assert row is None
            with open_book(db_url) as other:  # the other writer gets in first and commits
                other.add_student(keys["id"])
            session.add(model(**keys))
            session.flush()  # IntegrityError: the student exists now
        return real(session, model, defaults, **keys)

    monkeypatch.setattr(gradebook, "get_or_create", get_or_create)
    done = record_results([result("ben")], db_url)
    assert raced == ["ben"] and backoffs and done.graded == [f"ben/{CORE}"]
    assert row_counts(db_url)["student"] == 2


def test_a_wrong_database_fails_at_once(tmp_path, backoffs):
    """Is an error that no retry can fix (a database that cannot be opened) raised at once, not retried?"""
    from sqlalchemy.exc import OperationalError

    with pytest.raises(OperationalError):
        record_results([result("ada")], f"sqlite:///{tmp_path / 'missing' / 'gradebook.db'}")
    assert backoffs == []


# What nbgrader shows


def nbgrader_export(url: str, folder: Path, *options: str) -> dict[tuple[str, str], dict]:
    """Run `nbgrader export` (the venv's, on PATH) in a course folder whose config points at `url`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(folder)!r}\nc.CourseDirectory.db_url = {url!r}\n"
    )
    env = os.environ | {"PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    out = folder / "grades.csv"
    proc = subprocess.run(
        ["nbgrader", "export", "--to", str(out), *options], cwd=folder, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    with out.open() as handle:
        return {(row["assignment"], row["student_id"]): row for row in csv.DictReader(handle)}


def test_nbgrader_export_shows_the_scores(db_url, tmp_path):
    """Does `nbgrader export` show each graded score and maximum, and (nbgrader's limit) 0.0 for an ungradable?"""
    record_results(class_results(), db_url)
    rows = nbgrader_export(db_url, tmp_path / "course")
    core, first = find_assignment(CORE), find_assignment(FIRST)
    ada, ben = rows[(CORE, "ada")], rows[(CORE, "ben")]
    assert (float(ada["raw_score"]), float(ada["max_score"])) == (core.max_score, core.max_score)
    assert float(ben["score"]) == core.max_score - core.exercise(2).points / 2 - core.exercise(4).points
    # nbgrader's CSV has no column for "could not be graded": it writes 0.0, as for no submission at all.
    dan, nothing = rows[(FIRST, "dan")], rows[(FIRST, "ada")]
    assert (float(dan["raw_score"]), float(dan["max_score"])) == (0.0, first.max_score)
    assert float(nothing["raw_score"]) == 0.0


def test_status_exporter_tells_ungradable_from_zero(sqlite_url, tmp_path):
    """With `--exporter autograder.gradebook.StatusCsvExportPlugin`, is an ungradable blank and marked, not 0?"""
    record_results([result("ada", fraction={1: 0.0}), broken("dan")], sqlite_url)
    rows = nbgrader_export(sqlite_url, tmp_path / "course", "--exporter", "autograder.gradebook.StatusCsvExportPlugin")
    core = find_assignment(CORE)
    assert rows[(FIRST, "dan")]["status"] == "needs manual grade" and rows[(FIRST, "dan")]["score"] == ""
    assert rows[(CORE, "ada")]["status"] == "graded"
    assert float(rows[(CORE, "ada")]["score"]) == core.max_score - core.exercise(1).points
    assert rows[(FIRST, "ada")]["status"] == "not submitted" and float(rows[(FIRST, "ada")]["score"]) == 0.0


# The command line


def test_cli_gradebook_option(tmp_path, monkeypatch, capsys):
    """Does `autograder grade DIR --gradebook` record into ./gradebook.db (the function's default URL), and exit 1
    because the one submission could not be graded?"""
    notebook = tmp_path / "submitted" / "dan" / FIRST / f"{FIRST}.ipynb"
    notebook.parent.mkdir(parents=True)
    notebook.write_text('{"cells": [')
    monkeypatch.chdir(tmp_path)
    assert DEFAULT_DB_URL == "sqlite:///gradebook.db"
    assert main(["grade", "submitted", "--out", "graded", "--quiet", "--gradebook"]) == 1
    assert "0 graded and 1 ungradable submissions recorded" in capsys.readouterr().out
    with open_book(DEFAULT_DB_URL) as gb:
        assert gb.find_submission(FIRST, "dan").needs_manual_grade
    assert (tmp_path / "graded" / "junit.xml").exists() and (tmp_path / "graded" / "classroom.json").exists()


def test_wrong_database_stops_before_grading(tmp_path, capsys):
    """A gradebook URL that cannot be opened (no server, bad URL, missing folder): exit 2 with one line that
    hides the password, before any grading (no output folder), and no traceback?"""
    notebook = write_notebook(
        solved_notebook(find_assignment(CORE)), tmp_path / "submitted" / "ada" / CORE / "nb.ipynb"
    )
    urls = [
        "postgresql+psycopg2://grader:s3cret@127.0.0.1:1/gradebook",  # nothing listens on port 1
        "not a database url",
        f"sqlite:///{tmp_path / 'missing' / 'gradebook.db'}",
    ]
    if PG_URL:
        from sqlalchemy.engine import make_url

        urls.append(make_url(PG_URL).set(database="no_such_database").render_as_string(hide_password=False))
    for url in urls:
        code = main(["grade", str(notebook.parents[2]), "--out", str(tmp_path / "graded"), "--gradebook", url])
        err = capsys.readouterr().err
        assert code == 2 and not (tmp_path / "graded").exists(), url
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and "s3cret" not in err, err
    with pytest.raises(GradebookError):
        check_database("sqlite:///relative/missing/folder/gradebook.db")
    check_database(f"sqlite:///{tmp_path / 'gradebook.db'}")  # a folder that exists: fine


def test_record_a_run_without_grading(db_url, tmp_path, capsys):
    """Does `autograder gradebook record RUN_DIR --db URL` record a finished run's scores (nothing is graded)?"""
    run = tmp_path / "graded"
    write_batch(class_results(), run)
    assert main(["gradebook", "record", str(run), "--db", db_url]) == 0
    assert "2 graded and 1 ungradable submissions recorded" in capsys.readouterr().out
    core = find_assignment(CORE)
    with open_book(db_url) as gb:
        assert (
            gb.find_submission(CORE, "ben").score
            == core.max_score - core.exercise(2).points / 2 - core.exercise(4).points
        )
        assert gb.find_submission(FIRST, "dan").needs_manual_grade
    assert main(["gradebook", "record", str(tmp_path / "nowhere"), "--db", db_url]) == 2
    err = capsys.readouterr().err
    assert "no run.json" in err and "Traceback" not in err


# nbgrader's formgrader


class FormgraderRequest:
    """What nbgrader's formgrader handlers read from `self`, with nbgrader's own objects (an in-process request)."""

    def __init__(self, gradebook, coursedir, path: str, body: dict | None = None):
        from nbconvert.exporters import HTMLExporter
        from nbgrader.apps.api import NbGraderAPI
        from nbgrader.server_extensions.formgrader import handlers
        from traitlets.config import Config

        config = Config()  # as FormgradeExtension.build_extra_config sets it up
        config.HTMLExporter.template_name = "formgrade"
        config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
        self.gradebook, self.coursedir, self.exporter = gradebook, coursedir, HTMLExporter(config=config)
        self.api = NbGraderAPI(coursedir=coursedir)
        self.base_url, self.url_prefix, self.status, self.body, self.written = "", ".", 200, body, []
        self.request = type("Request", (), {"path": path, "query": ""})()

    def render(self, name: str, **values) -> str:
        return f"{name}: {values}"

    def clear(self) -> None:
        self.written = []

    def set_status(self, status: int) -> None:
        self.status = status

    def write(self, text: str) -> None:
        self.written.append(text)

    def get_json_body(self) -> dict:
        return self.body

    def redirect(self, *args, **kwargs):
        raise AssertionError("the formgrader redirected")


def test_formgrader_opens_every_submission_and_grades_by_hand(tmp_path):
    """Through the formgrader's own submission handler: does every submission (graded, and one that could not be)
    open with an input for each grade cell; and through its grade API, does grading the ungradable one by hand
    give it a score? Without the autograded notebook the same handler answers 404."""
    import inspect

    from nbgrader.coursedir import CourseDirectory
    from nbgrader.server_extensions.formgrader import apihandlers, handlers

    core = find_assignment(CORE)
    notebook = write_notebook(solved_notebook(core), tmp_path / "submitted" / "ada" / CORE / f"{CORE}.ipynb")
    broken_nb = tmp_path / "submitted" / "dan" / CORE / f"{CORE}.ipynb"
    broken_nb.parent.mkdir(parents=True)
    broken_nb.write_text('{"cells": [')
    ada = result("ada")
    ada.path = str(notebook)
    dan = SubmissionResult(str(broken_nb), "dan", "", "error", error="not a notebook (the file is not valid JSON)")
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    write_batch([ada, dan], tmp_path / "graded")
    record_results([ada, dan], url)
    coursedir = CourseDirectory(root=str(tmp_path), autograded_directory="graded/autograded", db_url=url)
    view = inspect.unwrap(handlers.SubmissionHandler.get)
    put_grade = inspect.unwrap(apihandlers.GradeHandler.put)
    with open_book(url) as gb:
        for student in ("ada", "dan"):
            submission = gb.find_submission_notebook(core.path.stem, CORE, student)
            page = FormgraderRequest(gb, coursedir, f"/formgrader/submissions/{submission.id}/")
            view(page, submission.id)
            html = "".join(page.written)
            assert page.status == 200, student
            assert all(f'id="{ex.check.grade_id}"' in html for ex in core.exercises), student
        assert "Could not be graded" in html and "not valid JSON" in html
        for grade in gb.find_submission_notebook(core.path.stem, CORE, "dan").grades:
            put_grade(FormgraderRequest(gb, coursedir, "", {"manual_score": grade.max_score}), grade.id)
        dan_db = gb.find_submission(CORE, "dan")
        assert not dan_db.needs_manual_grade and dan_db.score == core.max_score
        (tmp_path / "graded" / "autograded" / "ada" / CORE / f"{CORE}.ipynb").unlink()
        submission = gb.find_submission_notebook(core.path.stem, CORE, "ada")
        page = FormgraderRequest(gb, coursedir, f"/formgrader/submissions/{submission.id}/")
        view(page, submission.id)
        assert page.status == 404


def test_autograded_notebook_keeps_the_answers_and_restores_the_checks(tmp_path):
    """Is the student's answer kept, a tampered check cell replaced by source/'s, a deleted one put back, and
    the verdict shown as the check cell's output?"""
    import nbformat

    from autograder.gradebook import autograded_notebook, with_cell_ids

    core = find_assignment(CORE)
    nb = solved_notebook(core)
    checks = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    checks[0].source = "print('Exercise 1: OK')"  # tampered
    nb.cells.remove(checks[1])  # deleted
    path = write_notebook(nb, tmp_path / f"{CORE}.ipynb")
    graded = result("ben", fraction={2: 0.5})
    graded.path = str(path)
    out = nbformat.from_dict(with_cell_ids(autograded_notebook(graded, core)))
    by_id = {c.metadata["nbgrader"]["grade_id"]: c for c in out.cells if "nbgrader" in c.metadata}
    for ex in core.exercises:
        cell = by_id[ex.check.grade_id]
        assert cell.source == ex.check.source and cell.metadata["nbgrader"]["points"] == ex.points
        assert cell.outputs[0]["text"].startswith(f"Autograder: {graded.exercises[ex.number - 1].score:g}/")
        for solution in ex.solutions:
            assert by_id[solution.grade_id].metadata["nbgrader"]["solution"]
    nbformat.validate(out)
