"""Exercise 11 -- dead-letter queues: redrive policy, source queues, and moving messages back.

Where the grader sets up a source queue itself, it gives the RedrivePolicy at CreateQueue: ElasticMQ 1.7.1
only lists (ListDeadLetterSourceQueues) and redrives to (StartMessageMoveTask without DestinationArn) source
queues whose policy it saw at creation; SQS also accepts a policy set later, which is what the learner does.
"""

import json
from typing import Any

import pytest

from sqs_kata.backends import MESSAGE_MOVE_TASKS
from sqs_kata.checks import expect, expect_equal, fail
from sqs_kata.observe import attribute, bodies, counts, receive_all, short_poll, word


def arn(sqs: Any, url: str) -> str:
    return attribute(sqs, url, "QueueArn")


def source_of(sqs: Any, make_queue: Any, suffix: str, dlq_url: str, max_receive_count: int = 1) -> str:
    """A source queue the grader creates with its redrive policy already in place (see the module docstring)."""
    policy = {"deadLetterTargetArn": arn(sqs, dlq_url), "maxReceiveCount": str(max_receive_count)}
    return make_queue(suffix, RedrivePolicy=json.dumps(policy))


def peek(sqs: Any, url: str, n: int) -> list[str]:
    """The distinct bodies of up to `n` messages, received with VisibilityTimeout=0 so they stay visible."""
    seen: list[str] = []
    for _ in range(5):
        for message in receive_all(sqs, url, rounds=1, wait=2, visibility=0):
            if message["Body"] not in seen:
                seen.append(message["Body"])
        if len(seen) >= n:
            break
    return sorted(seen)


def move_tasks(sqs: Any, dlq_url: str) -> list[dict[str, Any]]:
    return sqs.list_message_move_tasks(SourceArn=arn(sqs, dlq_url)).get("Results", [])


def test_queue_arn_is_the_queues_own_arn(sqs, kata, make_queue):
    for url in (make_queue("orders"), make_queue("orders-dlq")):
        expect_equal(kata.queue_arn(sqs, url), arn(sqs, url),
                     zh="應該回傳佇列的 QueueArn 屬性", en="should return the queue's QueueArn attribute")


def test_attach_dead_letter_queue_sets_the_redrive_policy(sqs, kata, make_queue):
    source, dlq = make_queue("orders"), make_queue("orders-dlq")
    kata.attach_dead_letter_queue(sqs, source, dlq, 3)
    raw = attribute(sqs, source, "RedrivePolicy")
    try:
        policy = json.loads(raw or "")
    except ValueError:
        policy = None
    if not isinstance(policy, dict):
        fail(zh="來源佇列應該有 RedrivePolicy 屬性（JSON 物件字串）", en="the source queue should have a RedrivePolicy "
             "attribute (a JSON object, as a string)", expected='{"deadLetterTargetArn": ..., "maxReceiveCount": "3"}',
             seen=raw)
    expect_equal(policy.get("deadLetterTargetArn"), arn(sqs, dlq),
                 zh="deadLetterTargetArn 應該是死信佇列的 ARN（不是網址）",
                 en="deadLetterTargetArn should be the dead-letter queue's ARN (not its URL)")
    expect_equal(str(policy.get("maxReceiveCount")), "3",
                 zh="maxReceiveCount 應該是傳入的 3", en="maxReceiveCount should be the 3 that was passed in")


def test_a_message_received_max_receive_count_times_moves_to_the_dlq(sqs, kata, make_queue, clock):
    source, dlq = make_queue("orders"), make_queue("orders-dlq")
    kata.attach_dead_letter_queue(sqs, source, dlq, 2)
    poison = word("poison")
    sqs.send_message(QueueUrl=source, MessageBody=poison)
    for attempt in (1, 2):  # a consumer that fails: receive, never delete, let the visibility timeout pass
        got = receive_all(sqs, source, expect=1, wait=2, visibility=1)
        expect_equal(bodies(got), [poison], zh=f"第 {attempt} 次接收應該還拿得到訊息（maxReceiveCount 是 2）",
                     en=f"receive number {attempt} should still get the message (maxReceiveCount is 2)")
        clock.advance(1.5)
    # SQS moves the message when a receive finds it over the limit: this third receive gets nothing.
    expect_equal(bodies(receive_all(sqs, source, wait=1, visibility=1)), [],
                 zh="收過 2 次都沒刪除後，訊息應該離開來源佇列", en="after 2 receives without a delete the message "
                 "should leave the source queue")
    expect_equal(bodies(receive_all(sqs, dlq, expect=1, wait=2)), [poison],
                 zh="訊息應該被移到死信佇列", en="the message should have moved to the dead-letter queue")


