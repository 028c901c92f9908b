"""Title, time range, venue, participant count and province (the spec's header fields)."""

from __future__ import annotations

import re
from functools import lru_cache

from analysis.extract.layout import GAP, SPACE, Layout, Line
from analysis.extract.lexicon import alternation, words
from analysis.text import thai_digits

# ---------------------------------------------------------------- title


@lru_cache(maxsize=1)
def _chrome_re() -> re.Pattern:
    chrome = alternation(words("chrome_words"))
    return re.compile(rf"^(?:{chrome}|[|>»›/•·\-–:\s])+$", re.I)


_BREADCRUMB = re.compile(r"\S\s*(?:>|»|›|/|\|)\s*\S")
_DATE_ONLY = re.compile(
    r"^[\s\d๐-๙/.:,\-–()]*(?:(?:วัน)?(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|ศุกร์|เสาร์|อาทิตย์))?"
    r"[\s\d๐-๙/.:,\-–()]*(?:[ก-ฮ]{1,3}\.[ก-ฮ]\.|[ก-ฮ]+)?[\s\d๐-๙/.:,\-–()น]*$"
)
_DATELINE = re.compile(
    r"^[ก-๙][^\s:]{1,21}(?:\s[^\s:]{2,12})?\s*[:：\-–]\s*(?:วันที่|วันนี้|เมื่อวัน|เมื่อ\s*\d|\(|\d|[๐-๙])"
)
_LABEL_LINE = re.compile(r"^[^:：]{1,30}[:：]\s*\S")


_ONLY_DATES_RX1 = re.compile(
    r"\d{1,2}[:.]\d{2}(?::\d{2})?|น\.|(?:วัน)?(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|ศุกร์|เสาร์|อาทิตย์)(?:ที่)?"
    r"|เวลา|โพสต์|เมื่อ|วันที่|Posted|on|at|[\s\d๐-๙/.:,\-–()|]"
)


def _only_dates(t: str) -> bool:
    """A line that holds nothing but dates, clock times, weekdays and punctuation."""
    from analysis.extract.dates import find_dates

    if len(t) > 120:
        return False  # a bare date line is short
    rest = t
    for m in reversed(find_dates(t)):
        rest = rest[: m.start] + rest[m.end :]
    rest = _ONLY_DATES_RX1.sub(
        "",
        rest,
    )
    return rest == "" or bool(_DATE_ONLY.match(t))


# A social-media page line: 'สำนักงาน… · ติดตาม', '15 มีนาคม เวลา 20:14 น. · 🌏'
_SOCIAL = re.compile(r"·\s*(?:ติดตาม|Follow|แชร์|Share|🌏|🌐|👥|🔒)|^\W*(?:ถูกใจ|Like)\s*·")


_MENU_LINES_RX1 = re.compile(r"[\d๐-๙:]")


def _menu_lines(layout: Layout) -> set[int]:
    """Indexes of a site menu at the top: three or more short lines in a row (no digits)."""
    lines = [ln for ln in layout.lines if not ln.blank][:20]
    out: set[int] = set()
    run: list[int] = []
    for ln in lines + [None]:
        if ln is not None and len(ln.text) <= 20 and not _MENU_LINES_RX1.search(ln.text):
            run.append(ln.index)
            continue
        if run and ln is not None and len(ln.text) > 80:
            last = layout.lines[run[-1]]
            if not _chrome_re().match(last.text):
                run.pop()  # the short line right above the prose is the headline, not a menu item
        if len(run) >= 3:
            out.update(run)
        run = []
        if ln is not None and out:
            break
    return out


@lru_cache(maxsize=1)
def _caption_re() -> re.Pattern:
    issue = r"(?:ปีที่|ฉบับที่|Vol\.?|Issue|No\.)\s*[\d๐-๙]"
    credit = r"ภาพ\s*[:：]"
    return re.compile(rf"^(?:(?:{alternation(words('caption_openers'))})|{issue}|{credit})", re.I)


@lru_cache(maxsize=1)
def _crumb_head_re() -> re.Pattern:
    return re.compile(rf"^(?:{alternation(words('chrome_words'))})\s*(?:>|»|›|\|)", re.I)


@lru_cache(maxsize=1)
def _spaced_crumb_re() -> re.Pattern:
    return re.compile(rf"^(?:{alternation(words('chrome_words'))}){GAP}\S", re.I)


