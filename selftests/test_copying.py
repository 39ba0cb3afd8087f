"""A learner file that uses the reference solution is graded, and flagged for the teacher (sqs_kata.copying).

One learner folder serves every route: a copy of solutions/ in a temporary folder where some exercises
load the reference instead of holding the code, each by a different route, and the others are honest
copies that merely *mention* solutions/ in a comment and a string (they must not be flagged). One
`sqs-kata grade` of that folder (on moto, in file order) writes both reports; each route is a case below.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest

from sqs_kata import PROJECT_ROOT, copying, manifest, messages, results

sys.path.insert(0, str(Path(__file__).parent))
from test_cli import NOISE, _json, said, sqs_kata  # noqa: E402 -- the CLI helpers, shared

EXERCISES = manifest.load()
REFERENCE = PROJECT_ROOT / "solutions"

# Every route replaces a learner file by code that takes the reference's functions. `{ref}` is the
# reference file's absolute path, `{rel}` its path relative to the project (pytest runs there), `{name}`
# its module name, `{slug}` the exercise's slug. Each keeps the reference's names in the learner's module.
TAKE_ALL = 'globals().update({{k: v for k, v in vars(_ref).items() if not k.startswith("__")}})\n'
# Routes that are not one template: the file is written by call_time_file(), or is a symbolic link.
AT_CALL_TIME, SYMLINK = "<functions that import the reference when called>", "<a symlink to the reference>"
ROUTES: dict[str, str] = {
    "import_module": 'import importlib\n_ref = importlib.import_module("solutions.{slug}")\n' + TAKE_ALL,
    "spec_from_file_location": textwrap.dedent('''\
        import importlib.util
        _spec = importlib.util.spec_from_file_location("mine", {ref!r})
        _ref = importlib.util.module_from_spec(_spec)
        _spec.loader.exec_module(_ref)
        ''') + TAKE_ALL,
    "runpy.run_path": 'import runpy\nglobals().update({{k: v for k, v in runpy.run_path({rel!r}).items() '
                      'if not k.startswith("__")}})\n',
    "exec(open().read())": 'exec(open({rel!r}, encoding="utf-8").read())\n',
    "sys.path.insert": textwrap.dedent('''\
        import importlib, sys
        sys.path.insert(0, {folder!r})
        _ref = importlib.import_module({slug!r})
        ''') + TAKE_ALL,
    "copied through open()": textwrap.dedent('''\
        import importlib.util, pathlib, tempfile
        _copy = pathlib.Path(tempfile.mkdtemp()) / "mine.py"
        with open({ref!r}, encoding="utf-8") as _source:
            _copy.write_text(_source.read(), encoding="utf-8")
        _spec = importlib.util.spec_from_file_location("mine", _copy)
        _ref = importlib.util.module_from_spec(_spec)
        _spec.loader.exec_module(_ref)
        ''') + TAKE_ALL,
    # Read by another program: no file is opened in the grading process itself.
    "subprocess (cat)": 'import subprocess\n'
                        'exec(subprocess.run(["cat", {rel!r}], capture_output=True, text=True, check=True).stdout)\n',
    # Not at import: every function loads the reference when it is called (the learner's calls are watched).
    "import at call time": AT_CALL_TIME,
    # The learner's file is a symbolic link to the reference file.
    "symlink": SYMLINK,
    # A module another exercise's file already imported: it comes from sys.modules, without opening a file.
    "already imported by another exercise": 'import importlib\n'
                                            'importlib.import_module("solutions.{first}")\n',
}
FIRST = EXERCISES[0]
ROUTED = dict(zip(ROUTES, EXERCISES, strict=False))  # route -> the exercise whose file takes it
HONEST = EXERCISES[len(ROUTES):]
assert HONEST, "the kata needs more exercises than routes, to keep honest files in the same run"


def call_time_file(exercise: manifest.Exercise) -> str:
    """Every public function of the reference, each loading the reference module when it is called."""
    source = (REFERENCE / exercise.filename).read_text(encoding="utf-8")
    names = [line[4:].split("(")[0] for line in source.splitlines() if line.startswith("def ")]
    lines = ["import importlib\n"]
    for name in names:
        lines.append(f"def {name}(*args, **kwargs):\n"
                     f"    return getattr(importlib.import_module('solutions.{exercise.slug}'), {name!r})"
                     "(*args, **kwargs)\n")
    # Constants the tests may read from the module (MAX_MESSAGE_BYTES, ...), taken as text, not by loading.
    constants = [line for line in source.splitlines() if line[:1].isupper() and " = " in line]
    return "\n".join(lines + constants) + "\n"


def honest_file(exercise: manifest.Exercise) -> str:
    """The reference's code as the learner's own, which says 'solutions' where nothing is loaded."""
    source = (REFERENCE / exercise.filename).read_text(encoding="utf-8")
    return (f"# I compared my answer with solutions/{exercise.filename} after it passed.\n" + source
            + f'\nSEEN = "solutions/{exercise.filename}"  # import solutions.{exercise.slug}\n')


def copying_target(folder: Path) -> Path:
    target = folder / "copying"
    target.mkdir()
    for exercise in HONEST:
        (target / exercise.filename).write_text(honest_file(exercise), encoding="utf-8")
    for route, exercise in ROUTED.items():
        path = target / exercise.filename
        if ROUTES[route] == SYMLINK:
            path.symlink_to(REFERENCE / exercise.filename)
            continue
        if ROUTES[route] == AT_CALL_TIME:
            path.write_text(call_time_file(exercise), encoding="utf-8")
            continue
        text = ROUTES[route].format(ref=str(REFERENCE / exercise.filename), rel=f"solutions/{exercise.filename}",
                                    slug=exercise.slug, folder=str(REFERENCE), first=FIRST.slug)
        # The exercise's own functions stay the reference's (copied as text): only the route is under test.
        if route == "already imported by another exercise":
            text = honest_file(exercise).replace("# I compared", "# I did not compare") + text
        path.write_text(text, encoding="utf-8")
    return target


def expected_file(route: str, exercise: manifest.Exercise) -> str:
    first = FIRST if route == "already imported by another exercise" else exercise
    return f"solutions/{first.filename}"


def note(exercise: manifest.Exercise, reference_file: str) -> str:
    return (f"⚠ Exercise {exercise.number:02d} imports the reference solution ({reference_file}): "
            "it is graded, but your teacher will see it.")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("copying")
    target = copying_target(folder)
    out = folder / "out"
    out.mkdir()
    proc = sqs_kata(folder / "state.json", "--lang", "en", "grade", "--kata-target", str(target),
                    "--json", "results.json", "--gradescope", "gradescope.json", cwd=out)
    assert proc.returncode in (0, 1), said(proc)
    return proc, _json(out / "results.json"), _json(out / "gradescope.json"), target


@pytest.mark.parametrize("route", ROUTES)
def test_a_learner_file_that_uses_the_reference_is_flagged(graded, route):
    proc, exercism, gradescope, _ = graded
    exercise = ROUTED[route]
    line = note(exercise, expected_file(route, exercise))
    assert line in proc.stdout, said(proc)
    task = [t for t in exercism["tests"] if t["task_id"] == exercise.number]
    assert task and all(t["output"].startswith(line) for t in task), task
    assert all(t["message"].startswith(line) for t in task if t["status"] != "pass")
    tests = [t for t in gradescope["tests"] if t["number"].startswith(f"{exercise.number}.")]
    assert tests and all(t["output"].startswith(line) for t in tests)
    # extra_data carries other figures too (the request meter's): the copy flag is one key among them
    assert all(t["extra_data"]["copied_reference"] == expected_file(route, exercise) for t in tests)
    assert line in gradescope["output"]
    assert gradescope["extra_data"]["copied_reference"][f"{exercise.number:02d}"] == expected_file(route, exercise)


def test_a_flagged_exercise_keeps_its_points(graded):
    proc, _, gradescope, _ = graded
    exercise = ROUTED["import_module"]  # the reference's own code: every test passes
    tests = [t for t in gradescope["tests"] if t["number"].startswith(f"{exercise.number}.")]
    assert tests and all(t["score"] == t["max_score"] > 0 for t in tests)
    row = next(r for r in proc.stdout.splitlines() if r.startswith(f"│ {exercise.number:02d} │"))
    assert f"{exercise.points:.2f}/{exercise.points} ⚠" in row, row


@pytest.mark.parametrize("exercise", HONEST, ids=lambda e: e.slug)
def test_a_file_that_only_mentions_solutions_is_not_flagged(graded, exercise):
    proc, exercism, gradescope, target = graded
    assert "solutions/" in (target / exercise.filename).read_text(encoding="utf-8")
    assert f"Exercise {exercise.number:02d} imports" not in proc.stdout
    task = [t for t in exercism["tests"] if t["task_id"] == exercise.number]
    assert task and all(t["status"] == "pass" and "reference" not in (t.get("output") or "") for t in task), task
    tests = [t for t in gradescope["tests"] if t["number"].startswith(f"{exercise.number}.")]
    assert tests and all("copied_reference" not in t.get("extra_data", {}) and "reference" not in t["output"]
                         for t in tests)
    assert f"{exercise.number:02d}" not in gradescope["extra_data"]["copied_reference"]


def test_the_reports_stay_valid_and_nothing_reaches_the_learner_as_a_traceback(graded):
    proc, exercism, gradescope, _ = graded
    jsonschema.validate(exercism, results.schema("exercism-v3"))
    jsonschema.validate(gradescope, results.schema("gradescope"))
    assert all(len(t.get("output") or "") <= results.EXERCISM_OUTPUT_LIMIT for t in exercism["tests"])
    assert not any(word in said(proc) for word in NOISE), said(proc)


def test_check_says_it_after_the_verdict(tmp_path, graded):
    *_, target = graded
    exercise = ROUTED["exec(open().read())"]
    proc = sqs_kata(tmp_path / "state.json", "--lang", "en", "check", str(exercise.number),
                    "--kata-target", str(target))
    assert proc.returncode == 0, said(proc)
    verdict = proc.stdout.index(f"Exercise {exercise.number:02d} passes")
    assert proc.stdout.index(note(exercise, f"solutions/{exercise.filename}")) > verdict


def test_plain_pytest_names_the_exercise_at_the_end(tmp_path, graded):
    """Without the CLI (no --kata-json), pytest's own summary carries the line."""
    *_, target = graded
    exercise = ROUTED["runpy.run_path"]
    proc = _pytest(f"--kata-target={target}", "--lang=zh-TW", exercise.test_file)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    messages.set_language("zh-TW")
    try:
        line = messages.copied_reference(exercise.number, f"solutions/{exercise.filename}")
    finally:
        messages.set_language(None)
    assert line == (f"⚠ 練習 {exercise.number:02d} 引用了參考解答（solutions/{exercise.filename}）："
                    "照常評分，但老師會看到這件事。")
    assert line in proc.stdout, proc.stdout


