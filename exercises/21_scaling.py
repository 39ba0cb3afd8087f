"""Scaling: several workers drain one queue, and the queue depth tells whether there are enough of them.

A queue absorbs a peak: producers keep sending while workers catch up. Its depth -- messages waiting
(ApproximateNumberOfMessages) and messages being worked on (ApproximateNumberOfMessagesNotVisible) -- is what an
autoscaler watches: growing, the workers are too few; flat near zero, they keep up. `sqs-kata lab` draws the depth
over time for 1, 2 and 4 workers started by start_workers, sampled with queue_depth.
AWS API: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-using-sqs-queue.html
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient

MAX_BATCH = 10


def queue_depth(sqs: SQSClient, queue_url: str) -> tuple[int, int]:
    """Return (waiting, in flight): the queue's ApproximateNumberOfMessages and ApproximateNumberOfMessagesNotVisible,
    as ints. Read them from the queue's attributes: receiving to count would hide messages and change the depth."""
    # TODO: get_queue_attributes for ApproximateNumberOfMessages and ...NotVisible, as ints
    raise NotImplementedError("queue_depth is not implemented yet")


def start_workers(sqs: SQSClient, queue_url: str, count: int, handler: Callable[[str], Any],
                  wait_seconds: int = 1) -> Callable[[], None]:
    """Start `count` worker threads on the queue and return stop(), which stops them all and returns only once
    every one of them has ended.

    Each worker loops until stopped: long-poll ReceiveMessage (MaxNumberOfMessages=10,
    WaitTimeSeconds=wait_seconds), call handler(body) for each message, delete the handled ones with
    DeleteMessageBatch; a message whose handler raised stays on the queue. The workers share `sqs` (a boto3 client
    may be used from several threads) and one stop signal.
    """
    # TODO: one threading.Event, count threads each running a worker loop; return a stop() that sets it and joins them
    raise NotImplementedError("start_workers is not implemented yet")