@lru_cache(maxsize=1)
def _counter_re() -> re.Pattern:
    """A view or comment counter: 'อ่าน: 1412', 'เปิดอ่าน 87 ครั้ง', '1,284 views'."""
    word = alternation(words("counter_words"))
    num = r"[\d๐-๙][\d๐-๙,.]*\s*(?:ครั้ง|คน|K|k)?"
    return re.compile(rf"^(?:(?:{word})\s*[:：]?\s*{num}|{num}\s*(?:{word}))(?:\s*[|・·/,]\s*.*)?$")


_IS_CHROME_RX1 = re.compile(r"\s::\s|^เรียน\s")
_IS_CHROME_RX2 = re.compile(r"[\W\d_]+")
_IS_CHROME_RX3 = re.compile(r"\s*(?:>|»|›|\|)\s*")
_IS_CHROME_RX4 = re.compile(r"\d|[๐-๙]")
_IS_CHROME_RX5 = re.compile(r"[ก-๙]")
_IS_CHROME_RX6 = re.compile(r"[a-z]{3,}[ก-๙]")
_IS_CHROME_RX7 = re.compile(r"(?:^|\s)[\d๐-๙]{1,2}\.\s?[ก-๙A-Za-z]")
_IS_CHROME_RX8 = re.compile(r"[ก-ฮ]{12,}")


def _is_chrome(line: Line) -> bool:
    t = line.text
    if _chrome_re().match(t) or _counter_re().match(t):
        return True
    if len(t) <= 80 and _caption_re().match(t):
        return True  # a photo caption or an issue line: 'ภาพบรรยากาศเวที', 'ปีที่ 3 ฉบับที่ 12'
    if _crumb_head_re().match(t):
        return True  # a breadcrumb ending in the headline: 'เว็บบอร์ด » ร้องทุกข์ » ไฟทางดับ'
    if _BREADCRUMB.search(t):
        parts = _IS_CHROME_RX3.split(t)
        short = all(len(p) <= 30 for p in parts)
        if short and (len(parts) >= 3 or (len(t) <= 80 and not _IS_CHROME_RX8.search(t))):
            return True
    if _SOCIAL.search(t):
        return True
    if _IS_CHROME_RX4.search(t) and _only_dates(t):
        return True
    if len(t) <= 2:
        return True
    if not _IS_CHROME_RX5.search(t):
        return True  # no Thai at all: 'English version', 'Default thumbnail', '3rdMarch', a URL
    if _IS_CHROME_RX1.search(t):
        return True  # a site-profile bar 'สำนักงาน… :: โปรไฟล์'; a letter's salutation
    if len(t) <= 40 and _IS_CHROME_RX6.search(t):
        return True  # glued category tags: 'featuredข่าวกิจกรรม'
    if len(t) <= 60 and _spaced_crumb_re().match(t):
        return True  # a breadcrumb spaced out: 'หน้าแรก   ประชาสัมพันธ์'
    if len(_IS_CHROME_RX7.findall(t)) >= 3:
        return True  # a tagline listing points: 'นโยบายกลุ่ม 1.ออมก่อนใช้ 2.กู้เท่าที่จำเป็น 3.…'
    if _IS_CHROME_RX2.fullmatch(t):
        return True
    if _is_section_label(t) or _READING_META.search(t):
        return True
    return False


# A post's meta line: '- สำนักข่าว / - 2 พ.ค. 2566 / - อ่าน 4 นาที', '5 min read'.
_READING_META = re.compile(r"\b\d+\s*min(?:ute)?s?\s+read\b|อ่าน\s*[\d๐-๙]+\s*นาที", re.I)
# A news site's section label above the headline: 'ข่าวประชาสัมพันธ์', 'ข่าวท้องถิ่น  ลำปาง',
# 'Uncategorized ข่าวจังหวัด', tags glued together 'ข่าวกิจกรรมเทศบาลข่าวเด่น'.
_SECTION_LABEL = re.compile(r"^(?:[A-Za-z]+\s+)?ข่าว[ก-๙.]*(?:\s{1,3}[ก-๙.]+){0,2}$")


