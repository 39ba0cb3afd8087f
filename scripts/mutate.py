"""Mutation testing for the kata: how many small bugs in solutions/ do the graded tests catch?

Each mutant changes ONE node of one solution file (a flipped comparison, a dropped keyword argument, a
number off by one, ...). Every mutant is graded by that exercise's test file alone, against a private copy of
solutions/ in a temp dir (--kata-target=<tmpdir>), so mutants run in parallel without touching the tree.
A mutant the tests fail on is *killed* (a pytest process stuck past --process-timeout counts as killed too,
"timeout"); one they pass is a *survivor*: a bug a learner could ship unnoticed, or an equivalent mutant (no
test can tell it apart). Equivalents are listed with a reason in scripts/mutation_equivalents.toml and left
out of the score, killed / (mutants - equivalent); they are still graded, and one a test kills is reported.

    python scripts/mutate.py                                  # all 14 exercises, moto, -j = CPU count
    python scripts/mutate.py --exercise 8 --show-survivors    # one exercise, print what survived
    python scripts/mutate.py --exercise 2 3 -j 2 --json out/mutation.json
    python scripts/mutate.py --list --exercise 8              # only list the mutants, run nothing
    python scripts/mutate.py --freeze                         # grade with a copy of the tree taken at start
    python scripts/mutate.py --freeze HEAD                    # solutions and tests as committed at HEAD
    python scripts/mutate.py --backend moto --backend http://127.0.0.1:9324   # killed if ANY backend kills it

Backends: every --backend value is passed to pytest as --sqs-backend. `elasticmq` makes EVERY pytest process
start its own Java ElasticMQ (several seconds per mutant, on top of the real waits the tests make on a live
server): run one server yourself (`sqs-kata elasticmq`) and pass its URL, --backend http://127.0.0.1:9324,
so all mutants share it (each test uses its own queue names, so parallel mutants do not collide).

Mutant ids look like `08_batches:chunks:slice:1a2b3c4d`: exercise, enclosing def, operator, and a hash of the
mutated code (before and after) plus its occurrence index in that def, so an id survives edits elsewhere in
the file. Operators: compare, boolop, unary-not, binop, number, bool, string, kwarg, dict-entry, delete,
return-none, loop-jump, slice, try-unwrap. Function bodies and module-level statements are mutated; never
docstrings, imports (`if TYPE_CHECKING:` ones too), annotations or default argument values.

The solutions are read once at start, so edits made to solutions/ during a run do not mix into it. The
tests and the grader (sqs_kata/, conftest.py) are used from the working tree as they are when each mutant
runs, unless --freeze copies them (and solutions/) to a temp dir at start, or takes them from a git revision
(`git archive`, read-only): then a long run grades every mutant with the same tests, whatever others edit.
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS_FILE = ROOT / "scripts" / "mutation_equivalents.toml"

if str(ROOT) not in sys.path:  # run as a script from anywhere: the kata package lives at the project root
    sys.path.insert(0, str(ROOT))

PYTEST_TIMEOUT_S = 20  # per test (pytest-timeout): a mutant that loops forever fails its test
MUTANT_TIMEOUT_S = 120  # per pytest process: past this the whole process group is killed ("timeout")
SNIPPET_CHARS = 120  # how much of original / mutated code is shown
CONTEXT_CHARS = 80  # a leaf constant is shown inside its parent expression when that is this short
STRING_MAX_CHARS = 40  # longer string constants are messages, not protocol values: not mutated

# A path from the module to a node: (field name, index in that field's list or None), one step per level.
NodePath = tuple[tuple[str, int | None], ...]
Replacement = ast.AST | list[ast.stmt]  # a list splices statements into the parent's statement list


# ----------------------------------------------------------------------------------------------- mutants


@dataclass(frozen=True)
class Mutant:
    """One first-order mutant: put `replacement` at `path` in the file's AST."""

    id: str
    exercise: str  # slug, e.g. "08_batches"
    function: str  # enclosing def (dotted when nested), or "<module>"
    operator: str
    line: int
    original: str  # one line, truncated, for people
    mutated: str
    path: NodePath = field(repr=False)
    replacement: Replacement = field(repr=False, compare=False)


