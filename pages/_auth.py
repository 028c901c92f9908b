"""Who is at the dashboard: every run starts here, before any data is read.

- A server that other machines can reach (server.address not loopback) with no sign-in configured
  shows only the refusal `analysis.auth.startup_refusal` words, and reads nothing from the store.
- OpenID Connect: `[auth]` in `.streamlit/secrets.toml` as Streamlit documents it; `st.login()`
  signs in, `st.user.email` is matched to the store's users (`auth.resolve_actor`).
- Local accounts: SANGKHRO_AUTH=local shows a sign-in form (`auth.verify_password`); the token of
  the login session is kept in this browser session's state and checked on every run
  (`auth.actor_for_session`), so an expired session or a changed role counts at once.
- Neither: the person at the keyboard is the local admin (loopback only, see above).

The decisions are `analysis.auth`'s; this module renders them. Each run reads the actor's role
from the store afresh: a role changed by an admin counts on the user's next click.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from analysis import auth, ui_state
from analysis.auth import Actor, Role
from analysis.i18n import md_escape, t
from analysis.store import StoreError

TOKEN = "_login_token"
LOGIN_ERROR = "_login_error"
NOTED = "_sign_in_noted"


def oidc_configured() -> bool:
    """Whether `.streamlit/secrets.toml` (or another secrets file) has an [auth] section."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def oidc_providers() -> list[str | None]:
    """The identity providers [auth] configures: None for the one set in [auth] itself, and the
    name of each [auth.NAME] section (Streamlit's way to offer several), in file order."""
    section = st.secrets["auth"]
    named = [k for k, v in section.items() if hasattr(v, "keys") and "client_id" in v]
    return ([None] if "client_id" in section or not named else []) + named


def sign_in_mode() -> str | None:
    """The sign-in in force ("oidc", "local" or None: the local admin), as `auth.sign_in_mode`
    decides from [auth] and SANGKHRO_AUTH; a wrong setting stops the page with what to set,
    rather than running open."""
    try:
        return auth.sign_in_mode(oidc_configured())
    except StoreError as exc:
        st.error(str(exc), icon=":material/block:")
        st.stop()


def _both(key: str, **fmt) -> str:
    """A message Thai first, then English (before the language switch exists)."""
    return f"{t(key, 'th', **fmt)} ({t(key, 'en', **fmt)})"


def _engine():
    from pages._common import engine  # the cached engine; imported late: _common imports us

    return engine()


def actor(hide_pages: Callable[[], object] | None = None) -> Actor:
    """The actor of this run. When there is none (refused, not signed in, expired), renders the
    refusal or the sign-in and stops the script: nothing after it runs, no data is read.

    `hide_pages` (app.py's) is called first on such a screen: it declares the pages with their
    navigation hidden, so the screen shows no page list and a deep link finds its page."""

    def screen() -> None:
        if hide_pages is not None:
            hide_pages()
        st.title("Sangkhro สังเคราะห์")

    mode = sign_in_mode()
    refusal = auth.startup_refusal(st.get_option("server.address"), mode is not None)
    if refusal:
        screen()
        st.error(refusal, icon=":material/block:")
        st.stop()
    if mode is None:
        return auth.local_admin()
    if mode == "oidc":
        return _oidc_actor(screen)
    return _local_actor(screen)


def _oidc_actor(screen: Callable[[], None]) -> Actor:
    if not st.user.get("is_logged_in"):
        screen()
        st.info(_both("sign_in_needed"), icon=":material/lock:")
        for provider in oidc_providers():
            st.button(
                _both("sign_in") + (f" · {provider}" if provider else ""),
                key=f"sign_in_{provider or 'default'}",
                type="primary",
                on_click=st.login,
                args=(provider,),
            )
        st.stop()
    email = st.user.get("email")
    try:
        if not email:
            raise auth.PermissionDenied(_both("sign_in_no_email"))
        who = auth.resolve_actor(_engine(), str(email))
        if st.session_state.get(NOTED) != who.email:  # the provider checked: audit it once
            auth.note_sign_in(_engine(), who)
            st.session_state[NOTED] = who.email
        return who
    except StoreError as exc:  # unknown to the store (PermissionDenied), or a store error
        screen()
        st.error(md_escape(str(exc)), icon=":material/block:")  # holds the IdP's e-mail
        st.button(_both("sign_out"), key="sign_out", on_click=st.logout)
        st.stop()


def _local_actor(screen: Callable[[], None]) -> Actor:
    token = st.session_state.get(TOKEN)
    if token:
        try:
            return auth.actor_for_session(_engine(), token)
        except StoreError as exc:  # expired, signed out elsewhere, user removed
            st.session_state.pop(TOKEN, None)
            st.session_state[LOGIN_ERROR] = str(exc)
    screen()
    _local_sign_in_form()
    st.stop()


def _sign_in_locally() -> None:
    """Form callback: check the password, start a login session; the password field is emptied
    whatever happens, and a refusal (wrong password, locked out) is kept to show."""
    email = st.session_state.get("login_email", "")
    password = st.session_state.get("login_password", "")
    st.session_state["login_password"] = ""
    try:
        who = auth.verify_password(_engine(), email, password)
        st.session_state[TOKEN] = auth.new_login_session(_engine(), who)
    except StoreError as exc:  # wrong password, locked out (PermissionDenied), or a bad setting
        st.session_state[LOGIN_ERROR] = str(exc)
    else:
        st.session_state.pop(LOGIN_ERROR, None)


def _local_sign_in_form() -> None:
    st.info(_both("sign_in_needed"), icon=":material/lock:")
    error = st.session_state.pop(LOGIN_ERROR, None)
    if error:  # the store's own words: no text from outside
        st.error(error)
    with st.form("local_sign_in", width=420):
        st.text_input(_both("sign_in_email"), key="login_email", autocomplete="username")
        st.text_input(
            _both("sign_in_password"),
            key="login_password",
            type="password",
            autocomplete="current-password",
        )
        st.form_submit_button(
            _both("sign_in"), type="primary", key="local_sign_in_button", on_click=_sign_in_locally
        )


def _sign_out_locally() -> None:
    auth.end_login_session(_engine(), st.session_state.pop(TOKEN, None))


def sign_in_box(who: Actor, lang: str) -> None:
    """The sidebar's last lines: who is signed in, with which role, and the sign-out button."""
    sb = st.sidebar
    sb.divider()
    role = ui_state.label_in(Role(who.role).label, lang)
    sb.caption(t("signed_in_as", lang, who=md_escape(who.email), role=role))
    mode = sign_in_mode()
    if mode == "oidc":
        sb.button(t("sign_out", lang), key="sign_out", on_click=st.logout)
    elif mode == "local":
        sb.button(t("sign_out", lang), key="sign_out", on_click=_sign_out_locally)


def may(who: Actor, role: Role) -> bool:
    """Whether to show a control that needs `role` (the store checks again when it is used)."""
    return Role(who.role) >= role
