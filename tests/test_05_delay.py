"""Exercise 05 -- delay queues: a queue-level or per-message DelaySeconds hides a message, then it arrives."""

from sqs_kata.checks import expect, expect_equal, expect_queue_created
from sqs_kata.observe import SentRequests, attribute, bodies, counts, error_code, receive_all, short_poll, word

# What SQS answers when a FIFO queue gets a per-message delay. AWS and moto say InvalidParameterValue;
# some emulators report parameter problems as InvalidAttributeValue. Batch-style codes may carry a prefix.
FIFO_DELAY_REFUSED = {"InvalidParameterValue", "InvalidAttributeValue"}


def test_create_delay_queue_sets_delay_seconds(sqs, kata, queue_name):
    url = kata.create_delay_queue(sqs, queue_name, 2)
    expect_queue_created(sqs, queue_name, url)
    expect_equal(attribute(sqs, url, "DelaySeconds"), "2",
                 zh="delay_seconds=2 時，佇列的 DelaySeconds 屬性應該是 2",
                 en="with delay_seconds=2 the queue's DelaySeconds attribute should be 2")


def test_create_delay_queue_hides_messages_until_the_delay_passes(sqs, kata, queue_name, clock):
    url = kata.create_delay_queue(sqs, queue_name, 1)
    expect_equal(attribute(sqs, url, "DelaySeconds"), "1",
                 zh="delay_seconds=1 時，DelaySeconds 應該是 1（不要寫死）",
                 en="with delay_seconds=1 the DelaySeconds attribute should be 1 (do not hard-code it)")
    sqs.send_message(QueueUrl=url, MessageBody="parcel")
    expect_equal(short_poll(sqs, url), [],
                 zh="剛送出的訊息在 DelaySeconds（1 秒）過去前應該收不到",
                 en="a message just sent should not be receivable before DelaySeconds (1 s) has passed")
    clock.advance(1)
    expect_equal(bodies(receive_all(sqs, url, expect=1, wait=2)), ["parcel"],
                 zh="延遲過後訊息應該出現（delay_seconds 要用傳進來的值，不要寫死）",
                 en="once the delay has passed the message should arrive (use the delay_seconds you are given)")


def test_set_queue_delay_turns_an_existing_queue_into_a_delay_queue(sqs, kata, make_queue):
    url = make_queue()
    kata.set_queue_delay(sqs, url, 2)
    expect_equal(attribute(sqs, url, "DelaySeconds"), "2",
                 zh="set_queue_delay(…, 2) 之後，DelaySeconds 應該是 2（SetQueueAttributes）",
                 en="after set_queue_delay(…, 2) the DelaySeconds attribute should be 2 (SetQueueAttributes)")
    kata.set_queue_delay(sqs, url, 1)
    expect_equal(attribute(sqs, url, "DelaySeconds"), "1",
                 zh="再呼叫 set_queue_delay(…, 1) 之後，DelaySeconds 應該變成 1",
                 en="calling set_queue_delay(…, 1) again should change DelaySeconds to 1")
    sqs.send_message(QueueUrl=url, MessageBody="parcel")
    expect_equal(short_poll(sqs, url), [],
                 zh="設定延遲後送出的訊息，一開始應該收不到", en="a message sent after setting the delay should be hidden at first")
    kata.set_queue_delay(sqs, url, 0)  # SQS: 0 is a valid DelaySeconds (no delay), not "leave it as it is"
    expect_equal(attribute(sqs, url, "DelaySeconds"), "0",
                 zh="set_queue_delay(…, 0) 要把延遲關掉：DelaySeconds 應該變成 0（0 也是要設定的值）",
                 en="set_queue_delay(…, 0) turns the delay off: DelaySeconds should become 0 (0 is a value to set too)")


def test_send_delayed_hides_only_that_message_until_its_delay_passes(sqs, kata, make_queue, clock):
    url = make_queue()
    message_id = kata.send_delayed(sqs, url, "later", 2)
    sqs.send_message(QueueUrl=url, MessageBody="now")
    expect_equal(bodies(receive_all(sqs, url, expect=1, wait=1)), ["now"],
                 zh="只有沒延遲的 now 應該馬上收得到；later 要等 2 秒（SendMessage 的 DelaySeconds）",
                 en="only the undelayed 'now' should arrive at once; 'later' waits 2 s (SendMessage's DelaySeconds)")
    clock.advance(2)
    got = receive_all(sqs, url, expect=1, wait=2)
    expect_equal(bodies(got), ["later"], zh="延遲過後 later 應該出現", en="after its delay 'later' should arrive")
    expect_equal(message_id, got[0]["MessageId"], zh="應該回傳 SQS 給的 MessageId",
                 en="should return the MessageId that SQS assigned")


