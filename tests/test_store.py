"""The programme store, on SQLite and (marker `postgres`) PostgreSQL.

The extractor is replaced by `fake_extractor` (conftest): these tests say what the store does
with whatever the extractor returns, not what the extractor returns.
"""

from __future__ import annotations

import codecs

import pandas as pd
import pytest
import sqlalchemy as sa

from analysis import models as m
from analysis import store
from analysis.auth import PermissionDenied, local_admin
from analysis.tables import TABLE_NAMES, tables_from_sessions
from tests.conftest import person

TEXT = """เวทีถอดบทเรียนกลุ่มออมทรัพย์ บ้านหนองบัว
วันที่ 17 พฤศจิกายน 2548 ณ ศาลาประชาคม
คุณสมชาย: กลุ่มเราออมทุกเดือน
ควรทำงานร่วมกับ อบต. ตั้งแต่ต้น
ควรเอาบัญชีครัวเรือนไปต่อกับงานเดิม
"""


ADMIN = local_admin()


def _text(i: int) -> str:
    return f"บันทึกเวทีครั้งที่ {i}\nคุณมาลี: เรื่องที่ {i}\nควรทำเรื่องที่ {i} ต่อ\n"


@pytest.fixture
def engine(store_engine, fake_extractor):
    return store_engine


def _count(engine, table, **where) -> int:
    query = sa.select(sa.func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


# ----------------------------------------------------------------------------- engine and schema


def test_database_url_from_argument_env_or_default(monkeypatch):
    monkeypatch.delenv(store.ENV_DATABASE_URL, raising=False)
    assert store.database_url() == f"sqlite:///{store.REPO_ROOT / 'data' / 'sangkhro.db'}"
    monkeypatch.setenv(store.ENV_DATABASE_URL, "postgresql://u:p@db:5432/x")
    assert store.database_url() == "postgresql+psycopg://u:p@db:5432/x"
    assert store.database_url("sqlite:///other.db") == "sqlite:///other.db"


def test_first_use_creates_sqlite_file_with_schema_at_head(tmp_path):
    path = tmp_path / "new" / "folder" / "sangkhro.db"
    engine = store.get_engine(f"sqlite:///{path}")
    try:
        assert path.exists()
        names = set(sa.inspect(engine).get_table_names())
        assert set(m.metadata.tables) <= names and "alembic_version" in names
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        store.get_engine(f"sqlite:///{path}").dispose()  # a second start migrates nothing
    finally:
        engine.dispose()


def test_migrations_create_exactly_the_models(store_engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    dialect = store_engine.dialect.name

    def on_this_database(obj, name, type_, reflected, compare_to):
        """An index the models create on one database only (`Index.ddl_if`) is compared there."""
        only = getattr(obj, "_ddl_if", None)
        return only is None or only.dialect in (None, dialect)

    with store_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": on_this_database})
        diff = compare_metadata(context, m.metadata)
    assert diff == []
    if dialect == "postgresql":  # the PostgreSQL-only index is there, in its order
        with store_engine.connect() as conn:
            made = conn.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_sessions_newest'"
                " AND schemaname = current_schema()"
            ).scalar()
        assert "session_date DESC NULLS LAST, id DESC" in made


@pytest.mark.postgres
@pytest.mark.parametrize("new_store_url", ["postgres"], indirect=True)
def test_postgres_connections_ask_without_jit_or_parallel_workers(store_engine):
    """The dashboard's questions run side by side: on PostgreSQL each connection turns off the
    JIT compiler and parallel workers (`engine._postgres_settings`)."""
    assert store_engine.dialect.name == "postgresql"
    with store_engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
        assert conn.exec_driver_sql("SHOW max_parallel_workers_per_gather").scalar() == "0"


@pytest.mark.postgres
@pytest.mark.parametrize("new_store_url", ["postgres"], indirect=True)
def test_a_store_at_0003_upgrades_to_a_sessions_index_holding_the_id(new_store_url):
    """Migration 0004 on a store made before it: PostgreSQL's sessions index gains the id, so
    the sessions that pass a filter are read from the index alone, and an index in the
    recommendation table's order appears; and it goes back down."""
    from alembic import command
    from alembic.config import Config

    from analysis.store.engine import MIGRATIONS_DIR, _create_engine, write_transaction

    engine = _create_engine(new_store_url())
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))

    def to(revision, step=command.upgrade):
        with write_transaction(engine) as connection:
            config.attributes["connection"] = connection
            step(config, revision)

    def included():
        with engine.connect() as conn:
            return conn.exec_driver_sql(
                "SELECT indnatts - indnkeyatts FROM pg_index"
                " WHERE indexrelid = 'ix_sessions_dashboard'::regclass"
            ).scalar()

    def newest_index() -> int:
        with engine.connect() as conn:
            return conn.exec_driver_sql(
                "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_sessions_newest'"
                " AND schemaname = current_schema()"
            ).scalar()

    try:
        to("0003")
        assert (included(), newest_index()) == (0, 0)
        to("head")
        assert (included(), newest_index()) == (1, 1)
        to("0003", command.downgrade)
        assert (included(), newest_index()) == (0, 0)
    finally:
        engine.dispose()


