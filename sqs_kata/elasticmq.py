"""Run ElasticMQ, an Amazon SQS emulator, as a local Java process.

The kata's tests (and learners without Docker) need a real SQS-compatible
server. ElasticMQ is published on Maven Central, so this module asks Maven for
the server's jars once, caches the resulting classpath, and then launches
``java org.elasticmq.server.Main`` on 127.0.0.1 whenever a server is needed::

    with ElasticMQServer() as server:
        sqs = boto3.client("sqs", endpoint_url=server.endpoint_url, ...)

From a shell: ``python -m sqs_kata.elasticmq [--port 9324] [--fetch-only]``.

The data files (``pom.xml``, ``elasticmq.conf``) live in ``sqs_kata/elasticmq_files/``.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import deque
from collections.abc import Callable
from pathlib import Path
from string import Template
from types import TracebackType

__all__ = [
    "ELASTICMQ_VERSION",
    "VERSIONS",
    "ElasticMQError",
    "ElasticMQServer",
    "classpath",
    "main",
]

ELASTICMQ_VERSION = "1.7.1"
# Versions the launcher knows how to run. 1.5.7 is the engine of the course's original image
# (vsouza/sqs-local); the conformance report (docs/conformance.md) runs it beside 1.7.1. Both are
# on Maven Central as org.elasticmq:elasticmq-server_2.13 and run on Java 17.
VERSIONS = ("1.7.1", "1.5.7")
DEFAULT_PORT = 9324
MAIN_CLASS = "org.elasticmq.server.Main"

_DATA_DIR = Path(__file__).resolve().parent / "elasticmq_files"
_FETCH_COMMAND = "python -m sqs_kata.elasticmq --fetch-only"
_JAVA_HINT = (
    "install a Java runtime, version 17 or newer (Debian/Ubuntu: "
    "`sudo apt-get install openjdk-17-jre-headless`, macOS: `brew install openjdk@17`), "
    "or set JAVA_HOME to an existing one"
)

# Bounds for every wait, so nothing can hang a test run.
_MAVEN_TIMEOUT_S = 600.0  # a cold download of ~40 jars; generous for slow links
_PROBE_TIMEOUT_S = 2.0  # one ListQueues request against a server that is up
_POLL_INTERVAL_S = 0.05
_STOP_TIMEOUT_S = 15.0  # graceful stop of a run that writes the ~45 MB CDS archive at exit
# Otherwise nothing needs a graceful stop (ElasticMQ keeps no data), and its HTTP shutdown waits for open
# connections -- such as a long poll a learner timeout cut short -- so it is not worth waiting long.
_QUICK_STOP_TIMEOUT_S = 2.0
_KILL_TIMEOUT_S = 5.0
_LOG_TAIL_LINES = 20

# JVM flags, each kept because it measurably shortened the time until the first
# ListQueues is answered (medians on an idle 2-CPU Linux box, Java 17; Java 25 alike):
#   * -XX:TieredStopAtLevel=1, the quick C1 JIT only: 1.18 s -> 0.86 s. A kata's
#     short bursts of calls run faster too (400 sends: 1.4 s vs 2.3 s with C2).
#   * an application class-data-sharing archive (see _cds_flags): 0.86 s -> 0.42 s.
# -XX:+UseSerialGC, -Xss512k and -Xshare:off were measured as well and gained
# nothing (nor memory), so they are left out. IgnoreUnrecognizedVMOptions lets a
# JVM that lacks a flag (Java < 13 has no ArchiveClassesAtExit) start anyway.
_JVM_FLAGS = ("-XX:+IgnoreUnrecognizedVMOptions", "-XX:TieredStopAtLevel=1")

# ElasticMQ 1.7.1 logs the first line once its HTTP listener is bound (with
# port 0 it is the only place that tells us which port the OS picked), and the
# second kind when startup failed -- after which its JVM lingers instead of exiting.
_BOUND_RE = re.compile(r"Started SQS rest server, bind address \S+, visible server address (https?://\S+)")
_FATAL_RE = re.compile(r"Cannot start SQS rest server|Uncaught exception in thread: main")
# HotSpot's complaint (on stdout, so in our log) when it cannot use a CDS archive.
_CDS_REJECTED_RE = re.compile(r"^\[[^\]]*\]\[(warning|error)\s*\]\[cds", re.MULTILINE)
# Java stack-trace frames: dropped from the log tail shown to learners.
_STACK_FRAME_RE = re.compile(r"^\s+(at |\.\.\. \d+ more)")


class ElasticMQError(RuntimeError):
    """ElasticMQ could not be fetched or started.

    ``str(error)`` is written for a learner: one paragraph saying what went
    wrong, ending in ``Hint: ...`` with the command that fixes it, optionally
    followed by the end of the server's log.
    """

    def __init__(self, what: str, hint: str, details: str = "") -> None:
        self.what = what
        self.hint = hint
        self.details = details
        message = f"{what} Hint: {hint}"
        if details:
            message += "\n\n" + details
        super().__init__(message)


# --------------------------------------------------------------------------
# Classpath: ask Maven once, then reuse the answer.
# --------------------------------------------------------------------------


def _cache_root() -> Path:
    """~/.cache/sqs-kata, or $XDG_CACHE_HOME/sqs-kata when that is set."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sqs-kata"


