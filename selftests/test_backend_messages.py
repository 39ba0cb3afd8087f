"""A backend that cannot run stops the run with one message saying what happened and what to do."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sqs_kata import PROJECT_ROOT

ONE_TEST = "tests/test_01_course_mission.py"


def run_pytest(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "--lang=en", ONE_TEST, *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120)


def one_message(proc: subprocess.CompletedProcess[str]) -> str:
    """The run ended before any test, as a usage error, with a single ERROR message and no traceback."""
    output = proc.stdout + proc.stderr
    assert proc.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert output.count("ERROR:") == 1 and "Traceback" not in output, output
    assert " passed" not in output and " failed" not in output, output
    return output


def test_an_unreachable_endpoint_names_the_url_and_the_fix():
    output = one_message(run_pytest("--sqs-backend=http://127.0.0.1:9"))
    assert "http://127.0.0.1:9" in output and "sqs-kata elasticmq" in output and "docker compose up" in output


@pytest.mark.parametrize("backend", ["compose", "testcontainers"])
def test_docker_backends_without_an_engine_name_the_alternatives(backend, tmp_path):
    # An engine address where nothing listens: this is what a machine without Docker looks like.
    output = one_message(run_pytest(f"--sqs-backend={backend}", env={"DOCKER_HOST": f"unix://{tmp_path}/none.sock"}))
    assert f"--sqs-backend={backend} needs a running Docker engine" in output
    assert "--sqs-backend=elasticmq" in output and "moto" in output


def test_aws_needs_an_explicit_confirmation():
    output = one_message(run_pytest("--sqs-backend=aws"))
    assert "costs money" in output and "--i-understand-aws-costs" in output


def test_aws_without_credentials_says_how_to_configure(tmp_path):
    nowhere = str(tmp_path / "none")
    env = {"AWS_CONFIG_FILE": nowhere, "AWS_SHARED_CREDENTIALS_FILE": nowhere, "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_PROFILE": "", "AWS_REGION": "",
           "AWS_DEFAULT_REGION": ""}
    output = one_message(run_pytest("--sqs-backend=aws", "--i-understand-aws-costs", env=env))
    assert "No AWS credentials or region" in output and "aws configure" in output


def test_an_unknown_backend_lists_the_known_ones():
    output = one_message(run_pytest("--sqs-backend=rabbitmq"))
    assert "Unknown --sqs-backend 'rabbitmq'" in output and "elasticmq" in output


def test_a_missing_target_folder_says_what_to_give():
    output = one_message(run_pytest("--kata-target=/nonexistent/kata"))
    assert "is not a folder" in output and "solutions" in output


def test_aws_with_a_profile_that_does_not_exist_says_how_to_configure(tmp_path):
    nowhere = str(tmp_path / "none")
    env = {"AWS_CONFIG_FILE": nowhere, "AWS_SHARED_CREDENTIALS_FILE": nowhere, "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_PROFILE": "no-such-profile"}
    output = one_message(run_pytest("--sqs-backend=aws", "--i-understand-aws-costs", env=env))
    assert "no-such-profile" in output and "aws configure" in output
