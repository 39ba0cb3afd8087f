"""Learner code is contained: it reaches only the backend under test, and its faults stay in its own test.

Each test grades a learner folder made from the reference solutions with one habit changed, the way a
learner might write it: a client of its own, a method replaced on the `sqs` it was given, a queue deleted
behind the grader's back (a stand-in for another learner on a shared server), a server that never answers.
The backends come from SQS_KATA_BACKENDS (CI: moto, moto-server and elasticmq).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sqs_kata import PROJECT_ROOT, manifest

EXERCISES = manifest.load()
BACKENDS = [b.strip() for b in os.environ.get("SQS_KATA_BACKENDS", "moto").split(",") if b.strip()]
# The backends that talk HTTP in this run (CI: moto-server and elasticmq); moto-server when none is named.
LIVE = [b for b in BACKENDS if b != "moto"] or ["moto-server"]

OWN_CLIENT = '''

# --- selftest: every function builds its own client instead of using the `sqs` it is given ---
import boto3 as _kata_boto3
import functools as _kata_functools
import inspect as _kata_inspect


def _kata_own_client(function):
    @_kata_functools.wraps(function)
    def with_own_client(sqs, *args, **kwargs):
        return function(_kata_boto3.client("sqs"), *args, **kwargs)
    return with_own_client


for _kata_name, _kata_value in list(globals().items()):
    if (_kata_inspect.isfunction(_kata_value) and not _kata_name.startswith("_")
            and list(_kata_inspect.signature(_kata_value).parameters)[:1] == ["sqs"]):
        globals()[_kata_name] = _kata_own_client(_kata_value)
'''


def learner_folder(folder: Path, changes: dict[int, str], everywhere: str = "") -> Path:
    """The reference solutions, with `changes[n]` appended to exercise n and `everywhere` to every file."""
    for exercise in EXERCISES:
        source = PROJECT_ROOT / "solutions" / exercise.filename
        if source.is_file():
            (folder / exercise.filename).write_text(
                source.read_text(encoding="utf-8") + changes.get(exercise.number, "") + everywhere, encoding="utf-8")
    return folder


def failures(records: list[dict]) -> list[dict]:
    return [r for r in records if r["outcome"] not in ("passed", "skipped")]


def shown(records: list[dict]) -> str:
    return "\n\n".join(f"{r['nodeid']}: {r['outcome']}\n{r['message'][:1500]}" for r in records)


# ---- a client of its own ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def own_client_run(kata_runner, tmp_path_factory, socket_audit):
    """The reference with every function building its own client, real-looking credentials and a profile set."""
    folder = learner_folder(tmp_path_factory.mktemp("own-client"), {}, OWN_CLIENT)
    audit = socket_audit()
    _, records, output = kata_runner(f"--kata-target={folder}", "-p", "socket_audit", "--lang=en", env=audit.env)
    assert records, output[-3000:]
    return records, audit


def test_a_learner_file_that_builds_its_own_client_is_graded_like_one_that_uses_sqs(own_client_run):
    records, _ = own_client_run
    assert not failures(records), shown(failures(records))
    assert {r["nodeid"].split("[")[-1].rstrip("]") for r in records} >= set(BACKENDS)


def test_a_learner_file_that_builds_its_own_client_reaches_only_loopback(own_client_run):
    _, audit = own_client_run
    assert audit.recorded(), "the socket audit recorded nothing"
    assert audit.off_loopback() == []


def test_a_failing_test_tells_a_learner_with_a_client_of_their_own_to_use_sqs(kata_runner, tmp_path):
    wrong = '''

def send_text(sqs, queue_url, text):  # sends nothing, through a client of its own
    import boto3
    boto3.client("sqs").get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])
    return "not-a-message-id"
'''
    folder = learner_folder(tmp_path, {1: wrong})
    _, records, output = kata_runner(f"--kata-target={folder}", "--lang=en", str(PROJECT_ROOT / EXERCISES[0].test_file),
                                     "-k", "send_text", env={"SQS_KATA_BACKENDS": "moto"})
    failed = failures(records)
    assert failed, output[-3000:]
    for record in failed:
        assert "built an SQS client of its own" in record["message"] and "use the `sqs` parameter" in record["message"], \
            record["message"]


# ---- a method replaced on the client it was given ---------------------------------------------------
REPLACES_SEND = '''

_reference_send_with_attributes = send_with_attributes


def send_with_attributes(sqs, *args, **kwargs):
    sqs.send_message = lambda **params: {"MessageId": "never-sent"}  # a test double, left on the client
    return _reference_send_with_attributes(sqs, *args, **kwargs)
'''


def test_a_method_replaced_on_sqs_fails_only_the_test_that_replaced_it(kata_runner, tmp_path):
    folder = learner_folder(tmp_path, {3: REPLACES_SEND})
    _, records, output = kata_runner(f"--kata-target={folder}", "--lang=en", env={"SQS_KATA_BACKENDS": "moto"})
    failed = failures(records)
    third = next(e for e in EXERCISES if e.number == 3)
    assert failed, output[-3000:]
    assert {r["exercise"] for r in failed} == {third.slug}, shown(failed)


# ---- a shared server where someone else deletes this test's queue ----------------------------------
DELETED_BEHIND_THE_GRADERS_BACK = '''

_reference_send_text = send_text


def send_text(sqs, queue_url, text):
    # Stands in for another learner on the same server: another process deletes this test's queue.
    import subprocess, sys
    subprocess.run([sys.executable, "-c", "import boto3, sys; boto3.client('sqs').delete_queue(QueueUrl=sys.argv[1])",
                    queue_url], check=True, timeout=60)
    return _reference_send_text(sqs, queue_url, text)
'''


def test_a_queue_deleted_by_someone_else_is_not_blamed_on_the_learner(kata_runner, tmp_path):
    folder = learner_folder(tmp_path, {1: DELETED_BEHIND_THE_GRADERS_BACK})
    _, records, output = kata_runner(f"--kata-target={folder}", "--lang=en", str(PROJECT_ROOT / EXERCISES[0].test_file),
                                     "-k", "send_text", env={"SQS_KATA_BACKENDS": ",".join(LIVE)})
    failed = failures(records)
    assert failed, output[-3000:]
    for record in failed:
        assert "was deleted by someone else" in record["message"] and "not your mistake" in record["message"], \
            record["message"]
        assert "Traceback" not in record["message"] and "raised" not in record["message"], record["message"]


# ---- a server that accepts connections and never answers -------------------------------------------
@pytest.fixture
def silent_server() -> Iterator[str]:
    """A socket that listens (the kernel completes connections) but whose owner never reads or answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_a_server_that_never_answers_stops_the_run_with_one_message(kata_runner, silent_server):
    code, records, output = kata_runner("--kata-target=solutions", "--lang=en", f"--sqs-backend={silent_server}",
                                        env={"SQS_KATA_BACKENDS": ""})
    assert records == [] and code == 4, output[-3000:]
    assert f"{silent_server} accepts connections but did not answer an SQS request" in output, output[-3000:]
    assert "not because of your code" in output and "Traceback" not in output, output[-3000:]


