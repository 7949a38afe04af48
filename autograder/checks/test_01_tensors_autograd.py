"""Hidden checks of 01_tensors_autograd: tensors, dtypes, NumPy interop, autograd, gradient checks.

Probes run in the student's child process and return plain data; the tests compare it with the
instructor's run. Every probe builds all of its random inputs before it calls student code, so the
inputs do not depend on how many random numbers the student's code draws.
"""

import numpy as np
import torch

from autograder.compare import expect, expect_close, ratio_hint, shape_of
from autograder.probes import describe, probe


# ---------------------------------------------------------------------------------------------
# Helpers (used in the child and in the grader)
# ---------------------------------------------------------------------------------------------
def attempt(fn, *args, **kwargs):
    """Call student code; return (value, None) or (None, 'Type: message')."""
    try:
        return fn(*args, **kwargs), None
    except Exception as exc:  # noqa: BLE001 (student code may raise anything)
        return None, f"{type(exc).__name__}: {exc}"[:400]


def call(fn, *args, **kwargs) -> dict:
    """Call student code and describe what came back (or the error it raised)."""
    value, error = attempt(fn, *args, **kwargs)
    return {"error": error, "out": describe(value) if error is None else None}


def ran(record: dict, what: str, hint: str | None = None) -> dict:
    """Fail when the call raised; return the described result."""
    error = record["error"]
    if error is not None and error.startswith("NotImplementedError"):
        hint = None  # the released stub: nothing to explain yet
    expect(error is None, f"{what} raised {error}", hint)
    return record.get("out")


def tensor_of(got: dict, what: str, hint: str | None = None) -> torch.Tensor:
    """Require a tensor in a described value and return it."""
    kind = got.get("type")
    expect(kind == "Tensor", f"{what} should return a torch.Tensor, got {kind}.", hint)
    return got["value"]


def same_shape(got: torch.Tensor, want: torch.Tensor, what: str, hint: str | None = None) -> None:
    expect(got.shape == want.shape, f"{what}: expected shape {shape_of(want)}, got {shape_of(got)}.", hint)


def same_dtype(got: torch.Tensor, want: torch.Tensor, what: str, hint: str | None = None) -> None:
    expect(got.dtype == want.dtype, f"{what}: expected dtype {want.dtype}, got {got.dtype}.", hint)


def unchanged(t: torch.Tensor, before: torch.Tensor) -> bool:
    return bool(torch.equal(t.detach(), before))


def caller_state(*tensors: torch.Tensor) -> dict:
    """The caller's tensors after the call: values, requires_grad flags, leaf status, whether .grad is empty.
    The grader compares this with the instructor's run, which leaves every argument as it was."""
    return {
        "values": [t.detach().clone() for t in tensors],
        "requires_grad": [bool(t.requires_grad) for t in tensors],
        "is_leaf": [bool(t.is_leaf) for t in tensors],
        "grad_none": [t.grad is None if t.is_leaf else True for t in tensors],
    }


def expect_caller_kept(got: dict, want: dict, what: str, hint: str) -> None:
    """Compare the caller's tensors after the student's call with those after the instructor's call."""
    for i, ref in enumerate(want["values"]):
        expect(torch.equal(got["values"][i], ref), f"{what}: the values of the caller's tensor changed.", hint)
        expect(
            got["requires_grad"][i] == want["requires_grad"][i],
            f"{what}: the caller's tensor has a different requires_grad flag now.",
            hint,
        )
        expect(got["is_leaf"][i] == want["is_leaf"][i], f"{what}: the caller's tensor is no longer a leaf.", hint)
        expect(got["grad_none"][i], f"{what}: autograd wrote into the caller's tensor's .grad.", hint)


def caller_kept(got: dict, want: dict) -> bool:
    try:
        expect_caller_kept(got, want, "", "")
    except AssertionError:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Exercise 1: stack_features
# ---------------------------------------------------------------------------------------------
@probe(exercise=1)
def stack_features_cases(ns):
    """stack_features on float64 (7,), int64 (5,) and float32 (4,) features; inputs must not change."""
    cases = {
        "float64": [torch.randn(7, dtype=torch.float64) for _ in range(3)],
        "int64": [torch.randint(-100, 100, (5,)) for _ in range(3)],
        "float32": [torch.randn(4) for _ in range(3)],
    }
    out = {}
    for name, features in cases.items():
        record = call(ns["stack_features"], *features)
        record["inputs"] = caller_state(*features)
        out[name] = record
    return out


