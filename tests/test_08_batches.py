"""Exercise 08 -- batches: chunks of at most 10, partial failures reported, whole-request errors, batch delete."""

import math
import re
import secrets
from typing import Any

from botocore.exceptions import ClientError

from sqs_kata.checks import expect, expect_equal, fail
from sqs_kata.observe import (MAX_BATCH_ENTRIES, SentRequests, bodies, error_code, numbered_bodies, receive_all,
                              send_batched, short_poll)
from sqs_kata.properties import for_all, st

MAX_DELAY_SECONDS = 900
# A per-entry failure every backend reports in Failed (AWS, moto, ElasticMQ): a delay over the limit.
REFUSED_DELAY = {"InvalidParameterValue", "InvalidAttributeValue"}
# SQS: a batch entry Id is 1 to 80 characters of A-Z a-z 0-9 - _, unique within its request.
BATCH_ENTRY_ID = re.compile(r"[A-Za-z0-9_-]{1,80}")
# Bodies no Id can be made of as they are: spaces, other alphabets, 81 characters, repeats (in both chunks).
AWKWARD_BODIES = ["two words", "中文 ✓ 🎉", "x" * 81, "same", "same", "tab\tand\nnewline", "dots.and/slash+plus=",
                  " padded ", "-", "a" * 80, "same", "same"]


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


def test_chunks_keeps_every_item_in_order_in_full_chunks(kata):
    """The batch actions take at most 10 entries: every chunk is full but the last, none is empty, nothing is lost.

    Pure function, so checked on many inputs (Hypothesis); a result kept between calls fails on the second one.
    """

    @for_all(items=st.lists(st.integers(), max_size=35), size=st.integers(1, 12))
    def check(items: list[int], size: int) -> None:
        given = list(items)
        result = kata.chunks(items, size)
        expect_equal(items, given, zh="chunks 不該改動傳進來的 list", en="chunks should not change the list it is given")
        expect(isinstance(result, list) and all(isinstance(chunk, list) for chunk in result),
               zh="應該回傳由 list 組成的 list", en="should return a list of lists", expected="[[...], ...]",
               seen=result)
        expect_equal([item for chunk in result for item in chunk], given,
                     zh="把每一組接起來，應該剛好是原本的項目、原本的順序（不多、不少、不重複）",
                     en="joined together, the chunks should be exactly the items given, in order (none lost, none "
                        "added)")
        expect(all(0 < len(chunk) <= size for chunk in result) and all(len(chunk) == size for chunk in result[:-1]),
               zh=f"每一組最多 size={size} 個、不能是空的，而且除了最後一組都剛好 {size} 個（要用傳進來的 size）",
               en=f"every chunk holds at most size={size} items and none is empty; all but the last hold exactly "
                  f"{size} (use the size you are given)",
               expected=[len(c) for c in _reference_chunks(given, size)], seen=[len(c) for c in result])

    check()


def _reference_chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[start:start + size] for start in range(0, len(items), size)]


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
    """SQS lists a batch's Successful entries in any order: each carries the entry Id to map it back.

    Two bodies are equal, so a MessageId looked up by body (not by entry) is caught too.
    """
    url = make_queue()
    sent = numbered_bodies(11)
    sent.insert(7, sent[2])  # 12 bodies, two of them equal
    ids = kata.send_in_batches(sqs, url, sent)
    body_of = {m["MessageId"]: m["Body"] for m in _received(sqs, url, len(sent))}
    expect(isinstance(ids, list) and len(set(ids)) == len(sent) and [body_of.get(i) for i in ids] == sent,
           zh="應該依 bodies 的順序回傳每則訊息自己的 MessageId（跨兩批；Successful 的順序不一定，用 Id 對回去；"
              "相同的 body 也是不同的訊息）",
           en="should return each message's own MessageId in the order of bodies (across both batches; Successful "
              "comes in any order, so map it back by Id; equal bodies are still different messages)",
           expected=sent, seen=[body_of.get(i, i) for i in ids] if isinstance(ids, list) else ids)


def test_send_in_batches_gives_every_entry_a_valid_unique_id(sqs, kata, make_queue):
    """SQS: an entry Id is 1-80 of A-Z a-z 0-9 - _ and unique within its request (else the whole batch is refused).

    A body is not an Id: these have spaces, other alphabets, 81 characters, and repeats within and across chunks.
    """
    url = make_queue()
    with SentRequests(sqs) as calls:
        error = kata.send_in_batches.raised(sqs, url, AWKWARD_BODIES)
    for batch in calls["SendMessageBatch"]:
        ids = [entry.get("Id") for entry in batch.get("Entries", [])]
        expect(all(isinstance(i, str) and BATCH_ENTRY_ID.fullmatch(i) for i in ids) and len(set(ids)) == len(ids),
               zh="每個 Entry 的 Id 只能是 1 到 80 個 A-Z a-z 0-9 - _，而且同一批裡不能重複：body 不能直接當 Id"
                  "（用 str(i) 之類的編號）",
               en="every entry Id must be 1 to 80 characters of A-Z a-z 0-9 - _ and unique within its batch: a body "
                  "is not an Id (number the entries, e.g. str(i))", expected="distinct Ids like '0', '1', ...",
               seen=ids)
    if error is not None:
        fail(zh="SQS 拒絕了整個批次請求：檢查每個 Entry 的 Id", en="SQS refused the whole batch request: check the "
             "entry Ids", expected="no error", seen=f"{error.response['Error'].get('Code')}: {error}")
    expect_equal(sorted(bodies(_received(sqs, url, len(AWKWARD_BODIES)))), sorted(AWKWARD_BODIES),
                 zh="每個 body 都應該送出一則訊息（重複的 body 也要各送一次）",
                 en="every body should be sent as one message (a repeated body once per time it is given)")


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


