"""The Gradescope bundle: its contents, setup.sh, and run_autograder under a root that mimics /autograder.

Gradescope unpacks the zip into /autograder/source, runs setup.sh once when it builds the image, copies
run_autograder to /autograder/run_autograder, puts the upload in /autograder/submission and reads
/autograder/results/results.json. The tests rebuild that layout in a temporary folder (AUTOGRADER_ROOT) and
run run_autograder with the virtual environment's Python (AUTOGRADER_PYTHON) instead of the image's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.cli import main
from autograder.course import KIT_ROOT, course_assignments
from autograder.export import choose_notebooks, export_gradescope, project_dependencies, torch_pin
from autograder.samples import solved_notebook, write_notebook

REPO_ROOT = KIT_ROOT

RUN_TIMEOUT = 300
TOP_KEYS = {
    "score",
    "execution_time",
    "output",
    "output_format",
    "test_output_format",
    "test_name_format",
    "visibility",
    "stdout_visibility",
    "extra_data",
    "tests",
    "leaderboard",
}
TEST_KEYS = {
    "score",
    "max_score",
    "status",
    "name",
    "name_format",
    "number",
    "output",
    "output_format",
    "tags",
    "visibility",
    "extra_data",
}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def cheapest_assignment():
    """The graded assignment with the fewest exercises: the one these tests grade, to stay fast."""
    graded = [a for a in course_assignments() if a.check_module.exists()]
    assert graded, "no assignment has hidden checks"
    return min(graded, key=lambda a: (len(a.exercises), a.id))


def assert_gradescope_schema(data: dict) -> None:
    """results.json as Gradescope's autograder spec defines it (REFERENCE.md)."""
    assert isinstance(data, dict)
    assert set(data) <= TOP_KEYS, f"keys outside Gradescope's schema: {set(data) - TOP_KEYS}"
    assert isinstance(data["score"], (int, float)) and not isinstance(data["score"], bool)
    assert isinstance(data["tests"], list)
    assert isinstance(data.get("output", ""), str) and data.get("output")
    assert data.get("visibility", "visible") in VISIBILITY
    assert data.get("stdout_visibility", "hidden") in VISIBILITY
    assert isinstance(data.get("execution_time", 0), (int, float))
    for test in data["tests"]:
        assert set(test) <= TEST_KEYS, f"test keys outside Gradescope's schema: {set(test) - TEST_KEYS}"
        assert isinstance(test["score"], (int, float)) and isinstance(test["max_score"], (int, float))
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed")
        assert isinstance(test["name"], str) and isinstance(test.get("number", ""), str)
        assert test.get("visibility", "visible") in VISIBILITY
    if data["tests"]:
        assert data["score"] == pytest.approx(sum(t["score"] for t in data["tests"]))


def solution_only_lines(assignment) -> list[str]:
    """Lines of the instructor's solutions that the release does not show (what must never leak)."""
    release = nbformat.read(REPO_ROOT / "release" / assignment.id / f"{assignment.id}.ipynb", as_version=4)
    released = "\n".join(c.source for c in release.cells)
    lines = []
    for cell in assignment.cells:
        if not cell.solution:
            continue
        inside = False
        for line in cell.source.splitlines():
            if "### BEGIN SOLUTION" in line:
                inside = True
            elif "### END SOLUTION" in line:
                inside = False
            elif inside and len(line.strip()) > 12 and line.strip() not in released:
                lines.append(line.strip())
    return lines


@pytest.fixture(scope="session")
def assignment():
    return cheapest_assignment()


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Path:
    """The zip, written by the command line with its default options but --out."""
    out = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    assert main(["export", "gradescope", "--out", str(out)]) == 0
    return out


