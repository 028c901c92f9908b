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
    """A regex matching any of the literal strings, preferring the longest.

    Built as a trie (shared prefixes factored out), so a list of a thousand agency names costs
    little more per position than a short one: Python's regex engine tries alternatives one by
    one, and a trie lets it reject most of them on the first character.
    """
    trie: dict = {}
    for word in set(items):
        if not word:
            continue
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie) if trie else "(?!)"


def _trie_regex(node: dict) -> str:
    ends_here = "" in node
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    # longer continuations first; ending here is the last resort (longest match wins)
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends_here else body
