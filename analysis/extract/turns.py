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
from itertools import accumulate

from analysis.extract.agencies import _specific, find_mentions
from analysis.extract.layout import GAP, SPACE, Layout, Line
from analysis.extract.lexicon import alternation, words
from analysis.record import Turn

THAI = "\u0e01-\u0e4e"
# Roles that can speak in reported speech without a name ('ประธานบอกว่า …'); group words such as
# ผู้เข้าร่วม or ชาวบ้าน name nobody in particular there.
_REPORTING_ROLES = [
    "ประธานที่ประชุม",
    "ประธานกลุ่ม",
    "รองประธาน",
    "ประธาน",
    "ผู้ดำเนินรายการ",
    "พิธีกร",
    "วิทยากรกระบวนการ",
    "วิทยากร",
    "นายก",
    "ปลัด",
    "พัฒนากร",
    "นายอำเภอ",
    "เลขานุการ",
    "ผู้ว่าราชการจังหวัด",
    "ผู้อำนวยการ",
]
_NAME_TOKEN = rf"[{THAI}A-Za-z][{THAI}A-Za-z.]*"


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
    end = rf"(?=[\s\u00a0(:：,’'”\"]|$|{verbs}|{contrib})"
    glue = ("โดย", "และ", "กับ", "ท่าน", "ด้าน", "ส่วน", "ทาง", "ขณะที่")
    before = rf"(?:(?<![{THAI}])" + "".join(f"|(?<={w})" for w in glue) + ")"
    token = rf"[{THAI}A-Za-z][{THAI}A-Za-z.]{{0,17}}"
    km_roles = r"(?!ลิขิต|อำนวย|เอื้อ|กิจ(?![ก-๙]))"  # คุณลิขิต… is a KM role, not a name
    person = rf"{before}(?:{titles}){km_roles}{SPACE}?{token}{end}(?:{SPACE}{token}{end})?"
    return {
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
        "reported": re.compile(
            rf"(?P<verb>{verbs})(?:ไว้|เสริม|ต่อ|อีก|ด้วย|ถึง|เพิ่มเติม)?{SPACE}?ว่า{SPACE}*"
        ),
        "quote_verb": re.compile(rf"(?P<verb>{verbs}){SPACE}*(?=[“\"‘])"),
        "person": re.compile(person),
        "role": re.compile(rf"(?<![{THAI}])(?:{alternation(_REPORTING_ROLES)})"),
        "quoted_name": re.compile(
            rf"[‘'“\"](?P<name>[{THAI}A-Za-z.]{{2,22}}(?: [{THAI}A-Za-z.]{{2,22}}){{0,2}})[’'”\"]"
        ),
        "contrib": re.compile(rf"(?P<verb>{contrib})"),
        "field": re.compile(rf"^(?:{alternation(words('field_labels'))})"),
        "stopper": re.compile(rf"^(?:{alternation(words('name_stoppers'))})"),
    }


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


_FUNCTION_WORD = re.compile(r"ที่|ไม่|ใน|การ|ของ|และ|เป็น|ได้|ให้|กับ|เรื่อง|ความ")


def _split_agency(label: str) -> tuple[str, str | None]:
    m = re.match(r"^(?P<name>.+?)\s*[(（](?P<agency>[^()（）]{1,60})[)）]\s*$", label)
    if m:
        return m.group("name").strip(" \u00a0"), m.group("agency").strip(" \u00a0")
    return label.strip(" \u00a0"), None


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
    if _NUMBERED.match(name) and not re.match(r"^[ก-ฮ][.)]", name):
        return False
    if re.match(r"^\d", name) or name.endswith("ว่า"):
        return False
    res = _res()
    if name in _field_exact():
        return False
    tokens = re.split(SPACE + "+", name)
    if len(tokens) > 5:
        return False
    if res["role_start"].match(name):
        return True
    if res["title_start"].match(name):
        # a title and a name, not a sentence that opens with a kinship word ('แม่อยากให้…')
        return len(tokens) <= 4 and all(len(t) <= 22 for t in tokens)
    if res["field"].match(name):
        return False
    # a full name without a title: two Thai words (given name, surname)
    if len(tokens) == 2 and all(re.fullmatch(rf"[{THAI}]{{2,14}}", t) for t in tokens):
        # a given name and a surname, not a phrase ('เรียนที่สวน ไม่ใช่ในห้อง')
        if any(_FUNCTION_WORD.search(t) for t in tokens):
            return False
        return not any(res["stopper"].match(t) for t in tokens)
    return False


