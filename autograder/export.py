"""Deployment bundles: Gradescope autograder zips and a GitHub Classroom template repository.

`export_gradescope` writes the zips Gradescope builds its image from (`setup.sh`, `run_autograder`, this
package with its hidden checks, the instructor notebooks of `source/`): one per assignment, or one for the
whole course on request. `run_gradescope` is what `run_autograder` calls for each submission; it always
leaves a valid results file.

`export_classroom` writes a template repository for GitHub Classroom: the release notebooks, a workflow with
one step per exercise (points read from `source/`) and `check_exercise.py`, which runs a notebook's visible
check. Students can read everything in their repository, so nothing hidden goes there.

The scripts, the workflow and the student README are files under `autograder/templates/`; this module only
fills them in.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course import KIT_ROOT, Assignment, course_assignments, current_course

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES = PACKAGE_DIR / "templates"

GRADESCOPE_DIR = Path("build/gradescope")
COURSE_ZIP = "course.zip"
CLASSROOM_DIR = Path("build/classroom-template")
BUNDLE_MARKER = "bundle.json"  # only in an unpacked Gradescope bundle: lets run_gradescope remove its solutions
CLASSROOM_SCRIPT = "check_exercise.py"
CLASSROOM_WORKFLOW = ".github/workflows/classroom.yml"
CLASSROOM_WORKFLOW_NAME = "Autograding Tests"  # the name GitHub Classroom looks for
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
CLASSROOM_PYTHON = "3.12"
CLASSROOM_TIMEOUT_MINUTES = 10
JUNK_NAMES = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".ruff_cache", ".DS_Store", ".git", "__MACOSX"}
JUNK_SUFFIXES = (".pyc", ".pyo", "~", ".swp")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same course gives the same zip
# What the release notebooks and check_exercise.py import (the grader's own dependencies stay out).
CLASSROOM_PACKAGES = ("torch", "numpy", "nbformat", "nbclient", "ipykernel", "ipython", "matplotlib")
UPLOAD_ZIP_LIMIT = 200  # notebooks read out of one uploaded zip, at most


class ExportExists(FileExistsError):
    """An export would overwrite files; the message names them."""


# ----------------------------------------------------------------------------------------------------------
# What both exports share
# ----------------------------------------------------------------------------------------------------------


def template(name: str, /, **values: str) -> str:
    """The template `autograder/templates/<name>` with each `__KEY__` replaced by `values[key]`."""
    text = (TEMPLATES / name).read_text()
    for key, value in values.items():
        text = text.replace(f"__{key.upper()}__", value)
    return text


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


def refuse_overwrite(paths: Iterable[Path], force: bool) -> None:
    """Raise ExportExists naming the paths that exist, unless `force`."""
    existing = [str(p) for p in paths if p.exists()]
    if existing and not force:
        raise ExportExists(f"would overwrite {', '.join(existing)}; add --force to replace them")


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
# Gradescope: the zips
# ----------------------------------------------------------------------------------------------------------


def setup_script() -> str:
    """setup.sh: torch first (pinned as .ci/setup pins it), then pyproject's dependencies, then the package."""
    deps = " ".join(f'"{d}"' for d in project_dependencies())
    return template("gradescope/setup.sh", torch_pin=torch_pin(), dependencies=deps, torch_index=TORCH_CPU_INDEX)


def gradescope_files(assignments: tuple[Assignment, ...], course_wide: bool) -> list[tuple[str, bytes, int]]:
    """(name in the zip, content, mode) of every file of the bundle."""
    entries: list[tuple[str, bytes, int]] = [
        ("setup.sh", setup_script().encode(), 0o755),
        ("run_autograder", (TEMPLATES / "gradescope" / "run_autograder").read_bytes(), 0o755),
        ("pyproject.toml", (KIT_ROOT / "pyproject.toml").read_bytes(), 0o644),
        ("README.md", (KIT_ROOT / "README.md").read_bytes(), 0o644),  # pyproject.toml names it
    ]
    marker = {"assignments": [a.id for a in assignments], "course_wide": course_wide, "torch": torch_pin()}
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


