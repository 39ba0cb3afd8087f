"""Exercise 17 (heartbeat): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

WRONG = [
    Wrong("no-heartbeat", "handle_with_heartbeat", '''\
def handle_with_heartbeat(sqs, queue_url, message, handler, visibility_timeout, interval):
    # the queue's visibility timeout is long enough for most jobs
    try:
        handler(message["Body"])
    except Exception:
        return False
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return True
''', "test_handle_with_heartbeat_keeps_the_message_from_a_second_worker", "a heartbeat thread should extend",
          "crash"),
    Wrong("heartbeat-never-stops", "handle_with_heartbeat", '''\
import time


def handle_with_heartbeat(sqs, queue_url, message, handler, visibility_timeout, interval):
    def beat():
        while True:  # a daemon thread dies with the process
            time.sleep(interval)
            sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"],
                                          VisibilityTimeout=visibility_timeout)
    threading.Thread(target=beat, daemon=True).start()
    try:
        handler(message["Body"])
    except Exception:
        return False
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return True
''', "test_handle_with_heartbeat_stops_the_heartbeat_when_the_job_ends", "the heartbeat kept running", "contract"),
    Wrong("heartbeat-stops-only-on-success", "handle_with_heartbeat", '''\
def handle_with_heartbeat(sqs, queue_url, message, handler, visibility_timeout, interval):
    stop = threading.Event()
    beat = threading.Thread(target=keep_invisible, daemon=True,
                            args=(sqs, queue_url, message["ReceiptHandle"], visibility_timeout, interval, stop))
    beat.start()
    try:
        handler(message["Body"])
    except Exception:
        return False  # the message comes back by itself
    stop.set()
    beat.join()
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return True
''', "test_handle_with_heartbeat_stops_the_heartbeat_when_the_job_ends", "after the job failed", "crash"),
    Wrong("extension-hard-coded", "keep_invisible", '''\
def keep_invisible(sqs, queue_url, receipt_handle, visibility_timeout, interval, stop):
    while not stop.wait(interval):
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=receipt_handle, VisibilityTimeout=30)
''', "test_keep_invisible_extends_the_timeout_every_interval", "do not hard-code it", "contract"),
    Wrong("heartbeat-ignores-stop", "keep_invisible", '''\
import time


def keep_invisible(sqs, queue_url, receipt_handle, visibility_timeout, interval, stop):
    while True:
        time.sleep(interval)
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=receipt_handle,
                                      VisibilityTimeout=visibility_timeout)
''', "test_keep_invisible_extends_the_timeout_every_interval", "keep_invisible should return at once", "contract"),
]

VALID = [
    Valid("sleep-loop-and-batch-extension", "keep_invisible", '''\
import time


def keep_invisible(sqs, queue_url, receipt_handle, visibility_timeout, interval, stop):
    while not stop.is_set():
        time.sleep(interval)
        if stop.is_set():
            return
        sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=[
            {"Id": "beat", "ReceiptHandle": receipt_handle, "VisibilityTimeout": visibility_timeout}])
''', "sleeping one interval at a time notices the stop within an interval; a batch of one extends the same"),
    Valid("job-in-a-pool-heartbeat-in-the-caller", "handle_with_heartbeat", '''\
from concurrent.futures import ThreadPoolExecutor, TimeoutError as NotYet


def handle_with_heartbeat(sqs, queue_url, message, handler, visibility_timeout, interval):
    with ThreadPoolExecutor(max_workers=1) as pool:
        job = pool.submit(handler, message["Body"])
        while True:
            try:
                job.result(timeout=interval)
            except NotYet:
                sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"],
                                              VisibilityTimeout=visibility_timeout)
                continue
            except Exception:
                return False
            break
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return True
''', "the job in a pool thread and the heartbeat in the caller, ending together, is the same design turned around"),
]
