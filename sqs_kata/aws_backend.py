"""Real Amazon SQS, for those who choose it explicitly: it costs money and needs AWS credentials.

Only `--sqs-backend=aws` together with `--i-understand-aws-costs` reaches AWS. Every queue gets a
run-unique prefix, and every queue with that prefix is deleted at the end of the run, also on failure.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqs_kata.backends import Backend, BackendError, make_session
from sqs_kata.messages import say

CONFIRM_FLAG = "--i-understand-aws-costs"


class AwsBackend(Backend):
    name = "aws"

    def __init__(self, confirmed: bool) -> None:
        super().__init__()
        self.confirmed = confirmed
        self.run_prefix = f"sqs-kata-{secrets.token_hex(3)}-"

    @contextmanager
    def pinned_environment(self) -> Iterator[None]:
        yield  # the user chose real AWS: their own credentials, region and profile stay as they are

    def start(self) -> None:
        if not self.confirmed:
            raise BackendError(
                say(
                    f"--sqs-backend=aws 會連到真正的 Amazon SQS，會產生費用，也需要你的 AWS 憑證。確定要的話，再加上 {CONFIRM_FLAG}。",
                    f"--sqs-backend=aws talks to real Amazon SQS: it costs money and uses your AWS credentials. "
                    f"If that is what you want, add {CONFIRM_FLAG}.",
                )
            )
        import boto3
        from botocore.exceptions import BotoCoreError

        try:
            session = boto3.session.Session()
            found = session.get_credentials() is not None and bool(session.region_name)
            problem = ""
        except BotoCoreError as error:  # a named profile that does not exist, an unreadable config file ...
            found, problem = False, f" ({error})"
        if not found:
            raise BackendError(
                say(
                    f"找不到 AWS 憑證或區域{problem}。請先 `aws configure`，或設定 AWS_PROFILE / AWS_REGION。",
                    f"No AWS credentials or region found{problem}. Run `aws configure`, or set AWS_PROFILE and AWS_REGION.",
                )
            )
        print(
            say(
                f"注意：正在使用真正的 Amazon SQS（{session.region_name}），佇列前綴 {self.run_prefix}，結束時會全部刪除。",
                f"Note: using real Amazon SQS ({session.region_name}); queues are prefixed {self.run_prefix} "
                "and all deleted at the end.",
            )
        )

    def new_session(self) -> Any:
        import boto3

        session = boto3.session.Session()
        return make_session(session.region_name, **_credentials(session))

    def queue_prefix(self) -> str:
        return self.run_prefix + secrets.token_hex(3) + "-"

    def stop(self) -> None:
        """Delete every queue this run made, whatever happened to the tests."""
        if self._client is None:
            return
        for page in self._client.get_paginator("list_queues").paginate(QueueNamePrefix=self.run_prefix):
            for url in page.get("QueueUrls", []):
                try:
                    self._client.delete_queue(QueueUrl=url)
                except Exception:  # noqa: BLE001 -- already gone
                    pass


def _credentials(session: Any) -> dict[str, str]:
    frozen = session.get_credentials().get_frozen_credentials()
    creds = {"aws_access_key_id": frozen.access_key, "aws_secret_access_key": frozen.secret_key}
    if frozen.token:
        creds["aws_session_token"] = frozen.token
    return creds
