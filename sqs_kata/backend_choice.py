"""Which backends a run uses, and the backend object for each name: --sqs-backend / SQS_KATA_BACKENDS.

    selected(["moto", "elasticmq"]) -> ["moto", "elasticmq"]     the names, in order, without repeats
    create("http://localhost:9324") -> EndpointBackend(...)        an object, not started yet

Kept apart from sqs_kata.backends, which the Docker and AWS backends build on: the factory needs all of them.
"""

from __future__ import annotations

from sqs_kata.backend_names import selected  # noqa: F401 -- the factory's users read the names here too
from sqs_kata.backends import Backend, BackendError, ElasticMQBackend, EndpointBackend, MotoBackend, MotoServerBackend
from sqs_kata.messages import say


def create(spec: str, *, aws_confirmed: bool = False) -> Backend:
    """Turn one --sqs-backend value into a backend object (not started yet)."""
    spec = spec.strip()
    if spec == "moto":
        return MotoBackend()
    if spec == "moto-server":
        return MotoServerBackend()
    if spec == "elasticmq":
        return ElasticMQBackend()
    if spec == "elasticmq-1.5.7":  # the course's original sqs-local engine, for comparison (docs/conformance.md)
        return ElasticMQBackend("1.5.7")
    if spec in ("compose", "testcontainers"):
        from sqs_kata.docker_backends import ComposeBackend, ThrowawayContainerBackend

        return ComposeBackend() if spec == "compose" else ThrowawayContainerBackend()
    if spec == "aws":
        from sqs_kata.aws_backend import AwsBackend

        return AwsBackend(confirmed=aws_confirmed)
    if spec.startswith(("http://", "https://")):
        return EndpointBackend(spec)
    raise BackendError(
        say(
            f"不認得的 --sqs-backend {spec!r}。可用：{', '.join(KNOWN)}，或一個網址如 http://localhost:9324。",
            f"Unknown --sqs-backend {spec!r}. Choose one of: {', '.join(KNOWN)}, or a URL such as "
            "http://localhost:9324.",
        )
    )


KNOWN = ("moto", "moto-server", "elasticmq", "elasticmq-1.5.7", "compose", "testcontainers", "aws")
