"""Queue lifecycle: create a queue with attributes, find it by name, list queues page by page, delete it.

A queue is addressed by its URL; the name is only how you find the URL again, and ListQueues hands
back at most one page of URLs per call, so a complete list means following NextToken.
AWS API: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
         https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html
         https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html
         https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteQueue.html
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient

# ListQueues returns at most this many URLs per call (MaxResults may be 1-1000).
MAX_LIST_PAGE = 1000


def create_queue(sqs: SQSClient, name: str, attributes: dict[str, Any] | None = None) -> str:
    """Create a queue called `name` with the given attributes and return its URL.

    `attributes` holds Python values, e.g. {"VisibilityTimeout": 7, "FifoQueue": True}; SQS wants
    every value as a string: numbers as "7" (0 as "0"), booleans as lowercase "true" / "false",
    strings (a RedrivePolicy's JSON, say) unchanged.
    With no attributes (None or {}), create the queue with SQS's defaults.
    """
    # TODO: SQS wants strings: turn every attribute value into one first (True -> "true")
    raise NotImplementedError("create_queue is not implemented yet")


def find_queue_url(sqs: SQSClient, name: str) -> str | None:
    """Return the URL of the queue called exactly `name`, or None when there is no such queue.

    Any other error (access denied, throttling) reaches the caller.
    """
    # TODO: your code here
    raise NotImplementedError("find_queue_url is not implemented yet")


def list_queue_names(sqs: SQSClient, prefix: str, page_size: int = MAX_LIST_PAGE) -> list[str]:
    """Return the names (not URLs) of ALL queues whose name starts with `prefix`, sorted.

    A name only has to START with `prefix`: "orders" and "orders-old" both match "orders".
    Ask for at most `page_size` URLs per ListQueues call (MaxResults) and follow NextToken until
    there is none, so no queue is missed. Return [] when no queue matches.
    """
    # TODO: one ListQueues call per page (MaxResults=page_size); repeat with NextToken while there is one
    raise NotImplementedError("list_queue_names is not implemented yet")


def delete_queue(sqs: SQSClient, name: str) -> bool:
    """Delete the queue called `name` (and every message in it).

    Return True when it was deleted, False when there was no such queue called exactly `name`.
    Any other error (access denied, throttling) reaches the caller.
    """
    # TODO: your code here
    raise NotImplementedError("delete_queue is not implemented yet")
