"""Exercise 06 -- visibility timeout: received messages hide, come back, can be kept hidden longer or released."""

import secrets
from typing import Any

from botocore.exceptions import ClientError, ParamValidationError

from sqs_kata.checks import expect_equal, fail
from sqs_kata.observe import SentRequests, bodies, receive_all, send_batched, short_poll


def _received_by_learner(sqs: Any, url: str, handle: Any) -> None:
    """Hand a message the learner received back to the queue, which proves the receipt handle is real."""
    try:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0)
    except (ClientError, ParamValidationError) as error:
        fail(zh="回傳的 receipt_handle 應該是 SQS 給的 ReceiptHandle，SQS 不認得它",
             en="the returned receipt_handle should be the ReceiptHandle SQS gave you; SQS does not accept it",
             expected="a ReceiptHandle from ReceiveMessage", seen=f"{handle!r} ({type(error).__name__})")


def test_receive_for_work_hides_messages_for_the_given_timeout(sqs, kata, make_queue, clock):
    url = make_queue()  # the queue's own VisibilityTimeout is the default, 30 s
    sqs.send_message(QueueUrl=url, MessageBody="job-1")
    with SentRequests(sqs) as sent:
        got = kata.receive_for_work(sqs, url, 1)
    expect_equal([m.get("body") for m in got], ["job-1"], zh="應該收到 job-1", en="should receive job-1")
    expect_equal([c.get("VisibilityTimeout") for c in sent["ReceiveMessage"]], [1],
                 zh="ReceiveMessage 應該帶 VisibilityTimeout=visibility_timeout（這裡是 1）",
                 en="ReceiveMessage should be called with VisibilityTimeout=visibility_timeout (1 here)")
    expect_equal(short_poll(sqs, url), [],
                 zh="收下的訊息在可見性逾時內應該看不到", en="a received message should stay hidden during its visibility timeout")
    clock.advance(1)
    expect_equal(bodies(receive_all(sqs, url, expect=1, wait=2)), ["job-1"],
                 zh="沒刪除的訊息應該在 1 秒後回來（ReceiveMessage 的 VisibilityTimeout=1，不是佇列預設的 30 秒）",
                 en="an undeleted message should come back after 1 s (ReceiveMessage's VisibilityTimeout=1, "
                    "not the queue's default of 30 s)")


def test_receive_for_work_counts_how_often_a_message_was_handed_out(sqs, kata, make_queue, clock):
    url = make_queue()
    sqs.send_message(QueueUrl=url, MessageBody="job-2")
    first = kata.receive_for_work(sqs, url, 2)
    expect_equal([(m.get("body"), m.get("receive_count")) for m in first], [("job-2", 1)],
                 zh="第一次收到時 receive_count 應該是 1（要求 ApproximateReceiveCount 系統屬性，轉成 int）",
                 en="the first time, receive_count should be 1 (ask for the ApproximateReceiveCount system "
                    "attribute and make it an int)")
    clock.advance(1.2)
    expect_equal(short_poll(sqs, url), [],
                 zh="visibility_timeout=2：1 秒多之後訊息應該還藏著", en="with visibility_timeout=2 the message should "
                 "still be hidden after a little over 1 s")
    clock.advance(1)
    second = kata.receive_for_work(sqs, url, 2, wait_seconds=2)
    expect_equal([(m.get("body"), m.get("receive_count")) for m in second], [("job-2", 2)],
                 zh="沒刪除的訊息逾時後回來，第二次收到時 receive_count 應該是 2",
                 en="the undeleted message comes back after the timeout; the second time receive_count should be 2")
    _received_by_learner(sqs, url, second[0].get("receipt_handle"))
    [again] = receive_all(sqs, url, expect=1, wait=2)
    expect_equal(again["Attributes"].get("ApproximateReceiveCount"), "3",
                 zh="SQS 應該記得這則訊息已經被收過兩次", en="SQS should know the message was handed out twice before")


