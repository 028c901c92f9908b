"""ภาพรวม Overview: headline numbers, sessions over time and by province, the latest sessions."""

import streamlit as st

from analysis import figures
from analysis.i18n import format_number, format_percent
from pages import _common as ui
from pages._exports import export_panel

disp, _ = ui.page("page_overview", "overview_intro")

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

df = ui.frame("sessions_per_month")
ui.chart(figures.sessions_per_month_chart, df, disp, "sessions_per_month")

left, right = st.columns(2)
with left:
    df = ui.frame("sessions_per_fiscal_year")
    ui.chart(figures.sessions_per_fiscal_year_chart, df, disp, "sessions_per_fiscal_year")
with right:
    df = ui.frame("sessions_per_province")
    ui.chart(figures.sessions_per_province_chart, df, disp, "sessions_per_province")

st.subheader(disp.t("chart_latest_sessions"))
df = ui.frame("latest_sessions")
ui.table(df, disp)
ui.download(df, disp, "latest_sessions")

export_panel(disp, "overview")
