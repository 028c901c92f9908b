"""Codebook: ``data/codebook.yaml`` → themes and recommendation categories with their cue words.

The YAML is data, read once. Each theme and category has ``id``, ``label_th``, ``label_en``,
``cues`` (whole Thai phrases that evidence it) and optionally ``not_within`` (phrases that hide the
cues inside them: ``ภูมิปัญญาท้องถิ่น`` is no evidence for local government). A category's ``theme``
names the theme it feeds.

Text and cues are normalised alike (``normalise``): NFC, zero-width characters dropped, Latin lower
case, whitespace removed except one space between two Latin letters or digits. A cue then matches as
a substring, so cues are phrases: ``ต้องการ`` never comes from ``ต้อง``. A Latin-only cue (``AAR``)
must not sit inside a longer Latin word.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

import ahocorasick
import yaml

CODEBOOK_YAML = Path(__file__).resolve().parent.parent / "data" / "codebook.yaml"
LANGS = ("th", "en")

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_LATIN_ONLY = re.compile(r"^[a-z0-9 ]+$")
_ALNUM = re.compile(r"[a-z0-9]")
# the Latin letter or digit before a gap is matched, not looked behind for: the engine then skips
# to the next such character in C instead of trying a look-behind at every position
_LATIN_GAP = re.compile(r"([a-z0-9])\s+(?=[a-z0-9])")


@dataclass(frozen=True)
class _Entry:
    id: str
    cues: tuple[str, ...]  # normalised
    not_within: tuple[str, ...]  # normalised
    plain: bool = False  # no not_within and no Latin-only cue: a substring hit is evidence
    latin: frozenset[str] = frozenset()  # the Latin-only cues (bounded by non-Latin characters)


def normalise(text: str) -> str:
    """The form text and cues are matched in.

    >>> normalise("ทำกับ  อบต.\u00a0ก่อน")
    'ทำกับอบต.ก่อน'
    >>> normalise("ใช้ After  Action Review ทุกครั้ง")
    'ใช้after action reviewทุกครั้ง'
    """
    text = unicodedata.normalize("NFC", text or "")
    # six substring tests (each a fast scan in C) find them sooner than one character class
    if (
        "\u200b" in text
        or "\u200c" in text
        or "\u200d" in text
        or "\u2060" in text
        or "\ufeff" in text
        or "\u00ad" in text
    ):
        text = text.translate(_ZERO_WIDTH)
    text = text.lower()
    text = text.replace("\u0e4d\u0e32", "\u0e33")  # นิคหิต + สระอา, as PDFs split สระอำ
    # a gap between two Latin words or numbers stays one space; every other gap goes
    text = _LATIN_GAP.sub("\\1\x00", text)
    # str.split() cuts at exactly the characters \s matches, three times faster than a sub
    return "".join(text.split()).replace("\x00", " ")


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _check_section(name: str, items) -> list[dict]:
    if not isinstance(items, list) or not items:
        raise ValueError(f"{CODEBOOK_YAML.name}: section {name!r} must be a non-empty list")
    seen: set[str] = set()
    for item in items:
        missing = [k for k in ("id", "label_th", "label_en", "cues") if not item.get(k)]
        if missing:
            raise ValueError(
                f"{CODEBOOK_YAML.name}: {name} entry {item.get('id')!r} lacks {missing}"
            )
        if item["id"] in seen:
            raise ValueError(f"{CODEBOOK_YAML.name}: duplicate {name} id {item['id']!r}")
        seen.add(item["id"])
    return items


@lru_cache(maxsize=1)
def _load() -> dict:
    with CODEBOOK_YAML.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or {}
    themes = _check_section("themes", raw.get("themes"))
    categories = _check_section("recommendation_categories", raw.get("recommendation_categories"))
    theme_ids = {t["id"] for t in themes}
    for cat in categories:
        if cat.get("theme") and cat["theme"] not in theme_ids:
            raise ValueError(
                f"{CODEBOOK_YAML.name}: category {cat['id']!r} names unknown theme {cat['theme']!r}"
            )

    def entry(item: dict) -> _Entry:
        cues = _unique(normalise(str(c)) for c in item["cues"])
        hidden = _unique(normalise(str(c)) for c in item.get("not_within") or ())
        latin = frozenset(c for c in cues if _LATIN_ONLY.match(c))
        return _Entry(item["id"], cues, hidden, not hidden and not latin, latin)

    return {
        "themes": themes,
        "categories": categories,
        "theme_entries": tuple(entry(t) for t in themes),
        "category_entries": tuple(entry(c) for c in categories),
    }


def themes() -> list[dict]:
    """The themes, in codebook order: ``id``, ``label_th``, ``label_en``, ``label`` (the Thai
    label), ``cues`` and ``not_within``. A copy: changing it changes nothing here."""
    out = copy.deepcopy(_load()["themes"])
    for t in out:
        t["label"] = t["label_th"]
        t.setdefault("not_within", [])
    return out


def categories() -> list[dict]:
    """The recommendation categories, in codebook order: ``id``, ``label_th``, ``label_en``,
    ``label``, ``cues``, ``not_within``, ``theme_id`` and ``theme`` (that theme's Thai label)."""
    labels = {t["id"]: t["label_th"] for t in _load()["themes"]}
    out = copy.deepcopy(_load()["categories"])
    for c in out:
        c["label"] = c["label_th"]
        c["theme_id"] = c.get("theme")
        c["theme"] = labels.get(c.get("theme"))
        c.setdefault("not_within", [])
    return out


def _occurrences(text: str, phrase: str):
    start = text.find(phrase)
    while start != -1:
        yield start, start + len(phrase)
        start = text.find(phrase, start + 1)


def _latin_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return not (_ALNUM.match(before) or _ALNUM.match(after))


def _unhidden(
    norm: str, entry: _Entry, hits: dict[str, list[int]], cues: list[str]
) -> list[tuple[int, int]]:
    """The places of the entry's cues that no hidden phrase holds (and, for a Latin-only cue,
    that stand apart from other Latin letters)."""
    hidden = sorted(span for phrase in entry.not_within for span in _occurrences(norm, phrase))
    starts = [h[0] for h in hidden]
    reach = list(accumulate((h[1] for h in hidden), max))  # furthest end among spans so far
    found = []
    for cue in cues:
        latin = cue in entry.latin
        for s in hits[cue]:
            e = s + len(cue)
            if latin and not _latin_bounded(norm, s, e):
                continue
            if starts:
                i = bisect_right(starts, s)
                if i and reach[i - 1] >= e:
                    continue
            found.append((s, e))
    return found


def _evidence(
    norm: str, entry: _Entry, hits: dict[str, list[int]], cues: list[str]
) -> list[tuple[int, int]]:
    """Places in normalised text where the entry's cues occur: longest cue first, no overlaps.
    `hits`: where each cue occurs (`_cue_hits`); `cues`: the entry's cues among them.

    Linear in the text: hidden spans are looked up by bisection, taken places in a bytearray.
    """
    if entry.plain:  # no hidden phrase, no Latin cue: every hit is a place
        found = [(s, s + len(cue)) for cue in cues for s in hits[cue]]
    else:
        found = _unhidden(norm, entry, hits, cues)
    if len(found) < 2:
        return found
    # the places taken, over the stretch the spans cover
    lo = min(s for s, _ in found)
    taken = bytearray(max(e for _, e in found) - lo)
    chosen: list[tuple[int, int]] = []
    for s, e in sorted(found, key=lambda span: (span[0] - span[1], span[0])):
        if taken.find(1, s - lo, e - lo) == -1:
            taken[s - lo : e - lo] = b"\x01" * (e - s)
            chosen.append((s, e))
    return sorted(chosen)


def theme_scores(text: str) -> dict[str, int]:
    """Theme id → number of places in ``text`` that evidence it (zero-scored themes left out).

    >>> theme_scores("ไปทำกับ อบต. ให้ชาวบ้านสนุก")
    {'tao_collaboration': 1, 'enjoyable_learning': 1}
    """
    norm = normalise(text)
    hits = _cue_hits(norm, "theme_entries")
    entries = _load()["theme_entries"]
    scores = {}
    for i, cues in _entries_hit(hits, "theme_entries"):
        n = len(_evidence(norm, entries[i], hits, cues))
        if n:
            scores[entries[i].id] = n
    return scores


def find_themes(text: str, max_themes: int = 6) -> list[str]:
    """Thai labels of the themes ``text`` gives evidence for, most evidence first (ties in codebook
    order), at most ``max_themes``. Never padded: a short text may get fewer than three, or none.

    >>> find_themes("ทำกับ อบต. แบบสมัครใจ")
    ['การทำงานร่วมกับ อบต.', 'ความสมัครใจ']
    """
    if max_themes < 0:
        raise ValueError(f"max_themes must be >= 0, not {max_themes}")
    order, labels = _theme_order()
    ranked = sorted(theme_scores(text).items(), key=lambda kv: (-kv[1], order[kv[0]]))
    return [labels[tid] for tid, _ in ranked[:max_themes]]


@lru_cache(maxsize=1)
def _theme_order() -> tuple[dict[str, int], dict[str, str]]:
    """Theme id → its place in the codebook, and → its Thai label."""
    order = {e.id: i for i, e in enumerate(_load()["theme_entries"])}
    return order, {t["id"]: t["label_th"] for t in _load()["themes"]}


def categorise_recommendation(text: str) -> list[str]:
    """Ids of the categories whose cues occur in one recommendation, in codebook order.

    >>> categorise_recommendation("ต้องให้เขาเต็มใจ")
    ['voluntary_participation']
    >>> categorise_recommendation("อยากให้ชาวบ้านทำตามความต้องการของตัวเอง")
    ['respond_to_villagers_needs']
    """
    norm = normalise(text)
    hits = _cue_hits(norm, "category_entries")
    entries = _load()["category_entries"]
    return [
        entries[i].id
        for i, cues in _entries_hit(hits, "category_entries")
        if entries[i].plain or _evidence(norm, entries[i], hits, cues)
    ]


class _CueIndex(NamedTuple):
    automaton: ahocorasick.Automaton  # every cue; value: the cue
    owners: dict[str, tuple[int, ...]]  # cue → indices of the entries that list it


@lru_cache(maxsize=None)
def _cue_index(section: str) -> _CueIndex:
    """All cues of a codebook section in one scan: an Aho-Corasick automaton finds every
    occurrence of every cue (overlapping ones too) in one pass in C, exactly as a substring
    search per cue would, about four times faster than one regex alternation of the cues."""
    owners: dict[str, list[int]] = {}
    for i, entry in enumerate(_load()[section]):
        for cue in entry.cues:
            owners.setdefault(cue, []).append(i)
    automaton = ahocorasick.Automaton()
    for cue in owners:
        automaton.add_word(cue, cue)
    automaton.make_automaton()
    return _CueIndex(automaton, {c: tuple(ids) for c, ids in owners.items()})


def _cue_hits(norm: str, section: str) -> dict[str, list[int]]:
    """Where each cue of a codebook section (``theme_entries``, ``category_entries``) occurs in
    normalised text: cue → its start offsets, in order (cues that do not occur left out)."""
    hits: dict[str, list[int]] = {}
    # the automaton reports each occurrence at its last character, in order of that end: the
    # starts of one cue (one length) come in order too
    for end, cue in _cue_index(section).automaton.iter(norm):
        hits.setdefault(cue, []).append(end + 1 - len(cue))
    return hits


def _entries_hit(hits: dict[str, list[int]], section: str) -> list[tuple[int, list[str]]]:
    """The section's entries that have a cue among `hits`, in codebook order: (index, those
    cues)."""
    owners = _cue_index(section).owners
    by_entry: dict[int, list[str]] = {}
    for cue in hits:
        for i in owners[cue]:
            by_entry.setdefault(i, []).append(cue)
    return sorted(by_entry.items())


def _label(kind: str, items: list[dict], key: str, lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {LANGS}")
    for item in items:
        if key in (item["id"], item["label_th"], item["label_en"]):
            return item["label_th" if lang == "th" else "label_en"]
    known = ", ".join(i["id"] for i in items)
    raise ValueError(f"unknown {kind} {key!r}; known ids: {known}")


def theme_label(id_or_label: str, lang: str = "th") -> str:
    """A theme's label in ``lang`` (``"th"`` or ``"en"``), from its id or either label.

    >>> theme_label("voluntary_participation", "en")
    'Voluntary participation'
    >>> theme_label("ความสมัครใจ", "en")
    'Voluntary participation'
    """
    return _label("theme", _load()["themes"], id_or_label, lang)


def category_label(category_id: str, lang: str = "th") -> str:
    """A recommendation category's label in ``lang`` (``"th"`` or ``"en"``).

    >>> category_label("work_through_tao")
    'ทำงานผ่าน อบต./ท้องถิ่น'
    """
    return _label("recommendation category", _load()["categories"], category_id, lang)


def theme_ids() -> list[str]:
    """Theme ids in codebook order."""
    return [t["id"] for t in _load()["themes"]]


def category_ids() -> list[str]:
    """Recommendation category ids in codebook order."""
    return [c["id"] for c in _load()["categories"]]
