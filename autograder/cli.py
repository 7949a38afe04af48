"""The `autograder` command line: a thin layer over plain functions that reuses their defaults.

Exit status, for every command: 0 when everything asked for was done (every submission graded, whatever
its score); 1 when it was done but something could not be (a submission that could not be graded, a score
under --fail-under, a missing shard, a problem found); 2 for a usage error (a bad option or argument, a
missing or empty folder, a database that cannot be opened, a file that would be overwritten) or a fault of
the grader itself.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder import gradebook, grading
from autograder.plugin import GraderFault
from autograder.results import write_json

EXIT_CODES = """exit status:
  0  everything asked for was done
  1  done, but something could not be (see the messages)
  2  usage error, or the grader itself failed"""


class UsageError(Exception):
    """Something the user can fix on the command line; the message is one line."""


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Every option's default after its help (unless the help says it); descriptions and epilogs as written."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        quiet = action.default is None or action.default is False or action.default == argparse.SUPPRESS
        if "default" in text or quiet or not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"


def cmd_grade(args: argparse.Namespace) -> int:
    target = Path(args.submission)
    if args.no_cache:
        os.environ[grading.NO_CACHE_ENV] = "1"
    limits = dict(
        seed=args.seed,
        exercise_timeout=args.timeout,
        submission_timeout=args.submission_timeout,
        memory_mb=args.memory_mb,
    )
    if not target.exists():
        raise UsageError(f"{target}: no such notebook or folder")
    if args.github_output and not (os.environ.get("GITHUB_OUTPUT") and os.environ.get("GITHUB_ENV")):
        raise UsageError("--github-output needs $GITHUB_OUTPUT and $GITHUB_ENV (a GitHub Actions step sets both)")
    shard = parse_shard(args.shard) if args.shard else None
    if args.gradebook:
        try:
            gradebook.check_database(args.gradebook)
        except gradebook.GradebookError as exc:
            raise UsageError(f"--gradebook: {exc}") from None
    if target.is_dir():
        return grade_folder(target, args, shard, limits)
    if args.shard:
        raise UsageError("--shard splits a folder of submissions; it was given one notebook")
    result = grading.grade_submission(target, under_pytest=args.pytest, workers=args.jobs, **limits)
    print(result.table())
    print(sandbox_line())
    if args.results:
        write_json(Path(args.results), result.to_gradescope())
        print(f"wrote {args.results}")
    code = write_reports(args, [result])
    if result.status != "graded":
        return 1
    if args.fail_under is not None and result.score < args.fail_under:
        print(f"score {result.score:g} is under --fail-under {args.fail_under:g}", file=sys.stderr)
        return 1
    return code


def grade_folder(folder: Path, args: argparse.Namespace, shard: tuple[int, int] | None, limits: dict) -> int:
    """`grade DIR`: every notebook under the folder (or one shard of them) into --out."""
    if args.pytest:
        raise UsageError("--pytest grades one notebook at a time (it is for debugging checks)")
    if args.results:
        raise UsageError(f"--results is for one notebook; a folder's results go to {args.out}/")
    if not grading.find_submissions(folder):
        raise UsageError(f"{folder}: no notebooks (.ipynb) in it or its subfolders")
    out = Path(args.out)
    results = grading.grade_directory(folder, out, progress=not args.quiet, shard=shard, jobs=args.jobs, **limits)
    graded = [r for r in results if r.status == "graded"]
    print(f"graded {len(graded)} of {len(results)} submissions; {len(results) - len(graded)} could not be graded")
    print(sandbox_line())
    print(written_line(out))
    code = write_reports(args, results)
    low = [r for r in results if args.fail_under is not None and r.score < args.fail_under]
    return max(code, 1 if low or len(graded) < len(results) else 0)


def written_line(out: Path) -> str:
    """Every file a batch output (`grade DIR`, `merge`) holds, for the final message."""
    files = ", ".join(str(out / name) for name in ("grades.csv", "run.json", "junit.xml", "classroom.json"))
    return (
        f"wrote {files}, nbgrader's autograded notebooks in {out / 'autograded'}/, "
        f"and a results.json and feedback.txt per submission in {out}/<student>/<assignment>/"
    )


def sandbox_line() -> str:
    """The protections the children ran under (`autograder.sandbox.Plan.describe`)."""
    from autograder.sandbox import plan

    return plan().describe()


def write_reports(args: argparse.Namespace, results: list) -> int:
    """--junit, --classroom and --gradebook: the same results in more formats; 2 when the gradebook failed."""
    from autograder import reports

    if args.junit:
        print(f"wrote {reports.write_junit(args.junit, results)}")
    if args.classroom:
        print(f"wrote {reports.write_classroom(args.classroom, results)}")
    if args.github_output:
        runners = reports.github_output(results, os.environ["GITHUB_OUTPUT"], os.environ["GITHUB_ENV"])
        print(f"GitHub Classroom reporter: runners {','.join(runners)} in $GITHUB_OUTPUT, their results in $GITHUB_ENV")
    if args.gradebook:
        return record(results, args.gradebook)
    return 0


def record(results: list, db_url: str) -> int:
    """Record results in nbgrader's gradebook and say what happened: 0 all recorded, 1 some not, 2 failed."""
    try:
        done = gradebook.record_results(results, db_url)
    except Exception as exc:  # noqa: BLE001 (a database error after grading: say so in one line)
        shown = gradebook.shown_url(db_url)
        print(f"gradebook: nothing recorded in {shown}: {gradebook.first_line(exc)}", file=sys.stderr)
        return 2
    print(f"gradebook: {len(done.graded)} graded and {len(done.ungradable)} ungradable submissions recorded")
    for line in done.skipped:
        print(f"gradebook: not recorded: {line}", file=sys.stderr)
    return 1 if done.skipped else 0


