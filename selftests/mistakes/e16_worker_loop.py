"""Exercise 16 (worker loop): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

_LOOP_HEAD = '''\
def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    while not stop.is_set():
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
'''

WRONG = [
    Wrong("delete-before-handling", "run_worker", _LOOP_HEAD + '''\
        if not messages:
            continue
        # delete first, so a slow handler cannot make the message come back to another worker
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                pass
''', "test_run_worker_deletes_a_message_only_after_handling_it", "delete after handling, never before", "crash"),
    Wrong("delete-failures-too", "run_worker", _LOOP_HEAD + '''\
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                pass  # logged elsewhere; the message is done either way
        if messages:
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
''', "test_run_worker_leaves_a_failed_message_for_redelivery", "deleting failures too swallows them", "errors"),
    Wrong("batch-delete-failed-ignored", "run_worker", _LOOP_HEAD + '''\
        handled = []
        for message in messages:
            try:
                handler(message["Body"])
                handled.append(message)
            except Exception:
                pass
        if handled:  # the request succeeded, so every entry was deleted
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(handled)])
''', "test_run_worker_retries_what_the_batch_delete_reports_failed", "Check the Failed list", "errors"),
    Wrong("short-poll-busy-loop", "run_worker", '''\
def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    while not stop.is_set():
        # poll fast so new messages are picked up at once
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH).get("Messages", [])
        handled = []
        for message in messages:
            try:
                handler(message["Body"])
                handled.append(message)
            except Exception:
                pass
        if handled:
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(handled)])
''', "test_run_worker_long_polls_while_the_queue_is_empty", "busy loop", "cost"),
    Wrong("stops-in-the-middle-of-a-batch", "run_worker", _LOOP_HEAD + '''\
        handled = []
        for message in messages:
            if stop.is_set():
                break  # stop means stop
            try:
                handler(message["Body"])
                handled.append(message)
            except Exception:
                pass
        if handled:
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(handled)])
''', "test_run_worker_finishes_the_batch_in_hand_when_stopped", "finish the batch in hand", "contract"),
    Wrong("returns-when-the-queue-is-empty", "run_worker", _LOOP_HEAD + '''\
        if not messages:
            return  # nothing to do
        for message in messages:
            handler(message["Body"])
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
''', "test_run_worker_long_polls_while_the_queue_is_empty", "keeps polling while the queue is empty", "contract"),
    Wrong("ignores-stop", "run_worker", '''\
def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    while True:  # a worker runs forever
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        for message in messages:
            handler(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "test_run_worker_long_polls_while_the_queue_is_empty", "the worker did not stop", "contract"),
]

VALID = [
    Valid("single-deletes", "run_worker", _LOOP_HEAD + '''\
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                continue
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', "one DeleteMessage per handled message costs more requests but deletes exactly what was handled"),
    Valid("thread-pool-handler", "run_worker", '''\
from concurrent.futures import ThreadPoolExecutor


def _handled(handler, message):
    try:
        handler(message["Body"])
    except Exception:
        return None
    return message


def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    with ThreadPoolExecutor(max_workers=4) as pool:
        while not stop.is_set():
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                           WaitTimeSeconds=wait_seconds).get("Messages", [])
            futures = [pool.submit(_handled, handler, m) for m in messages]
            handled = [m for m in (f.result() for f in futures) if m is not None]
            if not handled:
                continue
            entries = [{"Id": f"m{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(handled)]
            for _ in range(3):
                failed = {f["Id"] for f in sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
                          .get("Failed", [])}
                entries = [e for e in entries if e["Id"] in failed]
                if not entries:
                    break
''', "a batch handled by a thread pool, then deleted with retries of the Failed entries, is as correct"),
]
