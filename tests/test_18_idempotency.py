"""Exercise 18 -- idempotency: a duplicate delivery has no second effect, thanks to a conditional write in DynamoDB.

SQS's standard queues deliver at least once (a copy can come again, with the same MessageId and a new receipt
handle), and a producer that retries a send after a timeout makes a second message with a NEW MessageId. The
business key -- the message attribute IdempotencyKey, set by the producer -- is the same on every copy, so it is
what the consumer claims. The grader reads the claims back from the table itself and counts effects in its own
handler.
"""

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from sqs_kata.checks import expect, expect_equal, fail
from sqs_kata.crash import WorkerCrash
from sqs_kata.observe import MAX_BATCH_ENTRIES, MAX_RECEIVE, SentRequests, counts, eventually, word

KEY = "IdempotencyKey"
VISIBILITY = 1  # seconds: a message a worker failed on comes back quickly (simulated on moto)


def send_keyed(sqs: Any, url: str, orders: list[tuple[str, str]]) -> None:
    """Send (key, body) pairs, each as its own message (a key given twice: two messages, two MessageIds)."""
    for start in range(0, len(orders), MAX_BATCH_ENTRIES):
        chunk = orders[start:start + MAX_BATCH_ENTRIES]
        sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": body,
             "MessageAttributes": {KEY: {"DataType": "String", "StringValue": key}}}
            for i, (key, body) in enumerate(chunk)])


def orders(count: int) -> list[tuple[str, str]]:
    token = word("order")
    return [(f"{token}-{i:02d}", f"ship order {token}-{i:02d}") for i in range(count)]


def claimed(dynamodb: Any, table: str, key: str) -> bool:
    """The grader's own consistent read of the claim."""
    return "Item" in dynamodb.get_item(TableName=table, Key={"pk": {"S": key}}, ConsistentRead=True)


def claim_for_another_worker(dynamodb: Any, table: str, key: str) -> None:
    dynamodb.put_item(TableName=table, Item={"pk": {"S": key}})


def queue_is_empty(sqs: Any, url: str, clock: Any) -> dict[str, int]:
    seen: dict[str, int] = {}

    def empty() -> bool:
        seen.update(counts(sqs, url))
        return seen["visible"] == seen["in_flight"] == 0

    eventually(empty, clock)  # SQS's counts are approximate and may lag a moment
    return seen


def expect_each_once(effects: list[str], wanted: list[str], *, zh: str, en: str) -> None:
    __tracebackhide__ = True
    times = Counter(effects)
    twice = sorted(b for b, n in times.items() if n > 1)
    missing = sorted(b for b in wanted if b not in times)
    expect(not twice and not missing, zh=zh, en=en, expected="every body handled exactly once",
           seen={"handled twice or more": twice[:3], "never handled": missing[:3]})


# ---- claim / release ---------------------------------------------------------------------------------


def test_claim_takes_a_free_key_once(sqs, kata, dynamodb, make_table):
    table, key = make_table(), word("order")
    first = kata.claim(dynamodb, table, key)
    expect(first is True, zh="第一次認領一個沒人認領過的 key 要回傳 True",
           en="the first claim of a free key should return True", expected=True, seen=first)
    expect(claimed(dynamodb, table, key),
           zh=f"認領要寫進 DynamoDB 表 {table}（項目 {{'pk': {{'S': key}}}}），其他 worker 和重新啟動後的 worker 才看得到",
           en=f"a claim should be written to the DynamoDB table {table} (item {{'pk': {{'S': key}}}}): other "
              "workers, and this one after a restart, must see it")
    second = kata.claim(dynamodb, table, key)
    expect(second is False, zh="同一個 key 第二次認領要回傳 False（ConditionalCheckFailedException）",
           en="a second claim of the same key should return False (ConditionalCheckFailedException)",
           expected=False, seen=second)


def test_claim_sees_a_key_another_worker_claimed(sqs, kata, dynamodb, make_table):
    """The claim lives in the table, not in this process: another worker's claim, or one made before a restart."""
    table, key = make_table(), word("order")
    claim_for_another_worker(dynamodb, table, key)
    got = kata.claim(dynamodb, table, key)
    expect(got is False,
           zh="另一個 worker（或重新啟動前的這個 worker）已經在表裡認領了這個 key，要回傳 False："
              "記在記憶體裡的 set 在別的程序和重新啟動後都看不到，要用 DynamoDB 的條件寫入",
           en="another worker (or this one before a restart) already claimed this key in the table, so claim should "
              "return False: an in-memory set is not seen by other processes nor after a restart -- use "
              "DynamoDB's conditional write", expected=False, seen=got)


