"""A pytest plugin for the selftests: records every DNS lookup and connect the kata's process makes.

Loaded with `-p socket_audit` (selftests/plugins on PYTHONPATH) before the kata's own plugin, so it sees
the learner's code and the grader alike. Python's audit hooks report `socket.getaddrinfo`,
`socket.gethostbyname` and `socket.connect`; each host is written, one per line, to the file named by
SQS_KATA_SOCKET_AUDIT. (Java's ElasticMQ process is not audited: it only listens on 127.0.0.1.)
"""

from __future__ import annotations

import os
import sys
from typing import Any

_LOG = os.environ.get("SQS_KATA_SOCKET_AUDIT")


def _host(event: str, args: tuple[Any, ...]) -> str | None:
    if event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"):
        return str(args[0])
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and address:
            return str(address[0])
        return None  # a Unix socket path: not the network
    return None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not event.startswith("socket.") or _LOG is None:
        return
    host = _host(event, args)
    if host is not None:
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{event} {host}\n")


sys.addaudithook(_audit)
if _LOG is not None:
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"audit.started {os.getpid()}\n")  # so an empty audit (moto: no sockets at all) is told from none
