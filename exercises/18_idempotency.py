"""Idempotency: SQS delivers a message at least once, so a consumer must make a second delivery have no effect.

Claim each message's business key in DynamoDB with a conditional write (put_item with
ConditionExpression="attribute_not_exists(pk)") before the effect: the first claim wins, a duplicate finds it taken.
AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/standard-queues-at-least-once-delivery.html
     https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html#Expressions.ConditionExpressions.PreventingOverwrites
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient

MAX_RECEIVE = 10  # SQS hands out at most 10 messages per ReceiveMessage
KEY = "IdempotencyKey"  # the message attribute the producer puts on every message: the business key


def claim(dynamodb: Any, table: str, key: str) -> bool:
    """Claim `key` in the DynamoDB table `table` (partition key "pk", a string). Return True if this call claimed it.

    One conditional write does it: put_item of {"pk": {"S": key}} with ConditionExpression="attribute_not_exists(pk)".
    When the key is already claimed (by this worker earlier, another worker, or a worker before a restart) DynamoDB
    refuses the write with ConditionalCheckFailedException: return False. Any other error must reach the caller.
    """
    # TODO: your code here
    raise NotImplementedError("claim is not implemented yet")


def release(dynamodb: Any, table: str, key: str) -> None:
    """Remove the claim on `key` (the effect failed): a later delivery of the message may then try again."""
    # TODO: your code here
    raise NotImplementedError("release is not implemented yet")


def consume_idempotently(sqs: SQSClient, queue_url: str, dynamodb: Any, table: str,
                         handle: Callable[[str], Any], wait_seconds: int = 1) -> int:
    """Consume the queue until a receive comes back empty; each business key has its effect once. Return the effects.

    Long-poll (MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds) asking for the message attribute
    IdempotencyKey: the business key, the same on every copy of one order -- unlike the MessageId, which a
    producer's retried send changes, and the ReceiptHandle, which changes on every receive. For each message:
    claim its key, then call handle(body) -- the effect -- and delete the message. A message whose key is already
    claimed is a duplicate: delete it without calling handle. When handle raises, release the claim and leave
    the message in the queue (it comes back after its visibility timeout, or goes to a dead-letter queue).
    """
    # TODO: your code here
    raise NotImplementedError("consume_idempotently is not implemented yet")
