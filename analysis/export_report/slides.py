"""The facilitator's PowerPoint deck (python-pptx): editable text, native charts, a follow-up table.

Slides, in order:
1. title: the programme, its period in Buddhist-era dates, sessions and participants, the filters;
2. participation by agency, sessions per month, themes raised, recommendations by category: each a
   native PowerPoint chart whose series are the dashboard's frame for that chart (the top 20 bars,
   as the dashboard draws them), so a facilitator can restyle or edit them;
3. one quote slide per quote of the Present page (the recommendation, who said it, the session
   and its date; names or role + agency as the anonymise switch says);
4. the recommendations follow-up table (status, owner, due date), a few slides at most.

Every run of text is set in `FONT` for Latin, East Asian and complex-script (Thai) text and tagged
``th-TH`` so PowerPoint breaks Thai lines between words; the theme's fonts are set to it too, so
text typed later is Thai-capable. Text sizes are chosen with `fit` so long Thai text wraps inside
its box instead of running off the slide.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import pandas as pd
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from analysis import figures
from analysis.i18n import format_number

from . import fit
from .content import MAX_CHART_BARS, ReportContent
from .text import clean

FONT = "Tahoma"
"""Thai-capable on every Windows and macOS machine, so the deck looks the same where it is shown."""
LANG = "th-TH"
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
TITLE_TOP, TITLE_H = Inches(0.35), Inches(1.0)
BODY_TOP = Inches(1.5)
INK = RGBColor(0x1F, 0x2A, 0x30)
MUTED = RGBColor(0x5B, 0x6B, 0x73)
ACCENT = RGBColor.from_string(figures.ACCENT.lstrip("#"))
ACTED_ON = RGBColor.from_string(figures.ACTED_ON_COLOR.lstrip("#"))
LIGHT = RGBColor(0x9C, 0xCB, 0xDB)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
TABLE_FONT_PT = 11
MAX_LABELLED_BARS = 40
TABLE_TEXT_CHARS = 220
MAX_FOLLOWUP_SLIDES = 5
CELL_MARGIN_PT = 4.0

Progress = Callable[[int, int, str], None]


# ----------------------------------------------------------------------------- fonts


def _set_fonts(rpr) -> None:
    """Latin, East Asian and complex-script typefaces of one run (a:rPr / a:defRPr) = FONT."""
    rpr.set("lang", LANG)
    rpr.set("altLang", "en-US")
    latin = rpr.find(qn("a:latin"))
    if latin is None:
        latin = etree.SubElement(rpr, qn("a:latin"))
        # a:latin must come after any fill/effect children and before a:sym/a:hlinkClick
        for tag in ("a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst"):
            later = rpr.find(qn(tag))
            if later is not None:
                later.addprevious(latin)
                break
    latin.set("typeface", FONT)
    anchor = latin
    for tag in ("a:ea", "a:cs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = etree.Element(qn(tag))
        anchor.addnext(el)
        el.set("typeface", FONT)
        anchor = el


def _style_run(run, size: float, bold: bool = False, color: RGBColor = INK) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color
    _set_fonts(run._r.get_or_add_rPr())


def _theme_fonts(prs) -> None:
    """Make the theme's heading and body fonts FONT for Latin, East Asian and Thai text."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    for scheme in root.iter(qn("a:majorFont"), qn("a:minorFont")):
        for tag in ("a:latin", "a:ea", "a:cs"):
            el = scheme.find(qn(tag))
            if el is not None:
                el.set("typeface", FONT)
        for font in scheme.findall(qn("a:font")):
            if font.get("script") == "Thai":
                font.set("typeface", FONT)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ----------------------------------------------------------------------------- text boxes


def _fill_frame(
    tf,
    paragraphs: Sequence[tuple[str, float, bool, RGBColor]],
    align=PP_ALIGN.LEFT,
    anchor=MSO_ANCHOR.TOP,
) -> None:
    """Write paragraphs (text, size, bold, colour) into a text frame that wraps inside its box."""
    tf.clear()
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = anchor
    for i, (text, size, bold, color) in enumerate(paragraphs):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        p.line_spacing = 1.0
        run = p.add_run()
        run.text = clean(text)
        _style_run(run, size, bold, color)
    # a safety net on top of the estimate: PowerPoint and LibreOffice shrink text that overflows
    body_pr = tf._txBody.bodyPr
    for child in list(body_pr):
        if child.tag in (qn("a:noAutofit"), qn("a:spAutoFit"), qn("a:normAutofit")):
            body_pr.remove(child)
    etree.SubElement(body_pr, qn("a:normAutofit"))


