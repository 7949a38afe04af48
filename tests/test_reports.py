"""One results model, rendered for CI: GitHub Classroom's runner JSON and JUnit XML (issue: run where courses run).

The Classroom checks replay what `classroom-resources/autograding-grading-reporter@v1` does with runners'
outputs (its dist/main.js: ConsoleResults prints (passed tests / tests) x max_score per runner, NotifyClassroom
posts the sum of the tests' scores); the JUnit checks validate against the Jenkins xunit plugin's schema
(tests/schemas/junit-10.xsd) with xmlschema, read the file with junitparser, and apply the counting rules
CI test reporters rely on.
"""

from __future__ import annotations

import base64
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import junitparser
import pytest
import xmlschema
from conftest import mse_with_body

from autograder.cli import main
from autograder.grading import grade_submission, write_batch
from autograder.reports import classroom_output, classroom_result, classroom_runners, github_output, junit_xml
from autograder.results import CheckResult, ExerciseResult, SubmissionResult

# Helpers


def exercise(number: int, score: float, max_score: float, message: str = "") -> ExerciseResult:
    checks = [CheckResult("a", True), CheckResult("b", score >= max_score, message or "wrong values")]
    return ExerciseResult(number, f"Exercise {number}: part{number}", score, max_score, checks, seconds=0.25)


def graded(student: str, scores: list[tuple[float, float]], message: str = "") -> SubmissionResult:
    exercises = [exercise(n, s, m, message) for n, (s, m) in enumerate(scores, start=1)]
    path = f"submitted/{student}/02_linear_regression/02_linear_regression.ipynb"
    return SubmissionResult(path, student, "02_linear_regression", "graded", exercises, execution_time=2.5)


def ungradable(student: str = "dan") -> SubmissionResult:
    path = f"submitted/{student}/02_linear_regression/02_linear_regression.ipynb"
    error = "02_linear_regression.ipynb: not a notebook (the file is not valid JSON)"
    return SubmissionResult(path, student, "", "error", error=error, execution_time=0.01)


JUNIT_SCHEMA = xmlschema.XMLSchema(Path(__file__).parent / "schemas" / "junit-10.xsd")
FULL = graded("ada", [(1, 1), (2, 2), (2, 2)])
PARTIAL = graded("ben", [(1, 1), (1, 2), (0, 2)], message="sum instead of mean")
BROKEN = ungradable()


def _reject_constant(name: str):
    raise ValueError(f"JSON.parse rejects {name}")


def reporter(env: dict[str, str], runners: str) -> dict:
    """What the grading reporter does with `runners` and the env `<ID>_RESULTS` outputs of grader steps."""
    parsed = []
    for runner in runners.split(","):
        encoded = env[f"{runner.strip().upper()}_RESULTS"]
        text = base64.b64decode(encoded, validate=True).decode("utf-8")
        parsed.append((runner.strip(), json.loads(text, parse_constant=_reject_constant)))
    lines = []
    for _, results in parsed:  # ConsoleResults
        for test in results["tests"]:
            if test["status"] == "pass":
                lines.append(f"✅ {test['name']}")
            else:
                lines.append(f"❌ {test['name']}")
                fallback = f"Failed to run test '{test['name']}'"
                lines.append(f"Error: {test.get('message') or fallback}")
    total = maximum = 0
    for _, results in parsed:  # NotifyClassroom: the points posted to GitHub Classroom
        if not results.get("max_score"):
            continue
        maximum += results["max_score"]
        for test in results["tests"]:
            total += test["score"]  # JavaScript would make a missing score NaN; here it is a KeyError
    statuses = {results["status"] for _, results in parsed}
    failed = "Some tests failed." if "fail" in statuses else "Some tests errored." if "error" in statuses else None
    # ConsoleResults: "Total points for R: (passed / tests) x max_score" for each runner with a max_score
    console = {
        runner: sum(t["status"] == "pass" for t in results["tests"]) / len(results["tests"]) * results["max_score"]
        for runner, results in parsed
        if results.get("max_score")
    }
    return {"lines": lines, "points": (total, maximum) if maximum else None, "failed": failed, "console": console}


