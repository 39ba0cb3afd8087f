"""Exercise 08 (batches): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

WRONG = [
    Wrong("body-as-entry-id", "send_in_batches", '''\
def send_in_batches(sqs, queue_url, bodies):
    message_ids = []
    for chunk in chunks(bodies):
        entries = [{"Id": body, "MessageBody": body} for body in chunk]
        response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
        sent = {entry["Id"]: entry["MessageId"] for entry in response.get("Successful", [])}
        message_ids.extend(sent[body] for body in chunk)
    return message_ids
''', "test_send_in_batches_gives_every_entry_a_valid_unique_id", "a body is not an Id", "kinder"),
    Wrong("sanitized-body-as-entry-id", "send_in_batches", '''\
import re


def send_in_batches(sqs, queue_url, bodies):
    message_ids = []
    for chunk in chunks(bodies):
        ids = [re.sub(r"[^A-Za-z0-9_-]", "_", body)[:80] or "empty" for body in chunk]
        response = sqs.send_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": entry_id, "MessageBody": body} for entry_id, body in zip(ids, chunk)])
        sent = {entry["Id"]: entry["MessageId"] for entry in response.get("Successful", [])}
        message_ids.extend(sent[entry_id] for entry_id in ids)
    return message_ids
''', "test_send_in_batches_gives_every_entry_a_valid_unique_id", "unique within its batch", "edge"),
    Wrong("message-id-looked-up-by-body", "send_in_batches", '''\
def send_in_batches(sqs, queue_url, bodies):
    by_body = {}
    for chunk in chunks(bodies):
        entries = [{"Id": str(i), "MessageBody": body} for i, body in enumerate(chunk)]
        response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
        for success in response.get("Successful", []):
            by_body[chunk[int(success["Id"])]] = success["MessageId"]
    return [by_body[body] for body in bodies]
''', "test_send_in_batches_returns_message_ids_in_the_order_of_the_bodies", "equal bodies are still different",
          "edge"),
    Wrong("successful-taken-in-request-order", "send_in_batches", '''\
def send_in_batches(sqs, queue_url, bodies):
    message_ids = []
    for chunk in chunks(bodies):
        entries = [{"Id": str(i), "MessageBody": body} for i, body in enumerate(chunk)]
        response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
        message_ids.extend(entry["MessageId"] for entry in response.get("Successful", []))
    return message_ids
''', "test_send_in_batches_returns_message_ids_in_the_order_of_the_bodies", "map it back by Id", "kinder"),
    Wrong("only-sender-faults-reported", "send_batch", '''\
def send_batch(sqs, queue_url, entries):
    response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    # SenderFault=false means SQS's own hiccup, not a problem with my entry: nothing to report
    return {failed["Id"]: failed["Code"] for failed in response.get("Failed", []) if failed["SenderFault"]}
''', "test_send_batch_reports_entries_that_failed_on_sqs_side_too", "including those with SenderFault=false",
          "errors"),
    Wrong("failed-list-reset-per-chunk", "delete_in_batches", '''\
def delete_in_batches(sqs, queue_url, receipt_handles):
    failed = []
    for chunk in chunks(receipt_handles):
        entries = [{"Id": str(i), "ReceiptHandle": handle} for i, handle in enumerate(chunk)]
        response = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
        failed_ids = {entry["Id"] for entry in response.get("Failed", [])}
        failed = [handle for i, handle in enumerate(chunk) if str(i) in failed_ids]
    return failed
''', "test_delete_in_batches_reports_failures_from_every_chunk_in_the_order_given",
          "report the Failed entries of every DeleteMessageBatch call", "edge"),
    Wrong("failed-in-response-order", "delete_in_batches", '''\
def delete_in_batches(sqs, queue_url, receipt_handles):
    failed = []
    for chunk in chunks(receipt_handles):
        entries = [{"Id": str(i), "ReceiptHandle": handle} for i, handle in enumerate(chunk)]
        response = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
        failed.extend(chunk[int(entry["Id"])] for entry in response.get("Failed", []))
    return failed
''', "test_delete_in_batches_reports_failures_from_every_chunk_in_the_order_given",
          "in the order the handles were given", "kinder"),
    Wrong("delete-entry-id-is-the-handle", "delete_in_batches", '''\
def delete_in_batches(sqs, queue_url, receipt_handles):
    failed = []
    for chunk in chunks(receipt_handles):
        # a receipt handle is unique, so it makes a fine Id (it does not: + / = and hundreds of characters)
        entries = [{"Id": handle[-80:], "ReceiptHandle": handle} for handle in chunk]
        response = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
        failed_ids = {entry["Id"] for entry in response.get("Failed", [])}
        failed.extend(handle for handle in chunk if handle[-80:] in failed_ids)
    return failed
''', "test_delete_in_batches_deletes_every_message", "InvalidBatchEntryId", "kinder"),
    Wrong("only-modelled-batch-errors-caught", "batch_request_error", '''\
def batch_request_error(sqs, queue_url, entries):
    try:
        sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    except (sqs.exceptions.EmptyBatchRequest, sqs.exceptions.TooManyEntriesInBatchRequest,
            sqs.exceptions.BatchEntryIdsNotDistinct) as error:
        return error.response["Error"]["Code"]
    return None
''', "test_batch_request_error_reports_an_invalid_entry_id", "InvalidBatchEntryId", "errors"),
    Wrong("chunk-size-ignored", "chunks", '''\
def chunks(items, size=MAX_BATCH_ENTRIES):
    return [items[start:start + MAX_BATCH_ENTRIES] for start in range(0, len(items), MAX_BATCH_ENTRIES)]
''', "test_chunks_keeps_every_item_in_order_in_full_chunks", "use the size you are given", "contract"),
    Wrong("chunks-drops-the-remainder", "chunks", '''\
def chunks(items, size=MAX_BATCH_ENTRIES):
    return [items[i * size:(i + 1) * size] for i in range(len(items) // size)]
''', "test_chunks_keeps_every_item_in_order_in_full_chunks", "none lost, none added", "edge"),
    Wrong("chunks-pops-the-callers-list", "chunks", '''\
def chunks(items, size=MAX_BATCH_ENTRIES):
    result = []
    while items:
        result.append([items.pop(0) for _ in range(min(size, len(items)))])
    return result
''', "test_chunks_keeps_every_item_in_order_in_full_chunks", "should not change the list it is given", "contract"),
    # Caught by a hidden test (tests/hidden/test_08_batches_hidden.py): 21 bodies end in a batch of one.
    Wrong("send-in-batches-drops-the-short-last-batch", "send_in_batches", '''\
def send_in_batches(sqs, queue_url, bodies):
    message_ids = []
    whole = len(bodies) - len(bodies) % MAX_BATCH_ENTRIES
    for start in range(0, whole, MAX_BATCH_ENTRIES):
        chunk = bodies[start:start + MAX_BATCH_ENTRIES]
        entries = [{"Id": str(i), "MessageBody": body} for i, body in enumerate(chunk)]
        response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
        sent = {entry["Id"]: entry["MessageId"] for entry in response.get("Successful", [])}
        message_ids.extend(sent[str(i)] for i in range(len(chunk)))
    return message_ids
''', "test_send_in_batches_sends_twenty_one_bodies_in_three_calls", "send the last, short batch too", "edge"),
]

VALID = [
    Valid("uuid-ids-mapped-back", "send_in_batches", '''\
import uuid


def send_in_batches(sqs, queue_url, bodies):
    message_ids = []
    for start in range(0, len(bodies), MAX_BATCH_ENTRIES):
        ids = [uuid.uuid4().hex for _ in bodies[start:start + MAX_BATCH_ENTRIES]]
        response = sqs.send_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": entry_id, "MessageBody": body} for entry_id, body in zip(ids, bodies[start:start + MAX_BATCH_ENTRIES])])
        by_id = {}
        for success in response.get("Successful", []):
            by_id[success["Id"]] = success["MessageId"]
        message_ids += [by_id[entry_id] for entry_id in ids]
    return message_ids
''', "any unique valid Id scheme works (uuid4().hex: 32 hex digits), mapped back through a dict"),
    Valid("delete-complement-of-successful", "delete_in_batches", '''\
def delete_in_batches(sqs, queue_url, receipt_handles):
    failed = []
    for offset, chunk in enumerate(chunks(receipt_handles)):
        ids = [f"chunk{offset}_entry{i}" for i in range(len(chunk))]
        response = sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": entry_id, "ReceiptHandle": handle} for entry_id, handle in zip(ids, chunk)])
        deleted = {entry["Id"] for entry in response.get("Successful", [])}
        failed.extend(handle for entry_id, handle in zip(ids, chunk) if entry_id not in deleted)
    return failed
''', "every entry is in Successful or in Failed, so the handles not in Successful are the failed ones"),
    Valid("chunks-with-islice", "chunks", '''\
from itertools import islice


def chunks(items, size=MAX_BATCH_ENTRIES):
    source = iter(items)
    result = []
    while piece := list(islice(source, size)):
        result.append(piece)
    return result
''', "itertools.islice over one iterator: the same chunks, without indexes"),
]
