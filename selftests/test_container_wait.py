"""The testcontainers wait strategy of the kata (docker_backends._answers_list_queues), without Docker.

A container that exits while testcontainers looks up its port must be reported with its exit code, whichever of
testcontainers' errors that look ends in (a race seen in CI on a busy machine); one still starting is waited for.
"""

from __future__ import annotations

import pytest

pytest.importorskip("testcontainers", reason="the testcontainers backend's library is not installed")

from testcontainers.core.waiting_utils import WaitStrategy  # noqa: E402

from sqs_kata.docker_backends import _answers_list_queues  # noqa: E402


class FakeWrapped:
    """docker-py's container: `status` turns to "exited" once testcontainers has looked at it."""

    def __init__(self, container: FakeContainer) -> None:
        self._container = container
        self.status = "running"
        self.attrs = {"State": {"ExitCode": 3}}

    def reload(self) -> None:
        self.status = "exited" if self._container.port_looks else "running"

    def logs(self, tail: int) -> bytes:
        return b"this image only exits"


class FakeContainer:
    def __init__(self, error: Exception) -> None:
        self.port_looks = 0
        self._error = error
        self._wrapped = FakeWrapped(self)

    def get_wrapped_container(self) -> FakeWrapped:
        return self._wrapped

    def get_exposed_port(self, port: int) -> int:
        self.port_looks += 1
        raise self._error


@pytest.mark.parametrize("error", [TimeoutError("container did not become running"),
                                   ConnectionError("Port mapping for container x and port 9324 is not available")],
                         ids=["not-running", "no-port-mapping"])
def test_a_container_that_exits_during_the_port_look_is_reported_with_its_exit_code(error):
    wait = _answers_list_queues(WaitStrategy).with_startup_timeout(5).with_poll_interval(0.01)
    with pytest.raises(TimeoutError, match=r"exited \(code 3\): this image only exits"):
        wait.wait_until_ready(FakeContainer(error))


def test_a_port_not_mapped_yet_is_waited_for_until_the_deadline():
    container = FakeContainer(ConnectionError("Port mapping for container x and port 9324 is not available"))
    container._wrapped.reload = lambda: None  # type: ignore[method-assign]  # stays "running"
    wait = _answers_list_queues(WaitStrategy).with_startup_timeout(0.3).with_poll_interval(0.01)
    with pytest.raises(ConnectionError):
        wait.wait_until_ready(container)
    assert container.port_looks > 1
