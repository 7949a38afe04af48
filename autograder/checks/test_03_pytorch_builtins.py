"""Hidden checks of 03_pytorch_builtins: nn.Module, a training loop, SGD and Adam as torch optimizers,
weight decay, a standardiser fitted on the training split, and training with a held-out split.

Probes run in the child (the student's code, or the instructor's for the reference run) and return plain
data; the tests below run in the grader and compare the student's data with the instructor's. Every
expected value comes from the instructor's run; hints are recognised from data only (ratios of first
steps, torch's own optimizers run alongside as hint material). Every probe draws its random inputs before
it calls student code. Tests iterate over the reference's data (`want`) with strict zips, so missing or
extra data fails; messages describe inputs in words, never their values, sizes or learning rates.

Weights (`@weight`, default 1): the central behaviour of each exercise weighs most, so that each classic
mistake costs at least half of the exercise's points:
  1. registered parameters 2, forward values 2;
  2. parameter trajectory (zero_grad before backward, one step per batch) 3, epoch losses (weighted by
     batch size) 3.5;
  3. heavy-ball 3 and Nesterov 2 trajectories, both with gradients zeroed in place too (the buffer must be
     a copy), weight decay 2;
  4. the first step (bias correction, eps outside the square root) 2, the tuned trajectory 3;
  5. decoupled weight decay 3.5;
  6. held-out rows standardised with the training statistics 5;
  7. the best epoch's parameters restored 4, and so the best held-out loss 3; held-out losses 3.
"""

from __future__ import annotations

import copy
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

from autograder.compare import expect, expect_close, ratio_hint, weight
from autograder.probes import attempt, describe, leaf_state, probe, stand_in

F64 = torch.float64
RTOL, ATOL = 1e-7, 1e-12  # float64 trajectories of equivalent formulas agree to about 1e-15
FLOAT_TYPES = ("float", "float64")  # a Python float (np.float64 is a subclass of it)
RANDOM_INPUTS = "random float64 inputs of other shapes than the notebook's"


# ------------------------------------------------------------------------------------------------
# stand-ins: the checks' own versions of earlier exercises' functions that later cells call
# ------------------------------------------------------------------------------------------------


@stand_in(exercise=2)
def fit(model, loader, optimizer, epochs, loss_fn=None):
    import torch.nn.functional

    loss_fn = torch.nn.functional.mse_loss if loss_fn is None else loss_fn
    history = []
    for _ in range(epochs):
        weighted, rows = 0.0, 0
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            weighted += loss.item() * len(xb)
            rows += len(xb)
        history.append(weighted / rows)
    return history


# ------------------------------------------------------------------------------------------------
# helpers shared by probes (child) and tests (grader)
# ------------------------------------------------------------------------------------------------


def _flat(params) -> torch.Tensor:
    """All parameters' current values as one float64 vector (a copy)."""
    return torch.cat([p.detach().reshape(-1).to(F64) for p in params]).clone()


def _leaves(params) -> list[bool]:
    return [bool(p.is_leaf and p.requires_grad) for p in params]


def _run_optimizer(make_optimizer, init, loss_of, steps, in_place=False, resume=None, resume_at=3):
    """Train fresh copies of `init` for `steps` steps; return the trajectory as data.

    in_place: zero every existing gradient with p.grad.zero_() (as older code does) instead of calling the
    optimizer's zero_grad, so that a buffer that aliases p.grad is wiped. resume: after `resume_at` steps,
    save the optimizer's state_dict, build `resume(params)` and load it there, then go on.
    """
    params = [t.clone().requires_grad_() for t in init]
    optimizer = make_optimizer(params)
    points = [_flat(params)]
    for step in range(steps):
        if resume is not None and step == resume_at:
            saved = copy.deepcopy(optimizer.state_dict())
            optimizer = resume(params)
            optimizer.load_state_dict(saved)
        loss = loss_of(*params)
        if in_place:
            for p in params:
                if p.grad is not None:
                    p.grad.zero_()
        else:
            optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        points.append(_flat(params))
    return {"points": torch.stack(points), "leaves": _leaves(params)}


def _mismatch(got, want, rtol=RTOL, atol=ATOL):
    """First step t >= 1 where two (steps + 1, n) trajectories differ, with the largest difference; None if
    they agree. A trajectory of another shape, or not a tensor, differs at step 1."""
    if not isinstance(got, torch.Tensor) or got.shape != want.shape:
        return 1, math.inf
    for t in range(1, want.shape[0]):
        if not torch.allclose(got[t].to(F64), want[t], rtol=rtol, atol=atol):
            return t, (got[t].to(F64) - want[t]).abs().max().item()
    return None


def _floats(got: dict, want: dict, what: str) -> list[float]:
    """`got`/`want` are describe(list): require a list of as many Python floats as the reference's."""
    n = len(want["items"])
    expect(got["type"] in ("list", "tuple"), f"{what} should be a list of {n} Python floats, got {got['type']}.")
    items = got["items"]
    expect(len(items) == n, f"{what} should hold {n} values, one per epoch, got {len(items)}.")
    kinds = sorted({item["type"] for item in items if item["type"] not in FLOAT_TYPES})
    expect(
        not kinds,
        f"{what} should hold Python floats, got {', '.join(kinds)}.",
        "use loss.item(): a Python float, which also keeps no computation graph alive",
    )
    return [float(item["value"]) for item in items]


def _close_lists(got: list[float], want: list[float], rtol=RTOL, atol=1e-10) -> bool:
    a, b = torch.tensor(got, dtype=F64), torch.tensor(want, dtype=F64)
    return a.shape == b.shape and bool(torch.allclose(a, b, rtol=rtol, atol=atol))


def _maybe(probes, name):
    """(student, reference) data of another probe, or (None, None) when the student's run of it failed."""
    import pytest

    try:
        return probes(name)
    except pytest.fail.Exception:
        return None, None


def _no_errors(got_errors: list, want_errors: list, what: str, hint: str) -> None:
    for error, _ in zip(got_errors, want_errors, strict=True):
        expect(error is None, f"{what}: your code {error}.", hint)


# ================================================================================================
# Exercise 1: LinearRegression(nn.Module)
# ================================================================================================

INIT_SIZES = [(6, 4), (25, 3), (2, 7)]  # (in_features, out_features), non-square
FORWARD_SIZE = (6, 4)


def _module_report(m, n_in: int) -> dict:
    weight_, bias = getattr(m, "weight", None), getattr(m, "bias", None)
    return {
        "in_features": n_in,
        "is_module": isinstance(m, nn.Module),
        "named": sorted(name for name, _ in m.named_parameters()) if isinstance(m, nn.Module) else [],
        "weight": leaf_state(weight_),
        "bias": leaf_state(bias),
        "weight_is_parameter": isinstance(weight_, nn.Parameter),
        "bias_is_parameter": isinstance(bias, nn.Parameter),
    }


@probe(exercise=1)
def linreg_structure(ns):
    """Modules of three non-square sizes: registered parameters, shapes, dtypes and initial values."""
    return [_module_report(ns["LinearRegression"](n_in, n_out), n_in) for n_in, n_out in INIT_SIZES]


