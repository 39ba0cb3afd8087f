"""The class summary: pass rate per exercise and the tests most students fail, as Markdown and a bar chart.

summary.md          the two tables
pass-rate.png       pass rate per exercise (matplotlib, Agg: no display needed)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqs_kata.classroom.grading import Graded
from sqs_kata.manifest import Exercise
from sqs_kata.messages import say

TABLE = "summary.md"
CHART = "pass-rate.png"
HARDEST = 10


@dataclass(frozen=True)
class ExerciseRate:
    exercise: Exercise
    done: int  # students who pass every test of it
    rate: float  # share of the exercise's tests passed, over the class
    mean_points: float


def rates(graded: Sequence[Graded], exercises: Sequence[Exercise]) -> list[ExerciseRate]:
    found = []
    for exercise in exercises:
        results = [r for row in graded for r in row.results if r.exercise.slug == exercise.slug]
        total = sum(r.total for r in results)
        found.append(
            ExerciseRate(
                exercise,
                sum(r.done for r in results),
                sum(r.passed for r in results) / total if total else 0.0,
                sum(r.score for r in results) / len(graded) if graded else 0.0,
            )
        )
    return found


def hardest(graded: Sequence[Graded], count: int = HARDEST) -> list[tuple[str, int]]:
    """The visible tests most students fail ('02 · test_name', students failing it); hidden ones are counted too,
    by their anonymous names."""
    failing: Counter[str] = Counter()
    for row in graded:
        for result in row.results:
            for record in result.graded:
                if record["outcome"] != "passed":
                    name = record["nodeid"].split("::", 1)[-1].split("[", 1)[0]
                    failing[f"{result.exercise.number:02d} · {name}"] += 1
    return failing.most_common(count)


def write(out: Path, graded: Sequence[Graded], exercises: Sequence[Exercise], lang: str) -> tuple[Path, Path | None]:
    by_exercise = rates(graded, exercises)
    scores = sorted(row.score for row in graded)
    median = scores[len(scores) // 2] if scores else 0.0
    lines = [
        say("# 全班摘要", "# Class summary"),
        "",
        say(
            f"{len(graded)} 份作業 · 總分中位數 {median:.2f}", f"{len(graded)} submissions · median total {median:.2f}"
        ),
        "",
        say(
            "| 練習 | 全部通過的學生 | 測試通過率 | 平均點數 |",
            "| exercise | students done | tests passed | mean points |",
        ),
        "| --- | --- | --- | --- |",
    ]
    for rate in by_exercise:
        lines.append(
            f"| {rate.exercise.number:02d} {rate.exercise.title_in(lang)} | {rate.done} / {len(graded)} | "
            f"{rate.rate:.0%} | {rate.mean_points:.2f} / {rate.exercise.points} |"
        )
    lines += [
        "",
        say("## 最多學生沒通過的測試", "## Tests most students fail"),
        "",
        say("| 測試 | 沒通過的學生 |", "| test | students failing |"),
        "| --- | --- |",
    ]
    lines += [f"| {name} | {count} |" for name, count in hardest(graded)]
    table = out / TABLE
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return table, chart(out / CHART, by_exercise)


def chart(path: Path, by_exercise: Sequence[ExerciseRate]) -> Path | None:
    """The bar chart; None (and the tables alone) when matplotlib is not installed: pip install -e '.[class]'."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only: works on a server without a display
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    # Labels in English and digits: the fonts matplotlib ships have no Chinese glyphs (they would show as boxes).
    labels = [f"{r.exercise.number:02d}" for r in by_exercise]
    figure, axes = plt.subplots(figsize=(max(6.0, 0.5 * len(labels) + 2), 4), dpi=100)
    axes.bar(labels, [100 * r.rate for r in by_exercise], color="#3b7dd8")
    axes.set_ylim(0, 100)
    axes.set_xlabel("exercise")
    axes.set_ylabel("tests passed (%)")
    axes.set_title("SQS kata: pass rate per exercise")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path
