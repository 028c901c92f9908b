"""The facilitator's Excel workbook (openpyxl, write-only so 10,000 sessions stay small in memory).

One sheet per table, each the dashboard's frame for it on the same filtered tables:

=============================== =============================================================
sheet                           frame
=============================== =============================================================
สรุป (Summary)                  programme, period, filters, headline numbers (overview_metrics)
เวที (Sessions)                 session_table (+ head-count, fiscal year, venue)
หน่วยงาน (Agencies)             participation_by_agency
การพูด (Turns)                  every turn with its session's date and title
ประเด็น (Themes)                theme_counts
หมวดข้อเสนอแนะ (Categories)     recommendations_by_category
ข้อเสนอแนะ (Recommendations)    recommendation_table (with follow-up status, owner, due date)
=============================== =============================================================

Every sheet has a styled header row, frozen; an auto-filter over the whole table; column widths
estimated from the Thai text they hold (long text wraps). Dates are real Excel dates shown in the
Buddhist era (``[$-107041E]d mmm yyyy`` → ``17 พ.ย. 2548``); shares are numbers shown as %.
Codes (status, kind, role, category) are shown as the dashboard labels them. Text is written as
text: a cell that starts with ``=`` stays a string, never a formula, and a text that starts with
``=``, ``+``, ``-`` or ``@`` gets an apostrophe in front (`analysis.safe_text`), so it stays text
even when the sheet is saved as CSV and opened again.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from analysis import figures
from analysis.safe_text import neutralise_formula

from .content import ReportContent, agency_type_label
from .labels import t
from .text import clean

SHEETS = {  # key → sheet title (Thai then English; at most 31 characters)
    "summary": "สรุป (Summary)",
    "sessions": "เวที (Sessions)",
    "agencies": "หน่วยงาน (Agencies)",
    "turns": "การพูด (Turns)",
    "themes": "ประเด็น (Themes)",
    "categories": "หมวดข้อเสนอแนะ (Categories)",
    "recommendations": "ข้อเสนอแนะ (Recommendations)",
}
BE_DATE_FORMAT = "[$-107041E]d mmm yyyy;@"  # Thai locale, Buddhist calendar: 17 พ.ย. 2548
BE_MONTH_FORMAT = "[$-107041E]mmm yyyy;@"
CE_DATE_FORMAT = "d mmm yyyy"
CE_MONTH_FORMAT = "mmm yyyy"
PERCENT_FORMAT = "0.0%"
INT_FORMAT = "#,##0"
DATE_COLUMNS = ("session_date", "end_date", "due_date", "reviewed_at", "imported_at")
MONTH_COLUMNS = ("month",)
SHARE_COLUMNS = ("share", "share_of_voice")
LABELLED_COLUMNS = (
    "kind",
    "status",
    "speaker_role",
    "review_state",
    "category",
    "categories",
    "theme",
    "province",
    "agency",
    "speaker",
)
CELL_LIMIT = 32_767
MIN_WIDTH, MAX_WIDTH, WRAP_WIDTH = 8, 48, 70
HEADER_FONT = Font(name="Tahoma", bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=figures.ACCENT.lstrip("#").upper())
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
HEADER_BORDER = Border(bottom=Side(style="thin", color="12475B"))
WRAP = Alignment(wrap_text=True, vertical="top")
PROGRESS_EVERY = 2_000

Progress = Callable[[int, int, str], None]


@dataclass
class Column:
    """One column of a sheet: header, values as written, and how to show them."""

    header: str
    values: list
    number_format: str | None = None
    width: float = MIN_WIDTH
    wrap: bool = False
    formats: list | None = None  # per-row formats instead (the summary mixes dates and counts)


def _python(value):
    """A cell value to write: Timestamps as dates, numpy scalars as Python, NaN/NA as empty."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if isinstance(value, datetime | date | bool):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return str(value)
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    if isinstance(value, int | float):
        return value
    text = neutralise_formula(clean(value))
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


def _translated(series: pd.Series, name: str, content: ReportContent) -> list:
    """Codes and missing names as the dashboard shows them, each distinct value labelled once."""
    keys = list(dict.fromkeys(series.tolist()))
    shown = figures.display_table(pd.DataFrame({name: keys}), content.disp).iloc[:, 0].tolist()
    mapping = dict(zip(keys, shown, strict=True))
    return [mapping.get(v, v) for v in series.tolist()]


