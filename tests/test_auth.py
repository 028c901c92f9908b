"""Roles, users, local accounts and sign-in sessions (issue 10), on SQLite and PostgreSQL.

Every role check is called as the wrong role here or in test_audit.py.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
import sqlalchemy as sa

from analysis import auth, store
from analysis import models as m
from analysis.auth import Actor, PermissionDenied, Role

ADMIN = Actor("somsri@example.org", Role.ADMIN, "สมศรี ใจดี")
EDITOR = Actor("wichai@example.org", Role.EDITOR)
VIEWER = Actor("nok@example.org", Role.VIEWER)
PASSWORD = "ข้าวเหนียวมะม่วง-2569"


@pytest.fixture
def engine(store_engine):
    return store_engine


@pytest.fixture
def team(engine):
    """A store with an admin, an editor and a viewer (the admin created by the bootstrap)."""
    first = auth.resolve_actor(engine, ADMIN.email, bootstrap=True)
    store.add_user(engine, first, ADMIN.email, "admin", name=ADMIN.name)
    store.add_user(engine, ADMIN, EDITOR.email, "editor")
    store.add_user(engine, ADMIN, VIEWER.email, "viewer")
    return engine


def _audit(engine, action):
    with engine.connect() as conn:
        return conn.execute(sa.select(m.audit).where(m.audit.c.action == action)).all()


# ----------------------------------------------------------------------------- roles


def test_roles_are_ordered_viewer_editor_admin():
    assert Role.VIEWER < Role.EDITOR < Role.ADMIN
    assert Role.ADMIN >= Role.EDITOR and not Role.VIEWER >= Role.EDITOR
    assert sorted([Role.ADMIN, Role.VIEWER, Role.EDITOR]) == [Role.VIEWER, Role.EDITOR, Role.ADMIN]
    assert Role.parse(" Editor ") is Role.EDITOR and Role.EDITOR == "editor"
    with pytest.raises(store.StoreError, match="viewer, editor or admin"):
        Role.parse("owner")


def test_require_refuses_a_lower_role_in_thai_then_english():
    assert auth.require(EDITOR, Role.EDITOR, "แก้ไข (correct)") is EDITOR
    assert auth.require(ADMIN, Role.VIEWER, "ดู (view)") is ADMIN
    with pytest.raises(PermissionDenied) as caught:
        auth.require(VIEWER, Role.EDITOR, "แก้ไขบันทึก (correct a session)")
    message = str(caught.value)
    assert message.startswith("ไม่มีสิทธิ์") and "needs the editor role" in message
    assert isinstance(caught.value, store.StoreError)
    with pytest.raises(PermissionDenied, match="sign in first"):
        auth.require(None, Role.VIEWER, "ดู (view)")


def test_local_admin_is_an_admin():
    local = auth.local_admin()
    assert local.email == auth.LOCAL_ADMIN_EMAIL and local.role is Role.ADMIN


def test_auth_imports_first_without_a_cycle():
    code = "import analysis.auth as a; from analysis import store; print(a.Role.ADMIN, store.users)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("admin")


# ----------------------------------------------------------------------------- users


def test_bootstrap_only_while_the_store_has_no_user(engine):
    assert not auth.has_users(engine)
    first = auth.resolve_actor(engine, "Somsri@Example.org", bootstrap=True)
    assert first == Actor("somsri@example.org", Role.ADMIN)
    with pytest.raises(PermissionDenied, match="no user"):
        auth.resolve_actor(engine, "somsri@example.org")  # the app never bootstraps
    with pytest.raises(store.StoreError, match="first user must be an admin"):
        store.add_user(engine, first, "wichai@example.org", "editor")
    store.add_user(engine, first, first.email, "admin")
    assert auth.has_users(engine)
    with pytest.raises(PermissionDenied, match="no user"):
        auth.resolve_actor(engine, "stranger@example.org", bootstrap=True)


def test_users_are_managed_by_admins_and_audited(team):
    users = {u["email"]: u for u in store.list_users(team, ADMIN)}
    assert users[ADMIN.email]["role"] is Role.ADMIN and users[ADMIN.email]["name"] == ADMIN.name
    assert users[EDITOR.email]["role"] is Role.EDITOR and not users[EDITOR.email]["has_password"]
    store.set_role(team, ADMIN, EDITOR.email, "viewer")
    assert auth.resolve_actor(team, EDITOR.email).role is Role.VIEWER
    (change,) = _audit(team, "user_role")
    assert change.actor_email == ADMIN.email
    assert change.details == {"email": EDITOR.email, "old": "editor", "new": "viewer"}
    store.remove_user(team, ADMIN, VIEWER.email)
    with pytest.raises(PermissionDenied):
        auth.resolve_actor(team, VIEWER.email)
    assert [r.details["email"] for r in _audit(team, "user_add")] == [
        ADMIN.email,
        EDITOR.email,
        VIEWER.email,
    ]
    assert len(_audit(team, "user_remove")) == 1
    with pytest.raises(store.StoreError, match="exists already"):
        store.add_user(team, ADMIN, EDITOR.email.upper(), "editor")


@pytest.mark.parametrize("who", [EDITOR, VIEWER])
def test_user_management_refuses_non_admins(team, who):
    with pytest.raises(PermissionDenied, match="needs the admin role"):
        store.add_user(team, who, "new@example.org", "viewer")
    with pytest.raises(PermissionDenied, match="needs the admin role"):
        store.list_users(team, who)
    with pytest.raises(PermissionDenied, match="needs the admin role"):
        store.set_role(team, who, who.email, "admin")
    with pytest.raises(PermissionDenied, match="needs the admin role"):
        store.remove_user(team, who, ADMIN.email)
    assert auth.resolve_actor(team, who.email).role is who.role


def test_a_stale_actor_gets_its_current_role(team):
    """An Actor object made before a role change is checked against the store's role now."""
    stale_editor = EDITOR
    store.set_role(team, ADMIN, EDITOR.email, "viewer")
    with pytest.raises(PermissionDenied, match="viewer"):
        store.set_role(team, Actor(EDITOR.email, Role.ADMIN), VIEWER.email, "editor")
    with pytest.raises(PermissionDenied):
        auth.require(auth.resolve_actor(team, stale_editor.email), Role.EDITOR, "แก้ไข (correct)")
    with pytest.raises(PermissionDenied, match="no user"):  # forged e-mail, once users exist
        store.list_users(team, Actor("forged@example.org", Role.ADMIN))


