"""The course mission (cc104): create a delayed queue, send one message and a batch, receive, greet, delete.

This is the flow of the course notebook `sqs-example.ipynb`, one function per step.
AWS API: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_Operations.html
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient


def create_delayed_queue(sqs: SQSClient, name: str, delay_seconds: int = 5) -> str:
    """Create a standard queue called `name` whose messages stay hidden for `delay_seconds` after sending.

    Return the queue URL.
    """
    # TODO: your code here
    raise NotImplementedError("create_delayed_queue is not implemented yet")


def send_text(sqs: SQSClient, queue_url: str, body: str) -> str:
    """Send one message whose body is `body`. Return its MessageId."""
    # TODO: your code here
    raise NotImplementedError("send_text is not implemented yet")


def send_with_authors(sqs: SQSClient, queue_url: str, items: list[tuple[str, str]]) -> list[str]:
    """Send every (body, author) pair in ONE SendMessageBatch call (at most 10 pairs).

    Each message carries a String message attribute `Author`. Return the MessageIds in the order of `items`.
    """
    # TODO: your code here
    raise NotImplementedError("send_with_authors is not implemented yet")


def receive_with_author(sqs: SQSClient, queue_url: str, wait_seconds: int = 10) -> list[dict[str, Any]]:
    """Receive up to 10 messages, asking for the `Author` message attribute.

    Long-poll with WaitTimeSeconds=wait_seconds and MaxNumberOfMessages=10.
    Return one dict per message: {"body": ..., "author": ... or None, "receipt_handle": ...}.
    """
    # TODO: your code here
    raise NotImplementedError("receive_with_author is not implemented yet")


def greet(message: dict[str, Any]) -> str:
    """Turn {"body": "world", "author": "Daniel1"} into "Hello, world! (Daniel1)".

    A message without an author ("author": None) gets no brackets: {"body": "world", "author": None} -> "Hello, world!".
    """
    # TODO: your code here
    raise NotImplementedError("greet is not implemented yet")


def delete(sqs: SQSClient, queue_url: str, receipt_handle: str) -> None:
    """Delete the received message identified by `receipt_handle`, so it is never delivered again.

    Any error SQS answers with (an invalid receipt handle, access denied, throttling) reaches the caller.
    """
    # TODO: your code here
    raise NotImplementedError("delete is not implemented yet")
