"""Parallel grading (pytest-xdist): every worker grades against ONE server that the controller started.

`sqs-kata grade` and `check` run the tests of a live backend on several workers (sqs_kata.runner,
LIVE_WORKERS); sqs_kata.shared_servers starts the server once and hands its address to each worker. Tests
stay apart on the shared server through their own queue-name prefixes: here the real graded tests run side
by side on one server, pass, and leave no queue behind. The backends come from SQS_KATA_BACKENDS (CI:
moto, moto-server and elasticmq).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from child_processes import with_plugins
from sqs_kata import PROJECT_ROOT, manifest, messages
from sqs_kata.backends import MotoServerBackend

BACKENDS = [b.strip() for b in os.environ.get("SQS_KATA_BACKENDS", "moto").split(",") if b.strip()]
SERVERS = [b for b in BACKENDS if b not in ("moto", "aws")] or ["moto-server"]
# Queues, messages and purges: the exercises where one test's calls could touch another's on a shared server.
SHARED_SERVER_TESTS = ["tests/test_02_queues.py", "tests/test_03_messages.py", "tests/test_08_batches.py",
                       "tests/test_12_purge.py"]


def census(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


@pytest.mark.parametrize("backend", SERVERS)
def test_the_controller_starts_one_server_and_every_worker_grades_on_it(kata_runner, tmp_path, backend):
    log = tmp_path / "census.jsonl"
    code, records, output = kata_runner(
        "-n", "3", "-p", "server_census", f"--sqs-backend={backend}", "--kata-target=solutions",
        "tests/test_02_queues.py", "tests/test_12_purge.py",
        env=with_plugins({"SQS_KATA_CENSUS": str(log)}))
    entries = census(log)
    starts = [e for e in entries if "started" in e]
    tests = [e for e in entries if "test" in e]
    assert code == 0, output[-3000:]
    assert len(starts) == 1, f"one server for the whole run, not one per worker: {starts}"
    assert {e["endpoint"] for e in tests} == {starts[0]["endpoint"]}, "every test used the controller's server"
    assert starts[0]["pid"] not in {e["pid"] for e in tests}, "the controller started it, not a worker"
    assert len({e["worker"] for e in tests}) >= 2, f"the tests ran on several workers: {tests}"
    assert len(records) == len(tests) and all(r["outcome"] == "passed" for r in records)
    assert all(r.get("test_code") for r in records), "each record still carries its test's code"


@pytest.fixture
def moto_server():
    server = MotoServerBackend()
    server.start()
    try:
        yield server
    finally:
        server.close_clients()
        server.stop()


def test_tests_side_by_side_on_one_server_pass_and_leave_no_queue(kata_runner, moto_server):
    code, records, output = kata_runner("-n", "4", f"--sqs-backend={moto_server.endpoint_url}",
                                        "--kata-target=solutions", *SHARED_SERVER_TESTS)
    assert code == 0, output[-3000:]
    assert len(records) >= 40 and {r["outcome"] for r in records} <= {"passed", "skipped"}
    assert moto_server.client().list_queues().get("QueueUrls", []) == []


ENDS_THE_PROCESS = '''

def fits_in_one_message(body):
    import os
    os._exit(3)
'''


def test_learner_code_that_ends_a_worker_costs_only_its_own_tests(kata_runner, tmp_path):
    folder = tmp_path / "learner"
    folder.mkdir()
    for exercise in manifest.load():
        source = PROJECT_ROOT / "solutions" / exercise.filename
        extra = ENDS_THE_PROCESS if exercise.number == 3 else ""
        (folder / exercise.filename).write_text(source.read_text(encoding="utf-8") + extra, encoding="utf-8")
    code, records, output = kata_runner("-n", "2", "--sqs-backend=moto", "--lang=en", f"--kata-target={folder}",
                                        "tests/test_03_messages.py", "tests/test_02_queues.py")
    ended = [r for r in records if r["outcome"] == "error"]
    assert code == 1, output[-3000:]
    assert ended and all("test_03_messages" in r["nodeid"] for r in ended)
    messages.set_language("en")
    try:
        assert all(r["message"] == messages.worker_ended(r["nodeid"]) for r in ended), ended[0]["message"]
    finally:
        messages.set_language(None)
    assert all(r["outcome"] == "passed" for r in records if "test_02_queues" in r["nodeid"])
