"""`sqs-kata watch`: re-run the exercise being worked on whenever a file of the kata target is saved.

The exercise being worked on is the first unfinished one; saving exercises/NN_topic.py switches to
exercise NN. When it passes, the whole kata runs once more to find the next one, or to say that all
exercises pass. Ctrl-C ends it cleanly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text

from sqs_kata import backend_names, board, manifest, warm
from sqs_kata.manifest import Exercise
from sqs_kata.messages import say
from sqs_kata.results import ExerciseResult

if TYPE_CHECKING:
    from sqs_kata.app import Kata
    from sqs_kata.runner import Ready, Run

# Milliseconds of quiet after a save before the run starts: editors write a file in several steps.
DEBOUNCE_MS = 300
WAKE_MS = 250


def watch(kata: Kata, max_runs: int | None = None) -> int:
    import watchfiles

    from sqs_kata.app import CANNOT_RUN, FAILING, OK

    folder = kata.options.target_folder()
    if not folder.is_dir():
        kata.err.print(
            Text(say(f"找不到要監看的資料夾 {folder}", f"There is no folder {folder} to watch."), style="red")
        )
        return CANNOT_RUN
    runs = 0
    saves = None
    ready: _Ready | None = None  # the run of the exercise worked on, made ready for its next save
    saved: Exercise | None = None
    # Every run, the first included, is a fork of this process with pytest, boto3 and moto imported once
    # (sqs_kata.warm): a save is graded without starting Python again.
    warm.preload(moto=not backend_names.live(kata.options.backends))
    try:
        outcome, results = kata.run()
        runs += 1
        if outcome.problem:
            return kata.cannot_run(outcome)
        current = _report(kata, outcome, results)
        # One watcher for the whole session, so a save made while the tests run is not lost. It yields
        # an empty set every WAKE_MS: the first one tells that it is listening.
        saves = watchfiles.watch(
            folder,
            watch_filter=watchfiles.PythonFilter(),
            debounce=DEBOUNCE_MS,
            rust_timeout=WAKE_MS,
            yield_on_timeout=True,
        )
        changes = next(saves)
        while max_runs is None or runs < max_runs:
            # The next save is most likely of the exercise worked on (or, all done, of the one saved last).
            ready = _ready_for(kata, current or saved, ready)
            kata.say_line(
                f"👀 監看 {folder} 中：存檔就會重跑測試。按 Ctrl-C 結束。",
                f"👀 Watching {folder}: save a file to re-run the tests. Ctrl-C to stop.",
                "dim",
            )
            while not changes:
                changes = next(saves)
            saved = _saved_exercise(changes)
            exercise = saved or current
            changes = set()
            runs += 1
            if ready is not None and ready.exercise != exercise:
                _cancel(ready)  # before any other run: a fork made now would hold its gate open
                ready = None
            if exercise is None:  # everything passed and an unrelated file changed: look at it all again
                outcome, results = kata.run()
            else:
                kata.out.rule(Text(f"{exercise.number:02d} · {board.title(exercise)}"), align="left")
                if ready is not None:
                    outcome, [result] = kata.go(ready.run, exercise)
                    ready = None
                else:
                    outcome, [result] = kata.run([exercise], echo=True)
                if not outcome.problem:
                    if not kata.ended(outcome):
                        board.verdict(kata.out, result, point_onwards=False)
                    if not result.done:
                        current = exercise
                        continue
                    outcome, results = kata.run()
            if outcome.problem:
                kata.cannot_run(outcome)
                continue
            current = _report(kata, outcome, results)
    except KeyboardInterrupt:
        kata.say_line("👋 結束監看。", "👋 Stopped watching.")
        return OK
    finally:
        _cancel(ready)
        if saves is not None:
            saves.close()
    return OK if current is None else FAILING


class _Ready(NamedTuple):
    exercise: Exercise
    run: Ready


def _ready_for(kata: Kata, exercise: Exercise | None, ready: _Ready | None) -> _Ready | None:
    """The run made ready for `exercise`'s next save: `ready` if it is for it, else a new one (or None)."""
    if ready is not None and ready.exercise == exercise:
        return ready
    _cancel(ready)
    if exercise is None:
        return None
    made = kata.ready(exercise)
    return _Ready(exercise, made) if made is not None else None


def _cancel(ready: _Ready | None) -> None:
    if ready is not None:
        ready.run.cancel()


def _saved_exercise(changes: Iterable[tuple[object, str]]) -> Exercise | None:
    """The exercise whose file was saved (NN_topic.py), if any."""
    for _, path in sorted(changes, key=lambda change: change[1]):
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        exercise = manifest.by_slug(name.removesuffix(".py"))
        if exercise is not None:
            return exercise
    return None


def _report(kata: Kata, outcome: Run, results: list[ExerciseResult]) -> Exercise | None:
    """Say what to work on now (with its first failure), or that all exercises pass; when learner code
    ended the run, say that instead, and work on the exercise it happened in."""
    from sqs_kata.app import first_unfinished

    if kata.ended(outcome):
        current = next((r for r in results if r.ended_the_run), None) or first_unfinished(results)
        return current.exercise if current else None
    current = first_unfinished(results)
    if current is None:
        board.all_pass(kata.out, results)
        return None
    exercise = current.exercise
    kata.say_line(
        f"▶ 現在做：練習 {exercise.number:02d} · {board.title(exercise)}（{current.total} 個測試通過 {current.passed} 個）",
        f"▶ Now: exercise {exercise.number:02d} · {board.title(exercise)} "
        f"({current.passed} of {current.total} tests pass)",
        "bold",
    )
    failure = current.first_failure
    if failure is not None:
        kata.out.print(Text(failure["nodeid"].split("::", 1)[-1], style="red"))
        kata.out.print(Text("  " + failure["message"].strip().replace("\n", "\n  ")))
    return exercise
