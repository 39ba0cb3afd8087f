"""Exercise 13 -- queue permissions: AddPermission / RemovePermission, seen through the queue's Policy attribute.

ElasticMQ accepts AddPermission and RemovePermission but stores nothing (no Policy attribute, no error for
an unknown label), so the tests that read the policy back need QUEUE_POLICY; the first test runs everywhere
and checks what reached SQS and that SQS accepted it.
"""

import json
import random
from typing import Any

import pytest

from sqs_kata.backends import QUEUE_POLICY
from sqs_kata.checks import expect, expect_equal
from sqs_kata.observe import SentRequests, attribute, error_code, word

ACTIONS = ["SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "GetQueueAttributes"]


def owner_account(sqs: Any, url: str) -> str:
    """The queue owner's account id (from arn:aws:sqs:<region>:<account>:<name>).

    Granting to an account that surely exists keeps the test valid on real SQS, which may reject
    principals it does not know.
    """
    return attribute(sqs, url, "QueueArn").split(":")[4]


def statements(sqs: Any, url: str) -> dict[str, dict[str, Any]]:
    """The queue policy's statements by Sid; {} when the queue has no policy (or an empty one)."""
    policy = attribute(sqs, url, "Policy")
    found = json.loads(policy).get("Statement", []) if policy else []
    found = [found] if isinstance(found, dict) else found
    return {s.get("Sid"): s for s in found}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_grant_and_revoke_reach_sqs_with_the_label_account_and_actions(sqs, kata, make_queue):
    url = make_queue()
    account, label, actions = owner_account(sqs, url), word("partner"), random.sample(ACTIONS, 2)
    with SentRequests(sqs) as calls:
        kata.grant(sqs, url, label, account, actions)
    added = calls["AddPermission"]
    expect_equal(len(added), 1, zh="grant 應該呼叫一次 AddPermission", en="grant should call AddPermission once")
    sent = added[0]
    expect_equal((sent.get("QueueUrl"), sent.get("Label"), sent.get("AWSAccountIds"), sorted(sent.get("Actions", []))),
                 (url, label, [account], sorted(actions)),
                 zh="AddPermission 要帶上佇列網址、Label、AWSAccountIds=[帳號] 和 Actions",
                 en="AddPermission should carry the queue URL, the Label, AWSAccountIds=[account] and the Actions")
    with SentRequests(sqs) as calls:
        result = kata.revoke(sqs, url, label)
    removed = calls["RemovePermission"]
    expect_equal([(p.get("QueueUrl"), p.get("Label")) for p in removed], [(url, label)],
                 zh="revoke 應該用同一個 Label 呼叫一次 RemovePermission",
                 en="revoke should call RemovePermission once, with the same Label")
    expect(result is None, zh="SQS 接受移除時，revoke 應該回傳 None", en="when SQS accepts the removal, revoke should "
           "return None", expected=None, seen=result)


@pytest.mark.needs(QUEUE_POLICY)
def test_grant_adds_a_policy_statement_named_by_the_label(sqs, kata, make_queue):
    """AddPermission: one statement per label, holding every action given; a second label adds a second one."""
    url = make_queue()
    account, label, actions = owner_account(sqs, url), word("partner"), random.sample(ACTIONS, 3)
    other = word("auditor")
    kata.grant(sqs, url, other, account, ["GetQueueAttributes"])
    kata.grant(sqs, url, label, account, actions)
    found = statements(sqs, url)
    expect_equal(sorted(found), sorted([label, other]), zh="每個 label 各一條陳述（Sid 等於 label），先前的要留著",
                 en="the queue's Policy should hold one statement per label (its Sid), the earlier one kept")
    statement = found[label]
    expect(account in json.dumps(statement.get("Principal")), zh=f"這條陳述的 Principal 應該是帳號 {account}",
           en=f"the statement's Principal should be account {account}", seen=statement.get("Principal"))
    expect_equal(sorted(as_list(statement.get("Action"))), sorted(f"SQS:{a}" for a in actions),
                 zh="這條陳述應該允許傳入的動作", en="the statement should allow the actions passed in")


@pytest.mark.needs(QUEUE_POLICY)
def test_revoke_removes_only_that_permission(sqs, kata, make_queue):
    url = make_queue()
    account, keep, drop = owner_account(sqs, url), word("keep"), word("drop")
    for label in (keep, drop):
        sqs.add_permission(QueueUrl=url, Label=label, AWSAccountIds=[account], Actions=["SendMessage"])
    expect(kata.revoke(sqs, url, drop) is None, zh="移除存在的權限應該回傳 None",
           en="removing an existing permission should return None")
    expect_equal(sorted(statements(sqs, url)), [keep], zh=f"只該移除 {drop}，{keep} 要留著",
                 en=f"only {drop} should be removed; {keep} should stay")
    kata.revoke(sqs, url, keep)
    expect_equal(sorted(statements(sqs, url)), [], zh="兩個都移除後，Policy 裡不該再有任何陳述",
                 en="once both are removed, no statement should be left in the Policy")


@pytest.mark.needs(QUEUE_POLICY)
def test_revoke_an_unknown_label_returns_the_error_code(sqs, kata, make_queue):
    url = make_queue()
    account, label, unknown = owner_account(sqs, url), word("partner"), word("nobody")
    sqs.add_permission(QueueUrl=url, Label=label, AWSAccountIds=[account], Actions=["SendMessage"])
    result = kata.revoke(sqs, url, unknown)
    try:  # ask SQS the same thing, so the expected code is this backend's own answer
        sqs.remove_permission(QueueUrl=url, Label=unknown)
        code = None
    except sqs.exceptions.ClientError as error:
        code = error.response["Error"]["Code"]
    expect(code is not None and result == code,
           zh="沒有這個 label 時 SQS 會拒絕：應該回傳它的錯誤碼（不要拋出例外）",
           en="SQS refuses a label it does not have: return its error code (do not raise)", expected=code, seen=result)
    expect_equal(sorted(statements(sqs, url)), [label], zh="其他權限不該被動到",
                 en="the other permission should be left alone")


@pytest.mark.needs(QUEUE_POLICY)
def test_permission_labels_lists_every_label(sqs, kata, make_queue):
    url = make_queue()
    expect_equal(kata.permission_labels(sqs, url), [], zh="沒有任何權限的佇列應該回傳 []",
                 en="a queue without permissions should give []")
    account, labels = owner_account(sqs, url), sorted(word("partner") for _ in range(2))
    for label in labels:
        sqs.add_permission(QueueUrl=url, Label=label, AWSAccountIds=[account], Actions=["ReceiveMessage"])
    expect_equal(kata.permission_labels(sqs, url), labels,
                 zh="應該回傳 Policy 裡每條陳述的 Sid（排序）", en="should return the Sid of every statement in the Policy, sorted")


def test_revoke_returns_the_code_of_any_refusal(sqs, kata, make_queue, faults):
    """CommonErrors: any call can be refused with AccessDenied or throttled; revoke reports every refusal's code."""
    url = make_queue()
    for code in ("AccessDenied", "ThrottlingException"):
        faults.next("RemovePermission", code)
        result = kata.revoke(sqs, url, word("partner"))
        expect(isinstance(result, str) and error_code(result) == code,
               zh=f"SQS 因為任何原因拒絕（這裡是 {code}）都要回傳它的錯誤碼，不要拋出例外",
               en=f"whatever SQS refuses with (here: {code}), return its error code, do not raise",
               expected=code, seen=result)


def test_permission_labels_without_a_policy_is_empty(sqs, kata, make_queue):
    """GetQueueAttributes: an attribute the queue does not have is left out (and an empty Attributes map with it)."""
    url = make_queue()
    expect_equal(kata.permission_labels(sqs, url), [], zh="沒有 Policy 屬性的佇列應該回傳 []（回應裡可能連 Attributes 都沒有）",
                 en="a queue without a Policy attribute should give [] (the response may have no Attributes at all)")


@pytest.mark.needs(QUEUE_POLICY)
def test_permission_labels_reads_any_valid_policy(sqs, kata, make_queue):
    """IAM policy grammar: Statement is one statement object or a list of them; Sid is optional."""
    url = make_queue()
    account, queue = owner_account(sqs, url), attribute(sqs, url, "QueueArn")

    def statement(sid: str | None) -> dict[str, Any]:
        found = {"Effect": "Allow", "Principal": {"AWS": account}, "Action": "SQS:SendMessage", "Resource": queue}
        return {"Sid": sid, **found} if sid else found

    only = word("only")
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(
        {"Version": "2012-10-17", "Statement": statement(only)})})
    expect_equal(kata.permission_labels(sqs, url), [only],
                 zh="Statement 可以是一個物件（不是清單）：也要讀出它的 Sid",
                 en="Statement may be a single object instead of a list: read its Sid too")
    labels = [word("zulu"), word("alpha"), word("mike")]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(
        {"Version": "2012-10-17", "Statement": [statement(labels[0]), statement(None), statement(labels[1]),
                                                statement(labels[2])]})})
    expect_equal(kata.permission_labels(sqs, url), sorted(labels),
                 zh="應該回傳每個 Sid（排序）；沒有 Sid 的陳述沒有 label，不要列進來",
                 en="should return every Sid, sorted; a statement without a Sid has no label: leave it out")
