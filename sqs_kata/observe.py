"""The grader's own SQS calls: how tests look at the effect of the learner's code.

Tests never trust a learner's return value alone; they read the queue back with these.
"""

from __future__ import annotations

from typing import Any

# Documented SQS limits, named so tests read as the rules they check.
MAX_BATCH_ENTRIES = 10
MAX_RECEIVE = 10
MAX_WAIT_SECONDS = 20


def receive_all(sqs: Any, url: str, *, expect: int | None = None, wait: int = 1, rounds: int = 5,
                visibility: int | None = None, **extra: Any) -> list[dict[str, Any]]:
    """Receive until `expect` messages arrived, or until a long poll of `wait` seconds comes back empty.

    Long polling (not short) because real SQS may answer a short poll from a subset of its servers
    and return nothing even when messages are there.
    """
    got: list[dict[str, Any]] = []
    for _ in range(rounds):
        if expect is not None and len(got) >= expect:
            break
        params: dict[str, Any] = {"QueueUrl": url, "MaxNumberOfMessages": MAX_RECEIVE, "WaitTimeSeconds": wait,
                                  "MessageAttributeNames": ["All"], "MessageSystemAttributeNames": ["All"]}
        if visibility is not None:
            params["VisibilityTimeout"] = visibility
        params.update(extra)
        batch = sqs.receive_message(**params).get("Messages", [])
        if not batch:
            break
        got.extend(batch)
    return got


def bodies(messages: list[dict[str, Any]]) -> list[str]:
    return [m["Body"] for m in messages]


def counts(sqs: Any, url: str) -> dict[str, int]:
    """visible / in flight / delayed, as SQS reports them (approximate on real SQS)."""
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
             "ApproximateNumberOfMessagesDelayed"]
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return {"visible": int(attrs.get(names[0], 0)), "in_flight": int(attrs.get(names[1], 0)),
            "delayed": int(attrs.get(names[2], 0))}


def attribute(sqs: Any, url: str, name: str) -> str | None:
    # An attribute the queue does not have (FifoQueue on a standard queue) leaves "Attributes" out entirely.
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[name]).get("Attributes", {}).get(name)


def queue_url(sqs: Any, name: str) -> str | None:
    try:
        return sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        return None


def queue_names(sqs: Any, prefix: str) -> list[str]:
    urls: list[str] = []
    for page in sqs.get_paginator("list_queues").paginate(QueueNamePrefix=prefix):
        urls.extend(page.get("QueueUrls", []))
    return sorted(u.rsplit("/", 1)[-1] for u in urls)


class CallCounter:
    """Counts the SQS API calls made through a client: `with CallCounter(sqs) as calls: ...; calls["SendMessageBatch"]`.

    Lets a test check *how* the learner did something (one batch call, not ten single sends).
    """

    def __init__(self, sqs: Any) -> None:
        self._sqs = sqs
        self.calls: dict[str, int] = {}

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[model.name] = self.calls.get(model.name, 0) + 1

    def __enter__(self) -> dict[str, int]:
        self._sqs.meta.events.register("before-call.sqs", self._count)
        return self.calls

    def __exit__(self, *_: Any) -> None:
        self._sqs.meta.events.unregister("before-call.sqs", self._count)