def check_stack(got: dict, want: dict, what: str) -> None:
    out = tensor_of(ran(got, what), what)
    ref = want["out"]["value"]
    same_shape(
        out,
        ref,
        what,
        "each input must become one COLUMN: stack along dim=1, or concatenate "
        "(N, 1) columns along dim=1 (torch.stack without dim, or torch.cat along dim=0, gives other shapes)",
    )
    same_dtype(out, ref, what, "keep the inputs' dtype: do not convert with .float() or torch.Tensor(...)")
    if not torch.equal(out, ref):
        scrambled = torch.equal(out.reshape(-1).sort().values, ref.reshape(-1).sort().values)
        expect(
            False,
            f"{what}: the values are in the wrong places; row i should be (temperature[i], rainfall[i], humidity[i]).",
            "concatenating the 1-D inputs and reshaping to (-1, 3) scrambles the rows, because reshape "
            "refills row by row; join (N, 1) columns along dim=1 instead"
            if scrambled
            else None,
        )


def test_exercise1(probes):
    got, want = probes("stack_features_cases")
    check_stack(got["float64"], want["float64"], "stack_features on three float64 features of shape (7,)")


def test_exercise1_keeps_dtype(probes):
    got, want = probes("stack_features_cases")
    check_stack(got["int64"], want["int64"], "stack_features on three torch.int64 features of shape (5,)")
    check_stack(got["float32"], want["float32"], "stack_features on three float32 features of shape (4,)")


def test_exercise1_inputs_unchanged(probes):
    got, want = probes("stack_features_cases")
    for name in ("float64", "int64", "float32"):
        ran(got[name], f"stack_features on {name} features")
        expect_caller_kept(
            got[name]["inputs"],
            want[name]["inputs"],
            f"stack_features modified its {name} inputs",
            "build a new tensor; do not modify the arguments in place",
        )


# ---------------------------------------------------------------------------------------------
# Exercise 2: standardize_columns
# ---------------------------------------------------------------------------------------------
@probe(exercise=2)
def standardize_cases(ns):
    """standardize_columns on float64 (9, 4), float32 (6, 5) and int64 (8, 3) inputs with varied scales."""
    scale64 = torch.tensor([1.0, 10.0, 100.0, 0.1], dtype=torch.float64)
    shift64 = torch.tensor([5.0, -3.0, 50.0, 0.0], dtype=torch.float64)
    cases = {
        "float64": torch.randn(9, 4, dtype=torch.float64) * scale64 + shift64,
        "float32": torch.randn(6, 5) * torch.tensor([1.0, 3.0, 0.5, 20.0, 2.0]) + 4.0,
        "int64": torch.randint(0, 100, (8, 3)),
    }
    out = {}
    for name, x in cases.items():
        record = call(ns["standardize_columns"], x)
        record["x"] = caller_state(x)
        record["rows"] = int(x.shape[0])
        out[name] = record
    return out


def check_standardized(got: dict, want: dict, what: str, rtol: float, atol: float, error_hint=None) -> None:
    z = tensor_of(ran(got, what, error_hint), what)
    ref = want["out"]["value"]
    same_shape(z, ref, what)
    same_dtype(z, ref, what, "a floating x keeps its dtype; only an integer x is converted, to float32")
    n = got["rows"]
    hint = ratio_hint(
        z,
        ref,
        {
            ((n - 1) / n) ** 0.5: "you divided by the sample standard deviation (N - 1); use the "
            "population one: x.std(dim=0, correction=0)"
        },
        rtol=1e-4,
    )
    if hint is None and z.dtype.is_floating_point and z.ndim == 2:
        means = z.to(torch.float64).mean(dim=0)
        if not torch.allclose(means, torch.zeros_like(means), atol=1e-4):
            hint = (
                "the columns of your result do not have mean 0: take the mean and the standard deviation "
                "over the rows (dim=0), one per column, with keepdim=True or broadcasting"
            )
    expect_close(z, ref, what, rtol=rtol, atol=atol, hint=hint)


def test_exercise2(probes):
    got, want = probes("standardize_cases")
    check_standardized(
        got["float64"], want["float64"], "standardize_columns of a float64 x of shape (9, 4)", rtol=1e-10, atol=1e-12
    )


def test_exercise2_float32(probes):
    got, want = probes("standardize_cases")
    check_standardized(
        got["float32"], want["float32"], "standardize_columns of a float32 x of shape (6, 5)", rtol=1e-5, atol=1e-5
    )


def test_exercise2_integer_input(probes):
    got, want = probes("standardize_cases")
    check_standardized(
        got["int64"],
        want["int64"],
        "standardize_columns of an integer (torch.int64) x of shape (8, 3)",
        rtol=1e-5,
        atol=1e-5,
        error_hint="mean() and std() are not defined for integer ('Long') tensors: convert an "
        "integer x with x.float() first",
    )


def test_exercise2_x_unchanged(probes):
    got, want = probes("standardize_cases")
    for name, article in (("float64", "a"), ("float32", "a"), ("int64", "an")):
        ran(got[name], f"standardize_columns of {article} {name} x")
        expect_caller_kept(
            got[name]["x"],
            want[name]["x"],
            f"standardize_columns modified its argument x ({article} {name} tensor)",
            "x must not be modified: compute a new tensor, (x - mean) / std, instead of `x -= ...` "
            "or `x /= ...` on the argument",
        )


