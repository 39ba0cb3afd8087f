"""A pytest plugin for the selftests: pytest's report of every setup phase takes SQS_KATA_SLOW_REPORTS seconds.

Loaded with `-p slow_reports`. A busy machine makes pytest's reporting between a test's phases slow; the kata's
time limit must not strike there (an exception raised between phases ends the whole run with INTERNALERROR).
"""

from __future__ import annotations

import os
import time
from typing import Any

_SECONDS = float(os.environ.get("SQS_KATA_SLOW_REPORTS", "0"))


def pytest_runtest_logreport(report: Any) -> None:
    if report.when == "setup" and _SECONDS:
        time.sleep(_SECONDS)
