"""Delay queues and delayed messages: hold messages back for a few seconds before anyone can receive them.

A queue-level DelaySeconds hides every new message; a per-message DelaySeconds overrides it on a standard queue,
while a FIFO queue refuses per-message delays.
AWS API: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-delay-queues.html
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient


def create_delay_queue(sqs: SQSClient, name: str, delay_seconds: int) -> str:
    """Create a standard queue called `name` on which every new message stays hidden for `delay_seconds`.

    Return the queue URL.
    """
    # TODO: your code here
    raise NotImplementedError("create_delay_queue is not implemented yet")


def set_queue_delay(sqs: SQSClient, queue_url: str, delay_seconds: int) -> None:
    """Turn the existing queue at `queue_url` into a delay queue: set its DelaySeconds to `delay_seconds`."""
    # TODO: your code here
    raise NotImplementedError("set_queue_delay is not implemented yet")


def send_delayed(sqs: SQSClient, queue_url: str, body: str, delay_seconds: int) -> str:
    """Send one message that stays hidden for `delay_seconds`, whatever the queue's own delay is.

    (On a standard queue a message's DelaySeconds overrides the queue's.) Return the MessageId.
    """
    # TODO: your code here
    raise NotImplementedError("send_delayed is not implemented yet")


def try_delay_on_fifo(sqs: SQSClient, queue_url: str, body: str, delay_seconds: int, group_id: str) -> str | None:
    """Send `body` to the FIFO queue at `queue_url` in group `group_id`, with a per-message DelaySeconds.

    The queue uses content-based deduplication. FIFO queues refuse a per-message delay (other than 0):
    call SendMessage and let SQS judge, and do not let the error escape. Return None if SQS accepted the
    message, or the error code (error.response["Error"]["Code"], e.g. "InvalidParameterValue") if SQS
    refused it, whatever the reason.
    """
    # TODO: catch botocore's ClientError around send_message and return the error code
    raise NotImplementedError("try_delay_on_fifo is not implemented yet")


def count_delayed(sqs: SQSClient, queue_url: str) -> int:
    """Return how many messages on the queue are still waiting out their delay, as an int.

    (SQS reports it as the queue attribute ApproximateNumberOfMessagesDelayed, a string.)
    """
    # TODO: your code here
    raise NotImplementedError("count_delayed is not implemented yet")
