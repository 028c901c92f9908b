"""AppTest: the sessions page's search, answered in SQL over the stored (unmasked) texts, as a
viewer sees it: a search for a person's name is refused with a message, a search for other
words finds sessions and shows its matches in context with every name masked."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import auth, store
from analysis.store.questions import scope

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PASSWORD = "รหัสผ่านทดสอบยาวพอ-2568"
VIEWER = "viewer-search@example.org"

pytestmark = pytest.mark.usefixtures("fresh_caches")


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(scope="module")
def names(dashboard_store):
    engine = store.get_engine(dashboard_store)
    admin = auth.local_admin()
    store.add_user(engine, admin, "admin-search@example.org", "admin")  # the first is an admin
    store.add_user(engine, admin, VIEWER, "viewer")
    auth.set_password(engine, admin, VIEWER, PASSWORD)
    known = sorted(n for n in scope.known_names(engine) if n.startswith("คุณ"))  # speakers
    engine.dispose()
    return known


@pytest.fixture
def viewer(dashboard_store, names, monkeypatch):
    monkeypatch.setenv("SANGKHRO_AUTH", "local")
    at = run(AppTest.from_file(APP, default_timeout=180))
    at.text_input(key="login_email").set_value(VIEWER)
    at.text_input(key="login_password").set_value(PASSWORD)
    at.button(key="local_sign_in_button").click()
    run(at)
    at.switch_page("pages/sessions.py")
    return run(at)


def test_a_viewer_may_not_search_for_a_name(viewer, names):
    assert names
    viewer.text_input(key="search").set_value(names[0])
    run(viewer)
    assert any("ค้นหาด้วยชื่อบุคคลไม่ได้" in i.value for i in viewer.info)
    assert not viewer.dataframe


def test_a_viewers_search_shows_matches_without_names(viewer, names):
    viewer.text_input(key="search").set_value("ทำบัญชี")
    run(viewer)
    assert viewer.dataframe and len(viewer.dataframe[0].value)
    passages = [m.value for m in viewer.markdown if ":orange-background[" in m.value]
    shown = "\n".join(passages + [c.value for c in viewer.caption])
    assert passages
    assert not [n for n in names if n in shown.replace("\\", "")]
