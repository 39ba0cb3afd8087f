"""A wrong solution must fail: the mistakes learners really make are each caught by a named graded test.

Each mutant is the reference solution with ONE function replaced by a plausible wrong version
(str(True) for "true", no NextToken loop, the MessageId for the ReceiptHandle, a batch's Failed list
swallowed, ...). Mutants of different exercises share a target folder (a copy of solutions/), so three
pytest runs on moto grade them all; per mutant the check is:

    the graded test named in `catches` fails (outcome "failed", not "error") with a learner message
    that says what the test says about that mistake (`says`), and the exercises left untouched in the
    same folder still pass.
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sqs_kata import PROJECT_ROOT, manifest
from test_learner_faults import replace_function


@dataclass(frozen=True)
class Mutant:
    id: str
    folder: int  # mutants sharing a folder must be in different exercises
    exercise: int
    function: str
    source: str  # the wrong definition that replaces `function`
    catches: str  # the graded test expected to fail
    says: str  # part of that test's (English) message for this mistake


MUTANTS = [
    # ---- folder 1 -------------------------------------------------------------------------------------
    Mutant("01-delay-hard-coded-5", 1, 1, "create_delayed_queue", '''\
def create_delayed_queue(sqs, name, delay_seconds=5):
    return sqs.create_queue(QueueName=name, Attributes={"DelaySeconds": "5"})["QueueUrl"]
''', "test_create_delayed_queue_uses_the_delay_it_is_given", "do not hard-code 5"),
    Mutant("02-str-true-not-lowercase", 1, 2, "create_queue", '''\
def create_queue(sqs, name, attributes=None):
    as_text = {key: str(value) for key, value in (attributes or {}).items()}
    return sqs.create_queue(QueueName=name, Attributes=as_text)["QueueUrl"]
''', "test_create_queue_writes_booleans_as_lowercase_true_false", 'str(True) is "True"'),
    Mutant("03-consume-without-delete", 1, 3, "consume_all", '''\
def consume_all(sqs, queue_url, handle, wait_seconds=1):
    handled = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            return handled
        for message in messages:
            handle(message["Body"])
            handled += 1
''', "test_consume_all_handles_then_deletes_every_message", "handled messages should be deleted"),
    Mutant("04-one-set-call-per-setting", 1, 4, "change_settings", '''\
def change_settings(sqs, queue_url, *, visibility_timeout=None, retention_seconds=None, delay_seconds=None):
    wanted = {"VisibilityTimeout": visibility_timeout, "MessageRetentionPeriod": retention_seconds,
              "DelaySeconds": delay_seconds}
    for name, value in wanted.items():
        if value is not None:
            sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={name: str(value)})
''', "test_change_settings_changes_all_three", "in one SetQueueAttributes call"),
    Mutant("06-visibility-batch-swallows-failed", 1, 6, "change_visibility_batch", '''\
def change_visibility_batch(sqs, queue_url, receipt_handles, seconds):
    entries = [{"Id": str(i), "ReceiptHandle": handle, "VisibilityTimeout": seconds}
               for i, handle in enumerate(receipt_handles)]
    sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=entries)
    return []
''', "test_change_visibility_batch_returns_the_handles_that_failed", "do not swallow it"),
    Mutant("08-send-message-per-body", 1, 8, "send_in_batches", '''\
def send_in_batches(sqs, queue_url, bodies):
    return [sqs.send_message(QueueUrl=queue_url, MessageBody=body)["MessageId"] for body in bodies]
''', "test_send_in_batches_uses_one_batch_call_per_ten_messages", "3 SendMessageBatch calls"),
    Mutant("10-seq-sorted-as-text", 1, 10, "receive_in_order", '''\
def receive_in_order(sqs, queue_url, count, wait_seconds=1):
    received = []
    while len(received) < count:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds, MessageAttributeNames=[SEQ]).get("Messages", [])
        if not messages:
            break
        for message in messages:
            received.append((message["MessageAttributes"][SEQ]["StringValue"], message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return [body for _, body in sorted(received)]
''', "test_receive_in_order_restores_order_from_a_shuffled_arrival", "sorted by Seq (as numbers)"),
    Mutant("12-purge-by-receive-and-delete", 1, 12, "purge", '''\
def purge(sqs, queue_url):
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                       WaitTimeSeconds=1).get("Messages", [])
        if not messages:
            return True
        for message in messages:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_purge_removes_every_message_and_keeps_the_queue", "one PurgeQueue call"),
    Mutant("09-dedup-id-from-the-body", 1, 9, "send_in_group", '''\
def send_in_group(sqs, queue_url, group_id, bodies):
    import hashlib
    ids = []
    for body in bodies:
        response = sqs.send_message(QueueUrl=queue_url, MessageBody=body, MessageGroupId=group_id,
                                    MessageDeduplicationId=hashlib.sha256(body.encode()).hexdigest())
        ids.append(response["MessageId"])
    return ids
''', "test_send_in_group_delivers_equal_bodies_separately", "two equal bodies should both arrive"),
    # ---- folder 2 -------------------------------------------------------------------------------------
    Mutant("01-no-message-attribute-names", 2, 1, "receive_with_author", '''\
def receive_with_author(sqs, queue_url, wait_seconds=10):
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds)
    return [
        {"body": m["Body"],
         "author": m.get("MessageAttributes", {}).get("Author", {}).get("StringValue"),
         "receipt_handle": m["ReceiptHandle"]}
        for m in response.get("Messages", [])
    ]
''', "test_receive_with_author_returns_body_author_and_receipt_handle", "remember MessageAttributeNames"),
    Mutant("02-no-next-token-loop", 2, 2, "list_queue_names", '''\
def list_queue_names(sqs, prefix, page_size=MAX_LIST_PAGE):
    page = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=page_size)
    return sorted(url.rsplit("/", 1)[-1] for url in page.get("QueueUrls", []))
''', "test_list_queue_names_pages_through_every_queue", "follow NextToken"),
    Mutant("04-attributes-left-as-strings", 2, 4, "get_number_attributes", '''\
def get_number_attributes(sqs, queue_url, names):
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    return {name: attributes[name] for name in names}
''', "test_get_number_attributes_returns_ints_for_the_names_asked", "as ints"),
    Mutant("07-long-poll-without-wait-time", 2, 7, "long_poll", '''\
def long_poll(sqs, queue_url, wait_seconds):
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_MESSAGES_PER_RECEIVE)
    return [m["Body"] for m in response.get("Messages", [])]
''', "test_long_poll_waits_with_wait_time_seconds_and_returns_what_is_there", "WaitTimeSeconds=wait_seconds"),
    Mutant("09-fifo-without-dot-fifo", 2, 9, "create_fifo_queue", '''\
def create_fifo_queue(sqs, name, content_based_dedup=False):
    attributes = {"FifoQueue": "true", "ContentBasedDeduplication": "true" if content_based_dedup else "false"}
    return sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
''', "test_create_fifo_queue_makes_a_dot_fifo_queue", "when calling the CreateQueue operation"),
    Mutant("11-redrive-target-is-the-url", 2, 11, "attach_dead_letter_queue", '''\
def attach_dead_letter_queue(sqs, source_url, dlq_url, max_receive_count):
    policy = {"deadLetterTargetArn": dlq_url, "maxReceiveCount": str(max_receive_count)}
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={"RedrivePolicy": json.dumps(policy)})
''', "test_attach_dead_letter_queue_sets_the_redrive_policy",
           "when calling the SetQueueAttributes operation"),
    Mutant("14-error-message-not-code", 2, 14, "send_safely", '''\
def send_safely(sqs, queue_url, body):
    if not body:
        return {"ok": False, "error": EMPTY_BODY_ERROR}
    try:
        response = sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    except ClientError as error:
        return {"ok": False, "error": str(error)}
    return {"ok": True, "message_id": response["MessageId"]}
''', "test_send_safely_to_a_missing_queue_returns_the_error_code", "error.response['Error']['Code']"),
    Mutant("05-send-delayed-delays-the-queue", 2, 5, "send_delayed", '''\
def send_delayed(sqs, queue_url, body, delay_seconds):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"DelaySeconds": str(delay_seconds)})
    return sqs.send_message(QueueUrl=queue_url, MessageBody=body)["MessageId"]
''', "test_send_delayed_hides_only_that_message_until_its_delay_passes", "only the undelayed 'now' should arrive"),
    Mutant("08-failed-ids-not-handles", 2, 8, "delete_in_batches", '''\
def delete_in_batches(sqs, queue_url, receipt_handles):
    failed = []
    for chunk in chunks(receipt_handles):
        entries = [{"Id": str(i), "ReceiptHandle": handle} for i, handle in enumerate(chunk)]
        response = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
        failed.extend(entry["Id"] for entry in response.get("Failed", []))
    return failed
''', "test_delete_in_batches_returns_the_handles_that_failed", "return that receipt handle"),
    Mutant("12-purge-in-progress-escapes", 2, 12, "purge", '''\
def purge(sqs, queue_url):
    sqs.purge_queue(QueueUrl=queue_url)
    return True
''', "test_a_second_purge_within_60_seconds_returns_false_where_sqs_refuses_it", "raised PurgeQueueInProgress"),
    Mutant("16-delete-before-handling", 2, 16, "run_worker", '''\
def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    while not stop.is_set():
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        for message in messages:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            try:
                handler(message["Body"])
            except Exception:
                pass
''', "test_run_worker_deletes_a_message_only_after_handling_it", "never before"),
    Mutant("17-no-heartbeat", 2, 17, "handle_with_heartbeat", '''\
def handle_with_heartbeat(sqs, queue_url, message, handler, visibility_timeout, interval):
    try:
        handler(message["Body"])
    except Exception:
        return False
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return True
''', "test_handle_with_heartbeat_keeps_the_message_from_a_second_worker", "a second worker got the message"),
    Mutant("19-poison-deleted", 2, 19, "consume", '''\
def consume(sqs, queue_url, handler, stop, wait_seconds=1, retry_after=0):
    while not stop.is_set():
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                pass
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_consume_lets_the_poison_message_go_to_the_dlq", "should end in the DLQ"),
    Mutant("21-depth-by-receiving", 2, 21, "queue_depth", '''\
def queue_depth(sqs, queue_url):
    got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    return len(got), 0
''', "test_queue_depth_reads_waiting_and_in_flight_as_sqs_counts_them", "reading the depth must not change it"),
    # ---- folder 3 -------------------------------------------------------------------------------------
    Mutant("03-size-in-characters", 3, 3, "fits_in_one_message", '''\
def fits_in_one_message(body):
    return len(body) <= MAX_MESSAGE_BYTES
''', "test_fits_in_one_message_counts_utf8_bytes_not_characters", "count UTF-8 bytes, not characters"),
    Mutant("05-fifo-delay-error-becomes-none", 3, 5, "try_delay_on_fifo", '''\
def try_delay_on_fifo(sqs, queue_url, body, delay_seconds, group_id):
    try:
        sqs.send_message(QueueUrl=queue_url, MessageBody=body, MessageGroupId=group_id,
                         DelaySeconds=delay_seconds)
    except ClientError:
        return None
    return None
''', "test_try_delay_on_fifo_returns_the_error_code_instead_of_raising", "return the error code"),
    Mutant("06-message-id-as-receipt-handle", 3, 6, "receive_for_work", '''\
def receive_for_work(sqs, queue_url, visibility_timeout, wait_seconds=1):
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds,
                                   VisibilityTimeout=visibility_timeout,
                                   MessageSystemAttributeNames=["ApproximateReceiveCount"])
    return [
        {"body": m["Body"], "receipt_handle": m["MessageId"],
         "receive_count": int(m["Attributes"]["ApproximateReceiveCount"])}
        for m in response.get("Messages", [])
    ]
''', "test_receive_for_work_counts_how_often_a_message_was_handed_out", "the ReceiptHandle SQS gave you"),
    Mutant("07-drain-receives-once", 3, 7, "drain", '''\
def drain(sqs, queue_url, wait_seconds=1):
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_MESSAGES_PER_RECEIVE,
                                   WaitTimeSeconds=wait_seconds)
    drained = []
    for message in response.get("Messages", []):
        drained.append(message["Body"])
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return drained
''', "test_drain_receives_and_deletes_more_than_ten_messages", "keep receiving until a long poll"),
    Mutant("08-send-batch-swallows-failed", 3, 8, "send_batch", '''\
def send_batch(sqs, queue_url, entries):
    sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    return {}
''', "test_send_batch_reports_the_entry_sqs_refused", "do not swallow it"),
    Mutant("09-group-not-asked-for", 3, 9, "receive_one", '''\
def receive_one(sqs, queue_url, wait_seconds=1):
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1,
                                   WaitTimeSeconds=wait_seconds).get("Messages", [])
    if not messages:
        return None
    message = messages[0]
    return {"body": message["Body"], "group": message.get("Attributes", {}).get("MessageGroupId"),
            "receipt_handle": message["ReceiptHandle"]}
''', "test_receive_one_takes_a_single_message_with_its_group", "MessageGroupId as group"),
    Mutant("10-fifo-read-without-delete", 3, 10, "receive_fifo", '''\
def receive_fifo(sqs, queue_url, count, wait_seconds=1):
    arrived = []
    while len(arrived) < count:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            break
        arrived.extend(message["Body"] for message in messages)
    return arrived
''', "test_receive_fifo_keeps_each_groups_order_without_sorting", "delete what you received"),
    Mutant("11-redrive-drops-attributes", 3, 11, "redrive_by_hand", '''\
def redrive_by_hand(sqs, dlq_url, target_url, wait_seconds=1):
    moved = 0
    while True:
        messages = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            return moved
        for message in messages:
            sqs.send_message(QueueUrl=target_url, MessageBody=message["Body"])
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
''', "test_redrive_by_hand_moves_every_message_back", "with its Reason message attribute"),
    Mutant("13-revoke-error-becomes-none", 3, 13, "revoke", '''\
def revoke(sqs, queue_url, label):
    try:
        sqs.remove_permission(QueueUrl=queue_url, Label=label)
    except ClientError:
        return None
    return None
''', "test_revoke_an_unknown_label_returns_the_error_code", "return its error code"),
    Mutant("14-receive-safely-deletes", 3, 14, "receive_safely", '''\
def receive_safely(sqs, queue_url, wait_seconds=1):
    try:
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds)
        for message in response.get("Messages", []):
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    except ClientError as error:
        return {"ok": False, "error": error.response["Error"]["Code"]}
    return {"ok": True, "bodies": [m["Body"] for m in response.get("Messages", [])]}
''', "test_receive_safely_returns_the_bodies", "do not delete"),
    Mutant("15-short-polls", 3, 15, "consume_all", '''\
def consume_all(sqs, queue_url, handle, wait_seconds=1):
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH).get("Messages", [])
        if not messages:
            return
        for message in messages:
            handle(message["Body"])
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
''', "test_consume_all_on_an_empty_queue_costs_one_long_poll", "WaitTimeSeconds"),
    # ---- folder 4: a short batch is not an empty queue; ids come back in the caller's order -------------
    Mutant("03-consume-stops-on-short-batch", 4, 3, "consume_all", '''\
def consume_all(sqs, queue_url, handle, wait_seconds=1):
    handled = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        for message in messages:
            handle(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            handled += 1
        if len(messages) < MAX_RECEIVE:
            return handled
''', "test_consume_all_keeps_going_when_sqs_hands_out_fewer_than_asked", "not when a batch is short"),
    Mutant("07-drain-stops-on-short-batch", 4, 7, "drain", '''\
def drain(sqs, queue_url, wait_seconds=1):
    drained = []
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_MESSAGES_PER_RECEIVE,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        for message in messages:
            drained.append(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        if len(messages) < MAX_MESSAGES_PER_RECEIVE:
            return drained
''', "test_drain_keeps_going_when_sqs_hands_out_fewer_than_asked", "not when a batch is short"),
    Mutant("01-ids-in-reverse-order", 4, 1, "send_with_authors", '''\
def send_with_authors(sqs, queue_url, items):
    entries = [{"Id": str(i), "MessageBody": body,
                "MessageAttributes": {"Author": {"DataType": "String", "StringValue": author}}}
               for i, (body, author) in enumerate(items)]
    response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    return [entry["MessageId"] for entry in reversed(response.get("Successful", []))]
''', "test_send_with_authors_takes_any_bodies_and_keeps_the_order_of_items", "in the order of items"),
    Mutant("10-ids-in-reverse-order", 4, 10, "send_numbered", '''\
def send_numbered(sqs, queue_url, bodies):
    ids = []
    for seq, body in enumerate(bodies, start=1):
        response = sqs.send_message(QueueUrl=queue_url, MessageBody=body,
                                    MessageAttributes={SEQ: {"DataType": "Number", "StringValue": str(seq)}})
        ids.insert(0, response["MessageId"])
    return ids
''', "test_send_numbered_stamps_seq_in_sending_order", "in sending order"),
    Mutant("12-purge-swallows-every-error", 4, 12, "purge", '''\
def purge(sqs, queue_url):
    try:
        sqs.purge_queue(QueueUrl=queue_url)
    except Exception:
        return False
    return True
''', "test_purge_lets_any_other_error_reach_the_caller", "must reach the caller"),
    # ---- Part 2: exercises 18 and 20 ------------------------------------------------------------------
    Mutant("18-claim-without-condition", 1, 18, "claim", '''\
def claim(dynamodb, table, key):
    dynamodb.put_item(TableName=table, Item={"pk": {"S": key}})  # put_item never fails
    return True
''', "test_claim_takes_a_free_key_once", "should return False (ConditionalCheckFailedException)"),
    Mutant("20-deletes-before-the-effect", 2, 20, "run_worker", '''\
def run_worker(sqs, queue_url, dynamodb, table, handle, wait_seconds=1):
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_RECEIVE,
                                       WaitTimeSeconds=wait_seconds,
                                       MessageAttributeNames=[KEY]).get("Messages", [])
        for message in messages:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            try:
                handle(message["Body"])
            except Exception:
                pass
''', "test_a_killed_worker_loses_no_message_and_repeats_no_effect", "had their effect twice or more"),
]

FOLDERS = sorted({m.folder for m in MUTANTS})
TIMEOUT = 10  # per test: a mutant that loops is stopped, not waited on for the default 30 s


def _exercise(mutant: Mutant) -> manifest.Exercise:
    exercise = manifest.by_number(mutant.exercise)
    assert exercise is not None, mutant
    return exercise


def test_mutants_of_one_folder_are_in_different_exercises():
    seen = [(m.folder, m.exercise) for m in MUTANTS]
    assert len(seen) == len(set(seen)), seen
    assert len({m.id for m in MUTANTS}) == len(MUTANTS)


def test_every_exercise_has_a_mutant():
    assert {m.exercise for m in MUTANTS} == {e.number for e in manifest.load()}


def mutated_target(root: Path, folder: int) -> Path:
    """A copy of solutions/ with this folder's mutants put in, one function each."""
    target = root / f"mutants-{folder}"
    shutil.copytree(PROJECT_ROOT / "solutions", target)
    for mutant in (m for m in MUTANTS if m.folder == folder):
        path = target / _exercise(mutant).filename
        path.write_text(replace_function(path.read_text(encoding="utf-8"), mutant.function, mutant.source),
                        encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def graded(kata_runner, tmp_path_factory) -> dict[int, tuple[dict[str, list[dict[str, Any]]], str]]:
    """folder -> ({exercise slug: its records}, pytest output), one graded run per folder, on moto."""
    root = tmp_path_factory.mktemp("wrong-solutions")
    runs = {}
    for folder in FOLDERS:
        target = mutated_target(root, folder)
        _, records, output = kata_runner(f"--kata-target={target}", f"--timeout={TIMEOUT}", "--lang=en",
                                         env={"SQS_KATA_BACKENDS": "moto"})
        assert records, output[-3000:]
        by_exercise: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in records:
            by_exercise[record["exercise"]].append(record)
        runs[folder] = (by_exercise, output)
    return runs


def graded_test(record: dict[str, Any]) -> str:
    return record["nodeid"].split("::")[1].split("[")[0]


def is_learner_message(message: str, mutant: Mutant) -> bool:
    """A check's message (the hint line, or expected/seen) or the one-line report of a learner exception."""
    exercise = _exercise(mutant)
    checked = f"`sqs-kata hint {exercise.number}`" in message or ("expected:" in message and "seen" in message)
    raised = re.search(rf" raised \w+.*\n  at: \S*{re.escape(exercise.filename)}:\d+ \(in {mutant.function}\)",
                       message)
    return (checked or raised is not None) and "Traceback" not in message


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.id for m in MUTANTS])
def test_the_wrong_solution_fails_the_test_meant_for_it(graded, mutant):
    by_exercise, output = graded[mutant.folder]
    records = by_exercise.get(_exercise(mutant).slug, [])
    assert records, f"no graded records for {mutant.id}\n{output[-3000:]}"
    summary = "\n".join(f"{r['nodeid']}: {r['outcome']}" for r in records)
    assert not [r for r in records if r["outcome"] == "error"], summary
    caught = [r for r in records if graded_test(r) == mutant.catches]
    assert caught, f"{mutant.catches} did not run:\n{summary}"
    for record in caught:
        message = record["message"]
        assert record["outcome"] == "failed", f"{mutant.id} survived {record['nodeid']}\n{summary}"
        assert is_learner_message(message, mutant), message
        assert mutant.says in message, message


@pytest.mark.parametrize("folder", FOLDERS)
def test_the_untouched_exercises_still_pass(graded, folder):
    by_exercise, _ = graded[folder]
    mutated = {_exercise(m).slug for m in MUTANTS if m.folder == folder}
    untouched = {e.slug for e in manifest.load() if (PROJECT_ROOT / e.test_file).is_file()} - mutated
    assert set(by_exercise) >= untouched
    wrong = [f"{r['nodeid']}: {r['outcome']}\n{r['message'][:300]}" for slug in sorted(untouched)
             for r in by_exercise[slug] if r["outcome"] not in ("passed", "skipped")]
    assert not wrong, "\n\n".join(wrong)
