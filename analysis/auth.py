"""Who is acting, and may they: roles, the actor, local accounts and sign-in sessions (issue 10).

Three roles, ordered: a viewer reads dashboards, the presentation and exports, masked (see
`analysis.privacy`); an editor also imports, reviews, corrects and sets follow-ups, and sees
names and raw text; an admin also deletes, re-extracts, manages users and reads the audit trail.

Every store write function takes an `Actor` and checks its role itself (`require`), so a page
that forgets to hide a button still gets a refusal. The role comes from the store's ``users``
table, matched by e-mail, on every call of `resolve_actor` / `actor_for_session`, so a role change
takes effect on the next action. With no sign-in configured the app runs as `local_admin()` on a
loopback address only (`startup_refusal`).

No Streamlit here: the pages render what these functions decide.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analysis import models as m
from analysis.store.engine import MAX_NAME_CHARS, StoreError, _now, _tx

LOCAL_ADMIN_EMAIL = "local"
"""E-mail of the local user: the one person at the keyboard when no sign-in is configured."""

SYSTEM_EMAIL = "system"
"""E-mail the app itself acts under: the sample import on first run, synthetic test data."""
RESERVED_EMAILS = (LOCAL_ADMIN_EMAIL, SYSTEM_EMAIL)

ENV_AUTH = "SANGKHRO_AUTH"
"""``local``: sign in with the store's local accounts (for a team without an identity provider)."""
ENV_SESSION_HOURS = "SANGKHRO_SESSION_HOURS"
DEFAULT_SESSION_HOURS = 8.0
MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024


