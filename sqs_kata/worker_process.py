"""The learner's worker as an OS process of its own, for the crash-recovery test (exercise 20).

    python -m sqs_kata.worker_process CONFIG.json      # started by sqs_kata.worker_lab, never by hand

The grader (sqs_kata.worker_lab) starts this with the pinned environment (throwaway credentials, the loopback
endpoints of SQS and DynamoDB and nothing else), in a process group of its own so it can SIGKILL it. Here:

- the learner's function (run_worker) gets an SQS client carrying the realism layer (duplicates included: a
  standard queue delivers at least once), a DynamoDB client, and the grader's handler;
- the handler's effect is one line appended to the effects file (the grader reads it), and the poison body
  always raises; with `block_after` set, the handler stops right after its n-th effect and waits to be killed
  -- the worker dies mid-batch, after an effect and before it could finish the message;
- whatever ends the learner's call (an exception, a stub, returning at all) is written as ONE learner message
  (sqs_kata.learner's words) to the fault file, and the process exits with FAULT_EXIT.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

FAULT_EXIT = 3


class Effects:
    """The grader's handler: record the effect, refuse the poison, and (once) stop to be killed."""

    def __init__(self, effects: Path, poison: str, block_after: int | None, blocked: Path) -> None:
        self.effects = effects
        self.poison = poison
        self.block_after = block_after
        self.blocked = blocked
        self.done = 0

    def __call__(self, body: str) -> None:
        if body == self.poison:
            raise ValueError(f"cannot process {body!r}: this message is poison")
        # One write of one line to a file opened for appending: whole lines, whichever process wrote them.
        with open(self.effects, "a", encoding="utf-8") as out:
            out.write(body + "\n")
        self.done += 1
        if self.block_after is not None and self.done == self.block_after:
            self.blocked.write_text(str(os.getpid()), encoding="utf-8")
            while True:  # the effect is done; the grader SIGKILLs this process before it can finish the message
                time.sleep(60)


def _note_receives(sqs: Any, path: Path) -> None:
    """Append what each new kind of ReceiveMessage asked for ("MaxNumberOfMessages WaitTimeSeconds") to `path`,
    at once: the process may be killed at any instant."""
    seen: set[str] = set()

    def note(params: dict[str, Any], **_: Any) -> None:
        asked = f"{params.get('MaxNumberOfMessages', 1)} {params.get('WaitTimeSeconds', '-')}"
        if asked not in seen:
            seen.add(asked)
            with open(path, "a", encoding="utf-8") as out:
                out.write(asked + "\n")

    sqs.meta.events.register_first("provide-client-params.sqs.ReceiveMessage", note)


def run(config: dict[str, Any]) -> tuple[str, str | None]:
    """Call the learner's worker; return the learner message for however it ended (it should never end), and the
    function's name when it ended as a stub does (learner.NotImplementedYet: verify reads that, not the words)."""
    import pytest

    from sqs_kata import adoption, learner, messages, realism
    from sqs_kata.backends import CLIENT_CONFIG, make_session
    from sqs_kata.dynamodb import DYNAMODB_CONFIG

    messages.set_language(config["lang"])
    adoption.install()  # a client the learner's worker builds itself is watched like `sqs` (as in the test process)
    with adoption.grader():
        session = make_session()
        sqs = session.client("sqs", endpoint_url=os.environ["AWS_ENDPOINT_URL_SQS"], config=CLIENT_CONFIG)
    _note_receives(sqs, Path(config["receives"]))  # first: the parameters as the learner passed them
    realism.Layer(sqs, seed=config["seed"], realistic=True, in_learner_call=lambda: True, duplicates=True).install()
    adoption.begin(sqs)
    dynamodb = session.client("dynamodb", endpoint_url=os.environ["AWS_ENDPOINT_URL_DYNAMODB"], config=DYNAMODB_CONFIG)
    handle = Effects(Path(config["effects"]), config["poison"], config["block_after"], Path(config["blocked"]))
    module = learner.LearnerModule(Path(config["file"]), config["exercise"])
    try:
        worker = getattr(module, config["function"])
        worker(sqs, config["queue_url"], dynamodb, config["table"], handle, config["wait_seconds"])
    except learner.NotImplementedYet as unfinished:
        return str(unfinished.msg), unfinished.function
    except pytest.fail.Exception as failed:  # learner's words for an exception, sys.exit
        return str(failed.msg), None
    return messages.say(
        f"{config['function']}() 回傳了，但 worker 應該一直輪詢下去，直到被停止（程序被結束）。",
        f"{config['function']}() returned, but a worker keeps polling until it is stopped (its process ended).",
    ), None


def _end_with_the_grader() -> None:
    """The grader kills its workers when a test ends, fails or times out; if the grader itself is killed, no
    `finally` of its runs, so the worker watches it and ends too (nothing left behind)."""
    grader = os.getppid()

    def watch() -> None:
        while os.getppid() == grader:
            time.sleep(0.5)
        os._exit(FAULT_EXIT)

    threading.Thread(target=watch, daemon=True).start()


def main(argv: list[str]) -> int:
    _end_with_the_grader()
    config = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    message, unfinished = run(config)
    if unfinished:  # before the fault file: the grader reads both once the fault file is there
        Path(config["fault"] + ".not_implemented").write_text(unfinished, encoding="utf-8")
    Path(config["fault"]).write_text(message, encoding="utf-8")
    return FAULT_EXIT


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
