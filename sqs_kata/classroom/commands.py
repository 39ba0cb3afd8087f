"""The teacher's commands: `sqs-kata export --student DIR`, `sqs-kata class grade`, `sqs-kata class check-grader`.

Kept out of sqs_kata/cli.py (which only registers them) so the learner's commands stay as they were.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from sqs_kata.app import CANNOT_RUN, FAILING, OK, USAGE, Kata
from sqs_kata.messages import say

Factory = Callable[[str, str, str], argparse.ArgumentParser]


def add_parsers(command: Factory) -> None:
    export = command(
        "export",
        "教師用：寫出給學生的版本（沒有解答、沒有隱藏測試，workflow 用教師的測試評分）",
        "for teachers: write the student edition (no solutions, no hidden tests; its workflow grades "
        "with the teacher's tests)",
    )
    export.add_argument(
        "--student",
        metavar="DIR",
        required=True,
        help=say("寫到這個新的（或空的）資料夾", "write it into this new (or empty) folder"),
    )
    export.add_argument(
        "--teacher-repo",
        metavar="OWNER/NAME",
        default=None,
        help=say(
            "workflow 取用的教師 kata（預設：origin 的 GitHub repository）",
            "the teacher's kata the workflow checks out (default: origin's GitHub repository)",
        ),
    )
    export.add_argument(
        "--teacher-ref",
        metavar="COMMIT",
        default=None,
        help=say("固定的 commit（預設：目前的 HEAD）", "the pinned commit (default: the current HEAD)"),
    )

    group = command("class", "教師用：一次評分全班", "for teachers: grade a whole class")
    actions = group.add_subparsers(dest="class_command", metavar="ACTION", required=True)
    grade = actions.add_parser(
        "grade",
        help=say("評分資料夾裡每位學生的作業", "grade every submission in a folder"),
        description=say(
            "每份作業（資料夾、.zip 或 git repository）在自己的行程裡、用教師的測試評分。",
            "Each submission (folder, .zip or git repository) is graded in a "
            "process of its own with the teacher's tests.",
        ),
    )
    grade.add_argument("submissions", metavar="SUBMISSIONS", help=say("放作業的資料夾", "the folder of submissions"))
    grade.add_argument("--out", metavar="DIR", required=True, help=say("報告寫到這裡", "where the reports go"))
    grade.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        metavar="N",
        help=say("同時評分幾份（預設：CPU 核心數）", "submissions graded at once (default: CPU cores)"),
    )
    grade.add_argument(
        "--time-limit",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help=say("每份作業最多幾秒（預設 300）", "seconds per submission (default 300)"),
    )
    grade.add_argument(
        "--test-timeout",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help=say(
            "每個測試最多幾秒（預設 20；忙碌的機器上 Hypothesis 測試要好幾秒）",
            "seconds per test (default 20: on a busy machine a Hypothesis test takes seconds)",
        ),
    )
    grade.add_argument(
        "--exercises",
        metavar="LIST",
        default=None,
        help=say(
            "只評這些練習，例如 1-15 或 2,3,8（預設：全部）",
            "grade only these exercises, e.g. 1-15 or 2,3,8 (default: all)",
        ),
    )
    grade.add_argument(
        "--shared-server",
        action="store_true",
        help=say(
            "和 --sqs-backend moto-server / elasticmq：全班共用一台伺服器（每份作業有自己的佇列前綴）",
            "with --sqs-backend moto-server / elasticmq: start ONE server for the class "
            "(each submission gets a queue-name scope of its own)",
        ),
    )
    grade.add_argument(
        "--sqs-backend",
        action="append",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help=say(
            "moto（預設，每份作業自己一個）、moto-server 或 elasticmq（每份作業自己啟動一台），或一台共用伺服器的網址",
            "moto (default, one per submission), moto-server or elasticmq "
            "(each submission starts its own), or the URL of one shared server",
        ),
    )
    grade.add_argument(
        "--lang",
        choices=("zh-TW", "en"),
        default=argparse.SUPPRESS,
        help=say(
            "回饋的語言（預設：班級的語言 zh-TW，或 SQS_KATA_LANG）",
            "language of the feedback (default: the class language, zh-TW, or SQS_KATA_LANG)",
        ),
    )
    grade.add_argument("--keep-work", action="store_true", help=argparse.SUPPRESS)  # for debugging the grader
    check = actions.add_parser(
        "check-grader",
        help=say("學生的 tests/ 和 sqs_kata/ 跟教師的一樣嗎？", "are a student's tests/ and sqs_kata/ the teacher's?"),
    )
    check.add_argument(
        "--lang", choices=("zh-TW", "en"), default=argparse.SUPPRESS, help=say("訊息語言", "language of the messages")
    )
    check.add_argument("student", metavar="DIR", help=say("學生的 repository", "the student's repository"))
    check.add_argument(
        "--summary",
        metavar="FILE",
        default=None,
        help=say(
            "也把結果加到這個 Markdown 檔（GitHub 的 $GITHUB_STEP_SUMMARY）",
            "also append the result to this Markdown file (GitHub's $GITHUB_STEP_SUMMARY)",
        ),
    )


def cmd_export(kata: Kata, args: argparse.Namespace) -> int:
    from sqs_kata.classroom.student_edition import ExportError, export

    try:
        edition = export(Path(args.student), repository=args.teacher_repo, ref=args.teacher_ref)
    except ExportError as error:
        kata.say_line(str(error), str(error), "red")
        return USAGE
    kata.say_line(
        f"已寫出學生版：{edition.folder}（{edition.files} 個檔案）；workflow 用 {edition.repository}@{edition.ref[:12]} 評分。",
        f"Wrote the student edition: {edition.folder} ({edition.files} files); its workflow grades with "
        f"{edition.repository}@{edition.ref[:12]}.",
        "green",
    )
    return OK


def cmd_class(kata: Kata, args: argparse.Namespace) -> int:
    if args.class_command == "check-grader":
        return _check_grader(kata, args)
    from sqs_kata.classroom import grading
    from sqs_kata.classroom.class_grade import (
        ClassGradeError,
        grade_class,
        main_progress,
    )
    from sqs_kata.messages import language

    backends = getattr(args, "sqs_backend", None) or [os.environ.get("SQS_KATA_CLASS_BACKEND", "moto")]
    if len(backends) != 1:
        kata.say_line("class grade 一次只用一個後端。", "class grade uses one backend at a time.", "red")
        return USAGE
    try:
        exercises = grading.exercises_of(args.exercises)
    except ValueError:
        kata.say_line(
            f"--exercises {args.exercises!r}：請寫成 1-15 或 2,3,8。",
            f"--exercises {args.exercises!r}: write it as 1-15 or 2,3,8.",
            "red",
        )
        return USAGE
    settings = grading.Settings(
        backend=backends[0],
        lang=language(),
        time_limit=args.time_limit,
        test_timeout=args.test_timeout,
        exercises=exercises,
    )
    try:
        report = grade_class(
            Path(args.submissions),
            Path(args.out),
            settings,
            jobs=args.jobs,
            shared_server=args.shared_server,
            keep_work=args.keep_work,
            progress=main_progress,
        )
    except ClassGradeError as error:
        kata.say_line(str(error), str(error), "red")
        return CANNOT_RUN
    count = len(report.graded)
    kata.say_line(
        f"{count} 份作業評分完成，共 {report.wall_seconds:.1f} 秒（每份平均 {report.wall_seconds / count:.2f} 秒）。"
        f"報告在 {report.out}：gradebook.csv、feedback/、summary.md、"
        + ("pass-rate.png、" if report.chart else "")
        + "similarity.md",
        f"Graded {count} submissions in {report.wall_seconds:.1f} s ({report.wall_seconds / count:.2f} s "
        f"each). Reports in {report.out}: gradebook.csv, feedback/, summary.md, "
        + ("pass-rate.png, " if report.chart else "")
        + "similarity.md",
        "green",
    )
    if report.chart is None:
        kata.say_line(
            "沒有畫長條圖：請安裝 matplotlib（pip install -e '.[class]'）。",
            "No bar chart: install matplotlib (pip install -e '.[class]').",
            "yellow",
        )
    return OK


def _check_grader(kata: Kata, args: argparse.Namespace) -> int:
    from sqs_kata.classroom import grader_lock

    student = Path(args.student)
    if not student.is_dir():
        kata.say_line(f"{student} 不是資料夾。", f"{student} is not a folder.", "red")
        return USAGE
    changed = grader_lock.changes(grader_lock.fingerprint(), student)
    if changed:
        text = (
            say(
                f"⚠️ 學生的評分程式和教師的不同（{len(changed)} 處）；分數一律用教師的測試計算：",
                f"⚠️ The student's grader differs from the teacher's ({len(changed)} changes); the grade is "
                "computed with the teacher's tests anyway:",
            )
            + "\n"
            + "\n".join(f"- {c}" for c in changed)
        )
    else:
        text = say(
            "✅ 學生的 tests/、sqs_kata/ 和設定檔與教師的一致。",
            "✅ The student's tests/, sqs_kata/ and settings match the teacher's.",
        )
    kata.out.print(text, markup=False, highlight=False)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as summary:
            summary.write(text + "\n\n")
    return FAILING if changed else OK
