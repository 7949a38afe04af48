"""Hidden checks of 01_tensors_autograd: tensors, dtypes, NumPy interop, autograd, gradient checks.

Probes run in the student's child process. They call student code only through `attempt`, return plain data
(tensors, numbers, flags, shapes as lists) and never text made from what the student's code returned; each
draws all of its random inputs before its first call. The tests run in the grader and compare the student's
data (`got`) with the instructor's run of the same probe (`want`), always walking the reference's structure,
so that a missing key, a wrong type or a wrong length fails a test and never passes it. Expected values come
from the reference run: no probe holds an implementation of an exercise. Feedback names the kind of input
("float64 tensors of another shape than the notebook's"), never hidden sizes, steps or expected values.

"Another device": a GPU is stood in for by torch's `meta` device (tensors with a shape and a dtype but no
values), and, towards NumPy, by `OnGPU`, a CPU tensor that NumPy refuses as it refuses a GPU tensor. Code that
needs values (`.item()`, `float(t)`, `if t > 0`) cannot run on `meta`; such a call is accepted untested.

Weights (`@weight`, default 1) put the central behaviour of each exercise first, so that each classic mistake
(`classic=True` in tests/mutants/01_tensors_autograd.py) loses at least half of the exercise's points:
- 1: the columns in their places 4; dtype kept, a single row, inputs unchanged, on the device 1 each (of 8).
- 2: the formula on float64 3; integer inputs 3; float32, x unchanged, on the device 1 each (of 9).
- 3: to_tensor_shared shares memory, with the array's dtype and values 4; to_numpy of tensors that require
  grad (one on a GPU) 2, its dtype and values 1, the caller's tensor unchanged 1 (of 8).
- 4: the gradient 3; the caller's x unchanged 2; an x that requires grad 2; other shapes and dtypes, a result
  that does not require grad, zeros without a path, on the device 1 each (of 11).
- 5: the iterates after one to four steps 4; defaults, a result without grad, x0 unchanged, an x0 that
  requires grad, other shapes and dtypes, autograd's gradient, on the device 1 each (of 11).
- 6: numerical_gradient's values 3 and gradient_check's values 3; numerical_gradient's default eps, other
  shapes and dtypes, x unchanged, on the device, gradient_check's float and x unchanged 1 each (of 12).
"""

import numpy as np
import torch

from autograder.compare import expect, expect_close, ratio_hint, weight
from autograder.probes import attempt, describe, probe, stand_in

META = "meta"
NEEDS_VALUES = "item() cannot be called on meta tensors"
LEFT_DEVICE = ("cannot copy out of meta tensor", "is not on the expected device", "can't convert meta device")
DEVICE_HINT = (
    "keep everything on the input's device: create new tensors with torch.zeros_like(x) or with "
    "device=x.device, and do not go through .cpu(), .tolist(), .numpy() or torch.tensor(...)"
)


# =============================================================================================
# Stand-ins: what a later exercise's child gets instead of the instructor's earlier solutions
# =============================================================================================
@stand_in(exercise=4)
def grad_of(f, x):
    import torch

    x = x.detach().clone().requires_grad_(True)
    y = f(x)
    if not y.requires_grad:
        return torch.zeros_like(x)
    (g,) = torch.autograd.grad(y, [x], allow_unused=True)
    return torch.zeros_like(x) if g is None else g


# =============================================================================================
# Probe side: calling student code and recording what came back
# =============================================================================================
def call(fn, *args, **kwargs) -> dict:
    """Call student code; record the error it raised or a description of its value."""
    value, error = attempt(fn, *args, **kwargs)
    return {"error": error, "out": describe(value) if error is None else None}


def call_on_device(fn, *args, **kwargs) -> dict:
    """Call student code on `meta` tensors; record where the result lives, its shape and dtype (no values)."""
    value, error = attempt(fn, *args, **kwargs)
    message = str(error.get("message", "")).lower() if error else ""
    record = {
        "error": error,
        "needs_values": NEEDS_VALUES in message,
        "left_device": any(phrase in message for phrase in LEFT_DEVICE),
        "tensor": isinstance(value, torch.Tensor),
    }
    if record["tensor"]:
        record["on_device"] = value.device.type == META
        record["shape"] = list(value.shape)
        record["dtype"] = torch.empty(0, dtype=value.dtype)
        record["requires_grad"] = bool(value.requires_grad)
    return record


def caller_state(*tensors: torch.Tensor) -> dict:
    """The caller's tensors after the call: values, requires_grad flags, leaf status, whether .grad is empty.
    The grader compares this with the instructor's run, which leaves every argument as it was."""
    return {
        "values": [t.detach().clone() for t in tensors],
        "requires_grad": [bool(t.requires_grad) for t in tensors],
        "is_leaf": [bool(t.is_leaf) for t in tensors],
        "grad_none": [t.grad is None if t.is_leaf else True for t in tensors],
    }


def unchanged(t: torch.Tensor, before: torch.Tensor) -> bool:
    return bool(torch.equal(t.detach(), before))


class OnGPU(torch.Tensor):
    """A CPU tensor that NumPy refuses as it refuses a GPU tensor, until it is copied with .cpu() or .to("cpu").

    Every other operation works on it and keeps the class, so to_numpy can be probed for "may live on a GPU"
    on a machine without one.
    """

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        refused = func is torch.Tensor.__array__ or (
            func is torch.Tensor.numpy and not (kwargs.get("force") or (len(args) > 1 and args[1]))
        )
        if refused:
            raise TypeError(
                "can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host "
                "memory first."
            )
        result = super().__torch_function__(func, types, args, kwargs)
        if isinstance(result, OnGPU) and (
            func is torch.Tensor.cpu or (func is torch.Tensor.to and to_cpu(args, kwargs))
        ):
            return result.as_subclass(torch.Tensor)
        return result


def to_cpu(args: tuple, kwargs: dict) -> bool:
    """Whether a call of Tensor.to names the CPU as its device."""
    for target in (*args[1:], kwargs.get("device")):
        if isinstance(target, (str, torch.device)) and torch.device(target).type == "cpu":
            return True
    return False


# =============================================================================================
# Grader side: reading the records
# =============================================================================================
def ran(record: dict, what: str, hint: str | None = None) -> None:
    """Fail when the student's call raised; the message names the error's type, line and a hint."""
    error = record["error"]
    if error is None:
        return
    own = getattr(error, "hint", None)
    chosen = own if getattr(error, "name", None) == "NotImplementedError" else (hint or own)
    text = str(error).split("\nHint:")[0]
    raise AssertionError(f"{what}: your code {text}" + (f"\nHint: {chosen}" if chosen else ""))


