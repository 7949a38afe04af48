"""`python -m autograder` and the `autograder` command: start the fork server, then run the command line."""

import sys

GRADING_COMMANDS = {"grade", "prove", "validate"}


def run() -> int:
    """Start the fork server first when the command grades, so its imports overlap with ours."""
    if GRADING_COMMANDS & set(sys.argv[1:2]):
        from autograder import forkserver

        forkserver.start()
    from autograder.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
