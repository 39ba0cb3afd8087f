"""Backends that need a Docker engine: the class stack's sqs-local service, or a throwaway container.

Both run ElasticMQ 1.7.1 (softwaremill/elasticmq-native), the same server `--sqs-backend=elasticmq` runs
with Java. Where no Docker engine answers, they stop the run with one message naming the alternatives.
"""

from __future__ import annotations

import contextlib
import os
import subprocess

from sqs_kata import PROJECT_ROOT
from sqs_kata.backends import Backend, BackendError, ensure_reachable
from sqs_kata.messages import say

ELASTICMQ_IMAGE = "softwaremill/elasticmq-native:1.7.1"
SQS_PORT = 9324


def require_docker_engine(backend: str) -> None:
    """The docker client alone is not enough: ask the engine, with a bound, and explain if it is not there."""
    try:
        probe = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"],
                               capture_output=True, text=True, timeout=10)
        answer = (probe.stderr or probe.stdout).strip().splitlines()
        ok = probe.returncode == 0
    except FileNotFoundError:
        ok, answer = False, ["docker: command not found"]
    except subprocess.TimeoutExpired:
        ok, answer = False, ["docker did not answer within 10 s"]
    if not ok:
        detail = answer[-1] if answer else "no answer"
        raise BackendError(say(
            f"--sqs-backend={backend} 需要正在執行的 Docker 引擎，但這台機器沒有（{detail}）。\n"
            "沒有 Docker 也可以：--sqs-backend=elasticmq 用 Java 啟動同一個 ElasticMQ（`sqs-kata elasticmq` 可讓它一直開著），"
            "或用預設的 moto（什麼都不用裝）。別台機器有 Docker 時：`docker compose up -d sqs-local`，"
            "再用 --sqs-backend=http://localhost:9324。",
            f"--sqs-backend={backend} needs a running Docker engine, and none answers here ({detail}).\n"
            "Without Docker: --sqs-backend=elasticmq runs the same ElasticMQ with Java (`sqs-kata elasticmq` keeps "
            "one running), or use the default moto, which needs nothing. With Docker elsewhere: "
            "`docker compose up -d sqs-local`, then --sqs-backend=http://localhost:9324.",
        ))


class _ContainerBackend(Backend):
    def __init__(self) -> None:
        super().__init__()
        self.endpoint_url = ""
        self._stack = contextlib.ExitStack()

    def stop(self) -> None:
        self._stack.close()


class ComposeBackend(_ContainerBackend):
    """`docker compose up --wait sqs-local` from the root docker-compose.yml (pytest-docker), down at the end."""

    name = "compose"

    def start(self) -> None:
        require_docker_engine(self.name)
        from pytest_docker.plugin import get_docker_services

        services = self._stack.enter_context(get_docker_services(
            "docker compose", str(PROJECT_ROOT / "docker-compose.yml"), f"sqs-kata-{os.getpid()}",
            # --wait blocks until the service's healthcheck passes.
            ["up -d --wait sqs-local"], ["down -v"],
        ))
        self.endpoint_url = f"http://127.0.0.1:{services.port_for('sqs-local', SQS_PORT)}"
        ensure_reachable(self.endpoint_url, fix="docker compose logs sqs-local")


class ThrowawayContainerBackend(_ContainerBackend):
    """A throwaway ElasticMQ container (testcontainers), removed at the end of the run."""

    name = "testcontainers"

    def start(self) -> None:
        require_docker_engine(self.name)
        from testcontainers.core.container import DockerContainer
        from testcontainers.core.waiting_utils import wait_for_logs

        container = self._stack.enter_context(DockerContainer(ELASTICMQ_IMAGE).with_exposed_ports(SQS_PORT))
        wait_for_logs(container, "started", timeout=60)
        self.endpoint_url = f"http://{container.get_container_host_ip()}:{container.get_exposed_port(SQS_PORT)}"
        ensure_reachable(self.endpoint_url, fix="docker logs " + container.get_wrapped_container().short_id)
