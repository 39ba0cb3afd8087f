"""Exercise 06 (visibility timeout): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

WRONG = [
    Wrong("visibility-entry-id-is-the-handle", "change_visibility_batch", '''\
def change_visibility_batch(sqs, queue_url, receipt_handles, seconds):
    # the handle is unique in the batch, so it can be its own Id (emulator handles are short and plain)
    entries = [{"Id": handle, "ReceiptHandle": handle, "VisibilityTimeout": seconds} for handle in receipt_handles]
    response = sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=entries)
    return [failed["Id"] for failed in response.get("Failed", [])]
''', "test_change_visibility_batch_releases_every_message_in_one_call", "InvalidBatchEntryId", "kinder"),
    Wrong("failed-mapped-by-position", "change_visibility_batch", '''\
def change_visibility_batch(sqs, queue_url, receipt_handles, seconds):
    entries = [{"Id": str(i), "ReceiptHandle": handle, "VisibilityTimeout": seconds}
               for i, handle in enumerate(receipt_handles)]
    response = sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=entries)
    failed_ids = sorted(int(failed["Id"]) for failed in response.get("Failed", []))
    # Successful comes first in the request, so the failed ones are the last len(Failed) entries
    return receipt_handles[len(receipt_handles) - len(failed_ids):] if failed_ids else []
''', "test_change_visibility_batch_reports_every_failed_entry_in_any_order", "map each Id back to its handle",
          "kinder"),
    Wrong("server-side-failures-ignored", "change_visibility_batch", '''\
def change_visibility_batch(sqs, queue_url, receipt_handles, seconds):
    entries = [{"Id": str(i), "ReceiptHandle": handle, "VisibilityTimeout": seconds}
               for i, handle in enumerate(receipt_handles)]
    response = sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=entries)
    return [receipt_handles[int(f["Id"])] for f in response.get("Failed", []) if f.get("SenderFault")]
''', "test_change_visibility_batch_reports_every_failed_entry_in_any_order", "SenderFault=false", "errors"),
    Wrong("receive-wait-hard-coded", "receive_for_work", '''\
def receive_for_work(sqs, queue_url, visibility_timeout, wait_seconds=1):
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                   VisibilityTimeout=visibility_timeout,
                                   MessageSystemAttributeNames=["ApproximateReceiveCount"])
    return [{"body": m["Body"], "receipt_handle": m["ReceiptHandle"],
             "receive_count": int(m["Attributes"]["ApproximateReceiveCount"])} for m in response.get("Messages", [])]
''', "test_receive_for_work_hides_messages_for_the_given_timeout", "WaitTimeSeconds=wait_seconds (2 here)",
          "contract"),
    Wrong("receive-count-kept-locally", "receive_for_work", '''\
from collections import Counter

_SEEN = Counter()


def receive_for_work(sqs, queue_url, visibility_timeout, wait_seconds=1):
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds,
                                   VisibilityTimeout=visibility_timeout)
    work = []
    for m in response.get("Messages", []):
        _SEEN[m["MessageId"]] += 1
        work.append({"body": m["Body"], "receipt_handle": m["ReceiptHandle"], "receive_count": _SEEN[m["MessageId"]]})
    return work
''', "test_receive_for_work_reads_the_count_from_sqs", "not from a count of your own", "contract"),
    Wrong("extend-adds-to-the-queue-timeout", "extend_visibility", '''\
def extend_visibility(sqs, queue_url, receipt_handle, seconds):
    current = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["VisibilityTimeout"])
    total = int(current["Attributes"]["VisibilityTimeout"]) + seconds  # "seconds more" than it had
    sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=receipt_handle, VisibilityTimeout=total)
''', "test_extend_visibility_keeps_the_message_hidden_past_the_old_deadline", "the message should be back",
          "contract"),
    Wrong("release-with-one-second", "release", '''\
def release(sqs, queue_url, receipt_handle):
    # 0 looks like "no timeout at all"; one second is short enough
    sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=receipt_handle, VisibilityTimeout=1)
''', "test_release_makes_the_message_receivable_at_once", "with VisibilityTimeout=0", "edge"),
]

VALID = [
    Valid("release-with-a-one-entry-batch", "release", '''\
def release(sqs, queue_url, receipt_handle):
    response = sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=[
        {"Id": "release", "ReceiptHandle": receipt_handle, "VisibilityTimeout": 0}])
    if response.get("Failed"):
        failed = response["Failed"][0]
        raise RuntimeError(f"could not release the message: {failed['Code']}")
''', "ChangeMessageVisibilityBatch with one entry and VisibilityTimeout=0 has the same effect"),
    Valid("visibility-complement-of-successful", "change_visibility_batch", '''\
def change_visibility_batch(sqs, queue_url, receipt_handles, seconds):
    ids = {f"entry-{i}": handle for i, handle in enumerate(receipt_handles)}
    response = sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=[
        {"Id": entry_id, "ReceiptHandle": handle, "VisibilityTimeout": seconds} for entry_id, handle in ids.items()])
    changed = {entry["Id"] for entry in response.get("Successful", [])}
    return sorted(handle for entry_id, handle in ids.items() if entry_id not in changed)
''', "every entry is in Successful or Failed: the handles not in Successful failed (any order is allowed)"),
    Valid("all-system-attributes", "receive_for_work", '''\
def receive_for_work(sqs, queue_url, visibility_timeout, wait_seconds=1):
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds,
                                   VisibilityTimeout=visibility_timeout,
                                   MessageSystemAttributeNames=["All"]).get("Messages", [])
    work = []
    for message in messages:
        count = message.get("Attributes", {}).get("ApproximateReceiveCount", "1")
        work.append({"body": message["Body"], "receipt_handle": message["ReceiptHandle"], "receive_count": int(count)})
    return work
''', "asking for All system attributes includes ApproximateReceiveCount"),
]
