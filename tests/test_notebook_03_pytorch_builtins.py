"""Notebook 03_pytorch_builtins: the claims its text makes, run as code; the notebook run top to bottom in a real
kernel (instructor and release versions); its points, figures and demonstrations; and the proof of its hidden
checks against the catalogue (issues 9, 10 and 11)."""

from __future__ import annotations

import contextlib
import io
import re
import time

import matplotlib
import nbformat
import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from nbclient import NotebookClient
from notebook_kernel import cell_seconds, printed
from torch.utils.data import DataLoader, TensorDataset

from autograder.course import current_course, find_assignment

ASSIGNMENT = "03_pytorch_builtins"
NOTE = "(This demonstration uses your answer to exercise"
EXERCISE_NAMES = {  # names each exercise defines, as demonstrations call them
    1: ("LinearRegression(",),
    2: ("fit(",),
    3: ("HandSGD(",),
    4: ("HandAdam(",),
    5: ("l2_penalty(", "DecoupledWeightDecay("),
    6: ("Standardizer(",),
    7: ("fit_and_evaluate(", "train_crop_model("),
}


def source_path():
    return find_assignment(ASSIGNMENT).path


def release_path():
    return current_course().release_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def is_demo(cell) -> bool:
    return "demo" in cell.metadata.get("tags", [])


def is_check(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("grade"))


def errors(cell) -> list:
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def images(cell) -> list:
    return [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]


