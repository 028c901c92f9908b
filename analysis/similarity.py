"""How alike two recommendations are, and grouping similar ones across sessions.

The measure (documented here, tested in tests/test_similarity.py on paraphrase pairs):

1. `normalise(text)`: Thai digits become Arabic digits, Latin letters lower case; the cue words
   that make a clause a recommendation (ควร, ต้อง, น่าจะ, อยากให้, ขอให้ …) and polite particles
   (นะ, ครับ, ค่ะ …) are removed, because two people proposing the same thing differ mostly
   there (``ควรทำงานกับ อบต.`` vs ``น่าจะทำงานกับ อบต.``); then everything that is not a Thai
   or Latin letter or a digit is dropped, spaces included (Thai writes words without spaces, so
   spacing carries no meaning here).
2. The text becomes the multiset of its character 3-grams (``ทำงาน`` → ``ทำง``, ``ำงา``, ``งาน``).
   Character n-grams need no word segmentation, so a segmentation error or a spelling variant
   changes only a few n-grams.
3. `similarity(a, b)` is the cosine of the two 3-gram count vectors: 1.0 for the same text after
   normalisation, 0.0 for texts with no 3-gram in common.

`DEFAULT_THRESHOLD` (0.45) was chosen on the paraphrase pairs in the tests: paraphrases that share
the proposal's content words score 0.5-0.95, different proposals that share only the topic
(``อบต.``, ``ชาวบ้าน``) score under 0.4.

`group_similar(texts, threshold)` forms groups around leaders: the most repeated text leads
and takes every ungrouped text at least `threshold` similar to it, then the next ungrouped text
leads, and so on; every member resembles its leader. For speed on large programmes it only
compares pairs that share at least one 3-gram found in at most `max_df` texts; on small inputs
(fewer texts than `max_df`) that is every pair that shares a 3-gram, so the result is exact.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

DEFAULT_THRESHOLD = 0.45
NGRAM = 3

# Cue words of a recommendation (spec: recommendations) and spoken particles. Longest first so
# that ไม่อยากให้ goes before อยากให้.
CUE_WORDS = (
    "ขอความร่วมมือ",
    "ไม่อยากให้",
    "อยากให้",
    "ไม่ควร",
    "ควรจะ",
    "ควร",
    "ไม่ต้อง",
    "ต้อง",
    "น่าจะ",
    "ขอให้",
    "ผมว่า",
    "หนูว่า",
    "ฉันว่า",
    "พี่ว่า",
    "เราว่า",
    "คิดว่า",
)
PARTICLES = ("ครับ", "ค่ะ", "คะ", "นะคะ", "นะครับ", "นะ", "จ้ะ", "จ้า")
_CUES = re.compile("|".join(sorted(map(re.escape, CUE_WORDS + PARTICLES), key=len, reverse=True)))
_NOT_WORD = re.compile(r"[^0-9a-z\u0e01-\u0e4e]+")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def normalise(text: str) -> str:
    """The part of a recommendation that says what to do.

    ``'ควรทำงานกับ อบต. นะครับ'`` → ``'ทำงานกับอบต'``
    """
    text = (text or "").translate(_THAI_DIGITS).lower()
    text = _CUES.sub(" ", text)
    return _NOT_WORD.sub("", text)


def ngrams(text: str, n: int = NGRAM) -> Counter:
    """Character n-gram counts of the normalised text (the whole text if shorter than n)."""
    s = normalise(text)
    if not s:
        return Counter()
    if len(s) < n:
        return Counter([s])
    return Counter(s[i : i + n] for i in range(len(s) - n + 1))


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    if not dot:
        return 0.0
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)


def similarity(a: str, b: str) -> float:
    """Cosine similarity of character 3-gram counts after `normalise` (0.0 … 1.0)."""
    return _cosine(ngrams(a), ngrams(b))


def group_similar(
    texts: Sequence[str], threshold: float = DEFAULT_THRESHOLD, max_df: int = 300
) -> list[int]:
    """A group label per text: each group is a leader text and the texts similar to it.

    Leaders are taken greedily, most repeated text first (then shortest, then first seen): a
    leader claims every text not yet grouped whose similarity to it is ≥ threshold. So every
    member of a group resembles its leader (no chains of drifting paraphrases, as single-linkage
    clustering would give). Labels are 0, 1, 2 … in order of each group's first text; a text like
    no other gets a group of its own; texts equal after normalisation always share a group.
    """
    keys = [normalise(t) for t in texts]
    unique: dict[str, int] = {}
    index = [unique.setdefault(k, len(unique)) for k in keys]
    uniq_texts = list(unique)
    u = len(uniq_texts)
    grams = [ngrams(t) if t else Counter() for t in uniq_texts]
    neighbours: list[list[int]] = [[] for _ in range(u)]
    for i, j in _candidate_pairs(grams, max_df):
        if _cosine(grams[i], grams[j]) >= threshold:
            neighbours[i].append(j)
            neighbours[j].append(i)
    repeats = Counter(index)
    order = sorted(range(u), key=lambda i: (-repeats[i], len(uniq_texts[i]), i))
    leader_of = [-1] * u
    for leader in order:
        if leader_of[leader] != -1:
            continue
        leader_of[leader] = leader
        for other in neighbours[leader]:
            if leader_of[other] == -1:
                leader_of[other] = leader
    labels: dict[int, int] = {}
    return [labels.setdefault(leader_of[i], len(labels)) for i in index]


def _candidate_pairs(grams: list[Counter], max_df: int):
    """Index pairs (i < j) that share at least one 3-gram found in at most `max_df` texts."""
    postings: dict[str, list[int]] = {}
    for i, g in enumerate(grams):
        for gram in g:
            postings.setdefault(gram, []).append(i)
    left_parts, right_parts = [], []
    for ids in postings.values():
        if 1 < len(ids) <= max_df:
            arr = np.asarray(ids, dtype=np.int64)
            a, b = np.triu_indices(len(arr), 1)
            left_parts.append(arr[a])
            right_parts.append(arr[b])
    if not left_parts:
        return []
    u = len(grams)
    keys = np.unique(np.concatenate(left_parts) * u + np.concatenate(right_parts))
    return [divmod(int(k), u) for k in keys]