def test_the_last_admin_stays(team):
    with pytest.raises(store.StoreError, match="last admin"):
        store.set_role(team, ADMIN, ADMIN.email, "editor")
    with pytest.raises(store.StoreError, match="last admin"):
        store.remove_user(team, ADMIN, ADMIN.email)
    store.set_role(team, ADMIN, EDITOR.email, "admin")
    store.set_role(team, ADMIN, ADMIN.email, "editor")
    assert auth.resolve_actor(team, ADMIN.email).role is Role.EDITOR


# ----------------------------------------------------------------------------- local accounts


def test_password_sign_in_and_wrong_password(team):
    store_hash_before = _hash(team, EDITOR.email)
    assert store_hash_before is None
    auth.set_password(team, ADMIN, EDITOR.email, PASSWORD)
    stored = _hash(team, EDITOR.email)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert auth.verify_password(team, " Wichai@example.org", PASSWORD) == EDITOR
    with pytest.raises(PermissionDenied) as wrong:
        auth.verify_password(team, EDITOR.email, PASSWORD + "x")
    with pytest.raises(PermissionDenied) as unknown:
        auth.verify_password(team, "nobody@example.org", PASSWORD)
    assert str(wrong.value) == str(unknown.value)  # no hint which e-mails exist
    assert "wrong e-mail or password" in str(wrong.value)
    assert [r.actor_email for r in _audit(team, "sign_in")] == [EDITOR.email]
    assert [r.actor_email for r in _audit(team, "sign_in_failed")] == [EDITOR.email]


def _hash(engine, email):
    with engine.connect() as conn:
        return conn.execute(
            sa.select(m.users.c.password_hash).where(m.users.c.email == email)
        ).scalar_one()


def test_passwords_are_set_by_admins_or_oneself(team):
    with pytest.raises(PermissionDenied, match="needs the admin role"):
        auth.set_password(team, EDITOR, VIEWER.email, PASSWORD)
    auth.set_password(team, VIEWER, VIEWER.email, PASSWORD)  # one's own
    assert auth.verify_password(team, VIEWER.email, PASSWORD).role is Role.VIEWER
    with pytest.raises(store.StoreError, match="at least 10"):
        auth.set_password(team, ADMIN, VIEWER.email, "สั้นไป")


