"""`autograder validate`: every way the course can be inconsistent, one line per problem."""

from __future__ import annotations

import ast
import json
import re
import tempfile
from pathlib import Path

import nbformat

from autograder.course import (
    Assignment,
    course_assignments,
    current_course,
    defined_names,
    solution_only_lines,
    transform_cell,
)

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
    """The instructor's solutions pass their own visible checks and score full marks; the untouched release
    scores zero."""
    from autograder.grading import grade_submission, run_exercise

    release_dir = release_dir or current_course().release_dir
    problems = []
    for ex in assignment.exercises:
        run, _, passed = run_exercise(assignment, ex, None, seed=0, timeout=120, visible=True)
        if run.error or not passed:
            reason = run.error or "it does not print OK, or it raises"
            problems.append(
                f"{assignment.id}: the instructor's solution fails the visible check of exercise {ex.number} ({reason})"
            )
    solved = grade_submission(assignment.path)
    for ex in solved.exercises:
        if ex.score != ex.max_score:
            first = ex.feedback().splitlines()[0][:160]
            problems.append(
                f"{assignment.id}: the instructor's solution scores {ex.score:g}/{ex.max_score:g} on exercise {ex.number}: {first}"
            )
    release = release_dir / assignment.id / f"{assignment.id}.ipynb"
    if release.exists():
        blank = grade_submission(release)
        if blank.status != "graded" or blank.score != 0:
            problems.append(
                f"{assignment.id}: the untouched release scores {blank.score:g} ({blank.status} {blank.error})"
            )
    return problems


def used_names(source: str) -> set[str]:
    """Names a cell reads (loaded anywhere in it)."""
    try:
        tree = ast.parse(transform_cell(source))
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def stand_in_problems(assignment: Assignment) -> list[str]:
    """Every function of an earlier exercise that a later (non-demo) cell calls has a stand-in in the checks, so
    that no child has to hold the instructor's solution of another exercise."""
    from autograder.check_modules import check_module_of

    if not assignment.has_checks:
        return []
    try:
        provided = {(ex, name) for ex, name, _ in check_module_of(assignment.check_module).stand_ins}
    except (SyntaxError, ValueError) as exc:
        return [f"{assignment.id}: the hidden checks cannot be read: {exc}"]
    owner = {name: ex for ex in assignment.exercises for name in ex.names}
    last_run = max(
        (c.index for ex in assignment.exercises for c in ex.solutions), default=-1
    )  # cells after it never run
    problems = set()
    for cell in assignment.cells:
        if cell.demo or cell.check or cell.index > last_run:
            continue
        for name in sorted(used_names(cell.source) - (defined_names(cell.source) if cell.solution else set())):
            earlier = owner.get(name)
            if earlier is None or cell in earlier.solutions or cell.index < min(c.index for c in earlier.solutions):
                continue
            if (earlier.number, name) not in provided:
                problems.add(
                    f"{assignment.id}: cell {cell.grade_id!r} uses {name} (exercise {earlier.number}), but the hidden "
                    f"checks have no @stand_in(exercise={earlier.number}) for it"
                )
    return sorted(problems)


POINTS_IN_HEADING = re.compile(r"^#+\s*Exercise\s+(\d+)\b[^\n]*?\((\d+(?:\.\d+)?)\s+points?\)", re.M | re.I)
TABLE_ROW = re.compile(r"^\|\s*(\d+)\s*\|(.*)\|\s*$", re.M)


def table_points(text: str) -> dict[int, float]:
    """Points per exercise in the first Markdown table of `text` whose header has a `points` column."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        cells = [c.strip().lower() for c in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and "points" in cells:
            column = cells.index("points")
            found = {}
            for row in lines[index + 2 :]:
                if not row.lstrip().startswith("|"):
                    break
                values = [c.strip() for c in row.strip().strip("|").split("|")]
                try:
                    found[int(values[0])] = float(values[column])
                except (ValueError, IndexError):
                    continue
            return found
    return {}


def points_problems(assignment: Assignment, course_text: str | None = None) -> list[str]:
    """Points written in the notebook's Markdown (headings, the table of exercises) and in course.md's section of
    the assignment equal the check cells' metadata, the only place points are defined."""
    nb = nbformat.read(assignment.path, as_version=4)
    points = {ex.number: ex.points for ex in assignment.exercises}
    problems = []
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for number, value in POINTS_IN_HEADING.findall(markdown):
        if float(value) != points.get(int(number)):
            problems.append(
                f"{assignment.id}: the heading of exercise {number} says {value} points; its check cell has "
                f"{points.get(int(number), 0):g}"
            )
    for number, value in table_points(markdown).items():
        if value != points.get(number):
            problems.append(
                f"{assignment.id}: the notebook's table gives exercise {number} {value:g} points; its check cell has {points.get(number, 0):g}"
            )
    if course_text is None:
        path = current_course().root / "course.md"
        course_text = path.read_text() if path.exists() else ""
    prefix = assignment.id.split("_")[0]
    section = re.search(rf"^###\s*{re.escape(prefix)}\b[^\n]*\n(.*?)(?=^##|\Z)", course_text, re.M | re.S)
    if section:
        heading = section.group(0).splitlines()[0]
        total = re.search(r"\((\d+(?:\.\d+)?)\s+points?", heading)
        if total and float(total.group(1)) != assignment.max_score:
            problems.append(
                f"{assignment.id}: course.md says {total.group(1)} points in all; the check cells add up to {assignment.max_score:g}"
            )
        for number, value in table_points(section.group(1)).items():
            if value != points.get(number):
                problems.append(
                    f"{assignment.id}: course.md gives exercise {number} {value:g} points; its check cell has {points.get(number, 0):g}"
                )
    return problems


def validate_course() -> list[str]:
    """All problems of the course, one line each; empty when the course is valid."""
    from autograder.course import unreadable_notebooks

    problems = [
        f"{path.stem}: the instructor notebook cannot be read: {why}" for path, why in unreadable_notebooks().items()
    ]
    for assignment in course_assignments():
        own = metadata_problems(assignment)
        own += check_module_problems(assignment)
        own += release_problems(assignment)
        own += points_problems(assignment)
        own += stand_in_problems(assignment)
        if not own and assignment.has_checks:
            own += scoring_problems(assignment)
        problems += own
    return problems + sync_problems()
