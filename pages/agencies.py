"""หน่วยงาน Agencies: who took part and who spoke: sessions attended, turns, share of voice (by
agency
and by speaker role, so villagers without an agency do not vanish), agency × theme, co-attendance,
and participation over time."""

import streamlit as st

from analysis import figures
from pages import _common as ui
from pages._exports import export_panel

disp, _ = ui.page("page_agencies")

df = ui.frame("participation_by_agency")
left, right = st.columns(2)
with left:
    ui.chart(figures.participation_chart, df, disp, "participation_by_agency")
with right:
    ui.chart(figures.share_of_voice_chart, df, disp, "share_of_voice_by_agency")

df = ui.frame("share_of_voice_by_role")
ui.chart(figures.share_of_voice_by_role_chart, df, disp, "share_of_voice_by_role")

df = ui.frame("agency_theme_matrix")
ui.chart(figures.agency_theme_chart, df, disp, "agency_theme_matrix")

df = ui.frame("agency_coattendance")
ui.chart(figures.coattendance_chart, df, disp, "agency_coattendance")

df = ui.frame("agency_trend")
ui.chart(figures.agency_trend_chart, df, disp, "agency_trend")

export_panel(disp, "agencies")