def _is_section_label(t: str) -> bool:
    """A short line naming the site's news section (it starts with ข่าว and says nothing more than
    a section and a place) is site chrome, not the headline: 'ข่าวสาธารณสุข' above
    'โรงพยาบาลบ้านโป่งจัดเวทีเล่าเรื่องดีๆ …'."""
    return len(t) <= 40 and bool(_SECTION_LABEL.match(t))


def title(layout: Layout) -> str | None:
    """The first heading-like line after site chrome; None when the text opens with prose.

    Prose: a long sentence, or a dateline such as ``กรุงเทพฯ : วันที่ …``.
    """
    menu = _menu_lines(layout)
    for line in layout.lines:
        if line.blank or _is_chrome(line) or line.index in menu:
            continue
        t = line.text
        if _opens_with_date(t):
            return None  # a dateline or date/time/venue header line opening the prose
        labelled = _title_label_re().match(t)
        if labelled:
            return t[labelled.end() :].strip() or None  # 'ชื่อบล็อก : เวทีออมทรัพย์…'
        if _DATELINE.match(t) or len(t) > 120:
            return None
        if len(t) > 100 and len(re.findall(SPACE, t)) >= 12:
            return None
        return t
    return None


_OPENS_WITH_DATE_RX1 = re.compile(r"(?:เมื่อ)?(?:วัน[ก-๙]*)?(?:ที่|ที)?[\s,]*")


def _opens_with_date(t: str) -> bool:
    """'วันที่ 20 มกราคม 2566 เวลา 13.30 น. ณ …', 'เมื่อวันที่ 7 ก.ค. 2566 สำนักงาน…', '12 มี.ค. 2565 …'."""
    from analysis.extract.dates import find_dates

    found = find_dates(t)
    if not found:
        return False
    lead = t[: found[0].start]
    return bool(_OPENS_WITH_DATE_RX1.fullmatch(lead))


@lru_cache(maxsize=1)
def _title_label_re() -> re.Pattern:
    """A form line that names the page's title: 'ชื่อ บล็อก : …', 'ชื่อเรื่อง: …'."""
    return re.compile(rf"^(?:{alternation(words('title_labels'))}){SPACE}*[:：]{SPACE}*(?=\S)")


# ---------------------------------------------------------------- time range

_CLOCK = r"([0-2]?\d)\s*[.:]\s*([0-5]\d)"
# The range's first hour opens on a digit and checks what stands before it only then (a
# look-behind after that digit): the engine skips every non-digit in C (same matches as a
# look-behind before the hour).
_CLOCK_AFTER_NON_NUMBER = r"(\d(?<![\d.]\d)(?:(?<=[0-2])\d)?)\s*[.:]\s*([0-5]\d)"
_TIME_RANGE = re.compile(
    rf"{_CLOCK_AFTER_NON_NUMBER}\s*(?:น\.?|นาฬิกา)?\s*(?:-|–|—|ถึง|ถึงเวลา|to)\s*(?:เวลา\s*)?"
    rf"{_CLOCK}(?![\d])"
)
_START = re.compile(rf"(?:เริ่ม(?:ประชุม)?|เปิดประชุม)\s*(?:เวลา)?\s*{_CLOCK}")
_STOP = re.compile(rf"(?:เลิกประชุม|ปิดประชุม|เลิก|ปิด)\s*(?:เวลา)?\s*{_CLOCK}")


_REGISTRATION = re.compile(r"ลงทะเบียน[^\n\d]{0,12}$")


def _hhmm(h: str, m: str) -> str | None:
    hour, minute = int(h), int(m)
    if hour > 24 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def time_range(text: str, near: int | None = None) -> str | None:
    """``09.00 – 12.00 น.`` → ``'09:00-12:00'``; a start time alone gives None.

    With `near` (the offset of the session date), the range closest after it wins.
    """
    norm = thai_digits(text)
    found = []
    for m in _TIME_RANGE.finditer(norm):
        if _REGISTRATION.search(norm, max(0, m.start() - 20), m.start()):
            continue  # a registration slot: 'ลงทะเบียน 08.30-09.00 น.'
        a, b = _hhmm(m.group(1), m.group(2)), _hhmm(m.group(3), m.group(4))
        if a and b and a != b:
            found.append((m.start(), f"{a}-{b}"))
    if found:
        if near is not None:
            after = [f for f in found if 0 <= f[0] - near <= 250]
            if after:
                return after[0][1]
        # in a header, the first range; ignore schedule lines later in the text
        return found[0][1]
    s, e = _START.search(norm), _STOP.search(norm)
    if s and e and e.start() > s.start():
        a, b = _hhmm(s.group(1), s.group(2)), _hhmm(e.group(1), e.group(2))
        if a and b and a < b:
            return f"{a}-{b}"
    return None


