"""Where the kata's SQS lives: one object per backend.

A backend knows how to start, how to hand out a boto3 SQS client, and how time passes on it.
On moto, time is simulated (time-machine shifts moto's clock, so a 30 s visibility timeout costs
nothing); on a live server it is the wall clock, so the same test really waits.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol
from unittest import mock
from urllib.parse import urlsplit

import boto3
from botocore.config import Config

from sqs_kata import adoption, queue_scope
from sqs_kata.client_pool import ClientPool
from sqs_kata.messages import say

# The region every local backend uses. botocore rejects the course's old region name
# (underscores are not valid in region names), so a real-looking name it accepts is used.
LOCAL_REGION = "us-east-1"
DUMMY_CREDENTIALS = {"aws_access_key_id": "kata", "aws_secret_access_key": "kata"}

# Bounded network behaviour: a long poll lasts at most 20 s, so 25 s of read timeout is enough,
# and one retry keeps a dead endpoint from stalling a test for minutes.
CLIENT_CONFIG = Config(
    connect_timeout=2,
    read_timeout=25,
    retries={"mode": "standard", "total_max_attempts": 2},
)

# The grader's own housekeeping (deleting a test's queues, asking whether the server still answers) never
# long-polls: a server that gives no answer within seconds is not going to.
HOUSEKEEPING_READ_TIMEOUT_S = 5
HOUSEKEEPING_CONFIG = Config(
    connect_timeout=2,
    read_timeout=HOUSEKEEPING_READ_TIMEOUT_S,
    retries={"mode": "standard", "total_max_attempts": 1},
)

# Features some servers do not have; a test that needs one is skipped there with this name. What a server lacks is
# asked of the server itself when the run starts (Backend.probe), never read from the backend's name: the same
# name (an endpoint URL, compose) can stand for different servers.
MESSAGE_MOVE_TASKS = "message move tasks (StartMessageMoveTask / ListMessageMoveTasks / CancelMessageMoveTask)"
QUEUE_POLICY = "queue policies (AddPermission/RemovePermission storing a Policy attribute)"
# The row of the conformance report that shows each feature on every backend (docs/conformance.md): a skip reason
# points there, so a learner sees it is the server, not their code.
REPORT_ROWS = {
    QUEUE_POLICY: "docs/conformance.md#add-permission-policy",
    MESSAGE_MOVE_TASKS: "docs/conformance.md#message-move-task",
}


class BackendError(RuntimeError):
    """A backend could not be chosen or started. The text is the whole story for the learner."""


class Clock(Protocol):
    def advance(self, seconds: float) -> None:
        """Let `seconds` pass on the backend (simulated on moto, really waited on a live server)."""


class WallClock:
    """Live servers keep their own time: the only way to let it pass is to wait."""

    def __init__(self) -> None:
        self.waited = 0.0  # what the benchmark reports as waits forced by SQS semantics

    def advance(self, seconds: float) -> None:
        time.sleep(seconds)
        self.waited += seconds


class ShiftedClock:
    """moto runs in this process and reads time.time(); time-machine moves that clock forward.

    The clock keeps ticking (tick=True) because moto's long poll loops until real time passes;
    a frozen clock would make it wait forever.
    """

    def __init__(self, traveller: Any) -> None:
        self._traveller = traveller

    def advance(self, seconds: float) -> None:
        self._traveller.shift(dt.timedelta(seconds=seconds))


@contextmanager
def simulated_time() -> Iterator[Clock]:
    """moto's time for one test: shifted by clock.advance(), and long polls that cost no real time.

    A long poll that finds nothing lets its WaitTimeSeconds pass on the simulated clock and looks again,
    which is what a real long poll amounts to -- minus the real seconds.
    """
    import time_machine
    from moto.sqs import models
    from moto.sqs.models import SQSBackend

    original = SQSBackend.receive_message
    # moto's receive is not atomic: two workers' threads receiving at once could both get the same message, which
    # SQS never hands to two receivers within its visibility timeout. One receive at a time, as SQS behaves.
    receiving = threading.Lock()

    with time_machine.travel(dt.datetime.now(dt.UTC), tick=True) as traveller:

        def receive_message(backend: Any, queue_name: str, count: int, wait_seconds: int, *args: Any) -> Any:
            with receiving:
                messages = original(backend, queue_name, count, 0, *args)
                if not messages and wait_seconds:
                    traveller.shift(dt.timedelta(seconds=wait_seconds))
                    messages = original(backend, queue_name, count, 0, *args)
            return messages

        def retained(backend: Any, queue_name: str, message: Any) -> bool:
            # moto's own check builds every attribute of the queue, counting all its messages, for each message
            # it hands out: a backlog of 1,000 took two minutes to drain. Same rule, read from the queue directly.
            period = int(backend.get_queue(queue_name).message_retention_period)
            return period + message.sent_timestamp / 1000 > models.unix_time()

        def now_millis(when: Any = None) -> float:
            # moto asks the time twice per waiting message on every receive, through datetime; time.time() is the
            # same clock (time-machine moves both) at a tenth of the cost.
            return time.time() * 1000 if when is None else original_millis(when)

        # moto counts a queue's messages for every message sent (its attributes, for ContentBasedDeduplication) and
        # lists the waiting ones for every receive, asking the time twice per message: with a backlog of 1,000
        # that is seconds. The same rules (Message.visible, Message.delayed), with the time read once per pass.
        def waiting(queue: Any) -> list[Any]:
            now = time.time() * 1000
            return [m for m in queue._messages if now > m.visible_at and not now < m.delayed_until]

        def not_visible(queue: Any) -> int:
            now = time.time() * 1000
            return sum(1 for m in queue._messages if not now > m.visible_at)

        def delayed(queue: Any) -> int:
            now = time.time() * 1000
            return sum(1 for m in queue._messages if now < m.delayed_until)

        original_millis = models.unix_time_millis
        with (
            mock.patch.object(SQSBackend, "receive_message", receive_message),
            mock.patch.object(SQSBackend, "is_message_valid_based_on_retention_period", retained),
            mock.patch.object(models, "unix_time_millis", now_millis),
            mock.patch.object(models.Queue, "messages", property(waiting)),
            mock.patch.object(models.Queue, "approximate_number_of_messages_not_visible", property(not_visible)),
            mock.patch.object(models.Queue, "approximate_number_of_messages_delayed", property(delayed)),
        ):
            yield ShiftedClock(traveller)


def make_session(region: str = LOCAL_REGION, **credentials: str) -> Any:
    """A boto3 session. Loading the SQS model costs ~70 ms per data loader, a client from it ~2 ms: every
    session of the grader's shares one loader, so the model is read once per process -- or once for all
    the forks of a warm process (sqs_kata.warm)."""
    import botocore.session

    core = botocore.session.get_session()
    core.register_component("data_loader", _shared_loader())
    keys: dict[str, Any] = dict(credentials or DUMMY_CREDENTIALS)
    return boto3.session.Session(region_name=region, botocore_session=core, **keys)


@functools.cache
def _shared_loader() -> Any:
    import botocore.loaders

    loader = botocore.loaders.create_loader()
    loader._search_paths = _Paths(loader.search_paths)  # type: ignore[attr-defined]  # boto3 appends to it
    return loader


class _Paths(list[str]):
    """A loader's search paths: boto3 adds its data folder each time it builds a session on the loader."""

    def append(self, path: str) -> None:
        if path not in self:
            super().append(path)


