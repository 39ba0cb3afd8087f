"""Backends that need a Docker engine: the class stack's sqs-local service, or a throwaway container.

Both run softwaremill/elasticmq-native:1.7.1 with the repository's docker/elasticmq.conf, the same server
`--sqs-backend=elasticmq` runs with Java. What they promise:

- They never collide with what else runs on the machine: the class stack (`docker compose up`, container
  `cc104.sqs.local` on port 9324) or `sqs-kata elasticmq` on 9324. compose reuses a healthy running
  `cc104.sqs.local`; otherwise both start a container of their own, without a fixed name, published on a free
  port of 127.0.0.1.
- They leave nothing behind: whatever they start carries the label RUN_LABEL=<this run>, and everything with
  that label (containers, networks, volumes) is removed at the end, after a failed start too.
- Every Docker problem (no engine, no compose v2, an image that cannot be pulled, a daemon that refuses or goes
  away) stops the run with one message (BackendError -> pytest usage error), never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from sqs_kata import PROJECT_ROOT
from sqs_kata.backends import Backend, BackendError, ensure_reachable
from sqs_kata.messages import say

# SQS_KATA_ELASTICMQ_IMAGE names another image (a school's registry mirror; the selftests' broken image).
ELASTICMQ_IMAGE = os.environ.get("SQS_KATA_ELASTICMQ_IMAGE") or "softwaremill/elasticmq-native:1.7.1"
SQS_PORT = 9324
COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
SERVICE = "sqs-local"
CLASS_CONTAINER = "cc104.sqs.local"  # the class stack's container_name for SERVICE
# Mounted like the class stack does: node-address.host = "*" makes every QueueUrl name the host and port the
# client used (the mapped port), not localhost:9324.
ELASTICMQ_CONF = PROJECT_ROOT / "docker" / "elasticmq.conf"
RUN_LABEL = "io.github.sqs-kata.run"
# ElasticMQ answers in seconds; 90 s leaves room for a slow first start, and a failure still ends the run.
START_SECONDS = 90

NO_DOCKER_FIX = say(
    "沒有 Docker 也可以：--sqs-backend=elasticmq 用 Java 啟動同一個 ElasticMQ（`sqs-kata elasticmq` 可讓它一直開著），"
    "或用預設的 moto（什麼都不用裝）。",
    "Without Docker: --sqs-backend=elasticmq runs the same ElasticMQ with Java (`sqs-kata elasticmq` keeps one "
    "running), or use the default moto, which needs nothing.",
)


def _no_engine(backend: str, detail: str) -> BackendError:
    return BackendError(
        say(
            f"--sqs-backend={backend} 需要正在執行的 Docker 引擎，但這台機器沒有（{detail}）。\n{NO_DOCKER_FIX}"
            "別台機器有 Docker 時：`docker compose up -d sqs-local`，再用 --sqs-backend=http://localhost:9324。",
            f"--sqs-backend={backend} needs a running Docker engine, and none answers here ({detail}).\n{NO_DOCKER_FIX} "
            "With Docker elsewhere: `docker compose up -d sqs-local`, then --sqs-backend=http://localhost:9324.",
        )
    )


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no answer"


def docker(*args: str, timeout: float = 30, backend: str = "compose") -> subprocess.CompletedProcess[str]:
    """Run the docker CLI with a bound; a missing CLI or a CLI that hangs becomes a BackendError."""
    try:
        return subprocess.run(
            ["docker", *args], capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
        )
    except FileNotFoundError:
        raise _no_engine(backend, "docker: command not found") from None
    except subprocess.TimeoutExpired:
        raise BackendError(
            say(
                f"`docker {' '.join(args[:3])}` 在 {timeout:.0f} 秒內沒有結束：Docker 引擎沒有回應。\n{NO_DOCKER_FIX}",
                f"`docker {' '.join(args[:3])}` did not finish within {timeout:.0f} s: the Docker engine does not "
                f"answer.\n{NO_DOCKER_FIX}",
            )
        ) from None


def require_docker_engine(backend: str) -> None:
    """The docker client alone is not enough: ask the engine, with a bound, and explain if it is not there."""
    probe = docker("version", "--format", "{{.Server.Version}}", timeout=10, backend=backend)
    if probe.returncode != 0:
        raise _no_engine(backend, _last_line(probe.stderr or probe.stdout))


def engine_answers() -> bool:
    try:
        return (
            subprocess.run(
                ["docker", "version", "--format", "{{.Server.Version}}"],
                capture_output=True,
                timeout=5,
                stdin=subprocess.DEVNULL,
            ).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


def _pull_failed(backend: str, detail: str) -> BackendError:
    return BackendError(
        say(
            f"--sqs-backend={backend}：這台機器上沒有映像檔 {ELASTICMQ_IMAGE}，也下載不到（{detail}）。\n"
            f"連上網路後執行 `docker pull {ELASTICMQ_IMAGE}`，再試一次。{NO_DOCKER_FIX}",
            f"--sqs-backend={backend}: the image {ELASTICMQ_IMAGE} is not on this machine and cannot be pulled "
            f"({detail}).\nWith a network, run `docker pull {ELASTICMQ_IMAGE}`, then try again. {NO_DOCKER_FIX}",
        )
    )


class _ContainerBackend(Backend):
    """Start with cleanup: a start that fails removes what it made before its message reaches the learner."""

    def __init__(self) -> None:
        super().__init__()
        self.endpoint_url = ""
        self.run_id = secrets.token_hex(4)
        self._stack = contextlib.ExitStack()

    def start(self) -> None:
        try:
            self._start()
        except BaseException as error:
            self.stop()
            if isinstance(error, (BackendError, KeyboardInterrupt, SystemExit)):
                raise
            # Whatever else Docker or its libraries raise is still one message, never an INTERNALERROR.
            raise BackendError(
                say(
                    f"--sqs-backend={self.name} 無法啟動 ElasticMQ 容器：{type(error).__name__}: {_last_line(str(error))}",
                    f"--sqs-backend={self.name} could not start its ElasticMQ container: "
                    f"{type(error).__name__}: {_last_line(str(error))}",
                )
            ) from None

    def _start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        """Remove everything this run started. Never raises: an engine that went away is said by silence()."""
        try:
            self._stack.close()
        except Exception:  # noqa: BLE001 -- the sweep below is the safety net
            pass
        self._sweep()

    def _sweep(self) -> None:
        raise NotImplementedError

    def leftovers(self) -> str:
        """What to run by hand when the engine is back, to remove what this run could not."""
        raise NotImplementedError

    def silence(self) -> str | None:
        why = super().silence()
        if why and not engine_answers():
            why += say(
                f"\nDocker 引擎也沒有回應了。它恢復後，用這個指令移除這次評分留下的容器：{self.leftovers()}",
                f"\nThe Docker engine does not answer either. Once it is back, remove what this run left with: "
                f"{self.leftovers()}",
            )
        return why


class ComposeBackend(_ContainerBackend):
    """The sqs-local service of the root docker-compose.yml, through `docker compose` v2.

    A healthy running class stack (`cc104.sqs.local`) is reused as it is and left running. Otherwise the
    service runs in a project of this run's own, without the class stack's container_name and on a free port
    of 127.0.0.1 (the class stack or `sqs-kata elasticmq` may hold 9324), and `down -v` removes it at the end.
    """

    name = "compose"

    def __init__(self) -> None:
        super().__init__()
        self.project = f"sqs-kata-{os.getpid()}-{self.run_id}"
        self.reused = False
        self._folder: Path | None = None

    def server(self) -> str:
        where = f"the class stack's running {CLASS_CONTAINER}" if self.reused else f"a {SERVICE} of its own"
        return f"{ELASTICMQ_IMAGE} ({where}) at {self.endpoint_url}"

    def _start(self) -> None:
        require_docker_engine(self.name)
        version = docker("compose", "version", "--short", timeout=10)
        if version.returncode != 0:
            raise BackendError(
                say(
                    f"--sqs-backend=compose 需要 Docker Compose v2（`docker compose` 外掛），這台機器沒有"
                    f"（{_last_line(version.stderr or version.stdout)}）。舊的 docker-compose v1 沒有 `up --wait`。\n"
                    "安裝 Docker Compose 外掛（Docker Desktop 內建），或改用 --sqs-backend=testcontainers。"
                    + NO_DOCKER_FIX,
                    f"--sqs-backend=compose needs Docker Compose v2 (the `docker compose` plugin), and this machine has "
                    f"none ({_last_line(version.stderr or version.stdout)}). The old docker-compose v1 has no "
                    "`up --wait`.\nInstall the Compose plugin (Docker Desktop has it), or use "
                    "--sqs-backend=testcontainers. " + NO_DOCKER_FIX,
                )
            )
        running = _healthy_class_container()
        if running:
            self.endpoint_url, self.reused = running, True
            return
        if docker("image", "inspect", ELASTICMQ_IMAGE, timeout=15).returncode != 0:
            # Pulled on its own first: a registry that cannot be reached is said as such, not as a failed `up`.
            pull = docker("pull", "--quiet", ELASTICMQ_IMAGE, timeout=600)
            if pull.returncode != 0:
                raise _pull_failed(self.name, _last_line(pull.stderr or pull.stdout))
        self._folder = Path(tempfile.mkdtemp(prefix="sqs-kata-compose-"))
        (self._folder / "compose.json").write_text(json.dumps(self._own_project()), encoding="utf-8")
        up = self._compose(
            "up", "--detach", "--wait", "--wait-timeout", str(START_SECONDS), SERVICE, timeout=START_SECONDS + 60
        )
        if up.returncode != 0:
            said = (up.stderr or up.stdout).strip()
            raise BackendError(
                say(
                    f"`docker compose up {SERVICE}` 失敗了（{_last_line(said)}）。{NO_DOCKER_FIX}",
                    f"`docker compose up {SERVICE}` failed ({_last_line(said)}). {NO_DOCKER_FIX}",
                )
            )
        port = self._compose("port", SERVICE, str(SQS_PORT), timeout=30).stdout.strip()
        self.endpoint_url = f"http://127.0.0.1:{port.rsplit(':', 1)[-1]}"
        ensure_reachable(self.endpoint_url, fix=f"docker compose -p {self.project} logs {SERVICE}")

    def _own_project(self) -> dict[str, Any]:
        """The class stack's sqs-local (image, config mount, healthcheck), as `docker compose config` resolves it,
        minus what would collide: container_name and the fixed 9324:9324."""
        config = docker("compose", "-f", str(COMPOSE_FILE), "config", "--format", "json", timeout=30)
        if config.returncode != 0:
            raise BackendError(
                say(
                    f"讀不懂 {COMPOSE_FILE.name}：{_last_line(config.stderr)}",
                    f"{COMPOSE_FILE.name} cannot be read: {_last_line(config.stderr)}",
                )
            )
        service = json.loads(config.stdout)["services"][SERVICE]
        service["image"] = ELASTICMQ_IMAGE
        service.pop("container_name", None)
        service.pop("networks", None)
        service["ports"] = [{"target": SQS_PORT, "host_ip": "127.0.0.1", "protocol": "tcp"}]  # a free port
        service["labels"] = {**(service.get("labels") or {}), RUN_LABEL: self.run_id}
        return {"name": self.project, "services": {SERVICE: service}}

    def _compose(self, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        assert self._folder is not None
        return docker("compose", "-p", self.project, "-f", str(self._folder / "compose.json"), *args, timeout=timeout)

    def _sweep(self) -> None:
        if self.reused or self._folder is None:
            return
        with contextlib.suppress(BackendError):
            self._compose("down", "--volumes", "--remove-orphans", "--timeout", "5", timeout=60)
            # `down` after a failed `up` may miss what compose never recorded: anything with the run's label goes.
            project = f"label=com.docker.compose.project={self.project}"
            for kind, remove in (("container", ("rm", "-f", "-v")), ("network", ("rm",)), ("volume", ("rm", "-f"))):
                found = docker(
                    kind, "ls", "-q", *(["-a"] if kind == "container" else []), "--filter", project, timeout=20
                ).stdout.split()
                if found:
                    docker(kind, *remove, *found, timeout=30)
        shutil.rmtree(self._folder, ignore_errors=True)
        self._folder = None

    def leftovers(self) -> str:
        return "" if self.reused else f"`docker compose -p {self.project} down --volumes`"


def _healthy_class_container() -> str | None:
    """The endpoint of the class stack's sqs-local when it runs, is healthy and publishes 9324; else None."""
    found = docker("inspect", "--type", "container", CLASS_CONTAINER, timeout=15)
    if found.returncode != 0:
        return None
    try:
        state = json.loads(found.stdout)[0]
        healthy = state["State"].get("Running") and state["State"].get("Health", {}).get("Status") == "healthy"
        bindings = (state["NetworkSettings"].get("Ports") or {}).get(f"{SQS_PORT}/tcp") or []
        port = next((b["HostPort"] for b in bindings if b.get("HostPort")), None)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None
    return f"http://127.0.0.1:{port}" if healthy and port else None


