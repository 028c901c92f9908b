"""นำเสนอ Present: projector mode: one big chart or quote per slide, next/previous, same filters;
speakers shown as role + agency when the sidebar switch says so (personal data)."""

import streamlit as st

from analysis import figures, frames, ui_state
from analysis.i18n import md_escape
from pages import _common as ui
from pages._exports import export_panel

disp, _ = ui.page("page_present")
st.caption(disp.t("present_hint"))

CHARTS = [  # (frame, figure builder)
    ("sessions_per_month", figures.sessions_per_month_chart),
    ("sessions_per_province", figures.sessions_per_province_chart),
    ("participation_by_agency", figures.participation_chart),
    ("share_of_voice_by_role", figures.share_of_voice_by_role_chart),
    ("theme_counts", figures.theme_counts_chart),
    ("recommendations_by_category", figures.recommendations_by_category_chart),
]
quotes = ui.frame("presentation_quotes")
n = 1 + len(CHARTS) + len(quotes)


def _slide() -> int:
    return min(ui_state.url_int(st.query_params.get("slide")) or 1, n)


def _go(step: int) -> None:
    st.query_params["slide"] = str(min(max(_slide() + step, 1), n))


slide = _slide()
st.query_params["slide"] = str(slide)  # a link opens the same slide
prev_col, where, next_col = st.columns([1, 4, 1])
prev_col.button(
    disp.t("slide_prev"),
    disabled=slide <= 1,
    width="stretch",
    on_click=_go,
    args=(-1,),
    key="slide_prev",
)
next_col.button(
    disp.t("slide_next"),
    disabled=slide >= n,
    width="stretch",
    type="primary",
    on_click=_go,
    args=(1,),
    key="slide_next",
)
where.progress(slide / n, text=disp.t("slide_of", i=slide, n=n))

if slide == 1:
    m = ui.frame("overview_metrics")
    ui.chart(figures.summary_slide, m, disp, "summary", table_frame=figures.metrics_table(m, disp))
elif slide <= 1 + len(CHARTS):
    name, build = CHARTS[slide - 2]
    df = ui.frame(name)
    ui.chart(build, df, disp, name, big=True)
else:
    q = quotes.iloc[slide - 2 - len(CHARTS)]
    who = frames.speaker_display([q.to_dict()], ui.anonymise(), disp.lang)[0]
    st.markdown(
        f"### {md_escape(disp.t('slide_quote'))} · "
        f"{md_escape(figures.category_label(q['category'], disp))}"
    )
    st.markdown(f"# “{md_escape(q['text'])}”")
    st.markdown(f"## — {md_escape(who)}")
    st.caption(f"{md_escape(q['title'] or '')} · {disp.date(q['session_date'])}")

export_panel(disp, "present")
