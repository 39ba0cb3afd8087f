"""The conformance report (docs/conformance.md): current, honest, and able to show a backend that differs.

The first test regenerates the whole report on the four local backends (about 70 s: ElasticMQ's retention probe
waits a real minute) and fails when the committed file is out of date.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sqs_kata import PROJECT_ROOT, cli, conformance
from sqs_kata.backends import REPORT_ROWS, EndpointBackend, MotoBackend
from sqs_kata.conformance_probes import CATALOGUE

KEYS = {item.key for item in CATALOGUE}


def _java_children() -> list[str]:
    """JVMs this process started and left running (a probe run must stop each one it started)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == os.getpid() and "java" in stat.read_text():
                found.append(stat.parent.name)
        except (OSError, IndexError, ValueError):
            continue
    return found


def test_the_committed_report_is_up_to_date(tmp_path: Path) -> None:
    # In a process of its own, as a contributor runs it: the in-process moto mock and simulated clock must not
    # meet whatever earlier selftests of this (xdist) worker left in theirs.
    proc = subprocess.run([sys.executable, "-m", "sqs_kata.cli", "--lang", "en", "conformance", "--output",
                           str(tmp_path)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600,
                          env={k: v for k, v in os.environ.items() if not k.startswith("SQS_KATA_")})
    assert not _java_children(), "a probe run left its ElasticMQ running"
    assert proc.returncode == 0, f"every local backend must start (ElasticMQ needs Java):\n{proc.stdout}{proc.stderr}"
    markdown = (tmp_path / conformance.REPORT.name).read_text(encoding="utf-8")
    committed = conformance.REPORT.read_text(encoding="utf-8")
    if committed != markdown:
        diff = "".join(list(difflib.unified_diff(committed.splitlines(True), markdown.splitlines(True),
                                                 "docs/conformance.md (committed)", "regenerated", n=0))[:40])
        pytest.fail(f"docs/conformance.md is out of date: run `sqs-kata conformance` and commit it.\n{diff}",
                    pytrace=False)
    assert conformance.REPORT_JSON.read_text(encoding="utf-8") == \
        (tmp_path / conformance.REPORT_JSON.name).read_text(encoding="utf-8"), "docs/conformance.json is out of date"


class LyingClient:
    """A moto client that breaks one documented behaviour: GetQueueUrl finds queues that do not exist."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def get_queue_url(self, QueueName: str) -> dict[str, str]:  # noqa: N803 -- boto3's parameter name
        return {"QueueUrl": f"http://localhost/123456789012/{QueueName}"}


class LyingBackend(MotoBackend):
    def new_client(self, config: Any = None) -> Any:
        return LyingClient(super().new_client(config) if config else super().new_client())


def test_a_backend_that_breaks_a_behaviour_is_marked_with_what_it_answered() -> None:
    chosen = [item for item in CATALOGUE if item.key in ("get-queue-url-missing", "send-to-missing-queue")]
    honest, lying = (conformance.run_backend(backend, chosen) for backend in (MotoBackend(), LyingBackend()))
    markdown = conformance.render_markdown([honest, lying], chosen)
    row = next(line for line in markdown.splitlines() if 'id="get-queue-url-missing"' in line)
    assert row.endswith("| ✔ | ✗ differs: accepted a missing queue; SQS documents QueueDoesNotExist |"), row
    other = next(line for line in markdown.splitlines() if 'id="send-to-missing-queue"' in line)
    assert other.endswith("| ✔ | ✔ |"), "only the broken behaviour differs"
    assert "| ✗ (of 2) | 0 | 1 |" in markdown


def test_a_backend_that_cannot_start_keeps_its_column_with_the_reason() -> None:
    column = conformance.run_backend(EndpointBackend("http://127.0.0.1:9", name="nothing-here"), CATALOGUE[:2])
    assert column.reason.startswith("did not start: No SQS server answers at http://127.0.0.1:9"), column.reason
    markdown = conformance.render_markdown([column], CATALOGUE[:2])
    assert "— not run" in markdown and column.reason in markdown


def test_every_behaviour_cites_an_aws_page_and_has_its_own_anchor() -> None:
    assert len(CATALOGUE) >= 60
    assert len(KEYS) == len(CATALOGUE), "anchors must be unique"
    for item in CATALOGUE:
        assert re.fullmatch(r"[a-z0-9-]+", item.key), item.key
        assert item.doc.startswith("https://docs.aws.amazon.com/AWSSimpleQueueService/latest/"), item.key


def test_links_into_the_report_name_rows_that_exist() -> None:
    sources = [PROJECT_ROOT / "docs" / "real-sqs.md", PROJECT_ROOT / "README.md", PROJECT_ROOT / "README.en.md"]
    linked = {m for path in sources for m in re.findall(r"conformance\.md#([a-z0-9-]+)", path.read_text("utf-8"))}
    linked |= {row.split("#", 1)[1] for row in REPORT_ROWS.values()}
    assert linked, "docs/real-sqs.md links its rows to the report"
    assert linked <= KEYS, f"links to rows the report does not have: {sorted(linked - KEYS)}"


def test_aws_is_a_column_only_when_confirmed(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["conformance", "--lang", "en", "--sqs-backend", "aws"]) == 2
    assert "--i-understand-aws-costs" in capsys.readouterr().out
