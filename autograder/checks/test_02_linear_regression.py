"""Hidden checks of 02_linear_regression: linear model, MSE, one update, training loops, optimizers.

Probes run in the student's child process and return plain data; the tests compare it with the
instructor's run of the same probe. Every probe draws all of its random inputs (float64, non-square
shapes) before it calls the student's code, so the inputs are the same in both runs whatever random
numbers the student's code draws. Expected values always come from the instructor's run: its own
solution, the notebook's given helpers, or torch itself.
"""

import functools
import itertools

import pytest
import torch

from autograder.compare import expect, expect_close, ratio_hint, shape_of
from autograder.probes import describe, leaf_state, probe, stand_in

F64 = torch.float64
RTOL, ATOL = 1e-9, 1e-12  # float64 trajectories: equivalent formulas agree to ~1e-15
FLOAT_TYPES = ("float", "float64")  # a Python float (np.float64 is a subclass of it)


def randn(*shape):
    return torch.randn(*shape, dtype=F64)


def leaf(t):
    return t.clone().requires_grad_()


def linear(w, b):
    """A model built on the caller's w and b (the probes' own, not the student's make_linear_model)."""

    def model(x):
        return x @ w.t() + b

    return model


def unchanged(t, before) -> bool:
    return bool(torch.equal(t.detach(), before))


def close(a, b, rtol=RTOL, atol=ATOL) -> bool:
    a, b = torch.as_tensor(a, dtype=F64), torch.as_tensor(b, dtype=F64)
    return a.shape == b.shape and bool(torch.allclose(a, b, rtol=rtol, atol=atol))


def tensor_value(got: dict, what: str, hint: str | None = None) -> torch.Tensor:
    """`got` is describe(value): require a tensor and return its values."""
    kind = got.get("type")
    if kind in ("ndarray", "float64"):
        hint = "keep the computation in torch: no .numpy() or NumPy functions"
    elif kind in FLOAT_TYPES:
        hint = hint or "return the tensor itself: .item() or float() turn it into a Python number"
    expect(kind == "Tensor", f"{what} should return a torch.Tensor, got {kind}.", hint)
    return got["value"]


def float_list(got: dict, what: str, epochs: int) -> list[float]:
    """`got` is describe(losses): require a list of `epochs` Python floats and return them."""
    expect(got.get("type") == "list", f"{what} should return a list of {epochs} Python floats, got {got.get('type')}.")
    items = got["items"]
    hint = None
    if len(items) == epochs - 1:
        hint = "one epoch short: loop over range(epochs)"
    elif len(items) == epochs + 1:
        hint = "one loss too many: record the loss once per epoch, at its end (not the starting loss)"
    expected = f"{epochs} loss" + ("es" if epochs != 1 else "")
    expect(len(items) == epochs, f"{what}, epochs={epochs}: expected {expected}, got {len(items)}.", hint)
    kinds = sorted({item["type"] for item in items if item["type"] not in FLOAT_TYPES})
    expect(
        not kinds,
        f"{what}: every loss should be a Python float, got {', '.join(kinds)}.",
        "use evaluate_loss(model, inputs, targets), or .item() on the loss tensor" if "Tensor" in kinds else None,
    )
    return [float(item["value"]) for item in items]


# =============================================================================================
# Stand-ins: what a later exercise's child gets instead of the instructor's earlier solutions
# =============================================================================================
@stand_in(exercise=1)
def make_linear_model(w, b):
    def model(inputs):
        return inputs @ w.t() + b

    return model


@stand_in(exercise=2)
def mse(preds, targets):
    import torch.nn.functional

    return torch.nn.functional.mse_loss(preds, targets)


@stand_in(exercise=3)
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    import torch
    import torch.nn.functional

    loss = torch.nn.functional.mse_loss(model(inputs), targets)
    grad_w, grad_b = torch.autograd.grad(loss, [w, b])
    with torch.no_grad():
        w.sub_(lr * grad_w)
        b.sub_(lr * grad_b)
    return loss.item()


# =============================================================================================
# Exercise 1: make_linear_model
# =============================================================================================
@probe(exercise=1)
def linear_predictions(ns):
    """A model on w (3, 5), b (3,), called on random (7, 5) inputs and then on new (4, 5) inputs."""
    x, x_new, w, b = randn(7, 5), randn(4, 5), leaf(randn(3, 5)), leaf(randn(3))
    model = ns["make_linear_model"](w, b)
    out = describe(model(x))
    return {"x": x, "w": w.detach(), "b": b.detach(), "out": out, "out_new": describe(model(x_new))}


@probe(exercise=1)
def linear_gradients(ns):
    """Gradients of sum(c * model(x)) with respect to w and b, for random weights c."""
    x, w, b, c = randn(7, 5), leaf(randn(3, 5)), leaf(randn(3)), randn(7, 3)
    out = ns["make_linear_model"](w, b)(x)
    if not isinstance(out, torch.Tensor):
        return {"status": f"model(inputs) returned {type(out).__name__}, not a tensor"}
    if out.shape != c.shape:
        return {"status": f"inputs (7, 5), w (3, 5), b (3,) gave predictions of shape {shape_of(out)}, not (7, 3)"}
    if not out.requires_grad:
        return {"status": "the predictions of the model are not connected to w and b for autograd"}
    grads = torch.autograd.grad((out * c).sum(), [w, b], allow_unused=True)
    return {"status": "ok", "grads": [g if g is not None else "none" for g in grads]}


@probe(exercise=1)
def linear_in_place_updates(ns):
    """The same model before and after w and b are changed in place (as training does)."""
    x, w, b, dw, db = randn(6, 4), leaf(randn(2, 4)), leaf(randn(2)), randn(2, 4), randn(2)
    model = ns["make_linear_model"](w, b)
    before = describe(model(x))
    with torch.no_grad():
        w.add_(dw)
        b.mul_(-3.0).add_(db)
    return {"before": before, "after": describe(model(x))}


