"""What the kata remembers between commands: how many hints of each exercise the learner has seen.

Kept in .sqs-kata/progress.json under the project (git-ignored: it is the learner's, not the kata's).
SQS_KATA_STATE=<file> puts it elsewhere (the selftests use a temporary file).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqs_kata import PROJECT_ROOT


def state_path() -> Path:
    override = os.environ.get("SQS_KATA_STATE")
    return Path(override) if override else PROJECT_ROOT / ".sqs-kata" / "progress.json"


class Progress:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or state_path()
        self.hints_shown = _hint_counts(_read(self.path))

    def shown(self, number: int) -> int:
        return self.hints_shown.get(str(number), 0)

    def reveal(self, number: int, available: int) -> int:
        """Count one more hint of exercise `number` as seen (at most `available`); return the count."""
        count = min(self.shown(number) + 1, available)
        self.hints_shown[str(number)] = count
        self.save()
        return count

    def at_least(self, number: int, count: int) -> None:
        if self.shown(number) < count:
            self.hints_shown[str(number)] = count
            self.save()

    def save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps({"hints_shown": self.hints_shown}, indent=1) + "\n", encoding="utf-8")
        except OSError:
            pass  # a read-only checkout still shows hints; it just cannot remember them


def _read(path: Path) -> object:
    """What the file holds, or None when there is nothing usable: missing, unreadable, not UTF-8 (a
    UnicodeDecodeError is a ValueError), not JSON, or nested too deep for the parser."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None


def _hint_counts(data: object) -> dict[str, int]:
    """The hint counts in `data`. The file is the learner's to edit or break, so any other shape counts
    as no file at all, and a count that is not a whole number >= 0 (null, 1e999 read as inf, -3, true,
    "2") is dropped: counting starts again there, and the next save writes the file clean."""
    shown = data.get("hints_shown") if isinstance(data, dict) else None
    if not isinstance(shown, dict):
        return {}
    return {
        str(number): count
        for number, count in shown.items()
        if isinstance(count, int) and not isinstance(count, bool) and count >= 0
    }
