"""Files, folders, .zip archives and uploads → texts or records → the store.

Readers turn each input into *items*: a decoded text (to be extracted), a structured record (a
CSV/XLSX row with field columns, a JSONL line of records) or a line of the project's own JSONL
export (kept whole: corrections, review states, follow-ups). Whatever cannot be read becomes a
`Skipped` with a reason that says what to do. Every file is imported in one transaction, so a
failure half-way through a file leaves nothing of it in the store.

Limits (module constants, documented in the README):
    MAX_FILE_BYTES        20 MiB  a text file (.txt .md .html) or one text inside a table/JSONL
    MAX_DOCUMENT_BYTES   100 MiB  a .docx or .pdf (images make them large)
    MAX_TABLE_BYTES      512 MiB  a .csv/.tsv/.xlsx/.jsonl holding many sessions
    MAX_ZIP_TOTAL_BYTES    1 GiB  everything one .zip expands to (nested archives included)
    MAX_ZIP_ENTRIES       10 000  entries in one .zip
    MAX_ARCHIVE_NESTING        1  a .zip inside a .zip is read; one level deeper is refused
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path, PurePosixPath

from sqlalchemy.engine import Engine

from analysis import store
from analysis.record import KINDS
from analysis.text import TEXT_SUFFIXES, DecodeError, clean, decode_bytes

MiB = 1024 * 1024
MAX_FILE_BYTES = 20 * MiB
MAX_DOCUMENT_BYTES = 100 * MiB
MAX_TABLE_BYTES = 512 * MiB
MAX_ZIP_TOTAL_BYTES = 1024 * MiB
MAX_ZIP_ENTRIES = 10_000
MAX_ARCHIVE_NESTING = 1

DOCUMENT_SUFFIXES = (".docx", ".pdf")
TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".jsonl", ".ndjson")
ARCHIVE_SUFFIXES = (".zip",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + DOCUMENT_SUFFIXES + TABLE_SUFFIXES + ARCHIVE_SUFFIXES

# What to do with formats people often have instead.
_CONVERT_HINTS = {
    ".doc": "เปิดใน Word แล้วบันทึกเป็น .docx (open in Word and save as .docx)",
    ".xls": "เปิดใน Excel แล้วบันทึกเป็น .xlsx (open in Excel and save as .xlsx)",
    ".rtf": "บันทึกเป็น .docx หรือ .txt (save as .docx or .txt)",
    ".odt": "บันทึกเป็น .docx (save as .docx)",
    ".rar": "แตกไฟล์แล้วบีบอัดใหม่เป็น .zip (extract it and zip it again)",
    ".7z": "แตกไฟล์แล้วบีบอัดใหม่เป็น .zip (extract it and zip it again)",
    ".json": "ใช้ไฟล์ .jsonl หนึ่งบรรทัดต่อหนึ่งบันทึก (use .jsonl, one record per line)",
}

# Column names read from CSV/XLSX (compared case-insensitively).
TEXT_COLUMNS = ("raw_text", "text", "ข้อความ", "เนื้อหา", "บันทึก", "content", "body")
PROGRAMME_COLUMNS = ("programme", "program", "โครงการ")
SOURCE_COLUMNS = ("source_name", "source", "file", "ชื่อไฟล์", "แหล่งที่มา")
FIELD_COLUMNS = {
    "title": ("title", "ชื่อเรื่อง", "หัวข้อ"),
    "kind": ("kind", "ประเภท"),
    "session_date": ("session_date", "date", "วันที่"),
    "end_date": ("end_date", "วันที่สิ้นสุด"),
    "time_range": ("time_range", "เวลา"),
    "venue": ("venue", "สถานที่"),
    "participant_count": ("participant_count", "จำนวนผู้เข้าร่วม"),
    "province": ("province", "จังหวัด"),
    "agencies": ("agencies", "หน่วยงาน"),
    "recommendations": ("recommendations", "ข้อเสนอแนะ"),
    "themes": ("themes", "ประเด็น"),
}
LIST_SEPARATOR = re.compile(r"\s*(?:\n|\|)\s*")
"""List cells (agencies, recommendations, themes) hold one item per line, or items split by |."""


Progress = Callable[[int, int, str], None]

logging.getLogger("pdfminer").setLevel(logging.ERROR)


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Skipped:
    """An input that was not imported: `code` for grouping, `reason` in Thai then English."""

    source_name: str
    code: str  # unsupported, empty, unreadable, too_large, needs_ocr, unsafe_path,
    #            nested_archive, archive_too_large, not_found, failed
    reason: str


@dataclass
class ImportSummary:
    """What an import did: results per text, and every input skipped with its reason."""

    imported: list[store.ImportResult] = field(default_factory=list)
    duplicates: list[store.ImportResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def read_anything(self) -> bool:
        """True when at least one text was read (imported or found already stored)."""
        return bool(self.imported or self.duplicates)

    def merge(self, other: ImportSummary) -> None:
        self.imported += other.imported
        self.duplicates += other.duplicates
        self.skipped += other.skipped
        self.warnings += other.warnings

    def to_text(self, limit: int = 50) -> str:
        """The summary for people, Thai first: counts, then each duplicate, skip and warning
        (at most `limit` lines of each kind)."""
        lines = [
            f"นำเข้าแล้ว (imported): {len(self.imported)}",
            f"ซ้ำ ไม่ได้เพิ่ม (duplicates, nothing added): {len(self.duplicates)}",
            f"ข้าม (skipped): {len(self.skipped)}",
        ]
        for mark, entries in (
            ("=", [r.message for r in self.duplicates]),
            ("-", [f"{s.source_name}: {s.reason}" for s in self.skipped]),
            ("!", self.warnings),
        ):
            lines += [f"  {mark} {entry}" for entry in entries[:limit]]
            if len(entries) > limit:
                lines.append(
                    f"  {mark} … อีก {len(entries) - limit} รายการ ({len(entries) - limit} more)"
                )
        if not self.read_anything:
            lines.append(
                "ไม่มีไฟล์ใดอ่านได้ ตรวจชนิดไฟล์และเหตุผลด้านบน (nothing could be read: check the file "
                f"types and the reasons above; supported: {', '.join(SUPPORTED_SUFFIXES)})"
            )
        return "\n".join(lines)


@dataclass
class Item:
    """One thing a reader found: exactly one of text, record, exported or skip is set."""

    source_name: str
    text: str | None = None
    record: dict | None = None
    exported: dict | None = None
    programme: str | None = None
    skip: Skipped | None = None
    extraction: Future | None = None  # the extractor's record, being made in a worker


def _skip(name: str, code: str, th: str, en: str) -> Skipped:
    return Skipped(name, code, f"{th} ({en})")


# ----------------------------------------------------------------------------- sources


class _ArchiveBudget:
    """Bytes one top-level archive may still expand to (shared with its nested archives)."""

    def __init__(self) -> None:
        self.remaining = MAX_ZIP_TOTAL_BYTES


class _BudgetExceeded(Exception):
    pass


@dataclass
class _Source:
    """A file on disk, an upload or a zip entry: a name, a size if known and a way to read it."""

    name: str
    size: int | None
    reader: Callable[[int], bytes]  # reader(limit) returns at most limit + 1 bytes
    depth: int = 0  # how many archives it sits in
    budget: _ArchiveBudget | None = None

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name.lower()).suffix

    def read(self, limit: int) -> bytes:
        if self.budget is not None:
            limit_here = min(limit, self.budget.remaining)
            data = self.reader(limit_here)
            if len(data) > limit_here and limit_here < limit:
                raise _BudgetExceeded
            self.budget.remaining -= min(len(data), limit_here)
            return data
        return self.reader(limit)


def _read_path(path: Path) -> Callable[[int], bytes]:
    def read(limit: int) -> bytes:
        with open(path, "rb") as fh:
            return fh.read(limit + 1)

    return read


def _limit_for(suffix: str) -> int:
    if suffix in DOCUMENT_SUFFIXES:
        return MAX_DOCUMENT_BYTES
    if suffix in TABLE_SUFFIXES:
        return MAX_TABLE_BYTES
    return MAX_FILE_BYTES


def _hidden(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return any(p.startswith(".") and p not in (".", "..") for p in parts) or "__MACOSX" in parts


def _walk(paths: Iterable[str | os.PathLike]) -> list[_Source | Skipped]:
    """Files under the given paths (folders recursively, sorted), as sources."""
    out: list[_Source | Skipped] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            root = path.resolve()
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for fname in sorted(filenames):
                    if fname.startswith("."):
                        continue
                    full = Path(dirpath) / fname
                    name = str(PurePosixPath(root.name, full.relative_to(root).as_posix()))
                    out.append(_file_source(full, name))
        elif path.is_file():
            out.append(_file_source(path, path.name))
        else:
            out.append(
                _skip(
                    str(given),
                    "not_found",
                    "ไม่พบไฟล์หรือโฟลเดอร์ ตรวจชื่อและตำแหน่ง",
                    "no such file or folder: check the path",
                )
            )
    return out


def _file_source(path: Path, name: str) -> _Source:
    try:
        size = path.stat().st_size
    except OSError:
        size = None
    return _Source(name=name, size=size, reader=_read_path(path))


def _zip_member_name(info: zipfile.ZipInfo) -> str:
    """The entry's name; names zipped on Thai Windows (cp874, no UTF-8 flag) are repaired."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            return name
        for enc in ("utf-8", "cp874"):
            try:
                return raw.decode(enc)
            except UnicodeDecodeError:
                continue
    return name


