"""หน่วยงาน Agencies: who took part and who spoke: sessions attended, turns, share of voice (by
agency
and by speaker role, so villagers without an agency do not vanish), agency × theme, co-attendance,
and participation over time."""

import streamlit as st

from analysis import figures
from pages import _common as ui
from pages import _drill
from pages._exports import export_panel

disp, _ = ui.page("page_agencies")
_drill.hidden_notice(disp)
st.caption(disp.t("drill_hint"))

ui.prefetch(
    ("participation_by_agency",),
    ("agency_theme_matrix",),
    ("agency_coattendance",),
    ("agency_trend",),
    ("share_of_voice_by_role",),
)
df = ui.frame("participation_by_agency")
left, right = st.columns(2)
with left:
    _drill.chart(figures.participation_chart, df, disp, "participation_by_agency", ("agency",))
with right:
    _drill.chart(figures.share_of_voice_chart, df, disp, "share_of_voice_by_agency", ("agency",))

df = ui.frame("share_of_voice_by_role")
ui.chart(figures.share_of_voice_by_role_chart, df, disp, "share_of_voice_by_role")

df = ui.frame("agency_theme_matrix")
_drill.chart(figures.agency_theme_chart, df, disp, "agency_theme_matrix", ("agency", "theme"))

df = ui.frame("agency_coattendance")
_drill.chart(
    figures.coattendance_chart, df, disp, "agency_coattendance", ("agency", "other_agency")
)

df = ui.frame("agency_trend")
_drill.chart(figures.agency_trend_chart, df, disp, "agency_trend", ("agency", "fiscal_year"))

export_panel(disp, "agencies")
