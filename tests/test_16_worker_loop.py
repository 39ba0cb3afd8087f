"""Exercise 16 -- the worker loop: long-poll in batches, handle, delete only what was handled, stop cleanly.

The learner's run_worker runs in the test's thread; the grader stops it with the `stop` event it passes in (set by
its handler, or by a ReceiveGuard after enough receives) and ends it with a learner message if it will not stop.
"""

import threading
from typing import Any

import pytest

from sqs_kata.checks import expect, expect_equal
from sqs_kata.observe import (MAX_RECEIVE, ReceivedBatches, SentRequests, bodies, counts, eventually,
                              fewer_per_receive, numbered_bodies, receive_all, send_batched)
from sqs_kata.workers import ReceiveGuard, stopped_in_time


class HandlerFailed(Exception):
    """What a handler raises for a message it cannot handle (the learner's worker must survive it)."""


def _left(sqs: Any, url: str, clock: Any) -> dict[str, int]:
    """What the queue still holds, visible and in flight (SQS's counts are approximate and may lag a moment)."""
    seen: dict[str, int] = {}

    def empty() -> bool:
        seen.update(counts(sqs, url))
        return seen["visible"] == seen["in_flight"] == 0

    eventually(empty, clock)
    return {"visible": seen["visible"], "in_flight": seen["in_flight"]}


class ReceivedHandles:
    """The receipt handles the learner's receives handed out, as its code saw them (after the realism layer)."""

    def __init__(self, sqs: Any) -> None:
        self._sqs = sqs
        self.handles: list[str] = []

    def _record(self, parsed: dict[str, Any], model: Any, http_response: Any, **_: Any) -> None:
        if model.name == "ReceiveMessage" and http_response.status_code < 300:
            self.handles.extend(m.get("ReceiptHandle") for m in parsed.get("Messages", []))

    def __enter__(self) -> list[str]:
        self._sqs.meta.events.register_last("after-call.sqs", self._record)
        return self.handles

    def __exit__(self, *_: object) -> None:
        self._sqs.meta.events.unregister("after-call.sqs", self._record)


def _deleted_handles(requests: Any) -> set[str]:
    return {r.get("ReceiptHandle") for r in requests["DeleteMessage"]} | {
        e.get("ReceiptHandle") for r in requests["DeleteMessageBatch"] for e in r.get("Entries", [])}


def _receives(guard: ReceiveGuard) -> list[tuple[Any, Any]]:
    return [(r.get("MaxNumberOfMessages"), r.get("WaitTimeSeconds")) for r in guard.receives]


@pytest.mark.realism(duplicates=True)
def test_run_worker_handles_every_message_and_deletes_it(sqs, kata, make_queue, clock):
    """SQS hands out fewer than asked at times and delivers a message twice (at least once)."""
    url = make_queue()
    sent = numbered_bodies(25)
    send_batched(sqs, url, sent)
    stop = threading.Event()
    handled: list[str] = []

    def handler(body: str) -> None:
        handled.append(body)
        if set(sent) <= set(handled):
            stop.set()

    with ReceiveGuard(sqs, stop) as guard, ReceivedHandles(sqs) as received, SentRequests(sqs) as requests:
        stopped_in_time(lambda: kata.run_worker(sqs, url, handler, stop, 2), guard)
    expect(set(handled) == set(sent),
           zh="佇列裡的每則訊息都要交給 handler", en="every message on the queue should reach the handler",
           expected=f"{len(sent)} bodies", seen=f"{len(set(handled) & set(sent))} of them")
    expect(all(r == (MAX_RECEIVE, 2) for r in _receives(guard)),
           zh="每次接收都要一次拿 10 則（MaxNumberOfMessages=10），並長輪詢 WaitTimeSeconds=wait_seconds（這裡是 2，不要寫死）",
           en="every receive should ask for 10 (MaxNumberOfMessages=10) and long-poll with "
              "WaitTimeSeconds=wait_seconds (2 here; do not hard-code it)",
           expected=f"(MaxNumberOfMessages, WaitTimeSeconds) = {(MAX_RECEIVE, 2)} on every receive",
           seen=_receives(guard))
    # A second delivery is a copy SQS really holds (a server missed the delete): each delivery has its own receipt
    # handle, and a copy that is not deleted with it comes back after its visibility timeout, again and again.
    kept = [handle for handle in received if handle not in _deleted_handles(requests)]
    expect(not kept,
           zh="每一份收到的訊息都要用它自己的 ReceiptHandle 刪除，重複收到的那份也要：沒刪的那份過了可見性逾時會再回來",
           en="every copy received should be deleted with its own ReceiptHandle, a copy delivered twice too: a copy "
              "not deleted comes back after its visibility timeout",
           expected="a DeleteMessage(Batch) entry for every receipt handle received",
           seen=f"{len(kept)} of {len(received)} receipt handles never deleted")
    left = _left(sqs, url, clock)
    expect(left == {"visible": 0, "in_flight": 0},
           zh="處理完的每則訊息都要刪除（重複收到的那份也要刪），佇列最後要是空的",
           en="every message handled should be deleted (a copy delivered twice too): the queue should end empty",
           expected={"visible": 0, "in_flight": 0}, seen=left)