def test_analyze_refreshes_the_planners_statistics(store_engine):
    """After a large change `store.analyze` leaves the planner statistics of the store's own
    tables (SQLite: sqlite_stat1), and on PostgreSQL marks their pages all-visible (VACUUM), so
    that the dashboard's questions read covering indexes alone."""
    from analysis import synthetic

    synthetic.fill_store(store_engine, 30, seed=3, programme="โครงการทดสอบ")  # ends with analyze
    with store_engine.connect() as conn:
        if store_engine.dialect.name == "sqlite":
            analysed = set(conn.exec_driver_sql("SELECT tbl FROM sqlite_stat1").scalars())
            assert {"sessions", "turns", "session_agencies", "themes"} <= analysed
        else:
            rows = conn.exec_driver_sql(
                "SELECT relname, reltuples, relpages, relallvisible FROM pg_class"
                " WHERE relname IN ('sessions', 'turns') AND relnamespace ="
                " (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
            ).all()
            assert len(rows) == 2
            for _name, tuples, pages, visible in rows:
                assert tuples > 0 and pages > 0 and visible == pages


def test_unreachable_database_says_what_to_do():
    with pytest.raises(store.StoreError) as err:
        store.get_engine("postgresql+psycopg://nobody:secret@127.0.0.1:9/none?connect_timeout=2")
    message = str(err.value)
    assert "scripts/start_postgres.sh" in message and "secret" not in message
    assert "เชื่อมต่อฐานข้อมูลไม่ได้" in message


# ----------------------------------------------------------------------------- import


def test_import_keeps_raw_text_exactly_and_the_extraction(engine, fake_extractor):
    result = store.import_text(engine, TEXT, "nongbua.txt", programme="โครงการ ก", actor=ADMIN)
    assert result.status == "imported" and result.imported
    assert "นำเข้าแล้ว" in result.message and "imported" in result.message
    session = store.get_session(engine, result.session_id)
    assert session["raw_text"] == TEXT
    assert session["programme"] == "โครงการ ก"
    assert session["source_name"] == "nongbua.txt"
    assert session["extracted"] == fake_extractor(TEXT)
    assert session["extractor_version"] == "fake-1"
    assert session["record"]["title"] == "เวทีถอดบทเรียนกลุ่มออมทรัพย์ บ้านหนองบัว"
    assert session["review_state"] == "unreviewed" and session["corrections"] == []
    assert session["imported_at"] is not None
    assert store.list_programmes(engine) == ["โครงการ ก"]


