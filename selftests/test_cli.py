"""The sqs-kata command, used as a learner or a teacher would: in a subprocess, on the real kata.

Every command that grades runs pytest underneath (about a second per run), so runs that several
tests read are shared through module-scoped fixtures. The CLI tests pin the backend to moto: which
backend runs is pytest's business (selftests/test_kata_self_check.py); one test checks that the
environment variables still reach it.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from importlib import metadata
from pathlib import Path

import jsonschema
import pytest

from child_processes import processes_mentioning
from sqs_kata import PROJECT_ROOT, manifest, results

EXERCISES = manifest.load()
WRITTEN = [e for e in EXERCISES if (PROJECT_ROOT / e.test_file).is_file()]
UNWRITTEN = [e for e in EXERCISES if e not in WRITTEN]
FIRST = EXERCISES[0]
NOISE = ("Traceback", "_pytest.outcomes", "short test summary", "INTERNALERROR")


def cli_env(state: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQS_KATA_") and k != "SQS_ENDPOINT_URL"}
    # A wide console keeps rich from wrapping titles; moto keeps the runs fast and independent.
    env.update({"SQS_KATA_BACKENDS": "moto", "SQS_KATA_STATE": str(state), "COLUMNS": "200",
                "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def sqs_kata(state: Path, *args: str, cwd: Path = PROJECT_ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sqs_kata.cli", *args], check=False, cwd=cwd, env=cli_env(state, **env),
                          capture_output=True, text=True, encoding="utf-8", timeout=600)


def said(proc: subprocess.CompletedProcess[str]) -> str:
    return proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli")


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "progress.json"


# --- shared runs -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def board_en(workdir: Path) -> subprocess.CompletedProcess[str]:
    return sqs_kata(workdir / "s1.json", "--lang", "en")


@pytest.fixture(scope="module")
def check_en(workdir: Path) -> subprocess.CompletedProcess[str]:
    return sqs_kata(workdir / "s3.json", "check", str(FIRST.number), "--lang", "en")


@pytest.fixture(scope="module")
def stubs_graded(workdir: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = workdir / "stubs"
    proc = sqs_kata(workdir / "s4.json", "grade", "--json", "results.json", "--gradescope", "gradescope.json",
                    "--junit", "junit.xml", "--lang", "en", cwd=_mkdir(out))
    return proc, out


@pytest.fixture(scope="module")
def solutions_graded(workdir: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The reference, graded through the environment alone (target and language)."""
    out = workdir / "solutions"
    proc = sqs_kata(workdir / "s5.json", "grade", "--json", "results.json", "--gradescope", "gradescope.json",
                    cwd=_mkdir(out), SQS_KATA_TARGET="solutions",
                    SQS_KATA_LANG="zh-TW")
    return proc, out


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _row(table: str, exercise: manifest.Exercise) -> str:
    return next((line for line in table.splitlines() if line.startswith(f"│ {exercise.number:02d} │")), "")


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --- help and wiring -------------------------------------------------------------------------------

def test_help_lists_every_command(state):
    proc = sqs_kata(state, "--help")
    assert proc.returncode == 0, said(proc)
    for command in ("check", "next", "hint", "watch", "grade", "verify", "elasticmq"):
        assert re.search(rf"^\s+{command}\s", proc.stdout, re.MULTILINE), f"{command} missing from --help:\n{proc.stdout}"


def test_help_speaks_zh_tw(state):
    proc = sqs_kata(state, "--lang", "zh-TW", "--help")
    assert "評分整個 kata" in proc.stdout and "教師用" in proc.stdout


def test_the_console_script_is_sqs_kata():
    [entry] = [e for e in metadata.entry_points(group="console_scripts") if e.name == "sqs-kata"]
    assert entry.value == "sqs_kata.cli:main"


def test_elasticmq_delegates_to_its_own_command(state):
    proc = sqs_kata(state, "elasticmq", "--help")
    assert proc.returncode == 0, said(proc)
    assert "--fetch-only" in proc.stdout and "--port" in proc.stdout


