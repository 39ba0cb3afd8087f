"""The warm server (sqs_kata.warm_server): `sqs-kata check` run by a fork of a process that imported pytest,
boto3 and moto ahead. What it must keep: the same verdict as a new interpreter, every edit seen, a crash or
Ctrl-C or a dying command costing only that run, nothing left behind, and no server unless one is wanted.

Each test has its own TMPDIR, so its own socket folder: the servers of other tests (or of the person running
the selftests) are never seen, asked or stopped.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sqs_kata import PROJECT_ROOT, warm, warm_server

pytestmark = pytest.mark.skipif(not warm.available(), reason="the warm server forks: Linux only")

ONE = "tests/test_01_course_mission.py"


class Kata:
    """`sqs-kata` as a learner's terminal would run it, with this test's socket folder."""

    def __init__(self, tmp: Path, **env: str) -> None:
        self.env = {
            **os.environ,
            "TMPDIR": str(tmp),
            "SQS_KATA_WARM": "1",  # as at a terminal: the selftests' output is a pipe
            "SQS_KATA_WARM_IDLE": "60",
            "SQS_KATA_LANG": "en",
            "SQS_KATA_BACKENDS": "moto",  # the warm server is for in-process moto; CI's selftests name three
            **env,
        }
        self.env.pop("PYTEST_XDIST_WORKER", None)

    def __call__(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "sqs_kata.cli", *args], cwd=PROJECT_ROOT, env=self.env,
                              capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "sqs_kata.cli", *args], cwd=PROJECT_ROOT, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)

    def servers(self) -> list[dict]:
        return _in_env(self.env, warm_server.servers)

    def wait_for_server(self, served: int | None = None, seconds: float = 60) -> dict:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = self.servers()
            if found and (served is None or found[0]["served"] >= served):
                return found[0]
            time.sleep(0.2)
        raise AssertionError(f"no warm server answered within {seconds:g} s: {self.servers()}")

    def stop(self) -> None:
        _in_env(self.env, warm_server.stop_all)

    def folder(self) -> Path:
        return Path(self.env["TMPDIR"]) / f"sqs-kata-warm-{os.getuid()}"


def _in_env(env: dict[str, str], call):
    """warm_server's own functions, looking in the test's socket folder (tempfile reads TMPDIR once)."""
    saved = tempfile.tempdir
    tempfile.tempdir = env["TMPDIR"]
    try:
        return call()
    finally:
        tempfile.tempdir = saved


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has ended: the server reaps its forks, the test reaps nothing.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(")")[-1].split()[0] != "Z"


def _gone(pid: int, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A TMPDIR of this test's own, short: a Unix socket's path has at most 107 bytes, and tmp_path's are long."""
    folder = Path(tempfile.mkdtemp(prefix="skw-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def kata(short_tmp) -> Iterator[Kata]:
    kata = Kata(short_tmp)
    yield kata
    servers = kata.servers()
    kata.stop()
    for server in servers:
        assert _gone(server["pid"]), f"warm server {server['pid']} still runs after --stop"
    assert not list(kata.folder().glob("*")), "a socket or lock file was left behind"


@pytest.fixture
def learner(tmp_path) -> Path:
    folder = tmp_path / "mine"
    shutil.copytree(PROJECT_ROOT / "solutions", folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def _break_greet(folder: Path, body: str) -> None:
    path = folder / "01_course_mission.py"
    text = path.read_text()
    start = text.index("def greet(")
    end = text.index("\ndef ", start + 1)
    path.write_text(text[:start] + f"def greet(message):\n{body}\n\n" + text[end:])


def test_a_warm_run_gives_the_verdict_a_new_interpreter_gives_and_sees_every_edit(kata, learner):
    target = f"--kata-target={learner}"
    cold = kata("check", "1", target)
    assert cold.returncode == 0 and "14 passed" in cold.stdout, cold.stdout + cold.stderr
    kata.wait_for_server()
    warm_run = kata("check", "1", target)
    assert kata.servers()[0]["served"] == 1, "the second check was not run by the warm server"
    assert warm_run.returncode == 0 and "14 passed" in warm_run.stdout, warm_run.stdout + warm_run.stderr

    _break_greet(learner, '    return "Hello!"')  # the learner saves a mistake
    broken = kata("check", "1", target)
    assert broken.returncode == 1 and "greet(" in broken.stdout and "seen    : 'Hello!'" in broken.stdout, broken.stdout
    assert kata.servers()[0]["served"] == 2


def test_learner_code_that_ends_the_fork_costs_only_that_run(kata, learner):
    target = f"--kata-target={learner}"
    kata("check", "1", target)
    server = kata.wait_for_server()
    _break_greet(learner, "    import os\n    os._exit(0)")
    ended = kata("check", "1", target)
    assert ended.returncode == 1 and "os._exit" in ended.stdout + ended.stderr, ended.stdout + ended.stderr
    assert "passed" not in ended.stdout.splitlines()[-1]
    after = kata.servers()
    assert after and after[0]["pid"] == server["pid"] and after[0]["served"] == 1, after


@pytest.mark.parametrize("how", ["ctrl-c", "killed"])
def test_a_command_interrupted_or_killed_ends_its_fork(kata, learner, how):
    target = f"--kata-target={learner}"
    kata("check", "1", target)
    kata.wait_for_server()
    _break_greet(learner, "    import time\n    time.sleep(120)")
    command = kata.start("check", "1", target, "--timeout=300")
    deadline = time.monotonic() + 60
    while not (running := kata.servers()[0]["running"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert running, "the check never reached the warm server"
    time.sleep(1)  # into the sleeping test
    command.send_signal(signal.SIGINT if how == "ctrl-c" else signal.SIGKILL)
    command.communicate(timeout=60)
    if how == "ctrl-c":
        assert command.returncode == 130
    assert _gone(running[0]), f"the fork {running[0]} still runs after the command was {how}"
    assert kata.servers()[0]["running"] == []


def test_a_server_whose_sources_changed_steps_aside(kata, learner):
    target = f"--kata-target={learner}"
    kata("check", "1", target)
    first = kata.wait_for_server()
    source = PROJECT_ROOT / "sqs_kata" / "meter.py"
    before = source.stat()
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    try:
        stale = kata("check", "1", target)
        assert stale.returncode == 0 and "14 passed" in stale.stdout, stale.stdout + stale.stderr
        assert _gone(first["pid"]), "the stale server did not end"
        second = kata.wait_for_server()
        assert second["pid"] != first["pid"] and second["served"] == 0, "the stale server ran the check"
    finally:
        os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_an_idle_server_ends_by_itself(short_tmp, learner):
    # Idle from the end of its preload, which happens while the first (cold) check still runs: long enough for
    # that check to end first on a busy machine, short enough to wait for.
    kata = Kata(short_tmp, SQS_KATA_WARM_IDLE="15")
    kata("check", "1", f"--kata-target={learner}")
    server = kata.wait_for_server()
    assert _gone(server["pid"], seconds=60), "the idle server did not end"
    assert not list(kata.folder().glob("*")), "a socket or lock file was left behind"


@pytest.mark.parametrize("setting", ["", "0"])
def test_no_server_starts_unless_wanted(short_tmp, learner, setting):
    # "": a script or CI (no terminal); "0": never, even at a terminal.
    kata = Kata(short_tmp, SQS_KATA_WARM=setting)
    result = kata("check", "1", f"--kata-target={learner}")
    assert result.returncode == 0, result.stdout + result.stderr
    time.sleep(3)  # long enough for a started server to answer
    assert kata.servers() == []
    assert "No warm server is running" in kata("warm").stdout


def test_a_wedged_server_does_not_hang_the_command(kata, learner):
    target = f"--kata-target={learner}"
    kata("check", "1", target)
    server = kata.wait_for_server()
    os.kill(server["pid"], signal.SIGSTOP)  # it accepts connections (the kernel does) and never answers
    try:
        result = kata("check", "1", target, timeout=120)
    finally:
        os.kill(server["pid"], signal.SIGCONT)
    assert result.returncode == 0 and "14 passed" in result.stdout, result.stdout + result.stderr
    assert kata.servers()[0]["served"] == 0, "the wedged server ran it after all"