@pytest.mark.parametrize(
    "variant",
    [
        lambda t: t.replace("\n", "\r\n"),
        lambda t: "\ufeff" + t,
        lambda t: t.replace("\n", "\n\n").replace(" ", "  ") + "   \n",
        lambda t: t.replace("ออม", "ออ\u200bม"),  # a zero-width space, as decoding may leave
    ],
)
def test_same_text_twice_in_any_programme_adds_nothing_and_says_so(engine, variant):
    first = store.import_text(engine, TEXT, "a.txt", programme="โครงการ ก", actor=ADMIN)
    again = store.import_text(engine, variant(TEXT), "b.txt", programme="โครงการ ข", actor=ADMIN)
    assert again.status == "duplicate" and not again.imported
    assert again.session_id == first.session_id
    assert "ซ้ำ" in again.message and "duplicate" in again.message and "a.txt" in again.message
    assert store.count_sessions(engine) == 1


def test_hash_is_of_the_decoded_text_whatever_the_encoding():
    from analysis.text import decode_bytes

    digests = {
        store.content_hash(decode_bytes(TEXT.encode(enc)))
        for enc in ("utf-8", "utf-8-sig", "utf-16", "cp874")
    }
    digests.add(store.content_hash(decode_bytes(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"))))
    assert len(digests) == 1


def test_empty_text_is_refused_with_advice(engine):
    with pytest.raises(store.StoreError, match="empty"):
        store.import_text(engine, " \n\u200b ", "blank.txt", actor=ADMIN)


def test_programme_names_are_data_not_sql(engine):
    name = "x'); DROP TABLE sessions; --"
    store.import_text(engine, TEXT, "a.txt", programme=name, actor=ADMIN)
    assert store.list_programmes(engine) == [name]
    assert store.count_sessions(engine, name) == 1


# ----------------------------------------------------------------------------- corrections


CORRECTIONS = [
    ("title", "ชื่อที่แก้แล้ว"),
    ("kind", "transcript"),
    ("session_date", "2005-11-17"),
    ("end_date", "2005-11-18"),
    ("time_range", "09:00-12:00"),
    ("venue", "ห้องสมุดประชาชน"),
    ("participant_count", 17),
    ("province", "นครศรีธรรมราช"),
    ("agencies", ["พช.", "ธกส."]),
    (
        "turns",
        [
            {
                "speaker": "คุณเกรียงไกร",
                "agency": "เกษตร",
                "text": "ใช้หลักสูตรเดียวกัน",
                "speaker_role": "official",
            }
        ],
    ),
    ("recommendations", ["ต้องให้เขาเต็มใจ"]),
    ("themes", ["ความสมัครใจ", "บูรณาการงานเดิม"]),
]


@pytest.mark.parametrize(("field", "value"), CORRECTIONS, ids=[c[0] for c in CORRECTIONS])
def test_a_correction_beats_the_extraction(engine, field, value):
    sid = store.import_text(engine, TEXT, "a.txt", actor=ADMIN).session_id
    effective = store.correct(engine, sid, field, value, actor=person("สมศรี"))
    assert effective[field] == value
    session = store.get_session(engine, sid)
    assert session["record"][field] == value
    assert session["extracted"][field] != value  # the extraction itself is kept as it was
    [c] = session["corrections"]
    assert (c["field"], c["value"], c["corrected_by"]) == (field, value, "สมศรี")
    assert c["corrected_at"] is not None


def test_corrections_reach_the_sql_tables(engine):
    sid = store.import_text(engine, TEXT, "a.txt", actor=ADMIN).session_id
    store.correct(engine, sid, "title", "ชื่อใหม่", actor=person("ก"))
    store.correct(engine, sid, "session_date", "2005-11-17", actor=person("ก"))
    store.correct(engine, sid, "turns", [{"speaker": "ป้ามาลี", "text": "พูดยาว"}], actor=person("ก"))
    store.correct(engine, sid, "recommendations", ["ต้องให้เขาเต็มใจ"], actor=person("ก"))
    store.correct(engine, sid, "themes", ["ความสมัครใจ"], actor=person("ก"))
    store.correct(engine, sid, "agencies", ["พช."], actor=person("ก"))
    with engine.connect() as conn:
        row = conn.execute(sa.select(m.sessions).where(m.sessions.c.id == sid)).one()
        assert row.title == "ชื่อใหม่" and str(row.session_date) == "2005-11-17"
        assert row.n_turns == 1 and row.n_recommendations == 1
        assert conn.execute(sa.select(m.turns.c.speaker, m.turns.c.text)).all() == [
            ("ป้ามาลี", "พูดยาว")
        ]
        assert conn.execute(sa.select(m.recommendations.c.text)).scalars().all() == [
            "ต้องให้เขาเต็มใจ"
        ]
        assert conn.execute(sa.select(m.themes.c.theme)).scalars().all() == ["ความสมัครใจ"]
        assert conn.execute(sa.select(m.session_agencies.c.as_written)).scalars().all() == ["พช."]


def test_latest_correction_wins_and_history_is_kept(engine):
    sid = store.import_text(engine, TEXT, "a.txt", actor=ADMIN).session_id
    store.correct(engine, sid, "participant_count", "๑๗", actor=person("ก"))  # Thai digits accepted
    store.correct(engine, sid, "participant_count", None, actor=person("ข"))
    session = store.get_session(engine, sid)
    assert session["record"]["participant_count"] is None
    assert [(c["value"], c["corrected_by"]) for c in session["corrections"]] == [
        (17, "ก"),
        (None, "ข"),
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("session_date", "17/11/2548"),
        ("session_date", "2005-02-30"),
        ("time_range", "9-12"),
        ("participant_count", -3),
        ("participant_count", "ประมาณสิบ"),
        ("kind", "minutes"),
        ("agencies", "พช."),
        ("turns", [{"speaker": "ก"}]),
        ("extractor_version", "9"),
        ("raw_text", "..."),
    ],
)
def test_bad_corrections_are_refused_with_what_to_do(engine, field, value):
    sid = store.import_text(engine, TEXT, "a.txt", actor=ADMIN).session_id
    with pytest.raises(store.StoreError) as err:
        store.correct(engine, sid, field, value, actor=person("ก"))
    assert field in str(err.value)
    assert store.get_session(engine, sid)["corrections"] == []


def test_who_must_be_signed_in(engine):
    sid = store.import_text(engine, TEXT, "a.txt", actor=ADMIN).session_id
    with pytest.raises(PermissionDenied, match="sign in first"):
        store.correct(engine, sid, "title", "x", actor=None)
    with pytest.raises(PermissionDenied, match="sign in first"):
        store.mark_reviewed(engine, sid, actor="สมศรี")  # a typed name is no actor
    assert store.get_session(engine, sid)["corrections"] == []


def test_unknown_session_says_so(engine):
    with pytest.raises(store.SessionNotFound, match="no session 999"):
        store.get_session(engine, 999)
    with pytest.raises(store.SessionNotFound):
        store.correct(engine, 999, "title", "x", actor=person("ก"))


def test_corrected_agencies_keep_the_gazetteer_resolution(engine, monkeypatch):
    def extractor(text):
        return store.normalise_record(
            {
                "kind": "summary",
                "agencies": ["พช.", "อบต.ท่าศาลา"],
                "extractor_version": "x",
                "agencies_canonical": [
                    {
                        "as_written": "พช.",
                        "canonical": "กรมการพัฒนาชุมชน",
                        "abbreviation": "พช.",
                        "type": "government department",
                    },
                    {
                        "as_written": "อบต.ท่าศาลา",
                        "canonical": "องค์การบริหารส่วนตำบลท่าศาลา",
                        "abbreviation": "อบต.",
                        "type": "local government",
                    },
                ],
            }
        )

    monkeypatch.setattr(store, "run_extractor", extractor)
    sid = store.import_text(engine, TEXT, "a.txt", actor=ADMIN).session_id
    store.correct(
        engine,
        sid,
        "agencies",
        [
            "พช.",
            {"as_written": "มวล.", "canonical": "มหาวิทยาลัยวลัยลักษณ์", "type": "university"},
        ],
        actor=person("ก"),
    )
    agencies = store.load_tables(engine).agencies
    assert agencies[["as_written", "canonical", "type"]].values.tolist() == [
        ["พช.", "กรมการพัฒนาชุมชน", "government department"],
        ["มวล.", "มหาวิทยาลัยวลัยลักษณ์", "university"],
    ]
    with engine.connect() as conn:  # the dimension table knows the added agency
        canon = conn.execute(sa.select(m.agencies.c.canonical)).scalars().all()
    assert "มหาวิทยาลัยวลัยลักษณ์" in canon


# ----------------------------------------------------------------------------- re-extraction


def test_re_extract_updates_what_nobody_corrected_and_keeps_every_correction(
    engine, fake_extractor
):
    sid = store.import_text(engine, TEXT, "a.txt", actor=ADMIN).session_id
    other = store.import_text(engine, _text(1), "b.txt", actor=ADMIN).session_id
    store.correct(engine, sid, "title", "ชื่อที่คนแก้", actor=person("สมศรี"))
    store.mark_reviewed(engine, sid, actor=person("สมศรี"))
    store.set_followup(
        engine, sid, "ควรทำงานร่วมกับ อบต. ตั้งแต่ต้น", status="agreed", actor=person("สมศรี")
    )

    original = type(fake_extractor).__call__

    def newer(self, text):
        rec = original(self, text)
        rec["themes"] = ["ประเด็นจากตัวสกัดรุ่นใหม่"]
        rec["title"] = "ชื่อจากตัวสกัดรุ่นใหม่"
        return rec

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(type(fake_extractor), "__call__", newer)
    fake_extractor.version = "fake-2"
    seen = []
    try:
        counts = store.re_extract(
            engine, progress=lambda d, t, n: seen.append((d, t, n)), actor=ADMIN
        )
        again = store.re_extract(engine, actor=ADMIN)
    finally:
        monkeypatch.undo()
    assert counts["total"] == 2 and counts["changed"] == 2 and counts["failed"] == 0
    assert seen[-1][:2] == (2, 2)

    session = store.get_session(engine, sid)
    assert session["record"]["title"] == "ชื่อที่คนแก้"  # the correction stays
    assert session["record"]["themes"] == ["ประเด็นจากตัวสกัดรุ่นใหม่"]  # the rest follows
    assert session["extracted"]["title"] == "ชื่อจากตัวสกัดรุ่นใหม่"
    assert session["extractor_version"] == "fake-2"
    assert session["corrections"][0]["corrected_by"] == "สมศรี"
    assert session["review_state"] == "reviewed"
    assert session["followups"][0]["status"] == "agreed"
    assert store.get_session(engine, other)["record"]["title"] == "ชื่อจากตัวสกัดรุ่นใหม่"
    assert store.load_tables(engine).sessions.set_index("session_id").loc[sid, "title"] == (
        "ชื่อที่คนแก้"
    )
    assert again["changed"] == 0 and again["unchanged"] == 2


def test_re_extract_leaves_structured_sessions_alone(engine):
    store.import_record(
        engine, {"title": "จากตาราง", "agencies": ["พช."]}, "t.csv#row2", actor=ADMIN
    )
    counts = store.re_extract(engine, actor=ADMIN)
    assert counts == {
        "total": 0,
        "changed": 0,
        "unchanged": 0,
        "failed": 0,
        "structured": 1,
        "errors": [],
    }


# ----------------------------------------------------------------------------- follow-ups


def test_followups_by_position_or_text_survive_re_extraction(engine, fake_extractor):
    sid = store.import_text(engine, TEXT, "a.txt", actor=ADMIN).session_id
    store.set_followup(
        engine,
        sid,
        0,
        status="in_progress",
        owner_agency="อบต.ท่าศาลา",
        due_date="2025-03-31",
        note="เริ่มแล้ว",
        actor=person("ก"),
    )
    store.set_followup(
        engine, sid, "ควรเอาบัญชีครัวเรือนไปต่อกับงานเดิม", status="dropped", actor=person("ข")
    )
    follow = store.get_session(engine, sid)["followups"]
    assert [f["status"] for f in follow] == ["in_progress", "dropped"]
    assert follow[0]["owner_agency"] == "อบต.ท่าศาลา" and follow[0]["due_date"] == "2025-03-31"
    assert follow[1]["updated_by"] == "ข"

    # only the given fields change; "" clears one
    store.set_followup(engine, sid, 0, status="done", note="", actor=person("ค"))
    f0 = store.get_session(engine, sid)["followups"][0]
    assert (f0["status"], f0["owner_agency"], f0["note"]) == ("done", "อบต.ท่าศาลา", None)

    # a correction that drops the text hides its follow-up; restoring the text brings it back
    store.correct(
        engine, sid, "recommendations", ["ควรเอาบัญชีครัวเรือนไปต่อกับงานเดิม"], actor=person("ก")
    )
    assert [f["status"] for f in store.get_session(engine, sid)["followups"]] == ["dropped"]
    store.correct(
        engine,
        sid,
        "recommendations",
        ["ควรเอาบัญชีครัวเรือนไปต่อกับงานเดิม", "ควรทำงานร่วมกับ อบต. ตั้งแต่ต้น"],
        actor=person("ก"),
    )
    statuses = store.load_tables(engine).recommendations["status"].tolist()
    assert statuses == ["dropped", "done"]
    store.re_extract(engine, actor=ADMIN)
    assert store.load_tables(engine).recommendations["status"].tolist() == ["dropped", "done"]


def test_followup_status_shows_in_the_sql_table(engine):
    sid = store.import_text(engine, TEXT, "a.txt", actor=ADMIN).session_id
    store.set_followup(engine, sid, 1, status="agreed", owner_agency="พช.", actor=person("ก"))
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                m.recommendations.c.seq,
                m.recommendations.c.status,
                m.recommendations.c.owner_agency,
            ).order_by(m.recommendations.c.seq)
        ).all()
    assert [tuple(r) for r in rows] == [(0, "proposed", None), (1, "agreed", "พช.")]


