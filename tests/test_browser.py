"""A real browser drives the running dashboard: every page renders its charts, no error box.

Starts ``streamlit run app.py`` on a free localhost port with its own SQLite store (the app
imports the bundled sample on first run, as it does for a new user), then visits every page in
Debian's Chromium through Playwright and saves a screenshot per page into tests/artifacts/.
Skipped when Chromium or Playwright is missing, unless SANGKHRO_REQUIRE_BROWSER=1 (CI), then failed.
"""

from __future__ import annotations

import pytest

from tests.browser_support import ARTIFACTS, chromium, need_browser, settle, streamlit_server

# (path, screenshot name, plotly charts expected at least)
PAGES = [
    ("", "overview", 3),
    ("sessions", "sessions", 0),
    ("sessions?session=3", "session", 0),
    ("agencies", "agencies", 6),
    ("themes", "themes", 6),
    ("recommendations", "recommendations", 1),
    ("import", "import_queue", 0),
    ("import?session=3", "import_review", 0),
    ("present", "present", 0),  # the key-number slide: numbers, no chart
    ("present?slide=3", "present_chart", 1),
    ("?lang=en&province=%E0%B8%99%E0%B9%88%E0%B8%B2%E0%B8%99", "overview_en_filtered", 3),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    need_browser()
    db = tmp_path_factory.mktemp("browser") / "store.db"
    # no sign-in (whatever this shell sets): the local admin, on 127.0.0.1
    env = {"SANGKHRO_DATABASE_URL": f"sqlite:///{db}", "SANGKHRO_SAMPLE": "1", "SANGKHRO_AUTH": ""}
    with streamlit_server(tmp_path_factory.mktemp("browser_log"), env) as url:
        yield url


@pytest.fixture(scope="module")
def page(server):
    with chromium() as browser:
        yield browser.new_page(viewport={"width": 1440, "height": 2400}, locale="th-TH")


@pytest.mark.parametrize("path, name, charts", PAGES, ids=[p[1] for p in PAGES])
def test_page_renders_charts_without_errors(server, page, path, name, charts):
    page.goto(f"{server}/{path}")
    settle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.all_inner_texts()
    dialogs = [t for t in page.locator('[role="dialog"]').all_inner_texts() if "not found" in t]
    assert not dialogs, dialogs
    drawn = page.locator(".js-plotly-plot .main-svg")
    assert page.locator(".js-plotly-plot").count() >= charts
    if charts:
        assert drawn.count() >= charts
        family = page.locator(".js-plotly-plot text").first.evaluate(
            "el => getComputedStyle(el).fontFamily"
        )
        assert "Sarabun" in family or "Noto Sans Thai" in family or "Loma" in family
    nav = page.locator('[data-testid="stSidebarNav"]')
    if path.startswith("present"):  # the projector: the sidebar (nav, filters) closed, off screen
        box = nav.bounding_box()
        assert box is None or box["x"] + box["width"] <= 0, box
    else:
        assert nav.inner_text().count("\n") >= 6


def test_filters_follow_the_user_to_the_next_page(server, page):
    page.goto(f"{server}/?province=%E0%B8%99%E0%B9%88%E0%B8%B2%E0%B8%99")
    settle(page)
    page.locator('[data-testid="stSidebarNavLink"]').nth(2).click()  # หน่วยงาน
    settle(page)
    assert "province=" in page.url and "/agencies" in page.url
    assert "น่าน" in page.locator('[data-testid="stSidebar"]').inner_text()
