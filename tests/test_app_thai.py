"""AppTest: Thai and the Buddhist era all the way through (issue 12, part C).

Runs the pages from app.py on the bundled sample imported through the real import path (see
`dashboard_store` in conftest.py). Expected dates come from tests/sample_facts.json (counted by
hand) and are turned into their Buddhist-era form here, never by the functions under test.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.conftest import sample_facts
from tests.test_app import PAGES, frame_with, open_page, rerun, url
from tests.test_review_flow import session_ids

FACTS = sample_facts()
pytestmark = pytest.mark.usefixtures("dashboard_store", "fresh_caches")

THAI = re.compile(r"[\u0e00-\u0e7f]")
THAI_MONTHS = "ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย. ต.ค. พ.ย. ธ.ค.".split()
EMPTY_WORDS = {"None", "none", "nan", "NaN", "NaT", "<NA>", "null"}
ISO_DATE = re.compile(r"\b(19|20)\d\d-\d\d-\d\d\b")


def be_date(iso: str) -> str:
    """'2022-11-17' → '17 พ.ย. 2565', written out here by hand."""
    d = date.fromisoformat(iso)
    return f"{d.day} {THAI_MONTHS[d.month - 1]} {d.year + 543}"


def displayed_cells(at) -> list[str]:
    return [str(v) for df in at.dataframe for col in df.value.columns for v in df.value[col]]


# ----------------------------------------------------------------------------- date choosers


def test_the_date_filters_choose_buddhist_era_months_not_a_gregorian_calendar():
    at = open_page("overview")
    assert not at.sidebar.date_input  # no Gregorian calendar picker
    start = at.sidebar.selectbox(key="f_date_from")
    until = at.sidebar.selectbox(key="f_date_to")
    dates = sorted(f["session_date"] for f in FACTS["files"].values() if f["session_date"])
    first, last = date.fromisoformat(dates[0]), date.fromisoformat(dates[-1])
    first_label = f"{THAI_MONTHS[first.month - 1]} {first.year + 543}"
    last_label = f"{THAI_MONTHS[last.month - 1]} {last.year + 543}"
    assert start.options[0] == until.options[0] == "ทุกเดือน"
    assert start.options[1] == first_label and start.options[-1] == last_label
    assert all(re.fullmatch(r"\S+ 25\d\d", o) for o in start.options[1:])

    # November 2565 BE up to the end of January 2566 BE: counted by hand from the facts
    start.set_value(date(2022, 11, 1))
    until.set_value(date(2023, 1, 31))
    rerun(at)
    assert url(at, "from") == ["2022-11-01"] and url(at, "to") == ["2023-01-31"]
    expected = sum(
        1
        for f in FACTS["files"].values()
        if f["kind"] != "other" and "2022-11-01" <= (f["session_date"] or "") <= "2023-01-31"
    )
    assert 0 < expected < FACTS["sessions"]
    assert frame_with(at, "ชื่อเวที").shape[0] == min(expected, 10)
    assert [m.value for m in at.metric if m.label == "เวที"] == [str(expected)]


def test_a_link_with_a_day_keeps_working_and_shows_that_day_in_the_era():
    at = open_page("overview", **{"from": "2022-11-17"})
    start = at.sidebar.selectbox(key="f_date_from")
    assert start.value == date(2022, 11, 17)
    assert start.format_func(start.value) == "17 พ.ย. 2565"
    at.switch_page(PAGES["agencies"])
    rerun(at)  # the chosen day follows to the next page
    assert at.sidebar.selectbox(key="f_date_from").value == date(2022, 11, 17)
    assert url(at, "from") == ["2022-11-17"]


def test_the_month_choosers_follow_the_era_switch():
    at = open_page("overview", era="ce")
    start = at.sidebar.selectbox(key="f_date_from")
    assert all(re.fullmatch(r"\S+ 20\d\d", o) for o in start.options[1:])


# ----------------------------------------------------------------------------- language switch


def _chosen_labels_sent(at) -> dict[str, list[str]]:
    """What the page sends the browser as each choice widget's shown choice, by key."""
    sent = {}
    for w in [*at.multiselect, *at.sidebar.multiselect]:
        if w.proto.set_value:
            sent[w.key] = list(w.proto.raw_values)
    for w in [*at.selectbox, *at.sidebar.selectbox]:
        if w.proto.set_value:
            sent[w.key] = [w.proto.raw_value]
    return sent


