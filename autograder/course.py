"""The course as the grader sees it: assignments, exercises, cells and points, read from `source/`."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = REPO_ROOT / "source"
RELEASE_DIR = REPO_ROOT / "release"
CHECKS_DIR = Path(__file__).resolve().parent / "checks"
CHECK_ID = re.compile(r"^test_exercise(\d+)$")


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
    """One instructor notebook in `source/<id>/<id>.ipynb`."""

    id: str
    path: Path
    cells: tuple[Cell, ...]
    exercises: tuple[Exercise, ...] = field(default=())

    @property
    def max_score(self) -> float:
        return sum(ex.points for ex in self.exercises)

    @property
    def check_module(self) -> Path:
        return CHECKS_DIR / f"test_{self.id}.py"

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


def read_cells(nb: nbformat.NotebookNode) -> tuple[Cell, ...]:
    """The code cells of a notebook with their nbgrader roles."""
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        cells.append(
            Cell(
                index=index,
                source=cell.source,
                grade_id=meta.get("grade_id", ""),
                solution=bool(meta.get("solution")),
                check=bool(meta.get("grade")) and not meta.get("solution"),
                demo="demo" in cell.metadata.get("tags", []),
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
    """Read an instructor notebook into an Assignment."""
    nb = nbformat.read(path, as_version=4)
    cells = read_cells(nb)
    return Assignment(path.stem, path, cells, split_exercises(cells))


@cache
def course_assignments(source_dir: Path = SOURCE_DIR) -> tuple[Assignment, ...]:
    """Every assignment in `source/`, in order of their ids."""
    paths = sorted(p / f"{p.name}.ipynb" for p in source_dir.iterdir() if p.is_dir())
    return tuple(load_assignment(p) for p in paths if p.exists())


def find_assignment(assignment_id: str, source_dir: Path = SOURCE_DIR) -> Assignment:
    for assignment in course_assignments(source_dir):
        if assignment.id == assignment_id:
            return assignment
    raise KeyError(f"no assignment {assignment_id!r} in {source_dir}")
