"""``python -m analysis report``: the facilitator exports from the command line.

The same filters as the dashboard's sidebar (each list option may be repeated), or the
dashboard's own URL query (``--query 'fy=2549&province=น่าน'``, copied from the address bar), and
the same switch that shows speakers as role + agency. Progress goes to stderr as a text bar.

Exit status: 0 written; 1 the image could not be drawn (no Chromium: one line says so);
2 a bad option or store error.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from urllib.parse import parse_qs, urlsplit

from analysis.filters import Filters
from analysis.i18n import Display
from analysis.record import KINDS

from . import CHART_NAMES, FORMATS, SUMMARY, ImageExportError, report_as, save_report


def _day(value: str) -> date:
    """A date as ``YYYY-MM-DD``; a year above 2400 is read as Buddhist era (2548-11-17 is
    17 Nov 2005)."""
    try:
        d = date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"วันที่ต้องเป็น ปปปป-ดด-วว เช่น 2005-11-17 หรือ 2548-11-17 (a date must be "
            f"YYYY-MM-DD, e.g. 2005-11-17 or 2548-11-17 in BE): {value!r}"
        ) from None
    return d.replace(year=d.year - 543) if d.year > 2400 else d


def _fiscal_year(value: str) -> int:
    """A fiscal year in BE (2549); a Gregorian one (2006) is converted."""
    if not value.strip().isdigit():
        raise argparse.ArgumentTypeError(
            f"ปีงบประมาณต้องเป็นตัวเลข เช่น 2549 (a fiscal year must be a number, e.g. 2549): {value!r}"
        )
    year = int(value)
    return year if year > 2400 else year + 543


def _query(value: str) -> dict[str, list[str]]:
    """The query part of a dashboard URL, or the query itself (with or without ``?``)."""
    text = value.strip()
    if "://" in text:
        text = urlsplit(text).query
    return parse_qs(text.lstrip("?"))


def filters_from_args(args: argparse.Namespace) -> Filters:
    """The dashboard's Filters from ``--query`` and the filter options (options win)."""
    base = Filters.from_query_params(args.query) if args.query else Filters()
    changes: dict = {}
    if args.programme:
        changes["programme"] = args.programme
    if args.date_from:
        changes["date_from"] = args.date_from
    if args.date_to:
        changes["date_to"] = args.date_to
    for name in ("fiscal_years", "provinces", "agencies", "kinds", "themes"):
        values = getattr(args, name)
        if values:
            changes[name] = tuple(dict.fromkeys(values))
    return base.replace(**changes) if changes else base


def cmd_report(args: argparse.Namespace, progress_bar=None) -> int:
    """Write one facilitator export; see the module docstring."""
    import getpass

    from analysis.auth import resolve_actor
    from analysis.store import get_engine, load_tables

    try:
        filters = filters_from_args(args)
        if args.chart and args.format not in ("png", "pdf"):
            raise ValueError("--chart ใช้กับ png และ pdf เท่านั้น (--chart applies to png and pdf only)")
        engine = get_engine(args.database_url)
        try:
            actor = resolve_actor(engine, args.as_user or getpass.getuser(), bootstrap=True)
            report = report_as(
                engine,
                actor,
                load_tables(engine, filters.programme),
                args.format,
                filters,
                disp=Display(lang=args.lang, era=args.era),
                anonymise=args.anonymise,
                chart=args.chart if args.format in ("png", "pdf") else None,
                progress=progress_bar("ส่งออก (report)") if progress_bar else None,
            )
        finally:
            engine.dispose()
        save_report(args.out, report)
    except ImageExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # includes StoreError: its message says what to do
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"เขียนแล้ว (written): {args.out}")
    return 0


def report_arguments(p, progress_bar, common_options) -> None:
    """Give the CLI's ``report`` subparser its options (`progress_bar(label)` makes the stderr
    bar, `common_options(parser)` adds ``--database-url`` and ``--as``)."""
    p.description = __doc__.split("\n\n")[1]
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, metavar="PATH")
    p.add_argument(
        "--chart",
        choices=CHART_NAMES,
        metavar="NAME",
        help=f"กราฟสำหรับ png/pdf (chart for png/pdf; default {SUMMARY}, the one-page "
        f"summary): {', '.join(CHART_NAMES)}",
    )
    f = p.add_argument_group("ตัวกรอง (filters, as in the dashboard's sidebar)")
    f.add_argument(
        "--query",
        type=_query,
        metavar="QUERY",
        help="ตัวกรองจาก URL ของแดชบอร์ด (the dashboard URL or its query, e.g. "
        "'fy=2549&province=น่าน'); the options below add to it",
    )
    f.add_argument("--programme", help="โครงการ (programme name)")
    f.add_argument(
        "--from",
        dest="date_from",
        type=_day,
        metavar="YYYY-MM-DD",
        help="จัดตั้งแต่วันที่ (held from; CE, or BE when the year is above 2400)",
    )
    f.add_argument(
        "--to", dest="date_to", type=_day, metavar="YYYY-MM-DD", help="ถึงวันที่ (held until)"
    )
    f.add_argument(
        "--fiscal-year",
        dest="fiscal_years",
        type=_fiscal_year,
        action="append",
        metavar="YEAR",
        help="ปีงบประมาณ พ.ศ. (fiscal year, BE; repeatable)",
    )
    f.add_argument(
        "--province",
        dest="provinces",
        action="append",
        metavar="NAME",
        help="จังหวัด (province; repeatable)",
    )
    f.add_argument(
        "--agency",
        dest="agencies",
        action="append",
        metavar="NAME",
        help="หน่วยงาน ชื่อเต็ม (agency, canonical name; repeatable)",
    )
    f.add_argument(
        "--kind",
        dest="kinds",
        action="append",
        choices=KINDS,
        help="ประเภทบันทึก (record kind; repeatable; default transcript and summary)",
    )
    f.add_argument(
        "--theme",
        dest="themes",
        action="append",
        metavar="LABEL",
        help="ประเด็น (theme label; repeatable)",
    )
    p.add_argument(
        "--anonymise",
        action="store_true",
        help="แสดงผู้พูดเป็นบทบาท + หน่วยงาน (speakers as role + agency, no names)",
    )
    p.add_argument("--lang", choices=("th", "en"), default="th", help="ภาษา (language; th)")
    p.add_argument("--era", choices=("be", "ce"), default="be", help="ปี พ.ศ./ค.ศ. (era; be)")
    common_options(p)  # --database-url, --as EMAIL
    p.set_defaults(func=lambda args: cmd_report(args, progress_bar))
