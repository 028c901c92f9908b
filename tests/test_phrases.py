"""Key phrases are whole words of the programme's vocabulary: no fragments, particles or fillers."""

from __future__ import annotations

import re
from pathlib import Path

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


def _development_texts() -> list[str]:
    """The bundled sample programme's texts, and the realistic development records beside the
    repository when they are there."""
    root = Path(__file__).resolve().parents[1]
    files = sorted((root / "data" / "sample").rglob("*.txt"))
    files += sorted((root.parent / "shared" / "realistic").glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files]


HOSTILE = [
    "",
    "   \n\t ",
    "กองทุนหมู่บ้าน" * 2000,  # one long run without a space
    "ก" * 5000,
    "\x00 ข้อความ\x00มี NUL",
    "๑๒๓ ๔.๕๐ บาท 19:30น. 127.0.0.1",
    "emoji 🙏🏽 และ English words, mixed—กับไทย",
    "่่่่ ้้้ ำำ",  # marks without a consonant
]


def test_segment_gives_newmm_words_on_thai_text():
    """nlpO3 runs newmm over the same dictionary: on the Thai text of the sample programme and
    the development records (every other character a space, then those spaces as no-break
    spaces, as web pages write them), PyThaiNLP's own newmm with the same word list gives the
    same words."""
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import word_tokenize
    from pythainlp.util import dict_trie

    trie = dict_trie(set(thai_words()) | phrases.project_terms())
    texts = [re.sub(r"[^\u0e00-\u0e7f\n]+", " ", t) for t in _development_texts()]
    assert len(texts) > 20 and sum(map(len, texts)) > 100_000
    for text in texts:
        for keep in (False, True):
            expected = word_tokenize(text, custom_dict=trie, engine="newmm", keep_whitespace=keep)
            assert phrases.segment(text, keep_whitespace=keep) == expected
    for text in texts[:10]:  # a no-break space is read as a space, and kept in the words
        expected = word_tokenize(text, custom_dict=trie, engine="newmm", keep_whitespace=True)
        nbsp = [w.replace(" ", "\u00a0") for w in expected]
        assert phrases.segment(text.replace(" ", "\u00a0"), keep_whitespace=True) == nbsp
    assert phrases.general_words("สำนักงานพัฒนาชุมชนอำเภอเมือง") == word_tokenize(
        "สำนักงานพัฒนาชุมชนอำเภอเมือง", engine="newmm"
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_segment_keeps_every_character_of_any_text(text):
    kept = phrases.segment(text, keep_whitespace=True)
    assert "".join(kept) == text
    assert all(w.strip(" ") for w in phrases.segment(text))
    assert phrases.segment(text) == [w.strip(" ") for w in kept if w.strip(" ")]


def test_segment_cuts_punctuation_off_latin_words():
    assert phrases.segment("ทำ KM (KM) ในชุมชน") == ["ทำ", "KM", "(", "KM", ")", "ใน", "ชุมชน"]
    assert phrases.segment("เวที\u00a0\u00a0ชุมชน") == ["เวที", "\u00a0\u00a0", "ชุมชน"]
