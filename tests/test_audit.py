"""Role checks of every store write, and the audit trail they write (issue 10).

On SQLite and PostgreSQL; the extractor is `fake_extractor` (conftest).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from analysis import auth, export, ingest, store
from analysis import models as m
from analysis.auth import Actor, PermissionDenied, Role
from analysis.store import audit

ADMIN = Actor("somsri@example.org", Role.ADMIN)
EDITOR = Actor("wichai@example.org", Role.EDITOR)
VIEWER = Actor("nok@example.org", Role.VIEWER)
TEXT = """เวทีถอดบทเรียนกลุ่มเลี้ยงปลาในนาข้าว บ้านดอนแก้ว
คุณบุญเรือน: ปีนี้น้ำมาช้า ปลาโตไม่ทันขาย
ควรขุดบ่อพักน้ำไว้ก่อนหน้าแล้ง
ควรชวนกลุ่มแม่บ้านมาแปรรูปปลาร้า
"""
RECOMMENDATION = "ควรขุดบ่อพักน้ำไว้ก่อนหน้าแล้ง"


@pytest.fixture
def team(store_engine, fake_extractor):
    """A store with an admin, an editor and a viewer, and one session imported by the editor."""
    engine = store_engine
    store.add_user(
        engine, auth.resolve_actor(engine, ADMIN.email, bootstrap=True), ADMIN.email, "admin"
    )
    store.add_user(engine, ADMIN, EDITOR.email, "editor")
    store.add_user(engine, ADMIN, VIEWER.email, "viewer")
    return engine


def _sid(engine) -> int:
    return store.import_text(engine, TEXT, "ดอนแก้ว.txt", "โครงการปลา", actor=EDITOR).session_id


def _entries(engine, **filters):
    return store.audit_trail(engine, ADMIN, **filters)


def _audit_json(engine) -> str:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(m.audit)).all()
    return json.dumps([dict(r._mapping) for r in rows], ensure_ascii=False, default=str)


# ----------------------------------------------------------------------------- wrong roles


def test_viewers_cannot_write_anything(team, tmp_path):
    sid = _sid(team)
    (tmp_path / "a.txt").write_text("บันทึกเวทีเล็ก\nป้าสาย: ขอให้มีตลาดนัด\n", encoding="utf-8")
    attempts = {
        "import_text": lambda: store.import_text(team, "ข้อความใหม่\n", "x.txt", actor=VIEWER),
        "import_record": lambda: store.import_record(team, {"title": "ก"}, "r.csv", actor=VIEWER),
        "import_exported": lambda: store.import_exported(
            team, {"raw_text": "อีกข้อความ\n", "extracted": {}}, actor=VIEWER
        ),
        "import_paths": lambda: ingest.import_paths(team, [tmp_path], actor=VIEWER),
        "import_uploads": lambda: ingest.import_uploads(team, [("u.txt", b"x")], actor=VIEWER),
        "correct": lambda: store.correct(team, sid, "title", "แก้", actor=VIEWER),
        "mark_reviewed": lambda: store.mark_reviewed(team, sid, actor=VIEWER),
        "set_followup": lambda: store.set_followup(team, sid, 0, status="done", actor=VIEWER),
        "export jsonl": lambda: export.export_data(
            team, "jsonl", tmp_path / "o.jsonl", actor=VIEWER
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(PermissionDenied, match="needs the editor role") as caught:
            attempt()
        assert str(caught.value).startswith("ไม่มีสิทธิ์"), name
    session = store.get_session(team, sid)
    assert session["corrections"] == [] and session["review_state"] == "unreviewed"
    assert store.count_sessions(team) == 1
    assert not (tmp_path / "o.jsonl").exists()


@pytest.mark.parametrize("who", [EDITOR, VIEWER])
def test_only_admins_delete_re_extract_and_read_the_trail(team, who):
    sid = _sid(team)
    for attempt in (
        lambda: store.delete_session(team, sid, actor=who),
        lambda: store.re_extract(team, actor=who),
        lambda: store.purge_deleted(team, actor=who),
        lambda: store.audit_trail(team, who),
        lambda: store.export_audit(team, who, "csv"),
    ):
        with pytest.raises(PermissionDenied, match="needs the admin role"):
            attempt()
    assert store.get_session(team, sid)["session_id"] == sid
    actions = [e["action"] for e in _entries(team)]
    assert "delete" not in actions and "purge" not in actions and "re_extract" not in actions


def test_nobody_signed_in_reads_or_exports_nothing(team, tmp_path):
    """Reading needs a viewer at least: no actor (nobody signed in) is refused everywhere."""
    from analysis import export_report

    tables = store.load_tables(team)
    for attempt in (
        lambda: export.export_data(team, "csv", tmp_path / "x.csv", actor=None),
        lambda: export_report.report_as(team, None, tables, "xlsx"),
        lambda: store.list_users(team, None),
        lambda: store.audit_trail(team, None),
    ):
        with pytest.raises(PermissionDenied, match="sign in first"):
            attempt()
    assert not (tmp_path / "x.csv").exists()


def test_a_demoted_editor_is_refused_on_the_next_action(team):
    sid = _sid(team)
    store.correct(team, sid, "title", "ชื่อแรก", actor=EDITOR)
    store.set_role(team, ADMIN, EDITOR.email, "viewer")
    with pytest.raises(PermissionDenied, match="viewer"):
        store.correct(team, sid, "title", "ชื่อที่สอง", actor=EDITOR)  # the same Actor object
    assert store.get_session(team, sid)["record"]["title"] == "ชื่อแรก"


# ----------------------------------------------------------------------------- the trail


def test_every_change_is_audited_under_its_user(team, fake_extractor):
    sid = _sid(team)
    store.correct(team, sid, "title", "เวทีปลาในนา (แก้แล้ว)", actor=EDITOR)
    store.mark_reviewed(team, sid, actor=EDITOR)
    store.set_followup(
        team, sid, RECOMMENDATION, status="agreed", owner_agency="ประมงอำเภอ", actor=EDITOR
    )
    fake_extractor.version = "fake-2"
    store.re_extract(team, actor=ADMIN)
    entries = _entries(team)
    by_action = {}
    for e in entries:
        by_action.setdefault(e["action"], []).append(e)
    assert [e["actor_email"] for e in by_action["import"]] == [EDITOR.email]
    assert by_action["import"][0]["details"]["source_name"] == "ดอนแก้ว.txt"
    (corr,) = by_action["correct"]
    assert corr["session_id"] == sid and corr["actor_email"] == EDITOR.email
    assert corr["details"] == {
        "field": "title",
        "old": "เวทีถอดบทเรียนกลุ่มเลี้ยงปลาในนาข้าว บ้านดอนแก้ว",
        "new": "เวทีปลาในนา (แก้แล้ว)",
    }
    assert by_action["review"][0]["details"] == {"reviewed": True}
    (follow,) = by_action["followup"]
    assert follow["details"]["old"] is None
    assert follow["details"]["new"]["status"] == "agreed"
    assert follow["details"]["new"]["owner_agency"] == "ประมงอำเภอ"
    runs = by_action["re_extract"]
    assert [e["session_id"] for e in runs] == [None, sid]  # newest first: the run, then the session
    assert runs[0]["details"]["changed"] == 1 and runs[1]["details"]["new_version"] == "fake-2"
    assert all(e["action_label"] == audit.ACTIONS[e["action"]] for e in entries)
    session = store.get_session(team, sid)
    assert session["reviewed_by"] == EDITOR.email
    assert session["corrections"][0]["corrected_by"] == EDITOR.email


def test_a_failed_audit_write_undoes_the_change(team, monkeypatch):
    sid = _sid(team)

    def broken(*args, **kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        store.correct(team, sid, "title", "จะไม่ถูกบันทึก", actor=EDITOR)
    with pytest.raises(RuntimeError):
        store.delete_session(team, sid, actor=ADMIN)
    monkeypatch.undo()
    session = store.get_session(team, sid)
    assert session["corrections"] == [] and session["record"]["title"].startswith("เวที")


def test_filters_and_paging(team):
    sid = _sid(team)
    other = store.import_text(team, "บันทึกอีกเวที\nลุงเปลี่ยน: ขอทุนต่อ\n", "b.txt", actor=ADMIN)
    store.mark_reviewed(team, sid, actor=EDITOR)
    assert {e["session_id"] for e in _entries(team, action="import")} == {sid, other.session_id}
    assert [e["action"] for e in _entries(team, user="WICHAI@example.org", action="review")] == [
        "review"
    ]
    assert {e["action"] for e in _entries(team, session_id=sid)} == {"import", "review"}
    today = date.today()
    assert len(_entries(team, since=today - timedelta(days=1))) == len(_entries(team))
    assert _entries(team, until=today - timedelta(days=1)) == []
    first, second = _entries(team, limit=1), _entries(team, limit=1, offset=1)
    assert len(first) == len(second) == 1 and first[0]["id"] != second[0]["id"]
    with pytest.raises(store.StoreError, match="unknown action"):
        _entries(team, action="hack")
    with pytest.raises(store.StoreError, match="YYYY-MM-DD"):
        _entries(team, since="เมื่อวาน")


def test_nothing_in_the_app_edits_the_trail():
    public = {name for name in dir(store) if not name.startswith("_")}
    assert not {
        n for n in public if "audit" in n and n not in ("audit", "audit_trail", "export_audit")
    }
    assert not [n for n in dir(audit) if n.startswith(("update", "delete", "edit", "remove"))]


def test_export_audit_csv_is_formula_safe_and_jsonl_complete(team):
    evil = "=hyperlink@example.org"
    store.add_user(team, ADMIN, evil, "viewer")
    data = store.export_audit(team, ADMIN, "csv")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    added = [r for r in rows if r["action"] == "user_add" and evil in r["details"]]
    assert added and not any(v.startswith("=") for r in rows for v in r.values())
    lines = store.export_audit(team, ADMIN, "jsonl", action="user_add").decode().splitlines()
    assert [json.loads(line)["details"]["email"] for line in lines][0] == evil
    exports = [e for e in _entries(team, action="export") if e["details"].get("what") == "audit"]
    assert [e["details"]["format"] for e in exports] == ["jsonl", "csv"]
    with pytest.raises(store.StoreError, match="unknown format"):
        store.export_audit(team, ADMIN, "xlsx")


def test_data_exports_are_audited(team, tmp_path):
    _sid(team)
    export.export_data(team, "csv", tmp_path / "v.csv", actor=VIEWER)
    export.export_data(team, "jsonl", tmp_path / "e.jsonl", actor=EDITOR)
    entries = _entries(team, action="export")
    assert [(e["actor_email"], e["details"]["format"]) for e in entries] == [
        (EDITOR.email, "jsonl"),
        (VIEWER.email, "csv"),
    ]
    assert entries[1]["details"]["files"][0] == "v.csv"


# ----------------------------------------------------------------------------- deletion


def test_deletion_redacts_the_sessions_entries_and_says_what_was_deleted(team):
    sid = _sid(team)
    keep = store.import_text(team, "บันทึกที่เก็บไว้\nป้าจันทร์: ปลูกผักสวนครัว\n", "keep.txt", actor=EDITOR)
    store.correct(team, sid, "turns", [{"speaker": "คุณบุญเรือน", "text": "น้ำมาช้ามาก"}], actor=EDITOR)
    store.correct(team, keep.session_id, "title", "ผักสวนครัวป้าจันทร์", actor=EDITOR)
    store.set_followup(team, sid, 0, note="โทรหาคุณบุญเรือนก่อนสิ้นเดือน", actor=EDITOR)
    assert "บุญเรือน" in _audit_json(team)
    assert store.delete_session(team, sid, actor=ADMIN) is True
    trail = _audit_json(team)
    for secret in ("บุญเรือน", "น้ำมาช้า", "โทรหา", "บ่อพักน้ำ"):
        assert secret not in trail
    entries = _entries(team, session_id=sid)
    assert [e["action"] for e in entries] == ["delete", "followup", "correct", "import"]
    assert all(e["actor_email"] and e["at"] for e in entries)
    assert entries[2]["details"] == {"field": "turns", "redacted": True}
    assert entries[0]["actor_email"] == ADMIN.email
    deleted = entries[0]["details"]
    assert deleted["source_name"] == "ดอนแก้ว.txt" and deleted["programme"] == "โครงการปลา"
    assert deleted["counts"]["corrections"] == 1 and deleted["counts"]["turns"] == 1
    assert deleted["redacted_entries"] == 3
    kept = _entries(team, session_id=keep.session_id, action="correct")
    assert kept[0]["details"]["new"] == "ผักสวนครัวป้าจันทร์"  # other sessions untouched