def _unsafe_member(name: str) -> bool:
    """True for an entry that would land outside the folder it is extracted into."""
    posix = name.replace("\\", "/")
    if posix.startswith("/") or re.match(r"^[A-Za-z]:", posix):
        return True
    return ".." in PurePosixPath(posix).parts


def _expand(sources: list[_Source | Skipped]) -> list[_Source | Skipped]:
    """Replace each .zip by its entries (and those of zips inside it, one level deep)."""
    out: list[_Source | Skipped] = []
    for src in sources:
        if isinstance(src, _Source) and src.suffix in ARCHIVE_SUFFIXES:
            out.extend(_expand_archive(src))
        else:
            out.append(src)
    return out


def _expand_archive(src: _Source) -> list[_Source | Skipped]:
    if src.depth > MAX_ARCHIVE_NESTING:
        return [
            _skip(
                src.name,
                "nested_archive",
                f"ไฟล์บีบอัดซ้อนกันเกิน {MAX_ARCHIVE_NESTING} ชั้น แตกไฟล์ชั้นในออกมาก่อน",
                f"archive nested more than {MAX_ARCHIVE_NESTING} level deep: extract the "
                "inner archive first",
            )
        ]
    if src.size is not None and src.size > MAX_ZIP_TOTAL_BYTES:
        return [_too_large(src.name, MAX_ZIP_TOTAL_BYTES)]
    budget = src.budget or _ArchiveBudget()
    try:
        data = src.read(MAX_ZIP_TOTAL_BYTES)
        if len(data) > MAX_ZIP_TOTAL_BYTES:
            return [_too_large(src.name, MAX_ZIP_TOTAL_BYTES)]
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except _BudgetExceeded:
        return [_archive_too_large(src.name)]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return [
            _skip(
                src.name,
                "unreadable",
                "อ่านไฟล์ .zip ไม่ได้ ไฟล์อาจเสีย บีบอัดใหม่แล้วนำเข้าอีกครั้ง",
                f"cannot read the .zip ({exc}): zip the files again and re-import",
            )
        ]
    if len(infos) > MAX_ZIP_ENTRIES:
        return [
            _skip(
                src.name,
                "archive_too_large",
                f"ไฟล์ .zip มีเกิน {MAX_ZIP_ENTRIES:,} ไฟล์ แบ่งเป็นหลายไฟล์",
                f"more than {MAX_ZIP_ENTRIES:,} entries: split the archive",
            )
        ]
    if sum(i.file_size for i in infos) > budget.remaining:
        return [_archive_too_large(src.name)]
    out: list[_Source | Skipped] = []
    for info in infos:
        member = _zip_member_name(info)
        name = f"{src.name}/{member}"
        if _unsafe_member(member):
            out.append(
                _skip(
                    name,
                    "unsafe_path",
                    "ชื่อไฟล์ในไฟล์บีบอัดชี้ออกนอกโฟลเดอร์ (../) ไม่นำเข้า",
                    "entry path escapes the archive (../ or absolute): refused",
                )
            )
            continue
        if _hidden(member):
            continue

        def reader(limit: int, info=info) -> bytes:
            with archive.open(info) as fh:
                return fh.read(limit + 1)

        entry = _Source(
            name=name, size=info.file_size, reader=reader, depth=src.depth + 1, budget=budget
        )
        if entry.suffix in ARCHIVE_SUFFIXES:
            out.extend(_expand_archive(entry))
        else:
            out.append(entry)
    return out


