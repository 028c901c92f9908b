"""Import of real files made here: .txt (UTF-8, UTF-16, cp874), .md, .html, .docx, .pdf with a
Thai text layer, a scanned .pdf, .csv, .xlsx, .jsonl, .zip (with ../ entries, nesting, bombs)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from analysis import ingest, store
from analysis import models as m
from analysis.auth import local_admin

ACTOR = local_admin()  # the local user: an admin, as with no sign-in configured

REPO = Path(__file__).resolve().parent.parent

LINES = [
    "เวทีถอดบทเรียนกลุ่มออมทรัพย์ บ้านหนองบัว",
    "วันที่ 17 พฤศจิกายน 2548 ณ ศาลาประชาคม",
    "คุณสมชาย: กลุ่มเราออมทุกเดือน",
    "ควรทำงานร่วมกับ อบต. ตั้งแต่ต้น",
]
TEXT = "\n".join(LINES) + "\n"


def numbered(i: int) -> str:
    return f"บันทึกเวทีครั้งที่ {i}\nคุณมาลี: เรื่องที่ {i}\nควรทำเรื่องที่ {i} ต่อ\n"


# ----------------------------------------------------------------------------- file makers


def make_docx(path: Path, lines: list[str], table: list[list[str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(path)
    return path


def make_pdf(lines: list[str] | None) -> bytes:
    """A one-page PDF whose text layer holds `lines` (Thai included), or, for None, a page
    with only a drawing (what a scan looks like to a text extractor).

    The font is a Type0/Identity-H font with a ToUnicode map from glyph ids to characters:
    exactly what PDF writers produce for Thai, without needing a font file.
    """
    objects: dict[int, bytes] = {}
    if lines is None:
        content = b"0.5 g 50 500 400 250 re f"
        resources = b"<< >>"
    else:
        chars = sorted(set("".join(lines)))
        cid = {ch: i + 1 for i, ch in enumerate(chars)}
        ops = ["BT", "/F1 14 Tf", "18 TL", "50 780 Td"]
        ops += [f"<{''.join(f'{cid[ch]:04X}' for ch in line)}> Tj T*" for line in lines]
        ops.append("ET")
        content = "\n".join(ops).encode("ascii")
        mapping = "\n".join(f"<{cid[ch]:04X}> <{ord(ch):04X}>" for ch in chars)
        cmap = (
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{len(chars)} beginbfchar\n{mapping}\nendbfchar\n"
            "endcmap CMapName currentdict /CMap defineresource pop end end"
        ).encode("ascii")
        objects[5] = (
            b"<< /Type /Font /Subtype /Type0 /BaseFont /Sarabun /Encoding /Identity-H "
            b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>"
        )
        objects[6] = (
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Sarabun "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            b"/FontDescriptor 8 0 R /DW 500 /CIDToGIDMap /Identity >>"
        )
        objects[7] = b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"
        objects[8] = (
            b"<< /Type /FontDescriptor /FontName /Sarabun /Flags 32 "
            b"/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 "
            b"/CapHeight 700 /StemV 80 >>"
        )
        resources = b"<< /Font << /F1 5 0 R >> >>"
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    objects[3] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
        + resources
        + b" /Contents 4 0 R >>"
    )
    objects[4] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (
            b"%010d 00000 n \n" % offsets[number]
            if number in offsets
            else (b"0000000000 65535 f \n")
        )
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def make_xlsx(path: Path, header: list[str], rows: list[list]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def make_zip(path_or_none: Path | None, entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)  # kept as given: writestr(name) would clean "../"
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    if path_or_none is not None:
        path_or_none.write_bytes(buffer.getvalue())
    return buffer.getvalue()


@pytest.fixture
def engine(store_engine, fake_extractor):
    return store_engine


def _raw_texts(engine) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(m.sessions.c.source_name, m.sessions.c.raw_text))
        return {row.source_name: row.raw_text for row in rows}


def _codes(summary) -> dict[str, str]:
    return {s.source_name: s.code for s in summary.skipped}


# ----------------------------------------------------------------------------- readers


def test_pdf_with_a_thai_text_layer_is_read(engine, tmp_path):
    path = tmp_path / "thai.pdf"
    path.write_bytes(make_pdf(LINES))
    summary = ingest.import_paths(engine, [path], actor=ACTOR)
    assert [r.source_name for r in summary.imported] == ["thai.pdf"], summary.to_text()
    raw = _raw_texts(engine)["thai.pdf"]
    assert [line.strip() for line in raw.split("\n")] == LINES


def test_scanned_pdf_is_skipped_as_needing_ocr(engine, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf(None))
    summary = ingest.import_paths(engine, [path], actor=ACTOR)
    [skipped] = summary.skipped
    assert skipped.code == "needs_ocr" and "needs OCR" in skipped.reason
    assert "OCR" in skipped.reason.split("(")[0]  # the Thai part says it too
    assert not summary.read_anything


def test_docx_paragraphs_and_tables_in_order(engine, tmp_path):
    path = make_docx(
        tmp_path / "minutes.docx", LINES[:2], table=[["ชื่อ", "หน่วยงาน"], ["คุณสมชาย", "พช."]]
    )
    summary = ingest.import_paths(engine, [path], actor=ACTOR)
    assert len(summary.imported) == 1
    assert _raw_texts(engine)["minutes.docx"] == "\n".join(
        LINES[:2] + ["ชื่อ\tหน่วยงาน", "คุณสมชาย\tพช."]
    )


def test_cp874_utf16_utf8_bom_and_html_texts(engine, tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "tis620.txt").write_bytes(numbered(1).encode("cp874"))
    (folder / "utf16.txt").write_bytes(numbered(2).encode("utf-16"))
    (folder / "bom.md").write_bytes(b"\xef\xbb\xbf" + numbered(3).encode("utf-8"))
    (folder / "page.html").write_text(
        "<html><head><script>var x=1;</script></head><body><h1>บันทึกเวทีครั้งที่ 4</h1>"
        "<p>ควรทำเรื่องที่ 4 ต่อ</p><p>จบ &amp; สรุป</p></body></html>",
        encoding="utf-8",
    )
    summary = ingest.import_paths(engine, [folder], actor=ACTOR)
    assert len(summary.imported) == 4, summary.to_text()
    raw = _raw_texts(engine)
    assert raw["records/tis620.txt"] == numbered(1)
    assert raw["records/utf16.txt"] == numbered(2)
    assert raw["records/bom.md"] == numbered(3)
    assert raw["records/page.html"] == "บันทึกเวทีครั้งที่ 4\n\nควรทำเรื่องที่ 4 ต่อ\n\nจบ & สรุป"


def test_same_text_in_any_encoding_or_format_is_imported_once(engine, tmp_path):
    (tmp_path / "a_utf8.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b_cp874.txt").write_bytes(TEXT.replace("\n", "\r\n").encode("cp874"))
    (tmp_path / "c_utf16.txt").write_bytes(TEXT.encode("utf-16"))
    make_docx(tmp_path / "d.docx", LINES)
    summary = ingest.import_paths(engine, [tmp_path], programme="โครงการ ก", actor=ACTOR)
    again = ingest.import_paths(
        engine, [tmp_path / "a_utf8.txt"], programme="โครงการ ข", actor=ACTOR
    )
    assert len(summary.imported) == 1 and len(summary.duplicates) == 3
    assert len(again.imported) == 0 and len(again.duplicates) == 1
    assert again.read_anything  # a duplicate was read: not a failure
    assert store.count_sessions(engine) == 1
    text = again.to_text()
    assert "ซ้ำ ไม่ได้เพิ่ม (duplicates, nothing added): 1" in text
    assert "a_utf8.txt" in text


def test_csv_and_xlsx_with_a_text_column(engine, tmp_path):
    csv_text = 'ชื่อไฟล์,ข้อความ,โครงการ\nrow-a,"' + numbered(1) + '",โครงการ ค\nrow-b,,\n'
    (tmp_path / "records.csv").write_bytes(csv_text.encode("cp874"))
    make_xlsx(
        tmp_path / "records.xlsx",
        ["title", "text"],
        [["x", numbered(2)], ["y", numbered(3)], [None, None]],
    )
    summary = ingest.import_paths(engine, [tmp_path], actor=ACTOR)
    name = tmp_path.name
    assert sorted(r.source_name for r in summary.imported) == sorted(
        [f"{name}/records.xlsx#row2", f"{name}/records.xlsx#row3", "row-a"]
    )
    assert _codes(summary) == {"row-b": "empty"}
    raw = _raw_texts(engine)
    assert raw["row-a"] == numbered(1) and raw[f"{name}/records.xlsx#row3"] == numbered(3)
    assert store.load_tables(engine, "โครงการ ค").sessions["source_name"].tolist() == ["row-a"]


def test_csv_with_structured_fields(engine, tmp_path):
    (tmp_path / "sessions.csv").write_text(
        "title,session_date,venue,participant_count,agencies,recommendations,themes\n"
        "เวทีหนึ่ง,17/11/2548,ศาลา,17,พช.|ธกส.,ควรทำต่อ,ความสมัครใจ\n"
        "เวทีสอง,2006-01-05,,,อบต.,,\n",
        encoding="utf-8",
    )
    summary = ingest.import_paths(engine, [tmp_path / "sessions.csv"], actor=ACTOR)
    assert len(summary.imported) == 2
    sessions = store.load_effective_sessions(engine)
    first = sessions[0]["record"]
    assert (first["title"], first["session_date"], first["participant_count"]) == (
        "เวทีหนึ่ง",
        "2005-11-17",
        17,
    )
    assert first["agencies"] == ["พช.", "ธกส."] and first["recommendations"] == ["ควรทำต่อ"]
    assert store.get_session(engine, sessions[0]["session_id"])["origin"] == "structured"


def test_exported_sub_tables_are_not_taken_for_sessions(engine, tmp_path):
    (tmp_path / "x.turns.csv").write_text("session_id,seq,speaker,text\n1,0,ก,พูด\n")
    summary = ingest.import_paths(engine, [tmp_path / "x.turns.csv"], actor=ACTOR)
    assert _codes(summary) == {"x.turns.csv": "unsupported"}
    assert "sub-table" in summary.skipped[0].reason


def test_jsonl_of_texts_and_records(engine, tmp_path):
    lines = [
        json.dumps(
            {"source_name": "t1", "text": numbered(1), "programme": "โครงการ ง"}, ensure_ascii=False
        ),
        json.dumps({"file": "r1.txt", "title": "เวที", "agencies": ["พช."]}, ensure_ascii=False),
        "{not json",
        "",
    ]
    (tmp_path / "mixed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    summary = ingest.import_paths(engine, [tmp_path / "mixed.jsonl"], actor=ACTOR)
    assert sorted(r.source_name for r in summary.imported) == ["r1.txt", "t1"]
    assert _codes(summary) == {"mixed.jsonl#line3": "unreadable"}
    assert store.list_programmes(engine) == sorted(["โครงการ ง", store.DEFAULT_PROGRAMME])


def test_skips_say_why(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 200)
    (tmp_path / "tool.exe").write_bytes(b"MZ\x00\x00")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n")
    (tmp_path / "binary.txt").write_bytes(bytes(range(1, 32)) * 5)
    (tmp_path / "big.txt").write_text("ก" * 300, encoding="utf-8")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really")
    (tmp_path / ".hidden.txt").write_text("hidden")
    summary = ingest.import_paths(engine, [tmp_path, tmp_path / "missing.txt"], actor=ACTOR)
    name = tmp_path.name
    assert _codes(summary) == {
        f"{name}/big.txt": "too_large",
        f"{name}/binary.txt": "unreadable",
        f"{name}/blank.txt": "empty",
        f"{name}/broken.docx": "unreadable",
        f"{name}/old.doc": "unsupported",
        f"{name}/tool.exe": "unsupported",
        str(tmp_path / "missing.txt"): "not_found",
    }
    reasons = {s.source_name.rsplit("/", 1)[-1]: s.reason for s in summary.skipped}
    assert ".docx" in reasons["old.doc"]  # says what to do
    assert "200 bytes" in reasons["big.txt"]
    for reason in reasons.values():
        assert reason[0] > "\u0e00" and "(" in reason  # Thai first, English in brackets
    assert not summary.read_anything
    assert "nothing could be read" in summary.to_text()


# ----------------------------------------------------------------------------- archives


def test_zip_entries_that_escape_are_refused_and_one_level_of_nesting_is_read(engine, tmp_path):
    deeper = make_zip(None, {"x.txt": numbered(9).encode()})
    nested = make_zip(None, {"inner.txt": numbered(2).encode(), "deeper.zip": deeper})
    path = tmp_path / "batch.zip"
    make_zip(
        path,
        {
            "good.txt": numbered(1).encode(),
            "../evil.txt": numbered(3).encode(),
            "dir/../../evil2.txt": numbered(4).encode(),
            "/etc/abs.txt": numbered(5).encode(),
            "__MACOSX/._good.txt": b"junk",
            "nested.zip": nested,
            "thai/บันทึก.docx": make_docx(tmp_path / "t.docx", [numbered(6)]).read_bytes(),
        },
    )
    summary = ingest.import_paths(engine, [path], actor=ACTOR)
    assert sorted(r.source_name for r in summary.imported) == [
        "batch.zip/good.txt",
        "batch.zip/nested.zip/inner.txt",
        "batch.zip/thai/บันทึก.docx",
    ]
    assert _codes(summary) == {
        "batch.zip/../evil.txt": "unsafe_path",
        "batch.zip/dir/../../evil2.txt": "unsafe_path",
        "batch.zip//etc/abs.txt": "unsafe_path",
        "batch.zip/nested.zip/deeper.zip": "nested_archive",
    }
    assert not list(tmp_path.parent.glob("evil*.txt"))  # nothing is written to disk anyway


def test_zip_expanding_beyond_the_limit_is_refused(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_ZIP_TOTAL_BYTES", 10_000)
    path = tmp_path / "bomb.zip"
    make_zip(path, {"a.txt": ("ก" * 4000).encode(), "b.txt": ("ข" * 4000).encode()})
    summary = ingest.import_paths(engine, [path], actor=ACTOR)
    assert _codes(summary) == {"bomb.zip": "archive_too_large"}
    assert "10,000 bytes" in summary.skipped[0].reason


def test_zip_whose_declared_sizes_lie_is_stopped_while_reading(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_ZIP_TOTAL_BYTES", 5_000)
    data = bytearray(make_zip(None, {"a.txt": ("ก" * 3000).encode()}))
    # shrink the declared uncompressed size in both headers, as a zip bomb would
    real = (3000 * 3).to_bytes(4, "little")
    fake = (10).to_bytes(4, "little")
    data = bytes(data).replace(real, fake)
    (tmp_path / "liar.zip").write_bytes(data)
    summary = ingest.import_paths(engine, [tmp_path / "liar.zip"], actor=ACTOR)
    assert not summary.imported
    assert summary.skipped and summary.skipped[0].code in ("archive_too_large", "unreadable")


def test_uploads_use_the_same_readers(engine, tmp_path):
    uploads = [
        ("C:\\Users\\me\\record.txt", numbered(1).encode("cp874")),
        ("batch.zip", make_zip(None, {"a.txt": numbered(2).encode(), "../b.txt": b"x"})),
        ("notes.pdf", make_pdf(LINES)),
    ]
    seen = []
    summary = ingest.import_uploads(
        engine, uploads, "โครงการอัปโหลด", progress=lambda d, t, n: seen.append((d, t)), actor=ACTOR
    )
    assert sorted(r.source_name for r in summary.imported) == [
        "batch.zip/a.txt",
        "notes.pdf",
        "record.txt",
    ]
    assert _codes(summary) == {"batch.zip/../b.txt": "unsafe_path"}
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    assert store.list_programmes(engine) == ["โครงการอัปโหลด"]


# ----------------------------------------------------------------------------- transactions


def _folder_of(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:02d}.txt").write_text(numbered(i), encoding="utf-8")
    return folder


def _all_rows_belong_to_sessions(engine) -> bool:
    with engine.connect() as conn:
        ids = set(conn.execute(sa.select(m.sessions.c.id)).scalars())
        for table in m.SESSION_CHILD_TABLES:
            if not set(conn.execute(sa.select(table.c.session_id)).scalars()) <= ids:
                return False
    return True


@pytest.mark.parametrize(("batch", "written"), [(1, 0), (1, 3), (4, 4)])
def test_interrupted_import_keeps_exactly_the_committed_files(
    engine, tmp_path, monkeypatch, batch, written
):
    """Files are written `batch` to a transaction; an interrupt inside one keeps exactly the
    files of the transactions before it, and those are the files the progress reported."""
    folder = _folder_of(tmp_path, 6)
    monkeypatch.setattr(ingest, "WRITE_BATCH_FILES", batch)
    real = store._materialise
    calls = {"n": 0}

    def interrupt_in_the_next_transaction(conn, entries, **kwargs):
        calls["n"] += 1
        real(conn, entries, **kwargs)  # rows of the next batch are written, not committed
        if calls["n"] == written // batch + 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(store, "_materialise", interrupt_in_the_next_transaction)
    reported = []
    with pytest.raises(KeyboardInterrupt):
        ingest.import_paths(
            engine, [folder], progress=lambda done, total, name: reported.append(name), actor=ACTOR
        )
    sources = sorted(_raw_texts(engine))
    assert sources == [f"batch/{i:02d}.txt" for i in range(written)]
    assert reported[1:] == sources  # the first call is (0, total, "")
    assert _all_rows_belong_to_sessions(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(m.turns)).scalar() == written


def test_a_failing_file_in_a_batch_loses_nothing_else(engine, tmp_path, monkeypatch):
    """The batch holding a file that cannot be written is written again file by file: that file
    alone is reported failed, every other file of the batch is stored."""
    folder = _folder_of(tmp_path, 5)
    _fail_when_writing(monkeypatch, "บันทึกเวทีครั้งที่ 2")
    summary = ingest.import_paths(engine, [folder], actor=ACTOR)
    assert sorted(_raw_texts(engine)) == [f"batch/{i:02d}.txt" for i in (0, 1, 3, 4)]
    assert _codes(summary) == {"batch/02.txt": "failed"}
    assert len(summary.imported) == 4 and _all_rows_belong_to_sessions(engine)
    assert _audited_imports(engine) == 4


def _fail_when_writing(monkeypatch, title: str) -> None:
    """Writing the session titled `title` fails after its rows are written (a full disk)."""
    real = store._materialise

    def fail(conn, entries, **kwargs):
        real(conn, entries, **kwargs)
        if any(rec["title"] == title for _, rec, _ in entries):
            raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_materialise", fail)


def _audited_imports(engine) -> int:
    a = m.audit
    with engine.connect() as conn:
        query = sa.select(sa.func.count()).select_from(a).where(a.c.action == "import")
        return conn.execute(query).scalar()


def test_killed_process_keeps_exactly_the_committed_files(store_url, tmp_path):
    """A real kill: the child process dies (os._exit) inside the 4th file's transaction."""
    folder = _folder_of(tmp_path, 6)
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(REPO)!r})
        from analysis import auth, ingest, store
        calls = 0
        real = store._materialise
        def fake_extract(text):
            return store.normalise_record({{"kind": "summary", "title": text.split()[0],
                                           "themes": ["t"], "extractor_version": "k"}})
        def dying(conn, entries, **kwargs):
            global calls
            calls += 1
            real(conn, entries, **kwargs)
            if calls == 4:
                os._exit(9)
        store.run_extractor = fake_extract
        store._materialise = dying
        ingest.WRITE_BATCH_FILES = 1  # one file per transaction
        engine = store.get_engine({store_url!r})
        ingest.import_paths(engine, [{str(folder)!r}], actor=auth.local_admin())
    """)
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert proc.returncode == 9, proc.stderr
    engine = store.get_engine(store_url)
    try:
        assert sorted(_raw_texts(engine)) == [f"batch/{i:02d}.txt" for i in range(3)]
        assert _all_rows_belong_to_sessions(engine)
    finally:
        engine.dispose()


def test_a_failing_file_is_rolled_back_whole_and_the_others_go_on(engine, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(numbered(1), encoding="utf-8")
    rows = "".join(f'"{numbered(i)}"\n' for i in (2, 3, 4))
    (tmp_path / "b.csv").write_text("text\n" + rows, encoding="utf-8")
    (tmp_path / "c.txt").write_text(numbered(5), encoding="utf-8")
    _fail_when_writing(monkeypatch, "บันทึกเวทีครั้งที่ 3")  # the csv's second row
    summary = ingest.import_paths(engine, [tmp_path], actor=ACTOR)
    name = tmp_path.name
    assert sorted(r.source_name for r in summary.imported) == [f"{name}/a.txt", f"{name}/c.txt"]
    assert _codes(summary) == {f"{name}/b.csv": "failed"}
    assert "nothing from this file was stored" in summary.skipped[0].reason
    assert store.count_sessions(engine) == 2 and _all_rows_belong_to_sessions(engine)


def test_a_failing_extractor_still_keeps_the_text(engine, tmp_path, monkeypatch):
    def broken(text):
        raise ValueError("regex exploded")

    monkeypatch.setattr(store, "run_extractor", broken)
    (tmp_path / "a.txt").write_text(numbered(1), encoding="utf-8")
    summary = ingest.import_paths(engine, [tmp_path / "a.txt"], actor=ACTOR)
    assert len(summary.imported) == 1 and "re-extract" in summary.warnings[0]
    session = store.get_session(engine, summary.imported[0].session_id)
    assert session["raw_text"] == numbered(1) and session["extractor_version"] == "failed"


def test_progress_reports_counts(engine, tmp_path):
    folder = _folder_of(tmp_path, 3)
    seen = []
    ingest.import_paths(
        engine, [folder], progress=lambda d, t, n: seen.append((d, t, n)), actor=ACTOR
    )
    assert seen == [
        (0, 3, ""),
        (1, 3, "batch/00.txt"),
        (2, 3, "batch/01.txt"),
        (3, 3, "batch/02.txt"),
    ]


def test_the_real_extractor_runs_on_import(store_engine):
    from analysis.extract import EXTRACTOR_VERSION

    result = store.import_text(store_engine, TEXT, "real.txt", actor=ACTOR)
    session = store.get_session(store_engine, result.session_id)
    assert session["extractor_version"] == EXTRACTOR_VERSION
    assert session["record"]["kind"] in ("transcript", "summary", "other")


# ----------------------------------------------------------------------------- command line


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != store.ENV_DATABASE_URL}
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        input=stdin,
        timeout=300,
    )


def test_cli_import_summary_and_exit_codes(store_url, tmp_path):
    (tmp_path / "a.txt").write_text(numbered(1), encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(make_pdf(None))
    first = _cli("import", str(tmp_path), "--programme", "โครงการ ก", "--database-url", store_url)
    assert first.returncode == 0, first.stderr
    assert "นำเข้าแล้ว (imported): 1" in first.stdout
    assert "needs OCR" in first.stdout
    assert "[" in first.stderr and "2/2" in first.stderr  # the progress bar with counts
    again = _cli("import", str(tmp_path / "a.txt"), "--database-url", store_url)
    assert again.returncode == 0 and "duplicates, nothing added): 1" in again.stdout
    nothing = _cli("import", str(tmp_path / "scan.pdf"), "--database-url", store_url)
    assert nothing.returncode == 1 and "nothing could be read" in nothing.stdout


def test_cli_delete_asks_first(store_url, tmp_path):
    engine = store.get_engine(store_url)
    try:
        sid = store.import_text(
            engine, numbered(1), "a.txt", extracted={"kind": "summary", "title": "ก"}, actor=ACTOR
        ).session_id
        refused = _cli("delete", str(sid), "--database-url", store_url)
        assert refused.returncode == 2 and "--yes" in refused.stderr
        assert store.count_sessions(engine) == 1
        done = _cli("delete", str(sid), "--yes", "--database-url", store_url)
        assert done.returncode == 0, done.stderr
        assert store.count_sessions(engine) == 0
        missing = _cli("delete", str(sid), "--yes", "--database-url", store_url)
        assert missing.returncode == 1 and f"no session {sid}" in missing.stderr
    finally:
        engine.dispose()


def test_summary_lists_at_most_the_limit_of_each_kind():
    summary = ingest.ImportSummary(
        skipped=[
            ingest.Skipped(f"{i}.exe", "unsupported", "ไม่รองรับ (unsupported)") for i in range(60)
        ]
    )
    text = summary.to_text(limit=50)
    assert "59.exe" not in text and "49.exe" in text
    assert "10 more" in text and "ข้าม (skipped): 60" in text
