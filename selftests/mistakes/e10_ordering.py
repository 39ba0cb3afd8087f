"""Exercise 10 (ordering, at-least-once): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

WRONG = [
    Wrong("consume-once-no-dedupe", "consume_once", '''\
def consume_once(sqs, queue_url, handle, done, wait_seconds=1):
    called = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            return called
        for message in messages:
            handle(message["Body"])
            called += 1
            done.add(message["MessageId"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_once_handles_each_message_once_though_sqs_delivers_it_again", "must not be handled again",
          "kinder"),
    Wrong("consume-once-dedupe-by-body", "consume_once", '''\
def consume_once(sqs, queue_url, handle, done, wait_seconds=1):
    called = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            return called
        for message in messages:
            if message["Body"] not in done:
                handle(message["Body"])
                called += 1
                done.add(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_once_handles_each_message_once_though_sqs_delivers_it_again", "tell them apart by MessageId",
          "edge"),
    Wrong("consume-once-repeats-not-deleted", "consume_once", '''\
def consume_once(sqs, queue_url, handle, done, wait_seconds=1):
    called = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            return called
        for message in messages:
            if message["MessageId"] in done:
                continue  # seen it: nothing to do
            handle(message["Body"])
            called += 1
            done.add(message["MessageId"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_once_handles_each_message_once_though_sqs_delivers_it_again", "repeats included", "kinder"),
    Wrong("consume-once-done-before-handle", "consume_once", '''\
def consume_once(sqs, queue_url, handle, done, wait_seconds=1):
    called = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            return called
        for message in messages:
            if message["MessageId"] not in done:
                done.add(message["MessageId"])  # claim it first, so nobody handles it twice
                handle(message["Body"])
                called += 1
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_once_marks_a_message_done_only_after_handling_it", "only after handle returns", "crash"),
    Wrong("consume-once-delete-before-handle", "consume_once", '''\
def consume_once(sqs, queue_url, handle, done, wait_seconds=1):
    called = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            return called
        for message in messages:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            if message["MessageId"] not in done:
                handle(message["Body"])
                called += 1
                done.add(message["MessageId"])
''', "test_consume_once_marks_a_message_done_only_after_handling_it", "delete a message only after handling it",
          "crash"),
    Wrong("consume-once-copies-done", "consume_once", '''\
def consume_once(sqs, queue_url, handle, done, wait_seconds=1):
    seen = set(done)  # work on a copy, do not touch the caller's set
    called = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            return called
        for message in messages:
            if message["MessageId"] not in seen:
                handle(message["Body"])
                called += 1
                seen.add(message["MessageId"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_once_handles_each_message_once_though_sqs_delivers_it_again", "remember MessageIds in done",
          "contract"),
    Wrong("consume-once-stops-on-a-short-batch", "consume_once", '''\
def consume_once(sqs, queue_url, handle, done, wait_seconds=1):
    called = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        for message in messages:
            if message["MessageId"] not in done:
                handle(message["Body"])
                called += 1
                done.add(message["MessageId"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        if len(messages) < MAX_RECEIVE:
            return called  # a partial batch: that was the last of them
''', "test_consume_once_handles_each_message_once_though_sqs_delivers_it_again", "keep receiving until a receive "
          "comes back empty", "kinder"),
    Wrong("consume-once-wait-hard-coded", "consume_once", '''\
def consume_once(sqs, queue_url, handle, done, wait_seconds=1):
    called = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=1).get("Messages", [])
        if not messages:
            return called
        for message in messages:
            if message["MessageId"] not in done:
                handle(message["Body"])
                called += 1
                done.add(message["MessageId"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_once_marks_a_message_done_only_after_handling_it", "WaitTimeSeconds=2", "contract"),
    Wrong("receive-in-order-stops-on-a-short-batch", "receive_in_order", '''\
def receive_in_order(sqs, queue_url, count, wait_seconds=1):
    received = []
    while len(received) < count:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds, MessageAttributeNames=[SEQ]).get("Messages", [])
        for message in messages:
            received.append((int(message["MessageAttributes"][SEQ]["StringValue"]), message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        if len(messages) < MAX_RECEIVE:
            break  # fewer than asked: the queue must be empty now
    return [body for _, body in sorted(received)]
''', "test_receive_in_order_restores_order_from_a_shuffled_arrival", "collect all 12 messages", "kinder"),
    Wrong("receive-in-order-wait-hard-coded", "receive_in_order", '''\
def receive_in_order(sqs, queue_url, count, wait_seconds=1):
    received = []
    while len(received) < count:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=20, MessageAttributeNames=[SEQ]).get("Messages", [])
        if not messages:
            break
        for message in messages:
            received.append((int(message["MessageAttributes"][SEQ]["StringValue"]), message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return [body for _, body in sorted(received)]
''', "test_receive_in_order_long_polls_with_the_wait_it_is_given", "WaitTimeSeconds=2", "contract"),
    Wrong("receive-fifo-short-poll", "receive_fifo", '''\
def receive_fifo(sqs, queue_url, count, wait_seconds=1):
    arrived = []
    while len(arrived) < count:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE).get("Messages", [])
        if not messages:
            break
        for message in messages:
            arrived.append(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return arrived
''', "test_receive_fifo_long_polls_with_the_wait_it_is_given", "WaitTimeSeconds=2", "kinder"),
    Wrong("send-numbered-module-counter", "send_numbered", '''\
import itertools

_next_seq = itertools.count(1)


def send_numbered(sqs, queue_url, bodies):
    ids = []
    for body in bodies:
        seq = next(_next_seq)
        response = sqs.send_message(QueueUrl=queue_url, MessageBody=body,
                                    MessageAttributes={SEQ: {"DataType": "Number", "StringValue": str(seq)}})
        ids.append(response["MessageId"])
    return ids
''', "test_send_numbered_starts_at_1_on_every_call", "no module-level counter", "contract"),
    Wrong("keeps-order-guesses-from-the-name", "keeps_order", '''\
def keeps_order(sqs, queue_url):
    return queue_url.lower().endswith("fifo")
''', "test_keeps_order_asks_the_queue_not_its_name", "a name containing fifo", "edge"),
]

VALID = [
    Valid("consume-once-batch-delete", "consume_once", '''\
def consume_once(sqs, queue_url, handle, done, wait_seconds=1):
    called = 0
    while True:
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds)
        batch = response.get("Messages", [])
        if not batch:
            return called
        for message in batch:
            if message["MessageId"] in done:
                continue
            handle(message["Body"])
            called += 1
            done.add(message["MessageId"])
        entries = [{"Id": f"m{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)]
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
''', "handles the whole batch, then deletes it in one DeleteMessageBatch: a crash mid-batch leaves the handled "
         "messages to come back, and done keeps them from being handled twice"),
    Valid("keeps-order-from-the-naming-rule", "keeps_order", '''\
def keeps_order(sqs, queue_url):
    # SQS naming rule: a FIFO queue's name must end in ".fifo"; a standard queue's name cannot contain a dot.
    return queue_url.rsplit("/", 1)[-1].endswith(".fifo")
''', "the .fifo suffix is mandatory for FIFO queues and impossible for standard ones, so the name answers too"),
    Valid("receive-in-order-dict-by-message-id", "receive_in_order", '''\
from decimal import Decimal


def receive_in_order(sqs, queue_url, count, wait_seconds=1):
    by_id = {}
    while len(by_id) < count:
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds,
                                       MessageAttributeNames=["All"])
        batch = response.get("Messages", [])
        if not batch:
            break
        for message in batch:
            by_id[message["MessageId"]] = (Decimal(message["MessageAttributes"]["Seq"]["StringValue"]),
                                           message["Body"])
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)])
    return [body for _, body in sorted(by_id.values())]
''', "keyed by MessageId (a repeat counts once), Decimal order, attributes asked with All, batch delete"),
    Valid("send-numbered-in-batches", "send_numbered", '''\
def send_numbered(sqs, queue_url, bodies):
    ids = []
    for start in range(0, len(bodies), 10):
        chunk = bodies[start:start + 10]
        entries = [{"Id": f"seq-{start + i + 1}", "MessageBody": body,
                    "MessageAttributes": {"Seq": {"DataType": "Number", "StringValue": str(start + i + 1)}}}
                   for i, body in enumerate(chunk)]
        response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
        by_id = {entry["Id"]: entry["MessageId"] for entry in response.get("Successful", [])}
        ids.extend(by_id[entry["Id"]] for entry in entries)
    return ids
''', "SendMessageBatch in chunks of 10, MessageIds put back in list order by entry Id"),
]