@pytest.mark.parametrize(
    ("recommendation", "kwargs", "expected"),
    [
        (0, {"status": "finished"}, "in_progress"),
        (5, {"status": "done"}, "position 5"),
        ("ไม่มีข้อนี้", {"status": "done"}, "no such recommendation"),
        (0, {"due_date": "สิ้นปี"}, "YYYY-MM-DD"),
    ],
)
def test_bad_followups_are_refused(engine, recommendation, kwargs, expected):
    sid = store.import_text(engine, TEXT, "a.txt", actor=ADMIN).session_id
    with pytest.raises(store.StoreError, match=expected):
        store.set_followup(engine, sid, recommendation, actor=person("ก"), **kwargs)


# ----------------------------------------------------------------------------- review


def test_review_queue_and_mark_reviewed(engine):
    a = store.import_text(engine, _text(1), "a.txt", programme="ก", actor=ADMIN).session_id
    b = store.import_text(engine, _text(2), "b.txt", programme="ข", actor=ADMIN).session_id
    store.correct(engine, b, "title", "แก้", actor=person("ก"))
    queue = store.review_queue(engine)
    assert [q["session_id"] for q in queue] == [a, b]
    assert queue[1]["n_corrections"] == 1
    assert [q["session_id"] for q in store.review_queue(engine, programme="ข")] == [b]
    store.mark_reviewed(engine, a, actor=person("ผู้ตรวจ"))
    session = store.get_session(engine, a)
    assert session["review_state"] == "reviewed" and session["reviewed_by"] == "ผู้ตรวจ"
    assert session["reviewed_at"] is not None
    assert [q["session_id"] for q in store.review_queue(engine)] == [b]
    store.mark_reviewed(engine, a, actor=person("ผู้ตรวจ"), reviewed=False)
    assert store.get_session(engine, a)["review_state"] == "unreviewed"


