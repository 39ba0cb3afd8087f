"""Exercise 01 (the course mission): realistic wrong solutions and valid alternatives."""

from __future__ import annotations

from mistakes import Valid, Wrong

WRONG = [
    Wrong("body-as-batch-entry-id", "send_with_authors", '''\
def send_with_authors(sqs, queue_url, items):
    entries = [{"Id": body, "MessageBody": body,
                "MessageAttributes": {"Author": {"DataType": "String", "StringValue": author}}}
               for body, author in items]
    response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    ids = {entry["Id"]: entry["MessageId"] for entry in response.get("Successful", [])}
    return [ids[body] for body, _ in items]
''', "test_send_with_authors_takes_any_bodies_and_keeps_the_order_of_items", "InvalidBatchEntryId", "kinder"),
    Wrong("ids-in-successful-order", "send_with_authors", '''\
def send_with_authors(sqs, queue_url, items):
    entries = [{"Id": f"m{i}", "MessageBody": body,
                "MessageAttributes": {"Author": {"DataType": "String", "StringValue": author}}}
               for i, (body, author) in enumerate(items)]
    response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    return [entry["MessageId"] for entry in response["Successful"]]
''', "test_send_with_authors_takes_any_bodies_and_keeps_the_order_of_items", "in the order of items", "kinder"),
    Wrong("receive-hard-coded-wait", "receive_with_author", '''\
def receive_with_author(sqs, queue_url, wait_seconds=10):
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=10,
                                   MessageAttributeNames=["Author"])
    return [{"body": m["Body"], "author": m.get("MessageAttributes", {}).get("Author", {}).get("StringValue"),
             "receipt_handle": m["ReceiptHandle"]} for m in response.get("Messages", [])]
''', "test_receive_with_author_long_polls_for_ten_with_the_author", "WaitTimeSeconds=wait_seconds", "contract"),
    Wrong("receive-one-at-a-time", "receive_with_author", '''\
def receive_with_author(sqs, queue_url, wait_seconds=10):
    response = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=wait_seconds,
                                   MessageAttributeNames=["Author"])
    return [{"body": m["Body"], "author": m.get("MessageAttributes", {}).get("Author", {}).get("StringValue"),
             "receipt_handle": m["ReceiptHandle"]} for m in response.get("Messages", [])]
''', "test_receive_with_author_long_polls_for_ten_with_the_author", "MaxNumberOfMessages=10", "contract"),
    Wrong("message-id-as-receipt-handle", "receive_with_author", '''\
def receive_with_author(sqs, queue_url, wait_seconds=10):
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds,
                                   MessageAttributeNames=["Author"])
    return [{"body": m["Body"], "author": m.get("MessageAttributes", {}).get("Author", {}).get("StringValue"),
             "receipt_handle": m["MessageId"]} for m in response.get("Messages", [])]
''', "test_receive_with_author_returns_body_author_and_receipt_handle", "not the MessageId", "kinder"),
    Wrong("greet-prints-none", "greet", '''\
def greet(message):
    return "Hello, {}! ({})".format(message["body"], message["author"])
''', "test_greet_leaves_out_the_brackets_without_an_author", "no brackets", "edge"),
    Wrong("greet-empty-brackets", "greet", '''\
def greet(message):
    author = message.get("author") or ""
    return f"Hello, {message['body']}! ({author})"
''', "test_greet_leaves_out_the_brackets_without_an_author", "no (None)", "edge"),
    Wrong("greet-tidies-the-body", "greet", '''\
def greet(message):
    body = message["body"].strip()
    if message["author"] is None:
        return f"Hello, {body}!"
    return f"Hello, {body}! ({message['author']})"
''', "test_greet_keeps_any_body_and_author_as_they_are", "exactly as they are", "edge"),
    Wrong("delete-swallows-errors", "delete", '''\
from botocore.exceptions import ClientError


def delete(sqs, queue_url, receipt_handle):
    try:
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=receipt_handle)
    except ClientError as error:
        print("could not delete:", error)
''', "test_delete_lets_sqs_errors_reach_the_caller", "do not swallow it", "errors"),
    Wrong("delete-retries-then-gives-up-quietly", "delete", '''\
def delete(sqs, queue_url, receipt_handle):
    for _ in range(3):
        try:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=receipt_handle)
            return
        except sqs.exceptions.ReceiptHandleIsInvalid:
            return  # already gone
        except Exception:
            continue
''', "test_delete_lets_sqs_errors_reach_the_caller", "do not swallow it", "errors"),
    Wrong("delete-by-purging", "delete", '''\
def delete(sqs, queue_url, receipt_handle):
    sqs.purge_queue(QueueUrl=queue_url)
''', "test_delete_removes_the_message_for_good", "the other message stays", "contract"),
]

VALID = [
    Valid("uuid-entry-ids", "send_with_authors", '''\
import uuid


def send_with_authors(sqs, queue_url, items):
    keys = [uuid.uuid4().hex for _ in items]
    entries = []
    for key, (body, author) in zip(keys, items):
        entries.append({"Id": key, "MessageBody": body,
                        "MessageAttributes": {"Author": {"StringValue": author, "DataType": "String"}}})
    response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    by_id = {}
    for entry in response.get("Successful", []):
        by_id[entry["Id"]] = entry["MessageId"]
    return [by_id[key] for key in keys]
''', "any Id of A-Z a-z 0-9 - _ works; results are matched back by Id, not by position"),
    Valid("receive-all-attributes", "receive_with_author", '''\
def receive_with_author(sqs, queue_url, wait_seconds=10):
    response = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=wait_seconds, MaxNumberOfMessages=10,
                                   MessageAttributeNames=["All"])
    result = []
    for message in response.get("Messages", []):
        attributes = message.get("MessageAttributes") or {}
        author = attributes["Author"]["StringValue"] if "Author" in attributes else None
        result.append({"body": message["Body"], "author": author, "receipt_handle": message["ReceiptHandle"]})
    return result
''', "MessageAttributeNames=['All'] returns Author too; SQS documents All as a valid name"),
    Valid("greet-joined", "greet", '''\
def greet(message):
    parts = ["Hello, " + message["body"] + "!"]
    if message.get("author") is not None:
        parts.append("(" + message["author"] + ")")
    return " ".join(parts)
''', "the same text built another way"),
    Valid("delay-set-after-create", "create_delayed_queue", '''\
def create_delayed_queue(sqs, name, delay_seconds=5):
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": f"{delay_seconds}"})
    return url
''', "setting DelaySeconds right after CreateQueue gives the same queue"),
]