class Role(StrEnum):
    """viewer < editor < admin (each can do everything the one before can)."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANKS[self.value]

    @property
    def label(self) -> str:
        """Thai first, English second."""
        return _LABELS[self.value]

    # Ordered by rank, not alphabetically as str would; equality and hashing stay str's.
    def __lt__(self, other) -> bool:
        return self.rank < Role(other).rank

    def __le__(self, other) -> bool:
        return self.rank <= Role(other).rank

    def __gt__(self, other) -> bool:
        return self.rank > Role(other).rank

    def __ge__(self, other) -> bool:
        return self.rank >= Role(other).rank

    @classmethod
    def parse(cls, value: str | Role) -> Role:
        """The role named `value` (viewer, editor, admin); StoreError saying the choices."""
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise StoreError(
                f"ไม่รู้จักบทบาท “{value}” ใช้ viewer, editor หรือ admin "
                f"(unknown role “{value}”: use viewer, editor or admin)"
            ) from None


_RANKS = {"viewer": 0, "editor": 1, "admin": 2}
_LABELS = {
    "viewer": "ผู้ชม (viewer)",
    "editor": "ผู้แก้ไข (editor)",
    "admin": "ผู้ดูแล (admin)",
}


@dataclass(frozen=True)
class Actor:
    """The person an action is done by: their e-mail (the key of ``users``) and role."""

    email: str
    role: Role
    name: str | None = None

    @property
    def display(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


class PermissionDenied(StoreError):
    """The actor may not do this; the message says which role is needed (Thai, English)."""


def _split_action(action: str) -> tuple[str, str]:
    """The Thai and the English of an action written "ลบบันทึก (delete a session)"."""
    parts = re.fullmatch(r"\s*(.*?)\s*\((.*)\)\s*", action)
    return (parts.group(1), parts.group(2)) if parts else (action, action)


def require(actor: Actor | None, role: Role, action: str) -> Actor:
    """`actor`, when its role is at least `role`; else PermissionDenied naming both roles.

    `action` is a short Thai phrase with its English in brackets, "ลบบันทึก (delete a session)".
    """
    th, en = _split_action(action)
    if not isinstance(actor, Actor):
        raise PermissionDenied(f"ต้องลงชื่อเข้าใช้ก่อนจึงจะ{th}ได้ (sign in first to {en})")
    if Role.parse(actor.role) < role:
        raise PermissionDenied(
            f"ไม่มีสิทธิ์{th}: ต้องมีบทบาท{role.label.split(' (')[0]}ขึ้นไป แต่ {actor.email} เป็น"
            f"{Role.parse(actor.role).label.split(' (')[0]} โปรดติดต่อผู้ดูแลระบบ (not allowed to "
            f"{en}: needs the {role.value} role or higher, {actor.email} is {actor.role}; ask an "
            "admin)"
        )
    return actor


def local_admin() -> Actor:
    """The local user when no sign-in is configured (the app then listens on localhost only)."""
    return Actor(LOCAL_ADMIN_EMAIL, Role.ADMIN, "ผู้ใช้ในเครื่อง (local user)")


def system_actor() -> Actor:
    """The app itself, as an editor: imports the sample programme into an empty store."""
    return Actor(SYSTEM_EMAIL, Role.EDITOR, "Sangkhro")


def normalise_email(email: str | None) -> str:
    """`email` stripped and lower-cased; StoreError when empty or too long."""
    email = (email or "").strip().lower()
    if not email:
        raise StoreError("ต้องระบุอีเมล (give the e-mail address)")
    if len(email) > MAX_NAME_CHARS or any(c.isspace() for c in email):
        raise StoreError(f"อีเมล “{email[:80]}” ไม่ถูกต้อง (not a valid e-mail address)")
    return email


# ----------------------------------------------------------------------------- from the store


def _user_row(conn: Connection, email: str):
    return conn.execute(sa.select(m.users).where(m.users.c.email == email)).first()


def has_users(bind: Engine | Connection) -> bool:
    """Whether the store holds any user (before the first, the CLI acts as admin)."""
    with _tx(bind) as conn:
        return conn.execute(sa.select(m.users.c.id).limit(1)).first() is not None


def _unknown(email: str) -> PermissionDenied:
    return PermissionDenied(
        f"ไม่มีผู้ใช้ {email} ในระบบ โปรดให้ผู้ดูแลเพิ่มด้วย python -m analysis users add "
        f"(no user {email} in this store: ask an admin to add you with `python -m analysis users "
        f"add {email} --role viewer`)"
    )


def _actor_from_row(row) -> Actor:
    return Actor(row.email, Role.parse(row.role), row.name)


def resolve_actor(bind: Engine | Connection, email: str, *, bootstrap: bool = False) -> Actor:
    """The user `email` with the role the store gives them NOW; PermissionDenied if unknown.

    With `bootstrap` (the command line) and no user in the store at all, the caller acts as
    admin: that is how the first admin is created (``python -m analysis users add``).
    """
    email = normalise_email(email)
    with _tx(bind) as conn:
        row = _user_row(conn, email)
        if row is not None:
            return _actor_from_row(row)
        if bootstrap and conn.execute(sa.select(m.users.c.id).limit(1)).first() is None:
            return Actor(email, Role.ADMIN)
    raise _unknown(email)


def current(conn: Connection, actor: Actor) -> Actor:
    """`actor` with the role the store gives them now (used inside every store write).

    The local user, the app itself (`system_actor`), and any actor while the store has no user
    yet, are taken as given (only code makes an Actor: pages, the CLI, the sample); once
    users exist, anyone else must be one of them.
    """
    if not isinstance(actor, Actor) or actor.email in RESERVED_EMAILS:
        return actor
    row = _user_row(conn, actor.email.strip().lower())
    if row is not None:
        return _actor_from_row(row)
    if conn.execute(sa.select(m.users.c.id).limit(1)).first() is None:
        return actor
    raise _unknown(actor.email)


def check(bind: Engine | Connection, actor: Actor, role: Role, action: str) -> Actor:
    """`require` on the actor's current role (see `current`), inside the caller's transaction
    when given a Connection; returns the actor as the store knows them now."""
    require(actor, role, action)  # refuse early, even before reading the store
    with _tx(bind) as conn:
        return require(current(conn, actor), role, action)


# ----------------------------------------------------------------------------- local accounts


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id with the library's current parameters


_DUMMY_HASH: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(_hasher().hash(secrets.token_hex(16)))
    return _DUMMY_HASH[0]


def hash_password(password: str) -> str:
    """An argon2id hash of `password`; StoreError when it is too short or too long."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_CHARS:
        raise StoreError(
            f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD_CHARS} ตัวอักษร "
            f"(the password must be at least {MIN_PASSWORD_CHARS} characters long)"
        )
    if len(password) > MAX_PASSWORD_CHARS:
        raise StoreError(
            f"รหัสผ่านยาวเกิน {MAX_PASSWORD_CHARS} ตัวอักษร "
            f"(the password is longer than {MAX_PASSWORD_CHARS} characters)"
        )
    return _hasher().hash(password)


