"""Agencies that organised, took part or were represented, exactly as written.

Spec, *agencies*. A mention is found by the gazetteer's surface forms or by the form of an
organisation name (สำนักงาน… กรม… มหาวิทยาลัย… เทศบาล… กลุ่มออมทรัพย์…), including a name glued
to a position (``นายกองค์การบริหารส่วนตำบล…``), the office inside a district or provincial
officer's position (``ปลัดอำเภอบ้านนา`` → ``อำเภอบ้านนา``), and a name completed by a spaced
branch, place, abbreviation or parent (``ธ.ก.ส. สาขาน่าน``, ``คณะ… มหาวิทยาลัย…``).

Real records name their organisations in passing, so in the narration (title, dateline, venue,
participant sentences) a named organisation counts unless its clause says it is only discussed
(a letter's sender, a rule's owner, a lender, the addressee of a proposal), a funder merely
named, the author's school or a hired place (a hotel, a hall, a learning centre). Inside
speech it needs a cue (``ผมมาจาก…``, ``ขอบคุณ…``, ``… ร่วมฟัง``). A unit type without a place
(``อบต.``, ``เทศบาล``) counts only written as participants; people (``ชาวบ้าน``, ``อสม.``)
never. Each organisation is listed once, in the form of its first appearance
(``gazetteer.canonical_key`` decides what is one organisation).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import ahocorasick

from analysis import gazetteer
from analysis.extract.layout import SPACE, Layout
from analysis.extract.lexicon import LiteralMatch, alternation, lexicon, words
from analysis.record import Turn
from analysis.text import find_all

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
    "มรภ.",
    "มทร.",
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
    "ขบวนองค์กรชุมชน",
    "ห้องสมุดชุมชน",
    "โครงการชลประทาน",
    "โครงการส่งน้ำ",
    "คณะทำงาน",
    "คณะอนุกรรมการ",
    "สันนิบาต",
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
    r"^(?:ต่างๆ|ต่าง ๆ|ที่|นี้|นั้น|ของ|ใน|ให้|และ|ได้|จะ|เป็น|ก็|ไม่|บอก|กล่าว|เล่า|เสนอ|ชี้|มี|ร่วม|จัด|"
    r"ช่วย|ต้อง|ควร|เอง|มา|ไป|ตาม|ย่อย)"
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
    rf"^{SPACE}*(?:\([^)]*\))?{SPACE}*(?:ได้)?(?:ร่วมกับ|ร่วมจัด|จัดเวที|จัดงาน|จัดขึ้น|เข้าร่วม|ร่วม|เป็นเจ้าภาพ|ส่งตัวแทน|นำทีม|มาร่วม)"
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
def _forms() -> tuple[dict[str, str], set[str]]:
    """The gazetteer forms searched in a text (form → agency id), and those that count only
    inside agency lists."""
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
    return table, {f for f, _ in bare}


@lru_cache(maxsize=1)
def _literals() -> ahocorasick.Automaton:
    """One automaton for the gazetteer forms and the organisation prefixes (value: the word,
    whether it is a form, whether it is a prefix): both are found in one pass over a text, in
    C, about four times faster than the two regex alternations tried at every character."""
    table, _bare = _forms()
    automaton = ahocorasick.Automaton()
    prefixes = set(ORG_PREFIXES)
    for word in set(table) | prefixes:
        automaton.add_word(word, (word, len(word) - 1, word in table, word in prefixes))
    automaton.make_automaton()
    return automaton


def _literal_hits(text: str, limit: int) -> tuple[dict[int, str], list[int]]:
    """In text[:limit]: the longest gazetteer form starting at each place (what the forms'
    alternation matches there), and the places where an organisation prefix starts."""
    longest: dict[int, str] = {}
    heads: set[int] = set()
    # hits come in order of their last character: of two words starting at one place the
    # longer comes later, so the last form written for a start is the longest there
    for last, (word, before_last, form, prefix) in _literals().iter(text, 0, limit):
        if form:
            longest[last - before_last] = word
        if prefix:
            heads.add(last - before_last)
    return longest, sorted(heads)


def _scan_forms(text: str, longest: dict[int, str]):
    """The forms that start a word, from the forms found (`_literal_hits`): at the first place
    a form starts a word, the longest form there; the next one from its end on (what `_scan`
    of one alternation of the forms finds)."""
    pos = 0
    for s in sorted(longest):
        if s >= pos and _word_start(text, s):
            m = LiteralMatch(s, longest[s])
            yield m
            pos = m.end()


def _scan_at(rx: re.Pattern, text: str, limit: int, heads: list[int]):
    """`_scan` of a pattern whose match can run on over a whole word, tried only at `heads`
    (where its opening words start) that start a word: a text without spaces (one word
    holding many prefixes) is not matched to its end once per prefix."""
    pos = 0
    for s in heads:
        if s >= pos and _word_start(text, s):
            m = rx.match(text, s, limit)
            if m is not None:
                yield m
                pos = m.end()


# Words after which an organisation name may be glued without a space ('สมาชิกกลุ่มออมทรัพย์…',
# 'นายกองค์การบริหารส่วนตำบล…'): data/lexicon.yaml ``agency_glue_words``.
GLUE_WORDS = tuple(words("agency_glue_words"))
_LETTER = re.compile(rf"[{THAI}A-Za-z]")


def _word_start(text: str, s: int) -> bool:
    """Whether a name may start at s: after a non-letter or right after a glue word (a match
    inside a word, 'กรม' in 'กิจกรรม', is none)."""
    return s == 0 or not _LETTER.match(text, s - 1) or text.endswith(GLUE_WORDS, 0, s)


def _scan(rx: re.Pattern, text: str, limit: int):
    """Matches of rx that start a word. The patterns carry no look-behind (a long one per
    position is slow); a match inside a word is skipped and the search goes on from the next
    character."""
    pos = 0
    while True:
        m = rx.search(text, pos, limit)
        if m is None:
            return
        s = m.start()
        if _word_start(text, s):
            yield m
            pos = m.end()
        else:
            pos = s + 1


# Words that end an organisation name glued to the next words ('…หนองบัวเป็นผู้ดำเนินเวที').
@lru_cache(maxsize=1)
def _name_end_re() -> re.Pattern:
    """Words that end an organisation name glued to the next words ('…หนองบัวเป็นผู้ดำเนินเวที'):
    ``agency_name_end_words`` of the lexicon, and a few that need a guard against the words
    they sit inside (จะ in กระแจะ, นี้ in หนี้, ว่า in สว่าง, ส่ง in ส่งเสริม)."""
    guarded = [
        r"(?<![เแโใไ])จะ",
        r"ทุก(?!ข์)",
        r"(?<!ห)นี้",
        r"ว่า(?![งก])",
        r"ส่ง(?!เสริม)",
        r"(?<!พื้น)ที่(?=[ก-ฮเแโใไ])(?!ว่าการ|ดิน)",
        r"(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ)(?:คน|ท่าน|ราย)",
    ]
    words_ = alternation(words("agency_name_end_words"))
    return re.compile(rf"(?<=[\u0e01-\u0e4e]{{2}})(?:{words_}|{'|'.join(guarded)})")


# Prefixes that also name a kind of body in general ('กองทุนหมู่บ้าน', 'สถาบันการเงิน'): such a
# name is an organisation only with a place in it or when the gazetteer knows it.
_GENERIC_PREFIXES = (
    "โรงเรียน",
    "ธนาคาร",
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
    r"(?:(?<!หมู่)บ้าน|ตำบล|ต\.|อำเภอ|อ\.|จังหวัด|จ\.)(?=[ก-ฮเแโใไ])|หมู่(?:ที่)?\s*[\d๐-๙]|"
    r"ภาค(?!ประชา|รัฐ|เอกชน|ธุรกิจ|ส่วน)|เมือง|นคร|แห่ง|ลุ่มน้ำ|อีสาน|ล้านนา|รักษ์|[0-9๐-๙]"
)


@lru_cache(maxsize=4096)
def _specific(name: str) -> bool:
    """Whether a name names one body, not a kind of body ('กองทุนหมู่บ้าน' alone is a kind)."""
    if not name.startswith(_GENERIC_PREFIXES):
        return True
    if _PLACE_IN_NAME.search(name, 4):
        return True
    return _resolved(name)[1] not in ("fund", "network", "unknown")


# alternatives are tried in order: a match is the first prefix of the list the name opens with
_FIRST_PREFIX = re.compile("|".join(map(re.escape, ORG_PREFIXES)))


@lru_cache(maxsize=1)
def _shape_re() -> re.Pattern:
    pre = alternation(ORG_PREFIXES)
    return re.compile(
        rf"(?P<org>{pre}(?:[{THAI}A-Za-z0-9.\-]+))"
        rf"(?P<pair>{SPACE}?[(（](?:[{THAI}.]{{2,13}}|[A-Za-z .]{{2,20}})[)）])?"
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
_UNIT = re.compile(rf"(?:ตำบล|อำเภอ|จังหวัด|สาขา|ภาค|สำนักงาน(?:ภาค|จังหวัด|เขต)|ต\.|อ\.|จ\.)[{THAI}]*")


_EXTEND_UNIT_RX1 = re.compile(rf"[{THAI}]+")
_EXTEND_UNIT_RX2 = re.compile("เพื่อ|ในการ")
_EXTEND_UNIT_RX3 = re.compile("เพื่อ|ใน")


def _extend_unit(text: str, end: int, local: bool) -> int:
    """A place glued to an abbreviation belongs to it: ``กศน.ตำบลห้วยทราย``, ``ธ.ก.ส.สาขาลานสกา``,
    and for local government any place name: ``อบต.บ้านใหม่``, ``อบต.นาเหรง``."""
    u = _UNIT.match(text, end)
    if u:
        cut = _name_end_re().search(text, end + 2, u.end())
        return _after_province(text, end, cut.start() if cut else u.end())
    if not local:
        return end
    m = _EXTEND_UNIT_RX1.match(text[end : end + 30])
    if not m:
        return end
    word = m.group(0)
    if _starts_clause(word) or _EXTEND_UNIT_RX3.match(word):
        return end
    cut = _EXTEND_UNIT_RX2.search(word)
    if cut:
        word = word[: cut.start()]
    if not _PLACE_START.match(word) and len(word) > 12:
        # a long glued run that does not open like a place name: keep only a cut name
        cut = _name_end_re().search(word, 2)
        return end + cut.start() if cut and cut.start() <= 12 else end
    cut = _name_end_re().search(word, 2)
    return end + (cut.start() if cut else len(word))


def _starts_clause(word: str) -> bool:
    """Whether a glued word opens the next clause ('จะ…', 'และ…') rather than a place name."""
    return bool(_CONNECTORS.match(word) or _name_end_re().match("กก" + word, 2))


_FIND_MENTIONS_RX1 = re.compile(r"[0-9๐-๙]+")
_FIND_MENTIONS_RX2 = re.compile(r"^(?:อบต|อบจ|ทต|ทม|ทน|รพ\.สต)\.?$")
_FIND_MENTIONS_RX3 = re.compile(r"^(?:[ก-ฮ]{1,2}\.|[0-9๐-๙])")
_FIND_MENTIONS_RX4 = re.compile(r"(?:ตำบล|อำเภอ|จังหวัด|สาขา)$")
_FIND_MENTIONS_RX5 = re.compile(rf"[{THAI}]+")
_FIND_MENTIONS_RX6 = re.compile(rf"{SPACE}?[(（]")


def find_mentions(text: str, limit: int) -> list[Mention]:
    """Every organisation mention (gazetteer form or organisation-shaped name), in order."""
    table, bare_set = _forms()
    longest, heads = _literal_hits(text, limit)
    found: list[Mention] = []
    generic: list[Mention] = []
    for m in _scan_forms(text, longest):
        form = m.group(1)
        end = m.end()
        if text[end : end + 1] == "." and not form.endswith("."):
            end += 1  # 'ธ.ก.ส' written with its last dot
        digits = _FIND_MENTIONS_RX1.match(text[end : end + 4]) if form.endswith(".") else None
        if digits:
            end += digits.end()  # a numbered unit such as ศอ.9
        local = _FIND_MENTIONS_RX2.match(form) is not None
        # a province is read only after an abbreviation (the only place it is used)
        prov = _province_re().match(" " + text[end : end + 30]) if form.endswith(".") else None
        if prov:
            # a province glued to an abbreviation: 'สสจ.นครราชสีมา', 'พช.น่าน', 'ธ.ก.ส.ยโสธร'
            end += len(prov.group("q"))
        elif not _FIND_MENTIONS_RX4.search(form):
            end = _extend_unit(text, end, local)
        else:
            # 'สำนักงานเกษตรอำเภอ' + 'สันกำแพง': the place glued to a unit word belongs to it
            glued = _FIND_MENTIONS_RX5.match(text[end : end + 30])
            prov = _glued_province_re().match(glued.group(0)) if glued else None
            if prov and form.endswith("จังหวัด"):
                end += prov.end()  # 'สำนักงานเกษตรจังหวัด' + 'ยโสธร' + 'เพื่อ…'
            elif glued and not _starts_clause(glued.group(0)):
                cut = _name_end_re().search(glued.group(0), 2)
                end += cut.start() if cut else len(glued.group(0))
        written = text[m.start() : end]
        if "." not in form and len(form) <= 4 and _THAI_CHAR.match(text, end):
            continue  # a dotless abbreviation inside a word: 'สมศ' in 'สมศรี'
        if not _specific(written):
            continue
        # a list-only form completed by its place names one body ('กลุ่มสัจจะ' + 'บ้านนา')
        bare = form in bare_set and end <= m.end() + 1
        if (
            bare
            and m.start()
            and _THAI_CHAR.match(text, m.start() - 1)
            and not text.endswith(_LIST_GLUE, 0, m.start())
        ):
            continue  # glued to a word it is part of a position: 'นักวิชาการสาธารณสุข'
        found.append(Mention(m.start(), end, written, table[form], bare))
    for m in _scan_at(_shape_re(), text, limit, heads):
        org = m.group("org")
        first = _FIRST_PREFIX.match(org)  # the first of ORG_PREFIXES, in list order
        p = first.group() if first else ORG_PREFIXES[-1]
        body = org[len(p) :] if first else org
        if p == "กลุ่ม" and body.startswith("กลุ่ม"):
            continue
        if body == "ฯ" and _SPACED_PLACE.match(text, m.end("org")):
            # 'ศูนย์ฯ บ้านห้วยหิน': an abbreviated name completed by its place
            found.append(Mention(m.start(), m.end("org"), org, None))
            continue
        if len(body) < 2 or _NOT_NAMES.match(body) or org.startswith(_LOCAL_ABBREVIATIONS):
            continue  # local abbreviations are found through the gazetteer with their place
        if p == "ม." and _FIND_MENTIONS_RX3.match(body):
            continue  # a month such as ม.ค.
        # cut at a glued connector ('…ท่าศาลาและ…')
        cut = _name_end_re().search(org, max(4, len(p)))
        end = m.start() + (cut.start() if cut else len(org))
        if text.endswith("แห่ง", m.start(), end) and end - m.start() > len(p) + 4:
            end -= len("แห่ง")  # a classifier: 'สถาบันการเงินชุมชนแห่ง…'
        end = _numbered(text, _after_province(text, m.start(), end))
        org = text[m.start() : end] if end > m.start() + len(org) else org
        if (
            not _specific(org[: end - m.start()])
            and not _before_parent(text, org, end)
            and not _own_abbreviation(m.group("pair"))
        ):
            if p == "กลุ่ม" and len(body) >= 4:
                generic.append(Mention(m.start(), end, text[m.start() : end], None))
            continue
        if m.group("pair"):
            end = m.end()  # 'ชื่อเต็ม (ตัวย่อ)': the brackets confirm where the full name ends
        else:
            suffix = _NAME_SUFFIX.match(text, end)
            if suffix and not cut:
                end = suffix.end()
        found.append(Mention(m.start(), end, text[m.start() : end], None))
    # 'กลุ่มป่าสักงาม' is the short name of 'กลุ่มออมทรัพย์บ้านป่าสักงาม' written elsewhere
    found += [g for g in generic if any(_same_group(g.text, f.text) for f in found)]
    found += _faculties(text, limit) + _position_offices(text, limit)
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
            if _FIND_MENTIONS_RX6.fullmatch(gap) and text[f.end : f.end + 1] in ")）":
                prev.end = f.end + 1
                prev.text = text[prev.start : prev.end]
                prev.agency_id = prev.agency_id or f.agency_id
                continue
        merged.append(f)
    for f in merged:
        _full_name_before(text, f)
        # 'ชมรม อสม.จังหวัดพะเยา': a club or network of people named after them is a body
        club = _CLUB_BEFORE.search(text, max(0, f.start - 12), f.start)
        if club and _people(f.text):
            f.start, f.text, f.agency_id = club.start(), text[club.start() : f.end], None
    return _join_spaced(text, merged)


# a mention right after these names a building ('อาคารสำนักงานอธิการบดี'), not a body
_BUILDING = ("อาคาร", "อาคาร ", "ตึก", "ตึก ")
# words after which a list-only form glued to them still names a body ('จากพช.', 'และกศน.')
_LIST_GLUE = ("จาก", "ผู้แทน", "ตัวแทน", "และ", "กับ", "โดย", "ทั้ง")
_THAI_CHAR = re.compile(r"[\u0e01-\u0e4e]")
_PAIR_AFTER = re.compile(r"\s?[(（][ก-๙A-Za-z.]{1,8}[0-9๐-๙]{0,3}[)）]")
_CLUB_BEFORE = re.compile(rf"(?:ชมรม|เครือข่าย|สมาคม|สหพันธ์){SPACE}?$")
_LOCAL_ABBREVIATIONS = ("อบต.", "อบจ.", "ทต.", "ทม.", "ทน.")
_NUMBERED_END = re.compile(r"(?:ที่|ภาค|เขต|เทศบาล)$")
_NUMBER = re.compile(rf"{SPACE}?[0-9๐-๙]+(?![0-9๐-๙.,:/])")


def _after_province(text: str, start: int, end: int) -> int:
    """A name with 'จังหวัด' glued to a province ends after the province:
    'สภาองค์กรชุมชนจังหวัดสุพรรณบุรีถกแผน…' ends at 'สุพรรณบุรี'."""
    i = text.find("จังหวัด", start, end)
    if i < 0:
        return end
    prov = _glued_province_re().match(text, i + len("จังหวัด"), end)
    return prov.end() if prov else end


def _full_name_before(text: str, m: Mention) -> None:
    """An abbreviation in brackets right after the full name of its body makes one string with
    it even when the name is glued to the word before: 'เวทีนี้สถาบันพัฒนาองค์กรชุมชน (พอช.)'."""
    if not m.agency_id or not text.endswith(("(", "（"), 0, m.start):
        return
    if text[m.end : m.end + 1] not in (")", "）"):
        return
    stop = m.start - 1
    while stop > 0 and text[stop - 1] in " \u00a0":
        stop -= 1
    for form in gazetteer.forms_of(m.agency_id):
        if len(form) > len(m.text) + 2 and text.endswith(form, 0, stop):
            m.start, m.end = stop - len(form), m.end + 1
            m.text = text[m.start : m.end]
            return


def _numbered(text: str, end: int) -> int:
    """A number that completes a name: 'ศูนย์อนามัยที่ 9', 'ธนาคารออมสินภาค 11',
    'โรงเรียนเทศบาล 3'."""
    if _NUMBERED_END.search(text, max(0, end - 6), end):
        n = _NUMBER.match(text, end)
        if n:
            return n.end()
    return end


_FACULTY = re.compile(r"(?:คณะ|สำนักวิชา)[ก-๙]{2,30}?ศาสตร์(?:และ[ก-๙]{2,30}?ศาสตร์)?")


@lru_cache(maxsize=1)
def _month_forms() -> frozenset[str]:
    forms = lexicon()["months"].values()
    return frozenset(str(f) for fs in forms for f in fs)


def _faculties(text: str, limit: int) -> list[Mention]:
    """Faculties and schools of a university: 'คณะพยาบาลศาสตร์', 'สำนักวิชาพยาบาลศาสตร์'."""
    if "ศาสตร์" not in text:
        return []  # every faculty name holds it: no scan of a text without it
    return [Mention(m.start(), m.end(), m.group(0), None) for m in _scan(_FACULTY, text, limit)]


# the position's word first, then which one it was (a look-behind): the pattern opens on
# alternatives of literals, so the engine skips in C to the next place one starts
_POSITION_OFFICE = re.compile(
    r"(?:ปลัด|นาย|ผู้ว่าราชการ)(?:(?:(?<=ปลัด)|(?<=นาย))(อำเภอ[ก-๙]+)|(?<=ผู้ว่าราชการ)(จังหวัด[ก-๙]+))"
)


def _position_office_matches(text: str, limit: int):
    """``_POSITION_OFFICE.finditer(text, 0, limit)``, tried only where one of its three
    openings is written (found by substring search in C)."""
    places = sorted(at for opening in _POSITION_OPENINGS for at in find_all(text, opening, limit))
    pos = 0
    for at in places:
        if at >= pos:
            m = _POSITION_OFFICE.match(text, at, limit)
            if m is not None:
                yield m
                pos = m.end()


_POSITION_OPENINGS = ("ปลัดอำเภอ", "นายอำเภอ", "ผู้ว่าราชการจังหวัด")


def _position_offices(text: str, limit: int) -> list[Mention]:
    """The office inside a district or provincial officer's position: ``ปลัดอำเภอบ้านนา`` and
    ``นายอำเภอบ้านนา`` give ``อำเภอบ้านนา``; ``รองผู้ว่าราชการจังหวัดน่าน`` gives ``จังหวัดน่าน``.
    (A mayor's ``นายกเทศมนตรีตำบล…`` does not spell the municipality and gives nothing.)"""
    out: list[Mention] = []
    if "อำเภอ" not in text and "ผู้ว่าราชการ" not in text:
        return out  # every match holds one of them (นาย alone is common): no scan without
    for m in _position_office_matches(text, limit):
        g = 1 if m.group(1) else 2
        start, end = m.start(g), m.end(g)
        unit = "อำเภอ" if g == 1 else "จังหวัด"
        place = text[start + len(unit) : end]
        if g == 2:
            prov = _province_re().match(" " + place)
            if not prov:
                continue
            end = start + len(unit) + len(prov.group("q"))
        else:
            if _starts_clause(place) or place.startswith(_OFFICER_VERBS):
                continue  # 'นายอำเภอนำคณะ…': the officer, no place written
            cut = _name_end_re().search(text, start + len(unit) + 2, end)
            end = cut.start() if cut else end
        if end - start > len(unit) + 1:
            out.append(Mention(start, end, text[start:end], None))
    return out


_OFFICER_VERBS = ("นำ", "ยัน", "ชี้", "สั่ง", "มอบ", "รับ", "ลง", "เดิน", "เยี่ยม", "ตรวจ", "พบ")


_UNIT_WORD = re.compile(r"จังหวัด|อำเภอ|ตำบล|บ้าน|หมู่")
_SPACED_QUALIFIER = re.compile(
    rf"{SPACE}{{1,2}}(?P<q>(?:วิทยาเขต|สาขา|ภาค|เขต(?:สุขภาพ)?(?:ที่)?|ศูนย์(?!ฯ)|"
    rf"สำนักงาน(?:ภาค|จังหวัด|เขต|สาขา))[ก-๙]*"
    rf"(?:{SPACE}?[0-9๐-๙]+)?)(?![ก-๙0-9๐-๙])"
)
_SPACED_PLACE = re.compile(rf"{SPACE}{{1,2}}(?P<q>(?:จังหวัด|อำเภอ|ตำบล|บ้าน)[ก-๙]+)(?![ก-๙])")
# Names of sub-units that a parent written after them completes ('คณะ… มหาวิทยาลัย…').
_SUB_UNIT = re.compile(r"^(?:คณะ|สำนักวิชา|ศูนย์|กลุ่มงาน|กอง(?!ทุน)|สำนักงานปฏิบัติการ|สำนักงานภาค|ส่วน|ฝ่าย)")
# Names of bodies that hold sub-units.
_PARENT = re.compile(r"^(?:มหาวิทยาลัย|ม\.|มรภ\.|คณะ|สถาบัน|กรม|สำนักงาน|สสจ\.|โรงพยาบาล|รพ\.)")


@lru_cache(maxsize=1)
def _province_re() -> re.Pattern:
    from pythainlp.corpus.common import provinces

    names = {p for p in provinces() if len(p) > 2}
    return re.compile(rf"{SPACE}(?P<q>(?:{alternation(names)}))(?![ก-๙])")


def _own_abbreviation(pair: str | None) -> bool:
    """'เครือข่าย… (ทสม.)': a name that brings its own, unknown abbreviation names one body."""
    inner = (pair or "").strip().strip("()（）").strip()
    return bool(inner) and gazetteer.lookup(inner) is None


_BEFORE_PARENT_RX1 = re.compile(rf"{SPACE}{{1,2}}(\S+)")


def _before_parent(text: str, name: str, end: int) -> bool:
    """A sub-unit written before its parent ('กลุ่มงานคุ้มครองผู้บริโภค สสจ.เลย') names one body
    even when its own name is generic."""
    if not _SUB_UNIT.match(name):
        return False
    after = _BEFORE_PARENT_RX1.match(text[end : end + 60])
    return bool(after) and (
        _PARENT.match(after.group(1)) is not None or gazetteer.lookup(after.group(1)) is not None
    )


_TAKES_PLACE_RX1 = re.compile(r"[0-9๐-๙]$")


def _takes_place(m: Mention) -> bool:
    """Whether a place written after a name may belong to it: unknown names and generic offices
    (a known university or bank followed by a district is an address)."""
    found = gazetteer.lookup(m.text)
    if found is None or _TAKES_PLACE_RX1.search(m.text):
        return True  # an unknown name, or a numbered unit: 'ศูนย์อนามัยที่ 8 อุดรธานี'
    # a generic office takes one place: 'อบต.หนองคันทรง อำเภอภูหลวง' is an address after it
    return gazetteer.takes_place_name(found.id) and gazetteer.canonical_key(m.text) == found.id


@lru_cache(maxsize=1)
def _glued_province_re() -> re.Pattern:
    """A province name right after 'จังหวัด', whatever is glued after it."""
    from pythainlp.corpus.common import provinces

    return re.compile(alternation({p for p in provinces() if len(p) > 2}))


_JOIN_SPACED_RX1 = re.compile(rf"{SPACE}{{1,2}}")
_JOIN_SPACED_RX2 = re.compile("ตำบล|อำเภอ|จังหวัด")


def _join_spaced(text: str, mentions: list[Mention]) -> list[Mention]:
    """A name written with a space before its branch, place or parent is one string:
    ``ธ.ก.ส. สาขาน่าน``, ``ชมรม อสม. อำเภอนางรอง``, ``ศูนย์อนามัยที่ 1 เชียงใหม่``,
    ``คณะพยาบาลศาสตร์ มหาวิทยาลัยเชียงใหม่`` (a sub-unit with its parent)."""
    out: list[Mention] = []
    i = 0
    while i < len(mentions):
        m = mentions[i]
        i += 1
        parented = joined = False
        while True:
            q = _SPACED_QUALIFIER.match(text, m.end)
            if (
                not q
                and not parented
                and not _UNIT_WORD.search(m.text)
                and not _bare_type(m.text)
                and _takes_place(m)
            ):
                q = _SPACED_PLACE.match(text, m.end) or _province_re().match(text, m.end)
            elif (
                not q and not parented and not _UNIT_WORD.search(m.text) and not _bare_type(m.text)
            ):
                # a province after a known body is its campus or office: '… บรมราชชนนี นครราชสีมา'
                q = _province_re().match(text, m.end)
            elif not q and joined and "บ้าน" in m.text and not _JOIN_SPACED_RX2.search(m.text):
                # 'ศูนย์ฯ บ้านห้วยหิน ตำบลนาดี': a spaced village, then its sub-district
                q = _SPACED_PLACE.match(text, m.end)
                q = q if q and q.group("q").startswith("ตำบล") else None
            if q:
                joined = True
                m = Mention(m.start, q.end(), text[m.start : q.end()], m.agency_id, m.bare)
                while i < len(mentions) and mentions[i].start < m.end:
                    i += 1  # a mention inside the joined qualifier
                continue
            pair = _PAIR_AFTER.match(text, m.end)
            if pair and joined and "(" not in m.text and "（" not in m.text:
                # 'ชื่อเต็ม จังหวัด (ตัวย่อ)' after a joined place: the bracket is its abbreviation
                m = Mention(m.start, pair.end(), text[m.start : pair.end()], m.agency_id, m.bare)
                while i < len(mentions) and mentions[i].start < m.end:
                    i += 1
                continue
            nxt = mentions[i] if i < len(mentions) else None
            if (
                nxt is not None
                and _SUB_UNIT.match(m.text)
                and (_PARENT.match(nxt.text) or gazetteer.lookup(nxt.text) is not None)
                and _JOIN_SPACED_RX1.fullmatch(text[m.end : nxt.start])
            ):
                m = Mention(m.start, nxt.end, text[m.start : nxt.end], m.agency_id, m.bare)
                i += 1
                parented = True
                continue
            break
        out.append(m)
    return out


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


_PARTICIPATING_RX1 = re.compile(r"[ก-๙]\s*\($")


def _participating(text: str, layout: Layout, m: Mention, inside_turn: bool) -> bool:
    line = layout.line_at(m.start)
    before = text[max(line.begin, m.start - 40) : m.start]
    if not inside_turn and _HEADER_PARTICIPANTS.match(line.text):
        return True  # 'ผู้จัด : สำนักงาน…', 'วิทยากร : นาย… (ธ.ก.ส.…)'
    if not inside_turn and before.endswith("(") and _PARTICIPATING_RX1.search(before):
        return True  # the body a named person represents: 'นายอดิศร มณีวงศ์ (ธ.ก.ส.สาขา…)'

    if _FUNDER.search(before) or _EDUCATION.search(before):
        return False
    if inside_turn:
        # in speech an organisation is mostly discussed; the speaker's own, a thanked host, or
        # one said to take part ('… อบต.นาดี ร่วมฟังทั้งวัน') is not
        return (
            _SPEECH_CUE.search(before[-25:]) is not None
            or _AFTER_CUE.match(text[m.end : m.end + 25]) is not None
        )
    if _cue_re().search(before):
        return True
    if not inside_turn and _AFTER_CUE.match(text[m.end : m.end + 25]):
        return True
    return False


_SPEECH_CUE = re.compile(
    rf"(?:มาจาก|ตัวแทน|ผู้แทน|เจ้าหน้าที่|พนักงาน|อยู่|ขอบคุณ(?:ทาง)?|จัดโดย|เจ้าภาพ){SPACE}*$"
)
_ABSENT_HEAD = re.compile(r"^(?:รายชื่อ)?(?:ผู้ไม่มาประชุม|ผู้ลาประชุม|ผู้ขาดประชุม|ผู้ไม่เข้าร่วม|ผู้ลา)")
_MINUTES_TITLE = re.compile(r"รายงานการประชุม|บันทึกการประชุม|การประชุมคณะกรรมการ|ประชุมสามัญ|ประชุมใหญ่")


_COUNT_LINE = re.compile(r"[0-9๐-๙]+\s*(?:คน|ท่าน|ราย)")
_LIST_OPENS = re.compile(r"(?:[:：]|ดังนี้|ดังรายชื่อ|ได้แก่|ประกอบด้วย)\s*$|ดังรายชื่อ")


_BLOCKS_RX1 = re.compile(r"^(?:\d+[.)]|[-•*])")


def _blocks(layout: Layout, head: re.Pattern) -> list[tuple[int, int]]:
    """Spans of the lists that follow a heading line such as ผู้เข้าประชุม (until a blank line)."""
    out = []
    lines = layout.lines
    for i, ln in enumerate(lines):
        if ln.blank or not head.match(ln.text) or len(ln.text) > 120:
            continue
        if _COUNT_LINE.search(ln.text) and not _LIST_OPENS.search(ln.text):
            continue  # 'ผู้เข้าร่วม 42 คน' states a head-count; no list follows
        j = i + 1
        if j < len(lines) and lines[j].blank:
            j += 1
        # the list: numbered, bulleted or short lines (a paragraph of prose is no list)
        while (
            j < len(lines)
            and not lines[j].blank
            and not _ATTEND_HEAD.match(lines[j].text)
            and not _ABSENT_HEAD.match(lines[j].text)
            and j - i < 80
            and (len(lines[j].text) <= 100 or _BLOCKS_RX1.match(lines[j].text))
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
    text: str,
    layout: Layout,
    turns: list[Turn],
    venue_at: tuple[int, int] | None = None,
    recommendations: tuple[str, ...] | list[str] = (),
) -> list[str]:
    """Agencies of this session as written, once each, in order of first appearance.

    A record of a held session names its organisations in passing, so a named organisation in
    the narration (title, dateline, venue, participant sentences) is taken as present unless its
    clause says it is only discussed (``เสนอต่อกรม…``, ``ตามหนังสือกระทรวง…``), a funder
    (``งบประมาณสนับสนุนจาก สสส.``) or the author's education. Inside reported or labelled
    speech, organisations are mostly discussed, so there it needs a participation cue
    (``ผมมาจาก…``). A unit type without a place (``อบต.``, ``เทศบาล``) counts only when written as
    participants (``ผู้แทน อบจ. เทศบาล และ อปท.``).
    """
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
        and not m.text.startswith(_place_names())
        and not (
            text.endswith(_BUILDING, max(0, m.start - 6), m.start) and not _FACULTY.match(m.text)
        )
        and m.text not in _month_forms()
        and not _credit_line().match(layout.line_at(m.start).text)
    ]

    spans.sort()
    span_starts = [a for a, _ in spans]
    span_reach = list(accumulate((b for _, b in spans), max))

    def in_turn(pos: int) -> bool:
        i = bisect_right(span_starts, pos)
        return bool(i) and span_reach[i - 1] > pos

    proposals = _spans_of(text, recommendations)

    def in_venue(m: Mention) -> bool:
        # 'ณ ห้องประชุม อบต.': the host is named in the venue, even by its type alone
        return bool(venue_at) and venue_at[0] <= m.start < venue_at[1]

    def in_proposal(m: Mention, strict: bool = False) -> bool:
        # 'ควรประสานกับสำนักงาน…', 'อยากให้ธนาคาร…ลดดอกเบี้ย': a body inside a proposal is its
        # addressee, not a participant (unless the clause names who proposes: 'ผู้แทนจาก…';
        # a unit type in a proposal, 'ควรเชิญปลัด อบต.', is always the addressee)
        inside = any(a <= m.start < b for a, b in proposals)
        return inside and (strict or _cue_before(text, layout, m) is None)

    keep: list[tuple[int, str]] = []
    prev: Mention | None = None
    prev_ok = False
    for m in mentions:
        joined = (
            prev is not None
            and _SEP.match(text[prev.end : m.start]) is not None
            and (m.start - prev.end <= 12)
        )
        if _people(m.text):
            prev, prev_ok = m, prev_ok and joined
            continue
        listed = any(a <= m.start < b for a, b in blocks)
        speech = in_turn(m.start)
        if _bare_type(m.text):
            # a unit type counts only as a participant: after a cue or inside a list of them
            ok = (
                not speech
                and (
                    listed
                    or (joined and prev_ok)
                    or _HEADER_PARTICIPANTS.match(layout.line_at(m.start).text) is not None
                    or _cue_before(text, layout, m) is not None
                    or in_venue(m)
                )
                and not _NEGATED.search(text[max(0, m.start - 30) : m.start])
                and not in_proposal(m, strict=True)
            )
        elif speech:
            ok = _participating(text, layout, m, True) or (joined and prev_ok)
        elif m.bare:
            ok = listed or (joined and prev_ok) or _participating(text, layout, m, False)
        else:
            ok = listed or not (_discussed(text, layout, m) or in_proposal(m))
        if ok:
            keep.append((m.start, m.text))
        prev, prev_ok = m, ok
    # the agency written in a speaker's label, when it names an organisation (not '(ชาวบ้าน)')
    for t in turns:
        if t.agency and _names_organisation(t.agency) and not _people(t.agency):
            keep.append((t.start or 0, t.agency))
    keep.sort(key=lambda k: k[0])
    return _once_each([name for _pos, name in keep])


