"""Whole-record behaviour of the extractor: kind, agencies in context, derived fields."""

import pytest

from analysis import codebook
from analysis.extract import extract

HEADER = "วันที่ 5 มีนาคม 2556 เวลา 09.00 - 12.00 น. ณ ศาลาประชาคมบ้านนา จังหวัดน่าน\nผู้เข้าร่วม 30 คน\n"


@pytest.mark.parametrize(
    "text, kind",
    [
        (
            "กำหนดการเวทีถอดบทเรียนกองทุนหมู่บ้าน\n" + HEADER + "08.30 - 09.00 น. ลงทะเบียน\n"
            "09.00 - 10.00 น. แลกเปลี่ยน\n10.00 - 12.00 น. สรุป\n",
            "other",
        ),
        (
            "หนังสือเชิญประชุม\nเรียน ประธานกองทุนหมู่บ้านทุกแห่ง\nขอเชิญเข้าร่วมเวทีที่จะจัดขึ้น"
            "ในวันที่ 5 มี.ค. 2556 จึงเรียนมาเพื่อโปรดพิจารณา\n",
            "other",
        ),
        (
            "สัมภาษณ์ประธานกลุ่มออมทรัพย์\nถาม : เริ่มกลุ่มอย่างไร\nตอบ : เริ่มจากสิบคน\n"
            "ถาม : ปัญหาคืออะไร\nตอบ : หนี้\n",
            "other",
        ),
        (
            "ถอดบทเรียนกลุ่มออมทรัพย์\n" + HEADER + "ประธาน : วันนี้เรามาทบทวนเรื่องการออม"
            "ของกลุ่มกันครับ ใครอยากเล่าก่อน\nป้าสมศรี : ป้าออมมาสิบปีแล้ว ได้ใช้ตอนลูกเรียน"
            " กลุ่มช่วยได้มากจริง ๆ ค่ะ\n",
            "transcript",
        ),
        (
            "สรุปเวทีกลุ่มออมทรัพย์\n" + HEADER + "เวทีครั้งนี้ผู้เข้าร่วมได้ทบทวนการออมของกลุ่ม"
            "ตลอดปีที่ผ่านมา พบว่าสมาชิกออมสม่ำเสมอ กรรมการได้จัดทำบัญชีทุกเดือน และมีการอ่าน"
            "บัญชีให้สมาชิกฟังในวันออม ทำให้สมาชิกไว้ใจกรรมการมากขึ้น\n",
            "summary",
        ),
    ],
)
def test_kind(text, kind):
    assert extract(text).kind == kind


def test_other_keeps_title_recommendations_and_themes_only():
    rec = extract(
        "กำหนดการเวทีบัญชีครัวเรือน\n" + HEADER + "08.30 - 09.00 น. ลงทะเบียน\n"
        "09.00 - 10.00 น. แลกเปลี่ยน\n10.00 - 12.00 น. สรุป\nขอให้ทุกคนนำสมุดบัญชีมาด้วย\n"
    )
    assert rec.kind == "other" and rec.title == "กำหนดการเวทีบัญชีครัวเรือน"
    assert (rec.session_date, rec.time_range, rec.venue, rec.participant_count) == (None,) * 4
    assert rec.agencies == () and rec.turns == ()
    assert rec.recommendations == ("ขอให้ทุกคนนำสมุดบัญชีมาด้วย",)


def test_agencies_in_context_and_derived_fields():
    text = (
        "เวทีถอดบทเรียนกองทุนหมู่บ้าน\n"
        + HEADER
        + "สำนักงานพัฒนาชุมชนอำเภอนาหมื่น ร่วมกับ ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร (ธ.ก.ส.) "
        "จัดเวทีครั้งนี้ โดยได้รับงบประมาณสนับสนุนจาก สสส. มีเจ้าหน้าที่จากกลุ่มออมทรัพย์เพื่อการผลิต"
        "บ้านนาหวาย เข้าร่วม\n\nนายสมชาย ใจดี ปลัด อบต.บ้านนา กล่าวว่า อบต.พร้อมบรรจุเรื่องนี้ในแผน"
        "พัฒนาตำบล และควรทำงานร่วมกับ กศน. ต่อไป\n"
    )
    rec = extract(text)
    assert rec.agencies == (
        "สำนักงานพัฒนาชุมชนอำเภอนาหมื่น",
        "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร (ธ.ก.ส.)",
        "กลุ่มออมทรัพย์เพื่อการผลิตบ้านนาหวาย",
        "อบต.บ้านนา",
    )  # สสส. is a funder merely named; กศน. is only discussed
    canon = {a["as_written"]: a for a in rec.agencies_canonical}
    assert canon["ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร (ธ.ก.ส.)"]["type"] == "state_bank"
    assert canon["อบต.บ้านนา"]["type"] == "local_government"
    assert canon["กลุ่มออมทรัพย์เพื่อการผลิตบ้านนาหวาย"]["type"] in ("unknown", "network")
    assert rec.province == "น่าน" and rec.end_date is None
    turn = rec.turns[0]
    assert (turn.speaker, turn.agency, turn.speaker_role) == (
        "นายสมชาย ใจดี",
        "อบต.บ้านนา",
        "official",
    )
    assert rec.recommendations == ("ควรทำงานร่วมกับ กศน. ต่อไป",)
    assert len(rec.recommendation_categories) == len(rec.recommendations)
    assert set(rec.recommendation_categories[0]) <= set(codebook.category_ids())
    assert "การทำงานร่วมกับ อบต." in rec.themes


@pytest.mark.parametrize(
    "label, role",
    [
        ("ผู้ดำเนินรายการ", "facilitator"),
        ("ประธาน", "chair"),
        ("ป้าสมศรี", "community member"),
        ("คุณสมปอง (พอช.)", "official"),
        ("คู่สนทนา 1", "community member"),
    ],
)
def test_speaker_roles(label, role):
    rec = extract(f"วงคุยกลุ่มออมทรัพย์\n{label} : เราควรออมทุกเดือนให้สม่ำเสมอกันทุกคนนะครับ\n")
    assert rec.turns and rec.turns[0].speaker_role == role


def test_author_education_is_no_agency():
    text = (
        "บันทึกเวทีบ้านนา\n" + HEADER + "ผู้เขียนจบการศึกษาจาก มหาวิทยาลัยขอนแก่น "
        "และทำงานกับชุมชนมาสิบปี วันนี้ได้ไปร่วมเวทีที่จัดโดย สำนักงานพัฒนาชุมชนอำเภอเมืองน่าน\n"
    )
    assert extract(text).agencies == ("สำนักงานพัฒนาชุมชนอำเภอเมืองน่าน",)