def sqs_client(session: Any, endpoint_url: str | None = None, config: Config = CLIENT_CONFIG) -> Any:
    return session.client("sqs", endpoint_url=endpoint_url, config=config)


def _probe_policy(client: Any, queue: Callable[..., tuple[str, str]]) -> str | None:
    """QUEUE_POLICY: AddPermission must leave a Policy statement named by its label, and an unknown label be refused."""
    url, arn = queue("policy")
    label = "sqs-kata-probe"
    client.add_permission(QueueUrl=url, Label=label, AWSAccountIds=[arn.split(":")[4]], Actions=["SendMessage"])
    policy = client.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"]).get("Attributes", {}).get("Policy")
    statements = json.loads(policy).get("Statement", []) if policy else []
    statements = [statements] if isinstance(statements, dict) else statements
    if label not in {s.get("Sid") for s in statements if isinstance(s, dict)}:
        return "accepts AddPermission but stores no Policy attribute"
    from botocore.exceptions import ClientError

    try:
        client.remove_permission(QueueUrl=url, Label=label + "-absent")
    except ClientError:
        return None
    return "does not refuse RemovePermission of a label it does not have"


def _probe_move_task(client: Any, queue: Callable[..., tuple[str, str]]) -> str | None:
    """MESSAGE_MOVE_TASKS: a move task started on a dead-letter queue must be listed for it."""
    _, dlq_arn = queue("dlq")
    queue("source", RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "1"}))
    client.start_message_move_task(SourceArn=dlq_arn)
    tasks = client.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=1).get("Results", [])
    return None if tasks else "does not list the move task it started"


