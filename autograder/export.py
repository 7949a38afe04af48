"""Deployment bundles: a Gradescope autograder zip and a GitHub Classroom template repository.

`export_gradescope` writes the zip Gradescope builds its image from (`setup.sh`, `run_autograder`, this
package with its hidden checks, the instructor notebooks of `source/`). `run_gradescope` is what
`run_autograder` calls for each submission; it always leaves a valid `results.json`.

`export_classroom` writes a template repository for GitHub Classroom: the release notebooks, a workflow
with one command-grader step per exercise (points read from `source/`) and `check_exercise.py`, which runs
a notebook's visible check. Students can read everything in their repository, so nothing hidden goes there.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import time
import traceback
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from autograder.course import KIT_ROOT, Assignment, course_assignments, current_course

PACKAGE_DIR = Path(__file__).resolve().parent

GRADESCOPE_ZIP = Path("build/gradescope-autograder.zip")
CLASSROOM_DIR = Path("build/classroom-template")
BUNDLE_MARKER = "bundle.json"  # only in an unpacked Gradescope bundle: lets run_gradescope remove its solutions
CLASSROOM_SCRIPT = "check_exercise.py"
CLASSROOM_WORKFLOW = ".github/workflows/classroom.yml"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
CLASSROOM_PYTHON = "3.12"
CLASSROOM_TIMEOUT_MINUTES = 10
JUNK_NAMES = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".ruff_cache", ".DS_Store", ".git"}
JUNK_SUFFIXES = (".pyc", ".pyo", "~", ".swp")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same course gives the same zip
# What the release notebooks and check_exercise.py import (the grader's own dependencies stay out).
CLASSROOM_PACKAGES = ("torch", "numpy", "nbformat", "nbclient", "ipykernel", "ipython", "matplotlib")
# Top-level keys of Gradescope's results.json; anything else the result model adds goes to extra_data.
GRADESCOPE_KEYS = {
    "score",
    "execution_time",
    "output",
    "output_format",
    "test_output_format",
    "test_name_format",
    "visibility",
    "stdout_visibility",
    "extra_data",
    "tests",
    "leaderboard",
}
GRADESCOPE_TEST_KEYS = {
    "score",
    "max_score",
    "status",
    "name",
    "name_format",
    "number",
    "output",
    "output_format",
    "tags",
    "visibility",
    "extra_data",
}


# ----------------------------------------------------------------------------------------------------------
# What both exports share
# ----------------------------------------------------------------------------------------------------------


def select_assignments(ids: Sequence[str] | None = None) -> tuple[Assignment, ...]:
    """The course's assignments, or those named in `ids` (unknown ids raise ValueError)."""
    assignments = course_assignments()
    if not ids:
        return assignments
    known = {a.id: a for a in assignments}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ValueError(
            f"no assignment {', '.join(unknown)} in {current_course().source_dir} (known: {', '.join(known)})"
        )
    return tuple(known[i] for i in dict.fromkeys(ids))


def is_junk(path: Path) -> bool:
    return any(part in JUNK_NAMES for part in path.parts) or path.name.endswith(JUNK_SUFFIXES)


def tree_files(folder: Path) -> list[Path]:
    """Files under `folder`, sorted, without caches, checkpoints and editor droppings."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not is_junk(p.relative_to(folder)))


def torch_pin() -> str:
    """The torch requirement `.ci/setup` installs first (e.g. `torch==2.13.0`)."""
    setup = KIT_ROOT / ".ci" / "setup"
    if setup.exists():
        match = re.search(r"torch==[0-9][0-9A-Za-z.+]*", setup.read_text())
        if match:
            return match.group(0)
    from importlib.metadata import version

    return "torch==" + version("torch").split("+")[0]


def project_dependencies() -> list[str]:
    """`[project].dependencies` of pyproject.toml, as written there."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: read what pip installed from the same file
        from importlib.metadata import requires

        return [r for r in requires("gd-course-autograder") or [] if "extra ==" not in r]
    return list(tomllib.loads((KIT_ROOT / "pyproject.toml").read_text())["project"]["dependencies"])


def requirement_name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].strip().lower()


# ----------------------------------------------------------------------------------------------------------
# Gradescope
# ----------------------------------------------------------------------------------------------------------

