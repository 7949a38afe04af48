"""What a student reads when their code raised: the kind of error, the line of their cell, the grader's hint.

An exception's message is written by whoever raised it, and student code can raise anything (the text of a
file, a solution it found in memory). So the message never reaches the student verbatim: the child sends it,
the grader matches it against known mistakes (`HINTS`) and shows only the exception's type (when it is one of
Python's, torch's or NumPy's), the line in the student's own cell, and the grader's own hint. The student sees
the full message by running the cell in Jupyter.
"""

from __future__ import annotations

import builtins
import re
import traceback

STUDENT_FILE = "<your cell for exercise {number}>"
STUDENT_FILE_PATTERN = re.compile(r"^<your cell for exercise \d+(?: \(part \d+\))?>$")
LIBRARY_EXCEPTIONS = {
    "torch.OutOfMemoryError",
    "torch.cuda.OutOfMemoryError",
    "torch._C._LinAlgError",
    "torch.linalg.LinAlgError",
    "numpy.linalg.LinAlgError",
    "numpy.exceptions.AxisError",
    "numpy.AxisError",
    "numpy.core._exceptions._UFuncOutputCastingError",
    "numpy.core._exceptions._ArrayMemoryError",
}
BUILTIN_EXCEPTIONS = {
    name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)
}
# (phrases any of which the message or type contains, lower case) -> the grader's hint
HINTS: list[tuple[tuple[str, ...], str]] = [
    (
        ("notimplementederror",),
        "not answered yet: replace `raise NotImplementedError()` with your code",
    ),
    (
        ("a leaf variable that requires grad is being used in an in-place operation",),
        "an in-place update of a parameter (w -= ..., p.add_(...)) must happen inside `with torch.no_grad():`",
    ),
    (
        ("has been modified by an inplace operation",),
        "a tensor autograd saved for backward() was changed in place before backward(): compute the loss and call "
        "backward() first, then update",
    ),
    (
        ("does not require grad and does not have a grad_fn", "element 0 of tensors does not require grad"),
        "the loss is not connected to the parameters: no .detach(), .item(), .data or NumPy before backward(), "
        "and no update outside `torch.no_grad()` that replaces a parameter",
    ),
    (
        ("grad can be implicitly created only for scalar outputs",),
        "backward() needs a scalar: reduce the loss to one number (a mean) first",
    ),
    (
        ("trying to backward through the graph a second time",),
        "backward() ran twice on the same graph: compute a fresh loss for every backward()",
    ),
    (
        ("shapes cannot be multiplied", "size of tensor a", "must match the size", "shape mismatch", "mat1 and mat2"),
        "a shape mismatch: print the shapes; inputs are (N, D), w is (K, D), so inputs @ w.t() is (N, K)",
    ),
    (
        ("expected scalar type", "expected m1 and m2 to have the same dtype", "found dtype", "dtype"),
        "a dtype mismatch: keep the tensors' dtype (no hard-coded float32 or .float()), and use float literals",
    ),
    (
        ("nonetype", "'none'"),
        "something is None: a function without `return`, or p.grad before any backward()",
    ),
    (
        ("can't convert", "numpy() on tensor that requires grad", "use tensor.detach().numpy()"),
        "NumPy cannot take a tensor that requires grad or lives on a GPU: stay in torch",
    ),
    (
        ("is not defined",),
        "a name is not defined: the grader runs each exercise's cells on their own, so define what a cell needs "
        "in that cell (earlier exercises' functions are provided)",
    ),
    (
        ("no module named",),
        "only the standard library, torch, NumPy and matplotlib are available",
    ),
    (
        ("permission denied", "operation not permitted", "read-only file system"),
        "the grader runs your code without access to files (other than a scratch folder), the network or "
        "other programs",
    ),
    (
        ("maximum recursion depth",),
        "a function calls itself without end",
    ),
]


def error_info(exc: BaseException) -> dict:
    """Child side: what the grader needs to describe `exc` (the message is read there and never shown)."""
    cls = type(exc)
    line, where = None, None
    for frame in traceback.extract_tb(exc.__traceback__):
        if STUDENT_FILE_PATTERN.match(frame.filename or ""):
            line, where = frame.lineno, frame.filename
    return {
        "type": f"{cls.__module__}.{cls.__qualname__}",
        "message": str(exc)[:2000] if not isinstance(exc, SystemExit) else f"exit({exc.code!r})"[:200],
        "line": line,
        "file": where,
    }


def error_name(info: dict) -> str:
    """The exception's class name when it is Python's, torch's or NumPy's; else a phrase."""
    qualified = str(info.get("type", ""))
    module, _, name = qualified.rpartition(".")
    if module == "builtins" and name in BUILTIN_EXCEPTIONS:
        return name
    if qualified in LIBRARY_EXCEPTIONS:
        return name
    return "an exception of a class defined in your code"


def hint_for(info: dict) -> str | None:
    text = f"{info.get('type', '')} {info.get('message', '')}".lower()
    for phrases, hint in HINTS:
        if any(phrase in text for phrase in phrases):
            return hint
    return None


def describe_error(info, memory_mb: int, cell_lines: dict[str, int] | None = None) -> str:
    """Grader side: one line, and a hint, for an exception that came back from a child."""
    if not isinstance(info, dict):
        return "raised an exception"
    name = error_name(info)
    message = str(info.get("message", "")).lower()
    if name == "MemoryError" or ("alloc" in message and "memory" in message):
        return f"ran out of memory (limit {memory_mb} MB)"
    if name == "SystemExit":
        return "called exit() (sys.exit or exit), which ends the process"
    where = ""
    line, file = info.get("line"), info.get("file")
    limit = (cell_lines or {}).get(file) if isinstance(file, str) else None
    if isinstance(line, int) and not isinstance(line, bool) and limit and 1 <= line <= limit:
        where = f" at line {line} of {file.strip('<>')}"
    text = f"raised {name}{where}"
    hint = hint_for(info)
    return text + (f"\nHint: {hint}" if hint else "")