def _box(slide, left, top, width, height, paragraphs, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP):
    shape = slide.shapes.add_textbox(left, top, width, height)
    tf = shape.text_frame
    for side in ("left", "right"):
        setattr(tf, f"margin_{side}", Inches(0.08))
    _fill_frame(tf, paragraphs, align, anchor)
    return shape


def _fitted(text: str, width, height, max_pt: float, min_pt: float) -> tuple[float, str]:
    inner_w = Emu(width - Inches(0.16)).pt
    inner_h = Emu(height - Inches(0.1)).pt
    return fit.fit_size(clean(text), inner_w, inner_h, max_pt, min_pt)


def _title(slide, text: str, note: str | None = None) -> None:
    """The slide's title placeholder (so outline view and screen readers find it), placed and
    sized for a 16:9 slide; an optional one-line note under it."""
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = (
        MARGIN,
        TITLE_TOP,
        SLIDE_W - 2 * MARGIN,
        TITLE_H,
    )
    size, shown = _fitted(text, shape.width, shape.height, 32, 20)
    _fill_frame(shape.text_frame, [(shown, size, True, INK)], anchor=MSO_ANCHOR.MIDDLE)
    bar = slide.shapes.add_shape(1, MARGIN, TITLE_TOP + TITLE_H, Inches(1.2), Inches(0.06))
    bar.fill.solid()
    bar.fill.fore_color.rgb = ACCENT
    bar.line.fill.background()
    if note:
        width, height = SLIDE_W - 2 * MARGIN, Inches(0.4)
        size, shown = _fitted(note, width, height, 14, 10)
        _box(
            slide,
            MARGIN,
            TITLE_TOP + TITLE_H + Inches(0.1),
            width,
            height,
            [(shown, size, False, MUTED)],
        )


def _no_data(slide, content: ReportContent) -> None:
    _box(
        slide,
        MARGIN,
        Inches(3.2),
        SLIDE_W - 2 * MARGIN,
        Inches(1),
        [(content.t("no_data"), 24, False, MUTED)],
        align=PP_ALIGN.CENTER,
    )


# ----------------------------------------------------------------------------- charts


def _chart(
    slide,
    categories: list[str],
    series: list[tuple[str, list]],
    horizontal: bool = True,
    colors: Sequence[RGBColor] = (ACCENT,),
    overlap: int = 0,
    number_format: str = "#,##0",
):
    """A native bar/column chart; categories in frame order (first on top for bars)."""
    data = CategoryChartData(number_format=number_format)
    data.categories = [clean(c) for c in categories]
    for name, values in series:
        data.add_series(clean(name), [None if pd.isna(v) else float(v) for v in values])
    kind = XL_CHART_TYPE.BAR_CLUSTERED if horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    top = BODY_TOP + Inches(0.35)
    frame = slide.shapes.add_chart(
        kind, MARGIN, top, SLIDE_W - 2 * MARGIN, SLIDE_H - top - Inches(0.35), data
    )
    chart = frame.chart
    chart.font.size = Pt(12 if len(categories) > 12 else 14)
    chart.font.color.rgb = INK
    _set_fonts(chart.font._rPr)
    chart.has_title = False
    chart.has_legend = len(series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    plot = chart.plots[0]
    plot.gap_width = 50
    plot.overlap = overlap
    plot.vary_by_categories = False
    for i, s in enumerate(plot.series):
        s.format.fill.solid()
        s.format.fill.fore_color.rgb = colors[i % len(colors)]
        if len(categories) > MAX_LABELLED_BARS:
            continue  # a value over every one of 100 monthly columns is noise
        labels = s.data_labels
        labels.show_value = True
        labels.number_format = number_format
        labels.number_format_is_linked = False
        labels.font.size = Pt(11)
        _set_fonts(labels.font._rPr)
        labels.position = (
            XL_LABEL_POSITION.OUTSIDE_END
            if i == 0 or not overlap
            else XL_LABEL_POSITION.INSIDE_BASE
        )
    cat_axis, value_axis = chart.category_axis, chart.value_axis
    cat_axis.tick_labels.font.size = Pt(11 if len(categories) > 12 else 14)
    _set_fonts(cat_axis.tick_labels.font._rPr)
    if horizontal:  # bars: first category on top, as on the dashboard, every label shown
        cat_axis.reverse_order = True
        # the value axis crosses at the last category, which is now at the bottom
        value_axis._element.find(qn("c:crosses")).set("val", "max")
        skip = cat_axis._element.find(qn("c:tickLblSkip"))
        if skip is None:
            skip = etree.SubElement(cat_axis._element, qn("c:tickLblSkip"))
            no_multi = cat_axis._element.find(qn("c:noMultiLvlLbl"))
            if no_multi is not None:
                no_multi.addprevious(skip)
        skip.set("val", "1")
    cat_axis.has_major_gridlines = False
    cat_axis.format.line.color.rgb = RGBColor(0xCF, 0xD8, 0xDC)
    value_axis.minimum_scale = 0
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xE6, 0xEC, 0xEF)
    value_axis.tick_labels.number_format = number_format
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.format.line.fill.background()
    return chart