def write_zip(out: Path, entries: list[tuple[str, bytes, int]]) -> Path:
    """A zip with fixed dates and Unix modes (so unzip restores the executable bits), written atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, data)
    os.replace(tmp, out)
    return out


def export_gradescope(
    out: Path | str = GRADESCOPE_DIR,
    assignments: Sequence[str] | None = None,
    course_wide: bool = False,
    force: bool = False,
) -> list[Path]:
    """Write Gradescope autograder zips into the folder `out` and return their paths.

    By default one zip per assignment, `<id>.zip`, for a Gradescope assignment each: it grades only notebooks
    of that assignment. With `course_wide`, one `course.zip` holding every chosen assignment; each submission
    is then graded as the assignment it was submitted to (never as several). When only one zip is written,
    `out` may name the file (`.zip`). Existing zips are replaced only with `force` (ExportExists otherwise).
    """
    out = Path(out)
    chosen = select_assignments(assignments)
    missing = [a.id for a in chosen if not a.check_module.exists()]
    if missing:
        raise ValueError(f"no hidden checks for {', '.join(missing)} in {current_course().checks_dir}")
    plan = [(out / COURSE_ZIP, chosen)] if course_wide else [(out / f"{a.id}.zip", (a,)) for a in chosen]
    if out.suffix == ".zip":  # a file name: only for a single zip
        if len(plan) > 1:
            raise ValueError(f"{out} names one zip, but there is one per assignment: give a folder")
        plan = [(out, plan[0][1])]
    refuse_overwrite([path for path, _ in plan], force)
    return [write_zip(path, gradescope_files(group, course_wide)) for path, group in plan]


# ----------------------------------------------------------------------------------------------------------
# Gradescope: grading one upload
# ----------------------------------------------------------------------------------------------------------


@dataclass
class Upload:
    """The notebooks of a student's upload (loose and inside .zip files) and notes about the rest."""

    notebooks: list[tuple[str, Path, float]] = field(default_factory=list)  # (shown name, file, modified time)
    notes: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every file uploaded, for the message when nothing fits


def read_upload(folder: Path, unpack_to: Path) -> Upload:
    """The notebooks under `folder` and inside the .zip files there (unpacked into `unpack_to`)."""
    upload = Upload()
    if not folder.is_dir():
        return upload
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or path.is_symlink() or is_junk(rel):
            continue
        upload.files.append(rel.as_posix())
        if path.suffix == ".ipynb":
            upload.notebooks.append((rel.as_posix(), path, path.stat().st_mtime))
        elif path.suffix.lower() == ".zip":
            unpack_notebooks(path, rel.as_posix(), unpack_to / f"zip{len(upload.files)}", upload)
    return upload


def unpack_notebooks(archive: Path, shown: str, target: Path, upload: Upload) -> None:
    """Copy the notebooks of an uploaded zip out of it (never outside `target`, never more than the limits)."""
    from autograder.submission import MAX_NOTEBOOK_BYTES

    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.infolist() if not m.is_dir() and m.filename.endswith(".ipynb")]
            for index, member in enumerate(members):
                name = Path(member.filename)
                if name.is_absolute() or ".." in name.parts or is_junk(name):
                    continue
                if index >= UPLOAD_ZIP_LIMIT or member.file_size > MAX_NOTEBOOK_BYTES:
                    upload.notes.append(f"{shown}/{member.filename}: not read (too large or too many files)")
                    continue
                dest = target / f"{index}" / name.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(member) as source:
                    dest.write_bytes(source.read(MAX_NOTEBOOK_BYTES + 1))
                modified = time.mktime((*member.date_time, 0, 0, -1))
                upload.notebooks.append((f"{shown}/{member.filename}", dest, modified))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        upload.notes.append(f"{shown}: could not be unpacked ({type(exc).__name__})")


def words(text: str) -> str:
    """Lower-case words and numbers, one space apart: '02 Linear regression' -> '02 linear regression'."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def assignment_by_title(title: str, assignments: tuple[Assignment, ...]) -> Assignment | None:
    """The assignment a Gradescope assignment title names: its id, or its id's words without numbers."""
    title = f" {words(title)} "
    for key in (words, lambda text: " ".join(w for w in words(text).split() if not w.isdigit())):
        found = [a for a in assignments if key(a.id) and f" {key(a.id)} " in title]
        if len(found) == 1:
            return found[0]
    return None