def _size(limit: int) -> str:
    return f"{limit / MiB:,.0f} MB" if limit >= MiB else f"{limit:,} bytes"


def _too_large(name: str, limit: int) -> Skipped:
    return _skip(
        name,
        "too_large",
        f"ไฟล์ใหญ่เกิน {_size(limit)} แบ่งเป็นไฟล์ย่อย",
        f"too large: over the {_size(limit)} limit; split it into smaller files",
    )


def _archive_too_large(name: str) -> Skipped:
    return _skip(
        name,
        "archive_too_large",
        f"ไฟล์ .zip แตกออกมาใหญ่เกิน {_size(MAX_ZIP_TOTAL_BYTES)} แบ่งเป็นหลายไฟล์",
        f"archive expands beyond {_size(MAX_ZIP_TOTAL_BYTES)}: split it",
    )


# ----------------------------------------------------------------------------- readers


def _decode_data(data: bytes) -> str:
    """Bytes of a CSV/JSONL file to text (UTF-8 with or without BOM, UTF-16, cp874).

    Unlike `decode_bytes` it never treats the content as HTML: cells may hold markup.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return clean(data[3:].decode("utf-8", errors="replace"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return clean(data.decode("utf-16", errors="replace"))
    try:
        return clean(data.decode("utf-8"))
    except UnicodeDecodeError:
        return clean(data.decode("cp874", errors="replace"))


def _docx_text(data: bytes) -> str:
    """Paragraphs and table rows of a .docx, in document order, one per line."""
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells, seen = [], set()
                for cell in row.cells:  # merged cells repeat: keep each once
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(cell.text.strip())
                lines.append("\t".join(cells))
        else:
            lines.append(block.text)
    return clean("\n".join(lines))


def _pdf_text(data: bytes) -> str:
    """The text layer of a PDF, page after page ("" for a scan)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return clean("\n".join(page.extract_text() or "" for page in pdf.pages))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else (value.isoformat())
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))


