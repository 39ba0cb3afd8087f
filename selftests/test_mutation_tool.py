"""The mutation tester itself (scripts/mutate.py): which mutants it makes, and that their ids stay put.

Fast: nothing here runs pytest in a subprocess or grades a mutant.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from sqs_kata import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "mutate.py"


@pytest.fixture(scope="module")
def mutate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sqs_kata_mutate_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


TINY = '''"""Module docstring: never mutated."""

from __future__ import annotations

import json

LIMIT = 10


def work(sqs, url, items, flag=None):
    """Function docstring: never mutated either."""
    total = 0
    for item in items[1:3]:
        if item == 2 and not flag:
            total += item * 2
        elif item is None or item in (4, 5):
            continue
        else:
            break
    try:
        sqs.send(QueueUrl=url, Body=json.dumps({"a": 1, "b": True}))
    except ValueError:
        pass
    return total > LIMIT
'''


def operators(mutants: list) -> set[str]:
    return {m.operator for m in mutants}


def test_every_operator_appears_on_a_tiny_source(mutate: ModuleType) -> None:
    mutants = mutate.generate(TINY, "99_tiny")
    assert operators(mutants) == set(mutate.OPERATORS)
    shown = {(m.operator, m.original, m.mutated) for m in mutants}
    assert ("compare", "item == 2", "item != 2") in shown
    assert ("compare", "total > LIMIT", "total >= LIMIT") in shown
    assert ("boolop", "item == 2 and (not flag)", "item == 2 or not flag") in shown  # ast.unparse's parentheses
    assert ("unary-not", "not flag", "flag") in shown
    assert ("binop", "total += item * 2", "total -= item * 2") in shown
    assert ("binop", "item * 2", "item / 2") in shown
    assert ("number", "LIMIT = 10", "LIMIT = 11") in shown  # module-level constants are mutated too
    assert ("slice", "items[1:3]", "items[:3]") in shown
    assert ("number", "items[1:3]", "items[1:4]") in shown  # a constant is shown in its expression
    assert ("loop-jump", "break", "continue") in shown
    assert ("return-none", "return total > LIMIT", "return None") in shown
    assert ("kwarg", "sqs.send(QueueUrl=url, Body=json.dumps({'a': 1, 'b': True}))",
            "sqs.send(Body=json.dumps({'a': 1, 'b': True}))") in shown
    assert ("dict-entry", "{'a': 1, 'b': True}", "{'b': True}") in shown
    assert any(m.operator == "try-unwrap" and m.mutated.startswith("sqs.send(") for m in mutants)


def test_number_zero_only_goes_up(mutate: ModuleType) -> None:
    mutated = [m.mutated for m in mutate.generate(TINY, "99_tiny") if m.operator == "number"]
    assert "total = 1" in mutated and "total = -1" not in mutated


def test_docstrings_imports_and_defaults_are_left_alone(mutate: ModuleType) -> None:
    mutants = mutate.generate(TINY, "99_tiny")
    for m in mutants:
        assert "docstring" not in m.original
        assert "import" not in m.original and "__future__" not in m.original
        assert m.function in ("<module>", "work")
        # Every mutant changes the code, and only outside the docstrings.
        source = mutate.mutated_source(TINY, m)
        assert source != mutate.round_trip(TINY)
        tree = ast.parse(source)
        assert ast.get_docstring(tree) == "Module docstring: never mutated."
        function = next(node for node in tree.body if isinstance(node, ast.FunctionDef))
        assert ast.get_docstring(function) == "Function docstring: never mutated either."
        assert ast.unparse(function.args) == "sqs, url, items, flag=None"


def test_ids_survive_lines_inserted_above(mutate: ModuleType) -> None:
    before = mutate.generate(TINY, "99_tiny")
    shifted = TINY.replace("LIMIT = 10\n", "LIMIT = 10\n\n\ndef helper():\n    return LIMIT + 1\n\n# a comment\n")
    after = {m.id: m for m in mutate.generate(shifted, "99_tiny")}
    for m in before:
        assert m.id in after, m
        assert after[m.id].line >= m.line
    assert len({m.id for m in before}) == len(before), "ids must be unique"


def test_equal_mutants_in_one_function_get_distinct_ids(mutate: ModuleType) -> None:
    source = "def f(a):\n    g(a, 1)\n    g(a, 1)\n"
    ids = [m.id for m in mutate.generate(source, "99_tiny") if m.mutated == "g(a, 2)"]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_f_string_literals_are_not_mutated(mutate: ModuleType) -> None:
    mutants = mutate.generate('def f(x):\n    return f"Hello, {x}!"\n', "99_tiny")
    assert "string" not in operators(mutants)


def test_every_listed_equivalent_is_a_current_mutant(mutate: ModuleType) -> None:
    """A stale entry (its code changed or moved to another def) must be re-judged, not silently kept."""
    equivalents = mutate.load_equivalents()
    current = {m.id for m in mutate.all_mutants(mutate.select_exercises(None), mutate.read_snapshot())}
    stale = sorted(set(equivalents) - current)
    assert not stale, f"{mutate.EQUIVALENTS_FILE.name} lists mutants that no longer exist: {stale}"
    assert all(reason.strip() for reason in equivalents.values()), "every equivalent needs a reason"
