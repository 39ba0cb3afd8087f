"""Dead-letter queues: after maxReceiveCount failed receives, SQS moves a message to its queue's dead-letter queue.

Attach a DLQ with a redrive policy, find a DLQ's source queues, and move messages back: by hand (receive, send,
delete) or with a message move task (StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask).
AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
     https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient

MAX_RECEIVE = 10  # SQS hands out at most 10 messages per ReceiveMessage


def queue_arn(sqs: SQSClient, queue_url: str) -> str:
    """Return the queue's ARN (its QueueArn attribute): redrive policies and move tasks name queues by ARN."""
    # TODO: your code here
    raise NotImplementedError("queue_arn is not implemented yet")


def attach_dead_letter_queue(sqs: SQSClient, source_url: str, dlq_url: str, max_receive_count: int) -> None:
    """Give the source queue a redrive policy: after `max_receive_count` receives, a message goes to the DLQ.

    The RedrivePolicy attribute is a JSON *string*:
    '{"deadLetterTargetArn": "<the DLQ's ARN>", "maxReceiveCount": "<max_receive_count>"}'.
    """
    # TODO: your code here
    raise NotImplementedError("attach_dead_letter_queue is not implemented yet")


def dead_letter_sources(sqs: SQSClient, dlq_url: str) -> list[str]:
    """Return the URLs of every queue whose redrive policy sends its failures to this DLQ, sorted.

    ListDeadLetterSourceQueues answers in pages, and gives a NextToken only when the request carries MaxResults
    (1 to 1000): pass MaxResults on every request and follow NextToken to the last page. A queue nobody uses as a
    DLQ gives [].
    """
    # TODO: your code here
    raise NotImplementedError("dead_letter_sources is not implemented yet")


def redrive_by_hand(sqs: SQSClient, dlq_url: str, target_url: str, wait_seconds: int = 1) -> int:
    """Move every message from the DLQ to `target_url` yourself; return how many you moved.

    For each message: send its body and message attributes (all of them, custom types included) to the target,
    then delete it from the DLQ (send first, so a crash in between duplicates a message instead of losing it; a
    message whose send SQS refused must stay in the DLQ: letting that error reach the caller is fine). Receive
    (long-poll with WaitTimeSeconds=wait_seconds and MaxNumberOfMessages=10) until a receive comes back empty.
    """
    # TODO: your code here
    raise NotImplementedError("redrive_by_hand is not implemented yet")


def start_redrive(sqs: SQSClient, dlq_url: str, destination_url: str | None = None,
                  max_per_second: int | None = None) -> str:
    """Start a message move task that empties the DLQ; return its TaskHandle.

    SourceArn is the DLQ's ARN. Without `destination_url` SQS sends each message back to the queue it came
    from; with one, pass its ARN as DestinationArn. Pass `max_per_second` (if given) as
    MaxNumberOfMessagesPerSecond.
    """
    # TODO: your code here
    raise NotImplementedError("start_redrive is not implemented yet")


def redrive_statuses(sqs: SQSClient, dlq_url: str) -> list[str]:
    """Return the Status of each message move task of this DLQ, as ListMessageMoveTasks lists them (newest first).

    SQS lists only the newest task unless the request asks for more with MaxResults (at most 10): ask for 10.
    Statuses are RUNNING, COMPLETED, CANCELLING, CANCELLED or FAILED. A DLQ that was never redriven gives [].
    """
    # TODO: your code here
    raise NotImplementedError("redrive_statuses is not implemented yet")


def cancel_redrive(sqs: SQSClient, task_handle: str) -> bool:
    """Cancel a running message move task. Return True when SQS cancelled it.

    Only a RUNNING task can be cancelled. When SQS refuses (the task already finished or was cancelled, or the
    handle is unknown: an error such as ResourceNotFoundException), return False instead of raising.
    """
    # TODO: your code here
    raise NotImplementedError("cancel_redrive is not implemented yet")
