"""sqs-kata export --student DIR: the repository a class gets.

It holds what a learner works with (exercises/, the graded tests, the plugin, the READMEs) and nothing that
gives answers or decides the grade behind their back: no solutions/, no hidden tests, no selftests or mutation
scripts (they read solutions/). Its workflow (.github/workflows/sqs-kata.yml, from
classroom/sqs-kata.yml, filled in) grades with the teacher's kata at a pinned commit, and `.sqs-kata-grader.json`
records the fingerprints of the grader it was made with.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqs_kata import PROJECT_ROOT, manifest
from sqs_kata.classroom import grader_lock

WORKFLOW_TEMPLATE = PROJECT_ROOT / "classroom" / "sqs-kata.yml"
WORKFLOW_PATH = Path(".github/workflows/sqs-kata.yml")
# Paths (relative, posix) a student edition leaves out: answers, the teacher's tests, and what only the kata's
# own developers use.
LEFT_OUT = (
    "solutions/",
    manifest.HIDDEN_FOLDER + "/",
    "selftests/",
    "scripts/",
    ".ci/",
    "classroom/",
    "CONTRIBUTING.md",
)
_REPOSITORY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+")


class ExportError(Exception):
    """Why no student edition was written (one line, in the learner's language)."""


@dataclass
class Edition:
    folder: Path
    files: int
    repository: str
    ref: str


def export(
    destination: Path, *, repository: str | None = None, ref: str | None = None, root: Path = PROJECT_ROOT
) -> Edition:
    """Write the student edition of the kata at `root` into `destination` (new or empty)."""
    from sqs_kata.messages import say

    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise ExportError(
            say(
                f"{destination} 已存在而且不是空的資料夾：請給一個新的資料夾。",
                f"{destination} exists and is not an empty folder: give a new one.",
            )
        )
    if destination.resolve().is_relative_to(root.resolve()):
        raise ExportError(
            say(
                f"{destination} 在 kata 裡面：請放在 kata 以外的地方。",
                f"{destination} is inside the kata: put it somewhere outside.",
            )
        )
    repository = repository or _origin_repository(root) or "OWNER/sqs-kata"
    if not _REPOSITORY.fullmatch(repository):
        raise ExportError(
            say(
                f"--teacher-repo {repository!r} 應該寫成 owner/name。",
                f"--teacher-repo {repository!r} should read owner/name.",
            )
        )
    ref = ref or _git(root, "rev-parse", "HEAD") or "main"
    files = [name for name in _tracked(root) if not name.startswith(LEFT_OUT) and name not in LEFT_OUT]
    for name in files:
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    workflow = WORKFLOW_TEMPLATE.read_text(encoding="utf-8")
    workflow = workflow.replace("{{TEACHER_REPOSITORY}}", repository).replace("{{TEACHER_REF}}", ref)
    (destination / WORKFLOW_PATH).parent.mkdir(parents=True, exist_ok=True)
    (destination / WORKFLOW_PATH).write_text(workflow, encoding="utf-8")
    grader_lock.write_lock(destination, grader_lock.fingerprint(root), repository=repository, ref=ref)
    return Edition(destination, len(files) + 2, repository, ref)


def _tracked(root: Path) -> list[str]:
    """The kata's files: what git tracks, or (no git) every file but caches, virtualenvs and reports."""
    listed = _git(root, "ls-files", "-z")
    if listed is not None:
        return [name for name in listed.split("\0") if name and (root / name).is_file()]
    skipped = {".git", ".venv", "__pycache__", ".pytest_cache", "out", ".sqs-kata", "sqs_kata.egg-info"}
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and not skipped & set(path.relative_to(root).parts)
    )


def _origin_repository(root: Path) -> str | None:
    url = _git(root, "remote", "get-url", "origin") or ""
    found = re.search(r"github\.com[:/]([^/]+/[^/]+?)(?:\.git)?/?$", url.strip())
    return found.group(1) if found else None


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None
