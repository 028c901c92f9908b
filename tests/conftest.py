"""Shared fixtures. Keep this small and generic.

`store_url` gives a fresh, empty store per test on each backend: a SQLite file in tmp_path, and a
PostgreSQL schema of its own on the server at $SANGKHRO_TEST_POSTGRES_URL (tests marked
`postgres`; skipped when that variable is unset, failed instead when SANGKHRO_REQUIRE_POSTGRES=1,
which .ci/run sets after starting the server with scripts/start_postgres.sh).
"""

from __future__ import annotations

import os
import uuid

import pytest

POSTGRES_URL_ENV = "SANGKHRO_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "SANGKHRO_REQUIRE_POSTGRES"


def _postgres_url() -> str:
    url = os.environ.get(POSTGRES_URL_ENV, "").strip()
    if not url:
        message = (
            f"{POSTGRES_URL_ENV} is not set: start PostgreSQL with scripts/start_postgres.sh and "
            f"export {POSTGRES_URL_ENV}=<the URL it prints>"
        )
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def new_store_url(request, tmp_path_factory):
    """A factory of URLs of fresh, empty stores on this test's backend (for tests that need
    two stores, e.g. an export re-imported into an empty store). Dropped after the test."""
    cleanups = []

    def make() -> str:
        if request.param == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('store') / 'store.db'}"
        import sqlalchemy as sa

        from analysis.store import database_url

        base = database_url(_postgres_url())
        schema = f"test_{uuid.uuid4().hex[:12]}"
        admin = sa.create_engine(base)
        with admin.begin() as conn:
            conn.execute(sa.schema.CreateSchema(schema))

        def drop():
            with admin.begin() as conn:
                conn.execute(sa.schema.DropSchema(schema, cascade=True))
            admin.dispose()

        cleanups.append(drop)
        url = sa.engine.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    yield make
    for drop in cleanups:
        drop()


@pytest.fixture
def store_url(new_store_url):
    """URL of a fresh, empty store, on SQLite and on PostgreSQL (the schema is created by
    `store.get_engine`). The SQLite file lives outside the test's tmp_path, so tests can import
    tmp_path as a folder."""
    return new_store_url()


@pytest.fixture
def store_engine(store_url):
    """An engine on a fresh store (see `store_url`), disposed after the test."""
    from analysis.store import get_engine

    engine = get_engine(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def fake_extractor(monkeypatch):
    """Replace the extractor with a predictable one, so store tests do not depend on what the
    real extractor (work in progress) makes of a text.

    The record: title = first non-empty line; every line starting with "ควร" a recommendation;
    every line "ชื่อ: คำพูด" a turn; `fake_extractor.version` is its extractor_version (tests may
    change it to simulate a newer extractor). Returns the object, whose `calls` counts runs.
    """
    from analysis import store

    class Fake:
        version = "fake-1"
        calls = 0

        def __call__(self, text: str) -> dict:
            self.calls += 1
            lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
            recs = [ln for ln in lines if ln.startswith("ควร")]
            turns = [
                {
                    "speaker": ln.split(":", 1)[0].strip(),
                    "agency": None,
                    "text": ln.split(":", 1)[1].strip(),
                }
                for ln in lines[1:]
                if ":" in ln and not ln.startswith("ควร")
            ]
            return store.normalise_record(
                {
                    "kind": "summary",
                    "title": lines[0] if lines else None,
                    "recommendations": recs,
                    "recommendation_categories": [["fake_category"] for _ in recs],
                    "turns": turns,
                    "themes": ["ทดสอบ"],
                    "extractor_version": self.version,
                }
            )

    fake = Fake()
    monkeypatch.setattr(store, "run_extractor", fake)
    return fake


def person(name: str, role: str = "editor"):
    """An Actor named `name` for store tests (their store has no users, so it takes them as
    given; `name` is what the store records as corrected_by/reviewed_by/updated_by)."""
    from analysis.auth import Actor, Role

    return Actor(name, Role(role))


# ----------------------------------------------------------------------------- dashboard fixtures
# (appended by the dashboard: AppTest and browser tests)

SAMPLE_FACTS = os.path.join(os.path.dirname(__file__), "sample_facts.json")


def sample_facts() -> dict:
    """The hand-counted facts of the bundled sample programme (tests/sample_facts.json)."""
    import json

    with open(SAMPLE_FACTS, encoding="utf-8") as fh:
        return json.load(fh)


def build_sample_store(url: str) -> None:
    """Import the bundled sample into the store at `url` through the real import path (the same
    call the dashboard makes on first run, which then applies data/sample/reviews.yaml: reviews,
    corrections, follow-ups): the dashboard's numbers are then checked against the hand-counted
    sample_facts.json, so the whole pipeline (decode, extract, store, tables, frames, page) is
    under test."""
    from analysis import sample, store

    engine = store.get_engine(url)
    try:
        summary = sample.ensure_sample(engine)
        assert summary is not None and len(summary.imported) == sample_facts()["records"]
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def dashboard_store(tmp_path_factory):
    """A module's own store holding the imported sample; SANGKHRO_DATABASE_URL points at it while
    the module runs, and every Streamlit cache is cleared before and after."""
    import streamlit as st

    url = f"sqlite:///{tmp_path_factory.mktemp('dashboard') / 'store.db'}"
    build_sample_store(url)
    saved = {k: os.environ.get(k) for k in ("SANGKHRO_DATABASE_URL", "SANGKHRO_SAMPLE")}
    os.environ["SANGKHRO_DATABASE_URL"] = url
    os.environ.pop("SANGKHRO_SAMPLE", None)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield url
    st.cache_data.clear()
    st.cache_resource.clear()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def fresh_caches():
    """Clear Streamlit's caches before a test (AppTest shares them within the process)."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield


# --- extractor scores: printed at the end of every run -------------------------------------

_SCORES: dict[str, str] = {}


@pytest.fixture
def scores_report() -> dict[str, str]:
    """Tests put the scorer's field tables here; they are printed in the run's summary."""
    return _SCORES


def pytest_terminal_summary(terminalreporter):
    for name, table in _SCORES.items():
        terminalreporter.section(f"extractor field scores: {name}")
        terminalreporter.write_line(table)
