"""Hidden checks of 02_linear_regression: linear model, MSE, one update, training loops, optimizers.

Probes run in the student's child process. They call student code through `attempt` (or let the grader report
what it raised), return plain data (tensors, numbers, flags, shapes as lists) and never text made from what the
student's code returned; each draws all of its random inputs (float64, non-square shapes) before its first call,
so the inputs are the same in the student's and the instructor's run whatever random numbers the student's code
draws. The tests run in the grader and compare the student's data (`got`) with the instructor's run of the same
probe (`want`), walking the reference's structure (`zip(..., strict=True)`, lengths taken from `want`), so that
a missing key, a wrong type or a wrong length fails a test and never passes it. Expected values come from the
reference run: the instructor's solution, the notebook's given helpers, the stand-ins below, or torch itself;
no probe holds an implementation of an exercise. Feedback names the kind of input ("random float64 data of
another shape than the notebook's", "a learning rate of the checks' choosing"), never hidden sizes, learning
rates or expected values.

"May live on a GPU" (exercise 4) is probed with `OnGPU`, a CPU tensor that behaves as a GPU tensor does
towards NumPy (refused) and `.cpu()` (an ordinary copy): the training loops must hand the model batches that
are still `OnGPU`.

Weights (`@weight`, default 1) put the central behaviour of each exercise first, so that each classic mistake
(`classic=True` in tests/mutants/02_linear_regression.py) loses at least half of the exercise's points:
- 1: the model uses w and b themselves (gradients reach them, in-place updates show) 5; predictions 2; new
  inputs 1; other sizes and dtypes 1 (of 9).
- 2: the value (0-d, the mean of all squared errors, arguments unchanged) 3; the gradient 2; any shape 2 (of 7).
- 3: the update rule (w and b after several calls, with the linear model and with another model) 5; the loss
  returned, leaves kept, arguments unchanged, the default lr 1 each (of 9).
- 4: the epochs of SGD and mini-batch SGD (a fresh permutation each epoch, cut into batches of batch_size,
  inputs paired with their targets, one update per batch at the given lr, the caller's data unchanged) 8;
  full-batch GD 2; the defaults 2; the losses returned, 2-d batches, data on a GPU 1 each (of 15).
- 5: momentum and Nesterov (trajectories of two instances stepped alternately, one velocity per parameter) 7;
  plain SGD 2; leaves kept, defaults, parameters without a gradient 1 each (of 12).
"""

import functools
import itertools

import pytest
import torch

from autograder.compare import expect, ratio_hint, weight
from autograder.probes import attempt, describe, is_reference_run, leaf_state, probe, stand_in

F64 = torch.float64
RTOL, ATOL = 1e-9, 1e-12  # float64 trajectories: equivalent formulas agree to ~1e-15
FLOAT_TYPES = ("float", "float64")  # a Python float (np.float64 is a subclass of it)
RANDOM_DATA = "random float64 data of another shape than the notebook's"


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
    with torch.no_grad():  # the step itself is not recorded by autograd
        w.sub_(lr * grad_w)
        b.sub_(lr * grad_b)
    return loss.item()


# =============================================================================================
# Helpers, probe side
# =============================================================================================
def randn(*shape):
    return torch.randn(*shape, dtype=F64)


def course_scale(*shape):
    """Random float64 values between 20 and 140, like the course's features and yields."""
    return 20 + 120 * torch.rand(*shape, dtype=F64)


def leaf(t):
    return t.clone().requires_grad_()


def linear(w, b):
    """A model built on the caller's w and b (the probes' own, not the student's make_linear_model)."""

    def model(x):
        return x @ w.t() + b

    return model


def unchanged(t, before) -> bool:
    return bool(torch.equal(t.detach(), before))


def call(fn, *args, **kwargs) -> dict:
    """Call student code; record the error it raised, or a description of what it returned."""
    value, error = attempt(fn, *args, **kwargs)
    return {"error": error, "out": describe(value) if error is None else None}


class OnGPU(torch.Tensor):
    """A CPU tensor that behaves, for the probes, as one on a GPU: NumPy refuses it, .cpu() copies it off."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func in (torch.Tensor.numpy, torch.Tensor.__array__):
            raise TypeError("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() first.")
        if func is torch.Tensor.cpu:
            return args[0].detach().as_subclass(torch.Tensor)
        return super().__torch_function__(func, types, args, kwargs or {})


# =============================================================================================
# Helpers, grader side
# =============================================================================================
def close(a, b, rtol=RTOL, atol=ATOL) -> bool:
    a, b = torch.as_tensor(a, dtype=F64), torch.as_tensor(b, dtype=F64)
    return a.shape == b.shape and bool(torch.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def expect_same(got, want, what: str, rtol=RTOL, atol=ATOL, hint: str | None = None) -> None:
    """Same shape and values within tolerance; the message never shows the expected values or shapes."""
    got_t, want_t = torch.as_tensor(got, dtype=F64), torch.as_tensor(want, dtype=F64)
    expect(got_t.shape == want_t.shape, f"{what}: the result has the wrong shape.", hint)
    expect(
        bool(torch.isfinite(got_t).all()) or not bool(torch.isfinite(want_t).all()),
        f"{what}: the result holds inf or nan values.",
        hint,
    )
    expect(close(got_t, want_t, rtol, atol), f"{what}: the values differ from the expected ones.", hint)


def ran(record: dict, what: str, hint: str | None = None) -> None:
    """Fail when the student's call raised: the message names the error's type, line and the grader's hint."""
    error = record["error"]
    expect(error is None, f"{what}: your code {error}", hint if error is not None and not error.hint else None)


def tensor_value(got: dict, what: str, hint: str | None = None) -> torch.Tensor:
    """`got` is describe(value): require a tensor and return its values."""
    kind = got.get("type")
    if kind in ("ndarray", "float64"):
        hint = "keep the computation in torch: no .numpy() or NumPy functions"
    elif kind in FLOAT_TYPES:
        hint = hint or "return the tensor itself: .item() or float() turn it into a Python number"
    expect(kind == "Tensor", f"{what} should return a torch.Tensor, got {kind}.", hint)
    return got["value"]


