"""The pytest plugin behind the kata: options, fixtures, backend parametrization, learner timeouts.

Registered by the root conftest.py. Fixtures a test can ask for:

    sqs           a boto3 SQS client on the backend under test (the learner's code gets it too)
    kata          the learner's module for this test file (exercises/ or solutions/, see --kata-target)
    clock         clock.advance(seconds): let time pass on the backend (simulated on moto)
    queue_name    a fresh queue name this test owns; make_queue(...) creates one for the test
    sqs_backend   the backend object (its name, what it lacks)
    faults        faults.next("SendMessage", "AccessDenied"): make the learner's next call of an action fail
    meter         meter.usage: the learner's SQS requests in this test, by action, and their price (sqs_kata.meter)
    crash         crash.handler(after=2): a message handler that dies like a killed worker on its 3rd call
    dynamodb      a boto3 DynamoDB client beside the backend (Part 2; sqs_kata.lab_fixtures, sqs_kata.dynamodb)
    make_table    make_table("claims"): a DynamoDB table this test owns (partition key "pk"), deleted afterwards
    worker_lab    the learner's worker as real OS processes the grader kills and restarts (sqs_kata.worker_lab)

The client in `sqs` carries the realism layer (sqs_kata.realism): real SQS's documented worst case on
top of the emulator, seeded from the test id, switched off only with --sqs-realism=off.

Every queue a test creates (through `sqs`, or whose name starts with the test's prefix) is deleted
when the test ends, pass or fail.
"""

from __future__ import annotations

import gc
import os
import re
import signal
import threading
import time
import zlib
from collections.abc import Callable, Generator, Iterator
from typing import Any

import pytest

from sqs_kata import (
    adoption,
    backend_choice,
    copying,
    lab_fixtures,
    learner,
    manifest,
    messages,
    queue_scope,
    realism,
    shared_servers,
)
from sqs_kata.backends import Backend, BackendError, Clock
from sqs_kata.context import current
from sqs_kata.crash import Crash
from sqs_kata.meter import Meter


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sqs-kata", "SQS kata")
    group.addoption(
        "--sqs-backend",
        action="append",
        default=None,
        metavar="NAME",
        help="where SQS runs: moto (default), moto-server, elasticmq, compose, testcontainers, "
        "aws, or a URL; repeat to grade on several (env SQS_KATA_BACKENDS=a,b)",
    )
    group.addoption(
        "--kata-target",
        default=None,
        metavar="DIR",
        help="what to grade: exercises (default), solutions, or a folder of NN_topic.py files (env SQS_KATA_TARGET)",
    )
    group.addoption(
        "--lang",
        default=None,
        choices=messages.LANGUAGES,
        help="language of the kata's messages (env SQS_KATA_LANG, else the locale)",
    )
    group.addoption(
        "--i-understand-aws-costs",
        action="store_true",
        default=False,
        help="allow --sqs-backend=aws to use real Amazon SQS (it costs money)",
    )
    group.addoption(
        "--kata-json",
        default=None,
        metavar="FILE",
        help="write every test's exercise, outcome and message to FILE (used by sqs-kata)",
    )
    group.addoption(
        "--sqs-realism",
        default=None,
        choices=("on", "off"),
        help="act as real SQS does where emulators are kinder (default on; env SQS_KATA_REALISM); "
        "off only to compare while debugging",
    )
    group.addoption(
        "--sqs-realism-seed",
        default=None,
        type=int,
        metavar="N",
        help="mix N into every test's realism seed to try other orders and samples (default 0)",
    )


