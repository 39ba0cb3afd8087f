"""Exercise 02 -- queue lifecycle: create with attributes, find by name, list page by page, delete."""

from __future__ import annotations

import json
from typing import Any

from sqs_kata.checks import expect, expect_equal, expect_queue_created
from sqs_kata.observe import (SentRequests, attribute, empty_key_omitted, error_code, eventually, queue_names,
                              queue_url)


def _code(error: Any) -> Any:
    """The error code the learner's function let through (None when it returned), without the query prefix."""
    return error_code(error.response.get("Error", {}).get("Code")) if error is not None else None


def test_create_queue_returns_the_url_of_a_new_queue(sqs, kata, queue_name):
    url = kata.create_queue(sqs, queue_name)
    expect_queue_created(sqs, queue_name, url)


def test_create_queue_turns_numbers_into_attribute_strings(sqs, kata, queue_name):
    url = kata.create_queue(sqs, queue_name, {"VisibilityTimeout": 7, "DelaySeconds": 2})
    seen = {name: attribute(sqs, url, name) for name in ("VisibilityTimeout", "DelaySeconds")}
    expect_equal(seen, {"VisibilityTimeout": "7", "DelaySeconds": "2"},
                 zh="佇列應該帶著給定的屬性建立（數字要轉成字串 \"7\"）",
                 en="the queue should be created with the given attributes (numbers sent as strings like \"7\")")


def test_create_queue_uses_the_attributes_it_is_given(sqs, kata, queue_name):
    url = kata.create_queue(sqs, queue_name, {"VisibilityTimeout": 11, "ReceiveMessageWaitTimeSeconds": 3})
    seen = {name: attribute(sqs, url, name) for name in ("VisibilityTimeout", "ReceiveMessageWaitTimeSeconds")}
    expect_equal(seen, {"VisibilityTimeout": "11", "ReceiveMessageWaitTimeSeconds": "3"},
                 zh="要用傳進來的屬性，不要寫死某幾個", en="should use the attributes passed in, not fixed ones")


def test_create_queue_writes_booleans_as_lowercase_true_false(sqs, kata, queue_prefix):
    name = queue_prefix + "orders.fifo"
    with SentRequests(sqs) as requests:
        url = kata.create_queue(sqs, name, {"FifoQueue": True, "ContentBasedDeduplication": False})
    calls = requests["CreateQueue"]
    sent = calls[-1].get("Attributes", {}) if calls else {}
    expect_equal(sent, {"FifoQueue": "true", "ContentBasedDeduplication": "false"},
                 zh="布林值要寫成小寫字串 \"true\" / \"false\"（Python 的 str(True) 是 \"True\"）",
                 en="booleans should be sent as lowercase \"true\" / \"false\" (Python's str(True) is \"True\")")
    expect_equal(attribute(sqs, url, "FifoQueue"), "true",
                 zh="建立出來的應該是 FIFO 佇列", en="the queue created should be a FIFO queue")


def test_create_queue_sends_zero_and_strings_as_they_are(sqs, kata, make_queue, queue_prefix):
    """SQS attribute values are strings: 0 is a valid VisibilityTimeout ("0"), and a string attribute such as
    RedrivePolicy is JSON naming a queue ARN, which is case-sensitive: send it exactly as given."""
    dead_letters = make_queue("Dead-Letters")
    arn = attribute(sqs, dead_letters, "QueueArn")
    policy = json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 3})
    url = kata.create_queue(sqs, queue_prefix + "main", {"VisibilityTimeout": 0, "RedrivePolicy": policy})
    expect_equal(attribute(sqs, url, "VisibilityTimeout"), "0",
                 zh="VisibilityTimeout 給 0 也要設定成 \"0\"（0 是合法的值，不是「沒給」）",
                 en="VisibilityTimeout 0 should be set as \"0\" (0 is a valid value, not a missing one)")
    redrive = json.loads(attribute(sqs, url, "RedrivePolicy") or "{}")
    expect_equal(redrive.get("deadLetterTargetArn"), arn,
                 zh="字串屬性（RedrivePolicy 的 JSON）要原封不動地送出（不要轉小寫、不要再包一層引號）",
                 en="a string attribute (RedrivePolicy's JSON) should be sent unchanged (not lowercased, not "
                    "quoted again)")


def test_create_queue_with_empty_attributes_gets_the_defaults(sqs, kata, queue_prefix):
    """SQS: a queue created without attributes gets the defaults (VisibilityTimeout 30 s, DelaySeconds 0)."""
    url = kata.create_queue(sqs, queue_prefix + "plain", {})
    expect_queue_created(sqs, queue_prefix + "plain", url)
    seen = {name: attribute(sqs, url, name) for name in ("VisibilityTimeout", "DelaySeconds")}
    expect_equal(seen, {"VisibilityTimeout": "30", "DelaySeconds": "0"},
                 zh="attributes 是 {} 時，佇列要用 SQS 的預設值建立", en="with attributes {} the queue should get "
                 "SQS's defaults")


