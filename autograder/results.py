"""Result dataclasses and their renderings: Gradescope JSON, CSV rows, feedback text, a table."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class CheckResult:
    """One hidden test: passed or not, and what the student should read."""

    name: str
    passed: bool
    message: str = ""
    weight: float = 1.0


@dataclass
class ExerciseResult:
    """The score of one exercise and the messages of its failed checks."""

    number: int
    title: str
    score: float
    max_score: float
    checks: list[CheckResult] = field(default_factory=list)
    message: str = ""
    seconds: float = 0.0

    @property
    def status(self) -> str:
        return "passed" if self.score >= self.max_score else "failed"

    def feedback(self) -> str:
        if self.message:
            return self.message
        failed = [c.message or f"{c.name} failed" for c in self.checks if not c.passed]
        return "\n".join(dict.fromkeys(failed)) if failed else "All checks passed."  # each message once

    def feedback_markdown(self) -> str:
        """The feedback as Markdown: a list of what failed, student text escaped so it shows as written."""
        if self.message:
            return markdown_text(self.message)
        failed = dict.fromkeys(c.message or f"{c.name} failed" for c in self.checks if not c.passed)
        if not failed:
            return "All checks passed."
        return "\n".join("- " + markdown_text(m).replace("\n", "\n  ") for m in failed)


@dataclass
class SubmissionResult:
    """One graded notebook: 'graded' (whatever the score) or 'error' (could not be graded)."""

    path: str
    student: str
    assignment: str
    status: str
    exercises: list[ExerciseResult] = field(default_factory=list)
    error: str = ""
    seed: int = 0
    execution_time: float = 0.0
    check_seconds: float = 0.0  # of execution_time, spent comparing results in the hidden checks
    sandbox: str = ""  # the protections the children ran under (autograder.sandbox.Plan.describe)

    @property
    def score(self) -> float:
        return round(sum(ex.score for ex in self.exercises), 4)

    @property
    def max_score(self) -> float:
        return sum(ex.max_score for ex in self.exercises)

    def to_gradescope(self) -> dict:
        """results.json as Gradescope's autograder spec defines it; this kit's own fields go in `extra_data`."""
        tests = [
            {
                "name": ex.title,
                "number": str(ex.number),
                "score": ex.score,
                "max_score": ex.max_score,
                "status": ex.status,
                "output": ex.feedback_markdown(),
                "output_format": "md",
                "visibility": "visible",
            }
            for ex in self.exercises
        ]
        if self.status == "error":
            output = f"**Could not be graded:** {markdown_text(self.error)}"
        else:
            output = f"**{markdown_text(self.assignment)}:** {self.score:g}/{self.max_score:g} points"
        return {
            "score": self.score,
            "execution_time": round(self.execution_time, 3),
            "output": output,
            "output_format": "md",
            "visibility": "visible",
            "stdout_visibility": "hidden",
            "tests": tests,
            "extra_data": {
                "assignment": self.assignment,
                "max_score": self.max_score,
                "seed": self.seed,
                "status": self.status,
                "sandbox": self.sandbox,
            },
        }

    def to_dict(self) -> dict:
        return asdict(self) | {"score": self.score, "max_score": self.max_score}

    @classmethod
    def from_dict(cls, data: dict) -> SubmissionResult:
        """The inverse of `to_dict` (score and max_score are recomputed)."""
        exercises = [
            ExerciseResult(**(ex | {"checks": [CheckResult(**c) for c in ex["checks"]]})) for ex in data["exercises"]
        ]
        keys = (
            "path",
            "student",
            "assignment",
            "status",
            "error",
            "seed",
            "execution_time",
            "check_seconds",
            "sandbox",
        )
        fields = {k: data[k] for k in keys if k in data}
        return cls(exercises=exercises, **fields)

    def feedback(self) -> str:
        """Plain-text feedback a student can act on."""
        lines = [f"{self.assignment} — {Path(self.path).name}"]
        if self.status == "error":
            return "\n".join(lines + [f"Could not be graded: {self.error}"])
        lines.append(f"Score: {self.score:g}/{self.max_score:g} (seed {self.seed})\n")
        for ex in self.exercises:
            lines.append(f"{ex.title}: {ex.score:g}/{ex.max_score:g}")
            lines.extend(f"    {line}" for line in ex.feedback().splitlines())
        return "\n".join(lines) + "\n"

    def table(self) -> str:
        """A fixed-width table: exercise, points, status, message."""
        if self.status == "error":
            return f"{self.path}: could not be graded: {self.error}"
        rows = [("exercise", "points", "status", "message")]
        for ex in self.exercises:
            first = ex.feedback().splitlines()[0] if ex.status != "passed" else ""
            rows.append((ex.title, f"{ex.score:g}/{ex.max_score:g}", ex.status, first[:100]))
        rows.append(("total", f"{self.score:g}/{self.max_score:g}", "", ""))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        return "\n".join("  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3] for r in rows).rstrip()


MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]<>#|~])")  # what could start markup, a link or HTML


def markdown_text(text: str) -> str:
    """`text` escaped for Markdown, so that it shows as written (no markup, no HTML, no links)."""
    return "  \n".join(MARKDOWN_SPECIAL.sub(r"\\\1", line) for line in str(text).splitlines())


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")


def write_csv(path: Path, results: list[SubmissionResult]) -> None:
    """A row per student and assignment, a column per exercise, the total and a status."""
    numbers = sorted({ex.number for r in results for ex in r.exercises})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", *[f"exercise{n}" for n in numbers], "total", "max_score", "status"])
        for r in sorted(results, key=lambda r: (r.student, r.assignment, r.path)):
            scores = {ex.number: ex.score for ex in r.exercises}
            status = "graded" if r.status == "graded" else f"could not be graded: {r.error}"
            total = r.score if r.status == "graded" else ""
            writer.writerow(
                [
                    r.student,
                    r.assignment,
                    *[scores.get(n, "") for n in numbers],
                    total,
                    r.max_score if total != "" else "",
                    status,
                ]
            )