class _Session:
    """What the plugin keeps for one pytest run."""

    def __init__(self, config: pytest.Config) -> None:
        self.target = learner.resolve_target(config.getoption("--kata-target"), config.rootpath)
        self.specs = backend_choice.selected(config.getoption("--sqs-backend"))
        try:
            confirmed = config.getoption("--i-understand-aws-costs")
            self.backends = {spec: backend_choice.create(spec, aws_confirmed=confirmed) for spec in self.specs}
        except BackendError as error:
            raise pytest.UsageError(str(error)) from None
        self.started: set[str] = set()
        self.server_lost = False  # a server stopped answering mid-run (see _stop_if_server_went_silent)
        self.attached = shared_servers.attached(config)  # a parallel worker: the servers its controller started

    def start(self, specs: set[str]) -> None:
        """Start the backends the collected tests use, before the first test runs."""
        for spec in self.specs:
            if spec in specs and spec not in self.started:
                backend = self.backends[spec]
                if spec in self.attached:
                    backend.attach(self.attached[spec]["endpoint_url"], self.attached[spec]["lacks"])
                    self.started.add(spec)
                    continue
                try:
                    backend.start()
                except BackendError as error:
                    # One message for the whole run (pytest prints "ERROR: ..."), not one failure per test.
                    raise pytest.UsageError(str(error)) from None
                silence = backend.silence() if backend.endpoint_url else None
                if silence:
                    backend.stop()
                    raise pytest.UsageError(messages.server_silent(silence))
                self.started.add(spec)
                # Once per run, before any test: what this server cannot do is skipped, named, everywhere.
                backend.probe()

    def backend(self, spec: str) -> Backend:
        self.start({spec})
        return self.backends[spec]

    def stop(self) -> None:
        for spec in self.started:
            backend = self.backends[spec]
            backend.close_clients() if backend.attached else backend.stop()
        self.started.clear()


_STATE = pytest.StashKey[_Session]()


def pytest_configure(config: pytest.Config) -> None:
    messages.set_language(config.getoption("--lang"))
    config.addinivalue_line(
        "markers",
        "needs(feature): the test needs a backend feature; backends without it skip the test, naming the feature",
    )
    config.addinivalue_line(
        "markers",
        "realism(duplicates=True, fewer=0.5): the realism layer also redelivers "
        "messages (at-least-once) to the learner's receives in this test; fewer: "
        "the chance that a long poll hands out fewer than asked",
    )
    config.stash[_STATE] = state = _Session(config)
    config.addinivalue_line(
        "markers",
        "long: waits several seconds on a live server; started first when the "
        "tests run in parallel (sqs_kata.shared_servers)",
    )
    if shared_servers.is_worker(config):
        config.pluginmanager.register(shared_servers.LongestFirst(), "sqs-kata-longest-first")
    if shared_servers.parallel_controller(config):  # -n N: one server for every worker (sqs_kata.shared_servers)
        config.pluginmanager.register(shared_servers.Controller(state.start, state.backends), "sqs-kata-servers")
    if not config.pluginmanager.is_registered(lab_fixtures):  # Part 2's fixtures: dynamodb, make_table, worker_lab
        config.pluginmanager.register(lab_fixtures, "sqs-kata-lab")
    adoption.install()  # before any test: a client learner code builds itself is graded like `sqs`
    # Learner code that loads the reference solution is noted (sqs_kata.copying); grading solutions/ never is.
    copying.arm(reference=config.rootpath / "solutions", target=config.stash[_STATE].target)
    json_path = config.getoption("--kata-json")
    if json_path and shared_servers.is_worker(config):  # a parallel run's controller records for all
        from sqs_kata.results import WorkerNotes

        config.pluginmanager.register(WorkerNotes(), "sqs-kata-worker-notes")
    elif json_path:
        from sqs_kata.results import Recorder

        recorder = Recorder(json_path)
        config.pluginmanager.register(recorder, "sqs-kata-recorder")
        current.breadcrumb = recorder.breadcrumb


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    if state is not None:
        state.stop()
    copying.disarm()
    # The run is over: spare the interpreter's last garbage collections. At exit Python collects every
    # generation again, and with boto3 and moto loaded that costs a third of a second -- more than a dozen
    # tests. Frozen objects are skipped by the collector; the process frees them as it ends. Objects made
    # after this (other plugins' reports) are collected as usual.
    gc.freeze()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "sqs_backend" in metafunc.fixturenames:
        specs = metafunc.config.stash[_STATE].specs
        ids = [metafunc.config.stash[_STATE].backends[s].name for s in specs]
        metafunc.parametrize("sqs_backend", specs, ids=ids, indirect=True)


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.option.collectonly:
        return
    used = {
        item.callspec.params["sqs_backend"]
        for item in session.items
        if hasattr(item, "callspec") and "sqs_backend" in item.callspec.params
    }
    session.config.stash[_STATE].start(used)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        exercise = manifest.for_test_path(item.path)
        if exercise is not None:
            item.user_properties.append(("exercise", exercise.slug))
        if manifest.is_hidden(item.path):  # reports show a hidden test's count and pass, never its name or message
            item.user_properties.append(("hidden", True))


