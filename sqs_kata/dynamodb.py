"""Where DynamoDB runs beside each SQS backend, and the per-test tables on it (Part 2: idempotent consumers).

    place = Places().for_backend(backend)     # decided by the SQS backend, never by the learner
    place.client()                            # a boto3 DynamoDB client there
    place.create_table(prefix + "claims")     # partition key "pk" (S), on-demand; delete_tables(prefix) after

- moto (in process): the mock_aws the moto backend keeps on (sqs_kata.backends.MotoBackend) covers DynamoDB too.
- moto-server: the same ThreadedMotoServer answers DynamoDB on the same port.
- ElasticMQ and any other SQS endpoint: a moto server of the kata's own on 127.0.0.1 (started once per run).
- compose / testcontainers: the class stack's `cc104.dynamodb.local` when it runs (published on 127.0.0.1:8000),
  else the kata's own moto server, as for ElasticMQ.
- aws: real DynamoDB in the region of the chosen credentials (only ever when the aws backend was chosen).
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from botocore.config import Config

from sqs_kata import adoption
from sqs_kata.backends import DUMMY_CREDENTIALS, LOCAL_REGION, Backend, make_session

# DynamoDB calls in a test answer in milliseconds; a dead endpoint must not stall a test for minutes.
DYNAMODB_CONFIG = Config(connect_timeout=2, read_timeout=10, retries={"mode": "standard", "total_max_attempts": 2})
CLASS_CONTAINER = "cc104.dynamodb.local"  # docker-compose.yml's dynamodb service
CLASS_PORT = 8000
PARTITION_KEY = "pk"


@dataclass
class Place:
    """One DynamoDB: where it answers (None: in-process moto or real AWS) and with which session."""

    endpoint_url: str | None
    session: Any
    where: str  # for messages: "moto (in this process)", "moto at http://127.0.0.1:5xxxx", ...

    def __post_init__(self) -> None:
        self._client: Any = None

    def client(self) -> Any:
        """The client of this place (one per place: building a client costs a model load)."""
        if self._client is None:
            self._client = self.new_client()
        return self._client

    def new_client(self) -> Any:
        """A client of its own (a second worker's)."""
        with adoption.grader():
            return self.session.client("dynamodb", endpoint_url=self.endpoint_url, config=DYNAMODB_CONFIG)

    def create_table(self, name: str) -> str:
        """A table keyed by the string attribute "pk", billed per request (no capacity to wait for)."""
        client = self.client()
        client.create_table(
            TableName=name,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": PARTITION_KEY, "AttributeType": "S"}],
            KeySchema=[{"AttributeName": PARTITION_KEY, "KeyType": "HASH"}],
        )
        # Real DynamoDB (and DynamoDB-local) create a table asynchronously: wait until it is ACTIVE.
        for _ in range(60):
            if client.describe_table(TableName=name)["Table"].get("TableStatus") == "ACTIVE":
                break
            time.sleep(0.5)
        return name

    def delete_tables(self, prefix: str, also: list[str] | None = None) -> None:
        """Delete every table whose name starts with `prefix` (and `also`): nothing a test made stays behind."""
        client = self.client()
        names = set(also or [])
        try:
            for page in client.get_paginator("list_tables").paginate():
                names |= {n for n in page.get("TableNames", []) if n.startswith(prefix)}
        except Exception:  # noqa: BLE001 -- cleanup must not hide the test's own outcome
            pass
        for name in names:
            try:
                client.delete_table(TableName=name)
            except Exception:  # noqa: BLE001 -- already gone, or the server is down: nothing left to do
                pass

    def keys(self, table: str) -> list[str]:
        """Every partition key in the table (the grader's own scan, consistent)."""
        client = self.client()
        found: list[str] = []
        for page in client.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
            found.extend(item[PARTITION_KEY]["S"] for item in page.get("Items", []) if PARTITION_KEY in item)
        return found


_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item")
_atomic = threading.RLock()


def make_moto_writes_atomic() -> None:
    """DynamoDB evaluates a ConditionExpression and writes in one atomic step; moto checks, then writes, with
    nothing in between to stop a second thread. Two workers racing for one claim (a test of exercise 18, the
    worker processes of exercise 20 against a moto server in this process) would both win on moto, and a correct
    answer would fail. One lock around moto's writes gives back what DynamoDB documents. Idempotent."""
    from moto.dynamodb.models import DynamoDBBackend

    for name in _WRITES:
        method = getattr(DynamoDBBackend, name)
        if getattr(method, "_sqs_kata_atomic", False):
            continue

        def atomic(self: Any, *args: Any, _method: Any = method, **kwargs: Any) -> Any:
            with _atomic:
                return _method(self, *args, **kwargs)

        functools.update_wrapper(atomic, method)
        atomic._sqs_kata_atomic = True  # type: ignore[attr-defined]
        setattr(DynamoDBBackend, name, atomic)


class Places:
    """The DynamoDB of each backend for one run; stop() ends the moto server it started (if any)."""

    def __init__(self) -> None:
        self._server: Any = None
        self._endpoint = ""
        self._session: Any = None
        self._places: dict[int, Place] = {}

    def session(self) -> Any:
        """One session for the run's local DynamoDBs: loading the DynamoDB model costs ~100 ms per session."""
        if self._session is None:
            self._session = make_session(LOCAL_REGION, **DUMMY_CREDENTIALS)
        return self._session

    def local_server(self) -> str:
        """The endpoint of the kata's own moto server on 127.0.0.1 (started on first use)."""
        if self._server is None:
            from moto.server import ThreadedMotoServer

            make_moto_writes_atomic()

            logging.getLogger("werkzeug").setLevel(logging.ERROR)
            self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
            self._server.start()
            host, port = self._server.get_host_and_port()
            self._endpoint = f"http://{host}:{port}"
        return self._endpoint

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def for_backend(self, backend: Backend) -> Place:
        """The DynamoDB beside `backend` (decided once per backend and run)."""
        if id(backend) not in self._places:
            self._places[id(backend)] = self._decide(backend)
        return self._places[id(backend)]

    def _decide(self, backend: Backend) -> Place:
        make_moto_writes_atomic()  # every moto that can answer here runs in this process
        local = self.session()
        kind = type(backend).__name__
        if kind == "MotoBackend":
            import moto  # noqa: F401  -- its botocore hook must be in place before the session makes clients

            return Place(None, local, backend.server())
        if kind == "MotoServerBackend":
            return Place(backend.endpoint_url, local, backend.server())
        if backend.name == "aws":
            return Place(None, backend.new_session(), "Amazon DynamoDB")
        if kind in ("ComposeBackend", "ThrowawayContainerBackend"):
            running = class_stack_dynamodb()
            if running:
                return Place(running, local, f"{CLASS_CONTAINER} at {running}")
        endpoint = self.local_server()
        return Place(endpoint, local, f"moto at {endpoint}")


def class_stack_dynamodb() -> str | None:
    """http://127.0.0.1:<port> of the class stack's running DynamoDB-local, else None."""
    from sqs_kata.docker_backends import docker

    try:
        found = docker("inspect", "--type", "container", CLASS_CONTAINER, timeout=15)
    except Exception:  # noqa: BLE001 -- no Docker here: no class stack either
        return None
    if found.returncode != 0:
        return None
    try:
        state = json.loads(found.stdout)[0]
        bindings = (state["NetworkSettings"].get("Ports") or {}).get(f"{CLASS_PORT}/tcp") or []
        port = next((b["HostPort"] for b in bindings if b.get("HostPort")), None)
        running = state["State"].get("Running")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None
    return f"http://127.0.0.1:{port}" if running and port else None
