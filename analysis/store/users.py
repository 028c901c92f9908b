"""Users and their roles, matched by e-mail (the e-mail an OpenID Connect provider gives, or a
local account's). Admins only, every change audited in the same transaction.

The store never holds a plain password; see `analysis.auth` for passwords and sign-in sessions.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analysis import auth
from analysis import models as m
from analysis.store import audit
from analysis.store.engine import MAX_NAME_CHARS, StoreError, _now, _tx

_MANAGE = "จัดการผู้ใช้ (manage users)"


def _name(name: str | None) -> str | None:
    name = (name or "").strip() or None
    if name and len(name) > MAX_NAME_CHARS:
        raise StoreError(
            f"ชื่อยาวเกิน {MAX_NAME_CHARS} ตัวอักษร (name longer than {MAX_NAME_CHARS} characters)"
        )
    return name


def _user(conn: Connection, email: str):
    row = conn.execute(sa.select(m.users).where(m.users.c.email == email)).first()
    if row is None:
        raise StoreError(f"ไม่มีผู้ใช้ {email} ในระบบ (no user {email}: see `users list`)")
    return row


def _admins(conn: Connection) -> int:
    u = m.users
    return conn.execute(
        sa.select(sa.func.count()).select_from(u).where(u.c.role == auth.Role.ADMIN.value)
    ).scalar_one()


def _keep_an_admin(conn: Connection, row) -> None:
    if row.role == auth.Role.ADMIN.value and _admins(conn) <= 1:
        raise StoreError(
            f"{row.email} เป็นผู้ดูแลคนสุดท้าย เพิ่มผู้ดูแลอีกคนก่อน "
            f"({row.email} is the last admin: make someone else admin first)"
        )


def add_user(
    bind: Engine | Connection,
    actor: auth.Actor,
    email: str,
    role: auth.Role | str,
    name: str | None = None,
    *,
    password: str | None = None,
) -> dict:
    """Add a user with a role (admin only; the first user of an empty store must be an admin),
    and with `password` a local account (see `auth.verify_password`). Returns the user as
    `list_users` gives it."""
    email = auth.normalise_email(email)
    if email in auth.RESERVED_EMAILS:
        raise StoreError(
            f"“{email}” สงวนไว้สำหรับระบบ ใช้อีเมลจริง (“{email}” is reserved: use a real e-mail)"
        )
    role = auth.Role.parse(role)
    name = _name(name)
    digest = auth.hash_password(password) if password is not None else None  # slow: before
    with _tx(bind) as conn:
        actor = auth.check(conn, actor, auth.Role.ADMIN, _MANAGE)
        u = m.users
        if conn.execute(sa.select(u.c.id).where(u.c.email == email)).first() is not None:
            raise StoreError(
                f"มีผู้ใช้ {email} อยู่แล้ว ใช้ users role เพื่อเปลี่ยนบทบาท "
                f"(user {email} exists already: change the role with `users role`)"
            )
        if role != auth.Role.ADMIN and _admins(conn) == 0:
            raise StoreError(
                "ผู้ใช้คนแรกต้องเป็นผู้ดูแล ใช้ --role admin "
                "(the first user must be an admin, or nobody could manage users: use --role admin)"
            )
        conn.execute(
            sa.insert(u).values(
                email=email, name=name, role=role.value, password_hash=digest, created_at=_now()
            )
        )
        details = {"email": email, "role": role.value, "password": digest is not None}
        audit.record(conn, actor, "user_add", details=details)
    return {
        "email": email,
        "name": name,
        "role": role,
        "has_password": digest is not None,
        "locked": False,
    }


def list_users(bind: Engine | Connection, actor: auth.Actor) -> list[dict]:
    """Every user: email, name, role, has_password, locked, created_at (admin only)."""
    u = m.users
    with _tx(bind) as conn:
        auth.check(conn, actor, auth.Role.ADMIN, _MANAGE)
        rows = conn.execute(sa.select(u).order_by(u.c.email)).all()
    now = _now()
    return [
        {
            "email": r.email,
            "name": r.name,
            "role": auth.Role.parse(r.role),
            "has_password": bool(r.password_hash),
            "locked": r.locked_until is not None and r.locked_until > now,
            "created_at": r.created_at,
        }
        for r in rows
    ]


def user_names(bind: Engine | Connection) -> list[str]:
    """The names users gave (no e-mails, no roles): what viewer masking must hide too."""
    with _tx(bind) as conn:
        return (
            conn.execute(sa.select(m.users.c.name).where(m.users.c.name.is_not(None)))
            .scalars()
            .all()
        )


def set_role(
    bind: Engine | Connection, actor: auth.Actor, email: str, role: auth.Role | str
) -> None:
    """Change a user's role (admin only; effective on their next action); audited with the old
    and new role. The last admin cannot be demoted."""
    email = auth.normalise_email(email)
    role = auth.Role.parse(role)
    with _tx(bind) as conn:
        actor = auth.check(conn, actor, auth.Role.ADMIN, _MANAGE)
        row = _user(conn, email)
        if row.role == role.value:
            return
        if role != auth.Role.ADMIN:
            _keep_an_admin(conn, row)
        conn.execute(sa.update(m.users).where(m.users.c.email == email).values(role=role.value))
        audit.record(
            conn, actor, "user_role", details={"email": email, "old": row.role, "new": role.value}
        )


def remove_user(bind: Engine | Connection, actor: auth.Actor, email: str) -> None:
    """Remove a user and their sign-in sessions (admin only); their audit entries stay. The last
    admin cannot be removed."""
    email = auth.normalise_email(email)
    with _tx(bind) as conn:
        actor = auth.check(conn, actor, auth.Role.ADMIN, _MANAGE)
        row = _user(conn, email)
        _keep_an_admin(conn, row)
        conn.execute(sa.delete(m.login_sessions).where(m.login_sessions.c.email == email))
        conn.execute(sa.delete(m.users).where(m.users.c.email == email))
        audit.record(conn, actor, "user_remove", details={"email": email, "role": row.role})
