"""What crosses from a child to the grader: JSON text with tensors as raw bytes, read without trust.

The child encodes plain data (None, bools, numbers, strings, lists, dicts with string keys, tensors); the
grader decodes it with hard limits on bytes, depth, nodes, string length and tensor elements. JSON is a tree,
so a payload cannot share references that would expand in the grader; tensors are rebuilt from their bytes
with an allowed dtype and a shape that matches them, so no view can be larger than what was sent.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass

import torch

TENSOR_KEY = "$tensor"
DTYPES = {
    str(dtype).removeprefix("torch."): dtype
    for dtype in (
        torch.float64,
        torch.float32,
        torch.float16,
        torch.bfloat16,
        torch.int64,
        torch.int32,
        torch.int16,
        torch.int8,
        torch.uint8,
        torch.bool,
    )
}


class PayloadError(ValueError):
    """A payload that breaks the format or a limit; the message is one line."""


@dataclass(frozen=True)
class Limits:
    """How much a payload may hold."""

    max_bytes: int = 16 * 2**20
    max_depth: int = 32
    max_nodes: int = 200_000
    max_string: int = 4_000
    max_elements: int = 2_000_000  # tensor elements in the whole payload
    max_dims: int = 8


def _plain(value, depth: int = 0):
    """The JSON-ready form of `value` (child side); anything else becomes a type name in angle brackets."""
    if depth > 40:
        return "<too deeply nested>"
    if isinstance(value, torch.Tensor):
        from autograder.probes import as_plain_tensor

        t = as_plain_tensor(value).contiguous()
        name = str(t.dtype).removeprefix("torch.")
        if name not in DTYPES:
            t, name = t.to(torch.float64), "float64"
        data = base64.b64encode(
            t.numpy().tobytes() if t.dtype != torch.bfloat16 else t.view(torch.int16).numpy().tobytes()
        )
        return {TENSOR_KEY: [name, list(t.shape), data.decode("ascii")]}
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        return value if math.isfinite(value) else {"$float": repr(value)}
    if type(value) in (list, tuple):
        return [_plain(v, depth + 1) for v in value]
    if type(value) is dict:
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    return f"<{type(value).__name__}>"


def encode(value) -> bytes:
    """Child side: plain data to bytes."""
    return json.dumps(_plain(value), separators=(",", ":"), allow_nan=False).encode()


def decode(data: bytes, limits: Limits = Limits()):
    """Grader side: bytes to plain data, or PayloadError saying which limit or rule was broken."""
    if len(data) > limits.max_bytes:
        raise PayloadError(f"the results are {len(data)} bytes, over the limit of {limits.max_bytes}")
    try:
        tree = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise PayloadError(f"the results are not valid ({type(exc).__name__})") from None
    budget = {"nodes": limits.max_nodes, "elements": limits.max_elements}
    return _build(tree, 0, limits, budget)


def _no_constant(name: str):
    raise PayloadError(f"the results hold a bare {name}")


def _build(node, depth: int, limits: Limits, budget: dict):
    budget["nodes"] -= 1
    if budget["nodes"] < 0:
        raise PayloadError(f"the results hold more than {limits.max_nodes} values")
    if depth > limits.max_depth:
        raise PayloadError(f"the results are nested deeper than {limits.max_depth}")
    if node is None or isinstance(node, bool):
        return node
    if isinstance(node, int):
        if abs(node) >= 2**63:
            raise PayloadError("the results hold an integer out of range")
        return node
    if isinstance(node, float):
        return node
    if isinstance(node, str):
        if len(node) > limits.max_string:
            raise PayloadError(f"the results hold a string longer than {limits.max_string} characters")
        return node
    if isinstance(node, list):
        return [_build(v, depth + 1, limits, budget) for v in node]
    if isinstance(node, dict):
        if set(node) == {TENSOR_KEY}:
            return _tensor(node[TENSOR_KEY], limits, budget)
        if set(node) == {"$float"}:
            return _special_float(node["$float"])
        return {k: _build(v, depth + 1, limits, budget) for k, v in node.items()}
    raise PayloadError("the results hold a value of an unknown kind")


def _special_float(text) -> float:
    if text not in ("inf", "-inf", "nan"):
        raise PayloadError("the results hold a malformed number")
    return float(text)


def _tensor(spec, limits: Limits, budget: dict) -> torch.Tensor:
    if not (isinstance(spec, list) and len(spec) == 3):
        raise PayloadError("the results hold a malformed tensor")
    name, shape, data = spec
    if name not in DTYPES:
        raise PayloadError("the results hold a tensor of an unsupported dtype")
    if not (
        isinstance(shape, list)
        and len(shape) <= limits.max_dims
        and all(isinstance(s, int) and not isinstance(s, bool) and 0 <= s < 2**31 for s in shape)
    ):
        raise PayloadError("the results hold a tensor with a malformed shape")
    numel = math.prod(shape)
    budget["elements"] -= numel
    if budget["elements"] < 0:
        raise PayloadError(f"the results hold more than {limits.max_elements} tensor elements")
    if not isinstance(data, str):
        raise PayloadError("the results hold a malformed tensor")
    try:
        raw = base64.b64decode(data, validate=True)
    except ValueError:
        raise PayloadError("the results hold a malformed tensor") from None
    dtype = DTYPES[name]
    itemsize = torch.empty((), dtype=dtype).element_size()
    if len(raw) != numel * itemsize:
        raise PayloadError("the results hold a tensor whose bytes do not match its shape")
    if numel == 0:
        return torch.empty(shape, dtype=dtype)
    flat = torch.frombuffer(bytearray(raw), dtype=dtype if dtype != torch.bfloat16 else torch.int16)
    if dtype == torch.bfloat16:
        flat = flat.view(torch.bfloat16)
    return flat.reshape(shape).clone()
