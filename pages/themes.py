"""ประเด็น Themes: how often each theme is raised, over time, by agency and by province; which themes
come together; key phrases found by segmentation. Clicking any bar, cell or point (or picking a
theme) opens the sessions and quotes behind it in a dialog over the chart."""

import streamlit as st

from analysis import figures
from pages import _common as ui
from pages import _drill
from pages._exports import export_panel

disp, _ = ui.page("page_themes")
_drill.hidden_notice(disp)


def _pick_theme(selection: dict) -> None:
    """A clicked theme becomes the picker's value (the picker and the charts agree)."""
    st.session_state["drill_theme"] = selection.get("theme")


def _theme_picked() -> None:
    theme = st.session_state.get("drill_theme")
    if theme:
        _drill.request({"theme": theme}, "picker")


ui.prefetch(
    ("key_phrases",),
    ("themes_by_agency_counted",),
    ("themes_over_time", st.session_state.get("theme_grain") or "fiscal_year")
    if st.session_state.get("theme_grain") != "quarter"
    else ("themes_over_quarters",),
    ("themes_by_province",),
    ("theme_cooccurrence",),
    ("theme_counts",),
)
counts = ui.frame("theme_counts")
themes = counts["theme"].tolist()
if st.session_state.get("drill_theme") not in [None, *themes]:
    st.session_state["drill_theme"] = None
st.selectbox(
    disp.t("drilldown_pick"),
    [None, *themes],
    key="drill_theme",
    on_change=_theme_picked,
    format_func=lambda th: (
        disp.t("drilldown_none") if th is None else figures.theme_label(th, disp)
    ),
)
st.caption(disp.t("drill_hint"))
if (st.session_state.get(_drill.REQUEST) or {}).get("source") == "picker":
    _drill.open_dialog(disp)

_drill.chart(
    figures.theme_counts_chart, counts, disp, "theme_counts", ("theme",), after=_pick_theme
)

grain = (
    st.segmented_control(
        disp.t("time_grain"),
        ["fiscal_year", "quarter", "month"],
        key="theme_grain",
        default="fiscal_year",
        format_func=lambda g: disp.t(f"grain_{g}"),
    )
    or "fiscal_year"
)
if grain == "quarter":
    df = ui.frame("themes_over_quarters")
    builder, keys = figures.themes_over_quarters_chart, ("theme", "fiscal_year", "quarter")
else:
    df = ui.frame("themes_over_time", grain)
    builder, keys = figures.themes_over_time_chart, ("theme", grain)
_drill.chart(builder, df, disp, "themes_over_time", keys, after=_pick_theme)

df = ui.frame("themes_by_agency_counted")
_drill.chart(
    figures.themes_by_agency_chart,
    df,
    disp,
    "themes_by_agency",
    ("theme", "agency"),
    after=_pick_theme,
)

df = ui.frame("themes_by_province")
_drill.chart(
    figures.themes_by_province_chart,
    df,
    disp,
    "themes_by_province",
    ("theme", "province"),
    after=_pick_theme,
)

df = ui.frame("theme_cooccurrence")
_drill.chart(
    figures.theme_cooccurrence_chart,
    df,
    disp,
    "theme_cooccurrence",
    ("theme", "with_theme"),
    after=_pick_theme,
)

df = ui.frame("key_phrases")
ui.chart(figures.key_phrases_chart, df, disp, "key_phrases")

export_panel(disp, "themes")