def _width(header: str, values: list) -> tuple[float, bool]:
    """Column width in Excel's units (about one Latin digit) for Thai text, and whether to wrap.

    Thai marks above and below a letter take no width, roughly balancing Thai letters being a
    little wider than a digit, so the character count of the 95th-percentile cell is used.
    """
    sample = values if len(values) <= 5_000 else values[:: max(1, len(values) // 5_000)]
    lengths = pd.Series([len(str(v)) if v is not None else 0 for v in sample], dtype="int64")
    longest_header_word = max((len(w) for w in header.split()), default=0)
    body = float(lengths.quantile(0.95)) if len(lengths) else 0.0
    if body > MAX_WIDTH:
        return float(WRAP_WIDTH), True
    return max(
        MIN_WIDTH, min(MAX_WIDTH, max(body, longest_header_word, len(header) * 0.6) + 3)
    ), False


def frame_columns(frame: pd.DataFrame, content: ReportContent) -> list[Column]:
    """The frame as sheet columns: dashboard headers, translated codes, real dates and numbers."""
    disp = content.disp
    labels = figures.display_table(frame.head(0), disp).columns.tolist()
    date_format = BE_DATE_FORMAT if disp.era == "be" else CE_DATE_FORMAT
    month_format = BE_MONTH_FORMAT if disp.era == "be" else CE_MONTH_FORMAT
    out = []
    for name, label in zip(frame.columns, labels, strict=True):
        series = frame[name]
        fmt = None
        if name in DATE_COLUMNS or name in MONTH_COLUMNS:
            values = [_python(v) for v in pd.to_datetime(series, errors="coerce")]
            fmt = month_format if name in MONTH_COLUMNS else date_format
            if name in ("reviewed_at", "imported_at"):
                fmt = fmt.replace("yyyy", "yyyy h:mm")
        elif name in SHARE_COLUMNS:
            values = [_python(v) for v in series]
            fmt = PERCENT_FORMAT
            label = label.replace(" (%)", "")
        elif name == "fiscal_year":
            values = [_python(v) for v in series]
            if disp.era == "ce":
                values = [v - 543 if isinstance(v, int) else v for v in values]
        elif name == "type":
            values = [agency_type_label(v, disp.lang) for v in series]
        elif name in LABELLED_COLUMNS:
            values = [_python(v) for v in _translated(series, name, content)]
        else:
            values = [_python(v) for v in series.tolist()]
            if pd.api.types.is_integer_dtype(series) and name not in (
                "session_id",
                "seq",
                "recommendation_id",
            ):
                fmt = INT_FORMAT
        width, wrap = _width(label, values)
        if fmt in (date_format, month_format):
            width = max(width, 13)
        out.append(Column(str(label), values, fmt, width, wrap))
    return out


def summary_columns(content: ReportContent) -> list[Column]:
    """The summary sheet: what was exported, from where, when, and the headline numbers."""
    m = content.metrics
    disp = content.disp
    rows: list[tuple[str, object, str | None]] = [
        (content.t("filter_programme"), content.programme, None),
        (content.t("period"), content.period_text, None),
        (content.t("filters_in_force"), content.filter_text, None),
        (
            content.t("generated_on"),
            content.today,
            BE_DATE_FORMAT if disp.era == "be" else CE_DATE_FORMAT,
        ),
        (disp.t("metric_sessions"), m["sessions"], INT_FORMAT),
        (disp.t("metric_participants"), m["participants"], INT_FORMAT),
        (content.t("participants_known_count"), m["participants_known"], INT_FORMAT),
        (disp.t("metric_agencies"), m["agencies"], INT_FORMAT),
        (disp.t("metric_turns"), m["turns"], INT_FORMAT),
        (disp.t("metric_recommendations"), m["recommendations"], INT_FORMAT),
        (disp.t("metric_acted_on"), m["acted_on"], INT_FORMAT),
        (disp.t("metric_reviewed"), m["reviewed_share"], PERCENT_FORMAT),
    ]
    if content.anonymise:
        rows.append((disp.t("col_speaker"), content.speaker_note(), None))
    keys = [clean(r[0]) for r in rows]
    values = [_python(r[1]) for r in rows]
    formats = [r[2] for r in rows]
    return [
        Column(content.t("summary_item"), keys, None, 36, True),
        Column(content.t("summary_value"), values, None, 60, True, formats),
    ]


def sheet_frames(content: ReportContent) -> dict[str, pd.DataFrame]:
    """The data sheets' frames by sheet key, in sheet order (summary excluded)."""
    return {
        "sessions": content.sessions,
        "agencies": content.participation,
        "turns": content.turns,
        "themes": content.theme_counts,
        "categories": content.recommendations_by_category,
        "recommendations": content.recommendations,
    }


def _style_id(ws, number_format: str | None, wrap: bool) -> int:
    """The workbook's style index for a data cell with this number format and wrapping."""
    cell = WriteOnlyCell(ws)
    if number_format:
        cell.number_format = number_format
    if wrap:
        cell.alignment = WRAP
    return cell.style_id


def _start_sheet(wb: Workbook, title: str, columns: list[Column]) -> list[list[str]]:
    """Create the sheet with openpyxl (widths, frozen styled header, auto-filter) and return, per
    column, the ``s="…"`` attribute of its data cells by row (empty for unstyled cells)."""
    ws = wb.create_sheet(title)
    n_rows = len(columns[0].values) if columns else 0
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = round(col.width, 1)
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n_rows + 1}"
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, neutralise_formula(clean(col.header)))
        cell.font, cell.fill, cell.alignment, cell.border = (
            HEADER_FONT,
            HEADER_FILL,
            HEADER_ALIGN,
            HEADER_BORDER,
        )
        header.append(cell)
    ws.append(header)
    cache: dict[tuple[str | None, bool], str] = {}

    def attr(fmt: str | None, wrap: bool) -> str:
        if fmt is None and not wrap:
            return ""
        if (fmt, wrap) not in cache:
            cache[(fmt, wrap)] = f' s="{_style_id(ws, fmt, wrap)}"'
        return cache[(fmt, wrap)]

    return [
        [attr(f, col.wrap) for f in col.formats]
        if col.formats
        else [attr(col.number_format, col.wrap)]
        for col in columns
    ]


