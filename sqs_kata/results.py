"""Test outcomes, gathered per exercise: the one truth that the board, grade and verify read.

Inside pytest, `Recorder` writes one JSON record per test (--kata-json FILE). Outside it, the CLI reads
those records back, scores them per exercise (points from kata.toml, partial credit per passing test)
and turns them into the two report formats, each checked by a JSON Schema in sqs_kata/schemas/:

    exercism_v3(...)   exercism's test-runner results.json, version 3 (tests tied to task ids)
    gradescope(...)    Gradescope's autograder results.json
"""

from __future__ import annotations

import inspect
import json
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqs_kata import messages
from sqs_kata.manifest import Exercise

if TYPE_CHECKING:  # the CLI reads results without loading pytest; only the pytest process records them
    import pytest

# exercism shows at most 500 characters of a test's own output.
EXERCISM_OUTPUT_LIMIT = 500


class Recorder:
    """Writes one JSON record per test: nodeid, exercise, outcome, message, duration, output, test_code.

    When pytest stops early (a backend that cannot start calls pytest.exit), the reason goes to a
    second file beside it, `<FILE>.session`, so the CLI can show that one message instead of a log.
    """

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.records: dict[str, dict[str, Any]] = {}
        self.test_code: dict[str, str] = {}
        self.stopped: str | None = None

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            code = _source_of(getattr(item, "function", None))
            if code:
                self.test_code[item.nodeid] = code

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = dict(report.user_properties)
        record = self.records.setdefault(report.nodeid, {
            "nodeid": report.nodeid, "exercise": props.get("exercise"), "outcome": "passed",
            "message": "", "duration": 0.0, "output": "",
        })
        record["duration"] += report.duration
        for key in ("actions", "waited", "copied_reference"):
            if key in props:
                record[key] = props[key]
        if report.when == "call":
            record["output"] = report.capstdout  # what the learner printed (stderr carries servers' logs)
        if report.when == "call" or report.outcome != "passed":
            if report.skipped:
                record["outcome"] = "skipped"
                record["message"] = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            elif report.failed:
                if record["outcome"] == "failed":
                    return  # a teardown problem after a failed test: the learner's failure is the story
                # A failure outside the test body (setup/teardown) is the grader's error, not the learner's.
                record["outcome"] = "failed" if report.when == "call" else "error"
                record["message"] = report.longreprtext
            elif report.when == "call":
                record["outcome"] = "passed"

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        self.stopped = str(getattr(excinfo.value, "msg", "") or excinfo.typename)

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        for nodeid, record in self.records.items():
            if nodeid in self.test_code:
                record["test_code"] = self.test_code[nodeid]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(list(self.records.values()), ensure_ascii=False, indent=1), encoding="utf-8")
        session_file(self.path).write_text(
            json.dumps({"exitstatus": int(exitstatus), "stopped": self.stopped}, ensure_ascii=False),
            encoding="utf-8")


def _source_of(function: Any) -> str | None:
    try:
        return textwrap.dedent(inspect.getsource(function)) if function is not None else None
    except (OSError, TypeError):
        return None


def session_file(path: Path) -> Path:
    return path.with_name(path.name + ".session")


def read_records(path: Path) -> tuple[list[dict[str, Any]], str | None]:
    """The records of one run, and why pytest stopped early (None when it did not)."""
    records = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    stopped = None
    if session_file(path).is_file():
        stopped = json.loads(session_file(path).read_text(encoding="utf-8")).get("stopped")
    return records, stopped


# --- Scoring ----------------------------------------------------------------------------------------

@dataclass
class ExerciseResult:
    """One exercise's tests in one run. Skipped tests (a backend lacks a feature) do not count."""

    exercise: Exercise
    written: bool  # tests/test_<slug>.py exists
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def graded(self) -> list[dict[str, Any]]:
        return [r for r in self.records if r["outcome"] != "skipped"]

    @property
    def passed(self) -> int:
        return sum(r["outcome"] == "passed" for r in self.graded)

    @property
    def total(self) -> int:
        return len(self.graded)

    @property
    def done(self) -> bool:
        return self.written and self.total > 0 and self.passed == self.total

    @property
    def score(self) -> float:
        """points * passed / total: partial credit for every passing test."""
        return self.exercise.points * self.passed / self.total if self.total else 0.0

    @property
    def max_score(self) -> float:
        """What this exercise can earn now: nothing while its tests are not written."""
        return float(self.exercise.points) if self.total else 0.0

    @property
    def first_failure(self) -> dict[str, Any] | None:
        return next((r for r in self.graded if r["outcome"] != "passed"), None)

    @property
    def copied_reference(self) -> str | None:
        """The reference file this exercise's code loaded (sqs_kata.copying), seen in any of its tests.

        The learner's module is loaded once per run, so what one test saw holds for the whole exercise.
        """
        return next((r["copied_reference"] for r in self.records if r.get("copied_reference")), None)

    @property
    def copy_note(self) -> str | None:
        """The one line the board, check, grade and the reports show for an exercise that copies."""
        copied = self.copied_reference
        return messages.copied_reference(self.exercise.number, copied) if copied else None