def _spans_of(text: str, clauses) -> list[tuple[int, int]]:
    """Where each clause (an exact substring) first sits in the text."""
    out = []
    for c in clauses:
        i = text.find(c) if c else -1
        if i >= 0:
            out.append((i, i + len(c)))
    return out


def _once_each(names: list[str]) -> list[str]:
    """One entry per organisation, in the form of its first appearance.

    A later full name or abbreviation of a listed body (same canonical key), a later form that
    is part of a listed one (``กศน.`` after ``กศน.อำเภอท่าเรือ``, ``มข.`` after ``คณะ…
    มหาวิทยาลัยขอนแก่น``) and a bare unit type beside a named body of that type are dropped.
    """
    out: list[str] = []
    keys: list[set[str]] = []
    for name in names:
        name = name.strip()
        if not name:
            continue
        mine = _keys(name)
        if any(mine & k for k in keys) or any(
            _office_of(name, k) or _office_of(k, name) for k in out
        ):
            continue
        bare = name.rstrip("ฯ").rstrip(".")
        if any(bare and bare in kept for kept in out) or any(_short_form(name, k) for k in out):
            continue
        if _bare_type(name) and any(
            _kind_key(o) == _kind_key(name) for o in out if not _bare_type(o)
        ):
            continue
        out.append(name)
        keys.append(mine)
    return [a for a in out if not _generic_shadowed(a, out)]


