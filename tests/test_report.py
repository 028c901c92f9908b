"""Facilitator exports: every file is opened with its own library and checked for content.

The programme comes from `analysis.synthetic` (no database) and, for one end-to-end test, from the
bundled sample imported through the real store. Expected numbers come from `analysis.frames` on
the same filtered tables, which is what the dashboard shows. Image tests need Chromium: they are
skipped with a reason when it is missing, and fail instead when SANGKHRO_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import io
import os
import re
from datetime import date, datetime

import pytest

from analysis import figures, frames, synthetic
from analysis.auth import local_admin
from analysis.export_report import (
    CHART_NAMES,
    NO_BROWSER_MESSAGE,
    BrowserNotFound,
    ReportContent,
    build_report,
    images,
)
from analysis.export_report import fit as fitting
from analysis.export_report.document import FONT as DOCX_FONT
from analysis.export_report.slides import FONT as PPTX_FONT
from analysis.export_report.slides import chart_series
from analysis.export_report.workbook import BE_DATE_FORMAT, SHEETS
from analysis.filters import Filters, apply_filters
from analysis.i18n import Display
from analysis.tables import tables_from_sessions

ACTOR = local_admin()  # the local user: an admin, as with no sign-in configured

TODAY = date(2025, 11, 17)
BE_DATE = re.compile(
    r"\d{1,2} (ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\."
    r"|พ\.ย\.|ธ\.ค\.) 25\d\d"
)
THAI = re.compile(r"[\u0e00-\u0e7f]")
PERSON_NAMES = synthetic.FIRST_NAMES


@pytest.fixture(scope="module")
def sessions():
    return synthetic.synthetic_sessions(150, seed=7)


@pytest.fixture(scope="module")
def tables(sessions):
    return tables_from_sessions(sessions)


def report(tables, fmt, filters=None, **kwargs):
    return build_report(tables, fmt, filters, today=TODAY, **kwargs)


def need_browser():
    if images.find_browser() is None:
        message = "no chromium/chromium-browser/google-chrome on PATH: apt-get install chromium"
        if os.environ.get("SANGKHRO_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


# ----------------------------------------------------------------------------- PowerPoint


def open_deck(data: bytes):
    from pptx import Presentation

    return Presentation(io.BytesIO(data))


def slide_title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def all_runs(deck):
    """Every text run of the deck: text boxes, placeholders and table cells."""
    for slide in deck.slides:
        for shape in slide.shapes:
            frames_ = []
            if shape.has_text_frame:
                frames_.append(shape.text_frame)
            if shape.has_table:
                frames_ += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            for tf in frames_:
                for p in tf.paragraphs:
                    yield from p.runs


def test_deck_slides_titles_and_native_charts_equal_the_frames(tables):
    from pptx.util import Emu

    filters = Filters()
    rep = report(tables, "pptx", filters)
    assert rep.file_name.endswith(".pptx") and rep.mime.endswith("presentationml.presentation")
    deck = open_deck(rep.data)
    content = ReportContent(tables, filters, Display(), today=TODAY)
    t = apply_filters(tables, filters)
    quotes = frames.presentation_quotes(t)
    slides = list(deck.slides)
    titles = [slide_title(s) for s in slides]

    # 1 title slide, 4 chart slides, one per quote, then the follow-up table
    assert titles[0] == synthetic.PROGRAMME
    subtitle = slides[0].placeholders[1].text_frame.text
    m = frames.overview_metrics(t)
    assert BE_DATE.search(subtitle) and f"{m['sessions']:,} เวที" in subtitle
    assert f"ผู้เข้าร่วม {m['participants']:,} คน" in subtitle
    assert titles[1:5] == [
        "การเข้าร่วมของหน่วยงาน",
        "จำนวนเวทีรายเดือน",
        "ประเด็นที่ถูกหยิบยก",
        "ข้อเสนอแนะตามหมวด",
    ]
    assert len(quotes) == 5
    assert all(x.startswith("เสียงจากเวที · ") for x in titles[5:10])
    assert all(x.startswith("การติดตามข้อเสนอแนะ") for x in titles[10:])
    assert len(slides) == 10 + len(titles[10:]) and titles[10:]

    # the charts are native PowerPoint charts whose series are the dashboard's frames
    charts = [next(sh.chart for sh in s.shapes if sh.has_chart) for s in slides[1:5]]
    part = frames.participation_by_agency(t).head(20)
    months = frames.sessions_per_month(t)
    themes = frames.theme_counts(t).head(20)
    cats = frames.recommendations_by_category(t)
    expected = [
        [part["sessions"].tolist()],
        [months["sessions"].tolist()],
        [themes["sessions"].tolist()],
        [cats["recommendations"].tolist(), cats["acted_on"].tolist()],
    ]
    for chart, want in zip(charts, expected, strict=True):
        got = [[int(v) for v in s.values] for s in chart.plots[0].series]
        assert got == want
    assert list(charts[0].plots[0].categories) == [figures.short(a, 45) for a in part["agency"]]
    assert list(charts[1].plots[0].categories) == [Display().month(x) for x in months["month"]]
    assert chart_series(content)["participation_by_agency"]["frame"].equals(
        frames.participation_by_agency(t)
    )

    # every box lies on the slide
    for slide in slides:
        for shape in slide.shapes:
            assert 0 <= shape.left and shape.left + shape.width <= deck.slide_width, shape.name
            assert 0 <= shape.top and shape.top + shape.height <= deck.slide_height + Emu(1)


def test_deck_sets_a_thai_font_on_every_run_and_in_the_charts(tables):
    from pptx.oxml.ns import qn

    deck = open_deck(report(tables, "pptx").data)
    runs = list(all_runs(deck))
    thai_runs = [r for r in runs if THAI.search(r.text)]
    assert len(thai_runs) > 50
    for run in runs:
        rpr = run._r.find(qn("a:rPr"))
        assert rpr is not None, run.text
        for tag in ("a:latin", "a:ea", "a:cs"):
            assert rpr.find(qn(tag)).get("typeface") == PPTX_FONT, (tag, run.text)
        assert rpr.get("lang") == "th-TH"
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                cs = shape.chart._chartSpace.find(".//" + qn("c:txPr")).find(".//" + qn("a:cs"))
                assert cs.get("typeface") == PPTX_FONT


def test_deck_quotes_name_speaker_agency_session_and_date(tables):
    t = apply_filters(tables, Filters())
    quotes = frames.presentation_quotes(t)
    named = open_deck(report(tables, "pptx").data)
    anon = open_deck(report(tables, "pptx", anonymise=True).data)
    for deck, anonymise in ((named, False), (anon, True)):
        quote_slides = [s for s in deck.slides if slide_title(s).startswith("เสียงจากเวที")]
        assert len(quote_slides) == len(quotes)
        for slide, q in zip(quote_slides, quotes.to_dict("records"), strict=True):
            texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
            who = frames.speaker_display([q], anonymise)[0]
            assert f"“{q['text']}”" in texts
            assert f"— {who}" in texts
            assert any(Display().date(q["session_date"]) in x and q["title"] in x for x in texts)
            if anonymise:
                assert not any(name in x for x in texts for name in PERSON_NAMES)
                assert who.startswith(("เจ้าหน้าที่รัฐ", "ชาวบ้าน", "คุณอำนวย", "ประธาน", "ไม่ทราบ"))


def test_deck_follow_up_table_shows_status_and_owner(sessions):
    sessions = [dict(s) for s in sessions]
    first = next(s for s in sessions if s["record"]["recommendations"])
    first["followups"] = [dict(f) for f in first["followups"]]
    first["followups"][0].update(status="in_progress", owner_agency="องค์การบริหารส่วนตำบลทดสอบ")
    tables = tables_from_sessions(sessions)
    deck = open_deck(report(tables, "pptx").data)
    table_slides = [s for s in deck.slides if slide_title(s).startswith("การติดตามข้อเสนอแนะ")]
    recs = frames.recommendation_table(apply_filters(tables, Filters()))
    tables_ = [sh.table for s in table_slides for sh in s.shapes if sh.has_table]
    header = [c.text for c in tables_[0].rows[0].cells]
    assert header == ["ข้อความ", "หมวด", "สถานะ", "หน่วยงานรับผิดชอบ", "กำหนดเสร็จ", "เวที"]
    rows = [[c.text for c in r.cells] for tb in tables_ for r in list(tb.rows)[1:]]
    assert 0 < len(rows) <= len(recs)
    assert [r[0] for r in rows] == [fitting.shorten(x, 220) for x in recs["text"][: len(rows)]]
    statuses = [Display().status(s) for s in recs["status"][: len(rows)]]
    assert [r[2] for r in rows] == statuses
    row = recs.index[recs["owner_agency"] == "องค์การบริหารส่วนตำบลทดสอบ"][0]
    if row < len(rows):
        assert rows[row][2] == "กำลังดำเนินการ" and rows[row][3] == "องค์การบริหารส่วนตำบลทดสอบ"
    note = [sh.text_frame.text for sh in table_slides[-1].shapes if sh.has_text_frame]
    assert any(f"จาก {len(recs):,} ข้อ" in x for x in note)


def long_text_programme():
    """Three sessions whose recommendation is about 2,000 characters of Thai, said in a turn."""
    long = "ควรให้ อบต. " + "ทำงานร่วมกับกลุ่มออมทรัพย์และสภาองค์กรชุมชนตำบลอย่างต่อเนื่อง " * 30
    sessions = synthetic.synthetic_sessions(3, seed=1)
    for s in sessions:
        rec = s["record"]
        rec["kind"] = "transcript"
        rec["session_date"] = "2006-01-15"
        rec["title"] = "ถอดบทเรียน " * 30
        rec["turns"] = [
            {
                "speaker": "คุณสมชาย",
                "agency": "พช.",
                "speaker_role": "official",
                "text": "เริ่มเลย " + long,
            }
        ]
        rec["recommendations"] = [long]
        rec["recommendation_categories"] = [["work_through_tao"]]
        s["followups"] = [{"status": "agreed"}]
    return tables_from_sessions(sessions)


def test_long_thai_text_wraps_inside_its_box():
    deck = open_deck(report(long_text_programme(), "pptx").data)
    checked = 0
    for slide in deck.slides:
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            tf = shape.text_frame
            assert tf.word_wrap is True
            size = max(
                (r.font.size.pt for p in tf.paragraphs for r in p.runs if r.font.size), default=18
            )
            width = (shape.width - tf.margin_left - tf.margin_right) / 12_700
            height = (shape.height - tf.margin_top - tf.margin_bottom) / 12_700
            needed = sum(
                fitting.height_needed(p.text, width, max(r.font.size.pt for r in p.runs))
                for p in tf.paragraphs
                if p.runs
            )
            assert needed <= height * 1.02, (slide_title(slide), tf.text[:40], size)
            checked += 1
    assert checked >= 8
    quote = [
        sh.text_frame.text
        for s in deck.slides
        if slide_title(s).startswith("เสียงจากเวที")
        for sh in s.shapes
        if sh.has_text_frame and sh.text_frame.text.startswith("“")
    ]
    assert quote and quote[0].endswith("…") and len(quote[0]) < 2000  # cut to fit, and says so


def test_fit_estimate_counts_thai_marks_as_no_width():
    assert fitting.text_width_em("ที่") == pytest.approx(fitting.EM_PER_CHAR)  # ท; ี and ่ are marks
    size, text = fitting.fit_size("ก" * 50, 200, 40, 24, 10)
    assert fitting.height_needed(text, 200, size) <= 40 and text == "ก" * 50
    size, text = fitting.fit_size("ก" * 5000, 200, 40, 24, 10)
    assert size == 10 and text.endswith("…") and fitting.height_needed(text, 200, 10) <= 40


# ----------------------------------------------------------------------------- Excel


def test_workbook_sheets_rows_headers_and_dates(tables):
    from openpyxl import load_workbook

    rep = report(tables, "xlsx", anonymise=True)
    wb = load_workbook(io.BytesIO(rep.data))
    assert wb.sheetnames == list(SHEETS.values())
    t = apply_filters(tables, Filters())
    expected_rows = {
        "sessions": len(frames.session_table(t)),
        "agencies": len(frames.participation_by_agency(t)),
        "turns": len(t.turns),
        "themes": len(frames.theme_counts(t)),
        "categories": len(frames.recommendations_by_category(t)),
        "recommendations": len(frames.recommendation_table(t)),
    }
    for key, n in expected_rows.items():
        ws = wb[SHEETS[key]]
        assert ws.max_row == n + 1, key
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{n + 1}"
        head = ws.cell(1, 1)
        assert head.font.b and head.fill.fgColor.rgb.upper().endswith(
            figures.ACCENT.lstrip("#").upper()
        )
    sessions = wb[SHEETS["sessions"]]
    header = [c.value for c in sessions[1]]
    assert header[:4] == ["รหัสเวที", "วันที่จัด", "ปีงบประมาณ", "ชื่อเวที"]
    table = frames.session_table(t)
    dated = next(r for r in range(2, sessions.max_row + 1) if sessions.cell(r, 2).value)
    cell = sessions.cell(dated, 2)
    assert isinstance(cell.value, datetime) and cell.is_date
    assert cell.number_format == BE_DATE_FORMAT  # shown as 17 พ.ย. 2548
    assert cell.value.date() == table["session_date"].iloc[dated - 2].date()
    title_width = sessions.column_dimensions["D"].width
    assert title_width >= 30  # Thai titles are long: the column is wide (or wraps)
    # numbers equal the dashboard's tables
    part = frames.participation_by_agency(t)
    agencies = wb[SHEETS["agencies"]]
    assert [agencies.cell(r, 3).value for r in range(2, agencies.max_row + 1)] == part[
        "sessions"
    ].tolist()
    share = agencies.cell(2, 6)
    assert share.number_format == "0.0%" and share.value == pytest.approx(part["share_of_voice"][0])
    recs = wb[SHEETS["recommendations"]]
    assert [c.value for c in recs[1]][:7] == [
        "ข้อความ",
        "ผู้พูด",
        "หน่วยงาน",
        "หมวด",
        "ชื่อเวที",
        "วันที่จัด",
        "สถานะ",
    ]
    statuses = {recs.cell(r, 7).value for r in range(2, recs.max_row + 1)}
    assert statuses <= {"เสนอ", "เห็นชอบ", "กำลังดำเนินการ", "ดำเนินการแล้ว", "ยกเลิก"}
    # anonymised: no personal name in the turns or recommendations sheets
    turns = wb[SHEETS["turns"]]
    speakers = {turns.cell(r, 5).value for r in range(2, turns.max_row + 1)}
    assert not any(name in (s or "") for s in speakers for name in PERSON_NAMES)
    summary = {r[0]: r[1] for r in wb[SHEETS["summary"]].iter_rows(min_row=2, values_only=True)}
    assert summary["เวที"] == frames.overview_metrics(t)["sessions"]


def test_untrusted_text_is_text_in_every_format(sessions):
    sessions = [dict(s) for s in sessions[:20]]
    s = sessions[0]
    rec = dict(s["record"])
    rec["title"] = '=HYPERLINK("http://x","คลิก") <b>ตัวหนา</b>\x00\x07'
    rec["kind"] = "summary"
    s["record"] = rec
    tables = tables_from_sessions(sessions)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(report(tables, "xlsx").data))
    ws = wb[SHEETS["sessions"]]
    titles = {ws.cell(r, 4).value: ws.cell(r, 4) for r in range(2, ws.max_row + 1)}
    # control characters dropped; an apostrophe in front keeps it text even saved as CSV
    cell = titles['\'=HYPERLINK("http://x","คลิก") <b>ตัวหนา</b>']
    assert cell.data_type == "s"  # a string, never a formula
    assert report(tables, "pptx").data and report(tables, "docx").data


# ----------------------------------------------------------------------------- Word


def open_document(data: bytes):
    from docx import Document

    return Document(io.BytesIO(data))


def test_document_headings_tables_and_thai_font_on_every_run(tables, monkeypatch):
    from docx.oxml.ns import qn

    monkeypatch.setattr(images, "find_browser", lambda: None)  # the Word part without pictures
    rep = report(tables, "docx")
    assert rep.notes == [NO_BROWSER_MESSAGE]
    doc = open_document(rep.data)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "1. ภาพรวมโครงการ",
        "2. การเข้าร่วมของหน่วยงาน",
        "3. จำนวนเวทีตามช่วงเวลา",
        "4. ประเด็นที่ถูกหยิบยก",
        "5. ข้อเสนอแนะและการติดตาม",
        "6. เสียงจากเวที",
    ]
    assert doc.paragraphs[0].style.name == "Title"
    assert doc.paragraphs[0].text == "รายงานสรุปผลการจัดการความรู้"
    assert not doc.inline_shapes  # no Chromium: no pictures, the rest is there
    t = apply_filters(tables, Filters())
    part = frames.participation_by_agency(t)
    by_header = {tb.rows[0].cells[0].text: tb for tb in doc.tables}
    agency_table = by_header["หน่วยงาน"]
    assert len(agency_table.rows) == min(30, len(part)) + 1
    assert [r.cells[2].text for r in list(agency_table.rows)[1:]] == [
        f"{v:,}" for v in part["sessions"].head(30)
    ]
    cats = frames.recommendations_by_category(t)
    assert len(by_header["หมวดข้อเสนอแนะ"].rows) == len(cats) + 1
    followup = by_header["ข้อความ"]
    assert [c.text for c in followup.rows[0].cells][2:4] == ["สถานะ", "หน่วยงานรับผิดชอบ"]
    recs = frames.recommendation_table(t)
    assert len(followup.rows) == min(50, len(recs)) + 1
    assert [r.cells[2].text for r in list(followup.rows)[1:6]] == [
        Display().status(s) for s in recs["status"][:5]
    ]
    # TH Sarabun New on every run, for Thai (w:cs) too, and 16 pt body text
    body = doc.element.body
    runs = body.findall(".//" + qn("w:r"))
    assert len(runs) > 100
    for r in runs:
        fonts = r.find(qn("w:rPr")).find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert fonts.get(qn(attr)) == DOCX_FONT
    in_tables = set()
    for tb in body.iter(qn("w:tbl")):
        in_tables.update(tb.iter(qn("w:r")))
    body_runs = [r for r in runs if r not in in_tables and r.getparent().get("style") is None]
    sizes = {
        r.find(qn("w:rPr")).find(qn("w:szCs")).get(qn("w:val"))
        for r in body_runs
        if r.getparent().find(qn("w:pPr")) is None
        or r.getparent().find(qn("w:pPr")).find(qn("w:pStyle")) is None
    }
    assert "32" in sizes  # 16 pt
    normal = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:cs")) == DOCX_FONT and doc.styles["Normal"].font.size.pt == 16
    section = doc.sections[0]
    assert round(section.left_margin.cm, 1) == 3.0 and round(section.page_width.cm, 1) == 21.0


def test_document_has_chart_pictures_when_chromium_is_present(tables):
    need_browser()
    rep = report(tables, "docx")
    assert rep.notes == []
    doc = open_document(rep.data)
    assert len(doc.inline_shapes) == len(images.DOCUMENT_CHARTS)
    captions = [p.text for p in doc.paragraphs if p.text.startswith("ภาพที่ ")]
    assert captions[0] == "ภาพที่ 1 การเข้าร่วมของหน่วยงาน"


# ----------------------------------------------------------------------------- images


def test_png_of_a_chart_with_thai_labels_is_drawn(tables):
    need_browser()
    from PIL import Image

    rep = report(tables, "png", chart="participation_by_agency")
    img = Image.open(io.BytesIO(rep.data))
    content = ReportContent(tables)
    fig = images.chart_figure(content, "participation_by_agency")
    assert img.format == "PNG"
    assert img.size == (images.CHART_WIDTH * 2, int(fig.layout.height) * 2)
    dark = sum(img.convert("L").histogram()[:128])
    assert dark / (img.size[0] * img.size[1]) > 0.02  # bars and text, not a blank page
    colours = img.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 50  # anti-aliased glyphs, not flat boxes
    # the Thai labels are drawn as glyphs: a label's row holds ink left of the bars
    assert any(THAI.search(str(y)) for y in fig.data[0].y)


def test_image_progress_is_reported_from_the_calling_thread(tables):
    """A Streamlit page may only touch its progress bar from its own thread; kaleido draws in
    another, so the export hands progress back to the caller's thread."""
    need_browser()
    import threading

    threads = set()
    calls = []

    def progress(done, total, label):
        threads.add(threading.get_ident())
        calls.append(done / total)

    report(tables, "png", chart="theme_counts", progress=progress)
    assert threads == {threading.get_ident()}
    assert calls[0] == 0 and calls[-1] == 1