@probe(exercise=1)
def linreg_default_dtype(ns):
    """The parameters' dtypes when torch's default dtype is float64."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(F64)
    try:
        m = ns["LinearRegression"](*FORWARD_SIZE)
    finally:
        torch.set_default_dtype(previous)
    return [
        isinstance(getattr(m, name, None), torch.Tensor) and getattr(m, name).dtype == F64
        for name in ("weight", "bias")
    ]


def _set_parameters(m, W, b) -> bool:
    """Copy known values into m.weight and m.bias; False when their shapes do not allow it."""
    for name, value in (("weight", W), ("bias", b)):
        p = getattr(m, name, None)
        if not isinstance(p, torch.Tensor) or tuple(p.shape) != tuple(value.shape):
            return False
    with torch.no_grad():
        m.weight.copy_(W)
        m.bias.copy_(b)
    return True


@probe(exercise=1)
def linreg_forward(ns):
    """model.double(), known float64 parameters, forward on many rows and on one row, then backward."""
    n_in, n_out = FORWARD_SIZE
    W, b = torch.randn(n_out, n_in, dtype=F64), torch.randn(n_out, dtype=F64)
    x, upstream = torch.randn(9, n_in, dtype=F64), torch.randn(9, n_out, dtype=F64)
    x_before = x.clone()
    m = ns["LinearRegression"](n_in, n_out)
    m.double()
    registered = isinstance(getattr(m, "weight", None), nn.Parameter) and isinstance(
        getattr(m, "bias", None), nn.Parameter
    )
    if not _set_parameters(m, W, b):
        return {"settable": False}
    out, error = attempt(m, x)
    if error is not None:
        return {"settable": True, "error": error, "registered": registered}
    data = {"settable": True, "error": None, "registered": registered, "out": describe(out), "bias": b}
    data["one_row"] = describe(m(x[:1]))
    data["x_changed"] = not torch.equal(x, x_before)
    data["grads"] = None
    if isinstance(out, torch.Tensor) and out.requires_grad and out.shape == upstream.shape:
        (out * upstream).sum().backward()
        data["grads"] = [describe(getattr(m, name).grad) for name in ("weight", "bias")]
    return data


@probe(exercise=1)
def linreg_training(ns):
    """Two torch.optim.SGD steps on model.parameters(), then forward: the parameters must be registered."""
    n_in, n_out = FORWARD_SIZE
    W, b = torch.randn(n_out, n_in, dtype=F64), torch.randn(n_out, dtype=F64)
    x, y = torch.randn(9, n_in, dtype=F64), torch.randn(9, n_out, dtype=F64)
    m = ns["LinearRegression"](n_in, n_out)
    n_parameters = len(list(m.parameters()))
    m.double()
    if n_parameters == 0 or not _set_parameters(m, W, b):
        return {"n_parameters": n_parameters, "out": None}
    optimizer = torch.optim.SGD(m.parameters(), lr=0.3)
    for _ in range(2):
        loss = F.mse_loss(m(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        return {"n_parameters": n_parameters, "out": describe(m(x))}


@probe(exercise=1)
def linreg_device(ns):
    """model.to("meta") (a device without values, standing in for a GPU), then forward on meta inputs."""
    n_in, n_out = FORWARD_SIZE
    m = ns["LinearRegression"](n_in, n_out).to("meta")
    moved = [isinstance(p, torch.Tensor) and p.device.type == "meta" for p in (m.weight, m.bias)]
    out, error = attempt(m, torch.empty(5, n_in, device="meta"))
    data = {"moved": moved, "error": error, "out_on_meta": None, "out_shape": None}
    if isinstance(out, torch.Tensor):
        data["out_on_meta"], data["out_shape"] = out.device.type == "meta", list(out.shape)
    return data


MODELS = "LinearRegression(in_features, out_features) for sizes other than the notebook's"


@weight(2)
def test_exercise1_parameters_registered(probes):
    got, want = probes("linreg_structure")
    for g, w in zip(got, want, strict=True):
        expect(
            g["is_module"] is True,
            "LinearRegression should be an nn.Module (keep `class LinearRegression(nn.Module)`).",
        )
        hint = None
        if g["weight"]["type"] == "Tensor" and g["weight_is_parameter"] is not True:
            hint = (
                "wrap each tensor in nn.Parameter(...) and assign it as self.weight / self.bias: a plain tensor "
                "with requires_grad=True is not registered, so model.parameters() and model.double() miss it"
            )
        expect(
            g["named"] == w["named"],
            f"{MODELS}: named_parameters() should give exactly {w['named']}.",
            hint,
        )


def test_exercise1_shapes(probes):
    got, want = probes("linreg_structure")
    for g, w in zip(got, want, strict=True):
        for attr, layout in (("weight", "(out_features, in_features)"), ("bias", "(out_features,)")):
            gs, ws = g[attr], w[attr]
            expect(gs["type"] == "Tensor", f"{MODELS}: self.{attr} should be an nn.Parameter, got {gs['type']}.")
            shape, want_shape = tuple(gs["value"].shape), tuple(ws["value"].shape)
            hint = None
            if attr == "weight" and shape == want_shape[::-1]:
                hint = "you stored the transposed matrix: keep (out_features, in_features), like nn.Linear, and use x @ weight.T"
            expect(shape == want_shape, f"{MODELS}: self.{attr} should have shape {layout}.", hint)
            expect(
                gs["requires_grad"] is True, f"{MODELS}: self.{attr} should require gradients (an nn.Parameter does)."
            )


def test_exercise1_default_dtype(probes):
    got, want = probes("linreg_structure")
    for g, w in zip(got, want, strict=True):
        for attr in ("weight", "bias"):
            expect(
                g[attr]["value"].dtype == w[attr]["value"].dtype,
                f"{MODELS}: self.{attr} should be created in torch's default dtype ({w[attr]['value'].dtype}).",
            )
    got, want = probes("linreg_default_dtype")
    for g, w, attr in zip(got, want, ("weight", "bias"), strict=True):
        expect(
            g == w,
            f"with torch.set_default_dtype(torch.float64), self.{attr} should be float64: create the parameters in "
            "torch's default dtype.",
            "do not pass dtype=torch.float32 (or call .float()): torch.empty(...) uses the default dtype",
        )


def test_exercise1_initial_values(probes):
    got, want = probes("linreg_structure")
    scaled, biases = [], []
    for g, w in zip(got, want, strict=True):
        k = 1 / math.sqrt(w["in_features"])
        for attr in ("weight", "bias"):
            state = g[attr]
            expect(state["type"] == "Tensor", f"{MODELS}: self.{attr} should be an nn.Parameter, got {state['type']}.")
            values = state["value"].to(F64).reshape(-1) / k
            largest = values.abs().max().item() if values.numel() else 0.0
            expect(
                bool(torch.isfinite(values).all()) and largest <= 1 + 1e-6,
                f"{MODELS}: every initial entry of self.{attr} should lie in [-k, k] with k = 1/sqrt(in_features); "
                f"found an entry of {largest:.2f} k.",
                "draw them like nn.Linear: torch.empty(...).uniform_(-k, k) with k = 1 / in_features ** 0.5 (not torch.randn)",
            )
            scaled.append(values)
            if attr == "bias":
                biases.append(values)
    everything = torch.cat(scaled)
    expect(
        everything.max().item() > 0.9 and everything.min().item() < -0.9,
        "the initial weights and biases should be spread uniformly over the whole range [-k, k] "
        f"(k = 1/sqrt(in_features)); over the sizes tested they stay in [{everything.min().item():.2f} k, "
        f"{everything.max().item():.2f} k].",
    )
    expect(
        torch.cat(biases).unique().numel() > 1, "the initial bias should be random, uniform in [-k, k], not constant."
    )


def _settable(got):
    expect(
        got["settable"] is True,
        f"{MODELS}: the check could not set known values into self.weight and self.bias.",
        "weight is (out_features, in_features) and bias (out_features,), like nn.Linear",
    )


def _forward_ran(got, what):
    if got["error"] is not None:
        hint = None
        if got["registered"] is not True:
            hint = "register the parameters with nn.Parameter, so that model.double() converts them to float64"
        expect(False, f"{what}: your code {got['error']}.", hint)


@weight(2)
def test_exercise1_forward(probes):
    got, want = probes("linreg_forward")
    _settable(got)
    what = "model(x) after model.double(), with known float64 parameters and many rows of x"
    _forward_ran(got, what)
    out = got["out"]
    expect(out["type"] == "Tensor", f"{what} should return a torch.Tensor, got {out['type']}.")
    ref = want["out"]["value"]
    expect(
        out["value"].dtype == ref.dtype,
        f"{what} should have dtype {ref.dtype}, got {out['value'].dtype}.",
        "register the parameters with nn.Parameter so that model.double() converts them",
    )
    hint = None
    if out["value"].shape == ref.shape and torch.allclose(
        out["value"].to(F64) + want["bias"], ref, rtol=1e-9, atol=1e-12
    ):
        hint = "add the bias: forward returns x @ self.weight.T + self.bias"
    expect_close(out["value"], ref, what, rtol=1e-10, atol=1e-12, hint=hint)
    one = got["one_row"]
    expect(one["type"] == "Tensor", f"model(x) for a single row should return a torch.Tensor, got {one['type']}.")
    expect_close(one["value"], want["one_row"]["value"], "model(x) for a single row (N = 1)", rtol=1e-10, atol=1e-12)
    expect(got["x_changed"] is False, "forward should not modify its input x.")


def test_exercise1_gradients_reach_parameters(probes):
    got, want = probes("linreg_forward")
    _settable(got)
    _forward_ran(got, "model(x) after model.double(), with known float64 parameters")
    expect(
        got["out"]["requires_grad"] is True,
        "model(x) should be computed from self.weight and self.bias, so that autograd tracks it.",
    )
    expect(got["grads"] is not None, "backward() through model(x) could not run.")
    for g, w, name in zip(got["grads"], want["grads"], ("weight", "bias"), strict=True):
        expect(
            g["type"] == "Tensor",
            f"after backward() through model(x), self.{name}.grad should be filled.",
            f"use self.{name} in forward",
        )
        expect_close(g["value"], w["value"], f"the gradient of self.{name} after backward()", rtol=1e-10, atol=1e-12)


def test_exercise1_trains_through_parameters(probes):
    got, want = probes("linreg_training")
    expect(
        got["n_parameters"] == want["n_parameters"],
        f"model.parameters() should yield {want['n_parameters']} tensors (weight and bias), so that an optimizer "
        f"finds them; got {got['n_parameters']}.",
        "wrap each tensor in nn.Parameter(...) and assign it to self.weight / self.bias",
    )
    expect(got["out"] is not None, f"{MODELS}: the check could not set known values into self.weight and self.bias.")
    expect(
        got["out"]["type"] == "Tensor", f"model(x) after training should be a torch.Tensor, got {got['out']['type']}."
    )
    expect_close(
        got["out"]["value"],
        want["out"]["value"],
        "model(x) after two torch.optim.SGD(model.parameters(), ...) steps",
        rtol=1e-10,
        atol=1e-12,
    )


def test_exercise1_device(probes):
    got, want = probes("linreg_device")
    expect(
        got["moved"] == want["moved"],
        "after model.to(device) both parameters should be on that device (tested with the meta device).",
        "register them with nn.Parameter, so that .to(device) moves them",
    )
    expect(
        got["error"] is None,
        f"model(x) with the model and x on another device (meta): your code {got['error']}.",
        "create no new tensors in forward, or create them on x.device",
    )
    expect(
        got["out_on_meta"] == want["out_on_meta"] and got["out_shape"] == want["out_shape"],
        "model(x) with the model and x on another device (meta) should return a tensor on that device, of shape "
        "(N, out_features).",
    )


# ================================================================================================
# Exercise 2: fit
# ================================================================================================

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


def _linear(n_in, n_out, W, b):
    model = nn.Linear(n_in, n_out).double()
    with torch.no_grad():
        model.weight.copy_(W)
        model.bias.copy_(b)
    return model


@probe(exercise=2)
def fit_default_loss(ns):
    """fit with the default loss_fn, a non-shuffling DataLoader (last batch smaller) and momentum SGD."""
    X, Y = torch.randn(11, 4, dtype=F64), torch.randn(11, 3, dtype=F64)
    W, b = torch.randn(3, 4, dtype=F64), torch.randn(3, dtype=F64)
    model = _linear(4, 3, W, b)
    loader = DataLoader(TensorDataset(X, Y), batch_size=4, shuffle=False)
    recorder = _StepRecorder(torch.optim.SGD(model.parameters(), lr=0.07, momentum=0.5), model.parameters())
    losses = ns["fit"](model, loader, recorder, FIT_EPOCHS_DEFAULT)
    return {"losses": describe(losses), "points": torch.stack(recorder.points)}


@probe(exercise=2)
def fit_custom_loss(ns):
    """fit with loss_fn=an L1 loss that records its calls, on a plain list of batches (last one smaller)."""
    X, Y = torch.randn(10, 4, dtype=F64), 2 * torch.randn(10, 3, dtype=F64)
    W, b = torch.randn(3, 4, dtype=F64), torch.randn(3, dtype=F64)
    model = _linear(4, 3, W, b)
    batches = [(X[i : i + 4], Y[i : i + 4]) for i in range(0, 10, 4)]
    calls = []

    def loss_fn(preds, yb):
        loss = F.l1_loss(preds, yb)
        calls.append([len(yb), float(loss.detach())])
        return loss

    recorder = _StepRecorder(torch.optim.SGD(model.parameters(), lr=0.05), model.parameters())
    losses = ns["fit"](model, batches, recorder, FIT_EPOCHS_CUSTOM, loss_fn=loss_fn)
    return {"losses": describe(losses), "points": torch.stack(recorder.points), "calls": calls}


@probe(exercise=2)
def fit_zero_epochs(ns):
    """fit(..., epochs=0): an empty list, and no step."""
    X, Y = torch.randn(6, 2, dtype=F64), torch.randn(6, 2, dtype=F64)
    model = _linear(2, 2, torch.randn(2, 2, dtype=F64), torch.randn(2, dtype=F64))
    recorder = _StepRecorder(torch.optim.SGD(model.parameters(), lr=0.1), model.parameters())
    losses = ns["fit"](model, [(X, Y)], recorder, 0)
    return {"losses": describe(losses), "steps": len(recorder.points) - 1}


FIT_DEFAULT = "fit with the default loss_fn, a DataLoader without shuffling whose last batch is smaller, and SGD"
FIT_CUSTOM = "fit with loss_fn=an L1 loss, a plain list of (xb, yb) batches whose last batch is smaller, and SGD"


def _fit_trajectory_hint(got_points, t):
    if torch.equal(got_points[t], got_points[t - 1]):
        return "the parameters did not move: call the optimizer's zero_grad() BEFORE backward(), not between backward() and step()"
    return (
        "call the optimizer's zero_grad() before backward() in every batch (backward adds into .grad) and take "
        "exactly one step() of the optimizer you were given per batch, in the order the loader gives them"
    )


def _check_fit_trajectory(got, want, label):
    got_points, want_points = got["points"], want["points"]
    steps = want_points.shape[0] - 1
    expect(
        isinstance(got_points, torch.Tensor) and got_points.shape == want_points.shape,
        f"{label}: fit should take one optimizer step per batch ({steps} in all, the last, smaller batch included).",
        "iterate over the loader once per epoch and call the optimizer's step() once per batch",
    )
    bad = _mismatch(got_points, want_points)
    if bad:
        t, diff = bad
        expect(
            False,
            f"{label}: after optimizer step {t} the model parameters differ from the expected ones (largest "
            f"difference {diff:.3g}).",
            _fit_trajectory_hint(got_points, t),
        )


def _loss_hint(got, calls, epochs):
    """Recognise the common wrong epoch losses from the reference's recorded batch losses."""
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
        if _close_lists(got, values):
            return hint
    return None