@probe(exercise=1)
def linear_other_sizes(ns):
    """Models of other sizes and dtypes: K=1, D=6 on (9, 6); K=4, D=2 on (3, 2); float32 (5, 3) -> (5, 2)."""
    cases = [
        (randn(9, 6), randn(1, 6), randn(1)),
        (randn(3, 2), randn(4, 2), randn(4)),
        (torch.randn(5, 3), torch.randn(2, 3), torch.randn(2)),
    ]
    return [describe(ns["make_linear_model"](leaf(w), leaf(b))(x)) for x, w, b in cases]


def test_exercise1_predictions(probes):
    got, want = probes("linear_predictions")
    ref = want["out"]["value"]
    out = tensor_value(got["out"], "model(inputs)")
    hint = "predictions are inputs @ w.t() + b: (N, D) @ (D, K) gives (N, K)"
    expect(
        out.shape == ref.shape, f"inputs (7, 5), w (3, 5), b (3,): expected shape (7, 3), got {shape_of(out)}.", hint
    )
    x, w, b = want["x"], want["w"], want["b"]
    if close(out, ref - b):
        hint = "the bias b is missing: add b (shape (K,)) to every row"
    elif close(out, x @ w.reshape(w.shape[1], w.shape[0]) + b):
        hint = "reshape is not a transpose: use w.t()"
    else:
        hint = None
    expect_close(out, ref, "predictions of a model with w (3, 5), b (3,) on random (7, 5) inputs", RTOL, ATOL, hint)
    expect(out.dtype == F64, f"float64 inputs and parameters should give float64 predictions, got {out.dtype}.")


def first_predictions_right(got: dict, want: dict) -> bool:
    return got["out"].get("type") == "Tensor" and close(got["out"]["value"], want["out"]["value"])


def test_exercise1_new_inputs(probes):
    got, want = probes("linear_predictions")
    out = tensor_value(got["out_new"], "model(inputs)")
    if first_predictions_right(got, want):
        hint = "model must use its `inputs` argument, not data fixed when it was built"
    else:
        hint = "the predictions on the first inputs are wrong too: see that check"
    expect_close(out, want["out_new"]["value"], "the same model called on other inputs, (4, 5)", RTOL, ATOL, hint)


def test_exercise1_gradients_reach_w_and_b(probes):
    got, want = probes("linear_gradients")
    hint = "compute the predictions from w and b themselves: no .data, .detach(), .clone() before use, or NumPy"
    expect(got["status"] == "ok", f"{got['status']}.", hint)
    for g, r, name in zip(got["grads"], want["grads"], ("w", "b"), strict=True):
        expect(not isinstance(g, str), f"no gradient reached {name} through model(inputs).", hint)
        expect_close(g, r, f"the gradient with respect to {name} of a weighted sum of the predictions", RTOL, ATOL)


def test_exercise1_sees_in_place_updates(probes):
    got, want = probes("linear_in_place_updates")
    before = tensor_value(got["before"], "model(inputs)")
    after = tensor_value(got["after"], "model(inputs)")
    expect_close(before, want["before"]["value"], "predictions of a model with w (2, 4), b (2,)", RTOL, ATOL)
    expect_close(
        after,
        want["after"]["value"],
        "predictions after w and b were changed in place",
        RTOL,
        ATOL,
        "the model does not see in-place updates of w and b: use w and b themselves in the closure, "
        "not copies (no clone, detach or NumPy)"
        if close(after, before)
        else None,
    )


def test_exercise1_other_sizes_and_dtypes(probes):
    got, want = probes("linear_other_sizes")
    first, first_ref = probes("linear_predictions")
    if first_predictions_right(first, first_ref):
        hint = "nothing may depend on the course's sizes or dtype"
    else:
        hint = "the predictions for w (3, 5), b (3,) are wrong too: see that check"
    names = ["w (1, 6), b (1,) on (9, 6) inputs", "w (4, 2), b (4,) on (3, 2) inputs", "float32 w (2, 3) on (5, 3)"]
    for g, r, name in zip(got, want, names, strict=True):
        out = tensor_value(g, f"model(inputs) for {name}")
        ref = r["value"]
        expect_close(out, ref, f"predictions for {name}", 1e-5, 1e-6, hint)
        expect(out.dtype == ref.dtype, f"predictions for {name}: expected dtype {ref.dtype}, got {out.dtype}.")


# =============================================================================================
# Exercise 2: mse
# =============================================================================================
@probe(exercise=2)
def mse_value(ns):
    """mse of random (7, 3) tensors; the arguments must not change."""
    preds, targets = randn(7, 3), randn(7, 3)
    p, t = preds.clone(), targets.clone()
    loss = describe(ns["mse"](p, t))
    return {"preds": preds, "targets": targets, "loss": loss, "kept": unchanged(p, preds) and unchanged(t, targets)}


@probe(exercise=2)
def mse_gradient(ns):
    """The gradient of mse with respect to preds that require grad (random (5, 4) tensors)."""
    preds, targets = randn(5, 4), randn(5, 4)
    p = leaf(preds)
    loss = ns["mse"](p, targets)
    if not isinstance(loss, torch.Tensor) or not loss.requires_grad or loss.numel() != 1:
        return {"loss": describe(loss), "grad": None}
    (grad,) = torch.autograd.grad(loss.sum(), [p])
    return {"loss": describe(loss), "grad": grad, "kept": unchanged(p, preds)}


