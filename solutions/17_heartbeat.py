"""Long jobs: a heartbeat keeps a message hidden while its job runs longer than the visibility timeout.

A received message is hidden only for its visibility timeout; a job that runs longer lets the message reappear and
another worker does the same job again. A heartbeat thread extends the timeout (ChangeMessageVisibility) every
`interval` seconds while the job runs, and stops the moment the job ends, done or failed.
AWS API: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient


def keep_invisible(sqs: SQSClient, queue_url: str, receipt_handle: str, visibility_timeout: int, interval: float,
                   stop: threading.Event) -> None:
    """The heartbeat: every `interval` seconds, until `stop` is set, make the message stay hidden for
    `visibility_timeout` more seconds (counted from that moment). Return soon after `stop` is set (wait on `stop`
    itself, e.g. stop.wait(interval), so a stop is seen at once, not after a long sleep)."""
    while not stop.wait(interval):
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=receipt_handle,
                                      VisibilityTimeout=visibility_timeout)


def handle_with_heartbeat(sqs: SQSClient, queue_url: str, message: dict[str, Any], handler: Callable[[str], Any],
                          visibility_timeout: int, interval: float) -> bool:
    """Run handler(message["Body"]) with keep_invisible beating in a thread of its own; stop the heartbeat and
    wait for its thread to end as soon as the handler returns or raises.

    Handler done: delete the message and return True. Handler raised an Exception: leave the message (SQS
    delivers it again once its visibility timeout runs out) and return False. Either way no heartbeat may be
    left running: a message whose job ended must not be kept hidden.
    """
    stop = threading.Event()
    beat = threading.Thread(target=keep_invisible,
                            args=(sqs, queue_url, message["ReceiptHandle"], visibility_timeout, interval, stop))
    beat.start()
    try:
        handler(message["Body"])
    except Exception:  # noqa: BLE001 -- a failed job: SQS delivers the message again
        return False
    finally:
        stop.set()
        beat.join()
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return True