def _check_fit_losses(got, want, label, calls=None):
    values = _floats(got["losses"], want["losses"], f"{label}: the returned list")
    want_values = _floats(want["losses"], want["losses"], "the reference's list")
    if not _close_lists(values, want_values):
        hint = _loss_hint(values, calls, len(want_values)) or (
            "entry e is the batch-size-weighted mean of the losses computed in the forward passes (before each "
            "step) of epoch e: sum(len(xb) * loss.item()) / rows"
        )
        expect(False, f"{label}: the returned epoch losses differ from the expected ones.", hint)


@weight(0.5)
def test_exercise2_returns_list_of_floats(probes):
    got, want = probes("fit_default_loss")
    _floats(got["losses"], want["losses"], f"{FIT_DEFAULT}: the returned list")


@weight(3)
def test_exercise2_parameter_trajectory(probes):
    got, want = probes("fit_default_loss")
    _check_fit_trajectory(got, want, FIT_DEFAULT)


@weight(3.5)
def test_exercise2_epoch_losses(probes):
    got, want = probes("fit_default_loss")
    _check_fit_trajectory(got, want, FIT_DEFAULT)
    values = _floats(got["losses"], want["losses"], f"{FIT_DEFAULT}: the returned list")
    if _close_lists(values, _floats(want["losses"], want["losses"], "the reference's list")):
        return
    hint = None
    custom_got, custom_want = _maybe(probes, "fit_custom_loss")  # its loss_fn recorded the batch losses
    if custom_got is not None:
        try:
            custom = _floats(custom_got["losses"], custom_want["losses"], "")
            hint = _loss_hint(custom, custom_want["calls"], len(custom_want["losses"]["items"]))
        except AssertionError:
            hint = None
    expect(
        False,
        f"{FIT_DEFAULT}: the returned epoch losses differ from the expected ones.",
        hint
        or "entry e is the batch-size-weighted mean of the losses computed in the forward passes (before each "
        "step) of epoch e: sum(len(xb) * loss.item()) / rows",
    )


def test_exercise2_uses_loss_fn(probes):
    got, want = probes("fit_custom_loss")
    expect(
        len(got["calls"]) > 0,
        f"{FIT_CUSTOM}: fit never called loss_fn.",
        "compute the loss with the loss_fn argument, loss_fn(model(xb), yb), not with F.mse_loss",
    )
    _check_fit_trajectory(got, want, FIT_CUSTOM)
    _check_fit_losses(got, want, FIT_CUSTOM, want["calls"])


@weight(0.5)
def test_exercise2_zero_epochs(probes):
    got, want = probes("fit_zero_epochs")
    expect(
        got["losses"]["type"] == want["losses"]["type"] and got["losses"]["items"] == want["losses"]["items"],
        "fit(..., epochs=0) should return an empty list.",
    )
    expect(got["steps"] == want["steps"], "fit(..., epochs=0) should not take any optimizer step.")


# ================================================================================================
# Exercise 3: HandSGD(torch.optim.Optimizer)
# ================================================================================================

SGD_STEPS = 6
SGD_SETTINGS = {  # probe -> list of keyword arguments of HandSGD; labels in words, never the values
    "sgd_plain": [{"lr": 0.07}],
    "sgd_heavy_ball": [{"lr": 0.05, "momentum": 0.9}, {"lr": 0.02, "momentum": 0.6}],
    "sgd_nesterov": [{"lr": 0.03, "momentum": 0.8, "nesterov": True}],
    "sgd_weight_decay": [
        {"lr": 0.05, "weight_decay": 0.3},
        {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.3},
        {"lr": 0.03, "momentum": 0.7, "weight_decay": 0.2, "nesterov": True},
    ],
}


def _momentum_problem(dtype=F64):
    """Random data and four parameters of different shapes (a 0-d one included); the loss is not quadratic."""
    X, Y = torch.randn(8, 5, dtype=dtype), torch.randn(8, 3, dtype=dtype)
    A = torch.randn(4, 2, dtype=dtype)
    init = [
        torch.randn(3, 5, dtype=dtype),
        torch.randn(3, dtype=dtype),
        torch.randn(4, 2, dtype=dtype),
        torch.randn((), dtype=dtype),
    ]

    def loss_of(W, b, c, s):
        return F.mse_loss(X @ W.T + b, Y) + (torch.sin(c) * A).sum() + 2 * (s - 0.3) ** 2

    return init, loss_of


MOMENTUM_SIZES = [15, 3, 8, 1]  # numbers of entries of the four parameters of _momentum_problem


def _settings_runs(ns, name):
    """For every setting of `name`: a run with zero_grad() and a run with gradients zeroed in place."""
    init, loss_of = _momentum_problem()
    runs = []
    for kwargs in SGD_SETTINGS[name]:
        make = lambda ps, kw=kwargs: ns["HandSGD"](ps, **kw)  # noqa: E731
        runs.append([_run_optimizer(make, init, loss_of, SGD_STEPS, in_place) for in_place in (False, True)])
    return runs


@probe(exercise=3)
def sgd_plain(ns):
    """HandSGD without momentum: six steps on four float64 parameters, gradients zeroed both ways."""
    return _settings_runs(ns, "sgd_plain")


@probe(exercise=3)
def sgd_heavy_ball(ns):
    """HandSGD with heavy-ball momentum, two settings, gradients zeroed by zero_grad() or in place."""
    return _settings_runs(ns, "sgd_heavy_ball")


@probe(exercise=3)
def sgd_nesterov(ns):
    """HandSGD with Nesterov momentum, gradients zeroed both ways."""
    return _settings_runs(ns, "sgd_nesterov")


