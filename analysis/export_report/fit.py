"""How much room Thai text needs: an estimate good enough to keep text inside its box.

Slides and tables have fixed boxes, and Thai is written without spaces between words, so neither
python-pptx's `fit_text` (which splits on spaces) nor the viewer can be trusted to keep a long
quote on the slide. We estimate instead: Thai vowels and tone marks written above or below a
consonant (Unicode category Mn) take no width; every other character takes about `EM_PER_CHAR`
of the font size (measured on the TLWG fonts: 0.53–0.62 em; Tahoma is about the same), and a
line is assumed `FILL` full because lines break between words.
"""

from __future__ import annotations

import math
import unicodedata

EM_PER_CHAR = 0.62
NARROW_EM = 0.32  # spaces and narrow punctuation
FILL = 0.88
LINE_SPACING = 1.65
"""Line height as a multiple of the font size. Thai fonts reserve room above and below for marks:
Tahoma's lines are 1.2 em, but Loma's (the TLWG font LibreOffice shows for Tahoma on Linux) 1.6 em;
the estimate takes the taller, so text fits wherever the deck is opened."""
PT_PER_INCH = 72
EMU_PER_PT = 12_700
_NARROW = set(" .,:;'\"!|()[]-/·")


def text_width_em(text: str) -> float:
    """Width of one line of `text` in em: ``text_width_em('ที่')`` counts ท only."""
    width = 0.0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        if ch in _NARROW:
            width += NARROW_EM
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 1.0
        else:
            width += EM_PER_CHAR
    return width


def lines_needed(text: str, width_pt: float, size_pt: float) -> int:
    """Lines `text` takes in a box `width_pt` wide at `size_pt` (each paragraph starts a line)."""
    per_line = max(width_pt * FILL / size_pt, 1.0)  # em per line
    return sum(max(1, math.ceil(text_width_em(p) / per_line)) for p in text.split("\n"))


def height_needed(
    text: str, width_pt: float, size_pt: float, spacing: float = LINE_SPACING
) -> float:
    return lines_needed(text, width_pt, size_pt) * size_pt * spacing


def fit_size(
    text: str,
    width_pt: float,
    height_pt: float,
    max_pt: float,
    min_pt: float,
    spacing: float = LINE_SPACING,
) -> tuple[float, str]:
    """The largest font size (whole points, `max_pt` down to `min_pt`) at which `text` fits the
    box, and the text itself; when it does not fit even at `min_pt`, the text is cut at a word
    end, marked with ``…``, to what fits at `min_pt`."""
    size = float(max_pt)
    while size >= min_pt:
        if height_needed(text, width_pt, size, spacing) <= height_pt:
            return size, text
        size -= 1
    return float(min_pt), cut_to_fit(text, width_pt, height_pt, min_pt, spacing)


def cut_to_fit(
    text: str, width_pt: float, height_pt: float, size_pt: float, spacing: float = LINE_SPACING
) -> str:
    """`text` shortened (binary search on its length, then back to a space when there is one
    near) until it fits the box at `size_pt`, ending in ``…``."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if height_needed(text[:mid] + "…", width_pt, size_pt, spacing) <= height_pt:
            lo = mid
        else:
            hi = mid - 1
    cut = text[:lo]
    space = cut.rfind(" ")
    if space > lo * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a space when one is near the end, with ``…``."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.7:
        cut = cut[:space]
    return cut.rstrip() + "…"
