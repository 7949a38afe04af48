"""The pytest plugin that hands probe results to the hidden checks and collects their outcomes."""

from __future__ import annotations

import contextlib
import importlib
import io
import re
import threading
from pathlib import Path

import pytest

from autograder.probes import PROBES
from autograder.results import CheckResult

PYTEST_LOCK = threading.Lock()  # pytest.main is not thread-safe
TEST_NAME = re.compile(r"^test_exercise(\d+)(?:_\w+)?$")


class GraderFault(Exception):
    """The grader itself failed (the instructor's reference raised): not the student's fault."""


def scrub(message: str, secrets: frozenset[str]) -> str:
    """Drop the lines of a student's error that quote hidden material (an exception can say anything)."""
    kept = []
    for line in message.splitlines():
        if any(secret in line for secret in secrets):
            line = "[a line quoting the grader's hidden checks or solutions was removed]"
        kept.append(line)
    return "\n".join(kept)


class ExerciseRun:
    """The probe results of one exercise, or why the exercise could not run."""

    def __init__(self, probes: dict | None = None, error: str | None = None):
        self.probes, self.error = probes or {}, error


class GradingPlugin:
    """Serves `probes(name) -> (student_data, reference_data)` and records each test's outcome."""

    def __init__(
        self,
        module: str,
        student: dict[int, ExerciseRun],
        reference: dict[int, ExerciseRun],
        secrets: frozenset[str] = frozenset(),
    ):
        self.module, self.student, self.reference, self.secrets = module, student, reference, secrets
        self.outcomes: dict[str, CheckResult] = {}
        self.faults: list[str] = []

    def lookup(self, name: str):
        exercise = PROBES.get(self.module, {}).get(name, (None,))[0]
        if exercise is None:
            raise GraderFault(f"no probe named {name!r} in {self.module}")
        ref = self.reference.get(exercise, ExerciseRun(error="reference not run"))
        if ref.error or not ref.probes.get(name, {}).get("ok"):
            detail = ref.error or ref.probes.get(name, {}).get("error")
            raise GraderFault(f"the instructor's solution failed probe {name}: {detail}")
        run = self.student.get(exercise)
        if run is None or run.error:
            pytest.fail(scrub(run.error, self.secrets) if run else "not run", pytrace=False)
        result = run.probes.get(name)
        if result is None:
            pytest.fail("the check could not run", pytrace=False)
        if not result["ok"]:
            pytest.fail(f"Calling your code failed: {scrub(result['error'], self.secrets)}", pytrace=False)
        return result["data"], ref.probes[name]["data"]

    @pytest.fixture
    def probes(self):
        return self.lookup

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" or (report.when == "setup" and report.failed):
            self.outcomes[item.name] = self.check_result(item.name, call.excinfo and call.excinfo.value)

    def check_result(self, name: str, exc: BaseException | None) -> CheckResult:
        if exc is None:
            return CheckResult(name, True)
        if isinstance(exc, GraderFault):
            self.faults.append(f"{name}: {exc}")
            return CheckResult(name, False, "grader error")
        if isinstance(exc, (AssertionError, pytest.fail.Exception)):
            return CheckResult(name, False, str(exc).strip() or f"{name} failed")
        return CheckResult(name, False, f"The check could not use what your code returned ({type(exc).__name__}).")


def call_checks(module: str, plugin: GradingPlugin) -> dict[str, CheckResult]:
    """Call each `test_*` function of a check module with the `probes` fixture, as pytest would.

    The fast path for batches (pytest's collection costs about half a second per run); the
    outcomes are classified by the same `check_result` as under pytest.
    """
    for name, fn in vars(importlib.import_module(module)).items():
        if not (name.startswith("test") and callable(fn) and getattr(fn, "__module__", None) == module):
            continue
        try:
            fn(plugin.lookup)
            error = None
        except Exception as exc:  # noqa: BLE001 (a failing check may raise anything)
            error = exc
        except pytest.fail.Exception as exc:
            error = exc
        plugin.outcomes[name] = plugin.check_result(name, error)
    if plugin.faults:
        raise GraderFault("; ".join(plugin.faults))
    return plugin.outcomes


def run_checks(check_file: Path, plugin: GradingPlugin) -> dict[str, CheckResult]:
    """Run one check module under pytest, quietly, and return each test's outcome."""
    args = [
        str(check_file),
        "-q",
        "--assert=plain",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "-W",
        "ignore",
        "--rootdir",
        str(check_file.parent),
    ]
    with PYTEST_LOCK, contextlib.redirect_stdout(io.StringIO()) as out:
        code = pytest.main(args, plugins=[plugin])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise GraderFault(f"pytest could not run {check_file.name} (exit {int(code)}): {out.getvalue()[-500:]}")
    if plugin.faults:
        raise GraderFault("; ".join(plugin.faults))
    return plugin.outcomes


def exercise_of_test(name: str) -> int | None:
    match = TEST_NAME.match(name)
    return int(match.group(1)) if match else None