# ---------------------------------------------------------------- venue


@lru_cache(maxsize=1)
def _venue_start_res() -> tuple[re.Pattern, re.Pattern]:
    """Where a venue begins: after ณ (a word of its own: not ณัฐวุฒิ, ณรงค์), 📍, สถานที่…,
    a clock time's น. on a header line (``13:00-15:30 น. ห้องประชุมชั้น 3 …``), a ที่ before a
    place noun (also glued: ``จัดขึ้นที่ห้องประชุม…``, ``ว่าที่ ศาลา…``, ``ไว้ที่ที่ทำการกลุ่ม…``),
    or ``ใช้ใต้ถุนบ้านผู้ใหญ่เป็นที่ประชุม``.

    Two patterns, the words and the clock time (`_venue_starts` merges their matches): each
    opens on a literal or a character class, so the engine skips in C to the next place one
    can start. A word's look-behinds are written after it, with the word inside them.
    """
    place = alternation(words("venue_place_nouns"))
    # a glued ที่ opens a venue only after a verb of holding or meeting: 'จัดขึ้นที่…', 'นัดกันไว้ที่…'
    strong = alternation(words("venue_strong_places"))  # also after a glued ที่ anywhere
    glued = "".join(f"|(?<={re.escape(v)}ที่)" for v in words("venue_glued_verbs"))
    named = re.compile(
        # ณ at the text's start or after a space or a bracket; ที่ at the start, after a space
        # or after a verb of holding
        rf"ณ(?<![^\s(]ณ)(?:{SPACE}+(?=[ก-๙A-Za-z0-9\"“'‘])|(?=(?:{place})))|📍{SPACE}*"
        rf"|สถานที่(?:จัด(?:งาน|กิจกรรม|ประชุม)?|ประชุม)?{SPACE}*[:：]?{SPACE}*"
        rf"|ที่(?:(?<![^\s]ที่){glued}){SPACE}*(?=(?:{place}))|ที่{SPACE}*(?=(?:{strong}))"
        rf"|ใช้{SPACE}*(?=[^\n]{{3,80}}?เป็น(?:ที่ประชุม|ที่จัด|สถานที่))"
    )
    clock = re.compile(rf"\d\d{SPACE}*น\.?{SPACE}+(?=(?:{strong}))")
    return named, clock


def _venue_starts(text: str, end: int):
    """The matches of both venue-start patterns in text[:end], in order and not overlapping:
    what one pattern holding both as alternatives finds (no place opens both ways)."""
    named, clock = _venue_start_res()
    a, b = named.search(text, 0, end), clock.search(text, 0, end)
    while a or b:
        m = a if b is None or (a is not None and a.start() < b.start()) else b
        yield m
        pos = m.end()
        if a is not None and a.start() < pos:
            a = named.search(text, pos, end)
        if b is not None and b.start() < pos:
            b = clock.search(text, pos, end)


# a bare place noun names no place: '… ที่วัด ตกลงกันว่า…'
_BARE_PLACES = {
    "วัด",
    "บ้าน",
    "ห้อง",
    "ศาลา",
    "อาคาร",
    "โรงเรียน",
    "สำนักงาน",
    "ศูนย์",
    "หอ",
    "ลาน",
    "สวน",
}
_VENUE_STOP = re.compile(
    rf"(?:\n|{GAP}|{SPACE}(?:เวลา|วันที่|โดย|มีผู้|จำนวน|ผู้เข้าร่วม|เพื่อ|ซึ่ง|ระหว่างวันที่|ตั้งแต่|"
    rf"มี{SPACE}|และมี|ร่วมกับ|ได้|นำโดย|ภายใต้|ในวัน|เมื่อ|พร้อม|ผู้แทน|ตัวแทน|กรรมการ|ทีม)"
    rf"|(?:โดยมี|มีผู้เข้าร่วม|จำนวนผู้)|[,;]|{SPACE}?เป็น(?:ที่|สถานที่)|"
    rf"\s+\d{{1,2}}\s*[.:]\s*\d{{2}}|(?<=[ก-๙])(?:เวลา|ตั้งแต่|ซึ่ง))"
)


