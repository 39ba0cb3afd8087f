"""Messages beyond the course: typed message attributes, system attributes, a consumer that deletes, the size limit.

A message carries a body plus your own typed attributes (String, Number, Binary); SQS adds system
attributes such as when it was sent and how often it was received, and keeps the message until you delete it.
AWS API: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
         https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
         https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
Message attributes: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient

# The largest message SQS accepts: 1 MiB, counted in BYTES (since August 2025; it was 256 KiB before).
MAX_MESSAGE_BYTES = 1_048_576

# ReceiveMessage returns at most this many messages per call.
MAX_RECEIVE = 10


def send_with_attributes(sqs: SQSClient, queue_url: str, body: str, attributes: dict[str, Any]) -> str:
    """Send `body` with one message attribute per entry of `attributes`, typed by its Python value.

    str -> DataType "String" (StringValue), int or float -> "Number" (StringValue, e.g. "42" or "2.5"),
    bytes -> "Binary" (BinaryValue). Return the MessageId.
    """
    # TODO: your code here
    raise NotImplementedError("send_with_attributes is not implemented yet")


def receive_with_attributes(sqs: SQSClient, queue_url: str, wait_seconds: int = 1) -> list[dict[str, Any]]:
    """Receive up to 10 messages with ALL their message attributes.

    Long-poll with WaitTimeSeconds=wait_seconds and MaxNumberOfMessages=10.
    Return one dict per message: {"body": ..., "attributes": {name: value}}, turning each value back
    into Python: String -> str, Number -> int when it is a whole number like "42" or "-7", else float,
    Binary -> bytes. The type is the DataType's text before the first dot: "Number.int" is a Number,
    "Binary.png" a Binary. A message without attributes has "attributes": {}.
    """
    # TODO: ask for the attributes (MessageAttributeNames), then convert each by its DataType
    raise NotImplementedError("receive_with_attributes is not implemented yet")


def receive_with_timestamps(sqs: SQSClient, queue_url: str, wait_seconds: int = 1) -> list[dict[str, Any]]:
    """Receive up to 10 messages with three system attributes.

    Long-poll with WaitTimeSeconds=wait_seconds and MaxNumberOfMessages=10, asking SQS for the three
    with MessageSystemAttributeNames. Return one dict per message, numbers as ints:
    {"body": ..., "receipt_handle": ...,
     "sent_timestamp": SentTimestamp (epoch milliseconds),
     "receive_count": ApproximateReceiveCount,
     "first_receive_timestamp": ApproximateFirstReceiveTimestamp (epoch milliseconds)}.
    """
    # TODO: ask for the three names with MessageSystemAttributeNames; they arrive as strings
    raise NotImplementedError("receive_with_timestamps is not implemented yet")


def consume_all(sqs: SQSClient, queue_url: str, handle: Callable[[str], Any], wait_seconds: int = 1) -> int:
    """Process every message on the queue: call handle(body), THEN delete that message.

    Keep receiving (long-poll with WaitTimeSeconds=wait_seconds and MaxNumberOfMessages=10) until a
    receive comes back empty. Return how many messages this call handled.
    """
    # TODO: receive, handle, then delete with the ReceiptHandle; stop when a receive is empty
    raise NotImplementedError("consume_all is not implemented yet")


def fits_in_one_message(body: str) -> bool:
    """True when `body` is within SQS's size limit, MAX_MESSAGE_BYTES, counted in UTF-8 bytes.

    Characters are not bytes: "中" is one character but three bytes.
    """
    # TODO: your code here
    raise NotImplementedError("fits_in_one_message is not implemented yet")
