"""`python -m autograder` and the `autograder` command: choose the course, start the fork server, run the CLI."""

import sys

GRADING_COMMANDS = {"grade", "prove", "validate", "audit"}


def course_argument(argv: list[str]) -> str | None:
    """The value of `--course DIR` (or `--course=DIR`), read before argparse so the fork server can start early."""
    for index, arg in enumerate(argv):
        if arg == "--course" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--course="):
            return arg.split("=", 1)[1]
    return None


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

        forkserver.start()
    from autograder.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
