"""Exercise 06 -- visibility timeout: received messages hide, come back, can be kept hidden longer or released."""

import secrets
from typing import Any

from botocore.exceptions import ClientError, ParamValidationError

from sqs_kata.checks import expect, expect_equal, fail
from sqs_kata.observe import MAX_RECEIVE, SentRequests, bodies, numbered_bodies, receive_all, send_batched, short_poll, word


def _received_by_learner(sqs: Any, url: str, handle: Any) -> None:
    """Hand a message the learner received back to the queue, which proves the receipt handle is real."""
    try:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0)
    except (ClientError, ParamValidationError) as error:
        fail(zh="回傳的 receipt_handle 應該是 SQS 給的 ReceiptHandle，SQS 不認得它",
             en="the returned receipt_handle should be the ReceiptHandle SQS gave you; SQS does not accept it",
             expected="a ReceiptHandle from ReceiveMessage", seen=f"{handle!r} ({type(error).__name__})")


def _visibility_changes(sent: Any) -> list[tuple[Any, Any]]:
    """(receipt handle, VisibilityTimeout) of every change asked for, single or batched, in the order asked."""
    changes = [(c.get("ReceiptHandle"), c.get("VisibilityTimeout")) for c in sent["ChangeMessageVisibility"]]
    for call in sent["ChangeMessageVisibilityBatch"]:
        changes += [(e.get("ReceiptHandle"), e.get("VisibilityTimeout")) for e in call.get("Entries", [])]
    return changes


def test_receive_for_work_hides_messages_for_the_given_timeout(sqs, kata, make_queue, clock):
    """ReceiveMessage's VisibilityTimeout, WaitTimeSeconds and MaxNumberOfMessages apply to that call only."""
    url = make_queue()  # the queue's own VisibilityTimeout is the default, 30 s
    sqs.send_message(QueueUrl=url, MessageBody="job-1")
    with SentRequests(sqs) as sent:
        got = kata.receive_for_work(sqs, url, 1, wait_seconds=2)
    expect_equal([m.get("body") for m in got], ["job-1"], zh="應該收到 job-1", en="should receive job-1")
    expect_equal([c.get("VisibilityTimeout") for c in sent["ReceiveMessage"]], [1],
                 zh="ReceiveMessage 應該帶 VisibilityTimeout=visibility_timeout（這裡是 1）",
                 en="ReceiveMessage should be called with VisibilityTimeout=visibility_timeout (1 here)")
    expect_equal([(c.get("WaitTimeSeconds"), c.get("MaxNumberOfMessages")) for c in sent["ReceiveMessage"]],
                 [(2, MAX_RECEIVE)],
                 zh="ReceiveMessage 應該長輪詢 WaitTimeSeconds=wait_seconds（這裡是 2），一次最多拿 MaxNumberOfMessages=10",
                 en="ReceiveMessage should long-poll with WaitTimeSeconds=wait_seconds (2 here) and take up to "
                    "MaxNumberOfMessages=10")
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


def test_receive_for_work_reads_the_count_from_sqs(sqs, kata, make_queue):
    """ApproximateReceiveCount is kept by SQS: it counts every receive of the message, by any consumer."""
    url = make_queue()
    job = word("job")
    sqs.send_message(QueueUrl=url, MessageBody=job)
    for _ in range(2):  # another worker took the message and handed it back at once, twice
        receive_all(sqs, url, expect=1, visibility=0)
    got = kata.receive_for_work(sqs, url, 5)
    expect_equal([(m.get("body"), m.get("receive_count")) for m in got], [(job, 3)],
                 zh="別的 worker 已經收過這則訊息兩次：receive_count 要讀 SQS 的 ApproximateReceiveCount（這次是 3），"
                    "不是自己數",
                 en="another worker received this message twice before: receive_count must come from SQS's "
                    "ApproximateReceiveCount (3 this time), not from a count of your own")


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
    [back] = receive_all(sqs, url, expect=1, wait=2) or [{"Body": None, "ReceiptHandle": None}]
    expect_equal(back["Body"], "long job",
                 zh="新的期限（從延長那一刻起 2 秒）過了，訊息應該回來：seconds 要用傳進來的值",
                 en="after the new deadline (2 s from the extension) the message should be back: use the seconds "
                    "you are given")
    with SentRequests(sqs) as sent:
        kata.extend_visibility(sqs, url, back["ReceiptHandle"], 7)
    expect(_visibility_changes(sent) and set(_visibility_changes(sent)) == {(back["ReceiptHandle"], 7)},
           zh="extend_visibility(…, 7) 應該把這則訊息的 VisibilityTimeout 設成 7（不要寫死）",
           en="extend_visibility(..., 7) should set this message's VisibilityTimeout to 7 (do not hard-code it)",
           expected=[("<its receipt handle>", 7)], seen=[(h == back["ReceiptHandle"] and "<its receipt handle>" or h, v)
                                                         for h, v in _visibility_changes(sent)])
    expect_equal(short_poll(sqs, url), [], zh="延長之後訊息應該還藏著", en="once extended the message should stay hidden")