def test_grading_the_reference_itself_is_never_flagged(tmp_path):
    """Every test of solutions/ opens a file under solutions/: the hook must not be armed for it."""
    report = tmp_path / "records.json"
    proc = _pytest("--kata-target=solutions", f"--kata-json={report}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    records = json.loads(report.read_text(encoding="utf-8"))
    assert records and not [r for r in records if "copied_reference" in r]


def _pytest(*args: str):
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith("SQS_KATA_")}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "--sqs-backend=moto", *args],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, encoding="utf-8", env=env, timeout=600)


# --- the watch itself, in this process (no pytest run): what counts as touching the reference ---------------

@pytest.fixture
def watched(tmp_path):
    """A reference folder with one module, watched for a learner file in another folder."""
    reference = tmp_path / "solutions"
    reference.mkdir()
    (reference / "ref_mod_for_copying.py").write_text("ANSWER = 42\n", encoding="utf-8")
    learner_folder = tmp_path / "mine"
    learner_folder.mkdir()
    copying.arm(reference=reference, target=learner_folder)
    sys.path.insert(0, str(reference))
    try:
        yield reference, learner_folder
    finally:
        sys.path.remove(str(reference))
        sys.modules.pop("ref_mod_for_copying", None)
        copying.disarm()
        copying.found.clear()


