"""Exercise 16 (worker loop): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

_LOOP_HEAD = '''\
def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    while not stop.is_set():
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
'''

T_ALL = "test_run_worker_handles_every_message_and_deletes_it"

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
    Wrong("skips-seen-message-ids", "run_worker", '''\
_seen = set()


def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    while not stop.is_set():
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        handled = []
        for message in messages:
            if message["MessageId"] in _seen:
                continue  # a duplicate: already done, nothing to do
            try:
                handler(message["Body"])
            except Exception:
                continue
            _seen.add(message["MessageId"])
            handled.append(message)
        if handled:
            entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(handled)]
            failed = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])
            if failed:
                sqs.delete_message_batch(QueueUrl=queue_url, Entries=[entries[int(f["Id"])] for f in failed])
''', T_ALL, "a copy delivered twice too", "kinder"),
    Wrong("deletes-everything-when-stopped", "run_worker", '''\
def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    handled = []  # delete in one go at the end: fewer requests
    while not stop.is_set():
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                continue
            handled.append(message)
    for start in range(0, len(handled), MAX_BATCH):
        chunk = handled[start:start + MAX_BATCH]
        entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(chunk)]
        failed = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])
        if failed:
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[entries[int(f["Id"])] for f in failed])
''', "test_run_worker_deletes_a_message_only_after_handling_it", "before the next receive", "crash"),
    Wrong("one-failure-abandons-the-batch", "run_worker", '''\
def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    while not stop.is_set():
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        handled = []
        try:
            for message in messages:
                handler(message["Body"])
                handled.append(message)
        except Exception:
            continue  # the batch failed: SQS delivers it again
        if handled:
            entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(handled)]
            failed = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])
            if failed:
                sqs.delete_message_batch(QueueUrl=queue_url, Entries=[entries[int(f["Id"])] for f in failed])
''', "test_run_worker_leaves_a_failed_message_for_redelivery", "delete", "errors"),
    Wrong("one-message-per-receive", "run_worker", '''\
def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    while not stop.is_set():
        messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=wait_seconds).get("Messages", [])
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                continue
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
''', T_ALL, "every receive should ask for 10", "cost"),
    Wrong("stop-checked-only-when-idle", "run_worker", '''\
def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            if stop.is_set():
                return  # drain the queue before stopping
            continue
        handled = []
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                continue
            handled.append(message)
        if handled:
            entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(handled)]
            failed = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])
            if failed:
                sqs.delete_message_batch(QueueUrl=queue_url, Entries=[entries[int(f["Id"])] for f in failed])
''', "test_run_worker_finishes_the_batch_in_hand_when_stopped", "no receive after stop is set", "contract"),
    Wrong("retries-the-first-entries", "run_worker", '''\
def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    while not stop.is_set():
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        handled = []
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                continue
            handled.append(message)
        if handled:
            entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(handled)]
            failed = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])
            if failed:  # retry as many entries as failed
                sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries[:len(failed)])
''', "test_run_worker_retries_what_the_batch_delete_reports_failed", "Check the Failed list", "errors"),
    # Caught by a hidden test (tests/hidden/test_16_worker_loop_hidden.py): a do-while loop receives once more
    # after stop was set before the call; it passes every visible test.
    Wrong("receives-before-checking-stop", "run_worker", '''\
def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        handled = []
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                continue
            handled.append(message)
        if handled:
            entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(handled)]
            failed = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])
            if failed:
                ids = {f["Id"] for f in failed}
                sqs.delete_message_batch(QueueUrl=queue_url, Entries=[e for e in entries if e["Id"] in ids])
        if stop.is_set():
            return
''', "test_run_worker_already_stopped_takes_nothing", "check stop at the start of every round", "contract"),
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
    Valid("while-true-retry-one-by-one", "run_worker", '''\
def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    while True:
        if stop.is_set():
            return
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds)
        done = {}
        for n, message in enumerate(response.get("Messages") or []):
            try:
                handler(message["Body"])
            except Exception:
                continue
            else:
                done[f"msg-{n}"] = message["ReceiptHandle"]
        if not done:
            continue
        result = sqs.delete_message_batch(QueueUrl=queue_url,
                                          Entries=[{"Id": i, "ReceiptHandle": h} for i, h in done.items()])
        for failure in result.get("Failed", []):
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=done[failure["Id"]])
''', "retrying each failed entry with one DeleteMessage is what the docstring allows; `or []` and `else` are "
        "only style"),
    Valid("iter-stop-and-successful-check", "run_worker", '''\
def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    for _ in iter(stop.is_set, True):
        batch = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=wait_seconds,
                                    MaxNumberOfMessages=MAX_BATCH).get("Messages", [])
        entries = []
        for message in batch:
            try:
                handler(message["Body"])
                entries.append({"Id": message["MessageId"].replace("-", "_"), "ReceiptHandle": message["ReceiptHandle"]})
            except Exception:
                pass
        if entries:
            response = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
            ok = {s["Id"] for s in response.get("Successful", [])}
            again = [e for e in entries if e["Id"] not in ok]
            if again:
                sqs.delete_message_batch(QueueUrl=queue_url, Entries=again)
''', "retrying what is not in Successful is retrying what is in Failed; MessageIds are distinct in one receive"),
    Valid("stop-wait-zero-and-logging", "run_worker", '''\
import logging


def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    log = logging.getLogger("worker")
    while not stop.wait(0):
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                       WaitTimeSeconds=wait_seconds).get("Messages", [])
        if not messages:
            continue
        handled = []
        for message in messages:
            try:
                handler(message["Body"])
            except Exception:
                log.exception("handler failed; SQS will deliver %s again", message["MessageId"])
            else:
                handled.append(message)
        if handled:
            entries = [{"Id": f"e{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(handled)]
            response = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
            failed_ids = [f["Id"] for f in response.get("Failed", [])]
            for entry in entries:
                if entry["Id"] in failed_ids:
                    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=entry["ReceiptHandle"])
''', "stop.wait(0) is stop.is_set(); logging a failure and retrying failed entries one by one are allowed"),
    Valid("helper-functions", "run_worker", '''\
def _handle_all(handler, messages):
    ok = []
    for message in messages:
        try:
            handler(message["Body"])
        except Exception:
            continue
        ok.append(message)
    return ok


def _delete(sqs, queue_url, messages):
    entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
    failed = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed") or []
    if failed:
        retry = [entries[int(f["Id"])] for f in failed]
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=retry)


def run_worker(sqs, queue_url, handler, stop, wait_seconds=1):
    while not stop.is_set():
        received = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds)
        ok = _handle_all(handler, received.get("Messages", []))
        if ok:
            _delete(sqs, queue_url, ok)
''', "the same steps in helpers; a Failed entry's Id indexes the entries list"),
]
