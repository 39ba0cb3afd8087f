"""`sqs-kata new NN topic`: the files of a new exercise, from one definition (its reference solution).

    create(16, "fan_out") -> Scaffold: solutions/16_fan_out.py, exercises/16_fan_out.py (the stub, generated
    from the solution by sqs_kata.stubs), tests/test_16_fan_out.py, selftests/mistakes/e16_fan_out.py and a
    [[exercise]] entry appended to kata.toml

The scaffold is a small exercise that already works end to end (one function that sends a note and returns
its MessageId, one graded test, one wrong solution and one valid alternative), so that every check of
CONTRIBUTING.md passes from the start; the author then replaces it with the real exercise, check by check.
Every placeholder the author must rewrite says TODO.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqs_kata import PROJECT_ROOT, manifest
from sqs_kata.messages import say
from sqs_kata.stubs import stub_source

TOPIC = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
DEFAULT_POINTS = 5
DOCS = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html"


class ScaffoldError(ValueError):
    """Why the exercise cannot be made (one bilingual line)."""


@dataclass
class Scaffold:
    exercise: manifest.Exercise
    written: list[Path] = field(default_factory=list)  # every file written or changed, kata.toml last


def create(
    number: int, topic: str, *, points: int = DEFAULT_POINTS, part: int | None = None, root: Path = PROJECT_ROOT
) -> Scaffold:
    """Write the new exercise's files under `root`; nothing is written when any check fails."""
    topic = topic.strip().lower().replace("-", "_")
    if not TOPIC.fullmatch(topic):
        raise ScaffoldError(
            say(
                f"主題 {topic!r} 要用小寫英文字母、數字和底線，例如 fan_out。",
                f"the topic {topic!r} should be lowercase letters, digits and underscores, e.g. fan_out.",
            )
        )
    if not 1 <= number <= 99:
        raise ScaffoldError(say(f"練習編號 {number} 要在 1 到 99 之間。", f"the number {number} should be 1 to 99."))
    if points < 1:
        raise ScaffoldError(say("點數至少是 1。", "points should be at least 1."))
    existing = manifest.load(root / "kata.toml")
    if existing and number <= existing[-1].number:
        raise ScaffoldError(
            say(
                f"練習編號要大於最後一個練習（{existing[-1].number}）：新練習加在 kata.toml 的最後。",
                f"the number should come after the last exercise ({existing[-1].number}): a new "
                "exercise goes at the end of kata.toml.",
            )
        )
    last_part = existing[-1].part if existing else 1
    part = last_part if part is None else part
    if part < last_part:
        raise ScaffoldError(
            say(
                f"第 {part} 部分的練習要排在第 {last_part} 部分之前；新練習的 part 至少是 {last_part}。",
                f"part {part} comes before part {last_part}: a new exercise's part is at least {last_part}.",
            )
        )
    slug = f"{number:02d}_{topic}"
    title = topic.replace("_", " ")
    solution = _solution(number, title)
    files = {
        root / "solutions" / f"{slug}.py": solution,
        root / "exercises" / f"{slug}.py": stub_source(solution),
        root / "tests" / f"test_{slug}.py": _test(number, title),
        root / "selftests" / "mistakes" / f"e{slug}.py": _mistakes(number),
    }
    there = [path for path in files if path.exists()]
    if there:
        raise ScaffoldError(
            say(
                f"檔案已經存在：{', '.join(map(str, there))}",
                f"these files exist already: {', '.join(map(str, there))}",
            )
        )
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    toml = root / "kata.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.rstrip("\n") + "\n" + _entry(number, slug, title, points, part), encoding="utf-8")
    manifest.load.cache_clear()  # kata.toml changed: the next load reads it again
    exercise = manifest.Exercise(number, slug, points, {"zh-TW": f"TODO：{title}", "en": f"TODO: {title}"}, (), part)
    return Scaffold(exercise, [*files, toml])


def _solution(number: int, title: str) -> str:
    return f'''"""TODO: {title} -- what this exercise teaches, in two or three sentences a learner reads first.

The scaffold of `sqs-kata new`: one function that works, so that every check passes from the start.
Replace it with the exercise's real functions (typed, each with a docstring that is the learner's task).
AWS API: {DOCS}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the SQS API for editors: pip install 'types-boto3[sqs]' (not needed to run)
    from types_boto3_sqs import SQSClient


def send_note(sqs: SQSClient, queue_url: str, text: str) -> str:
    """Send `text` as one message to the queue; return the MessageId SQS gave it."""
    return sqs.send_message(QueueUrl=queue_url, MessageBody=text)["MessageId"]
'''


def _test(number: int, title: str) -> str:
    return f'''"""Exercise {number:02d} -- TODO: {title}. Every check reads the effect with the grader's own calls."""

from __future__ import annotations

from sqs_kata.checks import expect_equal
from sqs_kata.observe import bodies, receive_all, word


def test_send_note_puts_the_text_on_the_queue(sqs, kata, make_queue):
    url = make_queue()
    text = word("note")
    message_id = kata.send_note(sqs, url, text)
    got = receive_all(sqs, url, expect=1)
    expect_equal(bodies(got), [text], zh="佇列裡應該正好有一則訊息，內容是傳入的文字",
                 en="the queue should hold exactly one message, the text given")
    expect_equal(message_id, got[0]["MessageId"], zh="應該回傳 SQS 給這則訊息的 MessageId",
                 en="should return the MessageId SQS gave the message")
'''


def _mistakes(number: int) -> str:
    return f'''"""Exercise {number:02d}: realistic wrong solutions and valid alternatives (TODO: the exercise's own)."""

from mistakes import Valid, Wrong

WRONG = [
    Wrong("note-never-sent", "send_note", \'\'\'\\
import uuid


def send_note(sqs, queue_url, text):
    return str(uuid.uuid4())  # looks like a MessageId; nothing reaches the queue
\'\'\', "test_send_note_puts_the_text_on_the_queue", "the queue should hold exactly one message", "contract"),
]

VALID = [
    Valid("note-as-a-batch-of-one", "send_note", \'\'\'\\
def send_note(sqs, queue_url, text):
    answer = sqs.send_message_batch(QueueUrl=queue_url, Entries=[{{"Id": "note", "MessageBody": text}}])
    if answer.get("Failed"):
        raise RuntimeError(answer["Failed"][0]["Message"])
    return answer["Successful"][0]["MessageId"]
\'\'\', "SendMessageBatch with one entry sends the same message and answers its MessageId"),
]
'''


def _entry(number: int, slug: str, title: str, points: int, part: int) -> str:
    part_line = f"part = {part}\n" if part != 1 else ""
    return f'''
[[exercise]]
number = {number}
slug = "{slug}"
points = {points}
{part_line}title = {{ zh-TW = "TODO：{title}", en = "TODO: {title}" }}
[[exercise.hint]]
zh-TW = "TODO：第一個提示，只輕輕推一下。"
en = "TODO: the first hint, a gentle nudge."
[[exercise.hint]]
zh-TW = "TODO：最後一個提示，點名要用的 API。文件：{DOCS}"
en = "TODO: the last hint names the API to use. Docs: {DOCS}"
'''