SETUP_SH = r"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (the zip is unpacked into
# /autograder/source). It installs torch first (pinned as in .ci/setup; a CPU build), then the course's
# dependencies as pyproject.toml pins them, then this bundle's `autograder` package (editable, so that it
# finds the instructor notebooks in source/ next to it).
#   AUTOGRADER_SETUP_DRY_RUN=1  print the commands instead of running them
#   AUTOGRADER_PYTHON           the Python to install into (default python3)
#   TORCH_INDEX_URL             extra index for torch (default the CPU wheels; empty: PyPI only)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${AUTOGRADER_PYTHON:-python3}"
TORCH_INDEX_URL="${TORCH_INDEX_URL-__TORCH_INDEX__}"
export PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1

run() {
  if [ -n "${AUTOGRADER_SETUP_DRY_RUN:-}" ]; then
    printf '+'; printf ' %q' "$@"; printf '\n'
  else
    "$@"
  fi
}

if ! command -v "$PY" >/dev/null 2>&1 || ! "$PY" -m pip --version >/dev/null 2>&1; then
  run apt-get update
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-pip
fi
if [ -z "${AUTOGRADER_SETUP_DRY_RUN:-}" ]; then
  "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || {
    echo "setup.sh: the course needs Python 3.10 or newer; choose a newer Ubuntu base image in Gradescope" >&2
    exit 1
  }
fi

run "$PY" -m pip install ${TORCH_INDEX_URL:+--extra-index-url "$TORCH_INDEX_URL"} "__TORCH_PIN__"
run "$PY" -m pip install __DEPENDENCIES__
run "$PY" -m pip install --no-deps -e "$HERE"
run "$PY" -c "import torch, autograder.grading; print('autograder ready: torch', torch.__version__)"
"""

RUN_AUTOGRADER = r"""#!/usr/bin/env bash
# Gradescope runs this for every submission, in a fresh container of the image setup.sh built.
# It grades $AUTOGRADER_ROOT/submission/*.ipynb into $AUTOGRADER_ROOT/results/results.json, and leaves a
# valid results.json even when the submission, the grader or Python itself is broken.
#   AUTOGRADER_ROOT        Gradescope's folder (default /autograder); this bundle is unpacked in its source/
#   AUTOGRADER_PYTHON      the Python setup.sh installed into (default python3)
#   AUTOGRADER_TIME_LIMIT  seconds before grading is stopped (default 540, under Gradescope's 10 minutes)
#   AUTOGRADER_KEEP_SOURCE=1  keep the instructor notebooks (by default they are deleted from this
#                          container once loaded, before any student code runs; set it when debugging over SSH)
set -u
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PY="${AUTOGRADER_PYTHON:-python3}"
LIMIT="${AUTOGRADER_TIME_LIMIT:-540}"
BUNDLE="$ROOT/source"
RESULTS="$ROOT/results/results.json"
mkdir -p "$ROOT/results"
rm -f "$RESULTS"
cd "$BUNDLE" 2>/dev/null || cd "$ROOT" || exit 0

TIMEOUT=()
if command -v timeout >/dev/null 2>&1; then
  TIMEOUT=(timeout --kill-after=10 "$LIMIT")
fi
PYTHONPATH="$BUNDLE${PYTHONPATH:+:$PYTHONPATH}" ${TIMEOUT[@]+"${TIMEOUT[@]}"} "$PY" -m autograder.export run-gradescope \
  --root "$ROOT" --results "$RESULTS"
code=$?

