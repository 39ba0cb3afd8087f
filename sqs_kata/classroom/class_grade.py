"""sqs-kata class grade SUBMISSIONS --out DIR: a whole class graded with the teacher's tests, in parallel.

    DIR/gradebook.csv        one row per student (sqs_kata.classroom.gradebook)
    DIR/feedback/<name>.md   what each student gets back (sqs_kata.classroom.feedback)
    DIR/summary.md           pass rate per exercise, the tests most students fail
    DIR/pass-rate.png        the same as a bar chart
    DIR/similarity.md        alike pairs, exercises identical to the reference

Backends: moto in process (default; every submission its own), moto-server or elasticmq (every submission
starts its own server), or ONE shared server: a URL, or `--shared-server` with moto-server/elasticmq to have
one started for the run. On a shared server every submission gets a queue scope (sqs_kata.queue_scope).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqs_kata.classroom import feedback, gradebook, similarity, submissions, summary
from sqs_kata.classroom.grading import Graded, Grader, Settings
from sqs_kata.messages import say

if TYPE_CHECKING:
    from sqs_kata.backends import Backend


class ClassGradeError(Exception):
    """Why the class could not be graded at all (one message)."""


@dataclass
class ClassReport:
    graded: list[Graded]
    out: Path
    wall_seconds: float
    chart: Path | None
    backend: str


def grade_class(
    source: Path,
    out: Path,
    settings: Settings,
    *,
    jobs: int | None = None,
    shared_server: bool = False,
    keep_work: bool = False,
    progress: Callable[[Graded, int, int], None] | None = None,
) -> ClassReport:
    if not source.is_dir():
        raise ClassGradeError(
            say(
                f"{source} 不是資料夾：請給放著每位學生作業（資料夾、.zip 或 git repository）的資料夾。",
                f"{source} is not a folder: give the folder holding one submission per student "
                "(folders, .zip files or git repositories).",
            )
        )
    found = submissions.discover(source)
    if not found:
        raise ClassGradeError(
            say(
                f"{source} 裡沒有作業（資料夾、.zip 或 git repository）。",
                f"{source} holds no submission (folders, .zip files or git repositories).",
            )
        )
    names = [s.student for s in found]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ClassGradeError(
            say(f"同一位學生有兩份作業：{', '.join(twice)}", f"two submissions of one student: {', '.join(twice)}")
        )
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    server = _shared_server(settings.backend) if shared_server else None
    if server is not None:
        settings.backend = server.endpoint_url
    try:
        if settings.shared:
            _check_reachable(settings.backend)
        work = Path(tempfile.mkdtemp(prefix="sqs-kata-class-", dir=out))
        os.chmod(work, 0o755)  # a grading child running as nobody must reach its own folder inside
        grader = Grader(settings, work)
        try:
            graded = _grade_all(grader, found, jobs or os.cpu_count() or 2, progress)
        finally:
            if not keep_work:
                shutil.rmtree(work, ignore_errors=True)
    finally:
        if server is not None:
            server.stop()
    chart = _write_reports(out, graded, settings)
    return ClassReport(graded, out, time.monotonic() - started, chart, settings.backend)


def _grade_all(
    grader: Grader,
    found: Sequence[submissions.Submission],
    jobs: int,
    progress: Callable[[Graded, int, int], None] | None,
) -> list[Graded]:
    rows: dict[int, Graded] = {}
    lock = threading.Lock()
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        futures = {pool.submit(grader.grade, index, submission): index for index, submission in enumerate(found)}
        for future in as_completed(futures):
            index = futures[future]
            try:
                row = future.result()
            except Exception as error:  # noqa: BLE001 -- a grader bug on one submission costs its row only
                row = Graded(found[index].student, found[index].kind, problems=[f"not graded: {error!r}"])
            with lock:
                rows[index] = row
            if progress is not None:
                progress(row, len(rows), len(found))
    except KeyboardInterrupt:
        grader.stop_all()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [rows[i] for i in sorted(rows)]


def _write_reports(out: Path, graded: list[Graded], settings: Settings) -> Path | None:
    exercises = settings.exercises
    prints = [row.fingerprint or similarity.Fingerprint(row.student, set(), []) for row in graded]
    pairs = similarity.alike_pairs(prints)
    extra: dict[str, list[str]] = {row.student: [] for row in graded}
    for fingerprint in prints:
        if fingerprint.identical_to_reference:
            extra[fingerprint.student].append(
                "identical to reference: " + ", ".join(f"{n:02d}" for n in fingerprint.identical_to_reference)
            )
    for pair in pairs:
        extra[pair.first].append(f"alike: {pair.second} ({pair.likeness:.0%})")
        extra[pair.second].append(f"alike: {pair.first} ({pair.likeness:.0%})")
    gradebook.write(out, graded, exercises, extra)
    for row in graded:
        feedback.write(out, row, [p for p in extra[row.student] if not p.startswith("alike")], settings.lang)
    similarity.write(out, prints, pairs)
    _, chart = summary.write(out, graded, exercises, settings.lang)
    return chart


def _shared_server(backend: str) -> Backend:
    """Start ONE server of the named kind for the whole class (moto-server or elasticmq)."""
    from sqs_kata import backend_choice
    from sqs_kata.backends import BackendError

    if backend not in ("moto-server", "elasticmq"):
        raise ClassGradeError(
            say(
                "--shared-server 要和 --sqs-backend moto-server 或 elasticmq 一起用（網址本身就是共用的）。",
                "--shared-server goes with --sqs-backend moto-server or elasticmq (a URL is shared already).",
            )
        )
    server = backend_choice.create(backend)
    try:
        server.start()
    except BackendError as error:
        raise ClassGradeError(str(error)) from None
    return server


def _check_reachable(url: str) -> None:
    from sqs_kata import backend_choice

    backend = backend_choice.create(url)
    silence = backend.silence()
    if silence:
        raise ClassGradeError(silence)


def main_progress(row: Graded, done: int, total: int) -> None:
    problems = f"  [{'; '.join(p.splitlines()[0] for p in row.problems)}]" if row.problems else ""
    print(
        f"[{done:>3}/{total}] {row.student}: {row.score:.2f} ({row.passed}/{row.total} tests, "
        f"{row.duration:.1f} s){problems}",
        file=sys.stderr,
        flush=True,
    )
