"""Grade a generated class and report the figures: wall time, per-submission cost, totals per kind.

    python scripts/class_benchmark.py --count 60                                  60 on moto (one per submission)
    python scripts/class_benchmark.py --count 20 --backend elasticmq --shared     20 on ONE shared ElasticMQ

The class comes from scripts/fake_class.py (reference, stubs, partial, crashing, hanging, hostile, copied, syntax,
tampered, cycled). Each kind's total is checked against what it earns; the reference and copied rows must get full
marks whatever the hostile ones did. The machine's load average before and after is printed with the times: on a
shared machine the wall time says as much about the neighbours as about the grader.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import fake_class  # noqa: E402

from sqs_kata import manifest  # noqa: E402
from sqs_kata.classroom import gradebook  # noqa: E402


def expected_totals(numbers: set[int]) -> dict[str, float | None]:
    def points(*chosen: int) -> float:
        return float(sum(e.points for e in manifest.load() if e.number in chosen and e.number in numbers))

    full = points(*numbers)
    return {
        "reference": full,
        "copied": full,
        "stubs": 0.0,
        "tampered": 0.0,
        "partial": points(1, 2, 3, 4, 5),
        "crashing": full - points(15),
        "hanging": full - points(14),
        "syntax": full - points(3),
        "hostile": None,
    }  # hostile: below full (it deletes its own test queues too), checked separately


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--backend", default="moto")
    parser.add_argument("--shared", action="store_true", help="one shared server (--shared-server)")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--exercises", default=None, help="e.g. 1-15 (default: every written exercise)")
    parser.add_argument("--time-limit", type=float, default=300.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sqs-kata-bench-") as folder:
        subs, out = Path(folder) / "subs", Path(folder) / "out"
        made = fake_class.make_class(subs, args.count)
        command = [
            sys.executable,
            "-m",
            "sqs_kata.cli",
            "class",
            "grade",
            str(subs),
            "--out",
            str(out),
            "--sqs-backend",
            args.backend,
            "--time-limit",
            f"{args.time_limit:g}",
            "--lang",
            "en",
        ]
        if args.shared:
            command.append("--shared-server")
        if args.jobs:
            command += ["--jobs", str(args.jobs)]
        if args.exercises:
            command += ["--exercises", args.exercises]
        load_before = os.getloadavg()
        started = time.monotonic()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        wall = time.monotonic() - started
        load_after = os.getloadavg()
        if done.returncode != 0:
            print(done.stdout[-3000:], done.stderr[-3000:])
            return 1
        rows = {row["student"]: row for row in gradebook.read(out / gradebook.FILE)}

    graded = (
        manifest.load() if not args.exercises else [e for e in manifest.load() if e.number in _numbers(args.exercises)]
    )
    expected = expected_totals({e.number for e in graded})
    by_kind: dict[str, list[dict[str, str]]] = defaultdict(list)
    for student, kind in made:
        by_kind[kind].append(rows[student])
    wrong = []
    print(
        f"{args.count} submissions on {args.backend}{' (one shared server)' if args.shared else ''}, "
        f"jobs={args.jobs or os.cpu_count()}, cores={os.cpu_count()}"
    )
    print(
        f"wall {wall:.1f} s, {wall / args.count:.2f} s per submission; "
        f"load average before {load_before[0]:.2f}/{load_before[1]:.2f}, after {load_after[0]:.2f}/{load_after[1]:.2f}"
    )
    print(f"{'kind':<10} {'n':>3} {'totals':<24} {'expected':>8} {'mean s':>7}  problems (first row)")
    for kind in fake_class.KINDS:
        kind_rows = by_kind.get(kind, [])
        if not kind_rows:
            continue
        totals = sorted({float(r["total"]) for r in kind_rows})
        want = expected[kind]
        ok = totals == [want] if want is not None else all(t < expected["reference"] for t in totals)  # type: ignore[operator]
        if not ok:
            wrong.append(kind)
        mean = sum(float(r["duration_s"]) for r in kind_rows) / len(kind_rows)
        print(
            f"{kind:<10} {len(kind_rows):>3} {', '.join(f'{t:g}' for t in totals):<24} "
            f"{'<full' if want is None else f'{want:g}':>8} {mean:>7.1f}  {kind_rows[0]['problems'][:80]}"
        )
    print("every kind got what it earned" if not wrong else f"WRONG totals: {', '.join(wrong)}")
    return 1 if wrong else 0


def _numbers(text: str) -> set[int]:
    found: set[int] = set()
    for part in text.split(","):
        low, _, high = part.strip().partition("-")
        found.update(range(int(low), int(high or low) + 1))
    return found


if __name__ == "__main__":
    sys.exit(main())