valid() {
  "$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(not (isinstance(d, dict) and isinstance(d.get("score"), (int, float)) and isinstance(d.get("tests"), list)))' "$RESULTS" >/dev/null 2>&1
}
if ! valid; then
  if [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then
    message="Grading took longer than $LIMIT seconds and was stopped, so this submission scores 0. Check that no cell runs a long loop or waits for input, then submit again."
  else
    message="The autograder failed on its side (exit code $code); this is not a problem with your notebook. Please tell your instructor, who can re-run it."
  fi
  echo "run_autograder: no valid results.json from the grader (exit code $code); writing a fallback" >&2
  printf '{"score": 0.0, "output": "%s", "visibility": "visible", "stdout_visibility": "hidden", "tests": [], "extra_data": {"status": "error"}}\n' "$message" > "$RESULTS"
fi
exit 0
"""


def setup_script() -> str:
    """setup.sh: torch first (pinned as .ci/setup pins it), then pyproject's dependencies, then the package."""
    deps = " ".join(f'"{d}"' for d in project_dependencies())
    return (
        SETUP_SH.replace("__TORCH_PIN__", torch_pin())
        .replace("__DEPENDENCIES__", deps)
        .replace("__TORCH_INDEX__", TORCH_CPU_INDEX)
    )


def gradescope_files(assignments: tuple[Assignment, ...]) -> list[tuple[str, bytes, int]]:
    """(name in the zip, content, mode) of every file of the bundle."""
    entries: list[tuple[str, bytes, int]] = [
        ("setup.sh", setup_script().encode(), 0o755),
        ("run_autograder", RUN_AUTOGRADER.encode(), 0o755),
        ("pyproject.toml", (KIT_ROOT / "pyproject.toml").read_bytes(), 0o644),
        ("README.md", (KIT_ROOT / "README.md").read_bytes(), 0o644),  # pyproject.toml names it
    ]
    marker = {"assignments": [a.id for a in assignments], "torch": torch_pin()}
    entries.append((BUNDLE_MARKER, (json.dumps(marker, indent=2) + "\n").encode(), 0o644))
    for path in tree_files(PACKAGE_DIR):
        rel = path.relative_to(PACKAGE_DIR)
        if rel.parts[0] == "checks" and rel.name.startswith("test_"):
            continue  # the course's own checks are added below
        entries.append((f"autograder/{rel.as_posix()}", path.read_bytes(), 0o644))
    for assignment in assignments:
        entries.append(
            (f"autograder/checks/{assignment.check_module.name}", assignment.check_module.read_bytes(), 0o644)
        )
    source_dir = current_course().source_dir
    for assignment in assignments:
        for path in tree_files(assignment.path.parent):
            entries.append((f"source/{path.relative_to(source_dir).as_posix()}", path.read_bytes(), 0o644))
    config = current_course().root / "nbgrader_config.py"
    if config.exists():
        entries.append(("nbgrader_config.py", config.read_bytes(), 0o644))
    return entries


def export_gradescope(out: Path | str = GRADESCOPE_ZIP, assignments: Sequence[str] | None = None) -> Path:
    """Write Gradescope's autograder zip to `out` and return its path.

    One zip serves the whole course (each notebook is graded as the assignment it belongs to); pass
    `assignments` to make a zip that grades only those, e.g. one per Gradescope assignment.
    """
    out = Path(out)
    chosen = select_assignments(assignments)
    missing = [a.id for a in chosen if not a.check_module.exists()]
    if missing:
        raise ValueError(f"no hidden checks for {', '.join(missing)} in {current_course().checks_dir}")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, data, mode in gradescope_files(chosen):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3  # Unix, so that unzip restores the executable bits
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, data)
    os.replace(tmp, out)
    return out


def find_notebooks(folder: Path) -> list[Path]:
    """Notebooks under a submission folder (Gradescope keeps uploaded folders), without checkpoints."""
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.rglob("*.ipynb") if p.is_file() and not is_junk(p.relative_to(folder))),
        key=lambda p: (len(p.relative_to(folder).parts), p.as_posix()),
    )


def choose_notebooks(folder: Path) -> tuple[list[tuple[Path, Assignment]], list[str]]:
    """The notebooks to grade, one per assignment, and a note for every notebook left out.

    Per assignment the notebook named `<assignment id>.ipynb` wins, else the first found.
    """
    from autograder.submission import SubmissionError, identify_assignment, read_notebook

    by_assignment: dict[str, list[tuple[Path, Assignment]]] = {}
    notes: list[str] = []
    for path in find_notebooks(folder):
        try:
            assignment = identify_assignment(read_notebook(path), path)
        except SubmissionError as exc:
            notes.append(f"{exc} (not graded)")
            continue
        by_assignment.setdefault(assignment.id, []).append((path, assignment))
    chosen = []
    for assignment_id, found in by_assignment.items():
        found.sort(key=lambda item: item[0].name != f"{assignment_id}.ipynb")
        chosen.append(found[0])
        graded = found[0][0].relative_to(folder)
        notes += [f"{p.relative_to(folder)}: not graded; {graded} was graded as {assignment_id}" for p, _ in found[1:]]
    return chosen, notes


