"""Every page on an empty store (sample import switched off): no error, clear empty states."""

from __future__ import annotations

import os

import pytest

from tests.test_app import PAGES, open_page


@pytest.fixture(scope="module", autouse=True)
def empty_store(tmp_path_factory):
    import streamlit as st

    saved = {k: os.environ.get(k) for k in ("SANGKHRO_DATABASE_URL", "SANGKHRO_SAMPLE")}
    os.environ["SANGKHRO_DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('empty') / 's.db'}"
    os.environ["SANGKHRO_SAMPLE"] = "0"
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_runs_on_an_empty_store(page):
    at = open_page(page)  # asserts that no exception is shown
    assert not at.error


def test_empty_overview_counts_nothing():
    at = open_page("overview")
    assert [m.value for m in at.metric][:1] == ["0"]


def test_empty_review_page_keeps_its_layout_disabled():
    at = open_page("import")
    assert at.selectbox(key="review_pick").disabled
    assert any("ไม่มี" in c.value or "ว่าง" in c.value for c in at.caption)


def test_empty_recommendations_form_is_disabled():
    at = open_page("recommendations")
    assert at.selectbox(key="rec_pick").disabled
