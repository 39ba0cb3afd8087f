"""One submission, graded in a process of its own, with the teacher's tests: whatever it does costs only its row.

The child is `python -m pytest` on the teacher's kata with `--kata-target` pointing at the submission's
unpacked exercises, and:

- a clean environment: PATH, a locale, the kata's own switches; no AWS_* variable, no teacher's HOME
  (HOME, TMPDIR and the cache live in the submission's work folder);
- its own session (process group), killed whole when the submission's time limit is up;
- a cap on the size of any file it writes (RLIMIT_FSIZE, sqs_kata.classroom.limited) and on what of its
  output is kept;
- when the grader runs as root, the user `nobody` (the teacher's files and the other submissions' folders
  are then out of its reach; elsewhere it runs as the teacher, see the README's limits);
- on a shared server, a queue scope of its own (sqs_kata.queue_scope).

After it ends, the teacher's grader files are fingerprinted again: a submission that wrote into them is
reported and the files are put back before the next submission starts.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqs_kata import PROJECT_ROOT, manifest, runner
from sqs_kata.classroom import grader_lock, similarity, submissions
from sqs_kata.classroom.submissions import Submission
from sqs_kata.manifest import Exercise
from sqs_kata.results import ExerciseResult, summarize

OUTPUT_KEPT = 64 * 1024  # of the child's stdout/stderr, for the one-line problem of a run that failed
FILE_SIZE_LIMIT = 64 * 1024 * 1024  # any file the child writes (the records too): a flood of output stops there
_NOBODY = 65534
# Backends a grading child starts for itself from the teacher's caches (jars in ~/.m2, Docker): not as nobody.
_NEEDS_TEACHERS_USER = ("elasticmq", "compose", "testcontainers")


@dataclass
class Settings:
    backend: str = "moto"  # moto (default) | moto-server | elasticmq | ... | a URL (one shared server)
    lang: str = "zh-TW"
    time_limit: float = 300.0  # seconds for the whole submission
    test_timeout: float = 20.0  # seconds per test (pytest-timeout)
    exercises: tuple[Exercise, ...] = ()

    @property
    def shared(self) -> bool:
        return "://" in self.backend


@dataclass
class Graded:
    """One row of the gradebook, before it is written."""

    student: str
    kind: str
    results: list[ExerciseResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    duration: float = 0.0
    exercises_folder: Path | None = None
    scope: str | None = None
    fingerprint: similarity.Fingerprint | None = None  # taken while its files are there (the work folder goes)

    @property
    def score(self) -> float:
        return sum(r.score for r in self.results)

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def total(self) -> int:
        return sum(r.total for r in self.results)


class Grader:
    """Grades submissions one at a time per thread; `pristine` is the teacher's grader as it was at the start."""

    def __init__(self, settings: Settings, work: Path) -> None:
        self.settings = settings
        self.work = work
        self.pristine = grader_lock.fingerprint(PROJECT_ROOT)
        self.pristine_bytes = {path: (PROJECT_ROOT / path).read_bytes() for path in self.pristine}
        self.test_files = [
            file
            for e in settings.exercises
            for file in (e.test_file, e.hidden_test_file)
            if (PROJECT_ROOT / file).is_file()
        ]
        self.as_nobody = (
            os.geteuid() == 0 and not settings.backend.startswith(_NEEDS_TEACHERS_USER) and _nobody_can_run_python()
        )
        self._live: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self._stopping = False

    def stop_all(self) -> None:
        """Ctrl-C: the children run in sessions of their own (no terminal signal reaches them): end them here."""
        with self._lock:
            self._stopping = True
            live = list(self._live)
        for process in live:
            _kill_group(process)

    def grade(self, index: int, submission: Submission) -> Graded:
        started = time.monotonic()
        graded = Graded(submission.student, submission.kind)
        folder = self.work / f"{index:04d}"
        try:
            exercises = submissions.unpack(submission, folder / "submission")
        except submissions.SubmissionError as error:
            graded.problems.append(f"unreadable: {error}")
            graded.results = summarize([], self.settings.exercises, PROJECT_ROOT)
            graded.duration = time.monotonic() - started
            return graded
        graded.exercises_folder = exercises
        graded.fingerprint = similarity.fingerprint(submission.student, exercises, self.settings.exercises)
        changed = grader_lock.changes(self.pristine, submissions.repository_root(exercises))
        if changed:
            graded.problems.append(
                f"tampering: {changed[0]}"
                + (f" (+{len(changed) - 1} more)" if len(changed) > 1 else "")
                + "; graded with the teacher's tests"
            )
        graded.problems += _syntax_errors(exercises, self.settings.exercises)
        if self.settings.shared:
            graded.scope = secrets.token_hex(3)
        deadline = time.monotonic() + self.settings.time_limit
        attempts = iter(range(1, 1000))

        def run(files: list[str]) -> runner.Run:
            return self._run(folder, exercises, graded.scope, files, deadline, next(attempts))

        # An exercise whose code ends the process (os._exit at import, say) costs its own points, not those of
        # every exercise after it: the rest is graded by a new process, within the same time limit.
        outcome = runner.resumed(run(self.test_files), run)
        graded.results = summarize(outcome.records, self.settings.exercises, PROJECT_ROOT)
        if outcome.problem:
            graded.problems.append(outcome.problem)
        if outcome.ended:
            graded.problems.append("ended the grading process: " + outcome.ended.splitlines()[0])
        touched = self._restore_grader()
        if touched:
            graded.problems.append(f"tampering: wrote into the teacher's grader ({touched[0]}); put back")
        graded.duration = time.monotonic() - started
        return graded

    def _run(
        self, folder: Path, exercises: Path, scope: str | None, test_files: list[str], deadline: float, attempt: int
    ) -> runner.Run:
        home = folder / "home"
        (home / "tmp").mkdir(parents=True, exist_ok=True)
        report = folder / "records" / ("records.json" if attempt == 1 else f"records-{attempt}.json")
        report.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "sqs_kata.classroom.limited",
            str(FILE_SIZE_LIMIT),
            "--",
            *runner.QUIET,
            "--color=no",
            f"--kata-json={report}",
            f"--kata-target={exercises}",
            f"--lang={self.settings.lang}",
            f"--timeout={self.settings.test_timeout:g}",
            f"--sqs-backend={self.settings.backend}",
            "-p",
            "sqs_kata.classroom.hang_guard",
            # The child works in its own folder (a relative write lands there), on the teacher's kata.
            f"--rootdir={PROJECT_ROOT}",
            "-c",
            str(PROJECT_ROOT / "pyproject.toml"),
            *(str(PROJECT_ROOT / file) for file in test_files),
        ]
        env = _clean_environment(home, self.settings.lang, scope)
        user: dict[str, Any] = {}
        if self.as_nobody:
            _give_to_nobody(folder)
            user = {"user": _NOBODY, "group": _NOBODY, "extra_groups": []}
        out_path, err_path = folder / "stdout.txt", folder / "stderr.txt"
        with out_path.open("wb") as out, err_path.open("wb") as err:
            with self._lock:
                if self._stopping:
                    raise KeyboardInterrupt
                process = subprocess.Popen(
                    command,
                    cwd=home,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=err,
                    start_new_session=True,
                    **user,
                )
                self._live.add(process)
            timed_out = False
            try:
                process.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                timed_out = True
            finally:
                _kill_group(process)  # the child's own children too (a server it started, a fork of the learner's)
                with self._lock:
                    self._live.discard(process)
        output, errors = _tail(out_path), _tail(err_path)
        if timed_out:
            run = runner.outcome(report, process.returncode, output, errors, command)
            run.problem = f"timeout: stopped after {self.settings.time_limit:g} s (the submission's time limit)"
            run.ended = None  # the grader stopped it, not learner code (os._exit)
            return run
        if report.is_file() and report.stat().st_size >= FILE_SIZE_LIMIT:
            return runner.Run(
                process.returncode,
                [],
                output,
                errors,
                f"huge output: the records passed the size limit of {FILE_SIZE_LIMIT // 2**20} MB",
                command,
            )
        try:
            return runner.outcome(report, process.returncode, output, errors, command)
        except (ValueError, OSError) as error:  # records cut short (a killed child, a file size limit)
            return runner.Run(process.returncode, [], output, errors, f"records unreadable: {error}", command)

    def _restore_grader(self) -> list[str]:
        changed = grader_lock.changes(self.pristine, PROJECT_ROOT)
        for line in changed:
            path = line.split(" ", 1)[1]
            if path in self.pristine_bytes:
                (PROJECT_ROOT / path).parent.mkdir(parents=True, exist_ok=True)
                (PROJECT_ROOT / path).write_bytes(self.pristine_bytes[path])
            elif line.startswith("added"):
                (PROJECT_ROOT / path).unlink(missing_ok=True)
        return changed