@probe(exercise=2)
def mse_other_shapes(ns):
    """mse of (4, 6), (6, 1) and float32 (3, 2) tensors."""
    cases = [(randn(4, 6), randn(4, 6)), (randn(6, 1), randn(6, 1)), (torch.randn(3, 2), torch.randn(3, 2))]
    return [describe(ns["mse"](p, t)) for p, t in cases]


def mse_hint(loss, want, preds, targets) -> str | None:
    """Recognise the classic wrong losses from the (known) inputs."""
    n, k = preds.shape
    hint = ratio_hint(
        loss,
        want,
        {
            float(n * k): "sum instead of mean: divide by the number of elements (use .mean())",
            float(k): "divided by the number of rows only: average over ALL N * K elements",
            float(n): "divided by the number of columns only: average over ALL N * K elements",
            0.5: "no factor 1/2: the MSE is the plain mean of the squared errors",
        },
    )
    diff = preds - targets
    candidates = [
        (diff.abs().mean(), "that is the mean absolute error: square the differences"),
        ((diff**2).mean().sqrt(), "that is the root-mean-square error: do not take the square root"),
        (diff.mean(), "the differences are not squared"),
        (diff.mean() ** 2, "that is the square of the mean error: square each difference, then average"),
    ]
    for value, text in candidates:
        if hint is None and close(loss, value):
            hint = text
    return hint


def test_exercise2_value(probes):
    got, want = probes("mse_value")
    loss = tensor_value(got["loss"], "mse(preds, targets)", "do not call .item() or float(): backward() needs a tensor")
    ref = want["loss"]["value"]
    expect(
        loss.dim() == 0,
        f"mse of (7, 3) tensors should be a 0-d tensor, got shape {shape_of(loss)}.",
        "average over all elements at once, not along one axis",
    )
    hint = mse_hint(loss, ref, want["preds"], want["targets"])
    expect_close(loss, ref, "mse of random (7, 3) tensors", RTOL, ATOL, hint)
    expect(got["kept"], "mse changed preds or targets.", "avoid in-place operations such as sub_, -= or pow_")


def test_exercise2_gradient(probes):
    got, want = probes("mse_gradient")
    expect(
        got["grad"] is not None,
        "the loss of preds that require grad is not a 1-element tensor connected to preds for autograd.",
        "keep it a tensor: no .item(), .detach() or NumPy",
    )
    expect_close(got["grad"], want["grad"], "the gradient of mse with respect to preds, (5, 4) tensors", RTOL, ATOL)
    expect(got["kept"], "mse changed preds.", "avoid in-place operations on the arguments")


def test_exercise2_other_shapes(probes):
    got, want = probes("mse_other_shapes")
    first, first_ref = probes("mse_value")
    if first["loss"].get("type") == "Tensor" and close(first["loss"]["value"], first_ref["loss"]["value"]):
        hint = "average over all the elements, whatever the shape"
    else:
        hint = "the loss of (7, 3) tensors is wrong too: see that check"
    names = ["(4, 6) tensors", "(6, 1) tensors", "float32 (3, 2) tensors"]
    for g, r, name in zip(got, want, names, strict=True):
        loss = tensor_value(g, f"mse of {name}")
        ref = r["value"]
        expect(loss.dim() == 0, f"mse of {name} should be a 0-d tensor, got shape {shape_of(loss)}.")
        expect_close(loss, ref, f"mse of {name}", 1e-6, 1e-8, hint)
        expect(loss.dtype == ref.dtype, f"mse of {name}: expected dtype {ref.dtype}, got {loss.dtype}.")


# =============================================================================================
# Exercise 3: perform_one_update
# =============================================================================================
UPDATE_LR = 0.03


@probe(exercise=3)
def update_steps(ns):
    """Three calls with lr=0.03 on random (6, 4) inputs, (6, 3) targets, w (3, 4), b (3,)."""
    x, y, w0, b0 = randn(6, 4), randn(6, 3), randn(3, 4), randn(3)
    w, b = leaf(w0), leaf(b0)
    model = linear(w, b)
    xc, yc = x.clone(), y.clone()
    steps = []
    for _ in range(3):
        returned = describe(ns["perform_one_update"](model, xc, yc, w, b, UPDATE_LR))
        steps.append({"returned": returned, "w": leaf_state(w), "b": leaf_state(b)})
    return {"w0": w0, "b0": b0, "steps": steps, "kept": unchanged(xc, x) and unchanged(yc, y)}


@probe(exercise=3)
def update_other_model(ns):
    """Two calls with lr=0.02 and a model that is not make_linear_model: 1.5 * (x @ w.t()) + b."""
    x, y, w0, b0 = randn(5, 2), randn(5, 4), randn(4, 2), randn(4)
    w, b = leaf(w0), leaf(b0)

    def model(inputs):
        return 1.5 * (inputs @ w.t()) + b

    steps = []
    for _ in range(2):
        returned = describe(ns["perform_one_update"](model, x, y, w, b, 0.02))
        steps.append({"returned": returned, "w": leaf_state(w), "b": leaf_state(b)})
    return {"steps": steps}


def returned_losses(steps: list, what: str) -> list[float]:
    values = []
    for i, step in enumerate(steps, 1):
        kind = step["returned"]["type"]
        expect(
            kind in FLOAT_TYPES,
            f"{what}: call {i} returned {kind}; it should return the loss as a Python float.",
            "return loss.item()" if kind == "Tensor" else "return the loss measured before the update",
        )
        values.append(float(step["returned"]["value"]))
    return values


def test_exercise3_returns_loss_before_update(probes):
    got, want = probes("update_steps")
    mine = returned_losses(got["steps"], "perform_one_update")
    ref = [float(s["returned"]["value"]) for s in want["steps"]]
    for i, (m, r) in enumerate(zip(mine, ref, strict=True), 1):
        hint = None
        if close(mine[:2], ref[1:], 1e-7, 1e-10):
            hint = "you returned the loss AFTER the update: return the loss computed before it"
        elif i > 1 and not updates_match(got, want, i - 1):
            hint = "the parameters were not updated as expected by the previous call (see the check of the updates)"
        expect_close(m, r, f"the value returned by call {i} of 3 (lr={UPDATE_LR})", 1e-7, 1e-10, hint)


