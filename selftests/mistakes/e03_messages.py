"""Exercise 03 (messages): realistic wrong solutions and valid alternatives."""

from __future__ import annotations

from mistakes import Valid, Wrong

WRONG = [
    Wrong("delete-before-handling", "consume_all", '''\
def consume_all(sqs, queue_url, handle, wait_seconds=1):
    handled = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            return handled
        for message in messages:
            # take it off the queue first so no other worker gets it
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            handle(message["Body"])
            handled += 1
''', "test_consume_all_deletes_what_it_handled_before_it_died_and_keeps_the_rest", "never before", "crash"),
    Wrong("delete-everything-at-the-end", "consume_all", '''\
def consume_all(sqs, queue_url, handle, wait_seconds=1):
    done = []
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            break
        for message in messages:
            handle(message["Body"])
            done.append(message["ReceiptHandle"])
    for receipt_handle in done:
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=receipt_handle)
    return len(done)
''', "test_consume_all_deletes_what_it_handled_before_it_died_and_keeps_the_rest", "very end", "crash"),
    Wrong("consume-hard-coded-wait", "consume_all", '''\
def consume_all(sqs, queue_url, handle, wait_seconds=1):
    handled = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                       WaitTimeSeconds=1).get("Messages", [])
        if not messages:
            return handled
        for message in messages:
            handle(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            handled += 1
''', "test_consume_all_long_polls_wait_seconds_for_ten_at_a_time", "not hard-coded", "contract"),
    Wrong("consume-module-level-counter", "consume_all", '''\
handled_so_far = 0


def consume_all(sqs, queue_url, handle, wait_seconds=1):
    global handled_so_far
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            return handled_so_far
        for message in messages:
            handle(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            handled_so_far += 1
''', "test_consume_all_counts_only_what_each_call_handled", "no module-level counter", "contract"),
    Wrong("consume-short-polls", "consume_all", '''\
def consume_all(sqs, queue_url, handle, wait_seconds=1):
    handled = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE).get("Messages", [])
        if not messages:
            return handled
        for message in messages:
            handle(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            handled += 1
''', "test_consume_all_handles_then_deletes_every_message", "every message should be passed to handle once",
        "kinder"),
    Wrong("send-skips-zero", "send_with_attributes", '''\
def send_with_attributes(sqs, queue_url, body, attributes):
    message_attributes = {}
    for name, value in attributes.items():
        if not value:
            continue  # SQS refuses empty attribute values
        if isinstance(value, bytes):
            message_attributes[name] = {"DataType": "Binary", "BinaryValue": value}
        elif isinstance(value, (int, float)):
            message_attributes[name] = {"DataType": "Number", "StringValue": str(value)}
        else:
            message_attributes[name] = {"DataType": "String", "StringValue": value}
    return sqs.send_message(QueueUrl=queue_url, MessageBody=body,
                            MessageAttributes=message_attributes)["MessageId"]
''', "test_send_with_attributes_sends_zero_negatives_and_any_text", "send 0 too", "edge"),
    Wrong("send-numbers-as-whole-numbers", "send_with_attributes", '''\
def send_with_attributes(sqs, queue_url, body, attributes):
    message_attributes = {}
    for name, value in attributes.items():
        if isinstance(value, bytes):
            message_attributes[name] = {"DataType": "Binary", "BinaryValue": value}
        elif isinstance(value, (int, float)):
            message_attributes[name] = {"DataType": "Number", "StringValue": str(int(value))}
        else:
            message_attributes[name] = {"DataType": "String", "StringValue": value}
    return sqs.send_message(QueueUrl=queue_url, MessageBody=body,
                            MessageAttributes=message_attributes)["MessageId"]
''', "test_send_with_attributes_sends_zero_negatives_and_any_text", "negatives, fractions", "edge"),
    Wrong("receive-exact-data-types", "receive_with_attributes", '''\
def receive_with_attributes(sqs, queue_url, wait_seconds=1):
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                   WaitTimeSeconds=wait_seconds, MessageAttributeNames=["All"])
    received = []
    for message in response.get("Messages", []):
        values = {}
        for name, attr in message.get("MessageAttributes", {}).items():
            if attr["DataType"] == "Binary":
                values[name] = attr["BinaryValue"]
            elif attr["DataType"] == "Number":
                text = attr["StringValue"]
                values[name] = float(text) if "." in text else int(text)
            else:
                values[name] = attr.get("StringValue")
        received.append({"body": message["Body"], "attributes": values})
    return received
''', "test_receive_with_attributes_reads_custom_types_and_signed_numbers", "text before its first dot", "edge"),
    Wrong("receive-isdigit-for-whole-numbers", "receive_with_attributes", '''\
def receive_with_attributes(sqs, queue_url, wait_seconds=1):
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                   WaitTimeSeconds=wait_seconds, MessageAttributeNames=["All"])
    received = []
    for message in response.get("Messages", []):
        values = {}
        for name, attr in message.get("MessageAttributes", {}).items():
            kind = attr["DataType"].split(".")[0]
            if kind == "Binary":
                values[name] = attr["BinaryValue"]
            elif kind == "Number":
                text = attr["StringValue"]
                values[name] = int(text) if text.isdigit() else float(text)
            else:
                values[name] = attr["StringValue"]
        received.append({"body": message["Body"], "attributes": values})
    return received
''', "test_receive_with_attributes_reads_custom_types_and_signed_numbers", "0 and -7 included", "edge"),
    Wrong("receive-numbers-through-float", "receive_with_attributes", '''\
def receive_with_attributes(sqs, queue_url, wait_seconds=1):
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                   WaitTimeSeconds=wait_seconds, MessageAttributeNames=["All"])
    received = []
    for message in response.get("Messages", []):
        values = {}
        for name, attr in message.get("MessageAttributes", {}).items():
            kind = attr["DataType"].split(".")[0]
            if kind == "Binary":
                values[name] = attr["BinaryValue"]
            elif kind == "Number":
                number = float(attr["StringValue"])
                values[name] = int(number) if number.is_integer() else number
            else:
                values[name] = attr["StringValue"]
        received.append({"body": message["Body"], "attributes": values})
    return received
''', "test_receive_with_attributes_reads_custom_types_and_signed_numbers", "stays exact", "edge"),
    Wrong("receive-attributes-hard-coded-wait", "receive_with_attributes", '''\
def receive_with_attributes(sqs, queue_url, wait_seconds=1):
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE, WaitTimeSeconds=1,
                                   MessageAttributeNames=["All"])
    received = []
    for message in response.get("Messages", []):
        values = {}
        for name, attr in message.get("MessageAttributes", {}).items():
            kind = attr["DataType"].split(".", 1)[0]
            if kind == "Binary":
                values[name] = attr["BinaryValue"]
            elif kind == "Number":
                try:
                    values[name] = int(attr["StringValue"])
                except ValueError:
                    values[name] = float(attr["StringValue"])
            else:
                values[name] = attr["StringValue"]
        received.append({"body": message["Body"], "attributes": values})
    return received
''', "test_receives_long_poll_wait_seconds_for_ten_messages", "not hard-coded", "contract"),
    Wrong("size-in-memory", "fits_in_one_message", '''\
import sys


def fits_in_one_message(body):
    return sys.getsizeof(body) <= MAX_MESSAGE_BYTES
''', "test_fits_in_one_message_near_the_limit_for_any_character_width", "bytes in UTF-8", "edge"),
    # Caught by a hidden test (tests/hidden/test_03_messages_hidden.py): one receive holds at most 10 messages.
    Wrong("consume-one-receive-only", "consume_all", '''\
def consume_all(sqs, queue_url, handle, wait_seconds=1):
    handled = 0
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                   WaitTimeSeconds=wait_seconds).get("Messages", [])
    for message in messages:
        handle(message["Body"])
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        handled += 1
    return handled
''', "test_consume_all_empties_a_queue_of_more_than_two_receives", "more than two receives hold", "edge"),
]