@pytest.fixture(scope="module")
def instructor() -> dict:
    """The instructor notebook's setup, given and solution cells, executed in one namespace (no demos, no checks)."""
    matplotlib.use("Agg")
    nb = nbformat.read(source_path(), as_version=4)
    namespace: dict = {"__name__": "__notebook__"}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in code_cells(nb):
            if not (is_demo(cell) or is_check(cell)):
                exec(compile(cell.source, f"<cell {cell.get('id')}>", "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def executed_source():
    """The instructor notebook run top to bottom in a real kernel, with its wall time."""
    nb = nbformat.read(source_path(), as_version=4)
    start = time.monotonic()
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return nb, time.monotonic() - start


@pytest.fixture(scope="module")
def executed_release():
    """The release notebook run top to bottom in a real kernel, going on after errors, with its wall time."""
    nb = nbformat.read(release_path(), as_version=4)
    start = time.monotonic()
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True).execute()
    return nb, time.monotonic() - start


def output_of(nb, cell_id: str) -> str:
    return printed(next(c for c in nb.cells if c.get("id") == cell_id))


# ------------------------------------------------------------------------------------------------
# the claims of the text, as code
# ------------------------------------------------------------------------------------------------


def test_integer_literals_give_long_tensors_that_mean_mse_loss_and_linear_refuse():
    """Does an array of integer literals become a Long tensor on which .mean(), F.mse_loss and nn.Linear raise?"""
    x = torch.from_numpy(np.array([[73, 67, 43], [91, 88, 64]]))
    assert x.dtype == torch.int64
    with pytest.raises(RuntimeError):
        x.mean()
    with pytest.raises(NotImplementedError):
        F.mse_loss(x, x)
    with pytest.raises(RuntimeError, match="same dtype"):
        nn.Linear(3, 2)(x)


def test_elementwise_product_promotes_a_long_tensor_but_a_matrix_product_does_not():
    """Does `*` with a float tensor promote a Long tensor to float, while `@` raises?"""
    x = torch.tensor([[1, 2, 3]])
    assert (x * torch.ones(3)).dtype == torch.float32
    with pytest.raises(RuntimeError):
        x @ torch.ones(3, 2)


def test_dataloader_keeps_the_smaller_last_batch():
    """Do 15 rows in batches of 4 give batches of 4, 4, 4 and 3 rows, shuffled or not?"""
    data = TensorDataset(torch.zeros(15, 3), torch.zeros(15, 2))
    assert [len(xb) for xb, _ in DataLoader(data, batch_size=4, shuffle=True)] == [4, 4, 4, 3]


def test_nn_linear_layout_and_initial_range():
    """Is nn.Linear's weight (out, in), its bias (out,), and are both uniform in [-1/sqrt(in), 1/sqrt(in)]?"""
    torch.manual_seed(0)
    layer = nn.Linear(400, 300)
    bound = 1 / 400**0.5
    assert tuple(layer.weight.shape) == (300, 400) and tuple(layer.bias.shape) == (300,)
    for p in (layer.weight, layer.bias):
        assert p.abs().max().item() <= bound
        assert p.abs().max().item() > 0.98 * bound


def test_a_plain_tensor_attribute_is_not_registered():
    """Has a module with a plain tensor attribute no parameters, does torch.optim.SGD raise ValueError on it and
    does .double() leave the tensor float32?"""

    class Plain(nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = torch.zeros(2, 3, requires_grad=True)

    assert list(Plain().parameters()) == []
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        torch.optim.SGD(Plain().parameters(), lr=0.1)
    assert Plain().double().weight.dtype == torch.float32


def test_torch_optimizers_set_gradients_to_none():
    """Does torch.optim's zero_grad() set the gradients to None (not to zero)?"""
    p = torch.ones(2, requires_grad=True)
    p.sum().backward()
    optimizer = torch.optim.SGD([p], lr=0.1)
    optimizer.zero_grad()
    assert p.grad is None


def _trajectory(make, steps=6, seed=0, resume=None, penalty=None):
    g = torch.Generator().manual_seed(seed)
    X, Y = torch.randn(8, 4, generator=g, dtype=torch.float64), torch.randn(8, 2, generator=g, dtype=torch.float64)
    W = torch.randn(2, 4, generator=g, dtype=torch.float64).requires_grad_()
    b = torch.randn(2, generator=g, dtype=torch.float64).requires_grad_()
    optimizer, points = make([W, b]), []
    for step in range(steps):
        if resume is not None and step == 3:
            saved = optimizer.state_dict()
            optimizer = resume([W, b])
            optimizer.load_state_dict(saved)
        loss = F.mse_loss(X @ W.T + b, Y) + (penalty([W, b]) if penalty else 0)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        points.append(torch.cat([W.detach().flatten(), b.detach()]))
    return torch.stack(points)


def test_hand_sgd_is_torch_sgd_and_loads_its_checkpoints(instructor):
    """Does the instructor's HandSGD follow torch.optim.SGD exactly, and continue a torch.optim.SGD checkpoint?"""
    hand_sgd = instructor["HandSGD"]
    for kwargs in [{"lr": 0.1}, {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.1, "nesterov": True}]:
        reference = _trajectory(lambda ps, kw=kwargs: torch.optim.SGD(ps, **kw))
        assert torch.equal(_trajectory(lambda ps, kw=kwargs: hand_sgd(ps, **kw)), reference)
        resumed = _trajectory(lambda ps, kw=kwargs: torch.optim.SGD(ps, **kw), resume=lambda ps: hand_sgd(ps))
        assert torch.equal(resumed, reference)


def test_sgd_weight_decay_is_the_l2_penalty_and_equals_decoupled_decay_only_without_momentum(instructor):
    """Is SGD's weight_decay the L2 penalty, equal to decoupled decay without momentum and different with it?"""
    l2_penalty, decoupled = instructor["l2_penalty"], instructor["DecoupledWeightDecay"]
    for momentum, same in ((0.0, True), (0.9, False)):
        torch_decay = _trajectory(lambda ps, m=momentum: torch.optim.SGD(ps, lr=0.05, momentum=m, weight_decay=0.3))
        penalised = _trajectory(
            lambda ps, m=momentum: torch.optim.SGD(ps, lr=0.05, momentum=m), penalty=lambda ps: l2_penalty(ps, 0.3)
        )
        assert torch.allclose(penalised, torch_decay, rtol=1e-10, atol=1e-12)
        wrapped = _trajectory(lambda ps, m=momentum: decoupled(torch.optim.SGD(ps, lr=0.05, momentum=m), 0.3))
        assert torch.allclose(wrapped, torch_decay, rtol=1e-10, atol=1e-12) == same
    params = [torch.randn(3, requires_grad=True), torch.randn(2, 2, requires_grad=True)]
    gradient = torch.autograd.grad(l2_penalty(params, 0.3), params)
    assert all(torch.allclose(g, 0.3 * p) for g, p in zip(gradient, params, strict=True))


def test_adamw_is_decoupled_decay_before_adam(instructor):
    """Does DecoupledWeightDecay(Adam) follow AdamW, and Adam with the L2 penalty part from it?"""
    decoupled = instructor["DecoupledWeightDecay"]
    adamw = _trajectory(lambda ps: torch.optim.AdamW(ps, lr=0.05, weight_decay=0.3))
    assert torch.allclose(_trajectory(lambda ps: decoupled(torch.optim.Adam(ps, lr=0.05), 0.3)), adamw, rtol=1e-10)
    assert not torch.allclose(_trajectory(lambda ps: torch.optim.Adam(ps, lr=0.05, weight_decay=0.3)), adamw, rtol=1e-3)


def test_momentum_buffer_is_about_one_over_one_minus_mu_times_a_steady_gradient():
    """Does torch's momentum buffer approach g / (1 - mu) for a steady gradient g (a decayed sum, not an average)?"""
    p = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=1e-9, momentum=0.9)
    for _ in range(200):
        optimizer.zero_grad()
        (2.0 * p).sum().backward()
        optimizer.step()
    assert optimizer.state[p]["momentum_buffer"].item() == pytest.approx(2.0 / (1 - 0.9), rel=1e-6)


def test_eps_inside_the_square_root_hardly_matters_with_the_default_eps_for_large_gradients():
    """With eps = 1e-8, does eps inside the square root change Adam's first step by a relative 1e-8 or less for
    gradients of size 1 and more, and by far more for tiny gradients?"""
    g = torch.tensor([1.0, 3.0, 10.0, 100.0], dtype=torch.float64)
    outside, inside = g / (g.abs() + 1e-8), g / (g * g + 1e-8).sqrt()
    assert ((outside - inside).abs() / outside.abs()).max().item() <= 1e-8
    tiny = torch.tensor([1e-6], dtype=torch.float64)
    assert abs((tiny / (tiny + 1e-8) - tiny / (tiny * tiny + 1e-8).sqrt()).item()) > 1e-3


def test_condition_numbers_and_learning_rate_limits(instructor):
    """Are the numbers of the conditioning section right: raw and standardised condition numbers and limits, the
    flattest direction almost the bias, a 1 - 1e-7 factor at lr 1e-5, and the least-squares loss?"""
    inputs, targets = instructor["inputs"].double(), instructor["targets"].double()
    hessian = instructor["mse_hessian"]
    eig, vectors = torch.linalg.eigh(hessian(inputs, 2))
    assert 2.1e6 < (eig[-1] / eig[0]).item() < 2.3e6
    assert 1.1e-4 < (2 / eig[-1]).item() < 1.15e-4
    assert abs(vectors[-1, 0].item()) > 0.99  # the flattest eigenvector is almost the bias
    assert 5e-8 < 1e-5 * eig[0].item() < 2e-7
    standardised = instructor["Standardizer"](inputs)(inputs)
    eig = torch.linalg.eigvalsh(hessian(standardised, 2))
    assert 6.9 < (eig[-1] / eig[0]).item() < 7.1
    assert 0.99 < (2 / eig[-1]).item() < 1.05
    rows = torch.cat([inputs, torch.ones(15, 1, dtype=torch.float64)], dim=1)
    best = F.mse_loss(rows @ torch.linalg.lstsq(rows, targets).solution, targets).item()
    assert best == pytest.approx(0.91, abs=0.005)
    rows = torch.cat([standardised, torch.ones(15, 1, dtype=torch.float64)], dim=1)
    assert F.mse_loss(rows @ torch.linalg.lstsq(rows, targets).solution, targets).item() == pytest.approx(
        best, rel=1e-9
    )


def test_standardised_gradient_descent_reaches_the_optimum_in_a_few_dozen_steps_and_diverges_above_the_limit(
    instructor,
):
    """On standardised inputs, does full-batch GD at lr 0.5 get within 1% of the optimum in under 40 steps, and
    diverge at lr 1.05?"""
    fit, standardizer = instructor["fit"], instructor["Standardizer"]
    inputs, targets = instructor["inputs"], instructor["targets"]
    X = standardizer(inputs)(inputs)
    for lr, check in (
        (0.5, lambda h: min(i for i, v in enumerate(h) if v < 0.91 * 1.01) < 40),
        (1.05, lambda h: h[-1] > 1e6),
    ):
        torch.manual_seed(0)
        model = nn.Linear(3, 2)
        loader = [(X, targets)]
        assert check(fit(model, loader, torch.optim.SGD(model.parameters(), lr=lr), 200))


def test_without_weight_decay_the_useless_weights_more_than_double_after_the_best_epoch(instructor):
    """Without weight decay, do the weights of the 10 useless measurements more than double between the epoch of
    the lowest held-out loss and the last epoch (the generalization section's claim)?"""
    ns = instructor
    scale = ns["Standardizer"](ns["train_x"])
    train_z = scale(ns["train_x"])
    torch.manual_seed(0)
    model = nn.Linear(13, 2)
    optimizer = torch.optim.SGD([{"params": [model.weight], "weight_decay": 0.0}, {"params": [model.bias]}], lr=0.05)
    loader = DataLoader(TensorDataset(train_z, ns["train_y"]), batch_size=5, shuffle=True)
    norms = {}
    for epoch in range(1, 301):
        ns["fit"](model, loader, optimizer, 1)
        norms[epoch] = model.weight[:, 3:].norm().item()
    assert norms[300] > 2 * norms[34]


def _numbers(line: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", line)]


def test_generalization_figures_show_what_the_text_says(executed_source):
    """Do the generalization demonstrations print what the text says: overfitting without weight decay (training
    loss far below the noise variance, held-out loss rising after a few dozen epochs), a held-out loss that stays
    near its lowest with weight decay 0.1, underfitting at 1, the lowest final loss at a moderate decay, and early
    stopping saving most of the damage?"""
    nb, _ = executed_source
    lines = output_of(nb, "gen_demo").splitlines()
    (_, train0, last0, lowest0, epoch0), (_, train1, last1, lowest1, _) = (_numbers(line) for line in lines[:2])
    assert train0 < 20 and last0 > 3 * lowest0 and 10 < epoch0 < 100
    assert train1 > train0 and last1 < 1.1 * lowest1 and last1 < last0 / 3
    sweep = {numbers[0]: numbers[2:] for numbers in map(_numbers, output_of(nb, "sweep_demo").splitlines())}
    finals = {decay: values[0] for decay, values in sweep.items()}
    assert min(finals, key=finals.get) == 0.1
    assert finals[1.0] > 2 * finals[0.1] and finals[0.0] > 2 * finals[0.1]
    assert sweep[0.0][1] <= 1.1 * min(finals.values())


def test_timing_demo_counts_ten_times_more_epochs_for_plain_sgd(executed_source):
    """Does plain SGD need at least five times as many epochs as momentum, Nesterov and Adam to reach the target,
    as the discussion of the timings says?"""
    nb, _ = executed_source
    rows = {line.split()[0]: _numbers(line) for line in output_of(nb, "timing_demo").splitlines()[1:]}
    epochs = {name: int(values[-2]) for name, values in rows.items()}
    assert set(epochs) == {"SGD", "heavy", "Nesterov", "Adam"}
    assert all(epochs["SGD"] >= 5 * epochs[name] for name in ("heavy", "Nesterov", "Adam"))


def test_optimizer_demos_print_what_the_text_says(executed_source):
    """Do HandSGD and torch.optim.SGD agree to rounding on the crop data, and do Adam + L2 and AdamW part ways
    while plain SGD's two weight decays agree?"""
    nb, _ = executed_source
    for line in output_of(nb, "sgd_demo").splitlines():
        assert float(line.rsplit("=", 1)[1]) <= 1e-12
    sgd_line, adam_line = output_of(nb, "decay_demo").splitlines()[:2]
    assert max(float(x) for x in re.findall(r"= (\S+?),?(?:\s|$)", sgd_line)) <= 1e-12
    assert float(adam_line.rsplit("=", 1)[1]) > 0.01


# ------------------------------------------------------------------------------------------------
# the notebook's structure: points, checks, figures, demonstrations
# ------------------------------------------------------------------------------------------------


def test_points_in_the_text_match_the_check_cells():
    """Do the exercise headings "(N points)" and the table at the top state the points of the check cells?"""
    assignment = find_assignment(ASSIGNMENT)
    nb = nbformat.read(source_path(), as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for ex in assignment.exercises:
        points = f"{ex.points:g}"
        assert re.search(rf"^## Exercise {ex.number}: .*\({points} points?\)$", text, re.M), ex.number
        assert re.search(rf"^\| {ex.number} \| .* \| {points} \|$", text, re.M), ex.number
    assert re.search(rf"^\| \| total \| {assignment.max_score:g} \|$", text, re.M)


def test_every_check_raises_through_the_exercise_helper():
    """Does every check cell run its asserts inside `with exercise(N):` and call itself, printing nothing itself?"""
    for ex in find_assignment(ASSIGNMENT).exercises:
        source = ex.check.source
        assert re.search(rf"with exercise\({ex.number}\)[:,]", source)
        assert re.search(rf"^test_exercise{ex.number}\(\)$", source, re.M)
        assert "print(" not in source


def test_figures_have_titles_and_axis_labels_and_are_demos():
    """Is every cell that draws a figure tagged demo, with a title and labels on both axes?"""
    nb = nbformat.read(source_path(), as_version=4)
    drawing = [c for c in code_cells(nb) if "plt.show()" in c.source]
    assert len(drawing) >= 4
    for cell in drawing:
        assert is_demo(cell), cell.get("id")
        assert re.search(r"\b(plt\.title|set_title|suptitle)\(", cell.source), cell.get("id")
        assert re.search(r"(xlabel|set_xlabel)\(", cell.source) and re.search(r"(ylabel|set_ylabel)\(", cell.source)


def test_demonstrations_that_use_answers_wait_for_them():
    """Does every demo cell that calls an exercise's function or class do it inside `with needs_answers(...)`,
    naming every exercise it uses, and do given cells that are not demos call no exercise at all?"""
    nb = nbformat.read(source_path(), as_version=4)
    for cell in code_cells(nb):
        if is_check(cell) or cell.metadata["nbgrader"].get("solution"):
            continue
        used = {
            n
            for n, names in EXERCISE_NAMES.items()
            if any(re.search(rf"(?<![\w.]){re.escape(name)}", cell.source) for name in names)
        }
        if not is_demo(cell):  # given cells run in the grader's children, where earlier answers are stand-ins
            assert not used, cell.get("id")
            continue
        if used:
            listed = re.search(r"with needs_answers\(([\d, ]+)\):", cell.source)
            assert listed, cell.get("id")
            assert used <= {int(n) for n in listed.group(1).split(",")}, cell.get("id")


# ------------------------------------------------------------------------------------------------
# the notebook in a real kernel
# ------------------------------------------------------------------------------------------------


def test_instructor_notebook_runs_in_a_kernel_under_60_s_with_every_check_ok(executed_source):
    """Does the instructor notebook run top to bottom in a real kernel in under 60 s, every check printing
    `Exercise N: OK`, no cell raising, and every figure drawn in under 10 s?"""
    nb, wall = executed_source
    print(f"instructor notebook: {wall:.1f} s")
    assert wall < 60
    assignment = find_assignment(ASSIGNMENT)
    for ex in assignment.exercises:
        assert printed(nb.cells[ex.check.index]).strip() == f"Exercise {ex.number}: OK"
    assert [c.get("id") for c in code_cells(nb) if errors(c)] == []
    figures = [c for c in code_cells(nb) if "plt.show()" in c.source]
    assert all(len(images(c)) == 1 for c in figures)
    assert max(cell_seconds(c) for c in figures) < 10


def test_release_checks_say_not_answered_and_demos_draw_no_empty_figure(executed_release):
    """In the release, does every check stop with one line `Exercise N: not answered yet ...`, every demo that
    needs an answer print the note and no figure, and no other cell raise?"""
    nb, wall = executed_release
    print(f"release notebook: {wall:.1f} s")
    assert wall < 60
    assignment = find_assignment(ASSIGNMENT)
    checks = {ex.check.index: ex.number for ex in assignment.exercises}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if index in checks:
            (error,) = errors(cell)
            assert error["ename"] == "AssertionError"
            assert error["evalue"].startswith(f"Exercise {checks[index]}: not answered yet")
            assert "\n" not in error["evalue"]
            continue
        assert errors(cell) == [], cell.get("id")
        if NOTE in printed(cell):
            assert images(cell) == [], cell.get("id")
    noted = [c.get("id") for c in code_cells(nb) if NOTE in printed(c)]
    assert {"fit_demo", "curves_demo", "gen_demo", "sweep_demo", "convergence_demo"} <= set(noted)


# ------------------------------------------------------------------------------------------------
# the proof of the hidden checks
# ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def proof(proof_rows):
    return [r for r in proof_rows if r.assignment == ASSIGNMENT]


def describe(row) -> str:
    return f"{row.name} scores={row.scores} visible_ok={row.visible_ok} feedback={row.feedback[:400]!r}"


def test_every_mutant_is_caught_on_its_exercise_only_and_classics_lose_half(proof):
    """Does every mutant lose points on its own exercise only, and every classic mistake at least half of them?"""
    from autograder.mutation import load_catalogue

    classic = {m.name for m in load_catalogue(ASSIGNMENT).mutants if m.classic}
    mutants = [r for r in proof if r.kind == "mutant"]
    assert len(mutants) >= 60 and len(classic) >= 14
    assert [describe(r) for r in mutants if r.target_full or not r.others_full] == []
    kept = [describe(r) for r in mutants if r.name in classic and r.scores[r.exercise][0] > r.scores[r.exercise][1] / 2]
    assert kept == []


def test_every_variant_is_accepted_by_hidden_and_visible_checks(proof):
    """Does every unusual right answer get full marks and pass the notebook's own check?"""
    variants = [r for r in proof if r.kind == "variant"]
    assert len(variants) >= 20
    assert [describe(r) for r in variants if not (r.target_full and r.others_full and r.visible_ok)] == []


def test_visible_checks_catch_what_the_catalogue_says_and_hints_show(proof):
    """Does the visible check catch every mutant marked visible, and does the feedback show every promised hint?"""
    from autograder.mutation import load_catalogue

    visible = {m.name for m in load_catalogue(ASSIGNMENT).mutants if m.visible}
    assert [describe(r) for r in proof if r.name in visible and r.visible_ok] == []
    assert [describe(r) for r in proof if r.kind == "mutant" and not r.hint_shown] == []


def test_feedback_keeps_its_hints_and_reveals_no_hidden_settings(proof):
    """Is no line of the feedback scrubbed as quoting hidden material, and does none state a hidden learning rate or
    other setting, hidden sizes or expected values? (The documented defaults, lr=1e-3 and so on, may be named.)"""
    hidden = r"lr=0\.\d|betas=\(0\.[58]|eps=1e-3|weight_decay=0\.\d|momentum=0\.\d|\(\d+, \d+\) tensor|should be \[|expected \["
    for row in proof:
        assert "[a line quoting" not in row.feedback, describe(row)
        assert not re.search(hidden, row.feedback), describe(row)


def test_early_stopping_probes_have_their_best_epoch_where_their_messages_say():
    """In the reference run, is the lowest held-out loss of the 'midway' probes after an epoch strictly inside the
    run, and that of the 'last is best' probe after the last epoch (else a missing restore would go unseen)?"""
    from autograder.check_modules import load_full
    from autograder.grading import reference_run

    assignment = find_assignment(ASSIGNMENT)
    load_full(assignment.check_module)
    probes = reference_run(assignment, assignment.exercise(7), 0).probes
    for name, where in (("fae_midway", "inside"), ("fae_custom_loss", "inside"), ("fae_last_is_best", "last")):
        held = [item["value"] for item in probes[name]["data"]["result"]["items"][1]["items"]]
        best = min(range(len(held)), key=held.__getitem__)
        assert (0 < best < len(held) - 1) if where == "inside" else best == len(held) - 1, (name, held)
