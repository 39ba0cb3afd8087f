"""The gate of a run made ready ahead of time (warm.fork_pytest(gated=True)): loaded with `-p sqs_kata.gate`.

pytest has read its options and collected the tests; before the first test runs, the child waits here until the
process that forked it writes to the gate (a save to grade), or closes it (the run is not needed: the learner
saved another exercise, or stopped watching). A closed gate ends the child at once, having run nothing.
"""

from __future__ import annotations

import os

import pytest

from sqs_kata.warm import GATE_VARIABLE


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    gate = int(os.environ.pop(GATE_VARIABLE))
    try:
        opened = os.read(gate, 1)
    except KeyboardInterrupt:  # Ctrl-C in the watcher's terminal: the watcher says goodbye, this child says nothing
        os._exit(0)
    finally:
        os.close(gate)
    if not opened:
        os._exit(0)  # nothing was set up outside this process (in-process moto only): there is nothing to tidy
