"""SQS clients that learner code builds itself are graded like the `sqs` client the test gave it.

A learner may ignore the `sqs` argument and call `boto3.client("sqs")`. The pinned environment
(Backend.pinned_environment) already sends such a client to the backend under test and nowhere else.
This module makes it see the same SQS as the test's client: every SQS client class made in this
process gets a small base class (through botocore's `creating-client-class.sqs` event, which every new
session carries from botocore.handlers.BUILTIN_HANDLERS), and a client built while a test runs, by code
that is not the grader's, is *adopted*: its event emitter becomes the test client's. So the realism
layer, the fault injector and every observer a test registers on `sqs` apply to it as well, receipt
handles mean the same on both, and a client made at import time is adopted again by each later test.

    adoption.begin(test_client) ... adoption.end()      around a test (the plugin's `sqs` fixture)
    with adoption.grader(): ...                         clients the grader builds for itself
    adoption.learner_built()                            did learner code build its own client in this test?
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import botocore.handlers

_test_client: Any = None  # the `sqs` client of the test that is running, if any
_adopted: weakref.WeakSet[Any] = weakref.WeakSet()  # every learner-built SQS client still alive
_used_in_test = False  # did a learner-built client make a request in this test?
_grader_building = 0


class _Adoptable:
    """Base class of every SQS client class: a new client reports itself once it is built."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _born(self)


def _add_base_class(base_classes: list[type], **_: Any) -> None:
    base_classes.insert(0, _Adoptable)


def install() -> None:
    """Once per process, before learner code builds a session (sessions made earlier are not covered)."""
    entry = ("creating-client-class.sqs", _add_base_class)
    if entry not in botocore.handlers.BUILTIN_HANDLERS:
        botocore.handlers.BUILTIN_HANDLERS.append(entry)


@contextmanager
def grader() -> Iterator[None]:
    """Clients built in here are the grader's own and stay as they are."""
    global _grader_building
    _grader_building += 1
    try:
        yield
    finally:
        _grader_building -= 1


def begin(test_client: Any) -> None:
    global _test_client, _used_in_test
    _test_client, _used_in_test = test_client, False
    test_client.meta.events.register_first(
        "provide-client-params.sqs", _note_foreign_request, unique_id="sqs-kata-adoption"
    )
    for client in list(_adopted):  # e.g. a module-level client from an earlier test: this test's now
        _share_events(client)


def end() -> None:
    global _test_client
    if _test_client is not None:
        _test_client.meta.events.unregister("provide-client-params.sqs", unique_id="sqs-kata-adoption")
    _test_client = None


def learner_built() -> bool:
    """True when a client that learner code built itself made a request in this test."""
    return _used_in_test


def _note_foreign_request(context: dict[str, Any], **_: Any) -> None:
    global _used_in_test
    # Every client has its own Config object, and botocore puts the caller's in each request's context.
    if _test_client is not None and context.get("client_config") is not _test_client.meta.config:
        _used_in_test = True


def _born(client: Any) -> None:
    if _test_client is None or _grader_building:
        return
    _adopted.add(client)
    _share_events(client)


def _share_events(client: Any) -> None:
    # Sharing the emitter shares every handler the kata and the test registered (and will register) on the
    # test's client. The client's own built-in handlers are the same ones (same service, same botocore).
    client.meta.events = _test_client.meta.events
