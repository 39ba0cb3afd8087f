"""One clear message for what botocore or the server says about a learner's request (sqs_kata.learner._explain)."""

from __future__ import annotations

from botocore.exceptions import ClientError, ParamValidationError

from sqs_kata import learner, messages

CALL = "set_queue_delay(sqs, 'https://q', 5)"
WHERE = "exercises/05_delay.py:30 (in set_queue_delay)"


def setup_module() -> None:
    messages.set_language("en")


def teardown_module() -> None:
    messages.set_language(None)


def test_a_parameter_botocore_refuses_is_named_with_why():
    error = ParamValidationError(report="Invalid type for parameter Attributes.DelaySeconds, value: 5, "
                                        "type: <class 'int'>, valid types: <class 'str'>")
    message = learner._explain(CALL, error, WHERE)
    assert message.startswith(CALL)
    assert "botocore refused the parameters before sending anything" in message
    assert "Attributes.DelaySeconds" in message and "valid types" in message and WHERE in message
    assert "should return their result" not in message  # not the generic "don't let an exception escape"


def test_an_emulator_crash_names_the_request_not_a_server_page():
    page = "<!doctype html>\n<html><title>500 Internal Server Error</title><h1>Internal Server Error</h1></html>"
    error = ClientError({"Error": {"Code": "500", "Message": page}, "ResponseMetadata": {"HTTPStatusCode": 500}},
                        "StartMessageMoveTask")
    message = learner._explain(CALL, error, WHERE)
    assert "the SQS server failed on the StartMessageMoveTask request itself (HTTP 500)" in message
    assert "<" not in message and "500 Internal Server Error" in message and "--sqs-backend=elasticmq" in message


def test_an_error_real_sqs_answers_with_is_the_learners_to_handle():
    error = ClientError({"Error": {"Code": "InternalError", "Message": "We encountered an internal error."},
                         "ResponseMetadata": {"HTTPStatusCode": 500}}, "SendMessage")
    message = learner._explain(CALL, error, WHERE)
    assert "raised ClientError" in message and "InternalError" in message and "failed on the" not in message


def test_the_messages_have_a_zh_tw_version():
    messages.set_language("zh-TW")
    try:
        error = ParamValidationError(report="Invalid type")
        assert "botocore 在送出請求之前就拒絕了參數" in learner._explain(CALL, error, WHERE)
    finally:
        messages.set_language("en")


def test_sys_exit_in_learner_code_ends_only_that_test_with_one_message():
    import pytest

    def leaves() -> None:
        import sys

        sys.exit(3)

    function = learner.LearnerFunction(leaves, "exercises/01_course_mission.py")
    with pytest.raises(pytest.fail.Exception) as failed:
        function()
    assert "leaves() called sys.exit(3), which would end the whole program" in str(failed.value)
    assert "Traceback" not in str(failed.value)
