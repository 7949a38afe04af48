"""Running a course notebook for the notebook tests: its solution namespace, or top to bottom in a real kernel
with a recorder of the figures it shows; and reading what its cells printed, drew and took."""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

FIGURE_RECORDER = """
import matplotlib.pyplot as _plt
_FIGURES, _show = [], _plt.show


def _recorded_show(*args, **kwargs):
    for number in _plt.get_fignums():
        _FIGURES.append([{"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
                          "drawn": len(ax.lines) + len(ax.collections) + len(ax.images) + len(ax.patches)}
                         for ax in _plt.figure(number).axes])
    return _show(*args, **kwargs)


_plt.show = _recorded_show
"""
FIGURE_REPORT = "import json\nprint('FIGURES ' + json.dumps(_FIGURES))"


def solution_namespace(path: Path) -> dict:
    """The namespace of a notebook's given and solution cells, run in order (no checks, no demos)."""
    namespace: dict = {}
    for cell in nbformat.read(path, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and not meta.get("grade") and "demo" not in cell.metadata.get("tags", []):
            exec(compile(cell.source, f"<cell {cell.id}>", "exec"), namespace)
    return namespace


def markdown(nb) -> str:
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def run_with_figure_recorder(path: Path, allow_errors: bool):
    """Run a notebook with a figure recorder after its setup cell; return the notebook, its seconds and, per shown
    figure, each axes' title, labels and how many artists it drew."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell(FIGURE_RECORDER))
    nb.cells.append(nbformat.v4.new_code_cell(FIGURE_REPORT))
    start = time.monotonic()
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=allow_errors).execute()
    seconds = time.monotonic() - start
    figures = json.loads(printed(nb.cells[-1]).split("FIGURES ", 1)[1])
    del nb.cells[-1], nb.cells[2]
    return nb, seconds, figures


def printed(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def images(cell) -> int:
    return sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


def cell_seconds(cell) -> float:
    """How long the kernel took to run the cell (0 when nbclient recorded no timing)."""
    timing = cell.metadata.get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return 0.0
    return (
        datetime.fromisoformat(end.replace("Z", "+00:00")) - datetime.fromisoformat(start.replace("Z", "+00:00"))
    ).total_seconds()
