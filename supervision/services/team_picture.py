"""The team at a glance, for the team manager and a senior social worker.

Families due or overdue for discussion, open actions by owner, what is waiting (decisions not
signed off, proposed actions not accepted, closed sessions with records not exported), and the
last twelve months from the signed records.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..domain.cadence import NextDue, by_urgency, next_due
from ..domain.permissions import Permission
from ..domain.trends import (
    OUTCOME_ORDER, PLAN_ORDER, decisions_by_outcome, families_by_plan, month_label, month_starts,
)
from ..domain.vocabulary import ActionStatus, PlanLevel, PlanOutcome, SessionStatus
from ..domain.wording import LOCAL, local
from ..extensions import db
from ..store.models import (
    Action, AgendaItem, Decision, ExportLog, Family, SupervisionSession,
)
from . import cadence, history
from .scope import Actor


@dataclass(frozen=True)
class FamilyDue:
    family: Family
    due: NextDue
    booked: SupervisionSession | None = None  # a scheduled session it is already on


@dataclass
class OwnerActions:
    owner: str
    actions: list[Action]
    overdue: int


@dataclass(frozen=True)
class Waiting:
    """A discussion with something not done: its family, session and what is waiting."""

    family: Family
    session: SupervisionSession
    detail: str = ""


@dataclass(frozen=True)
class NotExported:
    session: SupervisionSession
    missing: list[str]  # family names whose final record has not been exported


@dataclass
class Figures:
    """Counts per month, with the categories in chart order and their labels."""

    months: list[date]
    categories: list[tuple[str, str]]  # (value, label)
    counts: list[Counter]

    @property
    def month_labels(self) -> list[str]:
        return [month_label(m) for m in self.months]

    def rows(self) -> list[list]:
        """One row per month: its label, a count per category, and the total."""
        return [[month_label(m)] + [c[value] for value, _ in self.categories] + [sum(c.values())]
                for m, c in zip(self.months, self.counts)]

    @property
    def header(self) -> list[str]:
        return ["Month"] + [label for _, label in self.categories] + ["Total"]


@dataclass
class TeamPicture:
    due: list[FamilyDue]
    actions_by_owner: list[OwnerActions]
    unsigned: list[Waiting]
    proposed: list[Waiting]
    not_exported: list[NotExported]
    plans: Figures
    outcomes: Figures
    weeks: dict[str, int] = field(default_factory=dict)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL).astimezone(timezone.utc)


def families_due(team_id: int, today: date) -> list[tuple[Family, NextDue]]:
    """Every family of the team with its next due date and why, most urgent first."""
    weeks = cadence.weeks_by_level(team_id)
    latest = history.latest_discussions(team_id)
    families = db.session.scalars(select(Family).where(Family.team_id == team_id)
                                  .options(joinedload(Family.social_worker)).order_by(Family.display_name))
    pairs = [(f, next_due(f.plan_level, latest.get(f.id), today, weeks_by_level=weeks,
                          added_on=local(f.created_at).date())) for f in families]
    return by_urgency(pairs, lambda pair: pair[1])


def booked_sessions(team_id: int, today: date) -> dict[int, SupervisionSession]:
    """The next scheduled session (from today) each family is on the agenda of."""
    rows = db.session.execute(
        select(AgendaItem.family_id, SupervisionSession)
        .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
        .where(SupervisionSession.team_id == team_id, SupervisionSession.status == SessionStatus.SCHEDULED.value,
               SupervisionSession.starts_at >= _start_of(today))
        .order_by(SupervisionSession.starts_at.desc()))
    return {family_id: session for family_id, session in rows}  # the earliest wins: it is written last


def open_actions_by_owner(team_id: int, today: date) -> list[OwnerActions]:
    actions = db.session.scalars(
        select(Action).join(Family, Action.family_id == Family.id)
        .where(Family.team_id == team_id, Action.status == ActionStatus.OPEN.value)
        .options(joinedload(Action.owner)).order_by(Action.due_on.is_(None), Action.due_on, Action.id))
    grouped: dict[str, list[Action]] = {}
    for action in actions:
        grouped.setdefault(action.owner.display_name if action.owner else "No owner given", []).append(action)
    owners = [OwnerActions(name, items, sum(1 for a in items if a.due_on is not None and a.due_on < today))
              for name, items in grouped.items()]
    owners.sort(key=lambda o: (-o.overdue, o.owner))
    return owners


def unsigned_decisions(team_id: int) -> list[Waiting]:
    rows = db.session.scalars(
        select(AgendaItem).join(Decision, Decision.agenda_item_id == AgendaItem.id)
        .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
        .where(SupervisionSession.team_id == team_id, Decision.signed_off_at.is_(None),
               SupervisionSession.status.in_(history.DISCUSSED))
        .options(joinedload(AgendaItem.family), joinedload(AgendaItem.session))
        .order_by(SupervisionSession.starts_at, AgendaItem.position))
    return [Waiting(item.family, item.session) for item in rows]


def proposed_not_accepted(team_id: int) -> list[Waiting]:
    rows = db.session.execute(
        select(AgendaItem, func.count(Action.id))
        .join(Action, Action.agenda_item_id == AgendaItem.id)
        .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
        .where(SupervisionSession.team_id == team_id, Action.status == ActionStatus.PROPOSED.value)
        .group_by(AgendaItem.id)
        .options(joinedload(AgendaItem.family), joinedload(AgendaItem.session))
        .order_by(SupervisionSession.starts_at, AgendaItem.position))
    return [Waiting(item.family, item.session, "1 proposed action" if n == 1 else f"{n} proposed actions")
            for item, n in rows]


def closed_not_exported(team_id: int) -> list[NotExported]:
    """Closed sessions with a family whose final (signed) record has never been exported."""
    exported = set(db.session.execute(
        select(ExportLog.session_id, ExportLog.family_id)
        .join(SupervisionSession, ExportLog.session_id == SupervisionSession.id)
        .where(SupervisionSession.team_id == team_id, ExportLog.draft.is_(False),
               ExportLog.family_id.is_not(None))).all())
    items = db.session.execute(
        select(AgendaItem.session_id, AgendaItem.family_id, Family.display_name)
        .join(Family, AgendaItem.family_id == Family.id)
        .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
        .where(SupervisionSession.team_id == team_id, SupervisionSession.status == SessionStatus.CLOSED.value)
        .order_by(AgendaItem.position)).all()
    missing: dict[int, list[str]] = {}
    for session_id, family_id, name in items:
        if (session_id, family_id) not in exported:
            missing.setdefault(session_id, []).append(name)
    if not missing:
        return []
    sessions = db.session.scalars(select(SupervisionSession).where(SupervisionSession.id.in_(missing))
                                  .order_by(SupervisionSession.starts_at.desc()))
    return [NotExported(s, missing[s.id]) for s in sessions]


def twelve_months(team_id: int, today: date) -> tuple[Figures, Figures]:
    """Families by plan level at each month's end, and signed decisions by outcome, from the records."""
    months = month_starts(today)
    points = [each.point for each in history.signed(team_id)]
    plans = Figures(months, [(v, PlanLevel.label_of(v)) for v in PLAN_ORDER], families_by_plan(points, months, today))
    outcomes = Figures(months, [(v, PlanOutcome.label_of(v)) for v in OUTCOME_ORDER],
                       decisions_by_outcome(points, months))
    return plans, outcomes


def team_picture(actor: Actor, today: date) -> TeamPicture:
    actor.require(Permission.VIEW_TEAM_PICTURE)
    team_id = actor.team_id
    booked = booked_sessions(team_id, today)
    due = [FamilyDue(f, d, booked.get(f.id)) for f, d in families_due(team_id, today) if d.needs_discussion]
    plans, outcomes = twelve_months(team_id, today)
    return TeamPicture(due, open_actions_by_owner(team_id, today), unsigned_decisions(team_id),
                       proposed_not_accepted(team_id), closed_not_exported(team_id), plans, outcomes,
                       cadence.weeks_by_level(team_id))


def figures(actor: Actor, today: date) -> tuple[Figures, Figures]:
    actor.require(Permission.VIEW_TEAM_PICTURE)
    return twelve_months(actor.team_id, today)