def test_an_unknown_argument_is_a_usage_error(state):
    proc = sqs_kata(state, "grade", "--bogus")
    assert proc.returncode == 2 and "--bogus" in proc.stderr and "Traceback" not in said(proc)


# --- the board -------------------------------------------------------------------------------------

def test_board_lists_every_exercise_with_its_points_and_tests(board_en):
    assert board_en.returncode == 0, said(board_en)
    for exercise in EXERCISES:
        row = _row(board_en.stdout, exercise)
        assert exercise.title["en"] in row, f"no row for {exercise.slug}:\n{board_en.stdout}"
        assert f" {exercise.points} " in row
        if exercise in UNWRITTEN:
            assert "0/0" in row and "not written yet" in row
        else:
            assert re.search(r" 0/\d+ ", row) and "not yet" in row
    assert f"0/{len(EXERCISES)} exercises done" in board_en.stdout
    assert "░" in board_en.stdout  # the progress bar, readable without colour
    assert f"Next: exercise {FIRST.number:02d}" in board_en.stdout


def test_a_backend_that_does_not_answer_gives_one_message_and_a_hint(state):
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = sqs_kata(state, "--lang", "en", SQS_KATA_BACKENDS=f"http://127.0.0.1:{port}")  # from the environment
    assert proc.returncode not in (0, 1), said(proc)
    assert "The tests could not run" in proc.stderr and f"127.0.0.1:{port}" in proc.stderr
    assert "--sqs-backend moto" in proc.stderr
    assert not any(word in said(proc) for word in NOISE), said(proc)


def test_an_unknown_backend_gives_one_message(state):
    proc = sqs_kata(state, "--lang", "en", "check", "1", "--sqs-backend", "nowhere")
    assert proc.returncode == 4, said(proc)
    assert "Unknown --sqs-backend 'nowhere'" in proc.stderr
    assert not any(word in said(proc) for word in NOISE), said(proc)


# --- check -----------------------------------------------------------------------------------------

def test_check_shows_the_learner_messages_then_a_verdict(check_en):
    assert check_en.returncode == 1, said(check_en)
    out = check_en.stdout
    assert FIRST.title["en"] in out and f"exercises/{FIRST.filename}" in out
    assert "is not implemented yet: open exercises/" in out
    assert not any(word in said(check_en) for word in NOISE), out
    last = out.strip().splitlines()[-1]
    assert re.search(rf"❌ Exercise {FIRST.number:02d}: 0 of \d+ tests pass", out), last
    assert f"sqs-kata hint {FIRST.number}" in out


def test_check_in_zh_tw(state):
    proc = sqs_kata(state, "check", str(FIRST.number), SQS_KATA_LANG="zh-TW")
    assert proc.returncode == 1
    assert "還沒實作" in proc.stdout and f"❌ 練習 {FIRST.number:02d}" in proc.stdout


def test_check_passes_on_the_reference(state):
    proc = sqs_kata(state, "--lang", "en", "check", str(FIRST.number), "--kata-target", "solutions")
    assert proc.returncode == 0, said(proc)
    assert f"✅ Exercise {FIRST.number:02d} passes" in proc.stdout


def test_check_of_an_exercise_that_does_not_exist(state):
    proc = sqs_kata(state, "--lang", "en", "check", "99")
    assert proc.returncode == 2 and "There is no exercise 99" in proc.stderr


# --- next and hint ---------------------------------------------------------------------------------

def test_next_names_the_first_unfinished_exercise_and_its_first_hint(state):
    proc = sqs_kata(state, "--lang", "en", "next")
    assert proc.returncode == 0, said(proc)
    assert f"Next: exercise {FIRST.number:02d}" in proc.stdout
    assert FIRST.hints[0]["en"] in proc.stdout
    assert _json(state)["hints_shown"] == {str(FIRST.number): 1}
    assert f"This counts as hint 1 seen; `sqs-kata hint {FIRST.number}` shows hint 2 next." in proc.stdout
    # The hint after `next` is hint 2, and it says why it is not hint 1.
    after = sqs_kata(state, "--lang", "en", "hint", str(FIRST.number))
    assert f"hint 2/{len(FIRST.hints)}" in after.stdout and FIRST.hints[1]["en"] in after.stdout, said(after)
    assert "You have seen hint 1 of exercise 01 already (`sqs-kata next` shows and counts" in after.stdout