def _parse_table_date(value: str) -> str | None:
    """ISO, or day/month/year with a Buddhist-era or Gregorian year: '17/11/2548' → 2005-11-17."""
    value = value.strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value) or None
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
        if match:
            year = int(match[3])
            year = year - 543 if year > 2400 else year
            return date(year, int(match[2]), int(match[1])).isoformat()
    except ValueError:
        return None
    return None


def _structured_record(values: dict[str, str]) -> dict:
    rec: dict = {}
    for fname, value in values.items():
        if not value:
            continue
        if fname in ("agencies", "recommendations", "themes"):
            rec[fname] = [v for v in LIST_SEPARATOR.split(value) if v]
        elif fname in ("session_date", "end_date"):
            rec[fname] = _parse_table_date(value)
        elif fname == "participant_count":
            digits = value.replace(",", "")
            rec[fname] = int(float(digits)) if re.fullmatch(r"\d+(\.0+)?", digits) else None
        elif fname == "kind":
            rec[fname] = value if value in KINDS else "summary"
        else:
            rec[fname] = value
    rec.setdefault("kind", "summary")
    return rec


def _find_column(header: list[str], names: Iterable[str]) -> int | None:
    wanted = [n.lower() for n in names]
    for name in wanted:
        if name in header:
            return header.index(name)
    return None


