"""Viewer masking (issue 10): what a viewer gets is built masked in analysis/, editors get all."""

from __future__ import annotations

import io
import zipfile

import pytest

from analysis import auth, export, frames, privacy, store
from analysis import export_report as reports
from analysis.auth import Actor, Role
from analysis.privacy import MASK, mask_text
from analysis.tables import tables_from_sessions

VIEWER = Actor("nok@example.org", Role.VIEWER)
EDITOR = Actor("wichai@example.org", Role.EDITOR)
TEXT = """เวทีถอดบทเรียนกลุ่มทอผ้าบ้านนาหว้า
นางบัวผัน ศรีงาม: กลุ่มเราส่งผ้าให้ร้านในเมืองทุกเดือน ครูประไพช่วยออกแบบลาย
ลุงทองใบ: ขอบคุณคุณอรุณีที่พามาดูงาน
ควรให้ผศ.ดร.วิภาวดี แก้วมณี ช่วยเรื่องตลาดออนไลน์
ควรตั้งกองทุนซื้อเส้นไหมร่วมกัน
"""
NAMES = ("บัวผัน", "ศรีงาม", "ประไพ", "ทองใบ", "อรุณี", "วิภาวดี", "แก้วมณี")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("คุณสมชายเล่าว่ากลุ่มออมทุกเดือน", f"{MASK}เล่าว่ากลุ่มออมทุกเดือน"),
        ("ควรเชิญครูสมศรีมาสอนทำบัญชี", f"ควรเชิญ{MASK}มาสอนทำบัญชี"),
        ("ผศ.ดร.วิไล ศรีสุข กล่าวเปิดงาน", f"{MASK} กล่าวเปิดงาน"),
        ("นางสาวกมลา ใจงาม จาก พช.", f"{MASK} จาก พช."),
        ("ป้าแดงถามว่าจะได้ทุนเมื่อไร", f"{MASK}ถามว่าจะได้ทุนเมื่อไร"),
        ("ขอบคุณคุณอรุณีที่พามา", f"ขอบคุณ{MASK}ที่พามา"),
        # no name: ordinary words that start with a title, a title used as a pronoun
        ("คุณภาพชีวิตดีขึ้น นายกอบต.มาเปิดงาน", None),
        ("พี่น้องชาวบ้านขอบคุณทุกท่าน ป้ายหน้าบ้านขยายผล เป้าหมายชัด", None),
        ("ป้าว่าดีนะ ทำงานร่วมกับ อบต. ตั้งแต่ต้น", None),
    ],
)
def test_mask_text_titles_and_names(text, masked):
    assert mask_text(text) == (masked or text)


def test_mask_text_known_names_without_title_and_short_words_kept():
    known = ["ป้ามาลี (พช.)", "สมศรี ใจดี", "ก"]
    out = mask_text("มาลีกับสมศรี ใจดีและกลุ่มออมทรัพย์ ก.", known)
    assert "มาลี" not in out and "สมศรี" not in out and out.endswith("กลุ่มออมทรัพย์ ก.")
    assert mask_text(None, known) is None and mask_text("", known) == ""


def _session(**over):
    base = {
        "session_id": 1,
        "programme": "โครงการทอผ้า",
        "source_name": "บันทึกคุณอรุณี.txt",
        "review_state": "reviewed",
        "reviewed_by": "wichai@example.org",
        "record": {
            "kind": "transcript",
            "title": "เวทีกับครูประไพ",
            "turns": [
                {
                    "speaker": "นางบัวผัน ศรีงาม",
                    "agency": "กลุ่มทอผ้า",
                    "speaker_role": "community",
                    "text": "ลุงทองใบเล่าว่าทอผ้าทุกวัน",
                },
                {"speaker": "ทองใบ", "agency": None, "speaker_role": "community", "text": "ครับ"},
            ],
            "recommendations": ["ควรให้คุณบัวผันสอนลายใหม่"],
        },
        "followups": [{"status": "agreed", "note": "นัดนางบัวผันเดือนหน้า", "updated_by": "x"}],
        "raw_text": TEXT,
        "extracted": {"title": "เวทีกับครูประไพ"},
        "corrections": [{"field": "title", "value": "ครูประไพ", "corrected_by": "x"}],
    }
    return base | over


def _no_name(value) -> None:
    text = str(value)
    for name in NAMES:
        assert name not in text, (name, text[:300])