def junit_problems(text: str) -> list[str]:
    """Where a JUnit document breaks the Ant/Jenkins schema (strict variant) that CI reporters read."""
    problems = [str(e.reason or e.message) for e in JUNIT_SCHEMA.iter_errors(text)]
    root = ET.fromstring(text)
    if root.tag != "testsuites":
        return [f"root is <{root.tag}>, not <testsuites>"]

    def count(elem, name):
        value = elem.get(name)
        if value is None or not re.fullmatch(r"\d+", value):
            problems.append(f"<{elem.tag} {elem.get('name')!r}> {name}={value!r} is not a count")
            return 0
        return int(value)

    def seconds(elem):
        value = elem.get("time")
        if value is None or not re.fullmatch(r"\d+(\.\d+)?", value):
            problems.append(f"<{elem.tag} {elem.get('name')!r}> time={value!r} is not seconds")

    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for suite in root:
        if suite.tag != "testsuite":
            problems.append(f"<{suite.tag}> inside <testsuites>")
            continue
        for attr in ("name", "hostname", "id", "package"):
            if not (suite.get(attr) or "").strip():
                problems.append(f"testsuite without {attr}")
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", suite.get("timestamp", "")):
            problems.append(f"testsuite timestamp {suite.get('timestamp')!r} is not ISO 8601 without a zone")
        seconds(suite)
        tags = [child.tag for child in suite]
        expected = ["properties"] + ["testcase"] * tags.count("testcase") + ["system-out", "system-err"]
        if tags != expected:
            problems.append(f"testsuite {suite.get('name')!r} children {tags}, expected {expected}")
        for prop in suite.iter("property"):
            if prop.get("name") is None or prop.get("value") is None:
                problems.append("property without name or value")
        found = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
        for case in suite.iter("testcase"):
            found["tests"] += 1
            if not case.get("name") or case.get("classname") is None:
                problems.append(f"testcase {case.get('name')!r} without name or classname")
            seconds(case)
            outcomes = [c for c in case if c.tag in ("failure", "error", "skipped")]
            if len(outcomes) > 1:
                problems.append(f"testcase {case.get('name')!r} has {len(outcomes)} outcomes")
            for outcome in outcomes:
                key = {"failure": "failures", "error": "errors", "skipped": "skipped"}[outcome.tag]
                found[key] += 1
                if outcome.tag != "skipped" and (outcome.get("message") is None or outcome.get("type") is None):
                    problems.append(f"<{outcome.tag}> in {case.get('name')!r} without message and type")
        for key, value in found.items():
            if count(suite, key) != value:
                problems.append(f"testsuite {suite.get('name')!r} says {key}={suite.get(key)}, has {value}")
            totals[key] += value
    for key in ("tests", "failures", "errors"):
        if count(root, key) != totals[key]:
            problems.append(f"testsuites says {key}={root.get(key)}, has {totals[key]}")
    return problems


# GitHub Classroom


def test_classroom_result_has_the_runner_fields():
    """Is the result a version 3 runner JSON with the per-test fields and statuses the reporter reads?"""
    data = classroom_result(PARTIAL)
    assert data["version"] == 3 and data["status"] == "fail" and data["max_score"] == 5
    assert "message" not in data  # only a run that errored carries a top-level message
    fields = {"name", "status", "message", "test_code", "task_id", "filename", "line_no", "duration", "score"}
    for test in data["tests"]:
        assert set(test) == fields
        assert isinstance(test["score"], (int, float)) and isinstance(test["line_no"], int)
    assert [t["status"] for t in data["tests"]] == ["pass", "fail", "fail"]
    assert [t["score"] for t in data["tests"]] == [1, 1, 0]
    assert (
        data["tests"][1]["message"].startswith("1/2 points.") and "sum instead of mean" in data["tests"][1]["message"]
    )
    assert classroom_result(FULL)["status"] == "pass"


