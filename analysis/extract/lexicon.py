"""Word lists of data/lexicon.yaml, loaded once, and regex pieces built from them."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

LEXICON_PATH = Path(__file__).resolve().parents[2] / "data" / "lexicon.yaml"


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The parsed lexicon (read once per process)."""
    with open(LEXICON_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def words(name: str) -> list[str]:
    """A word list by name, longest first (so alternations prefer the longer form).

    Raises ValueError for a list the lexicon does not have.
    """
    data = lexicon()
    if name not in data:
        raise ValueError(f"unknown lexicon list {name!r}; known: {sorted(data)}")
    return sorted((str(w) for w in data[name]), key=len, reverse=True)


def alternation(items) -> str:
    """A non-capturing regex alternation of literal strings, longest first."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(items), key=len, reverse=True)) + ")"


@lru_cache(maxsize=None)
def pattern(name: str) -> re.Pattern:
    """A compiled alternation of a lexicon list."""
    return re.compile(alternation(words(name)))
