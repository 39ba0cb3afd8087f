"""Exercise 20 (crash recovery): realistic wrong workers and valid alternatives.

Every wrong worker here survives a run where nothing dies; the grader's SIGKILL in the middle of a batch, the
restart, the producer's retries and the poison message catch them.
"""

from __future__ import annotations

from mistakes import Valid, Wrong

TEST = "test_a_killed_worker_loses_no_message_and_repeats_no_effect"

_HEAD = '''\
def run_worker(sqs, queue_url, dynamodb, table, handle, wait_seconds=1):
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds,
                                       MessageAttributeNames=[KEY]).get("Messages", [])
'''

WRONG = [
    Wrong("no-idempotency", "run_worker", _HEAD + '''\
        for message in messages:
            try:
                handle(message["Body"])
            except Exception:
                continue
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', TEST, "had their effect twice or more", "crash"),
    Wrong("in-memory-set", "run_worker", '''\
_done = set()


''' + _HEAD + '''\
        for message in messages:
            key = message["MessageAttributes"][KEY]["StringValue"]
            if key not in _done:
                try:
                    handle(message["Body"])
                except Exception:
                    continue
                _done.add(key)
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', TEST, "had their effect twice or more", "contract"),
    Wrong("batch-deleted-before-handling", "run_worker", _HEAD + '''\
        if messages:  # take the batch off the queue first, so no other worker gets it
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
        for message in messages:
            key = {"pk": {"S": message["MessageAttributes"][KEY]["StringValue"]}}
            try:
                dynamodb.put_item(TableName=table, Item=key, ConditionExpression="attribute_not_exists(pk)")
                handle(message["Body"])
            except Exception:
                pass
''', TEST, "never had their effect (lost messages)", "crash"),
    Wrong("swallows-the-poison", "run_worker", _HEAD + '''\
        for message in messages:
            key = {"pk": {"S": message["MessageAttributes"][KEY]["StringValue"]}}
            try:
                dynamodb.put_item(TableName=table, Item=key, ConditionExpression="attribute_not_exists(pk)")
                handle(message["Body"])
            except Exception:
                pass  # a duplicate, or a message that cannot be handled: done with it either way
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', TEST, "should end in the DLQ", "crash"),
    Wrong("claims-after-the-effect", "run_worker", _HEAD + '''\
        for message in messages:
            key = {"pk": {"S": message["MessageAttributes"][KEY]["StringValue"]}}
            if "Item" in dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True):
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
                continue
            try:
                handle(message["Body"])
            except Exception:
                continue
            dynamodb.put_item(TableName=table, Item=key)  # record it once it really happened
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', TEST, "before the effect", "crash"),
    Wrong("no-message-attribute-names", "run_worker", '''\
def run_worker(sqs, queue_url, dynamodb, table, handle, wait_seconds=1):
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        for message in messages:
            key = {"pk": {"S": message["MessageAttributes"][KEY]["StringValue"]}}
            dynamodb.put_item(TableName=table, Item=key, ConditionExpression="attribute_not_exists(pk)")
            handle(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', TEST, "raised KeyError", "contract"),
    Wrong("claim-released-after-the-effect", "run_worker", _HEAD + '''\
        for message in messages:
            key = {"pk": {"S": message["MessageAttributes"][KEY]["StringValue"]}}
            try:
                dynamodb.put_item(TableName=table, Item=key, ConditionExpression="attribute_not_exists(pk)")
            except dynamodb.exceptions.ConditionalCheckFailedException:
                continue  # another worker holds the lock
            try:
                handle(message["Body"])
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            except Exception:
                pass
            finally:
                dynamodb.delete_item(TableName=table, Key=key)  # unlock
''', TEST, "had their effect twice or more", "crash"),
    Wrong("batch-deletes-the-failures-too", "run_worker", _HEAD + '''\
        for message in messages:
            key = {"pk": {"S": message["MessageAttributes"][KEY]["StringValue"]}}
            try:
                dynamodb.put_item(TableName=table, Item=key, ConditionExpression="attribute_not_exists(pk)")
            except dynamodb.exceptions.ConditionalCheckFailedException:
                continue
            try:
                handle(message["Body"])
            except Exception:
                dynamodb.delete_item(TableName=table, Key=key)
        if messages:  # the whole receive is done: one batch delete
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
''', TEST, "should end in the DLQ", "crash"),
    Wrong("effect-then-conditional-claim", "run_worker", _HEAD + '''\
        for message in messages:
            key = {"pk": {"S": message["MessageAttributes"][KEY]["StringValue"]}}
            try:
                handle(message["Body"])
            except Exception:
                continue
            try:  # record it, unless another worker did
                dynamodb.put_item(TableName=table, Item=key, ConditionExpression="attribute_not_exists(pk)")
            except dynamodb.exceptions.ConditionalCheckFailedException:
                pass
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', TEST, "had their effect twice or more", "crash"),
]

VALID = [
    Valid("one-by-one-deletes", "run_worker", _HEAD + '''\
        for message in messages:
            key = {"pk": {"S": message["MessageAttributes"][KEY]["StringValue"]}}
            try:
                dynamodb.put_item(TableName=table, Item=key, ConditionExpression="attribute_not_exists(pk)")
            except dynamodb.exceptions.ConditionalCheckFailedException:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
                continue
            try:
                handle(message["Body"])
            except Exception:
                dynamodb.delete_item(TableName=table, Key=key)
                continue
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "deleting each message right after its effect is as safe as one batch per receive (only dearer)"),
    Valid("update-item-claim-all-attributes", "run_worker", '''\
def run_worker(sqs, queue_url, dynamodb, table, handle, wait_seconds=1):
    while True:
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds,
                                       MessageAttributeNames=["All"])
        finished = []
        for message in response.get("Messages", []):
            key = message["MessageAttributes"]["IdempotencyKey"]["StringValue"]
            try:
                dynamodb.update_item(TableName=table, Key={"pk": {"S": key}}, UpdateExpression="SET body = :b",
                                     ConditionExpression="attribute_not_exists(pk)",
                                     ExpressionAttributeValues={":b": {"S": message["Body"]}})
            except ClientError as error:
                if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
            else:
                try:
                    handle(message["Body"])
                except Exception:
                    dynamodb.delete_item(TableName=table, Key={"pk": {"S": key}})
                    continue
            finished.append({"Id": message["MessageId"].replace("-", "")[:80], "ReceiptHandle": message["ReceiptHandle"]})
        for start in range(0, len(finished), 10):
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=finished[start:start + 10])
''', "update_item with attribute_not_exists is the same atomic claim; MessageAttributeNames=['All'] brings the key too"),
    Valid("expected-claim-and-batch-retry", "run_worker", '''\
def _claim(dynamodb, table, key):
    try:
        dynamodb.put_item(TableName=table, Item={"pk": {"S": key}}, Expected={"pk": {"Exists": False}})
        return True
    except dynamodb.exceptions.ConditionalCheckFailedException:
        return False


def run_worker(sqs, queue_url, dynamodb, table, handle, wait_seconds=1):
    while True:
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds,
                                       MessageAttributeNames=["IdempotencyKey"])
        entries = []
        for n, message in enumerate(response.get("Messages") or []):
            key = message["MessageAttributes"]["IdempotencyKey"]["StringValue"]
            if _claim(dynamodb, table, key):
                try:
                    handle(message["Body"])
                except Exception:
                    dynamodb.delete_item(TableName=table, Key={"pk": {"S": key}})
                    continue
            entries.append({"Id": f"m{n}", "ReceiptHandle": message["ReceiptHandle"]})
        while entries:
            failed = {f["Id"] for f in sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
                      .get("Failed", [])}
            entries = [e for e in entries if e["Id"] in failed]
''', "the legacy Expected condition is the same claim; Failed entries of the batch delete retried until none"),
    Valid("transaction-claim-one-by-one", "run_worker", _HEAD + '''\
        for message in messages:
            key = message["MessageAttributes"][KEY]["StringValue"]
            try:
                dynamodb.transact_write_items(TransactItems=[{"Put": {
                    "TableName": table, "Item": {"pk": {"S": key}},
                    "ConditionExpression": "attribute_not_exists(pk)"}}])
            except dynamodb.exceptions.TransactionCanceledException:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
                continue
            try:
                handle(message["Body"])
            except Exception:
                dynamodb.delete_item(TableName=table, Key={"pk": {"S": key}})
                continue
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "a one-item transaction with the condition is the same atomic claim; deletes one by one after each effect"),
    Valid("duplicates-deleted-at-once-effects-in-a-batch", "run_worker", '''\
def run_worker(sqs, queue_url, dynamodb, table, handle, wait_seconds=1):
    while True:
        response = sqs.receive_message(QueueUrl=queue_url, MessageAttributeNames=["All"], WaitTimeSeconds=wait_seconds,
                                       MaxNumberOfMessages=MAX_RECEIVE)
        had_effect = []
        for message in response.get("Messages", []):
            key = message.get("MessageAttributes", {})[KEY]["StringValue"]
            try:
                dynamodb.put_item(TableName=table, Item={"pk": {"S": key}, "body": {"S": message["Body"]}},
                                  ConditionExpression="attribute_not_exists(#k)", ExpressionAttributeNames={"#k": "pk"})
            except ClientError as error:
                if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])  # a duplicate
                continue
            try:
                handle(message["Body"])
            except Exception:
                dynamodb.delete_item(TableName=table, Key={"pk": {"S": key}})
            else:
                had_effect.append(message["ReceiptHandle"])
        if had_effect:
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": f"h{n}", "ReceiptHandle": receipt} for n, receipt in enumerate(had_effect)])
''', "duplicates deleted as soon as they are found, effects in one batch per receive; a #k placeholder in the "
        "condition is the same condition"),
]
