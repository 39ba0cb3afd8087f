"""Cost: move many messages through a queue for as few billed requests as SQS allows.

SQS bills requests, not messages: every SendMessage, ReceiveMessage (an empty one too) and DeleteMessage is one
request, and a batch of up to 10 is ONE request (each 64 KB of its payload counts as another). Ten messages in
every send, receive and delete make the floor: 0.3 requests per message moved instead of 3.
Pricing: https://aws.amazon.com/sqs/pricing/
AWS API: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-batch-api-actions.html
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/reducing-costs.html
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient

MAX_BATCH = 10  # SendMessageBatch and DeleteMessageBatch take at most 10 entries; ReceiveMessage hands out 10


def produce(sqs: SQSClient, queue_url: str, bodies: list[str]) -> None:
    """Put one message per body on the queue (a body given twice is sent twice), in as few requests as SQS bills.

    SQS bills one request per SendMessage, and ONE per SendMessageBatch of up to 10 entries (while the batch is
    at most 64 KB; each further 64 KB is billed as one more request). The bodies are small: ten fit in a batch.
    Every entry needs an Id unique within its batch (1 to 80 of A-Z a-z 0-9 - _). Assume SQS accepts every
    entry. With no bodies, make no request at all (SQS refuses an empty batch, and bills it).
    """
    # TODO: one send_message_batch per 10 bodies (entry Ids "0" to "9")
    raise NotImplementedError("produce is not implemented yet")


def consume_all(sqs: SQSClient, queue_url: str, handle: Callable[[str], Any], wait_seconds: int = 1) -> None:
    """Call handle(body) for every message on the queue and delete each message AFTER handle returned; stop once
    a receive comes back empty. Spend as few billed requests as SQS allows.

    SQS bills every ReceiveMessage, an empty one too, and every delete request. So: ask for 10 messages a
    receive (MaxNumberOfMessages=10); long-poll with WaitTimeSeconds=wait_seconds (a short poll asks only some
    of SQS's servers, and may come back empty or short while messages wait: a billed request for nothing); and
    delete the messages of one receive together, with one DeleteMessageBatch, once they are handled -- before
    the next receive. SQS may hand out fewer than 10 while more wait, and may deliver a message twice: keep
    going until a receive comes back empty, and delete every copy you receive.
    """
    # TODO: loop: receive 10 with a long poll, stop on empty; handle each body; then ONE delete_message_batch
    raise NotImplementedError("consume_all is not implemented yet")
