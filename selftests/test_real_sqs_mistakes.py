"""The grader fails code that would break on real SQS, and passes every correct answer.

The cases live in selftests/mistakes/ (one module per exercise). Each wrong solution is put alone into a copy of
solutions/ and graded on moto (the kindest backend, so the realism layer has to catch it): the graded test it
names must fail, as a failure (not an error) with a learner message that says what the mistake is. The valid
alternatives of all exercises are graded together, k-th alternative of each exercise in the k-th folder, on every
backend of SQS_KATA_BACKENDS: every test of their exercise must pass (or skip for a feature the backend lacks).
"""

from __future__ import annotations

import os
import shutil
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from mistakes import KINDS, Valid, Wrong, by_exercise
from sqs_kata import PROJECT_ROOT, manifest
from test_learner_faults import replace_function
from test_wrong_solutions_fail import graded_test, is_learner_message

CASES = by_exercise()
WRONGS = [(number, wrong) for number, (wrongs, _) in CASES.items() for wrong in wrongs]
VALIDS = [(number, valid) for number, (_, valids) in CASES.items() for valid in valids]
TIMEOUT = 15  # per graded test; the learner's default is 30 s


def _exercise(number: int) -> manifest.Exercise:
    exercise = manifest.by_number(number)
    assert exercise is not None, number
    return exercise


def _target(root: Path, cases: list[tuple[int, Wrong | Valid]]) -> Path:
    """A copy of solutions/ with each case's function replaced."""
    target = root / "target"
    shutil.copytree(PROJECT_ROOT / "solutions", target)
    for number, case in cases:
        path = target / _exercise(number).filename
        path.write_text(replace_function(path.read_text(encoding="utf-8"), case.function, case.source),
                        encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def grade(kata_runner, tmp_path_factory):
    """grade(cases, backends) -> records of one graded run of the cases' exercises (cached per argument)."""

    @cache
    def run(cases: tuple[tuple[int, Wrong | Valid], ...], backends: str) -> tuple[list[dict[str, Any]], str]:
        target = _target(tmp_path_factory.mktemp("case"), list(cases))
        # Hidden tests (tests/hidden/) grade the cases too: a valid alternative must pass them, a wrong one may be
        # caught by one.
        files = sorted({file for number, _ in cases for file in (_exercise(number).test_file,
                        _exercise(number).hidden_test_file) if (PROJECT_ROOT / file).is_file()})
        _, records, output = kata_runner(f"--kata-target={target}", f"--timeout={TIMEOUT}", "--lang=en",
                                         *files, env={"SQS_KATA_BACKENDS": backends})
        assert records, output[-3000:]
        return records, output

    return run


def test_every_case_is_well_formed():
    # Ids are unique within an exercise (test ids carry the exercise number: e02-<id>).
    for cases in (WRONGS, VALIDS):
        ids = [(number, case.id) for number, case in cases]
        assert len(set(ids)) == len(ids), sorted(i for i in ids if ids.count(i) > 1)
    for number, case in WRONGS + VALIDS:
        exercise = _exercise(number)
        assert f"def {case.function}(" in (PROJECT_ROOT / "solutions" / exercise.filename).read_text(), case.id
        assert f"def {case.function}(" in case.source, case.id
    for number, wrong in WRONGS:
        tests = [PROJECT_ROOT / _exercise(number).test_file, PROJECT_ROOT / _exercise(number).hidden_test_file]
        assert any(f"def {wrong.catches}(" in path.read_text() for path in tests if path.is_file()), wrong.id


def test_every_class_of_mistake_is_represented():
    kinds = Counter(w.kind for _, w in WRONGS)
    assert set(kinds) == set(KINDS), kinds


@pytest.mark.parametrize(("number", "wrong"), WRONGS, ids=[f"e{n:02d}-{w.id}" for n, w in WRONGS])
def test_the_wrong_solution_fails_on_moto(grade, number, wrong):
    records, output = grade(((number, wrong),), "moto")
    mine = [r for r in records if r["exercise"] == _exercise(number).slug]
    summary = "\n".join(f"{r['nodeid']}: {r['outcome']}" for r in mine)
    assert not [r for r in mine if r["outcome"] == "error"], summary
    caught = [r for r in mine if graded_test(r) == wrong.catches]
    assert caught, f"{wrong.catches} did not run:\n{summary}\n{output[-2000:]}"
    for record in caught:
        assert record["outcome"] == "failed", f"{wrong.id} survived {record['nodeid']}\n{summary}"
        message = record["message"]
        assert wrong.says in message, message
        assert is_learner_message(message, _as_mutant(number, wrong)), message


def _as_mutant(number: int, wrong: Wrong) -> Any:
    from test_wrong_solutions_fail import Mutant

    return Mutant(wrong.id, 0, number, wrong.function, wrong.source, wrong.catches, wrong.says)


def _valid_folders() -> list[tuple[tuple[int, Valid], ...]]:
    """The k-th valid alternative of every exercise share folder k (one graded run per folder and backend)."""
    folders: dict[int, list[tuple[int, Valid]]] = defaultdict(list)
    for number, (_, valids) in CASES.items():
        for k, valid in enumerate(valids):
            folders[k].append((number, valid))
    return [tuple(cases) for _, cases in sorted(folders.items())]


BACKENDS = [b for b in os.environ.get("SQS_KATA_BACKENDS", "moto").split(",") if b.strip()]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("number", "valid"), VALIDS, ids=[f"e{n:02d}-{v.id}" for n, v in VALIDS])
def test_the_valid_alternative_passes(grade, number, valid, backend):
    folder = next(f for f in _valid_folders() if (number, valid) in f)
    records, output = grade(folder, backend)
    mine = [r for r in records if r["exercise"] == _exercise(number).slug]
    assert mine, output[-2000:]
    wrong = [f"{r['nodeid']}: {r['outcome']}\n{r['message'][:1500]}" for r in mine
             if r["outcome"] not in ("passed", "skipped")]
    assert not wrong, f"{valid.id} ({valid.why}) was rejected:\n" + "\n\n".join(wrong)
