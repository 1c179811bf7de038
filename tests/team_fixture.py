"""A small, hand-countable past for team North, on top of the demo.

The demo has a closed session a fortnight ago (Harper and Khan, signed: Harper's decision set the
next discussion 4 weeks on, Khan's 6) and today's scheduled session (Harper, Khan, Okoro). Added:

- a closed session 70 days ago: Doyle signed off ("continue", no date set), Walsh's decision
  drafted but not signed; Doyle's record exported, Walsh's not;
- Okoro added 60 days ago and never discussed;
- one proposed action, never accepted, in Harper's discussion a fortnight ago.

So on the team home (cadence defaults: pre-proceedings 4 weeks, Early Help and looked after 8):
Okoro is overdue (due 32 days ago, on today's agenda), Doyle and Walsh overdue (due 14 days ago),
Harper due soon (in 14 days); Khan is not due.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from supervision.extensions import db
from supervision.services.records import freeze
from supervision.store.models import (
    Action, AgendaItem, Decision, ExportLog, Family, SupervisionSession, Team, User,
)

LONDON = ZoneInfo("Europe/London")


def london_today() -> date:
    return datetime.now(LONDON).date()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LONDON).astimezone(timezone.utc)


@dataclass
class SmallPast:
    today: date
    family: dict[str, int]  # case reference -> id
    users: dict[str, int]
    closed_recently: int  # the demo's closed session, a fortnight ago
    closed_long_ago: int  # 70 days ago
    scheduled: int  # today's
    harper_item: int


def add_small_past(app) -> SmallPast:
    today = london_today()
    with app.app_context():
        north = db.session.scalar(select(Team).where(Team.slug == "north"))
        users = {u.username: u.id for u in db.session.scalars(select(User))}
        families = {f.case_reference: f for f in db.session.scalars(select(Family).where(Family.team_id == north.id))}
        sessions = {s.status: s for s in db.session.scalars(
            select(SupervisionSession).where(SupervisionSession.team_id == north.id))}
        day = today - timedelta(days=70)
        past = SupervisionSession(team_id=north.id, starts_at=_at(day, 9, 30), chair_id=users["manager"],
                                  minute_taker_id=users["support"], status="closed", started_at=_at(day, 9, 31),
                                  closed_at=_at(day, 11), current_stage="decision")
        db.session.add(past)
        doyle = AgendaItem(family_id=families["FS-1063"].id, position=1, minutes_allowed=20)
        walsh = AgendaItem(family_id=families["FS-1080"].id, position=2, minutes_allowed=20)
        past.agenda.extend([doyle, walsh])
        db.session.flush()
        signed_at = _at(day, 10)
        doyle.decision = Decision(decision_text="Callum stays on Early Help.", rationale="Things are steady.",
                                  outcome="continue", next_discussion_on=None, version=2,
                                  updated_by_id=users["manager"], updated_at=signed_at,
                                  signed_off_by_id=users["manager"], signed_off_role_label="Team manager",
                                  signed_off_at=signed_at)
        walsh.decision = Decision(decision_text="Ellie stays where she is.", rationale="", outcome="continue",
                                  version=1, updated_by_id=users["manager"], updated_at=signed_at)
        db.session.flush()
        freeze(doyle)
        db.session.add(ExportLog(session_id=past.id, family_id=families["FS-1063"].id, user_id=users["support"],
                                 via="web", filename="doyle.docx", draft=False, created_at=_at(day, 12)))
        families["FS-1071"].created_at = _at(today - timedelta(days=60), 9)
        harper_item = next(i for i in sessions["closed"].agenda if i.family_id == families["FS-1042"].id)
        db.session.add(Action(family_id=families["FS-1042"].id, agenda_item_id=harper_item.id,
                              text="Ask the nursery about a place for Ava", owner_id=users["practitioner"],
                              status="proposed", proposed_by_id=users["practitioner"]))
        db.session.commit()
        return SmallPast(today, {ref: f.id for ref, f in families.items()}, users, sessions["closed"].id, past.id,
                         sessions["scheduled"].id, harper_item.id)