@probe(exercise=3)
def sgd_weight_decay(ns):
    """HandSGD with weight decay: plain, with heavy-ball and with Nesterov momentum."""
    return _settings_runs(ns, "sgd_weight_decay")


@probe(exercise=3)
def sgd_defaults(ns):
    """HandSGD(params) and HandSGD(params, momentum=...) with the other arguments left at their defaults."""
    init, loss_of = _momentum_problem()
    return [
        _run_optimizer(lambda ps: ns["HandSGD"](ps), init, loss_of, SGD_STEPS),
        _run_optimizer(lambda ps: ns["HandSGD"](ps, momentum=0.9), init, loss_of, SGD_STEPS, in_place=True),
    ]


@probe(exercise=3)
def sgd_groups(ns):
    """Two parameter groups with settings of their own, the learning rates changed after step 3 (as a
    scheduler does), gradients zeroed in place."""
    init, loss_of = _momentum_problem()
    params = [t.clone().requires_grad_() for t in init]
    groups = [
        {"params": params[:2], "momentum": 0.9},
        {"params": params[2:], "lr": 0.02, "weight_decay": 0.0, "nesterov": True},
    ]
    optimizer = ns["HandSGD"](groups, lr=0.05, momentum=0.5, weight_decay=0.2)
    points = [_flat(params)]
    for step in range(SGD_STEPS):
        if step == 3:
            for group in optimizer.param_groups:
                group["lr"] *= 0.5
        loss = loss_of(*params)
        for p in params:
            if p.grad is not None:
                p.grad.zero_()
        loss.backward()
        optimizer.step()
        points.append(_flat(params))
    return {"points": torch.stack(points)}


@probe(exercise=3)
def sgd_closure(ns):
    """Training by step(closure) alone: calls per step, returned values, then step() without a closure."""
    init, loss_of = _momentum_problem()
    params = [t.clone().requires_grad_() for t in init]
    optimizer = ns["HandSGD"](params, lr=0.05, momentum=0.9)
    calls = []

    def closure():
        calls.append(1)
        optimizer.zero_grad()
        loss = loss_of(*params)
        loss.backward()
        return loss

    points, returned, per_step, errors = [_flat(params)], [], [], []
    for _ in range(3):
        before = len(calls)
        value, error = attempt(optimizer.step, closure)
        errors.append(error)
        per_step.append(len(calls) - before)
        returned.append(describe(value))
        points.append(_flat(params))
    plain = describe(optimizer.step()) if all(e is None for e in errors) else None
    return {"errors": errors, "calls": per_step, "returned": returned, "points": torch.stack(points), "plain": plain}


@probe(exercise=3)
def sgd_state_dict(ns):
    """Checkpoints: HandSGD's state_dict (gradients zeroed in place) loaded into a new HandSGD, and
    torch.optim.SGD's (with weight decay) loaded into HandSGD."""
    init, loss_of = _momentum_problem()
    own_kwargs, torch_kwargs = {"lr": 0.05, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.1}
    fresh = lambda ps: ns["HandSGD"](ps)  # noqa: E731  (defaults: load_state_dict must restore the settings)
    own = _run_optimizer(lambda ps: ns["HandSGD"](ps, **own_kwargs), init, loss_of, SGD_STEPS, True, resume=fresh)
    from_torch = _run_optimizer(lambda ps: torch.optim.SGD(ps, **torch_kwargs), init, loss_of, SGD_STEPS, resume=fresh)
    return {"own": own["points"], "from_torch": from_torch["points"]}


@probe(exercise=3)
def sgd_skips_missing_grad(ns):
    """A parameter that never gets a gradient (its .grad stays None) must be left alone; a group may have none."""
    init, loss_of = _momentum_problem()
    z0 = torch.randn(2, 3, dtype=F64)
    params = [t.clone().requires_grad_() for t in init]
    z = z0.clone().requires_grad_()
    optimizer = ns["HandSGD"](
        [{"params": [params[0], z, *params[1:]]}, {"params": [z.new_ones(3).requires_grad_()]}],
        lr=0.05,
        momentum=0.9,
        weight_decay=0.1,
    )
    for _ in range(3):
        loss = loss_of(*params)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {"z": z.detach().clone()}


@probe(exercise=3)
def sgd_float32(ns):
    """Heavy-ball momentum with weight decay on float32 parameters."""
    init, loss_of = _momentum_problem(torch.float32)
    make = lambda ps: ns["HandSGD"](ps, lr=0.05, momentum=0.9, weight_decay=0.1)  # noqa: E731
    params = [t.clone().requires_grad_() for t in init]
    optimizer = make(params)
    points = [_flat(params)]
    for _ in range(SGD_STEPS):
        loss = loss_of(*params)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        points.append(_flat(params))
    return {"points": torch.stack(points), "float32": [p.dtype == torch.float32 for p in params]}


def _meta_run(make_optimizer, steps=2):
    """Parameters on the meta device (shapes, no values: a stand-in for a GPU); errors of step() as data."""
    params = [
        torch.empty(3, 4, device="meta", dtype=F64).requires_grad_(),
        torch.empty(2, device="meta", dtype=F64).requires_grad_(),
    ]
    optimizer = make_optimizer(params)
    errors = []
    for _ in range(steps):
        loss = sum((p * p).sum() for p in params)
        optimizer.zero_grad()
        loss.backward()
        errors.append(attempt(optimizer.step)[1])
    return {"errors": errors, "on_meta": [p.device.type == "meta" for p in params]}


@probe(exercise=3)
def sgd_device(ns):
    """Nesterov momentum with weight decay on parameters that live on another device (meta)."""
    return _meta_run(lambda ps: ns["HandSGD"](ps, lr=0.1, momentum=0.9, weight_decay=0.1, nesterov=True))


SGD_LABELS = {
    "sgd_plain": "HandSGD without momentum",
    "sgd_heavy_ball": "HandSGD with heavy-ball momentum",
    "sgd_nesterov": "HandSGD with Nesterov momentum",
    "sgd_weight_decay": "HandSGD with weight decay",
}
ON_INPUTS = f"on four parameters of different shapes (a 0-d one among them), {RANDOM_INPUTS}"


def _sgd_hint(kwargs: dict, in_place: bool, other_ok: bool, t: int, got_points, want_points) -> str:
    mu, decay, nesterov = kwargs.get("momentum", 0.0), kwargs.get("weight_decay", 0.0), kwargs.get("nesterov", False)
    if in_place and other_ok:
        return (
            "it works when zero_grad() sets the gradients to None but not when they are zeroed in place (zero_() "
            "on p.grad): store a copy as the buffer (torch.clone(d).detach()), never p.grad itself"
        )
    if decay and mu:
        return "add weight_decay * p to the gradient BEFORE the momentum buffer: d = g + weight_decay * p, then b = momentum * b + d"
    if decay:
        return "with weight decay the step is lr * (p.grad + weight_decay * p)"
    if mu == 0:
        return "with momentum=0 the step is plain SGD: p <- p - lr * p.grad"
    if t == 1:
        recognised = ratio_hint(
            got_points[0] - got_points[1],
            want_points[0] - want_points[1],
            {
                1
                / (
                    1 + mu
                ): "Nesterov steps along d + momentum * b, where b = d on the first step: (1 + momentum) * d, not b alone",
                1 - mu: "no (1 - momentum) factor: the buffer is b = momentum * b + d (dampening 0), starting at b = d",
                1 + mu: "heavy ball steps along b alone; only Nesterov adds momentum * b to d",
            },
        )
        return recognised or "on the first step the buffer is d itself, b = d"
    if nesterov:
        return (
            "step 1 matched: keep the buffer between calls of step() in self.state[p]['momentum_buffer'], update it "
            "as b = momentum * b + d, and step along d + momentum * b"
        )
    return (
        "step 1 matched: keep the buffer between calls of step() in self.state[p]['momentum_buffer'] and update it "
        "as b = momentum * b + d (no (1 - momentum) factor)"
    )


def _momentum_ok(probes) -> bool:
    """Did the student's heavy-ball runs (no weight decay) follow torch's?"""
    got, want = _maybe(probes, "sgd_heavy_ball")
    if got is None:
        return False
    try:
        return all(
            _mismatch(run["points"], ref["points"]) is None
            for runs, refs in zip(got, want, strict=True)
            for run, ref in zip(runs, refs, strict=True)
        )
    except (KeyError, TypeError, ValueError):
        return False


def _check_sgd(probes, name):
    got, want = probes(name)
    label = SGD_LABELS[name]
    for runs, refs, kwargs in zip(got, want, SGD_SETTINGS[name], strict=True):
        results = [_mismatch(run["points"], ref["points"]) for run, ref in zip(runs, refs, strict=True)]
        for in_place, (run, ref, bad) in enumerate(zip(runs, refs, results, strict=True)):
            if bad is None:
                continue
            t, diff = bad
            how = "gradients zeroed in place (zero_() on p.grad)" if in_place else "zero_grad()"
            hint = _sgd_hint(kwargs, bool(in_place), results[1 - in_place] is None, t, run["points"], ref["points"])
            if name == "sgd_weight_decay" and kwargs.get("momentum") and not _momentum_ok(probes):
                hint = "the momentum runs without weight decay differ too: fix the momentum buffer first (see above)"
            expect(
                False,
                f"{label} {ON_INPUTS}, {how} between steps: after step {t} the parameters differ from "
                f"torch.optim.SGD's trajectory (largest difference {diff:.3g}; the steps before matched).",
                hint,
            )


@weight(1)
def test_exercise3_plain_sgd(probes):
    _check_sgd(probes, "sgd_plain")


@weight(3)
def test_exercise3_heavy_ball(probes):
    _check_sgd(probes, "sgd_heavy_ball")


