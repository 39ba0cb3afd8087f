"""Scoring and the two report formats, on made-up records (no pytest run needed): partial credit,
exercises whose tests are not written yet, and the JSON Schemas in sqs_kata/schemas/."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
from rich.console import Console

from sqs_kata import board, messages, results, runner
from sqs_kata.manifest import Exercise

ONE = Exercise(1, "01_one", 10, {"zh-TW": "一", "en": "One"}, ())
TWO = Exercise(2, "02_two", 6, {"zh-TW": "二", "en": "Two"}, ())
LATER = Exercise(3, "03_later", 4, {"zh-TW": "之後", "en": "Later"}, ())


def record(slug: str, name: str, outcome: str, message: str = "", output: str = "") -> dict:
    return {"nodeid": f"tests/test_{slug}.py::{name}[moto]", "exercise": slug, "outcome": outcome,
            "message": message, "duration": 0.1, "output": output, "test_code": f"def {name}(): ..."}


@pytest.fixture
def kata_root(tmp_path: Path) -> Path:
    """A project where exercises 1 and 2 have tests and exercise 3 does not yet."""
    (tmp_path / "tests").mkdir()
    for exercise in (ONE, TWO):
        (tmp_path / exercise.test_file).write_text("", encoding="utf-8")
    return tmp_path


@pytest.fixture
def graded(kata_root: Path) -> list[results.ExerciseResult]:
    records = [
        record("01_one", "test_a", "passed"),
        record("01_one", "test_b", "passed", output="debug print"),
        record("01_one", "test_c", "passed"),
        record("01_one", "test_d", "failed", "send_text() is not implemented yet"),
        record("02_two", "test_e", "passed"),
        record("02_two", "test_f", "error", "the grader's fixture broke"),
        record("02_two", "test_g", "skipped", "moto: moto 5.2.5 does not implement message move tasks"),
    ]
    return results.summarize(records, (ONE, TWO, LATER), kata_root)


def test_partial_credit_is_points_times_the_share_of_passing_tests(graded):
    one, two, later = graded
    assert (one.passed, one.total, one.score) == (3, 4, pytest.approx(7.5))
    assert (two.passed, two.total, two.score) == (1, 2, pytest.approx(3.0))  # the skipped test does not count
    assert not later.written and (later.passed, later.total, later.score, later.max_score) == (0, 0, 0.0, 0.0)
    assert results.total_score(graded) == (pytest.approx(10.5), 16.0)
    assert one.first_failure["nodeid"].endswith("test_d[moto]")


def test_exercism_v3_ties_every_test_to_its_exercise(graded):
    report = results.exercism_v3(graded)
    jsonschema.validate(report, results.schema("exercism-v3"))
    assert report["version"] == 3 and report["status"] == "fail" and "message" not in report
    assert [t["task_id"] for t in report["tests"]] == [1, 1, 1, 1, 2, 2]
    by_name = {t["name"]: t for t in report["tests"]}
    failed = by_name["01 · test_d[moto]"]
    assert failed["status"] == "fail" and failed["message"] == "send_text() is not implemented yet"
    assert by_name["02 · test_f[moto]"]["status"] == "error"
    assert "message" not in by_name["01 · test_a[moto]"]
    assert by_name["01 · test_b[moto]"]["output"] == "debug print"
    assert by_name["01 · test_a[moto]"]["test_code"] == "def test_a(): ..."


def test_exercism_v3_passes_only_when_every_test_passes(kata_root):
    passing = results.summarize([record("01_one", "test_a", "passed")], (ONE, TWO, LATER), kata_root)
    report = results.exercism_v3(passing)
    jsonschema.validate(report, results.schema("exercism-v3"))
    assert report["status"] == "pass"


def test_exercism_v3_error_carries_the_one_message(graded):
    report = results.exercism_v3(graded, error="No SQS server answers at http://localhost:9324")
    jsonschema.validate(report, results.schema("exercism-v3"))
    assert report["status"] == "error" and report["message"].startswith("No SQS server")


def test_exercism_output_is_cut_to_what_exercism_shows(kata_root):
    long = results.summarize([record("01_one", "test_a", "failed", "x", output="y" * 2000)], (ONE,), kata_root)
    [test] = results.exercism_v3(long)["tests"]
    assert len(test["output"]) == results.EXERCISM_OUTPUT_LIMIT


@pytest.mark.parametrize("broken", [
    {"version": 2, "status": "pass", "tests": []},
    {"version": 3, "status": "error", "tests": []},  # an error needs its message
    {"version": 3, "status": "fail", "message": "only for errors", "tests": [
        {"name": "t", "status": "fail", "message": "m", "task_id": 1}]},
    {"version": 3, "status": "pass", "tests": [{"name": "t", "status": "fail", "message": "m", "task_id": 1}]},
    {"version": 3, "status": "fail", "tests": [{"name": "t", "status": "fail", "task_id": 1}]},  # no message
    {"version": 3, "status": "pass", "tests": [{"name": "t", "status": "pass", "task_id": 0}]},
])
def test_the_exercism_schema_rejects_what_exercism_would(broken):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, results.schema("exercism-v3"))


def test_gradescope_gives_each_test_its_share_of_the_exercise(graded):
    report = results.gradescope(graded)
    jsonschema.validate(report, results.schema("gradescope"))
    assert report["score"] == pytest.approx(10.5)
    one = [t for t in report["tests"] if t["name"].startswith("01 ")]
    assert [t["max_score"] for t in one] == [2.5] * 4
    assert [t["score"] for t in one] == [2.5, 2.5, 2.5, 0.0]
    assert [t["number"] for t in one] == ["1.1", "1.2", "1.3", "1.4"]
    assert one[3]["status"] == "failed" and "not implemented yet" in one[3]["output"]
    assert sum(t["max_score"] for t in report["tests"]) == pytest.approx(16.0)


def test_gradescope_error_scores_zero_with_the_message(graded):
    report = results.gradescope(graded, error="--kata-target 'x' is not a folder")
    jsonschema.validate(report, results.schema("gradescope"))
    assert report["score"] == 0 and "not a folder" in report["output"]


@pytest.mark.parametrize("broken", [
    {"tests": [{"name": "t", "max_score": 1}]},  # no score anywhere
    {"score": 1, "visibility": "everyone"},
    {"score": 1, "tests": [{"score": 1, "status": "ok"}]},
])
def test_the_gradescope_schema_rejects_what_gradescope_would(broken):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, results.schema("gradescope"))


def test_the_schemas_are_valid_json_schemas():
    for name in ("exercism-v3", "gradescope"):
        jsonschema.Draft202012Validator.check_schema(results.schema(name))


@pytest.mark.parametrize("lang, words", [("en", ["not written yet", "0/0", "1/3 exercises done"]),
                                         ("zh-TW", ["尚未撰寫", "0/0", "1/3 個練習完成"])])
def test_the_board_shows_an_unwritten_exercise_as_0_of_0(kata_root, lang, words):
    records = [record("01_one", "test_a", "passed"), record("02_two", "test_e", "failed", "no")]
    graded = results.summarize(records, (ONE, TWO, LATER), kata_root)
    screen = io.StringIO()
    messages.set_language(lang)
    try:
        board.board(Console(file=screen, width=120), graded)
    finally:
        messages.set_language(None)
    for word in words:
        assert word in screen.getvalue()


@pytest.mark.parametrize("lang, headings", [("en", ["Part 1: SQS", "Part 2: the asynchronous-architecture lab"]),
                                            ("zh-TW", ["第一部分", "第二部分：非同步架構實驗"])])
def test_the_board_shows_part_2_as_a_section_of_its_own(kata_root, lang, headings):
    lab = Exercise(16, "16_lab", 10, {"zh-TW": "實驗", "en": "Lab"}, (), part=2)
    graded = results.summarize([record("01_one", "test_a", "passed")], (ONE, TWO, lab), kata_root)
    screen = io.StringIO()
    messages.set_language(lang)
    try:
        board.board(Console(file=screen, width=120), graded)
    finally:
        messages.set_language(None)
    lines = screen.getvalue().splitlines()
    where = [next(i for i, line in enumerate(lines) if heading in line) for heading in headings]
    rows = [next(i for i, line in enumerate(lines) if line.startswith(f"│ {n} ")) for n in ("01", "02", "16")]
    assert where[0] < rows[0] < rows[1] < where[1] < rows[2], screen.getvalue()


def test_a_board_of_one_part_has_no_part_heading(kata_root):
    graded = results.summarize([record("01_one", "test_a", "passed")], (ONE, TWO), kata_root)
    screen = io.StringIO()
    board.board(Console(file=screen, width=120), graded)
    assert "Part 1" not in screen.getvalue() and "第一部分" not in screen.getvalue()


def test_the_recorder_notes_why_pytest_stopped(tmp_path):
    path = tmp_path / "records.json"
    path.write_text(json.dumps([record("01_one", "test_a", "passed")]), encoding="utf-8")
    results.session_file(path).write_text(json.dumps({"exitstatus": 3, "stopped": "No SQS server"}), encoding="utf-8")
    records, stopped = results.read_records(path)
    assert len(records) == 1 and stopped == "No SQS server"
    assert results.read_records(tmp_path / "missing.json") == ([], None)


# --- what the CLI passes to pytest, and what it shows of pytest's output --------------------------------

def test_the_switches_reach_pytest(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SQS_KATA_TARGET", raising=False)
    monkeypatch.delenv("SQS_KATA_WORKERS", raising=False)
    monkeypatch.delenv("SQS_KATA_BACKENDS", raising=False)
    monkeypatch.delenv("SQS_ENDPOINT_URL", raising=False)
    options = runner.RunOptions(backends=["moto", "http://localhost:9324"], target="mine", lang="zh-TW", timeout=2)
    # A server's tests wait on SQS: they share it on several workers (sqs_kata.shared_servers).
    assert options.pytest_args() == ["--sqs-backend=moto", "--sqs-backend=http://localhost:9324",
                                     "-n", str(runner.LIVE_WORKERS),
                                     f"--kata-target={tmp_path / 'mine'}", "--lang=zh-TW", "--timeout=2"]
    assert runner.RunOptions(target="solutions").pytest_args() == ["--kata-target=solutions"]
    monkeypatch.setenv("SQS_KATA_WORKERS", "1")  # one after another
    assert runner.RunOptions(backends=["elasticmq"]).pytest_args() == ["--sqs-backend=elasticmq"]
    monkeypatch.setenv("SQS_KATA_WORKERS", "3")
    assert runner.RunOptions(backends=["moto"]).pytest_args() == ["--sqs-backend=moto", "-n", "3"]
    monkeypatch.delenv("SQS_KATA_WORKERS")
    monkeypatch.setenv("SQS_KATA_TARGET", "theirs")  # relative to where the learner typed the command
    assert runner.RunOptions().pytest_args() == [f"--kata-target={tmp_path / 'theirs'}"]


@pytest.mark.parametrize("chunks, shown", [
    (["FF.", "F   [100%]\n", "=== FAILURES ===\n", "1 failed\n"], "FF.F   [100%]\n=== FAILURES ===\n1 failed\n"),
    (["\n", "no tests", " ran in 0.01s\n"], "\n"),  # the CLI says why instead
    (["..\n", "! _pytest.outcomes.Exit: No SQS server\nanswers !\n", "1 passed\n"], "..\n"),
    (["\x1b[31mF\x1b[0m\n", "\x1b[33mno tests ran\x1b[0m\n"], "\x1b[31mF\x1b[0m\n"),
    (["not a", " test\n"], "not a test\n"),
    (["bringing up nodes...\n", "bringing up nodes...\n\n", "..   [100%]\n"], "..   [100%]\n"),  # xdist's
])
def test_the_output_filter_keeps_the_learner_messages_and_drops_the_banners(chunks, shown):
    output = runner._Filter()
    assert "".join(output.feed(chunk) for chunk in chunks) + output.finish() == shown


def test_a_usage_error_is_read_from_pytest_stderr():
    errors = "ERROR: Unknown --sqs-backend 'x'. Choose one of: moto.\n\n  inifile: pyproject.toml\n"
    assert runner._usage_error(errors) == "Unknown --sqs-backend 'x'. Choose one of: moto."


@pytest.mark.parametrize("lang, words", [("en", ["🎉 all exercises pass", "1 exercise is not written yet"]),
                                         ("zh-TW", ["🎉 所有練習都通過了", "1 個練習的測試尚未撰寫"])])
def test_all_done_is_said_in_both_languages(kata_root, lang, words):
    graded = results.summarize([record("01_one", "test_a", "passed"), record("02_two", "test_e", "passed")],
                               (ONE, TWO, LATER), kata_root)
    screen = io.StringIO()
    messages.set_language(lang)
    try:
        board.all_pass(Console(file=screen, width=120), graded)
    finally:
        messages.set_language(None)
    for word in words:
        assert word in screen.getvalue()


# --- a run that learner code ended outright (os._exit): what the child leaves, what the CLI makes of it --------

def test_the_breadcrumb_says_where_learner_code_runs_and_writes_only_changes(tmp_path, monkeypatch):
    path = tmp_path / "records.json.current"
    crumb = results.Breadcrumb(path)
    writes = []
    real_write = results._write_at_start
    monkeypatch.setattr(results, "_write_at_start", lambda fd, data: writes.append(data) or real_write(fd, data))
    crumb.start_test("tests/test_01_one.py::test_a[moto]")
    before = crumb.enter({"calling": "send_text", "file": "exercises/01_one.py"})
    crumb.enter({"calling": "send_text", "file": "exercises/01_one.py"})  # unchanged: not written again
    assert results._first_json(path.read_bytes()) == {
        "test": "tests/test_01_one.py::test_a[moto]", "calling": "send_text", "file": "exercises/01_one.py"}
    crumb.leave(before)
    assert results._first_json(path.read_bytes()) == {"test": "tests/test_01_one.py::test_a[moto]"}
    assert len(writes) == 3
    crumb.close()
    crumb.start_test("tests/test_01_one.py::test_b[moto]")  # after close: dropped, not an error
    assert len(writes) == 3


def _halted_run(folder: Path, current: bytes, *partial: dict) -> Path:
    path = folder / "records.json"
    results.current_file(path).write_bytes(current)
    lines = [json.dumps(entry).encode() for entry in partial]
    results.partial_file(path).write_bytes(b"\n".join(lines) + b'\n{"record": {"nodeid": "cut of')
    return path


def test_a_run_without_its_end_mark_is_read_back_as_a_halt(tmp_path):
    path = _halted_run(tmp_path, b'{"test": "tests/test_02_two.py::test_e[moto]", "importing": "ex/02_two.py"}   ',
                       {"collected": {"tests/test_01_one.py::test_a[moto]": "01_one",
                                      "tests/test_02_two.py::test_e[moto]": "02_two"}},
                       {"record": record("01_one", "test_a", "passed")})
    halt = results.read_halt(path)
    assert halt is not None and halt.importing == "ex/02_two.py" and halt.test.endswith("test_e[moto]")
    assert [r["nodeid"] for r in halt.records] == ["tests/test_01_one.py::test_a[moto]"]  # the cut-off line is left out
    assert len(halt.collected) == 2
    results.session_file(path).write_text("{}", encoding="utf-8")  # the end mark: a normal run
    assert results.read_halt(path) is None
    assert results.read_halt(tmp_path / "never-started.json") is None


@pytest.mark.parametrize("lang, words", [
    ("en", ["The grading process ended abruptly (exit code -9) during test_e[moto]",
            'pytest "tests/test_02_two.py::test_e[moto]"']),
    ("zh-TW", ["評分程序在測試 test_e[moto] 執行中突然結束（結束碼 -9）"]),
])
def test_an_end_outside_learner_code_still_names_the_test_and_fails_its_exercise(kata_root, tmp_path, lang, words):
    halt = results.Halt([record("01_one", "test_a", "passed")],
                        {"tests/test_01_one.py::test_a[moto]": "01_one", "tests/test_02_two.py::test_e[moto]": "02_two",
                         "tests/test_02_two.py::test_f[moto]": "02_two"}, "tests/test_02_two.py::test_e[moto]")
    messages.set_language(lang)
    try:
        records, ended, problem = runner._after_halt(halt, -9, None, "", "")
    finally:
        messages.set_language(None)
    assert problem is None and ended is not None
    for word in words:
        assert word in ended, ended
    one, two, _ = results.summarize(records, (ONE, TWO, LATER), kata_root)
    assert one.done and two.ended_the_run and (two.passed, two.total) == (0, 2)
    exercism = results.exercism_v3([one, two], ended=ended)
    jsonschema.validate(exercism, results.schema("exercism-v3"))
    assert exercism["status"] == "error" and [t["status"] for t in exercism["tests"]] == ["pass", "error", "error"]
    gradescope = results.gradescope([one, two], ended=ended)
    jsonschema.validate(gradescope, results.schema("gradescope"))
    assert gradescope["score"] == ONE.points and gradescope["output"] == ended


def test_an_end_before_any_test_is_a_problem_of_the_run():
    records, ended, problem = runner._after_halt(results.Halt([], {}, None), 1, None, "", "boom\n")
    assert records == [] and ended is None
    assert problem.startswith("The grading process ended abruptly before any test started (exit code 1)")
    assert problem.endswith("boom")


@pytest.mark.parametrize("lang, words", [("en", ["💥 error: ended the grading", "— did not run"]),
                                         ("zh-TW", ["💥 錯誤：結束了評分程序", "— 沒有執行"])])
def test_the_board_shows_the_exercise_that_ended_the_run_and_those_that_did_not_run(kata_root, lang, words):
    halt = results.Halt([], {"tests/test_01_one.py::test_a[moto]": "01_one", "tests/test_02_two.py::test_e[moto]": "02_two"},
                        "tests/test_01_one.py::test_a[moto]", calling="send_text", file="exercises/01_one.py")
    messages.set_language(lang)
    try:
        records, _, _ = runner._after_halt(halt, 0, None, "", "")
        screen = io.StringIO()
        board.board(Console(file=screen, width=120), results.summarize(records, (ONE, TWO, LATER), kata_root))
    finally:
        messages.set_language(None)
    for word in words:
        assert word in screen.getvalue()
    assert "0/1" in screen.getvalue()


def _record(nodeid: str, exercise: str, outcome: str = "passed", **flags: bool) -> results.Record:
    record = results.Record(nodeid=nodeid, exercise=exercise, outcome=outcome, message="", duration=0.0, output="")
    record.update(flags)  # type: ignore[typeddict-item]
    return record


def test_an_exercise_that_ends_the_process_costs_only_its_own_tests():
    """runner.resumed: the files of the exercises a crash kept from running are graded by new processes, one crash
    after another, never the crashed exercise's own files again, and never the same files twice."""
    first = runner.Run(0, [
        _record("tests/test_01_one.py::test_a", "01_one"),
        _record("tests/test_02_two.py::test_b", "02_two", "error", ended=True),
        _record("tests/test_02_two.py::test_c", "02_two", "error", not_run=True),
        _record("tests/hidden/test_02_two_hidden.py::test_h", "02_two", "error", not_run=True),
        _record("tests/test_03_three.py::test_d", "03_three", "error", not_run=True),
        _record("tests/test_04_four.py::test_e", "04_four", "error", not_run=True),
    ], "", "", ended="02 ended it")
    asked: list[list[str]] = []

    def rerun(files: list[str]) -> runner.Run:
        asked.append(files)
        if "tests/test_03_three.py" in files:  # 03 ends the process too
            return runner.Run(0, [_record("tests/test_03_three.py::test_d", "03_three", "error", ended=True),
                                  _record("tests/test_04_four.py::test_e", "04_four", "error", not_run=True)],
                              "", "", ended="03 ended it")
        return runner.Run(0, [_record("tests/test_04_four.py::test_e", "04_four")], "", "")

    merged = runner.resumed(first, rerun)
    assert asked == [["tests/test_03_three.py", "tests/test_04_four.py"], ["tests/test_04_four.py"]]
    outcomes = {r["nodeid"].split("::")[1]: (r["outcome"], r.get("ended"), r.get("not_run")) for r in merged.records}
    assert outcomes == {"test_a": ("passed", None, None), "test_b": ("error", True, None),
                        "test_c": ("error", None, True), "test_h": ("error", None, True),
                        "test_d": ("error", True, None), "test_e": ("passed", None, None)}
    assert merged.ended == "02 ended it", "the learner reads the first crash's message"


def test_a_rerun_that_ends_the_same_way_is_not_tried_forever():
    stuck = runner.Run(0, [_record("tests/test_01_one.py::test_a", None, "error", ended=True),  # type: ignore[arg-type]
                           _record("tests/test_02_two.py::test_b", "02_two", "error", not_run=True)], "", "", ended="x")
    calls = []
    merged = runner.resumed(stuck, lambda files: calls.append(files) or stuck)
    assert calls == [["tests/test_02_two.py"]] and merged.ended == "x"
