"""Exercise 15 (cost): realistic wrong solutions and valid alternatives.

The cost mistakes all work -- every message is handled and deleted -- and are caught by what SQS would bill.
"""

from __future__ import annotations

from mistakes import Valid, Wrong

COST_TEST = "test_moving_a_thousand_messages_costs_at_most_035_requests_each"

WRONG = [
    Wrong("consume-one-by-one", "consume_all", '''\
def consume_all(sqs, queue_url, handle, wait_seconds=1):
    while True:
        # one message at a time keeps the loop simple
        messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            return
        handle(messages[0]["Body"])
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=messages[0]["ReceiptHandle"])
''', COST_TEST, "MaxNumberOfMessages is 1 unless you ask for 10", "cost"),
    Wrong("consume-short-poll-loop", "consume_all", '''\
def consume_all(sqs, queue_url, handle, wait_seconds=1):
    empty_in_a_row = 0
    while empty_in_a_row < 3:  # a short poll can miss messages: give up after three empty ones in a row
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH).get("Messages", [])
        if not messages:
            empty_in_a_row += 1
            continue
        empty_in_a_row = 0
        for message in messages:
            handle(message["Body"])
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
''', COST_TEST, "short polls:", "cost"),
    Wrong("consume-deletes-one-by-one", "consume_all", '''\
def consume_all(sqs, queue_url, handle, wait_seconds=1):
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            return
        for message in messages:
            handle(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', COST_TEST, "one-by-one deletes", "cost"),
    Wrong("produce-one-by-one", "produce", '''\
def produce(sqs, queue_url, bodies):
    for body in bodies:
        sqs.send_message(QueueUrl=queue_url, MessageBody=body)
''', COST_TEST, "one-by-one sends", "cost"),
    Wrong("produce-batches-of-five", "produce", '''\
def produce(sqs, queue_url, bodies):
    for start in range(0, len(bodies), 5):  # small batches, to be safe
        chunk = bodies[start:start + 5]
        sqs.send_message_batch(QueueUrl=queue_url,
                               Entries=[{"Id": str(i), "MessageBody": body} for i, body in enumerate(chunk)])
''', COST_TEST, "entries per batch on average", "cost"),
    Wrong("consume-polls-again-to-be-sure", "consume_all", '''\
def consume_all(sqs, queue_url, handle, wait_seconds=1):
    empty = 0
    while empty < 3:  # one empty receive might be a fluke
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            empty += 1
            continue
        for message in messages:
            handle(message["Body"])
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
''', "test_consume_all_on_an_empty_queue_costs_one_long_poll", "Every empty receive is billed", "cost"),
    Wrong("consume-deletes-before-handling", "consume_all", '''\
def consume_all(sqs, queue_url, handle, wait_seconds=1):
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            return
        # off the queue first, so that no other worker takes them too
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
        for message in messages:
            handle(message["Body"])
''', "test_consume_all_deletes_a_message_only_after_handling_it", "delete after handling, never before", "crash"),
    Wrong("produce-empty-batch", "produce", '''\
def produce(sqs, queue_url, bodies):
    for start in range(0, max(len(bodies), 1), MAX_BATCH):
        chunk = bodies[start:start + MAX_BATCH]
        try:
            sqs.send_message_batch(QueueUrl=queue_url,
                                   Entries=[{"Id": str(i), "MessageBody": b} for i, b in enumerate(chunk)])
        except sqs.exceptions.EmptyBatchRequest:
            pass
''', "test_produce_makes_no_request_for_no_bodies", "with no bodies make no request", "edge"),
]

VALID = [
    Valid("consume-from-a-generator", "consume_all", '''\
def _receives(sqs, queue_url, wait_seconds):
    """Every non-empty receive, until a long poll comes back empty."""
    while messages := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                          WaitTimeSeconds=wait_seconds).get("Messages"):
        yield messages


def consume_all(sqs, queue_url, handle, wait_seconds=1):
    for messages in _receives(sqs, queue_url, wait_seconds):
        for message in messages:
            handle(message["Body"])
        entries = [{"Id": f"m{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
''', "a different loop shape: a generator of receives, the same requests"),
    Valid("consume-handles-a-duplicate-once", "consume_all", '''\
def consume_all(sqs, queue_url, handle, wait_seconds=1):
    handled = set()
    while True:
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds)
        messages = response.get("Messages", [])
        if not messages:
            break
        for message in messages:
            if message["MessageId"] not in handled:  # at-least-once: a second copy is not work to do again
                handle(message["Body"])
                handled.add(message["MessageId"])
        # ...but every copy received is deleted, or it comes back after its visibility timeout
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(messages)])
''', "handles a message delivered twice once, and still deletes every copy"),
    Valid("produce-with-islice", "produce", '''\
from itertools import islice


def produce(sqs, queue_url, bodies):
    remaining = iter(bodies)
    number = 0
    while chunk := list(islice(remaining, 10)):
        entries = []
        for body in chunk:  # Ids unique across the whole call, not only within one batch
            entries.append({"Id": f"body-{number}", "MessageBody": body})
            number += 1
        sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
''', "chunks an iterator with islice, Ids numbered across the whole call"),
]