def test_extend_visibility_keeps_the_message_hidden_past_the_old_deadline(sqs, kata, make_queue, clock):
    url = make_queue()
    sqs.send_message(QueueUrl=url, MessageBody="long job")
    [message] = receive_all(sqs, url, expect=1, visibility=1)
    kata.extend_visibility(sqs, url, message["ReceiptHandle"], 2)
    clock.advance(1.2)
    expect_equal(short_poll(sqs, url), [],
                 zh="延長成 2 秒之後，原本 1 秒的期限到了訊息也不該回來（ChangeMessageVisibility）",
                 en="after extending to 2 s the message should not come back at the old 1 s deadline "
                    "(ChangeMessageVisibility)")
    clock.advance(1)
    expect_equal(bodies(receive_all(sqs, url, expect=1, wait=2)), ["long job"],
                 zh="新的期限（從延長那一刻起 2 秒）過了，訊息應該回來：seconds 要用傳進來的值",
                 en="after the new deadline (2 s from the extension) the message should be back: use the seconds "
                    "you are given")


def test_release_makes_the_message_receivable_at_once(sqs, kata, make_queue):
    url = make_queue(VisibilityTimeout=30)
    sqs.send_message(QueueUrl=url, MessageBody="not mine")
    [message] = receive_all(sqs, url, expect=1)
    with SentRequests(sqs) as sent:
        kata.release(sqs, url, message["ReceiptHandle"])
    expect_equal([c.get("VisibilityTimeout") for c in sent["ChangeMessageVisibility"]], [0],
                 zh="釋放就是呼叫一次 ChangeMessageVisibility，VisibilityTimeout=0",
                 en="releasing is one ChangeMessageVisibility call with VisibilityTimeout=0")
    expect_equal(bodies(receive_all(sqs, url, expect=1, wait=2)), ["not mine"],
                 zh="釋放後訊息應該馬上能再收到，不必等 30 秒（VisibilityTimeout=0）",
                 en="once released the message should be receivable at once, not after 30 s (VisibilityTimeout=0)")


def test_change_visibility_batch_releases_every_message_in_one_call(sqs, kata, make_queue):
    url = make_queue(VisibilityTimeout=30)
    jobs = ["job-a", "job-b", "job-c"]
    send_batched(sqs, url, jobs)
    handles = [m["ReceiptHandle"] for m in receive_all(sqs, url, expect=3)]
    with SentRequests(sqs) as calls:
        failed = kata.change_visibility_batch(sqs, url, handles, 0)
    expect_equal(len(calls["ChangeMessageVisibilityBatch"]), 1,
                 zh="應該用一次 ChangeMessageVisibilityBatch 處理全部", en="should use one ChangeMessageVisibilityBatch call")
    expect_equal(len(calls["ChangeMessageVisibility"]), 0, zh="不該再逐則呼叫 ChangeMessageVisibility",
                 en="should not also call ChangeMessageVisibility one by one")
    expect_equal(failed, [], zh="全部成功時應該回傳 []", en="when every change worked, return []")
    expect_equal(sorted(bodies(receive_all(sqs, url, expect=3, wait=2))), jobs,
                 zh="seconds=0：三則訊息都應該馬上能再收到", en="with seconds=0 all three messages should be receivable at once")


def test_change_visibility_batch_returns_the_handles_that_failed(sqs, kata, make_queue):
    url = make_queue(VisibilityTimeout=30)
    jobs = ["job-x", "job-y"]
    send_batched(sqs, url, jobs)
    handles = [m["ReceiptHandle"] for m in receive_all(sqs, url, expect=2)]
    bogus = f"not-a-receipt-handle-{secrets.token_hex(4)}"
    failed = kata.change_visibility_batch(sqs, url, [handles[0], bogus, handles[1]], 0)
    expect_equal(failed, [bogus],
                 zh="SQS 無法變更的項目（回應裡的 Failed）要回報：回傳那個 receipt handle，不要吞掉",
                 en="report what SQS could not change (the response's Failed list): return that receipt handle, "
                    "do not swallow it")
    expect_equal(sorted(bodies(receive_all(sqs, url, expect=2, wait=2))), jobs,
                 zh="同一批裡有效的兩則仍然要被釋放", en="the two valid entries in the same batch should still be released")
