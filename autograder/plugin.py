"""The pytest plugin that hands probe results to the hidden checks and collects their outcomes."""

from __future__ import annotations

import builtins
import contextlib
import io
import re
import sys
import threading
from pathlib import Path

import pytest

from autograder.feedback import describe_error, error_name, hint_for
from autograder.probes import PROBES
from autograder.results import CheckResult

PYTEST_LOCK = threading.Lock()  # pytest.main is not thread-safe
TEST_NAME = re.compile(r"^test_exercise(\d+)(?:_\w+)?$")


class GraderFault(Exception):
    """The grader itself failed (the instructor's reference raised): not the student's fault."""


class ExerciseRun:
    """The probe results of one exercise, or why the exercise could not run.

    `cell_lines` maps the student's cell file names to their number of lines (to check reported lines).
    """

    def __init__(
        self,
        probes: dict | None = None,
        error: str | None = None,
        cell_lines: dict[str, int] | None = None,
        memory_mb: int = 2048,
        grader_fault: bool = False,
    ):
        self.probes, self.error, self.cell_lines = probes or {}, error, cell_lines or {}
        self.memory_mb, self.grader_fault = memory_mb, grader_fault


ERROR_KEYS = {"type", "message", "line", "file"}
TYPE_NAMES = frozenset(
    {name for name, value in vars(builtins).items() if isinstance(value, type)}
    | {"NoneType", "function", "method", "builtin_function_or_method", "generator", "module", "ellipsis"}
    | {"Tensor", "Parameter", "Module", "Linear", "Sequential", "ndarray", "generic", "matrix"}
    | {"float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool_", "complex128"}
    | {"dict_keys", "dict_values", "dict_items", "map", "zip", "filter", "range", "list_iterator", "tuple_iterator"}
)


class StudentError:
    """What a student's code raised, as the grader may show it: type, line in their cell, hint; no message."""

    def __init__(self, info: dict, cell_lines: dict[str, int], memory_mb: int):
        self.name = error_name(info)
        self.hint = hint_for(info)
        self.text = describe_error(info, memory_mb, cell_lines)

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return True

    def startswith(self, prefix: str) -> bool:
        return self.name.startswith(prefix)


def sanitize(value, vocabulary: frozenset[str], run: ExerciseRun):
    """The student's probe data as the tests may see it: strings the reference run never produced (and that
    are not type names) become "<text>", unknown dict keys "<name i>", exception records StudentErrors."""
    if isinstance(value, str):
        return value if value in vocabulary or value in TYPE_NAMES else "<text>"
    if isinstance(value, list):
        return [sanitize(v, vocabulary, run) for v in value]
    if isinstance(value, dict):
        if set(value) == ERROR_KEYS:
            return StudentError(value, run.cell_lines, run.memory_mb)
        out = {}
        for index, (key, item) in enumerate(value.items()):
            safe = key if key in vocabulary else f"<name {index}>"
            out[safe] = sanitize(item, vocabulary, run)
        return out
    return value


def strings_of(value, found: set[str] | None = None) -> set[str]:
    """Every string (values and dict keys) in a reference payload."""
    found = set() if found is None else found
    if isinstance(value, str):
        found.add(value)
    elif isinstance(value, list):
        for item in value:
            strings_of(item, found)
    elif isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            strings_of(item, found)
    return found


class GradingPlugin:
    """Serves `probes(name) -> (student_data, reference_data)` and records each test's outcome."""

    def __init__(
        self,
        module: str,
        student: dict[int, ExerciseRun],
        reference: dict[int, ExerciseRun],
    ):
        self.module, self.student, self.reference = module, student, reference
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
            pytest.fail(run.error if run else "not run", pytrace=False)
        result = run.probes.get(name)
        if not isinstance(result, dict) or not isinstance(result.get("ok"), bool):
            pytest.fail("the check could not run: your code's process did not report this check", pytrace=False)
        if not result["ok"]:
            error = StudentError(
                result.get("error") if isinstance(result.get("error"), dict) else {}, run.cell_lines, run.memory_mb
            )
            pytest.fail(f"Calling your code failed: it {error}", pytrace=False)
        want = ref.probes[name]["data"]
        return sanitize(result.get("data"), frozenset(strings_of(want)), run), want

    @pytest.fixture
    def probes(self):
        return self.lookup

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" or (report.when == "setup" and report.failed):
            weight = getattr(getattr(item, "function", None), "weight", 1.0)
            self.outcomes[item.name] = self.check_result(item.name, call.excinfo and call.excinfo.value, weight)

    def check_result(self, name: str, exc: BaseException | None, weight: float = 1.0) -> CheckResult:
        if exc is None:
            return CheckResult(name, True, weight=weight)
        if isinstance(exc, GraderFault):
            self.faults.append(f"{name}: {exc}")
            return CheckResult(name, False, "grader error", weight=weight)
        if isinstance(exc, (AssertionError, pytest.fail.Exception)):
            return CheckResult(name, False, str(exc).strip()[:2000] or f"{name} failed", weight)
        return CheckResult(
            name,
            False,
            weight=weight,
            message="The check could not use what your code returned (it is not shaped like the expected answer).",
        )


def call_checks(module: str, plugin: GradingPlugin) -> dict[str, CheckResult]:
    """Call each `test_*` function of a check module with the `probes` fixture, as pytest would.

    The fast path for batches (pytest's collection costs about half a second per run); the
    outcomes are classified by the same `check_result` as under pytest.
    """
    for name, fn in vars(sys.modules[module]).items():
        if not (name.startswith("test") and callable(fn) and getattr(fn, "__module__", None) == module):
            continue
        try:
            fn(plugin.lookup)
            error = None
        except Exception as exc:  # noqa: BLE001 (a failing check may raise anything)
            error = exc
        except pytest.fail.Exception as exc:
            error = exc
        plugin.outcomes[name] = plugin.check_result(name, error, getattr(fn, "weight", 1.0))
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
