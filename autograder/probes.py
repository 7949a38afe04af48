"""Probes: the part of a hidden check that runs in the student's child process.

A probe calls the student's (or the instructor's) code and returns plain data: tensors,
numbers, strings, booleans, None, and lists or dicts of them. The grader process compares
the student's data with the instructor's; no student object ever crosses.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

ProbeFunction = Callable[[dict], Any]
PROBES: dict[str, dict[str, tuple[int, ProbeFunction]]] = {}
REFERENCE_RUN = False  # set in the child: whether it runs the instructor's reference (not a student's cells)


def probe(exercise: int) -> Callable[[ProbeFunction], ProbeFunction]:
    """Register `fn(namespace) -> data` as a probe of `exercise` in its check module."""

    def register(fn: ProbeFunction) -> ProbeFunction:
        PROBES.setdefault(fn.__module__, {})[fn.__name__] = (exercise, fn)
        return fn

    return register


def stand_in(exercise: int) -> Callable[[Callable], Callable]:
    """Mark a function as the checks' own version of a notebook function of `exercise`.

    When a later exercise is graded, its child gets the stand-ins of the earlier exercises in place of the
    instructor's solution cells, so that no child holds the solution of another exercise. A stand-in is
    sent as source text, so it must be self-contained (import what it uses inside its body).
    """

    def mark(fn: Callable) -> Callable:
        fn.stand_in_for = exercise
        return fn

    return mark


def is_reference_run() -> bool:
    """Whether the probes run for the instructor's reference. Data that only the reference side is read for
    (the checks take it from `want`, never from `got`) is computed there alone, so no student pays for it."""
    return REFERENCE_RUN


def probes_of(module: str, exercise: int) -> dict[str, ProbeFunction]:
    return {name: fn for name, (ex, fn) in PROBES.get(module, {}).items() if ex == exercise}


def attempt(fn: Callable, *args, **kwargs) -> tuple[Any, dict | None]:
    """Call student code; return (value, None), or (None, error) where error describes what it raised.

    The grader turns `error` into a `StudentError` (type, line of the student's cell, a hint); the message
    itself never reaches the student.
    """
    from autograder.feedback import error_info

    try:
        return fn(*args, **kwargs), None
    except Exception as exc:  # noqa: BLE001 (student code may raise anything)
        return None, error_info(exc)


def describe(value: Any) -> dict:
    """What a student's return value is, as data: type, and for tensors and arrays the values."""
    if isinstance(value, torch.Tensor):
        return {
            "type": "Tensor",
            "value": as_plain_tensor(value),
            "requires_grad": bool(value.requires_grad),
            "is_leaf": bool(value.is_leaf),
            "grad_fn": type(value.grad_fn).__name__ if value.grad_fn is not None else None,
        }
    type_name = type(value).__name__
    if type_name == "ndarray":
        try:
            return {"type": "ndarray", "value": torch.tensor(value.tolist(), dtype=torch.float64)}
        except (TypeError, ValueError):
            return {"type": "ndarray", "value": None}
    if isinstance(value, bool) or value is None:
        return {"type": type_name, "value": value}
    if isinstance(value, (int, float)):
        return {"type": type_name, "value": float(value) if math.isfinite(value) else str(value)}
    if isinstance(value, (list, tuple)):
        return {"type": type_name, "items": [describe(v) for v in list(value)[:10_000]]}
    return {"type": type_name, "value": None}


def as_plain_tensor(t: torch.Tensor) -> torch.Tensor:
    """A detached CPU copy of `t` as a plain torch.Tensor (no subclass, no autograd history)."""
    with torch.no_grad():
        return torch.Tensor._make_subclass(torch.Tensor, t.detach().cpu().clone(), False)


def leaf_state(t: Any) -> dict:
    """Whether a parameter is still a trainable leaf, and its values."""
    if not isinstance(t, torch.Tensor):
        return {"type": type(t).__name__}
    return {
        "type": "Tensor",
        "value": as_plain_tensor(t),
        "requires_grad": bool(t.requires_grad),
        "is_leaf": bool(t.is_leaf),
    }
