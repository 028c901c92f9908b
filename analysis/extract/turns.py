"""Speaker-attributed turns: label turns, byline talks, reported speech, contribution verbs.

Spec, *turns*. The kinds are found in that order of priority: label and byline turns first
(their text runs until the next turn, a heading or section label, or the page footer); reported
speech and contribution verbs only outside their text, so that speech quoted inside a turn stays
part of that turn.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, islice

from analysis.extract.agencies import _specific, find_mentions
from analysis.extract.layout import GAP, SPACE, Layout, Line
from analysis.extract.lexicon import Literals, alternation, words
from analysis.record import Turn
from analysis.text import find_all

THAI = "\u0e01-\u0e4e"
_NAME_TOKEN = rf"[{THAI}A-Za-z][{THAI}A-Za-z.]*"


_REPORTED_FILL = 40  # at most this many characters between a reporting verb and its ว่า
_QUOTE_FILL = 20  # … and between a verb and the spaces before its opening quotation mark


@dataclass
class _Found:
    start: int  # where the turn's label starts (ends the previous turn)
    speech: int  # where its text starts
    speaker: str
    agency: str | None
    kind: str  # label | byline | reported | verb
    end: int | None = None  # fixed end (reported speech ends with its paragraph)


@lru_cache(maxsize=1)
def _res() -> dict[str, re.Pattern]:
    titles = alternation(words("person_titles"))
    roles = alternation(words("speaking_roles"))
    verbs = alternation(words("reporting_verbs"))
    contrib = alternation(words("contribution_verbs"))
    connectors = alternation(words("speaker_connectors"))
    glued = alternation(words("glued_position_words"))
    end = rf"(?=[\s\u00a0(:：,’'”\"]|$|{verbs}|{contrib}|{glued})"
    before = rf"(?:(?<![{THAI}])" + "".join(f"|(?<={w})" for w in words("speaker_connectors")) + ")"
    token = rf"[{THAI}A-Za-z][{THAI}A-Za-z.]{{0,17}}(?:-[{THAI}]{{2,15}})?"  # 'ต้อม-สมใจ'
    km_roles = r"(?!ลิขิต|อำนวย|เอื้อ|กิจ(?![ก-๙]))"  # คุณลิขิต… is a KM role, not a name
    # the title first as a lookahead: the lookbehinds run only where a title starts
    person = (
        rf"(?=(?:{titles})){before}(?:{titles}){km_roles}{SPACE}?{token}{end}"
        rf"(?:{SPACE}{{1,2}}{token}{end})?"
    )
    # a clause from the verb to its ว่า: 'ชี้แจงต่อสมาชิกว่า', never 'กว่า' (more than)
    fill = rf"[^\s“”\"‘’?!:：]{{0,{_REPORTED_FILL}}}?"
    lead = "[ก-ฮเแโใไ]"  # a Thai word starts with a consonant or a leading vowel
    one_of = rf"(?:{alternation(words('reporting_roles'))})ฯ?"
    bare = "|".join(rf"{re.escape(w)}(?<=\s{re.escape(w)})" for w in words("bare_speech_verbs"))
    reported = rf"(?P<verb>{verbs}|{contrib}){fill}(?P<wa>ว่า)"  # without its tail: _markers_of
    return {
        "title_only": re.compile(rf"(?:{titles})?{SPACE}?"),
        "connector_end": re.compile(rf"(?:^|\s)(?:{connectors})\s*$"),
        "title_start": re.compile(rf"^(?:{titles}|{roles})"),
        "role_start": re.compile(rf"^(?:{roles})(?:{SPACE}*(?:\d+|[ก-ฮ]|[A-Z]))?$"),
        "label": re.compile(rf"^(?P<label>[^:：\n]{{1,60}}?){SPACE}*[:：](?!\d\d)(?P<rest>.*)$"),
        "bracket_gap": re.compile(
            rf"^(?P<name>[^()（）\n:：]{{2,50}}?){SPACE}*[(（](?P<agency>[^()（）\n]{{1,60}})[)）]"
            rf"(?P<gap>{SPACE}{{2,}})(?P<speech>\S)"
        ),
        "title_gap": re.compile(rf"^(?P<name>{person}|(?:{roles}))(?P<gap>{GAP})(?P<speech>\S)"),
        "byline": re.compile(
            rf"^โดย{SPACE}+(?P<name>(?:{titles}){SPACE}?{_NAME_TOKEN}"
            rf"(?:{SPACE}{_NAME_TOKEN})?)(?P<pos>.*)$"
        ),
        "reported": re.compile(rf"{reported}(?:{SPACE}|[“\"‘])*"),
        "reported_core": re.compile(reported),
        "quote_verb": re.compile(rf"(?P<verb>{verbs})[^\s“\"‘]{{0,{_QUOTE_FILL}}}?{SPACE}*[“\"‘]"),
        # each verb then its look-behind for the space before it (longest verb first, as the
        # trie would): the engine skips to the verbs' first letters in C
        "bare": re.compile(
            rf"(?P<verb>{bare})"
            rf"{SPACE}?(?=[ก-ฮเแโใไ])(?!ว่า|กล่าว|แจง|ให้เห็น)"
        ),
        "person": re.compile(person),
        "person_any": re.compile(rf"(?=(?P<p>{person}))"),
        "last_word": re.compile(rf"(?<![{THAI}])(?P<w>{lead}[{THAI}]{{1,15}}){SPACE}*$"),
        "plain_name": re.compile(
            rf"(?<![{THAI}])(?=(?P<name>{lead}[{THAI}]{{1,9}}{SPACE}{{1,2}}{lead}[{THAI}]{{1,15}})\s)"
        ),
        "role": re.compile(
            rf"{one_of}|(?<![{THAI}])(?=[{THAI}]{{1,12}}?(?:คนหนึ่ง|ท่านหนึ่ง))"
            rf"[{THAI}]{{1,12}}?(?:คนหนึ่ง|ท่านหนึ่ง)(?![{THAI}])"
        ),
        "glued_stop": re.compile(alternation(words("glued_position_words"))),
        "role_qualifier": re.compile(rf"ฯ?{SPACE}?(?:{alternation(words('role_qualifiers'))})"),
        "position_only": re.compile(
            alternation(words("reporting_roles") + words("speaking_roles") + words("name_stoppers"))
        ),
        "comparative": re.compile(rf"(?:{alternation(words('comparative_stems'))})$"),
        "one_of": re.compile(rf"[{THAI}]{{2,20}}?(?:คนหนึ่ง|ท่านหนึ่ง)"),
        "quoted_name": re.compile(
            rf"[‘'“\"](?P<name>[{THAI}A-Za-z.]{{2,22}}(?: [{THAI}A-Za-z.]{{2,22}}){{0,2}})[’'”\"]"
        ),
        "field": re.compile(rf"^(?:{alternation(words('field_labels'))})"),
        "stopper": re.compile(rf"^(?:{alternation(words('name_stoppers'))})"),
    }


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    """Thai given names (PyThaiNLP's name corpora): a lone word label or an untitled name
    outside a clause opening counts as a person only when it is one."""
    from pythainlp.corpus import thai_female_names, thai_male_names

    return frozenset(thai_female_names()) | frozenset(thai_male_names())


@lru_cache(maxsize=1)
def _provinces() -> frozenset[str]:
    """Province names: 'ลำปาง : วันที่ …' is a dateline, not a speaker."""
    from pythainlp.corpus.common import provinces

    return frozenset(provinces())


_FIELD_EXACT: set[str] | None = None


def _field_exact() -> set[str]:
    global _FIELD_EXACT
    if _FIELD_EXACT is None:
        _FIELD_EXACT = set(words("field_labels"))
    return _FIELD_EXACT


_HEADING = re.compile(
    r"^(?:ช่วงที่|ตอนที่|ส่วนที่|วงที่|ภาคเช้า|ภาคบ่าย|ช่วงเช้า|ช่วงบ่าย|เริ่มต้น|ระเบียบวาระ|วาระที่|"
    r"ข้อเสนอแนะ|สิ่งที่จะนำ|บทเรียนที่ได้|สรุปบทเรียน|สรุปประเด็น|สรุปผล|ประเด็นที่|กิจกรรมที่|รอบที่|"
    r"[-=*_~]{3,}|#{1,3} )"
)
_NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*[.)]?|[ก-ฮ][.)]|[-•*·–])\s*")
_TIMESTAMP = re.compile(r"\d{1,2}:\d{2}")
_STAMP = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?")


_FUNCTION_WORD = re.compile(r"ที่|ไม่|ใน|การ|ของ|และ|เป็น|ได้|ให้|กับ|เรื่อง|ความ")


_SPLIT_AGENCY_RX1 = re.compile(r"^(?P<name>.+?)\s*[(（](?P<agency>[^()（）]{1,60})[)）]\s*$")


def _split_agency(label: str) -> tuple[str, str | None]:
    m = _SPLIT_AGENCY_RX1.match(label)
    if m:
        return m.group("name").strip(" \u00a0"), m.group("agency").strip(" \u00a0")
    return label.strip(" \u00a0"), None


_BRACKET_AGENCY_RX1 = re.compile(r"(?:หมู่|ม\.)\s*\d")


def _bracket_agency(inner: str | None) -> str | None:
    """The agency in a label's brackets, or None when they hold a position or a village
    ('นายสมัคร (พัฒนากร) :', 'ผู้ใหญ่ชิต (หมู่ 5)')."""
    if not inner or not inner.strip(" \u00a0"):
        return None
    inner = inner.strip(" \u00a0")
    res = _res()
    if res["position_only"].fullmatch(inner) or _BRACKET_AGENCY_RX1.match(inner):
        return None
    return inner


_IS_SPEAKER_LABEL_RX1 = re.compile(SPACE + "+")
_IS_SPEAKER_LABEL_RX2 = re.compile(r"^\d")
_IS_SPEAKER_LABEL_RX3 = re.compile(r"^[ก-ฮ][.)]")
_IS_SPEAKER_LABEL_RX4 = re.compile(rf"[{THAI}]{{2,14}}")


def is_speaker_label(label: str) -> bool:
    """Whether the text before a colon names a person or a speaking role.

    >>> is_speaker_label('คุณสมศรี (พอช.)'), is_speaker_label('คู่สนทนา 1')
    (True, True)
    >>> is_speaker_label('กระบวนการ'), is_speaker_label('1.1 เรื่องงบประมาณ')
    (False, False)
    """
    name, _agency = _split_agency(label)
    if not name or len(name) > 45 or _TIMESTAMP.search(name) or "ว่า" in name:
        return False
    if _NUMBERED.match(name) and not _IS_SPEAKER_LABEL_RX3.match(name):
        return False
    if _IS_SPEAKER_LABEL_RX2.match(name) or name.endswith("ว่า"):
        return False
    res = _res()
    if name in _field_exact():
        return False
    tokens = _IS_SPEAKER_LABEL_RX1.split(name)
    if len(tokens) > 5:
        return False
    if res["role_start"].match(name) or res["one_of"].fullmatch(name):
        return True
    if len(tokens) == 1 and name.split("-")[0] in _given_names() and name not in _provinces():
        return True  # a given name alone ('สมปอง :'), as transcripts label known speakers
    if res["title_start"].match(name):
        # a title and a name, not a sentence that opens with a kinship word ('แม่อยากให้…')
        return len(tokens) <= 4 and all(len(t) <= 22 for t in tokens)
    if res["field"].match(name):
        return False
    # a full name without a title: two Thai words (given name, surname)
    if len(tokens) == 2 and all(_IS_SPEAKER_LABEL_RX4.fullmatch(t) for t in tokens):
        # a given name and a surname, not a phrase ('เรียนที่สวน ไม่ใช่ในห้อง')
        if any(_FUNCTION_WORD.search(t) for t in tokens):
            return False
        return not any(res["stopper"].match(t) for t in tokens)
    return False


_NAMES_ONLY_RX1 = re.compile(SPACE + "+")
_NAMES_ONLY_RX2 = re.compile(r"\s*(?:,|และ)\s*")


def _names_only(rest: str) -> bool:
    """Whether the text after a label's colon only names people: a field such as
    'คุณอำนวย : อ.สมใจ ดีงาม (มรภ.สงขลา) และนายเอก ใจดี', not a speech."""
    parts = [p.strip(" \u00a0") for p in _NAMES_ONLY_RX2.split(rest) if p.strip()]
    if not parts:
        return False
    for part in parts:
        name, _agency = _split_agency(part)
        m = _res()["person"].fullmatch(name)
        tokens = _NAMES_ONLY_RX1.split(name)
        if not (m or _plain_name(tokens)):
            return False
    return True


_GAP_LABEL = re.compile(rf"^(?P<label>[^\s]{{2,25}}){GAP}\S")


def _label(t: str) -> re.Match | None:
    """A line's label and colon (``_res()["label"]``); a line without a colon is not tried."""
    return _res()["label"].match(t) if ":" in t or "：" in t else None


def _is_heading(line: Line) -> bool:
    t = line.text
    if _HEADING.match(t):
        return True
    m = _label(t)
    if m and not m.group("rest").strip() and not is_speaker_label(m.group("label")):
        return len(t) <= 60
    if (
        m
        and _res()["field"].match(m.group("label").strip())
        and not is_speaker_label(m.group("label"))
    ):
        return True
    # a header field label followed by a gap: 'กระบวนการ      1. …'
    g = _GAP_LABEL.match(t)
    if g and g.group("label") in _field_exact():
        return True
    return False


def _label_turns(text: str, layout: Layout, title: str | None = None) -> list[_Found]:
    res = _res()
    found: list[_Found] = []
    lines = layout.lines
    for i, line in enumerate(lines):
        if line.blank or line.start >= layout.body_end or (title and line.text == title):
            continue  # a colon inside the title is no turn
        t = line.text
        m = res["bracket_gap"].match(t) if "(" in t or "（" in t else None
        if m and (res["title_start"].match(m.group("name")) or is_speaker_label(m.group("name"))):
            found.append(
                _Found(
                    line.start,
                    line.start + m.start("speech"),
                    m.group("name").strip(),
                    _bracket_agency(m.group("agency")),
                    "label",
                )
            )
            continue
        m = _label(t)
        if m and is_speaker_label(m.group("label")) and not _names_only(m.group("rest")):
            name, agency = _split_agency(m.group("label"))
            agency = _bracket_agency(agency)
            rest = m.group("rest")
            if rest.strip():
                speech = line.start + m.start("rest") + (len(rest) - len(rest.lstrip(" \t\u00a0")))
            else:
                # the speech on the next line; a bare timestamp line is no speech ('06:48')
                nxt = next(
                    (
                        ln
                        for ln in islice(lines, i + 1, None)
                        if not _STAMP.fullmatch(ln.text or "0:00")
                    ),
                    None,
                )
                if nxt is None or nxt.start >= layout.body_end or _is_heading(nxt):
                    continue
                m2 = _label(nxt.text)
                if m2 and is_speaker_label(m2.group("label")):
                    continue
                speech = nxt.start
            found.append(_Found(line.start, speech, name, agency, "label"))
            continue
        m = res["title_gap"].match(t)
        # 'คุณอำนวย   ครูสมศรี (…)' is a header field naming a person, not a speech; a name,
        # a gap and a position before a speech verb is reported speech ('ลุงชม  ประธานกลุ่ม  เสนอว่า')
        if (
            m
            and not _is_heading(line)
            and len(t) - m.start("speech") >= 30
            and not res["reported"].search(t, 0, 200)
        ):
            found.append(
                _Found(
                    line.start,
                    line.start + m.start("speech"),
                    m.group("name").strip(),
                    None,
                    "label",
                )
            )
    return found


_SPOKEN = re.compile(r"ครับ|ค่ะ|คะ|นะ|ผม|ดิฉัน|หนู|พวกเรา|ท่านทั้งหลาย|พี่น้อง|เนี่ย|จ้ะ|จ๊ะ|เรา")


def _byline_turns(text: str, layout: Layout) -> list[_Found]:
    """``โดย ดร.สมชาย ใจดี ผู้อำนวยการ…`` over a verbatim talk (spoken style below it)."""
    res = _res()
    out = []
    for i, line in enumerate(layout.lines):
        if line.blank or line.start >= layout.body_end or not line.text.startswith("โดย"):
            continue
        m = res["byline"].match(line.text)
        if not m:
            continue
        nxt = next((ln for ln in islice(layout.lines, i + 1, None) if not ln.blank), None)
        if nxt is None or nxt.start >= layout.body_end:
            continue
        nxt = _after_byline_header(layout, nxt)
        body = text[nxt.start : min(layout.body_end, nxt.start + 3000)]
        if len(_SPOKEN.findall(body)) * 1000 / max(1, len(body)) < 4:
            continue
        name = _trim_name(m.group("name"))
        out.append(_Found(line.start, nxt.start, name, None, "byline"))
    return out


_BYLINE_HEADER = re.compile(r"^(?:ใน|ณ|วันที่|วัน|เวลา|จัดโดย|สถานที่)")
_AFFILIATION = re.compile(r"^(?:โรงเรียน|มหาวิทยาลัย|คณะ|สำนักงาน|โรงพยาบาล|กลุ่ม|ศูนย์|สถาบัน|ตำแหน่ง)")


def _after_byline_header(layout: Layout, first: Line) -> Line:
    """The talk's first line: header lines right under a byline (the speaker's school or office,
    the event, its date and place: 'โรงเรียนบ้าน…', 'ในเวทีสมัชชา…', 'วันที่ … ณ …') are skipped,
    up to a blank line or the first line in a spoken voice."""
    lines = layout.lines
    j = first.index
    while j < len(lines) and not lines[j].blank and j < first.index + 4:
        ln = lines[j]
        header = _BYLINE_HEADER.match(ln.text) and len(ln.text) <= 250
        header = header or (_AFFILIATION.match(ln.text) and len(ln.text) <= 100)
        if not header or _SPOKEN.search(ln.text):
            break
        j += 1
    nxt = next((ln for ln in islice(lines, j, None) if not ln.blank), None)
    return nxt if nxt is not None and nxt.start < layout.body_end else first


_TRIM_NAME_RX1 = re.compile(f"({SPACE})")


def _trim_name(name: str) -> str:
    """Drop a trailing position word the name pattern swallowed ('นายสมชาย ปลัด' → 'นายสมชาย')."""
    parts = _TRIM_NAME_RX1.split(name)
    if len(parts) >= 3 and _res()["stopper"].match(parts[-1]):
        return "".join(parts[:-2])
    return name


def _spoken_marker(text: str, m: re.Match) -> bool:
    """Whether a ``ว่า`` found after a verb marks speech, not a word that holds it
    ('รัฐมนตรีว่าการ', 'ผู้ว่าราชการ')."""
    return not text.startswith(("การ", "ราชการ"), m.end("wa"))


_BAD_BETWEEN_RX1 = re.compile(r"(?<!ผู้)ว่า(?!การ|ราชการ)")
_BAD_BETWEEN_RX2 = re.compile(r"[“”\"?!:：]")


def _bad_between(between: str) -> bool:
    """Text between a speaker and the verb that cannot sit inside one clause: another speech
    marker ('บอกว่า', not the comparative 'มากกว่า'), quoted speech, a question or
    exclamation, a colon label."""
    for m in _BAD_BETWEEN_RX1.finditer(between):
        if not _comparative(between, m.start()):
            return True
    return bool(_BAD_BETWEEN_RX2.search(between))


def _comparative(text: str, wa: int) -> bool:
    """Whether the ว่า at `wa` ends the comparative กว่า ('มากกว่า', 'ดีกว่า'), not a speech
    marker ('บอกกับกรรมการว่า')."""
    if not text.endswith("ก", 0, wa):
        return False
    # the stem ends right before that ก (or before a newline there, as ``$`` allows): searching
    # only its reach back keeps a long line linear, one short search per ว่า
    lo = max(0, wa - 2 - _comparative_reach())
    return bool(_res()["comparative"].search(text, lo, wa - 1))


@lru_cache(maxsize=1)
def _comparative_reach() -> int:
    return max(map(len, words("comparative_stems")))


_PLAIN_NAME_RX1 = re.compile(rf"[{THAI}]{{2,16}}")


def _plain_name(tokens: list[str]) -> bool:
    """A given name and a surname without a title ('สมคิด ดีมาก'), not a phrase or a role."""
    res = _res()
    if len(tokens) != 2 or not all(_PLAIN_NAME_RX1.fullmatch(t) for t in tokens):
        return False
    if any(_FUNCTION_WORD.search(t) or res["stopper"].match(t) for t in tokens):
        return False
    if res["connector_end"].fullmatch(tokens[0]):
        return False
    return not (res["role"].match(tokens[0]) or res["field"].match(tokens[0]))


@dataclass
class _Who:
    name: str
    agency: str | None
    start: int
    kind: str  # person | role
    fresh: bool  # opens a clause (line start, a connector or a list marker before it)


_CLAUSE_OPENS_RX1 = re.compile(rf"[{THAI}]{{2,20}}{SPACE}")
_CLAUSE_OPENS_RX2 = re.compile(rf"{GAP}$")


def _clause_opens(text: str, line: Line, pos: int) -> bool:
    """Whether a speaker at `pos` opens a clause: line start, list marker, a connector
    ('ด้าน', 'ขณะที่', 'ส่วน', 'โดย', 'จากนั้น' …) or a gap right before it."""
    lo = max(line.start, pos - 80)  # a window: a long line costs no more per speaker
    head = text[lo:pos]
    whole = lo == line.start
    if not head.strip() or whole and _NUMBERED.fullmatch(head.strip() + " "):
        return True
    # after a gap (or the line start), one short opening phrase: 'ช่วงบ่าย นายเอก…'
    parts = re.split(GAP, head)
    if (whole or len(parts) > 1) and _CLAUSE_OPENS_RX1.fullmatch(parts[-1]):
        return True
    if _res()["connector_end"].search(head):
        return True
    return bool(_CLAUSE_OPENS_RX2.search(head))


_SPEAKER_BEFORE_RX1 = re.compile(SPACE + "+")


def _speaker_before(
    text: str, line: Line, verb_start: int, known: set[str], verb_kind: str
) -> _Who | None:
    """The speaker named before a reporting verb in the same clause.

    A named person wins over a role word (a role after the name is the person's position); the
    person closest to the verb is taken. Role-only speakers ('ประธานบอกว่า', 'ตัวแทนกลุ่ม…
    เล่าว่า') need the clause to open with them; the rest of a representative's label is the
    agency. An untitled full name counts at the start of a clause ('สมคิด ดีมาก ชาวบ้าน…
    ถามว่า'), a lone given name only when the same person was named in full before.
    """
    res = _res()
    lo = max(line.start, verb_start - 220)
    window = text[lo:verb_start]
    persons: list[tuple[int, int, str]] = []
    for m in res["quoted_name"].finditer(window):
        name = m.group("name")
        tokens = _SPEAKER_BEFORE_RX1.split(name)
        if res["title_start"].match(name) or _plain_name(tokens):
            persons.append((lo + m.start(), lo + m.end(), name))
    # overlapping: a rejected 'แม่บ้าน คุณสมใจ' must not hide 'คุณสมใจ เรืองศรี'
    for m in res["person_any"].finditer(window):
        persons.append((lo + m.start(), lo + m.end("p"), _trim_name(m.group("p"))))
    near = max(lo, verb_start - 150)  # an untitled name sits close to its verb
    for m in res["plain_name"].finditer(text, near, verb_start):
        tokens = m.group("name").split()
        at = m.start("name")
        # inside a clause only a known given name before a speech marker ('… เสริมว่า')
        named = verb_kind == "reported" and len(tokens[0]) >= 4 and tokens[0] in _given_names()
        if not (named or _clause_opens(text, line, at)):
            continue
        if _plain_name(tokens):
            persons.append((at, m.end("name"), m.group("name")))
        elif tokens[0] in known:
            persons.append((at, at + len(tokens[0]), tokens[0]))
    last = res["last_word"].search(window)
    if last and last.group("w") in known and _clause_opens(text, line, lo + last.start("w")):
        persons.append((lo + last.start("w"), verb_start, last.group("w")))
    valid: list[tuple[int, str, str]] = []
    for start, _end, name in sorted(persons):
        if valid and start < valid[-1][0] + len(valid[-1][1]):
            continue  # inside a name already taken ('สมคิด ดีมาก รอง…' holds no 'ดีมาก รอง')
        name = _cut_glued(name)
        between = text[start + len(name) : verb_start]
        if len(between) > 180 or _bad_between(between) or not _name_like(name):
            continue
        if verb_kind in ("bare", "contrib") and len(between) > 100:
            continue
        valid.append((start, name, between))
    if valid:
        # the first person of the clause; title words inside a position ('… ผู้ใหญ่บ้านหมู่ 9')
        # are no new speaker, a person after a connector is ('… เป็นประธาน โดยมี นางสมศรี …')
        fresh = [v for v in valid[1:] if _clause_opens(text, line, v[0])]
        start, name, between = fresh[-1] if fresh else valid[0]
        role = _fresh_role(text, line, start + len(name), verb_start)
        if role is None:
            return _Who(name.strip(), _agency_in(between), start, "person", True)
        return role  # the person belongs to an earlier clause ('…เล่าครบทุกคน  วิทยากรสรุปว่า')
    if verb_kind in ("bare", "contrib"):
        return None  # a contribution verb needs a named speaker ('ผู้แทน…ร่วมให้ข้อมูล' is none)
    return _fresh_role(text, line, lo, verb_start, any_role=True)


_FRESH_ROLE_RX1 = re.compile(rf"[{THAI}]$")


def _fresh_role(
    text: str, line: Line, lo: int, verb_start: int, any_role: bool = False
) -> _Who | None:
    """A role-only speaker in text[lo:verb_start]: the last role word that opens its clause (or,
    with `any_role`, any role word not glued inside another word). Without `any_role` a role
    right after `lo` (a person's position) does not count."""
    res = _res()
    window = text[lo:verb_start]
    for m in reversed(list(res["role"].finditer(window))):
        start = lo + m.start()
        if not any_role and (
            not window[: m.start()].strip() or not _clause_opens(text, line, start)
        ):
            continue
        between = text[lo + m.end() : verb_start]
        if len(between) > 50 or _bad_between(between) or res["person"].search(between):
            continue  # a role's label is short; a long clause is narration ('…วาดภาพ… แล้วค่อยเล่าว่า')
        if _COLLECTIVE.search(between):
            return None  # 'ตัวแทนกองทุน 3 แห่งเล่า…ว่า' speaks for several people
        glued = _FRESH_ROLE_RX1.search(text[max(line.start, start - 1) : start])
        if glued and not _clause_opens(text, line, start):
            continue  # a role word inside another word ('ที่ประชุม', 'คณะประธาน')
        agency = _agency_in(between)
        label = between.strip(" \u00a0")
        speaker = m.group(0)
        if m.group(0) in _REPRESENTATIVES and label and len(label) <= 60:
            if agency is None or label.startswith(agency):
                agency = label  # 'ผู้แทน ธ.ก.ส. สาขาเมือง เล่าว่า' → 'ธ.ก.ส. สาขาเมือง'
        elif agency is None and label and res["role_qualifier"].match(between):
            # a position with its place is the label as written ('นายกเทศมนตรีเมืองสองคลอง')
            speaker = text[start:verb_start].rstrip(" \u00a0")

        return _Who(speaker, agency, start, "role", _clause_opens(text, line, start))
    return None


_COLLECTIVE = re.compile(r"\d+\s*(?:แห่ง|คน|กลุ่ม|ท่าน|หมู่บ้าน|ตำบล|อำเภอ)|ทุก|หลาย|ร่วมกัน")
_REPRESENTATIVES = ("ตัวแทน", "ผู้แทน", "เจ้าหน้าที่")


@lru_cache(maxsize=1)
def _glued_titles() -> frozenset[str]:
    return frozenset(words("glued_titles"))


_NAME_LIKE_RX1 = re.compile(r"ตำบล|บ้าน|หมู่|อำเภอ|จังหวัด|เขต")
_NAME_LIKE_RX2 = re.compile(SPACE + "+")
_NAME_LIKE_RX3 = re.compile(r"\d")
_NAME_LIKE_RX4 = re.compile(SPACE + "+")
_NAME_LIKE_RX5 = re.compile("ก็|เอง|มี|จะ|คน")


def _name_like(name: str) -> bool:
    """A title and a name, not a title word opening a phrase ('ลุงเองก็มีหนี้', 'อายุ 72 ปี')."""
    first = _NAME_LIKE_RX2.split(name)[0]
    role = _res()["role"].match(first)
    if role and role.end() == len(first):
        return False  # 'ผู้ใหญ่บ้าน' is a role, not the title ผู้ใหญ่ and a name
    title = _res()["title_only"].match(name)
    rest = name[title.end() :]
    if title.group(0).strip() in _glued_titles() and title.group(0) != title.group(0).rstrip():
        return False  # '30 ท่าน ส่วนมาก': a word-title is glued to its name
    given = _NAME_LIKE_RX4.split(rest)[0] if rest else ""
    if _NAME_LIKE_RX1.match(given):
        return False  # 'กำนันตำบลห้วยไผ่' is a position with a place
    if len(given) < 2 or _NAME_LIKE_RX3.search(rest):
        return False
    return not (_FUNCTION_WORD.search(given) or _NAME_LIKE_RX5.search(given))


_AGENCY_IN_RX1 = re.compile(r"[(（](?P<a>[^()（）\n]{1,60})[)）]")


def _agency_in(between: str) -> str | None:
    """The organisation written in a speaker's position or brackets, or after จาก."""
    found = find_mentions(between, len(between))
    if found:
        return found[0].text.strip()
    bracket = _AGENCY_IN_RX1.search(between)
    if bracket and _specific(bracket.group("a")):
        return _bracket_agency(bracket.group("a"))
    return None


def _cut_glued(name: str) -> str:
    """A name glued to the word after it ends there: 'พี่สมศรีจากฝ่ายบัญชี' → 'พี่สมศรี',
    'นายสมชาย ใจดีผู้อำนวยการ' → 'นายสมชาย ใจดี'."""
    m = _res()["glued_stop"].search(name, 3)
    return name[: m.start()].rstrip() if m else name


_FIRST_PERSON = re.compile(r"ผม|ดิฉัน|หนู|เรา|ข้าพเจ้า|กระผม")


_OPENS_PARAGRAPH_RX1 = re.compile(rf"{GAP}$")


def _opens_paragraph(text: str, layout: Layout, line: Line, who: _Who, speech: int) -> bool:
    """Whether reported speech opens a paragraph of its own (after a blank line, the speaker at
    the line start or after a gap), told by the page rather than quoted by the current speaker
    ('ลุงเชื่อมเคยบอกผมว่า…' is the speaker's story)."""
    if line.index == 0 or not layout.lines[line.index - 1].blank:
        return False
    head = text[max(line.start, who.start - 80) : who.start]
    if head.strip() and not _OPENS_PARAGRAPH_RX1.search(head):
        return False
    return not _FIRST_PERSON.search(text, who.start, speech)


_CLAUSE_BREAK = re.compile(r"เมื่อ|เพราะ|ซึ่ง|หลังจาก|ก่อน|แล้ว|โดย|จึง")


_VERB_LENGTH_RX1 = re.compile(r"\s")


@lru_cache(maxsize=1)
def _contribution_verbs() -> Literals:
    """The contribution verbs, found in one automaton pass (what their alternation finds)."""
    return Literals(words("contribution_verbs"))


@lru_cache(maxsize=1)
def _verb_length() -> int:
    """The longest reporting or contribution verb, or 0 when one holds a space (then no
    window is safe and the whole text is scanned)."""
    verbs = words("reporting_verbs") + words("contribution_verbs")
    return 0 if any(_VERB_LENGTH_RX1.search(v) for v in verbs) else max(map(len, verbs))


_QUOTES = re.compile('[“"‘]')
_SPACE_CHARS = frozenset(c for c in map(chr, range(0x3001)) if re.fullmatch(SPACE, c))


def _markers_of(kind: str, text: str, end: int):
    """``_res()[kind].finditer(text, 0, end)``, searched only where a match can be (the
    contribution verbs: their matches, found by one automaton pass).

    A reported-speech match reaches its ``ว่า`` within a verb and ``_REPORTED_FILL`` characters,
    a quoted one the spaces before its opening quotation mark within a verb and ``_QUOTE_FILL``
    characters. So each ``ว่า`` or quotation mark gives a short window before it, overlapping
    windows merge, and the pattern (without its optional tail) is searched window by window,
    in order, each search going on from where the last match ended: the same matches as one
    scan of the whole text, without trying the verb alternation at every position.
    """
    if kind == "contrib":
        yield from _contribution_verbs().finditer(text, end)
        return
    rx = _res()[kind]
    longest = _verb_length()
    if kind not in ("reported", "quote_verb") or not longest:
        yield from rx.finditer(text, 0, end)
        return
    core = _res()["reported_core"] if kind == "reported" else rx
    windows: list[list[int]] = []
    if kind == "reported":
        spans = ((at, at + 3) for at in find_all(text, "ว่า", end))
        reach = longest + _REPORTED_FILL
    else:
        spans = (
            (_space_run_start(text, q.start()), q.end()) for q in _QUOTES.finditer(text, 0, end)
        )
        reach = longest + _QUOTE_FILL
    for anchor, stop in spans:
        lo = max(0, anchor - reach)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], stop)
        else:
            windows.append([lo, stop])
    pos = 0
    for lo, hi in windows:
        at = max(lo, pos)
        while at < hi:
            m = core.search(text, at, hi)
            if m is None:
                break
            m = rx.match(text, m.start(), end)  # with the tail, as the whole scan gives it
            yield m
            pos = at = m.end()