@lru_cache(maxsize=1)
def _continuer_re() -> re.Pattern:
    return re.compile(rf"^(?:{alternation(words('venue_continuers'))})")


# a word of a place's proper name is kept when the address goes on right after it
# ('โรงแรมโลตัส ปางสวนแก้ว จังหวัดเชียงใหม่', 'โรงแรม ณ ดอย รีสอร์ท อำเภอเมือง')
# a word whose name follows after a space: 'ชั้น 3', 'จังหวัด ลำปาง', 'โรงแรม ณ ภูเขา'
_NAMED_NEXT = re.compile(
    r"อ\.|อำเภอ|ต\.|ตำบล|จ\.|จังหวัด|ชั้น|อาคาร|ตึก|หมู่|ม\.|ถนน|ซอย|เลขที่|โรงแรม|ห้อง|ห้องประชุม"
)
_ADDRESS_NEXT = re.compile(r"^(?:อ\.|อำเภอ|ต\.|ตำบล|จ\.|จังหวัด|รีสอร์ท|Resort|Hotel)")


@lru_cache(maxsize=1)
def _online_re() -> re.Pattern:
    return re.compile(alternation(words("online_markers")), re.I)


def _in_royal_name(word: str) -> bool:
    """A word of a building named for a royal date: 'อาคารเฉลิมพระเกียรติ ๘๔ พรรษา ๕ ธันวาคม ๒๕๕๔'."""
    from analysis.extract.dates import month_number

    return word == "พรรษา" or month_number(word) is not None


_PLACE_PART_RX1 = re.compile(rf"({SPACE}+)")
_PLACE_PART_RX2 = re.compile(r"^\([\d๐-๙]")
_PLACE_PART_RX3 = re.compile(r"^[\d๐-๙A-Za-z(]")
_PLACE_PART_RX4 = re.compile(r"[ก-๙]\.")


def _place_part(value: str) -> str:
    """The place name and its address, up to the space where the sentence moves on.

    After the first word a venue goes on only through address and building parts
    (``ชั้น 3``, ``อาคาร…``, ``อ.เมือง``, ``จังหวัด…``), numbers, abbreviations and Latin words:
    ``ห้องประชุมเขลางค์ สสจ.ลำปาง กลับมาก็ต้องเขียนรายงาน`` → ``ห้องประชุมเขลางค์ สสจ.ลำปาง``.
    """
    parts = _PLACE_PART_RX1.split(value)
    keep = parts[0]
    for i in range(2, len(parts), 2):
        word = parts[i]
        prev = parts[i - 2]
        if _PLACE_PART_RX2.match(word):
            break  # '(๑๗ ก.ย. ๖๗)' after the place is its date, not part of its name
        if not (
            _continuer_re().match(word)
            or _in_royal_name(word)
            or _PLACE_PART_RX3.match(word)
            or _PLACE_PART_RX4.search(word)
            or _NAMED_NEXT.fullmatch(prev)
            or i + 2 < len(parts)
            and _ADDRESS_NEXT.match(parts[i + 2])
        ):
            break
        keep += parts[i - 1] + word
    return keep


_VENUE_RX1 = re.compile(r"[ก-๙A-Za-z]{2}")


