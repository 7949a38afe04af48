"""Hidden checks of 03_pytorch_builtins: nn.Module, a training loop, SGD/Adam by hand, weight decay.

Probes run in the child (student or instructor code) and return plain data; the tests below run in
the grader and compare the student's data with the instructor's. Every expected value comes from the
instructor's run. Hints are recognised from data only: ratios between the student's and the
instructor's first steps, or the instructor's run of a known wrong method (Adam with an L2 penalty).
"""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

from autograder.compare import expect, expect_close, expect_tensor, ratio_hint, shape_of
from autograder.probes import describe, leaf_state, probe

F64 = torch.float64


# ------------------------------------------------------------------------------------------------
# helpers shared by probes (child) and tests (grader)
# ------------------------------------------------------------------------------------------------


def _flat(params) -> torch.Tensor:
    """All parameters' current values as one float64 vector (a copy)."""
    return torch.cat([p.detach().reshape(-1).to(F64) for p in params]).clone()


def _maybe(probes, name):
    """(student, reference) data of another probe, or (None, None) when the student's run failed."""
    try:
        return probes(name)
    except pytest.fail.Exception:
        return None, None


def _first_mismatch(got: torch.Tensor, want: torch.Tensor, rtol: float, atol: float):
    """First row t >= 1 of two (steps + 1, n) trajectories that differs, with the largest difference."""
    for t in range(1, want.shape[0]):
        if not torch.allclose(got[t], want[t], rtol=rtol, atol=atol, equal_nan=False):
            diff = (got[t] - want[t]).abs().max().item()
            return t, diff
    return None


def _leaves_ok(run: dict) -> bool:
    return all(s.get("is_leaf") and s.get("requires_grad") for s in run["leaves"])


def _run_optimizer(make_optimizer, init, loss_of, steps, zeroing="zero_grad()"):
    """Train fresh float64 copies of `init` for `steps` steps; return the trajectory as data.

    zeroing: "zero_grad()" calls the optimizer's zero_grad; "in place" zeroes every existing
    gradient with p.grad.zero_() (as older code does), so a buffer that aliases p.grad is wiped.
    """
    params = [t.clone().requires_grad_() for t in init]
    optimizer = make_optimizer(params)
    points = [_flat(params)]
    for _ in range(steps):
        loss = loss_of(*params)
        if zeroing == "in place":
            for p in params:
                if p.grad is not None:
                    p.grad.zero_()
        else:
            optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        points.append(_flat(params))
    return {
        "points": torch.stack(points),
        "sizes": [p.numel() for p in params],
        "leaves": [{"is_leaf": bool(p.is_leaf), "requires_grad": bool(p.requires_grad)} for p in params],
        "zeroing": zeroing,
    }


def _numbers(described: dict) -> list | None:
    """The float values of a described list of numbers (0-d tensors accepted), or None."""
    items = described.get("items")
    if items is None:
        return None
    out = []
    for item in items:
        value = item.get("value")
        if isinstance(value, torch.Tensor) and value.numel() == 1:
            value = value.item()
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return None
        out.append(float(value))
    return out


# ------------------------------------------------------------------------------------------------
# Exercise 1: LinearRegression(nn.Module)
# ------------------------------------------------------------------------------------------------

INIT_SIZES = [(6, 4), (25, 3), (2, 7)]  # (in_features, out_features), non-square


@probe(exercise=1)
def linreg_structure(ns):
    """Modules of three non-square sizes: registered parameters, their shapes, dtypes and initial values."""
    cls = ns["LinearRegression"]
    models = []
    for n_in, n_out in INIT_SIZES:
        m = cls(n_in, n_out)
        weight, bias = getattr(m, "weight", None), getattr(m, "bias", None)
        models.append(
            {
                "is_module": isinstance(m, nn.Module),
                "named": [name for name, _ in m.named_parameters()] if isinstance(m, nn.Module) else [],
                "weight": leaf_state(weight),
                "bias": leaf_state(bias),
                "weight_is_parameter": isinstance(weight, nn.Parameter),
                "bias_is_parameter": isinstance(bias, nn.Parameter),
            }
        )
    return models


def _set_parameters(m, W, b) -> str | None:
    """Copy known values into m.weight and m.bias; say what is wrong when that is impossible."""
    for name, value in (("weight", W), ("bias", b)):
        p = getattr(m, name, None)
        if not isinstance(p, torch.Tensor):
            return f"the model has no tensor attribute {name} (got {type(p).__name__})"
        if tuple(p.shape) != tuple(value.shape):
            return f"{name} has shape {tuple(p.shape)}, expected {tuple(value.shape)}"
    with torch.no_grad():
        m.weight.copy_(W)
        m.bias.copy_(b)
    return None


@probe(exercise=1)
def linreg_forward(ns):
    """model.double(), parameters set to known float64 values, forward on (9, 6), then backward."""
    W = torch.randn(4, 6, dtype=F64)
    b = torch.randn(4, dtype=F64)
    x = torch.randn(9, 6, dtype=F64)
    upstream = torch.randn(9, 4, dtype=F64)
    x_before = x.clone()
    m = ns["LinearRegression"](6, 4)
    m.double()
    problem = _set_parameters(m, W, b)
    if problem:
        return {"set_error": problem}
    out = m(x)
    data = {"out": describe(out), "bias": b, "x_changed": not torch.equal(x, x_before), "grads": None}
    if isinstance(out, torch.Tensor) and out.requires_grad and out.shape == upstream.shape:
        (out * upstream).sum().backward()
        data["grads"] = {name: describe(getattr(m, name).grad) for name in ("weight", "bias")}
    return data