def _space_run_start(text: str, at: int) -> int:
    """Where the run of spaces that ends at `at` starts (`at` itself when there is none)."""
    while at and text[at - 1] in _SPACE_CHARS:
        at -= 1
    return at


_REPORTED_TURNS_RX1 = re.compile(SPACE + "+")


def _reported_turns(text: str, layout: Layout, covered: list[tuple[int, int, int]]) -> list[_Found]:
    """Reported speech (form 3) and contribution verbs (form 4) outside label and byline turns.

    Speech starts after ``ว่า`` when the verb's clause reaches one ('กล่าวรายงานว่า',
    'ชี้แจงต่อสมาชิกว่า'), after the opening quotation mark ('ย้ำ “…”'), after a bare
    speech verb right behind a named person ('นายสมศักดิ์ บอกราคายาง…'), else at a contribution
    verb ('กล่าวเปิดการประชุม ท่านเล่าถึง…'). A turn ends with its paragraph, or where another
    speaker's turn starts inside it.
    """
    res = _res()
    covered = sorted(covered)
    starts = [a for a, _, _ in covered]
    reach = list(accumulate((b for _, b, _ in covered), max))

    def inside(pos: int) -> bool:
        """Inside the first paragraph of a label or byline turn (speech quoted there is that
        turn's); a later paragraph that opens with a speaker's reported speech is a new turn."""
        i = bisect_right(starts, pos)
        if not i or reach[i - 1] <= pos:
            return False
        later.add(pos)
        return pos < covered[i - 1][2]

    later: set[int] = set()

    markers: list[tuple[int, int, str]] = []  # (verb start, speech start, kind)
    taken = bytearray(max(1, layout.body_end))
    for kind in ("reported", "quote_verb", "contrib", "bare"):
        for m in _markers_of(kind, text, layout.body_end):
            if taken[m.start()] or inside(m.start()):
                continue
            if kind == "reported" and (
                not _spoken_marker(text, m) or _comparative(text, m.start("wa"))
            ):
                continue
            if kind == "reported" and _CLAUSE_BREAK.search(text, m.end("verb"), m.start("wa")):
                continue  # 'กล่าวเปิดประชุมเมื่อเห็นว่า…': the ว่า belongs to another verb
            if text.endswith("ร่วม", 0, m.start()):
                continue  # 'ร่วมชี้แจง', 'ร่วมให้ข้อมูล': several people together, no one speaker
            speech = m.end()
            if kind == "contrib":
                speech = m.start()
            elif text[speech : speech + 1] in '“"‘':
                speech += 1
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
            markers.append((m.start(), speech, kind))
    markers.sort()
    found: list[tuple[_Found, _Who]] = []
    known: set[str] = set()
    for verb, speech, kind in markers:
        line = layout.line_at(verb)
        who = _speaker_before(text, line, verb, known, kind)
        if who is None:
            continue
        if verb in later and not _opens_paragraph(text, layout, line, who, speech):
            continue  # speech quoted inside a label turn's later paragraph
        end = line.end
        if speech >= line.end:  # 'นางสมศรี (กลุ่ม…) สะท้อนว่า' and the speech below it
            nxt = next(
                (ln for ln in islice(layout.lines, line.index + 1, None) if not ln.blank), None
            )
            if kind != "reported" or nxt is None or nxt.start >= layout.body_end:
                continue
            if _is_heading(nxt) or _label(nxt.text):
                continue
            speech, end = nxt.start, nxt.end
        if kind == "contrib" and (
            verb - who.start - len(who.name) > 100
            or "เป็น" in text[who.start + len(who.name) : verb]
        ):
            continue  # 'ครูสมศรีเป็นคนชวนคุย' describes a role, it reports no contribution
        if who.kind == "person":
            bare = who.name[res["title_only"].match(who.name).end() :]
            tokens = _REPORTED_TURNS_RX1.split(bare)
            if len(tokens) >= 2:
                known.add(tokens[0])
        how = "verb" if kind == "contrib" else "reported"
        # a connector before the speaker ('… ด้านนางสมศรี') opens the new turn, not the old one
        lead = res["connector_end"].search(text, max(line.start, who.start - 40), who.start)
        start = lead.start() + (1 if text[lead.start()].isspace() else 0) if lead else who.start
        found.append((_Found(start, speech, who.name, who.agency, how, end), who))
    out: list[_Found] = []
    last: _Who | None = None
    for f, who in found:
        prev = out[-1] if out else None
        if prev and f.start < (prev.end or 0) and f.start >= prev.start:
            same = f.speaker == prev.speaker
            near = f.speech - prev.speech <= 80
            if (
                same
                and near
                and prev.kind == "verb"
                and f.kind == "reported"
                and f.start == prev.start
            ):
                prev.speech = f.speech  # 'นำเสนอผล… โดยแจ้งว่า …': the speech follows its ว่า
                prev.kind = "reported"
                continue
            if f.start < prev.speech or (same and not who.fresh):
                continue  # a second verb in the same speaker's sentence
            if not who.fresh and not (who.kind == "person" and last and last.kind == "person"):
                continue  # speech quoted inside the current turn ('กำนันเล่าว่า…')
            prev.end = f.start
        out.append(f)
        last = who
    return out


