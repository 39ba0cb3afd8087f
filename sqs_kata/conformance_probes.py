"""The conformance catalogue: documented Amazon SQS behaviours, each a small probe.

A probe gets a Probe (a boto3 client on a raw backend -- no realism layer: the report is about the emulator --,
queues of its own, and the backend's clock) and returns None when the backend does what the AWS page says, else
one line saying what it answered instead. `sqs_kata.conformance` runs the catalogue and writes the report.

Details must be deterministic (error codes, counts; never queue names, ids or times): the committed report is
compared with a fresh one in CI.
"""

from __future__ import annotations

import hashlib
import json
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

_DOCS = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/"
MIB = 1_048_576  # the message and batch payload limit since 2025-08 (quotas-messages)


def api(action: str) -> str:
    return f"{_DOCS}APIReference/API_{action}.html"


def guide(page: str, anchor: str = "") -> str:
    return f"{_DOCS}SQSDeveloperGuide/{page}.html" + (f"#{anchor}" if anchor else "")


QUOTAS_MESSAGES = guide("quotas-messages")
QUOTAS_QUEUES = guide("quotas-queues")
MESSAGE_ATTRIBUTES = guide("sqs-message-metadata")
FIFO_DEDUP = guide("FIFO-queues-exactly-once-processing")
FIFO_ORDER = guide("FIFO-queues-understanding-logic")
VISIBILITY = guide("sqs-visibility-timeout")
DLQ = guide("sqs-dead-letter-queues")
TAGS = guide("sqs-queue-tags")
BATCH = guide("sqs-batch-api-actions")
POLLING = guide("sqs-short-and-long-polling")
HIGH_THROUGHPUT = guide("high-throughput-fifo")


class Differs(Exception):
    """Raised by a probe that cannot go on: its text is the cell's detail."""


class Probe:
    """What one probe may use on one backend: a client, queues named for it alone, and the backend's time."""

    def __init__(self, sqs: Any, prefix: str, advance: Callable[[float], None]) -> None:
        self.sqs = sqs
        self.prefix = prefix
        self._advance = advance
        self.made: list[str] = []

    def name(self, suffix: str = "q", fifo: bool = False) -> str:
        return self.prefix + suffix + (".fifo" if fifo else "")

    def queue(self, suffix: str = "q", fifo: bool = False, **attributes: str) -> str:
        if fifo:
            attributes = {"FifoQueue": "true", **attributes}
        url = self.sqs.create_queue(QueueName=self.name(suffix, fifo), Attributes=attributes)["QueueUrl"]
        self.made.append(url)
        return url

    def arn(self, url: str) -> str:
        return self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    def attributes(self, url: str, *names: str) -> dict[str, str]:
        answer = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(names or ["All"]))
        return answer.get("Attributes", {})

    def send(self, url: str, body: str = "m", **kwargs: Any) -> dict[str, Any]:
        return self.sqs.send_message(QueueUrl=url, MessageBody=body, **kwargs)

    def receive(self, url: str, wait: int = 0, count: int = 10, **kwargs: Any) -> list[dict[str, Any]]:
        """wait > 0 where a message is expected: a long poll returns as soon as one is there."""
        answer = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=wait, MaxNumberOfMessages=count, **kwargs)
        return answer.get("Messages", [])

    def receive_one(self, url: str, **kwargs: Any) -> dict[str, Any]:
        """The message a probe needs before it can check anything; without it the probe ends as Differs."""
        got = self.receive(url, wait=2, count=1, **kwargs)
        if not got:
            raise Differs("received no message that was sent")
        return got[0]

    def wait(self, seconds: float) -> None:
        """Let time pass on the backend: simulated on moto, really waited on a live server."""
        self._advance(seconds)

    def now(self) -> float:
        return time.time()  # moto's simulated clock moves time.time(), so elapsed times agree with the server

    def cleanup(self) -> None:
        for url in reversed(self.made):  # sources before their dead-letter queues
            try:
                self.sqs.delete_queue(QueueUrl=url)
            except Exception:  # noqa: BLE001 -- already gone (a probe may delete its own queue)
                pass


# --- Errors ---------------------------------------------------------------------------------------

# The JSON protocol's query-compatible codes (x-amzn-query-error) and their modelled names are the same error.
_ALIASES = {"NonExistentQueue": "QueueDoesNotExist", "QueueAlreadyExists": "QueueNameExists"}


def code(error: BaseException) -> str:
    """An error as the report names it: the SQS error code, else 'HTTP 500', else the exception's type."""
    if isinstance(error, ClientError):
        found = str(error.response.get("Error", {}).get("Code") or "")
        found = found.removeprefix("AWS.SimpleQueueService.")
        if found.isdigit() or not found:
            return f"HTTP {found or error.response.get('ResponseMetadata', {}).get('HTTPStatusCode')}"
        return _ALIASES.get(found, found)
    return f"a crash ({type(error).__name__})"  # moto in this process raises what its server would answer as 500


def crashed(found: str | None) -> bool:
    """An HTTP 500 or a crash is not the refusal SQS documents: the server did not check, it broke."""
    return found is not None and (found.startswith("HTTP 5") or found.startswith("a crash"))


def outcome(call: Callable[..., Any], **kwargs: Any) -> str | None:
    """The error code a call ends in, or None when it succeeds."""
    try:
        call(**kwargs)
    except Exception as error:  # noqa: BLE001 -- any answer is the probe's evidence
        return code(error)
    return None


def refused(what: str, call: Callable[..., Any], **kwargs: Any) -> str | None:
    """SQS refuses the call (any 4xx error code): the detail when it was accepted, or broke instead."""
    found = outcome(call, **kwargs)
    if crashed(found):
        return f"answered {found} to {what} instead of refusing it"
    return None if found else f"accepted {what}"


def answers(expected: str, what: str, call: Callable[..., Any], **kwargs: Any) -> str | None:
    """SQS refuses the call with error `expected`: the detail names what came back instead."""
    found = outcome(call, **kwargs)
    if found == expected:
        return None
    return f"{'accepted' if found is None else f'answered {found} to'} {what}; SQS documents {expected}"


def accepted(what: str, call: Callable[..., Any], **kwargs: Any) -> str | None:
    found = outcome(call, **kwargs)
    return None if found is None else f"refused {what} with {found}"


# --- The catalogue --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Behaviour:
    key: str  # the row's anchor in docs/conformance.md
    area: str
    claim: str  # what the AWS page documents, in one line
    doc: str
    probe: Callable[[Probe], str | None]
    slow: bool = False  # waits a minute of real time on a live server


CATALOGUE: list[Behaviour] = []


def behaviour(key: str, area: str, claim: str, doc: str, slow: bool = False) -> Callable[..., Any]:
    def register(probe: Callable[[Probe], str | None]) -> Callable[[Probe], str | None]:
        CATALOGUE.append(Behaviour(key, area, claim, doc, probe, slow))
        return probe

    return register


