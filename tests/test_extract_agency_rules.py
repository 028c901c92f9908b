"""Agencies: each convention of the spec as a phrase -> agencies rule, and one canonical
organisation per entry over the golden, sample and realistic records.

The phrases are invented; each sits in a small record (a title and a date/venue/count header whose
venue is a hired hall, so it adds no agency) so that the record is a summary, not `other`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis import gazetteer
from analysis.extract import extract
from analysis.text import read_text_file

ROOT = Path(__file__).resolve().parents[1]
REALISTIC = ROOT.parent / "shared" / "realistic"
HEADER = "วันที่ 9 มิถุนายน 2558 เวลา 09.00 - 12.00 น. ณ ศาลาประชาคมบ้านโพนทอง\nผู้เข้าร่วม 42 คน\n"


def _agencies(body: str) -> tuple[str, ...]:
    rec = extract("เวทีถอดบทเรียนกลุ่มออมทรัพย์บ้านโพนทอง\n" + HEADER + body + "\n")
    assert rec.kind != "other", body
    return rec.agencies


@pytest.mark.parametrize(
    "body, expected",
    [
        # the host named in the venue
        ("ครั้งนี้ประชุมกันที่ห้องประชุม อบต.หนองกุง ทั้งวัน", ("อบต.หนองกุง",)),
        # a hired hotel, a learning centre or a building is a place, not a host
        ("ช่วงบ่ายย้ายไปประชุมต่อที่โรงแรมริมโขงวิว", ()),
        ("ช่วงบ่ายไปดูงานต่อที่ศูนย์เรียนรู้บ้านนาโป่ง", ()),
        # the officer who chairs: the body inside the position
        (
            "นายสมาน ทองดี นายกองค์การบริหารส่วนตำบลโคกสะอาด เป็นประธานเปิดเวที",
            ("องค์การบริหารส่วนตำบลโคกสะอาด",),
        ),
        ("มีผู้แทนจาก ธ.ก.ส. มานั่งฟังด้วย", ("ธ.ก.ส.",)),
        (
            "นายเอกชัย ใจงาม ปลัดอำเภอนาแห้ว ผู้แทนนายอำเภอนาแห้ว เป็นประธาน",
            ("อำเภอนาแห้ว",),
        ),
        ("นางวิมล ศรีสุข รองผู้ว่าราชการจังหวัดเลย กล่าวเปิดงาน", ("จังหวัดเลย",)),
        # a district officer followed by a verb names no office
        ("นายอำเภอนำคณะลงพื้นที่ในช่วงบ่าย", ()),
        # organised and co-organised
        (
            "สำนักงานเกษตรอำเภอด่านซ้าย ร่วมกับ มูลนิธิรักษ์ภูหลวง จัดเวทีนี้",
            ("สำนักงานเกษตรอำเภอด่านซ้าย", "มูลนิธิรักษ์ภูหลวง"),
        ),
        # unit types written as participants
        ("มีผู้แทน อบจ. เทศบาล พช. และ กศน. ร่วมเวที", ("อบจ.", "เทศบาล", "พช.", "กศน.")),
        (
            "ผู้เข้าร่วมมาจาก อปท. สถานศึกษา และเครือข่ายอาสาสมัครรักษาป่าต้นน้ำ (อสป.)",
            ("อปท.", "สถานศึกษา", "เครือข่ายอาสาสมัครรักษาป่าต้นน้ำ (อสป.)"),
        ),
        # after จาก
        (
            "มีเจ้าหน้าที่จากสำนักงานสาธารณสุขอำเภอภูเรือมาร่วมฟัง",
            ("สำนักงานสาธารณสุขอำเภอภูเรือ",),
        ),
        # one entry per organisation, in the form of its first appearance
        (
            "ธนาคารออมสินสาขาวังสะพุงส่งคนมาร่วม ต่อมาพนักงานออมสินเล่าถึงเงินฝาก",
            ("ธนาคารออมสินสาขาวังสะพุง",),
        ),
        (
            "ที่ประชุมของกลุ่มโนนสูงเริ่มตรงเวลา กลุ่มออมทรัพย์บ้านโนนสูงมีสมาชิกสองร้อยคน",
            ("กลุ่มโนนสูง",),
        ),
        (
            "อบต.นาดีเป็นเจ้าภาพ และนายกองค์การบริหารส่วนตำบลนาดีมาเปิดงาน",
            ("อบต.นาดี",),
        ),
        ("วิทยากรจากมหาวิทยาลัยราชภัฏเลย (มรภ.เลย) สองคน", ("มหาวิทยาลัยราชภัฏเลย (มรภ.เลย)",)),
        (
            "งานนี้ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร (ธ.ก.ส.) เป็นเจ้าภาพ",
            ("ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร (ธ.ก.ส.)",),
        ),
        # a sub-unit with its parent is one string; the parent later is the same body
        (
            "ทีมจากคณะเกษตรศาสตร์ มหาวิทยาลัยขอนแก่น ช่วยจดบันทึก นักศึกษา มข. อีกสามคนช่วยถ่ายภาพ",
            ("คณะเกษตรศาสตร์ มหาวิทยาลัยขอนแก่น",),
        ),
        # a branch, a province or a number written after a space completes the name
        ("ผู้แทน ธ.ก.ส. สาขาด่านซ้าย มาร่วมด้วย", ("ธ.ก.ส. สาขาด่านซ้าย",)),
        ("ผู้แทน สสจ.เลย และผู้แทนศูนย์อนามัยที่ 8 ร่วมวง", ("สสจ.เลย", "ศูนย์อนามัยที่ 8")),
        # a numbered unit: its full name and its abbreviation are one body
        (
            "ทีมจากศูนย์อนามัยที่ 8 อุดรธานี มาร่วม ช่วงท้าย ศอ.8 สรุปผล",
            ("ศูนย์อนามัยที่ 8 อุดรธานี",),
        ),
        (
            "ศูนย์อนามัยที่ 8 อุดรธานี (ศอ.8) กรมอนามัย ร่วมกับ โรงพยาบาลกุมภวาปี จัดเวทีนี้",
            ("ศูนย์อนามัยที่ 8 อุดรธานี (ศอ.8) กรมอนามัย", "โรงพยาบาลกุมภวาปี"),
        ),
        # a name glued to the next clause ends where the clause starts
        ("สภาองค์กรชุมชนจังหวัดเลยถกแผนงานปีหน้า", ("สภาองค์กรชุมชนจังหวัดเลย",)),
        ("ขอบคุณเทศบาลตำบลนาอ้อที่ต้อนรับคณะอย่างอบอุ่น", ("เทศบาลตำบลนาอ้อ",)),
        # a province glued to an abbreviation is that body's office there, one string
        ("ผู้แทน พช.เลย และ ธ.ก.ส.เลย ร่วมวง", ("พช.เลย", "ธ.ก.ส.เลย")),
        # a department and its provincial office are one organisation to list
        (
            "พช. จัดเวทีนี้ ตอนท้ายผู้แทนสำนักงานพัฒนาชุมชนจังหวัดเลยสรุปผล",
            ("พช.",),
        ),
        # a list-only word glued to a position word is part of the position
        ("นางสาวอรอุมา นักวิชาการสาธารณสุข เป็นผู้จดบันทึก", ()),
        # a club of volunteers is a body; the volunteers of a place are people
        ("ประธานชมรม อสม.อำเภอภูเรือ มาร่วมด้วย", ("ชมรม อสม.อำเภอภูเรือ",)),
        ("อสม.ตำบลหนองบัว ยี่สิบคนมาช่วยงาน", ()),
        # people and groups of people are not organisations
        ("ชาวบ้าน แกนนำ และ อสม. ร่วมวงกันเต็มศาลา", ()),
        # funders merely named and organisations only discussed are not agencies
        ("กิจกรรมนี้ได้รับงบประมาณสนับสนุนจาก สสส.", ()),
        ("ที่ประชุมจะเสนอต่อกรมส่งเสริมการเกษตรให้พิจารณา", ()),
        ("ปีหน้าจะขอให้ อบต. ช่วยงบจัดเวที", ()),
        ("ต่อไปต้องทำตามระเบียบใหม่ของกรมส่งเสริมการปกครองท้องถิ่น", ()),
        ("น่าเสียดายที่ยังไม่มีผู้แทนจาก อบต. มาร่วม", ()),
        ("ครั้งหน้าควรเชิญปลัด อบต. มาร่วมด้วย", ()),
        ("ปัจจุบันกรมการปกครองกำหนดให้ทุกหมู่บ้านมีแผนชุมชน", ()),
        ("ชาวบ้านหลายคนเคยกู้เงินจาก ธ.ก.ส. มาลงทุน", ()),
        ("ปีที่แล้ว สสส. ให้ทุนมาทำโครงการ", ()),
        ("สมาชิกส่วนใหญ่เป็นลูกค้าของธนาคารออมสิน", ()),
        ("เรื่องนี้ต้องรอคำตอบจากกรมบัญชีกลาง", ()),
        ("ข้อมูลจากสำนักงานสถิติจังหวัดเลยบอกว่าหนี้ครัวเรือนสูงขึ้น", ()),
        ("สมาชิกบางคนเป็นพนักงานของการไฟฟ้าส่วนภูมิภาค", ()),
        # a body inside a proposal is its addressee
        ("ที่ประชุมเห็นว่าควรให้สำนักงานเกษตรอำเภอภูเรือช่วยตรวจดิน", ()),
        # a body said to take part, even inside a speaker's turn
        (
            "นายกเทศมนตรีตำบลผาน้อยกล่าวต้อนรับ และนายก อบต.ผานกเค้า ร่วมฟังทั้งวัน",
            ("อบต.ผานกเค้า",),
        ),
        ("ทีมวิทยากรจากมหาวิทยาลัยราชภัฏเลยพาทำกิจกรรม", ("มหาวิทยาลัยราชภัฏเลย",)),
        # a credit line names no participant
        ("ภาพ : ชมรมถ่ายภาพเมืองเลย", ()),
        # a month abbreviation is no agency
        ("นัดกันอีกครั้งราว ก.พ. ปีหน้า", ()),
    ],
)
def test_agency_rule(body: str, expected: tuple[str, ...]) -> None:
    assert _agencies(body) == expected


def test_other_records_have_no_agencies() -> None:
    rec = extract(
        "กำหนดการเวทีสรุปบทเรียน\n" + HEADER + "จัดโดย สำนักงานพัฒนาชุมชนอำเภอด่านซ้าย\n"
        "09.00 - 10.00 น. ลงทะเบียน\n10.00 - 12.00 น. แลกเปลี่ยน\n"
    )
    assert rec.kind == "other" and rec.agencies == ()


def test_agencies_are_exact_substrings() -> None:
    text = "เวที\n" + HEADER + "ผู้แทน ธ.ก.ส. สาขาด่านซ้าย และคณะเกษตรศาสตร์ มหาวิทยาลัยขอนแก่น ร่วมจัด\n"
    rec = extract(text)
    assert rec.agencies and all(a in text for a in rec.agencies)


# ------------------------------------------------------------------ one canonical organisation


def _records() -> list[tuple[str, dict]]:
    out = []
    folders = [ROOT / "tests" / "golden", ROOT / "data" / "sample"]
    if REALISTIC.exists():
        folders.append(REALISTIC)
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            out.append((f"{folder.name}/{path.name}", extract(read_text_file(path)).to_dict()))
    return out


@pytest.fixture(scope="module")
def records() -> list[tuple[str, dict]]:
    return _records()


def test_no_canonical_organisation_twice_in_one_record(records) -> None:
    """Every form of one body resolves to one canonical entry, and a record lists it once."""
    twice = {}
    for name, rec in records:
        canon = [a["canonical"] for a in rec["agencies_canonical"]]
        keys = [gazetteer.canonical_key(a) for a in rec["agencies"]]
        if len(set(canon)) != len(canon) or len(set(keys)) != len(keys):
            twice[name] = rec["agencies"]
    assert not twice


def test_canonical_is_resolved_for_every_agency(records) -> None:
    for _name, rec in records:
        assert [a["as_written"] for a in rec["agencies_canonical"]] == rec["agencies"]


def test_people_are_never_agencies(records) -> None:
    people = {"ชาวบ้าน", "ผู้นำชุมชน", "แกนนำ", "สมาชิก", "คณะกรรมการ", "อสม."}
    assert not [(n, a) for n, rec in records for a in rec["agencies"] if a in people]


def test_a_unit_type_is_not_listed_beside_its_named_body(records) -> None:
    """`อบต.` and `องค์การบริหารส่วนตำบล…` of the same record are not two agencies."""
    types = {"อบต.", "องค์การบริหารส่วนตำบล", "อบจ.", "องค์การบริหารส่วนจังหวัด", "รพ.สต.", "ทต."}
    clash = []
    for name, rec in records:
        keys = [gazetteer.canonical_key(a) for a in rec["agencies"]]
        bare = {gazetteer.canonical_key(a) for a in rec["agencies"] if a in types}
        if any(k.split(":")[0] in bare for k in keys if ":" in k):
            clash.append((name, rec["agencies"]))
    assert not clash


@pytest.mark.skipif(not REALISTIC.exists(), reason="../shared/realistic not present")
def test_realistic_expected_agencies_resolve_to_distinct_bodies() -> None:
    """The hand-written expected lists, too, hold one form per organisation under our keys."""
    bad = {}
    for path in sorted(REALISTIC.glob("*.json")):
        names = json.loads(path.read_text(encoding="utf-8"))["agencies"]
        keys = [gazetteer.canonical_key(a) for a in names]
        if len(set(keys)) != len(keys):
            bad[path.name] = names
    assert not bad


def test_a_unit_type_named_as_the_venue_is_the_host() -> None:
    rec = extract(
        "เวทีทบทวนแผนกองทุนข้าว\nวันที่ 3 กรกฎาคม 2560 เวลา 13.00 - 15.00 น. ณ ห้องประชุม อบต.\n"
        "ผู้เข้าร่วม 25 คน\nคณะกรรมการกองทุนข้าวทบทวนกติกาการยืมข้าวปีหน้า\n"
    )
    assert rec.agencies == ("อบต.",)
