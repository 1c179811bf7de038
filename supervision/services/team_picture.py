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

from ..domain.cadence import NextDue, by_urgency, next_due
from ..domain.permissions import Permission
from ..domain.trends import (
    OUTCOME_ORDER, PLAN_ORDER, decisions_by_outcome, families_by_plan, month_label, month_starts,
)
from ..domain.vocabulary import ActionStatus, PlanLevel, PlanOutcome, SessionStatus
from ..domain.wording import LOCAL, local
from ..extensions import db
from ..store.models import (
    Action, AgendaItem, Decision, ExportLog, Family, SupervisionSession, User,
)
from . import cadence, history
from .scope import Actor


@dataclass(frozen=True)
class FamilyLine:
    """What the lists show of a family, read as plain columns."""

    id: int
    display_name: str
    plan_level: str
    created_at: datetime
    social_worker_id: int | None = None


@dataclass(frozen=True)
class SessionLine:
    id: int
    starts_at: datetime


@dataclass(frozen=True)
class ActionLine:
    id: int
    family_id: int
    text: str
    due_on: date | None


@dataclass(frozen=True)
class FamilyDue:
    family: FamilyLine
    due: NextDue
    booked: SessionLine | None = None  # a scheduled session it is already on


@dataclass
class OwnerActions:
    owner: str
    actions: list[ActionLine]
    overdue: int


@dataclass(frozen=True)
class Waiting:
    """A discussion with something not done: its family, session and what is waiting."""

    family: FamilyLine
    session: SessionLine
    detail: str = ""


@dataclass(frozen=True)
class NotExported:
    session: SessionLine
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
    every_family: list[tuple[FamilyLine, NextDue]] = field(default_factory=list)  # due or not, most urgent first
    booked: dict[int, SessionLine] = field(default_factory=dict)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL).astimezone(timezone.utc)


def families_due(team_id: int, today: date, weeks: dict[str, int] | None = None) -> list[tuple[FamilyLine, NextDue]]:
    """Every family of the team with its next due date and why, most urgent first."""
    weeks = weeks or cadence.weeks_by_level(team_id)
    latest = history.latest_discussions(team_id)
    families = db.session.execute(
        select(Family.id, Family.display_name, Family.plan_level, Family.created_at, Family.social_worker_id)
        .where(Family.team_id == team_id).order_by(Family.display_name, Family.id))
    pairs = [(FamilyLine(*row), next_due(row.plan_level, latest.get(row.id), today, weeks_by_level=weeks,
                                          added_on=local(row.created_at).date())) for row in families]
    return by_urgency(pairs, lambda pair: pair[1])


def booked_sessions(team_id: int, today: date) -> dict[int, SessionLine]:
    """The next scheduled session (from today) each family is on the agenda of."""
    rows = db.session.execute(
        select(AgendaItem.family_id, SupervisionSession.id, SupervisionSession.starts_at)
        .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
        .where(SupervisionSession.team_id == team_id, SupervisionSession.status == SessionStatus.SCHEDULED.value,
               SupervisionSession.starts_at >= _start_of(today))
        .order_by(SupervisionSession.starts_at.desc()))
    return {family_id: SessionLine(session_id, at) for family_id, session_id, at in rows}  # the earliest is written last


def open_actions_by_owner(team_id: int, today: date) -> list[OwnerActions]:
    rows = db.session.execute(
        select(Action.id, Action.family_id, Action.text, Action.due_on, User.display_name)
        .join(Family, Action.family_id == Family.id).outerjoin(User, Action.owner_id == User.id)
        .where(Family.team_id == team_id, Action.status == ActionStatus.OPEN.value)
        .order_by(Action.due_on.is_(None), Action.due_on, Action.id))
    grouped: dict[str, list[ActionLine]] = {}
    for action_id, family_id, text, due_on, owner in rows:
        grouped.setdefault(owner or "No owner given", []).append(ActionLine(action_id, family_id, text, due_on))
    owners = [OwnerActions(name, items, sum(1 for a in items if a.due_on is not None and a.due_on < today))
              for name, items in grouped.items()]
    owners.sort(key=lambda o: (-o.overdue, o.owner))
    return owners


_WAITING = (Family.id, Family.display_name, Family.plan_level, Family.created_at,
            SupervisionSession.id, SupervisionSession.starts_at)


