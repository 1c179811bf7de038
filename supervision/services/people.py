"""A team's people, managed in the app by the team manager or an authority-wide administrator.

Who may manage a team's people is decided here (`steward_for`): an administrator for any
team, a person whose role in the team holds MANAGE_PEOPLE for that team only. A person of
another team is answered exactly as a missing one. Every change writes an audit row in the
same transaction.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..domain import audit as chain
from ..domain.errors import Invalid, NotFound, Refused
from ..domain.permissions import Permission, can
from ..extensions import db
from ..store.models import Membership, Role, Specialism, Team, User
from . import accounts, audit

ADMINISTRATOR = "Administrator"


@dataclass(frozen=True)
class Steward:
    """Someone managing one team's people: its manager, or an administrator."""

    user_id: int
    display_name: str
    role_label: str
    team_id: int


@dataclass(frozen=True)
class PersonDetails:
    display_name: str
    username: str
    role_id: int | None
    specialism_id: int | None
    external_subject: str | None


def is_administrator(user_id: int) -> bool:
    return bool(db.session.scalar(select(User.is_administrator).where(User.id == user_id, User.active.is_(True))))


def steward_for(user_id: int, team_id: int) -> Steward:
    """This person managing this team's people; NotFound for a team not theirs, Refused for a role that may not."""
    user = db.session.get(User, user_id)
    team = db.session.get(Team, team_id)
    if user is None or not user.active or team is None:
        raise NotFound("That team")
    membership = accounts.membership_in(user_id, team_id)
    if membership is not None and can(membership.role.kind, Permission.MANAGE_PEOPLE):
        return Steward(user_id, user.display_name, membership.role_label, team_id)
    if user.is_administrator:
        return Steward(user_id, user.display_name, ADMINISTRATOR, team_id)
    if membership is None:
        raise NotFound("That team")
    raise Refused("Only the team manager or an administrator can add or change the team's people.")


def team(team_id: int) -> Team:
    found = db.session.get(Team, team_id)
    if found is None:
        raise NotFound("That team")
    return found


def people_in(team_id: int) -> list[Membership]:
    """Everyone in the team, the closed accounts last."""
    return list(db.session.scalars(
        select(Membership).join(Role).join(User).where(Membership.team_id == team_id)
        .options(joinedload(Membership.user), joinedload(Membership.role), joinedload(Membership.specialism))
        .order_by(User.active.desc(), Role.sort_order, User.display_name)))


def person_in(steward: Steward, user_id: int) -> Membership:
    membership = accounts.membership_in(user_id, steward.team_id)
    if membership is None:
        raise NotFound("That person")
    return membership


def roles() -> list[Role]:
    return list(db.session.scalars(select(Role).order_by(Role.sort_order, Role.label)))


def specialisms() -> list[Specialism]:
    return list(db.session.scalars(select(Specialism).order_by(Specialism.label)))


def _clean(details: PersonDetails, user_id: int | None) -> tuple[PersonDetails, dict[str, str]]:
    username = details.username.strip().lower()
    subject = (details.external_subject or "").strip() or None
    cleaned = PersonDetails(details.display_name.strip(), username, details.role_id, details.specialism_id, subject)
    errors = {}
    if not cleaned.display_name:
        errors["display_name"] = "Enter the person's full name"
    if not username or not username.replace("-", "").replace("_", "").isalnum():
        errors["username"] = "Enter a username of letters, numbers, hyphens or underscores"
    elif db.session.scalar(select(User.id).where(User.username == username, User.id != (user_id or 0))):
        errors["username"] = f"The username {username} is taken. Choose another"
    if details.role_id is None or db.session.get(Role, details.role_id) is None:
        errors["role"] = "Select the person's role"
    if details.specialism_id is not None and db.session.get(Specialism, details.specialism_id) is None:
        errors["specialism"] = "Select a specialism from the list"
    if subject and db.session.scalar(select(User.id).where(User.external_subject == subject,
                                                            User.id != (user_id or 0))):
        errors["external_subject"] = "Another person already has this sign-in identity"
    return cleaned, errors


def _facts(user: User, membership: Membership) -> dict:
    return {"name": user.display_name, "username": user.username, "role": membership.role.label,
            "specialism": membership.specialism.label if membership.specialism else None,
            "sign_in_identity": user.external_subject}


def add(steward: Steward, details: PersonDetails) -> User:
    """A new person in the steward's team. They have no password until one is set with a one-time link."""
    details, errors = _clean(details, None)
    if errors:
        raise Invalid("The person could not be added.", errors)
    user = User(username=details.username, display_name=details.display_name, password_hash="",
                external_subject=details.external_subject)
    db.session.add(user)
    db.session.flush()
    membership = Membership(team_id=steward.team_id, user_id=user.id, role_id=details.role_id,
                            specialism_id=details.specialism_id)
    db.session.add(membership)
    db.session.flush()
    db.session.refresh(membership)
    audit.record("person.added", steward, team_id=steward.team_id,
                 details={"user_id": user.id, **_facts(user, membership)})
    db.session.commit()
    return user


def change(steward: Steward, user_id: int, details: PersonDetails) -> Membership:
    membership = person_in(steward, user_id)
    user = membership.user
    details, errors = _clean(details, user.id)
    if user.id == steward.user_id and details.role_id != membership.role_id:
        errors["role"] = "You cannot change your own role. Ask an administrator"
    if errors:
        raise Invalid("The person's details could not be changed.", errors)
    before = _facts(user, membership)
    user.display_name, user.username = details.display_name, details.username
    user.external_subject = details.external_subject
    membership.role_id, membership.specialism_id = details.role_id, details.specialism_id
    db.session.flush()
    db.session.refresh(membership)
    changed = chain.changes(before, _facts(user, membership))
    if changed:
        audit.record("person.changed", steward, team_id=steward.team_id, details={"user_id": user.id, **changed})
    db.session.commit()
    return membership


def set_active(steward: Steward, user_id: int, active: bool) -> User:
    """Close or reopen the account; closing ends their sign-ins and open boards at once."""
    membership = person_in(steward, user_id)
    if membership.user_id == steward.user_id:
        raise Refused("You cannot close your own account. Ask an administrator.")
    return accounts.close_or_reopen(membership.user, active, steward, team_id=steward.team_id)
