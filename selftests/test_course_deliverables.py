"""The course's own deliverables: the class docker-compose.yml and the notebook that shows SQS working."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

from sqs_kata import PROJECT_ROOT, backend_choice

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
NOTEBOOK = PROJECT_ROOT / "work" / "sqs-example.ipynb"
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


def test_notebook_is_stored_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
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
