"""AppTest: who may see what. The refusal on a public address without sign-in (no data read), the
local-account sign-in form (wrong password, lock-out, expiry, sign-out), a role change taking
effect on the next action, and what a viewer, an editor and an admin are offered.

Runs app.py against the bundled sample (conftest's `dashboard_store`); users are added to that
store here through `analysis.store`, with passwords through `analysis.auth`.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PASSWORD = "รหัสผ่านทดสอบยาวพอ-2568"
PAGES = (
    "pages/overview.py",
    "pages/sessions.py",
    "pages/agencies.py",
    "pages/themes.py",
    "pages/recommendations.py",
    "pages/import_review.py",
    "pages/present.py",
    "pages/audit.py",
)

pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture
def server_address():
    """Set Streamlit's server.address for one test (AppTest reads the process's config)."""
    before = config.get_option("server.address")

    def set_to(address: str | None) -> None:
        config.set_option("server.address", address)

    yield set_to
    config.set_option("server.address", before)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# ----------------------------------------------------------------------------- the refusal


def test_a_public_address_without_sign_in_shows_only_the_refusal_and_reads_nothing(
    tmp_path, monkeypatch, server_address
):
    db = tmp_path / "not-opened.db"
    monkeypatch.setenv("SANGKHRO_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.delenv("SANGKHRO_AUTH", raising=False)
    server_address("0.0.0.0")
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=60)
        run(at)
        at.switch_page(page)
        run(at)
        assert len(at.error) == 1, page
        refusal = at.error[0].value
        assert "server.address" in refusal and "ไม่เปิดข้อมูล" in refusal, refusal
        assert "no sign-in is configured" in refusal and "SANGKHRO_AUTH=local" in refusal
        assert not at.metric and not at.dataframe and not at.sidebar.selectbox, page
        assert not at.get("plotly_chart"), page
    assert not db.exists(), "the refusal must not open (or create) the store"


def test_the_default_loopback_address_runs_as_the_local_admin(dashboard_store, server_address):
    server_address("127.0.0.1")
    at = AppTest.from_file(APP, default_timeout=180)
    run(at)
    assert not at.error
    assert at.metric  # the overview's numbers: data is shown
    assert any("local" in c.value and "admin" in c.value for c in at.sidebar.caption)


def test_a_public_address_with_local_sign_in_asks_for_a_password_instead(
    dashboard_store, monkeypatch, server_address
):
    monkeypatch.setenv("SANGKHRO_AUTH", "local")
    server_address("0.0.0.0")
    at = run(AppTest.from_file(APP, default_timeout=180))
    assert not at.error and not at.metric
    assert at.text_input(key="login_email") and at.text_input(key="login_password")


def test_an_unknown_sign_in_mode_says_what_to_set(dashboard_store, monkeypatch):
    monkeypatch.setenv("SANGKHRO_AUTH", "ldap")
    at = run(AppTest.from_file(APP, default_timeout=60))
    assert len(at.error) == 1 and "SANGKHRO_AUTH" in at.error[0].value
    assert "local" in at.error[0].value and not at.metric


# ----------------------------------------------------------------------------- local accounts


@pytest.fixture(scope="module")
def accounts(dashboard_store):
    """Users with passwords in the module's store: email -> role."""
    from analysis import auth, store

    engine = store.get_engine(dashboard_store)
    admin = auth.local_admin()
    users = {
        "admin@example.org": "admin",
        "editor@example.org": "editor",
        "viewer@example.org": "viewer",
        "locked@example.org": "editor",
        "changing@example.org": "editor",
    }
    for email, role in users.items():
        store.add_user(engine, admin, email, role)
        auth.set_password(engine, admin, email, PASSWORD)
    engine.dispose()
    return users


@pytest.fixture
def local_app(dashboard_store, accounts, monkeypatch):
    monkeypatch.setenv("SANGKHRO_AUTH", "local")
    return AppTest.from_file(APP, default_timeout=180)


def sign_in(at: AppTest, email: str, password: str = PASSWORD) -> AppTest:
    run(at)
    at.text_input(key="login_email").set_value(email)
    at.text_input(key="login_password").set_value(password)
    at.button(key="local_sign_in_button").click()
    return run(at)


def has_button(at: AppTest, key: str) -> bool:
    return any(b.key == key for b in at.button)


def signed_in_as(at: AppTest) -> str:
    """The sidebar's "signed in" line as read (the e-mail is escaped Markdown: backslashes, and a
    word joiner after "@" so that it is no live mailto link)."""
    return "\n".join(
        c.value.replace("\\", "").replace("\u2060", "")
        for c in at.sidebar.caption
        if "@" in c.value
    )


def test_a_wrong_password_is_refused_with_a_generic_message(local_app):
    at = sign_in(local_app, "editor@example.org", "not-the-password-at-all")
    assert "อีเมลหรือรหัสผ่านไม่ถูกต้อง" in at.error[0].value
    assert "wrong e-mail or password" in at.error[0].value
    assert not at.metric
    assert at.text_input(key="login_password").value == ""  # the password is not kept
    again = sign_in(local_app, "nobody@example.org", PASSWORD)  # unknown: the same message
    assert "อีเมลหรือรหัสผ่านไม่ถูกต้อง" in again.error[0].value


