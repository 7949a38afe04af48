"""Notebook 01 (tensors and autograd): its claims hold in torch, it runs in a real kernel, its checks are sharp.

The claims the notebook's text makes about torch are executed here (issue 11), with the notebook's own
solutions where a claim is about them. The notebook is run top to bottom in a Jupyter kernel, instructor and
release versions (issues 10 and 11), and its mutant catalogue is proved against the hidden checks (issue 9).
"""

from __future__ import annotations

import re

import nbformat
import numpy as np
import pytest
import torch
from notebook_kernel import cell_seconds, images, markdown, printed, run_with_figure_recorder, solution_namespace

from autograder.course import KIT_ROOT, find_assignment
from autograder.mutation import load_catalogue

ID = "01_tensors_autograd"
SOURCE = KIT_ROOT / "source" / ID / f"{ID}.ipynb"
RELEASE = KIT_ROOT / "release" / ID / f"{ID}.ipynb"
COURSE_MD = KIT_ROOT / "course.md"
EXERCISE_FUNCTIONS = {
    1: ("stack_features",),
    2: ("standardize_columns",),
    3: ("to_tensor_shared", "to_numpy"),
    4: ("grad_of",),
    5: ("gradient_descent",),
    6: ("numerical_gradient", "gradient_check"),
}


@pytest.fixture(scope="module")
def assignment():
    return find_assignment(ID)


@pytest.fixture(scope="module")
def notebook():
    return nbformat.read(SOURCE, as_version=4)


@pytest.fixture(scope="module")
def solved():
    return solution_namespace(SOURCE)


# =============================================================================================
# The claims of the text, executed
# =============================================================================================
def test_literals_infer_int64_and_float32():
    """Do whole numbers give int64, and one decimal point float32 (the default float dtype)?"""
    assert torch.tensor([73, 91]).dtype == torch.int64
    assert torch.tensor([1, 2.5]).dtype == torch.float32
    assert torch.tensor(4.0).dtype == torch.float32


@pytest.mark.parametrize(
    ("a", "b", "result"),
    [
        (torch.ones(3), torch.ones(3, dtype=torch.float64), torch.float64),
        (torch.ones(3), torch.tensor(2.0, dtype=torch.float64), torch.float32),
        (torch.ones(3), 2.5, torch.float32),
        (torch.arange(3), torch.ones(3), torch.float32),
        (torch.arange(3), 2.5, torch.float32),
        (torch.arange(3), torch.tensor(2.0, dtype=torch.float64), torch.float64),
        (torch.ones(3, dtype=torch.int32), torch.tensor(1, dtype=torch.int64), torch.int32),
        (torch.tensor(1.0), torch.tensor(1.0, dtype=torch.float64), torch.float64),
    ],
    ids=["f32+f64", "f32+f64_0d", "f32*float", "i64+f32", "i64*float", "i64+f64_0d", "i32+i64_0d", "0d+0d"],
)
def test_promotion_follows_the_category_rule(a, b, result):
    """Does promotion follow the stated rule: category first, then dimensioned > 0-d > Python number?"""
    assert torch.result_type(a, b) == result
    assert (a + b).dtype == result


def test_integer_tensors_refuse_mean_std_and_grad_but_sum():
    """Do mean, std and requires_grad refuse an integer tensor while sum and max work?"""
    t = torch.tensor([73, 91, 87])
    for reduce in (torch.mean, torch.std, torch.var):
        with pytest.raises(RuntimeError):
            reduce(t)
    assert t.sum().dtype == torch.int64 and t.max().item() == 91
    with pytest.raises(RuntimeError, match="floating point"):
        torch.tensor([1, 2]).requires_grad_()


def test_std_divides_by_n_minus_one_unless_told():
    """Does torch.std divide by N - 1 by default and by N with correction=0?"""
    x = torch.tensor([1.0, 2.0, 3.0, 4.0])
    assert torch.isclose(x.std(), ((x - x.mean()) ** 2).sum().div(3).sqrt())
    assert torch.isclose(x.std(correction=0), ((x - x.mean()) ** 2).sum().div(4).sqrt())


