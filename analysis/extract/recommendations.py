"""Recommendations: exact clause-level substrings that propose or require action.

Spec, *recommendations*. A clause starts after the previous boundary space, a line start or a
list marker, and ends before the next boundary space or the line end. A space is no boundary
when it touches an abbreviation, a number or a Latin word, or comes before ``ๆ``; two or more
spaces always are. Lines under a ``ข้อเสนอแนะ`` / ``สิ่งที่จะนำกลับไปทำ`` heading are taken whole.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

from analysis.extract.layout import SPACE, Layout
from analysis.extract.lexicon import alternation, words

# Each alternative opens on its cue word and looks behind it from there (a look-behind on the
# word's start, written after the word, with the word inside it): the pattern then opens on a
# literal, the engine skips in C to the next place one of the words starts and tries the
# look-behinds only there (same matches as the look-behinds written before the word).
_CUE = re.compile(
    r"ควร(?<!เท่าที่ควร)(?<!สมควร)(?<!เห็นควร)(?!ค่า)"
    r"|ต้อง(?<!ถูกต้อง)(?<!จำต้อง)(?<!จับต้อง)(?<!จนต้อง)(?<!(?<!หน้า)(?<!พื้น)ที่ต้อง)(?<!ทีไรต้อง)"
    r"(?<!เลยต้อง)(?<!ถึงต้อง)(?<!มักต้อง)(?<!เพราะต้อง)(?<!จะได้ไม่ต้อง)(?<!ไม่ได้ต้อง)(?<!โดยไม่ต้อง)"
    r"(?!การ)(?!ขอขอบ)(?!ขอบคุณ)(?!ขออภัย)(?!ยอมรับ)(?!ใช้เวลา)(?!ขอให้)"
    r"|จำเป็นต้อง(?!การ)"
    r"|ขอให้(?<!ถูกขอให้)(?<!ต้องขอให้)(?<!ที่ขอให้)|ขอความร่วมมือ|อยากให้|อยากจะให้"
    r"|น่าจะ"
)


def _has_stem(text: str) -> bool:
    """Whether `text` holds ควร, ต้อง, ขอ, อยาก or น่าจะ, one of which every cue above holds: five
    substring tests (in C) rule most lines and clauses out before the cue pattern runs at all
    (written out: a generator per call cost more than the tests)."""
    return "ควร" in text or "ต้อง" in text or "ขอ" in text or "อยาก" in text or "น่าจะ" in text


def _has_cue(text: str) -> bool:
    """Whether `text` holds a cue word: 'ควรเชิญ อบต. มาด้วย' → True, 'ต้องการน้ำ' → False."""
    return _has_stem(text) and _CUE.search(text) is not None


_LIST_MARKER = re.compile(
    r"^(?:\d{1,2}\.\d{1,2}\.?|\(?\d{1,2}[.)]|\(?[ก-ฮ][.)]|[-•*·–▪►o])[ \t\u00a0]*"
)
_RESOLUTION = re.compile(r"^(?:มติ|ที่ประชุมมีมติ|ที่ประชุมเห็นชอบ|ที่ประชุมรับทราบ|ที่ประชุมอนุมัติ|เพื่อ|วัตถุประสงค์)")


@lru_cache(maxsize=1)
def _res() -> dict[str, re.Pattern]:
    headings = alternation(words("recommendation_headings"))
    conj = alternation(words("leading_conjunctions"))
    proposal = alternation(words("proposal_verbs_after_najah"))
    return {
        "heading": re.compile(
            rf"^(?:[^\w\s]{{1,3}}\s*)?(?:\d+(?:\.\d+)*[.)]?\s*)?(?P<h>{headings})[^\n:：(]{{0,30}}?"
            rf"(?:{SPACE}*\([^()\n]{{0,80}}\))?(?:[:：]|{SPACE}{{2,}}|$)(?P<rest>.*)$"
        ),
        "conj": re.compile(rf"^(?:{conj})(?!ละ)(?=[ก-๙A-Za-z])"),
        "proposal": re.compile(rf"^(?:ต้อง|จะ)?(?:{proposal})"),
        # words that open a new clause after a number
        "opener": re.compile(rf"(?P<conj>{conj})|ไม่ควร|ควร|ต้อง|ขอให้|อยากให้|ไม่อยากให้|ขอความร่วมมือ"),
        "hardship": re.compile(
            rf"(?:{alternation(words('hardship_subjects'))})[^\s]{{0,25}}?(?:ก็|จึง)?ต้อง"
            rf"(?:{alternation(words('hardship_verbs'))})"
        ),
        "resolution_heading": re.compile(
            rf"^(?:\d+(?:\.\d+)*[.)]?\s*)?(?:{alternation(words('resolution_headings'))})"
        ),
    }


_ABBR_END = re.compile(r"(?:[ก-ฮ]{1,4}\.(?:[ก-ฮ]{1,3}\.)*|[A-Za-z0-9๐-๙][A-Za-z0-9๐-๙.%,\-]*|ฯ)$")
_ABBR_START = re.compile(r"(?:[ก-ฮ]{1,4}\.(?:[ก-ฮ]{1,3}\.)*|[A-Za-z0-9๐-๙]|ๆ)")
# The characters `_ABBR_END` and `_NUMBER_END` can end on (a newline too: ``$`` also matches
# before a final one): a space after any other character is tested without a search.
_DIGIT_CHARS = "0123456789๐๑๒๓๔๕๖๗๘๙"
_NUMBER_LAST = frozenset(_DIGIT_CHARS + "\n")
_ABBR_LAST = frozenset(
    _DIGIT_CHARS + ".ฯ%,-\n" + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)


def _is_boundary(line: str, i: int, j: int, start: int = 0) -> bool:
    """Whether the run of spaces line[i:j] separates two clauses (the current one began at
    `start`)."""
    if j - i >= 2:
        return True
    if line.startswith("ๆ", j):
        return False
    if line.endswith(("ว่า", ":", "："), 0, i):
        return True  # 'สรุปต่อว่า กทบ. ไม่ต้อง…': a clause starts after ว่า or a label colon
    last = line[i - 1 : i]
    if (
        last in _NUMBER_LAST
        and _NUMBER_END.search(line, max(0, i - 12), i)
        and _number_ends_clause(line, i, j, start)
    ):
        return True  # a number ends its clause: '…ร้อยละ 10 ไม่ควร…', '…ปี 2560 และโครงการ…'
    # look only at the words touching the space (a window, not the whole line before it)
    if last in _ABBR_LAST and _ABBR_END.search(line, max(0, i - 30), i):
        return False
    if _ABBR_START.match(line, j):
        return False
    return True


_NUMBER_END = re.compile(r"[0-9๐-๙]$")


_NUMBER_ENDS_CLAUSE_RX1 = re.compile(r"\s*[0-9๐-๙]")


def _number_ends_clause(line: str, i: int, j: int, start: int) -> bool:
    """After a number, a conjunction before a word (not '1 และ 2') or a second cue (the clause
    already holds one: 'ควรกันไว้ร้อยละ 10 ไม่ควร…', not 'รุ่นที่ 2 ไม่ควรสมัคร') opens a clause."""
    m = _res()["opener"].match(line, j)
    if not m:
        return False
    if m.group("conj"):
        return not _NUMBER_ENDS_CLAUSE_RX1.match(line[m.end() : m.end() + 3])
    return bool(_CUE.search(line, start, i))


_MARKER_AT = re.compile(_LIST_MARKER.pattern[1:])  # a list marker at a given position
_NUMBER_AT = re.compile(r"\(?\d{1,2}[.)]")
_GLUED_NUMBER = re.compile(r"\(?\d{1,2}\)")


_CLAUSES_RX1 = re.compile(rf"{SPACE}+")


def clauses(line: str) -> list[tuple[int, int]]:
    """Clause spans of one line (offsets into the line).

    Linear in the line: every test looks at a position or a short window, never at a copy of the
    rest of the line (a 1 MB line without a break costs one pass).
    """
    spans = []
    start = 0
    m0 = _LIST_MARKER.match(line)
    if m0:
        start = m0.end()
    for m in _CLAUSES_RX1.finditer(line):
        if m.start() <= start:
            continue
        if _is_boundary(line, m.start(), m.end(), start):
            spans.append((start, m.start()))
            start = m.end()
            lm = _MARKER_AT.match(line, start)
            if lm and _NUMBER_AT.match(line, start):
                start = lm.end()
    spans.append((start, len(line)))
    out = []
    for a, b in spans:
        # a list marker glued to the next clause: '2)ทำแล้ว…'
        lm = _GLUED_NUMBER.match(line, a, b)
        if lm:
            a = lm.end()
        if b > a:
            out.append((a, b))
    return out


# Words that make น่าจะ a forecast ('ปีนี้งบก็น่าจะลดลงอีก'), not a proposal.
_FORECAST = re.compile(r"ลดลง|เพิ่มขึ้น|มากขึ้น|น้อยลง|ดีขึ้น|อีกราว|ประมาณ|ราว ๆ|ราวๆ|คงจะ")
# A programme row ('14.45 - 16.00 น.  สรุปบทเรียน') ends a list: agendas list no recommendations.
_SCHEDULE = re.compile(r"\d{1,2}[.:]\d{2}\s*[-–]\s*\d{1,2}[.:]\d{2}")
_PAST = re.compile(r"เมื่อ(?:ปี|วาน|เดือน|ก่อน|ครั้ง|ตอน)|ที่แล้ว|ปีก่อน|ตอนนั้น|สมัยก่อน|เคย")
# A question is no proposal: 'ทำไมต้องประชุมทุกเดือน', 'ต้องนำสมุดมาด้วยหรือเปล่า?'
#
# Every alternative opens on a literal (look-behinds written after their word), so the engine
# skips in C to the places one can start; same alternatives in the same order as
# [?？]|^ทำไม|ทำไม(?:ต้อง|ควร)|(?:ไหม|มั้ย|หรือเปล่า|หรือยัง|อย่างไร|ยังไง)(?:คะ|ครับ|ค่ะ)?$
# |(?:ใคร|อะไร|ไหน)\S*(?:ครับ|คะ)$|(?<!นะ)(?<!จ้ะ)คะ$|หรือใคร$
_QUESTION = re.compile(
    "|".join(
        [r"\?", "？", r"ทำไม(?<![\s\S]ทำไม)", "ทำไม(?:ต้อง|ควร)"]
        + [rf"{w}(?:คะ|ครับ|ค่ะ)?$" for w in ("ไหม", "มั้ย", "หรือเปล่า", "หรือยัง", "อย่างไร", "ยังไง")]
        + [rf"{w}\S*(?:ครับ|คะ)$" for w in ("ใคร", "อะไร", "ไหน")]
        + ["คะ(?<!นะคะ)(?<!จ้ะคะ)$", "หรือใคร$"]
    )
)
# A label that holds a cue word names a section, it proposes nothing: 'ข้อควรรู้', 'สิ่งที่ควรทำต่อ :'
_CUE_LABEL = re.compile(r"^(?:ข้อ|สิ่งที่|ประเด็นที่|เรื่องที่|แนวทางที่|คำถามที่)(?:ควร|ต้อง)")


def _earliest_end(rx: re.Pattern, text: str) -> int | None:
    """The least E for which ``rx.search(text, 0, E)`` finds a match (None if none does).

    For a pattern without look-arounds or anchors a match that fits in ``text[:E]`` fits in any
    longer prefix, so "rx occurs before offset k" is ``earliest_end <= k``: one search and a
    bisection inside its match, instead of a search of the text's start for every k.
    """
    m = rx.search(text)
    if m is None:
        return None
    lo, hi = m.start(), m.end()  # no match starts before m.start(); one ends at m.end()
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if rx.search(text, m.start(), mid):
            hi = mid
        else:
            lo = mid
    return hi


_FEAR = re.compile(r"คาดว่า|กังวลว่า|กลัวว่า|ห่วงว่า")
# 'อาจ' but not 'อาจารย์': the look-ahead would break `_earliest_end`, and it is only asked
# right before น่าจะ, whose น is none of ารย์, so the whole clause may be read instead of its start
_GUESS = re.compile(r"(?=(คาดการณ์|คง|อาจ(?!ารย์)))")
_BORROW = re.compile(r"(?:ไป)?กู้")
_SPACES = re.compile(r"[ \u00a0]*")


class _Clause:
    """A clause whose cue words are tested one after the other: each pattern that rules a cue
    out by what stands before it is searched once in the clause, not in the clause's start
    again for every cue (a text without spaces is one clause holding every cue of the text)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._ends: dict[object, int | None] = {}

    def _end(self, key: object) -> int | None:
        if key not in self._ends:
            if key is _GUESS:
                ends = [m.start() + len(m.group(1)) for m in _GUESS.finditer(self.text)]
                self._ends[key] = min(ends, default=None)
            elif isinstance(key, str):
                at = self.text.find(key)
                self._ends[key] = None if at < 0 else at + len(key)
            else:
                self._ends[key] = _earliest_end(key, self.text)
        return self._ends[key]

    def before(self, key: re.Pattern | str, k: int) -> bool:
        """Whether the pattern (or the word) occurs in the clause before offset k."""
        end = self._end(key)
        return end is not None and end <= k

    @cached_property
    def forecast(self) -> bool:
        return _FORECAST.search(self.text) is not None


