"""Exercise 19 -- poison messages: a message that always fails ends in the DLQ after maxReceiveCount receives,
and the other messages are handled meanwhile.

The grader makes the queues itself for consume() (make_work_queues is graded on its own), runs the learner's
worker in the test's thread and stops it once every good message was handled and the poison message reached the
DLQ -- or once the worker has stopped making progress on it.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from sqs_kata.checks import expect, expect_equal, expect_queue_created
from sqs_kata.observe import MAX_RECEIVE, attribute, bodies, counts, numbered_bodies, receive_all, send_batched, word
from sqs_kata.workers import CallLog, ReceiveGuard, Runaway, stopped_in_time

MAX_RECEIVES = 3
# Receives without a new try of the poison message, once every good one is done: the worker has given up on it.
STALLED = 3


NOT_IN_DLQ = {
    "zh": "毒訊息最後要在 DLQ 裡：失敗的訊息不可以刪掉（那就弄丟了），也不可以重新送一份（新的那份接收次數從 0 開始，"
          "永遠到不了 DLQ）；讓 SQS 數接收次數",
    "en": "the poison message should end in the DLQ: never delete a message whose handler failed (that loses it), "
          "never send it again (a new copy starts its receive count at 0 and never reaches the DLQ); let SQS count "
          "the receives"}


class HandlerFailed(Exception):
    """What the handler raises for the poison message, every time."""


class Scenario:
    """One poison message sent first, then good ones, on a queue with a redrive policy; what the worker did."""

    def __init__(self, sqs: Any, make_queue: Any, live: bool, retry_after: int) -> None:
        self.dlq = make_queue("dlq")
        arn = attribute(sqs, self.dlq, "QueueArn")
        self.url = make_queue(VisibilityTimeout=2 if live else 30, RedrivePolicy=json.dumps(
            {"deadLetterTargetArn": arn, "maxReceiveCount": str(MAX_RECEIVES)}))
        self.poison = word("poison")
        self.good = numbered_bodies(9)
        sqs.send_message(QueueUrl=self.url, MessageBody=self.poison)
        send_batched(sqs, self.url, self.good)
        self.retry_after = retry_after
        self.handled: list[str] = []
        self.tries = 0
        self.receives_at_last_try = 0
        self.guard: ReceiveGuard = ReceiveGuard(sqs, threading.Event())  # replaced by run()

    def handler(self, body: str) -> None:
        if body != self.poison:
            self.handled.append(body)
            if set(self.good) <= set(self.handled):
                # From here on only the poison message is left: count the receives that miss it from now.
                self.receives_at_last_try = max(self.receives_at_last_try, len(self.guard.receives))
            return
        self.tries += 1
        self.receives_at_last_try = len(self.guard.receives)
        if self.tries > 4 * MAX_RECEIVES:  # retried in place, again and again: the rest wait behind it
            raise Runaway("the poison message was retried in place")
        raise HandlerFailed(f"cannot handle {body!r} (a poison message: it fails every time)")

    def run(self, sqs: Any, kata: Any, checker: Any, zh: str, en: str) -> CallLog:
        stop = threading.Event()

        def done() -> bool:
            if not set(self.good) <= set(self.handled):
                return False
            stalled = len(self.guard.receives) - self.receives_at_last_try >= STALLED
            return stalled or counts(checker, self.dlq)["visible"] > 0

        with CallLog(sqs, "ChangeMessageVisibility", "ChangeMessageVisibilityBatch") as log, \
                ReceiveGuard(sqs, stop, until=done, limit=20) as self.guard:
            stopped_in_time(lambda: kata.consume(sqs, self.url, self.handler, stop, 1, self.retry_after), self.guard,
                            zh=zh, en=en)
        return log


@pytest.fixture
def checker(sqs_backend: Any) -> Any:
    """The grader's own client, for looking at the DLQ while the learner's worker runs."""
    client = sqs_backend.new_client()
    yield client
    client.close()


def test_make_work_queues_moves_a_message_to_the_dlq_after_max_receives(sqs, kata, queue_name, clock):
    url, dlq_url = kata.make_work_queues(sqs, queue_name, MAX_RECEIVES, 7)
    expect_queue_created(sqs, queue_name, url)
    expect_queue_created(sqs, f"{queue_name}-dlq", dlq_url)
    policy = json.loads(attribute(sqs, url, "RedrivePolicy") or "{}")
    expect_equal((policy.get("deadLetterTargetArn"), int(policy.get("maxReceiveCount", 0))),
                 (attribute(sqs, dlq_url, "QueueArn"), MAX_RECEIVES),
                 zh="工作佇列的 RedrivePolicy 要指向 DLQ 的 ARN，maxReceiveCount=max_receive_count",
                 en="the work queue's RedrivePolicy should name the DLQ's ARN with maxReceiveCount=max_receive_count")
    expect_equal(attribute(sqs, url, "VisibilityTimeout"), "7",
                 zh="工作佇列的 VisibilityTimeout 要是 visibility_timeout（這裡是 7）",
                 en="the work queue's VisibilityTimeout should be visibility_timeout (7 here)")
    poison = word("poison")
    sqs.send_message(QueueUrl=url, MessageBody=poison)
    for _ in range(MAX_RECEIVES):  # a worker took it and failed, MAX_RECEIVES times
        receive_all(sqs, url, expect=1, visibility=0)
    receive_all(sqs, url, expect=1, visibility=0)  # the next receive finds it over the limit and moves it
    expect_equal(bodies(receive_all(sqs, dlq_url, expect=1)), [poison],
                 zh=f"收了 {MAX_RECEIVES} 次都沒刪的訊息應該被 SQS 搬到 DLQ",
                 en=f"a message received {MAX_RECEIVES} times and never deleted should be moved to the DLQ by SQS")


def test_consume_lets_the_poison_message_go_to_the_dlq(sqs, kata, make_queue, sqs_backend, checker):
    scenario = Scenario(sqs, make_queue, sqs_backend.live, retry_after=0)
    log = scenario.run(sqs, kata, checker, zh=NOT_IN_DLQ["zh"], en=NOT_IN_DLQ["en"])
    in_dlq = bodies(receive_all(sqs, scenario.dlq, expect=1))
    expect(in_dlq == [scenario.poison], **NOT_IN_DLQ, expected=[scenario.poison], seen=in_dlq)
    expect(bool(log.calls),
           zh="handler 失敗的訊息要用 ChangeMessageVisibility(VisibilityTimeout=retry_after) 交回給 SQS，"
              "不要等整個可見性逾時",
           en="hand a message whose handler failed back to SQS with ChangeMessageVisibility("
              "VisibilityTimeout=retry_after) instead of waiting the whole visibility timeout",
           expected="ChangeMessageVisibility after the failure", seen="none")
    left = counts(sqs, scenario.url)
    expect(left["visible"] == left["in_flight"] == 0,
           zh="處理完的訊息都要刪除，毒訊息也不該還在工作佇列裡",
           en="every message handled should be deleted, and the poison message should no longer be on the work "
              "queue", expected={"visible": 0, "in_flight": 0}, seen=left)


def test_consume_does_not_let_the_poison_message_block_the_rest(sqs, kata, make_queue, sqs_backend, checker):
    scenario = Scenario(sqs, make_queue, sqs_backend.live, retry_after=1)
    log = scenario.run(sqs, kata, checker,
                       zh="worker 卡在毒訊息上，其他訊息一直沒處理完（或 stop 之後還在接收）：失敗的訊息交回給 SQS，"
                          "繼續處理其他的",
                       en="the worker got stuck on the poison message and never finished the others (or kept "
                          "receiving after stop): hand a failed message back to SQS and go on with the rest")
    expect(set(scenario.good) <= set(scenario.handled),
           zh="毒訊息排在最前面，後面的訊息還是都要處理：一則失敗不可以讓 worker 停下來或卡住",
           en="the poison message came first; every message behind it should still be handled: one failure must "
              "not stop or block the worker", expected=sorted(scenario.good),
           seen=sorted(set(scenario.handled)))
    expect(scenario.tries >= MAX_RECEIVES,
           zh=f"毒訊息要一直交回給 SQS，讓它被再送 {MAX_RECEIVES} 次，直到 SQS 把它搬到 DLQ",
           en=f"keep handing the poison message back to SQS, to be tried {MAX_RECEIVES} times until SQS moves "
              "it to the DLQ", expected=f">= {MAX_RECEIVES} tries", seen=scenario.tries)
    asked = {(r.get("MaxNumberOfMessages"), r.get("WaitTimeSeconds")) for r in scenario.guard.receives}
    expect_equal(asked, {(MAX_RECEIVE, 1)},
                 zh="每次接收都要長輪詢：MaxNumberOfMessages=10、WaitTimeSeconds=wait_seconds（這裡是 1）",
                 en="every receive should long-poll: MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds (1 here)")
    waits = sorted({entry.get("VisibilityTimeout") for c in log.calls
                    for entry in c.params.get("Entries", [c.params])}, key=repr)
    expect_equal(waits, [1], zh="交回給 SQS 時 VisibilityTimeout 要用 retry_after（這裡是 1，不要寫死）",
                 en="hand it back with VisibilityTimeout=retry_after (1 here; do not hard-code it)")
