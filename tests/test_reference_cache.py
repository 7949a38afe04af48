"""The instructor's reference runs are computed once and kept on disk, keyed on all they depend on (issue: cached
reference runs and a faster cold start)."""

from __future__ import annotations

import json

import nbformat
import pytest
from conftest import copy_course

from autograder import grading
from autograder.course import find_assignment

CORE = "02_linear_regression"


@pytest.fixture
def course(tmp_path):
    root = copy_course(tmp_path / "course")
    grading.clear_cache(disk=False)
    return root


def core_of(root):
    return find_assignment(CORE, root / "source")


def test_reference_is_written_once_and_read_back(course, monkeypatch):
    """Is a reference run stored on first use, and then read from disk instead of run again?"""
    assignment = core_of(course)
    exercise = assignment.exercise(2)
    first = grading.reference_run(assignment, exercise, seed=0)
    path = grading.reference_cache_file(assignment, exercise, 0)
    assert path.exists() and first.error is None
    grading.clear_cache(disk=False)
    monkeypatch.setattr(grading, "run_exercise", lambda *a, **k: pytest.fail("ran again despite the cache"))
    again = grading.reference_run(assignment, exercise, seed=0)
    assert again.probes.keys() == first.probes.keys()


@pytest.mark.parametrize("change", ["solution", "check module", "seed"])
def test_a_stale_cache_is_never_used(course, change):
    """After the solution, the check module or the seed changes, is the reference run again (not read)?"""
    assignment = core_of(course)
    exercise = assignment.exercise(2)
    grading.reference_run(assignment, exercise, seed=0)
    seed = 0
    if change == "solution":
        path = assignment.path
        nb = nbformat.read(path, as_version=4)
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "mse")
        cell.source = cell.source.replace("(diff ** 2).mean()", "(diff ** 2).sum()")
        nbformat.write(nb, path)
        from autograder.course import _assignments_in

        _assignments_in.cache_clear()
        assignment = core_of(course)
        exercise = assignment.exercise(2)
    elif change == "check module":
        with assignment.check_module.open("a") as handle:
            handle.write("\n# an instructor's edit\n")
    else:
        seed = 1
    grading.clear_cache(disk=False)
    ran = []
    real = grading.run_exercise

    def counting(*args, **kwargs):
        ran.append(args[1].number)
        return real(*args, **kwargs)

    grading.run_exercise = counting
    try:
        grading.reference_run(assignment, exercise, seed=seed)
    finally:
        grading.run_exercise = real
    assert ran == [2]


def test_a_corrupt_cache_file_is_ignored(course):
    """Is a cache file that cannot be read (or whose key does not match) run again instead of used?"""
    assignment = core_of(course)
    exercise = assignment.exercise(1)
    grading.reference_run(assignment, exercise, seed=0)
    path = grading.reference_cache_file(assignment, exercise, 0)
    data = json.loads(path.read_text())
    data["payload"] = data["payload"][:-20]
    path.write_text(json.dumps(data))
    assert grading.load_reference(path, data["key"]) is None
    assert grading.load_reference(path, "another key") is None


def test_the_child_cannot_read_the_cache(course):
    """Can a student's cell read the cached reference runs (they reveal expected values)? (No.)"""
    assignment = core_of(course)
    exercise = assignment.exercise(1)
    grading.reference_run(assignment, exercise, seed=0)
    path = grading.reference_cache_file(assignment, exercise, 0)
    code = f"open({str(path)!r}).read()\n" + exercise.solutions[0].source
    run, _, _ = grading.run_exercise(assignment, exercise, [code], seed=0, timeout=30)
    assert run.error and ("PermissionError" in run.error or "FileNotFoundError" in run.error)


def test_cache_command_warms_and_clears(course):
    """Does `autograder cache warm` store every exercise's reference run, and `cache clear` remove them?"""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_COURSE"}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "autograder", "cache", *args], cwd=course, env=env, capture_output=True, text=True
        )

    warmed = run("warm")
    assert warmed.returncode == 0, warmed.stderr
    files = sorted((course / ".autograder-cache" / "reference").glob("*.json"))
    from autograder.course import course_assignments

    expected = sum(len(a.exercises) for a in course_assignments(course / "source"))
    assert len(files) == expected and f"{expected} exercises" in warmed.stdout
    assert run("clear").returncode == 0
    assert not (course / ".autograder-cache").exists()
