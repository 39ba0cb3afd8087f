"""Realistic wrong solutions and valid alternatives, one module per exercise (e01_course_mission.py, ...).

Each module defines two lists:

    WRONG = [Wrong(id, function, source, catches, says, kind), ...]   # each must fail the test it names
    VALID = [Valid(id, function, source, why), ...]                   # each must pass every test, on every backend

`source` replaces the reference definition of `function` in a copy of solutions/ (it may define helpers
or imports above the function). `kind` names the class of mistake it stands for:

    kinder      leans on an emulator's kindness (order, short polls, one delivery, handle format, validation)
    errors      mishandles an error SQS can answer with (throttling, access denied, per-entry failures)
    crash       wrong order of side effects when the worker dies (delete before handling, delete at the end)
    edge        breaks on an edge value (0, negative, custom types, a name that looks like another)
    contract    ignores a parameter or keeps state across calls (hard-coded wait, module-level counter)
    cost        works, but makes SQS bill more requests than it needs (one by one, short polls, empty receives)
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

KINDS = ("kinder", "errors", "crash", "edge", "contract", "cost")


@dataclass(frozen=True)
class Wrong:
    id: str
    function: str
    source: str
    catches: str  # the graded test that must fail
    says: str  # part of that test's English message for this mistake
    kind: str

    def __post_init__(self) -> None:
        assert self.kind in KINDS, f"{self.id}: kind {self.kind!r} is not one of {KINDS}"


@dataclass(frozen=True)
class Valid:
    id: str
    function: str
    source: str
    why: str  # why this is a correct answer on real SQS too


def by_exercise() -> dict[int, tuple[list[Wrong], list[Valid]]]:
    """exercise number -> (its wrong solutions, its valid alternatives), from the modules in this package."""
    found: dict[int, tuple[list[Wrong], list[Valid]]] = {}
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("e"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[int(info.name[1:3])] = (list(getattr(module, "WRONG", [])), list(getattr(module, "VALID", [])))
    return dict(sorted(found.items()))