def test_dead_letter_sources_lists_every_source_queue(sqs, kata, make_queue):
    dlq, unused_dlq = make_queue("dlq"), make_queue("spare-dlq")
    sources = sorted([source_of(sqs, make_queue, "orders", dlq), source_of(sqs, make_queue, "payments", dlq)])
    make_queue("unrelated")
    expect_equal(kata.dead_letter_sources(sqs, dlq), sources,
                 zh="應該列出所有把失敗訊息送到這個死信佇列的來源佇列網址（排序）",
                 en="should list the URLs of every queue that sends its failures to this DLQ (sorted)")
    expect_equal(kata.dead_letter_sources(sqs, unused_dlq), [],
                 zh="沒有來源佇列的死信佇列應該得到 []", en="a DLQ no queue points at should give []")


def test_redrive_by_hand_moves_every_message_back(sqs, kata, make_queue, clock):
    dlq, target = make_queue("dlq", VisibilityTimeout=2), make_queue("orders")
    failed = {word("order"): word("why") for _ in range(12)}  # more than one receive can return
    for body, reason in failed.items():
        sqs.send_message(QueueUrl=dlq, MessageBody=body,
                         MessageAttributes={"Reason": {"DataType": "String", "StringValue": reason}})
    moved = kata.redrive_by_hand(sqs, dlq, target)
    got = receive_all(sqs, target, expect=12)
    seen = {m["Body"]: m.get("MessageAttributes", {}).get("Reason", {}).get("StringValue") for m in got}
    expect_equal(seen, failed, zh="12 則訊息都應該連同 Reason 訊息屬性送到目標佇列",
                 en="all 12 messages should reach the target queue, each with its Reason message attribute")
    expect_equal(moved, 12, zh="應該回傳搬移的訊息數", en="should return how many messages were moved")
    clock.advance(2.5)  # past the DLQ's visibility timeout: a message that was not deleted is back by now
    expect_equal(bodies(receive_all(sqs, dlq, wait=1)), [], zh="搬完後要從死信佇列刪除，不該再出現",
                 en="moved messages should be deleted from the DLQ, so none comes back")


@pytest.mark.needs(MESSAGE_MOVE_TASKS)
def test_start_redrive_sends_messages_back_to_their_source(sqs, kata, make_queue, clock):
    dlq = make_queue("dlq")
    source = source_of(sqs, make_queue, "orders", dlq, max_receive_count=1)
    failed = sorted(word("order") for _ in range(2))
    for body in failed:
        sqs.send_message(QueueUrl=source, MessageBody=body)
    receive_all(sqs, source, expect=2, visibility=1)
    clock.advance(1.5)
    receive_all(sqs, source, wait=1, visibility=1)  # over maxReceiveCount: SQS moves both to the DLQ
    expect_equal(peek(sqs, dlq, 2), failed, zh="（準備）兩則訊息應該已在死信佇列",
                 en="(set-up) both messages should be in the DLQ by now")
    handle = kata.start_redrive(sqs, dlq)
    expect(isinstance(handle, str) and handle != "", zh="應該回傳 StartMessageMoveTask 給的 TaskHandle",
           en="should return the TaskHandle StartMessageMoveTask answered with", seen=handle)
    expect_equal(sorted(bodies(receive_all(sqs, source, expect=2, wait=2))), failed,
                 zh="沒有指定目的地時，訊息應該回到原本的來源佇列",
                 en="without a destination the messages should go back to the queue they came from")


