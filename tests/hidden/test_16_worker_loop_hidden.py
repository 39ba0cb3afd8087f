"""Exercise 16, hidden tests: the teacher's held-out checks (never in a student edition; reports show only a count).

A worker told to stop takes no more work: during a deploy or a scale-in, a message received by a worker that is
going away stays invisible (in flight) for its whole visibility timeout, delaying it for everyone.
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
"""

from __future__ import annotations

import threading

from sqs_kata.checks import expect, expect_equal
from sqs_kata.observe import counts, numbered_bodies, send_batched
from sqs_kata.workers import ReceiveGuard, stopped_in_time


def test_run_worker_already_stopped_takes_nothing(sqs, kata, make_queue):
    url = make_queue()
    send_batched(sqs, url, numbered_bodies(3))
    stop = threading.Event()
    stop.set()  # the stop signal came before the worker's first round
    handled: list[str] = []
    with ReceiveGuard(sqs, stop) as guard:
        stopped_in_time(lambda: kata.run_worker(sqs, url, handled.append, stop, 1), guard)
    expect_equal(len(guard.receives), 0,
                 zh="stop 已經設定了就直接 return：每一輪先檢查 stop，再接收（先收再檢查會把訊息帶走、又不處理完）",
                 en="with stop already set, return at once: check stop at the start of every round, before "
                    "receiving (receiving first takes messages away from the workers that stay)")
    left = counts(sqs, url)
    expect(left["in_flight"] == 0 and not handled,
           zh="停下來的 worker 不可以拿走任何訊息", en="a stopped worker should take no message",
           expected={"in_flight": 0, "handled": 0}, seen={"in_flight": left["in_flight"], "handled": len(handled)})
