"""Exercise 14 (errors): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

WRONG = [
    Wrong("send-safely-catches-only-a-missing-queue", "send_safely", '''\
def send_safely(sqs, queue_url, body):
    if not body:
        return {"ok": False, "error": EMPTY_BODY_ERROR}
    try:
        response = sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    except sqs.exceptions.QueueDoesNotExist as error:
        return {"ok": False, "error": error.response["Error"]["Code"]}
    return {"ok": True, "message_id": response["MessageId"]}
''', "test_send_safely_reports_throttling_and_internal_errors", "RequestThrottled", "errors"),
    Wrong("send-safely-strips-blanks", "send_safely", '''\
def send_safely(sqs, queue_url, body):
    if not body.strip():
        return {"ok": False, "error": EMPTY_BODY_ERROR}
    try:
        response = sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    except ClientError as error:
        return {"ok": False, "error": error.response["Error"]["Code"]}
    return {"ok": True, "message_id": response["MessageId"]}
''', "test_send_safely_sends_blank_and_large_bodies", "a body of blanks is a valid message", "edge"),
    Wrong("send-safely-old-256k-limit", "send_safely", '''\
MAX_BODY_BYTES = 256 * 1024


def send_safely(sqs, queue_url, body):
    if not body:
        return {"ok": False, "error": EMPTY_BODY_ERROR}
    if len(body.encode("utf-8")) > MAX_BODY_BYTES:
        return {"ok": False, "error": "InvalidParameterValue"}  # too long for SQS: do not even try
    try:
        response = sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    except ClientError as error:
        return {"ok": False, "error": error.response["Error"]["Code"]}
    return {"ok": True, "message_id": response["MessageId"]}
''', "test_send_safely_sends_blank_and_large_bodies", "SQS's limit is 1 MiB", "edge"),
    Wrong("queue-exists-any-error-is-false", "queue_exists", '''\
def queue_exists(sqs, name):
    try:
        sqs.get_queue_url(QueueName=name)
        return True
    except ClientError:
        return False
''', "test_queue_exists_lets_other_errors_reach_the_caller", "must reach the caller", "errors"),
    Wrong("queue-exists-by-prefix", "queue_exists", '''\
def queue_exists(sqs, name):
    return bool(sqs.list_queues(QueueNamePrefix=name).get("QueueUrls"))
''', "test_queue_exists_matches_the_whole_name", "match the whole name", "edge"),
    Wrong("queue-exists-code-without-prefix", "queue_exists", '''\
def queue_exists(sqs, name):
    try:
        sqs.get_queue_url(QueueName=name)
    except ClientError as error:
        if error.response["Error"]["Code"] == "QueueDoesNotExist":
            return False
        raise
    return True
''', "test_queue_exists_tells_existing_from_missing", "raised QueueDoesNotExist", "errors"),
    Wrong("receive-safely-short-poll", "receive_safely", '''\
def receive_safely(sqs, queue_url, wait_seconds=1):
    try:
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
    except ClientError as error:
        return {"ok": False, "error": error.response["Error"]["Code"]}
    return {"ok": True, "bodies": [m["Body"] for m in response.get("Messages", [])]}
''', "test_receive_safely_returns_the_bodies", "on success should return", "kinder"),
    Wrong("receive-safely-messages-always-there", "receive_safely", '''\
def receive_safely(sqs, queue_url, wait_seconds=1):
    try:
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds)
    except ClientError as error:
        return {"ok": False, "error": error.response["Error"]["Code"]}
    return {"ok": True, "bodies": [m["Body"] for m in response["Messages"]]}
''', "test_receive_safely_of_nothing_is_an_empty_list", "raised KeyError", "kinder"),
    Wrong("receive-safely-wait-hard-coded", "receive_safely", '''\
def receive_safely(sqs, queue_url, wait_seconds=1):
    try:
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=20)
    except ClientError as error:
        return {"ok": False, "error": error.response["Error"]["Code"]}
    return {"ok": True, "bodies": [m["Body"] for m in response.get("Messages", [])]}
''', "test_receive_safely_long_polls_with_the_wait_it_is_given", "WaitTimeSeconds=2", "contract"),
    Wrong("receive-safely-throttling-as-empty", "receive_safely", '''\
def receive_safely(sqs, queue_url, wait_seconds=1):
    try:
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds)
    except ClientError as error:
        if "Throttl" in error.response["Error"]["Code"]:
            return {"ok": True, "bodies": []}  # busy: nothing for us this time
        return {"ok": False, "error": error.response["Error"]["Code"]}
    return {"ok": True, "bodies": [m["Body"] for m in response.get("Messages", [])]}
''', "test_receive_safely_reports_throttling", "is not an empty queue", "errors"),
]

VALID = [
    Valid("send-safely-short-codes", "send_safely", '''\
def send_safely(sqs, queue_url, body):
    if body == "":
        return {"ok": False, "error": EMPTY_BODY_ERROR}
    try:
        message_id = sqs.send_message(QueueUrl=queue_url, MessageBody=body)["MessageId"]
    except sqs.exceptions.ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        return {"ok": False, "error": code.removeprefix("AWS.SimpleQueueService.")}
    return {"ok": True, "message_id": message_id}
''', "reports codes without the AWS.SimpleQueueService. prefix (NonExistentQueue, InvalidMessageContents)"),
    Valid("queue-exists-by-code", "queue_exists", '''\
MISSING = {"QueueDoesNotExist", "NonExistentQueue"}


def queue_exists(sqs, name):
    try:
        sqs.get_queue_url(QueueName=name)
    except ClientError as error:
        if error.response["Error"]["Code"].removeprefix("AWS.SimpleQueueService.") in MISSING:
            return False
        raise
    return True
''', "compares the error code (either name, prefix removed) instead of catching the modelled exception"),
    Valid("receive-safely-or-empty", "receive_safely", '''\
def receive_safely(sqs, queue_url, wait_seconds=1):
    try:
        response = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=wait_seconds, MaxNumberOfMessages=10,
                                       MessageSystemAttributeNames=["SentTimestamp"])
    except ClientError as error:
        return {"ok": False, "error": error.response["Error"]["Code"]}
    messages = response.get("Messages") or []
    return {"ok": True, "bodies": [message["Body"] for message in messages]}
''', "asks for a system attribute too, treats a missing or empty Messages alike"),
]
