"""Exercise 01 -- the course mission: the notebook's flow, step by step, checked by the grader's own calls."""

from sqs_kata.checks import expect_equal, expect_queue_created
from sqs_kata.observe import SentRequests, attribute, bodies, counts, receive_all, short_poll

AUTHORS = [("world", "Daniel1"), ("boto3", "Daniel2")]


def test_create_delayed_queue_makes_a_queue_with_delay_seconds(sqs, kata, queue_name):
    url = kata.create_delayed_queue(sqs, queue_name, 5)
    expect_queue_created(sqs, queue_name, url)
    expect_equal(attribute(sqs, url, "DelaySeconds"), "5",
                 zh="佇列的 DelaySeconds 屬性應該是 5", en="the queue's DelaySeconds attribute should be 5")


def test_create_delayed_queue_uses_the_delay_it_is_given(sqs, kata, queue_name):
    url = kata.create_delayed_queue(sqs, queue_name, 3)
    expect_equal(attribute(sqs, url, "DelaySeconds"), "3",
                 zh="delay_seconds=3 時，DelaySeconds 應該是 3（不要寫死 5）",
                 en="with delay_seconds=3 the DelaySeconds attribute should be 3 (do not hard-code 5)")


def test_send_text_puts_the_body_on_the_queue(sqs, kata, make_queue):
    url = make_queue()
    message_id = kata.send_text(sqs, url, "apple")
    got = receive_all(sqs, url, expect=1)
    expect_equal(bodies(got), ["apple"], zh="佇列裡應該剛好有一則 apple", en="the queue should hold exactly one 'apple'")
    expect_equal(message_id, got[0]["MessageId"], zh="應該回傳 SQS 給的 MessageId",
                 en="should return the MessageId that SQS assigned")


def test_send_with_authors_sends_one_batch_with_author_attributes(sqs, kata, make_queue):
    url = make_queue()
    with SentRequests(sqs) as calls:
        ids = kata.send_with_authors(sqs, url, AUTHORS)
    expect_equal(len(calls["SendMessageBatch"]), 1, zh="應該只用一次 SendMessageBatch 送出整批",
                 en="should send the whole batch with one SendMessageBatch call")
    expect_equal(len(calls["SendMessage"]), 0, zh="批次傳送時不該再逐則呼叫 SendMessage",
                 en="a batch send should not also call SendMessage one by one")
    got = receive_all(sqs, url, expect=2)
    seen = sorted((m["Body"], m.get("MessageAttributes", {}).get("Author", {}).get("StringValue")) for m in got)
    expect_equal(seen, sorted(AUTHORS), zh="每則訊息都要帶著自己的 Author 屬性（String）",
                 en="every message should carry its own Author attribute (String)")
    id_of = {m["Body"]: m["MessageId"] for m in got}
    expect_equal(ids, [id_of.get(body) for body, _ in AUTHORS],
                 zh="應該依照 items 的順序回傳每則訊息的 MessageId", en="should return each MessageId, in the order of items")


def test_receive_with_author_returns_body_author_and_receipt_handle(sqs, kata, make_queue):
    url = make_queue()
    for body, author in AUTHORS:
        sqs.send_message(QueueUrl=url, MessageBody=body,
                         MessageAttributes={"Author": {"DataType": "String", "StringValue": author}})
    got = []
    for _ in range(3):  # real SQS may hand out fewer than all at once
        got += kata.receive_with_author(sqs, url, 1)
        if len(got) >= 2:
            break
    expect_equal(sorted((m.get("body"), m.get("author")) for m in got), sorted(AUTHORS),
                 zh="應該收到兩則訊息，各自帶著 Author（記得 MessageAttributeNames）",
                 en="should receive both messages with their Author (remember MessageAttributeNames)")
    for message in got:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["receipt_handle"])
    expect_equal(counts(sqs, url), {"visible": 0, "in_flight": 0, "delayed": 0},
                 zh="用回傳的 receipt_handle 刪除後，佇列應該是空的（receipt_handle 要是真的）",
                 en="after deleting with the returned receipt_handle values the queue should be empty")


def test_receive_with_author_gives_none_when_there_is_no_author(sqs, kata, make_queue):
    url = make_queue()
    sqs.send_message(QueueUrl=url, MessageBody="anonymous")
    got = kata.receive_with_author(sqs, url, 1)
    expect_equal([(m.get("body"), m.get("author")) for m in got], [("anonymous", None)],
                 zh="沒有 Author 屬性的訊息，author 應該是 None", en="a message without Author should have author None")


def test_greet_formats_the_course_greeting(kata):
    expect_equal(kata.greet({"body": "world", "author": "Daniel1"}), "Hello, world! (Daniel1)",
                 zh="問候語格式應該是 Hello, <body>! (<author>)", en="the greeting should read Hello, <body>! (<author>)")
    expect_equal(kata.greet({"body": "SQS", "author": "Mei"}), "Hello, SQS! (Mei)",
                 zh="問候語要用訊息本身的 body 和 author", en="the greeting should use the message's own body and author")


def test_delete_removes_the_message_for_good(sqs, kata, make_queue, clock):
    url = make_queue()
    sqs.send_message(QueueUrl=url, MessageBody="apple")
    [message] = receive_all(sqs, url, expect=1, visibility=1)
    kata.delete(sqs, url, message["ReceiptHandle"])
    clock.advance(1.5)  # past the visibility timeout: an undeleted message would now be back
    expect_equal(bodies(receive_all(sqs, url, wait=1)), [],
                 zh="刪除後，訊息在可見性逾時過後也不該再出現", en="once deleted, the message should not come back")


def test_the_course_flow_delays_then_delivers_and_greets(sqs, kata, queue_name, clock):
    url = kata.create_delayed_queue(sqs, queue_name, 2)
    kata.send_text(sqs, url, "apple")
    kata.send_with_authors(sqs, url, AUTHORS)
    expect_equal(short_poll(sqs, url), [],
                 zh="DelaySeconds 還沒過，訊息應該還看不到", en="before DelaySeconds has passed no message should be visible")
    clock.advance(2)
    got = []
    for _ in range(4):
        got += kata.receive_with_author(sqs, url, 2)
        if len(got) >= 3:
            break
    greetings = sorted(kata.greet(m) for m in got if m.get("author"))
    expect_equal(greetings, ["Hello, boto3! (Daniel2)", "Hello, world! (Daniel1)"],
                 zh="延遲過後應該收到兩則有 Author 的訊息並問候", en="after the delay both authored messages should be greeted")
    for message in got:
        kata.delete(sqs, url, message["receipt_handle"])
    expect_equal(counts(sqs, url)["visible"] + counts(sqs, url)["in_flight"], 0,
                 zh="全部刪除後佇列應該是空的", en="after deleting everything the queue should be empty")
