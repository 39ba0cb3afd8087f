"""Each test's `sqs` client: as good as new for every test, without building one per test.

Building a boto3 client costs a few milliseconds -- across a whole grade, more than a tenth of the
run on moto. So a test's client is handed to the next test when the learner's code left it as it was
made: the same attributes on the client and on its class (a replaced `sqs.send_message` is a change).
Its event handlers come back fresh either way: each test starts from a copy of the handlers the client
had when it was built, so nothing the test or the learner registered outlives the test. A client that
was changed is closed and a new one is built.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

# Attributes botocore fills in lazily on first use: a change there is not the learner's.
_LAZY = {"_exceptions"}


class _Snapshot:
    def __init__(self, client: Any) -> None:
        self.own = dict(vars(client))
        self.of_class = dict(vars(type(client)))
        self.events = copy.copy(client.meta.events)

    def untouched(self, client: Any) -> bool:
        own = vars(client)
        if own.keys() != self.own.keys() or any(own[k] is not v for k, v in self.own.items() if k not in _LAZY):
            return False
        of_class = vars(type(client))
        return of_class.keys() == self.of_class.keys() and all(of_class[k] is v for k, v in self.of_class.items())


class ClientPool:
    """take() a client for a test, give_back() when the test ends."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build
        self._spare: tuple[Any, _Snapshot] | None = None

    def take(self) -> Any:
        if self._spare is None:
            client = self._build()
            self._spare = (client, _Snapshot(client))
        client, snapshot = self._spare
        client.meta.events = copy.copy(snapshot.events)
        self._taken = self._spare
        self._spare = None
        return client

    def give_back(self, client: Any) -> None:
        taken, snapshot = self._taken
        if taken is client and snapshot.untouched(client):
            self._spare = (client, snapshot)
        else:
            client.close()

    def close(self) -> None:
        if self._spare is not None:
            self._spare[0].close()
            self._spare = None
