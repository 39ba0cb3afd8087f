"""Parallel grading (pytest-xdist, `-n N`): ONE server for all workers, started by the controller.

    pytest -n 4 --sqs-backend=elasticmq     the controller starts ElasticMQ once and probes it once;
                                            every worker attaches to that endpoint and grades its share

Without this each xdist worker would start a server of its own (a JVM each, for ElasticMQ) and probe it
again. A live server's tests mostly wait on SQS (visibility timeouts, long polls), so tests spread over
workers finish in about the time of the longest ones. Tests stay apart on the shared server because each
owns its queues by a random name prefix (Backend.queue_prefix) and deletes them afterwards.

In-process moto is not shared: every worker has its own mock (nothing to start, and its simulated clock
is the worker's own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from sqs_kata import messages

if TYPE_CHECKING:
    from sqs_kata.backends import Backend

# workerinput key: spec -> {"endpoint_url": ..., "lacks": {...}} of each server the controller started.
WORKER_INPUT = "sqs_kata_servers"


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def parallel_controller(config: pytest.Config) -> bool:
    """True in the process that hands tests to xdist workers (not in a worker, not in a plain run)."""
    # xdist registers its controller ("dsession") after every other plugin's pytest_configure: ask its option.
    return (
        not is_worker(config)
        and config.getoption("dist", default="no") != "no"
        and not config.getoption("collectonly", default=False)
    )


def attached(config: pytest.Config) -> dict[str, dict[str, Any]]:
    """In a worker: the servers the controller started, by spec ({} in any other process)."""
    return dict(getattr(config, "workerinput", {}).get(WORKER_INPUT, {}))


class Controller:
    """Registered in the xdist controller: starts the shareable backends once, before the first worker."""

    def __init__(self, start: Any, backends: dict[str, Backend]) -> None:
        self._start = start  # _Session.start: starts, checks for silence, probes (raises pytest.UsageError)
        self._backends = backends
        self._servers: dict[str, dict[str, Any]] | None = None

    def servers(self) -> dict[str, dict[str, Any]]:
        if self._servers is None:
            specs = {spec for spec, backend in self._backends.items() if backend.shared_by_workers}
            self._start(specs)
            self._servers = {
                spec: {"endpoint_url": self._backends[spec].endpoint_url, "lacks": dict(self._backends[spec].lacks)}
                for spec in specs
            }
        return self._servers

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[WORKER_INPUT] = self.servers()

    def pytest_handlecrashitem(self, crashitem: str, report: pytest.TestReport, sched: Any) -> None:
        """Learner code ended a worker (os._exit, a signal): one message for that test, not xdist's."""
        report.longrepr = messages.worker_ended(crashitem)


class LongestFirst:
    """Registered in each worker: the tests marked `long` (several seconds of SQS waits on a server) are handed
    out first, so the run does not end waiting on one of them started last. Every worker sorts alike (xdist
    requires the same order everywhere), after pytest-randomly's shuffle."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        items.sort(key=lambda item: item.get_closest_marker("long") is None)
