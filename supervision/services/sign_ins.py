"""Sign-ins kept on the server, so that ending one ends it everywhere its cookie went.

The session cookie carries a random secret; the database keeps its SHA-256 and the
person, when it began, when it was last used and, once ended, when and why. A sign-in
is alive while it has not ended, its person is active, and it was used within the idle
limit. Every page request and every live-board change asks `alive`.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from ..extensions import db
from ..store import durability, hot_path as statements
from ..store.models import SignIn, User
from . import audit

# Using a sign-in moves its last_seen_at at most this often: one write a minute, not one a request.
TOUCH_EVERY = timedelta(seconds=60)


class Ended:
    """Why a sign-in ended: stored in `ended_reason` and sent to its live boards."""

    SIGNED_OUT = "signed_out"
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere"
    IDLE = "idle"
    DEACTIVATED = "deactivated"
    PASSWORD_SET = "password_set"


MESSAGES = {
    Ended.SIGNED_OUT: "You signed out. Sign in again to carry on.",
    Ended.SIGNED_OUT_EVERYWHERE: "You signed out everywhere. Sign in again to carry on.",
    Ended.IDLE: "You were signed out after a time without activity. Sign in again to carry on.",
    Ended.DEACTIVATED: "Your account has been closed. Ask your team manager if you think this is wrong.",
    Ended.PASSWORD_SET: "Your password was set again. Sign in with the new one to carry on.",
}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def start(user: User, address: str | None) -> str:
    """A new sign-in for this person; returns the secret for their cookie (committed)."""
    token = secrets.token_urlsafe(32)
    db.session.add(SignIn(token_hash=_hash(token), user_id=user.id, address=(address or "")[:64] or None))
    db.session.commit()
    return token


@dataclass(frozen=True)
class Check:
    """The outcome of asking whether a cookie's sign-in is alive."""

    user: User | None
    sign_in_id: int | None
    ended_reason: str | None = None


def alive(token, user_id, idle_limit: timedelta) -> Check:
    """The person this cookie's sign-in stands for, if it is alive; otherwise why not."""
    if not isinstance(token, str) or not token:
        return Check(None, None)
    row = db.session.execute(
        select(SignIn, User).join(User, User.id == SignIn.user_id).where(SignIn.token_hash == _hash(token))
    ).one_or_none()
    if row is None or str(row[0].user_id) != str(user_id):
        return Check(None, None)
    sign_in, user = row
    reason = _judge(sign_in.id, sign_in.ended_at, sign_in.ended_reason, sign_in.last_seen_at, user.active,
                    idle_limit)
    return Check(user if reason is None else None, sign_in.id, reason)


def alive_by_id(sign_in_id: int, idle_limit: timedelta) -> str | None:
    """For a live connection: None while its sign-in is alive, else why it ended."""
    connection = db.session.connection()
    cursor = connection.connection.cursor()
    try:
        cursor.execute(statements.SIGN_IN_STATE[connection.dialect.name], (sign_in_id,))
        row = cursor.fetchone()
    finally:
        cursor.close()
    if row is None:
        return Ended.SIGNED_OUT
    ended_at, reason, last_seen_at, active = row
    return _judge(sign_in_id, ended_at, reason, statements.stored_instant(last_seen_at), bool(active), idle_limit)


def _judge(sign_in_id: int, ended_at, reason, last_seen_at: datetime, active: bool,
           idle_limit: timedelta) -> str | None:
    """None if alive (and marks it used, at most once a minute); else why it ended.

    A sign-in found idle past the limit, or of a closed account, is ended here, so a copy
    of its cookie can never come back to life.
    """
    if ended_at is not None:
        return reason or Ended.SIGNED_OUT
    now = _now()
    reason = Ended.DEACTIVATED if not active else Ended.IDLE if now - last_seen_at > idle_limit else None
    if reason is not None:
        _end([sign_in_id], reason, now)
        audit.record_alone("sign_in.ended", None, details={"sign_in": sign_in_id, "reason": reason})
    elif now - last_seen_at > TOUCH_EVERY:
        # A change waits for this check: when a sign-in was last used need not reach the disk first.
        with durability.unwaited():
            db.session.connection().execute(statements.TOUCH_SIGN_IN, {"sign_in_id": sign_in_id, "now": now})
            db.session.commit()
    return reason


def _end(ids: list[int], reason: str, now: datetime | None = None) -> list[int]:
    if ids:
        db.session.execute(update(SignIn).where(SignIn.id.in_(ids), SignIn.ended_at.is_(None))
                           .values(ended_at=now or _now(), ended_reason=reason))
    db.session.commit()
    return ids


def end(token, reason: str = Ended.SIGNED_OUT) -> list[int]:
    """End the sign-in this cookie names; returns its id (in a list) so its connections can be told."""
    if not isinstance(token, str) or not token:
        return []
    ids = list(db.session.scalars(select(SignIn.id).where(SignIn.token_hash == _hash(token),
                                                          SignIn.ended_at.is_(None))))
    return _end(ids, reason)


def end_all(user_id: int, reason: str) -> list[int]:
    """End every sign-in of this person (sign out everywhere, deactivation)."""
    ids = list(db.session.scalars(select(SignIn.id).where(SignIn.user_id == user_id, SignIn.ended_at.is_(None))))
    return _end(ids, reason)


def open_for(user_id: int, idle_limit: timedelta) -> list[SignIn]:
    """This person's sign-ins that still work, newest first."""
    since = _now() - idle_limit
    return list(db.session.scalars(
        select(SignIn).where(SignIn.user_id == user_id, SignIn.ended_at.is_(None), SignIn.last_seen_at >= since)
        .order_by(SignIn.created_at.desc(), SignIn.id.desc())))


def ended_among(sign_in_ids: set[int]) -> dict[int, str]:
    """Which of these sign-ins have ended (or whose person's account is closed), and why."""
    if not sign_in_ids:
        return {}
    rows = db.session.execute(
        select(SignIn.id, SignIn.ended_reason, SignIn.ended_at, User.active).join(User, User.id == SignIn.user_id)
        .where(SignIn.id.in_(sign_in_ids), (SignIn.ended_at.isnot(None)) | (User.active.is_(False))))
    return {id_: (reason or Ended.SIGNED_OUT) if ended_at is not None else Ended.DEACTIVATED
            for id_, reason, ended_at, _active in rows}