# ---------------------------------------------------------------------------------------------
# Exercise 3: to_tensor_shared / to_numpy
# ---------------------------------------------------------------------------------------------
@probe(exercise=3)
def to_tensor_shared_cases(ns):
    """to_tensor_shared on float64, float32, int64 and 3-D arrays; writes on each side must show on the other."""
    arrays = {
        "float64 (4, 6)": np.random.randn(4, 6),
        "float32 (3, 5)": np.random.randn(3, 5).astype(np.float32),
        "int64 (5, 2)": np.random.randint(-50, 50, size=(5, 2)).astype(np.int64),
        "float64 (2, 3, 4)": np.random.randn(2, 3, 4),
    }
    out = {}
    for name, array in arrays.items():
        t, error = attempt(ns["to_tensor_shared"], array)
        record = {"error": error, "out": describe(t) if error is None else None}
        record["numpy_to_tensor"] = record["tensor_to_numpy"] = False
        record["measured"] = error is None and isinstance(t, torch.Tensor) and tuple(t.shape) == array.shape
        if record["measured"]:
            first, last = (0,) * array.ndim, tuple(s - 1 for s in array.shape)
            array[first] = 123
            record["numpy_to_tensor"] = bool(t[first].item() == 123)
            try:
                with torch.no_grad():
                    t[last] = -77
                record["tensor_to_numpy"] = bool(array[last] == -77)
            except Exception:  # noqa: BLE001
                record["tensor_to_numpy"] = False
        out[name] = record
    return out


SHARE_HINT = (
    "use torch.from_numpy(array), which shares memory with the array; torch.tensor(array) and "
    "torch.Tensor(array) copy (and torch.Tensor, .float() also convert the dtype)"
)


def test_exercise3_shares_memory(probes):
    got, want = probes("to_tensor_shared_cases")
    for name, record in got.items():
        what = f"to_tensor_shared on a {name} array"
        tensor_of(ran(record, what), what)
        expect(
            record["measured"],
            f"{what}: memory sharing could not be tested, because the result does not have the array's shape "
            f"{tuple(want[name]['out']['value'].shape)}.",
        )
        expect(
            record["numpy_to_tensor"],
            f"{what}: after writing into the array the tensor did not change, so the two do not share memory.",
            SHARE_HINT,
        )
        expect(
            record["tensor_to_numpy"],
            f"{what}: after writing into the tensor the array did not change, so the two do not share memory.",
            SHARE_HINT,
        )


def test_exercise3_tensor_dtype_and_values(probes):
    got, want = probes("to_tensor_shared_cases")
    for name, record in got.items():
        what = f"to_tensor_shared on a {name} array"
        t = tensor_of(ran(record, what), what)
        ref = want[name]["out"]["value"]
        same_shape(t, ref, what)
        same_dtype(t, ref, what, "keep the array's dtype: torch.Tensor(...) and .float() convert to float32")
        expect(torch.equal(t, ref), f"{what}: the tensor does not hold the array's values.")


@probe(exercise=3)
def to_numpy_cases(ns):
    """to_numpy on a float32 leaf that requires grad, a float64 non-leaf, and a plain 3-D float64 tensor."""
    leaf = torch.randn(3, 5).requires_grad_(True)
    base = torch.randn(4, 2, dtype=torch.float64).requires_grad_(True)
    plain = torch.randn(2, 3, 4, dtype=torch.float64)
    cases = {
        "a float32 leaf tensor of shape (3, 5) that requires grad": (leaf, leaf),
        "a computed float64 tensor of shape (4, 2) that requires grad": (base * 2 + 1, base),
        "a float64 tensor of shape (2, 3, 4)": (plain, plain),
    }
    out = {}
    for name, (t, root) in cases.items():
        flag = bool(t.requires_grad)
        a, error = attempt(ns["to_numpy"], t)
        record = {"error": error, "requires_grad": flag}
        if error is None:
            record["type"] = type(a).__name__
            if isinstance(a, np.ndarray):
                record["dtype"] = str(a.dtype)
                record["shape"] = list(a.shape)
                try:
                    record["values"] = torch.tensor(np.asarray(a, dtype=np.float64).tolist(), dtype=torch.float64)
                except (TypeError, ValueError):
                    record["values"] = None
        record["caller"] = caller_state(t, root)
        out[name] = record
    return out


DETACH_HINT = (
    "NumPy knows nothing about autograd: leave the graph with t.detach() (and the GPU with .cpu()) "
    "before .numpy(), i.e. t.detach().cpu().numpy()"
)


def test_exercise3_to_numpy_requires_grad(probes):
    got, _ = probes("to_numpy_cases")
    for name, record in got.items():
        if record["requires_grad"]:
            ran(record, f"to_numpy on {name}", DETACH_HINT)


