"""Errors: turn what SQS refuses into a clear result for the caller instead of a crash.

boto3 raises botocore.exceptions.ClientError for every refusal and puts SQS's error code in
error.response["Error"]["Code"]; check what you can (an empty body) before calling SQS at all.
AWS API: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html
         https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
boto3 errors: https://boto3.amazonaws.com/v1/documentation/api/latest/guide/error-handling.html
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient

# What SQS answers for an empty MessageBody ("The request must contain the parameter MessageBody"):
# a body needs at least one character. Some emulators accept "" anyway, so check it yourself.
EMPTY_BODY_ERROR = "MissingParameter"


def send_safely(sqs: SQSClient, queue_url: str, body: str) -> dict[str, Any]:
    """Send `body`, never raising for an SQS refusal.

    Return {"ok": True, "message_id": <MessageId>} when sent, or {"ok": False, "error": <AWS error code>}
    when SQS refused (the code from error.response["Error"]["Code"]). An empty body is not sent at
    all: return {"ok": False, "error": EMPTY_BODY_ERROR} without calling SQS. (A body of blanks is a valid
    message, and SQS takes bodies up to 1 MiB.)
    """
    if not body:
        return {"ok": False, "error": EMPTY_BODY_ERROR}
    try:
        response = sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    except ClientError as error:
        return {"ok": False, "error": error.response["Error"]["Code"]}
    return {"ok": True, "message_id": response["MessageId"]}


def queue_exists(sqs: SQSClient, name: str) -> bool:
    """True when a queue called `name` exists, False when SQS says it does not (QueueDoesNotExist).

    Any other error (access denied, throttling) is not an answer: let it reach the caller.
    """
    try:
        sqs.get_queue_url(QueueName=name)
    except sqs.exceptions.QueueDoesNotExist:
        return False
    return True


def receive_safely(sqs: SQSClient, queue_url: str, wait_seconds: int = 1) -> dict[str, Any]:
    """Receive once (long-poll with WaitTimeSeconds=wait_seconds and MaxNumberOfMessages=10), never raising for an
    SQS refusal.

    Return {"ok": True, "bodies": [<Body>, ...]} (possibly []), or {"ok": False, "error": <AWS error code>}.
    Do not delete what you receive.
    """
    try:
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds)
    except ClientError as error:
        return {"ok": False, "error": error.response["Error"]["Code"]}
    return {"ok": True, "bodies": [m["Body"] for m in response.get("Messages", [])]}
