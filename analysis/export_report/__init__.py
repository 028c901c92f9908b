"""Facilitator exports: an editable PowerPoint deck, an Excel workbook, a Word report, and PNG/PDF
of any chart or a one-page programme summary, all in Thai, from the dashboard's own frames.

`build_report(tables, fmt, filters, …)` filters the programme as the dashboard does
(`analysis.filters.apply_filters`), computes every table and chart series with the same
`analysis.frames` function as the dashboard's page for it, and writes one file:

* ``pptx`` (`slides`): title slide, native editable charts, quote slides, follow-up table;
* ``xlsx`` (`workbook`): one sheet per table, real Buddhist-era dates;
* ``docx`` (`document`): the summary report in Thai government style, charts as pictures when a
  Chromium is present (else without them, and `Report.notes` says why);
* ``png`` / ``pdf`` (`images`): one chart by its dashboard name, or the one-page summary.

`anonymise=True` shows speakers as role + agency (`frames.speaker_display`) wherever a person
would be named. Long exports report progress as ``progress(done, total, label)``. Nothing here
imports Streamlit: the dashboard (pages/_exports.py) and ``python -m analysis report`` both call it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from analysis.filters import Filters
from analysis.i18n import Display
from analysis.tables import ProgrammeTables

from .content import ReportContent, filter_summary
from .images import (
    CHART_NAMES,
    CHARTS,
    NO_BROWSER_MESSAGE,
    SUMMARY,
    BrowserNotFound,
    ImageExportError,
    chart_title,
    find_browser,
)

FORMATS = ("pptx", "xlsx", "docx", "png", "pdf")
MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "png": "image/png",
    "pdf": "application/pdf",
}

Progress = Callable[[int, int, str], None]

__all__ = [
    "CHARTS",
    "CHART_NAMES",
    "FORMATS",
    "MIME",
    "NO_BROWSER_MESSAGE",
    "SUMMARY",
    "BrowserNotFound",
    "ImageExportError",
    "Report",
    "ReportContent",
    "build_report",
    "chart_title",
    "file_name",
    "filter_summary",
    "find_browser",
    "report_as",
    "save_report",
    "write_report",
]


@dataclass
class Report:
    """A produced file: its bytes, a suggested file name, its MIME type, and notes for the person
    (e.g. that the Word report has no pictures because no Chromium was found)."""

    data: bytes
    file_name: str
    mime: str
    notes: list[str] = field(default_factory=list)


def _check(fmt: str, chart: str | None) -> None:
    if fmt not in FORMATS:
        raise ValueError(
            f"ไม่รู้จักรูปแบบ “{fmt}” ใช้ {' / '.join(FORMATS)} "
            f"(unknown report format “{fmt}”: use one of {', '.join(FORMATS)})"
        )
    if chart is not None and chart not in CHART_NAMES:
        raise ValueError(
            f"ไม่รู้จักกราฟ “{chart}” ใช้ {', '.join(CHART_NAMES)} "
            f"(unknown chart “{chart}”: use one of {', '.join(CHART_NAMES)})"
        )


def file_name(fmt: str, chart: str | None = None, today: date | None = None) -> str:
    """``sangkhro-report-2568-11-25.pptx``; images carry the chart name
    (``sangkhro-participation_by_agency-….png``). The date is in the Buddhist era, as people
    here read it."""
    d = today or date.today()
    stamp = f"{d.year + 543}-{d.month:02d}-{d.day:02d}"
    what = "report" if fmt in ("pptx", "xlsx", "docx") else (chart or SUMMARY)
    return f"sangkhro-{what}-{stamp}.{fmt}"


def build_report(
    tables: ProgrammeTables,
    fmt: str,
    filters: Filters | None = None,
    *,
    disp: Display | None = None,
    anonymise: bool = False,
    chart: str | None = None,
    progress: Progress | None = None,
    today: date | None = None,
) -> Report:
    """One export of the (unfiltered) `tables`, cut by `filters`, as `fmt`.

    `chart` names the chart of a PNG/PDF (`CHART_NAMES`; default the one-page summary).
    Raises ValueError for an unknown format or chart, BrowserNotFound / ImageExportError when a
    PNG/PDF cannot be drawn (a Word report is then written without pictures instead).
    """
    _check(fmt, chart)
    content = ReportContent(
        tables, filters or Filters(), disp or Display(), anonymise, today or date.today()
    )
    notes: list[str] = []
    if fmt == "pptx":
        from .slides import build_deck

        data = build_deck(content, progress)
    elif fmt == "xlsx":
        from .workbook import build_workbook

        data = build_workbook(content, progress)
    elif fmt == "docx":
        from .document import build_document
        from .images import document_images

        try:
            pictures = document_images(content, _part(progress, 0, 2))
        except ImageExportError as exc:
            pictures = {}
            notes.append(str(exc))
        data = build_document(content, pictures, _part(progress, 1, 2))
    else:
        from .images import build_image

        data = build_image(content, fmt, chart or SUMMARY, progress)
    return Report(data, file_name(fmt, chart, content.today), MIME[fmt], notes)


def report_as(bind, actor, tables: ProgrammeTables, fmt: str, *args, **kwargs) -> Report:
    """`build_report(tables, fmt, *args, **kwargs)` as `actor` may have it, audited: a viewer's
    is built from the masked tables (`privacy.tables_for`) with speakers as role + agency."""
    from analysis import auth, privacy, store

    actor = auth.check(bind, actor, auth.Role.VIEWER, "ส่งออกรายงาน (export a report)")
    if privacy.is_masked_for(actor):
        tables = privacy.tables_for(actor, tables, store.user_names(bind), lang=_lang(kwargs))
        kwargs["anonymise"] = True
    report = build_report(tables, fmt, *args, **kwargs)
    store.record_export(
        bind, actor, "report", format=fmt, chart=kwargs.get("chart"), file=report.file_name
    )
    return report


def _lang(kwargs: dict) -> str:
    disp = kwargs.get("disp")
    return disp.lang if disp is not None else "th"


def _part(progress: Progress | None, index: int, parts: int) -> Progress | None:
    """A progress callback for one of `parts` equal stages of a longer job."""
    if progress is None:
        return None

    def report(done: int, total: int, label: str) -> None:
        scale = 1000
        fraction = (index + (done / total if total else 1)) / parts
        progress(int(fraction * scale), scale, label)

    return report


def write_report(out: str | Path, *args, **kwargs) -> Report:
    """`build_report(*args, **kwargs)` written to `out` (through a temporary file, so a failed
    export never leaves half a file under the real name)."""
    return save_report(out, build_report(*args, **kwargs))


def save_report(out: str | Path, report: Report) -> Report:
    """Write a built report to `out` through a temporary file; returns it."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(report.data)
    tmp.replace(out)
    return report
