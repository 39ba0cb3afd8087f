"""Assertions written for a learner: the call, what was expected, what was seen, and a hint.

    expect(url is not None, zh="應該回傳佇列網址", en="should return the queue URL",
           expected="a URL", seen=url)

prints, for a failing check (in the learner's language):

    create_queue(sqs, 'kata-1a2b-test', delay_seconds=5)
      should return the queue URL
        expected: 'a URL'
        seen    : None
      Hint: open exercises/01_queues.py, or run `sqs-kata hint 1`
"""

from __future__ import annotations

from typing import Any, NoReturn

import pytest

from sqs_kata import messages, observe
from sqs_kata.context import current

UNSET: Any = object()


def fail(*, zh: str, en: str, expected: Any = UNSET, seen: Any = UNSET, call: str | None = None) -> NoReturn:
    __tracebackhide__ = True
    lines = []
    shown_call = call or current.last_call
    if shown_call:
        lines.append(shown_call)
    lines.append(f"  {messages.say(zh, en)}")
    if expected is not UNSET:
        lines.append(f"    {messages.expected_label()}: {_show(expected)}")
    if seen is not UNSET:
        lines.append(f"    {messages.seen_label()}: {_show(seen)}")
    if current.exercise is not None and current.file is not None:
        lines.append(f"  {messages.hint_line(current.file, current.exercise.number)}")
    try:
        pytest.fail("\n".join(lines), pytrace=False)
    except pytest.fail.Exception as failure:
        # Called from an except block, the failure would print the caught error first; the message says it all.
        raise failure from None


def expect(ok: bool, *, zh: str, en: str, expected: Any = UNSET, seen: Any = UNSET, call: str | None = None) -> None:
    __tracebackhide__ = True
    if not ok:
        fail(zh=zh, en=en, expected=expected, seen=seen, call=call)


def expect_equal(seen: Any, expected: Any, *, zh: str, en: str, call: str | None = None) -> None:
    __tracebackhide__ = True
    if seen != expected:
        fail(zh=zh, en=en, expected=expected, seen=seen, call=call)


def expect_queue_created(sqs: Any, name: str, returned_url: Any) -> None:
    """The queue `name` exists (the grader asks GetQueueUrl) and `returned_url` is its URL."""
    __tracebackhide__ = True
    actual = observe.queue_url(sqs, name)
    expect(
        actual is not None,
        zh=f"佇列 {name} 應該要存在（GetQueueUrl 找不到它）",
        en=f"queue {name} should exist (GetQueueUrl cannot find it)",
    )
    expect_equal(
        returned_url,
        actual,
        zh="應該回傳佇列的網址（create_queue 回應裡的 QueueUrl）",
        en="should return the queue URL (QueueUrl in create_queue's response)",
    )


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 300 else text[:297] + "..."
