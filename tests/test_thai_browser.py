"""A real browser (issue 12, part C): the English switch relabels the chips already chosen, and
the review page's text and fields sit side by side with "save and next" in view on a laptop.

Starts ``streamlit run app.py`` with its own SQLite store (the bundled sample is imported on
first run) and drives Debian's Chromium through Playwright; screenshots go to tests/artifacts/.
Skipped when Chromium or Playwright is missing, unless SANGKHRO_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser_support import ARTIFACTS, chromium, settle
from tests.test_browser import server  # noqa: F401  (the same server, one per module)


@pytest.fixture(scope="module")
def browser(server):  # noqa: F811
    with chromium() as b:
        yield b


def test_switching_to_english_relabels_the_chosen_filter_chips(server, browser):  # noqa: F811
    tab = browser.new_page(viewport={"width": 1440, "height": 900}, locale="th-TH")
    tab.goto(f"{server}/?kind=transcript&kind=summary&theme={quote('กลุ่มออมทรัพย์')}")
    settle(tab)
    sidebar = tab.locator('[data-testid="stSidebar"]')
    chips = sidebar.locator('[data-testid="stMultiSelect"]')
    assert "บันทึกคำพูด\nสรุปเวที" in "\n".join(chips.all_inner_texts())
    sidebar.get_by_text("English").first.click()
    settle(tab)
    tab.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar]').innerText.includes('Record kind')"
    )
    shown = "\n".join(chips.all_inner_texts())
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "thai_english_chips.png"))
    assert "Transcript\nSummary" in shown and "Savings groups" in shown
    assert "บันทึกคำพูด" not in shown and "กลุ่มออมทรัพย์" not in shown
    tab.close()


@pytest.mark.parametrize("width, height", [(1366, 768), (1440, 900)])
def test_the_review_panes_and_save_and_next_fit_a_laptop_screen(server, browser, width, height):  # noqa: F811
    tab = browser.new_page(viewport={"width": width, "height": height}, locale="th-TH")
    tab.goto(server)  # the first run of a server: its main page, then the deep link
    settle(tab)
    tab.goto(f"{server}/import?session=4")
    settle(tab)
    text_label = tab.get_by_text("ข้อความพร้อมส่วนที่พบ", exact=True).first
    fields_label = tab.get_by_text("ผลการสกัดข้อมูล", exact=True).first
    text_label.evaluate("el => el.scrollIntoView({block: 'start'})")
    tab.wait_for_timeout(300)
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"thai_review_{width}x{height}.png"))
    left, right = text_label.bounding_box(), fields_label.bounding_box()
    assert abs(left["y"] - right["y"]) < 5 and left["x"] + 200 < right["x"]  # side by side
    button = tab.get_by_role("button", name="บันทึกแล้วไปรายการถัดไป").bounding_box()
    assert button and 0 <= button["y"] and button["y"] + button["height"] <= height
    assert button["x"] + button["width"] <= width
    tab.close()
