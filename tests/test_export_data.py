"""Data export: JSONL round trip (corrections, review states, follow-ups included), CSV, XLSX."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import export, ingest, store
from analysis.auth import local_admin
from analysis.tables import TABLE_NAMES
from tests.conftest import person

ACTOR = local_admin()  # the local user: an admin, as with no sign-in configured

REPO = Path(__file__).resolve().parent.parent


def numbered(i: int) -> str:
    return f"บันทึกเวทีครั้งที่ {i}\nคุณมาลี: เรื่องที่ {i}\nควรทำเรื่องที่ {i} ต่อ\nควรทำอีกข้อ {i}\n"


def _fill(engine) -> list[int]:
    """A store with everything a round trip must keep."""
    ids = [
        store.import_text(
            engine, numbered(i), f"{i}.txt", programme="ก" if i % 2 else "ข", actor=ACTOR
        ).session_id
        for i in range(1, 5)
    ]
    ids.append(
        store.import_text(
            engine,
            numbered(5),
            "page.html",
            programme="ก",
            raw="<p>" + numbered(5) + "</p>",
            actor=ACTOR,
        ).session_id
    )
    ids.append(
        store.import_record(
            engine,
            {"title": "จากตาราง", "agencies": ["พช."], "session_date": "2006-01-05"},
            "table.csv#row2",
            programme="ข",
            actor=ACTOR,
        ).session_id
    )
    store.correct(engine, ids[0], "title", "ชื่อที่แก้", actor=person("สมศรี"))
    store.correct(engine, ids[0], "title", "ชื่อที่แก้ครั้งที่สอง", actor=person("สมชาย"))
    store.correct(
        engine,
        ids[0],
        "agencies",
        ["พช.", {"as_written": "มวล.", "canonical": "มหาวิทยาลัยวลัยลักษณ์", "type": "university"}],
        actor=person("สมศรี"),
    )
    store.correct(engine, ids[1], "participant_count", 17, actor=person("สมศรี"))
    store.correct(
        engine,
        ids[1],
        "turns",
        [{"speaker": "ป้ามาลี", "agency": None, "text": "พูด"}],
        actor=person("สมศรี"),
    )
    store.set_followup(
        engine,
        ids[1],
        0,
        status="agreed",
        owner_agency="อบต.",
        due_date="2025-06-30",
        note="รอประชุม",
        actor=person("สมชาย"),
    )
    store.set_followup(engine, ids[2], 1, status="dropped", actor=person("สมชาย"))
    # a follow-up whose text a later correction removed: kept, hidden, still exported
    store.correct(engine, ids[2], "recommendations", ["ควรทำเรื่องที่ 3 ต่อ"], actor=person("สมศรี"))
    store.mark_reviewed(engine, ids[0], actor=person("ผู้ตรวจ"))
    store.mark_reviewed(engine, ids[3], actor=person("ผู้ตรวจ"))
    return ids


def _without_ids(lines: list[dict]) -> list[dict]:
    return [{k: v for k, v in line.items() if k != "session_id"} for line in lines]


def _tables_without_ids(tables):
    out = {}
    for name in TABLE_NAMES:
        frame = getattr(tables, name).drop(
            columns=["session_id", "recommendation_id"], errors="ignore"
        )
        out[name] = frame.reset_index(drop=True)
    return out


def test_jsonl_export_reimported_into_an_empty_store_gives_the_same_store(
    new_store_url, fake_extractor, tmp_path
):
    source = store.get_engine(new_store_url())
    target = store.get_engine(new_store_url())
    try:
        _fill(source)
        out = tmp_path / "export.jsonl"
        assert export.export_data(source, "jsonl", out, actor=ACTOR) == [out]
        calls_before = fake_extractor.calls
        summary = ingest.import_paths(target, [out], actor=ACTOR)
        assert len(summary.imported) == 6 and not summary.skipped, summary.to_text()
        assert fake_extractor.calls == calls_before  # the extraction travels; nothing re-run

        again = tmp_path / "again.jsonl"
        export.export_data(target, "jsonl", again, actor=ACTOR)
        first = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        second = [json.loads(line) for line in again.read_text(encoding="utf-8").splitlines()]
        assert _without_ids(second) == _without_ids(first)

        a, b = (
            _tables_without_ids(store.load_tables(source)),
            _tables_without_ids(store.load_tables(target)),
        )
        for name in TABLE_NAMES:
            pd.testing.assert_frame_equal(a[name], b[name], obj=name)
        assert store.list_programmes(target) == ["ก", "ข"]

        # what the lines hold
        line = first[0]
        assert line["format"] == "sangkhro.session" and line["programme"] == "ก"
        assert [c["corrected_by"] for c in line["corrections"]] == ["สมศรี", "สมชาย", "สมศรี"]
        assert line["review_state"] == "reviewed" and line["reviewed_by"] == "ผู้ตรวจ"
        assert line["record"]["title"] == "ชื่อที่แก้ครั้งที่สอง"
        assert line["extracted"]["title"] == "บันทึกเวทีครั้งที่ 1"
        assert first[1]["followups"][0]["due_date"] == "2025-06-30"
        assert len(first[2]["followups"]) == 1 and first[2]["record"]["recommendations"] == [
            "ควรทำเรื่องที่ 3 ต่อ"
        ]
        assert first[4]["source_text"].startswith("<p>")
        assert first[5]["origin"] == "structured"

        # the same export again adds nothing, and a re-extraction keeps the corrections
        assert len(ingest.import_paths(target, [out], actor=ACTOR).duplicates) == 6
        store.re_extract(target, actor=ACTOR)
        sid = store.load_tables(target).sessions["session_id"].iloc[0]
        assert store.get_session(target, int(sid))["record"]["title"] == "ชื่อที่แก้ครั้งที่สอง"
    finally:
        source.dispose()
        target.dispose()


def test_jsonl_programme_can_be_overridden_and_filtered(new_store_url, fake_extractor, tmp_path):
    source = store.get_engine(new_store_url())
    target = store.get_engine(new_store_url())
    try:
        _fill(source)
        out = tmp_path / "ก.jsonl"
        export.export_data(source, "jsonl", out, programme="ก", actor=ACTOR)
        assert len(out.read_text(encoding="utf-8").splitlines()) == 3
        ingest.import_paths(target, [out], programme="รวม", actor=ACTOR)
        assert store.list_programmes(target) == ["รวม"]
        assert store.count_sessions(target, "รวม") == 3
    finally:
        source.dispose()
        target.dispose()


def test_csv_export_tables_with_thai_for_excel(store_engine, fake_extractor, tmp_path):
    ids = _fill(store_engine)
    written = export.export_data(
        store_engine, "csv", tmp_path / "out" / "sangkhro.csv", actor=ACTOR
    )
    names = sorted(p.name for p in written)
    assert names == sorted(
        [
            "sangkhro.csv",
            "sangkhro.agencies.csv",
            "sangkhro.turns.csv",
            "sangkhro.recommendations.csv",
            "sangkhro.recommendation_categories.csv",
            "sangkhro.themes.csv",
            "sangkhro.corrections.csv",
        ]
    )
    main = tmp_path / "out" / "sangkhro.csv"
    assert main.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads Thai from UTF-8 with BOM
    with open(main, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["session_id"]) for r in rows] == ids
    first = rows[0]
    assert first["title"] == "ชื่อที่แก้ครั้งที่สอง" and first["agencies"] == "พช.\nมวล."
    assert first["raw_text"] == numbered(1) and first["review_state"] == "reviewed"
    assert rows[5]["session_date"] == "2006-01-05"
    with open(tmp_path / "out" / "sangkhro.recommendations.csv", encoding="utf-8-sig") as fh:
        recs = list(csv.DictReader(fh))
    agreed = [r for r in recs if r["status"] == "agreed"]
    assert agreed[0]["due_date"] == "2025-06-30" and agreed[0]["owner_agency"] == "อบต."


def test_csv_export_can_be_imported_as_texts(new_store_url, fake_extractor, tmp_path):
    source = store.get_engine(new_store_url())
    target = store.get_engine(new_store_url())
    try:
        _fill(source)
        export.export_data(source, "csv", tmp_path / "x.csv", actor=ACTOR)
        summary = ingest.import_paths(target, [tmp_path], actor=ACTOR)
        assert len(summary.imported) == 6
        assert [s.code for s in summary.skipped] == ["unsupported"] * 6  # the sub-tables
        assert sorted(store.raw_texts(target, range(1, 7)).values()) == sorted(
            store.raw_texts(source, range(1, 7)).values()
        )
    finally:
        source.dispose()
        target.dispose()


def test_xlsx_export_sheets_and_excel_limits(store_engine, fake_extractor, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "XLSX_CELL_LIMIT", 40)
    _fill(store_engine)
    store.import_text(
        store_engine, "หัวข้อ\x0b\nข้อความที่มีอักขระควบคุม\x01 " + "ยาว" * 30, "control.txt", actor=ACTOR
    )
    out = tmp_path / "sangkhro.xlsx"
    export.export_data(store_engine, "xlsx", out, actor=ACTOR)
    workbook = openpyxl.load_workbook(out, read_only=True)
    assert workbook.sheetnames == [
        "sessions",
        "agencies",
        "turns",
        "recommendations",
        "recommendation_categories",
        "themes",
        "corrections",
    ]
    rows = list(workbook["sessions"].iter_rows(values_only=True))
    header = rows[0]
    last = dict(zip(header, rows[-1], strict=True))
    assert len(last["raw_text"]) == 40 and last["raw_text"].endswith("…")
    assert last["raw_text_truncated"] is True and "\x01" not in last["raw_text"]
    first = dict(zip(header, rows[1], strict=True))
    assert first["title"] == "ชื่อที่แก้ครั้งที่สอง"
    workbook.close()


def test_unknown_format_is_refused(store_engine, tmp_path):
    with pytest.raises(ValueError, match="jsonl"):
        export.export_data(store_engine, "pptx", tmp_path / "x.pptx", actor=ACTOR)


def test_cli_export_then_import(new_store_url, tmp_path):
    source_url, target_url = new_store_url(), new_store_url()
    engine = store.get_engine(source_url)
    try:
        sid = store.import_text(
            engine,
            numbered(1),
            "a.txt",
            extracted={"kind": "summary", "title": "ก", "recommendations": ["ควรทำเรื่องที่ 1 ต่อ"]},
            actor=ACTOR,
        )
        store.correct(engine, sid.session_id, "title", "แก้แล้ว", actor=person("สมศรี"))
    finally:
        engine.dispose()
    env = {k: v for k, v in os.environ.items() if k != store.ENV_DATABASE_URL}

    def cli(*args):
        return subprocess.run(
            [sys.executable, "-m", "analysis", *args],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env,
            timeout=300,
        )

    out = tmp_path / "data.jsonl"
    done = cli("export", "--format", "jsonl", "--out", str(out), "--database-url", source_url)
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout
    back = cli("import", str(out), "--database-url", target_url)
    assert back.returncode == 0 and "นำเข้าแล้ว (imported): 1" in back.stdout
    engine = store.get_engine(target_url)
    try:
        [session] = store.load_effective_sessions(engine)
        assert session["record"]["title"] == "แก้แล้ว"
    finally:
        engine.dispose()
    bad = cli(
        "export",
        "--format",
        "jsonl",
        "--out",
        str(out),
        "--database-url",
        "postgresql://x:y@127.0.0.1:9/none?connect_timeout=2",
    )
    assert bad.returncode == 2 and "start_postgres.sh" in bad.stderr


# ----------------------------------------------------------------------------- hostile content

HOSTILE_CELLS = [
    '=HYPERLINK("http://127.0.0.1:9/x","คลิก")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_data_export_of_a_store_without_corrections(store_engine, tmp_path, fmt):
    """No correction in the store: the corrections table is empty and must still export."""
    store.import_text(
        store_engine, numbered(1), "1.txt", extracted={"kind": "summary"}, actor=ACTOR
    )
    written = export.export_data(store_engine, fmt, tmp_path / f"out.{fmt}", actor=ACTOR)
    assert written and all(p.stat().st_size > 0 for p in written)
    if fmt == "csv":
        corrections = tmp_path / "out.corrections.csv"
        with open(corrections, encoding="utf-8-sig") as fh:
            assert next(csv.reader(fh)) == [
                "session_id",
                "field",
                "value",
                "corrected_by",
                "corrected_at",
            ]
    else:
        workbook = openpyxl.load_workbook(written[0], read_only=True)
        assert len(list(workbook["corrections"].iter_rows())) == 1  # the header only
        workbook.close()


def test_cli_export_of_the_bundled_sample_has_no_traceback(tmp_path):
    url = f"sqlite:///{tmp_path / 'sample.db'}"
    from analysis import sample

    engine = store.get_engine(url)
    try:
        sample.ensure_sample(engine)
    finally:
        engine.dispose()
    for fmt in ("csv", "xlsx"):
        done = subprocess.run(
            [sys.executable, "-m", "analysis", "export", "--format", fmt, "--out",
             str(tmp_path / f"s.{fmt}"), "--database-url", url],
            capture_output=True, text=True, cwd=REPO, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr


def _hostile_store(engine) -> None:
    for i, cell in enumerate(HOSTILE_CELLS):
        store.import_text(
            engine,
            f"{cell}\nคุณ{i}: {cell}\nควรทำ {i}\n",
            f"{cell}.txt",
            extracted={"kind": "summary", "title": cell, "recommendations": [f"ควรทำ {i}"]},
            actor=ACTOR,
        )


def _formula_cells(values) -> list:
    return [v for v in values if isinstance(v, str) and v.startswith(("=", "+", "-", "@"))]


def test_csv_and_xlsx_exports_neutralise_formulas(store_engine, tmp_path):
    _hostile_store(store_engine)
    written = export.export_data(store_engine, "csv", tmp_path / "csv" / "out.csv", actor=ACTOR)
    cells = []
    for path in written:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            cells += [c for row in csv.reader(fh) for c in row]
    assert _formula_cells(cells) == []
    assert "'" + HOSTILE_CELLS[0] in cells and "'=cmd|' /C calc'!A0" in cells

    [xlsx] = export.export_data(store_engine, "xlsx", tmp_path / "out.xlsx", actor=ACTOR)
    workbook = openpyxl.load_workbook(xlsx)  # not read-only: data_type tells a formula apart
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert not _formula_cells([cell.value])
    header = [c.value for c in next(workbook["sessions"].iter_rows(max_row=1))]
    titles = [r[header.index("title")].value for r in workbook["sessions"].iter_rows(min_row=2)]
    assert titles == ["'" + c for c in HOSTILE_CELLS]


def test_a_neutralised_export_imports_back_to_the_same_texts(new_store_url, tmp_path):
    source = store.get_engine(new_store_url())
    target = store.get_engine(new_store_url())
    try:
        _hostile_store(source)
        export.export_data(source, "xlsx", tmp_path / "x.xlsx", actor=ACTOR)
        summary = ingest.import_paths(target, [tmp_path / "x.xlsx"], actor=ACTOR)
        assert len(summary.imported) == len(HOSTILE_CELLS)
        n = len(HOSTILE_CELLS)
        assert sorted(store.raw_texts(target, range(1, n + 1)).values()) == sorted(
            store.raw_texts(source, range(1, n + 1)).values()
        )
    finally:
        source.dispose()
        target.dispose()


def test_dashboard_csv_downloads_and_report_workbook_neutralise_formulas():
    from analysis import figures
    from analysis.export_report.workbook import _python

    frame = pd.DataFrame({"title": HOSTILE_CELLS, "sessions": range(len(HOSTILE_CELLS))})
    text = figures.csv_bytes(frame).decode("utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    assert _formula_cells(c for row in rows for c in row) == []
    assert [r[0] for r in rows[1:]] == ["'" + c for c in HOSTILE_CELLS]
    assert [_python(c) for c in HOSTILE_CELLS] == ["'" + c for c in HOSTILE_CELLS]
    assert _python(-3) == -3  # numbers stay numbers
