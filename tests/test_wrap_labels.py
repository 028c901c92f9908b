"""Chart labels are wrapped between words, never cut with "…", and the hover keeps the full text."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import figures, phrases
from analysis.i18n import Display

LONG = [
    "สำนักงานส่งเสริมการศึกษานอกระบบและการศึกษาตามอัธยาศัย",
    "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)",
    "การทำงานร่วมกับ อบต. และองค์กรปกครองส่วนท้องถิ่นในการทำแผนพัฒนาตำบล",
    "Working with the subdistrict administration (TAO) and other local bodies",
]


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("label", LONG)
@pytest.mark.parametrize("width", [16, 22, 32])
def test_a_long_label_is_wrapped_whole_within_the_width(label, width):
    wrapped = figures.wrap(label, width)
    lines = wrapped.split(figures.LINE_BREAK)
    assert (len(lines) >= 2) == (figures._width(label) > width) and "…" not in wrapped
    assert wrapped.replace(figures.LINE_BREAK, "") == label  # nothing cut, nothing added
    assert figures.short(label, width) == wrapped  # short() wraps too: no "…" anywhere
    for line in lines:
        assert line.strip() and line == line.lstrip()
        # within the width, unless the line is one piece that cannot be broken
        text = line.rstrip()  # a line broken at a space keeps it at its end
        assert figures._width(text) <= width or len(figures._pieces(text, width)) == 1
    assert not any(line.endswith("(") or line.startswith(")") for line in lines)


def test_breaks_fall_between_words_not_inside_one():
    label = "กลุ่มออมทรัพย์เพื่อการผลิตและกองทุนหมู่บ้านในตำบลนำร่อง"
    lines = figures.wrap(label, 28).split(figures.LINE_BREAK)
    ends, at = set(), 0
    for word in phrases.segment(label):
        at += len(word)
        ends.add(at)
    at = 0
    for line in lines[:-1]:
        at += len(line)
        assert at in ends, (line, lines)
    assert len(lines) >= 2 and "กลุ่มออมทรัพย์" in lines[0]


def test_short_labels_and_blanks_are_left_as_they_are():
    assert figures.wrap("ธนาคารออมสิน") == "ธนาคารออมสิน"
    assert figures.wrap(None) == "" and figures.wrap(float("nan")) == ""
    # Thai marks above and below a letter take no width: 30 letters with marks fit in 30
    assert figures.wrap("ผู้ใหญ่บ้านที่ดูแลกองทุนหมู่บ้าน", 28).count(figures.LINE_BREAK) == 0


def test_a_bar_chart_shows_wrapped_labels_and_the_full_text_in_the_hover():
    agencies = LONG[:2] + ["ธนาคารออมสิน", "<b>หน่วยงานที่ชื่อยาวมากและมีแท็กอยู่ในชื่อด้วย</b>"]
    frame = pd.DataFrame(
        {
            "agency": agencies,
            "sessions": [5, 4, 3, 1],
            "turns": [9, 8, 7, 1],
            "chars": [90, 80, 70, 10],
            "share_of_voice": [0.4, 0.3, 0.2, 0.1],
        }
    )
    fig = figures.participation_chart(frame, Display())
    bar = fig.data[0]
    ys = list(bar.y)
    assert any("<br>" in y for y in ys) and not any("…" in y for y in ys)
    # the untrusted tag is escaped, and only our line breaks are markup
    assert not any("<b>" in y for y in ys)
    assert any("&lt;b&gt;" in y for y in ys)
    assert [y.replace("<br>", "").replace(" ", "") for y in ys] == [
        squeeze(a.replace("<", "&lt;").replace(">", "&gt;")) for a in agencies
    ][::-1]
    hover = list(bar.hovertext)
    assert any(h.startswith(f"{LONG[0]} — ") for h in hover)  # the full name, unwrapped
    assert any(h.startswith(f"{LONG[1]} — ") for h in hover)
    # room for the extra lines: taller than the same number of one-line bars
    many = pd.concat([frame] * 3, ignore_index=True).assign(sessions=range(12, 0, -1))
    one_line = many.assign(agency=[f"หน่วย {i}" for i in range(12)])
    many = many.assign(agency=[f"{a} {i}" for i, a in enumerate(many["agency"])])
    assert (
        figures.participation_chart(many, Display()).layout.height
        > figures.participation_chart(one_line, Display()).layout.height
    )


def test_a_heatmap_wraps_row_labels_and_keeps_rotated_column_labels_on_one_line():
    matrix = pd.DataFrame([[3, 1], [0, 2]], index=LONG[:2], columns=[LONG[2], "สวัสดิการชุมชน"])
    fig = figures.agency_theme_chart(matrix, Display())
    heat = fig.data[0]
    assert any("<br>" in y for y in heat.y)
    assert [y.replace("<br>", "") for y in heat.y] == LONG[:2]
    assert list(heat.x) == [LONG[2], "สวัสดิการชุมชน"]  # drawn at an angle: one line


def test_chart_label_escapes_then_breaks_lines():
    from analysis.safe_text import chart_label

    assert chart_label("<a href='x'>ก</a>\nข") == "&lt;a href='x'&gt;ก&lt;/a&gt;<br>ข"


# ----------------------------------------------------------------------------- tables


def test_a_table_with_long_texts_gets_rows_tall_enough_to_wrap():
    short_only = pd.DataFrame({"จังหวัด": ["น่าน", "พัทลุง"], "เวที": [3, 4]})
    assert figures.table_row_height(short_only) is None  # one line per row
    quotes = short_only.assign(ข้อความ=[None, LONG[2]])
    assert figures.table_row_height(quotes) == figures.WRAP_ROW_PX
    assert figures.WRAP_ROW_PX > 64  # Streamlit's grid wraps only rows over 4 rem (64 px)


@pytest.mark.usefixtures("dashboard_store", "fresh_caches")
def test_the_recommendations_table_wraps_its_texts_in_the_app():
    from tests.test_app import open_page

    at = open_page("recommendations")
    table = next(df for df in at.dataframe if "ข้อความ" in df.value.columns)
    assert table.value["ข้อความ"].str.len().max() > figures.WRAP_CELL_CHARS
    assert table.proto.row_height == figures.WRAP_ROW_PX


def test_heatmap_rows_grow_with_their_wrapped_labels():
    """Two-line agency names get rows tall enough not to overlap their neighbours."""
    cols = ["ก", "ข"]
    long = [f"{LONG[0]} {i}" for i in range(12)]
    short_rows = [f"อบต.{i}" for i in range(12)]
    tall = figures.heatmap(pd.DataFrame(1, index=long, columns=cols), "t", Display())
    flat = figures.heatmap(pd.DataFrame(1, index=short_rows, columns=cols), "t", Display())
    lines = max(str(y).count(figures.LINE_BREAK) + 1 for y in tall.data[0].y)
    assert lines >= 2
    assert (tall.layout.height - 120) / 12 >= 17 * lines  # each row holds its label's lines
    assert flat.layout.height < tall.layout.height
