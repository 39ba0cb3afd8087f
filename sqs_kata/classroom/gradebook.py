"""gradebook.csv: one row per student, readable by Excel, LibreOffice and Google Sheets with non-ASCII names.

UTF-8 with a byte-order mark ("utf-8-sig"): Excel reads a plain UTF-8 CSV as the system code page (cp950 on a
Taiwanese Windows) and garbles 王小明; with the BOM it reads UTF-8, and the other programs ignore the mark.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from sqs_kata.classroom.grading import Graded
from sqs_kata.manifest import Exercise

FILE = "gradebook.csv"
ENCODING = "utf-8-sig"


def columns(exercises: Sequence[Exercise]) -> list[str]:
    return [
        "student",
        *(f"ex{e.number:02d}" for e in exercises),
        "total",
        "max",
        "tests_passed",
        "tests_total",
        "hidden_passed",
        "hidden_total",
        "duration_s",
        "problems",
    ]


def write(out: Path, graded: Sequence[Graded], exercises: Sequence[Exercise], problems: dict[str, list[str]]) -> Path:
    """`problems`: what the class-wide checks add per student (similarity, identical to the reference)."""
    path = out / FILE
    best = float(sum(e.points for e in exercises))
    with path.open("w", encoding=ENCODING, newline="") as file:
        writer = csv.writer(file)
        writer.writerow(columns(exercises))
        for row in graded:
            by_slug = {r.exercise.slug: r for r in row.results}
            hidden = [r for result in row.results for r in result.graded if r.get("hidden")]
            writer.writerow(
                [
                    row.student,
                    *(_points(by_slug[e.slug].score) if e.slug in by_slug else "0" for e in exercises),
                    _points(row.score),
                    _points(best),
                    row.passed,
                    row.total,
                    sum(r["outcome"] == "passed" for r in hidden),
                    len(hidden),
                    f"{row.duration:.1f}",
                    "; ".join([*row.problems, *problems.get(row.student, [])]),
                ]
            )
    return path


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding=ENCODING, newline="") as file:
        return list(csv.DictReader(file))


def _points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
