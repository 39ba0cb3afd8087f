"""What decides a grade, fingerprinted: a student's copy of the grader is compared with the teacher's, never trusted.

A class repository holds the kata's tests and plugin (students run them while they work), and a student can
edit them. The grade of record is always computed with the TEACHER's copy (`sqs-kata class grade`, or the
workflow's pinned checkout of the teacher's kata); this module says which grader files a student's copy
changed, so the change is reported beside the grade.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqs_kata import PROJECT_ROOT, manifest

LOCK_FILE = ".sqs-kata-grader.json"  # written into a student edition: the fingerprints it was made with
_SINGLE_FILES = ("kata.toml", "conftest.py", "pyproject.toml")
_FOLDERS = ("tests", "sqs_kata")
_SKIPPED_PARTS = {"__pycache__", ".pytest_cache"}


def grader_files(root: Path) -> list[Path]:
    """The files that decide a grade, relative to `root` (hidden tests excluded: a student edition has none)."""
    found = [Path(name) for name in _SINGLE_FILES if (root / name).is_file()]
    hidden = Path(manifest.HIDDEN_FOLDER)
    for folder in _FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            relative = path.relative_to(root)
            if not path.is_file() or _SKIPPED_PARTS & set(relative.parts) or path.suffix == ".pyc":
                continue
            if relative.is_relative_to(hidden):
                continue
            found.append(relative)
    return found


def fingerprint(root: Path = PROJECT_ROOT) -> dict[str, str]:
    """relative path (posix) -> sha256 of its bytes."""
    return {path.as_posix(): hashlib.sha256((root / path).read_bytes()).hexdigest() for path in grader_files(root)}


def changes(expected: dict[str, str], root: Path) -> list[str]:
    """The grader files under `root` that differ from `expected`: 'changed tests/x.py', 'missing …', 'added …'.

    Only the folders and files a student edition carries are compared: a submission that holds just exercises/
    (a zip of the folder) has no grader to tamper with and shows no change.
    """
    if not any((root / name).exists() for name in (*_FOLDERS, *_SINGLE_FILES)):
        return []
    actual = fingerprint(root)
    found = [f"changed {path}" for path in sorted(expected) if path in actual and actual[path] != expected[path]]
    found += [
        f"missing {path}" for path in sorted(expected) if path not in actual and (root / Path(path).parts[0]).exists()
    ]  # a folder left out entirely is not a tamper
    found += [f"added {path}" for path in sorted(actual) if path not in expected]
    return found


def write_lock(destination: Path, expected: dict[str, str], *, repository: str, ref: str) -> Path:
    path = destination / LOCK_FILE
    data = {"teacher_repository": repository, "teacher_ref": ref, "files": expected}
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path