_ROLE_RULES = [
    (
        re.compile(
            r"ผู้ดำเนินรายการ|ผู้ดำเนินการ|พิธีกร|วิทยากร|คุณอำนวย|facilitator|moderator|ผู้อำนวยความสะดวก",
            re.I,
        ),
        "facilitator",
    ),
    (re.compile(r"^ประธาน|รองประธาน"), "chair"),
    (
        re.compile(
            r"ชาวบ้าน|^ป้า|^ลุง|^ยาย|^ตา|^แม่|^พ่อ|ผู้ใหญ่บ้าน|กำนัน|สมาชิก|คุณกิจ|ปราชญ์|แกนนำ|"
            r"กลุ่ม|ผู้ร่วมวง|ผู้เข้าร่วม|คู่สนทนา|อาสา|เครือข่าย|กองทุน|ชุมชน|เหรัญญิก|อสม"
        ),
        "community member",
    ),
    (
        re.compile(
            r"คุณเอื้อ|ปลัด|นายก|พัฒนากร|เจ้าหน้าที่|ผู้อำนวยการ|ผอ\.|นายอำเภอ|ผู้ว่า|เกษตร|พช|พอช|ธ\.?ก\.?ส|"
            r"ออมสิน|กศน|อบต|อบจ|เทศบาล|สำนักงาน|กรม|ธนาคาร|สหกรณ์|มหาวิทยาลัย|ม\.|อาจารย์|ดร\.|"
            r"มวล|สคส|สสส|สทบ|จนท"
        ),
        "official",
    ),
]