def _is_heading(line: Line) -> bool:
    t = line.text
    if _HEADING.match(t):
        return True
    m = _res()["label"].match(t)
    if m and not m.group("rest").strip() and not is_speaker_label(m.group("label")):
        return len(t) <= 60
    if (
        m
        and _res()["field"].match(m.group("label").strip())
        and not is_speaker_label(m.group("label"))
    ):
        return True
    # a header field label followed by a gap: 'กระบวนการ      1. …'
    g = re.match(rf"^(?P<label>[^\s]{{2,25}}){GAP}\S", t)
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
        m = res["bracket_gap"].match(t)
        if m and (res["title_start"].match(m.group("name")) or is_speaker_label(m.group("name"))):
            found.append(
                _Found(
                    line.start,
                    line.start + m.start("speech"),
                    m.group("name").strip(),
                    m.group("agency").strip(),
                    "label",
                )
            )
            continue
        m = res["label"].match(t)
        if m and is_speaker_label(m.group("label")):
            name, agency = _split_agency(m.group("label"))
            rest = m.group("rest")
            if rest.strip():
                speech = line.start + m.start("rest") + (len(rest) - len(rest.lstrip(" \t\u00a0")))
            else:
                nxt = next((ln for ln in lines[i + 1 :] if not ln.blank), None)
                if nxt is None or nxt.start >= layout.body_end or _is_heading(nxt):
                    continue
                m2 = res["label"].match(nxt.text)
                if m2 and is_speaker_label(m2.group("label")):
                    continue
                speech = nxt.start
            found.append(_Found(line.start, speech, name, agency, "label"))
            continue
        m = res["title_gap"].match(t)
        # 'คุณอำนวย   ครูสมศรี (…)' is a header field naming a person, not a speech
        if m and not _is_heading(line) and len(t) - m.start("speech") >= 30:
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
        nxt = next((ln for ln in layout.lines[i + 1 :] if not ln.blank), None)
        if nxt is None or nxt.start >= layout.body_end:
            continue
        body = text[nxt.start : min(layout.body_end, nxt.start + 3000)]
        if len(_SPOKEN.findall(body)) * 1000 / max(1, len(body)) < 4:
            continue
        name = _trim_name(m.group("name"))
        out.append(_Found(line.start, nxt.start, name, None, "byline"))
    return out


def _trim_name(name: str) -> str:
    """Drop a trailing position word the name pattern swallowed ('นายสมชาย ปลัด' → 'นายสมชาย')."""
    parts = re.split(f"({SPACE})", name)
    if len(parts) >= 3 and _res()["stopper"].match(parts[-1]):
        return "".join(parts[:-2])
    return name


def _speaker_before(text: str, line: Line, verb_start: int) -> tuple[str, str | None, int] | None:
    """The speaker named before a reporting verb in the same clause: (speaker, agency, start)."""
    res = _res()
    lo = max(line.start, verb_start - 90)
    window = text[lo:verb_start]
    cands = []
    for rank, rx_name in enumerate(("quoted_name", "person", "role")):
        for m in res[rx_name].finditer(window):
            name = m.group("name") if rx_name == "quoted_name" else m.group(0)
            if rx_name == "quoted_name" and not (
                res["title_start"].match(name) or len(re.split(SPACE + "+", name)) == 2
            ):
                continue  # a quoted phrase ('‘ตลาดนัดความรู้’'), not a quoted name
            between = text[lo + m.end() : verb_start]
            if len(between) > 70 or re.search(r"ว่า|[!?。]|\s{2,}", between):
                continue
            cands.append((rank, lo + m.start(), name, rx_name, lo + m.end()))
    if not cands:
        return None
    # a named person first (a role word after the name is the person's position), earliest first
    _rank, start, name, kind, end = min(cands)
    between = text[end:verb_start]
    # the clause before the speaker must end there (no speaker inside a running sentence object)
    if kind == "person":
        name = _trim_name(name)
    elif kind == "role" and re.search(rf"[{THAI}]$", text[max(line.start, start - 1) : start]):
        # a role word glued after another word ('ที่ประชุม', 'คณะประธาน') is no speaker
        return None
    agency = None
    bracket = re.search(r"[(（](?P<a>[^()（）\n]{1,60})[)）]", between)
    found = find_mentions(between, len(between))
    if found:
        agency = found[0].text.strip()
    elif bracket and _specific(bracket.group("a")):
        agency = bracket.group("a").strip()
    return name.strip(), agency, start


def _reported_turns(text: str, layout: Layout, covered: list[tuple[int, int]]) -> list[_Found]:
    res = _res()
    out = []

    covered = sorted(covered)
    starts = [a for a, _ in covered]
    reach = list(accumulate((b for _, b in covered), max))

    def inside(pos: int) -> bool:
        i = bisect_right(starts, pos)
        return bool(i) and reach[i - 1] > pos

    for rx_name in ("reported", "quote_verb", "contrib"):
        for m in res[rx_name].finditer(text, 0, layout.body_end):
            if inside(m.start()):
                continue
            line = layout.line_at(m.start())
            who = _speaker_before(text, line, m.start())
            if who is None:
                continue
            name, agency, start = who
            if rx_name == "contrib":
                between = text[start : m.start()]
                if len(between) - len(name) > 60:
                    continue
                speech = m.start()
            else:
                speech = m.end()
                if rx_name == "quote_verb" or text[speech : speech + 1] in '“"‘':
                    speech = m.end() + (1 if text[m.end() : m.end() + 1] in '“"‘' else 0)
            end = line.end
            if speech >= end:
                continue
            out.append(_Found(start, speech, name, agency, "reported", end))
    out.sort(key=lambda f: f.speech)
    dedup: list[_Found] = []
    for f in out:
        if dedup and f.start < (dedup[-1].end or 0) and f.start >= dedup[-1].start:
            continue  # a second verb in the same speaker's sentence
        dedup.append(f)
    return dedup


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
            r"กลุ่ม|ผู้ร่วมวง|ผู้เข้าร่วม|คู่สนทนา|อาสา|เครือข่าย|กองทุน|ชุมชน"
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
        f.end = next((s for s in stops if s > f.speech), layout.body_end)
        covered.append((f.start, f.end))
    reported = _reported_turns(text, layout, covered)
    allf = sorted(primary + reported, key=lambda f: f.speech)
    turns = []
    for f in allf:
        body = text[f.speech : f.end].rstrip(" \t\u00a0\n")
        if not body.strip():
            continue
        turns.append(Turn(f.speaker, f.agency, body, speaker_role(f.speaker, f.agency), f.speech))
    return turns
