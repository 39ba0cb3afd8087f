"""Exercise 04 -- queue attributes and tags: read as ints, change, count messages, tag and untag."""

from __future__ import annotations

from typing import Any

from sqs_kata.checks import expect_equal
from sqs_kata.observe import SentRequests, attribute, counts, empty_key_omitted, error_code

SETTINGS = ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds")


def _settings(sqs: Any, url: str, expected: dict[str, str]) -> tuple[dict[str, str | None], dict[str, str]]:
    """(what the queue reports, what to expect), leaving out MessageRetentionPeriod on a backend that
    does not keep it (ElasticMQ ignores the setting; SQS and moto keep it)."""
    seen = {name: attribute(sqs, url, name) for name in SETTINGS}
    if seen["MessageRetentionPeriod"] is None:
        seen.pop("MessageRetentionPeriod")
        expected = {k: v for k, v in expected.items() if k != "MessageRetentionPeriod"}
    return seen, expected


def _tags(sqs: Any, url: str) -> dict[str, str]:
    return sqs.list_queue_tags(QueueUrl=url).get("Tags", {})


def test_get_number_attributes_returns_ints_for_the_names_asked(sqs, kata, make_queue):
    url = make_queue(VisibilityTimeout=7, DelaySeconds=2, ReceiveMessageWaitTimeSeconds=1)
    got = kata.get_number_attributes(sqs, url, ["VisibilityTimeout", "DelaySeconds"])
    expect_equal(got, {"VisibilityTimeout": 7, "DelaySeconds": 2},
                 zh="應該只回傳要求的屬性，而且值要轉成 int（SQS 給的是字串 \"7\"）",
                 en="should return exactly the attributes asked for, as ints (SQS sends strings like \"7\")")
    expect_equal({k: type(v).__name__ for k, v in got.items()}, {"VisibilityTimeout": "int", "DelaySeconds": "int"},
                 zh="每個值都要是 int", en="every value should be an int")


def test_get_number_attributes_reads_the_queue_it_is_given(sqs, kata, make_queue):
    make_queue("other", VisibilityTimeout=40, ReceiveMessageWaitTimeSeconds=5)
    url = make_queue("mine", VisibilityTimeout=13, ReceiveMessageWaitTimeSeconds=2)
    got = kata.get_number_attributes(sqs, url, ["ReceiveMessageWaitTimeSeconds", "VisibilityTimeout"])
    expect_equal(got, {"ReceiveMessageWaitTimeSeconds": 2, "VisibilityTimeout": 13},
                 zh="要讀這個佇列、這些名字的屬性（不要寫死；用名字去拿，回應裡的順序不一定）",
                 en="should read these names from this queue (nothing hard-coded; look each one up by name, the "
                    "response has no promised order)")


def test_get_number_attributes_reads_one_name_whose_value_is_zero(sqs, kata, make_queue):
    """GetQueueAttributes returns the names asked for, as strings; "0" is a value like any other."""
    url = make_queue(VisibilityTimeout=9, DelaySeconds=0)
    got = kata.get_number_attributes(sqs, url, ["DelaySeconds"])
    expect_equal(got, {"DelaySeconds": 0},
                 zh="只要一個名字時，就回傳那一個；值是 0 也要回傳 int 0",
                 en="asked for one name it should return just that one; a value of 0 is returned as the int 0")
    expect_equal({k: type(v).__name__ for k, v in got.items()}, {"DelaySeconds": "int"},
                 zh="值要是 int", en="the value should be an int")


def test_change_settings_changes_all_three(sqs, kata, make_queue):
    url = make_queue(VisibilityTimeout=30, MessageRetentionPeriod=600, DelaySeconds=0)
    with SentRequests(sqs) as requests:
        kata.change_settings(sqs, url, visibility_timeout=9, retention_seconds=120, delay_seconds=3)
    sent = requests["SetQueueAttributes"]
    wanted = {"VisibilityTimeout": "9", "MessageRetentionPeriod": "120", "DelaySeconds": "3"}
    expect_equal(len(sent), 1, zh="三個設定應該用一次 SetQueueAttributes 一起改",
                 en="the three settings should change in one SetQueueAttributes call")
    expect_equal(sent[0].get("Attributes"), wanted,
                 zh="SetQueueAttributes 應該帶著這三個屬性名稱與新值（字串）",
                 en="SetQueueAttributes should carry these three attribute names with the new values (strings)")
    seen, expected = _settings(sqs, url, wanted)
    expect_equal(seen, expected, zh="SetQueueAttributes 之後，讀回來的設定應該是新的值",
                 en="after SetQueueAttributes the settings should read back with the new values")