def test_five_wrong_passwords_lock_the_account_and_say_until_when(local_app):
    for _ in range(5):
        at = sign_in(local_app, "locked@example.org", "wrong-password-again")
    assert "ถูกล็อก" in at.error[0].value and "UTC" in at.error[0].value
    at = sign_in(local_app, "locked@example.org", PASSWORD)  # even the right one, for now
    assert "ถูกล็อก" in at.error[0].value
    assert not at.metric


def test_an_editor_signs_in_sees_data_and_signs_out(local_app):
    at = sign_in(local_app, "editor@example.org")
    assert not at.error and at.metric
    assert "editor@example.org" in signed_in_as(at) and "editor" in signed_in_as(at)
    at.sidebar.button(key="sign_out").click()
    run(at)
    assert not at.metric and at.text_input(key="login_email")


def test_an_expired_session_asks_to_sign_in_again(local_app, monkeypatch):
    monkeypatch.setenv("SANGKHRO_SESSION_HOURS", "0.0003")  # about one second
    at = sign_in(local_app, "viewer@example.org")
    assert at.metric
    time.sleep(1.5)
    run(at)
    assert not at.metric
    assert "sign in again" in at.error[0].value and "โปรดลงชื่อเข้าใช้อีกครั้ง" in at.error[0].value


def test_a_role_change_takes_effect_on_the_next_action(local_app, dashboard_store):
    from analysis import auth, store

    at = sign_in(local_app, "changing@example.org")
    at.switch_page("pages/recommendations.py")
    run(at)
    assert has_button(at, "followup_save"), "an editor can edit follow-ups"
    engine = store.get_engine(dashboard_store)
    store.set_role(engine, auth.local_admin(), "changing@example.org", "viewer")
    engine.dispose()
    run(at)  # the next click
    assert not has_button(at, "followup_save"), "a viewer has no edit control"
    assert "viewer" in signed_in_as(at)


def test_each_role_is_offered_its_pages_and_controls(local_app):
    viewer = sign_in(local_app, "viewer@example.org")
    for page in ("pages/recommendations.py", "pages/sessions.py"):
        viewer.switch_page(page)
        run(viewer)
        assert not viewer.text_area and not has_button(viewer, "followup_save")
    admin = sign_in(AppTest.from_file(APP, default_timeout=180), "admin@example.org")
    admin.switch_page("pages/audit.py")
    run(admin)
    assert not admin.error
    assert any("บันทึกการใช้งาน" in t.value for t in admin.title)
    assert admin.get("download_button")


def test_an_admin_adds_a_user_who_can_then_sign_in_with_that_role(local_app):
    admin = sign_in(local_app, "admin@example.org")
    admin.switch_page("pages/users.py")
    run(admin)
    admin.text_input(key="user_new_email").set_value("newcomer@example.org")
    admin.selectbox(key="user_new_role").set_value("viewer")
    admin.text_input(key="user_new_password").set_value(PASSWORD)
    admin.button(key="user_add_button").click()
    run(admin)
    assert any("newcomer@example.org" in s.value for s in admin.success), admin.error
    newcomer = sign_in(AppTest.from_file(APP, default_timeout=180), "newcomer@example.org")
    assert "newcomer@example.org" in signed_in_as(newcomer) and "viewer" in signed_in_as(newcomer)


def test_the_audit_page_reads_and_filters_the_trail_and_offers_no_edit(local_app):
    admin = sign_in(local_app, "admin@example.org")
    admin.switch_page("pages/audit.py")
    run(admin)
    trail = admin.dataframe[0].value
    assert len(trail) > 0 and {"เวลา", "ผู้ใช้", "การกระทำ", "รายละเอียด"} <= set(trail.columns)
    admin.selectbox(key="audit_action").set_value("user_add")
    run(admin)
    added = admin.dataframe[0].value
    assert len(added) >= 5 and set(added["การกระทำ"]) == {"เพิ่มผู้ใช้ (user added)"}
    assert added["รายละเอียด"].str.contains("viewer@example.org").any()
    admin.text_input(key="audit_user").set_value("nobody@example.org")
    run(admin)
    assert any("ไม่มีรายการ" in i.value for i in admin.info)
    # read only: nothing on the page edits an entry
    assert not admin.get("data_editor") and not admin.text_area and not admin.checkbox
    assert {b.key for b in admin.button if b.key} == {"sign_out"}


# ----------------------------------------------------------------------------- OpenID Connect
# (the sign-in itself, through a real provider, is in test_auth_browser.py)

OIDC = {"client_secret": "x", "server_metadata_url": "https://idp.example.org/.well-known/x"}


@pytest.mark.parametrize(
    "section, buttons",
    [
        ({"client_id": "sangkhro", **OIDC}, ["sign_in_default"]),
        (
            {"google": {"client_id": "a", **OIDC}, "entra": {"client_id": "b", **OIDC}},
            ["sign_in_google", "sign_in_entra"],
        ),
    ],
    ids=["one provider", "two named providers"],
)
def test_with_auth_configured_a_public_address_asks_to_sign_in_with_each_provider(
    dashboard_store, monkeypatch, server_address, section, buttons
):
    monkeypatch.delenv("SANGKHRO_AUTH", raising=False)
    server_address("0.0.0.0")
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-only",
        **section,
    }
    run(at)
    assert not at.error and not at.metric
    assert [b.key for b in at.button] == buttons
    assert any("โปรดลงชื่อเข้าใช้" in i.value for i in at.info)
