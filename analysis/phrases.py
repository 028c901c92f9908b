"""The words key phrases are made of: whole words of the programme's own vocabulary, no fragments.

PyThaiNLP's newmm segments with its general word list, where a programme term it does not know
(``บัญชีครัวเรือน``, ``คุณอำนวย``, an agency's abbreviation) falls apart into short pieces, and short
everyday words (``งบ``, ``สวน``, ``นัด``) or spoken particles (the northern ``เจ้า``, the Isan
``เด้อ``) then rank as "key phrases" though they say nothing about what a session was about.

`content_words(text)` therefore segments with the project dictionary (PyThaiNLP's words plus every
codebook cue of themes and recommendation categories, every agency name and abbreviation of the
gazetteer, and the term lists of data/lexicon.yaml in `LEXICON_TERM_LISTS`), and keeps a word only
when it is at least `MIN_WORD_CHARS` characters long or a project term, and no stopword
(PyThaiNLP's, spoken particles, speech verbs, the caller's own). What it drops becomes ``None``: a
break, so two words either side of it never make a two-word phrase.
"""

from __future__ import annotations

import re
import tempfile
import uuid
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

# shorter single words are everyday words or pieces of a longer one (งบ, สวน, นัด, แผน)
MIN_WORD_CHARS = 4

# data/lexicon.yaml lists that hold whole terms of the field (roles, unit types, places, groups)
LEXICON_TERM_LISTS = (
    "speaking_roles",
    "reporting_roles",
    "name_stoppers",
    "agency_unit_types",
    "agency_people_forms",
    "agency_place_names",
    "agency_document_nouns",
    "venue_strong_places",
    "resolution_headings",
    "masking_title_exceptions",
)

# what PyThaiNLP's stopword list does not hold: spoken particles of the regions' speech (northern
# เจ้า, Isan เด้อ, southern หนา), hesitations, yes/no, and "like this" / "every year" phrases
SPOKEN_PARTICLES = frozenset(
    "เจ้า เจ้าค่ะ เน้อ เด้อ เด้ เนาะ เนอะ บ่ หนา ฮะ ครับผม นะคะ นะครับ ค่า คับ จ๊ะ จ๋า ล่ะ "
    "หรอก ไหม มั้ย เหรอ หรือเปล่า อ๋อ ออ อื้อ เอ่อ อืม โอเค แหม ว้า เออ จ้า เอาละ ทีนี้ "
    "แบบนี้ แบบนั้น อย่างนี้ อย่างนั้น ตอนนี้ ตอนนั้น ทุกวันนี้ ทุกปี ทุกเดือน ทุกคน ทุกครั้ง".split()
)

_CONTENT = re.compile(r"[A-Za-z\u0e01-\u0e2e]")
_SPACE = re.compile(r"\s+")
# a space other than the ASCII space or a line break (no-break space, tab, thin space, ...)
_OTHER_SPACE = re.compile(r"[^\S\n\r ]")


def _whole_terms(items: Iterable) -> set[str]:
    """The items that are single words (no whitespace inside) and hold a letter."""
    out = set()
    for item in items:
        term = str(item).strip()
        if term and not _SPACE.search(term) and _CONTENT.search(term):
            out.add(term)
    return out


@lru_cache(maxsize=1)
def project_terms() -> frozenset[str]:
    """The programme's own vocabulary: codebook cues (themes and categories), the gazetteer's
    written forms, and the lexicon's term lists."""
    from analysis import codebook, gazetteer
    from analysis.extract.lexicon import lexicon

    terms: set[str] = set()
    for entry in (*codebook.themes(), *codebook.categories()):
        terms |= _whole_terms(entry.get("cues") or ())
    terms |= _whole_terms(gazetteer.names())
    lex = lexicon()
    for name in LEXICON_TERM_LISTS:
        terms |= _whole_terms(lex.get(name) or ())
    return frozenset(terms)


