"""A family's discussions over time, read from the same frozen, signed records the Word record uses.

A signed discussion is read through `records.signed_family_from` (what it held at sign-off,
plus amendments and additions), so the timeline, the team's figures and the record agree.
A discussion not signed off yet has no record: it is listed as such and counts for nothing.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from ..domain.cadence import LastDiscussion
from ..domain.trends import SignedPoint
from ..domain.vocabulary import PlanLevel, PlanOutcome, SessionStatus, StageOfChange
from ..domain.wording import local
from ..export.record import AddedEntry, FamilyRecord, Person
from ..extensions import db
from ..store.models import AfterSignOffEntry, AgendaItem, Amendment, Decision, FrozenRecord, SupervisionSession
from .records import signed_family_from

DISCUSSED = (SessionStatus.LIVE.value, SessionStatus.CLOSED.value)


@dataclass(frozen=True)
class Reading:
    """One specialist's stage-of-change reading of one adult in one discussion."""

    adult: str  # "Mia, Mother"
    specialism: str  # the heading the specialist's update sits under
    stage: str  # a StageOfChange value


@dataclass(frozen=True)
class SignedDiscussion:
    item_id: int
    family_id: int
    session_id: int
    starts_at: datetime
    record: FamilyRecord

    @property
    def on(self) -> date:
        return local(self.starts_at).date()

    @property
    def plan_level(self) -> str | None:
        return PlanLevel.value_of(self.record.plan)

    @property
    def outcome(self) -> str | None:
        decision = self.record.decision
        return PlanOutcome.value_of(decision.outcome) if decision and decision.outcome else None

    @property
    def point(self) -> SignedPoint:
        return SignedPoint(self.family_id, self.on, self.plan_level, self.outcome)

    @property
    def last(self) -> LastDiscussion:
        return LastDiscussion(self.on, self.record.next_discussion_on, self.outcome == PlanOutcome.CLOSE.value)

    @property
    def readings(self) -> list[Reading]:
        found = []
        for group in self.record.perspectives:
            for contribution in group.contributions:
                stage = StageOfChange.value_of(contribution.stage_of_change)
                if stage and contribution.about:
                    found.append(Reading(contribution.about, group.title, stage))
        return found


def signed(team_id: int, *, family_id: int | None = None, item_ids: list[int] | None = None,
           since: datetime | None = None) -> list[SignedDiscussion]:
    """The team's signed discussions (one family's, or these items), oldest first, as their records say."""
    query = (select(FrozenRecord, AgendaItem.family_id, AgendaItem.session_id, SupervisionSession.starts_at)
             .join(AgendaItem, FrozenRecord.agenda_item_id == AgendaItem.id)
             .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
             .where(SupervisionSession.team_id == team_id)
             .order_by(SupervisionSession.starts_at, AgendaItem.position))
    if family_id is not None:
        query = query.where(AgendaItem.family_id == family_id)
    if item_ids is not None:
        query = query.where(AgendaItem.id.in_(item_ids or [0]))
    if since is not None:
        query = query.where(SupervisionSession.starts_at >= since)
    rows = db.session.execute(query).all()
    ids = [record.agenda_item_id for record, *_ in rows]
    amendments, added = _amendments(ids), _added(ids)
    return [SignedDiscussion(record.agenda_item_id, family, session, starts_at,
                             signed_family_from(record, amendments[record.agenda_item_id],
                                                added[record.agenda_item_id]))
            for record, family, session, starts_at in rows]


def _amendments(item_ids: list[int]) -> dict[int, list[Amendment]]:
    found: dict[int, list[Amendment]] = defaultdict(list)
    if not item_ids:
        return found
    rows = db.session.execute(
        select(Decision.agenda_item_id, Amendment).join(Decision, Amendment.decision_id == Decision.id)
        .where(Decision.agenda_item_id.in_(item_ids)).options(joinedload(Amendment.author)).order_by(Amendment.id))
    for item_id, amendment in rows:
        found[item_id].append(amendment)
    return found


def _added(item_ids: list[int]) -> dict[int, list[AddedEntry]]:
    found: dict[int, list[AddedEntry]] = defaultdict(list)
    if not item_ids:
        return found
    rows = db.session.scalars(select(AfterSignOffEntry).where(AfterSignOffEntry.agenda_item_id.in_(item_ids))
                              .order_by(AfterSignOffEntry.created_at, AfterSignOffEntry.id))
    for e in rows:
        found[e.agenda_item_id].append(AddedEntry(e.text, Person(e.author_name, e.author_role_label), e.created_at))
    return found


@dataclass(frozen=True)
class Discussed:
    """A family's place on a started or closed session's agenda, signed or not."""

    item_id: int
    family_id: int
    session_id: int
    starts_at: datetime
    status: str

    @property
    def on(self) -> date:
        return local(self.starts_at).date()


def discussions(team_id: int, family_id: int | None = None) -> list[Discussed]:
    """Every discussion (started or closed session) of the team's families, oldest first."""
    query = (select(AgendaItem.id, AgendaItem.family_id, AgendaItem.session_id, SupervisionSession.starts_at,
                    SupervisionSession.status)
             .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
             .where(SupervisionSession.team_id == team_id, SupervisionSession.status.in_(DISCUSSED))
             .order_by(SupervisionSession.starts_at, AgendaItem.position))
    if family_id is not None:
        query = query.where(AgendaItem.family_id == family_id)
    return [Discussed(*row) for row in db.session.execute(query)]


def latest_discussions(team_id: int) -> dict[int, LastDiscussion]:
    """Each discussed family's latest discussion: from its signed record if signed, else just its date."""
    latest_start = (select(AgendaItem.family_id, func.max(SupervisionSession.starts_at).label("at"))
                    .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
                    .where(SupervisionSession.team_id == team_id, SupervisionSession.status.in_(DISCUSSED))
                    .group_by(AgendaItem.family_id).subquery())
    rows = db.session.execute(
        select(AgendaItem.id, AgendaItem.family_id, SupervisionSession.starts_at)
        .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
        .join(latest_start, and_(latest_start.c.family_id == AgendaItem.family_id,
                                 latest_start.c.at == SupervisionSession.starts_at))
        .where(SupervisionSession.team_id == team_id, SupervisionSession.status.in_(DISCUSSED))).all()
    kept = {each.item_id: each for each in signed(team_id, item_ids=[item_id for item_id, _, _ in rows])}
    found = {}
    for item_id, family_id, starts_at in rows:
        found[family_id] = kept[item_id].last if item_id in kept else LastDiscussion(local(starts_at).date())
    return found