@pytest.fixture
def sqs_backend(request: pytest.FixtureRequest) -> Backend:
    """The backend under test. Choose it with --sqs-backend (repeatable) or SQS_KATA_BACKENDS."""
    backend = request.config.stash[_STATE].backend(request.param)
    for marker in request.node.iter_markers("needs"):
        reason = backend.lacking(marker.args[0])
        if reason:
            pytest.skip(reason)
    return backend


@pytest.fixture(autouse=True)
def _pinned_environment(request: pytest.FixtureRequest) -> Iterator[None]:
    """A client the learner's code builds itself reaches only the backend under test (never real AWS)."""
    if "sqs_backend" not in request.fixturenames:
        yield
        return
    with request.getfixturevalue("sqs_backend").pinned_environment():
        yield


@pytest.fixture
def clock(sqs_backend: Backend) -> Iterator[Clock]:
    """clock.advance(seconds) lets time pass on the backend: simulated on moto, waited on a live server."""
    with sqs_backend.test_scope() as test_clock:
        yield test_clock


@pytest.fixture
def queue_prefix(sqs_backend: Backend) -> str:
    """A name prefix only this test uses; every queue named with it is deleted after the test."""
    return sqs_backend.queue_prefix()


@pytest.fixture
def queue_name(queue_prefix: str) -> str:
    """A fresh standard-queue name for the learner's code to create."""
    return queue_prefix + "main"


@pytest.fixture
def sqs(request: pytest.FixtureRequest, sqs_backend: Backend, clock: Clock, queue_prefix: str) -> Iterator[Any]:
    """A boto3 SQS client on the backend under test, this test's own. Queues created through it are removed
    afterwards (by the grader's own client: whatever the learner's code did to this one stays in this test)."""
    client = sqs_backend.test_client()
    queues = _QueueWatch()
    actions: set[str] = set()

    def note_action(model: Any, **_: Any) -> None:
        if current.in_call:  # only what the learner's code calls, not the grader's own checks
            actions.add(model.name)

    polls = _LongPollMeter()
    events = client.meta.events  # the client is this test's alone: nothing needs unregistering afterwards
    scope = queue_scope.current()
    if scope:  # one submission among many on a shared server: its clients see only its own queues
        queue_scope.install(events, queue_scope.name_prefix(scope))
    queues.install(events)
    events.register_first("before-call.sqs", note_action)
    # before-parameter-build sees the API parameters (before-call only sees the serialized request).
    events.register("before-parameter-build.sqs.ReceiveMessage", polls.start)
    events.register("after-call.sqs.ReceiveMessage", polls.stop)
    # What the learner's requests would cost on SQS: kept in the test's record (--kata-json) for the CLI and reports.
    meter = Meter(lambda: current.in_call).install(events)
    request.node.stash[_METER] = meter
    layer = _realism_layer(request, client)
    request.node.stash[_LAYER] = layer
    request.node.stash[_QUEUES] = queues
    adoption.begin(client)
    try:
        yield client
    finally:
        adoption.end()
        request.node.user_properties.append(("actions", sorted(actions)))
        request.node.user_properties.append(("requests", meter.usage.as_record()))
        # Time that SQS semantics forced this test to wait: clock advances and long polls (benchmark input).
        request.node.user_properties.append(("waited", getattr(clock, "waited", 0.0) + polls.total))
        if sqs_backend.keeps_queues:
            _delete_queues(sqs_backend.client(), queues.created, queue_prefix)
        sqs_backend.end_test_client(client)


