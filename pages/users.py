"""ผู้ใช้ Users (admins only): who may sign in and with which role; add a user, change a role,
set a local password, remove a user. Each change is made by `analysis.store` as the signed-in
admin (which checks the role again and writes the audit entry) and counts on the user's next
click. The same as `python -m analysis users …`."""

import streamlit as st

from analysis import auth, frames, store, ui_state
from analysis.auth import Role
from pages import _common as ui

disp, _ = ui.page("page_users", "users_intro")
ui.flash()
who = ui.actor()  # only admins have this page in their navigation; the store checks again
ROLES = list(Role)

try:
    users = store.list_users(ui.engine(), who)
except store.StoreError as exc:  # not an admin
    st.error(str(exc))
    st.stop()
shown = frames.users_table(users)
shown["role"] = [ui_state.label_in(Role(r).label, disp.lang) for r in shown["role"]]
ui.table(shown, disp, key="users_rows")
emails = [u["email"] for u in users]


def _do(change, done_key: str, **fmt) -> None:
    """Run one store change as the signed-in admin; its message (or refusal) after the rerun."""
    try:
        change()
    except store.StoreError as exc:
        ui.flash(str(exc), "error")
    else:
        ui.flash(disp.t(done_key, **fmt))


def _add() -> None:
    s = st.session_state
    email, password = s["user_new_email"], s["user_new_password"]

    def add() -> None:
        store.add_user(ui.engine(), who, email, s["user_new_role"], s["user_new_name"] or None)
        if password:
            auth.set_password(ui.engine(), who, email, password)

    s["user_new_password"] = ""
    _do(add, "user_added", email=email)


def _set_role() -> None:
    email = st.session_state["user_pick"]
    role = st.session_state[f"user_role_{email}"]
    _do(lambda: store.set_role(ui.engine(), who, email, role), "user_changed", email=email)


def _set_password() -> None:
    email, password = st.session_state["user_pick"], st.session_state["user_password"]
    st.session_state["user_password"] = ""
    _do(lambda: auth.set_password(ui.engine(), who, email, password), "user_changed", email=email)


def _remove() -> None:
    email = st.session_state["user_pick"]
    _do(lambda: store.remove_user(ui.engine(), who, email), "user_removed", email=email)


def role_label(role) -> str:
    return ui_state.label_in(Role(role).label, disp.lang)


left, right = st.columns(2)
with left, st.form("user_add", clear_on_submit=True):
    st.subheader(disp.t("user_add"), anchor=False)
    st.text_input(disp.t("sign_in_email"), key="user_new_email")
    st.text_input(disp.t("user_name"), key="user_new_name")
    st.selectbox(disp.t("user_role"), ROLES, key="user_new_role", format_func=role_label)
    st.text_input(disp.t("user_password_optional"), key="user_new_password", type="password")
    st.form_submit_button(disp.t("user_add"), key="user_add_button", on_click=_add)

with right:
    st.subheader(disp.t("user_change"), anchor=False)
    pick = st.selectbox(disp.t("sign_in_email"), emails, key="user_pick", disabled=not emails)
    current = next((u["role"] for u in users if u["email"] == pick), Role.VIEWER)
    st.selectbox(
        disp.t("user_role"),
        ROLES,
        index=ROLES.index(current),
        key=f"user_role_{pick}",
        format_func=role_label,
    )
    st.button(disp.t("user_set_role"), key="user_set_role", on_click=_set_role)
    st.text_input(disp.t("user_new_password"), key="user_password", type="password")
    st.button(disp.t("user_set_password"), key="user_set_password", on_click=_set_password)
    sure = st.checkbox(disp.t("user_remove_confirm"), key=f"user_remove_sure_{pick}")
    st.button(disp.t("user_remove"), key="user_remove", on_click=_remove, disabled=not sure)
