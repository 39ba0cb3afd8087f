"""The realism layer itself: each documented SQS behaviour it puts back, seen through a plain boto3 client on moto.

These check the layer, not the learner: a client with the layer installed, `learner` toggled by hand to say
whether a call counts as the learner's (the plugin ties it to sqs_kata.context.current.in_call).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from sqs_kata import realism
from sqs_kata.observe import SentRequests


class Switch:
    on = False

    def __call__(self) -> bool:
        return self.on


@pytest.fixture
def world() -> Iterator[tuple[Any, realism.Layer, Switch]]:
    learner = Switch()
    with mock_aws():
        client = boto3.client("sqs", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="k")
        layer = realism.Layer(client, seed=7, realistic=True, in_learner_call=learner).install()
        yield client, layer, learner
        layer.uninstall()


def _queue(client: Any, name: str = "q", **attributes: str) -> str:
    return client.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]


def _send(client: Any, url: str, count: int) -> list[str]:
    bodies = [f"m{i:02d}" for i in range(count)]
    for body in bodies:
        client.send_message(QueueUrl=url, MessageBody=body)
    return bodies


def _code(error: ClientError) -> str:
    return error.response["Error"]["Code"]


def test_receipt_handles_look_like_real_ones_and_still_work(world):
    client, _, _ = world
    url = _queue(client)
    _send(client, url, 1)
    [message] = client.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"]
    handle = message["ReceiptHandle"]
    assert handle.startswith("AQEB") and len(handle) > 300 and set(handle) & set("+/=")
    client.delete_message(QueueUrl=url, ReceiptHandle=handle)
    assert client.receive_message(QueueUrl=url).get("Messages", []) == []


def test_an_unknown_receipt_handle_is_refused(world):
    client, _, _ = world
    url = _queue(client)
    with pytest.raises(client.exceptions.ReceiptHandleIsInvalid):
        client.delete_message(QueueUrl=url, ReceiptHandle="a-message-id-not-a-handle")
    response = client.delete_message_batch(QueueUrl=url, Entries=[{"Id": "x", "ReceiptHandle": "nope"}])
    assert [(f["Id"], f["Code"], f["SenderFault"]) for f in response["Failed"]] == [("x", "ReceiptHandleIsInvalid", True)]


def test_deleting_with_a_stale_handle_succeeds_but_deletes_nothing(world):
    client, _, _ = world
    url = _queue(client)
    _send(client, url, 1)
    [first] = client.receive_message(QueueUrl=url, VisibilityTimeout=0)["Messages"]
    [second] = client.receive_message(QueueUrl=url, VisibilityTimeout=0)["Messages"]
    client.delete_message(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])  # stale: received again since
    assert [m["Body"] for m in client.receive_message(QueueUrl=url).get("Messages", [])] == [second["Body"]]


@pytest.mark.parametrize("action", realism.BATCH_ACTIONS)
def test_batch_entry_ids_are_checked_in_every_batch_action(world, action):
    client, _, _ = world
    url = _queue(client)
    entry = {"Id": "has space"}
    entry |= {"MessageBody": "b"} if action == "SendMessageBatch" else {"ReceiptHandle": "h"}
    if action == "ChangeMessageVisibilityBatch":
        entry["VisibilityTimeout"] = 0
    method = {"SendMessageBatch": client.send_message_batch, "DeleteMessageBatch": client.delete_message_batch,
              "ChangeMessageVisibilityBatch": client.change_message_visibility_batch}[action]
    with pytest.raises(client.exceptions.InvalidBatchEntryId) as caught:
        method(QueueUrl=url, Entries=[entry])
    assert _code(caught.value) == "AWS.SimpleQueueService.InvalidBatchEntryId"


@pytest.mark.parametrize(("params", "code"), [
    ({"MessageBody": ""}, "MissingParameter"),
    ({"MessageBody": "nul \x00"}, "AWS.SimpleQueueService.InvalidMessageContents"),
    ({"MessageBody": "中" * 400_000}, "InvalidParameterValue"),  # 1.2 MB in UTF-8, fewer characters than 1 MiB
    ({"MessageBody": "x", "MessageAttributes": {"n": {"DataType": "Number", "StringValue": "ten"}}},
     "InvalidParameterValue"),
    ({"MessageBody": "x", "MessageAttributes": {"s": {"DataType": "String", "StringValue": ""}}},
     "InvalidParameterValue"),
    ({"MessageBody": "x", "MessageAttributes": {"AWS.x": {"DataType": "String", "StringValue": "v"}}},
     "InvalidParameterValue"),
])
def test_messages_sqs_refuses_are_refused(world, params, code):
    client, _, _ = world
    url = _queue(client)
    with pytest.raises(ClientError) as caught:
        client.send_message(QueueUrl=url, **params)
    assert _code(caught.value) == code


def test_custom_attribute_types_and_numbers_sqs_takes_are_taken(world):
    client, _, _ = world
    url = _queue(client)
    client.send_message(QueueUrl=url, MessageBody="x", MessageAttributes={
        "a": {"DataType": "Number.int", "StringValue": "-7"}, "b": {"DataType": "Number", "StringValue": "2.5e3"},
        "c": {"DataType": "Binary.png", "BinaryValue": b"\x00"}, "d": {"DataType": "String.json", "StringValue": "{}"}})


def test_the_learners_first_short_poll_comes_back_empty_while_messages_wait(world):
    client, layer, learner = world
    url = _queue(client)
    _send(client, url, 3)
    learner.on = True
    with SentRequests(client) as sent:
        assert client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages") is None
    assert len(sent["ReceiveMessage"]) == 1  # the call counts as made
    assert "short-poll" in layer.notes
    learner.on = False
    assert len(client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)["Messages"]) == 3


def test_a_queue_that_long_polls_by_default_is_not_short_polled(world):
    client, _, learner = world
    url = _queue(client, ReceiveMessageWaitTimeSeconds="1")
    _send(client, url, 1)
    learner.on = True
    assert len(client.receive_message(QueueUrl=url).get("Messages", [])) == 1


def test_the_learners_receives_come_out_of_order_and_sometimes_short(world):
    client, layer, learner = world
    url = _queue(client)
    sent = _send(client, url, 10)
    learner.on = True
    seen: list[str] = []
    sizes = []
    for _ in range(12):
        batch = [m["Body"] for m in client.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                                            WaitTimeSeconds=1).get("Messages", [])]
        sizes.append(len(batch))
        seen += batch
        if not batch:
            break
    assert sorted(seen) == sent and seen != sent
    assert min(s for s in sizes if s) < 10 or "fewer" in layer.notes
    assert "order" in layer.notes


def test_redelivery_repeats_a_message_with_a_new_handle(world):
    client, layer, learner = world
    layer.duplicates = True
    url = _queue(client)
    _send(client, url, 2)
    learner.on = True
    got: list[dict[str, Any]] = []
    for _ in range(6):
        batch = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        for message in batch:
            client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        got += batch
        if not batch:
            break
    ids = [m["MessageId"] for m in got]
    assert len(ids) > len(set(ids)) == 2, "some message came twice"
    assert len({m["ReceiptHandle"] for m in got}) == len(got), "each delivery has its own handle"


def test_batch_results_and_lists_come_in_any_order_and_empty_lists_are_left_out(world):
    client, layer, learner = world
    urls = [_queue(client, f"p-{i}") for i in range(6)]
    learner.on = True
    listed = client.list_queues(QueueNamePrefix="p-")["QueueUrls"]
    assert sorted(listed) == sorted(urls)
    response = client.send_message_batch(QueueUrl=urls[0], Entries=[{"Id": f"e{i}", "MessageBody": "b"}
                                                                     for i in range(10)])
    assert "Failed" not in response and sorted(s["Id"] for s in response["Successful"]) == sorted(f"e{i}" for i in range(10))
    assert "QueueUrls" not in client.list_queues(QueueNamePrefix="none-")
    assert "list-order" in layer.notes


def test_list_queues_gives_next_token_only_with_max_results(world):
    client, _, _ = world
    for i in range(3):
        _queue(client, f"page-{i}")
    assert "NextToken" in client.list_queues(QueueNamePrefix="page-", MaxResults=2)
    assert "NextToken" not in client.list_queues(QueueNamePrefix="page-")


def test_faults_hit_the_learners_next_call_only(world):
    client, layer, learner = world
    url = _queue(client)
    layer.faults.next("SendMessage", "RequestThrottled")
    client.send_message(QueueUrl=url, MessageBody="grader's call is not the learner's")
    learner.on = True
    with pytest.raises(client.exceptions.RequestThrottled):
        client.send_message(QueueUrl=url, MessageBody="x")
    client.send_message(QueueUrl=url, MessageBody="the next one goes through")
    layer.faults.next("GetQueueUrl", "AccessDenied")
    with pytest.raises(ClientError) as caught:
        client.get_queue_url(QueueName="q")
    assert _code(caught.value) == "AccessDenied" and caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert layer.faults.injected == ["SendMessage: RequestThrottled", "GetQueueUrl: AccessDenied"]


def test_an_entry_fault_keeps_that_entry_off_the_queue(world):
    client, layer, learner = world
    url = _queue(client)
    layer.faults.entry("SendMessageBatch", 1, "InternalError")
    learner.on = True
    response = client.send_message_batch(QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "A"},
                                                                 {"Id": "b", "MessageBody": "B"}])
    assert [(f["Id"], f["Code"], f["SenderFault"]) for f in response["Failed"]] == [("b", "InternalError", False)]
    learner.on = False
    assert [m["Body"] for m in client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]] == ["A"]


def test_a_failure_report_names_the_seed_and_what_happened(world):
    client, layer, learner = world
    url = _queue(client)
    _send(client, url, 2)
    learner.on = True
    client.receive_message(QueueUrl=url, WaitTimeSeconds=0)
    report = layer.report()
    assert "seed 7" in report and "short poll" in report and "--sqs-realism=off" in report


def test_off_means_the_emulator_as_it_is(world):
    client, layer, learner = world
    layer.uninstall()
    plain = realism.Layer(client, seed=1, realistic=False, in_learner_call=learner).install()
    url = _queue(client)
    _send(client, url, 3)
    learner.on = True
    messages = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)["Messages"]
    assert [m["Body"] for m in messages] == ["m00", "m01", "m02"] and not messages[0]["ReceiptHandle"].startswith("AQEB")
    plain.uninstall()
    layer.install()
