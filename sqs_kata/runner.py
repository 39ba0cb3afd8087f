"""Running the kata's tests for the CLI: always a real pytest, in a subprocess, so there is one truth.

    run(["tests/test_01_course_mission.py"], RunOptions(target="solutions")) -> Run

The child writes its per-test records with --kata-json; `Run.problem` is set when pytest could not
grade at all (an unknown option, a backend that does not answer): one message, never a log.
`Run.ended` is set when learner code ended the child outright (os._exit): one message naming the file
being imported or the function running, an error record for that test and one for each test that
never ran, so that no report can read as a pass.
"""

from __future__ import annotations

import codecs
import functools
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqs_kata import PROJECT_ROOT, backend_names, manifest, messages, results, warm, warm_server
from sqs_kata.targets import TARGETS, target_path

# What a learner should see from pytest: the failure messages (already clean) and what their own code
# printed, not pytest's chrome nor the servers' logs (stderr and logging are left out of failures).
QUIET = [
    "-q",
    "--tb=short",
    "-rN",
    "--no-header",
    "--disable-warnings",
    "--show-capture=stdout",
    "-p",
    "no:randomly",
    "-p",
    "no:sugar",
]

# xdist workers sharing one server on a live backend (see RunOptions.workers): the tests wait far more than
# they compute, so more workers than cores; four took the ElasticMQ grade from ~80 s to ~30 s on two cores.
LIVE_WORKERS = 4

# pytest's exit codes that mean "the tests ran": all passed, some failed, none collected.
GRADED = (0, 1, 5)


@dataclass
class RunOptions:
    """The switches the CLI passes through to pytest (the environment variables pass by themselves)."""

    backends: list[str] | None = None  # --sqs-backend, repeatable; else SQS_KATA_BACKENDS
    target: str | None = None  # --kata-target; else SQS_KATA_TARGET
    lang: str | None = None  # --lang; else SQS_KATA_LANG, else the locale
    timeout: float | None = None  # pytest-timeout's per-test limit; else pyproject's

    def with_target(self, target: str) -> RunOptions:
        return RunOptions(self.backends, target, self.lang, self.timeout)

    def resolved_target(self) -> str | None:
        """A folder given relative to where the learner typed the command, made absolute for the child."""
        spec = self.target or os.environ.get("SQS_KATA_TARGET")
        if not spec or spec in TARGETS:
            return spec
        return str(Path(spec).expanduser().resolve())

    def target_folder(self) -> Path:
        return target_path(self.resolved_target())

    def workers(self, test_files: int | None = None) -> str | None:
        """pytest-xdist's -n for this run, or None to run the tests one after another.

        On a server (ElasticMQ, moto-server, compose, ...) the tests mostly wait on SQS -- visibility timeouts,
        long polls -- so LIVE_WORKERS of them share ONE server, started once (sqs_kata.shared_servers), and
        the grade takes about as long as its longest tests. In-process moto is CPU-bound: one process is
        fastest. SQS_KATA_WORKERS overrides (0 or 1: one after another; a number, or xdist's "auto").
        """
        setting = os.environ.get("SQS_KATA_WORKERS", "").strip()
        if setting:
            return None if setting in ("0", "1") else setting
        if not backend_names.live(self.backends):
            return None
        # One exercise (`check`): two workers; each costs an interpreter's start, which a stub's instant failures
        # or a short exercise would not win back from four.
        return str(LIVE_WORKERS if test_files is None or test_files > 1 else 2)

    def pytest_args(self, test_files: int | None = None) -> list[str]:
        args = [f"--sqs-backend={b}" for b in self.backends or []]
        workers = self.workers(test_files)
        if workers:
            args += ["-n", workers]
        target = self.resolved_target()
        if target:
            args.append(f"--kata-target={target}")
        if self.lang:
            args.append(f"--lang={self.lang}")
        if self.timeout is not None:
            args.append(f"--timeout={self.timeout:g}")
        return args


