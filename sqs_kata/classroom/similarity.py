"""Which submissions are suspiciously alike, and which exercises are the reference solution itself.

Normalised-AST fingerprints (the idea behind MOSS and copydetect, without their dependencies): each exercise
file is parsed, docstrings are dropped and every local name is renamed by order of first use, so renaming
variables, reformatting or re-commenting a copy changes nothing. The normalised tree is cut into overlapping
runs of K tokens (shingles); two submissions' likeness is the Jaccard index of their shingle sets over the
exercises both have changed from the stub. An exercise whose normalised tree equals the reference solution's
is "identical to the reference".

Small exercises have one natural solution, so likeness alone is evidence only above a high threshold and with
enough code; the report is for a teacher to read, not a verdict.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqs_kata import PROJECT_ROOT
from sqs_kata.manifest import Exercise

REPORT = "similarity.md"
K = 8  # tokens per shingle
THRESHOLD = 0.85  # Jaccard index from which a pair is reported
MIN_SHINGLES = 150  # less code than this (both sides) is too little to call a copy


class _Renamer(ast.NodeTransformer):
    """Local names become v1, v2, ... by order of first use; what the code calls (attributes, imports) stays."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def _rename(self, name: str) -> str:
        return self.names.setdefault(name, f"v{len(self.names) + 1}")

    def visit_Name(self, node: ast.Name) -> ast.AST:
        node.id = self._rename(node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.AST:
        node.arg = self._rename(node.arg)
        node.annotation = None
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        # Numbering restarts in every function (a nested one continues its parent's): a name that is an argument
        # in one function and a local in another may be renamed in one place only.
        outer, self.names = self.names, dict(self.names)
        node.returns = None
        _drop_docstring(node)
        self.generic_visit(node)
        self.names = outer
        return node


def _drop_docstring(node: ast.Module | ast.FunctionDef | ast.ClassDef) -> None:
    body = node.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        node.body = body[1:] or [ast.Pass()]


def normalised(source: str) -> str | None:
    """The normalised tree of `source` as text, or None when it does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    _drop_docstring(tree)
    tree.body = [n for n in tree.body if not isinstance(n, ast.Import | ast.ImportFrom)]  # imports say little
    return ast.dump(_Renamer().visit(tree), annotate_fields=False)


def shingles(text: str) -> set[int]:
    tokens = re.findall(r"\w+", text)
    return {
        int.from_bytes(hashlib.blake2b(" ".join(tokens[i : i + K]).encode(), digest_size=8).digest(), "big")
        for i in range(max(1, len(tokens) - K + 1))
    }


@dataclass
class Fingerprint:
    student: str
    shingles: set[int]
    identical_to_reference: list[int]  # exercise numbers


def fingerprint(student: str, folder: Path | None, exercises: Sequence[Exercise]) -> Fingerprint:
    found: set[int] = set()
    identical: list[int] = []
    for exercise in exercises:
        path = folder / exercise.filename if folder else None
        if path is None or not path.is_file():
            continue
        mine = normalised(path.read_text(encoding="utf-8", errors="replace"))
        if mine is None or mine == _reference(exercise, "exercises"):
            continue  # does not parse, or the untouched stub: nothing of the student's to compare
        if mine == _reference(exercise, "solutions"):
            identical.append(exercise.number)
        found |= {hash((exercise.number, s)) for s in shingles(mine)}
    return Fingerprint(student, found, identical)


_REFERENCES: dict[tuple[str, str], str | None] = {}


def _reference(exercise: Exercise, folder: str) -> str | None:
    key = (exercise.slug, folder)
    if key not in _REFERENCES:
        path = PROJECT_ROOT / folder / exercise.filename
        _REFERENCES[key] = normalised(path.read_text(encoding="utf-8")) if path.is_file() else None
    return _REFERENCES[key]


@dataclass(frozen=True)
class Pair:
    first: str
    second: str
    likeness: float


def alike_pairs(prints: Sequence[Fingerprint], threshold: float = THRESHOLD) -> list[Pair]:
    pairs = []
    for i, a in enumerate(prints):
        if len(a.shingles) < MIN_SHINGLES:
            continue
        for b in prints[i + 1 :]:
            if len(b.shingles) < MIN_SHINGLES:
                continue
            likeness = len(a.shingles & b.shingles) / len(a.shingles | b.shingles)
            if likeness >= threshold:
                pairs.append(Pair(a.student, b.student, likeness))
    return sorted(pairs, key=lambda p: (-p.likeness, p.first, p.second))


def write(out: Path, prints: Sequence[Fingerprint], pairs: Sequence[Pair]) -> Path:
    from sqs_kata.messages import say

    lines = [
        say("# 相似度報告", "# Similarity report"),
        "",
        say(
            f"正規化 AST 指紋（{K} 個 token 一段），Jaccard ≥ {THRESHOLD:.0%} 的配對；小練習本來就只有一種自然寫法，"
            "請當作線索閱讀，不是判決。",
            f"Normalised-AST fingerprints ({K}-token shingles), pairs with Jaccard ≥ {THRESHOLD:.0%}. Small "
            "exercises have one natural solution: read this as a lead, not a verdict.",
        ),
        "",
        say("## 相似的配對", "## Alike pairs"),
        "",
    ]
    lines += [f"- {p.first} ↔ {p.second}: {p.likeness:.0%}" for p in pairs] or [say("（沒有）", "(none)")]
    lines += ["", say("## 與參考解答相同的練習", "## Exercises identical to the reference solution"), ""]
    same = [
        f"- {p.student}: " + ", ".join(f"{n:02d}" for n in p.identical_to_reference)
        for p in prints
        if p.identical_to_reference
    ]
    lines += same or [say("（沒有）", "(none)")]
    path = out / REPORT
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
