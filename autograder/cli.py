"""The `autograder` command line: a thin layer over plain functions that reuses their defaults."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder import gradebook, grading
from autograder.plugin import GraderFault
from autograder.results import write_json


def cmd_grade(args: argparse.Namespace) -> int:
    target = Path(args.submission)
    limits = dict(
        seed=args.seed,
        exercise_timeout=args.timeout,
        submission_timeout=args.submission_timeout,
        memory_mb=args.memory_mb,
    )
    if target.is_dir():
        if args.pytest:
            raise SystemExit("autograder: --pytest grades one notebook at a time (it is for debugging checks)")
        shard = parse_shard(args.shard) if args.shard else None
        results = grading.grade_directory(
            target, args.out, progress=not args.quiet, shard=shard, jobs=args.jobs, **limits
        )
        graded = [r for r in results if r.status == "graded"]
        print(f"graded {len(graded)} of {len(results)} submissions; {len(results) - len(graded)} could not be graded")
        print(f"wrote {Path(args.out) / 'grades.csv'} and a results.json and feedback.txt per submission")
        write_reports(args, results)
        low = [r for r in results if r.score < (args.fail_under or 0)]
        return 1 if args.fail_under is not None and low else 0
    result = grading.grade_submission(target, under_pytest=args.pytest, workers=args.jobs, **limits)
    print(result.table())
    write_json(Path(args.results), result.to_gradescope())
    write_reports(args, [result])
    if args.fail_under is not None and result.score < args.fail_under:
        print(f"score {result.score:g} is under --fail-under {args.fail_under:g}", file=sys.stderr)
        return 1
    return 0


def write_reports(args: argparse.Namespace, results: list) -> None:
    """--junit, --classroom and --gradebook: the same results in more formats."""
    from autograder import reports

    if args.junit:
        print(f"wrote {reports.write_junit(args.junit, results)}")
    if args.classroom:
        print(f"wrote {reports.write_classroom(args.classroom, results)}")
    if args.gradebook:
        done = gradebook.record_results(results, args.gradebook)
        print(f"gradebook: {len(done.graded)} graded and {len(done.ungradable)} ungradable submissions recorded")
        for line in done.skipped:
            print(f"gradebook: not recorded: {line}", file=sys.stderr)


def parse_shard(text: str) -> tuple[int, int]:
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise SystemExit(f"autograder: --shard takes i/n (e.g. 2/4), got {text!r}") from None
    if not 1 <= index <= count:
        raise SystemExit(f"autograder: --shard {text}: i must be between 1 and n")
    return index, count


def cmd_merge(args: argparse.Namespace) -> int:
    results = grading.merge_runs(args.shards, args.out)
    print(f"merged {len(results)} submissions from {len(args.shards)} shards into {args.out}")
    return 0


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

    for path in release_course(Path(args.out)):
        print(f"wrote {path}")
    return 0


def cmd_prove(args: argparse.Namespace) -> int:
    from autograder.course import course_assignments
    from autograder.prove import exercise_table, matrix, prove_course, summary

    assignments = [a for a in course_assignments() if not args.assignment or a.id in args.assignment]
    rows = prove_course(tuple(assignments), seed=args.seed, progress=not args.quiet)
    print(matrix(rows))
    print()
    print(exercise_table(rows))
    print()
    print(summary(rows))
    bad = [r for r in rows if (r.kind == "mutant") == r.target_full or not r.others_full or not r.hint_shown]
    return 1 if bad else 0


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

    make = export.export_gradescope if args.target == "gradescope" else export.export_classroom
    try:
        path = make(Path(args.out), assignments=args.assignment)
    except ValueError as exc:
        raise SystemExit(f"autograder export {args.target}: {exc}") from None
    print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autograder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--course",
        metavar="DIR",
        help="the course folder (default: the nearest folder at or above the current one with source/ and "
        "nbgrader_config.py, else $AUTOGRADER_COURSE, else the kit's own course)",
    )

    grade = sub.add_parser("grade", parents=[common], help="grade a notebook, or every notebook under a folder")
    grade.add_argument("submission", help="a .ipynb file, or a folder (nbgrader's submitted/ or flat)")
    grade.add_argument("--results", default="results.json", help="results file for one notebook (Gradescope schema)")
    grade.add_argument("--out", default="graded", help="output folder when grading a folder")
    grade.add_argument("--seed", type=int, default=grading.DEFAULT_SEED, help="seed for torch, NumPy and random")
    grade.add_argument("--timeout", type=float, default=grading.EXERCISE_TIMEOUT, help="seconds per exercise")
    grade.add_argument(
        "--submission-timeout", type=float, default=grading.SUBMISSION_TIMEOUT, help="seconds per notebook"
    )
    grade.add_argument("--memory-mb", type=int, default=grading.MEMORY_MB, help="memory per child process")
    grade.add_argument("--fail-under", type=float, default=None, help="exit 1 when a score is under this")
    grade.add_argument("--quiet", action="store_true", help="no progress bar")
    grade.add_argument("--pytest", action="store_true", help="run the hidden checks under pytest (slower, same result)")
    grade.add_argument("--shard", default=None, help="grade shard i of n of a folder, e.g. 2/4")
    grade.add_argument("--jobs", type=int, default=grading.DEFAULT_JOBS, help="submissions graded at a time")
    grade.add_argument("--junit", metavar="FILE", help="also write JUnit XML (a testsuite per notebook)")
    grade.add_argument("--classroom", metavar="FILE", help="also write GitHub Classroom's grader-runner JSON")
    grade.add_argument(
        "--gradebook",
        nargs="?",
        const=gradebook.DEFAULT_DB_URL,
        metavar="DB_URL",
        help=f"record the scores in nbgrader's gradebook (any SQLAlchemy URL; alone: {gradebook.DEFAULT_DB_URL})",
    )
    grade.set_defaults(func=cmd_grade)

    merge = sub.add_parser("merge", parents=[common], help="merge the outputs of sharded `grade DIR --shard i/n` runs")
    merge.add_argument("shards", nargs="+", help="output folders of the shards (each has run.json)")
    merge.add_argument("--out", default="graded", help="merged output folder")
    merge.set_defaults(func=cmd_merge)

    validate = sub.add_parser("validate", parents=[common], help="check the course: metadata, checks, points, release")
    validate.set_defaults(func=cmd_validate)

    release = sub.add_parser("release", parents=[common], help="regenerate release/ from source/ with nbgrader")
    release.add_argument("--out", default="release", help="release folder")
    release.set_defaults(func=cmd_release)
    prove = sub.add_parser(
        "prove", parents=[common], help="grade the mutant catalogue: what the hidden and visible checks catch"
    )
    prove.add_argument("assignment", nargs="*", help="assignment ids (default: all)")
    prove.add_argument("--seed", type=int, default=grading.DEFAULT_SEED)
    prove.add_argument("--quiet", action="store_true", help="no progress bar")
    prove.set_defaults(func=cmd_prove)

    audit = sub.add_parser(
        "audit", parents=[common], help="run a cheating student's attacks against the grader: what is contained"
    )
    audit.add_argument("attack", nargs="*", help="attack names (default: all)")
    audit.add_argument("--assignment", help="the assignment to attack (default: the first with hidden checks)")
    audit.add_argument("--timeout", type=float, default=20.0, help="seconds per exercise (default: 20)")
    audit.set_defaults(func=cmd_audit)

    sample = sub.add_parser("sample-class", parents=[common], help="rebuild the sample class from release/ and source/")
    sample.add_argument("--out", default="sample_class", help="course folder to write submitted/ into")
    sample.set_defaults(func=cmd_sample_class)

    from autograder.export import CLASSROOM_DIR, GRADESCOPE_ZIP

    export = sub.add_parser("export", help="write a Gradescope autograder zip or a GitHub Classroom template")
    targets = export.add_subparsers(dest="target", required=True)
    gradescope = targets.add_parser(
        "gradescope", parents=[common], help="the autograder zip (setup.sh, run_autograder, checks)"
    )
    gradescope.add_argument("--out", default=str(GRADESCOPE_ZIP), help="zip file to write")
    classroom = targets.add_parser(
        "classroom", parents=[common], help="a template repository: release notebooks and workflow"
    )
    classroom.add_argument("--out", default=str(CLASSROOM_DIR), help="folder to write the template into")
    for target in (gradescope, classroom):
        target.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
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
    try:
        return args.func(args)
    except GraderFault as exc:
        print(f"grader error: {exc}", file=sys.stderr)
        return 2