# ----------------------------------------------------------------------------- delete


def test_delete_session_removes_every_row_in_one_go(engine, monkeypatch):
    def extractor(text):
        return store.normalise_record(
            {
                "kind": "transcript",
                "title": text.split("\n")[0],
                "agencies": [text.split("\n")[0]],
                "turns": [{"speaker": "นางสาวสมศรี ใจดี", "agency": None, "text": text}],
                "recommendations": [f"ควร {text[:10]}"],
                "recommendation_categories": [["c"]],
                "themes": ["t"],
                "extractor_version": "x",
            }
        )

    monkeypatch.setattr(store, "run_extractor", extractor)
    keep = store.import_text(engine, _text(1), "keep.txt", actor=ADMIN).session_id
    gone = store.import_text(engine, _text(2), "gone.txt", actor=ADMIN).session_id
    store.correct(engine, gone, "title", "x", actor=person("ก"))
    store.set_followup(engine, gone, 0, status="done", actor=person("ก"))
    assert store.delete_session(engine, gone, actor=ADMIN) is True
    for table in m.SESSION_CHILD_TABLES:
        assert _count(engine, table, session_id=gone) == 0, table.name
    assert _count(engine, m.sessions, id=gone) == 0
    assert _count(engine, m.agencies) == 1  # the deleted session's own agency went too
    assert store.get_session(engine, keep)["source_name"] == "keep.txt"
    assert store.delete_session(engine, gone, actor=ADMIN) is False
    with pytest.raises(store.SessionNotFound):
        store.get_session(engine, gone)
    # the same text can be imported again afterwards
    assert store.import_text(engine, _text(2), "again.txt", actor=ADMIN).imported