@pytest.mark.needs(MESSAGE_MOVE_TASKS)
def test_start_redrive_to_another_queue_at_the_given_rate(sqs, kata, make_queue):
    dlq, elsewhere = make_queue("dlq"), make_queue("replay")
    source = source_of(sqs, make_queue, "orders", dlq)
    failed = sorted(word("order") for _ in range(2))
    for body in failed:
        sqs.send_message(QueueUrl=dlq, MessageBody=body)
    kata.start_redrive(sqs, dlq, destination_url=elsewhere, max_per_second=7)
    expect_equal(sorted(bodies(receive_all(sqs, elsewhere, expect=2, wait=2))), failed,
                 zh="指定 destination_url 時，訊息應該搬到那個佇列（DestinationArn 是它的 ARN）",
                 en="with destination_url the messages should move to that queue (DestinationArn is its ARN)")
    expect(not short_poll(sqs, source, wait=0), zh="訊息不該跑到原本的來源佇列",
           en="no message should go to the original source queue")
    rates = [task.get("MaxNumberOfMessagesPerSecond") for task in move_tasks(sqs, dlq)]
    expect_equal(rates[:1], [7], zh="搬移任務應該用 max_per_second 當 MaxNumberOfMessagesPerSecond",
                 en="the move task should use max_per_second as MaxNumberOfMessagesPerSecond")


@pytest.mark.needs(MESSAGE_MOVE_TASKS)
def test_redrive_statuses_lists_the_dlqs_move_tasks(sqs, kata, make_queue):
    dlq, elsewhere = make_queue("dlq"), make_queue("replay")
    source_of(sqs, make_queue, "orders", dlq)
    expect_equal(kata.redrive_statuses(sqs, dlq), [], zh="還沒有搬移任務時應該回傳 []",
                 en="before any move task the list should be []")
    sqs.send_message(QueueUrl=dlq, MessageBody=word("order"))
    sqs.start_message_move_task(SourceArn=arn(sqs, dlq), DestinationArn=arn(sqs, elsewhere))
    receive_all(sqs, elsewhere, expect=1, wait=2)
    statuses = kata.redrive_statuses(sqs, dlq)
    expect(isinstance(statuses, list) and len(statuses) == 1 and statuses[0] in {"RUNNING", "COMPLETED"},
           zh="應該列出這個死信佇列唯一的搬移任務狀態（ListMessageMoveTasks 的 Status）",
           en="should list the status of the DLQ's one move task (Status from ListMessageMoveTasks)",
           expected="['COMPLETED'] (or ['RUNNING'] for a moment)", seen=statuses)


@pytest.mark.needs(MESSAGE_MOVE_TASKS)
def test_cancel_redrive_stops_a_running_task(sqs, kata, make_queue, clock):
    dlq = make_queue("dlq")
    source = source_of(sqs, make_queue, "orders", dlq)
    for _ in range(6):
        sqs.send_message(QueueUrl=dlq, MessageBody=word("order"))
    # One message a second: six messages keep the task RUNNING for about five seconds.
    handle = sqs.start_message_move_task(SourceArn=arn(sqs, dlq), DestinationArn=arn(sqs, source),
                                         MaxNumberOfMessagesPerSecond=1)["TaskHandle"]
    cancelled = kata.cancel_redrive(sqs, handle)
    if cancelled is not True:
        # SQS only cancels a RUNNING task. A backend that ignored the rate and finished at once would be
        # right to refuse: accept False then, but only if the task really completed.
        statuses = [task.get("Status") for task in move_tasks(sqs, dlq)]
        expect(cancelled is False and statuses[:1] == ["COMPLETED"],
               zh="搬移任務還在執行（RUNNING），取消應該成功並回傳 True",
               en="the move task is still RUNNING: cancelling it should succeed and return True",
               expected=True, seen=cancelled)
        return
    again = kata.cancel_redrive(sqs, handle)
    expect(again is False, zh="已經取消的任務不能再取消：SQS 拒絕時應該回傳 False（不要拋出例外）",
           en="a cancelled task cannot be cancelled again: when SQS refuses, return False (do not raise)",
           expected=False, seen=again)
    clock.advance(1.5)
    expect(counts(sqs, dlq)["visible"] >= 2, zh="取消後，還沒搬的訊息應該留在死信佇列",
           en="after the cancel, the messages not moved yet should stay in the DLQ")
