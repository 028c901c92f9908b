"""Recommendations: exact clause-level substrings that propose or require action.

Spec, *recommendations*. A clause starts after the previous boundary space, a line start or a
list marker, and ends before the next boundary space or the line end. A space is no boundary
when it touches an abbreviation, a number or a Latin word, or comes before ``ๆ``; two or more
spaces always are. Lines under a ``ข้อเสนอแนะ`` / ``สิ่งที่จะนำกลับไปทำ`` heading are taken whole.
"""

from __future__ import annotations

import re
from functools import lru_cache

from analysis.extract.layout import SPACE, Layout
from analysis.extract.lexicon import alternation, words

_CUE = re.compile(
    r"(?<!เท่าที่)(?<!สม)ควร(?!ค่า)"
    r"|(?<!ถูก)(?<!จำ)(?<!จับ)(?<!จน)(?<!(?<!หน้า)ที่)(?<!ทีไร)(?<!เลย)(?<!ถึง)(?<!มัก)ต้อง(?!การ)(?!ขอขอบ)(?!ขอบคุณ)(?!ขออภัย)(?!ยอมรับ)(?!ใช้เวลา)"
    r"|จำเป็นต้อง(?!การ)"
    r"|(?<!ถูก)ขอให้|ขอความร่วมมือ|อยากให้|อยากจะให้"
    r"|น่าจะ"
)
_LIST_MARKER = re.compile(
    r"^(?:\(?\d{1,2}[.)]|\(?[ก-ฮ][.)]|[-•*·–▪►o]|\d{1,2}\.\d{1,2}\.?)[ \t\u00a0]*"
)
_RESOLUTION = re.compile(r"^(?:มติ|ที่ประชุมมีมติ|ที่ประชุมเห็นชอบ|ที่ประชุมรับทราบ|ที่ประชุมอนุมัติ|เพื่อ|วัตถุประสงค์)")


@lru_cache(maxsize=1)
def _res() -> dict[str, re.Pattern]:
    headings = alternation(words("recommendation_headings"))
    conj = alternation(words("leading_conjunctions"))
    proposal = alternation(words("proposal_verbs_after_najah"))
    return {
        "heading": re.compile(
            rf"^(?:[^\w\s]{{1,3}}\s*)?(?:\d+(?:\.\d+)*[.)]?\s*)?(?P<h>{headings})[^\n:：]{{0,30}}?(?:[:：]|{SPACE}{{2,}}|$)(?P<rest>.*)$"
        ),
        "conj": re.compile(rf"^(?:{conj})(?!ละ)(?=[ก-๙A-Za-z])"),
        "proposal": re.compile(rf"^(?:ต้อง|จะ)?(?:{proposal})"),
    }


_ABBR_END = re.compile(r"(?:[ก-ฮ]{1,4}\.(?:[ก-ฮ]{1,3}\.)*|[A-Za-z0-9๐-๙][A-Za-z0-9๐-๙.%,\-]*|ฯ)$")
_ABBR_START = re.compile(r"(?:[ก-ฮ]{1,4}\.(?:[ก-ฮ]{1,3}\.)*|[A-Za-z0-9๐-๙]|ๆ)")


def _is_boundary(line: str, i: int, j: int) -> bool:
    """Whether the run of spaces line[i:j] separates two clauses."""
    if j - i >= 2:
        return True
    if line.startswith("ๆ", j):
        return False
    # look only at the words touching the space (a window, not the whole line before it)
    if _ABBR_END.search(line, max(0, i - 30), i) or _ABBR_START.match(line, j):
        return False
    return True


def clauses(line: str) -> list[tuple[int, int]]:
    """Clause spans of one line (offsets into the line)."""
    spans = []
    start = 0
    m0 = _LIST_MARKER.match(line)
    if m0:
        start = m0.end()
    for m in re.finditer(rf"{SPACE}+", line):
        if m.start() <= start:
            continue
        if _is_boundary(line, m.start(), m.end()):
            spans.append((start, m.start()))
            start = m.end()
            lm = _LIST_MARKER.match(line[start:])
            if lm and re.match(r"^\(?\d{1,2}[.)]", line[start:]):
                start += lm.end()
    spans.append((start, len(line)))
    out = []
    for a, b in spans:
        # a list marker glued to the next clause: '2)ทำแล้ว…'
        lm = re.match(r"^\(?\d{1,2}\)", line[a:b])
        if lm:
            a += lm.end()
        if b > a:
            out.append((a, b))
    return out


