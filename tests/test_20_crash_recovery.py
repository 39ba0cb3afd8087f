"""Exercise 20 -- crash recovery, graded for real: the learner's worker is an OS process, and the grader kills it.

The grader puts 200 orders on a queue (VisibilityTimeout 1 s, a dead-letter queue after 2 receives), ten of them
sent twice as a retrying producer would (new MessageIds, same IdempotencyKey), and one poison message that always
fails. It starts run_worker in a process of its own (python -m sqs_kata.worker_process), whose handler writes each
effect to a file and stops right after its 37th effect -- in the middle of a batch, the message not yet deleted --
and SIGKILLs it there: no `finally`, no cleanup, as when a machine dies. A second worker process finishes the job.
Then: every order had its effect exactly once (none lost, none twice) and the poison message is in the DLQ.

On moto, the queues live on a moto server the grader starts (a process needs a server to talk to), with the same
simulated time as every moto test: a killed worker's messages come back without the wait. On ElasticMQ the
visibility timeout of 1 s is really waited.
"""

import json
from collections import Counter

import pytest

from sqs_kata.checks import expect, fail
from sqs_kata.observe import MAX_BATCH_ENTRIES, word
from sqs_kata.worker_lab import describe, pids_line

ORDERS = 200
RETRIED = 10  # orders the producer sent twice (a timeout, then a retry): new MessageId, same IdempotencyKey
KILL_AFTER = 37  # effects before the grader kills the first worker: mid-batch, the 37th message not yet deleted
KEY = "IdempotencyKey"
MAX_RECEIVE_COUNT = 2
STALLED_S = 20  # the grader waits while the workers make progress; this long without any, it says what it saw


def _send(sqs, url, orders):
    for start in range(0, len(orders), MAX_BATCH_ENTRIES):
        chunk = orders[start:start + MAX_BATCH_ENTRIES]
        sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": body, "MessageAttributes": {KEY: {"DataType": "String", "StringValue": key}}}
            for i, (key, body) in enumerate(chunk)])


@pytest.mark.timeout(120)  # two worker processes on a busy machine; a stalled stage ends sooner (STALLED_S)
def test_a_killed_worker_loses_no_message_and_repeats_no_effect(kata, worker_lab):
    lab = worker_lab
    kata.run_worker  # noqa: B018 -- a missing function or a file that does not load fails here, in one message
    dlq = lab.make_queue("orders-dlq")
    dlq_arn = lab.sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    url = lab.make_queue("orders", VisibilityTimeout="1", RedrivePolicy=json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(MAX_RECEIVE_COUNT)}))
    table = lab.make_table("claims")
    token = word("order")
    orders = [(f"{token}-{i:03d}", f"ship order {token}-{i:03d}") for i in range(ORDERS)]
    poison = (f"{token}-poison", f"ship order {token}-poison (the address cannot be parsed)")
    _send(lab.sqs, url, orders[:100] + [poison] + orders[100:] + orders[5:5 + RETRIED])
    wanted = {body for _, body in orders}

    first = lab.start("run_worker", url, table, poison=poison[1], block_after=KILL_AFTER)
    problem = lab.wait(lambda: first.blocked, [first], STALLED_S, progress=lambda: (len(lab.effects_done()), len(lab.receives_asked())))
    if problem:  # the worker's own end, in the learner's words (a stub, an exception, returning)
        lab.fail(problem, pids_line([first]))
    if problem is not None:
        fail(zh=f"第一個 worker 停了 {STALLED_S} 秒沒有新的效果，沒做到第 {KILL_AFTER} 個：是不是卡在無窮迴圈，"
                "或是沒有把訊息交給 handle？",
             en=f"the first worker had no new effect for {STALLED_S} s, short of its {KILL_AFTER}th: stuck in an "
                "endless loop, or not handing the messages to handle?",
             expected=f"{KILL_AFTER} effects, then the grader kills it",
             seen=f"{len(lab.effects_done())} effects", call=f"run_worker(...)  [{pids_line([first])}]")
    in_flight = lab.in_flight(url)  # received by the first worker and not deleted: what its death leaves behind
    first.kill()  # SIGKILL, mid-batch: the worker is inside handle, right after an effect
    second = lab.start("run_worker", url, table, poison=poison[1])

    def finished() -> bool:
        # Nothing visible and nothing in flight: no message is left to have an effect (the poison moved or gone).
        return lab.counts(url) == 0

    problem = lab.wait(finished, [second], STALLED_S, progress=lambda: (len(lab.effects_done()), lab.counts(url)))
    second.kill()
    log = f"{pids_line(lab.workers)}; {in_flight} message(s) in flight at the kill"
    print(log)  # the PIDs, in the test's output (the lab also keeps them in the test's record)
    if problem:
        lab.fail(problem, log)

    effects = Counter(lab.effects_done())
    lost = sorted(wanted - set(effects))
    twice = sorted(body for body, n in effects.items() if n > 1 and body in wanted)
    left, in_dlq = lab.counts(url), lab.counts(dlq)
    expect(not lost,
           zh=f"worker 被 kill -9 之後，有 {len(lost)} 張訂單從來沒有效果（訊息遺失）：訊息要等效果做完才刪除，"
              "而且不能因為先認領就丟掉（handle 失敗要 release）",
           en=f"after the worker was killed (kill -9), {len(lost)} orders never had their effect (lost messages): "
              "delete a message only after its effect, and release a claim when handle fails",
           expected="0 lost", seen=f"lost: {describe(lost)}; left on the queue: {left}; in the DLQ: {in_dlq}",
           call=f"run_worker(...)  [{log}]")
    expect(not twice,
           zh=f"有 {len(twice)} 張訂單的效果發生了兩次以上：重新收到的訊息（被殺掉的 worker 沒刪的、生產者重送的）"
              "要先在 DynamoDB 認領 IdempotencyKey（條件寫入），認領在效果「之前」、存在表裡（不是記憶體）",
           en=f"{len(twice)} orders had their effect twice or more: a message delivered again (the killed worker's, "
              "a producer's retry) must be claimed by its IdempotencyKey in DynamoDB (a conditional write), before "
              "the effect and in the table (not in memory)",
           expected="every effect exactly once", seen=f"repeated: {describe(twice)}", call=f"run_worker(...)  [{log}]")
    poisoned = effects.get(poison[1], 0)
    expect(in_dlq == 1 and left == 0,
           zh=f"毒訊息（handle 每次都失敗）要在 {MAX_RECEIVE_COUNT} 次接收後進入 DLQ：失敗時不能刪除訊息，也不能吞掉它",
           en=f"the poison message (handle always fails) should end in the DLQ after {MAX_RECEIVE_COUNT} receives: "
              "do not delete a message whose handle failed, and do not swallow it",
           expected={"in the DLQ": 1, "left on the queue": 0},
           seen={"in the DLQ": in_dlq, "left on the queue": left, "poison effects": poisoned},
           call=f"run_worker(...)  [{log}]")
    asked = lab.receives_asked()
    expect(asked == {"10 1"},
           zh="每次 receive_message 都要 MaxNumberOfMessages=10、WaitTimeSeconds=wait_seconds（長輪詢，一次最多 10 則）",
           en="every receive_message should ask for MaxNumberOfMessages=10 with WaitTimeSeconds=wait_seconds "
              "(a long poll, up to 10 at a time)", expected=["10 1"], seen=sorted(asked),
           call=f"run_worker(...)  [{log}]")