def test_reshape_after_cat_scrambles_the_rows():
    """Does cat-then-reshape(-1, 3) put consecutive values of one feature in a row, unlike stack(dim=1)?"""
    a, b, c = torch.tensor([1, 2, 3, 4]), torch.tensor([10, 20, 30, 40]), torch.tensor([100, 200, 300, 400])
    assert torch.cat([a, b, c]).reshape(-1, 3)[0].tolist() == [1, 2, 3]
    assert torch.stack([a, b, c], dim=1)[0].tolist() == [1, 10, 100]
    assert torch.stack([a, b, c]).shape == (3, 4)


def test_row_means_broadcast_only_with_keepdim():
    """Does an (N,) row mean fail to broadcast against (N, D) while the keepdim (N, 1) form subtracts per row?"""
    m = torch.arange(15.0).reshape(5, 3)
    with pytest.raises(RuntimeError):
        m - m.mean(dim=1)
    assert torch.allclose((m - m.mean(dim=1, keepdim=True)).mean(dim=1), torch.zeros(5))
    assert torch.allclose((m - m.mean(dim=0)).mean(dim=0), torch.zeros(3))


def test_numpy_sharing_table():
    """Do from_numpy and as_tensor (same dtype) share memory, as_tensor (other dtype) and tensor copy?"""
    array = np.zeros(3)
    shared, as_same, as_other, copied = (
        torch.from_numpy(array),
        torch.as_tensor(array),
        torch.as_tensor(array, dtype=torch.float32),
        torch.tensor(array),
    )
    array[0] = 42.0
    assert shared[0].item() == 42.0 and as_same[0].item() == 42.0
    assert as_other[0].item() == 0.0 and copied[0].item() == 0.0
    assert shared.dtype == torch.float64
    assert np.shares_memory(array, shared.numpy())
    transposed = np.arange(6.0).reshape(2, 3).T
    assert np.shares_memory(transposed, torch.from_numpy(transposed).numpy())


def test_numpy_refuses_grad_and_bfloat16_and_cpu_returns_self():
    """Does .numpy() refuse a tensor that requires grad and bfloat16, keep float16, and .cpu() return t itself?"""
    with pytest.raises(RuntimeError, match="requires grad"):
        torch.ones(2, requires_grad=True).numpy()
    with pytest.raises(TypeError):
        torch.ones(2, dtype=torch.bfloat16).numpy()
    assert torch.ones(2, dtype=torch.float16).numpy().dtype == np.float16
    t = torch.ones(2, requires_grad=True)
    assert t.cpu() is t
    assert t.numpy(force=True).dtype == np.float32 and t.requires_grad


