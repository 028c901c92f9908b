"""Turn conventions of the spec (shared/spec/record-format.md, *turns*), one phrase each.

Every example is invented. Each case gives the text and the turns expected from it as
(speaker, agency, first characters of the text).
"""

from __future__ import annotations

import pytest

from analysis.extract.layout import Layout
from analysis.extract.turns import find_turns, is_speaker_label


def _turns(text: str) -> list[tuple[str, str | None, str]]:
    return [(t.speaker, t.agency, t.text) for t in find_turns(text, Layout(text))]


def _check(text: str, expected: list[tuple[str, str | None, str]]) -> None:
    got = _turns(text)
    assert len(got) == len(expected), got
    for (speaker, agency, body), (e_speaker, e_agency, e_start) in zip(got, expected, strict=True):
        assert (speaker, agency) == (e_speaker, e_agency), got
        assert body.startswith(e_start), (body, e_start)


REPORTED = [
    # name, position holding the agency, กล่าวว่า
    (
        "นายสมชาย ใจดี นายก อบต.บ้านนา กล่าวว่า ปีนี้ตำบลจะตั้งกองทุนกลาง",
        [("นายสมชาย ใจดี", "อบต.บ้านนา", "ปีนี้ตำบล")],
    ),
    # ว่า glued to an event name
    (
        "นางสาวมาลี ศรีสุข กล่าวบนเวทีสมัชชาออมทรัพย์จังหวัดตรังว่า กลุ่มเล็กต้องรวมกัน",
        [("นางสาวมาลี ศรีสุข", None, "กลุ่มเล็ก")],
    ),
    # โดย inside a sentence is no byline; a contribution verb reaching its ว่า
    (
        "เครือข่ายจัดเวทีที่ศาลาวัด โดย นางสาวมาลี ศรีสุข พัฒนาการอำเภอ กล่าวรายงานว่า มีกลุ่มมาร่วม 40 กลุ่ม",
        [("นางสาวมาลี ศรีสุข", None, "มีกลุ่มมาร่วม")],
    ),
    # a quoted nickname with a position, then the speech in quotation marks
    (
        "‘ครูเก๋’ ประธานเครือข่ายครูบ้านดอย ย้ำ “เด็กต้องได้เรียนกับชุมชน”",
        [("ครูเก๋", "เครือข่ายครูบ้านดอย", "เด็กต้องได้")],
    ),
    # role-only speakers
    ("ประธานกล่าวว่า เดือนนี้มีคนขอกู้สามราย", [("ประธาน", None, "เดือนนี้")]),
    ("เหรัญญิกแจ้งว่า ยอดเงินฝากเดือนนี้เพิ่มขึ้น", [("เหรัญญิก", None, "ยอดเงินฝาก")]),
    (
        "ตัวแทนกลุ่มออมทรัพย์บ้านโคกเล่าว่า กลุ่มเริ่มจากสมาชิกสิบคน",
        [("ตัวแทน", "กลุ่มออมทรัพย์บ้านโคก", "กลุ่มเริ่ม")],
    ),
    (
        "ผู้แทน ธ.ก.ส. สาขาห้วยยอด ให้ข้อมูลเพิ่มเติมว่า ธนาคารมีสินเชื่อดอกเบี้ยต่ำ",
        [("ผู้แทน", "ธ.ก.ส. สาขาห้วยยอด", "ธนาคารมี")],
    ),
    # a position with its place and no organisation: the whole label is the speaker
    (
        "นายกเทศมนตรีเมืองสองคลอง ชี้แจงว่า งบซ่อมถนนตั้งไว้แล้ว",
        [("นายกเทศมนตรีเมืองสองคลอง", None, "งบซ่อมถนน")],
    ),
    # one person named by a role noun is a speaker
    ("นักศึกษาคนหนึ่งถามว่า ถ้ากลุ่มล้มจะทำอย่างไร", [("นักศึกษาคนหนึ่ง", None, "ถ้ากลุ่มล้ม")]),
    # an untitled full name opening a clause
    (
        "สมคิด ดีมาก ชาวบ้านหมู่ 3 ถามว่า ถ้าไม่มีเงินสมทบจะทำอย่างไร",
        [("สมคิด ดีมาก", None, "ถ้าไม่มี")],
    ),
    # a name glued to จาก or to a connector
    ("ส่วนพี่สมศรีจากฝ่ายบัญชีบอกว่า ต้องแยกบัญชีให้ชัด", [("พี่สมศรี", None, "ต้องแยก")]),
    (
        "หลังจากนั้นลุงเสริม ทองมา ประธานกลุ่มเลี้ยงปลา ลุกขึ้นเล่าว่า ปลาตายเพราะน้ำเสีย",
        [("ลุงเสริม ทองมา", None, "ปลาตาย")],
    ),
    # a word-title inside the clause before ('…ผู้สูงอายุและแม่บ้าน') hides no speaker
    (
        "คืนนี้มีผู้สูงอายุและแม่บ้าน คุณสมใจ ดีงาม เจ้าหน้าที่เทศบาล กล่าวเปิดว่า ปีนี้จะทำแผนใหม่",
        [("คุณสมใจ ดีงาม", "เทศบาล", "ปีนี้จะทำ")],
    ),
    # a speech verb without ว่า right after a named person
    (
        "นายสมศักดิ์ ทองมา ประธานกลุ่มยางพารา บอกราคายางตกมาสามปีแล้ว",
        [("นายสมศักดิ์ ทองมา", None, "ราคายาง")],
    ),
    # the comparative กว่า is no speech marker
    (
        "ตอนนี้ออมได้มากกว่าปีก่อน นายเอก ใจดี กล่าวว่า ต้องขอบคุณทุกคน",
        [("นายเอก ใจดี", None, "ต้องขอบคุณ")],
    ),
    # two speakers in one paragraph: a connector opens the second turn
    (
        "นายเอก ใจดี กล่าวว่า กองทุนต้องโปร่งใส ด้านนางสมศรี รักงาน เสนอว่า ควรติดประกาศยอดเงิน",
        [("นายเอก ใจดี", None, "กองทุนต้อง"), ("นางสมศรี รักงาน", None, "ควรติด")],
    ),
    # the speech on the line after a closing ว่า
    (
        "นางสมใจ ดีเสมอ (กลุ่มแม่บ้านบ้านโคก) สะท้อนว่า\nกลุ่มเราออมวันละบาทมาห้าปีแล้ว",
        [("นางสมใจ ดีเสมอ", "กลุ่มแม่บ้านบ้านโคก", "กลุ่มเราออม")],
    ),
]

