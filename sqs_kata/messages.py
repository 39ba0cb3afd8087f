"""Learner-facing words, in Traditional Chinese (zh-TW) and English.

Every message the grader prints is a pair; `say()` picks the learner's language.
The language comes from --lang, then SQS_KATA_LANG, then the locale (zh* -> zh-TW), else English.
"""

from __future__ import annotations

import locale
import os

LANGUAGES = ("zh-TW", "en")
_chosen: str | None = None


def detect_language() -> str:
    for value in (
        os.environ.get("SQS_KATA_LANG"),
        os.environ.get("LC_ALL"),
        os.environ.get("LANG"),
        locale.getlocale()[0],
    ):
        if value:
            return "zh-TW" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(lang: str | None) -> str:
    global _chosen
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _chosen = lang
    return language()


def language() -> str:
    return _chosen or detect_language()


def say(zh: str, en: str) -> str:
    return zh if language() == "zh-TW" else en


# Words the grader uses in more than one place, kept here so both languages stay in step.
def expected_label() -> str:
    return say("預期", "expected")


def seen_label() -> str:
    return say("實際", "seen    ")


def hint_line(exercise_file: str, number: int) -> str:
    return say(
        f"提示：打開 {exercise_file}，或執行 `sqs-kata hint {number}`",
        f"Hint: open {exercise_file}, or run `sqs-kata hint {number}`",
    )


def not_implemented(function: str, exercise_file: str) -> str:
    return say(
        f"{function}() 還沒實作 (not implemented yet)：請打開 {exercise_file}，把 TODO 底下的 "
        "`raise NotImplementedError` 換成你的程式。",
        f"{function}() is not implemented yet: open {exercise_file} and replace the "
        "`raise NotImplementedError` under the TODO with your code.",
    )


def missing_function(function: str, exercise_file: str) -> str:
    return say(
        f"MISSING FUNCTION {function} in {exercise_file}：找不到這個函式，是不是改了名字或刪掉了？",
        f"MISSING FUNCTION {function} in {exercise_file}: the grader cannot find it. Did you misname or delete it?",
    )


def cannot_load(exercise_file: str, detail: str) -> str:
    return say(
        f"{exercise_file} 無法載入，這個練習的測試都先算失敗（其他練習照常評分）：\n{detail}",
        f"{exercise_file} cannot be loaded, so this exercise's tests fail (the others are still graded):\n{detail}",
    )


def learner_raised(call: str, error: str, where: str) -> str:
    return say(
        f"{call} 拋出了例外：{error}\n  位置：{where}\n  "
        "練習的函式應該回傳結果，而不是讓例外往外丟（除非說明要你這樣做）。",
        f"{call} raised {error}\n  at: {where}\n  "
        "The exercise functions should return their result, not let an exception escape "
        "(unless the docstring asks for it).",
    )


def learner_exited(call: str, code: object, where: str) -> str:
    return say(
        f"{call} 呼叫了 sys.exit({code!r})，想結束整個程式\n  位置：{where}\n  "
        "練習的函式不該結束程式：請回傳結果（或照說明讓錯誤往外丟）。",
        f"{call} called sys.exit({code!r}), which would end the whole program\n  at: {where}\n  "
        "An exercise function should not end the program: return the result (or let the error through as its "
        "docstring says).",
    )


def exited_on_import(code: object) -> str:
    return say(
        f"sys.exit({code!r}) 在匯入時就會結束程式：函式外的程式在匯入時就會執行，請拿掉這一行。",
        f"sys.exit({code!r}) ends the program as soon as the file is imported (code outside a function runs on "
        "import): remove that line.",
    )


def parameters_refused(call: str, report: str, where: str) -> str:
    return say(
        f"{call}：botocore 在送出請求之前就拒絕了參數（ParamValidationError），請求根本沒有送到 SQS：\n"
        f"  {report}\n  位置：{where}\n  檢查參數名稱和型別：例如屬性值要是字串，MaxNumberOfMessages 要是 int。",
        f"{call}: botocore refused the parameters before sending anything (ParamValidationError), so no request "
        f"reached SQS:\n  {report}\n  at: {where}\n  Check the parameter names and types: attribute values are "
        "strings, MaxNumberOfMessages is an int, and so on.",
    )


def server_failed(call: str, operation: str, status: int, error: str, where: str) -> str:
    return say(
        f"{call}：SQS 伺服器處理 {operation} 請求時自己出錯了（HTTP {status}），這通常是模擬器不支援這個請求，"
        f"不一定是你的錯：\n  {error}\n  位置：{where}\n  換一個 backend 試試（--sqs-backend=elasticmq），"
        "或檢查這個請求的參數。",
        f"{call}: the SQS server failed on the {operation} request itself (HTTP {status}); an emulator that does "
        f"not support this request, most likely, not necessarily your mistake:\n  {error}\n  at: {where}\n  "
        "Try another backend (--sqs-backend=elasticmq), or check this request's parameters.",
    )


def timed_out(seconds: float, last_call: str | None) -> str:
    last = last_call or say("（沒有呼叫練習函式）", "(no exercise function was called)")
    return say(
        f"這個測試超過 {seconds:g} 秒還沒結束，已被停止。是不是有無窮迴圈，或是一直等待不會來的訊息？"
        f"\n  最後呼叫：{last}\n  提示：WaitTimeSeconds 最多 20 秒；迴圈要在收不到訊息時停下來。",
        f"This test ran longer than {seconds:g} s and was stopped. An endless loop, or a receive "
        f"that waits for a message that never comes?\n  last call: {last}\n  "
        "Hint: WaitTimeSeconds is at most 20; a loop must stop when a receive comes back empty.",
    )


