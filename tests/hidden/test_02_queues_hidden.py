"""Exercise 02, hidden tests: the teacher's held-out checks (never in a student edition; reports show only a count).

SQS ListQueues: at most MaxResults URLs per call, NextToken until there is none; a queue's name is the last part
of its URL. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html
"""

from __future__ import annotations

from sqs_kata.checks import expect_equal
from sqs_kata.observe import eventually, queue_names, queue_url


def test_list_queue_names_one_per_page_gives_every_name(sqs, kata, make_queue, queue_prefix, clock):
    suffixes = ["zeta", "alpha", "mid-1", "mid-2"]
    for suffix in suffixes:
        make_queue(suffix)
    wanted = sorted(queue_prefix + s for s in suffixes)
    eventually(lambda: all(name in queue_names(sqs, queue_prefix) for name in wanted), clock)
    expect_equal(kata.list_queue_names(sqs, queue_prefix, 1), wanted,
                 zh="每頁只有 1 個網址時，也要跟著 NextToken 拿到全部 4 個佇列的「名稱」，排序好",
                 en="with one URL per page, NextToken should still lead to the sorted NAMES of all 4 queues")


def test_delete_queue_then_the_name_is_gone(sqs, kata, make_queue, queue_prefix, clock):
    make_queue("short-lived")
    name = queue_prefix + "short-lived"
    expect_equal(kata.delete_queue(sqs, name), True, zh="刪除存在的佇列要回傳 True",
                 en="deleting a queue that exists should return True")
    eventually(lambda: queue_url(sqs, name) is None, clock)  # real SQS may take up to 60 s to forget it
    expect_equal(queue_url(sqs, name), None, zh="刪除之後，這個名稱應該找不到佇列",
                 en="after the delete, no queue should go by that name")
