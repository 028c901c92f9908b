"""The extractor and decoder on awkward input: encodings, invisible characters, junk, size."""

import codecs
import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.extract import extract
from analysis.text import DecodeError, decode_bytes

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (
    "ถอดบทเรียนกองทุนหมู่บ้านบ้านนา\n"
    "วันที่ 17 พฤศจิกายน 2548 เวลา 09.00 - 12.00 น. ณ ศาลาประชาคม\n"
    "จำนวนผู้เข้าร่วม 17 คน มีคุณเอื้อจาก พช. พอช. ธกส.\n"
    "คุณสมศรี (พอช.)\u00a0\u00a0\u00a0เราควรทำบัญชีครัวเรือนทุกบ้าน\n"
)


def test_every_encoding_gives_the_same_text():
    variants = [
        SAMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        SAMPLE.encode("utf-16"),
        SAMPLE.encode("utf-16-le"),
        SAMPLE.encode("utf-16-be"),
        SAMPLE.replace("\u00a0", " ").encode("cp874"),
        SAMPLE.replace("\u00a0", " ").encode("tis-620"),
    ]
    texts = {decode_bytes(v).replace("\u00a0", " ").rstrip("\n") for v in variants}
    assert texts == {SAMPLE.replace("\u00a0", " ").rstrip("\n")}


def test_html_page_gives_its_visible_text():
    page = (
        "<html><head><title>x</title><style>p{color:red}</style><script>var a=1;</script></head>"
        "<body><nav>หน้าแรก</nav><h1>ถอดบทเรียนกองทุนหมู่บ้านบ้านนา</h1>"
        "<p>วันที่ 17 พฤศจิกายน 2548 เวลา 09.00 &ndash; 12.00 น. ณ ศาลาประชาคม</p></body></html>"
    )
    text = decode_bytes(page.encode("utf-8"))
    assert "var a" not in text and "color" not in text
    assert "ถอดบทเรียนกองทุนหมู่บ้านบ้านนา" in text.splitlines()
    rec = extract(text)
    assert rec.title == "ถอดบทเรียนกองทุนหมู่บ้านบ้านนา"
    assert rec.session_date == "2005-11-17" and rec.time_range == "09:00-12:00"


def test_pdf_private_use_glyphs_become_thai():
    # 'ที่' and 'ผู้' as a Thai PDF font leaves them: shifted tone marks in U+F700-U+F71A
    assert decode_bytes("ท\uf701\uf70a ผ\uf719\uf70b".encode("utf-8")) == "ทิ่ ผู้"


def test_zero_width_and_thai_digits():
    text = "เวที\u200bออม\u200bทรัพย์\nวันที่ ๑๗ พ.ย. ๒๕๔๘ เวลา ๐๙.๐๐-๑๒.๐๐ น. ณ วัดบ้านนา\nผู้เข้าร่วม ๒๕ คน"
    rec = extract(decode_bytes(text.encode("utf-8")))
    assert rec.title == "เวทีออมทรัพย์"
    assert (rec.session_date, rec.time_range, rec.participant_count) == (
        "2005-11-17",
        "09:00-12:00",
        25,
    )


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t ", b"\x00\x01\x02\x03\xff\xfe\x00garbage\x00" * 50, bytes(range(256)) * 20],
)
def test_empty_and_binary_input_is_refused_clearly(data):
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert "(" in str(info.value)  # Thai message with its English gloss


def test_empty_text_gives_an_empty_other_record():
    rec = extract("")
    assert rec.kind == "other" and rec.turns == () and rec.agencies == ()


def test_twenty_megabyte_text_is_read(tmp_path):
    para = (
        SAMPLE.replace("คุณสมศรี (พอช.)\u00a0\u00a0\u00a0", "")
        + "ชาวบ้านเล่าเรื่องการออมเงินกันอย่างสนุกสนาน " * 40
        + "\n"
    )
    big = (para * (20_000_000 // len(para.encode("utf-8")) + 1)).encode("utf-8")
    assert len(big) >= 20_000_000
    rec = extract(decode_bytes(big))
    assert rec.session_date == "2005-11-17"


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "analysis", "extract", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_extract_json_array_and_jsonl(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(SAMPLE, encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_bytes(SAMPLE.replace("\u00a0", " ").encode("cp874"))
    res = _cli(str(a), str(b))
    assert res.returncode == 0, res.stderr
    arr = json.loads(res.stdout)
    assert [r["file"] for r in arr] == ["a.txt", "b.txt"]
    assert arr[0]["session_date"] == arr[1]["session_date"] == "2005-11-17"
    for key in (
        "kind",
        "title",
        "time_range",
        "venue",
        "participant_count",
        "agencies",
        "turns",
        "recommendations",
        "themes",
        "agencies_canonical",
        "recommendation_categories",
        "end_date",
        "province",
    ):
        assert key in arr[0]
    res = _cli("--jsonl", str(a), str(b))
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["file"] == "b.txt"


def test_cli_reports_each_failure_on_one_line_and_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(SAMPLE, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 10)
    res = _cli(
        "--jsonl", str(tmp_path / "missing.txt"), str(tmp_path), str(empty), str(junk), str(good)
    )
    assert res.returncode == 1
    errors = res.stderr.strip().splitlines()
    assert len(errors) == 4 and all(e.startswith("error: ") for e in errors)
    assert "Traceback" not in res.stderr
    assert [json.loads(x)["file"] for x in res.stdout.strip().splitlines()] == ["good.txt"]
