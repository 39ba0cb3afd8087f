"""Exercise 03, hidden tests: the teacher's held-out checks (never in a student edition; reports show only a count).

SQS ReceiveMessage hands out at most 10 messages per call; a consumer empties a queue by receiving until a long
poll comes back empty, deleting each message after handling it.
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
"""

from __future__ import annotations

from sqs_kata.checks import expect_equal
from sqs_kata.observe import bodies, counts, numbered_bodies, receive_all, send_batched


def test_consume_all_empties_a_queue_of_more_than_two_receives(sqs, kata, make_queue, clock):
    url = make_queue(VisibilityTimeout=2)
    sent = numbered_bodies(25)
    send_batched(sqs, url, sent)
    handled: list[str] = []
    count = kata.consume_all(sqs, url, handled.append, 1)
    expect_equal(sorted(handled), sent, zh="25 則訊息（超過兩次 receive 的量）每一則都要交給 handle 一次",
                 en="each of 25 messages (more than two receives hold) should be passed to handle once")
    expect_equal(count, 25, zh="應該回傳處理了 25 則", en="should return 25, the messages handled")
    clock.advance(2)  # past the visibility timeout: an undeleted message would be back now
    expect_equal(bodies(receive_all(sqs, url, wait=1)), [], zh="處理完的訊息都要刪除",
                 en="every handled message should be deleted")
    expect_equal(counts(sqs, url)["in_flight"], 0, zh="佇列裡不該留下處理中的訊息",
                 en="no message should be left in flight")