def test_exercise3_to_numpy_values(probes):
    got, want = probes("to_numpy_cases")
    for name, record in got.items():
        what = f"to_numpy on {name}"
        ran(record, what, DETACH_HINT)
        ref = want[name]
        expect(record["type"] == "ndarray", f"{what} should return a np.ndarray, got {record['type']}.")
        expect(
            record["shape"] == ref["shape"],
            f"{what}: expected shape {tuple(ref['shape'])}, got {tuple(record['shape'])}.",
        )
        expect(
            record["dtype"] == ref["dtype"],
            f"{what}: expected a {ref['dtype']} array, got {record['dtype']}.",
            "keep the tensor's dtype: np.array(t.tolist()) turns float32 into float64",
        )
        expect(
            record["values"] is not None and torch.equal(record["values"], ref["values"]),
            f"{what}: the array does not hold the tensor's values.",
        )


def test_exercise3_to_numpy_caller_unchanged(probes):
    got, want = probes("to_numpy_cases")
    for name, record in got.items():
        what = f"to_numpy on {name}"
        ran(record, what, DETACH_HINT)
        expect_caller_kept(
            record["caller"],
            want[name]["caller"],
            f"{what} modified the caller's tensor",
            "t must not be modified, in particular not its requires_grad flag: t.detach() returns "
            "a new tensor and leaves t alone, t.requires_grad_(False) changes t",
        )


# ---------------------------------------------------------------------------------------------
# Exercise 4: grad_of
# ---------------------------------------------------------------------------------------------
@probe(exercise=4)
def grad_of_cases(ns):
    """grad_of of a nonlinear f on float64 (3, 5) points: plain x (twice), a leaf and a non-leaf that require
    grad, and three functions through which no gradient reaches x."""
    W = torch.randn(3, 5, dtype=torch.float64)
    values = torch.randn(3, 5, dtype=torch.float64)
    other = torch.randn(3, 5, dtype=torch.float64).requires_grad_(True)

    def f(x):
        return (W * x).sum() + (x**3).sum() / 3 + torch.sin(x).sum()

    grad_of = ns["grad_of"]
    out = {}

    x = values.clone()
    first, error = attempt(grad_of, f, x)
    out["plain"] = {"error": error, "out": describe(first) if error is None else None}
    second = call(grad_of, f, x)
    out["plain_again"] = second
    out["plain"]["caller"] = caller_state(x)
    # A new tensor: writing into the result must not change the caller's x.
    if error is None and isinstance(first, torch.Tensor):
        try:
            with torch.no_grad():
                first.fill_(7.0)
        except Exception:  # noqa: BLE001
            pass
    out["plain"]["after_write"] = caller_state(x)

    leaf = values.clone().requires_grad_(True)
    out["leaf"] = call(grad_of, f, leaf)
    out["leaf"]["caller"] = caller_state(leaf)

    root = (values / 2).requires_grad_(True)
    computed = root * 2
    out["non_leaf"] = call(grad_of, f, computed)
    out["non_leaf"]["caller"] = caller_state(root, computed)

    no_path = {
        "f(x) = sum(x.detach()**2)": lambda x: (x.detach() ** 2).sum(),
        "the constant f(x) = 2": lambda x: torch.tensor(2.0, dtype=x.dtype),
        "f(x) = sum(v * x.detach()) with a v that requires grad": lambda x: (other * x.detach()).sum(),
    }
    for name, f0 in no_path.items():
        x0 = values.clone()
        record = call(grad_of, f0, x0)
        record["caller"] = caller_state(x0)
        out[name] = record
    return out


GRAD_OF_CASES = {
    "plain": "grad_of(f, x) for a float64 x of shape (3, 5)",
    "plain_again": "a second call of grad_of(f, x) on the same x",
    "leaf": "grad_of(f, x) for an x that requires grad",
    "non_leaf": "grad_of(f, x) for a computed x that requires grad",
}
NO_PATH_CASES = (
    "f(x) = sum(x.detach()**2)",
    "the constant f(x) = 2",
    "f(x) = sum(v * x.detach()) with a v that requires grad",
)
PRIVATE_COPY = "work on a private copy: x.detach().clone().requires_grad_(True)"


def check_gradient(got: dict, want: dict, what: str, error_hint: str | None = None) -> dict:
    out = ran(got, what, error_hint)
    g = tensor_of(out, what)
    ref = want["out"]["value"]
    same_shape(g, ref, what)
    same_dtype(g, ref, what, "the gradient has x's dtype: do not convert the private copy (e.g. with .float())")
    expect_close(g, ref, what, rtol=1e-10, atol=1e-12, hint=error_hint)
    return out


def test_exercise4(probes):
    got, want = probes("grad_of_cases")
    for case in ("plain", "plain_again"):
        check_gradient(got[case], want[case], GRAD_OF_CASES[case])


def test_exercise4_result_does_not_require_grad(probes):
    got, _ = probes("grad_of_cases")
    for case, what in GRAD_OF_CASES.items():
        out = ran(got[case], what)
        tensor_of(out, what)
        expect(
            not out["requires_grad"],
            f"{what}: the returned gradient has requires_grad=True; it should not require grad.",
            "return the .grad of your private copy (or .detach() it); do not use create_graph=True",
        )


