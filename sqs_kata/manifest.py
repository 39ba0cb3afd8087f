"""The ordered curriculum, read from kata.toml: numbers, bilingual titles, points and hints."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqs_kata import PROJECT_ROOT

LANGUAGES = ("zh-TW", "en")
# Hidden tests: tests/hidden/test_<slug>_hidden.py (own names: pytest imports test files by basename).
# They grade like any other test, but a student edition leaves them out and reports show only their count.
HIDDEN_FOLDER = "tests/hidden"
HIDDEN_SUFFIX = "_hidden"


@dataclass(frozen=True)
class Exercise:
    number: int
    slug: str  # file stem shared by exercises/, solutions/ and tests/test_<slug>.py
    points: int
    title: dict[str, str]  # language -> text
    hints: tuple[dict[str, str], ...]  # graduated: the first is gentle, the last names the API
    # Part 1 teaches SQS call by call; Part 2 is the asynchronous-architecture lab built on it.
    part: int = 1

    @property
    def filename(self) -> str:
        return f"{self.slug}.py"

    @property
    def test_file(self) -> str:
        return f"tests/test_{self.slug}.py"

    @property
    def hidden_test_file(self) -> str:
        """The teacher's hidden tests of this exercise (may not exist): never in a student edition."""
        return f"{HIDDEN_FOLDER}/test_{self.slug}{HIDDEN_SUFFIX}.py"

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title["en"]


@cache
def load(path: Path = PROJECT_ROOT / "kata.toml") -> tuple[Exercise, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    exercises = tuple(
        Exercise(
            number=int(item["number"]),
            slug=str(item["slug"]),
            points=int(item["points"]),
            title={lang: item["title"][lang] for lang in LANGUAGES},
            hints=tuple({lang: hint[lang] for lang in LANGUAGES} for hint in item.get("hint", [])),
            part=int(item.get("part", 1)),
        )
        for item in data["exercise"]
    )
    numbers = [e.number for e in exercises]
    if numbers != sorted(set(numbers)):
        raise ValueError(f"{path}: exercise numbers must be unique and ascending, got {numbers}")
    parts = [e.part for e in exercises]
    if parts != sorted(parts):
        raise ValueError(f"{path}: a part's exercises must come after the previous part's, got parts {parts}")
    return exercises


def by_slug(slug: str) -> Exercise | None:
    return next((e for e in load() if e.slug == slug), None)


def by_number(number: int) -> Exercise | None:
    return next((e for e in load() if e.number == number), None)


def for_test_path(path: Path) -> Exercise | None:
    """tests/test_01_queues.py belongs to exercise 01_queues (and so does tests/hidden/test_01_queues_hidden.py)."""
    stem = path.stem
    if is_hidden(path):
        stem = stem.removesuffix(HIDDEN_SUFFIX)
    return by_slug(stem[len("test_") :]) if stem.startswith("test_") else None


def is_hidden(path: Path) -> bool:
    """A test file of the teacher's hidden tests (its folder is tests/hidden)."""
    return path.parent.name == Path(HIDDEN_FOLDER).name and path.stem.endswith(HIDDEN_SUFFIX)