def test_hint_shows_one_more_hint_each_time_and_remembers(state):
    count = len(FIRST.hints)
    for index in range(1, count + 2):
        proc = sqs_kata(state, "--lang", "en", "hint", str(FIRST.number))
        shown = min(index, count)
        assert proc.returncode == 0
        assert f"hint {shown}/{count}" in proc.stdout
        assert FIRST.hints[shown - 1]["en"] in proc.stdout
        assert _json(state)["hints_shown"][str(FIRST.number)] == shown
    assert "That was the last hint" in proc.stdout
    every = sqs_kata(state, "hint", str(FIRST.number), "--all", "--lang", "zh-TW")
    for hint in FIRST.hints:
        assert hint["zh-TW"] in every.stdout


def test_hint_all_before_any_hint(state):
    proc = sqs_kata(state, "--lang", "en", "hint", str(FIRST.number), "--all")
    assert proc.returncode == 0 and "No hint of exercise" in proc.stdout


def test_a_broken_state_file_is_started_again(state):
    state.write_text("{not json", encoding="utf-8")
    proc = sqs_kata(state, "--lang", "en", "hint", str(FIRST.number))
    assert proc.returncode == 0 and f"hint 1/{len(FIRST.hints)}" in proc.stdout


# Every shape of .sqs-kata/progress.json a learner (or a crash mid-write) can leave: each counts as no
# file at all for exercise 1 (a count that is not a whole number >= 0 is dropped).
DAMAGED_PROGRESS = {
    "null": b"null",
    "a list": b"[]",
    "a number": b"7",
    "hints_shown a list": b'{"hints_shown": []}',
    "hints_shown null": b'{"hints_shown": null}',
    "a null count": b'{"hints_shown": {"1": null}}',
    "an infinite count": b'{"hints_shown": {"1": 1e999}}',
    "a negative count": b'{"hints_shown": {"1": -3}}',
    "a fractional count": b'{"hints_shown": {"1": 1.5}}',
    "a text count": b'{"hints_shown": {"1": "2"}}',
    "a boolean count": b'{"hints_shown": {"1": true}}',
    "not UTF-8": b'{"hints_shown": {"1": "\xff\xfe"}}',
    "not JSON": b"{not json",
    "cut off": b'{"hints_shown": {"1": ',
    "nested too deep": b"[" * 100_000 + b"]" * 100_000,
    "empty": b"",
}


@pytest.mark.parametrize("content", DAMAGED_PROGRESS.values(), ids=DAMAGED_PROGRESS.keys())
def test_a_damaged_progress_file_counts_again_and_is_rewritten_clean(state, content):
    assert FIRST.number == 1  # the counts above are exercise 1's
    state.write_bytes(content)
    proc = sqs_kata(state, "--lang", "en", "hint", "1")
    assert proc.returncode == 0, said(proc)
    assert f"hint 1/{len(FIRST.hints)}" in proc.stdout and FIRST.hints[0]["en"] in proc.stdout
    assert not any(word in said(proc) for word in NOISE), said(proc)
    assert _json(state) == {"hints_shown": {"1": 1}}


def test_a_damaged_count_leaves_the_good_ones(state):
    state.write_text('{"hints_shown": {"1": -3, "2": 1, "3": 1e999}, "other": 1}', encoding="utf-8")
    proc = sqs_kata(state, "--lang", "en", "hint", "1")
    assert proc.returncode == 0 and f"hint 1/{len(FIRST.hints)}" in proc.stdout, said(proc)
    assert _json(state) == {"hints_shown": {"1": 1, "2": 1}}


def test_hint_all_with_a_count_past_the_hints_shows_each_once(state):
    state.write_text('{"hints_shown": {"1": 1000}}', encoding="utf-8")
    proc = sqs_kata(state, "--lang", "en", "hint", "1", "--all")
    assert proc.returncode == 0, said(proc)
    assert proc.stdout.count("💡") == len(FIRST.hints) and "Traceback" not in said(proc)


