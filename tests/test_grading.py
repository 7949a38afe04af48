"""The hidden grader: isolation, faults, tampering and bad input (issue: the hidden autograder)."""

from __future__ import annotations

import json
import time

import nbformat
import pytest
from conftest import code_cell_index, full, mse_with_body, scores

from autograder.cli import main
from autograder.course import KIT_ROOT
from autograder.grading import clear_cache, grade_directory, grade_submission

RELEASE_DIR = KIT_ROOT / "release"

WRONG_MSE = "return ((preds - targets) ** 2).sum()"


def test_solution_scores_full_marks(make_submission):
    """Does a release notebook filled in with the instructor's solutions score full marks?"""
    result = grade_submission(make_submission())
    assert result.status == "graded"
    assert result.exercises and scores(result) == full(result)


def test_untouched_release_scores_zero(core):
    """Does the untouched release score zero, without a grader error?"""
    result = grade_submission(RELEASE_DIR / core.id / f"{core.id}.ipynb")
    assert result.status == "graded"
    assert result.score == 0 and result.max_score == core.max_score


def test_one_mistake_costs_its_own_points(make_submission, core):
    """Is a wrong mse graded down while every other exercise keeps full marks?"""
    result = grade_submission(make_submission(mse_with_body(core, WRONG_MSE)))
    got, top = scores(result), full(result)
    assert got[2] < top[2]
    assert {n: s for n, s in got.items() if n != 2} == {n: s for n, s in top.items() if n != 2}
    feedback = result.exercises[1].feedback()
    assert "sum instead of mean" in feedback.lower()


def test_wrong_model_does_not_spoil_later_exercises(make_submission, core):
    """When exercise 1's model is wrong, are the later exercises graded with the reference model?"""
    signature = next(line for line in core.exercise(1).solutions[0].source.splitlines() if line.startswith("def "))
    wrong = signature + "\n    def model(inputs):\n        return inputs @ w + b\n    return model\n"
    result = grade_submission(make_submission({"linear_model": wrong}))
    got, top = scores(result), full(result)
    assert got[1] < top[1]
    assert all(got[n] == top[n] for n in got if n != 1)


@pytest.mark.parametrize(
    "body, message",
    [
        ("while True:\n    pass", "timed out after 3 s"),
        ("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass", "timed out after 3 s"),
        ("import os\nos._exit(3)", "exited with code 3"),
        ("import ctypes\nctypes.string_at(0)", "SIGSEGV"),
        ("import sys\nsys.exit(1)", "exit()"),
        ("raise KeyboardInterrupt", "KeyboardInterrupt"),
        ("import torch\nreturn torch.ones(10**11)", "ran out of memory"),
    ],
    ids=["loop", "sigint-ignoring-loop", "os-exit", "segfault", "sys-exit", "keyboard-interrupt", "memory"],
)
def test_fault_costs_only_its_exercise(make_submission, core, body, message):
    """Does a hang, crash or exit in mse give mse zero with a clear message, and grade the rest?"""
    start = time.monotonic()
    result = grade_submission(make_submission(mse_with_body(core, body)), exercise_timeout=3)
    assert time.monotonic() - start < 60
    got, top = scores(result), full(result)
    assert got[2] == 0
    assert message in result.exercises[1].feedback()
    assert all(got[n] == top[n] for n in got if n != 2)


def test_huge_output_is_capped(make_submission, core):
    """Does a student printing 100 MB still get graded, quickly and correctly?"""
    body = "print('x' * 10**8)\nreturn ((preds - targets) ** 2).mean()"
    start = time.monotonic()
    result = grade_submission(make_submission(mse_with_body(core, body)))
    assert time.monotonic() - start < 60
    assert scores(result) == full(result)


def test_top_level_loop_in_cell_costs_only_its_exercise(make_submission, core):
    """Does an infinite loop at the top level of the mse cell (not inside a function) cost mse only?"""
    answers = {"mse": "while True:\n    pass\n"}
    result = grade_submission(make_submission(answers), exercise_timeout=3)
    got, top = scores(result), full(result)
    assert got[2] == 0 and "timed out" in result.exercises[1].feedback()
    assert all(got[n] == top[n] for n in got if n != 2)


def test_submission_timeout_bounds_the_whole_notebook(make_submission, core):
    """Is the time per submission bounded, with later exercises marked as not graded?"""
    answers = {"linear_model": "while True:\n    pass\n"}
    start = time.monotonic()
    result = grade_submission(make_submission(answers), exercise_timeout=30, submission_timeout=3)
    assert time.monotonic() - start < 30
    assert "timed out after 3 s" in result.exercises[0].feedback()
    assert "time limit" in result.exercises[-1].feedback()
    assert result.score == 0


