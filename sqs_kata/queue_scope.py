"""One submission's corner of a shared SQS server: every queue it may see or touch has its name prefix.

`sqs-kata class grade --sqs-backend URL` grades many submissions against ONE live server (ElasticMQ,
moto-server). Those servers answer ListQueues with every queue they hold and let any caller delete or purge
any queue, so a submission that "cleans up" everything it can list would take other students' test queues
with it. Each submission's grading process therefore gets a scope (SQS_KATA_QUEUE_SCOPE): the grader names
every queue `kata-<scope>...` (Backend.queue_prefix), and this guard, registered on the test's client --
whose handlers every client the learner builds shares (sqs_kata.adoption) -- keeps that client inside it:

    ListQueues / ListDeadLetterSourceQueues   answers list only the scope's queues
    a QueueUrl or QueueName outside the scope  AccessDenied, as SQS answers for another account's queue

What it cannot stop: learner code that talks HTTP to the server by hand (urllib, sockets) instead of through
a boto3 client. When that matters, give every submission a server of its own (`--sqs-backend moto-server`
or `elasticmq`: each grading process starts one) or grade on moto, in process, the default.
"""

from __future__ import annotations

import os
import re
from typing import Any

from botocore.exceptions import ClientError

ENV = "SQS_KATA_QUEUE_SCOPE"
_VALID = re.compile(r"[a-z0-9]{1,12}")
_UNIQUE_ID = "sqs-kata-queue-scope"


def current() -> str | None:
    """This process's scope, or None (the whole server is this run's own)."""
    scope = os.environ.get(ENV, "").strip()
    if not scope:
        return None
    if not _VALID.fullmatch(scope):  # queue names allow [A-Za-z0-9_-] and 80 characters: keep it short and plain
        raise ValueError(f"{ENV}={scope!r}: use 1 to 12 lowercase letters and digits")
    return scope


def name_prefix(scope: str | None) -> str:
    """The start of every queue name the grader makes in `scope`: 'kata-<scope>-' (or 'kata-' unscoped)."""
    return f"kata-{scope}-" if scope else "kata-"


def install(events: Any, prefix: str) -> None:
    """Keep every request made through `events` (a client's event emitter) inside queues named `prefix`..."""
    guard = _Guard(prefix)
    events.register_first("before-parameter-build.sqs", guard.before, unique_id=_UNIQUE_ID)
    for action in ("ListQueues", "ListDeadLetterSourceQueues"):
        events.register_first(f"after-call.sqs.{action}", guard.after_list, unique_id=f"{_UNIQUE_ID}-{action}")


class _Guard:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def before(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        url = params.get("QueueUrl")
        if isinstance(url, str) and not _queue_name(url).startswith(self.prefix):
            raise self._refused(model.name, url)
        name = params.get("QueueName")
        if isinstance(name, str) and not name.startswith(self.prefix):
            raise self._refused(model.name, name)
        given = params.get("QueueNamePrefix")
        if model.name == "ListQueues" and self.prefix.startswith(given or ""):
            # "" or "kata-" asks for more than the scope: ask for the scope (same answer, shorter pages).
            params["QueueNamePrefix"] = self.prefix

    def after_list(self, parsed: dict[str, Any], **_: Any) -> None:
        if isinstance(parsed.get("QueueUrls"), list):
            parsed["QueueUrls"] = [
                url for url in parsed["QueueUrls"] if isinstance(url, str) and _queue_name(url).startswith(self.prefix)
            ]

    def _refused(self, action: str, queue: str) -> ClientError:
        response: Any = {
            "Error": {
                "Code": "AccessDenied",
                "Message": (
                    f"{queue} belongs to another grading scope on this shared server: only queues named "
                    f"{self.prefix}... can be used here"
                ),
            },
            "ResponseMetadata": {"HTTPStatusCode": 403},
        }
        return ClientError(response, action)


def _queue_name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]
