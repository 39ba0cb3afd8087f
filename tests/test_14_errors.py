"""Exercise 14 -- errors: a missing queue or a bad input is a clear result for the caller, not a crash."""

from __future__ import annotations

from typing import Any

from sqs_kata.checks import expect, expect_equal
from sqs_kata.observe import SentRequests, bodies, counts, missing_queue_url, receive_all

# SQS's JSON protocol is "query compatible": botocore may report a missing queue under its new code
# or its classic one, depending on the server's x-amzn-query-error header. Both are correct.
MISSING_QUEUE_CODES = ("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue")

# What real SQS answers for an empty MessageBody (emulators may accept it, so the learner checks first).
EMPTY_BODY_ERROR = "MissingParameter"


def _is_missing_queue_result(result: Any) -> bool:
    return isinstance(result, dict) and result.get("ok") is False and result.get("error") in MISSING_QUEUE_CODES


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