_SHORT_HEAD = re.compile(r"^(กลุ่ม|กองทุน|เครือข่าย|ศูนย์|ชมรม|สภา)(?:ฯ)?\s?((?:บ้าน|ตำบล|หมู่).+)$")


def _short_form(name: str, kept: str) -> bool:
    """A later short form of a listed body: 'กลุ่มบ้านนา' after 'กลุ่มออมทรัพย์บ้านนา' (same
    kind of body, same place)."""
    m = _SHORT_HEAD.match(name)
    short = bool(m) and kept.startswith(m.group(1)) and kept.endswith(m.group(2))
    return (short and kept != name) or _same_group(name, kept) or _same_group(kept, name)


def _same_group(short: str, long: str) -> bool:
    """'กลุ่มป่าสักงาม' and 'กลุ่มออมทรัพย์บ้านป่าสักงาม': one group, named short and in full."""
    if not short.startswith("กลุ่ม") or not long.startswith("กลุ่ม") or len(long) <= len(short):
        return False
    body = short[len("กลุ่ม") :].removeprefix("บ้าน")
    return len(body) >= 4 and long.endswith(body) and not _UNIT_WORD.match(body)


def _office_of(office: str, department: str) -> bool:
    """Whether one name is a provincial or district office of the department the other names
    without a place ('สำนักงานพัฒนาชุมชนจังหวัดยโสธร' and 'พช.'): one organisation to list."""
    dept = gazetteer.canonical_key(department)
    if ":" in dept or dept.startswith("?") or _bare_type(department):
        return False
    found = gazetteer.lookup(office)
    return found is not None and found.parent == dept and found.type == "provincial_office"


