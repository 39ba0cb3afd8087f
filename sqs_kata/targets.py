"""What a run grades: exercises/ (default), solutions/, or a folder of NN_topic.py files.

Kept apart from `learner` (which loads and calls the code inside pytest) so that the CLI can name a
target without importing pytest.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqs_kata import PROJECT_ROOT

TARGETS = ("exercises", "solutions")


def target_spec(spec: str | None) -> str:
    """What to grade, as given: --kata-target, else SQS_KATA_TARGET, else 'exercises'."""
    return spec or os.environ.get("SQS_KATA_TARGET") or "exercises"


def target_path(spec: str | None, rootdir: Path = PROJECT_ROOT) -> Path:
    """'exercises' (default), 'solutions', or a folder holding NN_topic.py files (a student's copy)."""
    spec = target_spec(spec)
    return rootdir / spec if spec in TARGETS else Path(spec).expanduser().resolve()
