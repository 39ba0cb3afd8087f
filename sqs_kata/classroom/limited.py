"""python -m sqs_kata.classroom.limited BYTES -- PYTEST_ARGS...: pytest with a cap on the size of any file it writes.

A separate entry point (not a preexec_fn, which is unsafe in a process with threads): the limit is set here,
then this process becomes pytest. A submission that floods its output gets SIGXFSZ when a file passes the
cap, which ends its own grading run only.
"""

from __future__ import annotations

import os

try:
    import resource
except ImportError:  # Windows: no file size limit there
    resource = None  # type: ignore[assignment]
import sys


def main(argv: list[str]) -> None:
    limit = int(argv[0])
    if argv[1:2] != ["--"]:
        raise SystemExit("usage: python -m sqs_kata.classroom.limited BYTES -- PYTEST_ARGS...")
    if resource is not None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    os.execv(sys.executable, [sys.executable, "-m", "pytest", *argv[2:]])


if __name__ == "__main__":
    main(sys.argv[1:])