def test_deleted_text_is_not_left_in_the_sqlite_file(tmp_path, fake_extractor):
    path = tmp_path / "pdpa.db"
    engine = store.get_engine(f"sqlite:///{path}")
    secret = "นายทดสอบ ลบข้อมูลส่วนบุคคล"
    text = f"บันทึกที่มีชื่อคน\n{secret}: ข้อความของเขา\n"
    sid = store.import_text(engine, text, "pdpa.txt", actor=ADMIN).session_id
    store.delete_session(engine, sid, actor=ADMIN)
    engine.dispose()
    data = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("pdpa.db"))
    assert secret.encode("utf-8") not in data


# ----------------------------------------------------------------------------- tables


def _varied_store(engine, monkeypatch):
    """Sessions with every kind of value the tables meet: None, empty lists, corrections,
    follow-ups, two programmes, odd dates."""

    def extractor(text):
        i = int(text.split("ครั้งที่ ")[1].split("\n")[0])
        recs = [f"ควรทำ {i}-{k}" for k in range(i % 3)]
        return store.normalise_record(
            {
                "kind": ("transcript", "summary", "other")[i % 3],
                "title": None if i == 4 else f"เวที {i}",
                "session_date": (None, "2005-11-17", "2022-10-01", "2005-02-30")[i % 4],
                "end_date": "2005-11-18" if i == 1 else None,
                "time_range": "09:00-12:00" if i % 2 else None,
                "venue": "ศาลา" if i % 2 else None,
                "participant_count": i * 10 if i % 2 else None,
                "province": "น่าน" if i % 2 else None,
                "agencies": ["พช.", "อบต."][: i % 3],
                "agencies_canonical": [
                    {
                        "as_written": "พช.",
                        "canonical": "กรมการพัฒนาชุมชน",
                        "abbreviation": "พช.",
                        "type": "government department",
                    }
                ],
                "turns": [
                    {
                        "speaker": f"คุณ{k}",
                        "agency": "พช." if k else None,
                        "text": "พูด" * k,
                        "speaker_role": "official",
                    }
                    for k in range(i % 4)
                ],
                "recommendations": recs,
                "recommendation_categories": [["a", "b"][: k + 1] for k in range(len(recs))][:1],
                "themes": ["ก", "ข"][: i % 3],
                "extractor_version": "x",
            }
        )

    monkeypatch.setattr(store, "run_extractor", extractor)
    ids = [
        store.import_text(
            engine, _text(i), f"{i}.txt", programme="ก" if i % 2 else "ข", actor=ADMIN
        ).session_id
        for i in range(1, 9)
    ]
    store.correct(engine, ids[0], "participant_count", None, actor=person("ก"))
    store.correct(engine, ids[1], "recommendations", ["ใหม่", "ควรทำ 2-0"], actor=person("ก"))
    store.set_followup(engine, ids[1], 1, status="done", due_date="2025-01-31", actor=person("ก"))
    store.set_followup(engine, ids[4], 0, status="agreed", owner_agency="พช.", actor=person("ก"))
    store.mark_reviewed(engine, ids[2], actor=person("ก"))
    return ids


