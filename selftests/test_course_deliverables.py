"""The course's own deliverables: the class docker-compose.yml and the notebook that shows SQS working."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

from sqs_kata import PROJECT_ROOT, backend_choice, lab

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
NOTEBOOK = PROJECT_ROOT / "work" / "sqs-example.ipynb"
LAB_NOTEBOOK = PROJECT_ROOT / "work" / "async-lab.ipynb"
# The notebook talks HTTP, so it runs on the server backends chosen for this run (CI: moto-server and elasticmq).
SERVER_BACKENDS = [b for b in backend_choice.selected(None) if b not in ("moto", "aws")] or ["moto-server"]


def test_compose_file_validates_against_the_compose_specification():
    checked = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True, text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_compose_file_keeps_the_class_stack_and_adds_sqs_local():
    services = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]
    names = {name: spec.get("container_name") for name, spec in services.items()}
    assert names == {"jupyter-tutorial": "jupyter.local", "mysql": "cc104.mysql.local",
                     "dynamodb": "cc104.dynamodb.local", "sqs-local": "cc104.sqs.local"}
    sqs_local = services["sqs-local"]
    assert "9324:9324" in [str(p) for p in sqs_local["ports"]]
    assert sqs_local["image"] == "softwaremill/elasticmq-native:1.7.1"
    assert "healthcheck" in sqs_local
    jupyter_env = services["jupyter-tutorial"]["environment"]
    env = jupyter_env if isinstance(jupyter_env, dict) else dict(e.split("=", 1) for e in jupyter_env)
    assert env["SQS_ENDPOINT_URL"] == "http://cc104.sqs.local:9324"


@pytest.mark.parametrize("path", [NOTEBOOK, LAB_NOTEBOOK], ids=["sqs-example", "async-lab"])
def test_notebook_is_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("backend_name", SERVER_BACKENDS)
def test_notebook_runs_and_greets(backend_name, monkeypatch):
    backend = backend_choice.create(backend_name)
    backend.start()
    try:
        # The kernel is a child process: it inherits the endpoint from os.environ, and the grader's pinned
        # environment (throwaway credentials, no profile, every AWS endpoint set to this backend) with it.
        monkeypatch.setenv("SQS_ENDPOINT_URL", backend.endpoint_url)
        notebook = nbformat.read(NOTEBOOK, as_version=4)
        with backend.pinned_environment():
            NotebookClient(notebook, timeout=60, kernel_name="python3",
                           resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    finally:
        backend.stop()
    printed = "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
    assert "Hello, world! (Daniel1)" in printed


def test_the_class_image_installs_the_kata_and_compose_mounts_the_learner_folder():
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY --chown=${NB_UID}:${NB_GID} . /home/${NB_USER}/sqs-kata" in dockerfile
    assert 'pip install --no-cache-dir --editable "/home/${NB_USER}/sqs-kata"' in dockerfile
    assert "ENV SQS_ENDPOINT_URL=http://cc104.sqs.local:9324" in dockerfile
    ignored = (PROJECT_ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".venv", ".sqs-kata"} <= set(ignored)  # the image gets the source, not a learner's state
    jupyter = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]["jupyter-tutorial"]
    assert "./exercises:/home/jovyan/sqs-kata/exercises" in jupyter["volumes"]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("backend_name", SERVER_BACKENDS)
def test_the_lab_notebook_draws_the_queue_depth_of_1_2_and_4_workers(backend_name, monkeypatch, tmp_path):
    """work/async-lab.ipynb runs the reference exercise 21 against the server and shows the PNG it drew."""
    backend = backend_choice.create(backend_name)
    backend.start()
    output = tmp_path / "queue-depth.png"
    try:
        monkeypatch.setenv("SQS_ENDPOINT_URL", backend.endpoint_url)
        monkeypatch.setenv("SQS_KATA_TARGET", str(PROJECT_ROOT / "solutions"))
        monkeypatch.setenv("SQS_KATA_LAB_SECONDS", "1.5")
        monkeypatch.setenv("SQS_KATA_LAB_OUTPUT", str(output))
        notebook = nbformat.read(LAB_NOTEBOOK, as_version=4)
        with backend.pinned_environment():
            NotebookClient(notebook, timeout=90, kernel_name="python3",
                           resources={"metadata": {"path": str(LAB_NOTEBOOK.parent)}}).execute()
        leftover = backend.client().list_queues(QueueNamePrefix="kata-lab-").get("QueueUrls", [])
    finally:
        backend.stop()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the notebook shows no picture"
    printed = "".join(o.get("text", "") for o in outputs)
    assert all(f"{label}: deepest" in printed for label in ("1 worker", "2 workers", "4 workers")), printed
    assert "reference solution" not in printed, printed
    assert [s["workers"] for s in lab.series_in(output)] == [1, 2, 4]
    assert not leftover, leftover


def test_sqs_kata_lab_writes_a_png_with_one_series_per_worker_count(tmp_path):
    """One command draws the picture (on moto's server); the PNG carries the series it drew."""
    output = tmp_path / "depth.png"
    proc = subprocess.run([sys.executable, "-m", "sqs_kata.cli", "lab", "--kata-target", "solutions",
                           "--output", str(output), "--seconds", "1.5"],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    series = lab.series_in(output)
    assert [s["workers"] for s in series] == [1, 2, 4]
    assert all(s["seconds"] and len(s["seconds"]) == len(s["waiting"]) == len(s["in_flight"]) for s in series)
    # A producer at 20 msg/s: one worker (10 msg/s) falls behind, four keep the queue near empty.
    assert max(series[0]["waiting"]) > max(series[2]["waiting"]), series


def test_sqs_kata_lab_says_in_one_line_that_exercise_21_is_not_written(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "sqs_kata.cli", "lab", "--kata-target", "exercises",
                           "--output", str(tmp_path / "x.png"), "--seconds", "0.5"],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120, check=False)
    assert proc.returncode == 4 and "not written yet" in proc.stderr + proc.stdout, proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "x.png").exists()
