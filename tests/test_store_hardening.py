"""The store under pressure: NUL bytes and odd names alike on SQLite and PostgreSQL, and
concurrent writers (importers and re-extracts at once) that queue instead of failing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from analysis import export, ingest, store
from analysis import models as m
from analysis.auth import local_admin

ADMIN = local_admin()

REPO = Path(__file__).resolve().parents[1]


def test_nul_bytes_are_dropped_alike_on_every_backend(store_engine, fake_extractor, tmp_path):
    text = "บันทึกเวที\x00ครั้งที่ 1\nคุณมาลี: ควรทำ\x00ต่อ\n"
    result = store.import_text(
        store_engine,
        text,
        "na\x00me.txt",
        extracted={"kind": "summary", "title": "หัว\x00ข้อ", "turns": [{"speaker": "ก\x00"}]},
        actor=ADMIN,
    )
    store.correct(store_engine, result.session_id, "venue", "ศาลา\x00กลาง", actor=ADMIN)
    store.import_record(
        store_engine, {"title": "จาก\x00ตาราง"}, "t.csv#row2", programme="ก\x00ข", actor=ADMIN
    )
    session = store.get_session(store_engine, result.session_id)
    assert session["raw_text"] == text.replace("\x00", "")
    assert session["source_name"] == "name.txt"
    assert session["record"]["title"] == "หัวข้อ" and session["record"]["venue"] == "ศาลากลาง"
    assert store.list_programmes(store_engine) == sorted([store.DEFAULT_PROGRAMME, "กข"])
    # the same text without the NULs is the same record
    assert not store.import_text(
        store_engine, text.replace("\x00", ""), "again.txt", actor=ADMIN
    ).imported
    # and the whole store round-trips through JSONL
    out = export.export_data(store_engine, "jsonl", tmp_path / "x.jsonl", actor=ADMIN)[0]
    assert "\\u0000" not in out.read_text(encoding="utf-8")


def test_nul_in_files_gives_a_warning_and_the_text(store_engine, fake_extractor, tmp_path):
    (tmp_path / "a.csv").write_bytes("text\nบันทึก\x00เวที\n".encode())
    summary = ingest.import_paths(store_engine, [tmp_path], actor=ADMIN)
    [result] = summary.imported
    assert any("NUL" in w for w in summary.warnings)
    assert store.raw_texts(store_engine, [result.session_id])[result.session_id] == "บันทึกเวที"


def test_invalid_utf8_file_names_are_stored_alike(store_engine, fake_extractor, tmp_path):
    name = os.fsdecode(b"\xff\xfe-" + "บันทึก".encode() + b".txt")
    (tmp_path / name).write_text("บันทึกเวทีครั้งที่ 9\n", encoding="utf-8")
    [result] = ingest.import_paths(store_engine, [tmp_path], actor=ADMIN).imported
    assert result.source_name.endswith("\ufffd\ufffd-บันทึก.txt")


def _texts(n: int, prefix: str) -> list[str]:
    return [
        f"บันทึกเวที {prefix} ครั้งที่ {i}\nคุณมาลี: เรื่องที่ {i} ของ {prefix}\nควรทำต่อ {prefix} {i}\n"
        for i in range(n)
    ]


def test_sqlite_write_transactions_take_the_lock_up_front(store_url, tmp_path):
    engine = store.get_engine(store_url)
    try:
        with store.write_transaction(engine) as conn:
            if engine.dialect.name == "sqlite":
                # inside BEGIN IMMEDIATE a second writer cannot even begin
                other = sa.create_engine(store_url, connect_args={"timeout": 0.1})
                try:
                    with other.connect() as c2:
                        c2.exec_driver_sql("BEGIN IMMEDIATE")
                        raise AssertionError("a second writer got the lock")
                except sa.exc.OperationalError as exc:
                    assert "locked" in str(exc)
                finally:
                    other.dispose()
            conn.execute(sa.select(1))
    finally:
        engine.dispose()


def test_concurrent_importers_and_re_extracts_find_every_record_once(store_url, tmp_path):
    """3 importers and 3 re-extracts at once on one store: every record exactly once, every
    process exits 0 (or, if a file could not be written, says so with exit code 3)."""
    folders = []
    for w in range(3):
        folder = tmp_path / f"w{w}"
        folder.mkdir()
        for i, text in enumerate(_texts(40, f"w{w}")):
            (folder / f"{i}.txt").write_text(text, encoding="utf-8")
        folders.append(folder)
    seed = tmp_path / "seed"
    seed.mkdir()
    for i, text in enumerate(_texts(20, "seed")):
        (seed / f"{i}.txt").write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != store.ENV_DATABASE_URL}

    def cli(*args) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "analysis", *args, "--database-url", store_url],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    assert cli("import", str(seed)).wait(timeout=600) == 0
    procs = [cli("import", str(f)) for f in folders] + [cli("re-extract") for _ in range(3)]
    outcomes = [(p.wait(timeout=900), *p.communicate()) for p in procs]
    for code, out, err in outcomes:
        assert code == 0, (code, out[-1500:], err[-1500:])
        assert "locked" not in out + err
    engine = store.get_engine(store_url)
    try:
        with engine.connect() as conn:
            names = conn.execute(sa.select(m.sessions.c.source_name)).scalars().all()
    finally:
        engine.dispose()
    expected = [f"seed/{i}.txt" for i in range(20)] + [
        f"w{w}/{i}.txt" for w in range(3) for i in range(40)
    ]
    assert sorted(names) == sorted(expected)  # each exactly once


def test_processes_opening_a_new_store_at_once_all_succeed(store_url):
    """The first use migrates the schema; six processes starting together take turns."""
    opener = "import sys; from analysis import store; store.get_engine(sys.argv[1]).dispose()"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", opener, store_url],
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _ in results), [err[-800:] for _, err in results]
