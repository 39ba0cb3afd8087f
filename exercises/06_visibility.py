"""Visibility timeout: a received message is hidden, not gone, and comes back if nobody deletes it in time.

A worker can ask for a longer hiding time (ChangeMessageVisibility) while it works, or hand a message back
at once with a timeout of 0; ApproximateReceiveCount tells how often a message has been handed out.
AWS API: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient

def receive_for_work(sqs: SQSClient, queue_url: str, visibility_timeout: int, wait_seconds: int = 1) -> list[dict[str, Any]]:
    """Receive up to 10 messages, long-polling for up to `wait_seconds`, hiding them for `visibility_timeout` seconds.

    One ReceiveMessage with MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds and VisibilityTimeout.
    Ask SQS for the ApproximateReceiveCount system attribute and return one dict per message:
    {"body": ..., "receipt_handle": ..., "receive_count": <int: how many times SQS has handed it out>}.
    Do not delete anything.
    """
    # TODO: your code here
    raise NotImplementedError("receive_for_work is not implemented yet")


def extend_visibility(sqs: SQSClient, queue_url: str, receipt_handle: str, seconds: int) -> None:
    """Keep the received message hidden for `seconds` more, counted from now (the worker needs more time)."""
    # TODO: your code here
    raise NotImplementedError("extend_visibility is not implemented yet")


def release(sqs: SQSClient, queue_url: str, receipt_handle: str) -> None:
    """Give the received message back: make it receivable again at once, for another worker to take."""
    # TODO: your code here
    raise NotImplementedError("release is not implemented yet")


def change_visibility_batch(sqs: SQSClient, queue_url: str, receipt_handles: list[str], seconds: int) -> list[str]:
    """Set the visibility timeout of all these received messages to `seconds` with ChangeMessageVisibilityBatch.

    There are at most 10 receipt handles, so one call does. Each entry needs an Id that is unique in the batch.
    Return the receipt handles SQS could not change (those listed under "Failed", whatever their SenderFault),
    in any order, or [] if every change worked.
    """
    # TODO: give each entry an Id you can map back to its receipt handle
    raise NotImplementedError("change_visibility_batch is not implemented yet")
