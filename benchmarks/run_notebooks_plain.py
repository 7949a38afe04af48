"""Run the instructor notebooks top to bottom without Jupyter (plain exec of every code cell).

    python benchmarks/run_notebooks_plain.py source/*/*.ipynb

For machines without nbclient (e.g. a GPU box): prints the device, each visible check's verdict and the
wall time per notebook; exits 1 if any check does not print `Exercise N: OK`.
"""

import contextlib
import io
import json
import re
import sys
import time


def run(path: str) -> bool:
    cells = [c for c in json.load(open(path))["cells"] if c["cell_type"] == "code"]
    namespace: dict = {"__name__": "__main__"}
    ok, start = True, time.perf_counter()
    for cell in cells:
        source = "".join(cell["source"])
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(source, f"{path}:{cell.get('id')}", "exec"), namespace)
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if re.fullmatch(r"test_exercise\d+", grade_id):
            verdict = out.getvalue().strip().splitlines()[-1]
            ok &= verdict.endswith(": OK")
            print(f"  {grade_id}: {verdict}")
    device = namespace.get("device")
    print(f"{path}: {'all checks OK' if ok else 'FAILED'} on {device} in {time.perf_counter() - start:.1f} s")
    return ok


if __name__ == "__main__":
    results = [run(p) for p in sys.argv[1:]]
    sys.exit(0 if all(results) else 1)
