"""Run the visible check of one exercise of a notebook, as the GitHub Classroom workflow does.

    python check_exercise.py NOTEBOOK N [--points P] [--github-output]

Runs the notebook in a Jupyter kernel up to the cell `test_exerciseN` (demo cells are skipped) and passes only
when that check printed `Exercise N: OK`. Your notebook file is not changed. Exit status: 0 passed, 1 failed,
2 wrong arguments. With --github-output it also writes the step output `result` that GitHub Classroom's
grading reporter reads (base64 of its JSON, worth P points when passed, 0 otherwise) to the file named by
$GITHUB_OUTPUT, and exits 0 whatever the verdict: the reporter then fails the run when a check failed.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import re
import sys
import tempfile
import time
import warnings

MESSAGE_LIMIT = 2000  # characters of the check's report kept in the reporter's output


@contextlib.contextmanager
def quiet_stderr():
    """Keep stderr (the kernel's start-up chatter included) in a file, to show only what matters."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        os.dup2(tmp.fileno(), 2)
        try:
            yield tmp
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def check_cell_index(nb, number: int) -> int | None:
    wanted = f"test_exercise{number}"
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == wanted:
            return index
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and f"def {wanted}(" in cell.source:
            return index
    return None


def cell_text(cell) -> tuple[str, str]:
    """What a cell printed, and the error it raised (without the coloured traceback)."""
    printed, error = [], ""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stdout":
            printed.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            error = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip()
    return "".join(printed), error


def run(notebook: str, number: int, timeout: int) -> tuple[bool, str]:
    """Whether the visible check of exercise `number` passed, and its report."""
    warnings.simplefilter("ignore")
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    import nbformat
    from nbclient import NotebookClient

    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as exc:  # noqa: BLE001
        return False, f"Exercise {number}: could not read {notebook} ({type(exc).__name__}: {exc})"
    index = check_cell_index(nb, number)
    if index is None:
        return False, f"Exercise {number}: the check cell test_exercise{number} is missing from {notebook}"
    check = nb.cells[index]
    nb.cells = [c for c in nb.cells[: index + 1] if "demo" not in c.get("metadata", {}).get("tags", [])]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(notebook))}},
    )
    try:
        client.execute()
    except Exception as exc:  # noqa: BLE001 (a cell timed out or the kernel died)
        return False, f"Exercise {number}: the notebook could not run ({type(exc).__name__}: {exc})"
    printed, error = cell_text(check)
    lines = [line.strip() for line in printed.splitlines()]
    ok = f"Exercise {number}: OK"
    others = [line for line in lines if re.match(rf"Exercise {number}\b", line) and line != ok]
    if ok in lines and not others and not error:
        return True, printed.strip()
    report = printed.strip() or f"Exercise {number}: the check did not print OK"
    if error:
        report += f"\n{error}"
    return False, report


def runner_result(notebook: str, number: int, points: float, passed: bool, report: str, seconds: float) -> dict:
    """The JSON GitHub Classroom's grading reporter reads from a grader step (version 3): one test.

    The reporter prints (passed tests / tests) x max_score per step and posts the sum of the tests' scores,
    so a test worth all of the step's points when it passes, and 0 when it fails, shows the same in both.
    """
    status = "pass" if passed else "fail"
    return {
        "version": 3,
        "status": status,
        "max_score": points,
        "tests": [
            {
                "name": f"Exercise {number}",
                "status": status,
                "message": report[-MESSAGE_LIMIT:],
                "test_code": f"test_exercise{number}",
                "task_id": number,
                "filename": notebook,
                "line_no": 0,
                "duration": round(seconds, 3),
                "score": points if passed else 0,
            }
        ],
    }


def write_github_output(result: dict) -> None:
    """Append `result=<base64 of the JSON>` to the file GitHub Actions names in $GITHUB_OUTPUT."""
    encoded = base64.b64encode(json.dumps(result, separators=(",", ":")).encode("utf-8")).decode("ascii")
    with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as handle:
        handle.write(f"result={encoded}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="exit status: 0 passed (always 0 with --github-output), 1 failed, 2 wrong arguments",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("notebook", help="the notebook to run")
    parser.add_argument("exercise", type=int, help="the exercise number N (its check cell is test_exerciseN)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    parser.add_argument("--points", type=float, default=1.0, help="the exercise's points, for --github-output")
    parser.add_argument("--github-output", action="store_true", help="write the step output `result`")
    args = parser.parse_args(argv)
    if args.github_output and not os.environ.get("GITHUB_OUTPUT"):
        parser.error("--github-output needs $GITHUB_OUTPUT (set by GitHub Actions in every step)")
    start = time.monotonic()
    with quiet_stderr() as captured:
        try:
            passed, report = run(args.notebook, args.exercise, args.timeout)
        except Exception as exc:  # noqa: BLE001 (no Jupyter, a broken install: the reporter still gets a result)
            passed, report = False, f"Exercise {args.exercise}: the check could not run ({type(exc).__name__}: {exc})"
        captured.seek(0)
        noise = captured.read().decode(errors="replace").strip()
    points = int(args.points) if args.points.is_integer() else args.points
    if args.github_output:
        result = runner_result(args.notebook, args.exercise, points, passed, report, time.monotonic() - start)
        write_github_output(result)
    if passed:
        print(report)
        return 0
    print(report, file=sys.stderr)
    if "Traceback" in noise:
        print(noise[-2000:], file=sys.stderr)
    return 0 if args.github_output else 1


if __name__ == "__main__":
    sys.exit(main())
