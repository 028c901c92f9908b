"""The overview and sessions pages' questions in SQL answer exactly what their pandas namesakes
answer (every question, every filter case, SQLite and PostgreSQL); the long lists page in the
database; search words are matched literally, whatever they hold; the review queue pages in
SQL with the rows and order of `frames.review_queue_table`."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import auth, frames, store
from analysis.filters import Filters, apply_filters
from analysis.record import SessionRecord, Turn
from analysis.store import questions
from analysis.store.questions import sessions as sq
from tests.questions_support import (  # noqa: F401
    FILTER_CASE_NAMES,
    assert_same,
    expected,
    filter_cases,
    programme_store,
)

QUERIES = ("ชาวบ้านทำบัญชี", "อบต", "ประชุม", "ทำงานกับอบต", "")
# words that would act as SQL or as LIKE wildcards if they reached the statement unescaped
HOSTILE = (
    "a%b",  # the term "%b": LIKE '%%b%' would match any text holding a "b"
    "x_y",  # the term "_y": LIKE '%_y%' would match any character before a "y"
    "งบ\\ครัว",
    "k\\z",  # the term "\\z": the escape character itself
    "ร้อยละ 50% ของ_ครัวเรือน",
    "'; DROP TABLE sessions; --",
    '" OR 1=1 --',
    "%",
    "_",
    "[ชื่อ]",
)
# texts holding the hostile characters themselves, so a literal match has something to find
PLANTED = (
    ("ลดรายจ่ายได้ a%b ของครัวเรือน", "ผู้ใหญ่บ้าน", "ชาวบ้านบอกว่า x_y คือรหัสกลุ่ม"),
    ("งบครัวเรือน k\\z ปี 2566", "กำนัน", "ทำบัญชีครบ 50% ของ_ครัวเรือน แล้วค่ะ"),
)


@pytest.fixture(scope="module")
def engine(programme_store):  # noqa: F811
    """The questions' store with two sessions whose texts hold %, _ and \\ literally."""
    for i, (title, speaker, said) in enumerate(PLANTED):
        rec = SessionRecord(
            kind="transcript",
            title=title,
            session_date=f"2023-0{i + 3}-1{i}",
            venue="ศาลาประชาคม",
            province="น่าน",
            agencies=("อบต.ป่าคา",),
            turns=(Turn(speaker=speaker, agency="อบต.ป่าคา", speaker_role="official", text=said),),
            recommendations=("ให้ทำบัญชีครัวเรือนต่อเนื่อง",),
        )
        store.import_text(
            programme_store,
            f"{title}\n{speaker}: {said}",
            f"ทดสอบ{i}.txt",
            actor=auth.local_admin(),
            extracted=rec,
        )
    return programme_store


FILTER_NAMES = FILTER_CASE_NAMES
QUESTIONS = (
    ("overview_metrics",),
    ("sessions_per_month",),
    ("sessions_per_fiscal_year",),
    ("sessions_per_province",),
    ("sessions_over_time",),
    ("sessions_over_time", "month"),
    ("sessions_over_time", "quarter"),
    ("sessions_over_time", "fiscal_year"),
    ("time_grain",),
    ("_sessions_per_quarter",),
    ("latest_sessions",),
    ("latest_sessions", 3),
    ("session_table",),
    *(("search_sessions", q) for q in QUERIES),
    *(("search_matches", q) for q in QUERIES),
)


def test_the_filter_cases_are_the_ones_named_here(engine):
    assert tuple(filter_cases(engine)) == FILTER_NAMES


@pytest.mark.parametrize("case", FILTER_NAMES)
@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: "-".join(map(str, q)))
def test_sql_answers_what_pandas_answers(engine, case, question):
    assert_same(engine, filter_cases(engine)[case], *question)


def test_the_cases_are_not_all_empty(engine):
    """The comparison means something: the default list, search and charts hold rows."""
    f = Filters()
    assert len(questions.question("session_table")(engine, f)) > 100
    assert len(questions.question("search_sessions")(engine, f, "ชาวบ้านทำบัญชี")) > 0
    assert len(questions.question("search_matches")(engine, f, "ชาวบ้านทำบัญชี")) > 0
    assert questions.question("overview_metrics")(engine, f)["acted_on"] > 0
    assert questions.question("sessions_per_province")(engine, f)["sessions"].sum() > 100