class ThrowawayContainerBackend(_ContainerBackend):
    """A throwaway ElasticMQ container (testcontainers, through the Docker API), removed at the end of the run."""

    name = "testcontainers"

    def __init__(self) -> None:
        super().__init__()
        self._docker: Any = None  # the Docker API client
        self.container_id = ""

    def server(self) -> str:
        return f"{ELASTICMQ_IMAGE} (a throwaway container) at {self.endpoint_url}"

    def _start(self) -> None:
        try:
            import docker as docker_api
            from testcontainers.core.container import DockerContainer
            from testcontainers.core.waiting_utils import WaitStrategy
        except ImportError as error:
            raise BackendError(
                say(
                    f"--sqs-backend=testcontainers 需要 Python 套件 testcontainers（{error.name} 沒有安裝）。"
                    "請執行 `pip install -e '.[docker]'`（或 `.[dev]`），或改用 --sqs-backend=compose（只要 Docker）。"
                    + NO_DOCKER_FIX,
                    f"--sqs-backend=testcontainers needs the Python package testcontainers ({error.name} is not "
                    "installed). Run `pip install -e '.[docker]'` (or `.[dev]`), or use --sqs-backend=compose "
                    "(Docker only). " + NO_DOCKER_FIX,
                )
            ) from None
        from docker.errors import DockerException, ImageNotFound
        from requests.exceptions import RequestException

        try:
            self._docker = docker_api.from_env(timeout=30)
            self._docker.ping()
        except (DockerException, RequestException) as error:
            raise _no_engine(self.name, _last_line(str(error))) from None
        try:
            try:
                self._docker.images.get(ELASTICMQ_IMAGE)
            except ImageNotFound:
                try:
                    self._docker.images.pull(ELASTICMQ_IMAGE)
                except (DockerException, RequestException) as error:
                    raise _pull_failed(self.name, _last_line(str(error))) from None
            ready = _answers_list_queues(WaitStrategy).with_startup_timeout(START_SECONDS).with_poll_interval(0.5)
            container = (
                DockerContainer(ELASTICMQ_IMAGE)
                .with_exposed_ports(SQS_PORT)  # a free host port (testcontainers binds no host IP)
                .with_volume_mapping(str(ELASTICMQ_CONF), "/opt/elasticmq.conf", "ro")
                .with_kwargs(labels={RUN_LABEL: self.run_id})
                .waiting_for(ready)
            )
            self._stack.enter_context(container)
            self.container_id = container.get_wrapped_container().short_id
            self.endpoint_url = f"http://127.0.0.1:{container.get_exposed_port(SQS_PORT)}"
        except TimeoutError as error:
            raise BackendError(
                say(f"ElasticMQ 容器沒有開始服務：{error}", f"The ElasticMQ container did not start serving: {error}")
            ) from None
        except (DockerException, RequestException) as error:
            raise BackendError(
                say(
                    f"Docker 拒絕了 --sqs-backend=testcontainers 的請求：{_last_line(str(error))}",
                    f"Docker refused what --sqs-backend=testcontainers asked: {_last_line(str(error))}",
                )
            ) from None
        ensure_reachable(self.endpoint_url, fix=f"docker logs {self.container_id}")

    def _sweep(self) -> None:
        if self._docker is None:
            return
        with contextlib.suppress(Exception):  # the engine may be gone: silence() has said so
            for container in self._docker.containers.list(all=True, filters={"label": f"{RUN_LABEL}={self.run_id}"}):
                container.remove(force=True, v=True)
        with contextlib.suppress(Exception):
            self._docker.close()
        self._docker = None

    def leftovers(self) -> str:
        return f"`docker rm -f -v $(docker ps -aq --filter label={RUN_LABEL}={self.run_id})`"


