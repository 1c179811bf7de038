"""What an authority-wide administrator manages as data: teams, roles and specialisms.

An authority adding an education specialist adds a specialism and a role of the
`specialist` kind here; no code changes. A role's kind decides what it may do
(domain/permissions.py) and cannot be changed once people hold the role.
"""
from __future__ import annotations

import re

from sqlalchemy import func, select

from ..domain.errors import Invalid, Refused
from ..domain.vocabulary import RoleKind
from ..extensions import db
from ..store.models import Membership, Role, Specialism, Team, User
from . import audit

ADMINISTRATOR = "Administrator"


def _admin(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or not user.active or not user.is_administrator:
        raise Refused("Only an administrator can manage teams, roles and specialisms.")
    return audit.Who(user.id, user.display_name, ADMINISTRATOR)


def require_administrator(user_id: int) -> None:
    _admin(user_id)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _label(label: str, field: str, what: str) -> str:
    label = " ".join(label.split())
    if not label:
        raise Invalid(f"The {what} was not saved.", {field: f"Enter the {what}'s name"})
    if len(label) > 120:
        raise Invalid(f"The {what} was not saved.", {field: f"The {what}'s name must be 120 characters or fewer"})
    return label


def _taken(model, label: str, key_column, key: str, except_id: int | None = None) -> bool:
    query = select(model.id).where((func.lower(model.label) == label.lower()) | (key_column == key))
    if except_id is not None:
        query = query.where(model.id != except_id)
    return db.session.scalar(query) is not None


def teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.name)))


def add_team(user_id: int, name: str) -> Team:
    who = _admin(user_id)
    name = _label(name, "name", "team")
    key = slug(name)
    if not key or db.session.scalar(select(Team.id).where((func.lower(Team.name) == name.lower()) | (Team.slug == key))):
        raise Invalid("The team was not saved.", {"name": "There is already a team with this name"})
    team = Team(name=name, slug=key)
    db.session.add(team)
    db.session.flush()
    audit.record("team.added", who, team_id=team.id, details={"team": name})
    db.session.commit()
    return team


def add_role(user_id: int, label: str, kind: str) -> Role:
    who = _admin(user_id)
    label = _label(label, "label", "role")
    try:
        kind = RoleKind(kind)
    except ValueError:
        raise Invalid("The role was not saved.", {"kind": "Select what the role may do"}) from None
    key = slug(label)
    if not key or _taken(Role, label, Role.key, key):
        raise Invalid("The role was not saved.", {"label": "There is already a role with this name"})
    last = db.session.scalar(select(func.max(Role.sort_order))) or 0
    role = Role(key=key, label=label, kind=kind.value, sort_order=last + 10)
    db.session.add(role)
    audit.record("role.added", who, details={"role": label, "kind": kind.label})
    db.session.commit()
    return role


def rename_role(user_id: int, role_id: int, label: str) -> Role:
    return _rename(user_id, Role, role_id, label, "role")


def add_specialism(user_id: int, label: str) -> Specialism:
    who = _admin(user_id)
    label = _label(label, "label", "specialism")
    key = slug(label)
    if not key or _taken(Specialism, label, Specialism.key, key):
        raise Invalid("The specialism was not saved.", {"label": "There is already a specialism with this name"})
    specialism = Specialism(key=key, label=label)
    db.session.add(specialism)
    audit.record("specialism.added", who, details={"specialism": label})
    db.session.commit()
    return specialism


def rename_specialism(user_id: int, specialism_id: int, label: str) -> Specialism:
    return _rename(user_id, Specialism, specialism_id, label, "specialism")


def _rename(user_id: int, model, row_id: int, label: str, noun: str):
    """A role or specialism renamed by an administrator: its key (what code and data refer to) stays."""
    who = _admin(user_id)
    row = db.session.get(model, row_id)
    if row is None:
        raise Invalid(f"The {noun} was not saved.", {"label": f"That {noun} no longer exists"})
    label = _label(label, "label", noun)
    if _taken(model, label, model.key, "\0", except_id=row.id):
        raise Invalid(f"The {noun} was not saved.", {"label": f"There is already a {noun} with this name"})
    audit.record(f"{noun}.changed", who, details={f"{noun}_id": row.id, "label": {"old": row.label, "new": label}})
    row.label = label
    db.session.commit()
    return row


def people_count_by_role() -> dict[int, int]:
    return dict(db.session.execute(select(Membership.role_id, func.count()).group_by(Membership.role_id)).all())


def set_administrator(username: str, on: bool) -> User:
    """For the command line: make a person an administrator, or not."""
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise Invalid(f"There is nobody with the username {username!r}.", {"username": "Not found"})
    user.is_administrator = on
    audit.record("administrator.granted" if on else "administrator.removed", None,
                 details={"user_id": user.id, "username": user.username})
    db.session.commit()
    return user


def set_sign_in_identity(username: str, subject: str | None) -> User:
    """For the command line: the value of the provider's claim that names this person."""
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise Invalid(f"There is nobody with the username {username!r}.", {"username": "Not found"})
    subject = (subject or "").strip() or None
    if subject and db.session.scalar(select(User.id).where(User.external_subject == subject, User.id != user.id)):
        raise Invalid("Another person already has this sign-in identity.", {"subject": "Taken"})
    audit.record("person.changed", None, details={"user_id": user.id, "sign_in_identity":
                                                  {"old": user.external_subject, "new": subject}})
    user.external_subject = subject
    db.session.commit()
    return user