def test_reporter_posts_the_same_points_as_the_grader():
    """Decoded as the reporter decodes it, do the posted points equal our score, with ✅/❌ per exercise?"""
    seen = reporter({"GRADE_RESULTS": classroom_output(PARTIAL)}, "grade")
    assert seen["points"] == (PARTIAL.score, PARTIAL.max_score) == (2, 5)
    assert seen["lines"][0] == "✅ Exercise 1: part1"
    assert "❌ Exercise 2: part2" in seen["lines"] and any("sum instead of mean" in line for line in seen["lines"])
    assert seen["failed"] == "Some tests failed."
    assert reporter({"GRADE_RESULTS": classroom_output(FULL)}, "grade") == {
        "lines": [f"✅ {ex.title}" for ex in FULL.exercises],
        "points": (5, 5),
        "failed": None,
        "console": {"grade": 5},
    }


def test_ungradable_is_an_error_never_zero_points():
    """Is a submission that could not be graded an error with no points posted, not a 0 out of N?"""
    data = classroom_result(BROKEN)
    assert data["status"] == "error" and data["max_score"] == 0
    assert [t["status"] for t in data["tests"]] == ["error"]
    assert "not a notebook" in data["message"] and "not a notebook" in data["tests"][0]["message"]
    seen = reporter({"GRADE_RESULTS": classroom_output(BROKEN)}, "grade")
    assert seen["points"] is None  # the reporter posts nothing when max_score is 0
    assert seen["failed"] == "Some tests errored."
    # In a batch, the ungradable one adds neither points nor a maximum to the graded ones.
    batch = reporter({"GRADE_RESULTS": classroom_output([FULL, BROKEN])}, "grade")
    assert batch["points"] == (5, 5) and batch["failed"] == "Some tests errored."


def test_batch_names_say_whose_test_it_is():
    """With several submissions, does each test name start with student/assignment, and is the output one line?"""
    data = classroom_result([FULL, PARTIAL, BROKEN])
    names = [t["name"] for t in data["tests"]]
    assert names[0] == "ada/02_linear_regression: Exercise 1: part1"
    assert names[-1] == "dan/02_linear_regression: could not be graded"
    assert "\n" not in classroom_output([FULL, PARTIAL, BROKEN])


# JUnit XML


def test_junit_follows_the_schema_ci_reporters_read():
    """Does the XML parse and follow the schema, a testsuite per submission and a testcase per exercise?"""
    text = junit_xml([FULL, PARTIAL, BROKEN])
    assert junit_problems(text) == []
    root = ET.fromstring(text)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("7", "2", "1")
    suites = {s.get("name"): s for s in root}
    assert list(suites) == ["ada/02_linear_regression", "ben/02_linear_regression", "dan/02_linear_regression"]
    assert [c.get("name") for c in suites["ada/02_linear_regression"].iter("testcase")] == [
        ex.title for ex in FULL.exercises
    ]
    failure = suites["ben/02_linear_regression"].find("testcase[2]/failure")
    assert failure.get("message").startswith("1/2 points") and "sum instead of mean" in failure.text
    props = {p.get("name"): p.get("value") for p in suites["ben/02_linear_regression"].iter("property")}
    assert (props["score"], props["max_score"], props["status"]) == ("2", "5", "graded")


def test_junit_ungradable_is_an_error_element():
    """Is a submission that could not be graded one <error>, with no <failure> and no score?"""
    suite = ET.fromstring(junit_xml(BROKEN)).find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "0", "1")
    error = suite.find("testcase/error")
    assert "not a notebook" in error.get("message") and error.get("type") == "SubmissionError"
    assert suite.find(".//failure") is None
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["score"] == "" and props["status"] == "error"


