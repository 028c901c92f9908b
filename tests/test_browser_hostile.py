"""Untrusted record text in a real browser: Markdown and HTML in a title, speaker, agency, theme,
recommendation or file name show as plain text on every page and chart, so nothing loads from
outside and no link is live.

A local HTTP server counts the requests it gets; the records point images and links at it. After
Chromium has visited every page (and every slide of the projector mode) the count must be 0 and no
element may link to it. Skipped like tests/test_browser.py without Chromium/Playwright.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from analysis import store
from analysis.auth import local_admin
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    need_browser,
    settle,
    streamlit_server,
)

ADMIN = local_admin()


class _Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        _Counter.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.end_headers()
        self.wfile.write(b"GIF89a")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def trap():
    need_browser()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def hostile(trap: str, what: str) -> str:
    """Markdown image, HTML image, Markdown link and HTML link, all pointing at the trap."""
    return (
        f"{what} ![x](http://{trap}/md-img-{what}) <img src=http://{trap}/html-img-{what}> "
        f'[ลิงก์](http://{trap}/md-link-{what}) <a href="http://{trap}/a-{what}">คลิก</a> '
        f"<b>หนา</b> **ตัวหนา**"
    )


@pytest.fixture(scope="module")
def hostile_server(trap, tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile") / "store.db"
    url = f"sqlite:///{db}"
    engine = store.get_engine(url)
    try:
        for i, date in enumerate(("2006-01-05", "2006-11-20")):
            h = lambda what, i=i: hostile(trap, f"{what}{i}")  # noqa: E731
            store.import_text(
                engine,
                f"บันทึกเวทีแลกเปลี่ยนเรียนรู้ครั้งที่ {i + 1}\n{h('text')}\n",
                f"![x](http://{trap}/f{i}) <a href=http://{trap}/a{i}>f</a>.txt",  # names: 200
                programme=f"โครงการ ![x](http://{trap}/p{i}) <img src=http://{trap}/q{i}>",
                extracted={
                    "kind": "summary",
                    "title": h("title"),
                    "session_date": date,
                    "venue": h("venue"),
                    "participant_count": 25,
                    "agencies": [h("agency"), "พช."],
                    "themes": [h("theme")],
                    "recommendations": [f"ควรจัดเวทีต่อเนื่อง {h('rec')}"],
                    "recommendation_categories": [[h("category")]],
                    "turns": [
                        {"speaker": h("speaker"), "agency": h("turnagency"), "text": h("said")},
                        {"speaker": "นางมาลี ใจดี", "agency": "พช.", "text": h("quote")},
                    ],
                },
                actor=ADMIN,
            )
    finally:
        engine.dispose()
    log_dir = tmp_path_factory.mktemp("hostile_log")
    env = {"SANGKHRO_DATABASE_URL": url, "SANGKHRO_SAMPLE": "0", "SANGKHRO_AUTH": ""}
    with streamlit_server(log_dir, env) as server:
        yield server


PATHS = [
    "",
    "sessions",
    "sessions?session=1",
    "sessions?session=2",
    "agencies",
    "themes",
    "recommendations",
    "import",
    "import?session=1",
    *[f"present?slide={n}" for n in range(1, 12)],
]


def test_hostile_text_loads_nothing_and_links_nowhere(hostile_server, trap):
    from playwright.sync_api import sync_playwright

    seen: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1440, "height": 2400}, locale="th-TH")
        tab.on("request", lambda r: seen.append(r.url) if trap in r.url else None)
        shown_text = []
        for path in PATHS:
            tab.goto(f"{hostile_server}/{path}")
            settle(tab)
            errors = tab.locator('[data-testid="stException"]')
            assert errors.count() == 0, (path, errors.all_inner_texts())
            for chart in tab.locator(".js-plotly-plot").all()[:3]:  # hover labels render too
                chart.hover()
            live = tab.locator(f'a[href*="{trap}"], img[src*="{trap}"], [href*="{trap}"]')
            assert live.count() == 0, (path, live.evaluate_all("els => els.map(e => e.outerHTML)"))
            shown_text.append(tab.locator('[data-testid="stMain"]').inner_text())
        browser.close()
    assert seen == [] and _Counter.hits == []
    # the text is still there, shown as written
    everything = "\n".join(shown_text).replace("\u2060", "")  # md_escape's word joiners
    assert f"![x](http://{trap}/md-img-title0)" in everything
    assert f"<img src=http://{trap}/html-img-title0>" in everything
