"""`sqs-kata watch` grades each save in a fork of a warm process (sqs_kata.warm): what the fork must keep.

The fork sees every edit (the test file and the learner's module are imported fresh in each child), and
the child is still a process of its own: whatever ends it leaves the warm process standing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from sqs_kata import warm

pytestmark = pytest.mark.skipif(not warm.available(), reason="warm runs fork(): Linux only")

# The learner's module is loaded as the kata loads it (sqs_kata.learner), from its source every time.
TEST_FILE = '''
from pathlib import Path

from sqs_kata.learner import LearnerModule

def test_answer():
    assert LearnerModule(Path(__file__).with_name("mine.py"), 1).answer() == 42
'''


def _run(folder: Path) -> tuple[int, str, str]:
    process = warm.fork_pytest(["-q", "-p", "no:randomly", "-p", "no:cacheprovider", "test_answer.py"],
                               {**os.environ, "PYTHONPATH": str(folder)}, folder)
    out, err = process.stdout.read().decode(), process.stderr.read().decode()
    return process.wait(), out, err


@pytest.fixture(scope="module")
def warmed() -> None:
    warm.preload()
    assert warm.preloaded()


def test_each_fork_sees_the_file_as_it_is_now(warmed, tmp_path):
    (tmp_path / "test_answer.py").write_text(TEST_FILE)
    (tmp_path / "mine.py").write_text("def answer():\n    return 41\n")
    code, out, _ = _run(tmp_path)
    assert code == 1 and "1 failed" in out, out
    mine = tmp_path / "mine.py"
    stat = mine.stat()
    mine.write_text("def answer():\n    return 42\n")  # the learner saves a fix: same size...
    os.utime(mine, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # ...and, within one second, the same mtime
    code, out, _ = _run(tmp_path)
    assert code == 0 and "1 passed" in out, out
    assert not [m for m in sys.modules if "mine" in m], "the warm process itself never imports learner code"


def test_a_fork_that_learner_code_ends_leaves_the_warm_process_standing(warmed, tmp_path):
    (tmp_path / "test_answer.py").write_text(TEST_FILE)
    (tmp_path / "mine.py").write_text("import os\n\ndef answer():\n    os._exit(7)\n")
    code, _, _ = _run(tmp_path)
    assert code == 7  # the child's exit code, as a subprocess's would be
    (tmp_path / "mine.py").write_text("def answer():\n    return 42\n")
    assert _run(tmp_path)[0] == 0, "the next run still works"
