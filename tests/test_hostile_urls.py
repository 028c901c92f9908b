"""URL parameters are user input: bad values are ignored with a notice, never a traceback."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import ui_state
from analysis.filters import Filters

APP = str(Path(__file__).resolve().parents[1] / "app.py")
HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("12", 12),
        (" 7 ", 7),
        ("²", None),  # str.isdigit() says True, int() fails
        ("๑๒", None),
        ("1e3", None),
        ("-1", None),
        ("0", None),
        (HUGE, None),
        (str(2**63), None),
        (str(2**63 - 1), 2**63 - 1),
        ("", None),
        (None, None),
        (["3"], None),
    ],
)
def test_url_int(raw, expected):
    assert ui_state.url_int(raw) == expected


def test_url_dates_outside_the_pickers_range_are_ignored():
    assert ui_state.url_date("2006-11-17") == date(2006, 11, 17)
    assert ui_state.url_date("0001-01-01") is None  # pandas cannot even hold it
    assert ui_state.url_date("²") is None


def test_filters_from_a_hostile_url_keep_only_good_values():
    f = Filters.from_query_params(
        {"fy": ["²", "2549", HUGE, "-2550"], "from": ["0001-01-01"], "to": ["2006-01-31"]}
    )
    assert f.fiscal_years == (2549,) and f.date_from is None and f.date_to == date(2006, 1, 31)


def test_notices_name_each_ignored_value_in_thai_then_english():
    notices = ui_state.url_notices(
        {"session": HUGE, "fy": ["2549", "²"], "slide": "²", "lang": "xx", "from": "x" * 100}
    )
    assert len(notices) == 4
    assert all(n.startswith("ไม่ใช้ค่า") and "(ignored " in n for n in notices)
    assert all(len(n) < 220 for n in notices)  # the value is cut short


PAGES = {
    "sessions": "pages/sessions.py",
    "import": "pages/import_review.py",
    "present": "pages/present.py",
    "overview": "pages/overview.py",
    "themes": "pages/themes.py",
}
CASES = [
    ("sessions", {"session": "²"}),
    ("sessions", {"session": HUGE}),
    ("sessions", {"session": str(2**63 - 1)}),  # well formed, no such session: a warning
    ("import", {"session": "²"}),
    ("import", {"session": HUGE}),
    ("present", {"slide": "²"}),
    ("present", {"slide": HUGE}),
    ("overview", {"fy": "²"}),
    ("themes", {"fy": HUGE, "from": "0001-01-01", "to": "²"}),
]


@pytest.mark.usefixtures("dashboard_store", "fresh_caches")
@pytest.mark.parametrize("page, query", CASES, ids=[f"{p}-{q}" for p, q in CASES])
def test_pages_ignore_bad_url_values_with_a_notice(page, query):
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in query.items():
        at.query_params[key] = value
    if page != "overview":
        at.switch_page(PAGES[page])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [e.value for e in at.info] + [e.value for e in at.warning]
    bad = ui_state.bad_url_values(query)
    if bad:
        for name in bad:
            assert any(f"ignored {name}=" in s for s in shown), shown
    else:
        assert shown, "a missing session says so"
    assert at.title  # the page itself is shown
