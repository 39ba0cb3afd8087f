"""The conformance report: the catalogue of documented SQS behaviours, probed on each backend.

    sqs-kata conformance                      moto, moto-server, ElasticMQ 1.7.1 and 1.5.7 -> docs/conformance.md/.json
    sqs-kata conformance --check              regenerate and fail when the committed report is out of date
    sqs-kata conformance --sqs-backend aws --i-understand-aws-costs   adds real Amazon SQS (never by default)

Backends are raw: no realism layer, since the report is about what each emulator itself does. Probes on moto run one
after another on its simulated clock; on a live server they run side by side, so the one probe that must wait a real
minute (retention) sets the pace. The markdown is deterministic -- sorted rows, no timestamps, only versions -- so
a selftest can regenerate it and compare it with the committed file.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.config import Config
from botocore.exceptions import ClientError

from sqs_kata import PROJECT_ROOT, messages
from sqs_kata.backends import Backend, BackendError
from sqs_kata.conformance_probes import CATALOGUE, Behaviour, Differs, Probe, code

DEFAULT_BACKENDS = ("moto", "moto-server", "elasticmq", "elasticmq-1.5.7")
REPORT = PROJECT_ROOT / "docs" / "conformance.md"
REPORT_JSON = PROJECT_ROOT / "docs" / "conformance.json"
LIVE_WORKERS = 12  # probes mostly wait (long polls, delays); the slow one sets the pace either way

# The server answers, never botocore: no client-side validation (an empty batch must reach the server), and no retry
# (a 500 is the server's answer, not a hiccup).
PROBE_CONFIG = Config(
    parameter_validation=False,
    connect_timeout=2,
    read_timeout=25,
    retries={"mode": "standard", "total_max_attempts": 1},
)


@dataclass
class Column:
    name: str  # the --sqs-backend name
    title: str  # with its version, as the table's header shows it
    reason: str = ""  # why it did not run ("" when it did)
    results: dict[str, str | None] = field(default_factory=dict)  # behaviour key -> None (as documented) or detail

    def differs(self) -> int:
        return sum(1 for detail in self.results.values() if detail is not None)


def title(backend: Backend) -> str:
    """The column's header: the server and its version (the only variable text the report holds)."""
    if backend.name in ("moto", "moto-server"):
        from moto import __version__

        return f"{backend.name} {__version__}"
    if backend.name.startswith("elasticmq"):
        return f"ElasticMQ {getattr(backend, 'version', '')}".strip()
    if backend.name == "aws":
        return "Amazon SQS"
    return backend.name


def _failure(error: BaseException) -> str:
    """A probe that broke off: what was called and the error code, never ids, ports or times."""
    if isinstance(error, Differs):
        return str(error)
    if isinstance(error, ClientError):
        return f"{error.operation_name} answered {code(error)}"
    if isinstance(error, NotImplementedError):  # moto in-process: the action is not implemented
        return f"NotImplementedError: {str(error).splitlines()[0] if str(error) else ''}".rstrip(": ")[:120]
    return f"{type(error).__name__} (no answer)" if "Timeout" in type(error).__name__ else type(error).__name__


def probe_one(backend: Backend, sqs: Any, clock: Any, index: int, item: Behaviour) -> str | None:
    p = Probe(sqs, f"{backend.queue_prefix()}{index:02d}-", clock.advance)
    try:
        return item.probe(p)
    except Exception as error:  # noqa: BLE001 -- whatever happened is this backend's answer
        return _failure(error)
    finally:
        p.cleanup()


@contextmanager
def _english() -> Iterator[None]:
    """The report is English whatever the learner's language: a start failure is quoted in it."""
    before = messages.language()
    messages.set_language("en")
    try:
        yield
    finally:
        messages.set_language(before)


def run_backend(backend: Backend, behaviours: Sequence[Behaviour] = CATALOGUE) -> Column:
    column = Column(backend.name, title(backend))
    try:
        with _english():
            backend.start()
    except BackendError as error:
        column.reason = f"did not start: {' '.join(str(error).split())}"
        backend.stop()
        return column
    try:
        with backend.test_scope() as clock:
            sqs = backend.new_client(PROBE_CONFIG)
            numbered = list(enumerate(behaviours))
            if backend.live:
                with ThreadPoolExecutor(LIVE_WORKERS, thread_name_prefix=f"conformance-{backend.name}") as pool:
                    # The slow probes first, so their wait overlaps all the others.
                    ordered = sorted(numbered, key=lambda pair: not pair[1].slow)
                    found = dict(
                        zip(
                            (item.key for _, item in ordered),
                            pool.map(lambda pair: probe_one(backend, sqs, clock, *pair), ordered),
                            strict=True,
                        )
                    )
            else:  # moto's simulated clock is one for the whole process: its probes take turns
                found = {item.key: probe_one(backend, sqs, clock, i, item) for i, item in numbered}
            sqs.close()
        column.results = {item.key: found[item.key] for item in behaviours}
    finally:
        backend.stop()
    return column


