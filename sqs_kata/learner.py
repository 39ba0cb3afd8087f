"""Loading the code under grade (exercises/ or solutions/) and calling it safely.

Every call into the learner's code goes through `LearnerFunction`, which turns whatever goes wrong
(a stub, an exception, a missing function, a file that does not compile) into one learner message
and a test *failure* -- never an error in the grader, never a wall of tracebacks.
"""

from __future__ import annotations

import importlib.util
import re
import reprlib
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from _pytest.outcomes import Failed  # pytest.fail.Exception, named so that it can be a base class

from sqs_kata import PROJECT_ROOT, copying, messages
from sqs_kata.context import current
from sqs_kata.targets import target_path, target_spec

_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60


def resolve_target(spec: str | None, rootdir: Path = PROJECT_ROOT) -> Path:
    """target_path(), checked: a target that is not a folder is a usage error with a learner message."""
    path = target_path(spec, rootdir)
    if not path.is_dir():
        spec = target_spec(spec)
        raise pytest.UsageError(
            messages.say(
                f"--kata-target {spec!r} 不是資料夾。請用 exercises、solutions，或放有 NN_topic.py 的資料夾路徑。",
                f"--kata-target {spec!r} is not a folder. Use exercises, solutions, or the path of a folder "
                "holding the NN_topic.py files.",
            )
        )
    return path


def display_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class LearnerModule:
    """Attribute access returns a guarded function; loading happens on first use, inside the test."""

    def __init__(self, path: Path, exercise_number: int) -> None:
        self.path = path
        self.file = display_path(path)
        self.exercise_number = exercise_number
        self._module: ModuleType | None = None

    def _load(self) -> ModuleType:
        __tracebackhide__ = True
        if self._module is None:
            self._module = _import_file(self.path, self.file)
        return self._module

    def __getattr__(self, name: str) -> LearnerFunction:
        __tracebackhide__ = True
        if name.startswith(("_", "hypothesis_")):  # dunders, and what Hypothesis or IPython probe for
            raise AttributeError(name)
        function = getattr(self._load(), name, None)
        if not callable(function):
            pytest.fail(messages.missing_function(name, self.file), pytrace=False)
        return LearnerFunction(function, self.file, self.path)


_loaded: dict[Path, ModuleType | str] = {}


