"""The throughput benchmark runs end to end at a smoke size (it asserts nothing about time)."""

from __future__ import annotations

import subprocess
import sys

from autograder.course import KIT_ROOT

REPO_ROOT = KIT_ROOT


def test_benchmark_smoke():
    """Does the benchmark build a class, grade it with both graders and print its table?"""
    script = REPO_ROOT / "benchmarks" / "grading_throughput.py"
    run = subprocess.run(
        [sys.executable, str(script), "--size", "3", "--timeout", "5"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO_ROOT,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    rows = [line for line in run.stdout.splitlines() if line.startswith("| ")]
    names = [row.split("|")[1].strip() for row in rows[1:]]
    assert names == [
        "autograder grade (one notebook, cold start)",
        "autograder grade DIR --jobs 1",
        "autograder grade DIR --jobs 2",
        "nbgrader autograde",
    ]
    assert "class: 3 submissions" in run.stdout