def set_password(bind: Engine | Connection, actor: Actor, email: str, password: str) -> None:
    """Give `email` a local password (an admin for anyone, or a user for themself); audited."""
    from analysis.store import audit

    email = normalise_email(email)
    digest = hash_password(password)  # slow on purpose: outside the transaction
    with _tx(bind) as conn:
        me = current(conn, actor) if isinstance(actor, Actor) else None
        if me is None or me.email != email:
            actor = check(conn, actor, Role.ADMIN, "ตั้งรหัสผ่านของผู้อื่น (set another user's password)")
        if _user_row(conn, email) is None:
            raise _unknown(email)
        conn.execute(
            sa.update(m.users)
            .where(m.users.c.email == email)
            .values(password_hash=digest, failed_attempts=0, locked_until=None)
        )
        conn.execute(sa.delete(m.login_sessions).where(m.login_sessions.c.email == email))
        audit.record(conn, actor, "set_password", details={"email": email})


def _wrong_password() -> PermissionDenied:
    return PermissionDenied("อีเมลหรือรหัสผ่านไม่ถูกต้อง (wrong e-mail or password)")


def _locked(until: datetime) -> PermissionDenied:
    at = until.strftime("%H:%M")
    return PermissionDenied(
        f"บัญชีนี้ถูกล็อกชั่วคราวเพราะใส่รหัสผ่านผิดหลายครั้ง ลองใหม่ได้หลังเวลา {at} UTC "
        f"(this account is locked after {MAX_FAILED_ATTEMPTS} wrong passwords: try again after "
        f"{at} UTC, or ask an admin to set a new password)"
    )


def verify_password(bind: Engine | Connection, email: str, password: str) -> Actor:
    """The user, when `password` is theirs; PermissionDenied otherwise.

    The same generic message for an unknown e-mail and a wrong password. After
    MAX_FAILED_ATTEMPTS wrong passwords in a row the account is locked for LOCKOUT, and the
    message says when to try again. Successes and failures are audited.
    """
    from argon2.exceptions import InvalidHashError, VerificationError

    from analysis.store import audit

    try:
        email = normalise_email(email)
    except StoreError:
        raise _wrong_password() from None
    hasher = _hasher()
    with _tx(bind) as conn:
        row = _user_row(conn, email)
        now = _now()
        if row is None or not row.password_hash:
            try:  # the same work as for a real account: no timing hint that the e-mail exists
                hasher.verify(_dummy_hash(), str(password))
            except VerificationError:
                pass
            raise _wrong_password()
        if row.locked_until is not None and row.locked_until > now:
            raise _locked(row.locked_until)
        try:
            hasher.verify(row.password_hash, str(password))
        except (VerificationError, InvalidHashError):
            failures = (row.failed_attempts or 0) + 1
            until = now + LOCKOUT if failures >= MAX_FAILED_ATTEMPTS else None
            conn.execute(
                sa.update(m.users)
                .where(m.users.c.email == email)
                .values(failed_attempts=0 if until else failures, locked_until=until)
            )
            who = Actor(email, Role.parse(row.role), row.name)
            audit.record(conn, who, "sign_in_failed", details={"locked": until is not None})
            failure = _locked(until) if until else _wrong_password()
        else:
            values = {"failed_attempts": 0, "locked_until": None}
            if hasher.check_needs_rehash(row.password_hash):
                values["password_hash"] = hasher.hash(str(password))
            conn.execute(sa.update(m.users).where(m.users.c.email == email).values(**values))
            actor = _actor_from_row(row)
            audit.record(conn, actor, "sign_in", details={"method": "password"})
            return actor
    raise failure  # after the transaction: the failed attempt is counted


def note_sign_in(bind: Engine | Connection, actor: Actor, method: str = "oidc") -> None:
    """Audit a sign-in the app did not check itself (OpenID Connect: the provider did); once
    per browser session, not per page run."""
    from analysis.store import audit

    with _tx(bind) as conn:
        audit.record(conn, current(conn, actor), "sign_in", details={"method": method})


def session_hours() -> float:
    """How long a local sign-in lasts: $SANGKHRO_SESSION_HOURS, default 8."""
    raw = os.environ.get(ENV_SESSION_HOURS, "").strip()
    try:
        hours = float(raw) if raw else DEFAULT_SESSION_HOURS
    except ValueError:
        raise StoreError(
            f"{ENV_SESSION_HOURS}=“{raw}” ไม่ใช่ตัวเลข ({ENV_SESSION_HOURS} must be a number of hours)"
        ) from None
    if hours <= 0:
        raise StoreError(f"{ENV_SESSION_HOURS} ต้องมากกว่า 0 ({ENV_SESSION_HOURS} must be above 0)")
    return hours


