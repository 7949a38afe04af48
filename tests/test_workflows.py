"""GitHub workflows: the Classroom template (`autograder export classroom`) and the sharded grading workflow.

GitHub Actions is not reachable here, so the tests lint each workflow with actionlint, check the actions'
major versions against the ones that run on Node 24, check the workflows against the contracts of the actions
they use (GitHub Classroom's grading reporter: its dist/main.js) and run their commands locally: the
template's check script on a solved and on an untouched notebook, its `result` output through a replay of
the reporter, and grade.yml's shard and merge commands on a small class, whose merged output must equal an
unsharded run.
"""

from __future__ import annotations

import ast
import base64
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
from test_reports import reporter

from autograder.cli import build_parser, main
from autograder.course import KIT_ROOT, course_assignments
from autograder.grading import find_submissions
from autograder.samples import build_sample_class, solved_notebook, write_notebook

CHECKS_DIR = KIT_ROOT / "autograder" / "checks"
REPO_ROOT = KIT_ROOT
SOURCE_DIR = KIT_ROOT / "source"

GRADE_YML = REPO_ROOT / ".github" / "workflows" / "grade.yml"
CLASSROOM_TEMPLATE = REPO_ROOT / "autograder" / "templates" / "classroom"
REPORTER = "classroom-resources/autograding-grading-reporter@v1"
# The current major of every action the workflows use: the first that runs on Node 24 (checkout v5+,
# setup-python v6, upload-artifact v6+, download-artifact v7+), the newest of each. The Classroom reporter
# has no release after v1 (GitHub Classroom was sunset; its v1 runs on Node 20, which runners force to 24).
CURRENT_ACTIONS = {
    "actions/checkout": "v6",
    "actions/setup-python": "v6",
    "actions/upload-artifact": "v7",
    "actions/download-artifact": "v8",
    "classroom-resources/autograding-grading-reporter": "v1",
}
STEP_ID = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")  # the reporter's pattern for runner ids
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
    """The commands of a `run:` block that call `autograder`, a script or Python (`\\` continuations joined;
    shell around them, like `|| status=$?`, left out)."""
    text = run.replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        line = line.split("||")[0].strip()
        if line and not line.startswith("#") and re.match(r"^(\S*/)?(autograder|bash|sh|python3?)\s", line):
            found.append(shlex.split(line))
    return found


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
    return [s for s in classroom["jobs"]["run-autograding-tests"]["steps"] if "check_exercise.py" in s.get("run", "")]


def test_classroom_job_follows_github_classroom(classroom):
    """Workflow name, job id, permissions, the bot guard and the triggers (a mapping) GitHub Classroom uses."""
    assert classroom["name"] == "Autograding Tests"  # the reporter's notice is read from this workflow only
    assert set(workflow_on(classroom)) == {"push", "repository_dispatch", "workflow_dispatch"}
    assert classroom["permissions"] == {"checks": "write", "actions": "read", "contents": "read"}
    assert list(classroom["jobs"]) == ["run-autograding-tests"]
    job = classroom["jobs"]["run-autograding-tests"]
    assert job["if"] == "github.actor != 'github-classroom[bot]'"
    assert job["steps"][0]["uses"].startswith("actions/checkout@")


def test_one_grader_step_per_exercise_with_points_from_source(classroom, template):
    """A step per exercise runs check_exercise.py with the exercise's points from source/ and --github-output."""
    steps = grader_steps(classroom)
    expected = [(a, ex) for a in course_assignments() for ex in a.exercises]
    assert len(steps) == len(expected)
    for step, (assignment, ex) in zip(steps, expected, strict=True):
        argv = shlex.split(step["run"])
        notebook = f"release/{assignment.id}/{assignment.id}.ipynb"
        assert argv[1:] == [
            "check_exercise.py",
            notebook,
            str(ex.number),
            "--points",
            f"{ex.points:g}",
            "--github-output",
        ]
        assert_command_exists(argv, template)
        assert str(ex.number) in step["name"] and assignment.id in step["name"]
        assert 0 < step["timeout-minutes"] <= 60 and step["if"] == "${{ !cancelled() }}"
        assert STEP_ID.match(step["id"])
    assert len({s["id"] for s in steps}) == len(steps)
    install = [
        s["run"] for s in classroom["jobs"]["run-autograding-tests"]["steps"] if "pip install" in s.get("run", "")
    ]
    assert (
        install == ["python -m pip install --quiet -r requirements.txt"] and (template / "requirements.txt").is_file()
    )


