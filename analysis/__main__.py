"""Command line: ``python -m analysis extract|import|export|report|delete``.

Each subcommand is a small function registered in ``COMMANDS``; the dashboard calls the same
library functions.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator

# Each command imports what it uses when it runs: `extract` never loads the store, pandas,
# SQLAlchemy or the report modules (about 0.5 s and 55 MB per process otherwise), and reads
# .docx, .pdf, .csv/.xlsx rows and .zip archives through the importer's own readers only when
# it meets one.
from analysis.text import TEXT_SUFFIXES, DecodeError, decode

STRUCTURED_WARNING = (
    "แถวนี้ให้ช่องข้อมูลมาแล้ว แสดงตามที่ให้ ไม่ได้สกัด (a row of field columns: shown as given, not extracted)"
)


def _record(name: str, text: str, warnings: list[str]) -> dict:
    from analysis.extract import extract

    return {"file": name, "warnings": warnings, **extract(text).to_dict()}


def _text_file_records(path: str) -> Iterator[tuple[dict | None, str | None]]:
    try:
        with open(path, "rb") as fh:
            text, warnings = decode(fh.read())
    except DecodeError as exc:
        yield None, f"{path}: {exc}"
        return
    except OSError as exc:
        yield None, f"อ่านไฟล์ไม่ได้ (cannot read) {path}: {exc.strerror}"
        return
    yield _record(os.path.basename(path), text, warnings), None


def _imported_records(path: str) -> Iterator[tuple[dict | None, str | None]]:
    """The sessions `import` would read from `path`: texts are extracted, field rows shown."""
    from analysis.ingest import read_file
    from analysis.record import SessionRecord

    for item in read_file(path):
        if item.skip is not None:
            yield None, f"{item.skip.source_name}: {item.skip.reason}"
        elif item.text is not None:
            yield _record(item.source_name, item.text, []), None
        elif item.exported is not None and isinstance(item.exported.get("raw_text"), str):
            yield _record(item.source_name, item.exported["raw_text"], []), None
        elif item.record is not None:
            record = SessionRecord.from_dict(item.record).to_dict()
            yield {"file": item.source_name, "warnings": [STRUCTURED_WARNING], **record}, None
        else:
            yield None, f"{item.source_name}: ไม่มีข้อความ (no text in this line)"


def _file_records(path: str) -> Iterator[tuple[dict | None, str | None]]:
    """(record, None) for each session in one input file, (None, error message) for each
    failure: a text file gives one record, a table one per row, an archive one per entry."""
    if not os.path.exists(path):
        yield None, f"ไม่พบไฟล์ (no such file): {path}"
    elif os.path.isdir(path):
        yield None, f"เป็นโฟลเดอร์ ไม่ใช่ไฟล์ (is a directory): {path}"
    elif os.path.splitext(path)[1].lower() in (*TEXT_SUFFIXES, ""):
        yield from _text_file_records(path)
    else:
        yield from _imported_records(path)


def cmd_extract(args: argparse.Namespace) -> int:
    """Print one JSON record per session read; failures go to stderr, one line each.

    Reads what `import` reads (.txt .md .html, .docx, .pdf, .csv/.tsv/.xlsx rows, .jsonl, .zip);
    each record carries `warnings`, e.g. that a damaged UTF-8 byte was replaced.
    """
    failed = 0
    out = []
    for path in args.files:
        for rec, error in _file_records(path):
            if error is not None:
                print(f"error: {error}", file=sys.stderr)
                failed += 1
            elif args.jsonl:
                print(json.dumps(rec, ensure_ascii=False), flush=True)
            else:
                out.append(rec)
    if not args.jsonl:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    return 1 if failed else 0


# ----------------------------------------------------------------------------- store commands
# import, export (data), delete, re-extract: thin wrappers over analysis.ingest/export/store.


def _reports_errors(command):
    """Print a StoreError/ValueError (whose message says what to do) instead of a traceback."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2

    run.__doc__ = command.__doc__
    return run


def _engine(args: argparse.Namespace):
    from analysis.store import get_engine

    return get_engine(args.database_url)


