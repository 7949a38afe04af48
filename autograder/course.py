"""The course as the grader sees it: its root folder, assignments, exercises, cells and points.

A course is a folder with `source/<id>/<id>.ipynb` (the instructor notebooks) and `nbgrader_config.py`, like
nbgrader's; its hidden checks are in `autograder/checks/` and its mutant catalogue in `tests/mutants/`. Every
command acts on the course named with `--course DIR`, else the one found from the current folder upward, else
the one in the environment variable AUTOGRADER_COURSE; the kit's own course, next to this package, is only
the fallback.
"""

from __future__ import annotations

import ast
import json
import os
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

KIT_ROOT = Path(__file__).resolve().parent.parent  # the course this package was installed from
COURSE_ENV = "AUTOGRADER_COURSE"
CHECK_ID = re.compile(r"^test_exercise(\d+)$")


class CourseError(Exception):
    """No course where one was named or looked for; the message is one line."""


@dataclass(frozen=True)
class Course:
    """A course folder: where its notebooks, checks, catalogue and caches are."""

    root: Path
    found_by: str = "given"  # "given", "environment", "current folder" or "kit fallback"

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def release_dir(self) -> Path:
        return self.root / "release"

    @property
    def checks_dir(self) -> Path:
        return self.root / "autograder" / "checks"

    @property
    def mutants_dir(self) -> Path:
        return self.root / "tests" / "mutants"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".autograder-cache"

    def describe(self) -> str:
        return f"course: {self.root} ({self.found_by})"


def is_course_root(folder: Path) -> bool:
    return (folder / "source").is_dir() and (folder / "nbgrader_config.py").is_file()


def find_course_root(start: Path | str | None = None) -> Path | None:
    """The nearest folder at or above `start` (default: the current folder) that holds a course."""
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if is_course_root(folder):
            return folder
    return None


_CURRENT: Course | None = None


def set_course(root: Path | str | None = None) -> Course:
    """Choose the course: `root` if given, else the current folder upward, else $AUTOGRADER_COURSE, else the kit's.

    The choice is exported in $AUTOGRADER_COURSE so that subprocesses (the fork server among them) agree.
    """
    global _CURRENT
    if root is not None:
        folder = Path(root).resolve()
        if not (folder / "source").is_dir():
            raise CourseError(f"{root}: not a course folder (no source/ in it)")
        course = Course(folder, "given")
    elif (found := find_course_root()) is not None:
        course = Course(found, "current folder")
    elif os.environ.get(COURSE_ENV):
        folder = Path(os.environ[COURSE_ENV]).resolve()
        if not (folder / "source").is_dir():
            raise CourseError(f"{COURSE_ENV}={folder}: not a course folder (no source/ in it)")
        course = Course(folder, "environment")
    else:
        course = Course(KIT_ROOT, "kit fallback")
    os.environ[COURSE_ENV] = str(course.root)
    _CURRENT = course
    return course


def current_course() -> Course:
    """The course chosen by `set_course`, choosing it now when none was."""
    return _CURRENT if _CURRENT is not None else set_course()


@dataclass(frozen=True)
class Cell:
    """One code cell of an instructor notebook."""

    index: int
    source: str
    grade_id: str
    solution: bool = False
    check: bool = False
    demo: bool = False
    points: float = 0.0


@dataclass(frozen=True)
class Exercise:
    """A graded exercise: its solution cells, its visible check cell and its points."""

    number: int
    points: float
    solutions: tuple[Cell, ...]
    check: Cell

    @property
    def grade_ids(self) -> tuple[str, ...]:
        return tuple(cell.grade_id for cell in self.solutions)

    @property
    def title(self) -> str:
        return f"Exercise {self.number}: {', '.join(self.grade_ids)}"

    @property
    def names(self) -> frozenset[str]:
        """Top-level names (functions, classes, variables) the solution cells define."""
        return frozenset(n for cell in self.solutions for n in defined_names(cell.source))


@dataclass(frozen=True)
class Assignment:
    """One instructor notebook in `<course>/source/<id>/<id>.ipynb`."""

    id: str
    path: Path
    cells: tuple[Cell, ...]
    exercises: tuple[Exercise, ...] = field(default=())

    @property
    def max_score(self) -> float:
        return sum(ex.points for ex in self.exercises)

    @property
    def course_root(self) -> Path:
        return self.path.resolve().parents[2]

    @property
    def check_module(self) -> Path:
        return self.course_root / "autograder" / "checks" / f"test_{self.id}.py"

    @property
    def has_checks(self) -> bool:
        return self.check_module.is_file()

    def exercise(self, number: int) -> Exercise:
        for ex in self.exercises:
            if ex.number == number:
                return ex
        raise KeyError(f"{self.id} has no exercise {number}")

    def exercise_of_grade_id(self, grade_id: str) -> Exercise:
        for ex in self.exercises:
            if grade_id in ex.grade_ids:
                return ex
        raise KeyError(f"{self.id} has no solution cell {grade_id!r}")

    def grade_ids(self) -> set[str]:
        return {cell.grade_id for cell in self.cells if cell.grade_id}


