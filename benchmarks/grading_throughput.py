"""Grade a generated class with this grader and with `nbgrader autograde`, side by side.

    .venv/bin/python benchmarks/grading_throughput.py --size 100

The class is built from the release notebooks: complete, partial, wrong (a mutant from the
catalogue), crashing (`os._exit` in one answer) and timing-out (an infinite loop in one answer)
submissions in the proportions of MIX. Every answer cell gets a comment naming its student, so no
two submissions are textually equal and nothing is served from the grader's cache. Prints one table:
submissions, wall time, seconds per submission, ratio to nbgrader, peak memory.
"""

from __future__ import annotations

import argparse
import os
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
    """`size` submission kinds in the proportions of `mix` (largest remainders first)."""
    counts = {k: int(size * share) for k, share in mix.items()}
    for kind in sorted(mix, key=lambda k: size * mix[k] - counts[k], reverse=True)[: size - sum(counts.values())]:
        counts[kind] += 1
    return [kind for kind, n in counts.items() for _ in range(n)]


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


def ours(folder: Path, jobs: int, timeout: float) -> tuple[float, float]:
    cmd = [
        sys.executable,
        "-m",
        "autograder",
        "grade",
        str(folder / "submitted"),
        "--out",
        str(folder / f"graded{jobs}"),
    ]
    return run_measured(cmd + ["--jobs", str(jobs), "--timeout", str(timeout), "--quiet"], ROOT)


def nbgrader(folder: Path, assignment_ids: list[str], timeout: float) -> tuple[float, float]:
    """The real `nbgrader autograde`, one assignment after the other, in an nbgrader course folder."""
    course = folder / "nbgrader_course"
    shutil.copytree(ROOT / "source", course / "source")
    shutil.copytree(folder / "submitted", course / "submitted")
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.root = '.'\n"
        f"c.ExecutePreprocessor.timeout = {int(timeout)}\n"
        "c.OverwriteCells.add_missing_cells = True\n"
    )
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    exe = str(Path(sys.executable).parent / "nbgrader")
    for assignment_id in assignment_ids:
        run_measured([exe, "generate_assignment", assignment_id, "--force"], course, env)
    seconds, peak = 0.0, 0.0
    for assignment_id in assignment_ids:
        # nbgrader exits 1 when any submission failed to autograde (the crashing ones); it graded the rest
        s, p = run_measured([exe, "autograde", assignment_id, "--force"], course, env, check=False)
        seconds, peak = seconds + s, max(peak, p)
    return seconds, peak


def own_compute(run_json: Path) -> tuple[float, float]:
    """Seconds the children spent running cells and probes, and the hidden checks comparing, over the batch."""
    import json

    data = json.loads(run_json.read_text())
    own = sum(ex["seconds"] for sub in data["submissions"] for ex in sub["exercises"])
    return own, sum(sub.get("check_seconds", 0.0) for sub in data["submissions"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100, help="submissions in the class")
    parser.add_argument("--assignments", default="02_linear_regression", help="comma-separated assignment ids")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per exercise (nbgrader: per cell)")
    parser.add_argument("--skip-nbgrader", action="store_true", help="only this grader")
    parser.add_argument("--mix", default="", help="kind=share,... instead of MIX, e.g. complete=1")
    parser.add_argument("--memory-sizes", default="", help="also report peak memory at these sizes, e.g. 1,100,1000")
    args = parser.parse_args()
    ids = args.assignments.split(",")
    mix = {k: float(v) for k, v in (part.split("=") for part in args.mix.split(","))} if args.mix else MIX
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        folder = Path(tmp)
        made = build_class(folder, args.size, ids, mix)
        print(f"class: {args.size} submissions of {', '.join(ids)}: {made}; exercise timeout {args.timeout:g} s")
        single = folder / "submitted" / "s0000" / ids[0] / f"{ids[0]}.ipynb"
        s, p = run_measured(
            [sys.executable, "-m", "autograder", "grade", str(single), "--results", str(folder / "one.json")], ROOT
        )
        rows.append(("autograder grade (one notebook, cold start)", 1, s, p, CPU_SECONDS[-1]))
        for jobs in (1, 2):
            s, p = ours(folder, jobs, args.timeout)
            rows.append((f"autograder grade DIR --jobs {jobs}", args.size, s, p, CPU_SECONDS[-1]))
            if jobs == 1:
                own, checks = own_compute(folder / "graded1" / "run.json")
                print(
                    f"--jobs 1: the submissions' own compute (cells + probes in the child) is {own:.1f} s of {s:.1f} s "
                    f"({own / s:.0%}), the hidden checks' comparisons {checks:.1f} s; overhead beyond both "
                    f"{(s - own - checks) / args.size:.3f} s per submission, grader start-up included"
                )
        if not args.skip_nbgrader:
            cpu_before = len(CPU_SECONDS)
            s, p = nbgrader(folder, ids, args.timeout)
            cpu = sum(CPU_SECONDS[cpu_before + len(ids) :])  # the autograde runs, not generate_assignment
            rows.append(("nbgrader autograde", args.size, s, p, cpu))
    for size in [int(x) for x in args.memory_sizes.split(",") if x]:
        with tempfile.TemporaryDirectory(prefix="bench-mem-") as tmp:
            build_class(Path(tmp), size, ids, mix)
            s, p = ours(Path(tmp), 2, args.timeout)
            rows.append((f"autograder grade DIR --jobs 2 (memory at size {size})", size, s, p, CPU_SECONDS[-1]))
    baseline = next((r[2] / r[1] for r in rows if r[0] == "nbgrader autograde"), None)
    print("\n| run | submissions | wall s | s/submission | nbgrader ÷ this | peak MiB | cores busy |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, n, seconds, peak, cpu in rows:
        ratio = f"{baseline / (seconds / n):.1f}×" if baseline else "-"
        print(f"| {name} | {n} | {seconds:.1f} | {seconds / n:.3f} | {ratio} | {peak:.0f} | {cpu / seconds:.2f} |")


if __name__ == "__main__":
    main()