@lru_cache(maxsize=1)
def _dictionary() -> str:
    """The project dictionary loaded into nlpO3 (once per process): its name there.

    nlpO3 is PyThaiNLP's newmm written in Rust: the same maximal matching over the same word list
    gives the same words (`tests/test_phrases.py` compares it with PyThaiNLP's own newmm on the
    development records), about six times faster. It reads its dictionary from a file, one word
    per line, written here to a temporary file and read once; a fresh name per load, since nlpO3
    never replaces a dictionary it holds under a name."""
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize.nlpo3 import load_dict

    name = f"sangkhro-{uuid.uuid4().hex}"
    with tempfile.TemporaryDirectory(prefix="sangkhro-words-") as folder:
        path = Path(folder) / "words.txt"
        path.write_text("\n".join(sorted(set(thai_words()) | project_terms())), encoding="utf-8")
        if not load_dict(str(path), name):
            raise RuntimeError(f"nlpO3 could not load the project dictionary ({path})")
    return name


def warm() -> None:
    """Build the segmenter's dictionaries now (about a second each, once per process): a server
    calls this in a background thread when it starts, so the first page's chart labels do not
    wait for them while its questions run in the database."""
    _dictionary()
    general_words("ก")


# data/lexicon.yaml lists of verbs that say someone spoke, not what about (เล่า, สะท้อน, กล่าวเปิด)
LEXICON_SPEECH_VERB_LISTS = ("reporting_verbs", "bare_speech_verbs", "contribution_verbs")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """PyThaiNLP's Thai stopwords, `SPOKEN_PARTICLES` and the lexicon's speech verbs."""
    from pythainlp.corpus import thai_stopwords

    from analysis.extract.lexicon import lexicon

    lex = lexicon()
    verbs = _whole_terms(w for name in LEXICON_SPEECH_VERB_LISTS for w in lex.get(name) or ())
    return frozenset(thai_stopwords()) | SPOKEN_PARTICLES | verbs


def segment(text: str, keep_whitespace: bool = False) -> list[str]:
    """`text` in words (newmm with the project dictionary, run by nlpO3), whitespace dropped
    unless kept (then the pieces join back to `text`).

    nlpO3 takes only the ASCII space for a space: every other space (a no-break space, common in
    web pages, or a tab) is read as one, the words then cut from `text` itself. On Thai text the
    words are PyThaiNLP's newmm words; next to other characters nlpO3 cuts punctuation off a Latin
    word ("(KM)" → "(", "KM", ")"), where newmm keeps such a run whole."""
    from pythainlp.tokenize._utils import strip_whitespace
    from pythainlp.tokenize.nlpo3 import segment as nlpo3_segment

    if not text or not isinstance(text, str):
        return []
    pieces = nlpo3_segment(_OTHER_SPACE.sub(" ", text), custom_dict=_dictionary())
    words, start = [], 0
    for piece in pieces:  # the same lengths: a space replaced one character
        words.append(text[start : start + len(piece)])
        start += len(piece)
    return words if keep_whitespace else strip_whitespace(words)


def general_words(text: str) -> list[str]:
    """`text` in words of PyThaiNLP's general dictionary only (newmm, run by nlpO3): a long
    project term (an agency's full name) in its smaller words."""
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text, engine="nlpo3")


def is_content_word(word: str, extra_stopwords: frozenset[str] = frozenset()) -> bool:
    """A word that may be (part of) a key phrase: holds a letter, is no stopword, and is a
    project term or at least `MIN_WORD_CHARS` characters long."""
    if not _CONTENT.search(word) or word in stopwords() or word in extra_stopwords:
        return False
    return len(word) >= MIN_WORD_CHARS or word in project_terms()


def content_words(text: str, extra_stopwords: frozenset[str] = frozenset()) -> list[str | None]:
    """The words of `text` in order, each word that is no content word (see `is_content_word`)
    replaced by None, so phrases are only made of neighbours:
    ``'ทำบัญชีครัวเรือนเจ้า'`` → ``[None, 'บัญชีครัวเรือน', None]``."""
    return [w if is_content_word(w, extra_stopwords) else None for w in segment(text)]
