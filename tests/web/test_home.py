"""Team home: today's and coming sessions, recent ones, and when each family was last discussed."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from supervision.extensions import db
from supervision.services import session_setup
from supervision.services.scope import actor_for
from supervision.store.models import Family, SupervisionSession, Team, User
from supervision.web.filters import date_and_time, long_date, time_of_day

LONDON = ZoneInfo("Europe/London")


def section(page, heading: str):
    """Everything between an h2 and the next h2, as text."""
    h2 = page.find("h2", string=heading)
    assert h2 is not None, f"no section {heading!r}"
    parts = []
    for sibling in h2.find_next_siblings():
        if sibling.name == "h2":
            break
        parts.append(sibling.get_text(" "))
    return " ".join(" ".join(parts).split())


def north_sessions(app) -> dict[str, SupervisionSession]:
    with app.app_context():
        rows = db.session.scalars(select(SupervisionSession).join(Team).where(Team.slug == "north"))
        found = {s.status: s for s in rows}
        db.session.expunge_all()
        return found


def test_home_shows_todays_session_and_recent_ones(app, sign_in):
    sessions = north_sessions(app)
    page = sign_in("social").get("/")
    assert page.title.text.startswith("Team home")
    today = section(page, "Today")
    assert f"Group supervision at {time_of_day(sessions['scheduled'].starts_at)}" in today
    assert "Harper family (30 minutes)" in today and "Okoro family (25 minutes)" in today
    recent = section(page, "Recent sessions")
    assert date_and_time(sessions["closed"].starts_at) in recent
    assert "Closed" in recent
    assert "No sessions are set up after today." in section(page, "Coming up")


def test_a_session_set_up_for_next_week_is_coming_up(app, sign_in):
    next_week = datetime.now(LONDON).replace(hour=9, minute=30, second=0, microsecond=0) + timedelta(days=7)
    with app.app_context():
        ids = {u.username: u.id for u in db.session.scalars(select(User))}
        north = db.session.scalar(select(Team.id).where(Team.slug == "north"))
        session_setup.schedule_session(actor_for(ids["support"], north), session_setup.SessionDetails(
            starts_at=next_week, chair_id=ids["senior"], minute_taker_id=ids["support"]))
    coming = section(sign_in("manager").get("/"), "Coming up")
    assert date_and_time(next_week) in coming
    assert "David Mensah" in coming
    assert "No families yet" in coming


def test_families_show_when_each_was_last_discussed_longest_waiting_first(app, sign_in):
    sessions = north_sessions(app)
    page = sign_in("practitioner").get("/")
    table = page.find("h2", string="Families").find_next("table")
    rows = [[cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in table.select("tbody tr")]
    by_family = {row[0]: row for row in rows}
    discussed = long_date(sessions["closed"].starts_at)
    assert by_family["Harper family"][-1] == discussed
    assert by_family["Khan family"][-1] == discussed
    assert by_family["Doyle family"][-1] == "Not discussed yet"
    # a scheduled session does not count as a discussion: Okoro is on today's agenda but not yet discussed
    assert by_family["Okoro family"][-1] == "Not discussed yet"
    order = [row[0] for row in rows]
    assert order.index("Doyle family") < order.index("Harper family")
    assert "Price family" not in page.text and "Morgan family" not in page.text


def test_a_live_session_counts_as_the_last_discussion(app, sign_in):
    sessions = north_sessions(app)
    with app.app_context():
        db.session.get(SupervisionSession, sessions["scheduled"].id).status = "live"
        db.session.commit()
    page = sign_in("manager").get("/")
    table = page.find("h2", string="Families").find_next("table")
    okoro = next(row for row in table.select("tbody tr") if "Okoro family" in row.text)
    assert long_date(sessions["scheduled"].starts_at) in okoro.text
    assert "Live" in section(page, "Today")


def test_only_people_who_set_up_sessions_are_offered_the_button(sign_in):
    def has_button(page):
        return any(a.text.strip() == "Set up a session" for a in page.find_all("a"))

    assert has_button(sign_in("support").get("/"))
    assert not has_button(sign_in("recovery").get("/"))


def test_a_team_with_nothing_yet_gets_plain_messages(app, sign_in):
    with app.app_context():
        south = db.session.scalar(select(Team.id).where(Team.slug == "south"))
        for session in db.session.scalars(select(SupervisionSession).where(SupervisionSession.team_id == south)):
            db.session.delete(session)
        db.session.commit()
        assert db.session.scalar(select(Family.id).where(Family.team_id == south)) is not None
    page = sign_in("south-social").get("/")
    assert "There is no group supervision today." in section(page, "Today")
    assert "The team has not held a session yet." in section(page, "Recent sessions")
    assert "Not discussed yet" in section(page, "Families")
