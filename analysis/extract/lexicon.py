"""Word lists of data/lexicon.yaml, loaded once, and regex pieces built from them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import ahocorasick
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


class LiteralMatch:
    """A literal word found at a place, read like the regex match it stands for."""

    __slots__ = ("_start", "_word")

    def __init__(self, start: int, word: str) -> None:
        self._start, self._word = start, word

    def start(self, _group: int | str = 0) -> int:
        return self._start

    def end(self, _group: int | str = 0) -> int:
        return self._start + len(self._word)

    def group(self, _group: int | str = 0) -> str:
        return self._word


class Literals:
    """Literal words found by an Aho-Corasick automaton: one pass in C over the text, several
    times faster than the regex `alternation` of the words on Thai text, where nearly every
    character can open a word and the regex engine tries its alternatives there one by one.

    `finditer` gives what ``re.compile(alternation(words)).finditer`` gives: at the first place
    a word starts, the longest word there; then the same from its end on.
    """

    def __init__(self, items) -> None:
        self.words = frozenset(w for w in items if w)
        self.automaton = ahocorasick.Automaton()
        for word in self.words:
            self.automaton.add_word(word, word)
        self.automaton.make_automaton()

    def longest(self, text: str, end: int | None = None) -> dict[int, str]:
        """The longest word starting at each place of text[:end] where one starts."""
        out: dict[int, str] = {}
        if not self.words:
            return out
        stop = len(text) if end is None else min(end, len(text))
        # hits come in order of their last character: of two words starting at one place the
        # longer comes later, so the last one written for a start is the longest there
        for last, word in self.automaton.iter(text, 0, stop):
            out[last + 1 - len(word)] = word
        return out

    def finditer(self, text: str, end: int | None = None) -> Iterator[LiteralMatch]:
        longest = self.longest(text, end)
        pos = 0
        for start in sorted(longest):
            if start >= pos:
                m = LiteralMatch(start, longest[start])
                yield m
                pos = m.end()
