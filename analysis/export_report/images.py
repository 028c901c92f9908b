"""PNG and PDF of any dashboard chart, and a one-page programme summary, through kaleido.

kaleido drives the system's Chromium (Debian ``chromium``; ``.ci/run`` installs it with
``fonts-thai-tlwg``) with the plotly.js that ships with plotly, MathJax off, so nothing is
fetched from the network. Thai labels are drawn with the first installed family of
`IMAGE_FONT_FAMILY`: Sarabun or TH Sarabun New where present, else the TLWG fonts (Loma,
Laksaman) that ``fonts-thai-tlwg`` installs.

Without a browser, `BrowserNotFound` is raised with a one-line Thai + English message that the
dashboard shows with ``st.info`` (the interactive chart's own camera button still works) and the
Word report is written without pictures. Any other failure of the browser is an
`ImageExportError` with what happened.

Chart names are the dashboard's (`CHARTS`): each is drawn by the same frames function and figure
builder as on its page, on the same filtered tables. Text from the records (agency names, themes,
titles) is escaped before plotly sees it, so it is drawn as written and never read as markup.
"""

from __future__ import annotations

import asyncio
import queue
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

import plotly.graph_objects as go

from analysis import figures, frames
from analysis.i18n import format_number
from analysis.safe_text import chart_label

from .content import ReportContent
from .labels import t

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
IMAGE_FONT_FAMILY = (
    "Sarabun, 'TH Sarabun New', 'Noto Sans Thai', Loma, Laksaman, Garuda, Tahoma, sans-serif"
)
NO_BROWSER_MESSAGE = (
    "ไม่พบเบราว์เซอร์ Chromium จึงส่งออกภาพ PNG/PDF ไม่ได้ ติดตั้งแพ็กเกจ chromium "
    "หรือใช้ปุ่มกล้องบนกราฟ (No Chromium found: PNG/PDF export needs the chromium package; "
    "each chart's camera button still downloads it)"
)
IMAGE_FORMATS = ("png", "pdf")
CHART_WIDTH = 1200
CHART_HEIGHT = 560
PNG_SCALE = 2
SUMMARY_SIZE = (1123, 794)  # A4 landscape at 96 px per inch
RENDER_TIMEOUT_S = 90  # per image
START_TIMEOUT_S = 120

Progress = Callable[[int, int, str], None]


class ImageExportError(RuntimeError):
    """The browser could not draw the image; the message says what happened (Thai, English)."""


class BrowserNotFound(ImageExportError):
    """No Chromium on this machine (see `NO_BROWSER_MESSAGE`)."""

    def __init__(self, message: str = NO_BROWSER_MESSAGE) -> None:
        super().__init__(message)