def test_schema_check_can_say_no():
    """Does the check reject a testcase without classname, a count that does not add up, and (the Jenkins
    schema itself) a `skipped` count on <testsuites> or a testsuite without a name?"""
    good = junit_xml(PARTIAL)
    assert junit_problems(good) == []
    assert junit_problems(good.replace(' classname="ben.02_linear_regression"', "", 1))
    assert junit_problems(good.replace('failures="2"', 'failures="1"', 1))
    assert list(JUNIT_SCHEMA.iter_errors(good.replace("<testsuites ", '<testsuites skipped="0" ', 1)))
    assert list(JUNIT_SCHEMA.iter_errors(good.replace(' name="ben/02_linear_regression"', "", 1)))


def test_junitparser_reads_what_we_write():
    """Does junitparser (what many CI tools build on) read the suites, cases and outcomes we wrote?"""
    xml = junitparser.JUnitXml.fromstring(junit_xml([FULL, PARTIAL, BROKEN]))
    suites = {suite.name: suite for suite in xml}
    assert list(suites) == ["ada/02_linear_regression", "ben/02_linear_regression", "dan/02_linear_regression"]
    ben = suites["ben/02_linear_regression"]
    assert (ben.tests, ben.failures, ben.errors) == (3, 2, 0)
    outcomes = [type(case.result[0]).__name__ if case.result else "passed" for case in ben]
    assert outcomes == ["passed", "Failure", "Failure"]
    assert type(next(iter(suites["dan/02_linear_regression"])).result[0]).__name__ == "Error"


def test_junit_survives_student_output():
    """Does student text with ANSI colours, NUL bytes and markup still give well-formed XML?"""
    nasty = graded("eve<&>", [(0, 1)], message="\x1b[31mboom\x1b[0m\x00 </failure> & <b>")
    text = junit_xml(nasty)
    assert junit_problems(text) == []
    failure = ET.fromstring(text).find(".//failure")
    assert "</failure> & <b>" in failure.text and "\x1b" not in failure.text
    assert json.loads(base64.b64decode(classroom_output(nasty)))["tests"][0]["name"] == "Exercise 1: part1"


# From a real grading run to the files


@pytest.fixture
def real_results(make_submission, core, tmp_path):
    """A real notebook with a wrong mse (exercise 2), and a truncated one, graded by the grader."""
    wrong = grade_submission(make_submission(mse_with_body(core, "return ((preds - targets) ** 2).sum()")))
    broken = tmp_path / "submitted" / "dan" / core.id / f"{core.id}.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_text('{"cells": [')
    return [wrong, grade_submission(broken, student="dan")]


def test_real_run_renders_to_every_format(real_results, tmp_path):
    """Graded for real, is the wrong mse the only ❌/<failure>, and the broken file the only error?"""
    wrong, broken = real_results
    assert wrong.status == "graded" and broken.status == "error"
    data = classroom_result(real_results)
    statuses = {t["task_id"]: t["status"] for t in data["tests"] if t["status"] != "error"}
    assert statuses == {ex.number: "fail" if ex.number == 2 else "pass" for ex in wrong.exercises}
    seen = reporter({"GRADE_RESULTS": classroom_output(real_results)}, "grade")
    assert seen["points"] == (wrong.score, wrong.max_score)
    text = junit_xml(real_results)
    assert junit_problems(text) == []
    root = ET.fromstring(text)
    assert [c.get("name") for c in root.iter("testcase") if c.find("failure") is not None] == [wrong.exercises[1].title]
    assert len(root.findall(".//error")) == 1
    write_batch(real_results, tmp_path / "graded")
    assert json.loads((tmp_path / "graded" / "classroom.json").read_text()) == data
    assert junit_problems((tmp_path / "graded" / "junit.xml").read_text()) == []


