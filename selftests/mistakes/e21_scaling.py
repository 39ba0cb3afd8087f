"""Exercise 21 (scaling): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

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
]
