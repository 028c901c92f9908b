"""`python -m analysis extract` reads what `import` reads, says what decoding repaired, and loads
only the extractor for plain text. The .docx, .pdf, .html and .xlsx files are made here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.__main__ import main
from tests.test_ingest import make_docx, make_pdf, make_xlsx

ROOT = Path(__file__).resolve().parents[1]
LINES = [
    "เวทีแลกเปลี่ยนเรียนรู้กองทุนสวัสดิการชุมชน ตำบลนาหว้า",
    "วันที่ 9 มีนาคม 2549 เวลา 13.00 - 16.00 น. ณ ศาลาประชาคมหมู่ 4",
    "จำนวนผู้เข้าร่วม 32 คน จาก พอช. และ อบต.นาหว้า",
    "คุณบุญมี (พอช.)        กองทุนของเราเริ่มจากวันละบาท ควรให้สมาชิกออมต่อเนื่องทุกเดือน",
    "ป้าละเอียด        ที่ผ่านมาคนเจ็บป่วยได้เงินช่วยเหลือจริง อยากให้ อบต. สมทบทุกปี",
]
TEXT = "\n".join(LINES) + "\n"


def run(capsys, *args: str) -> tuple[int, list[dict], list[str]]:
    code = main(["extract", "--jsonl", *args])
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines() if line.strip()]
    return code, records, captured.err.splitlines()


@pytest.fixture
def expected(tmp_path, capsys) -> dict:
    """The record of the same lines given as a plain UTF-8 text file."""
    path = tmp_path / "plain.txt"
    path.write_text(TEXT, encoding="utf-8")
    code, records, _ = run(capsys, str(path))
    assert code == 0 and records[0]["session_date"] == "2006-03-09"
    assert records[0]["participant_count"] == 32
    return records[0]


def _fields(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in ("file", "turns")}


def test_docx_is_read_like_its_text(tmp_path, capsys, expected):
    path = make_docx(tmp_path / "บันทึก.docx", LINES)
    code, records, errors = run(capsys, str(path))
    assert code == 0, errors
    assert records[0]["file"] == "บันทึก.docx"
    assert _fields(records[0]) == _fields(expected)
    assert [t["speaker"] for t in records[0]["turns"]] == [t["speaker"] for t in expected["turns"]]


def test_pdf_text_layer_is_read_not_its_bytes(tmp_path, capsys, expected):
    path = tmp_path / "minutes.pdf"
    path.write_bytes(make_pdf(LINES[:3]))
    code, records, errors = run(capsys, str(path))
    assert code == 0, errors
    record = records[0]
    assert record["title"] == expected["title"]
    assert record["session_date"] == "2006-03-09"
    assert record["participant_count"] == 32
    assert "%PDF" not in json.dumps(record, ensure_ascii=False)


def test_scanned_pdf_is_one_error_line_that_says_ocr(tmp_path, capsys):
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf(None))
    code, records, errors = run(capsys, str(path))
    assert code == 1 and records == []
    assert len(errors) == 1 and errors[0].startswith("error: scan.pdf") and "OCR" in errors[0]


def test_html_page_gives_the_record_of_its_visible_text(tmp_path, capsys, expected):
    body = "".join(f"<p>{line}</p>" for line in LINES)
    page = (
        "<!doctype html><html><head><title>ข่าว</title><script>var n = 1;</script></head>"
        f"<body>{body}</body></html>"
    )
    path = tmp_path / "news.html"
    path.write_text(page, encoding="utf-8")
    code, records, errors = run(capsys, str(path))
    assert code == 0, errors
    assert records[0]["title"] == expected["title"]
    assert records[0]["session_date"] == "2006-03-09"
    assert "<p>" not in json.dumps(records[0], ensure_ascii=False)


def test_xlsx_rows_give_one_record_each(tmp_path, capsys, expected):
    second = TEXT.replace("9 มีนาคม 2549", "20 เมษายน 2549")
    path = make_xlsx(
        tmp_path / "sessions.xlsx",
        ["ชื่อไฟล์", "ข้อความ"],
        [["first.txt", TEXT], ["second.txt", second], [None, None]],
    )
    code, records, errors = run(capsys, str(path))
    assert code == 0, errors
    assert [r["file"] for r in records] == ["first.txt", "second.txt"]
    assert [r["session_date"] for r in records] == ["2006-03-09", "2006-04-20"]
    assert _fields(records[0]) == _fields(expected)


def test_field_rows_are_shown_as_given_with_a_warning(tmp_path, capsys):
    path = tmp_path / "fields.csv"
    path.write_text(
        "title,session_date,agencies\nเวทีประชาคมหมู่ 7,17/11/2548,พช.|อบต.\n", encoding="utf-8"
    )
    code, records, errors = run(capsys, str(path))
    assert code == 0, errors
    (record,) = records
    assert record["file"] == "fields.csv#row2"
    assert (record["title"], record["session_date"]) == ("เวทีประชาคมหมู่ 7", "2005-11-17")
    assert record["agencies"] == ["พช.", "อบต."]
    assert "not extracted" in record["warnings"][0]


def test_one_bad_byte_keeps_utf8_thai_and_is_named_in_warnings(tmp_path, capsys, expected):
    data = TEXT.encode("utf-8")
    at = data.index("คุณบุญมี".encode())
    path = tmp_path / "damaged.txt"
    path.write_bytes(data[:at] + b"\xff" + data[at:])
    code, records, errors = run(capsys, str(path))
    assert code == 0, errors
    record = records[0]
    assert record["title"] == expected["title"]  # Thai, not cp874 mojibake such as 'เธ'
    assert record["session_date"] == "2006-03-09"
    assert len(record["warnings"]) == 1
    assert "U+FFFD" in record["warnings"][0] and " 1 " in record["warnings"][0]


def test_cp874_and_clean_utf8_have_no_warnings(tmp_path, capsys, expected):
    path = tmp_path / "old.txt"
    path.write_bytes(TEXT.encode("cp874"))
    code, records, _ = run(capsys, str(path), str(tmp_path / "plain.txt"))
    assert code == 0
    assert [r["warnings"] for r in records] == [[], []]
    assert records[0]["title"] == expected["title"]


def test_extract_of_a_text_file_loads_only_the_extractor(tmp_path):
    """A whole-process `extract` must not pay for the store, pandas or the report modules."""
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['analysis', 'extract', {str(path)!r}]\n"
        "try:\n    runpy.run_module('analysis', run_name='__main__')\n"
        "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "heavy = ('analysis.store', 'analysis.ingest', 'analysis.export_report', 'pandas',"
        " 'sqlalchemy', 'plotly', 'openpyxl', 'docx', 'pdfplumber')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)), file=sys.stderr)\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)[0]["session_date"] == "2006-03-09"
    assert res.stderr.strip() == "[]"
