"""Exercise 14 -- errors: a missing queue or a bad input is a clear result for the caller, not a crash."""

from __future__ import annotations

from typing import Any

from sqs_kata.checks import expect, expect_equal
from sqs_kata.observe import (MISSING_QUEUE_CODES, SentRequests, bodies, counts, error_code, missing_queue_url,
                               receive_all, short_poll, word)

# SQS's JSON protocol is "query compatible": botocore may report a missing queue under its new code
# or its classic one, depending on the server's x-amzn-query-error header. Both are correct, with or
# without the AWS.SimpleQueueService. prefix.

# What real SQS answers for an empty MessageBody (emulators may accept it, so the learner checks first).
EMPTY_BODY_ERROR = "MissingParameter"


def _is_missing_queue_result(result: Any) -> bool:
    return (isinstance(result, dict) and result.get("ok") is False
            and error_code(result.get("error")) in {error_code(code) for code in MISSING_QUEUE_CODES})


def _is_refusal(result: Any, code: str) -> bool:
    """{"ok": False, "error": code}, the code with or without the AWS.SimpleQueueService. prefix."""
    return isinstance(result, dict) and result.get("ok") is False and error_code(result.get("error")) == code


def _raised_code(error: Any) -> Any:
    return error_code(error.response["Error"].get("Code")) if error is not None else None


def test_send_safely_sends_and_reports_the_message_id(sqs, kata, make_queue):
    url = make_queue()
    result = kata.send_safely(sqs, url, "hello")
    got = receive_all(sqs, url, expect=1)
    expect_equal(bodies(got), ["hello"], zh="訊息應該真的送到佇列上", en="the message should really be on the queue")
    expect_equal(result, {"ok": True, "message_id": got[0]["MessageId"]},
                 zh="成功時應該回傳 {'ok': True, 'message_id': <MessageId>}",
                 en="on success should return {'ok': True, 'message_id': <MessageId>}")


def test_send_safely_to_a_missing_queue_returns_the_error_code(sqs, kata, make_queue, queue_prefix):
    missing = missing_queue_url(make_queue(), queue_prefix + "missing")
    result = kata.send_safely(sqs, missing, "hello")
    expect(_is_missing_queue_result(result),
           zh="佇列不存在時不要丟出例外，要回傳 {'ok': False, 'error': <錯誤代碼>}"
              "（接住 ClientError，讀 error.response['Error']['Code']）",
           en="a missing queue should not raise: return {'ok': False, 'error': <error code>} "
              "(catch ClientError, read error.response['Error']['Code'])",
           expected=f"{{'ok': False, 'error': one of {MISSING_QUEUE_CODES}}}", seen=result)


def test_send_safely_rejects_an_empty_body_before_calling_sqs(sqs, kata, make_queue):
    url = make_queue()
    with SentRequests(sqs) as calls:
        result = kata.send_safely(sqs, url, "")
    expect_equal(result, {"ok": False, "error": EMPTY_BODY_ERROR},
                 zh=f"空的 body 應該回傳 {{'ok': False, 'error': '{EMPTY_BODY_ERROR}'}}（SQS 要求至少一個字元）",
                 en=f"an empty body should give {{'ok': False, 'error': '{EMPTY_BODY_ERROR}'}} "
                    "(SQS needs at least one character)")
    expect_equal(len(calls["SendMessage"]), 0, zh="空的 body 要在呼叫 SQS 之前就擋下來",
                 en="an empty body should be rejected before calling SQS")
    expect_equal(counts(sqs, url)["visible"], 0, zh="佇列上不該出現空訊息", en="no empty message should reach the queue")


def test_queue_exists_tells_existing_from_missing(sqs, kata, make_queue, queue_prefix):
    make_queue("here")
    expect_equal(kata.queue_exists(sqs, queue_prefix + "here"), True,
                 zh="存在的佇列應該回傳 True", en="an existing queue should give True")
    expect_equal(kata.queue_exists(sqs, queue_prefix + "not-here"), False,
                 zh="不存在的佇列應該回傳 False，不要丟出例外", en="a missing queue should give False, not raise")


