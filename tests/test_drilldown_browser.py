"""A real browser clicks a chart and finds the answer where it is looking (issue 12).

On a laptop screen (1440×900), clicking the biggest bar of the themes chart opens its sessions and
quotes over the page: the dialog's first quote lies inside the viewport without any scrolling,
the dialog counts as many sessions as the bar says, and each quote's session is a link to
``sessions?session=ID``; closed and clicked again, the bar shows it again. Clicking a
co-attendance cell on the agencies page does the same.
Screenshots go to tests/artifacts/. Skipped without Chromium/Playwright (failed in CI).
"""

from __future__ import annotations

import re

import pytest

from tests.browser_support import ARTIFACTS, chromium, need_browser, settle, streamlit_server

VIEWPORT = {"width": 1440, "height": 900}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    need_browser()
    db = tmp_path_factory.mktemp("drill") / "store.db"
    env = {"SANGKHRO_DATABASE_URL": f"sqlite:///{db}", "SANGKHRO_SAMPLE": "1", "SANGKHRO_AUTH": ""}
    with streamlit_server(tmp_path_factory.mktemp("drill_log"), env) as url:
        yield url


@pytest.fixture
def tab(server):
    with chromium() as browser:
        page = browser.new_page(viewport=VIEWPORT, locale="th-TH")
        yield page


def _scroll_top(tab) -> int:
    return tab.evaluate(
        "() => Math.max(window.scrollY,"
        " ...[...document.querySelectorAll('[data-testid=stMain], section.main')]"
        ".map(e => e.scrollTop))"
    )


def _click(tab, box) -> None:
    """Click the middle of a box as a person does (plotly reads the hover, then the click)."""
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    tab.mouse.move(x, y)
    tab.wait_for_timeout(300)
    tab.mouse.click(x, y)


def _inside_viewport(box) -> bool:
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= VIEWPORT["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= VIEWPORT["width"]
    )


def _dialog(tab):
    dialog = tab.locator('[role="dialog"]')
    dialog.first.wait_for(state="visible", timeout=60_000)
    settle(tab)
    return dialog.first


def test_clicking_a_theme_bar_shows_its_quotes_in_view(server, tab):
    tab.goto(f"{server}/themes")
    settle(tab)
    chart = tab.locator(".js-plotly-plot").first
    chart.locator(".bars path").first.wait_for(timeout=120_000)
    labels = chart.locator(".bars text.bartext")
    values = [int(re.match(r"\d+", t).group()) for t in labels.all_text_contents()]
    biggest = max(range(len(values)), key=values.__getitem__)
    bar = chart.locator(".bars path").nth(biggest)
    assert _inside_viewport(bar.bounding_box())  # the chart is where the user is looking
    before = _scroll_top(tab)

    _click(tab, bar.bounding_box())
    dialog = _dialog(tab)
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "drilldown_theme_bar.png"))

    assert _scroll_top(tab) == before  # nothing scrolled: the answer came to the user
    text = dialog.inner_text()
    assert f"{values[biggest]} เวที" in text  # as many sessions as the bar says
    quote = dialog.locator('[data-testid="stText"]').first
    assert "“" in quote.inner_text()
    assert _inside_viewport(quote.bounding_box())
    links = dialog.locator("a[href*='session=']")
    assert links.count() > 0
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert all(re.search(r"(^|/)sessions\?session=\d+$", h) for h in hrefs), hrefs
    assert _inside_viewport(links.first.bounding_box())

    tab.keyboard.press("Escape")  # closed, then the same bar clicked again: shown again
    tab.wait_for_timeout(800)
    assert tab.locator('[role="dialog"]').count() == 0
    _click(tab, bar.bounding_box())
    dialog = _dialog(tab)
    assert f"{values[biggest]} เวที" in dialog.inner_text()
    links = dialog.locator("a[href*='session=']")

    links.first.click()  # the quote's session opens on its own page
    settle(tab)
    assert re.search(r"/sessions\?session=\d+", tab.url)
    assert tab.locator('[data-testid="stChatMessage"]').count() > 0


CELL_CENTRE = """(el, rc) => {
  const L = el._fullLayout, b = el.getBoundingClientRect();
  return [b.x + L.xaxis._offset + L.xaxis.c2p(rc[1]), b.y + L.yaxis._offset + L.yaxis.c2p(rc[0])];
}"""


def test_clicking_a_coattendance_cell_shows_the_sessions_both_attended(server, tab):
    tab.goto(f"{server}/agencies")
    settle(tab)
    heatmap = tab.locator(".js-plotly-plot").nth(4)  # participation, voice ×2, agency×theme, this
    heatmap.evaluate("el => el.scrollIntoView({block: 'start'})")
    settle(tab)
    n = heatmap.evaluate("el => el.data[0].y.length")
    row, col = 1, 0  # the first two agencies: a pair, not the grey diagonal
    hover = heatmap.evaluate("(el, i) => el.data[el.data.length - 1].hovertext[i]", row * n + col)
    together = int(hover.rsplit(": ", 1)[1].replace(",", ""))
    x, y = heatmap.evaluate(CELL_CENTRE, [row, col])
    _click(tab, {"x": x, "y": y, "width": 0, "height": 0})
    dialog = _dialog(tab)
    tab.screenshot(path=str(ARTIFACTS / "drilldown_coattendance_cell.png"))
    text = dialog.inner_text()
    assert "หน่วยงาน:" in text and "ร่วมกับหน่วยงาน:" in text
    assert f"{together} เวที" in text  # the sessions both attended, as the cell says
    if together:
        assert _inside_viewport(dialog.locator("a[href*='session=']").first.bounding_box())