def test_run_worker_deletes_a_message_only_after_handling_it(sqs, kata, make_queue, crash, clock):
    """A worker killed mid-batch: the message it died on must still be on the queue (SQS delivers it again), and
    what it finished in an earlier receive must be deleted already."""
    url = make_queue(VisibilityTimeout=1)
    sent = numbered_bodies(6)
    send_batched(sqs, url, sent)
    handler = crash.handler(after=3)
    stop = threading.Event()
    with ReceivedBatches(sqs) as batches, fewer_per_receive(sqs, 2), ReceiveGuard(sqs, stop) as guard, \
            crash.survived():
        stopped_in_time(lambda: kata.run_worker(sqs, url, handler, stop, 1), guard)
    expect(handler.crashed_on is not None, zh="佇列裡還有訊息時要繼續接收、處理",
           en="should keep receiving and handling while messages are left", expected="4 messages handled",
           seen=handler.handled)
    died_in = next((i for i, batch in enumerate(batches) if handler.crashed_on in batch), len(batches))
    earlier = {body for batch in batches[:died_in] for body in batch} & set(handler.handled)
    clock.advance(1.5)  # past the visibility timeout: whatever was not deleted is back
    left = set(bodies(receive_all(sqs, url, wait=1, visibility=30)))
    expect(handler.crashed_on in left,
           zh="處理到一半當掉的那則訊息要留在佇列裡：處理完才刪除，不是先刪再處理（先刪的話，worker 當掉就弄丟了）",
           en="the message the worker died on should still be on the queue: delete after handling, never before "
              "(deleted first, it is lost when the worker dies)", expected=handler.crashed_on, seen=sorted(left))
    expect(not earlier & left,
           zh="更早那次接收裡處理完的訊息，在下一次接收之前就該刪除",
           en="messages handled from an earlier receive should have been deleted before the next receive",
           expected=f"none of {sorted(earlier)}", seen=sorted(earlier & left))


def test_run_worker_leaves_a_failed_message_for_redelivery(sqs, kata, make_queue, clock):
    """A handler that raises failed that message: it must not be deleted (SQS delivers it again after its
    visibility timeout), and the worker must go on with the others."""
    url = make_queue(VisibilityTimeout=1)
    good = numbered_bodies(6)
    bad = [f"bad-{body}" for body in numbered_bodies(2)]
    send_batched(sqs, url, bad[:1] + good + bad[1:])
    stop = threading.Event()
    handled: list[str] = []
    tried: set[str] = set()

    def handler(body: str) -> None:
        if body in bad:
            tried.add(body)
        else:
            handled.append(body)
        if set(good) <= set(handled) and tried == set(bad):
            stop.set()
        if body in bad:
            raise HandlerFailed(f"the handler failed on {body!r} (on purpose: a worker catches a handler's "
                                "exception, leaves that message on the queue and goes on)")

    with ReceivedBatches(sqs) as batches, ReceiveGuard(sqs, stop) as guard:
        stopped_in_time(lambda: kata.run_worker(sqs, url, handler, stop, 1), guard)
    expect(set(good) <= set(handled), zh="handler 失敗的訊息之外，其他訊息都要處理",
           en="every other message should be handled when the handler fails on one",
           expected=sorted(good), seen=sorted(set(handled)))
    again = sorted(body for body in good if sum(batch.count(body) for batch in batches) > 1)
    expect(not again,
           zh="一則訊息失敗之後，同一批的其他訊息要接著處理、刪除：它們不該再被送一次",
           en="after one message fails, go on with the other messages of the same batch and delete them: they "
              "should not need to be delivered again", expected="each good message received once", seen=again)
    clock.advance(1.5)  # past the visibility timeout: what was not deleted is visible again
    left = set(bodies(receive_all(sqs, url, wait=1, visibility=30)))
    expect(set(bad) <= left,
           zh="handler 失敗的訊息不可以刪除：留在佇列裡，SQS 過了可見性逾時會再送一次（刪掉就等於把失敗吞掉了）",
           en="a message whose handler failed should not be deleted: leave it on the queue and SQS delivers it "
              "again after its visibility timeout (deleting failures too swallows them)",
           expected=sorted(bad), seen=sorted(left))
    expect(not set(good) & left, zh="處理成功的訊息都要刪除", en="every message handled should be deleted",
           expected="none of the handled messages", seen=sorted(set(good) & left))


