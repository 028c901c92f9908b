"""Sign-in through a real OpenID Connect provider, in a real browser, as a viewer and as an editor.

The test run starts `oidc-provider-mock` (a real OIDC server for tests: discovery, authorization
code flow, signed ID tokens, JWKS) on a free localhost port, and `streamlit run app.py` with an
`[auth]` section pointing at it, written to a temporary secrets file (`--secrets.files`), never
into the repository. Chromium signs in with `st.login` through the provider's consent page.

- A viewer: every page the viewer can open is visited, and no personal name from the sample
  programme reaches the browser, neither in the page's text nor in any websocket message
  Streamlit sends (tables and charts travel there, also what a canvas draws or a tooltip shows);
  there is no edit control and no way to the import or audit pages.
- An editor corrects a session on the review page; an admin then finds that correction on the
  audit page, under the editor's e-mail, and in the audit page's CSV export.
"""

from __future__ import annotations

import csv
import io
import re
import threading

import pytest

from tests.browser_support import (
    ARTIFACTS,
    chromium,
    free_port,
    need_browser,
    settle,
    streamlit_server,
)
from tests.conftest import build_sample_store

VIEWER = "viewer@example.org"
EDITOR = "editor@example.org"
ADMIN = "admin@example.org"
# Names of people speaking in the bundled sample programme (data/sample/), with the given name
# alone as well: none of them may reach a viewer's browser in any form.
SAMPLE_NAMES = (
    "อนุชา แสงสว่าง",
    "จำเนียร ทองคำ",
    "อรวรรณ เพชรรัตน์",
    "ธนพล ศรีวงษ์",
    "ปาริชาติ ทองสุข",
    "อินทร์ ไชยวงค์",
    "สมหมาย ดีงาม",
    "อนุชา",
    "จำเนียร",
    "อรวรรณ",
    "ปาริชาติ",
    "จันทร์เพ็ญ",
    "พรทิพย์",
    "วิรัตน์",
    "สมศรี",
)
# The provider (test-only) calls Authlib APIs that Authlib itself marks deprecated.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
# What a viewer may open (url path, screenshot name)
VIEWER_PAGES = [
    ("", "overview"),
    ("sessions", "sessions"),
    ("agencies", "agencies"),
    ("themes", "themes"),
    ("recommendations", "recommendations"),
    ("present", "present"),
]


@pytest.fixture(scope="module")
def oidc_provider():
    """A running OpenID Connect provider on 127.0.0.1: its issuer URL. Its consent page offers
    one button per predefined user; each user's claims carry their e-mail."""
    import oidc_provider_mock
    import werkzeug.serving

    users = [
        oidc_provider_mock.User(sub=email, claims={"email": email, "email_verified": True})
        for email in (VIEWER, EDITOR, ADMIN)
    ]
    app = oidc_provider_mock.app(user_claims=users, require_nonce=True)
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="module")
def auth_store(tmp_path_factory):
    """A store holding the sample programme and three users, one per role."""
    from analysis import auth, store

    url = f"sqlite:///{tmp_path_factory.mktemp('auth_browser') / 'store.db'}"
    build_sample_store(url)
    engine = store.get_engine(url)
    try:
        admin = auth.local_admin()
        for email, role in ((ADMIN, "admin"), (EDITOR, "editor"), (VIEWER, "viewer")):
            store.add_user(engine, admin, email, role)
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, oidc_provider, auth_store):
    """The dashboard with OpenID Connect sign-in configured as Streamlit documents it."""
    need_browser()
    port = free_port()
    secrets = tmp_path_factory.mktemp("auth_secrets") / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "test-only-cookie-secret-not-used-anywhere-else"\n'
        'client_id = "sangkhro-tests"\n'
        'client_secret = "test-only-client-secret"\n'
        f'server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    env = {"SANGKHRO_DATABASE_URL": auth_store, "SANGKHRO_SAMPLE": "0", "SANGKHRO_AUTH": ""}
    log_dir = tmp_path_factory.mktemp("auth_browser_log")
    with streamlit_server(log_dir, env, "--secrets.files", str(secrets), port=port) as url:
        yield url