def _rows_to_items(name: str, header: list, rows: Iterable[list]) -> list[Item]:
    """CSV/XLSX rows → items: a text column, or record-field columns, one session per row."""
    header = [_cell(h).lstrip("\ufeff").strip().lower() for h in header]
    text_col = _find_column(header, TEXT_COLUMNS)
    if "session_id" in header and ("seq" in header or text_col is None and "title" not in header):
        return [
            Item(
                name,
                skip=_skip(
                    name,
                    "unsupported",
                    "เป็นตารางย่อยที่ส่งออกจากระบบ ไม่ใช่บันทึก นำเข้าไฟล์หลักหรือ .jsonl แทน",
                    "an exported sub-table (turns, recommendations…), not session records: "
                    "import the main table or the .jsonl export instead",
                ),
            )
        ]
    prog_col = _find_column(header, PROGRAMME_COLUMNS)
    src_col = _find_column(header, SOURCE_COLUMNS)
    field_cols = {
        f: i for f, names in FIELD_COLUMNS.items() if (i := _find_column(header, names)) is not None
    }
    if text_col is None and not field_cols:
        return [
            Item(
                name,
                skip=_skip(
                    name,
                    "unreadable",
                    "ไม่พบคอลัมน์ข้อความ เพิ่มคอลัมน์ชื่อ ข้อความ (หรือ text) หรือคอลัมน์ title, session_date …",
                    "no text column: add a column named text (or ข้อความ) holding "
                    "each record, or field columns such as title, session_date, agencies",
                ),
            )
        ]
    items: list[Item] = []
    for number, row in enumerate(rows, start=2):  # row 1 is the header, as in a spreadsheet
        cells = [_cell(v) for v in row]
        if not any(c.strip() for c in cells):
            continue

        def get(i: int | None, cells=cells, strip: bool = True) -> str:
            value = cells[i] if i is not None and i < len(cells) else ""
            return value.strip() if strip else value

        row_name = get(src_col) or f"{name}#row{number}"
        programme = get(prog_col) or None
        if text_col is not None:
            text = get(text_col, strip=False)  # the record exactly as the cell holds it
            if not text.strip():
                items.append(
                    Item(
                        row_name,
                        skip=_skip(
                            row_name, "empty", "แถวนี้ไม่มีข้อความ", "this row's text cell is empty"
                        ),
                    )
                )
            elif len(text.encode("utf-8")) > MAX_FILE_BYTES:
                items.append(Item(row_name, skip=_too_large(row_name, MAX_FILE_BYTES)))
            else:
                items.append(Item(row_name, text=text, programme=programme))
        else:
            rec = _structured_record({f: get(i) for f, i in field_cols.items()})
            items.append(Item(row_name, record=rec, programme=programme))
    return items


def _csv_items(name: str, data: bytes, tab: bool) -> list[Item]:
    text = _decode_data(data)
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES + 1))
    if tab:
        delimiter = "\t"
    else:
        try:
            delimiter = csv.Sniffer().sniff(text[:65536], delimiters=",\t;").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        return [Item(name, skip=_empty(name))]
    return _rows_to_items(name, header, reader)