def test_send_delayed_overrides_the_queue_delay(sqs, kata, make_queue):
    url = make_queue(DelaySeconds=2)
    kata.send_delayed(sqs, url, "express", 0)
    expect_equal(bodies(receive_all(sqs, url, expect=1, wait=1)), ["express"],
                 zh="佇列延遲 2 秒，但訊息自己的 DelaySeconds=0 應該優先：express 要馬上收得到",
                 en="the queue delays by 2 s, but the message's own DelaySeconds=0 wins: 'express' should arrive at once")


def test_try_delay_on_fifo_returns_the_error_code_instead_of_raising(sqs, kata, make_queue):
    url = make_queue("orders", fifo=True, ContentBasedDeduplication=True)
    with SentRequests(sqs) as calls:
        code = kata.try_delay_on_fifo(sqs, url, "late order", 1, "table-7")
    expect_equal(len(calls["SendMessage"]), 1, zh="要真的呼叫 SendMessage，讓 SQS 來判斷（不要自己先擋下來）",
                 en="really call SendMessage and let SQS judge (do not refuse it yourself first)")
    expect(error_code(code) in FIFO_DELAY_REFUSED,
           zh="FIFO 佇列不接受單則訊息的 DelaySeconds：應該回傳錯誤代碼（error.response['Error']['Code']）",
           en="a FIFO queue refuses a per-message DelaySeconds: return the error code (error.response['Error']['Code'])",
           expected="InvalidParameterValue", seen=code)
    expect_equal(short_poll(sqs, url), [],
                 zh="被拒絕的訊息不該出現在佇列裡", en="the refused message should not be on the queue")


def test_try_delay_on_fifo_returns_none_when_sqs_accepts_the_message(sqs, kata, make_queue):
    url = make_queue("orders", fifo=True, ContentBasedDeduplication=True)
    result = kata.try_delay_on_fifo(sqs, url, "order now", 0, "table-3")
    expect_equal(result, None, zh="DelaySeconds=0 時 FIFO 佇列會接受訊息，應該回傳 None",
                 en="with DelaySeconds=0 a FIFO queue accepts the message: return None")
    got = receive_all(sqs, url, expect=1, wait=1)
    expect_equal(bodies(got), ["order now"], zh="訊息應該真的送到 FIFO 佇列",
                 en="the message should really be on the FIFO queue")
    expect_equal(got[0].get("Attributes", {}).get("MessageGroupId"), "table-3",
                 zh="訊息應該屬於傳進來的 group_id", en="the message should be in the group_id you were given")


def test_try_delay_on_fifo_returns_whatever_code_sqs_refused_with(sqs, kata, make_queue, faults):
    """SQS can refuse any SendMessage, e.g. throttled (RequestThrottled): the code returned is the one SQS gave."""
    url = make_queue("orders", fifo=True, ContentBasedDeduplication=True)
    for delay, code in ((0, "RequestThrottled"), (2, "AccessDenied")):
        faults.next("SendMessage", code)
        result = kata.try_delay_on_fifo(sqs, url, word("order"), delay, "table-5")
        expect_equal(error_code(result), code,
                     zh=f"SQS 這次以 {code} 拒絕了 SendMessage（DelaySeconds={delay}）：回傳 SQS 給的錯誤代碼，不要自己猜",
                     en=f"SQS refused this SendMessage with {code} (DelaySeconds={delay}): return the code SQS gave, "
                        "do not guess it")
    expect_equal(short_poll(sqs, url), [], zh="被拒絕的訊息不該出現在佇列裡", en="a refused message should not be on "
                 "the queue")


def test_count_delayed_counts_only_the_messages_still_delayed(sqs, kata, make_queue):
    for suffix, delayed in (("three", 3), ("one", 1)):
        url = make_queue(suffix, DelaySeconds=2)
        for i in range(delayed):
            sqs.send_message(QueueUrl=url, MessageBody=f"delayed-{i}")
        sqs.send_message(QueueUrl=url, MessageBody="visible", DelaySeconds=0)
        before = counts(sqs, url)["delayed"]
        seen = kata.count_delayed(sqs, url)
        after = counts(sqs, url)["delayed"]
        expect(type(seen) is int, zh="應該回傳 int（屬性值是字串，要轉成 int）",
               en="should return an int (the attribute value is a string: convert it)", expected="an int", seen=seen)
        expect(min(before, after) <= seen <= max(before, after),
               zh=f"佇列上有 {delayed} 則延遲中的訊息和 1 則可見的：應該回傳 ApproximateNumberOfMessagesDelayed",
               en=f"the queue holds {delayed} delayed messages and 1 visible one: "
                  "return ApproximateNumberOfMessagesDelayed",
               expected=before if before == after else f"{min(before, after)}..{max(before, after)}", seen=seen)
