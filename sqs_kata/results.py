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
import os
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NotRequired, TypedDict, cast

from sqs_kata import messages, pricing
from sqs_kata.manifest import Exercise
from sqs_kata.meter import MEANINGFUL_MESSAGES, Usage, combined, from_record

if TYPE_CHECKING:  # the CLI reads results without loading pytest; only the pytest process records them
    import pytest

# exercism shows at most 500 characters of a test's own output.
EXERCISM_OUTPUT_LIMIT = 500

Outcome = Literal["passed", "failed", "error", "skipped"]


class Record(TypedDict):
    """One test of one run, as --kata-json writes it (Recorder) and the CLI reads it back: plain JSON."""

    nodeid: str
    exercise: str | None  # the exercise's slug; None for a test of no exercise
    outcome: Outcome  # "error": the grader's own set-up or teardown failed, or the run ended in this test
    message: str  # the learner message of a failure, the reason of a skip
    duration: float
    output: str  # what the learner's code printed
    test_code: NotRequired[str]  # the test's source (exercism shows it)
    actions: NotRequired[list[str]]  # the SQS actions the learner's code called
    requests: NotRequired[dict[str, Any]]  # the learner's SQS requests and their price (meter.Usage.as_record)
    waited: NotRequired[float]  # seconds SQS semantics made the test wait (clock advances, long polls)
    copied_reference: NotRequired[str]  # the reference file the learner's code loaded (sqs_kata.copying)
    # The learner function whose NotImplementedError failed the test (every stub's does): `verify` reads this.
    not_implemented: NotRequired[str]
    hidden: NotRequired[bool]  # a hidden test (tests/hidden/): reports name it by its place only
    hidden_index: NotRequired[int]
    workers: NotRequired[Any]  # the crash lab's worker processes (sqs_kata.worker_lab)
    ended: NotRequired[bool]  # learner code ended the grading process in this test (runner._after_halt)
    not_run: NotRequired[bool]  # the process ended before this test ran


def error_record(
    nodeid: str, exercise: str | None, message: str, *, ended: bool = False, not_run: bool = False
) -> Record:
    """The record of a test the grading process could not finish (see runner._after_halt)."""
    record = Record(nodeid=nodeid, exercise=exercise, outcome="error", message=message, duration=0.0, output="")
    if ended:
        record["ended"] = True
    if not_run:
        record["not_run"] = True
    return record


# What the plugin notes on a test's report and its record keeps as it is (plain JSON values): the grader's
# actions, the SQS waits, the copy flag, the request count, a stub's function, the crash lab's worker
# processes (sqs_kata.worker_lab), a hidden test's name (tests/hidden/: reports keep it for the teacher).
NOTED = ("actions", "waited", "copied_reference", "requests", "not_implemented", "workers", "hidden")


class Recorder:
    """Writes one JSON record per test: nodeid, exercise, outcome, message, duration, output, test_code.

    At the end of the session a second file beside it, `<FILE>.session`, marks a normal end and says
    why pytest stopped early, if it did (a backend that cannot start calls pytest.exit), so the CLI can
    show that one message instead of a log.

    Learner code can end the whole process (os._exit, a signal), which no `except` catches and which
    leaves neither file. For that the Recorder also keeps, as it goes, `<FILE>.partial` (the tests it
    will run, then each record as its test finishes) and `<FILE>.current` (the breadcrumb: the test
    running now and the learner's file or function it is in), so the CLI can still say what happened.
    """

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.records: dict[str, Record] = {}
        self.test_code: dict[str, str] = {}
        self.stopped: str | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.breadcrumb = Breadcrumb(current_file(self.path))
        self._partial: int | None = _open_for_writing(partial_file(self.path), os.O_APPEND)

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item, code in _sources(items):
            self.test_code[item.nodeid] = code

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Every test this run will run, with its exercise: what did not run if the process ends early."""
        collected = {item.nodeid: dict(item.user_properties).get("exercise") for item in session.items}
        self._append({"collected": collected})

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        self.breadcrumb.start_test(nodeid)

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        if nodeid in self.records:
            self._append({"record": self.records[nodeid]})

    def _append(self, entry: dict[str, Any]) -> None:
        # Straight to the file (no buffer), so what is written survives an os._exit a moment later.
        if self._partial is not None:
            os.write(self._partial, (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props: dict[str, Any] = dict(report.user_properties)  # what the plugin noted (plain JSON values)
        record = self.records.setdefault(
            report.nodeid,
            Record(
                nodeid=report.nodeid,
                exercise=props.get("exercise"),
                outcome="passed",
                message="",
                duration=0.0,
                output="",
            ),
        )
        record["duration"] += report.duration
        if "test_code" in props:  # a parallel worker's (WorkerNotes): the controller never collects
            self.test_code.setdefault(report.nodeid, props["test_code"])
        for key in NOTED:
            if key in props:
                cast(dict[str, Any], record)[key] = props[key]
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
                record["message"] = _message_of(report)
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
        # Written last: its presence is the mark of a normal end (see read_halt).
        session_file(self.path).write_text(
            json.dumps({"exitstatus": int(exitstatus), "stopped": self.stopped}, ensure_ascii=False), encoding="utf-8"
        )
        self.breadcrumb.close()
        if self._partial is not None:
            os.close(self._partial)
            self._partial = None

    def pytest_unconfigure(self) -> None:
        """pytest ended in order without a session end (it stopped while starting: a parallel run's server that
        would not start): still a normal end, with pytest's own message, not a process that died."""
        if not session_file(self.path).exists():
            session_file(self.path).write_text(
                json.dumps({"exitstatus": None, "stopped": self.stopped}), encoding="utf-8"
            )
        self.breadcrumb.close()


