"""Exercise 19 (poison messages): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

_HEAD = '''\
def consume(sqs, queue_url, handler, stop, wait_seconds=1, retry_after=0):
    while not stop.is_set():
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
'''

WRONG = [
    Wrong("swallow-the-poison", "consume", _HEAD + '''\
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                pass  # a message that fails would only fail again: drop it
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_lets_the_poison_message_go_to_the_dlq", "never delete a message whose handler failed", "errors"),
    Wrong("re-send-to-the-back", "consume", _HEAD + '''\
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                # to the back of the queue, so the others go first
                sqs.send_message(QueueUrl=queue_url, MessageBody=message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_lets_the_poison_message_go_to_the_dlq", "never send it again", "errors"),
    Wrong("stop-on-the-first-failure", "consume", _HEAD + '''\
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                return  # something is wrong: stop and let an operator look
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_does_not_let_the_poison_message_block_the_rest", "one failure must not stop or block",
          "errors"),
    Wrong("retry-in-place", "consume", _HEAD + '''\
        for message in messages:
            while True:  # retry until it works
                try:
                    handler(message["Body"])
                    break
                except Exception:
                    continue
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_does_not_let_the_poison_message_block_the_rest", "got stuck on the poison message", "errors"),
    Wrong("retry-delay-hard-coded", "consume", _HEAD + '''\
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"],
                                              VisibilityTimeout=0)
                continue
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_does_not_let_the_poison_message_block_the_rest", "do not hard-code it", "contract"),
]

VALID = [
    Valid("redrive-policy-set-after-creation", "make_work_queues", '''\
def make_work_queues(sqs, name, max_receive_count, visibility_timeout):
    dlq_url = sqs.create_queue(QueueName=name + "-dlq")["QueueUrl"]
    url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": str(visibility_timeout)})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["All"])["Attributes"]["QueueArn"]
    policy = json.dumps({"maxReceiveCount": max_receive_count, "deadLetterTargetArn": arn})
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": policy})
    return url, dlq_url
''', "SQS also takes a RedrivePolicy from SetQueueAttributes, with maxReceiveCount as a JSON number"),
    Valid("hand-back-in-one-batch", "consume", _HEAD + '''\
        failed, handled = [], []
        for message in messages:
            try:
                handler(message["Body"])
                handled.append(message)
            except Exception:
                failed.append(message)
        if failed:
            sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=[
                {"Id": f"f{i}", "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": retry_after}
                for i, m in enumerate(failed)])
        for message in handled:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "the failed messages of a batch handed back with one ChangeMessageVisibilityBatch, deletes one by one"),
]