def venue(text: str, layout: Layout, near: int | None = None) -> tuple[str | None, int | None]:
    """Where the session was held, as written, without the leading ณ / ที่ / สถานที่.

    ``วันที่ 17 พ.ย. 2548 ณ ห้องสมุดประชาชน`` → ``ห้องสมุดประชาชน``. `ณ` inside a word
    (บูรณาการ, ประมาณ, คุณ) is no venue. Returns (venue, offset).
    """
    body_end = layout.body_end
    cands = []
    for m in _venue_starts(text, body_end):
        start = m.end()
        stop = _VENUE_STOP.search(text, start, min(len(text), start + 200))
        end = stop.start() if stop else min(len(text), start + 200)
        value = text[start:end]
        if value.count(")") > value.count("("):
            value = value[: value.index(")")]  # an aside closing around the venue: '(… ที่ศาลา)'
        value = _place_part(value.strip(' \t\u00a0.:)("“”'))
        if len(value) < 3 or not _VENUE_RX1.search(value) or value in _BARE_PLACES:
            continue
        if _online_re().search(value):
            continue  # an online session has no venue: 'ห้องประชุมออนไลน์ผ่านระบบ Zoom'
        if value.startswith(("คณะกรรมการ", "คณะทำงาน", "คณะผู้")):  # people, not a faculty
            continue
        cands.append((m.start(), value))
    if not cands:
        return None, None
    if near is not None:
        close = [c for c in cands if -120 <= c[0] - near <= 300]
        if close:
            return close[0][1], close[0][0]
    return cands[0][1], cands[0][0]


# ---------------------------------------------------------------- participant count

_NUM = r"(\d{1,3}(?:,\d{3})+|\d+)"
_UNIT = r"(?:คน|ท่าน|ราย|ชีวิต|รูป/คน|คนเศษ)"
_APPROX = (
    r"(?:รวมแล้ว|รวมกัน|กว่า|ประมาณ|ราว(?:ๆ|\s*ๆ)?|เกือบ|รวม(?:ทั้งสิ้น|ทั้งหมด)?|ทั้งสิ้น|ทั้งหมด|จำนวน|ถึง|"
    r"มากกว่า|เกินกว่า|ได้)"
)
_TOTAL = re.compile(
    rf"(?:รวมกัน(?:แล้ว)?|รวมแล้ว|รวมทั้งสิ้น|รวมทั้งหมด|ทั้งสิ้น|รวม)(?:จำนวน)?{SPACE}*(?:ประมาณ|กว่า|ราว|เกือบ)?{SPACE}*$"
)
# _NUM after a non-number, its first digit first (a look-behind after it): see _TIME_RANGE
_COUNT = re.compile(rf"(\d(?<![\d,.]\d)(?:\d{{0,2}}(?:,\d{{3}})+|\d*)){SPACE}*{_UNIT}")
_ATTEND_BEFORE = re.compile(
    r"(?:ผู้เข้าร่วม|ผู้ร่วม|ผู้เข้าประชุม|ผู้มาประชุม|ผู้มาร่วม|เข้าร่วม|ร่วมเวที|ร่วมประชุม|มาร่วม|ร่วมกิจกรรม|"
    r"ผู้เข้ารับการอบรม|ผู้เข้าอบรม|ผู้เข้าสัมมนา|ผู้ร่วมถอดบทเรียน|ผู้ร่วมวง|มีผู้|มีคน|คนมา|มากัน|"
    r"ร่วมแลกเปลี่ยน|ร่วมสัมมนา|ร่วมงาน|ผู้เข้า|คนฟัง|ผู้ฟัง|ผู้มาฟัง|มาฟัง|คนในห้อง|คนในวง|เข้าเรียน|นั่งเต็ม|เข้าฟัง)"
)
_NOT_ATTEND = re.compile(
    r"(?:ลงทะเบียน|สมัคร|เชิญ|คาดว่า|คาดการณ์|เป้าหมาย|กลุ่มเป้าหมาย|สมาชิก(?!มาร่วม|เข้าร่วม|มาประชุม)|ครัวเรือน|ประชากร|ลูกหนี้|"
    r"ผู้กู้|ลูกค้า|ค้างชำระ|ครั้งที่แล้ว|ครั้งก่อน|ครั้งหน้า|ปีที่แล้ว|ทั้งตำบล|ทั้งหมู่บ้าน|หมู่บ้านละ|กลุ่มละ|"
    r"แต่ละ|ผู้สูงอายุ|คนพิการ|ได้รับ|รับสวัสดิการ|ผู้ได้รับ|ทุนการศึกษา|จ้าง|อาสาสมัคร|ชุดละ|แบ่งเป็น|"
    r"กลุ่มย่อย|จะมี|ต้องมี|ควรมี|ไม่เกิน|อย่างน้อย|เหลือ|รับได้|รับจำนวน|รับสมัคร|เป้า)"
)