class SignedIn:
    """One person's browser (own cookies) signed in through the provider; `received` collects
    every websocket message the app sent to it, as text."""

    def __init__(self, browser, app_url: str, email: str):
        self.app_url = app_url
        self.context = browser.new_context(
            viewport={"width": 1440, "height": 2400}, locale="th-TH", accept_downloads=True
        )
        self.tab = self.context.new_page()
        self.received: list[str] = []
        self.tab.on("websocket", self._watch)
        self.tab.goto(app_url)
        settle(self.tab)
        assert "ลงชื่อเข้าใช้" in self.text(), self.text()[:500]
        self.tab.get_by_role("button", name="ลงชื่อเข้าใช้").click()
        self.tab.get_by_role("button", name=email).click()  # the provider's consent page
        self.tab.wait_for_url(f"{app_url}/**", timeout=30_000)
        settle(self.tab)
        assert email in self.sidebar(), self.sidebar()

    def _watch(self, ws) -> None:
        def keep(payload) -> None:
            if isinstance(payload, bytes):
                payload = payload.decode("utf-8", errors="replace")
            self.received.append(payload)

        ws.on("framereceived", keep)

    def open(self, path: str) -> None:
        self.tab.goto(f"{self.app_url}/{path}")
        settle(self.tab)
        errors = self.tab.locator('[data-testid="stException"]')
        assert errors.count() == 0, errors.all_inner_texts()

    def text(self) -> str:
        # as read: the word joiner that keeps an e-mail from becoming a live link is invisible
        return self.tab.locator("body").inner_text().replace("\u2060", "")

    def sidebar(self) -> str:
        return self.tab.locator('[data-testid="stSidebar"]').inner_text().replace("\u2060", "")

    def nav(self) -> list[str]:
        links = self.tab.locator('[data-testid="stSidebarNavLink"]')
        return [links.nth(i).get_attribute("href") or "" for i in range(links.count())]

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def browser(app_url):
    with chromium() as b:
        yield b