def _kind_key(name: str) -> str:
    """The gazetteer entry of a name without its place: 'อบต.บ้านนา' and 'อบต.' share it."""
    return gazetteer.canonical_key(name).split(":", 1)[0]


_KEYS_RX1 = re.compile(r"^(.+?)\s*[(（](.+?)[)）](.*)$")
_KEYS_RX2 = re.compile(rf"{SPACE}+")


def _keys(name: str) -> set[str]:
    """Canonical keys of a written name and of its parts (``ชื่อเต็ม (ตัวย่อ)``, sub-unit + parent)."""
    parts = {name}
    pair = _KEYS_RX1.match(name)
    if pair:
        parts |= {pair.group(1).strip(), pair.group(2).strip() + pair.group(3).strip()}
        parts.add((pair.group(1) + pair.group(3)).strip())
    for piece in _KEYS_RX2.split(name):
        if len(piece) > 2 and not _bare_type(piece) and gazetteer.lookup(piece) is not None:
            parts.add(piece)  # a known parent inside: 'คณะ… มหาวิทยาลัยขอนแก่น' holds มข.
    out = set()
    for p in parts:
        if _bare_type(p):
            continue
        out.add(gazetteer.canonical_key(p))
    return out


# 'ยังไม่มีผู้แทนจาก อบต. มาร่วม': a body said to be absent
_NEGATED = re.compile(rf"ไม่(?:มี|ได้)[^\s]{{0,14}}{SPACE}?$")


