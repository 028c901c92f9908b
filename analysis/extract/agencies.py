"""Agencies that organised, took part or were represented, exactly as written.

Spec, *agencies*. A mention is found by the gazetteer's surface forms or by the form of an
organisation name (สำนักงาน… กรม… มหาวิทยาลัย… เทศบาล… กลุ่มออมทรัพย์…). It counts only in a
participation context: after a cue such as ``จาก``, ``ร่วมกับ``, ``ผู้แทน``, ``ปลัด`` (or before
``จัด``/``เข้าร่วม``), in an attendance list, in a speaker's bracket, or in a list that one of
these opens (``คุณเอื้อจาก พช. พอช. ธกส. …``). Organisations only discussed, funders merely named
and an author's education history are left out.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from analysis import gazetteer
from analysis.extract.layout import SPACE, Layout
from analysis.extract.lexicon import alternation, words
from analysis.record import Turn

THAI = "\u0e01-\u0e4e"
ORG_PREFIXES = [
    "องค์การบริหารส่วนตำบล",
    "องค์การบริหารส่วนจังหวัด",
    "เทศบาลตำบล",
    "เทศบาลเมือง",
    "เทศบาลนคร",
    "สำนักงาน",
    "กรม",
    "กระทรวง",
    "มหาวิทยาลัย",
    "โรงพยาบาล",
    "รพ.สต.",
    "รพ.",
    "เครือข่าย",
    "กองทุน",
    "มูลนิธิ",
    "บริษัท",
    "สภา",
    "ธนาคาร",
    "สถาบัน",
    "สหกรณ์",
    "สมาคม",
    "ศูนย์",
    "วิทยาลัย",
    "โรงเรียน",
    "กลุ่มออมทรัพย์",
    "กลุ่มสัจจะ",
    "กลุ่มแม่บ้าน",
    "กลุ่มวิสาหกิจ",
    "กลุ่มอาชีพ",
    "กลุ่มเกษตรกร",
    "กลุ่มสตรี",
    "กลุ่มเยาวชน",
    "กลุ่มผู้สูงอายุ",
    "กลุ่มผู้ผลิต",
    "กลุ่มทอผ้า",
    "วิสาหกิจชุมชน",
    "กลุ่ม",
    "ชมรม",
    "สมาพันธ์",
    "อบต.",
    "อบจ.",
    "ทต.",
    "ทม.",
    "ทน.",
    "ม.",
]
# Name bodies that follow a prefix but are concepts, not organisations.
_NOT_NAMES = re.compile(
    r"^(?:กลุ่ม|ต่างๆ|ต่าง ๆ|ที่|นี้|นั้น|ของ|ใน|ให้|และ|ได้|จะ|เป็น|ก็|ไม่|บอก|กล่าว|เล่า|เสนอ|ชี้|มี|ร่วม|จัด|"
    r"ช่วย|ต้อง|ควร|เอง|ทำ|มา|ไป)"
)
_CONNECTORS = re.compile(r"(?:และ|กับ|ร่วม|ได้|ที่|จึง|ก็|ซึ่ง|โดย|จาก|ของ|ใน|เป็น|มา|ไป|จะ|คุณ|ให้|ทั้ง|หรือ)")
# First elements of Thai village, sub-district and town names (บ้าน… หนอง… ท่า…): a word glued to
# a local-government abbreviation that starts like this is its place name.
_PLACE_START = re.compile(
    r"^(?:บ้าน|ตำบล|ต\.|หนอง|นา|ท่า|ดอน|โนน|ห้วย|บาง|คลอง|ป่า|เขา|วัง|ทุ่ง|โคก|แม่|เมือง|ศรี|บึง|ลำ|"
    r"ไทร|หัว|ปาก|ดง|ปง|วัด|กุด|ทับ|นาง|เชียง|สัน|หาด|เกาะ|แหลม|สระ|บ่อ|โพธิ์|โพน|คำ|หงส์|พระ|ชัย|"
    r"สาม|สอง|หนึ่ง|บุ|ตะ|กะ|ละ|จะ|ปะ|สะ|นาเ|ม่วง|ขาม|ยาง|ไผ่|สำโรง|กระ|ตาล|มะ|ไม้|น้ำ|ทุ่ง|ท่าศาลา)"
)
_FUNDER = re.compile(r"(?:งบประมาณ|ทุน|สนับสนุน(?:งบ)?|งบ)(?:สนับสนุน)?(?:จาก|โดย)?\s*$|ได้รับการสนับสนุน")
_EDUCATION = re.compile(r"(?:จบ|การศึกษา|ศึกษาต่อ|ปริญญา|สำเร็จการศึกษา|เรียนจบ|ศิษย์เก่า)")
_ATTEND_HEAD = re.compile(
    r"^(?:รายชื่อ)?(?:ผู้เข้าร่วม|ผู้เข้าประชุม|ผู้มาประชุม|ผู้ร่วมประชุม|ผู้ร่วมเวที|หน่วยงานที่เข้าร่วม|ผู้เข้าร่วมประชุม)"
)
_AFTER_CUE = re.compile(
    rf"^{SPACE}*(?:\([^)]*\))?{SPACE}*(?:ได้)?(?:ร่วมกับ|ร่วมจัด|จัด|เข้าร่วม|ร่วม|เป็นเจ้าภาพ|ส่งตัวแทน|นำทีม)"
)
_SEP = re.compile(rf"^(?:{SPACE}|[,、/]|และ|รวมทั้ง|รวมถึง|ตลอดจน|กับ)*$")


@dataclass
class Mention:
    start: int
    end: int
    text: str
    agency_id: str | None
    bare: bool = False


_ADMIN_WORDS = {"จังหวัด", "อำเภอ", "ตำบล", "ท้องถิ่น", "ปกครอง", "หมู่บ้าน", "ชุมชน"}


@lru_cache(maxsize=1)
def _forms() -> tuple[re.Pattern, dict[str, str], set[str]]:
    pairs = list(gazetteer.surface_forms())
    # bare forms count only inside agency lists; short or administrative words are too ambiguous
    bare = [
        (f, a)
        for f, a in gazetteer.bare_forms_in_lists()
        if not re.fullmatch(r"[ก-ฮ]{1,2}\.?", f) and f not in _ADMIN_WORDS
    ]
    table = {}
    for form, aid in pairs + bare:
        table.setdefault(form, aid)
    bare_set = {f for f, _ in bare}
    alt = alternation(table)
    # a form must not sit inside a longer Thai word on its left
    rx = re.compile(f"({alt})")
    return rx, table, bare_set


# Words after which an organisation name may be glued without a space ('สมาชิกกลุ่มออมทรัพย์…').
GLUE_WORDS = (
    "จาก",
    "สมาชิก",
    "ตัวแทน",
    "ผู้แทน",
    "เจ้าหน้าที่",
    "ร่วมกับ",
    "และ",
    "กับ",
    "โดย",
    "ประธาน",
    "กรรมการ",
    "คณะกรรมการ",
    "ทีม",
    "ทีมงาน",
    "พนักงาน",
    "ของ",
)
_LETTER = re.compile(rf"[{THAI}A-Za-z]")


def _scan(rx: re.Pattern, text: str, limit: int):
    """Matches of rx that start a word: after a non-letter or right after a glue word.

    The patterns carry no look-behind (a long one per position is slow); a match inside a word
    ('กรม' in 'กิจกรรม') is skipped and the search goes on from the next character.
    """
    pos = 0
    while True:
        m = rx.search(text, pos, limit)
        if m is None:
            return
        s = m.start()
        if s == 0 or not _LETTER.match(text, s - 1) or text.endswith(GLUE_WORDS, 0, s):
            yield m
            pos = m.end()
        else:
            pos = s + 1


# Words that end an organisation name glued to the next words ('…หนองบัวเป็นผู้ดำเนินเวที').
_NAME_END = re.compile(
    r"(?<=[\u0e01-\u0e4e]{2})(?:และ|ร่วมกับ|ได้|จึง|ซึ่ง|โดย|ที่ได้|ที่มี|ที่เป็น|จัดเวที|จัดงาน|เข้าร่วม|ของ|"
    r"เป็น|มาร่วม|มาเป็น|ก็|ต้อง|ควร|กล่าว|บอก|พร้อม|แล้ว|เมื่อ|กับ|มาช่วย|นั่ง|ให้ไป|ให้การ|จาก)"
)


# Prefixes that also name a kind of body in general ('กองทุนหมู่บ้าน', 'สถาบันการเงิน'): such a
# name is an organisation only with a place in it or when the gazetteer knows it.
_GENERIC_PREFIXES = (
    "กองทุน",
    "กลุ่ม",
    "สถาบัน",
    "เครือข่าย",
    "ศูนย์",
    "สหกรณ์",
    "สภา",
    "วิสาหกิจชุมชน",
    "ชมรม",
)
_PLACE_IN_NAME = re.compile(
    r"(?<!หมู่)บ้าน|ตำบล|ต\.|อำเภอ|อ\.|จังหวัด|จ\.|หมู่(?:ที่)?\s*[\d๐-๙]|ภาค|เมือง|นคร|แห่ง"
)


@lru_cache(maxsize=4096)
def _specific(name: str) -> bool:
    """Whether a name names one body, not a kind of body ('กองทุนหมู่บ้าน' alone is a kind)."""
    if not name.startswith(_GENERIC_PREFIXES):
        return True
    if _PLACE_IN_NAME.search(name, 4):
        return True
    return _resolved(name)[1] not in ("fund", "network", "unknown")


@lru_cache(maxsize=1)
def _shape_re() -> re.Pattern:
    pre = alternation(ORG_PREFIXES)
    return re.compile(
        rf"(?P<org>{pre}(?:[{THAI}A-Za-z0-9.\-]+))"
        rf"(?P<pair>{SPACE}?[(（][{THAI}A-Za-z.\s]{{2,20}}[)）])?"
    )


@lru_cache(maxsize=1)
def _cue_re() -> re.Pattern:
    cues = [c for c in words("participation_cues") if c not in ("ของ", "มี", "ทีม", "ร่วม")]
    return re.compile(
        rf"(?:{alternation(cues)})(?:{SPACE}?(?:จาก|ของ|ใน|ที่|คือ))?{SPACE}*[:：]?{SPACE}*$"
    )


_NAME_SUFFIX = re.compile(
    rf"{SPACE}(?:เฉลิมพระเกียรติ|ในพระบรมราชูปถัมภ์|ในพระราชูปถัมภ์|จำกัด(?:{SPACE}?\(มหาชน\))?)"
)
_UNIT = re.compile(rf"(?:ตำบล|อำเภอ|จังหวัด|สาขา|ภาค|ต\.|อ\.|จ\.)[{THAI}]+")


def _extend_unit(text: str, end: int, local: bool) -> int:
    """A place glued to an abbreviation belongs to it: ``กศน.ตำบลห้วยทราย``, ``ธ.ก.ส.สาขาลานสกา``,
    and for local government any place name: ``อบต.บ้านใหม่``, ``อบต.นาเหรง``."""
    u = _UNIT.match(text, end)
    if u:
        cut = _NAME_END.search(text, end + 2, u.end())
        return cut.start() if cut else u.end()
    if not local:
        return end
    m = re.match(rf"[{THAI}]+", text[end : end + 30])
    if not m:
        return end
    word = m.group(0)
    if _CONNECTORS.match(word) or not _PLACE_START.match(word):
        return end
    cut = _NAME_END.search(word, 2)
    return end + (cut.start() if cut else len(word))


def find_mentions(text: str, limit: int) -> list[Mention]:
    """Every organisation mention (gazetteer form or organisation-shaped name), in order."""
    rx, table, bare_set = _forms()
    found: list[Mention] = []
    for m in _scan(rx, text, limit):
        form = m.group(1)
        end = m.end()
        if text[end : end + 1] == "." and not form.endswith("."):
            end += 1  # 'ธ.ก.ส' written with its last dot
        local = re.match(r"^(?:อบต|อบจ|ทต|ทม|ทน|รพ\.สต)\.?$", form) is not None
        if not re.search(r"(?:ตำบล|อำเภอ|จังหวัด|สาขา)$", form):
            end = _extend_unit(text, end, local)
        else:
            # 'สำนักงานเกษตรอำเภอ' + 'สันกำแพง': the place glued to a unit word belongs to it
            glued = re.match(rf"[{THAI}]+", text[end : end + 30])
            if glued:
                cut = _NAME_END.search(glued.group(0), 2)
                end += cut.start() if cut else len(glued.group(0))
        written = text[m.start() : end]
        if not _specific(written):
            continue
        found.append(Mention(m.start(), end, written, table[form], form in bare_set))
    for m in _scan(_shape_re(), text, limit):
        org = m.group("org")
        body = org
        for p in ORG_PREFIXES:
            if org.startswith(p):
                body = org[len(p) :]
                break
        if len(body) < 2 or _NOT_NAMES.match(body):
            continue
        # cut at a glued connector ('…ท่าศาลาและ…')
        cut = _NAME_END.search(org, 4)
        end = m.start() + (cut.start() if cut else len(org))
        if not _specific(org[: end - m.start()]):
            continue
        if m.group("pair"):
            end = m.end()  # 'ชื่อเต็ม (ตัวย่อ)': the brackets confirm where the full name ends
        else:
            suffix = _NAME_SUFFIX.match(text, end)
            if suffix and not cut:
                end = suffix.end()
        found.append(Mention(m.start(), end, text[m.start() : end], None))
    # keep the longest at each place, drop mentions inside others
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    out: list[Mention] = []
    for f in found:
        if out and f.start < out[-1].end:
            continue
        out.append(f)
    # a full name and its abbreviation in brackets are one string: 'ชื่อเต็ม (ตัวย่อ)'
    merged: list[Mention] = []
    for f in out:
        if merged:
            prev = merged[-1]
            gap = text[prev.end : f.start]
            if re.fullmatch(rf"{SPACE}?[(（]", gap) and text[f.end : f.end + 1] in ")）":
                prev.end = f.end + 1
                prev.text = text[prev.start : prev.end]
                prev.agency_id = prev.agency_id or f.agency_id
                continue
        merged.append(f)
    return merged


def _names_organisation(written: str) -> bool:
    if _resolved(written)[1] != "unknown":
        return True
    if any(written == f for f, _ in gazetteer.bare_forms_in_lists()):
        return True
    return bool(_shape_re().match(written))


_HEADER_PARTICIPANTS = re.compile(
    rf"^(?:ผู้จัด|ผู้ร่วมจัด|จัดโดย|วิทยากร|ผู้เข้าร่วม|ผู้เข้าประชุม|ผู้ร่วมประชุม|หน่วยงาน|ภาคี|ผู้ร่วมเวที|ทีมงาน|"
    rf"ทีมวิจัย|คณะวิจัย|ผู้ประสานงาน|ผู้ดำเนินการ|เจ้าภาพ)"
    rf"[^:：\n]{{0,20}}(?:[:：]|{SPACE}{{2,}})"
)


def _participating(text: str, layout: Layout, m: Mention, inside_turn: bool) -> bool:
    line = layout.line_at(m.start)
    before = text[max(line.begin, m.start - 40) : m.start]
    if not inside_turn and _HEADER_PARTICIPANTS.match(line.text):
        return True  # 'ผู้จัด : สำนักงาน…', 'วิทยากร : นาย… (ธ.ก.ส.…)'
    if not inside_turn and before.endswith("(") and re.search(r"[ก-๙]\s*\($", before):
        return True  # the body a named person represents: 'นายอดิศร มณีวงศ์ (ธ.ก.ส.สาขา…)'

    if _FUNDER.search(before) or _EDUCATION.search(before):
        return False
    cue = _cue_re().search(before)
    if cue:
        if inside_turn and not re.search(r"มาจาก|ตัวแทน|ผู้แทน|เจ้าหน้าที่|พนักงาน|อยู่", before[-25:]):
            return False
        return True
    if not inside_turn and _AFTER_CUE.match(text[m.end : m.end + 25]):
        return True
    return False


_ABSENT_HEAD = re.compile(r"^(?:รายชื่อ)?(?:ผู้ไม่มาประชุม|ผู้ลาประชุม|ผู้ขาดประชุม|ผู้ไม่เข้าร่วม|ผู้ลา)")
_MINUTES_TITLE = re.compile(r"รายงานการประชุม|บันทึกการประชุม|การประชุมคณะกรรมการ|ประชุมสามัญ|ประชุมใหญ่")


def _blocks(layout: Layout, head: re.Pattern) -> list[tuple[int, int]]:
    """Spans of the lists that follow a heading line such as ผู้เข้าประชุม (until a blank line)."""
    out = []
    lines = layout.lines
    for i, ln in enumerate(lines):
        if ln.blank or not head.match(ln.text) or len(ln.text) > 120:
            continue
        j = i + 1
        if j < len(lines) and lines[j].blank:
            j += 1
        # the list: numbered, bulleted or short lines (a paragraph of prose is no list)
        while (
            j < len(lines)
            and not lines[j].blank
            and j - i < 80
            and (len(lines[j].text) <= 100 or re.match(r"^(?:\d+[.)]|[-•*])", lines[j].text))
        ):
            j += 1
        out.append((ln.start, max(ln.end, lines[j - 1].end)))
    return out


def _title_block(layout: Layout) -> tuple[int, int] | None:
    """The first lines of minutes name the body that met: 'รายงานการประชุม / เครือข่าย…'."""
    lines = [ln for ln in layout.lines if not ln.blank][:3]
    if lines and _MINUTES_TITLE.search(" ".join(ln.text for ln in lines)):
        return lines[0].start, lines[-1].end
    return None


def find_agencies(
    text: str, layout: Layout, turns: list[Turn], venue_at: tuple[int, int] | None = None
) -> list[str]:
    """Agencies of this session as written, once each, in order of first appearance."""
    mentions = find_mentions(text, layout.body_end)
    spans = [(t.start or 0, (t.start or 0) + len(t.text)) for t in turns if t.start is not None]
    blocks = _blocks(layout, _ATTEND_HEAD)
    absent = _blocks(layout, _ABSENT_HEAD)
    title_block = _title_block(layout)
    if title_block:
        blocks.append(title_block)
    mentions = [
        m
        for m in mentions
        if not any(a <= m.start < b for a, b in absent)
        and not (venue_at and venue_at[0] <= m.start < venue_at[1])
    ]

    spans.sort()
    span_starts = [a for a, _ in spans]
    span_reach = list(accumulate((b for _, b in spans), max))

    def in_turn(pos: int) -> bool:
        i = bisect_right(span_starts, pos)
        return bool(i) and span_reach[i - 1] > pos

    keep: list[tuple[int, str, str | None]] = []
    chain_ok = False
    chain_len = 0
    prev: Mention | None = None
    chain: list[Mention] = []
    for m in mentions:
        joined = (
            prev is not None
            and _SEP.match(text[prev.end : m.start]) is not None
            and (m.start - prev.end <= 12)
        )
        listed = any(a <= m.start < b for a, b in blocks)
        own = listed or _participating(text, layout, m, in_turn(m.start))
        if not joined:
            chain_ok = own
            chain = []
        elif own:
            chain_ok = True
        if _bare_local(m.text) and not (
            listed or _HEADER_PARTICIPANTS.match(layout.line_at(m.start).text)
        ):
            prev = m
            continue  # 'อบต.' alone in running text is the kind of body discussed, not one present
        chain.append(m)
        chain_len = len(chain)
        if chain_ok:
            if m.bare and chain_len < 2:
                pass
            else:
                if chain_len == 2 and chain[0].bare:
                    keep.append((chain[0].start, chain[0].text, chain[0].agency_id))
                keep.append((m.start, m.text, m.agency_id))
        prev = m
    # the agency written in a speaker's label, when it names an organisation (not '(ชาวบ้าน)')
    for t in turns:
        if t.agency and _names_organisation(t.agency):
            keep.append((t.start or 0, t.agency, None))
    keep.sort(key=lambda k: k[0])
    out: list[str] = []
    seen: set[str] = set()
    for _pos, name, _aid in keep:
        name = name.strip()
        if name in seen:
            continue
        bare = name.rstrip("ฯ").rstrip(".")
        if any(bare and bare in kept for kept in out):
            # a later, shorter form of an agency already listed ('กศน.' after 'กศน.จังหวัด…')
            continue
        canonical, kind = _resolved(name)
        # one organisation written two ways counts once; generic local forms name many bodies
        key = canonical if kind not in ("unknown", "local_government") else name
        if key in seen:
            continue
        seen.update({name, key})
        pair = re.match(r"^(.+?)\s*[(（](.+)[)）]$", name)
        if pair:
            seen.update({pair.group(1).strip(), pair.group(2).strip()})
        out.append(name)
    return [a for a in out if not _generic_shadowed(a, out)]


@lru_cache(maxsize=4096)
def _resolved(name: str) -> tuple[str, str]:
    """(canonical, type) of a name through the gazetteer, cached: names recur across records."""
    res = gazetteer.resolve(name)
    return res["canonical"], res["type"]


def _bare_local(written: str) -> bool:
    return written.rstrip(".") in _bare_generic()


def _generic_shadowed(name: str, names: list[str]) -> bool:
    """A bare generic form ('อบต.') beside a named body of the same kind ('อบต.ห้วยทราย')."""
    canonical, kind = _resolved(name)
    if kind != "local_government" or name.rstrip(".") not in _bare_generic():
        return False
    return any(o != name and _resolved(o)[0] == canonical for o in names)


@lru_cache(maxsize=1)
def _bare_generic() -> set[str]:
    return {
        "อบต",
        "อบจ",
        "ทต",
        "ทม",
        "ทน",
        "เทศบาล",
        "องค์การบริหารส่วนตำบล",
        "องค์การบริหารส่วนจังหวัด",
        "เทศบาลตำบล",
        "เทศบาลเมือง",
        "เทศบาลนคร",
    }
