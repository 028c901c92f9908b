"""Command line: ``python -m analysis COMMAND`` (extract, import, export, report, delete, purge,
re-extract, users, audit).

Each subcommand is a small function registered in ``COMMANDS``; the dashboard calls the same
library functions.
"""

from __future__ import annotations

import argparse
import json
import logging
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


def _actor(args: argparse.Namespace, engine):
    """The user the command acts as: ``--as EMAIL``, else the operating-system user, with the
    role the store gives them now. While the store has no user at all, they act as admin (so
    the first admin can be added with ``users add``)."""
    import getpass

    from analysis.auth import resolve_actor

    return resolve_actor(engine, args.as_user or getpass.getuser(), bootstrap=True)


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
    """Import files, folders and .zip archives; exit 1 when nothing could be read, 3 when a
    file was read but could not be written (records missing), else 0."""
    from analysis.ingest import import_paths

    engine = _engine(args)
    summary = import_paths(
        engine,
        args.paths,
        programme=args.programme,
        progress=_ProgressBar("นำเข้า (import)"),
        actor=_actor(args, engine),
        workers=_workers(args),
    )
    print(summary.to_text())
    if summary.not_written:
        return 3
    return 0 if summary.read_anything else 1


@_reports_errors
def cmd_export(args: argparse.Namespace) -> int:
    """Write the store's data as JSONL, CSV or XLSX."""
    from analysis.export import export_data

    engine = _engine(args)
    actor = _actor(args, engine)
    for path in export_data(engine, args.format, args.out, programme=args.programme, actor=actor):
        print(f"เขียนแล้ว (written): {path}")
    return 0


@_reports_errors
def cmd_delete(args: argparse.Namespace) -> int:
    """Delete one session completely, after a confirmation (records hold personal names)."""
    from analysis.auth import Role, require
    from analysis.store import SessionNotFound, delete_session, get_session

    engine = _engine(args)
    actor = require(_actor(args, engine), Role.ADMIN, "ลบบันทึก (delete a session)")
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
    if not delete_session(engine, args.id, actor=actor):
        print(f"error: ไม่พบบันทึก {args.id} (no session {args.id})", file=sys.stderr)
        return 1
    print(f"ลบบันทึก {args.id} แล้ว (session {args.id} deleted)")
    if engine.dialect.name == "postgresql":
        print(
            "PostgreSQL ยังเก็บข้อความที่ลบไว้ในไฟล์จนกว่าจะรัน python -m analysis purge "
            "(PostgreSQL keeps the deleted text in its files until `python -m analysis purge`)"
        )
    return 0


@_reports_errors
def cmd_purge(args: argparse.Namespace) -> int:
    """Rewrite the store's tables so deleted sessions leave the database files (PDPA)."""
    from analysis.store import purge_deleted

    engine = _engine(args)
    for note in purge_deleted(engine, actor=_actor(args, engine)):
        print(f"note: {note}", file=sys.stderr)
    print("ล้างข้อมูลที่ลบแล้วออกจากไฟล์ฐานข้อมูล (deleted data purged from the database files)")
    return 0


@_reports_errors
def cmd_re_extract(args: argparse.Namespace) -> int:
    """Run the current extractor over the stored texts again, keeping every correction."""
    from analysis.store import re_extract

    engine = _engine(args)
    counts = re_extract(
        engine,
        actor=_actor(args, engine),
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


# ----------------------------------------------------------------------------- audit trail


@_reports_errors
def cmd_audit(args: argparse.Namespace) -> int:
    """Write the audit trail (admins), filtered, as CSV or JSONL to --out or standard output."""
    from analysis.store import export_audit

    engine = _engine(args)
    data = export_audit(
        engine,
        _actor(args, engine),
        args.format,
        action=args.action,
        user=args.user,
        since=args.since,
        until=args.until,
        session_id=args.session,
    )
    if args.out:
        with open(args.out, "wb") as fh:
            fh.write(data)
        print(f"เขียนแล้ว (written): {args.out}")
    else:
        sys.stdout.write(data.decode("utf-8-sig"))
    return 0


def _audit_arguments(p) -> None:
    from analysis.store.audit import ACTIONS

    p.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    p.add_argument("--out", metavar="PATH", help="ไฟล์ (file; default: standard output)")
    p.add_argument("--action", choices=tuple(ACTIONS), help="เฉพาะการกระทำนี้ (only this action)")
    p.add_argument("--user", metavar="EMAIL", help="เฉพาะผู้ใช้นี้ (only this user)")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="ตั้งแต่ (from, inclusive)")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="ก่อน (before, exclusive)")
    p.add_argument("--session", type=int, metavar="ID", help="เฉพาะบันทึกนี้ (only this session)")
    add_common_options(p)
    p.set_defaults(func=cmd_audit)


# ----------------------------------------------------------------------------- users


def _read_password(args: argparse.Namespace) -> str | None:
    """The password on standard input's first line (``--password-stdin``), never an argument
    (arguments show in the process list and the shell history)."""
    if not args.password_stdin:
        return None
    line = sys.stdin.readline()
    if not line.strip():
        raise ValueError("ไม่ได้รับรหัสผ่านทาง stdin (no password on standard input)")
    return line.rstrip("\r\n")


