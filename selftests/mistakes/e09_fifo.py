"""Exercise 09 (FIFO queues): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

WRONG = [
    Wrong("fifo-name-rstrip", "fifo_name", '''\
def fifo_name(name):
    return name.rstrip(".fifo") + ".fifo"  # strip the suffix if it is there, then add it once
''', "test_fifo_name_adds_the_suffix_exactly_when_it_is_missing", "rstrip strips letters", "edge"),
    Wrong("fifo-name-replace", "fifo_name", '''\
def fifo_name(name):
    return name.replace(".fifo", "") + ".fifo"
''', "test_fifo_name_adds_the_suffix_exactly_when_it_is_missing", "replace touches a .fifo in the middle", "edge"),
    Wrong("fifo-name-ends-in-fifo-letters", "fifo_name", '''\
def fifo_name(name):
    return name if name.lower().endswith("fifo") else name + ".fifo"
''', "test_fifo_name_adds_the_suffix_exactly_when_it_is_missing", ".FIFO and fifo are not the suffix", "edge"),
    Wrong("dedup-id-from-the-position", "send_in_group", '''\
def send_in_group(sqs, queue_url, group_id, bodies):
    ids = []
    for i, body in enumerate(bodies):
        response = sqs.send_message(QueueUrl=queue_url, MessageBody=body, MessageGroupId=group_id,
                                    MessageDeduplicationId=f"{group_id}-{i}")
        ids.append(response["MessageId"])
    return ids
''', "test_send_in_group_gives_new_deduplication_ids_on_every_call", "do not make it from the position", "contract"),
    Wrong("batch-ids-in-response-order", "send_in_group", '''\
import uuid


def send_in_group(sqs, queue_url, group_id, bodies):
    ids = []
    for start in range(0, len(bodies), 10):
        entries = [{"Id": str(i), "MessageBody": body, "MessageGroupId": group_id,
                    "MessageDeduplicationId": uuid.uuid4().hex} for i, body in enumerate(bodies[start:start + 10])]
        response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
        ids.extend(entry["MessageId"] for entry in response.get("Successful", []))
    return ids
''', "test_send_in_group_keeps_the_order_within_the_group", "in the order sent", "kinder"),
    Wrong("receive-one-ignores-the-wait", "receive_one", '''\
def receive_one(sqs, queue_url, wait_seconds=1):
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1,
                                   MessageSystemAttributeNames=["MessageGroupId"]).get("Messages", [])
    if not messages:
        return None
    return {"body": messages[0]["Body"], "group": messages[0]["Attributes"]["MessageGroupId"],
            "receipt_handle": messages[0]["ReceiptHandle"]}
''', "test_receive_one_takes_a_single_message_with_its_group", "WaitTimeSeconds=wait_seconds (2 here)", "contract"),
    Wrong("send-once-in-a-fixed-group", "send_once", '''\
def send_once(sqs, queue_url, group_id, body, dedup_id):
    response = sqs.send_message(QueueUrl=queue_url, MessageBody=body, MessageGroupId="default",
                                MessageDeduplicationId=dedup_id)
    return response["MessageId"]
''', "test_send_once_delivers_a_deduplication_id_only_once", "in the group_id you were given", "contract"),
]

VALID = [
    Valid("removesuffix-then-add", "fifo_name", '''\
def fifo_name(name):
    return name.removesuffix(".fifo") + ".fifo"
''', "str.removesuffix removes only an exact trailing '.fifo', so adding it back gives the same name"),
    Valid("batch-send-mapped-by-id", "send_in_group", '''\
import uuid


def send_in_group(sqs, queue_url, group_id, bodies):
    ids = []
    for start in range(0, len(bodies), 10):
        chunk = bodies[start:start + 10]
        entries = [{"Id": f"n{start + i}", "MessageBody": body, "MessageGroupId": group_id,
                    "MessageDeduplicationId": uuid.uuid4().hex} for i, body in enumerate(chunk)]
        response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
        if response.get("Failed"):
            raise RuntimeError(f"SQS refused {response['Failed']}")
        by_id = {entry["Id"]: entry["MessageId"] for entry in response["Successful"]}
        ids += [by_id[entry["Id"]] for entry in entries]
    return ids
''', "SendMessageBatch keeps a FIFO batch's order within the group; MessageIds are mapped back by entry Id"),
    Valid("dedup-attribute-only-when-asked", "create_fifo_queue", '''\
def create_fifo_queue(sqs, name, content_based_dedup=False):
    attributes = {"FifoQueue": "true"}
    if content_based_dedup:
        attributes["ContentBasedDeduplication"] = "true"
    return sqs.create_queue(QueueName=fifo_name(name), Attributes=attributes)["QueueUrl"]
''', "ContentBasedDeduplication defaults to false, so leaving it out when not asked for is the same queue"),
]
