"""บันทึกการใช้งาน Audit trail (admins only): who imported, corrected, reviewed, followed up,
re-extracted, deleted, exported or changed a role, and when; filtered, paged and exported as CSV or
JSONL. Read only: nothing here changes an entry (the store has no function that would)."""

from datetime import timedelta

import streamlit as st

from analysis import frames, store, ui_state
from analysis.store.audit import ACTIONS, EXPORT_FORMATS
from pages import _common as ui

disp, _ = ui.page("page_audit", "audit_intro")
who = ui.actor()  # only admins have this page in their navigation; the store checks again

c1, c2, c3, c4, c5 = st.columns([2, 2, 1, 1, 1])
action = c1.selectbox(
    disp.t("audit_action"),
    [None, *ACTIONS],
    key="audit_action",
    format_func=lambda a: (
        disp.t("audit_all_actions") if a is None else ui_state.label_in(ACTIONS[a], disp.lang)
    ),
)
user = c2.text_input(disp.t("audit_user"), key="audit_user").strip() or None
since = ui.typed_date(c3, disp.t("audit_since"), "audit_since", disp)
until = ui.typed_date(c4, disp.t("audit_until"), "audit_until", disp)
session_id = c5.number_input(
    disp.t("audit_session"), min_value=1, value=None, step=1, key="audit_session"
)
filters = {
    "action": action,
    "user": user,
    "since": since,
    "until": until + timedelta(days=1) if until else None,  # the store's `until` is exclusive
    "session_id": int(session_id) if session_id else None,
}

number = st.number_input(disp.t("page_number"), min_value=1, step=1, key="audit_page", width=160)
offset = (int(number) - 1) * ui.PAGE_ROWS
try:  # one row more than a page: whether there is a next page
    entries = store.audit_trail(ui.engine(), who, **filters, limit=ui.PAGE_ROWS + 1, offset=offset)
except store.StoreError as exc:  # not an admin (PermissionDenied), or a bad filter
    st.error(str(exc))
    st.stop()
if not entries:
    st.info(disp.t("audit_none"))
shown = frames.audit_table(entries[: ui.PAGE_ROWS])
shown["action_label"] = [
    ui_state.label_in(e["action_label"], disp.lang) for e in entries[: len(shown)]
]
ui.table(shown, disp, key="audit_rows", height=min(900, 38 + 35 * max(len(shown), 1)))
if len(entries) > ui.PAGE_ROWS:
    st.caption(disp.t("page_of", page=int(number), pages=f"{int(number) + 1}+"))

# The export is made, and audited, only when a button is pressed.
cols = st.columns(len(EXPORT_FORMATS), width=420)
for col, fmt in zip(cols, EXPORT_FORMATS, strict=True):
    col.download_button(
        disp.t("audit_export", fmt=fmt.upper()),
        lambda fmt=fmt: store.export_audit(ui.engine(), who, fmt, **filters),
        file_name=f"sangkhro_audit.{fmt}",
        mime="text/csv" if fmt == "csv" else "application/jsonl",
        key=f"audit_export_{fmt}",
        icon=":material/download:",
        on_click="ignore",
    )