def test_receive_safely_returns_the_bodies(sqs, kata, make_queue):
    url = make_queue()
    sqs.send_message(QueueUrl=url, MessageBody="one")
    result = kata.receive_safely(sqs, url, 1)
    expect_equal(result, {"ok": True, "bodies": ["one"]},
                 zh="成功時應該回傳 {'ok': True, 'bodies': [...]}",
                 en="on success should return {'ok': True, 'bodies': [...]}")
    expect_equal(counts(sqs, url)["in_flight"], 1, zh="只接收、不刪除：訊息應該還在（處理中）",
                 en="receive only, do not delete: the message should still be there (in flight)")


def test_receive_safely_on_a_missing_queue_returns_the_error_code(sqs, kata, make_queue, queue_prefix):
    missing = missing_queue_url(make_queue(), queue_prefix + "gone")
    result = kata.receive_safely(sqs, missing, 1)
    expect(_is_missing_queue_result(result),
           zh="佇列不存在時不要丟出例外，要回傳 {'ok': False, 'error': <錯誤代碼>}",
           en="a missing queue should not raise: return {'ok': False, 'error': <error code>}",
           expected=f"{{'ok': False, 'error': one of {MISSING_QUEUE_CODES}}}", seen=result)


def test_send_safely_reports_throttling_and_internal_errors(sqs, kata, make_queue, faults):
    """CommonErrors: any call can be throttled (400) or fail inside SQS (InternalError, 500): both are refusals."""
    url = make_queue()
    for code in ("RequestThrottled", "InternalError"):
        faults.next("SendMessage", code)
        result = kata.send_safely(sqs, url, word("order"))
        expect(_is_refusal(result, code),
               zh=f"SQS 拒絕（這裡是 {code}）時不要丟出例外，要回傳 {{'ok': False, 'error': '{code}'}}",
               en=f"when SQS refuses (here: {code}), do not raise: return {{'ok': False, 'error': '{code}'}}",
               expected={"ok": False, "error": code}, seen=result)
    expect_equal(short_poll(sqs, url, wait=0), [], zh="被拒絕的訊息不在佇列上", en="no refused message is on the queue")


def test_send_safely_reports_a_body_sqs_refuses(sqs, kata, make_queue):
    """SendMessage: a body holds only #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF."""
    url = make_queue()
    result = kata.send_safely(sqs, url, "nul\x00byte")
    expect(_is_refusal(result, "InvalidMessageContents"),
           zh="SQS 不接受含 \\x00 的 body（InvalidMessageContents）：要回傳 {'ok': False, 'error': <錯誤碼>}",
           en="SQS refuses a body holding \\x00 (InvalidMessageContents): return {'ok': False, 'error': <code>}",
           expected={"ok": False, "error": "InvalidMessageContents (prefix optional)"}, seen=result)


def test_send_safely_sends_blank_and_large_bodies(sqs, kata, make_queue):
    """SendMessage: any allowed character counts (a space is #x20); a message may be up to 1 MiB (1,048,576 bytes)."""
    url = make_queue()
    blank, large = "   ", "x" * 300_000  # larger than the old 256 KiB limit
    for body, what_zh, what_en in ((blank, "只有空白的 body 也是合法訊息（不是空的）", "a body of blanks is a valid message (not an "
                                    "empty one)"), (large, "300 KB 的 body 也可以送：SQS 的上限是 1 MiB",
                                                    "a 300 KB body can be sent: SQS's limit is 1 MiB")):
        result = kata.send_safely(sqs, url, body)
        expect(isinstance(result, dict) and result.get("ok") is True, zh=f"{what_zh}：應該送出並回傳 ok True",
               en=f"{what_en}: it should be sent, with ok True", expected={"ok": True, "message_id": "..."},
               seen=result if len(str(result)) < 300 else str(result)[:300])
    got = sorted(len(m["Body"]) for m in receive_all(sqs, url, expect=2))
    expect_equal(got, [len(blank), len(large)], zh="兩則訊息都應該在佇列上", en="both messages should be on the queue")


