"""What the SQL question tests share: a programme store on each backend, the filters to try,
and the check that a question answers what its pandas namesake in `analysis.frames` answers.

`programme_store` (a module-scoped fixture, SQLite and PostgreSQL) holds the bundled sample
programme plus a second, synthetic programme of 150 sessions (several programmes, all kinds,
follow-ups and reviews). `filter_cases(engine)` gives a dozen `Filters` values read from that
store (each filter on its own, several together, one that keeps nothing). `assert_same(engine,
filters, name, *args)` compares `questions.question(name)(engine, filters, *args)` with
``getattr(frames, name)(apply_filters(load_tables(engine), filters), *args)``.
"""

from __future__ import annotations

import uuid
from datetime import date

import pandas as pd
import pytest

from analysis import frames, sample, store, synthetic
from analysis.filters import Filters, apply_filters
from analysis.store import questions
from analysis.store.questions import scope

SYNTHETIC_SESSIONS = 150


def _postgres_store_url() -> str:
    import sqlalchemy as sa

    from tests.conftest import _postgres_url

    base = store.database_url(_postgres_url())
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.schema.CreateSchema(schema))
    admin.dispose()
    url = sa.engine.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), base, schema


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def programme_store(request, tmp_path_factory):
    """An engine on a store holding the sample programme and a synthetic one (see module doc)."""
    drop = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('questions') / 'store.db'}"
    else:
        url, base, schema = _postgres_store_url()

        def drop():
            import sqlalchemy as sa

            admin = sa.create_engine(base)
            with admin.begin() as conn:
                conn.execute(sa.schema.DropSchema(schema, cascade=True))
            admin.dispose()

    engine = store.get_engine(url)
    sample.ensure_sample(engine)
    synthetic.fill_store(engine, SYNTHETIC_SESSIONS, seed=7, programme="โครงการสังเคราะห์")
    yield engine
    engine.dispose()
    if drop is not None:
        drop()


# The names of `filter_cases`, known before any store exists (tests parametrise on them).
FILTER_CASE_NAMES = (
    "default",
    "every kind",
    "other only",
    "programme",
    "fiscal year",
    "two fiscal years",
    "date range",
    "province",
    "agency",
    "theme",
    "several",
    "nothing",
)


def filter_cases(engine) -> dict[str, Filters]:
    """Named `Filters` values worth trying on this store (read from its own options)."""
    o = scope.filter_options(engine)
    years = o["fiscal_years"]
    mid = o["date_min"] + (o["date_max"] - o["date_min"]) / 2
    return {
        "default": Filters(),
        "every kind": Filters(kinds=("transcript", "summary", "other")),
        "other only": Filters(kinds=("other",)),
        "programme": Filters(programme=o["programmes"][-1]),
        "fiscal year": Filters(fiscal_years=(years[len(years) // 2],)),
        "two fiscal years": Filters(fiscal_years=(years[0], years[-1])),
        "date range": Filters(date_from=o["date_min"], date_to=mid),
        "province": Filters(provinces=tuple(o["provinces"][:2])),
        "agency": Filters(agencies=(o["agencies"][0],)),
        "theme": Filters(themes=(o["themes"][0], o["themes"][3])),
        "several": Filters(
            programme=o["programmes"][0], agencies=tuple(o["agencies"][:3]), date_from=mid
        ),
        "nothing": Filters(date_from=date(1990, 1, 1), date_to=date(1990, 1, 2)),
    }


def expected(engine, filters: Filters, name: str, *args):
    """What `analysis.frames` answers for the filtered programme tables."""
    return getattr(frames, name)(apply_filters(store.load_tables(engine), filters), *args)


def assert_same(engine, filters: Filters, name: str, *args, check_dtype: bool = True) -> None:
    """The SQL question `name` answers exactly what its pandas namesake answers."""
    ask = questions.question(name)
    assert ask is not None, f"no SQL question named {name}"
    got = ask(engine, filters, *args)
    want = expected(engine, filters, name, *args)
    if isinstance(want, pd.DataFrame):
        pd.testing.assert_frame_equal(
            got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=check_dtype
        )
    else:
        assert got == want