def updates_match(got: dict, want: dict, calls: int) -> bool:
    """Whether w and b match the instructor's after each of the first `calls` calls."""
    return all(
        g[p].get("type") == "Tensor" and close(g[p]["value"], r[p]["value"])
        for g, r in zip(got["steps"][:calls], want["steps"][:calls], strict=True)
        for p in ("w", "b")
    )


def check_update_trajectory(got: dict, want: dict, what: str) -> None:
    for i, (g, r) in enumerate(zip(got["steps"], want["steps"], strict=True), 1):
        for name in ("w", "b"):
            mine, ref = g[name], r[name]
            expect(mine.get("type") == "Tensor", f"{what}: {name} is no longer a tensor after call {i}.")
            if close(mine["value"], ref["value"]):
                continue
            previous = got["steps"][i - 2][name]["value"] if i > 1 else got.get(f"{name}0")
            hint = None
            if previous is not None and torch.equal(mine["value"], previous):
                hint = (
                    f"{name} did not change: update it in place (w -= lr * w.grad) under torch.no_grad(); "
                    "w = w - ... only rebinds a local name, and zeroing the gradient before using it leaves "
                    "nothing to step with"
                )
            elif i > 1:
                hint = (
                    "the first update is right but a later one is not: the gradients are not zeroed after "
                    "each update (backward() adds to .grad), zero them for BOTH w and b"
                )
            elif previous is not None:
                step_mine, step_ref = mine["value"] - previous, ref["value"] - previous
                if close(step_mine, -step_ref):
                    hint = "wrong sign: step against the gradient, theta -= lr * grad"
                elif close(step_mine, step_ref * (1e-5 / UPDATE_LR)):
                    hint = "use the lr argument, not the default 1e-5"
                else:
                    hint = "the step is theta -= lr * gradient of mse(model(inputs), targets), for both w and b"
            expect_close(mine["value"], ref["value"], f"{what}: {name} after call {i}", RTOL, ATOL, hint)


def test_exercise3_parameter_trajectory(probes):
    got, want = probes("update_steps")
    check_update_trajectory(got, want, f"3 calls with lr={UPDATE_LR}")


def test_exercise3_parameters_stay_leaves(probes):
    got, _ = probes("update_steps")
    for i, step in enumerate(got["steps"], 1):
        for name in ("w", "b"):
            state = step[name]
            expect(
                state.get("type") == "Tensor" and state["is_leaf"] and state["requires_grad"],
                f"after call {i}, {name} should still be a leaf tensor with requires_grad=True.",
                "update in place under torch.no_grad(); do not detach or replace w and b",
            )


def test_exercise3_uses_given_model(probes):
    got, want = probes("update_other_model")
    mine = returned_losses(got["steps"], "perform_one_update with another model")
    ref = [float(s["returned"]["value"]) for s in want["steps"]]
    plain, plain_ref = probes("update_steps")
    hint = None
    if updates_match(plain, plain_ref, len(plain_ref["steps"])):
        hint = "the updates are right with make_linear_model: use the model you are given, not a formula of your own"
    expect_close(mine, ref, "losses returned with a model 1.5 * (x @ w.t()) + b", 1e-7, 1e-10, hint)
    for i, (g, r) in enumerate(zip(got["steps"], want["steps"], strict=True), 1):
        for name in ("w", "b"):
            expect(g[name].get("type") == "Tensor", f"{name} is no longer a tensor after call {i}.")
            expect_close(g[name]["value"], r[name]["value"], f"another model: {name} after call {i}", RTOL, ATOL, hint)


def test_exercise3_arguments_unchanged(probes):
    got, _ = probes("update_steps")
    expect(got["kept"], "perform_one_update changed inputs or targets.", "avoid in-place operations on them")


# =============================================================================================
# Exercise 4: train_with_GD, train_with_SGD, train_with_minibatchSGD
# =============================================================================================
GD_LR, GD_EPOCHS = 0.05, 5
SGD_LR = 0.15
MB_LR, MB_BATCH = 0.15, 3


def rows_of(batch, data) -> list[int]:
    """Which rows of `data` a batch holds (-1 for a row that is not one of them)."""
    found = []
    for row in batch.detach().reshape(-1, data.shape[1]):
        found.append(next((j for j in range(data.shape[0]) if torch.equal(row, data[j])), -1))
    return found


def recording_run(train, n, d, k, epochs, lr, **kwargs) -> dict:
    """Train on random data with a model that records the rows of every call; return what it saw."""
    x, y, w0, b0 = randn(n, d), randn(n, k), randn(k, d), randn(k)
    w, b = leaf(w0), leaf(b0)
    seen = []

    def model(inputs):
        seen.append(rows_of(inputs, x))
        return inputs @ w.t() + b

    xc, yc = x.clone(), y.clone()
    losses = describe(train(model, xc, yc, w, b, epochs=epochs, lr=lr, **kwargs))
    return {"seen": seen, "losses": losses, "kept": unchanged(xc, x) and unchanged(yc, y)}


