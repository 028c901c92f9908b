"""The recommendations and present pages' questions and the drill-down, answered in SQL, hold to
their pandas namesakes in `analysis.frames` for every filter case on SQLite and PostgreSQL; the
long lists page in SQL (each page the pandas slice, the count its length); hostile values are
plain values; a viewer's masked answers carry no speaker's name."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import frames, privacy
from analysis.filters import Filters
from analysis.store import questions
from analysis.store.questions import scope
from tests import questions_support
from tests.questions_support import assert_same, expected, filter_cases

programme_store = questions_support.programme_store  # the store fixture (SQLite, PostgreSQL)


@pytest.fixture(scope="module")
def engine(programme_store):
    return programme_store


HOSTILE = ["x' OR '1'='1", "%", "_", "local%' --", '"; DROP TABLE recommendations; --']


def _cases(engine):
    return filter_cases(engine).items()


def test_recommendations_by_category(engine):
    for name, f in _cases(engine):
        assert_same(engine, f, "recommendations_by_category"), name


def _categories(engine) -> list:
    cats = frames.recommendations_by_category(frames.records_only(_tables(engine)))["category"]
    return [None, "", *cats.tolist()[:2]]


def _tables(engine):
    from analysis import store

    return store.load_tables(engine)


def test_recommendation_table_whole_list(engine):
    cats = _categories(engine)
    assert len(cats) >= 4, "the store has categorised recommendations"
    for name, f in _cases(engine):
        for category in cats:
            assert_same(engine, f, "recommendation_table", category), (name, category)


def test_recommendation_table_pages(engine):
    ask = questions.question("recommendation_table")
    count = questions.question("recommendation_table_count")
    for f in (Filters(), filter_cases(engine)["programme"]):
        for category in _categories(engine):
            want = expected(engine, f, "recommendation_table", category)
            assert count(engine, f, category) == len(want)
            assert len(want) > 0 or category == ""
            for start, stop in ((0, 7), (7, 19), (len(want) - 3, len(want) + 5), (5, 5)):
                start = max(start, 0)
                got = ask(engine, f, category, start=start, stop=stop)
                pd.testing.assert_frame_equal(
                    got.reset_index(drop=True),
                    want.iloc[start:stop].reset_index(drop=True),
                )


def test_recommendation_table_hostile_categories(engine):
    ask = questions.question("recommendation_table")
    count = questions.question("recommendation_table_count")
    for value in HOSTILE:
        assert ask(engine, Filters(), value).empty
        assert count(engine, Filters(), value) == 0
        assert_same(engine, Filters(), "recommendation_table", value)


def test_similar_recommendation_groups(engine):
    for name, f in _cases(engine):
        for threshold in (0.45, 0.8):
            assert_same(engine, f, "similar_recommendation_groups", threshold), name


def test_similar_recommendation_groups_pages(engine):
    ask = questions.question("similar_recommendation_groups")
    count = questions.question("similar_recommendation_groups_count")
    want = expected(engine, Filters(), "similar_recommendation_groups", 0.45)
    assert len(want) > 10, "the store repeats proposals across sessions"
    assert count(engine, Filters(), 0.45) == len(want)
    for start, stop in ((0, 4), (4, 11), (len(want) - 2, len(want) + 3)):
        pd.testing.assert_frame_equal(
            ask(engine, Filters(), 0.45, start=start, stop=stop).reset_index(drop=True),
            want.iloc[start:stop].reset_index(drop=True),
        )


def test_similar_groups_bounded_to_the_newest(engine, monkeypatch):
    """Above the bound, the groups are those of the newest recommendations (as documented)."""
    from analysis.store.questions import recommendations as q

    table = expected(engine, Filters(), "recommendation_table")
    monkeypatch.setattr(q, "MAX_SIMILAR_RECOMMENDATIONS", 60)
    newest = set(zip(table["session_id"][:60], table["seq"][:60], strict=True))
    got = q.similar_recommendation_groups(engine, Filters())
    assert not got.empty
    newest_sessions = {sid for sid, _ in newest}
    assert set(got["session_id"]) <= newest_sessions


def test_presentation_quotes(engine):
    for name, f in _cases(engine):
        for n in (5, 1, 20):
            assert_same(engine, f, "presentation_quotes", n), (name, n)
    assert len(questions.question("presentation_quotes")(engine, Filters())) == 5


def test_presentation_quotes_bounded_to_the_newest(engine, monkeypatch):
    """Above the bound, the quotes are the pandas pick among the newest recommendations."""
    from analysis.frames.present import pick_quotes
    from analysis.store.questions import present

    monkeypatch.setattr(present, "MAX_QUOTE_RECOMMENDATIONS", 40)
    table = expected(engine, Filters(), "recommendation_table").head(40)
    want = pick_quotes(table[table["speaker"].notna()], 5)
    assert len(want) >= 2
    got = present.presentation_quotes(engine, Filters(), 5)
    pd.testing.assert_frame_equal(got, want)


def _selections(engine) -> list[tuple]:
    """Drill-down selections read from the store: (theme, agency, province, fiscal_year, month,
    with_theme, other_agency, quarter, category)."""
    t = frames.records_only(_tables(engine))
    themes = t.themes["theme"].value_counts().index.tolist()
    agencies = t.agencies["canonical"].value_counts().index.tolist()
    province = t.sessions["province"].dropna().value_counts().index[0]
    year = int(t.sessions["fiscal_year"].dropna().mode()[0])
    month = str(t.sessions["session_date"].dropna().iloc[3].date())
    category = frames.recommendations_by_category(t)["category"].iloc[0]

    def sel(**kw):
        keys = ("theme", "agency", "province", "fiscal_year", "month", "with_theme")
        keys += ("other_agency", "quarter", "category")
        return tuple(kw.get(k) for k in keys)

    return [
        sel(theme=themes[0]),
        sel(theme=themes[0], with_theme=themes[1]),
        sel(with_theme=themes[2]),
        sel(theme=themes[1], agency=agencies[0]),
        sel(agency=agencies[0]),
        sel(agency=agencies[0], other_agency=agencies[1]),
        sel(province=province),
        sel(fiscal_year=year),
        sel(fiscal_year=year, quarter=2),
        sel(quarter=1),
        sel(month=month),
        sel(category=category),
        sel(category=""),
        sel(category=category, agency=agencies[0]),
        sel(theme=HOSTILE[0], agency=HOSTILE[1]),
        sel(category=HOSTILE[3], province=HOSTILE[2]),
    ]


def test_drilldown(engine):
    selections = _selections(engine)
    for name, f in _cases(engine):
        for selection in selections:
            assert_same(engine, f, "drilldown", *selection), (name, selection)
            assert_same(engine, f, "drilldown_sessions", *selection), (name, selection)
    non_empty = [s for s in selections if len(expected(engine, Filters(), "drilldown", *s))]
    assert len(non_empty) >= 12


def test_drilldown_limited_to_the_newest_sessions(engine):
    for selection in _selections(engine)[:12]:
        for limit in (1, 4):
            assert_same(engine, Filters(), "drilldown", *selection, 3, limit)
            got = questions.question("drilldown")(engine, Filters(), *selection, 3, limit)
            assert got["session_id"].nunique() <= limit


def _names(engine) -> set[str]:
    """The store's speaker names, less those that are a role's own label (a turn spoken by
    "ประธาน" is shown as the role ประธาน, which names nobody)."""
    from analysis.frames import ROLE_ORDER
    from analysis.i18n import Display

    roles = {Display(lang=lang).role(role) for lang in ("th", "en") for role in ROLE_ORDER}
    return {n for n in scope.known_names(engine) if len(n) >= 3 and n not in roles}


def _masked(engine, answer: pd.DataFrame) -> pd.DataFrame:
    people = {
        (name, agency if isinstance(agency, str) else None, role)
        for name, agency, role in zip(
            answer["speaker"], answer["agency"], answer["speaker_role"], strict=True
        )
        if isinstance(name, str)
    }
    return privacy.mask_frame(
        answer,
        privacy.masker(scope.known_names(engine)),
        scope.speaker_numbers(engine, people),
    )


def test_a_viewer_sees_no_speaker_name(engine):
    names = _names(engine)
    assert names
    sel = _selections(engine)
    answers = {
        "recommendation_table": questions.question("recommendation_table")(
            engine, Filters(), None, start=0, stop=200
        ),
        "presentation_quotes": questions.question("presentation_quotes")(engine, Filters(), 20),
        "similar_recommendation_groups": questions.question("similar_recommendation_groups")(
            engine, Filters()
        ),
        "drilldown_agency": questions.question("drilldown")(engine, Filters(), *sel[4]),
        "drilldown_theme": questions.question("drilldown")(engine, Filters(), *sel[0]),
        "drilldown_category": questions.question("drilldown")(engine, Filters(), *sel[11]),
    }
    for what, answer in answers.items():
        assert {"speaker", "agency", "speaker_role"} <= set(answer.columns), what
        assert answer["speaker"].notna().any(), f"{what} names someone before masking"
        shown = _masked(engine, answer)
        text = "\n".join(
            str(v) for col in shown.columns for v in shown[col].tolist() if isinstance(v, str)
        )
        leaked = sorted(n for n in names if n in text)
        assert not leaked, (what, leaked[:5])
