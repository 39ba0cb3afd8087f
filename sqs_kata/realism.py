"""Real SQS, not the emulator's kindness: the grader's realism layer and fault injection.

moto and ElasticMQ answer more kindly than Amazon SQS does. They hand out a standard queue's messages in
send order, answer a short poll with every waiting message, deliver each message exactly once, list
results in creation order, hand out short receipt handles, and skip checks that SQS makes. Code that
leans on any of that passes on the emulator and breaks on AWS. So, on the client the learner's code
receives, this layer puts back what the SQS documentation allows (its worst case), through botocore's
event hooks (no emulator is patched):

  on every call (learner's and grader's alike; deterministic, so the grader's own checks stay exact)
    - receipt handles in SQS's own format: long, opaque, with + / = (mapped back before a request leaves);
      an unknown handle is refused (ReceiptHandleIsInvalid) and a stale one deletes nothing, as on SQS;
    - requests validated where the emulators do not: batch entry Ids, body bytes and characters,
      message attribute names, types and values, WaitTimeSeconds;
    - list calls paged as SQS pages them: ListMessageMoveTasks gives ONE task without MaxResults,
      ListQueues and ListDeadLetterSourceQueues give NextToken only when MaxResults is given;
  on the learner's calls only (seeded from the test id, so a failure can be replayed)
    - a standard queue's messages in any order, and fewer than MaxNumberOfMessages at a time;
    - a short poll that samples too few servers and comes back empty while messages wait;
    - a message delivered twice (at-least-once), where a test asks for it;
    - batch Successful/Failed lists and list results in any order; empty lists left out of responses.

Faults (throttling, access denied, internal errors, per-entry failures with SenderFault=false) are injected
only where a test asks for them, into the learner's next call of an action.

What the layer did in a test is kept as notes, which the plugin adds to a failing test's message.
Docs: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/standard-queues.html
      https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html
"""

from __future__ import annotations

import base64
import random
import re
import secrets
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders

from sqs_kata.messages import say
from sqs_kata.meter import message_bytes

BATCH_ACTIONS = ("SendMessageBatch", "DeleteMessageBatch", "ChangeMessageVisibilityBatch")
HANDLE_ACTIONS = ("DeleteMessage", "ChangeMessageVisibility", "DeleteMessageBatch", "ChangeMessageVisibilityBatch")

# Documented SQS rules the emulators do not (all) check.
BATCH_ENTRY_ID = re.compile(r"[A-Za-z0-9_-]{1,80}")
ATTRIBUTE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,256}")
MAX_MESSAGE_BYTES = 1_048_576  # body plus message attributes, in bytes
MAX_MESSAGE_ATTRIBUTES = 10
MAX_WAIT_SECONDS = 20
MAX_RESULTS = {"ListQueues": 1000, "ListDeadLetterSourceQueues": 1000, "ListMessageMoveTasks": 10}
BOOLEAN_ATTRIBUTES = ("FifoQueue", "ContentBasedDeduplication", "SqsManagedSseEnabled")
# Characters a message may hold: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.
INVALID_BODY_CHARACTER = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# MessageGroupId / MessageDeduplicationId: 1 to 128 alphanumeric or punctuation characters (no spaces).
FIFO_TOKEN = re.compile(r"""[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]{1,128}""")
QUERY_PREFIX = "AWS.SimpleQueueService."
# The keys a response leaves out when they would be empty (AWS JSON protocol); never ResponseMetadata.
EMPTY_KEYS_LEFT_OUT = ("Messages", "QueueUrls", "queueUrls", "Successful", "Failed", "Tags", "Results", "Attributes")


# How often a receive hands out fewer messages than MaxNumberOfMessages while more wait.
SHORT_RECEIVE_CHANCE = 0.5


