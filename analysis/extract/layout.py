"""The layout of a decoded record: lines with offsets, chrome, footer, header block, body.

Every other rule module reads positions from here, so that all spans stay exact substrings of
the input text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property
from typing import NamedTuple

from analysis.extract.lexicon import alternation, words

SPACE = r"[ \t\u00a0\u2000-\u200a\u202f\u3000]"
GAP = SPACE + r"{2,}"
_FOOTER = None


def footer_re() -> re.Pattern:
    global _FOOTER
    if _FOOTER is None:
        _FOOTER = re.compile(r"^\s*" + alternation(words("footer_markers")))
    return _FOOTER


class Line(NamedTuple):
    """One line of the text: its span and its content without surrounding whitespace.

    A named tuple (immutable, and built about three times faster than a frozen dataclass: a
    text has a Line per line and every extractor walks them)."""

    index: int
    begin: int  # offset of the line's first character
    start: int  # offset of the first non-space character (or line start when blank)
    end: int  # offset after the last non-space character
    text: str
    blank: bool  # nothing but spaces


def split_lines(text: str) -> list[Line]:
    """Lines with offsets into `text`; `text` of each is stripped of spaces and NBSP."""
    out = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        stripped = raw.strip(" \t\u00a0\u200b\u3000\f\v")
        lead = len(raw) - len(raw.lstrip(" \t\u00a0\u200b\u3000\f\v"))
        start = pos + lead if stripped else pos
        out.append(Line(i, pos, start, start + len(stripped), stripped, not stripped))
        pos += len(raw) + 1
    return out


_EMPTY_BYLINE = re.compile(r"^โดย" + SPACE + r"+ใน" + SPACE)


class Layout:
    """Lines of a text and where its body ends (page footer, share/comment widgets)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = split_lines(text)

    @cached_property
    def body_end(self) -> int:
        """Offset where the page footer starts (or len(text))."""
        foot = footer_re()
        n = len(self.lines)
        for ln in self.lines:
            if ln.blank:
                continue
            # a footer sits in the last part of the page
            if ln.index < n * 0.4 and n > 10:
                continue
            if foot.match(ln.text) or _EMPTY_BYLINE.match(ln.text):
                return ln.start
        return len(self.text)

    def line_at(self, offset: int) -> Line:
        """The line holding a text offset."""
        return self.lines[bisect_right(self._begins, offset) - 1]

    @cached_property
    def _begins(self) -> list[int]:
        return [ln.begin for ln in self.lines]
