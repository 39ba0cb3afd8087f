"""`sqs-kata new NN topic` in a copy of the kata: the scaffold's stub fails as not implemented yet, its
solution passes (the one verify judges both), and the kata's own checks see the new exercise.

One copy for the whole file; a handful of short pytest/CLI processes on moto.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sqs_kata import PROJECT_ROOT, manifest, verify
from sqs_kata.results import read_records, summarize

# What a copy needs to grade and to run the checks of an exercise (no .git, no .venv, no outputs).
PARTS = ["sqs_kata", "tests", "exercises", "solutions", "scripts", "selftests", "kata.toml", "conftest.py",
         "pyproject.toml"]
NUMBER = manifest.load()[-1].number + 1
NUMBER_OF_ENTRIES = len(manifest.load()) + 1
TOPIC = "trial_topic"
SLUG = f"{NUMBER:02d}_{TOPIC}"


def run(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # Run from the copy: `python -m` puts it first on sys.path, so its own sqs_kata (PROJECT_ROOT) is used.
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQS_KATA_") and k != "SQS_ENDPOINT_URL"}
    env.update({"SQS_KATA_LANG": "en", "SQS_KATA_BACKENDS": "moto", "SQS_KATA_STATE": str(copy / "state.json"),
                "COLUMNS": "200"})
    return subprocess.run([sys.executable, *args], cwd=copy, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=600, check=False)


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("new-exercise") / "kata"
    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache", ".hypothesis")
    for part in PARTS:
        source = PROJECT_ROOT / part
        if source.is_dir():
            shutil.copytree(source, root / part, ignore=ignore)
        else:
            root.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / part)
    made = run(root, "-m", "sqs_kata.cli", "new", str(NUMBER), TOPIC)
    assert made.returncode == 0, made.stdout + made.stderr
    return root


def test_new_writes_every_file_of_the_exercise(copy: Path) -> None:
    for path in (f"solutions/{SLUG}.py", f"exercises/{SLUG}.py", f"tests/test_{SLUG}.py",
                 f"selftests/mistakes/e{SLUG}.py"):
        assert (copy / path).is_file(), path
    entry = manifest.load(copy / "kata.toml")[-1]
    assert (entry.number, entry.slug) == (NUMBER, SLUG)
    assert "TODO" in entry.title["en"] and "TODO" in (copy / f"solutions/{SLUG}.py").read_text(encoding="utf-8")


def test_the_scaffold_stub_fails_as_not_implemented_and_its_solution_passes(copy: Path) -> None:
    runs = {}
    for target in ("solutions", "exercises"):
        report = copy / f"{target}.json"
        run(copy, "-m", "pytest", "-q", "-p", "no:randomly", f"--kata-target={target}", f"--kata-json={report}",
            f"tests/test_{SLUG}.py")
        records, _ = read_records(report)
        assert records, f"nothing graded on {target}"
        runs[target] = summarize(records, manifest.load(copy / "kata.toml"), copy)
    verdict = verify.check(runs["solutions"], runs["exercises"])
    assert verdict.ok, "\n".join(verdict.problems)
    stub = runs["exercises"][-1]
    assert stub.total >= 1 and all(r.get("not_implemented") == "send_note" for r in stub.graded)
    # What the learner sees in the CLI:
    checked = run(copy, "-m", "sqs_kata.cli", "check", str(NUMBER))
    assert checked.returncode == 1 and "send_note() is not implemented yet" in checked.stdout, checked.stdout


def test_the_kata_checks_see_the_new_exercise(copy: Path) -> None:
    checks = run(copy, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
                 "selftests/test_kata_self_check.py", "-k", f"{SLUG} or well_formed",
                 "selftests/test_real_sqs_mistakes.py::test_every_case_is_well_formed")
    assert checks.returncode == 0, checks.stdout[-3000:] + checks.stderr[-2000:]
    ran = checks.stdout
    assert "4 passed" in ran, ran  # signatures, manifest entry, every function graded, the mistakes file


def test_new_refuses_a_number_already_taken(copy: Path) -> None:
    again = run(copy, "-m", "sqs_kata.cli", "new", str(NUMBER), "other")
    assert again.returncode == 2 and "after the last exercise" in again.stderr, again.stderr
    assert not (copy / "solutions" / f"{NUMBER:02d}_other.py").exists()
    assert (copy / "kata.toml").read_text(encoding="utf-8").count("[[exercise]]") == NUMBER_OF_ENTRIES