def _unescaped(text: str) -> str:
    """`text` with JSON's \\uXXXX escapes (chart specs travel as JSON) turned into characters."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def _names_in(text: str) -> list[str]:
    return [name for name in SAMPLE_NAMES if name in text]


def _session_ids(store_url: str) -> list[int]:
    """Sessions whose turns hold at least one of SAMPLE_NAMES (read from the store unmasked)."""
    from analysis import store

    engine = store.get_engine(store_url)
    try:
        turns = store.load_tables(engine).turns
    finally:
        engine.dispose()
    named = turns[turns["speaker"].fillna("").map(lambda s: bool(_names_in(s)))]
    return sorted(int(i) for i in named["session_id"].unique())


def test_a_viewer_sees_no_name_anywhere_and_no_edit_control(browser, app_url, auth_store):
    sessions = _session_ids(auth_store)
    assert len(sessions) >= 3, "the sample programme should name people in several sessions"
    viewer = SignedIn(browser, app_url, VIEWER)
    try:
        nav = viewer.nav()
        assert len(nav) == len(VIEWER_PAGES), nav
        assert not any(p.rstrip("/").endswith(("/import", "/audit")) for p in nav), nav
        slides = [f"present?slide={i}" for i in range(2, 16)]
        paths = [p for p, _ in VIEWER_PAGES] + [f"sessions?session={i}" for i in sessions]
        for path in [*paths, *slides]:
            viewer.open(path)
            text = viewer.text()
            assert not _names_in(text), (path, _names_in(text))
            assert viewer.tab.locator('[data-testid="stFormSubmitButton"]').count() == 0, path
            assert viewer.tab.locator('[data-testid="stTextArea"]').count() == 0, path
            assert viewer.tab.get_by_text("ตรวจทาน/แก้ไขเวทีนี้").count() == 0, path
            assert viewer.tab.get_by_text("ลบบันทึกนี้").count() == 0, path
        ARTIFACTS.mkdir(exist_ok=True)
        viewer.open(f"sessions?session={sessions[0]}")
        viewer.tab.screenshot(path=str(ARTIFACTS / "viewer_session.png"))
        assert "ข้อความต้นฉบับ" not in viewer.text()  # no raw text expander
        viewer.open("sessions")  # a search by a name finds nothing that shows it
        search = viewer.tab.get_by_role("textbox", name="ค้นหาคำ")
        search.fill("อนุชา")
        search.press("Enter")
        settle(viewer.tab)
        assert not _names_in(viewer.text())
        viewer.open("import")  # not the viewer's page: Streamlit falls back to the overview
        assert viewer.tab.locator('[data-testid="stFileUploader"]').count() == 0
        sent = _unescaped("\n".join(viewer.received))
        assert len(sent) > 100_000, "the websocket messages were not captured"
        assert not _names_in(sent), _names_in(sent)
    finally:
        viewer.close()


def test_an_editor_sees_names_and_the_correction_is_audited_under_their_email(
    browser, app_url, auth_store
):
    sid = _session_ids(auth_store)[0]
    editor = SignedIn(browser, app_url, EDITOR)
    try:
        editor.open(f"sessions?session={sid}")
        assert _names_in(editor.text()), "an editor sees the speakers' names"
        assert any(p.rstrip("/").endswith("/import") for p in editor.nav())
        assert not any(p.rstrip("/").endswith("/audit") for p in editor.nav())
        editor.open(f"import?session={sid}")
        venue = editor.tab.get_by_role("textbox", name="สถานที่", exact=True)
        venue.fill("ศาลาอเนกประสงค์ บ้านทดสอบการตรวจสอบ")
        editor.tab.get_by_role("button", name="บันทึกการแก้ไข").click()
        settle(editor.tab)
        assert "บันทึกการแก้ไขแล้ว" in editor.text(), editor.text()[:1000]
    finally:
        editor.close()

    admin = SignedIn(browser, app_url, ADMIN)
    try:
        admin.open("audit")
        user = admin.tab.get_by_role("textbox", name="อีเมลผู้ใช้")
        user.fill(EDITOR)
        user.press("Enter")
        settle(admin.tab)
        with admin.tab.expect_download() as download:
            admin.tab.get_by_role("button", name="ส่งออก CSV").click()
        path = download.value.path()
        rows = list(csv.DictReader(io.StringIO(open(path, encoding="utf-8-sig").read())))
        corrections = [r for r in rows if r["action"] == "correct"]
        assert corrections, rows
        assert {r["actor_email"] for r in rows} == {EDITOR}
        assert any(
            r["session_id"] == str(sid) and "ศาลาอเนกประสงค์ บ้านทดสอบการตรวจสอบ" in r["details"]
            for r in corrections
        ), corrections
        shown = _unescaped("\n".join(admin.received))
        assert EDITOR in shown and "ศาลาอเนกประสงค์ บ้านทดสอบการตรวจสอบ" in shown
    finally:
        admin.close()


def test_someone_the_store_does_not_know_signs_in_and_gets_no_data(browser, app_url):
    context = browser.new_context(locale="th-TH")
    try:
        tab = context.new_page()
        tab.goto(app_url)
        settle(tab)
        tab.get_by_role("button", name="ลงชื่อเข้าใช้").click()
        tab.get_by_placeholder("sub").fill("stranger@example.org")  # any e-mail the IdP vouches
        tab.get_by_role("button", name="Authorize", exact=True).click()
        tab.wait_for_url(f"{app_url}/**", timeout=30_000)
        settle(tab)
        text = tab.locator("body").inner_text().replace("\u2060", "")
        assert "ไม่มีผู้ใช้ stranger@example.org" in text and "ask an admin" in text, text[:800]
        assert tab.locator('[data-testid="stMetric"]').count() == 0
        assert tab.locator('[data-testid="stSidebarNavLink"]').count() == 0
        assert tab.get_by_role("button", name="ออกจากระบบ").count() == 1
    finally:
        context.close()
