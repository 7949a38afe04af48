"""Grade a generated class with this grader and with `nbgrader autograde`, side by side.

    .venv/bin/python benchmarks/grading_throughput.py --size 100

The class is built from the release notebooks: complete, partial, wrong (a mutant from the
catalogue), crashing (`os._exit` in one answer) and timing-out (an infinite loop in one answer)
submissions in the proportions of MIX. Every answer cell gets a comment naming its student, so no
two submissions are textually equal and nothing is served from the grader's cache of student runs.

Rows: one notebook graded cold (a fresh process) by both graders, with and without this grader's reference
cache on disk; the Gradescope bundle's `run_autograder` on the same notebook; the class with `--jobs` 1, 2, 4,
... up to the machine's cores; the same class with the sandbox off (`AUTOGRADER_SANDBOX=off`, for measuring its
cost only); `nbgrader autograde` on the class; and peak memory at `--memory-sizes`. Both graders run with the
same per-exercise timeout. Prints one Markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.course import course_assignments  # noqa: E402
from autograder.mutation import load_catalogue  # noqa: E402
from autograder.samples import assignment_cell, solved_notebook, write_notebook  # noqa: E402

CPU_SECONDS: list[float] = []
MIX = {"complete": 0.5, "partial": 0.2, "wrong": 0.15, "crashing": 0.1, "timing_out": 0.05}


def kinds_for(size: int, mix: dict[str, float] = MIX) -> list[str]:
    """`size` submission kinds in the proportions of `mix` (largest remainders first), in a seeded shuffled order:
    a class in name order is not sorted by kind (five timing-out submissions in a row would leave a core idle)."""
    counts = {k: int(size * share) for k, share in mix.items()}
    for kind in sorted(mix, key=lambda k: size * mix[k] - counts[k], reverse=True)[: size - sum(counts.values())]:
        counts[kind] += 1
    kinds = [kind for kind, n in counts.items() for _ in range(n)]
    random.Random(0).shuffle(kinds)
    return kinds


def build_class(folder: Path, size: int, assignment_ids: list[str], mix: dict[str, float] = MIX) -> dict[str, int]:
    """Write submitted/<student>/<assignment>/<assignment>.ipynb for `size` students."""
    assignments = [a for a in course_assignments() if a.id in assignment_ids]
    made: dict[str, int] = {}
    for i, kind in enumerate(kinds_for(size, mix)):
        assignment = assignments[i % len(assignments)]
        ids = [c.grade_id for c in assignment.cells if c.solution]
        answers = {gid: f"# student {i}\n" + assignment_cell(assignment, gid) for gid in ids}
        unanswered: set[str] = set()
        target = ids[i % len(ids)]
        if kind == "partial":
            unanswered = set(ids[len(ids) // 2 :])
        elif kind == "wrong":
            mutants = load_catalogue(assignment.id).mutants
            mutant = mutants[i % len(mutants)]
            answers[mutant.grade_id] = f"# student {i}\n" + mutant.apply(assignment_cell(assignment, mutant.grade_id))
        elif kind == "crashing":
            answers[target] = "import os\nos._exit(1)\n"
        elif kind == "timing_out":
            answers[target] = f"# student {i}\nwhile True:\n    pass\n"
        nb = solved_notebook(assignment, answers=answers, unanswered=unanswered)
        write_notebook(nb, folder / "submitted" / f"s{i:04d}" / assignment.id / f"{assignment.id}.ipynb")
        made[kind] = made.get(kind, 0) + 1
    return made


def busy_seconds() -> float:
    """CPU seconds all cores have spent not idle since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def run_measured(cmd: list[str], cwd: Path, env: dict | None = None, check: bool = True) -> tuple[float, float]:
    """Run `cmd`; return wall seconds and the peak of the summed RSS of its process tree (MiB).

    Also records in CPU_SECONDS[-1] the CPU seconds the whole machine was busy meanwhile (from
    /proc/stat: run it on an otherwise idle machine).
    """
    before = busy_seconds()
    start = time.monotonic()
    proc = psutil.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            try:
                procs = [proc, *proc.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()) / 2**20)
            except psutil.Error:
                pass
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    stop.set()
    sampler.join()
    CPU_SECONDS.append(busy_seconds() - before)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode()[-2000:]}")
    return time.monotonic() - start, peak


def ours(folder: Path, jobs: int, timeout: float, env: dict | None = None, tag: str = "") -> tuple[float, float]:
    out = folder / f"graded{jobs}{tag}"
    cmd = [sys.executable, "-m", "autograder", "grade", str(folder / "submitted"), "--out", str(out)]
    # exit 1 means "graded, but some submissions could not be" (the crashing ones): expected here
    return run_measured(cmd + ["--jobs", str(jobs), "--timeout", str(timeout), "--quiet"], ROOT, env, check=False)


