"""The dashboard keeps ONE copy of the programme tables per store version and hands the same
object to every frame (`pages/_common._all_tables`, a `st.cache_resource`): no frame, filter or
option builder may change the tables it is given."""

from __future__ import annotations

import inspect

import pandas as pd

from analysis import frames, synthetic
from analysis.filters import Filters, apply_filters, filter_options, hidden_by_kind
from analysis.tables import TABLE_NAMES, ProgrammeTables

ARGS = {"search_sessions": ("บัญชีครัวเรือน",), "search_matches": ("บัญชีครัวเรือน",)}


def _table_functions():
    for name, fn in inspect.getmembers(frames, inspect.isfunction):
        in_frames = fn.__module__.split(".")[:2] == frames.__name__.split(".")  # or its pages'
        if name.startswith("_") or not in_frames:
            continue
        params = list(inspect.signature(fn).parameters.values())
        if params and params[0].annotation in (ProgrammeTables, "ProgrammeTables"):
            yield name, fn


def test_no_frame_changes_the_tables_it_reads():
    tables = synthetic.synthetic_tables(150, seed=5)
    before = {name: getattr(tables, name).copy(deep=True) for name in TABLE_NAMES}
    called = []
    for name, fn in _table_functions():
        fn(tables, *ARGS.get(name, ()))
        called.append(name)
    filter_options(tables)
    apply_filters(tables, Filters(provinces=("น่าน",)))
    hidden_by_kind(tables, Filters(provinces=("น่าน",)))
    assert {"overview_metrics", "theme_counts", "key_phrases", "search_sessions"} <= set(called)
    assert {"drilldown", "search_matches", "sessions_over_time"} <= set(called)
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(getattr(tables, name), before[name], obj=name)
