"""Run notebook cells and probes in a disposable child process, with limits.

The child is forked from a fork server that has torch imported once, so a child costs
milliseconds, not an interpreter start-up. Results come back as bytes written by
`torch.save` and are read with `weights_only=True`; nothing the child pickles is trusted.
"""

from __future__ import annotations

import importlib
import io
import os
import random
import resource
import signal
import sys
import threading
import time
from dataclasses import dataclass, field

import numpy as np
import torch

from autograder.forkserver import CHILD_NAME, fork_context

MAX_RESULT_BYTES = 64 * 2**20


@dataclass(frozen=True)
class Job:
    """What one child runs: cells in order, then the probes of one exercise."""

    cells: tuple[tuple[str, str, bool], ...]  # (source, label, written by the student)
    check_module: str
    exercise: int
    seed: int
    workdir: str
    memory_mb: int = 2048
    output_limit: int = 64 * 1024
    visible_check: str | None = None


@dataclass
class Outcome:
    """What came back from a child: a payload, or why there is none."""

    payload: dict | None
    error: str | None = None
    seconds: float = 0.0
    details: dict = field(default_factory=dict)


def seed_everything(seed: int) -> None:
    """Seed Python's `random`, NumPy and torch."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


class CappedOutput(io.TextIOBase):
    """A text stream that keeps the first `limit` characters and drops the rest."""

    def __init__(self, limit: int):
        self.limit, self.parts, self.size, self.dropped = limit, [], 0, 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        room = self.limit - self.size
        if room > 0:
            self.parts.append(text[:room])
            self.size += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def getvalue(self) -> str:
        more = f"\n[... {self.dropped} more characters not kept]" if self.dropped else ""
        return "".join(self.parts) + more


def plain_data(value, depth: int = 0):
    """Keep only what may cross to the grader: tensors, numbers, strings, lists and dicts."""
    from autograder.probes import as_plain_tensor

    if depth > 20:
        return "<too deeply nested>"
    if isinstance(value, torch.Tensor):
        return as_plain_tensor(value)
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) in (list, tuple):
        return [plain_data(v, depth + 1) for v in value]
    if type(value) is dict:
        return {str(k): plain_data(v, depth + 1) for k, v in value.items()}
    return f"<{type(value).__name__}>"


def explain(exc: BaseException, memory_mb: int) -> str:
    """`Type: message`, naming the memory limit when an allocation failed."""
    text = f"{type(exc).__name__}: {exc}".strip()
    if isinstance(exc, MemoryError) or "alloc" in text and "memory" in text:
        return f"ran out of memory (limit {memory_mb} MB): {text[:200]}"
    if isinstance(exc, SystemExit):
        return f"called exit() ({text})"
    return text[:1000]


def run_cells(job: Job, namespace: dict) -> str | None:
    """Execute the job's cells; return an error message, or None when all ran."""
    from autograder.course import transform_cell

    for source, label, by_student in job.cells:
        try:
            code = compile(transform_cell(source), label, "exec")
            if "get_ipython" in code.co_names:
                from IPython.core.interactiveshell import InteractiveShell

                namespace.setdefault("get_ipython", InteractiveShell.instance)
            exec(code, namespace)
        except BaseException as exc:  # noqa: BLE001 (student code may raise anything, exits included)
            where = label if by_student else f"{label} (after your code ran)"
            return f"{where} raised {explain(exc, job.memory_mb)}"
    return None


def run_probes(job: Job, namespace: dict) -> dict:
    """Run the exercise's probes; each returns data or the error it raised."""
    from autograder.probes import probes_of

    importlib.import_module(job.check_module)
    results = {}
    for name, fn in probes_of(job.check_module, job.exercise).items():
        seed_everything(job.seed)
        try:
            results[name] = {"ok": True, "data": plain_data(fn(namespace))}
        except BaseException as exc:  # noqa: BLE001
            results[name] = {"ok": False, "error": explain(exc, job.memory_mb)}
    return results


def run_visible_check(job: Job, namespace: dict) -> str:
    """Run the notebook's visible check cell and return what it printed."""
    out = CappedOutput(job.output_limit)
    sys.stdout = out
    try:
        exec(compile(job.visible_check, "visible check", "exec"), namespace)
    except BaseException as exc:  # noqa: BLE001
        out.write(f"\n{type(exc).__name__}: {exc}")
    return out.getvalue()


def limit_resources(memory_mb: int) -> None:
    """Cap address space (above what torch already maps) and disable core dumps."""
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * resource.getpagesize()
    cap = mapped + memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def child_main(conn, job: Job) -> None:
    """Entry point of the child: run the job and send the payload back as bytes."""
    os.setpgrp()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    output = CappedOutput(job.output_limit)
    sys.stdout = sys.stderr = output
    os.chdir(job.workdir)
    torch.set_num_threads(1)
    limit_resources(job.memory_mb)
    seed_everything(job.seed)
    namespace: dict = {"__name__": "__main__"}
    start = time.perf_counter()
    payload: dict = {"cell_error": run_cells(job, namespace)}
    if payload["cell_error"] is None:
        payload["probes"] = run_probes(job, namespace)
    payload["seconds"] = time.perf_counter() - start  # the submission's own compute: cells and probes
    if payload["cell_error"] is None and job.visible_check is not None:
        payload["visible"] = run_visible_check(job, namespace)
    sys.stdout = output
    payload["output"] = output.getvalue()
    buffer = io.BytesIO()
    try:
        torch.save(payload, buffer)
    except Exception as exc:  # noqa: BLE001
        buffer = io.BytesIO()
        torch.save({"cell_error": f"results could not be saved: {exc}"[:500]}, buffer)
    conn.send_bytes(buffer.getvalue())
    conn.close()
    os._exit(0)


def describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (perhaps out of memory)" if name == "SIGKILL" else ""
        return f"the process crashed: killed by {name}{hint}"
    return f"the process exited with code {code} before grading finished (os._exit or a crash)"


def run_job(job: Job, timeout: float) -> Outcome:
    """Run `job` in a fresh child; never raises for anything the child does."""
    ctx = fork_context()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=child_main, args=(sender, job), daemon=True, name=CHILD_NAME)
    start = time.monotonic()
    proc.start()
    sender.close()
    data, error = None, None
    try:
        if receiver.poll(max(timeout, 0.0)):
            data = receiver.recv_bytes(maxlength=MAX_RESULT_BYTES)
        else:
            error = f"timed out after {round(timeout, 1):g} s"
    except (EOFError, OSError):
        data = None
    finally:
        seconds = time.monotonic() - start
        kill_group(proc, wait=data is None)  # the exit code explains a crash; otherwise reap in the background
        receiver.close()
    if data is None:
        return Outcome(None, error or describe_exit(proc.exitcode), seconds)
    try:
        payload = torch.load(io.BytesIO(data), weights_only=True)
    except Exception as exc:  # noqa: BLE001
        return Outcome(None, f"the results could not be read: {type(exc).__name__}", seconds)
    if not isinstance(payload, dict):
        return Outcome(None, "the results could not be read", seconds)
    return Outcome(payload, None, seconds)


def kill_group(proc, wait: bool = True) -> None:
    """Kill the child and anything it started, then reap it (now, or in a background thread)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if not wait:
        threading.Thread(target=reap, args=(proc,), daemon=True).start()
        return
    reap(proc)


def reap(proc) -> None:
    proc.join(5)
    if proc.is_alive():
        proc.kill()
        proc.join()
