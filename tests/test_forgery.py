"""A forged payload earns nothing: no hidden check passes on data the student's code did not compute (issue:
a grader that trusts nothing the child sends).

A student's code can write anything into the result pipe. Here every probe of an assignment reports "ok" with
the same forged data (empty containers, None, numbers, text); every hidden check must then fail, because the
checks iterate over the expected structure, never over what came back.
"""

from __future__ import annotations

import pytest

from autograder.course import course_assignments
from autograder.grading import reference_run
from autograder.plugin import ExerciseRun, GradingPlugin, call_checks
from autograder.probes import PROBES

FORGED = {"empty-dict": {}, "empty-list": [], "none": None, "zero": 0, "true": True, "text": "ok"}
ASSIGNMENTS = [a for a in course_assignments() if a.has_checks]


@pytest.mark.parametrize("forged", sorted(FORGED))
@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=[a.id for a in ASSIGNMENTS])
def test_forged_probe_data_passes_no_check(assignment, forged):
    """With every probe 'ok' and the same forged data, does every hidden check of the assignment fail?"""
    from autograder.check_modules import load_full

    module = load_full(assignment.check_module)
    reference = {ex.number: reference_run(assignment, ex, seed=0) for ex in assignment.exercises}
    probes = PROBES[module.__name__]
    student = {
        ex.number: ExerciseRun(
            probes={name: {"ok": True, "data": FORGED[forged]} for name, (n, _) in probes.items() if n == ex.number}
        )
        for ex in assignment.exercises
    }
    outcomes = call_checks(module.__name__, GradingPlugin(module.__name__, student, reference))
    passed = sorted(name for name, outcome in outcomes.items() if outcome.passed)
    assert outcomes and not passed, f"checks passed on forged data {FORGED[forged]!r}: {passed}"
