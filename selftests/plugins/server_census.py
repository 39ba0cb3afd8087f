"""A pytest plugin for the selftests: which process starts each SQS server, and which server each test used.

Loaded with `-p server_census` (selftests/plugins on PYTHONPATH), in the controller and in every xdist worker
alike. Appends JSON lines to the file named by SQS_KATA_CENSUS:

    {"pid": 123, "started": "elasticmq", "endpoint": "http://127.0.0.1:40123"}    a backend started a server
    {"pid": 456, "worker": "gw1", "test": "<nodeid>", "endpoint": "http://..."}   a test ran against it
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

_LOG = os.environ.get("SQS_KATA_CENSUS")


def _log(**entry: Any) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps({"pid": os.getpid(), **entry}) + "\n")


def pytest_configure(config: pytest.Config) -> None:
    from sqs_kata import backends

    for cls in (backends.ElasticMQBackend, backends.MotoServerBackend):
        real_start = cls.start

        def start(self: Any, real_start: Any = real_start) -> None:
            real_start(self)
            _log(started=self.name, endpoint=self.endpoint_url)

        cls.start = start  # type: ignore[method-assign]


def pytest_runtest_call(item: pytest.Item) -> None:
    backend = getattr(item, "funcargs", {}).get("sqs_backend")
    if backend is not None:
        _log(worker=os.environ.get("PYTEST_XDIST_WORKER"), test=item.nodeid, endpoint=backend.endpoint_url)
