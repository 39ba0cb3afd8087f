"""A warm server for `sqs-kata check`, `grade` and the board: pytest already imported, each run a fork of it.

    process = warm_server.run_pytest(args, env, cwd)   # a RemotePytest, or None: run a new interpreter
    process.stdout / .stderr / .wait() / .returncode / .interrupt()

A cold `sqs-kata check 1` spends most of its time starting Python and importing pytest, boto3 and moto
before the first test runs. The first interactive command therefore starts, beside its own cold run, a small
server in the background (`python -m sqs_kata.warm_server`) that imports all that once (sqs_kata.warm.preload)
and waits on a Unix socket. Later commands send it their pytest arguments, environment and two pipe ends; it
forks, and the fork runs pytest with those pipes as its stdout and stderr, as the subprocess would have. The
learner's files and the test files are imported by each fork, fresh, so an edit is always seen.

What keeps it honest:
- the socket's name is a digest of the project's folder, the interpreter and the few environment variables
  read when the preloaded modules are imported; a server whose sources changed since it started (the kata's
  own modules, kata.toml, an installed package) answers "stale" and ends, and the command starts Python anew;
- it ends by itself after IDLE_SECONDS without a request (SQS_KATA_WARM_IDLE), and on `sqs-kata warm --stop`;
- it starts only when the command runs in a terminal (a learner typing), or with SQS_KATA_WARM=1; never
  with SQS_KATA_WARM=0, in scripts, CI or a class grading run (which want no process left behind);
- Ctrl-C in the terminal is passed on to the fork (it is not in the terminal's process group), and a
  command that dies makes the server interrupt its fork.

Linux only, like sqs_kata.warm: elsewhere run_pytest() returns None and nothing starts.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import select
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqs_kata import PROJECT_ROOT, warm

IDLE_SECONDS = 600.0  # a learner reading a failure, editing and saving comes back well within ten minutes
# Read by modules the server imports once, so a different value needs a server of its own.
IMPORT_TIME_ENVIRONMENT = ("PYTHONPATH", "PYTHONHOME", "SQS_KATA_ELASTICMQ_IMAGE", "SQS_KATA_ELASTICMQ_CDS")
CONNECT_SECONDS = 0.5
LOCK_WAIT_SECONDS = 3.0
ANSWER_SECONDS = 20.0  # for the fork's pid: a server still preloading answers within a few seconds


# --- Where a server listens ------------------------------------------------------------------------


def folder() -> Path:
    """This user's folder of sockets, private (0700): only its owner may ask a server to run code."""
    path = Path(tempfile.gettempdir()) / f"sqs-kata-warm-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise PermissionError(f"{path} is not a private folder of this user")
    return path


def fingerprint() -> str:
    """What the server's preloaded modules were made of: the kata's sources and the installed packages."""
    digest = hashlib.sha256()
    sources = sorted((PROJECT_ROOT / "sqs_kata").rglob("*.py"))
    sources += [PROJECT_ROOT / name for name in ("conftest.py", "kata.toml", "pyproject.toml")]
    # A site-packages folder's own time changes whenever a package is installed, upgraded or removed.
    sources += [Path(p) for p in sys.path if p.endswith("-packages")]
    for path in sources:
        with contextlib.suppress(OSError):
            info = path.stat()
            digest.update(f"{path}\0{info.st_mtime_ns}\0{info.st_size}\n".encode())
    return digest.hexdigest()


def key(env: Mapping[str, str]) -> str:
    """The name of the server that may run pytest for a command with this environment."""
    digest = hashlib.sha256()
    for part in (str(PROJECT_ROOT), sys.executable, sys.version):
        digest.update(part.encode() + b"\0")
    for name in IMPORT_TIME_ENVIRONMENT:
        digest.update(f"{name}={env.get(name, '')}\0".encode())
    return digest.hexdigest()[:24]


def socket_path(server_key: str) -> Path:
    return folder() / f"{server_key}.sock"


def wanted(env: Mapping[str, str] = os.environ) -> bool:
    """Start a server when none answers? Only for a learner at a terminal, or when asked (SQS_KATA_WARM=1)."""
    setting = env.get("SQS_KATA_WARM", "").strip()
    if setting == "0" or not warm.available():
        return False
    if setting == "1":
        return True
    return sys.stdin.isatty() and sys.stdout.isatty()


# --- The command's side --------------------------------------------------------------------------


@dataclass
class RemotePytest:
    """The parts of subprocess.Popen the runner uses, for pytest run by a fork of the warm server."""

    pid: int
    stdout: IO[bytes]
    stderr: IO[bytes]
    channel: socket.socket
    returncode: int | None = None
    _answers: list[dict[str, Any]] = field(default_factory=list)

    def wait(self) -> int:
        if self.returncode is None:
            answer = _read_answer(self.channel, self._answers)
            self.channel.close()
            # No answer: the server itself died (killed); say so as a crash of the run, never as a pass.
            self.returncode = int(answer["returncode"]) if answer and "returncode" in answer else -signal.SIGKILL
        return self.returncode

    def interrupt(self) -> None:
        """Ctrl-C reaches the terminal's process group; the fork is in the server's, so pass it on."""
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGINT)