def test_change_settings_leaves_the_others_alone(sqs, kata, make_queue):
    url = make_queue(VisibilityTimeout=30, MessageRetentionPeriod=600, DelaySeconds=2)
    kata.change_settings(sqs, url, visibility_timeout=17)
    unchanged = {"VisibilityTimeout": "17", "MessageRetentionPeriod": "600", "DelaySeconds": "2"}
    seen, expected = _settings(sqs, url, unchanged)
    expect_equal(seen, expected,
                 zh="只給 visibility_timeout 時，只有 VisibilityTimeout 會變，其他設定不能動",
                 en="given only visibility_timeout, only VisibilityTimeout should change; the rest stay as they were")


def test_change_settings_sets_zero_and_changes_one_setting_at_a_time(sqs, kata, make_queue):
    """SQS: DelaySeconds and VisibilityTimeout may be 0 (both are valid values, not 'unset'); SetQueueAttributes
    changes only the attributes it is given."""
    url = make_queue(VisibilityTimeout=30, MessageRetentionPeriod=600, DelaySeconds=4)
    kata.change_settings(sqs, url, delay_seconds=0)
    seen, expected = _settings(sqs, url, {"VisibilityTimeout": "30", "MessageRetentionPeriod": "600",
                                          "DelaySeconds": "0"})
    expect_equal(seen, expected,
                 zh="delay_seconds=0 也要設定成 \"0\"（0 不是 None），其他設定不能動",
                 en="delay_seconds=0 should set \"0\" (0 is not None), and the other settings stay as they were")
    kata.change_settings(sqs, url, visibility_timeout=0)
    seen, expected = _settings(sqs, url, {"VisibilityTimeout": "0", "MessageRetentionPeriod": "600",
                                          "DelaySeconds": "0"})
    expect_equal(seen, expected,
                 zh="再呼叫一次、只給 visibility_timeout=0：VisibilityTimeout 變成 \"0\"，其他保持不變",
                 en="called again with only visibility_timeout=0: VisibilityTimeout becomes \"0\", the rest stay")


def test_message_counts_reports_visible_in_flight_and_delayed(sqs, kata, make_queue):
    url = make_queue()
    for i in range(5):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
    for _ in range(2):  # two in flight: received, not deleted, hidden for 30 s
        sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, WaitTimeSeconds=1, VisibilityTimeout=30)
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=30)
    got = kata.message_counts(sqs, url)
    expect_equal({k: type(v).__name__ for k, v in got.items()},
                 {"visible": "int", "in_flight": "int", "delayed": "int"},
                 zh="三個數量都要是 int（SQS 給的是字串）", en="all three counts should be ints (SQS sends strings)")
    expect_equal(got, counts(sqs, url),
                 zh="visible / in_flight / delayed 要分別對應 ApproximateNumberOfMessages / "
                    "ApproximateNumberOfMessagesNotVisible / ApproximateNumberOfMessagesDelayed（int）",
                 en="visible / in_flight / delayed should be ApproximateNumberOfMessages / "
                    "ApproximateNumberOfMessagesNotVisible / ApproximateNumberOfMessagesDelayed (ints)")


def test_message_counts_of_an_empty_queue_are_zero(sqs, kata, make_queue):
    url = make_queue()
    expect_equal(kata.message_counts(sqs, url), {"visible": 0, "in_flight": 0, "delayed": 0},
                 zh="空佇列三個數量都是 0", en="an empty queue should count 0, 0, 0")