NOT_TURNS = [
    "ชาวบ้านเห็นตรงกันว่า ควรจัดเวทีทุกเดือน",  # collective speakers
    "คณะกรรมการสังเกตว่า สมาชิกมาน้อยลง",
    "ตัวแทนกองทุน 3 แห่งเล่าว่า ทุกแห่งขาดคนทำบัญชี",  # several representatives
    "นายอำเภอเมืองตรังเป็นประธานในพิธีเปิดงาน",  # presiding without speech
    "นายเอก ใจดี ผู้แทนสหกรณ์การเกษตรห้วยยอด ร่วมชี้แจงกับคณะกรรมการ",  # a joint verb
    "คุณอำนวย : นางสาวสมศรี ใจงาม (มรภ.สุราษฎร์ธานี)",  # a field naming a person
    "ผู้บันทึก : นายเอก ใจดี",
    "ประเด็น : การออมของคนรุ่นใหม่",
    "ลำปาง : วันที่ 3 มีนาคม 2567 เครือข่ายจัดเวทีที่ศาลาวัด",  # a city dateline
    "คุณสมใจ (เหรัญญิก) 08x-xxx-xxxx",  # a contact line
    "ครูสมหญิงเป็นคนชวนคุยตามคำถามสามข้อ",  # a role described, no contribution
]

CONTRIBUTIONS = [
    # a contribution verb turn starts at the verb; the district officer's position names
    # the district office (spec: agency from inside the speaker's position)
    (
        "นายสมพงษ์ ทองดี นายอำเภอเมืองตรัง กล่าวเปิดการประชุม ท่านเล่าถึงที่มาของกองทุน",
        [("นายสมพงษ์ ทองดี", "อำเภอเมืองตรัง", "กล่าวเปิดการประชุม")],
    ),
    (
        "คุณสมปอง (พอช.) พูดคุยในเรื่องการออมของเยาวชน",
        [("คุณสมปอง", "พอช.", "พูดคุยในเรื่อง")],
    ),
]

