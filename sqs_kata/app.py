"""What every sqs-kata command shares: the Kata object (curriculum, pytest switches, consoles), exit codes, KataExit.

Used by the command line (sqs_kata.cli) and by the watcher (sqs_kata.watching), which the CLI starts.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from rich.console import Console
from rich.text import Text

from sqs_kata import PROJECT_ROOT, board, manifest, runner
from sqs_kata.manifest import Exercise
from sqs_kata.messages import say
from sqs_kata.results import ExerciseResult, summarize

# Exit codes: 0 all good, 1 tests fail, 2 the command was used wrongly, 3+ pytest could not grade
# (pytest's own code is passed on: 3 a backend did not start, 4 a bad option).
OK, FAILING, USAGE, CANNOT_RUN = 0, 1, 2, 3
INTERRUPTED = 130


class KataExit(Exception):
    """Ends the command with exit code `code`: raised anywhere in the CLI, caught once (sqs_kata.cli.main), which
    prints `message` on stderr first, if there is one (in `style`, through rich, when one is given)."""

    def __init__(self, code: int, message: str | None = None, *, style: str = "") -> None:
        super().__init__(message or f"exit code {code}")
        self.code = code
        self.message = message
        self.style = style


class Kata:
    """What every command needs: the curriculum, the pytest switches, and where to print."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.options = runner.RunOptions(
            backends=getattr(args, "sqs_backend", None),
            target=getattr(args, "kata_target", None),
            lang=getattr(args, "lang", None),
            timeout=getattr(args, "timeout", None),
        )
        self.out = Console(highlight=False)
        self.err = Console(stderr=True, highlight=False)
        self.exercises = manifest.load()

    def exercise(self, number: int) -> Exercise | None:
        return manifest.by_number(number)

    def written(self, exercise: Exercise) -> bool:
        return (PROJECT_ROOT / exercise.test_file).is_file()

    def test_files(self, exercises: Sequence[Exercise]) -> list[str]:
        """The test files of `exercises` that exist, the teacher's hidden tests included (a student edition has none)."""
        return [
            file for e in exercises for file in (e.test_file, e.hidden_test_file) if (PROJECT_ROOT / file).is_file()
        ]

    def run(
        self, exercises: Sequence[Exercise] | None = None, *, echo: bool = False, extra: Sequence[str] = ()
    ) -> tuple[runner.Run, list[ExerciseResult]]:
        """Grade `exercises` (default: all); with `echo`, the learner sees pytest's messages as they come."""
        chosen = list(exercises or self.exercises)
        files = self.test_files([e for e in chosen if self.written(e)])
        if not files:
            outcome = runner.Run(5, [], "", "")
        elif echo:
            outcome = self._end_line(runner.run(files, self.options, extra=extra, **self._echoing()))
        else:
            with self.err.status(say("執行測試中…", "running the tests…")):
                outcome = runner.run(files, self.options, extra=extra)
        return outcome, summarize(outcome.records, chosen, PROJECT_ROOT)

    def ready(self, exercise: Exercise) -> runner.Ready | None:
        """`exercise`'s run made ready before its file is saved (see runner.Ready), where that is possible."""
        files = self.test_files([exercise]) if self.written(exercise) else []
        if not files or not runner.Ready.possible(self.options):
            return None
        return runner.Ready(files, self.options, **self._echoing())

    def go(self, ready: runner.Ready, exercise: Exercise) -> tuple[runner.Run, list[ExerciseResult]]:
        """Grade `exercise` with the run made ready for it: what run([exercise], echo=True) gives."""
        outcome = self._end_line(ready.go())
        return outcome, summarize(outcome.records, [exercise], PROJECT_ROOT)

    def _echoing(self) -> dict[str, Any]:
        """How a run passes pytest's output on to the learner as it comes."""
        terminal = self.out.is_terminal
        return {"echo": self._echo, "color": terminal, "columns": self.out.width if terminal else None}

    def _end_line(self, outcome: runner.Run) -> runner.Run:
        if outcome.output and not outcome.output.endswith("\n"):
            self._echo("\n")  # a process that ended mid-line (os._exit after the progress dots)
        return outcome

    def run_both(self) -> tuple[tuple[runner.Run, list[ExerciseResult]], tuple[runner.Run, list[ExerciseResult]]]:
        """The whole kata on the solutions and on the stubs at once: two pytest processes, one per core."""
        files = self.test_files([e for e in self.exercises if self.written(e)])
        with self.err.status(say("執行測試中…", "running the tests…")), ThreadPoolExecutor(max_workers=2) as pool:
            runs = [
                pool.submit(runner.run, files, self.options.with_target(target)) if files else None
                for target in ("solutions", "exercises")
            ]
            outcomes = [run.result() if run else runner.Run(5, [], "", "") for run in runs]
        solved, stubs = (summarize(o.records, self.exercises, PROJECT_ROOT) for o in outcomes)
        return (outcomes[0], solved), (outcomes[1], stubs)

    def _echo(self, text: str) -> None:
        self.out.file.write(text)
        self.out.file.flush()

    def cannot_run(self, outcome: runner.Run) -> int:
        """Show why pytest could not grade (one message and a hint), and pick the exit code."""
        from sqs_kata import backend_names

        if backend_names.live(self.options.backends):
            hint = say(
                "想先不用伺服器練習？內建的 moto 不需要 Docker 也不需要 Java：`sqs-kata --sqs-backend moto`",
                "No server at hand? The built-in moto needs neither Docker nor Java: `sqs-kata --sqs-backend moto`",
            )
        elif outcome.returncode == 4:
            hint = say("`sqs-kata --help` 列出所有選項。", "`sqs-kata --help` lists every option.")
        else:
            hint = say(
                "上面是 pytest 最後幾行輸出；直接執行 `pytest` 可以看到全部。",
                "Those are pytest's last lines; run `pytest` directly to see everything.",
            )
        board.problem(self.err, outcome.problem or "", hint)
        return outcome.returncode if outcome.returncode not in (OK, FAILING) else CANNOT_RUN

    def ended(self, outcome: runner.Run) -> bool:
        """Say that learner code ended the grading process part-way (os._exit), if it did."""
        if outcome.ended:
            board.ended(self.out, outcome.ended)
        return outcome.ended is not None

    def say_line(self, zh: str, en: str, style: str = "") -> None:
        self.out.print(Text(say(zh, en), style=style))


def first_unfinished(results: Sequence[ExerciseResult]) -> ExerciseResult | None:
    """The first exercise whose tests exist and do not all pass."""
    return next((r for r in results if r.written and not r.done), None)
