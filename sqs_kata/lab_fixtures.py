"""Part 2's fixtures (the asynchronous-architecture lab), registered through sqs_kata.plugin:

    dynamodb      a boto3 DynamoDB client beside the backend under test (see sqs_kata.dynamodb for where)
    make_table    make_table("claims") -> the name of a fresh table (partition key "pk", a string) this test owns
    worker_lab    sqs_kata.worker_lab.WorkerLab: the learner's worker as real processes, on a server backend

Every table whose name starts with the test's prefix is deleted when the test ends, pass or fail; every worker
process is killed (its whole process group).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from sqs_kata import manifest
from sqs_kata.backends import Backend, Clock, MotoBackend, MotoServerBackend, simulated_time
from sqs_kata.dynamodb import Place, Places
from sqs_kata.worker_lab import WorkerLab


@pytest.fixture(scope="session")
def _dynamodb_places() -> Iterator[Places]:
    places = Places()
    try:
        yield places
    finally:
        places.stop()  # the kata's own moto server for DynamoDB, if a test started it


@pytest.fixture
def dynamodb_place(sqs_backend: Backend, clock: Clock, queue_prefix: str, _dynamodb_places: Places) -> Iterator[Place]:
    """The DynamoDB of the backend under test (after `clock`: on moto, the mock that answers it is on)."""
    place = _dynamodb_places.for_backend(sqs_backend)
    # A DynamoDB client the learner's code builds itself goes there too, never to the SQS endpoint or to AWS.
    pinned = {"AWS_ENDPOINT_URL_DYNAMODB": place.endpoint_url} if place.endpoint_url else {}
    with mock.patch.dict(os.environ, pinned):
        try:
            yield place
        finally:
            place.delete_tables(queue_prefix)


@pytest.fixture
def dynamodb(dynamodb_place: Place) -> Any:
    """A boto3 DynamoDB client beside the backend under test, this test's own (the learner's code gets it too)."""
    return dynamodb_place.new_client()


@pytest.fixture
def make_table(dynamodb_place: Place, queue_prefix: str) -> Callable[..., str]:
    """make_table("claims") -> the name of a new table keyed by the string attribute "pk"."""
    return lambda suffix="claims": dynamodb_place.create_table(queue_prefix + suffix)


@pytest.fixture
def worker_lab(
    request: pytest.FixtureRequest, sqs_backend: Backend, queue_prefix: str, tmp_path: Path, _dynamodb_places: Places
) -> Iterator[WorkerLab]:
    """Worker processes need a server: moto in this process is replaced by a moto server of the kata's own."""
    if sqs_backend.name == "aws":
        pytest.skip(
            "aws: the crash test runs the learner's worker in a process pinned to throwaway credentials "
            "and a loopback endpoint, which real Amazon SQS is not"
        )
    exercise = manifest.for_test_path(request.path)
    assert exercise is not None, request.path
    target = request.getfixturevalue("kata").path
    with ExitStack() as stack:
        MotoBackend.release()  # the workers talk HTTP to a server; no in-process mock in between
        if isinstance(sqs_backend, MotoBackend):
            endpoint = _dynamodb_places.local_server()
            place = Place(endpoint, _dynamodb_places.for_backend(sqs_backend).session, f"moto at {endpoint}")
        else:
            endpoint = sqs_backend.endpoint_url
            place = _dynamodb_places.for_backend(sqs_backend)
        if isinstance(sqs_backend, (MotoBackend, MotoServerBackend)):
            # The server's threads run in this process: an empty long poll lets its wait pass on the simulated
            # clock, so a killed worker's messages come back without waiting out their visibility timeout.
            stack.enter_context(simulated_time())
        lab = WorkerLab(
            endpoint,
            place,
            target,
            exercise=exercise.number,
            folder=tmp_path,
            prefix=queue_prefix,
            seed=request.node.nodeid,
        )
        stack.callback(lambda: request.node.user_properties.append(("workers", lab.log())))  # after close()
        stack.callback(lab.close)
        yield lab
