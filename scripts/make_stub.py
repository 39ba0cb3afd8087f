"""Write exercises/NN_topic.py from solutions/NN_topic.py: same signatures and docstrings, TODO bodies.

    python scripts/make_stub.py solutions/05_delay.py   # writes exercises/05_delay.py

Run it when a solution's signatures change; then edit the TODO lines if a function needs a
more specific one. (selftests check that the pair still matches.)
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def stub_source(solution: str) -> str:
    tree = ast.parse(solution)
    lines = solution.splitlines()
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]
    for node in reversed(functions):
        first = node.body[0]
        has_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
        start = first.end_lineno if has_doc else node.body[0].lineno - 1
        indent = " " * (node.col_offset + 4)
        lines[start:node.end_lineno] = [
            f"{indent}# TODO: your code here",
            f'{indent}raise NotImplementedError("{node.name} is not implemented yet")',
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    for name in argv:
        solution = Path(name)
        target = solution.parent.parent / "exercises" / solution.name
        target.write_text(stub_source(solution.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
