"""Files, folders, .zip archives and uploads → texts or records → the store.

Readers turn each input into *items*: a decoded text (to be extracted), a structured record (a
CSV/XLSX row with field columns, a JSONL line of records) or a line of the project's own JSONL
export (kept whole: corrections, review states, follow-ups). Whatever cannot be read becomes a
`Skipped` with a reason that says what to do. Every file is imported in one transaction, so a
failure half-way through a file leaves nothing of it in the store.

Limits (module constants, documented in the README); past each one the file is skipped whole
with a reason, and the other files go on:
    MAX_FILE_BYTES        20 MiB  a text file (.txt .md .html) or one text inside a table/JSONL
    MAX_DOCUMENT_BYTES   100 MiB  a .docx or .pdf (images make them large)
    MAX_TABLE_BYTES      512 MiB  a .csv/.tsv/.xlsx/.jsonl holding many sessions
    MAX_TABLE_ROWS        50 000  rows (or JSONL lines) in one table
    MAX_XLSX_STRINGS_BYTES 64 MiB the shared-strings part of an .xlsx (openpyxl holds it whole)
    MAX_ZIP_TOTAL_BYTES    1 GiB  everything one .zip expands to (nested archives included)
    MAX_ZIP_ENTRIES       10 000  entries in one .zip
    MAX_ARCHIVE_NESTING        1  a .zip inside a .zip is read; one level deeper is refused
    MAX_UPLOAD_BYTES     100 MiB  one file uploaded in the dashboard (``.streamlit/config.toml``
                                  server.maxUploadSize says the same); larger: the command line

Tables and JSONL files are read as a stream, row by row, and their items are spooled to a
temporary file, not held in memory: a small .zip that expands to a 60 MB CSV keeps the importer
well under 1 GB (tests/test_hostile_inputs.py measures it in a child process). Symbolic links in
a folder are refused (they may point anywhere, e.g. /etc/passwd), as are symlink entries in a
.zip. A file name that is not valid UTF-8 is imported under a readable name (cp874 when it
decodes so, else with U+FFFD for the bad bytes).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import logging
import os
import pickle
import re
import stat
import tempfile
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from analysis import auth, store
from analysis.record import KINDS
from analysis.safe_text import restore_formula
from analysis.store.engine import without_nul
from analysis.text import TEXT_SUFFIXES, DecodeError, clean, decode_bytes

MiB = 1024 * 1024
MAX_FILE_BYTES = 20 * MiB
MAX_DOCUMENT_BYTES = 100 * MiB
MAX_TABLE_BYTES = 512 * MiB
MAX_ZIP_TOTAL_BYTES = 1024 * MiB
MAX_ZIP_ENTRIES = 10_000
MAX_ARCHIVE_NESTING = 1
MAX_TABLE_ROWS = 50_000
MAX_XLSX_STRINGS_BYTES = 64 * MiB
MAX_UPLOAD_BYTES = 100 * MiB
ZIP_IN_MEMORY_BYTES = 64 * MiB  # a smaller .zip is read into memory (no open file per archive)

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
log = logging.getLogger(__name__)

READ_ERRORS = (OSError, zipfile.BadZipFile, zlib.error, RuntimeError, ValueError, EOFError)
"""What reading a damaged file or .zip entry raises (zlib.error: a bit-flipped deflate stream)."""


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Skipped:
    """An input that was not imported: `code` for grouping, `reason` in Thai then English."""

    source_name: str
    code: str  # unsupported, empty, unreadable, too_large, too_many_rows, needs_ocr,
    #            unsafe_path, symlink, nested_archive, archive_too_large, not_found, failed,
    #            not_written (readable, but the database refused it: busy, unreachable)
    reason: str


@dataclass
class ImportSummary:
    """What an import did: results per text, and every input skipped with its reason."""

    imported: list[store.ImportResult] = field(default_factory=list)
    duplicates: list[store.ImportResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def not_written(self) -> list[Skipped]:
        """Files that were read but could not be written (the database was busy or gone)."""
        return [s for s in self.skipped if s.code == "not_written"]

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
        if self.not_written:
            lines.append(
                f"บันทึกไม่ได้ {len(self.not_written)} ไฟล์ นำเข้าไฟล์เหล่านั้นใหม่ "
                f"({len(self.not_written)} files could not be written: import them again)"
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
    digest: str | None = None  # store.content_hash of the text, once computed


def _skip(name: str, code: str, th: str, en: str) -> Skipped:
    return Skipped(name, code, f"{th} ({en})")


# ----------------------------------------------------------------------------- sources


class _ArchiveBudget:
    """Bytes one top-level archive may still expand to (shared with its nested archives)."""

    def __init__(self) -> None:
        self.remaining = MAX_ZIP_TOTAL_BYTES


class _BudgetExceeded(Exception):
    pass


class _TooLarge(Exception):
    pass


class _Refused(Exception):
    """A whole file refused while it was being read (too many rows, too large): nothing of it
    is stored, `skip` says why."""

    def __init__(self, skip: Skipped) -> None:
        super().__init__(skip.reason)
        self.skip = skip


class _Limited(io.RawIOBase):
    """A binary stream that stops with _TooLarge past `limit` bytes and charges an archive's
    budget as it goes (_BudgetExceeded), so a table is read without holding it whole."""

    def __init__(self, raw: BinaryIO, limit: int, budget: _ArchiveBudget | None) -> None:
        self.raw, self.limit, self.budget, self.count = raw, limit, budget, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        if self.count > self.limit:
            raise _TooLarge
        if self.budget is not None:
            self.budget.remaining -= n
            if self.budget.remaining < 0:
                raise _BudgetExceeded
        return n

    def close(self) -> None:
        try:
            self.raw.close()
        finally:
            super().close()


@dataclass
class _Source:
    """A file on disk, an upload or a zip entry: a name, a size if known and a way to read it."""

    name: str
    size: int | None
    reader: Callable[[int], bytes]  # reader(limit) returns at most limit + 1 bytes
    depth: int = 0  # how many archives it sits in
    budget: _ArchiveBudget | None = None
    opener: Callable[[], BinaryIO] | None = None  # the content as a stream (tables)
    path: Path | None = None  # a file on disk (opened in place: .zip, .xlsx)

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name.lower()).suffix

    def stream(self, limit: int) -> BinaryIO:
        """The content as a buffered stream that stops past `limit` bytes (_TooLarge)."""
        raw = self.opener() if self.opener else io.BytesIO(self.reader(limit))
        return io.BufferedReader(_Limited(raw, limit, self.budget), 1 << 20)

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
            for dirpath, dirnames, filenames in os.walk(root):  # never follows a linked folder
                linked = [d for d in dirnames if (Path(dirpath) / d).is_symlink()]
                dirnames[:] = sorted(
                    d for d in dirnames if not d.startswith(".") and d not in linked
                )
                for fname in sorted(filenames + linked):
                    if fname.startswith("."):
                        continue
                    full = Path(dirpath) / fname
                    name = safe_name(
                        str(PurePosixPath(root.name, full.relative_to(root).as_posix()))
                    )
                    out.append(_symlink(name) if full.is_symlink() else _file_source(full, name))
        elif path.is_file():
            out.append(_file_source(path, safe_name(path.name)))
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
    return _Source(
        name=name, size=size, reader=_read_path(path), opener=lambda: open(path, "rb"), path=path
    )


def _symlink(name: str) -> Skipped:
    return _skip(
        name,
        "symlink",
        "เป็นลิงก์สัญลักษณ์ (symlink) ไม่นำเข้า คัดลอกไฟล์จริงมาไว้ในโฟลเดอร์แทน",
        "a symbolic link, not a file: refused (it may point anywhere); copy the real file in",
    )


def safe_name(name: str) -> str:
    """A file name that the store can hold: names from disk that are not valid UTF-8 arrive with
    surrogate escapes (``'\\udca1'``); bytes that read as Thai in cp874 (Thai Windows) are read
    so, else the bad bytes become U+FFFD:
    ``safe_name("\\udca1.txt")`` → ``"ก.txt"``."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    raw = name.encode("utf-8", "surrogateescape")
    try:
        thai = raw.decode("cp874")
        if all(ord(c) < 128 or "\u0e00" <= c <= "\u0e7f" for c in thai):
            return thai  # a name written on Thai Windows
    except UnicodeDecodeError:
        pass
    return raw.decode("utf-8", "replace")


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
        if src.path is not None and (src.size or 0) > ZIP_IN_MEMORY_BYTES:  # read in place
            archive = zipfile.ZipFile(src.path)
        else:
            data = src.read(MAX_ZIP_TOTAL_BYTES)
            if len(data) > MAX_ZIP_TOTAL_BYTES:
                return [_too_large(src.name, MAX_ZIP_TOTAL_BYTES)]
            archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except _BudgetExceeded:
        return [_archive_too_large(src.name)]
    except READ_ERRORS as exc:
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
        if stat.S_ISLNK(info.external_attr >> 16):
            out.append(_symlink(name))
            continue

        def reader(limit: int, info=info) -> bytes:
            with archive.open(info) as fh:
                return fh.read(limit + 1)

        entry = _Source(
            name=name,
            size=info.file_size,
            reader=reader,
            depth=src.depth + 1,
            budget=budget,
            opener=lambda info=info: archive.open(info),
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


def _pdf_text(data: bytes) -> tuple[str, bool]:
    """The text layer of a PDF, page after page ("" for a scan), and whether any page draws
    something (pictures, shapes): a scan does, a damaged or empty PDF does not."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = clean("\n".join(page.extract_text() or "" for page in pdf.pages))
        drawn = bool(text.strip()) or any(
            page.images or page.rects or page.curves or page.lines for page in pdf.pages
        )
    return text, drawn


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
    return restore_formula(clean(str(value)))  # undo the export's guard against formulas


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


def _too_many_rows(name: str) -> _Refused:
    return _Refused(
        _skip(
            name,
            "too_many_rows",
            f"มีเกิน {MAX_TABLE_ROWS:,} แถว ไม่ได้นำเข้าแถวใดเลย แบ่งเป็นหลายไฟล์",
            f"more than {MAX_TABLE_ROWS:,} rows: nothing from it was stored; split the file",
        )
    )


def _rows_to_items(name: str, header: list, rows: Iterable[list]) -> Iterator[Item]:
    """CSV/XLSX rows → items: a text column, or record-field columns, one session per row.

    A generator: rows are read one at a time. Past MAX_TABLE_ROWS it raises _Refused."""
    header = [_cell(h).lstrip("\ufeff").strip().lower() for h in header]
    text_col = _find_column(header, TEXT_COLUMNS)
    if "session_id" in header and ("seq" in header or text_col is None and "title" not in header):
        yield from [
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
        return
    prog_col = _find_column(header, PROGRAMME_COLUMNS)
    src_col = _find_column(header, SOURCE_COLUMNS)
    field_cols = {
        f: i for f, names in FIELD_COLUMNS.items() if (i := _find_column(header, names)) is not None
    }
    if text_col is None and not field_cols:
        yield from [
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
        return
    for number, row in enumerate(rows, start=2):  # row 1 is the header, as in a spreadsheet
        if number - 1 > MAX_TABLE_ROWS:
            raise _too_many_rows(name)
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
                yield Item(
                    row_name,
                    skip=_skip(row_name, "empty", "แถวนี้ไม่มีข้อความ", "this row's text cell is empty"),
                )
            elif len(text.encode("utf-8")) > MAX_FILE_BYTES:
                yield Item(row_name, skip=_too_large(row_name, MAX_FILE_BYTES))
            else:
                yield Item(row_name, text=text, programme=programme)
        else:
            rec = _structured_record({f: get(i) for f, i in field_cols.items()})
            yield Item(row_name, record=rec, programme=programme)


def _text_stream(stream: BinaryIO) -> tuple[io.TextIOWrapper, str]:
    """A buffered binary stream as text, the encoding told from its first MiB (BOM, UTF-8, else
    cp874, as `_decode_data`), and that first part decoded (to sniff the layout)."""
    head = stream.peek(1 << 20)[: 1 << 20]
    if head.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        try:
            head.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:  # a character cut at the end of the sample is fine
            encoding = "utf-8" if exc.start >= len(head) - 3 else "cp874"
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    return text, head.decode(encoding, errors="ignore")


def _csv_items(name: str, stream: BinaryIO, tab: bool) -> Iterator[Item]:
    text, head = _text_stream(stream)
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES + 1))
    if tab:
        delimiter = "\t"
    else:
        try:
            delimiter = csv.Sniffer().sniff(head[:65536], delimiters=",\t;").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(text, delimiter=delimiter)
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        yield Item(name, skip=_empty(name))
        return
    yield from _rows_to_items(name, header, reader)


def _xlsx_items(name: str, src: _Source, limit: int) -> Iterator[Item]:
    """Rows of an .xlsx (the ``sessions`` sheet, else the first), streamed (openpyxl read-only).

    openpyxl needs a file it can seek in: a file on disk is opened in place, anything else is
    copied to a temporary file first. Its shared strings are held whole, so their size is
    checked before (MAX_XLSX_STRINGS_BYTES)."""
    import openpyxl

    with tempfile.TemporaryFile() as copy:
        if src.path is not None:
            handle = src.path
        else:
            with src.stream(limit) as stream:
                while chunk := stream.read(1 << 20):
                    copy.write(chunk)
            copy.seek(0)
            handle = copy
        with zipfile.ZipFile(handle) as parts:
            for info in parts.infolist():
                big = info.file_size > MAX_TABLE_BYTES
                if (
                    big
                    or info.filename.endswith("sharedStrings.xml")
                    and (info.file_size > MAX_XLSX_STRINGS_BYTES)
                ):
                    raise _Refused(
                        _too_large(name, MAX_TABLE_BYTES if big else MAX_XLSX_STRINGS_BYTES)
                    )
        if handle is copy:
            copy.seek(0)
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        try:
            names = workbook.sheetnames
            sheet = workbook["sessions"] if "sessions" in names else workbook.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if not header or not any(_cell(h).strip() for h in header):
                yield Item(name, skip=_empty(name))
                return
            yield from _rows_to_items(name, list(header), rows)
        finally:
            workbook.close()


MAX_JSONL_LINE_CHARS = 3 * MAX_FILE_BYTES  # an exported session: raw text, source, record


def _bounded_lines(text: io.TextIOBase, limit: int) -> Iterator[str | None]:
    """The lines of `text`; None for a line longer than `limit` characters (read past, in
    pieces, never held whole)."""
    while line := text.readline(limit + 1):
        if len(line) > limit and not line.endswith(("\n", "\r")):
            while (rest := text.readline(limit + 1)) and not rest.endswith(("\n", "\r")):
                pass
            yield None
        else:
            yield line


def _jsonl_items(name: str, stream: BinaryIO) -> Iterator[Item]:
    """Lines of the project's export, of `extract --jsonl` records, or {text, …} objects, read
    one line at a time (past MAX_TABLE_ROWS lines: _Refused)."""
    text, _ = _text_stream(stream)
    for number, raw_line in enumerate(_bounded_lines(text, MAX_JSONL_LINE_CHARS), start=1):
        line_name = f"{name}#line{number}"
        if raw_line is None:
            yield Item(line_name, skip=_too_large(line_name, MAX_JSONL_LINE_CHARS))
            continue
        line = clean(raw_line)
        if not line.strip():
            continue
        if number > MAX_TABLE_ROWS:
            raise _too_many_rows(name)
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Item(
                line_name,
                skip=_skip(
                    line_name,
                    "unreadable",
                    "บรรทัดนี้ไม่ใช่ JSON แก้ไขหรือลบบรรทัดนี้",
                    f"not a JSON object ({exc.msg}): fix or remove the line",
                ),
            )
            continue
        if not isinstance(obj, dict):
            yield Item(
                line_name,
                skip=_skip(line_name, "unreadable", "บรรทัดนี้ไม่ใช่ออบเจกต์ JSON", "not a JSON object"),
            )
            continue
        source = str(obj.get("source_name") or obj.get("file") or line_name)
        programme = obj.get("programme") if isinstance(obj.get("programme"), str) else None
        if obj.get("format") == store.EXPORT_FORMAT or ("raw_text" in obj and "extracted" in obj):
            yield Item(source, exported=obj, programme=programme)
        elif isinstance(obj.get("raw_text") or obj.get("text"), str):
            yield Item(source, text=clean(obj.get("raw_text") or obj["text"]), programme=programme)
        elif any(key in obj for key in FIELD_COLUMNS):
            yield Item(source, record=obj, programme=programme)
        else:
            yield Item(
                line_name,
                skip=_skip(
                    line_name,
                    "unreadable",
                    "ไม่มีข้อความหรือช่องของบันทึก ต้องมี text หรือ title, agencies …",
                    "no text and no record fields: give text, or fields such as title, agencies",
                ),
            )


def _empty(name: str) -> Skipped:
    return _skip(name, "empty", "ไฟล์ว่าง ไม่มีข้อความ", "empty: nothing to import")


def read_source(src: _Source) -> Iterator[Item]:
    """Read one file/upload/zip entry into items, lazily (tables row by row).

    A bad file gives a skip, never an exception, except _Refused for a table found too long or
    too large while it is read (the importer then stores nothing of it)."""
    suffix = src.suffix
    if suffix not in SUPPORTED_SUFFIXES:
        hint = _CONVERT_HINTS.get(suffix, f"ชนิดที่รองรับ: {', '.join(SUPPORTED_SUFFIXES)}")
        yield Item(
            src.name,
            skip=_skip(
                src.name,
                "unsupported",
                f"ไม่รองรับไฟล์ชนิด {suffix or '(ไม่มีนามสกุล)'}: {hint}",
                f"unsupported file type {suffix or '(no extension)'}",
            ),
        )
        return
    limit = _limit_for(suffix)
    if src.size is not None and src.size > limit:
        yield Item(src.name, skip=_too_large(src.name, limit))
        return
    if suffix in TABLE_SUFFIXES:
        yield from _read_table(src, suffix, limit)
        return
    try:
        data = src.read(limit)
    except _BudgetExceeded:
        yield Item(src.name, skip=_archive_too_large(src.name))
        return
    except READ_ERRORS as exc:
        yield Item(src.name, skip=_unreadable(src.name, exc))
        return
    if len(data) > limit:
        yield Item(src.name, skip=_too_large(src.name, limit))
        return
    if not data.strip():
        yield Item(src.name, skip=_empty(src.name))
        return
    try:
        if suffix in TEXT_SUFFIXES:
            text = decode_bytes(data)
        elif suffix == ".docx":
            text = _docx_text(data)
        else:
            text, drawn = _pdf_text(data)
            if not text.strip() and drawn:
                yield Item(
                    src.name,
                    skip=_skip(
                        src.name,
                        "needs_ocr",
                        "PDF นี้ไม่มีชั้นข้อความ เป็นภาพสแกน ต้องทำ OCR ก่อน",
                        "needs OCR: this PDF has no text layer (a scan); run OCR and "
                        "import the text",
                    ),
                )
                return
            if not text.strip():
                yield Item(
                    src.name,
                    skip=_skip(
                        src.name,
                        "unreadable",
                        "PDF นี้ไม่มีทั้งข้อความและภาพ ไฟล์อาจเสีย เปิดแล้วพิมพ์เป็น PDF ใหม่",
                        "unreadable: this PDF has no pages with text or pictures; it may be "
                        "damaged: open it and print it to PDF again",
                    ),
                )
                return
    except DecodeError as exc:
        code = "unreadable" if "binary" in str(exc) else "empty"
        yield Item(src.name, skip=Skipped(src.name, code, str(exc)))
        return
    except Exception as exc:  # a broken .docx/.pdf raises many kinds of errors
        yield Item(src.name, skip=_damaged(src.name, suffix, exc))
        return
    if not text.strip():
        yield Item(src.name, skip=_empty(src.name))
        return
    if not text.replace("\ufffd", "").strip():
        yield Item(
            src.name,
            skip=_skip(
                src.name,
                "unreadable",
                "อ่านไม่ออกเลย ตรวจว่าไฟล์ไม่เสียและบันทึกเป็นข้อความ",
                "nothing readable: every character failed to decode; check the file",
            ),
        )
        return
    yield Item(src.name, text=text)


def _read_table(src: _Source, suffix: str, limit: int) -> Iterator[Item]:
    """A .csv/.tsv/.xlsx/.jsonl read as a stream, row by row."""
    try:
        if suffix == ".xlsx":
            yield from _xlsx_items(src.name, src, limit)
            return
        with src.stream(limit) as stream:  # an empty file gives no rows: `_empty` then
            if suffix in (".csv", ".tsv"):
                yield from _csv_items(src.name, stream, tab=suffix == ".tsv")
            else:
                yield from _jsonl_items(src.name, stream)
    except _TooLarge:
        raise _Refused(_too_large(src.name, limit)) from None
    except _BudgetExceeded:
        raise _Refused(_archive_too_large(src.name)) from None
    except _Refused:
        raise
    except Exception as exc:  # csv.Error, a damaged .xlsx, zlib.error…
        raise _Refused(_damaged(src.name, suffix, exc)) from None


def _unreadable(name: str, exc: BaseException) -> Skipped:
    return _skip(
        name,
        "unreadable",
        "อ่านไฟล์ไม่ได้ ตรวจสิทธิ์หรือไฟล์อาจเสีย",
        f"cannot read the file ({_one_line(exc)}): check it opens",
    )


def _damaged(name: str, suffix: str, exc: BaseException) -> Skipped:
    hint_th = {
        ".docx": "เปิดใน Word แล้วบันทึกใหม่เป็น .docx",
        ".pdf": "เปิดแล้วพิมพ์เป็น PDF ใหม่",
        ".xlsx": "เปิดใน Excel แล้วบันทึกใหม่เป็น .xlsx",
    }.get(suffix, "ตรวจไฟล์ แล้วบันทึกใหม่")
    return _skip(
        name,
        "unreadable",
        f"อ่านไฟล์ไม่ได้ ไฟล์อาจเสียหรือมีรหัสผ่าน: {hint_th}",
        f"cannot read this {suffix} ({_one_line(exc)}); it may be damaged or "
        "password-protected: save it again and re-import",
    )


def _one_line(exc: BaseException, limit: int = 160) -> str:
    """An exception as one short line: its type and the first line of its message."""
    text = f"{type(exc).__name__}: {str(exc).strip()}".splitlines()[0]
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
            try:
                items.extend(list(read_source(src)))  # all or nothing, as import
            except _Refused as exc:  # a table too long or damaged: it gives no items
                items.append(Item(src.name, skip=exc.skip))
    return items


# ----------------------------------------------------------------------------- importing


def _extract_outside_transaction(engine: Engine, item: Item, summary: ImportSummary):
    """Run the extractor before the file's transaction opens (it may be slow); None for a text
    already in the store. A failing extractor stores the text with an empty record."""
    if item.extraction is not None:  # checked for duplicates when it was handed to a worker
        return _extraction(item.extraction.result, item.source_name, summary)
    if store.find_duplicate(engine, item.text, digest=item.digest):
        return None
    return _extraction(partial(store.run_extractor, item.text), item.source_name, summary)


def _extraction(extract: Callable[[], dict], name: str, summary: ImportSummary) -> dict:
    """What `extract()` gives; when the extractor fails, an empty record and a warning (the text
    is stored all the same)."""
    try:
        return extract()
    except Exception as exc:
        summary.warnings.append(
            f"{name}: ตัวสกัดข้อมูลขัดข้อง เก็บข้อความไว้แล้ว ให้รัน re-extract ภายหลัง "
            f"(the extractor failed: {type(exc).__name__}: {exc}; the text is stored, run "
            "re-extract after the extractor is fixed)"
        )
        return store.normalise_record({"extractor_version": "failed"})


def _nul_warning(name: str) -> str:
    return (
        f"{name}: ลบอักขระ NUL (\\x00) ออกจากข้อความแล้ว "
        "(NUL characters removed: no database stores them)"
    )


class _Spool:
    """Items written to a temporary file one by one and read back in order: a table of any
    length goes through the importer without being held in memory."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()
        self.count = 0

    def add(self, entry) -> None:
        pickle.dump(entry, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self):
        self.file.seek(0)
        for _ in range(self.count):
            yield pickle.load(self.file)

    def close(self) -> None:
        self.file.close()


def import_file_items(
    engine: Engine,
    name: str,
    items: Iterable[Item],
    programme: str | None = None,
    *,
    actor: auth.Actor,
) -> ImportSummary:
    """Import the items of one file in ONE transaction; on any error nothing of it is kept.

    Three passes, none holding the file in memory: read every item (a file refused half-way,
    too long or damaged, stores nothing), run the extractor outside any transaction, then write
    everything in one transaction."""
    summary = ImportSummary()
    read, extracted = _Spool(), _Spool()
    futures: dict[int, Future] = {}  # spool position -> extraction in a worker (not picklable)
    try:
        try:
            nul = False
            for item in items:
                if item.skip is not None:
                    summary.skipped.append(item.skip)
                else:
                    nul = nul or "\x00" in (item.text or "")
                    if item.extraction is not None:
                        futures[read.count] = item.extraction
                        item = dataclasses.replace(item, extraction=None)
                    read.add(item)
            if nul:
                summary.warnings.append(_nul_warning(name))
        except _Refused as exc:
            return ImportSummary(skipped=[exc.skip])
        if not read.count and not summary.skipped:  # e.g. a table with a header and no rows
            summary.skipped.append(_empty(name))
        seen: set[str] = set()  # a text repeated within the file is extracted once
        for position, item in enumerate(read):
            done = None
            if item.text:
                key = item.digest or store.content_hash(item.text)
                if key not in seen:
                    seen.add(key)
                    item.extraction = futures.pop(position, None)
                    done = _extract_outside_transaction(engine, item, summary)
                    item.extraction = None
            extracted.add((item, done))
        read.close()
        if not extracted.count:
            return summary
        results = _write_items(engine, extracted, programme, actor)
    except sa.exc.OperationalError as exc:  # the database, not the file: busy, gone, full
        log.exception("import of %s could not be written", name)
        summary.skipped.append(
            _skip(
                name,
                "not_written",
                "บันทึกลงฐานข้อมูลไม่ได้ ไม่มีข้อมูลจากไฟล์นี้ถูกบันทึก นำเข้าไฟล์นี้ใหม่ภายหลัง",
                f"could not be written to the database, nothing from this file was stored "
                f"({_one_line(exc.orig or exc)}); import it again later",
            )
        )
        return summary
    except Exception as exc:
        log.exception("import of %s failed", name)
        summary.skipped.append(
            _skip(
                name,
                "failed",
                "นำเข้าไม่สำเร็จ ไม่มีข้อมูลจากไฟล์นี้ถูกบันทึก แก้ไขแล้วนำเข้าใหม่",
                f"import failed, nothing from this file was stored ({_one_line(exc)}); "
                "fix it and import again",
            )
        )
        return summary
    finally:
        read.close()
        extracted.close()
    for result in results:
        (summary.imported if result.imported else summary.duplicates).append(result)
    return summary


def _write_items(engine: Engine, spool: _Spool, programme: str | None, actor: auth.Actor) -> list:
    """Every (item, extraction) of one file in one transaction, as `actor` (audited)."""

    def write(conn) -> list:
        results = []
        for item, extracted in spool:
            target = programme or item.programme or store.DEFAULT_PROGRAMME
            if item.exported is not None:
                results.append(store.import_exported(conn, item.exported, programme, actor=actor))
            elif item.record is not None:
                results.append(
                    store.import_record(conn, item.record, item.source_name, target, actor=actor)
                )
            else:
                results.append(
                    store.import_text(
                        conn, item.text, item.source_name, target, actor=actor, extracted=extracted
                    )
                )
        return results

    return store.run_write(engine, write)  # run again when a concurrent writer collides


MAX_READ_AHEAD_BYTES = 64 * MiB  # texts read ahead for the extractor, at most
WRITE_BATCH_FILES = 50
"""Text and document files written in one transaction, one statement per table for all of
them (`store.import_texts`): the writing process then costs a small part of what extraction
costs, so that extraction workers on every core set the pace. When the batch fails, its files
are written again one by one, each in its own transaction: one bad file loses nothing else."""
WRITE_BATCH_CHARS = 16 * MiB  # characters of text in one batch, at most
READ_CHUNK = 16  # files read ahead at a time (their duplicate check is one query)


def _read_ahead(
    engine: Engine, sources: list[_Source | Skipped], workers: int
) -> Iterator[tuple[_Source | Skipped, Iterable[Item]]]:
    """Each source with its items, in order: a list for a text or document file (read ahead),
    a lazy stream for a table (never read ahead), nothing for a skipped input.

    The texts of the next files (at most MAX_READ_AHEAD_BYTES of them) are handed to the
    extractor unless the store holds them already: in ``workers`` worker processes, two write
    batches and 4 files per worker ahead, so that the workers extract a whole batch while the
    caller writes the one before it (with one batch ahead they waited for the writes); or at
    once in this process, READ_CHUNK files ahead, with one worker."""
    depth = 2 * WRITE_BATCH_FILES + 4 * workers if workers > 1 else READ_CHUNK
    with store.extraction_pool(workers) as pool:
        pending: deque = deque()  # (source, items or None for a table read when its turn comes)
        remaining = iter(sources)
        held = 0  # characters of text in `pending`

        def refill() -> None:
            """Read files until `pending` is full, once it has room for READ_CHUNK of them: the
            store is asked about their texts in one query."""
            nonlocal held
            if len(pending) > depth - min(READ_CHUNK, depth):
                return
            texts = []
            while len(pending) < depth and held < MAX_READ_AHEAD_BYTES:
                src = next(remaining, None)
                if src is None:
                    break
                if isinstance(src, Skipped) or src.suffix in TABLE_SUFFIXES:
                    pending.append((src, None))
                    continue
                items = list(read_source(src))  # one item: a text, a document or a skip
                for item in items:
                    if item.text is not None:
                        item.digest = store.content_hash(without_nul(item.text))
                        texts.append(item)
                    held += len(item.text or "")
                pending.append((src, items))
            if texts:
                stored = store.find_duplicates(engine, [item.digest for item in texts])
                new = [item for item in texts if item.digest not in stored]
                for item, future in zip(new, pool.submit_many([i.text for i in new]), strict=True):
                    item.extraction = future

        refill()
        while pending:
            src, items = pending.popleft()
            held -= sum(len(item.text or "") for item in items or ())
            if items is None:
                items = [] if isinstance(src, Skipped) else read_source(src)
            yield src, items
            refill()


def _one_text(src: _Source | Skipped, items: Iterable[Item]) -> Item | None:
    """The text of a file read ahead that holds one text and nothing else, else None."""
    if isinstance(src, Skipped) or not isinstance(items, list) or len(items) != 1:
        return None
    return items[0] if items[0].text else None


def _write_texts(
    engine: Engine,
    texts: dict[int, Item],
    programme: str | None,
    actor: auth.Actor,
) -> dict[int, ImportSummary]:
    """The files of one text each (by position in the batch) in ONE transaction; their
    summaries, or {} when the transaction failed (nothing of it is kept)."""
    summaries: dict[int, ImportSummary] = {}
    news = []
    for k, item in texts.items():
        summary = summaries[k] = ImportSummary()
        if "\x00" in item.text:
            summary.warnings.append(_nul_warning(item.source_name))
        extracted = None  # a text found stored already is extracted only if it is new after all
        if item.extraction is not None:
            extracted = _extraction(item.extraction.result, item.source_name, summary)
        news.append(
            store.NewText(
                item.text,
                item.source_name,
                programme or item.programme or store.DEFAULT_PROGRAMME,
                extracted=extracted,
                digest=item.digest,
                normal=True,  # run_extractor's record, or the empty one of a failed extractor
            )
        )
    try:  # run again when a concurrent writer collides
        results = store.run_write(engine, partial(store.import_texts, texts=news, actor=actor))
    except Exception:
        log.warning("a batch of %d files failed; writing them one by one", len(news), exc_info=True)
        return {}
    for summary, result in zip(summaries.values(), results, strict=True):
        (summary.imported if result.imported else summary.duplicates).append(result)
    return summaries


def _write_batch(
    engine: Engine,
    batch: list[tuple[_Source | Skipped, Iterable[Item]]],
    programme: str | None,
    actor: auth.Actor,
) -> Iterator[tuple[str, ImportSummary]]:
    """Each file of the batch with its summary, in order, once it is written: the files of one
    text together in one transaction (`_write_texts`), any other file (or all of them, when
    that transaction failed) in its own (`import_file_items`)."""
    texts = {k: item for k, (src, items) in enumerate(batch) if (item := _one_text(src, items))}
    written = _write_texts(engine, texts, programme, actor) if texts else {}
    for k, (src, items) in enumerate(batch):
        if isinstance(src, Skipped):
            yield src.source_name, ImportSummary(skipped=[src])
        elif k in written:
            yield src.name, written[k]
        else:
            yield src.name, import_file_items(engine, src.name, items, programme, actor=actor)


ANALYZE_AFTER_SESSIONS = 500  # an import this large refreshes the planner's statistics


def _import_sources(
    engine: Engine,
    sources: list[_Source | Skipped],
    programme: str | None,
    progress: Progress | None,
    actor: auth.Actor,
    workers: int = 1,
) -> ImportSummary:
    auth.check(engine, actor, auth.Role.EDITOR, "นำเข้าบันทึก (import sessions)")  # before reading
    summary = ImportSummary()
    sources = _expand(sources)
    total = len(sources)
    done = 0
    batch: list[tuple[_Source | Skipped, Iterable[Item]]] = []
    chars = 0  # of text in `batch`
    if progress:
        progress(0, total, "")

    def flush() -> None:
        nonlocal done, chars
        for name, file_summary in _write_batch(engine, batch, programme, actor):
            summary.merge(file_summary)
            done += 1
            if progress:
                progress(done, total, name)
        batch.clear()
        chars = 0

    for src, items in _read_ahead(engine, sources, workers):
        if not isinstance(items, list):  # a table, streamed: after the files before it
            flush()
        batch.append((src, items))
        chars += sum(len(item.text or "") for item in items) if isinstance(items, list) else 0
        if (
            not isinstance(items, list)
            or len(batch) >= WRITE_BATCH_FILES
            or (chars >= WRITE_BATCH_CHARS)
        ):
            flush()
    flush()
    if len(summary.imported) >= ANALYZE_AFTER_SESSIONS:
        store.analyze(engine)
    return summary


def import_paths(
    engine: Engine,
    paths: Iterable[str | os.PathLike],
    programme: str | None = None,
    progress: Progress | None = None,
    *,
    actor: auth.Actor,
    workers: int = 1,
) -> ImportSummary:
    """Import files and folders (recursively) and the .zip archives among them, as `actor`
    (editor or admin; see `analysis.auth`).

    `programme` names the programme for everything imported; None keeps the programme written
    in the file (JSONL export, CSV/XLSX programme column) or else uses store.DEFAULT_PROGRAMME.
    `progress(done, total, name)` is called after each file (and once with done=0).
    `workers > 1` extracts in that many worker processes; every file is still written by this
    process, in order: text and document files in batches of WRITE_BATCH_FILES per transaction
    (a failed batch is written again file by file), any other file in a transaction of its own.
    """
    return _import_sources(engine, _walk(paths), programme, progress, actor, workers)


def import_uploads(
    engine: Engine,
    uploads: Iterable[tuple[str, bytes]],
    programme: str | None = None,
    progress: Progress | None = None,
    *,
    actor: auth.Actor,
) -> ImportSummary:
    """Import uploaded files given as (file name, content) pairs: the dashboard's uploader."""
    sources: list[_Source | Skipped] = []
    for name, content in uploads:
        name = safe_name(PurePosixPath(str(name).replace("\\", "/")).name or "upload")
        if len(content) > MAX_UPLOAD_BYTES:
            sources.append(
                _skip(
                    name,
                    "too_large",
                    f"ไฟล์ที่อัปโหลดใหญ่เกิน {_size(MAX_UPLOAD_BYTES)} "
                    "ใช้คำสั่ง python -m analysis import แทน",
                    f"uploads are limited to {_size(MAX_UPLOAD_BYTES)}: import larger files with "
                    "python -m analysis import",
                )
            )
            continue
        sources.append(
            _Source(
                name=name,
                size=len(content),
                reader=lambda limit, content=content: content[: limit + 1],
                opener=lambda content=content: io.BytesIO(content),
            )
        )
    return _import_sources(engine, sources, programme, progress, actor)