@dataclass(frozen=True)
class Fault:
    """An error SQS can answer with: what botocore shows as Error.Code, and the HTTP status."""

    code: str
    status: int
    sender_fault: bool
    message: str
    modelled: str | None = None  # the modelled exception's name, when botocore has a class for it

    def response(self) -> tuple[AWSResponse, dict[str, Any]]:
        error: dict[str, Any] = {
            "Code": self.code,
            "Message": self.message,
            "Type": "Sender" if self.sender_fault else "Receiver",
        }
        if self.modelled:
            error["QueryErrorCode"] = self.modelled  # how botocore picks sqs.exceptions.<modelled>
        return _http(self.status), {"Error": error, "ResponseMetadata": _metadata(self.status)}


FAULTS = {
    "RequestThrottled": Fault("RequestThrottled", 400, True, "Rate exceeded", "RequestThrottled"),
    "ThrottlingException": Fault("ThrottlingException", 400, True, "Rate exceeded"),
    "AccessDenied": Fault("AccessDenied", 403, True, "Access to the resource is denied."),
    "InternalError": Fault("InternalError", 500, False, "We encountered an internal error. Please try again."),
    "ServiceUnavailable": Fault("ServiceUnavailable", 503, False, "Service is unavailable. Try again later."),
    "KmsThrottled": Fault(
        QUERY_PREFIX + "KmsThrottled", 400, True, "The request was denied due to throttling.", "KmsThrottled"
    ),
    # ElasticMQ never refuses a second purge within 60 s; SQS does.
    "PurgeQueueInProgress": Fault(
        QUERY_PREFIX + "PurgeQueueInProgress",
        400,
        True,
        "Only one PurgeQueue operation on a queue is allowed every 60 seconds.",
        "PurgeQueueInProgress",
    ),
}


def _invalid(code: str, message: str, modelled: str | None = None) -> Fault:
    return Fault(code, 400, True, message, modelled)


def _metadata(status: int) -> dict[str, Any]:
    return {"RequestId": secrets.token_hex(16), "HTTPStatusCode": status, "HTTPHeaders": {}, "RetryAttempts": 0}


def _http(status: int) -> AWSResponse:
    return AWSResponse("https://sqs.invalid/", status, HTTPHeaders(), None)


def _ok(parsed: dict[str, Any]) -> tuple[AWSResponse, dict[str, Any]]:
    return _http(200), {**parsed, "ResponseMetadata": _metadata(200)}


@dataclass
class _EntryOutcome:
    """A batch entry answered by the layer itself: taken out of the request, put back into the response."""

    id: str
    fault: Fault | None  # None: reported as Successful


class Faults:
    """What the test asked to go wrong in the learner's next calls: `faults.next("SendMessage", "AccessDenied")`."""

    def __init__(self) -> None:
        self._calls: dict[str, deque[Fault]] = {}
        self._entries: dict[str, deque[tuple[int, Fault]]] = {}
        self.injected: list[str] = []

    def next(self, action: str, code: str = "InternalError", *, times: int = 1) -> None:
        """The learner's next `times` calls of `action` fail with `code` (a key of FAULTS)."""
        self._calls.setdefault(action, deque()).extend([FAULTS[code]] * times)

    def entry(self, action: str, index: int, code: str = "InternalError") -> None:
        """In the learner's next `action` batch call, the entry at `index` fails (SenderFault from FAULTS)."""
        self._entries.setdefault(action, deque()).append((index, FAULTS[code]))

    def take_call(self, action: str) -> Fault | None:
        queue = self._calls.get(action)
        return queue.popleft() if queue else None

    def take_entries(self, action: str) -> list[tuple[int, Fault]]:
        queue = self._entries.pop(action, deque())
        return list(queue)


