"""GitHub workflows: the Classroom template (`autograder export classroom`) and the sharded grading workflow.

GitHub Actions is not reachable here, so the tests check each workflow against the contracts of the actions
it uses (REFERENCE.md: GitHub Classroom) and run its commands locally: the template's check script on a
solved and on an untouched notebook, and grade.yml's shard and merge commands on a small class, whose
merged output must equal an unsharded run.
"""

from __future__ import annotations

import ast
import csv
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from autograder.cli import build_parser, main
from autograder.course import KIT_ROOT, course_assignments
from autograder.grading import find_submissions
from autograder.samples import build_sample_class, solved_notebook, write_notebook

CHECKS_DIR = KIT_ROOT / "autograder" / "checks"
REPO_ROOT = KIT_ROOT
SOURCE_DIR = KIT_ROOT / "source"

GRADE_YML = REPO_ROOT / ".github" / "workflows" / "grade.yml"
COMMAND_GRADER = "classroom-resources/autograding-command-grader@v1"
REPORTER = "classroom-resources/autograding-grading-reporter@v1"
STEP_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")
CHECK_TIMEOUT = 300


def cheapest_assignment():
    """The graded assignment with the fewest exercises: the one these tests grade, to stay fast."""
    graded = [a for a in course_assignments() if a.check_module.exists()]
    assert graded, "no assignment has hidden checks"
    return min(graded, key=lambda a: (len(a.exercises), a.id))


