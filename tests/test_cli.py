"""The command line's conventions: --version, defaults and exit codes in every --help, exit 2 for usage errors,
1 for "done, but something could not be", nothing written that was not asked for, no overwriting without
--force, merge refusing duplicate shards and reporting missing ones, and no traceback for a user's mistake.
"""

from __future__ import annotations

import argparse
import json
import re

import pytest

from autograder.cli import build_parser, main
from autograder.course import KIT_ROOT, find_assignment
from autograder.grading import write_batch
from autograder.results import CheckResult, ExerciseResult, SubmissionResult

CORE = "02_linear_regression"


def subparsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command words, parser) for every command and subcommand."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name), sub
                yield from subparsers(sub, (*path, name))


def result(student: str) -> SubmissionResult:
    assignment = find_assignment(CORE)
    exercises = [
        ExerciseResult(ex.number, ex.title, ex.points, ex.points, [CheckResult("c", True)])
        for ex in assignment.exercises
    ]
    return SubmissionResult(f"submitted/{student}/{CORE}/{CORE}.ipynb", student, CORE, "graded", exercises)


def test_version(capsys):
    """Does --version print the version pyproject.toml gives?"""
    version = re.search(r'^version = "(.+)"$', (KIT_ROOT / "pyproject.toml").read_text(), re.M).group(1)
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0 and capsys.readouterr().out.strip() == f"autograder {version}"


def test_every_help_shows_defaults_and_exit_codes():
    """Does every command's --help list the exit codes and the default of every option that has one?"""
    commands = list(subparsers(build_parser()))
    assert {words[0] for words, _ in commands} >= {"grade", "merge", "gradebook", "export", "validate", "release"}
    for words, parser in commands:
        text = " ".join(parser.format_help().split())
        assert "exit status: 0 " in text and " 2 usage error" in text, words
        for action in parser._actions:
            if action.option_strings and action.default not in (None, False, argparse.SUPPRESS):
                assert f"(default: {action.default})" in text or "default" in (action.help or ""), (words, action.dest)


@pytest.mark.parametrize(
    "argv",
    [
        ["grade", "{tmp}/no-such-folder"],
        ["grade", "{tmp}/empty"],
        ["grade", "{tmp}/class", "--shard", "2of4"],
        ["grade", "{tmp}/class", "--shard", "5/4"],
        ["merge", "{tmp}/no-such-shard"],
        ["gradebook", "record", "{tmp}/empty"],
    ],
)
def test_usage_errors_exit_2_in_one_line(tmp_path, capsys, argv):
    """A misspelled or empty folder, a bad --shard, a missing merge or run folder: exit 2, one line, no traceback,
    and nothing graded or written?"""
    (tmp_path / "empty").mkdir()
    (tmp_path / "class" / "ada").mkdir(parents=True)
    (tmp_path / "class" / "ada" / "nb.ipynb").write_text("{}")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code = main(
        [arg.format(tmp=tmp_path) for arg in argv] + (["--out", str(tmp_path / "out")] if argv[0] == "grade" else [])
    )
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_an_unknown_option_is_a_usage_error():
    """Does an option no command has exit 2 (argparse's usage error)?"""
    with pytest.raises(SystemExit) as exit_info:
        main(["grade", "x.ipynb", "--no-such-option"])
    assert exit_info.value.code == 2


def test_grade_one_notebook_writes_only_what_was_named(tmp_path, monkeypatch, capsys):
    """`grade NB` writes no ./results.json unless --results names one; and a notebook that cannot be graded
    exits 1 (done, but not graded)."""
    notebook = tmp_path / f"{CORE}.ipynb"
    notebook.write_text("not json")
    monkeypatch.chdir(tmp_path)
    assert main(["grade", notebook.name]) == 1
    assert [p.name for p in tmp_path.iterdir()] == [notebook.name]
    assert main(["grade", notebook.name, "--results", "out/r.json"]) == 1
    data = json.loads((tmp_path / "out" / "r.json").read_text())
    assert data["score"] == 0 and data["extra_data"]["status"] == "error"
    assert "wrote out/r.json" in capsys.readouterr().out


@pytest.fixture
def shards(tmp_path):
    """Two shards of one run of three submissions, as `grade DIR --shard i/2` leaves them."""
    first, second = tmp_path / "shard-1", tmp_path / "shard-2"
    write_batch([result("ada"), result("cleo")], first, shard=(1, 2), total=3)
    write_batch([result("ben")], second, shard=(2, 2), total=3)
    return first, second


def test_merge_refuses_a_shard_given_twice(shards, tmp_path, capsys):
    """The same shard twice (duplicate rows otherwise): exit 2 and nothing merged?"""
    first, _ = shards
    assert main(["merge", str(first), str(first), "--out", str(tmp_path / "graded")]) == 2
    assert "given twice" in capsys.readouterr().err and not (tmp_path / "graded").exists()


def test_merge_reports_missing_shards(shards, tmp_path, capsys):
    """One shard of two: merged, but exit 1 with the missing shard and how many submissions are in?"""
    first, second = shards
    assert main(["merge", str(first), "--out", str(tmp_path / "part")]) == 1
    assert "missing shards: 2 (2 of 3 submissions merged)" in capsys.readouterr().out
    assert json.loads((tmp_path / "part" / "run.json").read_text())["missing_shards"] == [2]
    assert main(["merge", str(first), str(second), "--out", str(tmp_path / "all")]) == 0
    run = json.loads((tmp_path / "all" / "run.json").read_text())
    assert [s["student"] for s in run["submissions"]] == ["ada", "ben", "cleo"] and "missing_shards" not in run


def test_export_classroom_never_overwrites_without_force(tmp_path, capsys):
    """Into a folder with the student's README: exit 2 naming it, README unchanged; with --force, replaced."""
    out = tmp_path / "template"
    out.mkdir()
    (out / "README.md").write_text("mine\n")
    assert main(["export", "classroom", "--out", str(out)]) == 2
    assert (out / "README.md").read_text() == "mine\n" and "README.md" in capsys.readouterr().err
    assert not (out / ".github").exists()
    assert main(["export", "classroom", "--out", str(out), "--force"]) == 0
    assert (out / "README.md").read_text() != "mine\n" and (out / ".github" / "workflows" / "classroom.yml").is_file()


def test_the_optimizer_warm_up_is_skipped_only_where_no_graded_assignment_needs_it(tmp_path):
    """Does `grade DIR` skip torch.optim's warm-up for a class of 02 (no optimizer in its cells or checks), and
    keep it for a class that has 01 or 03, a flat folder, or any command it cannot read?"""
    import shutil

    from autograder.__main__ import optimizers_needed

    release = KIT_ROOT / "release" / "02_linear_regression" / "02_linear_regression.ipynb"
    for student in ("ann", "bob"):
        target = tmp_path / "submitted" / student / "02_linear_regression" / release.name
        target.parent.mkdir(parents=True)
        shutil.copy(release, target)
    assert optimizers_needed(["grade", str(tmp_path / "submitted")]) is False
    assert optimizers_needed(["grade", str(target)]) is False
    assert optimizers_needed(["grade", str(KIT_ROOT / "sample_class" / "submitted")]) is True  # 01 and 03 need it
    flat = tmp_path / "flat"
    flat.mkdir()
    shutil.copy(release, flat / "ann.ipynb")
    assert optimizers_needed(["grade", str(flat)]) is True  # the assignment is not named by a folder
    assert optimizers_needed(["grade", "--jobs", "2", str(flat)]) is True
    assert optimizers_needed(["validate"]) is True