@dataclass
class Run:
    returncode: int
    records: list[results.Record]
    output: str  # what pytest printed on stdout
    errors: str  # what it printed on stderr
    problem: str | None = None  # why nothing could be graded; None when the tests ran
    command: list[str] = field(default_factory=list)
    ended: str | None = None  # why grading stopped part-way: learner code ended the process (see _after_halt)


def run(
    test_files: Sequence[str],
    options: RunOptions,
    *,
    extra: Sequence[str] = (),
    echo: Callable[[str], None] | None = None,
    color: bool = False,
    columns: int | None = None,
) -> Run:
    """Run pytest on `test_files`; with `echo`, pass its output on as it comes (for check and watch).

    Learner code that ends the process (os._exit) costs its own exercise only: what it kept from running is
    graded by a new process (see resumed)."""

    once = _runner(options, extra=extra, echo=echo, color=color, columns=columns)
    return resumed(once(test_files), once)


def resumed(first: Run, rerun: Callable[[list[str]], Run]) -> Run:
    """`first`, and when learner code ended its process: the test files of the OTHER exercises it never
    reached, graded again by `rerun` (as often as that happens; an exercise whose code ended a process is
    not tried again, it would end it again). The tests that ran replace their "did not run" records; the
    Run keeps the first `ended` message, the one the learner must read."""
    merged = first
    given_up: set[str | None] = set()
    tried: list[str] = []
    latest = first
    while latest.ended:
        given_up |= {r.get("exercise") for r in latest.records if r.get("ended")}
        waiting = sorted(
            {_file_of(r["nodeid"]) for r in merged.records if r.get("not_run") and r.get("exercise") not in given_up}
        )
        if not waiting or waiting == tried:
            break  # nothing left, or the same files again: they would end the same way
        tried = waiting
        latest = rerun(waiting)
        again = {r["nodeid"] for r in latest.records}
        records = [r for r in merged.records if r["nodeid"] not in again] + latest.records
        merged = Run(
            merged.returncode,
            records,
            merged.output + latest.output,
            merged.errors + latest.errors,
            merged.problem or latest.problem,
            merged.command,
            merged.ended,
        )
    return merged


def _file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _runner(
    options: RunOptions,
    *,
    extra: Sequence[str] = (),
    echo: Callable[[str], None] | None = None,
    color: bool = False,
    columns: int | None = None,
) -> Callable[[Sequence[str]], Run]:
    """One pytest run of the test files it is given, with these switches (what resumed() reruns with)."""
    return functools.partial(_run_once, options=options, extra=extra, echo=echo, color=color, columns=columns)


def _run_once(
    test_files: Sequence[str],
    options: RunOptions,
    *,
    extra: Sequence[str] = (),
    echo: Callable[[str], None] | None = None,
    color: bool = False,
    columns: int | None = None,
) -> Run:
    with tempfile.TemporaryDirectory(prefix="sqs-kata-") as folder:
        report = Path(folder) / "records.json"
        command = _command(test_files, options, report, extra, color)
        env = _environment(options, columns)
        process: subprocess.Popen[bytes] | warm.ForkedPytest | warm_server.RemotePytest | None = None
        if warm.preloaded():  # a fork of this process: pytest and the libraries are imported already
            process = warm.fork_pytest(command[3:], env, PROJECT_ROOT)
        else:  # a fork of the warm server, when one answers
            process = warm_server.run_pytest(command[3:], env, PROJECT_ROOT)
        if process is None:
            process = subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        return _finish(process, report, command, echo)


def _command(
    test_files: Sequence[str], options: RunOptions, report: Path, extra: Sequence[str], color: bool
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        *QUIET,
        f"--color={'yes' if color else 'no'}",
        f"--kata-json={report}",
        *options.pytest_args(len(test_files)),
        *extra,
        *test_files,
    ]