def run_pytest(args: Sequence[str], env: Mapping[str, str], cwd: Path) -> RemotePytest | None:
    """Run `pytest *args` in a fork of the warm server, or None when no server can (then maybe start one)."""
    if not warm.available() or env.get("SQS_KATA_WARM", "").strip() == "0":
        return None
    try:
        server_key = key(env)
        path = socket_path(server_key)
    except OSError:
        return None
    channel = _connect(path)
    if channel is None:
        if wanted(env):
            start(server_key, env)
        return None
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    try:
        request = json.dumps({"args": list(args), "env": dict(env), "cwd": str(cwd)}).encode() + b"\n"
        socket.send_fds(channel, [request[:65536]], [out_write, err_write])
        if len(request) > 65536:
            channel.sendall(request[65536:])
        answers: list[dict[str, Any]] = []
        channel.settimeout(ANSWER_SECONDS)  # a wedged server (stopped, swapping) must not hang the command
        answer = _read_answer(channel, answers)
        channel.settimeout(None)
    except OSError:
        answer = None
    finally:
        os.close(out_write)
        os.close(err_write)
    if not answer or "pid" not in answer:  # "stale", or the server went away: this run starts Python anew
        channel.close()
        os.close(out_read)
        os.close(err_read)
        if answer and answer.get("stale") and wanted(env):
            start(key(env), env)
        return None
    return RemotePytest(
        int(answer["pid"]), os.fdopen(out_read, "rb"), os.fdopen(err_read, "rb"), channel, _answers=answers
    )


def start(server_key: str, env: Mapping[str, str]) -> None:
    """Start a server in the background, in a session of its own (Ctrl-C in the terminal is not for it)."""
    with contextlib.suppress(OSError):
        subprocess.Popen(
            [sys.executable, "-m", "sqs_kata.warm_server", server_key],
            cwd=PROJECT_ROOT,
            env={k: v for k, v in env.items() if k not in ("COLUMNS", "SQS_KATA_LANG")},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )


def servers() -> list[dict[str, Any]]:
    """The servers of this user that answer, with what each says of itself."""
    found = []
    with contextlib.suppress(OSError):
        for path in sorted(folder().glob("*.sock")):
            channel = _connect(path)
            if channel is None:
                continue
            with channel:
                with contextlib.suppress(OSError):
                    channel.sendall(b'{"status": true}\n')
                    answer = _read_answer(channel, [])
                    if answer:
                        found.append(answer)
    return found


def stop_all() -> int:
    """Ask every server of this user to end; how many were asked."""
    stopped = 0
    with contextlib.suppress(OSError):
        for path in sorted(folder().glob("*.sock")):
            channel = _connect(path)
            if channel is None:
                continue
            with channel, contextlib.suppress(OSError):
                channel.sendall(b'{"stop": true}\n')
                _read_answer(channel, [])
                stopped += 1
    return stopped


def _connect(path: Path) -> socket.socket | None:
    channel = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    channel.settimeout(CONNECT_SECONDS)
    try:
        channel.connect(str(path))
    except OSError:  # no such socket, or a socket left by a server that died
        channel.close()
        return None
    channel.settimeout(None)
    return channel


