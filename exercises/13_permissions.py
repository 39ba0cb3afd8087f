"""Queue permissions: let another AWS account use your queue, under a label, and take the permission back.

AddPermission writes a statement (its Sid is your label) into the queue's access policy, the `Policy`
attribute; RemovePermission deletes the statement with that label.
AWS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_AddPermission.html
     https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_RemovePermission.html
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient


def grant(sqs: SQSClient, queue_url: str, label: str, account_id: str, actions: list[str]) -> None:
    """Allow the AWS account `account_id` to call `actions` (e.g. ["SendMessage", "ReceiveMessage"]) on the queue.

    `label` names the permission (the statement's Sid), so you can remove it later.
    """
    # TODO: your code here
    raise NotImplementedError("grant is not implemented yet")


def revoke(sqs: SQSClient, queue_url: str, label: str) -> str | None:
    """Remove the permission called `label` from the queue. Return None when it was removed.

    When SQS refuses, for whatever reason (no permission with that label, access denied, throttling), return its
    error code (error.response["Error"]["Code"], such as "InvalidParameterValue") instead of raising.
    """
    # TODO: your code here
    raise NotImplementedError("revoke is not implemented yet")


def permission_labels(sqs: SQSClient, queue_url: str) -> list[str]:
    """Return the labels (statement Sids) in the queue's access policy, sorted; [] when it has no policy.

    The `Policy` attribute is a JSON string: {"Version": ..., "Statement": [{"Sid": "<label>", ...}, ...]}. A queue
    without a policy has no Policy attribute at all; a policy may hold a single statement as an object instead of
    a list; a statement without a Sid has no label.
    """
    # TODO: your code here
    raise NotImplementedError("permission_labels is not implemented yet")
