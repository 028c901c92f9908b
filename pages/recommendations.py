"""ข้อเสนอแนะ Recommendations: grouped by codebook category with quote, speaker, agency and session;
similar recommendations across sessions grouped; status, owner, due date and note edited and
saved by editors and admins, as the signed-in person."""

import pandas as pd
import streamlit as st

from analysis import figures, similarity, store
from analysis.auth import Role
from analysis.i18n import md_escape, parse_date
from analysis.tables import FOLLOWUP_STATUSES
from pages import _common as ui
from pages import _drill
from pages._exports import export_panel

disp, _ = ui.page("page_recommendations")
_drill.hidden_notice(disp)
st.caption(disp.t("drill_hint"))


def _pick_category(selection: dict) -> None:
    """A clicked category also narrows the table below to it."""
    st.session_state["rec_category"] = selection.get("category", "")


ui.prefetch(
    ("recommendations_by_category",),
    paged=(
        ("recommendation_table", (st.session_state.get("rec_category"),), "recs_page"),
        (
            "similar_recommendation_groups",
            (round(st.session_state.get("sim_threshold", similarity.DEFAULT_THRESHOLD), 2),),
            "groups_page",
        ),
    ),
)
by_cat = ui.frame("recommendations_by_category")
_drill.chart(
    figures.recommendations_by_category_chart,
    by_cat,
    disp,
    "recommendations_by_category",
    to_selection=lambda point: {"category": point.get("customdata") or ""},
    after=_pick_category,
)

categories = by_cat["category"].tolist()
if st.session_state.get("rec_category") not in [None, *categories]:
    st.session_state["rec_category"] = None
category = st.selectbox(
    disp.t("recs_category_pick"),
    [None, *categories],
    key="rec_category",
    format_func=lambda c: (
        disp.t("recs_all_categories") if c is None else figures.category_label(c, disp)
    ),
)
rows, _ = ui.paged_frame("recommendation_table", category, key="recs_page", disp=disp)
ui.table(rows, disp, key="rec_rows")
ui.full_frame_csv("recommendation_table", category, disp=disp, file_name="recommendations")


def _save_followup(r, pick) -> None:
    """Form callback: store the follow-up of recommendation `r` from the form's widgets."""
    typed = st.session_state[f"followup_due_{pick}"]
    try:
        due = parse_date(typed)
    except ValueError:
        ui.flash(disp.t("invalid_date", value=md_escape(typed)), "error")
        return
    try:
        store.set_followup(
            ui.engine(),
            int(r["session_id"]),
            int(r["seq"]),
            status=st.session_state[f"followup_status_{pick}"],
            owner_agency=st.session_state[f"followup_owner_{pick}"],
            due_date=due.isoformat() if due else "",
            note=st.session_state[f"followup_note_{pick}"],
            actor=ui.actor(),
        )
    except store.StoreError as exc:
        ui.flash(md_escape(str(exc)), "error")
    else:
        ui.bump_version()
        ui.flash(disp.t("saved", n=1))


# Editors and admins only: a viewer gets no edit control (the store refuses a viewer too).
if ui.may(Role.EDITOR):
    st.subheader(disp.t("followup_edit"), anchor=False)
    st.caption(disp.t("recs_edit_help"))
    ui.flash()
    # The form keeps its place on an empty programme too (disabled), so the page does not jump.
    labels = {
        i: f"#{r.recommendation_id or ''} {figures.short(r.text, 80)}"
        for i, r in zip(rows.index, rows.itertuples(index=False), strict=True)
    }
    empty = not labels
    pick = st.selectbox(
        disp.t("col_recommendations"),
        list(labels),
        key="rec_pick",
        format_func=labels.get,
        disabled=empty,
    )
    r = rows.loc[pick] if pick is not None else None
    with st.form("followup"):
        c1, c2, c3 = st.columns(3)
        c1.selectbox(
            disp.t("col_status"),
            FOLLOWUP_STATUSES,
            key=f"followup_status_{pick}",
            index=FOLLOWUP_STATUSES.index(r["status"]) if r is not None else 0,
            format_func=disp.status,
            disabled=empty,
        )
        c2.text_input(
            disp.t("col_owner_agency"),
            value=(r["owner_agency"] or "") if r is not None else "",
            key=f"followup_owner_{pick}",
            disabled=empty,
        )
        # typed as the person reads dates (17 พ.ย. 2569, 17/11/2569), not a Gregorian calendar
        c3.text_input(
            disp.t("col_due_date"),
            value="" if r is None or pd.isna(r["due_date"]) else disp.date(r["due_date"]),
            key=f"followup_due_{pick}",
            help=disp.t("field_date_help"),
            placeholder="17/11/2569",
            disabled=empty,
        )
        st.text_area(
            disp.t("col_note"),
            value=(r["note"] or "") if r is not None else "",
            height=80,
            key=f"followup_note_{pick}",
            disabled=empty,
        )
        st.form_submit_button(
            disp.t("save"),
            type="primary",
            key="followup_save",
            on_click=_save_followup,
            args=(r, pick),
            disabled=empty,
        )

st.subheader(disp.t("similar_groups"), anchor=False)
st.caption(disp.t("similar_help"))
threshold = st.slider(
    disp.t("similar_threshold"), 0.3, 0.9, similarity.DEFAULT_THRESHOLD, 0.05, key="sim_threshold"
)
groups, total = ui.paged_frame(
    "similar_recommendation_groups", round(threshold, 2), key="groups_page", disp=disp
)
if not total:
    st.caption(disp.t("similar_none"))
ui.table(groups, disp)
ui.full_frame_csv(
    "similar_recommendation_groups",
    round(threshold, 2),
    disp=disp,
    file_name="similar_recommendations",
)

export_panel(disp, "recommendations")