def _answers_list_queues(base: type) -> Any:
    """testcontainers' wait strategy for ElasticMQ: ready when ListQueues answers 200 on the mapped port.

    A log line ("... started") comes before the port accepts connections, so it is not "ready". A container that
    exits is not going to answer: that ends the wait at once, with its last log lines, instead of at the timeout.
    """

    class AnswersListQueues(base):  # type: ignore[misc,valid-type,unused-ignore]  # a base known only at run time
        def wait_until_ready(self, container: Any) -> None:
            deadline = time.monotonic() + self._startup_timeout
            while True:
                wrapped = container.get_wrapped_container()
                wrapped.reload()
                if wrapped.status in ("exited", "dead"):
                    raise TimeoutError(_exited(wrapped))
                try:
                    port = container.get_exposed_port(SQS_PORT)
                except (TimeoutError, ConnectionError):
                    # testcontainers waits for "running" once more here, then reads the port mapping: a container
                    # that exits between our look and its own gives "did not become running" or "port mapping
                    # ... is not available", both of which hide the exit code.
                    wrapped.reload()
                    if wrapped.status in ("exited", "dead"):
                        raise TimeoutError(_exited(wrapped)) from None
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(self._poll_interval)
                    continue
                url = f"http://127.0.0.1:{port}/?Action=ListQueues"
                try:
                    with urllib.request.urlopen(url, timeout=2) as answer:
                        if answer.status == 200:
                            return
                except OSError:
                    pass  # not listening yet, or not answering yet
                if time.monotonic() > deadline:
                    raise TimeoutError(f"ListQueues got no answer within {self._startup_timeout:.0f} s at {url}")
                time.sleep(self._poll_interval)

    return AnswersListQueues()


def _exited(container: Any) -> str:
    """What a container that stopped on its own said: its exit code and last log lines."""
    logs = container.logs(tail=5).decode(errors="replace").strip().replace("\n", " | ")
    return f"it exited (code {container.attrs['State'].get('ExitCode')}): {logs or 'no logs'}"