# --- grade -----------------------------------------------------------------------------------------

def test_grade_on_the_stubs_fails_every_test(stubs_graded):
    proc, out = stubs_graded
    assert proc.returncode == 1, said(proc)
    report = _json(out / "results.json")
    jsonschema.validate(report, results.schema("exercism-v3"))
    assert report["version"] == 3 and report["status"] == "fail" and "message" not in report
    assert report["tests"] and not [t for t in report["tests"] if t["status"] == "pass"]
    assert {t["task_id"] for t in report["tests"]} == {e.number for e in WRITTEN}
    assert all("not implemented yet" in t["message"] for t in report["tests"])
    assert "Score: 0.00" in proc.stdout


def test_grade_on_the_stubs_writes_gradescope_and_junit(stubs_graded):
    _, out = stubs_graded
    report = _json(out / "gradescope.json")
    jsonschema.validate(report, results.schema("gradescope"))
    assert report["score"] == 0 and all(t["status"] == "failed" for t in report["tests"])
    assert sum(t["max_score"] for t in report["tests"]) == pytest.approx(sum(e.points for e in WRITTEN))
    assert "<testsuite" in (out / "junit.xml").read_text(encoding="utf-8")


def test_grade_of_the_reference_through_the_environment(solutions_graded):
    proc, out = solutions_graded
    assert proc.returncode == 0, said(proc)
    report = _json(out / "results.json")
    jsonschema.validate(report, results.schema("exercism-v3"))
    assert report["status"] == "pass" and all(t["status"] == "pass" for t in report["tests"])
    assert "總分" in proc.stdout  # SQS_KATA_LANG reached the CLI


def test_grade_of_the_reference_is_full_marks_on_gradescope(solutions_graded):
    _, out = solutions_graded
    report = _json(out / "gradescope.json")
    jsonschema.validate(report, results.schema("gradescope"))
    full = sum(e.points for e in WRITTEN)
    assert report["score"] == pytest.approx(full)
    assert sum(t["max_score"] for t in report["tests"]) == pytest.approx(full)
    assert all(t["score"] == t["max_score"] for t in report["tests"])


# Report paths no report can be written to. None of them may cost a grade: the target below is not a folder,
# so a pytest that ran would say "is not a folder"; the check has to answer first, with exit code 2.
def _unwritable_reports(tmp_path: Path) -> dict[str, tuple[list[str], list[str]]]:
    folder = _mkdir(tmp_path / "reports")
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("", encoding="utf-8")
    cases = {
        "json into a folder": (["--json", str(folder)], [f"--json {folder}: this is a folder", "results.json"]),
        "gradescope into a folder": (["--gradescope", str(folder)], [f"--gradescope {folder}: this is a folder"]),
        "json under a file": (["--json", str(a_file / "r.json")],
                              [f"--json {a_file / 'r.json'}: {a_file} is a file, not a folder."]),
        "junit under a file": (["--junit", str(a_file / "j.xml")], [f"--junit {a_file / 'j.xml'}: {a_file} is a file"]),
        "the same file twice": (["--json", "same.json", "--gradescope", "./same.json"],
                                ["--json and --gradescope name the same file ./same.json",
                                 "Give each report its own file."]),
    }
    if Path("/proc/self").is_dir():  # Linux: a folder nobody can create files in, root included
        cases["json in /proc"] = (["--json", "/proc/x.json"], ["--json /proc/x.json: cannot be written ("])
    return cases


UNWRITABLE = ["json into a folder", "gradescope into a folder", "json under a file", "junit under a file",
              "the same file twice", "json in /proc"]