def nbgrader_course(folder: Path, assignment_ids: list[str], timeout: float, submitted: Path) -> tuple[Path, dict]:
    """An nbgrader course folder with `submitted`, the assignments generated; and the environment to run it."""
    course = folder / f"nbgrader_course_{submitted.name}"
    shutil.copytree(ROOT / "source", course / "source")
    shutil.copytree(submitted, course / "submitted")
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.root = '.'\n"
        f"c.ExecutePreprocessor.timeout = {int(timeout)}\n"
        "c.OverwriteCells.add_missing_cells = True\n"
    )
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    for assignment_id in assignment_ids:
        run_measured([nbgrader_exe(), "generate_assignment", assignment_id, "--force"], course, env)
    return course, env


def nbgrader_exe() -> str:
    return str(Path(sys.executable).parent / "nbgrader")


def nbgrader(folder: Path, assignment_ids: list[str], timeout: float, submitted: Path) -> tuple[float, float, float]:
    """The real `nbgrader autograde`, one assignment after the other; wall s, peak MiB, busy CPU s."""
    course, env = nbgrader_course(folder, assignment_ids, timeout, submitted)
    seconds, peak, cpu = 0.0, 0.0, 0.0
    for assignment_id in assignment_ids:
        # nbgrader exits 1 when any submission failed to autograde (the crashing ones); it graded the rest
        s, p = run_measured([nbgrader_exe(), "autograde", assignment_id, "--force"], course, env, check=False)
        seconds, peak, cpu = seconds + s, max(peak, p), cpu + CPU_SECONDS[-1]
    return seconds, peak, cpu


def one_notebook_class(folder: Path, notebook: Path, assignment_id: str) -> Path:
    """submitted/<student>/<assignment>/ holding only `notebook` (for nbgrader's single-submission run)."""
    single = folder / "single"
    target = single / "s0000" / assignment_id / notebook.name
    target.parent.mkdir(parents=True)
    shutil.copy(notebook, target)
    return single


def run_autograder(folder: Path, notebook: Path, assignment_id: str, timeout: float) -> tuple[float, float]:
    """The Gradescope bundle of the assignment, unpacked as Gradescope does, grading `notebook` once."""
    import zipfile

    bundle = folder / "gradescope.zip"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "autograder",
            "export",
            "gradescope",
            "--assignment",
            assignment_id,
            "--out",
            str(bundle),
            "--force",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    root = folder / "gradescope_root"
    zipfile.ZipFile(bundle).extractall(root / "source")
    for path in (root / "source").rglob("*"):
        if path.name in ("run_autograder", "setup.sh"):
            path.chmod(0o755)
    # setup.sh warms the reference cache when Gradescope builds the image: do the same
    subprocess.run(
        [sys.executable, "-m", "autograder", "cache", "warm", "--course", str(root / "source")],
        cwd=root / "source",
        check=True,
        capture_output=True,
    )
    (root / "submission").mkdir()
    shutil.copy(notebook, root / "submission" / notebook.name)
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable)
    return run_measured(["bash", str(root / "source" / "run_autograder")], root, env)


def own_compute(run_json: Path) -> tuple[float, float]:
    """Seconds the children spent running cells and probes, and the hidden checks comparing, over the batch."""
    import json

    data = json.loads(run_json.read_text())
    own = sum(ex["seconds"] for sub in data["submissions"] for ex in sub["exercises"])
    return own, sum(sub.get("check_seconds", 0.0) for sub in data["submissions"])


