"""Exercise 08 -- batches: chunks of at most 10, partial failures reported, whole-request errors, batch delete."""

import math
import secrets
from typing import Any

from botocore.exceptions import ClientError

from sqs_kata.checks import expect, expect_equal
from sqs_kata.observe import (MAX_BATCH_ENTRIES, SentRequests, bodies, error_code, numbered_bodies, receive_all,
                              send_batched, short_poll)

MAX_DELAY_SECONDS = 900
# A per-entry failure every backend reports in Failed (AWS, moto, ElasticMQ): a delay over the limit.
REFUSED_DELAY = {"InvalidParameterValue", "InvalidAttributeValue"}


def _received(sqs: Any, url: str, count: int) -> list[dict[str, Any]]:
    return receive_all(sqs, url, expect=count, wait=1, rounds=count)


def test_chunks_splits_into_groups_of_at_most_ten(kata):
    expect_equal(kata.chunks(list(range(23))), [list(range(0, 10)), list(range(10, 20)), [20, 21, 22]],
                 zh="23 個項目應該分成 10、10、3（預設大小是 MAX_BATCH_ENTRIES = 10），順序不變",
                 en="23 items should become groups of 10, 10 and 3 (the default size is MAX_BATCH_ENTRIES = 10), "
                    "in order")
    expect_equal(kata.chunks(["a", "b", "c", "d", "e"], 2), [["a", "b"], ["c", "d"], ["e"]],
                 zh="size=2 時每組最多 2 個", en="with size=2 each group holds at most 2")
    expect_equal(kata.chunks(list(range(MAX_BATCH_ENTRIES))), [list(range(MAX_BATCH_ENTRIES))],
                 zh="剛好 10 個是一組，不要多出空的一組", en="exactly 10 items make one group, with no empty group after it")
    expect_equal(kata.chunks([]), [], zh="沒有項目就沒有組：回傳 []", en="no items, no groups: return []")


def test_send_in_batches_uses_one_batch_call_per_ten_messages(sqs, kata, make_queue):
    url = make_queue()
    sent = numbered_bodies(23)
    with SentRequests(sqs) as calls:
        kata.send_in_batches(sqs, url, sent)
    batches = calls["SendMessageBatch"]
    expect_equal(len(batches), math.ceil(len(sent) / MAX_BATCH_ENTRIES),
                 zh="23 則訊息應該用 3 次 SendMessageBatch（每次最多 10 則）",
                 en="23 messages should take 3 SendMessageBatch calls (at most 10 entries each)")
    expect_equal(len(calls["SendMessage"]), 0, zh="不該逐則呼叫 SendMessage", en="should not call SendMessage one by one")
    for batch in batches:
        ids = [entry.get("Id") for entry in batch.get("Entries", [])]
        expect(len(ids) <= MAX_BATCH_ENTRIES and len(set(ids)) == len(ids),
               zh="每批最多 10 個 Entry，而且同一批裡的 Id 不能重複",
               en="each batch holds at most 10 entries, and Ids must be unique within a batch",
               expected="<= 10 distinct Ids", seen=ids)
    expect_equal(sorted(bodies(_received(sqs, url, len(sent)))), sent,
                 zh="23 則訊息都應該送到佇列，每則一次", en="all 23 messages should be on the queue, once each")


def test_send_in_batches_returns_message_ids_in_the_order_of_the_bodies(sqs, kata, make_queue):
    url = make_queue()
    sent = numbered_bodies(12)
    ids = kata.send_in_batches(sqs, url, sent)
    by_body = {m["Body"]: m["MessageId"] for m in _received(sqs, url, len(sent))}
    expect_equal(ids, [by_body.get(body) for body in sent],
                 zh="應該依 bodies 的順序回傳每則訊息的 MessageId（跨兩批）",
                 en="should return each message's MessageId in the order of bodies (across both batches)")