@dataclass(frozen=True)
class _Site:
    """A node that may be mutated, with what the operators need to know about where it sits."""

    node: ast.AST
    path: NodePath
    ancestors: tuple[ast.AST, ...]  # from the module down to the parent: ancestors[k] sits at path[:k]
    scope: str

    @property
    def parent(self) -> ast.AST:
        return self.ancestors[-1]


COMPARE_SWAPS: dict[type[ast.cmpop], tuple[type[ast.cmpop], ...]] = {
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
    ast.Lt: (ast.LtE, ast.Gt),
    ast.LtE: (ast.Lt,),
    ast.Gt: (ast.GtE, ast.Lt),
    ast.GtE: (ast.Gt,),
    ast.In: (ast.NotIn,),
    ast.NotIn: (ast.In,),
    ast.Is: (ast.IsNot,),
    ast.IsNot: (ast.Is,),
}
BINOP_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.Mult,
}


def _with(node: ast.AST, **changes: object) -> ast.AST:
    """A deep copy of `node` with some fields replaced (the original tree is never changed)."""
    new = copy.copy(node)
    for name, value in changes.items():
        setattr(new, name, value)
    return copy.deepcopy(new)


def _compare(site: _Site) -> Iterator[Replacement]:
    node = site.node
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for swap in COMPARE_SWAPS.get(type(op), ()):
                yield _with(node, ops=[*node.ops[:i], swap(), *node.ops[i + 1 :]])


def _boolop(site: _Site) -> Iterator[Replacement]:
    if isinstance(site.node, ast.BoolOp):
        yield _with(site.node, op=ast.Or() if isinstance(site.node.op, ast.And) else ast.And())


def _unary_not(site: _Site) -> Iterator[Replacement]:
    if isinstance(site.node, ast.UnaryOp) and isinstance(site.node.op, ast.Not):
        yield copy.deepcopy(site.node.operand)


def _binop(site: _Site) -> Iterator[Replacement]:
    # `x += 1` is a binary operation too: a counter that counts down is the same bug as `x = x - 1`.
    if isinstance(site.node, (ast.BinOp, ast.AugAssign)) and type(site.node.op) in BINOP_SWAPS:
        yield _with(site.node, op=BINOP_SWAPS[type(site.node.op)]())


def _number(site: _Site) -> Iterator[Replacement]:
    node = site.node
    value = node.value if isinstance(node, ast.Constant) else None
    if not isinstance(value, (int, float)) or isinstance(value, bool):  # True + 1 is not a number off by one
        return
    yield ast.Constant(value + 1)
    if value != 0:  # 0 -> -1 mostly tests Python's negative indexing, not the kata
        yield ast.Constant(value - 1)


def _bool(site: _Site) -> Iterator[Replacement]:
    if isinstance(site.node, ast.Constant) and isinstance(site.node.value, bool):
        yield ast.Constant(not site.node.value)


def _string(site: _Site) -> Iterator[Replacement]:
    node = site.node
    # Literal parts of an f-string are prose, and changing them gives an f-string ast.unparse renders oddly.
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and len(node.value) <= STRING_MAX_CHARS
        and not isinstance(site.parent, ast.JoinedStr)
    ):
        yield ast.Constant(node.value + "X")


def _kwarg(site: _Site) -> Iterator[Replacement]:
    node = site.node
    if isinstance(node, ast.Call):
        for i in range(len(node.keywords)):
            yield _with(node, keywords=node.keywords[:i] + node.keywords[i + 1 :])


def _dict_entry(site: _Site) -> Iterator[Replacement]:
    node = site.node
    if isinstance(node, ast.Dict):
        for i in range(len(node.keys)):
            yield _with(node, keys=node.keys[:i] + node.keys[i + 1 :], values=node.values[:i] + node.values[i + 1 :])


def _delete(site: _Site) -> Iterator[Replacement]:
    node = site.node
    if (
        isinstance(node, (ast.Assign, ast.AugAssign))
        or (isinstance(node, ast.AnnAssign) and node.value is not None)
        or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call))
    ):
        yield ast.Pass()


