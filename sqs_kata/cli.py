"""The sqs-kata command: a thin layer over pytest for learners and teachers.

    sqs-kata                 the board: every exercise, its tests passed, done or not
    sqs-kata check 3         run exercise 3's tests and show the learner messages
    sqs-kata next            the first unfinished exercise and its first hint
    sqs-kata hint 3 [--all]  the next hint for exercise 3 (or every hint shown so far)
    sqs-kata watch           re-run the exercise you are working on whenever you save
    sqs-kata grade           the whole kata with a score; --json (exercism v3), --gradescope, --junit
    sqs-kata verify          for teachers: every solution passes, every stub fails
    sqs-kata new 22 fan_out  for teachers: scaffold exercise 22 (solution, stub, test, mistakes, kata.toml entry)
    sqs-kata elasticmq       start a local ElasticMQ server (needs Java)
    sqs-kata warm [--stop]   the warm servers that make check and grade start at once (sqs_kata.warm_server)
    sqs-kata lab             Part 2: draw the queue depth of 1, 2 and 4 workers as a PNG
    sqs-kata conformance     probe documented SQS behaviours on each backend -> docs/conformance.md (--check: up to date?)
    sqs-kata export --student DIR        for teachers: the repository a class gets (sqs_kata.classroom)
    sqs-kata class grade SUBMISSIONS --out DIR   for teachers: a whole class -> gradebook, feedback, summary

Every command that grades runs `python -m pytest --kata-json=...` in a subprocess and reads its
records (sqs_kata.runner), so the CLI and a plain `pytest` can never disagree.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.text import Text

from sqs_kata import PROJECT_ROOT, board, messages, verify
from sqs_kata.app import CANNOT_RUN, FAILING, INTERRUPTED, OK, USAGE, Kata, KataExit, first_unfinished
from sqs_kata.manifest import Exercise
from sqs_kata.messages import say
from sqs_kata.progress import Progress
from sqs_kata.results import ExerciseResult, exercism_v3, gradescope

# --- Commands -------------------------------------------------------------------------------------


def cmd_board(kata: Kata, args: argparse.Namespace) -> int:
    outcome, results = kata.run()
    if outcome.problem:
        return kata.cannot_run(outcome)
    board.board(kata.out, results)
    if kata.ended(outcome):
        return FAILING
    current = first_unfinished(results)
    if current is None:
        board.all_pass(kata.out, results)
    else:
        board.next_steps(kata.out, current)
    return OK


def cmd_check(kata: Kata, args: argparse.Namespace) -> int:
    exercise = _chosen_exercise(kata, args.number)
    if not kata.written(exercise):
        kata.say_line(
            f"練習 {exercise.number:02d} 的測試尚未撰寫 (not written yet)：現在沒有東西可以檢查。",
            f"Exercise {exercise.number:02d} is not written yet: there is nothing to check.",
            "yellow",
        )
        return USAGE
    _heading(kata, exercise)
    outcome, [result] = kata.run([exercise], echo=True)
    if outcome.problem:
        return kata.cannot_run(outcome)
    if kata.ended(outcome):
        return FAILING
    board.verdict(kata.out, result)
    return OK if result.done else FAILING


def cmd_next(kata: Kata, args: argparse.Namespace) -> int:
    current = _first_unfinished(kata)
    _announce(kata, current)
    exercise = current.exercise
    if exercise.hints:
        Progress().at_least(exercise.number, 1)
        n = exercise.number
        # Showing hint 1 counts it as seen, so the next `hint N` goes on to hint 2: say so here, not later.
        more = (
            say(
                f"這算看過提示 1；`sqs-kata hint {n}` 接著顯示提示 2。",
                f"This counts as hint 1 seen; `sqs-kata hint {n}` shows hint 2 next.",
            )
            if len(exercise.hints) > 1
            else ""
        )
        board.hint(
            kata.out,
            exercise,
            1,
            note=(more + say(f"檢查：`sqs-kata check {n}`", f" Check: `sqs-kata check {n}`")).strip(),
        )
    else:
        kata.say_line("這個練習還沒有提示。", "This exercise has no hints yet.", "dim")
    return OK


def cmd_hint(kata: Kata, args: argparse.Namespace) -> int:
    exercise = _chosen_exercise(kata, args.number)
    n, available = exercise.number, len(exercise.hints)
    if not available:
        kata.say_line(f"練習 {n:02d} 還沒有提示。", f"Exercise {n:02d} has no hints yet.", "yellow")
        return OK
    progress = Progress()
    if args.all:
        shown = min(progress.shown(n), available)  # a count edited past the hints there are shows them all
        if not shown:
            kata.say_line(
                f"還沒看過練習 {n:02d} 的提示。看第一個：`sqs-kata hint {n}`",
                f"No hint of exercise {n:02d} shown yet. See the first: `sqs-kata hint {n}`",
            )
        for index in range(1, shown + 1):
            board.hint(kata.out, exercise, index)
        return OK
    was = progress.shown(n)
    index = progress.reveal(n, available)
    if 1 < index and was < available:  # why this is not hint 1: seen before, perhaps by `sqs-kata next`
        seen = say(f"提示 1–{was}" if was > 1 else "提示 1", f"hints 1–{was}" if was > 1 else "hint 1")
        kata.say_line(
            f"你已經看過練習 {n:02d} 的{seen}（`sqs-kata next` 也會顯示並記下提示 1），所以這次是提示 {index}。"
            f"重看看過的全部：`sqs-kata hint {n} --all`",
            f"You have seen {seen} of exercise {n:02d} already (`sqs-kata next` shows and counts hint 1 "
            f"too), so this is hint {index}. See every hint seen so far: `sqs-kata hint {n} --all`",
            "dim",
        )
    if index < available:
        note = say(f"還有提示：再執行一次 `sqs-kata hint {n}`", f"More: run `sqs-kata hint {n}` again")
    elif was >= available:
        note = say(
            f"這是最後一個提示了。全部再看一次：`sqs-kata hint {n} --all`",
            f"That was the last hint. See them all: `sqs-kata hint {n} --all`",
        )
    else:
        note = say(
            "這是最後一個提示：它指出要用的 API 和文件。", "That is the last hint: it names the API and its docs."
        )
    board.hint(kata.out, exercise, index, note=note)
    return OK


def cmd_grade(kata: Kata, args: argparse.Namespace) -> int:
    refused = _refused_report_path(args)
    if refused:  # before grading: a wrong path should cost a second, not a whole grade and a traceback
        raise KataExit(USAGE, f"sqs-kata grade: error: {refused}")
    extra = [f"--junitxml={Path(args.junit).resolve()}"] if args.junit else []
    outcome, results = kata.run(extra=extra)
    wrote: list[str] = []
    if args.json:
        _write_json(Path(args.json), exercism_v3(results, outcome.problem, ended=outcome.ended))
        wrote.append(args.json)
    if args.gradescope:
        _write_json(Path(args.gradescope), gradescope(results, outcome.problem, ended=outcome.ended))
        wrote.append(args.gradescope)
    if args.junit and Path(args.junit).is_file():
        wrote.append(args.junit)
    if outcome.problem:
        code = kata.cannot_run(outcome)
    else:
        board.grade_sheet(kata.out, results)
        done = all(r.done for r in results if r.written)
        code = FAILING if kata.ended(outcome) or not done else OK
    for name in wrote:
        kata.say_line(f"已寫入 {name}", f"wrote {name}", "dim")
    return code


def cmd_verify(kata: Kata, args: argparse.Namespace) -> int:
    (solved_run, solved), (stubs_run, stubs) = kata.run_both()
    for outcome in (solved_run, stubs_run):
        if outcome.problem:
            return kata.cannot_run(outcome)
    verdict = verify.check(solved, stubs)
    wrong, stub_ok = verdict.problems, verdict.stub_ok
    board.verify_table(kata.out, solved, stubs, stub_ok)
    for line in wrong:
        kata.out.print(Text("  ✗ " + line, style="red"))
    written = sum(r.written for r in solved)
    unwritten = len(solved) - written
    if wrong:
        kata.say_line(f"❌ verify 失敗：{len(wrong)} 個問題。", f"❌ verify failed: {len(wrong)} problems.", "bold red")
        return FAILING
    kata.say_line(
        f"✅ verify 通過：{written} 個練習的解答都通過、練習樁都以 not implemented yet 失敗"
        + (f"（{unwritten} 個尚未撰寫）" if unwritten else "")
        + "。",
        f"✅ verify passed: {written} exercises, every solution passes and every stub fails with "
        "'not implemented yet'" + (f" ({unwritten} not written yet)" if unwritten else "") + ".",
        "bold green",
    )
    return OK


def cmd_new(kata: Kata, args: argparse.Namespace) -> int:
    """Scaffold a new exercise (sqs_kata.scaffold) and say what to do next, as CONTRIBUTING.md does."""
    from sqs_kata import scaffold

    try:
        made = scaffold.create(args.number, args.topic, points=args.points, part=args.part)
    except scaffold.ScaffoldError as error:
        raise KataExit(USAGE, f"sqs-kata new: {error}", style="red") from None
    exercise = made.exercise
    kata.say_line(
        f"已建立練習 {exercise.number:02d}（{exercise.slug}）：",
        f"Exercise {exercise.number:02d} ({exercise.slug}) scaffolded:",
        "bold green",
    )
    for path in made.written:
        kata.out.print(Text(f"  {_shown_path(path)}"))
    n = exercise.number
    kata.say_line(
        f"下一步（見 CONTRIBUTING.md）：改寫 solutions/{exercise.filename}，再 `python scripts/make_stub.py "
        f"solutions/{exercise.filename}`；改寫測試、錯誤解法和 kata.toml 裡的 TODO；然後 `sqs-kata check {n} "
        f"--kata-target solutions`、`sqs-kata verify`、`python scripts/mutate.py --exercise {n}`。",
        f"Next (see CONTRIBUTING.md): rewrite solutions/{exercise.filename}, then `python scripts/make_stub.py "
        f"solutions/{exercise.filename}`; rewrite the test, the mistakes and the TODOs in kata.toml; then "
        f"`sqs-kata check {n} --kata-target solutions`, `sqs-kata verify`, `python scripts/mutate.py --exercise {n}`.",
    )
    return OK


def cmd_watch(kata: Kata, args: argparse.Namespace) -> int:
    from sqs_kata.watching import watch

    return watch(kata, max_runs=args.max_runs)


def cmd_elasticmq(extra: list[str]) -> int:
    try:
        from sqs_kata.elasticmq import main as elasticmq_main
    except ImportError as error:
        raise KataExit(
            CANNOT_RUN, say(f"無法載入 sqs_kata.elasticmq：{error}", f"sqs_kata.elasticmq cannot be loaded: {error}")
        ) from None
    return int(elasticmq_main(extra) or 0)


def cmd_conformance(kata: Kata, args: argparse.Namespace) -> int:
    """Write docs/conformance.md and .json, or with --check say whether the committed report is current."""
    from sqs_kata import backend_choice, conformance
    from sqs_kata.backends import BackendError

    names = getattr(args, "sqs_backend", None) or list(conformance.DEFAULT_BACKENDS)  # never SQS_KATA_BACKENDS
    if "aws" in names and not args.i_understand_aws_costs:  # real SQS costs money: a column only when confirmed
        kata.say_line(
            "--sqs-backend aws 會連到真正的 Amazon SQS（會產生費用）；確定的話再加上 --i-understand-aws-costs。",
            "--sqs-backend aws probes real Amazon SQS (it costs money); add --i-understand-aws-costs if "
            "that is what you want.",
            "red",
        )
        return USAGE
    try:
        backends = [backend_choice.create(name, aws_confirmed=args.i_understand_aws_costs) for name in names]
    except BackendError as error:
        raise KataExit(USAGE, str(error)) from None

    def progress(column: conformance.Column, seconds: float) -> None:
        if column.reason:
            kata.say_line(
                f"{column.title}：沒有執行（{column.reason}）", f"{column.title}: not run ({column.reason})", "yellow"
            )
        else:
            kata.say_line(
                f"{column.title}：{len(column.results)} 項中 {column.differs()} 項與文件不同（{seconds:.0f} 秒）",
                f"{column.title}: {column.differs()} of {len(column.results)} differ from the documentation "
                f"({seconds:.0f} s)",
            )

    kata.say_line(
        f"在 {len(backends)} 個後端上檢查 {len(conformance.CATALOGUE)} 項文件記載的 SQS 行為 ...",
        f"Probing {len(conformance.CATALOGUE)} documented SQS behaviours on {len(backends)} backends ...",
    )
    columns, markdown, data = conformance.generate(backends, progress=progress)
    output = Path(args.output) if args.output else conformance.REPORT.parent
    report, report_json = output / conformance.REPORT.name, output / conformance.REPORT_JSON.name
    if args.check:
        if conformance.out_of_date(markdown, report):
            kata.say_line(
                f"{_shown_path(report)} 已過期：執行 `sqs-kata conformance` 重新產生並提交。",
                f"{_shown_path(report)} is out of date: run `sqs-kata conformance` and commit the result.",
                "red",
            )
            return FAILING
        kata.say_line(f"{_shown_path(report)} 是最新的。", f"{_shown_path(report)} is up to date.", "green")
        return OK
    output.mkdir(parents=True, exist_ok=True)
    report.write_text(markdown, encoding="utf-8")
    report_json.write_text(data, encoding="utf-8")
    kata.say_line(
        f"已寫入 {_shown_path(report)} 和 {_shown_path(report_json)}。",
        f"Wrote {_shown_path(report)} and {_shown_path(report_json)}.",
        "green",
    )
    return OK if all(not c.reason for c in columns) else CANNOT_RUN


def cmd_warm(kata: Kata, args: argparse.Namespace) -> int:
    from sqs_kata import warm_server

    if args.stop:
        stopped = warm_server.stop_all()
        kata.say_line(f"停止了 {stopped} 個預熱伺服器。", f"Stopped {stopped} warm server(s).")
        return OK
    found = warm_server.servers()
    if not found:
        kata.say_line(
            "沒有預熱伺服器在跑。在終端機裡執行 check 或 grade 時會自動啟動一個（SQS_KATA_WARM=0 可關掉）。",
            "No warm server is running. Running check or grade in a terminal starts one (SQS_KATA_WARM=0: never).",
        )
    for server in found:
        kata.say_line(
            f"pid {server['pid']}：{server['root']}，已跑 {server['served']} 次；閒置 {server['idle']:g} 秒後自己結束。",
            f"pid {server['pid']}: {server['root']}, {server['served']} run(s) so far; ends after "
            f"{server['idle']:g} s idle.",
        )
    return OK


def cmd_export(kata: Kata, args: argparse.Namespace) -> int:
    from sqs_kata.classroom.commands import cmd_export as export

    return export(kata, args)


def cmd_class(kata: Kata, args: argparse.Namespace) -> int:
    from sqs_kata.classroom.commands import cmd_class as class_command

    return class_command(kata, args)


# --- Helpers --------------------------------------------------------------------------------------


def _first_unfinished(kata: Kata) -> ExerciseResult:
    """The first exercise not done yet, after grading them all; the command ends (KataExit) when none is left
    (after saying so) or pytest cannot run."""
    outcome, results = kata.run()
    if outcome.problem:
        raise KataExit(kata.cannot_run(outcome))
    if kata.ended(outcome):
        raise KataExit(FAILING)
    current = first_unfinished(results)
    if current is None:
        board.all_pass(kata.out, results)
        raise KataExit(OK)
    return current


def _chosen_exercise(kata: Kata, number: int | None) -> Exercise:
    """The exercise a command names, or the first unfinished one; the command ends (KataExit) when there is none."""
    if number is None:
        return _first_unfinished(kata).exercise
    exercise = kata.exercise(number)
    if exercise is None:
        numbers = ", ".join(str(e.number) for e in kata.exercises)
        raise KataExit(
            USAGE,
            say(
                f"沒有練習 {number}。可用的練習編號：{numbers}",
                f"There is no exercise {number}. Exercise numbers: {numbers}",
            ),
            style="red",
        )
    return exercise


def _heading(kata: Kata, exercise: Exercise) -> None:
    path = kata.options.target_folder() / exercise.filename
    kata.out.rule(Text(f"{exercise.number:02d} · {board.title(exercise)}"), align="left")
    kata.out.print(Text(_shown_path(path), style="dim"))


def _announce(kata: Kata, result: ExerciseResult) -> None:
    exercise = result.exercise
    path = _shown_path(kata.options.target_folder() / exercise.filename)
    kata.say_line(
        f"下一個：練習 {exercise.number:02d} · {board.title(exercise)}（{result.total} 個測試通過 {result.passed} 個）",
        f"Next: exercise {exercise.number:02d} · {board.title(exercise)} "
        f"({result.passed} of {result.total} tests pass)",
        "bold",
    )
    kata.say_line(f"打開 {path}", f"Open {path}")


def _shown_path(path: Path) -> str:
    for base in (Path.cwd(), PROJECT_ROOT):
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)


def _refused_report_path(args: argparse.Namespace) -> str | None:
    """Why a report of `grade` could not be written where asked (one line), or None when all can be."""
    reports = [
        (option, value)
        for option, value in (("--json", args.json), ("--gradescope", args.gradescope), ("--junit", args.junit))
        if value
    ]
    seen: dict[Path, str] = {}
    for option, value in reports:  # the messages show each path as it was typed
        same = seen.setdefault(Path(value).resolve(), option)
        if same != option:
            return say(
                f"{same} 和 {option} 指向同一個檔案 {value}：一個會蓋掉另一個。請給每份報告自己的檔名。",
                f"{same} and {option} name the same file {value}: one would overwrite the other. "
                "Give each report its own file.",
            )
        why = _cannot_write(Path(value))
        if why:
            return say(f"{option} {value}：{why}", f"{option} {value}: {why}")
    return None


def _cannot_write(path: Path) -> str | None:
    """Why `path` cannot take a report, found by trying (permissions alone do not tell: root, /proc,
    a read-only disk); None when it can. Missing parent folders are made, as writing the report would."""
    if path.is_dir():
        return say(
            f"這是一個資料夾；請給檔案名稱，例如 {path / 'results.json'}",
            f"this is a folder; give a file name, e.g. {path / 'results.json'}",
        )
    blocker = next((folder for folder in path.parents if folder.exists()), None)
    if blocker is not None and not blocker.is_dir():  # else mkdir would only say "File exists"
        return say(f"{blocker} 是檔案，不是資料夾。", f"{blocker} is a file, not a folder.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("ab"):  # opening to append changes nothing in the file
                pass
        else:
            with path.open("xb"):
                pass
            path.unlink()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return say(
            f"無法寫入（{reason}）；請選一個可以寫入的資料夾。",
            f"cannot be written ({reason}); choose a folder you can write to.",
        )
    return None


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# --- Command line ---------------------------------------------------------------------------------

COMMANDS: dict[str, Callable[[Kata, argparse.Namespace], int]] = {
    "board": cmd_board,
    "check": cmd_check,
    "next": cmd_next,
    "hint": cmd_hint,
    "watch": cmd_watch,
    "grade": cmd_grade,
    "verify": cmd_verify,
    "conformance": cmd_conformance,
    "new": cmd_new,
    "export": cmd_export,
    "warm": cmd_warm,
    "class": cmd_class,
}


def build_parser() -> argparse.ArgumentParser:
    """The parser, worded in the language already chosen (messages.set_language)."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group(say("評分選項（會傳給 pytest）", "grading options (passed on to pytest)"))
    # SUPPRESS: an option given before the command must survive the command's own parser.
    group.add_argument(
        "--lang",
        choices=messages.LANGUAGES,
        default=argparse.SUPPRESS,
        help=say(
            "訊息語言（也可用 SQS_KATA_LANG；預設依 locale）",
            "language of the messages (or SQS_KATA_LANG; default: the locale)",
        ),
    )
    group.add_argument(
        "--sqs-backend",
        action="append",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help=say(
            "SQS 在哪裡跑：moto（預設）、moto-server、elasticmq、compose、testcontainers、aws，"
            "或一個網址；可重複（也可用 SQS_KATA_BACKENDS=a,b）",
            "where SQS runs: moto (default), moto-server, elasticmq, compose, testcontainers, "
            "aws, or a URL; repeatable (or SQS_KATA_BACKENDS=a,b)",
        ),
    )
    group.add_argument(
        "--kata-target",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=say(
            "要評分的程式：exercises（預設）、solutions，或放 NN_topic.py 的資料夾（也可用 SQS_KATA_TARGET）",
            "what to grade: exercises (default), solutions, or a folder of NN_topic.py files (or SQS_KATA_TARGET)",
        ),
    )
    group.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        default=argparse.SUPPRESS,
        help=say(
            "每個測試最多跑幾秒（預設：pyproject.toml 的 timeout）",
            "seconds a test may run before it is stopped (default: pyproject.toml's timeout)",
        ),
    )

    parser = _parser(
        argparse.ArgumentParser,
        prog="sqs-kata",
        parents=[common],
        description=say(
            "SQS kata：用 pytest 評分的 Amazon SQS 練習。不加指令時顯示進度表。",
            "The SQS kata: Amazon SQS exercises graded by pytest. Without a command it shows the board.",
        ),
        epilog=say(
            "例子：sqs-kata check 1 · SQS_KATA_TARGET=solutions sqs-kata grade --json out.json",
            "Examples: sqs-kata check 1 · SQS_KATA_TARGET=solutions sqs-kata grade --json out.json",
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title=say("指令", "commands"))

    def command(name: str, zh: str, en: str) -> argparse.ArgumentParser:
        return _parser(commands.add_parser, name, parents=[common], help=say(zh, en), description=say(zh, en))

    check = command("check", "執行一個練習的測試，顯示哪裡還沒過", "run one exercise's tests and show what fails")
    check.add_argument(
        "number",
        type=int,
        nargs="?",
        metavar="N",
        help=say("練習編號（預設：第一個還沒完成的）", "exercise number (default: the first unfinished)"),
    )
    command("next", "第一個還沒完成的練習和它的第一個提示", "the first unfinished exercise and its first hint")
    hint = command(
        "hint", "一次顯示一個提示（會記住看過幾個）", "the next hint, one at a time (remembers which were shown)"
    )
    hint.add_argument("number", type=int, metavar="N", help=say("練習編號", "exercise number"))
    hint.add_argument(
        "--all",
        action="store_true",
        help=say("列出這個練習已經看過的所有提示", "show every hint of this exercise shown so far"),
    )
    watch = command(
        "watch",
        "存檔就重跑正在做的練習（Ctrl-C 結束）",
        "re-run the exercise you are working on whenever you save (Ctrl-C to stop)",
    )
    watch.add_argument("--max-runs", type=int, default=None, help=argparse.SUPPRESS)  # for the selftests
    grade = command(
        "grade",
        "評分整個 kata：每個練習的點數按通過的測試比例給分",
        "grade the whole kata: each exercise's points, in proportion to its passing tests",
    )
    grade.add_argument(
        "--json",
        metavar="FILE",
        help=say("寫出 exercism 第 3 版 results.json", "write exercism's results.json, version 3"),
    )
    grade.add_argument(
        "--gradescope", metavar="FILE", help=say("寫出 Gradescope 的 results.json", "write Gradescope's results.json")
    )
    grade.add_argument(
        "--junit",
        metavar="FILE",
        help=say("寫出 JUnit XML（pytest --junitxml）", "write JUnit XML (pytest --junitxml)"),
    )
    command(
        "verify",
        "教師用：每個解答都通過、每個練習樁都以 not implemented yet 失敗",
        "for teachers: every solution passes and every stub fails with 'not implemented yet'",
    )
    new = command(
        "new",
        "教師用：建立新練習的骨架（解答、練習樁、測試、錯誤解法、kata.toml 項目）",
        "for teachers: scaffold a new exercise (solution, stub, test, mistakes, kata.toml entry)",
    )
    new.add_argument(
        "number", type=int, metavar="NN", help=say("新練習的編號（排在最後）", "the new exercise's number (last)")
    )
    new.add_argument("topic", metavar="TOPIC", help=say("主題，小寫加底線，例如 fan_out", "its topic, e.g. fan_out"))
    new.add_argument("--points", type=int, default=5, help=say("點數（預設 5）", "points (default 5)"))
    new.add_argument(
        "--part",
        type=int,
        default=None,
        help=say("屬於第幾部分（預設：最後一個練習的）", "the part it belongs to (default: the last exercise's)"),
    )
    conformance = command(
        "conformance",
        "對每個後端檢查文件記載的 SQS 行為，寫出 docs/conformance.md",
        "probe documented SQS behaviours on each backend and write docs/conformance.md",
    )
    conformance.add_argument(
        "--check",
        action="store_true",
        help=say(
            "不寫檔：重新產生並比對，報告過期時結束代碼為 1",
            "write nothing: regenerate and exit 1 when the committed report is out of date",
        ),
    )
    conformance.add_argument(
        "--output",
        metavar="DIR",
        default=None,
        help=say("報告寫到哪個資料夾（預設 docs/）", "folder for the report (default: docs/)"),
    )
    conformance.add_argument(
        "--i-understand-aws-costs",
        action="store_true",
        help=say(
            "和 --sqs-backend aws 一起：真的連到 Amazon SQS（會產生費用）",
            "with --sqs-backend aws: really probe Amazon SQS (costs money)",
        ),
    )
    commands.add_parser(
        "lab",
        add_help=False,  # its own --help answers, through sqs_kata.lab
        help=say(
            "第二部分的實驗：1、2、4 個 worker 時佇列深度隨時間的變化，畫成 PNG",
            "the Part 2 lab: queue depth over time with 1, 2 and 4 workers, drawn as a PNG",
        ),
    )
    warm = command(
        "warm",
        "預熱伺服器：先載入 pytest、boto3、moto，讓 check 和 grade 馬上開始",
        "warm servers: pytest, boto3 and moto imported ahead, so check and grade start at once",
    )
    warm.add_argument("--stop", action="store_true", help=say("全部停止", "stop them all"))
    from sqs_kata.classroom.commands import add_parsers as add_teacher_commands

    add_teacher_commands(command)
    commands.add_parser(
        "elasticmq",
        add_help=False,  # its own --help answers, through sqs_kata.elasticmq
        help=say(
            "啟動本機的 ElasticMQ（需要 Java）；其他參數交給 python -m sqs_kata.elasticmq",
            "start a local ElasticMQ server (needs Java); other arguments go to python -m sqs_kata.elasticmq",
        ),
    )
    return parser


def _parser(
    factory: Callable[..., argparse.ArgumentParser], *args: object, **kwargs: object
) -> argparse.ArgumentParser:
    parser = factory(*args, add_help=False, formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)
    parser.add_argument(
        "-h", "--help", action="help", default=argparse.SUPPRESS, help=say("顯示這段說明", "show this help and exit")
    )
    return parser


def _early_language(argv: Sequence[str]) -> str | None:
    """--lang, read before the parser exists, so that its help speaks the learner's language."""
    for index, arg in enumerate(argv):
        value = (
            arg.split("=", 1)[1]
            if arg.startswith("--lang=")
            else (argv[index + 1] if arg == "--lang" and index + 1 < len(argv) else None)
        )
        if value in messages.LANGUAGES:
            return value
    return None


def _printable_output() -> None:
    """A console that cannot show a character (cp950, say) gets a '?' instead of a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _ctrl_c_stops() -> None:
    """Ctrl-C (SIGINT) stops every command, whoever started it.

    A process started in the background by a script (`sqs-kata elasticmq &`), or by a pytest-xdist worker,
    inherits SIGINT *ignored*, and Python then never raises KeyboardInterrupt: `watch` and `elasticmq` would
    not stop. Taking the signal back here restores Ctrl-C (and children started later get the default again).
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its exit code. Whatever ends a command early (KataExit) ends here, once."""
    try:
        return _run_command(argv)
    except KataExit as stop:
        if stop.message and stop.style:
            Console(stderr=True, highlight=False).print(Text(stop.message, style=stop.style))
        elif stop.message:
            print(stop.message, file=sys.stderr)
        return stop.code


def _run_command(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _ctrl_c_stops()
    _printable_output()
    messages.set_language(_early_language(argv))
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "elasticmq":
        return cmd_elasticmq(extra)
    if args.command == "lab":
        from sqs_kata.lab import main as lab_main

        return lab_main(extra)
    if extra:
        parser.error(say(f"不認得的參數：{' '.join(extra)}", f"unrecognized arguments: {' '.join(extra)}"))
    try:
        kata = Kata(args)
    except (OSError, ValueError) as error:  # kata.toml missing or malformed (TOMLDecodeError is a ValueError)
        raise KataExit(CANNOT_RUN, say(f"讀不到 kata.toml：{error}", f"kata.toml cannot be read: {error}")) from None
    try:
        return COMMANDS[args.command or "board"](kata, args)
    except KeyboardInterrupt:
        kata.say_line("已停止。", "Stopped.", "yellow")
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