@_reports_errors
def cmd_users(args: argparse.Namespace) -> int:
    """Manage users and roles: add, list, role, remove, password (admins; the first admin of a
    store without users is added by whoever runs the command)."""
    from analysis import auth, store

    engine = _engine(args)
    actor = _actor(args, engine)
    if args.users_command == "add":
        user = store.add_user(
            engine, actor, args.email, args.role, args.name, password=_read_password(args)
        )
        print(f"เพิ่มผู้ใช้แล้ว (user added): {user['email']} {user['role'].value}")
    elif args.users_command == "list":
        for u in store.list_users(engine, actor):
            flags = ("password" if u["has_password"] else "sso") + (
                " locked" if u["locked"] else ""
            )
            print(f"{u['email']}\t{u['role'].value}\t{u['name'] or '-'}\t{flags}")
    elif args.users_command == "role":
        store.set_role(engine, actor, args.email, args.role)
        print(f"เปลี่ยนบทบาทแล้ว (role changed): {args.email} {args.role}")
    elif args.users_command == "remove":
        store.remove_user(engine, actor, args.email)
        print(f"ลบผู้ใช้แล้ว (user removed): {args.email}")
    else:
        args.password_stdin = True
        auth.set_password(engine, actor, args.email, _read_password(args))
        print(f"ตั้งรหัสผ่านแล้ว (password set): {args.email}")
    return 0


def _users_arguments(p) -> None:
    from analysis.auth import Role

    roles = [r.value for r in Role]
    users = p.add_subparsers(dest="users_command", required=True)
    a = users.add_parser("add", help="เพิ่มผู้ใช้ (add a user; the first one must be an admin)")
    a.add_argument("email", metavar="EMAIL")
    a.add_argument("--role", required=True, choices=roles)
    a.add_argument("--name", help="ชื่อที่แสดง (display name)")
    a.add_argument(
        "--password-stdin",
        action="store_true",
        help="อ่านรหัสผ่านจาก stdin สำหรับบัญชีในเครื่อง (local account: read the password from stdin)",
    )
    users.add_parser("list", help="รายชื่อผู้ใช้ (list users)")
    r = users.add_parser("role", help="เปลี่ยนบทบาท (change a user's role)")
    r.add_argument("email", metavar="EMAIL")
    r.add_argument("role", choices=roles)
    d = users.add_parser("remove", help="ลบผู้ใช้ (remove a user)")
    d.add_argument("email", metavar="EMAIL")
    w = users.add_parser("password", help="ตั้งรหัสผ่านจาก stdin (set a password, read from stdin)")
    w.add_argument("email", metavar="EMAIL")
    for parser in (a, r, d, w, users.choices["list"]):
        add_common_options(parser)  # --database-url, --as: after the subcommand
    p.set_defaults(func=cmd_users)


def add_common_options(p: argparse.ArgumentParser) -> None:
    """``--database-url`` and ``--as EMAIL``: every store command has both."""
    from analysis.store import ENV_DATABASE_URL

    p.add_argument(
        "--database-url",
        help=f"ฐานข้อมูล (database URL; default ${ENV_DATABASE_URL} or data/sangkhro.db)",
    )
    p.add_argument(
        "--as",
        dest="as_user",
        metavar="EMAIL",
        help="ทำในนามผู้ใช้นี้ (act as this user; default: the operating-system user)",
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
    add_common_options(p)
    _workers_option(p)
    p.set_defaults(func=cmd_import)


def _export_arguments(p) -> None:
    p.add_argument("--format", required=True, choices=("jsonl", "csv", "xlsx"))
    p.add_argument("--out", required=True, metavar="PATH")
    p.add_argument("--programme", help="เฉพาะโครงการนี้ (only this programme)")
    add_common_options(p)
    p.set_defaults(func=cmd_export)


def _delete_arguments(p) -> None:
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--yes", action="store_true", help="ไม่ถาม (do not ask for confirmation)")
    add_common_options(p)
    p.set_defaults(func=cmd_delete)


def _purge_arguments(p) -> None:
    add_common_options(p)
    p.set_defaults(func=cmd_purge)


def _re_extract_arguments(p) -> None:
    p.add_argument("--programme", help="เฉพาะโครงการนี้ (only this programme)")
    add_common_options(p)
    _workers_option(p)
    p.set_defaults(func=cmd_re_extract)


def _report_arguments(p) -> None:
    from analysis.export_report.cli import report_arguments

    report_arguments(p, _ProgressBar, add_common_options)  # pptx, xlsx, docx, png, pdf


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
    "purge": (
        "ล้างข้อมูลที่ลบออกจากไฟล์ฐานข้อมูล (purge deleted data from the database files; PDPA)",
        _purge_arguments,
    ),
    "re-extract": (
        "สกัดข้อมูลใหม่ทั้งหมด เก็บการแก้ไขไว้ (re-run the extractor, keep corrections)",
        _re_extract_arguments,
    ),
    "report": (
        "ส่งออกไฟล์สำหรับคุณอำนวย (ผู้อำนวยความสะดวก) (facilitator exports: pptx, xlsx, docx, png, pdf)",
        _report_arguments,
    ),
    "users": ("จัดการผู้ใช้และบทบาท (manage users and roles; admins)", _users_arguments),
    "audit": ("บันทึกการใช้งาน (the audit trail; admins)", _audit_arguments),
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


def _quiet_tracebacks() -> None:
    """The commands print one line per failed file; the tracebacks behind them (logged by
    `analysis`) reach stderr only with SANGKHRO_DEBUG=1. The dashboard logs them always."""
    if os.environ.get("SANGKHRO_DEBUG") != "1":
        logger = logging.getLogger("analysis")
        logger.addHandler(logging.NullHandler())
        logger.propagate = False


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = argv[0] if argv and argv[0] in COMMANDS else None
    args = build_parser(command).parse_args(argv)
    _quiet_tracebacks()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
