"""How much the notebook front-end adds over the CLI: `%kata check N` in a kernel vs `sqs-kata check N`.

    python scripts/bench_notebook.py [--exercise 1] [--runs 5] [--target exercises]

Both grade the same exercise on in-process moto, alternately, `--runs` times each; the magic runs in this
process as it would in a kernel (sqs_kata.notebook.run_line: the CLI's command plus recording and HTML export),
the CLI as a learner starts it (a new process). Prints each median and the difference; the budget is +0.3 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_S = 0.3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exercise", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--target", default="exercises", help="exercises (the stubs: failures to draw) or solutions")
    args = parser.parse_args()
    state = Path(tempfile.mkdtemp(prefix="sqs-kata-bench-")) / "progress.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQS_KATA_") and k != "SQS_ENDPOINT_URL"}
    env.update({"SQS_KATA_BACKENDS": "moto", "SQS_KATA_STATE": str(state), "SQS_KATA_TARGET": args.target})
    os.environ.clear()
    os.environ.update(env)
    from sqs_kata import notebook

    line = f"check {args.exercise}"
    cli_times: list[float] = []
    magic_times: list[float] = []
    rendering: list[float] = []
    page = notebook._page

    def timed_page(*args: object) -> str:  # the front-end's own work: recording consoles exported to HTML
        started = time.perf_counter()
        try:
            return page(*args)  # type: ignore[arg-type]
        finally:
            rendering.append(time.perf_counter() - started)

    notebook._page = timed_page  # type: ignore[assignment]
    notebook.run_line(line)  # warm the kernel's imports once, as a notebook's first %kata does
    for _ in range(args.runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sqs_kata.cli", *line.split()], env=env, capture_output=True, check=False)
        cli_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        notebook.run_line(line)
        magic_times.append(time.perf_counter() - started)
    cli, magic = min(cli_times), min(magic_times)
    for name, times in (
        (f"sqs-kata {line} (CLI, new process)", cli_times),
        (f"%kata {line} (notebook, kernel)  ", magic_times),
    ):
        print(
            f"{name}: fastest {min(times):.2f} s, median {statistics.median(times):.2f} s  "
            f"runs {' '.join(f'{t:.2f}' for t in times)}"
        )
    print(f"of which HTML export of the recorded output: median {statistics.median(rendering) * 1000:.1f} ms")
    extra = magic - cli
    print(
        f"notebook front-end adds {extra:+.2f} s over the CLI, fastest runs (budget +{BUDGET_S} s): "
        + ("within budget" if extra <= BUDGET_S else "OVER BUDGET")
    )
    return 0 if extra <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
