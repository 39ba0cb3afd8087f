"""Crash injection for consumers: a message handler that dies the way a killed worker does.

    handler = crash.handler(after=2)          # handles two messages, then the "process" dies
    with crash.survived():
        kata.consume_all(sqs, url, handler)   # the learner's consumer, on the grader's queue
    handler.handled, handler.crashed_on       # what was done before the crash, and the message it died on

The crash is a BaseException (like KeyboardInterrupt), so `except Exception` in the learner's code does not
swallow it: nothing after a crash runs in a real killed process either. Once dead, the handler stays dead:
every later call dies again. The test then looks at the queue: nothing the handler finished may come back
from an earlier receive, and the message it died on must still be there (deleting it first would lose it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class WorkerCrash(BaseException):
    """The simulated death of the worker process, raised inside the learner's message handler."""


class CrashingHandler:
    """Calls `work` for the first `after` messages, then dies on the next one and on every call after it."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.handled: list[str] = []
        self.crashed_on: str | None = None

    def __call__(self, body: str) -> None:
        if self.crashed_on is not None or len(self.handled) >= self.after:
            if self.crashed_on is None:
                self.crashed_on = body
            raise WorkerCrash(f"the worker died while handling {body!r}")
        self.handled.append(body)


class Crash:
    """The `crash` fixture: makes crashing handlers and lets a test survive their crash."""

    def handler(self, *, after: int) -> CrashingHandler:
        return CrashingHandler(after)

    @contextmanager
    def survived(self) -> Iterator[None]:
        """Around the learner's call: the crash ends the call (as it ends a process), not the test."""
        try:
            yield
        except WorkerCrash:
            pass
