"""AppTest (issue 12, part B): hidden records are said and can be shown, search results show
each match in its words, and picking a theme opens its sessions and quotes with session links.

The store is the bundled sample imported through the real import path (`dashboard_store`);
expected numbers come from tests/sample_facts.json or from relations between what the page shows.
"""

from __future__ import annotations

import pytest

from analysis.i18n import WORD_JOINER
from tests.conftest import sample_facts
from tests.test_app import frame_with, open_page, rerun

FACTS = sample_facts()

pytestmark = pytest.mark.usefixtures("dashboard_store", "fresh_caches")


def _captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_hidden_records_are_said_and_shown_on_request():
    at = open_page("sessions")
    assert len(frame_with(at, "รหัสเวที")) == FACTS["sessions"]
    said = f"ซ่อนบันทึกที่ไม่ใช่การประชุม {FACTS['other']} รายการ"
    assert said in _captions(at)
    at.button(key="kind_notice").click()
    rerun(at)
    assert len(frame_with(at, "รหัสเวที")) == FACTS["records"]  # all 44, none hidden
    assert "other" in at.sidebar.multiselect(key="f_kinds").value
    assert f"แสดงบันทึกที่ไม่ใช่การประชุม {FACTS['other']} รายการ" in _captions(at)
    at.button(key="kind_notice").click()  # and hidden again
    rerun(at)
    assert len(frame_with(at, "รหัสเวที")) == FACTS["sessions"]


def test_every_data_page_says_what_the_kind_filter_hides():
    for page in ("overview", "agencies", "themes", "recommendations"):
        at = open_page(page)
        assert f"ซ่อนบันทึกที่ไม่ใช่การประชุม {FACTS['other']} รายการ" in _captions(at), page


def test_search_shows_each_match_in_context():
    at = open_page("sessions")
    at.text_input(key="search").set_value("ชาวบ้านทำบัญชี")
    rerun(at)
    found = frame_with(at, "รหัสเวที")
    passages = [m.value for m in at.markdown if ":orange-background[" in m.value]
    assert passages
    for text in passages:
        match = text.split(":orange-background[**", 1)[1].split("**]", 1)[0]
        assert match.replace(WORD_JOINER, "") in ("ชาวบ้าน", "ทำบัญชี")
    links = [p for p in at.get("page_link") if "session" in str(p.proto.query_string)]
    assert links and len(links) <= len(found)


def test_search_context_escapes_markdown_in_session_text():
    at = open_page("sessions")
    at.text_input(key="search").set_value("อบต")
    rerun(at)
    for m in at.markdown:
        if ":orange-background[" in m.value:
            body = m.value.replace(":orange-background[", "", 1)
            # nothing from the session may open a link, an image or another highlight
            assert "](" not in body.replace("\\](", "") and ":red[" not in body


def test_picking_a_theme_opens_its_sessions_and_quotes_with_links():
    at = open_page("themes")
    counts = frame_with(at, "ประเด็น")
    theme, n = counts["ประเด็น"].iloc[0], int(counts["จำนวนเวที"].iloc[0])
    at.selectbox(key="drill_theme").set_value(theme)
    rerun(at)
    assert f"{n} เวที" in _captions(at)
    quotes = [t.value for t in at.text if t.value.startswith("“")]
    assert quotes
    links = [p.proto.query_string for p in at.get("page_link")]
    assert any(q.startswith("session=") for q in links), links


def test_themes_over_time_by_fiscal_quarter():
    at = open_page("themes")
    at.button_group(key="theme_grain").set_value("quarter")
    rerun(at)
    table = frame_with(at, "ไตรมาส")
    assert set(table["ไตรมาส"]) == {1, 2, 3, 4}
    assert not at.error