def read_metadata(path: Path) -> dict:
    """Gradescope's submission_metadata.json, or {} when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def identify(upload: Upload, assignments: tuple[Assignment, ...]) -> list[tuple[str, Path, float, Assignment | None]]:
    """Each notebook with the assignment its cells (then its name) say it belongs to; None when unreadable."""
    from autograder.submission import SubmissionError, identify_assignment, read_notebook

    found = []
    for shown, path, modified in upload.notebooks:
        try:
            assignment = identify_assignment(read_notebook(path), Path(shown), assignments)
        except SubmissionError:
            assignment = None
        found.append((shown, path, modified, assignment))
    return found


def target_assignment(
    found: list[tuple[str, Path, float, Assignment | None]], assignments: tuple[Assignment, ...], metadata: dict
) -> tuple[Assignment | None, str]:
    """The assignment this submission is graded as, and how it was chosen (or why none could be)."""
    if len(assignments) == 1:
        return assignments[0], "this autograder grades one assignment"
    meta = metadata.get("assignment") if isinstance(metadata.get("assignment"), dict) else {}
    title = str(meta.get("title") or "")
    by_title = assignment_by_title(title, assignments) if title else None
    if by_title is not None:
        return by_title, f"the Gradescope assignment's title, {title!r}"
    candidates = list(dict.fromkeys(a for *_, a in found if a is not None))
    if len(candidates) > 1:
        try:
            total = float(meta.get("total_points"))
        except (TypeError, ValueError):
            total = None
        same_points = [a for a in candidates if total is not None and a.max_score == total]
        candidates = same_points if len(same_points) == 1 else candidates
    if len(candidates) == 1:
        return candidates[0], "the notebook's nbgrader cell ids"
    if candidates:
        names = ", ".join(a.id for a in candidates)
        return None, f"your upload holds notebooks of several assignments ({names}); upload only this one's notebook"
    return None, ""


def choose_notebook(
    found: list[tuple[str, Path, float, Assignment | None]], target: Assignment
) -> tuple[tuple[str, Path] | None, str]:
    """The notebook graded as `target`: the one named like the release, else the newest; and why it was."""
    own = [item for item in found if item[3] is target]
    if not own:  # an unreadable notebook named like the release still gets its reason shown
        own = [item for item in found if item[3] is None and Path(item[0]).name == f"{target.id}.ipynb"]
    if not own and len(found) == 1 and found[0][3] is None:
        own = found
    if not own:
        return None, ""
    named = [item for item in own if Path(item[0]).name == f"{target.id}.ipynb"]
    pool = named or own
    chosen = max(pool, key=lambda item: (item[2], -len(Path(item[0]).parts)))
    if len(own) == 1:
        why = ""
    elif named and len(named) == 1:
        why = f"it is named like the release notebook, {target.id}.ipynb"
    else:
        why = f"it is the newest of {len(pool)} notebooks" + (f" named {target.id}.ipynb" if named else "")
    return (chosen[0], chosen[1]), why


def bundle_assignments() -> tuple[Assignment, ...]:
    """The assignments this bundle grades (its bundle.json), else the course's."""
    marker = read_metadata(current_course().root / BUNDLE_MARKER)
    ids = marker.get("assignments") if isinstance(marker.get("assignments"), list) else None
    return select_assignments(ids) if ids else course_assignments()


