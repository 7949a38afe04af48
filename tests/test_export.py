"""The Gradescope bundles: their contents, setup.sh, and run_autograder under a root that mimics /autograder.

Gradescope unpacks the zip into /autograder/source, runs setup.sh once when it builds the image, copies
run_autograder to /autograder/run_autograder, puts the upload in /autograder/submission (and writes
/autograder/submission_metadata.json) and reads /autograder/results/results.json. The tests rebuild that layout
in a temporary folder (AUTOGRADER_ROOT) and run run_autograder with the virtual environment's Python
(AUTOGRADER_PYTHON) instead of the image's. Every results.json is validated against a JSON Schema written from
Gradescope's specification (tests/schemas/gradescope-results.schema.json).
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

import jsonschema
import nbformat
import pytest

from autograder.cli import main
from autograder.course import KIT_ROOT, course_assignments, find_assignment
from autograder.export import (
    choose_notebook,
    export_gradescope,
    grade_gradescope_submission,
    project_dependencies,
    target_assignment,
    torch_pin,
)
from autograder.samples import solved_notebook, write_notebook

REPO_ROOT = KIT_ROOT
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "gradescope-results.schema.json").read_text())
RUN_TIMEOUT = 300


def cheapest_assignment():
    """The graded assignment with the fewest exercises: the one these tests grade, to stay fast."""
    graded = [a for a in course_assignments() if a.check_module.exists()]
    assert graded, "no assignment has hidden checks"
    return min(graded, key=lambda a: (len(a.exercises), a.id))


def assert_gradescope_schema(data: dict) -> None:
    """results.json as Gradescope's specification defines it, and scores that add up."""
    jsonschema.validate(data, SCHEMA)
    for test in data["tests"]:
        assert 0 <= test["score"] <= test["max_score"]
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
def zips(tmp_path_factory) -> Path:
    """The zips, written by the command line with its default options but --out."""
    out = tmp_path_factory.mktemp("gradescope") / "zips"
    assert main(["export", "gradescope", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def bundle(zips, assignment) -> Path:
    return zips / f"{assignment.id}.zip"


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


FORGED = {"score": 100.0, "output": "forged", "tests": []}


def forging_cell(source: str, root: Path) -> str:
    """`source` preceded by code that writes a full-marks results.json wherever the grader might read one."""
    targets = [root / "results" / "results.json", "results.json", "/tmp/results.json", root / "results.json"]
    lines = ["import json as _json"]
    for target in targets:
        lines += ["try:", f"    _json.dump({FORGED!r}, open({str(target)!r}, 'w'))", "except Exception:", "    pass"]
    return "\n".join(lines) + "\n" + source


@pytest.fixture(scope="session")
def graded(bundle, assignment, tmp_path_factory) -> dict[str, tuple[dict, subprocess.CompletedProcess, Path, dict]]:
    """run_autograder on a full, a partial and a broken submission, each in a fresh root (a fresh container).

    The partial one's first answer cell also writes a full-marks results.json into results/ and elsewhere.
    """
    runs = {}
    for kind in ("full", "partial", "broken"):
        root = unpack(bundle, tmp_path_factory.mktemp(f"autograder-{kind}"))
        notebook = root / "submission" / f"{assignment.id}.ipynb"
        if kind == "broken":  # a notebook cut off half-way: not valid JSON
            notebook.write_text(nbformat.writes(solved_notebook(assignment))[:2000])
        elif kind == "full":
            write_notebook(solved_notebook(assignment), notebook)
        else:
            first = assignment.exercises[0].solutions[0]
            forged = {first.grade_id: forging_cell(first.source, root)}
            last = assignment.exercises[-1]
            write_notebook(solved_notebook(assignment, answers=forged, unanswered=set(last.grade_ids)), notebook)
        before = snapshot(root / "submission")
        data, proc = run_autograder(root)
        runs[kind] = (data, proc, root, before)
    return runs


# ---------------------------------------------------------------------------------------------------------
# The zips
# ---------------------------------------------------------------------------------------------------------


def test_one_zip_per_assignment_holding_only_its_own(zips):
    """Does `export gradescope` write <id>.zip per assignment, each with only its notebook and hidden checks?"""
    assignments = course_assignments()
    assert sorted(p.name for p in zips.iterdir()) == sorted(f"{a.id}.zip" for a in assignments)
    for a in assignments:
        names = set(zipfile.ZipFile(zips / f"{a.id}.zip").namelist())
        assert {"setup.sh", "run_autograder", "pyproject.toml", "autograder/grading.py"} <= names
        assert {f"source/{a.id}/{a.id}.ipynb", f"autograder/checks/test_{a.id}.py"} <= names
        others = [b for b in assignments if b is not a]
        assert not [n for n in names for b in others if b.id in n], f"{a.id}.zip holds another assignment"
        marker = json.loads(zipfile.ZipFile(zips / f"{a.id}.zip").read("bundle.json"))
        assert marker["assignments"] == [a.id] and marker["course_wide"] is False


def test_course_wide_zip_only_on_request(tmp_path):
    """Does --course-wide write one course.zip with every assignment, marked course-wide; and is a .zip --out
    refused when it would have to hold several zips?"""
    assert main(["export", "gradescope", "--out", str(tmp_path / "all.zip")]) == 2
    assert not (tmp_path / "all.zip").exists()
    assert main(["export", "gradescope", "--course-wide", "--out", str(tmp_path)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["course.zip"]
    names = set(zipfile.ZipFile(tmp_path / "course.zip").namelist())
    assert all(f"source/{a.id}/{a.id}.ipynb" in names for a in course_assignments())
    assert json.loads(zipfile.ZipFile(tmp_path / "course.zip").read("bundle.json"))["course_wide"] is True


def test_export_never_overwrites_without_force(tmp_path, capsys):
    """Is an existing zip left alone (exit 2, named in the message) unless --force is given?"""
    a = cheapest_assignment()
    target = tmp_path / f"{a.id}.zip"
    target.write_bytes(b"mine")
    assert main(["export", "gradescope", "--assignment", a.id, "--out", str(tmp_path)]) == 2
    assert target.read_bytes() == b"mine" and str(target) in capsys.readouterr().err
    assert main(["export", "gradescope", "--assignment", a.id, "--out", str(tmp_path), "--force"]) == 0
    assert zipfile.is_zipfile(target)


def test_bundle_has_no_junk(zips):
    """No caches, checkpoints, tests, release notebooks, virtual environments or grading outputs in a zip."""
    junk = re.compile(
        r"(^|/)(__pycache__|\.ipynb_checkpoints|\.pytest_cache|\.ruff_cache|\.git|\.venv|\.github|\.ci)(/|$)"
        r"|\.pyc$|\.egg-info|^(tests|release|sample_class|graded|benchmarks|build)/|gradebook\.db$|results\.json$"
    )
    tracked = {"setup.sh", "run_autograder", "pyproject.toml", "README.md", "bundle.json", "nbgrader_config.py"}
    for bundle in zips.iterdir():
        names = zipfile.ZipFile(bundle).namelist()
        assert not [n for n in names if junk.search(n)]
        assert all(n in tracked or n.startswith(("autograder/", "source/")) for n in names), names


def test_scripts_are_executable_and_parse(bundle, tmp_path):
    """Are run_autograder and setup.sh executable in the zip, valid bash, and the package's template files?"""
    with zipfile.ZipFile(bundle) as zf:
        for name in ("run_autograder", "setup.sh"):
            mode = zf.getinfo(name).external_attr >> 16
            assert stat.S_ISREG(mode) and mode & 0o111 == 0o111, f"{name} is not executable ({oct(mode)})"
            script = tmp_path / name
            script.write_bytes(zf.read(name))
            assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0
            assert zf.read(name).startswith(b"#!/usr/bin/env bash\n")
        templates = REPO_ROOT / "autograder" / "templates" / "gradescope"
        assert zf.read("run_autograder") == (templates / "run_autograder").read_bytes()


def test_export_is_reproducible(bundle, assignment, tmp_path):
    """Does the same course give the same zip, byte for byte?"""
    (again,) = export_gradescope(tmp_path, assignments=[assignment.id])
    assert again.read_bytes() == bundle.read_bytes()


def test_setup_installs_torch_first_then_the_pinned_dependencies(bundle, tmp_path):
    """Does setup.sh pin torch as .ci/setup does, install it first, then pyproject's pins and the package?"""
    text = zipfile.ZipFile(bundle).read("setup.sh").decode()
    pin = torch_pin()
    assert re.fullmatch(r"torch==\d+\.\d+\.\d+", pin) and pin in (REPO_ROOT / ".ci" / "setup").read_text()
    for dependency in project_dependencies():
        assert f'"{dependency}"' in text, dependency
    assert not re.findall(r"__[A-Z][A-Z_]*__", text), "a placeholder was left unfilled"
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
    """Does the solved notebook get every exercise's points, read from source/, with Markdown feedback?"""
    data, proc, _, _ = graded["full"]
    assert data["score"] == assignment.max_score
    assert [t["number"] for t in data["tests"]] == [str(ex.number) for ex in assignment.exercises]
    assert [t["max_score"] for t in data["tests"]] == [ex.points for ex in assignment.exercises]
    assert all(t["status"] == "passed" and t["output_format"] == "md" for t in data["tests"])
    assert data["output_format"] == "md" and f"Graded {assignment.id}.ipynb as {assignment.id}" in data["output"]
    assert data["extra_data"]["max_score"] == assignment.max_score and data["extra_data"]["status"] == "graded"
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


def test_results_written_by_the_student_never_count(graded, assignment):
    """A cell that writes full-marks results.json files (results/ among them): is the grader's own score kept?"""
    data, _, root, _ = graded["partial"]
    assert data["score"] < assignment.max_score and data["output"] != FORGED["output"]
    assert data["score"] == json.loads((root / "results" / "results.json").read_text())["score"]
    assert sorted(p.name for p in (root / "results").iterdir()) == ["results.json"]


FAKE_GRADER = """#!/usr/bin/env bash
# Stands in for Python: as the grader, it writes full marks where run_autograder will look, and a file it was
# asked for (or not), then exits with $FAKE_EXIT; anything else goes to the real Python.
if [ "$1" = "-m" ] && [ "$2" = "autograder.export" ]; then
  results="${@: -1}"
  echo '{"score": 100.0, "output": "forged", "tests": []}' > "$AUTOGRADER_ROOT/results/results.json"
  if [ -n "${FAKE_WRITES:-}" ]; then echo "$FAKE_WRITES" > "$results"; fi
  exit "$FAKE_EXIT"
fi
exec "$REAL_PYTHON" "$@"
"""


@pytest.mark.parametrize(
    ("writes", "exit_code", "expected"),
    [
        ("", 0, 0.0),  # exited 0 but wrote nothing of its own: the forged file must not count
        ('{"score": 7.0, "output": "x", "tests": []}', 1, 0.0),  # failed: its own file does not count either
        ('{"score": 7.0, "output": "x", "tests": []}', 0, 7.0),  # the grader's own file, and only it
    ],
)
def test_run_autograder_takes_only_the_graders_own_file(bundle, tmp_path, writes, exit_code, expected):
    """Does run_autograder copy the results from its private folder only when the grader exited 0, never a
    results.json that something else wrote in results/ meanwhile?"""
    root = unpack(bundle, tmp_path / "autograder")
    fake = tmp_path / "python"
    fake.write_text(FAKE_GRADER)
    fake.chmod(0o755)
    private = tmp_path / "tmp"
    private.mkdir()
    env = {"REAL_PYTHON": sys.executable, "FAKE_WRITES": writes, "FAKE_EXIT": str(exit_code), "TMPDIR": str(private)}
    data, proc = run_autograder(root, python=str(fake), **env)
    assert data["score"] == expected and data["output"] != "forged"
    assert list(private.iterdir()) == []  # the private folder is gone


def test_broken_submission_scores_zero_with_a_clear_message(graded, assignment):
    """Does a notebook that is not valid JSON still give a valid results.json: 0 and why?"""
    data, _, _, _ = graded["broken"]
    assert data["score"] == 0 and data["tests"] == []
    assert "Could not be graded" in data["output"] and "not valid JSON" in data["output"]
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


# ---------------------------------------------------------------------------------------------------------
# Which notebook, as which assignment (in-process)
# ---------------------------------------------------------------------------------------------------------


def test_the_assignment_comes_from_the_metadata_then_the_cell_ids():
    """Is the assignment the Gradescope title names chosen, else the one the notebooks' cell ids show, else
    the one whose points match total_points, and none (with the reason) when nothing tells?"""
    a1, a2, a3 = course_assignments()[:3]
    both = [("a.ipynb", Path("a"), 1.0, a1), ("b.ipynb", Path("b"), 2.0, a2)]
    everything = course_assignments()
    title = " ".join(a2.id.split("_")[1:]).title()  # e.g. "Linear Regression", without the number
    assert target_assignment(both, everything, {"assignment": {"title": f"HW: {title}"}})[0] is a2
    assert target_assignment(both, everything, {"assignment": {"title": a1.id}})[0] is a1
    assert target_assignment(both[:1], everything, {})[0] is a1
    points = {"assignment": {"title": "Homework", "total_points": str(a2.max_score)}}
    if a1.max_score != a2.max_score:
        assert target_assignment(both, everything, points)[0] is a2
    none, why = target_assignment(both, everything, {"assignment": {"title": "Homework"}})
    assert none is None and a1.id in why and a2.id in why
    assert target_assignment(both, (a3,), {})[0] is a3  # a one-assignment zip grades its own assignment


def test_several_notebooks_of_one_assignment_the_rule():
    """Of several notebooks of one assignment: the one named like the release wins, else the newest; and the
    reason is given only when there was a choice."""
    a = cheapest_assignment()
    draft, final = ("draft.ipynb", Path("d"), 1.0, a), ("final.ipynb", Path("f"), 5.0, a)
    named = (f"work/{a.id}.ipynb", Path("n"), 0.5, a)
    assert choose_notebook([draft, final], a)[0][0] == "final.ipynb"
    assert "newest" in choose_notebook([draft, final], a)[1]
    chosen, why = choose_notebook([draft, named, final], a)
    assert chosen[0] == f"work/{a.id}.ipynb" and "named like the release" in why
    assert choose_notebook([draft], a) == (("draft.ipynb", Path("d")), "")
    other = next(b for b in course_assignments() if b is not a)
    assert choose_notebook([("x.ipynb", Path("x"), 1.0, other)], a) == (None, "")


def test_course_wide_grades_one_assignment_never_a_sum(tmp_path):
    """An upload with the 01 and the 02 notebook (one zipped) to the Gradescope assignment titled like 02:
    is only the 02 notebook graded, at most 02's points, and the zipped copy read?"""
    first, second = course_assignments()[:2]
    upload = tmp_path / "submission"
    write_notebook(solved_notebook(first), upload / f"{first.id}.ipynb")
    inner = write_notebook(solved_notebook(second), tmp_path / f"{second.id}.ipynb")
    with zipfile.ZipFile(upload / "work.zip", "w") as zf:
        zf.write(inner, f"work/{second.id}.ipynb")
    data = grade_gradescope_submission(upload, {"assignment": {"title": f"Homework {second.id}"}})
    assert_gradescope_schema(data)
    assert data["score"] == second.max_score and data["extra_data"]["max_score"] == second.max_score
    assert data["extra_data"]["graded"] == f"work.zip/work/{second.id}.ipynb"
    assert [t["max_score"] for t in data["tests"]] == [ex.points for ex in second.exercises]
    assert f"Not graded: {first.id}.ipynb" in data["output"]


def test_schema_can_say_no():
    """Does the schema reject keys outside Gradescope's spec (a top-level max_score) and a wrong status?"""
    good = {"score": 1.0, "tests": [{"score": 1.0, "max_score": 1.0, "status": "passed", "name": "x"}]}
    jsonschema.validate(good, SCHEMA)
    for bad in ({**good, "max_score": 1.0}, {**good, "tests": [{**good["tests"][0], "status": "ok"}]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, SCHEMA)


def test_metadata_title_outranks_the_notebook(tmp_path):
    """Submitted to 02 with only the 01 notebook: 0 and a message naming what was found, not 01's score."""
    first, second = course_assignments()[:2]
    write_notebook(solved_notebook(first), tmp_path / f"{first.id}.ipynb")
    data = grade_gradescope_submission(tmp_path, {"assignment": {"title": second.id}})
    assert_gradescope_schema(data)
    assert data["score"] == 0 and f"No notebook of {second.id}" in data["output"]
    assert find_assignment(second.id).max_score > 0
