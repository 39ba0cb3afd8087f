"""Exercise 19 (poison messages): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

_HEAD = '''\
def consume(sqs, queue_url, handler, stop, wait_seconds=1, retry_after=0):
    while not stop.is_set():
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
'''

MAKE = "test_make_work_queues_moves_a_message_to_the_dlq_after_max_receives"
DLQ = "test_consume_lets_the_poison_message_go_to_the_dlq"
BLOCK = "test_consume_does_not_let_the_poison_message_block_the_rest"

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
    Wrong("max-receive-count-plus-one", "make_work_queues", '''\
def make_work_queues(sqs, name, max_receive_count, visibility_timeout):
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    # "more than max_receive_count times": the limit is one higher
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receive_count + 1)})
    url = sqs.create_queue(QueueName=name, Attributes={"RedrivePolicy": policy,
                                                       "VisibilityTimeout": str(visibility_timeout)})["QueueUrl"]
    return url, dlq_url
''', MAKE, "maxReceiveCount=max_receive_count", "edge"),
    Wrong("dlq-url-as-target", "make_work_queues", '''\
def make_work_queues(sqs, name, max_receive_count, visibility_timeout):
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    policy = json.dumps({"deadLetterTargetArn": dlq_url, "maxReceiveCount": str(max_receive_count)})
    url = sqs.create_queue(QueueName=name, Attributes={"RedrivePolicy": policy,
                                                       "VisibilityTimeout": str(visibility_timeout)})["QueueUrl"]
    return url, dlq_url
''', MAKE, "raised", "kinder"),
    Wrong("gives-up-after-three-tries", "consume", '''\
_tries = {}


''' + _HEAD + '''\
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                _tries[message["MessageId"]] = _tries.get(message["MessageId"], 0) + 1
                if _tries[message["MessageId"]] >= 3:  # poison: stop retrying it
                    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
                else:
                    sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"],
                                                  VisibilityTimeout=retry_after)
                continue
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', DLQ, "should end in the DLQ", "errors"),
    Wrong("deletes-only-when-the-whole-batch-succeeded", "consume", _HEAD + '''\
        failed = []
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                failed.append(message)
                sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"],
                                              VisibilityTimeout=retry_after)
        if messages and not failed:  # all or nothing
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
''', DLQ, "every message handled should be deleted", "errors"),
    Wrong("hands-back-with-the-message-id", "consume", _HEAD + '''\
        handled = []
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=message["MessageId"],
                                              VisibilityTimeout=retry_after)
                continue
            handled.append(message)
        if handled:
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(handled)])
''', BLOCK, "ReceiptHandleIsInvalid", "edge"),
    # Caught by a hidden test (tests/hidden/test_19_poison_messages_hidden.py): the visible test uses 3.
    Wrong("hard-coded-max-receive-count", "make_work_queues", '''\
def make_work_queues(sqs, name, max_receive_count, visibility_timeout):
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"})
    url = sqs.create_queue(QueueName=name, Attributes={"RedrivePolicy": policy,
                                                       "VisibilityTimeout": str(visibility_timeout)})["QueueUrl"]
    return url, dlq_url
''', "test_make_work_queues_uses_the_counts_it_is_given", "do not hard-code it", "contract"),
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
    Valid("dlq-with-long-retention", "make_work_queues", '''\
def make_work_queues(sqs, name, max_receive_count, visibility_timeout):
    # a DLQ keeps its messages as long as SQS allows (14 days), for someone to look at them
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq", Attributes={"MessageRetentionPeriod": "1209600"})["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]
    redrive = {"deadLetterTargetArn": attributes["QueueArn"], "maxReceiveCount": max_receive_count}
    work_url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": f"{visibility_timeout}",
                                                            "RedrivePolicy": json.dumps(redrive)})["QueueUrl"]
    return work_url, dlq_url
''', "a DLQ with the longest retention, maxReceiveCount as a JSON number: SQS takes both"),
    Valid("batch-hand-back-and-batch-delete-with-retry", "consume", _HEAD + '''\
        ok, failed = [], []
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                failed.append(message)
            else:
                ok.append(message)
        if failed:
            entries = [{"Id": f"f{i}", "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": retry_after}
                       for i, m in enumerate(failed)]
            sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=entries)
        if ok:
            entries = [{"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(ok)]
            again = {f["Id"] for f in sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])}
            if again:
                sqs.delete_message_batch(QueueUrl=queue_url, Entries=[e for e in entries if e["Id"] in again])
''', "failures handed back in one ChangeMessageVisibilityBatch, deletes in one batch with a retry of Failed"),
    Valid("hand-back-after-the-deletes", "consume", '''\
def consume(sqs, queue_url, handler, stop, wait_seconds=1, retry_after=0):
    while True:
        if stop.is_set():
            break
        response = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=wait_seconds, MaxNumberOfMessages=10)
        handled, failed = [], []
        for message in response.get("Messages") or []:
            try:
                handler(message["Body"])
                handled.append(message)
            except Exception:
                failed.append(message["ReceiptHandle"])
        if handled:
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": f"ok-{n}", "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(handled)])
        for receipt in failed:
            sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=receipt, VisibilityTimeout=retry_after)
''', "handing the failures back after the batch's delete, still within their visibility timeout, is the same"),
    Valid("arn-from-attributes-all", "make_work_queues", '''\
def make_work_queues(sqs, name, max_receive_count, visibility_timeout):
    dlq = sqs.create_queue(QueueName=name + "-dlq")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"]["QueueArn"]
    work = sqs.create_queue(QueueName=name, Attributes={
        "RedrivePolicy": '{"deadLetterTargetArn":"%s","maxReceiveCount":"%d"}' % (arn, max_receive_count),
        "VisibilityTimeout": str(visibility_timeout),
    })["QueueUrl"]
    return (work, dlq)
''', "the policy written as a JSON string by hand is the same policy"),
]