def grade_gradescope_submission(folder: Path, metadata: dict | None = None, **limits) -> dict:
    """Grade what a student uploaded (Gradescope's submission folder) into a results.json dict.

    One notebook is graded, as one assignment: the bundle's only one, else the one Gradescope's
    `submission_metadata.json` names (its title) or the notebooks' nbgrader cell ids show. The score is
    never above that assignment's points. `metadata` is submission_metadata.json's content.
    """
    from autograder.results import markdown_text

    assignments = bundle_assignments()
    with tempfile.TemporaryDirectory(prefix="autograder-upload-") as unpacked:
        upload = read_upload(folder, Path(unpacked))
        if not upload.notebooks:
            seen = f" (found: {', '.join(upload.files[:10])})" if upload.files else " (the submission is empty)"
            known = ", ".join(f"{a.id}.ipynb" for a in assignments)
            return error_json(
                f"No Jupyter notebook (.ipynb) in your submission{seen}, so it scores 0. "
                f"Upload your notebook ({known}) and submit again.",
                status="missing",
            )
        found = identify(upload, assignments)
        target, how = target_assignment(found, assignments, metadata or {})
        if target is None:
            why = how or "none of your notebooks belongs to this course"
            return error_json(f"Your submission could not be graded, so it scores 0: {why}.", status="error")
        chosen, why = choose_notebook(found, target)
        if chosen is None:
            seen = ", ".join(f"{s} ({a.id if a else 'unreadable'})" for s, _, _, a in found)
            return error_json(
                f"No notebook of {target.id} in your submission (found: {seen}), so it scores 0. "
                f"Upload {target.id}.ipynb and submit again.",
                status="missing",
            )
        from autograder.grading import grade_submission  # imports torch: only when there is something to grade

        shown, path = chosen
        result = grade_submission(path, student="submission", **limits)
    data = result.to_gradescope()
    data["score"] = min(data["score"], target.max_score)  # never more than the assignment is worth
    lines = [data["output"], "", f"Graded {markdown_text(shown)} as {target.id} ({how})."]
    if why:
        lines.append(f"Of several notebooks, this one was graded because {why}.")
    others = [s for s, *_ in found if s != shown]
    lines += [f"- Not graded: {markdown_text(s)}" for s in others]
    lines += [f"- {markdown_text(note)}" for note in upload.notes]
    data["output"] = "\n".join(lines)
    data["extra_data"] |= {"graded": shown, "chosen_by": how}
    return data


