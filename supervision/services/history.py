"""A family's discussions over time, read from the same frozen, signed records the Word record uses.

A signed discussion's decision is read through `records.amended_decision` (what it held at
sign-off, with its amendments), as the Word record's is, so the timeline, the team's figures and
the record agree.
A discussion not signed off yet has no record: it is listed as such and counts for nothing.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, select, union_all
from sqlalchemy.orm import joinedload

from ..domain.cadence import LastDiscussion
from ..domain.trends import SignedPoint
from ..domain.vocabulary import PlanLevel, PlanOutcome, SessionStatus, StageOfChange
from ..domain.wording import local
from ..export import frozen
from ..export.record import DecisionRecord, Group, Person
from ..extensions import db
from ..store.models import AgendaItem, Amendment, Decision, FrozenRecord, SupervisionSession
from .records import amended_decision

DISCUSSED = (SessionStatus.LIVE.value, SessionStatus.CLOSED.value)


@dataclass(frozen=True)
class Reading:
    """One specialist's stage-of-change reading of one adult in one discussion."""

    adult: str  # "Mia, Mother"
    specialism: str  # the heading the specialist's update sits under
    stage: str  # a StageOfChange value


@dataclass(frozen=True)
class SignedDiscussion:
    """What a signed discussion's record says of its plan, decision and specialists' readings."""

    item_id: int
    family_id: int
    session_id: int
    starts_at: datetime
    plan: str  # the plan level's label, as the record gives it
    decision: DecisionRecord  # amendments applied
    next_on: date | None
    perspectives: list[Group]  # read only when asked for

    @property
    def on(self) -> date:
        return local(self.starts_at).date()

    @property
    def plan_level(self) -> str | None:
        return PlanLevel.value_of(self.plan)

    @property
    def outcome(self) -> str | None:
        return PlanOutcome.value_of(self.decision.outcome) if self.decision.outcome else None

    @property
    def point(self) -> SignedPoint:
        return SignedPoint(self.family_id, self.on, self.plan_level, self.outcome)

    @property
    def last(self) -> LastDiscussion:
        return LastDiscussion(self.on, self.next_on, self.outcome == PlanOutcome.CLOSE.value)

    @property
    def readings(self) -> list[Reading]:
        found = []
        for group in self.perspectives:
            for contribution in group.contributions:
                stage = StageOfChange.value_of(contribution.stage_of_change)
                if stage and contribution.about:
                    found.append(Reading(contribution.about, group.title, stage))
        return found


def _part(*path: str):
    return FrozenRecord.data[("family", *path)]


def signed(team_id: int, *, family_id: int | None = None, item_ids: list[int] | None = None,
           readings: bool = False) -> list[SignedDiscussion]:
    """The team's signed discussions (one family's, or these items), oldest first, as their records say.

    Only the parts of each record needed are read from the database (its plan, decision and
    next date; the specialists' perspectives when `readings`), and the decision goes through
    records.amended_decision as the Word record's does.
    """
    columns = [FrozenRecord.agenda_item_id, AgendaItem.family_id, AgendaItem.session_id, SupervisionSession.starts_at,
               _part("plan").as_string(), _part("decision"), _part("next_discussion_on").as_string()]
    if readings:
        columns.append(_part("perspectives"))
    query = (select(*columns)
             .join(AgendaItem, FrozenRecord.agenda_item_id == AgendaItem.id)
             .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
             .where(SupervisionSession.team_id == team_id)
             .order_by(SupervisionSession.starts_at, AgendaItem.position))
    if family_id is not None:
        query = query.where(AgendaItem.family_id == family_id)
    if item_ids is not None:
        query = query.where(AgendaItem.id.in_(item_ids or [0]))
    rows = db.session.execute(query).all()
    amendments = _amendments([row[0] for row in rows])
    found = []
    for item_id, family, session, starts_at, plan, decision, next_on, *more in rows:
        decision, next_on = amended_decision(_decision(decision),
                                             date.fromisoformat(next_on) if next_on else None, amendments[item_id])
        perspectives = frozen.load(list[Group], more[0]) if more and more[0] else []
        found.append(SignedDiscussion(item_id, family, session, starts_at, plan or "", decision, next_on, perspectives))
    return found


# The team's signed discussions, kept between requests in this process while the database says no
# record or amendment of the team has been added or removed since: (database, team) -> (stamp, list).
_KEPT: dict[tuple[str, int], tuple[tuple, list[SignedDiscussion]]] = {}
_KEPT_TEAMS = 256


def team_signed(team_id: int) -> list[SignedDiscussion]:
    """All the team's signed discussions (without readings), as `signed` gives them.

    Records are only ever added at sign-off and amendments only appended, so a count, the
    highest id and the latest time of each tells whether anything changed: one small query
    instead of reading a year of records on every team home. Every process checks for itself,
    so a record signed through another worker is seen on the next request.
    """
    return _kept(team_id)[1]


def team_stamp(team_id: int) -> tuple:
    """What `team_signed` checks: changes whenever a record of the team is added or amended."""
    return _kept(team_id)[0]


def _kept(team_id: int) -> tuple[tuple, list[SignedDiscussion]]:
    # Checked once per transaction: a page asking twice (its lists and its figures) asks the database once.
    session = db.session()
    checked = session.info.setdefault("history.checked", {})
    transaction = session.get_transaction()
    if checked.get(team_id, (None,))[0] is transaction and transaction is not None:
        return checked[team_id][1]
    key = (str(db.engine.url), team_id)
    stamp = _stamp(team_id)
    kept = _KEPT.get(key)
    if kept is None or kept[0] != stamp:
        kept = (stamp, signed(team_id))
        if len(_KEPT) >= _KEPT_TEAMS:
            _KEPT.clear()
        _KEPT[key] = kept
    checked[team_id] = (session.get_transaction(), kept)
    return kept


def _stamp(team_id: int) -> tuple:
    records = (select(func.count(FrozenRecord.id), func.max(FrozenRecord.id), func.max(FrozenRecord.frozen_at))
               .join(AgendaItem, FrozenRecord.agenda_item_id == AgendaItem.id)
               .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
               .where(SupervisionSession.team_id == team_id))
    amendments = (select(func.count(Amendment.id), func.max(Amendment.id), func.max(Amendment.created_at))
                  .join(Decision, Amendment.decision_id == Decision.id)
                  .join(AgendaItem, Decision.agenda_item_id == AgendaItem.id)
                  .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
                  .where(SupervisionSession.team_id == team_id))
    return tuple(tuple(row) for row in db.session.execute(union_all(records, amendments)))


def _decision(kept: dict) -> DecisionRecord:
    """The decision as frozen at sign-off (frozen.load's reading, written out for speed: a year of
    records is read on every team home)."""
    by, at = kept.get("signed_off_by"), kept.get("signed_off_at")
    return DecisionRecord(kept.get("text", ""), kept.get("rationale", ""), kept.get("outcome"),
                          Person(by["name"], by.get("role", "")) if by else None,
                          datetime.fromisoformat(at) if at else None)


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
    kept = {each.item_id: each for each in team_signed(team_id)}
    return {family_id: kept[item_id].last if item_id in kept else LastDiscussion(local(starts_at).date())
            for item_id, family_id, starts_at in rows}