def _discussed(text: str, layout: Layout, m: Mention) -> bool:
    """Whether the clause around a mention says it is only discussed, a funder or the author's
    school."""
    line = layout.line_at(m.start)
    before = text[max(line.begin, m.start - 40) : m.start]
    if _FUNDER.search(before) or _EDUCATION.search(before):
        return True
    if (
        _discussed_before_re().search(before)
        or _NEGATED.search(before)
        or _document_of_re().search(before)
    ):
        return True
    after = text[m.end : m.end + 20]
    return _discussed_after_re().match(after) is not None


@lru_cache(maxsize=1)
def _discussed_before_re() -> re.Pattern:
    return re.compile(rf"(?:{alternation(words('agency_discussed_cues'))}){SPACE}*$")


@lru_cache(maxsize=1)
def _document_of_re() -> re.Pattern:
    """'ตามระเบียบใหม่ของกระทรวง…', 'นโยบายปีนี้ของกรม…': a body owning a rule or a letter."""
    nouns = alternation(words("agency_document_nouns"))
    return re.compile(rf"(?:{nouns})[^\s]{{0,12}}ของ{SPACE}*$")


@lru_cache(maxsize=1)
def _discussed_after_re() -> re.Pattern:
    return re.compile(rf"{SPACE}*(?:{alternation(words('agency_discussed_after'))})")