def test_send_in_batches_sends_ten_in_one_call_and_nothing_for_none(sqs, kata, make_queue):
    url = make_queue()
    with SentRequests(sqs) as calls:
        ids = kata.send_in_batches(sqs, url, [])
    expect_equal((ids, len(calls["SendMessageBatch"]), len(calls["SendMessage"])), ([], 0, 0),
                 zh="沒有訊息時不該呼叫 SQS（空的批次會被拒絕），回傳 []",
                 en="with no bodies, make no call (SQS refuses an empty batch) and return []")
    with SentRequests(sqs) as calls:
        kata.send_in_batches(sqs, url, numbered_bodies(MAX_BATCH_ENTRIES))
    expect_equal(len(calls["SendMessageBatch"]), 1, zh="剛好 10 則只需要一次 SendMessageBatch",
                 en="exactly 10 messages need just one SendMessageBatch call")


def test_send_batch_reports_the_entry_sqs_refused(sqs, kata, make_queue):
    url = make_queue()
    token = secrets.token_hex(3)
    entries = [{"Id": f"first-{token}", "MessageBody": "first"},
               {"Id": f"late-{token}", "MessageBody": "too late", "DelaySeconds": MAX_DELAY_SECONDS + 1},
               {"Id": f"last-{token}", "MessageBody": "last"}]
    with SentRequests(sqs) as calls:
        failed = kata.send_batch(sqs, url, entries)
    expect_equal(len(calls["SendMessageBatch"]), 1, zh="應該用一次 SendMessageBatch 送出",
                 en="should send with one SendMessageBatch call")
    expect(isinstance(failed, dict) and list(failed) == [f"late-{token}"]
           and error_code(failed[f"late-{token}"]) in REFUSED_DELAY,
           zh="DelaySeconds=901 的那一項會出現在回應的 Failed 裡：回傳 {Id: Code}，不要吞掉",
           en="the entry with DelaySeconds=901 is in the response's Failed list: return {Id: Code}, do not "
              "swallow it", expected={f"late-{token}": "InvalidParameterValue"}, seen=failed)
    expect_equal(sorted(bodies(_received(sqs, url, 2))), ["first", "last"],
                 zh="同一批裡其他的項目仍然送出了", en="the other entries of the same batch were still sent")


def test_send_batch_returns_an_empty_dict_when_every_entry_was_sent(sqs, kata, make_queue):
    url = make_queue()
    entries = [{"Id": f"e{i}", "MessageBody": body, "DelaySeconds": 0} for i, body in enumerate(numbered_bodies(3))]
    failed = kata.send_batch(sqs, url, entries)
    expect_equal(failed, {}, zh="全部成功時應該回傳 {}", en="when every entry was sent, return {}")
    expect_equal(sorted(bodies(_received(sqs, url, 3))), sorted(e["MessageBody"] for e in entries),
                 zh="三則訊息都應該送到佇列", en="all three messages should be on the queue")


def test_batch_request_error_reports_too_many_entries(sqs, kata, make_queue):
    url = make_queue()
    entries = [{"Id": f"m{i}", "MessageBody": body} for i, body in enumerate(numbered_bodies(MAX_BATCH_ENTRIES + 1))]
    with SentRequests(sqs) as calls:
        code = kata.batch_request_error(sqs, url, entries)
    expect_equal(len(calls["SendMessageBatch"]), 1, zh="要真的呼叫 SendMessageBatch，讓 SQS 來判斷",
                 en="really call SendMessageBatch and let SQS judge")
    expect_equal(error_code(code), "TooManyEntriesInBatchRequest",
                 zh="11 個 Entry 超過上限，SQS 會拒絕整個請求：回傳錯誤代碼",
                 en="11 entries are over the limit and SQS refuses the whole request: return the error code")
    expect_equal(short_poll(sqs, url), [], zh="被拒絕的請求不會送出任何訊息",
                 en="a refused request sends no message at all")


def test_batch_request_error_reports_duplicate_ids(sqs, kata, make_queue):
    url = make_queue()
    entries = [{"Id": "same", "MessageBody": body} for body in numbered_bodies(2)]
    with SentRequests(sqs) as calls:
        code = kata.batch_request_error(sqs, url, entries)
    expect_equal(len(calls["SendMessageBatch"]), 1, zh="要真的呼叫 SendMessageBatch，讓 SQS 來判斷",
                 en="really call SendMessageBatch and let SQS judge")
    expect_equal(error_code(code), "BatchEntryIdsNotDistinct",
                 zh="兩個 Entry 用了同一個 Id，SQS 會拒絕整個請求：回傳錯誤代碼",
                 en="two entries share an Id and SQS refuses the whole request: return the error code")
    expect_equal(short_poll(sqs, url), [], zh="被拒絕的請求不會送出任何訊息",
                 en="a refused request sends no message at all")