class _QueueWatch:
    """The queues this test created and deleted; a queue it made and did not delete, found missing, was
    deleted by someone else (another learner on a shared server): that is nobody's mistake in this test."""

    _URL = "sqs_kata.queue_url"

    def __init__(self) -> None:
        self.created: list[str] = []
        self._deleted: set[str] = set()
        self.lost: str | None = None  # the URL of a queue someone else may have deleted

    def install(self, events: Any) -> None:
        events.register_first("provide-client-params.sqs", self._keep_url)
        events.register_first("after-call.sqs", self._after)

    def _keep_url(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if isinstance(params.get("QueueUrl"), str):
            context[self._URL] = params["QueueUrl"]

    def _after(self, parsed: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        url = context.get(self._URL)
        if model.name == "CreateQueue" and parsed.get("QueueUrl"):
            self.created.append(parsed["QueueUrl"])
        elif model.name == "DeleteQueue" and url:
            self._deleted.add(_queue_name(url))
        code = str(parsed.get("Error", {}).get("Code", ""))
        if url and code.removeprefix("AWS.SimpleQueueService.") in ("QueueDoesNotExist", "NonExistentQueue"):
            name = _queue_name(url)
            if name in {_queue_name(u) for u in self.created} and name not in self._deleted:
                self.lost = url  # a candidate: the report asks the server whether it is really gone


def _queue_name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


_QUEUES = pytest.StashKey[_QueueWatch]()


_LAYER = pytest.StashKey[realism.Layer]()
_METER = pytest.StashKey[Meter]()


def _realism_layer(request: pytest.FixtureRequest, client: Any) -> realism.Layer:
    """The realism layer for this test, seeded from its id so a failure replays the same way."""
    config = request.config
    setting = config.getoption("--sqs-realism") or os.environ.get("SQS_KATA_REALISM", "on")
    marker = request.node.get_closest_marker("realism")
    seed = zlib.crc32(request.node.nodeid.encode()) ^ (config.getoption("--sqs-realism-seed") or 0)
    kwargs = marker.kwargs if marker else {}
    return realism.Layer(
        client,
        seed=seed,
        realistic=setting != "off",
        in_learner_call=lambda: current.in_call,
        duplicates=bool(kwargs.get("duplicates")),
        fewer=float(kwargs.get("fewer", realism.SHORT_RECEIVE_CHANCE)),
    ).install()


@pytest.fixture
def faults(sqs: Any, request: pytest.FixtureRequest) -> realism.Faults:
    """faults.next(action, code) / faults.entry(action, index, code): errors for the learner's next calls."""
    return request.node.stash[_LAYER].faults


@pytest.fixture
def meter(sqs: Any, request: pytest.FixtureRequest) -> Meter:
    """meter.usage: the SQS requests the learner's code made in this test, and what SQS would bill for them."""
    return request.node.stash[_METER]


@pytest.fixture
def crash() -> Crash:
    """crash.handler(after=n, ...): a handler that 'kills the worker' on call n+1 (see sqs_kata.crash)."""
    return Crash()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failing test's message ends with what the realism layer did in it (seed included)."""
    report = yield
    if call.excinfo is not None and call.excinfo.errisinstance(LearnerTimeout):
        report.longrepr = str(call.excinfo.value)  # the message is the whole story: no traceback
    unfinished = _not_implemented(call.excinfo)
    if unfinished is not None:  # the Recorder keeps it: verify reads this, never the message's words
        report.user_properties.append(("not_implemented", unfinished))
    if report.failed and _WAITED_ON_SERVER.search(report.longreprtext):
        _stop_if_server_went_silent(item, report)
    queues = item.stash.get(_QUEUES, None)
    if report.failed and queues is not None and queues.lost and _really_gone(item, queues.lost):
        report.longrepr = messages.queue_deleted_elsewhere(_queue_name(queues.lost))
        return report
    layer = item.stash.get(_LAYER, None)
    if report.when == "call" and report.failed and layer is not None:
        notes = layer.report()
        if adoption.learner_built():
            notes = f"{messages.own_client()}\n{notes}".rstrip()
        if notes:
            report.longrepr = f"{report.longreprtext}\n{notes}"
    return report


def _not_implemented(excinfo: pytest.ExceptionInfo[BaseException] | None) -> str | None:
    """The learner function whose NotImplementedError failed the test (learner.NotImplementedYet), if one did."""
    if excinfo is None:
        return None
    error = excinfo.value
    if isinstance(error, BaseExceptionGroup):  # Hypothesis found several failing examples: all of them stubs?
        found = [e for e in _leaves(error) if isinstance(e, learner.NotImplementedYet)]
        return found[0].function if found and len(found) == len(_leaves(error)) else None
    return error.function if isinstance(error, learner.NotImplementedYet) else None


def _leaves(group: BaseExceptionGroup[BaseException]) -> list[BaseException]:
    return [leaf for e in group.exceptions for leaf in (_leaves(e) if isinstance(e, BaseExceptionGroup) else [e])]


# A failure that may be a server that stopped answering, not the learner's code: the time limit, or a
# network timeout in a call (botocore's words, in the learner's message or the grader's own traceback).
_WAITED_ON_SERVER = re.compile(
    r"ran longer than|Read timeout|ReadTimeoutError|ConnectTimeoutError|ConnectionClosedError|"
    r"EndpointConnectionError|Could not connect"
)


def _backend_of(item: pytest.Item) -> Backend | None:
    callspec = getattr(item, "callspec", None)
    spec = callspec.params.get("sqs_backend") if callspec is not None else None
    return item.config.stash[_STATE].backends.get(spec) if spec else None


def _really_gone(item: pytest.Item, url: str) -> bool:
    """Ask the server itself: a missing-queue answer can name another queue (a RedrivePolicy whose target does
    not exist, say), and then this test's queue is still there and the failure is the learner's to see."""
    backend = _backend_of(item)
    if backend is None:
        return False
    try:
        backend.client().get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    except Exception as error:  # noqa: BLE001 -- only a missing-queue answer proves it gone
        code = str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))
        return code.removeprefix("AWS.SimpleQueueService.") in ("QueueDoesNotExist", "NonExistentQueue")
    return False