LABELS = [
    # a bracketed agency and a gap of no-break spaces
    (
        "คุณสมใจ (กลุ่มออมทรัพย์บ้านโคก)\u00a0\u00a0\u00a0ที่กลุ่มเราจดบัญชีกันทุกคืน",
        [("คุณสมใจ", "กลุ่มออมทรัพย์บ้านโคก", "ที่กลุ่มเรา")],
    ),
    # brackets holding a position are no agency
    ("นายสมัคร (พัฒนากร) : ระเบียบกลุ่มเปิดให้ทำได้", [("นายสมัคร", None, "ระเบียบ")]),
    # a lone given name labels a speaker in a dialogue
    (
        "สมปอง : ผมเริ่มออมตั้งแต่ปีแรก\nผู้ดำเนินรายการ : แล้วตอนนี้ล่ะครับ\nสมปอง : ตอนนี้ลูกช่วยจด",
        [
            ("สมปอง", None, "ผมเริ่ม"),
            ("ผู้ดำเนินรายการ", None, "แล้วตอนนี้"),
            ("สมปอง", None, "ตอนนี้ลูก"),
        ],
    ),
    # an empty label followed by a bare timestamp is no turn
    ("คู่สนทนา 4 :\n00:31\nผู้ดำเนินรายการ : ขอบคุณครับ", [("ผู้ดำเนินรายการ", None, "ขอบคุณ")]),
    # a later paragraph that opens with reported speech ends a label turn
    (
        "อาจารย์ : ผมจะชวนนักศึกษามาช่วย\n\nหลังจากทุกคนเล่าครบ  วิทยากรสรุปว่า ทุกคนพูดเรื่องเดียวกัน",
        [("อาจารย์", None, "ผมจะชวน"), ("วิทยากร", None, "ทุกคนพูด")],
    ),
    # speech quoted inside a label turn stays in it
    (
        "คุณสมชาย : ผมไปคุยกับ ดร.ก มา ดร.ก บอกว่าให้เริ่มจากบัญชี",
        [("คุณสมชาย", None, "ผมไปคุย")],
    ),
    # a byline talk starts under the event line that follows the byline
    (
        "โดย ดร.สมพร ใจงาม อาจารย์มหาวิทยาลัยราชภัฏ\nในงานมหกรรมกองทุนหมู่บ้านจังหวัดตรัง\n\n"
        "สวัสดีครับพี่น้องทุกท่าน ผมขอเล่าเรื่องกองทุนของเรา",
        [("ดร.สมพร ใจงาม", None, "สวัสดีครับ")],
    ),
]


@pytest.mark.parametrize("text, expected", REPORTED + CONTRIBUTIONS + LABELS)
def test_turns(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text", NOT_TURNS)
def test_not_turns(text):
    assert _turns(text) == []


def test_reported_turn_ends_with_its_paragraph():
    text = "นางสาวมาลี ศรีสุข กล่าวว่า ปีนี้จะเน้นบัญชีครัวเรือน\n\nจากนั้นผู้เข้าร่วมแยกกลุ่มย่อยตามตำบล"
    assert _turns(text) == [("นางสาวมาลี ศรีสุข", None, "ปีนี้จะเน้นบัญชีครัวเรือน")]


def test_turn_ends_at_the_page_footer():
    text = (
        "หัวเรื่อง\n\nบรรยากาศ\n\nคุณสมใจ : ขอบคุณทุกคนที่มา\n\nขอบคุณค่ะ\n\n"
        "บันทึกนี้เขียนที่ GotoKnow โดย  ใน KM\nคำสำคัญ (Tags): ออม"
    )
    turns = _turns(text)
    assert len(turns) == 1
    assert "GotoKnow" not in turns[0][2]


@pytest.mark.parametrize(
    "label, expected",
    [
        ("สมปอง", True),  # a given name
        ("ผู้ฟังท่านหนึ่ง", True),
        ("นครศรีธรรมราช", False),  # a province
        ("ข้อสรุป", False),
    ],
)
def test_speaker_labels(label, expected):
    assert is_speaker_label(label) is expected
