"""The Docker backends, really run: the whole kata through compose and through testcontainers, a start that fails,
the class stack's sqs-local service, and a class stack (or `sqs-kata elasticmq`) in the way.

They need a Docker engine and the image softwaremill/elasticmq-native:1.7.1. Without an engine they skip, saying
why -- unless SQS_KATA_DOCKER_REQUIRED=1 (.ci/run sets it, after starting one): then a missing engine fails them.
In CI the image is a LOCAL STAND-IN built by ../shared/docker/standin-elasticmq.sh (ElasticMQ 1.7.1's jars on a
small JRE, same layout and entrypoint), not the real image: these tests check the kata's Docker wiring.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sqs_kata import PROJECT_ROOT

IMAGE = "softwaremill/elasticmq-native:1.7.1"
BROKEN_IMAGE = "sqs-kata-selftest/exits:1"  # made from IMAGE by the fixture below; its server exits at once
LABEL = "io.github.sqs-kata.run"
REQUIRED = os.environ.get("SQS_KATA_DOCKER_REQUIRED") == "1"
ONE_FILE = "tests/test_01_course_mission.py"


def docker(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)


def _missing() -> str | None:
    """Why Docker cannot be used here, or None."""
    try:
        if docker("version", "--format", "{{.Server.Version}}", timeout=10).returncode != 0:
            return "no Docker engine answers"
    except (OSError, subprocess.TimeoutExpired):
        return "no docker CLI, or the engine does not answer"
    if docker("image", "inspect", IMAGE).returncode != 0:
        return f"the image {IMAGE} is not on this machine"
    if docker("compose", "version").returncode != 0:
        return "no docker compose v2 plugin"
    return None


@pytest.fixture(scope="module", autouse=True)
def engine() -> None:
    why = _missing()
    if why and REQUIRED:
        pytest.fail(f"SQS_KATA_DOCKER_REQUIRED=1 but {why} (.ci/run starts ../shared/docker/engine.sh and builds "
                    "the stand-in image)", pytrace=False)
    if why:
        pytest.skip(f"Docker selftests need an engine and {IMAGE}: {why}")


def inventory() -> dict[str, set[str]]:
    """Every container, network and volume the engine has."""
    return {kind: set(docker(kind, "ls", "-q", *(["-a"] if kind == "container" else [])).stdout.split())
            for kind in ("container", "network", "volume")}


def added_since(before: dict[str, set[str]]) -> dict[str, set[str]]:
    after = inventory()
    return {kind: after[kind] - before[kind] for kind in after if after[kind] - before[kind]}


def kata(folder: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, list[dict], str, float]:
    """One kata run in a pytest process of its own: (exit code, per-test records, output, seconds)."""
    report = folder / f"kata-{uuid.uuid4().hex[:8]}.json"
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "--lang=en", f"--kata-json={report}", *args],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=1200,
                          env={**os.environ, "SQS_KATA_BACKENDS": "", **(env or {})})
    records = json.loads(report.read_text(encoding="utf-8")) if report.exists() else []
    return proc.returncode, records, proc.stdout + proc.stderr, time.monotonic() - started


def assert_reference_passes(code: int, records: list[dict], output: str, backend: str) -> None:
    assert records, output[-3000:]
    bad = [f"{r['nodeid']}: {r['outcome']}\n{r['message'][:800]}" for r in records
           if r["outcome"] not in ("passed", "skipped")]
    assert not bad, "\n\n".join(bad)
    ran_on = {m for r in records for m in re.findall(r"[\[-](moto-server|moto|elasticmq|endpoint|compose|testcontainers)"
                                                    r"[\]-]", r["nodeid"])}
    assert ran_on == {backend}, f"every backend-parametrized test should run on {backend} alone: {ran_on}"
    for record in records:  # a skip names the backend, the server and what it lacks
        if record["outcome"] == "skipped":
            assert re.search(rf"^(Skipped: )?{backend}: .*(does not|lacks|no )", record["message"]), record
    assert code == 0, output[-3000:]


def assert_one_message(code: int, output: str) -> None:
    assert code == pytest.ExitCode.USAGE_ERROR, output[-3000:]
    assert output.count("ERROR:") == 1 and "Traceback" not in output and "INTERNALERROR" not in output, output


# ---- the whole kata on the reference, both backends at once (they mostly wait on SQS semantics) ----------------
@pytest.fixture(scope="module")
def reference_runs(tmp_path_factory) -> dict[str, tuple[int, list[dict], str, float, dict[str, set[str]]]]:
    before = inventory()
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = {backend: pool.submit(kata, tmp_path_factory.mktemp(backend), "--kata-target=solutions",
                                     f"--sqs-backend={backend}")
                for backend in ("compose", "testcontainers")}
        finished = {backend: run.result() for backend, run in runs.items()}
    left = added_since(before)
    return {backend: (*result, left) for backend, result in finished.items()}


@pytest.mark.parametrize("backend", ["compose", "testcontainers"])
def test_the_reference_passes_the_whole_kata(reference_runs, backend):
    code, records, output, seconds, _ = reference_runs[backend]
    print(f"{backend}: {len(records)} tests in {seconds:.0f} s")
    assert_reference_passes(code, records, output, backend)


def test_the_whole_kata_leaves_no_container_network_or_volume(reference_runs):
    *_, left = reference_runs["compose"]
    assert left == {}, left


# ---- a start that fails ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def broken_image() -> str:
    """IMAGE with a server that exits at once: compose and testcontainers create their container, then fail."""
    name = f"sqs-kata-broken-{uuid.uuid4().hex[:8]}"
    assert docker("create", "--name", name, IMAGE).returncode == 0
    try:
        made = docker("commit", "--change", 'ENTRYPOINT ["/bin/sh", "-c", "echo this image only exits; exit 3"]',
                      name, BROKEN_IMAGE)
        assert made.returncode == 0, made.stderr
    finally:
        docker("rm", "-f", "-v", name)
    yield BROKEN_IMAGE
    docker("rmi", "-f", BROKEN_IMAGE)


@pytest.mark.parametrize("backend", ["compose", "testcontainers"])
def test_a_failed_start_is_one_message_and_leaves_nothing(backend, broken_image, tmp_path):
    before = inventory()
    code, records, output, seconds = kata(tmp_path, f"--sqs-backend={backend}", ONE_FILE,
                                          env={"SQS_KATA_ELASTICMQ_IMAGE": broken_image})
    assert_one_message(code, output)
    assert "exited (3)" in output or "exited (code 3)" in output, output[-3000:]
    assert records == [] and seconds < 60, (seconds, output[-3000:])
    assert added_since(before) == {}


@pytest.mark.parametrize("backend", ["compose", "testcontainers"])
def test_an_image_that_cannot_be_pulled_is_one_message(backend, tmp_path):
    before = inventory()
    code, _, output, seconds = kata(tmp_path, f"--sqs-backend={backend}", ONE_FILE,
                                    env={"SQS_KATA_ELASTICMQ_IMAGE": "127.0.0.1:9/sqs-kata/absent:0"})
    assert_one_message(code, output)
    assert "cannot be pulled" in output and "docker pull" in output, output[-3000:]
    assert seconds < 60 and added_since(before) == {}, (seconds, output[-3000:])


def test_compose_without_the_v2_plugin_is_one_message(tmp_path):
    # DOCKER_CONFIG names where the CLI looks for its plugins: an empty folder is a machine without compose v2.
    (tmp_path / "docker-config").mkdir()
    code, _, output, _ = kata(tmp_path, "--sqs-backend=compose", ONE_FILE,
                              env={"DOCKER_CONFIG": str(tmp_path / "docker-config")})
    if "needs Docker Compose v2" not in output and code == 0:
        pytest.skip("this machine's compose plugin is installed system-wide: DOCKER_CONFIG cannot hide it")
    assert_one_message(code, output)
    assert "needs Docker Compose v2" in output and "unknown shorthand flag" not in output, output[-3000:]


def test_testcontainers_without_its_library_names_the_extra(tmp_path):
    # A module that fails to import stands for a learner who ran `pip install -e .` without the [docker] extra.
    shadow = tmp_path / "shadow"
    (shadow / "testcontainers").mkdir(parents=True)
    (shadow / "testcontainers" / "__init__.py").write_text("raise ModuleNotFoundError(name='testcontainers')\n")
    code, _, output, _ = kata(tmp_path, "--sqs-backend=testcontainers", ONE_FILE,
                              env={"PYTHONPATH": os.pathsep.join(filter(None, (str(shadow),
                                                                                os.environ.get("PYTHONPATH"))))})
    assert_one_message(code, output)
    assert "pip install -e '.[docker]'" in output, output[-3000:]


# ---- the class stack -------------------------------------------------------------------------------------------
@pytest.fixture
def free_9324() -> None:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 9324)) == 0:
            pytest.fail("something already listens on 9324: the class-stack tests need it free", pytrace=False)


def test_the_class_stack_sqs_local_comes_up_healthy_and_compose_reuses_it(free_9324, tmp_path):
    project = f"sqs-kata-classstack-{uuid.uuid4().hex[:6]}"
    compose = ["compose", "-p", project, "-f", str(PROJECT_ROOT / "docker-compose.yml")]
    before = inventory()
    try:
        up = docker(*compose, "up", "-d", "--wait", "sqs-local", timeout=180)
        assert up.returncode == 0, up.stderr
        state = json.loads(docker("inspect", "cc104.sqs.local").stdout)[0]["State"]
        assert state["Health"]["Status"] == "healthy", state
        code, records, output, _ = kata(tmp_path, "--kata-target=solutions", "--sqs-backend=compose", ONE_FILE,
                                        "tests/test_13_permissions.py")
        assert_reference_passes(code, records, output, "compose")
        assert any("class stack's running cc104.sqs.local" in r["message"] for r in records if r["outcome"] == "skipped"), \
            "compose should reuse the running class stack"
        assert docker("inspect", "cc104.sqs.local").returncode == 0, "the class stack must be left running"
    finally:
        docker(*compose, "down", "--volumes", "--timeout", "5", timeout=120)
    assert added_since(before) == {}


def test_compose_runs_beside_a_stopped_class_container_and_a_busy_9324(free_9324, tmp_path):
    """The name cc104.sqs.local taken (a class stack that is not running) and 9324 held (`sqs-kata elasticmq`)."""
    created = docker("create", "--name", "cc104.sqs.local", IMAGE)
    assert created.returncode == 0, created.stderr
    try:
        before = inventory()
        with socket.socket() as holder:
            holder.bind(("127.0.0.1", 9324))
            holder.listen()
            code, records, output, _ = kata(tmp_path, "--kata-target=solutions", "--sqs-backend=compose", ONE_FILE)
        assert_reference_passes(code, records, output, "compose")
        assert added_since(before) == {}
        assert docker("inspect", "cc104.sqs.local").returncode == 0, "someone else's container is left alone"
    finally:
        docker("rm", "-f", "-v", "cc104.sqs.local")


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v"]))


def _base_image() -> str:
    match = re.search(r"^ARG BASE_IMAGE=(\S+)$", (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8"), re.M)
    assert match, "the Dockerfile names its base image in ARG BASE_IMAGE"
    return match.group(1)


def test_the_class_image_builds_with_the_kata_when_its_base_image_is_here():
    base = _base_image()
    if docker("image", "inspect", base).returncode != 0:
        pytest.skip(f"the class image is built only if its base image {base} is on this engine: it is not, and no "
                    "registry is reachable here to pull it")
    tag = f"sqs-kata-selftest/jupyter:{uuid.uuid4().hex[:8]}"
    try:
        built = docker("build", "--quiet", "--tag", tag, str(PROJECT_ROOT), timeout=900)
        assert built.returncode == 0, built.stderr[-3000:]
        ran = docker("run", "--rm", "--entrypoint", "python", tag, "-c",
                     "import os, sqs_kata; print(sqs_kata.PROJECT_ROOT, os.environ['SQS_ENDPOINT_URL'])", timeout=120)
        assert ran.returncode == 0, ran.stderr[-3000:]
        assert ran.stdout.split() == ["/home/jovyan/sqs-kata", "http://cc104.sqs.local:9324"]
    finally:
        docker("image", "rm", "--force", tag)