def test_claim_lets_any_other_error_reach_the_caller(sqs, kata, dynamodb, queue_prefix):
    error = kata.claim.raised(dynamodb, queue_prefix + "no-such-table", word("order"))
    code = error.response.get("Error", {}).get("Code") if error is not None else None
    expect(code == "ResourceNotFoundException",
           zh="只有 ConditionalCheckFailedException 代表「已被認領」；其他錯誤（例如表不存在）要讓它傳出去，"
              "不能當成 False",
           en="only ConditionalCheckFailedException means 'already claimed'; any other error (a missing table, "
              "say) must reach the caller, not become False",
           expected="ResourceNotFoundException raised", seen=code or "no error")


def _two_workers(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls at the same time, one thread each; a failure in a thread fails the test."""
    results: list[Any] = [None] * len(calls)
    raised: list[BaseException] = []

    def run(i: int) -> None:
        try:
            results[i] = calls[i]()
        except BaseException as error:  # noqa: BLE001 -- re-raised in the test's thread
            raised.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    if raised:
        raise raised[0]
    return results


def test_two_workers_claiming_one_key_at_once_only_one_wins(sqs, kata, dynamodb, dynamodb_place, make_table):
    """Two workers got copies of one message at the same moment. A read before the write (GetItem, then PutItem)
    is a race: both read "not there" before either writes. The grader lines the two reads up, as bad timing
    would; a conditional write has no read to line up."""
    table = make_table()
    other = dynamodb_place.new_client()  # the second worker's own client
    # A worker whose read has come back waits until the other worker's read has come back too -- or the other has
    # finished its claim without a read (a conditional write needs none): both reads before either write, the bad
    # timing made certain however slow the machine, and no wait at all for a claim that does not read.
    meeting = threading.Condition()
    read: set[int] = set()
    finished: set[int] = set()

    def both_read_first(**_: Any) -> None:
        with meeting:
            read.add(threading.get_ident())
            meeting.notify_all()
            meeting.wait_for(lambda: len(read | finished) >= 2, timeout=20)

    def claiming(client: Any, key: str) -> Callable[[], Any]:
        def claim() -> Any:
            try:
                return kata.claim(client, table, key)
            finally:
                with meeting:
                    finished.add(threading.get_ident())
                    meeting.notify_all()

        return claim

    for client in (dynamodb, other):
        for action in ("GetItem", "Query", "Scan", "BatchGetItem"):
            client.meta.events.register(f"after-call.dynamodb.{action}", both_read_first)
    for _ in range(3):
        key = word("order")
        read.clear()
        finished.clear()
        won = _two_workers([claiming(dynamodb, key), claiming(other, key)])
        expect(sorted(won, key=repr) == [False, True],
               zh="兩個 worker 同時認領同一個 key，只能有一個拿到 True：先 get_item 再 put_item 會兩個都以為沒人認領。"
                  "用一次 put_item 加 ConditionExpression='attribute_not_exists(pk)'",
               en="two workers claiming one key at the same moment: exactly one may get True. get_item then "
                  "put_item lets both see 'not claimed' -- use one put_item with "
                  "ConditionExpression='attribute_not_exists(pk)'", expected=[True, False], seen=won)


def test_release_frees_the_key_for_a_later_delivery(sqs, kata, dynamodb, make_table):
    table, key = make_table(), word("order")
    kata.claim(dynamodb, table, key)
    kata.release(dynamodb, table, key)
    expect(not claimed(dynamodb, table, key), zh="release 之後表裡不能再有這個 key 的認領",
           en="after release the table should hold no claim for the key")
    again = kata.claim(dynamodb, table, key)
    expect(again is True, zh="release 之後，下一次認領要成功", en="after release, the next claim should succeed",
           expected=True, seen=again)


# ---- consume_idempotently ----------------------------------------------------------------------------


@pytest.mark.realism(duplicates=True)
def test_consume_idempotently_has_each_effect_once_when_sqs_delivers_twice(sqs, kata, dynamodb, make_table,
                                                                           make_queue, clock):
    """The realism layer delivers every message a second time (same MessageId, a new receipt handle)."""
    url, table = make_queue(), make_table()
    sent = orders(15)
    send_keyed(sqs, url, sent)
    effects: list[str] = []
    with SentRequests(sqs) as requests:
        returned = kata.consume_idempotently(sqs, url, dynamodb, table, effects.append, 1)
    asked = [(r.get("MaxNumberOfMessages", 1), r.get("WaitTimeSeconds")) for r in requests["ReceiveMessage"]]
    expect(asked and all(a == (MAX_RECEIVE, 1) for a in asked),
           zh="每次 receive_message 都要 MaxNumberOfMessages=10、WaitTimeSeconds=wait_seconds（長輪詢，一次最多 10 則）",
           en="every receive_message should ask for MaxNumberOfMessages=10 with WaitTimeSeconds=wait_seconds "
              "(a long poll, up to 10 at a time)", expected=(MAX_RECEIVE, 1), seen=sorted(set(asked)))
    expect_each_once(effects, [b for _, b in sent],
                     zh="SQS 把每則訊息都多送了一次：同一個 IdempotencyKey 只能有一次效果（handle 只呼叫一次）。"
                        "ReceiptHandle 每次接收都不同，不能拿來當 key",
                     en="SQS delivered every message a second time: one IdempotencyKey may have its effect once "
                        "(handle called once). The ReceiptHandle differs on every receive: it is no key")
    expect_equal(returned, len(sent), zh="回傳值是這次呼叫 handle 成功的次數",
                 en="the return value is how many effects (successful handle calls) this call had")
    left = queue_is_empty(sqs, url, clock)
    expect(left["visible"] == left["in_flight"] == 0,
           zh="重複的那份也要刪除（不呼叫 handle），佇列最後要是空的",
           en="a duplicate should be deleted too (without calling handle): the queue should end empty",
           expected={"visible": 0, "in_flight": 0}, seen=left)


def test_consume_idempotently_keys_by_the_business_key_not_the_message_id(sqs, kata, dynamodb, make_table,
                                                                          make_queue, clock):
    """A producer that retried its send after a timeout: the same order twice, two MessageIds."""
    url, table = make_queue(), make_table()
    sent = orders(6)
    send_keyed(sqs, url, sent + sent[:3])
    effects: list[str] = []
    kata.consume_idempotently(sqs, url, dynamodb, table, effects.append, 1)
    expect_each_once(effects, [b for _, b in sent],
                     zh="生產者重送的訊息有新的 MessageId，但 IdempotencyKey 一樣：要用訊息屬性 IdempotencyKey 認領，"
                        "不是 MessageId",
                     en="a producer's retried send has a new MessageId but the same IdempotencyKey: claim the "
                        "message attribute IdempotencyKey, not the MessageId")
    left = queue_is_empty(sqs, url, clock)
    expect(left["visible"] == left["in_flight"] == 0, zh="重送的那則也要刪除，佇列最後要是空的",
           en="the retried copy should be deleted too: the queue should end empty",
           expected={"visible": 0, "in_flight": 0}, seen=left)


def test_consume_idempotently_gives_equal_bodies_with_different_keys_each_their_effect(sqs, kata, dynamodb,
                                                                                       make_table, make_queue):
    url, table = make_queue(), make_table()
    body = "refill the coffee machine"
    keys = [word("order") for _ in range(3)]
    send_keyed(sqs, url, [(key, body) for key in keys])
    effects: list[str] = []
    kata.consume_idempotently(sqs, url, dynamodb, table, effects.append, 1)
    expect_equal(len(effects), len(keys),
                 zh="三張不同的訂單（不同的 IdempotencyKey）內容剛好一樣，還是三個效果：key 是 IdempotencyKey，不是 body",
                 en="three different orders (different IdempotencyKeys) with equal bodies are still three effects: "
                    "the key is IdempotencyKey, not the body")
    expect(all(claimed(dynamodb, table, key) for key in keys),
           zh="每個 IdempotencyKey 都要在表裡留下認領", en="every IdempotencyKey should be claimed in the table")


def test_consume_idempotently_skips_keys_claimed_before_a_restart(sqs, kata, dynamodb, make_table, make_queue,
                                                                  clock):
    """A worker that died after its effects but before deleting: its claims are in the table, its messages back."""
    url, table = make_queue(), make_table()
    sent = orders(8)
    for key, _ in sent[:3]:
        claim_for_another_worker(dynamodb, table, key)
    send_keyed(sqs, url, sent)
    effects: list[str] = []
    kata.consume_idempotently(sqs, url, dynamodb, table, effects.append, 1)
    expect_equal(sorted(effects), sorted(b for _, b in sent[3:]),
                 zh="表裡已經認領的 key（重新啟動前的 worker 做完效果了）不能再呼叫 handle：認領要看 DynamoDB，"
                    "不是這個程序記憶體裡的 set",
                 en="keys already claimed in the table (a worker before the restart had their effect) must not reach "
                    "handle again: look at DynamoDB, not a set in this process's memory")
    left = queue_is_empty(sqs, url, clock)
    expect(left["visible"] == left["in_flight"] == 0, zh="已認領的訊息也要刪除", en="claimed messages should be deleted too",
           expected={"visible": 0, "in_flight": 0}, seen=left)


def test_consume_idempotently_claims_before_the_effect(sqs, kata, dynamodb, make_table, make_queue, clock):
    """The worker dies right after an effect (the parcel shipped), before it could delete the message: the message
    comes back after its visibility timeout, and only a claim made BEFORE the effect stops a second one."""
    url, table = make_queue(VisibilityTimeout=VISIBILITY), make_table()
    sent = orders(5)
    send_keyed(sqs, url, sent)
    effects: list[str] = []

    def dies_after_the_third_effect(body: str) -> None:
        effects.append(body)
        if len(effects) == 3:
            raise WorkerCrash(f"the worker died right after the effect of {body!r}")

    try:
        kata.consume_idempotently(sqs, url, dynamodb, table, dies_after_the_third_effect, 1)
    except WorkerCrash:
        pass
    else:
        fail(zh="handle 當掉時（程序死掉）不能繼續", en="when the worker dies in handle, nothing after it may run",
             expected="the crash ends consume_idempotently", seen="it returned")
    clock.advance(VISIBILITY + 1)
    kata.consume_idempotently(sqs, url, dynamodb, table, effects.append, 1)
    expect_each_once(effects, [b for _, b in sent],
                     zh="worker 在效果做完、訊息刪除之前死掉，訊息會再回來：要在效果「之前」認領，重新收到時才知道做過了",
                     en="the worker died after an effect, before deleting the message, so the message came back: "
                        "claim BEFORE the effect, so the redelivery finds it done")


def test_consume_idempotently_releases_the_claim_when_handle_fails(sqs, kata, dynamodb, make_table, make_queue,
                                                                   clock):
    """A handler that fails once (a dependency was down): the message must come back and have its effect then."""
    url, table = make_queue(VisibilityTimeout=VISIBILITY), make_table()
    sent = orders(6)
    flaky = sent[2][1]
    send_keyed(sqs, url, sent)
    effects: list[str] = []
    failed: list[str] = []

    def fails_once(body: str) -> None:
        if body == flaky and not failed:
            failed.append(body)
            raise ConnectionError("the payment service did not answer")
        effects.append(body)

    kata.consume_idempotently(sqs, url, dynamodb, table, fails_once, 1)
    expect(set(effects) >= {b for _, b in sent if b != flaky},
           zh="一則訊息的 handle 丟出例外時，其他訊息照常處理（例外不能讓 consume_idempotently 停下來）",
           en="when handle raises for one message, the others are still handled (the exception must not stop "
              "consume_idempotently)", expected=sorted(b for _, b in sent if b != flaky), seen=sorted(effects))
    clock.advance(VISIBILITY + 1)
    kata.consume_idempotently(sqs, url, dynamodb, table, fails_once, 1)
    expect_each_once(effects, [b for _, b in sent],
                     zh="handle 失敗時要 release 認領、不刪訊息：訊息在可見性逾時後回來，這次才能真的處理",
                     en="when handle fails, release the claim and leave the message: it comes back after its "
                        "visibility timeout and can have its effect then")


def test_consume_idempotently_goes_on_with_the_batch_after_a_failure(sqs, kata, dynamodb, make_table, make_queue):
    """Half the messages fail; the other messages of the same receive must not wait out a visibility timeout."""
    url, table = make_queue(VisibilityTimeout=30), make_table()
    sent = orders(10)
    failing = {body for _, body in sent[::2]}
    send_keyed(sqs, url, sent)
    effects: list[str] = []

    def fails(body: str) -> None:
        if body in failing:
            raise ConnectionError("the payment service did not answer")
        effects.append(body)

    kata.consume_idempotently(sqs, url, dynamodb, table, fails, 1)
    wanted = sorted(b for _, b in sent if b not in failing)
    expect_equal(sorted(effects), wanted,
                 zh="handle 對一則訊息丟出例外後，同一批的其他訊息要繼續處理（continue，不是 break 或 return）",
                 en="after handle raises for one message, go on with the rest of the batch (continue, not break or "
                    "return): they would otherwise wait out their visibility timeout")