def _stop_if_server_went_silent(item: pytest.Item, report: pytest.TestReport) -> None:
    """Ask the backend once; if it no longer answers, say so (not the learner's fault) and stop the run."""
    backend = _backend_of(item)
    if backend is None or not backend.endpoint_url:
        return
    silence = backend.silence()
    if silence:
        report.longrepr = messages.server_silent(silence)
        item.session.shouldstop = messages.server_silent(silence)
        item.config.stash[_STATE].server_lost = True


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """A server lost mid-run means the kata could not grade, as when it cannot start: exit code 4, not "failed"."""
    state = session.config.stash.get(_STATE, None)
    if state is not None and state.server_lost:
        session.exitstatus = pytest.ExitCode.USAGE_ERROR


class _LongPollMeter:
    """Adds up the time spent inside long polls (ReceiveMessage with WaitTimeSeconds > 0)."""

    def __init__(self) -> None:
        self.total = 0.0
        self._started: float | None = None

    def start(self, params: dict[str, Any], **_: Any) -> None:
        if params.get("WaitTimeSeconds"):
            self._started = time.perf_counter()

    def stop(self, **_: Any) -> None:
        if self._started is not None:
            self.total += time.perf_counter() - self._started
            self._started = None


def _delete_queues(client: Any, created: list[str], prefix: str) -> None:
    try:
        urls = set(created) | set(client.list_queues(QueueNamePrefix=prefix).get("QueueUrls", []))
    except Exception:  # noqa: BLE001 -- cleanup must not hide the test's own outcome
        urls = set(created)
    for url in urls:
        try:
            client.delete_queue(QueueUrl=url)
        except Exception:  # noqa: BLE001 -- already gone, or the backend is down: nothing left to do
            pass


