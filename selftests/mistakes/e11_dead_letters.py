"""Exercise 11 (dead-letter queues): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

WRONG = [
    Wrong("sources-paginator-without-max-results", "dead_letter_sources", '''\
def dead_letter_sources(sqs, dlq_url):
    urls = []
    for page in sqs.get_paginator("list_dead_letter_source_queues").paginate(QueueUrl=dlq_url):
        urls.extend(page.get("queueUrls", []))
    return sorted(urls)
''', "test_dead_letter_sources_reads_every_page", "should carry MaxResults", "kinder"),
    Wrong("sources-first-page-only", "dead_letter_sources", '''\
def dead_letter_sources(sqs, dlq_url):
    response = sqs.list_dead_letter_source_queues(QueueUrl=dlq_url, MaxResults=1000)
    return sorted(response.get("queueUrls", []))
''', "test_dead_letter_sources_reads_every_page", "follow NextToken through every page", "edge"),
    Wrong("statuses-newest-only", "redrive_statuses", '''\
def redrive_statuses(sqs, dlq_url):
    results = sqs.list_message_move_tasks(SourceArn=queue_arn(sqs, dlq_url)).get("Results", [])
    return [result["Status"] for result in results]
''', "test_redrive_statuses_lists_every_task_not_just_the_newest", "lists only the newest one", "kinder"),
    Wrong("redrive-deletes-before-sending", "redrive_by_hand", '''\
def redrive_by_hand(sqs, dlq_url, target_url, wait_seconds=1):
    moved = 0
    while True:
        messages = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=MAX_RECEIVE, WaitTimeSeconds=wait_seconds,
                                       MessageAttributeNames=["All"]).get("Messages", [])
        if not messages:
            return moved
        for message in messages:
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
            extra = {"MessageAttributes": message["MessageAttributes"]} if message.get("MessageAttributes") else {}
            sqs.send_message(QueueUrl=target_url, MessageBody=message["Body"], **extra)
            moved += 1
''', "test_redrive_by_hand_keeps_a_message_whose_send_failed", "must not be deleted from the DLQ", "crash"),
    Wrong("redrive-swallows-a-failed-send", "redrive_by_hand", '''\
def redrive_by_hand(sqs, dlq_url, target_url, wait_seconds=1):
    moved = 0
    while True:
        messages = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=MAX_RECEIVE, WaitTimeSeconds=wait_seconds,
                                       MessageAttributeNames=["All"]).get("Messages", [])
        if not messages:
            return moved
        for message in messages:
            extra = {"MessageAttributes": message["MessageAttributes"]} if message.get("MessageAttributes") else {}
            try:
                sqs.send_message(QueueUrl=target_url, MessageBody=message["Body"], **extra)
                moved += 1
            except ClientError:
                pass  # one bad message must not stop the redrive
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_redrive_by_hand_keeps_a_message_whose_send_failed", "otherwise it is lost for good", "errors"),
    Wrong("redrive-batch-ignores-failed-entries", "redrive_by_hand", '''\
def redrive_by_hand(sqs, dlq_url, target_url, wait_seconds=1):
    moved = 0
    while True:
        messages = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=MAX_RECEIVE, WaitTimeSeconds=wait_seconds,
                                       MessageAttributeNames=["All"]).get("Messages", [])
        if not messages:
            return moved
        entries = []
        for i, message in enumerate(messages):
            entry = {"Id": str(i), "MessageBody": message["Body"]}
            if message.get("MessageAttributes"):
                entry["MessageAttributes"] = message["MessageAttributes"]
            entries.append(entry)
        sqs.send_message_batch(QueueUrl=target_url, Entries=entries)
        sqs.delete_message_batch(QueueUrl=dlq_url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
        moved += len(messages)
''', "test_redrive_by_hand_keeps_a_message_whose_send_failed", "must not be deleted from the DLQ", "errors"),
    Wrong("redrive-asks-only-for-reason", "redrive_by_hand", '''\
def redrive_by_hand(sqs, dlq_url, target_url, wait_seconds=1):
    moved = 0
    while True:
        messages = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=MAX_RECEIVE, WaitTimeSeconds=wait_seconds,
                                       MessageAttributeNames=["Reason"]).get("Messages", [])
        if not messages:
            return moved
        for message in messages:
            extra = {"MessageAttributes": message["MessageAttributes"]} if message.get("MessageAttributes") else {}
            sqs.send_message(QueueUrl=target_url, MessageBody=message["Body"], **extra)
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
''', "test_redrive_by_hand_moves_every_message_back", "custom types", "edge"),
    Wrong("redrive-wait-hard-coded", "redrive_by_hand", '''\
def redrive_by_hand(sqs, dlq_url, target_url, wait_seconds=1):
    moved = 0
    while True:
        messages = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=MAX_RECEIVE, WaitTimeSeconds=1,
                                       MessageAttributeNames=["All"]).get("Messages", [])
        if not messages:
            return moved
        for message in messages:
            extra = {"MessageAttributes": message["MessageAttributes"]} if message.get("MessageAttributes") else {}
            sqs.send_message(QueueUrl=target_url, MessageBody=message["Body"], **extra)
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
''', "test_redrive_by_hand_keeps_a_message_whose_send_failed", "WaitTimeSeconds=2", "contract"),
    Wrong("cancel-catches-only-not-found", "cancel_redrive", '''\
def cancel_redrive(sqs, task_handle):
    try:
        sqs.cancel_message_move_task(TaskHandle=task_handle)
    except sqs.exceptions.ResourceNotFoundException:
        return False
    return True
''', "test_cancel_redrive_returns_false_when_sqs_refuses", "raised ClientError", "errors"),
]

VALID = [
    Valid("sources-next-token-loop", "dead_letter_sources", '''\
def dead_letter_sources(sqs, dlq_url):
    urls, token = [], None
    while True:
        params = {"QueueUrl": dlq_url, "MaxResults": 100}
        if token:
            params["NextToken"] = token
        response = sqs.list_dead_letter_source_queues(**params)
        urls += response.get("queueUrls", [])
        token = response.get("NextToken")
        if not token:
            return sorted(urls)
''', "an explicit NextToken loop with MaxResults on every request instead of the paginator"),
    Valid("redrive-in-batches", "redrive_by_hand", '''\
def redrive_by_hand(sqs, dlq_url, target_url, wait_seconds=1):
    moved = 0
    while True:
        response = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds,
                                       MessageAttributeNames=["All"])
        batch = response.get("Messages", [])
        if not batch:
            return moved
        entries = [{"Id": f"m{i}", "MessageBody": m["Body"], **({"MessageAttributes": m["MessageAttributes"]}
                                                              if m.get("MessageAttributes") else {})}
                   for i, m in enumerate(batch)]
        sent = sqs.send_message_batch(QueueUrl=target_url, Entries=entries)
        ok = {entry["Id"] for entry in sent.get("Successful", [])}
        done = [{"Id": f"m{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch) if f"m{i}" in ok]
        if done:
            sqs.delete_message_batch(QueueUrl=dlq_url, Entries=done)
        moved += len(done)
        if len(ok) < len(batch):
            return moved  # SQS refused some: they stay in the DLQ for the next redrive
''', "SendMessageBatch, then DeleteMessageBatch of only the entries SQS reported Successful; stops on a refusal"),
    Valid("attach-with-int-count", "attach_dead_letter_queue", '''\
def attach_dead_letter_queue(sqs, source_url, dlq_url, max_receive_count):
    arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["All"])["Attributes"]["QueueArn"]
    policy = json.dumps({"maxReceiveCount": max_receive_count, "deadLetterTargetArn": arn})
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={"RedrivePolicy": policy})
''', "maxReceiveCount as a JSON number (SQS accepts it as number or string), ARN read with AttributeNames=All"),
]