def test_a_module_cached_by_one_learner_file_is_seen_again_from_the_next(watched):
    import importlib

    reference, folder = watched
    for name in ("a.py", "b.py"):
        with copying.running(folder / name):
            assert importlib.import_module("ref_mod_for_copying").ANSWER == 42
    assert copying.found == {folder / "a.py": "solutions/ref_mod_for_copying.py",
                             folder / "b.py": "solutions/ref_mod_for_copying.py"}


def test_compiling_or_running_code_named_after_the_reference_is_seen(watched):
    reference, folder = watched
    named = str(reference / "ref_mod_for_copying.py")
    with copying.running(folder / "compiles.py"):
        code = compile("ANSWER = 42", named, "exec")
    runs = compile("ANSWER = 42", named, "exec")  # the grader compiles, the learner's code runs it
    with copying.running(folder / "runs.py"):
        exec(runs, {})
    assert copying.found == {folder / "compiles.py": "solutions/ref_mod_for_copying.py",
                             folder / "runs.py": "solutions/ref_mod_for_copying.py"}
    assert code.co_filename == named


def test_outside_learner_code_nothing_is_noted(watched):
    reference, _ = watched
    (reference / "ref_mod_for_copying.py").read_text(encoding="utf-8")  # the grader's own reads
    assert copying.found == {}


def test_a_target_inside_the_reference_disarms_the_watch(tmp_path):
    reference = tmp_path / "solutions"
    reference.mkdir()
    (reference / "x.py").write_text("", encoding="utf-8")
    copying.arm(reference=reference, target=reference)
    try:
        with copying.running(reference / "x.py"):
            (reference / "x.py").read_text(encoding="utf-8")
        assert copying.found == {}
    finally:
        copying.disarm()


