"""Batches: send and delete many messages with few calls, and never lose track of the entries that failed.

A batch call takes at most 10 entries and succeeds even when some entries fail, so the caller must read
the response's Failed list; a request SQS refuses as a whole (empty, too many, duplicate Ids) raises instead.
AWS API: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessageBatch.html
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient

MAX_BATCH_ENTRIES = 10  # SQS takes at most 10 entries in one batch call


def chunks(items: list[Any], size: int = MAX_BATCH_ENTRIES) -> list[list[Any]]:
    """Split `items` into consecutive lists of at most `size` items, keeping their order.

    chunks([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]; chunks([]) == [].
    """
    return [items[start:start + size] for start in range(0, len(items), size)]


def send_in_batches(sqs: SQSClient, queue_url: str, bodies: list[str]) -> list[str]:
    """Send one message per body using SendMessageBatch calls of at most MAX_BATCH_ENTRIES entries each
    (no SendMessage, and no call at all when there is nothing to send).

    Every entry needs an Id that is unique within its batch and made of 1 to 80 of A-Z a-z 0-9 - _ (a body
    is not an Id: number the entries). Assume SQS accepts every entry. SQS lists the Successful entries in any
    order. Return the MessageIds in the order of `bodies`.
    """
    message_ids: list[str] = []
    for chunk in chunks(bodies):
        entries = [{"Id": str(i), "MessageBody": body} for i, body in enumerate(chunk)]
        response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
        sent = {entry["Id"]: entry["MessageId"] for entry in response.get("Successful", [])}
        message_ids.extend(sent[str(i)] for i in range(len(chunk)))
    return message_ids


def send_batch(sqs: SQSClient, queue_url: str, entries: list[dict[str, Any]]) -> dict[str, str]:
    """Send these ready-made SendMessageBatch entries (each has an Id and a MessageBody) in ONE call.

    The call succeeds even if SQS refuses some entries: report them (whatever their SenderFault), do not
    swallow them.
    Return {entry Id: error code} for every entry in the response's Failed list, or {} if all were sent.
    """
    response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    return {failed["Id"]: failed["Code"] for failed in response.get("Failed", [])}


def batch_request_error(sqs: SQSClient, queue_url: str, entries: list[dict[str, Any]]) -> str | None:
    """Send `entries` in ONE SendMessageBatch call exactly as given, even if they break the batch rules.

    SQS refuses a whole request that is empty, has more than 10 entries, repeats an Id, or has an Id that is
    not 1 to 80 of A-Z a-z 0-9 - _. Return the
    error code (error.response["Error"]["Code"], e.g. "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"
    or "TooManyEntriesInBatchRequest", as SQS gives it), or None if SQS took the request
    (even if some entries failed).
    """
    try:
        sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    except ClientError as error:
        return error.response["Error"]["Code"]
    return None


def delete_in_batches(sqs: SQSClient, queue_url: str, receipt_handles: list[str]) -> list[str]:
    """Delete the received messages with these receipt handles, using DeleteMessageBatch calls of at most
    MAX_BATCH_ENTRIES entries each (no DeleteMessage).

    Return the receipt handles SQS could not delete (the Failed entries of every call, whatever their
    SenderFault), in the order given, or [] if every message was deleted.
    """
    failed: list[str] = []
    for chunk in chunks(receipt_handles):
        entries = [{"Id": str(i), "ReceiptHandle": handle} for i, handle in enumerate(chunk)]
        response = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
        failed_ids = {entry["Id"] for entry in response.get("Failed", [])}
        failed.extend(handle for i, handle in enumerate(chunk) if str(i) in failed_ids)
    return failed
