"""The programme summary report (python-docx) in the style of a Thai government document.

A4, margins 3 cm left, 2 cm right, 2.5 cm top, 2 cm bottom; body in TH Sarabun New 16 pt with the
first line indented 2.5 cm; headings bold; tables in 14 pt with a repeated header row. The font is
named on every run for Latin, East Asian and complex-script text (``w:rFonts w:cs``, which Word
uses for Thai) with sizes ``w:sz`` and ``w:szCs`` and language ``th-TH``, and on the styles and
document defaults as well, so text typed later into the report stays in the house font. Machines
without TH Sarabun New show a substitute (LibreOffice on Debian picks a TLWG font such as Laksaman,
Sarabun's TLWG counterpart); the file still names TH Sarabun New.

Sections: overview (text and headline numbers), participation by agency, sessions over time,
themes, recommendations by category and their follow-up (status, owner, due date), voices from the
sessions. Each table is the dashboard's frame for it; the charts are PNG pictures of the
dashboard's figures when a Chromium is present (`images.document_images`), left out otherwise.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from analysis import figures
from analysis.i18n import format_number

from . import fit
from .content import ReportContent, agency_type_label
from .text import clean

FONT = "TH Sarabun New"
LANG = "th-TH"
BODY_PT = 16
TABLE_PT = 14
TITLE_PT = 20
HEADING_PT = {1: 18, 2: 16}
MAX_AGENCY_ROWS = 30
MAX_FOLLOWUP_ROWS = 50
TEXT_WIDTH_CM = 16.0  # A4 21 cm less 3 cm and 2 cm margins
HEADER_SHADE = "D9E2E7"

Progress = Callable[[int, int, str], None]

_RPR_ORDER = (  # w:rPr children in schema order (python-docx knows only some of them)
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)


def _child(rpr, tag: str):
    """The `tag` child of a w:rPr, created in its schema position when missing."""
    el = rpr.find(qn(tag))
    if el is not None:
        return el
    el = OxmlElement(tag)
    later = _RPR_ORDER[_RPR_ORDER.index(tag) + 1 :]
    for child in rpr:
        name = child.tag
        if any(name == qn(t) for t in later):
            child.addprevious(el)
            return el
    rpr.append(el)
    return el


def thai_font(rpr, size_pt: float | None = None, bold: bool | None = None) -> None:
    """Set FONT for every script of a run or style (w:rPr), its size for Latin and complex
    script, bold for both, and the Thai language tag. Theme font references are removed, since
    Word would otherwise prefer them to the named font."""
    fonts = _child(rpr, "w:rFonts")
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    if bold is not None:
        for tag in ("w:b", "w:bCs"):
            el = _child(rpr, tag)
            el.set(qn("w:val"), "1" if bold else "0")
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            _child(rpr, tag).set(qn("w:val"), str(int(round(size_pt * 2))))
    lang = _child(rpr, "w:lang")
    lang.set(qn("w:val"), LANG)
    lang.set(qn("w:bidi"), LANG)


def _run(
    paragraph, text: str, size: float = BODY_PT, bold: bool = False, color: RGBColor | None = None
):
    run = paragraph.add_run(clean(text))
    if color is not None:
        run.font.color.rgb = color
    thai_font(run._r.get_or_add_rPr(), size, bold)
    return run


def _styles(doc) -> None:
    """Document defaults, Normal, Title, headings, caption and table styles in the house font."""
    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            thai_font(rpr, BODY_PT)
    sizes = {
        "Normal": BODY_PT,
        "Title": TITLE_PT,
        "Heading 1": HEADING_PT[1],
        "Heading 2": HEADING_PT[2],
        "Caption": BODY_PT,
        "Table Grid": TABLE_PT,
    }
    for name, size in sizes.items():
        style = doc.styles[name]
        bold = name in ("Title", "Heading 1", "Heading 2", "Caption")
        thai_font(style.element.get_or_add_rPr(), size, bold)
        if name != "Table Grid":
            style.font.color.rgb = RGBColor(0, 0, 0)
            fmt = style.paragraph_format
            fmt.space_before = Pt(12 if name.startswith("Heading") else 0)
            fmt.space_after = Pt(6 if name != "Normal" else 0)
            fmt.line_spacing = 1.0
        ppr = style.element.pPr
        if name == "Title" and ppr is not None and ppr.find(qn("w:pBdr")) is not None:
            ppr.remove(ppr.find(qn("w:pBdr")))  # the default Title has a blue rule under it


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2)


def _paragraph(
    doc, text: str, indent: bool = True, align=None, size: float = BODY_PT, bold: bool = False
):
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Cm(2.5)
    if align is not None:
        p.alignment = align
    _run(p, text, size, bold)
    return p


def _heading(doc, text: str, level: int) -> None:
    h = doc.add_heading(level=level)
    _run(h, text, HEADING_PT[level], bold=True)


def _caption(doc, text: str, keep_with_next: bool = False) -> None:
    p = doc.add_paragraph(style="Caption")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = keep_with_next  # a table's caption stays with the table
    _run(p, text, BODY_PT, bold=True)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _table(
    doc,
    header: list[str],
    rows: list[list],
    widths_cm: list[float],
    numeric: set[int] = frozenset(),
):
    """A bordered table: bold shaded header row repeated on every page, numbers right-aligned."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    head = table.rows[0]
    tr_pr = head._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "1")
    tr_pr.append(repeat)
    for j, text in enumerate(header):
        cell = head.cells[j]
        _shade(cell, HEADER_SHADE)
        _run(cell.paragraphs[0], text, TABLE_PT, bold=True)
    for values in rows:
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row stays on one page
        cells = row.cells
        for j, value in enumerate(values):
            p = cells[j].paragraphs[0]
            if j in numeric:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            lines = clean(value).split("\n")
            for k, line in enumerate(lines):
                if k:
                    p = cells[j].add_paragraph()
                _run(p, line, TABLE_PT)
    for j, width in enumerate(widths_cm):  # the grid (LibreOffice) and every cell (Word)
        table.columns[j].width = Cm(width)
    for row in table.rows:
        for j, width in enumerate(widths_cm):
            row.cells[j].width = Cm(width)
    return table