def _return_none(site: _Site) -> Iterator[Replacement]:
    node = site.node
    if isinstance(node, ast.Return) and node.value is not None and not _is_none(node.value):
        yield ast.Return(ast.Constant(None))


def _loop_jump(site: _Site) -> Iterator[Replacement]:
    if isinstance(site.node, ast.Break):
        yield ast.Continue()
    elif isinstance(site.node, ast.Continue):
        yield ast.Break()


def _slice(site: _Site) -> Iterator[Replacement]:
    node = site.node
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
        if node.slice.lower is not None:
            yield _with(node, slice=_with(node.slice, lower=None))
        if node.slice.upper is not None:
            yield _with(node, slice=_with(node.slice, upper=None))


def _try_unwrap(site: _Site) -> Iterator[Replacement]:
    node = site.node
    if isinstance(node, ast.Try):
        # What runs when nothing is raised: the body, then `else:`, then `finally:`.
        yield copy.deepcopy(node.body + node.orelse + node.finalbody)


OPERATORS: dict[str, Callable[[_Site], Iterator[Replacement]]] = {
    "compare": _compare,
    "boolop": _boolop,
    "unary-not": _unary_not,
    "binop": _binop,
    "number": _number,
    "bool": _bool,
    "string": _string,
    "kwarg": _kwarg,
    "dict-entry": _dict_entry,
    "delete": _delete,
    "return-none": _return_none,
    "loop-jump": _loop_jump,
    "slice": _slice,
    "try-unwrap": _try_unwrap,
}


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _body_statements(
    node: ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, path: NodePath
) -> Iterator[tuple[ast.stmt, NodePath]]:
    """The statements of a body, without its docstring."""
    for i, statement in enumerate(node.body):
        if i == 0 and _is_docstring(statement):
            continue
        yield statement, (*path, ("body", i))


# Fields never walked into: annotations are not evaluated (from __future__ import annotations), and a
# lambda's parameters (with their defaults) are its interface, like a def's. A def's parameters, defaults,
# return annotation and decorators are never reached: only its body is walked (scope_body).
_SKIPPED_FIELDS: set[tuple[type[ast.AST], str]] = {(ast.AnnAssign, "annotation"), (ast.Lambda, "args")}


def _imports_for_type_checkers(statement: ast.stmt) -> bool:
    """`if TYPE_CHECKING: from ... import ...`: imports for editors only, never run, like an annotation."""
    return (
        isinstance(statement, ast.If) and isinstance(statement.test, ast.Name) and statement.test.id == "TYPE_CHECKING"
    )


def _sites(tree: ast.Module) -> Iterator[_Site]:
    """Every node of function bodies and module-level statements, in source order, with its scope."""

    def scope_body(
        node: ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
        path: NodePath,
        ancestors: tuple[ast.AST, ...],
        scope: str,
    ) -> Iterator[_Site]:
        for statement, statement_path in _body_statements(node, path):
            if isinstance(statement, (ast.Import, ast.ImportFrom)) or _imports_for_type_checkers(statement):
                continue
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inner = statement.name if scope == "<module>" else f"{scope}.{statement.name}"
                yield from scope_body(statement, statement_path, (*ancestors, node), inner)
            else:
                yield from walk(statement, statement_path, (*ancestors, node), scope)

    def walk(node: ast.AST, path: NodePath, ancestors: tuple[ast.AST, ...], scope: str) -> Iterator[_Site]:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):  # a def inside a def
            yield from scope_body(node, path, ancestors, f"{scope}.{node.name}")
            return
        yield _Site(node, path, ancestors, scope)
        for name, value in ast.iter_fields(node):
            if (type(node), name) in _SKIPPED_FIELDS:
                continue
            if isinstance(value, ast.AST):
                yield from walk(value, (*path, (name, None)), (*ancestors, node), scope)
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        yield from walk(item, (*path, (name, i)), (*ancestors, node), scope)

    yield from scope_body(tree, (), (), "<module>")


