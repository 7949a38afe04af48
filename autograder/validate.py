"""`autograder validate`: every way the course can be inconsistent, one line per problem."""

from __future__ import annotations

import ast
import json
import tempfile
from pathlib import Path

import nbformat

from autograder.course import Assignment, course_assignments, current_course, solution_only_lines

MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def metadata_problems(assignment: Assignment) -> list[str]:
    """nbgrader's own metadata validation, and unique grade_ids."""
    from nbgrader.nbgraderformat import MetadataValidator, ValidationError

    problems = []
    nb = nbformat.read(assignment.path, as_version=4)
    try:
        MetadataValidator().validate_nb(nb)
    except ValidationError as exc:
        problems.append(f"{assignment.id}: invalid nbgrader metadata: {exc}")
    ids = [c.grade_id for c in assignment.cells if c.grade_id]
    problems += [f"{assignment.id}: grade_id {g!r} is used twice" for g in sorted({g for g in ids if ids.count(g) > 1})]
    if not assignment.exercises:
        problems.append(f"{assignment.id}: no graded exercises")
    for ex in assignment.exercises:
        if ex.points <= 0:
            problems.append(f"{assignment.id}: exercise {ex.number} has no points")
        if not ex.solutions:
            problems.append(f"{assignment.id}: exercise {ex.number} has no solution cell")
    numbers = [ex.number for ex in assignment.exercises]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"{assignment.id}: exercises are numbered {numbers}, not 1..{len(numbers)}")
    return problems


def check_names(check_file: Path) -> tuple[set[int], set[int]]:
    """Exercise numbers named by the module's tests and by its probes."""
    from autograder.plugin import exercise_of_test

    tree = ast.parse(check_file.read_text())
    tests, probes = set(), set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            number = exercise_of_test(node.name)
            tests.add(number if number is not None else -1)
        for deco in getattr(node, "decorator_list", []):
            if isinstance(deco, ast.Call) and getattr(deco.func, "id", "") == "probe":
                for kw in deco.keywords:
                    if kw.arg == "exercise" and isinstance(kw.value, ast.Constant):
                        probes.add(kw.value.value)
    return tests, probes


def check_module_problems(assignment: Assignment) -> list[str]:
    """Every graded exercise has hidden checks, and every check names an existing exercise."""
    if not assignment.check_module.exists():
        return [f"{assignment.id}: no hidden checks ({assignment.check_module.name} is missing)"]
    tests, probes = check_names(assignment.check_module)
    numbers = {ex.number for ex in assignment.exercises}
    problems = [f"{assignment.id}: exercise {n} has no hidden checks" for n in sorted(numbers - tests)]
    problems += [
        f"{assignment.id}: hidden check for exercise {n}, which does not exist"
        for n in sorted((tests | probes) - numbers)
    ]
    if -1 in tests:
        problems.append(f"{assignment.id}: a hidden test is not named test_exerciseN[_property]")
    return problems


def solution_lines(assignment: Assignment) -> set[str]:
    """Lines of the instructor notebook (markdown included) found only inside solution regions."""
    nb = nbformat.read(assignment.path, as_version=4)
    return solution_only_lines(
        [(c.source, c.cell_type == "code" and bool(c.metadata.get("nbgrader", {}).get("solution"))) for c in nb.cells]
    )


def release_problems(assignment: Assignment, release_dir: Path | None = None) -> list[str]:
    """The committed release leaks nothing and has the source's points."""
    release_dir = release_dir or current_course().release_dir
    path = release_dir / assignment.id / f"{assignment.id}.ipynb"
    if not path.exists():
        return [f"{assignment.id}: release notebook {path} is missing; run `autograder release`"]
    nb = nbformat.read(path, as_version=4)
    problems, secret = [], solution_lines(assignment)
    for index, cell in enumerate(nb.cells):
        for marker in MARKERS:
            if marker in cell.source:
                problems.append(f"{assignment.id}: release cell {index} contains {marker!r}")
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            problems.append(f"{assignment.id}: release cell {index} has outputs")
        leaked = {line.strip() for line in cell.source.splitlines()} & secret
        problems += [
            f"{assignment.id}: release cell {index} leaks a solution line: {line[:60]!r}" for line in sorted(leaked)
        ]
    points = {
        c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"].get("points", 0))
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade")
    }
    for ex in assignment.exercises:
        if points.get(ex.check.grade_id) != ex.points:
            problems.append(f"{assignment.id}: release points of {ex.check.grade_id} differ from source/")
    return problems


def sync_problems(release_dir: Path | None = None) -> list[str]:
    """Regenerate the release in a scratch folder and compare it with the committed one."""
    release_dir = release_dir or current_course().release_dir
    from autograder.release import release_course

    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for fresh in release_course(Path(tmp)):
            committed = release_dir / fresh.relative_to(tmp)
            if not committed.exists():
                problems.append(f"release/{fresh.relative_to(tmp)} is missing; run `autograder release`")
            elif json.loads(committed.read_text()) != json.loads(fresh.read_text()):
                problems.append(
                    f"release/{fresh.relative_to(tmp)} is out of date with source/; run `autograder release`"
                )
    return problems


def scoring_problems(assignment: Assignment, release_dir: Path | None = None) -> list[str]:
    """The instructor's solutions score full marks; the untouched release scores zero."""
    release_dir = release_dir or current_course().release_dir
    from autograder.grading import grade_submission

    problems = []
    solved = grade_submission(assignment.path)
    for ex in solved.exercises:
        if ex.score != ex.max_score:
            problems.append(
                f"{assignment.id}: the instructor's solution scores {ex.score:g}/{ex.max_score:g} on exercise {ex.number}: {ex.feedback()[:200]}"
            )
    release = release_dir / assignment.id / f"{assignment.id}.ipynb"
    if release.exists():
        blank = grade_submission(release)
        if blank.status != "graded" or blank.score != 0:
            problems.append(
                f"{assignment.id}: the untouched release scores {blank.score:g} ({blank.status} {blank.error})"
            )
    return problems


def validate_course() -> list[str]:
    """All problems of the course, one line each; empty when the course is valid."""
    problems = []
    for assignment in course_assignments():
        problems += metadata_problems(assignment)
        problems += check_module_problems(assignment)
        problems += release_problems(assignment)
        if not any(p.startswith(assignment.id) for p in problems):
            problems += scoring_problems(assignment)
    return problems + sync_problems()
