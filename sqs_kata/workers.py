"""The grader's side of Part 2 (the asynchronous-architecture lab): watching learner workers and their threads.

    with learner_threads(sqs) as threads:   # threads the learner's code starts in here are the learner's
        ...
    threads.left                            # the ones still running once the block ended (after a grace)

    guard = ReceiveGuard(sqs, stop, limit=20)   # set `stop` on a condition; end a runaway worker loop
    calls = CallLog(sqs, "ChangeMessageVisibility")  # completed calls, with when and what they asked for

A worker loop that never stops, or a heartbeat thread that keeps extending, is ended by the grader: the next SQS
call such a thread makes raises SystemExit in it (threading ignores SystemExit in a thread: no traceback), so no
learner thread outlives its test, whether the test passed or failed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Self


class Runaway(BaseException):
    """Raised into a learner's worker loop that kept going past the grader's limit (not an Exception: the
    learner's `except Exception` must not swallow it)."""


@dataclass
class LearnerThreads:
    before: set[threading.Thread]
    left: list[threading.Thread] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def started(self) -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t not in self.before and t.is_alive()]


def _end_in_thread(threads: set[threading.Thread]) -> Callable[..., None]:
    def end(**_: Any) -> None:
        if threading.current_thread() in threads:
            raise SystemExit("stopped by the grader: this thread outlived its test")

    return end


@contextmanager
def learner_threads(sqs: Any, grace: float = 1.0) -> Iterator[LearnerThreads]:
    """Threads started inside the block; those still alive `grace` seconds after it are ended on their next
    SQS call (and listed in `.left` for the test to report). An exception that ends one of them is kept in
    `.errors` (one line each), not printed as a traceback."""
    watch = LearnerThreads(before=set(threading.enumerate()))
    condemned: set[threading.Thread] = set()
    previous = threading.excepthook

    def quietly(args: Any) -> None:
        if args.thread is None or args.thread in watch.before:
            previous(args)
        elif not (args.thread in condemned and args.exc_type is SystemExit):  # SystemExit: the grader ended it
            watch.errors.append(f"{getattr(args.thread, 'name', '?')}: {args.exc_type.__name__}: {args.exc_value}")

    threading.excepthook = quietly
    try:
        yield watch
    finally:
        try:
            deadline = time.monotonic() + grace
            for thread in watch.started():
                thread.join(max(0.0, deadline - time.monotonic()))
            watch.left = watch.started()
            if watch.left:
                condemned.update(watch.left)
                sqs.meta.events.register_first("before-call.sqs", _end_in_thread(condemned))
                for thread in watch.left:
                    thread.join(2.0)
        finally:
            threading.excepthook = previous


def stopped_in_time(run: Callable[[], Any], guard: ReceiveGuard, zh: str = "", en: str = "") -> None:
    """Run the learner's worker; one that is still receiving past the guard's limit fails with a learner message."""
    __tracebackhide__ = True
    from sqs_kata.checks import fail

    try:
        run()
    except Runaway:
        if zh and en:
            fail(zh=zh, en=en, seen=f"{len(guard.receives)} receives")
        fail(
            zh=f"worker 沒有停下來：stop 設定之後（或超過 {guard.limit} 次接收）還在繼續接收。每一輪開始前先檢查 "
            "stop.is_set()，設定了就 return",
            en=f"the worker did not stop: it kept receiving after stop was set (or past {guard.limit} receives). "
            "Check stop.is_set() before every round and return once it is set",
            expected="return soon after stop is set",
            seen=f"{len(guard.receives)} receives",
        )


class ReceiveGuard:
    """After every ReceiveMessage through `sqs`: set `stop` once `until()` holds; past `limit` receives, raise
    Runaway into the caller (a worker loop that ignores `stop`, or never gets where `until` wants it)."""

    def __init__(
        self, sqs: Any, stop: threading.Event, until: Callable[[], bool] | None = None, limit: int = 30
    ) -> None:
        self._sqs, self._stop, self._until, self.limit = sqs, stop, until, limit
        self.receives: list[dict[str, Any]] = []  # each receive's parameters, as the code passed them
        self.after_stop = 0  # receives started after `stop` was set
        self.ran_away = False
        self._lock = threading.Lock()

    def _before(self, params: dict[str, Any], **_: Any) -> None:
        with self._lock:
            self.receives.append(dict(params))
            if self._stop.is_set():
                self.after_stop += 1
            over = len(self.receives) > self.limit
            if over:
                self.ran_away = True
        if over:
            self._stop.set()
            raise Runaway(f"more than {self.limit} receives")

    def _after(self, **_: Any) -> None:
        if self._until is not None and not self._stop.is_set() and self._until():
            self._stop.set()

    def __enter__(self) -> Self:
        events = self._sqs.meta.events
        events.register_first("provide-client-params.sqs.ReceiveMessage", self._before)
        events.register_last("after-call.sqs.ReceiveMessage", self._after)
        return self

    def __exit__(self, *_: object) -> None:
        events = self._sqs.meta.events
        events.unregister("provide-client-params.sqs.ReceiveMessage", self._before)
        events.unregister("after-call.sqs.ReceiveMessage", self._after)


@dataclass(frozen=True)
class Call:
    at: float  # time.monotonic() when the answer came back
    params: dict[str, Any]
    ok: bool
    thread: threading.Thread


class CallLog:
    """The calls of some actions made through `sqs` that got an answer, in order; wait_for() blocks until there
    are enough (or a real-time limit passes)."""

    _KEY = "sqs_kata.call_log"

    def __init__(self, sqs: Any, *actions: str) -> None:
        self._sqs = sqs
        self.actions = actions
        self.calls: list[Call] = []
        self._changed = threading.Condition()

    def _keep(self, params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        if model.name in self.actions:
            context[self._KEY] = dict(params)

    def _record(self, model: Any, context: dict[str, Any], http_response: Any, **_: Any) -> None:
        if model.name in self.actions and self._KEY in context:
            with self._changed:
                self.calls.append(
                    Call(
                        time.monotonic(),
                        context[self._KEY],
                        http_response.status_code < 300,
                        threading.current_thread(),
                    )
                )
                self._changed.notify_all()

    def wait_for(self, count: int, seconds: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: len(self.calls) >= count, seconds)

    def since(self, moment: float) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.at > moment]

    def __enter__(self) -> Self:
        self._sqs.meta.events.register_first("provide-client-params.sqs", self._keep)
        self._sqs.meta.events.register_last("after-call.sqs", self._record)
        return self

    def __exit__(self, *_: object) -> None:
        self._sqs.meta.events.unregister("provide-client-params.sqs", self._keep)
        self._sqs.meta.events.unregister("after-call.sqs", self._record)