def _one_line(text: str, limit: int | None = SNIPPET_CHARS) -> str:
    """Multi-line code (a try statement) on one line; shortened for display when `limit` is given."""
    text = " ⏎ ".join(line.strip() for line in text.splitlines() if line.strip())
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def _unparse(replacement: Replacement) -> str:
    if isinstance(replacement, list):
        return "\n".join(ast.unparse(statement) for statement in replacement)
    return ast.unparse(replacement)


# Where a constant is shown: in the first enclosing node that is not merely a container or a sign (so `[-1]`
# shows as `parts[-1]`, and `1:3` as `items[1:3]`), if that is an expression, keyword or simple statement.
_SEE_THROUGH = (ast.Slice, ast.Tuple, ast.List, ast.Set, ast.UnaryOp)
_CONTEXTS = (ast.expr, ast.keyword, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return)


def _context(site: _Site, replacement: Replacement) -> tuple[str, str]:
    """Code before and after, in full. A bare constant ("10" -> "11") says little, so a constant is shown
    inside its enclosing expression, keyword or simple statement when that is short."""
    if isinstance(site.node, ast.Constant):
        depth = len(site.ancestors) - 1
        while depth > 0 and isinstance(site.ancestors[depth], _SEE_THROUGH):
            depth -= 1
        context = site.ancestors[depth]
        if isinstance(context, _CONTEXTS) and len(before := ast.unparse(context)) <= CONTEXT_CHARS:
            after = copy.deepcopy(context)
            *steps, (field_name, index) = site.path[depth:]
            _replace(_follow(after, steps), field_name, index, replacement)
            return before, ast.unparse(after)
    return ast.unparse(site.node), _unparse(replacement)


def _follow(node: ast.AST, steps: Sequence[tuple[str, int | None]]) -> ast.AST:
    for field_name, index in steps:
        node = getattr(node, field_name) if index is None else getattr(node, field_name)[index]
    return node


def _replace(parent: ast.AST, field_name: str, index: int | None, replacement: Replacement) -> None:
    if index is None:
        assert isinstance(replacement, ast.AST), "a list of statements can only replace a list item"
        setattr(parent, field_name, replacement)
    else:
        items = getattr(parent, field_name)
        items[index : index + 1] = replacement if isinstance(replacement, list) else [replacement]


def mutant_id(exercise: str, function: str, operator: str, original: str, mutated: str, occurrence: int) -> str:
    """Stable across edits elsewhere in the file: no line numbers, only what changes and where (by def)."""
    digest = hashlib.sha1("\0".join((original, mutated, str(occurrence))).encode("utf-8")).hexdigest()[:8]
    return f"{exercise}:{function}:{operator}:{digest}"


def generate(source: str, exercise: str) -> list[Mutant]:
    """All first-order mutants of one file's source, in source order."""
    tree = ast.parse(source)
    mutants: list[Mutant] = []
    seen: Counter[tuple[str, str, str, str]] = Counter()  # (function, operator, original, mutated)
    for site in _sites(tree):
        for operator, make in OPERATORS.items():
            for replacement in make(site):
                original, mutated = _context(site, replacement)
                key = (site.scope, operator, original, mutated)
                occurrence = seen[key]
                seen[key] += 1
                mutants.append(
                    Mutant(
                        id=mutant_id(exercise, site.scope, operator, original, mutated, occurrence),
                        exercise=exercise,
                        function=site.scope,
                        operator=operator,
                        line=getattr(site.node, "lineno", 0),
                        original=_one_line(original),
                        mutated=_one_line(mutated),
                        path=site.path,
                        replacement=replacement,
                    )
                )
    return mutants


def mutated_source(source: str, mutant: Mutant) -> str:
    """The whole file with that one mutant applied (re-parsed, so the mutant's own nodes stay untouched)."""
    tree = ast.parse(source)
    *steps, (field_name, index) = mutant.path
    _replace(_follow(tree, steps), field_name, index, copy.deepcopy(mutant.replacement))
    return ast.unparse(tree) + "\n"


def round_trip(source: str) -> str:
    """The unmutated file as the mutants are written (ast.unparse drops comments and formatting)."""
    return ast.unparse(ast.parse(source)) + "\n"


