"""The throughput benchmark runs end to end at a smoke size (it asserts nothing about time)."""

from __future__ import annotations

import subprocess
import sys

from autograder.course import KIT_ROOT

REPO_ROOT = KIT_ROOT


def test_benchmark_smoke():
    """Does the benchmark build a class, grade it (sandbox on and off) and print its table? (nbgrader's rows are
    exercised by tests/test_nbgrader_agreement.py, which runs the real nbgrader autograde.)"""
    script = REPO_ROOT / "benchmarks" / "grading_throughput.py"
    run = subprocess.run(
        [
            sys.executable,
            str(script),
            "--size",
            "2",
            "--timeout",
            "5",
            "--jobs",
            "1",
            "--skip-gradescope",
            "--skip-nbgrader",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO_ROOT,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    rows = [line for line in run.stdout.splitlines() if line.startswith("| ")]
    names = [row.split("|")[1].strip() for row in rows[1:]]
    assert names == [
        "autograder grade NOTEBOOK (cold process, reference cache on disk)",
        "autograder grade NOTEBOOK (cold process, no reference cache)",
        "autograder grade DIR --jobs 1",
        "autograder grade DIR --jobs 1 (sandbox off: measurement only)",
    ]
    assert "class: 2 submissions" in run.stdout and "sandbox cost at --jobs 1" in run.stdout


def test_cold_start_phases_in_order():
    """Does the phase clock grade a notebook as `autograder grade` does and print its phases in time order, the
    student children after the fork server is ready?"""
    notebook = (
        REPO_ROOT
        / "sample_class"
        / "submitted"
        / "ada_complete"
        / "02_linear_regression"
        / "02_linear_regression.ipynb"
    )
    run = subprocess.run(
        [sys.executable, str(REPO_ROOT / "benchmarks" / "cold_start_phases.py"), str(notebook)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO_ROOT,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "total" in run.stdout and "11/11" in run.stdout
    phases = {}
    for line in run.stderr.split("phases (seconds since the process started):", 1)[1].splitlines():
        if line.strip():
            at, name = line.strip().split("  ", 1)
            phases[name.strip()] = float(at)
    assert "5 student children" in run.stderr
    ready = phases["sandbox plan decided (the fork server is ready)"]
    assert phases["fork server asked to start"] < ready <= phases["first student child starts"]
    assert phases["first student child starts"] < phases["last student child ends"] <= phases["done"]
