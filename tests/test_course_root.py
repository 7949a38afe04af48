"""The instructor's side tells the truth (issue: commands act on the course you stand in; validate and prove).

Each test works on a copy of the course in a temporary folder, edits it there, and runs the real command from
that folder, as an instructor who copied the kit would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import copy_course

from autograder.course import KIT_ROOT, find_course_root

CORE = "02_linear_regression"


def autograder(*args: str, cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_COURSE"}
    return subprocess.run(
        [sys.executable, "-m", "autograder", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def edit_solution(root: Path, grade_id: str, old: str, new: str) -> None:
    """Change the instructor's solution cell `grade_id` of the core notebook in the course at `root`."""
    path = root / "source" / CORE / f"{CORE}.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    assert old in cell.source
    cell.source = cell.source.replace(old, new)
    nbformat.write(nb, path)


@pytest.fixture
def course(tmp_path) -> Path:
    root = copy_course(tmp_path / "my-course")
    (root / "course.md").write_text((KIT_ROOT / "course.md").read_text())
    return root


def test_course_is_found_from_the_current_folder_upward(course):
    """Is the course the nearest folder at or above the current one with source/ and nbgrader_config.py?"""
    inner = course / "submitted" / "ada"
    inner.mkdir(parents=True)
    assert find_course_root(inner) == course.resolve()
    assert find_course_root(course.parent) is None or find_course_root(course.parent) != course.resolve()


def test_grading_uses_the_copy_you_stand_in(course):
    """After the copy's mse solution changes, does grading from the copy judge against the copy's reference?"""
    edit_solution(course, "mse", "return (diff ** 2).mean()", "return (diff ** 2).sum()")
    submission = KIT_ROOT / "sample_class" / "submitted" / "ada_complete" / CORE / f"{CORE}.ipynb"
    done = autograder("grade", str(submission), "--results", str(course / "r.json"), cwd=course)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"course: {course.resolve()} (current folder)"
    scores = {t["number"]: t["score"] for t in json.loads((course / "r.json").read_text())["tests"]}
    assert scores["2"] < 2 and scores["1"] == 1  # a correct mean-mse now disagrees with the copy's sum-mse
    elsewhere = autograder(
        "grade", str(submission), "--course", str(course), "--results", str(course / "s.json"), cwd=KIT_ROOT
    )
    assert elsewhere.stdout.splitlines()[0] == f"course: {course.resolve()} (given)"
    assert json.loads((course / "s.json").read_text())["score"] == json.loads((course / "r.json").read_text())["score"]


def test_validate_and_prove_refuse_a_broken_reference(course):
    """With a wrong instructor solution (mse halved), do validate and prove both exit non-zero and say why?"""
    edit_solution(course, "mse", "return (diff ** 2).mean()", "return (diff ** 2).mean() / 2")
    done = autograder("validate", cwd=course)
    assert done.returncode == 1
    assert f"{CORE}: the instructor's solution fails the visible check of exercise 2" in done.stdout
    proved = autograder("prove", CORE, "--quiet", cwd=course)
    assert proved.returncode == 1
    assert "variant" in proved.stdout and "rejected by the hidden checks" in proved.stdout


def test_prove_survives_a_reworded_solution(course):
    """After a harmless rewording of the mse solution, does prove still run every entry and pass?"""
    edit_solution(
        course,
        "mse",
        "diff = preds - targets\n    return (diff ** 2).mean()",
        "return torch.mean(torch.square(preds - targets))",
    )
    done = autograder("prove", CORE, "--quiet", cwd=course)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stdout[-3000:]
    assert "not applicable" not in done.stdout


def test_points_written_in_markdown_must_match(course):
    """When exercise 2's check cell is given 3 points, does validate name every place that still says 2?"""
    from autograder.course import load_assignment
    from autograder.validate import points_problems

    path = course / "source" / CORE / f"{CORE}.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_exercise2")
    cell.metadata["nbgrader"]["points"] = 3
    nbformat.write(nb, path)
    problems = "\n".join(points_problems(load_assignment(path), (course / "course.md").read_text()))
    assert "the heading of exercise 2 says 2 points" in problems
    assert "the notebook's table gives exercise 2 2 points" in problems
    assert "course.md gives exercise 2 2 points" in problems
    assert points_problems(load_assignment(KIT_ROOT / "source" / CORE / f"{CORE}.ipynb")) == []


def test_a_notebook_without_hidden_checks_is_refused_clearly(course, tmp_path):
    """With a fourth notebook that has no check module yet, do validate and grading say so and go on?"""
    new = course / "source" / "04_extra"
    new.mkdir()
    nb = nbformat.read(course / "source" / CORE / f"{CORE}.ipynb", as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "test_")
        if not grade_id.startswith("test_"):
            cell.metadata["nbgrader"]["grade_id"] = "x_" + grade_id
    nbformat.write(nb, new / "04_extra.ipynb")
    done = autograder("validate", cwd=course)
    assert done.returncode == 1
    assert "04_extra: no hidden checks (test_04_extra.py is missing)" in done.stdout
    folder = tmp_path / "submitted"
    (folder / "ana" / "04_extra").mkdir(parents=True)
    nbformat.write(nb, folder / "ana" / "04_extra" / "04_extra.ipynb")
    release = course / "release" / CORE / f"{CORE}.ipynb"
    (folder / "ana" / CORE).mkdir(parents=True)
    (folder / "ana" / CORE / f"{CORE}.ipynb").write_bytes(release.read_bytes())
    graded = autograder("grade", str(folder), "--out", str(tmp_path / "graded"), cwd=course)
    assert "Traceback" not in graded.stderr
    csv = (tmp_path / "graded" / "grades.csv").read_text()
    assert "no hidden checks for 04_extra" in csv and f"ana,{CORE}," in csv


def test_an_unreadable_notebook_is_a_problem_not_a_crash(course):
    """Is an instructor notebook whose check cell is misnamed reported by validate, without a traceback?"""
    path = course / "source" / CORE / f"{CORE}.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_exercise2")
    cell.metadata["nbgrader"]["grade_id"] = "check_two"
    nbformat.write(nb, path)
    done = autograder("validate", cwd=course)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{CORE}: the instructor notebook cannot be read" in done.stdout and "check_two" in done.stdout