def load_equivalents(path: Path = EQUIVALENTS_FILE) -> dict[str, str]:
    """Mutant id -> why no test can tell that mutant from the solution."""
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {str(key): str(reason) for key, reason in data.items()}


# ----------------------------------------------------------------------------------------------- running


@dataclass
class Result:
    mutant: Mutant
    status: str  # killed / survived / timeout / equivalent
    killed_by: str | None = None  # the backend whose run failed
    seconds: float = 0.0
    exit_code: int | None = None
    output: str = ""  # the tail of pytest's output when the exit code was not a plain test failure


@dataclass(frozen=True)
class RunConfig:
    backends: tuple[str, ...]
    snapshot: dict[str, str]  # file name -> source of every solution, as read at start
    grader_root: Path = ROOT  # where pytest runs: its conftest.py, sqs_kata/ and tests/ grade the mutants
    pytest_timeout: int = PYTEST_TIMEOUT_S
    process_timeout: int = MUTANT_TIMEOUT_S


# The pytest processes running now, so an interrupted run can stop them (they have sessions of their own,
# so Ctrl-C in the terminal does not reach them).
_running: set[subprocess.Popen[str]] = set()
_running_lock = threading.Lock()
_stopping = threading.Event()  # set on interrupt: no new pytest process starts after it


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops a run like Ctrl-C does, so no pytest process is left behind."""
    raise KeyboardInterrupt


def stop_all() -> None:
    _stopping.set()
    with _running_lock:
        for proc in list(_running):
            _kill(proc)


def _kill(proc: subprocess.Popen[str]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _run_pytest(target: Path, test_file: str, backend: str, config: RunConfig) -> tuple[int | None, str]:
    """Grade `target` with one test file on one backend. Returns (exit code or None on timeout, output)."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-x",
        "-q",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        f"--sqs-backend={backend}",
        f"--kata-target={target}",
        f"--timeout={config.pytest_timeout}",
        test_file,
    ]
    # No .pyc files: each temp dir is graded once. English output, whatever the locale.
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "SQS_KATA_LANG": "en"}
    # A session of its own, so a timeout can kill pytest together with what it started (a Java ElasticMQ).
    with _running_lock:
        if _stopping.is_set():
            return -1, "interrupted"
        proc = subprocess.Popen(
            command,
            cwd=config.grader_root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        _running.add(proc)
    try:
        output, _ = proc.communicate(timeout=config.process_timeout)
        return proc.returncode, output
    except subprocess.TimeoutExpired:
        _kill(proc)
        output, _ = proc.communicate()
        return None, output
    finally:
        with _running_lock:
            _running.discard(proc)


def _write_target(folder: Path, snapshot: dict[str, str], filename: str, source: str) -> None:
    for name, text in snapshot.items():
        (folder / name).write_text(source if name == filename else text, encoding="utf-8")


@dataclass(frozen=True)
class Grade:
    status: str  # killed / survived / timeout
    killed_by: str | None = None
    exit_code: int | None = 0
    output: str = ""  # pytest's output tail, kept when it is not a plain test failure
    skipped: dict[str, int] = field(default_factory=dict)  # backend -> tests skipped there (all backends ran)


def _skipped(output: str) -> int:
    """How many tests pytest -q says it skipped ("12 passed, 3 skipped in 0.7s")."""
    match = re.search(r"(\d+) skipped", output.strip().splitlines()[-1] if output.strip() else "")
    return int(match.group(1)) if match else 0


def grade(filename: str, source: str, test_file: str, config: RunConfig) -> Grade:
    """Run one version of one file through its tests on each backend until one fails it."""
    skipped: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="sqs-kata-mutant-") as tmp:
        _write_target(Path(tmp), config.snapshot, filename, source)
        for backend in config.backends:
            code, output = _run_pytest(Path(tmp), test_file, backend, config)
            if code is None:
                return Grade("timeout", backend, None, output[-2000:])
            if code != 0:
                # 1 is "a test failed"; anything else (usage error, crash) is kept so it can be looked at.
                return Grade("killed", backend, code, "" if code == 1 else output[-2000:])
            skipped[backend] = _skipped(output)
    return Grade("survived", skipped=skipped)


