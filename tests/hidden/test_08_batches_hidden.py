"""Exercise 08, hidden tests: the teacher's held-out checks (never in a student edition; reports show only a count).

SQS SendMessageBatch takes 1 to 10 entries per call: 21 bodies take three calls, the last one holding one entry.
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
"""

from __future__ import annotations

from sqs_kata.checks import expect_equal
from sqs_kata.observe import SentRequests, bodies, numbered_bodies, receive_all


def test_send_in_batches_sends_twenty_one_bodies_in_three_calls(sqs, kata, make_queue):
    url = make_queue()
    sent = numbered_bodies(21)
    with SentRequests(sqs) as requests:
        message_ids = kata.send_in_batches(sqs, url, sent)
    sizes = [len(call.get("Entries", [])) for call in requests["SendMessageBatch"]]
    expect_equal(sorted(sizes, reverse=True), [10, 10, 1],
                 zh="21 則要用三次 SendMessageBatch：10、10、1（最後不滿 10 則的那一批也要送）",
                 en="21 bodies take three SendMessageBatch calls of 10, 10 and 1 (send the last, short batch too)")
    received = receive_all(sqs, url, expect=21, rounds=21)
    expect_equal(sorted(bodies(received)), sent, zh="21 則訊息都要在佇列上", en="all 21 messages should be on the queue")
    by_body = {m["Body"]: m["MessageId"] for m in received}
    expect_equal(message_ids, [by_body.get(body) for body in sent],
                 zh="回傳的 MessageId 要照 bodies 的順序", en="the MessageIds returned should follow the order of bodies")