def _short(error: BaseException) -> str:
    """An error in one line: the operation and the server's code and first words (no HTML page), else its type."""
    response = getattr(error, "response", None)
    if isinstance(response, dict) and response.get("Error"):
        code = str(response["Error"].get("Code") or "")
        code = f"HTTP {code}" if code.isdigit() else code  # moto's server answers 500 for what it lacks
        text = (response["Error"].get("Message") or "").strip()
        text = "" if text.startswith("<") else text.splitlines()[0] if text else ""
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        said = f"{code}: {text}" if text and text != code else code or f"HTTP {status}"
        return f"{getattr(error, 'operation_name', '')} {said}".strip()[:200]
    return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}".strip(": ")[:200]


# What a client built inside a test sees (see Backend.pinned_environment).
PINNED_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": DUMMY_CREDENTIALS["aws_access_key_id"],
    "AWS_SECRET_ACCESS_KEY": DUMMY_CREDENTIALS["aws_secret_access_key"],
    "AWS_DEFAULT_REGION": LOCAL_REGION,
    "AWS_REGION": LOCAL_REGION,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
UNPINNED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
)


class Backend:
    """Base: a backend that is already running somewhere and keeps real time."""

    name: str = "backend"
    lacks: Mapping[str, str] = {}  # feature -> why this backend's server cannot run it (set by probe())
    live: bool = True
    keeps_queues: bool = True  # False where SQS starts empty for every test: nothing to delete afterwards
    endpoint_url: str = ""  # where a live backend answers; "" for in-process moto and for real AWS
    shared_by_workers: bool = True  # a parallel run's workers can all use one started in the controller
    attached: bool = False  # started (and probed) by another process: see attach()

    def __init__(self) -> None:
        self._client: Any = None
        self._session: Any = None
        self._test_clients: ClientPool | None = None

    def start(self) -> None:
        """Bring the backend up; raise BackendError with a learner message if it cannot."""

    def stop(self) -> None:
        """Release what start() took. Must be safe to call twice."""

    def attach(self, endpoint_url: str, lacks: Mapping[str, str]) -> None:
        """Use the server a parallel run's controller started and probed (sqs_kata.shared_servers), instead of
        start() and probe(). Its owner stops it: this process only closes its own clients."""
        self.endpoint_url = endpoint_url
        self.lacks = dict(lacks)
        self.attached = True

    def client(self) -> Any:
        """The grader's own client for housekeeping (deleting a test's queues): never handed to learner code."""
        if self._client is None:
            self._client = self.new_client(HOUSEKEEPING_CONFIG)
        return self._client

    def silence(self) -> str | None:
        """Why the server does not answer an SQS request within seconds (None when it answers, even with an error).

        A server that accepts connections but never answers would stall every test for its whole time limit,
        and the learner would be told their code loops; asked once, it stops the run with one message.
        """
        from botocore.exceptions import ClientError, ConnectionError as NoConnection, ReadTimeoutError

        try:
            self.client().list_queues(MaxResults=1)
        except ClientError:
            return None  # it answered
        except ReadTimeoutError:
            return say(
                f"{self.endpoint_url} 接受連線，但 {HOUSEKEEPING_READ_TIMEOUT_S} 秒內沒有回應 SQS 請求。",
                f"{self.endpoint_url} accepts connections but did not answer an SQS request within "
                f"{HOUSEKEEPING_READ_TIMEOUT_S} s.",
            )
        except NoConnection as error:
            return say(f"連不上 {self.endpoint_url}（{error}）。", f"Cannot reach {self.endpoint_url} ({error}).")
        return None

    def close_clients(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._test_clients is not None:
            self._test_clients.close()

    def test_client(self) -> Any:
        """The `sqs` client of one test: what learner code does to it (a replaced method, an event handler)
        cannot reach another test. Hand it back with end_test_client()."""
        if self._test_clients is None:
            self._test_clients = ClientPool(self.new_client)
        return self._test_clients.take()

    def end_test_client(self, client: Any) -> None:
        if self._test_clients is not None:
            self._test_clients.give_back(client)

    def new_client(self, config: Config = CLIENT_CONFIG) -> Any:
        with adoption.grader():
            if self._session is None:
                self._session = self.new_session()
            return sqs_client(self._session, self.endpoint_url or None, config)

    def new_session(self) -> Any:
        return make_session()

    def queue_prefix(self) -> str:
        """A name prefix no other test shares, so each test owns (and deletes) its own queues. Inside a
        submission's scope on a shared server (sqs_kata.queue_scope) it starts with that scope's prefix."""
        return f"{queue_scope.name_prefix(queue_scope.current())}{secrets.token_hex(4)}-"

    @contextmanager
    def test_scope(self) -> Iterator[Clock]:
        """Entered around every test; yields the clock that test may advance."""
        MotoBackend.release()  # an in-process mock must not intercept (or re-credential) another backend's calls
        yield WallClock()

    def lacking(self, feature: str) -> str | None:
        reason = self.lacks.get(feature)
        return f"{self.name}: {reason}" if reason else None

    def server(self) -> str:
        """The server, as a skip reason names it."""
        return f"the SQS server at {self.endpoint_url}" if self.endpoint_url else "Amazon SQS"

    def probe(self) -> None:
        """Ask the server, once and before any test, which of the optional features it really has.

        A few calls on queues of the probe's own (deleted again, whatever happens): a feature counts as there
        only if the server does what the tests will check -- stores a Policy after AddPermission, lists a move
        task it started. Any other answer (an error, NotImplementedError in moto, nothing stored) is recorded
        as the reason the feature's tests are skipped.
        """
        found: dict[str, str] = {}
        with self.test_scope():
            client = self.client()
            prefix = self.queue_prefix() + "probe-"
            made: list[str] = []

            def queue(suffix: str, **attributes: str) -> tuple[str, str]:
                url = client.create_queue(QueueName=prefix + suffix, Attributes=attributes)["QueueUrl"]
                made.append(url)
                arn = client.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
                return url, arn

            try:
                for feature, check in ((QUEUE_POLICY, _probe_policy), (MESSAGE_MOVE_TASKS, _probe_move_task)):
                    try:
                        missing = check(client, queue)
                    except Exception as error:  # noqa: BLE001 -- whatever the server says, the feature is not there
                        missing = f"does not support it ({_short(error)})"
                    if missing:
                        found[feature] = (
                            f"{self.server()} {missing}, so the tests of {feature} cannot run "
                            f"(see {REPORT_ROWS[feature]})"
                        )
            finally:
                for url in reversed(made):  # the source queue before its dead-letter queue
                    try:
                        client.delete_queue(QueueUrl=url)
                    except Exception:  # noqa: BLE001 -- already gone; the server's state is its own
                        pass
        self.lacks = found

    @contextmanager
    def pinned_environment(self) -> Iterator[None]:
        """Around every test: a client the learner's code builds itself reaches this backend and nothing else.

        boto3.client("sqs") reads AWS_ENDPOINT_URL_SQS, the region and the credentials from the environment:
        pinned here to this backend, throwaway credentials and no profile, config file or instance metadata,
        so learner code can never reach real AWS (or cost money) unless the aws backend was chosen.
        """
        pinned = {
            **PINNED_ENVIRONMENT,
            **(
                {"AWS_ENDPOINT_URL_SQS": self.endpoint_url, "AWS_ENDPOINT_URL": self.endpoint_url}
                if self.endpoint_url
                else {}
            ),
        }
        with mock.patch.dict(os.environ, pinned):
            for name in UNPINNED:
                os.environ.pop(name, None)
            boto3.DEFAULT_SESSION = None  # a session cached by an earlier test would keep its old settings
            try:
                yield
            finally:
                boto3.DEFAULT_SESSION = None


class MotoBackend(Backend):
    """moto in this process: no network, no Docker, no Java. Each test starts from an empty SQS.

    One mock_aws stays on across consecutive moto tests and SQS's state is reset before each: starting a
    mock registers ~1300 URL patterns for every AWS service, which cost more than most tests themselves.
    Any other backend's test switches it off first (see Backend.test_scope), and so does the end of the run.
    """

    name = "moto"
    live = False
    keeps_queues = False  # test_scope() resets SQS before every test
    shared_by_workers = False  # in-process: each parallel worker has its own mock (and its own clock)
    _mock: Any = None  # the mock_aws that is on, shared by every MotoBackend of the run

    def new_session(self) -> Any:
        import moto  # noqa: F401  -- importing moto installs its botocore hook before the session exists

        return make_session()

    def server(self) -> str:
        from moto import __version__

        return f"moto {__version__} (in this process)"

    def stop(self) -> None:
        self.release()

    @classmethod
    def switch_on(cls) -> None:
        """Start the run's one mock_aws, if it is not on yet (a warm process may have started it: sqs_kata.warm)."""
        from moto import mock_aws

        if cls._mock is None:
            # The test's pinned environment already holds throwaway credentials and resets boto3's session;
            # moto's own copies would be restored at release() over whatever the environment is by then.
            cls._mock = mock_aws(config={"core": {"mock_credentials": False, "reset_boto3_session": False}})
            cls._mock.start()

    @classmethod
    def release(cls) -> None:
        if cls._mock is not None:
            cls._mock.stop(remove_data=False)  # the next moto test resets SQS itself; resetting every service costs
            cls._mock = None

    @contextmanager
    def test_scope(self) -> Iterator[Clock]:
        from moto.sqs.models import sqs_backends

        MotoBackend.switch_on()
        sqs_backends.reset()  # what an earlier test left (a learner's leftover queue) is not this test's
        with simulated_time() as test_clock:
            yield test_clock


class MotoServerBackend(Backend):
    """moto's HTTP server on 127.0.0.1 and a free port: the same wire protocol a live server speaks."""

    name = "moto-server"
    live = False

    def __init__(self) -> None:
        super().__init__()
        self._server: Any = None
        self.endpoint_url = ""

    def start(self) -> None:
        from moto.server import ThreadedMotoServer

        # werkzeug logs every request; under a failing test that would bury the learner's message.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint_url = f"http://{host}:{port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def server(self) -> str:
        from moto import __version__

        return f"moto {__version__} at {self.endpoint_url}"

    @contextmanager
    def test_scope(self) -> Iterator[Clock]:
        if self.attached:  # the server's threads live in the controller of a parallel run: real time
            with super().test_scope() as wall_clock:
                yield wall_clock
            return
        MotoBackend.release()  # requests go over HTTP to the server, never through an in-process mock
        # The server's threads live in this process, so the simulated clock is theirs too.
        with simulated_time() as test_clock:
            yield test_clock


class EndpointBackend(Backend):
    """Any SQS-compatible server that is already running: `docker compose up -d sqs-local`, say."""

    def __init__(self, endpoint_url: str, name: str = "endpoint") -> None:
        super().__init__()
        self.endpoint_url = endpoint_url.rstrip("/")
        self.name = name

    def start(self) -> None:
        ensure_reachable(
            self.endpoint_url,
            fix=say(
                "先啟動伺服器：`docker compose up -d sqs-local`（有 Docker 時），或 `sqs-kata elasticmq`（只要 Java）。",
                "Start a server first: `docker compose up -d sqs-local` (with Docker), or "
                "`sqs-kata elasticmq` (Java only).",
            ),
        )


def ensure_reachable(endpoint_url: str, fix: str, seconds: float = 3.0) -> None:
    """Fail fast, in one message, when nothing answers at the endpoint (no per-test failures, no hang)."""
    parts = urlsplit(endpoint_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=seconds):
            pass
    except OSError as error:
        raise BackendError(
            say(
                f"連不上 SQS 伺服器 {endpoint_url}（{error.strerror or error}）。\n{fix}",
                f"No SQS server answers at {endpoint_url} ({error.strerror or error}).\n{fix}",
            )
        ) from None


class ElasticMQBackend(Backend):
    """ElasticMQ 1.7.1 -- the engine of the course's sqs-local container -- run by Java on 127.0.0.1.

    `version="1.5.7"` runs the engine of the course's original image (vsouza/sqs-local) instead: the
    conformance report compares the two (docs/conformance.md).
    """

    name = "elasticmq"

    def __init__(self, version: str = "1.7.1") -> None:
        super().__init__()
        self._server: Any = None
        self.endpoint_url = ""
        self.version = version
        if version != "1.7.1":
            self.name = f"elasticmq-{version}"

    def start(self) -> None:
        from sqs_kata.elasticmq import ElasticMQError, ElasticMQServer

        self._server = ElasticMQServer(version=self.version)
        try:
            self.endpoint_url = self._server.start()
        except ElasticMQError as error:
            # The launcher's details (Maven's and Java's own words) stay in English; say what happened first.
            raise BackendError(say("ElasticMQ 無法啟動，詳細原因如下（英文）：\n", "") + str(error)) from None

    def server(self) -> str:
        return f"ElasticMQ {self.version} at {self.endpoint_url}"

    def stop(self) -> None:
        # A long poll cut short by a learner timeout leaves its connection open, and ElasticMQ's
        # graceful stop would wait for it: close the clients' connections first.
        self.close_clients()
        if self._server is not None:
            self._server.stop()
            self._server = None
