"""Import and re-extraction with extraction in worker processes give exactly what one process
gives: the same sessions, records and order; writes stay in the calling process."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from analysis import ingest, store
from analysis import models as m
from analysis.auth import local_admin
from analysis.synthetic import SHAPES, render_shaped, synthetic_sessions

ADMIN = local_admin()


def _corpus(folder, n: int = 9) -> None:
    for i, session in enumerate(synthetic_sessions(n, seed=21)):
        text = render_shaped(session, SHAPES[i % len(SHAPES)], 21)
        (folder / session["source_name"]).write_text(text, encoding="utf-8")
    # the same text twice: stored once, whichever process extracted it
    first = sorted(folder.iterdir())[0]
    (folder / "copy_of_first.txt").write_text(first.read_text(encoding="utf-8"), encoding="utf-8")


def _stored(engine) -> list[tuple]:
    s = m.sessions
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(s.c.id, s.c.source_name, s.c.extracted).order_by(s.c.id)
        ).all()
    return [(row.id, row.source_name, row.extracted) for row in rows]


def test_two_workers_store_what_one_process_stores(tmp_path, new_store_url):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _corpus(corpus)
    results = {}
    progress: dict[int, list] = {}
    for workers in (1, 2):
        engine = store.get_engine(new_store_url())
        progress[workers] = []
        summary = ingest.import_paths(
            engine,
            [corpus],
            progress=lambda done, total, name, w=workers: progress[w].append((done, total, name)),
            actor=ADMIN,
            workers=workers,
        )
        assert len(summary.imported) == 9 and len(summary.duplicates) == 1, summary.to_text()
        results[workers] = _stored(engine)
        engine.dispose()
    assert results[2] == results[1]
    assert progress[2] == progress[1] and progress[2][-1][:2] == (10, 10)
    assert all(rec["extractor_version"] not in ("failed", "") for _, _, rec in results[2])


def test_re_extract_with_workers_keeps_corrections(tmp_path, store_engine):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _corpus(corpus, n=6)
    ingest.import_paths(store_engine, [corpus], actor=ADMIN)
    sid = _stored(store_engine)[0][0]
    store.correct(store_engine, sid, "title", "ชื่อที่ผู้ตรวจแก้", actor=ADMIN)
    s = m.sessions
    with store_engine.begin() as conn:  # make every stored extraction look stale
        conn.execute(sa.update(s).values(extracted={"kind": "other"}))
    counts = store.re_extract(store_engine, actor=ADMIN, workers=2, batch_size=4)
    assert (counts["total"], counts["changed"], counts["failed"]) == (6, 6, 0)
    assert store.get_session(store_engine, sid)["record"]["title"] == "ชื่อที่ผู้ตรวจแก้"
    fresh = {name: rec for _, name, rec in _stored(store_engine)}
    for path in sorted(corpus.iterdir())[:6]:
        if path.name in fresh:
            assert fresh[path.name] == store.run_extractor(path.read_text(encoding="utf-8"))


def test_tables_among_texts_stream_and_store_the_same_with_workers(tmp_path, new_store_url):
    """A .csv between text files is passed to the importer as a stream (never read ahead), the
    texts around it are extracted by workers; both give what one process gives, in order, and
    a table that turns out too long stores nothing whatever the worker count."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _corpus(corpus, n=4)
    rows = "".join(f'"บันทึกเวทีชุมชน แถว {i}\nผู้ใหญ่บ้าน: ขอให้ซ่อมฝาย {i}"\n' for i in range(3))
    (corpus / "b_rows.csv").write_text("text\n" + rows, encoding="utf-8")
    long_rows = "".join(f'"แถวยาว {i}"\n' for i in range(ingest.MAX_TABLE_ROWS + 1))
    (corpus / "c_too_long.csv").write_text("text\n" + long_rows, encoding="utf-8")
    results = {}
    for workers in (1, 2):
        engine = store.get_engine(new_store_url())
        summary = ingest.import_paths(engine, [corpus], actor=ADMIN, workers=workers)
        assert [s.code for s in summary.skipped] == ["too_many_rows"], summary.to_text()
        results[workers] = _stored(engine)
        engine.dispose()
    assert results[2] == results[1]
    names = [name for _, name, _ in results[2]]
    assert sum("b_rows.csv" in name for name in names) == 3
    assert not any("c_too_long" in name for name in names)


def test_a_text_that_fails_in_a_worker_fails_alone(monkeypatch):
    """Texts travel to the workers a few to a task: one whose extraction raises gets that error
    (or, when the error cannot travel between processes, a RuntimeError naming it); the others
    of its task get their records."""
    from analysis.store import engine as store_engine

    class Unpicklable(Exception):  # a local class: pickle cannot find it again
        pass

    def extractor(text: str) -> dict:
        if text == "ข้อความเสีย":
            raise ValueError("รูปแบบแปลก")
        if text == "ข้อความพัง":
            raise Unpicklable("ส่งกลับไม่ได้")
        return {"title": text}

    monkeypatch.setattr(store_engine, "run_extractor", extractor)  # forked workers inherit it
    texts = ["บันทึกหนึ่ง", "ข้อความเสีย", "บันทึกสอง", "ข้อความพัง", "บันทึกสาม"]
    with store.extraction_pool(2) as pool:
        futures = pool.submit_many(texts)
        assert [f.result()["title"] for f in futures[0::2]] == texts[0::2]
        with pytest.raises(ValueError, match="รูปแบบแปลก"):
            futures[1].result()
        with pytest.raises(RuntimeError, match="Unpicklable: ส่งกลับไม่ได้"):
            futures[3].result()


def test_a_worker_that_dies_fails_its_texts_with_the_reason(monkeypatch):
    """A worker killed mid-task (out of memory, a crash in C) does not hang the import: each
    text it held raises BrokenProcessPool, which the import counts as that file's failure."""
    import os
    from concurrent.futures.process import BrokenProcessPool

    from analysis.store import engine as store_engine

    def extractor(text: str) -> dict:
        if text == "ข้อความที่ทำให้ตาย":
            os._exit(3)
        return {"title": text}

    monkeypatch.setattr(store_engine, "run_extractor", extractor)
    with store.extraction_pool(2) as pool:
        slots = pool.submit_many(["บันทึกหนึ่ง", "ข้อความที่ทำให้ตาย"])
        for slot in slots:
            with pytest.raises(BrokenProcessPool):
                slot.result()


def test_workers_yield_the_cpu_to_the_writing_process(monkeypatch):
    """The process that writes sets the pace: its extraction workers run at a lower priority
    (niceness WORKER_NICENESS above it), so on busy cores it runs first."""
    import os

    from analysis.store import engine as store_engine

    monkeypatch.setattr(store_engine, "run_extractor", lambda text: {"title": str(os.nice(0))})
    mine = os.nice(0)
    with store.extraction_pool(2) as pool:
        theirs = {int(slot.result()["title"]) for slot in pool.submit_many(["ก", "ข", "ค"])}
    assert theirs == {min(19, mine + store_engine.WORKER_NICENESS)}
    assert os.nice(0) == mine