def test_batch_request_error_reports_an_empty_batch(sqs, kata, make_queue):
    url = make_queue()
    try:  # what this backend says to an empty batch: AWS and moto refuse it; an emulator may accept it
        sqs.send_message_batch(QueueUrl=url, Entries=[])
        backend_says = None
    except ClientError as error:
        backend_says = error_code(error.response["Error"]["Code"])
    code = kata.batch_request_error(sqs, url, [])
    expect(error_code(code) in {backend_says, "EmptyBatchRequest"},
           zh="空的批次會被 SQS 拒絕：回傳錯誤代碼（EmptyBatchRequest），不要讓例外跑出來",
           en="SQS refuses an empty batch: return the error code (EmptyBatchRequest), do not let the exception escape",
           expected=backend_says or "EmptyBatchRequest (or None where the server accepts an empty batch)", seen=code)


def test_batch_request_error_returns_none_when_sqs_took_the_request(sqs, kata, make_queue):
    url = make_queue()
    entries = [{"Id": "ok", "MessageBody": "fine"},
               {"Id": "late", "MessageBody": "too late", "DelaySeconds": MAX_DELAY_SECONDS + 1}]
    code = kata.batch_request_error(sqs, url, entries)
    expect_equal(code, None, zh="SQS 接受了這個請求（只有一項失敗，那是部分失敗，不是整個請求的錯誤）：回傳 None",
                 en="SQS took this request (one entry failing is a partial failure, not a request error): return None")
    expect_equal(bodies(_received(sqs, url, 1)), ["fine"], zh="有效的那一項應該送到佇列",
                 en="the valid entry should be on the queue")


def test_delete_in_batches_deletes_every_message(sqs, kata, make_queue, clock):
    url = make_queue(VisibilityTimeout=2)
    sent = numbered_bodies(12)
    send_batched(sqs, url, sent)
    handles = [m["ReceiptHandle"] for m in _received(sqs, url, len(sent))]
    with SentRequests(sqs) as calls:
        failed = kata.delete_in_batches(sqs, url, handles)
    expect_equal(failed, [], zh="全部刪除成功時應該回傳 []", en="when every message was deleted, return []")
    expect_equal((len(calls["DeleteMessageBatch"]), len(calls["DeleteMessage"])), (2, 0),
                 zh="12 個 receipt handle 應該用 2 次 DeleteMessageBatch（每次最多 10 個），不逐則 DeleteMessage",
                 en="12 receipt handles should take 2 DeleteMessageBatch calls (at most 10 each), no DeleteMessage")
    clock.advance(2)  # past the visibility timeout: an undeleted message would be back
    expect_equal(short_poll(sqs, url), [], zh="刪除後佇列應該是空的，逾時後也沒有訊息回來",
                 en="after deleting, the queue should be empty: nothing comes back after the timeout")


def test_delete_in_batches_returns_the_handles_that_failed(sqs, kata, make_queue, clock):
    url = make_queue(VisibilityTimeout=2)
    send_batched(sqs, url, numbered_bodies(2))
    handles = [m["ReceiptHandle"] for m in _received(sqs, url, 2)]
    bogus = f"not-a-receipt-handle-{secrets.token_hex(4)}"
    failed = kata.delete_in_batches(sqs, url, [handles[0], bogus, handles[1]])
    expect_equal(failed, [bogus],
                 zh="SQS 刪不掉的項目（回應裡的 Failed）要回報：回傳那個 receipt handle",
                 en="report what SQS could not delete (the response's Failed list): return that receipt handle")
    clock.advance(2)
    expect_equal(short_poll(sqs, url), [], zh="同一批裡有效的兩則仍然要被刪除",
                 en="the two valid entries in the same batch should still be deleted")