def find_browser() -> str | None:
    """The system Chromium's path (``chromium``, ``chromium-browser`` or ``google-chrome`` on
    PATH), or None."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


# ----------------------------------------------------------------------------- the charts


@dataclass(frozen=True)
class ChartSpec:
    """A dashboard chart: the frames function, its arguments, the figure builder and its title."""

    frame: str
    build: Callable
    title_key: str
    args: tuple = ()


CHARTS: dict[str, ChartSpec] = {
    "sessions_per_month": ChartSpec(
        "sessions_per_month", figures.sessions_per_month_chart, "chart_sessions_per_month"
    ),
    "sessions_per_fiscal_year": ChartSpec(
        "sessions_per_fiscal_year", figures.sessions_per_fiscal_year_chart, "chart_sessions_per_fy"
    ),
    "sessions_per_province": ChartSpec(
        "sessions_per_province", figures.sessions_per_province_chart, "chart_sessions_per_province"
    ),
    "participation_by_agency": ChartSpec(
        "participation_by_agency", figures.participation_chart, "chart_participation"
    ),
    "share_of_voice_by_agency": ChartSpec(
        "participation_by_agency", figures.share_of_voice_chart, "chart_share_of_voice"
    ),
    "share_of_voice_by_role": ChartSpec(
        "share_of_voice_by_role", figures.share_of_voice_by_role_chart, "chart_voice_by_role"
    ),
    "agency_theme_matrix": ChartSpec(
        "agency_theme_matrix", figures.agency_theme_chart, "chart_agency_theme"
    ),
    "agency_coattendance": ChartSpec(
        "agency_coattendance", figures.coattendance_chart, "chart_coattendance"
    ),
    "agency_trend": ChartSpec("agency_trend", figures.agency_trend_chart, "chart_agency_trend"),
    "theme_counts": ChartSpec("theme_counts", figures.theme_counts_chart, "chart_theme_counts"),
    "themes_over_time": ChartSpec(
        "themes_over_time",
        figures.themes_over_time_chart,
        "chart_themes_over_time",
        ("fiscal_year",),
    ),
    "themes_over_time_month": ChartSpec(
        "themes_over_time",
        figures.themes_over_time_chart,
        "chart_themes_over_time_month",
        ("month",),
    ),
    "themes_by_agency": ChartSpec(
        "themes_by_agency_counted", figures.themes_by_agency_chart, "chart_themes_by_agency"
    ),
    "themes_by_province": ChartSpec(
        "themes_by_province", figures.themes_by_province_chart, "chart_themes_by_province"
    ),
    "theme_cooccurrence": ChartSpec(
        "theme_cooccurrence", figures.theme_cooccurrence_chart, "chart_theme_cooccurrence"
    ),
    "key_phrases": ChartSpec("key_phrases", figures.key_phrases_chart, "chart_key_phrases"),
    "recommendations_by_category": ChartSpec(
        "recommendations_by_category",
        figures.recommendations_by_category_chart,
        "chart_recs_by_category",
    ),
}
SUMMARY = "summary"
CHART_NAMES = (SUMMARY, *CHARTS)


def chart_title(name: str, lang: str = "th") -> str:
    """A chart's title as the dashboard writes it (for menus and file names)."""
    if name == SUMMARY:
        return t("chart_summary", lang)
    return t(CHARTS[name].title_key, lang)


def chart_figure(content: ReportContent, name: str) -> go.Figure:
    """The dashboard's figure for chart `name` on the export's filtered tables, ready to draw."""
    if name == SUMMARY:
        return summary_figure(content)
    if name not in CHARTS:
        raise ValueError(
            f"ไม่รู้จักกราฟ “{name}” ใช้ {', '.join(CHART_NAMES)} "
            f"(unknown chart “{name}”: use one of {', '.join(CHART_NAMES)})"
        )
    spec = CHARTS[name]
    frame = getattr(frames, spec.frame)(content.tables, *spec.args)
    return for_static(spec.build(frame, content.disp))


def for_static(fig: go.Figure) -> go.Figure:
    """A copy of a dashboard figure for a static image, in the Thai font family that the export
    machine has (the builders already escaped every label from the data)."""
    fig = go.Figure(fig)
    margin = fig.layout.margin
    fig.update_layout(
        margin=dict(l=(margin.l or 10) + 20, r=(margin.r or 10) + 20),
        font_family=IMAGE_FONT_FAMILY,
        title_font_family=IMAGE_FONT_FAMILY,
        legend_font_family=IMAGE_FONT_FAMILY,
        hoverlabel_font_family=IMAGE_FONT_FAMILY,
    )
    return fig


def _size(fig: go.Figure, name: str) -> tuple[int, int]:
    if name == SUMMARY:
        return SUMMARY_SIZE
    return CHART_WIDTH, int(fig.layout.height or CHART_HEIGHT)


# ----------------------------------------------------------------------------- the summary