@weight(2)
def test_exercise3_nesterov(probes):
    _check_sgd(probes, "sgd_nesterov")


@weight(2)
def test_exercise3_weight_decay(probes):
    _check_sgd(probes, "sgd_weight_decay")


def test_exercise3_defaults(probes):
    got, want = probes("sgd_defaults")
    labels = (
        "HandSGD(params) with every argument at its default",
        "HandSGD(params, momentum=...) with weight_decay and nesterov at their defaults (gradients zeroed in place)",
    )
    for run, ref, label in zip(got, want, labels, strict=True):
        bad = _mismatch(run["points"], ref["points"])
        expect(
            bad is None,
            f"{label} should follow torch.optim.SGD with the same arguments; step {bad and bad[0]} differs.",
            "keep torch's defaults (lr=1e-3, momentum=0, weight_decay=0, nesterov=False) and read every setting "
            "from the parameter's group",
        )


@weight(1.5)
def test_exercise3_param_groups(probes):
    got, want = probes("sgd_groups")
    bad = _mismatch(got["points"], want["points"])
    expect(
        bad is None,
        "HandSGD with two parameter groups of their own settings, learning rates changed between steps (as a "
        f"scheduler does): after step {bad and bad[0]} the parameters differ from torch.optim.SGD's.",
        "loop over self.param_groups and read group['lr'], group['momentum'], group['weight_decay'] and "
        "group['nesterov'] at every step, never self.defaults or values saved in __init__",
    )


@weight(1.5)
def test_exercise3_closure(probes):
    got, want = probes("sgd_closure")
    _no_errors(
        got["errors"],
        want["errors"],
        "step(closure)",
        "call the closure first, inside a `torch.enable_grad()` block (step runs under torch.no_grad())",
    )
    expect(got["calls"] == want["calls"], "step(closure) should call the closure exactly once per step.")
    for g, w in zip(got["returned"], want["returned"], strict=True):
        expect(
            g["type"] == w["type"],
            f"step(closure) should return what the closure returned ({w['type']}), got {g['type']}.",
            "return the value the closure returned",
        )
    expect_close(  # the first one is the loss at the starting point, whatever the update does
        got["returned"][0]["value"],
        want["returned"][0]["value"],
        "the value the first step(closure) returned",
        rtol=1e-12,
        atol=1e-12,
        hint="return the closure's own return value",
    )
    bad = _mismatch(got["points"], want["points"])
    expect(
        bad is None,
        f"training with step(closure) alone (the closure computes the gradients): after step {bad and bad[0]} the "
        "parameters differ.",
        "call the closure BEFORE reading any p.grad: it fills the gradients the update uses",
    )
    expect(
        got["plain"] is not None and got["plain"]["type"] == "NoneType", "step() without a closure should return None."
    )


@weight(1.5)
def test_exercise3_state_dict(probes):
    got, want = probes("sgd_state_dict")
    bad = _mismatch(got["own"], want["own"])
    expect(
        bad is None,
        "HandSGD with momentum, checkpointed after a few steps with state_dict() and loaded into a new HandSGD "
        f"(gradients zeroed in place): after step {bad and bad[0]} the parameters differ from an uninterrupted run.",
        "keep the buffer in self.state[p]['momentum_buffer'] (state_dict() saves self.state and the groups) and "
        "read the settings from self.param_groups",
    )
    bad = _mismatch(got["from_torch"], want["from_torch"])
    expect(
        bad is None,
        "a torch.optim.SGD checkpoint (state_dict) loaded into HandSGD should continue the same trajectory; after "
        f"step {bad and bad[0]} the parameters differ.",
        "name the buffer 'momentum_buffer', as torch does, and create it only when the state has none",
    )


@weight(0.5)
def test_exercise3_skips_parameters_without_grad(probes):
    got, want = probes("sgd_skips_missing_grad")
    expect_close(
        got["z"],
        want["z"],
        "a parameter whose .grad stays None (HandSGD with momentum and weight decay) should not change",
        rtol=0,
        atol=0,
        hint="skip parameters whose .grad is None, before weight decay and momentum",
    )


@weight(0.5)
def test_exercise3_parameters_stay_leaves(probes):
    for name in SGD_SETTINGS:
        got, want = probes(name)
        for runs, refs in zip(got, want, strict=True):
            for run, ref in zip(runs, refs, strict=True):
                expect(
                    run["leaves"] == ref["leaves"],
                    f"after {SGD_LABELS[name]}.step() the parameters should still be leaf tensors with requires_grad=True.",
                    "update them in place under torch.no_grad(), with p.add_(...) or p.sub_(...)",
                )


@weight(0.5)
def test_exercise3_float32(probes):
    got, want = probes("sgd_float32")
    bad = _mismatch(got["points"], want["points"], rtol=1e-5, atol=1e-7)
    expect(
        bad is None,
        f"HandSGD with momentum and weight decay on float32 parameters: after step {bad and bad[0]} the parameters "
        "differ.",
        "if the float64 checks pass, look for a tensor created with a fixed dtype: derive the buffer from d",
    )
    expect(
        got["float32"] == want["float32"],
        "HandSGD.step() on float32 parameters should keep them float32.",
        "update the parameters in place; never replace them (or p.data) with tensors of another dtype",
    )


@weight(0.5)
def test_exercise3_device(probes):
    got, want = probes("sgd_device")
    _no_errors(
        got["errors"],
        want["errors"],
        "HandSGD.step() on parameters on another device (meta, standing in for a GPU)",
        "create new tensors from p or d (torch.clone, torch.zeros_like), so they live on p's device",
    )
    expect(got["on_meta"] == want["on_meta"], "after HandSGD.step() the parameters should stay on their device.")


# ================================================================================================
# Exercise 4: HandAdam(torch.optim.Optimizer)
# ================================================================================================

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
    """HandAdam(params) with its default arguments, a few steps on four float64 parameters."""
    init, loss_of = _momentum_problem()
    return _run_optimizer(lambda ps: ns["HandAdam"](ps), init, loss_of, ADAM_DEFAULT_STEPS)


@probe(exercise=4)
def adam_tuned(ns):
    """HandAdam with a larger eps and other betas, gradients zeroed by zero_grad() and in place."""
    init, loss_of = _momentum_problem()
    make = lambda ps: ns["HandAdam"](ps, **ADAM_TUNED)  # noqa: E731
    return [_run_optimizer(make, init, loss_of, ADAM_TUNED_STEPS, in_place) for in_place in (False, True)]


@probe(exercise=4)
def adam_groups(ns):
    """Two parameter groups with their own lr, betas and eps; the learning rates changed after step 3."""
    init, loss_of = _momentum_problem()
    params = [t.clone().requires_grad_() for t in init]
    groups = [{"params": params[:2]}, {"params": params[2:], "lr": 0.02, "betas": (0.5, 0.6), "eps": 1e-2}]
    optimizer = ns["HandAdam"](groups, **ADAM_TUNED)
    points = [_flat(params)]
    for step in range(6):
        if step == 3:
            for group in optimizer.param_groups:
                group["lr"] *= 0.5
        loss = loss_of(*params)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        points.append(_flat(params))
    return {"points": torch.stack(points)}


@probe(exercise=4)
def adam_skips(ns):
    """A parameter with a gradient only at some steps, and one that never gets a gradient (alone in its group)."""
    init, loss_of = _momentum_problem()
    a, z0, never0 = torch.randn(2, 3, dtype=F64), torch.randn(2, 3, dtype=F64), torch.randn(4, dtype=F64)
    params = [t.clone().requires_grad_() for t in init]
    z, never = z0.clone().requires_grad_(), never0.clone().requires_grad_()
    optimizer = ns["HandAdam"]([{"params": [*params, z]}, {"params": [never]}], **ADAM_TUNED)
    points = [_flat([*params, z])]
    for step in range(6):
        loss = loss_of(*params)
        if step not in (2, 3):
            loss = loss + (torch.cos(z) * a).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        points.append(_flat([*params, z]))
    return {"points": torch.stack(points), "never": never.detach().clone()}


@probe(exercise=4)
def adam_state_dict(ns):
    """HandAdam checkpointed after three steps with state_dict() and loaded into a new HandAdam."""
    init, loss_of = _momentum_problem()
    fresh = lambda ps: ns["HandAdam"](ps)  # noqa: E731
    return _run_optimizer(lambda ps: ns["HandAdam"](ps, **ADAM_TUNED), init, loss_of, 6, resume=fresh)["points"]


@probe(exercise=4)
def adam_closure(ns):
    """Training by step(closure) alone, and step() without a closure."""
    init, loss_of = _momentum_problem()
    params = [t.clone().requires_grad_() for t in init]
    optimizer = ns["HandAdam"](params, **ADAM_TUNED)

    def closure():
        optimizer.zero_grad()
        loss = loss_of(*params)
        loss.backward()
        return loss

    points, returned, errors = [_flat(params)], [], []
    for _ in range(3):
        value, error = attempt(optimizer.step, closure)
        errors.append(error)
        returned.append(describe(value))
        points.append(_flat(params))
    plain = describe(optimizer.step()) if all(e is None for e in errors) else None
    return {"errors": errors, "returned": returned, "points": torch.stack(points), "plain": plain}


@probe(exercise=4)
def adam_device(ns):
    """HandAdam on parameters that live on another device (meta)."""
    return _meta_run(lambda ps: ns["HandAdam"](ps, **ADAM_TUNED))


