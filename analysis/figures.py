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
import re
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analysis.i18n import DEFAULT_DISPLAY, Display, format_datetime
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
DIAGONAL_GREY = "#e3e6e8"  # a heatmap diagonal left out of the colour scale
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


def clip(label, limit: int) -> str:
    """A label cut to `limit` characters with an ellipsis: only for one line of a fixed layout
    (a title over a drawn image), never for chart labels (`short`)."""
    text = "" if label is None or (isinstance(label, float) and math.isnan(label)) else str(label)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def short(label, limit: int = LABEL_CHARS) -> str:
    """A label made to fit `limit` characters a line: wrapped between words (`wrap`), never cut
    with "…". A chart shows the breaks as lines (`safe_text.chart_label`), a select box or a
    spreadsheet as spaces or line breaks; the full label still goes in the hover."""
    return wrap(label, limit)


# issue 12 — polish: chart labels wrapped between words instead of cut
LINE_BREAK = "\n"  # `safe_text.chart_label` turns it into plotly's <br> after escaping the text
LINE_HEIGHT = 16  # px a wrapped category label needs per added line
_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")  # Thai marks above/below: no width
_OPENING = "([{“‘«"
_CLOSING = ")]}”’»,.;:!?ๆ"


def _width(text: str) -> int:
    return len(text) - len(_MARKS.findall(text))


def _pieces(text: str, width: int) -> list[str]:
    """Words and spaces of `text`; a project term longer than `width` (an agency's full name)
    in the general dictionary's smaller words."""
    from analysis.phrases import general_words, segment

    words: list[str] = []
    for word in segment(text, keep_whitespace=True):
        words += general_words(word) if _width(word) > width else [word]
    out: list[str] = []  # an opening bracket stays with the word after it, closing with before
    for word in words:
        if out and (out[-1][-1] in _OPENING or (word[0] in _CLOSING and not out[-1].isspace())):
            out[-1] += word
        else:
            out.append(word)
    return out


@functools.lru_cache(maxsize=4096)
def _wrapped(text: str, width: int) -> str:
    """`text` (whitespace already single spaces) in lines; a line broken at a space keeps it at
    its end, so removing the breaks gives `text` back."""
    lines, line = [], ""
    for word in _pieces(text, width):
        if line.strip() and not word.isspace() and _width(line.rstrip() + word) > width:
            lines.append(line)
            line = word.lstrip()
        else:
            line += word
    lines.append(line)
    return LINE_BREAK.join(x for x in lines if x.strip())


def fit_wrapped_labels(fig: go.Figure) -> go.Figure:
    """A chart made room for its wrapped labels (after `escape_labels`, breaks are ``<br>``):
    `LINE_HEIGHT` more height per added line of its y categories (bars, heatmap rows), and tick
    labels drawn at an angle joined back into one line (the lines of a rotated label would
    overlap the next one)."""
    rotated = fig.layout.xaxis.tickangle not in (None, 0)
    rows: set[str] = set()
    for trace in fig.data:
        if rotated and "x" in trace and trace.x is not None:
            xs = [v.replace("<br>", "") if isinstance(v, str) else v for v in trace.x]
            trace.x = xs
        if "y" in trace and trace.y is not None:
            rows.update(v for v in trace.y if isinstance(v, str))
    extra = sum(v.count("<br>") for v in rows)
    if extra and fig.layout.height:
        fig.layout.height += LINE_HEIGHT * extra
    return fig


def wrap(label, width: int = LABEL_CHARS) -> str:
    """A label in lines of at most `width` characters (Thai marks above and below a letter take no
    width), broken between words, never cut: Thai is segmented with PyThaiNLP and the project
    dictionary (`analysis.phrases.segment`), so a word or a short agency name stays on one line;
    a single word longer than `width` gets a line of its own. Lines are joined by `LINE_BREAK`
    (a line broken at a space ends with it: without the breaks the label is as it was)."""
    text = " ".join(clip(label, 10**9).split())
    return text if _width(text) <= width else _wrapped(text, width)


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
    "corrected_at", "created_at", "at",
))  # fmt: skip
MOMENT_COLUMNS = ("corrected_at", "created_at", "at")  # shown with the time of day (Thai time)


def _value(name: str, value, disp: Display):
    if value is None or (not isinstance(value, tuple | list) and pd.isna(value)):
        if name in ("province", "agency", "agency_canonical", "speaker"):
            return disp.t("unknown")
        return ""
    if name in ("session_date", "end_date", "due_date", "imported_at", "reviewed_at"):
        return disp.date(value)
    if name in MOMENT_COLUMNS:
        return format_datetime(value, disp.lang, disp.era)
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