_EPOCH = date(1899, 12, 30)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _cell_xml(ref: str, value, style: str) -> str:
    """One ``<c>`` element. Text is always an inline string, so ``=…`` is never a formula."""
    if isinstance(value, str):
        text = _escape(value)
        return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        delta = value - datetime(1899, 12, 30)
        serial = delta.days + delta.seconds / 86_400
        return f'<c r="{ref}"{style}><v>{serial!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}"{style}><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return f'<c r="{ref}"{style}><v>{value!r}</v></c>'


def _rows_xml(
    columns: list[Column], styles: list[list[str]], tick: Callable[[int], None]
) -> Iterator[str]:
    """The sheet's data rows as SpreadsheetML, from row 2, in chunks."""
    letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
    n_rows = len(columns[0].values) if columns else 0
    chunk: list[str] = []
    for r in range(n_rows):
        number = r + 2
        chunk.append(f'<row r="{number}">')
        for letter, col, style in zip(letters, columns, styles, strict=True):
            value = col.values[r]
            if value is None:
                continue
            chunk.append(
                _cell_xml(f"{letter}{number}", value, style[r] if len(style) > 1 else style[0])
            )
        chunk.append("</row>")
        if (r + 1) % PROGRESS_EVERY == 0:
            yield "".join(chunk)
            chunk = []
            tick(PROGRESS_EVERY)
    yield "".join(chunk)
    tick(n_rows % PROGRESS_EVERY + 1)


def _fill_rows(
    data: bytes,
    sheets: list[tuple[str, list[Column], list[list[str]]]],
    tick: Callable[[int, str], None],
) -> bytes:
    """Copy openpyxl's package, writing each sheet's data rows into its ``<sheetData>``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as dst,
    ):
        for info in src.infolist():
            body = src.read(info.filename)
            match = _SHEET_PART.fullmatch(info.filename)
            if not match:
                dst.writestr(info, body)
                continue
            title, columns, styles = sheets[int(match.group(1)) - 1]
            head, tail = body.decode("utf-8").split("</sheetData>", 1)
            part = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            part.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(part, "w", force_zip64=True) as fh:
                fh.write(head.encode("utf-8"))
                for chunk in _rows_xml(columns, styles, lambda n, title=title: tick(n, title)):
                    fh.write(chunk.encode("utf-8"))
                fh.write(("</sheetData>" + tail).encode("utf-8"))
    return out.getvalue()


_SHEET_PART = re.compile(r"xl/worksheets/sheet(\d+)\.xml")


def build_workbook(content: ReportContent, progress: Progress | None = None) -> bytes:
    """The workbook as .xlsx bytes (see module docstring for the sheets).

    openpyxl builds the package: sheets, column widths, frozen styled headers, auto-filters,
    styles and properties. The data rows are then streamed into each sheet's ``<sheetData>`` as
    plain SpreadsheetML (inline strings, numbers, date serials with openpyxl's style ids): the
    same XML openpyxl's write-only mode writes, at a fraction of its per-cell cost, which is what
    keeps 10,000 sessions (about a million cells) within seconds.
    """
    if progress:
        progress(0, 1, t("step_prepare", content.lang))
    sheets: dict[str, list[Column]] = {"summary": summary_columns(content)}
    for key, frame in sheet_frames(content).items():
        sheets[key] = frame_columns(frame, content)
    total = sum((len(cols[0].values) if cols else 0) + 1 for cols in sheets.values()) + 1
    done = 0

    def tick(n: int, label: str) -> None:
        nonlocal done
        done = min(total, done + n)
        if progress:
            progress(done, total, label)

    wb = Workbook(write_only=True)
    wb.properties.title = clean(f"{content.t('report_title')}: {content.programme}")
    wb.properties.creator = "Sangkhro"
    wb.properties.language = "th-TH"
    started = [
        (SHEETS[key], columns, _start_sheet(wb, SHEETS[key], columns))
        for key, columns in sheets.items()
    ]
    package = io.BytesIO()
    wb.save(package)
    result = _fill_rows(package.getvalue(), started, tick)
    tick(total, t("step_save", content.lang))
    return result
