"""The ElasticMQ launcher (sqs_kata/elasticmq.py): start, answer, stop, fail helpfully, cache.

One real server is shared by the module (a warm start takes about a second). The first run on a
machine also downloads the jars with Maven; CI does that beforehand with
`python -m sqs_kata.elasticmq --fetch-only`.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from sqs_kata import elasticmq
from sqs_kata.elasticmq import ElasticMQError, ElasticMQServer

pytestmark = [
    pytest.mark.skipif(shutil.which("java") is None and not os.environ.get("JAVA_HOME"), reason="needs Java"),
    # Room for a first-time Maven download; the launcher bounds its own waits anyway.
    pytest.mark.timeout(180),
]


@pytest.fixture(scope="module")
def server() -> Iterator[ElasticMQServer]:
    with ElasticMQServer() as running:
        yield running


def test_server_answers_sqs_calls_from_boto3(server: ElasticMQServer) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.endpoint_url)
    sqs = boto3.client(
        "sqs",
        endpoint_url=server.endpoint_url,
        region_name="elasticmq",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
    url = sqs.create_queue(QueueName="launcher-smoke")["QueueUrl"]
    assert url == f"{server.endpoint_url}/000000000000/launcher-smoke"
    sqs.send_message(QueueUrl=url, MessageBody="hello")
    messages = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"]
    assert [m["Body"] for m in messages] == ["hello"]


def test_stop_ends_the_jvm_and_can_be_repeated() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ElasticMQServer(port=port)
    assert server.start() == f"http://127.0.0.1:{port}"
    jvm = server._process  # the Popen, to check after stop() without racing on pids
    assert jvm is not None and server.log_path is not None
    log_dir = server.log_path.parent
    server.stop()
    server.stop()  # idempotent
    assert jvm.poll() is not None, "the JVM outlived stop()"
    assert server.pid is None
    assert not log_dir.exists(), "stop() should remove the server's temp dir"


def test_a_busy_port_fails_fast_with_a_hint(server: ElasticMQServer) -> None:
    busy_port = int(server.endpoint_url.rsplit(":", 1)[1])
    failing = ElasticMQServer(port=busy_port, startup_timeout=30)
    started = time.monotonic()
    with pytest.raises(ElasticMQError) as caught:
        failing.start()
    assert failing.pid is None, "the failed JVM must be stopped"
    assert failing.log_path is not None
    shutil.rmtree(failing.log_path.parent)  # kept on failure so the learner can read it
    message = str(caught.value)
    # The other server on that port answers ListQueues: it must not pass for ours.
    assert "Hint:" in message and str(busy_port) in caught.value.hint
    assert "Address already in use" in message  # the log tail is quoted
    assert time.monotonic() - started < 20, "a bind failure should not wait for the startup timeout"


def test_a_bad_java_path_gives_a_hint(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-java"
    with pytest.raises(ElasticMQError) as caught:
        ElasticMQServer(java=str(missing)).start()
    message = str(caught.value)
    assert str(missing) in message
    assert "Hint:" in message and "java" in caught.value.hint.lower()
    assert "\n" not in message, "one paragraph for the learner"


def test_the_classpath_cache_is_reused_until_a_jar_disappears(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: ElasticMQServer
) -> None:
    real = elasticmq.classpath()  # warm: the server fixture resolved it already
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    maven_calls: list[bool] = []

    def fake_maven(cache_dir: Path, offline: bool, version: str = elasticmq.ELASTICMQ_VERSION) -> str:
        maven_calls.append(offline)
        return real

    monkeypatch.setattr(elasticmq, "_run_maven", fake_maven)

    assert elasticmq.classpath() == real
    assert maven_calls == [False], "an empty cache must ask Maven"
    cached = list(tmp_path.glob("sqs-kata/elasticmq-*/classpath.txt"))
    assert len(cached) == 1, "the cache lives under $XDG_CACHE_HOME/sqs-kata"

    assert elasticmq.classpath(offline=True) == real
    assert maven_calls == [False], "a valid cache must not run Maven again"

    # A cache naming a jar that no longer exists (say ~/.m2 was cleaned) is stale.
    cached[0].write_text(real + os.pathsep + str(tmp_path / "deleted.jar"), encoding="utf-8")
    assert elasticmq.classpath(offline=True) == real
    assert maven_calls == [False, True]


def test_fetch_only_prints_where_the_classpath_is_cached(
    capsys: pytest.CaptureFixture[str], server: ElasticMQServer
) -> None:
    assert elasticmq.main(["--fetch-only"]) == 0
    assert "jars ready" in capsys.readouterr().out