def test_pdf_of_the_one_page_summary(tables):
    need_browser()
    rep = report(tables, "pdf", Filters(fiscal_years=(2549, 2550)), anonymise=True)
    assert rep.data.startswith(b"%PDF") and rep.mime == "application/pdf"
    assert len(re.findall(rb"/Type\s*/Page[^s]", rep.data)) == 1


def test_without_chromium_images_say_so_in_one_line(tables, monkeypatch):
    monkeypatch.setattr(images.shutil, "which", lambda name: None)
    with pytest.raises(BrowserNotFound) as err:
        report(tables, "png", chart="theme_counts")
    message = str(err.value)
    assert "\n" not in message and "Chromium" in message and THAI.search(message)
    rep = report(tables, "docx")
    assert rep.notes == [message] and not open_document(rep.data).inline_shapes


def test_every_dashboard_chart_has_a_static_figure(tables):
    content = ReportContent(tables)
    for name in CHART_NAMES:
        fig = images.chart_figure(content, name)
        assert images.IMAGE_FONT_FAMILY in (fig.layout.font.family or "")
    with pytest.raises(ValueError, match="unknown chart"):
        images.chart_figure(content, "nope")


def test_static_figures_escape_markup_from_the_records():
    sessions = synthetic.synthetic_sessions(10, seed=2)
    for s in sessions:
        s["record"]["themes"] = ["<a href='x'>ประเด็น</a>"]
        s["record"]["kind"] = "summary"
    fig = images.chart_figure(ReportContent(tables_from_sessions(sessions)), "theme_counts")
    assert "&lt;a href='x'&gt;ประเด็น&lt;/a&gt;" in fig.data[0].y


