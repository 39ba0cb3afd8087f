"""The kata in a notebook: `%load_ext sqs_kata`, then `%kata`, `%kata check 1`, `%kata hint 1`, `%kata grade`.

Each magic runs the very command of the CLI (sqs_kata.cli) with its consoles recording instead of printing,
and shows what they drew as HTML in the cell (rich's own HTML export, colours kept). Grading is the CLI's
too: a pytest in a subprocess (sqs_kata.runner), so a check always reads the exercise file as it is on disk
now -- the learner edits it and checks again, without restarting the kernel.

The HTML carries classes a browser can find: `sqs-kata` on every output, plus `sqs-kata-board`,
`sqs-kata-check`, `sqs-kata-hint`, `sqs-kata-grade` or `sqs-kata-usage` for what it shows.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import io
import shlex
from typing import Any

from rich.console import Console

from sqs_kata import cli, messages
from sqs_kata.app import Kata

# The page's own fonts, so the zh-TW text and the table's box characters line up in JupyterLab and in
# the exported notebook alike (no external stylesheet: the output must stand alone).
STYLE = (
    "font-family: 'Noto Sans Mono CJK TC', 'Noto Sans Mono', Menlo, Consolas, 'DejaVu Sans Mono', monospace;"
    " font-size: 13px; line-height: 1.35; white-space: pre-wrap; margin: 0;"
)
# Wide enough for the board's five columns and a test message's line; the cell scrolls when narrower.
WIDTH = 110
SHOWS = {
    None: "board",
    "board": "board",
    "check": "check",
    "next": "hint",
    "hint": "hint",
    "grade": "grade",
    "verify": "grade",
}
# `watch` waits for file saves forever and `elasticmq` runs a server: neither belongs in a cell.
NOT_IN_A_CELL = ("watch", "elasticmq", "conformance")


class _AsciiBoxes(io.StringIO):
    """Where the recording console writes (nothing reads it). Saying 'ascii' makes rich draw table borders with
    + - |: in a CJK monospace font box-drawing lines are full width and would break every row of the board,
    while ASCII is exactly half a Chinese character wide, so the columns line up. Text itself is kept as is."""

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "ascii"


def recording_console() -> Console:
    """A console that draws into memory for export_html, never straight into the notebook (rich would
    otherwise notice Jupyter and display each piece on its own)."""
    return Console(
        file=_AsciiBoxes(),
        record=True,
        width=WIDTH,
        force_jupyter=False,
        force_terminal=False,
        color_system="truecolor",
        highlight=False,
        soft_wrap=False,
    )


class NotebookKata(Kata):
    """The CLI's Kata, drawing into recording consoles; pytest's output is recorded as it arrives."""

    def __init__(self, args: argparse.Namespace) -> None:
        super().__init__(args)
        self.out = recording_console()
        self.err = recording_console()

    def _echo(self, text: str) -> None:
        self.out.print(text, end="", markup=False, emoji=False, highlight=False)


def run_line(line: str) -> tuple[int, str, str]:
    """Run one `%kata` line; return (exit code, what it shows: board/check/hint/grade/usage, HTML)."""
    try:
        argv = shlex.split(line)
    except ValueError as error:  # an unclosed quote
        return cli.USAGE, "usage", _usage(str(error))
    chosen = messages.set_language(cli._early_language(argv))
    try:
        parser = cli.build_parser()
        sink = io.StringIO()
        try:
            args, extra = _parse(parser, argv, sink)
        except SystemExit as stop:  # argparse's --help or its error: show what it wrote, keep the kernel
            return int(stop.code or 0), "usage", _usage(sink.getvalue().strip())
        if extra:
            return (
                cli.USAGE,
                "usage",
                _usage(
                    messages.say(
                        f"不認得的參數：{' '.join(extra)}（`%kata --help` 列出全部）",
                        f"unrecognized arguments: {' '.join(extra)} (`%kata --help` lists them all)",
                    )
                ),
            )
        if args.command in NOT_IN_A_CELL:
            return (
                cli.USAGE,
                "usage",
                _usage(
                    messages.say(
                        f"`%kata {' '.join(argv)}` 不能在 notebook 裡執行；請在終端機用 `sqs-kata {' '.join(argv)}`。"
                        "notebook 可用：%kata、%kata check N、%kata next、%kata hint N、%kata grade。",
                        f"`%kata {' '.join(argv)}` does not run in a notebook; use `sqs-kata {' '.join(argv)}` in a "
                        "terminal. In a notebook: %kata, %kata check N, %kata next, %kata hint N, %kata grade.",
                    )
                ),
            )
        try:
            kata = NotebookKata(args)
        except (OSError, ValueError) as error:
            return (
                cli.CANNOT_RUN,
                "usage",
                _usage(messages.say(f"讀不到 kata.toml：{error}", f"kata.toml cannot be read: {error}")),
            )
        try:
            code = cli.COMMANDS[args.command or "board"](kata, args)
        except KeyboardInterrupt:  # the notebook's Stop button: the pytest child got it too and tidied up
            kata.say_line("已停止。", "Stopped.", "yellow")
            code = cli.INTERRUPTED
        shows = SHOWS.get(args.command, "board")
        return code, shows, _page(kata, shows, chosen)
    finally:
        messages.set_language(None)  # the next cell detects the language afresh


def _parse(parser: argparse.ArgumentParser, argv: list[str], sink: io.StringIO) -> tuple[argparse.Namespace, list[str]]:
    """parse_known_args with argparse's printing (help, errors) caught in `sink`."""
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        return parser.parse_known_args(argv)


def _page(kata: NotebookKata, shows: str, lang: str) -> str:
    parts = [console.export_html(inline_styles=True, code_format="{code}") for console in (kata.out, kata.err)]
    body = "".join(f'<pre style="{STYLE}">{part}</pre>' for part in parts if part.strip())
    return f'<div class="sqs-kata sqs-kata-{shows}" lang="{lang}">{body}</div>'


def _usage(text: str) -> str:
    return (
        f'<div class="sqs-kata sqs-kata-usage" lang="{messages.language()}">'
        f'<pre style="{STYLE}">{html.escape(text)}</pre></div>'
    )


def kata_magic(line: str) -> None:
    """%kata [check N | next | hint N [--all] | grade] [--lang zh-TW|en] [--sqs-backend ...] [--kata-target ...]"""
    from IPython.display import HTML, display

    _, _, page = run_line(line)
    display(HTML(page))


def load(ipython: Any) -> None:
    ipython.register_magic_function(kata_magic, magic_kind="line", magic_name="kata")