def _adam_first_step_hint(got_case, want_case, hyper) -> str | None:
    """Recognise missing bias correction and eps inside the square root from the first step's size."""
    beta1, beta2 = hyper["betas"]
    eps = hyper["eps"]
    grad = want_case["grad"].abs()
    step_got, step_want = got_case["step"], want_case["step"]
    if not isinstance(step_got, torch.Tensor) or step_got.shape != step_want.shape:
        return None
    if not bool(torch.isfinite(step_got).all()):
        return None
    ratio = step_got / step_want
    large = grad >= 10  # far above eps and sqrt(eps): the reference step is lr * sign(g)
    tiny = grad <= 1e-6  # far below eps: the reference step is lr * g / eps

    def near(values, target, rtol):
        return bool(((values - target).abs() <= rtol * abs(target)).all())

    bias = {
        (1 - beta1) / math.sqrt(1 - beta2): "divide m by (1 - beta1 ** t) and v by (1 - beta2 ** t)",
        1 / math.sqrt(1 - beta2): "v needs its own bias correction too: v_hat = v / (1 - beta2**t)",
        1 - beta1: "m needs its own bias correction too: m_hat = m / (1 - beta1**t)",
    }
    for factor, how in bias.items():
        if near(ratio[large], factor, 1e-3):
            return (
                "for large gradients your first step is a fixed multiple of torch's: the bias correction is missing; "
                f"{how} with t = 1 on the first step, so that the first step has length about lr in every coordinate"
            )
    if eps > 1e-6 and near(ratio[large], 1.0, 1e-3) and bool(tiny.any()) and near(ratio[tiny], math.sqrt(eps), 1e-2):
        return (
            "your steps match for large gradients but not for tiny ones: eps is inside the square root; add it "
            "outside, sqrt(v_hat) + eps"
        )
    return None


def _adam_hint_from_first_step(probes) -> str | None:
    got, want = _maybe(probes, "adam_first_step")
    if got is None:
        return None
    for g, w, hyper in zip(got, want, (ADAM_DEFAULTS, ADAM_TUNED), strict=True):
        hint = _adam_first_step_hint(g, w, hyper)
        if hint:
            return hint
    return None


ADAM_FIRST = ("HandAdam([p]) with the default lr, betas and eps", "HandAdam([p]) with a larger eps and other betas")


@weight(2)
def test_exercise4_first_step(probes):
    got, want = probes("adam_first_step")
    recognised = [
        _adam_first_step_hint(g, w, h) for g, w, h in zip(got, want, (ADAM_DEFAULTS, ADAM_TUNED), strict=True)
    ]
    general = next((h for h in recognised if h), None) or (
        "at step 1, m_hat = g and v_hat = g * g after bias correction, so the step is lr * g / (|g| + eps), with eps "
        "outside the square root"
    )
    for g, w, label in zip(got, want, ADAM_FIRST, strict=True):
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
        run["leaves"] == ref["leaves"],
        f"after {label}.step() the parameters should still be leaf tensors with requires_grad=True.",
        "update them in place under torch.no_grad(), e.g. p.sub_(...)",
    )
    bad = _mismatch(run["points"], ref["points"])
    if bad is None:
        return
    t, diff = bad
    hint = None
    if t == 1 and isinstance(run["points"], torch.Tensor) and run["points"].shape == ref["points"].shape:
        matches = [
            torch.allclose(a, b, rtol=RTOL, atol=ATOL)
            for a, b in zip(
                torch.split(run["points"][1], MOMENTUM_SIZES),
                torch.split(ref["points"][1], MOMENTUM_SIZES),
                strict=True,
            )
        ]
        if matches[0] and not all(matches):
            hint = (
                "the first parameter matched but the later ones did not: count the steps per parameter in "
                "self.state[p], advanced once per step, not once for every parameter of a step"
            )
    hint = hint or _adam_hint_from_first_step(probes)
    if hint is None and t > 1:
        hint = (
            "step 1 matched, later ones did not: keep m, v and the step count between calls of step() in "
            "self.state[p] (create them at the parameter's first step, then update them), and use t = 1, 2, ... "
            "in the bias correction"
        )
    expect(
        False,
        f"{label} {ON_INPUTS}: after step {t} the parameters differ from torch.optim.Adam's trajectory "
        f"(largest difference {diff:.3g}).",
        hint
        or "at step 1 the update is lr * m_hat / (sqrt(v_hat) + eps) with m = (1 - beta1) * g, v = (1 - beta2) * g * g, "
        "m_hat = m / (1 - beta1**t), v_hat = v / (1 - beta2**t), t = 1",
    )


@weight(1.5)
def test_exercise4_default_arguments(probes):
    got, want = probes("adam_default_args")
    _check_adam_run(got, want, "HandAdam(params) with the default lr, betas and eps", probes)


@weight(3)
def test_exercise4_trajectory(probes):
    got, want = probes("adam_tuned")
    labels = (
        "HandAdam with a larger eps and other betas, zero_grad() between steps",
        "HandAdam with a larger eps and other betas, gradients zeroed in place between steps",
    )
    for run, ref, label in zip(got, want, labels, strict=True):
        _check_adam_run(run, ref, label, probes)


def test_exercise4_param_groups(probes):
    got, want = probes("adam_groups")
    bad = _mismatch(got["points"], want["points"])
    expect(
        bad is None,
        "HandAdam with two parameter groups of their own lr, betas and eps, learning rates changed between steps: "
        f"after step {bad and bad[0]} the parameters differ from torch.optim.Adam's.",
        "read group['lr'], group['betas'] and group['eps'] from each parameter's group at every step",
    )


def test_exercise4_skips_parameters_without_grad(probes):
    got, want = probes("adam_skips")
    expect_close(
        got["never"],
        want["never"],
        "a parameter whose .grad stays None should not change",
        rtol=0,
        atol=0,
        hint="skip parameters whose .grad is None",
    )
    bad = _mismatch(got["points"], want["points"])
    expect(
        bad is None,
        "a parameter that has a gradient only at some steps: after step "
        f"{bad and bad[0]} the parameters differ from torch.optim.Adam's.",
        "a parameter skipped at a step keeps its m, v and its own step count t: count steps per parameter in "
        "self.state[p], not once per call of step()",
    )


def test_exercise4_state_dict(probes):
    got, want = probes("adam_state_dict")
    bad = _mismatch(got, want)
    expect(
        bad is None,
        "HandAdam checkpointed after a few steps with state_dict() and loaded into a new HandAdam: after step "
        f"{bad and bad[0]} the parameters differ from an uninterrupted run.",
        "keep m, v and the step count in self.state[p] (not in attributes of the optimizer), so that state_dict() "
        "saves them",
    )


def test_exercise4_closure(probes):
    got, want = probes("adam_closure")
    _no_errors(
        got["errors"],
        want["errors"],
        "HandAdam.step(closure)",
        "call the closure first, inside a `torch.enable_grad()` block, as in exercise 3",
    )
    for g, w in zip(got["returned"], want["returned"], strict=True):
        expect(
            g["type"] == w["type"],
            f"step(closure) should return what the closure returned ({w['type']}), got {g['type']}.",
        )
    bad = _mismatch(got["points"], want["points"])
    expect(
        bad is None,
        f"training HandAdam with step(closure) alone: after step {bad and bad[0]} the parameters differ.",
        "call the closure BEFORE reading any p.grad",
    )
    expect(
        got["plain"] is not None and got["plain"]["type"] == "NoneType", "step() without a closure should return None."
    )


@weight(0.5)
def test_exercise4_device(probes):
    got, want = probes("adam_device")
    _no_errors(
        got["errors"],
        want["errors"],
        "HandAdam.step() on parameters on another device (meta, standing in for a GPU)",
        "create m and v with torch.zeros_like(p), so they live on p's device",
    )
    expect(got["on_meta"] == want["on_meta"], "after HandAdam.step() the parameters should stay on their device.")


# ================================================================================================
# Exercise 5: l2_penalty and DecoupledWeightDecay
# ================================================================================================

DECAY = 0.3
DECAY_HYPER = {"lr": 0.05, "betas": (0.8, 0.9), "eps": 1e-3}
DECAY_STEPS = 8


def _decay_problem():
    X, Y = torch.randn(9, 5, dtype=F64), torch.randn(9, 3, dtype=F64)
    init = [torch.randn(3, 5, dtype=F64), torch.randn(3, dtype=F64)]

    def loss_of(W, b):
        return F.mse_loss(X @ W.T + b, Y)

    return init, loss_of


@probe(exercise=5)
def l2_penalty_value(ns):
    """l2_penalty of float64 parameters of several shapes (a list), its gradient, and the same from a generator."""
    values = [
        torch.randn(3, 5, dtype=F64),
        torch.randn(3, dtype=F64),
        torch.randn(2, 3, 2, dtype=F64),
        torch.randn((), dtype=F64),
    ]
    params = [v.clone().requires_grad_() for v in values]
    penalty = ns["l2_penalty"](params, 0.37)
    data = {"penalty": describe(penalty), "grads": None}
    if isinstance(penalty, torch.Tensor) and penalty.requires_grad and penalty.numel() == 1:
        penalty.sum().backward()
        data["grads"] = [describe(p.grad) for p in params]
    data["changed"] = any(not torch.equal(p.detach(), v) for p, v in zip(params, values, strict=True))
    fresh = [v.clone().requires_grad_() for v in values]
    data["from_generator"] = describe(ns["l2_penalty"]((p for p in fresh), 0.37))
    return data


@probe(exercise=5)
def adam_with_l2(ns):
    """torch.optim.Adam on mse + l2_penalty([W, b], ...), several steps in float64."""
    init, loss_of = _decay_problem()
    penalised = lambda W, b: loss_of(W, b) + ns["l2_penalty"]([W, b], DECAY)  # noqa: E731
    return _run_optimizer(lambda ps: torch.optim.Adam(ps, **DECAY_HYPER), init, penalised, DECAY_STEPS)


