"""Plotly figures for the frames of `analysis.frames`: one template, one Thai-capable font family.

Every builder takes a frame and a `Display` (language, era) and returns a `go.Figure`; an empty
frame gives a figure that says so instead of an error. Dates on axes are shown in the Buddhist
era by default (``พ.ย. 2548``). `display_table` turns any frame into the plain table shown under a
chart (labels translated, BE dates), which is also what the CSV download holds. Labels and hover
texts taken from the records are escaped (`plain_labels`): plotly would read HTML in them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analysis.i18n import DEFAULT_DISPLAY, Display
from analysis.safe_text import chart_label, neutralise_frame

FONT_FAMILY = "Sarabun, 'Noto Sans Thai', 'Noto Sans Thai UI', Loma, Garuda, Tahoma, sans-serif"
COLORWAY = [
    "#1b6f8a",
    "#e07a2e",
    "#4b9b5e",
    "#b8475a",
    "#7a5aa6",
    "#c9a227",
    "#3a8fd1",
    "#8c6d4f",
    "#2a9d8f",
    "#d1495b",
]
ACCENT = COLORWAY[0]
ACTED_ON_COLOR = COLORWAY[2]
HEAT_SCALE = [[0.0, "#f4f8fa"], [0.35, "#9ccbdb"], [1.0, "#12475b"]]
TEMPLATE_NAME = "sangkhro"
MAX_BARS = 20
LABEL_CHARS = 32

pio.templates[TEMPLATE_NAME] = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT_FAMILY, size=14, color="#1f2a30"),
        title=dict(font=dict(family=FONT_FAMILY, size=18), x=0, xanchor="left"),
        colorway=COLORWAY,
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=14)),
        legend=dict(font=dict(family=FONT_FAMILY, size=13)),
        xaxis=dict(gridcolor="#e6ecef", zerolinecolor="#cfd8dc", automargin=True),
        yaxis=dict(gridcolor="#e6ecef", zerolinecolor="#cfd8dc", automargin=True),
        margin=dict(l=10, r=10, t=50, b=10),
    )
)


# ----------------------------------------------------------------------------- labels


def short(label, limit: int = LABEL_CHARS) -> str:
    """A label cut to `limit` characters with an ellipsis (the full one goes in the hover)."""
    text = "" if label is None or (isinstance(label, float) and math.isnan(label)) else str(label)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def category_label(category: str, disp: Display) -> str:
    """A recommendation category's label from the codebook ("" = uncategorised)."""
    if not category:
        return disp.t("recs_uncategorised")
    from analysis import codebook

    try:
        return codebook.category_label(category, disp.lang)
    except (KeyError, ValueError):
        return category


def theme_label(theme: str, disp: Display) -> str:
    """A theme as shown: the Thai label, or the codebook's English one with the English switch."""
    if disp.lang == "th" or not theme:
        return theme
    from analysis import codebook

    try:
        return codebook.theme_label(theme, disp.lang) or theme
    except (KeyError, ValueError):
        return theme


TRANSLATED_COLUMNS = frozenset((
    "theme", "agency", "province", "other", "speaker_role", "category", "categories",
    "session_date", "end_date", "due_date", "imported_at", "reviewed_at", "month", "fiscal_year",
    "kind", "status", "review_state", "share", "share_of_voice",
))  # fmt: skip


def _value(name: str, value, disp: Display):
    if value is None or (not isinstance(value, tuple | list) and pd.isna(value)):
        if name in ("province", "agency", "agency_canonical", "speaker"):
            return disp.t("unknown")
        return ""
    if name in ("session_date", "end_date", "due_date", "imported_at", "reviewed_at"):
        return disp.date(value)
    if name == "month":
        return disp.month(value)
    if name == "fiscal_year":
        return disp.fiscal_year(value)
    if name == "kind":
        return disp.kind(value)
    if name == "speaker_role":
        return disp.role(value)
    if name == "status":
        return disp.status(value)
    if name == "review_state":
        return disp.review_state(value)
    if name == "category":
        return category_label(value, disp)
    if name == "categories":
        return " · ".join(category_label(c, disp) for c in value)
    if name in ("theme", "other") and disp.lang == "en":
        return theme_label(value, disp)
    if name in ("share", "share_of_voice"):
        return round(100 * float(value), 1)
    return value


