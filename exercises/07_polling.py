"""Long polling and short polling: wait on the server for messages instead of asking again and again.

A long poll (WaitTimeSeconds > 0) returns as soon as a message is there, or empty after the wait; a short poll
answers at once and, on real SQS, may come back empty even when messages exist. A drain loop keeps
long-polling until a poll comes back empty.
AWS API: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient

MAX_MESSAGES_PER_RECEIVE = 10  # ReceiveMessage hands out at most 10 messages per call


def long_poll(sqs: SQSClient, queue_url: str, wait_seconds: int) -> list[str]:
    """Receive up to 10 messages, waiting up to `wait_seconds` on the server for the first one (long polling).

    Return their bodies ([] if the wait ended with nothing). Do not delete them.
    """
    # TODO: your code here
    raise NotImplementedError("long_poll is not implemented yet")


def short_poll(sqs: SQSClient, queue_url: str) -> list[str]:
    """Receive up to 10 messages WITHOUT waiting, even if the queue's default is long polling.

    Return their bodies. (On real SQS a short poll may return [] even when messages exist.)
    """
    # TODO: your code here
    raise NotImplementedError("short_poll is not implemented yet")


def set_default_wait(sqs: SQSClient, queue_url: str, seconds: int) -> None:
    """Make every receive on this queue a long poll of `seconds` by default (queue attribute
    ReceiveMessageWaitTimeSeconds)."""
    # TODO: your code here
    raise NotImplementedError("set_default_wait is not implemented yet")


def default_wait(sqs: SQSClient, queue_url: str) -> int:
    """Return the queue's default long-poll wait (its ReceiveMessageWaitTimeSeconds attribute) as an int."""
    # TODO: your code here
    raise NotImplementedError("default_wait is not implemented yet")


def drain(sqs: SQSClient, queue_url: str, wait_seconds: int = 1) -> list[str]:
    """Empty the queue: long-poll with WaitTimeSeconds=wait_seconds and MaxNumberOfMessages=10, delete every
    message you get before you receive again, and stop as soon as a long poll comes back empty.

    Return the bodies of every message received, in the order received.
    """
    # TODO: loop: long-poll, delete what came back, stop when a receive returns no messages
    raise NotImplementedError("drain is not implemented yet")