@dataclass(frozen=True)
class Exercise:
    number: int
    slug: str
    filename: str
    test_file: str


def select_exercises(numbers: Sequence[int] | None, root: Path = ROOT) -> list[Exercise]:
    from sqs_kata import manifest

    known = {e.number: Exercise(e.number, e.slug, e.filename, e.test_file) for e in manifest.load(root / "kata.toml")}
    if numbers:
        unknown = sorted(set(numbers) - set(known))
        if unknown:
            sys.exit(f"unknown exercise number(s): {unknown}; known: {sorted(known)}")
        return [known[n] for n in sorted(set(numbers))]
    return list(known.values())


def in_parallel(
    work: Callable[[T], R], items: Sequence[T], jobs: int, on_done: Callable[[int, R], None] = lambda done, result: None
) -> list[tuple[T, R]]:
    """work(item) for every item on `jobs` threads; on_done(count so far, result) as each one finishes."""
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = {pool.submit(work, item): item for item in items}
        finished = []
        for done, future in enumerate(as_completed(futures), start=1):
            finished.append((futures[future], future.result()))
            on_done(done, finished[-1][1])
    except KeyboardInterrupt:
        # Leaving a pool normally would first run everything still queued: cancel that, stop what runs.
        pool.shutdown(wait=False, cancel_futures=True)
        stop_all()
        raise
    pool.shutdown()
    return finished


def baseline(exercises: list[Exercise], config: RunConfig, jobs: int) -> dict[str, dict[str, int]]:
    """The unmutated solutions (as ast.unparse writes them) must pass, or no mutant result means anything.

    Returns, per exercise, how many of its tests each backend skips: no mutant can be killed by those there.
    """

    def unmutated(e: Exercise) -> Grade:
        return grade(e.filename, round_trip(config.snapshot[e.filename]), e.test_file, config)

    grades = dict(in_parallel(unmutated, exercises, jobs))
    failures = {exercise: g for exercise, g in grades.items() if g.status != "survived"}
    for exercise, g in failures.items():
        print(
            f"\nBASELINE FAILED: {exercise.test_file} on {g.killed_by} ({g.status}, exit code {g.exit_code}) "
            f"with the unmutated solutions/{exercise.filename}:\n{g.output[-3000:]}",
            file=sys.stderr,
        )
    if failures:
        sys.exit("The unmutated solutions must pass their tests before mutants mean anything; fix that first.")
    return {exercise.slug: g.skipped for exercise, g in grades.items()}


def run_mutants(
    mutants: list[Mutant], exercises: dict[str, Exercise], config: RunConfig, jobs: int, equivalents: dict[str, str]
) -> list[Result]:
    def one(mutant: Mutant) -> Result:
        exercise = exercises[mutant.exercise]
        started = time.perf_counter()
        source = mutated_source(config.snapshot[exercise.filename], mutant)
        g = grade(exercise.filename, source, exercise.test_file, config)
        # Equivalents are graded too: one a test kills was judged wrongly (or the test over-specifies).
        status = "equivalent" if mutant.id in equivalents else g.status
        return Result(mutant, status, g.killed_by, time.perf_counter() - started, g.exit_code, g.output)

    def progress(done: int, result: Result) -> None:
        mark = {"killed": ".", "timeout": "T", "survived": "S", "equivalent": "e"}[result.status]
        print(mark, end="\n" if done % 80 == 0 or done == len(mutants) else "", flush=True)

    results = [result for _, result in in_parallel(one, mutants, jobs, progress)]
    order = {m.id: i for i, m in enumerate(mutants)}
    return sorted(results, key=lambda r: order[r.mutant.id])


# ----------------------------------------------------------------------------------------------- reporting


def summarize(results: list[Result], exercises: list[Exercise]) -> list[dict[str, object]]:
    rows = []
    for slug in [e.slug for e in exercises] + ["TOTAL"]:
        mine = [r for r in results if slug in ("TOTAL", r.mutant.exercise)]
        count = Counter(r.status for r in mine)
        killed = count["killed"] + count["timeout"]
        scored = len(mine) - count["equivalent"]
        rows.append(
            {
                "exercise": slug,
                "mutants": len(mine),
                "equivalent": count["equivalent"],
                "killed": killed,
                "timeouts": count["timeout"],
                "survived": count["survived"],
                "score": round(100 * killed / scored, 1) if scored else None,
            }
        )
    return rows