# Queue names and creation


@behaviour(
    "queue-name-80-characters",
    "queues",
    "A queue name has up to 80 characters: 80 are accepted, 81 refused",
    api("CreateQueue"),
)
def _(p: Probe) -> str | None:
    base = p.name("n")
    at_limit = base + "x" * (80 - len(base))
    problem = accepted("an 80-character name", p.sqs.create_queue, QueueName=at_limit)
    if problem is None:
        p.made.append(p.sqs.get_queue_url(QueueName=at_limit)["QueueUrl"])
    return problem or refused("an 81-character name", p.sqs.create_queue, QueueName=at_limit + "x")


@behaviour(
    "queue-name-characters",
    "queues",
    "A standard queue name holds only alphanumerics, hyphens and underscores",
    api("CreateQueue"),
)
def _(p: Probe) -> str | None:
    return refused("a name with '!'", p.sqs.create_queue, QueueName=p.name("bad!name"))


@behaviour("fifo-name-suffix", "queues", "A FIFO queue's name must end in .fifo", api("CreateQueue"))
def _(p: Probe) -> str | None:
    return refused(
        "FifoQueue=true without .fifo", p.sqs.create_queue, QueueName=p.name("nofifo"), Attributes={"FifoQueue": "true"}
    )


@behaviour(
    "standard-name-no-fifo-suffix",
    "queues",
    "A standard queue cannot be named *.fifo (the '.' is not allowed in a standard queue's name)",
    api("CreateQueue"),
)
def _(p: Probe) -> str | None:
    problem = refused("a standard queue named *.fifo", p.sqs.create_queue, QueueName=p.name("std", fifo=True))
    if problem:
        p.made.append(p.sqs.get_queue_url(QueueName=p.name("std", fifo=True))["QueueUrl"])
    return problem


@behaviour(
    "create-queue-idempotent",
    "queues",
    "CreateQueue with an existing name and the same attributes returns the existing queue's URL",
    api("CreateQueue"),
)
def _(p: Probe) -> str | None:
    url = p.queue(VisibilityTimeout="5")
    again = p.sqs.create_queue(QueueName=p.name(), Attributes={"VisibilityTimeout": "5"})["QueueUrl"]
    return None if again == url else "returned a different URL"


@behaviour(
    "create-queue-different-attributes",
    "queues",
    "CreateQueue with an existing name but different attributes fails (QueueNameExists)",
    api("CreateQueue"),
)
def _(p: Probe) -> str | None:
    p.queue(VisibilityTimeout="5")
    return answers(
        "QueueNameExists",
        "the same name with VisibilityTimeout=6",
        p.sqs.create_queue,
        QueueName=p.name(),
        Attributes={"VisibilityTimeout": "6"},
    )