def test_send_batch_reports_entries_that_failed_on_sqs_side_too(sqs, kata, make_queue, faults):
    """SendMessageBatch: an entry may fail with SenderFault=false (InternalError, on SQS's side); it is in Failed too."""
    url = make_queue()
    token = secrets.token_hex(3)
    entries = [{"Id": f"a-{token}", "MessageBody": "alpha"},
               {"Id": f"late-{token}", "MessageBody": "too late", "DelaySeconds": MAX_DELAY_SECONDS + 1},
               {"Id": f"c-{token}", "MessageBody": "gamma"},
               {"Id": f"d-{token}", "MessageBody": "delta"}]
    faults.entry("SendMessageBatch", 2, "InternalError")
    with SentRequests(sqs) as calls:
        failed = kata.send_batch(sqs, url, entries)
    expect_equal(len(calls["SendMessageBatch"]), 1, zh="應該用一次 SendMessageBatch 送出",
                 en="should send with one SendMessageBatch call")
    seen = {key: error_code(code) for key, code in failed.items()} if isinstance(failed, dict) else failed
    expect(isinstance(seen, dict) and set(seen) == {f"late-{token}", f"c-{token}"}
           and seen[f"c-{token}"] == "InternalError" and seen[f"late-{token}"] in REFUSED_DELAY,
           zh="Failed 裡的每一項都要回報，包括 SenderFault=false 的（SQS 那邊的錯誤，例如 InternalError）：回傳 {Id: Code}",
           en="report every entry in Failed, including those with SenderFault=false (an error on SQS's side, such "
              "as InternalError): return {Id: Code}",
           expected={f"late-{token}": "InvalidParameterValue", f"c-{token}": "InternalError"}, seen=failed)
    expect_equal(sorted(bodies(_received(sqs, url, 2))), ["alpha", "delta"],
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


def test_batch_request_error_reports_an_invalid_entry_id(sqs, kata, make_queue):
    """SQS refuses a whole batch with an Id that is not 1-80 of A-Z a-z 0-9 - _ (InvalidBatchEntryId)."""
    url = make_queue()
    for bad_id in ("two words", "x" * 81):
        entries = [{"Id": "fine", "MessageBody": "one"}, {"Id": bad_id, "MessageBody": "two"}]
        with SentRequests(sqs) as calls:
            code = kata.batch_request_error(sqs, url, entries)
        expect_equal(len(calls["SendMessageBatch"]), 1, zh="要照原樣呼叫 SendMessageBatch，讓 SQS 來判斷",
                     en="call SendMessageBatch with the entries as given and let SQS judge")
        expect_equal(error_code(code), "InvalidBatchEntryId",
                     zh=f"Id {bad_id[:12]!r}… 不是 1 到 80 個 A-Z a-z 0-9 - _，SQS 會拒絕整個請求：回傳錯誤代碼",
                     en=f"the Id {bad_id[:12]!r}... is not 1 to 80 of A-Z a-z 0-9 - _ and SQS refuses the whole "
                        "request: return the error code")
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


def test_delete_in_batches_reports_failures_from_every_chunk_in_the_order_given(sqs, kata, make_queue, clock,
                                                                              faults):
    """DeleteMessageBatch: an invalid handle fails (SenderFault=true), an entry may fail on SQS's side
    (InternalError, SenderFault=false), Failed comes in any order, and each call reports its own entries."""
    url = make_queue(VisibilityTimeout=2)
    send_batched(sqs, url, numbered_bodies(11))
    received = _received(sqs, url, 11)
    body_of = {m["ReceiptHandle"]: m["Body"] for m in received}
    handles = list(body_of)
    bogus = [f"not-a-receipt-handle-{secrets.token_hex(4)}" for _ in range(2)]
    # 13 handles: one invalid in the first chunk of 10, one in the second.
    given = handles[:2] + [bogus[0]] + handles[2:10] + [bogus[1]] + handles[10:]
    faults.entry("DeleteMessageBatch", 5, "InternalError")
    failed = kata.delete_in_batches(sqs, url, given)
    clock.advance(2)  # past the visibility timeout: what was not deleted is back
    left = set(bodies(receive_all(sqs, url, expect=2, wait=1)))
    expect(len(left) <= 1, zh="除了 SQS 回報失敗的那一項，其他有效的 receipt handle 都要刪掉",
           en="every valid receipt handle except the one SQS reported as failed should be deleted",
           expected="at most 1 message left", seen=sorted(left))
    expected = [h for h in given if h in bogus or body_of.get(h) in left]
    short = {h: f"{h[:16]}...(the handle of {body})" for h, body in body_of.items()}  # not 400 characters each
    shown = [short.get(h, h) if isinstance(h, str) else h for h in failed] if isinstance(failed, list) else failed
    expect_equal(shown, [short.get(h, h) for h in expected],
                 zh="要回報每一次 DeleteMessageBatch 的 Failed（無效的 handle，以及 SenderFault=false 的 InternalError），"
                    "用 Id 對回 receipt handle，照傳進來的順序回傳",
                 en="report the Failed entries of every DeleteMessageBatch call (the invalid handles, and the "
                    "InternalError with SenderFault=false), mapped back by Id, in the order the handles were given")
