"""The request meter (sqs_kata.meter) against requests counted another way, and the prices it quotes.

A graded run of some solutions, with the realism layer off so that every request the learner's code makes
reaches the wire (the layer answers a sampled-empty short poll itself): a botocore `before-send` counter
(selftests/plugins/send_counter.py) counts each test's learner requests by action; the meter's record of
the same test must say the same. Then the reports and the board, from records that carry requests.
"""

from __future__ import annotations

import io
import json

import jsonschema
import pytest
from rich.console import Console

from child_processes import with_plugins
from sqs_kata import board, messages, pricing, results
from sqs_kata.manifest import Exercise
from sqs_kata.meter import Usage

EXERCISES = ["tests/test_03_messages.py", "tests/test_07_polling.py", "tests/test_08_batches.py",
             "tests/test_15_cost.py"]


@pytest.fixture(scope="module")
def metered_run(kata_runner, tmp_path_factory):
    folder = tmp_path_factory.mktemp("send-counts")
    log = folder / "counts.jsonl"
    env = with_plugins({"SQS_KATA_SEND_COUNTS": str(log), "SQS_KATA_BACKENDS": "moto"})
    code, records, output = kata_runner("--kata-target=solutions", "--sqs-realism=off", "-p", "send_counter",
                                        *EXERCISES, env=env)
    assert code == 0, output[-3000:]
    counted = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return {r["nodeid"]: r for r in records}, {c["nodeid"]: c for c in counted}


def test_the_meter_counts_what_reaches_the_wire(metered_run):
    records, counted = metered_run
    assert len(counted) > 40, sorted(counted)
    for nodeid, wire in counted.items():
        usage = records[nodeid]["requests"]
        assert usage["by_action"] == {a: n for a, n in wire["actions"].items() if n}, nodeid
        assert usage["requests"] == sum(wire["actions"].values()), nodeid
        wire_entries = {a: n for a, n in wire["entries"].items() if n}
        if "faults" in records[nodeid].get("test_code", ""):
            # An injected entry failure is answered by the grader, not sent: the meter counts the entries the
            # code put in its batch (one request either way), the wire one fewer.
            assert all(usage["batch_entries"].get(a, 0) >= n for a, n in wire_entries.items()), nodeid
        else:
            assert usage["batch_entries"] == wire_entries, nodeid


def test_the_cost_exercise_moves_a_thousand_messages_at_the_floor(metered_run):
    records, counted = metered_run
    nodeid = next(n for n in records if "costs_at_most" in n)
    usage = records[nodeid]["requests"]
    # Without the realism layer nothing comes back short: 100 + 100 + 100 requests, and one empty receive.
    assert usage["messages"] == {"sent": 1000, "received": 1000, "deleted": 1000}
    assert usage["by_action"] == {"SendMessageBatch": 100, "ReceiveMessage": 101, "DeleteMessageBatch": 100}
    assert usage["billed"] == 301 and usage["empty_receives"] == 1 and usage["short_polls"] == 0
    assert usage["dollars"] == pytest.approx(301 * 0.40 / 1_000_000)
    assert counted[nodeid]["actions"]["ReceiveMessage"] == 101


def test_a_request_is_billed_per_started_64_kb_chunk():
    assert [pricing.billed_requests(n) for n in (0, 1, 65_536, 65_537, 262_144, 1_048_576)] == [1, 1, 1, 2, 4, 16]
    assert pricing.queue_type("http://x/1/jobs.fifo") == "fifo" and pricing.queue_type("http://x/1/jobs") == "standard"
    assert pricing.dollars({"standard": 1_000_000, "fifo": 1_000_000}) == pytest.approx(0.90)


COST = Exercise(15, "15_cost", 8, {"zh-TW": "成本", "en": "Cost"}, ())
FEW = Exercise(1, "01_few", 10, {"zh-TW": "少", "en": "Few"}, ())


def _record(slug: str, name: str, usage: Usage, outcome: str = "passed") -> dict:
    return {"nodeid": f"tests/test_{slug}.py::{name}[moto]", "exercise": slug, "outcome": outcome, "message": "",
            "duration": 0.1, "output": "", "requests": usage.as_record()}


def _usage(calls: int, moved: int) -> Usage:
    usage = Usage()
    usage.requests["SendMessageBatch"] = calls
    usage.billed["standard"] = calls
    usage.sent = usage.received = usage.deleted = moved
    return usage


@pytest.fixture
def metered_results(tmp_path):
    (tmp_path / "tests").mkdir()
    for exercise in (COST, FEW):
        (tmp_path / exercise.test_file).write_text("", encoding="utf-8")
    records = [_record("15_cost", "test_cheap", _usage(309, 1000)), _record("01_few", "test_small", _usage(3, 3))]
    return results.summarize(records, (FEW, COST), tmp_path)


def test_reports_carry_the_requests_and_stay_valid(metered_results):
    messages.set_language("en")
    exercism = results.exercism_v3(metered_results)
    jsonschema.validate(exercism, results.schema("exercism-v3"))
    outputs = {t["name"]: t.get("output", "") for t in exercism["tests"]}
    assert "0.31 per message, $0.12 per million messages" in outputs["15 · test_cheap[moto]"]
    assert outputs["01 · test_small[moto]"] == ""  # 3 messages: requests per message would mean nothing
    gradescope = results.gradescope(metered_results)
    jsonschema.validate(gradescope, results.schema("gradescope"))
    assert gradescope["extra_data"]["sqs_requests"]["15"]["billed"] == 309
    assert all(t["extra_data"]["sqs_requests"]["requests"] for t in gradescope["tests"])


def test_the_board_shows_requests_per_message_only_where_it_means_something(metered_results):
    messages.set_language("en")
    console = Console(file=io.StringIO(), width=160)
    board.board(console, metered_results)
    text = console.file.getvalue()
    assert "Req/msg" in text and "0.31" in text and pricing.PRICING_URL in text
    few_row = next(line for line in text.splitlines() if "Few" in line)
    assert "1.00" not in few_row
    console = Console(file=io.StringIO(), width=160)
    board.board(console, metered_results[:1])  # no exercise moved 100 messages: no column at all
    assert "Req/msg" not in console.file.getvalue()