def gradescope_json(result_data: dict, extra: dict | None = None) -> dict:
    """Keep the keys Gradescope's schema has; move the rest of a rendered result to `extra_data`."""
    data = {k: v for k, v in result_data.items() if k in GRADESCOPE_KEYS}
    rest = {k: v for k, v in result_data.items() if k not in GRADESCOPE_KEYS}
    data["extra_data"] = {**rest, **data.get("extra_data", {}), **(extra or {})}
    data["tests"] = [
        {k: v for k, v in test.items() if k in GRADESCOPE_TEST_KEYS} for test in result_data.get("tests", [])
    ]
    data.setdefault("visibility", "visible")
    data.setdefault("stdout_visibility", "hidden")
    return data


def error_json(message: str, status: str = "error") -> dict:
    return {
        "score": 0.0,
        "output": message,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [],
        "extra_data": {"status": status},
    }


def grade_gradescope_submission(folder: Path, **limits) -> dict:
    """Grade what a student uploaded (Gradescope's submission folder) into a results.json dict."""
    notebooks = find_notebooks(folder)
    if not notebooks:
        found = (
            sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
            if folder.is_dir()
            else []
        )
        seen = f" (found: {', '.join(found[:10])})" if found else " (the submission is empty)"
        known = ", ".join(f"{a.id}.ipynb" for a in course_assignments())
        return error_json(
            f"No Jupyter notebook (.ipynb) in your submission{seen}, so it scores 0. "
            f"Upload your notebook ({known}) and submit again.",
            status="missing",
        )
    from autograder.grading import grade_submission  # imports torch: only when there is something to grade

    chosen, notes = choose_notebooks(folder)
    if not chosen:
        reason = grade_submission(notebooks[0], **limits).error if len(notebooks) == 1 else "; ".join(notes)
        return error_json(
            f"Your submission could not be graded, so it scores 0: {reason}. "
            "Open the notebook in Jupyter, run it, save it, and submit it again."
        )
    results = [grade_submission(path, student="submission", **limits) for path, _ in chosen]
    lines = [
        f"Graded {path.relative_to(folder)} as {r.assignment}: {r.score:g}/{r.max_score:g}"
        for (path, _), r in zip(chosen, results, strict=True)
    ]
    if len(results) == 1:
        data = gradescope_json(results[0].to_gradescope())
    else:  # several assignments in one upload: their exercises side by side
        tests = []
        for result in results:
            for test in gradescope_json(result.to_gradescope())["tests"]:
                test["name"] = f"{result.assignment} {test['name']}"
                test["number"] = f"{result.assignment.split('_')[0]}.{test['number']}"
                tests.append(test)
        data = gradescope_json({"tests": tests}, {"assignments": [r.assignment for r in results]})
        data["score"] = round(sum(r.score for r in results), 4)
    data["output"] = "\n".join(lines + notes)
    return data


def hide_solutions(root: Path) -> bool:
    """Delete the bundle's instructor notebooks once the course is loaded, before student code runs.

    Only inside an unpacked bundle under `root` (it has BUNDLE_MARKER): never the repository's source/.
    """
    bundle, source = current_course().root.resolve(), current_course().source_dir.resolve()
    if not (bundle / BUNDLE_MARKER).exists() or not source.is_relative_to(root.resolve()):
        return False
    course_assignments()  # cached: grading reads the course from memory from now on
    shutil.rmtree(source, ignore_errors=True)
    return True


def write_results(path: Path, data: dict) -> None:
    """Write results.json atomically, so Gradescope never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    os.replace(tmp, path)


def run_gradescope(
    root: Path | str = "/autograder", results: Path | str | None = None, keep_source: bool = False, **limits
) -> dict:
    """Grade `<root>/submission` into `<root>/results/results.json`; always writes a valid file.

    `limits` (seed, exercise_timeout, submission_timeout, memory_mb) go to `grade_submission`.
    """
    root = Path(root)
    results = Path(results) if results else root / "results" / "results.json"
    start = time.monotonic()
    print(f"autograder bundle: {current_course().root}")  # stdout is hidden from students
    try:
        if not current_course().source_dir.is_dir():
            raise RuntimeError(
                f"no instructor notebooks in {current_course().source_dir}: run_autograder deletes them after loading them; "
                "run it in a fresh container, or with AUTOGRADER_KEEP_SOURCE=1 to keep them"
            )
        if not course_assignments():
            raise RuntimeError(f"no assignments in {current_course().source_dir}")
        if not keep_source:
            hide_solutions(root)
        data = grade_gradescope_submission(root / "submission", **limits)
    except Exception as exc:  # noqa: BLE001 (a grader fault must still give the student a valid results.json)
        traceback.print_exc()
        data = error_json(
            "The autograder failed on its side; this is not a problem with your notebook. "
            f"Please tell your instructor, who can re-run it. ({type(exc).__name__})",
            status="grader error",
        )
    data["execution_time"] = round(time.monotonic() - start)
    write_results(results, data)
    print(f"score {data['score']:g}; wrote {results}")
    return data


# ----------------------------------------------------------------------------------------------------------
# GitHub Classroom
# ----------------------------------------------------------------------------------------------------------

CHECK_EXERCISE = r'''"""Run the visible check of one exercise of a notebook, as GitHub Classroom's grader step does.

    python check_exercise.py NOTEBOOK N

