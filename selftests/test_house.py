"""The structure of sqs_kata/: no import circles (a module that needs another must not be needed by it).

Every import counts, at module level or inside a function: a lazy import still ties the two modules
together. Read from the source with `ast`; nothing of the package is run.
"""

from __future__ import annotations

import ast
from pathlib import Path

from sqs_kata import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "sqs_kata"


def imports_of(path: Path) -> set[str]:
    """The sqs_kata modules that `path` imports, by module name (sqs_kata.x)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("sqs_kata."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "sqs_kata":  # from sqs_kata import backends, messages
                found.update(f"sqs_kata.{a.name}" for a in node.names if (PACKAGE / f"{a.name}.py").is_file())
            elif node.module.startswith("sqs_kata."):
                found.add(node.module)
    return found


def graph() -> dict[str, set[str]]:
    modules = {f"sqs_kata.{p.stem}": p for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    return {name: imports_of(path) & modules.keys() - {name} for name, path in modules.items()}


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every module that can reach itself, with one path back (depth-first search)."""
    found: list[list[str]] = []
    for start in sorted(edges):
        stack = [(start, [start])]
        seen: set[str] = set()
        while stack:
            node, path = stack.pop()
            for following in sorted(edges.get(node, ())):
                if following == start:
                    found.append(path + [start])
                    stack.clear()
                    break
                if following not in seen:
                    seen.add(following)
                    stack.append((following, path + [following]))
    return found


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"], ["b", "c", "a", "b"],
                                                                          ["c", "a", "b", "c"]]


def test_sqs_kata_has_no_import_circle():
    assert circles(graph()) == []


# --- One verify, reading a recorded outcome ------------------------------------------------------------------

def _stub_result(**record: object):
    from sqs_kata.manifest import Exercise
    from sqs_kata.results import ExerciseResult

    base = {"nodeid": "tests/test_01_one.py::test_a[moto]", "exercise": "01_one", "outcome": "failed",
            "message": "", "duration": 0.0, "output": ""}
    return [ExerciseResult(Exercise(1, "01_one", 10, {"zh-TW": "一", "en": "One"}, ()), True, [{**base, **record}])]


def test_verify_reads_the_recorded_not_implemented_outcome_not_the_message():
    from sqs_kata import verify

    recorded, _ = verify.stub_problems(_stub_result(not_implemented="send_text", message="(any words)"))
    assert recorded == []
    # The words alone prove nothing: a learner message may quote them, a check may fail for another reason.
    only_words, _ = verify.stub_problems(_stub_result(message="send_text() is not implemented yet: open ..."))
    assert len(only_words) == 1 and "01_one.py::test_a" in only_words[0]
    passed, _ = verify.stub_problems(_stub_result(outcome="passed"))
    assert len(passed) == 1