class Layer:
    """The realism layer and the fault injector on one client, for one test."""

    CONTEXT = "sqs_kata.realism"

    def __init__(
        self,
        client: Any,
        *,
        seed: int,
        realistic: bool,
        in_learner_call: Callable[[], bool],
        duplicates: bool = False,
        fewer: float = SHORT_RECEIVE_CHANCE,
    ) -> None:
        self.client = client
        self.seed = seed
        self.realistic = realistic
        self.duplicates = duplicates
        self.fewer = fewer  # the chance that a long poll hands out fewer than asked (a short poll: always 1/2)
        self.faults = Faults()
        self._in_learner_call = in_learner_call
        self._rng = random.Random(seed)
        self._real_of: dict[str, str] = {}  # disguised receipt handle -> the server's
        self._message_of: dict[str, str] = {}  # server's receipt handle -> MessageId
        self._latest: dict[str, str] = {}  # MessageId -> its newest server receipt handle
        self._deleted: set[str] = set()  # server receipt handles deleted through this client
        self._delivered: dict[str, dict[str, Any]] = {}  # MessageId -> a copy, for redelivery (standard queues)
        self._redelivered: set[str] = set()
        self._queue_wait: dict[str, int] = {}  # queue URL -> its ReceiveMessageWaitTimeSeconds, when seen
        self._short_polls = 0
        self._last_sampled_nothing = False
        self.notes: dict[str, str] = {}  # kind -> learner-facing sentence, in the order first seen
        self._handlers = [
            ("provide-client-params.sqs", self._request, "last"),
            ("before-call.sqs", self._short_circuit, "normal"),
            ("after-call.sqs", self._response, "first"),
        ]

    # ---- installing ---------------------------------------------------------------------------------
    def install(self) -> Layer:
        events = self.client.meta.events
        for event, handler, where in self._handlers:
            {"last": events.register_last, "first": events.register_first, "normal": events.register}[where](
                event, handler, unique_id=f"sqs-kata-{event}"
            )
        return self

    def uninstall(self) -> None:
        for event, _, _ in self._handlers:
            self.client.meta.events.unregister(event, unique_id=f"sqs-kata-{event}")

    # ---- the request on its way out ------------------------------------------------------------------
    def _request(self, params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        action = model.name
        learner = self._in_learner_call()
        state: dict[str, Any] = {"learner": learner, "params": dict(params), "entries": []}
        context[self.CONTEXT] = state
        fault = self.faults.take_call(action) if learner else None
        if fault is not None:
            self.faults.injected.append(f"{action}: {fault.code}")
            state["response"] = fault.response()
            return
        if self.realistic:
            refusal = _validate(action, params)
            if refusal is not None:
                state["response"] = refusal.response()
                self._note(
                    "refused",
                    say(f"SQS 拒絕了這個請求：{refusal.message}", f"SQS refused a request: {refusal.message}"),
                )
                return
        if learner:  # before the handles are unmasked, so `index` counts the entries as the learner passed them
            self._entry_faults(action, params, state)
        if self.realistic and "response" not in state:
            self._unmask_handles(action, params, state)
        if "response" not in state and self.realistic and learner and action == "ReceiveMessage":
            self._shape_receive(params, state)

    def _unmask_handles(self, action: str, params: dict[str, Any], state: dict[str, Any]) -> None:
        """Disguised receipt handles back to the server's; unknown ones refused, stale ones answered here."""
        if action not in HANDLE_ACTIONS:
            return
        if "Entries" not in params:
            handle = params.get("ReceiptHandle")
            if not isinstance(handle, str):
                return
            real = self._real_of.get(handle)
            if real is None:
                state["response"] = _invalid(
                    QUERY_PREFIX + "ReceiptHandleIsInvalid",
                    f'The input receipt handle "{handle[:40]}" is not a valid receipt handle.',
                    "ReceiptHandleIsInvalid",
                ).response()
            elif action == "DeleteMessage" and self._is_stale_or_deleted(real):
                # SQS: deleting with an old receipt handle "succeeds, but the message will not be deleted".
                state["response"] = _ok({})
            else:
                params["ReceiptHandle"] = real
            return
        kept, outcomes = [], []
        for entry in params.get("Entries") or []:
            handle = entry.get("ReceiptHandle") if isinstance(entry, dict) else None
            real = self._real_of.get(handle) if isinstance(handle, str) else None
            if isinstance(handle, str) and real is None:
                outcomes.append(
                    _EntryOutcome(
                        str(entry.get("Id")),
                        _invalid(
                            "ReceiptHandleIsInvalid",
                            f'The input receipt handle "{handle[:40]}" is not a valid receipt handle.',
                        ),
                    )
                )
            elif real is not None and action == "DeleteMessageBatch" and self._is_stale_or_deleted(real):
                outcomes.append(_EntryOutcome(str(entry.get("Id")), None))
            else:
                kept.append({**entry, "ReceiptHandle": real} if real is not None else entry)
        self._answer_entries(params, state, kept, outcomes)

    def _is_stale_or_deleted(self, real: str) -> bool:
        message_id = self._message_of.get(real)
        return real in self._deleted or (message_id is not None and self._latest.get(message_id) != real)

    def _entry_faults(self, action: str, params: dict[str, Any], state: dict[str, Any]) -> None:
        if action not in BATCH_ACTIONS or "response" in state:
            return
        planned = self.faults.take_entries(action)
        if not planned:
            return
        entries = list(params.get("Entries") or [])
        failing = {index: fault for index, fault in planned if index < len(entries)}
        kept = [e for i, e in enumerate(entries) if i not in failing]
        outcomes = [_EntryOutcome(str(entries[i].get("Id")), fault) for i, fault in failing.items()]
        self.faults.injected.extend(f"{action} entry {entries[i].get('Id')}: {f.code}" for i, f in failing.items())
        self._answer_entries(params, state, kept, outcomes)

    def _answer_entries(
        self, params: dict[str, Any], state: dict[str, Any], kept: list[Any], outcomes: list[_EntryOutcome]
    ) -> None:
        """Send `kept` (a new list: what the caller passed, and SentRequests kept, is untouched); answer the rest."""
        state["entries"].extend(outcomes)
        if kept or not outcomes:
            params["Entries"] = kept
        else:  # nothing left to send: an empty batch would be refused, so SQS's answer is made here
            state["response"] = _ok({})

    def _shape_receive(self, params: dict[str, Any], state: dict[str, Any]) -> None:
        """Short polls that sample too few servers (standard queues); fewer messages than asked (any queue)."""
        url = str(params.get("QueueUrl", ""))
        wait = params.get("WaitTimeSeconds", self._queue_wait.get(url, 0))
        if wait == 0 and not url.endswith(".fifo"):
            self._short_polls += 1
            # The first short poll of a test always samples servers that hold nothing; later ones half of the time,
            # but never twice in a row (SQS: "a subsequent request will return your messages").
            if self._short_polls == 1 or (not self._last_sampled_nothing and self._rng.random() < 0.5):
                state["response"] = _ok({})
                state["sampled_nothing"] = self._last_sampled_nothing = True
                return
            self._last_sampled_nothing = False
        asked = params.get("MaxNumberOfMessages", 1)
        # A short poll samples a subset of servers: often fewer than asked. A long poll asks them all, so with a
        # backlog it comes back full more often; a test about cost says how often it does not (realism(fewer=)).
        chance = self.fewer if wait else SHORT_RECEIVE_CHANCE
        if isinstance(asked, int) and asked > 1 and self._rng.random() < chance:
            params["MaxNumberOfMessages"] = self._rng.randint(1, asked - 1)
            state["capped"] = asked

    def _short_circuit(self, context: dict[str, Any], **_: Any) -> Any:
        state = context.get(self.CONTEXT)
        return state.get("response") if state else None

    # ---- the response on its way back ----------------------------------------------------------------
    def _response(
        self, parsed: dict[str, Any], model: Any, context: dict[str, Any], http_response: Any, **_: Any
    ) -> None:
        state = context.get(self.CONTEXT)
        if state is None or http_response.status_code >= 300:
            return
        action, learner, params = model.name, state["learner"], state["params"]
        self._remember_queue_settings(action, params, parsed)
        for outcome in state["entries"]:
            if outcome.fault is None:
                parsed.setdefault("Successful", []).append({"Id": outcome.id})
            else:
                parsed.setdefault("Failed", []).append(
                    {
                        "Id": outcome.id,
                        "SenderFault": outcome.fault.sender_fault,
                        "Code": outcome.fault.code,
                        "Message": outcome.fault.message,
                    }
                )
        if action in ("DeleteMessage", "DeleteMessageBatch"):
            self._remember_deleted(action, params, parsed)
        if not self.realistic:
            return
        if action == "ReceiveMessage":
            self._received(parsed, params, state, learner)
        elif action == "ListMessageMoveTasks" and "MaxResults" not in params:
            # SQS: MaxResults defaults to 1, so without it only the newest task is listed.
            parsed["Results"] = parsed.get("Results", [])[:1]
        elif action in ("ListQueues", "ListDeadLetterSourceQueues") and "MaxResults" not in params:
            # SQS returns NextToken only when the request gave MaxResults (and at most 1000 URLs without it).
            parsed.pop("NextToken", None)
            key = "QueueUrls" if action == "ListQueues" else "queueUrls"
            if key in parsed:
                parsed[key] = parsed[key][:1000]
        if learner:
            self._unordered(action, parsed, params)
            for key in EMPTY_KEYS_LEFT_OUT:
                if key in parsed and not parsed[key]:
                    del parsed[key]

    def _remember_queue_settings(self, action: str, params: dict[str, Any], parsed: dict[str, Any]) -> None:
        url = parsed.get("QueueUrl") if action == "CreateQueue" else params.get("QueueUrl")
        attributes = params.get("Attributes") if action in ("CreateQueue", "SetQueueAttributes") else None
        if isinstance(attributes, dict) and url and "ReceiveMessageWaitTimeSeconds" in attributes:
            try:
                self._queue_wait[url] = int(attributes["ReceiveMessageWaitTimeSeconds"])
            except (TypeError, ValueError):
                pass

    def _remember_deleted(self, action: str, params: dict[str, Any], parsed: dict[str, Any]) -> None:
        if action == "DeleteMessage":
            handle = params.get("ReceiptHandle")
            if isinstance(handle, str):
                self._deleted.add(self._real_of.get(handle, handle))
            return
        by_id = {str(e.get("Id")): e.get("ReceiptHandle") for e in params.get("Entries") or [] if isinstance(e, dict)}
        for success in parsed.get("Successful", []):
            handle = by_id.get(success.get("Id"))
            if isinstance(handle, str):
                self._deleted.add(self._real_of.get(handle, handle))

    def _received(self, parsed: dict[str, Any], params: dict[str, Any], state: dict[str, Any], learner: bool) -> None:
        messages = parsed.get("Messages", [])
        fifo = str(params.get("QueueUrl", "")).endswith(".fifo")
        for message in messages:
            real = message.get("ReceiptHandle")
            if not isinstance(real, str):
                continue
            message_id = message.get("MessageId", "")
            self._message_of[real] = message_id
            self._latest[message_id] = real
            message["ReceiptHandle"] = self._disguise(real)
            if not fifo:
                self._delivered.setdefault(message_id, dict(message))
        if not learner:
            return
        if state.get("sampled_nothing"):
            self._note(
                "short-poll",
                say(
                    "短輪詢（WaitTimeSeconds=0）只問了部分伺服器，雖然佇列裡有訊息，卻回來空的：真的 SQS 會這樣",
                    "answered a short poll (WaitTimeSeconds=0) from a sample of servers that held nothing, while "
                    "messages waited: real SQS does this",
                ),
            )
        if state.get("capped") and messages:
            self._note(
                "fewer",
                say(
                    f"一次只給了 {len(messages)} 則，少於 MaxNumberOfMessages={state['capped']}，雖然還有訊息在等：真的 SQS 會這樣",
                    f"handed out {len(messages)} message(s), fewer than MaxNumberOfMessages={state['capped']}, "
                    "while more waited: real SQS does this",
                ),
            )
        if fifo:
            return
        if self.duplicates:
            self._redeliver(parsed, params)
            messages = parsed.get("Messages", [])
        if len(messages) > 1:
            parsed["Messages"] = self._reordered(messages)
            self._note(
                "order",
                say(
                    "標準佇列的訊息沒有照傳送順序回來（標準佇列不保證順序）",
                    "returned a standard queue's messages out of send order (standard queues promise no order)",
                ),
            )

    def _redeliver(self, parsed: dict[str, Any], params: dict[str, Any]) -> None:
        """At-least-once delivery: a message already handed out comes once more, with a new receipt handle."""
        messages = parsed.setdefault("Messages", [])
        room = int(params.get("MaxNumberOfMessages", 1)) - len(messages)
        current = {m.get("MessageId") for m in messages}
        candidates = [mid for mid in self._delivered if mid not in self._redelivered and mid not in current]
        self._rng.shuffle(candidates)
        for message_id in candidates:
            if room <= 0:
                break
            # Every message is redelivered once, the first as soon as a later receive comes.
            if self._redelivered and self._rng.random() < 0.5:
                continue
            copy = dict(self._delivered[message_id])
            copy["ReceiptHandle"] = self._disguise(self._latest.get(message_id, ""))
            messages.append(copy)
            self._redelivered.add(message_id)
            room -= 1
            self._note(
                "duplicate",
                say(
                    "把一則已經送過的訊息再送了一次（同一個 MessageId）：標準佇列「至少一次」傳遞",
                    "delivered a message a second time (same MessageId): standard queues deliver at least once",
                ),
            )
        if not messages:
            parsed.pop("Messages")

    def _unordered(self, action: str, parsed: dict[str, Any], params: dict[str, Any]) -> None:
        """Lists whose order SQS does not promise come back in another order."""
        position = {str(e.get("Id")): i for i, e in enumerate(params.get("Entries") or []) if isinstance(e, dict)}
        for key in ("Successful", "Failed", "QueueUrls", "queueUrls"):
            items = parsed.get(key)
            if isinstance(items, list) and len(items) > 1:
                if key in ("Successful", "Failed"):  # from the request's order, so that order is never kept
                    items = sorted(items, key=lambda entry: position.get(str(entry.get("Id")), len(position)))
                parsed[key] = self._reordered(items)
                self._note(
                    "list-order",
                    say(
                        f"{action} 回應裡 {key} 的順序和請求不同（SQS 不保證這個順序）",
                        f"returned {action}'s {key} in another order (SQS promises none)",
                    ),
                )
        for key in ("Tags", "Attributes"):  # maps: code that zips their values with the names asked for breaks
            mapping = parsed.get(key)
            if isinstance(mapping, dict) and len(mapping) > 1:
                parsed[key] = {k: mapping[k] for k in self._reordered(list(mapping))}

    def _reordered(self, items: list[Any]) -> list[Any]:
        """`items` in another order (never the same one: a check must not pass by luck of the seed)."""
        order = list(items)
        if all(item == items[0] for item in items):
            return order
        # With three or more, not the reverse either: code that assumes either order must meet another.
        while order == items or (len(items) > 2 and order == items[::-1]):
            self._rng.shuffle(order)
        return order

    def _disguise(self, real: str) -> str:
        """A receipt handle as SQS writes them: 'AQEB' and a few hundred base64 characters, + / = included."""
        body = base64.b64encode(self._rng.randbytes(self._rng.randint(280, 300))).decode()
        disguised = "AQEB" + body
        self._real_of[disguised] = real
        return disguised

    def _note(self, kind: str, sentence: str) -> None:
        self.notes.setdefault(kind, sentence)

    def report(self) -> str:
        """What this test's learner calls met, for a failure message; '' when nothing was simulated."""
        if not self.notes and not self.faults.injected:
            return ""
        lines = [
            say(
                f"這個測試模擬了真的 SQS（realism seed {self.seed}；除錯時可用 --sqs-realism=off 比較）：",
                f"In this test the grader acted as real SQS does (realism seed {self.seed}; "
                "--sqs-realism=off to compare while debugging):",
            )
        ]
        lines += [f"  - {sentence}" for sentence in self.notes.values()]
        lines += [say(f"  - 注入的錯誤：{item}", f"  - injected error: {item}") for item in self.faults.injected]
        lines.append(say("  你的程式要在真的 SQS 上也能正確運作。", "  Your code must work on real SQS too."))
        return "\n".join(lines)


# ---- what SQS checks that the emulators may not -----------------------------------------------------------
def _validate(action: str, params: dict[str, Any]) -> Fault | None:
    if action in BATCH_ACTIONS:
        return _validate_batch(action, params.get("Entries"))
    if action == "SendMessage":
        return _validate_message(params)
    if action in MAX_RESULTS:
        limit, value = MAX_RESULTS[action], params.get("MaxResults")
        if isinstance(value, int) and not 1 <= value <= limit:
            return _invalid(
                "InvalidParameterValue",
                f"Value {value} for parameter MaxResults is invalid. Reason: "
                f"MaxResults must be an integer between 1 and {limit}.",
            )
    if action in ("CreateQueue", "SetQueueAttributes"):
        for name in BOOLEAN_ATTRIBUTES:
            value = (params.get("Attributes") or {}).get(name)
            if isinstance(value, str) and value.lower() not in ("true", "false"):
                return _invalid(
                    QUERY_PREFIX + "InvalidAttributeValue",
                    f"Invalid value for the parameter {name}.",
                    "InvalidAttributeValue",
                )
    if action == "ReceiveMessage":
        wait = params.get("WaitTimeSeconds")
        if isinstance(wait, int) and not 0 <= wait <= MAX_WAIT_SECONDS:
            return _invalid(
                "InvalidParameterValue",
                f"Value {wait} for parameter WaitTimeSeconds is invalid. "
                f"Reason: Must be >= 0 and <= {MAX_WAIT_SECONDS}, if provided.",
            )
    return None


def _validate_batch(action: str, entries: Any) -> Fault | None:
    if not isinstance(entries, list) or not entries or len(entries) > 10:
        return None  # empty or too long: the server refuses it with its own code
    ids = [e.get("Id") for e in entries if isinstance(e, dict)]
    if len(set(ids)) != len(ids):
        return None  # BatchEntryIdsNotDistinct: the server says it
    for entry_id in ids:
        if not isinstance(entry_id, str) or not BATCH_ENTRY_ID.fullmatch(entry_id):
            return _invalid(
                QUERY_PREFIX + "InvalidBatchEntryId",
                f"A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
                f"It can be at most 80 letters long. (Id {str(entry_id)[:90]!r})",
                "InvalidBatchEntryId",
            )
    if action == "SendMessageBatch":
        total = 0
        for entry in entries:
            refusal = _validate_message(entry)
            if refusal is not None:
                return refusal
            total += message_bytes(entry)
        if total > MAX_MESSAGE_BYTES:
            return _invalid(
                QUERY_PREFIX + "BatchRequestTooLong",
                f"Batch requests cannot be longer than {MAX_MESSAGE_BYTES} bytes. You have sent {total} bytes.",
                "BatchRequestTooLong",
            )
    return None


def _validate_message(message: dict[str, Any]) -> Fault | None:
    body = message.get("MessageBody")
    if not isinstance(body, str):
        return None
    if body == "":
        return _invalid("MissingParameter", "The request must contain the parameter MessageBody.")
    bad = INVALID_BODY_CHARACTER.search(body)
    if bad:
        return _invalid(
            QUERY_PREFIX + "InvalidMessageContents",
            f"Invalid binary character '#x{ord(bad.group()):X}'"
            " was found in the message body, the set of allowed characters is #x9 | #xA | #xD | "
            "#x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
            "InvalidMessageContents",
        )
    for key in ("MessageGroupId", "MessageDeduplicationId"):
        value = message.get(key)
        if isinstance(value, str) and not FIFO_TOKEN.fullmatch(value):
            return _invalid(
                "InvalidParameterValue",
                f"Value {value[:130]!r} for parameter {key} is invalid. Reason: "
                f"{key} can only include alphanumeric and punctuation characters. 1 to 128 in length.",
            )
    attributes = message.get("MessageAttributes") or {}
    if isinstance(attributes, dict):
        if len(attributes) > MAX_MESSAGE_ATTRIBUTES:
            return _invalid(
                "InvalidParameterValue",
                f"Number of message attributes [{len(attributes)}] exceeds the "
                f"allowed maximum [{MAX_MESSAGE_ATTRIBUTES}].",
            )
        for name, value in attributes.items():
            refusal = _validate_attribute(str(name), value)
            if refusal is not None:
                return refusal
    size = message_bytes(message)
    if size > MAX_MESSAGE_BYTES:
        return _invalid(
            "InvalidParameterValue",
            f"One or more parameters are invalid. Reason: Message must be "
            f"shorter than {MAX_MESSAGE_BYTES} bytes (this one is {size} bytes in UTF-8).",
        )
    return None


def _validate_attribute(name: str, value: Any) -> Fault | None:
    if (
        not ATTRIBUTE_NAME.fullmatch(name)
        or ".." in name
        or name.startswith(".")
        or name.endswith(".")
        or name.lower().startswith(("aws.", "amazon."))
    ):
        return _invalid(
            "InvalidParameterValue",
            f"Message attribute name '{name}' is invalid: up to 256 of "
            "A-Z a-z 0-9 _ - . (no '..', not starting or ending with '.', not starting with AWS. "
            "or Amazon.).",
        )
    if not isinstance(value, dict):
        return None
    data_type = str(value.get("DataType", ""))
    base = data_type.split(".", 1)[0]
    if base not in ("String", "Number", "Binary"):
        return _invalid(
            "InvalidParameterValue",
            f"The message attribute '{name}' has an invalid message attribute "
            f"type {data_type!r}, the set of supported type prefixes is Binary, Number, and String.",
        )
    text = value.get("StringValue")
    if base in ("String", "Number") and (text is None or text == ""):
        return _invalid(
            "InvalidParameterValue",
            f"The message attribute '{name}' must contain a non-empty "
            f"message attribute value for message attribute type '{data_type}'.",
        )
    if base == "Number" and isinstance(text, str) and not _is_sqs_number(text):
        return _invalid(
            "InvalidParameterValue", f"Can't cast the value of message (user) attribute '{name}' to a number: {text!r}."
        )
    if base == "Binary" and not value.get("BinaryValue"):
        return _invalid(
            "InvalidParameterValue",
            f"The message attribute '{name}' must contain a non-empty "
            f"message attribute value for message attribute type '{data_type}'.",
        )
    return None


def _is_sqs_number(text: str) -> bool:
    """SQS Numbers: up to 38 digits of precision, from 10^-128 to 10^+126, finite."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return False
    if not number.is_finite() or text != text.strip():
        return False
    if number == 0:
        return True
    digits = len(number.as_tuple().digits)
    return digits <= 38 and -128 <= number.adjusted() <= 126