def print_table(rows: list[dict[str, object]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Mutation score = killed / (mutants - equivalent)")
    table.add_column("exercise", no_wrap=True)
    for name in ("mutants", "equivalent", "killed", "timeouts", "survived", "score %"):
        table.add_column(name, justify="right", no_wrap=True)
    for row in rows:
        score = "-" if row["score"] is None else f"{row['score']:.1f}"
        table.add_row(
            *(str(row[k]) for k in ("exercise", "mutants", "equivalent", "killed", "timeouts", "survived")),
            score,
            end_section=row is rows[-2],
        )
    # Piped output (a log, CI) gets rich's 80 columns, too narrow for the whole table: give it room.
    Console(width=None if sys.stdout.isatty() else 100).print(table)


def print_skips(skipped: dict[str, dict[str, int]]) -> None:
    """Tests a backend skips cannot kill anything there: say so, or their survivors look like weak tests."""
    notes = [
        f"{slug}: {n} on {backend}" for slug, per_backend in skipped.items() for backend, n in per_backend.items() if n
    ]
    if notes:
        print("Tests skipped by the unmutated baseline (their mutants can survive untested): " + "; ".join(notes))


def print_mutants(title: str, results: list[Result], equivalents: dict[str, str] | None = None) -> None:
    print(f"\n{title} ({len(results)})")
    exercise = None
    for r in results:
        m = r.mutant
        if m.exercise != exercise:
            exercise = m.exercise
            print(f"  {exercise}")
        print(f"    {m.id}  line {m.line}:  {m.original}  →  {m.mutated}")
        if equivalents is not None:
            killed = f" (yet killed on {r.killed_by})" if r.killed_by else ""
            print(f"        equivalent{killed}: {equivalents[m.id]}")


def to_json(
    results: list[Result],
    rows: list[dict[str, object]],
    skipped: dict[str, dict[str, int]],
    equivalents: dict[str, str],
    config: RunConfig,
    wall: float,
) -> dict[str, object]:
    mutants = []
    for r in results:
        m = r.mutant
        record: dict[str, object] = {
            "id": m.id,
            "exercise": m.exercise,
            "function": m.function,
            "operator": m.operator,
            "line": m.line,
            "original": m.original,
            "mutated": m.mutated,
            "status": r.status,
            "killed_by": r.killed_by,
            "seconds": round(r.seconds, 2),
            "exit_code": r.exit_code,
        }
        if m.id in equivalents:
            record["reason"] = equivalents[m.id]
        if r.output:
            record["output"] = r.output
        mutants.append(record)
    return {
        "backends": list(config.backends),
        "wall_seconds": round(wall, 1),
        "summary": rows,
        "skipped_tests": skipped,
        "mutants": mutants,
    }


# ----------------------------------------------------------------------------------------------- main


def read_snapshot(root: Path = ROOT) -> dict[str, str]:
    solutions = root / "solutions"
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(solutions.glob("[0-9][0-9]_*.py"))}


# What a pytest run of the kata reads besides the learner's files (docker-compose.yml: the compose backend).
GRADER_PATHS = ("conftest.py", "pyproject.toml", "kata.toml", "docker-compose.yml", "sqs_kata", "tests", "solutions")


def freeze(dest: Path, revision: str) -> None:
    """Put the grader, tests and solutions in `dest`: copied from the working tree (revision ""), or as
    committed at a git revision. Run from there, `python -m pytest` imports this sqs_kata (the current
    directory comes first on sys.path, before the editable install's finder)."""
    if revision:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", revision, "--", *GRADER_PATHS],
            capture_output=True,
            check=False,
        )
        if archive.returncode != 0:
            sys.exit(f"git archive {revision} failed: {archive.stderr.decode(errors='replace').strip()}")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(dest, filter="data")
        return
    for name in GRADER_PATHS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.is_file():
            shutil.copy2(source, dest / name)