# Words that make น่าจะ a forecast ('ปีนี้งบก็น่าจะลดลงอีก'), not a proposal.
_FORECAST = re.compile(r"ลดลง|เพิ่มขึ้น|ปีนี้|ปีหน้า|เดือนหน้า|อีกราว|ประมาณ|ราว ๆ|ราวๆ|ก็น่าจะ|คงจะ")


def _is_cue(clause: str, m: re.Match) -> bool:
    cue = m.group(0)
    before = clause[: m.start()]
    if "คาดว่า" in before:
        return False  # a forecast: 'คาดว่า … น่าจะต้อง …'
    if cue.endswith("ต้อง") and "ทำให้" in before:
        return False  # what something made people do: 'ทำให้ชาวบ้านต้องเข้าประชุม…'
    if cue != "น่าจะ":
        return True
    if re.search(r"คาดว่า|คาดการณ์|คง|อาจ", before) or _FORECAST.search(clause):
        return False
    after = clause[m.end() :].lstrip(" \u00a0")
    return bool(_res()["proposal"].match(after))


def _strip_lead(clause: str) -> str:
    out = clause
    while True:
        m = _res()["conj"].match(out)
        if not m:
            return out
        out = out[m.end() :].lstrip(" \u00a0")


def find_recommendations(text: str, layout: Layout) -> list[str]:
    """Recommendation strings in order of appearance, each once."""
    found: list[str] = []
    seen: set[str] = set()

    def add(s: str) -> None:
        s = s.strip(" \t\u00a0,;:")
        if s[:1] in "“\"‘'" and not re.search("[”\"’']", s[1:]):
            s = s[1:]
        if s[-1:] in "”\"’'" and not re.search("[“\"‘']", s[:-1]):
            s = s[:-1]
        if s[:1] in '“"‘' and s[-1:] in '”"’':
            return  # a quoted phrase reported as said, not a proposal of this text
        if len(s) >= 4 and s not in seen:
            seen.add(s)
            found.append(s)

    under_heading = False
    prev_blank = False
    items = 0
    for ln in layout.lines:
        if ln.start >= layout.body_end:
            break
        t = ln.text
        if not t:
            prev_blank = True
            continue
        h = _res()["heading"].match(t)
        if h and len(t) <= 120:
            under_heading = True
            items = 0
            prev_blank = False
            rest = h.group("rest").strip(" \t\u00a0:：-")
            if rest:
                add(_LIST_MARKER.sub("", rest, count=1))
                items += 1
            continue
        prev_blank = False
        if under_heading:
            listed = _LIST_MARKER.match(t) is not None
            gap = prev_blank and not listed and items > 0
            if (
                gap
                or _is_section_label(t)
                or re.search(r"[:：]", t[:40])
                or len(t) > 200
                or "มติ" in t
            ):
                under_heading = False
            else:
                add(_LIST_MARKER.sub("", t, count=1))
                items += 1
                prev_blank = False
                continue
        if _RESOLUTION.match(_LIST_MARKER.sub("", t, count=1)):
            continue
        if not _CUE.search(t):
            continue  # no cue on the line: no clause of it can be a recommendation
        for a, b in clauses(t):
            clause = t[a:b]
            if _RESOLUTION.match(clause):
                continue
            if any(_is_cue(clause, m) for m in _CUE.finditer(clause)):
                add(_strip_lead(clause))
    return found


_SECTION = re.compile(
    r"^(?:\d+[.)]\s*)?(?:สิ่งที่|บทเรียน|ปัจจัย|ปัญหา|อุปสรรค|ข้อค้นพบ|สรุป|ประเด็น|ช่วง|ระเบียบวาระ|วาระ|"
    r"มติ|ปิดประชุม|เลิกประชุม|ผู้บันทึก|ผู้จดบันทึก|บันทึกโดย|ลงชื่อ|ความรู้สึก|ภาพ|ตัวชี้วัด|ผลที่คาดว่า|"
    r"งบประมาณ|กำหนดการ|หมายเหตุ|ภาคผนวก|ติดต่อ|นัด|ปิดวง|ปิดเวที|ปิดงาน)"
)


def _is_section_label(t: str) -> bool:
    return bool(_SECTION.match(t)) and len(t) <= 80