def summary_figure(content: ReportContent) -> go.Figure:
    """The programme on one A4 landscape page: headline numbers and four small charts
    (participation, sessions per fiscal year, themes, recommendations by category)."""
    disp = content.disp
    m = content.metrics
    e = chart_label
    fig = go.Figure()
    fig.update_layout(
        template=figures.TEMPLATE_NAME,
        width=SUMMARY_SIZE[0],
        height=SUMMARY_SIZE[1],
        margin=dict(l=30, r=30, t=30, b=50),
        showlegend=False,
        font_family=IMAGE_FONT_FAMILY,
        font_size=12,
        barmode="overlay",
    )
    notes = [content.period_text, content.filter_text]
    if content.speaker_note():
        notes.append(content.speaker_note())
    fig.add_annotation(
        text=f"<b>{e(content.t('slide_summary'))} · {e(figures.clip(content.programme, 70))}</b>",
        x=0,
        y=1.0,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font=dict(size=22, color="#1f2a30"),
    )
    fig.add_annotation(
        text=e(" · ".join(figures.clip(n, 90) for n in notes)),
        x=0,
        y=0.955,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font=dict(size=13, color="#5b6b73"),
    )
    items = figures.metrics_table(m, disp).itertuples(index=False)  # the Present page's numbers
    items = [(str(label), value) for label, value in items]
    for i, (label, value) in enumerate(items):
        percent = label.endswith(" (%)")
        fig.add_trace(
            go.Indicator(
                mode="number",
                value=value,
                number=dict(
                    valueformat=",d",
                    suffix="%" if percent else "",
                    font=dict(size=34, color=figures.COLORWAY[i % len(figures.COLORWAY)]),
                ),
                title=dict(text=e(label.removesuffix(" (%)")), font=dict(size=13)),
                domain=dict(x=[i / len(items) + 0.01, (i + 1) / len(items) - 0.01], y=[0.72, 0.88]),
            )
        )
    part = content.participation.head(10)
    fy = content.sessions_per_fiscal_year
    themes = content.theme_counts.head(8)
    cats = content.recommendations_by_category
    panels = [  # (title, axis suffix, x domain, y domain)
        (disp.t("chart_participation"), "", [0.20, 0.47], [0.37, 0.64]),
        (disp.t("chart_sessions_per_fy"), "2", [0.62, 0.99], [0.37, 0.64]),
        (disp.t("chart_theme_counts"), "3", [0.20, 0.47], [0.0, 0.27]),
        (
            f"{disp.t('chart_recs_by_category')} ({content.t('acted_on_green')})",
            "4",
            [0.72, 0.99],
            [0.0, 0.27],
        ),
    ]
    bar = dict(
        orientation="h", marker_color=figures.ACCENT, textposition="outside", cliponaxis=False
    )
    fig.add_bar(
        y=e([figures.short(a, 28) for a in part["agency"]]),
        x=part["sessions"],
        text=part["sessions"],
        xaxis="x",
        yaxis="y",
        **bar,
    )
    fig.add_bar(
        x=[disp.fiscal_year(y).split()[-1] for y in fy["fiscal_year"]],
        y=fy["sessions"],
        text=fy["sessions"],
        textposition="outside",
        cliponaxis=False,
        marker_color=figures.ACCENT,
        xaxis="x2",
        yaxis="y2",
    )
    fig.add_bar(
        y=e([figures.short(figures.theme_label(x, disp), 28) for x in themes["theme"]]),
        x=themes["sessions"],
        text=themes["sessions"],
        xaxis="x3",
        yaxis="y3",
        **bar,
    )
    cat_labels = e([figures.short(figures.category_label(c, disp), 30) for c in cats["category"]])
    fig.add_bar(
        y=cat_labels,
        x=cats["recommendations"],
        text=cats["recommendations"],
        xaxis="x4",
        yaxis="y4",
        **{**bar, "marker_color": "#9ccbdb"},
    )
    fig.add_bar(
        y=cat_labels,
        x=cats["acted_on"],
        orientation="h",
        xaxis="x4",
        yaxis="y4",
        marker_color=figures.ACTED_ON_COLOR,
    )
    fig.update_traces(textfont_size=11, selector=dict(type="bar"))
    for title, n, xd, yd in panels:
        horizontal = n != "2"
        x_axis = dict(domain=xd, anchor=f"y{n}", automargin=False, tickfont_size=11)
        y_axis = dict(domain=yd, anchor=f"x{n}", automargin=False, tickfont_size=11)
        if horizontal:
            y_axis.update(autorange="reversed", type="category")
        else:
            x_axis.update(
                type="category",
                tickangle=0,
                title=dict(text=e(disp.column("fiscal_year")), font_size=11, standoff=4),
            )
        fig.update_layout({f"xaxis{n}": x_axis, f"yaxis{n}": y_axis})
        fig.add_annotation(
            text=f"<b>{e(title)}</b>",
            x=0 if xd[0] < 0.5 else 0.53,
            y=yd[1] + 0.035,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            font=dict(size=14),
        )
    fig.add_annotation(
        text=e(
            f"{content.t('generated_on')} {disp.date(content.today)} · "
            f"{content.t('metric_acted_on')} {format_number(m['acted_on'])} / "
            f"{format_number(m['recommendations'])} · Sangkhro"
        ),
        x=1,
        y=-0.045,
        xref="paper",
        yref="paper",
        xanchor="right",
        yanchor="top",
        showarrow=False,
        font=dict(size=10, color="#6b7b83"),
    )
    return fig


