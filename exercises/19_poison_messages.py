"""Poison messages: a message that always fails goes to the dead-letter queue and blocks nothing.

Some messages can never be handled. Deleting one loses it; retrying it forever, or re-sending it, keeps it in front
of the rest. SQS counts every receive of a message; with a RedrivePolicy on the queue, a message received more
than maxReceiveCount times is moved to the dead-letter queue (DLQ), where someone can look at it later.
AWS API: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient

MAX_BATCH = 10


def make_work_queues(sqs: SQSClient, name: str, max_receive_count: int, visibility_timeout: int) -> tuple[str, str]:
    """Create the queue `name` + "-dlq" and the work queue `name`, whose RedrivePolicy sends a message to that DLQ
    once it was received more than `max_receive_count` times; the work queue's VisibilityTimeout is
    `visibility_timeout`. Give the policy when creating the work queue. Return (work queue URL, DLQ URL)."""
    # TODO: create the DLQ, read its QueueArn, create the queue with RedrivePolicy (json.dumps) and VisibilityTimeout
    raise NotImplementedError("make_work_queues is not implemented yet")


def consume(sqs: SQSClient, queue_url: str, handler: Callable[[str], Any], stop: threading.Event,
            wait_seconds: int = 1, retry_after: int = 0) -> None:
    """A worker loop (as in exercise 16) until `stop` is set, that lets SQS deal with poison messages.

    Long-poll 10 at a time (WaitTimeSeconds=wait_seconds); call handler(body) for each; delete the handled ones
    (DeleteMessageBatch). A message whose handler raised an Exception is neither deleted (that would lose it) nor
    sent again (a new copy starts at receive count 0 and never reaches the DLQ): hand it back with
    ChangeMessageVisibility(VisibilityTimeout=retry_after), so SQS delivers it again after `retry_after` seconds
    instead of the whole visibility timeout, and go on with the rest. After maxReceiveCount receives SQS moves it
    to the DLQ by itself.
    """
    # TODO: a worker loop as in exercise 16; on a failure change_message_visibility(VisibilityTimeout=retry_after),
    #       never delete or re-send it
    raise NotImplementedError("consume is not implemented yet")
