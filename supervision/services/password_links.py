"""One-time links for setting a local password, made by a manager for a person in their team.

The link carries a random secret; the database keeps only its SHA-256. A link works once,
until it expires, and only while the person's account is open. Making a new link for a
person ends the ones made before. Setting the password ends every sign-in the person had.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from ..domain import passwords
from ..domain.errors import Invalid
from ..extensions import db
from ..store.models import PasswordLink, User
from . import access, accounts, audit, sign_ins
from .people import Steward, person_in

LIFETIME = timedelta(hours=24)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def issue(steward: Steward, user_id: int, lifetime: timedelta = LIFETIME) -> tuple[str, datetime]:
    """A new link's secret and when it expires; earlier unused links for the person stop working."""
    membership = person_in(steward, user_id)
    if not membership.user.active:
        raise Invalid("Reopen the account before making a password link.", {})
    now = _now()
    db.session.execute(update(PasswordLink).where(PasswordLink.user_id == user_id, PasswordLink.used_at.is_(None))
                       .values(used_at=now))
    token = secrets.token_urlsafe(32)
    expires_at = now + lifetime
    db.session.add(PasswordLink(token_hash=_hash(token), user_id=user_id, created_by_id=steward.user_id,
                                created_at=now, expires_at=expires_at))
    audit.record("password_link.issued", steward, team_id=steward.team_id,
                 details={"user_id": user_id, "username": membership.user.username, "expires": expires_at})
    db.session.commit()
    return token, expires_at


def person_for(token) -> User | None:
    """The person this link is for, while it works (unused, not expired, account open)."""
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    row = db.session.execute(
        select(PasswordLink, User).join(User, User.id == PasswordLink.user_id)
        .where(PasswordLink.token_hash == _hash(token))).one_or_none()
    if row is None:
        return None
    link, user = row
    if link.used_at is not None or link.expires_at <= _now() or not user.active:
        return None
    return user


def use(token: str, password: str) -> User | None:
    """Set the person's password and spend the link; None if the link no longer works.

    Invalid if the password does not meet the rules (the link is not spent then).
    """
    user = person_for(token)
    if user is None:
        return None
    problem = passwords.problem(password, username=user.username, name=user.display_name)
    if problem:
        raise Invalid("The password was not set.", {"password": problem})
    password_hash = accounts.hash_password(password)
    spent = db.session.execute(
        update(PasswordLink).where(PasswordLink.token_hash == _hash(token), PasswordLink.used_at.is_(None),
                                   PasswordLink.expires_at > _now()).values(used_at=_now()))
    if spent.rowcount != 1:  # used a moment ago by another request
        db.session.rollback()
        return None
    user.password_hash = password_hash
    audit.record("password.set", user, details={"user_id": user.id, "username": user.username})
    db.session.commit()
    access.sign_ins_ended(sign_ins.end_all(user.id, sign_ins.Ended.PASSWORD_SET), sign_ins.Ended.PASSWORD_SET)
    return user
