"""Key phrases are whole words of the programme's vocabulary: no fragments, particles or fillers."""

from __future__ import annotations

import pytest

from analysis import frames, phrases, store
from tests.conftest import build_sample_store

# pieces the general word list leaves standing: a budget "งบ" cut from งบประมาณ, the "สวน" of a
# farm visit, the northern polite particle "เจ้า", the Isan "เด้อ"
FRAGMENTS = {"เจ้า", "งบ", "สวน", "เด้อ", "นัด", "แผน"}


def test_project_terms_come_from_codebook_gazetteer_and_lexicon():
    terms = phrases.project_terms()
    assert "บัญชีครัวเรือน" in terms  # a codebook cue
    assert "สทบ." in terms and "พช." in terms  # gazetteer abbreviations
    assert "คุณอำนวย" in terms  # data/lexicon.yaml
    assert not [t for t in terms if " " in t]


def test_project_terms_stay_whole_and_fragments_become_breaks():
    words = phrases.content_words("พ่อหลวงเล่าว่าทำบัญชีครัวเรือนมาสามปีเจ้า งบไม่พอ คุณอำนวยชวนคุย")
    kept = [w for w in words if w]
    assert "บัญชีครัวเรือน" in kept and "คุณอำนวย" in kept
    assert not set(kept) & FRAGMENTS
    assert "เล่า" not in kept  # a speech verb says someone spoke, not what about
    # a dropped word is a break: "ครัวเรือน" and "คุณอำนวย" are never joined across it
    i = words.index("บัญชีครัวเรือน")
    assert words[i + 1] is None


def test_minimum_length_except_project_terms():
    assert not phrases.is_content_word("งบ")
    assert not phrases.is_content_word("สวน")
    assert phrases.is_content_word("ออม")  # short, but a codebook cue
    assert phrases.is_content_word("พช.")  # short, but an agency abbreviation
    assert phrases.is_content_word("กองทุน")
    assert not phrases.is_content_word("123")
    assert not phrases.is_content_word("กองทุน", frozenset({"กองทุน"}))


@pytest.fixture(scope="module")
def sample_tables(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('phrases') / 'store.db'}"
    build_sample_store(url)
    engine = store.get_engine(url)
    try:
        yield store.load_tables(engine)
    finally:
        engine.dispose()


def test_sample_key_phrases_are_whole_words(sample_tables):
    df = frames.key_phrases(sample_tables, top=60)
    assert len(df) == 60
    found = set(df["phrase"])
    assert not found & FRAGMENTS, found & FRAGMENTS
    assert not found & phrases.SPOKEN_PARTICLES
    for phrase in found:
        # a one-word phrase is long enough or a project term; a two-word one is two such words
        parts = [w for w in phrases.segment(phrase) if w.strip()]
        assert all(phrases.is_content_word(w) for w in parts), (phrase, parts)
    # the programme's own terms, which the general word list splits, are there whole
    assert {"บัญชีครัวเรือน", "กลุ่มออมทรัพย์", "คนรุ่นใหม่"} <= found
