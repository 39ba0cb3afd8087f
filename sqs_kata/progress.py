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
        self.hints_shown: dict[str, int] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.hints_shown = {str(k): int(v) for k, v in data.get("hints_shown", {}).items()}
        except (OSError, ValueError, AttributeError):
            pass  # no state yet, or a file the learner broke: start again rather than crash

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
