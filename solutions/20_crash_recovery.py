"""Crash recovery: a worker process can die at any instant (kill -9); no message may be lost, no effect repeated.

The grader runs run_worker as a real OS process, SIGKILLs it in the middle of a batch and starts another. SQS keeps
every message that was not deleted and hands it out again after its visibility timeout; the claims in DynamoDB
(exercise 18) keep a redelivered message from having a second effect; a message that always fails goes to the
dead-letter queue after maxReceiveCount receives.
The grader kills the worker right after an effect, before the message is deleted: the case a claim made before the
effect covers. (A death between the claim and the effect would leave a claim with no effect; where that matters,
write the effect and the claim in one DynamoDB transaction, or give claims an expiry as AWS Lambda Powertools'
idempotency utility does.)
AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
     https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient

MAX_RECEIVE = 10  # SQS hands out at most 10 messages per ReceiveMessage
KEY = "IdempotencyKey"  # the message attribute the producer puts on every message: the business key


def run_worker(sqs: SQSClient, queue_url: str, dynamodb: Any, table: str, handle: Callable[[str], Any],
               wait_seconds: int = 1) -> None:
    """Consume the queue forever (until the process is stopped); every business key has its effect exactly once.

    Loop: long-poll (MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds, MessageAttributeNames=["IdempotencyKey"]).
    For each message: claim its IdempotencyKey in the DynamoDB table `table` (put_item of {"pk": {"S": key}} with
    ConditionExpression="attribute_not_exists(pk)"), then call handle(body) -- the effect. A key already claimed
    (ConditionalCheckFailedException) is a duplicate: no handle. When handle raises, delete the claim and leave the
    message: it comes back after its visibility timeout, and after maxReceiveCount receives SQS moves it to the
    dead-letter queue. Delete the messages that had their effect, and the duplicates, once handled (one
    delete_message_batch per receive is cheapest) -- never before: the process can be killed at any instant.
    An empty receive is no reason to stop: keep polling.
    """
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds,
                                       MessageAttributeNames=[KEY]).get("Messages", [])
        done = []
        for message in messages:
            key = {"pk": {"S": message["MessageAttributes"][KEY]["StringValue"]}}
            try:
                dynamodb.put_item(TableName=table, Item=key, ConditionExpression="attribute_not_exists(pk)")
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise
                done.append(message)  # a duplicate: its effect happened already
                continue
            try:
                handle(message["Body"])
            except Exception:  # noqa: BLE001 -- the message stays; its next delivery may succeed, or go to the DLQ
                dynamodb.delete_item(TableName=table, Key=key)
                continue
            done.append(message)
        if done:
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)])
