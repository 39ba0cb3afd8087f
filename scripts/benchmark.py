"""Measure how long grading takes: whole-process wall time of `pytest`, median of several runs.

    python scripts/benchmark.py                 # full grade of the solutions on moto + one exercise
    python scripts/benchmark.py --elasticmq     # also the full grade on ElasticMQ, next to the waits
                                                # that SQS semantics force in those tests
    python scripts/benchmark.py --feedback      # `sqs-kata check 1` (cold, and warm: run by the warm server)
                                                # and `sqs-kata watch` save -> verdict
    python scripts/benchmark.py --parallel 4    # ElasticMQ full grade: one after another vs 4 xdist workers
                                                # sharing one server, side by side; queues left behind

Targets (issue notes): full grade on moto <= 5 s, one exercise <= 1.5 s, ElasticMQ wall <= 1.3x its forced waits;
`check N` <= 1.0 s and watch save -> verdict <= 0.5 s on moto; the parallel ElasticMQ grade <= 0.35x the serial one.
The forced waits are what the tests themselves record: clock.advance() on a live server plus time spent inside
long polls (ReceiveMessage with WaitTimeSeconds > 0), summed over the run (--kata-json records "waited").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
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
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "--kata-target=solutions", f"--kata-json={report}", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
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


def check_times(runs: int, warm: bool = False) -> list[float]:
    """Whole `sqs-kata check 1` on the reference solution: the CLI, pytest and the verdict.

    Cold: a new interpreter runs pytest every time (SQS_KATA_WARM=0). Warm: a warm server (sqs_kata.warm_server,
    which a learner's terminal starts by itself) runs it; the server is started and waited for first, in a
    socket folder of this benchmark's own, and stopped at the end.
    """
    with tempfile.TemporaryDirectory(prefix="bench-", dir="/tmp") as tmp:
        env = {**os.environ, "TMPDIR": tmp, "SQS_KATA_WARM": "1" if warm else "0"}
        command = [sys.executable, "-m", "sqs_kata.cli", "--kata-target=solutions", "check", "1"]
        if warm:
            subprocess.run(command, cwd=ROOT, env=env, capture_output=True)  # starts the server
            for _ in range(300):
                status = subprocess.run([*command[:3], "warm"], cwd=ROOT, env=env, capture_output=True, text=True)
                if "run(s) so far" in status.stdout:
                    break
                time.sleep(0.1)
            else:
                sys.exit(f"no warm server answered: {status.stdout}{status.stderr}")
        times = []
        try:
            for _ in range(runs):
                started = time.perf_counter()
                proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
                times.append(time.perf_counter() - started)
                if proc.returncode != 0:
                    sys.exit(
                        f"sqs-kata check 1 failed ({proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
                    )
        finally:
            if warm:
                subprocess.run([*command[:3], "warm", "--stop"], cwd=ROOT, env=env, capture_output=True)
    return times


def watch_times(runs: int) -> list[float]:
    """`sqs-kata watch` on a copy of the solutions: from a save of 01_course_mission.py to its verdict line."""
    folder = Path(tempfile.mkdtemp(prefix="sqs-kata-bench-"))
    shutil.copytree(ROOT / "solutions", folder, dirs_exist_ok=True)
    env = {**os.environ, "SQS_KATA_LANG": "en", "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sqs_kata.cli", f"--kata-target={folder}", "watch"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None

    def wait_for(text: str) -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            if text in line:
                return
        sys.exit(f"sqs-kata watch ended before printing {text!r} (exit {proc.wait()})")

    times = []
    try:
        wait_for("Watching")
        exercise = folder / "01_course_mission.py"
        for run in range(runs):
            time.sleep(0.5)  # a learner does not save twice within the debounce
            exercise.write_text(exercise.read_text() + f"\n# save {run}\n")
            started = time.perf_counter()
            wait_for("Exercise 01 passes")
            times.append(time.perf_counter() - started)
            wait_for("Watching")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait()
        shutil.rmtree(folder, ignore_errors=True)
    return times


def parallel_side_by_side(workers: int) -> dict[str, object]:
    """The ElasticMQ full grade one test after another, then with `-n workers` sharing one server."""
    serial, _, _ = timed_pytest("--sqs-backend=elasticmq", "-p", "no:randomly")
    parallel, tests_parallel, records = timed_pytest("--sqs-backend=elasticmq", "-p", "no:randomly", "-n", str(workers))
    failed = sum(r.get("outcome") in ("failed", "error") for r in records)
    return {
        "elasticmq_serial_s": round(serial, 2),
        "elasticmq_parallel_s": round(parallel, 2),
        "workers": workers,
        "ratio": round(parallel / serial, 3),
        "tests": tests_parallel,
        "failed": failed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median is reported)")
    parser.add_argument("--elasticmq", action="store_true", help="also grade once on ElasticMQ")
    parser.add_argument("--feedback", action="store_true", help="also time `sqs-kata check 1` and watch")
    parser.add_argument("--parallel", type=int, metavar="N", help="also time the ElasticMQ grade with N workers")
    parser.add_argument("--only-extra", action="store_true", help="skip the moto grade timings")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON too")
    args = parser.parse_args()

    figures: dict[str, object] = {}
    if args.feedback:
        for warm, label in ((False, "cold"), (True, "warm")):
            checks = check_times(args.runs, warm=warm)
            figures[f"check_{label}_s"] = round(statistics.median(checks), 2)
            print(
                f"sqs-kata check 1 ({label}): median {statistics.median(checks):.2f} s over {args.runs} runs "
                f"{[round(t, 2) for t in checks]}   goal <= 1.0 s"
            )
        saves = watch_times(args.runs)
        figures["watch_save_to_verdict_s"] = round(statistics.median(saves), 2)
        print(
            f"watch, save->verdict:  median {statistics.median(saves):.2f} s over {args.runs} saves "
            f"{[round(t, 2) for t in saves]}   goal <= 0.5 s"
        )
    if args.parallel:
        side = parallel_side_by_side(args.parallel)
        figures.update(side)
        print(
            f"ElasticMQ full grade:  {side['elasticmq_serial_s']} s one by one, {side['elasticmq_parallel_s']} s "
            f"with {args.parallel} workers on one server: ratio {side['ratio']} ({side['failed']} failed)"
            "   goal <= 0.35"
        )
    if args.only_extra:
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=1))
        return 0
    full, full_runs, tests = median_of(args.runs, "--sqs-backend=moto")
    figures["moto_full_grade_s"] = round(full, 2)
    print(
        f"full grade, moto:      median {full:.2f} s over {args.runs} runs {[round(t, 2) for t in full_runs]} "
        f"({tests} tests)   goal <= 5 s"
    )
    one, one_runs, tests = median_of(args.runs, "--sqs-backend=moto", ONE_EXERCISE)
    figures["moto_one_exercise_s"] = round(one, 2)
    print(
        f"one exercise, moto:    median {one:.2f} s over {args.runs} runs {[round(t, 2) for t in one_runs]} "
        f"({tests} tests in {ONE_EXERCISE})   goal <= 1.5 s"
    )
    if args.elasticmq:
        wall, tests, records = timed_pytest("--sqs-backend=elasticmq")
        waited = sum(r.get("waited", 0.0) for r in records)
        figures.update(
            elasticmq_full_grade_s=round(wall, 2),
            elasticmq_forced_waits_s=round(waited, 2),
            elasticmq_ratio=round(wall / waited, 2) if waited else None,
        )
        print(
            f"full grade, ElasticMQ: {wall:.2f} s wall ({tests} tests), forced waits {waited:.2f} s, "
            f"ratio {wall / waited if waited else float('nan'):.2f}   goal <= 1.3"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