def _message_of(report: pytest.TestReport) -> str:
    """The failure's text. A parallel worker's report carries its worker (`node`), which pytest would print
    first ("[gw0] linux -- Python 3.11"): nothing a learner needs."""
    node = report.__dict__.pop("node", None)
    try:
        return report.longreprtext
    finally:
        if node is not None:
            report.node = node  # type: ignore[attr-defined]


class WorkerNotes:
    """In a parallel run's worker: each test carries its source to the controller's Recorder."""

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item, code in _sources(items):
            item.user_properties.append(("test_code", code))


def _sources(items: list[pytest.Item]) -> Iterator[tuple[pytest.Item, str]]:
    """Each test with the source of its function (the board and the reports show it beside a failure)."""
    for item in items:
        code = _source_of(getattr(item, "function", None))
        if code:
            yield item, code


def _open_for_writing(path: Path, flags: int = 0) -> int:
    # O_BINARY: on Windows a file descriptor opened without it turns "\n" into "\r\n".
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0) | flags, 0o644)


class Breadcrumb:
    """`<FILE>.current`: the test running now and, while learner code runs, the file being imported
    ({"importing": file}) or the function being called ({"calling": name, "file": file}).

    Rewritten only when it changes -- at each test's start and around each learner call, some 1,300 times
    in a full grade -- so each write is kept to a few microseconds: the JSON text is put together from
    pieces encoded once per test and once per place, and written with one pwrite on a file kept open.
    No flush, no fsync: what a process has written survives its os._exit. Padded with spaces to the
    longest text so far, so a shorter text needs no truncate.
    """

    def __init__(self, path: Path) -> None:
        self._fd: int | None = _open_for_writing(path)
        self._size = 0
        self._test: str | None = None
        self._head = b'{"test": null'  # '{"test": "<nodeid>"', the part that changes once per test
        self._place: dict[str, str] | None = None
        self._tails: dict[tuple[tuple[str, str], ...], bytes] = {}
        self._written: tuple[str | None, dict[str, str] | None] | None = None

    def start_test(self, nodeid: str) -> None:
        self._test, self._place = nodeid, None
        self._head = json.dumps({"test": nodeid}, ensure_ascii=False)[:-1].encode("utf-8")
        self._write()

    def enter(self, place: dict[str, str] | None) -> dict[str, str] | None:
        """Note that learner code runs at `place`; returns the place before, for leave()."""
        previous, self._place = self._place, place
        self._write()
        return previous

    def leave(self, previous: dict[str, str] | None) -> None:
        self.enter(previous)

    def _write(self) -> None:
        state = (self._test, self._place)
        if self._fd is None or state == self._written:
            return
        data = self._head + self._tail(self._place)
        self._size = max(self._size, len(data))
        _write_at_start(self._fd, data.ljust(self._size))
        self._written = state

    def _tail(self, place: dict[str, str] | None) -> bytes:
        """', "calling": "f", "file": "x.py"}' -- or just '}' outside learner code."""
        key = tuple(place.items()) if place else ()
        tail = self._tails.get(key)
        if tail is None:
            text = json.dumps(dict(key), ensure_ascii=False)
            tail = self._tails[key] = ("}" if not key else ", " + text[1:]).encode("utf-8")
        return tail

    def close(self) -> None:
        # Later writes are dropped: the descriptor's number may already belong to another file.
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _write_at_start(fd: int, data: bytes) -> None:
    if hasattr(os, "pwrite"):
        os.pwrite(fd, data, 0)
    else:  # Windows has no pwrite
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, data)


def _source_of(function: Any) -> str | None:
    try:
        return textwrap.dedent(inspect.getsource(function)) if function is not None else None
    except (OSError, TypeError):
        return None