@probe(exercise=5)
def decoupled_adam(ns):
    """DecoupledWeightDecay(torch.optim.Adam(...), ...); plus torch's Adam with L2 as hint material."""
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


L2_LABELS = {
    "penalty": "l2_penalty(params, weight_decay) for a list of float64 tensors of several shapes",
    "from_generator": "l2_penalty(params, weight_decay) for a generator of tensors, like model.parameters()",
}


@weight(1.5)
def test_exercise5_l2_penalty_value(probes):
    got, want = probes("l2_penalty_value")
    for key, label in L2_LABELS.items():
        value = got[key]
        expect(
            value["type"] == "Tensor",
            f"{label} should return a 0-d tensor, got {value['type']}.",
            "no .item() or float(): keep the result a tensor",
        )
        ref = want[key]["value"]
        expect(value["value"].dim() == 0, f"{label} should be a 0-d tensor.", "sum over every entry of every parameter")
        hint = ratio_hint(value["value"], ref, {2.0: "weight_decay / 2 times the sum of squares: the 1/2 is missing"})
        expect_close(
            value["value"],
            ref,
            label,
            rtol=1e-10,
            atol=1e-12,
            hint=hint or "(weight_decay / 2) * the sum of the squares of every entry of every parameter",
        )
    expect(got["changed"] is False, "l2_penalty should not modify the parameters.")


def test_exercise5_l2_penalty_is_differentiable(probes):
    got, want = probes("l2_penalty_value")
    expect(
        got["penalty"]["requires_grad"] is True,
        "l2_penalty should return a tensor that autograd can differentiate (no .item(), no torch.no_grad()).",
    )
    expect(got["grads"] is not None, "backward() through l2_penalty could not run.")
    for i, (g, w) in enumerate(zip(got["grads"], want["grads"], strict=True), start=1):
        expect(g["type"] == "Tensor", f"after backward() through l2_penalty, parameter {i} should have a gradient.")
        expect_close(
            g["value"],
            w["value"],
            f"the gradient of l2_penalty for parameter {i}",
            rtol=1e-10,
            atol=1e-12,
            hint="its gradient must be weight_decay * p",
        )


def test_exercise5_adam_with_l2_penalty(probes):
    got, want = probes("adam_with_l2")
    bad = _mismatch(got["points"], want["points"])
    expect(
        bad is None,
        "torch.optim.Adam on loss + l2_penalty(params, weight_decay): after step "
        f"{bad and bad[0]} the parameters differ from torch.optim.Adam(weight_decay=...)'s.",
        "the penalty's gradient must be exactly weight_decay * p",
    )


@weight(3.5)
def test_exercise5_decoupled_weight_decay(probes):
    got, want = probes("decoupled_adam")
    run, ref = got["run"], want["run"]
    expect(
        run["leaves"] == ref["leaves"],
        "after DecoupledWeightDecay.step() the parameters should still be leaf tensors with requires_grad=True.",
    )
    bad = _mismatch(run["points"], ref["points"])
    if bad:
        hint = (
            "shrink every parameter that has a gradient in place, p.mul_(1 - group['lr'] * weight_decay), BEFORE "
            "the wrapped optimizer's step()"
        )
        if _mismatch(run["points"], want["adam_l2_points"]) is None:
            hint = (
                "your trajectory is Adam with an L2 penalty (weight decay added to the gradient). Decoupled weight "
                "decay must not go through the gradient: " + hint + ", which then sees the raw gradient"
            )
        expect(
            False,
            f"DecoupledWeightDecay(torch.optim.Adam(...), weight_decay) on {RANDOM_INPUTS}: after step "
            f"{bad[0]} the parameters differ from torch.optim.AdamW's (largest difference {bad[1]:.3g}).",
            hint,
        )


def test_exercise5_decoupled_uses_group_lr(probes):
    got, want = probes("decoupled_groups")
    bad = _mismatch(got["points"], want["points"])
    expect(
        bad is None,
        "DecoupledWeightDecay around an Adam with two param groups of different learning rates, changed between "
        f"steps: after step {bad and bad[0]} the parameters differ from AdamW's.",
        "use each group's current learning rate, p.mul_(1 - group['lr'] * weight_decay), before the step",
    )


@weight(0.5)
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


# ================================================================================================
# Exercise 6: Standardizer
# ================================================================================================

CONSTANT_COLUMN = 2


def _training_rows():
    """(9, 5) float64: columns of different scales and offsets, one constant column, one tiny-spread column."""
    scale = torch.tensor([1.0, 30.0, 1.0, 0.5, 1e-3], dtype=F64)
    shift = torch.tensor([70.0, -5.0, 0.0, 100.0, 3.0], dtype=F64)
    X = torch.randn(9, 5, dtype=F64) * scale + shift
    X[:, CONSTANT_COLUMN] = 2.5  # exactly representable, so its std is exactly 0
    return X, scale, shift


def _attributes(scale) -> dict:
    return {name: describe(getattr(scale, name, None)) for name in ("mean", "std")}


@probe(exercise=6)
def standardizer_fit(ns):
    """Statistics of random float64 training rows with a constant column, and the training rows standardised."""
    X, _, _ = _training_rows()
    before = X.clone()
    scale = ns["Standardizer"](X)
    data = _attributes(scale)
    data["train"] = describe(scale(X))
    data["changed"] = not torch.equal(X, before)
    return data


@probe(exercise=6)
def standardizer_apply(ns):
    """Held-out rows (another number of rows, and a single row) standardised with the training statistics."""
    X, scale_, shift = _training_rows()
    held = torch.randn(6, 5, dtype=F64) * scale_ + shift + 0.5
    held[:, CONSTANT_COLUMN] = 3.0  # constant in the training rows, not here
    one = held[:1].clone()
    held_before = held.clone()
    scale = ns["Standardizer"](X)
    return {
        "held": describe(scale(held)),
        "one": describe(scale(one)),
        "changed": not torch.equal(held, held_before),
    }


@probe(exercise=6)
def standardizer_float32(ns):
    """The same in float32: statistics and outputs keep the dtype."""
    X, _, _ = _training_rows()
    held = torch.randn(3, 5, dtype=F64)
    scale = ns["Standardizer"](X.float())
    out = scale(held.float())
    parts = (getattr(scale, "mean", None), getattr(scale, "std", None), out)
    return [isinstance(t, torch.Tensor) and t.dtype == torch.float32 for t in parts]


@probe(exercise=6)
def standardizer_device(ns):
    """Training and held-out rows on another device (meta)."""
    scale, error = attempt(ns["Standardizer"], torch.empty(7, 4, device="meta", dtype=F64))
    out = None
    if error is None:
        out, error = attempt(scale, torch.empty(3, 4, device="meta", dtype=F64))
    return {"error": error, "on_meta": isinstance(out, torch.Tensor) and out.device.type == "meta"}


STANDARDIZED = f"Standardizer(train_inputs) for {RANDOM_INPUTS} (columns of different scales, one constant)"


def _tensor(got: dict, what: str) -> torch.Tensor:
    expect(got["type"] == "Tensor", f"{what} should be a torch.Tensor, got {got['type']}.")
    return got["value"]


def _stat(got, want, name):
    value = _tensor(got[name], f"{STANDARDIZED}: self.{name}")
    ref = want[name]["value"]
    expect(
        value.shape == ref.shape,
        f"{STANDARDIZED}: self.{name} should have shape (D,), one value per column.",
        "reduce over dim=0, without keepdim",
    )
    return value, ref


@weight(0.5)
def test_exercise6_statistics_shape(probes):
    got, want = probes("standardizer_fit")
    for name in ("mean", "std"):
        _stat(got, want, name)


@weight(0.5)
def test_exercise6_mean(probes):
    got, want = probes("standardizer_fit")
    value, ref = _stat(got, want, "mean")
    expect_close(value, ref, f"{STANDARDIZED}: the column means", rtol=1e-9, atol=1e-12)


def test_exercise6_population_std(probes):
    got, want = probes("standardizer_fit")
    value, ref = _stat(got, want, "std")
    others = [j for j in range(ref.numel()) if j != CONSTANT_COLUMN]
    n = 9
    hint = ratio_hint(
        value[others],
        ref[others],
        {
            math.sqrt(
                n / (n - 1)
            ): "use the population std (divide by N: correction=0), not torch's default sample std (divide by N - 1)",
        },
    )
    expect_close(
        value[others],
        ref[others],
        f"{STANDARDIZED}: the standard deviations of the non-constant columns",
        rtol=1e-7,
        atol=1e-12,
        hint=hint,
    )


@weight(0.5)
def test_exercise6_constant_column(probes):
    got, want = probes("standardizer_fit")
    value, ref = _stat(got, want, "std")
    expect(
        value[CONSTANT_COLUMN].item() == ref[CONSTANT_COLUMN].item(),
        f"{STANDARDIZED}: for the constant column (standard deviation 0) self.std should be exactly 1.",
        "replace exact zeros of std by 1, e.g. torch.where(std == 0, torch.ones_like(std), std)",
    )


@weight(0.5)
def test_exercise6_training_rows(probes):
    got, want = probes("standardizer_fit")
    Z = _tensor(got["train"], f"{STANDARDIZED}: scale(train_inputs)")
    expect(
        bool(torch.isfinite(Z).all()),
        f"{STANDARDIZED}: scale(train_inputs) holds NaN or inf values.",
        "a constant column has std 0: use std = 1 there, so its standardised values are 0",
    )
    expect_close(
        Z,
        want["train"]["value"],
        f"{STANDARDIZED}: scale(train_inputs) = (train_inputs - mean) / std",
        rtol=1e-7,
        atol=1e-9,
    )