def one_epoch_run(ns, train, n, lr, batches, **kwargs) -> dict:
    """Enumerate, with the instructor's perform_one_update and evaluate_loss, the end point of one
    epoch for every admissible order (`batches`: lists of (input rows, target rows) per update),
    then run one epoch of `train` on the same start."""
    x, y, w0, b0 = randn(n, 3), randn(n, 2), randn(2, 3), randn(2)
    update, evaluate = ns["perform_one_update"], ns["evaluate_loss"]

    def replay(plan):
        w, b = leaf(w0), leaf(b0)
        model = linear(w, b)
        for rows, target_rows in plan:
            update(model, x[rows], y[target_rows], w, b, lr)
        return torch.cat([w.detach().flatten(), b.detach()]), evaluate(model, x, y)

    paired, unpaired = batches
    ends = [replay(plan) for plan in paired]
    wrong = [replay(plan)[0] for plan in unpaired]
    w, b = leaf(w0), leaf(b0)
    xc, yc = x.clone(), y.clone()
    losses = describe(train(linear(w, b), xc, yc, w, b, epochs=1, lr=lr, **kwargs))
    return {
        "ends": torch.stack([e[0] for e in ends]),
        "end_losses": torch.tensor([e[1] for e in ends], dtype=F64),
        "unpaired": torch.stack(wrong),
        "params": torch.cat([w.detach().flatten(), b.detach()]),
        "losses": losses,
        "kept": unchanged(xc, x) and unchanged(yc, y),
    }


def sgd_plans(n):
    """Every order of n rows, one row per update; and the orders with inputs and targets unpaired."""
    perms = list(itertools.permutations(range(n)))
    paired = [[([i], [i]) for i in p] for p in perms]
    unpaired = [[([i], [k]) for k, i in enumerate(p)] for p in perms[1:]]  # inputs shuffled, targets not
    unpaired += [[([k], [i]) for k, i in enumerate(p)] for p in perms[1:]]  # targets shuffled, inputs not
    return paired, unpaired


def minibatch_plans(n, batch):
    """Every split of a permutation of n rows into consecutive batches (batch order matters, the order
    within a batch does not); and the permutations whose inputs are batched without their targets."""
    paired, seen = [], set()
    for p in itertools.permutations(range(n)):
        chunks = tuple(tuple(sorted(p[s : s + batch])) for s in range(0, n, batch))
        if chunks not in seen:
            seen.add(chunks)
            paired.append([(list(c), list(c)) for c in chunks])
    unpaired = []
    for p in list(itertools.permutations(range(n)))[1:]:
        spans = [list(range(s, min(s + batch, n))) for s in range(0, n, batch)]
        unpaired.append([([p[i] for i in span], span) for span in spans])  # inputs shuffled, targets not
        unpaired.append([(span, [p[i] for i in span]) for span in spans])  # targets shuffled, inputs not
    return paired, unpaired


@probe(exercise=4)
def gd_run(ns):
    """train_with_GD for 5 epochs with lr=0.05 on random (6, 4) inputs, (6, 3) targets."""
    x, y, w0, b0 = randn(6, 4), randn(6, 3), randn(3, 4), randn(3)
    w, b = leaf(w0), leaf(b0)
    xc, yc = x.clone(), y.clone()
    losses = describe(ns["train_with_GD"](linear(w, b), xc, yc, w, b, epochs=GD_EPOCHS, lr=GD_LR))
    return {"losses": losses, "w": leaf_state(w), "b": leaf_state(b), "kept": unchanged(xc, x) and unchanged(yc, y)}


@probe(exercise=4)
def sgd_one_epoch(ns):
    """One epoch of train_with_SGD (lr=0.15) on 4 random rows, and the end points of all 24 orders."""
    return one_epoch_run(ns, ns["train_with_SGD"], 4, SGD_LR, sgd_plans(4))


@probe(exercise=4)
def sgd_epochs(ns):
    """train_with_SGD for 5 epochs (lr=0.05) on 5 random rows, with a model that records its calls."""
    return recording_run(ns["train_with_SGD"], 5, 3, 2, 5, 0.05)


@probe(exercise=4)
def minibatch_one_epoch(ns):
    """One epoch of train_with_minibatchSGD (lr=0.15, batch_size=3) on 4 random rows: batches of 3 and 1."""
    return one_epoch_run(ns, ns["train_with_minibatchSGD"], 4, MB_LR, minibatch_plans(4, MB_BATCH), batch_size=MB_BATCH)


@probe(exercise=4)
def minibatch_epochs(ns):
    """train_with_minibatchSGD for 4 epochs (lr=0.05, batch_size=3) on 10 random rows, recording calls."""
    return recording_run(ns["train_with_minibatchSGD"], 10, 3, 2, 4, 0.05, batch_size=MB_BATCH)


def test_exercise4_gd_returns_losses(probes):
    got, _ = probes("gd_run")
    float_list(got["losses"], "train_with_GD", GD_EPOCHS)


def test_exercise4_gd_trajectory(probes):
    got, want = probes("gd_run")
    mine = float_list(got["losses"], "train_with_GD", GD_EPOCHS)
    ref = [float(item["value"]) for item in want["losses"]["items"]]
    what = f"train_with_GD, {GD_EPOCHS} epochs with lr={GD_LR}"
    hint = None
    if close(mine[1:], ref[:-1], 1e-7, 1e-10):
        hint = (
            "the losses are one epoch late: record the full-data loss at the END of each epoch "
            "(after the update), not the value perform_one_update returns"
        )
    expect_close(mine, ref, f"{what}: the losses", 1e-7, 1e-10, hint)
    hint = "pass lr on to perform_one_update, and make exactly one update on all the data per epoch"
    for name in ("w", "b"):
        expect(got[name].get("type") == "Tensor", f"{what}: {name} is no longer a tensor.")
        expect_close(got[name]["value"], want[name]["value"], f"{what}: the final {name}", RTOL, ATOL, hint)


def test_exercise4_gd_arguments_unchanged(probes):
    got, _ = probes("gd_run")
    expect(got["kept"], "train_with_GD changed the caller's inputs or targets.")