def _environment(options: RunOptions, columns: int | None) -> dict[str, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
    if options.lang:
        env["SQS_KATA_LANG"] = options.lang
    if columns:
        env["COLUMNS"] = str(columns)
    return env


def _finish(
    process: subprocess.Popen[bytes] | warm.ForkedPytest | warm_server.RemotePytest,
    report: Path,
    command: Sequence[str],
    echo: Callable[[str], None] | None,
) -> Run:
    try:
        output, errors = _collect(process, echo)
    except KeyboardInterrupt:
        if isinstance(process, warm_server.RemotePytest):
            process.interrupt()  # not in the terminal's process group
        process.wait()  # the child got the same Ctrl-C; let it tidy up (queues, servers)
        raise
    return outcome(report, process.wait(), output, errors, command)  # already ended (see _collect)


class Ready:
    """A run of `test_files` on in-process moto, forked before it is needed (for `sqs-kata watch`): pytest has
    read its options and collected the tests, and waits at a gate (sqs_kata.gate). go() grades -- the learner's
    code is read then, not before -- and returns what run() would; cancel() ends it unused.

    Only where a run is a fork of this process (warm.preloaded()) and touches no server: a waiting child
    holds nothing outside itself."""

    def __init__(
        self,
        test_files: Sequence[str],
        options: RunOptions,
        *,
        echo: Callable[[str], None] | None = None,
        color: bool = False,
        columns: int | None = None,
    ) -> None:
        self._echo = echo
        self._again = _runner(options, echo=echo, color=color, columns=columns)  # for the files not reached
        self._folder = tempfile.TemporaryDirectory(prefix="sqs-kata-")
        self._report = Path(self._folder.name) / "records.json"
        self._command = _command(test_files, options, self._report, (), color)
        self._process = warm.fork_pytest(self._command[3:], _environment(options, columns), PROJECT_ROOT, gated=True)

    @staticmethod
    def possible(options: RunOptions) -> bool:
        return warm.preloaded() and not backend_names.live(options.backends) and not options.workers(1)

    def go(self) -> Run:
        try:
            self._process.open_gate()
            first = _finish(self._process, self._report, self._command, self._echo)
        finally:
            self._folder.cleanup()
        return resumed(first, self._again)

    def cancel(self) -> None:
        self._process.cancel()
        self._folder.cleanup()


def outcome(report: Path, returncode: int, output: str, errors: str, command: Sequence[str] = ()) -> Run:
    """What a finished pytest child that recorded into `report` (--kata-json) did (also for `class grade`)."""
    records, stopped = results.read_records(report)
    halt = results.read_halt(report)
    if halt is not None:
        records, ended, problem = _after_halt(halt, returncode, stopped, output, errors)
        return Run(returncode, records, output, errors, problem, list(command), ended)
    problem = None if returncode in GRADED else _problem(returncode, stopped, output, errors)
    return Run(returncode, records, output, errors, problem, list(command))


def _after_halt(
    halt: results.Halt, returncode: int, stopped: str | None, output: str, errors: str
) -> tuple[list[results.Record], str | None, str | None]:
    """Records, `ended` message and `problem` of a child that ended without its end mark.

    Whatever its exit code (os._exit(0) included), the test it was in gets an error record carrying the
    one message, and every test it never reached an error record saying so: an exercise that did not
    run can show neither as a pass nor as 0/0. Ended before any test: a problem, as when pytest fails.
    """
    if halt.test is None:
        return (
            halt.records,
            None,
            messages.ended_before_tests(returncode) + "\n" + _problem(returncode, stopped, output, errors),
        )
    message = _ended_message(halt, returncode)
    records = [r for r in halt.records if r.get("nodeid") != halt.test]
    records.append(
        results.error_record(halt.test, halt.collected.get(halt.test) or _exercise_of(halt.test), message, ended=True)
    )
    finished = {r.get("nodeid") for r in records}
    unreached = messages.did_not_run(_test_name(halt.test))
    records += [
        results.error_record(nodeid, slug, unreached, not_run=True)
        for nodeid, slug in halt.collected.items()
        if nodeid not in finished
    ]
    return records, message, None


def _ended_message(halt: results.Halt, returncode: int) -> str:
    test = _test_name(halt.test or "")
    if halt.importing:
        return messages.ended_while_importing(halt.importing)
    if halt.calling:
        return messages.ended_while_calling(halt.calling, halt.file or "?", test)
    return messages.ended_during_test(test, halt.test or "", returncode)


def _test_name(nodeid: str) -> str:
    return nodeid.split("::", 1)[-1]


def _exercise_of(nodeid: str) -> str | None:
    exercise = manifest.for_test_path(Path(nodeid.split("::", 1)[0]))
    return exercise.slug if exercise else None


def _collect(
    process: subprocess.Popen[bytes] | warm.ForkedPytest | warm_server.RemotePytest, echo: Callable[[str], None] | None
) -> tuple[str, str]:
    stdout, stderr = process.stdout, process.stderr
    assert stdout is not None and stderr is not None
    err_chunks: list[bytes] = []
    # stderr is read aside, so neither pipe can fill up and stall pytest.
    reader = threading.Thread(target=lambda: err_chunks.append(stderr.read()), daemon=True)
    reader.start()
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    shown = _Filter()
    out: list[str] = []
    while chunk := os.read(stdout.fileno(), 4096):  # whatever has arrived, so progress dots show live
        text = decoder.decode(chunk)
        out.append(text)
        if echo is not None:
            visible = shown.feed(text)
            if visible:
                echo(visible)
    out.append(decoder.decode(b"", final=True))
    process.wait()
    reader.join()
    if echo is not None:
        echo(shown.feed(out[-1]) + shown.finish())
    return "".join(out), b"".join(err_chunks).decode("utf-8", errors="replace")


class _Filter:
    """Passes pytest's output on as it arrives (progress dots included), but holds each line's start
    back until it knows what the line is: from a line starting with '!' (pytest's banner for a stopped
    run) it passes nothing more, and a 'no tests ran' line is dropped -- the CLI says why instead --
    as are xdist's 'bringing up nodes...' lines and a blank line right after them."""

    DROPPED = ("no tests ran", "bringing up nodes")

    def __init__(self) -> None:
        self.head = ""  # the held-back start of the current line, colour codes included
        self.visible = ""  # the same without colour codes
        self.holding = True
        self.in_escape = False
        self.suppressed = False
        self.after_dropped = False  # the line before was dropped

    def _dropped(self, visible: str) -> bool:
        return visible.startswith(self.DROPPED) or (not visible.strip() and self.after_dropped)

    def _may_be_dropped(self, visible: str) -> bool:
        return any(d.startswith(visible) or visible.startswith(d) for d in self.DROPPED)

    def feed(self, text: str) -> str:
        kept: list[str] = []
        for char in text:
            if self.suppressed:
                break
            if not self.holding:
                kept.append(char)
                self.holding = char == "\n"
                continue
            self.head += char
            if char == "\x1b" or self.in_escape:
                self.in_escape = char == "\x1b" or not char.isalpha()
            elif char == "\n":
                dropped = self._dropped(self.visible)
                if not dropped:
                    kept.append(self.head)
                self.after_dropped = dropped
                self.head = self.visible = ""
            else:
                self.visible += char
                if self.visible == "!":
                    self.suppressed = True
                elif not self._may_be_dropped(self.visible):
                    kept.append(self.head)
                    self.after_dropped = False
                    self.head = self.visible = ""
                    self.holding = False
        return "".join(kept)

    def finish(self) -> str:
        held = "" if self.suppressed or self._dropped(self.visible) else self.head
        self.head = self.visible = ""
        return held


def _problem(returncode: int, stopped: str | None, output: str, errors: str) -> str:
    if stopped and stopped not in ("KeyboardInterrupt", "Exit"):
        return stopped.strip()
    usage = _usage_error(errors)
    if usage:
        return usage
    tail = (errors.strip() or output.strip()).splitlines()[-15:]
    return "\n".join(tail) or f"pytest exited with code {returncode}"


def _usage_error(errors: str) -> str | None:
    """pytest prints a usage error as 'ERROR: <message>' on stderr, then its ini and root folder."""
    lines = errors.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("ERROR: "):
            message = [line[len("ERROR: ") :]]
            for more in lines[index + 1 :]:
                if not more.strip() or more.startswith(("  inifile:", "  rootdir:")):
                    break
                message.append(more)
            return "\n".join(message).strip()
    return None