def _top_note(content: ReportContent, spec: dict) -> str | None:
    """ "showing the top 20" under the title of a bar chart that leaves rows out."""
    if spec.get("horizontal", True) and len(spec["frame"]) > MAX_CHART_BARS:
        return content.t("showing_top", n=MAX_CHART_BARS)
    return None


def chart_series(content: ReportContent) -> dict[str, dict]:
    """The four chart slides' data: name → {title, categories, series [(name, values)], …}.

    Categories and values come straight from the dashboard's frames (the same top 20 rows its
    bar charts draw); tests compare them with the frames.
    """
    disp = content.disp
    part = content.participation.head(MAX_CHART_BARS)
    months = content.sessions_per_month
    themes = content.theme_counts.head(MAX_CHART_BARS)
    cats = content.recommendations_by_category
    return {
        "participation_by_agency": {
            "title": disp.t("chart_participation"),
            "frame": content.participation,
            "categories": [figures.short(a, 45) for a in part["agency"]],
            "series": [(disp.column("sessions"), part["sessions"].tolist())],
        },
        "sessions_per_month": {
            "title": disp.t("chart_sessions_per_month"),
            "frame": months,
            "horizontal": False,
            "categories": [disp.month(m) for m in months["month"]],
            "series": [(disp.column("sessions"), months["sessions"].tolist())],
        },
        "theme_counts": {
            "title": disp.t("chart_theme_counts"),
            "frame": content.theme_counts,
            "categories": [
                figures.short(figures.theme_label(th, disp), 45) for th in themes["theme"]
            ],
            "series": [(disp.column("sessions"), themes["sessions"].tolist())],
        },
        "recommendations_by_category": {
            "title": disp.t("chart_recs_by_category"),
            "frame": cats,
            "overlap": 100,
            "colors": (LIGHT, ACTED_ON),
            "categories": [
                figures.short(figures.category_label(c, disp), 45) for c in cats["category"]
            ],
            "series": [
                (disp.column("recommendations"), cats["recommendations"].tolist()),
                (disp.t("metric_acted_on"), cats["acted_on"].tolist()),
            ],
        },
    }


def _chart_slide(prs, content: ReportContent, spec: dict) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _title(slide, spec["title"], _top_note(content, spec))
    if spec["frame"].empty:
        _no_data(slide, content)
        return
    _chart(
        slide,
        spec["categories"],
        spec["series"],
        horizontal=spec.get("horizontal", True),
        colors=spec.get("colors", (ACCENT,)),
        overlap=spec.get("overlap", 0),
    )


# ----------------------------------------------------------------------------- other slides


