"""Honest numbers (issue 12): every chart says what it counts, a stacked bar's total is what its
label claims, the kind filter says what it hides, sparse time series are binned coarser, heatmap
colour scales leave out the diagonal; and the sessions behind a clicked bar are the ones it counts.

Most checks run on the bundled sample as the real import path stores it (the `dashboard_store`
fixture) and assert relations between frames, counted independently from the tables here, so
they hold as the sample grows (reviewed records, follow-ups).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import figures, frames, synthetic
from analysis.filters import Filters, apply_filters, hidden_by_kind
from analysis.i18n import Display
from analysis.record import KINDS
from tests import programme_fixture as fx
from tests.conftest import sample_facts

FACTS = sample_facts()
TH = Display("th")


@pytest.fixture(scope="module")
def everything(dashboard_store):
    from analysis import store

    engine = store.get_engine(dashboard_store)
    try:
        return store.load_tables(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def t(everything):
    return apply_filters(everything, Filters())  # what a page shows with the default filters


def _records(tables):
    return frames.records_only(tables)


# ----------------------------------------------------------------------------- stacked totals


def test_themes_by_agency_stack_counts_attendances_and_says_distinct_sessions(t):
    frame = frames.themes_by_agency_counted(t)
    r = _records(t)
    shown_agencies = set(frame["agency"])
    pairs = (
        r.agencies.loc[r.agencies["canonical"].isin(shown_agencies), ["session_id", "canonical"]]
        .drop_duplicates()
        .merge(r.themes.drop_duplicates(), on="session_id")
    )
    stacked = frame.groupby("theme")["sessions"].sum()
    distinct = frame.groupby("theme")["theme_sessions"].first()
    for theme in stacked.index:
        mine = pairs[pairs["theme"] == theme]
        assert stacked[theme] == len(mine)  # the stack: (session, agency) attendances
        assert distinct[theme] == mine["session_id"].nunique()  # the label: sessions, once each
        assert distinct[theme] <= frames.theme_counts(t).set_index("theme").loc[theme, "sessions"]
    assert (stacked > distinct).any()  # the sample's sessions have several agencies each

    fig = figures.themes_by_agency_chart(frame, TH)
    assert fig.layout.xaxis.title.text == TH.t("axis_agency_attendances")
    bars = [tr for tr in fig.data if tr.type == "bar"]
    ends = next(tr for tr in fig.data if tr.type == "scatter")
    drawn = np.sum([np.array(tr.x, dtype=float) for tr in bars], axis=0)
    assert list(drawn) == list(ends.x)  # the label sits at the end of the stack it describes
    themes = list(dict.fromkeys(frame["theme"]))[::-1]
    assert list(ends.text) == [TH.t("distinct_sessions", n=int(distinct[th])) for th in themes]


# ----------------------------------------------------------------------------- hidden records


def test_the_kind_filter_says_what_it_hides(everything):
    assert hidden_by_kind(everything, Filters()) == {"other": FACTS["other"]}
    assert hidden_by_kind(everything, Filters(kinds=tuple(KINDS))) == {}
    shown = apply_filters(everything, Filters())
    assert len(shown.sessions) + FACTS["other"] == FACTS["records"]
    # with another filter, only the texts that filter keeps are said to be hidden
    province = next(iter(FACTS["provinces"]))
    s = everything.sessions
    expected = int(((s["province"] == province) & ~s["is_record"]).sum())
    assert sum(hidden_by_kind(everything, Filters(provinces=(province,))).values()) == expected


# ----------------------------------------------------------------------------- time bins


def test_sparse_months_are_binned_into_quarters(t):
    months = frames.sessions_per_month(t)["sessions"]
    assert (months <= 1).mean() >= frames.SPARSE_SHARE  # the sample: mostly 0-1 a month
    out = frames.sessions_over_time(t)
    assert out.attrs["grain"] in ("quarter", "fiscal_year")
    dated = _records(t).sessions["session_date"].notna().sum()
    assert out["sessions"].sum() == dated  # binning loses no session
    if out.attrs["grain"] == "quarter":
        ordinal = out["fiscal_year"] * 4 + out["quarter"]
        assert ordinal.diff().dropna().eq(1).all()  # consecutive quarters, empty ones as 0
        assert (out["sessions"] <= 1).mean() < frames.SPARSE_SHARE
    fig = figures.sessions_over_time_chart(out, TH)
    assert sum(fig.data[0].y) == dated
    assert fig.layout.yaxis.title.text


def test_time_grain_follows_density():
    dense = synthetic.synthetic_tables(400, seed=1)
    assert frames.time_grain(dense) == "month"
    sparse = apply_filters(fx.tables(), Filters())  # 3 sessions over 12 months, 5 quarters
    assert frames.time_grain(sparse) == "fiscal_year"
    assert frames.sessions_over_time(sparse).values.tolist() == [[2549, 2], [2550, 1]]
    quarters = frames.sessions_over_time(sparse, "quarter")
    assert quarters.values.tolist() == [
        [2549, 1, 1],  # Nov 2005
        [2549, 2, 0],
        [2549, 3, 0],
        [2549, 4, 1],  # Sep 2006
        [2550, 1, 1],  # Oct 2006
    ]
    with pytest.raises(ValueError):
        frames.sessions_over_time(sparse, "week")


def test_themes_over_quarters_add_up_to_the_fiscal_years(t):
    quarters = frames.themes_over_quarters(t)
    years = frames.themes_over_time(t, "fiscal_year")
    by_year = quarters.groupby(["fiscal_year", "theme"])["sessions"].sum()
    for row in years.itertuples():
        assert by_year.loc[(row.period, row.theme)] == row.sessions
    n_quarters = len(frames.sessions_over_time(t, "quarter"))
    assert quarters.groupby("theme").size().eq(n_quarters).all()  # empty quarters as 0
    row = quarters[quarters["sessions"] > 0].iloc[0]
    got = frames.drilldown(
        t, theme=row.theme, fiscal_year=row.fiscal_year, quarter=row.quarter
    )  # what a click on that point shows
    assert got["session_id"].nunique() == row.sessions


def test_quarter_months_are_the_thai_fiscal_quarters():
    first, last = figures.quarter_months(2566, 1)
    assert (first, last) == (pd.Timestamp("2022-10-01"), pd.Timestamp("2022-12-01"))
    assert figures.quarter_months(2566, 4)[0] == pd.Timestamp("2023-07-01")
    assert figures.quarter_label(2566, 2, TH).startswith("ม.ค. 2566 – มี.ค. 2566")


# ----------------------------------------------------------------------------- heatmaps


def _cell_note(fig) -> str:
    return " ".join(a.text for a in fig.layout.annotations if a.text)


@pytest.mark.parametrize(
    "frame_name, build",
    [
        ("agency_coattendance", figures.coattendance_chart),
        ("theme_cooccurrence", figures.theme_cooccurrence_chart),
    ],
)
def test_heatmap_colour_scale_leaves_out_the_diagonal(t, frame_name, build):
    matrix = getattr(frames, frame_name)(t)
    fig = build(matrix, TH)
    scaled, grey = fig.data[0], fig.data[1]
    z = np.array(scaled.z, dtype=float)
    n = len(matrix)
    assert all(math.isnan(z[i, i]) for i in range(n))
    off = matrix.to_numpy()[~np.eye(n, dtype=bool)]
    assert np.nanmax(z) == off.max() < matrix.to_numpy().diagonal().max()
    g = np.array(grey.z, dtype=float)
    assert [g[i, i] for i in range(n)] == matrix.to_numpy().diagonal().tolist()
    assert np.isnan(g[~np.eye(n, dtype=bool)]).all()
    assert grey.text[0][0] and not scaled.text[0][0]  # the count in grey, no "nan" written
    assert _cell_note(fig)  # says what a cell counts
    clicks = next(tr for tr in fig.data if tr.type == "scatter")  # plotly selects no heatmap cell
    assert len(clicks.customdata) == n * n and list(clicks.customdata[1]) == list(
        matrix.columns[:2]
    )
    assert len(set(scaled.y)) == n and len(set(scaled.x)) == n  # no two rows share a label


# ----------------------------------------------------------------------------- axis titles

FIGURES = [
    ("sessions_per_month", figures.sessions_per_month_chart),
    ("sessions_over_time", figures.sessions_over_time_chart),
    ("sessions_per_fiscal_year", figures.sessions_per_fiscal_year_chart),
    ("sessions_per_province", figures.sessions_per_province_chart),
    ("participation_by_agency", figures.participation_chart),
    ("participation_by_agency", figures.share_of_voice_chart),
    ("share_of_voice_by_role", figures.share_of_voice_by_role_chart),
    ("agency_trend", figures.agency_trend_chart),
    ("theme_counts", figures.theme_counts_chart),
    ("themes_over_time", figures.themes_over_time_chart),
    ("themes_over_quarters", figures.themes_over_quarters_chart),
    ("themes_by_agency_counted", figures.themes_by_agency_chart),
    ("key_phrases", figures.key_phrases_chart),
    ("recommendations_by_category", figures.recommendations_by_category_chart),
]
HEATMAPS = [
    ("agency_theme_matrix", figures.agency_theme_chart),
    ("agency_coattendance", figures.coattendance_chart),
    ("themes_by_province", figures.themes_by_province_chart),
    ("theme_cooccurrence", figures.theme_cooccurrence_chart),
]


@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_chart_says_what_it_counts(t, lang):
    disp = Display(lang)
    for name, build in FIGURES:
        fig = build(getattr(frames, name)(t), disp)
        titles = [fig.layout.xaxis.title.text, fig.layout.yaxis.title.text]
        said = [x for x in titles if x and x != "%"]
        assert said, f"{build.__name__}: no axis says what is counted"
    for name, build in HEATMAPS:
        fig = build(getattr(frames, name)(t), disp)
        assert _cell_note(fig), f"{build.__name__}: nothing says what a cell counts"


# ----------------------------------------------------------------------------- drill-down


def test_the_sessions_behind_a_bar_are_the_ones_it_counts(t):
    for row in frames.theme_counts(t).head(5).itertuples():
        assert frames.drilldown(t, theme=row.theme)["session_id"].nunique() == row.sessions
    for row in frames.participation_by_agency(t).head(5).itertuples():
        got = frames.drilldown(t, agency=row.agency)
        assert got["session_id"].nunique() == row.sessions
        spoken = got[got["speaker"].notna() & got["agency"].notna()]
        agencies = set(_records(t).turns["agency_canonical"].dropna())
        if row.agency in agencies:  # the agency's own words when it spoke
            assert len(spoken) > 0
    for row in frames.sessions_over_time(t, "quarter").itertuples():
        got = frames.drilldown(t, fiscal_year=row.fiscal_year, quarter=row.quarter)
        assert got["session_id"].nunique() == row.sessions
    for row in frames.recommendations_by_category(t).itertuples():
        got = frames.drilldown(t, category=row.category)
        assert got["session_id"].nunique() == row.sessions
        assert got["quote"].notna().all() and len(got) == row.recommendations
    m = frames.agency_coattendance(t)
    a, b = m.index[0], m.index[1]
    both = frames.drilldown(t, agency=a, other_agency=b)
    assert both["session_id"].nunique() == m.loc[a, b]
    co = frames.theme_cooccurrence(t)
    x, y = co.index[0], co.index[1]
    assert frames.drilldown(t, theme=x, with_theme=y)["session_id"].nunique() == co.loc[x, y]


def test_search_matches_show_each_word_in_its_words(t):
    query = "ชาวบ้านทำบัญชี"
    terms = frames.query_terms(query)
    found = set(frames.search_sessions(t, query)["session_id"])
    matches = frames.search_matches(t, query)
    assert len(matches) and set(matches["session_id"]) <= found
    assert set(matches["match"].str.lower()) <= set(terms)
    texts = pd.concat(
        [
            t.sessions[["session_id", "title"]].rename(columns={"title": "text"}),
            t.turns[["session_id", "text"]],
            t.recommendations[["session_id", "text"]],
            t.agencies[["session_id", "as_written"]].rename(columns={"as_written": "text"}),
        ]
    ).dropna()
    for m in matches.head(20).itertuples():
        passage = m.before.lstrip("…") + m.match + m.after.rstrip("…")
        said = texts.loc[texts["session_id"] == m.session_id, "text"]
        assert any(passage in text for text in said), passage
    assert frames.search_matches(t, "").empty
