"""People, passwords and the teams they belong to."""
from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..domain import passwords
from ..domain.errors import Invalid
from ..extensions import db
from ..runtime import password_hashing
from ..store.models import Membership, Role, Specialism, Team, User


@cache
def _hasher_for(profile: str) -> tuple[PasswordHasher, str]:
    """The hasher, and a hash verified against when a username is unknown so both cost the same time."""
    hasher = PasswordHasher.from_parameters(getattr(profiles, profile))
    return hasher, password_hashing.run(hasher.hash, "not-a-real-password")


def _hasher() -> tuple[PasswordHasher, str]:
    # Tests choose CHEAPEST through config; real use keeps RFC 9106's low-memory profile.
    profile = current_app.config.get("ARGON2_PROFILE") if has_app_context() else None
    return _hasher_for(profile or "RFC_9106_LOW_MEMORY")

MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH


def hash_password(password: str) -> str:
    """The password's hash, made beside the live boards; call it before changing anything."""
    _between_transactions()
    return password_hashing.run(_hasher()[0].hash, password)


def _verify(hasher: PasswordHasher, stored_hash: str, password: str) -> bool:
    _between_transactions()
    try:
        return password_hashing.run(hasher.verify, stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _between_transactions() -> None:
    """End the transaction before a hash lets other boards run for a quarter of a second.

    A transaction that has written holds SQLite's write lock: held across the hash, the next
    board change waits for the lock on the one thread that could finish the hash, until
    "database is locked". So nothing may be waiting to be written: the hash comes before
    the change it is for.
    """
    if db.session.new or db.session.dirty or db.session.deleted:
        raise RuntimeError("Hash the password before changing anything in the same transaction.")
    db.session.commit()


def authenticate(username: str, password: str) -> User | None:
    """The active user with this username and password, or None."""
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    hasher, dummy_hash = _hasher()
    stored_hash = user.password_hash if user else dummy_hash
    if not _verify(hasher, stored_hash, password):
        return None
    rehashed = hash_password(password) if user is not None and hasher.check_needs_rehash(stored_hash) else None
    if user is None or not user.active:
        return None
    if rehashed is not None:
        user.password_hash = rehashed
        db.session.commit()
    return user


def memberships_of(user_id: int) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.user_id == user_id)
            .options(joinedload(Membership.team), joinedload(Membership.role), joinedload(Membership.specialism))
            .order_by(Membership.team_id)
        )
    )


def membership_in(user_id: int, team_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership)
        .where(Membership.user_id == user_id, Membership.team_id == team_id)
        .options(joinedload(Membership.role), joinedload(Membership.specialism), joinedload(Membership.team),
                 joinedload(Membership.user))
    )


def _in_team(statement, team_id: int):
    """The team's active people, in the order the team is listed: by role, then by name."""
    return (statement.join(Role, Role.id == Membership.role_id).join(User, User.id == Membership.user_id)
            .where(Membership.team_id == team_id, User.active.is_(True))
            .order_by(Role.sort_order, User.display_name))


def team_members(team_id: int) -> list[Membership]:
    return list(db.session.scalars(_in_team(select(Membership), team_id).options(
        joinedload(Membership.user), joinedload(Membership.role), joinedload(Membership.specialism))))


def team_member_names(team_id: int) -> list[dict]:
    """The team's active people as the board names them (id, name, role), read as rows, not objects:
    every change to a board other than a card reads them to draw its regions."""
    return [{"user_id": row.user_id, "name": row.display_name, "role": row.label} for row in db.session.execute(
        _in_team(select(Membership.user_id, User.display_name, Role.label), team_id))]


def create_user(
    *, username: str, display_name: str, password: str, team_name: str, role_key: str,
    specialism_key: str | None = None,
) -> User:
    """Create a person and their membership of one team (used by the CLI and the demo)."""
    username = username.strip().lower()
    errors = {}
    if not username or not username.replace("-", "").replace("_", "").isalnum():
        errors["username"] = "Use letters, numbers, hyphens or underscores."
    problem = passwords.problem(password, username=username, name=display_name)
    if problem:
        errors["password"] = problem
    team = db.session.scalar(select(Team).where(Team.name == team_name))
    if team is None:
        errors["team"] = f"There is no team called {team_name!r}."
    role = db.session.scalar(select(Role).where(Role.key == role_key))
    if role is None:
        errors["role"] = f"There is no role {role_key!r}."
    specialism = None
    if specialism_key:
        specialism = db.session.scalar(select(Specialism).where(Specialism.key == specialism_key))
        if specialism is None:
            errors["specialism"] = f"There is no specialism {specialism_key!r}."
    if db.session.scalar(select(User.id).where(User.username == username)):
        errors["username"] = f"The username {username!r} is taken."
    if errors:
        raise Invalid("The person could not be created.", errors)
    user = User(username=username, display_name=display_name.strip(), password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    db.session.add(Membership(team_id=team.id, user_id=user.id, role_id=role.id,
                              specialism_id=specialism.id if specialism else None))
    db.session.commit()
    return user


def set_active(username: str, active: bool) -> User:
    """Close or reopen a person's account (the command line). Closing ends every sign-in and open board of theirs at once."""
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise Invalid(f"There is nobody with the username {username!r}.", {"username": "Not found"})
    return close_or_reopen(user, active)


def close_or_reopen(user: User, active: bool, who=None, *, team_id: int | None = None) -> User:
    """Close or reopen this account, audited as done by `who` (None: the command line).

    Closing ends every sign-in of theirs, and so every open board, at once, on every worker.
    """
    from . import access, audit, sign_ins

    user.active = active
    action = ("person.reactivated" if active else "person.deactivated") if who is not None else (
        "account.reactivated" if active else "account.deactivated")
    audit.record(action, who, team_id=team_id, details={"user_id": user.id, "username": user.username})
    db.session.commit()
    if not active:
        access.sign_ins_ended(sign_ins.end_all(user.id, sign_ins.Ended.DEACTIVATED), sign_ins.Ended.DEACTIVATED)
    return user