def returned_tensor(out, what: str, hint: str | None = None) -> torch.Tensor:
    """The values of a described result that must be a tensor."""
    kind = out.get("type") if isinstance(out, dict) else None
    if kind == "ndarray":
        hint = hint or "return a torch tensor: keep the computation in torch (no NumPy)"
    expect(
        kind == "Tensor", f"{what} should return a torch.Tensor, got {kind if isinstance(kind, str) else '?'}.", hint
    )
    value = out["value"]
    expect(isinstance(value, torch.Tensor), f"{what}: the result could not be read.")
    return value


def shape_words(got, want) -> str:
    """How a shape differs from the expected one, without naming hidden sizes."""
    got, want = tuple(got), tuple(want)
    if len(got) != len(want):
        return f"yours has {len(got)} dimension(s) instead of {len(want)}"
    if got == want[::-1]:
        return "yours has the transposed shape"
    return "yours differs in the length of some dimension"


def same_shape(got: torch.Tensor, want: torch.Tensor, what: str, expected: str, hint: str | None = None) -> None:
    expect(
        tuple(got.shape) == tuple(want.shape),
        f"{what}: the result should have the shape {expected}; {shape_words(got.shape, want.shape)}.",
        hint,
    )


def same_dtype(got: torch.Tensor, want: torch.Tensor, what: str, hint: str | None = None) -> None:
    expect(got.dtype == want.dtype, f"{what}: the result should have dtype {want.dtype}, got {got.dtype}.", hint)


def expect_caller_kept(got: dict, want: dict, what: str, hint: str) -> None:
    """The caller's tensors after the student's call are as after the instructor's call."""
    for key in ("values", "requires_grad", "is_leaf", "grad_none"):
        expect(
            isinstance(got[key], list) and len(got[key]) == len(want[key]),
            f"{what}: the caller's tensors could not be read.",
        )
    for g, w in zip(got["values"], want["values"], strict=True):
        same = isinstance(g, torch.Tensor) and g.shape == w.shape and g.dtype == w.dtype and torch.equal(g, w)
        expect(same, f"{what}: the values of the caller's tensor changed.", hint)
    for g, w in zip(got["requires_grad"], want["requires_grad"], strict=True):
        expect(g is w, f"{what}: the caller's tensor has a different requires_grad flag now.", hint)
    for g, w in zip(got["is_leaf"], want["is_leaf"], strict=True):
        expect(g is w, f"{what}: the caller's tensor is no longer a leaf.", hint)
    for g, w in zip(got["grad_none"], want["grad_none"], strict=True):
        expect(g is w, f"{what}: autograd wrote into the caller's tensor's .grad.", hint)


def caller_kept(got: dict, want: dict) -> bool:
    try:
        expect_caller_kept(got, want, "", "")
    except (AssertionError, KeyError, TypeError):
        return False
    return True


def expect_on_device(got: dict, want: dict, what: str, expected_shape: str, error_hint: str | None = None) -> None:
    """The result of a call on another device's tensors lives there, with the expected shape and dtype."""
    if got["needs_values"] is True and want["needs_values"] is False:
        return  # the code reads values (.item()), which a device without values cannot give: not held against it
    expect(
        got["left_device"] is not True,
        f"{what}: your code moved data off the input's device (or mixed it with tensors on the CPU).",
        DEVICE_HINT,
    )
    ran(got, what, error_hint)
    expect(got["tensor"] is True, f"{what} should return a torch.Tensor.")
    expect(got["on_device"] is True, f"{what}: the result is not on the input's device.", DEVICE_HINT)
    expect(
        got["shape"] == want["shape"],
        f"{what}: the result should have the shape {expected_shape}; {shape_words(got['shape'], want['shape'])}.",
    )
    expect(
        isinstance(got["dtype"], torch.Tensor) and got["dtype"].dtype == want["dtype"].dtype,
        f"{what}: the result should have dtype {want['dtype'].dtype}.",
    )
    expect(
        got["requires_grad"] is want["requires_grad"],
        f"{what}: the result has requires_grad=True; it should not require grad.",
    )


# =============================================================================================
# Exercise 1: stack_features
# =============================================================================================
@probe(exercise=1)
def stack_features_cases(ns):
    """stack_features on float64, int64 and float32 features of other lengths than the notebook's, on single
    values (N = 1), and on meta-device features; the inputs must not change."""
    cases = {
        "float64": [torch.randn(7, dtype=torch.float64) for _ in range(3)],
        "int64": [torch.randint(-100, 100, (5,)) for _ in range(3)],
        "float32": [torch.randn(4) for _ in range(3)],
        "one_row": [torch.randn(1, dtype=torch.float64) for _ in range(3)],
    }
    out = {}
    for name, features in cases.items():
        record = call(ns["stack_features"], *features)
        record["inputs"] = caller_state(*features)
        out[name] = record
    on_device = [torch.empty(6, dtype=torch.float64, device=META) for _ in range(3)]
    out["device"] = call_on_device(ns["stack_features"], *on_device)
    return out


STACK_CASES = {
    "float64": "stack_features on three float64 feature vectors (random values, another length than the notebook's)",
    "int64": "stack_features on three torch.int64 feature vectors",
    "float32": "stack_features on three float32 feature vectors",
    "one_row": "stack_features on three feature vectors of a single value each (N = 1)",
}
COLUMNS_HINT = (
    "each input must become one COLUMN: stack along dim=1, or concatenate (N, 1) columns along dim=1 "
    "(torch.stack without dim, or torch.cat along dim=0, gives other shapes)"
)
SCRAMBLE_HINT = (
    "concatenating the 1-D inputs and reshaping to (-1, 3) scrambles the rows, because reshape refills row by "
    "row; join (N, 1) columns along dim=1 instead"
)


def check_stack(got: dict, want: dict, case: str) -> None:
    what = STACK_CASES[case]
    ran(got, what)
    out = returned_tensor(got["out"], what)
    ref = want["out"]["value"]
    same_shape(out, ref, what, "(N, 3) for inputs of shape (N,)", COLUMNS_HINT)
    same_dtype(out, ref, what, "keep the inputs' dtype: do not convert with .float() or torch.Tensor(...)")
    if not torch.equal(out, ref):
        scrambled = torch.equal(out.reshape(-1).sort().values, ref.reshape(-1).sort().values)
        expect(
            False,
            f"{what}: the values are in the wrong places; row i should be (temperature[i], rainfall[i], humidity[i]).",
            SCRAMBLE_HINT if scrambled else None,
        )