def check_one_epoch(got: dict, want: dict, what: str, orders: str) -> None:
    """The student's one-epoch end point must be the end point of one of the admissible orders."""
    losses = float_list(got["losses"], what, 1)
    params, ends = got["params"], want["ends"]
    match = [i for i in range(len(ends)) if close(params, ends[i])]
    if not match:
        hint = None
        if any(close(params, u) for u in want["unpaired"]):
            hint = "inputs shuffled without their targets: index inputs and targets with the same permutation"
        expect(
            False,
            f"{what}: after one epoch, w and b are not where one update per batch ({orders}), "
            "with the given lr, leads in any order.",
            hint or "pass lr on to perform_one_update, and update on every row exactly once per epoch",
        )
    expect_close(
        losses[0],
        want["end_losses"][match[0]],
        f"{what}: the loss returned for the epoch",
        1e-7,
        1e-10,
        "return the loss of the model on the FULL data at the end of the epoch (evaluate_loss), "
        "not an average of the batch losses",
    )


def check_epochs(got: dict, what: str, n: int, epochs: int, sizes: list[int]) -> list[list[int]]:
    """Split the recorded update batches into epochs and check each is a permutation cut as `sizes`."""
    batches = [rows for rows in got["seen"] if len(rows) != n]  # calls on all n rows are evaluations
    expect(all(-1 not in rows for rows in batches), f"{what} called the model on rows that are not rows of inputs.")
    total = sum(map(len, batches))
    if total < epochs * n:
        hint = "keep the last, smaller batch" if sizes[-1] != sizes[0] else None
    else:
        hint = "batches must not overlap: consecutive slices perm[start:start + batch_size]"
    expect(
        total == epochs * n,
        f"{what}: {epochs} epochs on {n} rows should train on {epochs * n} rows in batches of sizes {sizes}, "
        f"the model was trained on {total} rows in batches of sizes {sorted({len(r) for r in batches})}.",
        hint,
    )
    split, current = [], []
    for rows in batches:
        current.append(rows)
        if sum(map(len, current)) >= n:
            split.append(current)
            current = []
    orders = []
    for epoch in split:
        order = [i for rows in epoch for i in rows]
        expect(
            sorted(order) == list(range(n)),
            f"{what}: an epoch must use every row exactly once.",
            "shuffle a permutation (torch.randperm): no sampling with replacement",
        )
        expect(
            [len(rows) for rows in epoch] == sizes,
            f"{what}: with {n} rows an epoch should use batches of sizes {sizes}, got {[len(r) for r in epoch]}.",
            "cut the permutation into consecutive slices of batch_size rows; the last one may be smaller",
        )
        orders.append(order)
    return orders


def check_fresh_orders(orders: list[list[int]], what: str) -> None:
    expect(
        len(orders) > 1 and any(order != orders[0] for order in orders),
        f"{what}: the rows come in the same order in every epoch.",
        "draw a fresh permutation at the start of every epoch",
    )


def test_exercise4_sgd_returns_losses(probes):
    got, _ = probes("sgd_epochs")
    float_list(got["losses"], "train_with_SGD", 5)


def test_exercise4_sgd_one_epoch_end_point(probes):
    got, want = probes("sgd_one_epoch")
    check_one_epoch(got, want, "train_with_SGD on 4 rows", "one row per update")


def test_exercise4_sgd_each_row_once_per_epoch(probes):
    got, _ = probes("sgd_epochs")
    check_epochs(got, "train_with_SGD", 5, 5, [1] * 5)


def test_exercise4_sgd_fresh_order_each_epoch(probes):
    got, _ = probes("sgd_epochs")
    check_fresh_orders(check_epochs(got, "train_with_SGD", 5, 5, [1] * 5), "train_with_SGD")


def test_exercise4_sgd_arguments_unchanged(probes):
    for name in ("sgd_one_epoch", "sgd_epochs"):
        got, _ = probes(name)
        expect(
            got["kept"],
            "train_with_SGD changed the caller's inputs or targets.",
            "shuffle an index permutation, not the data in place",
        )


def test_exercise4_minibatch_returns_losses(probes):
    got, _ = probes("minibatch_epochs")
    float_list(got["losses"], "train_with_minibatchSGD", 4)


def test_exercise4_minibatch_one_epoch_end_point(probes):
    got, want = probes("minibatch_one_epoch")
    what = f"train_with_minibatchSGD on 4 rows with batch_size={MB_BATCH}"
    check_one_epoch(got, want, what, "batches of 3 and 1 rows")


def test_exercise4_minibatch_batches(probes):
    got, _ = probes("minibatch_epochs")
    check_epochs(got, f"train_with_minibatchSGD(batch_size={MB_BATCH})", 10, 4, [3, 3, 3, 1])


def test_exercise4_minibatch_fresh_order_each_epoch(probes):
    got, _ = probes("minibatch_epochs")
    what = f"train_with_minibatchSGD(batch_size={MB_BATCH})"
    check_fresh_orders(check_epochs(got, what, 10, 4, [3, 3, 3, 1]), what)


def test_exercise4_minibatch_arguments_unchanged(probes):
    for name in ("minibatch_one_epoch", "minibatch_epochs"):
        got, _ = probes(name)
        expect(
            got["kept"],
            "train_with_minibatchSGD changed the caller's inputs or targets.",
            "shuffle an index permutation, not the data in place",
        )


# =============================================================================================
# Exercise 5: OptimSGD, OptimMomentum, OptimNesterov
# =============================================================================================
OPT_LR, OPT_MOMENTUM, OPT_STEPS = 0.07, 0.6, 4


def opt_problem():
    return randn(7, 4), randn(7, 3), randn(3, 4), randn(3)


def opt_loss(x, y, w, b):
    return ((x @ w.t() + b - y) ** 2).mean()