def _is_cue(clause: _Clause, m: re.Match) -> bool:
    """Whether a cue word proposes or requires action here.

    Not: a forecast ('คาดว่า…น่าจะ'), what something made people do ('ทำให้…ต้อง'), a worry
    ('กังวลว่า…จะต้อง'), a hardship told ('ชาวบ้านต้องเดินข้ามเขาไปตลาด'), น่าจะ as 'probably'.
    Each test reads a position or a pattern found once per clause, never a copy of the clause
    before or after the cue.
    """
    cue, text, at = m.group(0), clause.text, m.start()
    if clause.before(_FEAR, at):
        return False  # a forecast or a fear: 'คาดว่า … น่าจะต้อง …'
    if cue.endswith("ต้อง") and clause.before("ทำให้", at):
        return False  # what something made people do: 'ทำให้ชาวบ้านต้องเข้าประชุม…'
    if text.startswith("เพราะ", 0, at) and not text.startswith("เพราะฉะนั้น", 0, at):
        return False  # a reason given: 'เพราะวันหนึ่งทุกคนก็ต้อง…'
    if cue.endswith("ต้อง") and _BORROW.match(text, m.end()):
        return False  # borrowing told ('ต้องไปกู้นอกระบบมาคืน'), never proposed
    if cue.endswith("ต้อง") and clause.before(_PAST, at):
        return False  # a past necessity: 'เมื่อปีที่แล้วกลุ่มต้องปิดบัญชีกลางปี'
    if cue.endswith("ต้อง") and clause.before(_res()["hardship"], m.end() + 12):
        return False
    if cue != "น่าจะ":
        return True
    if clause.before(_GUESS, at):
        return False
    if not _at()["proposal"].match(text, _SPACES.match(text, m.end()).end()):
        return False
    return not clause.forecast