def _title_slide(prs, content: ReportContent) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    width = SLIDE_W - 2 * MARGIN
    title.left, title.top, title.width, title.height = MARGIN, Inches(1.4), width, Inches(2.0)
    size, shown = _fitted(content.programme, title.width, title.height, 40, 24)
    _fill_frame(
        title.text_frame,
        [(shown, size, True, INK)],
        align=PP_ALIGN.CENTER,
        anchor=MSO_ANCHOR.BOTTOM,
    )
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = (
        MARGIN,
        Inches(3.6),
        width,
        Inches(3.4),
    )
    lines = [
        (content.t("deck_title"), 22, False, MUTED),
        (f"{content.t('period')} {content.period_text}", 24, True, ACCENT),
        (content.headline, 24, True, INK),
        (content.participants_note, 14, False, MUTED),
        (
            f"{content.t('filters_in_force')}: {fit.shorten(content.filter_text, 200)}",
            14,
            False,
            MUTED,
        ),
    ]
    if content.speaker_note():
        lines.append((content.speaker_note(), 14, False, MUTED))
    lines.append(
        (f"{content.t('generated_on')} {content.disp.date(content.today)}", 12, False, MUTED)
    )
    _fill_frame(subtitle.text_frame, lines, align=PP_ALIGN.CENTER)


def _quote_slide(prs, content: ReportContent, quote) -> None:
    disp = content.disp
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _title(
        slide, f"{content.t('section_quotes')} · {figures.category_label(quote['category'], disp)}"
    )
    width = SLIDE_W - 2 * MARGIN - Inches(0.6)
    left = MARGIN + Inches(0.3)
    box_h = Inches(3.5)
    size, text = _fitted(f"“{quote['text']}”", width, box_h, 40, 18)
    _box(
        slide,
        left,
        BODY_TOP + Inches(0.3),
        width,
        box_h,
        [(text, size, True, INK)],
        anchor=MSO_ANCHOR.MIDDLE,
    )
    who_h = Inches(0.7)
    size, who = _fitted(content.t("quote_from", who=quote["who"]), width, who_h, 24, 14)
    _box(slide, left, BODY_TOP + Inches(3.95), width, who_h, [(who, size, False, ACCENT)])
    session = " · ".join(
        x for x in (str(quote["title"] or ""), disp.date(quote["session_date"])) if x
    )
    size, session = _fitted(session, width, Inches(0.75), 18, 12)
    _box(slide, left, BODY_TOP + Inches(4.7), width, Inches(0.75), [(session, size, False, MUTED)])


FOLLOWUP_COLUMNS = (  # (column label key, width in inches)
    ("col_text", 4.1),
    ("col_categories", 1.8),
    ("col_status", 1.25),
    ("col_owner_agency", 1.6),
    ("col_due_date", 1.1),
    ("col_session", 2.28),
)


def followup_rows(content: ReportContent, limit: int | None = None) -> list[list[str]]:
    """The follow-up table's cells, one list per recommendation, in the Recommendations page's
    order (the first `limit` only: a deck shows a few slides of them)."""
    recs = content.recommendations if limit is None else content.recommendations.head(limit)
    if recs.empty:
        return []
    shown = figures.display_table(recs[["categories", "status", "due_date"]], content.disp)
    rows = []
    for r, (cats, status, due) in zip(
        recs.itertuples(index=False), shown.itertuples(index=False), strict=True
    ):
        session = "\n".join(
            x for x in (fit.shorten(r.title or "", 48), content.disp.date(r.session_date)) if x
        )
        rows.append(
            [
                fit.shorten(r.text, TABLE_TEXT_CHARS),
                str(cats),
                str(status),
                fit.shorten(r.owner_agency or "", 60),
                str(due),
                session,
            ]
        )
    return rows


def _row_height_pt(cells: list[str], size: float = TABLE_FONT_PT) -> float:
    heights = []
    for text, (_, width_in) in zip(cells, FOLLOWUP_COLUMNS, strict=True):
        inner = width_in * fit.PT_PER_INCH - 2 * 7.2  # python-pptx cells: 0.1 in side margins
        heights.append(fit.height_needed(text or " ", inner, size))
    return max(heights) + 2 * CELL_MARGIN_PT


def paginate(
    rows: list[list[str]], height_pt: float, header: list[str], max_pages: int = MAX_FOLLOWUP_SLIDES
) -> list[list[list[str]]]:
    """Split rows into pages whose estimated height (header included) fits `height_pt`."""
    header_h = _row_height_pt(header)
    pages: list[list[list[str]]] = []
    page: list[list[str]] = []
    used = header_h
    for row in rows:
        h = _row_height_pt(row)
        if page and used + h > height_pt:
            pages.append(page)
            if len(pages) == max_pages:
                return pages
            page, used = [], header_h
        page.append(row)
        used += h
    if page:
        pages.append(page)
    return pages


