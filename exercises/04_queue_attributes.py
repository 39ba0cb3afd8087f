"""Queue attributes and tags: read a queue's settings as numbers, change them, count its messages, label it with tags.

Every queue attribute travels as a string, even the numbers, so reading them means converting;
tags are your own key/value labels (team, cost centre), separate from the attributes that change behaviour.
AWS API: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
         https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
         https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_TagQueue.html
         https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_UntagQueue.html
         https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueueTags.html
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient


def get_number_attributes(sqs: SQSClient, queue_url: str, names: list[str]) -> dict[str, int]:
    """Read the queue attributes called `names` (e.g. ["VisibilityTimeout", "DelaySeconds"]).

    Return {name: value as int} for exactly those names.
    """
    # TODO: your code here
    raise NotImplementedError("get_number_attributes is not implemented yet")


def change_settings(sqs: SQSClient, queue_url: str, *, visibility_timeout: int | None = None,
                    retention_seconds: int | None = None, delay_seconds: int | None = None) -> None:
    """Change the queue's VisibilityTimeout, MessageRetentionPeriod and/or DelaySeconds in one call.

    Only the settings given (not None; 0 is a setting too) change; leave the others as they are.
    """
    # TODO: send only the settings that are not None, all in one set_queue_attributes call
    raise NotImplementedError("change_settings is not implemented yet")


def message_counts(sqs: SQSClient, queue_url: str) -> dict[str, int]:
    """Return how many messages the queue holds, as SQS reports them (approximate on real SQS):

    {"visible": ApproximateNumberOfMessages, "in_flight": ApproximateNumberOfMessagesNotVisible,
     "delayed": ApproximateNumberOfMessagesDelayed}, each an int.
    """
    # TODO: your code here
    raise NotImplementedError("message_counts is not implemented yet")


def add_tags(sqs: SQSClient, queue_url: str, tags: dict[str, str]) -> None:
    """Add (or overwrite) the given tags on the queue, e.g. {"team": "orders"}."""
    # TODO: your code here
    raise NotImplementedError("add_tags is not implemented yet")


def remove_tags(sqs: SQSClient, queue_url: str, keys: list[str]) -> None:
    """Remove the tags with these keys from the queue; other tags stay."""
    # TODO: your code here
    raise NotImplementedError("remove_tags is not implemented yet")


def queue_tags(sqs: SQSClient, queue_url: str) -> dict[str, str]:
    """Return the queue's tags as a dict, {} when it has none (SQS then leaves the Tags key out).

    Any error SQS answers with (access denied, throttling) reaches the caller: it does not mean "no tags".
    """
    # TODO: your code here
    raise NotImplementedError("queue_tags is not implemented yet")
