"""Exercise 03 -- messages: typed message attributes, system attributes, a consumer that deletes, the size limit."""

from __future__ import annotations

from typing import Any

from sqs_kata.checks import expect, expect_equal
from sqs_kata.observe import bodies, counts, fewer_per_receive, receive_all

# SQS's message size limit since August 2025: 1 MiB, counted in bytes.
MAX_MESSAGE_BYTES = 1_048_576


def _typed(message: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """{name: (DataType, value)} as the grader received it."""
    return {name: (a["DataType"], a.get("BinaryValue", a.get("StringValue")))
            for name, a in message.get("MessageAttributes", {}).items()}


def test_send_with_attributes_types_each_value(sqs, kata, make_queue):
    url = make_queue()
    message_id = kata.send_with_attributes(sqs, url, "order-17",
                                           {"city": "Taipei", "count": 42, "price": 2.5, "stamp": b"\x00\xffok"})
    got = receive_all(sqs, url, expect=1)
    expect_equal(bodies(got), ["order-17"], zh="佇列裡應該有這則訊息", en="the message should be on the queue")
    expect_equal(_typed(got[0]),
                 {"city": ("String", "Taipei"), "count": ("Number", "42"), "price": ("Number", "2.5"),
                  "stamp": ("Binary", b"\x00\xffok")},
                 zh="str 要用 String、int/float 用 Number（值寫成字串）、bytes 用 Binary（BinaryValue）",
                 en="str should be String, int/float Number (value as a string), bytes Binary (BinaryValue)")
    expect_equal(message_id, got[0]["MessageId"], zh="應該回傳 SQS 給的 MessageId",
                 en="should return the MessageId that SQS assigned")


def test_send_with_attributes_sends_the_attributes_it_is_given(sqs, kata, make_queue):
    url = make_queue()
    kata.send_with_attributes(sqs, url, "order-18", {"region": "Kaohsiung", "weight": -7})
    got = receive_all(sqs, url, expect=1)
    expect_equal(_typed(got[0]) if got else None, {"region": ("String", "Kaohsiung"), "weight": ("Number", "-7")},
                 zh="要送出傳進來的那些屬性，一個不多一個不少",
                 en="should send exactly the attributes passed in, no more and no fewer")


def test_receive_with_attributes_turns_values_back_into_python(sqs, kata, make_queue):
    url = make_queue()
    sqs.send_message(QueueUrl=url, MessageBody="parcel", MessageAttributes={
        "city": {"DataType": "String", "StringValue": "Tainan"},
        "count": {"DataType": "Number", "StringValue": "12"},
        "ratio": {"DataType": "Number", "StringValue": "0.75"},
        "raw": {"DataType": "Binary", "BinaryValue": b"\x01\x02"},
    })
    got = kata.receive_with_attributes(sqs, url, 1)
    expect_equal(len(got), 1, zh="應該收到一則訊息", en="should receive one message")
    expect_equal(got[0].get("body"), "parcel", zh="body 應該是送出的內容", en="body should be what was sent")
    attributes = got[0].get("attributes") or {}
    expect_equal(attributes, {"city": "Tainan", "count": 12, "ratio": 0.75, "raw": b"\x01\x02"},
                 zh="屬性要轉回 Python 值：String→str、整數 Number→int、小數→float、Binary→bytes"
                    "（記得 MessageAttributeNames=['All']）",
                 en="attributes should come back as Python values: String->str, whole Number->int, "
                    "other Number->float, Binary->bytes (remember MessageAttributeNames=['All'])")
    expect_equal({k: type(v).__name__ for k, v in attributes.items()},
                 {"city": "str", "count": "int", "ratio": "float", "raw": "bytes"},
                 zh="每個值的型別要對", en="every value should have the right Python type")


def test_receive_with_attributes_gives_an_empty_dict_without_attributes(sqs, kata, make_queue):
    url = make_queue()
    sqs.send_message(QueueUrl=url, MessageBody="plain")
    got = kata.receive_with_attributes(sqs, url, 1)
    expect_equal([(m.get("body"), m.get("attributes")) for m in got], [("plain", {})],
                 zh="沒有屬性的訊息，attributes 應該是 {}", en="a message without attributes should have attributes {}")


def test_attributes_survive_a_round_trip(sqs, kata, make_queue):
    url = make_queue()
    sent = {"note": "你好", "n": 3, "x": -1.5, "blob": bytes(range(8))}
    kata.send_with_attributes(sqs, url, "round-trip", sent)
    got = kata.receive_with_attributes(sqs, url, 1)
    expect_equal([(m.get("body"), m.get("attributes")) for m in got], [("round-trip", sent)],
                 zh="用 send_with_attributes 送出、receive_with_attributes 收回，值要一模一樣",
                 en="values sent with send_with_attributes should come back unchanged from receive_with_attributes")


def test_receive_with_timestamps_returns_system_attributes_as_ints(sqs, kata, make_queue):
    url = make_queue()
    sqs.send_message(QueueUrl=url, MessageBody="tick")
    got = kata.receive_with_timestamps(sqs, url, 1)
    expect_equal([m.get("body") for m in got], ["tick"], zh="應該收到一則 tick", en="should receive one 'tick'")
    mine = got[0]
    fields = ("sent_timestamp", "receive_count", "first_receive_timestamp")
    expect(all(type(mine.get(f)) is int for f in fields),
           zh="三個系統屬性都要轉成 int（SQS 給的是字串）",
           en="all three system attributes should be ints (SQS sends strings)",
           expected="ints", seen={f: mine.get(f) for f in fields})
    expect_equal(mine["receive_count"], 1, zh="第一次收到時 receive_count 應該是 1",
                 en="receive_count should be 1 on the first receive")
    expect(isinstance(mine.get("receipt_handle"), str), zh="也要回傳 receipt_handle（ReceiptHandle）",
           en="should also return receipt_handle (the ReceiptHandle)", seen=mine.get("receipt_handle"))
    # The grader makes the message visible again and reads the same attributes itself.
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=mine.get("receipt_handle"), VisibilityTimeout=0)
    [again] = receive_all(sqs, url, expect=1) or [{"Attributes": {}}]
    expect_equal((mine["sent_timestamp"], mine["first_receive_timestamp"]),
                 (int(again["Attributes"].get("SentTimestamp", 0)),
                  int(again["Attributes"].get("ApproximateFirstReceiveTimestamp", 0))),
                 zh="sent_timestamp / first_receive_timestamp 要是 SQS 的 SentTimestamp / "
                    "ApproximateFirstReceiveTimestamp（用 MessageSystemAttributeNames 要）",
                 en="sent_timestamp / first_receive_timestamp should be SQS's SentTimestamp / "
                    "ApproximateFirstReceiveTimestamp (ask with MessageSystemAttributeNames)")


