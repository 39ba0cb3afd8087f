"""Exercise 10 -- does SQS keep order? Restore order on a standard queue; read a FIFO queue as it comes.

moto hands out a standard queue's messages in sending order, real SQS may not: so the grader sends in a
SHUFFLED order, and the learner's consumer must restore the order from the Seq numbers, on any backend.
"""

import random
import secrets
from typing import Any

from sqs_kata.checks import expect, expect_equal
from sqs_kata.observe import bodies, receive_all


def words(n: int, prefix: str = "m") -> list[str]:
    return [f"{prefix}{i}-{secrets.token_hex(2)}" for i in range(n)]


def send_with_seq(sqs: Any, url: str, items: list[tuple[int, str]]) -> None:
    for seq, body in items:
        sqs.send_message(QueueUrl=url, MessageBody=body,
                         MessageAttributes={"Seq": {"DataType": "Number", "StringValue": str(seq)}})


def shuffled(items: list[Any]) -> list[Any]:
    copy = list(items)
    while len(copy) > 1 and copy == items:
        random.shuffle(copy)
    return copy


def test_send_numbered_stamps_seq_in_sending_order(sqs, kata, make_queue):
    url = make_queue()
    sent = words(7)
    ids = kata.send_numbered(sqs, url, sent)
    got = receive_all(sqs, url, expect=7)
    stamps = {m["Body"]: m.get("MessageAttributes", {}).get("Seq", {}) for m in got}
    expect_equal(sorted(stamps), sorted(sent), zh="七則訊息都應該送到佇列", en="all seven messages should reach the queue")
    expect_equal([stamps[body].get("DataType") for body in sent], ["Number"] * 7,
                 zh="每則訊息都要有 Number 型別的 Seq 訊息屬性",
                 en="every message should carry a message attribute Seq of DataType Number")
    expect_equal([stamps[body].get("StringValue") for body in sent], [str(i) for i in range(1, 8)],
                 zh="Seq 應該是傳送順序：第一則 1、第二則 2……",
                 en="Seq should be the sending position: 1 for the first body, 2 for the second, ...")
    id_of = {m["Body"]: m["MessageId"] for m in got}
    expect_equal(ids, [id_of.get(body) for body in sent],
                 zh="應該依照傳送順序回傳每則訊息的 MessageId", en="should return each MessageId, in sending order")


def test_receive_in_order_restores_order_from_a_shuffled_arrival(sqs, kata, make_queue):
    url = make_queue()
    # 12 messages: more than one receive can return. Seq numbers have gaps and cross 9 -> 10, so
    # sorting by position or by Seq as text gives a wrong order.
    seqs = sorted(random.sample(range(1, 10), 3) + random.sample(range(10, 200), 8) + [random.randint(1000, 2000)])
    in_order = list(zip(seqs, words(12)))
    send_with_seq(sqs, url, shuffled(in_order))
    got = kata.receive_in_order(sqs, url, 12)
    expect_equal(got, [body for _, body in in_order],
                 zh="標準佇列可能打亂順序：收齊 12 則後要依 Seq（當數字）排序回傳",
                 en="a standard queue may reorder: collect all 12 messages, then return them sorted by Seq "
                    "(as numbers)")


def test_receive_in_order_deletes_what_it_consumed(sqs, kata, make_queue, clock):
    url = make_queue(VisibilityTimeout=1)
    in_order = list(zip([3, 9, 10], words(3)))
    send_with_seq(sqs, url, shuffled(in_order))
    got = kata.receive_in_order(sqs, url, 3)
    expect_equal(got, [body for _, body in in_order], zh="應該依 Seq 排序回傳三則訊息",
                 en="should return the three bodies sorted by Seq")
    clock.advance(1.5)  # past the visibility timeout: a message that was not deleted is back by now
    expect_equal(bodies(receive_all(sqs, url, wait=1)), [], zh="處理完的訊息都要刪除，不該再出現",
                 en="every consumed message should be deleted, so none comes back")


def test_the_producer_and_the_consumer_agree(sqs, kata, make_queue):
    url = make_queue()
    sent = words(11, prefix="step")
    kata.send_numbered(sqs, url, sent)
    expect_equal(kata.receive_in_order(sqs, url, 11), sent,
                 zh="send_numbered 送出的訊息，receive_in_order 應該照原本順序還原",
                 en="what send_numbered sent, receive_in_order should give back in the original order")


def test_receive_fifo_keeps_each_groups_order_without_sorting(sqs, kata, make_queue):
    url = make_queue("orders", fifo=True, ContentBasedDeduplication=True)
    group_a, group_b = words(6, prefix="z-a"), words(6, prefix="a-b")  # deliberately not alphabetical
    group_a.reverse()
    for a, b in zip(group_a, group_b):
        sqs.send_message(QueueUrl=url, MessageBody=a, MessageGroupId="A")
        sqs.send_message(QueueUrl=url, MessageBody=b, MessageGroupId="B")
    got = kata.receive_fifo(sqs, url, 12)
    expect_equal(len(got), 12, zh="應該收到全部 12 則（FIFO 要先刪除收到的訊息，群組才會放出下一批）",
                 en="should get all 12 messages (on FIFO, delete what you received so the group releases more)")
    expect_equal([body for body in got if body in group_a], group_a,
                 zh="群組 A 的訊息應該照傳送順序（FIFO 保證同群組的順序，不必排序）",
                 en="group A's messages should be in sending order (FIFO keeps order within a group: no sorting)")
    expect_equal([body for body in got if body in group_b], group_b,
                 zh="群組 B 的訊息也應該照傳送順序", en="group B's messages should be in sending order too")


def test_keeps_order_is_true_only_for_a_fifo_queue(sqs, kata, make_queue):
    standard, fifo = make_queue("standard"), make_queue("ordered", fifo=True)
    answer = kata.keeps_order(sqs, fifo)
    expect(answer is True, zh="FIFO 佇列保證（同一群組內的）順序：應該回傳 True",
           en="a FIFO queue guarantees order (within a group): should return True", expected=True, seen=answer)
    answer = kata.keeps_order(sqs, standard)
    expect(answer is False, zh="標準佇列只是盡量保持順序：應該回傳 False",
           en="a standard queue only tries to keep order (best effort): should return False",
           expected=False, seen=answer)