def _waiting(row, detail: str = "") -> Waiting:
    return Waiting(FamilyLine(*row[:4]), SessionLine(*row[4:6]), detail)


def unsigned_decisions(team_id: int) -> list[Waiting]:
    rows = db.session.execute(
        select(*_WAITING).select_from(AgendaItem)
        .join(Decision, Decision.agenda_item_id == AgendaItem.id)
        .join(Family, AgendaItem.family_id == Family.id)
        .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
        .where(SupervisionSession.team_id == team_id, Decision.signed_off_at.is_(None),
               SupervisionSession.status.in_(history.DISCUSSED))
        .order_by(SupervisionSession.starts_at, AgendaItem.position))
    return [_waiting(row) for row in rows]


def proposed_not_accepted(team_id: int) -> list[Waiting]:
    rows = db.session.execute(
        select(*_WAITING, func.count(Action.id)).select_from(AgendaItem)
        .join(Action, Action.agenda_item_id == AgendaItem.id)
        .join(Family, AgendaItem.family_id == Family.id)
        .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
        .where(SupervisionSession.team_id == team_id, Action.status == ActionStatus.PROPOSED.value)
        .group_by(AgendaItem.id, *_WAITING)
        .order_by(SupervisionSession.starts_at, AgendaItem.position))
    return [_waiting(row, "1 proposed action" if row[-1] == 1 else f"{row[-1]} proposed actions") for row in rows]


def closed_not_exported(team_id: int) -> list[NotExported]:
    """Closed sessions with a family whose final (signed) record has never been exported."""
    exported = (select(ExportLog.id).where(ExportLog.session_id == AgendaItem.session_id,
                                           ExportLog.family_id == AgendaItem.family_id, ExportLog.draft.is_(False))
                .exists())
    items = db.session.execute(
        select(AgendaItem.session_id, SupervisionSession.starts_at, Family.display_name)
        .join(Family, AgendaItem.family_id == Family.id)
        .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
        .where(SupervisionSession.team_id == team_id, SupervisionSession.status == SessionStatus.CLOSED.value,
               ~exported)
        .order_by(SupervisionSession.starts_at.desc(), SupervisionSession.id, AgendaItem.position))
    missing: dict[int, NotExported] = {}
    for session_id, starts_at, name in items:
        missing.setdefault(session_id, NotExported(SessionLine(session_id, starts_at), [])).missing.append(name)
    return list(missing.values())


# The twelve months' figures for a team and a day, kept while its signed records stay as they were.
_FIGURES: dict[tuple, tuple[Figures, Figures]] = {}


def twelve_months(team_id: int, today: date) -> tuple[Figures, Figures]:
    """Families by plan level at each month's end, and signed decisions by outcome, from the records."""
    key = (str(db.engine.url), team_id, today, history.team_stamp(team_id))
    if key not in _FIGURES:
        months = month_starts(today)
        points = [each.point for each in history.team_signed(team_id)]
        plans = Figures(months, [(v, PlanLevel.label_of(v)) for v in PLAN_ORDER],
                        families_by_plan(points, months, today))
        outcomes = Figures(months, [(v, PlanOutcome.label_of(v)) for v in OUTCOME_ORDER],
                           decisions_by_outcome(points, months))
        if len(_FIGURES) >= 256:
            _FIGURES.clear()
        _FIGURES[key] = (plans, outcomes)
    return _FIGURES[key]


def team_picture(actor: Actor, today: date) -> TeamPicture:
    actor.require(Permission.VIEW_TEAM_PICTURE)
    team_id = actor.team_id
    booked = booked_sessions(team_id, today)
    weeks = cadence.weeks_by_level(team_id)
    every_family = families_due(team_id, today, weeks)
    due = [FamilyDue(f, d, booked.get(f.id)) for f, d in every_family if d.needs_discussion]
    plans, outcomes = twelve_months(team_id, today)
    return TeamPicture(due, open_actions_by_owner(team_id, today), unsigned_decisions(team_id),
                       proposed_not_accepted(team_id), closed_not_exported(team_id), plans, outcomes,
                       weeks, every_family, booked)


def figures(actor: Actor, today: date) -> tuple[Figures, Figures]:
    actor.require(Permission.VIEW_TEAM_PICTURE)
    return twelve_months(actor.team_id, today)