def run_optimizers(make, problems, steps) -> list[list[dict]]:
    """One optimizer per problem (params given as a generator), stepped alternately: zero_grad,
    backward at the current parameters, step. Return each optimizer's parameter trajectory."""
    runs = []
    for x, y, w0, b0 in problems:
        w, b = leaf(w0), leaf(b0)
        runs.append((x, y, w, b, make(p for p in (w, b)), []))
    for _ in range(steps):
        for x, y, w, b, opt, trajectory in runs:
            opt.zero_grad()
            opt_loss(x, y, w, b).backward()
            opt.step()
            trajectory.append({"w": leaf_state(w), "b": leaf_state(b)})
    return [run[-1] for run in runs]


def optimizer_probe(ns, name, recognisers):
    """Two optimizers `name` on two random problems; plus, to recognise mistakes, the trajectories of
    other optimizers of the notebook on the first problem (`recognisers`: key -> (class, kwargs)).
    Only the instructor's run of the recognisers is used (torch.optim would cost a second to import)."""
    problems = [opt_problem(), opt_problem()]
    kwargs = {"lr": OPT_LR} if name == "OptimSGD" else {"lr": OPT_LR, "momentum": OPT_MOMENTUM}
    runs = run_optimizers(lambda params: ns[name](params, **kwargs), problems, OPT_STEPS)
    known = {}
    for key, (cls, cls_kwargs) in recognisers.items():
        try:
            (known[key],) = run_optimizers(functools.partial(ns[cls], **cls_kwargs), problems[:1], OPT_STEPS)
        except Exception:  # noqa: BLE001 (in the student's run these are the student's classes: unused)
            known[key] = None
    return {"first": runs[0], "second": runs[1], "w0": problems[0][2], "b0": problems[0][3], "known": known}


@probe(exercise=5)
def sgd_steps(ns):
    """Two OptimSGD(lr=0.07) on two random problems ((7, 4) inputs, w (3, 4)), 4 alternate steps."""
    return optimizer_probe(ns, "OptimSGD", {})


@probe(exercise=5)
def momentum_steps(ns):
    """Two OptimMomentum(lr=0.07, momentum=0.6) on two random problems, 4 alternate steps."""
    return optimizer_probe(ns, "OptimMomentum", {"plain": ("OptimSGD", {"lr": OPT_LR})})


@probe(exercise=5)
def nesterov_steps(ns):
    """Two OptimNesterov(lr=0.07, momentum=0.6) on two random problems, 4 alternate steps."""
    recognisers = {
        "momentum": ("OptimMomentum", {"lr": OPT_LR, "momentum": OPT_MOMENTUM}),
        "plain": ("OptimSGD", {"lr": OPT_LR * (1 + OPT_MOMENTUM)}),
    }
    return optimizer_probe(ns, "OptimNesterov", recognisers)


@probe(exercise=5)
def default_arguments(ns):
    """OptimSGD(params), OptimMomentum(params), OptimNesterov(params): defaults, 3 steps each."""
    problem = opt_problem()
    out = {}
    for name in ("OptimSGD", "OptimMomentum", "OptimNesterov"):
        (trajectory,) = run_optimizers(ns[name], [problem], 3)
        out[name] = [
            {k: step[k]["value"] - v for k, v in (("w", problem[2]), ("b", problem[3]))} for step in trajectory
        ]
    return out


@probe(exercise=5)
def unused_parameter(ns):
    """Optimizers over (w, b, c) where c does not enter the loss, so c.grad stays None: 2 steps each."""
    x, y, w0, b0, c0 = randn(6, 2), randn(6, 3), randn(3, 2), randn(3), randn(4)
    out = {}
    for name in ("OptimSGD", "OptimMomentum", "OptimNesterov"):
        w, b, c = leaf(w0), leaf(b0), leaf(c0)
        kwargs = {"lr": OPT_LR} if name == "OptimSGD" else {"lr": OPT_LR, "momentum": OPT_MOMENTUM}
        opt = ns[name]((p for p in (w, b, c)), **kwargs)
        for _ in range(2):
            opt.zero_grad()
            opt_loss(x, y, w, b).backward()
            opt.step()
        out[name] = {"w": w.detach().clone(), "b": b.detach().clone(), "c_kept": unchanged(c, c0)}
    return out


def check_trajectory(mine: list, ref: list, what: str, known: dict, hints: dict, start=None) -> None:
    """Compare parameter trajectories step by step; explain the first difference."""
    for i, (g, r) in enumerate(zip(mine, ref, strict=True), 1):
        for name in ("w", "b"):
            expect(g[name].get("type") == "Tensor", f"{what}: {name} is no longer a tensor after step {i}.")
            if close(g[name]["value"], r[name]["value"]):
                continue
            previous = mine[i - 2][name]["value"] if i > 1 else (start or {}).get(name)
            hint = None
            for key, text in hints.items():
                if known.get(key) is not None and all(
                    close(s[p]["value"], k[p]["value"]) for s, k in zip(mine, known[key], strict=True) for p in "wb"
                ):
                    hint = text
                    break
            if hint is None and previous is not None and torch.equal(g[name]["value"], previous):
                hint = hints.get(
                    "unchanged",
                    "the parameters did not change: update them in place (p -= ...) under torch.no_grad(); "
                    "params may be a generator, so store list(params)",
                )
            if hint is None:
                hint = hints.get("later" if i > 1 else "first")
            expect_close(
                g[name]["value"], r[name]["value"], f"{what}: {name} after step {i} of {len(ref)}", RTOL, ATOL, hint
            )


def same_trajectory(mine: list, ref: list) -> bool:
    return all(
        g[p].get("type") == "Tensor" and close(g[p]["value"], r[p]["value"])
        for g, r in zip(mine, ref, strict=True)
        for p in ("w", "b")
    )