class _ProgressBar:
    """A text progress bar with counts on stderr (one line per step when not a terminal)."""

    def __init__(self, label: str, stream=None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()

    def __call__(self, done: int, total: int, name: str) -> None:
        if total <= 0 or (done == 0 and not self.tty):
            return
        width = 30
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        line = f"{self.label} [{bar}] {done}/{total} {name}"
        if self.tty:
            self.stream.write("\r" + line[:120].ljust(120))
            if done == total:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


@_reports_errors
def cmd_import(args: argparse.Namespace) -> int:
    """Import files, folders and .zip archives; exit 1 only when nothing could be read."""
    from analysis.ingest import import_paths

    summary = import_paths(
        _engine(args),
        args.paths,
        programme=args.programme,
        progress=_ProgressBar("นำเข้า (import)"),
        workers=_workers(args),
    )
    print(summary.to_text())
    return 0 if summary.read_anything else 1


@_reports_errors
def cmd_export(args: argparse.Namespace) -> int:
    """Write the store's data as JSONL, CSV or XLSX."""
    from analysis.export import export_data

    for path in export_data(_engine(args), args.format, args.out, programme=args.programme):
        print(f"เขียนแล้ว (written): {path}")
    return 0


@_reports_errors
def cmd_delete(args: argparse.Namespace) -> int:
    """Delete one session completely, after a confirmation (records hold personal names)."""
    from analysis.store import SessionNotFound, delete_session, get_session

    engine = _engine(args)
    try:
        session = get_session(engine, args.id)
    except SessionNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    title = session["record"].get("title") or "-"
    print(
        f"บันทึก {args.id}: “{session['source_name']}” ({title}) ในโครงการ “{session['programme']}” "
        f"จะถูกลบทั้งหมด รวมการแก้ไขและการติดตาม กู้คืนไม่ได้ (session {args.id} and all its "
        "corrections and follow-ups will be deleted for good)"
    )
    if not args.yes:
        if not sys.stdin.isatty():
            print(
                "error: ไม่ได้ลบ: ต้องยืนยัน ใส่ --yes เมื่อรันโดยไม่มีผู้ตอบ (not deleted: no terminal "
                "to confirm on; add --yes to delete without asking)",
                file=sys.stderr,
            )
            return 2
        answer = input("พิมพ์ yes เพื่อยืนยัน (type yes to confirm): ").strip().lower()
        if answer not in ("yes", "y", "ใช่"):
            print("ยกเลิก ไม่ได้ลบ (cancelled: nothing deleted)")
            return 2
    if not delete_session(engine, args.id):
        print(f"error: ไม่พบบันทึก {args.id} (no session {args.id})", file=sys.stderr)
        return 1
    print(f"ลบบันทึก {args.id} แล้ว (session {args.id} deleted)")
    return 0


@_reports_errors
def cmd_re_extract(args: argparse.Namespace) -> int:
    """Run the current extractor over the stored texts again, keeping every correction."""
    from analysis.store import re_extract

    counts = re_extract(
        _engine(args),
        progress=_ProgressBar("สกัดใหม่ (re-extract)"),
        programme=args.programme,
        workers=_workers(args),
    )
    print(
        f"ทั้งหมด (total) {counts['total']}, เปลี่ยน (changed) {counts['changed']}, "
        f"เหมือนเดิม (unchanged) {counts['unchanged']}, ขัดข้อง (failed) {counts['failed']}, "
        f"จากตาราง ไม่ได้สกัด (structured, left alone) {counts['structured']}"
    )
    for line in counts["errors"]:
        print(f"  ! {line}", file=sys.stderr)
    return 1 if counts["failed"] else 0


def _database_url_option(p) -> None:
    from analysis.store import ENV_DATABASE_URL

    p.add_argument(
        "--database-url",
        help=f"ฐานข้อมูล (database URL; default ${ENV_DATABASE_URL} or data/sangkhro.db)",
    )


def _workers_option(p) -> None:
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="จำนวนโพรเซสที่สกัดข้อมูลพร้อมกัน (extraction processes; default: one per core)",
    )


def _workers(args: argparse.Namespace) -> int:
    from analysis.store import default_workers

    if args.workers is not None and args.workers < 1:
        raise ValueError("--workers ต้องเป็น 1 ขึ้นไป (--workers must be 1 or more)")
    return args.workers or default_workers()


def _extract_arguments(p) -> None:
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--jsonl", action="store_true", help="one JSON object per line")
    p.set_defaults(func=cmd_extract)


def _import_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--programme",
        help="ชื่อโครงการ (programme name; default: from the file or the default programme)",
    )
    _database_url_option(p)
    _workers_option(p)
    p.set_defaults(func=cmd_import)


def _export_arguments(p) -> None:
    p.add_argument("--format", required=True, choices=("jsonl", "csv", "xlsx"))
    p.add_argument("--out", required=True, metavar="PATH")
    p.add_argument("--programme", help="เฉพาะโครงการนี้ (only this programme)")
    _database_url_option(p)
    p.set_defaults(func=cmd_export)


def _delete_arguments(p) -> None:
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--yes", action="store_true", help="ไม่ถาม (do not ask for confirmation)")
    _database_url_option(p)
    p.set_defaults(func=cmd_delete)


def _re_extract_arguments(p) -> None:
    p.add_argument("--programme", help="เฉพาะโครงการนี้ (only this programme)")
    _database_url_option(p)
    _workers_option(p)
    p.set_defaults(func=cmd_re_extract)


def _report_arguments(p) -> None:
    from analysis.export_report.cli import report_arguments

    report_arguments(p, _ProgressBar)  # facilitator exports: pptx, xlsx, docx, png, pdf


# name → (help, function adding its arguments); the arguments, and the imports they need, are
# built only for the command being run (all of them for --help and for the README test)
COMMANDS = {
    "extract": ("อ่านไฟล์บันทึกเป็นระเบียน JSON (extract records as JSON)", _extract_arguments),
    "import": (
        "นำเข้าไฟล์ โฟลเดอร์ หรือ .zip (import files, folders, .zip archives)",
        _import_arguments,
    ),
    "export": ("ส่งออกข้อมูล (export data: jsonl, csv, xlsx)", _export_arguments),
    "delete": ("ลบบันทึกหนึ่งรายการทั้งหมด (delete one session completely)", _delete_arguments),
    "re-extract": (
        "สกัดข้อมูลใหม่ทั้งหมด เก็บการแก้ไขไว้ (re-run the extractor, keep corrections)",
        _re_extract_arguments,
    ),
    "report": (
        "ส่งออกไฟล์สำหรับผู้อำนวยการเรียนรู้ (facilitator exports: pptx, xlsx, docx, png, pdf)",
        _report_arguments,
    ),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The CLI's parser; with `command`, only that subcommand gets its arguments (and imports)."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, add_arguments) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text)
        if command is None or command == name:
            add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = argv[0] if argv and argv[0] in COMMANDS else None
    args = build_parser(command).parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
