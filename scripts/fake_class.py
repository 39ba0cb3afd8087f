"""A generated class of submissions, every kind a teacher meets, for trying and measuring `sqs-kata class grade`.

    python scripts/fake_class.py OUT --count 60            write OUT/<student>... (folders, .zip, git repositories)
    python scripts/fake_class.py OUT --count 60 --grade    ... then grade them (scripts/class_benchmark.py reports)

Kinds (cycled in this order, so any count of at least len(KINDS) has each):

    reference   the reference solutions, as a student repository folder                     full marks
    stubs       the untouched stubs, zipped                                                  0
    partial     exercises 01-05 solved, the rest stubs, as a git repository                  points of 01-05
    crashing    exercise 15 calls os._exit(3) when imported                                  all but 15
    hanging     exercise 14's functions loop forever                                         all but 14
    hostile     exercise 02 deletes and purges every queue it can list, writes outside its folder, floods output
    copied      the reference with every local name renamed                                  full marks, flagged
    syntax      exercise 03 does not compile                                                 all but 03
    tampered    the stubs, with the student's copy of the tests edited to pass               0, tampering reported

Student names mix Chinese and Latin letters (the gradebook must keep them).
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqs_kata import manifest  # noqa: E402

KINDS = ("reference", "stubs", "partial", "crashing", "hanging", "hostile", "copied", "syntax", "tampered")
SURNAMES = ("王", "陳", "林", "張", "李", "Chen", "Lin", "黃", "吳", "劉")

HOSTILE_DELETE = """
def delete_queue(sqs, name):
    import os, pathlib
    # Hostile: take every queue this client can list with it, try the server's whole list, write outside.
    for url in sqs.list_queues().get("QueueUrls", []):
        try:
            sqs.purge_queue(QueueUrl=url)
        except Exception:
            pass
        try:
            sqs.delete_queue(QueueUrl=url)
        except Exception:
            pass
    for target in (pathlib.Path.home().parent.parent / "HOSTILE-WAS-HERE", pathlib.Path("/tmp/sqs-kata-hostile"),
                   pathlib.Path.cwd() / "HOSTILE-WAS-HERE"):
        try:
            target.write_text("pwned")
        except OSError:
            pass
    print("x" * 2_000_000)
    try:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        return False
    sqs.delete_queue(QueueUrl=url)
    return True
"""


def student_name(index: int, kind: str) -> str:
    return f"{SURNAMES[index % len(SURNAMES)]}{index:02d}-{kind}"


def _solutions() -> dict[str, str]:
    return {
        e.filename: (ROOT / "solutions" / e.filename).read_text(encoding="utf-8")
        for e in manifest.load()
        if (ROOT / "solutions" / e.filename).is_file()
    }


def _stubs() -> dict[str, str]:
    return {
        e.filename: (ROOT / "exercises" / e.filename).read_text(encoding="utf-8")
        for e in manifest.load()
        if (ROOT / "exercises" / e.filename).is_file()
    }


def _file_of(number: int) -> str:
    exercise = manifest.by_number(number)
    assert exercise is not None
    return exercise.filename


def _replace_functions(source: str, make: Callable[[ast.FunctionDef], str | None]) -> str:
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    for node in sorted((n for n in tree.body if isinstance(n, ast.FunctionDef)), key=lambda n: -n.lineno):
        new = make(node)
        if new is not None:
            lines[node.lineno - 1 : node.end_lineno] = [new]
    return "".join(lines)


def _renamed(source: str) -> str:
    """Every local name and argument renamed (what a student hiding a copy does)."""

    class Renamer(ast.NodeTransformer):
        def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
            # Local variables only: arguments keep their names (tests may pass them by keyword).
            local = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            for n in ast.walk(node):
                if isinstance(n, ast.Name) and n.id in local:
                    n.id = "my_" + n.id
            return node

    return ast.unparse(Renamer().visit(ast.parse(source))) + "\n"


def files_of(kind: str) -> dict[str, str]:
    """exercises/<file> -> text for one submission of `kind`."""
    solved, stubs = _solutions(), _stubs()
    if kind in ("stubs", "tampered"):
        return stubs
    if kind == "partial":
        first_five = {_file_of(n) for n in range(1, 6)}
        return {name: solved[name] if name in first_five else text for name, text in stubs.items()}
    files = dict(solved)
    if kind == "crashing":
        files[_file_of(15)] += "\nimport os\n\nos._exit(3)  # ends the grading process when imported\n"
    elif kind == "hanging":
        files[_file_of(14)] = _replace_functions(
            files[_file_of(14)], lambda node: f"def {node.name}(*args, **kwargs):\n    while True:\n        pass\n"
        )
    elif kind == "hostile":
        files[_file_of(2)] = _replace_functions(
            files[_file_of(2)], lambda node: HOSTILE_DELETE.lstrip("\n") if node.name == "delete_queue" else None
        )
    elif kind == "copied":
        files = {name: _renamed(text) for name, text in files.items()}
    elif kind == "syntax":
        files[_file_of(3)] += "\ndef half_written(sqs:\n"
    return files


def write_submission(out: Path, index: int, kind: str) -> Path:
    name = student_name(index, kind)
    folder = out / name
    exercises = folder / "exercises"
    exercises.mkdir(parents=True)
    for file, text in files_of(kind).items():
        (exercises / file).write_text(text, encoding="utf-8")
    if kind == "tampered":  # the student's copy of the grader, edited so every test passes
        shutil.copytree(ROOT / "tests", folder / "tests", ignore=shutil.ignore_patterns("__pycache__", "hidden"))
        shutil.copytree(ROOT / "sqs_kata", folder / "sqs_kata", ignore=shutil.ignore_patterns("__pycache__"))
        for name in ("kata.toml", "conftest.py", "pyproject.toml"):
            shutil.copy(ROOT / name, folder / name)
        test = folder / "tests" / "test_02_queues.py"
        test.write_text("def test_everything_passes():\n    assert True\n", encoding="utf-8")
    if kind == "stubs":
        archive = out / f"{name}.zip"
        with zipfile.ZipFile(archive, "w") as zipped:
            for path in sorted(folder.rglob("*")):
                zipped.write(path, path.relative_to(out).as_posix())
        shutil.rmtree(folder)
        return archive
    if kind == "partial":
        git = ["git", "-C", str(folder), "-c", "user.name=student", "-c", "user.email=student@example.invalid"]
        subprocess.run([*git[:3], "init", "-q"], check=True)
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "my work"], check=True)
    return folder


def make_class(out: Path, count: int, kinds: tuple[str, ...] = KINDS) -> list[tuple[str, str]]:
    """Write `count` submissions into `out`, kinds cycled; returns (student, kind) pairs."""
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        write_submission(out, index, kind)
        made.append((student_name(index, kind), kind))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=len(KINDS))
    args = parser.parse_args()
    made = make_class(args.out, args.count)
    print(f"wrote {len(made)} submissions into {args.out}")


if __name__ == "__main__":
    main()