def test_exercise4_x_unchanged(probes):
    got, want = probes("grad_of_cases")
    what = GRAD_OF_CASES["plain"]
    ran(got["plain"], what)
    expect_caller_kept(
        got["plain"]["caller"],
        want["plain"]["caller"],
        f"{what} modified the caller's x",
        f"x must not be modified (values, requires_grad, .grad): {PRIVATE_COPY}",
    )
    expect(
        torch.equal(got["plain"]["after_write"]["values"][0], want["plain"]["after_write"]["values"][0]),
        f"{what}: writing into the returned gradient changed the caller's x; return a new tensor.",
    )


def test_exercise4_x_requires_grad(probes):
    got, want = probes("grad_of_cases")
    hint = (
        "a clone of a tensor that requires grad stays connected to it, so backward() flows into the "
        "caller's tensor: detach() before clone(), x.detach().clone().requires_grad_(True)"
    )
    for case in ("leaf", "non_leaf"):
        what = GRAD_OF_CASES[case]
        ran(got[case], what, hint)
        expect_caller_kept(
            got[case]["caller"],
            want[case]["caller"],
            f"{what} modified the caller's x (or what it was computed from)",
            hint,
        )
        check_gradient(got[case], want[case], what, hint)


def test_exercise4_zero_gradient(probes):
    got, want = probes("grad_of_cases")
    for name in NO_PATH_CASES:
        what = f"grad_of for {name} (no gradient reaches x)"
        hint = "when f's output does not require grad or no gradient reaches x, return torch.zeros_like(x)"
        out = ran(got[name], what, hint)
        g = tensor_of(out, what, hint)
        ref = want[name]["out"]["value"]
        same_shape(g, ref, what, hint)
        same_dtype(g, ref, what, hint)
        expect(torch.equal(g, ref), f"{what} should return zeros.", hint)
        expect(not out["requires_grad"], f"{what} returned a tensor that requires grad.")
        expect_caller_kept(got[name]["caller"], want[name]["caller"], f"{what} modified the caller's x", PRIVATE_COPY)


# ---------------------------------------------------------------------------------------------
# Exercise 5: gradient_descent
# ---------------------------------------------------------------------------------------------
@probe(exercise=5)
def gradient_descent_cases(ns):
    """gradient_descent on a smooth float64 function of a (4, 3) point: lr=0.05 with 1 to 4 steps, the
    defaults, and an x0 that requires grad."""
    c = torch.randn(4, 3, dtype=torch.float64)
    s = torch.rand(4, 3, dtype=torch.float64) + 0.5
    start = torch.randn(4, 3, dtype=torch.float64)

    def f(x):
        return (s * (x - c) ** 2).sum() + 0.3 * torch.sin(x).sum()

    gd = ns["gradient_descent"]
    out = {"start": start.clone()}
    for steps in (1, 2, 3, 4):
        out[f"steps{steps}"] = call(gd, f, start.clone(), lr=0.05, steps=steps)
    out["defaults"] = call(gd, f, start.clone())

    x0 = start.clone()
    out["plain"] = call(gd, f, x0, lr=0.05, steps=3)
    out["plain"]["caller"] = caller_state(x0)

    x0_rg = start.clone().requires_grad_(True)
    out["leaf"] = call(gd, f, x0_rg, lr=0.05, steps=3)
    out["leaf"]["caller"] = caller_state(x0_rg)
    return out


GD_ERROR_HINT = (
    "update x in place inside `with torch.no_grad():` so that x stays a leaf whose .grad autograd "
    "fills, and zero x.grad after every update"
)


GD_DETACH_HINT = (
    "a clone of a tensor that requires grad stays connected to it: make the private copy with "
    "x0.detach().clone().requires_grad_(True)"
)


X0_HINT = "x0 must not be modified (values, requires_grad, .grad): work on x0.detach().clone().requires_grad_(True)"


def gd_error_hint(got: dict, key: str) -> str:
    """Why a call may have raised: a copy still attached to x0 when only the x0-requiring-grad case fails."""
    return GD_DETACH_HINT if key == "leaf" and got["plain"]["error"] is None else GD_ERROR_HINT


def check_point(got: dict, want: dict, what: str, error_hint: str = GD_ERROR_HINT) -> torch.Tensor:
    x = tensor_of(ran(got, what, error_hint), what)
    ref = want["out"]["value"]
    same_shape(x, ref, what)
    same_dtype(x, ref, what)
    return x