# --- the records, scored and reported (made-up records, no pytest run) -------------------------------------

ONE = manifest.Exercise(1, "01_one", 10, {"zh-TW": "一", "en": "One"}, ())
TWO = manifest.Exercise(2, "02_two", 6, {"zh-TW": "二", "en": "Two"}, ())


def record(slug: str, name: str, outcome: str, message: str = "", output: str = "", copied: str | None = None) -> dict:
    made = {"nodeid": f"tests/test_{slug}.py::{name}[moto]", "exercise": slug, "outcome": outcome,
            "message": message, "duration": 0.1, "output": output}
    if copied:
        made["copied_reference"] = copied
    return made


@pytest.fixture
def copied_one(tmp_path):
    """Exercise 1 loaded solutions/01_one.py in its second test only; exercise 2 is honest."""
    (tmp_path / "tests").mkdir()
    for exercise in (ONE, TWO):
        (tmp_path / exercise.test_file).write_text("", encoding="utf-8")
    messages.set_language("en")
    try:
        yield results.summarize([
            record("01_one", "test_a", "passed", output="x" * 600),
            record("01_one", "test_b", "passed", copied="solutions/01_one.py"),
            record("01_one", "test_c", "failed", "send_text() returned None"),
            record("02_two", "test_d", "passed"),
        ], (ONE, TWO), tmp_path)
    finally:
        messages.set_language(None)


def test_the_whole_exercise_is_marked_and_keeps_its_points(copied_one):
    one, two = copied_one
    assert one.copied_reference == "solutions/01_one.py" and two.copied_reference is None
    assert one.score == pytest.approx(10 * 2 / 3) and two.score == 6


def test_exercism_puts_the_note_first_in_the_output_and_the_failure_message(copied_one):
    report = results.exercism_v3(copied_one)
    jsonschema.validate(report, results.schema("exercism-v3"))
    line = note(ONE, "solutions/01_one.py")
    a, b, c, d = report["tests"]
    assert [t["output"].split("\n")[0] for t in (a, b, c)] == [line] * 3
    assert len(a["output"]) == results.EXERCISM_OUTPUT_LIMIT  # the learner's long print is what gets cut
    assert c["message"] == f"{line}\nsend_text() returned None"
    assert "message" not in a and "output" not in d


def test_gradescope_shows_the_note_on_top_and_on_each_test(copied_one):
    report = results.gradescope(copied_one)
    jsonschema.validate(report, results.schema("gradescope"))
    line = note(ONE, "solutions/01_one.py")
    assert report["output"] == line and report["extra_data"] == {"copied_reference": {"01": "solutions/01_one.py"}}
    assert report["score"] == pytest.approx(10 * 2 / 3 + 6, abs=1e-3)  # the points are kept
    one = report["tests"][:3]
    assert all(t["output"].startswith(line) and t["extra_data"] == {"copied_reference": "solutions/01_one.py"}
               for t in one)
    assert report["tests"][3]["output"] == "" and "extra_data" not in report["tests"][3]


def test_an_honest_run_adds_nothing_to_the_reports(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / ONE.test_file).write_text("", encoding="utf-8")
    honest = results.summarize([record("01_one", "test_a", "passed")], (ONE,), tmp_path)
    assert set(results.gradescope(honest)) == {"score", "visibility", "tests"}
    assert "output" not in results.exercism_v3(honest)["tests"][0]


@pytest.mark.parametrize("lang, words", [
    ("en", ["✗ not yet ⚠ uses the reference",
            "⚠ Exercise 01 imports the reference solution (solutions/01_one.py): it is graded, but your teacher "
            "will see it."]),
    ("zh-TW", ["✗ 還沒完成 ⚠ 引用參考解答", "⚠ 練習 01 引用了參考解答（solutions/01_one.py）：照常評分，但老師會看到這件事。"]),
])
def test_the_board_the_verdict_and_the_grade_sheet_say_it(copied_one, lang, words):
    import io

    from rich.console import Console

    from sqs_kata import board

    messages.set_language(lang)
    try:
        for draw in (board.board, board.grade_sheet, lambda console, graded: board.verdict(console, graded[0])):
            screen = io.StringIO()
            draw(Console(file=screen, width=200), copied_one)
            assert words[1] in screen.getvalue(), screen.getvalue()
        screen = io.StringIO()
        board.board(Console(file=screen, width=200), copied_one)
        assert words[0] in screen.getvalue()
        assert screen.getvalue().count("⚠") == 2  # exercise 2 is not marked
    finally:
        messages.set_language(None)
