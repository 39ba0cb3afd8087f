"""Exercise 07 -- long and short polling: WaitTimeSeconds, the queue's default wait, and a drain loop that stops."""

import time
from typing import Any

import pytest

from sqs_kata.checks import expect, expect_equal
from sqs_kata.observe import (MAX_RECEIVE, SentRequests, attribute, counts, fewer_per_receive, numbered_bodies,
                               send_batched, short_poll)

# How much longer than its WaitTimeSeconds a long poll may take on a live server (HTTP round trip, start-up).
SLACK_SECONDS = 2


def _expect_long_polls(calls: list[dict[str, Any]], wait_seconds: int, *, batch_size: bool = True) -> None:
    """Every receive of a consumer: WaitTimeSeconds=wait_seconds (a short poll may miss waiting messages on SQS)
    and MaxNumberOfMessages=10."""
    __tracebackhide__ = True
    seen = [(c.get("WaitTimeSeconds"), c.get("MaxNumberOfMessages")) for c in calls]
    expect(bool(seen) and all(wait == wait_seconds for wait, _ in seen),
           zh=f"每次接收都要長輪詢：WaitTimeSeconds=wait_seconds（這裡是 {wait_seconds}）。短輪詢只問部分伺服器，"
              "訊息還在時也可能回來空的",
           en=f"every receive should be a long poll with WaitTimeSeconds=wait_seconds ({wait_seconds} here): a short "
              "poll asks only some of SQS's servers and may come back empty while messages wait",
           expected=f"WaitTimeSeconds={wait_seconds} on every receive", seen=[wait for wait, _ in seen])
    expect(not batch_size or all(count == MAX_RECEIVE for _, count in seen),
           zh="每次接收都要一次拿最多 10 則：MaxNumberOfMessages=10", en="every receive should ask for up to 10 "
           "messages: MaxNumberOfMessages=10", expected=MAX_RECEIVE, seen=[count for _, count in seen])


