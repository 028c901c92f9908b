"""A real browser drives the running dashboard: every page renders its charts, no error box.

Starts ``streamlit run app.py`` on a free localhost port with its own SQLite store (the app
imports the bundled sample on first run, as it does for a new user), then visits every page in
Debian's Chromium through Playwright and saves a screenshot per page into tests/artifacts/.
Skipped when Chromium or Playwright is missing, unless SANGKHRO_REQUIRE_BROWSER=1 (CI), then failed.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
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
    ("present", "present", 1),
    ("present?slide=3", "present_chart", 1),
    ("?lang=en&province=%E0%B8%99%E0%B9%88%E0%B8%B2%E0%B8%99", "overview_en_filtered", 3),
]


def _need_browser():
    reason = None
    if not os.path.exists(CHROMIUM):
        reason = f"Chromium not found at {CHROMIUM}: install Debian's chromium (.ci/run does)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright package is missing (pip install -r requirements-dev.txt)"
    if reason:
        if os.environ.get("SANGKHRO_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(database_url: str, log_dir: Path, **extra_env: str):
    """``streamlit run app.py`` on a free localhost port against `database_url`; yields its URL."""
    _need_browser()
    port = _free_port()
    env = {**os.environ, "SANGKHRO_DATABASE_URL": database_url, **extra_env}
    if "SANGKHRO_SAMPLE" not in extra_env:
        env.pop("SANGKHRO_SAMPLE", None)
    log = open(log_dir / "streamlit.log", "w+")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                log.seek(0)
                pytest.fail(f"streamlit did not start:\n{log.read()[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "store.db"
    with streamlit_server(f"sqlite:///{db}", tmp_path_factory.mktemp("browser_log")) as url:
        yield url


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1440, "height": 2400}, locale="th-TH")
        yield tab
        browser.close()


def _settle(tab, timeout_s: float = 120) -> None:
    """Wait until the script has finished and no skeleton placeholder is left."""
    tab.wait_for_selector('[data-testid="stApp"]', timeout=timeout_s * 1000)
    deadline = time.time() + timeout_s
    tab.wait_for_timeout(500)
    while time.time() < deadline:
        state = tab.locator('[data-testid="stApp"]').get_attribute("data-test-script-state")
        if state != "running" and tab.locator('[data-testid="stSkeleton"]').count() == 0:
            break
        tab.wait_for_timeout(250)
    tab.wait_for_timeout(1000)


@pytest.mark.parametrize("path, name, charts", PAGES, ids=[p[1] for p in PAGES])
def test_page_renders_charts_without_errors(server, page, path, name, charts):
    page.goto(f"{server}/{path}")
    _settle(page)
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
    assert page.locator('[data-testid="stSidebarNav"]').inner_text().count("\n") >= 6


def test_filters_follow_the_user_to_the_next_page(server, page):
    page.goto(f"{server}/?province=%E0%B8%99%E0%B9%88%E0%B8%B2%E0%B8%99")
    _settle(page)
    page.locator('[data-testid="stSidebarNavLink"]').nth(2).click()  # หน่วยงาน
    _settle(page)
    assert "province=" in page.url and "/agencies" in page.url
    assert "น่าน" in page.locator('[data-testid="stSidebar"]').inner_text()