def _cue_before(text: str, layout: Layout, m: Mention) -> re.Match | None:
    line = layout.line_at(m.start)
    return _cue_re().search(text[max(line.begin, m.start - 40) : m.start])


@lru_cache(maxsize=1)
def _place_names() -> tuple[str, ...]:
    """Halls, learning centres, hotels: places where a session is held, not hosts."""
    return tuple(words("agency_place_names"))


@lru_cache(maxsize=1)
def _credit_line() -> re.Pattern:
    """A credit or form-field line ('ภาพ : …', 'เรียบเรียง : …'): no participant is named there."""
    return re.compile(rf"^(?:{alternation(words('agency_credit_labels'))}){SPACE}*[:：]")


@lru_cache(maxsize=1)
def _people_forms() -> frozenset[str]:
    return frozenset(words("agency_people_forms"))


@lru_cache(maxsize=4096)
def _people(written: str) -> bool:
    """People and groups of people (อสม., ชาวบ้าน, แกนนำ), also with their place
    ('อสม.ตำบลท่าหิน'): not organisations."""
    name = written.strip()
    return name in _people_forms() or any(
        name.startswith(p) and _PLACE_AFTER.match(name, len(p)) for p in _people_forms()
    )


_PLACE_AFTER = re.compile(rf"{SPACE}?(?:บ้าน|ตำบล|อำเภอ|จังหวัด|ต\.|อ\.|จ\.|หมู่)")


@lru_cache(maxsize=1)
def _unit_types() -> frozenset[str]:
    return frozenset(w.rstrip(".") for w in words("agency_unit_types"))


@lru_cache(maxsize=4096)
def _bare_type(written: str) -> bool:
    """A unit type written without a place (``อบต.``, ``เทศบาล``, ``รพ.สต.``)."""
    return written.strip().rstrip(".") in _unit_types()


@lru_cache(maxsize=4096)
def _resolved(name: str) -> tuple[str, str]:
    """(canonical, type) of a name through the gazetteer, cached: names recur across records."""
    res = gazetteer.resolve(name)
    return res["canonical"], res["type"]


def _generic_shadowed(name: str, names: list[str]) -> bool:
    """A bare generic form ('อบต.') beside a named body of the same kind ('อบต.ห้วยทราย')."""
    if not _bare_type(name) or gazetteer.lookup(name) is None:
        return False
    kind = _kind_key(name)
    return any(o != name and not _bare_type(o) and _kind_key(o) == kind for o in names)
