"""The fork server children are forked from: torch, matplotlib, pytest and the checks imported once.

Light on purpose (no torch here), so the command line can start the server first and import torch
itself while the server does the same on the other core.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import multiprocessing.spawn
import os
from pathlib import Path

CHILD_NAME = "autograder-child"
CHECKS_DIR = Path(__file__).resolve().parent / "checks"
# imported once in the fork server, so no child pays for them
PRELOAD = [
    "autograder.sandbox",
    "autograder.probes",
    "autograder.course",
    "IPython.core.inputtransformer2",
    "matplotlib.pyplot",
    "autograder.warmup",
    "pytest",
]
_CONTEXT: multiprocessing.context.BaseContext | None = None
_PREPARATION_DATA = multiprocessing.spawn.get_preparation_data


def preparation_data(name: str) -> dict:
    """multiprocessing's data for a new child, without re-running the parent's `__main__` in our children.

    Children run `sandbox.child_main` only; re-importing the caller's main script in each child would cost
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
        os.environ.setdefault("MPLBACKEND", "Agg")
        ctx = multiprocessing.get_context("forkserver")
        checks = [f"autograder.checks.{path.stem}" for path in sorted(CHECKS_DIR.glob("test_*.py"))]
        ctx.set_forkserver_preload(PRELOAD + checks)
        _CONTEXT = ctx
    return _CONTEXT


def start() -> None:
    """Start the fork server now, so its imports overlap with the caller's."""
    fork_context()
    multiprocessing.forkserver.ensure_running()