@lru_cache(maxsize=1)
def _at() -> dict[str, re.Pattern]:
    """`_res` patterns that open with ``^``, without it: matched at a position of a clause."""
    return {k: re.compile(_res()[k].pattern[1:]) for k in ("conj", "proposal")}


def _strip_lead(clause: str) -> str:
    pos = 0
    while m := _at()["conj"].match(clause, pos):
        pos = _SPACES.match(clause, m.end()).end()
    return clause[pos:]


def _cue_clauses(line: str) -> list[str]:
    """The clauses of a line that propose or require action (spec: the whole clause holding a
    cue, leading conjunctions left out)."""
    out: list[str] = []
    if not _has_cue(line):
        return out
    for a, b in clauses(line):
        clause = line[a:b]
        if not _has_stem(clause):
            continue  # most clauses of a line hold none of the cue words
        cues = list(_CUE.finditer(clause))
        if not cues or _RESOLUTION.match(clause) or _question(clause):
            continue
        if _CUE_LABEL.match(clause) and (
            len(clause) <= 40 and b == len(line) or _labelled(line, b)
        ):
            continue  # 'ข้อควรรู้', 'สิ่งที่ควรทำต่อ :' name a section
        held = _Clause(clause)
        if any(_is_cue(held, m) for m in cues):
            out.append(_strip_lead(clause))
    return out


