"""Mutants (known-wrong answers) and variants (unusual right answers) of one exercise.

A catalogue entry is written as whole definitions (`code`): the functions or classes it replaces in the
instructor's solution cell, which keeps every other definition of the cell. So an entry survives any rewording
of the solution; it only stops applying when the solution no longer defines the names it replaces, and then
it says so (`NotApplicable`) instead of crashing.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path


class NotApplicable(ValueError):
    """The entry no longer fits the solution cell (a name it replaces, or the text it edits, is gone)."""


def top_level_definitions(source: str) -> dict[str, tuple[int, int]]:
    """Top-level functions and classes of a cell: name -> (first line, last line), 1-based, decorators included."""
    from autograder.course import transform_cell

    tree = ast.parse(transform_cell(source))
    spans = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            spans[node.name] = (first, node.end_lineno)
    return spans


def replace_definitions(solution: str, code: str) -> str:
    """The solution cell with the definitions in `code` put in place of its own of the same names.

    `code` that is not only definitions, or defines a name the solution does not, replaces the whole cell.
    """
    try:
        new = top_level_definitions(code)
        old = top_level_definitions(solution)
        tree = ast.parse(code)
    except SyntaxError:
        return code
    only_definitions = all(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for n in tree.body)
    if not new or not only_definitions or not set(new) <= set(old):
        return code
    lines, replacement = solution.splitlines(), code.splitlines()
    for name in sorted(new, key=lambda n: old[n][0], reverse=True):
        first, last = old[name]
        start, end = new[name]
        lines[first - 1 : last] = replacement[start - 1 : end]
    return "\n".join(lines) + ("\n" if solution.endswith("\n") else "")


@dataclass(frozen=True)
class Mutant:
    """A wrong answer for the instructor's solution cell `grade_id`.

    `code`: the definitions (functions, classes) that replace the solution's own of the same names, or a
    whole cell. `old`/`new`: a text edit of the solution (fragile: prefer `code`). `hint`: a phrase the
    feedback must contain for this mistake (None when no hint is promised). `visible`: the notebook's visible
    check catches it. `classic`: one of the classic bugs the course warns about, which must lose at least half
    of its exercise's points.
    """

    name: str
    grade_id: str
    old: str = ""
    new: str = ""
    code: str | None = None
    hint: str | None = None
    visible: bool = False
    classic: bool = False

    def apply(self, source: str) -> str:
        """The changed cell source; NotApplicable when the entry no longer fits `source`."""
        if self.code is not None:
            return replace_definitions(source, self.code)
        if not self.old or self.old not in source:
            raise NotApplicable(f"{self.name}: the text it edits is not in cell {self.grade_id!r} any more")
        return source.replace(self.old, self.new)


@dataclass(frozen=True)
class Variant(Mutant):
    """A right answer written in an unusual way: it must score full marks."""


@dataclass(frozen=True)
class Catalogue:
    """The mutants and variants of one assignment, from `tests/mutants/<assignment id>.py`."""

    assignment: str
    mutants: tuple[Mutant, ...]
    variants: tuple[Variant, ...]


def load_catalogue(assignment_id: str, folder=None) -> Catalogue:
    """Load `<folder>/<assignment id>.py` (a plain module defining MUTANTS and VARIANTS)."""
    import importlib.util

    from autograder.course import current_course

    path = Path(folder or current_course().mutants_dir) / f"{assignment_id}.py"
    if not path.exists():
        return Catalogue(assignment_id, (), ())
    spec = importlib.util.spec_from_file_location(f"mutants_{assignment_id}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Catalogue(assignment_id, tuple(module.MUTANTS), tuple(getattr(module, "VARIANTS", ())))