def job_counts(cores: int) -> list[int]:
    """1, 2, 4, ... up to the machine's cores (and the core count itself)."""
    counts, n = [], 1
    while n < cores:
        counts.append(n)
        n *= 2
    return sorted(set(counts + [cores]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100, help="submissions in the class")
    parser.add_argument("--assignments", default="02_linear_regression", help="comma-separated assignment ids")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per exercise (nbgrader: per cell)")
    parser.add_argument("--skip-nbgrader", action="store_true", help="only this grader")
    parser.add_argument("--skip-gradescope", action="store_true", help="no run_autograder row")
    parser.add_argument("--mix", default="", help="kind=share,... instead of MIX, e.g. complete=1")
    parser.add_argument(
        "--jobs", default="", help="comma-separated --jobs values (default 1, 2, 4, ... up to the cores)"
    )
    parser.add_argument("--memory-sizes", default="", help="also report peak memory at these sizes, e.g. 1,100,1000")
    args = parser.parse_args()
    ids = args.assignments.split(",")
    mix = {k: float(v) for k, v in (part.split("=") for part in args.mix.split(","))} if args.mix else MIX
    jobs_list = [int(j) for j in args.jobs.split(",")] if args.jobs else job_counts(len(os.sched_getaffinity(0)))
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        folder = Path(tmp)
        made = build_class(folder, args.size, ids, mix)
        print(f"class: {args.size} submissions of {', '.join(ids)}: {made}; exercise timeout {args.timeout:g} s")
        complete = next(p for p in sorted((folder / "submitted").rglob("*.ipynb")))
        nocache = dict(os.environ, AUTOGRADER_NO_CACHE="1")
        one = [sys.executable, "-m", "autograder", "grade", str(complete), "--timeout", str(args.timeout)]
        run_measured(one, ROOT)  # fills the reference cache (as `autograder export` would for Gradescope)
        s, p = run_measured(one, ROOT)
        rows.append(("autograder grade NOTEBOOK (cold process, reference cache on disk)", 1, s, p, CPU_SECONDS[-1]))
        s, p = run_measured(one, ROOT, nocache)
        rows.append(("autograder grade NOTEBOOK (cold process, no reference cache)", 1, s, p, CPU_SECONDS[-1]))
        if not args.skip_gradescope:
            s, p = run_autograder(folder, complete, ids[0], args.timeout)
            rows.append(("Gradescope run_autograder (same notebook)", 1, s, p, CPU_SECONDS[-1]))
        if not args.skip_nbgrader:
            s, p, cpu = nbgrader(folder, ids[:1], args.timeout, one_notebook_class(folder, complete, ids[0]))
            rows.append(("nbgrader autograde (same notebook)", 1, s, p, cpu))
        for jobs in jobs_list:
            s, p = ours(folder, jobs, args.timeout)
            rows.append((f"autograder grade DIR --jobs {jobs}", args.size, s, p, CPU_SECONDS[-1]))
            if jobs == 1:
                own, checks = own_compute(folder / "graded1" / "run.json")
                print(
                    f"--jobs 1: the submissions' own compute (cells + probes in the child) is {own:.1f} s of {s:.1f} s "
                    f"({own / s:.0%}), the hidden checks' comparisons {checks:.1f} s; overhead beyond both "
                    f"{(s - own - checks) / args.size:.3f} s per submission, grader start-up included"
                )
        top = jobs_list[-1]
        s, p = ours(folder, top, args.timeout, dict(os.environ, AUTOGRADER_SANDBOX="off"), tag="-nosandbox")
        rows.append(
            (f"autograder grade DIR --jobs {top} (sandbox off: measurement only)", args.size, s, p, CPU_SECONDS[-1])
        )
        if not args.skip_nbgrader:
            s, p, cpu = nbgrader(folder, ids, args.timeout, folder / "submitted")
            rows.append(("nbgrader autograde", args.size, s, p, cpu))
    for size in [int(x) for x in args.memory_sizes.split(",") if x]:
        with tempfile.TemporaryDirectory(prefix="bench-mem-") as tmp:
            build_class(Path(tmp), size, ids, mix)
            s, p = ours(Path(tmp), 2, args.timeout)
            rows.append((f"autograder grade DIR --jobs 2 (memory at size {size})", size, s, p, CPU_SECONDS[-1]))
    per = {name: seconds / n for name, n, seconds, _, _ in rows}
    baseline = per.get("nbgrader autograde")
    single = per.get("nbgrader autograde (same notebook)")
    print("\n| run | submissions | wall s | s/submission | nbgrader ÷ this | peak MiB | cores busy |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, n, seconds, peak, cpu in rows:
        base = single if n == 1 and "memory" not in name else baseline
        ratio = f"{base / (seconds / n):.1f}×" if base else "-"
        print(f"| {name} | {n} | {seconds:.1f} | {seconds / n:.3f} | {ratio} | {peak:.0f} | {cpu / seconds:.2f} |")
    jobs_rows = {j: per[f"autograder grade DIR --jobs {j}"] for j in jobs_list}
    if 1 in jobs_rows:
        print(
            "\nspeed-up over --jobs 1: "
            + ", ".join(f"--jobs {j}: {jobs_rows[1] / t:.2f}×" for j, t in jobs_rows.items())
        )
    off = per.get(f"autograder grade DIR --jobs {top} (sandbox off: measurement only)")
    if off:
        cost = jobs_rows[top] / off - 1
        print(
            f"sandbox cost at --jobs {top}: {cost:+.1%} time per submission ({jobs_rows[top]:.3f} s vs {off:.3f} s off)"
        )


if __name__ == "__main__":
    main()
