"""What the grader knows about the learner's code while a test runs: one object, `current`.

The plugin (sqs_kata.plugin) starts and ends each test's context; the learner module (sqs_kata.learner) notes
the call it makes into the learner's code; the checks (sqs_kata.checks) and the request meter read it to name
the learner's file and last call, and to tell the learner's SQS requests from the grader's own. A pytest
process runs one test at a time, so one object holds it all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqs_kata.manifest import Exercise

if TYPE_CHECKING:
    from sqs_kata.results import Breadcrumb


@dataclass
class LearnerContext:
    exercise: Exercise | None = None  # the exercise of the test running now
    file: str | None = None  # its learner file, as messages show it ("exercises/03_messages.py")
    last_call: str | None = None  # the last call into learner code, for messages: "receive_all(sqs, '…')"
    in_call: bool = False  # learner code runs now: the SQS requests made now are the learner's
    # A test phase (setup, call, teardown) runs now: pytest turns an exception raised here into that test's
    # report. Between phases pytest writes reports; the time limit must not strike there (see plugin.py).
    in_phase: bool = False
    # Where learner code runs, written down for a process it may end outright (os._exit). For the whole run,
    # set when the CLI records it (--kata-json, results.Breadcrumb); None in a plain `pytest`.
    breadcrumb: Breadcrumb | None = None

    def start_test(self, exercise: Exercise | None, file: str | None) -> None:
        self.exercise, self.file, self.last_call, self.in_call = exercise, file, None, False

    def end_test(self) -> None:
        self.exercise = self.file = None

    def enter(self, place: dict[str, str]) -> dict[str, str] | None:
        """Learner code starts to run at `place` (importing a file, calling a function); see leave()."""
        return self.breadcrumb.enter(place) if self.breadcrumb is not None else None

    def leave(self, before: dict[str, str] | None) -> None:
        if self.breadcrumb is not None:
            self.breadcrumb.leave(before)


current = LearnerContext()