@pytest.mark.parametrize("case", UNWRITABLE)
def test_a_report_path_that_cannot_be_written_is_refused_before_grading(state, tmp_path, case):
    cases = _unwritable_reports(tmp_path)
    if case not in cases:
        pytest.skip("no /proc here")
    options, words = cases[case]
    proc = sqs_kata(state, "--lang", "en", "grade", *options, "--kata-target", str(tmp_path / "missing"),
                    cwd=tmp_path)
    assert proc.returncode == 2, said(proc)
    assert proc.stdout == "" and len(proc.stderr.strip().splitlines()) == 1, said(proc)
    assert proc.stderr.startswith("sqs-kata grade: error: ")
    for word in words:
        assert word in proc.stderr, proc.stderr
    assert "is not a folder" not in said(proc) and "Traceback" not in said(proc)  # pytest never ran
    assert not (tmp_path / "same.json").exists()


def test_a_refused_report_path_is_said_in_zh_tw(state, tmp_path):
    proc = sqs_kata(state, "--lang", "zh-TW", "grade", "--json", str(tmp_path), "--kata-target", str(tmp_path / "no"))
    assert proc.returncode == 2 and f"--json {tmp_path}：這是一個資料夾" in proc.stderr, said(proc)


def test_grade_that_cannot_run_writes_an_error_report(state, tmp_path):
    proc = sqs_kata(state, "--lang", "en", "grade", "--json", "r.json", "--gradescope", "g.json",
                    "--kata-target", str(tmp_path / "missing"), cwd=tmp_path)
    assert proc.returncode not in (0, 1) and "is not a folder" in proc.stderr
    assert not any(word in said(proc) for word in NOISE), said(proc)
    report = _json(tmp_path / "r.json")
    jsonschema.validate(report, results.schema("exercism-v3"))
    assert report["status"] == "error" and "is not a folder" in report["message"]
    jsonschema.validate(_json(tmp_path / "g.json"), results.schema("gradescope"))


# --- verify ----------------------------------------------------------------------------------------

def test_verify_passes_on_the_kata(state):
    proc = sqs_kata(state, "--lang", "en", "verify")
    assert proc.returncode == 0, said(proc)
    assert "✅ verify passed" in proc.stdout
    for exercise in WRITTEN:
        row = _row(proc.stdout, exercise)
        assert "✅ ok" in row, row


# --- watch -----------------------------------------------------------------------------------------

def test_watch_says_when_all_exercises_pass(state):
    proc = sqs_kata(state, "watch", "--max-runs", "1", "--kata-target", "solutions", SQS_KATA_LANG="zh-TW")
    assert proc.returncode == 0, said(proc)
    assert "🎉 所有練習都通過了" in proc.stdout