_NUMBER_RX1 = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?(?=[\s\u00a0])")


def _number(line: str) -> tuple[str, ...]:
    """The dotted number a line opens with: '3.' → ('3',), '2.6' → ('2', '6'); () if none."""
    m = _NUMBER_RX1.match(line)
    return tuple(m.group(1).split(".")) if m else ()


def _sibling(line: str, heading: tuple[str, ...]) -> bool:
    """Whether a line is numbered as the next section at the heading's level ('5.' after '4.
    ข้อเสนอแนะ', '2.7' after '2.6 ข้อเสนอแนะ')."""
    n = _number(line)
    return bool(heading) and len(n) == len(heading) and n[:-1] == heading[:-1] and n != heading


def _question(clause: str) -> bool:
    """A question proposes nothing ('ทำไมต้องประชุมทุกเดือน', 'ต้องนำสมุดมาด้วยหรือเปล่า?'); a question
    embedded after ว่า is part of a proposal ('อยากให้ถามสมาชิกก่อนว่าจะเอาไหม')."""
    m = _QUESTION.search(clause.rstrip(" )"))
    embedded = m and not m.group(0).startswith(("?", "？", "ทำไม")) and "ว่า" in clause[: m.start()]
    return bool(m) and not embedded


_LABEL_COLON = re.compile(r"[ \t\u00a0]*[:：]")


def _labelled(line: str, end: int) -> bool:
    return _LABEL_COLON.match(line, end) is not None