@weight(5)
def test_exercise6_held_out_rows_use_training_statistics(probes):
    got, want = probes("standardizer_apply")
    for key, what in (("held", "several held-out rows"), ("one", "a single held-out row")):
        value = _tensor(got[key], f"scale(inputs) for {what}")
        expect_close(
            value,
            want[key]["value"],
            f"Standardizer(train_inputs) applied to {what} ({RANDOM_INPUTS}, a column constant in the training rows "
            "but not in these)",
            rtol=1e-7,
            atol=1e-9,
            hint="standardise with the TRAINING statistics kept in __init__: (inputs - self.mean) / self.std; never "
            "compute a mean or std of the rows given to __call__",
        )


@weight(0.5)
def test_exercise6_inputs_not_modified(probes):
    fitted, _ = probes("standardizer_fit")
    applied, _ = probes("standardizer_apply")
    expect(
        fitted["changed"] is False,
        "Standardizer(train_inputs) modified train_inputs in place; compute new tensors "
        "instead (x - mean, not x -= mean).",
    )
    expect(applied["changed"] is False, "scale(inputs) modified inputs in place; compute a new tensor instead.")


@weight(0.5)
def test_exercise6_keeps_dtype(probes):
    got, want = probes("standardizer_float32")
    for g, w, what in zip(got, want, ("self.mean", "self.std", "scale(inputs)"), strict=True):
        expect(
            g == w,
            f"Standardizer on float32 inputs: {what} should be float32 too.",
            "no .double() or dtype=torch.float64; torch.ones_like keeps the dtype",
        )


@weight(0.5)
def test_exercise6_device(probes):
    got, want = probes("standardizer_device")
    expect(
        got["error"] is None,
        f"Standardizer on rows on another device (meta, standing in for a GPU): your code {got['error']}.",
        "create new tensors with torch.ones_like(std), not torch.ones(...)",
    )
    expect(
        got["on_meta"] == want["on_meta"], "Standardizer on rows on another device should return rows on that device."
    )


# ================================================================================================
# Exercise 7: fit_and_evaluate
# ================================================================================================

FAE_EPOCHS = 8


def _fae_problem(held_scale: float):
    """Training rows y = x @ w.T; held-out rows follow `held_scale` times that trend (0.5: best midway)."""
    X, w_true = torch.randn(10, 3, dtype=F64), 2 * torch.randn(2, 3, dtype=F64)
    X_held = torch.randn(6, 3, dtype=F64)
    return X, X @ w_true.T, X_held, X_held @ (held_scale * w_true).T


def _fae_model():
    model = nn.Linear(3, 2).double()
    with torch.no_grad():
        model.weight.zero_()
        model.bias.zero_()
    return model


def _run_fae(ns, held_scale, loss_fn=None, as_list=False, lr=0.04):
    X, Y, X_held, Y_held = _fae_problem(held_scale)
    held_before = (X_held.clone(), Y_held.clone())
    model = _fae_model()
    recorder = _StepRecorder(torch.optim.SGD(model.parameters(), lr=lr, momentum=0.3), model.parameters())
    loader = (
        [(X[i : i + 4], Y[i : i + 4]) for i in range(0, 10, 4)]
        if as_list
        else DataLoader(TensorDataset(X, Y), batch_size=4, shuffle=False)
    )
    kwargs = {} if loss_fn is None else {"loss_fn": loss_fn}
    result = ns["fit_and_evaluate"](model, loader, X_held, Y_held, recorder, FAE_EPOCHS, **kwargs)
    with torch.no_grad():
        final_loss = (loss_fn or F.mse_loss)(model(X_held), Y_held).item()
    return {
        "result": describe(result),
        "points": torch.stack(recorder.points),
        "final": _flat(model.parameters()),
        "final_held_out_loss": final_loss,
        "held_out_changed": not (torch.equal(X_held, held_before[0]) and torch.equal(Y_held, held_before[1])),
    }


@probe(exercise=7)
def fae_midway(ns):
    """Default loss_fn, a DataLoader without shuffling, momentum SGD; the held-out loss is lowest midway."""
    return _run_fae(ns, 0.5)


@probe(exercise=7)
def fae_custom_loss(ns):
    """loss_fn=an L1 loss for training and held-out rows, a plain list of batches; lowest midway."""
    return _run_fae(ns, 0.6, loss_fn=F.l1_loss, as_list=True, lr=0.3)


@probe(exercise=7)
def fae_last_is_best(ns):
    """The held-out rows follow the training trend: the held-out loss keeps falling, the last epoch is best."""
    return _run_fae(ns, 1.0)


FAE = {
    "fae_midway": "fit_and_evaluate with the default loss_fn, a DataLoader and SGD with momentum",
    "fae_custom_loss": "fit_and_evaluate with loss_fn=an L1 loss and a plain list of batches",
    "fae_last_is_best": "fit_and_evaluate when the held-out loss falls at every epoch",
}
FAE_INPUTS = f"({RANDOM_INPUTS}, held-out rows whose loss is lowest after an epoch in the middle)"


def _fae_lists(got, want, label):
    result, ref = got["result"], want["result"]
    expect(
        result["type"] in ("tuple", "list") and len(result["items"]) == 2,
        f"{label} should return a tuple (train_losses, held_out_losses), got {result['type']}.",
    )
    train = _floats(result["items"][0], ref["items"][0], f"{label}: train_losses")
    held = _floats(result["items"][1], ref["items"][1], f"{label}: held_out_losses")
    want_train = _floats(ref["items"][0], ref["items"][0], "the reference's train_losses")
    want_held = _floats(ref["items"][1], ref["items"][1], "the reference's held_out_losses")
    return train, held, want_train, want_held


@weight(0.5)
def test_exercise7_returns_two_lists_of_floats(probes):
    for name, label in FAE.items():
        got, want = probes(name)
        _fae_lists(got, want, label)


def test_exercise7_trains_on_training_rows_only(probes):
    for name in ("fae_midway", "fae_custom_loss"):
        got, want = probes(name)
        bad = _mismatch(got["points"], want["points"])
        expect(
            bad is None,
            f"{FAE[name]} {FAE_INPUTS}: after optimizer step {bad and bad[0]} the parameters differ from training "
            "epoch by epoch with fit.",
            "train each epoch with fit(model, train_loader, optimizer, 1, loss_fn); the held-out rows must never "
            "reach the optimizer (no backward() or step() for them)",
        )
        expect(got["held_out_changed"] is False, f"{FAE[name]}: the held-out inputs or targets were modified.")


@weight(1.5)
def test_exercise7_training_losses(probes):
    for name in ("fae_midway", "fae_custom_loss"):
        got, want = probes(name)
        train, _, want_train, _ = _fae_lists(got, want, FAE[name])
        expect(
            _close_lists(train, want_train),
            f"{FAE[name]} {FAE_INPUTS}: train_losses differ from what fit reports for each epoch.",
            "record fit(model, train_loader, optimizer, 1, loss_fn)[0] for each epoch (the running mean of the "
            "epoch's batch losses)",
        )


@weight(3)
def test_exercise7_held_out_losses(probes):
    for name in ("fae_midway", "fae_custom_loss"):
        got, want = probes(name)
        _, held, _, want_held = _fae_lists(got, want, FAE[name])
        if _close_lists(held, want_held):
            continue
        hint = "held_out_losses[e] is loss_fn(model(held_out_inputs), held_out_targets).item() after epoch e"
        if _close_lists(held[1:], want_held[:-1]):
            hint = "measure the held-out loss AFTER the epoch's training, not before it"
        expect(False, f"{FAE[name]} {FAE_INPUTS}: held_out_losses differ from the expected ones.", hint)


BEST_HINT = (
    "keep copy.deepcopy(model.state_dict()) after the epoch with the lowest held-out loss and load it back at the end "
    "with model.load_state_dict(...), into the caller's model"
)


def _best_hint(got, want):
    """Recognise the model of the last epoch (a state_dict kept without a copy, or no restore at all)."""
    last = want["points"][-1]
    if (
        isinstance(got["final"], torch.Tensor)
        and got["final"].shape == last.shape
        and torch.allclose(got["final"], last)
    ):
        return (
            "the model ended with the last epoch's parameters: model.state_dict() holds the live tensors, which "
            "training goes on changing, so store copy.deepcopy(model.state_dict()) and load it back at the end"
        )
    return BEST_HINT


@weight(4)
def test_exercise7_restores_best_epoch(probes):
    for name in ("fae_midway", "fae_custom_loss", "fae_last_is_best"):
        got, want = probes(name)
        final, ref = got["final"], want["final"]
        expect(
            isinstance(final, torch.Tensor)
            and final.shape == ref.shape
            and bool(torch.allclose(final, ref, rtol=1e-9, atol=1e-12)),
            f"{FAE[name]}: after fit_and_evaluate the model should hold the parameters of the epoch with the lowest "
            "held-out loss.",
            _best_hint(got, want),
        )


@weight(3)
def test_exercise7_best_held_out_loss(probes):
    for name in ("fae_midway", "fae_custom_loss"):
        got, want = probes(name)
        expect(
            _close_lists([got["final_held_out_loss"]], [want["final_held_out_loss"]]),
            f"{FAE[name]} {FAE_INPUTS}: the returned model's held-out loss should be the lowest over the epochs "
            "(early stopping).",
            _best_hint(got, want),
        )