def test_release_makes_the_message_receivable_at_once(sqs, kata, make_queue):
    """A visibility timeout of 0 makes a received message visible at once: ChangeMessageVisibility, or its batch
    form with that one entry, both do it."""
    url = make_queue(VisibilityTimeout=30)
    sqs.send_message(QueueUrl=url, MessageBody="not mine")
    [message] = receive_all(sqs, url, expect=1)
    with SentRequests(sqs) as sent:
        kata.release(sqs, url, message["ReceiptHandle"])
    changes = _visibility_changes(sent)
    expect(bool(changes) and set(changes) == {(message["ReceiptHandle"], 0)},
           zh="釋放就是把這則訊息的可見性逾時改成 0（ChangeMessageVisibility 或只有這一項的 ChangeMessageVisibilityBatch，"
              "VisibilityTimeout=0）",
           en="releasing sets this message's visibility timeout to 0 (ChangeMessageVisibility, or a one-entry "
              "ChangeMessageVisibilityBatch, with VisibilityTimeout=0)",
           expected=[("<its receipt handle>", 0)],
           seen=[(h == message["ReceiptHandle"] and "<its receipt handle>" or h, v) for h, v in changes])
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


def test_change_visibility_batch_reports_every_failed_entry_in_any_order(sqs, kata, make_queue, faults):
    """ChangeMessageVisibilityBatch: invalid handles fail (SenderFault=true), an entry can fail on SQS's side
    (InternalError, SenderFault=false), and Failed comes in any order: map each back by its Id."""
    url = make_queue(VisibilityTimeout=30)
    jobs = numbered_bodies(4)
    send_batched(sqs, url, jobs)
    received = receive_all(sqs, url, expect=4)
    body_of = {m["ReceiptHandle"]: m["Body"] for m in received}
    handles = list(body_of)
    bogus = [f"not-a-receipt-handle-{secrets.token_hex(4)}" for _ in range(2)]
    given = [handles[0], bogus[0], handles[1], handles[2], bogus[1], handles[3]]
    faults.entry("ChangeMessageVisibilityBatch", 3, "InternalError")  # one of the valid entries
    failed = kata.change_visibility_batch(sqs, url, given, 0)
    returned = list(failed) if isinstance(failed, list) else []
    back = set(bodies(receive_all(sqs, url, expect=len(handles) - len(set(returned) & set(handles)), wait=1)))
    expect(len(back) >= len(handles) - 1,
           zh="同一批裡其他有效的項目仍然要被釋放", en="the other valid entries of the batch should still be released",
           expected=f"at least {len(handles) - 1} of {sorted(jobs)}", seen=sorted(back))
    still_hidden = [h for h in handles if body_of[h] not in back]
    short = {h: f"{h[:16]}...(the handle of {body_of[h]})" for h in handles}  # readable, not 400 characters each
    expect_equal(sorted((short.get(h, h) if isinstance(h, str) else h for h in failed), key=repr)
                 if isinstance(failed, list) else failed, sorted((short[h] if h in short else h
                                                                 for h in bogus + still_hidden), key=repr),
                 zh="要回傳每個 SQS 沒能變更的 receipt handle：兩個無效的，以及 SenderFault=false 的 InternalError 那一個"
                    "（Failed 的順序不一定，用 Id 對回 receipt handle；receipt handle 本身不能當 Id）",
                 en="return every receipt handle SQS could not change: the two invalid ones and the one that failed "
                    "with InternalError (SenderFault=false); Failed comes in any order, so map each Id back to its "
                    "handle (a receipt handle cannot be an Id)")
