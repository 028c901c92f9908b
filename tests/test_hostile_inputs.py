"""A generated corpus of hostile inputs through every importer and the extractor.

Every case is made here in code (no committed binaries): empty, junk, truncated and corrupt files
of each format, bombs, traversal, nesting, symlinks, huge lines, mixed and invalid encodings, odd
names. Each refused case must give one line that says why, no traceback, store nothing and leave
the store's row counts as they were; each accepted case is stored once under a name the store
can hold. The CSV bomb runs in a child process whose peak memory is measured.
"""

from __future__ import annotations

import io
import json
import logging
import os
import struct
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from analysis import ingest, store
from analysis import models as m
from analysis.auth import local_admin
from analysis.extract import extract
from tests.test_ingest import make_docx, make_pdf

ADMIN = local_admin()

REPO = Path(__file__).resolve().parents[1]
GOOD = "บันทึกเวทีแลกเปลี่ยนเรียนรู้ กองทุนหมู่บ้านบ้านหนองบัว\nคุณสมศรี: ควรจัดเวทีทุกไตรมาส\n"
SMALL = 4096  # limits are lowered to this in the tests below, so bombs stay small and fast


def zip_bytes(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def zip_with_symlink(target: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("link.txt")
        info.external_attr = (0o120777 << 16) | 0x20  # a symlink, as `zip -y` stores one
        z.writestr(info, target)
        z.writestr("real.txt", GOOD.encode())
    return buf.getvalue()


def bit_flipped_zip() -> bytes:
    """A zip whose deflate stream is damaged in the middle (its CRC no longer matters: zlib
    fails first)."""
    data = bytearray(zip_bytes({"a.txt": (GOOD * 10).encode()}))
    start = 30 + len("a.txt")
    for i in range(start + 20, start + 60):
        data[i] ^= 0xFF
    return bytes(data)


def unknown_compression_zip() -> bytes:
    data = bytearray(zip_bytes({"a.txt": GOOD.encode()}, zipfile.ZIP_STORED))
    data[8:10] = struct.pack("<H", 99)  # local header: compression method 99 (AES)
    central = data.index(b"PK\x01\x02")
    data[central + 10 : central + 12] = struct.pack("<H", 99)
    return bytes(data)


def docx_bytes(tmp: Path, lines: list[str]) -> bytes:
    return make_docx(tmp / "_src.docx", lines).read_bytes()


def xml_bomb_docx(tmp: Path) -> bytes:
    good = zipfile.ZipFile(io.BytesIO(docx_bytes(tmp, ["ก"])))
    entries = {n: good.read(n) for n in good.namelist()}
    entries["word/document.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
            for i in range(1, 10)
        )
        + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    return zip_bytes(entries)


def xlsx_bytes(rows: list[list]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def junk(n: int = 3000, seed: int = 7) -> bytes:
    import random

    return random.Random(seed).randbytes(n)


@dataclass
class Case:
    name: str  # file name (bytes allowed in `raw_name` for invalid UTF-8)
    data: bytes | None  # None: a symlink to `link`
    refused: bool = True
    link: str | None = None
    raw_name: bytes | None = None


def corpus(tmp: Path) -> list[Case]:
    """The hostile inputs: (name, content, refused?)."""
    pdf = make_pdf(["บันทึกเวที ครั้งที่ 1", "คุณมาลี: ควรทำต่อ"])
    docx = docx_bytes(tmp, ["บันทึกเวที", "คุณมาลี: ควรทำต่อ"])
    xlsx = xlsx_bytes([["text"], [GOOD]])
    jsonl_export = json.dumps({"format": store.EXPORT_FORMAT, "raw_text": GOOD, "extracted": 5})
    cases = [
        # plain texts
        Case("empty.txt", b""),
        Case("spaces.txt", b" \n\t \r\n"),
        Case("junk.txt", junk()),
        Case("nul_junk.md", b"\x00" * 500 + b"abc"),
        Case("utf16_truncated.txt", b"\xff\xfe" + "ก".encode("utf-16-le")[:1]),
        Case("utf16_odd_tail.txt", b"\xff\xfe" + GOOD.encode("utf-16-le") + b"\x0e", refused=False),
        Case("too_big.txt", b"k" * (SMALL + 1)),
        Case("tags_only.html", b"<html><body><script>x()</script><p> </p></body></html>"),
        Case("junk.html", junk(seed=2)),
        Case("bom_only.txt", b"\xef\xbb\xbf"),
        Case("mixed_encodings.txt", GOOD.encode() + "ควรทำต่อ".encode("cp874"), refused=False),
        Case("huge_line.md", ("ก" * (SMALL // 3 - 10)).encode(), refused=False),
        # documents
        Case("empty.docx", b""),
        Case("junk.docx", junk(seed=3)),
        Case("truncated.docx", docx[: len(docx) // 2]),
        Case("zip_not_docx.docx", zip_bytes({"hello.txt": b"hi"})),
        Case("xml_bomb.docx", xml_bomb_docx(tmp)),
        Case("docx_is_pdf.docx", pdf),
        Case("empty.pdf", b""),
        Case("junk.pdf", junk(seed=4)),
        Case("truncated.pdf", pdf[: len(pdf) // 2]),
        Case("header_only.pdf", b"%PDF-1.4\n%%EOF\n"),
        Case("no_xref.pdf", pdf[: pdf.index(b"xref")]),
        Case("pdf_is_docx.pdf", docx),
        # tables
        Case("empty.csv", b""),
        Case("header_only.csv", b"text\n"),
        Case("no_text_column.csv", b"a,b\n1,2\n"),
        Case("junk.csv", junk(seed=5)),
        Case("too_many_rows.csv", b"text\n" + b"".join(b"row %d\n" % i for i in range(30))),
        Case("too_big.csv", b"text\n" + (b"x" * 1000 + b"\n") * 17),
        Case("row_too_big.csv", b"text\n" + b"x" * (SMALL + 1)),
        Case("field_over_csv_limit.csv", b'text\n"' + b"y" * (SMALL * 3) + b'"\n'),
        Case("sub_table.csv", b"session_id,seq,text\n1,1,x\n"),
        Case("empty.tsv", b""),
        Case("junk.tsv", b"\x00\x01\x02" * 100),
        Case("too_many_rows.tsv", b"text\n" + b"".join(b"row %d\n" % i for i in range(30))),
        Case("empty.xlsx", b""),
        Case("junk.xlsx", junk(seed=6)),
        Case("truncated.xlsx", xlsx[: len(xlsx) // 2]),
        Case("zip_not_xlsx.xlsx", zip_bytes({"a.txt": b"a"})),
        Case("too_many_rows.xlsx", xlsx_bytes([["text"]] + [[f"แถว {i}"] for i in range(30)])),
        Case(
            "shared_strings_bomb.xlsx",
            xlsx_bytes([["text"]] + [[f"ข้อความ {i}" * 40] for i in range(60)]),
        ),
        # JSONL
        Case("empty.jsonl", b""),
        Case("junk.jsonl", junk(seed=8)),
        Case("not_objects.jsonl", b"[1, 2]\n3\n"),
        Case("truncated.jsonl", b'{"text": "' + GOOD.encode()[:20]),
        Case("huge_line.jsonl", b'{"text": "' + b"k" * (3 * SMALL + 10) + b'"}\n'),
        Case("bad_export.jsonl", jsonl_export.encode() + b"\n"),
        Case("too_many_lines.jsonl", b"".join(b'{"text": "row %d"}\n' % i for i in range(30))),
        # archives
        Case("empty.zip", b""),
        Case("junk.zip", junk(seed=9)),
        Case("truncated.zip", zip_bytes({"a.txt": GOOD.encode() * 50})[:60]),
        Case("bit_flipped.zip", bit_flipped_zip()),
        Case("unknown_method.zip", unknown_compression_zip()),
        Case("traversal.zip", zip_bytes({"../../evil.txt": GOOD.encode()})),
        Case("absolute.zip", zip_bytes({"/etc/evil.txt": GOOD.encode()})),
        Case(
            "nested_too_deep.zip",
            zip_bytes({"1.zip": zip_bytes({"2.zip": zip_bytes({"a.txt": GOOD.encode()})})}),
        ),
        Case("symlink_entry.zip", zip_with_symlink("/etc/passwd")),
        Case("bomb.zip", zip_bytes({"big.txt": b"0" * (SMALL * 40)})),
        Case("csv_bomb.zip", zip_bytes({"bomb.csv": b"text\n" + b"row\n" * (SMALL * 10)})),
        Case("csv_rows_bomb.zip", zip_bytes({"rows.csv": b"text\n" + b"row\n" * 500})),
        Case("too_many_entries.zip", zip_bytes({f"{i}.txt": b"" for i in range(40)})),
        Case("zip_of_junk.zip", zip_bytes({"a.docx": junk(seed=10), "b.pdf": b"%PDF"})),
        # unsupported and odd names
        Case("old_word.doc", b"\xd0\xcf\x11\xe0" + junk(200)),
        Case("no_extension", GOOD.encode()),
        Case("archive.rar", b"Rar!\x1a\x07\x00"),
        Case("data.json", b'{"text": "x"}'),
        Case("ชื่อ ![x](http-img) <img src=x>.txt", GOOD.encode() + b"1", refused=False),
        Case("name\nwith newline.txt", GOOD.encode() + b"2", refused=False),
        Case(("ยาว" * 80)[:80] + ".txt", GOOD.encode() + b"3", refused=False),
        Case("bad_utf8.txt", GOOD.encode() + b"4", refused=False, raw_name=b"\xa1\xd2\xc3.txt"),
        Case("bad_utf8_2.txt", GOOD.encode() + b"5", refused=False, raw_name=b"x\xff\xfe.txt"),
        # symlinks in the folder
        Case("passwd.txt", None, link="/etc/passwd"),
        Case("dangling.txt", None, link="/nonexistent/file.txt"),
        Case("linked_dir", None, link="/etc"),
    ]
    return cases


def write_case(folder: Path, case: Case) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if case.raw_name is not None:
        path = Path(os.fsdecode(os.path.join(os.fsencode(folder), case.raw_name)))
    else:
        path = folder / case.name
    if case.data is None:
        path.symlink_to(case.link)
    else:
        path.write_bytes(case.data)
    return path


@pytest.fixture
def small_limits(monkeypatch):
    for name, value in {
        "MAX_FILE_BYTES": SMALL,
        "MAX_TABLE_BYTES": SMALL * 4,
        "MAX_TABLE_ROWS": 20,
        "MAX_JSONL_LINE_CHARS": 3 * SMALL,
        "MAX_XLSX_STRINGS_BYTES": SMALL,
        "MAX_ZIP_TOTAL_BYTES": SMALL * 20,
        "MAX_ZIP_ENTRIES": 30,
    }.items():
        monkeypatch.setattr(ingest, name, value)


def row_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in m.metadata.sorted_tables
            if t.name != "alembic_version"
        }


def one_line(reason: str) -> bool:
    return "\n" not in reason and "Traceback" not in reason and 10 < len(reason) < 600


def test_the_corpus_is_big_and_covers_every_format(tmp_path):
    cases = corpus(tmp_path)
    assert len(cases) >= 60
    suffixes = {Path(c.name).suffix for c in cases}
    assert {".txt", ".md", ".html", ".docx", ".pdf", ".csv", ".tsv", ".xlsx", ".zip"} <= suffixes
    assert ".jsonl" in suffixes


def test_each_hostile_file_is_refused_in_one_line_or_stored_once(
    store_engine, fake_extractor, small_limits, tmp_path
):
    store.import_text(store_engine, GOOD, "good.txt", actor=ADMIN)
    for i, case in enumerate(corpus(tmp_path)):
        before = row_counts(store_engine)
        folder = tmp_path / f"case{i}"
        write_case(folder, case)
        summary = ingest.import_paths(store_engine, [folder], actor=ADMIN)
        label = (case.name, summary.to_text())
        assert all(one_line(s.reason) for s in summary.skipped), label
        if case.refused:
            assert not summary.imported and summary.skipped, label
            assert row_counts(store_engine) == before, label  # nothing half-stored
        else:
            assert len(summary.imported) == 1 and not summary.skipped, label
            [result] = summary.imported
            result.source_name.encode("utf-8")  # a name the store (and PostgreSQL) can hold
            after = row_counts(store_engine)
            assert after["sessions"] == before["sessions"] + 1, label


def test_specific_reasons(store_engine, fake_extractor, small_limits, tmp_path):
    cases = {c.name: c for c in corpus(tmp_path)}

    def codes(name: str) -> list[str]:
        folder = tmp_path / name.replace(".", "_")
        write_case(folder, cases[name])
        return [s.code for s in ingest.import_paths(store_engine, [folder], actor=ADMIN).skipped]

    assert codes("bit_flipped.zip") == ["unreadable"]
    assert codes("too_many_rows.csv") == ["too_many_rows"]
    assert codes("too_many_rows.xlsx") == ["too_many_rows"]
    assert codes("too_many_lines.jsonl") == ["too_many_rows"]
    assert codes("shared_strings_bomb.xlsx") == ["too_large"]
    assert codes("csv_bomb.zip") == ["archive_too_large"]  # declared sizes over the budget
    assert codes("csv_rows_bomb.zip") == ["too_many_rows"]
    assert codes("passwd.txt") == ["symlink"]
    assert codes("linked_dir") == ["symlink"]
    assert codes("symlink_entry.zip") == ["symlink"]
    assert codes("truncated.pdf") == ["unreadable"]
    assert codes("header_only.pdf") == ["unreadable"]  # damaged, not "needs OCR"
    assert codes("traversal.zip") == ["unsafe_path"]
    assert codes("nested_too_deep.zip") == ["nested_archive"]


def test_a_corrupt_zip_entry_does_not_stop_the_others(store_engine, fake_extractor, tmp_path):
    good = zip_bytes({"a.txt": GOOD.encode(), "b.txt": (GOOD + "ข้อสอง").encode()})
    bad = bytearray(zip_bytes({"c.txt": (GOOD * 400).encode()}))
    bad[60:100] = bytes(b ^ 0xFF for b in bad[60:100])
    (tmp_path / "good.zip").write_bytes(good)
    (tmp_path / "bad.zip").write_bytes(bytes(bad))
    summary = ingest.import_paths(store_engine, [tmp_path], actor=ADMIN)
    assert len(summary.imported) == 2
    [skip] = summary.skipped
    assert skip.source_name.endswith("/bad.zip/c.txt") and one_line(skip.reason)


def test_file_names_with_invalid_utf8_get_a_readable_name(store_engine, fake_extractor, tmp_path):
    write_case(tmp_path, Case("x", GOOD.encode(), raw_name="บันทึก".encode("cp874") + b".txt"))
    [result] = ingest.import_paths(store_engine, [tmp_path], actor=ADMIN).imported
    assert result.source_name.endswith("บันทึก.txt")


def test_uploads_over_the_limit_are_refused_and_config_agrees(store_engine, monkeypatch):
    import tomllib

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * ingest.MiB == ingest.MAX_UPLOAD_BYTES
    assert config["client"]["showErrorDetails"] in ("none", False)
    assert config["client"]["toolbarMode"] in ("viewer", "minimal")
    monkeypatch.setattr(ingest, "MAX_UPLOAD_BYTES", 10)
    summary = ingest.import_uploads(store_engine, [("big.txt", b"x" * 11)], actor=ADMIN)
    [skip] = summary.skipped
    assert skip.code == "too_large" and "python -m analysis import" in skip.reason


def test_uploads_go_through_the_same_guards(store_engine, fake_extractor, small_limits, tmp_path):
    store.import_text(
        store_engine, GOOD, "good.txt", actor=ADMIN
    )  # the good entries of bad archives
    before = row_counts(store_engine)
    uploads = [(c.name, c.data) for c in corpus(tmp_path) if c.refused and c.data is not None]
    summary = ingest.import_uploads(store_engine, uploads, actor=ADMIN)
    assert not summary.imported and all(one_line(s.reason) for s in summary.skipped)
    assert row_counts(store_engine) == before


def test_failures_are_logged_with_their_traceback(
    store_engine, fake_extractor, caplog, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "import_texts", broken)  # the batch of text files
    monkeypatch.setattr(store, "import_text", broken)  # each file again, on its own
    logger = logging.getLogger("analysis.ingest")
    logger.addHandler(caplog.handler)  # directly: the CLI may have stopped propagation
    try:
        summary = ingest.import_uploads(store_engine, [("a.txt", GOOD.encode())], actor=ADMIN)
    finally:
        logger.removeHandler(caplog.handler)
    [skip] = summary.skipped
    assert skip.code == "failed" and one_line(skip.reason)
    assert any(r.exc_info and "disk on fire" in str(r.exc_info[1]) for r in caplog.records)


def test_cli_import_of_the_whole_corpus_reports_and_exits_cleanly(store_url, tmp_path):
    folder = tmp_path / "corpus"
    for case in corpus(tmp_path):
        if case.refused:
            write_case(folder, case)
    write_case(folder, Case("good.txt", GOOD.encode()))
    env = {k: v for k, v in os.environ.items() if k != store.ENV_DATABASE_URL}
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "import", str(folder), "--database-url", store_url],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stdout + done.stderr
    assert "นำเข้าแล้ว (imported): 1" in done.stdout


@pytest.mark.parametrize(
    "data",
    [
        b"",
        junk(),
        b"\x00" * 100,
        ("ก" * 200_000).encode(),  # one huge line
        GOOD.encode() + "ควรทำ".encode("cp874") + b"\xff\xfe",
        "\n".join(["คุณ" + "ก" * 50 + ":"] * 2000).encode(),  # thousands of speaker turns
        b"<html>" + b"<div>" * 5000 + "ข้อความ".encode() + b"</div>" * 5000,
        "\u200b\u00a0\ufeff\u0e47\u0e48".encode() * 1000,
    ],
    ids=["empty", "junk", "nuls", "huge-line", "mixed", "many-turns", "deep-html", "invisible"],
)
def test_the_extractor_survives_hostile_text(tmp_path, data):
    """The extract command: one line on stderr for what it cannot read, a record otherwise."""
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "extract", "--jsonl", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert "Traceback" not in done.stderr
    if done.returncode == 0:
        record = json.loads(done.stdout)
        assert record["file"] == "x.txt"
    else:
        assert done.returncode == 1 and done.stderr.count("\n") == 1


def test_extract_on_decoded_hostile_text_returns_a_record():
    for text in ("", "ก" * 100_000, "คุณ:" * 10_000, "\x00ก\x00", "ควร" * 5000):
        assert extract(text).to_dict()["kind"]


# ----------------------------------------------------------------------------- memory

# The child's own peak: VmHWM belongs to its address space, which exec makes anew (getrusage's
# ru_maxrss is kept across exec, so it would report the pytest process's size at fork time).
MEASURE = """
import sys
from analysis.__main__ import main
code = main(sys.argv[1:])
with open("/proc/self/status") as fh:
    peak = next(line.split()[1] for line in fh if line.startswith("VmHWM:"))
print("PEAK_KB", peak)
sys.exit(code)
"""


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param([f"แถวที่ {i} ข้อความสั้น".encode() for i in range(1_000_000)], id="many-rows"),
        pytest.param([("ก" * 6_000).encode()] * 3_500, id="long-rows"),
    ],
)
def test_csv_bomb_in_a_small_zip_stays_under_1_gb(tmp_path, rows):
    """A zip of well under 1 MB that expands to a CSV of about 60 MB: the import runs in a
    child process, which reports its own peak resident memory."""
    csv_data = b"text\n" + b"\n".join(rows) + b"\n"
    del rows
    assert len(csv_data) > 55 * 1024 * 1024
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(zip_bytes({"bomb.csv": csv_data}))
    assert bomb.stat().st_size < 8 * 1024 * 1024
    del csv_data
    url = f"sqlite:///{tmp_path / 'store.db'}"
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, "import", str(bomb), "--database-url", url],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=900,
    )
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    peak_kb = int(done.stdout.split("PEAK_KB")[-1].split()[0])
    print(f"peak RSS importing the CSV bomb: {peak_kb / 1024:.0f} MB")
    assert peak_kb < 1024 * 1024


@pytest.mark.parametrize("in_memory", [True, False])
def test_zip_on_disk_is_read_in_place_or_in_memory_alike(
    store_engine, fake_extractor, tmp_path, monkeypatch, in_memory
):
    monkeypatch.setattr(ingest, "ZIP_IN_MEMORY_BYTES", 1 << 40 if in_memory else 0)
    rows = "text\n" + "".join(f'"บันทึกแถว {i}\nคุณก: พูด {i}"\n' for i in range(5))
    entries = {"a.txt": GOOD.encode(), "t.csv": rows.encode(), "bad.pdf": b"%PDF-1.4 junk"}
    (tmp_path / "in.zip").write_bytes(zip_bytes(entries))
    summary = ingest.import_paths(store_engine, [tmp_path / "in.zip"], actor=ADMIN)
    assert len(summary.imported) == 6
    assert [s.source_name for s in summary.skipped] == ["in.zip/bad.pdf"]
