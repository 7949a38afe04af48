"""Where the time of one cold `autograder grade` goes: timestamps per phase, in a fresh process.

    .venv/bin/python benchmarks/cold_start_phases.py release/02_linear_regression/02_linear_regression.ipynb

Runs the command line exactly as `autograder grade ARGS...` would (the same `autograder.__main__.run`), with
clocks on its phases: the fork server asked to start, the sandbox's plan decided (its trial child needs the
fork server ready: torch imported there), the instructor's reference runs loaded (from the disk cache, or run),
each student child, and the end. Add `-X importtime` to the interpreter for the imports of the command itself.
"""

from __future__ import annotations

import sys
import threading
import time

START = time.perf_counter()
MARKS: list[tuple[str, float]] = []
CHILDREN: list[tuple[float, float]] = []
LOCK = threading.Lock()


def mark(name: str) -> None:
    with LOCK:
        MARKS.append((name, time.perf_counter() - START))


def timed(module, name: str, label: str) -> None:
    """Wrap `module.name` to mark when its first call returns."""
    original, done = getattr(module, name), []

    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        if not done:
            done.append(True)
            mark(label)
        return result

    setattr(module, name, wrapper)


def instrument_grading() -> None:
    """Clocks on the grading phases (imported only after the fork server was asked to start, as the CLI does)."""
    from autograder import grading, sandbox

    timed(sandbox, "plan", "sandbox plan decided (the fork server is ready)")
    timed(grading, "reference_run", "first reference run loaded")
    run_job = grading.run_job

    def clocked_run_job(*args, **kwargs):
        begin = time.perf_counter() - START
        try:
            return run_job(*args, **kwargs)
        finally:
            with LOCK:
                CHILDREN.append((begin, time.perf_counter() - START))

    grading.run_job = clocked_run_job


def main() -> int:
    from autograder import forkserver
    from autograder.__main__ import run

    start_server = forkserver.start

    def start(*args, **kwargs):
        mark("fork server asked to start")
        start_server(*args, **kwargs)
        instrument_grading()

    forkserver.start = start
    sys.argv = ["autograder", "grade", *sys.argv[1:]]
    try:
        return run()
    finally:
        mark("done")
        if CHILDREN:
            MARKS.append(("first student child starts", min(b for b, _ in CHILDREN)))
            MARKS.append(("last student child ends", max(e for _, e in CHILDREN)))
        print(f"\n{len(CHILDREN)} student children; phases (seconds since the process started):", file=sys.stderr)
        for name, at in sorted(MARKS, key=lambda m: m[1]):
            print(f"  {at:6.2f}  {name}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