@pytest.fixture
def make_queue(sqs: Any, queue_prefix: str) -> Callable[..., str]:
    """make_queue("dlq", fifo=False, VisibilityTimeout=1) -> URL of a queue the grader made for this test."""

    def make(suffix: str = "grader", *, fifo: bool = False, **attributes: Any) -> str:
        name = queue_prefix + suffix + (".fifo" if fifo else "")
        attrs = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in attributes.items()}
        if fifo:
            attrs["FifoQueue"] = "true"
        return sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]

    return make


@pytest.fixture
def kata(request: pytest.FixtureRequest) -> learner.LearnerModule:
    """The learner's module for this test file: tests/test_01_queues.py grades <target>/01_queues.py."""
    exercise = manifest.for_test_path(request.path)
    if exercise is None:
        raise pytest.UsageError(f"{request.path.name} does not match an exercise in kata.toml")
    target = request.config.stash[_STATE].target
    return learner.LearnerModule(target / exercise.filename, exercise.number)


@pytest.fixture(autouse=True)
def _learner_context(request: pytest.FixtureRequest) -> Iterator[None]:
    """Lets failure messages name the learner's file and the last call made into it."""
    exercise = manifest.for_test_path(request.path)
    target = request.config.stash[_STATE].target
    current.start_test(exercise, learner.display_path(target / exercise.filename) if exercise is not None else None)
    yield
    current.end_test()
    if exercise is not None:
        copied = copying.found.get(request.config.stash[_STATE].target / exercise.filename)
        if copied:  # the Recorder keeps it in this test's record; the CLI and the reports show it
            request.node.user_properties.append(("copied_reference", copied))


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """A plain `pytest` run names the exercises that use the reference (under the CLI, sqs-kata says it)."""
    if config.getoption("--kata-json"):
        return
    state = config.stash.get(_STATE, None)
    if state is None:
        return
    for exercise in manifest.load():
        copied = copying.found.get(state.target / exercise.filename)
        if copied:
            terminalreporter.write_line(messages.copied_reference(exercise.number, copied), yellow=True, bold=True)


class LearnerTimeout(BaseException):
    """The per-test time limit. Not an Exception (nor pytest's Failed): neither the learner's `except Exception`
    nor Hypothesis, which replays a failing example to shrink it, may catch it and run the endless call again."""


_TIMEOUT_RETRY_S = 0.05


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    return (yield from _phase())


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    return (yield from _phase())


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
    return (yield from _phase())


def _phase() -> Generator[None, None, None]:
    """Marks a phase pytest guards (an exception in it fails the test); the time limit waits for one."""
    current.in_phase = True
    try:
        return (yield)
    finally:
        current.in_phase = False


# pytest-timeout sets the per-test limit (ini `timeout`, --timeout, @pytest.mark.timeout); the kata
# replaces its stack dump with a message a learner can act on.
def pytest_timeout_set_timer(item: pytest.Item, settings: Any) -> bool | None:
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        return None  # let pytest-timeout's thread method handle it

    def on_timeout(signum: int, frame: Any) -> None:
        __tracebackhide__ = True
        if not current.in_phase:  # pytest's own reporting between phases: an exception here ends the run
            signal.setitimer(signal.ITIMER_REAL, _TIMEOUT_RETRY_S)  # strike in the next phase (or be cancelled)
            return
        raise LearnerTimeout(messages.timed_out(settings.timeout, current.last_call))

    signal.signal(signal.SIGALRM, on_timeout)
    signal.setitimer(signal.ITIMER_REAL, settings.timeout)
    return True


def pytest_timeout_cancel_timer(item: pytest.Item) -> bool | None:
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        return None
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    return True