def _import_file(path: Path, shown: str) -> ModuleType:
    """Import a file whose name starts with a digit; cache it, and cache the failure too."""
    __tracebackhide__ = True
    if path not in _loaded:
        if not path.is_file():
            _loaded[path] = messages.say(f"找不到檔案 {shown}。", f"The file {shown} does not exist.")
        else:
            spec = importlib.util.spec_from_file_location(f"kata_target_{path.stem}_{abs(hash(path))}", path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            before = current.enter({"importing": shown})
            try:
                with copying.running(path):  # import-time code may load the reference solution
                    # Compiled from the file as it is now, never from a cached .pyc: Python trusts a .pyc whose
                    # source has the same size and mtime in whole seconds, and two saves within one second (a
                    # digit changed, graded in between by `watch`) can match -- the old code would be graded.
                    exec(compile(path.read_bytes(), str(path), "exec", dont_inherit=True), module.__dict__)
                _loaded[path] = module
            except SyntaxError as error:
                line = (error.text or "").rstrip()
                _loaded[path] = f"  {shown}:{error.lineno}: SyntaxError: {error.msg}\n    {line}"
            except Exception as error:  # noqa: BLE001 -- any import-time failure is the learner's to see
                _loaded[path] = f"  {_where(error, path)}: {type(error).__name__}: {error}"
            except SystemExit as error:  # at import as in a call: it fails this exercise, not the whole grade
                _loaded[path] = f"  {_where(error, path)}: " + messages.exited_on_import(error.code)
            finally:
                current.leave(before)
    loaded = _loaded[path]
    if isinstance(loaded, str):
        pytest.fail(messages.cannot_load(shown, loaded), pytrace=False)
    return loaded


def _where(error: BaseException, path: Path) -> str:
    """The deepest frame in the learner's file, as file:line (in function)."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename) == path]
    if not frames:
        return display_path(path)
    frame = frames[-1]
    return f"{display_path(path)}:{frame.lineno} (in {frame.name})"


def describe_call(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    shown = [_client_name(a) if _is_sqs_client(a) else _short.repr(a) for a in args]
    shown += [f"{k}={_short.repr(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(shown)})"


def _is_sqs_client(value: Any) -> bool:
    return getattr(getattr(value, "meta", None), "service_model", None) is not None


def _client_name(client: Any) -> str:
    """How a call shows a boto3 client: `sqs`, or `dynamodb` for Part 2's DynamoDB client."""
    name = getattr(client.meta.service_model, "service_name", "sqs")
    return name if name == "dynamodb" else "sqs"


class LearnerFunction:
    def __init__(self, function: Any, file: str, path: Path | None = None) -> None:
        self._function = function
        self._file = file
        self._path = path or Path(file)  # the learner file the function was taken from (copying watches it)
        self.__name__ = function.__name__

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the learner's function; any exception it lets escape fails the test with one message."""
        __tracebackhide__ = True
        return self._run(args, kwargs, let_through=())

    def raised(self, *args: Any, **kwargs: Any) -> Exception | None:
        """Call the learner's function and return the SQS error it let through (None if it returned).

        For docstrings that say "any other error must reach the caller": the test then checks the error.
        A stub still fails with "not implemented yet", and any other kind of exception with its message.
        """
        __tracebackhide__ = True
        from botocore.exceptions import ClientError

        try:
            self._run(args, kwargs, let_through=(ClientError,))
        except ClientError as error:
            return error
        return None

    def _run(self, args: tuple[Any, ...], kwargs: dict[str, Any], let_through: tuple[type[Exception], ...]) -> Any:
        __tracebackhide__ = True
        call = describe_call(self.__name__, args, kwargs)
        current.last_call = call
        current.in_call = True
        before = current.enter({"calling": self.__name__, "file": self._file})
        unfinished = False
        try:
            with copying.running(self._path):
                return self._function(*args, **kwargs)
        except let_through:
            raise
        except NotImplementedError:
            message = messages.not_implemented(self.__name__, self._file)
            unfinished = True
        except Exception as error:  # noqa: BLE001 -- turned into one learner message below
            where = _where(error, Path(self._function.__code__.co_filename))
            message = _explain(call, error, where)
        except SystemExit as error:  # sys.exit() in an exercise would end the whole grade: it ends this test
            where = _where(error, Path(self._function.__code__.co_filename))
            message = messages.learner_exited(call, error.code, where)
        finally:
            current.in_call = False
            current.leave(before)
        # Failing outside the except block keeps pytest from printing the learner's exception chain.
        if unfinished:
            raise NotImplementedYet(message, self.__name__)
        pytest.fail(message, pytrace=False)


class NotImplementedYet(Failed):
    """The test fails because the learner's function raised NotImplementedError (every stub does: its body is
    `raise NotImplementedError("f is not implemented yet")`, see scripts/make_stub.py).

    A failure like any other for pytest and the learner; the plugin records `function` in the test's record
    (Record.not_implemented), so `sqs-kata verify` and the selftests read that outcome instead of matching text.
    """

    def __init__(self, message: str, function: str) -> None:
        super().__init__(message, pytrace=False)
        self.function = function


def _explain(call: str, error: Exception, where: str) -> str:
    """One learner message for an exception the learner's function let escape."""
    from botocore.exceptions import ClientError, ParamValidationError

    if isinstance(error, ParamValidationError):
        # Raised by botocore on this machine, before any request: the parameters do not fit the SQS API model.
        return messages.parameters_refused(call, str(error.kwargs.get("report", error)), where)
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        code = error.response.get("Error", {}).get("Code", "")
        if status >= 500 and code not in _SERVER_FAULTS_OF_SQS:
            # An emulator that crashed on the request (moto answers 500 for what it does not implement).
            said = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(error.response.get("Error", {}).get("Message", ""))))
            return messages.server_failed(call, error.operation_name, status, f"{code}: {said.strip()[:200]}", where)
    return messages.learner_raised(call, f"{type(error).__name__}: {error}", where)


# Errors real SQS itself answers with a 5xx: the learner's code meets these on AWS too (see sqs_kata.realism).
_SERVER_FAULTS_OF_SQS = {"InternalError", "ServiceUnavailable", "InternalFailure"}
