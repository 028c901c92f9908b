"""ประเด็น Themes: how often each theme is raised, over time, by agency and by province; which themes
come together; key phrases found by segmentation; and, from any bar, the sessions and quotes
behind it."""

import streamlit as st

from analysis import figures
from analysis.i18n import md_escape
from pages import _common as ui
from pages._exports import export_panel

DRILL_KEYS = ("theme", "agency", "province", "fiscal_year", "month", "with_theme")

disp, _ = ui.page("page_themes")


def _drill(chart: str, keys: tuple[str, ...]):
    """Remember the clicked point of `chart` as the drill-down (keys name its customdata)."""

    def callback():
        points = st.session_state[f"chart_{chart}"].selection.points
        if points:
            data = points[0].get("customdata")
            values = data if isinstance(data, list) else [data]
            st.session_state["drill"] = dict(zip(keys, values, strict=False))
            st.session_state["drill_theme"] = st.session_state["drill"].get("theme")

    return callback


counts = ui.frame("theme_counts")
ui.chart(
    figures.theme_counts_chart,
    counts,
    disp,
    "theme_counts",
    on_select=_drill("theme_counts", ("theme",)),
)

grain = (
    st.segmented_control(
        disp.t("time_grain"),
        ["fiscal_year", "month"],
        key="theme_grain",
        default="fiscal_year",
        format_func=lambda g: disp.t(f"grain_{g}"),
    )
    or "fiscal_year"
)
df = ui.frame("themes_over_time", grain)
ui.chart(
    figures.themes_over_time_chart,
    df,
    disp,
    "themes_over_time",
    on_select=_drill("themes_over_time", ("theme", grain)),
)

df = ui.frame("themes_by_agency")
ui.chart(
    figures.themes_by_agency_chart,
    df,
    disp,
    "themes_by_agency",
    on_select=_drill("themes_by_agency", ("theme", "agency")),
)

df = ui.frame("themes_by_province")
ui.chart(
    figures.themes_by_province_chart,
    df,
    disp,
    "themes_by_province",
    on_select=_drill("themes_by_province", ("theme", "province")),
)

df = ui.frame("theme_cooccurrence")
ui.chart(
    figures.theme_cooccurrence_chart,
    df,
    disp,
    "theme_cooccurrence",
    on_select=_drill("theme_cooccurrence", ("theme", "with_theme")),
)

df = ui.frame("key_phrases")
ui.chart(figures.key_phrases_chart, df, disp, "key_phrases")

st.subheader(disp.t("drilldown"), anchor=False)
st.caption(disp.t("drilldown_hint"))
themes = counts["theme"].tolist()
if st.session_state.get("drill_theme") not in [None, *themes]:
    st.session_state["drill_theme"] = None
theme = st.selectbox(
    disp.t("drilldown_pick"),
    [None, *themes],
    key="drill_theme",
    format_func=lambda th: (
        disp.t("drilldown_none") if th is None else figures.theme_label(th, disp)
    ),
)
drill = dict(st.session_state.get("drill") or {})
if theme != drill.get("theme"):
    drill = {"theme": theme} if theme else {}
    st.session_state["drill"] = drill
if drill:
    st.markdown(" · ".join(md_escape(str(v)) for v in drill.values() if v is not None))
    df = ui.frame("theme_drilldown", *(drill.get(k) for k in DRILL_KEYS))
    ui.table(df, disp)
    ui.download(df, disp, "theme_drilldown")

export_panel(disp, "themes")
