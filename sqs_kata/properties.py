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

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

__all__ = ["for_all", "st"]

# Enough to find the usual edge (empty, one, exactly the limit, a multi-byte character) in well under a second.
EXAMPLES = 60


def for_all(**strategies: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`@given(**strategies)` with the kata's settings: derandomized, no database, no deadline, quiet."""

    def wrap(test: Callable[..., Any]) -> Callable[..., Any]:
        return settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            print_blob=False,
            # `kata` and `sqs` are function-scoped fixtures: shared by every example, on purpose.
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )(given(**strategies)(test))

    return wrap