def _assert_same_tables(a, b):
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)


def test_load_tables_equals_the_reference_path(engine, monkeypatch):
    _assert_same_tables(store.load_tables(engine), tables_from_sessions([]))
    _varied_store(engine, monkeypatch)
    for programme in (None, "ก", "ข", "ไม่มีโครงการนี้"):
        _assert_same_tables(
            store.load_tables(engine, programme),
            tables_from_sessions(store.load_effective_sessions(engine, programme)),
        )
    sessions = store.load_tables(engine).sessions
    assert len(sessions) == 8 and sessions["fiscal_year"].dropna().tolist() == [
        2549,
        2566,
        2549,
        2566,
    ]


def test_effective_session_dicts_follow_the_contract(engine, monkeypatch):
    ids = _varied_store(engine, monkeypatch)
    sessions = store.load_effective_sessions(engine)
    assert [s["session_id"] for s in sessions] == ids
    keys = {
        "session_id",
        "programme",
        "source_name",
        "imported_at",
        "review_state",
        "reviewed_by",
        "reviewed_at",
        "record",
        "followups",
    }
    for s in sessions:
        assert keys <= set(s)
        assert len(s["followups"]) == len(s["record"]["recommendations"])
        assert all(f["recommendation_id"] is not None for f in s["followups"])
    second = sessions[1]
    assert second["record"]["recommendations"] == ["ใหม่", "ควรทำ 2-0"]
    assert second["record"]["recommendation_categories"] == [[], ["a"]]
    assert second["followups"][1]["status"] == "done"
    assert second["followups"][1]["due_date"] == "2025-01-31"
    assert [s["session_id"] for s in store.load_effective_sessions(engine, "ก")] == ids[0::2]


def test_a_failure_inside_an_import_leaves_nothing(engine, monkeypatch):
    store.import_text(engine, _text(1), "ok.txt", actor=ADMIN)

    def broken(conn, entries, **kwargs):
        session_id = entries[0][0]
        conn.execute(sa.insert(m.themes).values(session_id=session_id, seq=0, theme="half"))
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_materialise", broken)
    with pytest.raises(RuntimeError):
        store.import_text(engine, _text(2), "broken.txt", programme="ใหม่", actor=ADMIN)
    assert store.count_sessions(engine) == 1
    assert _count(engine, m.themes, theme="half") == 0
    assert store.list_programmes(engine) == [store.DEFAULT_PROGRAMME]