class _ReceivesAndDeletes:
    """The receipt handles each ReceiveMessage handed out and each delete used, in the order the calls were made."""

    def __init__(self, sqs: Any) -> None:
        self._sqs = sqs
        self.events: list[tuple[str, list[Any]]] = []

    def _deleting(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name == "DeleteMessage":
            self.events.append(("delete", [params.get("ReceiptHandle")]))
        elif model.name == "DeleteMessageBatch":
            self.events.append(("delete", [e.get("ReceiptHandle") for e in params.get("Entries") or []]))

    def _received(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name == "ReceiveMessage":  # the handles the code got (disguised by the realism layer)
            self.events.append(("receive", [m.get("ReceiptHandle") for m in parsed.get("Messages", [])]))

    def __enter__(self) -> "_ReceivesAndDeletes":
        self._sqs.meta.events.register_first("provide-client-params.sqs", self._deleting)
        # On "after-call.sqs", after the realism layer's handler there (a more specific event would run first).
        self._sqs.meta.events.register_last("after-call.sqs", self._received)
        return self

    def __exit__(self, *_: Any) -> None:
        self._sqs.meta.events.unregister("provide-client-params.sqs", self._deleting)
        self._sqs.meta.events.unregister("after-call.sqs", self._received)

    def kept_while_receiving(self) -> int:
        """The largest number of received, undeleted messages at the moment of a later receive."""
        pending: set[Any] = set()
        worst = 0
        for kind, handles in self.events:
            if kind == "receive":
                worst = max(worst, len(pending))
                pending |= set(handles)
            else:
                pending -= set(handles)
        return worst


def test_long_poll_waits_with_wait_time_seconds_and_returns_what_is_there(sqs, kata, make_queue):
    url = make_queue()
    sent = numbered_bodies(3)
    send_batched(sqs, url, sent)
    with SentRequests(sqs) as requests:
        got = kata.long_poll(sqs, url, 2)
    calls = requests["ReceiveMessage"]
    expect_equal([c.get("WaitTimeSeconds") for c in calls], [2],
                 zh="long_poll 應該呼叫一次 ReceiveMessage，並帶 WaitTimeSeconds=wait_seconds（這裡是 2）",
                 en="long_poll should call ReceiveMessage once with WaitTimeSeconds=wait_seconds (2 here)")
    expect_equal(calls[0].get("MaxNumberOfMessages"), MAX_RECEIVE,
                 zh="一次最多可以拿 10 則：MaxNumberOfMessages=10", en="take up to 10 at once: MaxNumberOfMessages=10")
    expect(isinstance(got, list) and 0 < len(got) == len(set(got)) and set(got) <= set(sent),
           zh="佇列裡有訊息時，長輪詢應該回傳它們的 body（至少一則）",
           en="when messages are there, a long poll should return their bodies (at least one)",
           expected=f"some of {sent}", seen=got)


def test_long_poll_on_an_empty_queue_returns_an_empty_list_within_the_wait(sqs, kata, make_queue):
    url = make_queue()
    with SentRequests(sqs) as requests:
        started = time.monotonic()
        got = kata.long_poll(sqs, url, 1)
        took = time.monotonic() - started
    calls = requests["ReceiveMessage"]
    expect_equal(got, [], zh="空佇列：等完之後應該回傳 []", en="an empty queue: after the wait, return []")
    expect_equal([c.get("WaitTimeSeconds") for c in calls], [1],
                 zh="應該帶 WaitTimeSeconds=wait_seconds（這裡是 1，不要寫死）",
                 en="should pass WaitTimeSeconds=wait_seconds (1 here; do not hard-code it)")
    expect(took <= 1 + SLACK_SECONDS, zh="長輪詢最多等 wait_seconds 秒，不該等更久",
           en="a long poll waits at most wait_seconds, not longer", expected=f"<= {1 + SLACK_SECONDS} s",
           seen=f"{took:.1f} s")


def test_short_poll_does_not_wait_even_when_the_queue_long_polls_by_default(sqs, kata, make_queue):
    url = make_queue(ReceiveMessageWaitTimeSeconds=1)
    with SentRequests(sqs) as requests:
        got = kata.short_poll(sqs, url)
    calls = requests["ReceiveMessage"]
    expect_equal(got, [], zh="空佇列的短輪詢應該回傳 []", en="a short poll of an empty queue should return []")
    expect_equal([c.get("WaitTimeSeconds") for c in calls], [0],
                 zh="這個佇列預設會長輪詢 1 秒；要明確傳 WaitTimeSeconds=0 才是短輪詢",
                 en="this queue long-polls for 1 s by default; pass WaitTimeSeconds=0 explicitly to short-poll")


def test_short_poll_returns_some_of_what_waits_and_deletes_nothing(sqs, kata, make_queue):
    """Short polling samples a subset of SQS's servers: one poll may return some of the waiting messages or none,
    and a later one returns them. So over three polls something comes back, all of it sent, and nothing is
    deleted (the queue's VisibilityTimeout is 0, so a received message is at once receivable again)."""
    url = make_queue(VisibilityTimeout=0)
    sent = numbered_bodies(4)
    send_batched(sqs, url, sent)
    with SentRequests(sqs) as requests:
        polls = [kata.short_poll(sqs, url) for _ in range(3)]
    expect_equal([(c.get("WaitTimeSeconds"), c.get("MaxNumberOfMessages")) for c in requests["ReceiveMessage"]],
                 [(0, MAX_RECEIVE)] * 3, zh="每次短輪詢都是一次 ReceiveMessage：WaitTimeSeconds=0、MaxNumberOfMessages=10",
                 en="each short poll is one ReceiveMessage with WaitTimeSeconds=0 and MaxNumberOfMessages=10")
    expect(all(isinstance(got, list) and set(got) <= set(sent) for got in polls) and any(polls),
           zh="短輪詢回傳收到的訊息 body（有時候是 []）：三次裡總會收到一些，而且都是送出的那些",
           en="a short poll returns the bodies it got (sometimes []): over three polls some come back, all of them "
              "sent", expected=f"bodies from {sent}", seen=polls)
    left = counts(sqs, url)
    expect_equal(left["visible"] + left["in_flight"], len(sent), zh="短輪詢不該刪除任何訊息",
                 en="a short poll should delete nothing")


def test_set_default_wait_sets_receive_message_wait_time_seconds(sqs, kata, make_queue):
    url = make_queue()
    kata.set_default_wait(sqs, url, 20)
    expect_equal(attribute(sqs, url, "ReceiveMessageWaitTimeSeconds"), "20",
                 zh="set_default_wait(…, 20) 之後，佇列的 ReceiveMessageWaitTimeSeconds 應該是 20（最大值）",
                 en="after set_default_wait(…, 20) the queue's ReceiveMessageWaitTimeSeconds should be 20 (the maximum)")
    kata.set_default_wait(sqs, url, 1)
    expect_equal(attribute(sqs, url, "ReceiveMessageWaitTimeSeconds"), "1",
                 zh="再設成 1，屬性應該跟著變成 1（不要寫死）", en="setting 1 next should change it to 1 (do not hard-code it)")
    kata.set_default_wait(sqs, url, 0)  # SQS: 0 (short polling) is a valid setting, not "no change"
    expect_equal(attribute(sqs, url, "ReceiveMessageWaitTimeSeconds"), "0",
                 zh="設成 0（回到短輪詢）也要真的設定，0 不是「不用改」",
                 en="setting 0 (back to short polling) should really set it: 0 is a value, not \"no change\"")


def test_default_wait_reads_the_queue_setting_as_an_int(sqs, kata, make_queue):
    for suffix, seconds in (("patient", 20), ("eager", 0)):
        url = make_queue(suffix, ReceiveMessageWaitTimeSeconds=seconds)
        seen = kata.default_wait(sqs, url)
        expect(type(seen) is int and seen == seconds,
               zh=f"這個佇列的 ReceiveMessageWaitTimeSeconds 是 {seconds}：應該回傳 int {seconds}",
               en=f"this queue's ReceiveMessageWaitTimeSeconds is {seconds}: return the int {seconds}",
               expected=seconds, seen=seen)


@pytest.mark.long
@pytest.mark.timeout(10)
def test_drain_receives_and_deletes_more_than_ten_messages(sqs, kata, make_queue, clock):
    """SQS: a short poll samples some servers and may return nothing while messages wait; a long poll asks all.

    A message received and not deleted comes back after its visibility timeout, so a consumer deletes what it
    got before it receives again (a long loop that deletes at the end would see its messages again).
    """
    url = make_queue(VisibilityTimeout=2)
    sent = numbered_bodies(23)
    send_batched(sqs, url, sent)
    with SentRequests(sqs) as requests, _ReceivesAndDeletes(sqs) as order:
        got = kata.drain(sqs, url, 1)
    _expect_long_polls(requests["ReceiveMessage"], 1)
    expect(isinstance(got, list) and sorted(set(got)) == sorted(sent),
           zh="23 則訊息（超過 10 則）都應該收到並回傳：要重複接收，直到長輪詢回來是空的",
           en="all 23 messages (more than 10) should be received and returned: keep receiving until a long poll "
              "comes back empty", expected=f"{len(sent)} bodies", seen=got)
    expect(order.kept_while_receiving() == 0,
           zh="收到的訊息要在下一次接收之前刪掉：留到迴圈結束才刪，長時間的迴圈裡它們會在可見性逾時後回來",
           en="delete what you received before you receive again: deleted only at the end of a long loop, messages "
              "come back when their visibility timeout ends", expected="0 undeleted messages at each receive",
           seen=f"{order.kept_while_receiving()} received and not yet deleted at a later receive")
    clock.advance(2)  # past the visibility timeout: a message received but not deleted would be back now
    expect_equal(short_poll(sqs, url), [],
                 zh="收到的每則訊息都要刪除，否則逾時後它們會回來", en="delete every message you receive, or it comes back")


@pytest.mark.long
@pytest.mark.realism(duplicates=True)
def test_drain_keeps_going_when_sqs_hands_out_fewer_than_asked(sqs, kata, make_queue):
    """SQS may return fewer messages than MaxNumberOfMessages while more wait, and deliver a message twice."""
    url = make_queue()
    sent = numbered_bodies(7)
    send_batched(sqs, url, sent)
    with fewer_per_receive(sqs, 3), SentRequests(sqs) as requests:
        got = kata.drain(sqs, url, 2)
    # (fewer_per_receive rewrites MaxNumberOfMessages before SentRequests sees it: only the wait is checked here)
    _expect_long_polls(requests["ReceiveMessage"], 2, batch_size=False)
    expect(isinstance(got, list) and sorted(set(got)) == sorted(sent),
           zh="SQS 可能一次只給幾則（少於 10 則），佇列卻還沒空：要等到長輪詢回來是空的才停，不是少於 10 則就停",
           en="SQS may hand out fewer than 10 while more are waiting: stop when a long poll comes back empty, "
              "not when a batch is short", expected=f"{len(sent)} bodies", seen=got)


@pytest.mark.timeout(10)
def test_drain_stops_when_a_long_poll_comes_back_empty(sqs, kata, make_queue):
    url = make_queue()
    with SentRequests(sqs) as requests:
        got = kata.drain(sqs, url, 1)
    calls = requests["ReceiveMessage"]
    expect_equal(got, [], zh="空佇列：drain 應該回傳 []", en="an empty queue: drain should return []")
    _expect_long_polls(calls, 1)
    expect_equal(len(calls), 1, zh="空佇列只需要一次長輪詢（WaitTimeSeconds=1）就該停下來",
                 en="on an empty queue one long poll (WaitTimeSeconds=1) should be enough to stop")