def first_instance_right(probes, name: str) -> bool:
    """Whether the first optimizer of probe `name` follows the instructor's trajectory (False when it failed)."""
    try:
        got, want = probes(name)
    except pytest.fail.Exception:
        return False
    return same_trajectory(got["first"], want["first"])


def test_exercise5_sgd_trajectory(probes):
    got, want = probes("sgd_steps")
    hints = {
        "first": "the step is p -= lr * p.grad, in place, with the lr given to the constructor",
        "later": "the first step was right: does zero_grad() reset the gradients? (backward() adds to .grad)",
    }
    start = {"w": want["w0"], "b": want["b0"]}
    for key in ("first", "second"):
        check_trajectory(got[key], want[key], f"OptimSGD(params, lr={OPT_LR})", {}, hints, start)


MOMENTUM_CALL = f"(params, lr={OPT_LR}, momentum={OPT_MOMENTUM})"


def test_exercise5_momentum_trajectory(probes):
    got, want = probes("momentum_steps")
    hints = {
        "plain": "your steps are plain gradient steps: the velocity is not kept between steps "
        "(b = momentum * b + g, in a buffer of the optimizer's own that lives across calls)",
        "first": "the first step should be p -= lr * g (the velocity starts as b_1 = g)",
        "unchanged": "the parameters did not move at step 1: the velocity starts as b_1 = g, so update it "
        "BEFORE stepping, then p -= lr * b, in place under torch.no_grad()",
        "later": "the first step was right: is the velocity kept between steps, as b = momentum * b + g, "
        "in a buffer of its own (not p.grad), and does zero_grad() reset the gradients?",
    }
    start = {"w": want["w0"], "b": want["b0"]}
    check_trajectory(got["first"], want["first"], "OptimMomentum" + MOMENTUM_CALL, want["known"], hints, start)


def test_exercise5_nesterov_trajectory(probes):
    got, want = probes("nesterov_steps")
    hints = {
        "momentum": "your OptimNesterov steps exactly like plain momentum: Nesterov steps with "
        "g + momentum * b, not with the velocity b alone",
        "plain": "every step is lr * (1 + momentum) * g: the velocity is not kept between steps",
        "first": "the first Nesterov step is p -= lr * (1 + momentum) * g (b_1 = g, step g + momentum * b_1)",
        "unchanged": "the parameters did not move at step 1: update them in place (p -= ...) under torch.no_grad()",
        "later": "the first step was right: Nesterov updates b = momentum * b + g (kept between steps) and "
        "then steps with g + momentum * b, using the NEW velocity",
    }
    start = {"w": want["w0"], "b": want["b0"]}
    check_trajectory(got["first"], want["first"], "OptimNesterov" + MOMENTUM_CALL, want["known"], hints, start)


def test_exercise5_separate_state_per_instance(probes):
    for name, call in (("momentum_steps", "OptimMomentum"), ("nesterov_steps", "OptimNesterov")):
        got, want = probes(name)
        if same_trajectory(got["first"], want["first"]):
            text = (
                f"the first {call} is right but the second, stepped alternately with it, is not: each instance "
                "must keep its own velocity for each parameter (set self.velocity in __init__, not as a class "
                "attribute shared by all instances)"
            )
        else:
            text = f"the first {call} is wrong as well: see the check of its trajectory"
        hints = {"first": text, "later": text, "unchanged": text}
        check_trajectory(
            got["second"],
            want["second"],
            f"a second {call}{MOMENTUM_CALL}, stepped alternately with another one",
            {},
            hints,
        )


def test_exercise5_parameters_stay_leaves(probes):
    for name, call in (
        ("sgd_steps", "OptimSGD"),
        ("momentum_steps", "OptimMomentum"),
        ("nesterov_steps", "OptimNesterov"),
    ):
        got, _ = probes(name)
        for key in ("first", "second"):
            for i, step in enumerate(got[key], 1):
                for p in ("w", "b"):
                    state = step[p]
                    expect(
                        state.get("type") == "Tensor" and state["is_leaf"] and state["requires_grad"],
                        f"after {call}.step() number {i}, {p} should still be a leaf tensor with requires_grad=True.",
                        "update the parameters in place under torch.no_grad()",
                    )


def test_exercise5_default_arguments(probes):
    got, want = probes("default_arguments")
    defaults = {
        "OptimSGD": "lr=1e-5",
        "OptimMomentum": "lr=1e-5, momentum=0.9",
        "OptimNesterov": "lr=1e-5, momentum=0.9",
    }
    trajectories = {"OptimSGD": "sgd_steps", "OptimMomentum": "momentum_steps", "OptimNesterov": "nesterov_steps"}
    for name, text in defaults.items():
        if first_instance_right(probes, trajectories[name]):
            hint = f"the defaults are {text} (with lr={OPT_LR}, momentum={OPT_MOMENTUM} the steps are right)"
        else:
            hint = f"the steps are wrong with other arguments too: see the check of the {name} trajectory"
        for i, (g, r) in enumerate(zip(got[name], want[name], strict=True), 1):
            for p in ("w", "b"):
                expect_close(
                    g[p],
                    r[p],
                    f"{name}(params) with the default {text}: the change of {p} after step {i}",
                    1e-7,
                    1e-14,
                    hint,
                )


def test_exercise5_skips_parameters_without_gradient(probes):
    got, want = probes("unused_parameter")
    for name in ("OptimSGD", "OptimMomentum", "OptimNesterov"):
        g, r = got[name], want[name]
        expect(g["c_kept"], f"{name} changed a parameter whose .grad is None.", "skip parameters whose .grad is None")
        for p in ("w", "b"):
            expect_close(g[p], r[p], f"{name} with a parameter that gets no gradient: {p} after 2 steps", RTOL, ATOL)
