"""A stub from a solution: the same module, signatures and docstrings; each public function's body is a TODO.

    stub_source(solutions/05_delay.py's text) -> exercises/05_delay.py's text

Every stub body raises NotImplementedError("<name> is not implemented yet"): the grader turns that into the
learner's "not implemented yet" message and records the outcome (learner.NotImplementedYet).
Used by scripts/make_stub.py and `sqs-kata new` (sqs_kata.scaffold).
"""

from __future__ import annotations

import ast


def stub_source(solution: str) -> str:
    tree = ast.parse(solution)
    lines = solution.splitlines()
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]
    for node in reversed(functions):
        first = node.body[0]
        has_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
        start = first.end_lineno if has_doc else node.body[0].lineno - 1
        indent = " " * (node.col_offset + 4)
        lines[start : node.end_lineno] = [
            f"{indent}# TODO: your code here",
            f'{indent}raise NotImplementedError("{node.name} is not implemented yet")',
        ]
    return "\n".join(lines) + "\n"