def _xlsx_items(name: str, data: bytes) -> list[Item]:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        names = workbook.sheetnames
        sheet = workbook["sessions"] if "sessions" in names else workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            return [Item(name, skip=_empty(name))]
        return _rows_to_items(name, list(header), rows)
    finally:
        workbook.close()


def _jsonl_items(name: str, data: bytes) -> list[Item]:
    """Lines of the project's export, of `extract --jsonl` records, or {text, …} objects."""
    items: list[Item] = []
    for number, line in enumerate(_decode_data(data).split("\n"), start=1):
        if not line.strip():
            continue
        line_name = f"{name}#line{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            items.append(
                Item(
                    line_name,
                    skip=_skip(
                        line_name,
                        "unreadable",
                        "บรรทัดนี้ไม่ใช่ JSON แก้ไขหรือลบบรรทัดนี้",
                        f"not a JSON object ({exc.msg}): fix or remove the line",
                    ),
                )
            )
            continue
        if not isinstance(obj, dict):
            items.append(
                Item(
                    line_name,
                    skip=_skip(
                        line_name, "unreadable", "บรรทัดนี้ไม่ใช่ออบเจกต์ JSON", "not a JSON object"
                    ),
                )
            )
            continue
        source = str(obj.get("source_name") or obj.get("file") or line_name)
        programme = obj.get("programme") if isinstance(obj.get("programme"), str) else None
        if obj.get("format") == store.EXPORT_FORMAT or ("raw_text" in obj and "extracted" in obj):
            items.append(Item(source, exported=obj, programme=programme))
        elif isinstance(obj.get("raw_text") or obj.get("text"), str):
            items.append(
                Item(source, text=clean(obj.get("raw_text") or obj["text"]), programme=programme)
            )
        elif any(key in obj for key in FIELD_COLUMNS):
            items.append(Item(source, record=obj, programme=programme))
        else:
            items.append(
                Item(
                    line_name,
                    skip=_skip(
                        line_name,
                        "unreadable",
                        "ไม่มีข้อความหรือช่องของบันทึก ต้องมี text หรือ title, agencies …",
                        "no text and no record fields: give text, or fields such as title, "
                        "agencies",
                    ),
                )
            )
    return items


def _empty(name: str) -> Skipped:
    return _skip(name, "empty", "ไฟล์ว่าง ไม่มีข้อความ", "empty: nothing to import")