def float_list(got: dict, want: dict, what: str, hint: str | None = None) -> list[float]:
    """`got` is describe(losses): require a list of Python floats, one per epoch (as many as `want` has)."""
    expect(got.get("type") == "list", f"{what} should return a list of Python floats, got {got.get('type')}.")
    items, epochs = got["items"], len(want["items"])
    if len(items) == epochs - 1:
        hint = "one epoch short: loop over range(epochs)"
    elif len(items) == epochs + 1:
        hint = "one loss too many: record the loss once per epoch, at its end (not the starting loss)"
    expect(
        len(items) == epochs,
        f"{what}: the list should hold one loss per epoch; it holds " + ("fewer." if len(items) < epochs else "more."),
        hint,
    )
    kinds = sorted({item["type"] for item in items if item["type"] not in FLOAT_TYPES})
    expect(
        not kinds,
        f"{what}: every loss should be a Python float, got {', '.join(kinds)}.",
        "use evaluate_loss(model, inputs, targets), or .item() on the loss tensor" if "Tensor" in kinds else None,
    )
    return [float(item["value"]) for item in items]


# =============================================================================================
# Exercise 1: make_linear_model
# =============================================================================================
@probe(exercise=1)
def linear_predictions(ns):
    """A model on random w, b, called on random inputs, then on new inputs."""
    x, x_new, w, b = randn(7, 5), randn(4, 5), leaf(randn(3, 5)), leaf(randn(3))
    model, error = attempt(ns["make_linear_model"], w, b)
    if error is not None:
        failed = {"error": error, "out": None}
        return {"x": x, "w": w.detach(), "b": b.detach(), "out": failed, "out_new": failed}
    return {"x": x, "w": w.detach(), "b": b.detach(), "out": call(model, x), "out_new": call(model, x_new)}


@probe(exercise=1)
def linear_uses_w_and_b(ns):
    """Gradients of sum(c * model(x)) with respect to w and b (random weights c), and the same model's
    predictions before and after w and b are changed in place, as training does."""
    x, w, b, c = randn(7, 5), leaf(randn(3, 5)), leaf(randn(3)), randn(7, 3)
    dw, db = randn(3, 5), randn(3)
    model, error = attempt(ns["make_linear_model"], w, b)
    if error is not None:
        return {"error": error}
    out, error = attempt(model, x)
    if error is not None:
        return {"error": error}
    result = {"error": None, "tensor": isinstance(out, torch.Tensor)}
    if not result["tensor"]:
        return result
    result["same_shape"] = out.shape == c.shape
    result["requires_grad"] = bool(out.requires_grad)
    if result["same_shape"] and out.requires_grad:
        grads = torch.autograd.grad((out * c).sum(), [w, b], allow_unused=True)
        result["grads"] = [g if g is not None else "none" for g in grads]
    result["before"] = describe(out)
    with torch.no_grad():  # an update in place, as training does
        w.add_(dw)
        b.mul_(-3.0).add_(db)
    result["after"] = call(model, x)
    return result


@probe(exercise=1)
def linear_other_sizes(ns):
    """Models of other sizes and dtypes: a single output, more outputs than features, float32."""
    cases = [
        (randn(9, 6), randn(1, 6), randn(1)),
        (randn(3, 2), randn(4, 2), randn(4)),
        (torch.randn(5, 3), torch.randn(2, 3), torch.randn(2)),
    ]
    out = []
    for x, w, b in cases:
        model, error = attempt(ns["make_linear_model"], leaf(w), leaf(b))
        out.append({"error": error, "out": None} if error is not None else call(model, x))
    return out


def prediction_hint(out, want) -> str | None:
    x, w, b = want["x"], want["w"], want["b"]
    ref = want["out"]["out"]["value"]
    if close(out, ref - b):
        return "the bias b is missing: add b (shape (K,)) to every row"
    if close(out, x @ w.reshape(w.shape[1], w.shape[0]) + b):
        return "reshape is not a transpose: use w.t()"
    if out.shape != ref.shape:
        return "predictions are inputs @ w.t() + b: (N, D) @ (D, K) gives (N, K)"
    return None


@weight(2)
def test_exercise1_predictions(probes):
    got, want = probes("linear_predictions")
    what = f"the predictions of a model on {RANDOM_DATA}"
    ran(got["out"], what)
    out = tensor_value(got["out"]["out"], "model(inputs)")
    expect_same(out, want["out"]["out"]["value"], what, hint=prediction_hint(out, want))
    expect(out.dtype == F64, f"float64 inputs and parameters should give float64 predictions, got {out.dtype}.")


def first_predictions_right(got: dict, want: dict) -> bool:
    out = got["out"].get("out") or {}
    return out.get("type") == "Tensor" and close(out["value"], want["out"]["out"]["value"])


def test_exercise1_new_inputs(probes):
    got, want = probes("linear_predictions")
    what = "the same model called on other inputs"
    ran(got["out_new"], what)
    out = tensor_value(got["out_new"]["out"], "model(inputs)")
    if first_predictions_right(got, want):
        hint = "model must use its `inputs` argument, not data fixed when it was built"
    else:
        hint = "the predictions on the first inputs are wrong too: see that check"
    expect_same(out, want["out_new"]["out"]["value"], what, hint=hint)


