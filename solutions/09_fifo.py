"""FIFO queues: the messages of one message group arrive in the order they were sent, and repeats are dropped.

Create a `.fifo` queue, send and receive within message groups, and let SQS deduplicate a message sent twice
within five minutes, by its content or by the MessageDeduplicationId you give it.
AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-fifo-queues.html
     https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient

FIFO_SUFFIX = ".fifo"  # SQS refuses FifoQueue=true unless the name ends like this


def fifo_name(name: str) -> str:
    """Return `name` ending in ".fifo": add the suffix when it is missing, never twice.

    fifo_name("orders") == "orders.fifo" and fifo_name("orders.fifo") == "orders.fifo".
    """
    return name if name.endswith(FIFO_SUFFIX) else name + FIFO_SUFFIX


def create_fifo_queue(sqs: SQSClient, name: str, content_based_dedup: bool = False) -> str:
    """Create a FIFO queue called fifo_name(name) and return its URL.

    Attributes: FifoQueue "true", and ContentBasedDeduplication "true" or "false" as `content_based_dedup` says.
    """
    attributes = {"FifoQueue": "true", "ContentBasedDeduplication": "true" if content_based_dedup else "false"}
    return sqs.create_queue(QueueName=fifo_name(name), Attributes=attributes)["QueueUrl"]


def send_in_group(sqs: SQSClient, queue_url: str, group_id: str, bodies: list[str]) -> list[str]:
    """Send every body, in list order, as one message of the message group `group_id`.

    The queue may not have content-based deduplication, and equal bodies must all be delivered, in this call
    and in later ones: give every message its own MessageDeduplicationId (uuid.uuid4().hex, say), never one
    used before. Return the MessageIds in the order sent.
    """
    ids = []
    for body in bodies:
        response = sqs.send_message(QueueUrl=queue_url, MessageBody=body, MessageGroupId=group_id,
                                    MessageDeduplicationId=uuid.uuid4().hex)
        ids.append(response["MessageId"])
    return ids


def send_once(sqs: SQSClient, queue_url: str, group_id: str, body: str, dedup_id: str) -> str:
    """Send `body` in group `group_id` with MessageDeduplicationId `dedup_id`. Return the MessageId.

    Within five minutes SQS delivers only the first message sent with a given deduplication id, whatever
    its body: a producer that retries a send with the same id cannot create a duplicate.
    """
    response = sqs.send_message(QueueUrl=queue_url, MessageBody=body, MessageGroupId=group_id,
                                MessageDeduplicationId=dedup_id)
    return response["MessageId"]


def receive_one(sqs: SQSClient, queue_url: str, wait_seconds: int = 1) -> dict[str, str] | None:
    """Receive at most ONE message, long-polling up to `wait_seconds`, and do not delete it.

    (One ReceiveMessage with MaxNumberOfMessages=1 and WaitTimeSeconds=wait_seconds.)

    Ask SQS for the message's group (the system attribute MessageGroupId). Return
    {"body": ..., "group": ..., "receipt_handle": ...}, or None when no message is available.
    """
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1, WaitTimeSeconds=wait_seconds,
                                   MessageSystemAttributeNames=["MessageGroupId"])
    messages = response.get("Messages", [])
    if not messages:
        return None
    message = messages[0]
    return {"body": message["Body"], "group": message.get("Attributes", {}).get("MessageGroupId"),
            "receipt_handle": message["ReceiptHandle"]}