def read_source(src: _Source) -> list[Item]:
    """Read one file/upload/zip entry into items (never raises for a bad file)."""
    suffix = src.suffix
    if suffix not in SUPPORTED_SUFFIXES:
        hint = _CONVERT_HINTS.get(suffix, f"ชนิดที่รองรับ: {', '.join(SUPPORTED_SUFFIXES)}")
        return [
            Item(
                src.name,
                skip=_skip(
                    src.name,
                    "unsupported",
                    f"ไม่รองรับไฟล์ชนิด {suffix or '(ไม่มีนามสกุล)'}: {hint}",
                    f"unsupported file type {suffix or '(no extension)'}",
                ),
            )
        ]
    limit = _limit_for(suffix)
    if src.size is not None and src.size > limit:
        return [Item(src.name, skip=_too_large(src.name, limit))]
    try:
        data = src.read(limit)
    except _BudgetExceeded:
        return [Item(src.name, skip=_archive_too_large(src.name))]
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError) as exc:
        return [
            Item(
                src.name,
                skip=_skip(
                    src.name,
                    "unreadable",
                    "อ่านไฟล์ไม่ได้ ตรวจสิทธิ์หรือไฟล์อาจเสีย",
                    f"cannot read the file ({exc}): check it opens",
                ),
            )
        ]
    if len(data) > limit:
        return [Item(src.name, skip=_too_large(src.name, limit))]
    if not data.strip():
        return [Item(src.name, skip=_empty(src.name))]
    try:
        if suffix in TEXT_SUFFIXES:
            return [Item(src.name, text=decode_bytes(data))]
        if suffix == ".docx":
            text = _docx_text(data)
        elif suffix == ".pdf":
            text = _pdf_text(data)
            if not text.strip():
                return [
                    Item(
                        src.name,
                        skip=_skip(
                            src.name,
                            "needs_ocr",
                            "PDF นี้ไม่มีชั้นข้อความ เป็นภาพสแกน ต้องทำ OCR ก่อน",
                            "needs OCR: this PDF has no text layer (a scan); run OCR and "
                            "import the text",
                        ),
                    )
                ]
        elif suffix in (".csv", ".tsv"):
            return _csv_items(src.name, data, tab=suffix == ".tsv")
        elif suffix == ".xlsx":
            return _xlsx_items(src.name, data)
        else:
            return _jsonl_items(src.name, data)
    except DecodeError as exc:
        code = "unreadable" if "binary" in str(exc) else "empty"
        return [Item(src.name, skip=Skipped(src.name, code, str(exc)))]
    except Exception as exc:  # a broken .docx/.pdf/.xlsx raises many kinds of errors
        hint_th = {
            ".docx": "เปิดใน Word แล้วบันทึกใหม่เป็น .docx",
            ".pdf": "เปิดแล้วพิมพ์เป็น PDF ใหม่",
            ".xlsx": "เปิดใน Excel แล้วบันทึกใหม่เป็น .xlsx",
        }.get(suffix, "ตรวจไฟล์")
        return [
            Item(
                src.name,
                skip=_skip(
                    src.name,
                    "unreadable",
                    f"อ่านไฟล์ไม่ได้ ไฟล์อาจเสียหรือมีรหัสผ่าน: {hint_th}",
                    f"cannot read this {suffix} ({type(exc).__name__}: {exc}); it may be "
                    "damaged or password-protected: save it again and re-import",
                ),
            )
        ]
    if not text.strip():
        return [Item(src.name, skip=_empty(src.name))]
    return [Item(src.name, text=text)]


def read_file(path: str | os.PathLike) -> list[Item]:
    """Read one file on disk (a .zip: its entries) into items, as `import` reads it.

    `python -m analysis extract` calls this for every type that is not plain text.
    """
    path = Path(path)
    items: list[Item] = []
    for src in _expand([_file_source(path, path.name)]):
        if isinstance(src, Skipped):
            items.append(Item(src.source_name, skip=src))
        else:
            items.extend(read_source(src))
    return items


# ----------------------------------------------------------------------------- importing


def _extract_outside_transaction(engine: Engine, item: Item, summary: ImportSummary):
    """Run the extractor before the file's transaction opens (it may be slow); None for a text
    already in the store. A failing extractor stores the text with an empty record."""
    if item.extraction is not None:  # checked for duplicates when it was handed to a worker
        extract = item.extraction.result
    elif store.find_duplicate(engine, item.text):
        return None
    else:
        extract = partial(store.run_extractor, item.text)
    try:
        return extract()
    except Exception as exc:
        summary.warnings.append(
            f"{item.source_name}: ตัวสกัดข้อมูลขัดข้อง เก็บข้อความไว้แล้ว ให้รัน re-extract ภายหลัง "
            f"(the extractor failed: {type(exc).__name__}: {exc}; the text is stored, run "
            "re-extract after the extractor is fixed)"
        )
        return {"extractor_version": "failed"}