def _cache_dir(version: str = ELASTICMQ_VERSION) -> Path:
    # The pom's hash is part of the name, so editing the pom (e.g. a version
    # bump) never reuses a classpath that Maven computed for the old one.
    pom_digest = hashlib.sha256((_DATA_DIR / "pom.xml").read_bytes()).hexdigest()[:12]
    return _cache_root() / f"elasticmq-{version}-{pom_digest}"


def _fetch_command(version: str) -> str:
    return _FETCH_COMMAND + ("" if version == ELASTICMQ_VERSION else f" --elasticmq-version {version}")


def _pom_text(version: str) -> str:
    """The shipped pom, asking for `version` (the pom names ELASTICMQ_VERSION)."""
    text = (_DATA_DIR / "pom.xml").read_text(encoding="utf-8")
    tag = f"<elasticmq.version>{ELASTICMQ_VERSION}</elasticmq.version>"
    assert tag in text, "pom.xml and ELASTICMQ_VERSION disagree"
    return text.replace(tag, f"<elasticmq.version>{version}</elasticmq.version>")


def _valid_classpath(text: str, version: str = ELASTICMQ_VERSION) -> bool:
    """True if text names ElasticMQ's server jar and every jar in it exists."""
    jars = text.split(os.pathsep) if text else []
    has_server = any(f"elasticmq-server_2.13-{version}.jar" in jar for jar in jars)
    # Someone may have cleaned ~/.m2 since the cache was written; then Maven
    # must download again.
    return has_server and all(Path(jar).is_file() for jar in jars)


def _read_cached_classpath(cache_file: Path, version: str = ELASTICMQ_VERSION) -> str | None:
    """The cached classpath, or None if it is missing or points at deleted jars."""
    try:
        text = cache_file.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text if _valid_classpath(text, version) else None


def _maven_error_summary(output: str) -> str:
    """The informative '[ERROR]' lines of Maven's output, joined into one line."""
    errors = []
    for raw in output.splitlines():
        line = re.sub(r"\x1b\[[0-9;]*m", "", raw).strip()  # drop ANSI colours
        if not line.startswith("[ERROR]"):
            continue
        text = re.sub(r"\s*-> \[Help \d+\]$", "", line[len("[ERROR]") :].strip())
        # Skip Maven's generic advice ("Re-run Maven using the -X switch ...").
        if text and not text.startswith(("[Help", "To see the full stack", "Re-run Maven", "For more information")):
            errors.append(text)
    if not errors:
        tail = [line.strip() for line in output.splitlines() if line.strip()][-3:]
        errors = tail or ["(Maven printed nothing)"]
    return " ".join(errors[:3])


def _find_maven(version: str = ELASTICMQ_VERSION) -> str:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ElasticMQError(
            f"Maven (`mvn`) was not found on PATH; it is needed once to download "
            f"ElasticMQ {version} from Maven Central.",
            f"install Maven (Debian/Ubuntu: `sudo apt-get install maven`, macOS: "
            f"`brew install maven`), then run `{_fetch_command(version)}`.",
        )
    return mvn