def display_table(frame: pd.DataFrame, disp: Display = DEFAULT_DISPLAY) -> pd.DataFrame:
    """The plain table of a frame: labelled columns, translated codes, BE dates, shares in %.

    A matrix (named index, as the heatmap frames are) becomes a table with the index as its
    first column. `period` columns are shown as fiscal years (ints) or months (timestamps).
    """
    df = frame.copy()
    if df.index.name is not None:
        df = df.reset_index()
    out = {}
    for col in df.columns:
        name = str(col)
        series = df[col]
        if name == "period":
            kind = "month" if pd.api.types.is_datetime64_any_dtype(series) else "fiscal_year"
            values = [_value(kind, v, disp) for v in series]
            label = disp.column(kind)
        else:
            if name in TRANSLATED_COLUMNS or series.isna().any():
                values = [_value(name, v, disp) for v in series]
            else:
                values = series.tolist()
            label = disp.column(name)
            if label == name and disp.lang == "en":  # a theme as a matrix column
                label = theme_label(name, disp)
            if name in ("share", "share_of_voice"):
                label += " (%)"
        out[label] = values
    return pd.DataFrame(out)


def csv_bytes(frame: pd.DataFrame, disp: Display = DEFAULT_DISPLAY) -> bytes:
    """The plain table as CSV, UTF-8 with a BOM so that Excel shows Thai correctly; no text cell
    can run as a formula (`safe_text.neutralise_frame`)."""
    return neutralise_frame(display_table(frame, disp)).to_csv(index=False).encode("utf-8-sig")


# ----------------------------------------------------------------------------- building blocks

LABEL_ATTRS = ("x", "y", "text", "name", "hovertext", "labels")


def escape_labels(fig: go.Figure) -> go.Figure:
    """Every label and hover text from the data escaped in place (`safe_text.chart_label`):
    plotly reads ``<a href>``, ``<b>``, ``<span style>`` in them as markup, and a record's
    agency, theme or speaker must show as written, never as a live link. customdata (what a
    click hands back to the page) is left as it is."""
    for trace in fig.data:
        for attr in LABEL_ATTRS:
            value = getattr(trace, attr, None) if attr in trace else None
            if value is None:
                continue
            value = list(value) if not isinstance(value, str) else value
            if isinstance(value, str) or any(isinstance(v, str) for v in value):
                trace[attr] = chart_label(value)
    return fig


def plain_labels(build: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    """A figure builder whose figures show data labels as plain text (`escape_labels`)."""

    @functools.wraps(build)
    def built(*args, **kwargs) -> go.Figure:
        return escape_labels(build(*args, **kwargs))

    return built


def _figure(title: str, height: int = 380) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE_NAME, title=dict(text=title), height=height)
    return fig