def test_cli_writes_junit_and_classroom_for_one_notebook(tmp_path, capsys):
    """Does `autograder grade NB --junit F --classroom F` write both, also for a notebook it cannot grade (and
    exit 1: it could not be graded)?"""
    notebook = tmp_path / "02_linear_regression.ipynb"
    notebook.write_text("not json")
    junit, classroom = tmp_path / "out" / "junit.xml", tmp_path / "out" / "classroom.json"
    args = ["grade", str(notebook), "--results", str(tmp_path / "results.json")]
    assert main([*args, "--junit", str(junit), "--classroom", str(classroom)]) == 1
    assert junit_problems(junit.read_text()) == []
    assert ET.fromstring(junit.read_text()).get("errors") == "1"
    assert json.loads(classroom.read_text())["status"] == "error"
    assert f"wrote {junit}" in capsys.readouterr().out


def test_batch_output_has_junit_and_classroom(tmp_path):
    """Does a batch output folder (grade DIR, merge) carry junit.xml and classroom.json of the whole run?"""
    results = [FULL, PARTIAL, BROKEN]
    write_batch(results, tmp_path)
    assert json.loads((tmp_path / "classroom.json").read_text()) == classroom_result(results)
    root = ET.fromstring((tmp_path / "junit.xml").read_text())
    assert len(root.findall("testsuite")) == 3 and root.get("errors") == "1"


# One runner per exercise: the reporter's console and the points it posts agree


def test_exercise_runners_agree_in_console_and_notice():
    """With partial credit, does the reporter print per runner the same points it posts (it prints the share of
    passed tests times max_score, and posts the sum of the tests' scores)?"""
    checks = {1: [True, True], 2: [True, False], 3: [False, False, False]}  # 1/1, 1/2 and 0/3 points
    exercises = [
        ExerciseResult(
            n, f"Exercise {n}", len(c) * sum(c) / len(c), len(c), [CheckResult(f"c{i}", p) for i, p in enumerate(c)]
        )
        for n, c in checks.items()
    ]
    partial = SubmissionResult("nb.ipynb", "ben", "02_linear_regression", "graded", exercises)
    runners = classroom_runners(partial)
    assert list(runners) == ["ex1", "ex2", "ex3"]
    env = {f"{r.upper()}_RESULTS": base64.b64encode(json.dumps(d).encode()).decode() for r, d in runners.items()}
    seen = reporter(env, ",".join(runners))
    assert seen["points"] == (partial.score, partial.max_score) == (3, 7)
    assert seen["console"] == {"ex1": 2, "ex2": 1, "ex3": 0}
    # one runner for the whole notebook (the file format) cannot: its console shows the share of passed tests
    whole = reporter({"GRADE_RESULTS": classroom_output(partial)}, "grade")
    assert whole["console"]["grade"] != partial.score


def test_exercise_runners_of_a_real_run(real_results):
    """Graded for real (a wrong mse), do the console and the posted points equal the grader's, per exercise?"""
    wrong, broken = real_results
    runners = classroom_runners(wrong)
    env = {f"{r.upper()}_RESULTS": base64.b64encode(json.dumps(d).encode()).decode() for r, d in runners.items()}
    seen = reporter(env, ",".join(runners))
    assert seen["points"][0] == pytest.approx(wrong.score) and seen["points"][1] == wrong.max_score
    assert seen["console"] == pytest.approx({f"ex{ex.number}": ex.score for ex in wrong.exercises}, abs=0.005)
    assert list(classroom_runners([wrong, broken])) == [f"s1ex{ex.number}" for ex in wrong.exercises] + ["s2error"]


def test_github_output_feeds_the_reporter(tmp_path):
    """Does github_output write `runners=` to the step outputs and each runner's base64 JSON to the env file?"""
    output, env_file = tmp_path / "output", tmp_path / "env"
    assert github_output(PARTIAL, output, env_file) == ["ex1", "ex2", "ex3"]
    assert output.read_text() == "runners=ex1,ex2,ex3\n"
    env = dict(line.split("=", 1) for line in env_file.read_text().splitlines())
    assert reporter(env, "ex1,ex2,ex3")["points"] == (PARTIAL.score, PARTIAL.max_score)