@weight(5)
def test_exercise1_uses_w_and_b_themselves(probes):
    got, want = probes("linear_uses_w_and_b")
    hint = "compute the predictions from w and b themselves: no .data, .detach(), .clone() or NumPy"
    ran(got, "make_linear_model(w, b)(inputs)")
    expect(got["tensor"], "model(inputs) did not return a tensor.", "stay in torch")
    expect(got["same_shape"], "model(inputs) has the wrong shape.", "inputs @ w.t() + b is (N, K)")
    expect(got["requires_grad"], "the predictions are not connected to w and b for autograd.", hint)
    for g, r, name in zip(got["grads"], want["grads"], ("w", "b"), strict=True):
        expect(not isinstance(g, str), f"no gradient reached {name} through model(inputs).", hint)
        expect_same(g, r, f"the gradient with respect to {name} of a weighted sum of the predictions", hint=hint)
    before = tensor_value(got["before"], "model(inputs)")
    expect_same(before, want["before"]["value"], "the predictions before an update")
    ran(got["after"], "the model called after w and b were updated in place")
    after = tensor_value(got["after"]["out"], "model(inputs)")
    expect_same(
        after,
        want["after"]["out"]["value"],
        "the predictions after w and b were changed in place (as training does)",
        hint="the model does not see in-place updates of w and b: use w and b themselves in the closure, "
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
        hint = "the predictions of the first check are wrong too: see that check"
    names = ["a model with a single output", "a model with more outputs than features", "a float32 model"]
    for g, r, name in zip(got, want, names, strict=True):
        ran(g, name, hint)
        out = tensor_value(g["out"], f"model(inputs) for {name}")
        ref = r["out"]["value"]
        expect_same(out, ref, f"the predictions of {name}", 1e-5, 1e-6, hint)
        expect(out.dtype == ref.dtype, f"the predictions of {name} should have dtype {ref.dtype}, got {out.dtype}.")


# =============================================================================================
# Exercise 2: mse
# =============================================================================================
@probe(exercise=2)
def mse_value(ns):
    """mse of random tensors; the arguments must not change."""
    preds, targets = randn(7, 3), randn(7, 3)
    p, t = preds.clone(), targets.clone()
    loss = call(ns["mse"], p, t)
    return {"preds": preds, "targets": targets, "loss": loss, "kept": unchanged(p, preds) and unchanged(t, targets)}


@probe(exercise=2)
def mse_gradient(ns):
    """The gradient of mse with respect to preds that require grad."""
    preds, targets = randn(5, 4), randn(5, 4)
    p = leaf(preds)
    loss, error = attempt(ns["mse"], p, targets)
    if error is not None or not isinstance(loss, torch.Tensor) or not loss.requires_grad or loss.numel() != 1:
        return {"error": error, "grad": None, "kept": unchanged(p, preds)}
    (grad,) = torch.autograd.grad(loss.sum(), [p])
    return {"error": None, "grad": grad, "kept": unchanged(p, preds)}


@probe(exercise=2)
def mse_any_shape(ns):
    """mse of a vector, a 0-d tensor, a 3-d tensor, other 2-d shapes, and float32 tensors."""
    cases = [
        (randn(6), randn(6)),
        (randn(()), randn(())),
        (randn(2, 3, 4), randn(2, 3, 4)),
        (randn(4, 6), randn(4, 6)),
        (randn(6, 1), randn(6, 1)),
        (torch.randn(3, 2), torch.randn(3, 2)),
    ]
    return [call(ns["mse"], p, t) for p, t in cases]


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


@weight(3)
def test_exercise2_value(probes):
    got, want = probes("mse_value")
    what = f"mse of {RANDOM_DATA}"
    ran(got["loss"], what)
    loss = tensor_value(
        got["loss"]["out"], "mse(preds, targets)", "do not call .item() or float(): backward() needs a tensor"
    )
    ref = want["loss"]["out"]["value"]
    expect(
        loss.dim() == 0,
        f"{what} should be a 0-d tensor; it has {loss.dim()} dimensions.",
        "average over all elements at once, not along one axis",
    )
    expect_same(loss, ref, what, hint=mse_hint(loss, ref, want["preds"], want["targets"]))
    expect(loss.dtype == ref.dtype, f"{what} should have dtype {ref.dtype}, got {loss.dtype}.")
    expect(got["kept"], "mse changed preds or targets.", "avoid in-place operations such as sub_, -= or pow_")


@weight(2)
def test_exercise2_gradient(probes):
    got, want = probes("mse_gradient")
    ran(got, "mse of preds that require grad")
    expect(
        got["grad"] is not None,
        "the loss of preds that require grad is not a 1-element tensor connected to preds for autograd.",
        "keep it a tensor: no .item(), .detach() or NumPy",
    )
    expect_same(got["grad"], want["grad"], f"the gradient of mse with respect to preds, on {RANDOM_DATA}")
    expect(got["kept"], "mse changed preds.", "avoid in-place operations on the arguments")


@weight(2)
def test_exercise2_any_shape(probes):
    got, want = probes("mse_any_shape")
    first, first_ref = probes("mse_value")
    first_out = first["loss"].get("out") or {}
    if first_out.get("type") == "Tensor" and close(first_out["value"], first_ref["loss"]["out"]["value"]):
        hint = "average over all the elements, whatever the shape (no sizes or axes taken from a 2-d shape)"
    else:
        hint = "the loss of 2-d tensors is wrong too: see that check"
    names = ["vectors", "0-d tensors", "3-d tensors", "wide 2-d tensors", "single-column tensors", "float32 tensors"]
    for g, r, name in zip(got, want, names, strict=True):
        ran(g, f"mse of {name}", hint)
        loss = tensor_value(g["out"], f"mse of {name}")
        ref = r["out"]["value"]
        expect(loss.dim() == 0, f"mse of {name} should be a 0-d tensor; it has {loss.dim()} dimensions.", hint)
        expect_same(loss, ref, f"mse of {name}", 1e-6, 1e-8, hint)
        expect(loss.dtype == ref.dtype, f"mse of {name} should have dtype {ref.dtype}, got {loss.dtype}.")


# =============================================================================================
# Exercise 3: perform_one_update
# =============================================================================================
UPDATE_LR = 0.03


def update_calls(ns, model, x, y, w, b, calls, **kwargs) -> list[dict]:
    """Call perform_one_update `calls` times; record what each call returned and w, b afterwards."""
    steps = []
    for _ in range(calls):
        record = call(ns["perform_one_update"], model, x, y, w, b, **kwargs)
        steps.append({**record, "w": leaf_state(w), "b": leaf_state(b)})
        if record["error"] is not None:
            break
    return steps


@probe(exercise=3)
def update_steps(ns):
    """Three calls with the linear model and a learning rate of the checks' choosing, on random data."""
    x, y, w0, b0 = randn(6, 4), randn(6, 3), randn(3, 4), randn(3)
    w, b = leaf(w0), leaf(b0)
    xc, yc = x.clone(), y.clone()
    steps = update_calls(ns, linear(w, b), xc, yc, w, b, 3, lr=UPDATE_LR)
    return {"w0": w0, "b0": b0, "steps": steps, "kept": unchanged(xc, x) and unchanged(yc, y)}


@probe(exercise=3)
def update_other_model(ns):
    """Two calls with a model that is not make_linear_model: 1.5 * (x @ w.t()) + b."""
    x, y, w0, b0 = randn(5, 2), randn(5, 4), randn(4, 2), randn(4)
    w, b = leaf(w0), leaf(b0)

    def model(inputs):
        return 1.5 * (inputs @ w.t()) + b

    return {"w0": w0, "b0": b0, "steps": update_calls(ns, model, x, y, w, b, 2, lr=0.02)}


@probe(exercise=3)
def update_default_lr(ns):
    """One call without lr, on data of the course's scale (so that the default step is far from zero)."""
    x, y, w0, b0 = course_scale(5, 3), course_scale(5, 2), randn(2, 3), randn(2)
    w, b = leaf(w0), leaf(b0)
    return {"w0": w0, "b0": b0, "steps": update_calls(ns, linear(w, b), x, y, w, b, 1)}


def steps_ran(got: dict, want: dict, what: str) -> None:
    for i, g in enumerate(got["steps"][: len(want["steps"])], 1):  # an error ends the calls early
        ran(g, f"{what}, call {i}")
    expect(len(got["steps"]) == len(want["steps"]), f"{what}: a call did not return.")


def update_hint(mine, ref, previous, i: int, name: str) -> str | None:
    """Why w or b after call `i` differs from the reference."""
    if previous is not None and torch.equal(mine, previous):
        return (
            f"{name} did not change: update it in place (w -= lr * w.grad) under torch.no_grad(); "
            "w = w - ... only rebinds a local name, and zeroing the gradient before using it leaves "
            "nothing to step with"
        )
    if i > 1:
        return (
            "the first update is right but a later one is not: the gradients are not zeroed after "
            "each update (backward() adds to .grad); zero them for BOTH w and b"
        )
    if previous is not None:
        step_mine, step_ref = mine - previous, ref - previous
        if close(step_mine, -step_ref):
            return "wrong sign: step against the gradient, theta -= lr * grad"
        if close(step_mine, step_ref * (1e-5 / UPDATE_LR)):
            return "use the lr argument, not the default 1e-5"
    return "the step is theta -= lr * gradient of mse(model(inputs), targets), for both w and b"


def check_update_trajectory(got: dict, want: dict, what: str, other_hint: str | None = None) -> None:
    steps_ran(got, want, what)
    for i, (g, r) in enumerate(zip(got["steps"], want["steps"], strict=True), 1):
        for name in ("w", "b"):
            mine, ref = g[name], r[name]
            expect(mine.get("type") == "Tensor", f"{what}: {name} is no longer a tensor after call {i}.")
            if close(mine["value"], ref["value"]):
                continue
            previous = got["steps"][i - 2][name]["value"] if i > 1 else want[f"{name}0"]
            hint = other_hint or update_hint(mine["value"], ref["value"], previous, i, name)
            expect_same(mine["value"], ref["value"], f"{what}: {name} after call {i}", hint=hint)


def updates_match(got: dict, want: dict) -> bool:
    """Whether every call ran and w and b match the instructor's after each call."""
    return len(got["steps"]) == len(want["steps"]) and all(
        g["error"] is None and g[p].get("type") == "Tensor" and close(g[p]["value"], r[p]["value"])
        for g, r in zip(got["steps"], want["steps"], strict=True)
        for p in ("w", "b")
    )


@weight(5)
def test_exercise3_update_rule(probes):
    got, want = probes("update_steps")
    check_update_trajectory(got, want, f"three calls with the linear model, on {RANDOM_DATA}")
    other, other_ref = probes("update_other_model")
    check_update_trajectory(
        other,
        other_ref,
        "two calls with another model built on w and b",
        "the updates are right with the linear model: use the model you are given (no model, formula or "
        "global variable of your own)",
    )


def test_exercise3_returns_loss_before_update(probes):
    got, want = probes("update_steps")
    steps_ran(got, want, "perform_one_update")
    values = []
    for i, (g, _) in enumerate(zip(got["steps"], want["steps"], strict=True), 1):
        kind = g["out"]["type"]
        expect(
            kind in FLOAT_TYPES,
            f"call {i} of perform_one_update returned {kind}; it should return the loss as a Python float.",
            "turn the loss tensor into a Python number with .item()"
            if kind == "Tensor"
            else "return the loss measured before the update",
        )
        values.append(float(g["out"]["value"]))
    ref = [float(r["out"]["value"]) for r in want["steps"]]
    hint = None
    if close(values[:-1], ref[1:], 1e-7, 1e-10):
        hint = "you returned the loss AFTER the update: return the loss computed before it"
    elif not updates_match(got, want):
        hint = "the parameters were not updated as expected (see the check of the update rule)"
    expect_same(values, ref, "the losses returned by successive calls", 1e-7, 1e-10, hint)


def test_exercise3_parameters_stay_leaves(probes):
    got, want = probes("update_steps")
    steps_ran(got, want, "perform_one_update")
    for i, (g, _) in enumerate(zip(got["steps"], want["steps"], strict=True), 1):
        for name in ("w", "b"):
            state = g[name]
            expect(
                state.get("type") == "Tensor" and state["is_leaf"] and state["requires_grad"],
                f"after call {i}, {name} should still be a leaf tensor with requires_grad=True.",
                "update in place under torch.no_grad(); do not detach or replace w and b",
            )


def test_exercise3_arguments_unchanged(probes):
    got, want = probes("update_steps")
    steps_ran(got, want, "perform_one_update")
    expect(got["kept"], "perform_one_update changed inputs or targets.", "avoid in-place operations on them")


def test_exercise3_default_lr(probes):
    got, want = probes("update_default_lr")
    hint = "keep the signature perform_one_update(model, inputs, targets, w, b, lr=1e-5)"
    if updates_match(*probes("update_steps")):
        hint += " (with an explicit lr the update is right)"
    check_update_trajectory(got, want, "a call without lr, on data of the course's scale", hint)


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
    """Train on random data with a model that records the rows (and dimensions) of every call."""
    x, y, w0, b0 = randn(n, d), randn(n, k), randn(k, d), randn(k)
    w, b = leaf(w0), leaf(b0)
    seen, dims = [], []

    def model(inputs):
        seen.append(rows_of(inputs, x))
        dims.append(inputs.dim())
        return inputs @ w.t() + b

    xc, yc = x.clone(), y.clone()
    losses = call(train, model, xc, yc, w, b, epochs=epochs, lr=lr, **kwargs)
    return {"seen": seen, "dims": dims, "losses": losses, "kept": unchanged(xc, x) and unchanged(yc, y)}


def one_epoch_run(ns, train, data, lr, batches, **kwargs) -> dict:
    """Enumerate, with the stand-in perform_one_update and the notebook's evaluate_loss, the end point of one
    epoch for every admissible order (`batches`: lists of (input rows, target rows) per update), and for the
    classic wrong ones; then run one epoch of `train` on the same start. lr=None: the defaults."""
    x, y, w0, b0 = data
    update, evaluate = ns["perform_one_update"], ns["evaluate_loss"]
    lr_kwargs = {} if lr is None else {"lr": lr}

    def replay(plan, **step_kwargs):
        w, b = leaf(w0), leaf(b0)
        model = linear(w, b)
        for rows, target_rows in plan:
            update(model, x[rows], y[target_rows], w, b, **step_kwargs)
        return torch.cat([w.detach().flatten(), b.detach()]), evaluate(model, x, y)

    w, b = leaf(w0), leaf(b0)
    xc, yc = x.clone(), y.clone()
    losses = call(train, linear(w, b), xc, yc, w, b, epochs=1, **lr_kwargs, **kwargs)
    run = {"params": torch.cat([w.detach().flatten(), b.detach()]), "losses": losses}
    run["kept"] = unchanged(xc, x) and unchanged(yc, y)
    if not is_reference_run():  # the end points below are read from the reference only
        return run
    paired, unpaired = batches
    ends = [replay(plan, **lr_kwargs) for plan in paired]
    every_row = list(range(x.shape[0]))
    known = {
        "unpaired": torch.stack([replay(plan, **lr_kwargs)[0] for plan in unpaired]) if unpaired else torch.empty(0),
        "full_batch": replay([(every_row, every_row)], **lr_kwargs)[0][None],
        "default_lr": torch.stack([replay(plan)[0] for plan in paired]),
    }
    ends_at = torch.stack([e[0] for e in ends])
    return run | {"ends": ends_at, "end_losses": torch.tensor([e[1] for e in ends], dtype=F64), "known": known}


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


def random_problem(n):
    return randn(n, 3), randn(n, 2), randn(2, 3), randn(2)


def course_problem(n):
    return course_scale(n, 3), course_scale(n, 2), randn(2, 3), randn(2)


@probe(exercise=4)
def gd_run(ns):
    """train_with_GD for a few epochs with a learning rate of the checks' choosing, on random data."""
    x, y, w0, b0 = randn(6, 4), randn(6, 3), randn(3, 4), randn(3)
    w, b = leaf(w0), leaf(b0)
    xc, yc = x.clone(), y.clone()
    losses = call(ns["train_with_GD"], linear(w, b), xc, yc, w, b, epochs=GD_EPOCHS, lr=GD_LR)
    return {"losses": losses, "w": leaf_state(w), "b": leaf_state(b), "kept": unchanged(xc, x) and unchanged(yc, y)}


@probe(exercise=4)
def gd_defaults(ns):
    """train_with_GD(model, inputs, targets, w, b): the default epochs and lr, on data of the course's scale."""
    x, y, w0, b0 = course_problem(5)
    w, b = leaf(w0), leaf(b0)
    losses = call(ns["train_with_GD"], linear(w, b), x, y, w, b)
    return {"losses": losses, "w": leaf_state(w), "b": leaf_state(b)}


@probe(exercise=4)
def sgd_one_epoch(ns):
    """One epoch of train_with_SGD on a few random rows, and the end points of all their orders."""
    return one_epoch_run(ns, ns["train_with_SGD"], random_problem(4), SGD_LR, sgd_plans(4))


@probe(exercise=4)
def sgd_epochs(ns):
    """train_with_SGD for several epochs on random rows, with a model that records its calls."""
    return recording_run(ns["train_with_SGD"], 5, 3, 2, 5, 0.05)


@probe(exercise=4)
def minibatch_one_epoch(ns):
    """One epoch of train_with_minibatchSGD on a few random rows, and the end points of all their splits."""
    plans = minibatch_plans(4, MB_BATCH)
    return one_epoch_run(ns, ns["train_with_minibatchSGD"], random_problem(4), MB_LR, plans, batch_size=MB_BATCH)


@probe(exercise=4)
def minibatch_epochs(ns):
    """train_with_minibatchSGD for several epochs on random rows, recording calls."""
    return recording_run(ns["train_with_minibatchSGD"], 10, 3, 2, 4, 0.05, batch_size=MB_BATCH)


@probe(exercise=4)
def stochastic_defaults(ns):
    """SGD and mini-batch SGD with the default lr (and batch_size) for one epoch on data of the course's scale,
    with the end points of every admissible order; and with every default, the number of losses returned
    (on two rows: the count is what matters, and 100 epochs of five rows would cost every student 500 updates)."""
    sgd_data, mb_data, full_data = course_problem(4), course_problem(6), course_problem(2)
    out = {
        "sgd": one_epoch_run(ns, ns["train_with_SGD"], sgd_data, None, (sgd_plans(4)[0], [])),
        "minibatch": one_epoch_run(ns, ns["train_with_minibatchSGD"], mb_data, None, (minibatch_plans(6, 4)[0], [])),
    }
    for key, name in (("sgd_epochs", "train_with_SGD"), ("minibatch_epochs", "train_with_minibatchSGD")):
        x, y, w0, b0 = full_data
        w, b = leaf(w0), leaf(b0)
        out[key] = call(ns[name], linear(w, b), x, y, w, b)
    return out


@probe(exercise=4)
def trainers_on_gpu(ns):
    """Each training loop for two epochs on data that behave like GPU tensors: did every batch the model saw
    stay on the device?"""
    x, y, w0, b0 = random_problem(6)
    out = {}
    for name, kwargs in (("train_with_GD", {}), ("train_with_SGD", {}), ("train_with_minibatchSGD", {"batch_size": 4})):
        w, b = leaf(w0), leaf(b0)
        on_device = []

        def model(inputs, w=w, b=b, on_device=on_device):
            on_device.append(isinstance(inputs, OnGPU))
            return inputs @ w.t() + b

        record = call(ns[name], model, x.as_subclass(OnGPU), y.as_subclass(OnGPU), w, b, epochs=2, lr=0.01, **kwargs)
        out[name] = {"error": record["error"], "stayed": all(on_device), "calls": len(on_device) > 0}
    return out


def end_point_hint(got: dict, want: dict) -> str:
    """Why one epoch did not end where any admissible order leads."""
    params, known = got["params"], want["known"]
    if any(close(params, u) for u in known["unpaired"]):
        return "inputs shuffled without their targets: index inputs and targets with the same permutation"
    if any(close(params, u) for u in known["full_batch"]):
        return (
            "the epoch made a single update on all the rows: cut the permutation into batches of batch_size "
            "rows (perm[start:start + batch_size])"
        )
    if any(close(params, u) for u in known["default_lr"]):
        return "the updates used the default learning rate: pass lr on to perform_one_update"
    return "make one update per batch, with the given lr, on every row exactly once per epoch"


def check_one_epoch(got: dict, want: dict, what: str) -> None:
    """The student's one-epoch end point must be the end point of one of the admissible orders."""
    ran(got["losses"], what)
    losses = float_list(got["losses"]["out"], want["losses"]["out"], what)
    params, ends = got["params"], want["ends"]
    match = [i for i in range(len(ends)) if close(params, ends[i])]
    expect(
        bool(match),
        f"{what}: after one epoch, w and b are not where one update per batch leads, in any order of the rows.",
        end_point_hint(got, want),
    )
    expect_same(
        losses[0],
        want["end_losses"][match[0]],
        f"{what}: the loss returned for the epoch",
        1e-7,
        1e-10,
        "return the loss of the model on the FULL data at the end of the epoch (evaluate_loss), "
        "not an average of the batch losses",
    )


def check_epochs(got: dict, want: dict, what: str) -> list[list[int]]:
    """Split the recorded update batches into epochs and check each is a permutation cut like the reference's."""
    ran(got["losses"], what)
    n = len(want["seen"][-1])  # the reference's last call is the final evaluation, on all the rows
    reference = [rows for rows in want["seen"] if len(rows) != n]
    sizes = [len(rows) for rows in reference[: len(reference) // len(want["losses"]["out"]["items"])]]
    batches = [rows for rows in got["seen"] if len(rows) != n]  # calls on all the rows are evaluations
    expect(all(-1 not in rows for rows in batches), f"{what} called the model on rows that are not rows of inputs.")
    total, expected = sum(map(len, batches)), sum(map(len, reference))
    if total < expected:
        hint = "keep the last, smaller batch" if sizes[-1] != sizes[0] else "use every row once per epoch"
    else:
        hint = "batches must not overlap: consecutive slices perm[start:start + batch_size]"
    expect(
        total == expected,
        f"{what}: the model was trained on " + ("fewer" if total < expected else "more") + " rows than "
        "every row once per epoch.",
        hint,
    )
    split, current = [], []
    for rows in batches:
        current.append(rows)
        if sum(map(len, current)) >= n:
            split.append(current)
            current = []
    orders = []
    chunked = [len(c) for c in torch.chunk(torch.arange(n), max(1, n // sizes[0]))]
    for epoch in split:
        order = [i for rows in epoch for i in rows]
        expect(
            sorted(order) == list(range(n)),
            f"{what}: an epoch must use every row exactly once.",
            "shuffle a permutation (torch.randperm): no sampling with replacement",
        )
        got_sizes = [len(rows) for rows in epoch]
        expect(
            got_sizes == sizes,
            f"{what}: an epoch should be cut into consecutive batches of batch_size rows, the last one smaller.",
            "torch.chunk(perm, n // batch_size) makes n // batch_size batches of about equal size, not batches "
            "of batch_size rows: slice perm[start:start + batch_size] (or use torch.split(perm, batch_size))"
            if got_sizes == chunked and chunked != sizes
            else "cut the permutation into consecutive slices of batch_size rows; keep the last, smaller one",
        )
        orders.append(order)
    return orders


def check_fresh_orders(orders: list[list[int]], what: str) -> None:
    expect(
        len(orders) > 1 and any(order != orders[0] for order in orders),
        f"{what}: the rows come in the same order in every epoch.",
        "draw a fresh permutation at the start of every epoch",
    )


STOCHASTIC = (
    ("train_with_SGD", "sgd_epochs", "sgd_one_epoch"),
    ("train_with_minibatchSGD", "minibatch_epochs", "minibatch_one_epoch"),
)


@weight(8)
def test_exercise4_sgd_and_minibatch_epochs(probes):
    for name, several, one in STOCHASTIC:
        got, want = probes(several)
        what = f"{name}, several epochs on {RANDOM_DATA}"
        check_fresh_orders(check_epochs(got, want, what), what)
        got_one, want_one = probes(one)
        check_one_epoch(
            got_one, want_one, f"{name}, one epoch on random rows, with a learning rate of the checks' choosing"
        )
        for record in (got, got_one):
            expect(
                record["kept"],
                f"{name} changed the caller's inputs or targets.",
                "shuffle an index permutation, not the data in place",
            )


@weight(2)
def test_exercise4_gd(probes):
    got, want = probes("gd_run")
    what = f"train_with_GD, a few epochs on {RANDOM_DATA} with a learning rate of the checks' choosing"
    ran(got["losses"], what)
    mine = float_list(got["losses"]["out"], want["losses"]["out"], "train_with_GD")
    hint = "pass lr on to perform_one_update, and make exactly one update on all the data per epoch"
    for name in ("w", "b"):
        expect(got[name].get("type") == "Tensor", f"{what}: {name} is no longer a tensor.")
        expect_same(got[name]["value"], want[name]["value"], f"{what}: the final {name}", hint=hint)
    ref = [float(item["value"]) for item in want["losses"]["out"]["items"]]
    hint = "return the full-data loss measured at the END of each epoch (evaluate_loss)"
    if close(mine[1:], ref[:-1], 1e-7, 1e-10):
        hint = (
            "the losses are one epoch late: record the full-data loss at the END of each epoch "
            "(after the update), not the value perform_one_update returns"
        )
    expect_same(mine, ref, f"{what}: the losses", 1e-7, 1e-10, hint)
    expect(got["kept"], "train_with_GD changed the caller's inputs or targets.")


def test_exercise4_returns_losses(probes):
    for name, several, one in STOCHASTIC:
        got, want = probes(several)
        ran(got["losses"], name)
        float_list(got["losses"]["out"], want["losses"]["out"], name)
        got_one, want_one = probes(one)
        ran(got_one["losses"], name)
        losses = float_list(got_one["losses"]["out"], want_one["losses"]["out"], name)
        expect(
            any(close(losses[0], end, 1e-7, 1e-10) for end in want_one["end_losses"]),
            f"{name}: the loss returned for an epoch is not the full-data loss at the end of the epoch.",
            "return evaluate_loss(model, inputs, targets) after the epoch's updates, not an average of batch losses",
        )


@weight(2)
def test_exercise4_defaults(probes):
    got, want = probes("gd_defaults")
    what = "train_with_GD(model, inputs, targets, w, b) with the defaults, on data of the course's scale"
    hint = "the defaults are epochs=100 and lr=1e-5"
    ran(got["losses"], what)
    mine = float_list(got["losses"]["out"], want["losses"]["out"], what, hint)
    ref = [float(item["value"]) for item in want["losses"]["out"]["items"]]
    expect_same(mine, ref, f"{what}: the losses", 1e-7, 1e-10, hint)
    for name in ("w", "b"):
        expect(got[name].get("type") == "Tensor", f"{what}: {name} is no longer a tensor.")
        expect_same(got[name]["value"], want[name]["value"], f"{what}: the final {name}", 1e-7, 1e-10, hint)
    got, want = probes("stochastic_defaults")
    for key, name, defaults in (
        ("sgd", "train_with_SGD", "lr=1e-5"),
        ("minibatch", "train_with_minibatchSGD", "lr=1e-5 and batch_size=4"),
    ):
        what = f"{name} with the default {defaults}, one epoch on data of the course's scale"
        ran(got[key]["losses"], what)
        float_list(got[key]["losses"]["out"], want[key]["losses"]["out"], what)
        expect(
            any(close(got[key]["params"], end) for end in want[key]["ends"]),
            f"{what}: w and b are not where one epoch with the default arguments leads.",
            f"the defaults are {defaults}",
        )
        what = f"{name}(model, inputs, targets, w, b) with all the defaults"
        ran(got[f"{key}_epochs"], what)
        float_list(got[f"{key}_epochs"]["out"], want[f"{key}_epochs"]["out"], what, "the default is epochs=100")


def test_exercise4_batches_are_2d(probes):
    for name, several, _ in STOCHASTIC:
        got, want = probes(several)
        ran(got["losses"], name)
        expect(
            len(got["dims"]) == len(got["seen"]) >= len(want["dims"]) and all(d == 2 for d in got["dims"]),
            f"{name} called the model on a batch that is not a 2-d tensor (one row per observation).",
            "pass a single row as a batch of one row, inputs[i:i + 1] with shape (1, D), not inputs[i]",
        )


def test_exercise4_data_may_live_on_a_gpu(probes):
    got, want = probes("trainers_on_gpu")
    for name in want:
        record = got[name]
        ran(
            record,
            f"{name} on data that live on a GPU",
            "index inputs and targets with a torch permutation; no NumPy on the data",
        )
        expect(record["calls"], f"{name} on data that live on a GPU never called the model.")
        expect(
            record["stayed"],
            f"{name} gave the model a batch that is no longer on the data's device (a GPU).",
            "make batches by indexing inputs and targets themselves: no NumPy copy, no .cpu(), no new tensor "
            "built from values",
        )


# =============================================================================================
# Exercise 5: OptimSGD, OptimMomentum, OptimNesterov
# =============================================================================================
OPT_LR, OPT_MOMENTUM, OPT_STEPS = 0.07, 0.6, 4
CHOSEN = "a learning rate and momentum of the checks' choosing"


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
    # alone first: a velocity kept as a class attribute is still clean for the first instance ever made
    (alone,) = run_optimizers(lambda params: ns[name](params, **kwargs), problems[:1], OPT_STEPS)
    runs = run_optimizers(lambda params: ns[name](params, **kwargs), problems, OPT_STEPS)
    known = {}
    for key, (cls, cls_kwargs) in recognisers.items():
        try:
            (known[key],) = run_optimizers(functools.partial(ns[cls], **cls_kwargs), problems[:1], OPT_STEPS)
        except Exception:  # noqa: BLE001 (in the student's run these are the student's classes: unused)
            known[key] = None
    return {
        "alone": alone,
        "first": runs[0],
        "second": runs[1],
        "w0": problems[0][2],
        "b0": problems[0][3],
        "known": known,
    }


@probe(exercise=5)
def sgd_steps(ns):
    """Two OptimSGD on two random problems, a few alternate steps."""
    return optimizer_probe(ns, "OptimSGD", {})


@probe(exercise=5)
def momentum_steps(ns):
    """Two OptimMomentum on two random problems, a few alternate steps."""
    return optimizer_probe(ns, "OptimMomentum", {"plain": ("OptimSGD", {"lr": OPT_LR})})


@probe(exercise=5)
def nesterov_steps(ns):
    """Two OptimNesterov on two random problems, a few alternate steps."""
    recognisers = {
        "momentum": ("OptimMomentum", {"lr": OPT_LR, "momentum": OPT_MOMENTUM}),
        "plain": ("OptimSGD", {"lr": OPT_LR * (1 + OPT_MOMENTUM)}),
    }
    return optimizer_probe(ns, "OptimNesterov", recognisers)


@probe(exercise=5)
def default_arguments(ns):
    """OptimSGD(params), OptimMomentum(params), OptimNesterov(params): the defaults, a few steps each."""
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
            expect_same(g[name]["value"], r[name]["value"], f"{what}: {name} after step {i}", hint=hint)


def same_trajectory(mine: list, ref: list) -> bool:
    return all(
        g[p].get("type") == "Tensor" and close(g[p]["value"], r[p]["value"])
        for g, r in zip(mine, ref, strict=True)
        for p in ("w", "b")
    )


def lone_instance_right(probes, name: str) -> bool:
    """Whether a lone optimizer of probe `name` follows the instructor's trajectory (False when it failed)."""
    try:
        got, want = probes(name)
    except pytest.fail.Exception:
        return False
    return same_trajectory(got["alone"], want["alone"])


@weight(2)
def test_exercise5_sgd_trajectory(probes):
    got, want = probes("sgd_steps")
    hints = {
        "first": "the step is p -= lr * p.grad, in place, with the lr given to the constructor",
        "later": "the first step was right: does zero_grad() reset the gradients? (backward() adds to .grad)",
    }
    start = {"w": want["w0"], "b": want["b0"]}
    for key in ("first", "second"):
        check_trajectory(got[key], want[key], f"OptimSGD with {CHOSEN}", {}, hints, start)


MOMENTUM_HINTS = {
    "plain": "your steps are plain gradient steps: the velocity is not kept between steps "
    "(b = momentum * b + g, in a buffer of the optimizer's own that lives across calls)",
    "first": "the first step should be p -= lr * g (the velocity starts as b_1 = g)",
    "unchanged": "the parameters did not move at step 1: the velocity starts as b_1 = g, so update it "
    "BEFORE stepping, then p -= lr * b, in place under torch.no_grad()",
    "later": "the first step was right: is the velocity kept between steps, as b = momentum * b + g, "
    "in a buffer of its own for each parameter (not p.grad), and does zero_grad() reset the gradients?",
}
NESTEROV_HINTS = {
    "momentum": "your OptimNesterov steps exactly like plain momentum: Nesterov steps with "
    "g + momentum * b, not with the velocity b alone",
    "plain": "every step is lr * (1 + momentum) * g: the velocity is not kept between steps",
    "first": "the first Nesterov step is p -= lr * (1 + momentum) * g (b_1 = g, step g + momentum * b_1)",
    "unchanged": "the parameters did not move at step 1: update them in place (p -= ...) under torch.no_grad()",
    "later": "the first step was right: Nesterov updates b = momentum * b + g (kept between steps, one buffer "
    "per parameter) and then steps with g + momentum * b, using the NEW velocity",
}


@weight(7)
def test_exercise5_momentum_and_nesterov(probes):
    for name, call_name, hints in (
        ("momentum_steps", "OptimMomentum", MOMENTUM_HINTS),
        ("nesterov_steps", "OptimNesterov", NESTEROV_HINTS),
    ):
        got, want = probes(name)
        start = {"w": want["w0"], "b": want["b0"]}
        check_trajectory(got["alone"], want["alone"], f"{call_name} with {CHOSEN}", want["known"], hints, start)
        text = (
            f"one {call_name} alone is right, but two of them stepped alternately are not: each instance must keep "
            "its own velocity for each parameter (set it up in __init__, not as a class attribute shared by all "
            "instances)"
        )
        for key in ("first", "second"):
            check_trajectory(
                got[key],
                want[key],
                f"two {call_name}, stepped alternately",
                {},
                {"first": text, "later": text, "unchanged": text},
            )


def test_exercise5_parameters_stay_leaves(probes):
    for name, call_name in (
        ("sgd_steps", "OptimSGD"),
        ("momentum_steps", "OptimMomentum"),
        ("nesterov_steps", "OptimNesterov"),
    ):
        got, want = probes(name)
        for key in ("first", "second"):
            for i, (step, _) in enumerate(zip(got[key], want[key], strict=True), 1):
                for p in ("w", "b"):
                    state = step[p]
                    expect(
                        state.get("type") == "Tensor" and state["is_leaf"] and state["requires_grad"],
                        f"after {call_name}.step() number {i}, {p} should still be a leaf tensor with "
                        "requires_grad=True.",
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
        if lone_instance_right(probes, trajectories[name]):
            hint = f"the defaults are {text} (with other arguments the steps are right)"
        else:
            hint = f"the steps are wrong with other arguments too: see the check of the {name} trajectory"
        for i, (g, r) in enumerate(zip(got[name], want[name], strict=True), 1):
            for p in ("w", "b"):
                expect_same(
                    g[p],
                    r[p],
                    f"{name}(params) with the default {text}: the change of {p} after step {i}",
                    1e-7,
                    1e-14,
                    hint,
                )


def test_exercise5_skips_parameters_without_gradient(probes):
    got, want = probes("unused_parameter")
    for name in want:
        g, r = got[name], want[name]
        expect(g["c_kept"], f"{name} changed a parameter whose .grad is None.", "skip parameters whose .grad is None")
        for p in ("w", "b"):
            expect_same(g[p], r[p], f"{name} with a parameter that gets no gradient: {p} after 2 steps")
