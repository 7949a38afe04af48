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
    """False only for `grade PATH` when no assignment graded there builds a torch.optim optimizer in its cells or
    checks (the fork server then skips torch.optim's one-second warm-up). PATH is one notebook, or a folder in
    nbgrader's layout whose notebooks all sit under a folder named after a course assignment; anything else is
    warmed up, as a child that needed it would otherwise import torch._dynamo itself."""
    if argv[:1] != ["grade"] or len(argv) < 2 or argv[1].startswith("-"):
        return True
    try:
        from pathlib import Path

        from autograder.course import course_assignments
        from autograder.forkserver import assignment_uses_optimizers
        from autograder.submission import identify_assignment, read_notebook

        target = Path(argv[1])
        if target.suffix == ".ipynb":
            return assignment_uses_optimizers(identify_assignment(read_notebook(target), target))
        known = {a.id: a for a in course_assignments()}
        graded = set()
        for notebook in target.rglob("*.ipynb"):
            ids = known.keys() & set(notebook.relative_to(target).parts[:-1])
            if len(ids) != 1:
                return True
            graded |= ids
        return any(assignment_uses_optimizers(known[i]) for i in graded)
    except Exception:  # noqa: BLE001 (anything unusual: warm everything up)
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
