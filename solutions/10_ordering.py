"""Does SQS keep order? A standard queue only tries to (best-effort order), so a consumer that needs order must
restore it itself; a FIFO queue keeps the order of the messages within each message group.

Stamp a sequence number on every message and sort by it on a standard queue; on a FIFO queue simply read in order.
A standard queue also delivers AT LEAST once: the same message can arrive twice, so a consumer that must act once
per message remembers which MessageIds it has handled (consume_once).
AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/standard-queues.html
     https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient

SEQ = "Seq"  # the message attribute that carries the sequence number
MAX_RECEIVE = 10  # SQS hands out at most 10 messages per ReceiveMessage


def send_numbered(sqs: SQSClient, queue_url: str, bodies: list[str]) -> list[str]:
    """Send every body, in list order, stamped with its position as a Number message attribute `Seq`.

    The first body gets Seq 1, the second Seq 2, and so on:
    MessageAttributes={"Seq": {"DataType": "Number", "StringValue": "1"}}. Return the MessageIds in order.
    """
    ids = []
    for seq, body in enumerate(bodies, start=1):
        response = sqs.send_message(QueueUrl=queue_url, MessageBody=body,
                                    MessageAttributes={SEQ: {"DataType": "Number", "StringValue": str(seq)}})
        ids.append(response["MessageId"])
    return ids


def receive_in_order(sqs: SQSClient, queue_url: str, count: int, wait_seconds: int = 1) -> list[str]:
    """Consume `count` messages from a STANDARD queue and return their bodies sorted by their `Seq` attribute.

    A standard queue may deliver in any order, so collect first, then sort by Seq as a number (10 comes after 9).
    Receive (long-poll with WaitTimeSeconds=wait_seconds and MaxNumberOfMessages=10, asking for the `Seq`
    attribute) until you have `count` messages or a receive comes back empty (a receive may return fewer than
    10 while more wait: only an empty one means "no more"), and delete every message you received.
    """
    received: list[tuple[float, str]] = []
    while len(received) < count:
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds, MessageAttributeNames=[SEQ])
        messages = response.get("Messages", [])
        if not messages:
            break
        for message in messages:
            seq = float(message["MessageAttributes"][SEQ]["StringValue"])
            received.append((seq, message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return [body for _, body in sorted(received, key=lambda pair: pair[0])]


def receive_fifo(sqs: SQSClient, queue_url: str, count: int, wait_seconds: int = 1) -> list[str]:
    """Consume `count` messages from a FIFO queue and return their bodies in the order they arrived: no sorting.

    Within a message group SQS already delivers in sending order. It also holds a group back while one of its
    messages is in flight, so delete each batch you received before asking for more. Receive (long-poll with
    WaitTimeSeconds=wait_seconds and MaxNumberOfMessages=10) until you have `count` messages; stop early when a
    receive comes back empty.
    """
    arrived: list[str] = []
    while len(arrived) < count:
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds)
        messages = response.get("Messages", [])
        if not messages:
            break
        for message in messages:
            arrived.append(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return arrived


def consume_once(sqs: SQSClient, queue_url: str, handle: Any, done: set[str], wait_seconds: int = 1) -> int:
    """Handle every message of a STANDARD queue once, although SQS may deliver it more than once.

    A standard queue delivers at least once: the same message (same MessageId) can arrive again, even after you
    deleted it. `done` is the set of MessageIds already handled (the caller keeps it across runs, like a table in
    a database). Receive (long-poll with WaitTimeSeconds=wait_seconds and MaxNumberOfMessages=10) until a receive
    comes back empty; for each message whose MessageId is not in `done`, call handle(body) and THEN add its
    MessageId to `done` (if handle dies, the message must be handled again next run). Delete every message you
    receive once it is handled or found in `done`, repeats included. Two different messages may carry the same
    body: tell them apart by MessageId, never by body. Return how many times handle was called.
    """
    called = 0
    while True:
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds)
        messages = response.get("Messages", [])
        if not messages:
            return called
        for message in messages:
            if message["MessageId"] not in done:
                handle(message["Body"])
                called += 1
                done.add(message["MessageId"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])


def keeps_order(sqs: SQSClient, queue_url: str) -> bool:
    """Answer the course's question for one queue: does SQS guarantee the order its messages are delivered in?

    True for a FIFO queue (order is kept within each message group), False for a standard queue (best effort).
    Ask the queue itself (its FifoQueue attribute), do not guess from your own code.
    """
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["FifoQueue"]).get("Attributes", {})
    return attributes.get("FifoQueue") == "true"
