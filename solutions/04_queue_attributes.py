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
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    return {name: int(attributes[name]) for name in names}


def change_settings(sqs: SQSClient, queue_url: str, *, visibility_timeout: int | None = None,
                    retention_seconds: int | None = None, delay_seconds: int | None = None) -> None:
    """Change the queue's VisibilityTimeout, MessageRetentionPeriod and/or DelaySeconds in one call.

    Only the settings given (not None; 0 is a setting too) change; leave the others as they are.
    """
    wanted = {"VisibilityTimeout": visibility_timeout, "MessageRetentionPeriod": retention_seconds,
              "DelaySeconds": delay_seconds}
    changes = {name: str(value) for name, value in wanted.items() if value is not None}
    if changes:
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=changes)


def message_counts(sqs: SQSClient, queue_url: str) -> dict[str, int]:
    """Return how many messages the queue holds, as SQS reports them (approximate on real SQS):

    {"visible": ApproximateNumberOfMessages, "in_flight": ApproximateNumberOfMessagesNotVisible,
     "delayed": ApproximateNumberOfMessagesDelayed}, each an int.
    """
    names = {"visible": "ApproximateNumberOfMessages", "in_flight": "ApproximateNumberOfMessagesNotVisible",
             "delayed": "ApproximateNumberOfMessagesDelayed"}
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=list(names.values()))["Attributes"]
    return {key: int(attributes.get(name, 0)) for key, name in names.items()}


def add_tags(sqs: SQSClient, queue_url: str, tags: dict[str, str]) -> None:
    """Add (or overwrite) the given tags on the queue, e.g. {"team": "orders"}."""
    sqs.tag_queue(QueueUrl=queue_url, Tags=tags)


def remove_tags(sqs: SQSClient, queue_url: str, keys: list[str]) -> None:
    """Remove the tags with these keys from the queue; other tags stay."""
    sqs.untag_queue(QueueUrl=queue_url, TagKeys=keys)


def queue_tags(sqs: SQSClient, queue_url: str) -> dict[str, str]:
    """Return the queue's tags as a dict, {} when it has none (SQS then leaves the Tags key out).

    Any error SQS answers with (access denied, throttling) reaches the caller: it does not mean "no tags".
    """
    return sqs.list_queue_tags(QueueUrl=queue_url).get("Tags", {})