def test_add_tags_labels_the_queue(sqs, kata, make_queue):
    url = make_queue()
    kata.add_tags(sqs, url, {"team": "orders", "env": "dev"})
    expect_equal(_tags(sqs, url), {"team": "orders", "env": "dev"},
                 zh="佇列應該帶著這些標籤（TagQueue）", en="the queue should carry these tags (TagQueue)")
    kata.add_tags(sqs, url, {"env": "prod"})
    expect_equal(_tags(sqs, url), {"team": "orders", "env": "prod"},
                 zh="再加標籤時，同名的會被覆寫，其他標籤留著", en="tagging again overwrites that key and keeps the others")


def test_remove_tags_removes_only_those_keys(sqs, kata, make_queue):
    url = make_queue()
    sqs.tag_queue(QueueUrl=url, Tags={"team": "orders", "env": "dev", "owner": "mei"})
    kata.remove_tags(sqs, url, ["env", "owner"])
    expect_equal(_tags(sqs, url), {"team": "orders"},
                 zh="只移除指定的標籤（UntagQueue），其他留著", en="only the given tags should go (UntagQueue); others stay")


def test_queue_tags_reads_the_tags(sqs, kata, make_queue):
    url = make_queue()
    sqs.tag_queue(QueueUrl=url, Tags={"project": "cc104", "lang": "zh-TW"})
    expect_equal(kata.queue_tags(sqs, url), {"project": "cc104", "lang": "zh-TW"},
                 zh="應該回傳佇列的標籤（ListQueueTags）", en="should return the queue's tags (ListQueueTags)")


def test_queue_tags_keeps_spaces_and_unicode(sqs, kata, make_queue):
    """SQS tag keys and values may hold Unicode letters, digits, spaces and _ . : / = + - @ (ListQueueTags lists them
    in no promised order): return them exactly as stored."""
    url = make_queue()
    tags = {"owner": "陳 小明", "cost centre": "R+D 42", "url": "a/b=c@d"}
    sqs.tag_queue(QueueUrl=url, Tags=tags)
    expect_equal(kata.queue_tags(sqs, url), tags,
                 zh="標籤的鍵和值要原封不動（空白、中文、符號都保留）",
                 en="tag keys and values should come back exactly as stored (spaces, other scripts, symbols)")


def test_remove_tags_can_be_called_again(sqs, kata, make_queue):
    """UntagQueue removes only the keys it is given, call after call; TagQueue adds or overwrites only its own."""
    url = make_queue()
    sqs.tag_queue(QueueUrl=url, Tags={"team": "orders", "env": "dev", "owner": "mei"})
    kata.remove_tags(sqs, url, ["env"])
    kata.remove_tags(sqs, url, ["owner"])
    expect_equal(_tags(sqs, url), {"team": "orders"},
                 zh="呼叫兩次、各移除一個標籤後，只剩 team", en="after two calls removing one tag each, only team is left")
    kata.add_tags(sqs, url, {"env": "prod"})
    kata.add_tags(sqs, url, {"owner": "ana"})
    expect_equal(_tags(sqs, url), {"team": "orders", "env": "prod", "owner": "ana"},
                 zh="再加兩次標籤，三個都要在", en="after tagging twice more all three tags should be there")


def test_queue_tags_is_empty_when_there_are_none(sqs, kata, make_queue):
    url = make_queue()
    with empty_key_omitted(sqs, "ListQueueTags", "Tags"):
        got = kata.queue_tags(sqs, url)
    expect_equal(got, {}, zh="沒有標籤時應該回傳 {}（真正的 SQS 這時回應裡沒有 Tags 這個鍵）",
                 en="should return {} when there are no tags (real SQS then has no Tags key in the response)")


def test_queue_tags_lets_errors_reach_the_caller(sqs, kata, make_queue, faults):
    """SQS may refuse ListQueueTags (AccessDenied) or throttle it: that is an error, not a queue without tags."""
    url = make_queue()
    sqs.tag_queue(QueueUrl=url, Tags={"team": "orders"})
    faults.next("ListQueueTags", "AccessDenied")
    error = kata.queue_tags.raised(sqs, url)
    expect_equal(error_code(error.response["Error"]["Code"]) if error else None, "AccessDenied",
                 zh="SQS 回 AccessDenied 時要讓錯誤傳給呼叫者，不要回傳 {}（那代表「沒有標籤」）",
                 en="when SQS answers AccessDenied the error must reach the caller, not become {} (which means "
                    "'no tags')")