def test_find_queue_url_finds_an_existing_queue(sqs, kata, make_queue, queue_prefix):
    make_queue("apples")
    pears = make_queue("pears")
    expect_equal(kata.find_queue_url(sqs, queue_prefix + "pears"), pears,
                 zh="應該回傳名字對應的那個佇列的網址", en="should return the URL of the queue with that name")


def test_find_queue_url_returns_none_for_a_missing_queue(sqs, kata, queue_prefix):
    expect_equal(kata.find_queue_url(sqs, queue_prefix + "never-created"), None,
                 zh="佇列不存在時應該回傳 None（接住 sqs.exceptions.QueueDoesNotExist）",
                 en="should return None when the queue does not exist (catch sqs.exceptions.QueueDoesNotExist)")


def test_find_queue_url_matches_the_whole_name(sqs, kata, make_queue, queue_prefix):
    """GetQueueUrl looks a queue up by its exact name; a name that only starts another queue's name is not it."""
    make_queue("pear-2")
    make_queue("pearl")
    pear = make_queue("pear")
    expect_equal(kata.find_queue_url(sqs, queue_prefix + "pear"), pear,
                 zh="應該回傳名字完全相同的那個佇列的網址（pear，不是 pearl 或 pear-2）",
                 en="should return the URL of the queue with exactly that name (pear, not pearl or pear-2)")
    expect_equal(kata.find_queue_url(sqs, queue_prefix + "pea"), None,
                 zh="沒有名字剛好是 pea 的佇列：應該回傳 None（名字開頭相同不算）",
                 en="no queue is called exactly pea: should return None (sharing the start of a name is not enough)")


def test_find_queue_url_lets_any_other_error_reach_the_caller(sqs, kata, make_queue, queue_prefix, faults):
    """SQS may refuse GetQueueUrl (AccessDenied) or throttle it (RequestThrottled): that is not 'no such queue'."""
    make_queue("guarded")
    for code in ("AccessDenied", "RequestThrottled"):
        faults.next("GetQueueUrl", code)
        error = kata.find_queue_url.raised(sqs, queue_prefix + "guarded")
        expect_equal(_code(error), code,
                     zh=f"SQS 回 {code} 時要讓錯誤傳給呼叫者：只有 QueueDoesNotExist 代表「沒有這個佇列」",
                     en=f"when SQS answers {code} the error must reach the caller: only QueueDoesNotExist means "
                        "'no such queue'")


def _make_listed(sqs: Any, make_queue: Any, clock: Any, prefix: str, suffixes: list[str]) -> list[str]:
    """Make queues and wait until ListQueues shows them all (real SQS may take a moment)."""
    for suffix in suffixes:
        make_queue(suffix)
    wanted = sorted(prefix + s for s in suffixes)
    eventually(lambda: all(name in queue_names(sqs, prefix) for name in wanted), clock)
    return wanted


def test_list_queue_names_returns_only_names_with_the_prefix(sqs, kata, make_queue, queue_prefix, clock):
    orders = _make_listed(sqs, make_queue, clock, queue_prefix, ["orders-a", "orders-b", "orders-c"])
    _make_listed(sqs, make_queue, clock, queue_prefix, ["payments-a"])
    expect_equal(kata.list_queue_names(sqs, queue_prefix + "orders-"), orders,
                 zh="應該回傳所有以前綴開頭的佇列「名稱」（不是網址），排序好，不含其他佇列",
                 en="should return the sorted NAMES (not URLs) of every queue with the prefix, and no others")


def test_list_queue_names_matches_names_that_start_with_the_prefix(sqs, kata, make_queue, queue_prefix, clock):
    """ListQueues' QueueNamePrefix matches every name that starts with it (".fifo" names too); SQS lists them in no
    promised order, so sort the names; and each call answers for its own prefix."""
    shop = [queue_prefix + n for n in ("shop", "shop.fifo", "shopping", "shops-old")]
    for suffix in ("shops-old", "shopping", "sho"):
        make_queue(suffix)
    make_queue("shop", fifo=True)
    make_queue("shop")
    eventually(lambda: len(queue_names(sqs, queue_prefix + "sho")) == 5, clock)
    expect_equal(kata.list_queue_names(sqs, queue_prefix + "shop"), shop,
                 zh="名稱以前綴開頭的佇列都要列出（shop、shop.fifo、shopping、shops-old），排序好；sho 不算；"
                    "也不要留著之前呼叫的結果",
                 en="every queue whose name starts with the prefix should be listed (shop, shop.fifo, shopping, "
                    "shops-old), sorted; sho does not match; nothing kept from an earlier call")
    expect_equal(kata.list_queue_names(sqs, queue_prefix + "shops"), [queue_prefix + "shops-old"],
                 zh="再呼叫一次、換個前綴，只回傳這次前綴的佇列（不要留著上一次的結果）",
                 en="called again with another prefix it should return only that prefix's queues (nothing kept "
                    "from the last call)")