# ----------------------------------------------------------------------------- filters, progress


def test_filters_cut_the_exports_as_they_cut_the_dashboard(tables):
    filters = Filters(fiscal_years=(2550,), provinces=("น่าน", "ขอนแก่น", "สุรินทร์"))
    t = apply_filters(tables, filters)
    assert 0 < len(t.sessions) < len(tables.sessions)
    deck = open_deck(report(tables, "pptx", filters).data)
    chart = next(sh.chart for sh in list(deck.slides)[1].shapes if sh.has_chart)
    assert [int(v) for v in chart.plots[0].series[0].values] == (
        frames.participation_by_agency(t).head(20)["sessions"].tolist()
    )
    assert "ปีงบฯ 2550" in list(deck.slides)[0].placeholders[1].text_frame.text
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(report(tables, "xlsx", filters).data))
    assert wb[SHEETS["sessions"]].max_row == len(frames.session_table(t)) + 1


@pytest.mark.parametrize("fmt", ["pptx", "xlsx", "docx"])
def test_progress_is_reported_to_the_end(tables, fmt, monkeypatch):
    monkeypatch.setattr(images, "find_browser", lambda: None)
    calls = []
    report(tables, fmt, progress=lambda done, total, label: calls.append((done, total, label)))
    assert len(calls) >= 3
    fractions = [d / t for d, t, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1
    assert all(isinstance(label, str) and label for _, _, label in calls)


def test_large_programme_exports_with_progress():
    big = synthetic.synthetic_tables(2_000, seed=11)
    for fmt in ("xlsx", "pptx"):
        calls: list[tuple[int, int]] = []
        rep = report(big, fmt, progress=lambda d, t, label, calls=calls: calls.append((d, t)))
        assert rep.data and calls[-1][0] == calls[-1][1]
        assert len(calls) >= 8


def test_unknown_format_or_chart_says_what_to_use(tables):
    with pytest.raises(ValueError, match="pptx, xlsx, docx, png, pdf"):
        report(tables, "odp")
    with pytest.raises(ValueError, match="unknown chart"):
        report(tables, "png", chart="pie")


# ----------------------------------------------------------------------------- the real store, CLI


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    """The bundled sample imported through the real import path into a SQLite store."""
    from analysis import ingest, sample, store

    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'store.db'}"
    engine = store.get_engine(url)
    summary = ingest.import_paths(
        engine, sample.sample_paths(), programme=sample.SAMPLE_PROGRAMME, actor=ACTOR
    )
    assert summary.imported
    engine.dispose()
    return url


