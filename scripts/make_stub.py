"""Write exercises/NN_topic.py from solutions/NN_topic.py: same signatures and docstrings, TODO bodies.

    python scripts/make_stub.py solutions/05_delay.py   # writes exercises/05_delay.py

Run it when a solution's signatures change; then edit the TODO lines if a function needs a
more specific one. (selftests check that the pair still matches.)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqs_kata.stubs import stub_source  # the one definition of a stub, shared with `sqs-kata new`


def main(argv: list[str]) -> int:
    for name in argv:
        solution = Path(name)
        target = solution.parent.parent / "exercises" / solution.name
        target.write_text(stub_source(solution.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