@lru_cache(maxsize=65536)
def defined_names(source: str) -> frozenset[str]:
    """Names bound at the top level of a cell: `def`, `class` and simple assignments."""
    try:
        tree = ast.parse(transform_cell(source))
    except SyntaxError:
        return frozenset()
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return frozenset(names)


def solution_only_lines(cells: list[tuple[str, bool]]) -> set[str]:
    """Lines that occur inside solution regions and nowhere outside them.

    `cells` are (source, is a solution cell); a solution cell without markers is a region as a whole.
    """
    inside, outside = set(), set()
    for source, solution in cells:
        region = solution and "### BEGIN SOLUTION" not in source
        for line in source.splitlines():
            text = line.strip()
            if text.startswith(("### BEGIN SOLUTION", "### END SOLUTION")):
                region = text.startswith("### BEGIN")
            elif text:
                (inside if region else outside).add(text)
    return inside - outside


def transform_cell(source: str) -> str:
    """Turn IPython syntax (magics, `!cmd`) into plain Python."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def cell_source(cell: dict) -> str:
    """A cell's source as one string (notebook files may store it as a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def read_cells(nb: dict) -> tuple[Cell, ...]:
    """The code cells of a notebook (a dict, as in the file) with their nbgrader roles."""
    cells = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        cells.append(
            Cell(
                index=index,
                source=cell_source(cell),
                grade_id=meta.get("grade_id", ""),
                solution=bool(meta.get("solution")),
                check=bool(meta.get("grade")) and not meta.get("solution"),
                demo="demo" in cell.get("metadata", {}).get("tags", []),
                points=float(meta.get("points", 0) or 0),
            )
        )
    return tuple(cells)


def split_exercises(cells: tuple[Cell, ...]) -> tuple[Exercise, ...]:
    """Group solution cells with the check cell that follows them."""
    exercises, pending = [], []
    for cell in cells:
        if cell.solution:
            pending.append(cell)
        elif cell.check:
            match = CHECK_ID.match(cell.grade_id)
            if not match:
                raise ValueError(f"check cell {cell.grade_id!r} is not named test_exerciseN")
            exercises.append(Exercise(int(match.group(1)), cell.points, tuple(pending), cell))
            pending = []
    if pending:
        ids = ", ".join(c.grade_id for c in pending)
        raise ValueError(f"solution cells without a check cell after them: {ids}")
    return tuple(exercises)


def load_assignment(path: Path) -> Assignment:
    """Read an instructor notebook into an Assignment (plain JSON: nbformat's import costs a second)."""
    cells = read_cells(json.loads(Path(path).read_text(encoding="utf-8")))
    return Assignment(path.stem, path, cells, split_exercises(cells))


def course_assignments(source_dir: Path | None = None) -> tuple[Assignment, ...]:
    """Every assignment in the course's `source/` (or in `source_dir`), in order of their ids."""
    return _assignments_in(Path(source_dir or current_course().source_dir).resolve())


UNREADABLE: dict[Path, str] = {}  # instructor notebooks that could not be read: path -> why (validate says it)


@cache
def _assignments_in(source_dir: Path) -> tuple[Assignment, ...]:
    """The assignments of a source folder; a notebook that cannot be read is left out (and kept in UNREADABLE)."""
    paths = sorted(p / f"{p.name}.ipynb" for p in source_dir.iterdir() if p.is_dir())
    found = []
    for path in paths:
        if not path.exists():
            continue
        try:
            found.append(load_assignment(path))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            UNREADABLE[path] = f"{type(exc).__name__}: {exc}"
    return tuple(found)


def unreadable_notebooks(source_dir: Path | None = None) -> dict[Path, str]:
    """The instructor notebooks of the course that could not be read, and why."""
    folder = Path(source_dir or current_course().source_dir).resolve()
    _assignments_in(folder)
    return {p: why for p, why in UNREADABLE.items() if p.parent.parent == folder}


def find_assignment(assignment_id: str, source_dir: Path | None = None) -> Assignment:
    for assignment in course_assignments(source_dir):
        if assignment.id == assignment_id:
            return assignment
    raise KeyError(f"no assignment {assignment_id!r} in {source_dir or current_course().source_dir}")