def test_cli_report_through_the_store_equals_the_frames(sample_store, tmp_path, capsys):
    from openpyxl import load_workbook

    from analysis import store
    from analysis.__main__ import main

    out = tmp_path / "deck.pptx"
    assert (
        main(
            [
                "report",
                "--format",
                "pptx",
                "--out",
                str(out),
                "--database-url",
                sample_store,
                "--anonymise",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "เขียนแล้ว (written)" in captured.out and "[" in captured.err  # the progress bar
    engine = store.get_engine(sample_store)
    try:
        t = apply_filters(store.load_tables(engine), Filters())
    finally:
        engine.dispose()
    deck = open_deck(out.read_bytes())
    assert slide_title(list(deck.slides)[0]) == "โครงการบูรณาการเพื่อพัฒนาองค์กรการเงินชุมชน (ตัวอย่าง)"
    chart = next(sh.chart for sh in list(deck.slides)[4].shapes if sh.has_chart)
    cats = frames.recommendations_by_category(t)
    assert [int(v) for v in chart.plots[0].series[0].values] == cats["recommendations"].tolist()

    out = tmp_path / "book.xlsx"
    query = "http://localhost:8501/?fy=2567&kind=transcript&kind=summary"
    assert (
        main(
            [
                "report",
                "--format",
                "xlsx",
                "--out",
                str(out),
                "--database-url",
                sample_store,
                "--query",
                query,
            ]
        )
        == 0
    )
    filtered = apply_filters(t, Filters(fiscal_years=(2567,)))
    assert 0 < len(filtered.sessions) < len(t.sessions)
    wb = load_workbook(out)
    assert wb[SHEETS["sessions"]].max_row == len(frames.session_table(filtered)) + 1
    assert wb[SHEETS["turns"]].max_row == len(filtered.turns) + 1


def test_cli_without_chromium_fails_in_one_line(sample_store, tmp_path, capsys, monkeypatch):
    from analysis.__main__ import main

    monkeypatch.setattr(images.shutil, "which", lambda name: None)
    out = tmp_path / "chart.png"
    assert (
        main(
            [
                "report",
                "--format",
                "png",
                "--chart",
                "theme_counts",
                "--out",
                str(out),
                "--database-url",
                sample_store,
            ]
        )
        == 1
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"error: {NO_BROWSER_MESSAGE}" and not out.exists()
    assert (
        main(
            [
                "report",
                "--format",
                "pptx",
                "--chart",
                "theme_counts",
                "--out",
                str(out),
                "--database-url",
                sample_store,
            ]
        )
        == 2
    )


def test_cli_reads_buddhist_era_dates_and_years():
    from analysis.export_report.cli import _day, _fiscal_year

    assert _day("2548-11-17") == date(2005, 11, 17) == _day("2005-11-17")
    assert _fiscal_year("2549") == 2549 == _fiscal_year("2006")


# ----------------------------------------------------------------------------- the dashboard


@pytest.mark.usefixtures("fresh_caches")
def test_present_page_prepares_and_offers_each_format(dashboard_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP, PAGES

    monkeypatch.setattr(images.shutil, "which", lambda name: None)  # as on a machine without it
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page(PAGES["present"])
    at.run()
    keys = [b.key for b in at.button]
    assert {"export_pptx", "export_xlsx", "export_docx", "export_png", "export_pdf"} <= set(keys)
    assert at.button(key="export_png").disabled and at.button(key="export_pdf").disabled
    assert NO_BROWSER_MESSAGE in [i.value for i in at.info]
    at.button(key="export_xlsx").click()
    at.run()
    assert not at.exception
    downloads = [d for d in at.get("download_button") if (d.key or "").startswith("export_")]
    assert [d.key for d in downloads] == ["export_download_xlsx"]
    assert downloads[0].proto.label.endswith(".xlsx")