def test_list_queue_names_pages_through_every_queue(sqs, kata, make_queue, queue_prefix, clock):
    wanted = _make_listed(sqs, make_queue, clock, queue_prefix, [f"page-{i}" for i in range(5)])
    with SentRequests(sqs) as requests:
        names = kata.list_queue_names(sqs, queue_prefix + "page-", 2)
    sent = requests["ListQueues"]
    expect_equal(names, wanted, zh="分頁時也要拿到全部 5 個佇列（跟著 NextToken 一頁一頁拿）",
                 en="paging should still return all 5 queues (follow NextToken page after page)")
    expect_equal(sorted({p.get("MaxResults") for p in sent}, key=str), [2],
                 zh="每次 ListQueues 都要用 MaxResults=page_size（這裡是 2）",
                 en="every ListQueues call should ask for MaxResults=page_size (2 here)")
    # Real SQS and moto hand out pages when MaxResults is set; a server that returns everything at
    # once (no NextToken) is still within the API, so only demand several calls where pages exist.
    paginates = "NextToken" in sqs.list_queues(QueueNamePrefix=queue_prefix + "page-", MaxResults=2)
    if paginates:
        expect(len(sent) > 1,
               zh="5 個佇列、每頁 2 個，應該要呼叫 ListQueues 不只一次",
               en="5 queues at 2 per page should take more than one ListQueues call",
               expected="3 calls", seen=len(sent))


def test_list_queue_names_is_empty_when_nothing_matches(sqs, kata, make_queue, queue_prefix):
    make_queue("something")
    with empty_key_omitted(sqs, "ListQueues", "QueueUrls"):
        names = kata.list_queue_names(sqs, queue_prefix + "nothing-")
    expect_equal(names, [],
                 zh="沒有佇列符合前綴時應該回傳 []（回應裡沒有 QueueUrls 這個鍵）",
                 en="should return [] when no queue matches (the response has no QueueUrls key then)")


def test_delete_queue_removes_only_that_queue(sqs, kata, make_queue, queue_prefix, clock):
    make_queue("doomed")
    keeper = make_queue("keeper")
    expect_equal(kata.delete_queue(sqs, queue_prefix + "doomed"), True,
                 zh="刪除存在的佇列應該回傳 True", en="deleting an existing queue should return True")
    expect(eventually(lambda: queue_url(sqs, queue_prefix + "doomed") is None, clock),
           zh="刪除後 GetQueueUrl 應該找不到這個佇列", en="after deleting, GetQueueUrl should no longer find the queue")
    expect_equal(queue_url(sqs, queue_prefix + "keeper"), keeper,
                 zh="只能刪除指定的佇列，其他佇列要留著", en="only the named queue should be deleted; others stay")


def test_delete_queue_deletes_only_the_queue_with_exactly_that_name(sqs, kata, make_queue, queue_prefix, clock):
    """GetQueueUrl / DeleteQueue act on one queue by its exact name; queues whose names start the same stay."""
    make_queue("orders")
    archive = make_queue("orders-archive")
    expect_equal(kata.delete_queue(sqs, queue_prefix + "orders"), True,
                 zh="刪除存在的佇列應該回傳 True", en="deleting an existing queue should return True")
    eventually(lambda: queue_url(sqs, queue_prefix + "orders") is None, clock)
    expect_equal(queue_url(sqs, queue_prefix + "orders-archive"), archive,
                 zh="只能刪除名字完全相同的佇列：orders-archive 要留著",
                 en="only the queue with exactly that name may go: orders-archive stays")


def test_delete_queue_lets_any_other_error_reach_the_caller(sqs, kata, make_queue, queue_prefix, faults):
    """SQS may refuse GetQueueUrl or DeleteQueue (AccessDenied) or throttle them: that is not 'no such queue'."""
    url = make_queue("guarded")
    for action, code in (("GetQueueUrl", "AccessDenied"), ("DeleteQueue", "AccessDenied"),
                         ("DeleteQueue", "RequestThrottled")):
        faults.next(action, code)
        error = kata.delete_queue.raised(sqs, queue_prefix + "guarded")
        expect_equal(_code(error), code,
                     zh=f"{action} 收到 {code} 時要讓錯誤傳給呼叫者，不要回傳 False（只有 QueueDoesNotExist 代表沒有這個佇列）",
                     en=f"when {action} answers {code} the error must reach the caller, not become False (only "
                        "QueueDoesNotExist means 'no such queue')")
    expect_equal(queue_url(sqs, queue_prefix + "guarded"), url,
                 zh="被拒絕的刪除不該刪掉佇列", en="a refused delete should leave the queue in place")


def test_delete_queue_returns_false_for_a_missing_queue(sqs, kata, queue_prefix):
    expect_equal(kata.delete_queue(sqs, queue_prefix + "never-created"), False,
                 zh="佇列不存在時應該回傳 False，而不是丟出例外",
                 en="should return False, not raise, when the queue does not exist")
