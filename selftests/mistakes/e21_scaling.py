"""Exercise 21 (scaling): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

DEPTH = "test_queue_depth_reads_waiting_and_in_flight_as_sqs_counts_them"
WORKERS = "test_start_workers_runs_that_many_workers_at_once_and_stop_joins_them"

WRONG = [
    Wrong("depth-by-receiving", "queue_depth", '''\
def queue_depth(sqs, queue_url):
    # count what a receive can see; the in-flight ones are the queue's own count
    got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url,
                                          AttributeNames=["ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return len(got), int(attributes["ApproximateNumberOfMessagesNotVisible"])
''', "test_queue_depth_reads_waiting_and_in_flight_as_sqs_counts_them", "do not count by receiving", "contract"),
    Wrong("depth-as-strings", "queue_depth", '''\
def queue_depth(sqs, queue_url):
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    return attributes[names[0]], attributes[names[1]]
''', "test_queue_depth_reads_waiting_and_in_flight_as_sqs_counts_them", "both ints", "edge"),
    Wrong("stop-does-not-wait", "start_workers", '''\
def start_workers(sqs, queue_url, count, handler, wait_seconds=1):
    stop = threading.Event()

    def work():
        while not stop.is_set():
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                           WaitTimeSeconds=wait_seconds).get("Messages", [])
            for message in messages:
                try:
                    handler(message["Body"])
                except Exception:
                    continue
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

    for _ in range(count):
        threading.Thread(target=work, daemon=True).start()
    return stop.set  # the threads see it and end by themselves
''', "test_start_workers_runs_that_many_workers_at_once_and_stop_joins_them", "then join() each one", "contract"),
    Wrong("one-worker-whatever-the-count", "start_workers", '''\
def start_workers(sqs, queue_url, count, handler, wait_seconds=1):
    stop = threading.Event()

    def work():
        while not stop.is_set():
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                           WaitTimeSeconds=wait_seconds).get("Messages", [])
            for message in messages:
                try:
                    handler(message["Body"])
                except Exception:
                    continue
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

    thread = threading.Thread(target=work)  # one thread handles ten messages at a time already
    thread.start()

    def stop_all():
        stop.set()
        thread.join()
    return stop_all
''', "test_start_workers_runs_that_many_workers_at_once_and_stop_joins_them", "at the same time", "contract"),
    Wrong("depth-counts-delayed-as-waiting", "queue_depth", '''\
def queue_depth(sqs, queue_url):
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    waiting = int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesDelayed"])
    return waiting, int(attributes["ApproximateNumberOfMessagesNotVisible"])
''', DEPTH, "a delayed message is in neither", "edge"),
    Wrong("depth-unpacks-the-values", "queue_depth", '''\
def queue_depth(sqs, queue_url):
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    waiting, in_flight = attributes.values()  # in the order asked for
    return int(waiting), int(in_flight)
''', DEPTH, "should return (ApproximateNumberOfMessages", "kinder"),
    Wrong("one-fewer-worker", "start_workers", '''\
def start_workers(sqs, queue_url, count, handler, wait_seconds=1):
    stop = threading.Event()

    def work():
        while not stop.is_set():
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                           WaitTimeSeconds=wait_seconds).get("Messages", [])
            for message in messages:
                try:
                    handler(message["Body"])
                except Exception:
                    continue
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

    threads = [threading.Thread(target=work) for _ in range(1, count)]  # the caller is worker number one
    for thread in threads:
        thread.start()

    def stop_all():
        stop.set()
        for thread in threads:
            thread.join()
    return stop_all
''', WORKERS, "at the same time", "contract"),
    Wrong("deletes-the-failed-message-too", "start_workers", '''\
def start_workers(sqs, queue_url, count, handler, wait_seconds=1):
    stop = threading.Event()

    def work():
        while not stop.is_set():
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                           WaitTimeSeconds=wait_seconds).get("Messages", [])
            for message in messages:
                try:
                    handler(message["Body"])
                except Exception:
                    pass  # logged by the handler
            if messages:
                sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])

    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()

    def stop_all():
        stop.set()
        for thread in threads:
            thread.join()
    return stop_all
''', WORKERS, "the one whose handler failed left on the queue", "errors"),
    Wrong("stop-joins-with-a-timeout", "start_workers", '''\
def start_workers(sqs, queue_url, count, handler, wait_seconds=1):
    stop = threading.Event()

    def work():
        while not stop.is_set():
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                           WaitTimeSeconds=wait_seconds).get("Messages", [])
            for message in messages:
                try:
                    handler(message["Body"])
                except Exception:
                    continue
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

    threads = [threading.Thread(target=work, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()

    def stop_all():
        stop.set()
        for thread in threads:
            thread.join(timeout=0.1)  # do not hang the caller
    return stop_all
''', WORKERS, "every worker thread should have ended", "contract"),
]

VALID = [
    Valid("depth-from-all-attributes", "queue_depth", '''\
def queue_depth(sqs, queue_url):
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    return (int(attributes["ApproximateNumberOfMessages"]), int(attributes["ApproximateNumberOfMessagesNotVisible"]))
''', "asking for All attributes returns the same counts"),
    Valid("workers-in-a-pool", "start_workers", '''\
from concurrent.futures import ThreadPoolExecutor


def start_workers(sqs, queue_url, count, handler, wait_seconds=1):
    stop = threading.Event()

    def work():
        while not stop.is_set():
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                           WaitTimeSeconds=wait_seconds).get("Messages", [])
            for message in messages:
                try:
                    handler(message["Body"])
                except Exception:
                    continue
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

    pool = ThreadPoolExecutor(max_workers=count)
    for _ in range(count):
        pool.submit(work)

    def stop_all():
        stop.set()
        pool.shutdown(wait=True)
    return stop_all
''', "a pool of count threads, shut down with wait=True, starts and joins the same workers"),
    Valid("depth-two-reads-with-defaults", "queue_depth", '''\
def queue_depth(sqs, queue_url):
    def read(name):
        attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=[name]).get("Attributes", {})
        return int(attributes.get(name, "0"))
    return read("ApproximateNumberOfMessages"), read("ApproximateNumberOfMessagesNotVisible")
''', "one GetQueueAttributes per count, with a default of 0, reads the same approximate counts"),
    Valid("thread-subclass-workers", "start_workers", '''\
class _Worker(threading.Thread):
    def __init__(self, sqs, queue_url, handler, wait_seconds, stop):
        super().__init__(daemon=True)
        self.sqs, self.queue_url, self.handler, self.wait_seconds, self.stop = (
            sqs, queue_url, handler, wait_seconds, stop)

    def run(self):
        while not self.stop.is_set():
            response = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10,
                                                WaitTimeSeconds=self.wait_seconds)
            entries = []
            for i, message in enumerate(response.get("Messages", [])):
                try:
                    self.handler(message["Body"])
                except Exception:
                    continue
                entries.append({"Id": f"m{i}", "ReceiptHandle": message["ReceiptHandle"]})
            if entries:
                failed = {f["Id"] for f in self.sqs.delete_message_batch(QueueUrl=self.queue_url, Entries=entries)
                          .get("Failed", [])}
                if failed:
                    self.sqs.delete_message_batch(QueueUrl=self.queue_url,
                                                  Entries=[e for e in entries if e["Id"] in failed])


def start_workers(sqs, queue_url, count, handler, wait_seconds=1):
    stop = threading.Event()
    workers = [_Worker(sqs, queue_url, handler, wait_seconds, stop) for _ in range(count)]
    for worker in workers:
        worker.start()

    def stop_all():
        stop.set()
        for worker in workers:
            worker.join()
    return stop_all
''', "daemon Thread subclasses, joined one by one after the shared stop is set, are the same workers"),
    Valid("stop-object-with-call", "start_workers", '''\
import functools


def _work(sqs, queue_url, handler, wait_seconds, stop):
    while not stop.wait(0):
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=MAX_BATCH,
                                       WaitTimeSeconds=wait_seconds).get("Messages") or []
        handled = []
        for message in messages:
            try:
                handler(message["Body"])
                handled.append(message)
            except Exception:
                pass
        for message in handled:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])


def _stop(stop, threads):
    stop.set()
    while threads:
        threads.pop().join()


def start_workers(sqs, queue_url, count, handler, wait_seconds=1):
    stop = threading.Event()
    threads = []
    for n in range(count):
        thread = threading.Thread(target=_work, args=(sqs, queue_url, handler, wait_seconds, stop),
                                  name=f"worker-{n}")
        thread.start()
        threads.append(thread)
    return functools.partial(_stop, stop, threads)
''', "a functools.partial is a callable stop(); deletes one by one after handling are allowed"),
]