def unpack(bundle: Path, root: Path) -> Path:
    """Lay the bundle out as Gradescope does: the zip in root/source, run_autograder copied to root."""
    source = root / "source"
    source.mkdir(parents=True)
    if shutil.which("unzip"):
        subprocess.run(["unzip", "-q", str(bundle), "-d", str(source)], check=True)
    else:  # keep the modes the zip records, as unzip does
        with zipfile.ZipFile(bundle) as zf:
            for info in zf.infolist():
                zf.extract(info, source)
                os.chmod(source / info.filename, (info.external_attr >> 16) & 0o777)
    shutil.copy2(source / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    (root / "results").mkdir()
    return root


def run_autograder(root: Path, python: str = sys.executable, **env) -> tuple[dict, subprocess.CompletedProcess]:
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environ.update(AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=python, **env)
    proc = subprocess.run(
        [str(root / "run_autograder")], env=environ, capture_output=True, text=True, timeout=RUN_TIMEOUT
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads((root / "results" / "results.json").read_text())
    assert_gradescope_schema(data)
    return data, proc


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def graded(bundle, assignment, tmp_path_factory) -> dict[str, tuple[dict, subprocess.CompletedProcess, Path, dict]]:
    """run_autograder on a full, a partial and a broken submission, each in a fresh root (a fresh container)."""
    last = assignment.exercises[-1]
    submissions = {
        "full": solved_notebook(assignment),
        "partial": solved_notebook(assignment, unanswered=set(last.grade_ids)),
    }
    runs = {}
    for kind in ("full", "partial", "broken"):
        root = unpack(bundle, tmp_path_factory.mktemp(f"autograder-{kind}"))
        notebook = root / "submission" / f"{assignment.id}.ipynb"
        if kind == "broken":  # a notebook cut off half-way: not valid JSON
            notebook.write_text(nbformat.writes(solved_notebook(assignment))[:2000])
        else:
            write_notebook(submissions[kind], notebook)
        before = snapshot(root / "submission")
        data, proc = run_autograder(root)
        runs[kind] = (data, proc, root, before)
    return runs


# ---------------------------------------------------------------------------------------------------------
# The zip
# ---------------------------------------------------------------------------------------------------------


def test_bundle_holds_what_grading_needs(bundle):
    """Does the zip hold setup.sh, run_autograder, the package, every hidden check and every source notebook?"""
    names = set(zipfile.ZipFile(bundle).namelist())
    assert {"setup.sh", "run_autograder", "pyproject.toml", "autograder/__init__.py", "autograder/grading.py"} <= names
    for a in course_assignments():
        assert f"source/{a.id}/{a.id}.ipynb" in names
        assert f"autograder/checks/test_{a.id}.py" in names


def test_bundle_has_no_junk(bundle):
    """No caches, checkpoints, tests, release notebooks, virtual environments or grading outputs in the zip."""
    names = zipfile.ZipFile(bundle).namelist()
    junk = re.compile(
        r"(^|/)(__pycache__|\.ipynb_checkpoints|\.pytest_cache|\.ruff_cache|\.git|\.venv|\.github|\.ci)(/|$)"
        r"|\.pyc$|\.egg-info|^(tests|release|sample_class|graded|benchmarks|build)/|gradebook\.db$|results\.json$"
    )
    assert not [n for n in names if junk.search(n)]
    tracked = {"setup.sh", "run_autograder", "pyproject.toml", "README.md", "bundle.json"}
    assert all(n in tracked or n.startswith(("autograder/", "source/")) for n in names), names


def test_scripts_are_executable_and_parse(bundle, tmp_path):
    """Are run_autograder and setup.sh executable in the zip, and valid bash?"""
    with zipfile.ZipFile(bundle) as zf:
        for name in ("run_autograder", "setup.sh"):
            mode = zf.getinfo(name).external_attr >> 16
            assert stat.S_ISREG(mode) and mode & 0o111 == 0o111, f"{name} is not executable ({oct(mode)})"
            script = tmp_path / name
            script.write_bytes(zf.read(name))
            assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0
            assert zf.read(name).startswith(b"#!/usr/bin/env bash\n")


def test_export_is_reproducible(bundle, tmp_path):
    """Does the same course give the same zip, byte for byte?"""
    assert export_gradescope(tmp_path / "again.zip").read_bytes() == bundle.read_bytes()


def test_setup_installs_torch_first_then_the_pinned_dependencies(bundle, tmp_path):
    """Does setup.sh pin torch as .ci/setup does, install it first, then pyproject's pins and the package?"""
    text = zipfile.ZipFile(bundle).read("setup.sh").decode()
    pin = torch_pin()
    assert re.fullmatch(r"torch==\d+\.\d+\.\d+", pin) and pin in (REPO_ROOT / ".ci" / "setup").read_text()
    for dependency in project_dependencies():
        assert f'"{dependency}"' in text, dependency
    root = unpack(bundle, tmp_path / "autograder")
    proc = subprocess.run(
        ["bash", str(root / "source" / "setup.sh")],
        env={**os.environ, "AUTOGRADER_SETUP_DRY_RUN": "1", "AUTOGRADER_PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    installs = [line for line in proc.stdout.splitlines() if " -m pip install " in line]
    assert len(installs) == 3, proc.stdout
    assert installs[0].endswith(pin) and "download.pytorch.org/whl/cpu" in installs[0]
    assert "nbgrader==0.9.6" in installs[1]
    assert "--no-deps -e" in installs[2] and installs[2].endswith(str(root / "source"))


# ---------------------------------------------------------------------------------------------------------
# run_autograder
# ---------------------------------------------------------------------------------------------------------


def test_full_submission_scores_full_marks(graded, assignment):
    """Does the solved notebook get every exercise's points, read from source/?"""
    data, proc, _, _ = graded["full"]
    assert data["score"] == assignment.max_score
    assert [t["number"] for t in data["tests"]] == [str(ex.number) for ex in assignment.exercises]
    assert [t["max_score"] for t in data["tests"]] == [ex.points for ex in assignment.exercises]
    assert all(t["status"] == "passed" for t in data["tests"])
    assert f"Graded {assignment.id}.ipynb as {assignment.id}" in data["output"]
    assert data["stdout_visibility"] == "hidden"
    bundle_root = (graded["full"][2] / "source").resolve()
    assert f"autograder bundle: {bundle_root}" in proc.stdout  # graded by the bundle's package, not the repo's


def test_partial_submission_loses_only_the_missing_exercise(graded, assignment):
    """With the last exercise left as released, does only that exercise score 0, with a reason?"""
    data, _, _, _ = graded["partial"]
    last = assignment.exercises[-1]
    assert data["score"] == pytest.approx(assignment.max_score - last.points)
    by_number = {t["number"]: t for t in data["tests"]}
    assert by_number[str(last.number)]["score"] == 0 and by_number[str(last.number)]["status"] == "failed"
    assert "NotImplementedError" in by_number[str(last.number)]["output"]
    assert all(t["status"] == "passed" for n, t in by_number.items() if n != str(last.number))


def test_broken_submission_scores_zero_with_a_clear_message(graded, assignment):
    """Does a notebook that is not valid JSON still give a valid results.json: 0 and why?"""
    data, _, _, _ = graded["broken"]
    assert data["score"] == 0 and data["tests"] == []
    assert "could not be graded" in data["output"] and "not valid JSON" in data["output"]
    assert f"{assignment.id}.ipynb" in data["output"]


def test_solutions_never_reach_the_student(graded, assignment):
    """Is the submission folder untouched, no solution line printed or reported, and source/ gone after loading?"""
    secrets = solution_only_lines(assignment)
    assert secrets, "the source notebook has no solution lines to look for"
    for data, proc, root, before in graded.values():
        assert snapshot(root / "submission") == before
        shown = json.dumps(data) + proc.stdout + proc.stderr
        assert not [line for line in secrets if line in shown]
        assert "BEGIN SOLUTION" not in shown
        assert not (root / "source" / "source").exists()
    assert (REPO_ROOT / "source" / assignment.id / f"{assignment.id}.ipynb").exists()


def test_missing_notebook_scores_zero_with_a_clear_message(bundle, tmp_path):
    """With no .ipynb uploaded, does the student read what was found and what to upload?"""
    root = unpack(bundle, tmp_path / "autograder")
    (root / "submission" / "answers.py").write_text("print('hello')\n")
    data, _ = run_autograder(root)
    assert data["score"] == 0 and data["tests"] == []
    assert "No Jupyter notebook" in data["output"] and "answers.py" in data["output"]


def test_grader_fault_still_writes_results(bundle, tmp_path):
    """When the bundle itself is broken (no instructor notebooks), is there still a valid results.json?"""
    root = unpack(bundle, tmp_path / "autograder")
    shutil.rmtree(root / "source" / "source")
    write_notebook(solved_notebook(cheapest_assignment()), root / "submission" / "nb.ipynb")
    data, proc = run_autograder(root)
    assert data["score"] == 0 and "not a problem with your notebook" in data["output"]
    assert "AUTOGRADER_KEEP_SOURCE" in proc.stderr  # the traceback for the instructor, in hidden output


def test_no_python_still_writes_results(bundle, tmp_path):
    """If Python cannot even start, does run_autograder's shell fallback write a valid results.json?"""
    root = unpack(bundle, tmp_path / "autograder")
    data, _ = run_autograder(root, python="/bin/false")
    assert data["score"] == 0 and "failed on its side" in data["output"]


def test_several_notebooks_grade_the_one_of_the_assignment(tmp_path, assignment):
    """With a copy, a scratch notebook and the assignment's notebook, is `<id>.ipynb` chosen and the rest named?"""
    solved = solved_notebook(assignment)
    write_notebook(solved, tmp_path / "copy of mine.ipynb")
    write_notebook(solved, tmp_path / "work" / f"{assignment.id}.ipynb")
    (tmp_path / "scratch.ipynb").write_text("{not json")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    write_notebook(solved, tmp_path / ".ipynb_checkpoints" / f"{assignment.id}-checkpoint.ipynb")
    chosen, notes = choose_notebooks(tmp_path)
    assert [(p.relative_to(tmp_path).as_posix(), a.id) for p, a in chosen] == [
        (f"work/{assignment.id}.ipynb", assignment.id)
    ]
    assert len(notes) == 2 and any("copy of mine.ipynb: not graded" in n for n in notes)
    assert any("scratch.ipynb" in n and "not graded" in n for n in notes)
