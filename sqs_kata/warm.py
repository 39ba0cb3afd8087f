"""A warm start for re-runs: the heavy libraries imported once, each run of pytest a fork of this process.

    warm.preload()                          # once: pytest, boto3, moto, Hypothesis, the kata's plugin
    process = warm.fork_pytest(args, env, cwd)   # like subprocess.Popen([python, -m, pytest, *args]):
    process.stdout / .stderr / .wait() / .returncode   stdout and stderr are pipes to this process

`sqs-kata watch` preloads while the learner reads the first verdict; every save is then graded by a fork
that only imports the test file and the learner's module -- fresh each time, so an edit is always seen --
and runs the tests. The child is a process of its own, as the subprocess was: an endless loop meets the
per-test time limit, and os._exit() or a crash ends the child, never the watcher.

Linux only: elsewhere (macOS's system libraries are not safe to use after fork() in a process with
threads; Windows has no fork) `available()` is False and the runner starts a new interpreter.
"""

from __future__ import annotations

import gc
import importlib
import io
import os
import sys
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, NoReturn

# What a kata run imports: heavy to import, untouched by a run until it forks (the kata's own modules hold no
# state between runs). The test files and the learner's modules are never preloaded.
PRELOADED = (
    "pytest",
    "_pytest.assertion.rewrite",
    "xdist.plugin",
    "pytest_timeout",
    "boto3",
    "botocore.session",
    "moto",
    "moto.sqs.models",
    "moto.sqs.responses",
    "moto.core.botocore_stubber",
    "hypothesis",
    "time_machine",
    "sqs_kata.plugin",
    "sqs_kata.observe",
    "sqs_kata.properties",
    "sqs_kata.results",
)

_preloaded = False


def available() -> bool:
    # SQS_KATA_WARM=0: always start a new interpreter (to compare, or if a fork ever misbehaves).
    return sys.platform == "linux" and hasattr(os, "fork") and os.environ.get("SQS_KATA_WARM") != "0"


def preloaded() -> bool:
    return _preloaded


def preload(*, moto: bool = False) -> None:
    """Import what every run needs; with `moto` (the runs use in-process moto only), also switch on the mock
    and make one request through it, so every fork starts with moto's one-time set-up done."""
    global _preloaded
    if _preloaded or not available():
        return
    for name in PRELOADED:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional plugin that is not installed: the run does without it too
            pass
    if moto:
        _warm_up_moto()
    # Everything so far lives as long as this process: the forks' garbage collections (pytest runs several at
    # its end) need not walk it again, and its memory pages stay shared with every fork.
    gc.freeze()
    _preloaded = True


def _warm_up_moto() -> None:
    """mock_aws's ~1,300 URL patterns, the list of AWS regions (a 1 MB JSON file) and SQS's first dispatch:
    the costs of moto's first request. The forks inherit the mock switched on; each test resets SQS."""
    from moto.sqs.models import sqs_backends

    from sqs_kata.backends import MotoBackend

    backend = MotoBackend()
    with backend.test_scope():
        client = backend.client()
        url = client.create_queue(QueueName="sqs-kata-warm-up")["QueueUrl"]
        client.delete_queue(QueueUrl=url)
    backend.close_clients()
    sqs_backends.reset()


class ForkedPytest:
    """The parts of subprocess.Popen the runner uses, for a forked child running pytest.main()."""

    def __init__(self, pid: int, stdout: IO[bytes], stderr: IO[bytes], gate: int | None = None) -> None:
        self.pid = pid
        self.stdout = stdout
        self.stderr = stderr
        self.returncode: int | None = None
        self._gate = gate  # the write end of a gated child's gate (see fork_pytest)

    def open_gate(self) -> None:
        """A gated child runs its tests now."""
        if self._gate is not None:
            try:
                os.write(self._gate, b"g")
            except BrokenPipeError:
                pass  # the child ended before its gate (pytest could not start): its output says why
            os.close(self._gate)
            self._gate = None

    def cancel(self) -> None:
        """A gated child that was not needed ends without running a test."""
        if self._gate is not None:
            os.close(self._gate)  # the child reads end-of-file at its gate and ends quietly
            self._gate = None
        self.stdout.close()
        self.stderr.close()
        self.wait()

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)  # -N for signal N, as Popen says it
        return self.returncode


def fork_pytest(args: Sequence[str], env: Mapping[str, str], cwd: Path, *, gated: bool = False) -> ForkedPytest:
    """Run `pytest *args` in a fork of this (preloaded) process, with `env` and `cwd`, its output piped here.

    `gated`: the child configures pytest and collects the tests, then waits at a gate (sqs_kata.gate) until
    open_gate() -- a run made ready before it is needed, so a save is graded without those steps. The learner's
    code is imported only when a test runs, so it is read after the gate opens. Only one gated child may wait
    at a time, and no other fork may be made meanwhile: a fork would keep a copy of the gate open."""
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    gate_read, gate_write = os.pipe() if gated else (None, None)
    if gate_read is not None:
        args = ["-p", "sqs_kata.gate", *args]
        env = {**env, GATE_VARIABLE: str(gate_read)}
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # or the child would print what this process had buffered a second time
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(out_read)
        os.close(err_read)
        if gate_write is not None:
            os.close(gate_write)
        run_pytest_on(args, env, cwd, out_write, err_write)
    os.close(out_write)
    os.close(err_write)
    if gate_read is not None:
        os.close(gate_read)
    return ForkedPytest(pid, os.fdopen(out_read, "rb"), os.fdopen(err_read, "rb"), gate_write)


GATE_VARIABLE = "SQS_KATA_GATE_FD"


def run_pytest_on(args: Sequence[str], env: Mapping[str, str], cwd: Path, out: int, err: int) -> NoReturn:
    """In a fresh fork: run pytest with `out` and `err` as its stdout and stderr, then end the process."""
    # The child stays in the terminal's process group, as the subprocess did: Ctrl-C reaches it too.
    code = 3  # pytest's INTERNAL_ERROR, if even starting it fails
    try:
        os.dup2(out, 1)
        os.dup2(err, 2)
        os.close(out)
        os.close(err)
        sys.stdin = open(os.devnull)  # as the subprocess had (stdin=DEVNULL)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", write_through=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", write_through=True)
        os.environ.clear()
        os.environ.update(env)
        os.chdir(cwd)
        import pytest

        # Plugins imported before pytest started cannot have their asserts rewritten; none of them needs it.
        code = int(pytest.main(["-W", "ignore::pytest.PytestAssertRewriteWarning", *args]))
    except BaseException:  # noqa: BLE001 -- whatever happened, the child must end here, never return
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
