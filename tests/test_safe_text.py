"""Untrusted text stays text: spreadsheet formulas, plotly labels, Markdown (analysis.safe_text,
analysis.i18n.md_escape, the figure builders)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import figures, frames
from analysis.i18n import DEFAULT_DISPLAY, md_escape
from analysis.safe_text import chart_label, neutralise_formula, restore_formula
from tests.programme_fixture import tables

LINK = '<a href="http://127.0.0.1:9/x">คลิก</a> <b>หนา</b>'


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_formula_starts_get_an_apostrophe_and_come_back(cell):
    assert neutralise_formula(cell) == "'" + cell
    assert restore_formula(neutralise_formula(cell)) == cell


def test_other_values_are_left_alone():
    assert [neutralise_formula(v) for v in ("ควรทำ", "'quoted", 5, None)] == [
        "ควรทำ",
        "'quoted",
        5,
        None,
    ]
    assert restore_formula("'quoted") == "'quoted"


def test_chart_label_escapes_markup():
    assert (
        chart_label(LINK)
        == '&lt;a href="http://127.0.0.1:9/x"&gt;คลิก&lt;/a&gt; &lt;b&gt;หนา&lt;/b&gt;'
    )
    assert chart_label([LINK, 3]) == [chart_label(LINK), 3]


def test_md_escape_leaves_no_link_or_image_markup():
    shown = md_escape("![x](http://a.example/i.png) [y](https://b.example) www.c.example d@e.th")
    assert "](" not in shown and "http://" not in shown and "https://" not in shown
    assert "www." not in shown and "d@e" not in shown
    plain = shown.replace("\\", "").replace("\u2060", "")
    assert plain == "![x](http://a.example/i.png) [y](https://b.example) www.c.example d@e.th"


def _label_strings(fig) -> list[str]:
    out = []
    for trace in fig.data:
        for attr in figures.LABEL_ATTRS + ("hovertemplate",):
            value = getattr(trace, attr, None) if attr in trace else None
            if isinstance(value, str):
                out.append(value)
            elif value is not None:
                out += [v for v in pd.Series(list(value)).astype(str)]
    return out


def test_every_chart_shows_agency_theme_and_speaker_markup_as_text():
    t = tables()
    hostile = {a: f"{a} {LINK}" for a in t.agencies["canonical"].dropna().unique()}
    agencies = t.agencies.assign(canonical=t.agencies["canonical"].map(hostile))
    themes = t.themes.assign(theme=t.themes["theme"] + " " + LINK)
    turns = t.turns.assign(agency_canonical=t.turns["agency_canonical"].map(hostile))
    t = t.__class__(
        **{**{f: getattr(t, f) for f in t.__dataclass_fields__}, "agencies": agencies,
           "themes": themes, "turns": turns}
    )  # fmt: skip
    builds = [
        (figures.participation_chart, frames.participation_by_agency(t)),
        (figures.share_of_voice_chart, frames.participation_by_agency(t)),
        (figures.theme_counts_chart, frames.theme_counts(t)),
        (figures.themes_by_agency_chart, frames.themes_by_agency(t)),
        (figures.agency_trend_chart, frames.agency_trend(t)),
        (figures.agency_theme_chart, frames.agency_theme_matrix(t)),
        (figures.themes_over_time_chart, frames.themes_over_time(t)),
    ]
    for build, frame in builds:
        labels = _label_strings(build(frame, DEFAULT_DISPLAY))
        assert any("&lt;" in s for s in labels), build.__name__  # the data reached the chart
        assert not any("<a " in s or "<b>" in s for s in labels), build.__name__
