"""Exercise 01 -- the course mission: the notebook's flow, step by step, checked by the grader's own calls."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError, ParamValidationError

from sqs_kata.checks import expect, expect_equal, expect_queue_created, fail
from sqs_kata.observe import SentRequests, attribute, bodies, counts, error_code, receive_all, short_poll
from sqs_kata.properties import for_all, st

AUTHORS = [("world", "Daniel1"), ("boto3", "Daniel2")]
# Bodies no batch entry Id can be made of (spaces, other alphabets, a repeat), each pair still told apart by its author.
AWKWARD_ITEMS = [("hello world", "Mei"), ("你好，SQS ☕", "陳小明"), ("hello world", "Daniel1"), ("a.b/c+d=", "Ana"),
                 (" padded ", "Bo")]
# SQS: "All" or ".*" returns every message attribute; a name returns that one.
ASKS_FOR_AUTHOR = ({"Author"}, {"All"}, {".*"})


def _delete_as_grader(sqs: Any, url: str, handle: Any) -> None:
    """The grader deletes with a receipt_handle the learner returned; a refused handle is the learner's mistake."""
    try:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=handle)
    except (ClientError, ParamValidationError) as error:
        code = error_code(error.response["Error"]["Code"]) if isinstance(error, ClientError) else type(error).__name__
        fail(zh="receipt_handle 要是 SQS 接收時給的 ReceiptHandle（不是 MessageId）：SQS 拒絕用它刪除",
             en="receipt_handle should be the ReceiptHandle SQS gave on receive (not the MessageId): "
                "SQS refused to delete with it",
             expected="a ReceiptHandle", seen=f"{handle!r:.60} -> {code}")


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


def test_send_with_authors_takes_any_bodies_and_keeps_the_order_of_items(sqs, kata, make_queue):
    """SQS batch entry Ids may only hold A-Z a-z 0-9 - _ (at most 80) and must differ within a request, so a body
    cannot serve as an Id; and SendMessageBatch lists Successful in no promised order, so match results by Id."""
    url = make_queue()
    ids = kata.send_with_authors(sqs, url, AWKWARD_ITEMS)
    got = receive_all(sqs, url, expect=len(AWKWARD_ITEMS))
    pairs = [(m["Body"], m.get("MessageAttributes", {}).get("Author", {}).get("StringValue")) for m in got]
    expect_equal(sorted(pairs), sorted(AWKWARD_ITEMS),
                 zh="每一組 (body, author) 都要送出，內容有空白、中文、重複的 body 也一樣（Id 不要用 body 做）",
                 en="every (body, author) pair should be sent, with spaces, other scripts or a repeated body too "
                    "(do not make the Id from the body)")
    id_of = {pair: m["MessageId"] for pair, m in zip(pairs, got)}
    expect_equal(ids, [id_of.get(item) for item in AWKWARD_ITEMS],
                 zh="應該依照 items 的順序回傳每則訊息的 MessageId（Successful 的順序不一定跟送出時一樣，要用 Id 對回去）",
                 en="should return each MessageId in the order of items (Successful may list them in any order: "
                    "match them by Id)")


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
        _delete_as_grader(sqs, url, message.get("receipt_handle"))
    expect_equal(counts(sqs, url), {"visible": 0, "in_flight": 0, "delayed": 0},
                 zh="用回傳的 receipt_handle 刪除後，佇列應該是空的（receipt_handle 要是真的）",
                 en="after deleting with the returned receipt_handle values the queue should be empty")


def test_receive_with_author_gives_none_when_there_is_no_author(sqs, kata, make_queue):
    url = make_queue()
    sqs.send_message(QueueUrl=url, MessageBody="anonymous")
    got = kata.receive_with_author(sqs, url, 1)
    expect_equal([(m.get("body"), m.get("author")) for m in got], [("anonymous", None)],
                 zh="沒有 Author 屬性的訊息，author 應該是 None", en="a message without Author should have author None")


def test_receive_with_author_long_polls_for_ten_with_the_author(sqs, kata, make_queue):
    """SQS returns message attributes only when MessageAttributeNames names them (or "All" / ".*"); it waits
    only as long as WaitTimeSeconds says, and hands out only 1 message unless MaxNumberOfMessages says more."""
    url = make_queue()
    sqs.send_message(QueueUrl=url, MessageBody="world",
                     MessageAttributes={"Author": {"DataType": "String", "StringValue": "Daniel1"}})
    with SentRequests(sqs) as requests:
        kata.receive_with_author(sqs, url, 2)
    sent = requests["ReceiveMessage"]
    expect(bool(sent), zh="應該呼叫 ReceiveMessage", en="should call ReceiveMessage", seen=sent)
    expect_equal(sorted({p.get("WaitTimeSeconds") for p in sent}, key=str), [2],
                 zh="每次接收都要用 WaitTimeSeconds=wait_seconds 長輪詢（這裡是 2，不要寫死）",
                 en="every receive should long-poll with WaitTimeSeconds=wait_seconds (2 here, not hard-coded)")
    expect_equal(sorted({p.get("MaxNumberOfMessages") for p in sent}, key=str), [10],
                 zh="每次接收都要用 MaxNumberOfMessages=10（不給的話 SQS 一次只給 1 則）",
                 en="every receive should ask for MaxNumberOfMessages=10 (without it SQS hands out 1 at a time)")
    asked = [set(p.get("MessageAttributeNames") or []) for p in sent]
    expect(all(any(way <= names for way in ASKS_FOR_AUTHOR) for names in asked),
           zh="每次接收都要用 MessageAttributeNames 要 Author（或 All）", en="every receive should ask for Author "
           "(or All) in MessageAttributeNames", expected="['Author'] or ['All']", seen=asked)


