"""Exercise 11 -- dead-letter queues: redrive policy, source queues, and moving messages back.

Where the grader sets up a source queue itself, it gives the RedrivePolicy at CreateQueue: ElasticMQ 1.7.1
only lists (ListDeadLetterSourceQueues) and redrives to (StartMessageMoveTask without DestinationArn) source
queues whose policy it saw at creation; SQS also accepts a policy set later, which is what the learner does.
"""

import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from sqs_kata.backends import MESSAGE_MOVE_TASKS
from sqs_kata.checks import expect, expect_equal, fail
from sqs_kata.observe import (SentRequests, attribute, bodies, counts, error_code, receive_all, short_poll,
                               word)
from sqs_kata.realism import Fault


def arn(sqs: Any, url: str) -> str:
    return attribute(sqs, url, "QueueArn")


def source_of(sqs: Any, make_queue: Any, suffix: str, dlq_url: str, max_receive_count: int = 1) -> str:
    """A source queue the grader creates with its redrive policy already in place (see the module docstring)."""
    policy = {"deadLetterTargetArn": arn(sqs, dlq_url), "maxReceiveCount": str(max_receive_count)}
    return make_queue(suffix, RedrivePolicy=json.dumps(policy))


def peek(sqs: Any, url: str, n: int) -> list[str]:
    """The distinct bodies of up to `n` messages, received with VisibilityTimeout=0 so they stay visible."""
    seen: list[str] = []
    for _ in range(5):
        for message in receive_all(sqs, url, rounds=1, wait=2, visibility=0):
            if message["Body"] not in seen:
                seen.append(message["Body"])
        if len(seen) >= n:
            break
    return sorted(seen)


def move_tasks(sqs: Any, dlq_url: str) -> list[dict[str, Any]]:
    return sqs.list_message_move_tasks(SourceArn=arn(sqs, dlq_url), MaxResults=10).get("Results", [])


_ASKED = "test_11.asked"  # where the helpers below keep a request's parameters (botocore's per-call context)


def _keep_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    context[_ASKED] = dict(params)


