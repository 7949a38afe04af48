"""Mutants (known-wrong answers) and variants (unusual right answers) of one exercise."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    """A wrong answer: the instructor's solution cell `grade_id` with `old` replaced by `new`.

    Give `code` instead of `old`/`new` to replace the whole cell. `hint` is a phrase the
    feedback must contain for this mistake (None when no hint is promised). `visible` says
    whether the notebook's visible check is expected to catch it.
    """

    name: str
    grade_id: str
    old: str = ""
    new: str = ""
    code: str | None = None
    hint: str | None = None
    visible: bool = False

    def apply(self, source: str) -> str:
        """Return the changed cell source; fail loudly when `old` is not in `source`."""
        if self.code is not None:
            return self.code
        if self.old not in source:
            raise ValueError(f"{self.name}: {self.old!r} not found in cell {self.grade_id!r}")
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

    from autograder.course import REPO_ROOT

    path = (folder or REPO_ROOT / "tests" / "mutants") / f"{assignment_id}.py"
    if not path.exists():
        return Catalogue(assignment_id, (), ())
    spec = importlib.util.spec_from_file_location(f"mutants_{assignment_id}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Catalogue(assignment_id, tuple(module.MUTANTS), tuple(getattr(module, "VARIANTS", ())))