@behaviour(
    "recreate-within-60-seconds",
    "queues",
    "After DeleteQueue, a queue of the same name cannot be created for 60 seconds (QueueDeletedRecently)",
    api("DeleteQueue"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.sqs.delete_queue(QueueUrl=url)
    found = outcome(p.sqs.create_queue, QueueName=p.name())
    if found is None:
        p.made.append(p.sqs.get_queue_url(QueueName=p.name())["QueueUrl"])
        return "re-created the name at once; SQS documents QueueDeletedRecently"
    return None if found == "QueueDeletedRecently" else f"answered {found}; SQS documents QueueDeletedRecently"


@behaviour(
    "get-queue-url-missing",
    "errors",
    "GetQueueUrl of a queue that does not exist: QueueDoesNotExist",
    api("GetQueueUrl"),
)
def _(p: Probe) -> str | None:
    return answers("QueueDoesNotExist", "a missing queue", p.sqs.get_queue_url, QueueName=p.name("absent"))


@behaviour(
    "send-to-missing-queue",
    "errors",
    "SendMessage to a queue that does not exist: QueueDoesNotExist",
    api("SendMessage"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    missing = url.rsplit("/", 1)[0] + "/" + p.name("absent")
    return answers("QueueDoesNotExist", "a missing queue", p.sqs.send_message, QueueUrl=missing, MessageBody="m")


@behaviour(
    "missing-required-parameter",
    "errors",
    "A request without a required parameter fails (MissingParameter)",
    api("SendMessage"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    return answers("MissingParameter", "SendMessage without MessageBody", p.sqs.send_message, QueueUrl=url)


@behaviour(
    "list-queues-prefix",
    "queues",
    "ListQueues with QueueNamePrefix returns only the queues with that prefix",
    api("ListQueues"),
)
def _(p: Probe) -> str | None:
    p.queue("a")
    p.queue("b")
    urls = p.sqs.list_queues(QueueNamePrefix=p.name("a")).get("QueueUrls", [])
    return None if len(urls) == 1 else f"returned {len(urls)} URLs for a prefix one queue has"


@behaviour(
    "list-queues-paging",
    "queues",
    "ListQueues with MaxResults returns that many and a NextToken for the rest",
    api("ListQueues"),
)
def _(p: Probe) -> str | None:
    p.queue("a")
    p.queue("b")
    answer = p.sqs.list_queues(QueueNamePrefix=p.prefix, MaxResults=1)
    if len(answer.get("QueueUrls", [])) != 1:
        return f"returned {len(answer.get('QueueUrls', []))} URLs for MaxResults=1"
    return None if answer.get("NextToken") else "gave no NextToken although a second queue matches"


@behaviour("list-queues-max-results-range", "validation", "ListQueues MaxResults is 1 to 1,000", api("ListQueues"))
def _(p: Probe) -> str | None:
    return refused("MaxResults=1001", p.sqs.list_queues, MaxResults=1001)


# Queue attributes


@behaviour(
    "default-attributes",
    "attributes",
    "A new queue: VisibilityTimeout 30, MessageRetentionPeriod 345600, DelaySeconds 0, ReceiveMessageWaitTimeSeconds 0",
    api("SetQueueAttributes"),
)
def _(p: Probe) -> str | None:
    found = p.attributes(p.queue())
    expected = {
        "VisibilityTimeout": "30",
        "MessageRetentionPeriod": "345600",
        "DelaySeconds": "0",
        "ReceiveMessageWaitTimeSeconds": "0",
    }
    wrong = [f"{k}={found.get(k)}" for k, v in expected.items() if found.get(k) != v]
    return "; ".join(wrong) or None


@behaviour(
    "default-maximum-message-size",
    "attributes",
    "MaximumMessageSize defaults to 1,048,576 bytes (1 MiB)",
    api("SetQueueAttributes"),
)
def _(p: Probe) -> str | None:
    found = p.attributes(p.queue(), "MaximumMessageSize").get("MaximumMessageSize")
    return None if found == str(MIB) else f"MaximumMessageSize={found}"


@behaviour(
    "sse-sqs-default",
    "attributes",
    "New queues are encrypted with SSE-SQS by default (SqsManagedSseEnabled=true)",
    guide("sqs-server-side-encryption"),
)
def _(p: Probe) -> str | None:
    found = p.attributes(p.queue(), "All").get("SqsManagedSseEnabled")
    return None if found == "true" else f"SqsManagedSseEnabled={found}"


@behaviour(
    "queue-arn-format",
    "attributes",
    "QueueArn is arn:aws:sqs:<region>:<account-id>:<queue name>",
    api("GetQueueAttributes"),
)
def _(p: Probe) -> str | None:
    arn = p.arn(p.queue()).split(":")
    ok = len(arn) == 6 and arn[:3] == ["arn", "aws", "sqs"] and arn[4].isdigit() and arn[5] == p.name()
    return None if ok else "QueueArn is not arn:aws:sqs:<region>:<account>:<name>"


@behaviour(
    "get-attributes-all",
    "attributes",
    "GetQueueAttributes All includes the read-only attributes (CreatedTimestamp, LastModifiedTimestamp, "
    "ApproximateNumberOfMessages*, QueueArn)",
    api("GetQueueAttributes"),
)
def _(p: Probe) -> str | None:
    found = p.attributes(p.queue(), "All")
    wanted = (
        "CreatedTimestamp",
        "LastModifiedTimestamp",
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
        "QueueArn",
    )
    missing = [name for name in wanted if name not in found]
    return f"leaves out {', '.join(missing)}" if missing else None


@behaviour(
    "unknown-attribute-name",
    "validation",
    "An unknown queue attribute is refused (InvalidAttributeName)",
    api("SetQueueAttributes"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    return answers(
        "InvalidAttributeName", "attribute 'Bogus'", p.sqs.set_queue_attributes, QueueUrl=url, Attributes={"Bogus": "1"}
    )


def _range(attribute: str, low: int, high: int) -> Callable[[Probe], str | None]:
    def probe(p: Probe) -> str | None:
        url = p.queue()
        for value in (low - 1, high + 1):
            problem = answers(
                "InvalidAttributeValue",
                f"{attribute}={value}",
                p.sqs.set_queue_attributes,
                QueueUrl=url,
                Attributes={attribute: str(value)},
            )
            if problem:
                return problem
        return accepted(
            f"{attribute}={high}", p.sqs.set_queue_attributes, QueueUrl=url, Attributes={attribute: str(high)}
        )

    return probe


for _attribute, _low, _high, _key in (
    ("VisibilityTimeout", 0, 43_200, "visibility-timeout-range"),
    ("DelaySeconds", 0, 900, "delay-seconds-range"),
    ("MessageRetentionPeriod", 60, 1_209_600, "retention-period-range"),
    ("MaximumMessageSize", 1_024, MIB, "maximum-message-size-range"),
    ("ReceiveMessageWaitTimeSeconds", 0, 20, "receive-wait-time-range"),
):
    behaviour(
        _key,
        "validation",
        f"Queue attribute {_attribute} is {_low:,} to {_high:,}; outside: InvalidAttributeValue",
        api("SetQueueAttributes"),
    )(_range(_attribute, _low, _high))


@behaviour(
    "queue-type-fixed",
    "attributes",
    "The queue type cannot change after creation (FifoQueue is create-only)",
    api("SetQueueAttributes"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    return refused(
        "FifoQueue=true on an existing standard queue",
        p.sqs.set_queue_attributes,
        QueueUrl=url,
        Attributes={"FifoQueue": "true"},
    )


@behaviour(
    "content-dedup-fifo-only", "attributes", "ContentBasedDeduplication applies only to FIFO queues", api("CreateQueue")
)
def _(p: Probe) -> str | None:
    problem = refused(
        "ContentBasedDeduplication on a standard queue",
        p.sqs.create_queue,
        QueueName=p.name(),
        Attributes={"ContentBasedDeduplication": "true"},
    )
    if problem:
        p.made.append(p.sqs.get_queue_url(QueueName=p.name())["QueueUrl"])
    return problem


@behaviour(
    "deduplication-scope-values", "validation", "DeduplicationScope is messageQueue or messageGroup", HIGH_THROUGHPUT
)
def _(p: Probe) -> str | None:
    problem = refused(
        "DeduplicationScope=bogus",
        p.sqs.create_queue,
        QueueName=p.name(fifo=True),
        Attributes={"FifoQueue": "true", "DeduplicationScope": "bogus"},
    )
    if problem:
        p.made.append(p.sqs.get_queue_url(QueueName=p.name(fifo=True))["QueueUrl"])
    return problem


# Messages: size, content, attributes


@behaviour(
    "message-size-1-mib",
    "message size",
    "A message of 1 MiB (1,048,576 bytes) is accepted, one byte more refused",
    QUOTAS_MESSAGES,
)
def _(p: Probe) -> str | None:
    url = p.queue()
    return accepted("a 1,048,576-byte body", p.send, url=url, body="x" * MIB) or refused(
        "a 1,048,577-byte body", p.send, url=url, body="x" * (MIB + 1)
    )


@behaviour(
    "message-size-in-bytes", "message size", "The size limit counts bytes (UTF-8), not characters", QUOTAS_MESSAGES
)
def _(p: Probe) -> str | None:
    url = p.queue()
    body = "€" * (MIB // 3 + 1)  # 349,526 characters, 1,048,578 bytes
    return refused(f"{len(body):,} characters = {len(body.encode()):,} bytes", p.send, url=url, body=body)


@behaviour(
    "message-size-includes-attributes",
    "message size",
    "Message attributes count toward the 1 MiB limit",
    MESSAGE_ATTRIBUTES,
)
def _(p: Probe) -> str | None:
    url = p.queue()
    return refused(
        "a 1 MiB body plus a 100-byte attribute",
        p.send,
        url=url,
        body="x" * MIB,
        MessageAttributes={"a": {"DataType": "String", "StringValue": "v" * 100}},
    )


@behaviour(
    "empty-body", "message size", "The minimum message size is 1 character: an empty body is refused", QUOTAS_MESSAGES
)
def _(p: Probe) -> str | None:
    return refused("an empty body", p.send, url=p.queue(), body="")


@behaviour(
    "invalid-characters",
    "validation",
    "A body may hold only #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF (InvalidMessageContents)",
    api("SendMessage"),
)
def _(p: Probe) -> str | None:
    return answers("InvalidMessageContents", "a body with U+0000", p.send, url=p.queue(), body="a\u0000b")


@behaviour(
    "at-most-10-attributes", "message attributes", "A message has at most 10 message attributes", QUOTAS_MESSAGES
)
def _(p: Probe) -> str | None:
    attributes = {f"a{i}": {"DataType": "String", "StringValue": "v"} for i in range(11)}
    return refused("11 message attributes", p.send, url=p.queue(), MessageAttributes=attributes)


@behaviour(
    "attribute-name-reserved-prefix",
    "message attributes",
    "A message attribute name cannot start with AWS. or Amazon.",
    MESSAGE_ATTRIBUTES,
)
def _(p: Probe) -> str | None:
    return refused(
        "attribute 'AWS.x'",
        p.send,
        url=p.queue(),
        MessageAttributes={"AWS.x": {"DataType": "String", "StringValue": "v"}},
    )


@behaviour(
    "attribute-number-validated", "message attributes", "A Number attribute must hold a number", MESSAGE_ATTRIBUTES
)
def _(p: Probe) -> str | None:
    return refused(
        "Number 'abc'", p.send, url=p.queue(), MessageAttributes={"n": {"DataType": "Number", "StringValue": "abc"}}
    )


@behaviour(
    "attribute-custom-type",
    "message attributes",
    "Custom data types (String.x, Number.x, Binary.x) are accepted and returned as sent",
    MESSAGE_ATTRIBUTES,
)
def _(p: Probe) -> str | None:
    url = p.queue()
    sent: dict[str, dict[str, Any]] = {
        "s": {"DataType": "String.kata", "StringValue": "v"},
        "b": {"DataType": "Binary", "BinaryValue": b"\x00\xff"},
    }
    p.send(url, MessageAttributes=sent)
    got = (p.receive(url, wait=2, MessageAttributeNames=["All"]) or [{}])[0].get("MessageAttributes", {})
    for name, value in sent.items():
        back = got.get(name, {})
        field = "StringValue" if "StringValue" in value else "BinaryValue"
        if back.get("DataType") != value["DataType"] or back.get(field) != value[field]:
            return f"returned {name} as {back.get('DataType')}"
    return None


@behaviour(
    "attributes-only-when-asked",
    "message attributes",
    "ReceiveMessage returns message attributes only when MessageAttributeNames asks for them",
    api("ReceiveMessage"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.send(url, MessageAttributes={"a": {"DataType": "String", "StringValue": "v"}})
    got = p.receive(url, wait=2)
    if not got:
        return "received nothing"
    return "returned MessageAttributes without being asked" if got[0].get("MessageAttributes") else None


@behaviour("md5-of-body", "messages", "SendMessage answers the MD5 digest of the body", api("SendMessage"))
def _(p: Probe) -> str | None:
    body = "héllo"
    answer = p.send(p.queue(), body=body)
    return (
        None if answer.get("MD5OfMessageBody") == hashlib.md5(body.encode()).hexdigest() else "wrong MD5OfMessageBody"
    )


def _attributes_md5(attributes: dict[str, dict[str, Any]]) -> str:
    """The documented digest: per attribute, sorted by name, length-prefixed name, type, transport byte, value."""
    digest = hashlib.md5()
    for name in sorted(attributes):
        value = attributes[name]
        for part in (name.encode(), value["DataType"].encode()):
            digest.update(struct.pack(">I", len(part)) + part)
        raw = value["StringValue"].encode() if "StringValue" in value else value["BinaryValue"]
        digest.update(bytes([1 if "StringValue" in value else 2]) + struct.pack(">I", len(raw)) + raw)
    return digest.hexdigest()


@behaviour(
    "md5-of-attributes",
    "messages",
    "SendMessage answers MD5OfMessageAttributes, computed as the documented algorithm says",
    guide("sqs-message-metadata", "sqs-attributes-md5-message-digest-calculation"),
)
def _(p: Probe) -> str | None:
    attributes: dict[str, dict[str, Any]] = {
        "b": {"DataType": "Number", "StringValue": "7"},
        "a": {"DataType": "Binary", "BinaryValue": b"\x01"},
    }
    answer = p.send(p.queue(), MessageAttributes=attributes)
    return (
        None if answer.get("MD5OfMessageAttributes") == _attributes_md5(attributes) else "wrong MD5OfMessageAttributes"
    )


@behaviour(
    "system-attribute-names",
    "messages",
    "ReceiveMessage MessageSystemAttributeNames=All returns SenderId, SentTimestamp, ApproximateReceiveCount, "
    "ApproximateFirstReceiveTimestamp",
    api("ReceiveMessage"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.send(url)
    got = p.receive(url, wait=2, MessageSystemAttributeNames=["All"])
    found = got[0].get("Attributes", {}) if got else {}
    wanted = ("SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp")
    missing = [name for name in wanted if name not in found]
    return f"returned no {', '.join(missing)}" if missing else None


@behaviour(
    "receive-count", "messages", "ApproximateReceiveCount counts the receives of a message", api("ReceiveMessage")
)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.send(url)
    first = p.receive(url, wait=2)
    p.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"], VisibilityTimeout=0)
    second = p.receive(url, wait=2, AttributeNames=["ApproximateReceiveCount"])
    found = second[0].get("Attributes", {}).get("ApproximateReceiveCount") if second else None
    return None if found == "2" else f"ApproximateReceiveCount={found} on the second receive"


# Receiving


@behaviour(
    "max-number-of-messages-range",
    "validation",
    "ReceiveMessage MaxNumberOfMessages is 1 to 10 (InvalidParameterValue)",
    api("ReceiveMessage"),
)
def _(p: Probe) -> str | None:
    return answers(
        "InvalidParameterValue",
        "MaxNumberOfMessages=11",
        p.sqs.receive_message,
        QueueUrl=p.queue(),
        MaxNumberOfMessages=11,
    )


@behaviour(
    "max-number-default-1", "receiving", "ReceiveMessage returns at most 1 message by default", api("ReceiveMessage")
)
def _(p: Probe) -> str | None:
    url = p.queue()
    for i in range(3):
        p.send(url, body=str(i))
    got = p.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=2).get("Messages", [])
    return None if len(got) == 1 else f"returned {len(got)} messages"


@behaviour("wait-time-range", "validation", "ReceiveMessage WaitTimeSeconds is 0 to 20", api("ReceiveMessage"))
def _(p: Probe) -> str | None:
    return refused("WaitTimeSeconds=21", p.sqs.receive_message, QueueUrl=p.queue(), WaitTimeSeconds=21)


@behaviour(
    "long-poll-waits",
    "long polling",
    "A long poll on an empty queue waits WaitTimeSeconds and returns no messages",
    POLLING,
)
def _(p: Probe) -> str | None:
    url = p.queue()
    start = p.now()
    got = p.receive(url, wait=1)
    waited = p.now() - start
    if got:
        return f"returned {len(got)} messages from an empty queue"
    return None if waited >= 0.9 else "returned at once"


@behaviour(
    "long-poll-queue-default",
    "long polling",
    "ReceiveMessageWaitTimeSeconds on the queue makes a ReceiveMessage without WaitTimeSeconds a long poll",
    POLLING,
)
def _(p: Probe) -> str | None:
    url = p.queue(ReceiveMessageWaitTimeSeconds="1")
    start = p.now()
    p.sqs.receive_message(QueueUrl=url)
    return None if p.now() - start >= 0.9 else "returned at once (a short poll)"


# Delays


@behaviour(
    "message-timer",
    "delays",
    "A message sent with DelaySeconds stays invisible for that long",
    guide("sqs-message-timers"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.send(url, DelaySeconds=2)
    if p.receive(url):
        return "delivered the message during its delay"
    p.wait(2.5)
    return None if p.receive(url, wait=2) else "did not deliver the message after its delay"


@behaviour("delay-queue", "delays", "A queue's DelaySeconds delays every new message", guide("sqs-delay-queues"))
def _(p: Probe) -> str | None:
    url = p.queue(DelaySeconds="2")
    p.send(url)
    if p.receive(url):
        return "delivered the message during the queue's delay"
    p.wait(2.5)
    return None if p.receive(url, wait=2) else "did not deliver the message after the delay"


@behaviour(
    "message-timer-overrides-queue",
    "delays",
    "A message's DelaySeconds overrides the queue's (DelaySeconds=0 on a delay queue: no delay)",
    guide("sqs-message-timers"),
)
def _(p: Probe) -> str | None:
    url = p.queue(DelaySeconds="60")
    p.send(url, DelaySeconds=0)
    return None if p.receive(url, wait=2) else "kept the message for the queue's delay"


@behaviour("message-delay-range", "validation", "SendMessage DelaySeconds is 0 to 900", api("SendMessage"))
def _(p: Probe) -> str | None:
    return refused("DelaySeconds=901", p.send, url=p.queue(), DelaySeconds=901)


@behaviour(
    "fifo-no-message-delay",
    "FIFO",
    "FIFO queues do not accept a per-message DelaySeconds (only the queue's)",
    api("SendMessage"),
)
def _(p: Probe) -> str | None:
    url = p.queue(fifo=True)
    return refused(
        "DelaySeconds=5 on a FIFO message",
        p.send,
        url=url,
        MessageGroupId="g",
        MessageDeduplicationId="d",
        DelaySeconds=5,
    )


# Visibility


@behaviour(
    "in-flight-invisible",
    "visibility",
    "A received message is not returned again during its visibility timeout",
    VISIBILITY,
)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.send(url)
    p.receive(url, wait=2)
    got = p.receive(url)
    return f"returned the in-flight message again ({len(got)})" if got else None


@behaviour(
    "visible-after-timeout",
    "visibility",
    "A message not deleted becomes visible again after its visibility timeout",
    VISIBILITY,
)
def _(p: Probe) -> str | None:
    url = p.queue(VisibilityTimeout="1")
    p.send(url)
    p.receive(url, wait=2)
    p.wait(1.5)
    return None if p.receive(url, wait=2) else "never returned the message again"


@behaviour(
    "receive-visibility-override",
    "visibility",
    "ReceiveMessage's VisibilityTimeout overrides the queue's for the messages it returns",
    api("ReceiveMessage"),
)
def _(p: Probe) -> str | None:
    url = p.queue(VisibilityTimeout="60")
    p.send(url)
    p.receive(url, wait=2, VisibilityTimeout=1)
    p.wait(1.5)
    return None if p.receive(url, wait=2) else "kept the queue's 60 s timeout"


@behaviour(
    "change-visibility-zero",
    "visibility",
    "ChangeMessageVisibility to 0 makes a message visible at once",
    api("ChangeMessageVisibility"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.send(url)
    handle = p.receive_one(url)["ReceiptHandle"]
    p.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0)
    return None if p.receive(url, wait=2) else "did not return the message"


@behaviour(
    "change-visibility-range",
    "validation",
    "ChangeMessageVisibility VisibilityTimeout is 0 to 43,200",
    api("ChangeMessageVisibility"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.send(url)
    handle = p.receive_one(url)["ReceiptHandle"]
    return refused(
        "VisibilityTimeout=43201",
        p.sqs.change_message_visibility,
        QueueUrl=url,
        ReceiptHandle=handle,
        VisibilityTimeout=43_201,
    )


@behaviour(
    "receipt-handle-per-receive",
    "visibility",
    "Each receive of a message gives a different receipt handle",
    guide("sqs-queue-message-identifiers"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.send(url)
    first = p.receive_one(url)["ReceiptHandle"]
    p.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=first, VisibilityTimeout=0)
    second = p.receive_one(url)["ReceiptHandle"]
    return "gave the same receipt handle twice" if first == second else None


@behaviour(
    "invalid-receipt-handle",
    "errors",
    "DeleteMessage with a malformed receipt handle: ReceiptHandleIsInvalid",
    api("DeleteMessage"),
)
def _(p: Probe) -> str | None:
    return answers(
        "ReceiptHandleIsInvalid", "handle 'garbage'", p.sqs.delete_message, QueueUrl=p.queue(), ReceiptHandle="garbage"
    )


@behaviour(
    "stale-receipt-handle",
    "visibility",
    "DeleteMessage with an older receipt handle of a message succeeds (the message may stay)",
    api("DeleteMessage"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.send(url)
    old = p.receive_one(url)["ReceiptHandle"]
    p.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=old, VisibilityTimeout=0)
    p.receive(url, wait=2)
    return accepted("the older handle", p.sqs.delete_message, QueueUrl=url, ReceiptHandle=old)


@behaviour("delete-removes", "messages", "A deleted message is not delivered again", api("DeleteMessage"))
def _(p: Probe) -> str | None:
    url = p.queue(VisibilityTimeout="1")
    p.send(url)
    p.sqs.delete_message(QueueUrl=url, ReceiptHandle=p.receive_one(url)["ReceiptHandle"])
    p.wait(1.5)
    return "delivered the deleted message again" if p.receive(url) else None


# Batches


def _entries(count: int, prefix: str = "e") -> list[dict[str, str]]:
    return [{"Id": f"{prefix}{i}", "MessageBody": "m"} for i in range(count)]


@behaviour("batch-empty", "batches", "A batch with no entries: EmptyBatchRequest", BATCH)
def _(p: Probe) -> str | None:
    return answers("EmptyBatchRequest", "an empty batch", p.sqs.send_message_batch, QueueUrl=p.queue(), Entries=[])


@behaviour("batch-too-many", "batches", "A batch of 11 entries: TooManyEntriesInBatchRequest", BATCH)
def _(p: Probe) -> str | None:
    return answers(
        "TooManyEntriesInBatchRequest", "11 entries", p.sqs.send_message_batch, QueueUrl=p.queue(), Entries=_entries(11)
    )


@behaviour("batch-ids-distinct", "batches", "Two entries with one Id: BatchEntryIdsNotDistinct", BATCH)
def _(p: Probe) -> str | None:
    return answers(
        "BatchEntryIdsNotDistinct",
        "a repeated Id",
        p.sqs.send_message_batch,
        QueueUrl=p.queue(),
        Entries=[{"Id": "same", "MessageBody": "a"}, {"Id": "same", "MessageBody": "b"}],
    )


@behaviour(
    "batch-id-format-send",
    "batches",
    "SendMessageBatch entry Ids are up to 80 alphanumerics, hyphens, underscores (InvalidBatchEntryId)",
    api("SendMessageBatch"),
)
def _(p: Probe) -> str | None:
    return answers(
        "InvalidBatchEntryId",
        "Id 'a.b'",
        p.sqs.send_message_batch,
        QueueUrl=p.queue(),
        Entries=[{"Id": "a.b", "MessageBody": "m"}],
    )


@behaviour(
    "batch-id-format-delete",
    "batches",
    "DeleteMessageBatch checks entry Ids too (InvalidBatchEntryId)",
    api("DeleteMessageBatch"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.send(url)
    handle = p.receive_one(url)["ReceiptHandle"]
    return answers(
        "InvalidBatchEntryId",
        "Id 'a.b'",
        p.sqs.delete_message_batch,
        QueueUrl=url,
        Entries=[{"Id": "a.b", "ReceiptHandle": handle}],
    )


@behaviour(
    "batch-total-size",
    "batches",
    "A batch whose messages add up to more than 1 MiB: BatchRequestTooLong",
    api("SendMessageBatch"),
)
def _(p: Probe) -> str | None:
    half = MIB // 2 + 1
    return answers(
        "BatchRequestTooLong",
        "two entries of 524,289 bytes",
        p.sqs.send_message_batch,
        QueueUrl=p.queue(),
        Entries=[{"Id": "a", "MessageBody": "x" * half}, {"Id": "b", "MessageBody": "x" * half}],
    )


@behaviour(
    "batch-partial-failure",
    "batches",
    "A batch reports each entry: a bad receipt handle lands in Failed (SenderFault), the rest in Successful",
    api("DeleteMessageBatch"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.send(url)
    handle = p.receive_one(url)["ReceiptHandle"]
    try:
        answer = p.sqs.delete_message_batch(
            QueueUrl=url, Entries=[{"Id": "good", "ReceiptHandle": handle}, {"Id": "bad", "ReceiptHandle": "garbage"}]
        )
    except ClientError as error:
        return f"refused the whole batch with {code(error)}"
    ok = [e["Id"] for e in answer.get("Successful", [])]
    failed = {e["Id"]: e for e in answer.get("Failed", [])}
    if ok != ["good"] or "bad" not in failed:
        return f"Successful={ok}, Failed={sorted(failed)}"
    return None if failed["bad"].get("SenderFault") else "Failed entry without SenderFault=true"


@behaviour(
    "batch-send-receive",
    "batches",
    "SendMessageBatch delivers every entry, each with its own MessageId",
    api("SendMessageBatch"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    answer = p.sqs.send_message_batch(QueueUrl=url, Entries=_entries(3))
    ids = {e["MessageId"] for e in answer.get("Successful", [])}
    got: list[dict[str, Any]] = []
    for _ in range(3):
        got += p.receive(url, wait=1)
    return None if len(ids) == 3 and len(got) == 3 else f"{len(ids)} ids, {len(got)} received of 3"


@behaviour(
    "batch-change-visibility",
    "batches",
    "ChangeMessageVisibilityBatch changes each entry's timeout",
    api("ChangeMessageVisibilityBatch"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.send(url)
    handle = p.receive_one(url)["ReceiptHandle"]
    p.sqs.change_message_visibility_batch(
        QueueUrl=url, Entries=[{"Id": "a", "ReceiptHandle": handle, "VisibilityTimeout": 0}]
    )
    return None if p.receive(url, wait=2) else "the message stayed invisible"


# FIFO


@behaviour(
    "fifo-group-id-required", "FIFO", "SendMessage to a FIFO queue without MessageGroupId fails", api("SendMessage")
)
def _(p: Probe) -> str | None:
    return refused("a FIFO message without MessageGroupId", p.send, url=p.queue(fifo=True), MessageDeduplicationId="d")


@behaviour(
    "fifo-dedup-id-required",
    "FIFO",
    "Without ContentBasedDeduplication, a FIFO message needs a MessageDeduplicationId",
    api("SendMessage"),
)
def _(p: Probe) -> str | None:
    return refused("a FIFO message without MessageDeduplicationId", p.send, url=p.queue(fifo=True), MessageGroupId="g")


@behaviour("fifo-dedup-id-length", "FIFO", "MessageDeduplicationId is at most 128 characters", api("SendMessage"))
def _(p: Probe) -> str | None:
    return refused(
        "a 129-character MessageDeduplicationId",
        p.send,
        url=p.queue(fifo=True),
        MessageGroupId="g",
        MessageDeduplicationId="d" * 129,
    )


@behaviour(
    "fifo-dedup-window",
    "FIFO",
    "A message with a deduplication ID seen in the last 5 minutes is accepted but not delivered",
    FIFO_DEDUP,
)
def _(p: Probe) -> str | None:
    url = p.queue(fifo=True)
    for body in ("one", "two"):
        p.send(url, body=body, MessageGroupId="g", MessageDeduplicationId="same")
    got = p.receive(url, wait=2)
    return None if [m["Body"] for m in got] == ["one"] else f"delivered {[m['Body'] for m in got]}"


@behaviour(
    "fifo-content-dedup",
    "FIFO",
    "With ContentBasedDeduplication, the same body twice within 5 minutes is delivered once",
    FIFO_DEDUP,
)
def _(p: Probe) -> str | None:
    url = p.queue(fifo=True, ContentBasedDeduplication="true")
    p.send(url, body="same", MessageGroupId="g")
    p.send(url, body="same", MessageGroupId="g")
    got = p.receive(url, wait=2)
    return None if len(got) == 1 else f"delivered {len(got)} copies"


@behaviour(
    "fifo-dedup-after-delete",
    "FIFO",
    "Deduplication holds for 5 minutes even after the first message was deleted",
    FIFO_DEDUP,
)
def _(p: Probe) -> str | None:
    url = p.queue(fifo=True)
    p.send(url, MessageGroupId="g", MessageDeduplicationId="same")
    p.sqs.delete_message(QueueUrl=url, ReceiptHandle=p.receive_one(url)["ReceiptHandle"])
    p.send(url, MessageGroupId="g", MessageDeduplicationId="same")
    return "delivered the duplicate after the first was deleted" if p.receive(url, wait=1) else None


@behaviour("fifo-order", "FIFO", "Messages of one message group are received in the order sent", FIFO_ORDER)
def _(p: Probe) -> str | None:
    url = p.queue(fifo=True)
    for i in range(5):
        p.send(url, body=str(i), MessageGroupId="g", MessageDeduplicationId=str(i))
    got = [m["Body"] for m in p.receive(url, wait=2)]
    return None if got == ["0", "1", "2", "3", "4"] else f"received {got}"


@behaviour(
    "fifo-group-locked",
    "FIFO",
    "While a group's message is in flight, no later message of that group is returned",
    FIFO_ORDER,
)
def _(p: Probe) -> str | None:
    url = p.queue(fifo=True)
    for i in range(2):
        p.send(url, body=str(i), MessageGroupId="g", MessageDeduplicationId=str(i))
    p.receive(url, wait=2, count=1)
    got = p.receive(url)
    return f"returned {[m['Body'] for m in got]} while message 0 was in flight" if got else None


@behaviour("fifo-other-groups-flow", "FIFO", "Another message group's messages are returned meanwhile", FIFO_ORDER)
def _(p: Probe) -> str | None:
    url = p.queue(fifo=True)
    p.send(url, body="a", MessageGroupId="a", MessageDeduplicationId="1")
    p.send(url, body="b", MessageGroupId="b", MessageDeduplicationId="2")
    p.receive(url, wait=2, count=1)
    return None if p.receive(url, wait=2) else "held back the other group"


@behaviour(
    "fifo-sequence-number",
    "FIFO",
    "A FIFO message carries SequenceNumber, MessageGroupId and MessageDeduplicationId",
    api("ReceiveMessage"),
)
def _(p: Probe) -> str | None:
    url = p.queue(fifo=True)
    sent = p.send(url, MessageGroupId="g", MessageDeduplicationId="d")
    if not sent.get("SequenceNumber"):
        return "SendMessage answered no SequenceNumber"
    got = p.receive(url, wait=2, AttributeNames=["All"])
    found = got[0].get("Attributes", {}) if got else {}
    missing = [n for n in ("SequenceNumber", "MessageGroupId", "MessageDeduplicationId") if n not in found]
    return f"received no {', '.join(missing)}" if missing else None


@behaviour(
    "fifo-dedup-scope-group",
    "FIFO",
    "With DeduplicationScope=messageGroup, one deduplication ID in two groups is delivered twice",
    HIGH_THROUGHPUT,
)
def _(p: Probe) -> str | None:
    url = p.queue(fifo=True, DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId")
    p.send(url, body="a", MessageGroupId="a", MessageDeduplicationId="same")
    p.send(url, body="b", MessageGroupId="b", MessageDeduplicationId="same")
    got: list[dict[str, Any]] = p.receive(url, wait=2)
    if len(got) < 2:
        got += p.receive(url, wait=1)
    return None if len(got) == 2 else f"delivered {len(got)} of 2"


@behaviour(
    "fifo-receive-attempt-id",
    "FIFO",
    "A retried ReceiveMessage with the same ReceiveRequestAttemptId returns the same messages",
    api("ReceiveMessage"),
)
def _(p: Probe) -> str | None:
    url = p.queue(fifo=True)
    p.send(url, MessageGroupId="g", MessageDeduplicationId="d")
    try:
        first = p.receive(url, wait=2, ReceiveRequestAttemptId="attempt")
        again = p.receive(url, ReceiveRequestAttemptId="attempt")
    except Exception as error:  # noqa: BLE001 -- ElasticMQ answers some retries with HTTP 500
        return f"answered {code(error)}"
    ids = lambda messages: [m["MessageId"] for m in messages]  # noqa: E731
    return None if first and ids(first) == ids(again) else f"the retry returned {len(again)} of {len(first)} messages"


# Dead-letter queues and redrive


def _redrive(p: Probe, dlq_arn: str, count: int = 1) -> str:
    return json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(count)})


@behaviour(
    "dlq-after-max-receives",
    "dead-letter queues",
    "A message received maxReceiveCount times and not deleted moves to the dead-letter queue",
    DLQ,
)
def _(p: Probe) -> str | None:
    dlq = p.queue("dlq")
    source = p.queue("src", VisibilityTimeout="1", RedrivePolicy=_redrive(p, p.arn(dlq)))
    p.send(source)
    p.receive(source, wait=2)
    p.wait(1.5)
    again = p.receive(source)
    moved = p.receive(dlq, wait=2)
    return None if moved and not again else f"source returned {len(again)}, dead-letter queue {len(moved)}"


@behaviour("redrive-max-receive-range", "dead-letter queues", "maxReceiveCount is 1 to 1,000", DLQ)
def _(p: Probe) -> str | None:
    arn = p.arn(p.queue("dlq"))
    url = p.queue("src")
    return refused(
        "maxReceiveCount=0", p.sqs.set_queue_attributes, QueueUrl=url, Attributes={"RedrivePolicy": _redrive(p, arn, 0)}
    )


@behaviour("dlq-same-type", "dead-letter queues", "A standard queue's dead-letter queue must be a standard queue", DLQ)
def _(p: Probe) -> str | None:
    arn = p.arn(p.queue("dlq", fifo=True))
    url = p.queue("src")
    return refused(
        "a FIFO dead-letter queue for a standard queue",
        p.sqs.set_queue_attributes,
        QueueUrl=url,
        Attributes={"RedrivePolicy": _redrive(p, arn)},
    )


@behaviour(
    "list-dead-letter-sources",
    "dead-letter queues",
    "ListDeadLetterSourceQueues lists the queues whose RedrivePolicy names the queue (also one set later)",
    api("ListDeadLetterSourceQueues"),
)
def _(p: Probe) -> str | None:
    dlq = p.queue("dlq")
    source = p.queue("src")
    p.sqs.set_queue_attributes(QueueUrl=source, Attributes={"RedrivePolicy": _redrive(p, p.arn(dlq))})
    urls = p.sqs.list_dead_letter_source_queues(QueueUrl=dlq).get("queueUrls", [])
    return None if urls == [source] else f"listed {len(urls)} source queues"


@behaviour(
    "redrive-allow-deny-all",
    "dead-letter queues",
    "A queue whose RedriveAllowPolicy is denyAll cannot be a dead-letter queue",
    api("SetQueueAttributes"),
)
def _(p: Probe) -> str | None:
    dlq = p.queue("dlq", RedriveAllowPolicy=json.dumps({"redrivePermission": "denyAll"}))
    url = p.queue("src")
    return refused(
        "a denyAll queue as dead-letter queue",
        p.sqs.set_queue_attributes,
        QueueUrl=url,
        Attributes={"RedrivePolicy": _redrive(p, p.arn(dlq))},
    )


@behaviour(
    "message-move-task",
    "dead-letter queues",
    "StartMessageMoveTask moves a dead-letter queue's messages back to their source queue",
    api("StartMessageMoveTask"),
)
def _(p: Probe) -> str | None:
    dlq = p.queue("dlq")
    dlq_arn = p.arn(dlq)
    source = p.queue("src", RedrivePolicy=_redrive(p, dlq_arn))
    p.send(source)
    p.sqs.change_message_visibility(
        QueueUrl=source, ReceiptHandle=p.receive_one(source)["ReceiptHandle"], VisibilityTimeout=0
    )
    p.receive(source)  # the receive past maxReceiveCount moves the message instead of returning it
    if not p.receive(dlq, wait=2, VisibilityTimeout=0):
        return "the message never reached the dead-letter queue"
    p.sqs.start_message_move_task(SourceArn=dlq_arn)
    for _ in range(3):
        if p.receive(source, wait=1):
            return None
    return "the message did not come back to the source queue"


# Purge


@behaviour("purge-empties", "purge", "PurgeQueue deletes the queue's messages", api("PurgeQueue"))
def _(p: Probe) -> str | None:
    url = p.queue()
    p.send(url)
    p.sqs.purge_queue(QueueUrl=url)
    return "a message survived the purge" if p.receive(url, wait=1) else None


@behaviour(
    "purge-once-a-minute", "purge", "A second PurgeQueue within 60 seconds: PurgeQueueInProgress", api("PurgeQueue")
)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.sqs.purge_queue(QueueUrl=url)
    return answers("PurgeQueueInProgress", "a second purge", p.sqs.purge_queue, QueueUrl=url)


# Tags


@behaviour(
    "tags-round-trip", "tags", "TagQueue, ListQueueTags and UntagQueue add, list and remove tags", api("TagQueue")
)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.sqs.tag_queue(QueueUrl=url, Tags={"a": "1", "b": "2"})
    p.sqs.untag_queue(QueueUrl=url, TagKeys=["a"])
    tags = p.sqs.list_queue_tags(QueueUrl=url).get("Tags", {})
    return None if tags == {"b": "2"} else f"listed {sorted(tags)}"


@behaviour("tags-at-create", "tags", "CreateQueue's tags parameter tags the new queue", api("CreateQueue"))
def _(p: Probe) -> str | None:
    url = p.sqs.create_queue(QueueName=p.name(), tags={"team": "kata"})["QueueUrl"]
    p.made.append(url)
    tags = p.sqs.list_queue_tags(QueueUrl=url).get("Tags", {})
    return None if tags == {"team": "kata"} else f"listed {sorted(tags)}"


@behaviour("tags-overwrite", "tags", "A tag with an existing key replaces the old value", TAGS)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.sqs.tag_queue(QueueUrl=url, Tags={"a": "1"})
    p.sqs.tag_queue(QueueUrl=url, Tags={"a": "2"})
    tags = p.sqs.list_queue_tags(QueueUrl=url).get("Tags", {})
    return None if tags == {"a": "2"} else f"listed {tags}"


@behaviour("tags-case-sensitive", "tags", "Tag keys are case-sensitive: 'Env' and 'env' are two tags", TAGS)
def _(p: Probe) -> str | None:
    url = p.queue()
    p.sqs.tag_queue(QueueUrl=url, Tags={"Env": "1", "env": "2"})
    tags = p.sqs.list_queue_tags(QueueUrl=url).get("Tags", {})
    return None if len(tags) == 2 else f"kept {len(tags)} tag(s)"


@behaviour("tags-at-most-50", "tags", "A queue has at most 50 tags", QUOTAS_QUEUES)
def _(p: Probe) -> str | None:
    url = p.queue()
    return refused("51 tags", p.sqs.tag_queue, QueueUrl=url, Tags={f"k{i}": "v" for i in range(51)})


@behaviour("tag-key-length", "tags", "A tag key has at most 128 characters", QUOTAS_QUEUES)
def _(p: Probe) -> str | None:
    return refused("a 129-character key", p.sqs.tag_queue, QueueUrl=p.queue(), Tags={"k" * 129: "v"})


# Policies


def _policy_sids(p: Probe, url: str) -> set[str | None]:
    policy = p.attributes(url, "Policy").get("Policy")
    statements = json.loads(policy).get("Statement", []) if policy else []
    statements = [statements] if isinstance(statements, dict) else statements
    return {s.get("Sid") for s in statements if isinstance(s, dict)}


@behaviour(
    "add-permission-policy",
    "policies",
    "AddPermission adds a Policy statement whose Sid is the label",
    api("AddPermission"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    account = p.arn(url).split(":")[4]
    p.sqs.add_permission(QueueUrl=url, Label="kata", AWSAccountIds=[account], Actions=["SendMessage"])
    return None if "kata" in _policy_sids(p, url) else "stored no Policy statement"


@behaviour(
    "remove-permission-unknown",
    "policies",
    "RemovePermission of a label the policy lacks fails",
    api("RemovePermission"),
)
def _(p: Probe) -> str | None:
    return refused("an unknown label", p.sqs.remove_permission, QueueUrl=p.queue(), Label="absent")


@behaviour("remove-permission", "policies", "RemovePermission removes the statement it added", api("RemovePermission"))
def _(p: Probe) -> str | None:
    url = p.queue()
    account = p.arn(url).split(":")[4]
    p.sqs.add_permission(QueueUrl=url, Label="keep", AWSAccountIds=[account], Actions=["SendMessage"])
    p.sqs.add_permission(QueueUrl=url, Label="drop", AWSAccountIds=[account], Actions=["SendMessage"])
    p.sqs.remove_permission(QueueUrl=url, Label="drop")
    sids = _policy_sids(p, url)
    return None if sids == {"keep"} else f"the policy holds {sorted(map(str, sids))}"


@behaviour(
    "policy-attribute",
    "policies",
    "The Policy attribute set by SetQueueAttributes is read back",
    api("SetQueueAttributes"),
)
def _(p: Probe) -> str | None:
    url = p.queue()
    arn = p.arn(url)
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "s", "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": arn}],
    }
    p.sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    return None if _policy_sids(p, url) == {"s"} else "did not return the policy"


@behaviour(
    "policy-must-be-json",
    "policies",
    "A Policy that is not a JSON policy document is refused",
    api("SetQueueAttributes"),
)
def _(p: Probe) -> str | None:
    return refused(
        "Policy 'not json'", p.sqs.set_queue_attributes, QueueUrl=p.queue(), Attributes={"Policy": "not json"}
    )


# Retention


@behaviour(
    "retention-enforced",
    "retention",
    "A message older than MessageRetentionPeriod is deleted (60 s, the minimum)",
    api("SetQueueAttributes"),
    slow=True,
)
def _(p: Probe) -> str | None:
    url = p.queue(MessageRetentionPeriod="60")
    p.send(url)
    p.wait(62)
    return "still delivered the message after the retention period" if p.receive(url, wait=1) else None


@behaviour(
    "delete-queue-missing",
    "errors",
    "DeleteQueue of a queue that does not exist: QueueDoesNotExist",
    api("DeleteQueue"),
)
def _(p: Probe) -> str | None:
    url = p.queue("gone")
    p.sqs.delete_queue(QueueUrl=url)
    other = url.rsplit("/", 1)[0] + "/" + p.name("absent")
    return answers("QueueDoesNotExist", "a missing queue", p.sqs.delete_queue, QueueUrl=other)
