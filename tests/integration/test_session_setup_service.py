"""The session setup service on SQLite and PostgreSQL: scheduling, the agenda and its order, attendance."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from supervision.domain.errors import Invalid, NotFound, Refused
from supervision.extensions import db
from supervision.services import session_setup
from supervision.services.scope import actor_for
from supervision.services.session_setup import AgendaEntry, AttendanceEntry, SessionDetails
from supervision.store.models import AgendaItem, Family, Role, SupervisionSession, Team, User

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def uid(username: str) -> int:
    return db.session.scalar(select(User.id).where(User.username == username))


def team_id(slug: str = "north") -> int:
    return db.session.scalar(select(Team.id).where(Team.slug == slug))


def fid(reference: str) -> int:
    return db.session.scalar(select(Family.id).where(Family.case_reference == reference))


def demo_session(status: str, team: str = "north") -> SupervisionSession:
    return db.session.scalar(select(SupervisionSession).where(
        SupervisionSession.team_id == team_id(team), SupervisionSession.status == status))


def next_week(hour: int = 10) -> datetime:
    day = datetime.now(LONDON).date() + timedelta(days=7)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


def reload(session_id: int) -> SupervisionSession:
    db.session.expire_all()
    return db.session.get(SupervisionSession, session_id)


def test_schedule_a_session_with_agenda_and_attendance(ctx):
    starts = next_week()
    session = session_setup.schedule_session(
        actor_for(uid("support"), team_id()), SessionDetails(starts, uid("manager"), uid("support")))
    session_id = session.id
    session = reload(session_id)
    assert session.starts_at == starts.astimezone(timezone.utc)
    assert (session.status, session.chair.username, session.minute_taker.username) == ("scheduled", "manager", "support")
    assert {a.user.username: (a.status, a.role.key) for a in session.attendance}["da-officer"] == (
        "present", "domestic-abuse-officer")
    assert len(session.attendance) == 9

    session_setup.set_agenda(uid("manager"), session_id, [
        AgendaEntry(fid("FS-1071"), 25), AgendaEntry(fid("FS-1042"), 30), AgendaEntry(fid("FS-1063"), 15)])
    session_setup.record_attendance(uid("support"), session_id, [
        AttendanceEntry(uid("mental-health"), "apologies"),
        AttendanceEntry(uid("senior"), "late", db.session.scalar(select(Role.id).where(Role.key == "team-manager"))),
        AttendanceEntry(uid("practitioner"), None),
    ])
    session = reload(session_id)
    assert [(i.family.case_reference, i.position, i.minutes_allowed) for i in session.agenda] == [
        ("FS-1071", 1, 25), ("FS-1042", 2, 30), ("FS-1063", 3, 15)]
    attendance = {a.user.username: (a.status, a.role.key) for a in session.attendance}
    assert attendance["mental-health"] == ("apologies", "mental-health-practitioner")
    assert attendance["senior"] == ("late", "team-manager")
    assert "practitioner" not in attendance and len(attendance) == 8


def test_reordering_keeps_each_item_and_its_notes(ctx):
    session = demo_session("scheduled")
    items = {i.family.case_reference: i.id for i in session.agenda}
    harper = db.session.get(AgendaItem, items["FS-1042"])
    harper.notes_text = "Ready to present."
    db.session.commit()
    session_setup.set_agenda(uid("manager"), session.id, [
        AgendaEntry(fid("FS-1057"), 20), AgendaEntry(fid("FS-1071"), 25), AgendaEntry(fid("FS-1042"), 35)])
    session = reload(session.id)
    assert [(i.family.case_reference, i.position, i.minutes_allowed) for i in session.agenda] == [
        ("FS-1057", 1, 20), ("FS-1071", 2, 25), ("FS-1042", 3, 35)]
    assert {i.family.case_reference: i.id for i in session.agenda} == items
    assert session.agenda[2].notes_text == "Ready to present."


def test_removing_an_item_that_has_not_been_discussed(ctx):
    session = demo_session("scheduled")
    session_setup.set_agenda(uid("support"), session.id, [AgendaEntry(fid("FS-1057"), 20)])
    assert [i.family.case_reference for i in reload(session.id).agenda] == ["FS-1057"]


def test_agenda_rules(ctx):
    session = demo_session("scheduled")
    before = [(i.family_id, i.position, i.minutes_allowed) for i in session.agenda]
    south_family = db.session.scalar(select(Family.id).where(Family.team_id == team_id("south")))
    bad = {
        "a time of nothing": [AgendaEntry(fid("FS-1042"), 0)],
        "a negative time": [AgendaEntry(fid("FS-1042"), -10)],
        "no time": [AgendaEntry(fid("FS-1042"), None)],
        "another team's family": [AgendaEntry(south_family, 20)],
        "a family twice": [AgendaEntry(fid("FS-1042"), 20), AgendaEntry(fid("FS-1042"), 10)],
    }
    for why, entries in bad.items():
        with pytest.raises(Invalid):
            session_setup.set_agenda(uid("manager"), session.id, entries)
        db.session.rollback()
    assert [(i.family_id, i.position, i.minutes_allowed) for i in reload(session.id).agenda] == before


def test_a_discussed_family_cannot_be_taken_off(ctx):
    closed = demo_session("closed")
    live = demo_session("scheduled")
    live.status = "live"
    live.current_item_id = live.agenda[0].id
    db.session.commit()
    with pytest.raises(Invalid) as raised:
        session_setup.set_agenda(uid("manager"), live.id, [AgendaEntry(i.family_id, 20) for i in live.agenda[1:]])
    assert "Harper family has already been discussed" in raised.value.fields["agenda"]
    db.session.rollback()
    assert len(reload(live.id).agenda) == 3
    with pytest.raises(Refused) as raised:
        session_setup.set_agenda(uid("manager"), closed.id, [])
    assert raised.value.message == "This session has closed, so its setup can no longer be changed."
    db.session.rollback()
    assert len(reload(closed.id).agenda) == 2


def test_chair_minute_taker_and_role_rules(ctx):
    north = team_id()
    starts = next_week()
    for chair in ("social", "south-manager", "support"):
        with pytest.raises(Invalid) as raised:
            session_setup.schedule_session(actor_for(uid("manager"), north),
                                           SessionDetails(starts, uid(chair), uid("support")))
        assert set(raised.value.fields) == {"chair"}
        db.session.rollback()
    with pytest.raises(Invalid) as raised:
        session_setup.schedule_session(actor_for(uid("manager"), north),
                                       SessionDetails(starts, uid("senior"), uid("south-support")))
    assert set(raised.value.fields) == {"minute_taker"}
    db.session.rollback()
    for username in ("social", "senior", "recovery"):
        with pytest.raises(Refused):
            session_setup.schedule_session(actor_for(uid(username), north),
                                           SessionDetails(starts, uid("manager"), uid("support")))
    with pytest.raises(NotFound):
        session_setup.update_session(uid("manager"), demo_session("scheduled", "south").id,
                                     SessionDetails(starts, uid("manager"), uid("support")))
    with pytest.raises(Invalid):
        session_setup.record_attendance(uid("manager"), demo_session("scheduled").id,
                                        [AttendanceEntry(uid("south-social"), "present")])
    db.session.rollback()
    assert db.session.scalar(select(SupervisionSession.id).where(SupervisionSession.starts_at == starts)) is None


def test_team_sessions_split_today_coming_and_recent(ctx):
    session_setup.schedule_session(actor_for(uid("manager"), team_id()),
                                   SessionDetails(next_week(), uid("manager"), uid("support")))
    today = datetime.now(LONDON).date()
    groups = session_setup.team_sessions(actor_for(uid("social"), team_id()), today=today)
    assert [s.status for s in groups.today] == ["scheduled"]
    assert [s.starts_at.astimezone(LONDON).date() for s in groups.upcoming] == [today + timedelta(days=7)]
    assert [s.status for s in groups.recent] == ["closed"]
    tomorrow = session_setup.team_sessions(actor_for(uid("social"), team_id()), today=today + timedelta(days=1))
    assert [s.status for s in tomorrow.recent] == ["scheduled", "closed"], "latest first"
    assert all(s.team_id == team_id() for s in groups.today + groups.upcoming + groups.recent)