def test_exercise5(probes):
    got, want = probes("gradient_descent_cases")
    start = got["start"]
    previous_ref = start
    for steps in (1, 2, 3, 4):
        key = f"steps{steps}"
        what = f"gradient_descent(f, x0, lr=0.05, steps={steps})"
        x = check_point(got[key], want[key], what)
        ref = want[key]["out"]["value"]
        if not torch.allclose(x, ref, rtol=1e-9, atol=1e-12):
            following = want.get(f"steps{steps + 1}")
            if torch.allclose(x, previous_ref, rtol=1e-9, atol=1e-12):
                hint = f"your result is the point after {steps - 1} updates: take exactly `steps` updates"
            elif following is not None and torch.allclose(x, following["out"]["value"], rtol=1e-9, atol=1e-12):
                hint = f"your result is the point after {steps + 1} updates: take exactly `steps` updates"
            elif steps == 1:
                hint = "check the sign of the update, x - lr * grad, and use the lr argument"
            else:
                hint = (
                    "one step is right but more steps are not: zero x.grad after every update (backward() "
                    "ADDS to .grad), and take exactly `steps` updates"
                )
            expect_close(x, ref, what, rtol=1e-9, atol=1e-12, hint=hint)
        previous_ref = ref


def test_exercise5_default_arguments(probes):
    got, want = probes("gradient_descent_cases")
    what = "gradient_descent(f, x0) with the default lr=0.1 and steps=10"
    x = check_point(got["defaults"], want["defaults"], what)
    expect_close(x, want["defaults"]["out"]["value"], what, rtol=1e-9, atol=1e-12)


def test_exercise5_result_does_not_require_grad(probes):
    got, _ = probes("gradient_descent_cases")
    for key in ("steps1", "steps3", "defaults", "leaf"):
        what = "gradient_descent" + (" (x0 requiring grad)" if key == "leaf" else "")
        out = ran(got[key], what, gd_error_hint(got, key))
        tensor_of(out, what)
        expect(
            not out["requires_grad"],
            f"{what} returned a tensor with requires_grad=True; the result should not require grad.",
            "return x.detach()",
        )


def test_exercise5_x0_unchanged(probes):
    got, want = probes("gradient_descent_cases")
    what = "gradient_descent(f, x0, lr=0.05, steps=3)"
    check_point(got["plain"], want["plain"], what)
    expect_caller_kept(got["plain"]["caller"], want["plain"]["caller"], f"{what} modified the caller's x0", X0_HINT)


def test_exercise5_x0_requires_grad(probes):
    got, want = probes("gradient_descent_cases")
    what = "gradient_descent(f, x0, lr=0.05, steps=3) for an x0 that requires grad"
    x = check_point(got["leaf"], want["leaf"], what, gd_error_hint(got, "leaf"))
    plain_kept = caller_kept(got["plain"]["caller"], want["plain"]["caller"])
    expect_caller_kept(
        got["leaf"]["caller"],
        want["leaf"]["caller"],
        f"{what} modified the caller's x0",
        GD_DETACH_HINT if plain_kept else X0_HINT,
    )
    expect_close(x, want["leaf"]["out"]["value"], what, rtol=1e-9, atol=1e-12)


# ---------------------------------------------------------------------------------------------
# Exercise 6: numerical_gradient / gradient_check
# ---------------------------------------------------------------------------------------------
class Spy:
    """A scalar test function that records, for each call, how its input differs from the caller's x
    and whether the caller's x was modified at that moment."""

    def __init__(self, x: torch.Tensor, weights: torch.Tensor):
        self.x, self.original, self.weights = x, x.detach().clone(), weights
        self.calls: list[dict] = []

    def __call__(self, inp):
        if len(self.calls) < 1000 and isinstance(inp, torch.Tensor):
            delta = (
                inp.detach().reshape(-1).to(torch.float64) - self.original.reshape(-1).to(torch.float64)
                if inp.numel() == self.original.numel()
                else None
            )
            self.calls.append(
                {
                    "perturbed": -1 if delta is None else int((delta != 0).sum()),
                    "negative": bool(delta is not None and (delta < 0).any()),
                    "caller_modified": not unchanged(self.x, self.original),
                }
            )
        return torch.sin(inp).sum() + 0.5 * (self.weights * inp * inp).sum() + 0.1 * inp.sum() ** 2

    def summary(self) -> dict:
        return {
            "calls": len(self.calls),
            "max_perturbed": max((c["perturbed"] for c in self.calls), default=0),
            "any_negative": any(c["negative"] for c in self.calls),
            "caller_modified_during": any(c["caller_modified"] for c in self.calls),
        }


