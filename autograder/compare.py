"""Assertions for hidden checks, run in the grader process on data from the probes.

Each raises AssertionError with a message a student can act on: what was checked (in words),
what was expected and what came back, and a hint where a common mistake is recognised.
Hidden inputs are never printed.
"""

from __future__ import annotations

import torch


def weight(value: float):
    """Give a hidden test `value` times the default weight (1) in its exercise's score.

    The tests of an exercise's central behaviour (the update rule, a shuffle that keeps pairs together,
    the momentum buffer) weigh most, so that each classic mistake costs at least half of the points.
    """

    def mark(fn):
        fn.weight = float(value)
        return fn

    return mark


def shape_of(t) -> str:
    return "(" + ", ".join(str(s) for s in t.shape) + ")" if isinstance(t, torch.Tensor) else "?"


def expect(condition: bool, message: str, hint: str | None = None) -> None:
    """Fail with `message` (and `Hint: hint`) unless `condition` holds."""
    if not condition:
        raise AssertionError(message + (f"\nHint: {hint}" if hint else ""))


def expect_tensor(got: dict, what: str, dtype: torch.dtype | None = None) -> torch.Tensor:
    """`got` is `describe(value)`: require a tensor (optionally of `dtype`) and return its values."""
    kind = got.get("type")
    expect(
        kind == "Tensor",
        f"{what} should be a torch.Tensor, got {kind}.",
        "convert with torch.from_numpy or keep the computation in torch" if kind == "ndarray" else None,
    )
    value = got["value"]
    if dtype is not None:
        expect(value.dtype == dtype, f"{what} should have dtype {dtype}, got {value.dtype}.")
    return value


def expect_close(got, want, what: str, rtol: float = 1e-6, atol: float = 1e-8, hint: str | None = None) -> None:
    """Same shape and values within tolerance (tensors or numbers)."""
    got_t = torch.as_tensor(got, dtype=torch.float64)
    want_t = torch.as_tensor(want, dtype=torch.float64)
    expect(got_t.shape == want_t.shape, f"{what}: expected shape {shape_of(want_t)}, got {shape_of(got_t)}.", hint)
    expect(
        bool(torch.isfinite(got_t).all()) or not bool(torch.isfinite(want_t).all()),
        f"{what}: got inf or nan values.",
        hint,
    )
    close = torch.allclose(got_t, want_t, rtol=rtol, atol=atol, equal_nan=True)
    if not close:
        err = (got_t - want_t).abs().max().item() if got_t.numel() else 0.0
        expect(False, f"{what}: values differ from the expected ones (largest difference {err:.3g}).", hint)


def ratio_hint(got, want, hints: dict[float, str], rtol: float = 1e-6) -> str | None:
    """A hint when `got` is a known multiple of `want` (e.g. sum instead of mean)."""
    got_t, want_t = torch.as_tensor(got, dtype=torch.float64), torch.as_tensor(want, dtype=torch.float64)
    if got_t.shape != want_t.shape or not bool((want_t != 0).any()):
        return None
    for factor, hint in hints.items():
        if torch.allclose(got_t, want_t * factor, rtol=rtol, atol=0):
            return hint
    return None
