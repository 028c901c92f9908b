"""Extraction stays linear in the size of its input, whatever its shape (issue 13).

No timing here (bench/extract.py --sweep measures time per KB): each test counts the work of
one spot that once grew with the square of the text (a search from the text's start per
match, a name matched to the end of a text without spaces once per prefix, a name sliced at
every length, a clause searched again from its start for every cue word) and checks that it
now stays proportional to the text, or bounded per match. Texts are invented.
"""

from __future__ import annotations

import re

from analysis import gazetteer
from analysis.extract import agencies, recommendations, turns
from analysis.extract.layout import Layout


class _Recording:
    """A compiled pattern that records how many characters each search or match may read."""

    def __init__(self, rx: re.Pattern) -> None:
        self.rx = rx
        self.windows: list[int] = []
        self.matched = 0

    def _note(self, m, pos, endpos):
        self.windows.append(endpos - pos)
        if m is not None:
            self.matched += m.end() - m.start()
        return m

    def search(self, text, pos=0, endpos=None):
        endpos = len(text) if endpos is None else endpos
        return self._note(self.rx.search(text, pos, endpos), pos, endpos)

    def match(self, text, pos=0, endpos=None):
        endpos = len(text) if endpos is None else endpos
        return self._note(self.rx.match(text, pos, endpos), pos, endpos)


def test_comparative_test_reads_a_window_before_each_wa(monkeypatch):
    # a long line full of comparatives and speech: every ว่า is tested, each in a short window
    text = "ปีนี้ผลผลิตดีกว่าปีก่อนมาก ชาวบ้านบอกว่าราคาดีขึ้น " * 2000
    real = turns._res()
    comparative = _Recording(real["comparative"])
    monkeypatch.setattr(turns, "_res", lambda: {**real, "comparative": comparative})
    turns.find_turns(text, Layout(text))
    assert len(comparative.windows) >= 2000  # every กว่า was tested
    assert max(comparative.windows) <= turns._comparative_reach() + 2


def test_organisation_shape_matched_only_where_a_word_starts(monkeypatch):
    # no spaces: one 'word' holding thousands of organisation prefixes ('อบต', 'กลุ่ม')
    text = "ควรทำต่อต้องให้อบต.ช่วยกลุ่มแม่บ้านทำ" * 3000
    shape = _Recording(agencies._shape_re())
    monkeypatch.setattr(agencies, "_shape_re", lambda: shape)
    agencies.find_mentions(text, len(text))
    # before: each inner prefix was matched on to the end of the text (about n²/60 characters)
    assert shape.matched <= len(text)


def test_gazetteer_prefix_lookups_bounded_by_the_longest_form(monkeypatch):
    lookups: list[str] = []
    index = gazetteer._index()

    class Counting(dict):
        def get(self, key, default=None):
            lookups.append(key)
            return index.get(key, default)

    counting = Counting(index)
    monkeypatch.setattr(gazetteer, "_index", lambda: counting)
    name = "กลุ่มนางสมศรีใจดีประธานกลุ่ม" * 2000  # a 'name' run on over a text without spaces
    gazetteer._prefix(name)
    assert len(lookups) <= gazetteer._longest_key()  # before: one lookup per character
    assert max(map(len, lookups)) <= gazetteer._longest_key()


def test_cue_patterns_searched_once_per_clause(monkeypatch):
    # one clause (no spaces) holding 3,000 cue words, every one ruled out: all are read
    clause = "กลุ่มเราต้องกู้" * 3000
    calls: list[str] = []
    real = recommendations._earliest_end

    def counted(rx, text):
        calls.append(rx.pattern)
        return real(rx, text)

    monkeypatch.setattr(recommendations, "_earliest_end", counted)
    assert recommendations._cue_clauses(clause) == []  # borrowing told, never proposed
    # each pattern that looks before a cue is searched once for the clause, not once per cue
    assert len(calls) == len(set(calls)) <= 3
