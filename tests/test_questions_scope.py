"""The filters as SQL (`questions.scope`) keep exactly the sessions `apply_filters` keeps, and the
shared reads (filter options, hidden texts, review counts, known names, a few sessions' tables)
answer what the pandas versions answer over the whole programme tables, on both backends."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import privacy, store
from analysis.filters import Filters, apply_filters, filter_options, hidden_by_kind
from analysis.store.questions import scope
from analysis.tables import TABLE_NAMES
from tests.questions_support import filter_cases, programme_store  # noqa: F401 (fixture)


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Values as Python objects, every missing one None (None and NaN alike)."""
    return pd.DataFrame(
        {c: pd.Series([None if pd.isna(v) else v for v in df[c]], dtype=object) for c in df},
        columns=df.columns,
    )


@pytest.fixture(scope="module")
def whole(programme_store):  # noqa: F811
    return store.load_tables(programme_store)


def test_where_keeps_what_apply_filters_keeps(programme_store, whole):  # noqa: F811
    for name, f in filter_cases(programme_store).items():
        want = sorted(apply_filters(whole, f).sessions["session_id"].tolist())
        with programme_store.connect() as conn:
            got = sorted(conn.execute(scope.session_ids(f)).scalars())
        assert got == want, name
        assert scope.count_sessions(programme_store, f) == len(want), name


def test_most_filter_cases_keep_some_sessions_and_some_keep_none(programme_store):  # noqa: F811
    counts = {
        n: scope.count_sessions(programme_store, f)
        for n, f in filter_cases(programme_store).items()
    }
    assert counts["nothing"] == 0
    assert sum(1 for n in counts.values() if n) >= 10, counts


def test_filter_options_and_hidden_texts(programme_store, whole):  # noqa: F811
    assert scope.filter_options(programme_store) == filter_options(whole)
    for name, f in filter_cases(programme_store).items():
        assert scope.hidden_by_kind(programme_store, f) == hidden_by_kind(whole, f), name
    assert scope.hidden_by_kind(programme_store, Filters())["other"] > 0


def test_review_counts_and_known_names(programme_store, whole):  # noqa: F811
    s = whole.sessions
    assert scope.review_counts(programme_store) == (
        int((s["review_state"] == "reviewed").sum()),
        len(s),
    )
    one = s["programme"].iloc[0]
    mine = s[s["programme"] == one]
    assert scope.review_counts(programme_store, one) == (
        int((mine["review_state"] == "reviewed").sum()),
        len(mine),
    )
    assert scope.known_names(programme_store, ["ผู้ใช้ ทดสอบ"]) == privacy.known_names(
        whole, ["ผู้ใช้ ทดสอบ"]
    )


def test_speaker_numbers_number_as_the_masked_tables_do(programme_store, whole):  # noqa: F811
    turns = whole.turns.dropna(subset=["speaker"])
    people = {
        (speaker, agency if isinstance(agency, str) else None, role)
        for speaker, agency, role in zip(
            turns["speaker"], turns["agency"], turns["speaker_role"], strict=True
        )
    }
    numbers = scope.speaker_numbers(programme_store, people)
    masked = privacy.mask_tables(whole).turns
    for (speaker, agency, role), (number, of) in numbers.items():
        rows = (turns["speaker"] == speaker) & (turns["speaker_role"] == role)
        rows &= turns["agency"].isna() if agency is None else turns["agency"] == agency
        label = masked.loc[rows[rows].index[0], "speaker"]
        assert (f" {number}" in label) == (of > 1), (speaker, label)
    assert any(of > 1 for _, of in numbers.values())


def test_a_few_sessions_tables(programme_store, whole):  # noqa: F811
    for f in filter_cases(programme_store).values():
        want = apply_filters(whole, f)
        by_select = store.load_tables(programme_store, session_ids=scope.session_ids(f))
        by_list = store.load_tables(
            programme_store, session_ids=want.sessions["session_id"].tolist()
        )
        for table in TABLE_NAMES:
            expect = getattr(want, table).reset_index(drop=True)
            for got in (getattr(by_select, table), getattr(by_list, table)):
                # a column of only missing values reads as object, not str: values must match
                pd.testing.assert_frame_equal(_plain(got), _plain(expect), check_index_type=False)
