"""Property-based checks (Hypothesis) for the kata's pure functions, with learner-sized output.

    @for_all(items=st.lists(st.integers()), size=st.integers(1, 12))
    def test_chunks_keeps_every_item(kata, items, size):
        expect_equal(..., call=...)

Hypothesis tries many values, and when one breaks the learner's function it shrinks it to the simplest value
that still breaks it. The learner sees that one call in the check's usual message (expected / seen / hint),
never a Hypothesis traceback. Grading is derandomized (the same examples on every run, no example database),
so a grade never depends on luck, and the example count is kept small enough for the speed targets.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from sqs_kata.learner import NotImplementedYet

__all__ = ["for_all", "st"]

# Enough to find the usual edge (empty, one, exactly the limit, a multi-byte character) in well under a second.
EXAMPLES = 60


def for_all(**strategies: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`@given(**strategies)` with the kata's settings: derandomized, no database, no deadline, quiet."""

    def wrap(test: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(test)
        def stops_at_a_stub(*args: Any, **kwargs: Any) -> Any:
            try:
                return test(*args, **kwargs)
            except NotImplementedYet as error:
                raise _StubReached(error) from None

        searching = settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            print_blob=False,
            # The explain phase only adds notes the learner's message never shows, at about half a second.
            phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
            # `kata` and `sqs` are function-scoped fixtures: shared by every example, on purpose.
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )(given(**strategies)(stops_at_a_stub))

        @functools.wraps(searching)
        def property_test(*args: Any, **kwargs: Any) -> Any:
            try:
                return searching(*args, **kwargs)
            except _StubReached as reached:
                raise reached.error from None

        return property_test

    return wrap


class _StubReached(BaseException):
    """Carries a stub's NotImplementedYet out of Hypothesis at once: every example would fail the same way, so
    searching for a simpler one (shrinking) is time the learner waits for nothing. A BaseException that is not
    an Exception (nor pytest's Failed) is not caught by Hypothesis (see hypothesis.core.failure_exceptions_to_catch)."""

    def __init__(self, error: NotImplementedYet) -> None:
        super().__init__(str(error))
        self.error = error
