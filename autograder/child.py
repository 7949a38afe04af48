"""Run notebook cells and probes in a disposable, confined child; read what it sends without trust.

The child is forked from a fork server that has torch and the probe modules imported once, so a child costs
milliseconds, not an interpreter start-up. It confines itself (`autograder.sandbox`) before the first cell
runs, and sends its results as a payload (`autograder.payload`) that the grader decodes with hard limits.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from dataclasses import dataclass, field

import numpy as np
import torch

from autograder import sandbox
from autograder.forkserver import CHILD_NAME, fork_context
from autograder.payload import Limits, PayloadError, decode, encode

MAX_RESULT_BYTES = Limits().max_bytes


@dataclass(frozen=True)
class Job:
    """What one child runs: cells in order, then the probes of one exercise."""

    cells: tuple[tuple[str, str, bool], ...]  # (source, file name, written by the student)
    check_module: str
    probe_source: str
    exercise: int
    seed: int
    spec: sandbox.Spec = field(default_factory=sandbox.Spec)
    visible_check: str | None = None
    reference: bool = False  # the instructor's own cells: probes may add data only the reference provides


@dataclass
class Outcome:
    """What came back from a child: a payload, or why there is none."""

    payload: dict | None
    error: str | None = None
    seconds: float = 0.0
    grader_fault: bool = False  # the sandbox could not be set up: not the student's doing


def seed_everything(seed: int) -> None:
    """Seed Python's `random`, NumPy and torch."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


class Discard:
    """A text stream that keeps nothing (what student code prints is never sent back)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def run_cells(job: Job, namespace: dict) -> dict | None:
    """Execute the job's cells; return where and what failed, or None when all ran."""
    from autograder.course import transform_cell
    from autograder.feedback import error_info

    for index, (source, filename, _) in enumerate(job.cells):
        try:
            code = compile(transform_cell(source), filename, "exec")
            if "get_ipython" in code.co_names:
                from IPython.core.interactiveshell import InteractiveShell

                namespace.setdefault("get_ipython", InteractiveShell.instance)
            exec(code, namespace)
        except BaseException as exc:  # noqa: BLE001 (student code may raise anything, exits included)
            return {"cell": index, "error": error_info(exc)}
    return None


def run_probes(job: Job, namespace: dict) -> dict:
    """Run the exercise's probes; each returns data or the error it raised."""
    from autograder import probes
    from autograder.check_modules import load_probes
    from autograder.feedback import error_info
    from autograder.probes import probes_of

    load_probes(job.check_module, job.probe_source)
    probes.REFERENCE_RUN = job.reference
    results = {}
    for name, fn in probes_of(job.check_module, job.exercise).items():
        seed_everything(job.seed)
        try:
            results[name] = {"ok": True, "data": fn(namespace)}
        except BaseException as exc:  # noqa: BLE001
            results[name] = {"ok": False, "error": error_info(exc)}
    return results


def run_visible_check(job: Job, namespace: dict) -> bool:
    """Run the notebook's visible check cell: did it pass (print `Exercise N: OK` without raising)?"""
    import contextlib
    import io

    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(job.visible_check, "<visible check>", "exec"), namespace)
    except BaseException:  # noqa: BLE001
        return False
    return f"Exercise {job.exercise}: OK" in out.getvalue()


def run_job_here(job: Job, result_fd: int) -> None:
    """In G: run the cells and probes, then send the payload and end the process."""
    import sys

    sys.stdout = sys.stderr = Discard()
    torch.set_num_threads(1)
    seed_everything(job.seed)
    namespace: dict = {"__name__": "__main__"}
    payload: dict = {"cell_error": run_cells(job, namespace)}
    if payload["cell_error"] is None:
        payload["probes"] = run_probes(job, namespace)
        if job.visible_check is not None:
            payload["visible_ok"] = run_visible_check(job, namespace)
    try:
        data = encode(payload)
    except Exception:  # noqa: BLE001
        data = encode({"cell_error": None, "unsendable": True})
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(result_fd, view[: 1 << 16]) :]
        except InterruptedError:
            continue
        except OSError:
            break
    os._exit(0)


def child_main(result, status, job: Job, plan: sandbox.Plan) -> None:
    """Entry point of the child the grader starts (C): confine, then run the job in G.

    `result` and `status` are the write ends of two pipes (multiprocessing connections, used as raw files).
    """
    result_fd, status_fd = result.fileno(), status.fileno()
    spec = sandbox.Spec(**{**job.spec.__dict__, "keep_fds": (result_fd,)})
    sandbox.run_confined(plan, spec, lambda: run_job_here(job, result_fd), status_fd)


def describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (perhaps out of memory)" if name == "SIGKILL" else ""
        return f"the process crashed: killed by {name}{hint}"
    return f"the process exited with code {code} before grading finished (os._exit or a crash)"


def _read_all(fd: int, deadline: float, limit: int) -> tuple[bytes, bool]:
    """Read `fd` until EOF or the deadline; returns the bytes and whether EOF came in time."""
    import select

    chunks, size = [], 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return b"".join(chunks), False
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1 << 16)
        except InterruptedError:
            continue
        if not chunk:
            return b"".join(chunks), True
        size += len(chunk)
        if size > limit:
            return b"", True  # over the limit: treated as unreadable
        chunks.append(chunk)


def run_job(job: Job, timeout: float, plan: sandbox.Plan) -> Outcome:
    """Run `job` in a fresh confined child; never raises for anything the child does."""
    ctx = fork_context()
    result_r, result_w = ctx.Pipe(duplex=False)
    status_r, status_w = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=child_main, args=(result_w, status_w, job, plan), daemon=True, name=CHILD_NAME)
    start = time.monotonic()
    try:
        proc.start()
    finally:
        result_w.close()
        status_w.close()
    data, finished = b"", False
    try:
        data, finished = _read_all(result_r.fileno(), start + max(timeout, 0.0), MAX_RESULT_BYTES)
    finally:
        result_r.close()
        seconds = time.monotonic() - start
        end_child(proc, wait=not (finished and data))
    status = _status(status_r)
    if status is not None and status != "ok":
        return Outcome(
            None, f"the grader's sandbox could not be set up ({status.removeprefix('fail ')})", seconds, True
        )
    if not finished:
        return Outcome(None, f"timed out after {round(timeout, 1):g} s", seconds)
    if not data:
        return Outcome(None, describe_exit(proc.exitcode), seconds)
    try:
        payload = decode(data)
    except PayloadError as exc:
        return Outcome(None, f"the results could not be read: {exc}", seconds)
    if not isinstance(payload, dict):
        return Outcome(None, "the results could not be read: not a mapping", seconds)
    return Outcome(payload, None, seconds)


def _status(conn) -> str | None:
    """The line C wrote once G was ready (`ok`) or a step failed; None when C died before writing it."""
    import select

    try:
        if not select.select([conn.fileno()], [], [], 1.0)[0]:
            return None
        return os.read(conn.fileno(), 1000).decode(errors="replace").strip() or None
    finally:
        conn.close()


def end_child(proc, wait: bool = True) -> None:
    """Ask C to end G (C reaps it, so no orphan is left); kill C's whole process group if C does not end in time.
    Then reap C (now, or in a background thread)."""
    try:
        os.kill(proc.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        pass
    if not wait:
        threading.Thread(target=reap, args=(proc,), daemon=True).start()
        return
    reap(proc)


def reap(proc) -> None:
    proc.join(5)
    if proc.is_alive():
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.join()
