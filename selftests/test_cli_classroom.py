"""classroom/sqs-kata.yml (the student edition's workflow template), checked statically: it parses, GitHub's
workflow schema accepts it (the copy that check-jsonschema ships, so no network), and it grades the way
classroom/README.md says. What it does with a student edition: selftests/test_class_grading.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sqs_kata import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / "classroom" / "sqs-kata.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def check_jsonschema() -> list[str]:
    script = Path(sys.executable).with_name("check-jsonschema")
    if script.exists():
        return [str(script)]
    found = shutil.which("check-jsonschema")
    return [found] if found else [sys.executable, "-m", "check_jsonschema"]


@pytest.mark.parametrize("schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"])
def test_github_accepts_the_workflow(schema):
    proc = subprocess.run([*check_jsonschema(), "--builtin-schema", schema, str(WORKFLOW)],
                          check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_it_grades_on_push(workflow):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "push" in triggers


def test_elasticmq_runs_as_a_service_on_9324(workflow):
    [job] = workflow["jobs"].values()
    service = job["services"]["elasticmq"]
    assert service["image"] == "softwaremill/elasticmq-native:1.7.1"
    assert "9324:9324" in service["ports"]


def test_actions_are_pinned(workflow):
    [job] = workflow["jobs"].values()
    used = {step["uses"] for step in job["steps"] if "uses" in step}
    assert used == {"actions/checkout@v4", "actions/setup-python@v5", "actions/upload-artifact@v4"}


def test_it_grades_against_the_service_and_keeps_results_json(workflow):
    [job] = workflow["jobs"].values()
    commands = "\n".join(step.get("run", "") for step in job["steps"])
    assert "sqs-kata grade --kata-target ../student/exercises --json ../results.json" in commands
    assert "--sqs-backend=http://localhost:9324" in commands
    [upload] = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert upload["if"] == "always()"  # a failing grade still hands in its results
    assert "results.json" in upload["with"]["path"]


def test_the_readme_names_the_workflow_file():
    readme = (PROJECT_ROOT / "classroom" / "README.md").read_text(encoding="utf-8")
    assert "sqs-kata.yml" in readme and ".github/workflows" in readme
