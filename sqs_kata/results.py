"""Test outcomes, gathered per exercise: the one truth that the board, grade and verify read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


class Recorder:
    """Writes one JSON record per test: nodeid, exercise, backend, outcome, message, duration."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.records: dict[str, dict[str, Any]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = dict(report.user_properties)
        record = self.records.setdefault(report.nodeid, {
            "nodeid": report.nodeid, "exercise": props.get("exercise"), "outcome": "passed",
            "message": "", "duration": 0.0,
        })
        record["duration"] += report.duration
        for key in ("actions", "waited"):
            if key in props:
                record[key] = props[key]
        if report.when == "call" or report.outcome != "passed":
            if report.skipped:
                record["outcome"] = "skipped"
                record["message"] = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            elif report.failed:
                # A failure outside the test body (setup/teardown) is the grader's error, not the learner's.
                record["outcome"] = "failed" if report.when == "call" else "error"
                record["message"] = report.longreprtext
            elif report.when == "call":
                record["outcome"] = "passed"

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(list(self.records.values()), ensure_ascii=False, indent=1), encoding="utf-8")
