"""What Amazon SQS charges for requests: the one place the kata's prices live.

SQS bills requests, not messages. Every action is a request (an empty receive too), a batch of up to 10
entries is ONE request, and each 64 KB chunk of a request's payload is billed as one request (a 256 KB
message costs 4; a batch of ten 5 KB messages costs 1).

Prices vary by region and change over time. These are the list prices of US East (N. Virginia), first tier
(up to 100 billion requests a month), after the free tier of 1 million requests a month. Read on READ_ON:
the figures of PRICING_URL as quoted by 2026 write-ups of that page (cloudburn.io 2026-03, factualminds.com
2026-06); the page itself was not fetched from this machine. Check it before you quote a bill.
"""

from __future__ import annotations

import math

PRICING_URL = "https://aws.amazon.com/sqs/pricing/"
READ_ON = "2026-12-02"
REGION = "us-east-1"
# US dollars per million requests, by queue type.
PER_MILLION_REQUESTS = {"standard": 0.40, "fifo": 0.50}
BILLING_CHUNK_BYTES = 64 * 1024


def queue_type(queue_url: str) -> str:
    """'fifo' or 'standard': a FIFO queue's name ends in .fifo (SQS refuses any other FIFO name)."""
    return "fifo" if queue_url.rstrip("/").endswith(".fifo") else "standard"


def billed_requests(payload_bytes: int) -> int:
    """How many requests SQS bills for one request carrying `payload_bytes`: one per started 64 KB chunk, at least one."""
    return max(1, math.ceil(payload_bytes / BILLING_CHUNK_BYTES))


def dollars(requests_by_type: dict[str, int]) -> float:
    """The list price of these billed requests, {'standard': n, 'fifo': m}, in US dollars."""
    return sum(PER_MILLION_REQUESTS[kind] * count for kind, count in requests_by_type.items()) / 1_000_000


def per_million_messages(requests_per_message: float, kind: str = "standard") -> float:
    """What moving a million messages costs at `requests_per_message`, in US dollars."""
    return requests_per_message * PER_MILLION_REQUESTS[kind]


def source(language: str = "en") -> str:
    """One phrase for a message or a README: where the prices come from, and that they are not universal."""
    if language.startswith("zh"):
        return f"{REGION} 牌價，{READ_ON} 讀取（{PRICING_URL}）；價格依區域不同，也會調整"
    return f"{REGION} list price, read {READ_ON} ({PRICING_URL}); prices vary by region and change"