@contextmanager
def pages_of(sqs: Any, size: int) -> Iterator[None]:
    """ListDeadLetterSourceQueues answered in pages of at most `size` URLs, with a NextToken, as SQS pages it.

    SQS returns at most MaxResults URLs a page (and a NextToken only when MaxResults was given); moto and
    ElasticMQ ignore MaxResults and return everything at once. Where the server did not page, this cuts its
    answer into pages (tokens of its own); a server that pages itself is left alone.
    """
    action = "ListDeadLetterSourceQueues"
    mark = "kata-page-"

    def cut(parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        asked = context.get(_ASKED, {})
        token = asked.get("NextToken")
        if ("MaxResults" not in asked or "queueUrls" not in parsed or parsed.get("NextToken")
                or (token is not None and not str(token).startswith(mark))):
            return
        start = int(str(token)[len(mark):]) if token else 0
        end = start + min(int(asked["MaxResults"]), size)
        urls = sorted(parsed["queueUrls"])
        parsed["queueUrls"] = urls[start:end]
        if end < len(urls):
            parsed["NextToken"] = f"{mark}{end}"

    # On the action's own events: they run before the realism layer's (which would reorder the page).
    sqs.meta.events.register(f"provide-client-params.sqs.{action}", _keep_params)
    sqs.meta.events.register(f"after-call.sqs.{action}", cut)
    try:
        yield
    finally:
        sqs.meta.events.unregister(f"provide-client-params.sqs.{action}", _keep_params)
        sqs.meta.events.unregister(f"after-call.sqs.{action}", cut)


@contextmanager
def answered(sqs: Any, action: str, respond: Any) -> Iterator[list[dict[str, Any]]]:
    """The grader answers `action` itself with respond(params) (moto has no move tasks; SQS's documented answer
    stands in for the server's on every backend). Yields the parameters of every `action` request."""
    asked: list[dict[str, Any]] = []

    def answer(context: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        params = context.get(_ASKED, {})
        asked.append(params)
        answer = respond(params)
        if isinstance(answer, Fault):  # SQS refuses this request
            return answer.response()
        meta = {"RequestId": secrets.token_hex(16), "HTTPStatusCode": 200, "HTTPHeaders": {}, "RetryAttempts": 0}
        return AWSResponse("https://sqs.invalid/", 200, {}, None), {**answer, "ResponseMetadata": meta}

    sqs.meta.events.register(f"provide-client-params.sqs.{action}", _keep_params)
    sqs.meta.events.register(f"before-call.sqs.{action}", answer)
    try:
        yield asked
    finally:
        sqs.meta.events.unregister(f"provide-client-params.sqs.{action}", _keep_params)
        sqs.meta.events.unregister(f"before-call.sqs.{action}", answer)


def listed_move_tasks(sqs: Any, source_arn: str, statuses: list[str]) -> Any:
    """ListMessageMoveTasks for `source_arn` answered as SQS documents it: the source's tasks newest first, at most
    MaxResults of them (1 when the request does not say, 10 at most)."""
    tasks = [{"TaskHandle": secrets.token_hex(16), "Status": status, "SourceArn": source_arn,
              "ApproximateNumberOfMessagesMoved": 1, "StartedTimestamp": 1_700_000_000_000 - 60_000 * i,
              **({"FailureReason": "AWS.SimpleQueueService.NonExistentQueue"} if status == "FAILED" else {})}
             for i, status in enumerate(statuses)]

    def respond(params: dict[str, Any]) -> dict[str, Any] | Fault:
        limit = params.get("MaxResults", 1)
        if not 1 <= limit <= 10:
            return Fault("InvalidParameterValue", 400, True, f"Value {limit} for parameter MaxResults is invalid. "
                         "Reason: MaxResults must be an integer between 1 and 10.")
        found = tasks if params.get("SourceArn") == source_arn else []
        return {"Results": [dict(t) for t in found[:limit]]}

    return answered(sqs, "ListMessageMoveTasks", respond)


def attributes_of(message: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {name: (value.get("DataType"), value.get("StringValue", value.get("BinaryValue")))
            for name, value in message.get("MessageAttributes", {}).items()}


def test_queue_arn_is_the_queues_own_arn(sqs, kata, make_queue):
    for url in (make_queue("orders"), make_queue("orders-dlq")):
        expect_equal(kata.queue_arn(sqs, url), arn(sqs, url),
                     zh="應該回傳佇列的 QueueArn 屬性", en="should return the queue's QueueArn attribute")


def test_attach_dead_letter_queue_sets_the_redrive_policy(sqs, kata, make_queue):
    source, dlq = make_queue("orders"), make_queue("orders-dlq")
    kata.attach_dead_letter_queue(sqs, source, dlq, 3)
    raw = attribute(sqs, source, "RedrivePolicy")
    try:
        policy = json.loads(raw or "")
    except ValueError:
        policy = None
    if not isinstance(policy, dict):
        fail(zh="來源佇列應該有 RedrivePolicy 屬性（JSON 物件字串）", en="the source queue should have a RedrivePolicy "
             "attribute (a JSON object, as a string)", expected='{"deadLetterTargetArn": ..., "maxReceiveCount": "3"}',
             seen=raw)
    expect_equal(policy.get("deadLetterTargetArn"), arn(sqs, dlq),
                 zh="deadLetterTargetArn 應該是死信佇列的 ARN（不是網址）",
                 en="deadLetterTargetArn should be the dead-letter queue's ARN (not its URL)")
    expect_equal(str(policy.get("maxReceiveCount")), "3",
                 zh="maxReceiveCount 應該是傳入的 3", en="maxReceiveCount should be the 3 that was passed in")


@pytest.mark.long
def test_a_message_received_max_receive_count_times_moves_to_the_dlq(sqs, kata, make_queue, clock):
    source, dlq = make_queue("orders"), make_queue("orders-dlq")
    kata.attach_dead_letter_queue(sqs, source, dlq, 2)
    poison = word("poison")
    sqs.send_message(QueueUrl=source, MessageBody=poison)
    for attempt in (1, 2):  # a consumer that fails: receive, never delete, let the visibility timeout pass
        got = receive_all(sqs, source, expect=1, wait=2, visibility=1)
        expect_equal(bodies(got), [poison], zh=f"第 {attempt} 次接收應該還拿得到訊息（maxReceiveCount 是 2）",
                     en=f"receive number {attempt} should still get the message (maxReceiveCount is 2)")
        clock.advance(1.5)
    # SQS moves the message when a receive finds it over the limit: this third receive gets nothing.
    expect_equal(bodies(receive_all(sqs, source, wait=1, visibility=1)), [],
                 zh="收過 2 次都沒刪除後，訊息應該離開來源佇列", en="after 2 receives without a delete the message "
                 "should leave the source queue")
    expect_equal(bodies(receive_all(sqs, dlq, expect=1, wait=2)), [poison],
                 zh="訊息應該被移到死信佇列", en="the message should have moved to the dead-letter queue")


def test_dead_letter_sources_lists_every_source_queue(sqs, kata, make_queue):
    dlq, unused_dlq = make_queue("dlq"), make_queue("spare-dlq")
    sources = sorted([source_of(sqs, make_queue, "orders", dlq), source_of(sqs, make_queue, "payments", dlq)])
    make_queue("unrelated")
    expect_equal(kata.dead_letter_sources(sqs, dlq), sources,
                 zh="應該列出所有把失敗訊息送到這個死信佇列的來源佇列網址（排序）",
                 en="should list the URLs of every queue that sends its failures to this DLQ (sorted)")
    expect_equal(kata.dead_letter_sources(sqs, unused_dlq), [],
                 zh="沒有來源佇列的死信佇列應該得到 []", en="a DLQ no queue points at should give []")


@pytest.mark.long
def test_redrive_by_hand_moves_every_message_back(sqs, kata, make_queue, clock):
    """Message attributes: custom types (Number.kg, Binary.png, String.x) are part of the message."""
    dlq, target = make_queue("dlq", VisibilityTimeout=2), make_queue("orders")
    failed = {word("order"): word("why") for _ in range(12)}  # more than one receive can return
    custom = {"Weight": {"DataType": "Number.kg", "StringValue": "12.5"},
              "Photo": {"DataType": "Binary.png", "BinaryValue": secrets.token_bytes(8)},
              "Note": {"DataType": "String.utf8", "StringValue": word("note")}}
    special = sorted(failed)[:2]
    for body, reason in failed.items():
        extra = custom if body in special else {}
        sqs.send_message(QueueUrl=dlq, MessageBody=body,
                         MessageAttributes={"Reason": {"DataType": "String", "StringValue": reason}, **extra})
    moved = kata.redrive_by_hand(sqs, dlq, target)
    got = receive_all(sqs, target, expect=12)
    seen = {m["Body"]: m.get("MessageAttributes", {}).get("Reason", {}).get("StringValue") for m in got}
    expect_equal(seen, failed, zh="12 則訊息都應該連同 Reason 訊息屬性送到目標佇列",
                 en="all 12 messages should reach the target queue, each with its Reason message attribute")
    wanted = attributes_of({"MessageAttributes": custom})
    kept = {m["Body"]: {k: v for k, v in attributes_of(m).items() if k != "Reason"}
            for m in got if m["Body"] in special}
    expect_equal(kept, {body: wanted for body in special},
                 zh="自訂型別的訊息屬性（Number.kg、Binary.png、String.utf8）也要原樣帶過去：接收時要求 All",
                 en="message attributes of custom types (Number.kg, Binary.png, String.utf8) should move too, "
                    "unchanged: ask for All of them when receiving")
    expect_equal(moved, 12, zh="應該回傳搬移的訊息數", en="should return how many messages were moved")
    clock.advance(2.5)  # past the DLQ's visibility timeout: a message that was not deleted is back by now
    expect_equal(bodies(receive_all(sqs, dlq, wait=1)), [], zh="搬完後要從死信佇列刪除，不該再出現",
                 en="moved messages should be deleted from the DLQ, so none comes back")


def test_dead_letter_sources_reads_every_page(sqs, kata, make_queue):
    """ListDeadLetterSourceQueues: "You must set MaxResults to receive a value for NextToken in the response"."""
    dlq = make_queue("dlq")
    sources = sorted(source_of(sqs, make_queue, name, dlq) for name in ("zeta", "alpha", "mid"))
    with pages_of(sqs, 2), SentRequests(sqs) as sent:
        found = kata.dead_letter_sources(sqs, dlq)
    asked = sent["ListDeadLetterSourceQueues"]
    expect(bool(asked) and all("MaxResults" in p for p in asked),
           zh="每個 ListDeadLetterSourceQueues 請求都要帶 MaxResults：沒有它 SQS 不給 NextToken，超過一頁的就讀不到",
           en="every ListDeadLetterSourceQueues request should carry MaxResults: without it SQS gives no "
              "NextToken, and whatever is past the first page is never read",
           expected="MaxResults in every request", seen=asked)
    expect_equal(found, sources, zh="這裡 SQS 一頁只給 2 個：要跟著 NextToken 讀完每一頁，再排序",
                 en="here SQS answers 2 URLs a page: follow NextToken through every page, then sort")


def test_redrive_by_hand_keeps_a_message_whose_send_failed(sqs, kata, make_queue, faults):
    """CommonErrors: InternalError (500) can answer any call; a message is only safe to delete once it was sent.

    (Also: ReceiveMessage long-polls with the wait the caller gave, for up to 10 messages.)
    """
    dlq, target = make_queue("dlq", VisibilityTimeout=0), make_queue("orders")
    failed = sorted(word("order") for _ in range(3))
    for body in failed:
        sqs.send_message(QueueUrl=dlq, MessageBody=body)
    faults.next("SendMessage", "InternalError")
    faults.entry("SendMessageBatch", 0, "InternalError")  # the same failure for a solution that sends in batches
    with SentRequests(sqs) as sent:
        error = kata.redrive_by_hand.raised(sqs, dlq, target, wait_seconds=2)
    asked = sorted({(p.get("WaitTimeSeconds"), p.get("MaxNumberOfMessages")) for p in sent["ReceiveMessage"]},
                   key=repr)
    expect(asked == [(2, 10)], zh="每次 ReceiveMessage 都要用 WaitTimeSeconds=2（傳入的 wait_seconds）和 "
           "MaxNumberOfMessages=10 長輪詢", en="every ReceiveMessage should long-poll with WaitTimeSeconds=2 (the "
           "wait_seconds passed in) and MaxNumberOfMessages=10", expected=[(2, 10)], seen=asked)
    expect(error is None or error_code(error.response["Error"].get("Code")) == "InternalError",
           zh="只有 SQS 的 InternalError 可以傳給呼叫者", en="only SQS's InternalError may reach the caller",
           expected="InternalError raised, or a normal return", seen=repr(error))
    moved = bodies(receive_all(sqs, target, expect=3))
    left = bodies(receive_all(sqs, dlq, expect=3 - len(set(moved) & set(failed))))
    lost = sorted(set(failed) - set(moved) - set(left))
    expect(not lost, zh="傳送失敗的訊息不能從死信佇列刪除（先送成功，才刪除）：不然它就永遠不見了",
           en="a message whose send failed must not be deleted from the DLQ (delete only after the send "
              "succeeded): otherwise it is lost for good", expected="every message in the target or still in the DLQ",
           seen=f"lost: {lost}")


def test_redrive_statuses_lists_every_task_not_just_the_newest(sqs, kata, make_queue):
    """ListMessageMoveTasks: MaxResults "default is 1, which provides the most recent message movement task"; max 10."""
    dlq = make_queue("dlq")
    statuses = ["CANCELLING", "COMPLETED", "FAILED", "COMPLETED", "CANCELLED", "COMPLETED", "COMPLETED",
                "FAILED", "COMPLETED", "CANCELLED"]  # ten: as many as one request may ask for
    with listed_move_tasks(sqs, arn(sqs, dlq), statuses) as asked:
        got = kata.redrive_statuses(sqs, dlq)
    expect_equal(got, statuses, zh="應該回傳每個搬移任務的狀態（新的在前）：沒有 MaxResults 時 SQS 只列出最新的一個，要用 "
                 "MaxResults=10", en="should return every move task's status, newest first: without MaxResults SQS "
                 "lists only the newest one, so ask with MaxResults=10")
    expect(len(asked) == 1, zh="一次 ListMessageMoveTasks 就夠了", en="one ListMessageMoveTasks call is enough",
           expected=1, seen=len(asked))


def test_start_redrive_asks_for_exactly_the_task_it_is_given(sqs, kata, make_queue):
    """StartMessageMoveTask: SourceArn is the DLQ's ARN; DestinationArn only when a destination is given (without it
    each message goes back to its own source queue); MaxNumberOfMessagesPerSecond only when given; it answers with
    the TaskHandle. Answered by the grader, so it runs on every backend."""
    dlq, target = make_queue("dlq"), make_queue("target")
    handles = iter([secrets.token_hex(8), secrets.token_hex(8)])
    given: list[str] = []

    def respond(params: dict[str, Any]) -> dict[str, Any]:
        given.append(next(handles))
        return {"TaskHandle": given[-1]}

    with answered(sqs, "StartMessageMoveTask", respond) as asked:
        returned = [kata.start_redrive(sqs, dlq), kata.start_redrive(sqs, dlq, target, 7)]
    expect_equal(asked, [{"SourceArn": arn(sqs, dlq)},
                         {"SourceArn": arn(sqs, dlq), "DestinationArn": arn(sqs, target),
                          "MaxNumberOfMessagesPerSecond": 7}],
                 zh="SourceArn 是死信佇列的 ARN；有指定目的地才帶 DestinationArn（它的 ARN），有指定速率才帶 "
                    "MaxNumberOfMessagesPerSecond",
                 en="SourceArn is the DLQ's ARN; DestinationArn (its ARN) only when a destination is given; "
                    "MaxNumberOfMessagesPerSecond only when a rate is given")
    expect_equal(returned, given, zh="應該回傳 SQS 給的 TaskHandle", en="should return the TaskHandle SQS answered with")


def test_cancel_redrive_returns_true_when_sqs_cancels(sqs, kata):
    """CancelMessageMoveTask answers with ApproximateNumberOfMessagesMoved when it cancels: that is a True."""
    handle = secrets.token_hex(16)
    with answered(sqs, "CancelMessageMoveTask", lambda params: {"ApproximateNumberOfMessagesMoved": 3}) as asked:
        answer = kata.cancel_redrive(sqs, handle)
    expect_equal(asked, [{"TaskHandle": handle}], zh="應該用傳進來的 TaskHandle 呼叫一次 CancelMessageMoveTask",
                 en="should call CancelMessageMoveTask once with the TaskHandle it is given")
    expect(answer is True, zh="SQS 取消了任務：應該回傳 True", en="SQS cancelled the task: return True",
           expected=True, seen=answer)


def test_cancel_redrive_returns_false_when_sqs_refuses(sqs, kata, sqs_backend, faults):
    """CancelMessageMoveTask: any refusal (AccessDenied; ResourceNotFoundException, unknown handle) means False."""
    faults.next("CancelMessageMoveTask", "AccessDenied")
    answer = kata.cancel_redrive(sqs, secrets.token_hex(16))
    expect(answer is False, zh="SQS 拒絕取消（這裡是 AccessDenied）時應該回傳 False，不要拋出例外",
           en="when SQS refuses the cancel (here: AccessDenied), return False, do not raise", expected=False,
           seen=answer)
    if sqs_backend.lacking(MESSAGE_MOVE_TASKS) is None:
        answer = kata.cancel_redrive(sqs, secrets.token_hex(16))
        expect(answer is False, zh="不存在的 TaskHandle：SQS 會拒絕（ResourceNotFoundException），應該回傳 False",
               en="an unknown TaskHandle is refused (ResourceNotFoundException): return False", expected=False,
               seen=answer)


@pytest.mark.needs(MESSAGE_MOVE_TASKS)
def test_start_redrive_sends_messages_back_to_their_source(sqs, kata, make_queue, clock):
    dlq = make_queue("dlq")
    source = source_of(sqs, make_queue, "orders", dlq, max_receive_count=1)
    failed = sorted(word("order") for _ in range(2))
    for body in failed:
        sqs.send_message(QueueUrl=source, MessageBody=body)
    receive_all(sqs, source, expect=2, visibility=1)
    clock.advance(1.5)
    receive_all(sqs, source, wait=1, visibility=1)  # over maxReceiveCount: SQS moves both to the DLQ
    expect_equal(peek(sqs, dlq, 2), failed, zh="（準備）兩則訊息應該已在死信佇列",
                 en="(set-up) both messages should be in the DLQ by now")
    handle = kata.start_redrive(sqs, dlq)
    expect(isinstance(handle, str) and handle != "", zh="應該回傳 StartMessageMoveTask 給的 TaskHandle",
           en="should return the TaskHandle StartMessageMoveTask answered with", seen=handle)
    expect_equal(sorted(bodies(receive_all(sqs, source, expect=2, wait=2))), failed,
                 zh="沒有指定目的地時，訊息應該回到原本的來源佇列",
                 en="without a destination the messages should go back to the queue they came from")


@pytest.mark.needs(MESSAGE_MOVE_TASKS)
def test_start_redrive_to_another_queue_at_the_given_rate(sqs, kata, make_queue):
    dlq, elsewhere = make_queue("dlq"), make_queue("replay")
    source = source_of(sqs, make_queue, "orders", dlq)
    failed = sorted(word("order") for _ in range(2))
    for body in failed:
        sqs.send_message(QueueUrl=dlq, MessageBody=body)
    kata.start_redrive(sqs, dlq, destination_url=elsewhere, max_per_second=7)
    expect_equal(sorted(bodies(receive_all(sqs, elsewhere, expect=2, wait=2))), failed,
                 zh="指定 destination_url 時，訊息應該搬到那個佇列（DestinationArn 是它的 ARN）",
                 en="with destination_url the messages should move to that queue (DestinationArn is its ARN)")
    expect(not short_poll(sqs, source, wait=0), zh="訊息不該跑到原本的來源佇列",
           en="no message should go to the original source queue")
    rates = [task.get("MaxNumberOfMessagesPerSecond") for task in move_tasks(sqs, dlq)]
    expect_equal(rates[:1], [7], zh="搬移任務應該用 max_per_second 當 MaxNumberOfMessagesPerSecond",
                 en="the move task should use max_per_second as MaxNumberOfMessagesPerSecond")


@pytest.mark.needs(MESSAGE_MOVE_TASKS)
def test_redrive_statuses_lists_the_dlqs_move_tasks(sqs, kata, make_queue):
    dlq, elsewhere = make_queue("dlq"), make_queue("replay")
    source_of(sqs, make_queue, "orders", dlq)
    expect_equal(kata.redrive_statuses(sqs, dlq), [], zh="還沒有搬移任務時應該回傳 []",
                 en="before any move task the list should be []")
    for _ in range(2):  # two tasks, one after the other: SQS lists only the newest unless asked for more
        sqs.send_message(QueueUrl=dlq, MessageBody=word("order"))
        sqs.start_message_move_task(SourceArn=arn(sqs, dlq), DestinationArn=arn(sqs, elsewhere))
        receive_all(sqs, elsewhere, expect=1, wait=2)
    statuses = kata.redrive_statuses(sqs, dlq)
    expect(isinstance(statuses, list) and len(statuses) == 2 and statuses[0] in {"RUNNING", "COMPLETED"}
           and statuses[1] == "COMPLETED",
           zh="應該列出這個死信佇列兩個搬移任務的狀態（ListMessageMoveTasks 的 Status，要帶 MaxResults）",
           en="should list the status of both of the DLQ's move tasks (Status from ListMessageMoveTasks, with "
              "MaxResults)", expected="['COMPLETED', 'COMPLETED'] (or RUNNING first for a moment)", seen=statuses)


@pytest.mark.needs(MESSAGE_MOVE_TASKS)
def test_cancel_redrive_stops_a_running_task(sqs, kata, make_queue, clock):
    dlq = make_queue("dlq")
    source = source_of(sqs, make_queue, "orders", dlq)
    for _ in range(6):
        sqs.send_message(QueueUrl=dlq, MessageBody=word("order"))
    # One message a second: six messages keep the task RUNNING for about five seconds.
    handle = sqs.start_message_move_task(SourceArn=arn(sqs, dlq), DestinationArn=arn(sqs, source),
                                         MaxNumberOfMessagesPerSecond=1)["TaskHandle"]
    cancelled = kata.cancel_redrive(sqs, handle)
    if cancelled is not True:
        # SQS only cancels a RUNNING task. A backend that ignored the rate and finished at once would be
        # right to refuse: accept False then, but only if the task really completed.
        statuses = [task.get("Status") for task in move_tasks(sqs, dlq)]
        expect(cancelled is False and statuses[:1] == ["COMPLETED"],
               zh="搬移任務還在執行（RUNNING），取消應該成功並回傳 True",
               en="the move task is still RUNNING: cancelling it should succeed and return True",
               expected=True, seen=cancelled)
        return
    again = kata.cancel_redrive(sqs, handle)
    expect(again is False, zh="已經取消的任務不能再取消：SQS 拒絕時應該回傳 False（不要拋出例外）",
           en="a cancelled task cannot be cancelled again: when SQS refuses, return False (do not raise)",
           expected=False, seen=again)
    clock.advance(1.5)
    expect(counts(sqs, dlq)["visible"] >= 2, zh="取消後，還沒搬的訊息應該留在死信佇列",
           en="after the cancel, the messages not moved yet should stay in the DLQ")
