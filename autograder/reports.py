"""The same results rendered for CI: GitHub Classroom's grader-runner JSON and JUnit XML.

GitHub Classroom: a grader step (`classroom-resources/autograding-command-grader`,
`…-python-grader`) sets its output `result` to base64 of a JSON object, version 3:
`{version, status: pass|fail|error, max_score, tests: [{name, status, message, test_code, task_id,
filename, line_no, duration, score}]}` (plus `message` when the run errored). The reporter
(`classroom-resources/autograding-grading-reporter@v1`) decodes env `<RUNNER>_RESULTS` for each runner,
prints a ✅/❌ line per test and, per runner, "Total points for R: (passed tests / tests) × max_score", posts
"Points Σ tests[].score / Σ max_score" to Classroom (runners with a max_score of 0 left out), and fails the
workflow when a `status` is "fail" ("Some tests failed.") or "error".

So the console and the posted points agree only when a runner's share of passed tests is its share of points.
`classroom_result` is one runner for a whole run (a file for CI); `classroom_runners` gives the reporter one
runner per exercise, a test per hidden check, which agree (the checks of an exercise weigh the same), and
`github_output` writes them for a workflow step.

A submission that could not be graded is an error everywhere: status "error", no points and no maximum
(so Classroom is not sent a 0), and a JUnit `<error>` instead of a `<failure>`.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from autograder.results import CheckResult, ExerciseResult, SubmissionResult

CLASSROOM_VERSION = 3
# Characters XML 1.0 allows; student output (ANSI colours, NUL bytes) may carry others.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _as_list(results: SubmissionResult | Iterable[SubmissionResult]) -> list[SubmissionResult]:
    return [results] if isinstance(results, SubmissionResult) else list(results)


def _label(result: SubmissionResult) -> str:
    return f"{result.student}/{result.assignment or Path(result.path).stem}"


def _points(ex: ExerciseResult) -> str:
    return f"{ex.score:g}/{ex.max_score:g} points"


# GitHub Classroom


def classroom_result(results: SubmissionResult | Iterable[SubmissionResult]) -> dict:
    """The grader-runner JSON (version 3) for one submission, or for several (test names then say whose)."""
    results = _as_list(results)
    many = len(results) > 1
    tests, errors = [], []
    for r in results:
        prefix = f"{_label(r)}: " if many else ""
        if r.status == "error":
            errors.append(f"{prefix}could not be graded: {r.error}")
            tests.append(
                {
                    "name": f"{prefix}could not be graded",
                    "status": "error",
                    "message": f"Could not be graded: {r.error}",
                    "test_code": "",
                    "task_id": 0,
                    "filename": r.path,
                    "line_no": 0,
                    "duration": round(r.execution_time, 3),
                    "score": 0,  # the reporter adds every test's score; this one adds nothing
                }
            )
            continue
        for ex in r.exercises:
            tests.append(
                {
                    "name": prefix + ex.title,
                    "status": "pass" if ex.status == "passed" else "fail",
                    "message": f"{_points(ex)}. {ex.feedback()}",
                    "test_code": f"test_exercise{ex.number}",
                    "task_id": ex.number,
                    "filename": r.path,
                    "line_no": 0,
                    "duration": round(ex.seconds, 3),
                    "score": ex.score,
                }
            )
    if errors:
        status = "error"
    elif any(t["status"] == "fail" for t in tests):
        status = "fail"
    else:
        status = "pass"
    data = {
        "version": CLASSROOM_VERSION,
        "status": status,
        # an ungradable submission has no exercises, so it adds nothing: no "0 of N" is posted for it
        "max_score": sum(r.max_score for r in results if r.status != "error"),
        "tests": tests,
    }
    if errors:
        data["message"] = "\n".join(errors)
    return data


def classroom_json(results: SubmissionResult | Iterable[SubmissionResult]) -> str:
    """Compact JSON that JavaScript's JSON.parse reads (no NaN or Infinity)."""
    return json.dumps(classroom_result(results), separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def classroom_output(results: SubmissionResult | Iterable[SubmissionResult]) -> str:
    """The grader step's `result` output: base64 of the JSON, one line (for `result=…` in $GITHUB_OUTPUT)."""
    return base64.b64encode(classroom_json(results).encode("utf-8")).decode("ascii")


def classroom_runners(results: SubmissionResult | Iterable[SubmissionResult]) -> dict[str, dict]:
    """One grader-runner JSON per exercise (runner ids ex1, ex2, ...; s1ex1, ... for several submissions).

    Each runner's tests are the exercise's hidden checks, so the reporter's console share of passed tests
    times max_score is the exercise's score; the score itself sits on the first test, so the sum the
    reporter posts is the grader's. A submission that could not be graded is one runner `error` (s1error).
    """
    results = _as_list(results)
    many = len(results) > 1
    runners = {}
    for index, r in enumerate(results, start=1):
        base = f"s{index}" if many else ""  # letters and digits only: the reporter's pattern for `runners`
        if r.status == "error":
            runners[f"{base}error"] = classroom_result(r)
            continue
        label = f"{_label(r)}: " if many else ""
        for ex in r.exercises:
            checks = ex.checks or [CheckResult(ex.title, ex.status == "passed", ex.feedback())]
            tests = [
                {
                    "name": f"{label}{ex.title}: {c.name}",
                    "status": "pass" if c.passed else "fail",
                    "message": c.message or ("" if c.passed else ex.feedback()),
                    "test_code": c.name,
                    "task_id": ex.number,
                    "filename": r.path,
                    "line_no": 0,
                    "duration": round(ex.seconds, 3) if i == 0 else 0,
                    "score": ex.score if i == 0 else 0,
                }
                for i, c in enumerate(checks)
            ]
            status = "pass" if ex.status == "passed" else "fail"
            runners[f"{base}ex{ex.number}"] = {
                "version": CLASSROOM_VERSION,
                "status": status,
                "max_score": ex.max_score,
                "tests": tests,
            }
    return runners


def github_output(
    results: SubmissionResult | Iterable[SubmissionResult], output: Path | str, env: Path | str
) -> list[str]:
    """Append `runners=<ids>` to the step-output file and `<ID>_RESULTS=<base64>` per runner to the env file
    (GitHub Actions' $GITHUB_OUTPUT and $GITHUB_ENV), for the grading reporter of a later step."""
    runners = classroom_runners(results)
    with open(env, "a", encoding="utf-8") as handle:
        for runner, data in runners.items():
            text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
            handle.write(f"{runner.upper()}_RESULTS={base64.b64encode(text.encode()).decode('ascii')}\n")
    with open(output, "a", encoding="utf-8") as handle:
        handle.write(f"runners={','.join(runners)}\n")
    return list(runners)


def write_classroom(path: Path | str, results: SubmissionResult | Iterable[SubmissionResult]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(classroom_result(results), indent=2, allow_nan=False) + "\n")
    return path


# JUnit XML


def _clean(text: object) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


def _seconds(value: float) -> str:
    return f"{max(value, 0.0):.3f}"


def _testcase(parent: ET.Element, name: str, classname: str, seconds: float) -> ET.Element:
    return ET.SubElement(
        parent, "testcase", {"name": _clean(name), "classname": _clean(classname), "time": _seconds(seconds)}
    )


def _suite(r: SubmissionResult, index: int, timestamp: str, hostname: str) -> tuple[ET.Element, dict[str, int]]:
    """One <testsuite> per submission: a <testcase> per exercise, or one <error> when it could not be graded."""
    label = _label(r)
    classname = label.replace("/", ".")
    suite = ET.Element("testsuite")
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("student", r.student),
        ("assignment", r.assignment),
        ("path", r.path),
        ("status", r.status),
        ("score", "" if r.status == "error" else f"{r.score:g}"),
        ("max_score", "" if r.status == "error" else f"{r.max_score:g}"),
        ("seed", r.seed),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": _clean(value)})
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if r.status == "error":
        case = _testcase(suite, "could not be graded", classname, r.execution_time)
        error = ET.SubElement(case, "error", {"message": _clean(r.error), "type": "SubmissionError"})
        error.text = _clean(r.error)
        counts.update(tests=1, errors=1)
    for ex in r.exercises:
        case = _testcase(suite, ex.title, classname, ex.seconds)
        counts["tests"] += 1
        if ex.status != "passed":
            first = ex.feedback().splitlines()[0] if ex.feedback() else ""
            failure = ET.SubElement(case, "failure", {"message": _clean(f"{_points(ex)}: {first}"), "type": "failed"})
            failure.text = _clean(f"{_points(ex)}\n{ex.feedback()}")
            counts["failures"] += 1
    ET.SubElement(suite, "system-out").text = _clean(r.feedback())
    ET.SubElement(suite, "system-err").text = ""
    suite.attrib.update(
        {
            "name": _clean(label),
            "tests": str(counts["tests"]),
            "failures": str(counts["failures"]),
            "errors": str(counts["errors"]),
            "skipped": "0",
            "time": _seconds(r.execution_time),
            "timestamp": timestamp,
            "hostname": hostname,
            "id": str(index),
            "package": _clean(r.assignment or "ungraded"),
        }
    )
    return suite, counts


def junit_xml(results: SubmissionResult | Iterable[SubmissionResult], name: str = "autograder") -> str:
    """JUnit XML: <testsuites> with one <testsuite> per submission and one <testcase> per exercise.

    A partly or wrongly solved exercise is a <failure> (its message starts with the points); a submission
    that could not be graded is a testsuite with one <testcase> holding an <error>. Valid against the Jenkins
    xunit plugin's JUnit schema (tests/schemas/junit-10.xsd): properties, testcases, system-out and
    system-err in that order; failure and error with message and type; timestamp without a time zone.
    """
    results = _as_list(results)
    timestamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    hostname = _clean(socket.gethostname() or "localhost")
    root = ET.Element("testsuites", {"name": _clean(name)})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for index, r in enumerate(results):
        suite, counts = _suite(r, index, timestamp, hostname)
        root.append(suite)
        for key in totals:
            totals[key] += counts[key]
    # The Jenkins (xunit) schema allows name, tests, failures, errors and time on <testsuites>; not skipped.
    root.attrib.update({key: str(totals[key]) for key in ("tests", "failures", "errors")})
    root.set("time", _seconds(sum(r.execution_time for r in results)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(path: Path | str, results: SubmissionResult | Iterable[SubmissionResult]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(junit_xml(results), encoding="utf-8")
    return path
