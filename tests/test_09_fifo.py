"""Exercise 09 -- FIFO queues: `.fifo` names, order within a message group, groups that wait, deduplication."""

import string
from typing import Any

from sqs_kata.checks import expect, expect_equal
from sqs_kata.observe import SentRequests, attribute, bodies, queue_url, receive_all, short_poll, word
from sqs_kata.properties import for_all, st

# Queue names: letters, digits, - and _ (a FIFO queue's then ends in ".fifo"). Stems that end in letters of
# "fifo", and endings that look like the suffix without being it (".FIFO", "fifo", ".fif", "_fifo").
NAME_CHARACTERS = string.ascii_letters + string.digits + "-_"
STEMS = st.sampled_from(["orders", "info", "audio", "wifi", "f", "o", "jobs-2", "a_b"]) | st.text(
    NAME_CHARACTERS, min_size=1, max_size=40)
MIDDLES = st.sampled_from(["", "", ".fifo", "fifo", ".fifo-"])
ENDINGS = st.sampled_from(["", ".fifo", "fifo", ".fif", ".FIFO", "_fifo", ".fifo.fifo", "-fifo", ".fifox"])


def drain(sqs: Any, url: str, expect: int) -> list[dict[str, Any]]:
    """Receive and delete until `expect` messages arrived, in arrival order.

    A FIFO queue holds back a group while one of its messages is in flight, so each batch is deleted
    before the next receive, or the rest of the group would never come.
    """
    got: list[dict[str, Any]] = []
    for _ in range(expect + 2):
        if len(got) >= expect:
            break
        batch = receive_all(sqs, url, rounds=1, wait=1)
        if not batch:
            break
        got.extend(batch)
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)])
    return got


def deleted(sqs: Any, url: str, receipt_handle: Any) -> bool:
    """Delete with a handle the learner returned; a bad handle is the learner's failure, not a grader error."""
    try:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=receipt_handle)
    except Exception:  # noqa: BLE001 -- ReceiptHandleIsInvalid, or not a string at all
        return False
    return True


def test_fifo_name_adds_the_suffix_once(kata):
    expect_equal(kata.fifo_name("orders"), "orders.fifo",
                 zh="名稱沒有 .fifo 時要補上", en="a name without .fifo should get the suffix")
    expect_equal(kata.fifo_name("jobs.fifo"), "jobs.fifo",
                 zh="已經以 .fifo 結尾的名稱不要再加一次", en="a name already ending in .fifo should stay as it is")


def test_fifo_name_adds_the_suffix_exactly_when_it_is_missing(kata):
    """SQS: a FIFO queue's name must end in ".fifo" (lowercase, with the dot). Pure function: many names
    (Hypothesis), including ones that end in letters of "fifo" or hold ".fifo" elsewhere."""

    @for_all(stem=STEMS, middle=MIDDLES, ending=ENDINGS)
    def check(stem: str, middle: str, ending: str) -> None:
        name = stem + middle + ending
        wanted = name if name.endswith(".fifo") else name + ".fifo"
        expect_equal(kata.fifo_name(name), wanted,
                     zh="名稱以 .fifo 結尾就原樣回傳，否則在後面加上 .fifo：其他字都不能動"
                        "（rstrip 會剝掉字母，replace 會動到中間的 .fifo；.FIFO 和 fifo 都不算結尾）",
                     en="a name ending in .fifo comes back unchanged, any other gets .fifo added, and nothing else "
                        "changes (rstrip strips letters, replace touches a .fifo in the middle; .FIFO and fifo "
                        "are not the suffix)")

    check()


def test_create_fifo_queue_makes_a_dot_fifo_queue(sqs, kata, queue_name):
    url = kata.create_fifo_queue(sqs, queue_name)
    expect(queue_url(sqs, queue_name + ".fifo") is not None,
           zh=f"應該建立名為 {queue_name}.fifo 的佇列（FIFO 佇列名稱必須以 .fifo 結尾）",
           en=f"a queue called {queue_name}.fifo should exist (FIFO queue names must end in .fifo)")
    expect_equal(url, queue_url(sqs, queue_name + ".fifo"),
                 zh="應該回傳新佇列的網址", en="should return the new queue's URL")
    expect_equal(attribute(sqs, url, "FifoQueue"), "true",
                 zh="佇列的 FifoQueue 屬性應該是 true", en="the queue's FifoQueue attribute should be true")
    expect_equal(attribute(sqs, url, "ContentBasedDeduplication"), "false",
                 zh="沒要求時，ContentBasedDeduplication 應該是 false",
                 en="unless asked for, ContentBasedDeduplication should be false")