def summarize(records: Iterable[dict[str, Any]], exercises: Sequence[Exercise], root: Path) -> list[ExerciseResult]:
    by_slug: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_slug.setdefault(record.get("exercise") or "", []).append(record)
    return [ExerciseResult(e, (root / e.test_file).is_file(), by_slug.get(e.slug, [])) for e in exercises]


def total_score(results: Sequence[ExerciseResult]) -> tuple[float, float]:
    return sum(r.score for r in results), sum(r.max_score for r in results)


def report_name(record: dict[str, Any], exercise: Exercise) -> str:
    """'01 · test_send_text_puts_the_body_on_the_queue[moto]': unique, and says which exercise."""
    return f"{exercise.number:02d} · {record['nodeid'].split('::', 1)[-1]}"


# --- Report formats ---------------------------------------------------------------------------------

_EXERCISM_STATUS = {"passed": "pass", "failed": "fail", "error": "error"}


def exercism_v3(results: Sequence[ExerciseResult], error: str | None = None) -> dict[str, Any]:
    """exercism's results.json, version 3. `error`: the run itself failed (no test could run)."""
    if error is not None:
        return {"version": 3, "status": "error", "message": error, "tests": []}
    tests = []
    for result in results:
        for record in result.graded:
            test: dict[str, Any] = {
                "name": report_name(record, result.exercise),
                "status": _EXERCISM_STATUS.get(record["outcome"], "error"),
                "task_id": result.exercise.number,
            }
            if record["outcome"] != "passed":
                test["message"] = _noted(result.copy_note, record.get("message") or record["outcome"])
            # exercism keeps a per-test message for failures only: the note goes in every test's output.
            output = _noted(result.copy_note, record.get("output") or "")
            if output:
                test["output"] = output[:EXERCISM_OUTPUT_LIMIT]
            if record.get("test_code"):
                test["test_code"] = record["test_code"]
            tests.append(test)
    status = "pass" if all(t["status"] == "pass" for t in tests) else "fail"
    return {"version": 3, "status": status, "tests": tests}


def gradescope(results: Sequence[ExerciseResult], error: str | None = None,
               visibility: str = "visible") -> dict[str, Any]:
    """Gradescope's results.json: each test is worth points/total of its exercise."""
    if error is not None:
        return {"score": 0.0, "output": error, "visibility": visibility, "tests": []}
    tests = []
    for result in results:
        worth = result.exercise.points / result.total if result.total else 0.0
        for index, record in enumerate(result.graded, start=1):
            passed = record["outcome"] == "passed"
            test: dict[str, Any] = {
                "name": report_name(record, result.exercise),
                "number": f"{result.exercise.number}.{index}",
                "score": worth if passed else 0.0,
                "max_score": worth,
                "status": "passed" if passed else "failed",
                "output": _noted(result.copy_note, "" if passed else record.get("message") or record["outcome"]),
                "visibility": visibility,
            }
            if result.copied_reference:  # extra_data: for scripts reading the export, never shown to the student
                test["extra_data"] = {"copied_reference": result.copied_reference}
            tests.append(test)
    score, _ = total_score(results)
    report: dict[str, Any] = {"score": round(score, 4), "visibility": visibility, "tests": tests}
    notes = [r.copy_note for r in results if r.copy_note]
    if notes:  # the top of the results page, so that a teacher sees it before opening any test
        report["output"] = "\n".join(notes)
        report["extra_data"] = {"copied_reference": {f"{r.exercise.number:02d}": r.copied_reference
                                                     for r in results if r.copied_reference}}
    return report


def _noted(note: str | None, text: str) -> str:
    """`text` with the copy note in front: first, so that exercism's 500-character cut keeps it."""
    if not note:
        return text
    return f"{note}\n{text}" if text else note


@cache
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema of a report format: 'exercism-v3' or 'gradescope'."""
    text = resources.files("sqs_kata").joinpath("schemas", f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)
