"""Exercise 02 -- queue lifecycle: create with attributes, find by name, list page by page, delete."""

from __future__ import annotations

from typing import Any

from sqs_kata.checks import expect, expect_equal, expect_queue_created
from sqs_kata.observe import SentRequests, attribute, empty_key_omitted, eventually, queue_names, queue_url


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


def test_find_queue_url_finds_an_existing_queue(sqs, kata, make_queue, queue_prefix):
    make_queue("apples")
    pears = make_queue("pears")
    expect_equal(kata.find_queue_url(sqs, queue_prefix + "pears"), pears,
                 zh="應該回傳名字對應的那個佇列的網址", en="should return the URL of the queue with that name")


def test_find_queue_url_returns_none_for_a_missing_queue(sqs, kata, queue_prefix):
    expect_equal(kata.find_queue_url(sqs, queue_prefix + "never-created"), None,
                 zh="佇列不存在時應該回傳 None（接住 sqs.exceptions.QueueDoesNotExist）",
                 en="should return None when the queue does not exist (catch sqs.exceptions.QueueDoesNotExist)")


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


def test_delete_queue_returns_false_for_a_missing_queue(sqs, kata, queue_prefix):
    expect_equal(kata.delete_queue(sqs, queue_prefix + "never-created"), False,
                 zh="佇列不存在時應該回傳 False，而不是丟出例外",
                 en="should return False, not raise, when the queue does not exist")
