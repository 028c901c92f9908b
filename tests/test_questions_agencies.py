"""The Agencies and Themes pages' questions in SQL answer what their pandas namesakes answer, for
every filter case, on SQLite and PostgreSQL (see tests/questions_support.py)."""

from __future__ import annotations

import pytest

from analysis.filters import Filters
from analysis.frames.agencies import most_first
from analysis.store import questions
from analysis.store.questions import scope
from tests.questions_support import (
    FILTER_CASE_NAMES,
    assert_same,
    expected,
    filter_cases,
    programme_store,
)

__all__ = ["programme_store"]  # the fixture, imported for pytest

CASES = list(FILTER_CASE_NAMES)

QUESTIONS = [
    ("participation_by_agency", ()),
    ("share_of_voice_by_role", ()),
    ("agency_theme_matrix", ()),
    ("agency_coattendance", ()),
    ("agency_trend", ()),
    ("theme_counts", ()),
    ("themes_over_time", ("fiscal_year",)),
    ("themes_over_time", ("month",)),
    ("themes_over_quarters", ()),
    ("themes_by_agency_counted", ()),
    ("themes_by_province", ()),
    ("theme_cooccurrence", ()),
    ("key_phrases", ()),
]

IDS = ["-".join([name, *map(str, args)]) for name, args in QUESTIONS]


def test_the_cases_are_the_support_modules(programme_store):
    assert list(filter_cases(programme_store)) == CASES


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(("name", "args"), QUESTIONS, ids=IDS)
def test_sql_answers_as_pandas(programme_store, case, name, args):
    assert_same(programme_store, filter_cases(programme_store)[case], name, *args)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("agency_theme_matrix", (3,)),
        ("agency_coattendance", (2,)),
        ("agency_trend", (1,)),
        ("themes_over_time", ("month", 2)),
        ("themes_over_quarters", (1,)),
        ("themes_by_province", (2,)),
        ("theme_cooccurrence", (3,)),
        ("key_phrases", (10, 40, 3)),  # a seeded sample of 40 sessions, the same on both
    ],
)
@pytest.mark.parametrize("case", ["default", "fiscal year", "every kind"])
def test_small_tops_and_samples_agree(programme_store, case, name, args):
    """Short top-N lists cut through ties; a sample smaller than the sessions is the same one."""
    assert_same(programme_store, filter_cases(programme_store)[case], name, *args)


def test_ties_are_in_the_cases_and_broken_alphabetically(programme_store):
    """At least one filter case has themes or agencies with equal counts, and the SQL answer
    lists them in code-point order, as the pandas one does (pinned by `most_first`)."""
    tied = 0
    for f in filter_cases(programme_store).values():
        counts = questions.question("theme_counts")(programme_store, f)
        for _, group in counts.groupby("sessions"):
            if len(group) > 1:
                tied += 1
                assert group["theme"].tolist() == sorted(group["theme"])
        agencies = questions.question("participation_by_agency")(programme_store, f)
        shown = questions.question("agency_coattendance")(programme_store, f).index.tolist()
        ranked = most_first(dict(zip(agencies["agency"], agencies["sessions"], strict=True)), 15)
        assert shown == [a for a in ranked if a in shown]
    assert tied, "no filter case has two themes raised in as many sessions"


def test_most_first_breaks_ties_by_name():
    assert most_first({"ข": 2, "ก": 2, "ค": 3, "a": 1}) == ["ค", "ก", "ข", "a"]
    assert most_first({"ข": 2, "ก": 2, "ค": 3}, top=2) == ["ค", "ก"]


HOSTILE = [
    Filters(agencies=("x' OR '1'='1",)),
    Filters(themes=("%",), provinces=("_",)),
    Filters(provinces=('"; DROP TABLE sessions; --',), kinds=("transcript",)),
]


@pytest.mark.parametrize("f", HOSTILE, ids=["quote", "wildcards", "drop"])
@pytest.mark.parametrize(("name", "args"), QUESTIONS[:7], ids=IDS[:7])
def test_hostile_filter_values_are_values(programme_store, f, name, args):
    """Quotes, % and _ in a filter value match nothing rather than acting as SQL."""
    assert_same(programme_store, f, name, *args)
    assert len(questions.question(name)(programme_store, f, *args)) == 0
    assert scope.count_sessions(programme_store, Filters()) > 0  # and nothing was dropped


