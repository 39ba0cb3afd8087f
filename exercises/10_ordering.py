"""Does SQS keep order? A standard queue only tries to (best-effort order), so a consumer that needs order must
restore it itself; a FIFO queue keeps the order of the messages within each message group.

Stamp a sequence number on every message and sort by it on a standard queue; on a FIFO queue simply read in order.
AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/standard-queues.html
     https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
"""

from __future__ import annotations

from typing import Any

SEQ = "Seq"  # the message attribute that carries the sequence number
MAX_RECEIVE = 10  # SQS hands out at most 10 messages per ReceiveMessage


def send_numbered(sqs: Any, queue_url: str, bodies: list[str]) -> list[str]:
    """Send every body, in list order, stamped with its position as a Number message attribute `Seq`.

    The first body gets Seq 1, the second Seq 2, and so on:
    MessageAttributes={"Seq": {"DataType": "Number", "StringValue": "1"}}. Return the MessageIds in order.
    """
    # TODO: your code here
    raise NotImplementedError("send_numbered is not implemented yet")


def receive_in_order(sqs: Any, queue_url: str, count: int, wait_seconds: int = 1) -> list[str]:
    """Consume `count` messages from a STANDARD queue and return their bodies sorted by their `Seq` attribute.

    A standard queue may deliver in any order, so collect first, then sort by Seq as a number (10 comes after 9).
    Receive (up to 10 at a time, long-polling up to `wait_seconds`, asking for the `Seq` attribute) until you
    have `count` messages or a receive comes back empty, and delete every message you received.
    """
    # TODO: your code here
    raise NotImplementedError("receive_in_order is not implemented yet")


def receive_fifo(sqs: Any, queue_url: str, count: int, wait_seconds: int = 1) -> list[str]:
    """Consume `count` messages from a FIFO queue and return their bodies in the order they arrived: no sorting.

    Within a message group SQS already delivers in sending order. It also holds a group back while one of its
    messages is in flight, so delete each batch you received before asking for more. Stop early when a receive
    (long-polling up to `wait_seconds`) comes back empty.
    """
    # TODO: your code here
    raise NotImplementedError("receive_fifo is not implemented yet")


def keeps_order(sqs: Any, queue_url: str) -> bool:
    """Answer the course's question for one queue: does SQS guarantee the order its messages are delivered in?

    True for a FIFO queue (order is kept within each message group), False for a standard queue (best effort).
    Ask the queue itself (its FifoQueue attribute), do not guess from your own code.
    """
    # TODO: your code here
    raise NotImplementedError("keeps_order is not implemented yet")