def empty_figure(title: str, disp: Display, height: int = 300) -> go.Figure:
    """A figure that says there is no data for these filters."""
    fig = _figure(title, height)
    fig.add_annotation(
        text=disp.t("no_data"),
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font=dict(size=18, color="#6b7b83"),
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _hbar(
    labels: list,
    values: list,
    title: str,
    disp: Display,
    hover: list | None = None,
    value_label: str = "",
    text: list | None = None,
    customdata: list | None = None,
) -> go.Figure:
    """Horizontal bars, biggest on top; labels shortened (full text in the hover)."""
    n = len(labels)
    fig = _figure(title, height=max(260, 60 + 30 * n))
    fig.add_bar(
        x=values[::-1],
        y=[short(v) for v in labels][::-1],
        orientation="h",
        marker_color=ACCENT,
        text=(text or values)[::-1],
        textposition="outside",
        textangle=0,
        cliponaxis=False,
        customdata=(customdata or labels)[::-1],
        hovertext=(hover or labels)[::-1],
        hovertemplate="%{hovertext}: %{x}<extra></extra>",
    )
    fig.update_layout(
        xaxis_title=value_label, yaxis=dict(type="category"), bargap=0.25, margin=dict(r=70)
    )
    if value_label != "%" and all(float(v).is_integer() for v in values if pd.notna(v)):
        count_axis(fig, values, "x")
    return fig


def count_axis(fig: go.Figure, values, axis: str = "y") -> None:
    """Whole-number ticks on a count axis (no 0.5 sessions), starting at zero."""
    top = max([int(v) for v in values if pd.notna(v)] or [0])
    settings = dict(rangemode="tozero", tickformat=",d")
    if top <= 8:
        settings["dtick"] = 1
    (fig.update_yaxes if axis == "y" else fig.update_xaxes)(**settings)


def heatmap(matrix: pd.DataFrame, title: str, disp: Display) -> go.Figure:
    """A count matrix (rows × columns) as a heatmap with the counts written in the cells."""
    if matrix.empty or matrix.to_numpy().sum() == 0:
        return empty_figure(title, disp)
    rows = [theme_label(r, disp) if disp.lang == "en" else r for r in matrix.index]
    cols = [theme_label(c, disp) if disp.lang == "en" else c for c in matrix.columns]
    z = matrix.to_numpy()
    fig = _figure(title, height=max(320, 120 + 32 * len(rows)))
    fig.add_heatmap(
        z=z,
        x=[short(c, 22) for c in cols],
        y=[short(r, 30) for r in rows],
        customdata=[[[r, c] for c in matrix.columns] for r in matrix.index],
        colorscale=HEAT_SCALE,
        text=z,
        texttemplate="%{text}",
        hovertemplate="%{y} × %{x}: %{z}<extra></extra>",
        showscale=False,
        xgap=2,
        ygap=2,
    )
    fig.update_layout(
        xaxis=dict(side="top", tickangle=-35, type="category", showgrid=False),
        yaxis=dict(autorange="reversed", type="category", showgrid=False),
        margin=dict(t=140),
    )
    return fig


def _be_month_axis(fig: go.Figure, months: pd.Series, disp: Display) -> None:
    """Tick labels of a monthly date axis in the chosen era (BE by default)."""
    if months.empty:
        return
    first, last = months.min(), months.max()
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    step = 1 if span <= 12 else 3 if span <= 36 else 6 if span <= 72 else 12
    ticks = [m for m in months if (m.month - 1) % step == 0] if step > 1 else list(months)
    if step == 12:
        ticks = [m for m in months if m.month == 1] or [first]
    fig.update_xaxes(
        tickvals=ticks,
        ticktext=[str(disp.month(m)) if step < 12 else disp.month(m).split(" ")[-1] for m in ticks],
        tickangle=0 if step >= 6 else -45,
    )


# ----------------------------------------------------------------------------- overview


@plain_labels
def sessions_per_month_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    title = disp.t("chart_sessions_per_month")
    if frame.empty:
        return empty_figure(title, disp)
    fig = _figure(title)
    labels = [disp.month(m) for m in frame["month"]]
    fig.add_bar(
        x=frame["month"],
        y=frame["sessions"],
        marker_color=ACCENT,
        customdata=labels,
        hovertemplate="%{customdata}: %{y}<extra></extra>",
    )
    _be_month_axis(fig, frame["month"], disp)
    fig.update_layout(yaxis_title=disp.column("sessions"), bargap=0.1)
    count_axis(fig, frame["sessions"])
    return fig


@plain_labels
def sessions_per_fiscal_year_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    title = disp.t("chart_sessions_per_fy")
    if frame.empty:
        return empty_figure(title, disp)
    fig = _figure(title)
    labels = [disp.fiscal_year(y) for y in frame["fiscal_year"]]
    fig.add_bar(
        x=labels,
        y=frame["sessions"],
        marker_color=ACCENT,
        text=frame["sessions"],
        textposition="auto",
        customdata=frame["fiscal_year"],
        hovertemplate="%{x}: %{y}<extra></extra>",
    )
    fig.update_layout(xaxis=dict(type="category"), yaxis_title=disp.column("sessions"))
    count_axis(fig, frame["sessions"])
    return fig


@plain_labels
def sessions_per_province_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    title = disp.t("chart_sessions_per_province")
    if frame.empty:
        return empty_figure(title, disp)
    top = frame.head(MAX_BARS)
    labels = [_value("province", p, disp) for p in top["province"]]
    return _hbar(
        labels,
        top["sessions"].tolist(),
        title,
        disp,
        value_label=disp.column("sessions"),
        customdata=top["province"].tolist(),
    )


# ----------------------------------------------------------------------------- agencies


@plain_labels
def participation_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    """Sessions attended per agency (top 20), with turns and share of voice in the hover."""
    title = disp.t("chart_participation")
    if frame.empty:
        return empty_figure(title, disp)
    top = frame.head(MAX_BARS)
    hover = [
        f"{a} — {disp.column('turns')} {t:,} · {disp.column('share_of_voice')} {100 * s:.1f}%"
        for a, t, s in zip(top["agency"], top["turns"], top["share_of_voice"], strict=True)
    ]
    return _hbar(
        top["agency"].tolist(),
        top["sessions"].tolist(),
        title,
        disp,
        hover=hover,
        value_label=disp.column("sessions"),
    )


@plain_labels
def share_of_voice_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    """Share of voice (characters spoken) per agency, top 20, in percent."""
    title = disp.t("chart_share_of_voice")
    top = frame[frame["chars"] > 0].sort_values("chars", ascending=False).head(MAX_BARS)
    if top.empty:
        return empty_figure(title, disp)
    pct = [round(100 * s, 1) for s in top["share_of_voice"]]
    return _hbar(
        top["agency"].tolist(), pct, title, disp, value_label="%", text=[f"{p:.1f}%" for p in pct]
    )


@plain_labels
def share_of_voice_by_role_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    title = disp.t("chart_voice_by_role")
    if frame.empty or frame["chars"].sum() == 0:
        return empty_figure(title, disp)
    labels = [disp.role(r) for r in frame["speaker_role"]]
    pct = [round(100 * s, 1) for s in frame["share_of_voice"]]
    fig = _hbar(
        labels,
        pct,
        title,
        disp,
        value_label="%",
        text=[f"{p:.1f}%" for p in pct],
        customdata=frame["speaker_role"].tolist(),
    )
    fig.update_traces(marker_color=[COLORWAY[i % len(COLORWAY)] for i in range(len(pct))][::-1])
    return fig


@plain_labels
def agency_theme_chart(matrix: pd.DataFrame, disp: Display) -> go.Figure:
    return heatmap(matrix, disp.t("chart_agency_theme"), disp)


@plain_labels
def coattendance_chart(matrix: pd.DataFrame, disp: Display) -> go.Figure:
    return heatmap(matrix, disp.t("chart_coattendance"), disp)


def _lines(frame: pd.DataFrame, x: str, series: str, title: str, disp: Display) -> go.Figure:
    if frame.empty:
        return empty_figure(title, disp)
    fig = _figure(title, height=420)
    is_month = pd.api.types.is_datetime64_any_dtype(frame[x])
    for name, part in frame.groupby(series, sort=False):
        label = theme_label(name, disp) if series == "theme" else name
        xs = part[x] if is_month else [disp.fiscal_year(v) for v in part[x]]
        fig.add_scatter(
            x=xs,
            y=part["sessions"],
            mode="lines+markers",
            name=short(label, 28),
            customdata=[[name, v] for v in (part[x].astype(str) if is_month else part[x])],
            hovertext=[short(label, 40)] * len(part),
            hovertemplate="%{hovertext} · %{x}: %{y}<extra></extra>",
        )
    if is_month:
        _be_month_axis(fig, pd.Series(sorted(frame[x].unique())), disp)
    else:
        fig.update_xaxes(type="category")
    fig.update_layout(
        yaxis_title=disp.column("sessions"),
        legend=dict(orientation="h", yanchor="top", y=-0.15, x=0),
    )
    count_axis(fig, frame["sessions"])
    return fig


@plain_labels
def agency_trend_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    return _lines(frame, "fiscal_year", "agency", disp.t("chart_agency_trend"), disp)


# ----------------------------------------------------------------------------- themes


@plain_labels
def theme_counts_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    title = disp.t("chart_theme_counts")
    if frame.empty:
        return empty_figure(title, disp)
    top = frame.head(MAX_BARS)
    labels = [theme_label(t, disp) for t in top["theme"]]
    text = [f"{n} ({100 * s:.0f}%)" for n, s in zip(top["sessions"], top["share"], strict=True)]
    return _hbar(
        labels,
        top["sessions"].tolist(),
        title,
        disp,
        text=text,
        value_label=disp.column("sessions"),
        customdata=top["theme"].tolist(),
    )


@plain_labels
def themes_over_time_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    return _lines(frame, "period", "theme", disp.t("chart_themes_over_time"), disp)


@plain_labels
def themes_by_agency_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    """Stacked horizontal bars: sessions per theme, one colour per agency."""
    title = disp.t("chart_themes_by_agency")
    if frame.empty or frame["sessions"].sum() == 0:
        return empty_figure(title, disp)
    themes = list(dict.fromkeys(frame["theme"]))
    fig = _figure(title, height=max(320, 120 + 34 * len(themes)))
    for agency, part in frame.groupby("agency", sort=False):
        part = part.set_index("theme").reindex(themes).fillna(0)
        fig.add_bar(
            y=[short(theme_label(t, disp), 30) for t in themes][::-1],
            x=part["sessions"].tolist()[::-1],
            orientation="h",
            name=short(agency, 28),
            customdata=[[t, agency] for t in themes][::-1],
            hovertext=[short(agency, 40)] * len(themes),
            hovertemplate="%{hovertext} · %{y}: %{x}<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        xaxis_title=disp.column("sessions"),
        yaxis=dict(type="category"),
        legend=dict(orientation="v", yanchor="top", y=1, x=1.02),
    )
    return fig


@plain_labels
def themes_by_province_chart(matrix: pd.DataFrame, disp: Display) -> go.Figure:
    return heatmap(matrix, disp.t("chart_themes_by_province"), disp)


@plain_labels
def theme_cooccurrence_chart(matrix: pd.DataFrame, disp: Display) -> go.Figure:
    return heatmap(matrix, disp.t("chart_theme_cooccurrence"), disp)


@plain_labels
def key_phrases_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    title = disp.t("chart_key_phrases")
    if frame.empty:
        return empty_figure(title, disp)
    hover = [
        f"{p} — {disp.column('sessions')} {n}"
        for p, n in zip(frame["phrase"], frame["sessions"], strict=True)
    ]
    return _hbar(
        frame["phrase"].tolist(),
        frame["score"].round(2).tolist(),
        title,
        disp,
        hover=hover,
        value_label=disp.column("score"),
    )


# ----------------------------------------------------------------------------- recommendations


@plain_labels
def recommendations_by_category_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    """Recommendations per category, with the acted-on part drawn over them."""
    title = disp.t("chart_recs_by_category")
    if frame.empty:
        return empty_figure(title, disp)
    labels = [short(category_label(c, disp), 40) for c in frame["category"]][::-1]
    fig = _figure(title, height=max(280, 80 + 40 * len(frame)))
    fig.add_bar(
        y=labels,
        x=frame["recommendations"].tolist()[::-1],
        orientation="h",
        name=disp.column("recommendations"),
        marker_color="#9ccbdb",
        customdata=frame["category"].tolist()[::-1],
        text=frame["recommendations"].tolist()[::-1],
        textposition="outside",
        hovertemplate="%{y}: %{x}<extra></extra>",
    )
    fig.add_bar(
        y=labels,
        x=frame["acted_on"].tolist()[::-1],
        orientation="h",
        name=disp.t("metric_acted_on"),
        marker_color=ACTED_ON_COLOR,
        customdata=frame["category"].tolist()[::-1],
        hovertemplate="%{y}: %{x}<extra></extra>",
    )
    fig.update_layout(
        barmode="overlay",
        yaxis=dict(type="category"),
        legend=dict(orientation="h", yanchor="top", y=-0.1, x=0),
    )
    return fig


# ----------------------------------------------------------------------------- projector


def _summary_items(metrics: dict) -> list[tuple[str, int]]:
    return [
        ("metric_sessions", metrics["sessions"]),
        ("metric_participants", metrics["participants"]),
        ("metric_agencies", metrics["agencies"]),
        ("metric_recommendations", metrics["recommendations"]),
        ("metric_acted_on", metrics["acted_on"]),
        ("metric_reviewed", round(100 * metrics["reviewed_share"])),
    ]


def metrics_table(metrics: dict, disp: Display) -> pd.DataFrame:
    """The headline numbers as a two-column table (the summary slide's plain-table view)."""
    return pd.DataFrame(
        [
            {
                disp.column("field"): disp.t(key) + (" (%)" if key == "metric_reviewed" else ""),
                disp.column("value"): value,
            }
            for key, value in _summary_items(metrics)
        ]
    )


def for_projector(fig: go.Figure) -> go.Figure:
    """The same figure for a projector: big type, thicker everything, taller."""
    fig = go.Figure(fig)
    fig.update_layout(
        font=dict(size=24),
        title=dict(font=dict(size=38)),
        hoverlabel=dict(font=dict(size=22)),
        legend=dict(font=dict(size=20)),
        height=max(620, int((fig.layout.height or 400) * 1.4)),
        margin=dict(l=20, r=20, t=90, b=20),
    )
    fig.update_traces(textfont_size=22, selector=dict(type="bar"))
    fig.update_traces(textfont_size=20, selector=dict(type="heatmap"))
    fig.update_traces(line_width=4, marker_size=12, selector=dict(type="scatter"))
    return fig


def for_slide(fig: go.Figure, scale: float = 1.0) -> go.Figure:
    """The same figure for a Present slide: the page shows the title above it and sizes it to the
    screen (no height of its own), type as big as the number of bars leaves room for on a
    720-pixel-high screen, times `scale` on a taller one."""
    fig = go.Figure(fig)
    bars = max(
        (
            len(t.y)
            for t in fig.data
            if t.type == "bar" and t.orientation == "h" and t.y is not None
        ),
        default=0,
    )
    size = round((24 if bars <= 8 else 20 if bars <= 14 else 16) * scale)
    fig.update_layout(
        title_text="",
        height=None,
        autosize=True,
        font=dict(size=size),
        hoverlabel=dict(font=dict(size=size)),
        legend=dict(font=dict(size=size)),
        margin=dict(l=10, r=round(70 * scale), t=10, b=10),
    )
    fig.update_xaxes(title_font_size=size, tickfont_size=size)
    fig.update_yaxes(title_font_size=size, tickfont_size=size)
    fig.update_traces(textfont_size=size, selector=dict(type="bar"))
    fig.update_traces(line_width=4, marker_size=12, selector=dict(type="scatter"))
    return fig
