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
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receive_count)})
    url = sqs.create_queue(QueueName=name, Attributes={"RedrivePolicy": policy,
                                                       "VisibilityTimeout": str(visibility_timeout)})["QueueUrl"]
    return url, dlq_url


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
    while not stop.is_set():
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        handled = []
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:  # noqa: BLE001 -- poison or not, SQS counts the receives and decides
                sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"],
                                              VisibilityTimeout=retry_after)
                continue
            handled.append(message)
        if handled:
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(handled)])