_FIND_RECOMMENDATIONS_RX1 = re.compile(r"\d")
_FIND_RECOMMENDATIONS_RX2 = re.compile("[”\"’']")
_FIND_RECOMMENDATIONS_RX3 = re.compile("[“\"‘']")
_FIND_RECOMMENDATIONS_RX4 = re.compile(r"[:：]")


def find_recommendations(text: str, layout: Layout) -> list[str]:
    """Recommendation strings in order of appearance, each once.

    Lines under a ``ข้อเสนอแนะ`` / ``สิ่งที่จะนำกลับไปทำ`` heading are recommendations (the clauses
    holding a cue, or the whole line when it has none); items under ``ข้อตกลง`` / ``มติ`` are
    decisions and are skipped; elsewhere the clauses that hold a cue word.
    """
    found: list[str] = []
    seen: set[str] = set()

    def add(s: str) -> None:
        s = s.strip(" \t\u00a0,;:")
        if s[:1] in "“\"‘'" and not _FIND_RECOMMENDATIONS_RX2.search(s[1:]):
            s = s[1:]
        if s[-1:] in "”\"’'" and not _FIND_RECOMMENDATIONS_RX3.search(s[:-1]):
            s = s[:-1]
        if s[:1] in '“"‘' and s[-1:] in '”"’':
            return  # a quoted phrase reported as said, not a proposal of this text
        if len(s) >= 4 and s not in seen:
            seen.add(s)
            found.append(s)

    number: tuple[str, ...] = ()  # the heading's own number ('4. ข้อเสนอแนะ' → ('4',))
    section = None  # "list" under a recommendation heading, "decisions" under ข้อตกลง / มติ
    was_blank = False
    items = 0
    for ln in layout.lines:
        if ln.start >= layout.body_end:
            break
        t = ln.text
        if not t:
            was_blank = True
            continue
        blank_before, was_blank = was_blank, False
        h = _res()["heading"].match(t)
        if h and len(t) <= 120:
            section, items = "list", 0
            number = _number(t)
            rest = _LIST_MARKER.sub("", h.group("rest").strip(" \t\u00a0:：-"), count=1)
            numbered = _FIND_RECOMMENDATIONS_RX1.match(
                t
            )  # an agenda item '2.4 ข้อเสนอต่องบปีหน้า : ให้…'
            if rest and (not numbered or _has_cue(rest)):
                for r in _cue_clauses(rest) or [rest]:
                    add(r)
                items += 1
            continue
        if (
            _res()["resolution_heading"].match(t)
            and not _LIST_MARKER.match(t)
            and len(t) <= 80
            and not _has_cue(t)
        ):
            section, items, number = "decisions", 0, ()
            continue
        if section:
            listed = _LIST_MARKER.match(t) is not None
            ended = blank_before and not listed and (items > 0 or section == "decisions")
            # a numbered line at the heading's own level starts the next section ('5. งบประมาณ…')
            ended = ended or _is_section_label(t) or _sibling(t, number) or _SCHEDULE.match(t)
            if ended or _FIND_RECOMMENDATIONS_RX4.search(t[:40]) or len(t) > 200 or "มติ" in t:
                section = None
            elif section == "decisions":
                items += 1
                continue
            else:
                line = _LIST_MARKER.sub("", t, count=1)
                for r in _cue_clauses(line) or [line]:
                    add(r)
                items += 1
                continue
        if not _has_cue(t):
            continue  # no cue on the line: no clause of it can be a recommendation
        if _RESOLUTION.match(_LIST_MARKER.sub("", t, count=1)):
            continue
        for r in _cue_clauses(t):
            add(r)
    return found


_SECTION = re.compile(
    r"^(?:\d+[.)]\s*)?(?:สิ่งที่|บทเรียน|ปัจจัย|ปัญหา|อุปสรรค|ข้อค้นพบ|สรุป|ประเด็น|ช่วง|ระเบียบวาระ|วาระ|"
    r"มติ|ปิดประชุม|เลิกประชุม|ผู้บันทึก|ผู้จดบันทึก|บันทึกโดย|ลงชื่อ|ความรู้สึก|ภาพ|ตัวชี้วัด|ผลที่คาดว่า|"
    r"งบประมาณ|กำหนดการ|หมายเหตุ|ภาคผนวก|ติดต่อ|นัด|ปิดวง|ปิดเวที|ปิดงาน)"
)


def _is_section_label(t: str) -> bool:
    return bool(_SECTION.match(t)) and len(t) <= 80
