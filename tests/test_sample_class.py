"""The sample class shipped for a newcomer's first run (README's main command)."""

from __future__ import annotations

import json
from pathlib import Path

from autograder.cli import main
from autograder.course import KIT_ROOT, course_assignments
from autograder.samples import build_sample_class

REPO_ROOT = KIT_ROOT

SAMPLE = REPO_ROOT / "sample_class"


def test_sample_class_is_in_sync(tmp_path):
    """Is the committed sample class what `autograder sample-class` builds from today's release?"""
    fresh = build_sample_class(tmp_path, course_assignments())
    assert fresh
    for path in fresh:
        committed = SAMPLE / path.relative_to(tmp_path)
        assert committed.exists(), committed
        assert committed.read_bytes() == path.read_bytes(), f"{committed} is stale: run `autograder sample-class`"


def test_main_command_grades_the_sample_class(tmp_path, capsys):
    """Does the README's main command grade every sample submission, telling 'graded 0' from 'could not be graded'?"""
    out = tmp_path / "graded"
    assert main(["grade", str(SAMPLE / "submitted"), "--out", str(out), "--quiet"]) == 1  # 2 could not be graded
    assert "could not be graded" in capsys.readouterr().out
    runs = json.loads((out / "run.json").read_text())["submissions"]
    by = {(r["student"], r["assignment"]): r for r in runs}
    for assignment in course_assignments():
        complete = by[("ada_complete", assignment.id)]
        assert complete["score"] == complete["max_score"] == assignment.max_score
        partial = by[("ben_partial", assignment.id)]
        assert 0 < partial["score"] < assignment.max_score
        wrong = by[("cleo_wrong", assignment.id)]
        assert wrong["status"] == "graded" and wrong["score"] < assignment.max_score
    statuses = {by[("dan_broken", a.id)]["status"] for a in course_assignments()}
    assert statuses == {"graded", "error"}
    rows = (out / "grades.csv").read_text().splitlines()
    assert len(rows) == 1 + len(runs) == 1 + 4 * len(course_assignments())
    assert all(Path(out / r["student"] / r["assignment"] / "feedback.txt").exists() for r in runs)