def test_greet_formats_the_course_greeting(kata):
    expect_equal(kata.greet({"body": "world", "author": "Daniel1"}), "Hello, world! (Daniel1)",
                 zh="問候語格式應該是 Hello, <body>! (<author>)", en="the greeting should read Hello, <body>! (<author>)")
    expect_equal(kata.greet({"body": "SQS", "author": "Mei"}), "Hello, SQS! (Mei)",
                 zh="問候語要用訊息本身的 body 和 author", en="the greeting should use the message's own body and author")


def test_greet_leaves_out_the_brackets_without_an_author(kata):
    """A message sent without an Author attribute comes back without it (author None): no "(None)" for it."""
    expect_equal(kata.greet({"body": "world", "author": None}), "Hello, world!",
                 zh="沒有作者（author 是 None）時只印 Hello, <body>!，不要括號，也不要 (None)",
                 en="without an author (author None) the greeting is just Hello, <body>! -- no brackets, no (None)")


def test_greet_keeps_any_body_and_author_as_they_are(kata):
    """A body or an Author (a String attribute) may hold spaces, brackets, any Unicode: greet copies them unchanged.

    Pure function, so checked on many inputs (Hypothesis).
    """
    @for_all(body=st.text(min_size=1, max_size=20),  # any characters that UTF-8 can encode
             author=st.one_of(st.none(), st.text(min_size=1, max_size=12)))
    def check(body: str, author: str | None) -> None:
        expected = f"Hello, {body}!" if author is None else f"Hello, {body}! ({author})"
        expect_equal(kata.greet({"body": body, "author": author}), expected,
                     zh="問候語要原封不動地放進 body 和 author（空白、括號、中文都一樣），沒有作者就不加括號",
                     en="the greeting should hold the body and author exactly as they are (spaces, brackets, any "
                        "script), and no brackets without an author")

    check()


def test_delete_removes_the_message_for_good(sqs, kata, make_queue, clock):
    """SQS: DeleteMessage removes the one message whose receipt handle it is given; the others stay."""
    url = make_queue()
    sqs.send_message(QueueUrl=url, MessageBody="apple")
    sqs.send_message(QueueUrl=url, MessageBody="pear")
    received = receive_all(sqs, url, expect=2, visibility=1)
    [apple] = [m for m in received if m["Body"] == "apple"]
    kata.delete(sqs, url, apple["ReceiptHandle"])
    clock.advance(1.5)  # past the visibility timeout: an undeleted message would now be back
    expect_equal(bodies(receive_all(sqs, url, expect=1, wait=1)), ["pear"],
                 zh="刪除後，訊息在可見性逾時過後也不該再出現；而且只刪這一則，其他訊息要留著",
                 en="once deleted, the message should not come back; and only that one: the other message stays")


def test_delete_lets_sqs_errors_reach_the_caller(sqs, kata, make_queue, faults):
    """SQS answers DeleteMessage with ReceiptHandleIsInvalid for a handle it never gave (a MessageId, say), and any
    call may be refused (AccessDenied) or throttled: the caller has to hear about it, not believe it deleted."""
    url = make_queue()
    message_id = sqs.send_message(QueueUrl=url, MessageBody="apple")["MessageId"]
    error = kata.delete.raised(sqs, url, message_id)
    expect_equal(error_code(error.response["Error"]["Code"]) if error else None, "ReceiptHandleIsInvalid",
                 zh="用 MessageId 當 receipt handle，SQS 會回 ReceiptHandleIsInvalid：要讓這個錯誤傳給呼叫者，不要吞掉",
                 en="with a MessageId as the receipt handle SQS answers ReceiptHandleIsInvalid: let that error reach "
                    "the caller, do not swallow it")
    [message] = receive_all(sqs, url, expect=1, visibility=30)
    faults.next("DeleteMessage", "AccessDenied")
    error = kata.delete.raised(sqs, url, message["ReceiptHandle"])
    expect_equal(error_code(error.response["Error"]["Code"]) if error else None, "AccessDenied",
                 zh="SQS 回 AccessDenied 時要讓錯誤傳給呼叫者，不要吞掉（訊息其實沒刪掉）",
                 en="when SQS answers AccessDenied the error should reach the caller, not be swallowed (the message "
                    "was not deleted)")


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
