"""The kata checks itself both ways (as rustlings' `dev check` does): every solution passes, every stub fails.

The judgement is sqs_kata.verify's, the one `sqs-kata verify` shows a teacher. The backends come from
SQS_KATA_BACKENDS (CI: moto, moto-server and elasticmq), like the graded run's.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from sqs_kata import PROJECT_ROOT, manifest, verify
from sqs_kata.results import summarize

EXERCISES = manifest.load()
ALL_ACTIONS = {
    "CreateQueue", "GetQueueUrl", "ListQueues", "DeleteQueue", "GetQueueAttributes", "SetQueueAttributes",
    "TagQueue", "UntagQueue", "ListQueueTags", "SendMessage", "SendMessageBatch", "ReceiveMessage",
    "DeleteMessage", "DeleteMessageBatch", "ChangeMessageVisibility", "ChangeMessageVisibilityBatch",
    "PurgeQueue", "ListDeadLetterSourceQueues", "StartMessageMoveTask", "ListMessageMoveTasks",
    "CancelMessageMoveTask", "AddPermission", "RemovePermission",
}


@pytest.fixture(scope="module")
def solutions_run(kata_runner, socket_audit):
    """The reference, graded with real-looking AWS settings while every DNS lookup and connect is recorded."""
    audit = socket_audit()
    code, records, output = kata_runner("--kata-target=solutions", "-p", "socket_audit", env=audit.env)
    return code, records, output, audit


@pytest.fixture(scope="module")
def stubs_run(kata_runner):
    return kata_runner("--kata-target=exercises")


def test_every_solution_passes(solutions_run):
    code, records, output, _ = solutions_run
    problems = verify.solution_problems(summarize(records, EXERCISES, PROJECT_ROOT))
    assert not problems, "\n\n".join(problems)
    assert code == 0, output[-3000:]


def test_the_solutions_pass_in_random_order(solutions_run):
    code, _, output, _ = solutions_run
    assert "random order: --randomly-seed=" in output.splitlines()[0] and code == 0, output[-3000:]


def test_only_missing_backend_features_are_skipped(solutions_run):
    _, records, _, _ = solutions_run
    for record in records:
        if record["outcome"] == "skipped":
            assert re.search(r"^\S+: .*(does not|lacks|no )", record["message"]), record


def test_there_are_at_least_sixty_kata_tests(solutions_run):
    _, records, _, _ = solutions_run
    per_backend = Counter(r["nodeid"].split("[")[0] for r in records)
    assert len(per_backend) >= 60, f"only {len(per_backend)} kata tests"


def test_the_solutions_reach_only_loopback(solutions_run):
    *_, audit = solutions_run
    assert audit.recorded(), "the socket audit recorded nothing"
    assert audit.off_loopback() == []


def test_every_stub_fails_with_not_implemented_yet(stubs_run):
    _, records, output = stubs_run
    assert records, output[-3000:]
    problems, _ = verify.stub_problems(summarize(records, EXERCISES, PROJECT_ROOT))
    assert not problems, "\n\n".join(problems)


def test_the_same_tests_run_on_the_solutions_and_the_stubs(solutions_run, stubs_run):
    problems = verify.count_problems(summarize(solutions_run[1], EXERCISES, PROJECT_ROOT),
                                     summarize(stubs_run[1], EXERCISES, PROJECT_ROOT))
    assert not problems, "\n".join(problems)


def test_solutions_call_the_sqs_actions(solutions_run, tmp_path):
    _, records, output, _ = solutions_run
    called = set()
    for record in records:
        called.update(record.get("actions", []))
    missing = ALL_ACTIONS - called
    # moto lacks the three message-move-task actions; a live backend (elasticmq, compose, testcontainers, an
    # endpoint: any backend not named moto*) must cover all 23.
    allowed = {"StartMessageMoveTask", "ListMessageMoveTasks", "CancelMessageMoveTask"}
    live = any(re.search(r"\[(?!moto)", r["nodeid"]) for r in records)
    assert not (missing - (set() if live else allowed)), f"never called by the solutions: {sorted(missing)}"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.slug)
def test_exercise_and_solution_share_signatures_and_docstrings(exercise):
    def shape(path: Path) -> list[tuple[str, str, str | None]]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        out = [("<module>", "", ast.get_docstring(tree))]
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                out.append((node.name, ast.unparse(node.args) + " -> " + ast.unparse(node.returns or ast.Constant(None)),
                            ast.get_docstring(node)))
        return out

    exercise_file = PROJECT_ROOT / "exercises" / exercise.filename
    solution_file = PROJECT_ROOT / "solutions" / exercise.filename
    assert shape(exercise_file) == shape(solution_file)
    assert "TODO" in exercise_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.slug)
def test_manifest_entry_is_complete(exercise):
    assert (PROJECT_ROOT / exercise.test_file).is_file()
    assert exercise.points > 0
    assert 2 <= len(exercise.hints) <= 3, "2-3 graduated hints"
    assert exercise.title["zh-TW"] and exercise.title["en"]
    for lang in ("zh-TW", "en"):
        assert "https://docs.aws.amazon.com/" in exercise.hints[-1][lang], "the last hint ends in an AWS doc link"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.slug)
def test_every_exercise_function_is_graded(exercise):
    tree = ast.parse((PROJECT_ROOT / "exercises" / exercise.filename).read_text(encoding="utf-8"))
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}
    tests = (PROJECT_ROOT / exercise.test_file).read_text(encoding="utf-8")
    # Called in the test's process, or run by the crash lab as a worker process of its own (sqs_kata.worker_lab).
    ungraded = {f for f in functions if f"kata.{f}(" not in tests and f'lab.start("{f}"' not in tests}
    assert not ungraded, f"no test calls {sorted(ungraded)}"