def own_client() -> str:
    return say(
        '注意：你的程式自己建立了 SQS client（boto3.client("sqs")），沒有用傳進來的 sqs。'
        "評分時它被導向同一個後端，但請改用參數 sqs：它已經指向這次要用的 SQS（模擬器、伺服器或 AWS）。",
        'Note: your code built an SQS client of its own (boto3.client("sqs")) instead of using the `sqs` it was '
        "given. The grader pointed it at the same backend, but use the `sqs` parameter: it already points at the "
        "SQS this run uses (an emulator, a server or AWS).",
    )


def server_silent(why: str) -> str:
    return say(
        f"{why}\n評分停止了：每個測試都會卡到時間上限，而且那不是你的程式的問題。"
        "請重新啟動 SQS 伺服器（`sqs-kata elasticmq`、`docker compose restart sqs-local`），"
        "或先用內建的 moto：`--sqs-backend moto`。",
        f"{why}\nGrading stopped: every test would hang until its time limit, and not because of your code. "
        "Restart the SQS server (`sqs-kata elasticmq`, `docker compose restart sqs-local`), or use the built-in "
        "moto for now: `--sqs-backend moto`.",
    )


def queue_deleted_elsewhere(queue: str) -> str:
    return say(
        f"這個測試建立的佇列 {queue} 被別人刪掉了：測試和你的程式都沒有刪它。共用的 SQS 伺服器上，"
        "別人的程式（例如刪掉所有佇列的程式）會影響你的測試。這不算你的錯：再跑一次，"
        "或用自己的伺服器（`sqs-kata elasticmq`）或內建的 moto。",
        f"The queue {queue} that this test created was deleted by someone else: neither the test nor your code "
        "deleted it. On a shared SQS server, other people's code (one that deletes every queue, say) reaches your "
        "tests. This is not your mistake: run again, or use a server of your own (`sqs-kata elasticmq`) or the "
        "built-in moto.",
    )


def copied_reference(number: int, reference_file: str) -> str:
    """An exercise whose code loaded the reference solution (sqs_kata.copying): graded as usual, but shown."""
    return say(
        f"⚠ 練習 {number:02d} 引用了參考解答（{reference_file}）：照常評分，但老師會看到這件事。",
        f"⚠ Exercise {number:02d} imports the reference solution ({reference_file}): it is graded, "
        "but your teacher will see it.",
    )


# --- A run that learner code ended outright (os._exit, a signal): said by the CLI, not inside pytest ---------


def ended_while_importing(exercise_file: str) -> str:
    return say(
        f"{exercise_file} 在被匯入（import）時結束了整個 Python 程序（os._exit？），評分就停在那裡："
        f"這個練習的測試都沒有執行（其他練習會在新的程序裡照常評分）。請拿掉 {exercise_file} 最外層（函式外面）結束程序的那一行："
        "函式外的程式在匯入時就會執行。然後再評分一次。",
        f"{exercise_file} ended the Python process while it was being imported (os._exit?), so grading stopped "
        f"there: this exercise's tests did not run (the other exercises are graded by a new process). Remove the "
        f"line that ends the "
        f"process from the top level of {exercise_file} (code outside a function runs on import), then grade "
        "again.",
    )


def ended_while_calling(function: str, exercise_file: str, test: str) -> str:
    return say(
        f"{exercise_file} 的 {function}() 在測試 {test} 中結束了整個 Python 程序（os._exit？），評分就停在那裡："
        f"這個練習之後的測試都沒有執行（其他練習會在新的程序裡照常評分）。練習的函式要回傳結果，不能結束程序：請拿掉 {function}() 裡的 os._exit()"
        "（或其他結束程序的呼叫），然後再評分一次。",
        f"{function}() in {exercise_file} ended the Python process during {test} (os._exit?), so grading "
        f"stopped there: this exercise's tests after it did not run (the other exercises are graded by a new "
        f"process). An exercise function returns its result, it never "
        f"ends the process: remove the os._exit() (or whatever ends the process) from {function}(), then "
        "grade again.",
    )


def ended_during_test(test: str, nodeid: str, returncode: int) -> str:
    return say(
        f"評分程序在測試 {test} 執行中突然結束（結束碼 {returncode}），沒留下結果：這個練習之後的測試都沒有執行"
        "（其他練習會在新的程序裡照常評分）。"
        f'直接用 pytest 跑這個測試，看是什麼結束了它：pytest "{nodeid}"',
        f"The grading process ended abruptly (exit code {returncode}) during {test}, leaving no result: this "
        f"exercise's tests after it did not run (the other exercises are graded by a new process). Run that test with pytest itself to see what ended it: "
        f'pytest "{nodeid}"',
    )


def worker_ended(nodeid: str) -> str:
    test = nodeid.split("::", 1)[-1]
    return say(
        f"執行測試 {test} 的評分程序（平行評分的一個 worker）突然結束了：通常是你的程式呼叫了 os._exit()、sys.exit() "
        f'以外的強制結束，或送出了訊號。其他測試照常評分。單獨跑這個測試看看是什麼結束了它：pytest "{nodeid}"',
        f"The grading process running {test} (one worker of a parallel grade) ended abruptly: usually your code "
        f"called os._exit() or sent a signal. The other tests were graded as usual. Run this test on its own to "
        f'see what ended it: pytest "{nodeid}"',
    )


def ended_before_tests(returncode: int) -> str:
    return say(
        f"評分程序在任何測試開始之前就突然結束了（結束碼 {returncode}），沒有留下結果：",
        f"The grading process ended abruptly before any test started (exit code {returncode}), leaving no result:",
    )


def did_not_run(test: str) -> str:
    return say(
        f"這個測試沒有執行：評分程序在 {test} 時就結束了（請看那個測試的訊息）。",
        f"This test did not run: the grading process had ended during {test} (see that test's message).",
    )