def session_file(path: Path) -> Path:
    return path.with_name(path.name + ".session")


def current_file(path: Path) -> Path:
    return path.with_name(path.name + ".current")


def partial_file(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def read_records(path: Path) -> tuple[list[Record], str | None]:
    """The records of one run, and why pytest stopped early (None when it did not)."""
    records = cast(list[Record], json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else []
    stopped = None
    if session_file(path).is_file():
        stopped = json.loads(session_file(path).read_text(encoding="utf-8")).get("stopped")
    return records, stopped


@dataclass
class Halt:
    """What a pytest process that ended without its end mark left behind (see Recorder)."""

    records: list[Record]  # the tests it finished
    collected: dict[str, str | None]  # every test it was to run -> its exercise's slug
    test: str | None  # the test running when it ended
    importing: str | None = None  # the learner's file being imported then,
    calling: str | None = None  # or the learner's function being called,
    file: str | None = None  # and that function's file


def read_halt(path: Path) -> Halt | None:
    """None after a normal end, or when the Recorder never started (pytest refused its options)."""
    if session_file(path).is_file() or not current_file(path).is_file():
        return None
    where = _first_json(current_file(path).read_bytes())
    halt = Halt([], {}, where.get("test"), where.get("importing"), where.get("calling"), where.get("file"))
    lines = partial_file(path).read_bytes().splitlines() if partial_file(path).is_file() else []
    for line in lines:
        entry = _first_json(line)
        if isinstance(entry.get("collected"), dict):
            halt.collected = entry["collected"]
        elif isinstance(entry.get("record"), dict):
            halt.records.append(cast(Record, entry["record"]))
    return halt


def _first_json(data: bytes) -> dict[str, Any]:
    """The JSON object at the start of `data`; {} if there is none (a file cut off as the process died)."""
    try:
        value, _ = json.JSONDecoder().raw_decode(data.decode("utf-8", errors="replace").strip())
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# --- Scoring ----------------------------------------------------------------------------------------


@dataclass
class ExerciseResult:
    """One exercise's tests in one run. Skipped tests (a backend lacks a feature) do not count."""

    exercise: Exercise
    written: bool  # tests/test_<slug>.py exists
    records: list[Record] = field(default_factory=list)

    @property
    def graded(self) -> list[Record]:
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
    def first_failure(self) -> Record | None:
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

    @property
    def requests(self) -> Usage:
        """The SQS requests the learner's code made in all of this exercise's tests (sqs_kata.meter)."""
        return combined([from_record(r["requests"]) for r in self.records if r.get("requests")])

    @property
    def cost(self) -> Usage | None:
        """The requests of the tests that moved enough messages for requests per message to mean something."""
        moving = [from_record(r["requests"]) for r in self.graded if moved_enough(r)]
        return combined(moving) if moving else None

    @property
    def ended_the_run(self) -> bool:
        """Its learner code ended the grading process (os._exit): see runner._after_halt."""
        return any(r.get("ended") for r in self.records)

    @property
    def not_run(self) -> bool:
        """The grading process ended before any of its tests ran."""
        return bool(self.records) and all(r.get("not_run") for r in self.records)


def summarize(records: Iterable[Record], exercises: Sequence[Exercise], root: Path) -> list[ExerciseResult]:
    by_slug: dict[str, list[Record]] = {}
    for record in records:
        by_slug.setdefault(record.get("exercise") or "", []).append(record)
    for group in by_slug.values():  # hidden tests are numbered in their exercise, for report names
        for index, record in enumerate((r for r in group if r.get("hidden")), start=1):
            record["hidden_index"] = index
    return [ExerciseResult(e, (root / e.test_file).is_file(), by_slug.get(e.slug, [])) for e in exercises]


def moved_enough(record: Record) -> bool:
    usage = record.get("requests")
    return bool(usage) and usage is not None and from_record(usage).moved >= MEANINGFUL_MESSAGES


def cost_line(usage: Usage) -> str:
    """'SQS: 309 requests for 1000 messages: 0.31 per message, $0.12 per million messages (…list price…)'."""
    per_message = usage.per_message() or 0.0
    dollars = pricing.per_million_messages(per_message)
    return messages.say(
        f"SQS：{usage.moved} 則訊息用了 {usage.billed_total} 個計費請求，每則 {per_message:.2f} 個，"
        f"每百萬則 ${dollars:.2f}（{pricing.source('zh')}）",
        f"SQS: {usage.billed_total} billed requests for {usage.moved} messages: {per_message:.2f} per message, "
        f"${dollars:.2f} per million messages ({pricing.source()})",
    )


def total_score(results: Sequence[ExerciseResult]) -> tuple[float, float]:
    return sum(r.score for r in results), sum(r.max_score for r in results)


def report_name(record: Record, exercise: Exercise) -> str:
    """'01 · test_send_text_puts_the_body_on_the_queue[moto]': unique, and says which exercise.

    A hidden test keeps its name to itself: '01 · hidden test 3' (its place among the hidden tests)."""
    if record.get("hidden"):
        return f"{exercise.number:02d} · hidden test {record.get('hidden_index', '?')}"
    return f"{exercise.number:02d} · {record['nodeid'].split('::', 1)[-1]}"


def hidden_message(record: Record) -> str:
    """What a report says about a hidden test: that it failed, never what it checks -- except that a function it
    calls is still the stub, which the learner knows already."""
    if record["outcome"] == "passed":
        return ""
    stub = " (not implemented yet)" if "not implemented yet" in (record.get("message") or "") else ""
    return messages.say(
        f"這是一個隱藏測試：沒有通過{stub}（內容不公開）。",
        f"A hidden test: it did not pass{stub} (its content is not shown).",
    )


# --- Report formats ---------------------------------------------------------------------------------

_EXERCISM_STATUS = {"passed": "pass", "failed": "fail", "error": "error"}


def exercism_v3(
    results: Sequence[ExerciseResult], error: str | None = None, *, ended: str | None = None
) -> dict[str, Any]:
    """exercism's results.json, version 3. `error`: the run itself failed (no test could run). `ended`:
    learner code ended the run part-way; an error too, with the tests that did run (and those that did not)."""
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
            if record.get("hidden"):  # the copy note, yes; the test's own message and output, no
                if record["outcome"] != "passed":
                    test["message"] = _noted(result.copy_note, hidden_message(record))
                if result.copy_note:
                    test["output"] = result.copy_note
                tests.append(test)
                continue
            if record["outcome"] != "passed":
                test["message"] = _noted(result.copy_note, record.get("message") or record["outcome"])
            # exercism keeps a per-test message for failures only: the note goes in every test's output.
            # Its schema has no field for numbers: the cost is a line of output.
            output = _noted(result.copy_note, _with_cost(record, record.get("output") or ""))
            if output:
                test["output"] = output[:EXERCISM_OUTPUT_LIMIT]
            if record.get("test_code"):
                test["test_code"] = record["test_code"]
            tests.append(test)
    if ended is not None:
        return {"version": 3, "status": "error", "message": ended, "tests": tests}
    status = "pass" if all(t["status"] == "pass" for t in tests) else "fail"
    return {"version": 3, "status": status, "tests": tests}


def gradescope(
    results: Sequence[ExerciseResult],
    error: str | None = None,
    visibility: str = "visible",
    *,
    ended: str | None = None,
) -> dict[str, Any]:
    """Gradescope's results.json: each test is worth points/total of its exercise. `error`: the run itself
    failed (score 0). `ended`: learner code ended the run part-way, said in the output; the tests that
    ran keep their score, the test it ended in and those that never ran score 0."""
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
                "output": _noted(
                    result.copy_note, _with_cost(record, "" if passed else record.get("message") or record["outcome"])
                ),
                "visibility": visibility,
            }
            if record.get("hidden"):  # Gradescope shows it to the teacher only (extra_data is never shown)
                test.update(output=_noted(result.copy_note, hidden_message(record)), visibility="hidden")
            extra: dict[str, Any] = {}
            if result.copied_reference:  # extra_data: for scripts reading the export, never shown to the student
                extra["copied_reference"] = result.copied_reference
            if record.get("requests"):
                extra["sqs_requests"] = record["requests"]
            if extra:
                test["extra_data"] = extra
            tests.append(test)
    score, _ = total_score(results)
    report: dict[str, Any] = {"score": round(score, 4), "visibility": visibility, "tests": tests}
    notes = [r.copy_note for r in results if r.copy_note]
    if notes:  # the top of the results page, so that a teacher sees it before opening any test
        report["output"] = "\n".join(notes)
        report["extra_data"] = {
            "copied_reference": {f"{r.exercise.number:02d}": r.copied_reference for r in results if r.copied_reference}
        }
    metered = {f"{r.exercise.number:02d}": r.requests.as_record() for r in results if r.requests.calls}
    if metered:  # every exercise's SQS requests, for scripts (sqs_kata.meter)
        report.setdefault("extra_data", {})["sqs_requests"] = metered
    if ended is not None:  # the run ended early: that comes first
        report["output"] = f"{ended}\n{report['output']}" if notes else ended
    return report


def _with_cost(record: Record, text: str) -> str:
    """`text` after the test's cost line, for a test that moved enough messages for it to mean something."""
    if not moved_enough(record):
        return text
    line = cost_line(from_record(record["requests"]))
    return f"{line}\n{text}" if text else line


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