_PARTICIPANT_COUNT_RX1 = re.compile(rf"{_APPROX}{SPACE}*$")
_PARTICIPANT_COUNT_RX2 = re.compile(rf"{SPACE}*(?:ต่อ|/|ละ|ต่อกลุ่ม|ต่อหมู่บ้าน)")
_PARTICIPANT_COUNT_RX3 = re.compile(
    rf"{SPACE}*(?:เข้าร่วม|มาร่วม|ร่วมเวที|ร่วมประชุม|ร่วมกิจกรรม|มาประชุม|เข้ารับ|เข้าอบรม)"
)


def participant_count(text: str, layout: Layout) -> int | None:
    """The stated head-count of this session: ``จำนวนผู้เข้าร่วม 17 คน`` → 17.

    ``ผู้เข้าร่วมกว่า ๓๐๐ คน`` → 300, ``ประมาณ 60 คน`` → 60, ``1,500 คน``, ``20 ชีวิต``, ``13คน``.
    Counts of members, registrations, invited or expected people, groups and other events are
    not head-counts.
    """
    norm = thai_digits(text)
    best: tuple[float, int] | None = None
    for m in _COUNT.finditer(norm, 0, layout.body_end):
        n = int(m.group(1).replace(",", ""))
        if n <= 1 or n > 100000:
            continue
        line = layout.line_at(m.start())
        before = norm[max(line.begin, m.start() - 50) : m.start()]
        before = before[before.rfind(")") + 1 :]  # a cue before a closing bracket is another clause
        close = norm[max(line.begin, m.start() - 22) : m.start()]
        score = 0.0
        cues = list(_ATTEND_BEFORE.finditer(before))
        if cues:
            score += 3
        if _PARTICIPANT_COUNT_RX1.search(close):
            score += 0.5
        # a non-attendance word between the cue and the number wins: 'มากัน 18 คน จากสมาชิก
        # ทั้งหมด 240 คน' counts members, not attendees
        neg = _NOT_ATTEND.search(close) or (cues and _NOT_ATTEND.search(before[cues[-1].end() :]))
        if neg:
            score -= 4
        after = norm[m.end() : m.end() + 25]
        if _PARTICIPANT_COUNT_RX2.match(after):
            score -= 4
        if m.group(0).endswith("ชีวิต"):
            score += 3
        if _TOTAL.search(close):
            score += 2.5  # 'รวมแล้วประมาณ 15 คน' closes a list of who came
        if _PARTICIPANT_COUNT_RX3.match(after):
            score += 3
        if score >= 2.5:
            cand = (score - m.start() / max(1, len(norm)), n)
            if best is None or cand[0] > best[0]:
                best = cand
    return best[1] if best else None


# ---------------------------------------------------------------- province


THAI = "\u0e01-\u0e4e"
_AMBIGUOUS_PROVINCES = {"เลย", "แพร่", "ตาก", "กระบี่"}


@lru_cache(maxsize=1)
def _provinces() -> tuple[re.Pattern, dict[str, str]]:
    from pythainlp.corpus.common import provinces

    names = {}
    for p in provinces(details=True):
        names[p["name_th"]] = p["name_th"]
    names["กรุงเทพฯ"] = "กรุงเทพมหานคร"
    names["กทม."] = "กรุงเทพมหานคร"
    names["โคราช"] = "นครราชสีมา"
    alt = alternation(names)
    # names that are also everyday words count only after จังหวัด / จ.
    plain = alternation(n for n in names if n not in _AMBIGUOUS_PROVINCES)
    rx = re.compile(rf"(?:จังหวัด|จ\.){SPACE}?({alt})|(?<![{THAI}])({plain})")
    return rx, names


def province(text: str, venue_text: str | None, near: int | None) -> str | None:
    """Canonical name of the province where the session was held, where the text says it.

    Looks in the venue first, then around the session date, then in the text's first part,
    preferring a written ``จังหวัด…``/``จ.…``.
    """
    rx, names = _provinces()

    def first_in(s: str) -> str | None:
        found = [
            (0 if m.group(1) else 1, m.start(), m.group(1) or m.group(2)) for m in rx.finditer(s)
        ]
        if not found:
            return None
        return names[min(found)[2]]

    if venue_text:
        p = first_in(venue_text)
        if p:
            return p
    if near is not None:
        p = first_in(text[max(0, near - 200) : near + 300])
        if p:
            return p
    return first_in(text[:1500])