# --- Rendering ------------------------------------------------------------------------------------


def _cell(column: Column, key: str) -> str:
    if column.reason:
        return "— not run"
    detail = column.results.get(key)
    return "✔" if detail is None else "✗ differs: " + detail.replace("|", "\\|")


def render_markdown(columns: Sequence[Column], behaviours: Sequence[Behaviour] = CATALOGUE) -> str:
    head = " | ".join(c.title for c in columns)
    lines = [
        "# Conformance: SQS emulators against what Amazon SQS documents",
        "",
        "<!-- Generated by `sqs-kata conformance` (sqs_kata/conformance.py, probes in sqs_kata/conformance_probes.py)."
        " Do not edit: the selftest regenerates it and fails when this file is out of date. -->",
        "",
        f"{len(behaviours)} documented behaviours, each probed on every backend without the kata's realism layer "
        "(`docs/real-sqs.md` says what that layer puts back). ✔ = behaves as the linked AWS page says; "
        "✗ = differs, with what the backend answered. ElasticMQ 1.5.7 is the engine of the course's original image "
        "`vsouza/sqs-local`.",
        "",
        f"| | {head} |",
        "|---|" + "---|" * len(columns),
        "| ✗ (of "
        + str(len(behaviours))
        + ") | "
        + " | ".join("not run" if c.reason else str(c.differs()) for c in columns)
        + " |",
        "",
    ]
    for column in columns:
        if column.reason:
            lines += [f"**{column.title}** {column.reason.replace('|', '/')}", ""]
    for area in sorted({b.area for b in behaviours}, key=str.lower):
        lines += [f"## {area}", "", f"| behaviour (AWS documents) | {head} |", "|---|" + "---|" * len(columns)]
        for item in sorted((b for b in behaviours if b.area == area), key=lambda b: b.key):
            cells = " | ".join(_cell(c, item.key) for c in columns)
            lines.append(f'| <a id="{item.key}"></a>[{item.claim}]({item.doc}) `{item.key}` | {cells} |')
        lines.append("")
    return "\n".join(lines)


def render_json(columns: Sequence[Column], behaviours: Sequence[Behaviour] = CATALOGUE) -> str:
    data = {
        "backends": [
            {
                "name": c.name,
                "title": c.title,
                "ran": not c.reason,
                "reason": c.reason or None,
                "differs": None if c.reason else c.differs(),
            }
            for c in columns
        ],
        "behaviours": [
            {
                "key": b.key,
                "area": b.area,
                "documented": b.claim,
                "doc": b.doc,
                "results": {
                    c.name: None if c.reason else {"ok": c.results.get(b.key) is None, "detail": c.results.get(b.key)}
                    for c in columns
                },
            }
            for b in sorted(behaviours, key=lambda b: (b.area.lower(), b.key))
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


@contextmanager
def _quiet_moto_server() -> Iterator[None]:
    """moto's server logs a traceback for every request it answers with 500; the report says so in one cell."""
    logger = logging.getLogger("werkzeug")
    before = logger.disabled
    logger.disabled = True  # not its level: MotoServerBackend.start() sets that
    try:
        yield
    finally:
        logger.disabled = before


def generate(
    backends: Sequence[Backend], behaviours: Sequence[Behaviour] = CATALOGUE, progress: Any = None
) -> tuple[list[Column], str, str]:
    """Run the catalogue on every backend; the columns keep the order given.

    moto and moto-server (simulated clock, one per process) run first, one after the other; then the live servers
    all at once, each in its own thread: their probes mostly wait, so a second server costs no extra minute.
    """
    found: dict[int, Column] = {}

    def one(index: int, backend: Backend) -> None:
        started = time.monotonic()
        try:
            found[index] = run_backend(backend, behaviours)
        except Exception as error:  # noqa: BLE001 -- one column says so; the others still run
            found[index] = Column(backend.name, title(backend), reason=f"broke off: {_failure(error)}")
        if progress is not None:
            progress(found[index], time.monotonic() - started)

    with _quiet_moto_server():
        for index, backend in enumerate(backends):
            if not backend.live:
                one(index, backend)
        threads = [
            threading.Thread(target=one, args=(index, backend), name=f"conformance-{backend.name}")
            for index, backend in enumerate(backends)
            if backend.live
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    columns = [found[index] for index in range(len(backends))]
    return columns, render_markdown(columns, behaviours), render_json(columns, behaviours)


def out_of_date(markdown: str, path: Path = REPORT) -> bool:
    try:
        return path.read_text(encoding="utf-8") != markdown
    except OSError:
        return True
