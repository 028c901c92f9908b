"""The facilitator exports on the dashboard: one call per page, ``export_panel(disp, "agencies")``.

An expander with a button per format (PowerPoint, Excel, Word, PNG, PDF) and, for PNG/PDF, a
choice between the one-page programme summary and this page's charts. A button builds the file
with the sidebar's filters, language, era and anonymise switch (`analysis.export_report`, the
same call the CLI makes), driving `st.progress` from the export's progress callback; the file
then waits under its download button until the filters or the data change. Without Chromium,
PNG/PDF say so in one line (`st.info`) and stay off; the chart's own camera button still works.
"""

from __future__ import annotations

import streamlit as st

from analysis import export_report as reports
from analysis import store
from analysis.export_report.labels import t
from analysis.i18n import Display
from analysis.store.questions import scope
from pages import _common as ui

# the charts each page shows, by their dashboard names (analysis.export_report.CHARTS)
PAGE_CHARTS = {
    "overview": ("sessions_per_month", "sessions_per_fiscal_year", "sessions_per_province"),
    "agencies": (
        "participation_by_agency",
        "share_of_voice_by_agency",
        "share_of_voice_by_role",
        "agency_theme_matrix",
        "agency_coattendance",
        "agency_trend",
    ),
    "themes": (
        "theme_counts",
        "themes_over_time",
        "themes_over_time_month",
        "themes_by_agency",
        "themes_by_province",
        "theme_cooccurrence",
        "key_phrases",
    ),
    "recommendations": ("recommendations_by_category",),
    "present": (
        "sessions_per_month",
        "sessions_per_province",
        "participation_by_agency",
        "share_of_voice_by_role",
        "theme_counts",
        "recommendations_by_category",
    ),
}
ICONS = {
    "pptx": ":material/slideshow:",
    "xlsx": ":material/table_view:",
    "docx": ":material/description:",
    "png": ":material/image:",
    "pdf": ":material/picture_as_pdf:",
}
SHORT_NAMES = {"pptx": "PowerPoint", "xlsx": "Excel", "docx": "Word", "png": "PNG", "pdf": "PDF"}
READY = "_exports_ready"
REQUEST = "_exports_request"


def _request(fmt: str, chart: str | None) -> None:
    st.session_state[REQUEST] = (fmt, chart)


def _build(fmt: str, chart: str | None, disp: Display, label: str, anonymise: bool):
    """Build one export with a progress bar; None (and a one-line message) when it failed."""
    bar = st.progress(0.0, text=label)

    def progress(done: int, total: int, step: str) -> None:
        share = min(max(done / total, 0.0), 1.0) if total else 0.0
        bar.progress(
            share, text=t("export_progress", disp.lang, done=done, total=total, label=step)
        )

    # only the filtered sessions' tables, read for this file and let go after it (a cached copy
    # of a national programme would stay in the server's memory); report_as masks them for a
    # viewer and audits the export
    tables = store.load_tables(ui.engine(), session_ids=scope.session_ids(ui.current_filters()))
    try:
        return reports.report_as(
            ui.engine(),
            ui.actor(),
            tables,
            fmt,
            ui.current_filters(),
            disp=disp,
            anonymise=anonymise,
            chart=chart,
            progress=progress,
        )
    except reports.ImageExportError as exc:
        st.info(str(exc))
        return None
    finally:
        bar.empty()


def export_panel(disp: Display, page: str, anonymise: bool | None = None) -> None:
    """The export expander for `page` (a key of PAGE_CHARTS); speakers' names are left out when
    `anonymise` says so (by default: the sidebar's switch)."""
    lang = disp.lang
    if anonymise is None:
        anonymise = ui.anonymise()
    with st.expander(t("export_panel", lang), icon=":material/download:"):
        st.caption(t("export_filters_note", lang))
        browser = reports.find_browser() is not None
        chart = st.selectbox(
            t("export_chart", lang),
            (reports.SUMMARY, *PAGE_CHARTS.get(page, ())),
            format_func=lambda name: reports.chart_title(name, lang),
            key="export_chart",
        )
        if not browser:
            st.info(reports.NO_BROWSER_MESSAGE)
        # what a prepared file depends on (who, with which role, included): if any of it
        # changes, the file is stale
        state = (ui.version(), ui.current_filters().key(), anonymise, disp, ui.actor())
        ready: dict = st.session_state.setdefault(READY, {})
        columns = st.columns(len(reports.FORMATS))
        for col, fmt in zip(columns, reports.FORMATS, strict=True):
            image = fmt in ("png", "pdf")
            # a callback, not the return value: the request outlives any rerun before the panel
            col.button(
                SHORT_NAMES[fmt],
                help=t(f"format_{fmt}", lang),
                key=f"export_{fmt}",
                icon=ICONS[fmt],
                width="stretch",
                disabled=image and not browser,
                on_click=_request,
                args=(fmt, chart if image else None),
            )
        request = st.session_state.pop(REQUEST, None)
        if request is not None:
            fmt, wanted = request
            report = _build(fmt, wanted, disp, t(f"format_{fmt}", lang), anonymise)
            if report is not None:
                ready[fmt] = (state, report)
        for fmt in reports.FORMATS:
            entry = ready.get(fmt)
            if entry is None or entry[0] != state:
                continue
            report = entry[1]
            for note in report.notes:
                st.info(note)
            st.download_button(
                t("export_download", lang, name=report.file_name),
                report.data,
                file_name=report.file_name,
                mime=report.mime,
                key=f"export_download_{fmt}",
                icon=":material/download:",
                on_click="ignore",
                type="primary",
            )
