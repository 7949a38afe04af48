"""A cheating student gains nothing and harms nothing (issue: a real sandbox for every child).

Every attack of `autograder.attacks` runs against a copy of the course, graded for real: the score must equal
the score of the same notebook without the attack, nothing outside the child's scratch folder may change, no
process may survive, and nothing the attack wrote may come back. Dangerous attacks (kill -1, filling the disk)
only ever run inside the sandbox.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from autograder import sandbox
from autograder.attacks import ATTACKS, MARKER, attacked_notebook, grader_written

CORE = "02_linear_regression"
SAFE_WITHOUT_SANDBOX = ("read-solutions", "network")  # attacks that may run unconfined on a test machine


def autograder(*args: str, env: dict | None = None, cwd: Path | None = None, timeout: int = 600):
    """Run the `autograder` command in a fresh process."""
    command = [sys.executable, "-m", "autograder", *args]
    merged = {**os.environ, **(env or {})}
    merged.pop("AUTOGRADER_COURSE", None)
    return subprocess.run(command, capture_output=True, text=True, env=merged, cwd=cwd, timeout=timeout)


def test_every_attack_is_contained(course_copy):
    """Does `autograder audit` contain every attack, with every protection in force on this machine?"""
    done = autograder("audit", "--course", str(course_copy), "--assignment", CORE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"attacks contained: {len(ATTACKS)}/{len(ATTACKS)}" in done.stdout
    protections = next(line for line in done.stdout.splitlines() if line.startswith("sandbox:"))
    for phrase in ("Landlock", "network namespace", "seccomp", "PID namespace", "tmpfs", "uid"):
        assert phrase in protections, protections
    assert "MISSING" not in protections


def test_audit_reports_breaches_without_the_sandbox(course_copy):
    """With the sandbox off (for measurement only), does the audit see the attacks succeed? (It can fail.)"""
    env = {sandbox.SANDBOX_ENV: "off"}
    done = autograder("audit", "--course", str(course_copy), "--assignment", CORE, *SAFE_WITHOUT_SANDBOX, env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("BREACHED   read-solutions") and "scores" in line for line in lines), done.stdout
    assert any(line.startswith("BREACHED   network") and "received" in line for line in lines), done.stdout
    assert "sandbox: OFF" in done.stdout


def test_missing_protections_are_named_and_the_breach_shows(course_copy):
    """Without a network namespace and seccomp, is that said in the output, and does the UDP leak show?"""
    env = {sandbox.SKIP_ENV: "netns,seccomp"}
    done = autograder("audit", "--course", str(course_copy), "--assignment", CORE, "network", env=env)
    assert "MISSING: " in done.stdout and "network: no network namespace" in done.stdout
    assert "BREACHED   network" in done.stdout  # Landlock stops TCP, not UDP: said, not hidden
    assert done.returncode == 1


def test_results_carry_the_protections(course_copy, tmp_path):
    """Does every results.json say which protections the children ran under?"""
    release = course_copy / "release" / CORE / f"{CORE}.ipynb"
    done = autograder("grade", str(release), "--results", str(tmp_path / "r.json"), cwd=course_copy)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "r.json").read_text()
    assert "Landlock ABI" in text and "sandbox:" in done.stdout


def batch_with_attacker(course_copy: Path, tmp_path: Path, attack_names: list[str], students: int = 3) -> Path:
    """A class folder: `students` complete submissions and one submission per attack."""
    import nbformat

    from autograder.course import find_assignment
    from autograder.samples import solved_notebook, write_notebook

    assignment = find_assignment(CORE, course_copy / "source")
    folder = tmp_path / "submitted"
    for i in range(students):
        write_notebook(
            solved_notebook(assignment, release_dir=course_copy / "release"), folder / f"s{i}" / CORE / f"{CORE}.ipynb"
        )
    attacks = {a.name: a for a in ATTACKS}
    for name in attack_names:
        target = folder / f"z-{name}" / CORE / f"{CORE}.ipynb"
        target.parent.mkdir(parents=True)
        nb = attacked_notebook(assignment, attacks[name].code)
        nbformat.write(nb, target)
    return folder


def grades(out: Path) -> dict[str, str]:
    rows = (out / "grades.csv").read_text().splitlines()
    header = rows[0].split(",")
    return {row.split(",")[0]: row.split(",")[header.index("total")] for row in rows[1:]}


def test_attackers_in_a_batch_change_nobody_elses_grade(course_copy, tmp_path):
    """Graded side by side with processes that kill, fork and fill the disk, do honest students keep full marks?"""
    folder = batch_with_attacker(course_copy, tmp_path, ["kill-siblings", "fork-bomb", "fill-disk", "daemon"])
    out = tmp_path / "graded"
    done = autograder("grade", str(folder), "--out", str(out), "--jobs", "2", "--timeout", "20", cwd=course_copy)
    assert done.returncode == 0, done.stdout + done.stderr
    totals = grades(out)
    assert [totals[f"s{i}"] for i in range(3)] == ["11.0"] * 3
    assert all(totals[f"z-{name}"] == "0.0" for name in ("kill-siblings", "fork-bomb", "fill-disk", "daemon"))


def test_batch_survives_a_killed_fork_server(course_copy, tmp_path):
    """When the fork server dies in the middle of a class, is every submission still graded?"""
    folder = batch_with_attacker(course_copy, tmp_path, [], students=10)
    out = tmp_path / "graded"
    command = [sys.executable, "-m", "autograder", "grade", str(folder), "--out", str(out), "--jobs", "1"]
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_COURSE"}
    proc = subprocess.Popen(command, cwd=course_copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    killed = False
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline and not killed:
        time.sleep(0.02)  # a child lives for tens of milliseconds
        for pid in children_of(proc.pid):
            try:
                server = b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:  # ended meanwhile
                continue
            if server and children_of(pid):
                os.kill(pid, signal.SIGKILL)  # grading has started: children are forked from it
                killed = True
    stdout, stderr = proc.communicate(timeout=300)
    assert killed, "the test never saw a fork server to kill"
    assert proc.returncode == 0, stdout.decode() + stderr.decode()
    assert list(grades(out).values()) == ["11.0"] * 10


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                pass
    return found


def test_a_failed_reference_run_is_retried(monkeypatch, core):
    """If the instructor's reference child dies once, is it run again instead of failing the class?"""
    from autograder import grading

    real = grading.run_job
    failures = []

    def flaky(job, timeout, plan):
        if not any(by_student for _, _, by_student in job.cells) and not failures:
            failures.append(job.exercise)
            return grading.Outcome(None, "the process crashed: killed by SIGKILL", 0.1)
        return real(job, timeout, plan)

    grading.clear_cache()
    monkeypatch.setattr(grading, "run_job", flaky)
    run = grading.reference_run(core, core.exercise(2), seed=0)
    assert failures == [2] and run.error is None and run.probes


