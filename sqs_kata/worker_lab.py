"""The crash-recovery lab: the learner's worker run as real OS processes, killed and restarted by the grader.

    lab = WorkerLab(sqs_endpoint, place, learner_file, exercise=20, folder=tmp_path)
    url = lab.make_queue("orders", VisibilityTimeout="1")   # queues and tables of this lab, deleted at close()
    worker = lab.start("run_worker", url, table, block_after=37)
    worker.wait_blocked(...)                                 # the 37th effect is done; the worker waits mid-batch
    worker.kill()                                            # SIGKILL to its process group: no finally, no atexit
    lab.close()                                              # every process group killed, queues and tables gone

Each worker is `python -m sqs_kata.worker_process` in a session (process group) of its own, started with the
pinned environment: throwaway credentials, no profile or config file, and the loopback endpoints of this lab's
SQS and DynamoDB as the only places a client can reach. Its stdout and stderr go to a file, never to the
learner's screen: how a worker ended is told by one message (sqs_kata.worker_process).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest

from sqs_kata import PROJECT_ROOT, adoption, learner, messages
from sqs_kata.backends import CLIENT_CONFIG, PINNED_ENVIRONMENT, UNPINNED, make_session, sqs_client
from sqs_kata.dynamodb import Place


class Worker:
    """One worker process of the lab."""

    def __init__(self, process: subprocess.Popen[bytes], folder: Path) -> None:
        self.process = process
        self.pid = process.pid
        self.folder = folder
        self.killed_by: int | None = None  # the signal the grader ended it with

    @property
    def blocked(self) -> bool:
        return (self.folder / "blocked").is_file()

    def fault(self) -> str | None:
        """The learner message for how the learner's function ended, once the process has exited."""
        if self.process.poll() is None:
            return None
        path = self.folder / "fault"
        if path.is_file():
            return path.read_text(encoding="utf-8")
        log = (self.folder / "output.log").read_text(encoding="utf-8", errors="replace")[-800:]
        return messages.say(
            f"worker 程序（PID {self.pid}）自己結束了，結束碼 {self.process.returncode}：\n{log}",
            f"The worker process (PID {self.pid}) ended by itself with exit code {self.process.returncode}:\n{log}",
        )

    def not_implemented(self) -> str | None:
        """The learner's function, when the worker ended because it is still the stub."""
        path = self.folder / "fault.not_implemented"
        return path.read_text(encoding="utf-8") if self.process.poll() is not None and path.is_file() else None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """End the worker's whole process group (whatever it started too) and reap it."""
        if self.process.poll() is None:
            try:
                os.killpg(self.pid, sig)
            except ProcessLookupError:
                pass
            self.killed_by = sig
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


