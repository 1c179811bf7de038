"""Families of a team: who is in them, their plan, and when the team last talked about them.

Record only what the team needs: first names, ages, relationships, plan levels and which
adult specialists are involved. Nothing else about a family is kept here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..domain.audit import changes
from ..domain.errors import Invalid
from ..domain.permissions import Permission, may_hold_cases
from ..domain.vocabulary import ActionStatus, PlanLevel, SessionStatus
from ..extensions import db
from ..store.models import (
    Action, Adult, AgendaItem, Child, Family, Membership, Specialism, SupervisionSession, User,
)
from . import accounts, audit
from .scope import Actor, family_for

# Who can be the allocated social worker of a family: people who hold cases.

# A session that has started or finished counts as the family having been discussed.
DISCUSSED_STATUSES = (SessionStatus.LIVE.value, SessionStatus.CLOSED.value)

PLAN_LEVELS = frozenset(level.value for level in PlanLevel)


@dataclass
class ChildDetails:
    first_name: str
    plan_level: str
    age_description: str | None = None
    date_of_birth: date | None = None
    id: int | None = None  # an existing child of this family, or None for a new one


@dataclass
class AdultDetails:
    first_name: str
    relationship: str
    specialism_ids: list[int] = field(default_factory=list)
    id: int | None = None


@dataclass
class FamilyDetails:
    case_reference: str
    display_name: str
    plan_level: str
    social_worker_id: int | None = None
    children: list[ChildDetails] = field(default_factory=list)
    adults: list[AdultDetails] = field(default_factory=list)


@dataclass
class FamilyFormOptions:
    social_workers: list[Membership]
    specialisms: list[Specialism]


@dataclass
class FamilyRow:
    family: Family
    last_discussed: datetime | None


@dataclass
class Discussion:
    item: AgendaItem
    session: SupervisionSession
    outcome: str | None  # a PlanOutcome value once a decision is recorded


@dataclass
class FamilyHistory:
    discussions: list[Discussion]
    open_actions: list[Action]


# Reading ---------------------------------------------------------------------------------------

def team_families(actor: Actor, *, order: str = "name") -> list[FamilyRow]:
    """The actor's team's families with the start of the last session that discussed each.

    order="name" sorts by name; order="last_discussed" puts the longest-waiting first
    (never discussed before any), which is what keeps cadence visible on the team home.
    """
    last = (
        select(AgendaItem.family_id, func.max(SupervisionSession.starts_at).label("last"))
        .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
        .where(SupervisionSession.team_id == actor.team_id,
               SupervisionSession.status.in_(DISCUSSED_STATUSES))
        .group_by(AgendaItem.family_id)
    )
    last_by_family = {family_id: when for family_id, when in db.session.execute(last)}
    families = db.session.scalars(
        select(Family)
        .where(Family.team_id == actor.team_id)
        .options(selectinload(Family.social_worker))
        .order_by(Family.display_name, Family.case_reference)
    )
    rows = [FamilyRow(f, last_by_family.get(f.id)) for f in families]
    if order == "last_discussed":
        rows.sort(key=lambda row: (row.last_discussed is not None, row.last_discussed or datetime.min))
    return rows


def family_history(family: Family) -> FamilyHistory:
    """Sessions the family was on the agenda of (latest first) and its open actions."""
    items = db.session.scalars(
        select(AgendaItem)
        .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
        .where(AgendaItem.family_id == family.id, SupervisionSession.team_id == family.team_id)
        .options(selectinload(AgendaItem.decision), selectinload(AgendaItem.session))
        .order_by(SupervisionSession.starts_at.desc())
    )
    discussions = [
        Discussion(item, item.session, item.decision.outcome if item.decision else None) for item in items
    ]
    actions = db.session.scalars(
        select(Action)
        .where(Action.family_id == family.id, Action.status == ActionStatus.OPEN.value)
        .options(selectinload(Action.owner))
        .order_by(Action.due_on.is_(None), Action.due_on, Action.id)
    )
    return FamilyHistory(discussions, list(actions))


def form_options(actor: Actor) -> FamilyFormOptions:
    """What the family form offers; asking for it is refused to people who cannot manage families."""
    actor.require(Permission.MANAGE_FAMILIES)
    return FamilyFormOptions(
        social_workers=_case_holders(actor.team_id),
        specialisms=list(db.session.scalars(select(Specialism).order_by(Specialism.label))),
    )


def family_to_edit(user_id: int, family_id: int) -> tuple[Family, Actor, FamilyFormOptions]:
    """The family for its edit page: NotFound outside the team, Refused without the permission."""
    family, actor = family_for(user_id, family_id)
    return family, actor, form_options(actor)


# Changing --------------------------------------------------------------------------------------

def create_family(actor: Actor, details: FamilyDetails) -> Family:
    actor.require(Permission.MANAGE_FAMILIES)
    family = Family(team_id=actor.team_id)
    _apply(family, details)
    db.session.add(family)
    _commit(details, actor, family, {})
    return family


def update_family(user_id: int, family_id: int, details: FamilyDetails) -> Family:
    family, actor = family_for(user_id, family_id)
    actor.require(Permission.MANAGE_FAMILIES)
    before = audit_values(family)
    _apply(family, details)
    _commit(details, actor, family, before)
    return family


def audit_values(family: Family) -> dict:
    """What the audit trail keeps of a family, to show a change as old and new values."""
    return {
        "case_reference": family.case_reference, "name": family.display_name, "plan": family.plan_level,
        "social_worker": _name_of(family.social_worker_id),
        "children": [f"{c.first_name}, {c.plan_level}, {c.date_of_birth or c.age_description or ''}"
                     for c in family.children],
        "adults": [f"{a.first_name}, {a.relationship_to_child}, {'/'.join(s.key for s in a.specialisms)}"
                   for a in family.adults],
    }


def _name_of(user_id: int | None) -> str | None:
    user = db.session.get(User, user_id) if user_id is not None else None
    return user.display_name if user is not None else None


def _commit(details: FamilyDetails, actor: Actor, family: Family, before: dict) -> None:
    try:
        db.session.flush()  # the new family's id, and a duplicate case reference found here
        audit.record("family.added" if not before else "family.changed", actor, team_id=family.team_id,
                     family_id=family.id, details=changes(before, audit_values(family)))
        db.session.commit()
    except IntegrityError:  # someone else saved the same case reference a moment ago
        db.session.rollback()
        raise Invalid("The family could not be saved.", {"case_reference": _duplicate(details.case_reference)})


def _duplicate(reference: str) -> str:
    return f"The team already has a family with case reference {reference}"


def _apply(family: Family, details: FamilyDetails) -> None:
    """Check everything first, then change the family: bad input changes nothing."""
    team_id = family.team_id
    errors: dict[str, str] = {}
    reference = details.case_reference.strip()
    name = details.display_name.strip()
    if not reference:
        errors["case_reference"] = "Enter the case reference"
    elif db.session.scalar(
        select(Family.id).where(Family.team_id == team_id,
                                func.lower(Family.case_reference) == reference.lower(),
                                Family.id != (family.id or 0))
    ):
        errors["case_reference"] = _duplicate(reference)
    if not name:
        errors["display_name"] = "Enter the family's name, for example Harper family"
    if details.plan_level not in PLAN_LEVELS:
        errors["plan_level"] = "Choose the family's plan"
    if details.social_worker_id not in {None, family.social_worker_id} and details.social_worker_id not in {
        m.user_id for m in _case_holders(team_id)
    }:  # keeping a worker who has since moved on is allowed; choosing someone new from elsewhere is not
        errors["social_worker"] = "Choose a social worker from this team"
    known_specialisms = {s.id: s for s in db.session.scalars(select(Specialism))}
    for child in details.children:
        if not child.first_name.strip():
            errors["children"] = "Enter each child's first name"
        if child.plan_level not in PLAN_LEVELS:
            errors["children"] = "Choose each child's plan"
    for adult in details.adults:
        if not adult.first_name.strip() or not adult.relationship.strip():
            errors["adults"] = "Enter each adult's first name and relationship to the children"
        if any(i not in known_specialisms for i in adult.specialism_ids):
            errors["adults"] = "Choose specialists from the list"
    children_by_id = {c.id: c for c in family.children}
    adults_by_id = {a.id: a for a in family.adults}
    if any(c.id is not None and c.id not in children_by_id for c in details.children) or any(
        a.id is not None and a.id not in adults_by_id for a in details.adults
    ):
        errors["family"] = "The family changed while you were editing it. Reload the page and try again."
    if errors:
        raise Invalid("The family could not be saved.", errors)

    family.case_reference = reference
    family.display_name = name
    family.plan_level = details.plan_level
    family.social_worker_id = details.social_worker_id
    children = []
    for d in details.children:
        child = children_by_id.get(d.id) or Child()
        child.first_name = d.first_name.strip()
        child.plan_level = d.plan_level
        child.date_of_birth = d.date_of_birth
        child.age_description = (d.age_description or "").strip() or None
        children.append(child)
    family.children = children  # children left out are removed (delete-orphan)
    adults = []
    for d in details.adults:
        adult = adults_by_id.get(d.id) or Adult()  # kept by id: board cards point at adults
        adult.first_name = d.first_name.strip()
        adult.relationship_to_child = d.relationship.strip()
        adult.specialisms = [known_specialisms[i] for i in dict.fromkeys(d.specialism_ids)]
        adults.append(adult)
    family.adults = adults


def _case_holders(team_id: int) -> list[Membership]:
    return [m for m in accounts.team_members(team_id) if may_hold_cases(m.role.kind)]
