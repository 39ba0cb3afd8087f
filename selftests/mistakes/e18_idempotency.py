"""Exercise 18 (idempotency): realistic wrong solutions and valid alternatives.

The wrong ones all work on an emulator that delivers each message once to one worker: they are caught by the
duplicates the grader injects (redeliveries, a producer's retries with new MessageIds), by a claim another worker
made, by two workers racing, and by a worker that dies right after an effect.
"""

from __future__ import annotations

from mistakes import Valid, Wrong

_CONSUME_HEAD = '''\
def consume_idempotently(sqs, queue_url, dynamodb, table, handle, wait_seconds=1):
    effects = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds,
                                       MessageAttributeNames=[KEY]).get("Messages", [])
        if not messages:
            return effects
        for message in messages:
'''

WRONG = [
    Wrong("no-idempotency", "consume_idempotently", _CONSUME_HEAD + '''\
            handle(message["Body"])  # SQS deletes a message once it is handled: no need to remember anything
            effects += 1
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_idempotently_has_each_effect_once_when_sqs_delivers_twice", "delivered every message a second time",
          "kinder"),
    Wrong("keyed-by-message-id", "consume_idempotently", _CONSUME_HEAD + '''\
            if claim(dynamodb, table, message["MessageId"]):  # the MessageId is unique per message
                handle(message["Body"])
                effects += 1
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_idempotently_keys_by_the_business_key_not_the_message_id", "not the MessageId", "kinder"),
    Wrong("keyed-by-receipt-handle", "consume_idempotently", _CONSUME_HEAD + '''\
            if claim(dynamodb, table, message["ReceiptHandle"][:1000]):
                handle(message["Body"])
                effects += 1
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_idempotently_has_each_effect_once_when_sqs_delivers_twice", "it is no key", "kinder"),
    Wrong("keyed-by-body", "consume_idempotently", _CONSUME_HEAD + '''\
            if claim(dynamodb, table, message["Body"]):  # a duplicate has the same body
                handle(message["Body"])
                effects += 1
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_idempotently_gives_equal_bodies_with_different_keys_each_their_effect", "not the body", "edge"),
    Wrong("in-memory-set", "claim", '''\
_seen = set()


def claim(dynamodb, table, key):
    if key in _seen:  # fast, and no DynamoDB bill
        return False
    _seen.add(key)
    return True
''', "test_claim_sees_a_key_another_worker_claimed", "an in-memory set is not seen", "contract"),
    Wrong("get-then-put", "claim", '''\
def claim(dynamodb, table, key):
    found = dynamodb.get_item(TableName=table, Key={"pk": {"S": key}}, ConsistentRead=True)
    if "Item" in found:
        return False
    dynamodb.put_item(TableName=table, Item={"pk": {"S": key}})
    return True
''', "test_two_workers_claiming_one_key_at_once_only_one_wins", "get_item then put_item", "kinder"),
    Wrong("claim-swallows-every-error", "claim", '''\
def claim(dynamodb, table, key):
    try:
        dynamodb.put_item(TableName=table, Item={"pk": {"S": key}},
                          ConditionExpression="attribute_not_exists(pk)")
    except ClientError:
        return False  # could not claim it
    return True
''', "test_claim_lets_any_other_error_reach_the_caller", "must reach the caller", "errors"),
    Wrong("claim-after-the-effect", "consume_idempotently", _CONSUME_HEAD + '''\
            key = message["MessageAttributes"][KEY]["StringValue"]
            found = dynamodb.get_item(TableName=table, Key={"pk": {"S": key}}, ConsistentRead=True)
            if "Item" not in found:
                try:
                    handle(message["Body"])
                except Exception:
                    continue
                claim(dynamodb, table, key)  # record it once it really happened
                effects += 1
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_idempotently_claims_before_the_effect", "claim BEFORE the effect", "crash"),
    Wrong("no-release-on-failure", "consume_idempotently", _CONSUME_HEAD + '''\
            key = message["MessageAttributes"][KEY]["StringValue"]
            if claim(dynamodb, table, key):
                try:
                    handle(message["Body"])
                except Exception:
                    continue  # leave the message for a retry
                effects += 1
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_idempotently_releases_the_claim_when_handle_fails", "release the claim", "crash"),
    Wrong("deletes-a-failed-message", "consume_idempotently", _CONSUME_HEAD + '''\
            key = message["MessageAttributes"][KEY]["StringValue"]
            if claim(dynamodb, table, key):
                try:
                    handle(message["Body"])
                    effects += 1
                except Exception:
                    release(dynamodb, table, key)
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_idempotently_releases_the_claim_when_handle_fails", "leave the message", "crash"),
]

VALID = [
    Valid("update-item-claim", "claim", '''\
def claim(dynamodb, table, key):
    try:
        dynamodb.update_item(TableName=table, Key={"pk": {"S": key}}, UpdateExpression="SET claimed = :yes",
                             ConditionExpression="attribute_not_exists(pk)",
                             ExpressionAttributeValues={":yes": {"BOOL": True}})
    except dynamodb.exceptions.ConditionalCheckFailedException:
        return False
    return True
''', "update_item with the same condition is the same atomic conditional write"),
    Valid("read-first-then-conditional-put", "claim", '''\
def claim(dynamodb, table, key):
    # A cheap read first skips most duplicates; the conditional write still decides a race.
    if "Item" in dynamodb.get_item(TableName=table, Key={"pk": {"S": key}}):
        return False
    try:
        dynamodb.put_item(TableName=table, Item={"pk": {"S": key}, "at": {"N": "1"}},
                          ConditionExpression="attribute_not_exists(pk)")
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True
''', "the read is only a shortcut: the conditional put still makes the claim atomic"),
    Valid("transaction-claim-and-batch-delete", "consume_idempotently", '''\
def consume_idempotently(sqs, queue_url, dynamodb, table, handle, wait_seconds=1):
    effects = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds,
                                       MessageAttributeNames=["All"]).get("Messages", [])
        if not messages:
            return effects
        done = []
        for message in messages:
            key = message["MessageAttributes"]["IdempotencyKey"]["StringValue"]
            try:
                dynamodb.transact_write_items(TransactItems=[{"Put": {
                    "TableName": table, "Item": {"pk": {"S": key}},
                    "ConditionExpression": "attribute_not_exists(pk)"}}])
            except dynamodb.exceptions.TransactionCanceledException:
                done.append(message)  # claimed before: a duplicate
                continue
            try:
                handle(message["Body"])
            except Exception:
                dynamodb.delete_item(TableName=table, Key={"pk": {"S": key}})
                continue
            effects += 1
            done.append(message)
        if done:
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)])
''', "a transaction with one conditional Put is the same claim; deleting a receive's messages in one batch after "
        "handling them is the cheaper order"),
]