# --- tampering -------------------------------------------------------------------------------


TAMPERS = {
    "allclose-patched": "import torch, numpy\ntorch.allclose = lambda *a, **k: True\ntorch.isclose = lambda a, b, *x, **k: torch.ones_like(a, dtype=torch.bool)\nnumpy.allclose = lambda *a, **k: True\nimport torch.testing\ntorch.testing.assert_close = lambda *a, **k: None",
    "input-transformer": "get_ipython().input_transformers_cleanup.append(lambda lines: [l for l in lines if 'assert' not in l])",
    "checks-redefined": "def test_exercise2():\n    print('Exercise 2: OK')",
    "results-file": "import json\njson.dump({'score': 100, 'tests': []}, open('results.json', 'w'))",
}


@pytest.mark.parametrize("name", sorted(TAMPERS))
def test_tampering_does_not_raise_a_wrong_answer(make_submission, core, name):
    """With a wrong mse, do monkeypatches, transformers, fake checks or a results file in its cell still score 0?"""
    answers = mse_with_body(core, WRONG_MSE)
    answers["mse"] = TAMPERS[name] + "\n\n" + answers["mse"]
    result = grade_submission(make_submission(answers))
    assert result.status == "graded"
    assert scores(result)[2] == 0


def test_tamper_inside_the_answer_function(make_submission, core):
    """Does patching torch.allclose inside mse itself, at call time, still leave a wrong mse at 0?"""
    body = "import torch\ntorch.allclose = lambda *a, **k: True\n" + WRONG_MSE
    result = grade_submission(make_submission(mse_with_body(core, body)))
    assert scores(result)[2] == 0


def test_points_come_from_source_not_the_submission(make_submission, core):
    """Raising points, flipping flags and renaming a grade_id in the submission changes nothing."""

    def edit(nb):
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader")
            if meta and meta.get("grade"):
                meta["points"] = 1000
        meta = nb.cells[code_cell_index(nb, "mse")].metadata["nbgrader"]
        meta["grade_id"], meta["solution"], meta["locked"] = "renamed", False, True

    result = grade_submission(make_submission(edit=edit))
    assert result.max_score == core.max_score
    assert scores(result) == full(result)


@pytest.mark.parametrize("how", ["deleted", "moved", "duplicated", "split"])
def test_restructured_notebook(make_submission, core, how):
    """Are answers found by grade_id or name when cells are deleted, moved, duplicated or split?"""

    def edit(nb):
        i = code_cell_index(nb, "mse")
        cell = nb.cells[i]
        if how == "deleted":
            del nb.cells[i]
        elif how == "moved":
            nb.cells.append(nb.cells.pop(i))
        elif how == "duplicated":
            nb.cells.insert(i, nbformat.from_dict(dict(cell)))
        else:
            nb.cells.insert(i, nbformat.v4.new_code_cell("import torch\n"))

    result = grade_submission(make_submission(edit=edit))
    got, top = scores(result), full(result)
    if how == "deleted":
        assert got[2] == 0 and "No answer found" in result.exercises[1].feedback()
        assert all(got[n] == top[n] for n in got if n != 2)
    else:
        assert got == top


def test_locked_cells_edited_are_ignored(make_submission, core):
    """Does editing a read-only cell (the data) change nothing in the grade?"""

    def edit(nb):
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and meta.get("locked") and not meta.get("grade"):
                cell.source = "raise RuntimeError('edited locked cell')"

    result = grade_submission(make_submission(edit=edit))
    assert scores(result) == full(result)


# --- bad input -------------------------------------------------------------------------------