def _run_maven(cache_dir: Path, offline: bool, version: str = ELASTICMQ_VERSION) -> str:
    """Run `mvn dependency:build-classpath` in cache_dir and return the classpath."""
    mvn = _find_maven(version)
    # Maven needs Java itself; failing here gives a clearer message than Maven's.
    _resolve_java(None)
    # Work on a copy of the pom: the installed package may be read-only.
    _write_atomically(cache_dir / "pom.xml", _pom_text(version))
    output_file = cache_dir / f"classpath.{os.getpid()}.tmp"
    command = [
        mvn,
        "-q",  # only errors, which we quote back to the learner
        "-B",  # batch mode: no prompts, no download progress bars
        "-f",
        str(cache_dir / "pom.xml"),
        # Full coordinates skip Maven's online lookup of the "dependency:" prefix;
        # the plugin's version is pinned in the pom.
        "org.apache.maven.plugins:maven-dependency-plugin:build-classpath",
        f"-Dmdep.outputFile={output_file}",
    ]
    if offline:
        command.insert(1, "-o")  # only the local ~/.m2 repository, no network
    try:
        result = subprocess.run(
            command,
            cwd=cache_dir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            timeout=_MAVEN_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ElasticMQError(
            f"Maven did not finish resolving ElasticMQ {version} within {_MAVEN_TIMEOUT_S:.0f} seconds.",
            f"check your connection to https://repo.maven.apache.org, then run `{_fetch_command(version)}`.",
        ) from None
    except OSError as exc:
        raise ElasticMQError(
            f"Maven could not be run ({exc}).",
            f"reinstall Maven (`sudo apt-get install maven`), then run `{_fetch_command(version)}`.",
        ) from exc
    try:
        text = output_file.read_text(encoding="utf-8").strip() if result.returncode == 0 else ""
    except OSError:
        text = ""
    finally:
        output_file.unlink(missing_ok=True)
    if not text:
        raise _maven_failure(result.returncode, result.stdout, offline, version)
    return text


def _maven_failure(returncode: int, output: str, offline: bool, version: str = ELASTICMQ_VERSION) -> ElasticMQError:
    what = (
        f"Maven could not resolve org.elasticmq:elasticmq-server_2.13:{version} "
        f"(exit code {returncode}): {_maven_error_summary(output)}"
    )
    if offline:
        hint = f"offline mode only uses jars already downloaded; run `{_fetch_command(version)}` once while online."
    else:
        hint = (
            "check that https://repo.maven.apache.org is reachable (a proxy goes in "
            f"~/.m2/settings.xml), then run `{_fetch_command(version)}`."
        )
    if not what.endswith("."):
        what += "."
    return ElasticMQError(what, hint)


def classpath(*, offline: bool = False, version: str = ELASTICMQ_VERSION) -> str:
    """Return the Java classpath (os.pathsep-joined jar paths) of ElasticMQ's server.

    The first call runs Maven on the pom.xml shipped in ``sqs_kata/elasticmq_files/``,
    which downloads the jars into ~/.m2 and writes the classpath into
    ``$XDG_CACHE_HOME/sqs-kata/`` (default ``~/.cache/sqs-kata/``). Later calls
    read that file and do not start Maven at all, as long as every jar it names
    still exists.

    With ``offline=True`` Maven runs with ``-o``: it may only use jars already
    in the local repository and never contacts Maven Central.

    Raises ElasticMQError (quoting Maven's own error) when Maven or Java is
    missing or Maven Central cannot supply the jars.
    """
    if version not in VERSIONS:
        raise ElasticMQError(
            f"ElasticMQ {version} is not one the kata runs ({', '.join(VERSIONS)}).",
            f"pick one of {', '.join(VERSIONS)}.",
        )
    cache_dir = _cache_dir(version)
    cache_file = cache_dir / "classpath.txt"
    cached = _read_cached_classpath(cache_file, version)
    if cached is not None:
        return cached
    text = _run_maven(cache_dir, offline, version)
    if not _valid_classpath(text, version):
        raise ElasticMQError(
            f"Maven reported a classpath for ElasticMQ {version}, but some of its jars do not exist.",
            f"delete {cache_dir} and run `{_fetch_command(version)}` again.",
        )
    _write_atomically(cache_file, text + "\n")
    return text


def _write_atomically(path: Path, text: str) -> None:
    """Write-then-rename, so a parallel test worker never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# --------------------------------------------------------------------------
# Java
# --------------------------------------------------------------------------


def _resolve_java(java: str | None) -> str:
    """Absolute path of the java executable: the given one, else PATH, else $JAVA_HOME."""
    if java is not None:
        found = shutil.which(java)  # accepts both "java17" and "/opt/jdk/bin/java"
        if found is None:
            raise ElasticMQError(
                f"The Java executable {java!r} does not exist or is not executable, so ElasticMQ cannot be started.",
                f"pass the path of a real `java` (for example `/usr/bin/java`), or {_JAVA_HINT}.",
            )
        return found
    found = shutil.which("java")
    if found is None and os.environ.get("JAVA_HOME"):
        found = shutil.which(str(Path(os.environ["JAVA_HOME"]) / "bin" / "java"))
    if found is None:
        raise ElasticMQError(
            "No Java runtime was found (`java` is not on PATH and JAVA_HOME does not "
            "point at one); ElasticMQ is a Java program.",
            _JAVA_HINT + ".",
        )
    return found


def _cds_archive(java: str, jars: str, version: str = ELASTICMQ_VERSION) -> Path:
    """Where the class-data-sharing archive for this JVM + classpath lives.

    An archive only works for the exact JVM build and classpath that wrote it,
    so both are part of the file name; a mismatched archive is merely ignored
    by the JVM (with a warning in the log), never fatal.
    """
    real = os.path.realpath(java)
    try:
        stat = os.stat(real)
        identity = f"{real}|{stat.st_size}|{stat.st_mtime_ns}|{jars}"
    except OSError:
        identity = f"{real}|{jars}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return _cache_dir(version) / "cds" / f"{digest}.jsa"


def _cds_enabled() -> bool:
    # Escape hatch in case some JVM misbehaves with CDS: SQS_KATA_ELASTICMQ_CDS=0.
    return os.environ.get("SQS_KATA_ELASTICMQ_CDS", "1").strip().lower() not in ("0", "false", "no", "off")


def _die_with_parent_hook() -> Callable[[], None] | None:
    """Linux only: a pre-exec hook that has the kernel SIGTERM the JVM when we die.

    atexit cannot run when pytest is SIGKILLed or crashes hard; this still
    stops the JVM then. The kernel sends the signal when the *thread* that
    started the JVM exits, so start servers from a long-lived thread, as
    pytest fixtures and the command line naturally do.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before fork()
    except (OSError, AttributeError):
        return None
    parent = os.getpid()
    pr_set_pdeathsig = 1

    def hook() -> None:  # runs in the child between fork() and exec()
        prctl(pr_set_pdeathsig, signal.SIGTERM)
        if os.getppid() != parent:  # we died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return hook


# --------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------


class ElasticMQServer:
    """One ElasticMQ process on ``host``; a context manager.

    ``port=0`` lets the operating system pick a free port (race-free, so
    parallel test workers never collide); read the result from
    ``endpoint_url`` after ``start()``. The process is stopped by ``stop()``,
    by leaving the ``with`` block, or at interpreter exit at the latest.
    """

    def __init__(
        self,
        port: int = 0,
        host: str = "127.0.0.1",
        java: str | None = None,
        startup_timeout: float = 60.0,
        version: str = ELASTICMQ_VERSION,
    ) -> None:
        self.version = version
        self.port = port
        self.host = host
        self.java = java
        self.startup_timeout = startup_timeout
        self.endpoint_url: str = ""  # set by start()
        self.log_path: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._workdir: Path | None = None
        self._cds_pending: tuple[Path, Path] | None = None  # (freshly written, final home)
        self._cds_in_use: Path | None = None  # the archive this JVM was told to map
        self._java_used = "java"  # resolved by start(); quoted in error hints

    # -- public API --------------------------------------------------------

    def start(self) -> str:
        """Launch ElasticMQ and wait until it answers ListQueues; return endpoint_url."""
        if self._process is not None and self._process.poll() is None:
            return self.endpoint_url
        self.stop()  # tidy up after a previous run whose JVM died on its own
        java = self._java_used = _resolve_java(self.java)
        jars = classpath(version=self.version)
        self._workdir = Path(tempfile.mkdtemp(prefix="sqs-kata-elasticmq-"))
        self.log_path = self._workdir / "elasticmq.log"
        try:
            config = self._write_config(self._workdir)
            command = [
                java,
                *_JVM_FLAGS,
                *self._cds_flags(java, jars),
                f"-Dconfig.file={config}",
                "-cp",
                jars,
                MAIN_CLASS,
            ]
            self._launch(command)
            self.endpoint_url = self._wait_until_ready()
        except BaseException:
            # Includes KeyboardInterrupt: never leave a half-started JVM behind.
            # Once a JVM ran, its temp dir is deliberately left on disk (and
            # forgotten, so a later stop() cannot delete it): the error quotes
            # its log's path.
            self._stop(keep_workdir=self._process is not None)
            self._workdir = None
            raise
        return self.endpoint_url

    def stop(self) -> None:
        """Stop the JVM (SIGTERM, then SIGKILL after a bound); safe to call twice."""
        self._stop(keep_workdir=False)

    def _stop(self, keep_workdir: bool) -> None:
        if self._process is not None:
            timeout = _STOP_TIMEOUT_S if self._cds_pending is not None else _QUICK_STOP_TIMEOUT_S
            killed = _terminate(self._process, timeout)
            # Forget the process only now: if a second Ctrl-C interrupts the
            # wait above, the atexit hook still knows there is a JVM to stop.
            self._process = None
            self._promote_cds_archive(ok=not killed)
            self._drop_rejected_cds_archive()
        atexit.unregister(self.stop)
        if self._workdir is not None and not keep_workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    @property
    def pid(self) -> int | None:
        """The JVM's process id while it runs (handy for debugging)."""
        return self._process.pid if self._process is not None else None

    def __enter__(self) -> ElasticMQServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = f"running at {self.endpoint_url}" if self._process is not None else "stopped"
        return f"<ElasticMQServer {self.version} {state}>"

    # -- helpers -----------------------------------------------------------

    def _write_config(self, workdir: Path) -> Path:
        template = Template((_DATA_DIR / "elasticmq.conf").read_text(encoding="utf-8"))
        text = template.substitute(
            host=self.host,
            port=self.port,
            # Only with port 0 must ElasticMQ work out its own URL (see the template).
            generate_node_address="true" if self.port == 0 else "false",
        )
        path = workdir / "elasticmq.conf"
        path.write_text(text, encoding="utf-8")
        return path

    def _cds_flags(self, java: str, jars: str) -> list[str]:
        """Reuse a class-data-sharing archive, or have this run write one.

        CDS memory-maps classes the JVM already parsed on a previous run, which
        halves ElasticMQ's startup. The first run writes the archive at exit
        into its temp dir; stop() then moves it into the cache atomically, so
        parallel runs never see a half-written file.
        """
        self._cds_pending = self._cds_in_use = None
        if not _cds_enabled():
            return []
        archive = _cds_archive(java, jars, self.version)
        if archive.is_file():
            self._cds_in_use = archive
            return [f"-XX:SharedArchiveFile={archive}"]
        assert self._workdir is not None
        fresh = self._workdir / "classes.jsa"
        self._cds_pending = (fresh, archive)
        return [f"-XX:ArchiveClassesAtExit={fresh}"]

    def _drop_rejected_cds_archive(self) -> None:
        """Delete an archive the JVM refused, so the next start writes a fresh one.

        HotSpot checks the jars' sizes and timestamps: a re-downloaded jar makes
        it skip the archive (startup just gets slower) and say so in the log.
        """
        archive, self._cds_in_use = self._cds_in_use, None
        if archive is not None and self.log_path is not None and _CDS_REJECTED_RE.search(_read_log(self.log_path)):
            with contextlib.suppress(OSError):
                archive.unlink()

    def _promote_cds_archive(self, ok: bool) -> None:
        pending, self._cds_pending = self._cds_pending, None
        if pending is None:
            return
        fresh, archive = pending
        try:
            if not ok:  # a SIGKILLed JVM may have left a truncated archive
                fresh.unlink(missing_ok=True)
            elif fresh.is_file() and fresh.stat().st_size > 0:
                archive.parent.mkdir(parents=True, exist_ok=True)
                os.replace(fresh, archive)
        except OSError:
            pass  # e.g. another process has it open on Windows; next run retries

    def _launch(self, command: list[str]) -> None:
        assert self.log_path is not None
        posix = os.name == "posix"
        with open(self.log_path, "wb") as log:
            try:
                self._process = subprocess.Popen(
                    command,
                    cwd=self.log_path.parent,  # anything the JVM writes lands in the temp dir
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    # Own session: a Ctrl-C in the terminal reaches only Python,
                    # which then stops the JVM in an orderly way.
                    start_new_session=posix,
                    preexec_fn=_die_with_parent_hook(),
                )
            except OSError as exc:
                raise ElasticMQError(
                    f"Java could not be started ({exc}).",
                    f"pass the path of a working `java`, or {_JAVA_HINT}.",
                ) from exc
        atexit.register(self.stop)

    def _wait_until_ready(self) -> str:
        """Poll until ListQueues succeeds; raise ElasticMQError on exit, failure or timeout.

        The URL is taken from *our* JVM's log line announcing its bound port,
        never assumed from self.port: a busy port would otherwise let some
        other server answer the probe and pass for ours.
        """
        assert self._process is not None and self.log_path is not None
        deadline = time.monotonic() + self.startup_timeout
        while True:
            code = self._process.poll()
            if code is not None:
                raise self._startup_failure(f"ElasticMQ exited with code {code} before it answered requests.")
            log = _read_log(self.log_path)
            if _FATAL_RE.search(log):
                # ElasticMQ logs the failure but its JVM keeps running; don't wait it out.
                raise self._startup_failure("ElasticMQ failed while starting and will not answer requests.")
            match = _BOUND_RE.search(log)
            if match and _answers_list_queues(match.group(1).rstrip("/")):
                return match.group(1).rstrip("/")
            if time.monotonic() >= deadline:
                raise self._startup_failure(
                    f"ElasticMQ did not answer a ListQueues request within {self.startup_timeout:g} seconds.",
                    timed_out=True,
                )
            time.sleep(_POLL_INTERVAL_S)

    def _startup_failure(self, what: str, timed_out: bool = False) -> ElasticMQError:
        assert self.log_path is not None
        tail = _log_tail(self.log_path)
        joined = "\n".join(tail)
        if "Address already in use" in joined or "BindException" in joined:
            hint = (
                f"port {self.port} is already in use, often by another ElasticMQ (such as the "
                f"Docker one from `docker compose up`); stop that program (`lsof -i :{self.port}` "
                f"shows it) or pick a free port with `python -m sqs_kata.elasticmq --port 0`."
            )
        elif "UnsupportedClassVersionError" in joined:
            hint = f"this Java is too old; {_JAVA_HINT}."
        elif timed_out:
            hint = (
                "a slow or busy machine can need longer: pass a larger startup_timeout, or run "
                "`python -m sqs_kata.elasticmq` to watch the server start."
            )
        else:
            hint = (
                f"check that `{self._java_used} -version` works and reports Java 17 or newer, and read the "
                "log below; `python -m sqs_kata.elasticmq` shows the server's output as it happens."
            )
        if tail:
            details = f"Last {len(tail)} lines of {self.log_path}:\n" + "\n".join(f"    {line}" for line in tail)
        else:
            details = f"The server's log ({self.log_path}) is empty."
        return ElasticMQError(what, hint, details)


def _terminate(process: subprocess.Popen[bytes], timeout: float = _STOP_TIMEOUT_S) -> bool:
    """Stop a process within bounded time. Returns True if it had to be SIGKILLed."""
    if process.poll() is not None:
        return False
    process.terminate()  # the JVM runs its shutdown hooks on SIGTERM
    try:
        process.wait(timeout=timeout)
        return False
    except subprocess.TimeoutExpired:
        process.kill()
        # If even SIGKILL takes longer, the kernel owns it; waiting more could hang.
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=_KILL_TIMEOUT_S)
        return True