def parse_shard(text: str) -> tuple[int, int]:
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise UsageError(f"--shard takes i/n (e.g. 2/4), got {text!r}") from None
    if not 1 <= index <= count:
        raise UsageError(f"--shard {text}: i must be between 1 and n")
    return index, count


def cmd_merge(args: argparse.Namespace) -> int:
    import json

    try:
        results = grading.merge_runs(args.shards, args.out)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    run = json.loads((Path(args.out) / "run.json").read_text())
    out = Path(args.out)
    print(f"merged {len(results)} submissions from {len(args.shards)} shards into {out}")
    print(written_line(out))
    missing = run.get("missing_shards")
    if missing:
        total = run.get("total")
        print(f"missing shards: {', '.join(map(str, missing))} ({len(results)} of {total} submissions merged)")
        return 1
    return 0


def cmd_gradebook_record(args: argparse.Namespace) -> int:
    try:
        results = gradebook.read_run(args.run_dir)
        gradebook.check_database(args.db)
    except (ValueError, gradebook.GradebookError) as exc:
        raise UsageError(str(exc)) from None
    return record(results, args.db)


def cmd_validate(args: argparse.Namespace) -> int:
    from autograder.validate import validate_course

    problems = validate_course()
    for problem in problems:
        print(problem)
    if not problems:
        print("course valid")
    return 1 if problems else 0


def cmd_release(args: argparse.Namespace) -> int:
    from autograder.release import release_course

    for path in release_course(Path(args.out) if args.out else None):
        print(f"wrote {path}")
    return 0


def cmd_cache(args: argparse.Namespace) -> int:
    from autograder.course import course_assignments, current_course

    if args.action == "clear":
        grading.clear_cache()
        print(f"removed {current_course().cache_dir}")
        return 0
    written = grading.warm_reference_cache([a for a in course_assignments() if a.has_checks], seed=args.seed)
    print(f"reference runs cached in {current_course().cache_dir}: {written} exercises")
    return 0


def cmd_prove(args: argparse.Namespace) -> int:
    from autograder.course import course_assignments
    from autograder.prove import exercise_table, matrix, problem_lines, prove_course, summary

    assignments = [a for a in course_assignments() if not args.assignment or a.id in args.assignment]
    rows = prove_course(tuple(assignments), seed=args.seed, progress=not args.quiet)
    print(matrix(rows))
    print()
    print(exercise_table(rows))
    print()
    print(summary(rows))
    problems = problem_lines(rows)
    for line in problems:
        print(line)
    return 1 if problems else 0


def cmd_audit(args: argparse.Namespace) -> int:
    from autograder.attacks import ATTACKS, audit_course, report
    from autograder.course import find_assignment
    from autograder.sandbox import plan

    unknown = sorted(set(args.attack) - {a.name for a in ATTACKS})
    if unknown:
        print(f"autograder audit: no attack {', '.join(unknown)} (known: {', '.join(a.name for a in ATTACKS)})")
        return 2
    try:
        assignment = find_assignment(args.assignment) if args.assignment else None
    except KeyError as exc:
        print(f"autograder audit: {exc.args[0]}", file=sys.stderr)
        return 2
    chosen = tuple(a for a in ATTACKS if not args.attack or a.name in args.attack)
    results = audit_course(assignment, chosen, timeout=args.timeout)
    print(report(results, plan().describe()))
    return 0 if all(r.contained for r in results) else 1


