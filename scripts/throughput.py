"""Messages per second, one at a time vs ten at a time, on moto's server and on ElasticMQ, side by side.

    python scripts/throughput.py                 # 1,000 messages each way on moto-server and ElasticMQ
    python scripts/throughput.py --messages 300 --backends elasticmq

For each backend, the same N messages go through a fresh queue twice: once with SendMessage, ReceiveMessage
(MaxNumberOfMessages=1) and DeleteMessage, once with SendMessageBatch, ReceiveMessage (10) and
DeleteMessageBatch, ten a request. Messages/s counts the whole trip (send + receive + delete); requests are
counted on the client (a before-call handler). The receive loop stops when all N are back, so no long poll
waits at the end. Prints a markdown table (the one in the READMEs) and the batched/single ratio per backend.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqs_kata import backend_choice, pricing

BATCH = 10


def counted(client: Any) -> Counter[str]:
    calls: Counter[str] = Counter()
    client.meta.events.register("before-call.sqs", lambda model, **_: calls.update([model.name]))
    return calls


def one_by_one(client: Any, url: str, bodies: list[str]) -> None:
    for body in bodies:
        client.send_message(QueueUrl=url, MessageBody=body)
    left = len(bodies)
    while left:
        for message in client.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", []):
            client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            left -= 1


def batched(client: Any, url: str, bodies: list[str]) -> None:
    for start in range(0, len(bodies), BATCH):
        client.send_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(i), "MessageBody": b} for i, b in enumerate(bodies[start : start + BATCH])],
        )
    left = len(bodies)
    while left:
        messages = client.receive_message(QueueUrl=url, MaxNumberOfMessages=BATCH, WaitTimeSeconds=1).get(
            "Messages", []
        )
        if messages:
            client.delete_message_batch(
                QueueUrl=url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
            )
            left -= len(messages)


def measure(backend_name: str, count: int) -> list[tuple[str, str, float, int]]:
    """(backend, way, messages/s, requests) for one at a time and ten per request, on a backend of its own."""
    backend = backend_choice.create(backend_name)
    backend.start()
    try:
        client = backend.new_client()
        calls = counted(client)
        rows = []
        # As in a graded test: on moto's server, the kata's clock and its speed-ups for a backlog (backends.py).
        with backend.test_scope():
            for way, move in (("one at a time", one_by_one), ("10 per request", batched)):
                url = client.create_queue(QueueName=f"throughput-{secrets.token_hex(4)}")["QueueUrl"]
                bodies = [f"message-{i:05d}" for i in range(count)]
                calls.clear()
                started = time.perf_counter()
                move(client, url, bodies)
                elapsed = time.perf_counter() - started
                rows.append((backend.name, way, count / elapsed, sum(calls.values())))
                client.delete_queue(QueueUrl=url)
        return rows
    finally:
        backend.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000, help="messages each way (default 1000)")
    parser.add_argument("--backends", default="moto-server,elasticmq", help="comma-separated (default both)")
    args = parser.parse_args()
    rows = [row for name in args.backends.split(",") for row in measure(name.strip(), args.messages)]
    price = pricing.PER_MILLION_REQUESTS["standard"]
    print(
        f"| backend | way | messages/s | requests for {args.messages} messages | requests/message | "
        f"$ per million messages |"
    )
    print("|---|---|---:|---:|---:|---:|")
    for name, way, rate, requests in rows:
        per_message = requests / args.messages
        print(f"| {name} | {way} | {rate:,.0f} | {requests:,} | {per_message:.2f} | {per_message * price:.2f} |")
    print()
    for name in dict.fromkeys(r[0] for r in rows):
        single, batch = (r[2] for r in rows if r[0] == name)
        print(f"{name}: batched moves {batch / single:.1f}x the messages per second of one at a time")
    print(f"(prices: {pricing.source()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
