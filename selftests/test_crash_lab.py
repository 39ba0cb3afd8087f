"""The crash test (exercise 20) really kills a worker process, and leaves no process behind, even when it fails.

Each run's PIDs are printed (`pytest -s` or `-rP` shows them): the first worker is SIGKILLed mid-batch, a second
one finishes, and afterwards neither process exists. A worker that makes no progress, and one
whose learner code raises, are killed too and reported in one message.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from sqs_kata import PROJECT_ROOT
from test_learner_faults import replace_function

BACKENDS = [b for b in os.environ.get("SQS_KATA_BACKENDS", "moto").split(",") if b.strip()]
TEST_FILE = "tests/test_20_crash_recovery.py"
PIDS = re.compile(r"PID (\d+)(?: \((\w+)\))?")


def _pids(record: dict) -> list[tuple[int, str]]:
    return [(int(pid), sig) for pid, sig in PIDS.findall(record.get("workers", ""))]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_crash_test_kills_a_worker_mid_batch_and_a_second_one_finishes(kata_runner, backend):
    code, records, output = kata_runner("--kata-target=solutions", "--lang=en", "-s", TEST_FILE,
                                        env={"SQS_KATA_BACKENDS": backend})
    assert code == 0 and records, output[-3000:]
    (record,) = records
    assert record["outcome"] == "passed", record["message"]
    print(f"{backend}: {record['workers']}")  # the selftest log: which PIDs were killed and restarted
    line = re.search(r"workers: .*in flight at the kill", output)
    assert line, output[-2000:]
    print(f"{backend}: {line.group(0)}")
    (killed, how), (restarted, _) = _pids(record)
    assert how == "SIGKILL" and killed != restarted, record["workers"]
    assert int(line.group(0).rsplit("; ", 1)[1].split()[0]) >= 1, line.group(0)  # it died holding messages
    assert _gone(killed) and _gone(restarted), record["workers"]


def _target(root: Path, source: str) -> Path:
    target = root / "target"
    shutil.copytree(PROJECT_ROOT / "solutions", target)
    path = target / "20_crash_recovery.py"
    path.write_text(replace_function(path.read_text(encoding="utf-8"), "run_worker", source), encoding="utf-8")
    return target


def test_a_worker_that_makes_no_progress_is_reported_and_killed(kata_runner, tmp_path):
    """The grader waits while the worker makes progress; stalled for 20 s, it says what it saw. The worker's
    process group is killed in the lab's teardown, as after any failure or timeout."""
    target = _target(tmp_path, '''\
def run_worker(sqs, queue_url, dynamodb, table, handle, wait_seconds=1):
    import time
    while True:  # never gets anywhere
        time.sleep(1)
''')
    _, records, output = kata_runner(f"--kata-target={target}", "--lang=en", TEST_FILE,
                                     env={"SQS_KATA_BACKENDS": "moto"})
    (record,) = records
    assert record["outcome"] == "failed", output[-2000:]
    message = record["message"]
    assert "had no new effect for 20 s, short of its 37th" in message and "0 effects" in message, message
    assert "Traceback" not in message, message
    print(record["workers"])
    pids = _pids(record)
    assert pids and all(_gone(pid) for pid, _ in pids), record["workers"]


def test_a_worker_whose_code_raises_gives_one_message(kata_runner, tmp_path):
    target = _target(tmp_path, '''\
def run_worker(sqs, queue_url, dynamodb, table, handle, wait_seconds=1):
    raise RuntimeError("cannot start the worker")
''')
    _, records, output = kata_runner(f"--kata-target={target}", "--lang=en", TEST_FILE,
                                     env={"SQS_KATA_BACKENDS": "moto"})
    (record,) = records
    message = record["message"]
    assert record["outcome"] == "failed", output[-2000:]
    assert "raised RuntimeError: cannot start the worker" in message and "(in run_worker)" in message, message
    assert "Traceback" not in message and "Traceback" not in output, output[-2000:]
    assert all(_gone(pid) for pid, _ in _pids(record)), record["workers"]
