"""Exercise 21 -- scaling: queue depth read from SQS's own counts, and several workers on one queue.

start_workers runs in threads the learner's code starts; stop() must end and join them all. Whatever it leaves
running is ended by the grader (sqs_kata.workers.learner_threads), so no thread outlives the test.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from sqs_kata.checks import expect, expect_equal
from sqs_kata.observe import MAX_RECEIVE, SentRequests, counts, numbered_bodies, receive_all, send_batched
from sqs_kata.workers import learner_threads

# Real seconds the grader waits for the workers (they only need a fraction of it).
PATIENCE = 10.0
HELD = 1.0  # real seconds a long poll on the empty queue stays in flight: what SQS holds it, WaitTimeSeconds (1 here)


def test_queue_depth_reads_waiting_and_in_flight_as_sqs_counts_them(sqs, kata, make_queue):
    url = make_queue()
    send_batched(sqs, url, numbered_bodies(7))
    receive_all(sqs, url, expect=3, visibility=60, MaxNumberOfMessages=3, rounds=3)
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=60)  # delayed: neither waiting nor in flight
    before = counts(sqs, url)
    depth = kata.queue_depth(sqs, url)
    after = counts(sqs, url)
    expect_equal(after, before,
                 zh="讀佇列深度不可以改變它：不要用接收來數（接收會把訊息藏起來），讀佇列屬性",
                 en="reading the depth must not change it: do not count by receiving (a receive hides messages); "
                    "read the queue's attributes")
    expected = (before["visible"], before["in_flight"])
    shown = tuple(depth) if isinstance(depth, (tuple, list)) else depth
    expect(shown == expected and all(type(n) is int for n in shown),
           zh="queue_depth 要回傳 (ApproximateNumberOfMessages, ApproximateNumberOfMessagesNotVisible)，兩個都是 int"
              "（延遲中的訊息兩個都不算）",
           en="queue_depth should return (ApproximateNumberOfMessages, ApproximateNumberOfMessagesNotVisible), both "
              "ints (a delayed message is in neither)", expected=expected, seen=depth)


# Long polls held HELD seconds and workers started and joined: over a second when idle, more on a busy machine. This
# test keeps the usual limit even when a run shortens it for every other test (--timeout, as the selftests do to catch
# endless loops quickly).
@pytest.mark.timeout(30)
def test_start_workers_runs_that_many_workers_at_once_and_stop_joins_them(sqs, kata, make_queue, clock, meter):
    # On moto every empty long poll moves the shared simulated clock on by its wait: with several workers polling,
    # a short visibility timeout could run out while a worker still holds a message, which SQS would not do.
    url = make_queue(VisibilityTimeout=600)
    sent = numbered_bodies(30)
    bad = f"bad-{sent[0]}"  # its handler fails: the worker goes on, the message stays on the queue
    send_batched(sqs, url, sent[:15] + [bad] + sent[15:])
    count = 3
    meet = threading.Barrier(count, timeout=2.0)  # the first message of each worker waits for the others
    lock = threading.Lock()
    handled: list[str] = []
    workers: set[int] = set()
    all_done = threading.Event()

    def handler(body: str) -> None:
        if body == bad:
            raise ValueError(f"cannot handle {body!r} (on purpose: a worker leaves it on the queue and goes on)")
        first = False
        with lock:
            if threading.get_ident() not in workers:
                workers.add(threading.get_ident())
                first = True
        if first:
            try:
                meet.wait()
            except threading.BrokenBarrierError:
                pass
        with lock:
            handled.append(body)
            if set(sent) <= set(handled):
                all_done.set()

    def long_poll_in_flight(**_: Any) -> None:
        # Once the queue is empty, a worker's long poll really waits on SQS: keep each one in flight a moment, so
        # a stop() that does not wait for its workers returns while they are still running.
        if all_done.is_set() and threading.current_thread() is not main:
            time.sleep(HELD)

    main = threading.current_thread()
    sqs.meta.events.register("before-call.sqs.ReceiveMessage", long_poll_in_flight)
    with SentRequests(sqs) as requests, learner_threads(sqs, grace=1.0) as threads:
        stop = kata.start_workers(sqs, url, count, handler, 1)
        expect(callable(stop), zh="start_workers 要回傳一個 stop() 函式", en="start_workers should return a stop() "
               "function", expected="a function", seen=stop)
        all_done.wait(PATIENCE)
        time.sleep(HELD / 2)  # every worker is inside a long poll by now
        started = threads.started()
        stop()
        running = [t.name for t in started if t.is_alive()]
    expect(len(workers) == count and not meet.broken,
           zh=f"要同時有 {count} 個 worker（count 條執行緒）一起處理訊息",
           en=f"{count} workers (count threads) should be handling messages at the same time",
           expected=f"{count} threads at once", seen=f"{len(workers)} thread(s)")
    expect(set(sent) <= set(handled), zh="佇列裡的每則訊息都要交給 handler",
           en="every message on the queue should reach the handler", expected=f"{len(sent)} bodies",
           seen=f"{len(set(handled) & set(sent))} of them")
    expect(not running and not threads.left,
           zh="stop() 回來的時候，每條 worker 執行緒都要已經結束：先設定停止的事件，再 join() 每一條",
           en="when stop() returns every worker thread should have ended: set the stop event, then join() each one",
           expected="no worker left", seen=running or [t.name for t in threads.left])
    waits = {(c.get("MaxNumberOfMessages"), c.get("WaitTimeSeconds")) for c in requests["ReceiveMessage"]}
    expect(waits == {(MAX_RECEIVE, 1)} and meter.usage.short_polls == 0,
           zh="每個 worker 都要長輪詢：MaxNumberOfMessages=10、WaitTimeSeconds=wait_seconds（這裡是 1）",
           en="every worker should long-poll: MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds (1 here)",
           expected={(MAX_RECEIVE, 1)}, seen=waits)
    left = counts(sqs, url)
    expect(left["visible"] + left["in_flight"] == 1,
           zh="處理完的每則訊息都要刪除；handler 失敗的那則要留在佇列裡",
           en="every message handled should be deleted, and the one whose handler failed left on the queue",
           expected="1 message left (the failed one)", seen=left)
