"""Exercise 07 (long and short polling): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

WRONG = [
    Wrong("drain-short-polls", "drain", '''\
def drain(sqs, queue_url, wait_seconds=1):
    drained = []
    while True:
        # the emulator answers at once with everything: no need to wait
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return drained
        for message in messages:
            drained.append(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_drain_receives_and_deletes_more_than_ten_messages", "a short poll asks only some of SQS's servers",
          "kinder"),
    Wrong("drain-wait-hard-coded", "drain", '''\
def drain(sqs, queue_url, wait_seconds=1):
    drained = []
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                       WaitTimeSeconds=1).get("Messages", [])
        if not messages:
            return drained
        for message in messages:
            drained.append(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_drain_keeps_going_when_sqs_hands_out_fewer_than_asked", "WaitTimeSeconds=wait_seconds (2 here)",
          "contract"),
    Wrong("drain-one-message-per-receive", "drain", '''\
def drain(sqs, queue_url, wait_seconds=1):
    drained = []
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            return drained
        drained.append(messages[0]["Body"])
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=messages[0]["ReceiptHandle"])
''', "test_drain_receives_and_deletes_more_than_ten_messages", "MaxNumberOfMessages=10", "contract"),
    Wrong("drain-deletes-at-the-end", "drain", '''\
def drain(sqs, queue_url, wait_seconds=1):
    drained, handles = [], []
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            break
        for message in messages:
            drained.append(message["Body"])
            handles.append(message["ReceiptHandle"])
    for handle in handles:  # clean up once everything is in
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=handle)
    return drained
''', "test_drain_receives_and_deletes_more_than_ten_messages", "delete what you received before you receive again",
          "crash"),
    Wrong("zero-means-leave-it", "set_default_wait", '''\
def set_default_wait(sqs, queue_url, seconds):
    if seconds:  # nothing to set for 0
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"ReceiveMessageWaitTimeSeconds": str(seconds)})
''', "test_set_default_wait_sets_receive_message_wait_time_seconds", "0 is a value", "edge"),
    Wrong("short-poll-trusts-the-queue-default", "short_poll", '''\
def short_poll(sqs, queue_url):
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)  # no WaitTimeSeconds: no wait
    return [m["Body"] for m in response.get("Messages", [])]
''', "test_short_poll_does_not_wait_even_when_the_queue_long_polls_by_default", "pass WaitTimeSeconds=0 explicitly",
          "contract"),
    Wrong("default-wait-capped", "default_wait", '''\
def default_wait(sqs, queue_url):
    name = "ReceiveMessageWaitTimeSeconds"
    value = int(sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=[name])["Attributes"][name])
    return min(value, 10)  # a receive takes at most 10 (messages, not seconds)
''', "test_default_wait_reads_the_queue_setting_as_an_int", "return the int 20", "edge"),
]

VALID = [
    Valid("drain-with-batch-delete", "drain", '''\
def drain(sqs, queue_url, wait_seconds=1):
    drained = []
    while messages := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_MESSAGES_PER_RECEIVE,
                                          WaitTimeSeconds=wait_seconds).get("Messages"):
        drained += [m["Body"] for m in messages]
        response = sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": f"m{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
        if response.get("Failed"):
            raise RuntimeError(f"could not delete {response['Failed']}")
    return drained
''', "one DeleteMessageBatch per received batch, before the next receive, deletes the same messages"),
    Valid("default-wait-from-all-attributes", "default_wait", '''\
def default_wait(sqs, queue_url):
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"]).get("Attributes", {})
    return int(attributes.get("ReceiveMessageWaitTimeSeconds", "0"))
''', "All includes ReceiveMessageWaitTimeSeconds; 0 is SQS's documented default"),
    Valid("long-poll-with-a-loop", "long_poll", '''\
def long_poll(sqs, queue_url, wait_seconds):
    response = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=wait_seconds, MaxNumberOfMessages=10)
    found = []
    for message in response.get("Messages") or []:
        found.append(message["Body"])
    return found
''', "a for loop over response.get('Messages') or [] returns the same bodies"),
]
