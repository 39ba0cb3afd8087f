"""What the selftests need around the processes they start: a kata run that loads a selftest plugin, and the
processes a run left behind."""

from __future__ import annotations

import os
from pathlib import Path

PLUGINS = str(Path(__file__).parent / "plugins")


def with_plugins(env: dict[str, str]) -> dict[str, str]:
    """`env` for a child that loads a plugin of selftests/plugins with `-p NAME` (the current PYTHONPATH kept)."""
    return {**env, "PYTHONPATH": os.pathsep.join(p for p in (PLUGINS, os.environ.get("PYTHONPATH", "")) if p)}


def processes_mentioning(marker: str) -> list[str]:
    """Command lines of live processes that name `marker` (a test's own folder): kernels, browsers, servers, forks
    (a fork has the command line of the process it was forked from)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in command:
            found.append(f"{entry.name}: {command[:200]}")
    return found