def test_queue_exists_lets_other_errors_reach_the_caller(sqs, kata, make_queue, queue_prefix, faults):
    """CommonErrors: AccessDenied or throttling says nothing about whether the queue exists."""
    make_queue("here")
    for code in ("AccessDenied", "RequestThrottled"):
        for action in ("GetQueueUrl", "ListQueues"):  # whichever way the code asks
            faults.next(action, code)
        error = kata.queue_exists.raised(sqs, queue_prefix + "here")
        expect(_raised_code(error) == code,
               zh=f"只有 QueueDoesNotExist 代表 False；其他錯誤（這裡是 {code}）不是答案，要讓呼叫者看到",
               en=f"only QueueDoesNotExist means False; any other error (here: {code}) is not an answer and must "
                  "reach the caller", expected=f"{code} raised",
               seen=repr(error) if error is not None else "no error (the function returned)")


def test_queue_exists_matches_the_whole_name(sqs, kata, make_queue, queue_prefix):
    """GetQueueUrl takes the exact name; ListQueues' QueueNamePrefix matches every name that starts with it."""
    make_queue("orders-archive")
    expect_equal(kata.queue_exists(sqs, queue_prefix + "orders"), False,
                 zh="只有 orders-archive 存在：orders 不存在（要比對完整名稱，不是開頭）",
                 en="only orders-archive exists: orders does not (match the whole name, not a prefix)")


def test_receive_safely_long_polls_with_the_wait_it_is_given(sqs, kata, make_queue):
    """ReceiveMessage: WaitTimeSeconds and MaxNumberOfMessages (1-10) as the caller asks."""
    url = make_queue()
    sqs.send_message(QueueUrl=url, MessageBody="one")
    with SentRequests(sqs) as sent:
        result = kata.receive_safely(sqs, url, 2)
    asked = [(p.get("WaitTimeSeconds"), p.get("MaxNumberOfMessages")) for p in sent["ReceiveMessage"]]
    expect(bool(asked) and set(asked) == {(2, 10)},
           zh="ReceiveMessage 要用 WaitTimeSeconds=2（傳入的 wait_seconds）和 MaxNumberOfMessages=10 長輪詢",
           en="ReceiveMessage should long-poll with WaitTimeSeconds=2 (the wait_seconds passed in) and "
              "MaxNumberOfMessages=10", expected=[(2, 10)], seen=asked)
    expect_equal(result, {"ok": True, "bodies": ["one"]}, zh="成功時應該回傳 {'ok': True, 'bodies': [...]}",
                 en="on success should return {'ok': True, 'bodies': [...]}")


def test_receive_safely_of_nothing_is_an_empty_list(sqs, kata, make_queue):
    """ReceiveMessage: when nothing is received the response has no Messages key at all."""
    url = make_queue()
    result = kata.receive_safely(sqs, url, 0)
    expect_equal(result, {"ok": True, "bodies": []}, zh="什麼都沒收到時應該回傳 {'ok': True, 'bodies': []}（回應裡沒有 Messages）",
                 en="when nothing is received, return {'ok': True, 'bodies': []} (the response has no Messages)")


def test_receive_safely_reports_throttling(sqs, kata, make_queue, faults):
    """CommonErrors: a throttled receive is a refusal, not an empty queue."""
    url = make_queue()
    faults.next("ReceiveMessage", "RequestThrottled")
    result = kata.receive_safely(sqs, url, 1)
    expect(_is_refusal(result, "RequestThrottled"),
           zh="被限流（RequestThrottled）不是空佇列：應該回傳 {'ok': False, 'error': 'RequestThrottled'}",
           en="being throttled (RequestThrottled) is not an empty queue: return {'ok': False, 'error': "
              "'RequestThrottled'}", expected={"ok": False, "error": "RequestThrottled"}, seen=result)
