"""Filters: what each filter keeps, the Thai fiscal year (Oct-Sep, BE), and the URL round trip."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.filters import Filters, apply_filters, filter_options
from tests.programme_fixture import tables


def kept(f: Filters) -> list[int]:
    return sorted(apply_filters(tables(), f).sessions["session_id"].tolist())


def test_default_keeps_records_and_leaves_out_other():
    assert kept(Filters()) == [1, 2, 3, 4]


def test_no_kind_chosen_means_every_kind():
    assert Filters(kinds=()).kinds == ("transcript", "summary", "other")
    assert kept(Filters(kinds=())) == [1, 2, 3, 4, 5]
    assert kept(Filters(kinds=("other",))) == [5]


@pytest.mark.parametrize(
    "fy, ids",
    [
        ((2549,), [1, 2]),  # 2005-11-17 and 2006-09-30 (last day of FY 2549)
        ((2550,), [3]),  # 2006-10-01 is the first day of FY 2550
        ((2549, 2550), [1, 2, 3]),
        ((2548,), []),
    ],
)
def test_fiscal_year_runs_october_to_september(fy, ids):
    assert kept(Filters(fiscal_years=fy)) == ids


def test_date_range_is_inclusive_and_drops_undated():
    assert kept(Filters(date_from=date(2006, 9, 30))) == [2, 3]
    assert kept(Filters(date_to=date(2006, 9, 30))) == [1, 2]
    assert kept(Filters(date_from=date(2005, 11, 17), date_to=date(2005, 11, 17))) == [1]


def test_province_agency_theme_programme():
    assert kept(Filters(provinces=("น่าน",))) == [3]
    # agency filter works on canonical names
    assert kept(Filters(agencies=("องค์การบริหารส่วนตำบล",))) == [2]
    assert kept(Filters(agencies=("กรมการพัฒนาชุมชน",))) == [1, 2, 4]
    assert kept(Filters(themes=("ความสมัครใจ",))) == [1, 4]
    assert kept(Filters(programme="ข")) == [4]
    assert kept(Filters(provinces=("น่าน",), themes=("ความสมัครใจ",))) == []


def test_every_table_is_cut_to_the_kept_sessions():
    t = apply_filters(tables(), Filters(provinces=("นครศรีธรรมราช",)))
    for name in ("agencies", "turns", "recommendations", "recommendation_categories", "themes"):
        assert set(getattr(t, name)["session_id"]) <= {1, 2}, name
    assert len(t.turns) == 4
    assert len(t.recommendations) == 4


@pytest.mark.parametrize(
    "f",
    [
        Filters(),
        Filters(fiscal_years=(2549, 2550), provinces=("นครศรีธรรมราช", "น่าน")),
        Filters(programme="โครงการ ก & ข", date_from=date(2005, 1, 1), date_to=date(2006, 12, 31)),
        Filters(agencies=("ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร",), themes=("การทำงานร่วมกับ อบต.",)),
        Filters(kinds=("other",)),
    ],
)
def test_query_params_round_trip(f):
    assert Filters.from_query_params(f.to_query_params()) == f
    assert Filters.from_key(f.key()) == f


def test_default_filters_make_an_empty_url():
    assert Filters().to_query_params() == {}
    assert Filters().key() == ""


def test_bad_url_values_are_ignored():
    f = Filters.from_query_params(
        {"fy": ["2549", "abc"], "from": "17/11/2548", "kind": ["nonsense"], "province": ["", "น่าน"]}
    )
    assert f == Filters(fiscal_years=(2549,), provinces=("น่าน",))


def test_unknown_kind_in_code_raises():
    with pytest.raises(ValueError, match="unknown kind"):
        Filters(kinds=("minutes",))


def test_filter_options_come_from_the_data():
    o = filter_options(tables())
    assert o["programmes"] == ["ก", "ข"]
    assert o["fiscal_years"] == [2549, 2550]
    assert o["provinces"] == ["นครศรีธรรมราช", "น่าน"]
    assert o["agencies"][0] == "กรมการพัฒนาชุมชน"  # in 3 sessions, the most
    assert o["date_min"] == date(2005, 11, 17) and o["date_max"] == date(2006, 10, 1)
