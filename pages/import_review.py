"""นำเข้า Import & review (editors and admins): upload files or paste text; the queue of records
nobody has reviewed, with how far the review has got; the extraction beside the text with the
found spans marked, both in panes that fit a laptop screen; "save and next" (corrections saved,
the record marked reviewed, the next queued record opened), made as the signed-in person, with
its message under the button; re-extract (corrections kept) and delete after a confirmation for
admins."""

import streamlit as st

from analysis import frames, ingest, store, ui_state
from analysis.auth import Role
from analysis.i18n import md_escape
from analysis.record import KINDS
from pages import _common as ui

disp, flt = ui.page("page_import")
ui.flash()
who = ui.actor()
PANE_HEIGHT = 520  # text and fields side by side, buttons in view, on a 1366×768 laptop
NEXT = "_review_next"  # the record "save and next" opens on the next run


def _progress(bar, key: str):
    def update(done: int, total: int, name: str = "") -> None:
        bar.progress(
            done / total if total else 1.0,
            text=disp.t(key, done=done, total=total, name=md_escape(name or "")),
        )

    return update


def _import(uploads: list[tuple[str, bytes]], programme: str) -> None:
    """Import (name, bytes) pairs with a progress bar, then report and rerun."""
    if not uploads:
        st.warning(disp.t("import_nothing"))
        return
    bar = st.progress(0.0)
    summary = ingest.import_uploads(
        ui.engine(), uploads, programme, _progress(bar, "import_progress"), actor=who
    )
    ui.bump_version()
    if summary.imported:
        ui.flash(disp.t("import_done", n=len(summary.imported)), place="import")
    if summary.skipped or summary.duplicates:
        ui.flash(md_escape(summary.to_text()), "warning", place="import")
    st.rerun()


# ----------------------------------------------------------------------------- import
with st.expander(disp.t("import_files"), expanded=False, icon=":material/upload_file:"):
    programme = st.text_input(
        disp.t("import_programme"),
        key="import_programme",
        value=flt.programme or store.DEFAULT_PROGRAMME,
    )
    upload_tab, paste_tab = st.tabs([disp.t("import_files"), disp.t("import_paste")])
    with upload_tab:
        files = st.file_uploader(
            disp.t("import_files"),
            accept_multiple_files=True,
            help=disp.t("import_files_help"),
            key="uploads",
        )
        if st.button(disp.t("import_button"), key="import_files_button", type="primary"):
            _import([(f.name, f.getvalue()) for f in files or []], programme)
    with paste_tab:
        name = st.text_input(disp.t("import_paste_name"), key="paste_name", value="pasted.txt")
        text = st.text_area(disp.t("import_paste"), key="paste_text", height=200)
        if st.button(disp.t("import_button"), key="import_paste_button", type="primary"):
            pasted = [(name or "pasted.txt", text.encode("utf-8"))] if text.strip() else []
            _import(pasted, programme)
    if ui.may(Role.ADMIN) and st.button(
        disp.t("re_extract"), key="re_extract", icon=":material/refresh:"
    ):
        bar = st.progress(0.0)
        counts = store.re_extract(
            ui.engine(), actor=who, progress=_progress(bar, "re_extract_progress")
        )
        ui.bump_version()
        ui.flash(disp.t("re_extract_done", n=counts["total"]), place="import")
        st.rerun()
ui.flash(place="import")  # what the import did, just under it


# ----------------------------------------------------------------------------- queue
st.subheader(disp.t("review_queue"), anchor=False)
queue, waiting = ui.review_queue("queue_page", disp)
reviewed, total = ui.review_counts()
st.progress(
    reviewed / total if total else 0.0,
    text=disp.t(
        "review_progress", done=f"{reviewed:,}", total=f"{total:,}", waiting=f"{waiting:,}"
    ),
)
if not waiting:
    st.caption(disp.t("review_queue_empty"))