def test_create_fifo_queue_does_not_double_the_suffix(sqs, kata, queue_name):
    url = kata.create_fifo_queue(sqs, queue_name + ".fifo", content_based_dedup=False)
    expect_equal(url, queue_url(sqs, queue_name + ".fifo"),
                 zh="名稱已經以 .fifo 結尾時，佇列就叫這個名字（不是 .fifo.fifo）",
                 en="when the name already ends in .fifo the queue should be called exactly that (not .fifo.fifo)")
    expect_equal(attribute(sqs, url, "ContentBasedDeduplication"), "false",
                 zh="content_based_dedup=False 時，ContentBasedDeduplication 應該是 false",
                 en="with content_based_dedup=False the ContentBasedDeduplication attribute should be false")


def test_content_based_dedup_delivers_a_repeated_body_once(sqs, kata, queue_name):
    url = kata.create_fifo_queue(sqs, queue_name, content_based_dedup=True)
    expect_equal(attribute(sqs, url, "ContentBasedDeduplication"), "true",
                 zh="content_based_dedup=True 時，ContentBasedDeduplication 應該是 true",
                 en="with content_based_dedup=True the ContentBasedDeduplication attribute should be true")
    repeated, other = word("pay"), word("ship")
    # Both copies are sent before anything is received or deleted: the 5-minute window is then the
    # only reason the second copy disappears (moto would redeliver it after a delete; SQS would not).
    for body in (repeated, repeated, other):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="g")
    expect_equal(bodies(drain(sqs, url, 2)), [repeated, other],
                 zh="同樣內容在 5 分鐘內送兩次，只該收到一次",
                 en="the same body sent twice within 5 minutes should be delivered once")
    expect(not short_poll(sqs, url, wait=0), zh="重複的那一則不該再出現", en="the duplicate should never show up")


def test_send_in_group_keeps_the_order_within_the_group(sqs, kata, make_queue):
    url = make_queue("orders", fifo=True)
    group = word("customer")
    sent = [word(f"step{i}") for i in range(5)]
    ids = kata.send_in_group(sqs, url, group, sent)
    got = drain(sqs, url, 5)
    expect_equal(bodies(got), sent, zh="同一個群組的訊息應該照傳送順序收到",
                 en="the messages of one group should arrive in the order they were sent")
    expect_equal([m.get("Attributes", {}).get("MessageGroupId") for m in got], [group] * 5,
                 zh=f"每則訊息的 MessageGroupId 都應該是 {group}", en=f"every message's MessageGroupId should be {group}")
    expect_equal(ids, [m["MessageId"] for m in got], zh="應該依序回傳每則訊息的 MessageId",
                 en="should return each message's MessageId, in the order sent")


def test_send_in_group_delivers_equal_bodies_separately(sqs, kata, make_queue):
    url = make_queue("payments", fifo=True)  # no content-based deduplication on this queue
    same, other = word("retry"), word("done")
    kata.send_in_group(sqs, url, "g", [same, other, same])
    expect_equal(bodies(drain(sqs, url, 3)), [same, other, same],
                 zh="每則訊息要有自己的 MessageDeduplicationId：內容相同的兩則也都要送達",
                 en="give every message its own MessageDeduplicationId: two equal bodies should both arrive")


def test_send_in_group_gives_new_deduplication_ids_on_every_call(sqs, kata, make_queue):
    """SQS drops a message whose MessageDeduplicationId was used in the last 5 minutes: ids made from a position
    or a body repeat when the function is called again."""
    url = make_queue("payments", fifo=True)  # no content-based deduplication on this queue
    group, tick = word("meter"), word("tick")
    kata.send_in_group(sqs, url, group, [tick, tick])
    kata.send_in_group(sqs, url, group, [tick])
    expect_equal(bodies(drain(sqs, url, 3)), [tick] * 3,
                 zh="呼叫兩次（同一個群組、同樣的內容）送出的三則都要送達：每則的 MessageDeduplicationId 在 5 分鐘內都不能重複"
                    "（不要用位置或內容做 id）",
                 en="all three messages of two calls (same group, same body) should arrive: no MessageDeduplicationId "
                    "may repeat within 5 minutes (do not make it from the position or the body)")