BAD_INPUTS = {
    "not-json": (b"this is not json", "not valid JSON"),
    "json-not-notebook": (b'{"hello": 1}', "not a Jupyter notebook"),
    "nbformat-3": (json.dumps({"nbformat": 3, "nbformat_minor": 0, "worksheets": []}).encode(), "nbformat 3"),
    "empty": (b"", "empty"),
    "no-assignment": (nbformat.writes(nbformat.v4.new_notebook()).encode(), "not a notebook of this course"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_clear_line(tmp_path, name):
    """Is a broken file reported in one line (status error, score 0), never a traceback?"""
    content, reason = BAD_INPUTS[name]
    path = tmp_path / "submission.ipynb"
    path.write_bytes(content)
    result = grade_submission(path)
    assert result.status == "error" and result.score == 0
    assert reason in result.error and "\n" not in result.error and "Traceback" not in result.error


def test_oversized_notebook_is_rejected(tmp_path):
    """Is a notebook over 50 MB rejected without being parsed?"""
    path = tmp_path / "big.ipynb"
    with path.open("wb") as handle:
        handle.truncate(51 * 2**20)
    result = grade_submission(path)
    assert result.status == "error" and "50 MB" in result.error


def test_notebook_of_another_assignment_is_graded_as_that_assignment(tmp_path, assignments):
    """Is a notebook found to be its own assignment by its metadata, whatever its file name?"""
    other = assignments[0]
    path = tmp_path / "02_linear_regression.ipynb"
    path.write_text(nbformat.writes(nbformat.read(RELEASE_DIR / other.id / f"{other.id}.ipynb", 4)))
    result = grade_submission(path)
    assert result.assignment == other.id


def test_folder_grading_survives_broken_submissions(tmp_path, make_submission, core):
    """In a folder, is every good submission graded and written, with a CSV that tells 'graded 0' from errors?"""
    good = make_submission()
    folder = tmp_path / "submitted"
    for student in ("amy", "bob", "cy"):
        (folder / student / core.id).mkdir(parents=True)
    (folder / "amy" / core.id / good.name).write_bytes(good.read_bytes())
    (folder / "bob" / core.id / good.name).write_bytes(b"{broken")
    (folder / "cy" / core.id / good.name).write_bytes((RELEASE_DIR / core.id / good.name).read_bytes())
    out = tmp_path / "graded"
    results = grade_directory(folder, out, progress=False)
    by_student = {r.student: r for r in results}
    assert by_student["amy"].score == core.max_score
    assert by_student["bob"].status == "error"
    assert by_student["cy"].status == "graded" and by_student["cy"].score == 0
    rows = (out / "grades.csv").read_text().splitlines()
    assert rows[0].startswith("student,assignment,exercise1")
    status = {row.split(",")[0]: row.split(",")[-1] for row in rows[1:]}
    assert status["cy"] == "graded" and status["bob"].startswith("could not be graded")
    for student in ("amy", "bob", "cy"):
        assert (out / student).rglob("results.json") and list((out / student).rglob("feedback.txt"))


def test_same_seed_same_results(make_submission, core):
    """Does the same submission with the same seed give identical results apart from timings?"""
    path = make_submission(mse_with_body(core, WRONG_MSE))
    clear_cache()
    first = grade_submission(path, seed=7).to_gradescope()
    clear_cache()
    second = grade_submission(path, seed=7).to_gradescope()
    for data in (first, second):
        data.pop("execution_time")
    assert first == second and first["extra_data"]["seed"] == 7


def test_cli_writes_gradescope_results(tmp_path, make_submission, core, capsys):
    """Does `autograder grade` print a table, write results.json in Gradescope's schema and exit 0?"""
    results = tmp_path / "results.json"
    code = main(["grade", str(make_submission(mse_with_body(core, WRONG_MSE))), "--results", str(results)])
    assert code == 0
    table = capsys.readouterr().out
    assert "Exercise 2" in table and "failed" in table
    data = json.loads(results.read_text())
    assert data["extra_data"]["max_score"] == core.max_score and data["score"] < core.max_score
    for test in data["tests"]:
        assert set(test) >= {"name", "number", "score", "max_score", "status", "output", "visibility"}
        assert test["visibility"] in {"hidden", "after_due_date", "after_published", "visible"}


def test_cli_fail_under(tmp_path, make_submission, core):
    """Does --fail-under turn a low score into a non-zero exit for pipelines?"""
    path = str(make_submission(mse_with_body(core, WRONG_MSE)))
    results = str(tmp_path / "r.json")
    assert main(["grade", path, "--results", results, "--fail-under", str(core.max_score)]) == 1
    assert main(["grade", path, "--results", results, "--fail-under", "1"]) == 0


def test_feedback_hides_hidden_test_source(make_submission, core):
    """Does feedback never contain hidden test source or tracebacks?"""
    result = grade_submission(make_submission(mse_with_body(core, WRONG_MSE)))
    text = result.feedback()
    assert "def test_" not in text and "Traceback" not in text and "probes(" not in text


def test_pytest_and_direct_calls_agree(make_submission, core):
    """Do the hidden checks give the same outcome under pytest as through the fast direct calls?"""
    path = make_submission(mse_with_body(core, WRONG_MSE))
    direct = grade_submission(path).to_gradescope()
    under_pytest = grade_submission(path, under_pytest=True).to_gradescope()
    for data in (direct, under_pytest):
        data.pop("execution_time")
    assert direct == under_pytest
    assert direct["score"] < core.max_score
