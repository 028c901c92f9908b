"""Command line: ``python -m analysis COMMAND`` (extract, import, export, report, delete, purge,
re-extract, users, audit).

Each subcommand is a small function registered in ``COMMANDS``; the dashboard calls the same
library functions.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from analysis.extract import extract
from analysis.text import DecodeError, read_text_file


def _extract_file(path: str) -> dict:
    if not os.path.exists(path):
        raise DecodeError(f"ไม่พบไฟล์ (no such file): {path}")
    if os.path.isdir(path):
        raise DecodeError(f"เป็นโฟลเดอร์ ไม่ใช่ไฟล์ (is a directory): {path}")
    try:
        text = read_text_file(path)
    except DecodeError as exc:
        raise DecodeError(f"{path}: {exc}") from None
    except OSError as exc:
        raise DecodeError(f"อ่านไฟล์ไม่ได้ (cannot read) {path}: {exc.strerror}") from None
    return {"file": os.path.basename(path), **extract(text).to_dict()}


def cmd_extract(args: argparse.Namespace) -> int:
    """Print one JSON record per input; failures go to stderr, one line each."""
    failed = 0
    out = []
    for path in args.files:
        try:
            rec = _extract_file(path)
        except DecodeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
            continue
        if args.jsonl:
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
    """Import files, folders and .zip archives; exit 1 only when nothing could be read."""
    from analysis.ingest import import_paths

    engine = _engine(args)
    summary = import_paths(
        engine,
        args.paths,
        programme=args.programme,
        progress=_ProgressBar("นำเข้า (import)"),
        actor=_actor(args, engine),
    )
    print(summary.to_text())
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


def _add_audit_command(sub) -> None:
    from analysis.store.audit import ACTIONS

    p = sub.add_parser("audit", help="บันทึกการใช้งาน (the audit trail; admins)")
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


def _add_users_command(sub) -> None:
    from analysis.auth import Role

    roles = [r.value for r in Role]
    p = sub.add_parser("users", help="จัดการผู้ใช้และบทบาท (manage users and roles; admins)")
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


def _add_store_commands(sub) -> None:
    p = sub.add_parser(
        "import", help="นำเข้าไฟล์ โฟลเดอร์ หรือ .zip (import files, folders, .zip archives)"
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--programme",
        help="ชื่อโครงการ (programme name; default: from the file or the default programme)",
    )
    add_common_options(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="ส่งออกข้อมูล (export data: jsonl, csv, xlsx)")
    p.add_argument("--format", required=True, choices=("jsonl", "csv", "xlsx"))
    p.add_argument("--out", required=True, metavar="PATH")
    p.add_argument("--programme", help="เฉพาะโครงการนี้ (only this programme)")
    add_common_options(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("delete", help="ลบบันทึกหนึ่งรายการทั้งหมด (delete one session completely)")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--yes", action="store_true", help="ไม่ถาม (do not ask for confirmation)")
    add_common_options(p)
    p.set_defaults(func=cmd_delete)

    p = sub.add_parser(
        "purge",
        help="ล้างข้อมูลที่ลบออกจากไฟล์ฐานข้อมูล (purge deleted data from the database files; PDPA)",
    )
    add_common_options(p)
    p.set_defaults(func=cmd_purge)

    p = sub.add_parser(
        "re-extract", help="สกัดข้อมูลใหม่ทั้งหมด เก็บการแก้ไขไว้ (re-run the extractor, keep corrections)"
    )
    p.add_argument("--programme", help="เฉพาะโครงการนี้ (only this programme)")
    add_common_options(p)
    p.set_defaults(func=cmd_re_extract)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="อ่านไฟล์บันทึกเป็นระเบียน JSON (extract records as JSON)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--jsonl", action="store_true", help="one JSON object per line")
    p.set_defaults(func=cmd_extract)
    _add_store_commands(sub)
    _add_users_command(sub)
    _add_audit_command(sub)
    from analysis.export_report.cli import add_report_command

    add_report_command(
        sub, _ProgressBar, add_common_options
    )  # facilitator exports: pptx, xlsx, docx, png, pdf
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