WRAP_CELL_CHARS = 40  # a table cell longer than this wraps onto more lines instead of being cut
WRAP_ROW_PX = 78  # three lines of table text; Streamlit's grid wraps cells only in rows over 4 rem


def table_row_height(frame: pd.DataFrame) -> int | None:
    """The row height that lets long Thai texts (quotes, recommendations, titles) wrap in a
    dashboard table instead of being cut with "…", or None (one line) when every text is short.

    Streamlit's table wraps a cell's text only when its rows are taller than 4 rem, so the
    height is raised for a table holding a text longer than `WRAP_CELL_CHARS` characters; the
    whole text is also in the cell's overlay and the CSV download."""
    for column in frame.columns:
        values = frame[column]
        if values.empty or not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        if values.map(lambda v: isinstance(v, str) and len(v) > WRAP_CELL_CHARS).any():
            return WRAP_ROW_PX
    return None


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
    """A figure builder whose figures show data labels as plain text (`escape_labels`), with
    room for wrapped labels (`fit_wrapped_labels`)."""

    @functools.wraps(build)
    def built(*args, **kwargs) -> go.Figure:
        return fit_wrapped_labels(escape_labels(build(*args, **kwargs)))

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
        y=unique_labels([short(v) for v in labels])[::-1],
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


def unique_labels(labels: list[str]) -> list[str]:
    """Shortened labels made distinct: two agencies cut to the same text would otherwise share
    one category of a plotly axis (their bars or cells drawn on top of each other)."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        k = seen.get(label, 0)
        seen[label] = k + 1
        out.append(label + "\u200b" * k)  # zero-width spaces: the same text, another category
    return out


def heatmap(
    matrix: pd.DataFrame,
    title: str,
    disp: Display,
    cell: str | None = None,
    diagonal: str | None = None,
) -> go.Figure:
    """A count matrix (rows × columns) as a heatmap with the counts written in the cells.

    `cell` says what a cell counts (a note under the grid). With `diagonal` (a square matrix
    whose diagonal holds each row's own total), the diagonal is drawn grey with its count and
    left out of the colour scale, which the off-diagonal pairs then span; `diagonal` says what
    it counts. Plotly cannot select a heatmap cell, so a clear marker over every cell carries the
    hover and the click ([row, column] as customdata).
    """
    if matrix.empty or matrix.to_numpy().sum() == 0:
        return empty_figure(title, disp)
    rows = [theme_label(r, disp) if disp.lang == "en" else r for r in matrix.index]
    cols = [theme_label(c, disp) if disp.lang == "en" else c for c in matrix.columns]
    z = matrix.to_numpy().astype(float)
    xs = unique_labels([short(c, 22) for c in cols])
    ys = unique_labels([short(r, 30) for r in rows])
    n_rows, n_cols = z.shape
    # a row as tall as its wrapped label (two-line agency names overlapped at 32 px a row)
    lines = max(y.count(LINE_BREAK) + 1 for y in ys)
    row_px = max(32, 17 * lines + 8)
    fig = _figure(title, height=max(320, 120 + row_px * len(rows)))
    own = None
    if diagonal is not None and list(matrix.index) == list(matrix.columns):
        own = z.diagonal().copy()
        z[range(len(own)), range(len(own))] = float("nan")
    cells = dict(x=xs, y=ys, showscale=False, hoverinfo="skip", xgap=2, ygap=2)
    fig.add_heatmap(z=z, colorscale=HEAT_SCALE, text=_cell_text(z), texttemplate="%{text}", **cells)
    if own is not None:
        grey = [[own[i] if i == j else float("nan") for j in range(n_cols)] for i in range(n_rows)]
        fig.add_heatmap(
            z=grey,
            colorscale=[[0.0, DIAGONAL_GREY], [1.0, DIAGONAL_GREY]],
            text=_cell_text(grey),
            texttemplate="%{text}",
            textfont=dict(color="#5b6b73"),
            **cells,
        )
    values = matrix.to_numpy()
    hover = [
        f"{rows[i]}: {int(values[i, j]):,} ({diagonal})"
        if own is not None and i == j
        else f"{rows[i]} × {cols[j]}: {int(values[i, j]):,}"
        for i in range(n_rows)
        for j in range(n_cols)
    ]
    fig.add_scatter(
        x=[xs[j] for _ in range(n_rows) for j in range(n_cols)],
        y=[ys[i] for i in range(n_rows) for _ in range(n_cols)],
        mode="markers",
        marker=dict(symbol="square", size=26, color="rgba(0,0,0,0)"),
        customdata=[[r, c] for r in matrix.index for c in matrix.columns],
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False,
    )
    fig.update_layout(
        xaxis=dict(side="top", tickangle=-55, type="category", showgrid=False),
        yaxis=dict(autorange="reversed", type="category", showgrid=False),
        margin=dict(t=140, r=30, b=40),
    )
    if cell:
        fig.add_annotation(
            text=cell,
            showarrow=False,
            x=0,
            y=0,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="top",
            yshift=-6,
            font=dict(size=13, color="#4a5a62"),
        )
    return fig


def _cell_text(z) -> list[list[str]]:
    """The counts written in heatmap cells; a blank cell (NaN) gets no text."""
    return [["" if pd.isna(v) else f"{int(v):,}" for v in row] for row in z]


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


def quarter_months(fiscal_year: int, quarter: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last month of a fiscal quarter (fiscal year in BE): 2566 Q1 is Oct–Dec 2022."""
    ordinal = (int(fiscal_year) - 543 - 1) * 12 + 9 + 3 * (int(quarter) - 1)  # months since 0 CE
    first = pd.Timestamp(year=ordinal // 12, month=ordinal % 12 + 1, day=1)
    return first, first + pd.DateOffset(months=2)


def quarter_label(fiscal_year: int, quarter: int, disp: Display) -> str:
    """``ต.ค. 2565 – ธ.ค. 2565 (ไตรมาส 1 ปีงบฯ 2566)``."""
    first, last = quarter_months(fiscal_year, quarter)
    return (
        f"{disp.month(first)} – {disp.month(last)} "
        f"({disp.t('quarter_n', q=int(quarter))} {disp.fiscal_year(fiscal_year)})"
    )


@plain_labels
def sessions_over_time_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    """Sessions per period of `frames.sessions_over_time`: months, fiscal quarters (grouped
    under their fiscal year) or fiscal years, whichever the frame holds."""
    grain = frame.attrs.get("grain") or ("month" if "month" in frame.columns else "fiscal_year")
    if "quarter" in frame.columns:
        grain = "quarter"
    if grain == "month":
        return sessions_per_month_chart(frame, disp)
    if grain == "fiscal_year":
        return sessions_per_fiscal_year_chart(frame, disp)
    title = disp.t("chart_sessions_per_quarter")
    if frame.empty:
        return empty_figure(title, disp)
    fig = _figure(title)
    years = [disp.fiscal_year(y) for y in frame["fiscal_year"]]
    quarters = [disp.t("quarter_short", q=int(q)) for q in frame["quarter"]]
    pairs = list(zip(frame["fiscal_year"], frame["quarter"], strict=True))
    fig.add_bar(
        x=[years, quarters],
        y=frame["sessions"],
        marker_color=ACCENT,
        text=frame["sessions"],
        textposition="auto",
        customdata=[[int(y), int(q)] for y, q in pairs],
        hovertext=[quarter_label(y, q, disp) for y, q in pairs],
        hovertemplate="%{hovertext}: %{y}<extra></extra>",
    )
    fig.update_layout(yaxis_title=disp.t("axis_sessions"), bargap=0.15)
    fig.update_xaxes(tickangle=0)  # "ไตรมาส 1" read level, not turned on its side
    count_axis(fig, frame["sessions"])
    return fig


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
        value_label=disp.t("axis_sessions_attended"),
    )


@plain_labels
def share_of_voice_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    """Share of voice (characters spoken) per agency, top 20, in percent."""
    title = disp.t("chart_share_of_voice")
    top = frame[frame["chars"] > 0].sort_values("chars", ascending=False).head(MAX_BARS)
    if top.empty:
        return empty_figure(title, disp)
    pct = [round(100 * s, 1) for s in top["share_of_voice"]]
    fig = _hbar(
        top["agency"].tolist(), pct, title, disp, value_label="%", text=[f"{p:.1f}%" for p in pct]
    )
    fig.update_layout(xaxis_title=disp.t("axis_voice_share"))
    return fig


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
    fig.update_layout(xaxis_title=disp.t("axis_voice_share"))
    return fig


@plain_labels
def agency_theme_chart(matrix: pd.DataFrame, disp: Display) -> go.Figure:
    return heatmap(matrix, disp.t("chart_agency_theme"), disp, cell=disp.t("cell_agency_theme"))


@plain_labels
def coattendance_chart(matrix: pd.DataFrame, disp: Display) -> go.Figure:
    return heatmap(
        matrix,
        disp.t("chart_coattendance"),
        disp,
        cell=disp.t("cell_coattendance"),
        diagonal=disp.t("diagonal_coattendance"),
    )


def _lines(
    frame: pd.DataFrame, x: str, series: str, title: str, disp: Display, y_label: str = ""
) -> go.Figure:
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
        yaxis_title=y_label or disp.column("sessions"),
        legend=dict(orientation="h", yanchor="top", y=-0.15, x=0),
    )
    count_axis(fig, frame["sessions"])
    return fig