def test_tables_for_a_viewer_hides_every_name_and_editors_get_all():
    tables = tables_from_sessions([_session()])
    assert privacy.tables_for(EDITOR, tables) is tables
    masked = privacy.tables_for(VIEWER, tables)
    for frame in (masked.sessions, masked.turns, masked.recommendations):
        _no_name(frame.to_csv())
    assert masked.sessions["reviewed_by"].isna().all()
    assert masked.turns["speaker"].tolist()[0].endswith("(กลุ่มทอผ้า)")
    assert masked.turns["text"].tolist()[0] == f"{MASK}เล่าว่าทอผ้าทุกวัน"
    assert tables.turns["speaker"].tolist()[0] == "นางบัวผัน ศรีงาม"  # the original untouched
    assert privacy.tables_for(None, tables).sessions["reviewed_by"].isna().all()


def test_a_viewer_counts_the_same_people():
    """Several villagers of one agency stay several people (numbered), not one "ชาวบ้าน"."""

    def turn(speaker, agency="กลุ่มทอผ้า", role="community"):
        return {"speaker": speaker, "agency": agency, "speaker_role": role, "text": "พูด"}

    first = _session()
    first["record"] = {
        "kind": "transcript",
        "turns": [
            turn("ป้าบัวผัน"),
            turn("ลุงทองใบ"),
            turn("ป้าบัวผัน"),
            turn("นายก", "อบต.", "official"),
        ],
    }
    second = _session(session_id=2)
    second["record"] = {"kind": "summary", "turns": [turn("ลุงทองใบ"), turn("ครูประไพ", None)]}
    tables = tables_from_sessions([first, second])
    masked = privacy.tables_for(VIEWER, tables)
    for name in ("participation_by_agency", "share_of_voice_by_role"):
        plain, hidden = getattr(frames, name)(tables), getattr(frames, name)(masked)
        assert plain["people"].tolist() == hidden["people"].tolist(), name
    speakers = masked.turns["speaker"].tolist()
    assert (
        speakers[0] == speakers[2] != speakers[1] == speakers[4]
    )  # the same person, the same label
    assert speakers[0].endswith(" 1 (กลุ่มทอผ้า)") and speakers[1].endswith(" 2 (กลุ่มทอผ้า)")
    assert speakers[3].endswith(" (อบต.)") and "(" not in speakers[5]
    assert not any(ch.isdigit() for ch in speakers[3] + speakers[5])  # alone in their group
    _no_name(speakers)


def test_session_for_a_viewer_has_no_raw_text_no_history_no_names():
    masked = privacy.session_for(VIEWER, _session())
    for key in ("raw_text", "extracted", "corrections", "source_text"):
        assert key not in masked
    _no_name(masked)
    assert masked["reviewed_by"] is None and "updated_by" not in masked["followups"][0]
    assert masked["followups"][0]["status"] == "agreed"
    assert privacy.session_for(EDITOR, _session()) == _session()


def test_search_finds_no_name_for_a_viewer():
    tables = tables_from_sessions([_session()])
    assert len(frames.search_sessions(tables, "บัวผัน")) == 1
    masked = privacy.tables_for(VIEWER, tables)
    assert len(frames.search_sessions(masked, "บัวผัน")) == 0
    hits = frames.search_sessions(masked, "ทอผ้า")
    assert len(hits) == 1
    _no_name(hits.to_csv())


@pytest.fixture
def named_store(store_engine, fake_extractor):
    store.import_text(store_engine, TEXT, "นาหว้า.txt", actor=auth.local_admin())
    return store_engine


def test_a_viewers_data_export_holds_no_name(named_store, tmp_path):
    written = export.export_data(named_store, "csv", tmp_path / "v" / "data.csv", actor=VIEWER)
    assert written
    sessions = written[0].read_text(encoding="utf-8-sig")
    assert "raw_text" not in sessions.splitlines()[0]
    for path in written:
        _no_name(path.read_text(encoding="utf-8-sig"))
    full = export.export_data(named_store, "csv", tmp_path / "e" / "data.csv", actor=EDITOR)
    assert "บัวผัน" in "".join(p.read_text(encoding="utf-8-sig") for p in full)


def test_a_viewers_report_holds_no_name(named_store):
    tables = store.load_tables(named_store)
    report = reports.report_as(named_store, VIEWER, tables, "xlsx")
    with zipfile.ZipFile(io.BytesIO(report.data)) as book:
        xml = "".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    _no_name(xml)
    editor = reports.report_as(named_store, EDITOR, tables, "xlsx")
    with zipfile.ZipFile(io.BytesIO(editor.data)) as book:
        assert "บัวผัน" in "".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    trail = store.audit_trail(named_store, auth.local_admin(), action="export")
    assert [(e["actor_email"], e["details"]["what"]) for e in trail] == [
        (EDITOR.email, "report"),
        (VIEWER.email, "report"),
    ]
