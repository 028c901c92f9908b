"""A deleted session leaves none of its text or names in the database files (issue 10, PDPA).

SQLite: the store file and its WAL are read byte for byte. PostgreSQL (marker `postgres`): after
the documented procedure (`store.purge_deleted`: VACUUM FULL of the affected tables, then a
CHECKPOINT) the files of every table, TOAST table and index of the store's schema are read from
the server's data directory; this needs root on the database machine (as in CI), to read the
files and to run CHECKPOINT as the postgres user, and is skipped with the reason otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from analysis import auth, store

ADMIN = auth.local_admin()
GONE = """บันทึกเวทีกลุ่มสัจจะออมทรัพย์ บ้านห้วยทรายเหนือ
คุณจำเนียร พรหมสุวรรณ: ปีนี้สมาชิกกู้ไปซ่อมหลังคาบ้านหลายราย
ป้าละเอียด: ดอกเบี้ยยังสูงสำหรับคนหาเช้ากินค่ำ
ควรเปิดบัญชีออมเพื่อการศึกษาให้ลูกหลานสมาชิก
"""
KEPT = """บันทึกเวทีกลุ่มเกษตรอินทรีย์ บ้านดงมะไฟ
ลุงประสิทธิ์: ผักปลอดสารขายได้ราคาดีกว่าเดิม
ควรรวมกลุ่มส่งผักให้โรงพยาบาลอำเภอ
"""
CORRECTION = "คุณจำเนียรขอให้แก้ชื่อเวทีเป็นสัจจะวันละบาท"
NOTE = "โทรหาป้าละเอียดเรื่องเอกสารกู้"
SECRETS = ("จำเนียร", "พรหมสุวรรณ", "ละเอียด", "ซ่อมหลังคาบ้าน", "สัจจะวันละบาท", "เอกสารกู้")


def _fill(engine) -> int:
    """Import both records, and leave a correction and a follow-up note on the one to delete."""
    gone = store.import_text(engine, GONE, "ห้วยทรายเหนือ.txt", actor=ADMIN).session_id
    store.import_text(engine, KEPT, "ดงมะไฟ.txt", actor=ADMIN)
    store.correct(engine, gone, "title", CORRECTION, actor=ADMIN)
    store.set_followup(engine, gone, 0, status="agreed", note=NOTE, actor=ADMIN)
    return gone


def _found(data: bytes, texts) -> list[str]:
    return [t for t in texts if t.encode("utf-8") in data]


def test_sqlite_files_hold_no_deleted_text(tmp_path, fake_extractor):
    engine = store.get_engine(f"sqlite:///{tmp_path / 'pdpa.db'}")
    try:
        gone = _fill(engine)
        assert store.delete_session(engine, gone, actor=ADMIN)
        assert store.purge_deleted(engine, actor=ADMIN) == []
        data = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("pdpa.db"))
        assert _found(data, SECRETS) == []
        assert _found(data, ["ประสิทธิ์"]) == ["ประสิทธิ์"]  # the kept session: the scan sees text
    finally:
        engine.dispose()


# ----------------------------------------------------------------------------- PostgreSQL


def _as_postgres(port: int, sql: str) -> str:
    """Run one statement as the postgres OS user (peer authentication on the local socket)."""
    done = subprocess.run(
        ["runuser", "-u", "postgres", "--", "psql", "-p", str(port), "-Atc", sql],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


def _relation_files(engine) -> list[str]:
    """Paths (relative to the data directory) of every table, TOAST table and index of the
    store's schema."""
    query = sa.text(
        """
        WITH mine AS (
            SELECT c.oid, c.reltoastrelid FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i')
        ), toast AS (
            SELECT reltoastrelid AS oid FROM mine WHERE reltoastrelid <> 0
        ), toast_index AS (
            SELECT indexrelid AS oid FROM pg_index WHERE indrelid IN (SELECT oid FROM toast)
        )
        SELECT pg_relation_filepath(oid) FROM (
            SELECT oid FROM mine UNION SELECT oid FROM toast UNION SELECT oid FROM toast_index
        ) AS every_relation
        """
    )
    with engine.connect() as conn:
        return [p for p in conn.execute(query).scalars() if p]


def _read_files(data_dir: Path, relative: list[str]) -> bytes:
    out = []
    for rel in relative:
        base = data_dir / rel
        for path in [base, *sorted(base.parent.glob(base.name + ".[0-9]*"))]:
            if path.exists():
                out.append(path.read_bytes())
    return b"".join(out)


@pytest.mark.postgres
@pytest.mark.parametrize("new_store_url", ["postgres"], indirect=True)
def test_postgres_files_hold_no_deleted_text_after_the_procedure(new_store_url, fake_extractor):
    url = new_store_url()
    parsed = make_url(url)
    if os.geteuid() != 0 or parsed.host not in ("127.0.0.1", "localhost", "::1"):
        pytest.skip("needs root on the database machine, to read PostgreSQL's files")
    if shutil.which("runuser") is None or shutil.which("psql") is None:
        pytest.skip("needs runuser and psql, to run CHECKPOINT as the postgres user")
    port = parsed.port or 5432
    data_dir = Path(_as_postgres(port, "SHOW data_directory"))
    engine = store.get_engine(url)
    try:
        gone = _fill(engine)
        _as_postgres(port, "CHECKPOINT")
        before = _read_files(data_dir, _relation_files(engine))
        assert _found(before, SECRETS) == list(SECRETS)  # the scan sees what is stored
        assert store.delete_session(engine, gone, actor=ADMIN)
        notes = store.purge_deleted(engine, actor=ADMIN)  # the documented procedure …
        _as_postgres(port, "CHECKPOINT")  # … whose CHECKPOINT the store's role may not run
        assert all("CHECKPOINT" in note for note in notes)
        after = _read_files(data_dir, _relation_files(engine))
        assert _found(after, SECRETS) == []
        assert _found(after, ["ประสิทธิ์"]) == ["ประสิทธิ์"]
        trail = store.audit_trail(engine, ADMIN, session_id=gone)
        assert [e["action"] for e in trail] == ["delete", "followup", "correct", "import"]
    finally:
        engine.dispose()