def _number(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return format_number(value)


# ----------------------------------------------------------------------------- sections


class _Counter:
    def __init__(self) -> None:
        self.tables = 0
        self.figures = 0


def _table_with_caption(
    doc,
    content: ReportContent,
    n: _Counter,
    title: str,
    header,
    rows,
    widths,
    numeric=frozenset(),
    total: int | None = None,
) -> None:
    n.tables += 1
    _caption(doc, content.t("table_caption", n=n.tables, title=title), keep_with_next=True)
    _table(doc, header, rows, widths, numeric)
    if total is not None and total > len(rows):
        _paragraph(
            doc,
            content.t("table_more", shown=format_number(len(rows)), total=format_number(total)),
            indent=False,
            size=TABLE_PT,
        )


def _picture(
    doc, content: ReportContent, n: _Counter, images: dict[str, bytes], name: str, title: str
) -> None:
    if name not in images:
        return
    doc.add_picture(io.BytesIO(images[name]), width=Cm(TEXT_WIDTH_CM))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    n.figures += 1
    _caption(doc, content.t("figure_caption", n=n.figures, title=title))


def _overview(doc, content: ReportContent, n: _Counter, images) -> None:
    disp = content.disp
    _heading(doc, f"1. {content.t('section_overview')}", 1)
    _paragraph(doc, content.overview_text)
    _paragraph(doc, f"{content.t('filters_in_force')}: {content.filter_text}")
    if content.speaker_note():
        _paragraph(doc, content.speaker_note())
    m = content.metrics
    rows = [
        [label, _number(value)]
        for label, value in figures.metrics_table(m, disp).itertuples(index=False)
    ]
    rows.insert(2, [content.t("participants_known_count"), _number(m["participants_known"])])
    rows.append([disp.t("metric_turns"), _number(m["turns"])])
    _table_with_caption(
        doc,
        content,
        n,
        content.t("section_overview"),
        [content.t("summary_item"), content.t("summary_value")],
        rows,
        [10.0, 6.0],
        numeric={1},
    )


def _participation(doc, content: ReportContent, n: _Counter, images) -> None:
    disp = content.disp
    _heading(doc, f"2. {content.t('section_participation')}", 1)
    frame = content.participation
    rows = [
        [
            r.agency,
            agency_type_label(r.type, disp.lang),
            _number(r.sessions),
            _number(r.turns),
            f"{100 * r.share_of_voice:.1f}",
        ]
        for r in frame.head(MAX_AGENCY_ROWS).itertuples(index=False)
    ]
    header = [
        disp.column("agency"),
        disp.column("type"),
        disp.column("sessions"),
        disp.column("turns"),
        f"{disp.column('share_of_voice')} (%)",
    ]
    _table_with_caption(
        doc,
        content,
        n,
        disp.t("chart_participation"),
        header,
        rows,
        [6.2, 3.4, 2.0, 2.2, 2.2],
        numeric={2, 3, 4},
        total=len(frame),
    )
    _picture(doc, content, n, images, "participation_by_agency", disp.t("chart_participation"))


def _time(doc, content: ReportContent, n: _Counter, images) -> None:
    disp = content.disp
    _heading(doc, f"3. {content.t('section_time')}", 1)
    fy = content.sessions_per_fiscal_year
    rows = [
        [disp.fiscal_year(r.fiscal_year), _number(r.sessions)] for r in fy.itertuples(index=False)
    ]
    _table_with_caption(
        doc,
        content,
        n,
        disp.t("chart_sessions_per_fy"),
        [disp.column("fiscal_year"), disp.column("sessions")],
        rows,
        [8.0, 8.0],
        numeric={1},
    )
    _picture(doc, content, n, images, "sessions_per_month", disp.t("chart_sessions_per_month"))


def _themes(doc, content: ReportContent, n: _Counter, images) -> None:
    disp = content.disp
    _heading(doc, f"4. {content.t('section_themes')}", 1)
    frame = content.theme_counts
    rows = [
        [figures.theme_label(r.theme, disp), _number(r.sessions), f"{100 * r.share:.0f}"]
        for r in frame.itertuples(index=False)
    ]
    _table_with_caption(
        doc,
        content,
        n,
        disp.t("chart_theme_counts"),
        [disp.column("theme"), disp.column("sessions"), f"{disp.column('share')} (%)"],
        rows,
        [10.0, 3.0, 3.0],
        numeric={1, 2},
    )
    _picture(doc, content, n, images, "theme_counts", disp.t("chart_theme_counts"))


def _recommendations(doc, content: ReportContent, n: _Counter, images) -> None:
    disp = content.disp
    _heading(doc, f"5. {content.t('section_recommendations')}", 1)
    cats = content.recommendations_by_category
    rows = [
        [
            figures.category_label(r.category, disp),
            _number(r.recommendations),
            _number(r.sessions),
            _number(r.acted_on),
        ]
        for r in cats.itertuples(index=False)
    ]
    _table_with_caption(
        doc,
        content,
        n,
        disp.t("chart_recs_by_category"),
        [
            disp.column("category"),
            disp.column("recommendations"),
            disp.column("sessions"),
            disp.column("acted_on"),
        ],
        rows,
        [7.0, 3.0, 3.0, 3.0],
        numeric={1, 2, 3},
    )
    _picture(
        doc, content, n, images, "recommendations_by_category", disp.t("chart_recs_by_category")
    )
    _heading(doc, content.t("followup_table"), 2)
    _paragraph(doc, content.status_counts_text())
    recs = content.recommendations
    head = recs.head(MAX_FOLLOWUP_ROWS)
    shown = figures.display_table(head[["categories", "status", "due_date"]], disp)
    rows = []
    for r, (cats_text, status, due) in zip(
        head.itertuples(index=False), shown.itertuples(index=False), strict=True
    ):
        session = "\n".join(
            x for x in (fit.shorten(r.title or "", 50), disp.date(r.session_date)) if x
        )
        rows.append([r.text, str(cats_text), str(status), r.owner_agency or "", str(due), session])
    header = [
        disp.column("text"),
        disp.column("categories"),
        disp.column("status"),
        disp.column("owner_agency"),
        disp.column("due_date"),
        content.t("col_session"),
    ]
    _table_with_caption(
        doc,
        content,
        n,
        content.t("followup_table"),
        header,
        rows,
        [5.2, 2.6, 1.8, 2.0, 1.7, 2.7],
        total=len(recs),
    )


def _quotes(doc, content: ReportContent, n: _Counter, images) -> None:
    disp = content.disp
    _heading(doc, f"6. {content.t('section_quotes')}", 1)
    quotes = content.quotes
    if quotes.empty:
        _paragraph(doc, content.t("no_quotes"))
        return
    for q in quotes.itertuples(index=False):
        _heading(doc, figures.category_label(q.category, disp), 2)
        _paragraph(doc, f"“{q.text}”")
        p = _paragraph(
            doc, content.t("quote_from", who=q.who), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT
        )
        p.paragraph_format.space_after = Pt(0)
        session = " · ".join(x for x in (str(q.title or ""), disp.date(q.session_date)) if x)
        _paragraph(doc, session, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT, size=TABLE_PT)


SECTIONS = (_overview, _participation, _time, _themes, _recommendations, _quotes)


def build_document(
    content: ReportContent, images: dict[str, bytes] | None = None, progress: Progress | None = None
) -> bytes:
    """The report as .docx bytes; `images` maps chart names to PNG (none: a report without)."""
    images = images or {}
    total = len(SECTIONS) + 2
    if progress:
        progress(0, total, content.t("step_prepare"))
    doc = Document()
    _page(doc)
    _styles(doc)
    doc.core_properties.title = clean(f"{content.t('report_title')}: {content.programme}")
    doc.core_properties.author = "Sangkhro"
    doc.core_properties.language = LANG
    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, content.t("report_title"), TITLE_PT, bold=True)
    for text, size, bold in (
        (content.programme, HEADING_PT[1], True),
        (f"{content.t('period')} {content.period_text}", BODY_PT, False),
        (f"{content.t('generated_on')} {content.disp.date(content.today)}", BODY_PT, False),
    ):
        _paragraph(doc, text, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=size, bold=bold)
    if progress:
        progress(1, total, content.t("report_title"))
    counter = _Counter()
    for i, section in enumerate(SECTIONS, start=2):
        section(doc, content, counter, images)
        if progress:
            progress(i, total, content.t("report_title"))
    out = io.BytesIO()
    doc.save(out)
    if progress:
        progress(total, total, content.t("step_save"))
    return out.getvalue()