@probe(exercise=6)
def numerical_gradient_cases(ns):
    """numerical_gradient of a smooth function: float64 (3, 5) with eps=0.5 and the default eps, a float64
    (2, 3, 4) x that requires grad, and a float32 (4, 3) x."""
    x = torch.randn(3, 5, dtype=torch.float64)
    w = torch.rand(3, 5, dtype=torch.float64)
    x3 = torch.randn(2, 3, 4, dtype=torch.float64)
    w3 = torch.rand(2, 3, 4, dtype=torch.float64)
    x32 = torch.randn(4, 3)
    w32 = torch.rand(4, 3)
    ng = ns["numerical_gradient"]
    out = {}

    xa = x.clone()
    spy = Spy(xa, w)
    out["half_step"] = call(ng, spy, xa, eps=0.5)
    out["half_step"]["spy"] = spy.summary()
    out["half_step"]["caller"] = caller_state(xa)

    xb = x.clone()
    spy = Spy(xb, w)
    out["default_eps"] = call(ng, spy, xb)
    out["default_eps"]["spy"] = spy.summary()
    out["default_eps"]["caller"] = caller_state(xb)

    xc = x3.clone().requires_grad_(True)
    spy = Spy(xc, w3)
    out["requires_grad_3d"] = call(ng, spy, xc, eps=0.5)
    out["requires_grad_3d"]["spy"] = spy.summary()
    out["requires_grad_3d"]["caller"] = caller_state(xc)

    xd = x32.clone()
    spy = Spy(xd, w32)
    out["float32"] = call(ng, spy, xd, eps=0.1)
    out["float32"]["spy"] = spy.summary()
    out["float32"]["caller"] = caller_state(xd)
    return out


NG_CASES = {
    "half_step": ("numerical_gradient(f, x, eps=0.5) for a float64 x of shape (3, 5)", 1e-10, 1e-12),
    "default_eps": ("numerical_gradient(f, x) with the default eps=1e-6, float64 x of shape (3, 5)", 1e-6, 1e-6),
    "requires_grad_3d": (
        "numerical_gradient(f, x, eps=0.5) for a float64 x of shape (2, 3, 4) that requires grad",
        1e-10,
        1e-12,
    ),
    "float32": ("numerical_gradient(f, x, eps=0.1) for a float32 x of shape (4, 3)", 1e-3, 1e-3),
}
ONE_AT_A_TIME = (
    "perturb one element at a time, f(x + eps*e_i) with e_i zero except at position i; moving every "
    "element at once gives the sum of the partial derivatives"
)
CENTRAL = (
    "use the central difference (f(x + eps*e_i) - f(x - eps*e_i)) / (2*eps); the one-sided difference "
    "(f(x + eps*e_i) - f(x)) / eps has an O(eps) error"
)


NG_X_HINT = (
    "x must not be modified, not even temporarily: build each perturbed input as a new tensor "
    "(or perturb a private clone, x.detach().clone())"
)


def check_numerical_gradient(got: dict, want: dict, case: str) -> None:
    what, rtol, atol = NG_CASES[case]
    g = tensor_of(ran(got, what), what)
    ref = want["out"]["value"]
    spy = got["spy"]
    many = spy["max_perturbed"] > 1
    if g.numel() == 1 and ref.numel() > 1:
        expect(False, f"{what}: expected shape {shape_of(ref)}, got {shape_of(g)}.", ONE_AT_A_TIME)
    same_shape(g, ref, what, "reshape the result to x.shape")
    same_dtype(g, ref, what, "create the result with torch.zeros_like(x) so that it has x's dtype")
    if torch.allclose(g, ref, rtol=rtol, atol=atol):
        return
    hint = ratio_hint(g, ref, {2.0: "divide by 2*eps, not by eps"}, rtol=1e-6)
    if hint is None and spy["caller_modified_during"]:
        hint = NG_X_HINT
    if hint is None and many:
        hint = ONE_AT_A_TIME
    if hint is None and not spy["any_negative"]:
        hint = CENTRAL
    if hint is None and g.numel() > 1 and torch.allclose(g, g.reshape(-1)[0].expand_as(g)):
        hint = ONE_AT_A_TIME
    expect_close(g, ref, what, rtol=rtol, atol=atol, hint=hint)


def test_exercise6_numerical_gradient(probes):
    got, want = probes("numerical_gradient_cases")
    check_numerical_gradient(got["half_step"], want["half_step"], "half_step")


def test_exercise6_numerical_gradient_default_eps(probes):
    got, want = probes("numerical_gradient_cases")
    check_numerical_gradient(got["default_eps"], want["default_eps"], "default_eps")


def test_exercise6_numerical_gradient_shape_and_dtype(probes):
    got, want = probes("numerical_gradient_cases")
    for case in ("requires_grad_3d", "float32"):
        check_numerical_gradient(got[case], want[case], case)
    what = NG_CASES["requires_grad_3d"][0]
    expect(
        not got["requires_grad_3d"]["out"]["requires_grad"],
        f"{what}: the result has requires_grad=True; it should not require grad.",
        "call f on x.detach()-based inputs under torch.no_grad()",
    )


def test_exercise6_numerical_gradient_x_unchanged(probes):
    got, want = probes("numerical_gradient_cases")
    hint = NG_X_HINT
    for case, (what, _, _) in NG_CASES.items():
        ran(got[case], what)
        expect(
            not got[case]["spy"]["caller_modified_during"],
            f"{what}: the caller's x was modified while numerical_gradient ran (f saw a changed x).",
            hint,
        )
        expect_caller_kept(got[case]["caller"], want[case]["caller"], f"{what} modified the caller's x", hint)