# ----------------------------------------------------------------------------- drawing


def render(
    figs: list[go.Figure],
    fmt: str,
    sizes: list[tuple[int, int]],
    scale: float = 1,
    progress: Progress | None = None,
    label: str = "",
) -> list[bytes]:
    """Draw figures as PNG or PDF bytes with one browser (started once for all of them)."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"ไม่รู้จักรูปแบบภาพ “{fmt}” (unknown image format “{fmt}”: png or pdf)")
    browser = find_browser()
    if browser is None:
        raise BrowserNotFound()
    import kaleido
    from kaleido import errors as kerrors

    total = len(figs) + 1
    step = label or t("step_chart_images")
    drawn: queue.Queue[int] = queue.Queue()  # the browser thread's progress, for this thread
    payloads = [fig.to_dict() for fig in figs]

    async def draw() -> list[bytes]:
        out = []
        async with kaleido.Kaleido(path=browser, n=1, mathjax=False, timeout=RENDER_TIMEOUT_S) as k:
            drawn.put(1)
            for i, (fig, (width, height)) in enumerate(zip(payloads, sizes, strict=True), start=2):
                opts = dict(format=fmt, width=width, height=height, scale=scale)
                out.append(await k.calc_fig(fig, opts=opts))
                drawn.put(i)
        return out

    def report_progress() -> None:
        while not drawn.empty():
            done = drawn.get_nowait()
            if progress:
                progress(done, total, step)

    if progress:
        progress(0, total, t("step_browser"))
    budget = START_TIMEOUT_S + RENDER_TIMEOUT_S * len(figs)
    deadline = time.monotonic() + budget
    # A thread of its own: asyncio.run needs a thread without a running event loop. Progress is
    # passed back through a queue and reported from this thread, since a caller such as a
    # Streamlit page may only update its widgets from the thread that runs it.
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(asyncio.run, draw())
    try:
        while True:
            try:
                result = future.result(timeout=0.2)
                break
            except FutureTimeout:
                report_progress()
                if time.monotonic() > deadline:
                    raise ImageExportError(
                        f"เบราว์เซอร์วาดภาพไม่เสร็จใน {budget} วินาที (the browser did not finish "
                        f"drawing within {budget} s)"
                    ) from None
        report_progress()
        return result
    except (kerrors.ChromeNotFoundError, FileNotFoundError) as exc:
        raise BrowserNotFound() from exc
    except (
        kerrors.BrowserFailedError,
        kerrors.BrowserClosedError,
        kerrors.KaleidoError,
        kerrors.JavascriptError,
        OSError,
        RuntimeError,
        asyncio.TimeoutError,
    ) as exc:
        if isinstance(exc, ImageExportError):
            raise
        raise ImageExportError(
            f"วาดภาพไม่สำเร็จ (could not draw the image): {type(exc).__name__}: {exc}"
        ) from exc
    finally:
        pool.shutdown(wait=False)


def build_image(
    content: ReportContent, fmt: str, chart: str = SUMMARY, progress: Progress | None = None
) -> bytes:
    """One chart (or the one-page summary) as PNG (scale 2, crisp on slides) or PDF."""
    fig = chart_figure(content, chart)
    scale = PNG_SCALE if fmt == "png" else 1
    return render(
        [fig], fmt, [_size(fig, chart)], scale, progress, chart_title(chart, content.lang)
    )[0]


DOCUMENT_WIDTH = 760  # px across 16 cm of A4 text width: the chart's 14 px type prints at ~8 pt
DOCUMENT_CHARTS = (
    "participation_by_agency",
    "sessions_per_month",
    "theme_counts",
    "recommendations_by_category",
)


def document_images(content: ReportContent, progress: Progress | None = None) -> dict[str, bytes]:
    """PNG of the charts the Word report shows, by chart name (raises BrowserNotFound)."""
    figs = [chart_figure(content, name) for name in DOCUMENT_CHARTS]
    sizes = [(DOCUMENT_WIDTH, min(int(f.layout.height or CHART_HEIGHT), 640)) for f in figs]
    images = render(figs, "png", sizes, PNG_SCALE, progress)
    return dict(zip(DOCUMENT_CHARTS, images, strict=True))
