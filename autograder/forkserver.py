"""The fork server children are forked from: torch and the course's probe modules imported once.

Light on purpose (no torch here), so the command line can start the server first and import torch
itself while the server does the same on the other core. What the server imports beyond torch is chosen by
need (`autograder.warmup`): torch.optim's first use imports torch._dynamo (a second), which is done in the
server only when the course's code uses an optimizer; matplotlib.pyplot is imported lazily (on first use).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import multiprocessing.spawn
import os

CHILD_NAME = "autograder-child"
# imported once in the fork server, so no child pays for them (warmup loads the course's probe modules)
PRELOAD = [
    "autograder.child",
    "autograder.probes",
    "autograder.course",
    "IPython.core.inputtransformer2",
    "autograder.warmup",
]
OPTIMIZERS_ENV = "AUTOGRADER_PRELOAD_OPTIMIZERS"  # "0": the graded code never builds a torch.optim optimizer
_CONTEXT: multiprocessing.context.BaseContext | None = None
_PREPARATION_DATA = multiprocessing.spawn.get_preparation_data


def preparation_data(name: str) -> dict:
    """multiprocessing's data for a new child, without re-running the parent's `__main__` in our children.

    Children run `child.child_main` only; re-importing the caller's main script in each child would cost
    time and re-run an unguarded script (or fail for code read from stdin).
    """
    data = _PREPARATION_DATA(name)
    if name.startswith(CHILD_NAME):
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
    return data


multiprocessing.spawn.get_preparation_data = preparation_data


def fork_context() -> multiprocessing.context.BaseContext:
    """The fork-server context (created on first use)."""
    global _CONTEXT
    if _CONTEXT is None:
        from autograder.course import current_course

        current_course()  # exports AUTOGRADER_COURSE, which the fork server's warmup reads
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        _CONTEXT = ctx
    return _CONTEXT


def start(optimizers: bool = True) -> None:
    """Start the fork server now, so its imports overlap with the caller's (without torch.optim's warm-up when
    `optimizers` is False)."""
    os.environ[OPTIMIZERS_ENV] = "1" if optimizers else "0"
    fork_context()
    multiprocessing.forkserver.ensure_running()


def uses_optimizers(code: str) -> bool:
    """Whether Python code (cells, a check module) may build a torch.optim optimizer: it names `torch.optim` or
    imports `optim` from torch, outside comments and strings."""
    import io
    import re
    import tokenize

    try:
        tokens = tokenize.generate_tokens(io.StringIO(code).readline)
        names = " ".join(t.string for t in tokens if t.type not in (tokenize.COMMENT, tokenize.STRING))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return True
    return bool(re.search(r"torch \. optim\b|from torch import[^\n]*\boptim\b|\boptim \.", names))


def assignment_uses_optimizers(assignment) -> bool:
    """Whether an assignment's graded cells (given and solution) or its check module build an optimizer."""
    text = "\n".join(c.source for c in assignment.cells if not (c.demo or c.check))
    return uses_optimizers(text + (assignment.check_module.read_text() if assignment.has_checks else ""))
