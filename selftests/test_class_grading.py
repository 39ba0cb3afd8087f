"""Running a class: the student edition, the teacher's grader, queue scopes on a shared server, `class grade`.

Lean on purpose: one generated class of every kind (scripts/fake_class.py) graded once on moto over the
exercises the kinds touch, one small class on one shared moto-server, and the workflow's grading command on
ElasticMQ when that backend is selected (SQS_KATA_BACKENDS, as CI sets it). scripts/class_benchmark.py
grades the big classes (60 on moto, 20 on one ElasticMQ) and reports the times.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml
from botocore.exceptions import ClientError

from sqs_kata import PROJECT_ROOT, backend_choice, manifest, queue_scope
from sqs_kata.classroom import gradebook, grader_lock

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
import fake_class  # noqa: E402

SUBSET = "1-3,8,14,15"  # every kind shows on these: 02 hostile, 03 syntax, 14 hanging, 15 crashing, hidden in 2, 3, 8


def points(*numbers: int) -> float:
    return float(sum(e.points for e in manifest.load() if e.number in numbers))


def sqs_kata(*args: str, cwd: Path = PROJECT_ROOT, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sqs_kata.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


# --- The student edition and the teacher's grader ------------------------------------------------------------

@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("edition") / "cc104-sqs"
    done = sqs_kata("export", "--student", str(folder), "--teacher-repo", "cc104/sqs-kata-teacher",
                    "--teacher-ref", "0123456789abcdef0123456789abcdef01234567", "--lang", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


def test_the_student_edition_has_no_answers_and_no_hidden_tests(edition):
    assert (edition / "exercises").is_dir() and (edition / "tests").is_dir() and (edition / "kata.toml").is_file()
    for left_out in ("solutions", "tests/hidden", "selftests", "scripts"):
        assert not (edition / left_out).exists(), left_out
    assert not list(edition.rglob("*_hidden.py"))
    assert (PROJECT_ROOT / "tests" / "hidden").is_dir()  # ... while the teacher's kata has some


def test_its_workflow_grades_with_the_teachers_kata_at_the_pinned_commit(edition):
    workflow = yaml.safe_load((edition / ".github" / "workflows" / "sqs-kata.yml").read_text(encoding="utf-8"))
    assert workflow["env"] == {"TEACHER_REPOSITORY": "cc104/sqs-kata-teacher",
                               "TEACHER_REF": "0123456789abcdef0123456789abcdef01234567"}
    [job] = workflow["jobs"].values()
    checkouts = [s["with"] for s in job["steps"] if s.get("uses", "").startswith("actions/checkout")]
    assert {"repository": "${{ env.TEACHER_REPOSITORY }}", "ref": "${{ env.TEACHER_REF }}"}.items() <= \
        checkouts[1].items()
    commands = "\n".join(step.get("run", "") for step in job["steps"])
    assert "rm -rf grader/tests/hidden" in commands  # hidden tests never run in a student's CI log
    assert "sqs-kata grade --kata-target ../student/exercises" in commands
    lock = json.loads((edition / grader_lock.LOCK_FILE).read_text(encoding="utf-8"))
    assert lock["files"] == grader_lock.fingerprint()


def test_an_edited_test_in_the_student_edition_is_reported_and_does_not_change_the_grade(edition, tmp_path):
    student = tmp_path / "student"
    shutil.copytree(edition, student)
    assert sqs_kata("class", "check-grader", str(student), "--lang", "en").returncode == 0
    test = student / "tests" / "test_02_queues.py"
    test.write_text("def test_everything_passes():\n    assert True\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    done = sqs_kata("class", "check-grader", str(student), "--summary", str(summary), "--lang", "en")
    assert done.returncode == 1
    assert "changed tests/test_02_queues.py" in done.stdout and "changed tests/test_02_queues.py" in summary.read_text()
    # Graded by the teacher's kata (what the workflow runs in grader/): the stubs still score nothing.
    report = tmp_path / "gradescope.json"
    graded = sqs_kata("grade", "--kata-target", str(student / "exercises"), "--gradescope", str(report))
    assert json.loads(report.read_text(encoding="utf-8"))["score"] == 0, graded.stdout[-2000:]


# --- Queue scopes on a shared server --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shared_server():
    server = backend_choice.create("moto-server")
    server.start()
    yield server.endpoint_url
    server.stop()


def _client(url: str) -> Any:
    return boto3.client("sqs", endpoint_url=url, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing")


def test_a_scoped_client_cannot_list_delete_or_purge_another_scopes_queues(shared_server):
    teacher = _client(shared_server)
    victim = teacher.create_queue(QueueName="kata-victim1-orders")["QueueUrl"]
    hostile = _client(shared_server)
    prefix = queue_scope.name_prefix("hostile1")
    queue_scope.install(hostile.meta.events, prefix)
    own = hostile.create_queue(QueueName=prefix + "mine")["QueueUrl"]
    for listing in (hostile.list_queues(), hostile.list_queues(QueueNamePrefix="kata-"),
                    hostile.list_queues(QueueNamePrefix="kata-victim1")):
        assert victim not in listing.get("QueueUrls", [])
    assert hostile.list_queues().get("QueueUrls") == [own]
    for attempt in (lambda: hostile.delete_queue(QueueUrl=victim), lambda: hostile.purge_queue(QueueUrl=victim),
                    lambda: hostile.send_message(QueueUrl=victim, MessageBody="x"),
                    lambda: hostile.get_queue_url(QueueName="kata-victim1-orders"),
                    lambda: hostile.create_queue(QueueName="kata-victim1-orders")):
        with pytest.raises(ClientError) as refused:
            attempt()
        assert refused.value.response["Error"]["Code"] == "AccessDenied"
    assert teacher.get_queue_url(QueueName="kata-victim1-orders")["QueueUrl"] == victim
    teacher.delete_queue(QueueUrl=victim)
    teacher.delete_queue(QueueUrl=own)


def test_a_hostile_submission_on_one_shared_server_costs_only_its_own_row(tmp_path):
    subs = tmp_path / "subs"
    for index, kind in enumerate(("reference", "hostile", "reference")):
        fake_class.write_submission(subs, index, kind)
    out = tmp_path / "out"
    done = sqs_kata("class", "grade", str(subs), "--out", str(out), "--sqs-backend", "moto-server", "--shared-server",
                    "--exercises", "2,3", "--jobs", "3", "--lang", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {row["student"]: row for row in gradebook.read(out / gradebook.FILE)}
    full = points(2, 3)
    for index in (0, 2):
        assert float(rows[fake_class.student_name(index, "reference")]["total"]) == full, rows
    assert float(rows[fake_class.student_name(1, "hostile")]["total"]) < full  # it deleted its own queues too


# --- A whole class on moto ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def graded_class(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, str]], str]:
    root = tmp_path_factory.mktemp("class")
    made = fake_class.make_class(root / "subs", len(fake_class.KINDS))
    done = sqs_kata("class", "grade", str(root / "subs"), "--out", str(root / "out"), "--exercises", SUBSET,
                    "--jobs", "2", "--time-limit", "240", "--lang", "zh-TW")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {row["student"]: row for row in gradebook.read(root / "out" / gradebook.FILE)}
    assert sorted(rows) == sorted(name for name, _ in made)
    return root / "out", {kind: rows[name] for name, kind in made}, done.stdout + done.stderr


def test_every_kind_gets_the_total_it_earned(graded_class):
    _, rows, output = graded_class
    full = points(1, 2, 3, 8, 14, 15)
    expected = {"reference": full, "copied": full, "stubs": 0.0, "tampered": 0.0, "partial": points(1, 2, 3),
                "crashing": full - points(15), "hanging": full - points(14), "syntax": full - points(3)}
    totals = {kind: float(row["total"]) for kind, row in rows.items()}
    assert {k: totals[k] for k in expected} == expected, output[-3000:]
    assert full - points(2) < totals["hostile"] < full
    assert rows["reference"]["max"] == f"{full:g}"


def test_problems_name_what_went_wrong(graded_class):
    _, rows, _ = graded_class
    assert "syntax error: 03_messages.py" in rows["syntax"]["problems"]
    assert "tampering: changed tests/test_02_queues.py" in rows["tampered"]["problems"]
    assert "identical to reference: 01, 02, 03, 08, 14, 15" in rows["copied"]["problems"]
    assert "ended the grading process" in rows["crashing"]["problems"]
    assert rows["reference"]["problems"].startswith("identical to reference")
    assert not rows["partial"]["problems"].startswith("timeout")
    # The hang guard: two tests ran into the 20 s limit, the rest of exercise 14 failed at once.
    assert float(rows["hanging"]["duration_s"]) < 120


def test_the_gradebook_opens_in_a_spreadsheet_with_chinese_names(graded_class):
    out, rows, _ = graded_class
    data = (out / gradebook.FILE).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads 王 as 王
    header = next(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert header == ["student", "ex01", "ex02", "ex03", "ex08", "ex14", "ex15", "total", "max", "tests_passed",
                      "tests_total", "hidden_passed", "hidden_total", "duration_s", "problems"]
    assert "王00-reference" in data.decode("utf-8-sig")
    reference = rows["reference"]
    assert reference["hidden_passed"] == reference["hidden_total"] and int(reference["hidden_total"]) >= 3
    assert rows["stubs"]["hidden_passed"] == "0"


def test_feedback_summary_chart_and_similarity_are_written(graded_class):
    out, rows, _ = graded_class
    feedback = {path.name: path.read_text(encoding="utf-8") for path in (out / "feedback").glob("*.md")}
    assert len(feedback) == len(rows)
    stubs = feedback[f"{fake_class.student_name(1, 'stubs')}.md"]
    assert "總分" in stubs and "隱藏測試" in stubs and "提示" in stubs  # the class language
    hidden_names = [line.split("(")[0][4:] for path in (PROJECT_ROOT / "tests" / "hidden").glob("*.py")
                    for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("def test_")]
    assert hidden_names and not any(name in text for name in hidden_names for text in feedback.values())
    assert (out / "pass-rate.png").read_bytes().startswith(b"\x89PNG")
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert re.search(r"\| 02 .* \| \d+ / 9 \|", summary)
    similarity = (out / "similarity.md").read_text(encoding="utf-8")
    reference, copied = fake_class.student_name(0, "reference"), fake_class.student_name(6, "copied")
    assert f"{reference} ↔ {copied}" in similarity or f"{copied} ↔ {reference}" in similarity, similarity


# --- The workflow's own commands, against ElasticMQ -----------------------------------------------------------

def test_the_reference_scores_full_marks_through_the_workflows_commands_on_elasticmq(edition, tmp_path):
    workflow = yaml.safe_load((edition / ".github" / "workflows" / "sqs-kata.yml").read_text(encoding="utf-8"))
    [job] = workflow["jobs"].values()
    [step] = [s for s in job["steps"] if s.get("name", "").startswith("Grade the student's exercises")]
    student = tmp_path / "student"
    shutil.copytree(edition, student)
    shutil.rmtree(student / "exercises")
    shutil.copytree(PROJECT_ROOT / "solutions", student / "exercises")  # a student who solved everything
    server = backend_choice.create("elasticmq")
    server.start()
    try:
        command = step["run"].replace("../", f"{tmp_path}/").replace("http://localhost:9324", server.endpoint_url)
        done = subprocess.run(command, shell=True, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900,
                              check=False, env={**os.environ, "SQS_KATA_LANG": "en"})
    finally:
        server.stop()
    report = json.loads((tmp_path / "gradescope.json").read_text(encoding="utf-8"))
    best = sum(test["max_score"] for test in report["tests"])
    assert round(report["score"], 2) == round(best, 2) == points(*(e.number for e in manifest.load())), \
        done.stdout[-3000:]
    assert done.returncode == 0, done.stdout[-3000:]
