"""The request meter: what the learner's code made SQS do in a test, and what SQS would bill for it.

The plugin's `sqs` fixture puts a Meter on the test's client. Clients the learner's code builds itself share
that client's event emitter (sqs_kata.adoption), so the meter sees their requests too. Only requests made
while learner code runs are counted (context.current.in_call); the grader's own set-up and checks are not.

A request counts once it is made: one the realism layer answers itself (a short poll that sampled nothing, an
injected fault) is a request SQS would have answered and billed; one botocore refused before sending is not.
Billing follows SQS (sqs_kata.pricing): every action is a request, an empty receive too, a batch is one request,
and each 64 KB chunk of its payload is billed as one more.

    meter.usage.requests["ReceiveMessage"]   calls of one action
    meter.usage.billed_total                 requests as SQS bills them (64 KB chunks)
    meter.usage.per_message(n)               billed requests per message, for n messages moved
    meter.usage.as_record()                  what --kata-json keeps for the test
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqs_kata import pricing

# Where the meter keeps a call's own facts between its events (botocore's per-call context).
_CONTEXT = "sqs_kata.meter"
MAX_BATCH = 10  # entries per batch action, messages per ReceiveMessage
# Below this many messages moved, requests per message says more about set-up than about the code's shape.
MEANINGFUL_MESSAGES = 100


@dataclass
class Usage:
    """Requests and messages of one test's learner calls."""

    requests: Counter[str] = field(default_factory=Counter)  # calls, by action
    billed: Counter[str] = field(default_factory=Counter)  # billed requests, by queue type (standard / fifo)
    entries: Counter[str] = field(default_factory=Counter)  # batch entries sent, by batch action
    sent: int = 0  # messages SQS accepted (SendMessage, SendMessageBatch Successful)
    received: int = 0  # messages handed out by receives (a redelivery counts again)
    deleted: int = 0  # deletes SQS accepted (DeleteMessage, DeleteMessageBatch Successful)
    empty_receives: int = 0  # receives that handed out nothing
    short_polls: int = 0  # receives without a wait: WaitTimeSeconds 0 or not given (and no queue default seen)
    small_receives: int = 0  # receives that asked for fewer than 10 (MaxNumberOfMessages left at 1, say)

    @property
    def calls(self) -> int:
        return sum(self.requests.values())

    @property
    def billed_total(self) -> int:
        return sum(self.billed.values())

    @property
    def dollars(self) -> float:
        return pricing.dollars(dict(self.billed))

    @property
    def moved(self) -> int:
        """Messages that went through: the largest of sent, received and deleted."""
        return max(self.sent, self.received, self.deleted)

    def per_message(self, messages: int | None = None) -> float | None:
        """Billed requests per message moved (`messages`, or moved); None when no message moved."""
        count = self.moved if messages is None else messages
        return self.billed_total / count if count else None

    def as_record(self) -> dict[str, Any]:
        return {
            "requests": self.calls,
            "billed": self.billed_total,
            "by_action": dict(sorted(self.requests.items())),
            "by_queue_type": dict(sorted(self.billed.items())),
            "batch_entries": dict(sorted(self.entries.items())),
            "messages": {"sent": self.sent, "received": self.received, "deleted": self.deleted},
            "empty_receives": self.empty_receives,
            "short_polls": self.short_polls,
            "small_receives": self.small_receives,
            "dollars": round(self.dollars, 9),
        }


def from_record(record: dict[str, Any]) -> Usage:
    """A Usage back from as_record() (the CLI reads records it did not make)."""
    usage = Usage(
        Counter(record.get("by_action", {})),
        Counter(record.get("by_queue_type", {})),
        Counter(record.get("batch_entries", {})),
    )
    moved = record.get("messages", {})
    usage.sent, usage.received, usage.deleted = (int(moved.get(k, 0)) for k in ("sent", "received", "deleted"))
    usage.empty_receives = int(record.get("empty_receives", 0))
    usage.short_polls = int(record.get("short_polls", 0))
    usage.small_receives = int(record.get("small_receives", 0))
    return usage


def combined(usages: list[Usage]) -> Usage:
    total = Usage()
    for usage in usages:
        total.requests += usage.requests
        total.billed += usage.billed
        total.entries += usage.entries
        total.sent += usage.sent
        total.received += usage.received
        total.deleted += usage.deleted
        total.empty_receives += usage.empty_receives
        total.short_polls += usage.short_polls
        total.small_receives += usage.small_receives
    return total


