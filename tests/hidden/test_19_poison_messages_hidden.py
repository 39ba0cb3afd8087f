"""Exercise 19, hidden tests: the teacher's held-out checks (never in a student edition; reports show only a count).

maxReceiveCount is the queue's own setting: with 1, a message that failed once is moved to the dead-letter queue
at its next receive. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
"""

from __future__ import annotations

import json

from sqs_kata.checks import expect_equal, expect_queue_created
from sqs_kata.observe import attribute, bodies, receive_all, word


def test_make_work_queues_uses_the_counts_it_is_given(sqs, kata, queue_name):
    url, dlq_url = kata.make_work_queues(sqs, queue_name, 1, 45)
    expect_queue_created(sqs, queue_name, url)
    expect_queue_created(sqs, f"{queue_name}-dlq", dlq_url)
    policy = json.loads(attribute(sqs, url, "RedrivePolicy") or "{}")
    expect_equal((policy.get("deadLetterTargetArn"), int(policy.get("maxReceiveCount", 0))),
                 (attribute(sqs, dlq_url, "QueueArn"), 1),
                 zh="maxReceiveCount 要用傳進來的 max_receive_count（這裡是 1），不要寫死",
                 en="maxReceiveCount should be the max_receive_count passed in (1 here); do not hard-code it")
    expect_equal(attribute(sqs, url, "VisibilityTimeout"), "45",
                 zh="VisibilityTimeout 要用傳進來的 visibility_timeout（這裡是 45）",
                 en="VisibilityTimeout should be the visibility_timeout passed in (45 here)")
    poison = word("poison")
    sqs.send_message(QueueUrl=url, MessageBody=poison)
    receive_all(sqs, url, expect=1, visibility=0)  # a worker took it once and failed
    receive_all(sqs, url, expect=1, visibility=0)  # the next receive finds it over the limit and moves it
    expect_equal(bodies(receive_all(sqs, dlq_url, expect=1)), [poison],
                 zh="maxReceiveCount=1：收過一次沒刪的訊息，下次接收時就被搬到 DLQ",
                 en="maxReceiveCount=1: a message received once and not deleted is moved to the DLQ at the next receive")