def test_receive_with_timestamps_counts_every_delivery(sqs, kata, make_queue):
    url = make_queue()
    sqs.send_message(QueueUrl=url, MessageBody="again")
    [first] = receive_all(sqs, url, expect=1)
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"], VisibilityTimeout=0)
    [second] = receive_all(sqs, url, expect=1)
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=second["ReceiptHandle"], VisibilityTimeout=0)
    got = kata.receive_with_timestamps(sqs, url, 1)
    expect_equal([(m.get("body"), m.get("receive_count")) for m in got], [("again", 3)],
                 zh="已經被收過兩次的訊息，這次 receive_count 應該是 3（ApproximateReceiveCount）",
                 en="a message received twice before should now have receive_count 3 (ApproximateReceiveCount)")


def test_consume_all_handles_then_deletes_every_message(sqs, kata, make_queue, clock):
    url = make_queue(VisibilityTimeout=2)
    sent = ["a-1", "b-2", "c-3", "d-4"]
    for body in sent:
        sqs.send_message(QueueUrl=url, MessageBody=body)
    handled: list[str] = []
    count = kata.consume_all(sqs, url, handled.append, 1)
    expect_equal(sorted(handled), sent, zh="每則訊息都要交給 handle 處理一次",
                 en="every message should be passed to handle once")
    expect_equal(count, len(sent), zh="應該回傳處理了幾則", en="should return how many messages were handled")
    expect_equal(counts(sqs, url), {"visible": 0, "in_flight": 0, "delayed": 0},
                 zh="處理完的訊息要刪除：佇列裡不該再有訊息（包含處理中的）",
                 en="handled messages should be deleted: nothing left on the queue, not even in flight")
    clock.advance(2)  # past the visibility timeout: an undeleted message would be back now
    expect_equal(bodies(receive_all(sqs, url, wait=1)), [],
                 zh="可見性逾時過後，已處理的訊息不該再出現", en="after the visibility timeout no handled message should return")


def test_consume_all_keeps_going_when_sqs_hands_out_fewer_than_asked(sqs, kata, make_queue):
    url = make_queue()
    sent = [f"job-{i}" for i in range(5)]
    for body in sent:
        sqs.send_message(QueueUrl=url, MessageBody=body)
    handled: list[str] = []
    with fewer_per_receive(sqs, 2):
        kata.consume_all(sqs, url, handled.append, 1)
    expect_equal(sorted(handled), sent,
                 zh="SQS 可能一次只給幾則，佇列卻還沒空：要等到接收回來是空的才停，不是少於 10 則就停",
                 en="SQS may hand out fewer than 10 while more are waiting: stop when a receive comes back empty, "
                    "not when a batch is short")


def test_consume_all_on_an_empty_queue_handles_nothing(sqs, kata, make_queue):
    url = make_queue()
    handled: list[str] = []
    expect_equal(kata.consume_all(sqs, url, handled.append, 1), 0,
                 zh="空佇列應該回傳 0", en="an empty queue should give 0")
    expect_equal(handled, [], zh="空佇列不該呼叫 handle", en="handle should not be called on an empty queue")


def test_fits_in_one_message_counts_bytes_up_to_the_limit(kata):
    expect_equal(kata.fits_in_one_message("a" * MAX_MESSAGE_BYTES), True,
                 zh="剛好 1 MiB（1,048,576 位元組）還可以", en="exactly 1 MiB (1,048,576 bytes) still fits")
    expect_equal(kata.fits_in_one_message("a" * (MAX_MESSAGE_BYTES + 1)), False,
                 zh="超過 1 MiB 一個位元組就不行", en="one byte over 1 MiB does not fit")
    expect_equal(kata.fits_in_one_message("hello"), True, zh="短訊息當然可以", en="a short message fits")


def test_fits_in_one_message_counts_utf8_bytes_not_characters(kata):
    chars = MAX_MESSAGE_BYTES // 3 + 1  # fewer characters than the limit, but 3 bytes each in UTF-8
    expect_equal(kata.fits_in_one_message("中" * chars), False,
                 zh=f"{chars} 個「中」是 {chars * 3} 位元組，超過上限（要數 UTF-8 位元組，不是字元）",
                 en=f"{chars} × '中' is {chars * 3} bytes, over the limit (count UTF-8 bytes, not characters)")
    expect_equal(kata.fits_in_one_message("中" * (chars - 1)), True,
                 zh=f"{chars - 1} 個「中」是 {(chars - 1) * 3} 位元組，還在上限內",
                 en=f"{chars - 1} × '中' is {(chars - 1) * 3} bytes, within the limit")
