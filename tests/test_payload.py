"""What a child sends is read without trust: limits, formats, and what a student may see of it (issue: sandbox)."""

from __future__ import annotations

import json
import resource
import time

import pytest
import torch

from autograder.feedback import describe_error, error_info
from autograder.payload import Limits, PayloadError, decode, encode
from autograder.plugin import ExerciseRun, StudentError, sanitize, strings_of


def test_round_trip_keeps_values_dtypes_and_shapes():
    """Do tensors of every allowed dtype, special floats and nested containers come back as they were sent?"""
    data = {
        "a": torch.arange(6, dtype=torch.float64).reshape(2, 3),
        "b": [torch.tensor([True, False]), torch.zeros(0, 4), torch.tensor(3, dtype=torch.int32)],
        "c": {"x": float("inf"), "y": None, "z": "text", "w": 2**40},
        "d": torch.tensor([1.5, -2.0], dtype=torch.bfloat16),
    }
    back = decode(encode(data))
    assert torch.equal(back["a"], data["a"]) and back["a"].dtype == torch.float64
    assert (
        torch.equal(back["b"][0], data["b"][0]) and back["b"][1].shape == (0, 4) and back["b"][2].dtype == torch.int32
    )
    assert back["c"] == {"x": float("inf"), "y": None, "z": "text", "w": 2**40}
    assert torch.equal(back["d"], data["d"]) and back["d"].dtype == torch.bfloat16


@pytest.mark.parametrize(
    "text, reason",
    [
        ("[" * 100 + "]" * 100, "deeper"),
        ("[" * 50_000 + "]" * 50_000, "not valid"),
        ('{"x": "' + "y" * 10_000 + '"}', "longer than"),
        ('{"t": {"$tensor": ["float64", [100000, 100000], "AAAA"]}}', "tensor elements"),
        ('{"t": {"$tensor": ["float64", [3], "AAAA"]}}', "do not match"),
        ('{"t": {"$tensor": ["object", [1], "AAAA"]}}', "dtype"),
        ('{"t": {"$tensor": ["float64", [-1], ""]}}', "shape"),
        ('{"n": NaN}', "bare NaN"),
        ('{"n": -Infinity}', "bare -Infinity"),
        ("{not json", "not valid"),
        ("[" + ",".join(["[]"] * 300_000) + "]", "more than"),
    ],
)
def test_bad_payloads_are_refused_with_a_reason(text, reason):
    """Is every malformed or oversized payload refused with a one-line reason that names the broken rule?"""
    with pytest.raises(PayloadError, match=reason):
        decode(text.encode())


def test_oversized_payload_is_refused_before_parsing():
    """Is a payload over the byte limit refused without being parsed?"""
    with pytest.raises(PayloadError, match="over the limit"):
        decode(b"[" + b"0," * (Limits().max_bytes // 2) + b"0]")


def test_decoding_the_worst_payload_is_cheap():
    """Does the largest payload the limits allow decode in bounded time and memory in the grader?"""
    limits = Limits()
    wide = json.dumps([[0.5] * 1000] * (limits.max_nodes // 1000 - 2)).encode()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.monotonic()
    decode(wide)
    assert time.monotonic() - start < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 500_000  # KiB


def run_with_cells(lines: int = 10) -> ExerciseRun:
    return ExerciseRun(probes={}, cell_lines={"<your cell for exercise 2>": lines}, memory_mb=512)


def test_unknown_strings_and_keys_are_replaced():
    """Do strings and dict keys that the reference never produced reach the checks only as placeholders?"""
    want = {"type": "Tensor", "items": [{"status": "ok"}]}
    got = {"type": "SecretClass", "items": [{"status": "stolen solution"}], "extra": "x", "zzz": "Tensor"}
    clean = sanitize(got, frozenset(strings_of(want)), run_with_cells())
    assert clean["type"] == "<text>" and clean["items"][0]["status"] == "<text>"
    assert "extra" not in clean and "zzz" not in clean and clean.get("<name 2>") == "<text>"
    assert clean["<name 3>"] == "Tensor"  # a type name is allowed as a value


def test_exception_records_become_student_errors_without_the_message():
    """Does an exception a student's code raised reach the checks as type, line and hint, never its message?"""
    try:
        exec(
            compile(
                "x = 1\nraise ValueError('the solution is: return (p - t) ** 2')", "<your cell for exercise 2>", "exec"
            )
        )
    except ValueError as exc:
        info = error_info(exc)
    clean = sanitize({"error": info}, frozenset({"error"}), run_with_cells())
    error = clean["error"]
    assert isinstance(error, StudentError) and error.name == "ValueError"
    assert str(error) == "raised ValueError at line 2 of your cell for exercise 2"
    assert "solution" not in str(error)


def test_own_exception_classes_and_impossible_lines_are_not_shown():
    """Is a student-defined exception class name hidden, and a line number outside their cell dropped?"""
    info = {"type": "__main__.SECRET_TEXT", "message": "m", "line": 9999, "file": "<your cell for exercise 2>"}
    text = describe_error(info, 512, {"<your cell for exercise 2>": 10})
    assert text == "raised an exception of a class defined in your code"


@pytest.mark.parametrize(
    "message, phrase",
    [
        ("a leaf Variable that requires grad is being used in an in-place operation.", "torch.no_grad()"),
        ("mat1 and mat2 shapes cannot be multiplied (7x5 and 3x5)", "shape mismatch"),
        ("expected scalar type Double but found Float", "dtype mismatch"),
        ("element 0 of tensors does not require grad and does not have a grad_fn", "not connected"),
    ],
)
def test_common_errors_get_a_hint(message, phrase):
    """Do the common autograd, shape and dtype errors get the grader's hint?"""
    text = describe_error({"type": "builtins.RuntimeError", "message": message}, 512, {})
    assert text.startswith("raised RuntimeError") and phrase in text and message not in text