def test_lock_out_after_five_failures_then_retry_later(team, monkeypatch):
    auth.set_password(team, ADMIN, EDITOR.email, PASSWORD)
    for _ in range(auth.MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(PermissionDenied, match="wrong e-mail or password"):
            auth.verify_password(team, EDITOR.email, "ผิดรหัสผ่านแน่นอน")
    with pytest.raises(PermissionDenied, match="locked"):
        auth.verify_password(team, EDITOR.email, "ผิดรหัสผ่านแน่นอน")
    with pytest.raises(PermissionDenied, match="try again after") as caught:
        auth.verify_password(team, EDITOR.email, PASSWORD)  # even the right one, while locked
    assert "UTC" in str(caught.value)
    assert [u["locked"] for u in store.list_users(team, ADMIN) if u["email"] == EDITOR.email] == [
        True
    ]
    later = auth._now() + auth.LOCKOUT + timedelta(seconds=1)
    monkeypatch.setattr(auth, "_now", lambda: later)
    assert auth.verify_password(team, EDITOR.email, PASSWORD) == EDITOR


def test_login_sessions_expire_and_sign_out(team, monkeypatch):
    monkeypatch.setenv(auth.ENV_SESSION_HOURS, "2")
    token = auth.new_login_session(team, EDITOR)
    assert len(token) >= 40
    with team.connect() as conn:
        stored = conn.execute(sa.select(m.login_sessions.c.token_hash)).scalars().all()
    assert token not in stored and len(stored) == 1
    assert auth.actor_for_session(team, token) == EDITOR
    store.set_role(team, ADMIN, EDITOR.email, "viewer")  # the next action sees the new role
    assert auth.actor_for_session(team, token).role is Role.VIEWER
    later = auth._now() + timedelta(hours=2, seconds=1)
    monkeypatch.setattr(auth, "_now", lambda: later)
    with pytest.raises(PermissionDenied, match="sign in again"):
        auth.actor_for_session(team, token)
    monkeypatch.undo()
    other = auth.new_login_session(team, VIEWER)
    auth.end_login_session(team, other)
    with pytest.raises(PermissionDenied, match="sign in again"):
        auth.actor_for_session(team, other)
    with pytest.raises(PermissionDenied, match="sign in again"):
        auth.actor_for_session(team, "made-up-token")


def test_session_hours_setting(monkeypatch):
    monkeypatch.delenv(auth.ENV_SESSION_HOURS, raising=False)
    assert auth.session_hours() == 8
    monkeypatch.setenv(auth.ENV_SESSION_HOURS, "ครึ่งวัน")
    with pytest.raises(store.StoreError, match="must be a number"):
        auth.session_hours()


# ----------------------------------------------------------------------------- server exposure


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.4.5.6", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("", False),
        (None, False),
        ("192.168.1.20", False),
        ("::", False),
        ("example.org", False),
    ],
)
def test_is_loopback(address, loopback):
    assert auth.is_loopback(address) is loopback


def test_public_address_without_sign_in_is_refused():
    message = auth.startup_refusal("0.0.0.0", sign_in_configured=False)
    assert message.startswith("ไม่เปิดข้อมูล") and "no sign-in is configured" in message
    assert "secrets.toml" in message and "127.0.0.1" in message
    assert auth.startup_refusal("0.0.0.0", sign_in_configured=True) is None
    assert auth.startup_refusal("127.0.0.1", sign_in_configured=False) is None


def test_sign_in_mode(monkeypatch):
    monkeypatch.delenv(auth.ENV_AUTH, raising=False)
    assert auth.sign_in_mode(oidc_configured=False) is None
    assert auth.sign_in_mode(oidc_configured=True) == "oidc"
    monkeypatch.setenv(auth.ENV_AUTH, "Local")
    assert auth.sign_in_mode(oidc_configured=False) == "local"
    monkeypatch.setenv(auth.ENV_AUTH, "ldap")
    with pytest.raises(store.StoreError, match="set it to local"):
        auth.sign_in_mode(oidc_configured=False)


def test_an_oidc_sign_in_is_audited_under_the_current_role(team):
    store.set_role(team, ADMIN, EDITOR.email, "viewer")
    auth.note_sign_in(team, EDITOR)
    (entry,) = [e for e in store.audit_trail(team, ADMIN, action="sign_in")]
    assert entry["actor_email"] == EDITOR.email and entry["details"] == {"method": "oidc"}
    with pytest.raises(PermissionDenied, match="no user"):
        auth.note_sign_in(team, Actor("stranger@example.org", Role.VIEWER))