def _token_hash(token: str) -> str:
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


def new_login_session(bind: Engine | Connection, actor: Actor) -> str:
    """A new sign-in token for `actor` (keep it in the browser session; only its hash is
    stored), valid for `session_hours()`. Expired sessions are purged on the way."""
    hours = session_hours()
    token = secrets.token_urlsafe(32)
    with _tx(bind) as conn:
        if _user_row(conn, actor.email) is None:
            raise _unknown(actor.email)
        now = _now()
        conn.execute(sa.delete(m.login_sessions).where(m.login_sessions.c.expires_at <= now))
        conn.execute(
            sa.insert(m.login_sessions).values(
                token_hash=_token_hash(token),
                email=actor.email,
                expires_at=now + timedelta(hours=hours),
            )
        )
    return token


def _sign_in_again() -> PermissionDenied:
    return PermissionDenied(
        "หมดเวลาการเข้าใช้งาน โปรดลงชื่อเข้าใช้อีกครั้ง (your session has expired: sign in again)"
    )


def actor_for_session(bind: Engine | Connection, token: str | None) -> Actor:
    """The user signed in with `token`, with their current role; PermissionDenied "sign in
    again" when the token is unknown, expired or signed out."""
    if not token:
        raise _sign_in_again()
    ls = m.login_sessions
    with _tx(bind) as conn:
        row = conn.execute(sa.select(ls).where(ls.c.token_hash == _token_hash(token))).first()
        if row is None or row.expires_at <= _now():
            raise _sign_in_again()
        user = _user_row(conn, row.email)
        if user is None:
            raise _sign_in_again()
        return _actor_from_row(user)


def end_login_session(bind: Engine | Connection, token: str | None) -> None:
    """Sign out: the token stops working at once."""
    if not token:
        return
    with _tx(bind) as conn:
        conn.execute(
            sa.delete(m.login_sessions).where(m.login_sessions.c.token_hash == _token_hash(token))
        )


# ----------------------------------------------------------------------------- server exposure


def is_loopback(address: str | None) -> bool:
    """Whether a server address only this machine can reach (127.0.0.0/8, ::1, localhost).

    Empty or "0.0.0.0"/"::" (all interfaces) is not loopback: Streamlit's default listens on all.
    """
    address = (address or "").strip().strip("[]")
    if address.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def sign_in_mode(oidc_configured: bool) -> str | None:
    """How people sign in: "oidc" when Streamlit's ``[auth]`` is configured (the page passes
    ``"auth" in st.secrets``), else "local" when $SANGKHRO_AUTH is ``local``, else None (no
    sign-in: the local user, on a loopback address only)."""
    raw = os.environ.get(ENV_AUTH, "").strip().lower()
    if raw not in ("", "local"):
        raise StoreError(
            f"{ENV_AUTH}=“{raw}” ไม่รู้จัก ใช้ local หรือไม่ตั้งเลย "
            f"(unknown {ENV_AUTH}: set it to local for local accounts, or leave it unset)"
        )
    if oidc_configured:
        return "oidc"
    return "local" if raw == "local" else None


def startup_refusal(server_address: str | None, sign_in_configured: bool) -> str | None:
    """The message every page shows instead of data when the app is reachable from other
    machines with no sign-in configured; None when it may run."""
    if sign_in_configured or is_loopback(server_address):
        return None
    shown = server_address or "0.0.0.0"
    return (
        f"ไม่เปิดข้อมูล: แอปนี้รับการเชื่อมต่อจากเครื่องอื่นได้ (server.address = {shown}) แต่ยังไม่ได้ตั้งค่า"
        "การลงชื่อเข้าใช้ โปรดตั้ง [auth] ใน .streamlit/secrets.toml (OpenID Connect) หรือ "
        "SANGKHRO_AUTH=local พร้อมสร้างผู้ใช้ด้วย python -m analysis users add หรือตั้ง "
        'server.address = "127.0.0.1" ใน .streamlit/config.toml '
        f"(no data shown: this app accepts connections from other machines (server.address = "
        f"{shown}) and no sign-in is configured. Set [auth] in .streamlit/secrets.toml "
        "(OpenID Connect) or SANGKHRO_AUTH=local with users added by `python -m analysis users "
        'add`, or set server.address = "127.0.0.1" in .streamlit/config.toml)'
    )
