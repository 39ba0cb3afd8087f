"""Purging a queue: throw away every message in it at once, while the queue itself stays.

SQS allows one PurgeQueue per queue every 60 seconds; a second request in that window is refused
with PurgeQueueInProgress, which a caller should treat as "already being emptied", not as a crash.
AWS API: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient

# After one PurgeQueue, SQS refuses another on the same queue for this many seconds.
PURGE_WINDOW_SECONDS = 60


def purge(sqs: SQSClient, queue_url: str) -> bool:
    """Delete every message in the queue (visible, in flight and delayed) with one PurgeQueue call.

    Return True when the purge was accepted (an empty queue too), False when SQS says a purge is already in
    progress (sqs.exceptions.PurgeQueueInProgress; its error code may carry the AWS.SimpleQueueService. prefix).
    The queue itself is not deleted. Any other error (the queue does not exist, access denied, throttling: boto3
    has already retried what it could) is not an answer: let it reach the caller.
    """
    try:
        sqs.purge_queue(QueueUrl=queue_url)
    except sqs.exceptions.PurgeQueueInProgress:
        return False
    return True