@probe(exercise=1)
def linreg_training(ns):
    """Two torch.optim.SGD steps on model.parameters(), then forward: the parameters must be registered."""
    W = torch.randn(4, 6, dtype=F64)
    b = torch.randn(4, dtype=F64)
    x = torch.randn(9, 6, dtype=F64)
    y = torch.randn(9, 4, dtype=F64)
    m = ns["LinearRegression"](6, 4)
    params = list(m.parameters())
    data = {"n_parameters": len(params), "out": None}
    if not params:
        return data
    m.double()
    problem = _set_parameters(m, W, b)
    if problem:
        return data | {"set_error": problem}
    optimizer = torch.optim.SGD(m.parameters(), lr=0.3)
    for _ in range(2):
        loss = F.mse_loss(m(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        data["out"] = describe(m(x))
    return data


def _linreg_label(n_in, n_out):
    return f"LinearRegression({n_in}, {n_out})"


def test_exercise1_parameters_registered(probes):
    got, want = probes("linreg_structure")
    for g, w, (n_in, n_out) in zip(got, want, INIT_SIZES, strict=False):
        label = _linreg_label(n_in, n_out)
        expect(g["is_module"], f"{label} should be an nn.Module (keep `class LinearRegression(nn.Module)`).")
        names, want_names = sorted(g["named"]), sorted(w["named"])
        hint = None
        if g["weight"].get("type") == "Tensor" and not g["weight_is_parameter"]:
            hint = (
                "wrap each tensor in nn.Parameter(...) and assign it as self.weight / self.bias: a plain "
                "tensor with requires_grad=True is not registered, so model.parameters() and "
                "model.double() do not see it"
            )
        expect(names == want_names, f"{label}.named_parameters() should give {want_names}, got {names}.", hint)


def test_exercise1_shapes_and_dtype(probes):
    got, want = probes("linreg_structure")
    for g, w, (n_in, n_out) in zip(got, want, INIT_SIZES, strict=False):
        label = _linreg_label(n_in, n_out)
        for attr, layout in (("weight", "(out_features, in_features)"), ("bias", "(out_features,)")):
            gs, ws = g[attr], w[attr]
            expect(gs.get("type") == "Tensor", f"{label}.{attr} should be an nn.Parameter, got {gs.get('type')}.")
            shape, want_shape = tuple(gs["value"].shape), tuple(ws["value"].shape)
            hint = None
            if attr == "weight" and shape == want_shape[::-1]:
                hint = "store the weight as (out_features, in_features), like nn.Linear, and use x @ weight.T"
            expect(shape == want_shape, f"{label}.{attr} should have shape {layout} = {want_shape}, got {shape}.", hint)
            expect(
                gs["value"].dtype == ws["value"].dtype,
                f"{label}.{attr} should be created in torch's default dtype {ws['value'].dtype}, "
                f"got {gs['value'].dtype}.",
            )
            expect(gs.get("requires_grad") is True, f"{label}.{attr} should require gradients (an nn.Parameter does).")


def test_exercise1_initial_values(probes):
    got, _ = probes("linreg_structure")
    scaled, biases = [], []
    for g, (n_in, n_out) in zip(got, INIT_SIZES, strict=False):
        label = _linreg_label(n_in, n_out)
        k = 1 / math.sqrt(n_in)
        for attr in ("weight", "bias"):
            state = g[attr]
            expect(state.get("type") == "Tensor", f"{label}.{attr} should be an nn.Parameter, got {state.get('type')}.")
            values = state["value"].to(F64).reshape(-1) / k
            largest = values.abs().max().item() if values.numel() else 0.0
            expect(
                bool(torch.isfinite(values).all()) and largest <= 1 + 1e-6,
                f"{label}.{attr}: every initial entry should lie in [-k, k] with k = 1/sqrt(in_features) "
                f"= {k:.4f}; found an entry of size {largest * k:.4f}.",
                "draw them like nn.Linear: torch.empty(...).uniform_(-k, k) with k = 1 / in_features ** 0.5 (not torch.randn)",
            )
            scaled.append(values)
            if attr == "bias":
                biases.append(values)
    everything = torch.cat(scaled)
    expect(
        everything.max().item() > 0.9 and everything.min().item() < -0.9,
        "the initial weights and biases should be spread uniformly over the whole range [-k, k] "
        "(k = 1/sqrt(in_features)); over the sizes tested, the entries stay in "
        f"[{everything.min().item():.2f} k, {everything.max().item():.2f} k].",
    )
    bias = torch.cat(biases)
    expect(bias.unique().numel() > 1, "the initial bias should be random, uniform in [-k, k], not constant.")


def _parameters_settable(got):
    expect(
        not got.get("set_error"),
        f"LinearRegression(6, 4): the check could not set known parameter values: {got.get('set_error')}.",
        "weight is (out_features, in_features) and bias (out_features,), like nn.Linear",
    )


def test_exercise1_forward(probes):
    got, want = probes("linreg_forward")
    _parameters_settable(got)
    out = expect_tensor(got["out"], "model(x)")
    ref = want["out"]["value"]
    what = "model(x) for x of shape (9, 6)"
    expect(out.shape == ref.shape, f"{what} should have shape {shape_of(ref)}, got {shape_of(out)}.")
    expect(
        out.dtype == ref.dtype,
        f"after model.double(), {what} in float64 should return {ref.dtype}, got {out.dtype}.",
        "register the parameters with nn.Parameter so that model.double() converts them",
    )
    hint = None
    if torch.allclose(out.to(F64) + want["bias"], ref, rtol=1e-9, atol=1e-12):
        hint = "add the bias: forward returns x @ self.weight.T + self.bias"
    expect_close(out, ref, f"{what} with known float64 parameters", rtol=1e-10, atol=1e-12, hint=hint)
    expect(not got["x_changed"], "forward should not modify its input x.")


def test_exercise1_gradients_reach_parameters(probes):
    got, want = probes("linreg_forward")
    _parameters_settable(got)
    expect(
        got["out"].get("requires_grad") is True,
        "model(x) should be computed from self.weight and self.bias, so that autograd tracks it.",
    )
    expect(got["grads"] is not None, "backward() through model(x) could not run.")
    for name in ("weight", "bias"):
        g = got["grads"][name]
        expect(
            g.get("type") == "Tensor",
            f"after backward() through model(x), self.{name}.grad should be filled, got {g.get('value')}.",
            f"use self.{name} in forward" if name == "bias" else None,
        )
        expect_close(
            g["value"],
            want["grads"][name]["value"],
            f"the gradient of self.{name} after backward()",
            rtol=1e-10,
            atol=1e-12,
        )


def test_exercise1_trains_through_parameters(probes):
    got, want = probes("linreg_training")
    expect(
        got["n_parameters"] == want["n_parameters"],
        f"model.parameters() should yield {want['n_parameters']} parameters (weight and bias), so that "
        f"an optimizer finds them; got {got['n_parameters']}.",
        "wrap each tensor in nn.Parameter(...) and assign it to self.weight / self.bias",
    )
    _parameters_settable(got)
    out = expect_tensor(got["out"], "model(x) after training")
    expect_close(
        out,
        want["out"]["value"],
        "model(x) after two torch.optim.SGD(model.parameters(), lr=0.3) steps",
        rtol=1e-10,
        atol=1e-12,
    )


# ------------------------------------------------------------------------------------------------
# Exercise 2: fit
# ------------------------------------------------------------------------------------------------

FIT_EPOCHS_DEFAULT = 3  # 11 rows in a DataLoader with batch_size=4: batches of 4, 4 and 3 rows
FIT_EPOCHS_CUSTOM = 2  # 10 rows as a plain list of batches of 4, 4 and 2 rows


class _StepRecorder:
    """An optimizer for `fit`: delegates to a torch optimizer and records the parameters after each step."""

    def __init__(self, optimizer, params):
        self.optimizer, self.params = optimizer, list(params)
        self.points = [_flat(self.params)]

    @property
    def param_groups(self):
        return self.optimizer.param_groups

    def zero_grad(self, *args, **kwargs):
        return self.optimizer.zero_grad(*args, **kwargs)

    def step(self, *args, **kwargs):
        result = self.optimizer.step(*args, **kwargs)
        self.points.append(_flat(self.params))
        return result


def _fit_model(n_in, n_out, W, b):
    model = nn.Linear(n_in, n_out).double()
    with torch.no_grad():
        model.weight.copy_(W)
        model.bias.copy_(b)
    return model


@probe(exercise=2)
def fit_default_loss(ns):
    """fit with the default loss_fn, a non-shuffling DataLoader (last batch smaller) and momentum SGD."""
    X = torch.randn(11, 4, dtype=F64)
    Y = torch.randn(11, 3, dtype=F64)
    W, b = torch.randn(3, 4, dtype=F64), torch.randn(3, dtype=F64)
    model = _fit_model(4, 3, W, b)
    loader = DataLoader(TensorDataset(X, Y), batch_size=4, shuffle=False)
    recorder = _StepRecorder(torch.optim.SGD(model.parameters(), lr=0.07, momentum=0.5), model.parameters())
    losses = ns["fit"](model, loader, recorder, FIT_EPOCHS_DEFAULT)
    return {"losses": describe(losses), "points": torch.stack(recorder.points)}


@probe(exercise=2)
def fit_custom_loss(ns):
    """fit with loss_fn=an L1 loss that records its calls, on a plain list of batches of 4, 4 and 2 rows."""
    X = torch.randn(10, 4, dtype=F64)
    Y = 2 * torch.randn(10, 3, dtype=F64)
    W, b = torch.randn(3, 4, dtype=F64), torch.randn(3, dtype=F64)
    model = _fit_model(4, 3, W, b)
    batches = [(X[i : i + 4], Y[i : i + 4]) for i in range(0, 10, 4)]
    calls = []

    def loss_fn(preds, yb):
        loss = F.l1_loss(preds, yb)
        calls.append([len(yb), float(loss.detach())])
        return loss

    recorder = _StepRecorder(torch.optim.SGD(model.parameters(), lr=0.05), model.parameters())
    losses = ns["fit"](model, batches, recorder, FIT_EPOCHS_CUSTOM, loss_fn=loss_fn)
    return {"losses": describe(losses), "points": torch.stack(recorder.points), "calls": calls}


FIT_CASES = [
    (
        "fit_default_loss",
        FIT_EPOCHS_DEFAULT,
        "fit(model, DataLoader(batch_size=4, shuffle=False) over 11 rows, SGD(lr=0.07, momentum=0.5), epochs=3)",
    ),
    (
        "fit_custom_loss",
        FIT_EPOCHS_CUSTOM,
        "fit(model, a list of batches of 4, 4 and 2 rows, SGD(lr=0.05), epochs=2, loss_fn=an L1 loss)",
    ),
]


def test_exercise2_returns_list_of_floats(probes):
    for name, epochs, label in FIT_CASES:
        got, _ = probes(name)
        losses = got["losses"]
        expect(losses.get("type") == "list", f"{label} should return a list, got {losses.get('type')}.")
        expect(
            len(losses["items"]) == epochs,
            f"{label} should return one loss per epoch ({epochs}), got {len(losses['items'])}.",
        )
        types = [item.get("type") for item in losses["items"]]
        expect(
            all(t in ("float", "float64") for t in types),
            f"{label} should return Python floats, got {types}.",
            "use loss.item() (a float) when adding up the batch losses; it also frees the graph",
        )


def _fit_trajectory_hint(got_points, t):
    if torch.equal(got_points[t], got_points[t - 1]):
        return (
            "the parameters did not move: call optimizer.zero_grad() BEFORE loss.backward(), not between "
            "backward() and step()"
        )
    return (
        "call optimizer.zero_grad() before loss.backward() in every batch (backward adds into .grad) and "
        "take exactly one optimizer.step() per batch, in the order the loader gives them, with the optimizer you "
        "were given"
    )


def test_exercise2_parameter_trajectory(probes):
    for name, _epochs, label in FIT_CASES:
        got, want = probes(name)
        got_points, want_points = got["points"], want["points"]
        steps, want_steps = got_points.shape[0] - 1, want_points.shape[0] - 1
        expect(
            steps == want_steps,
            f"{label} should take one optimizer step per batch, {want_steps} in all (the last, smaller "
            f"batch included), got {steps}.",
            "iterate over the loader once per epoch and call optimizer.step() once per batch",
        )
        if name == "fit_custom_loss" and not got["calls"]:
            expect(
                False,
                f"{label} never called loss_fn.",
                "compute the loss with the loss_fn argument, loss_fn(model(xb), yb), not with F.mse_loss",
            )
        bad = _first_mismatch(got_points, want_points, rtol=1e-7, atol=1e-12)
        if bad:
            t, diff = bad
            hint = _fit_trajectory_hint(got_points, t)
            expect(
                False,
                f"{label}: after optimizer step {t} the model parameters differ from the expected ones "
                f"(largest difference {diff:.3g}).",
                hint,
            )


def _loss_hint(got, calls, epochs):
    """Recognise the common wrong epoch losses from the instructor's recorded batch losses."""
    if not calls or len(calls) % epochs:
        return None
    per_epoch = len(calls) // epochs
    chunks = [calls[e * per_epoch : (e + 1) * per_epoch] for e in range(epochs)]
    candidates = {
        "the plain average of the batch losses counts the small last batch as much as the others; weight each "
        "batch loss by its number of rows: sum(len(xb) * loss) / rows": [sum(v for _, v in c) / len(c) for c in chunks],
        "report the mean over the whole epoch, not the loss of the last batch": [c[-1][1] for c in chunks],
        "divide the weighted sum by the number of rows of the epoch": [sum(n * v for n, v in c) for c in chunks],
        "divide by the number of rows, not by the number of batches": [
            sum(n * v for n, v in c) / len(c) for c in chunks
        ],
    }
    for hint, values in candidates.items():
        if torch.allclose(torch.tensor(got, dtype=F64), torch.tensor(values, dtype=F64), rtol=1e-7, atol=1e-10):
            return hint
    return None


def test_exercise2_epoch_losses(probes):
    for name, epochs, label in reversed(FIT_CASES):
        got, want = probes(name)
        values, want_values = _numbers(got["losses"]), _numbers(want["losses"])
        expect(values is not None, f"{label} should return a list of numbers.")
        expect(
            len(values) == len(want_values),
            f"{label} should return {len(want_values)} losses, one per epoch, got {len(values)}.",
        )
        close = torch.allclose(
            torch.tensor(values, dtype=F64), torch.tensor(want_values, dtype=F64), rtol=1e-7, atol=1e-10
        )
        if not close:
            hint = _loss_hint(values, want.get("calls"), epochs) if name == "fit_custom_loss" else None
            hint = hint or (
                "entry e is the batch-size-weighted mean of the losses computed in the forward "
                "passes (before each step) of epoch e: sum(len(xb) * loss.item()) / rows"
            )
            expect(
                False,
                f"{label}: the returned epoch losses should be {[round(v, 6) for v in want_values]}, "
                f"got {[round(v, 6) for v in values]}.",
                hint,
            )


# ------------------------------------------------------------------------------------------------
# Exercise 3: HandSGD
# ------------------------------------------------------------------------------------------------

SGD_STEPS = 6
SGD_SETTINGS = {
    "sgd_plain": (0.07, 0.0, False),
    "sgd_heavy_ball": (0.05, 0.9, False),
    "sgd_nesterov": (0.03, 0.8, True),
}


def _momentum_problem():
    """Random float64 data and three parameters; the loss is not quadratic in the third one."""
    X = torch.randn(8, 5, dtype=F64)
    Y = torch.randn(8, 3, dtype=F64)
    A = torch.randn(4, 2, dtype=F64)
    init = [torch.randn(3, 5, dtype=F64), torch.randn(3, dtype=F64), torch.randn(4, 2, dtype=F64)]

    def loss_of(W, b, c):
        return F.mse_loss(X @ W.T + b, Y) + (torch.sin(c) * A).sum()

    return init, loss_of


def _sgd_runs(ns, setting):
    init, loss_of = _momentum_problem()
    lr, mu, nesterov = SGD_SETTINGS[setting]
    make = lambda ps: ns["HandSGD"](ps, lr=lr, momentum=mu, nesterov=nesterov)  # noqa: E731
    return [_run_optimizer(make, init, loss_of, SGD_STEPS, zeroing) for zeroing in ("zero_grad()", "in place")]


@probe(exercise=3)
def sgd_plain(ns):
    """HandSGD(lr=0.07), 6 steps on three float64 parameters, gradients zeroed both ways."""
    return _sgd_runs(ns, "sgd_plain")


@probe(exercise=3)
def sgd_heavy_ball(ns):
    """HandSGD(lr=0.05, momentum=0.9), 6 steps, gradients zeroed by zero_grad() or in place."""
    return _sgd_runs(ns, "sgd_heavy_ball")


@probe(exercise=3)
def sgd_nesterov(ns):
    """HandSGD(lr=0.03, momentum=0.8, nesterov=True), 6 steps, gradients zeroed both ways."""
    return _sgd_runs(ns, "sgd_nesterov")


@probe(exercise=3)
def sgd_skips_missing_grad(ns):
    """A parameter that gets no gradient (its .grad stays None) must be left alone."""
    init, loss_of = _momentum_problem()
    z0 = torch.randn(2, 3, dtype=F64)
    W, b, c = (t.clone().requires_grad_() for t in init)
    z = z0.clone().requires_grad_()
    optimizer = ns["HandSGD"]([W, z, b, c], lr=0.05, momentum=0.9)
    for _ in range(3):
        loss = loss_of(W, b, c)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {"z": z.detach().clone()}


def _sgd_hint(setting, run, other_run_ok, want_points, t):
    lr, mu, nesterov = SGD_SETTINGS[setting]
    if run["zeroing"] == "in place" and other_run_ok:
        return (
            "it works when zero_grad() sets p.grad = None but not when gradients are zeroed in place with "
            "p.grad.zero_(): store a copy of the gradient as the buffer (g.clone()), never p.grad itself"
        )
    if mu == 0:
        return "with momentum=0 the step is plain SGD: p <- p - lr * p.grad"
    if t == 1:
        step_got = run["points"][0] - run["points"][1]
        step_want = want_points[0] - want_points[1]
        recognised = ratio_hint(
            step_got,
            step_want,
            {
                1 / (1 + mu): "Nesterov steps along g + momentum * b, where b = g on the first step: "
                "(1 + momentum) * g, not b alone",
                1 - mu: "no (1 - momentum) factor: the buffer is b = momentum * b + g (dampening 0), starting at b = g",
                1 + mu: "heavy ball steps along b alone; only Nesterov adds momentum * b to g",
            },
            rtol=1e-6,
        )
        return recognised or "on the first step the buffer is the gradient itself, b = g"
    if nesterov:
        return (
            "step 1 matched: keep the buffer b between calls of step() in self.state, update it as "
            "b = momentum * b + g, and step along g + momentum * b (Nesterov)"
        )
    return (
        "step 1 matched: keep the velocity buffer b between calls of step() in self.state and update it "
        "as b = momentum * b + g (no (1 - momentum) factor)"
    )


def _check_sgd(probes, setting):
    got, want = probes(setting)
    lr, mu, nesterov = SGD_SETTINGS[setting]
    label = f"HandSGD(params, lr={lr}, momentum={mu}, nesterov={nesterov})"
    results = []
    for run, ref in zip(got, want, strict=False):
        results.append(_first_mismatch(run["points"], ref["points"], rtol=1e-7, atol=1e-12))
    for i, (run, ref, bad) in enumerate(zip(got, want, results, strict=False)):
        if bad is None:
            continue
        t, diff = bad
        other_ok = results[1 - i] is None
        expect(
            False,
            f"{label}, gradients zeroed with {run['zeroing']}: after step {t} the parameters differ "
            f"from torch.optim.SGD's trajectory (largest difference {diff:.3g}; the steps before matched).",
            _sgd_hint(setting, run, other_ok, ref["points"], t),
        )


def test_exercise3_plain_sgd(probes):
    _check_sgd(probes, "sgd_plain")


def test_exercise3_heavy_ball(probes):
    _check_sgd(probes, "sgd_heavy_ball")


def test_exercise3_nesterov(probes):
    _check_sgd(probes, "sgd_nesterov")


def test_exercise3_parameters_stay_leaves(probes):
    for setting in SGD_SETTINGS:
        got, _ = probes(setting)
        for run in got:
            expect(
                _leaves_ok(run),
                f"after HandSGD.step() (settings of {setting[4:]}) the parameters should still be leaf "
                f"tensors with requires_grad=True.",
                "update them in place under torch.no_grad(), e.g. p.sub_(lr * d)",
            )


def test_exercise3_skips_parameters_without_grad(probes):
    got, want = probes("sgd_skips_missing_grad")
    expect_close(
        got["z"],
        want["z"],
        "a parameter whose .grad stays None should not change (HandSGD with momentum=0.9, 3 steps)",
        rtol=0,
        atol=0,
        hint="skip parameters whose .grad is None",
    )


# ------------------------------------------------------------------------------------------------
# Exercise 4: HandAdam
# ------------------------------------------------------------------------------------------------

ADAM_TUNED = {"lr": 0.05, "betas": (0.8, 0.9), "eps": 1e-3}
ADAM_DEFAULTS = {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8}  # the stated defaults, for recognisers only
ADAM_TUNED_STEPS = 8
ADAM_DEFAULT_STEPS = 5
# gradient magnitudes of the first-step probe: from far below eps to far above sqrt(eps)
ADAM_GRAD_SCALES = [1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0]


@probe(exercise=4)
def adam_first_step(ns):
    """One step of HandAdam on loss = (c * p).sum(), so the gradient is c: magnitudes from 1e-7 to 100."""
    cases = []
    for kwargs in ({}, ADAM_TUNED):
        scales = torch.tensor(ADAM_GRAD_SCALES, dtype=F64)
        c = scales * (1 + torch.rand(len(scales), dtype=F64)) * torch.randn(len(scales), dtype=F64).sign()
        cases.append((kwargs, c, torch.randn(len(scales), dtype=F64)))
    out = []
    for kwargs, c, p0 in cases:
        p = p0.clone().requires_grad_()
        optimizer = ns["HandAdam"]([p], **kwargs)
        loss = (c * p).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        out.append({"grad": c, "step": p0 - p.detach()})
    return out


@probe(exercise=4)
def adam_default_args(ns):
    """HandAdam(params) with its default arguments, 5 steps on three float64 parameters."""
    init, loss_of = _momentum_problem()
    return _run_optimizer(lambda ps: ns["HandAdam"](ps), init, loss_of, ADAM_DEFAULT_STEPS)


@probe(exercise=4)
def adam_tuned(ns):
    """HandAdam(params, lr=0.05, betas=(0.8, 0.9), eps=1e-3), 8 steps, gradients zeroed both ways."""
    init, loss_of = _momentum_problem()
    make = lambda ps: ns["HandAdam"](ps, **ADAM_TUNED)  # noqa: E731
    return [_run_optimizer(make, init, loss_of, ADAM_TUNED_STEPS, z) for z in ("zero_grad()", "in place")]


def _adam_first_step_hint(got_case, want_case, hyper) -> str | None:
    """Recognise missing bias correction and eps inside the square root from the first step's size."""
    beta1, beta2 = hyper["betas"]
    eps = hyper["eps"]
    grad = want_case["grad"].abs()
    step_got, step_want = got_case["step"], want_case["step"]
    if step_got.shape != step_want.shape or not bool(torch.isfinite(step_got).all()):
        return None
    ratio = step_got / step_want
    large = grad >= 10  # far above eps and sqrt(eps): the reference step is lr * sign(g)
    tiny = grad <= 1e-6  # far below eps: the reference step is lr * g / eps
    if not bool(large.any()):
        return None

    def near(values, target, rtol):
        return bool(((values - target).abs() <= rtol * abs(target)).all())

    bias = {
        (1 - beta1) / math.sqrt(1 - beta2): "divide m by (1 - beta1 ** t) and v by (1 - beta2 ** t)",
        1 / math.sqrt(1 - beta2): "v needs its own bias correction too: v_hat = v / (1 - beta2 ** t)",
        1 - beta1: "m needs its own bias correction too: m_hat = m / (1 - beta1 ** t)",
    }
    for factor, how in bias.items():
        if near(ratio[large], factor, 1e-3):
            return (
                f"with betas={hyper['betas']}, your first step is {factor:.4g} times torch's for large "
                f"gradients: the bias correction "
                f"is missing; {how} with t = 1 on the first step, so that the first step has length "
                f"about lr in every coordinate"
            )
    if eps > 1e-6 and near(ratio[large], 1.0, 1e-3) and bool(tiny.any()) and near(ratio[tiny], math.sqrt(eps), 1e-2):
        return (
            "your steps match for large gradients but are sqrt(eps) times torch's for tiny ones: eps is "
            "inside the square root; add it outside, sqrt(v_hat) + eps"
        )
    return None


def _adam_hint_from_first_step(probes) -> str | None:
    got, want = _maybe(probes, "adam_first_step")
    if got is None:
        return None
    for g, w, hyper in zip(got, want, (ADAM_DEFAULTS, ADAM_TUNED), strict=False):
        hint = _adam_first_step_hint(g, w, hyper)
        if hint:
            return hint
    return None


def test_exercise4_first_step(probes):
    got, want = probes("adam_first_step")
    labels = ("HandAdam([p])", "HandAdam([p], lr=0.05, betas=(0.8, 0.9), eps=1e-3)")
    hyper = (ADAM_DEFAULTS, ADAM_TUNED)
    recognised = [_adam_first_step_hint(g, w, h) for g, w, h in zip(got, want, hyper, strict=False)]
    general = next((h for h in recognised if h), None) or (
        "at step 1, m_hat = g and v_hat = g * g after bias correction, so the step is "
        "lr * g / (|g| + eps), with eps outside the square root"
    )
    for g, w, label in zip(got, want, labels, strict=False):
        expect_close(
            g["step"],
            w["step"],
            f"{label}: the first step for gradients of sizes 1e-7 to 100",
            rtol=1e-7,
            atol=1e-14,
            hint=general,
        )


def _check_adam_run(run, ref, label, probes):
    expect(
        _leaves_ok(run),
        f"after {label}.step() the parameters should still be leaf tensors with requires_grad=True.",
        "update them in place under torch.no_grad(), e.g. p.sub_(...)",
    )
    bad = _first_mismatch(run["points"], ref["points"], rtol=1e-7, atol=1e-12)
    if bad is None:
        return
    t, diff = bad
    sizes = run["sizes"]
    got_first = torch.split(run["points"][1], sizes)
    want_first = torch.split(ref["points"][1], sizes)
    matches = [torch.allclose(a, b, rtol=1e-7, atol=1e-12) for a, b in zip(got_first, want_first, strict=False)]
    if t == 1 and matches[0] and not all(matches):
        hint = (
            "the first parameter matched but the later ones did not: advance the step counter t once "
            "per call of step(), not once per parameter"
        )
    else:
        hint = _adam_hint_from_first_step(probes)
    if hint is None and t > 1:
        hint = (
            "step 1 matched, later ones did not: keep m, v and the step counter between calls of step() "
            "(create them once and update them), and use t = 1, 2, ... in the bias correction"
        )
    if hint is None:
        hint = (
            "at step 1 the update is lr * m_hat / (sqrt(v_hat) + eps) with m = (1 - beta1) * g, "
            "v = (1 - beta2) * g * g, m_hat = m / (1 - beta1 ** t), v_hat = v / (1 - beta2 ** t), t = 1"
        )
    expect(
        False,
        f"{label}, gradients zeroed with {run['zeroing']}: after step {t} the parameters differ from "
        f"torch.optim.Adam's trajectory (largest difference {diff:.3g}).",
        hint,
    )


def test_exercise4_default_arguments(probes):
    got, want = probes("adam_default_args")
    _check_adam_run(got, want, "HandAdam(params) with the default lr, betas and eps", probes)


def test_exercise4_trajectory(probes):
    got, want = probes("adam_tuned")
    for run, ref in zip(got, want, strict=False):
        _check_adam_run(run, ref, "HandAdam(params, lr=0.05, betas=(0.8, 0.9), eps=1e-3)", probes)


# ------------------------------------------------------------------------------------------------
# Exercise 5: l2_penalty and DecoupledWeightDecay
# ------------------------------------------------------------------------------------------------

DECAY = 0.3
DECAY_HYPER = {"lr": 0.05, "betas": (0.8, 0.9), "eps": 1e-3}
DECAY_STEPS = 8


def _decay_problem():
    X = torch.randn(9, 5, dtype=F64)
    Y = torch.randn(9, 3, dtype=F64)
    init = [torch.randn(3, 5, dtype=F64), torch.randn(3, dtype=F64)]

    def loss_of(W, b):
        return F.mse_loss(X @ W.T + b, Y)

    return init, loss_of


@probe(exercise=5)
def l2_penalty_value(ns):
    """l2_penalty of three float64 parameters (a list), its gradient, and the same from a generator."""
    values = [torch.randn(3, 5, dtype=F64), torch.randn(3, dtype=F64), torch.randn(2, 3, 2, dtype=F64)]
    params = [v.clone().requires_grad_() for v in values]
    penalty = ns["l2_penalty"](params, 0.37)
    data = {"penalty": describe(penalty), "grads": None}
    if isinstance(penalty, torch.Tensor) and penalty.requires_grad and penalty.numel() == 1:
        penalty.sum().backward()
        data["grads"] = [describe(p.grad) for p in params]
    data["changed"] = any(not torch.equal(p.detach(), v) for p, v in zip(params, values, strict=False))
    fresh = [v.clone().requires_grad_() for v in values]
    data["from_generator"] = describe(ns["l2_penalty"]((p for p in fresh), 0.37))
    return data


@probe(exercise=5)
def adam_with_l2(ns):
    """torch.optim.Adam on mse + l2_penalty([W, b], 0.3), 8 steps in float64."""
    init, loss_of = _decay_problem()
    penalised = lambda W, b: loss_of(W, b) + ns["l2_penalty"]([W, b], DECAY)  # noqa: E731
    return _run_optimizer(lambda ps: torch.optim.Adam(ps, **DECAY_HYPER), init, penalised, DECAY_STEPS)


@probe(exercise=5)
def decoupled_adam(ns):
    """DecoupledWeightDecay(torch.optim.Adam(...), 0.3), 8 steps; plus torch's Adam with L2 as hint material."""
    init, loss_of = _decay_problem()
    l2 = _run_optimizer(lambda ps: torch.optim.Adam(ps, weight_decay=DECAY, **DECAY_HYPER), init, loss_of, DECAY_STEPS)
    make = lambda ps: ns["DecoupledWeightDecay"](torch.optim.Adam(ps, **DECAY_HYPER), DECAY)  # noqa: E731
    run = _run_optimizer(make, init, loss_of, DECAY_STEPS)
    return {"run": run, "adam_l2_points": l2["points"]}


@probe(exercise=5)
def decoupled_groups(ns):
    """Two param groups with their own lr, an lr change after step 3, and a parameter without gradient."""
    init, loss_of = _decay_problem()
    z0 = torch.randn(4, dtype=F64)
    W, b = (t.clone().requires_grad_() for t in init)
    z = z0.clone().requires_grad_()
    inner = torch.optim.Adam([{"params": [W], "lr": 0.05}, {"params": [b, z], "lr": 0.02}], betas=(0.8, 0.9), eps=1e-3)
    optimizer = ns["DecoupledWeightDecay"](inner, DECAY)
    points = [_flat([W, b])]
    for step in range(6):
        if step == 3:
            for group in inner.param_groups:
                group["lr"] *= 0.5
        loss = loss_of(W, b)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        points.append(_flat([W, b]))
    return {"points": torch.stack(points), "z": z.detach().clone()}


def test_exercise5_l2_penalty_value(probes):
    got, want = probes("l2_penalty_value")
    for key, label in (
        ("penalty", "l2_penalty(params, 0.37) for a list of three float64 tensors"),
        ("from_generator", "l2_penalty(params, 0.37) for a generator of tensors, like model.parameters()"),
    ):
        value = expect_tensor(got[key], label)
        ref = want[key]["value"]
        expect(value.dim() == 0, f"{label} should be a 0-d tensor, got shape {shape_of(value)}.")
        hint = ratio_hint(value, ref, {2.0: "weight_decay / 2 times the sum of squares: the 1/2 is missing"})
        expect_close(
            value,
            ref,
            label,
            rtol=1e-10,
            atol=1e-12,
            hint=hint or "(weight_decay / 2) * the sum of the squares of every entry of every parameter",
        )
    expect(not got["changed"], "l2_penalty should not modify the parameters.")


def test_exercise5_l2_penalty_is_differentiable(probes):
    got, want = probes("l2_penalty_value")
    expect(
        got["penalty"].get("requires_grad") is True,
        "l2_penalty should return a tensor that autograd can differentiate (no .item(), no torch.no_grad()).",
    )
    expect(got["grads"] is not None, "backward() through l2_penalty could not run.")
    for i, (g, w) in enumerate(zip(got["grads"], want["grads"], strict=False), start=1):
        grad = expect_tensor(g, f"the gradient of l2_penalty for parameter {i}")
        expect_close(
            grad,
            w["value"],
            f"the gradient of l2_penalty(params, 0.37) for parameter {i}",
            rtol=1e-10,
            atol=1e-12,
            hint="its gradient must be weight_decay * p",
        )


def test_exercise5_adam_with_l2_penalty(probes):
    got, want = probes("adam_with_l2")
    bad = _first_mismatch(got["points"], want["points"], rtol=1e-7, atol=1e-12)
    if bad:
        expect(
            False,
            f"torch.optim.Adam(lr=0.05, betas=(0.8, 0.9), eps=1e-3) on loss + l2_penalty(params, {DECAY}): "
            f"after step {bad[0]} the parameters differ from the expected ones (largest difference {bad[1]:.3g}).",
            "the penalty's gradient must be exactly weight_decay * p",
        )


def test_exercise5_decoupled_weight_decay(probes):
    got, want = probes("decoupled_adam")
    run, ref = got["run"], want["run"]
    expect(
        _leaves_ok(run),
        "after DecoupledWeightDecay.step() the parameters should still be leaf tensors with requires_grad=True.",
    )
    bad = _first_mismatch(run["points"], ref["points"], rtol=1e-7, atol=1e-12)
    if bad:
        hint = (
            "shrink every parameter that has a gradient in place, p.mul_(1 - group['lr'] * weight_decay), "
            "BEFORE calling self.optimizer.step()"
        )
        if _first_mismatch(run["points"], want["adam_l2_points"], rtol=1e-7, atol=1e-12) is None:
            hint = (
                "your trajectory is Adam with an L2 penalty (weight decay added to the gradient). Decoupled "
                "weight decay must not go through the gradient: " + hint + ", which then sees the raw gradient"
            )
        expect(
            False,
            f"DecoupledWeightDecay(torch.optim.Adam(params, lr=0.05, betas=(0.8, 0.9), eps=1e-3), {DECAY}) "
            f"should follow torch.optim.AdamW(weight_decay={DECAY}); after step {bad[0]} the parameters differ "
            f"(largest difference {bad[1]:.3g}).",
            hint,
        )


def test_exercise5_decoupled_uses_group_lr(probes):
    got, want = probes("decoupled_groups")
    bad = _first_mismatch(got["points"], want["points"], rtol=1e-7, atol=1e-12)
    if bad:
        expect(
            False,
            "DecoupledWeightDecay around an Adam with two param groups (lr 0.05 and 0.02, halved after "
            f"step 3): after step {bad[0]} the parameters differ from AdamW's (largest difference {bad[1]:.3g}).",
            "use each group's current learning rate, p.mul_(1 - group['lr'] * weight_decay), before the step",
        )


def test_exercise5_decoupled_skips_parameters_without_grad(probes):
    got, want = probes("decoupled_groups")
    expect_close(
        got["z"],
        want["z"],
        "a parameter whose .grad is None should not be decayed",
        rtol=0,
        atol=0,
        hint="shrink only parameters whose p.grad is not None",
    )


# ------------------------------------------------------------------------------------------------
# Exercise 6: standardize
# ------------------------------------------------------------------------------------------------

CONSTANT_COLUMN = 2


def _standardize_input():
    """(9, 5) float64: columns of different scales and offsets, one constant column, one tiny-spread column."""
    scale = torch.tensor([1.0, 30.0, 1.0, 0.5, 1e-3], dtype=F64)
    shift = torch.tensor([70.0, -5.0, 0.0, 100.0, 3.0], dtype=F64)
    X = torch.randn(9, 5, dtype=F64) * scale + shift
    X[:, CONSTANT_COLUMN] = 2.5  # exactly representable, so its std is exactly 0
    return X


@probe(exercise=6)
def standardize_random(ns):
    """standardize on random (9, 5) float64 inputs with a constant column, then on the same in float32."""
    X = _standardize_input()
    before = X.clone()
    X32 = before.float()
    result = ns["standardize"](X)
    data = {"result": describe(result), "changed": not torch.equal(X, before)}
    data["result32"] = describe(ns["standardize"](X32))
    return data


def _parts(described: dict, label: str) -> list:
    expect(
        described.get("type") in ("tuple", "list") and len(described.get("items", [])) == 3,
        f"{label} should return a tuple (standardized, mean, std), got {described.get('type')}"
        + (f" of {len(described['items'])} items." if "items" in described else "."),
    )
    return [
        expect_tensor(item, f"{label}[{i}] ({name})")
        for i, (item, name) in enumerate(zip(described["items"], ("standardized", "mean", "std"), strict=False))
    ]


LABEL6 = "standardize(train_inputs) for float64 inputs of shape (9, 5)"


def test_exercise6_returns_three_tensors(probes):
    got, _ = probes("standardize_random")
    _parts(got["result"], LABEL6)


def test_exercise6_mean(probes):
    got, want = probes("standardize_random")
    mean = _parts(got["result"], LABEL6)[1]
    ref = want["result"]["items"][1]["value"]
    expect(
        mean.shape == ref.shape,
        f"mean should have shape (D,) = {shape_of(ref)}, one value per column, got {shape_of(mean)}.",
        "reduce over dim=0, without keepdim",
    )
    expect_close(mean, ref, "the column means", rtol=1e-9, atol=1e-12)


def test_exercise6_std(probes):
    got, want = probes("standardize_random")
    std = _parts(got["result"], LABEL6)[2]
    ref = want["result"]["items"][2]["value"]
    expect(
        std.shape == ref.shape,
        f"std should have shape (D,) = {shape_of(ref)}, one value per column, got {shape_of(std)}.",
        "reduce over dim=0, without keepdim",
    )
    constant = std[CONSTANT_COLUMN].item()
    expect(
        constant == ref[CONSTANT_COLUMN].item(),
        f"for a constant column (standard deviation 0) std should be exactly {ref[CONSTANT_COLUMN].item():g}, "
        f"got {constant:g}.",
        "replace exact zeros of std by 1, e.g. torch.where(std == 0, torch.ones_like(std), std)",
    )
    others = [j for j in range(ref.numel()) if j != CONSTANT_COLUMN]
    n = 9
    hint = ratio_hint(
        std[others],
        ref[others],
        {
            math.sqrt(n / (n - 1)): "use the population std (divide by N: unbiased=False or correction=0), "
            "not torch's default sample std (divide by N - 1)",
        },
    )
    expect_close(std, ref, "the column standard deviations", rtol=1e-7, atol=1e-12, hint=hint)


def test_exercise6_standardized_values(probes):
    got, want = probes("standardize_random")
    Z = _parts(got["result"], LABEL6)[0]
    ref = want["result"]["items"][0]["value"]
    expect(
        bool(torch.isfinite(Z).all()),
        "standardized contains NaN or inf values.",
        "a constant column has std 0: use std = 1 there, so its standardized values are 0",
    )
    expect_close(Z, ref, "standardized = (train_inputs - mean) / std", rtol=1e-7, atol=1e-9)


def test_exercise6_input_not_modified(probes):
    got, _ = probes("standardize_random")
    expect(
        not got["changed"],
        "standardize modified train_inputs in place; compute new tensors instead (x - mean, not x -= mean).",
    )


def test_exercise6_keeps_dtype(probes):
    got, _ = probes("standardize_random")
    for key, dtype in (("result", torch.float64), ("result32", torch.float32)):
        label = f"standardize(train_inputs) for {dtype} inputs"
        for part, name in zip(_parts(got[key], label), ("standardized", "mean", "std"), strict=False):
            expect(part.dtype == dtype, f"{label}: {name} should have dtype {dtype}, got {part.dtype}.")
