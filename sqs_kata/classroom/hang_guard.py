"""`-p sqs_kata.classroom.hang_guard` (class grading only): an exercise whose code hangs stops costing time.

Once LIMIT of an exercise's tests have run into the per-test time limit, its remaining tests fail at once with
a message saying so, instead of each waiting out the limit again: a submission with one endless loop then
costs seconds more than a good one, not minutes, and the exercises after it are still graded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from sqs_kata.messages import say

LIMIT = 2
_timeouts: Counter[str] = Counter()


def _exercise(item: pytest.Item) -> str:
    return str(dict(item.user_properties).get("exercise") or "")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    yield
    if call.when == "call" and call.excinfo is not None and call.excinfo.typename == "LearnerTimeout":
        _timeouts[_exercise(item)] += 1


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> None:
    exercise = _exercise(pyfuncitem)
    if exercise and _timeouts[exercise] >= LIMIT:
        pytest.fail(
            say(
                f"沒有執行：這個練習已經有 {LIMIT} 個測試超過時間限制（程式可能卡在無窮迴圈）。",
                f"Not run: {LIMIT} tests of this exercise already ran past the time limit (the code may loop forever).",
            ),
            pytrace=False,
        )
