"""The notebook front-end (`%load_ext sqs_kata`, sqs_kata.notebook) in a real Jupyter kernel, and work/kata.ipynb.

The kernel is started once per notebook by nbclient, as JupyterLab would: the edit test changes the exercise file
between two `%kata check 1` cells of the same kernel, so a check that read a stale copy would show up here.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from sqs_kata import PROJECT_ROOT, notebook

KATA_NOTEBOOK = PROJECT_ROOT / "work" / "kata.ipynb"
STUB = PROJECT_ROOT / "exercises" / "01_course_mission.py"
SOLUTION = PROJECT_ROOT / "solutions" / "01_course_mission.py"


def kernel_env(tmp_path: Path) -> dict[str, str]:
    """Moto, a private hint file, no endpoint of the machine's own (the kernel inherits os.environ)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQS_KATA_") and k != "SQS_ENDPOINT_URL"}
    env.update({"SQS_KATA_BACKENDS": "moto", "SQS_KATA_STATE": str(tmp_path / "progress.json")})
    return env


def run_in_kernel(cells: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Run `cells` in one fresh kernel; return each cell's HTML (or text) output."""
    for key in [k for k in os.environ if k.startswith("SQS_KATA_") or k == "SQS_ENDPOINT_URL"]:
        monkeypatch.delenv(key)
    for key, value in kernel_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    book = new_notebook(cells=[new_code_cell(source) for source in cells])
    NotebookClient(book, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return ["".join(o.get("data", {}).get("text/html", "") or o.get("text", "") for o in cell.outputs)
            for cell in book.cells]


def visible(page: str) -> str:
    """The words of an HTML output, as the learner reads them."""
    return re.sub(r"<[^>]+>", "", page).replace("&#x27;", "'").replace("&quot;", '"')


def test_a_check_reflects_an_edited_exercise_without_a_kernel_restart(tmp_path, monkeypatch):
    folder = tmp_path / "mine"
    shutil.copytree(PROJECT_ROOT / "exercises", folder)
    target = f"--kata-target {folder} --lang en"
    edit = f"from pathlib import Path\nPath({str(folder / STUB.name)!r}).write_text({SOLUTION.read_text()!r})"
    load, before, _, after = run_in_kernel(["%load_ext sqs_kata", f"%kata check 1 {target}", edit,
                                            f"%kata check 1 {target}"], tmp_path, monkeypatch)
    assert load == ""
    assert 'class="sqs-kata sqs-kata-check"' in before
    assert "is not implemented yet" in visible(before) and "❌ Exercise 01" in visible(before)
    assert "✅ Exercise 01 passes" in visible(after), visible(after)
    assert "not implemented yet" not in visible(after)


def test_hints_and_usage_render_in_the_learners_language(tmp_path, monkeypatch):
    hint_zh, hint_en, watch, wrong = run_in_kernel(
        ["%load_ext sqs_kata\n%kata hint 1 --lang zh-TW", "%kata hint 1 --lang en", "%kata watch", "%kata check 1 --nope"],
        tmp_path, monkeypatch)
    assert 'class="sqs-kata sqs-kata-hint" lang="zh-TW"' in hint_zh and "提示 1/" in visible(hint_zh)
    assert 'lang="en"' in hint_en and "hint 2/" in visible(hint_en) and "so this is hint 2" in visible(hint_en)
    assert "sqs-kata-usage" in watch and "does not run in a notebook" in visible(watch)
    assert "unrecognized arguments: --nope" in visible(wrong)


def test_the_board_is_an_html_table_of_every_exercise(monkeypatch, tmp_path):
    for key, value in kernel_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    code, shows, page = notebook.run_line("--kata-target solutions --lang en")
    assert (code, shows) == (0, "board"), visible(page)
    assert "SQS kata · your progress" in visible(page) and "all exercises pass" in visible(page)
    assert "<span" in page and "<script" not in page  # colours inline; nothing that runs in the page


def test_the_kata_notebook_is_stored_without_outputs_zh_tw_first():
    book = nbformat.read(KATA_NOTEBOOK, as_version=4)
    nbformat.validate(book)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    assert code[0].source == "%load_ext sqs_kata"
    assert {"%kata", "%kata check 1", "%kata hint 1"} <= {c.source for c in code}
    assert "%kata grade" in book.cells[-1].source and "%kata next" in book.cells[-1].source
    first = book.cells[0].source
    assert first.index("練習 01") < first.index("exercise 01")  # zh-TW, then English