def test_the_english_switch_relabels_every_widget_and_the_chosen_chips_at_once():
    at = open_page("themes", theme="กลุ่มออมทรัพย์", kind=["transcript", "summary"])
    at.sidebar.toggle(key="lang_en").set_value(True)
    rerun(at)
    labels = [
        w.label
        for kind in ("selectbox", "multiselect", "button", "toggle", "text_input")
        for w in at.get(kind)
    ]
    assert labels and not [x for x in labels if THAI.search(x)], labels
    kinds = at.sidebar.multiselect(key="f_kinds")
    assert kinds.options == ["Transcript", "Summary", "Other (not a session record)"]
    # the chips the browser shows are sent again in English: it keeps a choice as its label
    sent = _chosen_labels_sent(at)
    assert sent["f_kinds"] == ["Transcript", "Summary"]
    assert sent["f_themes"] and not THAI.search(sent["f_themes"][0])
    assert {"f_date_from", "f_date_to", "f_programme"} <= set(sent)
    headers = [c for df in at.dataframe for c in df.value.columns]
    # column headers: English, except a matrix whose columns are data values (provinces)
    assert "Theme" in headers and "Sessions" in headers
    assert not [h for h in headers if THAI.search(h) and h not in FACTS["provinces"]]
    rerun(at)  # sent once, on the switch; the choices stay
    assert "f_kinds" not in _chosen_labels_sent(at)
    assert at.sidebar.multiselect(key="f_kinds").value == ["transcript", "summary"]
    assert at.sidebar.multiselect(key="f_themes").value == ["กลุ่มออมทรัพย์"]


# ----------------------------------------------------------------------------- tables and detail

LISTS = ("overview", "sessions", "agencies", "themes", "recommendations", "import")


@pytest.mark.parametrize("page", LISTS)
def test_every_table_shows_buddhist_era_dates_thai_roles_and_blank_empties(page):
    at = open_page(page)
    cells = displayed_cells(at)
    assert cells
    assert not [c for c in cells if c.strip() in EMPTY_WORDS]
    assert not [c for c in cells if ISO_DATE.search(c) or "ค.ศ." in c]
    roles = {"facilitator", "official", "community member", "chair", "practitioner", "note_taker"}
    assert not [c for c in cells if c in roles]


def test_a_session_page_shows_be_dates_thai_roles_and_no_none(dashboard_store):
    from analysis import store

    engine = store.get_engine(dashboard_store)
    ids = session_ids(engine)
    sid = ids["04_aar-khonkaen-savings.txt"]
    held = FACTS["files"]["04_aar-khonkaen-savings.txt"]["session_date"]
    at = open_page("sessions", session=str(sid), anon="1")
    fields = frame_with(at, "ช่องข้อมูล").set_index("ช่องข้อมูล")["ค่า"]
    assert fields["วันที่จัด"] == be_date(held)
    assert fields["วันสุดท้าย"] == ""  # not stated: blank
    cells = displayed_cells(at)
    assert not [c for c in cells if c.strip() in EMPTY_WORDS or ISO_DATE.search(c)]
    # speakers shown as role + agency: the roles in Thai
    speakers = [c.value for m in at.chat_message for c in m.caption]
    assert speakers
    assert any(s.startswith(("เจ้าหน้าที่รัฐ", "ชาวบ้าน/สมาชิกชุมชน", "คุณอำนวย")) for s in speakers)
    assert not [s for s in speakers if re.search(r"facilitator|official|community member", s)]


def test_the_roles_chart_table_names_roles_in_thai_then_english():
    at = open_page("agencies")
    roles = set(frame_with(at, "บทบาทผู้พูด")["บทบาทผู้พูด"])
    assert "ชาวบ้าน/สมาชิกชุมชน" in roles
    assert not roles & {"facilitator", "official", "community member", "chair", "unknown"}
    at.sidebar.toggle(key="lang_en").set_value(True)
    rerun(at)
    roles = set(frame_with(at, "Speaker role")["Speaker role"])
    assert "Community members" in roles and not [r for r in roles if THAI.search(r)]


