"""Exercise 17 (heartbeat): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

KEEP = "test_handle_with_heartbeat_keeps_the_message_from_a_second_worker"
STOPS = "test_handle_with_heartbeat_stops_the_heartbeat_when_the_job_ends"

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
    Wrong("stop-without-join", "handle_with_heartbeat", '''\
def handle_with_heartbeat(sqs, queue_url, message, handler, visibility_timeout, interval):
    stop = threading.Event()
    threading.Thread(target=keep_invisible, daemon=True,
                     args=(sqs, queue_url, message["ReceiptHandle"], visibility_timeout, interval, stop)).start()
    try:
        handler(message["Body"])
    except Exception:
        return False
    finally:
        stop.set()  # the thread sees it within an interval
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return True
''', STOPS, "wait until it has ended", "contract"),
    Wrong("one-timer-extension", "handle_with_heartbeat", '''\
def handle_with_heartbeat(sqs, queue_url, message, handler, visibility_timeout, interval):
    # one extension, a little before the timeout runs out, is enough for a job
    timer = threading.Timer(interval, sqs.change_message_visibility, kwargs={
        "QueueUrl": queue_url, "ReceiptHandle": message["ReceiptHandle"], "VisibilityTimeout": visibility_timeout})
    timer.start()
    try:
        handler(message["Body"])
    except Exception:
        return False
    finally:
        timer.cancel()
        timer.join()
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return True
''', KEEP, "a heartbeat thread should extend", "crash"),
    Wrong("extends-by-the-interval", "keep_invisible", '''\
import math


def keep_invisible(sqs, queue_url, receipt_handle, visibility_timeout, interval, stop):
    while not stop.wait(interval):
        # add one more interval to the timeout each beat
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=receipt_handle,
                                      VisibilityTimeout=math.ceil(interval))
''', "test_keep_invisible_extends_the_timeout_every_interval", "VisibilityTimeout=visibility_timeout", "contract"),
    Wrong("beats-every-visibility-timeout", "keep_invisible", '''\
def keep_invisible(sqs, queue_url, receipt_handle, visibility_timeout, interval, stop):
    # extend when the timeout is about to run out: fewer requests than every interval
    while not stop.wait(visibility_timeout):
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=receipt_handle,
                                      VisibilityTimeout=visibility_timeout)
''', "test_keep_invisible_extends_the_timeout_every_interval", "a second worker got the message", "kinder"),
    Wrong("deletes-a-failed-job", "handle_with_heartbeat", '''\
def handle_with_heartbeat(sqs, queue_url, message, handler, visibility_timeout, interval):
    stop = threading.Event()
    beat = threading.Thread(target=keep_invisible,
                            args=(sqs, queue_url, message["ReceiptHandle"], visibility_timeout, interval, stop))
    beat.start()
    try:
        handler(message["Body"])
        done = True
    except Exception:
        done = False
    finally:
        stop.set()
        beat.join()
    # the job is over either way: take the message off the queue
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return done
''', STOPS, "should not be deleted", "errors"),
    Wrong("failure-returns-none", "handle_with_heartbeat", '''\
import logging


def handle_with_heartbeat(sqs, queue_url, message, handler, visibility_timeout, interval):
    stop = threading.Event()
    beat = threading.Thread(target=keep_invisible,
                            args=(sqs, queue_url, message["ReceiptHandle"], visibility_timeout, interval, stop))
    beat.start()
    try:
        handler(message["Body"])
    except Exception:
        logging.exception("job failed")
        return
    finally:
        stop.set()
        beat.join()
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return True
''', STOPS, "should return False", "contract"),
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
    Valid("deadline-loop", "keep_invisible", '''\
import time


def keep_invisible(sqs, queue_url, receipt_handle, visibility_timeout, interval, stop):
    next_beat = time.monotonic() + interval
    while True:
        if stop.wait(max(0.0, next_beat - time.monotonic())):
            return
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=receipt_handle,
                                      VisibilityTimeout=visibility_timeout)
        next_beat += interval
''', "a beat on a fixed schedule (deadline kept with time.monotonic), waiting on stop, is every interval too"),
    Valid("timer-chain", "handle_with_heartbeat", '''\
def handle_with_heartbeat(sqs, queue_url, message, handler, visibility_timeout, interval):
    lock = threading.Lock()
    state = {"ended": False, "timer": None}

    def beat():
        with lock:
            if state["ended"]:
                return
            sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"],
                                          VisibilityTimeout=visibility_timeout)
            state["timer"] = threading.Timer(interval, beat)
            state["timer"].start()

    with lock:
        state["timer"] = threading.Timer(interval, beat)
        state["timer"].start()
    try:
        handler(message["Body"])
        ok = True
    except Exception:
        ok = False
    finally:
        with lock:  # waits for a beat in flight; no new one starts after this
            state["ended"] = True
            state["timer"].cancel()
            last = state["timer"]
        last.join()
    if ok:
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return ok
''', "a chain of threading.Timer beats, cancelled under a lock when the job ends, stops as surely as a thread"),
    Valid("try-else-daemon-thread", "handle_with_heartbeat", '''\
def handle_with_heartbeat(sqs, queue_url, message, handler, visibility_timeout, interval):
    receipt = message["ReceiptHandle"]
    stop = threading.Event()
    heartbeat = threading.Thread(target=keep_invisible, daemon=True, name="heartbeat",
                                 args=(sqs, queue_url, receipt, visibility_timeout, interval, stop))
    heartbeat.start()
    try:
        handler(message["Body"])
    except Exception:
        succeeded = False
    else:
        succeeded = True
    finally:
        stop.set()
        heartbeat.join()
    if not succeeded:
        return False
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=receipt)
    return True
''', "try/except/else with the flag, a daemon heartbeat joined in finally: the same order of steps"),
    Valid("executor-heartbeat", "handle_with_heartbeat", '''\
from concurrent.futures import ThreadPoolExecutor


def handle_with_heartbeat(sqs, queue_url, message, handler, visibility_timeout, interval):
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        beat = pool.submit(keep_invisible, sqs, queue_url, message["ReceiptHandle"], visibility_timeout, interval,
                           stop)
        try:
            handler(message["Body"])
        except Exception:
            return False
        finally:
            stop.set()
            beat.result()
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return True
''', "keep_invisible in a one-thread pool, its future waited on after stop, ends like a joined thread"),
    Valid("extends-at-once-then-every-interval", "keep_invisible", '''\
def keep_invisible(sqs, queue_url, receipt_handle, visibility_timeout, interval, stop):
    while not stop.is_set():
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=receipt_handle,
                                      VisibilityTimeout=visibility_timeout)
        if stop.wait(interval):
            return
''', "one extension as the heartbeat starts, then one every interval: the message is never hidden less"),
]