VALID = [
    Valid("delete-each-receive-in-one-batch", "consume_all", '''\
def consume_all(sqs, queue_url, handle, wait_seconds=1):
    count = 0
    while True:
        response = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=wait_seconds,
                                       MaxNumberOfMessages=MAX_RECEIVE)
        messages = response.get("Messages") or []
        if len(messages) == 0:
            break
        for message in messages:
            handle(message["Body"])
            count += 1
        # everything from this receive is handled: delete it in one call before asking for more
        entries = [{"Id": f"done-{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
    return count
''', "a whole receive deleted in one DeleteMessageBatch after handling it: nothing from an earlier receive is "
         "left, and the message being handled is never deleted first"),
    Valid("decimal-numbers-and-dot-star", "receive_with_attributes", '''\
from decimal import Decimal


def _python_value(attribute):
    data_type = attribute["DataType"].partition(".")[0]
    if data_type == "Binary":
        return bytes(attribute["BinaryValue"])
    if data_type == "Number":
        number = Decimal(attribute["StringValue"])
        return int(number) if number == number.to_integral_value() and "." not in attribute["StringValue"] \\
            else float(number)
    return attribute["StringValue"]


def receive_with_attributes(sqs, queue_url, wait_seconds=1):
    messages = sqs.receive_message(QueueUrl=queue_url, MessageAttributeNames=[".*"], MaxNumberOfMessages=10,
                                   WaitTimeSeconds=wait_seconds).get("Messages", [])
    return [{"body": m["Body"],
             "attributes": {name: _python_value(a) for name, a in m.get("MessageAttributes", {}).items()}}
            for m in messages]
''', "'.*' asks for every attribute as 'All' does; Decimal keeps big whole numbers exact"),
    Valid("send-with-a-type-table", "send_with_attributes", '''\
def send_with_attributes(sqs, queue_url, body, attributes):
    def typed(value):
        if type(value) is bytes:
            return {"DataType": "Binary", "BinaryValue": value}
        if type(value) in (int, float):
            return {"DataType": "Number", "StringValue": repr(value)}
        return {"DataType": "String", "StringValue": value}

    return sqs.send_message(QueueUrl=queue_url, MessageBody=body,
                            MessageAttributes={k: typed(v) for k, v in attributes.items()})["MessageId"]
''', "repr() of an int or float is the same text as str() here"),
    Valid("size-with-bytes", "fits_in_one_message", '''\
def fits_in_one_message(body):
    return len(bytes(body, encoding="utf-8")) < MAX_MESSAGE_BYTES + 1
''', "the same byte count, written another way"),
    Valid("size-counted-per-character", "fits_in_one_message", '''\
def fits_in_one_message(body):
    return sum(len(character.encode("utf-8")) for character in body) <= MAX_MESSAGE_BYTES
''', "the same byte count, one character at a time: slow on 1 MiB, but correct"),
]
