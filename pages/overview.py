"""ภาพรวม Overview: headline numbers, sessions over time (binned by month, fiscal quarter or fiscal
year, whichever is not mostly 0-1) and by province, the latest sessions. A clicked bar opens the
sessions behind it."""

import streamlit as st

from analysis import figures
from analysis.i18n import format_number, format_percent
from pages import _common as ui
from pages import _drill
from pages._exports import export_panel

disp, _ = ui.page("page_overview", "overview_intro")
_drill.hidden_notice(disp)

m = ui.frame("overview_metrics")
c = st.columns(5)
c[0].metric(disp.t("metric_sessions"), format_number(m["sessions"]))
c[1].metric(
    disp.t("metric_participants"),
    format_number(m["participants"]),
    help=disp.t("participants_help", known=m["participants_known"], total=m["sessions"]),
)
c[2].metric(disp.t("metric_agencies"), format_number(m["agencies"]))
c[3].metric(
    disp.t("metric_recommendations"),
    format_number(m["recommendations"]),
    delta=f"{format_number(m['acted_on'])} {disp.t('metric_acted_on')}",
    delta_color="off",
    delta_arrow="off",
    help=disp.t("acted_on_help"),
)
c[4].metric(
    disp.t("metric_reviewed"),
    format_percent(m["reviewed_share"]),
    delta=f"{format_number(m['reviewed'])}/{format_number(m['sessions'])}",
    delta_color="off",
    delta_arrow="off",
    help=disp.t("reviewed_help"),
)
if m["others"]:
    st.caption(f"{disp.t('metric_others')}: {format_number(m['others'])}")
if not m["sessions"]:
    st.info(disp.t("empty_store"))


def _period(point: dict) -> dict:
    """The period of a clicked bar of the sessions-over-time chart."""
    data = point.get("customdata")
    if isinstance(data, list | tuple) and len(data) == 2:  # a fiscal quarter
        return {"fiscal_year": data[0], "quarter": data[1]}
    if isinstance(data, int | float) and not isinstance(data, bool):  # a fiscal year
        return {"fiscal_year": int(data)}
    return {"month": point.get("x")} if point.get("x") else {}


df = ui.frame("sessions_over_time")
grain = df.attrs.get("grain", "month")
if grain != "month":  # said before the chart, so nobody looks for the months
    st.caption(disp.t(f"grain_note_{grain}"))
_drill.chart(figures.sessions_over_time_chart, df, disp, "sessions_over_time", to_selection=_period)

left, right = st.columns(2)
with left:
    df = ui.frame("sessions_per_fiscal_year")
    _drill.chart(
        figures.sessions_per_fiscal_year_chart,
        df,
        disp,
        "sessions_per_fiscal_year",
        ("fiscal_year",),
    )
with right:
    df = ui.frame("sessions_per_province")
    _drill.chart(
        figures.sessions_per_province_chart, df, disp, "sessions_per_province", ("province",)
    )

st.subheader(disp.t("chart_latest_sessions"))
df = ui.frame("latest_sessions")
ui.table(df, disp)
ui.download(df, disp, "latest_sessions")

export_panel(disp, "overview")
