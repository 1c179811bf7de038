"""One family over time: every discussion, its plan, each adult's stage of change, every action,
and when the family is next due. Signed discussions are read from their records (services/history)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..domain.cadence import LastDiscussion, NextDue, next_due
from ..domain.vocabulary import ActionStatus, ReviewOutcome
from ..domain.wording import local
from ..export.record import AmendmentRow, Person
from ..extensions import db
from ..store.models import Action, ActionReview, AgendaItem, Family
from . import cadence, history


@dataclass(frozen=True)
class TimelineEntry:
    """One discussion: what its signed record says, or that it is not signed off yet."""

    on: date
    session_id: int
    signed: bool
    plan: str | None = None  # label, as the record gives it
    outcome: str | None = None  # label
    decision: str = ""  # the decision's first line
    signed_off_by: Person | None = None
    signed_off_at: object = None
    amendments: list[AmendmentRow] = field(default_factory=list)
    next_on: date | None = None


@dataclass(frozen=True)
class ActionLine:
    text: str
    owner: str
    due_on: date | None
    agreed_on: date
    outcome: str  # Open, Done, Not done, Carried forward...


@dataclass
class Timeline:
    entries: list[TimelineEntry]  # oldest first
    plan_points: list[tuple[date, str]]  # (when, PlanLevel value) from each signed record
    stages: dict[str, list[tuple[date, str]]]  # "Mia, Mother: Recovery worker" -> [(when, StageOfChange value)]
    actions: list[ActionLine]
    next_due: NextDue


def first_line(text: str) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= 160 else line[:157].rstrip() + "..."


def family_timeline(family: Family, today: date) -> Timeline:
    """The family's path, for anyone in its team (the caller has already checked the boundary)."""
    signed = {each.item_id: each for each in history.signed(family.team_id, family_id=family.id, readings=True)}
    entries, plan_points, stages = [], [], {}
    discussions = history.discussions(family.team_id, family.id)
    for discussed in discussions:
        kept = signed.get(discussed.item_id)
        if kept is None:
            entries.append(TimelineEntry(discussed.on, discussed.session_id, False))
            continue
        decision = kept.decision
        entries.append(TimelineEntry(
            kept.on, kept.session_id, True, kept.plan, decision.outcome, first_line(decision.text),
            decision.signed_off_by, decision.signed_off_at, list(decision.amendments), kept.next_on))
        if kept.plan_level:
            plan_points.append((kept.on, kept.plan_level))
        for reading in kept.readings:
            stages.setdefault(f"{reading.adult}: {reading.specialism}", []).append((kept.on, reading.stage))
    latest = None
    if discussions:
        newest = discussions[-1]
        latest = signed[newest.item_id].last if newest.item_id in signed else LastDiscussion(newest.on)
    due = next_due(family.plan_level, latest, today, weeks_by_level=cadence.weeks_by_level(family.team_id),
                   added_on=local(family.created_at).date())
    return Timeline(entries, plan_points, stages, _actions(family), due)


def _actions(family: Family) -> list[ActionLine]:
    """Every agreed action (not proposals or dropped ones), with its latest review's outcome."""
    actions = list(db.session.scalars(
        select(Action).where(Action.family_id == family.id,
                             Action.status.not_in([ActionStatus.PROPOSED.value, ActionStatus.DROPPED.value]))
        .options(joinedload(Action.owner), joinedload(Action.agenda_item).joinedload(AgendaItem.session))
        .order_by(Action.id)))
    reviews = {}
    if actions:
        for review in db.session.scalars(select(ActionReview).where(
                ActionReview.action_id.in_([a.id for a in actions])).order_by(ActionReview.reviewed_at, ActionReview.id)):
            reviews[review.action_id] = review.outcome
    lines = []
    for action in actions:
        outcome = (ReviewOutcome.label_of(reviews[action.id]) if action.id in reviews
                   else ActionStatus.label_of(action.status))
        lines.append(ActionLine(action.text, action.owner.display_name if action.owner else "Not given",
                                action.due_on, local(action.agenda_item.session.starts_at).date(), outcome))
    lines.sort(key=lambda line: (line.agreed_on, line.due_on or date.max))
    return lines