class WorkerLab:
    """Queues and tables on a server reachable from another process, and the worker processes that use them."""

    def __init__(
        self,
        sqs_endpoint: str,
        place: Place,
        learner_file: Path,
        *,
        exercise: int,
        folder: Path,
        prefix: str,
        seed: str,
    ) -> None:
        self.sqs_endpoint = sqs_endpoint
        self.place = place
        self.learner_file = learner_file
        self.exercise = exercise
        self.folder = folder
        self.prefix = prefix
        self.seed = zlib.crc32(seed.encode())
        with adoption.grader():
            self.sqs = sqs_client(make_session(), sqs_endpoint, CLIENT_CONFIG)
        self.dynamodb = place.client()
        self.workers: list[Worker] = []
        self._queues: list[str] = []
        self._tables: list[str] = []
        self.effects = folder / "effects.txt"
        self.effects.touch()
        self.receives = folder / "receives.txt"  # "MaxNumberOfMessages WaitTimeSeconds" of the workers' receives
        self.receives.touch()

    # ---- what the grader sets up and reads ------------------------------------------------------------
    def make_queue(self, suffix: str, **attributes: str) -> str:
        url = self.sqs.create_queue(QueueName=self.prefix + suffix, Attributes=attributes)["QueueUrl"]
        self._queues.append(url)
        return url

    def make_table(self, suffix: str) -> str:
        name = self.prefix + suffix
        self._tables.append(name)
        return self.place.create_table(name)

    def receives_asked(self) -> set[str]:
        return set(self.receives.read_text(encoding="utf-8").splitlines())

    def effects_done(self) -> list[str]:
        return self.effects.read_text(encoding="utf-8").splitlines()

    def counts(self, url: str) -> int:
        """Messages waiting plus in flight (SQS's approximate counts; asked again until they settle)."""
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        attributes = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
        return sum(int(attributes.get(n, 0)) for n in names)

    def in_flight(self, url: str) -> int:
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesNotVisible"]
        )["Attributes"]
        return int(attributes.get("ApproximateNumberOfMessagesNotVisible", 0))

    # ---- workers ----------------------------------------------------------------------------------------
    def start(
        self,
        function: str,
        queue_url: str,
        table: str,
        *,
        poison: str,
        block_after: int | None = None,
        wait_seconds: int = 1,
    ) -> Worker:
        folder = self.folder / f"worker-{len(self.workers) + 1}"
        folder.mkdir()
        config = {
            "file": str(self.learner_file),
            "exercise": self.exercise,
            "function": function,
            "queue_url": queue_url,
            "table": table,
            "effects": str(self.effects),
            "poison": poison,
            "block_after": block_after,
            "blocked": str(folder / "blocked"),
            "fault": str(folder / "fault"),
            "receives": str(self.receives),
            "wait_seconds": wait_seconds,
            "seed": self.seed + len(self.workers),
            "lang": messages.language(),
        }
        (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
        with open(folder / "output.log", "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "sqs_kata.worker_process", str(folder / "config.json")],
                cwd=PROJECT_ROOT,
                env=self._environment(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(process, folder)
        self.workers.append(worker)
        return worker

    def _environment(self) -> dict[str, str]:
        """This process's environment, pinned like every test's (sqs_kata.backends.PINNED_ENVIRONMENT)."""
        env = {k: v for k, v in os.environ.items() if k not in UNPINNED and not k.startswith("AWS_ENDPOINT_URL")}
        env.update(PINNED_ENVIRONMENT)
        env.update(
            AWS_ENDPOINT_URL_SQS=self.sqs_endpoint,
            AWS_ENDPOINT_URL=self.sqs_endpoint,
            AWS_ENDPOINT_URL_DYNAMODB=self.place.endpoint_url or "",
            PYTHONUNBUFFERED="1",
        )
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p)
        return env

    def wait(
        self,
        done: Callable[[], bool],
        workers: list[Worker],
        stalled: float,
        progress: Callable[[], object] = lambda: None,
    ) -> str | None:
        """Poll until done() (None), a worker ended by itself (its learner message), or `stalled` seconds passed
        without progress() changing (""). A slow machine only makes the wait longer, never the verdict."""
        last, deadline = progress(), time.monotonic() + stalled
        while time.monotonic() < deadline:
            if done():
                return None
            for worker in workers:
                fault = worker.fault()
                if fault is not None:
                    return fault
            time.sleep(0.05)
            now = progress()
            if now != last:
                last, deadline = now, time.monotonic() + stalled
        return None if done() else ""

    def fail(self, problem: str, note: str) -> NoReturn:
        """Fail the test with a worker's own end (`problem`, in the learner's words) and `note` (the PIDs). A stub's
        end fails it as learner.NotImplementedYet, as a stub called in the test's own process would."""
        message = f"{problem}\n  [{note}]"
        unfinished = next((w.not_implemented() for w in self.workers if w.not_implemented()), None)
        if unfinished:
            raise learner.NotImplementedYet(message, unfinished)
        pytest.fail(message, pytrace=False)

    def log(self) -> str:
        """What the lab did to its workers, for the test's record: `workers: PID 1 (SIGKILL) -> PID 2 (SIGKILL)`."""
        return pids_line(self.workers)

    def close(self) -> None:
        """Kill every worker's process group, then delete the lab's queues and tables (pass, fail or timeout)."""
        for worker in self.workers:
            worker.kill()
        for url in reversed(self._queues):
            try:
                self.sqs.delete_queue(QueueUrl=url)
            except Exception:  # noqa: BLE001 -- already gone, or the server is down: nothing left to do
                pass
        self.place.delete_tables(self.prefix, also=self._tables)
        self.sqs.close()


def pids_line(workers: list[Worker]) -> str:
    """`killed PID 123 (SIGKILL) -> restarted PID 456`: what the crash test did, for its log."""
    parts = []
    for worker in workers:
        how = f" ({signal.Signals(worker.killed_by).name})" if worker.killed_by else ""
        parts.append(f"PID {worker.pid}{how}")
    return "workers: " + " -> ".join(parts)


def describe(values: list[str], limit: int = 5) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" … (+{len(values) - limit})" if len(values) > limit else "")