def speaker_role(speaker: str, agency: str | None) -> str:
    """A coarse role from the label and agency: facilitator, chair, community member, official."""
    for rx, role in _ROLE_RULES:
        if rx.search(speaker):
            return role
    if agency:
        for rx, role in _ROLE_RULES[2:]:
            if rx.search(agency):
                return role
    return "unknown"


def find_turns(text: str, layout: Layout, title: str | None = None) -> list[Turn]:
    """All turns of the text, in order of appearance (spec, *turns*)."""
    primary = sorted(
        _label_turns(text, layout, title) + _byline_turns(text, layout), key=lambda f: f.start
    )
    stops = sorted(
        {f.start for f in primary}
        | {ln.start for ln in layout.lines if not ln.blank and _is_heading(ln)}
        | {layout.body_end}
    )
    covered = []
    for f in primary:
        i = bisect_right(stops, f.speech)
        f.end = stops[i] if i < len(stops) else layout.body_end
        covered.append((f.start, f.end, layout.line_at(f.speech).end))
    reported = _reported_turns(text, layout, covered)
    opens = [r.start for r in reported]
    for f in primary:  # a reported turn in a later paragraph ends the label turn
        i = bisect_right(opens, f.speech)
        if i < len(opens) and opens[i] < (f.end or 0):
            f.end = opens[i]
    allf = sorted(primary + reported, key=lambda f: f.speech)
    turns = []
    for f in allf:
        body = text[f.speech : f.end].rstrip(" \t\u00a0\n")
        if not body.strip():
            continue
        turns.append(Turn(f.speaker, f.agency, body, speaker_role(f.speaker, f.agency), f.speech))
    return turns