def _answers_list_queues(url: str) -> bool:
    """True if an unsigned AWS JSON 1.0 ListQueues call succeeds.

    A raw request keeps this probe free of boto3 and fast; ElasticMQ does not
    check signatures.
    """
    request = urllib.request.Request(
        url + "/",
        data=b"{}",
        method="POST",
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "AmazonSQS.ListQueues",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=_PROBE_TIMEOUT_S) as response:
            return response.status == 200 and isinstance(json.loads(response.read() or b"{}"), dict)
    except (OSError, ValueError, http.client.HTTPException):
        return False  # not listening yet, or not ready to serve (URLError is an OSError)


def _read_log(log_path: Path) -> str:
    try:
        return log_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _log_tail(log_path: Path, lines: int = _LOG_TAIL_LINES) -> list[str]:
    """The log's last lines, minus Java stack frames, which would crowd out the message."""
    try:
        with open(log_path, encoding="utf-8", errors="replace") as log:
            kept = (line.rstrip() for line in log if not _STACK_FRAME_RE.match(line))
            return list(deque(kept, maxlen=lines))
    except OSError as exc:
        return [f"(log unreadable: {exc})"]


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def _usage_text(url: str, version: str = ELASTICMQ_VERSION) -> str:
    return f"""\
ElasticMQ {version} (an SQS emulator) is listening on {url}
Press Ctrl-C to stop it. Everything lives in memory and is gone after that.

AWS CLI (any non-empty credentials are accepted):
    AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x \\
    aws --endpoint-url {url} --region elasticmq sqs list-queues

boto3:
    import boto3
    sqs = boto3.client("sqs", endpoint_url="{url}", region_name="elasticmq",
                       aws_access_key_id="x", aws_secret_access_key="x")
    print(sqs.list_queues())
"""


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m sqs_kata.elasticmq",
        description=f"Run ElasticMQ {ELASTICMQ_VERSION}, a local Amazon SQS emulator, in the foreground.",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port on 127.0.0.1 to listen on; 0 picks a free one (default: {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--fetch-only",
        action="store_true",
        help="only download the server's jars and cache the classpath, then exit (for CI)",
    )
    parser.add_argument(
        "--elasticmq-version",
        choices=VERSIONS,
        default=ELASTICMQ_VERSION,
        help=f"which ElasticMQ to run (default: {ELASTICMQ_VERSION}; 1.5.7 is the course's original sqs-local)",
    )
    parser.add_argument("--java", default=None, help="java executable to use (default: java on PATH, then $JAVA_HOME)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m sqs_kata.elasticmq``; returns the exit code."""
    args = _parse_args(argv)
    if args.fetch_only:
        return _fetch_only(args.elasticmq_version)
    # Treat `kill <pid>` like Ctrl-C so the JVM is stopped, not orphaned.
    # (Signal handlers can only be set from the main thread.)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt) if in_main_thread else None
    try:
        return _run_foreground(args.port, args.java, args.elasticmq_version)
    finally:
        if in_main_thread and previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _fetch_only(version: str = ELASTICMQ_VERSION) -> int:
    try:
        jars = classpath(version=version)
    except ElasticMQError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    count = len(jars.split(os.pathsep))
    print(f"ElasticMQ {version}: {count} jars ready; classpath cached in {_cache_dir(version)}")
    return 0


def _run_foreground(port: int, java: str | None, version: str = ELASTICMQ_VERSION) -> int:
    try:
        server = ElasticMQServer(port=port, java=java, version=version)
        print(f"Starting ElasticMQ {version} ...", flush=True)
        server.start()
    except ElasticMQError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    print(_usage_text(server.endpoint_url, version), flush=True)
    return _serve_until_interrupted(server)


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _serve_until_interrupted(server: ElasticMQServer) -> int:
    process = server._process
    assert process is not None
    try:
        while process.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping ElasticMQ ...", flush=True)
        server.stop()
        print("Stopped.")
        return 0
    # The JVM died on its own (e.g. killed from outside): show why.
    tail = "\n".join(f"    {line}" for line in _log_tail(server.log_path)) if server.log_path else ""
    print(f"error: ElasticMQ exited unexpectedly with code {process.returncode}.\n{tail}", file=sys.stderr)
    server.stop()
    return 1


if __name__ == "__main__":
    sys.exit(main())
