"""Exercise 04 (queue attributes and tags): realistic wrong solutions and valid alternatives."""

from __future__ import annotations

from mistakes import Valid, Wrong

WRONG = [
    Wrong("change-skips-zero", "change_settings", '''\
def change_settings(sqs, queue_url, *, visibility_timeout=None, retention_seconds=None, delay_seconds=None):
    changes = {}
    if visibility_timeout:
        changes["VisibilityTimeout"] = str(visibility_timeout)
    if retention_seconds:
        changes["MessageRetentionPeriod"] = str(retention_seconds)
    if delay_seconds:
        changes["DelaySeconds"] = str(delay_seconds)
    if changes:
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=changes)
''', "test_change_settings_sets_zero_and_changes_one_setting_at_a_time", "0 is not None", "edge"),
    Wrong("change-falls-back-to-defaults", "change_settings", '''\
def change_settings(sqs, queue_url, *, visibility_timeout=None, retention_seconds=None, delay_seconds=None):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={
        "VisibilityTimeout": str(visibility_timeout if visibility_timeout is not None else 30),
        "MessageRetentionPeriod": str(retention_seconds if retention_seconds is not None else 345600),
        "DelaySeconds": str(delay_seconds if delay_seconds is not None else 0),
    })
''', "test_change_settings_sets_zero_and_changes_one_setting_at_a_time", "stay as they were", "contract"),
    Wrong("get-every-number-attribute", "get_number_attributes", '''\
def get_number_attributes(sqs, queue_url, names):
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    return {name: int(value) for name, value in attributes.items() if value.isdigit()}
''', "test_get_number_attributes_reads_one_name_whose_value_is_zero", "just that one", "contract"),
    Wrong("get-skips-zero-values", "get_number_attributes", '''\
def get_number_attributes(sqs, queue_url, names):
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    return {name: int(attributes[name]) for name in names if attributes.get(name, "0") != "0"}
''', "test_get_number_attributes_reads_one_name_whose_value_is_zero", "int 0", "edge"),
    Wrong("get-values-by-position", "get_number_attributes", '''\
def get_number_attributes(sqs, queue_url, names):
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    return dict(zip(names, (int(value) for value in attributes.values())))
''', "test_get_number_attributes_reads_the_queue_it_is_given", "look each one up by name", "kinder"),
    Wrong("counts-as-floats", "message_counts", '''\
def message_counts(sqs, queue_url):
    names = {"visible": "ApproximateNumberOfMessages", "in_flight": "ApproximateNumberOfMessagesNotVisible",
             "delayed": "ApproximateNumberOfMessagesDelayed"}
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=list(names.values()))["Attributes"]
    return {key: float(attributes[name]) for key, name in names.items()}
''', "test_message_counts_reports_visible_in_flight_and_delayed", "should be ints", "edge"),
    Wrong("tags-key-always-there", "queue_tags", '''\
def queue_tags(sqs, queue_url):
    return dict(sqs.list_queue_tags(QueueUrl=queue_url)["Tags"])
''', "test_queue_tags_is_empty_when_there_are_none", "KeyError", "kinder"),
    Wrong("tags-empty-on-any-error", "queue_tags", '''\
from botocore.exceptions import ClientError


def queue_tags(sqs, queue_url):
    try:
        return sqs.list_queue_tags(QueueUrl=queue_url).get("Tags", {})
    except ClientError:
        return {}
''', "test_queue_tags_lets_errors_reach_the_caller", "must reach the caller", "errors"),
    Wrong("remove-by-blanking-values", "remove_tags", '''\
def remove_tags(sqs, queue_url, keys):
    sqs.tag_queue(QueueUrl=queue_url, Tags={key: "" for key in keys})
''', "test_remove_tags_can_be_called_again", "only team is left", "contract"),
]

VALID = [
    Valid("get-all-then-pick", "get_number_attributes", '''\
def get_number_attributes(sqs, queue_url, names):
    everything = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    result = {}
    for name in names:
        result[name] = int(everything[name])
    return result
''', "asking for All returns the names asked for too; only those are returned"),
    Valid("change-with-a-comprehension", "change_settings", '''\
def change_settings(sqs, queue_url, *, visibility_timeout=None, retention_seconds=None, delay_seconds=None):
    names = ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds")
    values = (visibility_timeout, retention_seconds, delay_seconds)
    changes = {name: f"{value}" for name, value in zip(names, values) if value is not None}
    if len(changes) > 0:
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=changes)
''', "the same single call, built another way"),
    Valid("remove-one-key-per-call", "remove_tags", '''\
def remove_tags(sqs, queue_url, keys):
    for key in keys:
        sqs.untag_queue(QueueUrl=queue_url, TagKeys=[key])
''', "several UntagQueue calls remove the same tags"),
    Valid("tags-with-or", "queue_tags", '''\
def queue_tags(sqs, queue_url):
    response = sqs.list_queue_tags(QueueUrl=queue_url)
    return dict(response.get("Tags") or {})
''', "a missing or empty Tags both give {}"),
]
