"""Shared helpers for the project's own tests (not graded: they check the kata itself)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from child_processes import with_plugins
from sqs_kata import PROJECT_ROOT


ORDER_LINE = "graded in random order: --randomly-seed="


def run_kata(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, list[dict[str, Any]], str]:
    """Run the graded tests in a fresh pytest process; return (exit code, per-test records, output).

    In random order (pytest-randomly, from the dev extra): the graded tests must not depend on each other's
    order. The output starts with the seed, to replay a failure (SQS_KATA_ORDER_SEED=N pins it).
    """
    report = tmp_path / f"kata-{len(list(tmp_path.iterdir()))}.json"
    seed = int(os.environ.get("SQS_KATA_ORDER_SEED") or random.randrange(2**32))
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", f"--randomly-seed={seed}", f"--kata-json={report}", *args],
        cwd=PROJECT_ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=1800,
    )
    records = json.loads(report.read_text(encoding="utf-8")) if report.exists() else []
    return proc.returncode, records, f"{ORDER_LINE}{seed}\n" + proc.stdout + proc.stderr


@pytest.fixture(scope="session")
def kata_runner(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("kata-runs")
    return lambda *args, **kw: run_kata(folder, *args, **kw)


# These tests run whole kata grades in subprocesses (minutes with ElasticMQ): the kata's per-test limit
# of pyproject.toml is for learners, not for them. A test that sets its own limit keeps it.
SELFTEST_TIMEOUT_S = 900


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here) and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(SELFTEST_TIMEOUT_S))


# Credentials and a profile that look real: a learner's own client must still never leave this machine.
REAL_LOOKING = {
    "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AWS_PROFILE": "cc104-prod",
    "AWS_REGION": "ap-northeast-1",
}
LOOPBACK = ("127.", "::1", "localhost")


class SocketAudit:
    """For a kata run with `-p socket_audit`: real-looking AWS settings in `env`, and the file where every
    DNS lookup and connect of that run is logged."""

    def __init__(self, folder: Path) -> None:
        config = folder / "aws-config"
        config.write_text("[profile cc104-prod]\nregion = ap-northeast-1\n", encoding="utf-8")
        self.log = folder / "sockets.log"
        self.env = with_plugins(
            {**REAL_LOOKING, "AWS_CONFIG_FILE": str(config), "SQS_KATA_SOCKET_AUDIT": str(self.log)}
        )

    def recorded(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.is_file() else []

    def off_loopback(self) -> list[str]:
        """The lookups and connects that aim anywhere but this machine."""
        return sorted({line for line in self.recorded()
                       if line.startswith("socket.") and not line.split(" ", 1)[1].startswith(LOOPBACK)})


@pytest.fixture(scope="session")
def socket_audit(tmp_path_factory: pytest.TempPathFactory):
    """socket_audit() -> a fresh SocketAudit."""
    return lambda: SocketAudit(tmp_path_factory.mktemp("socket-audit"))
