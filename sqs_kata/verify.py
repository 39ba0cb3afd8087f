"""The kata checks itself both ways: every solution passes, every stub fails as not implemented yet.

One judgement, shared by `sqs-kata verify` (the teacher's command) and selftests/test_kata_self_check.py (CI):

    check(solved, stubs) -> Verdict      the results of grading solutions/ and exercises/ (results.summarize)

A stub "fails right" when its test failed *because* the stub's function raised NotImplementedError: the plugin
records that outcome in the test's record (Record.not_implemented, from learner.NotImplementedYet); the
message's words are never read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqs_kata.messages import say
from sqs_kata.results import ExerciseResult, Record


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)  # one bilingual line (and a few lines of message) each
    stub_ok: list[int] = field(default_factory=list)  # per exercise, in order: its tests the stub fails right

    @property
    def ok(self) -> bool:
        return not self.problems


def fails_as_not_implemented(record: Record) -> bool:
    """The test failed because learner code raised NotImplementedError (what an untouched stub does)."""
    return record["outcome"] == "failed" and bool(record.get("not_implemented"))


def solution_problems(solved: Sequence[ExerciseResult]) -> list[str]:
    """Every graded test of the reference solutions must pass (a skip, for a backend lacking a feature, is no test)."""
    return [
        say(
            f"解答沒通過 {record['nodeid']}（{record['outcome']}）：",
            f"solution does not pass {record['nodeid']} ({record['outcome']}):",
        )
        + "\n    "
        + first_lines(record["message"])
        for result in solved
        for record in result.graded
        if record["outcome"] != "passed"
    ]


def stub_problems(stubs: Sequence[ExerciseResult]) -> tuple[list[str], list[int]]:
    """Every graded test of the stubs must fail as not implemented yet; also the count per exercise that does."""
    problems: list[str] = []
    stub_ok: list[int] = []
    for result in stubs:
        ok = 0
        for record in result.graded:
            if fails_as_not_implemented(record):
                ok += 1
            elif record["outcome"] == "passed":
                problems.append(
                    say(
                        f"練習樁已經通過 {record['nodeid']}：這個測試沒有檢查到要學的東西",
                        f"the untouched stub already passes {record['nodeid']}: the test checks nothing "
                        "the learner has to write",
                    )
                )
            else:
                problems.append(
                    say(
                        f"練習樁的 {record['nodeid']} 應該以「not implemented yet」失敗，卻是 {record['outcome']}：",
                        f"the stub should fail {record['nodeid']} with 'not implemented yet', got {record['outcome']}:",
                    )
                    + "\n    "
                    + first_lines(record["message"])
                )
        stub_ok.append(ok)
    return problems, stub_ok


def count_problems(solved: Sequence[ExerciseResult], stubs: Sequence[ExerciseResult]) -> list[str]:
    """The same tests must run on both: a test that skips only on the stub would hide a gap."""
    return [
        say(
            f"練習 {solution.exercise.number:02d}：解答跑了 {solution.total} 個測試，練習樁跑了 {stub.total} 個",
            f"exercise {solution.exercise.number:02d}: {solution.total} tests ran on the solution, "
            f"{stub.total} on the stub",
        )
        for solution, stub in zip(solved, stubs, strict=True)
        if solution.written and solution.total != stub.total
    ]


def check(solved: Sequence[ExerciseResult], stubs: Sequence[ExerciseResult]) -> Verdict:
    stub_wrong, stub_ok = stub_problems(stubs)
    return Verdict(solution_problems(solved) + stub_wrong + count_problems(solved, stubs), stub_ok)


def first_lines(message: str, count: int = 3) -> str:
    return "\n    ".join(message.strip().splitlines()[:count])