Runs the notebook in a Jupyter kernel up to the cell `test_exerciseN` (demo cells are skipped) and exits 0
only when that check printed `Exercise N: OK`. Your notebook file is not changed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import tempfile
import warnings


@contextlib.contextmanager
def quiet_stderr():
    """Keep stderr (the kernel's start-up chatter included) in a file: the grader step fails on stderr."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        os.dup2(tmp.fileno(), 2)
        try:
            yield tmp
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def check_cell_index(nb, number: int) -> int | None:
    wanted = f"test_exercise{number}"
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == wanted:
            return index
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and f"def {wanted}(" in cell.source:
            return index
    return None


def cell_text(cell) -> tuple[str, str]:
    """What a cell printed, and the error it raised (without the coloured traceback)."""
    printed, error = [], ""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stdout":
            printed.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            error = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip()
    return "".join(printed), error


def run(notebook: str, number: int, timeout: int) -> tuple[bool, str]:
    warnings.simplefilter("ignore")
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    import nbformat
    from nbclient import NotebookClient

    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as exc:  # noqa: BLE001
        return False, f"Exercise {number}: could not read {notebook} ({type(exc).__name__}: {exc})"
    index = check_cell_index(nb, number)
    if index is None:
        return False, f"Exercise {number}: the check cell test_exercise{number} is missing from {notebook}"
    check = nb.cells[index]
    nb.cells = [c for c in nb.cells[: index + 1] if "demo" not in c.get("metadata", {}).get("tags", [])]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(notebook))}},
    )
    try:
        client.execute()
    except Exception as exc:  # noqa: BLE001 (a cell timed out or the kernel died)
        return False, f"Exercise {number}: the notebook could not run ({type(exc).__name__}: {exc})"
    printed, error = cell_text(check)
    lines = [line.strip() for line in printed.splitlines()]
    ok = f"Exercise {number}: OK"
    others = [line for line in lines if re.match(rf"Exercise {number}\b", line) and line != ok]
    if ok in lines and not others and not error:
        return True, printed.strip()
    report = printed.strip() or f"Exercise {number}: the check did not print OK"
    if error:
        report += f"\n{error}"
    return False, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("exercise", type=int)
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args(argv)
    with quiet_stderr() as captured:
        passed, report = run(args.notebook, args.exercise, args.timeout)
        captured.seek(0)
        noise = captured.read().decode(errors="replace").strip()
    if passed:
        print(report)
        return 0
    print(report, file=sys.stderr)
    if "Traceback" in noise:
        print(noise[-2000:], file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
'''

STUDENT_README = """# {title}

Your notebooks are in `release/`. Open them in Jupyter, fill in every cell marked `# YOUR CODE HERE`,
run each visible check, and commit and push your work.

Every push runs the workflow `{workflow}` (the **Actions** tab): one step per exercise runs your notebook
up to that exercise's check and gives its points when the check prints `Exercise N: OK`. The summary shows
**Points X/Y**. Run one check yourself with

    pip install -r requirements.txt
    python {script} release/<notebook>/<notebook>.ipynb N

Your instructor may also grade the notebooks with further checks.
"""
CLASSROOM_WORKFLOW_NAME = "Autograding Tests"


def step_id(assignment: Assignment, number: int) -> str:
    """A workflow step id (letters, digits, `_`; starts with a letter) for one exercise."""
    return "nb" + re.sub(r"[^a-z0-9]+", "_", assignment.id.lower()).strip("_") + f"_ex{number}"


def points_text(points: float) -> str:
    return str(int(points)) if float(points).is_integer() else f"{points:g}"


def yaml_str(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


def classroom_workflow(assignments: Iterable[Assignment]) -> str:
    """.github/workflows/classroom.yml: a command-grader step per exercise, then the reporter."""
    setup = "python -m pip install --quiet -r requirements.txt"
    steps, ids = [], []
    for assignment in assignments:
        notebook = f"release/{assignment.id}/{assignment.id}.ipynb"
        for ex in assignment.exercises:
            sid = step_id(assignment, ex.number)
            ids.append(sid)
            name = f"{assignment.id} {ex.title}"
            steps.append(
                f"""      - name: {yaml_str(name)}
        id: {sid}
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: {yaml_str(name)}
          setup-command: {yaml_str(setup)}
          command: {yaml_str(f"python {CLASSROOM_SCRIPT} {notebook} {ex.number}")}
          timeout: {CLASSROOM_TIMEOUT_MINUTES}
          max-score: {points_text(ex.points)}
