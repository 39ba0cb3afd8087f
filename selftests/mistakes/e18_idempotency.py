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
    Wrong("condition-on-a-missing-attribute", "claim", '''\
def claim(dynamodb, table, key):
    try:
        dynamodb.put_item(TableName=table, Item={"pk": {"S": key}},
                          ConditionExpression="attribute_not_exists(id)")
    except dynamodb.exceptions.ConditionalCheckFailedException:
        return False
    return True
''', "test_claim_takes_a_free_key_once", "a second claim of the same key should return False", "edge"),
    Wrong("update-without-condition", "claim", '''\
def claim(dynamodb, table, key):
    # one atomic update: it tells whether this worker was the one that set the flag
    old = dynamodb.update_item(TableName=table, Key={"pk": {"S": key}}, UpdateExpression="SET claimed = :t",
                               ExpressionAttributeValues={":t": {"BOOL": True}}, ReturnValues="UPDATED_OLD")
    return "claimed" not in old.get("Attributes", {})
''', "test_claim_sees_a_key_another_worker_claimed", "so claim should return False", "contract"),
    Wrong("releases-after-the-effect", "consume_idempotently", _CONSUME_HEAD + '''\
            key = message["MessageAttributes"][KEY]["StringValue"]
            if not claim(dynamodb, table, key):
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
                continue
            try:
                handle(message["Body"])
                effects += 1
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            except Exception:
                pass
            finally:
                release(dynamodb, table, key)  # the claim is a lock: free it once the work is done
''', "test_consume_idempotently_has_each_effect_once_when_sqs_delivers_twice", "delivered every message a second time",
          "kinder"),
    Wrong("duplicates-left-on-the-queue", "consume_idempotently", _CONSUME_HEAD + '''\
            key = message["MessageAttributes"][KEY]["StringValue"]
            if not claim(dynamodb, table, key):
                continue  # a duplicate: nothing to do
            try:
                handle(message["Body"])
            except Exception:
                release(dynamodb, table, key)
                continue
            effects += 1
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_idempotently_keys_by_the_business_key_not_the_message_id", "the retried copy should be deleted too",
          "kinder"),
    Wrong("key-falls-back-to-the-message-id", "consume_idempotently", '''\
def consume_idempotently(sqs, queue_url, dynamodb, table, handle, wait_seconds=1):
    effects = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            return effects
        for message in messages:
            attributes = message.get("MessageAttributes", {})
            key = attributes.get(KEY, {}).get("StringValue", message["MessageId"])
            if claim(dynamodb, table, key):
                try:
                    handle(message["Body"])
                except Exception:
                    release(dynamodb, table, key)
                    continue
                effects += 1
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_idempotently_keys_by_the_business_key_not_the_message_id", "not the MessageId", "kinder"),
    Wrong("counts-messages-not-effects", "consume_idempotently", '''\
def consume_idempotently(sqs, queue_url, dynamodb, table, handle, wait_seconds=1):
    processed = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds,
                                       MessageAttributeNames=[KEY]).get("Messages", [])
        if not messages:
            return processed
        for message in messages:
            key = message["MessageAttributes"][KEY]["StringValue"]
            if claim(dynamodb, table, key):
                try:
                    handle(message["Body"])
                except Exception:
                    release(dynamodb, table, key)
                    continue
            processed += 1
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_idempotently_has_each_effect_once_when_sqs_delivers_twice", "how many effects", "contract"),
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
    Valid("legacy-expected-claim", "claim", '''\
def claim(dynamodb, table, key):
    try:
        dynamodb.put_item(TableName=table, Item={"pk": {"S": key}}, Expected={"pk": {"Exists": False}})
    except dynamodb.exceptions.ConditionalCheckFailedException:
        return False
    return True
''', "the legacy Expected parameter ({'Exists': False}) is the same conditional write, still documented"),
    Valid("attribute-name-placeholder-and-timestamp", "claim", '''\
import time


def claim(dynamodb, table, key):
    try:
        dynamodb.put_item(TableName=table, Item={"pk": {"S": key}, "claimed_at": {"N": str(int(time.time()))}},
                          ConditionExpression="attribute_not_exists(#pk)", ExpressionAttributeNames={"#pk": "pk"},
                          ReturnValuesOnConditionCheckFailure="ALL_OLD")
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        return False
    return True
''', "a #pk placeholder, an extra attribute and ReturnValuesOnConditionCheckFailure change nothing about the claim"),
    Valid("batch-delete-per-receive-with-retry", "consume_idempotently", '''\
def consume_idempotently(sqs, queue_url, dynamodb, table, handle, wait_seconds=1):
    effects = 0
    while True:
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds,
                                       MessageAttributeNames=["IdempotencyKey"])
        messages = response.get("Messages") or []
        if len(messages) == 0:
            break
        finished = []
        for message in messages:
            key = message.get("MessageAttributes", {}).get("IdempotencyKey", {}).get("StringValue")
            if not claim(dynamodb, table, key):
                finished.append(message)
                continue
            try:
                handle(message["Body"])
            except Exception:
                release(dynamodb, table, key)
            else:
                effects += 1
                finished.append(message)
        if finished:
            entries = [{"Id": f"m{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(finished)]
            failed = {f["Id"] for f in sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])}
            for entry in entries:
                if entry["Id"] in failed:
                    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=entry["ReceiptHandle"])
    return effects
''', "one DeleteMessageBatch per receive after the messages were handled, its Failed entries retried"),
    Valid("recursion-free-counter-with-helpers", "consume_idempotently", '''\
def _key(message):
    return message["MessageAttributes"]["IdempotencyKey"]["StringValue"]


def _one(sqs, queue_url, dynamodb, table, handle, message):
    """1 if the message had its effect now, 0 if a duplicate, None if handle failed."""
    key = _key(message)
    if not claim(dynamodb, table, key):
        return 0
    try:
        handle(message["Body"])
    except Exception:
        release(dynamodb, table, key)
        return None
    return 1


def consume_idempotently(sqs, queue_url, dynamodb, table, handle, wait_seconds=1):
    total = 0
    messages = True
    while messages:
        messages = sqs.receive_message(QueueUrl=queue_url, MessageAttributeNames=["All"],
                                       MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        for message in messages:
            outcome = _one(sqs, queue_url, dynamodb, table, handle, message)
            if outcome is None:
                continue
            total += outcome
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return total
''', "the same steps split into helpers; MessageAttributeNames=['All'] brings IdempotencyKey too"),
]
