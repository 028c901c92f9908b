"""Recommendation conventions of the spec (shared/spec/record-format.md, *recommendations*).

Every example is invented: a text and the recommendation strings expected from it.
"""

from __future__ import annotations

import pytest

from analysis.extract.layout import Layout
from analysis.extract.recommendations import clauses, find_recommendations


def _recs(text: str) -> list[str]:
    return find_recommendations(text, Layout(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        # a clause starts after ว่า even when an abbreviation follows it
        ("ปีนี้กรรมการสรุปต่อว่า กทบ. ไม่ต้องทำทุกเรื่องพร้อมกัน", ["กทบ. ไม่ต้องทำทุกเรื่องพร้อมกัน"]),
        # ... and after a label's colon
        ("สิ่งที่จะนำกลับไปทำ: ตั้ง กทบ. ให้เป็นศูนย์กลาง", ["ตั้ง กทบ. ให้เป็นศูนย์กลาง"]),
        # a space after ๆ is a boundary, a space before it is none
        ("อบต.น่าจะลองตั้งงบเล็ก ๆ ให้กลุ่ม", ["อบต.น่าจะลองตั้งงบเล็ก ๆ"]),
        # a criterion with ต้อง and a Latin letter is one clause
        (
            "กองทุนที่ได้ระดับ C ต้องปรับปรุงการบริหารก่อนจึงจะยื่นขอได้",
            ["กองทุนที่ได้ระดับ C ต้องปรับปรุงการบริหารก่อนจึงจะยื่นขอได้"],
        ),
        # น่าจะ before a proposal verb proposes, also with a year word or a teacher's title
        ("พี่ว่าปีหน้าน่าจะชวนเยาวชนมาช่วยจด", ["พี่ว่าปีหน้าน่าจะชวนเยาวชนมาช่วยจด"]),
        ("อาจารย์น่าจะลองให้ทีมเลือกงานเอง", ["อาจารย์น่าจะลองให้ทีมเลือกงานเอง"]),
        # a number ends its clause before a conjunction or a second cue, not inside a subject
        (
            "ควรกันเงินไว้อย่างน้อยร้อยละ 5 ไม่ควรให้กู้จนหมด",
            ["ควรกันเงินไว้อย่างน้อยร้อยละ 5", "ไม่ควรให้กู้จนหมด"],
        ),
        ("ผู้ที่เคยเข้ารุ่น 1 หรือ 2 ไม่ควรสมัครอีก", ["ผู้ที่เคยเข้ารุ่น 1 หรือ 2 ไม่ควรสมัครอีก"]),
        # ที่ of พื้นที่ (an area) opens no relative clause
        ("การลงพื้นที่ต้องเริ่มจากคำถามของชาวบ้าน", ["การลงพื้นที่ต้องเริ่มจากคำถามของชาวบ้าน"]),
        # a question embedded after ว่า stays part of the proposal
        ("อยากให้ถามสมาชิกก่อนว่าจะเอาไหม", ["อยากให้ถามสมาชิกก่อนว่าจะเอาไหม"]),
    ],
)
def test_clause_spans(text, expected):
    assert _recs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "มติ : ให้ตั้งคณะทำงานสามคน",  # a resolution
        "ที่ประชุมมีมติให้จัดเวทีเดือนหน้า",
        "เขต 2 จึงเห็นควรจัดเวทีอีกครั้ง",  # a decision
        "ชาวบ้านต้องการให้มีตลาดนัดทุกสัปดาห์",  # ต้องการ: to want
        "ต้องนำสมุดมาด้วยหรือเปล่า?",  # questions
        "ทำไมต้องประชุมทุกเดือน",
        "ต้องขอให้ประธานกลุ่มช่วยตอบแทน",  # narrative ต้องขอให้
        "เมื่อปีที่แล้วกลุ่มต้องปิดบัญชีกลางปี",  # a past necessity
        "ชาวบ้านต้องเดินข้ามเขาไปตลาด",  # hardships told
        "บางบ้านต้องซื้อน้ำกินทุกวัน",
        "จะได้ไม่ต้องขอร้องกันทีละคน",  # a consequence
        "เพราะต้องดูแลหลานที่บ้าน",  # a reason
        "ชาวบ้านกังวลว่าจะต้องทำรายงานส่งทุกเดือน",  # a worry
        "คาดว่าปีหน้าน่าจะมีสมาชิกเพิ่มขึ้น",  # forecasts
        "การประชุมใหญ่ครั้งหน้าน่าจะมีคนมามากขึ้น",
        "ยังไม่ได้รับความร่วมมือเท่าที่ควร",
        "ข้อควรรู้",  # section labels holding a cue word
        "สิ่งที่ควรทำต่อ : ติดตามผลทุกเดือน",
        "2.4 ข้อเสนอต่องบปีหน้า : ให้แต่ละหมู่ส่งรายชื่อ",  # an agenda item, no cue in it
        "ใครควรเป็นคนจดบัญชีครับ",  # questions to the room
        "ควรเป็นใครคะ",
        "เขาว่าเราได้โดยไม่ต้องเอ่ยชื่อ",  # 'without having to'
        "เรื่องที่ขอให้อำเภอช่วยมีสามเรื่อง",  # a relative clause
        "เพราะสักวันเราก็ต้องแก่",  # a reason
        "ปีนั้นหลายบ้านต้องไปกู้นอกระบบมาจ่ายค่าเทอม",  # borrowing told
    ],
)
def test_not_recommendations(text):
    assert _recs(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # numbered lines under ข้อเสนอแนะ; a cue line keeps its cue clause, not its objective
        (
            "ข้อเสนอแนะ\n1. จัดเวทีทุกไตรมาส\n2. ควรมีพี่เลี้ยงประจำตำบล เพื่อช่วยดูบัญชี\n\nบรรยากาศวันนั้นสนุกมาก",
            ["จัดเวทีทุกไตรมาส", "ควรมีพี่เลี้ยงประจำตำบล"],
        ),
        # the next number at the heading's level starts another section
        (
            "4. ข้อเสนอแนะ\n4.1 ตั้งกองทุนกลาง\n4.2 ควรมีคนจดบัญชี\n5. งบประมาณที่ใช้\n5.1 ค่าอาหาร 3,000 บาท",
            ["ตั้งกองทุนกลาง", "ควรมีคนจดบัญชี"],
        ),
        # a blank line and an unlisted line end the list
        (
            "สิ่งที่จะนำกลับไปทำ\n- ทำบัญชีครัวเรือน\n\n- ชวนลูกหลานมาจด\n\nข้อสังเกตของผู้เขียน\n\nวันนั้นฝนตก",
            ["ทำบัญชีครัวเรือน", "ชวนลูกหลานมาจด"],
        ),
        # a heading with a note in brackets still heads the list
        (
            "2.3 สิ่งที่จะนำกลับไปทำ (จากแบบประเมินที่ผู้เข้าร่วมเขียนส่งหลังเวที)\n- จดบัญชีทุกคืน\n- ชวนเพื่อนบ้านมาออม",
            ["จดบัญชีทุกคืน", "ชวนเพื่อนบ้านมาออม"],
        ),
        # a programme row ends the list: an agenda lists no recommendations
        (
            "- สิ่งที่จะนำกลับไปทำ\n15.30 - 16.00 น.     ปิดเวที โดย ปลัด อบต.",
            [],
        ),
        # a polite request is no question
        ("ขอความร่วมมือส่งใบสมัครภายในวันศุกร์นี้นะคะ", ["ขอความร่วมมือส่งใบสมัครภายในวันศุกร์นี้นะคะ"]),
        # items under ข้อตกลง are decisions; a cue after the list is read again
        (
            "ข้อตกลงร่วม\n- ประชุมทุกวันที่ 5 ของเดือน\n- ควรแจ้งล่วงหน้าหนึ่งวัน\n\nหลังจากนั้นสมาชิกควรช่วยกันเก็บห้อง",
            ["หลังจากนั้นสมาชิกควรช่วยกันเก็บห้อง"],
        ),
    ],
)
def test_lists(text, expected):
    assert _recs(text) == expected


def test_truncated_excerpt_keeps_its_last_clause():
    assert _recs("ทุกคนเห็นด้วย และอยากให้ อบจ.ช่วยเป็นตัวก") == ["อยากให้ อบจ.ช่วยเป็นตัวก"]


def test_clauses_split_a_long_line_at_every_boundary():
    """A line of 24,000 repeated units splits at each of its cues and list markers (its time
    per KB is measured by bench/extract.py --sweep, not here)."""
    unit = "ควรทำบัญชี ทุกเดือน 1) อยากให้ อบต. ช่วย "
    spans = clauses(unit * 24000)
    assert len(spans) > 24000
