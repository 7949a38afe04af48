"""`python -m autograder` and the `autograder` command: choose the course, start the fork server, run the CLI."""

import sys

GRADING_COMMANDS = {"grade", "prove", "validate", "audit", "cache"}


def course_argument(argv: list[str]) -> str | None:
    """The value of `--course DIR` (or `--course=DIR`), read before argparse so the fork server can start early."""
    for index, arg in enumerate(argv):
        if arg == "--course" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--course="):
            return arg.split("=", 1)[1]
    return None


def optimizers_needed(argv: list[str]) -> bool:
    """False only for `grade NOTEBOOK` when that assignment's cells and checks never build a torch.optim
    optimizer (the fork server then skips torch.optim's one-second warm-up)."""
    notebooks = [a for a in argv[1:] if a.endswith(".ipynb")]
    if argv[:1] != ["grade"] or len(notebooks) != 1:
        return True
    try:
        from pathlib import Path

        from autograder.forkserver import assignment_uses_optimizers
        from autograder.submission import identify_assignment, read_notebook

        return assignment_uses_optimizers(identify_assignment(read_notebook(Path(notebooks[0])), Path(notebooks[0])))
    except Exception:  # noqa: BLE001 (anything unusual: warm everything up, as for a class)
        return True


def run() -> int:
    """Start the fork server first when the command grades, so its imports overlap with ours."""
    if GRADING_COMMANDS & set(sys.argv[1:2]):
        from autograder.course import CourseError, set_course

        try:
            set_course(course_argument(sys.argv[1:]))
        except CourseError as exc:
            print(f"autograder: {exc}", file=sys.stderr)
            return 2
        from autograder import forkserver

        forkserver.start(optimizers=optimizers_needed(sys.argv[1:]))
    from autograder.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
