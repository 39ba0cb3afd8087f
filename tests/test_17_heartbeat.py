"""Exercise 17 -- long jobs: a heartbeat keeps the message hidden while the job runs, and stops when it ends.

The grader's job ties its progress to the learner's heartbeats: it waits (a moment of real time) for the next
ChangeMessageVisibility to come back, then lets SQS time pass (simulated on moto, waited on a live server) and has
a second worker look for the message. Without a heartbeat, or with one that extends too little, the message
reappears within the job and the second worker gets it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from sqs_kata.checks import expect, expect_equal
from sqs_kata.observe import MAX_RECEIVE, bodies, counts, receive_all, word
from sqs_kata.workers import CallLog, learner_threads

# Each job step waits up to Timing.beat_wait for a heartbeat slowed by a busy machine: these tests keep the usual
# limit even when a run shortens it for every other test (--timeout, as the selftests do to catch endless loops).
pytestmark = pytest.mark.timeout(30)

HEARTBEAT_ACTIONS = ("ChangeMessageVisibility", "ChangeMessageVisibilityBatch")
STEPS = 3  # the job lasts STEPS * step seconds of SQS time: about twice the visibility timeout


class HandlerFailed(Exception):
    """What the grader's job raises when it fails (the learner's code must survive it)."""


class Timing:
    """Seconds for one backend: SQS time is free on moto (simulated), real on a live server (kept short)."""

    def __init__(self, live: bool) -> None:
        # Never 1: a heartbeat that extends by ceil(interval) seconds (1 for any interval under a second) must not
        # look like one that extends by visibility_timeout. On moto SQS time is simulated, so a long timeout costs
        # nothing, and a heartbeat that waits visibility_timeout real seconds (not interval) misses every job step
        # instead of racing the grader's wait for it.
        self.visibility = 2 if live else 10
        self.interval = 0.2 if live else 0.05  # real seconds between heartbeats
        self.step = 1.0 if live else 7.5  # SQS time per job step: less than the visibility timeout
        # Real time the job waits for one heartbeat. SQS time stands still meanwhile (the job advances it), so a
        # heartbeat slowed by a busy machine or by building its own client is waited for, not failed.
        self.beat_wait = max(2.0, 10 * self.interval)
        self.grace = 3 * self.interval + 0.5  # how long a heartbeat may take to notice its stop


@pytest.fixture
def timing(sqs_backend: Any) -> Timing:
    return Timing(sqs_backend.live)


@pytest.fixture
def second_worker(sqs_backend: Any) -> Any:
    """Another worker's client on the same queue (the grader's: no realism layer, nothing metered)."""
    client = sqs_backend.new_client()
    yield client
    client.close()


class MidBeat:
    """Lets a job end while a heartbeat request is on its way: that request is held HOLD seconds, so a worker that
    does not wait for its heartbeat thread returns before the extension lands (after the job, maybe after the
    delete: on SQS that is an extension of a finished message, or an error in a thread nobody watches)."""

    HOLD = 0.2

    def __init__(self, sqs: Any) -> None:
        self._sqs = sqs
        self.holding = threading.Event()
        self.in_flight = threading.Event()

    def _hold(self, **_: Any) -> None:
        if self.holding.is_set():
            self.holding.clear()
            self.in_flight.set()
            time.sleep(self.HOLD)

    def wait(self, seconds: float) -> None:
        self.in_flight.clear()
        self.holding.set()
        self.in_flight.wait(seconds)

    def __enter__(self) -> MidBeat:
        for action in HEARTBEAT_ACTIONS:
            self._sqs.meta.events.register(f"before-call.sqs.{action}", self._hold)
        return self

    def __exit__(self, *_: object) -> None:
        for action in HEARTBEAT_ACTIONS:
            self._sqs.meta.events.unregister(f"before-call.sqs.{action}", self._hold)


def _job(log: CallLog, clock: Any, timing: Timing, second_worker: Any, url: str, seen: list[str],
         fail_at_end: bool = False, steps: int = STEPS, mid_beat: MidBeat | None = None) -> Callable[[str], None]:
    """A job that runs `steps` steps; before each, one more heartbeat must have come back."""
    def run(body: str) -> None:
        for _ in range(steps):
            log.wait_for(len(log.calls) + 1, timing.beat_wait)
            clock.advance(timing.step)
            got = second_worker.receive_message(QueueUrl=url, MaxNumberOfMessages=MAX_RECEIVE,
                                                WaitTimeSeconds=0).get("Messages", [])
            seen.extend(bodies(got))
        if mid_beat is not None:
            mid_beat.wait(timing.beat_wait)
        if fail_at_end:
            raise HandlerFailed(f"the job failed on {body!r} (on purpose)")
    return run


def _in_thread(function: Callable[[], Any]) -> tuple[threading.Thread, list[BaseException]]:
    """Run the learner's function in a grader thread; what it raised (a failed check too) is kept for the test."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            function()
        except BaseException as error:  # noqa: BLE001 -- re-raised in the test's own thread
            raised.append(error)

    thread = threading.Thread(target=run, name="sqs-kata-heartbeat-test", daemon=True)
    thread.start()
    return thread, raised


