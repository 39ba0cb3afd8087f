"""Noticing a learner's file that uses the reference solution instead of its own code.

A learner can reach solutions/ in many ways: importlib.import_module("solutions.03_messages"),
importlib.util.spec_from_file_location, runpy.run_path, exec(open(...).read()), sys.path.insert then
an import, shutil.copy, a symlink... Matching the file's text would miss most of them and flag a
comment that merely says "solutions". Every one of them, though, ends in the interpreter *opening*,
compiling or executing a file under solutions/, and Python reports exactly that to audit hooks
(PEP 578): `open` (raised by open(), os.open and io.open_code, which the import system uses for .py
and .pyc files), `compile` and `exec` -- or, for a program started to read it (`cat`), `subprocess.Popen`
and `os.system`, whose command line names the file. So the plugin installs one audit hook (once per
process, armed for each run), and learner.py tells this module which learner file is running (while
it is imported or called):

    copying.arm(reference=root / "solutions", target=graded_folder)   # once per run (the plugin)
    with copying.running(learner_file): ...                            # learner.py, around its code
    copying.found[learner_file] -> "solutions/03_messages.py"           # what the plugin records

Audit hooks cannot be removed, and they see every audited event of the process (tens of thousands
per grade). Outside learner code the hook returns after one global lookup; grading solutions/ itself
never arms it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import source_from_cache
from pathlib import Path
from typing import Any

# The reference folder, as a realpath ending in os.sep; None when nothing is watched (grading solutions/).
_reference: str | None = None
_root: Path | None = None  # paths are shown relative to the project root: "solutions/03_messages.py"
# The learner file whose code runs now; None when the grader's own code runs (the hook's fast path).
_running: Path | None = None
# Learner file -> the first reference file its code touched (for the whole run: the learner's module is
# imported once and cached, so every later test of that exercise used the same copied code).
found: dict[Path, str] = {}
# Every spelling of the reference files seen opened (as given, made absolute, and resolved): a module whose
# __file__ is one of them came from the reference, whatever sys.path entry or symlink led to it.
_touched: set[str] = set()
_installed = False

# open: (path, mode, flags); compile: (source, filename); exec: (code,); a program started from learner
# code (`cat solutions/03_messages.py`) reads the file in another process: its command line names it.
_EVENTS = ("open", "compile", "exec", "subprocess.Popen", "os.system")


def arm(reference: Path, target: Path) -> None:
    """Watch learner code for `reference` (solutions/), unless the target graded *is* the reference."""
    global _reference, _root, _installed
    reference = Path(os.path.realpath(reference))
    target = Path(os.path.realpath(target))
    found.clear()
    _touched.clear()
    if target == reference or target.is_relative_to(reference):
        _reference = None  # the reference graded as itself: nothing it opens can be a copy
        return
    _reference = str(reference) + os.sep
    _root = reference.parent
    if not _installed:  # once per process: a second pytest session in it re-arms the same hook
        sys.addaudithook(_audit)
        _installed = True


def disarm() -> None:
    global _reference
    _reference = None


@contextmanager
def running(learner_file: Path) -> Iterator[None]:
    """Learner code from `learner_file` runs inside this block (its import, or a call into it)."""
    global _running
    outer = _running
    _running = learner_file
    try:
        yield
    finally:
        _running = outer
        if learner_file in found:
            _forget_reference_modules()


def _audit(event: str, args: tuple[Any, ...]) -> None:
    # Called for every audited event in the process: the first test must stay this cheap.
    if _running is None or _reference is None or event not in _EVENTS:
        return
    try:
        shown = next(filter(None, map(_under_reference, _paths_in(event, args))), None)
    except Exception:  # noqa: BLE001 -- an exception here would break the learner's open() or import
        return
    learner_file = _running
    if shown is not None and learner_file is not None:
        found.setdefault(learner_file, shown)


def _paths_in(event: str, args: tuple[Any, ...]) -> list[object]:
    """The file names an audited event carries."""
    if event == "open":
        return [args[0]]
    if event == "compile":
        return [args[1]]
    if event == "exec":
        return [getattr(args[0], "co_filename", None)]
    # subprocess.Popen: (executable, args, cwd, env); os.system: (command,). Words of the command line,
    # taken relative to the child's folder: a shell command ("sh -c 'cat x'") is one argument of many words.
    if event == "subprocess.Popen":
        argv, cwd = args[1], args[2]
    else:
        argv, cwd = args[0], None
    if isinstance(argv, (str, bytes, os.PathLike)):
        argv = [argv]
    words = [word.strip("'\"") for arg in argv for word in os.fsdecode(arg).split()]
    base = os.fsdecode(cwd) if cwd is not None else ""
    return [os.path.join(base, word) for word in words]


def _under_reference(path: object) -> str | None:
    """'solutions/03_messages.py' when `path` names a file under the reference folder, else None."""
    if _reference is None or isinstance(path, int) or path is None:
        return None  # an already open file descriptor (os.fdopen) was checked when it was opened
    if not isinstance(path, (str, bytes, os.PathLike)):
        return None  # what os.fsdecode would refuse
    text = os.fsdecode(path)
    if text.startswith("<"):  # "<string>", "<frozen runpy>": code with no file behind it
        return None
    # realpath: relative to the current folder, and through symlinks (a learner folder of links to solutions/).
    try:
        real = os.path.realpath(text)
    except (OSError, ValueError):  # a name with a NUL byte, say: no file can have it
        return None
    if not real.startswith(_reference):
        return None
    spellings = {os.path.abspath(text), real}
    _touched.update(spellings | {_source_of(spelling) for spelling in spellings})
    assert _root is not None
    return Path(_source_of(real)).relative_to(_root).as_posix()


def _source_of(path: str) -> str:
    """The .py file a cached .pyc stands for; any other path as it is."""
    if f"{os.sep}__pycache__{os.sep}" in path:
        try:
            return source_from_cache(path)
        except ValueError:
            pass
    return path


def _forget_reference_modules() -> None:
    """Drop reference modules from sys.modules, so that the next learner file importing one loads it
    again -- and is seen doing so -- instead of getting the cached module without any file being opened.

    Runs after learner code that was flagged, over every module: string checks only, no file system calls.
    """
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if isinstance(file, str) and (file in _touched or os.path.abspath(file) in _touched):
            del sys.modules[name]
