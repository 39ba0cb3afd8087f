"""Exercise 05 (delay queues): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

WRONG = [
    Wrong("zero-delay-left-out", "send_delayed", '''\
def send_delayed(sqs, queue_url, body, delay_seconds):
    params = {"QueueUrl": queue_url, "MessageBody": body}
    if delay_seconds:  # no delay asked for: nothing to pass
        params["DelaySeconds"] = delay_seconds
    return sqs.send_message(**params)["MessageId"]
''', "test_send_delayed_overrides_the_queue_delay", "the message's own DelaySeconds=0 wins", "edge"),
    Wrong("zero-queue-delay-skipped", "set_queue_delay", '''\
def set_queue_delay(sqs, queue_url, delay_seconds):
    if delay_seconds > 0:
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"DelaySeconds": str(delay_seconds)})
''', "test_set_queue_delay_turns_an_existing_queue_into_a_delay_queue", "0 is a value to set too", "edge"),
    Wrong("fifo-delay-refused-locally", "try_delay_on_fifo", '''\
def try_delay_on_fifo(sqs, queue_url, body, delay_seconds, group_id):
    if queue_url.endswith(".fifo") and delay_seconds > 0:
        return "InvalidParameterValue"  # FIFO queues never take a per-message delay: save the call
    sqs.send_message(QueueUrl=queue_url, MessageBody=body, MessageGroupId=group_id, DelaySeconds=delay_seconds)
    return None
''', "test_try_delay_on_fifo_returns_the_error_code_instead_of_raising", "really call SendMessage", "contract"),
    Wrong("error-code-guessed", "try_delay_on_fifo", '''\
from botocore.exceptions import ClientError


def try_delay_on_fifo(sqs, queue_url, body, delay_seconds, group_id):
    try:
        sqs.send_message(QueueUrl=queue_url, MessageBody=body, MessageGroupId=group_id, DelaySeconds=delay_seconds)
    except ClientError:
        return "InvalidParameterValue"  # the only way this send can fail
    return None
''', "test_try_delay_on_fifo_returns_whatever_code_sqs_refused_with", "return the code SQS gave", "errors"),
    Wrong("only-delayed-sends-guarded", "try_delay_on_fifo", '''\
from botocore.exceptions import ClientError


def try_delay_on_fifo(sqs, queue_url, body, delay_seconds, group_id):
    if delay_seconds == 0:  # nothing FIFO could object to
        sqs.send_message(QueueUrl=queue_url, MessageBody=body, MessageGroupId=group_id)
        return None
    try:
        sqs.send_message(QueueUrl=queue_url, MessageBody=body, MessageGroupId=group_id, DelaySeconds=delay_seconds)
    except ClientError as error:
        return error.response["Error"]["Code"]
    return None
''', "test_try_delay_on_fifo_returns_whatever_code_sqs_refused_with", "RequestThrottled", "errors"),
    Wrong("delay-by-sleeping", "send_delayed", '''\
import time


def send_delayed(sqs, queue_url, body, delay_seconds):
    time.sleep(delay_seconds)  # hold it back, then send
    return sqs.send_message(QueueUrl=queue_url, MessageBody=body, DelaySeconds=0)["MessageId"]
''', "test_send_delayed_hides_only_that_message_until_its_delay_passes", "only the undelayed 'now' should arrive",
          "contract"),
]

VALID = [
    Valid("delay-passed-only-when-set", "try_delay_on_fifo", '''\
from botocore.exceptions import ClientError


def try_delay_on_fifo(sqs, queue_url, body, delay_seconds, group_id):
    params = {"QueueUrl": queue_url, "MessageBody": body, "MessageGroupId": group_id}
    if delay_seconds:
        params["DelaySeconds"] = delay_seconds  # 0 is the FIFO queue's only per-message value: leave it out
    try:
        sqs.send_message(**params)
    except ClientError as error:
        return error.response["Error"]["Code"]
    return None
''', "leaving DelaySeconds out when it is 0 sends the same message; any refusal still returns its code"),
    Valid("count-from-all-attributes", "count_delayed", '''\
def count_delayed(sqs, queue_url):
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"]).get("Attributes", {})
    return int(attributes.get("ApproximateNumberOfMessagesDelayed", "0"))
''', "All includes ApproximateNumberOfMessagesDelayed"),
    Valid("create-then-set", "create_delay_queue", '''\
def create_delay_queue(sqs, name, delay_seconds):
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    set_queue_delay(sqs, url, delay_seconds)
    return url
''', "creating the queue and then setting DelaySeconds gives the same queue"),
]