@weight(4)
def test_exercise1(probes):
    got, want = probes("stack_features_cases")
    check_stack(got["float64"], want["float64"], "float64")


def test_exercise1_keeps_dtype(probes):
    got, want = probes("stack_features_cases")
    for case in ("int64", "float32"):
        check_stack(got[case], want[case], case)


def test_exercise1_single_row(probes):
    got, want = probes("stack_features_cases")
    check_stack(got["one_row"], want["one_row"], "one_row")


def test_exercise1_inputs_unchanged(probes):
    got, want = probes("stack_features_cases")
    for case, what in STACK_CASES.items():
        ran(got[case], what)
        expect_caller_kept(
            got[case]["inputs"],
            want[case]["inputs"],
            f"{what}: it modified its inputs",
            "build a new tensor; do not modify the arguments in place",
        )


def test_exercise1_on_device(probes):
    got, want = probes("stack_features_cases")
    what = "stack_features on feature vectors that live on another device than the CPU (as on a GPU)"
    expect_on_device(got["device"], want["device"], what, "(N, 3)")


# =============================================================================================
# Exercise 2: standardize_columns
# =============================================================================================
@probe(exercise=2)
def standardize_cases(ns):
    """standardize_columns on float64, float32, int64 and int32 inputs of other shapes than the notebook's, with
    columns of varied scales, and on meta-device float64 and int64 inputs."""
    scale64 = torch.tensor([1.0, 10.0, 100.0, 0.1], dtype=torch.float64)
    shift64 = torch.tensor([5.0, -3.0, 50.0, 0.0], dtype=torch.float64)
    cases = {
        "float64": torch.randn(9, 4, dtype=torch.float64) * scale64 + shift64,
        "float32": torch.randn(6, 5) * torch.tensor([1.0, 3.0, 0.5, 20.0, 2.0]) + 4.0,
        "int64": torch.randint(0, 100, (8, 3)),
        "int32": torch.randint(-50, 50, (7, 2), dtype=torch.int32),
    }
    out = {}
    for name, x in cases.items():
        record = call(ns["standardize_columns"], x)
        record["x"] = caller_state(x)
        out[name] = record
    out["device"] = call_on_device(ns["standardize_columns"], torch.empty(6, 4, dtype=torch.float64, device=META))
    out["device_int"] = call_on_device(ns["standardize_columns"], torch.empty(5, 3, dtype=torch.int64, device=META))
    return out


STANDARDIZE_CASES = {
    "float64": "standardize_columns of a float64 x (random values, another shape than the notebook's)",
    "float32": "standardize_columns of a float32 x",
    "int64": "standardize_columns of an integer (torch.int64) x",
    "int32": "standardize_columns of an integer (torch.int32) x",
}
LONG_HINT = (
    "mean() and std() are not defined for integer ('Long') tensors: convert an integer x with x.float() first "
    "(any integer dtype, not only int64)"
)


def check_standardized(got: dict, want: dict, case: str, rtol: float, atol: float, error_hint=None) -> None:
    what = STANDARDIZE_CASES[case]
    ran(got, what, error_hint)
    z = returned_tensor(got["out"], what)
    ref = want["out"]["value"]
    same_shape(z, ref, what, "(N, D) of x")
    same_dtype(z, ref, what, "a floating x keeps its dtype; only an integer x is converted, to float32")
    n = ref.shape[0]
    hint = ratio_hint(
        z,
        ref,
        {
            ((n - 1) / n) ** 0.5: "you divided by the sample standard deviation (N - 1); use the population "
            "one: x.std(dim=0, correction=0)"
        },
        rtol=1e-4,
    )
    if hint is None and z.dtype.is_floating_point:
        means = z.to(torch.float64).mean(dim=0)
        if not torch.allclose(means, torch.zeros_like(means), atol=1e-4):
            hint = (
                "the columns of your result do not have mean 0: take the mean and the standard deviation over "
                "the rows (dim=0), one per column, with keepdim=True or broadcasting"
            )
    expect_close(z, ref, what, rtol=rtol, atol=atol, hint=hint)


@weight(3)
def test_exercise2(probes):
    got, want = probes("standardize_cases")
    check_standardized(got["float64"], want["float64"], "float64", rtol=1e-10, atol=1e-12)


@weight(3)
def test_exercise2_integer_input(probes):
    got, want = probes("standardize_cases")
    for case in ("int64", "int32"):
        check_standardized(got[case], want[case], case, rtol=1e-5, atol=1e-5, error_hint=LONG_HINT)


def test_exercise2_float32(probes):
    got, want = probes("standardize_cases")
    check_standardized(got["float32"], want["float32"], "float32", rtol=1e-5, atol=1e-5)


def test_exercise2_x_unchanged(probes):
    got, want = probes("standardize_cases")
    for case, what in STANDARDIZE_CASES.items():
        ran(got[case], what, LONG_HINT if case.startswith("int") else None)
        expect_caller_kept(
            got[case]["x"],
            want[case]["x"],
            f"{what}: it modified its argument x",
            "x must not be modified: compute a new tensor, (x - mean) / std, instead of `x -= ...` or `x /= ...` "
            "on the argument",
        )


def test_exercise2_on_device(probes):
    got, want = probes("standardize_cases")
    expect_on_device(
        got["device"], want["device"], "standardize_columns of a float64 x on another device than the CPU", "(N, D)"
    )
    what = "standardize_columns of an integer x on another device than the CPU"
    expect_on_device(got["device_int"], want["device_int"], what, "(N, D)", LONG_HINT)