def all_mutants(exercises: list[Exercise], snapshot: dict[str, str]) -> list[Mutant]:
    return [m for e in exercises for m in generate(snapshot[e.filename], e.slug)]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exercise", type=int, nargs="+", metavar="N", help="only these exercise numbers")
    parser.add_argument(
        "--backend",
        action="append",
        metavar="SPEC",
        help="an --sqs-backend value (moto, moto-server, elasticmq, or a URL such as "
        "http://127.0.0.1:9324); repeat: a mutant is killed if any backend kills it "
        "(default: moto)",
    )
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="parallel pytest processes")
    parser.add_argument("--show-survivors", action="store_true", help="print every survivor and equivalent")
    parser.add_argument("--json", metavar="FILE", help="write every mutant and its outcome as JSON")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit, running nothing")
    parser.add_argument(
        "--freeze",
        nargs="?",
        const="",
        default=None,
        metavar="REV",
        help="grade with a copy of tests/, sqs_kata/ and solutions/ taken at start, or as "
        "committed at git revision REV, so edits during the run do not mix in",
    )
    parser.add_argument("--timeout", type=int, default=PYTEST_TIMEOUT_S, help="per-test limit (s)")
    parser.add_argument(
        "--process-timeout",
        type=int,
        default=MUTANT_TIMEOUT_S,
        help="per pytest process limit (s); past it the mutant counts as killed (timeout)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    with ExitStack() as stack:
        root = ROOT
        if args.freeze is not None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sqs-kata-frozen-")))
            freeze(root, args.freeze)
        try:
            return run(args, root)
        except KeyboardInterrupt:
            print("\ninterrupted: no results", file=sys.stderr)
            return 130


def run(args: argparse.Namespace, root: Path) -> int:
    started = time.perf_counter()
    exercises = select_exercises(args.exercise, root)
    snapshot = read_snapshot(root)
    mutants = all_mutants(exercises, snapshot)
    equivalents = load_equivalents()
    if args.list:
        for m in mutants:
            flag = "  [equivalent]" if m.id in equivalents else ""
            print(f"{m.id}  line {m.line}:  {m.original}  →  {m.mutated}{flag}")
        print(f"{len(mutants)} mutants")
        return 0

    config = RunConfig(
        backends=tuple(args.backend or ["moto"]),
        snapshot=snapshot,
        grader_root=root,
        pytest_timeout=args.timeout,
        process_timeout=args.process_timeout,
    )
    jobs = max(1, args.jobs)
    frozen = "" if args.freeze is None else f", frozen copy of {args.freeze or 'the working tree'}"
    print(
        f"{len(mutants)} mutants in {len(exercises)} exercise(s), backends {', '.join(config.backends)}, "
        f"-j {jobs}{frozen}; baseline first"
    )
    skipped = baseline(exercises, config, jobs)
    results = run_mutants(mutants, {e.slug: e for e in exercises}, config, jobs, equivalents)
    wall = time.perf_counter() - started

    rows = summarize(results, exercises)
    print_table(rows)
    print_skips(skipped)
    survivors = [r for r in results if r.status == "survived"]
    odd = [r for r in results if r.status == "killed" and r.exit_code not in (1, None)]
    misjudged = [r for r in results if r.status == "equivalent" and r.killed_by]
    if args.show_survivors:
        print_mutants("Survivors", survivors)
        print_mutants("Equivalent (not scored)", [r for r in results if r.status == "equivalent"], equivalents)
    if misjudged:
        print_mutants(
            "Listed as equivalent, yet a test kills them: re-judge (or the test over-specifies)", misjudged, equivalents
        )
    if odd:
        # Exit codes other than 1 mean pytest itself stopped (usage error, collection error): perhaps a test
        # file was mid-edit, not a test catching the mutant. Counted as killed, but worth a look.
        print_mutants("Killed with an unusual pytest exit code (check --json output)", odd)
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            json.dumps(to_json(results, rows, skipped, equivalents, config, wall), indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        print(f"wrote {out}")
    print(f"wall time {wall:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