def error_json(message: str, status: str = "error") -> dict:
    """A results.json for a submission that scores 0, with the reason as its output."""
    from autograder.results import markdown_text

    return {
        "score": 0.0,
        "output": markdown_text(message),
        "output_format": "md",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [],
        "extra_data": {"status": status},
    }


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
    """Write results.json atomically, so that no one reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    os.replace(tmp, path)


def run_gradescope(
    root: Path | str = "/autograder", results: Path | str | None = None, keep_source: bool = False, **limits
) -> dict:
    """Grade `<root>/submission` into `results` (default `<root>/results/results.json`); always writes a valid file.

    `limits` (seed, exercise_timeout, submission_timeout, memory_mb) go to `grade_submission`.
    """
    root = Path(root)
    results = Path(results) if results else root / "results" / "results.json"
    start = time.monotonic()
    print(f"autograder bundle: {current_course().root}")  # stdout is hidden from students
    try:
        if not current_course().source_dir.is_dir():
            raise RuntimeError(
                f"no instructor notebooks in {current_course().source_dir}: run_autograder deletes them after "
                "loading them; run it in a fresh container, or with AUTOGRADER_KEEP_SOURCE=1 to keep them"
            )
        if not course_assignments():
            raise RuntimeError(f"no assignments in {current_course().source_dir}")
        bundle_assignments()  # loads the course before the notebooks go
        if not keep_source:
            hide_solutions(root)
        metadata = read_metadata(root / "submission_metadata.json")
        data = grade_gradescope_submission(root / "submission", metadata, **limits)
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


def step_id(assignment: Assignment, number: int) -> str:
    """A workflow step id for one exercise: letters and digits only (the reporter's `runners` pattern)."""
    return "nb" + re.sub(r"[^a-z0-9]+", "", assignment.id.lower()) + f"ex{number}"


def points_text(points: float) -> str:
    return str(int(points)) if float(points).is_integer() else f"{points:g}"


def yaml_str(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


def classroom_workflow(assignments: Iterable[Assignment]) -> str:
    """.github/workflows/classroom.yml: a step per exercise writing its `result` output, then the reporter."""
    steps, ids = [], []
    for assignment in assignments:
        notebook = f"release/{assignment.id}/{assignment.id}.ipynb"
        for ex in assignment.exercises:
            sid = step_id(assignment, ex.number)
            ids.append(sid)
            steps.append(
                template(
                    "classroom/classroom-step.yml",
                    name=yaml_str(f"{assignment.id} {ex.title}"),
                    id=sid,
                    timeout=str(CLASSROOM_TIMEOUT_MINUTES),
                    script=CLASSROOM_SCRIPT,
                    notebook=notebook,
                    number=str(ex.number),
                    points=points_text(ex.points),
                )
            )
    env = "".join(f'          {sid.upper()}_RESULTS: "${{{{ steps.{sid}.outputs.result }}}}"\n' for sid in ids)
    text = template(
        "classroom/classroom.yml",
        workflow_name=CLASSROOM_WORKFLOW_NAME,
        python=CLASSROOM_PYTHON,
        script=CLASSROOM_SCRIPT,
        runners=",".join(ids),
    )
    text = text.replace("      # __GRADER_STEPS__\n", "".join(steps))
    return text.replace('          __RESULTS_ENV__: ""\n', env)


def classroom_requirements() -> str:
    """What the notebooks and check_exercise.py need, pinned as pyproject.toml pins them (torch as .ci/setup)."""
    deps = {requirement_name(d): d for d in project_dependencies()}
    lines = [f"--extra-index-url {TORCH_CPU_INDEX}", torch_pin()]
    lines += [deps.get(name, name) for name in CLASSROOM_PACKAGES if name != "torch"]
    return "\n".join(lines) + "\n"


def export_classroom(
    out: Path | str = CLASSROOM_DIR, assignments: Sequence[str] | None = None, force: bool = False
) -> list[Path]:
    """Write a GitHub Classroom template repository into `out` and return the files written.

    It holds the release notebooks, requirements.txt, check_exercise.py, a README and the workflow; no hidden
    check and no solution. Existing files are replaced only with `force` (ExportExists otherwise); other
    files in `out` are left alone.
    """
    out = Path(out)
    chosen = select_assignments(assignments)
    copies: dict[Path, Path] = {}
    for assignment in chosen:
        release = current_course().release_dir / assignment.id
        if not (release / f"{assignment.id}.ipynb").exists():
            raise ValueError(f"no release notebook {release / assignment.id}.ipynb: run `autograder release` first")
        copies |= {out / "release" / assignment.id / p.relative_to(release): p for p in tree_files(release)}
    readme = template(
        "classroom/README.md",
        title="Gradient descent with PyTorch",
        workflow=CLASSROOM_WORKFLOW_NAME,
        script=CLASSROOM_SCRIPT,
    )
    texts = {
        out / CLASSROOM_WORKFLOW: classroom_workflow(chosen),
        out / CLASSROOM_SCRIPT: (TEMPLATES / "classroom" / CLASSROOM_SCRIPT).read_text(),
        out / "requirements.txt": classroom_requirements(),
        out / "README.md": readme,
        out / ".gitignore": (TEMPLATES / "classroom" / "gitignore").read_text(),
    }
    refuse_overwrite([*copies, *texts], force)
    for dest, source in copies.items():
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return [*copies, *texts]


# ----------------------------------------------------------------------------------------------------------
# `python -m autograder.export run-gradescope`: what run_autograder calls
# ----------------------------------------------------------------------------------------------------------


def start_fork_server() -> None:
    """Start the fork server before anything else, as `autograder grade` does, so that its imports overlap with
    ours (torch.optim's warm-up only when one of the bundle's assignments builds an optimizer). Anything unusual
    is left to grading, which starts the server when it first needs it and reports what is wrong."""
    try:
        from autograder import forkserver

        needed = any(forkserver.assignment_uses_optimizers(a) for a in course_assignments())
        forkserver.start(optimizers=needed)
    except Exception:  # noqa: BLE001
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.export")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run-gradescope", help="grade <root>/submission into a results file")
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
    start_fork_server()
    run_gradescope(args.root, args.results, keep_source=args.keep_source, **limits)
    return 0


if __name__ == "__main__":
    sys.exit(main())