if NEXT in st.session_state:  # "save and next" chose the record to open now
    following = st.session_state.pop(NEXT)
    st.session_state["review_pick"] = following
    if following is None:
        st.query_params.pop("session", None)
    else:
        st.query_params["session"] = str(following)
wanted = ui_state.url_int(st.query_params.get("session"))
# the same layout whether or not anything waits: the table (perhaps empty) and the picker; the
# table folds away once a record is open, so the record's panes come into view
with st.expander(disp.t("queue_table", n=f"{waiting:,}"), expanded=wanted is None):
    ui.table(queue, disp, height=min(400, 40 + 35 * max(1, len(queue))))

choices = queue["session_id"].tolist()
if wanted is not None and wanted not in choices:
    choices = [wanted, *choices]
titles = frames.queue_labels(queue)
if st.session_state.get("review_pick") not in choices:
    # a record opens when it is picked (or linked with ?session=ID), not before: the queue
    # first, then one record at a time
    st.session_state["review_pick"] = wanted
sid = st.selectbox(
    disp.t("review_pick"),
    choices,
    key="review_pick",
    index=None,
    placeholder=disp.t("review_pick_placeholder"),
    format_func=lambda i: f"{i} · {titles.get(i, '')}",
    disabled=not choices,
)
# the rule about the reviewer's name, before anything is saved: it is the signed-in person
st.caption(disp.t("review_as", who=md_escape(who.display)))
if sid is None:
    ui.flash(place="review")
    st.stop()
st.query_params["session"] = str(sid)
s = ui.session(sid)
if s is None:
    st.warning(disp.t("session_missing", id=sid))
    st.stop()


def _save(values: dict, then_next: bool, where) -> None:
    """Save the form's corrections (and with `then_next` mark the record reviewed and open the
    next queued one) in one transaction; a message under the buttons either way."""
    try:
        values = ui_state.form_dates_typed(values)
    except ValueError as exc:
        where.error(disp.t("invalid_date", value=md_escape(str(exc))))
        return
    changes = frames.corrections_from_form(s, values)
    if not changes and not then_next:
        where.info(disp.t("nothing_to_save"))
        return
    queue_ids = ui.review_queue_ids()
    try:  # all fields (and the review) or none: one transaction
        with store.write_transaction(ui.engine()) as conn:
            for field, value in changes.items():
                store.correct(conn, sid, field, value, actor=who)
            if then_next:
                store.mark_reviewed(conn, sid, actor=who)
    except store.StoreError as exc:
        where.error(md_escape(str(exc)))
        return
    ui.bump_version()
    for name in ("kind", *frames.FORM_TEXT_FIELDS, *frames.FORM_LIST_FIELDS, "turns"):
        st.session_state.pop(f"{name}_{sid}", None)  # the form starts again from what is stored
    fields = ", ".join(disp.t(f"field_{f}") for f in changes)
    if not then_next:
        ui.flash(disp.t("corrections_saved", fields=fields), place="review")
        st.rerun()
    following = ui_state.next_in_queue(queue_ids, sid)
    st.session_state[NEXT] = following
    done = disp.t("reviewed_fields", fields=fields) if changes else ""
    if following is None:
        ui.flash(disp.t("review_queue_done", id=sid), place="review")
    else:
        ui.flash(disp.t("reviewed_next", id=sid, fields=done), place="review")
    st.rerun()


# ----------------------------------------------------------------------------- review one record
st.subheader(
    f"{md_escape(s['source_name'])} · {disp.review_state(s['review_state'])}", anchor=False
)
text_col, form_col = st.columns([1, 1])
with text_col:
    st.markdown(f"**{disp.t('text_with_spans')}**")
    with st.container(height=PANE_HEIGHT):
        ui.highlighted(s["raw_text"], frames.highlight_marks(s), disp)