def _message(sqs: Any, make_queue: Any, timing: Timing) -> tuple[str, dict[str, Any]]:
    url = make_queue()
    sqs.send_message(QueueUrl=url, MessageBody=word("long-job"))
    [message] = receive_all(sqs, url, expect=1, visibility=timing.visibility)
    return url, message


def test_keep_invisible_extends_the_timeout_every_interval(sqs, kata, make_queue, clock, timing, second_worker):
    url, message = _message(sqs, make_queue, timing)
    stop = threading.Event()
    seen: list[str] = []
    with CallLog(sqs, *HEARTBEAT_ACTIONS) as log, learner_threads(sqs, timing.grace):
        thread, raised = _in_thread(lambda: kata.keep_invisible(sqs, url, message["ReceiptHandle"],
                                                                timing.visibility, timing.interval, stop))
        thread.join(0.1)  # a function that fails at once (a stub, a wrong parameter) is told now, not after the job
        if raised and not thread.is_alive():
            raise raised[0]
        _job(log, clock, timing, second_worker, url, seen)(message["Body"])
        stop.set()
        thread.join(timing.grace)
        still_running = thread.is_alive()
    expect(not still_running,
           zh="stop 設定之後，keep_invisible 要馬上 return（用 stop.wait(interval) 等，不要一直 sleep、不要無窮迴圈）",
           en="once stop is set, keep_invisible should return at once (wait with stop.wait(interval); no endless "
              "loop)", expected=f"returned within {timing.grace:.1f} s of stop", seen="still running")
    raised = [error for error in raised if not isinstance(error, SystemExit)]  # SystemExit: the grader ended it
    if raised:
        raise raised[0]
    expect(not seen,
           zh=f"工作還在跑的時候，第二個 worker 拿到了這則訊息：心跳要每 interval 秒呼叫一次 ChangeMessageVisibility，"
              f"把可見性逾時延長成 visibility_timeout（這裡是 {timing.visibility}）",
           en=f"a second worker got the message while the job was still running: the heartbeat should call "
              f"ChangeMessageVisibility every interval seconds with VisibilityTimeout=visibility_timeout "
              f"({timing.visibility} here)", expected="no second worker gets it", seen=seen)
    asked = {(entry.get("ReceiptHandle") == message["ReceiptHandle"], entry.get("VisibilityTimeout"))
             for c in log.calls for entry in c.params.get("Entries", [c.params])}
    expect_equal(asked, {(True, timing.visibility)},
                 zh="每次延長都要用這則訊息的 ReceiptHandle，VisibilityTimeout=visibility_timeout（不要寫死）",
                 en="every extension should use this message's ReceiptHandle and VisibilityTimeout="
                    "visibility_timeout (do not hard-code it)")