@plain_labels
def agency_trend_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    return _lines(
        frame,
        "fiscal_year",
        "agency",
        disp.t("chart_agency_trend"),
        disp,
        disp.t("axis_sessions_attended"),
    )


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
        value_label=disp.t("axis_theme_sessions"),
        customdata=top["theme"].tolist(),
    )


@plain_labels
def themes_over_time_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    return _lines(
        frame,
        "period",
        "theme",
        disp.t("chart_themes_over_time"),
        disp,
        disp.t("axis_theme_sessions"),
    )


@plain_labels
def themes_over_quarters_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    """Sessions raising each theme per fiscal quarter (`frames.themes_over_quarters`), the
    quarters grouped under their fiscal year."""
    title = disp.t("chart_themes_over_time")
    if frame.empty:
        return empty_figure(title, disp)
    fig = _figure(title, height=420)
    for theme, part in frame.groupby("theme", sort=False):
        label = theme_label(theme, disp)
        pairs = list(zip(part["fiscal_year"], part["quarter"], strict=True))
        fig.add_scatter(
            x=[
                [disp.fiscal_year(y) for y, _ in pairs],
                [disp.t("quarter_short", q=int(q)) for _, q in pairs],
            ],
            y=part["sessions"],
            mode="lines+markers",
            name=short(label, 28),
            customdata=[[theme, int(y), int(q)] for y, q in pairs],
            hovertext=[f"{short(label, 40)} · {quarter_label(y, q, disp)}" for y, q in pairs],
            hovertemplate="%{hovertext}: %{y}<extra></extra>",
        )
    fig.update_layout(
        yaxis_title=disp.t("axis_theme_sessions"),
        legend=dict(orientation="h", yanchor="top", y=-0.2, x=0),
    )
    count_axis(fig, frame["sessions"])
    return fig