def subcommands() -> set[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return set(action.choices)


def substitute(text: str, values: dict[str, str]) -> str:
    """Replace `${{ expr }}` by its value, as the Actions runner does before running a step."""

    def value(match: re.Match) -> str:
        expr = match.group(1)
        assert expr in values, f"unexpected expression {expr!r} in {text!r}"
        return values[expr]

    return EXPRESSION.sub(value, text)


def commands(run: str) -> list[list[str]]:
    """The commands of a `run:` block (one per line; `\\` continuations joined)."""
    text = run.replace("\\\n", " ")
    return [shlex.split(line) for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def assert_command_exists(argv: list[str], root: Path) -> None:
    """An `autograder ...` call names a real subcommand with valid options; a script or file exists."""
    if Path(argv[0]).name == "autograder":
        assert argv[1] in subcommands(), f"no subcommand {argv[1]!r}: {argv}"
        build_parser().parse_args([a.replace("*", "x") for a in argv[1:]])  # argparse exits on a bad option
    elif argv[0] in ("bash", "sh", "python", "python3"):
        script = next(a for a in argv[1:] if not a.startswith("-"))
        assert (root / script).is_file(), f"{script} does not exist in {root}"
    else:
        pytest.fail(f"unexpected command {argv}")


def workflow_on(data: dict) -> dict | list:
    """The `on:` key (a bare `on` is parsed as True by YAML 1.1, which is why the files quote it)."""
    assert "on" in data, 'write the trigger key as "on": a bare on: parses as True'
    return data["on"]


# ---------------------------------------------------------------------------------------------------------
# (a) the GitHub Classroom template
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("classroom") / "template"
    assert main(["export", "classroom", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def classroom(template) -> dict:
    return yaml.safe_load((template / ".github" / "workflows" / "classroom.yml").read_text())


def grader_steps(classroom: dict) -> list[dict]:
    return [s for s in classroom["jobs"]["run-autograding-tests"]["steps"] if s.get("uses") == COMMAND_GRADER]


def test_classroom_job_follows_github_classroom(classroom):
    """Job id, permissions, the bot guard and the triggers GitHub Classroom's own workflows use."""
    assert "push" in workflow_on(classroom)
    assert classroom["permissions"] == {"checks": "write", "actions": "read", "contents": "read"}
    assert list(classroom["jobs"]) == ["run-autograding-tests"]
    job = classroom["jobs"]["run-autograding-tests"]
    assert job["if"] == "github.actor != 'github-classroom[bot]'"
    assert job["steps"][0]["uses"].startswith("actions/checkout@")


def test_one_grader_step_per_exercise_with_points_from_source(classroom, template):
    """A command-grader step per exercise, its max-score the exercise's points in source/."""
    steps = grader_steps(classroom)
    expected = [(a, ex) for a in course_assignments() for ex in a.exercises]
    assert len(steps) == len(expected)
    for step, (assignment, ex) in zip(steps, expected, strict=True):
        inputs = step["with"]
        assert set(inputs) == {"test-name", "setup-command", "command", "timeout", "max-score"}
        assert inputs["max-score"] == ex.points
        assert str(ex.number) in inputs["test-name"] and assignment.id in inputs["test-name"]
        assert 0 < inputs["timeout"] <= 60  # minutes
        argv = shlex.split(inputs["command"])
        assert argv[1:] == ["check_exercise.py", f"release/{assignment.id}/{assignment.id}.ipynb", str(ex.number)]
        assert_command_exists(argv, template)
        assert shlex.split(inputs["setup-command"])[-2:] == ["-r", "requirements.txt"]
        assert (template / "requirements.txt").is_file()
        assert STEP_ID.match(step["id"])
    assert len({s["id"] for s in steps}) == len(steps)


def test_reporter_reads_every_grader_step(classroom):
    """The reporter's runners list the step ids; env <ID>_RESULTS carries each step's result output."""
    steps = classroom["jobs"]["run-autograding-tests"]["steps"]
    reporter = steps[-1]
    assert reporter["uses"] == REPORTER
    ids = [s["id"] for s in grader_steps(classroom)]
    runners = [r.strip() for r in reporter["with"]["runners"].split(",")]
    assert runners == ids
    assert reporter["env"] == {f"{i.upper()}_RESULTS": f"${{{{ steps.{i}.outputs.result }}}}" for i in ids}


def test_template_pins_torch_and_the_notebooks_dependencies(template):
    """requirements.txt: torch as .ci/setup pins it (CPU wheels), and what the notebooks import."""
    lines = (template / "requirements.txt").read_text().splitlines()
    pin = re.search(r"torch==[\d.]+", (REPO_ROOT / ".ci" / "setup").read_text()).group(0)
    assert pin in lines
    names = {re.split(r"[<>=!~]", line)[0] for line in lines if not line.startswith("-")}
    assert {"torch", "numpy", "nbformat", "nbclient", "ipykernel", "matplotlib"} <= names
    assert not names & {"nbgrader", "pytest", "gd-course-autograder"}


def test_template_has_no_hidden_check_and_no_solution(template):
    """Nothing from autograder/checks or source/, no solution markers, no solution lines, no probe names."""
    files = {p: p.read_bytes() for p in template.rglob("*") if p.is_file()}
    secret_files = [p.read_bytes() for p in [*CHECKS_DIR.glob("*.py"), *SOURCE_DIR.rglob("*")] if p.is_file()]
    assert not [p for p, data in files.items() if data in secret_files]
    assert not [p for p in files if p.name.startswith("test_") or "autograder" in p.relative_to(template).parts]
    text = "\n".join(data.decode(errors="replace") for data in files.values())
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "from autograder"):
        assert marker not in text
    released = {p.relative_to(template).as_posix(): p.read_bytes() for p in (template / "release").rglob("*.ipynb")}
    assert released == {
        f"release/{a.id}/{a.id}.ipynb": (REPO_ROOT / "release" / a.id / f"{a.id}.ipynb").read_bytes()
        for a in course_assignments()
    }
    release_text = "\n".join(data.decode() for data in released.values())
    for assignment in course_assignments():
        for cell in assignment.cells:
            if cell.solution:
                body = cell.source.split("### BEGIN SOLUTION")[-1].split("### END SOLUTION")[0]
                secret = [line.strip() for line in body.splitlines() if len(line.strip()) > 12]
                assert not [line for line in secret if line in text and line not in release_text]
        probes = [
            node.name
            for node in ast.walk(ast.parse(assignment.check_module.read_text()))
            if isinstance(node, ast.FunctionDef) and any("probe" in ast.unparse(d) for d in node.decorator_list)
        ]
        assert probes and not [name for name in probes if re.search(rf"\b{name}\b", text)]


def run_step_command(command: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run a grader step's command as the runner would, with this machine's Python as `python`."""
    argv = shlex.split(command)
    assert argv[0] == "python"
    return subprocess.run([sys.executable, *argv[1:]], cwd=cwd, capture_output=True, text=True, timeout=CHECK_TIMEOUT)


def test_check_script_passes_a_solved_notebook_and_fails_the_release(template, classroom, tmp_path):
    """Exit 0 (and nothing on stderr, which the grader step counts as failure) only when the check says OK."""
    assignment = cheapest_assignment()
    step = next(s for s in grader_steps(classroom) if f"release/{assignment.id}/" in s["with"]["command"])
    command = step["with"]["command"]
    number = shlex.split(command)[-1]

    untouched = run_step_command(command, template)
    assert untouched.returncode != 0
    assert f"Exercise {number}" in untouched.stderr and "NotImplementedError" in untouched.stderr

    student = tmp_path / "student-repo"
    shutil.copytree(template, student)
    notebook = student / "release" / assignment.id / f"{assignment.id}.ipynb"
    before = notebook.read_bytes()
    write_notebook(solved_notebook(assignment), notebook)
    solved = run_step_command(command, student)
    assert solved.returncode == 0, solved.stderr
    assert f"Exercise {number}: OK" in solved.stdout and solved.stderr == ""
    assert (template / "release" / assignment.id / f"{assignment.id}.ipynb").read_bytes() == before


# ---------------------------------------------------------------------------------------------------------
# (b) the instructor's sharded grading workflow
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def grade_workflow() -> dict:
    return yaml.safe_load(GRADE_YML.read_text())


def run_steps(job: dict) -> list[dict]:
    return [s for s in job["steps"] if "run" in s]


def test_grade_workflow_shape(grade_workflow):
    """Manual trigger; a matrix of shards grading and uploading each shard; a merge job after all of them."""
    assert "workflow_dispatch" in workflow_on(grade_workflow)
    grade, merge = grade_workflow["jobs"]["grade"], grade_workflow["jobs"]["merge"]
    shards = grade["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1)) and len(shards) > 1
    assert grade["strategy"].get("fail-fast") is False
    upload = next(s for s in grade["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["name"] == upload["with"]["path"] == "shard-${{ matrix.shard }}"
    assert merge["needs"] == "grade"
    download = next(s for s in merge["steps"] if s.get("uses", "").startswith("actions/download-artifact@"))
    assert download["with"]["pattern"] == "shard-*" and "merge-multiple" not in download["with"]
    (grade_run,) = [s["run"] for s in run_steps(grade) if "autograder grade" in s["run"]]
    assert "--shard ${{ matrix.shard }}/${{ strategy.job-total }}" in grade_run
    assert "--out shard-${{ matrix.shard }}" in grade_run
    assert [s["run"] for s in run_steps(merge) if "autograder merge" in s["run"]] == [
        ".venv/bin/autograder merge shard-* --out graded"
    ]


def test_grade_workflow_commands_exist(grade_workflow):
    """Every run: command is a real script or a real `autograder` subcommand with valid options."""
    values = {"matrix.shard": "1", "strategy.job-total": "4", "inputs.submissions": "submitted"}
    seen = 0
    for job in grade_workflow["jobs"].values():
        for step in run_steps(job):
            for argv in commands(substitute(step["run"], values)):
                assert_command_exists(argv, REPO_ROOT)
                seen += 1
    assert seen >= 4


TIME_KEYS = ("execution_time", "seconds", "check_seconds", "duration")  # JSON keys holding how long something took
TIME_ATTRIBUTES = re.compile(r'\s(time|timestamp|hostname)="[^"]*"')  # JUnit XML's timing attributes


def without_times(value):
    """A run's JSON without what differs between two runs of the same grading: the seconds it took."""
    if isinstance(value, dict):
        return {k: without_times(v) for k, v in value.items() if k not in TIME_KEYS}
    if isinstance(value, list):
        return [without_times(v) for v in value]
    return value


def output_of(folder: Path) -> dict[str, object]:
    """Everything a grading run wrote: JSON and XML without timings, text as is, other files by name."""
    files: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(folder).as_posix()
        if path.suffix == ".json":
            files[rel] = without_times(json.loads(path.read_text()))
        elif path.suffix == ".xml":
            files[rel] = TIME_ATTRIBUTES.sub("", path.read_text())
        elif path.suffix in (".csv", ".txt", ".md", ".html"):
            files[rel] = path.read_text()
        else:  # e.g. a database file: its bytes carry timestamps
            files[rel] = "present"
    return files


def run_workflow_command(argv: list[str], cwd: Path) -> int:
    """Run an `autograder ...` command of the workflow here, in-process, with the shell's glob expansion."""
    assert Path(argv[0]).name == "autograder"
    args = []
    for arg in argv[1:]:
        args += sorted(glob.glob(arg, root_dir=cwd)) if "*" in arg else [arg]
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return main(args)
    finally:
        os.chdir(old)


@pytest.fixture(scope="session")
def sharded(grade_workflow, tmp_path_factory) -> dict:
    """A small class graded unsharded and with grade.yml's own commands for 2 and 3 shards, then merged."""
    work = tmp_path_factory.mktemp("sharded")
    build_sample_class(work / "class", (cheapest_assignment(),))
    submitted = work / "class" / "submitted"
    assert main(["grade", str(submitted), "--out", str(work / "unsharded"), "--quiet"]) == 0

    jobs = grade_workflow["jobs"]
    (grade_run,) = [s["run"] for s in run_steps(jobs["grade"]) if "autograder grade" in s["run"]]
    grade_step = next(s for s in run_steps(jobs["grade"]) if s["run"] == grade_run)
    (merge_run,) = [s["run"] for s in run_steps(jobs["merge"]) if "autograder merge" in s["run"]]
    runs = {}
    for total in (2, 3):
        runner, downloads = work / f"n{total}-runner", work / f"n{total}-merge"
        runner.mkdir()
        downloads.mkdir()
        for shard in range(1, total + 1):
            values = {"matrix.shard": str(shard), "strategy.job-total": str(total), "inputs.submissions": ""}
            env = {k: substitute(str(v), values) for k, v in grade_step.get("env", {}).items()}
            env["SUBMISSIONS"] = str(submitted)
            (argv,) = commands(substitute(grade_run, values))
            argv = [env.get(a[1:], a) if a.startswith("$") else a for a in argv]
            assert run_workflow_command(argv, runner) == 0
            # upload-artifact of shard-i, then download-artifact with pattern shard-*: a folder per artifact
            shutil.copytree(runner / f"shard-{shard}", downloads / f"shard-{shard}")
        (argv,) = commands(merge_run)
        assert run_workflow_command(argv, downloads) == 0
        runs[total] = (runner, downloads / "graded")
    return {"class": submitted, "unsharded": work / "unsharded", "runs": runs}


@pytest.mark.parametrize("total", [2, 3])
def test_merged_shards_equal_an_unsharded_run(sharded, total):
    """grades.csv, run.json and every other file the run writes: the same as grading the class at once."""
    _, merged = sharded["runs"][total]
    expected = output_of(sharded["unsharded"])
    assert output_of(merged) == expected
    rows = list(csv.DictReader((merged / "grades.csv").open()))
    assert len(rows) == len(find_submissions(sharded["class"])) >= 4


@pytest.mark.parametrize("total", [2, 3])
def test_shards_are_disjoint_and_cover_the_class(sharded, total):
    runner, _ = sharded["runs"][total]
    shards = [
        {(s["student"], s["path"]) for s in json.loads((runner / f"shard-{i}" / "run.json").read_text())["submissions"]}
        for i in range(1, total + 1)
    ]
    everyone = {(student, str(path)) for student, path in find_submissions(sharded["class"])}
    assert set().union(*shards) == everyone
    assert sum(len(s) for s in shards) == len(everyone)
    assert all(shards)
