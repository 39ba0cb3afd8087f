"""A pytest plugin for the selftests: counts the SQS requests that leave the learner's code, at the wire.

Loaded with `-p send_counter` (selftests/plugins on PYTHONPATH). Around each graded test that has an `sqs`
client, a handler on botocore's `before-send` event -- called once per HTTP request about to be sent, after
every handler the kata uses -- counts the requests made while learner code runs, by the action named in
their X-Amz-Target header, and how many entries each batch carried. The counts of each test are written as
one JSON line to the file named by SQS_KATA_SEND_COUNTS: what the request meter (sqs_kata.meter) must agree
with, counted another way.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

_LOG = os.environ.get("SQS_KATA_SEND_COUNTS")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    client = getattr(item, "funcargs", {}).get("sqs")
    if client is None or _LOG is None:
        return (yield)
    from sqs_kata.context import current

    actions: Counter[str] = Counter()
    entries: Counter[str] = Counter()

    def count(request: Any, **_: Any) -> None:
        if not current.in_call:
            return
        target = dict(request.headers).get("X-Amz-Target", b"")
        action = (target.decode() if isinstance(target, bytes) else str(target)).rsplit(".", 1)[-1]
        actions[action] += 1
        body = json.loads(request.body or b"{}")
        if "Entries" in body:
            entries[action] += len(body["Entries"])

    # The endpoint emits before-send on the emitter the client was built with: the kata's client pool gives each
    # test a fresh copy as client.meta.events, which the endpoint never sees. First in line there: moto's
    # in-process mock answers on before-send too, and no handler after it runs.
    emitter = client._endpoint._event_emitter
    emitter.register_first("before-send.sqs", count)
    try:
        return (yield)
    finally:
        emitter.unregister("before-send.sqs", count)
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps({"nodeid": item.nodeid, "actions": actions, "entries": entries}) + "\n")