class Meter:
    """Counts the learner's SQS requests on one client's event emitter (the test's, shared by adopted clients)."""

    def __init__(self, counting: Callable[[], bool]) -> None:
        self.usage = Usage()
        self._counting = counting
        self._queue_wait: dict[str, int] = {}  # queue URL -> ReceiveMessageWaitTimeSeconds, where a call set it

    def install(self, events: Any) -> Meter:
        # First in line: the parameters as the code passed them (before the realism layer caps a receive or
        # swaps receipt handles), and a request counted even when the layer answers it itself.
        events.register_first("provide-client-params.sqs", self._keep)
        events.register_first("before-call.sqs", self._request)
        # Last on after-call.sqs: the response as the code sees it, after the realism layer (redeliveries).
        events.register_last("after-call.sqs", self._response)
        return self

    def _keep(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context[_CONTEXT] = (self._counting(), dict(params))

    def _request(self, model: Any, context: dict[str, Any], **_: Any) -> None:
        counted, params = context.get(_CONTEXT, (False, {}))
        if not counted:
            return
        action, url = model.name, str(params.get("QueueUrl", ""))
        usage = self.usage
        usage.requests[action] += 1
        payload = 0
        if action == "SendMessage":
            payload = message_bytes(params)
        elif action == "SendMessageBatch":
            entries = [e for e in params.get("Entries") or [] if isinstance(e, dict)]
            payload = sum(message_bytes(e) for e in entries)
        count = len(params.get("Entries") or [])
        if count and action in ("SendMessageBatch", "DeleteMessageBatch", "ChangeMessageVisibilityBatch"):
            usage.entries[action] += count
        # A receive's payload is what comes back: its extra chunks are added in _response.
        usage.billed[pricing.queue_type(url)] += pricing.billed_requests(payload)
        if action == "ReceiveMessage":
            wait = params.get("WaitTimeSeconds", self._queue_wait.get(url, 0))
            usage.short_polls += not wait
            usage.small_receives += int(params.get("MaxNumberOfMessages", 1)) < MAX_BATCH

    def _response(
        self, parsed: dict[str, Any], model: Any, context: dict[str, Any], http_response: Any, **_: Any
    ) -> None:
        counted, params = context.get(_CONTEXT, (False, {}))
        if http_response.status_code >= 300:
            return
        usage, action = self.usage, model.name
        self._remember_wait(action, params, parsed)
        if not counted:
            return
        if action == "ReceiveMessage":
            messages = parsed.get("Messages") or []
            usage.received += len(messages)
            usage.empty_receives += not messages
            extra = pricing.billed_requests(sum(message_bytes(m, body_key="Body") for m in messages)) - 1
            usage.billed[pricing.queue_type(str(params.get("QueueUrl", "")))] += extra
        elif action == "SendMessage":
            usage.sent += 1
        elif action == "SendMessageBatch":
            usage.sent += len(parsed.get("Successful") or [])
        elif action == "DeleteMessage":
            usage.deleted += 1
        elif action == "DeleteMessageBatch":
            usage.deleted += len(parsed.get("Successful") or [])

    def _remember_wait(self, action: str, params: dict[str, Any], parsed: dict[str, Any]) -> None:
        """A queue's default wait, where a call (the grader's or the learner's) set it: a receive without
        WaitTimeSeconds long-polls on such a queue."""
        attributes = params.get("Attributes") if action in ("CreateQueue", "SetQueueAttributes") else None
        if not isinstance(attributes, dict) or "ReceiveMessageWaitTimeSeconds" not in attributes:
            return
        url = parsed.get("QueueUrl") if action == "CreateQueue" else params.get("QueueUrl")
        try:
            wait = int(attributes["ReceiveMessageWaitTimeSeconds"])
        except (TypeError, ValueError):
            return
        if isinstance(url, str):
            self._queue_wait[url] = wait


def message_bytes(message: dict[str, Any], body_key: str = "MessageBody") -> int:
    """A message's payload as SQS sizes it: the body and every attribute's name, type and value, in bytes."""
    size = len(str(message.get(body_key, "")).encode("utf-8"))
    for name, value in (message.get("MessageAttributes") or {}).items():
        size += len(str(name).encode("utf-8"))
        if isinstance(value, dict):
            size += len(str(value.get("DataType", "")).encode("utf-8"))
            if isinstance(value.get("BinaryValue"), (bytes, bytearray)):
                size += len(value["BinaryValue"])
            elif value.get("StringValue") is not None:
                size += len(str(value["StringValue"]).encode("utf-8"))
    return size