def cmd_sample_class(args: argparse.Namespace) -> int:
    from autograder.course import course_assignments
    from autograder.samples import build_sample_class

    for path in build_sample_class(Path(args.out), course_assignments()):
        print(f"wrote {path}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from autograder import export

    out = Path(args.out)
    try:
        if args.target == "gradescope":
            written = export.export_gradescope(out, args.assignment, course_wide=args.course_wide, force=args.force)
        else:
            written = export.export_classroom(out, args.assignment, force=args.force)
    except (ValueError, export.ExportExists) as exc:
        raise UsageError(str(exc)) from None
    for path in written:
        print(f"wrote {path}")
    return 0


def add_parser(sub, name: str, help: str, parents: list, description: str = "") -> argparse.ArgumentParser:
    """A subcommand whose --help shows every default and the exit codes."""
    return sub.add_parser(
        name,
        parents=parents,
        help=help,
        description=description or help,
        epilog=EXIT_CODES,
        formatter_class=HelpFormatter,
    )


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gd-course-autograder")
    except PackageNotFoundError:
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="autograder", description=__doc__.split("\n\n")[0], epilog=EXIT_CODES, formatter_class=HelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--course",
        metavar="DIR",
        help="the course folder (default: the nearest folder at or above the current one with source/ and "
        "nbgrader_config.py, else $AUTOGRADER_COURSE, else the kit's own course)",
    )

    grade = add_parser(sub, "grade", "grade a notebook, or every notebook under a folder", [common])
    grade.add_argument("submission", help="a .ipynb file, or a folder (nbgrader's submitted/ or flat)")
    grade.add_argument(
        "--results", metavar="FILE", default=None, help="one notebook: write its Gradescope results.json here"
    )
    grade.add_argument("--out", default="graded", help="a folder: the output folder")
    grade.add_argument("--seed", type=int, default=grading.DEFAULT_SEED, help="seed for torch, NumPy and random")
    grade.add_argument("--timeout", type=float, default=grading.EXERCISE_TIMEOUT, help="seconds per exercise")
    grade.add_argument(
        "--submission-timeout", type=float, default=grading.SUBMISSION_TIMEOUT, help="seconds per notebook"
    )
    grade.add_argument("--memory-mb", type=int, default=grading.MEMORY_MB, help="memory per child process (MB)")
    grade.add_argument("--fail-under", type=float, default=None, help="exit 1 when a score is under this")
    grade.add_argument("--quiet", action="store_true", help="no progress bar")
    grade.add_argument("--pytest", action="store_true", help="run the hidden checks under pytest (slower, same result)")
    grade.add_argument("--shard", default=None, metavar="I/N", help="grade shard i of n of a folder, e.g. 2/4")
    grade.add_argument("--jobs", type=int, default=grading.DEFAULT_JOBS, help="submissions graded at a time")
    grade.add_argument(
        "--no-cache",
        action="store_true",
        help="run the instructor's reference runs afresh (neither read nor write them on disk)",
    )
    grade.add_argument("--junit", metavar="FILE", help="also write JUnit XML (a testsuite per notebook)")
    grade.add_argument("--classroom", metavar="FILE", help="also write GitHub Classroom's grader-runner JSON")
    grade.add_argument(
        "--github-output",
        action="store_true",
        help="in a GitHub Actions step: a runner per exercise for GitHub Classroom's grading reporter (the "
        "step output `runners`, and <RUNNER>_RESULTS in the environment of later steps)",
    )
    grade.add_argument(
        "--gradebook",
        nargs="?",
        const=gradebook.DEFAULT_DB_URL,
        metavar="DB_URL",
        help="record the scores in nbgrader's gradebook (any SQLAlchemy URL; checked before grading starts; "
        f"alone: {gradebook.DEFAULT_DB_URL})",
    )
    grade.set_defaults(func=cmd_grade)

    merge = add_parser(sub, "merge", "merge the outputs of sharded `grade DIR --shard i/n` runs", [common])
    merge.add_argument("shards", nargs="+", help="output folders of the shards (each has run.json)")
    merge.add_argument("--out", default="graded", help="merged output folder")
    merge.set_defaults(func=cmd_merge)

    book = add_parser(sub, "gradebook", "nbgrader's gradebook: record a finished run without grading again", [])
    book_sub = book.add_subparsers(dest="action", required=True)
    record_run = add_parser(
        book_sub, "record", "record the results of a `grade DIR` (or `merge`) output folder", [common]
    )
    record_run.add_argument("run_dir", metavar="RUN_DIR", help="the output folder (it has run.json)")
    record_run.add_argument("--db", default=gradebook.DEFAULT_DB_URL, metavar="DB_URL", help="any SQLAlchemy URL")
    record_run.set_defaults(func=cmd_gradebook_record)

    validate = add_parser(sub, "validate", "check the course: metadata, checks, points, release", [common])
    validate.set_defaults(func=cmd_validate)

    cache = add_parser(
        sub,
        "cache",
        "the instructor's reference runs kept on disk (keyed on everything they depend on; a stale entry is "
        "never used): compute them now, or remove them",
        [common],
    )
    cache.add_argument("action", choices=("warm", "clear"), help="warm: run and keep them; clear: remove them")
    cache.add_argument("--seed", type=int, default=grading.DEFAULT_SEED, help="seed of the runs to keep")
    cache.set_defaults(func=cmd_cache)

    release = add_parser(sub, "release", "regenerate release/ from source/ with nbgrader", [common])
    release.add_argument("--out", default=None, help="release folder (default: the course's release/)")
    release.set_defaults(func=cmd_release)
    prove = add_parser(sub, "prove", "grade the mutant catalogue: what the hidden and visible checks catch", [common])
    prove.add_argument("assignment", nargs="*", help="assignment ids (default: all)")
    prove.add_argument("--seed", type=int, default=grading.DEFAULT_SEED, help="seed for torch, NumPy and random")
    prove.add_argument("--quiet", action="store_true", help="no progress bar")
    prove.set_defaults(func=cmd_prove)

    audit = add_parser(sub, "audit", "run a cheating student's attacks against the grader: what is contained", [common])
    audit.add_argument("attack", nargs="*", help="attack names (default: all)")
    audit.add_argument("--assignment", help="the assignment to attack (default: the first with hidden checks)")
    audit.add_argument("--timeout", type=float, default=20.0, help="seconds per exercise")
    audit.set_defaults(func=cmd_audit)

    sample = add_parser(sub, "sample-class", "rebuild the sample class from release/ and source/", [common])
    sample.add_argument("--out", default="sample_class", help="course folder to write submitted/ into")
    sample.set_defaults(func=cmd_sample_class)

    from autograder.export import CLASSROOM_DIR, GRADESCOPE_DIR

    export = add_parser(sub, "export", "write Gradescope autograder zips or a GitHub Classroom template", [])
    targets = export.add_subparsers(dest="target", required=True)
    gradescope = add_parser(
        targets, "gradescope", "Gradescope autograder zips: one per assignment, <id>.zip (or --course-wide)", [common]
    )
    gradescope.add_argument(
        "--out",
        default=str(GRADESCOPE_DIR),
        metavar="DIR",
        help="folder to write the zips into (or the .zip file, for one zip)",
    )
    gradescope.add_argument(
        "--course-wide",
        action="store_true",
        help="one course.zip for every assignment instead: each submission is graded as the assignment it was "
        "submitted to (Gradescope's submission_metadata.json, else the notebook's cell ids)",
    )
    classroom = add_parser(
        targets, "classroom", "a GitHub Classroom template repository: release notebooks and workflow", [common]
    )
    classroom.add_argument("--out", default=str(CLASSROOM_DIR), metavar="DIR", help="folder to write the template into")
    for target in (gradescope, classroom):
        target.add_argument("--assignment", action="append", help="only this assignment (repeatable; default: all)")
        target.add_argument("--force", action="store_true", help="replace files written before")
        target.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    from autograder.course import CourseError, set_course

    args = build_parser().parse_args(argv)
    try:
        course = set_course(getattr(args, "course", None))
    except CourseError as exc:
        print(f"autograder: {exc}", file=sys.stderr)
        return 2
    print(course.describe())
    command = " ".join(filter(None, (args.command, getattr(args, "target", None), getattr(args, "action", None))))
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"autograder {command}: {exc}", file=sys.stderr)
        return 2
    except GraderFault as exc:
        print(f"grader error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file or folder the user named: missing, unreadable, not writable
        print(f"autograder {command}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
