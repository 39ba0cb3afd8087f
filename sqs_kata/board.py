"""What the CLI draws with rich: the board, the grade sheet, the verify table, hints and verdicts.

Every word comes in zh-TW and English through messages.say(); text from tests, hints and titles is
printed as plain text (never as rich markup), so a '[' in a learner message cannot break the screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sqs_kata import messages
from sqs_kata.manifest import Exercise
from sqs_kata.messages import say
from sqs_kata.results import ExerciseResult, cost_line, total_score


def title(exercise: Exercise) -> str:
    return exercise.title_in(messages.language())


# Part 1 teaches SQS call by call; Part 2 is the asynchronous-architecture lab built on it (kata.toml: part).
PART_HEADINGS = {
    1: ("第一部分：SQS 基本功，一個 API 一個 API 學", "Part 1: SQS, one call at a time"),
    2: (
        "第二部分：非同步架構實驗（worker、心跳、毒訊息、擴展）",
        "Part 2: the asynchronous-architecture lab (workers, heartbeats, poison messages, scaling)",
    ),
}


def part_heading(part: int) -> str:
    zh, en = PART_HEADINGS.get(part, (f"第 {part} 部分", f"Part {part}"))
    return say(zh, en)


def not_written() -> str:
    return say("尚未撰寫", "not written yet")


def status_of(result: ExerciseResult) -> Text:
    if not result.written:
        return Text(not_written(), style="dim")
    if result.ended_the_run:
        return Text(say("💥 錯誤：結束了評分程序", "💥 error: ended the grading"), style="bold red")
    if result.not_run:
        return Text(say("— 沒有執行", "— did not run"), style="dim")
    if result.done:
        status = Text(say("✅ 完成", "✅ done"), style="green")
    elif result.total == 0:
        return Text(say("— 沒有可評分的測試", "— no gradable test"), style="dim")
    else:
        status = Text(say("✗ 還沒完成", "✗ not yet"), style="yellow")
    if result.copied_reference:
        status.append(say(" ⚠ 引用參考解答", " ⚠ uses the reference"), style="bold magenta")
    return status


def _cost_column(table: Table, results: Sequence[ExerciseResult]) -> bool:
    """A requests-per-message column, only when some exercise moved enough messages for it to mean something."""
    if not any(r.cost for r in results):
        return False
    table.add_column(say("請求/則", "Req/msg"), justify="right")
    return True


def _cost_cell(result: ExerciseResult) -> Text:
    """Billed SQS requests per message moved (sqs_kata.meter); blank where too few messages moved."""
    cost = result.cost
    per_message = cost.per_message() if cost else None
    return Text(f"{per_message:.2f}") if per_message is not None else Text("")


def cost_notes(console: Console, results: Sequence[ExerciseResult]) -> None:
    """Under the table: what the requests per message cost, and where the prices come from."""
    for result in results:
        if result.cost:
            console.print(
                Text(f"{result.exercise.number:02d} · " + cost_line(result.cost), style="dim"), soft_wrap=True
            )


def copy_notes(console: Console, results: Sequence[ExerciseResult]) -> None:
    """One line per exercise whose code loaded the reference solution (see sqs_kata.copying)."""
    for result in results:
        if result.copy_note:
            console.print(Text(result.copy_note, style="bold magenta"), soft_wrap=True)


def board(console: Console, results: Sequence[ExerciseResult]) -> None:
    table = Table(title=say("SQS kata · 你的進度", "SQS kata · your progress"), title_justify="left")
    table.add_column("#", justify="right")
    table.add_column(say("練習", "Exercise"), overflow="fold")
    table.add_column(say("點數", "Points"), justify="right")
    table.add_column(say("測試", "Tests"), justify="right")
    table.add_column(say("狀態", "Status"))
    costs = _cost_column(table, results)
    parted = len({r.exercise.part for r in results}) > 1
    for index, result in enumerate(results):
        part = result.exercise.part
        if parted and (index == 0 or results[index - 1].exercise.part != part):
            if index:
                table.add_section()
            table.add_row("", Text(part_heading(part), style="bold cyan"), "", "", "", *([""] if costs else []))
        tests = f"{result.passed}/{result.total}"
        table.add_row(
            f"{result.exercise.number:02d}",
            Text(title(result.exercise)),
            str(result.exercise.points),
            tests,
            status_of(result),
            *([_cost_cell(result)] if costs else []),
        )
    console.print(table)
    cost_notes(console, results)
    copy_notes(console, results)
    done = sum(r.done for r in results)
    score, available = total_score(results)
    unwritten = sum(not r.written for r in results)
    line = progress_bar(done, len(results))
    line.append(
        say(
            f" {done}/{len(results)} 個練習完成 · {score:.1f}/{available:g} 分",
            f" {done}/{len(results)} exercises done · {score:.1f}/{available:g} points",
        )
    )
    console.print(line)
    if unwritten:
        console.print(
            Text(
                say(
                    f"（{unwritten} 個練習的測試尚未撰寫，還不能做。）",
                    f"({_exercises(unwritten)} not written yet, so not counted.)",
                ),
                style="dim",
            )
        )


def _exercises(count: int) -> str:
    return f"{count} exercise is" if count == 1 else f"{count} exercises are"


def progress_bar(done: int, total: int, width: int = 28) -> Text:
    """A bar that reads without colour too (█ done, ░ to do)."""
    filled = round(width * done / total) if total else 0
    bar = Text("█" * filled, style="green")
    bar.append("░" * (width - filled), style="dim")
    return bar


def next_steps(console: Console, result: ExerciseResult | None) -> None:
    if result is None:
        return
    n = result.exercise.number
    console.print(
        Text(
            say(
                f"下一步：練習 {n:02d}。執行 `sqs-kata check {n}` 看哪裡還沒過，卡住了就 `sqs-kata hint {n}`。",
                f"Next: exercise {n:02d}. Run `sqs-kata check {n}` to see what fails; stuck? `sqs-kata hint {n}`.",
            )
        )
    )


def all_pass(console: Console, results: Sequence[ExerciseResult]) -> None:
    unwritten = sum(not r.written for r in results)
    console.print(Text(say("🎉 所有練習都通過了！", "🎉 all exercises pass!"), style="bold green"))
    if unwritten:
        console.print(
            Text(
                say(
                    f"（還有 {unwritten} 個練習的測試尚未撰寫，之後再回來看看。）",
                    f"({_exercises(unwritten)} not written yet: come back for them later.)",
                ),
                style="dim",
            )
        )


def verdict(console: Console, result: ExerciseResult, *, point_onwards: bool = True) -> None:
    n = result.exercise.number
    if result.done:
        line = say(
            f"✅ 練習 {n:02d} 通過：{result.total} 個測試全部通過。",
            f"✅ Exercise {n:02d} passes: all {result.total} tests.",
        )
        if point_onwards:
            line += say("下一步：`sqs-kata next`", " Next: `sqs-kata next`")
        console.print(Text(line, style="bold green"))
    else:
        console.print(
            Text(
                say(
                    f"❌ 練習 {n:02d}：{result.total} 個測試通過 {result.passed} 個。"
                    f"先修上面第一個失敗；卡住了就 `sqs-kata hint {n}`。",
                    f"❌ Exercise {n:02d}: {result.passed} of {result.total} tests pass. "
                    f"Fix the first failure above; stuck? `sqs-kata hint {n}`.",
                ),
                style="bold red",
            )
        )
    copy_notes(console, [result])


def hint(console: Console, exercise: Exercise, index: int, note: str = "") -> None:
    """Hint number `index` (1-based) of the exercise. Soft-wrapped, so a doc link stays one piece."""
    text = exercise.hints[index - 1].get(messages.language()) or exercise.hints[index - 1]["en"]
    heading = say(
        f"💡 練習 {exercise.number:02d} · 提示 {index}/{len(exercise.hints)}",
        f"💡 Exercise {exercise.number:02d} · hint {index}/{len(exercise.hints)}",
    )
    console.print(Text(heading, style="bold cyan"))
    console.print(Text("   " + text), soft_wrap=True)
    if note:
        console.print(Text("   " + note, style="dim"), soft_wrap=True)


def grade_sheet(console: Console, results: Sequence[ExerciseResult]) -> None:
    table = Table(title=say("SQS kata · 評分", "SQS kata · grade"), title_justify="left")
    table.add_column("#", justify="right")
    table.add_column(say("練習", "Exercise"), overflow="fold")
    table.add_column(say("測試", "Tests"), justify="right")
    table.add_column(say("得分", "Score"), justify="right")
    costs = _cost_column(table, results)
    for result in results:
        earned = (
            Text(f"{result.score:.2f}/{result.exercise.points}") if result.written else Text(not_written(), style="dim")
        )
        if result.copied_reference:
            earned.append(" ⚠", style="bold magenta")
        tests: str | Text = f"{result.passed}/{result.total}"
        if result.ended_the_run or result.not_run:  # so the sheet alone cannot read as a plain failure or a 0/0
            tests = Text(f"{tests} ").append_text(status_of(result))
        table.add_row(
            f"{result.exercise.number:02d}",
            Text(title(result.exercise)),
            tests,
            earned,
            *([_cost_cell(result)] if costs else []),
        )
    console.print(table)
    cost_notes(console, results)
    copy_notes(console, results)
    score, available = total_score(results)
    percent = 100 * score / available if available else 0.0
    console.print(
        Text(
            say(
                f"總分：{score:.2f} / {available:g}（{percent:.0f}%）",
                f"Score: {score:.2f} / {available:g} ({percent:.0f}%)",
            ),
            style="bold",
        )
    )


def verify_table(
    console: Console, solutions: Sequence[ExerciseResult], stubs: Sequence[ExerciseResult], stub_ok: Sequence[int]
) -> None:
    table = Table(
        title=say(
            "SQS kata · 教師檢查（解答都通過、練習樁都失敗）",
            "SQS kata · verify (every solution passes, every stub fails)",
        ),
        title_justify="left",
    )
    table.add_column("#", justify="right")
    table.add_column(say("練習", "Exercise"), overflow="fold")
    table.add_column(say("解答通過", "Solutions pass"), justify="right")
    table.add_column(say("練習樁正確失敗", "Stubs fail right"), justify="right")
    table.add_column(say("結果", "Result"))
    for solved, stub, ok in zip(solutions, stubs, stub_ok, strict=True):
        if not solved.written:
            result = Text(not_written(), style="dim")
        elif solved.done and ok == stub.total and stub.total == solved.total:
            result = Text("✅ ok", style="green")
        else:
            result = Text(say("❌ 有問題", "❌ wrong"), style="red")
        table.add_row(
            f"{solved.exercise.number:02d}",
            Text(title(solved.exercise)),
            f"{solved.passed}/{solved.total}",
            f"{ok}/{stub.total}",
            result,
        )
    console.print(table)


def ended(console: Console, message: str) -> None:
    """Learner code ended the grading process: the one message that says where and what to do."""
    console.print(Text("💥 " + message, style="bold red"), soft_wrap=True)


def problem(console: Console, message: str, hint_text: str) -> None:
    console.print(Text(say("✗ 測試沒辦法執行：", "✗ The tests could not run:"), style="bold red"))
    console.print(Text("  " + message.replace("\n", "\n  ")), soft_wrap=True)
    console.print(Text(hint_text, style="yellow"), soft_wrap=True)
