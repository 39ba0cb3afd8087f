"""A class's submissions, one per student, as a folder of folders, .zip files and git repositories.

    SUBMISSIONS/
      王小明/              a folder: the student's repository (with exercises/) or just the NN_topic.py files
      chen-jia.zip         a zip of either
      lee/.git             a git repository: its committed HEAD is graded, not what is lying in its work tree

Each is unpacked into a folder of the grader's (never graded in place), and only its .py files and the grader
files (for the tamper check) are taken: a zip cannot write outside its folder, and a huge or bomb-like archive
is refused with a reason, costing only that student's row.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# A kata is a few hundred kilobytes; anything much bigger is not a submission of it.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_FILES = 5000
_NOT_COPIED = {".git", ".venv", "venv", "__pycache__", "node_modules", ".pytest_cache", "solutions"}


class SubmissionError(Exception):
    """Why a submission could not be unpacked: one line, which becomes its row's problem."""


@dataclass(frozen=True)
class Submission:
    student: str  # the name the gradebook shows: the folder or file name, without .zip
    source: Path
    kind: str  # "folder", "zip" or "git"


def discover(folder: Path) -> list[Submission]:
    """Every submission in `folder`, sorted by student name; hidden entries (.DS_Store, .git) are skipped."""
    found: list[Submission] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith(".") or path.name.startswith("__"):
            continue
        if path.is_dir():
            kind = "git" if (path / ".git").exists() else "folder"
            found.append(Submission(_student(path.name), path, kind))
        elif path.suffix.lower() == ".zip":
            found.append(Submission(_student(path.stem), path, "zip"))
    return found


def _student(name: str) -> str:
    # NFC: a name typed on macOS (decomposed) and on Windows (composed) must be the same student.
    return unicodedata.normalize("NFC", name).strip()


def unpack(submission: Submission, destination: Path) -> Path:
    """Copy or extract `submission` into `destination`; return the folder holding its NN_topic.py files."""
    destination.mkdir(parents=True, exist_ok=True)
    if submission.kind == "zip":
        _extract(submission.source, destination)
    elif submission.kind == "git":
        _checkout_head(submission.source, destination)
    else:
        _copy_tree(submission.source, destination)
    return exercises_folder(destination)


def exercises_folder(root: Path) -> Path:
    """Where the NN_topic.py files are: root/exercises, or root itself, or the one folder a zip wrapped them in."""
    for candidate in (root / "exercises", root):
        if candidate.is_dir() and _has_exercises(candidate):
            return candidate
    inner = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))]
    if len(inner) == 1:  # "student.zip" holding "student/exercises/..." (what zipping a folder gives)
        return exercises_folder(inner[0])
    return root / "exercises"  # not there: every exercise then fails with "the file ... does not exist"


def repository_root(exercises: Path) -> Path:
    """The student's repository folder (where tests/ and sqs_kata/ would be), for the tamper check."""
    return exercises.parent if exercises.name == "exercises" else exercises


def _has_exercises(folder: Path) -> bool:
    return any(p.suffix == ".py" and p.name[:2].isdigit() for p in folder.iterdir())


def _extract(archive: Path, destination: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = [m for m in zipped.infolist() if not m.is_dir()]
            if len(members) > MAX_FILES or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                raise SubmissionError(
                    f"the zip holds more than {MAX_FILES} files or "
                    f"{MAX_UNPACKED_BYTES // 2**20} MB unpacked: not a kata"
                )
            for member in members:
                relative = PurePosixPath(member.filename.replace("\\", "/"))
                if relative.is_absolute() or ".." in relative.parts:  # "zip slip": never outside its folder
                    raise SubmissionError(f"the zip names a path outside its folder: {member.filename}")
                if _NOT_COPIED & set(relative.parts):
                    continue
                target = destination.joinpath(*relative.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zipped.open(member) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise SubmissionError(f"the zip cannot be read: {error}") from None


def _checkout_head(repository: Path, destination: Path) -> None:
    """The committed HEAD, via `git archive` (no hooks run, nothing of the student's work tree is read)."""
    try:
        archive = subprocess.run(
            ["git", "-C", str(repository), "archive", "--format=tar", "HEAD"],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SubmissionError(f"git archive failed: {error}") from None
    if archive.returncode != 0:
        raise SubmissionError(
            "the git repository has no commit to grade: " + archive.stderr.decode("utf-8", "replace").strip()[:200]
        )
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and not _NOT_COPIED & set(PurePosixPath(m.name).parts)]
        tar.extractall(destination, members=members, filter="data")  # "data": no links, nothing outside


def _copy_tree(source: Path, destination: Path) -> None:
    total = 0
    count = 0
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if _NOT_COPIED & set(relative.parts) or path.is_symlink() or not path.is_file():
            continue  # a symlink could point anywhere: a submission is what is inside its folder
        count += 1
        total += path.stat().st_size
        if count > MAX_FILES or total > MAX_UNPACKED_BYTES:
            raise SubmissionError(
                f"the folder holds more than {MAX_FILES} files or {MAX_UNPACKED_BYTES // 2**20} MB: not a kata"
            )
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
