"""sqs-kata lab: the queue depth over time while a producer sends at a fixed rate to 1, 2 and 4 workers.

    sqs-kata lab                                   # your exercises/21_scaling.py, on moto's server
    python -m sqs_kata.lab --kata-target solutions --sqs-backend elasticmq --output docs/queue-depth.png

For each worker count, a fresh queue gets `rate` messages a second for `seconds`; the learner's start_workers
(exercise 21) runs that many workers whose handler takes `work` seconds a message, and the learner's queue_depth
is sampled every `every` seconds. One worker falls behind (the depth climbs), two keep up, four keep the queue
near empty: what an autoscaler reads from ApproximateNumberOfMessages. The PNG carries its series as JSON in a
text chunk ("sqs-kata-series"), so a test can read what was drawn.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from sqs_kata import PROJECT_ROOT
from sqs_kata.messages import say

WORKER_COUNTS = (1, 2, 4)
SERIES_KEY = "sqs-kata-series"  # the PNG text chunk holding the series drawn
EXERCISE = "21_scaling.py"


class LabError(RuntimeError):
    """The lab cannot run; the text is the whole story for the learner."""


@dataclass
class Series:
    workers: int
    seconds: list[float] = field(default_factory=list)  # since the producer started
    waiting: list[int] = field(default_factory=list)  # ApproximateNumberOfMessages
    in_flight: list[int] = field(default_factory=list)  # ApproximateNumberOfMessagesNotVisible

    @property
    def label(self) -> str:
        return f"{self.workers} worker" + ("s" if self.workers > 1 else "")


@dataclass(frozen=True)
class Settings:
    rate: float = 20.0  # messages a second from the producer
    work: float = 0.1  # seconds a worker's handler takes a message: one worker does 10 a second
    seconds: float = 3.0  # how long the producer sends, for each worker count
    every: float = 0.25  # seconds between two depth samples


def load_exercise(target: Path) -> ModuleType:
    path = target / EXERCISE
    if not path.is_file():
        raise LabError(say(f"找不到 {path}。", f"{path} does not exist."))
    spec = importlib.util.spec_from_file_location("sqs_kata_lab_scaling", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # noqa: BLE001 -- whatever the learner's file does on import, one message
        raise LabError(
            say(
                f"{path} 載入失敗：{type(error).__name__}: {error}",
                f"{path} cannot be loaded: {type(error).__name__}: {error}",
            )
        ) from None
    return module


def _learner(call: Callable[[], Any], name: str) -> Any:
    try:
        return call()
    except NotImplementedError:
        raise LabError(
            say(
                f"練習 21 的 {name} 還沒寫：先完成它（`sqs-kata check 21`），或用 --kata-target solutions "
                "看參考解答的結果。",
                f"{name} of exercise 21 is not written yet: finish it first (`sqs-kata check 21`), or "
                "run the lab with --kata-target solutions.",
            )
        ) from None
    except Exception as error:  # noqa: BLE001 -- the learner's code failed: one message, no traceback
        raise LabError(
            say(
                f"練習 21 的 {name} 出錯：{type(error).__name__}: {error}",
                f"{name} of exercise 21 failed: {type(error).__name__}: {error}",
            )
        ) from None


def measure(sqs: Any, exercise: ModuleType, workers: int, settings: Settings, prefix: str) -> Series:
    """One run: a fresh queue, the producer at settings.rate, `workers` learner workers, depth sampled."""
    url = sqs.create_queue(QueueName=f"{prefix}{workers}w", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
    series = Series(workers)
    done = threading.Event()

    def produce() -> None:
        sent, started = 0, time.monotonic()
        while not done.is_set():
            due = int((time.monotonic() - started) * settings.rate) - sent  # what the fixed rate owes by now
            for start in range(0, max(0, due), 10):
                count = min(10, due - start)
                sqs.send_message_batch(
                    QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": f"job-{sent + i}"} for i in range(count)]
                )
                sent += count
            done.wait(0.05)

    stop: Callable[[], None] | None = None
    producer = threading.Thread(target=produce, name="sqs-kata-lab-producer", daemon=True)
    try:
        stop = _learner(
            lambda: exercise.start_workers(sqs, url, workers, lambda body: time.sleep(settings.work), 1),
            "start_workers",
        )
        started = time.monotonic()
        producer.start()
        while (elapsed := time.monotonic() - started) <= settings.seconds:
            waiting, in_flight = _learner(lambda: exercise.queue_depth(sqs, url), "queue_depth")
            series.seconds.append(round(elapsed, 2))
            series.waiting.append(int(waiting))
            series.in_flight.append(int(in_flight))
            time.sleep(max(0.0, settings.every - (time.monotonic() - started - elapsed)))
    finally:
        done.set()
        if producer.is_alive():
            producer.join()
        if callable(stop):
            _learner(stop, "stop()")
        sqs.delete_queue(QueueUrl=url)
    return series


def run(
    sqs: Any, exercise: ModuleType, settings: Settings = Settings(), counts: Sequence[int] = WORKER_COUNTS
) -> list[Series]:
    prefix = f"kata-lab-{int(time.time() * 1000) % 10**8}-"
    return [measure(sqs, exercise, n, settings, prefix) for n in counts]


def plot(series: list[Series], output: Path, settings: Settings = Settings()) -> Path:
    """Queue depth over time, one line per worker count (waiting solid, in flight dashed), as a PNG."""
    import matplotlib

    matplotlib.use("Agg")  # no display: a file, on any machine and in CI
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 4.5), dpi=100)
    for one in series:
        [line] = axes.plot(one.seconds, one.waiting, marker="o", markersize=3, label=f"{one.label}: waiting")
        axes.plot(
            one.seconds,
            one.in_flight,
            linestyle="--",
            color=line.get_color(),
            alpha=0.6,
            label=f"{one.label}: in flight",
        )
    axes.set_xlabel("seconds since the producer started")
    axes.set_ylabel("messages")
    axes.set_title(
        f"Queue depth: a producer at {settings.rate:g} msg/s, each message takes a worker {settings.work:g} s"
    )
    axes.grid(alpha=0.3)
    axes.legend(fontsize="small", ncol=len(series))
    figure.tight_layout()
    output.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(output, format="png", metadata={SERIES_KEY: json.dumps([asdict(s) for s in series])})
    plt.close(figure)
    return output


def series_in(png: Path) -> list[dict[str, Any]]:
    """The series a PNG made by plot() carries (its text chunk)."""
    from PIL import Image

    with Image.open(png) as image:
        return list(json.loads(image.text[SERIES_KEY]))  # type: ignore[attr-defined]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sqs-kata lab",
        description=say(
            "佇列深度隨時間的變化：固定速率的生產者，對 1、2、4 個 worker，畫成 PNG。",
            "Queue depth over time: a producer at a fixed rate against 1, 2 and 4 workers, drawn as a PNG.",
        ),
    )
    parser.add_argument(
        "--kata-target",
        default="exercises",
        metavar="DIR",
        help=say("用哪個資料夾的 21_scaling.py（預設 exercises）", "whose 21_scaling.py (default: exercises)"),
    )
    parser.add_argument(
        "--sqs-backend",
        default="moto-server",
        metavar="NAME",
        help=say(
            "SQS 在哪裡跑：moto-server（預設）、elasticmq 或網址",
            "where SQS runs: moto-server (default), elasticmq, or a URL",
        ),
    )
    parser.add_argument(
        "--output", default="queue-depth.png", metavar="PNG", help=say("輸出的 PNG", "the PNG to write")
    )
    parser.add_argument(
        "--seconds", type=float, default=Settings.seconds, help=say("每種 worker 數跑幾秒", "seconds per worker count")
    )
    args = parser.parse_args(argv)
    target = Path(args.kata_target)
    target = target if target.is_absolute() or target.is_dir() else PROJECT_ROOT / target
    try:
        series = run_on(args.sqs_backend, target, Settings(seconds=args.seconds))
    except LabError as error:
        print(str(error), file=sys.stderr)
        return 4
    output = plot(series, Path(args.output), Settings(seconds=args.seconds))
    for one in series:
        print(
            f"{one.label}: {say('最深', 'deepest')} {max(one.waiting, default=0)}, "
            f"{say('最後', 'last')} {one.waiting[-1] if one.waiting else 0}"
        )
    print(say(f"已寫入 {output}", f"wrote {output}"))
    return 0


def run_on(spec: str, target: Path, settings: Settings = Settings()) -> list[Series]:
    """Start the backend (a server: the workers are threads talking HTTP), run the lab, stop the backend."""
    from sqs_kata import backend_choice
    from sqs_kata.backends import BackendError

    if spec in ("moto", "aws"):
        raise LabError(
            say(
                "lab 需要一個伺服器：用 --sqs-backend moto-server 或 elasticmq。",
                "the lab needs a server: use --sqs-backend moto-server or elasticmq.",
            )
        )
    exercise = load_exercise(target)
    try:
        backend = backend_choice.create(spec)
        backend.start()
    except BackendError as error:
        raise LabError(str(error)) from None
    try:
        return run(backend.new_client(), exercise, settings)
    finally:
        backend.stop()


if __name__ == "__main__":
    sys.exit(main())