def test_reporter_reads_every_grader_step(classroom):
    """The reporter's runners list the step ids; env <ID>_RESULTS carries each step's result output."""
    steps = classroom["jobs"]["run-autograding-tests"]["steps"]
    reporter_step = steps[-1]
    assert reporter_step["uses"] == REPORTER and reporter_step["if"] == "${{ !cancelled() }}"
    ids = [s["id"] for s in grader_steps(classroom)]
    runners = [r.strip() for r in reporter_step["with"]["runners"].split(",")]
    assert runners == ids
    assert reporter_step["env"] == {f"{i.upper()}_RESULTS": f"${{{{ steps.{i}.outputs.result }}}}" for i in ids}


def workflow_files(template: Path) -> list[Path]:
    return [GRADE_YML, template / ".github" / "workflows" / "classroom.yml", CLASSROOM_TEMPLATE / "classroom.yml"]


def test_workflows_are_actionlint_clean(template):
    """Does actionlint (from the dev extra) find nothing in grade.yml, the exported classroom.yml and its template?"""
    actionlint = shutil.which("actionlint") or str(Path(sys.executable).parent / "actionlint")
    assert Path(actionlint).exists(), "actionlint is missing: pip install -e '.[dev]'"
    files = [str(p) for p in workflow_files(template)]
    proc = subprocess.run([actionlint, "-no-color", *files], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    broken = subprocess.run(  # and it does complain: a job that needs one that does not exist
        [actionlint, "-"],
        input=GRADE_YML.read_text().replace("needs: grade", "needs: grading"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert broken.returncode != 0


def test_every_action_is_its_current_major(template):
    """Is every `uses:` in both workflows an action of the table, at its current major version, and is `on:` a mapping?"""
    seen = set()
    for path in workflow_files(template)[:2]:
        data = yaml.safe_load(path.read_text())
        assert isinstance(workflow_on(data), dict), f"{path}: on: is not a mapping"
        for job in data["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    action, version = step["uses"].split("@")
                    assert CURRENT_ACTIONS.get(action) == version, step["uses"]
                    seen.add(action)
    assert seen == set(CURRENT_ACTIONS)


def check_script():
    """The template's check_exercise.py, imported as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("check_exercise", CLASSROOM_TEMPLATE / "check_exercise.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fractional_points_survive_to_the_reporter():
    """Worth 1.5 points, does a passed check show 1.5 in the reporter's console and notice (no parseInt), a
    failed one 0, and the total 1.5 of 3?"""
    script = check_script()
    passed = script.runner_result("nb.ipynb", 1, 1.5, True, "Exercise 1: OK", 0.1)
    failed = script.runner_result("nb.ipynb", 2, 1.5, False, "Exercise 2: wrong", 0.1)
    env = {
        "EX1_RESULTS": base64.b64encode(json.dumps(passed).encode()).decode(),
        "EX2_RESULTS": base64.b64encode(json.dumps(failed).encode()).decode(),
    }
    seen = reporter(env, "ex1,ex2")
    assert seen["points"] == (1.5, 3.0) and seen["console"] == {"ex1": 1.5, "ex2": 0.0}
    assert seen["failed"] == "Some tests failed." and "Error: Exercise 2: wrong" in seen["lines"]


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


def run_step_command(command: str, cwd: Path, output: Path) -> subprocess.CompletedProcess:
    """Run a grader step's command as the runner would: this machine's Python as `python`, $GITHUB_OUTPUT set."""
    argv = shlex.split(command)
    assert argv[0] == "python"
    env = {**os.environ, "GITHUB_OUTPUT": str(output)}
    return subprocess.run(
        [sys.executable, *argv[1:]], cwd=cwd, env=env, capture_output=True, text=True, timeout=CHECK_TIMEOUT
    )


def step_result(output: Path) -> dict:
    """The `result` a step wrote to $GITHUB_OUTPUT, decoded as the reporter decodes it."""
    (line,) = [line for line in output.read_text().splitlines() if line.startswith("result=")]
    return json.loads(base64.b64decode(line.removeprefix("result="), validate=True))


def test_check_script_passes_a_solved_notebook_and_fails_the_release(template, classroom, tmp_path):
    """Does the step give the exercise's points for a solved notebook and 0 for the release (exit 0 both times:
    the reporter decides), and does the reporter then show those points?"""
    assignment = cheapest_assignment()
    step = next(s for s in grader_steps(classroom) if f"release/{assignment.id}/" in s["run"])
    number, points = shlex.split(step["run"])[3], assignment.exercise(int(shlex.split(step["run"])[3])).points

    untouched = run_step_command(step["run"], template, tmp_path / "out-release")
    assert untouched.returncode == 0, untouched.stderr
    assert f"Exercise {number}" in untouched.stderr and "NotImplementedError" in untouched.stderr
    failed = step_result(tmp_path / "out-release")
    assert failed["status"] == "fail" and failed["max_score"] == points and failed["tests"][0]["score"] == 0

    student = tmp_path / "student-repo"
    shutil.copytree(template, student)
    notebook = student / "release" / assignment.id / f"{assignment.id}.ipynb"
    before = notebook.read_bytes()
    write_notebook(solved_notebook(assignment), notebook)
    solved = run_step_command(step["run"], student, tmp_path / "out-solved")
    assert solved.returncode == 0, solved.stderr
    assert f"Exercise {number}: OK" in solved.stdout
    passed = step_result(tmp_path / "out-solved")
    assert passed["status"] == "pass" and passed["tests"][0]["score"] == points
    assert (template / "release" / assignment.id / f"{assignment.id}.ipynb").read_bytes() == before
    env = {
        "A_RESULTS": base64.b64encode(json.dumps(passed).encode()).decode(),
        "B_RESULTS": base64.b64encode(json.dumps(failed).encode()).decode(),
    }
    assert reporter(env, "a,b")["points"] == (points, 2 * points)


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
    (grade_step,) = [s for s in run_steps(grade) if "autograder grade" in s["run"]]
    assert grade_step["env"]["SHARD"] == "${{ matrix.shard }}/${{ strategy.job-total }}"
    assert grade_step["env"]["OUT"] == "shard-${{ matrix.shard }}"
    assert '--shard "$SHARD" --out "$OUT"' in grade_step["run"]
    assert [s["run"] for s in run_steps(merge) if "autograder merge" in s["run"]] == [
        ".venv/bin/autograder merge shard-* --out graded"
    ]


def test_grade_workflow_commands_exist(grade_workflow):
    """Every run: command is a real script or a real `autograder` subcommand with valid options."""
    values = {"matrix.shard": "1", "strategy.job-total": "4", "inputs.submissions": "submitted"}
    seen = 0
    for job in grade_workflow["jobs"].values():
        for step in run_steps(job):
            env = {k: substitute(str(v), values) for k, v in step.get("env", {}).items()}
            for argv in commands(substitute(step["run"], values)):
                assert_command_exists([expand(a, env) for a in argv], REPO_ROOT)
                seen += 1
            script = subprocess.run(["bash", "-n"], input=step["run"], capture_output=True, text=True)
            assert script.returncode == 0, script.stderr
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


def expand(arg: str, env: dict[str, str]) -> str:
    """`$NAME` or `${NAME}` replaced by the step's environment, as the shell does."""
    return re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), m.group(0)), arg)


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
    # 1: graded, but the class's broken notebook could not be (the workflow's step accepts 0 and 1)
    assert main(["grade", str(submitted), "--out", str(work / "unsharded"), "--quiet"]) == 1

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
            assert run_workflow_command([expand(a, env) for a in argv], runner) in (0, 1)
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