@pytest.mark.parametrize("name,args", [("session_table", ()), ("search_sessions", ("อบต",))])
@pytest.mark.parametrize("case", ("default", "every kind", "nothing"))
def test_long_lists_page_in_sql(engine, name, args, case):
    f = filter_cases(engine)[case]
    whole = expected(engine, f, name, *args).reset_index(drop=True)
    ask, count = questions.question(name), questions.question(f"{name}_count")
    assert count(engine, f, *args) == len(whole)
    for start, stop in ((0, 50), (50, 100), (len(whole) - 7, len(whole) + 50), (10, 10), (0, 0)):
        start = max(0, start)
        got = ask(engine, f, *args, start=start, stop=stop)
        pd.testing.assert_frame_equal(
            got.reset_index(drop=True), whole.iloc[start:stop].reset_index(drop=True)
        )
    pd.testing.assert_frame_equal(ask(engine, f, *args, start=0, stop=None), whole)


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_search_words_are_matched_literally(engine, query):
    for case in ("default", "every kind"):
        f = filter_cases(engine)[case]
        assert_same(engine, f, "search_sessions", query)
        assert_same(engine, f, "search_matches", query)
        want = expected(engine, f, "search_sessions", query)
        assert questions.question("search_sessions_count")(engine, f, query) == len(want)
    assert store.load_tables(engine).sessions["session_id"].size > 150  # nothing was dropped


def test_a_wildcard_in_a_word_finds_only_the_text_that_holds_it(engine):
    f = Filters()
    titles = [t for t, _, _ in PLANTED]
    for query, title in (("a%b", titles[0]), ("x_y", titles[0]), ("k\\z", titles[1])):
        found = questions.question("search_sessions")(engine, f, query)
        assert found["title"].tolist() == [title], query


@pytest.mark.parametrize("term", ["%", "_", "\\", "/", "'", "50%", "ของ_"])
def test_a_term_is_matched_literally_in_sql(engine, term):
    """`found` itself (below query_terms, which drops a word of punctuation alone): the
    sessions whose texts hold the characters, as the pandas search's blobs hold them."""
    import sqlalchemy as sa

    from analysis import models as m

    s = m.sessions
    with engine.connect() as conn:
        got = set(
            conn.execute(sa.select(s.c.id).where(sq.found(term, engine.dialect.name))).scalars()
        )
    tables = store.load_tables(engine)
    blobs = frames.sessions._search_blobs(tables)
    want = set(blobs[blobs.str.contains(term, regex=False)].index)
    assert got == want
    if term in ("%", "50%", "ของ_"):
        assert 0 < len(got) < 10  # the planted texts, not every text


def test_a_10000_character_query_is_answered(engine):
    text = ("ชาวบ้านทำบัญชีครัวเรือน ร่วมกับ อบต. %_ 'x' " * 400)[:10_000]
    words = "".join(chr(0x0E01 + (i * 7) % 46) + chr(0x0E32) for i in range(5_000))
    for query in (text, words):
        assert len(frames.query_terms(query)) <= frames.MAX_QUERY_TERMS
        f = Filters()
        assert_same(engine, f, "search_sessions", query)
        assert_same(engine, f, "search_matches", query)


def test_matches_are_read_for_the_page_only(engine):
    f = Filters()
    query = "ชาวบ้านทำบัญชี"
    page = questions.question("search_sessions")(engine, f, query, start=0, stop=5)
    ids = page["session_id"].tolist()
    got = questions.question("search_matches")(engine, f, query, tuple(ids))
    whole = expected(engine, f, "search_matches", query)
    want = whole[whole["session_id"].isin(ids)].reset_index(drop=True)
    assert len(want) and set(got["session_id"]) == set(want["session_id"])
    pd.testing.assert_frame_equal(got, want)
    assert_same(engine, f, "search_matches", query, tuple(ids))
    outside = [i for i in store.load_tables(engine).sessions["session_id"] if i not in ids][:3]
    assert_same(engine, f, "search_matches", query, tuple(outside))


@pytest.mark.parametrize("programme", [None, "โครงการสังเคราะห์", "ไม่มีโครงการนี้"])
def test_review_queue_pages_in_sql(engine, programme):
    whole = frames.review_queue_table(store.review_queue(engine, programme))
    assert sq.review_queue_count(engine, programme) == len(whole)
    assert sq.review_queue_ids(engine, programme) == whole["session_id"].tolist()
    for start, stop in ((0, 50), (50, 100), (max(0, len(whole) - 3), len(whole) + 10), (0, 0)):
        got = sq.review_queue_rows(engine, programme, start, stop)
        want = whole.iloc[start:stop].reset_index(drop=True)
        if want.empty:  # no rows: the columns (an empty table's dtypes say nothing)
            assert got.empty and list(got.columns) == list(want.columns)
        else:
            pd.testing.assert_frame_equal(got, want)
    pd.testing.assert_frame_equal(sq.review_queue_rows(engine, programme), whole)
    if programme is None:
        assert len(whole) > 50


def test_every_question_here_is_registered():
    for name, *_ in QUESTIONS:
        assert questions.question(name) is not None, name
    for name in ("session_table_count", "search_sessions_count"):
        assert questions.question(name) is not None, name


def test_the_pandas_list_is_the_filtered_tables_newest_first(engine):
    """The reference itself: the list of the filtered tables, dated newest first, undated last."""
    t = apply_filters(store.load_tables(engine), Filters())
    table = frames.session_table(t)
    dated = table["session_date"].dropna()
    assert dated.is_monotonic_decreasing and table["session_date"].isna().sum() >= 0
    assert len(table) == len(t.sessions)