def test_handle_with_heartbeat_keeps_the_message_from_a_second_worker(sqs, kata, make_queue, clock, timing,
                                                                      second_worker):
    """A job three times as long as the visibility timeout: no other worker may get the message meanwhile."""
    url, message = _message(sqs, make_queue, timing)
    seen: list[str] = []
    with CallLog(sqs, *HEARTBEAT_ACTIONS) as log, learner_threads(sqs, timing.grace):
        done = kata.handle_with_heartbeat(sqs, url, message, _job(log, clock, timing, second_worker, url, seen),
                                          timing.visibility, timing.interval)
    expect(not seen,
           zh="工作比可見性逾時還久，第二個 worker 在工作還沒做完的時候就拿到了這則訊息：handler 在跑的時候，要有一條"
              "心跳執行緒每 interval 秒延長一次可見性逾時（keep_invisible）",
           en="the job outlived the visibility timeout and a second worker got the message before it was done: "
              "while the handler runs, a heartbeat thread should extend the visibility timeout every interval "
              "seconds (keep_invisible)", expected="no second worker gets it", seen=seen)
    expect(done is True, zh="工作成功時要回傳 True", en="should return True when the job succeeds",
           expected=True, seen=done)
    left = counts(sqs, url)
    expect(left["visible"] == left["in_flight"] == 0, zh="工作成功之後要刪除這則訊息",
           en="the message should be deleted once its job succeeded", expected="deleted", seen=left)


def test_handle_with_heartbeat_stops_the_heartbeat_when_the_job_ends(sqs, kata, make_queue, clock, timing,
                                                                    second_worker):
    """Done or failed, the job is over: a heartbeat still running would hide a failed message forever (no retry,
    never the DLQ) and keep billing requests."""
    for fails in (False, True):
        url, message = _message(sqs, make_queue, timing)
        seen: list[str] = []
        with CallLog(sqs, *HEARTBEAT_ACTIONS) as log, MidBeat(sqs) as mid_beat:
            with learner_threads(sqs, timing.grace) as threads:
                job = _job(log, clock, timing, second_worker, url, seen, fails, steps=1, mid_beat=mid_beat)
                done = kata.handle_with_heartbeat(sqs, url, message, job, timing.visibility, timing.interval)
                ended = time.monotonic()
            late = log.since(ended)
        outcome = "失敗" if fails else "成功"
        expect(not threads.left and not late,
               zh=f"工作{outcome}之後心跳還在跑（handle_with_heartbeat 回來之後還有 ChangeMessageVisibility）：在 finally "
                  "裡 stop.set() 再 join() 心跳執行緒（等它真的結束），成功或失敗都要停",
               en=f"the heartbeat kept running after the job {'failed' if fails else 'succeeded'} (a "
                  "ChangeMessageVisibility after handle_with_heartbeat returned): stop.set() and join() the "
                  "heartbeat thread in a finally block (wait until it has ended), done or failed", expected="no heartbeat after the job ended",
               seen=f"{len(threads.left)} thread(s) still running, {len(late)} extension(s) after the end")
        expect(done is (not fails), zh=f"工作{outcome}時要回傳 {not fails}",
               en=f"should return {not fails} when the job {'fails' if fails else 'succeeds'}",
               expected=not fails, seen=done)
    clock.advance(timing.visibility + 0.5)  # the failed job's message: no longer extended, so visible again
    back = bodies(receive_all(sqs, url, expect=1, wait=1))
    expect(back == [message["Body"]],
           zh="工作失敗的訊息不可以刪除：心跳停了以後，過了可見性逾時它要回到佇列，讓 SQS 再送一次",
           en="the message of a failed job should not be deleted: once the heartbeat stopped it should be back on "
              "the queue after its visibility timeout, for SQS to deliver again", expected=[message["Body"]],
           seen=back)