def _clean_environment(home: Path, lang: str, scope: str | None) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TMPDIR": str(home / "tmp"),
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",  # nothing written into the teacher's folders, even __pycache__
        "SQS_KATA_LANG": lang,
        "SQS_KATA_REALISM": "on",
    }
    # The teacher's Java and caches: a per-submission ElasticMQ needs them (jars are read, never written).
    for name in ("JAVA_HOME", "XDG_CACHE_HOME", "DOCKER_HOST"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    if "XDG_CACHE_HOME" not in env:
        env["XDG_CACHE_HOME"] = str(Path.home() / ".cache")
    env["MAVEN_OPTS"] = f"-Dmaven.repo.local={Path.home() / '.m2' / 'repository'}"
    if scope:
        env["SQS_KATA_QUEUE_SCOPE"] = scope
    return env


def _syntax_errors(exercises: Path, chosen: tuple[Exercise, ...]) -> list[str]:
    found = []
    for exercise in chosen:
        path = exercises / exercise.filename
        if not path.is_file():
            continue
        try:
            compile(path.read_bytes(), str(path), "exec")
        except SyntaxError as error:
            found.append(f"syntax error: {exercise.filename}:{error.lineno}")
        except ValueError:  # null bytes
            found.append(f"syntax error: {exercise.filename} is not Python text")
    return found


def _nobody_can_run_python() -> bool:
    """Can the user nobody start this Python and import the kata? Not when Python lives in root's home (pyenv)."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", "import sqs_kata, pytest, boto3"],
            cwd=PROJECT_ROOT,
            env={"PATH": os.environ.get("PATH", ""), "HOME": "/nonexistent"},
            user=_NOBODY,
            group=_NOBODY,
            extra_groups=[],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _give_to_nobody(folder: Path) -> None:
    os.chown(folder, _NOBODY, _NOBODY)
    for path in folder.rglob("*"):
        os.chown(path, _NOBODY, _NOBODY, follow_symlinks=False)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def _tail(path: Path) -> str:
    with path.open("rb") as file:
        size = file.seek(0, os.SEEK_END)
        file.seek(max(0, size - OUTPUT_KEPT))
        return file.read().decode("utf-8", errors="replace")


def exercises_of(numbers: str | None) -> tuple[Exercise, ...]:
    """Every exercise of kata.toml whose tests are written (or those numbered in '1,2,5-7')."""
    chosen = [e for e in manifest.load() if (PROJECT_ROOT / e.test_file).is_file()]
    if not numbers:
        return tuple(chosen)
    wanted: set[int] = set()
    for part in numbers.split(","):
        low, _, high = part.strip().partition("-")
        wanted.update(range(int(low), int(high or low) + 1))
    return tuple(e for e in chosen if e.number in wanted)
