"""Which backends a run uses, by name, without importing boto3 (the CLI asks before pytest starts).

selected(["moto", "elasticmq"]) -> ["moto", "elasticmq"]     the names, in order, without repeats
live(["moto", "elasticmq"]) -> True                          a server is involved: its tests wait on it
"""

from __future__ import annotations

import os
from collections.abc import Mapping


def selected(options: list[str] | None, environ: Mapping[str, str] = os.environ) -> list[str]:
    """--sqs-backend values win; else SQS_KATA_BACKENDS (comma-separated); else SQS_ENDPOINT_URL; else moto."""
    if options:
        specs = options
    elif environ.get("SQS_KATA_BACKENDS"):
        specs = environ["SQS_KATA_BACKENDS"].split(",")
    elif environ.get("SQS_ENDPOINT_URL"):
        specs = [environ["SQS_ENDPOINT_URL"]]
    else:
        specs = ["moto"]
    unique: list[str] = []
    for spec in (s.strip() for s in specs):
        if spec and spec not in unique:
            unique.append(spec)
    return unique


def live(options: list[str] | None, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether any selected backend is a server (not the in-process moto): its tests mostly wait on SQS."""
    return any(spec != "moto" for spec in selected(options, environ))
