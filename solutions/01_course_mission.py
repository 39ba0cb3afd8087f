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
    response = sqs.create_queue(QueueName=name, Attributes={"DelaySeconds": str(delay_seconds)})
    return response["QueueUrl"]


def send_text(sqs: SQSClient, queue_url: str, body: str) -> str:
    """Send one message whose body is `body`. Return its MessageId."""
    return sqs.send_message(QueueUrl=queue_url, MessageBody=body)["MessageId"]


def send_with_authors(sqs: SQSClient, queue_url: str, items: list[tuple[str, str]]) -> list[str]:
    """Send every (body, author) pair in ONE SendMessageBatch call (at most 10 pairs).

    Each message carries a String message attribute `Author`. Return the MessageIds in the order of `items`.
    """
    entries = [
        {"Id": str(i), "MessageBody": body,
         "MessageAttributes": {"Author": {"DataType": "String", "StringValue": author}}}
        for i, (body, author) in enumerate(items)
    ]
    response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    ids = {entry["Id"]: entry["MessageId"] for entry in response.get("Successful", [])}
    return [ids[str(i)] for i in range(len(items))]


def receive_with_author(sqs: SQSClient, queue_url: str, wait_seconds: int = 10) -> list[dict[str, Any]]:
    """Receive up to 10 messages, asking for the `Author` message attribute.

    Long-poll with WaitTimeSeconds=wait_seconds and MaxNumberOfMessages=10.
    Return one dict per message: {"body": ..., "author": ... or None, "receipt_handle": ...}.
    """
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                   WaitTimeSeconds=wait_seconds, MessageAttributeNames=["Author"])
    return [
        {"body": m["Body"],
         "author": m.get("MessageAttributes", {}).get("Author", {}).get("StringValue"),
         "receipt_handle": m["ReceiptHandle"]}
        for m in response.get("Messages", [])
    ]


def greet(message: dict[str, Any]) -> str:
    """Turn {"body": "world", "author": "Daniel1"} into "Hello, world! (Daniel1)".

    A message without an author ("author": None) gets no brackets: {"body": "world", "author": None} -> "Hello, world!".
    """
    if message["author"] is None:
        return f"Hello, {message['body']}!"
    return f"Hello, {message['body']}! ({message['author']})"


def delete(sqs: SQSClient, queue_url: str, receipt_handle: str) -> None:
    """Delete the received message identified by `receipt_handle`, so it is never delivered again.

    Any error SQS answers with (an invalid receipt handle, access denied, throttling) reaches the caller.
    """
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=receipt_handle)
