"""kind: transcript, summary or other (spec, *kind*).

`other` when the text is not a record of a held session: an agenda or plan (even with a full
date/time/venue header), an announcement or invitation, an interview, a newsletter, a reader's
comment, an opinion piece. Between transcript and summary: transcript when the turns' text
makes up more than half of the body (the text after the title and header lines).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import islice

from analysis.extract.layout import GAP, Layout
from analysis.extract.lexicon import Literals, alternation, lexicon, words
from analysis.record import Turn

_SCHEDULE_LINE = re.compile(
    r"^\(?\d{1,2}\s*[.:]\s*\d{2}\s*(?:น\.?)?\s*(?:-|–|—|ถึง)\s*\d{1,2}\s*[.:]\s*\d{2}"
)
_QA_LINE = re.compile(
    r"^(?:ถาม|ตอบ|Q|A|คำถาม|คำตอบ|ผู้สัมภาษณ์|ผู้ให้สัมภาษณ์)\s*"
    r"(?:\(?[\d๐-๙]+\)?|(?:ที่|ข้อ)\s*[\d๐-๙]+)?\s*[:：.]"
)
_TIMESTAMP_LINE = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")
_QUESTION_LINE = re.compile(r"^(?:ถาม|Q|คำถาม|ผู้สัมภาษณ์)(?![ก-๙])")
_COMMENT_LINE = re.compile(r"^(?:ความคิดเห็นที่|ความเห็นที่|ตอบกลับ|#\d+|\d+\.\s*(?:เขียน|โดย))")
# an upcoming date: '18-19 ก.ค. นี้', '27 พฤศจิกายนนี้', 'วันศุกร์ที่จะถึงนี้'
_UPCOMING = re.compile(r"(?:[ก-ฮ]\.[ก-ฮ]\.|[ก-ฮ]{2}\.[ก-ฮ]\.|ยน|คม|พันธ์)\s?นี้|ที่จะถึงนี้")
_FUTURE = re.compile(
    r"จะจัด|จะมี|จะดำเนินการ|กำหนดจัด|มีกำหนด|ขอเชิญ|เรียนเชิญ|ขอความอนุเคราะห์|โปรดตอบรับ|"
    + _UPCOMING.pattern
)
_PAST = re.compile(
    r"ได้จัด|จัดขึ้น|ได้มีการ|ที่ผ่านมา|เมื่อวันที่|ได้ร่วม|ได้เข้าร่วม|ผู้เข้าร่วม|เริ่มประชุม|ปิดประชุม|"
    r"เลิกประชุม|ที่ประชุม|สรุปผล|ได้ถอดบทเรียน|ถอดบทเรียน|AAR|วงคุย|วงเรียนรู้|ได้ไป|ไปร่วม"
)


@lru_cache(maxsize=1)
def _markers() -> dict[str, re.Pattern]:
    return {k: re.compile(alternation(v)) for k, v in lexicon()["other_markers"].items()}


@lru_cache(maxsize=1)
def _title_re() -> re.Pattern:
    return re.compile(alternation(words("other_title_markers")))


@lru_cache(maxsize=1)
def _design_re() -> re.Pattern:
    return re.compile(rf"^(?:{alternation(words('design_headings'))})\s*[:：]?$")


@lru_cache(maxsize=1)
def _invitation_re() -> re.Pattern:
    return re.compile(alternation(words("invitation_openers")))


@lru_cache(maxsize=1)
def _explainer_re() -> re.Pattern:
    return re.compile(alternation(words("explainer_markers")))


@lru_cache(maxsize=1)
def _media_markers() -> Literals:
    return Literals(words("media_page_markers"))


@lru_cache(maxsize=1)
def _reflection_markers() -> Literals:
    return Literals(words("reflection_markers"))


@lru_cache(maxsize=1)
def _plan_markers() -> Literals:
    """``other_markers.plan``, found in one automaton pass over the whole text (the matches of
    ``_markers()["plan"]``)."""
    return Literals(str(w) for w in lexicon()["other_markers"]["plan"])


@lru_cache(maxsize=1)
def _field_re() -> re.Pattern:
    return re.compile(rf"^(?:{alternation(words('field_labels'))})")


_HEADERISH = re.compile(r"วันที่|วันที|เวลา|(?:^|\s)ณ|สถานที่|ผู้เข้าร่วม|จำนวน|\d+\s*คน|^\d+\.|^[-•]")


_HEADER_LINES_MAX = 15  # a header block is short; slide text wrapped into short lines is body


def body_chars(text: str, layout: Layout, title: str | None = None) -> int:
    """Characters (no whitespace) of the body: after title and header lines, before the footer."""
    lines = [ln for ln in layout.lines if not ln.blank and ln.start < layout.body_end]
    i = 0
    # title and short header lines at the top
    while i < min(len(lines), _HEADER_LINES_MAX):
        t = lines[i].text
        if (
            (i == 0 and t == title)
            or len(t) <= 60
            or _HEADERISH.search(t[:40])
            or _field_re().match(t)
            or re.search(GAP, t)
        ):
            if len(t) > 160 and i > 0:
                break
            i += 1
            continue
        break
    start = lines[i].start if i < len(lines) else layout.body_end
    return _non_space(text[start : layout.body_end])


def _non_space(s: str) -> int:
    """Characters of `s` that are not whitespace (str.split() cuts where \\s matches, without
    building the joined copy a substitution makes)."""
    return sum(map(len, s.split()))


def _heading_lines(layout: Layout, title: str | None, n: int = 8) -> list[str]:
    """The title and the short (heading-like) lines among the first `n` non-blank lines."""
    lines = [ln.text for ln in layout.lines if not ln.blank][:n]
    return ([title] if title else []) + [t for t in lines if len(t) <= 80]


_OTHER_REASON_RX1 = re.compile(r"^(?:หลักสูตร|ร่าง|แผน|ข้อเสนอ|โครงร่าง|TOR)")
_OTHER_REASON_RX2 = re.compile(r"^เรียน\s")


def other_reason(text: str, layout: Layout, title: str | None) -> str | None:
    """Why the text is not a record of a held session (a positive sign), or None.

    The signs (spec, *kind*): it invites or announces (``ขอเชิญร่วมเวที…``, a title opening
    ``ชวนชาวบ้านร่วม…``), it is an agenda, plan or design (heading lines ``วัตถุประสงค์`` and
    ``กลุ่มเป้าหมาย`` over a draft programme, even with a full date/time/venue header), a Q&A page
    put to one person (``คำถาม (1) : …`` lines), a reader's comment thread, a knowledge record
    or list (``บันทึกองค์ความรู้``), an explainer (``ธนาคารความดี คืออะไร``, headings such as
    ``ทำไมต้องออม`` and ``ข้อแนะนำสำหรับสมาชิกใหม่``), an auto-caption dump (timestamp lines) or a
    video page dump. The absence of a date or venue is no such sign.
    """
    lines = [ln.text for ln in layout.lines if not ln.blank]
    head = "\n".join(lines[:6])
    markers = _markers()
    top = (title or "") + "\n" + head
    schedule = sum(1 for t in lines if _SCHEDULE_LINE.match(t))
    qa = sum(1 for t in lines if _QA_LINE.match(t))
    questions = sum(1 for t in lines if _QA_LINE.match(t) and _QUESTION_LINE.match(t))
    counted: dict[str, int] = {}

    def count(rx: re.Pattern) -> int:
        """How often rx occurs in the text, counted once and only when a rule asks."""
        if rx.pattern not in counted:
            counted[rx.pattern] = len(rx.findall(text))
        return counted[rx.pattern]

    # in the title anywhere; in another heading line at its start ('บันทึกองค์ความรู้', 'ร่าง…')
    if (
        title
        and _title_re().search(title)
        or any(_title_re().match(t) for t in _heading_lines(layout, title))
    ):
        return "title"
    if title and _OTHER_REASON_RX1.match(title):
        return "title"  # a curriculum, draft, plan or proposal document
    if title and _invitation_re().match(title) and count(_HELD) < 2:
        return "invitation"  # 'ชวนชาวบ้านร่วมเวทีประชาคม…' calls people to a coming session
    if any(_OTHER_REASON_RX2.match(t) for t in lines[:8]) and _FUTURE.search(text):
        return "letter"
    if markers["agenda"].search(top) or schedule >= 3 and count(_PAST) < 3:
        return "agenda"
    designed = sum(1 for t in lines if _design_re().match(t)) >= 2
    if designed and count(_HELD) < 2:
        return "design"  # objectives + target group (+ programme): a session being planned
    if qa >= 4 or questions >= 3:
        return "interview"
    stamps = sum(1 for t in lines if _TIMESTAMP_LINE.match(t))
    if stamps >= 5 and sum(1 for t in lines if t.isdigit()) >= stamps:
        return "captions"  # an auto-caption dump: '00:14', index and millisecond lines
    if len({m.group(0) for m in _media_markers().finditer(text, 3000)}) >= 2:
        return "media page"  # a video/programme page dump (playlist links, VOD metadata)
    short = [t for t in lines if len(t) <= 60]
    explains = sum(1 for t in short if _explainer_re().search(t))
    if (title and _explainer_re().search(title) or explains >= 2) and count(_HELD) < 2:
        return "explainer"  # 'X คืออะไร', 'ทำไมต้อง…', 'ข้อแนะนำสำหรับ…': explains a practice
    headings = _heading_lines(layout, title)
    if any(markers["web_board"].search(t) for t in headings):
        return "comment"  # a web-board post: a reader's complaint or question
    if sum(1 for t in lines if _COMMENT_LINE.match(t)) >= 2:
        return "comment"
    top_announces = markers["announcement"].search(top)
    if top_announces and count(_PAST) < 3 and (count(_FUTURE) >= 2 or _UPCOMING.search(top)):
        return "announcement"  # invites to a coming session: ขอเชิญ…, '18-19 ก.ค. นี้'
    if _plans_ahead(layout, title, lines):
        return "plan"
    plan_hits = len({m.group(0) for m in _plan_markers().finditer(text)})
    if plan_hits >= 3 and count(_PAST) < 4:
        return "plan"
    return None


_WILL = re.compile(r"จะ(?:เปลี่ยน|ปรับ|จัด|มี|ใช้|เริ่ม|ทดลอง|ลอง)")
_HELD = re.compile(
    r"ได้จัด|จัดขึ้น|เมื่อวัน|ที่ผ่านมา|ได้ร่วม|ได้เข้าร่วม|เมื่อวาน|ได้มีการ|เปิดเวที|ปิดเวที|ปิดประชุม|"
    r"เริ่มประชุม|ได้ไป|ไปร่วม|มากัน|ไปกัน"
)
_ITEM = re.compile(r"^(?:[\d๐-๙]{1,2}[.)]|\([\d๐-๙]{1,2}\)|[-•])")


def _plans_ahead(layout: Layout, title: str | None, lines: list[str]) -> bool:
    """A plan: the opening sentence says what will be done (``ปีนี้เวทีจะเปลี่ยนรูปแบบดังนี้``), a
    list of points follows, and nothing tells of a session already held."""
    i = 1 if title and lines and lines[0] == title else 0
    if i >= len(lines) or not _WILL.search(lines[i][:200]):
        return False
    return sum(1 for t in lines if _ITEM.match(t)) >= 3 and not _HELD.search(layout.text)


def is_reflection(text: str, turns: list[Turn]) -> bool:
    """The writer argues or reflects rather than records: two or more different reflection
    markers outside any speaker's turn (``ผมนั่งทบทวนงานทั้งปี…``, ``ท่านผู้อ่านคิดเห็นอย่างไร``).
    A session recalled inside such a piece does not make it a record."""
    spans = sorted((t.start, t.start + len(t.text)) for t in turns if t.start is not None)
    starts = [a for a, _ in spans]
    found = set()
    for m in _reflection_markers().finditer(text):
        i = bisect_right(starts, m.start()) - 1  # the last turn starting before the marker
        if i < 0 or m.start() >= spans[i][1]:
            found.add(m.group(0))
            if len(found) >= 2:
                return True
    return False


_FIRST_PERSON = re.compile(r"ผม|ดิฉัน|ข้าพเจ้า|ตัวเอง|ส่วนตัว")


def is_opinion(text: str, anchored: bool) -> bool:
    """A reflection in the first person with no session anchored by venue, time or head-count."""
    if anchored:
        return False
    hits = len(_markers()["opinion"].findall(text))
    first = len(_FIRST_PERSON.findall(text)) * 1000 / max(1, len(text))
    return hits >= 2 or first >= 2.5


# at least twenty letters: stops at the twentieth instead of listing every letter of the text
_TWENTY_LETTERS = re.compile(r"(?:[^ก-๙A-Za-z]*+[ก-๙A-Za-z]){20}")


def classify(
    text: str,
    layout: Layout,
    title: str | None,
    turns: list[Turn],
    held_evidence: int,
    anchored: bool = True,
) -> str:
    """The record's kind; `held_evidence` counts signs that a session took place; `anchored`
    says whether a venue, time range or head-count ties the text to one session."""
    if not _TWENTY_LETTERS.match(text):
        return "other"  # no account of anything: an empty or near-empty text
    if other_reason(text, layout, title):
        return "other"
    if not turns and is_opinion(text, anchored) or is_reflection(text, turns):
        return "other"
    speech = sum(_non_space(t.text) for t in turns)
    body = body_chars(text, layout, title)
    if body and speech / body > 0.5:
        return "transcript"
    return "summary"


def held_evidence(text: str, session_date: str | None, venue: str | None, count: int | None) -> int:
    """How many independent signs show that the text records a held session."""
    score = 0
    score += 1 if session_date else 0
    score += 1 if venue else 0
    score += 1 if count else 0
    score += sum(1 for _ in islice(_PAST.finditer(text), 2))  # up to two: no need to count on
    return score if score >= 2 else 0
