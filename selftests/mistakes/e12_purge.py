"""Exercise 12 (purge): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

WRONG = [
    Wrong("purge-any-client-error-is-false", "purge", '''\
from botocore.exceptions import ClientError


def purge(sqs, queue_url):
    try:
        sqs.purge_queue(QueueUrl=queue_url)
    except sqs.exceptions.QueueDoesNotExist:
        raise
    except ClientError:
        return False  # SQS said no: probably a purge in the last 60 s
    return True
''', "test_purge_lets_access_denied_and_throttling_reach_the_caller", "(here: AccessDenied) must reach the caller",
          "errors"),
    Wrong("purge-throttling-means-in-progress", "purge", '''\
from botocore.exceptions import ClientError


def purge(sqs, queue_url):
    try:
        sqs.purge_queue(QueueUrl=queue_url)
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code.endswith("PurgeQueueInProgress") or code in ("RequestThrottled", "ThrottlingException"):
            return False  # busy either way: try again later
        raise
    return True
''', "test_purge_lets_access_denied_and_throttling_reach_the_caller", "(here: RequestThrottled) must reach the caller",
          "errors"),
    Wrong("purge-code-without-prefix", "purge", '''\
from botocore.exceptions import ClientError


def purge(sqs, queue_url):
    try:
        sqs.purge_queue(QueueUrl=queue_url)
    except ClientError as error:
        if error.response["Error"]["Code"] == "PurgeQueueInProgress":
            return False
        raise
    return True
''', "test_a_second_purge_within_60_seconds_returns_false_where_sqs_refuses_it", "raised PurgeQueueInProgress",
          "errors"),
    Wrong("purge-skips-an-empty-looking-queue", "purge", '''\
def purge(sqs, queue_url):
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url,
                                          AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    if attributes["ApproximateNumberOfMessages"] == "0":
        return True  # nothing to purge, and no 60-second lock-out for nothing
    try:
        sqs.purge_queue(QueueUrl=queue_url)
    except sqs.exceptions.PurgeQueueInProgress:
        return False
    return True
''', "test_purge_empties_a_queue_whose_messages_are_all_in_flight_or_delayed", "in-flight and delayed messages",
          "edge"),
    Wrong("purge-by-recreating-the-queue", "purge", '''\
def purge(sqs, queue_url):
    name = queue_url.rsplit("/", 1)[-1]
    sqs.delete_queue(QueueUrl=queue_url)
    sqs.create_queue(QueueName=name)
    return True
''', "test_purge_removes_every_message_and_keeps_the_queue", "with one PurgeQueue call", "contract"),
    Wrong("purge-returns-the-response", "purge", '''\
def purge(sqs, queue_url):
    try:
        return sqs.purge_queue(QueueUrl=queue_url)
    except sqs.exceptions.PurgeQueueInProgress:
        return False
''', "test_purge_of_an_empty_queue_returns_true", "should return True", "contract"),
]

VALID = [
    Valid("purge-code-either-form", "purge", '''\
from botocore.exceptions import ClientError


def purge(sqs, queue_url):
    try:
        sqs.purge_queue(QueueUrl=queue_url)
    except ClientError as error:
        if error.response["Error"]["Code"].removeprefix("AWS.SimpleQueueService.") == "PurgeQueueInProgress":
            return False
        raise
    return True
''', "compares the error code with its AWS.SimpleQueueService. prefix removed, re-raises everything else"),
    Valid("purge-from-code", "purge", '''\
def purge(sqs, queue_url):
    in_progress = sqs.exceptions.from_code("PurgeQueueInProgress")
    try:
        sqs.purge_queue(QueueUrl=queue_url)
    except in_progress:
        return False
    else:
        return True
''', "looks the modelled exception up with from_code, try/except/else"),
]
