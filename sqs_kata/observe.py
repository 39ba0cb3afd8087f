"""The grader's own SQS calls: how tests set up and look at the effect of the learner's code.

Tests never trust a learner's return value alone; they read the queue back with these.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# Documented SQS limits, named so tests read as the rules they check.
MAX_BATCH_ENTRIES = 10
MAX_RECEIVE = 10
MAX_WAIT_SECONDS = 20

# AWS and moto prefix some error codes (batch entries, query-compatible errors) with it; ElasticMQ does not.
QUERY_PREFIX = "AWS.SimpleQueueService."

# A few rounds of one simulated second each: free on moto, and enough on real SQS, where a change can take
# a moment to show (a new queue in ListQueues, a deleted one disappearing, a purge finishing).
SETTLE_ROUNDS = 5


def word(prefix: str) -> str:
    """A value no solution can hard-code (a body, a group id, a label)."""
    return f"{prefix}-{secrets.token_hex(3)}"


def numbered_bodies(count: int) -> list[str]:
    """`count` distinct bodies sharing one random token: sorting them gives them back in the order made."""
    token = secrets.token_hex(3)
    return [f"{token}-{i:02d}" for i in range(count)]


def send_batched(sqs: Any, url: str, messages: list[str]) -> None:
    """Put `messages` on the queue with SendMessageBatch, at most MAX_BATCH_ENTRIES a call."""
    for start in range(0, len(messages), MAX_BATCH_ENTRIES):
        chunk = messages[start : start + MAX_BATCH_ENTRIES]
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": b} for i, b in enumerate(chunk)])


def receive_all(
    sqs: Any,
    url: str,
    *,
    expect: int | None = None,
    wait: int = 1,
    rounds: int = 5,
    visibility: int | None = None,
    **extra: Any,
) -> list[dict[str, Any]]:
    """Receive until `expect` messages arrived, or until a long poll of `wait` seconds comes back empty.

    Long polling (not short) because real SQS may answer a short poll from a subset of its servers
    and return nothing even when messages are there.
    """
    got: list[dict[str, Any]] = []
    for _ in range(rounds):
        if expect is not None and len(got) >= expect:
            break
        params: dict[str, Any] = {
            "QueueUrl": url,
            "MaxNumberOfMessages": MAX_RECEIVE,
            "WaitTimeSeconds": wait,
            "MessageAttributeNames": ["All"],
            "MessageSystemAttributeNames": ["All"],
        }
        if visibility is not None:
            params["VisibilityTimeout"] = visibility
        params.update(extra)
        batch = sqs.receive_message(**params).get("Messages", [])
        if not batch:
            break
        got.extend(batch)
    return got


def short_poll(sqs: Any, url: str, *, wait: int | None = None) -> list[str]:
    """The bodies one receive finds right now: only for asserting that nothing is there.

    Asserting it is empty is safe; real SQS may miss messages, never invent them. `wait=None` leaves the
    wait to the queue's ReceiveMessageWaitTimeSeconds; `wait=0` short-polls whatever the queue says.
    """
    params: dict[str, Any] = {"QueueUrl": url, "MaxNumberOfMessages": MAX_RECEIVE}
    if wait is not None:
        params["WaitTimeSeconds"] = wait
    return bodies(sqs.receive_message(**params).get("Messages", []))


def bodies(messages: list[dict[str, Any]]) -> list[str]:
    return [m["Body"] for m in messages]


def counts(sqs: Any, url: str) -> dict[str, int]:
    """visible / in flight / delayed, as SQS reports them (approximate on real SQS)."""
    names = [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    ]
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return {
        "visible": int(attrs.get(names[0], 0)),
        "in_flight": int(attrs.get(names[1], 0)),
        "delayed": int(attrs.get(names[2], 0)),
    }


def attribute(sqs: Any, url: str, name: str) -> str | None:
    # An attribute the queue does not have (FifoQueue on a standard queue) leaves "Attributes" out entirely.
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[name]).get("Attributes", {}).get(name)


def queue_url(sqs: Any, name: str) -> str | None:
    try:
        return sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        return None


def missing_queue_url(existing_url: str, name: str) -> str:
    """A URL on the same server and account as `existing_url`, for a queue that was never created.

    (Not a just-deleted queue: real SQS may still answer for a deleted queue for up to 60 s.)
    """
    return existing_url.rsplit("/", 1)[0] + "/" + name


def queue_names(sqs: Any, prefix: str) -> list[str]:
    urls: list[str] = []
    for page in sqs.get_paginator("list_queues").paginate(QueueNamePrefix=prefix):
        urls.extend(page.get("QueueUrls", []))
    return sorted(u.rsplit("/", 1)[-1] for u in urls)


# What SQS answers for a queue that does not exist: the JSON protocol's code, and the query protocol's.
MISSING_QUEUE_CODES = ("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue")


def is_missing_queue_error(error: BaseException | None) -> bool:
    """By its code, not its class: a client that learner code built itself raises classes of its own."""
    code = getattr(error, "response", {}).get("Error", {}).get("Code") if error is not None else None
    return error_code(code) in {error_code(c) for c in MISSING_QUEUE_CODES}


def error_code(value: Any) -> Any:
    """An error code without QUERY_PREFIX, so one expected code fits every backend; a non-string is kept as is."""
    return value.removeprefix(QUERY_PREFIX) if isinstance(value, str) else value


def eventually(condition: Callable[[], bool], clock: Any) -> bool:
    """Whether `condition` holds within SETTLE_ROUNDS, advancing the clock one second between tries."""
    for _ in range(SETTLE_ROUNDS):
        if condition():
            return True
        clock.advance(1)
    return condition()


@contextmanager
def empty_key_omitted(sqs: Any, operation: str, key: str) -> Iterator[None]:
    """Makes `operation`'s response leave out an empty `key` (QueueUrls, Tags), as real SQS does.

    Some emulators send [] or {} instead; the learner's code has to cope with the key being absent.
    """

    def drop(parsed: dict[str, Any], **_: Any) -> None:
        if not parsed.get(key):
            parsed.pop(key, None)

    event = f"after-call.sqs.{operation}"
    sqs.meta.events.register(event, drop)
    try:
        yield
    finally:
        sqs.meta.events.unregister(event, drop)


# Where SentRequests keeps a call's parameters between its two events (botocore's per-call context).
_PARAMS = "sqs_kata.sent_params"


class SentRequests:
    """Records the SQS calls made through a client, by action, with what each asked for.

    `with SentRequests(sqs) as sent: ...; sent["SendMessageBatch"]` holds one parameter dict per call, so
    len() counts the calls. Lets a test check *how* the learner did something (one batch call, not ten single
    sends) and what a call asked for (its VisibilityTimeout, its MaxResults). The parameters are the ones the
    code passed; a call is recorded once it is really sent, so one that botocore refused before sending is not.
    """

    def __init__(self, sqs: Any) -> None:
        self._sqs = sqs
        self.sent: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)

    def _keep(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context[_PARAMS] = dict(params)

    def _record(self, model: Any, context: dict[str, Any], **_: Any) -> None:
        self.sent[model.name].append(context.get(_PARAMS, {}))

    def __enter__(self) -> defaultdict[str, list[dict[str, Any]]]:
        # First in line: the parameters as the code passed them, before the realism layer maps receipt handles
        # or caps a receive; and the call counted even when the layer answers it itself (a fault, a short poll).
        self._sqs.meta.events.register_first("provide-client-params.sqs", self._keep)
        self._sqs.meta.events.register_first("before-call.sqs", self._record)
        return self.sent

    def __exit__(self, *_: Any) -> None:
        self._sqs.meta.events.unregister("provide-client-params.sqs", self._keep)
        self._sqs.meta.events.unregister("before-call.sqs", self._record)


class ReceivedBatches:
    """Records what each ReceiveMessage made through a client returned, as lists of bodies in arrival order.

    `with ReceivedBatches(sqs) as batches: ...; batches[0]` is the first receive's bodies. Tells a test which
    receive a message came in, e.g. to check that a consumer deleted a batch before it asked for the next.
    """

    def __init__(self, sqs: Any) -> None:
        self._sqs = sqs
        self.batches: list[list[str]] = []

    def _record(self, parsed: dict[str, Any], model: Any, http_response: Any, **_: Any) -> None:
        if model.name == "ReceiveMessage" and http_response.status_code < 300:
            self.batches.append([m.get("Body") for m in parsed.get("Messages", [])])

    def __enter__(self) -> list[list[str]]:
        # botocore calls handlers of a more specific event first: on "after-call.sqs", and last there, this sees
        # the response as the learner's code does, after the realism layer (order, redeliveries).
        self._sqs.meta.events.register_last("after-call.sqs", self._record)
        return self.batches

    def __exit__(self, *_: Any) -> None:
        self._sqs.meta.events.unregister("after-call.sqs", self._record)


@contextmanager
def fewer_per_receive(sqs: Any, at_most: int) -> Iterator[None]:
    """Make each ReceiveMessage hand out at most `at_most` messages, as real SQS may at any time.

    Real SQS can return fewer messages than MaxNumberOfMessages while more are waiting (it answers from
    a sample of its servers); emulators return all they can. A consumer that stops on a short batch
    instead of an empty one would leave messages behind on real SQS, so tests show it that case here.
    """

    def cap(params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name == "ReceiveMessage":
            params["MaxNumberOfMessages"] = min(int(params.get("MaxNumberOfMessages", 1)), at_most)

    # On "provide-client-params.sqs" (not ".ReceiveMessage", whose handlers botocore calls first), so that
    # SentRequests, first in line there, still records what the code asked for.
    sqs.meta.events.register_last("provide-client-params.sqs", cap)
    try:
        yield
    finally:
        sqs.meta.events.unregister("provide-client-params.sqs", cap)


def after_crash(sqs: Any, url: str, batches: list[list[str]], handler: Any, clock: Any) -> tuple[set[str], set[str]]:
    """After a worker died on a message (crash.handler) while receiving from a queue with VisibilityTimeout=1:
    the bodies it finished from receives before the one it died in, and every body back on the queue once the
    visibility timeout has passed (what was not deleted is delivered again)."""
    died_in = next((i for i, batch in enumerate(batches) if handler.crashed_on in batch), len(batches))
    earlier = {body for batch in batches[:died_in] for body in batch} & set(handler.handled)
    clock.advance(1.5)  # past the visibility timeout: whatever was not deleted is back
    left = set(bodies(receive_all(sqs, url, wait=1, visibility=30)))  # 30 s: each comes back to the grader once
    return earlier, left
