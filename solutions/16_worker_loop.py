"""A worker loop: the consumer side of an asynchronous system, running until it is told to stop.

A worker long-polls for up to 10 messages, hands each to a handler, deletes only what was handled (one
DeleteMessageBatch, whose Failed list it checks), and leaves a message whose handler failed on the queue: SQS
delivers it again after its visibility timeout. A stop signal ends the loop once the batch in hand is finished.
AWS API: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessageBatch.html
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient

MAX_BATCH = 10  # ReceiveMessage hands out at most 10; DeleteMessageBatch takes at most 10 entries


def run_worker(sqs: SQSClient, queue_url: str, handler: Callable[[str], Any], stop: threading.Event,
               wait_seconds: int = 1) -> None:
    """Work on the queue until `stop` is set: receive, handle, delete; return once stopped.

    Each round: check `stop` (return if it is set); long-poll ONE ReceiveMessage with MaxNumberOfMessages=10 and
    WaitTimeSeconds=wait_seconds (a short poll on an empty queue comes back at once: a busy loop of billed
    requests); call handler(body) for every message received, even if `stop` is set meanwhile (finish the work in
    hand); a handler that raises an Exception failed that message: do not delete it (SQS delivers it again after
    its visibility timeout) and go on with the others. Then delete the handled messages with one
    DeleteMessageBatch (none handled: no request) and check its Failed list: retry each failed entry once (a
    batch of them, or one DeleteMessage each). Keep polling while the queue is empty: a worker runs until told to
    stop.
    """
    while not stop.is_set():
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        handled = []
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:  # noqa: BLE001 -- a failed message stays on the queue; SQS retries it
                continue
            handled.append(message)
        if not handled:
            continue
        entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(handled)]
        failed = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])
        if failed:  # one entry can fail while the request succeeds: without a retry the message comes back
            ids = {f["Id"] for f in failed}
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[e for e in entries if e["Id"] in ids])