def import_file_items(
    engine: Engine, name: str, items: list[Item], programme: str | None = None
) -> ImportSummary:
    """Import the items of one file in ONE transaction; on any error nothing of it is kept."""
    summary = ImportSummary()
    todo: list[tuple[Item, dict | None]] = []
    for item in items:
        if item.skip is not None:
            summary.skipped.append(item.skip)
        elif item.text is not None:
            todo.append((item, _extract_outside_transaction(engine, item, summary)))
        else:
            todo.append((item, None))
    if not todo:
        return summary
    results = []
    try:
        with engine.begin() as conn:
            for item, extracted in todo:
                target = programme or item.programme or store.DEFAULT_PROGRAMME
                if item.exported is not None:
                    results.append(store.import_exported(conn, item.exported, programme))
                elif item.record is not None:
                    results.append(store.import_record(conn, item.record, item.source_name, target))
                else:
                    results.append(
                        store.import_text(
                            conn, item.text, item.source_name, target, extracted=extracted
                        )
                    )
    except Exception as exc:
        summary.skipped.append(
            _skip(
                name,
                "failed",
                "นำเข้าไม่สำเร็จ ไม่มีข้อมูลจากไฟล์นี้ถูกบันทึก แก้ไขแล้วนำเข้าใหม่",
                f"import failed, nothing from this file was stored ({type(exc).__name__}: {exc}); "
                "fix it and import again",
            )
        )
        return summary
    for result in results:
        (summary.imported if result.imported else summary.duplicates).append(result)
    return summary


def _read_ahead(
    engine: Engine, sources: list[_Source | Skipped], workers: int
) -> Iterator[tuple[_Source | Skipped, list[Item]]]:
    """Each source with its items, in order. With ``workers > 1`` the texts of the next few
    files go to worker processes for extraction while the caller writes the current file."""
    if workers <= 1:
        for src in sources:
            yield src, [] if isinstance(src, Skipped) else read_source(src)
        return
    with store.extraction_pool(workers) as pool:
        pending: deque = deque()
        remaining = iter(sources)

        def read_next() -> bool:
            src = next(remaining, None)
            if src is None:
                return False
            items = [] if isinstance(src, Skipped) else read_source(src)
            for item in items:
                if item.text is not None and not store.find_duplicate(engine, item.text):
                    item.extraction = pool.submit(item.text)
            pending.append((src, items))
            return True

        while len(pending) < 4 * workers and read_next():
            pass
        while pending:
            yield pending.popleft()
            read_next()


def _import_sources(
    engine: Engine,
    sources: list[_Source | Skipped],
    programme: str | None,
    progress: Progress | None,
    workers: int = 1,
) -> ImportSummary:
    summary = ImportSummary()
    sources = _expand(sources)
    total = len(sources)
    if progress:
        progress(0, total, "")
    for done, (src, items) in enumerate(_read_ahead(engine, sources, workers), start=1):
        if isinstance(src, Skipped):
            summary.skipped.append(src)
        else:
            summary.merge(import_file_items(engine, src.name, items, programme))
        if progress:
            progress(done, total, src.source_name if isinstance(src, Skipped) else src.name)
    return summary


def import_paths(
    engine: Engine,
    paths: Iterable[str | os.PathLike],
    programme: str | None = None,
    progress: Progress | None = None,
    workers: int = 1,
) -> ImportSummary:
    """Import files and folders (recursively) and the .zip archives among them.

    `programme` names the programme for everything imported; None keeps the programme written
    in the file (JSONL export, CSV/XLSX programme column) or else uses store.DEFAULT_PROGRAMME.
    `progress(done, total, name)` is called after each file (and once with done=0).
    `workers > 1` extracts in that many worker processes; files are still written one by one,
    in order, by this process.
    """
    return _import_sources(engine, _walk(paths), programme, progress, workers)


def import_uploads(
    engine: Engine,
    uploads: Iterable[tuple[str, bytes]],
    programme: str | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import uploaded files given as (file name, content) pairs: the dashboard's uploader."""
    sources: list[_Source | Skipped] = []
    for name, content in uploads:
        name = PurePosixPath(str(name).replace("\\", "/")).name or "upload"
        sources.append(
            _Source(
                name=name,
                size=len(content),
                reader=lambda limit, content=content: content[: limit + 1],
            )
        )
    return _import_sources(engine, sources, programme, progress)