def followup_pages(content: ReportContent) -> tuple[list[str], list[list[list[str]]], int]:
    """The follow-up table's header, its pages of rows (at most MAX_FOLLOWUP_SLIDES) and how many
    recommendations there are in all."""
    header = [content.t(key) for key, _ in FOLLOWUP_COLUMNS]
    rows = followup_rows(content, limit=MAX_FOLLOWUP_SLIDES * 40)
    available = Emu(SLIDE_H - FOLLOWUP_TOP - Inches(0.75)).pt
    return header, paginate(rows, available, header) or [[]], len(content.recommendations)


FOLLOWUP_TOP = BODY_TOP + Inches(0.45)


def _followup_slides(
    prs, content: ReportContent, header, pages, total_rows, progress: Callable[[str], None]
) -> None:
    shown = sum(len(p) for p in pages)
    for number, page in enumerate(pages, start=1):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        suffix = f" ({number}/{len(pages)})" if len(pages) > 1 else ""
        _title(slide, content.t("followup_table") + suffix, content.status_counts_text())
        if not page:
            _no_data(slide, content)
            progress(content.t("followup_table"))
            continue
        shape = slide.shapes.add_table(
            len(page) + 1,
            len(header),
            MARGIN,
            FOLLOWUP_TOP,
            Inches(sum(w for _, w in FOLLOWUP_COLUMNS)),
            Inches(1),
        )
        table = shape.table
        for j, (_, width) in enumerate(FOLLOWUP_COLUMNS):
            table.columns[j].width = Inches(width)
        for i, cells in enumerate([header, *page]):
            table.rows[i].height = Pt(_row_height_pt(cells))
            for j, text in enumerate(cells):
                cell = table.cell(i, j)
                cell.margin_top = cell.margin_bottom = Pt(CELL_MARGIN_PT)
                cell.vertical_anchor = MSO_ANCHOR.TOP
                tf = cell.text_frame
                tf.word_wrap = True
                for k, line in enumerate((text or "").split("\n")):
                    p = tf.paragraphs[0] if k == 0 else tf.add_paragraph()
                    run = p.add_run()
                    run.text = clean(line)
                    _style_run(run, TABLE_FONT_PT, bold=i == 0, color=WHITE if i == 0 else INK)
                if i == 0:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = ACCENT
        if number == len(pages) and shown < total_rows:
            note = content.t(
                "followup_more", shown=format_number(shown), total=format_number(total_rows)
            )
            _box(
                slide,
                MARGIN,
                SLIDE_H - Inches(0.65),
                SLIDE_W - 2 * MARGIN,
                Inches(0.4),
                [(note, 12, False, MUTED)],
            )
        progress(content.t("followup_table"))


# ----------------------------------------------------------------------------- the deck


def build_deck(content: ReportContent, progress: Progress | None = None) -> bytes:
    """The deck as .pptx bytes (see module docstring for the slides)."""
    if progress:
        progress(0, 1, content.t("step_prepare"))
    specs = chart_series(content)
    quotes = content.quotes
    header, pages, total_rows = followup_pages(content)
    total = 1 + len(specs) + len(quotes) + len(pages) + 1
    done = 0

    def step(label: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(min(done, total), total, label)

    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    _theme_fonts(prs)
    prs.core_properties.title = clean(f"{content.t('deck_title')}: {content.programme}")
    prs.core_properties.author = "Sangkhro"
    prs.core_properties.language = LANG
    _title_slide(prs, content)
    step(content.programme)
    for spec in specs.values():
        _chart_slide(prs, content, spec)
        step(spec["title"])
    for _, quote in quotes.iterrows():
        _quote_slide(prs, content, quote)
        step(content.t("section_quotes"))
    _followup_slides(prs, content, header, pages, total_rows, step)
    out = io.BytesIO()
    prs.save(out)
    done = total - 1
    step(content.t("step_save"))
    return out.getvalue()
