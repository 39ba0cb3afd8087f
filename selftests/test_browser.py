"""work/kata.ipynb in a real JupyterLab, driven by a real browser: the board and a failure render in the page.

JupyterLab (pip, pinned in the dev extra) serves a copy of the notebook on 127.0.0.1 with a token; headless
Chromium from Debian's packages (`chromium`, `chromium-driver`, and `fonts-noto-cjk` so zh-TW renders) is driven
by Selenium through the system chromedriver -- nothing is downloaded. The notebook's cells grade a copy of the
exercise stubs against a server backend of this run (moto-server unless SQS_KATA_BACKENDS names another), through
SQS_ENDPOINT_URL, as the class Jupyter grades against cc104.sqs.local.

The screenshot is an artifact: out/browser/kata-notebook.png (out/ is git-ignored; docs/kata-notebook.png is a
committed copy for the README). CI installs Chromium (.ci/run) and sets SQS_KATA_BROWSER_REQUIRED=1, so there a
missing browser fails instead of skipping. JupyterLab, its kernel and the browser are stopped in a `finally`, and
the test checks that none of them is left.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from child_processes import processes_mentioning
from sqs_kata import PROJECT_ROOT, backend_choice, manifest

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
ARTIFACT = PROJECT_ROOT / "out" / "browser" / "kata-notebook.png"
SERVER_BACKENDS = [b for b in backend_choice.selected(None) if b not in ("moto", "aws")] or ["moto-server"]
# Generous waits for a busy machine; they only bound how long a broken page is waited for, nothing is timed.
SERVER_UP_S, PAGE_S, CELLS_S = 90, 90, 240
# The notebook's %kata cells (load_ext shows nothing): all have drawn when this many outputs are in the page.
MAGICS = sum(1 for line in json.loads((PROJECT_ROOT / "work" / "kata.ipynb").read_text(encoding="utf-8"))["cells"]
             if line["cell_type"] == "code" and "".join(line["source"]).startswith("%kata"))


@pytest.fixture
def browser_ready() -> None:
    missing = [name for name, path in (("chromium", CHROMIUM), ("chromium-driver", CHROMEDRIVER)) if not path]
    if missing:
        why = (f"the browser selftest needs Debian's {' and '.join(missing)} "
               "(apt-get install -y chromium chromium-driver fonts-noto-cjk)")
        if os.environ.get("SQS_KATA_BROWSER_REQUIRED") == "1":
            pytest.fail(why)
        pytest.skip(why)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_server(base: str, token: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_UP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab ended at start (code {process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {SERVER_UP_S} s:\n{log.read_text()[-3000:]}")


def stop_server(base: str, token: str, process: subprocess.Popen[bytes]) -> None:
    """Ask JupyterLab to shut down (it stops its kernels first); only if it does not, end it."""
    try:
        request = urllib.request.Request(f"{base}/api/shutdown", method="POST",
                                         headers={"Authorization": f"token {token}"})
        urllib.request.urlopen(request, timeout=10).close()
        process.wait(timeout=30)
    except (urllib.error.URLError, OSError, subprocess.TimeoutExpired):
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_chromium(profile: Path):  # -> selenium.webdriver.Chrome
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1400,1100", "--lang=zh-TW", f"--user-data-dir={profile}",
                 "--no-first-run", "--disable-extensions"):
        options.add_argument(flag)
    # The system chromedriver, given by path: Selenium Manager is never asked to download anything.
    return webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER or ""))


def text_of(driver, selector: str) -> str:
    return str(driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent).join('\\n')", selector))


@pytest.mark.timeout(480)
@pytest.mark.parametrize("backend_name", SERVER_BACKENDS[:1])
def test_kata_notebook_renders_the_board_and_a_failure_in_jupyterlab(browser_ready, backend_name, tmp_path):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    root = tmp_path / "lab"
    root.mkdir()
    shutil.copy(PROJECT_ROOT / "work" / "kata.ipynb", root / "kata.ipynb")
    stubs = tmp_path / "exercises"  # the committed stubs: a checkout where someone solved exercise 01 still fails here
    shutil.copytree(PROJECT_ROOT / "exercises", stubs)
    token, port = secrets.token_hex(16), free_port()
    base = f"http://127.0.0.1:{port}"
    backend = backend_choice.create(backend_name)
    backend.start()
    server = driver = None
    log = tmp_path / "jupyterlab.log"
    try:
        settings = {
            "SQS_ENDPOINT_URL": backend.endpoint_url, "SQS_KATA_TARGET": str(stubs), "SQS_KATA_LANG": "zh-TW",
            "SQS_KATA_STATE": str(tmp_path / "progress.json"),
            # One pytest process per %kata: the stubs fail at once, so parallel workers would only add start-ups
            # (this test is about the front-end; parallel grading has its own selftests).
            "SQS_KATA_WORKERS": "1",
            # Everything Jupyter writes goes under this test's folder (which also marks its processes).
            "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
            "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"), "IPYTHONDIR": str(tmp_path / "ipython"),
            "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"),
        }
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
                   f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
                   "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
                   "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                   *(["--allow-root"] if os.geteuid() == 0 else [])]  # CI containers run as root
        with backend.pinned_environment(), log.open("wb") as sink:  # the kernel's boto3 reaches this backend only
            env = {**{k: v for k, v in os.environ.items() if not k.startswith("SQS_KATA_")}, **settings}
            server = subprocess.Popen(command, env=env, cwd=root, stdin=subprocess.DEVNULL, stdout=sink,
                                      stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_server(base, token, server, log)
        driver = start_chromium(tmp_path / "chrome")
        driver.get(f"{base}/lab/tree/kata.ipynb?token={token}")
        WebDriverWait(driver, PAGE_S).until(lambda d: d.execute_script(
            "const app = window.jupyterapp; const w = app && app.shell.currentWidget;"
            "return !!(w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
            " && document.querySelector('.jp-Notebook .jp-Cell'))"))
        started = time.monotonic()
        driver.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        try:
            WebDriverWait(driver, CELLS_S, poll_frequency=1).until(
                lambda d: d.execute_script("return document.querySelectorAll('.sqs-kata').length >= arguments[0]",
                                           MAGICS)
                or d.execute_script("return !!document.querySelector('.jp-OutputArea-output[data-mime-type="
                                    "\"application/vnd.jupyter.stderr\"]')"))
        except TimeoutException:
            drawn = text_of(driver, ".jp-OutputArea-output")
            pytest.fail(f"the notebook's {MAGICS} %kata cells did not all draw within {CELLS_S} s; the page shows:\n"
                        f"{drawn[-3000:]}", pytrace=False)
        print(f"cells ran in {time.monotonic() - started:.1f} s")
        errors = text_of(driver, '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        assert not errors, f"a cell failed in the page:\n{errors}"
        board, check = text_of(driver, ".sqs-kata-board"), text_of(driver, ".sqs-kata-check")
        assert "SQS kata · 你的進度" in board and "課程任務" in board and f"0/{len(manifest.load())} 個練習完成" in board, board
        assert "還沒實作 (not implemented yet)" in check and "❌ 練習 01" in check, check
        assert "提示 1/" in text_of(driver, ".sqs-kata-hint")
        driver.execute_script("document.querySelectorAll('.Toastify').forEach(e => e.remove());"  # news toast
                              "document.querySelector('.sqs-kata-board').scrollIntoView({block: 'start'})")
        time.sleep(0.5)  # let the scrolled notebook repaint before the picture
        ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
        assert driver.save_screenshot(str(ARTIFACT))
        print(f"screenshot: {ARTIFACT}")
    finally:
        if driver is not None:
            driver.quit()
        if server is not None:
            stop_server(base, token, server)
        backend.stop()
    left = processes_mentioning(str(tmp_path))
    assert not left, "left running:\n" + "\n".join(left)
