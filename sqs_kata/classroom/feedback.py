"""feedback/<student>.md: what each student gets back, in the class language.

Per exercise: points, tests passed, and for each failing test its learner message (first lines) and the
exercise's first hint. Hidden tests appear only as a count and how many pass: their names and messages are
the teacher's.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqs_kata.classroom.grading import Graded
from sqs_kata.messages import say

FOLDER = "feedback"
_MESSAGE_LINES = 8


def file_name(student: str) -> str:
    """A file name for any student name (Chinese kept; path separators and control characters are not)."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", student).strip(". ") or "student"
    return f"{cleaned}.md"


def write(out: Path, graded: Graded, extra_problems: list[str], lang: str) -> Path:
    folder = out / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name(graded.student)
    path.write_text(render(graded, extra_problems, lang), encoding="utf-8")
    return path


def render(graded: Graded, extra_problems: list[str], lang: str) -> str:
    best = sum(float(r.exercise.points) for r in graded.results)
    lines = [
        f"# SQS kata · {graded.student}",
        "",
        say(
            f"**總分：{graded.score:.2f} / {best:.0f}**（{graded.total} 個測試通過 {graded.passed} 個）",
            f"**Total: {graded.score:.2f} / {best:.0f}** ({graded.passed} of {graded.total} tests pass)",
        ),
        "",
    ]
    problems = [*graded.problems, *extra_problems]
    if problems:
        lines += [say("## 注意", "## Please note"), ""] + [f"- {p}" for p in problems] + [""]
    lines += [
        say("| 練習 | 點數 | 通過 | 隱藏測試 |", "| exercise | points | passed | hidden tests |"),
        "| --- | --- | --- | --- |",
    ]
    for result in graded.results:
        hidden = [r for r in result.graded if r.get("hidden")]
        hidden_text = f"{sum(r['outcome'] == 'passed' for r in hidden)} / {len(hidden)}" if hidden else "–"
        lines.append(
            f"| {result.exercise.number:02d} {result.exercise.title_in(lang)} | "
            f"{result.score:.2f} / {result.exercise.points} | {result.passed} / {result.total} | {hidden_text} |"
        )
    lines.append("")
    for result in graded.results:
        failing = [r for r in result.graded if r["outcome"] != "passed" and not r.get("hidden")]
        hidden_failing = sum(1 for r in result.graded if r["outcome"] != "passed" and r.get("hidden"))
        if not failing and not hidden_failing:
            continue
        lines += [f"## {result.exercise.number:02d} · {result.exercise.title_in(lang)}", ""]
        for record in failing:
            name = record["nodeid"].split("::", 1)[-1]
            message = "\n".join((record.get("message") or record["outcome"]).strip().splitlines()[:_MESSAGE_LINES])
            if graded.exercises_folder is not None:  # the grader's work folder means nothing to the student
                message = message.replace(str(graded.exercises_folder), "exercises")
            lines += [f"- `{name}`", "", "  ```text", *("  " + line for line in message.splitlines()), "  ```", ""]
        if hidden_failing:
            lines += [
                say(
                    f"- 另有 {hidden_failing} 個隱藏測試沒有通過（內容不公開）。",
                    f"- {hidden_failing} hidden test(s) did not pass (their content is not shown).",
                ),
                "",
            ]
        if result.exercise.hints:
            hint = result.exercise.hints[0].get(lang) or result.exercise.hints[0]["en"]
            lines += [say(f"提示：{hint}", f"Hint: {hint}"), ""]
    return "\n".join(lines).rstrip() + "\n"