def test_the_cli_says_the_same_about_a_server_that_never_answers(tmp_path, silent_server):
    proc = subprocess.run([sys.executable, "-m", "sqs_kata.cli", "check", "1", "--lang", "en",
                           "--kata-target", "solutions", "--sqs-backend", silent_server],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SQS_KATA_STATE": str(tmp_path / "state.json")})
    said = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "accepts connections but did not answer" in said, said
    assert "Traceback" not in said, said


# ---- the test clients themselves (in-process) -------------------------------------------------------
def _fresh_clients():
    from sqs_kata.backends import make_session, sqs_client
    from sqs_kata.client_pool import ClientPool

    session = make_session()
    return ClientPool(lambda: sqs_client(session, "http://127.0.0.1:9"))


def test_an_untouched_client_serves_the_next_test_with_fresh_handlers():
    clients = _fresh_clients()
    first = clients.take()
    first.meta.events.register("kata-selftest.sqs", lambda **_: "a learner's handler")
    assert first.meta.events.emit("kata-selftest.sqs")  # registered: it answers
    clients.give_back(first)
    second = clients.take()
    assert second is first
    assert second.meta.events.emit("kata-selftest.sqs") == []  # gone with the test that registered it


@pytest.mark.parametrize("change", ["instance", "class"])
def test_a_client_the_learner_changed_is_replaced(change):
    clients = _fresh_clients()
    first = clients.take()
    target = first if change == "instance" else type(first)
    setattr(target, "send_message", lambda *args, **kwargs: {"MessageId": "never-sent"})
    clients.give_back(first)
    second = clients.take()
    assert second is not first
    assert getattr(type(second), "send_message") is not getattr(target, "send_message")
