"""`autograder prove`: grade every mutant and variant of the catalogue and show what catches what."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from autograder.course import Assignment
from autograder.grading import DEFAULT_JOBS, DEFAULT_SEED, grade_notebook
from autograder.mutation import Mutant, NotApplicable, Variant, load_catalogue
from autograder.samples import assignment_cell, solved_notebook, write_notebook


@dataclass
class ProofRow:
    """How the grader treated one mutant or variant."""

    assignment: str
    name: str
    kind: str  # "mutant" or "variant"
    exercise: int
    scores: dict[int, tuple[float, float]]  # exercise -> (score, max)
    visible_ok: bool  # the notebook's visible check printed "Exercise N: OK" without raising
    feedback: str
    hint: str | None = None
    visible_promised: bool = False  # the catalogue says the visible check catches it
    classic: bool = False  # a classic bug: must lose at least half of its exercise's points
    not_applicable: str = ""  # why the entry no longer fits the solution (then nothing was graded)

    @property
    def target_full(self) -> bool:
        score, top = self.scores[self.exercise]
        return score >= top

    @property
    def others_full(self) -> bool:
        return all(s >= m for n, (s, m) in self.scores.items() if n != self.exercise)

    @property
    def hint_shown(self) -> bool:
        return self.hint is None or self.hint.lower() in self.feedback.lower()

    @property
    def lost_half(self) -> bool:
        score, top = self.scores[self.exercise]
        return score <= top / 2

    def problems(self) -> list[str]:
        """What is wrong with how the checks treat this entry (empty: as the catalogue says)."""
        if self.not_applicable:
            return [f"not applicable: {self.not_applicable}"]
        found = []
        if self.kind == "mutant":
            if self.target_full:
                found.append("escaped the hidden checks")
            if self.visible_promised and self.visible_ok:
                found.append("escaped the visible check, which the catalogue says catches it")
            if self.classic and not self.lost_half:
                found.append("a classic bug that keeps more than half of its exercise's points")
            if not self.hint_shown:
                found.append(f"the feedback lacks the hint {self.hint!r}")
        else:
            if not self.target_full:
                found.append("rejected by the hidden checks")
            if not self.visible_ok:
                found.append("rejected by the visible check")
        if not self.others_full:
            found.append("cost points on other exercises")
        return found


def prove_one(assignment: Assignment, item: Mutant, seed: int = DEFAULT_SEED) -> ProofRow:
    """Build the notebook with `item` applied to its cell, grade it, and run the target's visible check."""
    exercise = assignment.exercise_of_grade_id(item.grade_id)
    kind = "variant" if isinstance(item, Variant) else "mutant"
    try:
        answer = item.apply(assignment_cell(assignment, item.grade_id))
    except NotApplicable as exc:
        top = {ex.number: (ex.points, ex.points) for ex in assignment.exercises}
        return ProofRow(
            assignment.id, item.name, kind, exercise.number, top, kind == "variant", "", not_applicable=str(exc)
        )
    nb = solved_notebook(assignment, answers={item.grade_id: answer})
    with tempfile.TemporaryDirectory(prefix="autograder-prove-") as tmp:
        path = write_notebook(nb, Path(tmp) / f"{assignment.id}.ipynb")
        results, visible, _ = grade_notebook(nb, path, assignment, seed, visible_for=frozenset({exercise.number}))
    target = next(r for r in results if r.number == exercise.number)
    return ProofRow(
        assignment.id,
        item.name,
        kind,
        exercise.number,
        {r.number: (r.score, r.max_score) for r in results},
        bool(visible.get(exercise.number)),
        target.feedback(),
        item.hint,
        item.visible,
        item.classic,
    )


def prove_course(
    assignments: tuple[Assignment, ...], seed: int = DEFAULT_SEED, progress: bool = True, jobs: int = DEFAULT_JOBS
) -> list[ProofRow]:
    """Prove every mutant and variant of the assignments' catalogues, `jobs` at a time."""
    from concurrent.futures import ThreadPoolExecutor

    from tqdm import tqdm

    items = [(a, item) for a in assignments for c in [load_catalogue(a.id)] for item in (*c.mutants, *c.variants)]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        rows = pool.map(lambda pair: prove_one(*pair, seed), items)
        return list(tqdm(rows, total=len(items), desc="proving", unit="case", disable=not progress))


def summary(rows: list[ProofRow]) -> str:
    mutants = [r for r in rows if r.kind == "mutant"]
    variants = [r for r in rows if r.kind == "variant"]
    caught = sum(not r.target_full for r in mutants if not r.not_applicable)
    accepted = sum(r.target_full and r.others_full and r.visible_ok for r in variants if not r.not_applicable)
    visible = sum(not r.visible_ok for r in mutants if not r.not_applicable)
    stale = sum(bool(r.not_applicable) for r in rows)
    text = (
        f"mutants caught by hidden checks: {caught}/{len(mutants)}; "
        f"variants accepted by hidden and visible checks: {accepted}/{len(variants)}; "
        f"caught by visible checks: {visible}/{len(mutants)}"
    )
    return text + (f"; not applicable any more: {stale}" if stale else "")


def problem_lines(rows: list[ProofRow]) -> list[str]:
    """One line per catalogue entry the checks do not treat as the catalogue says."""
    return [f"{r.assignment} {r.kind} {r.name}: {'; '.join(r.problems())}" for r in rows if r.problems()]


def exercise_table(rows: list[ProofRow]) -> str:
    """A Markdown table per exercise: mutants, caught by hidden and visible checks, variants accepted."""
    lines = [
        "| assignment | exercise | mutants | caught by hidden checks | caught by visible checks | variants accepted |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key in sorted({(r.assignment, r.exercise) for r in rows}):
        group = [r for r in rows if (r.assignment, r.exercise) == key]
        mutants = [r for r in group if r.kind == "mutant"]
        variants = [r for r in group if r.kind == "variant"]
        hidden = sum(not r.target_full for r in mutants)
        visible = sum(not r.visible_ok for r in mutants)
        accepted = sum(r.target_full and r.others_full for r in variants)
        lines.append(f"| {key[0]} | {key[1]} | {len(mutants)} | {hidden} | {visible} | {accepted}/{len(variants)} |")
    return "\n".join(lines)


def matrix(rows: list[ProofRow]) -> str:
    """One line per case: the score on each exercise (target marked *), hidden and visible verdicts."""
    lines = []
    for assignment in sorted({r.assignment for r in rows}):
        group = [r for r in rows if r.assignment == assignment]
        numbers = sorted({n for r in group for n in r.scores})
        width = max(len(r.name) for r in group) + 2
        lines.append(f"\n{assignment}")
        header = "kind     " + "case".ljust(width) + "".join(f"ex{n:<6}" for n in numbers) + "hidden    visible"
        lines.append(header)
        for r in group:
            cells = "".join(
                (f"{r.scores[n][0]:g}/{r.scores[n][1]:g}" + ("*" if n == r.exercise else "")).ljust(8) for n in numbers
            )
            if r.not_applicable:
                hidden = visible = "n/a"
            elif r.kind == "mutant":
                hidden = "caught" if not r.target_full else "MISSED"
                visible = "caught" if not r.visible_ok else ("MISSED" if r.visible_promised else "missed")
            else:
                hidden = "accepted" if r.target_full and r.others_full else "REJECTED"
                visible = "ok" if r.visible_ok else "REJECTED"
            lines.append(f"{r.kind:<9}{r.name.ljust(width)}{cells}{hidden:<10}{visible}")
    return "\n".join(lines)