@probe(exercise=6)
def gradient_check_cases(ns):
    """gradient_check on float64 (3, 5) points: a correct gradient with the default eps and eps=0.5, a function
    whose gradient autograd only partly sees, and an x that requires grad."""
    x = torch.randn(3, 5, dtype=torch.float64)
    w = torch.rand(3, 5, dtype=torch.float64) + 0.5

    def honest(v):
        return torch.sin(v).sum() + 0.5 * (w * v * v).sum()

    def leaky(v):
        return 1.5 * (v.detach() ** 2).sum() + 1.5 * (v**2).sum()  # autograd sees 3v, differences see 6v

    # For `leaky`, a - n = -3x: make the entry of largest magnitude positive, so that the signed maximum of
    # a - n differs from the maximum of |a - n|.
    x_leaky = x * torch.sign(x.reshape(-1)[x.abs().argmax()])

    gc = ns["gradient_check"]
    cases = {
        "default": (honest, x.clone(), {}),
        "half_step": (honest, x.clone(), {"eps": 0.5}),
        "leaky": (leaky, x_leaky, {}),
        "requires_grad": (honest, x.clone().requires_grad_(True), {"eps": 0.5}),
    }
    out = {}
    for name, (f, xi, kwargs) in cases.items():
        err, error = attempt(gc, f, xi, **kwargs)
        record = {"error": error, "caller": caller_state(xi)}
        if error is None:
            record["type"] = type(err).__name__
            record["is_float"] = isinstance(err, float)
            value = None
            try:
                if isinstance(err, torch.Tensor) and err.numel() == 1:
                    value = float(err.detach().reshape(-1)[0])
                elif isinstance(err, (int, float, np.floating, np.integer)) and not isinstance(err, bool):
                    value = float(err)
            except (TypeError, ValueError, RuntimeError):
                value = None
            record["value"] = value
        out[name] = record
    return out


GC_CASES = {
    "default": ("gradient_check(f, x) for a correct autograd gradient (default eps)", 0.0, 1e-7),
    "half_step": ("gradient_check(f, x, eps=0.5) for a correct autograd gradient", 1e-8, 1e-12),
    "leaky": ("gradient_check(f, x) for a function that autograd only partly sees", 1e-8, 1e-12),
    "requires_grad": ("gradient_check(f, x, eps=0.5) for an x that requires grad", 1e-8, 1e-12),
}


GC_FORMULA = (
    "the relative error is max|a - n| divided by max(max|a|, max|n|, 1e-12): one maximum over the whole tensor, "
    "with both the autograd gradient a and the numerical one n in the denominator"
)


GC_USES_NG = "gradient_check uses your numerical_gradient: fix the problems reported for numerical_gradient first"


def numerical_gradient_matches(probes) -> bool:
    """Whether numerical_gradient agreed with the instructor's on every case (for choosing a hint)."""
    got, want = probes("numerical_gradient_cases")
    for case, (_, rtol, atol) in NG_CASES.items():
        if got[case]["error"] is not None or got[case]["out"].get("type") != "Tensor":
            return False
        g, ref = got[case]["out"]["value"], want[case]["out"]["value"]
        if g.shape != ref.shape or g.dtype != ref.dtype or not torch.allclose(g, ref, rtol=rtol, atol=atol):
            return False
    return True


def test_exercise6_gradient_check(probes):
    got, want = probes("gradient_check_cases")
    numerical_ok = numerical_gradient_matches(probes)
    for case, (what, rtol, atol) in GC_CASES.items():
        record = got[case]
        ran(record, what)
        expect(record["value"] is not None, f"{what} should return a Python float, got {record['type']}.")
        hint = GC_FORMULA if numerical_ok else GC_USES_NG
        default = got["default"].get("value")
        if case == "half_step" and default is not None and abs(record["value"] - default) < 1e-6:
            hint = "with eps=0.5 you got the same result as with the default eps: pass eps on to numerical_gradient"
        expect_close(record["value"], want[case]["value"], what, rtol=rtol, atol=atol, hint=hint)


def test_exercise6_gradient_check_returns_float(probes):
    got, _ = probes("gradient_check_cases")
    for case, (what, _, _) in GC_CASES.items():
        record = got[case]
        ran(record, what)
        expect(
            record["is_float"],
            f"{what} should return a Python float, got {record['type']}.",
            "convert the result with float(...) or .item()",
        )


def test_exercise6_gradient_check_x_unchanged(probes):
    got, want = probes("gradient_check_cases")
    for case, (what, _, _) in GC_CASES.items():
        record = got[case]
        ran(record, what)
        expect_caller_kept(
            record["caller"],
            want[case]["caller"],
            f"{what} modified the caller's x",
            "x must not be modified (values, requires_grad, .grad): differentiate a private copy, "
            "x.detach().clone().requires_grad_(True)",
        )
