"""The proof that the hidden checks discriminate: mutants caught, variants accepted (issue: prove the checks)."""

from __future__ import annotations

import re

import pytest

from autograder.course import course_assignments
from autograder.mutation import load_catalogue
from autograder.prove import matrix, problem_lines, summary


@pytest.fixture(scope="session")
def rows(proof_rows):
    return proof_rows


def describe(row) -> str:
    return f"{row.assignment}:{row.name} scores={row.scores} feedback={row.feedback[:300]!r}"


def test_catalogue_is_large_enough():
    """Are there at least 60 mutants and 25 variants over the three assignments, with unique names?"""
    catalogues = [load_catalogue(a.id) for a in course_assignments()]
    mutants = [m for c in catalogues for m in c.mutants]
    variants = [v for c in catalogues for v in c.variants]
    assert len(mutants) >= 60 and len(variants) >= 25
    names = [(c.assignment, m.name) for c in catalogues for m in (*c.mutants, *c.variants)]
    assert len(names) == len(set(names))


def test_every_mutant_loses_points_on_its_target_only(rows):
    """Does every mutant lose points on its own exercise and keep full marks on all the others?"""
    mutants = [r for r in rows if r.kind == "mutant"]
    assert mutants
    missed = [describe(r) for r in mutants if r.target_full]
    spilled = [describe(r) for r in mutants if not r.others_full]
    assert missed == [] and spilled == []


def test_every_variant_scores_full_marks(rows):
    """Does every unusual but correct answer score full marks?"""
    variants = [r for r in rows if r.kind == "variant"]
    assert variants
    assert [describe(r) for r in variants if not (r.target_full and r.others_full)] == []


def test_hints_appear_for_their_mutants(rows):
    """Where a mistake has a promised hint, does the feedback show it?"""
    hinted = [r for r in rows if r.kind == "mutant" and r.hint]
    assert len(hinted) >= 5
    assert [describe(r) for r in hinted if not r.hint_shown] == []


def test_visible_checks_catch_what_the_catalogue_says(rows):
    """Does each visible check catch the mutants marked visible, and can every visible check fail?"""
    flagged = {
        (c.assignment, m.name)
        for c in map(load_catalogue, [a.id for a in course_assignments()])
        for m in c.mutants
        if m.visible
    }
    wrong_flags = [describe(r) for r in rows if (r.assignment, r.name) in flagged and r.visible_ok]
    assert wrong_flags == []
    for assignment in course_assignments():
        caught = {r.exercise for r in rows if r.assignment == assignment.id and r.kind == "mutant" and not r.visible_ok}
        assert caught == {ex.number for ex in assignment.exercises}, assignment.id


def test_variants_pass_the_visible_checks(rows):
    """Does the visible check accept every variant (students are not told a right answer is wrong)?"""
    assert [describe(r) for r in rows if r.kind == "variant" and not r.visible_ok] == []


def test_summary_and_matrix(rows):
    """Does the summary line count what the rows say, and does the matrix list every case?"""
    line = summary(rows)
    match = re.fullmatch(
        r"mutants caught by hidden checks: (\d+)/(\d+); variants accepted by hidden and visible checks: (\d+)/(\d+); "
        r"caught by visible checks: (\d+)/(\d+)",
        line,
    )
    assert match
    mutants = sum(r.kind == "mutant" for r in rows)
    assert int(match.group(2)) == mutants == int(match.group(6))
    assert int(match.group(1)) == sum(not r.target_full for r in rows if r.kind == "mutant")
    table = matrix(rows)
    assert all(r.name in table for r in rows)


def test_classic_bugs_lose_at_least_half(rows):
    """Does each classic bug of the seeds lose at least half of its exercise's points (checks weighted)?"""
    classic = [r for r in rows if r.kind == "mutant" and r.classic]
    assert len(classic) >= 10
    assert [describe(r) for r in classic if not r.lost_half] == []


def test_prove_finds_nothing_to_report(rows):
    """Does every catalogue entry behave as the catalogue says (what `autograder prove` exits 1 for)?"""
    assert problem_lines(rows) == []
