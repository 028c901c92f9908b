"""AppTest of the Present page: the key-number slide says the hand-counted numbers with their
context, slides move with next/previous and the slide list, and names are masked on the projector
unless an editor (or admin) explicitly switches them on; a viewer gets no such switch.

Runs app.py against the bundled sample (conftest's `dashboard_store`); expected numbers come from
tests/sample_facts.json, the speakers' names from the store's own tables.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import frames, slides, store
from analysis.i18n import Display
from tests.conftest import sample_facts

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PASSWORD = "รหัสผ่านทดสอบยาวพอ-2568"
FACTS = sample_facts()

pytestmark = pytest.mark.usefixtures("fresh_caches")


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def present(at: AppTest, slide: int | None = None) -> AppTest:
    if slide is not None:
        at.query_params["slide"] = str(slide)
    run(at)
    at.switch_page("pages/present.py")
    return run(at)


def shown(at: AppTest) -> str:
    """Everything written on the page (titles and text), word joiners and escapes removed."""
    parts = [t.value for t in at.title] + [m.value for m in at.markdown]
    return "\n".join(parts).replace("\u2060", "").replace("\\", "")


def speaker_line(at: AppTest) -> str:
    lines = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("—")]
    assert len(lines) == 1, [m.value for m in at.markdown]
    return lines[0]


@pytest.fixture(scope="module")
def named_quotes(dashboard_store):
    """(slide number, speaker's name, role + agency) of each quote slide whose speaker is named."""
    engine = store.get_engine(dashboard_store)
    try:
        quotes = frames.presentation_quotes(store.load_tables(engine))
    finally:
        engine.dispose()
    first = len(slides.deck(0)) + 1
    out = []
    for i, q in enumerate(quotes.to_dict("records")):
        masked = frames.speaker_display([q], anonymise=True)[0]
        if q["speaker"] and q["speaker"] not in masked:
            out.append((first + i, q["speaker"], masked))
    assert out, "the sample should have quotes said by named speakers"
    return out


@pytest.mark.usefixtures("dashboard_store")
def test_first_slide_gives_key_numbers_with_their_context():
    at = present(AppTest.from_file(APP, default_timeout=180))
    text = shown(at)
    assert at.title[0].value == Display().t("slide_summary")
    assert str(FACTS["sessions"]) in text
    assert f"{FACTS['participants_total']:,}" in text
    assert f"{FACTS['sessions_with_count']} จาก {FACTS['sessions']} เวที" in text
    assert f"ใน {len(FACTS['provinces'])} จังหวัด" in text
    assert "0%" not in text  # no "reviewed 0%" projected as a headline


@pytest.mark.usefixtures("dashboard_store")
def test_next_previous_and_the_slide_list_move_slides():
    at = present(AppTest.from_file(APP, default_timeout=180))
    assert at.query_params["slide"] == "1"
    at.button(key="slide_next").click()
    run(at)
    assert at.query_params["slide"] == "2"
    assert len(at.get("plotly_chart")) == 1
    assert at.title[0].value == Display().t(slides.CHARTS[0][2])
    at.button(key="slide_prev").click()
    run(at)
    assert at.query_params["slide"] == "1"
    at.selectbox(key="slide_jump").set_value(6)
    run(at)
    assert at.query_params["slide"] == "6"
    assert at.title[0].value == Display().t(slides.CHARTS[4][2])


@pytest.mark.usefixtures("dashboard_store")
def test_names_are_masked_until_an_editor_shows_them(named_quotes):
    number, name, masked = named_quotes[0]
    at = present(AppTest.from_file(APP, default_timeout=180), number)  # the local admin
    assert speaker_line(at) == f"— {masked}"
    assert name not in shown(at)
    names = at.toggle(key="present_names")
    assert names.value is False
    names.set_value(True)
    run(at)
    assert name in speaker_line(at)
    at.toggle(key="present_names").set_value(False)
    run(at)
    assert name not in shown(at)


@pytest.mark.usefixtures("dashboard_store")
def test_every_quote_slide_hides_every_speaker_name_by_default(named_quotes):
    at = AppTest.from_file(APP, default_timeout=180)
    for number, name, masked in named_quotes:
        present(at, number)
        assert name not in shown(at), number
        assert speaker_line(at) == f"— {masked}"


@pytest.mark.usefixtures("dashboard_store")
def test_the_sidebar_anonymise_switch_keeps_names_hidden(named_quotes):
    number, name, _ = named_quotes[0]
    at = present(AppTest.from_file(APP, default_timeout=180), number)
    at.sidebar.toggle(key="anonymise").set_value(True)
    run(at)
    assert not [t for t in at.toggle if t.key == "present_names"]
    assert name not in shown(at)


@pytest.fixture(scope="module")
def present_users(dashboard_store):
    """An admin, an editor and a viewer with passwords in the module's store: role -> e-mail."""
    from analysis import auth

    users = {role: f"present-{role}@example.org" for role in ("admin", "editor", "viewer")}
    engine = store.get_engine(dashboard_store)
    try:
        for role, email in users.items():  # the admin first: the first user must be one
            store.add_user(engine, auth.local_admin(), email, role)
            auth.set_password(engine, auth.local_admin(), email, PASSWORD)
    finally:
        engine.dispose()
    return users


def signed_in(email: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    run(at)
    at.text_input(key="login_email").set_value(email)
    at.text_input(key="login_password").set_value(PASSWORD)
    at.button(key="local_sign_in_button").click()
    return run(at)


def test_a_signed_in_editor_chooses_to_show_names(present_users, named_quotes, monkeypatch):
    monkeypatch.setenv("SANGKHRO_AUTH", "local")
    number, name, masked = named_quotes[0]
    at = present(signed_in(present_users["editor"]), number)
    assert speaker_line(at) == f"— {masked}" and name not in shown(at)
    at.toggle(key="present_names").set_value(True)
    run(at)
    assert name in speaker_line(at)


def test_a_viewer_has_no_switch_to_show_names(present_users, named_quotes, monkeypatch):
    monkeypatch.setenv("SANGKHRO_AUTH", "local")
    number, name, _ = named_quotes[0]
    at = present(signed_in(present_users["viewer"]), number)
    assert not [t for t in at.toggle if t.key == "present_names"]
    assert name not in shown(at)
    assert speaker_line(at).startswith("— ")


@pytest.mark.usefixtures("dashboard_store")
def test_the_dashboard_filters_apply_and_are_said_on_the_slide():
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["province"] = "น่าน"
    present(at)
    values = [m.value.replace("\\", "") for m in at.markdown]
    assert values[0] == str(FACTS["provinces"]["น่าน"])  # the sessions held in Nan only
    assert any(v.startswith("จังหวัด: น่าน · ") for v in values), values
    assert "(1)" in at.button(key="present_filters").label  # one filter in force


@pytest.mark.usefixtures("dashboard_store")
def test_the_take_away_files_mask_names_as_the_slides_do(monkeypatch):
    """A deck or workbook exported from Present leaves names out unless the editor has shown
    them on the slides (the files follow this page's switch, not only the sidebar's)."""
    from analysis import export_report

    asked: list[bool] = []
    real = export_report.report_as

    def report_as(*args, **kwargs):
        asked.append(kwargs["anonymise"])
        return real(*args, **kwargs)

    monkeypatch.setattr(export_report, "report_as", report_as)
    at = present(AppTest.from_file(APP, default_timeout=180))
    at.button(key="export_xlsx").click()
    run(at)
    at.toggle(key="present_names").set_value(True)
    run(at)
    at.button(key="export_xlsx").click()
    run(at)
    assert asked == [True, False]
    downloads = [d for d in at.get("download_button") if d.key == "export_download_xlsx"]
    assert len(downloads) == 1