def test_backward_needs_one_element_or_a_gradient():
    """Does backward() accept shapes (), (1,) and (1, 1), refuse (2,), and accept (2,) with gradient=?"""
    for shape in ((), (1,), (1, 1)):
        w = torch.tensor(2.0, requires_grad=True)
        (w * torch.ones(shape)).backward()
        assert w.grad.item() == 1.0
    w = torch.tensor(2.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        (w * torch.tensor([1.0, 3.0])).backward()
    (w * torch.tensor([1.0, 3.0])).backward(gradient=torch.tensor([1.0, 1.0]))
    assert w.grad.item() == 4.0


def test_the_two_in_place_errors_differ():
    """Is an in-place change of a leaf refused with one message, and a change of a saved tensor with another?"""
    w = torch.tensor([3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        w -= 1.0
    loss = (w**2).sum()
    with torch.no_grad():
        w -= 0.1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()
    linear = (2 * w).sum()  # saves no copy of w: the same change does not break backward()
    with torch.no_grad():
        w -= 0.1
    linear.backward()
    assert w.grad.item() == 2.0


def test_rebinding_update_leaves_a_non_leaf():
    """Does w = w - lr * w.grad give a non-leaf with a grad_fn, while the no_grad update keeps the leaf?"""
    w = torch.tensor(3.0, requires_grad=True)
    (w**2).backward()
    rebound = w - 0.1 * w.grad
    assert not rebound.is_leaf and rebound.grad_fn is not None
    with torch.no_grad():
        w -= 0.1 * w.grad
    assert w.is_leaf and w.requires_grad


def test_optimizer_zero_grad_sets_none():
    """Does optimizer.zero_grad() set gradients to None by default, as the text says?"""
    w = torch.tensor(1.0, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=0.1)
    (w * 2).backward()
    optimizer.zero_grad()
    assert w.grad is None


def test_detach_hides_the_dependence_from_autograd_only(solved):
    """Is (x.detach()**2).sum() without grad_fn, refused by backward(), zero for grad_of, 2x for finite
    differences, and so a relative error of 1 for gradient_check?"""
    x = torch.tensor([0.5, -1.5, 2.0], dtype=torch.float64)
    y = (x.clone().requires_grad_(True).detach() ** 2).sum()
    assert y.grad_fn is None
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.backward()

    def f(v):
        return (v.detach() ** 2).sum()

    assert torch.equal(solved["grad_of"](f, x), torch.zeros(3, dtype=torch.float64))
    assert torch.allclose(solved["numerical_gradient"](f, x), 2 * x, atol=1e-8)
    assert solved["gradient_check"](f, x) == pytest.approx(1.0, abs=1e-9)


def test_tanh_demo_claims(solved):
    """Does detaching tanh in tanh(x)*x make autograd return tanh(x), and the check jump to order 1?"""
    xs = torch.linspace(-3, 3, 61, dtype=torch.float64)

    def honest(x):
        return (torch.tanh(x) * x).sum()

    def hidden(x):
        return (torch.tanh(x).detach() * x).sum()

    assert torch.allclose(solved["grad_of"](hidden, xs), torch.tanh(xs))
    true = torch.tanh(xs) + xs * (1 - torch.tanh(xs) ** 2)
    assert torch.allclose(solved["grad_of"](honest, xs), true)
    assert torch.allclose(solved["numerical_gradient"](hidden, xs), true, atol=1e-8)
    x = torch.randn(3, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    assert solved["gradient_check"](honest, x) < 1e-8
    assert 0.1 < solved["gradient_check"](hidden, x) <= 1.0
    noisy = solved["gradient_check"](honest, x.float())
    better = solved["gradient_check"](honest, x.float(), eps=1e-3)
    assert noisy > 1e-2 and 1e-6 < better < 1e-2 and better < noisy


def test_correct_gradients_check_at_about_1e9_or_less(solved):
    """Does a correct float64 gradient give a relative error below 1e-8 (the text: about 1e-9 or less)?"""
    gen = torch.Generator().manual_seed(1)
    for shape in ((5,), (3, 4), (2, 3, 2)):
        x = torch.randn(*shape, dtype=torch.float64, generator=gen)
        assert solved["gradient_check"](lambda v: (torch.sin(v) * v).sum() + (v**3).sum() / 3, x) < 1e-8


def finite_difference_errors(dtype) -> np.ndarray:
    """The central-difference errors of sin at 1 on the notebook's grid of steps."""
    errors = []
    for h in np.logspace(-15, -1, 57):
        x, step = torch.tensor(1.0, dtype=dtype), torch.tensor(h, dtype=dtype)
        errors.append(abs(((torch.sin(x + step) - torch.sin(x - step)) / (2 * step)).item() - np.cos(1.0)))
    return np.array(errors)


def test_unit_roundoff_and_the_bottom_of_the_v():
    """Are u and u^(1/3) as stated, and the typical error near the V's bottom about 1e-11 and 1e-5?"""
    u64, u32 = torch.finfo(torch.float64).eps / 2, torch.finfo(torch.float32).eps / 2
    assert u64 == pytest.approx(1.1e-16, rel=0.02) and u32 == pytest.approx(6e-8, rel=0.01)
    assert u64 ** (1 / 3) == pytest.approx(5e-6, rel=0.05) and u32 ** (1 / 3) == pytest.approx(4e-3, rel=0.05)
    hs = np.logspace(-15, -1, 57)
    for dtype, low, high, h_low, h_high in (
        (torch.float64, 1e-12, 1e-10, 1e-6, 1e-4),
        (torch.float32, 1e-6, 1e-4, 1e-4, 1e-2),
    ):
        errors = finite_difference_errors(dtype)
        bottom = int(np.argmin(errors))
        assert h_low <= hs[bottom] <= h_high
        assert low <= np.median(errors[max(0, bottom - 4) : bottom + 5]) <= high
    float32_errors = finite_difference_errors(torch.float32)
    assert np.allclose(float32_errors[hs < 6e-8], np.cos(1.0))


def test_never_zeroed_descent_keeps_oscillating():
    """Does descent on x**2 from 2 (lr 0.1) shrink by 0.8 per step when zeroed, and oscillate near ±2 when not?"""
    for zeroing in (True, False):
        x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
        path = []
        for _ in range(30):
            (x**2).backward()
            with torch.no_grad():
                x -= 0.1 * x.grad
            if zeroing:
                x.grad.zero_()
            path.append(x.item())
        if zeroing:
            assert path[-1] == pytest.approx(2 * 0.8**30)
        else:
            assert min(path) < -1.9 and max(path[-15:]) > 1.9


def test_descent_on_the_bowl_as_described(solved):
    """On x1**2 + 4 x2**2, does lr 0.05 converge smoothly, 0.2 zig-zag and converge, 0.26 diverge?"""

    def bowl(x):
        return x[0] ** 2 + 4 * x[1] ** 2

    start = torch.tensor([-2.5, 1.0], dtype=torch.float64)
    paths = {
        lr: [solved["gradient_descent"](bowl, start, lr=lr, steps=k) for k in range(16)] for lr in (0.05, 0.2, 0.26)
    }
    assert all(p[1] > 0 for p in paths[0.05]) and bowl(paths[0.05][-1]) < bowl(start)
    signs = [np.sign(p[1].item()) for p in paths[0.2]]
    assert all(a != b for a, b in zip(signs, signs[1:], strict=False)) and bowl(paths[0.2][-1]) < 1e-5
    values = [bowl(p).item() for p in paths[0.26]]
    assert values[1] < values[0] and values[-1] > values[0]
    assert abs(paths[0.26][1][1].item()) == pytest.approx(1.08)


def test_crop_feature_spreads(solved):
    """Does rainfall span about 90 units while temperature and humidity span about 30?"""
    features = solved["stack_features"](solved["temperature"], solved["rainfall"], solved["humidity"])
    spans = (features.max(dim=0).values - features.min(dim=0).values).tolist()
    assert 85 <= spans[1] <= 95 and all(28 <= s <= 36 for s in (spans[0], spans[2]))


# =============================================================================================
# The notebook's form: points, checks, demos, notation
# =============================================================================================
def test_points_in_markdown_match_the_metadata(assignment, notebook):
    """Do the exercise headings, the table at the top and course.md state exactly the metadata's points?"""
    points = {ex.number: ex.points for ex in assignment.exercises}
    text = markdown(notebook)
    headings = {int(n): float(p) for n, p in re.findall(r"### Exercise (\d+):.*\((\d+) points?\)", text)}
    assert headings == points
    rows = {int(n): float(p) for n, p in re.findall(r"^\| (\d) \| `.*\| (\d+) \|$", text, re.M)}
    assert rows == points
    assert re.search(rf"\*\*total\*\* \| \*\*{int(sum(points.values()))}\*\*", text)
    section = COURSE_MD.read_text().split("### 01 — ")[1].split("\n### ")[0]
    assert f"({int(sum(points.values()))} points" in section.splitlines()[0]
    course_rows = {int(n): float(p) for n, p in re.findall(r"^\| (\d) \| .* \| (\d+) \| \d+ min \|$", section, re.M)}
    assert course_rows == points


def test_checks_raise_through_exercise(assignment):
    """Is every check `with exercise(N):` asserting, calling itself, and never printing a failure?"""
    for ex in assignment.exercises:
        source = ex.check.source
        assert f"def test_exercise{ex.number}():\n    with exercise({ex.number}):" in source
        assert source.rstrip().endswith(f"test_exercise{ex.number}()")
        assert "assert " in source and "print(" not in source and "return fail" not in source


def test_setup_cell_defines_the_helpers(notebook):
    """Does the setup cell define exercise() and needs_answers() and import matplotlib?"""
    setup = next(c for c in notebook.cells if c.cell_type == "code")
    assert "def exercise(number):" in setup.source and "def needs_answers(*numbers):" in setup.source
    assert "import matplotlib.pyplot as plt" in setup.source and 'plt.close("all")' in setup.source


def test_demos_that_use_answers_wait_for_them(notebook):
    """Does every cell outside the exercises that calls an exercise's function wrap it in needs_answers(...)?"""
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or meta.get("solution") or meta.get("grade"):
            continue
        used = {
            n for n, names in EXERCISE_FUNCTIONS.items() for name in names if re.search(rf"\b{name}\(", cell.source)
        }
        if used:
            assert "demo" in cell.metadata.get("tags", []), cell.id
            match = re.search(r"with needs_answers\(([\d, ]+)\):", cell.source)
            assert match, cell.id
            assert used <= {int(n) for n in match.group(1).split(",")}, cell.id


def test_figures_are_demos_with_titles_and_labels(notebook):
    """Is every cell that draws a figure tagged demo, with a title and both axis labels in its code?"""
    figures = [c for c in notebook.cells if c.cell_type == "code" and "plt." in c.source and "show()" in c.source]
    assert len(figures) >= 4
    for cell in figures:
        assert "demo" in cell.metadata.get("tags", []), cell.id
        assert "title(" in cell.source and "xlabel(" in cell.source and "ylabel(" in cell.source, cell.id


def test_notation_uses_eta_and_no_gamma(notebook):
    """Is the learning rate η, and neither γ (the seeds' symbol) nor μ (the course's momentum) used here?"""
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "\\eta" in text or "η" in text
    assert "\\gamma" not in text and "γ" not in text and "\\mu" not in text


def test_gradient_check_builds_on_grad_of(assignment):
    """Does the exercise-6 solution call grad_of, and do the hidden checks give exercise 6 a stand-in for it?"""
    from autograder.check_modules import check_module_of

    solution = next(c for c in assignment.cells if c.grade_id == "gradient_check").source
    assert "grad_of(f, x)" in solution
    stand_ins = check_module_of(assignment.check_module).stand_ins
    assert [(ex, name) for ex, name, _ in stand_ins] == [(4, "grad_of")]


# =============================================================================================
# Top to bottom in a real kernel
# =============================================================================================
def test_instructor_notebook_runs_with_every_check_ok_and_drawn_figures(assignment):
    """Does the instructor notebook run in a kernel in under 60 s, every check OK, every figure drawn,
    titled and labelled, each figure cell in under 10 s?"""
    nb, seconds, figures = run_with_figure_recorder(SOURCE, allow_errors=False)
    print(f"instructor notebook: {seconds:.1f} s")
    assert seconds < 60
    for ex in assignment.exercises:
        assert printed(nb.cells[ex.check.index]).strip().endswith(f"Exercise {ex.number}: OK")
    demos = [c for c in nb.cells if "demo" in c.metadata.get("tags", [])]
    assert sum(images(c) for c in demos) == len(figures) >= 5
    for figure in figures:
        for axes in figure:
            assert axes["title"] and axes["xlabel"] and axes["ylabel"] and axes["drawn"] > 0, axes
    assert all(cell_seconds(c) < 10 for c in demos)


def test_release_says_not_answered_and_draws_no_empty_figure(assignment):
    """Does every check of the release raise `Exercise N: not answered yet`, every demo that needs answers
    print a note instead of a figure, and every figure drawn have data?"""
    nb, seconds, figures = run_with_figure_recorder(RELEASE, allow_errors=True)
    print(f"release notebook: {seconds:.1f} s")
    assert seconds < 60
    checks = {ex.check.index: ex.number for ex in assignment.exercises}
    for index, cell in enumerate(nb.cells):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if index in checks:
            assert len(errors) == 1 and errors[0]["ename"] == "AssertionError"
            assert errors[0]["evalue"].startswith(f"Exercise {checks[index]}: not answered yet")
        else:
            assert errors == [], (index, cell.source[:80])
        if "with needs_answers(" in cell.source:
            assert images(cell) == 0 and "This demonstration uses your answer" in printed(cell)
    assert len(figures) == sum(images(c) for c in nb.cells) >= 2
    assert all(axes["drawn"] > 0 for figure in figures for axes in figure)


# =============================================================================================
# The hidden checks, proved on the catalogue
# =============================================================================================
@pytest.fixture(scope="module")
def rows(proof_rows):
    return [r for r in proof_rows if r.assignment == ID]


def describe_row(row) -> str:
    return f"{row.name}: scores={row.scores} feedback={row.feedback[:300]!r}"


def test_every_mutant_is_caught_and_every_variant_accepted(rows):
    """Does every mutant lose points on its exercise only, and every variant keep full marks, visible check too?"""
    mutants = [r for r in rows if r.kind == "mutant"]
    variants = [r for r in rows if r.kind == "variant"]
    assert len(mutants) >= 50 and len(variants) >= 20
    assert [describe_row(r) for r in mutants if r.target_full or not r.others_full] == []
    assert [describe_row(r) for r in variants if not (r.target_full and r.others_full and r.visible_ok)] == []


def test_classic_mistakes_lose_at_least_half(rows):
    """Does each classic mistake lose at least half of its exercise's points, in every exercise?"""
    classic = {m.name for m in load_catalogue(ID).mutants if m.classic}
    assert len(classic) >= 10
    exercises = {r.exercise for r in rows if r.name in classic}
    assert exercises == set(EXERCISE_FUNCTIONS)
    for row in rows:
        if row.name in classic:
            score, top = row.scores[row.exercise]
            assert score <= top / 2, describe_row(row)


def test_hints_and_visible_verdicts_are_as_catalogued(rows):
    """Does the feedback show each promised hint, and does the visible check catch the mutants marked visible?"""
    catalogue = {m.name: m for m in load_catalogue(ID).mutants}
    assert [describe_row(r) for r in rows if r.kind == "mutant" and not r.hint_shown] == []
    assert [r.name for r in rows if r.kind == "mutant" and catalogue[r.name].visible and r.visible_ok] == []


HIDDEN_DETAILS = re.compile(r"\(\d+,(?: \d+)*,?\)|lr=0\.05|eps=0\.(?:5|1|25)\b|\[a line quoting")


def test_feedback_never_states_hidden_inputs(rows):
    """Is the feedback free of hidden shapes, steps and learning rates, and of scrubbed (quoted) lines?"""
    leaks = [(r.name, m.group()) for r in rows for m in HIDDEN_DETAILS.finditer(r.feedback)]
    assert leaks == []


# =============================================================================================
# The hidden checks trust nothing the child sends
# =============================================================================================
@pytest.fixture(scope="module")
def checks_and_reference(assignment):
    """The loaded check module, and the instructor's probe data per probe name."""
    from autograder.check_modules import load_full
    from autograder.grading import DEFAULT_SEED, reference_run

    module = load_full(assignment.check_module)
    reference = {}
    for ex in assignment.exercises:
        run = reference_run(assignment, ex, DEFAULT_SEED)
        assert run.error is None, run.error
        reference.update({name: result["data"] for name, result in run.probes.items()})
    tests = {name: fn for name, fn in vars(module).items() if name.startswith("test_exercise") and callable(fn)}
    return tests, reference


def forgeries(want):
    """Payloads a child could send instead of its data: empty, of the wrong type, with keys but no values."""
    yield {}
    yield None
    yield "<text>"
    yield []
    if isinstance(want, dict):
        yield {key: None for key in want}
        yield {key: {} for key in want}
        yield {key: "<text>" for key in want}


def test_forged_payloads_fail_every_hidden_check(checks_and_reference):
    """Does every hidden check fail on empty, mistyped or hollow payloads, and pass on the reference's own data?"""
    tests, reference = checks_and_reference
    assert len(tests) >= 30
    for name, test in tests.items():
        test(lambda probe: (reference[probe], reference[probe]))  # the reference's data passes
        for forged in forgeries(next(iter(reference.values()))):
            with pytest.raises(Exception):  # noqa: B017 (any failure counts: the check must not pass)
                test(lambda probe, forged=forged: (forged, reference[probe]))
        for probe_name, want in reference.items():
            for forged in forgeries(want):

                def probes(probe, forged=forged, target=probe_name):
                    return (forged if probe == target else reference[probe]), reference[probe]

                try:
                    test(probes)
                except Exception:  # noqa: BLE001
                    continue
                # passing is only allowed when the test does not read that probe at all
                assert not reads_probe(test, probe_name), (name, probe_name, type(forged).__name__)


def reads_probe(test, probe_name: str) -> bool:
    """Whether a check's source asks for a probe (directly or through a helper it calls)."""
    import inspect

    source = inspect.getsource(test)
    return f'"{probe_name}"' in source
