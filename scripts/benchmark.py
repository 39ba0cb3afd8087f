"""Measure how long grading takes: whole-process wall time of `pytest`, median of several runs.

    python scripts/benchmark.py                 # full grade of the solutions on moto + one exercise
    python scripts/benchmark.py --elasticmq     # also the full grade on ElasticMQ, next to the waits
                                                # that SQS semantics force in those tests

Targets (issue notes): full grade on moto <= 5 s, one exercise <= 1.5 s, ElasticMQ wall <= 1.3x its forced waits.
The forced waits are what the tests themselves record: clock.advance() on a live server plus time spent inside
long polls (ReceiveMessage with WaitTimeSeconds > 0), summed over the run (--kata-json records "waited").
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONE_EXERCISE = "tests/test_01_course_mission.py"


def timed_pytest(*args: str) -> tuple[float, int, list[dict]]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "kata.json"
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "--kata-target=solutions",
                               f"--kata-json={report}", *args], cwd=ROOT, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        records = json.loads(report.read_text()) if report.exists() else []
    if proc.returncode != 0:
        sys.exit(f"pytest {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return elapsed, len(records), records


def median_of(runs: int, *args: str) -> tuple[float, list[float], int]:
    times, count = [], 0
    for _ in range(runs):
        elapsed, count, _ = timed_pytest(*args)
        times.append(elapsed)
    return statistics.median(times), times, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median is reported)")
    parser.add_argument("--elasticmq", action="store_true", help="also grade once on ElasticMQ")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON too")
    args = parser.parse_args()

    figures: dict[str, object] = {}
    full, full_runs, tests = median_of(args.runs, "--sqs-backend=moto")
    figures["moto_full_grade_s"] = round(full, 2)
    print(f"full grade, moto:      median {full:.2f} s over {args.runs} runs {[round(t, 2) for t in full_runs]} "
          f"({tests} tests)   goal <= 5 s")
    one, one_runs, tests = median_of(args.runs, "--sqs-backend=moto", ONE_EXERCISE)
    figures["moto_one_exercise_s"] = round(one, 2)
    print(f"one exercise, moto:    median {one:.2f} s over {args.runs} runs {[round(t, 2) for t in one_runs]} "
          f"({tests} tests in {ONE_EXERCISE})   goal <= 1.5 s")
    if args.elasticmq:
        wall, tests, records = timed_pytest("--sqs-backend=elasticmq")
        waited = sum(r.get("waited", 0.0) for r in records)
        figures.update(elasticmq_full_grade_s=round(wall, 2), elasticmq_forced_waits_s=round(waited, 2),
                       elasticmq_ratio=round(wall / waited, 2) if waited else None)
        print(f"full grade, ElasticMQ: {wall:.2f} s wall ({tests} tests), forced waits {waited:.2f} s, "
              f"ratio {wall / waited if waited else float('nan'):.2f}   goal <= 1.3")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