def test_watch_reruns_the_saved_exercise_and_stops_cleanly_on_ctrl_c(state, tmp_path):
    target = tmp_path / "mine"
    shutil.copytree(PROJECT_ROOT / "exercises", target)
    process = subprocess.Popen([sys.executable, "-m", "sqs_kata.cli", "--lang", "en", "watch", "--kata-target",
                                str(target)], cwd=PROJECT_ROOT, env=cli_env(state), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()  # type: ignore[union-attr]
    seen: list[str] = []

    def wait_for(text: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                seen.append(lines.get(timeout=0.2))
            except queue.Empty:
                continue
            if text in seen[-1]:
                return
        raise AssertionError(f"no {text!r} within {seconds} s:\n{''.join(seen)}")

    following = next((e for e in WRITTEN if e.number > FIRST.number), None)
    try:
        wait_for(f"Now: exercise {FIRST.number:02d}")
        wait_for("Watching")
        # The run of the exercise worked on is made ready (forked, collected) before its save: it must grade the
        # file as saved after that. A second is time enough for it to wait at its gate.
        time.sleep(1)
        if following is not None:  # a save of another exercise: the run made ready is cancelled, that one runs
            (target / following.filename).write_text((target / following.filename).read_text(encoding="utf-8"))
            wait_for(f"{following.number:02d} · ")
            wait_for("Watching")
        shutil.copy(PROJECT_ROOT / "solutions" / FIRST.filename, target / FIRST.filename)
        wait_for(f"✅ Exercise {FIRST.number:02d} passes")
        wait_for(f"Now: exercise {following.number:02d}" if following else "🎉 all exercises pass")
        wait_for("Watching")
        time.sleep(1)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        wait_for("Stopped watching", seconds=5)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "Traceback" not in "".join(seen)
    assert not processes_mentioning(str(target)), "a run made ready outlived the watcher"



# --- hard exits: learner code that ends the grading process itself (os._exit) ------------------------------

SECOND = WRITTEN[1]  # its file ends the process when imported: the first exercise is graded before that


def _target_ending(folder: Path, *, on_import: bool) -> tuple[Path, str]:
    """A copy of solutions/ whose code calls os._exit: at the top of the second exercise's file (on import),
    or as the first line of the first exercise's greet() (os._exit(0): an exit code that says all is well)."""
    target = folder / "target"
    shutil.copytree(PROJECT_ROOT / "solutions", target)
    if on_import:
        path = target / SECOND.filename
        path.write_text(path.read_text(encoding="utf-8") + "\nimport os\nos._exit(1)\n", encoding="utf-8")
    else:
        path = target / FIRST.filename
        source = path.read_text(encoding="utf-8")
        head = source.index("def greet(")
        body = source.index(":\n", head) + 2
        path.write_text(source[:body] + "    import os\n    os._exit(0)\n" + source[body:], encoding="utf-8")
    return target, str(path)  # the grader shows a file outside the project by its full path


@pytest.fixture(scope="module")
def ends_on_import(workdir: Path) -> tuple[Path, str]:
    return _target_ending(_mkdir(workdir / "ends-on-import"), on_import=True)


@pytest.fixture(scope="module")
def ends_in_a_call(workdir: Path) -> tuple[Path, str]:
    return _target_ending(_mkdir(workdir / "ends-in-a-call"), on_import=False)


@pytest.fixture(scope="module")
def graded_ending_on_import(workdir: Path, ends_on_import) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = _mkdir(workdir / "ended-grade")
    proc = sqs_kata(workdir / "s6.json", "--lang", "en", "grade", "--json", "results.json", "--gradescope",
                    "gradescope.json", "--kata-target", str(ends_on_import[0]), cwd=out)
    return proc, out


def test_a_file_that_ends_the_process_on_import_is_named_by_grade(graded_ending_on_import, ends_on_import):
    proc, _ = graded_ending_on_import
    _, shown = ends_on_import
    assert proc.returncode == 1, said(proc)
    assert (f"💥 {shown} ended the Python process while it was being imported (os._exit?), so grading stopped "
            "there") in proc.stdout, said(proc)
    assert f"Remove the line that ends the process from the top level of {shown}" in proc.stdout
    assert proc.stdout.count("ended the Python process") == 1
    assert not any(word in said(proc) for word in NOISE), said(proc)


def test_the_grade_sheet_shows_the_error_and_grades_the_other_exercises(graded_ending_on_import):
    proc, _ = graded_ending_on_import
    assert re.search(r" (\d+)/\1 ", _row(proc.stdout, FIRST)), _row(proc.stdout, FIRST)  # graded before the end
    assert re.search(r" 0/[1-9]\d* 💥 error: ended the grading", _row(proc.stdout, SECOND)), proc.stdout
    for exercise in WRITTEN[2:]:  # graded by a new process: one exercise that ends the process costs only itself
        assert re.search(r" (\d+)/\1 ", _row(proc.stdout, exercise)), _row(proc.stdout, exercise)
    assert "— did not run" not in proc.stdout and "0/0" not in proc.stdout


def test_the_reports_of_a_run_that_ended_on_import_say_error(graded_ending_on_import, ends_on_import):
    _, out = graded_ending_on_import
    _, shown = ends_on_import
    report = _json(out / "results.json")
    jsonschema.validate(report, results.schema("exercism-v3"))
    assert report["status"] == "error" and report["message"].startswith(f"{shown} ended the Python process")
    second = [t for t in report["tests"] if t["task_id"] == SECOND.number]
    others = [t for t in report["tests"] if t["task_id"] != SECOND.number]
    assert second and all(t["status"] == "error" for t in second)
    assert {t["task_id"] for t in others} == {e.number for e in WRITTEN} - {SECOND.number}
    assert all(t["status"] == "pass" for t in others), [t for t in others if t["status"] != "pass"][:1]
    gradescope = _json(out / "gradescope.json")
    jsonschema.validate(gradescope, results.schema("gradescope"))
    assert gradescope["score"] == pytest.approx(sum(e.points for e in WRITTEN) - SECOND.points)
    assert gradescope["output"].startswith(f"{shown} ended the Python process")
    assert all(t["score"] == 0 and t["status"] == "failed" for t in gradescope["tests"]
               if t["name"].startswith(f"{SECOND.number:02d} "))


def test_the_board_shows_a_file_that_ended_the_process_as_an_error(state, ends_on_import):
    target, shown = ends_on_import
    proc = sqs_kata(state, "--kata-target", str(target), SQS_KATA_LANG="zh-TW")
    assert proc.returncode == 1, said(proc)
    assert "💥 錯誤：結束了評分程序" in _row(proc.stdout, SECOND), proc.stdout
    assert f"{shown} 在被匯入（import）時結束了整個 Python 程序（os._exit？）" in proc.stdout
    assert "0/0" not in proc.stdout and not any(word in said(proc) for word in NOISE), said(proc)


def test_check_names_the_function_that_ended_the_process(state, ends_in_a_call):
    target, shown = ends_in_a_call
    proc = sqs_kata(state, "check", str(FIRST.number), "--kata-target", str(target), SQS_KATA_LANG="zh-TW")
    assert proc.returncode == 1, said(proc)
    assert re.search(rf"💥 {re.escape(shown)} 的 greet\(\) 在測試 test_\w+ 中結束了整個 Python 程序（os._exit？）",
                     proc.stdout), proc.stdout
    assert "請拿掉 greet() 裡的 os._exit()" in proc.stdout
    assert "✅" not in proc.stdout and not any(word in said(proc) for word in NOISE), said(proc)


def test_next_and_watch_say_the_same_one_message(state, ends_in_a_call):
    target, shown = ends_in_a_call
    said_by = {}
    for command in (["next"], ["watch", "--max-runs", "1"]):
        proc = sqs_kata(state, "--lang", "en", *command, "--kata-target", str(target))
        assert proc.returncode == 1, said(proc)
        assert not any(word in said(proc) for word in NOISE), said(proc)
        [line] = [line for line in proc.stdout.splitlines() if line.startswith("💥")]
        said_by[command[0]] = line
    assert said_by["next"] == said_by["watch"]
    assert re.match(rf"💥 greet\(\) in {re.escape(shown)} ended the Python process during test_\w+ \(os._exit\?\), "
                    r"so grading stopped there", said_by["next"]), said_by["next"]
    assert "remove the os._exit() (or whatever ends the process) from greet()" in said_by["next"]


def test_sys_exit_on_import_fails_that_exercise_with_one_message(state, tmp_path):
    target = tmp_path / "target"
    shutil.copytree(PROJECT_ROOT / "solutions", target)
    path = target / SECOND.filename
    path.write_text(path.read_text(encoding="utf-8") + "\nimport sys\nsys.exit(3)\n", encoding="utf-8")
    proc = sqs_kata(state, "--lang", "en", "check", str(SECOND.number), "--kata-target", str(target))
    assert proc.returncode == 1, said(proc)
    assert re.search(rf"{re.escape(str(path))}:\d+ \(in <module>\): sys.exit\(3\) ends the program as soon as the "
                     r"file is imported", proc.stdout), proc.stdout
    assert "SystemExit" not in said(proc) and "ended the Python process" not in proc.stdout
    assert not any(word in said(proc) for word in NOISE), said(proc)


def test_ctrl_c_stops_watch_even_when_started_with_sigint_ignored(state):
    """`sqs-kata watch &` from a script (or a pytest-xdist worker) starts with SIGINT ignored: Ctrl-C must still work."""
    process = subprocess.Popen([sys.executable, "-m", "sqs_kata.cli", "--lang", "en", "watch", "--kata-target",
                                "solutions"], cwd=PROJECT_ROOT, env=cli_env(state), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, encoding="utf-8",
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if "Watching" in line:
                break
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        assert "Stopped watching" in process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