@pytest.mark.parametrize("page", ["overview", "sessions", "recommendations", "import"])
def test_english_tables_have_english_headers_and_no_none(page):
    at = open_page(page, lang="en")
    for df in at.dataframe:
        assert not [c for c in df.value.columns if THAI.search(str(c))], list(df.value.columns)
    cells = displayed_cells(at)
    assert not [c for c in cells if c.strip() in EMPTY_WORDS]
    dates = [c for c in cells if re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}( BE)?", c)]
    assert dates and all(c.endswith(" BE") and " 25" in c for c in dates)  # BE unless switched


# ----------------------------------------------------------------------------- typed dates


@pytest.mark.parametrize(
    "typed",
    ["17 พ.ย. 2565", "17 พฤศจิกายน 65", "17/11/2565", "๑๗/๑๑/๒๕๖๕", "17 Nov 2022", "2022-11-17"],
)
def test_a_typed_date_is_read_in_either_era(typed):
    from analysis.i18n import parse_date

    assert parse_date(typed) == date(2022, 11, 17)


@pytest.mark.parametrize("typed", ["31/02/2565", "17 พฤษภ 2565x", "เมื่อวาน", "17/11/1066"])
def test_what_is_not_a_date_is_refused(typed):
    from analysis.i18n import parse_date

    with pytest.raises(ValueError):
        parse_date(typed)


def test_moments_are_shown_in_thai_time_and_the_era():
    import pandas as pd

    from analysis import figures
    from analysis.i18n import Display

    frame = pd.DataFrame(
        {"corrected_at": [pd.Timestamp("2026-12-06 20:15"), None], "value": ["ก", None]}
    )
    shown = figures.display_table(frame, Display())
    assert shown["แก้เมื่อ"].tolist() == ["7 ธ.ค. 2569 03:15", ""]  # UTC+7
    assert shown["ค่า"].tolist() == ["ก", ""]


def test_the_audit_page_takes_typed_be_dates_and_speaks_english_when_switched():
    at = open_page("overview")
    at.switch_page("pages/audit.py")
    rerun(at)
    assert not at.date_input  # no Gregorian calendar picker
    trail = at.dataframe[0].value
    assert re.fullmatch(r"\d{1,2} \S+ 25\d\d \d\d:\d\d", trail["เวลา"].iloc[0])  # BE, Thai time
    at.text_input(key="audit_since").set_value("1/1/2600")  # BE: 2057, after every entry
    rerun(at)
    assert any("ไม่มีรายการ" in i.value for i in at.info)
    at.text_input(key="audit_since").set_value("31/02/2565")  # no such day: said, not used
    rerun(at)
    assert any("31/02/2565" in e.value for e in at.error)
    assert len(at.dataframe[0].value) > 0
    at.text_input(key="audit_since").set_value("")
    at.sidebar.toggle(key="lang_en").set_value(True)
    rerun(at)
    action = at.selectbox(key="audit_action")
    assert "Import" in action.options and not [o for o in action.options if THAI.search(o)]
    assert not [a for a in at.dataframe[0].value["Action"] if THAI.search(a)]


def test_user_roles_are_named_not_coded_in_either_language(dashboard_store):
    from analysis import auth, store

    engine = store.get_engine(dashboard_store)
    for email, role in (("admin@example.org", "admin"), ("viewer@example.org", "viewer")):
        store.add_user(engine, auth.local_admin(), email, role)
    at = open_page("overview")
    at.switch_page("pages/users.py")
    rerun(at)
    roles = set(frame_with(at, "บทบาท")["บทบาท"])
    assert roles and not roles & {"admin", "editor", "viewer"}
    assert all(THAI.search(r) for r in roles)
    at.sidebar.toggle(key="lang_en").set_value(True)
    rerun(at)
    roles = set(frame_with(at, "Role")["Role"])
    assert roles and not [r for r in roles if THAI.search(r)]
    signed_in = [c.value for c in at.sidebar.caption if c.value.startswith("Signed in")]
    assert signed_in and not THAI.search(signed_in[0].split("·")[-1])


def test_a_long_typed_text_is_refused_before_the_pattern_runs():
    from analysis.i18n import parse_date

    # whitespace runs once made the pattern backtrack for minutes: now collapsed, length capped
    for text in ("1" + " " * 3000 + "x", "1 " + " " * 2000 + "พ.ย." + " " * 2000 + "x"):
        with pytest.raises(ValueError):
            parse_date(text)
    assert parse_date("17   พ.ย.\t 2565") == date(2022, 11, 17)