"""
            )
    env = "".join(f'          {sid.upper()}_RESULTS: "${{{{ steps.{sid}.outputs.result }}}}"\n' for sid in ids)
    grader_steps, runners = "".join(steps), ",".join(ids)
    return f"""# Written by `autograder export classroom`: one grader step per exercise, points from source/.
# Each step runs {CLASSROOM_SCRIPT} (the notebook's visible check); the reporter sums the points.
name: {CLASSROOM_WORKFLOW_NAME}
"on":
  - push
  - repository_dispatch
  - workflow_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version: "{CLASSROOM_PYTHON}"
          cache: pip
          cache-dependency-path: requirements.txt
{grader_steps}      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
{env}        with:
          runners: {runners}
"""


def classroom_requirements() -> str:
    """What the notebooks and check_exercise.py need, pinned as pyproject.toml pins them (torch as .ci/setup)."""
    deps = {requirement_name(d): d for d in project_dependencies()}
    lines = [f"--extra-index-url {TORCH_CPU_INDEX}", torch_pin()]
    lines += [deps.get(name, name) for name in CLASSROOM_PACKAGES if name != "torch"]
    return "\n".join(lines) + "\n"


def export_classroom(out: Path | str = CLASSROOM_DIR, assignments: Sequence[str] | None = None) -> Path:
    """Write a GitHub Classroom template repository into `out` and return it.

    It holds the release notebooks, requirements.txt, check_exercise.py and the workflow; no hidden check
    and no solution. Files written before are replaced; other files in `out` are left alone.
    """
    out = Path(out)
    chosen = select_assignments(assignments)
    for assignment in chosen:
        release = current_course().release_dir / assignment.id
        if not (release / f"{assignment.id}.ipynb").exists():
            raise ValueError(f"no release notebook {release / assignment.id}.ipynb: run `autograder release` first")
        target = out / "release" / assignment.id
        if target.exists():
            shutil.rmtree(target)
        for path in tree_files(release):
            dest = target / path.relative_to(release)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    readme = STUDENT_README.format(
        title="Gradient descent with PyTorch", workflow=CLASSROOM_WORKFLOW_NAME, script=CLASSROOM_SCRIPT
    )
    files = {
        CLASSROOM_WORKFLOW: classroom_workflow(chosen),
        CLASSROOM_SCRIPT: CHECK_EXERCISE,
        "requirements.txt": classroom_requirements(),
        "README.md": readme,
        ".gitignore": ".ipynb_checkpoints/\n__pycache__/\n.venv/\n",
    }
    for name, text in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return out


# ----------------------------------------------------------------------------------------------------------
# `python -m autograder.export run-gradescope`: what run_autograder calls
# ----------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.export")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run-gradescope", help="grade <root>/submission into <root>/results/results.json")
    run.add_argument("--root", default=os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    run.add_argument("--results", default=None, help="default <root>/results/results.json")
    run.add_argument("--keep-source", action="store_true", default=bool(os.environ.get("AUTOGRADER_KEEP_SOURCE")))
    # grading's own defaults apply to what is not given (importing them here would import torch for nothing)
    run.add_argument("--seed", type=int, help="seed for torch, NumPy and random")
    run.add_argument("--timeout", dest="exercise_timeout", type=float, help="seconds per exercise")
    run.add_argument("--submission-timeout", type=float, help="seconds per notebook")
    run.add_argument("--memory-mb", type=int, help="memory per child process")
    args = parser.parse_args(argv)
    names = ("seed", "exercise_timeout", "submission_timeout", "memory_mb")
    limits = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    run_gradescope(args.root, args.results, keep_source=args.keep_source, **limits)
    return 0


if __name__ == "__main__":
    sys.exit(main())