with form_col:
    st.markdown(f"**{disp.t('extraction')}**")
    start = ui_state.form_dates_shown(frames.review_form_values(s), disp.lang, disp.era)
    shown_as = (disp.lang, disp.era)
    if st.session_state.get("_review_dates_as", shown_as) != shown_as:
        for key in (f"{name}_{sid}" for name in ui_state.FORM_DATE_FIELDS):
            shown = ui_state.date_reworded(st.session_state.get(key) or "", *shown_as)
            if shown != (st.session_state.get(key) or ""):  # the saved dates reworded too
                st.session_state[key] = shown
    st.session_state["_review_dates_as"] = shown_as
    with st.form(f"review_{sid}", border=False):
        with st.container(height=PANE_HEIGHT - 60):
            values = {
                "kind": st.selectbox(
                    disp.t("field_kind"),
                    KINDS,
                    index=KINDS.index(start["kind"]),
                    format_func=disp.kind,
                    key=f"kind_{sid}",
                ),
            }
            for name in frames.FORM_TEXT_FIELDS:
                values[name] = st.text_input(
                    disp.t(f"field_{name}"),
                    value=start[name],
                    key=f"{name}_{sid}",
                    help=disp.t("field_date_help") if name in ui_state.FORM_DATE_FIELDS else None,
                )
            for name in frames.FORM_LIST_FIELDS:
                values[name] = st.text_area(
                    f"{disp.t(f'field_{name}')} ({disp.t('one_per_line')})",
                    value=start[name],
                    key=f"{name}_{sid}",
                    height=120,
                )
            st.markdown(disp.t("turns_editor"))
            values["turns"] = st.data_editor(
                start["turns"],
                num_rows="dynamic",
                key=f"turns_{sid}",
                hide_index=True,
                column_config={
                    "speaker": st.column_config.TextColumn(disp.column("speaker")),
                    "agency": st.column_config.TextColumn(disp.column("agency")),
                    "speaker_role": st.column_config.SelectboxColumn(
                        disp.column("speaker_role"),
                        options=list(frames.ROLE_ORDER),
                        format_func=disp.role,
                    ),
                    "text": st.column_config.TextColumn(disp.column("text"), width="large"),
                },
            )
        b1, b2 = st.columns(2)
        save_next = b1.form_submit_button(
            disp.t("save_next"),
            type="primary",
            key="review_save_next",
            help=disp.t("save_next_help"),
            icon=":material/skip_next:",
            width="stretch",
        )
        saved = b2.form_submit_button(
            disp.t("save_corrections"),
            key="review_save",
            help=disp.t("save_only_help"),
            width="stretch",
        )
    here = st.container()  # messages show here, under the buttons the reviewer just pressed
    with here:
        ui.flash(place="review")
    if save_next or saved:
        _save(values, then_next=bool(save_next), where=here)
    c1, c2 = st.columns(2)
    if c1.button(
        disp.t("mark_reviewed"),
        key="mark_reviewed",
        icon=":material/task_alt:",
        disabled=s["review_state"] == "reviewed",
    ):
        try:
            store.mark_reviewed(ui.engine(), sid, actor=who)
        except store.StoreError as exc:
            here.error(md_escape(str(exc)))
        else:
            ui.bump_version()
            ui.flash(disp.t("marked_reviewed"), place="review")
            st.rerun()
    if ui.may(Role.ADMIN):
        with c2.popover(disp.t("delete"), icon=":material/delete:"):
            sure = st.checkbox(disp.t("delete_confirm"), key=f"delete_sure_{sid}")
            if st.button(disp.t("delete"), key="delete", type="primary", disabled=not sure):
                store.delete_session(ui.engine(), sid, actor=who)
                ui.bump_version()
                st.session_state.pop("review_pick", None)
                del st.query_params["session"]
                ui.flash(disp.t("deleted", id=sid))
                st.rerun()
    if s.get("corrections"):
        with st.expander(disp.t("corrections_kept")):
            ui.table(ui_state.corrections_shown(frames.corrections_table(s), disp), disp)