@plain_labels
def themes_by_agency_chart(frame: pd.DataFrame, disp: Display) -> go.Figure:
    """Stacked horizontal bars: per theme, one segment per agency, each the sessions raising the
    theme that the agency attended. A session with three agencies present is in three segments,
    so the axis says it counts agency attendances; each bar's end says how many distinct sessions
    it holds (`theme_sessions` of `frames.themes_by_agency_counted`, when the frame has it)."""
    title = disp.t("chart_themes_by_agency")
    if frame.empty or frame["sessions"].sum() == 0:
        return empty_figure(title, disp)
    themes = list(dict.fromkeys(frame["theme"]))
    labels = unique_labels([short(theme_label(t, disp), 30) for t in themes])[::-1]
    fig = _figure(title, height=max(320, 120 + 34 * len(themes)))
    for agency, part in frame.groupby("agency", sort=False):
        part = part.set_index("theme").reindex(themes).fillna(0)
        fig.add_bar(
            y=labels,
            x=part["sessions"].tolist()[::-1],
            orientation="h",
            name=short(agency, 28),
            customdata=[[t, agency] for t in themes][::-1],
            hovertext=[short(agency, 40)] * len(themes),
            hovertemplate="%{hovertext} · %{y}: %{x}<extra></extra>",
        )
    if "theme_sessions" in frame.columns:
        totals = frame.groupby("theme", sort=False)["sessions"].sum().reindex(themes)
        distinct = frame.groupby("theme", sort=False)["theme_sessions"].first().reindex(themes)
        fig.add_scatter(
            y=labels,
            x=totals.tolist()[::-1],
            mode="text",
            text=[disp.t("distinct_sessions", n=int(n)) for n in distinct][::-1],
            textposition="middle right",
            customdata=[[t, None] for t in themes][::-1],
            hoverinfo="skip",
            showlegend=False,
            cliponaxis=False,
        )
        fig.update_xaxes(range=[0, float(totals.max()) * 1.18])  # room for the label at the end
    fig.update_layout(
        barmode="stack",
        title=dict(subtitle=dict(text=disp.t("cell_themes_by_agency"))),
        xaxis_title=disp.t("axis_agency_attendances"),
        yaxis=dict(type="category"),
        legend=dict(orientation="v", yanchor="top", y=1, x=1.02),
        margin=dict(t=80, r=90),
    )
    return fig


@plain_labels
def themes_by_province_chart(matrix: pd.DataFrame, disp: Display) -> go.Figure:
    return heatmap(
        matrix, disp.t("chart_themes_by_province"), disp, cell=disp.t("cell_theme_province")
    )


@plain_labels
def theme_cooccurrence_chart(matrix: pd.DataFrame, disp: Display) -> go.Figure:
    return heatmap(
        matrix,
        disp.t("chart_theme_cooccurrence"),
        disp,
        cell=disp.t("cell_cooccurrence"),
        diagonal=disp.t("diagonal_cooccurrence"),
    )


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
        xaxis_title=disp.t("axis_recommendations"),
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