def test_receive_one_takes_a_single_message_with_its_group(sqs, kata, make_queue):
    url = make_queue("orders", fifo=True, ContentBasedDeduplication=True)
    sent = {word("group"): word("body") for _ in range(3)}
    for group, body in sent.items():
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group)
    with SentRequests(sqs) as requests:
        message = kata.receive_one(sqs, url, 2)
    expect_equal([(c.get("MaxNumberOfMessages", 1), c.get("WaitTimeSeconds")) for c in requests["ReceiveMessage"]],
                 [(1, 2)], zh="receive_one 應該呼叫一次 ReceiveMessage：MaxNumberOfMessages=1、WaitTimeSeconds=wait_seconds"
                              "（這裡是 2）",
                 en="receive_one should call ReceiveMessage once with MaxNumberOfMessages=1 and "
                    "WaitTimeSeconds=wait_seconds (2 here)")
    expect(isinstance(message, dict) and (message.get("group"), message.get("body")) in sent.items(),
           zh="應該回傳 {'body', 'group', 'receipt_handle'}，group 是訊息的 MessageGroupId",
           en="should return {'body', 'group', 'receipt_handle'}, with the message's MessageGroupId as group",
           expected=f"one of {sorted(sent.items())} as (group, body)", seen=message)
    rest = receive_all(sqs, url, expect=2)
    expect_equal(sorted(bodies(rest)), sorted(b for b in sent.values() if b != message["body"]),
                 zh="一次只該取一則（MaxNumberOfMessages=1），其他群組的訊息還在佇列裡",
                 en="should take just one message (MaxNumberOfMessages=1); the other groups' messages stay queued")
    expect(deleted(sqs, url, message.get("receipt_handle")) and not short_poll(sqs, url, wait=0),
           zh="用回傳的 receipt_handle 應該能刪掉那則訊息", en="the returned receipt_handle should delete that message")


def test_a_group_waits_while_one_of_its_messages_is_in_flight(sqs, kata, make_queue):
    url = make_queue("orders", fifo=True, ContentBasedDeduplication=True)
    a1, a2, b1 = word("a1"), word("a2"), word("b1")
    for body in (a1, a2):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="A")
    first = kata.receive_one(sqs, url)
    expect_equal((first or {}).get("body"), a1, zh="群組 A 的第一則應該最先收到",
                 en="group A's first message should come first")
    sqs.send_message(QueueUrl=url, MessageBody=b1, MessageGroupId="B")
    second = kata.receive_one(sqs, url)
    expect_equal(((second or {}).get("group"), (second or {}).get("body")), ("B", b1),
                 zh="A 的第一則還在處理中（沒刪除），所以下一則應該是群組 B 的，不是 A 的第二則",
                 en="while A's first message is in flight (not deleted), the next one should be group B's, "
                    "not A's second")
    third = kata.receive_one(sqs, url, 0)
    expect(third is None, zh="兩個群組都有訊息在處理中時，應該收不到訊息（回傳 None）",
           en="with both groups busy no message should be available (return None)", seen=third)


def test_the_group_continues_once_its_message_is_deleted(sqs, kata, make_queue):
    url = make_queue("orders", fifo=True, ContentBasedDeduplication=True)
    a1, a2 = word("a1"), word("a2")
    for body in (a1, a2):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="A")
    first = kata.receive_one(sqs, url)
    expect_equal((first or {}).get("body"), a1, zh="應該先收到 A 的第一則", en="A's first message should come first")
    expect(deleted(sqs, url, first.get("receipt_handle")), zh="回傳的 receipt_handle 應該能用來刪除訊息",
           en="the returned receipt_handle should delete the message")
    second = kata.receive_one(sqs, url)
    expect_equal((second or {}).get("body"), a2, zh="刪除第一則後，群組 A 應該繼續送出第二則",
                 en="once the first message is deleted, group A should go on with its second")


def test_send_once_delivers_a_deduplication_id_only_once(sqs, kata, make_queue):
    url = make_queue("invoices", fifo=True)
    first, retry, other = word("first"), word("retry"), word("other")
    dedup_id, other_id = word("order"), word("order")
    group = word("customer")
    message_id = kata.send_once(sqs, url, group, first, dedup_id)
    kata.send_once(sqs, url, group, retry, dedup_id)  # same id, different body: still a duplicate
    kata.send_once(sqs, url, group, other, other_id)
    got = drain(sqs, url, 2)
    expect_equal(bodies(got), [first, other],
                 zh="同一個 MessageDeduplicationId 在 5 分鐘內只會送達一次（不管內容）",
                 en="one MessageDeduplicationId is delivered only once within 5 minutes, whatever the body")
    expect_equal([m.get("Attributes", {}).get("MessageGroupId") for m in got], [group, group],
                 zh="訊息應該屬於傳進來的 group_id", en="the messages should be in the group_id you were given")
    expect_equal(message_id, got[0]["MessageId"], zh="應該回傳 SQS 給的 MessageId",
                 en="should return the MessageId SQS assigned")
    expect(not short_poll(sqs, url, wait=0), zh="重複的那一則不該再出現", en="the duplicate should never show up")