def test_no_secret_reaches_the_child_environment(core):
    """Are the grader's environment variables (database URLs, passwords, paths) gone in the child?"""
    from autograder.grading import run_exercise

    os.environ["AUTOGRADER_TEST_SECRET"] = "hunter2"
    try:
        code = (
            "import os\nassert 'AUTOGRADER_TEST_SECRET' not in os.environ and 'AUTOGRADER_COURSE' not in os.environ\n"
        )
        stub = core.exercise(1).solutions[0].source
        run, _, _ = run_exercise(core, core.exercise(1), [code + stub], seed=0, timeout=30)
    finally:
        del os.environ["AUTOGRADER_TEST_SECRET"]
    assert run.error is None, run.error


def test_marker_never_reaches_the_feedback(course_copy, tmp_path):
    """Does text a student's code writes (messages, output, names) stay out of every file the grader writes?"""
    folder = batch_with_attacker(course_copy, tmp_path, ["smuggle-text", "read-checks", "read-memory"], students=0)
    out = tmp_path / "graded"
    done = autograder("grade", str(folder), "--out", str(out), "--junit", str(tmp_path / "j.xml"), cwd=course_copy)
    assert done.returncode == 0, done.stderr
    written = [p for p in [*out.rglob("*"), tmp_path / "j.xml"] if p.is_file()]
    assert written and not any(MARKER in grader_written(p) for p in written)
    assert MARKER not in done.stdout + done.stderr
    feedback = json.loads((out / "z-smuggle-text" / CORE / "results.json").read_text())
    assert "a class defined in your code" in json.dumps(feedback)