def _read_answer(channel: socket.socket, buffered: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The next JSON line the other side sent, or None when it closed first."""
    if buffered:
        return buffered.pop(0)
    data = b""
    while b"\n" not in data:
        try:
            chunk = channel.recv(65536)
        except OSError:
            return None
        if not chunk:
            return None
        data += chunk
    try:
        lines = [json.loads(line) for line in data.split(b"\n") if line.strip()]
    except ValueError:  # not the server's answer: treat it as no answer
        return None
    buffered.extend(lines[1:])
    return lines[0]


# --- The server's side ---------------------------------------------------------------------------


@dataclass
class _Job:
    pid: int
    pidfd: int
    channel: socket.socket | None  # None once the command that asked for it has gone


class _Server:
    def __init__(self, server_key: str, idle: float, lock: int) -> None:
        self.key = server_key
        self.lock = lock  # the forks must not hold it: it says whether a server runs
        self.idle = idle
        self.path = socket_path(server_key)
        self.made_of = fingerprint()
        self.jobs: dict[int, _Job] = {}  # by pidfd
        self.served = 0
        self.last = time.monotonic()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)

    def listen(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()  # left by a server that died: the lock says none holds it now
        self.listener.bind(str(self.path))
        self.listener.listen(8)

    def serve(self) -> None:
        self.last = time.monotonic()  # idle from now: the preload is not the learner's time
        try:
            while self.jobs or time.monotonic() - self.last < self.idle:
                left = max(0.1, self.idle - (time.monotonic() - self.last))
                commands = {job.channel: job for job in self.jobs.values() if job.channel is not None}
                waiting: list[Any] = [self.listener, *self.jobs, *commands]  # sockets and pidfds
                ready, _, _ = select.select(waiting, [], [], left)
                for item in ready:
                    if item is self.listener:
                        if not self._accept():
                            return
                    elif isinstance(item, int):
                        self._finished(item)
                    elif item in commands and commands[item].pidfd in self.jobs:
                        self._command_gone(commands[item])
        finally:
            self._close()

    def _accept(self) -> bool:
        """Take one request; False when the server must end (asked to stop, or its sources changed)."""
        channel, _ = self.listener.accept()
        channel.settimeout(5)
        try:
            data, fds, _, _ = socket.recv_fds(channel, 65536, 2)
            while data and not data.endswith(b"\n"):
                more = channel.recv(65536)
                if not more:
                    break
                data += more
            request = json.loads(data or b"{}")
        except (OSError, ValueError):
            channel.close()
            return True
        if request.get("stop"):
            with contextlib.suppress(OSError):
                channel.sendall(b'{"stopped": true}\n')
            channel.close()
            return False
        if request.get("status"):
            status = {
                "pid": os.getpid(),
                "key": self.key,
                "root": str(PROJECT_ROOT),
                "served": self.served,
                "idle": self.idle,
                "running": sorted(job.pid for job in self.jobs.values()),
            }
            with contextlib.suppress(OSError):
                channel.sendall(json.dumps(status).encode() + b"\n")
            channel.close()
            return True
        if len(fds) != 2 or "args" not in request or _gone(channel):  # gone: it gave up waiting (a wedged server)
            for fd in fds:
                os.close(fd)
            channel.close()
            return True
        if fingerprint() != self.made_of:
            for fd in fds:
                os.close(fd)
            with contextlib.suppress(OSError):
                channel.sendall(b'{"stale": true}\n')
            channel.close()
            return False
        self.last = time.monotonic()  # only a run counts as use: `sqs-kata warm` asking does not keep it alive
        self._fork(request, fds, channel)
        return True

    def _fork(self, request: dict[str, Any], fds: list[int], channel: socket.socket) -> None:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        pid = os.fork()
        if pid == 0:  # the fork: it never returns
            os.close(self.lock)
            self.listener.close()
            for job in self.jobs.values():
                os.close(job.pidfd)
                if job.channel is not None:
                    job.channel.close()
            channel.close()
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            warm.run_pytest_on(request["args"], request["env"], Path(request["cwd"]), fds[0], fds[1])
        for fd in fds:
            os.close(fd)
        self.served += 1
        channel.settimeout(None)
        try:
            channel.sendall(json.dumps({"pid": pid}).encode() + b"\n")
        except OSError:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGINT)
        pidfd = os.pidfd_open(pid)
        self.jobs[pidfd] = _Job(pid, pidfd, channel)

    def _finished(self, pidfd: int) -> None:
        job = self.jobs.pop(pidfd)
        _, status = os.waitpid(job.pid, 0)
        os.close(pidfd)
        if job.channel is not None:
            with contextlib.suppress(OSError):
                job.channel.sendall(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
            job.channel.close()
        self.last = time.monotonic()

    def _command_gone(self, job: _Job) -> None:
        """The command closed its end before its fork ended (it died): interrupt the fork, as Ctrl-C would."""
        assert job.channel is not None
        with contextlib.suppress(OSError):
            if job.channel.recv(1, socket.MSG_PEEK):
                return  # not gone: it sent something, which nothing expects
        job.channel.close()
        job.channel = None  # from now on, only the fork's end is waited for
        with contextlib.suppress(OSError):
            os.kill(job.pid, signal.SIGINT)

    def _close(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()
        self.listener.close()
        for job in self.jobs.values():
            with contextlib.suppress(OSError):
                os.kill(job.pid, signal.SIGINT)


def _gone(channel: socket.socket) -> bool:
    """The command closed its end already (nothing is sent after the request: only the end can be read)."""
    timeout = channel.gettimeout()
    channel.settimeout(0.0)  # a look, not a wait
    try:
        return channel.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        channel.settimeout(timeout)


@contextlib.contextmanager
def _only_server(server_key: str) -> Iterator[int | None]:
    """The lock's file descriptor for the one process that holds this key's lock, else None: two commands
    may start a server at once."""
    path = folder() / f"{server_key}.lock"
    with open(path, "w") as lock:
        # A stale server may still be ending when the command that heard "stale" starts the next one.
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    yield None
                    return
                time.sleep(0.05)
        try:
            yield lock.fileno()
        finally:
            path.unlink(missing_ok=True)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) != 1 or not warm.available():
        print("usage: python -m sqs_kata.warm_server KEY (started by sqs-kata itself)", file=sys.stderr)
        return 2
    server_key = argv[0]
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # its session has no terminal; `warm --stop` ends it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with _only_server(server_key) as lock:
        if lock is None:
            return 0
        idle = float(os.environ.get("SQS_KATA_WARM_IDLE") or IDLE_SECONDS)
        server = _Server(server_key, idle, lock)
        try:
            server.listen()  # a command that connects now waits for the preload, quicker than its own start
        except OSError:  # a socket path too long for AF_UNIX (a deep TMPDIR): commands start Python anew
            return 1
        warm.preload(moto=True)
        server.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