# =============================================================================================
# Exercise 3: to_tensor_shared / to_numpy
# =============================================================================================
@probe(exercise=3)
def to_tensor_shared_cases(ns):
    """to_tensor_shared on float64, float32, int64, 1-D int32, 3-D and transposed arrays; then a write on each
    side must show on the other."""
    arrays = {
        "float64": np.random.randn(4, 6),
        "float32": np.random.randn(3, 5).astype(np.float32),
        "int64": np.random.randint(-50, 50, size=(5, 2)).astype(np.int64),
        "int32": np.random.randint(-50, 50, size=7).astype(np.int32),
        "3d": np.random.randn(2, 3, 4),
        "transposed": np.random.randn(5, 3).T,
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
                with torch.set_grad_enabled(False):
                    t[last] = -77
                record["tensor_to_numpy"] = bool(array[last] == -77)
            except Exception:  # noqa: BLE001 (a student's tensor may refuse the write)
                record["tensor_to_numpy"] = False
        out[name] = record
    return out


TENSOR_CASES = {
    "float64": "to_tensor_shared on a float64 array",
    "float32": "to_tensor_shared on a float32 array",
    "int64": "to_tensor_shared on an int64 array",
    "int32": "to_tensor_shared on a 1-D int32 array",
    "3d": "to_tensor_shared on a 3-D float64 array",
    "transposed": "to_tensor_shared on a transposed view (array.T)",
}
SHARE_HINT = (
    "use torch.from_numpy(array), which shares memory with the array; torch.tensor(array) and "
    "torch.Tensor(array) copy (and torch.Tensor, .float() also convert the dtype)"
)


@weight(4)
def test_exercise3_shares_memory(probes):
    got, want = probes("to_tensor_shared_cases")
    for case, what in TENSOR_CASES.items():
        record = got[case]
        ran(record, what)
        t = returned_tensor(record["out"], what)
        ref = want[case]["out"]["value"]
        same_shape(t, ref, what, "of the array")
        same_dtype(t, ref, what, "keep the array's dtype: torch.Tensor(...) and .float() convert to float32")
        expect(torch.equal(t, ref), f"{what}: the tensor does not hold the array's values.")
        expect(record["measured"] is True, f"{what}: memory sharing could not be tested.")
        expect(
            record["numpy_to_tensor"] is True,
            f"{what}: after writing into the array the tensor did not change, so the two do not share memory.",
            SHARE_HINT,
        )
        expect(
            record["tensor_to_numpy"] is True,
            f"{what}: after writing into the tensor the array did not change, so the two do not share memory.",
            SHARE_HINT,
        )


@probe(exercise=3)
def to_numpy_cases(ns):
    """to_numpy on a float32 leaf that requires grad, a computed float64 tensor that requires grad, a plain 3-D
    float64 tensor, a float16 tensor and a float32 tensor that requires grad on a (stand-in) GPU."""
    leaf = torch.randn(3, 5).requires_grad_(True)
    base = torch.randn(4, 2, dtype=torch.float64).requires_grad_(True)
    plain = torch.randn(2, 3, 4, dtype=torch.float64)
    half = torch.randn(3, 2).to(torch.float16)
    gpu = torch.randn(2, 5).as_subclass(OnGPU).requires_grad_(True)
    cases = {
        "leaf": (leaf, leaf),
        "computed": (base * 2 + 1, base),
        "plain": (plain, plain),
        "float16": (half, half),
        "gpu": (gpu, gpu),
    }
    out = {}
    for name, (t, root) in cases.items():
        flag = bool(t.requires_grad)
        numpy_dtype = torch.empty(0, dtype=t.dtype).numpy().dtype
        a, error = attempt(ns["to_numpy"], t)
        record = {"error": error, "requires_grad": flag, "ndarray": isinstance(a, np.ndarray)}
        if record["ndarray"]:
            record["dtype_kept"] = bool(a.dtype == numpy_dtype)
            record["shape"] = list(a.shape)
            try:
                record["values"] = torch.from_numpy(np.array(a, dtype=np.float64))
            except (TypeError, ValueError):
                record["values"] = None
        record["caller"] = caller_state(t, root)
        out[name] = record
    return out


NUMPY_CASES = {
    "leaf": "to_numpy on a float32 leaf tensor that requires grad",
    "computed": "to_numpy on a computed float64 tensor that requires grad",
    "plain": "to_numpy on a 3-D float64 tensor",
    "float16": "to_numpy on a float16 tensor",
    "gpu": "to_numpy on a float32 tensor on a GPU that requires grad",
}
DETACH_HINT = (
    "NumPy knows nothing about autograd or GPUs: leave the graph with t.detach() and the GPU with .cpu() "
    "before .numpy(), i.e. t.detach().cpu().numpy()"
)


@weight(2)
def test_exercise3_to_numpy_requires_grad(probes):
    got, want = probes("to_numpy_cases")
    for case, what in NUMPY_CASES.items():
        if want[case]["requires_grad"] is True:
            ran(got[case], what, DETACH_HINT)


def test_exercise3_to_numpy_values(probes):
    got, want = probes("to_numpy_cases")
    for case, what in NUMPY_CASES.items():
        record, ref = got[case], want[case]
        ran(record, what, DETACH_HINT)
        expect(record["ndarray"] is True, f"{what} should return a np.ndarray.", "return t.detach().cpu().numpy()")
        expect(
            record["shape"] == ref["shape"],
            f"{what}: the array should have the tensor's shape; {shape_words(record['shape'], ref['shape'])}.",
        )
        expect(
            record["dtype_kept"] is True,
            f"{what}: the array should have the tensor's dtype.",
            "keep the dtype: np.array(t.tolist()) turns float32 and float16 into float64",
        )
        values = record["values"]
        expect(
            isinstance(values, torch.Tensor)
            and values.shape == ref["values"].shape
            and torch.equal(values, ref["values"]),
            f"{what}: the array does not hold the tensor's values.",
        )


def test_exercise3_to_numpy_caller_unchanged(probes):
    got, want = probes("to_numpy_cases")
    for case, what in NUMPY_CASES.items():
        ran(got[case], what, DETACH_HINT)
        expect_caller_kept(
            got[case]["caller"],
            want[case]["caller"],
            f"{what}: it modified the caller's tensor",
            "t must not be modified, in particular not its requires_grad flag: t.detach() returns a new tensor "
            "and leaves t alone, t.requires_grad_(False) changes t",
        )


# =============================================================================================
# Exercise 4: grad_of
# =============================================================================================
def smooth(x):
    """A scalar test function of a tensor of any shape and dtype."""
    return (torch.sin(x) * x).sum() + (x**3).sum() / 3


@probe(exercise=4)
def grad_of_cases(ns):
    """grad_of of nonlinear functions at float64 points of other shapes than the notebook's: a plain x (twice),
    a leaf and a computed x that require grad, a 0-d, a 3-D and a float32 x, a meta-device x, and three
    functions through which no gradient reaches x."""
    W = torch.randn(3, 5, dtype=torch.float64)
    values = torch.randn(3, 5, dtype=torch.float64)
    other = torch.randn(3, 5, dtype=torch.float64).requires_grad_(True)
    shaped = {
        "zero_dim": torch.randn((), dtype=torch.float64),
        "three_d": torch.randn(2, 3, 4, dtype=torch.float64),
        "float32": torch.randn(4, 2),
    }

    def f(x):
        return (W * x).sum() + (x**3).sum() / 3 + torch.sin(x).sum()

    grad_of = ns["grad_of"]
    out = {}

    x = values.clone()
    first, error = attempt(grad_of, f, x)
    out["plain"] = {"error": error, "out": describe(first) if error is None else None}
    out["plain_again"] = call(grad_of, f, x)
    out["plain"]["caller"] = caller_state(x)
    if error is None and isinstance(first, torch.Tensor):  # the result must be a new tensor
        try:
            with torch.set_grad_enabled(False):
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

    for name, xs in shaped.items():
        out[name] = call(grad_of, smooth, xs.clone())

    no_path = {
        "detached": lambda v: (v.detach() ** 2).sum(),
        "constant": lambda v: torch.tensor(2.0, dtype=v.dtype),
        "other_leaf": lambda v: (other * v.detach()).sum(),
    }
    for name, f0 in no_path.items():
        x0 = values.clone()
        record = call(grad_of, f0, x0)
        record["caller"] = caller_state(x0)
        out[name] = record

    on_device = torch.empty(3, 4, dtype=torch.float64, device=META)
    out["device"] = call_on_device(grad_of, smooth, on_device)
    out["device_no_path"] = call_on_device(grad_of, no_path["detached"], on_device)
    return out


GRAD_OF_CASES = {
    "plain": "grad_of(f, x) for a float64 x (another shape than the notebook's)",
    "plain_again": "a second call of grad_of(f, x) on the same x",
    "leaf": "grad_of(f, x) for an x that requires grad",
    "non_leaf": "grad_of(f, x) for a computed x that requires grad",
}
SHAPED_CASES = {
    "zero_dim": "grad_of(f, x) for a 0-d x",
    "three_d": "grad_of(f, x) for a 3-D x",
    "float32": "grad_of(f, x) for a float32 x",
}
NO_PATH_CASES = {
    "detached": "grad_of for f(x) = sum(x.detach()**2), through which no gradient reaches x",
    "constant": "grad_of for the constant f(x) = 2",
    "other_leaf": "grad_of for f(x) = sum(v * x.detach()) with a v that requires grad, so no gradient reaches x",
}
ZERO_HINT = "when f's output does not require grad or no gradient reaches x, the answer is torch.zeros_like(x)"
PRIVATE_COPY = "work on a private copy: x.detach().clone().requires_grad_(True)"
ATTACHED_HINT = (
    "a clone of a tensor that requires grad stays connected to it, so backward() flows into the caller's "
    "tensor: detach() before clone(), x.detach().clone().requires_grad_(True)"
)


def check_gradient(got: dict, want: dict, what: str, error_hint: str | None = None) -> dict:
    ran(got, what, error_hint)
    g = returned_tensor(got["out"], what)
    ref = want["out"]["value"]
    same_shape(g, ref, what, "of x")
    same_dtype(g, ref, what, "the gradient has x's dtype: do not convert the private copy (e.g. with .float())")
    expect_close(g, ref, what, rtol=1e-10 if ref.dtype == torch.float64 else 1e-5, atol=1e-12, hint=error_hint)
    return got["out"]


@weight(3)
def test_exercise4(probes):
    got, want = probes("grad_of_cases")
    for case in ("plain", "plain_again"):
        check_gradient(got[case], want[case], GRAD_OF_CASES[case])


def test_exercise4_other_shapes_and_dtypes(probes):
    got, want = probes("grad_of_cases")
    for case, what in SHAPED_CASES.items():
        check_gradient(got[case], want[case], what)


def test_exercise4_result_does_not_require_grad(probes):
    got, _ = probes("grad_of_cases")
    for case, what in {**GRAD_OF_CASES, **SHAPED_CASES}.items():
        ran(got[case], what)
        returned_tensor(got[case]["out"], what)
        expect(
            got[case]["out"]["requires_grad"] is False,
            f"{what}: the returned gradient has requires_grad=True; it should not require grad.",
            "return the .grad of your private copy (or .detach() it); do not use create_graph=True",
        )


@weight(2)
def test_exercise4_x_unchanged(probes):
    got, want = probes("grad_of_cases")
    what = GRAD_OF_CASES["plain"]
    ran(got["plain"], what)
    expect_caller_kept(
        got["plain"]["caller"],
        want["plain"]["caller"],
        f"{what}: it modified the caller's x",
        f"x must not be modified (values, requires_grad, .grad): {PRIVATE_COPY}",
    )
    after, ref = got["plain"]["after_write"]["values"], want["plain"]["after_write"]["values"]
    expect(
        isinstance(after, list) and len(after) == len(ref) and all(map(torch.equal, after, ref)),
        f"{what}: writing into the returned gradient changed the caller's x; return a new tensor.",
    )


@weight(2)
def test_exercise4_x_requires_grad(probes):
    got, want = probes("grad_of_cases")
    for case in ("leaf", "non_leaf"):
        what = GRAD_OF_CASES[case]
        ran(got[case], what, ATTACHED_HINT)
        expect_caller_kept(
            got[case]["caller"],
            want[case]["caller"],
            f"{what}: it modified the caller's x (or what x was computed from)",
            ATTACHED_HINT,
        )
        check_gradient(got[case], want[case], what, ATTACHED_HINT)


def test_exercise4_zero_gradient(probes):
    got, want = probes("grad_of_cases")
    hint = ZERO_HINT
    for case, what in NO_PATH_CASES.items():
        ran(got[case], what, hint)
        g = returned_tensor(got[case]["out"], what, hint)
        ref = want[case]["out"]["value"]
        same_shape(g, ref, what, "of x", hint)
        same_dtype(g, ref, what, hint)
        expect(torch.equal(g, ref), f"{what}: the result should be zeros.", hint)
        expect(
            got[case]["out"]["requires_grad"] is False,
            f"{what}: the result has requires_grad=True; it should not require grad.",
        )
        expect_caller_kept(
            got[case]["caller"], want[case]["caller"], f"{what}: it modified the caller's x", PRIVATE_COPY
        )


def test_exercise4_on_device(probes):
    got, want = probes("grad_of_cases")
    expect_on_device(got["device"], want["device"], "grad_of(f, x) for an x on another device than the CPU", "of x")
    expect_on_device(
        got["device_no_path"],
        want["device_no_path"],
        "grad_of(f, x) for an x on another device than the CPU, through which no gradient reaches x",
        "of x",
        ZERO_HINT,
    )


# =============================================================================================
# Exercise 5: gradient_descent
# =============================================================================================
@probe(exercise=5)
def gradient_descent_cases(ns):
    """gradient_descent on smooth float64 functions of points of other shapes than the notebook's: one to four
    steps, the defaults, an x0 that requires grad, a 0-d and a float32 x0, a function whose autograd gradient
    differs from its derivative, and a meta-device x0."""
    c = torch.randn(4, 3, dtype=torch.float64)
    s = torch.rand(4, 3, dtype=torch.float64) + 0.5
    start = torch.randn(4, 3, dtype=torch.float64)
    start_0d = torch.randn((), dtype=torch.float64)
    start_32 = torch.randn(5)

    def f(x):
        return (s * (x - c) ** 2).sum() + 0.3 * torch.sin(x).sum()

    def half_seen(x):  # autograd sees the gradient x - c; the function's derivative is 2 (x - c)
        return ((x - c).detach() * (x - c)).sum()

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

    out["zero_dim"] = call(gd, smooth, start_0d.clone(), lr=0.1, steps=3)
    out["float32"] = call(gd, smooth, start_32.clone(), lr=0.1, steps=3)
    out["autograd"] = call(gd, half_seen, start.clone(), lr=0.1, steps=3)
    out["device"] = call_on_device(gd, smooth, torch.empty(3, 2, dtype=torch.float64, device=META), lr=0.1, steps=2)
    return out


GD_ERROR_HINT = (
    "update x in place inside `with torch.no_grad():` so that x stays a leaf whose .grad autograd fills, and "
    "zero x.grad after every update"
)
GD_DETACH_HINT = (
    "a clone of a tensor that requires grad stays connected to it: make the private copy with "
    "x0.detach().clone().requires_grad_(True)"
)
X0_HINT = "x0 must not be modified (values, requires_grad, .grad): work on x0.detach().clone().requires_grad_(True)"
GD_STEPS = {
    1: "gradient_descent for one step",
    2: "gradient_descent for two steps",
    3: "gradient_descent for three steps",
    4: "gradient_descent for four steps",
}
GD_ABOUT = " (float64 x0 of another shape than the notebook's, another lr)"


def gd_error_hint(got: dict, key: str) -> str:
    """Why a call may have raised: a copy still attached to x0 when only the x0-requiring-grad case fails."""
    return GD_DETACH_HINT if key == "leaf" and got["plain"]["error"] is None else GD_ERROR_HINT


def check_point(got: dict, want: dict, what: str, error_hint: str = GD_ERROR_HINT) -> torch.Tensor:
    ran(got, what, error_hint)
    x = returned_tensor(got["out"], what)
    ref = want["out"]["value"]
    same_shape(x, ref, what, "of x0")
    same_dtype(x, ref, what, "keep x0's dtype")
    return x


@weight(4)
def test_exercise5(probes):
    got, want = probes("gradient_descent_cases")
    previous_ref = want["start"]
    for steps, words in GD_STEPS.items():
        key, what = f"steps{steps}", words + GD_ABOUT
        x = check_point(got[key], want[key], what)
        ref = want[key]["out"]["value"]
        if not torch.allclose(x, ref, rtol=1e-9, atol=1e-12):
            following = want.get(f"steps{steps + 1}")
            if torch.allclose(x, previous_ref, rtol=1e-9, atol=1e-12):
                hint = "your result is the point one update earlier: take exactly `steps` updates"
            elif following is not None and torch.allclose(x, following["out"]["value"], rtol=1e-9, atol=1e-12):
                hint = "your result is the point one update later: take exactly `steps` updates"
            elif steps == 1:
                hint = "check the sign of the update, x - lr * grad, and use the lr argument"
            else:
                hint = (
                    "one step is right but more steps are not: zero x.grad after every update (backward() ADDS to "
                    ".grad), and take exactly `steps` updates"
                )
            expect_close(x, ref, what, rtol=1e-9, atol=1e-12, hint=hint)
        previous_ref = ref


def test_exercise5_default_arguments(probes):
    got, want = probes("gradient_descent_cases")
    what = "gradient_descent(f, x0) with the documented defaults lr=0.1 and steps=10"
    x = check_point(got["defaults"], want["defaults"], what)
    expect_close(
        x, want["defaults"]["out"]["value"], what, rtol=1e-9, atol=1e-12, hint="keep the defaults lr=0.1, steps=10"
    )


def test_exercise5_result_does_not_require_grad(probes):
    got, _ = probes("gradient_descent_cases")
    for key in ("steps1", "steps3", "defaults", "leaf"):
        what = "gradient_descent" + (" for an x0 that requires grad" if key == "leaf" else "")
        ran(got[key], what, gd_error_hint(got, key))
        returned_tensor(got[key]["out"], what)
        expect(
            got[key]["out"]["requires_grad"] is False,
            f"{what} returned a tensor with requires_grad=True; the result should not require grad.",
            "give back a tensor detached from the graph, x.detach()",
        )


def test_exercise5_x0_unchanged(probes):
    got, want = probes("gradient_descent_cases")
    what = "gradient_descent for three steps"
    check_point(got["plain"], want["plain"], what)
    expect_caller_kept(got["plain"]["caller"], want["plain"]["caller"], f"{what}: it modified the caller's x0", X0_HINT)


def test_exercise5_x0_requires_grad(probes):
    got, want = probes("gradient_descent_cases")
    what = "gradient_descent for three steps from an x0 that requires grad"
    x = check_point(got["leaf"], want["leaf"], what, gd_error_hint(got, "leaf"))
    plain_kept = caller_kept(got["plain"]["caller"], want["plain"]["caller"])
    expect_caller_kept(
        got["leaf"]["caller"],
        want["leaf"]["caller"],
        f"{what}: it modified the caller's x0",
        GD_DETACH_HINT if plain_kept else X0_HINT,
    )
    expect_close(x, want["leaf"]["out"]["value"], what, rtol=1e-9, atol=1e-12)


def test_exercise5_other_shapes_and_dtypes(probes):
    got, want = probes("gradient_descent_cases")
    for key, what, rtol in (
        ("zero_dim", "gradient_descent from a 0-d x0", 1e-9),
        ("float32", "gradient_descent from a float32 x0", 1e-5),
    ):
        x = check_point(got[key], want[key], what)
        expect_close(x, want[key]["out"]["value"], what, rtol=rtol, atol=1e-6 if rtol > 1e-9 else 1e-12)


def test_exercise5_uses_autograd(probes):
    got, want = probes("gradient_descent_cases")
    what = "gradient_descent on a function that hides part of its dependence on x from autograd (a detach())"
    x = check_point(got["autograd"], want["autograd"], what)
    expect_close(
        x,
        want["autograd"]["out"]["value"],
        what,
        rtol=1e-9,
        atol=1e-12,
        hint="each update uses autograd's gradient (backward() on f's output), not a finite-difference estimate",
    )


def test_exercise5_on_device(probes):
    got, want = probes("gradient_descent_cases")
    expect_on_device(
        got["device"], want["device"], "gradient_descent from an x0 on another device than the CPU", "of x0"
    )


# =============================================================================================
# Exercise 6: numerical_gradient / gradient_check
# =============================================================================================
class Spy:
    """A scalar test function that records, for each call, how its input differs from the caller's x and
    whether the caller's x was modified at that moment."""

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
    """numerical_gradient of a smooth function at float64 points of other shapes than the notebook's, with a
    large step and with the default one; at a 3-D x that requires grad, a float32, a 1-D and a 0-d x; and at a
    meta-device x."""
    points = {
        "half_step": (torch.randn(3, 5, dtype=torch.float64), {"eps": 0.5}),
        "requires_grad_3d": (torch.randn(2, 3, 4, dtype=torch.float64), {"eps": 0.5}),
        "float32": (torch.randn(4, 3), {"eps": 0.1}),
        "one_d": (torch.randn(6, dtype=torch.float64), {"eps": 0.25}),
        "zero_dim": (torch.randn((), dtype=torch.float64), {"eps": 0.5}),
    }
    weights = {name: torch.rand(x.shape, dtype=x.dtype) for name, (x, _) in points.items()}
    points["default_eps"] = (points["half_step"][0].clone(), {})
    weights["default_eps"] = weights["half_step"]

    ng = ns["numerical_gradient"]
    out = {}
    for name, (x, kwargs) in points.items():
        xi = x.clone().requires_grad_(True) if name == "requires_grad_3d" else x.clone()
        spy = Spy(xi, weights[name])
        record = call(ng, spy, xi, **kwargs)
        record["spy"] = spy.summary()
        record["caller"] = caller_state(xi)
        out[name] = record
    out["device"] = call_on_device(ng, smooth, torch.empty(2, 3, dtype=torch.float64, device=META), eps=0.5)
    return out


NG_CASES = {
    "half_step": ("numerical_gradient(f, x, eps) with a large step, float64 x of another shape", 1e-10, 1e-12),
    "default_eps": ("numerical_gradient(f, x) with the default eps=1e-6, float64 x", 1e-6, 1e-6),
    "requires_grad_3d": ("numerical_gradient(f, x, eps) for a 3-D float64 x that requires grad", 1e-10, 1e-12),
    "float32": ("numerical_gradient(f, x, eps) for a float32 x", 1e-3, 1e-3),
    "one_d": ("numerical_gradient(f, x, eps) for a 1-D float64 x", 1e-10, 1e-12),
    "zero_dim": ("numerical_gradient(f, x, eps) for a 0-d float64 x", 1e-10, 1e-12),
}
ONE_AT_A_TIME = (
    "perturb one element at a time, f(x + eps*e_i) with e_i zero except at position i; moving every element at "
    "once gives the sum of the partial derivatives"
)
CENTRAL = (
    "use the central difference (f(x + eps*e_i) - f(x - eps*e_i)) / (2*eps); the one-sided difference "
    "(f(x + eps*e_i) - f(x)) / eps has an O(eps) error"
)
NG_X_HINT = (
    "x must not be modified, not even temporarily: build each perturbed input as a new tensor (or perturb a "
    "private clone, x.detach().clone())"
)


def check_numerical_gradient(got: dict, want: dict, case: str) -> None:
    what, rtol, atol = NG_CASES[case]
    ran(got, what)
    g = returned_tensor(got["out"], what)
    ref = want["out"]["value"]
    spy = got["spy"]
    if g.numel() == 1 and ref.numel() > 1:
        expect(
            False, f"{what}: the result should have the shape of x; {shape_words(g.shape, ref.shape)}.", ONE_AT_A_TIME
        )
    same_shape(g, ref, what, "of x", "reshape the result to x.shape")
    same_dtype(g, ref, what, "create the result with torch.zeros_like(x) so that it has x's dtype")
    if torch.allclose(g, ref, rtol=rtol, atol=atol):
        return
    hint = ratio_hint(g, ref, {2.0: "divide by 2*eps, not by eps"}, rtol=1e-6)
    if hint is None and spy["caller_modified_during"] is True:
        hint = NG_X_HINT
    if hint is None and isinstance(spy["max_perturbed"], int) and spy["max_perturbed"] > 1:
        hint = ONE_AT_A_TIME
    if hint is None and spy["any_negative"] is False:
        hint = CENTRAL
    if hint is None and g.numel() > 1 and torch.allclose(g, g.reshape(-1)[0].expand_as(g)):
        hint = ONE_AT_A_TIME
    expect_close(g, ref, what, rtol=rtol, atol=atol, hint=hint)


@weight(3)
def test_exercise6_numerical_gradient(probes):
    got, want = probes("numerical_gradient_cases")
    check_numerical_gradient(got["half_step"], want["half_step"], "half_step")


def test_exercise6_numerical_gradient_default_eps(probes):
    got, want = probes("numerical_gradient_cases")
    check_numerical_gradient(got["default_eps"], want["default_eps"], "default_eps")


def test_exercise6_numerical_gradient_shape_and_dtype(probes):
    got, want = probes("numerical_gradient_cases")
    for case in ("requires_grad_3d", "float32", "one_d", "zero_dim"):
        check_numerical_gradient(got[case], want[case], case)
    what = NG_CASES["requires_grad_3d"][0]
    expect(
        got["requires_grad_3d"]["out"]["requires_grad"] is False,
        f"{what}: the result has requires_grad=True; it should not require grad.",
        "call f on x.detach()-based inputs under torch.no_grad()",
    )


def test_exercise6_numerical_gradient_x_unchanged(probes):
    got, want = probes("numerical_gradient_cases")
    for case, (what, _, _) in NG_CASES.items():
        ran(got[case], what)
        expect(
            got[case]["spy"]["caller_modified_during"] is False,
            f"{what}: the caller's x was modified while numerical_gradient ran (f saw a changed x).",
            NG_X_HINT,
        )
        expect_caller_kept(got[case]["caller"], want[case]["caller"], f"{what}: it modified the caller's x", NG_X_HINT)


def test_exercise6_numerical_gradient_on_device(probes):
    got, want = probes("numerical_gradient_cases")
    expect_on_device(
        got["device"], want["device"], "numerical_gradient(f, x, eps) for an x on another device than the CPU", "of x"
    )


@probe(exercise=6)
def gradient_check_cases(ns):
    """gradient_check at float64 points of another shape than the notebook's: a correct gradient with the
    default eps and a large one, a function whose gradient autograd only partly sees, one whose dependence
    autograd does not see at all, and an x that requires grad."""
    x = torch.randn(3, 5, dtype=torch.float64)
    w = torch.rand(3, 5, dtype=torch.float64) + 0.5

    def honest(v):
        return torch.sin(v).sum() + 0.5 * (w * v * v).sum()

    def partly_hidden(v):
        return 1.5 * (v.detach() ** 2).sum() + 1.5 * (v**2).sum()  # autograd sees 3v, differences see 6v

    def hidden(v):
        return 1.5 * (v.detach() ** 2).sum()  # autograd sees nothing, differences see 3v

    # For `partly_hidden`, a - n = -3x: make the entry of largest magnitude positive, so that the signed
    # maximum of a - n differs from the maximum of |a - n|.
    x_leaky = x * torch.sign(x.reshape(-1)[x.abs().argmax()])

    gc = ns["gradient_check"]
    cases = {
        "default": (honest, x.clone(), {}),
        "half_step": (honest, x.clone(), {"eps": 0.5}),
        "partly_hidden": (partly_hidden, x_leaky, {}),
        "hidden": (hidden, x.clone(), {}),
        "requires_grad": (honest, x.clone().requires_grad_(True), {"eps": 0.5}),
    }
    out = {}
    for name, (f, xi, kwargs) in cases.items():
        err, error = attempt(gc, f, xi, **kwargs)
        record = {"error": error, "caller": caller_state(xi), "is_float": isinstance(err, float), "value": None}
        if error is None:
            try:
                if isinstance(err, torch.Tensor) and err.numel() == 1:
                    record["value"] = float(err.detach().reshape(-1)[0])
                elif isinstance(err, (int, float, np.floating, np.integer)) and not isinstance(err, bool):
                    record["value"] = float(err)
            except (TypeError, ValueError, RuntimeError):
                record["value"] = None
        out[name] = record
    return out


GC_CASES = {
    "default": ("gradient_check(f, x) for a correct autograd gradient (default eps)", 0.0, 1e-7),
    "half_step": ("gradient_check(f, x, eps) with a large step, for a correct autograd gradient", 1e-8, 1e-12),
    "partly_hidden": ("gradient_check(f, x) for a function that autograd only partly sees (a detach())", 1e-8, 1e-12),
    "hidden": ("gradient_check(f, x) for a function whose dependence on x autograd does not see at all", 1e-8, 1e-12),
    "requires_grad": ("gradient_check(f, x, eps) for an x that requires grad", 1e-8, 1e-12),
}
GC_FORMULA = (
    "the relative error is max|a - n| divided by max(max|a|, max|n|, 1e-12): one maximum over the whole tensor, "
    "with both the autograd gradient a and the numerical one n in the denominator"
)
GC_HIDDEN = (
    "when no gradient reaches x, autograd's gradient is zeros (as grad_of returns them): call grad_of, or handle "
    "an output that does not require grad, instead of calling backward() on it"
)
GC_USES_NG = "gradient_check uses your numerical_gradient: fix the problems reported for numerical_gradient first"


def numerical_gradient_matches(probes) -> bool:
    """Whether numerical_gradient agreed with the instructor's on every case (for choosing a hint)."""
    got, want = probes("numerical_gradient_cases")
    for case, (_, rtol, atol) in NG_CASES.items():
        out = got[case]["out"]
        if got[case]["error"] is not None or not isinstance(out, dict) or out.get("type") != "Tensor":
            return False
        g, ref = out["value"], want[case]["out"]["value"]
        if g.shape != ref.shape or g.dtype != ref.dtype or not torch.allclose(g, ref, rtol=rtol, atol=atol):
            return False
    return True


@weight(3)
def test_exercise6_gradient_check(probes):
    got, want = probes("gradient_check_cases")
    numerical_ok = numerical_gradient_matches(probes)
    for case, (what, rtol, atol) in GC_CASES.items():
        record = got[case]
        ran(record, what, GC_HIDDEN if case == "hidden" else None)
        expect(isinstance(record["value"], float), f"{what} should return a Python float.")
        hint = GC_FORMULA if numerical_ok else GC_USES_NG
        default = got["default"]["value"]
        if case == "half_step" and isinstance(default, float) and abs(record["value"] - default) < 1e-6:
            hint = "with another eps you got the same result as with the default eps: pass eps on to numerical_gradient"
        expect_close(record["value"], want[case]["value"], what, rtol=rtol, atol=atol, hint=hint)


def test_exercise6_gradient_check_returns_float(probes):
    got, _ = probes("gradient_check_cases")
    for case, (what, _, _) in GC_CASES.items():
        ran(got[case], what, GC_HIDDEN if case == "hidden" else None)
        expect(
            got[case]["is_float"] is True,
            f"{what} should return a Python float.",
            "convert the result with float(...) or .item()",
        )


def test_exercise6_gradient_check_x_unchanged(probes):
    got, want = probes("gradient_check_cases")
    for case, (what, _, _) in GC_CASES.items():
        ran(got[case], what, GC_HIDDEN if case == "hidden" else None)
        expect_caller_kept(
            got[case]["caller"],
            want[case]["caller"],
            f"{what}: it modified the caller's x",
            "x must not be modified (values, requires_grad, .grad): use grad_of, or differentiate a private copy, "
            "x.detach().clone().requires_grad_(True)",
        )
