"""Session date (and end date) from Thai text: Buddhist-era years, Thai digits, month forms.

The spec's conventions: the day the recorded session took place; a multi-day session gives its
first day; BE years minus 543; a two-digit BE year is 25xx; null when no year is written next to
the session's date; publish dates, deadlines, other meetings, fiscal years and year ranges are
distractors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from analysis.extract.layout import Layout
from analysis.extract.lexicon import alternation, lexicon
from analysis.text import thai_digits

_SP = r"[ \t\u00a0]*"


@lru_cache(maxsize=1)
def _month_table() -> dict[str, int]:
    table = {}
    for number, forms in lexicon()["months"].items():
        for form in forms:
            table[str(form)] = int(number)
    return table


def month_number(token: str) -> int | None:
    """Month number of a written month: ``'พ.ย.'`` → 11, ``'พย'`` → 11, ``'พฤศจิกายน'`` → 11."""
    return _month_table().get(token.strip())


@lru_cache(maxsize=1)
def date_re() -> re.Pattern:
    """A day (or day range), a month name and an optional year, with odd spacing allowed.

    Catches ``17 พฤศจิกายน 2548``, ``วันที่ 3กันยายน2550``, ``12กพ.2557``, ``27-28 ก.ย. 48``,
    ``27 ก.ย. – 2 ต.ค. 2548``, ``๕ มี.ค. ๖๒``, ``17 พ.ย. พ.ศ. 2548``. Works on text whose Thai
    digits were turned into Arabic ones (same length, so offsets hold).
    """
    month = alternation(_month_table())
    # the day opens on a digit consumed first, its look-behinds after it: a pattern that opens
    # on a character class lets the engine skip in C to the next digit instead of trying the
    # whole pattern at every position (five times faster); same matches as
    # (?<![\d.:/])(?P<d1>[0-3]?\d), since the day is followed by no digit
    day = r"(?P<d1>\d(?<![\d.:/]\d)(?:(?<=[0-3])\d)?)"
    range_ = rf"(?:{_SP}(?:-|–|—|ถึง|และ|,){_SP}(?P<d2>[0-3]?\d)(?!\d))?"
    year = (
        rf"(?:{_SP}(?:พ\.ศ\.|พ\.ศ|พศ\.?|พ\.\.|ค\.ศ\.)?{_SP}"
        rf"(?P<y>(?:25|24|19|20)\d\d|\d\d)(?![\d.:])(?!{_SP}(?:คน|ราย|ท่าน|ชีวิต|บาท|%|กลุ่ม)))?"
    )
    # 'วันที่ 18 เดือน พฤศจิกายน พ.ศ.2565': the word เดือน may stand before the month
    return re.compile(rf"{day}{range_}{_SP}(?:เดือน{_SP})?(?P<m>{month})(?![ก-ฮ]){year}")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    first: date | None  # None when the year is missing or the date is impossible
    last: date | None
    has_year: bool


def _year(token: str | None) -> int | None:
    if not token:
        return None
    y = int(token)
    if y < 100:
        return 2500 + y - 543
    if y > 2400:
        return y - 543
    if 1900 <= y <= 2100:
        return y
    return None


def _safe_date(y: int | None, m: int | None, d: int | None) -> date | None:
    if y is None or m is None or d is None:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


_JOIN = re.compile(r"^[ \t\u00a0]*(?:-|–|—|ถึง)[ \t\u00a0]*(?:วันที่)?[ \t\u00a0]*$")


@lru_cache(maxsize=8)
def find_dates(text: str) -> list[DateMention]:
    """Every day-month(-year) mention in the text, in order; cross-month ranges joined.

    ``27 ก.ย. – 2 ต.ค. 2548`` is one mention from 2005-09-27 to 2005-10-02.
    """
    norm = thai_digits(text)
    raw = []
    for m in date_re().finditer(norm):
        d1 = int(m.group("d1"))
        if not 1 <= d1 <= 31:
            continue
        d2 = int(m.group("d2")) if m.group("d2") else None
        raw.append([m.start(), m.end(), d1, d2, month_number(m.group("m")), _year(m.group("y"))])
    out: list[DateMention] = []
    i = 0
    while i < len(raw):
        s, e, d1, d2, mo, y = raw[i]
        nxt = raw[i + 1] if i + 1 < len(raw) else None
        if nxt and nxt[5] is not None and d2 is None and _JOIN.match(norm[e : nxt[0]]):
            # a range across months (and perhaps years): first part may lack its year
            ny = nxt[5]
            fy = y if y is not None else (ny - 1 if mo > nxt[4] else ny)
            first, last = _safe_date(fy, mo, d1), _safe_date(ny, nxt[4], nxt[2])
            out.append(
                DateMention(
                    s, nxt[1], first, last if first and last and last > first else None, True
                )
            )
            i += 2
            continue
        first = _safe_date(y, mo, d1)
        last = _safe_date(y, mo, d2) if d2 else None
        if first and last and last <= first:
            last = None
        out.append(DateMention(s, e, first, last, y is not None))
        i += 1
    return out


_EVENT = re.compile(
    r"(?:จัด|ประชุม|ถอดบทเรียน|เวที|สัมมนา|AAR|อบรม|ได้มี|ลงพื้นที่|วงคุย|วงเรียนรู้|แลกเปลี่ยน|กิจกรรม)"
)
# The patterns below are only asked whether they occur. Each opens on a literal, a class or
# alternatives of literals (a look-behind after its word where one stood before it), so the
# engine skips in C to the places a match can start instead of trying every position.
_CLOCK = re.compile(r"\d\d?\s*[.:]\s*\d{2}\s*(?:น|-|–|ถึง)")  # or the word เวลา: _has_time
_VENUE = re.compile(
    r"ณ(?<![^\s(]ณ)|สถานที่|ห้องประชุม|ศาลา|"
    r"ที่\s*(?:ห้อง|ศาลา|ศูนย์|อาคาร|วัด|โรงเรียน|ที่ทำการ|สำนักงาน|หอประชุม|บ้าน|โรงแรม|มหาวิทยาลัย)"
)
_WEEKDAY = r"(?:วัน)?(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)(?:ที่)?"
_HEADER_LEAD = re.compile(r"(?:วันที่|วันที|เมื่อ|ระหว่าง|ใน|📅|🗓️?)[ \t\u00a0]*$")
# an as-of date: 'ยอดเงินกองทุน ณ 31 ธ.ค. 67', 'ณ วันที่ 10 มิ.ย. 49' (a balance, not a session)
_AS_OF = re.compile(r"ณ(?<![^\s(]ณ)[ \t\u00a0]*(?:วันที่|วันที)?[ \t\u00a0]*$")
_RANGE_ON_LINE = re.compile(
    r"\d\d?\s*[.:]\s*\d{2}\s*(?:น\.?)?\s*(?:-|–|ถึง)\s*\d{1,2}\s*[.:]\s*\d{2}"
)


def _has_time(text: str) -> bool:
    """A clock time or the word เวลา."""
    return "เวลา" in text or _CLOCK.search(text) is not None


_LEAD = re.compile(r"(?:วันที่|วันที|เมื่อ|วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)|ระหว่าง)")


@lru_cache(maxsize=1)
def _distractor_res() -> dict[str, re.Pattern]:
    cues = lexicon()["date_distractor_cues"]
    return {k: re.compile(alternation(v)) for k, v in cues.items()}


def _header_lines(layout: Layout) -> set[int]:
    """Indexes of the first eight non-blank lines (title and header block)."""
    out: set[int] = set()
    for ln in layout.lines:
        if len(out) == 8:
            break
        if not ln.blank:
            out.add(ln.index)
    return out


_AROUND = 400  # a date is read with at most this much of its line on either side


# หลัง or ภายหลัง at the start or after a space (asked only whether it occurs)
_SCORE_RX1 = re.compile(r"(?:หลัง(?<![^ \t\u00a0]หลัง)|ภายหลัง(?<![^ \t\u00a0]ภายหลัง))(?!จาก)[ก-๙]")
_SCORE_RX2 = re.compile(r"พรรษา[ \t\u00a0]*$")
_SCORE_RX3 = re.compile(r"(?:19|20)\d\d\s*$")
_SCORE_RX4 = re.compile(r"\d{1,2}[:.]\d{2}(?::\d{2})?|น\.?|เวลา|" + _WEEKDAY)
_SCORE_RX5 = re.compile(r"[|·•][ \t\u00a0]*$")
_SCORE_RX6 = re.compile(_WEEKDAY + r"[ \t\u00a0,]*$")
_SCORE_RX7 = re.compile(r"[ก-๙A-Za-z]")


def _score(
    text: str, layout: Layout, m: DateMention, index: int, header: set[int] | None = None
) -> float:
    line = layout.line_at(m.start)
    header = _header_lines(layout) if header is None else header
    before = text[max(line.start, m.start - 45) : m.start]
    # the date's line, cut to a window around it: a page without line breaks stays linear
    left, right = max(line.start, m.start - _AROUND), min(line.end, m.end + _AROUND)
    line_text = text[left:right]
    score = 0.0
    if _has_time(line_text):
        score += 3
    if _VENUE.search(line_text):
        score += 2
    if _LEAD.search(before[-20:]):
        score += 2
    if _EVENT.search(text[max(0, m.start - 80) : m.end + 40]):
        score += 1.5
    if index == 0:
        score += 1
    if len(line.text) <= 120 and line.index in header:
        score += 2  # the session's day usually sits in the header block
    score -= 2.5 * (m.start / max(1, len(text)))  # earlier is likelier the session's day
    res = _distractor_res()
    for name, rx in res.items():
        if rx.search(before):
            score -= 6 if name != "other_event" else 5
    if "(" in before[-25:] and ")" not in before[-25:]:
        score -= 2  # a date in an aside: '(วงนั้นจัดเมื่อ 28 มี.ค. 2566)'
    # a bare date line (only a weekday, a date and perhaps one clock time) is a post's own
    # date stamp: 'วันพฤหัสบดีที่ 21 กันยายน 2560', '15 ธ.ค. 2566 เวลา 10:12 น.'; a header
    # field says 'วันที่ …' or gives a time range
    rest = "ยาว"  # a long line is prose, never a bare date line
    if len(line.text) <= 120:
        rest = (line_text[: m.start - left] + line_text[m.end - left :]).strip(" ,|-")
        rest = _SCORE_RX4.sub("", rest)
    if m.start == line.start and len(line.text) > 60 and line.index in header:
        score += 2  # a dateline opening the first paragraph: '12 ม.ค. 2565 นายก อบต.… แถลง…'
    if _SCORE_RX1.search(before):
        score -= 4  # an earlier incident: 'หลังไฟไหม้บ่อขยะเมื่อวันที่ 2 มี.ค. 2566 …'
    if _SCORE_RX2.search(before):
        score -= 6  # a building named for a royal date: 'อาคาร…๘๔ พรรษา ๕ ธันวาคม ๒๕๕๔'
    if _AS_OF.search(before):
        score -= 6
    if len(line.text) <= 80 and _SCORE_RX5.search(before):
        score -= 4  # a site bar's stamp: 'องค์การบริหารส่วนตำบลนาดี | 11 ม.ค. 2566'
    lead = _HEADER_LEAD.search(_SCORE_RX6.sub("", before))
    if not _SCORE_RX7.search(rest) and not lead:
        if not _RANGE_ON_LINE.search(line_text):
            score -= 4
    # a Gregorian year in a Thai record is a post or update stamp: '21 กันยายน 2023 14:32'
    year = _SCORE_RX3.search(thai_digits(text[m.start : m.end]))
    if year and m.has_year:
        score -= 3
    if m.start >= layout.body_end:
        score -= 6
    return score


def session_dates(text: str, layout: Layout | None = None) -> tuple[str | None, str | None]:
    """(session_date, end_date) as ISO strings, or None where the spec says null.

    >>> session_dates('วันที่ 27-28 ก.ย. 2548 ณ ศาลาประชาคม')
    ('2005-09-27', '2005-09-28')
    >>> session_dates('ประชุมเมื่อ (15 ม.ค.) ที่ศาลา')
    (None, None)
    """
    layout = layout or Layout(text)
    # dates under the page footer are comment or share stamps, never the session's
    mentions = [m for m in find_dates(text) if m.start < layout.body_end]
    if not mentions:
        return None, None
    header = _header_lines(layout)
    scored = [(_score(text, layout, m, i, header), -i, m) for i, m in enumerate(mentions)]
    best = max(scored)[2]
    if not best.has_year or best.first is None:
        return None, None
    return best.first.isoformat(), best.last.isoformat() if best.last else None
