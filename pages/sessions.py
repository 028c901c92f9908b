"""เวที Sessions: a searchable list (Thai word segmentation); a session's own page with its fields,
its turns as a conversation, recommendations and themes highlighted in its text, and its raw
text. A viewer gets the session as `analysis.privacy` masks it: no raw text, no names. A search
shows each found word in the words around it (highlighted, never read as Markdown)."""

import streamlit as st

from analysis import frames, privacy, ui_state
from analysis.auth import Role
from analysis.i18n import md_escape
from pages import _common as ui
from pages import _drill

disp, _ = ui.page("page_sessions")
CONTEXT_SESSIONS = 10  # sessions of the shown page whose matches are shown in context


def _passage(before: str, match: str, after: str) -> str:
    """A found passage as escaped Markdown with the matching word highlighted: the session's
    text is never read as Markdown or HTML (md_escape), only our highlight is."""
    return f"{md_escape(before)}:orange-background[**{md_escape(match)}**]{md_escape(after)}"


def _matches_in_context(rows, matches) -> None:
    """Each found session of this page with the words around every query word, highlighted."""
    st.subheader(disp.t("search_in_context"), anchor=False)
    ids = [int(i) for i in rows["session_id"]]
    shown = [i for i in ids if i in set(matches["session_id"])][:CONTEXT_SESSIONS]
    st.caption(disp.t("search_context_more", shown=len(shown), n=len(ids)))
    by_id = rows.set_index("session_id")
    with st.container(height=420):
        for sid in shown:
            info = by_id.loc[sid]
            _drill.session_link(sid, info["title"], info["session_date"], disp)
            for m in matches[matches["session_id"] == sid].itertuples(index=False):
                where = disp.t(f"search_where_{m.where}")
                if isinstance(m.speaker, str) and m.speaker and not ui.anonymise():
                    where = f"{where} · {m.speaker}"
                st.caption(md_escape(where))
                st.markdown(_passage(m.before, m.match, m.after))


selected = ui_state.url_int(st.query_params.get("session"))
if selected is not None:
    s = ui.session(selected)
    st.button(
        disp.t("back_to_list"),
        icon=":material/arrow_back:",
        key="back_to_list",
        on_click=lambda: st.query_params.pop("session", None),
    )
    if s is None:
        st.warning(disp.t("session_missing", id=selected))
        st.stop()
    rec = s["record"]
    st.header(md_escape(rec.get("title") or s["source_name"]), anchor=False)
    left, right = st.columns([2, 3])
    with left:
        st.subheader(disp.t("session_fields"), anchor=False)
        fields = frames.session_fields(s, disp)
        ui.table(fields, disp, height=38 + 35 * len(fields))
        if ui.may(Role.EDITOR):
            st.page_link(
                "pages/import_review.py",
                label=disp.t("review_this"),
                icon=":material/edit_note:",
                query_params={"session": str(s["session_id"])},
            )
    with right:
        st.subheader(disp.t("conversation"), anchor=False)
        messages = frames.conversation(s, ui.anonymise(), disp.lang)
        if not messages:
            st.caption(disp.t("no_turns"))
        for msg in messages:
            avatar = (
                ":material/account_balance:"
                if msg["role"] in ("official",)
                else (
                    ":material/record_voice_over:"
                    if msg["role"] in ("facilitator", "chair")
                    else ":material/person:"
                )
            )
            with st.chat_message("user", avatar=avatar):
                st.caption(md_escape(msg["name"]))
                st.text(msg["text"])
    st.subheader(disp.t("field_recommendations"), anchor=False)
    recs = frames.session_recommendations(s)
    ui.table(recs, disp, height=38 + 35 * max(len(recs), 1))
    if not ui.may(Role.EDITOR) or not s.get("raw_text"):  # raw text: editors and admins only
        st.stop()
    st.subheader(disp.t("highlighted_text"), anchor=False)
    with st.container(height=520):
        ui.highlighted(s["raw_text"], frames.highlight_marks(s), disp)
    with st.expander(disp.t("raw_text"), icon=":material/description:"):
        st.code(s["raw_text"], language=None, wrap_lines=True)
    st.download_button(
        disp.t("download_raw"),
        s["raw_text"].encode("utf-8"),
        file_name=s["source_name"],
        mime="text/plain",
        icon=":material/download:",
    )
    st.stop()

_drill.hidden_notice(disp)
query = st.text_input(
    disp.t("search"),
    key="search",
    help=disp.t("search_help"),
    placeholder=disp.t("search_placeholder"),
)
# the search reads the stored texts, names included: a viewer, who sees every name masked, may
# not search for one (what masking the query would change is a name or a titled name)
if (
    query
    and privacy.is_masked_for(ui.actor())
    and ui._masker(ui.engine(), ui.version())(query) != query
):
    st.info(disp.t("search_no_names"))
    st.stop()
rows, total = ui.paged_frame("search_sessions", query or "", key="sessions_page", disp=disp)
st.caption(disp.t("sessions_found", n=f"{total:,}") + " · " + disp.t("sessions_pick"))
if query and total:  # the words in context, read for this page's sessions only
    page_ids = tuple(int(i) for i in rows["session_id"])
    _matches_in_context(rows, ui.frame("search_matches", query, page_ids))
event = ui.table(
    rows,
    disp,
    key="session_list",
    on_select="rerun",
    selection_mode="single-row",
    height=min(720, 38 + 35 * max(len(rows), 1)),
)
if event and event.selection.rows:
    st.query_params["session"] = str(int(rows.iloc[event.selection.rows[0]]["session_id"]))
    st.rerun()
ui.full_frame_csv("search_sessions", query or "", disp=disp, file_name="sessions")