@pytest.mark.realism(fewer=0)
def test_run_worker_retries_what_the_batch_delete_reports_failed(sqs, kata, make_queue, faults, clock):
    """DeleteMessageBatch can succeed as a request while one entry fails (its Failed list): that message is not
    deleted, and comes back after its visibility timeout unless the worker deletes it again. The failed entry is
    the second one, so the Failed list has to be read (SQS lists it by Id, in no particular order)."""
    url = make_queue()
    sent = numbered_bodies(4)
    send_batched(sqs, url, sent)
    faults.entry("DeleteMessageBatch", 1, "InternalError")
    stop = threading.Event()
    handled: list[str] = []

    def handler(body: str) -> None:
        handled.append(body)
        if set(sent) <= set(handled):
            stop.set()

    with ReceiveGuard(sqs, stop) as guard:
        stopped_in_time(lambda: kata.run_worker(sqs, url, handler, stop, 1), guard)
    left = _left(sqs, url, clock)
    expect(left == {"visible": 0, "in_flight": 0},
           zh="DeleteMessageBatch 的回應裡有 Failed：那則訊息沒有被刪掉。要檢查 Failed，把失敗的項目再刪一次",
           en="DeleteMessageBatch answered with an entry in Failed: that message was not deleted. Check the "
              "Failed list and delete the failed entries again",
           expected={"visible": 0, "in_flight": 0}, seen=left)


@pytest.mark.realism(fewer=0)
def test_run_worker_finishes_the_batch_in_hand_when_stopped(sqs, kata, make_queue, clock):
    """A stop signal (a deploy, a scale-in) ends the loop, but the messages already received are finished and
    deleted first: abandoned, they would stay invisible until their visibility timeout."""
    url = make_queue()
    sent = numbered_bodies(10)
    send_batched(sqs, url, sent)
    stop = threading.Event()
    handled: list[str] = []

    def handler(body: str) -> None:
        handled.append(body)
        if len(handled) == 2:
            stop.set()  # the signal arrives while the worker is busy with a batch

    with ReceiveGuard(sqs, stop) as guard:
        stopped_in_time(lambda: kata.run_worker(sqs, url, handler, stop, 1), guard)
    expect_equal(guard.after_stop, 0,
                 zh="stop 設定之後不可以再接收：先把手上這批做完、刪掉，然後 return",
                 en="no receive after stop is set: finish and delete the batch in hand, then return")
    expect(sorted(handled) == sorted(sent),
           zh="stop 設定的時候手上那批訊息要做完：已經收下的每一則都要交給 handler",
           en="when stop is set, finish the batch in hand: every message already received should reach the "
              "handler", expected=f"all {len(sent)} of the batch", seen=f"{len(handled)}")
    left = _left(sqs, url, clock)
    expect(left == {"visible": 0, "in_flight": 0}, zh="停下來之前，手上那批處理完的訊息都要刪除",
           en="before stopping, the handled messages of the batch in hand should be deleted",
           expected={"visible": 0, "in_flight": 0}, seen=left)


def test_run_worker_long_polls_while_the_queue_is_empty(sqs, kata, make_queue, meter):
    """An idle worker waits on the server (WaitTimeSeconds), it does not spin: every short poll of an empty queue
    comes back at once and is billed -- a busy loop of requests for nothing."""
    url = make_queue()
    stop = threading.Event()
    with ReceiveGuard(sqs, stop, until=lambda: len(guard.receives) >= 2) as guard:
        stopped_in_time(lambda: kata.run_worker(sqs, url, lambda body: None, stop, 1), guard)
    expect(meter.usage.short_polls == 0 and all(r == (MAX_RECEIVE, 1) for r in _receives(guard)),
           zh="佇列是空的時候要長輪詢：每次 ReceiveMessage 都帶 WaitTimeSeconds=wait_seconds（這裡是 1）和 "
              "MaxNumberOfMessages=10。短輪詢（WaitTimeSeconds=0）會馬上空手回來，變成一直發請求的忙迴圈，每次都要付錢",
           en="on an empty queue, long-poll: every ReceiveMessage with WaitTimeSeconds=wait_seconds (1 here) and "
              "MaxNumberOfMessages=10. A short poll (WaitTimeSeconds=0) comes back empty at once: a busy loop of "
              "requests, each one billed",
           expected=f"(MaxNumberOfMessages, WaitTimeSeconds) = {(MAX_RECEIVE, 1)}", seen=_receives(guard))
    expect(stop.is_set(),
           zh="佇列空了 worker 也要繼續等下一批：只有 stop 設定了才 return（這裡兩次接收都是空的，它就自己停了）",
           en="a worker keeps polling while the queue is empty: it returns only once stop is set (here it returned "
              "by itself after an empty receive)", expected="still polling until stop is set",
           seen=f"returned after {len(guard.receives)} receive(s)")
    expect_equal(guard.after_stop, 0, zh="stop 設定之後就不要再接收", en="no receive after stop is set")