def test_default_answers_are_not_empty(programme_store):
    """The comparisons above compare real answers: the default filter shows something."""
    f = Filters()
    for name, args in QUESTIONS:
        got = questions.question(name)(programme_store, f, *args)
        assert len(got) > 0, name
    assert int(questions.question("agency_theme_matrix")(programme_store, f).to_numpy().sum()) > 0


def test_expected_is_the_filtered_pandas_answer(programme_store):
    """`expected` applies the filters: the programme case answers differently from the default."""
    cases = filter_cases(programme_store)
    a = expected(programme_store, cases["default"], "theme_counts")
    b = expected(programme_store, cases["programme"], "theme_counts")
    assert int(a["sessions"].sum()) > int(b["sessions"].sum())


@pytest.mark.parametrize(
    "kinds", [("transcript",), ("summary", "other")], ids=["transcripts", "summaries and others"]
)
@pytest.mark.parametrize(("name", "args"), QUESTIONS, ids=IDS)
def test_one_record_kind(programme_store, kinds, name, args):
    """In the default view the counts subtract the other kinds' sessions from every session's
    (`questions.agencies.distinct_sessions`): with one record kind shown, the other one too."""
    assert_same(programme_store, Filters(kinds=kinds), name, *args)


@pytest.mark.parametrize(
    ("name", "args"),
    [("agency_coattendance", (62,)), ("agency_theme_matrix", (62,)), ("agency_trend", (62,))],
)
def test_masks_hold_62_values(programme_store, name, args):
    """A session's mask of the top values holds up to 62 bits: past bit 31 it needs 64-bit
    integers in the CASE, the OR of a group and the AND of a test, on both databases."""
    from analysis.store.questions.agencies import top_agencies

    with programme_store.connect() as conn:
        assert len(top_agencies(conn, Filters(), 62)) > 40
    assert_same(programme_store, Filters(), name, *args)


@pytest.fixture
def sample_engine(store_engine):
    """A fresh store (SQLite and PostgreSQL) holding the sample programme, to edit by hand."""
    from analysis import sample

    sample.ensure_sample(store_engine)
    return store_engine


def _most_attended(engine) -> str:
    import sqlalchemy as sa

    from analysis import models as m

    sa_t = m.session_agencies
    with engine.connect() as conn:
        return conn.execute(
            sa.select(sa_t.c.canonical)
            .group_by(sa_t.c.canonical)
            .order_by(sa.func.count().desc(), sa_t.c.canonical)
            .limit(1)
        ).scalar_one()


def test_an_agencys_type_is_that_of_its_first_row_among_the_sessions_shown(sample_engine):
    """An agency written with another type in each session: participation shows the type of
    its row in the lowest session that passes the filters, then the lowest order in it, as the
    pandas answer does, whichever sessions the filters leave."""
    import sqlalchemy as sa

    from analysis import models as m

    sa_t = m.session_agencies
    agency = _most_attended(sample_engine)
    kind = sa.cast(sa_t.c.session_id, sa.Text) + sa.literal("-") + sa.cast(sa_t.c.seq, sa.Text)
    with sample_engine.begin() as conn:
        conn.execute(sa.update(sa_t).where(sa_t.c.canonical == agency).values(type=kind))
    for filters in filter_cases(sample_engine).values():
        assert_same(sample_engine, filters, "participation_by_agency")
    shown = questions.question("participation_by_agency")(sample_engine, Filters())
    assert shown.set_index("agency").loc[agency, "type"].count("-") == 1


def test_an_agency_missing_from_the_store_list_still_counts(sample_engine):
    """A row whose name is not in the store's list of agencies (a store edited by hand): the
    answer falls back to reading every row, and still equals the pandas answer."""
    import sqlalchemy as sa

    from analysis import models as m

    sa_t = m.session_agencies
    agency = _most_attended(sample_engine)
    with sample_engine.begin() as conn:
        conn.execute(
            sa.update(sa_t).where(sa_t.c.canonical == agency).values(canonical="หน่วยงานนอกรายชื่อ")
        )
    assert_same(sample_engine, Filters(), "participation_by_agency")
    shown = questions.question("participation_by_agency")(sample_engine, Filters())
    assert "หน่วยงานนอกรายชื่อ" in set(shown["agency"])
