"""sqs-kata: the grader behind the SQS kata (backends, fixtures, learner messages, results)."""

from pathlib import Path

# The repository root: where kata.toml, exercises/, solutions/ and tests/ live.
# The kata is used from a checkout (`pip install -e .`), so the package sits one level below it.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def load_ipython_extension(ipython: object) -> None:
    """`%load_ext sqs_kata` in a notebook: the %kata magic (sqs_kata.notebook, imported only then)."""
    from sqs_kata import notebook

    notebook.load(ipython)


__all__ = ["PROJECT_ROOT", "load_ipython_extension"]
